/**
 * The version-neutral core of the run-time data model: element-name parsing through a precompiled
 * pattern table, flat value storage, collection index rules, dependency and uniqueness checks. The
 * SCORM 1.2 and 2004 tables (`model-12.ts`, `model-2004.ts`) describe the elements; this file runs
 * them. Failures are reason numbers mapped to each version's error codes by its table, so no
 * exception and no closure is created on the GetValue/SetValue path.
 */

/** Internal failure reasons; each version maps them to its own SCORM error codes. */
export const R_OK = 0;
export const R_UNDEF = 1;
export const R_NO_CHILDREN = 2;
export const R_NO_COUNT = 3;
export const R_WRITE_ONLY = 4;
export const R_READ_ONLY = 5;
export const R_KEYWORD = 6;
export const R_NOT_INIT = 7;
export const R_INDEX_GET = 8;
export const R_INDEX_SET = 9;
export const R_TYPE = 10;
export const R_RANGE = 11;
export const R_DEPENDENCY = 12;
export const R_SET_FAIL = 13;
export const R_EMPTY_GET = 14;
export const R_EMPTY_SET = 15;
export const R_SPM = 16;

/** The rule each reason stands for, named in GetDiagnostic. One copy for both versions. */
export const RULES: readonly string[] = [
  '',
  'undefined element',
  'has no children',
  'has no count',
  'write only',
  'read only',
  'keyword is read only',
  'not initialized',
  'index out of range',
  'index leaves a gap',
  'type mismatch',
  'value out of range',
  'dependency not established',
  'value refused',
  'empty element name',
  'empty element name',
  'value exceeds the SPM',
];

/**
 * Deviations from the data types that the tolerant (default) mode keeps; strict mode refuses them.
 * @see SCORM 2004 4th Edition RTE 4.1.1 (data types, smallest permitted maximums)
 * @see SCORM 1.2 RTE 3.4.2 (CMI data types)
 */
export const DEVIATIONS = [
  'SPM_EXCEEDED',
  'TIMESPAN_HOURS',
  'IDENTIFIER_LENIENT',
  'FEEDBACK_LENIENT',
] as const;
export type DeviationCode = (typeof DEVIATIONS)[number];
export const DEV_SPM = 100;
export const DEV_TIMESPAN_HOURS = 101;
export const DEV_IDENTIFIER = 102;
export const DEV_FEEDBACK = 103;

/**
 * A value kept in tolerant mode that strict mode would have refused.
 * @see SCORM 2004 4th Edition RTE 4.1.1 (an LMS may store more than the SPM)
 */
export interface CmiDiagnostic {
  readonly code: DeviationCode;
  readonly element: string;
  /** Length of the accepted value, in UTF-16 code units. */
  readonly length: number;
  /** How many accepted commits carried a deviating value for this element. */
  readonly count: number;
}

/** Returns 0, an `R_*` reason, or a `DEV_*` deviation code. */
export type Validator = (value: string, m: Engine, p: Parsed) => number;

export const RULE_UNIQUE_ID = 1;
export const RULE_IMMUTABLE_UNIQUE_ID = 2;
export const RULE_INTERACTION_TYPE = 3;
export const RULE_PATTERN = 4;
export const RULE_SHARED_STORE = 5;

export interface ElementDef {
  /** 1 readable, 2 writable, 3 both. */
  readonly a: number;
  readonly v?: Validator;
  /** Value returned before anything is set; without one GetValue reports "not initialized". */
  readonly d?: string;
  /** Record fields that must be set first: [collection level, field name]. */
  readonly dep?: readonly (readonly [number, string])[];
  /** Computed value (the LMS's evaluation rules); undefined falls back to the stored value. */
  readonly g?: (m: Engine, p: Parsed) => string | undefined;
  /** A special rule (a `RULE_*` constant). */
  readonly x?: number;
}

