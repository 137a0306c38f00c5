import { sql } from 'drizzle-orm';
import {
  blob,
  check,
  foreignKey,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import { CHECKS } from '../checks.js';
import type { ApiKeyRole, AttemptStatus, CourseKind, ObjectiveStatus, ScormVersion } from '../model.js';

const ts = (name: string) => integer(name, { mode: 'timestamp_ms' });
const json = (name: string) => text(name, { mode: 'json' });
const bool = (name: string) => integer(name, { mode: 'boolean' });

/**
 * SQLite schema. Must declare exactly the tables, columns and indexes of `../pg/schema.ts`
 * (a test compares the two).
 */
export const tenant = sqliteTable('tenant', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const apiKey = sqliteTable(
  'api_key',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull(),
    role: text('role').$type<ApiKeyRole>().notNull(),
    createdAt: ts('created_at').notNull(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_key_hash_uq').on(t.hash),
    index('api_key_tenant_idx').on(t.tenantId, t.createdAt),
    check('api_key_role_ck', CHECKS.apiKeyRole(t.role)),
  ],
);

export const learner = sqliteTable(
  'learner',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    name: text('name'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('learner_tenant_external_uq').on(t.tenantId, t.externalId)],
);

export const course = sqliteTable(
  'course',
  {
    id: text('id').notNull(),
    version: integer('version').notNull(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<CourseKind>().notNull(),
    scormVersion: text('scorm_version').$type<ScormVersion>(),
    title: text('title').notNull(),
    diagnostics: json('diagnostics').$type<unknown[]>().notNull(),
    model: json('model').$type<unknown>().notNull(),
    storagePrefix: text('storage_prefix').notNull(),
    size: integer('size').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'course_pk', columns: [t.id, t.version] }),
    index('course_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    check('course_kind_ck', CHECKS.courseKind(t.kind)),
    check('course_version_ck', CHECKS.positive(t.version)),
    check('course_size_ck', CHECKS.nonNegative(t.size)),
  ],
);

export const courseItem = sqliteTable(
  'course_item',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    courseId: text('course_id').notNull(),
    courseVersion: integer('course_version').notNull(),
    identifier: text('identifier').notNull(),
    parentIdentifier: text('parent_identifier'),
    ordinal: integer('ordinal').notNull(),
    depth: integer('depth').notNull(),
    title: text('title').notNull(),
    resourceId: text('resource_id'),
    launchUrl: text('launch_url'),
    isSco: bool('is_sco').notNull(),
    data: json('data').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    foreignKey({
      name: 'course_item_course_fk',
      columns: [t.courseId, t.courseVersion],
      foreignColumns: [course.id, course.version],
    }).onDelete('cascade'),
    uniqueIndex('course_item_course_identifier_uq').on(t.courseId, t.courseVersion, t.identifier),
  ],
);

export const attempt = sqliteTable(
  'attempt',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    courseId: text('course_id').notNull(),
    courseVersion: integer('course_version').notNull(),
    learnerId: text('learner_id')
      .notNull()
      .references(() => learner.id, { onDelete: 'cascade' }),
    status: text('status').$type<AttemptStatus>().notNull(),
    completionStatus: text('completion_status').$type<ObjectiveStatus>(),
    successStatus: text('success_status').$type<ObjectiveStatus>(),
    scoreScaled: real('score_scaled'),
    scoreRaw: real('score_raw'),
    totalTimeCs: integer('total_time_cs').notNull(),
    currentItem: text('current_item'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    foreignKey({
      name: 'attempt_course_fk',
      columns: [t.courseId, t.courseVersion],
      foreignColumns: [course.id, course.version],
    }).onDelete('cascade'),
    index('attempt_tenant_course_idx').on(t.tenantId, t.courseId, t.createdAt, t.id),
    index('attempt_tenant_learner_idx').on(t.tenantId, t.learnerId, t.createdAt, t.id),
    index('attempt_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    // Serves the cascade from a deleted course version.
    index('attempt_course_version_idx').on(t.courseId, t.courseVersion),
    check('attempt_status_ck', CHECKS.attemptStatus(t.status)),
    check('attempt_total_time_ck', CHECKS.nonNegative(t.totalTimeCs)),
  ],
);

export const scoState = sqliteTable(
  'sco_state',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    attemptId: text('attempt_id')
      .notNull()
      .references(() => attempt.id, { onDelete: 'cascade' }),
    itemIdentifier: text('item_identifier').notNull(),
    scormVersion: text('scorm_version').$type<ScormVersion>(),
    state: json('state').$type<unknown>().notNull(),
    seq: integer('seq').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'sco_state_pk', columns: [t.attemptId, t.itemIdentifier] }),
    check('sco_state_seq_ck', CHECKS.positive(t.seq)),
  ],
);

