import type { CommitDiff } from '@scormflow/cmi';

/** The body of POST /runtime/{attemptId}/commit (and /terminate) once checked. */
export interface CommitBody {
  item?: string;
  diff?: CommitDiff;
}

const BODY_KEYS = new Set(['item', 'diff']);

/**
 * The commit body as the route's zod schema (`{ item?, diff? }` strict, `diff` a `CommitDiffSchema`)
 * would output it, for the bodies a runtime sends: a plain object with known keys, a string item of
 * 1 to 255 characters, and a diff of a positive safe-integer seq, `[string, string]` ops, a boolean
 * `terminated` and an optional string `sessionTime` (other diff keys dropped, as zod drops them).
 * `null` for anything else, which the zod schema then checks, so that every refusal is zod's own
 * answer; a `null` is never wrong, only slower. A hand-written check costs a fraction of zod's
 * parse on every commit.
 * @see SCORM 2004 4th Edition RTE 3.1.4.2 (Commit)
 */
export function checkCommitBody(value: unknown): CommitBody | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  if (Object.getPrototypeOf(value) !== Object.prototype) return null;
  for (const key of Object.keys(value)) if (!BODY_KEYS.has(key)) return null;
  const { item, diff } = value as Record<string, unknown>;
  const out: CommitBody = {};
  if (item !== undefined) {
    if (typeof item !== 'string' || item.length < 1 || item.length > 255) return null;
    out.item = item;
  }
  if (diff !== undefined) {
    const checked = checkDiff(diff);
    if (!checked) return null;
    out.diff = checked;
  }
  return out;
}

function checkDiff(value: unknown): CommitDiff | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  if (Object.getPrototypeOf(value) !== Object.prototype) return null;
  const { seq, ops, terminated, sessionTime } = value as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null;
  if (typeof terminated !== 'boolean') return null;
  if (sessionTime !== undefined && typeof sessionTime !== 'string') return null;
  if (!Array.isArray(ops)) return null;
  const copied: [string, string][] = new Array(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const op: unknown = ops[i];
    if (!Array.isArray(op) || op.length !== 2) return null;
    const [element, v] = op as unknown[];
    if (typeof element !== 'string' || typeof v !== 'string') return null;
    copied[i] = [element, v];
  }
  return sessionTime === undefined
    ? { seq, ops: copied, terminated }
    : { seq, ops: copied, terminated, sessionTime };
}
