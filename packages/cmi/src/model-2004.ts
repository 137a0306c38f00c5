/**
 * The SCORM 2004 4th Edition run-time data model as a table: one descriptor per element pattern.
 * @see SCORM 2004 4th Edition Run-Time Environment, section 4.2 (data model elements)
 */
import {
  childrenOf,
  collectionsOf,
  DEV_IDENTIFIER,
  DEV_SPM,
  type ElementDef,
  R_DEPENDENCY,
  R_TYPE,
  RULE_IMMUTABLE_UNIQUE_ID,
  RULE_INTERACTION_TYPE,
  RULE_PATTERN,
  RULE_SHARED_STORE,
  RULE_UNIQUE_ID,
  type Validator,
  type VersionSpec,
} from './engine.js';
import {
  AUDIO_CAPTIONING_2004,
  COMPLETION_STATUS_2004,
  EXIT_2004,
  INTERACTION_TYPES_2004,
  type InteractionType2004,
  isCharacterString,
  isLanguageType,
  isLocalizedString,
  isLongIdentifier,
  isReal107,
  isResponse,
  isShortIdentifier,
  isTime,
  isTimeInterval,
  NAV_REQUESTS_2004,
  RESULT_2004,
  SUCCESS_STATUS_2004,
} from './types/scorm2004.js';
import { interactionTypeOf, LENIENT, ranged, vocab } from './validators.js';

const RO = 1;
const WO = 2;
const RW = 3;
/** The record's id must be set first. */
const ID: ElementDef['dep'] = [[0, 'id']];

/** Every string is a characterstring; beyond the SPM is a deviation strict mode refuses. */
const str =
  (spm: number): Validator =>
  (v) =>
    isCharacterString(v, spm) ? 0 : DEV_SPM;

/** Length of a localized string without its leading `{lang=..}` delimiter. */
function textLength(v: string): number {
  if (v.startsWith('{lang=')) {
    const end = v.indexOf('}');
    if (end > 0) return v.length - end - 1;
  }
  return v.length;
}

const lstr =
  (spm: number): Validator =>
  (v) => {
    if (!isLocalizedString(v)) return R_TYPE;
    return textLength(v) > spm ? DEV_SPM : 0;
  };

const real = (min: number, max: number): Validator => ranged(isReal107, min, max);

/**
 * A long_identifier_type. Tolerated: what content sends as identifiers ("Question 1"); never a
 * malformed `urn:` or an empty value.
 */
const longId: Validator = (v) => {
  if (isLongIdentifier(v)) return 0;
  return !/^urn:/i.test(v) && isLongIdentifier(v, LENIENT) ? DEV_IDENTIFIER : R_TYPE;
};
// not tolerated even by default: the conformance suite requires refusing every malformed time
const time: Validator = (v) => (isTime(v) ? 0 : R_TYPE);
const interval: Validator = (v) => (isTimeInterval(v) ? 0 : R_TYPE);
const anyReal = real(-Infinity, Infinity);
const lang: Validator = (v) => (v === '' || isLanguageType(v) ? 0 : R_TYPE);

const COMPLETION: readonly string[] = COMPLETION_STATUS_2004;
const SUCCESS: readonly string[] = SUCCESS_STATUS_2004;
const RESULT: readonly string[] = RESULT_2004;
const NAV_TOKENS: readonly string[] = NAV_REQUESTS_2004;

const response =
  (kind: 'learner_response' | 'correct_response'): Validator =>
  (v, m, p) => {
    const type = interactionTypeOf(m, p) as InteractionType2004 | undefined;
    if (type === undefined) return R_DEPENDENCY;
    // not tolerated even by default: the conformance suite requires refusing malformed responses
    return isResponse(type, v, kind) ? 0 : R_TYPE;
  };

const result: Validator = (v) => (RESULT.includes(v) || isReal107(v) ? 0 : R_TYPE);

const navRequest: Validator = (v) => {
  if (NAV_TOKENS.includes(v)) return 0;
  if (v.startsWith('{target=')) {
    const end = v.indexOf('}');
    const cmd = v.slice(end + 1);
    if (end > 8 && (cmd === 'choice' || cmd === 'jump') && isShortIdentifier(v.slice(8, end))) return 0;
  }
  return R_TYPE;
};

