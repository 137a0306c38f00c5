import type BetterSqlite3 from 'better-sqlite3';
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
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { alias, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { DB_ERROR_CODES, DbError } from '../errors.js';
import { writeCommitStatementsSqlite } from '../lrs/commit-statements.js';
import type { Attempt, Course, ScoState } from '../model.js';
import type {
  AttemptListOptions,
  AttemptSummaryPatch,
  CommitInput,
  CommitResult,
  PageOptions,
  Repositories,
} from '../repositories.js';
import {
  assertNoNul,
  assertPositiveInteger,
  decodeCursor,
  definedOnly,
  generateApiKeySecret,
  hashApiKey,
  jsonHasNul,
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
  scoState,
  type sqliteSchema,
  tenant,
} from './schema.js';
import { sqliteWriteQueue } from './write-queue.js';

/** A Drizzle database over better-sqlite3 with the ScormFlow schema. */
export type SqliteDrizzle = BetterSQLite3Database<typeof sqliteSchema> & { $client: BetterSqlite3.Database };

/** `excluded.<column>` for every named column: the values an upsert tried to insert. */
function excluded<T extends Record<string, SQLiteColumn>>(
  columns: T,
  keys: (keyof T)[],
): Record<string, SQL> {
  return Object.fromEntries(keys.map((key) => [key, sql.raw(`excluded."${columns[key]!.name}"`)]));
}

function afterCursor(
  createdAt: SQLiteColumn,
  id: SQLiteColumn,
  options: PageOptions | undefined,
): SQL | undefined {
  const position = decodeCursor(options?.cursor);
  if (!position) return undefined;
  return or(lt(createdAt, position.createdAt), and(eq(createdAt, position.createdAt), lt(id, position.id)));
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

const SUMMARY_FIELDS = [
  'status',
  'completionStatus',
  'successStatus',
  'scoreScaled',
  'scoreRaw',
  'totalTimeCs',
  'currentItem',
  'finishedAt',
] as const satisfies readonly (keyof AttemptSummaryPatch)[];

type SummaryField = (typeof SUMMARY_FIELDS)[number];

/** A value as better-sqlite3 binds it: the columns' encoders do not run on `sql` placeholders. */
function driverValue(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

/**
 * The runtime's fixed-shape statements (reads of an attempt and a SCO state, and every statement of
 * a commit), built and prepared once per database, so that a commit neither builds SQL nor asks
 * SQLite to compile it. Every placeholder is wrapped in `sql` and bound to an already-encoded value
 * (JSON text, epoch milliseconds): an encoder bound to a placeholder would turn `null` into `'null'`
 * or throw on it. Rows read back are decoded by Drizzle as usual.
 */
function prepareStatements(db: SqliteDrizzle) {
  const p = (name: string) => sql`${sql.placeholder(name)}`;
  const stateKey = and(
    eq(scoState.tenantId, sql.placeholder('tenantId')),
    eq(scoState.attemptId, sql.placeholder('attemptId')),
    eq(scoState.itemIdentifier, sql.placeholder('itemIdentifier')),
  );
  const attemptKey = and(
    eq(attempt.tenantId, sql.placeholder('tenantId')),
    eq(attempt.id, sql.placeholder('attemptId')),
  );
  const interactionColumns = getTableColumns(interaction);
  const objectiveColumns = getTableColumns(objective);
  // A commit's writes return every column but the state: the caller has it already, and reading
  // kilobytes of JSON back only to parse them again is the commit's largest avoidable cost.
  const storedColumns = {
    scormVersion: scoState.scormVersion,
    seq: scoState.seq,
    updatedAt: scoState.updatedAt,
  };
  return {
    getAttempt: db.select().from(attempt).where(attemptKey).prepare(),
    attemptStatus: db.select({ status: attempt.status }).from(attempt).where(attemptKey).prepare(),
    getState: db.select().from(scoState).where(stateKey).prepare(),
    stateSeq: db.select({ seq: scoState.seq }).from(scoState).where(stateKey).prepare(),
    listStates: db
      .select()
      .from(scoState)
      .where(
        and(
          eq(scoState.tenantId, sql.placeholder('tenantId')),
          eq(scoState.attemptId, sql.placeholder('attemptId')),
        ),
      )
      .orderBy(asc(scoState.itemIdentifier))
      .prepare(),
    insertState: db
      .insert(scoState)
      .values({
        tenantId: p('tenantId'),
        attemptId: p('attemptId'),
        itemIdentifier: p('itemIdentifier'),
        scormVersion: p('scormVersion'),
        state: p('state'),
        seq: 1,
        updatedAt: p('updatedAt'),
      })
      .onConflictDoNothing()
      .returning(storedColumns)
      .prepare(),
    updateState: db
      .update(scoState)
      .set({
        state: p('state'),
        seq: p('seq'),
        updatedAt: p('updatedAt'),
        scormVersion: sql`coalesce(${sql.placeholder('scormVersion')}, ${scoState.scormVersion})`,
      })
      .where(and(stateKey, eq(scoState.seq, sql.placeholder('previousSeq'))))
      .returning(storedColumns)
      .prepare(),
    insertLog: db
      .insert(commitLog)
      .values({
        id: p('id'),
        tenantId: p('tenantId'),
        attemptId: p('attemptId'),
        itemIdentifier: p('itemIdentifier'),
        seq: p('seq'),
        diff: p('diff'),
        receivedAt: p('receivedAt'),
      })
      .prepare(),
    upsertInteraction: db
      .insert(interaction)
      .values({
        id: p('id'),
        tenantId: p('tenantId'),
        attemptId: p('attemptId'),
        itemIdentifier: p('itemIdentifier'),
        idx: p('idx'),
        interactionId: p('interactionId'),
        type: p('type'),
        description: p('description'),
        learnerResponse: p('learnerResponse'),
        result: p('result'),
        latency: p('latency'),
        timestamp: p('timestamp'),
        weighting: p('weighting'),
        correctResponses: p('correctResponses'),
        objectiveIds: p('objectiveIds'),
        updatedAt: p('updatedAt'),
      })
      .onConflictDoUpdate({
        target: [interaction.attemptId, interaction.itemIdentifier, interaction.idx],
        set: excluded(interactionColumns, [...INTERACTION_FIELDS]),
      })
      .prepare(),
    upsertObjective: db
      .insert(objective)
      .values({
        id: p('id'),
        tenantId: p('tenantId'),
        attemptId: p('attemptId'),
        itemIdentifier: p('itemIdentifier'),
        objectiveId: p('objectiveId'),
        successStatus: p('successStatus'),
        completionStatus: p('completionStatus'),
        scoreScaled: p('scoreScaled'),
        scoreRaw: p('scoreRaw'),
        scoreMin: p('scoreMin'),
        scoreMax: p('scoreMax'),
        progressMeasure: p('progressMeasure'),
        description: p('description'),
        updatedAt: p('updatedAt'),
      })
      .onConflictDoUpdate({
        target: [objective.attemptId, objective.itemIdentifier, objective.objectiveId],
        set: excluded(objectiveColumns, [...OBJECTIVE_FIELDS]),
      })
      .prepare(),
  };
}

/** The attempt summary update setting exactly `fields` and `updatedAt`. */
function prepareSummaryUpdate(db: SqliteDrizzle, fields: readonly SummaryField[]) {
  const set: Record<string, SQL> = { updatedAt: sql`${sql.placeholder('updatedAt')}` };
  for (const field of fields) set[field] = sql`${sql.placeholder(field)}`;
  return db
    .update(attempt)
    .set(set)
    .where(
      and(eq(attempt.tenantId, sql.placeholder('tenantId')), eq(attempt.id, sql.placeholder('attemptId'))),
    )
    .prepare();
}

/**
 * The repositories on SQLite. better-sqlite3 is synchronous, so every transaction runs to completion
 * without yielding: no other call on this connection can interleave with it. Write transactions
 * begin `IMMEDIATE`, so that another process sharing the file waits for the write lock instead of
 * failing on upgrade.
 *
 * Exported for applications that bring their own Drizzle instance (with this package's schema,
 * migrated with Drizzle's migrator from `migrationsFolder(dialect)`); `openDatabase` is the usual entry.
 */
export function sqliteRepositories(db: SqliteDrizzle): Repositories {
  return refuseNul(repositories(db), ['scoStates.commit']);
}

function repositories(db: SqliteDrizzle): Repositories {
  // Prepared on first use: the tables exist only after `migrate`.
  let prepared: ReturnType<typeof prepareStatements> | undefined;
  const statements = () => {
    prepared ??= prepareStatements(db);
    return prepared;
  };
  // One summary update per set of fields a commit names (at most 2^8, in practice a handful).
  const summaryUpdates = new Map<string, ReturnType<typeof prepareSummaryUpdate>>();
  const updateSummary = (tenantId: string, attemptId: string, patch: AttemptSummaryPatch, now: Date) => {
    const fields = SUMMARY_FIELDS.filter((field) => patch[field] !== undefined);
    const shape = fields.join(',');
    let statement = summaryUpdates.get(shape);
    if (!statement) {
      statement = prepareSummaryUpdate(db, fields);
      summaryUpdates.set(shape, statement);
    }
    const values: Record<string, unknown> = { tenantId, attemptId, updatedAt: now.getTime() };
    for (const field of fields) values[field] = driverValue(patch[field]);
    statement.run(values);
  };

  // The writes of one commit, run by the write queue in a savepoint of the group transaction (rolled
  // back alone when a statement throws).
  const commitWrites = (
    tenantId: string,
    attemptId: string,
    itemIdentifier: string,
    expectedSeq: number,
    input: CommitInput,
    stateJson: string,
    diffJson: string,
  ): CommitResult => {
    const statement = statements();
    // A sco_state row is only ever created after this check, so a later conditional update
    // filtered on tenant_id needs no check of its own.
    const status = () => statement.attemptStatus.get({ tenantId, attemptId })?.status;
    const ownsAttempt = () => status() !== undefined;
    if (input.requireOpenAttempt) {
      const current = status();
      if (current === undefined) return { ok: false, error: 'ATTEMPT_NOT_FOUND' };
      if (current === 'completed' || current === 'terminated') return { ok: false, error: 'ATTEMPT_CLOSED' };
    }
    const now = new Date();
    const updatedAt = now.getTime();
    let stored: Omit<ScoState, 'tenantId' | 'attemptId' | 'itemIdentifier' | 'state'> | undefined;
    if (expectedSeq === 1) {
      if (!input.requireOpenAttempt && !ownsAttempt()) return { ok: false, error: 'ATTEMPT_NOT_FOUND' };
      stored = statement.insertState.get({
        tenantId,
        attemptId,
        itemIdentifier,
        scormVersion: input.scormVersion ?? null,
        state: stateJson,
        updatedAt,
      });
    } else if (Number.isSafeInteger(expectedSeq) && expectedSeq > 1) {
      stored = statement.updateState.get({
        state: stateJson,
        seq: expectedSeq,
        updatedAt,
        scormVersion: input.scormVersion ?? null,
        tenantId,
        attemptId,
        itemIdentifier,
        previousSeq: expectedSeq - 1,
      });
    }
    if (!stored) {
      if (!ownsAttempt()) return { ok: false, error: 'ATTEMPT_NOT_FOUND' };
      const current = statement.stateSeq.get({ tenantId, attemptId, itemIdentifier });
      return { ok: false, error: 'SEQ_CONFLICT', currentSeq: current?.seq ?? 0 };
    }
    statement.insertLog.run({
      id: newId(),
      tenantId,
      attemptId,
      itemIdentifier,
      seq: expectedSeq,
      diff: diffJson,
      receivedAt: updatedAt,
    });
    for (const row of lastByKey(input.interactions ?? [], (row) => row.idx)) {
      statement.upsertInteraction.run({
        id: newId(),
        tenantId,
        attemptId,
        itemIdentifier,
        idx: row.idx,
        interactionId: row.interactionId,
        type: row.type ?? null,
        description: row.description ?? null,
        learnerResponse: row.learnerResponse ?? null,
        result: row.result ?? null,
        latency: row.latency ?? null,
        timestamp: row.timestamp ?? null,
        weighting: row.weighting ?? null,
        correctResponses: JSON.stringify(row.correctResponses),
        objectiveIds: JSON.stringify(row.objectiveIds),
        updatedAt,
      });
    }
    for (const row of lastByKey(input.objectives ?? [], (row) => row.objectiveId)) {
      statement.upsertObjective.run({
        id: newId(),
        tenantId,
        attemptId,
        itemIdentifier,
        objectiveId: row.objectiveId,
        successStatus: row.successStatus ?? null,
        completionStatus: row.completionStatus ?? null,
        scoreScaled: row.scoreScaled ?? null,
        scoreRaw: row.scoreRaw ?? null,
        scoreMin: row.scoreMin ?? null,
        scoreMax: row.scoreMax ?? null,
        progressMeasure: row.progressMeasure ?? null,
        description: row.description ?? null,
        updatedAt,
      });
    }
    updateSummary(tenantId, attemptId, input.summary ?? {}, now);
    return { ok: true, value: { tenantId, attemptId, itemIdentifier, ...stored, state: input.state } };
  };

  // Group commit: commits made in the same turn of the event loop are written in one transaction
  // (one BEGIN IMMEDIATE ... COMMIT, one WAL append) by the connection's write queue, shared with
  // the LRS store. Each runs in a savepoint of its own, so that one that throws rolls back alone
  // and rejects only its own caller; every caller is answered after the transaction has committed.
  const writeQueue = sqliteWriteQueue(db.$client);

  const latestOnly = () => {
    const newer = alias(course, 'newer');
    return notExists(
      db
        .select({ one: sql`1` })
        .from(newer)
        .where(and(eq(newer.id, course.id), gt(newer.version, course.version))),
    );
  };

  const getAttempt = (tenantId: string, attemptId: string): Attempt | null =>
    statements().getAttempt.get({ tenantId, attemptId }) ?? null;

  return {
    tenants: {
      async create(input) {
        return db
          .insert(tenant)
          .values({ id: input.id ?? newId(), name: input.name, createdAt: new Date() })
          .returning()
          .get();
      },
      async get(tenantId) {
        return db.select().from(tenant).where(eq(tenant.id, tenantId)).get() ?? null;
      },
    },

    apiKeys: {
      async create(tenantId, input) {
        const { secret, prefix } = generateApiKeySecret();
        const key = db
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
          .returning()
          .get();
        return { key, secret };
      },
      async findByHash(hash) {
        return (
          db
            .select()
            .from(apiKey)
            .where(and(eq(apiKey.hash, hash), isNull(apiKey.revokedAt)))
            .get() ?? null
        );
      },
      async list(tenantId) {
        return db
          .select()
          .from(apiKey)
          .where(eq(apiKey.tenantId, tenantId))
          .orderBy(asc(apiKey.createdAt), asc(apiKey.id))
          .all();
      },
      async revoke(tenantId, keyId) {
        const result = db
          .update(apiKey)
          .set({ revokedAt: new Date() })
          .where(and(eq(apiKey.tenantId, tenantId), eq(apiKey.id, keyId), isNull(apiKey.revokedAt)))
          .run();
        return result.changes > 0;
      },
      async touchLastUsed(tenantId, keyId, at = new Date()) {
        db.update(apiKey)
          .set({ lastUsedAt: at })
          .where(and(eq(apiKey.tenantId, tenantId), eq(apiKey.id, keyId)))
          .run();
      },
    },

    learners: {
      async upsert(tenantId, input) {
        const now = new Date();
        return db
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
          .returning()
          .get();
      },
      async get(tenantId, learnerId) {
        return (
          db
            .select()
            .from(learner)
            .where(and(eq(learner.tenantId, tenantId), eq(learner.id, learnerId)))
            .get() ?? null
        );
      },
      async findByExternalId(tenantId, externalId) {
        return (
          db
            .select()
            .from(learner)
            .where(and(eq(learner.tenantId, tenantId), eq(learner.externalId, externalId)))
            .get() ?? null
        );
      },
    },

    courses: {
      async create(tenantId, input) {
        return db.transaction(
          (tx) => {
            const id = input.id ?? newId();
            if (input.id !== undefined) {
              const taken = tx
                .select({ id: course.id })
                .from(course)
                .where(and(eq(course.id, id), ne(course.tenantId, tenantId)))
                .limit(1)
                .get();
              if (taken) throw new DbError(DB_ERROR_CODES.INVALID_INPUT, 'course id is not available');
            }
            let version = input.version;
            if (version === undefined) {
              const row = tx
                .select({ v: max(course.version) })
                .from(course)
                .where(and(eq(course.tenantId, tenantId), eq(course.id, id)))
                .get();
              version = (row?.v ?? 0) + 1;
            }
            assertPositiveInteger(version, 'course version');
            const now = new Date();
            const created = tx
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
              .returning()
              .get();
            if (input.items.length > 0) {
              tx.insert(courseItem)
                .values(
                  input.items.map((item, ordinal) => ({
                    id: newId(),
                    tenantId,
                    courseId: id,
                    courseVersion: version,
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
                )
                .run();
            }
            return created;
          },
          { behavior: 'immediate' },
        );
      },
      async get(tenantId, courseId, version) {
        const where = and(
          eq(course.tenantId, tenantId),
          eq(course.id, courseId),
          version === undefined ? undefined : eq(course.version, version),
        );
        return db.select().from(course).where(where).orderBy(desc(course.version)).limit(1).get() ?? null;
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
          .orderBy(asc(courseItem.ordinal))
          .all();
      },
      async list(tenantId, options) {
        const limit = pageLimit(options);
        const rows: Course[] = db
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
          .limit(limit + 1)
          .all();
        return toPage(rows, limit);
      },
      async delete(tenantId, courseId) {
        const result = db
          .delete(course)
          .where(and(eq(course.tenantId, tenantId), eq(course.id, courseId)))
          .run();
        return result.changes > 0;
      },
      async nextVersion(tenantId, courseId) {
        const row = db
          .select({ v: max(course.version) })
          .from(course)
          .where(and(eq(course.tenantId, tenantId), eq(course.id, courseId)))
          .get();
        return (row?.v ?? 0) + 1;
      },
    },

    attempts: {
      async create(tenantId, input) {
        return db.transaction(
          (tx) => {
            const courseRow = tx
              .select({ id: course.id })
              .from(course)
              .where(
                and(
                  eq(course.tenantId, tenantId),
                  eq(course.id, input.courseId),
                  eq(course.version, input.courseVersion),
                ),
              )
              .get();
            const learnerRow = tx
              .select({ id: learner.id })
              .from(learner)
              .where(and(eq(learner.tenantId, tenantId), eq(learner.id, input.learnerId)))
              .get();
            if (!courseRow || !learnerRow) return null;
            const now = new Date();
            return tx
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
              .returning()
              .get();
          },
          { behavior: 'immediate' },
        );
      },
      async get(tenantId, attemptId) {
        return getAttempt(tenantId, attemptId);
      },
      async list(tenantId, options?: AttemptListOptions) {
        const limit = pageLimit(options);
        const rows = db
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
          .limit(limit + 1)
          .all();
        return toPage(rows, limit);
      },
      async findResumable(tenantId, courseId, learnerId) {
        return (
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
            .limit(1)
            .get() ?? null
        );
      },
      async updateSummary(tenantId, attemptId, patch) {
        return (
          db
            .update(attempt)
            .set({ ...definedOnly(patch), updatedAt: new Date() })
            .where(and(eq(attempt.tenantId, tenantId), eq(attempt.id, attemptId)))
            .returning()
            .get() ?? null
        );
      },
    },

    scoStates: {
      async get(tenantId, attemptId, itemIdentifier) {
        return statements().getState.get({ tenantId, attemptId, itemIdentifier }) ?? null;
      },
      async listByAttempt(tenantId, attemptId) {
        return statements().listStates.all({ tenantId, attemptId });
      },
      async commit(tenantId, attemptId, itemIdentifier, expectedSeq, input): Promise<CommitResult> {
        // The U+0000 check of `refuseNul`, on the JSON text that is stored anyway.
        const what = 'scoStates.commit input';
        for (const arg of [tenantId, attemptId, itemIdentifier, expectedSeq]) assertNoNul(arg, what);
        // The statements are checked by the LRS writer: a problem there never refuses the commit.
        const { state, diff, xapi, ...rest } = input;
        const stateJson = JSON.stringify(state);
        const diffJson = JSON.stringify(diff);
        assertNoNul(rest, what);
        if (jsonHasNul(stateJson ?? '', state) || jsonHasNul(diffJson ?? '', diff)) {
          throw new DbError(DB_ERROR_CODES.INVALID_INPUT, `${what} contains U+0000, which cannot be stored`);
        }
        if (state == null || diff == null) {
          throw new DbError(DB_ERROR_CODES.INVALID_INPUT, 'a commit needs a state and a diff');
        }
        if (!xapi) {
          return writeQueue.run(() =>
            commitWrites(tenantId, attemptId, itemIdentifier, expectedSeq, input, stateJson, diffJson),
          );
        }
        // The statements go in the same transaction, right after the commit's writes.
        return writeQueue.run((): CommitResult => {
          const result = commitWrites(
            tenantId,
            attemptId,
            itemIdentifier,
            expectedSeq,
            input,
            stateJson,
            diffJson,
          );
          if (!result.ok) return result;
          return { ...result, ...writeCommitStatementsSqlite(db.$client, tenantId, xapi) };
        });
      },
      async interactions(tenantId, attemptId) {
        return db
          .select()
          .from(interaction)
          .where(and(eq(interaction.tenantId, tenantId), eq(interaction.attemptId, attemptId)))
          .orderBy(asc(interaction.itemIdentifier), asc(interaction.idx))
          .all();
      },
      async objectives(tenantId, attemptId) {
        return db
          .select()
          .from(objective)
          .where(and(eq(objective.tenantId, tenantId), eq(objective.attemptId, attemptId)))
          .orderBy(asc(objective.itemIdentifier), asc(objective.objectiveId))
          .all();
      },
    },

    commitLog: {
      async listByAttempt(tenantId, attemptId) {
        return db
          .select()
          .from(commitLog)
          .where(and(eq(commitLog.tenantId, tenantId), eq(commitLog.attemptId, attemptId)))
          .orderBy(asc(commitLog.receivedAt), asc(commitLog.id))
          .all();
      },
    },

    launches: {
      async start(tenantId, input) {
        if (!getAttempt(tenantId, input.attemptId)) return null;
        return db
          .insert(launch)
          .values({
            id: newId(),
            tenantId,
            attemptId: input.attemptId,
            itemIdentifier: input.itemIdentifier,
            startedAt: new Date(),
          })
          .returning()
          .get();
      },
      async end(tenantId, launchId, input) {
        return (
          db
            .update(launch)
            .set({
              endedAt: input.at ?? new Date(),
              exit: input.exit ?? null,
              statusReached: input.statusReached ?? null,
            })
            .where(and(eq(launch.tenantId, tenantId), eq(launch.id, launchId)))
            .returning()
            .get() ?? null
        );
      },
      async listByAttempt(tenantId, attemptId) {
        return db
          .select()
          .from(launch)
          .where(and(eq(launch.tenantId, tenantId), eq(launch.attemptId, attemptId)))
          .orderBy(asc(launch.startedAt), asc(launch.id))
          .all();
      },
    },
  };
}
