/**
 * The serialisable state of one SCO attempt and the launch context the LMS builds it from.
 * @see SCORM 2004 4th Edition RTE 4.2 (LMS-initialised elements: learner_id, credit, entry, ...)
 * @see SCORM 1.2 RTE 3.4 (cmi.core.* initialised by the LMS)
 */
import type { CmiDiagnostic } from './engine.js';
import { CmiError } from './errors.js';

export type ScormVersion = '1.2' | '2004';

/** A comment from the LMS (SCORM 2004 cmi.comments_from_lms.n). */
export interface LmsComment {
  readonly comment: string;
  readonly location?: string;
  /** SCORM 2004 `time (second,10,0)`, e.g. `2026-01-31T10:00:00`. */
  readonly timestamp?: string;
}

/** An objective with values the LMS supplies at launch; the fields use the version's names. */
export interface LaunchObjective {
  readonly id: string;
  /** SCORM 2004 cmi.objectives.n.success_status. */
  readonly successStatus?: 'passed' | 'failed' | 'unknown';
  /** SCORM 2004 cmi.objectives.n.completion_status. */
  readonly completionStatus?: 'completed' | 'incomplete' | 'not attempted' | 'unknown';
  /** SCORM 1.2 cmi.objectives.n.status. */
  readonly status?: string;
  /** SCORM 2004 only. */
  readonly scaled?: number;
  readonly raw?: number;
  readonly min?: number;
  readonly max?: number;
  /** SCORM 2004 only. */
  readonly progressMeasure?: number;
}

/** One adl.data store the SCO may read or write (from the manifest's adlcp:data). */
export interface SharedDataStore {
  readonly id: string;
  /** Defaults to true. */
  readonly readSharedData?: boolean;
  /** Defaults to true. */
  readonly writeSharedData?: boolean;
  /** The store's current value; unset stores read as "not initialized" (403). */
  readonly store?: string;
}

export type NavValidity = 'true' | 'false' | 'unknown';

/** What the LMS knows when it launches a SCO. Every field is optional. */
export interface LaunchContext {
  readonly learnerId?: string;
  readonly learnerName?: string;
  /** Default `credit`. SCORM 1.2 ignores it in browse mode: browsing is always `no-credit`. */
  readonly credit?: 'credit' | 'no-credit';
  /** Default `normal`. */
  readonly mode?: 'normal' | 'browse' | 'review';
  /** Forces cmi.entry; by default it follows from `resume` (see `createInitialState`). */
  readonly entry?: 'ab-initio' | 'resume' | '';
  /** The manifest's adlcp:dataFromLMS. */
  readonly launchData?: string;
  /** SCORM 1.2 adlcp:masteryscore, 0..100. */
  readonly masteryScore?: number;
  /** SCORM 2004 imsss:minNormalizedMeasure when satisfiedByMeasure, -1..1. */
  readonly scaledPassingScore?: number;
  /** adlcp:maxtimeallowed, in the version's time format. */
  readonly maxTimeAllowed?: string;
  /** adlcp:timelimitaction, e.g. `continue,no message`. */
  readonly timeLimitAction?: string;
  /** SCORM 2004 adlcp:completionThreshold, 0..1. */
  readonly completionThreshold?: number;
  /** SCORM 1.2 cmi.comments_from_lms (a string) or SCORM 2004 cmi.comments_from_lms.n. */
  readonly commentsFromLms?: string | readonly LmsComment[];
  /**
   * Objectives declared in the manifest, pre-created in cmi.objectives: an id, or an id with the
   * values the LMS already holds for it (e.g. read from a global objective).
   */
  readonly objectives?: readonly (string | LaunchObjective)[];
  /** SCORM 2004 adl.data stores. */
  readonly sharedData?: readonly SharedDataStore[];
  /** Answers for adl.nav.request_valid.*: keys `continue`, `previous`, `choice.<id>`, `jump.<id>`. */
  readonly navRequestValid?: Readonly<Record<string, NavValidity>>;
  /** The state this attempt's previous session ended with, if any. */
  readonly resume?: CmiState;
}

