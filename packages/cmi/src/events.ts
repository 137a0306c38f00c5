/**
 * Normalized learning events derived from an accepted commit: pure typed data that reporting,
 * webhooks and the xAPI mapping consume instead of raw CMI elements.
 * @see SCORM 2004 4th Edition RTE 4.2 (the elements each event summarises)
 */
import type { CommitDiff } from './commit.js';
import { EVALUATED_ELEMENTS_2004, evaluateCompletion2004, evaluateSuccess2004 } from './model-2004.js';
import type { CmiState } from './state.js';

export interface ScoreData {
  readonly scaled?: number;
  readonly raw?: number;
  readonly min?: number;
  readonly max?: number;
}

/**
 * One normalized learning event, discriminated by `type`; `seq` is the commit it came from.
 * @see SCORM 2004 4th Edition RTE 4.2 (the data model elements each event summarises)
 */
export type LearningEvent =
  | { readonly type: 'initialized'; readonly seq: number; readonly entry: string }
  | { readonly type: 'resumed'; readonly seq: number; readonly location?: string }
  | {
      readonly type: 'progressed';
      readonly seq: number;
      readonly location?: string;
      readonly progressMeasure?: number;
    }
  | { readonly type: 'scored'; readonly seq: number; readonly score: ScoreData }
  | { readonly type: 'completed'; readonly seq: number }
  | { readonly type: 'passed'; readonly seq: number; readonly score: ScoreData }
  | { readonly type: 'failed'; readonly seq: number; readonly score: ScoreData }
  | { readonly type: 'suspended'; readonly seq: number; readonly location?: string }
  | {
      readonly type: 'terminated';
      readonly seq: number;
      readonly exit: string;
      readonly sessionTime?: string;
      readonly totalTime?: string;
    }
  | { readonly type: 'interaction-recorded'; readonly seq: number; readonly interaction: InteractionData }
  | { readonly type: 'objective-changed'; readonly seq: number; readonly objective: ObjectiveData };

export type LearningEventType = LearningEvent['type'];

export interface InteractionData {
  readonly index: number;
  readonly id: string;
  readonly type?: string;
  readonly description?: string;
  readonly timestamp?: string;
  readonly weighting?: number;
  /** learner_response (2004) or student_response (1.2). */
  readonly response?: string;
  readonly correctResponses: readonly string[];
  readonly result?: string;
  readonly latency?: string;
  readonly objectiveIds: readonly string[];
}

export interface ObjectiveData {
  readonly index: number;
  readonly id: string;
  readonly successStatus?: string;
  readonly completionStatus?: string;
  /** SCORM 1.2 cmi.objectives.n.status. */
  readonly status?: string;
  readonly progressMeasure?: number;
  readonly score: ScoreData;
}

function num(v: string | undefined): number | undefined {
  return v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);
}

