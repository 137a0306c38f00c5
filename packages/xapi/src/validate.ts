/**
 * The strict statement validator: every rule of the xAPI 1.0.3 Data document that an LRS must
 * enforce, each rejection naming the offending path and a stable rule code.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2-statements
 */
import {
  isDuration,
  isIri,
  isMailtoIri,
  isMediaType,
  isSha1Hex,
  isSha2Hex,
  isUuid,
  parseTimestamp,
  validateLanguageTag,
} from './formats.js';
import { responsePatternProblem } from './response-patterns.js';
import { RULES, type RuleCode } from './rules.js';
import {
  type Agent,
  type IdentifiedGroup,
  INTERACTION_TYPES,
  type InteractionType,
  type Statement,
  VERBS,
} from './types.js';

/**
 * One reason a value is not valid xAPI.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#22-formatting-requirements
 */
export interface ValidationIssue {
  /** Where: `actor.account.homePage`, `context.contextActivities.parent[0].id`, `verb.display['de-419-DE']`. */
  path: string;
  /** A stable UPPER_SNAKE code from {@link RULES}. */
  rule: string;
  /** What is wrong and what is expected. */
  message: string;
  /** The ADL LRS Conformance Test Suite requirement id the rule answers to, when there is one. */
  requirement?: string;
}

/** The outcome of a validation: the typed value, or every issue found. */
export type Validation<T> = { ok: true; value: T } | { ok: false; errors: ValidationIssue[] };

/** Options of {@link validateStatement}. */
export interface ValidateStatementOptions {
  /** Validate `value` as a SubStatement (the object of another statement) instead of a statement. */
  substatement?: boolean;
}

type Obj = Record<string, unknown>;

const INTERACTION_SET: ReadonlySet<string> = new Set(INTERACTION_TYPES);
const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

const set = (...k: string[]): ReadonlySet<string> => new Set(k);
const STATEMENT_KEYS = set(
  'id',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'stored',
  'authority',
  'version',
  'attachments',
);
const SUBSTATEMENT_KEYS = set(
  'objectType',
  'actor',
  'verb',
  'object',
  'result',
  'context',
  'timestamp',
  'attachments',
);
const SUBSTATEMENT_FORBIDDEN = set('id', 'stored', 'version', 'authority');
const AGENT_KEYS = set('objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account');
const GROUP_KEYS = set('objectType', 'name', 'member', 'mbox', 'mbox_sha1sum', 'openid', 'account');
const ACCOUNT_KEYS = set('homePage', 'name');
const VERB_KEYS = set('id', 'display');
const ACTIVITY_KEYS = set('objectType', 'id', 'definition');
const DEFINITION_KEYS = set(
  'name',
  'description',
  'type',
  'moreInfo',
  'interactionType',
  'correctResponsesPattern',
  'choices',
  'scale',
  'source',
  'target',
  'steps',
  'extensions',
);
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;
const COMPONENT_KEYS = set('id', 'description');
const STATEMENT_REF_KEYS = set('objectType', 'id');
const RESULT_KEYS = set('score', 'success', 'completion', 'response', 'duration', 'extensions');
const SCORE_KEYS = set('scaled', 'raw', 'min', 'max');
const CONTEXT_KEYS = set(
  'registration',
  'instructor',
  'team',
  'contextActivities',
  'revision',
  'platform',
  'language',
  'statement',
  'extensions',
);
const CONTEXT_ACTIVITY_KEYS = set('parent', 'grouping', 'category', 'other');
const ATTACHMENT_KEYS = set(
  'usageType',
  'display',
  'description',
  'contentType',
  'length',
  'sha2',
  'fileUrl',
);

/** Component lists each interaction type may carry. */
const ALLOWED_COMPONENTS: Readonly<Record<InteractionType, readonly string[]>> = {
  'true-false': [],
  choice: ['choices'],
  'fill-in': [],
  'long-fill-in': [],
  matching: ['source', 'target'],
  performance: ['steps'],
  sequencing: ['choices'],
  likert: ['scale'],
  numeric: [],
  other: [],
};

const OBJECT_TYPES: ReadonlySet<string> = new Set([
  'activity',
  'agent',
  'group',
  'statementref',
  'substatement',
]);
const SUBSTATEMENT_REQUIREMENT: Readonly<Record<string, string>> = {
  id: 'XAPI-00070',
  stored: 'XAPI-00069',
  version: 'XAPI-00068',
  authority: 'XAPI-00067',
};
const MISSING_REQUIREMENT: Readonly<Record<string, string>> = {
  actor: 'XAPI-00003',
  verb: 'XAPI-00004',
  object: 'XAPI-00005',
};

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const keyPath = (path: string, key: string): string => `${path}['${key}']`;
const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? 'a string' : `a ${typeof v}`;

