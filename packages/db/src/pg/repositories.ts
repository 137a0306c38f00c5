import type { LrsStore } from '@scormflow/lrs';
import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNull,
  lt,
  max,
  ne,
  notExists,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import { DB_ERROR_CODES, DbError } from '../errors.js';
import { writeCommitStatements } from '../lrs/commit-statements.js';
import { pgLrsStore } from '../lrs/pg-lrs-store.js';
import type { ScoState } from '../model.js';
import type { AttemptListOptions, CommitResult, PageOptions, Repositories } from '../repositories.js';
import {
  assertNoNul,
  assertPositiveInteger,
  decodeCursor,
  definedOnly,
  generateApiKeySecret,
  hashApiKey,
  lastByKey,
  newId,
  pageLimit,
  refuseNul,
  toPage,
} from '../shared.js';
import {
  apiKey,
  attempt,
  commitLog,
  course,
  courseItem,
  interaction,
  launch,
  learner,
  objective,
  type pgSchema,
  scoState,
  tenant,
} from './schema.js';

/** A Drizzle database over postgres.js with the ScormFlow schema. */
export type PgDrizzle = PostgresJsDatabase<typeof pgSchema> & { $client: Sql };

/** `excluded.<column>` for every named column: the values an upsert tried to insert. */
function excluded<T extends Record<string, PgColumn>>(columns: T, keys: (keyof T)[]): Record<string, SQL> {
  return Object.fromEntries(keys.map((key) => [key, sql.raw(`excluded."${columns[key]!.name}"`)]));
}

function afterCursor(createdAt: PgColumn, id: PgColumn, options: PageOptions | undefined): SQL | undefined {
  const position = decodeCursor(options?.cursor);
  if (!position) return undefined;
  return or(lt(createdAt, position.createdAt), and(eq(createdAt, position.createdAt), lt(id, position.id)));
}

/**
 * Orders text by code point, as SQLite does, whatever the database's collation: lists come back in
 * the same order on both dialects.
 */
const binary = (column: PgColumn): SQL => sql`${column} collate "C"`;

async function first<T>(query: PromiseLike<T[]>): Promise<T | null> {
  const rows = await query;
  return rows[0] ?? null;
}

const INTERACTION_FIELDS = [
  'interactionId',
  'type',
  'description',
  'learnerResponse',
  'result',
  'latency',
  'timestamp',
  'weighting',
  'correctResponses',
  'objectiveIds',
  'updatedAt',
] as const;

const OBJECTIVE_FIELDS = [
  'successStatus',
  'completionStatus',
  'scoreScaled',
  'scoreRaw',
  'scoreMin',
  'scoreMax',
  'progressMeasure',
  'description',
  'updatedAt',
] as const;

/** Postgres SQLSTATE for a unique violation. */
const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
}

/**
 * A commit of seq > 1 as one statement, so one round trip (a prepared statement of postgres.js,
 * the same text for every commit): the conditional update of the state, and only when it matched
 * a row (`from s`), the commit log row, the attempt summary, and the interaction and objective
 * upserts (sent as JSON arrays). Under READ COMMITTED a concurrent writer of the same seq blocks
 * on the row lock and then matches nothing, so nothing else is written. Parameters are text cast
 * in SQL, so that no client-side type mapping is involved.
 */