/** Plain JSON: everything needed to resume a session or re-validate its commits. */
export interface CmiState {
  readonly version: ScormVersion;
  /** Element name to value, SCO-set and LMS-set alike. */
  readonly values: Readonly<Record<string, string>>;
  /** Collection key (`cmi.interactions`, `cmi.interactions.0.objectives`) to count. */
  readonly counts: Readonly<Record<string, number>>;
  /** Sequence number of the last accepted commit. */
  readonly seq: number;
  /** `seq` when the current session started: its first commit is `sessionStart + 1`. */
  readonly sessionStart: number;
  /** Deviations kept in tolerant mode. */
  readonly diagnostics: readonly CmiDiagnostic[];
  /** True once the session has been terminated (LMSFinish / Terminate). */
  readonly terminated: boolean;
  readonly strict: boolean;
  /** adl.data permissions by index. */
  readonly shared: readonly { readonly read: boolean; readonly write: boolean }[];
  readonly nav: Readonly<Record<string, string>>;
}

/** Elements that only live for one session and are not carried into a resumed one. */
const SESSION_ONLY = [
  'cmi.exit',
  'cmi.session_time',
  'adl.nav.request',
  'cmi.core.exit',
  'cmi.core.session_time',
];

/** Launch fields copied into one element each: [field, SCORM 1.2 element, SCORM 2004 element]. */
const LAUNCH_ELEMENTS: readonly (readonly [keyof LaunchContext, string, string])[] = [
  ['learnerId', 'cmi.core.student_id', 'cmi.learner_id'],
  ['learnerName', 'cmi.core.student_name', 'cmi.learner_name'],
  ['launchData', 'cmi.launch_data', 'cmi.launch_data'],
  ['masteryScore', 'cmi.student_data.mastery_score', ''],
  ['scaledPassingScore', '', 'cmi.scaled_passing_score'],
  ['completionThreshold', '', 'cmi.completion_threshold'],
  ['maxTimeAllowed', 'cmi.student_data.max_time_allowed', 'cmi.max_time_allowed'],
  ['timeLimitAction', 'cmi.student_data.time_limit_action', 'cmi.time_limit_action'],
];

const OBJECTIVE_FIELDS: readonly (readonly [keyof LaunchObjective, string])[] = [
  ['successStatus', 'success_status'],
  ['completionStatus', 'completion_status'],
  ['status', 'status'],
  ['scaled', 'score.scaled'],
  ['raw', 'score.raw'],
  ['min', 'score.min'],
  ['max', 'score.max'],
  ['progressMeasure', 'progress_measure'],
];

function put(values: Record<string, string>, key: string, v: string | number | undefined): void {
  if (v !== undefined) values[key] = String(v);
}

/**
 * Builds the initial state of a session from the launch context. `cmi.entry` is `resume` when the
 * previous session exited with `suspend` or requested `suspendAll` (its data is restored), `ab-initio` for a first launch,
 * and `''` otherwise. In SCORM 2004 a previous session that terminated with exit `''`, `normal`,
 * `logout` or `time-out` ended its attempt, so a new attempt starts ab-initio with no data; an
 * unterminated previous session resumes its data with entry `''`. In SCORM 1.2 data is always
 * restored, and a lesson launched with `mode: 'browse'` gets `cmi.core.credit` `no-credit`
 * whatever `credit` says.
 * @see SCORM 2004 4th Edition RTE 4.2.7 (cmi.entry) and 4.2.8 (cmi.exit)
 * @see SCORM 1.2 RTE 3.4.4 (cmi.core.entry, cmi.core.exit, cmi.core.credit, cmi.core.lesson_mode)
 */
