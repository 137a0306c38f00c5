import {
  type InsertExtras,
  malformedIndexKey,
  type NewStatement,
  type StatementIndex,
  type StatementQuery,
} from '@scormflow/lrs';
import { DB_ERROR_CODES, DbError } from '../errors.js';
import { assertNoNul } from '../shared.js';

/**
 * The kinds of rows of `lrs_statement_key`, one per filter of the statement query. On Postgres
 * `relatedAgent` and `relatedActivity` hold the wider sets (a superset of `agent` and `activity`),
 * so that each filter reads one range of the key index; SQLite leaves out of them what `agent` and
 * `activity` hold already (see {@link withoutRelatedRepeats}) and reads both ranges for a related
 * filter.
 */
export const LRS_KEY_KINDS = {
  agent: 1,
  relatedAgent: 2,
  activity: 3,
  relatedActivity: 4,
  verb: 5,
  registration: 6,
} as const;

/** One of `LRS_KEY_KINDS`. */
export type LrsKeyKind = (typeof LRS_KEY_KINDS)[keyof typeof LRS_KEY_KINDS];

/** A filter key of a statement: its kind and value. */
export interface StatementKey {
  kind: LrsKeyKind;
  key: string;
}

/** A string naming a key, for maps and sets. */
export function keyToken(key: StatementKey): string {
  return `${key.kind}\u0001${key.key}`;
}

/** The keys a statement is found by through its own index (before the StatementRef rule). */
export function ownKeys(index: StatementIndex): StatementKey[] {
  const keys: StatementKey[] = [];
  const add = (kind: LrsKeyKind, values: readonly string[]) => {
    for (const key of new Set(values)) keys.push({ kind, key });
  };
  add(LRS_KEY_KINDS.agent, index.agents);
  add(LRS_KEY_KINDS.relatedAgent, index.relatedAgents);
  add(LRS_KEY_KINDS.activity, index.activities);
  add(LRS_KEY_KINDS.relatedActivity, index.relatedActivities);
  keys.push({ kind: LRS_KEY_KINDS.verb, key: index.verb });
  if (index.registration !== null) keys.push({ kind: LRS_KEY_KINDS.registration, key: index.registration });
  return keys;
}

/**
 * Keys without the `relatedAgent` and `relatedActivity` keys that are also `agent` and `activity`
 * keys of the same list: a related filter then reads the two kinds together. Most statements'
 * related sets repeat their actor and object, keys spread over the whole index.
 */
export function withoutRelatedRepeats(keys: readonly StatementKey[]): StatementKey[] {
  const agents = new Set<string>();
  const activities = new Set<string>();
  for (const key of keys) {
    if (key.kind === LRS_KEY_KINDS.agent) agents.add(key.key);
    else if (key.kind === LRS_KEY_KINDS.activity) activities.add(key.key);
  }
  return keys.filter(
    (key) =>
      !(key.kind === LRS_KEY_KINDS.relatedAgent && agents.has(key.key)) &&
      !(key.kind === LRS_KEY_KINDS.relatedActivity && activities.has(key.key)),
  );
}

/** What the effective keys of a statement are made of: its index and the statement it targets. */
export interface ChainNode {
  readonly statementRef: string | null;
  readonly index: StatementIndex;
}

/**
 * The effective keys of a statement: the union of the own keys of the statement and of every
 * statement along its StatementRef chain that `lookup` knows (cycle-safe).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#filter-conditions-for-statementrefs
 */
export function effectiveKeys(
  start: ChainNode,
  lookup: (id: string) => ChainNode | undefined,
): StatementKey[] {
  // Most statements refer to none: their own keys are already distinct.
  if (start.statementRef === null) return ownKeys(start.index);
  const seen = new Set<string>();
  const out = new Map<string, StatementKey>();
  let node: ChainNode | undefined = start;
  while (node) {
    for (const key of ownKeys(node.index)) out.set(keyToken(key), key);
    const ref: string | null = node.statementRef;
    if (ref === null || seen.has(ref)) break;
    seen.add(ref);
    node = lookup(ref);
  }
  return [...out.values()];
}

/**
 * The ids along the StatementRef chains of a batch that are neither in the batch nor in `known`:
 * what a store must still read to compute the batch's effective keys.
 */
export function unknownTargets(
  batch: ReadonlyMap<string, ChainNode>,
  known: ReadonlyMap<string, ChainNode | null>,
): string[] {
  const missing = new Set<string>();
  for (const start of batch.values()) {
    const seen = new Set<string>();
    let node: ChainNode | null | undefined = start;
    while (node) {
      const ref: string | null = node.statementRef;
      if (ref === null || seen.has(ref)) break;
      seen.add(ref);
      node = batch.get(ref) ?? known.get(ref);
      if (node === undefined) missing.add(ref);
    }
  }
  return [...missing];
}

/** Ids that occur more than once in a batch. */
export function duplicateIds(statements: readonly NewStatement[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const statement of statements) {
    if (seen.has(statement.id)) twice.add(statement.id);
    seen.add(statement.id);
  }
  return [...twice];
}

