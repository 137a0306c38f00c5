import type {
  DocumentKey,
  DocumentList,
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
} from '@scormflow/lrs';
import { documentList } from '@scormflow/lrs';
import { type ActivityDefinition, mergeActivityDefinition } from '@scormflow/xapi';
import type { Sql, TransactionSql } from 'postgres';
import { assertNoNul, lastByKey } from '../shared.js';
import { documentParentColumns } from './documents.js';
import {
  assertStorable,
  type ChainNode,
  combinedInserts,
  decodeStatementCursor,
  duplicateIds,
  effectiveKeys,
  encodeStatementCursor,
  instantMs,
  keyToken,
  type LrsKeyKind,
  type LrsStoredTime,
  queryKeys,
  queryLimit,
  type StatementKey,
  sharedConsistentThrough,
  unknownTargets,
} from './keys.js';
import { isoInstant, statementRecord } from './statement-record.js';

interface StatementRow {
  seq: string;
  id: string;
  /** Epoch milliseconds (bigint as text). */
  stored: string;
  /** The statement's JSON text (a `json` column keeps the text it was given). */
  statement: string;
  own_keys: string;
  voided: boolean;
}

/** First key of the advisory lock that serialises the statement writes of one tenant ('lrs'). */
export const LRS_LOCK_CLASS = 0x6c7273;

/** Thrown inside a transaction to roll it back and answer a conflict. */
class Conflict {
  constructor(readonly ids: string[]) {}
}

const iso = (ms: number) => new Date(ms).toISOString();
/** `s.stored` as epoch milliseconds: exact for `timestamptz(3)`, whatever parser the client has. */
const STORED_MS = '(extract(epoch from s.stored) * 1000)::bigint';
const bytesOf = (content: Uint8Array): Buffer =>
  Buffer.from(content.buffer, content.byteOffset, content.byteLength);
/**
 * Options of every query of this store: prepared once per connection (postgres.js leaves `unsafe`
 * queries unprepared, so Postgres would parse and plan each of them on every call).
 */
const PREPARED = { prepare: true } as const;
const UNPREPARED = { prepare: false } as const;

/** A transaction's start (`now()`) in whole milliseconds since the epoch, rounded down. */
const START_MS = 'floor(extract(epoch from now()) * 1000)::float8';

/**
 * The earliest start of a transaction still open on this database (or now), in milliseconds
 * rounded down: a statement not committed yet was stamped at or after the start of its
 * transaction. Only client sessions; `pg_stat_activity` shows `xact_start` for the sessions of the
 * same role (or to `pg_read_all_stats`), so every engine process must connect as the same role.
 * @see https://www.postgresql.org/docs/15/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW
 */
const CONSISTENT_THROUGH = `select floor(extract(epoch from least(now(), min(xact_start))) * 1000)::float8
  as through_ms from pg_stat_activity
  where datname = current_database() and backend_type = 'client backend' and xact_start is not null`;

/** Options of {@link pgLrsStore}. */
export interface PgLrsStoreOptions {
  /** See `LrsStoredTime`. */
  storedTime?: LrsStoredTime;
}

/**
 * Statements per insert below which its queries are prepared. Postgres plans a prepared query once
 * for any parameters after a few runs (a generic plan): right for the arrays of a few statements,
 * not for those of a large batch, which are planned on each call instead (measured: single POST
 * +45-80 % prepared, batches of 100 -10-15 %).
 */
const PREPARE_BELOW = 16;

const copyOf = (content: Buffer): Uint8Array => new Uint8Array(content);

/** The columns of a {@link StatementRow}; JSON as text, parsed only when a record's caller reads it. */
const STATEMENT_COLUMNS = `s.seq, s.id, ${STORED_MS} as stored, s.statement::text as statement,
  s.own_keys::text as own_keys, s.voided`;

function toRecord(row: StatementRow): StatementRecord {
  return statementRecord(row.id, row.statement, isoInstant(Number(row.stored)), row.own_keys, row.voided);
}

/**
 * One statement of a batch per array element: statement rows are inserted from `unnest` of
 * parallel arrays and their key rows in the same SQL statement (data-modifying CTEs), so a batch of
 * any size is one round trip. `on conflict do nothing` on the unique `(tenant_id, id)` makes the
 * index the judge of a conflict, also against a concurrent transaction: fewer returned ids than
 * sent means a conflict, and the transaction is rolled back.
 */
