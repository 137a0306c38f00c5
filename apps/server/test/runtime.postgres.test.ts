import { openDatabase } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { createTestDatabase } from './postgres.js';
import { describeRuntime } from './runtime-suite.js';

const pg = await createTestDatabase('server_runtime');

describeRuntime(
  'Postgres and memory storage',
  'skip' in pg
    ? pg
    : {
        open: () => openDatabase(pg.url, { maxConnections: 4 }),
        storage: async () => memoryStorage(),
        dispose: () => pg.drop(),
      },
);
