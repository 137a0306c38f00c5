import {
  type CmiState,
  EVALUATED_ELEMENTS_2004,
  evaluateCompletion2004,
  evaluateSuccess2004,
  parseTimeInterval,
  parseTimespan,
} from '@scormflow/cmi';
import type { AttemptSummaryPatch, InteractionInput, ObjectiveInput } from '@scormflow/db';

/** The progress of one SCO as read from its CMI state, in SCORM 2004 terms for both versions. */
export interface ScoProgress {
  completionStatus: 'completed' | 'incomplete' | 'not attempted' | 'unknown';
  successStatus: 'passed' | 'failed' | 'unknown';
  scoreScaled: number | null;
  scoreRaw: number | null;
  totalTimeCs: number;
  /** cmi.exit / cmi.core.exit of the last session. */
  exit: string;
  /** The session ended with a suspend (exit `suspend` or `adl.nav.request` `suspendAll`). */
  suspended: boolean;
}

function num(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * The progress of a SCO. SCORM 1.2 `lesson_status` maps to completion (completed, passed and failed
 * are completed; incomplete and browsed are incomplete) and success (passed, failed); its scaled
 * score is `(raw - min) / (max - min)` with min 0 and max 100 by default. SCORM 2004 applies the
 * LMS evaluation rules (completion threshold, scaled passing score) as GetValue does.
 * @see SCORM 1.2 RTE 3.4.4 cmi.core.lesson_status, SCORM 2004 4th Ed RTE 4.2.4.1 and 4.2.22.1
 */
export function scoProgress(state: CmiState): ScoProgress {
  const v = state.values;
  if (state.version === '1.2') {
    const status = v['cmi.core.lesson_status'] ?? 'not attempted';
    const raw = num(v['cmi.core.score.raw']);
    const min = num(v['cmi.core.score.min']) ?? 0;
    const max = num(v['cmi.core.score.max']) ?? 100;
    const scaled = raw === null || max <= min ? null : Math.min(1, Math.max(0, (raw - min) / (max - min)));
    const exit = v['cmi.core.exit'] ?? '';
    return {
      completionStatus: ['completed', 'passed', 'failed'].includes(status)
        ? 'completed'
        : status === 'incomplete' || status === 'browsed'
          ? 'incomplete'
          : 'not attempted',
      successStatus: status === 'passed' || status === 'failed' ? status : 'unknown',
      scoreScaled: scaled,
      scoreRaw: raw,
      totalTimeCs: parseTimespan(v['cmi.core.total_time'] ?? '') ?? 0,
      exit,
      suspended: exit === 'suspend',
    };
  }
  const evaluated = evaluationInput(v);
  const completion = evaluateCompletion2004(evaluated) ?? v['cmi.completion_status'] ?? 'unknown';
  const success = evaluateSuccess2004(evaluated) ?? v['cmi.success_status'] ?? 'unknown';
  const exit = v['cmi.exit'] ?? '';
  return {
    completionStatus: (['completed', 'incomplete', 'not attempted'].includes(completion)
      ? completion
      : 'unknown') as ScoProgress['completionStatus'],
    successStatus: success === 'passed' || success === 'failed' ? success : 'unknown',
    scoreScaled: num(v['cmi.score.scaled']),
    scoreRaw: num(v['cmi.score.raw']),
    totalTimeCs: parseTimeInterval(v['cmi.total_time'] ?? '') ?? 0,
    exit,
    suspended: exit === 'suspend' || v['adl.nav.request'] === 'suspendAll',
  };
}

/**
 * The values `evaluateCompletion2004` and `evaluateSuccess2004` read, as the map they take: a state
 * holds every element it ever set (tens to hundreds), and a commit's summary needs only these four.
 */
function evaluationInput(values: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const element of EVALUATED_ELEMENTS_2004) {
    const value = values[element];
    if (value !== undefined) out.set(element, value);
  }
  return out;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The attempt summary from the progress of its SCOs (`null` for a SCO never launched): completed
 * when every SCO is; failed when any SCO failed, passed when one passed, none failed and all are
 * completed; the mean of the scores the SCOs report; the sum of their total times.
 */
export function attemptProgress(
  scos: readonly (ScoProgress | null)[],
): Required<
  Pick<AttemptSummaryPatch, 'completionStatus' | 'successStatus' | 'scoreScaled' | 'scoreRaw' | 'totalTimeCs'>
> & { allCompleted: boolean } {
  const seen = scos.filter((s): s is ScoProgress => s !== null);
  const allCompleted = scos.length > 0 && scos.every((s) => s?.completionStatus === 'completed');
  const completionStatus = allCompleted
    ? 'completed'
    : seen.some((s) => s.completionStatus !== 'not attempted')
      ? 'incomplete'
      : 'not attempted';
  const successStatus = seen.some((s) => s.successStatus === 'failed')
    ? 'failed'
    : allCompleted && seen.some((s) => s.successStatus === 'passed')
      ? 'passed'
      : 'unknown';
  return {
    completionStatus,
    successStatus,
    scoreScaled: mean(seen.flatMap((s) => (s.scoreScaled === null ? [] : [s.scoreScaled]))),
    scoreRaw: mean(seen.flatMap((s) => (s.scoreRaw === null ? [] : [s.scoreRaw]))),
    totalTimeCs: seen.reduce((a, s) => a + s.totalTimeCs, 0),
    allCompleted,
  };
}

/** Indexes `n` of `<prefix>.n.*` elements that a list of operations touches. */
function touched(ops: readonly (readonly [string, string])[], prefix: string): Set<number> {
  const out = new Set<number>();
  for (const [element] of ops) {
    if (!element.startsWith(prefix)) continue;
    const n = Number.parseInt(element.slice(prefix.length), 10);
    if (Number.isInteger(n)) out.add(n);
  }
  return out;
}

/** The `<collection>.n.<field>` values of a counted collection, in order (`''` for a missing one). */
function listOf(state: CmiState, collection: string, field: string): string[] {
  const count = state.counts[collection] ?? 0;
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = state.values[`${collection}.${i}.${field}`] ?? '';
  return out;
}

/**
 * The interaction records a commit writes: every `cmi.interactions.n` its operations touched, read
 * whole from the state after the commit.
 * @see SCORM 2004 4th Ed RTE 4.2.9, SCORM 1.2 RTE 3.4.4 cmi.interactions
 */
export function interactionRecords(
  state: CmiState,
  ops: readonly (readonly [string, string])[],
): InteractionInput[] {
  const v = state.values;
  const v12 = state.version === '1.2';
  const out: InteractionInput[] = [];
  for (const n of touched(ops, 'cmi.interactions.')) {
    const p = `cmi.interactions.${n}.`;
    const id = v[`${p}id`];
    if (id === undefined) continue;
    out.push({
      idx: n,
      interactionId: id,
      type: v[`${p}type`] ?? null,
      description: v[`${p}description`] ?? null,
      learnerResponse: v[v12 ? `${p}student_response` : `${p}learner_response`] ?? null,
      result: v[`${p}result`] ?? null,
      latency: v[`${p}latency`] ?? null,
      timestamp: v[v12 ? `${p}time` : `${p}timestamp`] ?? null,
      weighting: num(v[`${p}weighting`]),
      correctResponses: listOf(state, `${p}correct_responses`, 'pattern'),
      objectiveIds: listOf(state, `${p}objectives`, 'id'),
    });
  }
  return out;
}

/**
 * The objective records a commit writes: every `cmi.objectives.n` its operations touched, plus all
 * of them on the first commit of a session (objectives the LMS pre-created from the manifest).
 * @see SCORM 2004 4th Ed RTE 4.2.17, SCORM 1.2 RTE 3.4.4 cmi.objectives
 */
export function objectiveRecords(
  state: CmiState,
  ops: readonly (readonly [string, string])[],
  all = false,
): ObjectiveInput[] {
  const v = state.values;
  const v12 = state.version === '1.2';
  const indexes = all
    ? new Set(Array.from({ length: state.counts['cmi.objectives'] ?? 0 }, (_, i) => i))
    : touched(ops, 'cmi.objectives.');
  const out: ObjectiveInput[] = [];
  for (const n of indexes) {
    const p = `cmi.objectives.${n}.`;
    const id = v[`${p}id`];
    if (id === undefined) continue;
    const status12 = v[`${p}status`];
    const scorePrefix = `${p}score.`;
    out.push({
      objectiveId: id,
      successStatus: v12
        ? status12 === 'passed' || status12 === 'failed'
          ? status12
          : null
        : (v[`${p}success_status`] ?? null),
      completionStatus: v12 ? (status12 ?? null) : (v[`${p}completion_status`] ?? null),
      scoreScaled: v12 ? null : num(v[`${scorePrefix}scaled`]),
      scoreRaw: num(v[`${scorePrefix}raw`]),
      scoreMin: num(v[`${scorePrefix}min`]),
      scoreMax: num(v[`${scorePrefix}max`]),
      progressMeasure: v12 ? null : num(v[`${p}progress_measure`]),
      description: v12 ? null : (v[`${p}description`] ?? null),
    });
  }
  return out;
}
