import { openDatabase } from '../src/index.js';
import { createTestDatabase } from './postgres.js';
import { describeRepositories } from './repository-suite.js';

const pg = await createTestDatabase('repos');

describeRepositories('Postgres', () =>
  'skip' in pg ? pg : { open: () => openDatabase(pg.url, { maxConnections: 4 }), dispose: () => pg.drop() },
);
