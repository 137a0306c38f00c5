import { openDatabase } from '@scormflow/db';
import { createTestDatabase } from './postgres.js';
import { describeRuntimeCache } from './runtime-cache-suite.js';

const pg = await createTestDatabase('server_runtime_cache');

describeRuntimeCache(
  'Postgres',
  'skip' in pg ? pg : { open: () => openDatabase(pg.url, { maxConnections: 4 }), dispose: () => pg.drop() },
);
