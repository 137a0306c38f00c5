/**
 * The SCORM 1.2 and SCORM 2004 API objects (the `window.API` and `window.API_1484_11` contracts).
 * Every method takes and returns strings exactly like the SCORM API and never throws.
 * @see SCORM 1.2 RTE 3.3 (API functions)
 * @see SCORM 2004 4th Edition RTE 3.1 (API), 3.1.6 (API instance state transitions)
 */
import type { CommitDiff } from './commit.js';
import { type Engine, RULES } from './engine.js';
import { ERRORS_12, ERRORS_2004 } from './error-codes.js';
import { engineFromState, finishSession, stateFromEngine } from './session.js';
import { type CmiState, createInitialState, type LaunchContext, type ScormVersion } from './state.js';

/** Options shared by both API versions. */
export interface ScormApiOptions {
  /** The LMS-side launch context; ignored when `state` is given. */
  readonly launch?: LaunchContext;
  /** Continue from this state (e.g. one built by `createInitialState` on the server). */
  readonly state?: CmiState;
  /** Follow the specification to the letter instead of keeping known deviations. Default false. */
  readonly strict?: boolean;
  /**
   * Called on every successful Commit / Terminate with what changed since the last one. Return
   * false to make the call fail (391 / 111 in SCORM 2004, 101 in SCORM 1.2); the operations are
   * then kept for the next commit.
   */
  readonly onCommit?: (diff: CommitDiff) => boolean | undefined;
}

export type Scorm12ApiOptions = ScormApiOptions;
export type Scorm2004ApiOptions = ScormApiOptions;

/** State access shared by both API objects. */
export interface ScormSession {
  readonly version: ScormVersion;
  /** A plain-JSON snapshot of the session's state. */
  getState(): CmiState;
}

/** @see SCORM 1.2 RTE 3.3 (API functions) */
export interface Scorm12Api extends ScormSession {
  LMSInitialize(parameter: string): string;
  LMSFinish(parameter: string): string;
  LMSGetValue(element: string): string;
  LMSSetValue(element: string, value: string): string;
  LMSCommit(parameter: string): string;
  LMSGetLastError(): string;
  LMSGetErrorString(code: string): string;
  LMSGetDiagnostic(code: string): string;
}

/** @see SCORM 2004 4th Edition RTE 3.1.2 (API methods) */
export interface Scorm2004Api extends ScormSession {
  Initialize(parameter: string): string;
  Terminate(parameter: string): string;
  GetValue(element: string): string;
  SetValue(element: string, value: string): string;
  Commit(parameter: string): string;
  GetLastError(): string;
  GetErrorString(code: string): string;
  GetDiagnostic(code: string): string;
}

// Lifecycle error codes, by position:
// init twice, init after end, end before init, end after end, get before, get after, set before,
// set after, commit before, commit after, bad argument, commit failure, end failure
const LIFE_2004 = [103, 104, 112, 113, 122, 123, 132, 133, 142, 143, 201, 391, 111];
const LIFE_12 = [101, 101, 301, 301, 301, 301, 301, 301, 301, 301, 201, 101, 101];

const NOT_STARTED = 0;
const RUNNING = 1;
const ENDED = 2;

class Session {
  readonly version: ScormVersion;
  private readonly m: Engine;
  private base: CmiState;
  private status = NOT_STARTED;
  private seq: number;
  private error = 0;
  /** True when the last error came from the lifecycle rather than from the data model. */
  private life = false;
  private readonly lifeCodes: readonly number[];
  private readonly strings: Readonly<Record<string, string>>;
  private readonly onCommit: ScormApiOptions['onCommit'];

  constructor(version: ScormVersion, options: ScormApiOptions) {
    this.version = version;
    this.base =
      options.state ??
      createInitialState(
        version,
        options.launch,
        options.strict === undefined ? {} : { strict: options.strict },
      );
    if (options.state !== undefined && options.strict !== undefined) {
      this.base = { ...this.base, strict: options.strict };
    }
    this.m = engineFromState(this.base);
    this.seq = this.base.seq;
    this.lifeCodes = version === '1.2' ? LIFE_12 : LIFE_2004;
    this.strings = version === '1.2' ? ERRORS_12 : ERRORS_2004;
    this.onCommit = options.onCommit;
    if (this.base.terminated) this.status = ENDED;
  }

  private lifeFail(rule: number): string {
    this.error = this.lifeCodes[rule] as number;
    this.life = true;
    return 'false';
  }

  private ok(): string {
    this.error = 0;
    return 'true';
  }