const COMPONENT_LIST_REQUIREMENT: Readonly<Record<string, string>> = {
  steps: 'XAPI-00051',
  target: 'XAPI-00052',
  source: 'XAPI-00053',
  scale: 'XAPI-00054',
  choices: 'XAPI-00055',
};
const PROPERTY_TYPE_REQUIREMENT: Readonly<Record<string, string>> = {
  success: 'XAPI-00074',
  completion: 'XAPI-00075',
  response: 'XAPI-00076',
  duration: 'XAPI-00077',
  score: 'XAPI-00079',
  max: 'XAPI-00080',
  min: 'XAPI-00081',
  raw: 'XAPI-00082',
  scaled: 'XAPI-00083',
  member: 'XAPI-00036',
  mbox: 'XAPI-00038',
  mbox_sha1sum: 'XAPI-00039',
  openid: 'XAPI-00040',
  account: 'XAPI-00041',
  homePage: 'XAPI-00042',
  definition: 'XAPI-00048',
  interactionType: 'XAPI-00049',
  correctResponsesPattern: 'XAPI-00050',
  type: 'XAPI-00060',
  moreInfo: 'XAPI-00061',
  authority: 'XAPI-00024',
  attachments: 'XAPI-00025',
  contextActivities: 'XAPI-00086',
  registration: 'XAPI-00087',
  instructor: 'XAPI-00087',
  team: 'XAPI-00088',
  revision: 'XAPI-00089',
  platform: 'XAPI-00090',
  language: 'XAPI-00091',
  statement: 'XAPI-00092',
  timestamp: 'XAPI-00022',
  stored: 'XAPI-00023',
  usageType: 'XAPI-00107',
  contentType: 'XAPI-00105',
  length: 'XAPI-00102',
  sha2: 'XAPI-00103',
  fileUrl: 'XAPI-00104',
  ...COMPONENT_LIST_REQUIREMENT,
};

/** The requirement a wrong-typed value at `path` breaks, when the suite names a specific one. */
function typeRequirement(path: string): string | undefined {
  if (path.endsWith("']")) return 'XAPI-00121';
  const indexed = path.endsWith(']');
  const segs = path.replace(/\[[^\]]*\]/g, '').split('.');
  const last = segs.at(-1) ?? '';
  const prev = segs.at(-2);
  if (indexed) {
    if (last in COMPONENT_LIST_REQUIREMENT) return 'XAPI-00063';
    if (last === 'member') return 'XAPI-00036';
    if (last === 'attachments') return 'XAPI-00025';
    if (last === 'correctResponsesPattern') return 'XAPI-00050';
    if (CONTEXT_ACTIVITY_KEYS.has(last)) return 'XAPI-00094';
    return undefined;
  }
  switch (last) {
    case 'name':
      return prev === 'account' ? 'XAPI-00043' : prev === 'definition' ? 'XAPI-00056' : 'XAPI-00033';
    case 'description':
      return prev === 'definition' ? 'XAPI-00059' : prev === 'attachments' ? 'XAPI-00106' : 'XAPI-00062';
    case 'display':
      return prev === 'verb' ? 'XAPI-00045' : 'XAPI-00106';
    case 'extensions':
      return prev === 'result' ? 'XAPI-00078' : prev === 'definition' ? 'XAPI-00057' : 'XAPI-00120';
    case 'objectType':
      return 'XAPI-00032';
    case 'id':
      return prev === undefined
        ? 'XAPI-00028'
        : prev === 'verb'
          ? 'XAPI-00044'
          : prev === 'statement'
            ? 'XAPI-00092'
            : undefined;
    default:
      return PROPERTY_TYPE_REQUIREMENT[last];
  }
}

class Checker {
  readonly errors: ValidationIssue[] = [];

  add(path: string, rule: RuleCode, message: string, requirement?: string): void {
    const req =
      requirement ?? (rule === 'WRONG_TYPE' ? typeRequirement(path) : undefined) ?? RULES[rule].requirement;
    this.errors.push(req === undefined ? { path, rule, message } : { path, rule, message, requirement: req });
  }

  /** `v` as a plain object, or reports it. */
  object(v: unknown, path: string, what: string): Obj | undefined {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
    if (v === null) this.add(path, 'NULL_VALUE', `${what} must be an object, not null`);
    else this.add(path, 'WRONG_TYPE', `${what} must be a JSON object, got ${describe(v)}`);
    return undefined;
  }

  /** Reports unknown keys (with a case hint) and null values; the caller reads known keys. */
  keys(o: Obj, path: string, allowed: ReadonlySet<string>, what: string, unknownRequirement?: string): void {
    for (const k in o) {
      if (!allowed.has(k)) {
        const lower = k.toLowerCase();
        let hint = '';
        for (const a of allowed) {
          if (a.toLowerCase() === lower) {
            hint = ` (property names are case-sensitive: did you mean "${a}"?)`;
            break;
          }
        }
        this.add(
          join(path, k),
          'UNKNOWN_PROPERTY',
          `"${k}" is not a property of ${what}${hint}; allowed: ${[...allowed].join(', ')}`,
          hint !== '' ? 'XAPI-00008' : k === 'member' ? 'XAPI-00035' : unknownRequirement,
        );
      } else if (o[k] === null) {
        this.add(join(path, k), 'NULL_VALUE', `"${k}" must not be null; omit the property instead`);
      }
    }
  }