export interface VersionSpec {
  readonly version: string;
  readonly defs: ReadonlyMap<string, ElementDef>;
  readonly children: ReadonlyMap<string, string>;
  /** Collection patterns, e.g. `cmi.interactions.n.objectives`. */
  readonly collections: ReadonlySet<string>;
  /** What an element nobody set reads as when it has no default ('' in SCORM 1.2); none: 403. */
  readonly blank?: string;
  /** SCORM error code per reason (indexed by the `R_*` constants). */
  readonly codes: readonly number[];
}

/**
 * The `_children` list of each parent, derived from the element table: the distinct name segments
 * directly below the parent (below its records for a collection), in table order. Elements under
 * an `unlisted` prefix are left out.
 */
export function childrenOf(
  defs: ReadonlyMap<string, ElementDef>,
  parents: readonly string[],
  unlisted: readonly string[] = [],
): Map<string, string> {
  const children = new Map<string, string>();
  for (const parent of parents) {
    const names: string[] = [];
    for (const el of defs.keys()) {
      if (!el.startsWith(parent + '.') || unlisted.some((u) => el.startsWith(u))) continue;
      const below = el.startsWith(parent + '.n.') ? parent.length + 3 : parent.length + 1;
      const name = el.slice(below).split('.')[0] as string;
      if (!names.includes(name)) names.push(name);
    }
    children.set(parent, names.join(','));
  }
  return children;
}

/** The collection patterns of the element table: every prefix that an `n` segment follows. */
export function collectionsOf(defs: ReadonlyMap<string, ElementDef>): Set<string> {
  const collections = new Set<string>();
  for (const el of defs.keys()) {
    for (let i = el.indexOf('.n.'); i >= 0; i = el.indexOf('.n.', i + 1)) collections.add(el.slice(0, i));
  }
  return collections;
}

export interface Parsed {
  readonly def: ElementDef | undefined;
  /** 0 none, 1 _children, 2 _count, 3 _version */
  readonly kw: number;
  /** The element's pattern with indexes replaced by `n` (without the keyword). */
  readonly pat: string;
  readonly idx: readonly number[];
  /** Concrete collection keys per index level, e.g. `cmi.interactions`, `cmi.interactions.0.objectives`. */
  readonly colls: readonly string[];
  /** Concrete record prefixes per index level, e.g. `cmi.interactions.0`. */
  readonly recs: readonly string[];
  /** The `{target=...}` argument of adl.nav.request_valid.choice/jump. */
  readonly arg: string;
  /** The concrete element name without its keyword (the storage key). */
  readonly key: string;
}

const CACHE_LIMIT = 4096;
const CACHES = new WeakMap<VersionSpec, Map<string, Parsed>>();
const KEYWORDS: Record<string, number> = { _children: 1, _count: 2, _version: 3 };
const TARGET_PREFIXES = ['adl.nav.request_valid.choice.', 'adl.nav.request_valid.jump.'];
const EMPTY: readonly never[] = [];
const NON_CANONICAL = 2 ** 31;

