import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/index.js';
import { describeRepositories } from './repository-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'scormflow-db-'));
const file = join(dir, 'nested', 'scormflow.db');

describeRepositories('SQLite (file, WAL)', () => ({
  url: `file:${file}`,
  open: () => openDatabase(`file:${file}`),
  async dispose() {
    rmSync(dir, { recursive: true, force: true });
  },
}));
