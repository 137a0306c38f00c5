/**
 * Commit diffs and their server-side re-validation.
 * @see SCORM 2004 4th Edition RTE 3.1.4.4 (Commit) and 3.1.4.2 (Terminate)
 */
import { R_OK } from './engine.js';
import { engineFromState, finishSession, stateFromEngine } from './session.js';
import type { CmiState } from './state.js';

/**
 * What changed since the previous commit: the successful SetValue calls in first-set order with the
 * last value of each element (collection ids come before their fields), whether the session was
 * terminated, and the session time the SCO reported. `seq` is the previous commit's `seq` + 1.
 * @see SCORM 2004 4th Edition RTE 3.1.4.4 (Commit) and 3.1.4.2 (Terminate)
 */
export interface CommitDiff {
  readonly seq: number;
  readonly ops: readonly (readonly [element: string, value: string])[];
  readonly terminated: boolean;
  readonly sessionTime?: string;
}

/**
 * Why `applyCommit` refused a diff.
 * @see SCORM 2004 4th Edition RTE 3.1.4.4 (Commit: the LMS persists the data it accepts)
 */
export const COMMIT_ERROR_CODES = {
  /** The diff's seq is older than the state's: built on a state that has moved on. */
  STALE_COMMIT: 'STALE_COMMIT',
  /** The diff's seq equals the state's: this commit was already applied. */
  REPLAYED_COMMIT: 'REPLAYED_COMMIT',
  /** The diff skips one or more seq numbers: a commit in between is missing. */
  SEQUENCE_GAP: 'SEQUENCE_GAP',
  /** The session was already terminated. */
  SESSION_TERMINATED: 'SESSION_TERMINATED',
  /** An operation fails the data model's validation. */
  INVALID_VALUE: 'INVALID_VALUE',
  /** The diff is not shaped like a CommitDiff. */
  MALFORMED_DIFF: 'MALFORMED_DIFF',
} as const;

export type CommitErrorCode = (typeof COMMIT_ERROR_CODES)[keyof typeof COMMIT_ERROR_CODES];

export interface CommitError {
  readonly code: CommitErrorCode;
  readonly message: string;
  /** For INVALID_VALUE: the index of the refused operation, its element and the SCORM error code. */
  readonly op?: number;
  readonly element?: string;
  readonly scormError?: number;
}

export type CommitResult = { ok: true; value: CmiState } | { ok: false; error: CommitError };

function isOps(ops: unknown): ops is readonly (readonly [string, string])[] {
  return (
    Array.isArray(ops) &&
    ops.every(
      (o) => Array.isArray(o) && o.length === 2 && typeof o[0] === 'string' && typeof o[1] === 'string',
    )
  );
}

/**
 * Re-validates a commit against a state by replaying its operations through the same data model
 * the SCO ran against, then merges it. Pure: the input state is never modified, and a refused diff
 * has no effect at all.
 * @see SCORM 2004 4th Edition RTE 3.1.4.4 (Commit)
 */
export function applyCommit(state: CmiState, diff: CommitDiff): CommitResult {
  if (typeof diff !== 'object' || diff === null || !Number.isInteger(diff.seq) || !isOps(diff.ops)) {
    return {
      ok: false,
      error: {
        code: 'MALFORMED_DIFF',
        message: 'diff needs an integer seq and [element, value] string pairs',
      },
    };
  }
  if (diff.seq === state.seq) {
    return {
      ok: false,
      error: { code: 'REPLAYED_COMMIT', message: `commit ${diff.seq} was already applied` },
    };
  }
  if (diff.seq < state.seq) {
    return {
      ok: false,
      error: { code: 'STALE_COMMIT', message: `commit ${diff.seq} is older than the state's ${state.seq}` },
    };
  }
  if (diff.seq > state.seq + 1) {
    return {
      ok: false,
      error: { code: 'SEQUENCE_GAP', message: `expected commit ${state.seq + 1}, got ${diff.seq}` },
    };
  }
  if (state.terminated) {
    return {
      ok: false,
      error: { code: 'SESSION_TERMINATED', message: 'the session was already terminated' },
    };
  }
  const m = engineFromState(state);
  for (let i = 0; i < diff.ops.length; i++) {
    const [element, value] = diff.ops[i] as readonly [string, string];
    if (!m.set(element, value)) {
      const scormError = m.spec.codes[m.reason] ?? 101;
      return {
        ok: false,
        error: {
          code: 'INVALID_VALUE',
          message: `${element} ${m.reason === R_OK ? '' : `refused with SCORM error ${scormError}`}`.trim(),
          op: i,
          element,
          scormError,
        },
      };
    }
  }
  m.commitNotes();
  if (diff.terminated) finishSession(m, state.version);
  return { ok: true, value: stateFromEngine(state, m, diff.seq, diff.terminated === true) };
}
