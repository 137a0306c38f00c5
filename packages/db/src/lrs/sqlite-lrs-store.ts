import type {
  DocumentKey,
  DocumentParent,
  DocumentPrecondition,
  DocumentWriteResult,
  InsertExtras,
  InsertResult,
  JsonObject,
  LrsScope,
  LrsStore,
  NewStatement,
  StatementIndex,
  StatementPage,
  StatementQuery,
  StatementRecord,
  StoredAttachment,
  StoredDocument,
} from '@scormflow/lrs';
import { documentList } from '@scormflow/lrs';
import { type ActivityDefinition, mergeActivityDefinition } from '@scormflow/xapi';
import type BetterSqlite3 from 'better-sqlite3';
import { DB_ERROR_CODES, DbError } from '../errors.js';
import { assertNoNul, jsonHasNul } from '../shared.js';
import { sqliteWriteQueue } from '../sqlite/write-queue.js';
import { documentParentColumns } from './documents.js';
import {
  assertWellFormedKeys,
  type ChainNode,
  combinedInserts,
  decodeStatementCursor,
  duplicateIds,
  effectiveKeys,
  encodeStatementCursor,
  instantMs,
  LRS_KEY_KINDS,
  type LrsKeyKind,
  type LrsStoredTime,
  queryKeys,
  queryLimit,
  type StatementKey,
  sharedConsistentThrough,
  unknownTargets,
  withoutRelatedRepeats,
} from './keys.js';
import { isoInstant, statementRecord } from './statement-record.js';

interface StatementRow {
  seq: number;
  id: string;
  stored: number;
  statement: string;
  own_keys: string;
  voided: number;
}

/** A {@link StatementRow} as an array, in its column order. */
type RawStatementRow = [
  seq: number,
  id: string,
  stored: number,
  statement: string,
  own_keys: string,
  voided: number,
];

/** A statement still to index, as an array in its column order. */
type RawUnindexedRow = [
  seq: number,
  tenant_id: string,
  id: string,
  stored: number,
  statement_ref: string | null,
  own_keys: string,
];

/** A statement still to index. */
interface UnindexedStatement {
  seq: number;
  id: string;
  stored: number;
  node: ChainNode;
}

interface ReferrerRow {
  id: string;
  statement_ref: string;
  voids: string | null;
}

/** Key rows per multi-row INSERT (3 parameters each, well under SQLite's 32766). */
const KEY_CHUNK = 300;
/** Statement rows per multi-row INSERT (10 parameters each). */
const STATEMENT_CHUNK = 50;

function toRecord(row: StatementRow): StatementRecord {
  return statementRecord(row.id, row.statement, isoInstant(row.stored), row.own_keys, row.voided === 1);
}

const bytesOf = (content: Uint8Array): Buffer =>
  Buffer.from(content.buffer, content.byteOffset, content.byteLength);
const copyOf = (content: Buffer): Uint8Array => new Uint8Array(content);

/**
 * The statements of one SQLite database, prepared once. Inserts run in one immediate transaction
 * per batch (better-sqlite3 transactions are synchronous, so nothing interleaves with them) with
 * multi-row INSERTs; queries walk the `lrs_statement_key` primary key in `(stored, seq)` order.
 */
