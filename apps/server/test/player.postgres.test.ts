import { openDatabase } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { describePlayer } from './player-suite.js';
import { createTestDatabase } from './postgres.js';

const pg = await createTestDatabase('server_player');

describePlayer(
  'Postgres and memory storage',
  'skip' in pg
    ? pg
    : {
        open: () => openDatabase(pg.url, { maxConnections: 4 }),
        storage: async () => memoryStorage(),
        dispose: () => pg.drop(),
      },
);
