/**
 * The player side of the runtime: `window.API` / `window.API_1484_11` over an in-memory
 * `@scormflow/cmi` model, synced with the engine's REST runtime through a persisted queue.
 * @see SCORM 2004 4th Edition RTE 3.1 (API), 3.3 (API implementation discovery)
 * @see SCORM 1.2 RTE 3.2 (API discovery), 3.3 (API functions)
 */
import {
  type CmiState,
  type CommitDiff,
  createScorm12Api,
  createScorm2004Api,
  evaluateCompletion2004,
  evaluateStatus12,
  evaluateSuccess2004,
  type Scorm12Api,
  type Scorm2004Api,
  type ScormVersion,
} from '@scormflow/cmi';
import { BridgeError } from './errors.js';
import { type GuardedApi, guardApi, METHOD_NAMES, suspendApi } from './guard-api.js';
import {
  encodeHandoff,
  isCommitDiff,
  mergeDiffs,
  type PlayerMessage,
  postRuntime,
  readFrameMessage,
} from './handoff.js';

/** Options of `createBridge`. */
export interface BridgeOptions {
  /** The attempt the runtime token was issued for. */
  attemptId: string;
  /** `Authorization: Bearer` token of the runtime routes. */
  runtimeToken: string;
  /** ISO 8601 expiry of the token; it is renewed (POST .../token) about 2 minutes before. */
  tokenExpiresAt: string;
  /** Origin (+ path prefix) of the engine; default '' (same origin). */
  apiBase?: string;
  /** Where `window.API` / `window.API_1484_11` are installed; default the current window. */
  target?: Window;
  /** The persistent queue; default `localStorage` (null = none). */
  storage?: Storage | null;
  /** Commit when dirty every N seconds; default 10; 0 = off. */
  autocommitSeconds?: number;
  /** Keep a log (`bridge.log`) and emit 'log' events. */
  debug?: boolean;
  /** First retry delay after a failed send, ms (doubles up to 30 s); default 1000. */
  retryBaseMs?: number;
}

/** What `open` and `openFrame` resolve to. */
export interface OpenedSession {
  item: string;
  version: '1.2' | '2004';
}

/** Options of `openFrame`. */
export interface FrameOpenOptions {
  /** The origin the course files are served from; messages from any other origin are ignored. */
  contentOrigin: string;
  /** When given, the iframe is navigated there once the handoff is in its name. */
  src?: string;
}

