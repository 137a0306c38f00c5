/**
 * Thrown errors of @scormflow/cmi. Only programmer faults throw (a malformed launch context, an
 * unknown SCORM version); every outcome a course can cause is a value or a SCORM error code.
 */

const BRAND = Symbol.for('scormflow:error');

/** Stable codes of the errors this package throws. */
export const CMI_ERROR_CODES = {
  INVALID_LAUNCH: 'INVALID_LAUNCH',
  INVALID_STATE: 'INVALID_STATE',
} as const;

export type CmiErrorCode = (typeof CMI_ERROR_CODES)[keyof typeof CMI_ERROR_CODES];

/** An error thrown by @scormflow/cmi, recognisable across package copies through its brand. */
export class CmiError extends Error {
  readonly code: CmiErrorCode;
  readonly [BRAND] = true;

  constructor(code: CmiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CmiError';
    this.code = code;
  }
}

/** True for any ScormFlow error from @scormflow/cmi, even from another installed copy. */
export function isCmiError(value: unknown): value is CmiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    (value as { name?: unknown }).name === 'CmiError'
  );
}