const INSERT_BATCH = `
  with input as (
    select * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
      $7::text[], $8::text[], $9::text[], $10::text[]) with ordinality
      as t(id, stored, statement, verb, registration, voided, voids, statement_ref, own_keys, ord)
  ), ins as (
    insert into lrs_statement (tenant_id, id, stored, statement, verb, registration, voided, voids,
      statement_ref, own_keys)
    select $1, id, stored::timestamptz, statement::json, verb, registration, voided::boolean, voids, statement_ref,
      own_keys::json
    from input order by ord
    on conflict (tenant_id, id) do nothing
    returning seq, id, stored
  ), keys as (
    insert into lrs_statement_key (key_id, stored, seq)
    select k.key_id::bigint, ins.stored, ins.seq
    from unnest($11::text[], $12::text[]) as k(id, key_id) join ins on ins.id = k.id
  )
  select id from ins`;

/** Adds keys to every statement whose StatementRef chain reaches `$2` (cycle-safe by `union`). */
const PROPAGATE = `
  with recursive r(id, seq, stored) as (
    select id, seq, stored from lrs_statement where tenant_id = $1 and statement_ref = $2
    union
    select s.id, s.seq, s.stored from r join lrs_statement s
      on s.tenant_id = $1 and s.statement_ref = r.id
  )
  insert into lrs_statement_key (key_id, stored, seq)
  select k.key_id::bigint, r.stored, r.seq from r cross join unnest($3::text[]) as k(key_id)
  where r.id <> $2
  on conflict do nothing`;

/**
 * The ids of a tenant's keys, made for those not yet known, in one statement. Known keys are found
 * by one index lookup each (the lateral join keeps the planner from scanning the tenant's whole
 * dictionary); only the others are inserted. The tenant's advisory lock (held by the caller) keeps
 * a concurrent batch from inserting the same key in between.
 */
const KEY_IDS = `
  with input as (select distinct kind::int as kind, key from unnest($2::text[], $3::text[]) as t(kind, key)),
  found as (
    select k.id, k.kind, k.key from input i cross join lateral (
      select id, kind, key from lrs_key where tenant_id = $1 and kind = i.kind and key = i.key
    ) k
  ),
  ins as (
    insert into lrs_key (tenant_id, kind, key)
    select $1, i.kind, i.key from input i
    where not exists (select 1 from found f where f.kind = i.kind and f.key = i.key)
    returning id, kind, key
  )
  select id, kind, key from found
  union all
  select id, kind, key from ins`;

/** Two JSON values are equal whatever the order of object keys (`jsonb` keeps its own order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** The merged definitions of `activities` over the stored ones, only those that change. */
function mergedActivities(
  activities: readonly { id: string; definition: JsonObject }[],
  stored: readonly { id: string; definition: JsonObject }[],
): { ids: string[]; definitions: string[] } {
  const current = new Map(stored.map((row) => [row.id, row.definition]));
  const merged = new Map<string, ActivityDefinition>();
  for (const { id, definition } of activities) {
    const base = merged.get(id) ?? (current.get(id) as ActivityDefinition | undefined);
    merged.set(id, mergeActivityDefinition(base, definition as ActivityDefinition));
  }
  const ids: string[] = [];
  const definitions: string[] = [];
  for (const [id, definition] of merged) {
    // Most statements repeat a definition the LRS holds already: only changed ones are written.
    if (sameJson(definition, current.get(id))) continue;
    ids.push(id);
    definitions.push(JSON.stringify(definition));
  }
  return { ids, definitions };
}

const SELECT_ACTIVITIES =
  'select id, definition from lrs_activity where tenant_id = $1 and id = any($2::text[])';
const UPSERT_ACTIVITIES = `insert into lrs_activity (tenant_id, id, definition)
  select $1, id, definition::jsonb from unnest($2::text[], $3::text[]) as a(id, definition)
  on conflict (tenant_id, id) do update set definition = excluded.definition`;
const PUT_ATTACHMENT = `insert into lrs_attachment (tenant_id, sha2, content_type, content) values ($1, $2, $3, $4)
  on conflict do nothing`;

