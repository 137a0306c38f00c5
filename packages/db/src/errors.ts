const BRAND = Symbol.for('scormflow:error');

/** Stable codes of the errors this package throws. */
export const DB_ERROR_CODES = {
  /** The database URL names no supported dialect. */
  UNSUPPORTED_URL: 'DB_UNSUPPORTED_URL',
  /** A pagination cursor was not produced by this package or was tampered with. */
  INVALID_CURSOR: 'DB_INVALID_CURSOR',
  /** Input that the repository cannot store (for example a non-positive version). */
  INVALID_INPUT: 'DB_INVALID_INPUT',
  /** The migrations folder is missing or a migration failed. */
  MIGRATION_FAILED: 'DB_MIGRATION_FAILED',
} as const;

/** One of `DB_ERROR_CODES`. */
export type DbErrorCode = (typeof DB_ERROR_CODES)[keyof typeof DB_ERROR_CODES];

/** An error thrown by `@scormflow/db`, recognisable across package copies with `isDbError`. */
export class DbError extends Error {
  readonly code: DbErrorCode;
  readonly [BRAND] = true;

  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DbError';
    this.code = code;
  }
}

/** Whether `value` is a `DbError`, also when it comes from another copy of this package. */
export function isDbError(value: unknown): value is DbError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    String((value as { code: string }).code).startsWith('DB_')
  );
}