function prepare(client: BetterSqlite3.Database) {
  const list = 'select value from json_each(?)';
  const multiRow = (head: string, row: string, n: number) =>
    client.prepare(`${head} values ${Array.from({ length: n }, () => row).join(', ')}`);
  const statementInserts = new Map<number, BetterSqlite3.Statement>();
  const keyInserts = new Map<number, BetterSqlite3.Statement>();
  const queries = new Map<string, BetterSqlite3.Statement>();
  return {
    existing: client.prepare(`select id from lrs_statement where tenant_id = ? and id in (${list})`).pluck(),
    referrers: client.prepare<[string, string], ReferrerRow>(
      `select id, statement_ref, voids from lrs_statement
       where tenant_id = ? and statement_ref in (${list})`,
    ),
    nodes: client.prepare<[string, string], { id: string; statement_ref: string | null; own_keys: string }>(
      `select id, statement_ref, own_keys from lrs_statement where tenant_id = ? and id in (${list})`,
    ),
    voidTargets: client.prepare(
      `update lrs_statement set voided = 1
       where tenant_id = ? and id in (${list}) and voids is null and voided = 0`,
    ),
    // Numbers are never given twice (deleting a tenant can remove the highest ones): a number at
    // or under the key index's mark, or inside a pass being written, would never be indexed.
    nextSeq: client
      .prepare(
        `select max(coalesce((select max(seq) from lrs_statement), 0),
                    coalesce((select max(indexed_seq, last_seq) from lrs_key_index where id = 1), 0)) + 1`,
      )
      .pluck(),
    setLastSeq: client.prepare(
      `insert into lrs_key_index (id, indexed_seq, last_seq) values (1, 0, ?)
       on conflict (id) do update set last_seq = max(last_seq, excluded.last_seq)`,
    ),
    maxSeq: client.prepare('select coalesce(max(seq), 0) from lrs_statement').pluck(),
    indexedSeq: client
      .prepare('select coalesce(max(indexed_seq), 0) from lrs_key_index where id = 1')
      .pluck(),
    // Never backwards: another connection may have indexed further meanwhile.
    setIndexedSeq: client.prepare(
      `insert into lrs_key_index (id, indexed_seq) values (1, ?)
       on conflict (id) do update set indexed_seq = max(indexed_seq, excluded.indexed_seq)`,
    ),
    /** The statements after a position of the key index, in `seq` order. */
    unindexed: client
      .prepare<[number, number], RawUnindexedRow>(
        `select seq, tenant_id, id, stored, statement_ref, own_keys from lrs_statement
         where seq > ? order by seq limit ?`,
      )
      .raw(true),
    insertStatements(n: number) {
      let statement = statementInserts.get(n);
      if (!statement) {
        statement = multiRow(
          `insert into lrs_statement (seq, tenant_id, id, stored, statement, verb, registration,
           voided, voids, statement_ref, own_keys)`,
          '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          n,
        );
        statementInserts.set(n, statement);
      }
      return statement;
    },
    keyId: client.prepare('select id from lrs_key where tenant_id = ? and kind = ? and key = ?').pluck(),
    /** The known ones of a JSON array of `[kind, key]` pairs, in one call. */
    keyIds: client.prepare<[string, string], { id: number; kind: number; key: string }>(
      // CROSS JOIN keeps json_each outside: one index lookup per pair, not a scan of the tenant's keys.
      `select k.id, k.kind, k.key from json_each(?) j
       cross join lrs_key k on k.tenant_id = ? and k.kind = j.value ->> 0 and k.key = j.value ->> 1`,
    ),
    /** Numbers those of a JSON array of distinct `[kind, key]` pairs not known yet, in one call. */
    newKeys: client.prepare<[string, string], { id: number; kind: number; key: string }>(
      `insert into lrs_key (tenant_id, kind, key)
       select ?, j.value ->> 0, j.value ->> 1 from json_each(?) j where true
       on conflict (tenant_id, kind, key) do nothing
       returning id, kind, key`,
    ),
    insertKeys(n: number) {
      let statement = keyInserts.get(n);
      if (!statement) {
        statement = multiRow('insert or ignore into lrs_statement_key (key_id, stored, seq)', '(?, ?, ?)', n);
        keyInserts.set(n, statement);
      }
      return statement;
    },
    /** Every statement whose StatementRef chain reaches the given one, itself excluded. */
    transitiveReferrers: client.prepare<[{ tenantId: string; id: string }], { seq: number; stored: number }>(
      `with recursive r(id, seq, stored) as (
         select id, seq, stored from lrs_statement where tenant_id = @tenantId and statement_ref = @id
         union
         select s.id, s.seq, s.stored from r cross join lrs_statement s
           on s.tenant_id = @tenantId and s.statement_ref = r.id
       )
       select seq, stored from r where id <> @id`,
    ),
    getStatements: client.prepare<[string, string], StatementRow>(
      `select seq, id, stored, statement, own_keys, voided from lrs_statement
       where tenant_id = ? and id in (${list})`,
    ),
    query(sql: string) {
      let statement = queries.get(sql);
      if (!statement) {
        statement = client.prepare(sql);
        queries.set(sql, statement);
      }
      return statement;
    },
    putAttachment: client.prepare(
      `insert into lrs_attachment (tenant_id, sha2, content_type, content) values (?, ?, ?, ?)
       on conflict do nothing`,
    ),
    getAttachments: client.prepare<[string, string], { sha2: string; content_type: string; content: Buffer }>(
      `select sha2, content_type, content from lrs_attachment where tenant_id = ? and sha2 in (${list})`,
    ),
    getDocument: client.prepare<
      [string, string, string, string, string, string],
      { content_type: string; content: Buffer; etag: string; updated: number }
    >(
      `select content_type, content, etag, updated from lrs_document
       where tenant_id = ? and kind = ? and activity_id = ? and agent = ? and registration = ? and doc_id = ?`,
    ),
    listDocuments: client.prepare<
      [string, string, string, string, string, number],
      { doc_id: string; updated: number }
    >(
      `select doc_id, updated from lrs_document
       where tenant_id = ? and kind = ? and activity_id = ? and agent = ? and registration = ?
         and updated > ?`,
    ),
    putDocument: client.prepare(
      `insert into lrs_document (tenant_id, kind, activity_id, agent, registration, doc_id,
         content_type, content, etag, updated)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (tenant_id, kind, activity_id, agent, registration, doc_id) do update set
         content_type = excluded.content_type, content = excluded.content, etag = excluded.etag,
         updated = excluded.updated`,
    ),
    documentEtag: client
      .prepare(
        `select etag from lrs_document
         where tenant_id = ? and kind = ? and activity_id = ? and agent = ? and registration = ? and doc_id = ?`,
      )
      .pluck(),
    deleteDocument: client.prepare(
      `delete from lrs_document
       where tenant_id = ? and kind = ? and activity_id = ? and agent = ? and registration = ? and doc_id = ?`,
    ),
    deleteDocuments: client.prepare(
      `delete from lrs_document
       where tenant_id = ? and kind = ? and activity_id = ? and agent = ? and registration = ?`,
    ),
    getActivity: client.prepare('select definition from lrs_activity where tenant_id = ? and id = ?').pluck(),
    getActivities: client.prepare<[string, string], { id: string; definition: string }>(
      `select id, definition from lrs_activity where tenant_id = ? and id in (${list})`,
    ),
    putActivity: client.prepare(
      `insert into lrs_activity (tenant_id, id, definition) values (?, ?, ?)
       on conflict (tenant_id, id) do update set definition = excluded.definition`,
    ),
  };
}

type Prepared = ReturnType<typeof prepare>;

/** Inserts rows `n` at a time through the multi-row statements of `make`. */
function insertChunked(
  make: (n: number) => BetterSqlite3.Statement,
  chunk: number,
  rows: number,
  values: unknown[],
): void {
  const width = values.length / rows;
  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    make(n).run(values.slice(start * width, (start + n) * width));
  }
}

/**
 * Key ids of one connection by tenant, then kind, then key. Only ids read or made by an indexing
 * pass whose preparation committed are added (`remember`), so a rolled-back pass leaves none
 * behind; ids are never reused (AUTOINCREMENT), and a tenant's deletion cascades its keys away,
 * which a later slice detects as a foreign key failure (`runPass` then drops the cache and
 * prepares the pass again).
 */
