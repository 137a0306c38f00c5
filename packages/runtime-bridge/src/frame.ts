/**
 * The content side of frame mode: inside a content frame served from another origin,
 * `/runtime.js` reads the handoff the player wrote into `window.name`, installs the SCO's API on
 * this window synchronously, and relays each commit to the player with `postMessage`.
 * @see SCORM 2004 4th Edition RTE 3.3.2 (API discovery: the SCO finds the API on its own window)
 */
import {
  type CmiState,
  type CommitDiff,
  createScorm12Api,
  createScorm2004Api,
  type Scorm12Api,
  type Scorm2004Api,
} from '@scormflow/cmi';
import { type GuardedApi, guardApi, METHOD_NAMES, suspendApi } from './guard-api.js';
import {
  decodeHandoff,
  encodeHandoff,
  type FrameHandoff,
  type FrameMessage,
  mergeDiffs,
  type PlayerMessage,
  postRuntime,
} from './handoff.js';

/** A running content-frame runtime. */
export interface FrameRuntime {
  readonly item: string;
  readonly version: '1.2' | '2004';
  /** The installed API object (`window.API` or `window.API_1484_11`). */
  readonly api: GuardedApi;
  /** Stops autocommit and removes the API and the listeners (the handoff in `window.name` stays). */
  stop(): void;
}

/**
 * Starts frame mode in `win` when its name carries a handoff (`'scormflow:' + JSON`); returns
 * null otherwise. Never throws.
 * @see SCORM 2004 4th Edition RTE 3.3.2 (the SCO finds the API instance on its own window first)
 */
export function startFrame(win: Window = globalThis.window): FrameRuntime | null {
  try {
    const handoff = decodeHandoff(win.name);
    if (!handoff) return null;
    return run(win, handoff);
  } catch {
    return null;
  }
}

function run(win: Window, handoff: FrameHandoff): FrameRuntime {
  const { item, version, origin, key } = handoff;
  /** The engine's runtime routes of the attempt and the runtime token, from the player's `sync`. */
  let url: string | undefined;
  let token: string | undefined;
  const parent = win.parent !== win ? win.parent : win.opener;
  const page = Math.random().toString(36).slice(2);
  let dirty = false;
  let ended = false;
  /** The player unloads this frame (or the frame sent its data itself): from now on it only relays. */
  let relay = false;
  /** The session's seq the engine holds, as far as the player told. */
  let stored = handoff.state.seq;
  /** This page's diffs the engine is not known to hold, numbered 1, 2... */
  let pending: { n: number; diff: CommitDiff }[] = [];
  let n = 0;
  // what this runtime last wrote into window.name; anything else was written by the player
  let written = win.name;

  function post(message: FrameMessage): void {
    try {
      (parent as Window | null)?.postMessage(message, origin);
    } catch {
      // the player went away: the diff stays in this frame's window.name state only
    }
  }

  // the state as of the last commit: what a next page of the SCO continues from
  let committed: CmiState = handoff.state;

  function save(): void {
    if (win.name !== written) return;
    try {
      const name = ended ? '' : encodeHandoff({ ...handoff, state: committed });
      win.name = name;
      written = name;
    } catch {
      // the name could not be written: a navigation inside the SCO starts from the handoff
    }
  }
  const options = {
    state: handoff.state,
    onCommit: (diff: CommitDiff) => {
      if (diff.terminated) ended = true;
      else committed = { ...raw.getState(), seq: diff.seq };
      pending.push({ n: ++n, diff });
      post({ scormflow: 1, type: 'diff', item, key, page, n, diff });
      save();
      return true;
    },
  };
  const raw: Scorm12Api | Scorm2004Api =
    version === '1.2' ? createScorm12Api(options) : createScorm2004Api(options);
  const api = guardApi(raw, version, {
    onSet: () => {
      dirty = true;
    },
    onCommitted: () => {
      dirty = false;
    },
  });
  const names = METHOD_NAMES[version];
  const commitDirty = (): void => {
    if (dirty && !ended) api[names[4]]!('');
  };

  /**
   * A closed tab unloads the player first, and what this frame posts afterwards is dropped: every
   * diff the engine is not known to hold goes straight to it, merged into one request at the seq
   * after the last stored one, so that nothing can overtake it. A diff the player sent may have
   * been stored without this frame hearing of it yet (its answer or the sync still on the way):
   * the same merge without it follows at the next seq, and so on, so whichever of them the engine
   * can take carries the rest (the others are answered as replays or gaps).
   */
  function sendDirect(): void {
    if (relay || !url || !token) return;
    relay = true;
    pending.forEach((_, i) => {
      const diff = {
        ...pending
          .slice(i)
          .map((p) => p.diff)
          .reduce(mergeDiffs),
        seq: stored + 1 + i,
      };
      postRuntime(url + (diff.terminated ? 'terminate' : 'commit'), token!, { item, diff }, true).catch(
        () => {
          // over the keepalive budget or offline: the player's stored queue still holds what it got
        },
      );
    });
  }

  const onMessage = (e: MessageEvent): void => {
    const d = e.data as PlayerMessage | null;
    if (e.origin !== origin || e.source !== parent || d?.scormflow !== 1 || d.key !== key) return;
    if (d.type === 'sync') {
      url = d.url;
      token = d.token;
      stored = d.seq;
      if (d.page === page) pending = pending.filter((p) => p.n > d.n);
      return;
    }
    relay = true;
    // the player's Suspend button: the SCO ends the way a SCO that suspends would
    if (d.type === 'suspend' && !ended) suspendApi(api, version);
    post({ scormflow: 1, type: 'closing', item, key });
  };

  const apiName = version === '1.2' ? 'API' : 'API_1484_11';
  (win as unknown as Record<string, unknown>)[apiName] = api;

  const autocommit =
    handoff.autocommitSeconds > 0 ? setInterval(commitDirty, handoff.autocommitSeconds * 1000) : undefined;
  // A navigation inside the SCO starts with beforeunload, while window.name can still be written
  // for the next page; at pagehide it is too late for the name (browsers have taken it), but a
  // message still reaches the player, so the data gets out either way.
  const onHide = (): void => {
    try {
      commitDirty();
    } catch {
      // never break the page's unload
    }
  };
  const onVisibility = (): void => {
    if (win.document.visibilityState === 'hidden') onHide();
  };
  const onUnload = (): void => {
    try {
      commitDirty();
      sendDirect();
    } catch {
      // never break the page's unload
    }
  };
  const onPageHide = (): void => {
    onHide();
    // added now, this listener runs after the SCO's own unload handlers (an LMSFinish there is common)
    win.addEventListener('unload', onUnload);
  };
  const listeners = [
    [win, 'beforeunload', onHide],
    [win, 'pagehide', onPageHide],
    [win, 'message', onMessage],
    [win.document, 'visibilitychange', onVisibility],
  ] as const;
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn as EventListener);
  post({ scormflow: 1, type: 'ready', item, key });

  return {
    item,
    version,
    api,
    stop() {
      clearInterval(autocommit);
      win.removeEventListener('unload', onUnload);
      for (const [target, type, fn] of listeners) target.removeEventListener(type, fn as EventListener);
      const w = win as unknown as Record<string, unknown>;
      if (w[apiName] === api) delete w[apiName];
    },
  };
}
