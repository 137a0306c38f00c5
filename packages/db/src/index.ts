export { DB_ERROR_CODES, DbError, type DbErrorCode, isDbError } from './errors.js';
export type { LrsStoredTime } from './lrs/keys.js';
export { LRS_KEY_KINDS, type LrsKeyKind } from './lrs/keys.js';
export { lrsStore } from './lrs/lrs-store.js';
export { type PgLrsStoreOptions, pgLrsStore } from './lrs/pg-lrs-store.js';
export { sqliteLrsStore } from './lrs/sqlite-lrs-store.js';
export {
  type CreatedXapiCredential,
  type VerifiedXapiCredential,
  type XapiCredential,
  type XapiCredentialInput,
  type XapiCredentialRepository,
  xapiCredentials,
} from './lrs/xapi-credentials.js';
export { type MigrateOptions, migrate } from './migrate.js';
export { migrationsFolder } from './migrations-folder.js';
export {
  API_KEY_ROLES,
  type ApiKey,
  type ApiKeyRole,
  ATTEMPT_STATUSES,
  type Attempt,
  type AttemptStatus,
  COURSE_KINDS,
  type CommitLogEntry,
  type Course,
  type CourseItem,
  type CourseKind,
  type Interaction,
  type Launch,
  type Learner,
  type Objective,
  type ObjectiveStatus,
  SCORM_VERSIONS,
  type ScormVersion,
  type ScoState,
  type Tenant,
} from './model.js';
export {
  type Database,
  DEFAULT_SQLITE_PATH,
  DIALECTS,
  type Dialect,
  type OpenDatabaseOptions,
  openDatabase,
  type PostgresDatabase,
  parseDatabaseUrl,
  type SqliteDatabase,
} from './open-database.js';
export { type PgDrizzle, pgRepositories } from './pg/repositories.js';
export { pgLrsSchema, pgSchema } from './pg/schema.js';
export type {
  ApiKeyRepository,
  AttemptListOptions,
  AttemptRepository,
  AttemptSummaryPatch,
  CommitInput,
  CommitLogRepository,
  CommitResult,
  CommitStatements,
  CommitStatementsError,
  CourseItemInput,
  CourseRepository,
  CreateCourseInput,
  CreatedApiKey,
  InteractionInput,
  LaunchRepository,
  LearnerRepository,
  ObjectiveInput,
  Page,
  PageOptions,
  Repositories,
  ScoStateRepository,
  TenantRepository,
} from './repositories.js';
export { hashApiKey } from './shared.js';
export { type SqliteDrizzle, sqliteRepositories } from './sqlite/repositories.js';
export { sqliteLrsSchema, sqliteSchema } from './sqlite/schema.js';
