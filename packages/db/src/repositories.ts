import type { ActivityDefinitionUpdate, NewStatement } from '@scormflow/lrs';
import type {
  ApiKey,
  ApiKeyRole,
  Attempt,
  AttemptStatus,
  CommitLogEntry,
  Course,
  CourseItem,
  CourseKind,
  Interaction,
  Launch,
  Learner,
  Objective,
  ObjectiveStatus,
  ScormVersion,
  ScoState,
  Tenant,
} from './model.js';

/** One page of a cursor-paginated list. Pass `nextCursor` back to get the next page; `null` at the end. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Pagination options. `cursor` is the opaque `nextCursor` of the previous page. */
export interface PageOptions {
  /** Page size, 1 to 500; default 50. */
  limit?: number;
  cursor?: string | null;
}

/** Tenants. */
export interface TenantRepository {
  create(input: { name: string; id?: string }): Promise<Tenant>;
  get(tenantId: string): Promise<Tenant | null>;
}

/** A newly created API key with its secret, which is returned here once and never stored. */
export interface CreatedApiKey {
  key: ApiKey;
  secret: string;
}

/** API keys of a tenant; secrets are stored as SHA-256 hashes only. */
export interface ApiKeyRepository {
  create(tenantId: string, input: { name: string; role: ApiKeyRole }): Promise<CreatedApiKey>;
  /**
   * The unrevoked key whose secret hashes to `hash` (see `hashApiKey`). Not tenant-scoped: this is
   * how a request's tenant is found.
   */
  findByHash(hash: string): Promise<ApiKey | null>;
  list(tenantId: string): Promise<ApiKey[]>;
  /** Revokes a key; `false` if the tenant has no such key or it was already revoked. */
  revoke(tenantId: string, keyId: string): Promise<boolean>;
  touchLastUsed(tenantId: string, keyId: string, at?: Date): Promise<void>;
}

/** Learners of a tenant, known by their external id. */
export interface LearnerRepository {
  /** Creates the learner, or updates its name if `externalId` is already known to the tenant. */
  upsert(tenantId: string, input: { externalId: string; name?: string | null }): Promise<Learner>;
  get(tenantId: string, learnerId: string): Promise<Learner | null>;
  findByExternalId(tenantId: string, externalId: string): Promise<Learner | null>;
}

/** One item of the course tree to store with a new course version. */
export interface CourseItemInput {
  identifier: string;
  parentIdentifier?: string | null;
  title: string;
  resourceId?: string | null;
  launchUrl?: string | null;
  isSco: boolean;
  depth: number;
  data?: Record<string, unknown>;
}

/** A new course, or a new version of an existing course when `id` is given. */
export interface CreateCourseInput {
  /**
   * Id of the tenant's course to add a version to; a new id is generated when absent. An id used by
   * another tenant is refused (`DbError` `DB_INVALID_INPUT`).
   */
  id?: string;
  /** Version number; defaults to `nextVersion(tenantId, id)`. */
  version?: number;
  kind: CourseKind;
  scormVersion?: ScormVersion | null;
  title: string;
  diagnostics?: unknown[];
  model: unknown;
  storagePrefix: string;
  size: number;
  /** The item tree in document order; `ordinal` is the index in this array. */
  items: CourseItemInput[];
}

/** Courses and their item trees; a course has one row per version. */
export interface CourseRepository {
  /** Stores the course version and all its items in one transaction. */
  create(tenantId: string, input: CreateCourseInput): Promise<Course>;
  /** The given version, or the latest version when `version` is absent. */
  get(tenantId: string, courseId: string, version?: number): Promise<Course | null>;
  /** Items of a course version in document order. */
  items(tenantId: string, courseId: string, version: number): Promise<CourseItem[]>;
  /** The latest version of each course, newest first, paginated by `(createdAt, id)`. */
  list(tenantId: string, options?: PageOptions): Promise<Page<Course>>;
  /** Deletes every version of the course and everything that hangs off it (items, attempts, states, logs). */
  delete(tenantId: string, courseId: string): Promise<boolean>;
  /** 1 + the highest stored version of the course, 1 for an unknown course. */
  nextVersion(tenantId: string, courseId: string): Promise<number>;
}