export function createInitialState(
  version: ScormVersion,
  launch: LaunchContext = {},
  options: { strict?: boolean } = {},
): CmiState {
  if (version !== '1.2' && version !== '2004') {
    throw new CmiError('INVALID_LAUNCH', `unknown SCORM version ${String(version)}`);
  }
  const prev = launch.resume;
  if (prev !== undefined && prev.version !== version) {
    throw new CmiError('INVALID_LAUNCH', `resume state is SCORM ${prev.version}, launch is SCORM ${version}`);
  }
  const v12 = version === '1.2';
  const prevExit = prev?.values[v12 ? 'cmi.core.exit' : 'cmi.exit'];
  const suspendAll = prev?.values['adl.nav.request'] === 'suspendAll';
  let entry: string;
  let restore = false;
  if (prev === undefined) entry = 'ab-initio';
  else if (prevExit === 'suspend' || suspendAll) {
    entry = 'resume';
    restore = true;
  } else if (!v12 && prev.terminated) entry = 'ab-initio';
  else {
    entry = '';
    restore = true;
  }
  if (launch.entry !== undefined) entry = launch.entry;
  const values: Record<string, string> = {};
  const counts: Record<string, number> = {};
  if (restore && prev !== undefined) {
    Object.assign(values, prev.values);
    Object.assign(counts, prev.counts);
    for (const k of SESSION_ONLY) delete values[k];
    // shared data belongs to the LMS's stores, not to the attempt: always read it afresh
    for (const k of Object.keys(values)) if (k.startsWith('adl.data.')) delete values[k];
  }
  const p = v12 ? 'cmi.core.' : 'cmi.';
  const mode = launch.mode ?? 'normal';
  // SCORM 1.2: a lesson launched for browsing is never taken for credit
  put(values, p + 'credit', v12 && mode === 'browse' ? 'no-credit' : (launch.credit ?? 'credit'));
  put(values, p + (v12 ? 'lesson_mode' : 'mode'), mode);
  values[p + 'entry'] = entry;
  for (const [key, e12, e2004] of LAUNCH_ELEMENTS) {
    const element = v12 ? e12 : e2004;
    if (element !== '') put(values, element, launch[key] as string | number | undefined);
  }
  if (v12) {
    if (typeof launch.commentsFromLms === 'string') values['cmi.comments_from_lms'] = launch.commentsFromLms;
  } else {
    if (Array.isArray(launch.commentsFromLms)) {
      const list = launch.commentsFromLms as readonly LmsComment[];
      list.forEach((c, i) => {
        const k = 'cmi.comments_from_lms.' + i;
        put(values, k + '.comment', c.comment);
        put(values, k + '.location', c.location);
        put(values, k + '.timestamp', c.timestamp);
      });
      counts['cmi.comments_from_lms'] = list.length;
    }
    (launch.sharedData ?? []).forEach((d, i) => {
      values['adl.data.' + i + '.id'] = d.id;
      put(values, 'adl.data.' + i + '.store', d.store);
    });
    counts['adl.data'] = launch.sharedData?.length ?? 0;
  }
  let n = counts['cmi.objectives'] ?? 0;
  for (const o of launch.objectives ?? []) {
    const id = typeof o === 'string' ? o : o.id;
    let at = -1;
    for (let i = 0; i < n; i++) if (values['cmi.objectives.' + i + '.id'] === id) at = i;
    if (at === -1) {
      at = n++;
      values['cmi.objectives.' + at + '.id'] = id;
    }
    if (typeof o === 'string') continue;
    for (const [key, field] of OBJECTIVE_FIELDS) {
      put(values, 'cmi.objectives.' + at + '.' + field, o[key] as string | number | undefined);
    }
  }
  if (n > 0) counts['cmi.objectives'] = n;
  return {
    version,
    values,
    counts,
    seq: prev?.seq ?? 0,
    sessionStart: prev?.seq ?? 0,
    diagnostics: prev?.diagnostics ?? [],
    terminated: false,
    strict: options.strict ?? prev?.strict ?? false,
    shared: (launch.sharedData ?? []).map((d) => ({
      read: d.readSharedData !== false,
      write: d.writeSharedData !== false,
    })),
    nav: { ...launch.navRequestValid },
  };
}
