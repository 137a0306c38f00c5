/**
 * How the ADL test suite judges one returned value, re-implemented from its evaluator
 * (TestCaseEvaluator.evaluateCurrentResult) and the data-type `compare` rules it relies on
 * (durations, reals, localized strings, interaction response patterns).
 *
 * This oracle is deliberately independent of the package under test: it never calls the package's
 * own validators or parsers.
 */
import type { CtsCommand } from './decode.js';

/** What one call returned, plus what the runner observed while preparing it. */
export interface CtsObserved {
  value: string;
  errorCode: string;
  /** Set when the `&id&` placeholder could not be resolved (the suite fails such a step). */
  unresolved?: string;
  /** For CompareObjectiveIds: the ids read from `cmi.objectives.n.id`. */
  objectiveIds?: string[];
}

export interface CtsVerdict {
  ok: boolean;
  /** Why the step failed (empty when it passed). */
  reason: string;
}

const MAX_ERROR_TEXT = 255;

/**
 * Judges one step. `element` is the element actually called (placeholder resolved); `expected`
 * is the expected value after learner substitution.
 */
export function judge(cmd: CtsCommand, element: string, expected: string, got: CtsObserved): CtsVerdict {
  if (got.unresolved !== undefined) {
    return fail(`objective/data id "${got.unresolved}" was not found in the LMS`);
  }
  const params = cmd.args[0] ?? '';
  const errorOk = (): CtsVerdict =>
    got.errorCode === cmd.expectedErrorCode
      ? PASS
      : fail(`GetLastError() expected ${cmd.expectedErrorCode}, got ${got.errorCode}`);
  const both = (valueOk: boolean, what: string): CtsVerdict => {
    if (!valueOk) {
      const e = errorOk();
      return fail(`${what}${e.ok ? '' : `; ${e.reason}`}`);
    }
    return errorOk();
  };
  const valueMismatch = `expected ${show(expected)}, got ${show(got.value)}`;

  switch (cmd.method) {
    case 'CompareObjectiveIds': {
      const want = cmd.objectiveIds ?? [];
      const have = got.objectiveIds ?? [];
      if (want.length !== have.length) {
        return fail(
          `cmi.objectives._count: expected ${want.length} objectives, got ${have.length} (${have})`,
        );
      }
      const missing = have.filter((id) => !want.includes(id));
      return missing.length === 0 ? PASS : fail(`unexpected objective ids ${missing.join(', ')}`);
    }
    case 'GetValue': {
      if (params.includes('learner_name')) return errorOk();
      if (params.includes('request_valid.choice') || params.includes('request_valid.jump')) {
        return ['true', 'false', 'unknown'].includes(got.value)
          ? PASS
          : fail(`expected true, false or unknown, got ${show(got.value)}`);
      }
      if (!params.includes('_children') && params.includes('comments_from_lms')) {
        const c = got.errorCode;
        return c === '0' || c === '301' || c === '403' || (params === 'cmi.comments_from_lms' && c === '401')
          ? PASS
          : fail(`error ${c} is not an allowed answer for ${params}`);
      }
      const regular = (): CtsVerdict =>
        params.includes('request_valid')
          ? both(
              ['true', 'false', 'unknown'].includes(got.value),
              `expected true, false or unknown, got ${show(got.value)}`,
            )
          : both(typedEqual(element, expected, got.value, cmd.expectedType), valueMismatch);
      if (expected !== '' && !params.includes('_count')) return regular();
      if (params.includes('&') && params.includes('.id')) {
        const id = params.slice(params.indexOf('&') + 1, params.lastIndexOf('&'));
        return both(id === got.value, `expected id ${show(id)}, got ${show(got.value)}`);
      }
      if (got.value.startsWith('{') && !params.includes('_count')) return regular();
      return both(got.value === expected, valueMismatch);
    }
    case 'GetErrorString': {
      const ok =
        expected === 'less255'
          ? got.value.length < MAX_ERROR_TEXT
          : expected === 'emptyCS'
            ? got.value === ''
            : got.value === expected;
      return both(ok, `expected ${expected}, got ${show(got.value)}`);
    }
    case 'GetDiagnostic':
      return both(
        got.value.length < MAX_ERROR_TEXT,
        `expected less than 255 characters, got ${got.value.length}`,
      );
    default:
      return both(got.value === expected, valueMismatch);
  }
}