function isIndex(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 9) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Parses an element name against a version's table. Pure; the engine caches the result. */
export function parseElement(spec: VersionSpec, el: string): Parsed {
  for (const prefix of TARGET_PREFIXES) {
    if (el.startsWith(prefix)) {
      const rest = el.slice(prefix.length);
      const ok = rest.startsWith('{target=') && rest.endsWith('}') && rest.length > 9;
      const pat = prefix.slice(0, -1);
      return {
        def: ok ? spec.defs.get(pat) : undefined,
        kw: 0,
        pat,
        idx: EMPTY,
        colls: EMPTY,
        recs: EMPTY,
        arg: ok ? rest.slice(8, -1) : '',
        key: el,
      };
    }
  }
  const segs = el.split('.');
  let kw = 0;
  const last = segs[segs.length - 1] ?? '';
  if (last in KEYWORDS && segs.length > 1) {
    kw = KEYWORDS[last] ?? 0;
    segs.pop();
  }
  let pat = '';
  let concrete = '';
  const idx: number[] = [];
  const colls: string[] = [];
  const recs: string[] = [];
  let bad = false;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as string;
    if (s === '') bad = true;
    const sep = i === 0 ? '' : '.';
    if (isIndex(s)) {
      if (!spec.collections.has(pat)) bad = true;
      // a non-canonical index ("01") names a collection slot that can never exist
      idx.push(s.length > 1 && s.charCodeAt(0) === 48 ? NON_CANONICAL : Number(s));
      colls.push(concrete);
      concrete += sep + s;
      recs.push(concrete);
      pat += sep + 'n';
    } else {
      concrete += sep + s;
      pat += sep + s;
    }
  }
  // choice and jump validity need a {target=...}
  if (TARGET_PREFIXES.includes(pat + '.')) bad = true;
  return {
    def: bad || kw !== 0 ? undefined : spec.defs.get(pat),
    kw: bad ? -1 : kw,
    pat,
    idx,
    colls,
    recs,
    arg: '',
    key: concrete,
  };
}

/** LMS-side facts the engine needs while the SCO runs. */
export interface EngineContext {
  readonly strict: boolean;
  /** adl.data.n permissions, by index. */
  readonly shared: readonly { readonly read: boolean; readonly write: boolean }[];
  /** Answers for adl.nav.request_valid.*: `continue`, `previous`, `choice.<id>`, `jump.<id>`. */
  readonly nav: Readonly<Record<string, string>>;
}

/**
 * One learner session's data model. `values` and `counts` are the whole state; `ops` is the
 * ordered, coalesced list of successful SetValue calls since the last commit.
 */
export class Engine {
  readonly values: Map<string, string>;
  readonly counts: Map<string, number>;
  readonly ops = new Map<string, string>();
  readonly diags: Map<string, CmiDiagnostic>;
  /**
   * Elements set since the last commit. Their deviations are judged when noted, on the values and
   * the state as they are then: a commit's diff keeps an element at its first set, so the server
   * replays a value before elements the content set before its last set (an interaction's type
   * before its response), and a judgement at set time would differ between the two sides.
   */
  private readonly touched = new Set<string>();
  /** The last reason (an `R_*` constant); the API maps it to a code. */
  reason = 0;
  /** The element of the last failure, for GetDiagnostic. */
  failed = '';
  /** Parsed element names, shared by every engine of the same version (parsing is pure). */
  private readonly cache: Map<string, Parsed>;

  constructor(
    readonly spec: VersionSpec,
    readonly ctx: EngineContext,
    values?: Iterable<readonly [string, string]>,
    counts?: Iterable<readonly [string, number]>,
    diags?: Iterable<CmiDiagnostic>,
  ) {
    this.values = new Map(values);
    this.counts = new Map(counts);
    this.diags = new Map();
    let cache = CACHES.get(spec);
    if (cache === undefined) {
      cache = new Map();
      CACHES.set(spec, cache);
    }
    this.cache = cache;
    for (const d of diags ?? EMPTY) this.diags.set(d.code + ' ' + d.element, d);
  }