  required(o: Obj, key: string, path: string, what: string, requirement?: string): unknown {
    const v = o[key];
    if (v === undefined) {
      this.add(
        join(path, key),
        'MISSING_PROPERTY',
        `${what} requires "${key}"`,
        requirement ?? (path === '' ? MISSING_REQUIREMENT[key] : undefined),
      );
    }
    return v === null ? undefined : v;
  }

  /** Reports an object with no properties (the Data document allows empty objects only in extensions). */
  nonEmpty(o: Obj, path: string, what: string, requirement?: string): void {
    for (const _ in o) return;
    this.add(path, 'EMPTY_OBJECT', `${what} must not be an empty object; omit it instead`, requirement);
  }

  string(v: unknown, path: string, what: string): v is string {
    if (typeof v === 'string') return true;
    this.add(path, 'WRONG_TYPE', `${what} must be a string, got ${describe(v)}`);
    return false;
  }

  iri(v: unknown, path: string, what: string, requirement?: string): void {
    if (!this.string(v, path, what)) return;
    if (!isIri(v)) {
      this.add(
        path,
        'INVALID_IRI',
        `${what} must be an absolute IRI with a scheme (e.g. "https://..."), got "${v}"`,
        requirement,
      );
    }
  }

  uuid(v: unknown, path: string, what: string, requirement?: string): void {
    if (!this.string(v, path, what)) return;
    if (!isUuid(v)) {
      this.add(
        path,
        'INVALID_UUID',
        `${what} must be a UUID (8-4-4-4-12 hex digits), got "${v}"`,
        requirement,
      );
    }
  }

  timestamp(v: unknown, path: string, what: string, requirement?: string): void {
    if (!this.string(v, path, what)) return;
    if (parseTimestamp(v) === null) {
      this.add(
        path,
        'INVALID_TIMESTAMP',
        `${what} must be an ISO 8601 date-time such as "2013-05-18T05:32:34.804Z" (offset -00:00 is not allowed), got "${v}"`,
        requirement,
      );
    }
  }

  number(v: unknown, path: string, what: string): v is number {
    if (typeof v === 'number' && Number.isFinite(v)) return true;
    this.add(path, 'WRONG_TYPE', `${what} must be a JSON number, got ${describe(v)}`);
    return false;
  }

  boolean(v: unknown, path: string, what: string): void {
    if (typeof v !== 'boolean')
      this.add(path, 'WRONG_TYPE', `${what} must be true or false, got ${describe(v)}`);
  }

  languageMap(v: unknown, path: string, what: string): void {
    const o = this.object(v, path, what);
    if (o === undefined) return;
    this.nonEmpty(o, path, `${what} (a language map needs at least one entry)`, 'XAPI-00121');

    for (const k in o) {
      const p = keyPath(path, k);
      if (!validateLanguageTag(k)) {
        this.add(p, 'INVALID_LANGUAGE_TAG', `${what} key "${k}" is not an RFC 5646 language tag`);
      }
      const s = o[k];
      if (s === null) this.add(p, 'NULL_VALUE', `${what} value for "${k}" must be a string, not null`);
      else if (typeof s !== 'string') this.add(p, 'WRONG_TYPE', `${what} value for "${k}" must be a string`);
    }
  }

  extensions(v: unknown, path: string): void {
    const o = this.object(v, path, 'extensions');
    if (o === undefined) return;
    for (const k in o) {
      if (!isIri(k)) {
        this.add(keyPath(path, k), 'INVALID_EXTENSION_KEY', `extension key "${k}" must be an absolute IRI`);
      }
    }
  }

  account(v: unknown, path: string): void {
    const o = this.object(v, path, 'account');
    if (o === undefined) return;
    this.keys(o, path, ACCOUNT_KEYS, 'an Account');
    const homePage = this.required(o, 'homePage', path, 'an Account', 'XAPI-00042');
    if (homePage !== undefined) this.iri(homePage, join(path, 'homePage'), 'account.homePage', 'XAPI-00042');
    const name = this.required(o, 'name', path, 'an Account', 'XAPI-00043');
    if (name !== undefined) this.string(name, join(path, 'name'), 'account.name');
  }

  /** Checks the IFI properties present and returns how many there are. */
  ifis(o: Obj, path: string): number {
    let n = 0;
    for (const k of IFI_KEYS) {
      const v = o[k];
      if (v === undefined || v === null) continue;
      n++;
      const p = join(path, k);
      if (k === 'mbox') {
        if (this.string(v, p, 'mbox') && !isMailtoIri(v)) {
          this.add(p, 'INVALID_MBOX', `mbox must be a mailto IRI ("mailto:name@example.com"), got "${v}"`);
        }
      } else if (k === 'mbox_sha1sum') {
        if (this.string(v, p, 'mbox_sha1sum') && !isSha1Hex(v)) {
          this.add(p, 'INVALID_MBOX_SHA1SUM', `mbox_sha1sum must be 40 hex digits (SHA-1 of a mailto IRI)`);
        }
      } else if (k === 'openid') {
        this.iri(v, p, 'openid', 'XAPI-00040');
      } else {
        this.account(v, p);
      }
    }
    return n;
  }