/** One line of the debug log. */
export interface BridgeLogEntry {
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** Detail of the 'status' event, sent after each commit the engine accepted. */
export interface BridgeStatus {
  item: string;
  completionStatus: string;
  successStatus: string;
  score: { raw: number | null; scaled: number | null };
}

/** Detail of the 'commit' event. */
export interface BridgeCommit {
  item: string;
  seq: number;
  terminated: boolean;
  /** True when the engine already held this commit (a replay after a lost answer). */
  replayed: boolean;
}

/** Detail of the 'terminate' event. */
export interface BridgeTerminate {
  item: string;
  /** SCORM 2004 adl.nav.request at Terminate ('_none_' when not set); null for SCORM 1.2. */
  navRequest: string | null;
  /** True when the bridge ended the session because the content never called LMSFinish / Terminate. */
  implicit: boolean;
}

/** Detail of the 'error' event. */
export interface BridgeFailure {
  /** NETWORK, HTTP_<status>, a problem code (COMMIT_INVALID...) or the refusal reason. */
  code: string;
  message: string;
  /** True when the bridge will try again by itself. */
  retrying: boolean;
  item?: string;
  seq?: number;
  status?: number;
}

export type BridgeEventName = 'commit' | 'error' | 'terminate' | 'status' | 'log';

/** The player side of the runtime. */
export interface Bridge {
  /**
   * Replays this attempt's queued diffs in order, then opens a session of `item`
   * (POST /initialize), builds the cmi API from the answered state and installs it on the target
   * window (`API` for SCORM 1.2, `API_1484_11` for SCORM 2004). A session still open is closed first.
   */
  open(item: string): Promise<OpenedSession>;
  /**
   * Frame mode, for course files served from another origin: like `open`, but the API lives in the
   * content frame (`/runtime.js` reads the handoff this writes into `iframe.name`) and relays its
   * diffs here; only messages from `iframe.contentWindow` with origin `contentOrigin` are read.
   */
  openFrame(item: string, iframe: HTMLIFrameElement, options: FrameOpenOptions): Promise<OpenedSession>;
  /**
   * The SCO frame is going away: records an implicit LMSFinish / Terminate when the content never
   * called it, flushes, and uninstalls the API.
   */
  close(): Promise<void>;
  /** Sends everything pending now; resolves when the queue is empty or a send failed (it is retried later). */
  flush(): Promise<void>;
  /**
   * Ends the running SCO with a suspend, as a SCO that suspends would: exit `suspend` (SCORM 2004:
   * also `adl.nav.request` `suspendAll`) and LMSFinish / Terminate, through the local API or, in
   * frame mode, by asking the content frame. Resolves once that is done (or after 2 s).
   */
  suspend(): Promise<void>;
  /** SCORM 2004 adl.nav.request after Terminate; null before it and for SCORM 1.2. */
  readonly navRequest: string | null;
  /** Subscribes to an event; returns the unsubscribe function. */
  on(event: BridgeEventName, fn: (detail: unknown) => void): () => void;
  /** The debug log (only kept with `debug: true`). */
  readonly log: readonly BridgeLogEntry[];
}

interface QueueEntry {
  item: string;
  diff: CommitDiff;
  /** Frame mode: the diff's page and number in the content frame. */
  src?: { page: string; n: number };
}

interface Session {
  item: string;
  version: ScormVersion;
  /** The local API (same-origin mode); null in frame mode. */
  api: Scorm12Api | Scorm2004Api | null;
  guarded: GuardedApi | null;
  /** The last seq handed to the queue for this session. */
  lastSeq: number;
  dirty: boolean;
  terminated: boolean;
  nav: string | null;
  autocommit: ReturnType<typeof setInterval> | undefined;
  /** Frame mode: the content frame, its origin and the session's message key. */
  frame: {
    iframe: HTMLIFrameElement;
    origin: string;
    key: string;
    /** The content runtime said it is ready: it sends its own last data at unload. */
    direct?: boolean;
    /** Called when the content frame answers `close` / `suspend`. */
    answered?: () => void;
  } | null;
  /** The last seq the engine stored for this session. */
  stored: number;
}

type Answer = { status: number; data: Record<string, unknown> | null };

const KEEPALIVE_BUDGET = 64 * 1024;
const MAX_RETRY_MS = 30_000;
const RENEW_BEFORE_MS = 120_000;
const OPEN_TRIES = 6;
const LOG_LIMIT = 500;
const API_NAMES = { '1.2': 'API', '2004': 'API_1484_11' } as const;

function defaultStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function toNumber(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The learner-facing status of a SCO's values, as the engine reports it. */
function statusOf(item: string, version: ScormVersion, v: Map<string, string>): BridgeStatus {
  if (version === '1.2') {
    const status = v.get('cmi.core.lesson_status') ?? 'not attempted';
    return {
      item,
      completionStatus: status,
      successStatus: status === 'passed' || status === 'failed' ? status : 'unknown',
      score: { raw: toNumber(v.get('cmi.core.score.raw')), scaled: null },
    };
  }
  return {
    item,
    completionStatus: evaluateCompletion2004(v) ?? v.get('cmi.completion_status') ?? 'unknown',
    successStatus: evaluateSuccess2004(v) ?? v.get('cmi.success_status') ?? 'unknown',
    score: { raw: toNumber(v.get('cmi.score.raw')), scaled: toNumber(v.get('cmi.score.scaled')) },
  };
}

/** Whether a failed request is worth trying again: no answer, 5xx, 429. */
function transient(status: number): boolean {
  return status === 0 || status >= 500 || status === 429;
}

function failCode(status: number): string {
  return status ? `HTTP_${status}` : 'NETWORK';
}

function nameOf(entry: QueueEntry): string {
  return `${entry.item}#${entry.diff.seq}`;
}

/**
 * Writes the handoff into the frame's browsing context name. Browsers read the `name` attribute
 * only when the frame's window is created, so a frame that already has a window gets the name
 * set on that window: directly while it shows a document of the player's origin, else after
 * taking it to about:blank.
 */
async function nameFrame(iframe: HTMLIFrameElement, name: string): Promise<void> {
  iframe.name = name;
  if (!iframe.contentWindow) return;
  try {
    iframe.contentWindow.name = name;
  } catch {
    // a document of another origin is shown
    await blank(iframe);
    iframe.contentWindow!.name = name;
  }
}

/** Takes a frame to about:blank; resolves once it is there (or after 3 s). */
function blank(iframe: HTMLIFrameElement): Promise<unknown> {
  return new Promise((resolve) => {
    setTimeout(resolve, 3000);
    iframe.addEventListener('load', resolve, { once: true });
    iframe.src = 'about:blank';
  });
}

/** Takes a frame to about:blank and waits for its content's last messages. */
async function unloadFrame(iframe: HTMLIFrameElement): Promise<void> {
  await blank(iframe);
  // messages of the unloaded page travel separately from the load event
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/**
 * Creates the player side of the runtime for one attempt.
 * @see SCORM 2004 4th Edition RTE 3.3.2 (API discovery: the SCO searches its parent chain and opener)
 */
export function createBridge(options: BridgeOptions): Bridge {
  if (
    options === null ||
    typeof options !== 'object' ||
    typeof options.attemptId !== 'string' ||
    options.attemptId === '' ||
    typeof options.runtimeToken !== 'string'
  ) {
    throw new BridgeError('INVALID_OPTIONS', 'attemptId and runtimeToken required');
  }
  const attemptId = options.attemptId;
  const apiBase = (options.apiBase ?? '').replace(/\/+$/, '');
  const target: Window = options.target ?? globalThis.window;
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const autocommitMs = Math.max(0, options.autocommitSeconds ?? 10) * 1000;
  const retryBaseMs = Math.max(1, options.retryBaseMs ?? 1000);
  const debug = options.debug === true;
  const storageKey = `scormflow:queue:${attemptId}`;

  let token = options.runtimeToken;
  let tokenExpiry = Date.parse(options.tokenExpiresAt);
  let renewing: Promise<boolean> | null = null;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;

  let queue: QueueEntry[] = [];
  let loaded = false;
  let sending: QueueEntry | null = null;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Called after each send round: true when the queue is empty, false after a failed send. */
  let roundListeners: ((drained: boolean) => void)[] = [];
  let keepaliveInFlight = 0;
  let unloading = false;

  let session: Session | null = null;
  /** Per SCO, the values the engine is known to hold (the initialize answer plus each accepted diff). */
  const mirrors = new Map<string, { version: ScormVersion; values: Map<string, string> }>();
  let navRequest: string | null = null;
  let listening = false;
  const listeners = new Map<BridgeEventName, Set<(detail: unknown) => void>>();
  const log: BridgeLogEntry[] = [];

  function emit(event: BridgeEventName, detail: unknown): void {
    const set = listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(detail);
      } catch {
        // a host page's listener cannot break the runtime
      }
    }
  }

  function note(level: BridgeLogEntry['level'], message: string): void {
    if (!debug) return;
    const entry = { at: new Date().toISOString(), level, message };
    log.push(entry);
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    emit('log', entry);
  }

  function fail(detail: BridgeFailure): void {
    note(detail.retrying ? 'warn' : 'error', `${detail.code}: ${detail.message}`);
    emit('error', detail);
  }

  // ---- persistence -------------------------------------------------------------------------

  function persist(): void {
    if (!storage) return;
    try {
      if (queue.length === 0) storage.removeItem(storageKey);
      else storage.setItem(storageKey, JSON.stringify(queue));
    } catch (cause) {
      note('warn', `queue not stored: ${cause}`);
    }
  }

  function loadQueue(): void {
    if (loaded) return;
    loaded = true;
    if (!storage) return;
    let stored: unknown;
    try {
      stored = JSON.parse(storage.getItem(storageKey) ?? '[]');
    } catch {
      stored = [];
    }
    const entries = Array.isArray(stored)
      ? stored.filter(
          (e: unknown): e is QueueEntry =>
            typeof e === 'object' &&
            e !== null &&
            typeof (e as QueueEntry).item === 'string' &&
            isCommitDiff((e as QueueEntry).diff),
        )
      : [];
    if (entries.length > 0) note('info', `${entries.length} queued`);
    queue = [...entries, ...queue];
    persist();
  }

  // ---- HTTP --------------------------------------------------------------------------------

  function url(path: string): string {
    return `${apiBase}/api/v1/runtime/${encodeURIComponent(attemptId)}/${path}`;
  }

  async function post(path: string, body: unknown, keepalive = false): Promise<Answer> {
    let res: Response;
    try {
      res = await postRuntime(url(path), token, body, keepalive);
    } catch {
      return { status: 0, data: null };
    }
    let data: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = await res.json();
      if (typeof parsed === 'object' && parsed !== null) data = parsed as Record<string, unknown>;
    } catch {
      // an answer without a JSON body
    }
    return { status: res.status, data };
  }