type KeyCache = Map<string, Map<LrsKeyKind, Map<string, number>>>;

/** Cached key ids of a store, beyond which the cache starts afresh. */
const KEY_CACHE_LIMIT = 250_000;

/** The map under `key` of a map of maps, made if absent. */
function entry<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key);
  if (!inner) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

/** Key ids a transaction read or made, to cache once it has committed. */
export type LearnedKeys = { kind: LrsKeyKind; key: string; id: number }[];

/**
 * The key ids of each statement of a batch, in order: from the cache, else from the table, else
 * made (inside the write transaction). Ids taken from the table are pushed to `learned`.
 */
function keyIdsOf(
  p: Prepared,
  tenantCache: Map<LrsKeyKind, Map<string, number>> | undefined,
  tenantId: string,
  keysOf: readonly StatementKey[][],
  learned: LearnedKeys,
): number[][] {
  // Per kind: key -> id, or -1 while not yet known.
  const found = new Map<LrsKeyKind, Map<string, number>>();
  const pending: StatementKey[] = [];
  const idsOf = keysOf.map((keys) =>
    keys.map((key) => {
      const id = tenantCache?.get(key.kind)?.get(key.key);
      if (id !== undefined) return id;
      const ofKind = entry(found, key.kind);
      if (!ofKind.has(key.key)) {
        ofKind.set(key.key, -1);
        pending.push(key);
      }
      return -1;
    }),
  );
  if (pending.length === 0) return idsOf;
  const remember = (rows: { id: number; kind: number; key: string }[]) => {
    for (const row of rows) {
      found.get(row.kind as LrsKeyKind)!.set(row.key, row.id);
      learned.push({ kind: row.kind as LrsKeyKind, key: row.key, id: row.id });
    }
  };
  const pairs = (list: readonly StatementKey[]) => JSON.stringify(list.map((k) => [k.kind, k.key]));
  // Keys missing from the cache are mostly new ones: make them first, then read the others.
  remember(p.newKeys.all(tenantId, pairs(pending)));
  const known = pending.filter((key) => found.get(key.kind)!.get(key.key) === -1);
  if (known.length > 0) remember(p.keyIds.all(pairs(known), tenantId));
  for (const [k, ids] of idsOf.entries()) {
    const keys = keysOf[k]!;
    for (const [j, id] of ids.entries()) {
      if (id !== -1) continue;
      const made = found.get(keys[j]!.kind)!.get(keys[j]!.key)!;
      // A key SQLite stored as another string (what `assertWellFormedKeys` refuses at insert).
      if (made === -1) throw new Error(`the key ${JSON.stringify(keys[j]!.key)} has no id after it was made`);
      ids[j] = made;
    }
  }
  return idsOf;
}

/**
 * Stores a batch of statements (their rows, and the voided flags they settle), not yet their key
 * rows: those are written later by an indexing pass (`keyRowsOf`), from the stored rows, in `seq` order.
 */
function insertBatch(
  p: Prepared,
  tenantId: string,
  statements: readonly NewStatement[],
  storedTime: LrsStoredTime,
): InsertResult {
  const twice = duplicateIds(statements);
  if (twice.length > 0) return { ok: false, reason: 'conflict', ids: twice };
  const ids = JSON.stringify(statements.map((s) => s.id));
  const existing = p.existing.all(tenantId, ids) as string[];
  if (existing.length > 0) return { ok: false, reason: 'conflict', ids: existing };

  // Voiding statements stored before their target, and those of the batch.
  const inBatch = new Set(statements.map((s) => s.id));
  const voidTargets = new Set<string>();
  for (const row of p.referrers.all(tenantId, ids)) {
    if (row.voids !== null) voidTargets.add(row.voids);
  }
  const storedVoidTargets: string[] = [];
  for (const s of statements) {
    const target = s.index.voids;
    if (target === null) continue;
    voidTargets.add(target);
    if (!inBatch.has(target)) storedVoidTargets.push(target);
  }
  if (storedVoidTargets.length > 0) p.voidTargets.run(tenantId, JSON.stringify(storedVoidTargets));

  let seq = p.nextSeq.get() as number;
  // Inside the write transaction, which holds the database's write lock (see `consistentThrough`).
  const startMs = storedTime === 'transaction' ? Date.now() : 0;
  const statementValues: unknown[] = [];
  for (const s of statements) {
    const voided = s.index.voids === null && voidTargets.has(s.id) ? 1 : 0;
    const indexJson = JSON.stringify(s.index);
    // What `assertStorable` checks, on the text written anyway (its savepoint then rolls back):
    // JSON text escapes every U+0000 and every lone surrogate.
    if (jsonHasNul(indexJson, s.index)) {
      throw new DbError(
        DB_ERROR_CODES.INVALID_INPUT,
        'statement index contains U+0000, which cannot be stored',
      );
    }
    if (/\\ud[89a-f]/.test(indexJson)) assertWellFormedKeys(s.index);
    const given = instantMs(s.stored, 'stored');
    const storedMs = Math.max(given, startMs);
    statementValues.push(
      seq++,
      tenantId,
      s.id,
      storedMs,
      JSON.stringify(storedMs === given ? s.statement : { ...s.statement, stored: isoInstant(storedMs) }),
      s.index.verb,
      s.index.registration,
      voided,
      s.index.voids,
      s.index.statementRef,
      indexJson,
    );
  }
  insertChunked((n) => p.insertStatements(n), STATEMENT_CHUNK, statements.length, statementValues);
  p.setLastSeq.run(seq - 1);
  return { ok: true };
}