export const interaction = sqliteTable(
  'interaction',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    attemptId: text('attempt_id')
      .notNull()
      .references(() => attempt.id, { onDelete: 'cascade' }),
    itemIdentifier: text('item_identifier').notNull(),
    idx: integer('idx').notNull(),
    interactionId: text('interaction_id').notNull(),
    type: text('type'),
    description: text('description'),
    learnerResponse: text('learner_response'),
    result: text('result'),
    latency: text('latency'),
    timestamp: text('timestamp'),
    weighting: real('weighting'),
    correctResponses: json('correct_responses').$type<string[]>().notNull(),
    objectiveIds: json('objective_ids').$type<string[]>().notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('interaction_attempt_item_idx_uq').on(t.attemptId, t.itemIdentifier, t.idx),
    check('interaction_idx_ck', CHECKS.nonNegative(t.idx)),
  ],
);

export const objective = sqliteTable(
  'objective',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    attemptId: text('attempt_id')
      .notNull()
      .references(() => attempt.id, { onDelete: 'cascade' }),
    itemIdentifier: text('item_identifier').notNull(),
    objectiveId: text('objective_id').notNull(),
    successStatus: text('success_status'),
    completionStatus: text('completion_status'),
    scoreScaled: real('score_scaled'),
    scoreRaw: real('score_raw'),
    scoreMin: real('score_min'),
    scoreMax: real('score_max'),
    progressMeasure: real('progress_measure'),
    description: text('description'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('objective_attempt_item_objective_uq').on(t.attemptId, t.itemIdentifier, t.objectiveId),
  ],
);

export const commitLog = sqliteTable(
  'commit_log',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    attemptId: text('attempt_id')
      .notNull()
      .references(() => attempt.id, { onDelete: 'cascade' }),
    itemIdentifier: text('item_identifier').notNull(),
    seq: integer('seq').notNull(),
    diff: json('diff').$type<unknown>().notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('commit_log_attempt_item_seq_uq').on(t.attemptId, t.itemIdentifier, t.seq),
    index('commit_log_attempt_received_idx').on(t.attemptId, t.receivedAt),
    check('commit_log_seq_ck', CHECKS.positive(t.seq)),
  ],
);

export const launch = sqliteTable(
  'launch',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    attemptId: text('attempt_id')
      .notNull()
      .references(() => attempt.id, { onDelete: 'cascade' }),
    itemIdentifier: text('item_identifier').notNull(),
    startedAt: ts('started_at').notNull(),
    endedAt: ts('ended_at'),
    exit: text('exit'),
    statusReached: text('status_reached'),
  },
  (t) => [index('launch_attempt_idx').on(t.attemptId, t.startedAt)],
);

/**
 * Basic credentials of the xAPI endpoint: `key` is the public user name, `hash` the SHA-256 of the
 * secret (as API keys), `authority` the xAPI Agent the LRS writes into the statements it stores.
 */
export const xapiCredential = sqliteTable(
  'xapi_credential',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    hash: text('hash').notNull(),
    name: text('name').notNull(),
    authority: json('authority').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('xapi_credential_key_uq').on(t.key),
    index('xapi_credential_tenant_idx').on(t.tenantId, t.createdAt),
  ],
);

/**
 * LRS statements. `seq` (the rowid) numbers statements in insertion order: with `stored` it orders
 * query results and positions cursors. `own_keys` is the `StatementIndex` the LRS computed (the
 * statement's own keys); `voided` is kept up to date whichever of a statement and its voiding
 * statement arrives first.
 */
