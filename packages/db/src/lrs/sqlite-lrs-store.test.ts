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

describe('sqliteLrsStore inserts of one turn', () => {
  it('stores the inserts of one turn together, each with its own outcome', async () => {
    const store = sqliteLrsStore(client());
    await store.insertStatements(T, [testStatement({ id: 1, verb })]);
    const target = testStatement({ id: 10, verb, activity });
    const ref = testStatement({ id: 11, ref: 10 });
    const results = await Promise.all([
      store.insertStatements(T, [target]),
      store.insertStatements(T, [ref]),
      store.insertStatements(T, [testStatement({ id: 12 })], {
        activities: [{ id: activity, definition: { name: { 'en-US': 'A' } } }],
      }),
      store.insertStatements(T, [testStatement({ id: 13 })], {
        activities: [{ id: activity, definition: { name: { 'fr-FR': 'A' } } }],
      }),
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
    // The StatementRef made in the same turn as its target finds it by the target's keys.
    expect(idsOf(await store.queryStatements(T, { limit: 10, activity, ascending: true }))).toEqual([
      target.id,
      ref.id,
    ]);
    expect(await store.getActivity(T, activity)).toEqual({ name: { 'en-US': 'A', 'fr-FR': 'A' } });
  });

  it('a conflicting insert or one that throws fails alone; the others of its turn are stored', async () => {
    const store = sqliteLrsStore(client());
    await store.insertStatements(T, [testStatement({ id: 1 })]);
    const broken = { ...testStatement({ id: 4 }), stored: 'not an instant' };
    const results = await Promise.allSettled([
      store.insertStatements(T, [testStatement({ id: 2, verb })]),
      store.insertStatements(T, [testStatement({ id: 3 }), testStatement({ id: 1 })]),
      store.insertStatements(T, [broken]),
      store.insertStatements(T, [testStatement({ id: 5, verb })], {
        activities: [{ id: activity, definition: { type: 'http://x.com/t' } }],
      }),
      // The same id twice in one turn: the first call stores it, the second conflicts.
      store.insertStatements(T, [testStatement({ id: 6 })]),
      store.insertStatements(T, [testStatement({ id: 6 })]),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).toEqual([
      { ok: true },
      { ok: false, reason: 'conflict', ids: [testStatement({ id: 1 }).id] },
      'rejected',
      { ok: true },
      { ok: true },
      { ok: false, reason: 'conflict', ids: [testStatement({ id: 6 }).id] },
    ]);
    const stored = (
      await store.getStatements(
        T,
        [1, 2, 3, 4, 5, 6].map((n) => testStatement({ id: n }).id),
      )
    )
      .map((r) => r.id)
      .sort();
    expect(stored).toEqual([1, 2, 5, 6].map((n) => testStatement({ id: n }).id).sort());
    expect(idsOf(await store.queryStatements(T, { limit: 10, verb, ascending: true }))).toEqual([
      testStatement({ id: 2 }).id,
      testStatement({ id: 5 }).id,
    ]);
    expect(await store.getActivity(T, activity)).toEqual({ type: 'http://x.com/t' });
  });
});
