export type { LrsErrorCode } from './errors.js';
export { isLrsError, LRS_ERROR_CODES, LrsError } from './errors.js';
export type { LrsPrincipal, StoringClock } from './http/common.js';
export { storingClock } from './http/common.js';
export { indexStatement, malformedIndexKey } from './index-statement.js';
export type { LrsAppOptions } from './lrs-app.js';
export { consistentThrough, lrsApp } from './lrs-app.js';
export { memoryLrsStore } from './memory-lrs-store.js';
export type {
  ActivityDefinitionUpdate,
  DocumentKey,
  DocumentKind,
  DocumentList,
  DocumentParent,
  DocumentPrecondition,
  DocumentWriteResult,
  InsertExtras,
  InsertResult,
  JsonObject,
  JsonValue,
  LrsScope,
  LrsStore,
  NewStatement,
  StatementIndex,
  StatementPage,
  StatementQuery,
  StatementRecord,
  StoredAttachment,
  StoredDocument,
} from './store.js';
export { documentList } from './store.js';