  agent(o: Obj, path: string, what: string): void {
    this.keys(o, path, AGENT_KEYS, 'an Agent');
    if (o.name !== undefined && o.name !== null) this.string(o.name, join(path, 'name'), `${what}.name`);
    const n = this.ifis(o, path);
    if (n !== 1) {
      this.add(
        path,
        'IFI_COUNT',
        `an Agent must have exactly one inverse functional identifier (mbox, mbox_sha1sum, openid or account); ${what} has ${n}`,
      );
    }
  }

  group(o: Obj, path: string, what: string, mode: 'any' | 'identified' = 'any'): void {
    this.keys(o, path, GROUP_KEYS, 'a Group');
    if (o.name !== undefined && o.name !== null) this.string(o.name, join(path, 'name'), `${what}.name`);
    const n = this.ifis(o, path);
    if (n > 1) {
      this.add(
        path,
        'IFI_COUNT',
        `a Group may have at most one inverse functional identifier; ${what} has ${n}`,
        'XAPI-00037',
      );
    }
    if (n === 0 && mode === 'identified') {
      this.add(
        path,
        'IFI_COUNT',
        `${what} must be an Agent or an identified Group (one inverse functional identifier)`,
      );
    }
    const member = o.member;
    if (member === undefined || member === null) {
      if (n === 0 && mode === 'any') {
        this.add(
          join(path, 'member'),
          'GROUP_MEMBER_REQUIRED',
          `an anonymous Group must list its "member" Agents`,
        );
      }
      return;
    }
    const mp = join(path, 'member');
    if (!Array.isArray(member)) {
      this.add(mp, 'WRONG_TYPE', `Group member must be an array of Agents, got ${describe(member)}`);
      return;
    }
    if (member.length === 0 && n === 0) {
      this.add(mp, 'GROUP_MEMBER_REQUIRED', `an anonymous Group must list at least one member Agent`);
    }
    member.forEach((m, i) => {
      const p = `${mp}[${i}]`;
      const mo = this.object(m, p, 'a Group member');
      if (mo === undefined) return;
      if (mo.objectType === 'Group') {
        this.add(p, 'GROUP_MEMBER_NOT_AGENT', `a Group's members must be Agents, not Groups`);
        return;
      }
      if (mo.objectType !== undefined && mo.objectType !== null && mo.objectType !== 'Agent') {
        this.add(join(p, 'objectType'), 'INVALID_OBJECT_TYPE', `a Group member's objectType must be "Agent"`);
      }
      this.agent(mo, p, 'a Group member');
    });
  }

  /** An Agent or Group wherever an actor-like value appears. */
  actor(v: unknown, path: string, what: string): Obj | undefined {
    const o = this.object(v, path, what);
    if (o === undefined) return undefined;
    const t = o.objectType;
    if (t === 'Group') this.group(o, path, what);
    else if (t === undefined || t === null || t === 'Agent') this.agent(o, path, what);
    else {
      this.add(
        join(path, 'objectType'),
        'INVALID_OBJECT_TYPE',
        `${what}.objectType must be "Agent" or "Group" (exact case), got ${JSON.stringify(t)}`,
        typeof t === 'string' ? 'XAPI-00031' : 'XAPI-00032',
      );
    }
    return o;
  }

  verb(v: unknown, path: string): Obj | undefined {
    const o = this.object(v, path, 'verb');
    if (o === undefined) return undefined;
    this.keys(o, path, VERB_KEYS, 'a Verb');
    const id = this.required(o, 'id', path, 'a Verb', 'XAPI-00044');
    if (id !== undefined) this.iri(id, join(path, 'id'), 'verb.id', 'XAPI-00044');
    if (o.display !== undefined && o.display !== null)
      this.languageMap(o.display, join(path, 'display'), 'verb.display');
    return o;
  }

  components(v: unknown, path: string, list: string): void {
    if (!Array.isArray(v)) {
      this.add(path, 'WRONG_TYPE', `${list} must be an array of interaction components, got ${describe(v)}`);
      return;
    }
    const seen = new Set<string>();
    v.forEach((c, i) => {
      const p = `${path}[${i}]`;
      const o = this.object(c, p, 'an interaction component');
      if (o === undefined) return;
      this.keys(o, p, COMPONENT_KEYS, 'an interaction component');
      const id = this.required(o, 'id', p, 'an interaction component', 'XAPI-00058');
      if (id !== undefined && this.string(id, join(p, 'id'), 'interaction component id')) {
        if (id === '') {
          this.add(
            join(p, 'id'),
            'INVALID_STRING',
            `an interaction component id must not be empty`,
            'XAPI-00058',
          );
        }
        if (seen.has(id)) {
          this.add(
            join(p, 'id'),
            'DUPLICATE_COMPONENT_ID',
            `interaction component id "${id}" appears twice in ${list}`,
          );
        }
        seen.add(id);
      }
      if (o.description !== undefined && o.description !== null) {
        this.languageMap(o.description, join(p, 'description'), 'interaction component description');
      }
    });
  }

