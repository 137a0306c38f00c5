/**
 * The `format` parameter of GET statements: `exact`, `ids` and `canonical`, with the per-map
 * language filtering of the canonical format.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#213-get-statements
 */
import type {
  Activity,
  ActivityDefinition,
  Agent,
  Context,
  ContextActivities,
  Group,
  InteractionComponent,
  InverseFunctionalIdentifier,
  LanguageMap,
  Statement,
  StatementObject,
  SubStatement,
  Verb,
} from './types.js';

/** The values of the `format` parameter. */
export const STATEMENT_FORMATS = ['exact', 'ids', 'canonical'] as const;

/** One of {@link STATEMENT_FORMATS}. */
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/**
 * Parses an `Accept-Language` header into language ranges ordered by quality (highest first,
 * header order among equals), dropping ranges with `q=0`.
 * @see https://www.rfc-editor.org/rfc/rfc7231#section-5.3.5
 */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (header === null || header === undefined) return [];
  const ranges: { tag: string; q: number; i: number }[] = [];
  header.split(',').forEach((part, i) => {
    const [rawTag, ...params] = part.split(';');
    const tag = (rawTag ?? '').trim();
    if (tag === '') return;
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k?.trim().toLowerCase() === 'q') {
        const n = Number(v?.trim());
        q = Number.isFinite(n) ? n : 0;
      }
    }
    if (q > 0) ranges.push({ tag, q, i });
  });
  ranges.sort((a, b) => b.q - a.q || a.i - b.i);
  return ranges.map((r) => r.tag);
}

/**
 * The one entry of a language map that best matches the preferred languages: for each range in
 * order, an exact tag (case-insensitive), then the range truncated subtag by subtag (RFC 4647
 * lookup), then a tag the range is a prefix of; `*` matches anything. Without a match, the `und`
 * entry if there is one, else the first entry.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#language-filtering-requirements-for-canonical-format-statements
 */
export function selectLanguage(map: LanguageMap, languages: readonly string[]): LanguageMap {
  const keys = Object.keys(map);
  if (keys.length <= 1) return map;
  const lower = keys.map((k) => k.toLowerCase());
  const pick = (k: string): LanguageMap => ({ [k]: map[k] ?? '' });
  for (const range of languages) {
    const r = range.toLowerCase();
    if (r === '*') return pick(keys[0] ?? '');
    const parts = r.split('-');
    for (let n = parts.length; n > 0; n--) {
      const candidate = parts.slice(0, n).join('-');
      const idx = lower.indexOf(candidate);
      if (idx !== -1) return pick(keys[idx] ?? '');
    }
    const prefixed = lower.findIndex((k) => k.startsWith(`${r}-`));
    if (prefixed !== -1) return pick(keys[prefixed] ?? '');
  }
  const und = lower.indexOf('und');
  return pick(keys[und === -1 ? 0 : und] ?? '');
}

function idsAgent(a: Agent | Group): Agent | Group {
  const src = a as InverseFunctionalIdentifier & { objectType?: string; member?: Agent[] };
  const out: Record<string, unknown> = {};
  if (src.objectType !== undefined) out.objectType = src.objectType;
  if (src.mbox !== undefined) out.mbox = src.mbox;
  else if (src.mbox_sha1sum !== undefined) out.mbox_sha1sum = src.mbox_sha1sum;
  else if (src.openid !== undefined) out.openid = src.openid;
  else if (src.account !== undefined)
    out.account = { homePage: src.account.homePage, name: src.account.name };
  else if (src.member !== undefined) out.member = src.member.map((m) => idsAgent(m));
  return out as unknown as Agent | Group;
}

// "Activity" is the default objectType of an object, so the id alone identifies it (XAPI-00171).
function idsActivity(a: Activity): Activity {
  return { id: a.id };
}

function mapContextActivities(ca: ContextActivities, f: (a: Activity) => Activity): ContextActivities {
  const out: ContextActivities = {};
  for (const k of ['parent', 'grouping', 'category', 'other'] as const) {
    const v = ca[k];
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(f) : f(v);
  }
  return out;
}

interface Transform {
  agent: (a: Agent | Group) => Agent | Group;
  activity: (a: Activity) => Activity;
  verb: (v: Verb) => Verb;
}

function transformContext(c: Context, t: Transform): Context {
  const out: Context = { ...c };
  if (c.instructor !== undefined) out.instructor = t.agent(c.instructor);
  if (c.team !== undefined) out.team = t.agent(c.team) as Group;
  if (c.contextActivities !== undefined)
    out.contextActivities = mapContextActivities(c.contextActivities, t.activity);
  return out;
}

function transformObject(o: StatementObject, t: Transform): StatementObject {
  switch (o.objectType) {
    case 'Agent':
    case 'Group':
      return t.agent(o);
    case 'StatementRef':
      return o;
    case 'SubStatement':
      return transformBody(o, t);
    default:
      return t.activity(o as Activity);
  }
}

function transformBody<S extends Statement | SubStatement>(s: S, t: Transform): S {
  const out = { ...s };
  out.actor = t.agent(s.actor);
  out.verb = t.verb(s.verb);
  out.object = transformObject(s.object, t) as S['object'];
  if (s.context !== undefined) out.context = transformContext(s.context, t);
  if ('authority' in s && s.authority !== undefined) {
    (out as Statement).authority = t.agent(s.authority);
  }
  return out;
}

function filterComponents(
  list: InteractionComponent[],
  languages: readonly string[],
): InteractionComponent[] {
  return list.map((c) =>
    c.description === undefined ? c : { ...c, description: selectLanguage(c.description, languages) },
  );
}

function canonicalDefinition(d: ActivityDefinition, languages: readonly string[]): ActivityDefinition {
  const out: ActivityDefinition = { ...d };
  if (d.name !== undefined) out.name = selectLanguage(d.name, languages);
  if (d.description !== undefined) out.description = selectLanguage(d.description, languages);
  for (const k of ['choices', 'scale', 'source', 'target', 'steps'] as const) {
    const list = d[k];
    if (list !== undefined) out[k] = filterComponents(list, languages);
  }
  return out;
}

/**
 * A statement in the requested `format`. `exact` returns the statement itself. `ids` keeps only
 * what identifies each Agent, Group (members of an anonymous Group), Activity and Verb, wherever
 * they appear (actor, object, SubStatement, context, authority). `canonical` keeps Agents as
 * received and reduces every Activity name, description and interaction component description
 * and every Verb display to the one language that best matches `languages` (ordered language
 * ranges, as from {@link parseAcceptLanguage}); the caller substitutes its canonical Activity
 * definitions first.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#213-get-statements
 */
export function formatStatement(
  statement: Statement,
  format: StatementFormat,
  languages: readonly string[] = [],
): Statement {
  if (format === 'exact') return statement;
  if (format === 'ids') {
    return transformBody(statement, {
      agent: idsAgent,
      activity: idsActivity,
      verb: (v) => ({ id: v.id }),
    });
  }
  return transformBody(statement, {
    agent: (a) => a,
    activity: (a) =>
      a.definition === undefined ? a : { ...a, definition: canonicalDefinition(a.definition, languages) },
    verb: (v) => (v.display === undefined ? v : { ...v, display: selectLanguage(v.display, languages) }),
  });
}