  /** A POST that renews the token once on 401 and tries again. */
  async function call(path: string, body: unknown, keepalive = false): Promise<Answer> {
    const first = await post(path, body, keepalive);
    if (first.status !== 401) return first;
    if (!(await renew())) return first;
    return post(path, body, keepalive);
  }

  function scheduleRenewal(): void {
    clearTimeout(renewTimer);
    if (!Number.isFinite(tokenExpiry)) return;
    const wait = Math.max(0, tokenExpiry - RENEW_BEFORE_MS - Date.now());
    // setTimeout holds 32-bit delays; a longer wait is re-armed when it fires
    renewTimer = setTimeout(
      () => {
        if (tokenExpiry - RENEW_BEFORE_MS - Date.now() > 1000) scheduleRenewal();
        else void renew();
      },
      Math.min(wait, 2 ** 31 - 1),
    );
  }

  function renew(): Promise<boolean> {
    if (renewing) return renewing;
    renewing = (async () => {
      const res = await post('token', undefined);
      const next = res.data?.runtimeToken;
      const expires = res.data?.expiresAt;
      if (res.status === 200 && typeof next === 'string' && typeof expires === 'string') {
        token = next;
        tokenExpiry = Date.parse(expires);
        scheduleRenewal();
        // a content frame keeps the token to reach the engine itself at unload
        if (session?.frame) tell(session, { type: 'sync', seq: session.stored, page: '', n: 0 });
        return true;
      }
      fail({
        code: failCode(res.status),
        message: 'token not renewed',
        retrying: transient(res.status),
        status: res.status,
      });
      // try again later when the engine was unreachable; a refused token stays refused
      if (transient(res.status)) {
        clearTimeout(renewTimer);
        renewTimer = setTimeout(() => void renew(), Math.min(MAX_RETRY_MS, retryBaseMs * 4));
      }
      return false;
    })().finally(() => {
      renewing = null;
    });
    return renewing;
  }

