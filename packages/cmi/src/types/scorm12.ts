/**
 * SCORM 1.2 run-time data types.
 *
 * Pure, synchronous, allocation-light validators for the `LMSSetValue` hot path. Where real
 * content commonly departs from the letter of the 1.2 specification (identifiers with spaces,
 * learner texts as interaction responses, long hour fields), an `opts.lenient` flag accepts the
 * departure; without it the validators follow the specification.
 *
 * @see SCORM 1.2 Run-Time Environment (RTE) 3.4 data model and data types
 */
import type { LenientOptions } from './options.js';

export type { LenientOptions };

/** Controlled vocabularies of the SCORM 1.2 data model. */
export const VOCAB_12 = {
  /** @see RTE 1.2 3.4.2 cmi.core.lesson_status */
  status: ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'],
  /** @see RTE 1.2 3.4.2 cmi.core.exit (the empty string is a valid value) */
  exit: ['time-out', 'suspend', 'logout', ''],
  /** @see RTE 1.2 3.4.2 cmi.core.credit */
  credit: ['credit', 'no-credit'],
  /** @see RTE 1.2 3.4.2 cmi.core.entry */
  entry: ['ab-initio', 'resume', ''],
  /** @see RTE 1.2 3.4.2 cmi.core.lesson_mode */
  lessonMode: ['browse', 'normal', 'review'],
  /** @see RTE 1.2 3.4.2 cmi.interactions.n.type */
  interactionType: [
    'true-false',
    'choice',
    'fill-in',
    'matching',
    'performance',
    'sequencing',
    'likert',
    'numeric',
  ],
  /** @see RTE 1.2 3.4.2 cmi.interactions.n.result (a CMIDecimal is also accepted) */
  result: ['correct', 'wrong', 'unanticipated', 'neutral'],
  /** @see RTE 1.2 3.4.2 cmi.student_data.time_limit_action */
  timeLimitAction: ['exit,message', 'exit,no message', 'continue,message', 'continue,no message'],
} as const;

/** An interaction type of SCORM 1.2. @see RTE 1.2 3.4.2 cmi.interactions.n.type */
export type InteractionType12 = (typeof VOCAB_12.interactionType)[number];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * `CMIString255` / `CMIString4096`: any string of at most `max` characters.
 * @see RTE 1.2 3.4 CMIString255, CMIString4096
 */
export function isCMIString(value: string, max: number): boolean {
  return value.length <= max;
}

/**
 * `CMIDecimal`: a number with an optional minus sign and an optional decimal point
 * (`-12`, `0.5`, `.5`). No plus sign, exponent or digit grouping.
 * @see RTE 1.2 3.4 CMIDecimal
 */
export function isCMIDecimal(value: string): boolean {
  return isDecimalRange(value, 0, value.length);
}