/**
 * Statements and their extras in one transaction, with its queries pipelined (sent together, each
 * group answered in one round trip): the tenant's lock with every read that needs only the batch,
 * then the key ids with the voiding update, then the insert with the extras' writes.
 */
async function insertBatch(
  tx: TransactionSql,
  tenantId: string,
  statements: readonly NewStatement[],
  extras: InsertExtras | undefined,
  storedTime: LrsStoredTime,
): Promise<void> {
  const prepared = statements.length <= PREPARE_BELOW ? PREPARED : UNPREPARED;
  const activities = extras?.activities ?? [];
  const attachments = extras?.attachments ?? [];
  const writeExtras = (storedActivities: readonly { id: string; definition: JsonObject }[]) => {
    const writes: Promise<unknown>[] = attachments.map((a) =>
      tx.unsafe(PUT_ATTACHMENT, [tenantId, a.sha2, a.contentType, bytesOf(a.content)], prepared),
    );
    const changed = mergedActivities(activities, storedActivities);
    if (changed.ids.length > 0) {
      writes.push(tx.unsafe(UPSERT_ACTIVITIES, [tenantId, changed.ids, changed.definitions], prepared));
    }
    return writes;
  };
  // Statement writes of a tenant are serialised, so that a target and its referrer (or voiding
  // statement) written at the same time by two processes still see each other, and two merges of
  // one activity definition both land.
  // With the transaction's start (`now()`, the `xact_start` that `consistentThrough` reads).
  const lock = tx.unsafe<{ start_ms: number }[]>(
    `select pg_advisory_xact_lock($1, hashtext($2)), ${START_MS} as start_ms`,
    [LRS_LOCK_CLASS, tenantId],
    prepared,
  );
  const readActivities =
    activities.length > 0
      ? tx.unsafe<{ id: string; definition: JsonObject }[]>(
          SELECT_ACTIVITIES,
          [tenantId, [...new Set(activities.map((a) => a.id))]],
          prepared,
        )
      : Promise.resolve([]);
  if (statements.length === 0) {
    const [, storedActivities] = await Promise.all([lock, readActivities]);
    await Promise.all(writeExtras(storedActivities));
    return;
  }
  const ids = statements.map((s) => s.id);
  const [locked, existing, referrers, storedActivities] = await Promise.all([
    lock,
    tx.unsafe<{ id: string }[]>(
      'select id from lrs_statement where tenant_id = $1 and id = any($2::text[])',
      [tenantId, ids],
      prepared,
    ),
    tx.unsafe<{ statement_ref: string; voids: string | null }[]>(
      `select statement_ref, voids from lrs_statement
       where tenant_id = $1 and statement_ref = any($2::text[])`,
      [tenantId, ids],
      prepared,
    ),
    readActivities,
  ]);
  if (existing.length > 0) throw new Conflict(existing.map((row) => row.id));

  const batch = new Map<string, ChainNode>(
    statements.map((s) => [s.id, { statementRef: s.index.statementRef, index: s.index }]),
  );
  const known = new Map<string, ChainNode | null>();
  for (
    let missing = unknownTargets(batch, known);
    missing.length > 0;
    missing = unknownTargets(batch, known)
  ) {
    for (const id of missing) known.set(id, null);
    const rows = await tx.unsafe<{ id: string; statement_ref: string | null; own_keys: StatementIndex }[]>(
      'select id, statement_ref, own_keys from lrs_statement where tenant_id = $1 and id = any($2::text[])',
      [tenantId, missing],
      prepared,
    );
    for (const row of rows) known.set(row.id, { statementRef: row.statement_ref, index: row.own_keys });
  }
  const lookup = (id: string) => batch.get(id) ?? known.get(id) ?? undefined;

  const referred = new Set<string>();
  const voidTargets = new Set<string>();
  for (const row of referrers) {
    referred.add(row.statement_ref);
    if (row.voids !== null) voidTargets.add(row.voids);
  }
  const storedVoidTargets: string[] = [];
  for (const s of statements) {
    const target = s.index.voids;
    if (target === null) continue;
    voidTargets.add(target);
    if (!batch.has(target)) storedVoidTargets.push(target);
  }
  const voiding =
    storedVoidTargets.length > 0
      ? tx.unsafe(
          `update lrs_statement set voided = true
           where tenant_id = $1 and id = any($2::text[]) and voids is null and not voided`,
          [tenantId, storedVoidTargets],
          prepared,
        )
      : undefined;

  const columns: unknown[][] = Array.from({ length: 9 }, () => []);
  const [cId, cStored, cStatement, cVerb, cRegistration, cVoided, cVoids, cRef, cOwn] = columns as [
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
  ];
  const keysOf = statements.map((s) => effectiveKeys(batch.get(s.id)!, lookup));
  const distinct = new Map<string, StatementKey>();
  for (const key of keysOf.flat()) distinct.set(keyToken(key), key);
  const [idRows] = await Promise.all([
    tx.unsafe<{ id: string; kind: number; key: string }[]>(
      KEY_IDS,
      [tenantId, [...distinct.values()].map((k) => String(k.kind)), [...distinct.values()].map((k) => k.key)],
      prepared,
    ),
    voiding,
  ]);
  const idOf = new Map(
    idRows.map((row) => [keyToken({ kind: row.kind as LrsKeyKind, key: row.key }), row.id]),
  );
  const keyStatements: string[] = [];
  const keyIds: string[] = [];
  const effective = new Map<string, string[]>();
  for (const [k, s] of statements.entries()) {
    cId.push(s.id);
    const given = instantMs(s.stored, 'stored');
    const storedMs = storedTime === 'transaction' ? Math.max(given, Number(locked[0]!.start_ms)) : given;
    cStored.push(iso(storedMs));
    cStatement.push(
      JSON.stringify(storedMs === given ? s.statement : { ...s.statement, stored: iso(storedMs) }),
    );
    cVerb.push(s.index.verb);
    cRegistration.push(s.index.registration);
    cVoided.push(s.index.voids === null && voidTargets.has(s.id) ? 'true' : 'false');
    cVoids.push(s.index.voids);
    cRef.push(s.index.statementRef);
    cOwn.push(JSON.stringify(s.index));
    const ids = keysOf[k]!.map((key) => idOf.get(keyToken(key))!);
    if (referred.has(s.id)) effective.set(s.id, ids);
    for (const id of ids) {
      keyStatements.push(s.id);
      keyIds.push(id);
    }
  }
  const [inserted] = await Promise.all([
    tx.unsafe<{ id: string }[]>(
      INSERT_BATCH,
      [tenantId, ...(columns as never[]), keyStatements, keyIds] as never[],
      prepared,
    ),
    ...writeExtras(storedActivities),
  ]);
  if (inserted.length !== statements.length) {
    const stored = new Set(inserted.map((row) => row.id));
    throw new Conflict(ids.filter((id) => !stored.has(id)));
  }
  for (const [id, ids] of effective) await tx.unsafe(PROPAGATE, [tenantId, id, ids], prepared);
}