  // ---- the queue ---------------------------------------------------------------------------

  function backoff(): number {
    const base = Math.min(MAX_RETRY_MS, retryBaseMs * 2 ** Math.max(0, failures - 1));
    // jitter spreads the retries of many learners after an outage
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  function endRound(drained: boolean): void {
    const waiting = roundListeners;
    roundListeners = [];
    for (const fn of waiting) fn(drained);
  }

  function accepted(entry: QueueEntry, replayed: boolean): void {
    // the engine validated the ops; the mirror only needs their values for the status
    const mirror = mirrors.get(entry.item);
    const values = mirror?.values;
    if (values) {
      for (const [element, value] of entry.diff.ops) values.set(element, value);
      if (entry.diff.terminated && mirror.version === '1.2') {
        const status = evaluateStatus12(values);
        if (status) values.set('cmi.core.lesson_status', status);
      }
    }
    const s = session;
    if (s?.item === entry.item) {
      s.stored = entry.diff.seq;
      if (entry.src) tell(s, { type: 'sync', seq: s.stored, ...entry.src });
    }
    emit('commit', {
      item: entry.item,
      seq: entry.diff.seq,
      terminated: entry.diff.terminated,
      replayed,
    } satisfies BridgeCommit);
    if (mirror) emit('status', statusOf(entry.item, mirror.version, mirror.values));
  }

  /**
   * Seq numbers the engine will never see (a refused diff, a gap), per SCO: the local API goes on
   * counting, so its later diffs move down by this much.
   */
  const shifts = new Map<string, number>();

  function renumber(item: string, from: number, delta: number): void {
    shifts.set(item, (shifts.get(item) ?? 0) + delta);
    queue = queue.map((e) =>
      e.item === item && e.diff.seq >= from ? { item, diff: { ...e.diff, seq: e.diff.seq - delta } } : e,
    );
    if (session?.item === item) session.lastSeq -= delta;
    persist();
  }

  /**
   * Sends one entry: 'done' (delivered or already held), 'drop' (refused for good), 'retry', or
   * the engine's seq when the diff skips one (SEQUENCE_GAP).
   */
  async function send(entry: QueueEntry): Promise<'done' | 'drop' | 'retry' | number> {
    const body = { item: entry.item, diff: entry.diff };
    const size = byteLength(JSON.stringify(body));
    const keepalive = size + keepaliveInFlight <= KEEPALIVE_BUDGET;
    if (keepalive) keepaliveInFlight += size;
    let res: Answer;
    try {
      res = await call(entry.diff.terminated ? 'terminate' : 'commit', body, keepalive);
    } finally {
      if (keepalive) keepaliveInFlight -= size;
    }
    const where = { item: entry.item, seq: entry.diff.seq, status: res.status };
    const name = nameOf(entry);
    if (res.status >= 200 && res.status < 300) {
      note('info', `${name} stored`);
      accepted(entry, false);
      return 'done';
    }
    // a problem+json answer: `code`, and for refused commits `reason` and `currentSeq`
    const { reason, code, currentSeq } = (res.data ?? {}) as {
      reason?: string;
      code?: string;
      currentSeq?: number;
    };
    if (res.status === 409) {
      // the engine already holds this commit (its answer was lost, or it was sent at unload)
      if (
        reason === 'REPLAYED_COMMIT' ||
        reason === 'STALE_COMMIT' ||
        (currentSeq !== undefined && currentSeq >= entry.diff.seq)
      ) {
        note('info', `${name} stored (${reason ?? code})`);
        accepted(entry, true);
        return 'done';
      }
    }
    if (res.status === 409 && (entry.diff.terminated || entry.src) && reason?.startsWith('SESSION_')) {
      // the session already ended: an unload-time copy of this diff (the content frame's own, in
      // frame mode), or a later open, ended it
      note('info', `${name} ended already`);
      return 'done';
    }
    if (reason === 'SEQUENCE_GAP' && currentSeq !== undefined) {
      return currentSeq;
    }
    if (transient(res.status) || res.status === 401) {
      fail({
        code: failCode(res.status),
        message: `${name} not delivered`,
        retrying: true,
        ...where,
      });
      return 'retry';
    }
    fail({
      code: reason ?? code ?? failCode(res.status),
      message: `${name} refused`,
      retrying: false,
      ...where,
    });
    return 'drop';
  }

  async function pump(): Promise<void> {
    // at unload the pending diffs leave together (unloadFlush), not one by one
    if (sending || unloading) return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    while (queue.length > 0) {
      const entry = queue[0] as QueueEntry;
      sending = entry;
      let outcome: 'done' | 'drop' | 'retry' | number;
      try {
        outcome = await send(entry);
      } catch {
        outcome = 'retry';
      } finally {
        sending = null;
      }
      if (outcome === 'retry') {
        failures++;
        const wait = backoff();
        note('warn', `retry ${failures} in ${wait} ms`);
        retryTimer = setTimeout(() => void pump(), wait);
        endRound(false);
        return;
      }
      failures = 0;
      if (typeof outcome === 'number') {
        // diffs of this SCO were lost before this one: close the gap and send it again
        renumber(entry.item, entry.diff.seq, entry.diff.seq - outcome - 1);
        continue;
      }
      const at = queue.indexOf(entry);
      if (at >= 0) queue.splice(at, 1);
      // a refused diff leaves its seq unused: the next ones take it
      if (outcome === 'drop') renumber(entry.item, entry.diff.seq + 1, 1);
      persist();
    }
    endRound(true);
  }

  /** Starts a send round now and resolves when it ends: true when the queue is empty. */
  function round(): Promise<boolean> {
    if (queue.length === 0 && !sending) return Promise.resolve(true);
    const done = new Promise<boolean>((resolve) => roundListeners.push(resolve));
    void pump();
    return done;
  }

  function enqueue(entry: QueueEntry, implicit = false): void {
    const { item, diff } = entry;
    queue.push(entry);
    persist();
    const s = session;
    if (s && s.item === item) {
      s.lastSeq = diff.seq;
      for (const [element, value] of diff.ops) if (element === 'adl.nav.request') s.nav = value;
      if (diff.terminated) {
        s.terminated = true;
        s.dirty = false;
        clearInterval(s.autocommit);
        navRequest = s.version === '2004' ? (s.nav ?? '_none_') : null;
        emit('terminate', { item, navRequest, implicit } satisfies BridgeTerminate);
      }
    }
    void pump();
  }

  // ---- sessions ----------------------------------------------------------------------------

  /** The content's data so far goes into a commit (the local API's own Commit, as autocommit does). */
  function commitDirty(): void {
    const s = session;
    if (!s?.guarded || !s.dirty || s.terminated) return;
    note('info', `autocommit of ${s.item}`);
    s.guarded[METHOD_NAMES[s.version][4]]!('');
  }

  /** An LMSFinish / Terminate for content that never called it. */
  function terminateImplicitly(): void {
    const s = session;
    if (!s || s.terminated) return;
    if (s.guarded && s.guarded[METHOD_NAMES[s.version][1]]!('') === 'true') return;
    if (!s.terminated) {
      // never initialized (or its API refused to end): end the engine's session with no data
      enqueue({ item: s.item, diff: { seq: s.lastSeq + 1, ops: [], terminated: true } }, true);
    }
  }

  /**
   * At unload nothing can wait for an answer: the pending diffs of each SCO go out at once, merged
   * into one request per SCO (one seq), with keepalive while they fit its 64 KB budget. The queue
   * keeps them (as merged) until an answer removes them, so what did not get out is replayed by the
   * next `open`.
   */
  function unloadFlush(): void {
    const rest = queue.filter((e) => e !== sending);
    if (rest.length === 0) return;
    const merged: QueueEntry[] = [];
    for (const e of rest) {
      const last = merged[merged.length - 1];
      if (last && last.item === e.item && !last.diff.terminated) {
        last.diff = mergeDiffs(last.diff, e.diff);
      } else merged.push({ item: e.item, diff: e.diff });
    }
    queue = sending ? [sending, ...merged] : merged;
    persist();
    const out: QueueEntry[] = [];
    const first = merged[0] as QueueEntry;
    if (sending && first.item === sending.item && !sending.diff.terminated) {
      // a commit is still in flight: the rest can only be stored after it, and keepalive requests
      // may arrive in any order, so its ops also go out together with the rest at its own seq
      // (whichever of the two arrives first is stored; the other is answered as a replay)
      out.push({ item: first.item, diff: mergeDiffs(sending.diff, first.diff) });
    }
    out.push(...merged);
    for (const entry of out) {
      const body = JSON.stringify({ item: entry.item, diff: entry.diff });
      const size = byteLength(body);
      if (size + keepaliveInFlight > KEEPALIVE_BUDGET) {
        note('warn', `${nameOf(entry)} stays queued`);
        continue;
      }
      keepaliveInFlight += size;
      note('info', `${nameOf(entry)} sent at unload`);
      void post(
        entry.diff.terminated ? 'terminate' : 'commit',
        { item: entry.item, diff: entry.diff },
        true,
      ).then((res) => {
        keepaliveInFlight -= size;
        // when the page lives on (back-forward cache), a stored entry leaves the queue; anything
        // else is sorted out by the next send round
        const at = queue.indexOf(entry);
        if (res.status === 200 && at >= 0) {
          queue.splice(at, 1);
          persist();
        }
      });
    }
  }

  function onHidden(): void {
    try {
      if (target.document.visibilityState !== 'hidden') return;
      commitDirty();
      void pump();
    } catch {
      // never break the page's unload
    }
  }

  function onBeforeUnload(): void {
    // the content's data goes into the queue now; it leaves with pagehide, in one request with the
    // implicit Terminate. If the page stays (the unload was cancelled), sending resumes.
    try {
      unloading = true;
      commitDirty();
      setTimeout(onPageShow, 1000);
    } catch {
      // never break the page's unload
    }
  }

  function onPageHide(): void {
    unloading = true;
    try {
      commitDirty();
      // In frame mode the content frame unloads after this page (its last diff, often its own
      // LMSFinish, cannot arrive any more): an empty final diff would end the session on the
      // content's behalf (a SCORM 1.2 lesson never given a status becomes completed), so the
      // engine keeps it running with the last commit and the next launch takes it over.
      // A content frame that reported ready sends its own pending diffs when it unloads, merged
      // from the seq after the last stored one; the player's copy stays stored for the next open.
      if (!session?.frame) terminateImplicitly();
      if (session?.frame?.direct) persist();
      else unloadFlush();
    } catch {
      // never break the page's unload
    }
  }

  function onPageShow(): void {
    // back from the back-forward cache: the queue goes on as usual
    unloading = false;
    void pump();
  }

  function onMessage(event: MessageEvent): void {
    const s = session;
    if (!s?.frame) return;
    // a message posted while the content page unloads has no source; the key still vouches for it
    const source = event.source;
    if (event.origin !== s.frame.origin || (source !== null && source !== s.frame.iframe.contentWindow))
      return;
    const msg = readFrameMessage(event.data);
    if (!msg || msg.item !== s.item || msg.key !== s.frame.key) {
      note('warn', 'malformed message');
      return;
    }
    const f = s.frame;
    if (msg.type === 'ready') {
      f.direct = true;
      tell(s, { type: 'sync', seq: s.stored, page: '', n: 0 });
    } else if (msg.type === 'closing') f.answered?.();
    else if (msg.type === 'diff' && !s.terminated) {
      // the player numbers the frame's commits: a page of the SCO that started from an older
      // window.name (its predecessor's last commit left at pagehide) still continues the sequence
      enqueue({
        item: s.item,
        diff: { ...msg.diff, seq: s.lastSeq + 1 },
        src: { page: msg.page, n: msg.n },
      });
    }
  }

  /** Posts a message to the session's content frame (only to its origin). */
  function tell(
    s: Session,
    msg: { type: 'sync'; seq: number; page: string; n: number } | { type: 'close' | 'suspend' },
  ): void {
    try {
      s.frame?.iframe.contentWindow?.postMessage(
        {
          scormflow: 1,
          key: s.frame.key,
          url: new URL(url(''), target.location.href).href,
          token,
          ...msg,
        } as PlayerMessage,
        s.frame.origin,
      );
    } catch {
      // the frame is gone
    }
  }

  /** Asks the content frame to `close` or `suspend`; resolves on its answer, or after 2 s. */
  function ask(s: Session, type: 'close' | 'suspend'): Promise<void> {
    const f = s.frame!;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      f.answered = () => {
        clearTimeout(timer);
        resolve();
      };
      tell(s, { type });
    });
  }

  async function suspend(): Promise<void> {
    const s = session;
    if (!s || s.terminated) return;
    if (s.frame) return ask(s, 'suspend');
    suspendApi(s.guarded!, s.version);
  }

  function listen(): void {
    if (listening) return;
    listening = true;
    target.addEventListener('pagehide', onPageHide);
    target.addEventListener('pageshow', onPageShow);
    target.addEventListener('beforeunload', onBeforeUnload);
    target.document.addEventListener('visibilitychange', onHidden);
    target.addEventListener('message', onMessage);
  }

  async function start(item: string): Promise<{ item: string; version: ScormVersion; state: CmiState }> {
    if (typeof item !== 'string' || item === '') {
      throw new BridgeError('INVALID_OPTIONS', 'item is required');
    }
    if (session) await close();
    listen();
    scheduleRenewal();
    loadQueue();
    // the queue of an earlier page goes first: its diffs belong to the session it replaced
    let tries = 0;
    while (!(await round())) {
      if (++tries >= OPEN_TRIES) {
        throw new BridgeError('NETWORK_ERROR', 'queued commits not delivered');
      }
      await new Promise((r) => setTimeout(r, backoff()));
    }
    for (let i = 1; ; i++) {
      const res = await call('initialize', { item });
      const d = res.data;
      if (
        res.status === 200 &&
        d &&
        typeof d.item === 'string' &&
        (d.version === '1.2' || d.version === '2004') &&
        typeof d.state === 'object' &&
        d.state !== null
      ) {
        return { item: d.item, version: d.version, state: d.state as CmiState };
      }
      const retry = transient(res.status);
      if (!retry || i >= OPEN_TRIES) {
        const code = String(d?.code ?? failCode(res.status));
        const error = new BridgeError(
          retry ? 'NETWORK_ERROR' : 'INITIALIZE_FAILED',
          `initialize of ${item} failed: ${code}`,
          { status: res.status },
        );
        fail({ code, message: error.message, retrying: false, item });
        throw error;
      }
      failures = i;
      await new Promise((r) => setTimeout(r, backoff()));
      failures = 0;
    }
  }

  function newSession(
    opened: { item: string; version: ScormVersion; state: CmiState },
    frame: Session['frame'],
  ): Session {
    navRequest = null;
    shifts.delete(opened.item);
    mirrors.set(opened.item, {
      version: opened.version,
      values: new Map(Object.entries(opened.state.values)),
    });
    return {
      item: opened.item,
      version: opened.version,
      api: null,
      guarded: null,
      lastSeq: opened.state.seq,
      dirty: false,
      terminated: Boolean(opened.state.terminated),
      nav: null,
      autocommit: undefined,
      frame,
      stored: opened.state.seq,
    };
  }

  async function open(item: string): Promise<OpenedSession> {
    const opened = await start(item);
    const s = newSession(opened, null);
    const apiOptions = {
      state: opened.state,
      onCommit: (diff: CommitDiff) => {
        try {
          const shift = shifts.get(s.item) ?? 0;
          enqueue({ item: s.item, diff: shift === 0 ? diff : { ...diff, seq: diff.seq - shift } });
        } catch {
          // the commit stays in the local API's values; nothing may throw into the content
        }
        return true;
      },
    };
    s.api = opened.version === '1.2' ? createScorm12Api(apiOptions) : createScorm2004Api(apiOptions);
    s.guarded = guardApi(s.api, opened.version, {
      onSet: () => {
        s.dirty = true;
      },
      onCommitted: () => {
        s.dirty = false;
      },
    });
    if (autocommitMs > 0) {
      s.autocommit = setInterval(() => {
        if (session === s) commitDirty();
      }, autocommitMs);
    }
    session = s;
    (target as unknown as Record<string, unknown>)[API_NAMES[opened.version]] = s.guarded;
    return { item: opened.item, version: opened.version };
  }

  async function openFrame(
    item: string,
    iframe: HTMLIFrameElement,
    frameOptions: FrameOpenOptions,
  ): Promise<OpenedSession> {
    if (!iframe || typeof frameOptions?.contentOrigin !== 'string') {
      throw new BridgeError('INVALID_OPTIONS', 'iframe and contentOrigin required');
    }
    let origin: string;
    try {
      origin = new URL(frameOptions.contentOrigin).origin;
    } catch (cause) {
      throw new BridgeError('INVALID_OPTIONS', 'bad contentOrigin', { cause });
    }
    const opened = await start(item);
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
    const key = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const s = newSession(opened, { iframe, origin, key });
    session = s;
    await nameFrame(
      iframe,
      encodeHandoff({
        v: 1,
        version: opened.version,
        item: opened.item,
        state: opened.state,
        origin: target.location.origin,
        autocommitSeconds: autocommitMs / 1000,
        key,
      }),
    );
    if (frameOptions.src !== undefined) iframe.src = frameOptions.src;
    return { item: opened.item, version: opened.version };
  }

  async function close(): Promise<void> {
    const s = session;
    if (!s) return;
    if (s.frame && !s.terminated && s.frame.iframe.isConnected) {
      // the SCO's own unload handlers (LMSFinish in onunload is common) can only reach the player
      // while the frame is attached: unload the content first, then look at what it sent. The
      // frame is told first, so that it relays its last diff instead of sending it itself.
      if (s.frame.direct) await ask(s, 'close');
      await unloadFrame(s.frame.iframe);
    }
    if (session !== s) return;
    try {
      commitDirty();
      terminateImplicitly();
    } finally {
      clearInterval(s.autocommit);
      const t = target as unknown as Record<string, unknown>;
      const name = API_NAMES[s.version];
      if (s.guarded && t[name] === s.guarded) delete t[name];
      if (session === s) session = null;
    }
    await flush();
  }

  async function flush(): Promise<void> {
    commitDirty();
    await round();
  }

  return {
    open,
    openFrame,
    close,
    flush,
    suspend,
    get navRequest() {
      return navRequest;
    },
    on(event, fn) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(fn);
      return () => {
        set.delete(fn);
      };
    },
    get log() {
      return log;
    },
  };
}