function isDecimalRange(value: string, start: number, end: number): boolean {
  let i = start;
  if (i < end && value.charCodeAt(i) === 45 /* - */) i++;
  let digits = 0;
  while (i < end && isDigit(value.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < end && value.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < end && isDigit(value.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  return digits > 0 && i === end;
}

/**
 * Parses `H..H:MM:SS[.S...]` (any number of hour digits, minutes and seconds 00-59, at least one
 * fraction digit after a point) to centiseconds, rounding longer fractions, or returns null.
 */
function parseSpan(value: string): number | null {
  const n = value.length;
  let i = 0;
  let hours = 0;
  while (i < n && isDigit(value.charCodeAt(i))) {
    hours = hours * 10 + (value.charCodeAt(i) - 48);
    i++;
  }
  if (i === 0 || i + 6 > n || value.charCodeAt(i) !== 58 || value.charCodeAt(i + 3) !== 58) return null;
  const minutes = twoDigits(value, i + 1);
  const seconds = twoDigits(value, i + 4);
  if (minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return null;
  i += 6;
  let centis = 0;
  if (i < n) {
    if (value.charCodeAt(i) !== 46 /* . */ || i + 1 === n) return null;
    for (let k = i + 1; k < n; k++) {
      const d = value.charCodeAt(k);
      if (!isDigit(d)) return null;
      const place = k - i;
      if (place === 1) centis += (d - 48) * 10;
      else if (place === 2) centis += d - 48;
      else if (place === 3 && d >= 53) centis += 1;
    }
  }
  return ((hours * 60 + minutes) * 60 + seconds) * 100 + centis;
}

/** The number of leading digits: the width of the hour field of a timespan. */
function hourDigits(value: string): number {
  let i = 0;
  while (i < value.length && isDigit(value.charCodeAt(i))) i++;
  return i;
}

function twoDigits(value: string, i: number): number {
  const a = value.charCodeAt(i);
  const b = value.charCodeAt(i + 1);
  return isDigit(a) && isDigit(b) ? (a - 48) * 10 + (b - 48) : -1;
}

/**
 * `CMITimespan`: `HHHH:MM:SS.SS`, hours of 2 to 4 digits, minutes and seconds of exactly 2 digits
 * (00-59), an optional fraction of 1 or 2 digits. `lenient` accepts 1 or more than 4 hour digits
 * and longer fractions (`0000:00:05.125`, the millisecond precision of JavaScript clocks).
 * @see RTE 1.2 3.4 CMITimespan
 */
export function isCMITimespan(value: string, opts?: LenientOptions): boolean {
  if (parseSpan(value) === null) return false;
  if (opts?.lenient === true) return true;
  const digits = hourDigits(value);
  // strict: 2-4 hour digits and at most two fraction digits (`.` plus two)
  return digits >= 2 && digits <= 4 && value.length <= digits + 9;
}

/**
 * Parses a `CMITimespan` (with any number of hour digits and fraction digits, rounded to
 * centiseconds) to centiseconds, or returns null.
 * @see RTE 1.2 3.4 CMITimespan
 */
export function parseTimespan(value: string): number | null {
  return parseSpan(value);
}

/**
 * Formats centiseconds as a `CMITimespan`, `HHHH:MM:SS.SS` (for example `0001:02:03.45`). Hours
 * beyond 9999 keep all their digits, which only the lenient check accepts. Negative or non-finite
 * input is treated as zero.
 * @see RTE 1.2 3.4 CMITimespan
 */
export function formatTimespan(cs: number): string {
  const total = Number.isFinite(cs) && cs > 0 ? Math.round(cs) : 0;
  const hours = Math.floor(total / 360_000);
  const minutes = Math.floor((total % 360_000) / 6000);
  const seconds = Math.floor((total % 6000) / 100);
  const centis = total % 100;
  return `${String(hours).padStart(4, '0')}:${pad2(minutes)}:${pad2(seconds)}.${pad2(centis)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/**
 * `CMITime`: a time of day on a 24-hour clock, `HH:MM:SS[.S[S]]` with exactly two digits for
 * hours (00-23), minutes and seconds (00-59).
 * @see RTE 1.2 3.4 CMITime
 */
export function isCMITime(value: string): boolean {
  return (
    value.length <= 11 && hourDigits(value) === 2 && twoDigits(value, 0) <= 23 && parseSpan(value) !== null
  );
}

/**
 * `CMIIdentifier`: 1 to 255 characters with no white space or unprintable character (printable
 * ASCII without the space). `lenient` accepts spaces and any other printable character (non-ASCII
 * included), still 1 to 255 characters and no control character.
 * @see RTE 1.2 3.4 CMIIdentifier
 */
export function isCMIIdentifier(value: string, opts?: LenientOptions): boolean {
  return isIdentifierRange(value, 0, value.length, opts?.lenient === true);
}

function isIdentifierRange(value: string, start: number, end: number, lenient: boolean): boolean {
  const length = end - start;
  if (length < 1 || length > 255) return false;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (lenient) {
      if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) return false;
    } else if (c <= 0x20 || c >= 0x7f) {
      return false;
    }
  }
  return true;
}

/** A strict 1.2 response character: a single digit or letter. */
function isResponseChar(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** A list `x,y,z` (optionally wrapped in `{}`) of single characters, or of `x.y` pairs. */
function isList(value: string, pairs: boolean): boolean {
  let start = 0;
  let end = value.length;
  if (end >= 2 && value.charCodeAt(0) === 123 /* { */ && value.charCodeAt(end - 1) === 125 /* } */) {
    start = 1;
    end--;
  }
  if (start === end) return false;
  for (let i = start; ; ) {
    let j = value.indexOf(',', i);
    if (j < 0 || j > end) j = end;
    if (pairs) {
      // one character, a period, one character
      if (j - i !== 3 || value.charCodeAt(i + 1) !== 46 /* . */) return false;
      if (!isResponseChar(value.charCodeAt(i)) || !isResponseChar(value.charCodeAt(i + 2))) return false;
    } else if (j - i !== 1 || !isResponseChar(value.charCodeAt(i))) {
      return false;
    }
    if (j === end) return true;
    i = j + 1;
  }
}

/**
 * `CMIFeedback` for `cmi.interactions.n.student_response` and
 * `cmi.interactions.n.correct_responses.n.pattern`, by interaction type:
 *
 * - true-false: `0`, `1`, `t` or `f`.
 * - choice and sequencing: single characters `0-9a-z` separated by commas, optionally in `{}`.
 * - matching: `source.target` pairs of single characters separated by commas, optionally in `{}`.
 * - likert: a single character, or empty.
 * - numeric: a CMIDecimal.
 * - fill-in and performance: a CMIString255.
 * - an unknown or unset type: a CMIString255.
 *
 * `lenient` accepts any CMIString255 for every type: content written for 1.2 records what the
 * learner chose or typed (Storyline and Captivate send choice texts and identifiers, `true`,
 * free text for numeric questions), and refusing it would lose the learner's data.
 * @see RTE 1.2 3.4 CMIFeedback, 3.4.2 cmi.interactions.n.correct_responses.n.pattern
 */
export function isCMIFeedback(interactionType: string, value: string, opts?: LenientOptions): boolean {
  if (opts?.lenient === true) return value.length <= 255;
  switch (interactionType) {
    case 'true-false': {
      if (value.length !== 1) return false;
      const c = value.charCodeAt(0);
      return c === 48 || c === 49 || c === 116 || c === 102;
    }
    case 'choice':
    case 'sequencing':
      return isList(value, false);
    case 'matching':
      return isList(value, true);
    case 'likert':
      return value.length === 0 || (value.length === 1 && isResponseChar(value.charCodeAt(0)));
    case 'numeric':
      return isCMIDecimal(value);
    default:
      return value.length <= 255;
  }
}