  responsePattern(type: InteractionType, pattern: string, path: string): void {
    const expected = responsePatternProblem(type, pattern);
    if (expected !== null) {
      this.add(
        path,
        'INVALID_RESPONSE_PATTERN',
        `a ${type} correct response must be ${expected}, got "${pattern}"`,
      );
    }
  }

  definition(v: unknown, path: string): void {
    const o = this.object(v, path, 'definition');
    if (o === undefined) return;
    this.keys(o, path, DEFINITION_KEYS, 'an Activity Definition');
    // An empty Activity Definition is accepted: every property of a definition is optional
    // (Data 2.4.4.1.s2), empty objects are a SHOULD NOT for the sender (Data 2.2.s2.b1) and no
    // LRS requirement of Data 2.2.s4 rejects them (the conformance suite's XAPI-00014 cases send
    // `"definition": {}` and expect 200).
    if (o.name != null) this.languageMap(o.name, join(path, 'name'), 'definition.name');
    if (o.description != null)
      this.languageMap(o.description, join(path, 'description'), 'definition.description');
    if (o.type != null) this.iri(o.type, join(path, 'type'), 'definition.type', 'XAPI-00060');
    if (o.moreInfo != null) this.iri(o.moreInfo, join(path, 'moreInfo'), 'definition.moreInfo', 'XAPI-00061');
    if (o.extensions != null) this.extensions(o.extensions, join(path, 'extensions'));
    let type: InteractionType | undefined;
    const it = o.interactionType;
    if (it != null) {
      if (typeof it === 'string' && INTERACTION_SET.has(it)) type = it as InteractionType;
      else {
        this.add(
          join(path, 'interactionType'),
          'INVALID_INTERACTION_TYPE',
          `interactionType must be one of ${INTERACTION_TYPES.join(', ')} (exact case), got ${JSON.stringify(it)}`,
          typeof it === 'string' && INTERACTION_SET.has(it.toLowerCase()) ? 'XAPI-00009' : undefined,
        );
      }
    }
    const crp = o.correctResponsesPattern;
    if (crp != null) {
      const p = join(path, 'correctResponsesPattern');
      if (it == null) {
        this.add(p, 'INTERACTION_TYPE_REQUIRED', `correctResponsesPattern requires an interactionType`);
      }
      if (!Array.isArray(crp)) {
        this.add(
          p,
          'WRONG_TYPE',
          `correctResponsesPattern must be an array of strings, got ${describe(crp)}`,
        );
      } else {
        crp.forEach((s, i) => {
          const ip = `${p}[${i}]`;
          if (this.string(s, ip, 'a correct response pattern') && type !== undefined) {
            this.responsePattern(type, s, ip);
          }
        });
      }
    }
    for (const list of COMPONENT_LISTS) {
      const c = o[list];
      if (c == null) continue;
      const p = join(path, list);
      if (it == null) {
        this.add(p, 'INTERACTION_TYPE_REQUIRED', `"${list}" requires an interactionType`);
      } else if (type !== undefined && !ALLOWED_COMPONENTS[type].includes(list)) {
        const allowed = ALLOWED_COMPONENTS[type];
        this.add(
          p,
          'INTERACTION_COMPONENT_NOT_ALLOWED',
          `a ${type} interaction ${allowed.length === 0 ? 'has no component lists' : `may carry only ${allowed.join(' and ')}`}, not "${list}"`,
        );
      }
      this.components(c, p, list);
    }
  }

  activity(o: Obj, path: string): void {
    this.keys(o, path, ACTIVITY_KEYS, 'an Activity');
    const id = this.required(o, 'id', path, 'an Activity', 'XAPI-00047');
    if (id !== undefined) this.iri(id, join(path, 'id'), 'activity id', 'XAPI-00047');
    if (o.definition != null) this.definition(o.definition, join(path, 'definition'));
  }

  statementRef(o: Obj, path: string): void {
    this.keys(o, path, STATEMENT_REF_KEYS, 'a StatementRef');
    const id = this.required(o, 'id', path, 'a StatementRef', 'XAPI-00072');
    if (id !== undefined) this.uuid(id, join(path, 'id'), 'StatementRef id', 'XAPI-00072');
  }