  parse(el: string): Parsed {
    let p = this.cache.get(el);
    if (p === undefined) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      p = parseElement(this.spec, el);
      this.cache.set(el, p);
    }
    return p;
  }

  private fail(reason: number, el: string): false {
    this.reason = reason;
    this.failed = el;
    return false;
  }

  /** The stored or computed value, or undefined with `reason` set. */
  get(el: string): string | undefined {
    if (el === '') {
      this.fail(R_EMPTY_GET, el);
      return undefined;
    }
    const p = this.parse(el);
    const def = p.def;
    if (def === undefined) {
      this.fail(this.keywordGet(p), el);
      return this.reason === R_OK ? this.keywordValue(p) : undefined;
    }
    if ((def.a & 1) === 0) {
      this.fail(R_WRITE_ONLY, el);
      return undefined;
    }
    const idx = p.idx;
    if (!this.inRange(p)) {
      this.fail(R_INDEX_GET, el);
      return undefined;
    }
    if (def.x === RULE_SHARED_STORE && this.ctx.shared[idx[0] as number]?.read === false) {
      this.fail(R_WRITE_ONLY, el);
      return undefined;
    }
    let v = def.g === undefined ? undefined : def.g(this, p);
    if (v === undefined) v = this.values.get(el) ?? def.d ?? this.spec.blank;
    // a shared store written as "" holds no data, as in the ADL reference LMS
    if (v === undefined || (v === '' && def.x === RULE_SHARED_STORE)) {
      this.fail(R_NOT_INIT, el);
      return undefined;
    }
    this.reason = R_OK;
    return v;
  }

  /** Whether a keyword names something that exists (`cmi._version`, a known element's keyword). */
  private known(p: Parsed): boolean {
    const s = this.spec;
    return p.kw === 3
      ? p.pat === 'cmi'
      : s.defs.has(p.pat) || s.children.has(p.pat) || s.collections.has(p.pat);
  }

  private keywordGet(p: Parsed): number {
    const spec = this.spec;
    if (p.kw <= 0 || !this.known(p)) return R_UNDEF;
    if (p.kw === 3) return R_OK;
    if (p.kw === 1) return spec.children.has(p.pat) ? R_OK : R_NO_CHILDREN;
    if (!spec.collections.has(p.pat)) return R_NO_COUNT;
    return this.inRange(p) ? R_OK : R_INDEX_GET;
  }

  /** Whether every index of the element names an existing record. */
  private inRange(p: Parsed): boolean {
    const idx = p.idx;
    for (let i = 0; i < idx.length; i++) {
      if ((idx[i] as number) >= (this.counts.get(p.colls[i] as string) ?? 0)) return false;
    }
    return true;
  }

  /** Whether another record of the collection already has `value` in `field`. */
  private taken(coll: string, own: number, field: string, value: string): boolean {
    const count = this.counts.get(coll) ?? 0;
    for (let i = 0; i < count; i++) {
      if (i !== own && this.values.get(coll + '.' + i + field) === value) return true;
    }
    return false;
  }

  private keywordValue(p: Parsed): string {
    if (p.kw === 3) return this.spec.version;
    if (p.kw === 1) return this.spec.children.get(p.pat) ?? '';
    return String(this.counts.get(p.key) ?? 0);
  }

  /** Validates and stores; false with `reason` set on failure (nothing changes then). */
  set(el: string, value: string): boolean {
    if (el === '') return this.fail(R_EMPTY_SET, el);
    const p = this.parse(el);
    const def = p.def;
    if (def === undefined) {
      return this.fail(p.kw > 0 && this.known(p) ? R_KEYWORD : R_UNDEF, el);
    }
    if ((def.a & 2) === 0) return this.fail(R_READ_ONLY, el);
    const idx = p.idx;
    const depth = idx.length;
    let appends = false;
    for (let i = 0; i < depth; i++) {
      const count = this.counts.get(p.colls[i] as string) ?? 0;
      const n = idx[i] as number;
      if (n > count) return this.fail(R_INDEX_SET, el);
      if (n === count) {
        if (i < depth - 1) return this.fail(R_DEPENDENCY, el);
        appends = true;
      }
    }
    if (def.x === RULE_SHARED_STORE) {
      if (appends) return this.fail(R_INDEX_SET, el);
      if (this.ctx.shared[idx[0] as number]?.write === false) return this.fail(R_READ_ONLY, el);
    }
    const dep = def.dep;
    if (dep !== undefined) {
      for (const [level, field] of dep) {
        if (!this.values.has((p.recs[level] as string) + '.' + field)) return this.fail(R_DEPENDENCY, el);
      }
    }
    if (def.x === RULE_PATTERN && (idx[depth - 1] as number) > 0) {
      if (SINGLE_PATTERN.includes(this.values.get(p.recs[0] + '.type') ?? ''))
        return this.fail(R_SET_FAIL, el);
    }
    if (def.v !== undefined) {
      const r = def.v(value, this, p);
      if (r !== 0) {
        if (r < 100) return this.fail(r, el);
        if (this.ctx.strict) return this.fail(r === DEV_SPM ? R_SPM : R_TYPE, el);
      }
    }
    if (def.x !== undefined && def.x !== RULE_SHARED_STORE) {
      const r = this.special(def.x, p, el, value);
      if (r !== 0) return this.fail(r, el);
    }
    if (appends) {
      const key = p.colls[depth - 1] as string;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
    this.values.set(el, value);
    this.ops.set(el, value);
    this.touched.add(el);
    this.reason = R_OK;
    return true;
  }

  /** Records the deviations of the values being committed; called once per accepted commit. */
  commitNotes(): void {
    for (const d of this.noted()) this.diags.set(d.code + ' ' + d.element, d);
    this.touched.clear();
  }

  /** The deviations of the values set since the last commit (only the last value of each counts). */
  private noted(): CmiDiagnostic[] {
    const out: CmiDiagnostic[] = [];
    for (const element of this.touched) {
      const value = this.values.get(element) as string;
      const p = this.parse(element);
      // 1..99: a value the state no longer admits (a type changed since); recorded by no side, as
      // nothing is in strict mode (which refuses deviations when they are set).
      const dev = p.def?.v?.(value, this, p) ?? 0;
      if (dev < 100 || this.ctx.strict) continue;
      const code = DEVIATIONS[dev - 100] as DeviationCode;
      const prev = this.diags.get(code + ' ' + element);
      out.push({ code, element, length: value.length, count: (prev?.count ?? 0) + 1 });
    }
    return out;
  }

  private special(rule: number, p: Parsed, el: string, value: string): number {
    const depth = p.idx.length;
    const coll = p.colls[depth - 1] as string;
    const own = p.idx[depth - 1] as number;
    if (rule === RULE_UNIQUE_ID || rule === RULE_IMMUTABLE_UNIQUE_ID) {
      const current = this.values.get(el);
      if (current === value) return 0;
      if (rule === RULE_IMMUTABLE_UNIQUE_ID && current !== undefined) return R_SET_FAIL;
      return this.taken(coll, own, '.id', value) ? R_SET_FAIL : 0;
    }
    if (rule === RULE_INTERACTION_TYPE) {
      const current = this.values.get(el);
      if (current === undefined || current === value) return 0;
      return (this.counts.get(p.recs[0] + '.correct_responses') ?? 0) > 0 ? R_SET_FAIL : 0;
    }
    if (rule === RULE_PATTERN) {
      const type = this.values.get(p.recs[0] + '.type');
      if ((type === 'choice' || type === 'sequencing') && this.taken(coll, own, '.pattern', value))
        return R_SET_FAIL;
    }
    return 0;
  }

  /**
   * Recorded deviations, including those of values not committed yet, by element then code: the
   * same list whichever order the values were set in (a commit's diff keeps an element at its first
   * set, so the server replays them in another order than the content set them).
   */
  diagnostics(): CmiDiagnostic[] {
    const merged = new Map(this.diags);
    for (const d of this.noted()) merged.set(d.code + ' ' + d.element, d);
    // An element and a code name one deviation: no two keys are equal.
    return [...merged.values()].sort((a, b) =>
      a.element + ' ' + a.code < b.element + ' ' + b.code ? -1 : 1,
    );
  }
}

/** Interaction types whose correct_responses collection holds a single pattern. */
const SINGLE_PATTERN = ['true-false', 'likert', 'numeric', 'other'];
