import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import type {
  DocumentKey,
  DocumentParent,
  JsonObject,
  LrsScope,
  LrsStore,
  NewStatement,
  StatementIndex,
  StatementQuery,
  StatementRecord,
} from '../store.js';

/** What a conformance factory returns: a fresh, empty store and how to dispose of it. */
export interface LrsStoreFixture {
  store: LrsStore;
  close?: () => Promise<void>;
}

/** Options of {@link describeLrsStore}. */
export interface DescribeLrsStoreOptions {
  /** Titles of tests (`it`) to skip, with the reason next to the call. */
  skip?: readonly string[];
}

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
const A: LrsScope = { tenantId: 'tenant-a' };
const B: LrsScope = { tenantId: 'tenant-b' };

/** A lower-case UUID made from a small number, so that tests read well. */
export function testUuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** An ISO 8601 UTC instant with milliseconds, `n` seconds after a fixed origin. */
export function testInstant(seconds: number, ms = 0): string {
  return new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + seconds * 1000 + ms).toISOString();
}

interface Spec {
  id: number;
  stored?: string;
  verb?: string;
  actor?: string;
  object?: string;
  /** Keys only in `relatedAgents` (authority, instructor, team, substatement). */
  relatedAgents?: string[];
  activity?: string;
  /** Ids only in `relatedActivities` (context activities, substatement). */
  relatedActivities?: string[];
  registration?: string | null;
  ref?: number;
  voids?: number;
}

/**
 * Builds a {@link NewStatement} with its index from a short description. The statement body is a
 * plausible xAPI statement, but a store never reads it: only the index drives the filters.
 */
