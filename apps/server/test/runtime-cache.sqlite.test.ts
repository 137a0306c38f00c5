import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@scormflow/db';
import { describeRuntimeCache } from './runtime-cache-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'scormflow-runtime-cache-'));

describeRuntimeCache('SQLite', {
  open: () => openDatabase(join(dir, 'shared.db')),
  dispose: async () => rmSync(dir, { recursive: true, force: true }),
});
