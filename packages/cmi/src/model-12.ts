/**
 * The SCORM 1.2 run-time data model as a table: one descriptor per element pattern.
 * @see SCORM 1.2 Run-Time Environment, section 3.4 (data model)
 */
import {
  childrenOf,
  collectionsOf,
  DEV_FEEDBACK,
  DEV_IDENTIFIER,
  DEV_SPM,
  DEV_TIMESPAN_HOURS,
  type ElementDef,
  R_TYPE,
  type Validator,
  type VersionSpec,
} from './engine.js';
import {
  isCMIDecimal,
  isCMIFeedback,
  isCMIIdentifier,
  isCMIString,
  isCMITime,
  isCMITimespan,
} from './types/scorm12.js';
import { interactionTypeOf, LENIENT, ranged, vocab } from './validators.js';

const RO = 1;
const WO = 2;
const RW = 3;

const str =
  (max: number): Validator =>
  (v) => {
    if (v.length <= max) return isCMIString(v, max) ? 0 : R_TYPE;
    return isCMIString(v, v.length) ? DEV_SPM : R_TYPE;
  };

const percent = ranged(isCMIDecimal, 0, 100);
/** A score: a CMIDecimal from 0 to 100, or CMIBlank. */
const score: Validator = (v) => (v === '' ? 0 : percent(v));
const anyDecimal = ranged(isCMIDecimal, -Infinity, Infinity);
const integer = (min: number, max: number): Validator => ranged((v) => /^-?\d{1,3}$/.test(v), min, max);

const identifier: Validator = (v) =>
  isCMIIdentifier(v) ? 0 : isCMIIdentifier(v, LENIENT) ? DEV_IDENTIFIER : R_TYPE;

const timespan: Validator = (v) =>
  isCMITimespan(v) ? 0 : isCMITimespan(v, LENIENT) ? DEV_TIMESPAN_HOURS : R_TYPE;

const time: Validator = (v) => (isCMITime(v) ? 0 : R_TYPE);

const feedback: Validator = (v, m, p) => {
  const type = interactionTypeOf(m, p);
  if (type === undefined) return isCMIString(v, 255) ? 0 : R_TYPE;
  if (isCMIFeedback(type, v)) return 0;
  return isCMIFeedback(type, v, LENIENT) ? DEV_FEEDBACK : R_TYPE;
};

const STATUS = ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'];
export const INTERACTION_TYPES_12 = [
  'true-false',
  'choice',
  'fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
] as const;

const result: Validator = (v) =>
  ['correct', 'wrong', 'unanticipated', 'neutral'].includes(v) || isCMIDecimal(v) ? 0 : R_TYPE;

const defs = new Map<string, ElementDef>([
  ['cmi.core.student_id', { a: RO }],
  ['cmi.core.student_name', { a: RO }],
  ['cmi.core.lesson_location', { a: RW, v: str(255) }],
  ['cmi.core.credit', { a: RO, d: 'credit' }],
  ['cmi.core.lesson_status', { a: RW, v: vocab(STATUS.slice(0, 5)), d: 'not attempted' }],
  ['cmi.core.entry', { a: RO, d: 'ab-initio' }],
  ['cmi.core.score.raw', { a: RW, v: score }],
  ['cmi.core.score.min', { a: RW, v: score }],
  ['cmi.core.score.max', { a: RW, v: score }],
  ['cmi.core.total_time', { a: RO, d: '0000:00:00.00' }],
  ['cmi.core.lesson_mode', { a: RO, d: 'normal' }],
  ['cmi.core.exit', { a: WO, v: vocab(['time-out', 'suspend', 'logout', '']) }],
  ['cmi.core.session_time', { a: WO, v: timespan }],
  ['cmi.suspend_data', { a: RW, v: str(4096) }],
  ['cmi.launch_data', { a: RO }],
  ['cmi.comments', { a: RW, v: str(4096) }],
  ['cmi.comments_from_lms', { a: RO }],
  ['cmi.objectives.n.id', { a: RW, v: identifier }],
  ['cmi.objectives.n.score.raw', { a: RW, v: score }],
  ['cmi.objectives.n.score.min', { a: RW, v: score }],
  ['cmi.objectives.n.score.max', { a: RW, v: score }],
  ['cmi.objectives.n.status', { a: RW, v: vocab(STATUS), d: 'not attempted' }],
  ['cmi.student_data.mastery_score', { a: RO }],
  ['cmi.student_data.max_time_allowed', { a: RO }],
  ['cmi.student_data.time_limit_action', { a: RO }],
  ['cmi.student_preference.audio', { a: RW, v: integer(-1, 100) }],
  ['cmi.student_preference.language', { a: RW, v: str(255) }],
  ['cmi.student_preference.speed', { a: RW, v: integer(-100, 100) }],
  ['cmi.student_preference.text', { a: RW, v: integer(-1, 1) }],
  ['cmi.interactions.n.id', { a: WO, v: identifier }],
  ['cmi.interactions.n.objectives.n.id', { a: WO, v: identifier }],
  ['cmi.interactions.n.time', { a: WO, v: time }],
  ['cmi.interactions.n.type', { a: WO, v: vocab(INTERACTION_TYPES_12) }],
  ['cmi.interactions.n.correct_responses.n.pattern', { a: WO, v: feedback }],
  ['cmi.interactions.n.weighting', { a: WO, v: anyDecimal }],
  ['cmi.interactions.n.student_response', { a: WO, v: feedback }],
  ['cmi.interactions.n.result', { a: WO, v: result }],
  ['cmi.interactions.n.latency', { a: WO, v: timespan }],
]);

/**
 * SCORM 1.2: elements, keywords, collections and the error code per failure. Every element reads
 * as "" until set (SCORM 1.2 has no "not initialized" error).
 * @see SCORM 1.2 RTE 3.3.3 (error codes) and 3.4 (data model)
 */
export const SPEC_12: VersionSpec = {
  version: '3.4',
  defs,
  blank: '',
  // cmi._children is not in the RTE 1.2 tables, but answered by the reference LMSs and asked for
  // by content; they leave cmi.comments_from_lms out of it
  children: childrenOf(
    defs,
    [
      'cmi',
      'cmi.core',
      'cmi.core.score',
      'cmi.objectives',
      'cmi.objectives.n.score',
      'cmi.student_data',
      'cmi.student_preference',
      'cmi.interactions',
    ],
    ['cmi.comments_from_lms'],
  ),
  collections: collectionsOf(defs),
  //     OK UNDEF CHILD COUNT WO  RO  KW  NINIT IGET ISET TYPE RANGE DEP  FAIL EGET ESET SPM
  codes: [0, 401, 202, 203, 404, 403, 402, 101, 201, 201, 405, 405, 201, 101, 201, 201, 405],
};
