/**
 * Decoder for the ADL SCORM 2004 4th Edition Conformance Test Suite LMS test-case scripts
 * (`TestCases/*.properties`) and their abbreviation dictionary (`Commands.properties`).
 *
 * The scripts are not read as Java properties: the suite's own generator reads them line by line
 * (a trailing backslash joins the next line, `####` lines are separators, the key ends at the first
 * `=`), groups consecutive `ActNVm.*` keys into one launch ("visit") of activity N, and keeps the
 * commands in file order. Every command is then expanded exactly as the suite's parser does it,
 * including its quirks (Java `String.split` dropping trailing empty strings, unknown abbreviations
 * passing through unchanged), because the expected results are defined by that expansion.
 *
 * @see https://github.com/adlnet/SCORM-2004-4ed-Test-Suite (LMSTestCaseGenerator, LMSParser, Command)
 */

/** API methods the test SCO calls, named as in the SCORM 2004 API. */
export const CTS_METHODS = [
  'Initialize',
  'Terminate',
  'Commit',
  'GetValue',
  'SetValue',
  'GetLastError',
  'GetErrorString',
  'GetDiagnostic',
  'CompareObjectiveIds',
] as const;
export type CtsMethod = (typeof CTS_METHODS)[number];

/** The suite's JavaScript function names (Commands.properties) mapped to API methods. */
const METHOD_BY_FUNCTION: Record<string, CtsMethod> = {
  doInitialize: 'Initialize',
  doTerminate: 'Terminate',
  doCommit: 'Commit',
  doGetValue: 'GetValue',
  doSetValue: 'SetValue',
  doGetLastError: 'GetLastError',
  doGetErrorString: 'GetErrorString',
  doGetDiagnostic: 'GetDiagnostic',
  compareObjIds: 'CompareObjectiveIds',
};

/** One scripted API call and the result the suite expects from it. */
export interface CtsCommand {
  /** Zero-based position in the visit. */
  index: number;
  /** The abbreviated source text (`SET->c~X!M.n->t->0`). */
  source: string;
  method: CtsMethod;
  /**
   * Arguments as the test SCO passes them: `[element]`, `[element, value]` or `[parameter]`.
   * An element may still hold an `&id&` placeholder that the SCO resolves at run time by searching
   * `cmi.objectives.n.id` / `adl.data.n.id` (see {@link resolvePlaceholder}).
   */
  args: string[];
  /** Expected return value after expansion (`true`, `completed`, `less255`, ...). */
  expectedResult: string;
  /** Expected `GetLastError()` after the call, as a string (`'0'`, `'351'`). */
  expectedErrorCode: string;
  /** Interaction type the suite uses to compare a response pattern (`GET ...!TY.c`). */
  expectedType?: string;
  /** The expected value is the launching learner's id or name, not a literal. */
  expectedLearner?: 'learner_id' | 'learner_name';
  /** For `CompareObjectiveIds`: the objective ids the LMS must hold. */
  objectiveIds?: string[];
}

/** One launch of one activity: `Act2V3` is the third delivery of activity `2`. */
export interface CtsVisit {
  key: string;
  activity: string;
  visit: number;
  commands: CtsCommand[];
  uiQuestions: string;
  uiAnswers: string;
  userInstructions: string;
}

export interface CtsTestCase {
  /** File name without extension (`CM-07a`). */
  name: string;
  /** The `title` line; the manifests' `?tc=` parameter uses it. */
  title: string;
  /** Family prefix: `API`, `CM`, `DMB`, `DMI`, `DDM`, `SX`, `RU`, `OB`, `CO`, `CT`, `MS`, `T`. */
  family: string;
  instructions: Record<string, string>;
  visits: CtsVisit[];
  /** Commands the decoder could not expand (the suite itself would throw on them). */
  errors: string[];
  /** Command lines the suite's parser silently ignores (no known API method abbreviation). */
  ignored: string[];
}

/** The abbreviation dictionary (`Commands.properties`), a real Java properties file. */
export type CtsDictionary = ReadonlyMap<string, string>;

/** Parses `Commands.properties` (Java properties syntax, the subset the file uses). */
export function parseDictionary(text: string): CtsDictionary {
  const map = new Map<string, string>();
  for (const logical of joinContinuations(text.split(/\r?\n/), true)) {
    const line = logical.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const sep = line.search(/[=:]/);
    const key = unescapeProperty(sep === -1 ? line : line.slice(0, sep)).trimEnd();
    const value = sep === -1 ? '' : unescapeProperty(line.slice(sep + 1).replace(/^[ \t\f]+/, ''));
    map.set(key, value);
  }
  return map;
}

function joinContinuations(lines: string[], stripLeading: boolean): string[] {
  const out: string[] = [];
  let acc: string | null = null;
  for (const raw of lines) {
    const line = acc !== null && stripLeading ? raw.replace(/^[ \t\f]+/, '') : raw;
    const joined: string = (acc ?? '') + line;
    if (joined.endsWith('\\')) {
      acc = joined.slice(0, -1);
    } else {
      out.push(joined);
      acc = null;
    }
  }
  if (acc !== null) out.push(acc);
  return out;
}

