/** Brand shared by every ScormFlow error, so that two installed copies of a package recognise each other's errors. */
export const SCORMFLOW_ERROR: unique symbol = Symbol.for('scormflow:error');

/**
 * Stable codes of {@link StorageError}. Callers branch on `error.code`, never on the message.
 *
 * @see ../README.md#errors
 */
export const STORAGE_ERROR_CODES = {
  /** The key breaks a rule of `keys.ts` (empty segment, `..`, backslash, control character, too long...). */
  INVALID_KEY: 'STORAGE_INVALID_KEY',
  /** A list or delete prefix breaks the key rules. */
  INVALID_PREFIX: 'STORAGE_INVALID_PREFIX',
  /** A range is malformed: negative or non-integer bounds, or `end < start`. */
  INVALID_RANGE: 'STORAGE_INVALID_RANGE',
  /** A well-formed range starts at or after the end of the object (HTTP 416). */
  RANGE_NOT_SATISFIABLE: 'STORAGE_RANGE_NOT_SATISFIABLE',
  /** A `put` body is not a `Uint8Array`, a string, an async iterable or a web stream of `Uint8Array`. */
  INVALID_BODY: 'STORAGE_INVALID_BODY',
  /** The body did not have the `size` announced in the put options; nothing was stored. */
  SIZE_MISMATCH: 'STORAGE_SIZE_MISMATCH',
  /** A list `cursor` was not produced by this driver, or `limit` is out of bounds. */
  INVALID_LIST_OPTIONS: 'STORAGE_INVALID_LIST_OPTIONS',
  /** A driver that maps keys to paths cannot hold both `a/b` and `a/b/c` (disk). */
  KEY_CONFLICT: 'STORAGE_KEY_CONFLICT',
  /** A path on disk would leave the storage root (a symbolic link). */
  UNSAFE_PATH: 'STORAGE_UNSAFE_PATH',
  /** Driver options are missing or wrong. */
  INVALID_OPTIONS: 'STORAGE_INVALID_OPTIONS',
  /** The backend failed (I/O, network, service error); see `cause`. */
  BACKEND_FAILURE: 'STORAGE_BACKEND_FAILURE',
} as const;

/** One of the {@link STORAGE_ERROR_CODES} values. */
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[keyof typeof STORAGE_ERROR_CODES];

/** Extra context carried by a {@link StorageError}. */
export interface StorageErrorOptions {
  cause?: unknown;
  /** The key or prefix involved, when there is one. */
  key?: string;
}

/**
 * The one error class thrown by `@scormflow/storage` and its drivers.
 * Recognise it with {@link isStorageError}, which also works across duplicated installs.
 */
export class StorageError extends Error {
  readonly [SCORMFLOW_ERROR] = true;
  readonly code: StorageErrorCode;
  readonly key: string | undefined;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
    this.key = options.key;
  }
}

/** True for any {@link StorageError}, including one created by another copy of this package. */
export function isStorageError(value: unknown): value is StorageError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[SCORMFLOW_ERROR] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('STORAGE_')
  );
}