const COMMIT_STATEMENT = `with s as (
  update sco_state set state = $1::text::jsonb, seq = $2::int, updated_at = $3::text::timestamptz,
    scorm_version = coalesce($4::text, scorm_version)
  where tenant_id = $5 and attempt_id = $6 and item_identifier = $7 and seq = $2::int - 1
    and ($8::boolean is not true or exists (select 1 from attempt a where a.tenant_id = $5 and a.id = $6
      and a.status not in ('completed', 'terminated')))
  returning seq, scorm_version
), l as (
  insert into commit_log (id, tenant_id, attempt_id, item_identifier, seq, diff, received_at)
  select $9, $5, $6, $7, s.seq, $10::text::jsonb, $3::text::timestamptz from s
), a as (
  update attempt set
    status = case when $11::jsonb ? 'status' then $11::jsonb->>'status' else status end,
    completion_status = case when $11::jsonb ? 'completionStatus' then $11::jsonb->>'completionStatus' else completion_status end,
    success_status = case when $11::jsonb ? 'successStatus' then $11::jsonb->>'successStatus' else success_status end,
    score_scaled = case when $11::jsonb ? 'scoreScaled' then ($11::jsonb->>'scoreScaled')::double precision else score_scaled end,
    score_raw = case when $11::jsonb ? 'scoreRaw' then ($11::jsonb->>'scoreRaw')::double precision else score_raw end,
    total_time_cs = case when $11::jsonb ? 'totalTimeCs' then ($11::jsonb->>'totalTimeCs')::bigint else total_time_cs end,
    current_item = case when $11::jsonb ? 'currentItem' then $11::jsonb->>'currentItem' else current_item end,
    finished_at = case when $11::jsonb ? 'finishedAt' then ($11::jsonb->>'finishedAt')::timestamptz else finished_at end,
    updated_at = $3::text::timestamptz
  where tenant_id = $5 and id = $6 and exists (select 1 from s)
), i as (
  insert into interaction (id, tenant_id, attempt_id, item_identifier, idx, interaction_id, type,
    description, learner_response, result, latency, timestamp, weighting, correct_responses,
    objective_ids, updated_at)
  select r.id, $5, $6, $7, r.idx, r."interactionId", r.type, r.description, r."learnerResponse",
    r.result, r.latency, r.timestamp, r.weighting, r."correctResponses", r."objectiveIds",
    $3::text::timestamptz
  from s, jsonb_to_recordset($12::text::jsonb) as r(id text, idx integer, "interactionId" text,
    type text, description text, "learnerResponse" text, result text, latency text, timestamp text,
    weighting double precision, "correctResponses" jsonb, "objectiveIds" jsonb)
  on conflict (attempt_id, item_identifier, idx) do update set interaction_id = excluded.interaction_id,
    type = excluded.type, description = excluded.description,
    learner_response = excluded.learner_response, result = excluded.result,
    latency = excluded.latency, timestamp = excluded.timestamp, weighting = excluded.weighting,
    correct_responses = excluded.correct_responses, objective_ids = excluded.objective_ids,
    updated_at = excluded.updated_at
), o as (
  insert into objective (id, tenant_id, attempt_id, item_identifier, objective_id, success_status,
    completion_status, score_scaled, score_raw, score_min, score_max, progress_measure, description,
    updated_at)
  select r.id, $5, $6, $7, r."objectiveId", r."successStatus", r."completionStatus", r."scoreScaled",
    r."scoreRaw", r."scoreMin", r."scoreMax", r."progressMeasure", r.description,
    $3::text::timestamptz
  from s, jsonb_to_recordset($13::text::jsonb) as r(id text, "objectiveId" text,
    "successStatus" text, "completionStatus" text, "scoreScaled" double precision,
    "scoreRaw" double precision, "scoreMin" double precision, "scoreMax" double precision,
    "progressMeasure" double precision, description text)
  on conflict (attempt_id, item_identifier, objective_id) do update set
    success_status = excluded.success_status, completion_status = excluded.completion_status,
    score_scaled = excluded.score_scaled, score_raw = excluded.score_raw,
    score_min = excluded.score_min, score_max = excluded.score_max,
    progress_measure = excluded.progress_measure, description = excluded.description,
    updated_at = excluded.updated_at
)
select seq, scorm_version from s`;

/**
 * The repositories on Postgres. Transactions run at READ COMMITTED: the sequenced commit relies on
 * row locks and re-checked conditions of `UPDATE ... WHERE seq = n` and `INSERT ... ON CONFLICT DO
 * NOTHING`, which are race-free at that level across any number of server processes.
 *
 * Exported for applications that bring their own Drizzle instance (with this package's schema,
 * migrated with Drizzle's migrator from `migrationsFolder(dialect)`); `openDatabase` is the usual entry.
 */
