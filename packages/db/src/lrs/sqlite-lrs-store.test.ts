import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LrsStore, StatementPage } from '@scormflow/lrs';
import { testStatement } from '@scormflow/lrs/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { migrate } from '../migrate.js';
import { type Database, openDatabase } from '../open-database.js';
import { LRS_KEY_KINDS } from './keys.js';
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
  it('a failed indexing pass leaves no key behind, and the next query indexes afresh', async () => {
    const store = sqliteLrsStore(client());
    await store.insertStatements(T, [testStatement({ id: 1 })]);
    expect(
      idsOf(await store.queryStatements(T, { limit: 10, verb: testStatement({ id: 1 }).index.verb })),
    ).toHaveLength(1);
    const second = testStatement({ id: 2, verb, activity });
    expect(await store.insertStatements(T, [second])).toEqual({ ok: true });
    client().exec(
      `create temp trigger refuse before insert on lrs_key when new.key = '${verb}'
       begin select raise(abort, 'refused'); end`,
    );
    await expect(store.queryStatements(T, { limit: 10, activity })).rejects.toThrow('refused');
    expect(client().prepare('select count(*) from lrs_key where key = ?').pluck().get(activity)).toBe(0);
    client().exec('drop trigger refuse');

    const third = testStatement({ id: 3, verb, activity });
    expect(await store.insertStatements(T, [third])).toEqual({ ok: true });
    expect(idsOf(await store.queryStatements(T, { limit: 10, verb }))).toEqual([third.id, second.id]);
    expect(idsOf(await store.queryStatements(T, { limit: 10, activity }))).toEqual([third.id, second.id]);
  });

  it('reads a recreated tenant keys afresh after the old ones were deleted with the tenant', async () => {
    const store = sqliteLrsStore(client());
    const first = testStatement({ id: 1, verb, activity });
    await store.insertStatements(T, [first]);
    // Indexed: the key ids are cached.
    expect(idsOf(await store.queryStatements(T, { limit: 10, verb }))).toEqual([first.id]);
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
    expect(idsOf(await store.queryStatements(T, { limit: 10, verb }))).toHaveLength(1);
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

describe('sqliteLrsStore key index, written after the statements', () => {
  const keyRows = () => Number(client().prepare('select count(*) from lrs_statement_key').pluck().get());
  const mark = () => Number(client().prepare('select indexed_seq from lrs_key_index').pluck().get());
  const maxSeq = () => Number(client().prepare('select max(seq) from lrs_statement').pluck().get());

  /**
   * A store after statement 1 of T and statements 2 and 3 of a tenant deleted since (the highest
   * numbers gone with it); `beforeDeletion` runs in between.
   */
  const storeWithGoneTenant = async (beforeDeletion?: (store: LrsStore) => Promise<void>) => {
    const store = sqliteLrsStore(client());
    await db.repos.tenants.create({ id: 'tenant-gone', name: 'gone' });
    await store.insertStatements(T, [testStatement({ id: 1, verb })]);
    await store.insertStatements({ tenantId: 'tenant-gone' }, [
      testStatement({ id: 2, verb }),
      testStatement({ id: 3, verb }),
    ]);
    await beforeDeletion?.(store);
    client().prepare('delete from tenant where id = ?').run('tenant-gone');
    return store;
  };

  it('stores statements at once, and their key rows when a filtered query needs them', async () => {
    const store = sqliteLrsStore(client());
    const statements = [testStatement({ id: 1, verb, activity }), testStatement({ id: 2, verb })];
    expect(await store.insertStatements(T, statements)).toEqual({ ok: true });
    expect(keyRows()).toBe(0);
    expect((await store.getStatements(T, [statements[0]!.id])).map((r) => r.id)).toEqual([statements[0]!.id]);
    // A query without key filters reads the statements themselves.
    expect(idsOf(await store.queryStatements(T, { limit: 10 }))).toHaveLength(2);
    expect(keyRows()).toBe(0);
    expect(idsOf(await store.queryStatements(T, { limit: 10, activity }))).toEqual([statements[0]!.id]);
    expect(keyRows()).toBeGreaterThan(0);
    expect(mark()).toBe(maxSeq());
  });

  it('indexes what was written once writes pause, without a query', async () => {
    const store = sqliteLrsStore(client());
    await store.insertStatements(T, [testStatement({ id: 1, verb })]);
    expect(keyRows()).toBe(0);
    await vi.waitFor(() => expect(mark()).toBe(maxSeq()), { timeout: 5000, interval: 20 });
    expect(keyRows()).toBeGreaterThan(0);
  });

  it('indexes a backlog larger than one pass in several, with the same rows', async () => {
    const store = sqliteLrsStore(client());
    const n = 5000;
    const other = 'http://example.com/verbs/other';
    const batch = Array.from({ length: n }, (_, k) =>
      testStatement({ id: k + 1, verb: k % 2 === 0 ? verb : other, activity }),
    );
    expect(await store.insertStatements(T, batch)).toEqual({ ok: true });
    const page = await store.queryStatements(T, { limit: 3, verb, ascending: true });
    expect(idsOf(page)).toEqual([1, 3, 5].map((id) => testStatement({ id }).id));
    expect(mark()).toBe(maxSeq());
    // Per statement: its verb, activity and agent (its related activity and agent are the same).
    expect(keyRows()).toBe(n * 3);
  });

  it('writes a pass in several transactions, and other writes go in between', async () => {
    const store = sqliteLrsStore(client());
    const n = 2000;
    const others = ['a', 'b', 'c'].map((name) => `Agent|mbox:mailto:${name}@example.com`);
    // 6 key rows each (verb, activity, agent and 3 related agents): 12,000 rows, 12 slices of 1,024.
    const batch = Array.from({ length: n }, (_, k) =>
      testStatement({ id: k + 1, verb, activity, relatedAgents: others }),
    );
    expect(await store.insertStatements(T, batch)).toEqual({ ok: true });
    // The first key row written starts another insert: it must not wait for the whole pass.
    let later: Promise<unknown> | undefined;
    client().function('first_key_row', () => {
      later ??= store.insertStatements(T, [testStatement({ id: n + 1, verb })]);
      return 0;
    });
    client().exec(
      'create temp trigger key_row after insert on lrs_statement_key begin select first_key_row(); end',
    );
    const query = store.queryStatements(T, { limit: 1, verb });
    await new Promise<void>((resolve) => {
      const check = () => (later ? resolve() : setImmediate(check));
      check();
    });
    expect(await later).toEqual({ ok: true });
    const rowsThen = keyRows();
    expect(rowsThen).toBeGreaterThan(0);
    expect(rowsThen).toBeLessThan(n * 6);
    // The query waits for the statements stored before it, not for those stored after.
    expect(idsOf(await query)).toEqual([testStatement({ id: n }).id]);
    expect(keyRows()).toBe(n * 6);
    client().exec('drop trigger key_row');
  });

  it('prepares a pass in several transactions, and other writes go in between', async () => {
    const store = sqliteLrsStore(client());
    const n = 2000;
    // A new agent each: every key id of the pass is made while it is prepared.
    const batch = Array.from({ length: n }, (_, k) =>
      testStatement({ id: k + 1, actor: `Agent|mbox:mailto:learner-${k}@example.com` }),
    );
    expect(await store.insertStatements(T, batch)).toEqual({ ok: true });
    const agents = client()
      .prepare(`select count(*) from lrs_key where kind = ? and key like 'Agent|mbox:mailto:learner-%'`)
      .pluck();
    let later: Promise<unknown> | undefined;
    client().function('first_key', () => {
      later ??= store.insertStatements(T, [testStatement({ id: n + 1, verb })]);
      return 0;
    });
    client().exec('create temp trigger first_key after insert on lrs_key begin select first_key(); end');
    const query = store.queryStatements(T, { limit: 1, agent: 'Agent|mbox:mailto:learner-0@example.com' });
    await new Promise<void>((resolve) => {
      const check = () => (later ? resolve() : setImmediate(check));
      check();
    });
    expect(await later).toEqual({ ok: true });
    // Committed while most of the pass's agents were not made yet.
    expect(Number(agents.get(LRS_KEY_KINDS.agent))).toBeLessThan(n);
    expect(idsOf(await query)).toEqual([testStatement({ id: 1 }).id]);
    expect(Number(agents.get(LRS_KEY_KINDS.agent))).toBe(n);
    client().exec('drop trigger first_key');
  });

  it('answers a related filter from both kinds, once per statement, in order and by pages', async () => {
    const store = sqliteLrsStore(client());
    const actor = 'Agent|mbox:mailto:actor@example.com';
    const other = 'Agent|mbox:mailto:other@example.com';
    const statements = [
      testStatement({ id: 1, actor }),
      testStatement({ id: 2, actor: other, relatedAgents: [actor] }),
      testStatement({ id: 3, actor }),
      testStatement({ id: 4, actor: other }),
      testStatement({ id: 5, actor: other, relatedAgents: [actor] }),
    ];
    await store.insertStatements(T, statements);
    const related = { agent: actor, relatedAgents: true } as const;
    expect(idsOf(await store.queryStatements(T, { limit: 10, ...related }))).toEqual(
      [5, 3, 2, 1].map((id) => testStatement({ id }).id),
    );
    // The actor's related key repeats its agent key: only statements 2 and 5 have a row of it.
    const relatedRows = client()
      .prepare(
        `select count(*) from lrs_statement_key k join lrs_key d on d.id = k.key_id
         where d.kind = ? and d.key = ?`,
      )
      .pluck();
    expect(relatedRows.get(LRS_KEY_KINDS.relatedAgent, actor)).toBe(2);
    // A row of both kinds for one statement (as stores wrote before) still gives it once.
    client()
      .prepare(
        `insert into lrs_statement_key (key_id, stored, seq)
         select d.id, s.stored, s.seq from lrs_key d, lrs_statement s where d.kind = ? and d.key = ? and s.id = ?`,
      )
      .run(LRS_KEY_KINDS.relatedAgent, actor, testStatement({ id: 3 }).id);
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store.queryStatements(T, {
        limit: 2,
        ascending: true,
        ...related,
        ...(cursor ? { cursor } : {}),
      });
      pages.push(idsOf(page));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(pages).toEqual([
      [1, 2].map((id) => testStatement({ id }).id),
      [3, 5].map((id) => testStatement({ id }).id),
    ]);
  });

  it('never gives a statement number twice, even once the highest were deleted with their tenant', async () => {
    const store = await storeWithGoneTenant();
    const later = testStatement({ id: 4, verb });
    await store.insertStatements(T, [later]);
    const seqOf = client().prepare('select seq from lrs_statement where id = ?').pluck();
    expect(seqOf.get(later.id)).toBe(4);
    expect(idsOf(await store.queryStatements(T, { limit: 10, verb }))).toEqual([
      later.id,
      testStatement({ id: 1 }).id,
    ]);
  });

  it('reports a failed background pass as a process warning, and the next query retries it', async () => {
    const store = sqliteLrsStore(client());
    client().exec(
      `create temp trigger refuse after insert on lrs_statement_key
       begin select raise(abort, 'refused in the background'); end`,
    );
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      await store.insertStatements(T, [testStatement({ id: 1, verb })]);
      await vi.waitFor(
        () => expect(warnings.map((w) => w.message).join()).toContain('refused in the background'),
        {
          timeout: 5000,
          interval: 20,
        },
      );
      expect((warnings[0] as Error & { code?: string }).code).toBe('SCORMFLOW_LRS_INDEX');
    } finally {
      process.off('warning', listen);
    }
    await expect(store.queryStatements(T, { limit: 10, verb })).rejects.toThrow('refused in the background');
    client().exec('drop trigger refuse');
    expect(idsOf(await store.queryStatements(T, { limit: 10, verb }))).toEqual([testStatement({ id: 1 }).id]);
  });

  it('leaves what a closed connection did not index to the next one', async () => {
    const file = `file:${join(dir, 'lrs.db')}`;
    const statement = testStatement({ id: 1, verb, activity });
    await sqliteLrsStore(client()).insertStatements(T, [statement]);
    await db.close();
    db = openDatabase(file);
    expect(keyRows()).toBe(0);
    expect(idsOf(await sqliteLrsStore(client()).queryStatements(T, { limit: 10, verb }))).toEqual([
      statement.id,
    ]);
  });

  it('numbers statements above the index mark after the highest ones were deleted with their tenant', async () => {
    let before = 0;
    const store = await storeWithGoneTenant(async (store) => {
      expect(idsOf(await store.queryStatements(T, { limit: 10, verb }))).toHaveLength(1);
      before = mark();
    });
    expect(maxSeq()).toBeLessThan(before);
    const later = testStatement({ id: 4, verb, activity });
    await store.insertStatements(T, [later]);
    expect(idsOf(await store.queryStatements(T, { limit: 10, activity }))).toEqual([later.id]);
  });
});