async function queryPage(client: Sql, tenantId: string, query: StatementQuery): Promise<StatementPage> {
  const limit = queryLimit(query);
  const ascending = query.ascending === true;
  const after = query.cursor === undefined ? null : decodeStatementCursor(query.cursor);
  const wanted = queryKeys(query);
  const keys: string[] = [];
  if (wanted.length > 0) {
    const rows = await client.unsafe<{ id: string; kind: number; key: string }[]>(
      `select id, kind, key from lrs_key
       where tenant_id = $1 and (kind, key) in (select * from unnest($2::int[], $3::text[]))`,
      [tenantId, wanted.map((k) => k.kind), wanted.map((k) => k.key)] as never[],
      PREPARED,
    );
    const idOf = new Map(
      rows.map((row) => [keyToken({ kind: row.kind as LrsKeyKind, key: row.key }), row.id]),
    );
    for (const key of wanted) {
      const id = idOf.get(keyToken(key));
      // A key no statement of the tenant has: nothing matches.
      if (id === undefined) return { records: [], next: null };
      keys.push(id);
    }
  }
  const params: unknown[] = [];
  const param = (value: unknown, cast = '') => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  const t = keys.length > 0 ? 'k' : 's';
  const where: string[] = [];
  const [driver, ...others] = keys;
  // A key id belongs to one tenant, and so do the statements it names.
  if (driver === undefined) where.push(`s.tenant_id = ${param(tenantId)}`);
  else where.push(`k.key_id = ${param(driver, '::bigint')}`);
  if (query.since !== undefined) {
    where.push(`${t}.stored > ${param(iso(instantMs(query.since, 'since')), '::timestamptz')}`);
  }
  if (query.until !== undefined) {
    where.push(`${t}.stored <= ${param(iso(instantMs(query.until, 'until')), '::timestamptz')}`);
  }
  if (after) {
    where.push(
      `(${t}.stored, ${t}.seq) ${ascending ? '>' : '<'} (${param(iso(after.storedMs), '::timestamptz')}, ${param(after.seq, '::bigint')})`,
    );
  }
  if (driver !== undefined) where.push('s.seq = k.seq');
  where.push('not s.voided');
  for (const keyId of others) {
    where.push(
      `exists (select 1 from lrs_statement_key k2 where k2.key_id = ${param(keyId, '::bigint')}
       and k2.stored = k.stored and k2.seq = k.seq)`,
    );
  }
  const direction = ascending ? 'asc' : 'desc';
  const from =
    driver !== undefined ? 'lrs_statement_key k join lrs_statement s on s.seq = k.seq' : 'lrs_statement s';
  const sql = `select ${STATEMENT_COLUMNS} from ${from}
    where ${where.join(' and ')} order by ${t}.stored ${direction}, ${t}.seq ${direction}
    limit ${param(limit + 1, '::int')}`;
  const rows = await client.unsafe<StatementRow[]>(sql, params as never[], PREPARED);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : [...rows];
  const last = page[page.length - 1];
  return {
    records: page.map(toRecord),
    next:
      more && last ? encodeStatementCursor({ storedMs: Number(last.stored), seq: Number(last.seq) }) : null,
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
  if (extras?.activities?.length) assertNoNul(extras.activities, 'activity');
}

const DOCUMENT_KEY = `tenant_id = $1 and kind = $2 and activity_id = $3 and agent = $4
  and registration = $5 and doc_id = $6`;

/** One call of `insertStatements` waiting for its tenant's writer. */
interface PendingInsert {
  statements: readonly NewStatement[];
  extras: InsertExtras | undefined;
  resolve(result: InsertResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the statement writes of each tenant. A tenant's writes are serialised by its
 * advisory lock anyway, and each transaction waits for its own WAL flush: so while one write of a
 * tenant is in flight, the calls that arrive meanwhile wait and then go together, as ONE batch in
 * one transaction (one lock, one flush). When that batch cannot be written whole (a conflict, an
 * id twice across calls, an error), each call is written alone in a transaction of its own, so
 * that every caller gets exactly the answer it would have had alone.
 */
function tenantWriter(client: Sql, storedTime: LrsStoredTime) {
  const queues = new Map<string, PendingInsert[]>();

  async function writeAlone(tenantId: string, item: PendingInsert): Promise<void> {
    try {
      await client.begin((tx) => insertBatch(tx, tenantId, item.statements, item.extras, storedTime));
      item.resolve({ ok: true });
    } catch (error) {
      if (error instanceof Conflict) item.resolve({ ok: false, reason: 'conflict', ids: error.ids });
      else item.reject(error);
    }
  }

  async function writeGroup(tenantId: string, group: PendingInsert[]): Promise<void> {
    if (group.length === 1) return writeAlone(tenantId, group[0]!);
    const { statements, extras } = combinedInserts(group);
    if (duplicateIds(statements).length === 0) {
      try {
        await client.begin((tx) => insertBatch(tx, tenantId, statements, extras, storedTime));
        for (const item of group) item.resolve({ ok: true });
        return;
      } catch {
        // Decided call by call below: each gets its own answer (or error).
      }
    }
    for (const item of group) await writeAlone(tenantId, item);
  }

  async function drain(tenantId: string): Promise<void> {
    for (;;) {
      const group = queues.get(tenantId)!;
      if (group.length === 0) {
        queues.delete(tenantId);
        return;
      }
      queues.set(tenantId, []);
      await writeGroup(tenantId, group);
    }
  }

  return {
    insert(tenantId: string, statements: readonly NewStatement[], extras: InsertExtras | undefined) {
      return new Promise<InsertResult>((resolve, reject) => {
        const queue = queues.get(tenantId);
        const item = { statements, extras, resolve, reject };
        if (queue) {
          queue.push(item);
          return;
        }
        queues.set(tenantId, [item]);
        void drain(tenantId);
      });
    },
  };
}

/**
 * The {@link LrsStore} of a Postgres database (see `lrsStore`).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#statement-resource
 */
export function pgLrsStore(client: Sql, options: PgLrsStoreOptions = {}): LrsStore {
  const storedTime = options.storedTime ?? 'given';
  const writer = tenantWriter(client, storedTime);
  const documentColumns = (tenantId: string, key: DocumentKey) => {
    assertNoNul(key, 'document key');
    return [tenantId, ...documentParentColumns(key.parent), key.id];
  };

  async function listDocuments(
    scope: LrsScope,
    parent: DocumentParent,
    since?: string,
  ): Promise<DocumentList> {
    assertNoNul(parent, 'document parent');
    const params: unknown[] = [scope.tenantId, ...documentParentColumns(parent)];
    let sinceClause = '';
    if (since !== undefined) {
      params.push(iso(instantMs(since, 'since')));
      sinceClause = 'and updated > $6::timestamptz';
    }
    const rows = await client.unsafe<{ doc_id: string; updated: string }[]>(
      `select doc_id, (extract(epoch from updated) * 1000)::bigint as updated from lrs_document
       where tenant_id = $1 and kind = $2 and activity_id = $3 and agent = $4 and registration = $5
       ${sinceClause}`,
      params as never[],
      PREPARED,
    );
    return documentList(rows.map((row) => ({ id: row.doc_id, updatedMs: Number(row.updated) })));
  }

  async function writeDocument(
    columns: string[],
    run: (tx: TransactionSql) => Promise<unknown>,
    precondition: DocumentPrecondition | undefined,
  ): Promise<DocumentWriteResult> {
    return client.begin(async (tx) => {
      // Every write of a document key holds this lock until commit, so that a precondition checked
      // below (also "absent", which no row lock can cover) still holds when the write lands.
      await tx.unsafe(
        'select pg_advisory_xact_lock($1, hashtext($2))',
        [LRS_LOCK_CLASS + 1, JSON.stringify(columns)],
        PREPARED,
      );
      if (precondition) {
        const current = await tx.unsafe<{ etag: string }[]>(
          `select etag from lrs_document where ${DOCUMENT_KEY} for update`,
          columns,
          PREPARED,
        );
        const etag = current[0]?.etag;
        const ok = 'absent' in precondition ? etag === undefined : etag === precondition.etag;
        if (!ok) return { ok: false, reason: 'precondition-failed' } as const;
      }
      await run(tx);
      return { ok: true } as const;
    }) as Promise<DocumentWriteResult>;
  }

  const store: LrsStore = {
    async insertStatements(scope, statements, extras): Promise<InsertResult> {
      if (statements.length === 0 && !extras?.activities?.length && !extras?.attachments?.length) {
        return { ok: true };
      }
      assertStorable(statements);
      assertExtras(extras);
      const twice = duplicateIds(statements);
      if (twice.length > 0) return { ok: false, reason: 'conflict', ids: twice };
      return writer.insert(scope.tenantId, statements, extras);
    },
    async getStatements(scope, ids) {
      if (ids.length === 0) return [];
      const rows = await client.unsafe<StatementRow[]>(
        `select ${STATEMENT_COLUMNS} from lrs_statement s
         where s.tenant_id = $1 and s.id = any($2::text[])`,
        [scope.tenantId, [...new Set(ids)]],
        PREPARED,
      );
      return rows.map(toRecord);
    },
    async queryStatements(scope, query) {
      return queryPage(client, scope.tenantId, query);
    },
    async putAttachments(scope, attachments) {
      if (attachments.length === 0) return;
      assertNoNul(
        attachments.map((a) => [a.sha2, a.contentType]),
        'attachment',
      );
      await client.begin(async (tx) => {
        for (const a of attachments) {
          await tx.unsafe(
            `insert into lrs_attachment (tenant_id, sha2, content_type, content) values ($1, $2, $3, $4)
             on conflict do nothing`,
            [scope.tenantId, a.sha2, a.contentType, bytesOf(a.content)],
            PREPARED,
          );
        }
      });
    },
    async getAttachments(scope, sha2s) {
      if (sha2s.length === 0) return [];
      const rows = await client.unsafe<{ sha2: string; content_type: string; content: Buffer }[]>(
        'select sha2, content_type, content from lrs_attachment where tenant_id = $1 and sha2 = any($2::text[])',
        [scope.tenantId, [...new Set(sha2s)]],
        PREPARED,
      );
      return rows.map((row) => ({
        sha2: row.sha2,
        contentType: row.content_type,
        content: copyOf(row.content),
      }));
    },
    async getDocument(scope, key) {
      const rows = await client.unsafe<
        { content_type: string; content: Buffer; etag: string; updated: string }[]
      >(
        `select content_type, content, etag, (extract(epoch from updated) * 1000)::bigint as updated
         from lrs_document where ${DOCUMENT_KEY}`,
        documentColumns(scope.tenantId, key),
        PREPARED,
      );
      const row = rows[0];
      if (!row) return null;
      return {
        id: key.id,
        contentType: row.content_type,
        content: copyOf(row.content),
        etag: row.etag,
        updated: iso(Number(row.updated)),
      };
    },
    async listDocumentIds(scope, parent, since) {
      return [...(await listDocuments(scope, parent, since)).ids];
    },
    listDocuments,
    async putDocument(scope, key, document, precondition) {
      assertNoNul(document.contentType, 'document content type');
      const columns = documentColumns(scope.tenantId, key);
      return writeDocument(
        columns,
        (tx) =>
          tx.unsafe(
            `insert into lrs_document (tenant_id, kind, activity_id, agent, registration, doc_id,
               content_type, content, etag, updated)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz)
             on conflict (tenant_id, kind, activity_id, agent, registration, doc_id) do update set
               content_type = excluded.content_type, content = excluded.content,
               etag = excluded.etag, updated = excluded.updated`,
            [
              ...columns,
              document.contentType,
              bytesOf(document.content),
              document.etag,
              iso(instantMs(document.updated, 'updated')),
            ] as never[],
            PREPARED,
          ),
        precondition,
      );
    },
    async deleteDocument(scope, key, precondition) {
      const columns = documentColumns(scope.tenantId, key);
      return writeDocument(
        columns,
        (tx) => tx.unsafe(`delete from lrs_document where ${DOCUMENT_KEY}`, columns, PREPARED),
        precondition,
      );
    },
    async deleteDocuments(scope, parent) {
      assertNoNul(parent, 'document parent');
      await client.unsafe(
        `delete from lrs_document where tenant_id = $1 and kind = $2 and activity_id = $3
         and agent = $4 and registration = $5`,
        [scope.tenantId, ...documentParentColumns(parent)],
        PREPARED,
      );
    },
    async getActivity(scope, activityId) {
      const rows = await client.unsafe<{ definition: JsonObject }[]>(
        'select definition from lrs_activity where tenant_id = $1 and id = $2',
        [scope.tenantId, activityId],
        PREPARED,
      );
      return rows[0]?.definition ?? null;
    },
    async putActivities(scope, activities) {
      if (activities.length === 0) return;
      assertNoNul(activities, 'activity');
      // One upsert may not touch a row twice on Postgres: the last definition of an id wins.
      const last = lastByKey(activities, (a) => a.id);
      await client.unsafe(
        `insert into lrs_activity (tenant_id, id, definition)
         select $1, id, definition::jsonb from unnest($2::text[], $3::text[]) as a(id, definition)
         on conflict (tenant_id, id) do update set definition = excluded.definition`,
        [scope.tenantId, last.map((a) => a.id), last.map((a) => JSON.stringify(a.definition))],
        PREPARED,
      );
    },
  };
  if (storedTime === 'transaction') {
    store.consistentThrough = sharedConsistentThrough(async () => {
      const [row] = await client.unsafe<{ through_ms: number }[]>(CONSISTENT_THROUGH, [], PREPARED);
      return new Date(Number(row!.through_ms) - 1);
    });
  }
  return store;
}