export function testStatement(spec: Spec): NewStatement {
  const id = testUuid(spec.id);
  const stored = spec.stored ?? testInstant(spec.id);
  const actor = spec.actor ?? 'Agent|mbox:mailto:actor@example.com';
  const verb =
    spec.voids !== undefined ? VOIDED : (spec.verb ?? 'http://adlnet.gov/expapi/verbs/experienced');
  const refId = spec.voids ?? spec.ref;
  const statementRef = refId === undefined ? null : testUuid(refId);
  const agents = [actor, ...(spec.object ? [spec.object] : [])];
  const activities = spec.activity ? [spec.activity] : [];
  const index: StatementIndex = {
    verb,
    registration: spec.registration ?? null,
    agents,
    relatedAgents: [...agents, ...(spec.relatedAgents ?? [])],
    activities,
    relatedActivities: [...activities, ...(spec.relatedActivities ?? [])],
    statementRef,
    voids: spec.voids === undefined ? null : testUuid(spec.voids),
  };
  const statement: JsonObject = {
    id,
    actor: { objectType: 'Agent', mbox: `mailto:${spec.id}@example.com` },
    verb: { id: verb },
    object:
      statementRef !== null
        ? { objectType: 'StatementRef', id: statementRef }
        : { objectType: 'Activity', id: spec.activity ?? 'http://example.com/activity' },
    stored,
    timestamp: stored,
    authority: { objectType: 'Agent', mbox: 'mailto:authority@example.com' },
    version: '1.0.0',
    ...(spec.registration ? { context: { registration: spec.registration } } : {}),
  };
  return { id, statement, stored, index };
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (content: Uint8Array): string => new TextDecoder().decode(content);
const sha256 = (content: Uint8Array): string => createHash('sha256').update(content).digest('hex');

function ids(records: readonly StatementRecord[]): string[] {
  return records.map((record) => record.id);
}

function nums(...values: number[]): string[] {
  return values.map(testUuid);
}

/**
 * The conformance suite of {@link LrsStore}: every implementation runs it (memory here, SQLite and
 * Postgres in `@scormflow/db`). `makeStore` must return a fresh, empty store for each test.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#21-statement-resource
 */
export function describeLrsStore(
  name: string,
  makeStore: () => Promise<LrsStoreFixture>,
  options: DescribeLrsStoreOptions = {},
): void {
  const skip = new Set(options.skip ?? []);
  const test = (title: string, body: (context: TestContext) => Promise<void>): void => {
    if (skip.has(title)) it.skip(title, body);
    else it(title, body);
  };

  describe(`LrsStore conformance: ${name}`, () => {
    let fixture: LrsStoreFixture;
    let store: LrsStore;
    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.close?.();
    });

    async function insert(scope: LrsScope, ...specs: Spec[]): Promise<void> {
      const result = await store.insertStatements(scope, specs.map(testStatement));
      expect(result).toEqual({ ok: true });
    }

    /** Every page of a query, following cursors. */
    async function all(
      scope: LrsScope,
      query: Omit<StatementQuery, 'limit'>,
      limit = 1000,
    ): Promise<string[]> {
      const found: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 1000; pages++) {
        const page = await store.queryStatements(scope, { ...query, limit, ...(cursor ? { cursor } : {}) });
        found.push(...ids(page.records));
        if (page.next === null) return found;
        cursor = page.next;
      }
      throw new Error('too many pages');
    }

    describe('insertStatements and getStatements', () => {
      test('stores a batch and returns each record as given', async () => {
        const first = testStatement({ id: 1, activity: 'http://example.com/a', registration: testUuid(900) });
        const second = testStatement({ id: 2 });
        expect(await store.insertStatements(A, [first, second])).toEqual({ ok: true });
        const records = await store.getStatements(A, [second.id, first.id]);
        const byId = new Map(records.map((record) => [record.id, record]));
        expect(byId.size).toBe(2);
        expect(byId.get(first.id)).toEqual({ ...first, voided: false });
        expect(byId.get(second.id)).toEqual({ ...second, voided: false });
      });

      test('an empty batch succeeds and stores nothing', async () => {
        expect(await store.insertStatements(A, [])).toEqual({ ok: true });
        expect((await store.queryStatements(A, { limit: 10 })).records).toEqual([]);
      });

      test('getStatements leaves unknown ids out', async () => {
        await insert(A, { id: 1 });
        expect(ids(await store.getStatements(A, [testUuid(1), testUuid(2)]))).toEqual(nums(1));
        expect(await store.getStatements(A, [])).toEqual([]);
      });

      test('a batch with an existing id stores nothing and names the conflict (all or nothing)', async () => {
        await insert(A, { id: 1 });
        const result = await store.insertStatements(A, [testStatement({ id: 2 }), testStatement({ id: 1 })]);
        expect(result).toEqual({ ok: false, reason: 'conflict', ids: nums(1) });
        expect(await store.getStatements(A, nums(2))).toEqual([]);
        expect(await all(A, {})).toEqual(nums(1));
      });

      test('a batch with the same id twice stores nothing', async () => {
        const result = await store.insertStatements(A, [
          testStatement({ id: 1 }),
          testStatement({ id: 2 }),
          testStatement({ id: 1, verb: 'http://example.com/other' }),
        ]);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.reason).toBe('conflict');
          expect(result.ids).toEqual(nums(1));
        }
        expect(await store.getStatements(A, nums(1, 2))).toEqual([]);
      });

      test('a conflict names every conflicting id', async () => {
        await insert(A, { id: 1 }, { id: 2 });
        const result = await store.insertStatements(
          A,
          [1, 2, 3].map((id) => testStatement({ id })),
        );
        expect(result.ok).toBe(false);
        if (!result.ok) expect([...result.ids].sort()).toEqual(nums(1, 2));
        expect(await store.getStatements(A, nums(3))).toEqual([]);
      });

      test('a record returned is a copy: changing it does not change the store', async () => {
        await insert(A, { id: 1 });
        const [record] = await store.getStatements(A, nums(1));
        (record!.statement as { verb: JsonObject }).verb.id = 'http://example.com/changed';
        const [again] = await store.getStatements(A, nums(1));
        expect((again!.statement.verb as JsonObject).id).toBe('http://adlnet.gov/expapi/verbs/experienced');
      });

      test('keeps non-ASCII text and nested values intact', async () => {
        const statement = testStatement({ id: 1 });
        const body: JsonObject = {
          ...statement.statement,
          result: {
            response: 'héllo wörld ✓ 日本語 🎉',
            score: { raw: 1.5, min: -2, max: 10 },
            success: false,
          },
          context: { extensions: { 'http://example.com/x': { list: [1, null, true, 'x'] } } },
        };
        await store.insertStatements(A, [{ ...statement, statement: body }]);
        const [record] = await store.getStatements(A, nums(1));
        expect(record!.statement).toEqual(body);
      });
    });

    describe('voiding', () => {
      test('a voiding statement stored after its target voids it', async () => {
        await insert(A, { id: 1 });
        await insert(A, { id: 2, voids: 1 });
        const records = new Map((await store.getStatements(A, nums(1, 2))).map((r) => [r.id, r.voided]));
        expect(records.get(testUuid(1))).toBe(true);
        expect(records.get(testUuid(2))).toBe(false);
        expect(await all(A, {})).toEqual(nums(2));
      });

      test('a voiding statement stored before its target voids it when the target arrives', async () => {
        await insert(A, { id: 2, voids: 1 });
        await insert(A, { id: 1 });
        const [target] = await store.getStatements(A, nums(1));
        expect(target!.voided).toBe(true);
        expect(await all(A, {})).toEqual(nums(2));
      });

      test('a voiding statement and its target in one batch', async () => {
        await insert(A, { id: 1 }, { id: 2, voids: 1 });
        expect((await store.getStatements(A, nums(1)))[0]!.voided).toBe(true);
        expect(await all(A, {})).toEqual(nums(2));
      });

      test('a voiding statement is never voided by another voiding statement', async () => {
        await insert(A, { id: 1 });
        await insert(A, { id: 2, voids: 1 });
        await insert(A, { id: 3, voids: 2 });
        const voided = new Map((await store.getStatements(A, nums(1, 2, 3))).map((r) => [r.id, r.voided]));
        expect(voided.get(testUuid(1))).toBe(true);
        expect(voided.get(testUuid(2))).toBe(false);
        expect(voided.get(testUuid(3))).toBe(false);
        expect(await all(A, { ascending: true })).toEqual(nums(2, 3));
      });

      test('a voiding statement stored before a voiding target does not void it', async () => {
        await insert(A, { id: 3, voids: 2 });
        await insert(A, { id: 2, voids: 1 });
        expect((await store.getStatements(A, nums(2)))[0]!.voided).toBe(false);
      });

      test('a plain StatementRef (not the voided verb) voids nothing', async () => {
        await insert(A, { id: 1 }, { id: 2, ref: 1 });
        expect((await store.getStatements(A, nums(1)))[0]!.voided).toBe(false);
        expect(await all(A, { ascending: true })).toEqual(nums(1, 2));
      });

      test('a voided statement is not returned by any query but is returned by getStatements', async () => {
        await insert(A, { id: 1, activity: 'http://example.com/a', registration: testUuid(900) });
        await insert(A, { id: 2, voids: 1 });
        // Only the voiding statement, which meets the filters through its StatementRef.
        expect(await all(A, { activity: 'http://example.com/a' })).toEqual(nums(2));
        expect(await all(A, { registration: testUuid(900) })).toEqual(nums(2));
        expect(await all(A, { verb: 'http://adlnet.gov/expapi/verbs/experienced' })).toEqual(nums(2));
        expect(ids(await store.getStatements(A, nums(1)))).toEqual(nums(1));
      });

      test('voiding stays within the tenant', async () => {
        await insert(A, { id: 1 });
        await insert(B, { id: 1 });
        await insert(B, { id: 2, voids: 1 });
        expect((await store.getStatements(A, nums(1)))[0]!.voided).toBe(false);
        expect((await store.getStatements(B, nums(1)))[0]!.voided).toBe(true);
      });
    });

    describe('queryStatements filters', () => {
      const alice = 'Agent|mbox:mailto:alice@example.com';
      const bob = 'Agent|mbox:mailto:bob@example.com';
      const team = 'Group|mbox:mailto:team@example.com';
      const teamAsAgent = 'Agent|mbox:mailto:team@example.com';
      const verbA = 'http://example.com/verbs/a';
      const verbB = 'http://example.com/verbs/b';
      const actA = 'http://example.com/activities/a';
      const actB = 'http://example.com/activities/b';
      const reg1 = testUuid(901);
      const reg2 = testUuid(902);

      beforeEach(async () => {
        await insert(
          A,
          { id: 1, actor: alice, verb: verbA, activity: actA, registration: reg1 },
          { id: 2, actor: bob, verb: verbB, activity: actB, registration: reg2 },
          { id: 3, actor: alice, verb: verbB, activity: actA, relatedActivities: [actB] },
          { id: 4, actor: bob, verb: verbA, object: alice, relatedAgents: [team] },
          { id: 5, actor: team, verb: verbA, activity: actB, registration: reg1, relatedAgents: [bob] },
          {
            id: 6,
            actor: bob,
            verb: verbB,
            activity: actA,
            relatedAgents: [alice],
            relatedActivities: [actB],
          },
        );
      });

      test('no filter returns everything, newest first', async () => {
        expect(await all(A, {})).toEqual(nums(6, 5, 4, 3, 2, 1));
      });

      test('agent matches the actor or the object', async () => {
        expect(await all(A, { agent: alice, ascending: true })).toEqual(nums(1, 3, 4));
        expect(await all(A, { agent: bob, ascending: true })).toEqual(nums(2, 4, 6));
      });

      test('agent compares the object type: a Group and an Agent with the same IFI differ', async () => {
        expect(await all(A, { agent: team })).toEqual(nums(5));
        expect(await all(A, { agent: teamAsAgent })).toEqual([]);
      });

      test('related_agents widens the agent filter to relatedAgents', async () => {
        expect(await all(A, { agent: alice, relatedAgents: true, ascending: true })).toEqual(
          nums(1, 3, 4, 6),
        );
        expect(await all(A, { agent: team, relatedAgents: true, ascending: true })).toEqual(nums(4, 5));
        expect(await all(A, { agent: bob, relatedAgents: false, ascending: true })).toEqual(nums(2, 4, 6));
      });

      test('verb', async () => {
        expect(await all(A, { verb: verbA, ascending: true })).toEqual(nums(1, 4, 5));
        expect(await all(A, { verb: 'http://example.com/verbs/none' })).toEqual([]);
      });

      test('activity matches the object activity only', async () => {
        expect(await all(A, { activity: actA, ascending: true })).toEqual(nums(1, 3, 6));
        expect(await all(A, { activity: actB, ascending: true })).toEqual(nums(2, 5));
      });

      test('related_activities widens the activity filter to relatedActivities', async () => {
        expect(await all(A, { activity: actB, relatedActivities: true, ascending: true })).toEqual(
          nums(2, 3, 5, 6),
        );
      });

      test('registration', async () => {
        expect(await all(A, { registration: reg1, ascending: true })).toEqual(nums(1, 5));
        expect(await all(A, { registration: reg2 })).toEqual(nums(2));
        expect(await all(A, { registration: testUuid(999) })).toEqual([]);
      });

      test('filters combine with AND', async () => {
        expect(await all(A, { agent: alice, verb: verbB })).toEqual(nums(3));
        expect(await all(A, { agent: bob, verb: verbB, activity: actA })).toEqual(nums(6));
        expect(await all(A, { verb: verbA, registration: reg1, ascending: true })).toEqual(nums(1, 5));
        expect(
          await all(A, { agent: alice, relatedAgents: true, activity: actB, relatedActivities: true }),
        ).toEqual(nums(6, 3));
        expect(await all(A, { agent: alice, activity: actB })).toEqual([]);
        expect(
          await all(A, {
            agent: alice,
            verb: verbA,
            activity: actA,
            registration: reg1,
            since: testInstant(0),
            until: testInstant(1),
          }),
        ).toEqual(nums(1));
      });

      test('since is exclusive and until inclusive', async () => {
        expect(await all(A, { since: testInstant(2), ascending: true })).toEqual(nums(3, 4, 5, 6));
        expect(await all(A, { until: testInstant(2), ascending: true })).toEqual(nums(1, 2));
        expect(await all(A, { since: testInstant(2), until: testInstant(4), ascending: true })).toEqual(
          nums(3, 4),
        );
        expect(await all(A, { since: testInstant(4), until: testInstant(4) })).toEqual([]);
        expect(await all(A, { since: testInstant(1, 999), until: testInstant(2) })).toEqual(nums(2));
      });

      test('since and until compare instants to the millisecond', async () => {
        await insert(A, { id: 7, stored: testInstant(10, 1) }, { id: 8, stored: testInstant(10, 2) });
        expect(await all(A, { since: testInstant(10, 1) })).toEqual(nums(8));
        expect(await all(A, { since: testInstant(10), until: testInstant(10, 1) })).toEqual(nums(7));
      });
    });

    describe('StatementRef rule', () => {
      const alice = 'Agent|mbox:mailto:alice@example.com';
      const bob = 'Agent|mbox:mailto:bob@example.com';
      const verbA = 'http://example.com/verbs/a';
      const verbRef = 'http://example.com/verbs/refers';
      const act = 'http://example.com/activities/a';
      const reg = testUuid(901);

      test('a statement targeting a matching statement matches agent, verb, activity and registration', async () => {
        await insert(
          A,
          { id: 1, actor: alice, verb: verbA, activity: act, registration: reg },
          { id: 2, actor: bob, verb: verbRef, ref: 1 },
        );
        expect(await all(A, { agent: alice })).toEqual(nums(2, 1));
        expect(await all(A, { verb: verbA })).toEqual(nums(2, 1));
        expect(await all(A, { activity: act })).toEqual(nums(2, 1));
        expect(await all(A, { registration: reg })).toEqual(nums(2, 1));
        expect(await all(A, { agent: bob })).toEqual(nums(2));
        expect(await all(A, { verb: verbRef })).toEqual(nums(2));
      });

      test('the rule also applies with related_agents and related_activities', async () => {
        await insert(
          A,
          { id: 1, actor: alice, activity: act, relatedAgents: [bob], relatedActivities: ['http://x.com/p'] },
          { id: 2, actor: alice, verb: verbRef, ref: 1 },
        );
        expect(await all(A, { agent: bob, relatedAgents: true })).toEqual(nums(2, 1));
        expect(await all(A, { agent: bob })).toEqual([]);
        expect(await all(A, { activity: 'http://x.com/p', relatedActivities: true })).toEqual(nums(2, 1));
      });

      test('each filter may be met by the statement itself or along its chain', async () => {
        await insert(A, { id: 1, actor: alice, verb: verbA }, { id: 2, actor: bob, verb: verbRef, ref: 1 });
        expect(await all(A, { agent: bob, verb: verbA })).toEqual(nums(2));
      });

      test('the rule is recursive along a chain', async () => {
        await insert(
          A,
          { id: 1, actor: alice, verb: verbA, activity: act },
          { id: 2, actor: bob, verb: verbRef, ref: 1 },
          { id: 3, actor: bob, verb: verbRef, ref: 2 },
        );
        expect(await all(A, { activity: act })).toEqual(nums(3, 2, 1));
        expect(await all(A, { verb: verbA })).toEqual(nums(3, 2, 1));
      });

      test('the target may be stored after the targeting statement', async () => {
        await insert(A, { id: 2, actor: bob, verb: verbRef, ref: 1 });
        expect(await all(A, { agent: alice })).toEqual([]);
        await insert(A, { id: 1, actor: alice, verb: verbA });
        expect(await all(A, { agent: alice, ascending: true })).toEqual(nums(1, 2));
      });

      test('a missing target matches nothing and a cycle terminates', async () => {
        await insert(
          A,
          { id: 1, actor: bob, verb: verbRef, ref: 2 },
          { id: 2, actor: bob, verb: verbRef, ref: 1 },
          { id: 3, actor: bob, verb: verbRef, ref: 3 },
          { id: 4, actor: bob, verb: verbRef, ref: 99 },
        );
        expect(await all(A, { agent: alice })).toEqual([]);
        expect(await all(A, { verb: verbA })).toEqual([]);
        expect(await all(A, { agent: bob, ascending: true })).toEqual(nums(1, 2, 3, 4));
      });

      test('a voiding statement matches the filters its voided target meets', async () => {
        await insert(A, { id: 1, actor: alice, verb: verbA, activity: act, registration: reg });
        await insert(A, { id: 2, actor: bob, voids: 1 });
        expect(await all(A, { verb: verbA })).toEqual(nums(2));
        expect(await all(A, { agent: alice })).toEqual(nums(2));
        expect(await all(A, { activity: act })).toEqual(nums(2));
        expect(await all(A, { registration: reg })).toEqual(nums(2));
      });

      test('since, until and the order apply to the targeting statement itself', async () => {
        await insert(A, { id: 1, actor: alice }, { id: 5, actor: bob, verb: verbRef, ref: 1 });
        expect(await all(A, { agent: alice, since: testInstant(2) })).toEqual(nums(5));
        expect(await all(A, { agent: alice, until: testInstant(2) })).toEqual(nums(1));
      });

      test('the rule never follows a reference into another tenant', async () => {
        await insert(B, { id: 1, actor: alice, verb: verbA });
        await insert(A, { id: 2, actor: bob, verb: verbRef, ref: 1 });
        expect(await all(A, { agent: alice })).toEqual([]);
        expect(await all(A, { verb: verbA })).toEqual([]);
      });
    });

    describe('order, limit and cursors', () => {
      test('orders by stored (not insertion), descending by default and ascending on request', async () => {
        await insert(A, { id: 3 }, { id: 1 });
        await insert(A, { id: 2 });
        expect(await all(A, {})).toEqual(nums(3, 2, 1));
        expect(await all(A, { ascending: true })).toEqual(nums(1, 2, 3));
      });

      test('ties on stored follow insertion order; descending is the exact reverse of ascending', async () => {
        const same = testInstant(5);
        await insert(A, { id: 9, stored: same }, { id: 7, stored: same });
        await insert(A, { id: 8, stored: same });
        expect(await all(A, { ascending: true })).toEqual(nums(9, 7, 8));
        expect(await all(A, { ascending: true }, 1)).toEqual(nums(9, 7, 8));
        expect(await all(A, {})).toEqual(nums(8, 7, 9));
        expect(await all(A, {}, 2)).toEqual(nums(8, 7, 9));
      });

      test('limit pages through every statement exactly once, in both directions', async () => {
        await insert(A, ...Array.from({ length: 23 }, (_, k) => ({ id: k + 1 })));
        const ascending = Array.from({ length: 23 }, (_, k) => testUuid(k + 1));
        for (const limit of [1, 4, 5, 23, 24]) {
          expect(await all(A, { ascending: true }, limit)).toEqual(ascending);
          expect(await all(A, {}, limit)).toEqual([...ascending].reverse());
        }
      });

      test('a page is at most limit long and next is null on the last page', async () => {
        await insert(A, { id: 1 }, { id: 2 }, { id: 3 });
        const first = await store.queryStatements(A, { limit: 2 });
        expect(ids(first.records)).toEqual(nums(3, 2));
        expect(first.next).not.toBeNull();
        const second = await store.queryStatements(A, { limit: 2, cursor: first.next! });
        expect(ids(second.records)).toEqual(nums(1));
        expect(second.next).toBeNull();
        const exact = await store.queryStatements(A, { limit: 3 });
        expect(exact.records).toHaveLength(3);
        expect(exact.next).toBeNull();
      });

      test('cursors skip filtered-out and voided statements', async () => {
        const verb = 'http://example.com/verbs/keep';
        await insert(
          A,
          ...Array.from({ length: 12 }, (_, k) => ({ id: k + 1, ...(k % 3 === 0 ? { verb } : {}) })),
        );
        await insert(A, { id: 50, voids: 4 });
        // 4 is voided; its voiding statement 50 meets the verb filter through its StatementRef.
        expect(await all(A, { verb, ascending: true }, 1)).toEqual(nums(1, 7, 10, 50));
        expect(await all(A, { verb }, 2)).toEqual(nums(50, 10, 7, 1));
        expect(await all(A, { verb: 'http://adlnet.gov/expapi/verbs/experienced' }, 3)).toEqual(
          nums(12, 11, 9, 8, 6, 5, 3, 2),
        );
      });

      test('a descending cursor keeps working while statements are added', async () => {
        await insert(A, ...Array.from({ length: 6 }, (_, k) => ({ id: k + 1 })));
        const first = await store.queryStatements(A, { limit: 3 });
        expect(ids(first.records)).toEqual(nums(6, 5, 4));
        await insert(A, { id: 7 }, { id: 8 });
        const second = await store.queryStatements(A, { limit: 3, cursor: first.next! });
        expect(ids(second.records)).toEqual(nums(3, 2, 1));
        expect(second.next).toBeNull();
      });

      test('an ascending cursor keeps working and reaches statements added meanwhile', async () => {
        await insert(A, ...Array.from({ length: 4 }, (_, k) => ({ id: k + 1 })));
        const first = await store.queryStatements(A, { limit: 2, ascending: true });
        expect(ids(first.records)).toEqual(nums(1, 2));
        await insert(A, { id: 5 });
        const rest: string[] = [];
        let cursor = first.next;
        while (cursor) {
          const page = await store.queryStatements(A, { limit: 2, ascending: true, cursor });
          rest.push(...ids(page.records));
          cursor = page.next;
        }
        expect(rest).toEqual(nums(3, 4, 5));
      });

      test('a cursor with since/until and filters', async () => {
        const verb = 'http://example.com/verbs/x';
        await insert(A, ...Array.from({ length: 10 }, (_, k) => ({ id: k + 1, verb })));
        expect(await all(A, { verb, since: testInstant(2), until: testInstant(8) }, 2)).toEqual(
          nums(8, 7, 6, 5, 4, 3),
        );
      });
    });

    describe('tenant isolation', () => {
      test('statements, queries and conflicts are per tenant', async () => {
        await insert(A, { id: 1, activity: 'http://example.com/a' });
        expect(await store.getStatements(B, nums(1))).toEqual([]);
        expect(await all(B, {})).toEqual([]);
        expect(await all(B, { activity: 'http://example.com/a' })).toEqual([]);
        // The same id in another tenant is not a conflict.
        await insert(B, { id: 1, verb: 'http://example.com/b' });
        expect(await all(A, { verb: 'http://example.com/b' })).toEqual([]);
        expect(await all(B, { verb: 'http://example.com/b' })).toEqual(nums(1));
      });

      test('attachments are per tenant', async () => {
        const content = bytes('secret');
        await store.putAttachments(A, [{ sha2: sha256(content), contentType: 'text/plain', content }]);
        expect(await store.getAttachments(B, [sha256(content)])).toEqual([]);
        expect(await store.getAttachments(A, [sha256(content)])).toHaveLength(1);
      });

      test('documents are per tenant for every method', async () => {
        const key: DocumentKey = {
          parent: { kind: 'activity-profile', activityId: 'http://x.com/a' },
          id: 'p',
        };
        const document = {
          contentType: 'text/plain',
          content: bytes('a'),
          etag: 'e1',
          updated: testInstant(1),
        };
        expect(await store.putDocument(A, key, document)).toEqual({ ok: true });
        expect(await store.getDocument(B, key)).toBeNull();
        expect(await store.listDocumentIds(B, key.parent)).toEqual([]);
        expect(await store.putDocument(B, key, document, { absent: true })).toEqual({ ok: true });
        await store.deleteDocument(B, key);
        expect(await store.getDocument(A, key)).not.toBeNull();
        await store.deleteDocuments(B, key.parent);
        expect(await store.listDocumentIds(A, key.parent)).toEqual(['p']);
      });

      test('activities are per tenant', async () => {
        await store.putActivities(A, [{ id: 'http://x.com/a', definition: { type: 'http://x.com/t' } }]);
        expect(await store.getActivity(B, 'http://x.com/a')).toBeNull();
      });
    });

    describe('attachments', () => {
      test('stores and returns attachments by sha2, leaving unknown ones out', async () => {
        const one = bytes('one');
        const two = new Uint8Array([0, 255, 1, 254, 10, 13]);
        await store.putAttachments(A, [
          { sha2: sha256(one), contentType: 'text/plain', content: one },
          { sha2: sha256(two), contentType: 'application/octet-stream', content: two },
        ]);
        const found = await store.getAttachments(A, [sha256(two), sha256(one), sha256(bytes('none'))]);
        const bySha = new Map(found.map((a) => [a.sha2, a]));
        expect(bySha.size).toBe(2);
        expect(text(bySha.get(sha256(one))!.content)).toBe('one');
        expect(bySha.get(sha256(one))!.contentType).toBe('text/plain');
        expect([...bySha.get(sha256(two))!.content]).toEqual([...two]);
        expect(bySha.get(sha256(two))!.contentType).toBe('application/octet-stream');
      });

      test('an attachment stored twice is kept once, as first stored', async () => {
        const content = bytes('same');
        await store.putAttachments(A, [{ sha2: sha256(content), contentType: 'text/plain', content }]);
        await store.putAttachments(A, [
          { sha2: sha256(content), contentType: 'text/x-other', content },
          { sha2: sha256(content), contentType: 'text/x-other', content },
        ]);
        const found = await store.getAttachments(A, [sha256(content), sha256(content)]);
        expect(found).toHaveLength(1);
        expect(found[0]!.contentType).toBe('text/plain');
      });

      test('an empty attachment and a large one', async () => {
        const empty = new Uint8Array(0);
        const large = new Uint8Array(3 * 1024 * 1024).map((_, k) => (k * 31) & 0xff);
        await store.putAttachments(A, [
          { sha2: sha256(empty), contentType: 'text/plain', content: empty },
          { sha2: sha256(large), contentType: 'application/octet-stream', content: large },
        ]);
        const [gotEmpty] = await store.getAttachments(A, [sha256(empty)]);
        expect(gotEmpty!.content.byteLength).toBe(0);
        const [gotLarge] = await store.getAttachments(A, [sha256(large)]);
        expect(sha256(gotLarge!.content)).toBe(sha256(large));
      });
    });

    describe('documents', () => {
      const agent = 'Agent|mbox:mailto:alice@example.com';
      const activityId = 'http://example.com/activities/a';
      const parents: Record<string, DocumentParent> = {
        state: { kind: 'state', activityId, agent, registration: null },
        'state with registration': { kind: 'state', activityId, agent, registration: testUuid(901) },
        'activity-profile': { kind: 'activity-profile', activityId },
        'agent-profile': { kind: 'agent-profile', agent },
      };
      const doc = (content: string, etag: string, seconds: number, ms = 0) => ({
        contentType: 'application/json',
        content: bytes(content),
        etag,
        updated: testInstant(seconds, ms),
      });

      for (const [label, parent] of Object.entries(parents)) {
        test(`${label}: put, get, replace, delete`, async () => {
          const key = { parent, id: 'doc-1' };
          expect(await store.getDocument(A, key)).toBeNull();
          expect(await store.putDocument(A, key, doc('{"a":1}', 'e1', 1))).toEqual({ ok: true });
          expect(await store.getDocument(A, key)).toEqual({
            id: 'doc-1',
            contentType: 'application/json',
            content: bytes('{"a":1}'),
            etag: 'e1',
            updated: testInstant(1),
          });
          await store.putDocument(A, key, { ...doc('plain ✓', 'e2', 2), contentType: 'text/plain' });
          const replaced = await store.getDocument(A, key);
          expect(text(replaced!.content)).toBe('plain ✓');
          expect(replaced!.contentType).toBe('text/plain');
          expect(replaced!.etag).toBe('e2');
          expect(replaced!.updated).toBe(testInstant(2));
          expect(await store.deleteDocument(A, key)).toEqual({ ok: true });
          expect(await store.getDocument(A, key)).toBeNull();
          expect(await store.deleteDocument(A, key)).toEqual({ ok: true });
        });

        test(`${label}: listDocumentIds sorted, with since exclusive`, async () => {
          await store.putDocument(A, { parent, id: 'b' }, doc('1', 'e', 1));
          await store.putDocument(A, { parent, id: 'a' }, doc('2', 'e', 2));
          await store.putDocument(A, { parent, id: 'c' }, doc('3', 'e', 3));
          expect(await store.listDocumentIds(A, parent)).toEqual(['a', 'b', 'c']);
          expect(await store.listDocumentIds(A, parent, testInstant(1))).toEqual(['a', 'c']);
          expect(await store.listDocumentIds(A, parent, testInstant(3))).toEqual([]);
          await store.putDocument(A, { parent, id: 'b' }, doc('4', 'e', 4));
          expect(await store.listDocumentIds(A, parent, testInstant(3))).toEqual(['b']);
        });

        test(`${label}: listDocuments (optional) gives the ids and the latest update among them`, async (context) => {
          const list = store.listDocuments?.bind(store);
          if (!list) return context.skip('this store has no listDocuments');
          expect(await list(A, parent)).toEqual({ ids: [], lastModified: null });
          await store.putDocument(A, { parent, id: 'b' }, doc('1', 'e', 3));
          await store.putDocument(A, { parent, id: 'a' }, doc('2', 'e', 1));
          await store.putDocument(A, { parent, id: 'c' }, doc('3', 'e', 2));
          expect(await list(A, parent)).toEqual({ ids: ['a', 'b', 'c'], lastModified: testInstant(3) });
          // Only the documents listed count: those updated after `since`.
          expect(await list(A, parent, testInstant(1))).toEqual({
            ids: ['b', 'c'],
            lastModified: testInstant(3),
          });
          await store.deleteDocument(A, { parent, id: 'b' });
          expect(await list(A, parent, testInstant(1))).toEqual({ ids: ['c'], lastModified: testInstant(2) });
          expect(await list(A, parent, testInstant(2))).toEqual({ ids: [], lastModified: null });
          await store.putDocument(A, { parent, id: 'a' }, doc('4', 'e', 5, 7));
          expect(await list(A, parent)).toEqual({ ids: ['a', 'c'], lastModified: testInstant(5, 7) });
          expect(await list(B, parent)).toEqual({ ids: [], lastModified: null });
        });

        test(`${label}: preconditions on put (etag and absent)`, async () => {
          const key = { parent, id: 'doc' };
          expect(await store.putDocument(A, key, doc('1', 'e1', 1), { etag: 'e1' })).toEqual({
            ok: false,
            reason: 'precondition-failed',
          });
          expect(await store.getDocument(A, key)).toBeNull();
          expect(await store.putDocument(A, key, doc('1', 'e1', 1), { absent: true })).toEqual({ ok: true });
          expect(await store.putDocument(A, key, doc('2', 'e2', 2), { absent: true })).toEqual({
            ok: false,
            reason: 'precondition-failed',
          });
          expect(await store.putDocument(A, key, doc('2', 'e2', 2), { etag: 'wrong' })).toEqual({
            ok: false,
            reason: 'precondition-failed',
          });
          expect(text((await store.getDocument(A, key))!.content)).toBe('1');
          expect(await store.putDocument(A, key, doc('2', 'e2', 2), { etag: 'e1' })).toEqual({ ok: true });
          expect(text((await store.getDocument(A, key))!.content)).toBe('2');
        });

        test(`${label}: preconditions on delete`, async () => {
          const key = { parent, id: 'doc' };
          await store.putDocument(A, key, doc('1', 'e1', 1));
          expect(await store.deleteDocument(A, key, { etag: 'e0' })).toEqual({
            ok: false,
            reason: 'precondition-failed',
          });
          expect(await store.deleteDocument(A, key, { absent: true })).toEqual({
            ok: false,
            reason: 'precondition-failed',
          });
          expect(await store.getDocument(A, key)).not.toBeNull();
          expect(await store.deleteDocument(A, key, { etag: 'e1' })).toEqual({ ok: true });
          expect(await store.getDocument(A, key)).toBeNull();
        });
      }

      test('documents of different parents and kinds never mix', async () => {
        for (const parent of Object.values(parents)) {
          await store.putDocument(A, { parent, id: 'same' }, doc(JSON.stringify(parent), 'e', 1));
        }
        const otherAgent = 'Agent|mbox:mailto:bob@example.com';
        const otherParents: DocumentParent[] = [
          { kind: 'state', activityId, agent: otherAgent, registration: null },
          { kind: 'state', activityId: 'http://example.com/other', agent, registration: null },
          { kind: 'state', activityId, agent, registration: testUuid(902) },
          { kind: 'activity-profile', activityId: 'http://example.com/other' },
          { kind: 'agent-profile', agent: otherAgent },
          { kind: 'agent-profile', agent: 'Group|mbox:mailto:alice@example.com' },
        ];
        for (const parent of otherParents) {
          expect(await store.getDocument(A, { parent, id: 'same' })).toBeNull();
          expect(await store.listDocumentIds(A, parent)).toEqual([]);
        }
        for (const parent of Object.values(parents)) {
          const found = await store.getDocument(A, { parent, id: 'same' });
          expect(text(found!.content)).toBe(JSON.stringify(parent));
        }
      });

      test('state: registration null and a registration are separate sets', async () => {
        const none = parents.state!;
        const withRegistration = parents['state with registration']!;
        await store.putDocument(A, { parent: none, id: 's1' }, doc('none', 'e', 1));
        await store.putDocument(A, { parent: withRegistration, id: 's2' }, doc('reg', 'e', 1));
        expect(await store.listDocumentIds(A, none)).toEqual(['s1']);
        expect(await store.listDocumentIds(A, withRegistration)).toEqual(['s2']);
        await store.deleteDocuments(A, withRegistration);
        expect(await store.listDocumentIds(A, withRegistration)).toEqual([]);
        expect(await store.listDocumentIds(A, none)).toEqual(['s1']);
      });

      test('deleteDocuments removes every document of the parent only', async () => {
        const parent = parents.state!;
        const other: DocumentParent = {
          kind: 'state',
          activityId: 'http://example.com/b',
          agent,
          registration: null,
        };
        for (const id of ['x', 'y', 'z']) await store.putDocument(A, { parent, id }, doc(id, 'e', 1));
        await store.putDocument(A, { parent: other, id: 'x' }, doc('kept', 'e', 1));
        await store.deleteDocuments(A, parent);
        expect(await store.listDocumentIds(A, parent)).toEqual([]);
        expect(await store.getDocument(A, { parent, id: 'y' })).toBeNull();
        expect(await store.listDocumentIds(A, other)).toEqual(['x']);
        await store.deleteDocuments(A, parent);
      });

      test('document ids and content keep any Unicode and binary bytes', async () => {
        const parent = parents['agent-profile']!;
        const id = 'profile/ü ✓ ?&=#';
        const content = new Uint8Array([0, 1, 2, 255, 128, 10]);
        await store.putDocument(A, { parent, id }, { ...doc('', 'e', 1), content, contentType: 'image/png' });
        const found = await store.getDocument(A, { parent, id });
        expect([...found!.content]).toEqual([...content]);
        expect(await store.listDocumentIds(A, parent)).toEqual([id]);
      });
    });

    describe('activities', () => {
      test('put, get and replace activity definitions', async () => {
        const id = 'http://example.com/activities/a';
        expect(await store.getActivity(A, id)).toBeNull();
        const definition: JsonObject = {
          name: { 'en-US': 'A', 'fr-FR': 'À' },
          type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
          interactionType: 'choice',
          choices: [{ id: 'x', description: { 'en-US': 'X' } }],
        };
        await store.putActivities(A, [
          { id, definition },
          { id: 'http://example.com/activities/b', definition: { type: 'http://x.com/t' } },
        ]);
        expect(await store.getActivity(A, id)).toEqual(definition);
        await store.putActivities(A, [{ id, definition: { name: { 'en-US': 'B' } } }]);
        expect(await store.getActivity(A, id)).toEqual({ name: { 'en-US': 'B' } });
        expect(await store.getActivity(A, 'http://example.com/activities/b')).toEqual({
          type: 'http://x.com/t',
        });
      });
    });

    describe('insertStatements with extras', () => {
      const activity = 'http://example.com/activities/merged';

      test('merges activity definitions in order, into the stored one, with the statements', async () => {
        await store.putActivities(A, [
          { id: activity, definition: { name: { 'en-US': 'Old', 'de-DE': 'Alt' }, type: 'http://x.com/t1' } },
        ]);
        const result = await store.insertStatements(A, [testStatement({ id: 1, activity })], {
          activities: [
            { id: activity, definition: { name: { 'en-US': 'New' }, description: { 'en-US': 'D' } } },
            { id: 'http://example.com/activities/other', definition: { type: 'http://x.com/t2' } },
            { id: activity, definition: { type: 'http://x.com/t3', extensions: { 'http://x.com/e': 1 } } },
          ],
        });
        expect(result).toEqual({ ok: true });
        expect(await store.getActivity(A, activity)).toEqual({
          name: { 'en-US': 'New', 'de-DE': 'Alt' },
          description: { 'en-US': 'D' },
          type: 'http://x.com/t3',
          extensions: { 'http://x.com/e': 1 },
        });
        expect(await store.getActivity(A, 'http://example.com/activities/other')).toEqual({
          type: 'http://x.com/t2',
        });
        expect(await store.getActivity(B, activity)).toBeNull();
        expect(ids(await store.getStatements(A, nums(1)))).toEqual(nums(1));
      });

      test('concurrent merges of one activity all land', async () => {
        const languages = ['en-US', 'fr-FR', 'de-DE', 'es-ES', 'it-IT', 'nl-NL', 'pt-PT', 'sv-SE'];
        const results = await Promise.all(
          languages.map((language, k) =>
            store.insertStatements(A, [testStatement({ id: 10 + k, activity })], {
              activities: [{ id: activity, definition: { name: { [language]: language } } }],
            }),
          ),
        );
        expect(results.every((r) => r.ok)).toBe(true);
        expect(await store.getActivity(A, activity)).toEqual({
          name: Object.fromEntries(languages.map((language) => [language, language])),
        });
      });

      test('concurrent inserts each get their own answer: one conflict fails alone', async () => {
        await insert(A, { id: 1 });
        // Calls made together (which a store may write as one batch): one repeats a stored id.
        const results = await Promise.all([
          store.insertStatements(A, [testStatement({ id: 20 })]),
          store.insertStatements(A, [testStatement({ id: 21 }), testStatement({ id: 1 })]),
          store.insertStatements(A, [testStatement({ id: 22 })]),
          store.insertStatements(A, [testStatement({ id: 23 })]),
          store.insertStatements(B, [testStatement({ id: 1 })]),
        ]);
        expect(results).toEqual([
          { ok: true },
          { ok: false, reason: 'conflict', ids: [testUuid(1)] },
          { ok: true },
          { ok: true },
          { ok: true },
        ]);
        expect(ids(await store.getStatements(A, nums(1, 20, 21, 22, 23))).sort()).toEqual(
          nums(1, 20, 22, 23).sort(),
        );
        // Two calls made together with one id: exactly one stores it.
        const twice = await Promise.all([
          store.insertStatements(A, [testStatement({ id: 30 })]),
          store.insertStatements(A, [testStatement({ id: 31 })]),
          store.insertStatements(A, [testStatement({ id: 31 })]),
        ]);
        expect(twice[0]).toEqual({ ok: true });
        expect([twice[1]!.ok, twice[2]!.ok].sort()).toEqual([false, true]);
        expect(ids(await store.getStatements(A, nums(30, 31))).sort()).toEqual(nums(30, 31).sort());
      });

      test('stores attachments with the statements', async () => {
        const content = bytes('with the insert');
        const result = await store.insertStatements(A, [testStatement({ id: 1 })], {
          attachments: [{ sha2: sha256(content), contentType: 'text/plain', content }],
        });
        expect(result).toEqual({ ok: true });
        const [found] = await store.getAttachments(A, [sha256(content)]);
        expect(text(found!.content)).toBe('with the insert');
        expect(await store.getAttachments(B, [sha256(content)])).toEqual([]);
      });

      test('with no statements, the extras alone are written', async () => {
        const content = bytes('alone');
        const result = await store.insertStatements(A, [], {
          activities: [{ id: activity, definition: { type: 'http://x.com/t' } }],
          attachments: [{ sha2: sha256(content), contentType: 'text/plain', content }],
        });
        expect(result).toEqual({ ok: true });
        expect(await store.getActivity(A, activity)).toEqual({ type: 'http://x.com/t' });
        expect(await store.getAttachments(A, [sha256(content)])).toHaveLength(1);
      });

      test('a conflict leaves nothing behind: no statement, attachment or activity change', async () => {
        await insert(A, { id: 1 });
        await store.putActivities(A, [{ id: activity, definition: { type: 'http://x.com/kept' } }]);
        const content = bytes('not stored');
        const result = await store.insertStatements(A, [testStatement({ id: 2 }), testStatement({ id: 1 })], {
          activities: [
            { id: activity, definition: { type: 'http://x.com/changed' } },
            { id: 'http://example.com/activities/new', definition: { type: 'http://x.com/t' } },
          ],
          attachments: [{ sha2: sha256(content), contentType: 'text/plain', content }],
        });
        expect(result).toEqual({ ok: false, reason: 'conflict', ids: nums(1) });
        expect(ids(await store.getStatements(A, nums(1, 2)))).toEqual(nums(1));
        expect(await store.getAttachments(A, [sha256(content)])).toEqual([]);
        expect(await store.getActivity(A, activity)).toEqual({ type: 'http://x.com/kept' });
        expect(await store.getActivity(A, 'http://example.com/activities/new')).toBeNull();
      });

      test('a statement that exists in another tenant is no conflict, and extras stay in their tenant', async () => {
        await insert(B, { id: 1 });
        const result = await store.insertStatements(A, [testStatement({ id: 1 })], {
          activities: [{ id: activity, definition: { type: 'http://x.com/a' } }],
        });
        expect(result).toEqual({ ok: true });
        expect(await store.getActivity(A, activity)).toEqual({ type: 'http://x.com/a' });
        expect(await store.getActivity(B, activity)).toBeNull();
      });
    });
  });
}