function score(values: Readonly<Record<string, string>>, prefix: string): ScoreData {
  const out: { scaled?: number; raw?: number; min?: number; max?: number } = {};
  for (const k of ['scaled', 'raw', 'min', 'max'] as const) {
    const n = num(values[prefix + k]);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

function optional<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
}

/** Completion and success as the LMS reports them (2004 evaluated, 1.2 from lesson_status). */
function statuses(s: CmiState): { completion: string; success: string } {
  const v = s.values;
  if (s.version === '1.2') {
    const status = v['cmi.core.lesson_status'] ?? 'not attempted';
    const completion =
      status === 'completed' || status === 'passed' || status === 'failed' ? 'completed' : status;
    return { completion, success: status === 'passed' || status === 'failed' ? status : 'unknown' };
  }
  // The evaluations read these four elements only: a map of every value (tens to hundreds, twice
  // per commit) is not needed.
  const map = new Map<string, string>();
  for (const element of EVALUATED_ELEMENTS_2004) {
    const value = v[element];
    if (value !== undefined) map.set(element, value);
  }
  return {
    completion: evaluateCompletion2004(map) ?? v['cmi.completion_status'] ?? 'unknown',
    success: evaluateSuccess2004(map) ?? v['cmi.success_status'] ?? 'unknown',
  };
}

/** Collection indexes touched by a diff's operations, in first-touch order. */
function touched(diff: CommitDiff, prefix: string): number[] {
  const seen = new Set<number>();
  for (const [el] of diff.ops) {
    if (!el.startsWith(prefix)) continue;
    const rest = el.slice(prefix.length);
    const dot = rest.indexOf('.');
    const n = Number(dot === -1 ? rest : rest.slice(0, dot));
    if (Number.isInteger(n)) seen.add(n);
  }
  return [...seen];
}

function list(s: CmiState, coll: string, field: string): string[] {
  const out: string[] = [];
  const n = s.counts[coll] ?? 0;
  for (let i = 0; i < n; i++) {
    const v = s.values[`${coll}.${i}.${field}`];
    if (v !== undefined) out.push(v);
  }
  return out;
}

/**
 * The learning events one accepted commit stands for, computed from the states before and after
 * it (as returned by `applyCommit`) and the diff itself. Pure.
 * @see SCORM 2004 4th Edition RTE 4.2.4, 4.2.9, 4.2.17, 4.2.22 (the elements summarised)
 */
export function eventsFromCommit(before: CmiState, diff: CommitDiff, after: CmiState): LearningEvent[] {
  const seq = diff.seq;
  const v12 = after.version === '1.2';
  const a = after.values;
  const b = before.values;
  const events: LearningEvent[] = [];
  const locKey = v12 ? 'cmi.core.lesson_location' : 'cmi.location';
  const entry = a[v12 ? 'cmi.core.entry' : 'cmi.entry'] ?? '';
  if (diff.seq === before.sessionStart + 1) {
    if (entry === 'resume') events.push({ type: 'resumed', seq, ...optional('location', a[locKey]) });
    else events.push({ type: 'initialized', seq, entry });
  }
  const changed = (k: string) => a[k] !== b[k];
  const progress = v12 ? undefined : num(a['cmi.progress_measure']);
  if (changed(locKey) || (!v12 && changed('cmi.progress_measure'))) {
    events.push({
      type: 'progressed',
      seq,
      ...optional('location', a[locKey]),
      ...(progress === undefined ? {} : { progressMeasure: progress }),
    });
  }
  const scorePrefix = v12 ? 'cmi.core.score.' : 'cmi.score.';
  const sc = score(a, scorePrefix);
  if (['scaled', 'raw', 'min', 'max'].some((k) => changed(scorePrefix + k))) {
    events.push({ type: 'scored', seq, score: sc });
  }
  for (const i of touched(diff, 'cmi.objectives.')) {
    const p = `cmi.objectives.${i}.`;
    const objective: ObjectiveData = {
      index: i,
      id: a[p + 'id'] ?? '',
      ...(v12
        ? optional('status', a[p + 'status'])
        : {
            ...optional('successStatus', a[p + 'success_status']),
            ...optional('completionStatus', a[p + 'completion_status']),
          }),
      ...(num(a[p + 'progress_measure']) === undefined
        ? {}
        : { progressMeasure: num(a[p + 'progress_measure']) }),
      score: score(a, p + 'score.'),
    };
    events.push({ type: 'objective-changed', seq, objective });
  }
  for (const i of touched(diff, 'cmi.interactions.')) {
    const p = `cmi.interactions.${i}.`;
    const weighting = num(a[p + 'weighting']);
    const interaction: InteractionData = {
      index: i,
      id: a[p + 'id'] ?? '',
      ...optional('type', a[p + 'type']),
      ...optional('description', a[p + 'description']),
      ...optional('timestamp', a[p + (v12 ? 'time' : 'timestamp')]),
      ...(weighting === undefined ? {} : { weighting }),
      ...optional('response', a[p + (v12 ? 'student_response' : 'learner_response')]),
      correctResponses: list(after, p + 'correct_responses', 'pattern'),
      ...optional('result', a[p + 'result']),
      ...optional('latency', a[p + 'latency']),
      objectiveIds: list(after, p + 'objectives', 'id'),
    };
    events.push({ type: 'interaction-recorded', seq, interaction });
  }
  const sb = statuses(before);
  const sa = statuses(after);
  if (sa.completion === 'completed' && sb.completion !== 'completed') events.push({ type: 'completed', seq });
  if (sa.success !== sb.success && (sa.success === 'passed' || sa.success === 'failed')) {
    events.push({ type: sa.success, seq, score: sc });
  }
  if (diff.terminated) {
    const exit = a[v12 ? 'cmi.core.exit' : 'cmi.exit'] ?? '';
    if (exit === 'suspend' || a['adl.nav.request'] === 'suspendAll') {
      events.push({ type: 'suspended', seq, ...optional('location', a[locKey]) });
    }
    events.push({
      type: 'terminated',
      seq,
      exit,
      ...optional('sessionTime', diff.sessionTime),
      ...optional('totalTime', a[v12 ? 'cmi.core.total_time' : 'cmi.total_time']),
    });
  }
  return events;
}
