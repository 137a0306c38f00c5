import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SQLITE_PATH,
  isDbError,
  migrate,
  migrationsFolder,
  openDatabase,
  parseDatabaseUrl,
} from '../src/index.js';
import { probeTestPostgres } from './postgres.js';
import { checkUpgradeFromFirstMigration } from './upgrade.js';

const dir = mkdtempSync(join(tmpdir(), 'scormflow-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseDatabaseUrl', () => {
  it('selects SQLite for no URL, file: URLs and paths', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ dialect: 'sqlite', path: DEFAULT_SQLITE_PATH });
    expect(parseDatabaseUrl('')).toEqual({ dialect: 'sqlite', path: './data/scormflow.db' });
    expect(parseDatabaseUrl('file:./x/y.db')).toEqual({ dialect: 'sqlite', path: './x/y.db' });
    expect(parseDatabaseUrl('file:')).toEqual({ dialect: 'sqlite', path: DEFAULT_SQLITE_PATH });
    expect(parseDatabaseUrl('file:///var/lib/sf.db')).toEqual({ dialect: 'sqlite', path: '/var/lib/sf.db' });
    expect(parseDatabaseUrl('/abs/sf.db')).toEqual({ dialect: 'sqlite', path: '/abs/sf.db' });
    expect(parseDatabaseUrl(':memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
  });

  it('selects Postgres for postgres:// and postgresql://', () => {
    expect(parseDatabaseUrl('postgres://u:p@h:5432/d')).toEqual({
      dialect: 'postgres',
      url: 'postgres://u:p@h:5432/d',
    });
    expect(parseDatabaseUrl('postgresql://h/d')).toEqual({ dialect: 'postgres', url: 'postgresql://h/d' });
  });

  it('rejects other URL schemes without echoing credentials', () => {
    const error = (() => {
      try {
        parseDatabaseUrl('mysql://root:secret@h/d');
      } catch (e) {
        return e;
      }
    })();
    expect(isDbError(error) && error.code).toBe('DB_UNSUPPORTED_URL');
    expect(String((error as Error).message)).not.toContain('secret');
  });
});

describe('openDatabase on SQLite', () => {
  it('creates the directory and sets WAL, synchronous NORMAL, foreign keys and a busy timeout', async () => {
    const file = join(dir, 'a', 'b', 'sf.db');
    const db = openDatabase(pathToFileURL(file).href, { busyTimeoutMs: 1234 });
    try {
      expect(db.dialect).toBe('sqlite');
      expect(existsSync(join(dir, 'a', 'b'))).toBe(true);
      if (db.dialect !== 'sqlite') return;
      expect(db.path).toBe(resolve(file));
      const client = db.drizzle.$client;
      expect(client.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(client.pragma('synchronous', { simple: true })).toBe(1);
      expect(client.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(client.pragma('busy_timeout', { simple: true })).toBe(1234);
      await db.ping();
    } finally {
      await db.close();
    }
  });

  it('keeps data across reopening and migrates an in-memory database', async () => {
    const file = join(dir, 'reopen.db');
    const first = openDatabase(file);
    await migrate(first);
    const tenant = await first.repos.tenants.create({ name: 'persisted' });
    await first.close();
    const second = openDatabase(file);
    await migrate(second);
    expect(await second.repos.tenants.get(tenant.id)).toEqual(tenant);
    await second.close();

    const memory = openDatabase(':memory:');
    await migrate(memory);
    expect(await memory.repos.tenants.get(tenant.id)).toBeNull();
    await memory.close();
  });

  it('upgrades a database made with the first migration', async () => {
    const db = openDatabase(join(dir, 'upgrade.db'));
    try {
      await checkUpgradeFromFirstMigration(db);
    } finally {
      await db.close();
    }
  });

  it('rejects a closed database on ping', async () => {
    const db = openDatabase(join(dir, 'closed.db'));
    await db.close();
    await expect(db.ping()).rejects.toThrow();
  });
});

describe('migrations folder', () => {
  it('is the package’s drizzle/<dialect> folder, shipped in the package files', async () => {
    const root = resolve(import.meta.dirname, '..');
    expect(migrationsFolder('sqlite')).toBe(join(root, 'drizzle', 'sqlite'));
    expect(migrationsFolder('postgres')).toBe(join(root, 'drizzle', 'pg'));
    expect(existsSync(join(migrationsFolder('sqlite'), 'meta', '_journal.json'))).toBe(true);
    expect(existsSync(join(migrationsFolder('postgres'), 'meta', '_journal.json'))).toBe(true);
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { files: string[] };
    expect(pkg.files).toContain('drizzle');
  });
});

describe('Postgres test database helper', () => {
  it('skips when Postgres is unreachable, and fails when Postgres is required', async () => {
    const adminUrl = 'postgres://nobody:nothing@127.0.0.1:1/none';
    const skipped = await probeTestPostgres({ adminUrl, required: false });
    expect(skipped).toMatchObject({ skip: expect.stringContaining('Postgres unreachable') });
    await expect(probeTestPostgres({ adminUrl, required: true })).rejects.toThrow(/required/);
  });
});