export const lrsStatement = sqliteTable(
  'lrs_statement',
  {
    seq: integer('seq').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    stored: ts('stored').notNull(),
    statement: json('statement').$type<Record<string, unknown>>().notNull(),
    verb: text('verb').notNull(),
    registration: text('registration'),
    voided: bool('voided').notNull(),
    voids: text('voids'),
    statementRef: text('statement_ref'),
    ownKeys: json('own_keys').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex('lrs_statement_tenant_id_uq').on(t.tenantId, t.id),
    index('lrs_statement_tenant_stored_idx').on(t.tenantId, t.stored, t.seq),
    // Referrers of a statement (StatementRefs and voiding statements) when it arrives after them.
    index('lrs_statement_tenant_ref_idx')
      .on(t.tenantId, t.statementRef)
      .where(sql`${t.statementRef} is not null`),
  ],
);

/**
 * The filter keys of a tenant's statements (agent keys, activity ids, verb ids, registrations), each
 * stored once and numbered, so that `lrs_statement_key` rows are three integers. `kind` is one of
 * `LRS_KEY_KINDS`. Ids are never reused (AUTOINCREMENT).
 */
export const lrsKey = sqliteTable(
  'lrs_key',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    kind: integer('kind').notNull(),
    key: text('key').notNull(),
  },
  (t) => [uniqueIndex('lrs_key_tenant_kind_key_uq').on(t.tenantId, t.kind, t.key)],
);

/**
 * The effective filter keys of each statement: its own plus those of the statements its
 * StatementRef chain targets, one row per (key, statement). The primary key is the index a
 * filtered query walks, in `(stored, seq)` order; the table is created WITHOUT ROWID (by hand in
 * the migration: Drizzle cannot declare it), so each row is stored once, in that index.
 */
export const lrsStatementKey = sqliteTable(
  'lrs_statement_key',
  {
    keyId: integer('key_id')
      .notNull()
      .references(() => lrsKey.id, { onDelete: 'cascade' }),
    stored: ts('stored').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ name: 'lrs_statement_key_pk', columns: [t.keyId, t.stored, t.seq] })],
);

/**
 * How far the key index is written (SQLite only): every statement whose `seq` is at most
 * `indexed_seq` has its `lrs_statement_key` rows. One row, id 1. Statements are stored at once and
 * their key rows afterwards, in large sorted batches, by whichever connection gets there first;
 * a filtered query first indexes the statements stored before it (see sqlite-lrs-store.ts).
 * `last_seq` is the highest `seq` ever given: numbers are never given twice, even after the
 * statements holding the highest ones were deleted with their tenant.
 */
export const lrsKeyIndex = sqliteTable('lrs_key_index', {
  id: integer('id').primaryKey(),
  indexedSeq: integer('indexed_seq').notNull(),
  lastSeq: integer('last_seq').notNull().default(0),
});

/** Statement attachments, content-addressed per tenant. */
export const lrsAttachment = sqliteTable(
  'lrs_attachment',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    sha2: text('sha2').notNull(),
    contentType: text('content_type').notNull(),
    content: blob('content', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ name: 'lrs_attachment_pk', columns: [t.tenantId, t.sha2] })],
);

/**
 * State, activity profile and agent profile documents. The parent's parameters that a kind does
 * not have are stored as `''` so that the primary key (whose columns cannot be null) covers them.
 */
export const lrsDocument = sqliteTable(
  'lrs_document',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    activityId: text('activity_id').notNull(),
    agent: text('agent').notNull(),
    registration: text('registration').notNull(),
    docId: text('doc_id').notNull(),
    contentType: text('content_type').notNull(),
    content: blob('content', { mode: 'buffer' }).notNull(),
    etag: text('etag').notNull(),
    updated: ts('updated').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'lrs_document_pk',
      columns: [t.tenantId, t.kind, t.activityId, t.agent, t.registration, t.docId],
    }),
  ],
);

/** Merged activity definitions. */
export const lrsActivity = sqliteTable(
  'lrs_activity',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    definition: json('definition').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ name: 'lrs_activity_pk', columns: [t.tenantId, t.id] })],
);

/**
 * The LRS tables (they hold binary columns, so they are compared across dialects by their own
 * test rather than with `sqliteSchema`).
 */
export const sqliteLrsSchema = {
  lrsStatement,
  lrsKey,
  lrsStatementKey,
  lrsAttachment,
  lrsDocument,
  lrsActivity,
} as const;

/** Every table of the schema, keyed by its export name. */
export const sqliteSchema = {
  tenant,
  apiKey,
  learner,
  course,
  courseItem,
  attempt,
  scoState,
  interaction,
  objective,
  commitLog,
  launch,
  xapiCredential,
} as const;