  /** The statement's object; returns its objectType as resolved ('Activity' when absent). */
  statementObject(v: unknown, path: string, inSub: boolean): string | undefined {
    const o = this.object(v, path, 'object');
    if (o === undefined) return undefined;
    const t = o.objectType;
    if (t === undefined) {
      if (IFI_KEYS.some((k) => o[k] !== undefined) || o.member !== undefined) {
        this.add(
          join(path, 'objectType'),
          'OBJECT_TYPE_REQUIRED',
          `an Agent or Group object must state its objectType ("Agent" or "Group"); without it the object is read as an Activity`,
          'XAPI-00065',
        );
        return undefined;
      }
      if (o.actor !== undefined || o.verb !== undefined) {
        this.add(
          join(path, 'objectType'),
          'OBJECT_TYPE_REQUIRED',
          `a SubStatement object must state objectType "SubStatement"`,
          'XAPI-00073',
        );
        return undefined;
      }
    }
    switch (t) {
      case undefined:
      case null:
      case 'Activity':
        this.activity(o, path);
        return 'Activity';
      case 'Agent':
        this.agent(o, path, 'object');
        return 'Agent';
      case 'Group':
        this.group(o, path, 'object');
        return 'Group';
      case 'StatementRef':
        this.statementRef(o, path);
        return 'StatementRef';
      case 'SubStatement':
        if (inSub) {
          this.add(
            join(path, 'objectType'),
            'NESTED_SUBSTATEMENT',
            `a SubStatement's object must not be another SubStatement`,
          );
        } else this.statement(o, path, true);
        return 'SubStatement';
      default:
        this.add(
          join(path, 'objectType'),
          'INVALID_OBJECT_TYPE',
          `object.objectType must be Activity, Agent, Group, StatementRef or SubStatement (exact case), got ${JSON.stringify(t)}`,
          typeof t === 'string' && OBJECT_TYPES.has(t.toLowerCase()) ? 'XAPI-00009' : 'XAPI-00046',
        );
        return undefined;
    }
  }

  score(v: unknown, path: string): void {
    const o = this.object(v, path, 'score');
    if (o === undefined) return;
    this.keys(o, path, SCORE_KEYS, 'a Score');
    this.nonEmpty(o, path, 'score');
    const n: { scaled?: number; raw?: number; min?: number; max?: number } = {};
    for (const k of ['scaled', 'raw', 'min', 'max'] as const) {
      const x = o[k];
      if (x != null && this.number(x, join(path, k), `score.${k}`)) n[k] = x;
    }
    if (n.scaled !== undefined && (n.scaled < -1 || n.scaled > 1)) {
      this.add(
        join(path, 'scaled'),
        'SCORE_SCALED_RANGE',
        `score.scaled must be between -1 and 1, got ${n.scaled}`,
      );
    }
    if (n.min !== undefined && n.max !== undefined && n.min >= n.max) {
      this.add(
        join(path, 'max'),
        'SCORE_MIN_MAX',
        `score.max (${n.max}) must be greater than score.min (${n.min})`,
      );
    }
    if (n.raw !== undefined) {
      if (n.min !== undefined && n.raw < n.min) {
        this.add(
          join(path, 'raw'),
          'SCORE_RAW_RANGE',
          `score.raw (${n.raw}) must not be below score.min (${n.min})`,
        );
      }
      if (n.max !== undefined && n.raw > n.max) {
        this.add(
          join(path, 'raw'),
          'SCORE_RAW_RANGE',
          `score.raw (${n.raw}) must not exceed score.max (${n.max})`,
        );
      }
    }
  }

  result(v: unknown, path: string): void {
    const o = this.object(v, path, 'result');
    if (o === undefined) return;
    this.keys(o, path, RESULT_KEYS, 'a Result');
    this.nonEmpty(o, path, 'result');
    if (o.score != null) this.score(o.score, join(path, 'score'));
    if (o.success != null) this.boolean(o.success, join(path, 'success'), 'result.success');
    if (o.completion != null) this.boolean(o.completion, join(path, 'completion'), 'result.completion');
    if (o.response != null) this.string(o.response, join(path, 'response'), 'result.response');
    if (o.duration != null) {
      const p = join(path, 'duration');
      if (this.string(o.duration, p, 'result.duration') && !isDuration(o.duration)) {
        this.add(
          p,
          'INVALID_DURATION',
          `result.duration must be an ISO 8601 duration such as "PT1H2M3.5S", got "${o.duration}"`,
        );
      }
    }
    if (o.extensions != null) this.extensions(o.extensions, join(path, 'extensions'));
  }

  contextActivity(v: unknown, path: string): void {
    const o = this.object(v, path, 'a context activity');
    if (o === undefined) return;
    const t = o.objectType;
    if (t != null && t !== 'Activity') {
      this.add(
        join(path, 'objectType'),
        'INVALID_OBJECT_TYPE',
        `context activities must be Activities, got ${JSON.stringify(t)}`,
        'XAPI-00094',
      );
      return;
    }
    this.activity(o, path);
  }

