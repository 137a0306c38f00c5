/**
 * Row shapes shared by both dialects. Both schema files produce exactly these shapes (timestamps as
 * `Date`, JSON as parsed values), so repositories return the same objects on SQLite and Postgres.
 */

/** Roles an API key can carry. */
export const API_KEY_ROLES = ['admin', 'member'] as const;
/** Role of an API key: `admin` manages keys and tenants' settings, `member` uses the API. */
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** Kinds of learning package a course can hold. */
export const COURSE_KINDS = ['scorm', 'cmi5', 'xapi'] as const;
/** Kind of learning package a course holds. */
export type CourseKind = (typeof COURSE_KINDS)[number];

/** SCORM versions a course or SCO state can be recorded with. */
export const SCORM_VERSIONS = ['1.2', '2004-2nd', '2004-3rd', '2004-4th'] as const;
/**
 * SCORM version of a package or of one SCO's run-time state.
 * @see SCORM 2004 4th Edition CAM 3.4.1.7 (`<schemaversion>`)
 */
export type ScormVersion = (typeof SCORM_VERSIONS)[number];

/** Lifecycle states of an attempt. */
export const ATTEMPT_STATUSES = ['active', 'suspended', 'completed', 'terminated'] as const;
/**
 * Lifecycle of an attempt: `active` while launched, `suspended` after a suspend exit (resumable),
 * `completed` when the learner finished it, `terminated` when it was ended without a resume.
 * @see SCORM 2004 4th Edition RTE 4.2.8 (`cmi.exit`)
 */
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/**
 * A completion or success status as reported by the run-time (`cmi.completion_status`,
 * `cmi.success_status`, or SCORM 1.2 `cmi.core.lesson_status` split in two).
 * @see SCORM 2004 4th Edition RTE 4.2.4 and 4.2.22
 */
export type ObjectiveStatus = string;

/** A tenant: the unit of isolation. Every other row belongs to exactly one tenant. */
export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
}

/** An API key. Only the SHA-256 hash of its secret is stored; `prefix` is shown to identify it. */
export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  hash: string;
  role: ApiKeyRole;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A learner, known to the tenant by its own `externalId`. */
export interface Learner {
  id: string;
  tenantId: string;
  externalId: string;
  name: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One version of a course: `(id, version)` is the key, every upload of a course adds a version. */
export interface Course {
  id: string;
  version: number;
  tenantId: string;
  kind: CourseKind;
  scormVersion: ScormVersion | null;
  title: string;
  /** The diagnostics found when the package was imported. */
  diagnostics: unknown[];
  /** The parsed package model. */
  model: unknown;
  /** Blob storage prefix the package was unpacked under. */
  storagePrefix: string;
  /** Unpacked size in bytes. */
  size: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One item of a course version's organization tree, in document order (`ordinal`).
 * @see SCORM 2004 4th Edition CAM 3.4.1.12 (`<item>`)
 */
export interface CourseItem {
  id: string;
  tenantId: string;
  courseId: string;
  courseVersion: number;
  identifier: string;
  parentIdentifier: string | null;
  ordinal: number;
  depth: number;
  title: string;
  resourceId: string | null;
  launchUrl: string | null;
  isSco: boolean;
  /** Item data such as mastery score, completion threshold, data from LMS, time limit action. */
  data: Record<string, unknown>;
}

/** One learner's attempt on one course version, with a summary kept current by every commit. */
export interface Attempt {
  id: string;
  tenantId: string;
  courseId: string;
  courseVersion: number;
  learnerId: string;
  status: AttemptStatus;
  completionStatus: ObjectiveStatus | null;
  successStatus: ObjectiveStatus | null;
  scoreScaled: number | null;
  scoreRaw: number | null;
  /** Total time in centiseconds (the resolution of SCORM's timeinterval). */
  totalTimeCs: number;
  currentItem: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** The serialised run-time state of one SCO in one attempt, at commit number `seq`. */
export interface ScoState {
  tenantId: string;
  attemptId: string;
  itemIdentifier: string;
  scormVersion: ScormVersion | null;
  state: unknown;
  seq: number;
  updatedAt: Date;
}

/**
 * One interaction record (`cmi.interactions.n`).
 * @see SCORM 2004 4th Edition RTE 4.2.9
 */
export interface Interaction {
  id: string;
  tenantId: string;
  attemptId: string;
  itemIdentifier: string;
  /** The `n` of `cmi.interactions.n`. */
  idx: number;
  interactionId: string;
  type: string | null;
  description: string | null;
  learnerResponse: string | null;
  result: string | null;
  latency: string | null;
  timestamp: string | null;
  weighting: number | null;
  correctResponses: string[];
  objectiveIds: string[];
  updatedAt: Date;
}

/**
 * One objective record (`cmi.objectives.n`), keyed by its identifier.
 * @see SCORM 2004 4th Edition RTE 4.2.17
 */
export interface Objective {
  id: string;
  tenantId: string;
  attemptId: string;
  itemIdentifier: string;
  objectiveId: string;
  successStatus: string | null;
  completionStatus: string | null;
  scoreScaled: number | null;
  scoreRaw: number | null;
  scoreMin: number | null;
  scoreMax: number | null;
  progressMeasure: number | null;
  description: string | null;
  updatedAt: Date;
}

/** One accepted commit, in order. `(attemptId, itemIdentifier, seq)` is unique. */
export interface CommitLogEntry {
  id: string;
  tenantId: string;
  attemptId: string;
  itemIdentifier: string;
  seq: number;
  diff: unknown;
  receivedAt: Date;
}

/** One launch of one item in an attempt. */
export interface Launch {
  id: string;
  tenantId: string;
  attemptId: string;
  itemIdentifier: string;
  startedAt: Date;
  endedAt: Date | null;
  /** `cmi.exit` (`cmi.core.exit`) at the end of the launch. */
  exit: string | null;
  /** The completion/success status the item had reached when the launch ended. */
  statusReached: string | null;
}