function unescapeProperty(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (e === 't') return '\t';
    if (e === 'n') return '\n';
    if (e === 'r') return '\r';
    if (e === 'f') return '\f';
    return e;
  });
}

/** `ResourceBundle.getString` as the suite wraps it: a missing key answers with the key itself. */
function lookup(dict: CtsDictionary, key: string, ...args: string[]): string {
  const v = dict.get(key);
  if (v === undefined) return key;
  let i = 0;
  return v.replace(/%s/g, () => args[i++] ?? '');
}

/** Java's `String.split(literal)`: trailing empty strings are removed (but `"".split` is `[""]`). */
export function javaSplit(s: string, sep: string): string[] {
  if (s === '') return [''];
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** The generator's `doUnicode`: `\uXXXX` becomes the character; any other backslash pair stays. */
function doUnicode(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

class DecodeError extends Error {}
class UnknownMethod extends DecodeError {}

function finalSplit(last: string): [string, string] {
  const bang = last.indexOf('!');
  if (bang === -1) throw new DecodeError(`no "!" in "${last}"`);
  if (bang === last.length - 1) return [last.slice(0, -1), ''];
  return [last.slice(0, bang), last.slice(bang + 1)];
}

function setParams(dict: CtsDictionary, key: string): string {
  const k = javaSplit(key, '~');
  const g = (s: string | undefined, ...a: string[]) => lookup(dict, s ?? '', ...a);
  let out = g(k[0]);
  if (k.length === 2) {
    const [f0, f1] = finalSplit(k[1] ?? '');
    out += `.${g(f0)}!${g(f1)}`;
  } else if (k.length === 3) {
    const [f0, f1] = finalSplit(k[2] ?? '');
    out += `.${g(k[1])}.${g(f0)}!${g(f1)}`;
  } else if (k.length === 4) {
    const [f0, f1] = finalSplit(k[3] ?? '');
    out += `.${g(k[1])}.${k[2]}.${g(f0)}!${g(f1)}`;
  } else if (k.length === 5) {
    if (key.includes('a~n~r')) {
      const t = javaSplit(k[2] ?? '', '!');
      if (t.length < 2) throw new DecodeError(`malformed navigation request "${key}"`);
      out += `.${g(k[1])}.${g(t[0])}!${g(t[1], k[3] ?? '')}${g(k[4])}`;
    } else {
      const t = javaSplit(k[4] ?? '', '!');
      if (t.length < 2) throw new DecodeError(`missing value in "${key}"`);
      out += `.${g(k[1])}.${g(k[2])}.${g(k[3])}.${g(t[0])}!${g(t[1])}`;
    }
  } else if (k.length === 6) {
    const [f0, f1] = finalSplit(k[5] ?? '');
    out += `.${g(k[1])}.${g(k[2])}.${g(k[3])}.${g(k[4])}.${g(f0)}!${g(f1)}`;
  }
  return out;
}

function getParams(dict: CtsDictionary, key: string): { element: string; type: string } {
  if (!key.includes('~')) return { element: key, type: '' };
  const t = javaSplit(key, '~');
  let type = '';
  if (t[1] === 'INTR' && key.includes('!')) {
    for (let j = 0; j < t.length; j++) {
      const part = t[j] ?? '';
      if (part.includes('!')) {
        const s = javaSplit(part, '!');
        type = lookup(dict, s[1] ?? '');
        t[j] = s[0] ?? '';
      }
    }
  }
  const g = (s: string | undefined, ...a: string[]) => lookup(dict, s ?? '', ...a);
  if (t.length === 6 && key.includes('a~n~r')) {
    return { element: `${g(t[0])}.${g(t[1])}.${g(t[2])}.${g(t[3])}.${g(t[4], t[5] ?? '')}`, type };
  }
  if (t.length === 4 && key.includes('a~n~r')) {
    return { element: `${g(t[0])}.${g(t[1])}.${g(t[2])}.${g(t[3])}`, type };
  }
  return { element: t.map((p) => g(p)).join('.'), type };
}

/** Splits a parameter string the way the test SCO does before calling the API (first `!`). */
function toArgs(params: string): string[] {
  const bang = params.indexOf('!');
  if (bang === -1) return [params];
  return [params.slice(0, bang), params.slice(bang + 1)];
}

/** Expands one abbreviated command (`GET->c~CS->unk->0`). */
export function decodeCommand(dict: CtsDictionary, source: string, index = 0): CtsCommand {
  const p = javaSplit(source, '->');
  const code = p[0] ?? '';
  const method = METHOD_BY_FUNCTION[lookup(dict, code)];
  if (method === undefined) throw new UnknownMethod(`unknown API method "${code}"`);
  const base = { index, source, method };
  switch (code) {
    case 'GET':
    case 'I':
    case 'C': {
      const { element, type } = getParams(dict, p[1] ?? '');
      let value = '';
      for (let i = 2; i < p.length - 1; i++) {
        const t = p[i] ?? '';
        const v = lookup(dict, t);
        value = v === '' && t !== '' ? t : v;
      }
      const cmd: CtsCommand = {
        ...base,
        args: toArgs(element),
        expectedResult: value,
        expectedErrorCode: p.length > 2 ? (p[p.length - 1] ?? '') : '',
      };
      if (type !== '') cmd.expectedType = type;
      const rawElement = p[1] ?? '';
      if (rawElement.includes('LN')) cmd.expectedLearner = 'learner_name';
      else if (rawElement.includes('LI')) cmd.expectedLearner = 'learner_id';
      return cmd;
    }
    case 'SET': {
      const element = setParams(dict, p[1] ?? '');
      let value = '';
      for (let i = 2; i < p.length - 1; i++) value = lookup(dict, p[i] ?? '');
      return {
        ...base,
        args: toArgs(element),
        expectedResult: value,
        expectedErrorCode: p.length > 2 ? (p[p.length - 1] ?? '') : '',
      };
    }
    case 'GES':
    case 'GeDi':
      return { ...base, args: [p[1] ?? ''], expectedResult: p[2] ?? '', expectedErrorCode: p[3] ?? '' };
    case 'GLE':
      return { ...base, args: [''], expectedResult: p[2] ?? '', expectedErrorCode: p[3] ?? '' };
    case 'T':
      return { ...base, args: [''], expectedResult: '', expectedErrorCode: '' };
    case 'COI': {
      const ids = javaSplit(p[1] ?? '', ',');
      return { ...base, args: [p[1] ?? ''], expectedResult: '', expectedErrorCode: '', objectiveIds: ids };
    }
    default:
      throw new DecodeError(`unknown API method "${code}"`);
  }
}

const INSTRUCTION_KEYS = new Set(['UserInterAct', 'start', 'purpose', 'RTDInit', 'seqInfo', 'TT', 'end']);

/** Decodes one test-case script. `name` is the file name without `.properties`. */
export function decodeTestCase(dict: CtsDictionary, name: string, text: string): CtsTestCase {
  const tc: CtsTestCase = {
    name,
    title: '',
    family: familyOf(name),
    instructions: {},
    visits: [],
    errors: [],
    ignored: [],
  };
  let current: CtsVisit | null = null;
  // The generator joins a trailing-backslash line with the next one verbatim (no trimming).
  for (const line of joinContinuations(text.split(/\r?\n/), false)) {
    if (line === '' || line.includes('####')) continue;
    const eq = line.indexOf('=');
    if (eq === -1) {
      tc.errors.push(`line without "=": ${line.slice(0, 80)}`);
      continue;
    }
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'title') {
      tc.title = value;
    } else if (INSTRUCTION_KEYS.has(key)) {
      tc.instructions[key] = value;
    } else if (key.includes('Act')) {
      const dot = key.indexOf('.');
      const visitKey = dot === -1 ? key : key.slice(0, dot);
      if (current === null || current.key !== visitKey) {
        const m = /^Act(.+?)V(\d+)$/.exec(visitKey);
        current = {
          key: visitKey,
          activity: m?.[1] ?? visitKey.slice(3, visitKey.indexOf('V')),
          visit: m ? Number(m[2]) : 0,
          commands: [],
          uiQuestions: '',
          uiAnswers: '',
          userInstructions: '',
        };
        tc.visits.push(current);
      }
      if (key.includes('UIQ')) current.uiQuestions = value;
      else if (key.includes('UIA')) current.uiAnswers = value;
      else if (key.includes('CUI')) current.userInstructions = value;
      else if (key.includes('commands')) {
        const source = doUnicode(value);
        try {
          current.commands.push(decodeCommand(dict, source, current.commands.length));
        } catch (e) {
          if (e instanceof UnknownMethod) tc.ignored.push(`${key}: ${e.message}`);
          else if (e instanceof DecodeError) tc.errors.push(`${key}: ${e.message}`);
          else throw e;
        }
      }
    }
  }
  return tc;
}

/** `CM-07a` -> `CM`, `DMB` -> `DMB`, `T-01a` -> `T`. */
export function familyOf(name: string): string {
  const dash = name.indexOf('-');
  return dash === -1 ? name : name.slice(0, dash);
}

/**
 * Finds the `&id&` placeholder in an element (`cmi.objectives.&obj1&.id`, `adl.data.&tarID_1&.store`).
 * The test SCO replaces it with the index of the record whose id matches, or `-1` when none does.
 */
export function resolvePlaceholder(
  element: string,
): { prefix: string; id: string; suffix: string; collection: 'objectives' | 'data' } | null {
  if (!element.includes('&')) return null;
  const parts = javaSplit(element, '&');
  const prefix = parts[0] ?? '';
  const collection = prefix.includes('data') ? 'data' : prefix.includes('objective') ? 'objectives' : null;
  if (collection === null) return null;
  return { prefix, id: parts[1] ?? '', suffix: parts[2] ?? '', collection };
}
