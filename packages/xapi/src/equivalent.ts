/**
 * Statement comparison for PUT/POST of an id the LRS already holds: the same statement is a
 * no-op, a different one a 409 Conflict.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#statement-comparison-requirements
 */
import { parseTimestamp } from './formats.js';
import type { Statement } from './types.js';

type Json = unknown;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Durations compare to 0.01 s (Data 4.6): the seconds fraction is cut to two digits. */
function normalizeDuration(d: string): string {
  return d.replace(/(\d+)[.,](\d+)S$/, (_m, whole: string, frac: string) => {
    const cut = frac.slice(0, 2).replace(/0+$/, '');
    return cut === '' ? `${whole}S` : `${whole}.${cut}S`;
  });
}

function agent(v: Json): Json {
  if (!isObj(v)) return v;
  const out: Obj = { ...v, objectType: v.objectType ?? 'Agent' };
  // A SHA-1 hex digest denotes the same bytes in either case.
  if (typeof v.mbox_sha1sum === 'string') out.mbox_sha1sum = v.mbox_sha1sum.toLowerCase();
  if (Array.isArray(v.member)) {
    const members = v.member.map((m) => agent(m));
    members.sort((a, b) => {
      const ka = stableKey(a);
      const kb = stableKey(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    out.member = members;
  }
  return out;
}

function activity(v: Json): Json {
  if (!isObj(v)) return v;
  // The definition is not part of the statement (Data 2.3.1 immutability exceptions).
  return { objectType: v.objectType ?? 'Activity', id: v.id };
}

function object(v: Json): Json {
  if (!isObj(v)) return v;
  switch (v.objectType) {
    case 'Agent':
    case 'Group':
      return agent(v);
    case 'StatementRef':
      return { objectType: 'StatementRef', id: typeof v.id === 'string' ? v.id.toLowerCase() : v.id };
    case 'SubStatement':
      return body(v, true);
    default:
      return activity(v);
  }
}

function context(v: Json): Json {
  if (!isObj(v)) return v;
  const out: Obj = { ...v };
  if (typeof v.registration === 'string') out.registration = v.registration.toLowerCase();
  if (typeof v.language === 'string') out.language = v.language.toLowerCase();
  if (v.instructor !== undefined) out.instructor = agent(v.instructor);
  if (v.team !== undefined) out.team = agent(v.team);
  if (isObj(v.statement)) out.statement = object(v.statement);
  if (isObj(v.contextActivities)) {
    const ca: Obj = {};
    for (const [k, x] of Object.entries(v.contextActivities)) {
      // A single Activity and a one-element array are the same (the LRS returns arrays).
      ca[k] = (Array.isArray(x) ? x : [x]).map(activity);
    }
    out.contextActivities = ca;
  }
  return out;
}

function result(v: Json): Json {
  if (!isObj(v)) return v;
  return typeof v.duration === 'string' ? { ...v, duration: normalizeDuration(v.duration) } : v;
}

/** The comparable part of a statement or SubStatement; `timestamp` is compared separately. */
function body(v: Obj, sub: boolean): Obj {
  const out: Obj = {};
  if (sub) out.objectType = 'SubStatement';
  out.actor = agent(v.actor);
  out.verb = isObj(v.verb) ? { id: v.verb.id } : v.verb;
  out.object = object(v.object);
  if (v.result !== undefined) out.result = result(v.result);
  if (v.context !== undefined) out.context = context(v.context);
  return out;
}

function stableKey(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(stableKey).join(',')}]`;
  if (isObj(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableKey(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

function timestampsMatch(a: unknown, b: unknown): boolean {
  // A timestamp one side lacks may have been filled in by the LRS.
  if (typeof a !== 'string' || typeof b !== 'string') return true;
  const ta = parseTimestamp(a);
  const tb = parseTimestamp(b);
  return ta !== null && ta === tb;
}

function subTimestamps(s: Obj): unknown {
  return isObj(s.object) && s.object.objectType === 'SubStatement' ? s.object.timestamp : undefined;
}

/**
 * True when two statements are the same statement under the Data document's comparison rules:
 * `id` (already matched by the caller), `authority`, `stored`, `version` and attachments are
 * ignored; timestamps compare as instants (one side missing is ignored); Activity definitions
 * and Verb displays are ignored; Group members compare in any order; a context activity may be
 * a single object or a one-element array; a missing `objectType` equals its default; UUIDs,
 * `mbox_sha1sum` and `context.language` compare without case; durations compare to 0.01 s. Everything else must be
 * equal, with object key order ignored.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#statement-comparison-requirements
 */
export function statementsEquivalent(a: Statement, b: Statement): boolean {
  const sa = a as unknown as Obj;
  const sb = b as unknown as Obj;
  if (!timestampsMatch(sa.timestamp, sb.timestamp)) return false;
  if (!timestampsMatch(subTimestamps(sa), subTimestamps(sb))) return false;
  return stableKey(body(sa, false)) === stableKey(body(sb, false));
}