export function pgRepositories(db: PgDrizzle, store: LrsStore = pgLrsStore(db.$client)): Repositories {
  const repos = refuseNul(repositories(db), ['scoStates.commit']);
  const commit = repos.scoStates.commit;
  repos.scoStates.commit = async (tenantId, attemptId, itemIdentifier, expectedSeq, input) => {
    // The statements are checked by the LRS store: a problem there never refuses the commit.
    const { xapi, ...rest } = input;
    for (const arg of [tenantId, attemptId, itemIdentifier, expectedSeq, rest]) {
      assertNoNul(arg, 'scoStates.commit input');
    }
    const result = await commit(tenantId, attemptId, itemIdentifier, expectedSeq, input);
    if (!result.ok || !xapi) return result;
    // After the commit's statement, in a transaction of their own (see `CommitStatements`).
    return { ...result, ...(await writeCommitStatements(store, tenantId, xapi)) };
  };
  return repos;
}

function repositories(db: PgDrizzle): Repositories {
  const latestOnly = () => {
    const newer = alias(course, 'newer');
    return notExists(
      db
        .select({ one: sql`1` })
        .from(newer)
        .where(and(eq(newer.id, course.id), gt(newer.version, course.version))),
    );
  };

  const currentSeq = async (tenantId: string, attemptId: string, itemIdentifier: string): Promise<number> => {
    const row = await first(
      db
        .select({ seq: scoState.seq })
        .from(scoState)
        .where(
          and(
            eq(scoState.tenantId, tenantId),
            eq(scoState.attemptId, attemptId),
            eq(scoState.itemIdentifier, itemIdentifier),
          ),
        ),
    );
    return row?.seq ?? 0;
  };

  return {
    tenants: {
      async create(input) {
        const [row] = await db
          .insert(tenant)
          .values({ id: input.id ?? newId(), name: input.name, createdAt: new Date() })
          .returning();
        return row!;
      },
      async get(tenantId) {
        return first(db.select().from(tenant).where(eq(tenant.id, tenantId)));
      },
    },

    apiKeys: {
      async create(tenantId, input) {
        const { secret, prefix } = generateApiKeySecret();
        const [key] = await db
          .insert(apiKey)
          .values({
            id: newId(),
            tenantId,
            name: input.name,
            prefix,
            hash: hashApiKey(secret),
            role: input.role,
            createdAt: new Date(),
          })
          .returning();
        return { key: key!, secret };
      },
      async findByHash(hash) {
        return first(
          db
            .select()
            .from(apiKey)
            .where(and(eq(apiKey.hash, hash), isNull(apiKey.revokedAt))),
        );
      },
      async list(tenantId) {
        return db
          .select()
          .from(apiKey)
          .where(eq(apiKey.tenantId, tenantId))
          .orderBy(asc(apiKey.createdAt), asc(apiKey.id));
      },
      async revoke(tenantId, keyId) {
        const rows = await db
          .update(apiKey)
          .set({ revokedAt: new Date() })
          .where(and(eq(apiKey.tenantId, tenantId), eq(apiKey.id, keyId), isNull(apiKey.revokedAt)))
          .returning({ id: apiKey.id });
        return rows.length > 0;
      },
      async touchLastUsed(tenantId, keyId, at = new Date()) {
        await db
          .update(apiKey)
          .set({ lastUsedAt: at })
          .where(and(eq(apiKey.tenantId, tenantId), eq(apiKey.id, keyId)));
      },
    },

    learners: {
      async upsert(tenantId, input) {
        const now = new Date();
        const [row] = await db
          .insert(learner)
          .values({
            id: newId(),
            tenantId,
            externalId: input.externalId,
            name: input.name ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: [learner.tenantId, learner.externalId],
            set: input.name === undefined ? { updatedAt: now } : { name: input.name, updatedAt: now },
          })
          .returning();
        return row!;
      },
      async get(tenantId, learnerId) {
        return first(
          db
            .select()
            .from(learner)
            .where(and(eq(learner.tenantId, tenantId), eq(learner.id, learnerId))),
        );
      },
      async findByExternalId(tenantId, externalId) {
        return first(
          db
            .select()
            .from(learner)
            .where(and(eq(learner.tenantId, tenantId), eq(learner.externalId, externalId))),
        );
      },
    },

    courses: {
      async create(tenantId, input) {
        return db.transaction(async (tx) => {
          const id = input.id ?? newId();
          if (input.id !== undefined) {
            const taken = await first(
              tx
                .select({ id: course.id })
                .from(course)
                .where(and(eq(course.id, id), ne(course.tenantId, tenantId)))
                .limit(1),
            );
            if (taken) throw new DbError(DB_ERROR_CODES.INVALID_INPUT, 'course id is not available');
          }
          let version = input.version;
          if (version === undefined) {
            const row = await first(
              tx
                .select({ v: max(course.version) })
                .from(course)
                .where(and(eq(course.tenantId, tenantId), eq(course.id, id))),
            );
            version = (row?.v ?? 0) + 1;
          }
          assertPositiveInteger(version, 'course version');
          const now = new Date();
          const [created] = await tx
            .insert(course)
            .values({
              id,
              version,
              tenantId,
              kind: input.kind,
              scormVersion: input.scormVersion ?? null,
              title: input.title,
              diagnostics: input.diagnostics ?? [],
              model: input.model,
              storagePrefix: input.storagePrefix,
              size: input.size,
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          if (input.items.length > 0) {
            const courseVersion = version;
            await tx.insert(courseItem).values(
              input.items.map((item, ordinal) => ({
                id: newId(),
                tenantId,
                courseId: id,
                courseVersion,
                identifier: item.identifier,
                parentIdentifier: item.parentIdentifier ?? null,
                ordinal,
                depth: item.depth,
                title: item.title,
                resourceId: item.resourceId ?? null,
                launchUrl: item.launchUrl ?? null,
                isSco: item.isSco,
                data: item.data ?? {},
              })),
            );
          }
          return created!;
        });
      },
      async get(tenantId, courseId, version) {
        const where = and(
          eq(course.tenantId, tenantId),
          eq(course.id, courseId),
          version === undefined ? undefined : eq(course.version, version),
        );
        return first(db.select().from(course).where(where).orderBy(desc(course.version)).limit(1));
      },
      async items(tenantId, courseId, version) {
        return db
          .select()
          .from(courseItem)
          .where(
            and(
              eq(courseItem.tenantId, tenantId),
              eq(courseItem.courseId, courseId),
              eq(courseItem.courseVersion, version),
            ),
          )
          .orderBy(asc(courseItem.ordinal));
      },
      async list(tenantId, options) {
        const limit = pageLimit(options);
        const rows = await db
          .select()
          .from(course)
          .where(
            and(
              eq(course.tenantId, tenantId),
              latestOnly(),
              afterCursor(course.createdAt, course.id, options),
            ),
          )
          .orderBy(desc(course.createdAt), desc(course.id))
          .limit(limit + 1);
        return toPage(rows, limit);
      },
      async delete(tenantId, courseId) {
        const rows = await db
          .delete(course)
          .where(and(eq(course.tenantId, tenantId), eq(course.id, courseId)))
          .returning({ id: course.id });
        return rows.length > 0;
      },
      async nextVersion(tenantId, courseId) {
        const row = await first(
          db
            .select({ v: max(course.version) })
            .from(course)
            .where(and(eq(course.tenantId, tenantId), eq(course.id, courseId))),
        );
        return (row?.v ?? 0) + 1;
      },
    },

    attempts: {
      async create(tenantId, input) {
        return db.transaction(async (tx) => {
          const courseRow = await first(
            tx
              .select({ id: course.id })
              .from(course)
              .where(
                and(
                  eq(course.tenantId, tenantId),
                  eq(course.id, input.courseId),
                  eq(course.version, input.courseVersion),
                ),
              ),
          );
          const learnerRow = await first(
            tx
              .select({ id: learner.id })
              .from(learner)
              .where(and(eq(learner.tenantId, tenantId), eq(learner.id, input.learnerId))),
          );
          if (!courseRow || !learnerRow) return null;
          const now = new Date();
          const [row] = await tx
            .insert(attempt)
            .values({
              id: newId(),
              tenantId,
              courseId: input.courseId,
              courseVersion: input.courseVersion,
              learnerId: input.learnerId,
              status: 'active',
              completionStatus: null,
              successStatus: null,
              scoreScaled: null,
              scoreRaw: null,
              totalTimeCs: 0,
              currentItem: input.currentItem ?? null,
              createdAt: now,
              updatedAt: now,
              finishedAt: null,
            })
            .returning();
          return row!;
        });
      },
      async get(tenantId, attemptId) {
        return first(
          db
            .select()
            .from(attempt)
            .where(and(eq(attempt.tenantId, tenantId), eq(attempt.id, attemptId))),
        );
      },
      async list(tenantId, options?: AttemptListOptions) {
        const limit = pageLimit(options);
        const rows = await db
          .select()
          .from(attempt)
          .where(
            and(
              eq(attempt.tenantId, tenantId),
              options?.courseId === undefined ? undefined : eq(attempt.courseId, options.courseId),
              options?.learnerId === undefined ? undefined : eq(attempt.learnerId, options.learnerId),
              afterCursor(attempt.createdAt, attempt.id, options),
            ),
          )
          .orderBy(desc(attempt.createdAt), desc(attempt.id))
          .limit(limit + 1);
        return toPage(rows, limit);
      },
      async findResumable(tenantId, courseId, learnerId) {
        return first(
          db
            .select()
            .from(attempt)
            .where(
              and(
                eq(attempt.tenantId, tenantId),
                eq(attempt.courseId, courseId),
                eq(attempt.learnerId, learnerId),
                inArray(attempt.status, ['suspended', 'active']),
              ),
            )
            .orderBy(desc(attempt.updatedAt), desc(attempt.id))
            .limit(1),
        );
      },
      async updateSummary(tenantId, attemptId, patch) {
        return first(
          db
            .update(attempt)
            .set({ ...definedOnly(patch), updatedAt: new Date() })
            .where(and(eq(attempt.tenantId, tenantId), eq(attempt.id, attemptId)))
            .returning(),
        );
      },
    },

    scoStates: {
      async get(tenantId, attemptId, itemIdentifier) {
        return first(
          db
            .select()
            .from(scoState)
            .where(
              and(
                eq(scoState.tenantId, tenantId),
                eq(scoState.attemptId, attemptId),
                eq(scoState.itemIdentifier, itemIdentifier),
              ),
            ),
        );
      },
      async listByAttempt(tenantId, attemptId) {
        return db
          .select()
          .from(scoState)
          .where(and(eq(scoState.tenantId, tenantId), eq(scoState.attemptId, attemptId)))
          .orderBy(asc(binary(scoState.itemIdentifier)));
      },
      async commit(tenantId, attemptId, itemIdentifier, expectedSeq, input): Promise<CommitResult> {
        if (input.state == null || input.diff == null) {
          throw new DbError(DB_ERROR_CODES.INVALID_INPUT, 'a commit needs a state and a diff');
        }
        if (Number.isSafeInteger(expectedSeq) && expectedSeq > 1) {
          const now = new Date();
          try {
            const rows = await db.$client.unsafe<{ seq: number; scorm_version: ScoState['scormVersion'] }[]>(
              COMMIT_STATEMENT,
              [
                JSON.stringify(input.state),
                expectedSeq,
                now.toISOString(),
                input.scormVersion ?? null,
                tenantId,
                attemptId,
                itemIdentifier,
                input.requireOpenAttempt === true,
                newId(),
                JSON.stringify(input.diff),
                JSON.stringify(definedOnly(input.summary ?? {})),
                JSON.stringify(
                  lastByKey(input.interactions ?? [], (row) => row.idx).map((row) => ({
                    ...row,
                    id: newId(),
                  })),
                ),
                JSON.stringify(
                  lastByKey(input.objectives ?? [], (row) => row.objectiveId).map((row) => ({
                    ...row,
                    id: newId(),
                  })),
                ),
              ],
              { prepare: true },
            );
            const row = rows[0];
            if (row) {
              return {
                ok: true,
                value: {
                  tenantId,
                  attemptId,
                  itemIdentifier,
                  scormVersion: row.scorm_version,
                  seq: row.seq,
                  updatedAt: now,
                  state: input.state,
                },
              };
            }
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
          }
          // Nothing was written: the transaction below finds out why (and writes nothing either).
        }
        try {
          return await db.transaction(async (tx): Promise<CommitResult> => {
            // A sco_state row is only ever created after this check, so a later conditional update
            // filtered on tenant_id needs no check of its own: the happy path saves a round trip.
            const ownsAttempt = async () =>
              (await first(
                tx
                  .select({ id: attempt.id })
                  .from(attempt)
                  .where(and(eq(attempt.tenantId, tenantId), eq(attempt.id, attemptId))),
              )) !== null;
            const key = and(
              eq(scoState.tenantId, tenantId),
              eq(scoState.attemptId, attemptId),
              eq(scoState.itemIdentifier, itemIdentifier),
            );
            const now = new Date();
            // Every column but the state, which the caller has already (see the SQLite repositories).
            const storedColumns = {
              scormVersion: scoState.scormVersion,
              seq: scoState.seq,
              updatedAt: scoState.updatedAt,
            };
            // The attempt is open: checked by the same statement as the seq (below), so that a
            // caller deciding from a cached attempt row never writes to a closed attempt.
            const open = input.requireOpenAttempt
              ? sql`exists (select 1 from ${attempt} where ${attempt.tenantId} = ${tenantId} and ${attempt.id} = ${attemptId} and ${attempt.status} not in ('completed', 'terminated'))`
              : undefined;
            const closed = async (): Promise<boolean> => {
              if (!input.requireOpenAttempt) return false;
              const row = await first(
                tx
                  .select({ status: attempt.status })
                  .from(attempt)
                  .where(and(eq(attempt.tenantId, tenantId), eq(attempt.id, attemptId))),
              );
              return row !== null && (row.status === 'completed' || row.status === 'terminated');
            };
            let stored: Omit<ScoState, 'tenantId' | 'attemptId' | 'itemIdentifier' | 'state'> | null = null;
            if (expectedSeq === 1) {
              if (!(await ownsAttempt())) return { ok: false, error: 'ATTEMPT_NOT_FOUND' };
              if (await closed()) return { ok: false, error: 'ATTEMPT_CLOSED' };
              stored = await first(
                tx
                  .insert(scoState)
                  .values({
                    tenantId,
                    attemptId,
                    itemIdentifier,
                    scormVersion: input.scormVersion ?? null,
                    state: input.state,
                    seq: 1,
                    updatedAt: now,
                  })
                  .onConflictDoNothing()
                  .returning(storedColumns),
              );
            } else if (Number.isSafeInteger(expectedSeq) && expectedSeq > 1) {
              // Under READ COMMITTED a concurrent writer of the same seq blocks on the row lock,
              // then re-evaluates `seq = expectedSeq - 1` against the committed row and matches nothing.
              stored = await first(
                tx
                  .update(scoState)
                  .set({
                    state: input.state,
                    seq: expectedSeq,
                    updatedAt: now,
                    ...(input.scormVersion == null ? {} : { scormVersion: input.scormVersion }),
                  })
                  .where(and(key, eq(scoState.seq, expectedSeq - 1), open))
                  .returning(storedColumns),
              );
            }
            if (!stored) {
              if (!(await ownsAttempt())) return { ok: false, error: 'ATTEMPT_NOT_FOUND' };
              if (await closed()) return { ok: false, error: 'ATTEMPT_CLOSED' };
              const current = await first(tx.select({ seq: scoState.seq }).from(scoState).where(key));
              return { ok: false, error: 'SEQ_CONFLICT', currentSeq: current?.seq ?? 0 };
            }
            // Independent writes: sent together, postgres.js pipelines them on the transaction's connection.
            const writes: PromiseLike<unknown>[] = [
              tx.insert(commitLog).values({
                id: newId(),
                tenantId,
                attemptId,
                itemIdentifier,
                seq: expectedSeq,
                diff: input.diff,
                receivedAt: now,
              }),
              tx
                .update(attempt)
                .set({ ...definedOnly(input.summary ?? {}), updatedAt: now })
                .where(and(eq(attempt.tenantId, tenantId), eq(attempt.id, attemptId))),
            ];
            if (input.interactions && input.interactions.length > 0) {
              writes.push(
                tx
                  .insert(interaction)
                  .values(
                    lastByKey(input.interactions, (row) => row.idx).map((row) => ({
                      ...row,
                      id: newId(),
                      tenantId,
                      attemptId,
                      itemIdentifier,
                      updatedAt: now,
                    })),
                  )
                  .onConflictDoUpdate({
                    target: [interaction.attemptId, interaction.itemIdentifier, interaction.idx],
                    set: excluded(getTableColumns(interaction), [...INTERACTION_FIELDS]),
                  }),
              );
            }
            if (input.objectives && input.objectives.length > 0) {
              writes.push(
                tx
                  .insert(objective)
                  .values(
                    lastByKey(input.objectives, (row) => row.objectiveId).map((row) => ({
                      ...row,
                      id: newId(),
                      tenantId,
                      attemptId,
                      itemIdentifier,
                      updatedAt: now,
                    })),
                  )
                  .onConflictDoUpdate({
                    target: [objective.attemptId, objective.itemIdentifier, objective.objectiveId],
                    set: excluded(getTableColumns(objective), [...OBJECTIVE_FIELDS]),
                  }),
              );
            }
            await Promise.all(writes);
            return {
              ok: true,
              value: { tenantId, attemptId, itemIdentifier, ...stored, state: input.state },
            };
          });
        } catch (error) {
          // The unique (attempt, item, seq) of the commit log is the last line of defence: if it
          // fires, another writer won this seq and the transaction was rolled back.
          if (!isUniqueViolation(error)) throw error;
          return {
            ok: false,
            error: 'SEQ_CONFLICT',
            currentSeq: await currentSeq(tenantId, attemptId, itemIdentifier),
          };
        }
      },
      async interactions(tenantId, attemptId) {
        return db
          .select()
          .from(interaction)
          .where(and(eq(interaction.tenantId, tenantId), eq(interaction.attemptId, attemptId)))
          .orderBy(asc(binary(interaction.itemIdentifier)), asc(interaction.idx));
      },
      async objectives(tenantId, attemptId) {
        return db
          .select()
          .from(objective)
          .where(and(eq(objective.tenantId, tenantId), eq(objective.attemptId, attemptId)))
          .orderBy(asc(binary(objective.itemIdentifier)), asc(binary(objective.objectiveId)));
      },
    },

    commitLog: {
      async listByAttempt(tenantId, attemptId) {
        return db
          .select()
          .from(commitLog)
          .where(and(eq(commitLog.tenantId, tenantId), eq(commitLog.attemptId, attemptId)))
          .orderBy(asc(commitLog.receivedAt), asc(commitLog.id));
      },
    },

    launches: {
      async start(tenantId, input) {
        return db.transaction(async (tx) => {
          const owner = await first(
            tx
              .select({ id: attempt.id })
              .from(attempt)
              .where(and(eq(attempt.tenantId, tenantId), eq(attempt.id, input.attemptId))),
          );
          if (!owner) return null;
          const [row] = await tx
            .insert(launch)
            .values({
              id: newId(),
              tenantId,
              attemptId: input.attemptId,
              itemIdentifier: input.itemIdentifier,
              startedAt: new Date(),
            })
            .returning();
          return row!;
        });
      },
      async end(tenantId, launchId, input) {
        return first(
          db
            .update(launch)
            .set({
              endedAt: input.at ?? new Date(),
              exit: input.exit ?? null,
              statusReached: input.statusReached ?? null,
            })
            .where(and(eq(launch.tenantId, tenantId), eq(launch.id, launchId)))
            .returning(),
        );
      },
      async listByAttempt(tenantId, attemptId) {
        return db
          .select()
          .from(launch)
          .where(and(eq(launch.tenantId, tenantId), eq(launch.attemptId, attemptId)))
          .orderBy(asc(launch.startedAt), asc(launch.id));
      },
    },
  };
}
