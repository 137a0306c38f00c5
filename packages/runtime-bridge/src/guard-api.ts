/**
 * The API object course code calls: the SCORM method names over a `@scormflow/cmi` API, each
 * wrapped so that no argument and no fault can throw into the course.
 * @see SCORM 2004 4th Edition RTE 3.1.2 (API methods return characterstrings), SCORM 1.2 RTE 3.3
 */
import type { Scorm12Api, Scorm2004Api, ScormVersion } from '@scormflow/cmi';

/** The SCORM method names in the order initialize, terminate, get, set, commit, last error, error string, diagnostic. */
export const METHOD_NAMES = {
  '1.2': [
    'LMSInitialize',
    'LMSFinish',
    'LMSGetValue',
    'LMSSetValue',
    'LMSCommit',
    'LMSGetLastError',
    'LMSGetErrorString',
    'LMSGetDiagnostic',
  ],
  '2004': [
    'Initialize',
    'Terminate',
    'GetValue',
    'SetValue',
    'Commit',
    'GetLastError',
    'GetErrorString',
    'GetDiagnostic',
  ],
} as const;

// what a method answers when something unexpected happens: a failed call, never an exception
const FALLBACK = ['false', 'false', '', 'false', 'false', '101', '', ''];

/** A SCORM API object as installed on a window: string in, string out. */
export type GuardedApi = Record<string, (...args: unknown[]) => string>;

/** Turns whatever content passes into a string the way SCORM wrappers expect, never throwing. */
function asString(value: unknown): unknown {
  if (typeof value === 'string' || value == null) return value;
  try {
    return String(value);
  } catch {
    return '';
  }
}

/**
 * Wraps a cmi API for course code. `onSet` sees each successful SetValue (the session is dirty);
 * `onCommitted` each successful Commit or Terminate.
 * @see SCORM 2004 4th Edition RTE 3.1.2 (API methods return characterstrings, never throw)
 */
export function guardApi(
  api: Scorm12Api | Scorm2004Api,
  version: ScormVersion,
  hooks: { onSet?: () => void; onCommitted?: () => void } = {},
): GuardedApi {
  const names = METHOD_NAMES[version];
  const raw = api as unknown as Record<string, (...args: unknown[]) => unknown>;
  const guarded: GuardedApi = {};
  names.forEach((name, i) => {
    guarded[name] = (...args: unknown[]): string => {
      try {
        const out = raw[name]!(asString(args[0]), asString(args[1]));
        const text = typeof out === 'string' ? out : String(out);
        if (text === 'true') {
          if (i === 3) hooks.onSet?.();
          else if (i === 1 || i === 4) hooks.onCommitted?.();
        }
        return text;
      } catch {
        return FALLBACK[i] as string;
      }
    };
  });
  return guarded;
}

/**
 * Ends a SCO with a suspend, as a SCO that suspends does: exit `suspend` (2004: and
 * `adl.nav.request` `suspendAll`), then LMSFinish / Terminate.
 * @see SCORM 2004 4th Edition RTE 4.2.8 (cmi.exit), 4.4 (adl.nav.request); SCORM 1.2 RTE 3.4.2 (cmi.core.exit)
 */
export function suspendApi(api: GuardedApi, version: ScormVersion): void {
  const v12 = version === '1.2';
  const [, finish, , set] = METHOD_NAMES[version];
  api[set]!(v12 ? 'cmi.core.exit' : 'cmi.exit', 'suspend');
  if (!v12) api[set]!('adl.nav.request', 'suspendAll');
  api[finish]!('');
}
