/**
 * Thrown errors of @scormflow/xapi. Only programmer faults throw (a namespace that is not a UUID);
 * every outcome a statement can cause is a value ({@link Validation}).
 */

const BRAND = Symbol.for('scormflow:error');

/** Stable codes of the errors this package throws. */
export const XAPI_ERROR_CODES = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
} as const;

export type XapiErrorCode = (typeof XAPI_ERROR_CODES)[keyof typeof XAPI_ERROR_CODES];

/** An error thrown by @scormflow/xapi, recognisable across package copies through its brand. */
export class XapiError extends Error {
  readonly code: XapiErrorCode;
  readonly [BRAND] = true;

  constructor(code: XapiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XapiError';
    this.code = code;
  }
}

/** True for any ScormFlow error from @scormflow/xapi, even from another installed copy. */
export function isXapiError(value: unknown): value is XapiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    (value as { name?: unknown }).name === 'XapiError'
  );
}
