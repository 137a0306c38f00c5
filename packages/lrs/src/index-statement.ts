import type { Agent, Group, Statement } from '@scormflow/xapi';
import { agentKey, VERBS } from '@scormflow/xapi';
import type { StatementIndex } from './store.js';

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isActorLike(value: unknown): value is Agent | Group {
  return (
    isObject(value) &&
    (value.objectType === undefined || value.objectType === 'Agent' || value.objectType === 'Group')
  );
}

/** The keys an actor is found by: its own (when identified) and its members' (when a Group). */
function actorKeys(value: unknown, into: Set<string>): void {
  if (!isActorLike(value)) return;
  const key = agentKey(value);
  if (key !== null) into.add(key);
  const members = (value as unknown as Obj).member;
  if (value.objectType === 'Group' && Array.isArray(members)) {
    for (const member of members as unknown[]) {
      if (isActorLike(member)) {
        const memberKey = agentKey(member);
        if (memberKey !== null) into.add(memberKey);
      }
    }
  }
}

function contextActivityIds(context: unknown, into: Set<string>): void {
  if (!isObject(context) || !isObject(context.contextActivities)) return;
  for (const key of ['parent', 'grouping', 'category', 'other']) {
    const value = context.contextActivities[key];
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    for (const activity of list) {
      if (isObject(activity) && typeof activity.id === 'string') into.add(activity.id);
    }
  }
}

/** Actor, object, context instructor and team of a statement or SubStatement (not authority). */
function relatedAgentsOf(statement: Obj, into: Set<string>): void {
  actorKeys(statement.actor, into);
  const object = statement.object;
  if (isObject(object) && (object.objectType === 'Agent' || object.objectType === 'Group'))
    actorKeys(object, into);
  if (isObject(statement.context)) {
    actorKeys(statement.context.instructor, into);
    actorKeys(statement.context.team, into);
  }
}

function isActivity(value: unknown): value is Obj & { id: string } {
  return (
    isObject(value) &&
    (value.objectType === undefined || value.objectType === 'Activity') &&
    typeof value.id === 'string'
  );
}

/**
 * The {@link StatementIndex} of a validated statement: the keys the `agent`, `verb`, `activity`,
 * `registration`, `related_agents` and `related_activities` filters match, and the statement it
 * targets or voids. An Agent filter also matches the members of a Group actor or object
 * (Communication 2.1.3, `agent` parameter).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#213-get-statements
 */
export function indexStatement(statement: Statement): StatementIndex {
  const s = statement as unknown as Obj;
  const agents = new Set<string>();
  actorKeys(s.actor, agents);
  const object = s.object;
  const objectIsActor = isObject(object) && (object.objectType === 'Agent' || object.objectType === 'Group');
  if (objectIsActor) actorKeys(object, agents);

  const related = new Set<string>(agents);
  relatedAgentsOf(s, related);
  actorKeys(s.authority, related);

  const activities = new Set<string>();
  if (isActivity(object)) activities.add(object.id);
  const relatedActivities = new Set<string>(activities);
  contextActivityIds(s.context, relatedActivities);

  if (isObject(object) && object.objectType === 'SubStatement') {
    relatedAgentsOf(object, related);
    if (isActivity(object.object)) relatedActivities.add(object.object.id);
    contextActivityIds(object.context, relatedActivities);
  }

  const statementRef =
    isObject(object) && object.objectType === 'StatementRef' && typeof object.id === 'string'
      ? object.id.toLowerCase()
      : null;
  const verb = isObject(s.verb) && typeof s.verb.id === 'string' ? s.verb.id : '';
  const registration =
    isObject(s.context) && typeof s.context.registration === 'string'
      ? s.context.registration.toLowerCase()
      : null;
  return {
    verb,
    registration,
    agents: [...agents],
    relatedAgents: [...related],
    activities: [...activities],
    relatedActivities: [...relatedActivities],
    statementRef,
    voids: verb === VERBS.voided && statementRef !== null ? statementRef : null,
  };
}

/** A lone UTF-16 surrogate (no regex `u` flag: the pattern sees code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first key of an index holding a lone UTF-16 surrogate (a JSON `\ud800` escape gives one),
 * else `undefined`. Keys are stored as UTF-8 text, which cannot hold it: such a key would come
 * back as another string and could never be found again.
 */
export function malformedIndexKey(index: StatementIndex): string | undefined {
  const keys = [
    index.verb,
    index.registration,
    index.statementRef,
    index.voids,
    ...index.relatedAgents,
    ...index.relatedActivities,
  ];
  for (const key of keys) if (key !== null && LONE_SURROGATE.test(key)) return key;
  return undefined;
}