  // A missing parameter (`LMSInitialize()`, common in SCORM 1.2 content) counts as "".
  initialize(p: string): string {
    if (this.status === RUNNING) return this.lifeFail(0);
    if (this.status === ENDED) return this.lifeFail(1);
    if (p !== '' && p != null) return this.lifeFail(10);
    this.status = RUNNING;
    return this.ok();
  }

  terminate(p: string): string {
    if (this.status === NOT_STARTED) return this.lifeFail(2);
    if (this.status === ENDED) return this.lifeFail(3);
    if (p !== '' && p != null) return this.lifeFail(10);
    if (!this.flush(true)) return this.lifeFail(12);
    this.status = ENDED;
    return this.ok();
  }

  commit(p: string): string {
    if (this.status === NOT_STARTED) return this.lifeFail(8);
    if (this.status === ENDED) return this.lifeFail(9);
    if (p !== '' && p != null) return this.lifeFail(10);
    return this.flush(false) ? this.ok() : this.lifeFail(11);
  }

  private flush(terminated: boolean): boolean {
    const m = this.m;
    const sessionTime = m.values.get(this.version === '1.2' ? 'cmi.core.session_time' : 'cmi.session_time');
    const diff: CommitDiff = {
      seq: this.seq + 1,
      ops: Array.from(m.ops),
      terminated,
      ...(sessionTime === undefined ? {} : { sessionTime }),
    };
    if (this.onCommit !== undefined && this.onCommit(diff) === false) return false;
    m.ops.clear();
    m.commitNotes();
    this.seq = diff.seq;
    if (terminated) finishSession(m, this.version);
    return true;
  }

  get(el: string): string {
    if (this.status !== RUNNING) {
      this.lifeFail(this.status === NOT_STARTED ? 4 : 5);
      return '';
    }
    const v = this.m.get(typeof el === 'string' ? el : String(el));
    if (v === undefined) {
      this.error = this.m.spec.codes[this.m.reason] as number;
      this.life = false;
      return '';
    }
    this.error = 0;
    return v;
  }

  set(el: string, value: string): string {
    if (this.status !== RUNNING) return this.lifeFail(this.status === NOT_STARTED ? 6 : 7);
    const m = this.m;
    if (m.set(typeof el === 'string' ? el : String(el), typeof value === 'string' ? value : String(value))) {
      this.error = 0;
      return 'true';
    }
    this.error = m.spec.codes[m.reason] as number;
    this.life = false;
    return 'false';
  }

  lastError(): string {
    return String(this.error);
  }

  errorString(code: string): string {
    return this.strings[code] ?? '';
  }

  diagnostic(code: string): string {
    // content passes numbers or nothing as often as strings
    const c = code == null ? '' : String(code);
    if (c !== '' && c !== String(this.error)) return this.strings[c] ?? '';
    if (this.error === 0) return '';
    // a lifecycle error needs no more words than its error string
    if (this.life) return this.strings[this.error] ?? '';
    return `${this.m.failed || '""'}: ${RULES[this.m.reason]}`;
  }

  getState(): CmiState {
    return stateFromEngine(this.base, this.m, this.seq, this.status === ENDED);
  }
}

const METHODS = [
  'initialize',
  'terminate',
  'get',
  'set',
  'commit',
  'lastError',
  'errorString',
  'diagnostic',
] as const;
const NAMES_2004 = [
  'Initialize',
  'Terminate',
  'GetValue',
  'SetValue',
  'Commit',
  'GetLastError',
  'GetErrorString',
  'GetDiagnostic',
];
const NAMES_12 = [
  'LMSInitialize',
  'LMSFinish',
  'LMSGetValue',
  'LMSSetValue',
  'LMSCommit',
  'LMSGetLastError',
  'LMSGetErrorString',
  'LMSGetDiagnostic',
];

/** Adds the SCORM method names as bound functions, so content may call them detached. */
function expose<T>(session: Session, names: readonly string[]): T {
  const api = session as unknown as Record<string, unknown>;
  METHODS.forEach((m, i) => {
    api[names[i] as string] = session[m].bind(session);
  });
  return session as unknown as T;
}

/**
 * A SCORM 1.2 API object (`window.API`) over an in-memory data model.
 * @see SCORM 1.2 RTE 3.3 (API functions) and 3.4 (data model)
 */
export function createScorm12Api(options: Scorm12ApiOptions = {}): Scorm12Api {
  return expose<Scorm12Api>(new Session('1.2', options), NAMES_12);
}

/**
 * A SCORM 2004 4th Edition API object (`window.API_1484_11`) over an in-memory data model.
 * @see SCORM 2004 4th Edition RTE 3.1 (API) and 4.2 (data model)
 */
export function createScorm2004Api(options: Scorm2004ApiOptions = {}): Scorm2004Api {
  return expose<Scorm2004Api>(new Session('2004', options), NAMES_2004);
}
