/**
 * The statement helpers the HTTP layer uses from `@scormflow/xapi`: statement comparison, output
 * formats and activity definition merging. Kept behind this one module so that the rest of the
 * LRS does not depend on where they are implemented.
 */
import type { ActivityDefinition, Statement } from '@scormflow/xapi';
import { parseTimestamp } from '@scormflow/xapi';

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** A statement without the properties the LRS sets, timestamps compared as instants. */
function comparable(statement: Statement): Obj {
  const { authority: _a, stored: _s, version: _v, timestamp, ...rest } = statement as unknown as Obj;
  const out: Obj = { ...rest };
  if (typeof out.id === 'string') out.id = out.id.toLowerCase();
  if (typeof timestamp === 'string') out.timestamp = parseTimestamp(timestamp) ?? timestamp;
  return out;
}

/**
 * Whether two statements are the same statement for the purpose of a repeated id: equal apart from
 * `authority`, `stored`, `version` and the notation of `timestamp`.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#statement-comparison-requirements
 */
export function statementsEquivalent(a: Statement, b: Statement): boolean {
  return deepEqual(comparable(a), comparable(b));
}

const IFI = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

function agentIds(agent: unknown): unknown {
  if (!isObject(agent)) return agent;
  const out: Obj = {};
  if (agent.objectType !== undefined) out.objectType = agent.objectType;
  for (const key of IFI) if (agent[key] !== undefined) out[key] = agent[key];
  if (
    agent.objectType === 'Group' &&
    Array.isArray(agent.member) &&
    !IFI.some((k) => agent[k] !== undefined)
  ) {
    out.member = agent.member.map(agentIds);
  }
  return out;
}

function activityIds(activity: unknown): unknown {
  if (!isObject(activity)) return activity;
  const out: Obj = { id: activity.id };
  if (activity.objectType !== undefined) out.objectType = activity.objectType;
  return out;
}

function objectIds(object: unknown): unknown {
  if (!isObject(object)) return object;
  if (object.objectType === 'Agent' || object.objectType === 'Group') return agentIds(object);
  if (object.objectType === 'SubStatement') return statementIds(object);
  if (object.objectType === 'StatementRef') return object;
  return activityIds(object);
}

function contextIds(context: unknown): unknown {
  if (!isObject(context)) return context;
  const out: Obj = { ...context };
  if (context.instructor !== undefined) out.instructor = agentIds(context.instructor);
  if (context.team !== undefined) out.team = agentIds(context.team);
  if (isObject(context.contextActivities)) {
    const ca: Obj = {};
    for (const [k, v] of Object.entries(context.contextActivities)) {
      ca[k] = Array.isArray(v) ? v.map(activityIds) : activityIds(v);
    }
    out.contextActivities = ca;
  }
  return out;
}

function statementIds(statement: Obj): Obj {
  const out: Obj = { ...statement };
  out.actor = agentIds(statement.actor);
  if (isObject(statement.verb)) out.verb = { id: statement.verb.id };
  out.object = objectIds(statement.object);
  if (statement.context !== undefined) out.context = contextIds(statement.context);
  if (statement.authority !== undefined) out.authority = agentIds(statement.authority);
  return out;
}

/** One entry of a language map: the first accepted language that matches, else the first entry. */
function pickLanguage(map: unknown, languages: readonly string[]): unknown {
  if (!isObject(map)) return map;
  const tags = Object.keys(map);
  if (tags.length <= 1) return map;
  for (const wanted of languages) {
    if (wanted === '*') break;
    const exact = tags.find((t) => t.toLowerCase() === wanted.toLowerCase());
    const prefix = exact ?? tags.find((t) => t.toLowerCase().startsWith(`${wanted.toLowerCase()}-`));
    if (prefix !== undefined) return { [prefix]: map[prefix] };
  }
  const first = tags[0]!;
  return { [first]: map[first] };
}

function canonicalDefinition(definition: unknown, languages: readonly string[]): unknown {
  if (!isObject(definition)) return definition;
  const out: Obj = { ...definition };
  for (const key of ['name', 'description'])
    if (out[key] !== undefined) out[key] = pickLanguage(out[key], languages);
  for (const key of ['choices', 'scale', 'source', 'target', 'steps']) {
    const list = out[key];
    if (Array.isArray(list)) {
      out[key] = list.map((component) =>
        isObject(component) && component.description !== undefined
          ? { ...component, description: pickLanguage(component.description, languages) }
          : component,
      );
    }
  }
  return out;
}

function canonicalStatement(statement: Obj, languages: readonly string[]): Obj {
  const out: Obj = { ...statement };
  if (isObject(statement.verb) && statement.verb.display !== undefined) {
    out.verb = { ...statement.verb, display: pickLanguage(statement.verb.display, languages) };
  }
  const activity = (value: unknown): unknown =>
    isObject(value) && (value.objectType === undefined || value.objectType === 'Activity') && value.definition
      ? { ...value, definition: canonicalDefinition(value.definition, languages) }
      : value;
  if (isObject(statement.object) && statement.object.objectType === 'SubStatement') {
    out.object = canonicalStatement(statement.object, languages);
  } else {
    out.object = activity(statement.object);
  }
  if (isObject(statement.context) && isObject(statement.context.contextActivities)) {
    const ca: Obj = {};
    for (const [k, v] of Object.entries(statement.context.contextActivities)) {
      ca[k] = Array.isArray(v) ? v.map(activity) : activity(v);
    }
    out.context = { ...statement.context, contextActivities: ca };
  }
  return out;
}

/**
 * A statement in one of the GET formats: `exact` as stored, `ids` with only identifiers of agents,
 * groups, verbs and activities, `canonical` with one language per language map.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#213-get-statements
 */
export function formatStatement(
  statement: Statement,
  format: 'exact' | 'ids' | 'canonical',
  languages: readonly string[] = [],
): Statement {
  const s = statement as unknown as Obj;
  if (format === 'exact') return statement;
  if (format === 'ids') return statementIds(s) as unknown as Statement;
  return canonicalStatement(s, languages) as unknown as Statement;
}

/**
 * The stored definition of an activity updated by a newly received one: language maps and
 * extensions are merged key by key (so that every language received is kept), other properties
 * take the received value.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#25-activities-resource
 */
export function mergeActivityDefinition(
  stored: ActivityDefinition | undefined,
  incoming: ActivityDefinition,
): ActivityDefinition {
  if (!stored) return structuredClone(incoming);
  const out: Obj = { ...(structuredClone(stored) as unknown as Obj) };
  for (const [key, value] of Object.entries(incoming as unknown as Obj)) {
    const current = out[key];
    if (
      (key === 'name' || key === 'description' || key === 'extensions') &&
      isObject(current) &&
      isObject(value)
    ) {
      out[key] = { ...current, ...structuredClone(value) };
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out as unknown as ActivityDefinition;
}