function readNumber(values: ReadonlyMap<string, string>, key: string): number | undefined {
  const v = values.get(key);
  return v === undefined || v === '' ? undefined : Number(v);
}

/**
 * The elements {@link evaluateCompletion2004} and {@link evaluateSuccess2004} read: a caller may
 * give them a map of these alone.
 * @see SCORM 2004 4th Edition RTE 4.2.4.1, 4.2.22.1
 */
export const EVALUATED_ELEMENTS_2004 = [
  'cmi.completion_threshold',
  'cmi.progress_measure',
  'cmi.scaled_passing_score',
  'cmi.score.scaled',
] as const;

/**
 * cmi.completion_status as the LMS reports it: with a completion threshold, completed or incomplete
 * by comparing progress_measure, or unknown without one; otherwise undefined (the SCO's own value).
 * @see SCORM 2004 4th Edition RTE 4.2.4.1 (completion_status evaluation against completion_threshold)
 */
export function evaluateCompletion2004(values: ReadonlyMap<string, string>): string | undefined {
  const threshold = readNumber(values, 'cmi.completion_threshold');
  if (threshold === undefined) return undefined;
  const progress = readNumber(values, 'cmi.progress_measure');
  if (progress === undefined) return 'unknown';
  return progress >= threshold ? 'completed' : 'incomplete';
}

/**
 * cmi.success_status as the LMS reports it: with a scaled passing score, passed or failed against
 * score.scaled, or unknown without one; otherwise undefined (the SCO's own value, or unknown).
 * @see SCORM 2004 4th Edition RTE 4.2.22.1 (success_status evaluation against scaled_passing_score)
 */
export function evaluateSuccess2004(values: ReadonlyMap<string, string>): string | undefined {
  const passing = readNumber(values, 'cmi.scaled_passing_score');
  if (passing === undefined) return undefined;
  const scaled = readNumber(values, 'cmi.score.scaled');
  if (scaled === undefined) return 'unknown';
  return scaled >= passing ? 'passed' : 'failed';
}

const navValid: ElementDef = {
  a: RO,
  d: 'unknown',
  g: (m, p) => m.ctx.nav[p.pat.slice(22) + (p.arg === '' ? '' : '.' + p.arg)],
};

