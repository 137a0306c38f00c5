import { testInstant, testStatement, testUuid } from '@scormflow/lrs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Database,
  DB_ERROR_CODES,
  hashApiKey,
  isDbError,
  LRS_KEY_KINDS,
  lrsStore,
  openDatabase,
  xapiCredentials,
} from '../src/index.js';

const A = { tenantId: 'tenant-a' };
const alice = 'Agent|mbox:mailto:alice@example.com';
const bob = 'Agent|mbox:mailto:bob@example.com';
const verbA = 'http://example.com/verbs/a';
const verbRef = 'http://example.com/verbs/refers';
const act = 'http://example.com/activities/a';

/** What a dialect's test file gives the extra tests: the database (fresh tenants per test) and its URL. */
export interface LrsExtrasContext {
  db(): Database;
  url(): string;
  /** Empties the tenants `tenant-a` and `tenant-b`. */
  reset(): Promise<void>;
}

async function rawCount(db: Database, sql: string, params: unknown[]): Promise<number> {
  if (db.dialect === 'sqlite') {
    return Number(
      db.drizzle.$client
        .prepare(sql.replace(/\$\d+/g, '?'))
        .pluck()
        .get(...params),
    );
  }
  const rows = await db.drizzle.$client.unsafe<{ n: string }[]>(sql, params as never[]);
  return Number(rows[0]?.n);
}

/** The key rows a statement has, by kind: what the key index finds it by. */
async function keyCount(db: Database, id: number, kind: number, key: string): Promise<number> {
  return rawCount(
    db,
    `select count(*) as n from lrs_statement_key k join lrs_statement s on s.seq = k.seq
     join lrs_key d on d.id = k.key_id
     where s.tenant_id = $1 and s.id = $2 and d.kind = $3 and d.key = $4`,
    [A.tenantId, testUuid(id), kind, key],
  );
}

/**
 * Tests of the SQL stores beyond the conformance suite: the effective keys written when targets
 * arrive after their referrers, batches larger than one multi-row INSERT, cursors, concurrent
 * writers, and the xAPI credentials.
 */