/**
 * Several `insertStatements` calls as one: their statements, activity definitions and attachments
 * in call order (the stores write a group of one tenant's calls like this first).
 */
export function combinedInserts(
  calls: readonly {
    readonly statements: readonly NewStatement[];
    readonly extras: InsertExtras | undefined;
  }[],
): { statements: NewStatement[]; extras: InsertExtras } {
  return {
    statements: calls.flatMap((call) => call.statements),
    extras: {
      activities: calls.flatMap((call) => call.extras?.activities ?? []),
      attachments: calls.flatMap((call) => call.extras?.attachments ?? []),
    },
  };
}

/** Refuses an index holding a lone UTF-16 surrogate (see `malformedIndexKey`). */
export function assertWellFormedKeys(index: StatementIndex): void {
  const key = malformedIndexKey(index);
  if (key !== undefined) {
    throw new DbError(
      DB_ERROR_CODES.INVALID_INPUT,
      `statement key ${JSON.stringify(key)} holds a lone UTF-16 surrogate, which cannot be stored as text`,
    );
  }
}

/**
 * Refuses statements whose keys cannot be stored: U+0000, which Postgres cannot hold in text, and
 * lone surrogates, which no UTF-8 text can (see {@link assertWellFormedKeys}).
 */
export function assertStorable(statements: readonly NewStatement[]): void {
  for (const statement of statements) {
    assertNoNul(statement.id, 'statement id');
    assertNoNul(statement.index, 'statement index');
    assertWellFormedKeys(statement.index);
  }
}

/** Milliseconds of an ISO 8601 instant given to a store. */
export function instantMs(value: string, what: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new DbError(DB_ERROR_CODES.INVALID_INPUT, `${what} is not an ISO 8601 instant: "${value}"`);
  }
  return ms;
}

/** A position in the `(stored, seq)` order of a tenant's statements. */
export interface StatementPosition {
  storedMs: number;
  seq: number;
}

/** An opaque cursor: the position of the last record of a page. */
export function encodeStatementCursor(position: StatementPosition): string {
  return Buffer.from(`${position.storedMs}.${position.seq}`, 'utf8').toString('base64url');
}

export function decodeStatementCursor(cursor: string): StatementPosition {
  const match = /^(-?\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const storedMs = Number(match?.[1]);
  const seq = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(storedMs) || !Number.isSafeInteger(seq)) {
    throw new DbError(DB_ERROR_CODES.INVALID_CURSOR, 'invalid statement cursor');
  }
  return { storedMs, seq };
}

/**
 * The key filters of a query, most selective kind first (a registration usually names a few
 * statements, a verb very many): the first one drives the index walk, the others are checked
 * per candidate.
 */
export function queryKeys(query: StatementQuery): StatementKey[] {
  const keys: StatementKey[] = [];
  if (query.registration !== undefined) {
    keys.push({ kind: LRS_KEY_KINDS.registration, key: query.registration });
  }
  if (query.agent !== undefined) {
    keys.push({
      kind: query.relatedAgents === true ? LRS_KEY_KINDS.relatedAgent : LRS_KEY_KINDS.agent,
      key: query.agent,
    });
  }
  if (query.activity !== undefined) {
    keys.push({
      kind: query.relatedActivities === true ? LRS_KEY_KINDS.relatedActivity : LRS_KEY_KINDS.activity,
      key: query.activity,
    });
  }
  if (query.verb !== undefined) keys.push({ kind: LRS_KEY_KINDS.verb, key: query.verb });
  return keys;
}

/** Checks a query's page size. */
export function queryLimit(query: StatementQuery): number {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new DbError(DB_ERROR_CODES.INVALID_INPUT, `limit must be a positive integer, got ${query.limit}`);
  }
  return query.limit;
}

/**
 * Where a store's statement `stored` times come from: `given` (the default), the time the caller
 * gives; `transaction`, the later of it and a time taken inside the transaction that writes the
 * statement (Postgres: the transaction's start; SQLite: holding the database's write lock), so
 * that the store can tell across processes how far it is consistent
 * (`LrsStore.consistentThrough`).
 */
export type LrsStoredTime = 'given' | 'transaction';

/** How long an answer of `consistentThrough` is given again before the database is asked anew. */
export const CONSISTENT_THROUGH_REUSE_MS = 20;

/**
 * `LrsStore.consistentThrough` from `read`, which asks the database: callers share an answer on
 * its way, and one given less than {@link CONSISTENT_THROUGH_REUSE_MS} ago. An earlier answer still
 * holds for a query that starts after it (it only promises less), so this bounds the questions to
 * about 50 a second whatever the load, for a header up to that much older.
 */
export function sharedConsistentThrough(read: () => Promise<Date>): () => Promise<Date> {
  let reading: Promise<Date> | null = null;
  let last: { value: Date; at: number } | null = null;
  return () => {
    if (last && performance.now() - last.at < CONSISTENT_THROUGH_REUSE_MS) return Promise.resolve(last.value);
    reading ??= read()
      .then((value) => {
        last = { value, at: performance.now() };
        return value;
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  };
}
