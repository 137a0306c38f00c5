/** Brand shared by every ScormFlow error, so that two installed copies of a package recognise each other's errors. */
export const SCORMFLOW_ERROR: unique symbol = Symbol.for('scormflow:error');

/**
 * Stable codes of {@link LrsError}. Expected outcomes of requests are HTTP answers, not errors:
 * these are programmer and configuration faults.
 */
export const LRS_ERROR_CODES = {
  /** `lrsApp` or a store was given invalid options. */
  INVALID_OPTIONS: 'LRS_INVALID_OPTIONS',
  /** A store was given a cursor it did not produce. */
  INVALID_CURSOR: 'LRS_INVALID_CURSOR',
} as const;

/** One of the {@link LRS_ERROR_CODES} values. */
export type LrsErrorCode = (typeof LRS_ERROR_CODES)[keyof typeof LRS_ERROR_CODES];

/** The one error class thrown by `@scormflow/lrs`. Recognise it with {@link isLrsError}. */
export class LrsError extends Error {
  readonly [SCORMFLOW_ERROR] = true;
  readonly code: LrsErrorCode;

  constructor(code: LrsErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'LrsError';
    this.code = code;
  }
}

/** True for any {@link LrsError}, including one created by another copy of this package. */
export function isLrsError(value: unknown): value is LrsError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[SCORMFLOW_ERROR] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('LRS_')
  );
}
