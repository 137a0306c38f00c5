/**
 * SCORM runtime learning events to xAPI statements, in the vocabulary of ADL's xAPI SCORM
 * profile: the SCO is a `lesson` Activity, the course a `course` Activity, the attempt the
 * registration; interactions and objectives are Activities inside the SCO.
 * @see https://github.com/adlnet/xAPI-SCORM-Profile/blob/master/xapi-scorm-profile.md
 */
import {
  formatTimeInterval,
  type InteractionData,
  type LearningEvent,
  type ObjectiveData,
  parseTimeInterval,
  parseTimespan,
  type ScoreData,
} from '@scormflow/cmi';
import { XapiError } from '../errors.js';
import { isIri, isUuid, parseTimestamp, validateLanguageTag } from '../formats.js';
import type {
  Activity,
  Agent,
  Context,
  Extensions,
  LanguageMap,
  Result,
  Score,
  Statement,
  Verb,
} from '../types.js';
import { VERBS } from '../types.js';
import { validateAgent } from '../validate.js';
import { mapInteraction } from './interactions.js';
import { uuidV5, uuidV5Append, uuidV5Name } from './uuid-v5.js';

/**
 * Where and for whom a stream of learning events happened.
 * @see https://github.com/adlnet/xAPI-SCORM-Profile/blob/master/xapi-scorm-profile.md#32-general-guidance-on-statements
 */
export interface ScormStatementContext {
  /** The learner. */
  actor: Agent;
  /** The attempt id: `context.registration` (used as is when it is a UUID, else its name-based UUID). */
  registration: string;
  /** The course Activity: its IRI and title. */
  course: { id: string; title?: string };
  /** The SCO Activity: its IRI and title. */
  sco: { id: string; title?: string };
  /** `context.platform`, e.g. the LMS name. */
  platform?: string;
  /** `context.language` and the language of names and descriptions (RFC 5646); `und` when absent. */
  language?: string;
  /** The time the events happened (the commit), ISO 8601 with offset. */
  timestamp: string;
  /** The SCORM version of the values the events carry (response and time formats). */
  version: '1.2' | '2004';
  /** `context.extensions` of every statement (e.g. the course version the events happened in). */
  extensions?: Extensions;
}

/** A {@link ScormStatementContext} without the time: what stays the same for a whole session. */
export type ScormSessionContext = Omit<ScormStatementContext, 'timestamp'>;

/**
 * Maps the learning events of one session to statements (see {@link statementsFromLearningEvents}),
 * with the session's context checked and its Activities, context and id prefix made once.
 */
export type ScormStatementMapper = (
  events: readonly LearningEvent[],
  timestamp: string,
  options?: StatementsFromLearningEventsOptions,
) => Statement[];

/** Options of {@link statementsFromLearningEvents}. */
export interface StatementsFromLearningEventsOptions {
  /** The statement id of an event (by default a name-based UUID, see {@link scormStatementId}). */
  idFor?: (event: LearningEvent, index: number) => string;
}

/** The IRIs of the Activities and types the mapping uses. */
export const SCORM_PROFILE = {
  /** The xAPI SCORM profile, carried as a `category` context activity of every statement. */
  id: 'https://w3id.org/xapi/scorm',
  profileType: 'http://adlnet.gov/expapi/activities/profile',
  courseType: 'http://adlnet.gov/expapi/activities/course',
  scoType: 'http://adlnet.gov/expapi/activities/lesson',
  interactionType: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  objectiveType: 'http://adlnet.gov/expapi/activities/objective',
  /** cmi5's progress extension (an integer percentage), used for `cmi.progress_measure`. */
  progressExtension: 'https://w3id.org/xapi/cmi5/result/extensions/progress',
} as const;

/** The UUID namespace of ScormFlow's statement ids: the URL-namespace UUID of the profile IRI. */
export const SCORM_STATEMENT_NAMESPACE = uuidV5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', SCORM_PROFILE.id);

/**
 * The deterministic id of the statement for the `indexInCommit`-th event of commit `seq` of a SCO
 * in an attempt: a version 5 UUID, so that replaying the same commit yields the same ids.
 * @see https://www.rfc-editor.org/rfc/rfc4122#section-4.3
 */
