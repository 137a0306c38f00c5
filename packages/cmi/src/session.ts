/**
 * Glue between the serialisable state and the engine, and the rules the LMS applies when a
 * session ends. Shared by the browser-side API and the server-side `applyCommit`, so both reach
 * the same state from the same operations.
 */
import { Engine } from './engine.js';
import { SPEC_12 } from './model-12.js';
import { evaluateCompletion2004, evaluateSuccess2004, SPEC_2004 } from './model-2004.js';
import type { CmiState } from './state.js';
import { formatTimespan, parseTimespan } from './types/scorm12.js';
import { formatTimeInterval, parseTimeInterval } from './types/scorm2004.js';

export function engineFromState(state: CmiState): Engine {
  return new Engine(
    state.version === '1.2' ? SPEC_12 : SPEC_2004,
    { strict: state.strict, shared: state.shared, nav: state.nav },
    Object.entries(state.values),
    Object.entries(state.counts),
    state.diagnostics,
  );
}

export function stateFromEngine(base: CmiState, m: Engine, seq: number, terminated: boolean): CmiState {
  return {
    version: base.version,
    values: Object.fromEntries(m.values),
    counts: Object.fromEntries(m.counts),
    seq,
    sessionStart: base.sessionStart,
    diagnostics: m.diagnostics(),
    terminated,
    strict: base.strict,
    shared: base.shared,
    nav: base.nav,
  };
}

/**
 * What the LMS does when the session ends: add session_time to total_time and apply the
 * status evaluation rules, storing their results so that reports and the next session see them.
 * @see SCORM 2004 4th Edition RTE 4.2.23 (session_time), 4.2.28 (total_time), 4.2.4.1, 4.2.22.1
 * @see SCORM 1.2 RTE 3.4.4 (cmi.core.lesson_status, cmi.core.total_time)
 */
export function finishSession(m: Engine, version: CmiState['version']): void {
  const v = m.values;
  if (version === '2004') {
    const session = parseTimeInterval(v.get('cmi.session_time') ?? '') ?? 0;
    const total = parseTimeInterval(v.get('cmi.total_time') ?? '') ?? 0;
    v.set('cmi.total_time', formatTimeInterval(total + session));
    const completion = evaluateCompletion2004(v);
    if (completion !== undefined) v.set('cmi.completion_status', completion);
    const success = evaluateSuccess2004(v);
    if (success !== undefined) v.set('cmi.success_status', success);
    return;
  }
  const session = parseTimespan(v.get('cmi.core.session_time') ?? '') ?? 0;
  const total = parseTimespan(v.get('cmi.core.total_time') ?? '') ?? 0;
  v.set('cmi.core.total_time', formatTimespan(total + session));
  const status = evaluateStatus12(m.values);
  if (status !== undefined) v.set('cmi.core.lesson_status', status);
}

/**
 * SCORM 1.2 lesson_status as the LMS records it at the end of a session: a status the SCO never
 * set becomes completed (browsed in browse mode); then, with credit, a mastery score and a raw
 * score, passed or failed by comparison. Returns undefined when the SCO's own status stands.
 * @see SCORM 1.2 RTE 3.4.4 cmi.core.lesson_status ("Additional Behavior Requirements") and
 * cmi.student_data.mastery_score
 */
export function evaluateStatus12(v: ReadonlyMap<string, string>): string | undefined {
  const status = v.get('cmi.core.lesson_status') ?? 'not attempted';
  let next = status;
  if (status === 'not attempted') next = v.get('cmi.core.lesson_mode') === 'browse' ? 'browsed' : 'completed';
  const mastery = v.get('cmi.student_data.mastery_score') ?? '';
  const raw = v.get('cmi.core.score.raw') ?? '';
  if ((v.get('cmi.core.credit') ?? 'credit') === 'credit' && mastery !== '' && raw !== '') {
    next = Number(raw) >= Number(mastery) ? 'passed' : 'failed';
  }
  return next === status ? undefined : next;
}
