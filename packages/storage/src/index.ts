export {
  assertPutOptions,
  assertRange,
  assertSizeMatches,
  bodyChunks,
  MAX_METADATA_LENGTH,
  readAllBytes,
  readAllText,
  resolveRange,
  streamBytes,
} from './body.js';
export type { StorageErrorCode, StorageErrorOptions } from './errors.js';
export { isStorageError, SCORMFLOW_ERROR, STORAGE_ERROR_CODES, StorageError } from './errors.js';
export type { KeyCheck, KeyProblem } from './keys.js';
export {
  assertKey,
  checkKey,
  compareKeys,
  isUnderPrefix,
  isValidKey,
  joinKey,
  MAX_KEY_BYTES,
  MAX_SEGMENT_BYTES,
  normalizePrefix,
  tenantKey,
} from './keys.js';
export type { ParsedListOptions } from './list.js';
export { encodeKeyCursor, listLimit, MAX_LIST_LIMIT, parseListOptions } from './list.js';
export { memoryStorage } from './memory-storage.js';
export { scoped } from './scoped.js';
export type {
  BlobBody,
  BlobInfo,
  BlobObject,
  BlobStorage,
  ByteRange,
  GetOptions,
  ListItem,
  ListOptions,
  ListPage,
  PutOptions,
  PutResult,
  ResolvedRange,
  StorageCapabilities,
} from './types.js';