export function scormStatementId(
  registration: string,
  scoId: string,
  seq: number,
  indexInCommit: number,
): string {
  return uuidV5(SCORM_STATEMENT_NAMESPACE, `${registration}|${scoId}|${seq}|${indexInCommit}`);
}

/** `scormStatementId` of one (registration, SCO), with the hash input's constant head encoded once. */
function statementIds(registration: string, scoId: string): (seq: number, indexInCommit: number) => string {
  const head = uuidV5Name(SCORM_STATEMENT_NAMESPACE, `${registration}|${scoId}|`);
  return (seq, indexInCommit) => uuidV5Append(head, `${seq}|${indexInCommit}`);
}

const VERB_OBJECTS = new Map<string, Verb>();
/** The verb of `id`, one frozen object per verb (every statement of it shares the object). */
function verb(id: string, word: string): Verb {
  let v = VERB_OBJECTS.get(id);
  if (v === undefined) {
    v = deepFreeze({ id, display: { 'en-US': word } });
    VERB_OBJECTS.set(id, v);
  }
  return v;
}

/** An ISO 8601 duration from a SCORM time span (1.2 `HHHH:MM:SS.SS`, 2004 `PT..`), or undefined. */
function duration(value: string | undefined, version: '1.2' | '2004'): string | undefined {
  if (value === undefined) return undefined;
  const cs = version === '1.2' ? parseTimespan(value) : parseTimeInterval(value);
  return cs === null ? undefined : formatTimeInterval(cs);
}

/**
 * A score the Data document accepts: `scaled` only within -1..1, `min`/`max` only when
 * `min < max`, and neither when `raw` falls outside them.
 */
