import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeLrsStore } from '@scormflow/lrs/testing';
import { afterAll, beforeAll } from 'vitest';
import { type Database, lrsStore, migrate, openDatabase } from '../src/index.js';
import { describeLrsExtras } from './lrs-extras-suite.js';
import { createTestDatabase, probeTestPostgres, type TestDatabase } from './postgres.js';

/** The tenants the conformance suite writes to, made afresh (cascading their rows away) per test. */
const SUITE_TENANTS = ['tenant-a', 'tenant-b'];

async function resetTenants(db: Database): Promise<void> {
  for (const id of SUITE_TENANTS) {
    if (db.dialect === 'sqlite') db.drizzle.$client.prepare('delete from tenant where id = ?').run(id);
    else await db.drizzle.$client`delete from tenant where id = ${id}`;
    await db.repos.tenants.create({ id, name: id });
  }
}

/** Drops a test database; autovacuum (which this role may not terminate) can hold it for a moment. */
async function dropWithRetry(target: TestDatabase | undefined): Promise<void> {
  for (let attempt = 1; target; attempt++) {
    try {
      await target.drop();
      return;
    } catch (error) {
      if (attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

let sqlite: Database;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scormflow-lrs-'));
  sqlite = openDatabase(`file:${join(dir, 'lrs.db')}`);
  await migrate(sqlite);
});
afterAll(async () => {
  await sqlite?.close();
  rmSync(dir, { recursive: true, force: true });
});

describeLrsStore('SQLite (file, WAL)', async () => {
  await resetTenants(sqlite);
  return { store: lrsStore(sqlite) };
});
describeLrsExtras('SQLite (file, WAL)', {
  db: () => sqlite,
  url: () => `file:${join(dir, 'lrs.db')}`,
  reset: () => resetTenants(sqlite),
});

const pg = await probeTestPostgres();
if (!('skip' in pg)) {
  let target: TestDatabase;
  let postgresDb: Database;
  beforeAll(async () => {
    target = await createTestDatabase(pg.adminUrl, 'lrs');
    postgresDb = openDatabase(target.url, { maxConnections: 4 });
    await migrate(postgresDb);
  });
  afterAll(async () => {
    await postgresDb?.close();
    await dropWithRetry(target);
  });
  describeLrsStore('Postgres', async () => {
    await resetTenants(postgresDb);
    return { store: lrsStore(postgresDb) };
  });
  describeLrsExtras('Postgres', {
    db: () => postgresDb,
    url: () => target.url,
    reset: () => resetTenants(postgresDb),
  });
}