/**
 * The key rows of stored statements of one tenant, given in `seq` order, as flat
 * `(key id, stored, seq)` triples: each statement gets its effective keys (its own and those along
 * its StatementRef chain, batch and stored statements alike), and a statement that statements
 * outside the batch refer to lends its keys to every statement whose chain reaches it. Indexing
 * statements in several batches, in order, gives the same rows as in one (they are inserted or
 * ignored). Key ids not known yet are made (inside the caller's write transaction).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#filter-conditions-for-statementrefs
 */
function keyRowsOf(
  p: Prepared,
  tenantCache: Map<LrsKeyKind, Map<string, number>> | undefined,
  tenantId: string,
  statements: readonly UnindexedStatement[],
  learned: LearnedKeys,
): number[] {
  const batch = new Map<string, ChainNode>(statements.map((s) => [s.id, s.node]));
  const known = new Map<string, ChainNode | null>();
  for (
    let missing = unknownTargets(batch, known);
    missing.length > 0;
    missing = unknownTargets(batch, known)
  ) {
    for (const id of missing) known.set(id, null);
    for (const row of p.nodes.all(tenantId, JSON.stringify(missing))) {
      known.set(row.id, {
        statementRef: row.statement_ref,
        index: JSON.parse(row.own_keys) as StatementIndex,
      });
    }
  }
  const lookup = (id: string) => batch.get(id) ?? known.get(id) ?? undefined;

  // Targets with referrers outside the batch: a referrer inside it takes the target's keys
  // through its own chain.
  const referred = new Set<string>();
  for (const row of p.referrers.all(tenantId, JSON.stringify([...batch.keys()]))) {
    if (!batch.has(row.id)) referred.add(row.statement_ref);
  }

  const keysOf = statements.map((s) => withoutRelatedRepeats(effectiveKeys(s.node, lookup)));
  const keyIdLists = keyIdsOf(p, tenantCache, tenantId, keysOf, learned);
  const keyRows: number[] = [];
  for (const [k, s] of statements.entries()) {
    const ids = keyIdLists[k]!;
    for (const id of ids) keyRows.push(id, s.stored, s.seq);
    if (!referred.has(s.id)) continue;
    // A target arriving after its referrers lends its keys to every statement whose chain reaches it.
    for (const referrer of p.transitiveReferrers.all({ tenantId, id: s.id })) {
      for (const id of ids) keyRows.push(id, referrer.stored, referrer.seq);
    }
  }
  return keyRows;
}

/** Flat `(key id, stored, seq)` triples sorted in index order. */
function sortKeyRows(keyRows: readonly number[]): number[] {
  const order = Uint32Array.from({ length: keyRows.length / 3 }, (_, r) => r * 3).sort(
    (x, y) =>
      keyRows[x]! - keyRows[y]! || keyRows[x + 1]! - keyRows[y + 1]! || keyRows[x + 2]! - keyRows[y + 2]!,
  );
  const sorted = new Array<number>(keyRows.length);
  for (const [r, at] of order.entries()) {
    sorted[r * 3] = keyRows[at]!;
    sorted[r * 3 + 1] = keyRows[at + 1]!;
    sorted[r * 3 + 2] = keyRows[at + 2]!;
  }
  return sorted;
}

/** The key kinds a filter of one kind reads on SQLite: a related filter reads its plain kind too. */
const READS: Record<LrsKeyKind, readonly LrsKeyKind[]> = {
  [LRS_KEY_KINDS.agent]: [LRS_KEY_KINDS.agent],
  [LRS_KEY_KINDS.relatedAgent]: [LRS_KEY_KINDS.agent, LRS_KEY_KINDS.relatedAgent],
  [LRS_KEY_KINDS.activity]: [LRS_KEY_KINDS.activity],
  [LRS_KEY_KINDS.relatedActivity]: [LRS_KEY_KINDS.activity, LRS_KEY_KINDS.relatedActivity],
  [LRS_KEY_KINDS.verb]: [LRS_KEY_KINDS.verb],
  [LRS_KEY_KINDS.registration]: [LRS_KEY_KINDS.registration],
};