  context(v: unknown, path: string, objectType: string | undefined): void {
    const o = this.object(v, path, 'context');
    if (o === undefined) return;
    this.keys(o, path, CONTEXT_KEYS, 'a Context');
    this.nonEmpty(o, path, 'context');
    if (o.registration != null) {
      this.uuid(o.registration, join(path, 'registration'), 'context.registration', 'XAPI-00087');
    }
    if (o.instructor != null) this.actor(o.instructor, join(path, 'instructor'), 'context.instructor');
    if (o.team != null) {
      const p = join(path, 'team');
      const team = this.object(o.team, p, 'context.team');
      if (team !== undefined) {
        if (team.objectType !== 'Group') {
          this.add(p, 'CONTEXT_TEAM_NOT_GROUP', `context.team must be a Group (objectType "Group")`);
        } else this.group(team, p, 'context.team');
      }
    }
    if (o.contextActivities != null) {
      const p = join(path, 'contextActivities');
      const ca = this.object(o.contextActivities, p, 'contextActivities');
      if (ca !== undefined) {
        this.keys(ca, p, CONTEXT_ACTIVITY_KEYS, 'contextActivities', 'XAPI-00093');
        this.nonEmpty(ca, p, 'contextActivities', 'XAPI-00095');
        for (const k of CONTEXT_ACTIVITY_KEYS) {
          const x = ca[k];
          if (x == null) continue;
          const kp = join(p, k);
          if (Array.isArray(x)) {
            x.forEach((a, i) => {
              this.contextActivity(a, `${kp}[${i}]`);
            });
          } else this.contextActivity(x, kp);
        }
      }
    }
    for (const k of ['revision', 'platform'] as const) {
      const x = o[k];
      if (x == null) continue;
      const p = join(path, k);
      this.string(x, p, `context.${k}`);
      if (objectType !== undefined && objectType !== 'Activity') {
        this.add(
          p,
          k === 'revision' ? 'CONTEXT_REVISION_NOT_ALLOWED' : 'CONTEXT_PLATFORM_NOT_ALLOWED',
          `context.${k} may only be used when the statement's object is an Activity (it is a ${objectType})`,
        );
      }
    }
    if (o.language != null) {
      const p = join(path, 'language');
      // RFC 5646, as for language map keys: the suite rejects "something" here (XAPI-00013).
      if (this.string(o.language, p, 'context.language') && !validateLanguageTag(o.language)) {
        this.add(
          p,
          'INVALID_LANGUAGE_TAG',
          `context.language must be a language tag such as "en-US", got "${o.language}"`,
          'XAPI-00091',
        );
      }
    }
    if (o.statement != null) {
      const p = join(path, 'statement');
      const ref = this.object(o.statement, p, 'context.statement');
      if (ref !== undefined) {
        if (ref.objectType !== 'StatementRef') {
          this.add(
            join(p, 'objectType'),
            'INVALID_OBJECT_TYPE',
            `context.statement must be a StatementRef (objectType "StatementRef")`,
          );
        }
        this.statementRef(ref, p);
      }
    }
    if (o.extensions != null) this.extensions(o.extensions, join(path, 'extensions'));
  }

  attachments(v: unknown, path: string): void {
    if (!Array.isArray(v)) {
      this.add(path, 'WRONG_TYPE', `attachments must be an array, got ${describe(v)}`, 'XAPI-00025');
      return;
    }
    v.forEach((a, i) => {
      const p = `${path}[${i}]`;
      const o = this.object(a, p, 'an attachment');
      if (o === undefined) return;
      this.keys(o, p, ATTACHMENT_KEYS, 'an Attachment');
      const usageType = this.required(o, 'usageType', p, 'an Attachment', 'XAPI-00107');
      if (usageType !== undefined)
        this.iri(usageType, join(p, 'usageType'), 'attachment usageType', 'XAPI-00107');
      const display = this.required(o, 'display', p, 'an Attachment', 'XAPI-00106');
      if (display !== undefined) this.languageMap(display, join(p, 'display'), 'attachment display');
      if (o.description != null)
        this.languageMap(o.description, join(p, 'description'), 'attachment description');
      const ct = this.required(o, 'contentType', p, 'an Attachment', 'XAPI-00105');
      if (
        ct !== undefined &&
        this.string(ct, join(p, 'contentType'), 'attachment contentType') &&
        !isMediaType(ct)
      ) {
        this.add(
          join(p, 'contentType'),
          'INVALID_MEDIA_TYPE',
          `contentType must be an Internet media type such as "image/png", got "${ct}"`,
        );
      }
      const length = this.required(o, 'length', p, 'an Attachment', 'XAPI-00102');
      if (length !== undefined && (typeof length !== 'number' || !Number.isInteger(length) || length < 0)) {
        this.add(
          join(p, 'length'),
          'INVALID_LENGTH',
          `attachment length must be a non-negative integer, got ${JSON.stringify(length)}`,
        );
      }
      const sha2 = this.required(o, 'sha2', p, 'an Attachment', 'XAPI-00103');
      if (sha2 !== undefined && this.string(sha2, join(p, 'sha2'), 'attachment sha2') && !isSha2Hex(sha2)) {
        this.add(join(p, 'sha2'), 'INVALID_SHA2', `sha2 must be a SHA-2 hash as hex (64 digits for SHA-256)`);
      }
      if (o.fileUrl != null) this.iri(o.fileUrl, join(p, 'fileUrl'), 'attachment fileUrl', 'XAPI-00104');
    });
  }

