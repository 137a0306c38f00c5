import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@scormflow/db';
import { diskStorage } from '@scormflow/storage-local';
import { describePlayer } from './player-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'scormflow-player-'));

describePlayer('SQLite (file) and disk storage', {
  open: () => openDatabase(`file:${join(dir, 'scormflow.db')}`),
  storage: async () => diskStorage({ dir: join(dir, 'blobs') }),
  async dispose() {
    rmSync(dir, { recursive: true, force: true });
  },
});
