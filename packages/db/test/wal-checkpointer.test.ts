import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../src/index.js';

const dirs: string[] = [];
const open: SqliteDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileDatabase(walCheckpoint?: 'worker' | 'inline'): SqliteDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'scormflow-wal-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'db.sqlite'), walCheckpoint ? { walCheckpoint } : {}) as SqliteDatabase;
  open.push(db);
  return db;
}

/** Writes ~`mib` MiB of rows in transactions of 1 MiB. */
function write(db: SqliteDatabase, mib: number): void {
  const client = db.drizzle.$client;
  client.exec('create table if not exists filler (id integer primary key, body blob not null)');
  const insert = client.prepare('insert into filler (body) values (?)');
  const body = Buffer.alloc(1024, 7);
  const batch = client.transaction(() => {
    for (let i = 0; i < 1024; i++) insert.run(body);
  });
  for (let m = 0; m < mib; m++) batch();
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('WAL checkpoints off the writing connection', () => {
  it('leaves COMMITs without automatic checkpoints and copies the WAL into the file from the worker', async () => {
    const db = fileDatabase();
    const client = db.drizzle.$client;
    expect(client.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    write(db, 8);
    // No COMMIT checkpointed: the rows are in the WAL, the database file holds only its first pages.
    const file = join(db.path);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(8 * 1024 * 1024);
    // The worker's timer sees the WAL past 4 MiB and copies it into the database file.
    await until(() => statSync(file).size > 8 * 1024 * 1024);
    const result = await db.checkpoint();
    expect(result.checkpointed).toBe(result.walFrames);
    // A complete checkpoint lets the next writer start the WAL from its beginning.
    write(db, 1);
    const rows = client.prepare('select count(*) from filler').pluck().get();
    expect(rows).toBe(9 * 1024);
  });

  it('keeps every row when the database is closed and opened again', async () => {
    const db = fileDatabase();
    write(db, 6);
    await db.close();
    open.splice(open.indexOf(db), 1);
    expect(existsSync(`${db.path}-wal`)).toBe(false);
    const again = openDatabase(db.path) as SqliteDatabase;
    open.push(again);
    expect(again.drizzle.$client.prepare('select count(*) from filler').pluck().get()).toBe(6 * 1024);
  });

  it('runs SQLite automatic checkpoints inside COMMITs when asked to (inline)', async () => {
    const db = fileDatabase('inline');
    expect(db.drizzle.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    write(db, 8);
    expect(statSync(db.path).size).toBeGreaterThan(8 * 1024 * 1024);
    const result = await db.checkpoint();
    expect(result.checkpointed).toBe(result.walFrames);
  });
});

describe('closing with the checkpoint worker', () => {
  it('keeps a script whose last step is the close alive until the close is done', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scormflow-wal-'));
    dirs.push(dir);
    const script = fileURLToPath(new URL('./close-last.ts', import.meta.url));
    // Throws on a non-zero exit (13: the event loop ended with the close unsettled).
    const out = execFileSync(
      process.execPath,
      ['--conditions=@scormflow/source', '--import', 'tsx', script, join(dir, 'db.sqlite')],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' },
    );
    expect(out.trim()).toBe('closed');
    expect(existsSync(join(dir, 'db.sqlite-wal'))).toBe(false);
  });
});
