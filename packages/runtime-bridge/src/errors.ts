/**
 * Thrown errors of @scormflow/runtime-bridge. Only the host page's calls reject (`open`,
 * `openFrame`, a bad option); nothing ever throws into course code, which sees SCORM answers.
 */

const BRAND = Symbol.for('scormflow:error');

/** Stable codes of the errors this package throws. */
export const BRIDGE_ERROR_CODES = {
  /** An option of `createBridge` or an argument of a bridge method is not usable. */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  /** The engine refused to open the session (a closed attempt, an unknown SCO, a bad token). */
  INITIALIZE_FAILED: 'INITIALIZE_FAILED',
  /** The engine could not be reached after several tries. */
  NETWORK_ERROR: 'NETWORK_ERROR',
} as const;

export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[keyof typeof BRIDGE_ERROR_CODES];

/**
 * An error of the runtime bridge, recognisable across package copies through its brand.
 * @see SCORM 2004 4th Edition RTE 3.1.4.1 (Initialize: the LMS side of opening a session)
 */
export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  /** The HTTP status of the refusal, when the engine answered. */
  readonly status: number | undefined;
  readonly [BRAND] = true;

  constructor(code: BridgeErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.status = options?.status;
  }
}

/** True for a BridgeError, even one from another installed copy of the package. */
export function isBridgeError(value: unknown): value is BridgeError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    (value as { name?: unknown }).name === 'BridgeError'
  );
}