function score(s: ScoreData): Score | undefined {
  const out: Score = {};
  if (s.scaled !== undefined && s.scaled >= -1 && s.scaled <= 1) out.scaled = s.scaled;
  const bounded =
    s.min !== undefined &&
    s.max !== undefined &&
    s.min < s.max &&
    (s.raw === undefined || (s.raw >= s.min && s.raw <= s.max));
  if (s.raw !== undefined) out.raw = s.raw;
  if (bounded) {
    out.min = s.min;
    out.max = s.max;
  } else {
    if (s.min !== undefined && s.max === undefined && (s.raw === undefined || s.raw >= s.min))
      out.min = s.min;
    if (s.max !== undefined && s.min === undefined && (s.raw === undefined || s.raw <= s.max))
      out.max = s.max;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function withoutEmpty(r: Result): Result | undefined {
  return Object.keys(r).length === 0 ? undefined : r;
}

function iriSegment(id: string): string {
  return encodeURIComponent(id);
}

function fault(message: string): never {
  throw new XapiError('INVALID_ARGUMENT', `statementsFromLearningEvents: ${message}`);
}

/** A context that cannot give valid statements is a programmer fault: it throws. */
function checkContext(context: ScormSessionContext): void {
  if (!isIri(context.course.id)) fault(`course.id must be an IRI, got "${context.course.id}"`);
  if (!isIri(context.sco.id)) fault(`sco.id must be an IRI, got "${context.sco.id}"`);
  const actor = validateAgent(context.actor, 'actor');
  if (!actor.ok) fault(`actor is not a valid Agent: ${actor.errors.map((e) => e.message).join('; ')}`);
}

function checkTimestamp(timestamp: string): void {
  if (parseTimestamp(timestamp) === null) fault(`timestamp must be ISO 8601, got "${timestamp}"`);
}

interface Built {
  verb: Verb;
  object: Activity;
  result?: Result;
  /** The activity the object sits in: the course for SCO statements, the SCO otherwise. */
  inSco: boolean;
}

/**
 * The xAPI statements of a SCORM runtime's learning events (from `eventsFromCommit` of
 * `@scormflow/cmi`), one per event except an `objective-changed` event that carries no status or
 * score. Verbs: initialized, resumed, progressed (cmi5 progress extension), scored, completed,
 * passed, failed (with the score), suspended, terminated (session time as `result.duration`),
 * answered (an interaction with a learner response or result) or interacted, and passed / failed /
 * completed / scored on an objective. Every statement carries the registration, the course as
 * `grouping`, the SCO (or for SCO statements the course) as `parent`, and the SCORM profile as
 * `category`. Pure: the same events and context give the same statements, ids included. Throws
 * {@link XapiError} `INVALID_ARGUMENT` when the course or SCO id is not an IRI, the timestamp not
 * ISO 8601 or the actor not a valid Agent, since no valid statement could then be made.
 * @see https://github.com/adlnet/xAPI-SCORM-Profile/blob/master/xapi-scorm-profile.md#50-supporting-the-scorm-temporal-model
 */
export function statementsFromLearningEvents(
  events: readonly LearningEvent[],
  context: ScormStatementContext,
  options?: StatementsFromLearningEventsOptions,
): Statement[] {
  const { timestamp, ...session } = context;
  checkTimestamp(timestamp);
  return scormStatementMapper(session)(events, timestamp, options);
}

/**
 * A {@link ScormStatementMapper} for one session: `mapper(events, timestamp)` gives what
 * `statementsFromLearningEvents(events, { ...context, timestamp })` gives, ids included, with the
 * context checked once (here: the same {@link XapiError} `INVALID_ARGUMENT`) and the timestamp on
 * each call. The statements of every call share the mapper's course, SCO and profile Activities,
 * its context (frozen; `extensions` is a copy of the caller's) and the caller's `actor`: like the
 * results' other parts, they must not be modified.
 * @see https://github.com/adlnet/xAPI-SCORM-Profile/blob/master/xapi-scorm-profile.md#32-general-guidance-on-statements
 */
export function scormStatementMapper(context: ScormSessionContext): ScormStatementMapper {
  checkContext(context);
  const lang =
    context.language !== undefined && validateLanguageTag(context.language) ? context.language : 'und';
  const name = (title: string | undefined): { name?: LanguageMap } =>
    title === undefined || title === '' ? {} : { name: { [lang]: title } };
  const registration = isUuid(context.registration)
    ? context.registration.toLowerCase()
    : uuidV5(SCORM_STATEMENT_NAMESPACE, context.registration);
  const course: Activity = deepFreeze({
    objectType: 'Activity',
    id: context.course.id,
    definition: { type: SCORM_PROFILE.courseType, ...name(context.course.title) },
  });
  const sco: Activity = deepFreeze({
    objectType: 'Activity',
    id: context.sco.id,
    definition: { type: SCORM_PROFILE.scoType, ...name(context.sco.title) },
  });
  const profile: Activity = deepFreeze({
    objectType: 'Activity',
    id: SCORM_PROFILE.id,
    definition: { type: SCORM_PROFILE.profileType },
  });
  const idFor = statementIds(registration, context.sco.id);
  // The context of every statement but its registration's neighbours: one for SCO statements
  // (parent: the course), one for statements inside the SCO (parent: the SCO).
  const contextOf = (parent: Activity): Context =>
    deepFreeze({
      registration,
      contextActivities: { parent: [parent], grouping: [course], category: [profile] },
      ...(context.platform === undefined ? {} : { platform: context.platform }),
      ...(lang === 'und' ? {} : { language: lang }),
      ...(context.extensions === undefined
        ? {}
        : { extensions: JSON.parse(JSON.stringify(context.extensions)) as Extensions }),
    });
  const inCourse = contextOf(course);
  const inSco = contextOf(sco);

  const interaction = (i: InteractionData): Built => {
    const mapped = mapInteraction(i, context.version, lang);
    const result: Result = {};
    if (mapped.response !== undefined) result.response = mapped.response;
    if (i.result === 'correct') result.success = true;
    else if (i.result === 'incorrect' || i.result === 'wrong') result.success = false;
    else if (i.result !== undefined && i.result !== '' && Number.isFinite(Number(i.result))) {
      result.score = { raw: Number(i.result) };
    }
    const latency = duration(i.latency, context.version);
    if (latency !== undefined) result.duration = latency;
    const answered = mapped.response !== undefined || i.result !== undefined;
    const r = withoutEmpty(result);
    return {
      verb: answered ? verb(VERBS.answered, 'answered') : verb(VERBS.interacted, 'interacted'),
      object: {
        objectType: 'Activity',
        id: `${context.sco.id}/interactions/${iriSegment(i.id)}`,
        definition: mapped.definition,
      },
      ...(r === undefined ? {} : { result: r }),
      inSco: true,
    };
  };

  const objective = (o: ObjectiveData): Built | undefined => {
    const success =
      o.successStatus ?? (o.status === 'passed' || o.status === 'failed' ? o.status : undefined);
    const completed = o.completionStatus === 'completed' || o.status === 'completed';
    const sc = score(o.score);
    let v: Verb;
    const result: Result = {};
    if (success === 'passed' || success === 'failed') {
      v = success === 'passed' ? verb(VERBS.passed, 'passed') : verb(VERBS.failed, 'failed');
      result.success = success === 'passed';
    } else if (completed) {
      v = verb(VERBS.completed, 'completed');
      result.completion = true;
    } else if (sc !== undefined) {
      v = verb(VERBS.scored, 'scored');
    } else return undefined;
    if (sc !== undefined) result.score = sc;
    return {
      verb: v,
      object: {
        objectType: 'Activity',
        id: `${context.sco.id}/objectives/${iriSegment(o.id)}`,
        definition: { type: SCORM_PROFILE.objectiveType, ...name(o.id) },
      },
      result,
      inSco: true,
    };
  };

  const onSco = (v: Verb, result?: Result): Built => {
    const r = result === undefined ? undefined : withoutEmpty(result);
    return r === undefined
      ? { verb: v, object: sco, inSco: false }
      : { verb: v, object: sco, result: r, inSco: false };
  };

  const build = (e: LearningEvent): Built | undefined => {
    switch (e.type) {
      case 'initialized':
        return onSco(verb(VERBS.initialized, 'initialized'));
      case 'resumed':
        return onSco(verb(VERBS.resumed, 'resumed'));
      case 'progressed': {
        const ext: Extensions = {};
        if (e.progressMeasure !== undefined && e.progressMeasure >= 0 && e.progressMeasure <= 1) {
          ext[SCORM_PROFILE.progressExtension] = Math.round(e.progressMeasure * 100);
        }
        return onSco(
          verb(VERBS.progressed, 'progressed'),
          Object.keys(ext).length === 0 ? {} : { extensions: ext },
        );
      }
      case 'scored': {
        const sc = score(e.score);
        return onSco(verb(VERBS.scored, 'scored'), sc === undefined ? {} : { score: sc });
      }
      case 'completed':
        return onSco(verb(VERBS.completed, 'completed'), { completion: true });
      case 'passed':
      case 'failed': {
        const sc = score(e.score);
        return onSco(verb(VERBS[e.type], e.type), {
          success: e.type === 'passed',
          ...(sc === undefined ? {} : { score: sc }),
        });
      }
      case 'suspended':
        return onSco(verb(VERBS.suspended, 'suspended'));
      case 'terminated': {
        const d = duration(e.sessionTime, context.version);
        return onSco(verb(VERBS.terminated, 'terminated'), d === undefined ? {} : { duration: d });
      }
      case 'interaction-recorded':
        return interaction(e.interaction);
      case 'objective-changed':
        return objective(e.objective);
      default:
        return undefined;
    }
  };

  return (events, timestamp, options) => {
    checkTimestamp(timestamp);
    const out: Statement[] = [];
    const perCommit = new Map<number, number>();
    for (let index = 0; index < events.length; index++) {
      const e = events[index]!;
      const indexInCommit = perCommit.get(e.seq) ?? 0;
      perCommit.set(e.seq, indexInCommit + 1);
      const b = build(e);
      if (b === undefined) continue;
      const statement: Statement = {
        id: options?.idFor?.(e, index) ?? idFor(e.seq, indexInCommit),
        actor: context.actor,
        verb: b.verb,
        object: b.object,
      };
      if (b.result !== undefined) statement.result = b.result;
      statement.context = b.inSco ? inSco : inCourse;
      statement.timestamp = timestamp;
      out.push(statement);
    }
    return out;
  };
}

/** `value`, frozen with everything it holds. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
