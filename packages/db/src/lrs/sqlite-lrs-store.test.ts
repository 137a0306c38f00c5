import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatementPage } from '@scormflow/lrs';
import { testStatement } from '@scormflow/lrs/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../migrate.js';
import { type Database, openDatabase } from '../open-database.js';
import { sqliteLrsStore } from './sqlite-lrs-store.js';

const T = { tenantId: 'tenant-cache' };
const verb = 'http://example.com/verbs/cached';
const activity = 'http://example.com/activities/cached';

let dir: string;
let db: Database;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scormflow-lrs-cache-'));
  db = openDatabase(`file:${join(dir, 'lrs.db')}`);
  await migrate(db);
  await db.repos.tenants.create({ id: T.tenantId, name: 'cache' });
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = () => {
  if (db.dialect !== 'sqlite') throw new Error('sqlite expected');
  return db.drizzle.$client;
};
const idsOf = (page: StatementPage) => page.records.map((r) => r.id);

describe('sqliteLrsStore key id cache', () => {
  it('finds keys by the ids of a rolled-back batch only once they are made again', async () => {
    const store = sqliteLrsStore(client());
    await store.insertStatements(T, [testStatement({ id: 1 })]);
    const fail = testStatement({ id: 2, verb, activity });
    client().exec(
      `create temp trigger refuse before insert on lrs_statement when new.id = '${fail.id}'
       begin select raise(abort, 'refused'); end`,
    );
    await expect(store.insertStatements(T, [fail])).rejects.toThrow('refused');
    expect(client().prepare('select count(*) from lrs_key where key = ?').pluck().get(verb)).toBe(0);
    client().exec('drop trigger refuse');

    const ok = testStatement({ id: 3, verb, activity });
    expect(await store.insertStatements(T, [ok])).toEqual({ ok: true });
    expect(idsOf(await store.queryStatements(T, { limit: 10, verb }))).toEqual([ok.id]);
    expect(idsOf(await store.queryStatements(T, { limit: 10, activity }))).toEqual([ok.id]);
  });

  it('reads a recreated tenant keys afresh after the old ones were deleted with the tenant', async () => {
    const store = sqliteLrsStore(client());
    const first = testStatement({ id: 1, verb, activity });
    await store.insertStatements(T, [first]);
    client().prepare('delete from tenant where id = ?').run(T.tenantId);
    await db.repos.tenants.create({ id: T.tenantId, name: 'cache again' });

    const second = testStatement({ id: 2, verb, activity });
    expect(await store.insertStatements(T, [second])).toEqual({ ok: true });
    expect(idsOf(await store.queryStatements(T, { limit: 10, verb }))).toEqual([second.id]);
    const third = testStatement({ id: 3, verb });
    expect(await store.insertStatements(T, [third])).toEqual({ ok: true });
    expect(idsOf(await store.queryStatements(T, { limit: 10, verb }))).toEqual([third.id, second.id]);
  });

  it('finds keys another connection made after this store cached its own', async () => {
    const store = sqliteLrsStore(client());
    await store.insertStatements(T, [testStatement({ id: 1, verb })]);
    const other = openDatabase(`file:${join(dir, 'lrs.db')}`);
    try {
      if (other.dialect !== 'sqlite') throw new Error('sqlite expected');
      const otherStore = sqliteLrsStore(other.drizzle.$client);
      const fromOther = testStatement({ id: 2, verb, activity });
      await otherStore.insertStatements(T, [fromOther]);
      const mine = testStatement({ id: 3, verb, activity });
      await store.insertStatements(T, [mine]);
      expect(idsOf(await store.queryStatements(T, { limit: 10, activity }))).toEqual([mine.id, fromOther.id]);
      expect(idsOf(await otherStore.queryStatements(T, { limit: 10, verb }))).toHaveLength(3);
    } finally {
      await other.close();
    }
  });
});
