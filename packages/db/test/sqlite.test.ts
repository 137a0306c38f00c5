import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRepositories } from './repository-suite.js';

describeRepositories('SQLite (file, WAL)', {
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'scormflow-db-'));
    return {
      url: `file:${join(dir, 'nested', 'scormflow.db')}`,
      async dispose() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