export function describeLrsExtras(name: string, context: LrsExtrasContext): void {
  describe(`LRS store extras: ${name}`, () => {
    beforeEach(() => context.reset());
    const ids = async (query: Parameters<ReturnType<typeof lrsStore>['queryStatements']>[1]) =>
      (await lrsStore(context.db()).queryStatements(A, query)).records.map((r) => r.id);
    const nums = (...values: number[]) => values.map(testUuid);

    it('a chain stored from its end back to its start gets every key along it', async () => {
      const store = lrsStore(context.db());
      await store.insertStatements(A, [testStatement({ id: 3, actor: bob, verb: verbRef, ref: 2 })]);
      await store.insertStatements(A, [testStatement({ id: 2, actor: bob, verb: verbRef, ref: 1 })]);
      expect(await ids({ limit: 10, agent: alice })).toEqual([]);
      await store.insertStatements(A, [testStatement({ id: 1, actor: alice, verb: verbA, activity: act })]);
      expect(await ids({ limit: 10, agent: alice })).toEqual(nums(3, 2, 1));
      expect(await ids({ limit: 10, activity: act, verb: verbA })).toEqual(nums(3, 2, 1));
      // The rows are in the key index itself, not computed at query time.
      expect(await keyCount(context.db(), 3, LRS_KEY_KINDS.agent, alice)).toBe(1);
      expect(await keyCount(context.db(), 3, LRS_KEY_KINDS.activity, act)).toBe(1);
      expect(await keyCount(context.db(), 1, LRS_KEY_KINDS.agent, bob)).toBe(0);
    });

    it('a cycle closed by a later batch gives both statements both keys once', async () => {
      const store = lrsStore(context.db());
      await store.insertStatements(A, [testStatement({ id: 1, actor: alice, verb: verbA, ref: 2 })]);
      await store.insertStatements(A, [testStatement({ id: 2, actor: bob, verb: verbRef, ref: 1 })]);
      expect(await ids({ limit: 10, agent: alice, ascending: true })).toEqual(nums(1, 2));
      expect(await ids({ limit: 10, agent: bob, ascending: true })).toEqual(nums(1, 2));
      expect(await keyCount(context.db(), 1, LRS_KEY_KINDS.verb, verbRef)).toBe(1);
      expect(await keyCount(context.db(), 2, LRS_KEY_KINDS.verb, verbA)).toBe(1);
    });

    it('a target stored last voids and lends its keys through a voiding statement to its referrers', async () => {
      const store = lrsStore(context.db());
      await store.insertStatements(A, [testStatement({ id: 3, actor: bob, verb: verbRef, ref: 2 })]);
      await store.insertStatements(A, [testStatement({ id: 2, actor: bob, voids: 1 })]);
      await store.insertStatements(A, [testStatement({ id: 1, actor: alice, activity: act })]);
      const voided = new Map((await store.getStatements(A, nums(1, 2, 3))).map((r) => [r.id, r.voided]));
      expect([...voided.entries()].sort()).toEqual([
        [testUuid(1), true],
        [testUuid(2), false],
        [testUuid(3), false],
      ]);
      expect(await ids({ limit: 10, activity: act })).toEqual(nums(3, 2));
    });

    it('a batch larger than one multi-row INSERT is stored whole and pages by cursor', async () => {
      const store = lrsStore(context.db());
      const n = 1234;
      const batch = Array.from({ length: n }, (_, k) =>
        testStatement({
          id: k + 1,
          stored: testInstant(Math.floor(k / 7)),
          actor: k % 2 === 0 ? alice : bob,
          activity: act,
          relatedAgents: [bob],
        }),
      );
      expect(await store.insertStatements(A, batch)).toEqual({ ok: true });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.queryStatements(A, {
          limit: 100,
          agent: alice,
          ascending: true,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.records.map((r) => r.id));
        cursor = page.next ?? undefined;
      } while (cursor);
      expect(seen).toEqual(Array.from({ length: n / 2 }, (_, k) => testUuid(2 * k + 1)));
      expect(
        await rawCount(
          context.db(),
          `select count(*) as n from lrs_statement_key k join lrs_key d on d.id = k.key_id
           where d.tenant_id = $1`,
          [A.tenantId],
        ),
      ).toBe(
        // SQLite leaves out related keys that repeat the actor and object (see keys.ts).
        context.db().dialect === 'sqlite' ? n * 3 + n / 2 : n * 5 + n / 2,
      );
    });

    it('deleting a tenant deletes its statements, keys and key rows', async () => {
      const db = context.db();
      await lrsStore(db).insertStatements(A, [
        testStatement({ id: 1, actor: alice, activity: act }),
        testStatement({ id: 2, actor: bob, ref: 1 }),
      ]);
      const count = (table: string) => rawCount(db, `select count(*) as n from ${table}`, []);
      // A filtered query: SQLite writes key rows by then at the latest.
      expect(await ids({ limit: 10, agent: bob })).toEqual(nums(2));
      expect(await count('lrs_statement_key')).toBeGreaterThan(0);
      if (db.dialect === 'sqlite')
        db.drizzle.$client.prepare('delete from tenant where id = ?').run(A.tenantId);
      else await db.drizzle.$client`delete from tenant where id = ${A.tenantId}`;
      expect(await count('lrs_statement')).toBe(0);
      expect(await count('lrs_key')).toBe(0);
      expect(await count('lrs_statement_key')).toBe(0);
    });

    it('refuses a key holding U+0000 with DB_INVALID_INPUT; the inserts of the same turn are stored', async () => {
      const store = lrsStore(context.db());
      const bad = testStatement({ id: 1, actor: 'Agent|mbox:mailto:a\u0000b@example.com' });
      const results = await Promise.allSettled([
        store.insertStatements(A, [bad]),
        store.insertStatements(A, [testStatement({ id: 2, actor: alice })]),
      ]);
      expect(results[0]?.status).toBe('rejected');
      const error = (results[0] as PromiseRejectedResult).reason;
      expect(isDbError(error) && error.code).toBe(DB_ERROR_CODES.INVALID_INPUT);
      expect(results[1]).toEqual({ status: 'fulfilled', value: { ok: true } });
      expect(await ids({ limit: 10, agent: alice })).toEqual(nums(2));
      expect((await store.getStatements(A, nums(1))).length).toBe(0);
    });

    it('refuses a key holding a lone surrogate with DB_INVALID_INPUT; filtered queries go on working', async () => {
      const store = lrsStore(context.db());
      const bad = testStatement({ id: 1, actor: 'Agent|account:https://x.example|bad\ud800' });
      const results = await Promise.allSettled([
        store.insertStatements(A, [bad]),
        store.insertStatements(A, [testStatement({ id: 2, actor: alice })]),
      ]);
      const error = results[0]?.status === 'rejected' ? results[0].reason : null;
      expect(isDbError(error) && error.code).toBe(DB_ERROR_CODES.INVALID_INPUT);
      expect(results[1]).toEqual({ status: 'fulfilled', value: { ok: true } });
      expect(await ids({ limit: 10, agent: alice })).toEqual(nums(2));
      expect(await ids({ limit: 10, verb: testStatement({ id: 2 }).index.verb })).toEqual(nums(2));
    });

    it('keeps U+0000 inside the statement JSON (Postgres json, not jsonb, holds it)', async () => {
      const store = lrsStore(context.db());
      const statement = testStatement({ id: 1 });
      const body = { ...statement.statement, result: { response: 'a\u0000b' } };
      expect(await store.insertStatements(A, [{ ...statement, statement: body }])).toEqual({ ok: true });
      expect((await store.getStatements(A, nums(1)))[0]?.statement).toEqual(body);
    });

    it('a cursor not made by the store is refused with DB_INVALID_CURSOR', async () => {
      const error = await lrsStore(context.db())
        .queryStatements(A, { limit: 1, cursor: 'bm90LWEtY3Vyc29y' })
        .catch((e: unknown) => e);
      expect(isDbError(error) && error.code === DB_ERROR_CODES.INVALID_CURSOR).toBe(true);
    });

    it('two connections writing overlapping batches at once: one wins whole, the other stores nothing', async () => {
      const other = openDatabase(context.url(), { maxConnections: 2 });
      try {
        const first = Array.from({ length: 300 }, (_, k) => testStatement({ id: k + 1 }));
        const second = Array.from({ length: 300 }, (_, k) => testStatement({ id: k + 201 }));
        const [x, y] = await Promise.all([
          lrsStore(context.db()).insertStatements(A, first),
          lrsStore(other).insertStatements(A, second),
        ]);
        expect([x.ok, y.ok].sort()).toEqual([false, true]);
        const loser = x.ok ? y : x;
        if (!loser.ok)
          expect([...loser.ids].sort()).toEqual(nums(...Array.from({ length: 100 }, (_, k) => k + 201)));
        const total = await rawCount(
          context.db(),
          'select count(*) as n from lrs_statement where tenant_id = $1',
          [A.tenantId],
        );
        expect(total).toBe(300);
      } finally {
        await other.close();
      }
    });

    it('a target and its referrer written at once by two connections still find each other', async () => {
      const other = openDatabase(context.url(), { maxConnections: 2 });
      try {
        for (let round = 0; round < 10; round++) {
          const target = 1000 + 2 * round;
          await Promise.all([
            lrsStore(context.db()).insertStatements(A, [testStatement({ id: target, actor: alice })]),
            lrsStore(other).insertStatements(A, [
              testStatement({ id: target + 1, actor: bob, verb: verbRef, ref: target }),
            ]),
          ]);
        }
        expect(await ids({ limit: 100, agent: alice })).toHaveLength(20);
      } finally {
        await other.close();
      }
    });

    it('of writers racing to create a document with an "absent" precondition, exactly one wins', async () => {
      const other = openDatabase(context.url(), { maxConnections: 4 });
      try {
        const key = { parent: { kind: 'activity-profile', activityId: act } as const, id: 'profile' };
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, k) =>
            lrsStore(k % 2 === 0 ? context.db() : other).putDocument(
              A,
              key,
              {
                contentType: 'text/plain',
                content: new Uint8Array([k]),
                etag: `e${k}`,
                updated: testInstant(k),
              },
              { absent: true },
            ),
          ),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const winner = results.findIndex((r) => r.ok);
        expect((await lrsStore(other).getDocument(A, key))?.etag).toBe(`e${winner}`);
      } finally {
        await other.close();
      }
    });

    describe('xapiCredentials', () => {
      const authority = { objectType: 'Agent', account: { homePage: 'https://lrs.example.com', name: 'x' } };

      it('creates a credential whose secret is returned once and stored hashed', async () => {
        const credentials = xapiCredentials(context.db());
        const { credential, secret } = await credentials.create('tenant-a', {
          name: 'LMS',
          authority: (key) => ({
            objectType: 'Agent',
            account: { homePage: 'https://lrs.example.com', name: key },
          }),
        });
        expect(credential.key).toMatch(/^xk_[\w-]{24}$/);
        expect(secret).toMatch(/^xs_[\w-]{43}$/);
        expect(credential.authority).toEqual({
          objectType: 'Agent',
          account: { homePage: 'https://lrs.example.com', name: credential.key },
        });
        expect(credential.revokedAt).toBeNull();
        expect(Object.keys(credential)).not.toContain('hash');
        expect(
          await rawCount(context.db(), 'select count(*) as n from xapi_credential where hash = $1', [
            hashApiKey(secret),
          ]),
        ).toBe(1);
        expect(
          await rawCount(context.db(), 'select count(*) as n from xapi_credential where hash = $1', [secret]),
        ).toBe(0);
      });

      it('verify answers the tenant and authority for the right secret only', async () => {
        const credentials = xapiCredentials(context.db());
        const { credential, secret } = await credentials.create('tenant-a', { name: 'LMS', authority });
        expect(await credentials.verify(credential.key, secret)).toEqual({
          tenantId: 'tenant-a',
          credentialId: credential.id,
          authority,
        });
        expect(await credentials.verify(credential.key, `${secret}x`)).toBeNull();
        expect(await credentials.verify(credential.key, '')).toBeNull();
        expect(await credentials.verify('xk_unknown', secret)).toBeNull();
        expect(await credentials.verify(secret, credential.key)).toBeNull();
        expect(await credentials.verify(credential.key, 'a\0b')).toBeNull();
      });

      it('list is per tenant and revoke stops verification', async () => {
        const credentials = xapiCredentials(context.db());
        const one = await credentials.create('tenant-a', { name: 'one', authority });
        const two = await credentials.create('tenant-a', { name: 'two', authority });
        const other = await credentials.create('tenant-b', { name: 'other', authority });
        expect((await credentials.list('tenant-a')).map((c) => c.name)).toEqual(['one', 'two']);
        expect((await credentials.list('tenant-b')).map((c) => c.id)).toEqual([other.credential.id]);
        expect(await credentials.revoke('tenant-b', one.credential.id)).toBe(false);
        expect(await credentials.verify(one.credential.key, one.secret)).not.toBeNull();
        expect(await credentials.revoke('tenant-a', one.credential.id)).toBe(true);
        expect(await credentials.revoke('tenant-a', one.credential.id)).toBe(false);
        expect(await credentials.verify(one.credential.key, one.secret)).toBeNull();
        expect(await credentials.verify(two.credential.key, two.secret)).not.toBeNull();
        const listed = await credentials.list('tenant-a');
        expect(listed.find((c) => c.id === one.credential.id)?.revokedAt).toBeInstanceOf(Date);
      });
    });
  });
}