function queryPage(p: Prepared, tenantId: string, query: StatementQuery): StatementPage {
  const limit = queryLimit(query);
  const ascending = query.ascending === true;
  const after = query.cursor === undefined ? null : decodeStatementCursor(query.cursor);
  // Per filter, the key ids it reads (one, or two for a related filter).
  const filters: number[][] = [];
  for (const key of queryKeys(query)) {
    const ids: number[] = [];
    for (const kind of READS[key.kind]) {
      const id = p.keyId.get(tenantId, kind, key.key) as number | undefined;
      if (id !== undefined) ids.push(id);
    }
    // A key no statement of the tenant has: nothing matches.
    if (ids.length === 0) return { records: [], next: null };
    filters.push(ids);
  }
  const direction = ascending ? 'asc' : 'desc';
  const [driver, ...others] = filters;
  /** The conditions on position, voiding and the other filters, on `t` (`k` or `s`). */
  const conditions = (t: string, where: string[], params: unknown[]) => {
    if (query.since !== undefined) {
      where.push(`${t}.stored > ?`);
      params.push(instantMs(query.since, 'since'));
    }
    if (query.until !== undefined) {
      where.push(`${t}.stored <= ?`);
      params.push(instantMs(query.until, 'until'));
    }
    if (after) {
      where.push(`(${t}.stored, ${t}.seq) ${ascending ? '>' : '<'} (?, ?)`);
      params.push(after.storedMs, after.seq);
    }
    where.push('s.voided = 0');
    for (const ids of others) {
      where.push(
        `exists (select 1 from lrs_statement_key k2 where k2.key_id in (${ids.map(() => '?').join(', ')})
         and k2.stored = k.stored and k2.seq = k.seq)`,
      );
      params.push(...ids);
    }
  };
  const columns = 's.seq, s.id, s.stored, s.statement, s.own_keys, s.voided';
  const params: unknown[] = [];
  let sql: string;
  if (driver === undefined) {
    const where = ['s.tenant_id = ?'];
    params.push(tenantId);
    conditions('s', where, params);
    sql = `select ${columns} from lrs_statement s where ${where.join(' and ')}
      order by s.stored ${direction}, s.seq ${direction} limit ?`;
  } else {
    // A key id belongs to one tenant, and so do the statements it names. Each key id's range is
    // walked in order; two are merged (UNION: a statement may be in both).
    const walk = (keyId: number) => {
      const where = ['k.key_id = ?', 's.seq = k.seq'];
      params.push(keyId);
      conditions('k', where, params);
      return `from lrs_statement_key k cross join lrs_statement s where ${where.join(' and ')}`;
    };
    sql =
      driver.length === 1
        ? `select ${columns} ${walk(driver[0]!)} order by k.stored ${direction}, k.seq ${direction} limit ?`
        : `select ${columns} from (${driver.map((id) => `select k.stored, k.seq ${walk(id)}`).join(' union ')}
            order by 1 ${direction}, 2 ${direction} limit ?) d
          cross join lrs_statement s on s.seq = d.seq order by d.stored ${direction}, d.seq ${direction}`;
  }
  params.push(limit + 1);
  // Rows as arrays: better-sqlite3 makes a row object one property at a time, which costs more
  // than the rest of a page's records.
  const rows = p.query(sql).raw(true).all(params) as RawStatementRow[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows[rows.length - 1];
  return {
    records: rows.map((row) => statementRecord(row[1], row[3], isoInstant(row[2]), row[4], row[5] === 1)),
    next: more && last ? encodeStatementCursor({ storedMs: last[2], seq: last[0] }) : null,
  };
}

/** Checks what `insertStatements` writes besides statements, as `putAttachments` and `putActivities` do. */
function assertExtras(extras: InsertExtras | undefined): void {
  if (extras?.attachments?.length) {
    assertNoNul(
      extras.attachments.map((a) => [a.sha2, a.contentType]),
      'attachment',
    );
  }
  if (extras?.activities?.length) {
    assertNoNul(
      extras.activities.map((a) => a.id),
      'activity id',
    );
  }
}

/** Writes attachments and merges activity definitions, inside the insert's transaction. */
function writeExtras(p: Prepared, tenantId: string, extras: InsertExtras): void {
  for (const a of extras.attachments ?? []) {
    p.putAttachment.run(tenantId, a.sha2, a.contentType, bytesOf(a.content));
  }
  const activities = extras.activities ?? [];
  if (activities.length === 0) return;
  const storedText = new Map<string, string>();
  const ids = [...new Set(activities.map((a) => a.id))];
  for (const row of p.getActivities.all(tenantId, JSON.stringify(ids)))
    storedText.set(row.id, row.definition);
  // Per id: the stored text, and the definition merged so far.
  const merged = new Map<string, { stored: string | undefined; definition: ActivityDefinition }>();
  for (const { id, definition } of activities) {
    let entry = merged.get(id);
    if (!entry) {
      const stored = storedText.get(id);
      const current = stored === undefined ? undefined : (JSON.parse(stored) as ActivityDefinition);
      entry = { stored, definition: mergeActivityDefinition(current, definition as ActivityDefinition) };
      merged.set(id, entry);
    } else {
      entry.definition = mergeActivityDefinition(entry.definition, definition as ActivityDefinition);
    }
  }
  for (const [id, { stored, definition }] of merged) {
    const text = JSON.stringify(definition);
    // Most statements repeat a definition the LRS holds already: only changed ones are written.
    if (text !== stored) p.putActivity.run(tenantId, id, text);
  }
}

/** Statements per indexing pass (their key rows are sorted together, so that they share pages). */
const INDEX_BATCH = 2048;
/**
 * Statements whose key rows one transaction of a pass computes: a pass is prepared in several
 * transactions, each a few milliseconds, so that other writes (a learner's commit) go between.
 */
const INDEX_CHUNK = 512;
/** Key rows per transaction of a pass (a few milliseconds of writing, so other writes go between). */
const INDEX_SLICE = 1024;
/** Quiet time after the last write before the statements still unindexed are indexed. */
const INDEX_IDLE_MS = 50;

/**
 * The statement writes of one connection: its prepared statements, its key index and its key id
 * cache, shared by every `sqliteLrsStore` of the connection and by the SQLite `scoStates.commit`
 * (which writes a commit's statements in its own transaction).
 *
 * Statements are stored at once; their key rows (`lrs_statement_key`) are written afterwards, in
 * large batches sorted in index order, since the rows of one statement land on as many b-tree
 * pages as it has keys and a transaction writes every page it touched: a batch of a few thousand
 * statements shares those pages. `lrs_key_index` records how far the index is written; a filtered
 * query first indexes every statement stored before it, so queries see what the index would have
 * shown had it been written with the statements. What is left unindexed when a process stops is
 * indexed by the next query or write of any connection.
 */
export interface SqliteLrsWriter {
  /**
   * Inserts statements and writes their extras in a savepoint; must run inside a write
   * transaction (the connection's write queue).
   */
  write(
    tenantId: string,
    statements: readonly NewStatement[],
    extras: InsertExtras | undefined,
  ): InsertResult;
  /** The stored statements with these ids (voided or not); unknown ids are left out. */
  read(tenantId: string, ids: readonly string[]): StatementRecord[];
  /** Resolves once every statement stored before the call has its key rows. */
  indexed(): Promise<void>;
}

interface WriterCore {
  readonly prepared: Prepared;
  readonly writer: SqliteLrsWriter;
  readonly inserts: InsertGroups;
  /** See `LrsStore.consistentThrough`; only with the `LrsStoredTime` `transaction`. */
  readonly consistentThrough: (() => Promise<Date>) | undefined;
}

/** The `insertStatements` calls of one connection, written together (see {@link insertGroups}). */
interface InsertGroups {
  add(
    tenantId: string,
    statements: readonly NewStatement[],
    extras: InsertExtras | undefined,
  ): Promise<InsertResult>;
}

interface PendingInsert {
  readonly tenantId: string;
  readonly statements: readonly NewStatement[];
  readonly extras: InsertExtras | undefined;
  outcome?: { ok: true; result: InsertResult } | { ok: false; error: unknown };
}

/**
 * Inserts made in one turn of the event loop are written by one work item of the connection's
 * write queue, and those of one tenant first as ONE batch (one set of multi-row INSERTs instead of
 * one per call): inserting them one after the other, in call order, would store the same rows
 * (sequence numbers, voiding and activity merges follow the batch order, and a batch sees its own
 * statements as a later call sees stored ones). When that batch conflicts or throws, it leaves
 * nothing (its savepoint) and each call is written on its own, in its own savepoint, with its own
 * outcome.
 */
function insertGroups(client: BetterSqlite3.Database, writer: SqliteLrsWriter): InsertGroups {
  const queue = sqliteWriteQueue(client);
  let pending: PendingInsert[] = [];
  let flushed: Promise<void> = Promise.resolve();
  const together = (tenantId: string, list: readonly PendingInsert[]): boolean => {
    let result: InsertResult;
    try {
      const { statements, extras } = combinedInserts(list);
      result = writer.write(tenantId, statements, extras);
    } catch {
      // Written one by one instead: the failing call gets its own error.
      return false;
    }
    if (!result.ok) return false;
    for (const item of list) item.outcome = { ok: true, result };
    return true;
  };
  const work = (): void => {
    const items = pending;
    pending = [];
    const byTenant = new Map<string, PendingInsert[]>();
    for (const item of items) {
      const list = byTenant.get(item.tenantId);
      if (list) list.push(item);
      else byTenant.set(item.tenantId, [item]);
    }
    for (const [tenantId, list] of byTenant) {
      if (list.length > 1 && together(tenantId, list)) continue;
      for (const item of list) {
        try {
          item.outcome = { ok: true, result: writer.write(tenantId, item.statements, item.extras) };
        } catch (error) {
          item.outcome = { ok: false, error };
        }
      }
    }
  };
  return {
    add(tenantId, statements, extras) {
      // One work item per turn; it takes every insert added until the queue flushes.
      if (pending.length === 0) flushed = queue.run(work);
      const item: PendingInsert = { tenantId, statements, extras };
      pending.push(item);
      return flushed.then(() => {
        const outcome = item.outcome!;
        if (!outcome.ok) throw outcome.error;
        return outcome.result;
      });
    },
  };
}

const cores = new WeakMap<BetterSqlite3.Database, WriterCore>();

/** The `LrsStoredTime` of each connection (see `setSqliteStoredTime`). */
const storedTimes = new WeakMap<BetterSqlite3.Database, LrsStoredTime>();

/** Sets the `LrsStoredTime` of a connection, before its first LRS use (`openDatabase` does). */
export function setSqliteStoredTime(client: BetterSqlite3.Database, storedTime: LrsStoredTime): void {
  if (cores.has(client))
    throw new Error('setSqliteStoredTime: the connection has written statements already');
  storedTimes.set(client, storedTime);
}

/** The prepared statements and the writer of a connection, made once. */
function coreOf(client: BetterSqlite3.Database): WriterCore {
  let core = cores.get(client);
  if (!core) {
    core = createCore(client);
    cores.set(client, core);
  }
  return core;
}

/** The {@link SqliteLrsWriter} of a connection, made once (after `migrate`: it prepares statements). */
export function sqliteLrsWriter(client: BetterSqlite3.Database): SqliteLrsWriter {
  return coreOf(client).writer;
}

/** The key rows of up to {@link INDEX_CHUNK} statements, computed in one transaction. */
interface IndexChunk {
  learned: Map<string, LearnedKeys>;
  /** Flat `(key id, stored, seq)` triples, not yet sorted. */
  keyRows: number[];
  /** The mark it started from: the index's mark for a pass's first chunk. */
  from: number;
  /** The `seq` of its last statement. */
  through: number;
  /** Whether statements after it wait. */
  more: boolean;
}

function createCore(client: BetterSqlite3.Database): WriterCore {
  const storedTime = storedTimes.get(client) ?? 'given';
  const p = prepare(client);
  const queue = sqliteWriteQueue(client);
  // Without foreign keys a tenant's deletion could not be told from a stale cached key id.
  const keyCache: KeyCache | null = client.pragma('foreign_keys', { simple: true }) === 1 ? new Map() : null;
  let cachedKeys = 0;
  // Savepoints (the caller holds the transaction), so that a failed try leaves nothing behind.
  const attempt = client.transaction(
    (
      tenantId: string,
      statements: readonly NewStatement[],
      extras: InsertExtras | undefined,
    ): InsertResult => {
      if (statements.length > 0) {
        const result = insertBatch(p, tenantId, statements, storedTime);
        if (!result.ok) return result;
      }
      if (extras) writeExtras(p, tenantId, extras);
      return { ok: true };
    },
  );
  const forgetKeys = () => {
    keyCache?.clear();
    cachedKeys = 0;
  };
  /**
   * Reads up to {@link INDEX_CHUNK} statements after `after` (the index's mark when null) and
   * computes their key rows (key ids not known yet are made); inside a write transaction.
   */
  const prepareChunk = (after: number | null): IndexChunk => {
    const from = after ?? (p.indexedSeq.get() as number);
    const rows = p.unindexed.all(from, INDEX_CHUNK) as RawUnindexedRow[];
    const learned = new Map<string, LearnedKeys>();
    if (rows.length === 0) return { learned, keyRows: [], from, through: from, more: false };
    const byTenant = new Map<string, UnindexedStatement[]>();
    for (const [seq, tenantId, id, stored, statementRef, ownKeys] of rows) {
      const statement = {
        seq,
        id,
        stored,
        node: { statementRef, index: JSON.parse(ownKeys) as StatementIndex },
      };
      const list = byTenant.get(tenantId);
      if (list) list.push(statement);
      else byTenant.set(tenantId, [statement]);
    }
    const keyRows: number[] = [];
    for (const [tenantId, statements] of byTenant) {
      const keys: LearnedKeys = [];
      for (const row of keyRowsOf(p, keyCache?.get(tenantId), tenantId, statements, keys)) keyRows.push(row);
      learned.set(tenantId, keys);
    }
    return { learned, keyRows, from, through: rows[rows.length - 1]![0], more: rows.length === INDEX_CHUNK };
  };
  /** Caches key ids of a chunk whose transaction has committed. */
  const remember = (chunk: IndexChunk) => {
    if (!keyCache) return;
    for (const [tenantId, learned] of chunk.learned) {
      if (learned.length === 0) continue;
      if (cachedKeys + learned.length > KEY_CACHE_LIMIT) forgetKeys();
      const tenantCache = entry(keyCache, tenantId);
      for (const { kind, key, id } of learned) {
        const ofKind = entry(tenantCache, kind);
        if (!ofKind.has(key)) cachedKeys++;
        ofKind.set(key, id);
      }
    }
  };
  /**
   * One pass: up to {@link INDEX_BATCH} statements after the mark, prepared by chunks in
   * transactions of their own (indexing statements in several batches, in order, gives the rows of
   * one; see `keyRowsOf`), its rows sorted together and written by consecutive ranges of the index
   * in transactions of their own (other writes go in between, and each page of the index is still
   * written about once per pass), and the mark moved once all are in. A pass cut short leaves rows
   * that the next one inserts or ignores. Resolves whether statements remain.
   */
  const runPass = async (): Promise<boolean> => {
    for (let tries = 0; ; tries++) {
      let chunk = await queue.run(() => prepareChunk(null), remember);
      const from = chunk.from;
      const unsorted = chunk.keyRows;
      for (let count = INDEX_CHUNK; chunk.more && count < INDEX_BATCH; count += INDEX_CHUNK) {
        const after = chunk.through;
        chunk = await queue.run(() => prepareChunk(after), remember);
        for (const value of chunk.keyRows) unsorted.push(value);
      }
      const keyRows = sortKeyRows(unsorted);
      try {
        for (let at = 0; at < keyRows.length; at += INDEX_SLICE * 3) {
          const slice = keyRows.slice(at, at + INDEX_SLICE * 3);
          await queue.run(() => insertChunked((n) => p.insertKeys(n), KEY_CHUNK, slice.length / 3, slice));
        }
      } catch (error) {
        // A cached key id of a tenant deleted since: read every key afresh and prepare again.
        if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY' || !keyCache || tries > 0)
          throw error;
        forgetKeys();
        continue;
      }
      const through = chunk.through;
      if (through > from) await queue.run(() => p.setIndexedSeq.run(through));
      return chunk.more;
    }
  };
  // One run of passes at a time, until a pass finds nothing more to index.
  let catching: Promise<void> | null = null;
  const catchUp = (): Promise<void> => {
    catching ??= (async () => {
      try {
        while (await runPass());
      } finally {
        catching = null;
      }
    })();
    return catching;
  };
  // Written but not yet indexed by this connection, as far as it knows.
  let unindexed = 0;
  let idle: NodeJS.Timeout | undefined;
  const inBackground = () => {
    unindexed = 0;
    if (!client.open) return;
    // The next filtered query meets the failure again and reports it to its caller; until then
    // it is a process warning (`process.on('warning')`), not silence.
    catchUp().catch((error: unknown) => {
      if (!client.open) return;
      process.emitWarning(
        `statement key index pass failed (the next filtered query retries it): ${
          error instanceof Error ? error.message : String(error)
        }`,
        { code: 'SCORMFLOW_LRS_INDEX' },
      );
    });
  };
  const noteWritten = (count: number) => {
    unindexed += count;
    if (unindexed >= INDEX_BATCH) inBackground();
    else if (idle) idle.refresh();
    else idle = setTimeout(inBackground, INDEX_IDLE_MS).unref();
  };
  const writer: SqliteLrsWriter = {
    write(tenantId, statements, extras) {
      const result = attempt(tenantId, statements, extras);
      if (result.ok && statements.length > 0) noteWritten(statements.length);
      return result;
    },
    read(tenantId, ids) {
      if (ids.length === 0) return [];
      return p.getStatements.all(tenantId, JSON.stringify([...new Set(ids)])).map(toRecord);
    },
    async indexed() {
      const target = p.maxSeq.get() as number;
      // Deleting a tenant can lower the highest number below the target.
      while ((p.indexedSeq.get() as number) < Math.min(target, p.maxSeq.get() as number)) await catchUp();
    },
  };
  // A time read inside a write transaction: no transaction of any process is open then, every
  // earlier one has committed and every later one stamps its statements at or after it.
  const consistentThrough =
    storedTime === 'transaction'
      ? sharedConsistentThrough(async () => new Date((await queue.run(() => Date.now())) - 1))
      : undefined;
  return { prepared: p, writer, inserts: insertGroups(client, writer), consistentThrough };
}

function holds(current: string | undefined, precondition: DocumentPrecondition | undefined): boolean {
  if (!precondition) return true;
  if ('absent' in precondition) return current === undefined;
  return current === precondition.etag;
}

/**
 * The {@link LrsStore} of a SQLite database (see `lrsStore`).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#statement-resource
 */
export function sqliteLrsStore(client: BetterSqlite3.Database): LrsStore {
  const { prepared: p, writer, inserts, consistentThrough } = coreOf(client);
  const writeDocument = client.transaction(
    (
      columns: string[],
      document: Omit<StoredDocument, 'id'>,
      precondition: DocumentPrecondition | undefined,
    ): DocumentWriteResult => {
      const current = p.documentEtag.get(...columns) as string | undefined;
      if (!holds(current, precondition)) return { ok: false, reason: 'precondition-failed' };
      p.putDocument.run(
        ...columns,
        document.contentType,
        bytesOf(document.content),
        document.etag,
        instantMs(document.updated, 'updated'),
      );
      return { ok: true };
    },
  );
  const removeDocument = client.transaction(
    (columns: string[], precondition: DocumentPrecondition | undefined): DocumentWriteResult => {
      const current = p.documentEtag.get(...columns) as string | undefined;
      if (!holds(current, precondition)) return { ok: false, reason: 'precondition-failed' };
      p.deleteDocument.run(...columns);
      return { ok: true };
    },
  );
  const putActivities = client.transaction(
    (tenantId: string, activities: readonly { id: string; definition: JsonObject }[]) => {
      for (const activity of activities) {
        p.putActivity.run(tenantId, activity.id, JSON.stringify(activity.definition));
      }
    },
  );
  const putAttachments = client.transaction((tenantId: string, attachments: readonly StoredAttachment[]) => {
    for (const a of attachments) p.putAttachment.run(tenantId, a.sha2, a.contentType, bytesOf(a.content));
  });
  const documentColumns = (tenantId: string, key: DocumentKey) => {
    assertNoNul(key, 'document key');
    return [tenantId, ...documentParentColumns(key.parent), key.id];
  };
  const listDocuments = (scope: LrsScope, parent: DocumentParent, since: string | undefined) => {
    assertNoNul(parent, 'document parent');
    const sinceMs = since === undefined ? Number.MIN_SAFE_INTEGER : instantMs(since, 'since');
    const rows = p.listDocuments.all(scope.tenantId, ...documentParentColumns(parent), sinceMs);
    return documentList(rows.map((row) => ({ id: row.doc_id, updatedMs: row.updated })));
  };

  return {
    ...(consistentThrough ? { consistentThrough } : {}),
    async insertStatements(scope, statements, extras) {
      if (statements.length === 0 && !extras?.activities?.length && !extras?.attachments?.length) {
        return { ok: true };
      }
      // The indexes are checked as they are serialised (see `insertBatch`).
      for (const statement of statements) assertNoNul(statement.id, 'statement id');
      assertExtras(extras);
      return inserts.add(scope.tenantId, statements, extras);
    },
    async getStatements(scope, ids) {
      if (ids.length === 0) return [];
      return p.getStatements.all(scope.tenantId, JSON.stringify([...new Set(ids)])).map(toRecord);
    },
    async queryStatements(scope, query) {
      // Only the key filters read the key index.
      if (queryKeys(query).length > 0) await writer.indexed();
      return queryPage(p, scope.tenantId, query);
    },
    async putAttachments(scope, attachments) {
      assertNoNul(
        attachments.map((a) => [a.sha2, a.contentType]),
        'attachment',
      );
      putAttachments.immediate(scope.tenantId, attachments);
    },
    async getAttachments(scope, sha2s) {
      if (sha2s.length === 0) return [];
      return p.getAttachments.all(scope.tenantId, JSON.stringify([...new Set(sha2s)])).map((row) => ({
        sha2: row.sha2,
        contentType: row.content_type,
        content: copyOf(row.content),
      }));
    },
    async getDocument(scope, key) {
      const [tenantId, kind, activityId, agent, registration, id] = documentColumns(scope.tenantId, key) as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const row = p.getDocument.get(tenantId, kind, activityId, agent, registration, id);
      if (!row) return null;
      return {
        id: key.id,
        contentType: row.content_type,
        content: copyOf(row.content),
        etag: row.etag,
        updated: new Date(row.updated).toISOString(),
      };
    },
    async listDocumentIds(scope, parent, since) {
      return [...listDocuments(scope, parent, since).ids];
    },
    async listDocuments(scope, parent, since) {
      return listDocuments(scope, parent, since);
    },
    async putDocument(scope, key, document, precondition) {
      assertNoNul(document.contentType, 'document content type');
      return writeDocument.immediate(documentColumns(scope.tenantId, key), document, precondition);
    },
    async deleteDocument(scope, key, precondition) {
      return removeDocument.immediate(documentColumns(scope.tenantId, key), precondition);
    },
    async deleteDocuments(scope, parent) {
      assertNoNul(parent, 'document parent');
      p.deleteDocuments.run(scope.tenantId, ...documentParentColumns(parent));
    },
    async getActivity(scope, activityId) {
      const definition = p.getActivity.get(scope.tenantId, activityId) as string | undefined;
      return definition === undefined ? null : (JSON.parse(definition) as JsonObject);
    },
    async putActivities(scope, activities) {
      assertNoNul(
        activities.map((a) => a.id),
        'activity id',
      );
      putActivities.immediate(scope.tenantId, activities);
    },
  };
}