const PASS: CtsVerdict = { ok: true, reason: '' };
function fail(reason: string): CtsVerdict {
  return { ok: false, reason };
}
function show(s: string): string {
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 117)}...` : s);
}

type Kind = 'duration' | 'real' | 'localized' | 'language' | 'response' | 'exact';

/** Element name with indices replaced by `n` (`cmi.interactions.n.latency`). */
function pattern(element: string): string {
  return element.replace(/\.\d+(?=\.|$)/g, '.n');
}

const KINDS: Record<string, Kind> = {
  'cmi.total_time': 'duration',
  'cmi.max_time_allowed': 'duration',
  'cmi.session_time': 'duration',
  'cmi.interactions.n.latency': 'duration',
  'cmi.score.scaled': 'real',
  'cmi.score.raw': 'real',
  'cmi.score.min': 'real',
  'cmi.score.max': 'real',
  'cmi.progress_measure': 'real',
  'cmi.scaled_passing_score': 'real',
  'cmi.completion_threshold': 'real',
  'cmi.interactions.n.weighting': 'real',
  'cmi.learner_preference.audio_level': 'real',
  'cmi.learner_preference.delivery_speed': 'real',
  'cmi.objectives.n.score.scaled': 'real',
  'cmi.objectives.n.score.raw': 'real',
  'cmi.objectives.n.score.min': 'real',
  'cmi.objectives.n.score.max': 'real',
  'cmi.objectives.n.progress_measure': 'real',
  'cmi.interactions.n.description': 'localized',
  'cmi.objectives.n.description': 'localized',
  'cmi.comments_from_learner.n.comment': 'localized',
  'cmi.comments_from_lms.n.comment': 'localized',
  'cmi.learner_preference.language': 'language',
  'cmi.interactions.n.learner_response': 'response',
  'cmi.interactions.n.correct_responses.n.pattern': 'response',
};

/** Equality in the sense of the element's data type, as the suite's data model compares. */
export function typedEqual(element: string, expected: string, returned: string, type?: string): boolean {
  const name = pattern(element);
  // The suite's _children element compares the listed names as a set (it even shuffles them).
  if (name.endsWith('._children')) {
    const a = expected.split(',').map((x) => x.trim());
    const b = returned.split(',').map((x) => x.trim());
    return a.length === b.length && new Set(b).size === b.length && a.every((x) => b.includes(x));
  }
  switch (KINDS[name] ?? 'exact') {
    case 'duration': {
      const a = durationKey(expected);
      const b = durationKey(returned);
      return a !== null && a === b;
    }
    case 'real':
      return realEqual(expected, returned);
    case 'localized': {
      const a = splitLang(expected);
      const b = splitLang(returned);
      return a.lang.toLowerCase() === b.lang.toLowerCase() && a.text === b.text;
    }
    case 'language':
      return expected.toLowerCase() === returned.toLowerCase();
    case 'response':
      return type
        ? responseEqual(type, name.endsWith('.pattern'), expected, returned)
        : expected === returned;
    default:
      return expected === returned;
  }
}

function realEqual(a: string, b: string): boolean {
  if (a.trim() === '' || b.trim() === '') return a.trim() === b.trim();
  const x = Number(a);
  const y = Number(b);
  return !Number.isNaN(x) && x === y;
}

/**
 * A duration (ISO 8601 `P[nY][nM][nD][T[nH][nM][n[.n]S]]`) as one number; years and months use a
 * fixed length, which is enough to decide equality of two spellings of the same duration.
 */
export function durationKey(s: string): number | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s);
  if (m === null || s === 'P' || s.endsWith('T')) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  const cs = Math.round(n(6) * 100);
  return ((((n(1) * 12 + n(2)) * 31 + n(3)) * 24 + n(4)) * 60 + n(5)) * 6000 + cs;
}

function splitLang(s: string): { lang: string; text: string } {
  if (s.startsWith('{lang=')) {
    const close = s.indexOf('}');
    if (close !== -1) return { lang: s.slice(6, close), text: s.slice(close + 1) };
  }
  return { lang: 'en', text: s };
}

/** Leading delimiters (`{lang=..}`, `{case_matters=..}`, `{order_matters=..}`) in any order. */
function delimiters(s: string, names: readonly string[]): { delims: Map<string, string>; body: string } {
  const delims = new Map<string, string>();
  let body = s;
  for (;;) {
    const m = /^\{([a-z_]+)=([^}]*)\}/.exec(body);
    if (m === null || !names.includes(m[1] as string) || delims.has(m[1] as string)) break;
    delims.set(m[1] as string, m[2] as string);
    body = body.slice(m[0].length);
  }
  return { delims, body };
}

function stripFlags(s: string): { caseMatters: boolean; orderMatters: boolean; body: string } {
  const { delims, body } = delimiters(s, ['case_matters', 'order_matters']);
  return {
    caseMatters: delims.get('case_matters') === 'true',
    orderMatters: delims.get('order_matters') !== 'false',
    body,
  };
}

const SEP = '[,]';

function sameMultiset(a: string[], b: string[], eq: (x: string, y: string) => boolean): boolean {
  if (a.length !== b.length) return false;
  const used = new Array<boolean>(b.length).fill(false);
  for (const x of a) {
    const j = b.findIndex((y, k) => !used[k] && eq(x, y));
    if (j === -1) return false;
    used[j] = true;
  }
  return true;
}

function responseEqual(type: string, isPattern: boolean, expected: string, returned: string): boolean {
  const e = stripFlags(expected);
  const r = stripFlags(returned);
  switch (type) {
    case 'choice':
      return (
        setOf(e.body).size === setOf(r.body).size && [...setOf(e.body)].every((x) => setOf(r.body).has(x))
      );
    case 'fill-in': {
      const caseMatters = e.caseMatters || r.caseMatters;
      const orderMatters = e.orderMatters && r.orderMatters;
      const eq = (x: string, y: string) => {
        const a = splitLang(x);
        const b = splitLang(y);
        if (a.lang.toLowerCase() !== b.lang.toLowerCase()) return false;
        return caseMatters ? a.text === b.text : a.text.toLowerCase() === b.text.toLowerCase();
      };
      const a = e.body.split(SEP);
      const b = r.body.split(SEP);
      if (a.length !== b.length) return false;
      return orderMatters ? a.every((x, i) => eq(x, b[i] ?? '')) : sameMultiset(a, b, eq);
    }
    case 'long-fill-in': {
      const a = delimiters(expected, ['lang', 'case_matters']);
      const b = delimiters(returned, ['lang', 'case_matters']);
      const lang = (d: Map<string, string>) => (d.get('lang') ?? 'en').toLowerCase();
      if (lang(a.delims) !== lang(b.delims)) return false;
      const caseMatters = a.delims.get('case_matters') === 'true' || b.delims.get('case_matters') === 'true';
      return caseMatters ? a.body === b.body : a.body.toLowerCase() === b.body.toLowerCase();
    }
    case 'matching':
    case 'performance': {
      if (e.body.trim() === '' || r.body.trim() === '') return e.body.trim() === r.body.trim();
      const a = e.body.split(SEP);
      const b = r.body.split(SEP);
      if (type === 'performance' && !(e.orderMatters && r.orderMatters))
        return sameMultiset(a, b, (x, y) => x === y);
      return a.length === b.length && a.every((x, i) => x === b[i]);
    }
    case 'sequencing': {
      const a = e.body.split(SEP);
      const b = r.body.split(SEP);
      return a.length === b.length && a.every((x, i) => x === b[i]);
    }
    case 'numeric': {
      if (!isPattern) return realEqual(e.body, r.body);
      const [emin = '', emax = ''] = splitRange(e.body);
      const [rmin = '', rmax = ''] = splitRange(r.body);
      return realEqual(emin, rmin) && realEqual(emax, rmax);
    }
    default:
      return e.body === r.body;
  }
}

function setOf(s: string): Set<string> {
  return new Set(s.split(SEP));
}

function splitRange(s: string): [string, string] {
  const i = s.indexOf('[:]');
  return i === -1 ? [s, ''] : [s.slice(0, i), s.slice(i + 3)];
}
