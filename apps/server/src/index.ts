export type { AppDeps, CreateAppOptions, ScormflowApp } from './app.js';
export { createApp, openApiDocument } from './app.js';
export type { AppEnv, AppVariables, AuthContext } from './auth.js';
export type { BootstrapResult } from './bootstrap.js';
export { bootstrap, DEFAULT_TENANT_ID } from './bootstrap.js';
export type { BuiltApp } from './build-app.js';
export { buildApp, openStorage } from './build-app.js';
export type {
  ContentTokenClaims,
  ContentTokenFailure,
  ContentTokenResult,
  VerifiedContentToken,
} from './content/token.js';
export {
  CONTENT_TOKEN_FAILURES,
  CONTENT_TOKEN_TTL_SECONDS,
  issueContentToken,
  verifyContentToken,
} from './content/token.js';
export type { ServerEnv, StorageConfig, StorageDriver } from './env.js';
export { loadEnv, STORAGE_DRIVERS } from './env.js';
export type { ProblemBody, ProblemCode, ServerErrorCode } from './errors.js';
export {
  HttpProblem,
  isHttpProblem,
  isServerError,
  PROBLEMS,
  problemBody,
  problemType,
  SERVER_ERROR_CODES,
  ServerError,
} from './errors.js';
export type { MemoryRateLimiterOptions, RateLimitDecision, RateLimiter } from './rate-limit.js';
export { memoryRateLimiter } from './rate-limit.js';
export type { RunningServer } from './serve.js';
export { startServer } from './serve.js';