  authority(v: unknown, path: string): void {
    const o = this.actor(v, path, 'authority');
    if (o === undefined || o.objectType !== 'Group') return;
    const member = o.member;
    const identified = IFI_KEYS.some((k) => o[k] != null);
    if (identified || !Array.isArray(member) || member.length !== 2) {
      this.add(
        path,
        'AUTHORITY_GROUP',
        `a Group authority must be an anonymous Group of exactly two Agents (the OAuth consumer and user)`,
      );
    }
  }

  statement(o: Obj, path: string, sub: boolean): void {
    if (sub) {
      for (const k in o) {
        if (SUBSTATEMENT_FORBIDDEN.has(k)) {
          this.add(
            join(path, k),
            'SUBSTATEMENT_PROPERTY',
            `a SubStatement must not have "${k}"`,
            SUBSTATEMENT_REQUIREMENT[k],
          );
        }
      }
      const rest: Obj = {};
      for (const k in o) if (!SUBSTATEMENT_FORBIDDEN.has(k)) rest[k] = o[k];
      this.keys(rest, path, SUBSTATEMENT_KEYS, 'a SubStatement');
    } else {
      this.keys(o, path, STATEMENT_KEYS, 'a Statement');
      if (o.id != null) this.uuid(o.id, join(path, 'id'), 'statement id', 'XAPI-00027');
      if (o.stored != null) this.timestamp(o.stored, join(path, 'stored'), 'stored', 'XAPI-00023');
      if (o.authority != null) this.authority(o.authority, join(path, 'authority'));
      if (o.version != null) {
        const p = join(path, 'version');
        if (this.string(o.version, p, 'version') && !/^1\.0(?:\.\d+)?$/.test(o.version)) {
          this.add(p, 'INVALID_VERSION', `version must be "1.0.x" (e.g. "1.0.3"), got "${o.version}"`);
        }
      }
    }
    const what = sub ? 'a SubStatement' : 'a Statement';
    const actor = this.required(o, 'actor', path, what);
    if (actor !== undefined) this.actor(actor, join(path, 'actor'), 'actor');
    const verb = this.required(o, 'verb', path, what);
    const vo = verb === undefined ? undefined : this.verb(verb, join(path, 'verb'));
    const object = this.required(o, 'object', path, what);
    const objectType =
      object === undefined ? undefined : this.statementObject(object, join(path, 'object'), sub);
    if (
      vo !== undefined &&
      vo.id === VERBS.voided &&
      objectType !== undefined &&
      objectType !== 'StatementRef'
    ) {
      this.add(
        join(path, 'object'),
        'VOIDING_OBJECT_NOT_STATEMENTREF',
        `a voiding statement (verb ${VERBS.voided}) must have a StatementRef object, not ${objectType}`,
      );
    }
    if (o.result != null) this.result(o.result, join(path, 'result'));
    if (o.context != null) this.context(o.context, join(path, 'context'), objectType);
    if (o.timestamp != null) this.timestamp(o.timestamp, join(path, 'timestamp'), 'timestamp', 'XAPI-00022');
    if (o.attachments != null) this.attachments(o.attachments, join(path, 'attachments'));
  }
}

/**
 * Validates a parsed JSON value as an xAPI 1.0.3 statement (or, with `substatement`, as a
 * SubStatement) against every rule of the Data document an LRS enforces, collecting every issue.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#24-statement-properties
 */
export function validateStatement(value: unknown, options?: ValidateStatementOptions): Validation<Statement> {
  const c = new Checker();
  const sub = options?.substatement === true;
  const o = c.object(value, '', sub ? 'a SubStatement' : 'a Statement');
  if (o !== undefined) {
    if (sub && o.objectType !== 'SubStatement') {
      c.add('objectType', 'INVALID_OBJECT_TYPE', `a SubStatement's objectType must be "SubStatement"`);
    }
    c.statement(o, '', sub);
  }
  return c.errors.length === 0 ? { ok: true, value: value as Statement } : { ok: false, errors: c.errors };
}

/**
 * Validates the `agent` parameter of the State, Agent Profile and Agents resources: an Agent or an
 * identified Group (exactly one inverse functional identifier).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#23-state-resource
 */
export function validateAgent(value: unknown, path = 'agent'): Validation<Agent | IdentifiedGroup> {
  const c = new Checker();
  const o = c.object(value, path, path);
  if (o !== undefined) {
    const t = o.objectType;
    if (t === 'Group') c.group(o, path, path, 'identified');
    else if (t == null || t === 'Agent') c.agent(o, path, path);
    else
      c.add(join(path, 'objectType'), 'INVALID_OBJECT_TYPE', `${path}.objectType must be "Agent" or "Group"`);
  }
  return c.errors.length === 0
    ? { ok: true, value: value as Agent | IdentifiedGroup }
    : { ok: false, errors: c.errors };
}
