import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  doublePrecision,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { CHECKS } from '../checks.js';
import type { ApiKeyRole, AttemptStatus, CourseKind, ObjectiveStatus, ScormVersion } from '../model.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * PostgreSQL schema. Must declare exactly the tables, columns and indexes of `../sqlite/schema.ts`
 * (a test compares the two).
 */
export const tenant = pgTable('tenant', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const apiKey = pgTable(
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

export const learner = pgTable(
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

export const course = pgTable(
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
    diagnostics: jsonb('diagnostics').$type<unknown[]>().notNull(),
    model: jsonb('model').$type<unknown>().notNull(),
    storagePrefix: text('storage_prefix').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
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

export const courseItem = pgTable(
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
    isSco: boolean('is_sco').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
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

export const attempt = pgTable(
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
    scoreScaled: doublePrecision('score_scaled'),
    scoreRaw: doublePrecision('score_raw'),
    totalTimeCs: bigint('total_time_cs', { mode: 'number' }).notNull(),
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

export const scoState = pgTable(
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
    state: jsonb('state').$type<unknown>().notNull(),
    seq: integer('seq').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'sco_state_pk', columns: [t.attemptId, t.itemIdentifier] }),
    check('sco_state_seq_ck', CHECKS.positive(t.seq)),
  ],
);

export const interaction = pgTable(
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
    weighting: doublePrecision('weighting'),
    correctResponses: jsonb('correct_responses').$type<string[]>().notNull(),
    objectiveIds: jsonb('objective_ids').$type<string[]>().notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('interaction_attempt_item_idx_uq').on(t.attemptId, t.itemIdentifier, t.idx),
    check('interaction_idx_ck', CHECKS.nonNegative(t.idx)),
  ],
);

export const objective = pgTable(
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
    scoreScaled: doublePrecision('score_scaled'),
    scoreRaw: doublePrecision('score_raw'),
    scoreMin: doublePrecision('score_min'),
    scoreMax: doublePrecision('score_max'),
    progressMeasure: doublePrecision('progress_measure'),
    description: text('description'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('objective_attempt_item_objective_uq').on(t.attemptId, t.itemIdentifier, t.objectiveId),
  ],
);

export const commitLog = pgTable(
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
    diff: jsonb('diff').$type<unknown>().notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('commit_log_attempt_item_seq_uq').on(t.attemptId, t.itemIdentifier, t.seq),
    index('commit_log_attempt_received_idx').on(t.attemptId, t.receivedAt),
    check('commit_log_seq_ck', CHECKS.positive(t.seq)),
  ],
);

export const launch = pgTable(
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

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** See `xapiCredential` in `../sqlite/schema.ts`. */
export const xapiCredential = pgTable(
  'xapi_credential',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    hash: text('hash').notNull(),
    name: text('name').notNull(),
    authority: jsonb('authority').$type<Record<string, unknown>>().notNull(),
    createdAt: ts('created_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('xapi_credential_key_uq').on(t.key),
    index('xapi_credential_tenant_idx').on(t.tenantId, t.createdAt),
  ],
);

/** See `lrsStatement` in `../sqlite/schema.ts`; `seq` is an identity column here. */
export const lrsStatement = pgTable(
  'lrs_statement',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    stored: ts('stored').notNull(),
    statement: json('statement').$type<Record<string, unknown>>().notNull(),
    verb: text('verb').notNull(),
    registration: text('registration'),
    voided: boolean('voided').notNull(),
    voids: text('voids'),
    statementRef: text('statement_ref'),
    ownKeys: json('own_keys').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex('lrs_statement_tenant_id_uq').on(t.tenantId, t.id),
    index('lrs_statement_tenant_stored_idx').on(t.tenantId, t.stored, t.seq),
    index('lrs_statement_tenant_ref_idx')
      .on(t.tenantId, t.statementRef)
      .where(sql`${t.statementRef} is not null`),
  ],
);

/** See `lrsKey` in `../sqlite/schema.ts`; `id` is an identity column here. */
export const lrsKey = pgTable(
  'lrs_key',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    kind: integer('kind').notNull(),
    key: text('key').notNull(),
  },
  (t) => [uniqueIndex('lrs_key_tenant_kind_key_uq').on(t.tenantId, t.kind, t.key)],
);

/** See `lrsStatementKey` in `../sqlite/schema.ts`. */
export const lrsStatementKey = pgTable(
  'lrs_statement_key',
  {
    keyId: bigint('key_id', { mode: 'number' })
      .notNull()
      .references(() => lrsKey.id, { onDelete: 'cascade' }),
    stored: ts('stored').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'lrs_statement_key_pk', columns: [t.keyId, t.stored, t.seq] })],
);

/** See `lrsAttachment` in `../sqlite/schema.ts`. */
export const lrsAttachment = pgTable(
  'lrs_attachment',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    sha2: text('sha2').notNull(),
    contentType: text('content_type').notNull(),
    content: bytea('content').notNull(),
  },
  (t) => [primaryKey({ name: 'lrs_attachment_pk', columns: [t.tenantId, t.sha2] })],
);

/** See `lrsDocument` in `../sqlite/schema.ts`. */
export const lrsDocument = pgTable(
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
    content: bytea('content').notNull(),
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

/** See `lrsActivity` in `../sqlite/schema.ts`. */
export const lrsActivity = pgTable(
  'lrs_activity',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenant.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ name: 'lrs_activity_pk', columns: [t.tenantId, t.id] })],
);

/** The LRS tables (see `sqliteLrsSchema`). */
export const pgLrsSchema = {
  lrsStatement,
  lrsKey,
  lrsStatementKey,
  lrsAttachment,
  lrsDocument,
  lrsActivity,
} as const;

/** Every table of the schema, keyed by its export name. */
export const pgSchema = {
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