/** Fields of an attempt's summary that a commit or the server may change. */
export interface AttemptSummaryPatch {
  status?: AttemptStatus;
  completionStatus?: ObjectiveStatus | null;
  successStatus?: ObjectiveStatus | null;
  scoreScaled?: number | null;
  scoreRaw?: number | null;
  totalTimeCs?: number;
  currentItem?: string | null;
  finishedAt?: Date | null;
}

/** Filters for listing attempts. */
export interface AttemptListOptions extends PageOptions {
  courseId?: string;
  learnerId?: string;
}

/** Attempts of learners on course versions. */
export interface AttemptRepository {
  /** `null` when the tenant has no such course version or learner. */
  create(
    tenantId: string,
    input: { courseId: string; courseVersion: number; learnerId: string; currentItem?: string | null },
  ): Promise<Attempt | null>;
  get(tenantId: string, attemptId: string): Promise<Attempt | null>;
  /** Newest first, paginated by `(createdAt, id)`, optionally by course and/or learner. */
  list(tenantId: string, options?: AttemptListOptions): Promise<Page<Attempt>>;
  /** The learner's most recently updated `suspended` or `active` attempt on the course (any version). */
  findResumable(tenantId: string, courseId: string, learnerId: string): Promise<Attempt | null>;
  updateSummary(tenantId: string, attemptId: string, patch: AttemptSummaryPatch): Promise<Attempt | null>;
}

/** An interaction record written by a commit; upserted by `(attempt, item, idx)`. */
export type InteractionInput = Omit<
  Interaction,
  'id' | 'tenantId' | 'attemptId' | 'itemIdentifier' | 'updatedAt'
>;

/** An objective record written by a commit; upserted by `(attempt, item, objectiveId)`. */
export type ObjectiveInput = Omit<
  Objective,
  'id' | 'tenantId' | 'attemptId' | 'itemIdentifier' | 'updatedAt'
>;

/** Everything one accepted commit writes. */
export interface CommitInput {
  /** The SCO's full serialised state after the commit. */
  state: unknown;
  /** What changed, appended to the commit log. */
  diff: unknown;
  /** SCORM version of the state; the stored one is kept when absent or `null`. */
  scormVersion?: ScormVersion | null;
  interactions?: InteractionInput[];
  objectives?: ObjectiveInput[];
  /** Changes to the attempt summary. */
  summary?: AttemptSummaryPatch;
  /**
   * Store the commit only while the attempt is open (status neither `completed` nor `terminated`),
   * checked in the same transaction as the seq; else `ATTEMPT_CLOSED` and nothing is written. Lets a
   * caller that decided from a cached attempt row still never write to a closed attempt.
   */
  requireOpenAttempt?: boolean;
  /**
   * xAPI statements the commit makes (the SCORM statements of a runtime commit), written to the
   * tenant's LRS with it, only when the commit is accepted. See {@link CommitStatements}.
   */
  xapi?: CommitStatements;
}

/**
 * The statements of a commit, for the tenant's LRS (`lrsStore(db)`), as `LrsStore.insertStatements`
 * takes them.
 *
 * SQLite: written in the commit's own transaction (the same group commit), in a savepoint right
 * after the commit's writes, so that the commit and its statements reach the disk together.
 * Postgres: written after the commit's statement, in a transaction of their own (the commit is
 * then durable whatever happens to them).
 *
 * Either way a statement failure never undoes or refuses the commit: it is reported in the
 * result's `statementsError` and no statement (nor activity change) of the commit is kept.
 * Statement ids that exist already with an equivalent statement (`statementsEquivalent` of
 * `@scormflow/xapi`: SCORM statement ids are UUID v5 of the commit, so a replay makes the same
 * ids) are skipped and the rest written; an id that exists with a different statement is a
 * `conflict` and nothing is written.
 */
export interface CommitStatements {
  readonly statements: readonly NewStatement[];
  /**
   * Activity definitions to merge into the stored ones, in order, in the same transaction as the
   * statements (see `InsertExtras.activities` of `@scormflow/lrs`).
   */
  readonly activities?: readonly ActivityDefinitionUpdate[];
}

