/**
 * The wire shapes of frame mode: the handoff the player writes into the content iframe's
 * `name`, and the messages the content frame posts back to the player.
 */
import type { CmiState, CommitDiff, ScormVersion } from '@scormflow/cmi';

/** Prefix of a content frame's `window.name` that carries a handoff. */
export const HANDOFF_PREFIX = 'scormflow:';

/** What the content frame needs to run the SCO's API without reaching the player's window. */
export interface FrameHandoff {
  /** Format version of the handoff. */
  readonly v: 1;
  readonly version: ScormVersion;
  readonly item: string;
  /** The session's state (from initialize, then from the frame's last commit). */
  readonly state: CmiState;
  /** The player's origin: the only target of the frame's messages. */
  readonly origin: string;
  /** Autocommit interval of the content frame, seconds; 0 = off. */
  readonly autocommitSeconds: number;
  /**
   * A random secret of the session that every message carries: messages posted while the content
   * page unloads arrive with `event.source === null`, so the window alone cannot vouch for them.
   */
  readonly key: string;
}

/**
 * A message from the content frame to the player. `page` names one document of the frame and `n`
 * numbers its diffs, so the player can say which of them the engine holds.
 */
export type FrameMessage =
  | {
      readonly scormflow: 1;
      /** `closing` answers the player's `close` / `suspend`: from now on the frame only relays. */
      readonly type: 'ready' | 'closing';
      readonly item: string;
      readonly key: string;
    }
  | {
      readonly scormflow: 1;
      readonly type: 'diff';
      readonly item: string;
      readonly key: string;
      readonly page: string;
      readonly n: number;
      readonly diff: CommitDiff;
    };

/**
 * A message from the player to the content frame (only ever posted to the content origin): `sync`
 * in answer to `ready` and after the engine stored a diff of the frame: the session's last stored
 * seq, the frame diff it was (`page`, `n`; 0 for none), and what the frame needs to reach the
 * engine itself when the player is gone (the attempt's runtime routes, absolute, and the current
 * runtime token); `close`: the player is about to unload the frame; `suspend`: end the SCO with a
 * suspend (the Suspend button). The frame answers both with `closing` and relays from then on.
 */
export type PlayerMessage =
  | {
      readonly scormflow: 1;
      readonly type: 'sync';
      readonly key: string;
      readonly seq: number;
      readonly page: string;
      readonly n: number;
      readonly url: string;
      readonly token: string;
    }
  | {
      readonly scormflow: 1;
      readonly type: 'close' | 'suspend';
      readonly key: string;
      readonly token: string;
    };

/**
 * The window name that hands a session to a content frame.
 * @see SCORM 2004 4th Edition RTE 3.3.2 (API discovery: the API instance the SCO finds on its window)
 */
export function encodeHandoff(handoff: FrameHandoff): string {
  return HANDOFF_PREFIX + JSON.stringify(handoff);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The handoff in a window name, or null when there is none or it is malformed.
 * @see SCORM 2004 4th Edition RTE 3.3.2 (API discovery)
 */
export function decodeHandoff(name: unknown): FrameHandoff | null {
  if (typeof name !== 'string' || !name.startsWith(HANDOFF_PREFIX)) return null;
  try {
    const h: unknown = JSON.parse(name.slice(HANDOFF_PREFIX.length));
    if (
      isObject(h) &&
      h.v === 1 &&
      (h.version === '1.2' || h.version === '2004') &&
      typeof h.item === 'string' &&
      typeof h.origin === 'string' &&
      typeof h.key === 'string' &&
      isObject(h.state) &&
      h.state.version === h.version
    ) {
      return h as unknown as FrameHandoff;
    }
  } catch {
    // not a handoff
  }
  return null;
}

/** Whether a value is shaped like a CommitDiff (integer seq, [string, string] ops, boolean terminated). */
export function isCommitDiff(value: unknown): value is CommitDiff {
  return (
    isObject(value) &&
    Number.isInteger(value.seq) &&
    typeof value.terminated === 'boolean' &&
    (value.sessionTime === undefined || typeof value.sessionTime === 'string') &&
    Array.isArray(value.ops) &&
    value.ops.every(
      (o: unknown) =>
        Array.isArray(o) && o.length === 2 && typeof o[0] === 'string' && typeof o[1] === 'string',
    )
  );
}

/** The frame message in a `message` event's data, or null for anything else. */
export function readFrameMessage(data: unknown): FrameMessage | null {
  if (
    !isObject(data) ||
    data.scormflow !== 1 ||
    typeof data.item !== 'string' ||
    typeof data.key !== 'string'
  ) {
    return null;
  }
  if (
    data.type === 'ready' ||
    data.type === 'closing' ||
    (data.type === 'diff' && Number.isInteger(data.n) && isCommitDiff(data.diff))
  )
    return data as unknown as FrameMessage;
  return null;
}

/** Two consecutive diffs of one session as one: their ops in order, the first seq, the last end. */
export function mergeDiffs(a: CommitDiff, b: CommitDiff): CommitDiff {
  const sessionTime = b.sessionTime ?? a.sessionTime;
  return {
    seq: a.seq,
    ops: [...a.ops, ...b.ops],
    terminated: b.terminated,
    ...(sessionTime === undefined ? {} : { sessionTime }),
  };
}

/**
 * A POST of JSON to one of the engine's runtime routes with the runtime token (`{}` for no body).
 * @see SCORM 2004 4th Edition RTE 3.1 (how the API reaches the LMS is the implementation's own)
 */
export function postRuntime(
  url: string,
  token: string,
  body: unknown,
  keepalive: boolean,
): Promise<Response> {
  return globalThis.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? '{}' : JSON.stringify(body),
    keepalive,
  });
}