const defs = new Map<string, ElementDef>([
  ['cmi.comments_from_learner.n.comment', { a: RW, v: lstr(4000) }],
  ['cmi.comments_from_learner.n.timestamp', { a: RW, v: time }],
  ['cmi.comments_from_learner.n.location', { a: RW, v: str(250) }],
  ['cmi.comments_from_lms.n.comment', { a: RO }],
  ['cmi.comments_from_lms.n.timestamp', { a: RO }],
  ['cmi.comments_from_lms.n.location', { a: RO }],
  [
    'cmi.completion_status',
    { a: RW, v: vocab(COMPLETION), d: 'unknown', g: (m) => evaluateCompletion2004(m.values) },
  ],
  ['cmi.completion_threshold', { a: RO }],
  ['cmi.credit', { a: RO, d: 'credit' }],
  ['cmi.entry', { a: RO, d: 'ab-initio' }],
  ['cmi.exit', { a: WO, v: vocab(EXIT_2004) }],
  ['cmi.interactions.n.id', { a: RW, v: longId }],
  ['cmi.interactions.n.type', { a: RW, v: vocab(INTERACTION_TYPES_2004), dep: ID, x: RULE_INTERACTION_TYPE }],
  ['cmi.interactions.n.objectives.n.id', { a: RW, v: longId, dep: ID, x: RULE_UNIQUE_ID }],
  ['cmi.interactions.n.timestamp', { a: RW, v: time, dep: ID }],
  [
    'cmi.interactions.n.correct_responses.n.pattern',
    { a: RW, v: response('correct_response'), dep: ID, x: RULE_PATTERN },
  ],
  ['cmi.interactions.n.weighting', { a: RW, v: anyReal, dep: ID }],
  ['cmi.interactions.n.learner_response', { a: RW, v: response('learner_response'), dep: ID }],
  ['cmi.interactions.n.result', { a: RW, v: result, dep: ID }],
  ['cmi.interactions.n.latency', { a: RW, v: interval, dep: ID }],
  ['cmi.interactions.n.description', { a: RW, v: lstr(250), dep: ID }],
  ['cmi.launch_data', { a: RO }],
  ['cmi.learner_id', { a: RO, d: '' }],
  ['cmi.learner_name', { a: RO, d: '' }],
  ['cmi.learner_preference.audio_level', { a: RW, v: real(0, Infinity), d: '1' }],
  ['cmi.learner_preference.language', { a: RW, v: lang, d: '' }],
  ['cmi.learner_preference.delivery_speed', { a: RW, v: real(0, Infinity), d: '1' }],
  ['cmi.learner_preference.audio_captioning', { a: RW, v: vocab(AUDIO_CAPTIONING_2004), d: '0' }],
  ['cmi.location', { a: RW, v: str(1000) }],
  ['cmi.max_time_allowed', { a: RO }],
  ['cmi.mode', { a: RO, d: 'normal' }],
  ['cmi.objectives.n.id', { a: RW, v: longId, x: RULE_IMMUTABLE_UNIQUE_ID }],
  ['cmi.objectives.n.score.scaled', { a: RW, v: real(-1, 1), dep: ID }],
  ['cmi.objectives.n.score.raw', { a: RW, v: anyReal, dep: ID }],
  ['cmi.objectives.n.score.min', { a: RW, v: anyReal, dep: ID }],
  ['cmi.objectives.n.score.max', { a: RW, v: anyReal, dep: ID }],
  ['cmi.objectives.n.success_status', { a: RW, v: vocab(SUCCESS), d: 'unknown', dep: ID }],
  ['cmi.objectives.n.completion_status', { a: RW, v: vocab(COMPLETION), d: 'unknown', dep: ID }],
  ['cmi.objectives.n.progress_measure', { a: RW, v: real(0, 1), dep: ID }],
  ['cmi.objectives.n.description', { a: RW, v: lstr(250), dep: ID }],
  ['cmi.progress_measure', { a: RW, v: real(0, 1) }],
  ['cmi.scaled_passing_score', { a: RO }],
  ['cmi.score.scaled', { a: RW, v: real(-1, 1) }],
  ['cmi.score.raw', { a: RW, v: anyReal }],
  ['cmi.score.min', { a: RW, v: anyReal }],
  ['cmi.score.max', { a: RW, v: anyReal }],
  ['cmi.session_time', { a: WO, v: interval }],
  ['cmi.success_status', { a: RW, v: vocab(SUCCESS), d: 'unknown', g: (m) => evaluateSuccess2004(m.values) }],
  ['cmi.suspend_data', { a: RW, v: str(64000) }],
  ['cmi.time_limit_action', { a: RO, d: 'continue,no message' }],
  ['cmi.total_time', { a: RO, d: 'PT0H0M0S' }],
  ['adl.nav.request', { a: RW, v: navRequest, d: '_none_' }],
  ['adl.nav.request_valid.continue', navValid],
  ['adl.nav.request_valid.previous', navValid],
  ['adl.nav.request_valid.choice', navValid],
  ['adl.nav.request_valid.jump', navValid],
  ['adl.data.n.id', { a: RO }],
  ['adl.data.n.store', { a: RW, v: str(64000), x: RULE_SHARED_STORE }],
]);

/**
 * SCORM 2004 4th Edition: elements, keywords, collections and the error code per failure.
 * @see SCORM 2004 4th Edition RTE 3.1.7 (API error codes) and 4.2 (data model)
 */
export const SPEC_2004: VersionSpec = {
  version: '1.0',
  defs,
  children: childrenOf(defs, [
    'cmi.comments_from_learner',
    'cmi.comments_from_lms',
    'cmi.interactions',
    'cmi.learner_preference',
    'cmi.objectives',
    'cmi.objectives.n.score',
    'cmi.score',
    'adl.data',
  ]),
  collections: collectionsOf(defs),
  //     OK UNDEF CHILD COUNT WO  RO  KW  NINIT IGET ISET TYPE RANGE DEP  FAIL EGET ESET SPM
  codes: [0, 401, 301, 301, 405, 404, 404, 403, 301, 351, 406, 407, 408, 351, 301, 351, 351],
};