/** Why the statements of an accepted commit were not written (see {@link CommitStatements}). */
export type CommitStatementsError =
  /** These ids exist already with different statements (or are twice in the list). */
  | { readonly reason: 'conflict'; readonly ids: readonly string[] }
  /** The store threw (a statement it cannot store, a database fault): `error` is what it threw. */
  | { readonly reason: 'failed'; readonly error: unknown };

/**
 * Result of a commit: the stored state, or why nothing was stored. `SEQ_CONFLICT`: `expectedSeq` is
 * not the stored seq + 1 (stale, replayed or raced by another writer); `currentSeq` is the stored seq.
 * `ATTEMPT_NOT_FOUND`: the tenant has no such attempt. `ATTEMPT_CLOSED`: the attempt is completed
 * or terminated and the input asked for `requireOpenAttempt`.
 */
export type CommitResult =
  | {
      ok: true;
      value: ScoState;
      /**
       * With `input.xapi`: how many of its statements were written (those that existed already
       * with an equivalent statement are not counted); 0 when `statementsError` is set.
       */
      statementsWritten?: number;
      /** With `input.xapi`: why its statements were not written. The commit is stored regardless. */
      statementsError?: CommitStatementsError;
    }
  | { ok: false; error: 'SEQ_CONFLICT'; currentSeq: number }
  | { ok: false; error: 'ATTEMPT_NOT_FOUND' }
  | { ok: false; error: 'ATTEMPT_CLOSED' };

/** Run-time state of SCOs, written only through sequenced commits. */
export interface ScoStateRepository {
  get(tenantId: string, attemptId: string, itemIdentifier: string): Promise<ScoState | null>;
  listByAttempt(tenantId: string, attemptId: string): Promise<ScoState[]>;
  /**
   * Accepts commit number `expectedSeq` of one SCO in one transaction: the stored seq must be
   * `expectedSeq - 1` (0 when nothing is stored). Writes the state, appends the commit log, upserts
   * interactions and objectives and updates the attempt summary; or, for a stale, replayed or
   * concurrent seq, returns `SEQ_CONFLICT` with the current seq and writes nothing. Safe across
   * processes: the check is a conditional write, not a read followed by a write. The stored
   * `value.state` is `input.state` itself (not a copy read back). Commits may be grouped into one
   * database transaction with others made at the same time (SQLite); each still succeeds or fails
   * on its own.
   */
  commit(
    tenantId: string,
    attemptId: string,
    itemIdentifier: string,
    expectedSeq: number,
    input: CommitInput,
  ): Promise<CommitResult>;
  interactions(tenantId: string, attemptId: string): Promise<Interaction[]>;
  objectives(tenantId: string, attemptId: string): Promise<Objective[]>;
}

/** The commit log. */
export interface CommitLogRepository {
  /**
   * Every accepted commit of the attempt, in the order it was accepted: by the time it was received,
   * then by id (ids of one process sort in creation order; commits that several processes store in
   * one millisecond are listed in id order).
   */
  listByAttempt(tenantId: string, attemptId: string): Promise<CommitLogEntry[]>;
}

/** Launches of items. */
export interface LaunchRepository {
  /** `null` when the tenant has no such attempt. */
  start(tenantId: string, input: { attemptId: string; itemIdentifier: string }): Promise<Launch | null>;
  end(
    tenantId: string,
    launchId: string,
    input: { exit?: string | null; statusReached?: string | null; at?: Date },
  ): Promise<Launch | null>;
  listByAttempt(tenantId: string, attemptId: string): Promise<Launch[]>;
}

/** All repositories of one database. Every method but `apiKeys.findByHash` is tenant-scoped. */
export interface Repositories {
  tenants: TenantRepository;
  apiKeys: ApiKeyRepository;
  learners: LearnerRepository;
  courses: CourseRepository;
  attempts: AttemptRepository;
  scoStates: ScoStateRepository;
  commitLog: CommitLogRepository;
  launches: LaunchRepository;
}
