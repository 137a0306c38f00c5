/**
 * SCORM 2004 4th Edition run-time data types.
 *
 * Every function here is pure, synchronous and allocation-light: the validators run on each
 * `SetValue` call, in the learner's browser and again on the server. They answer the question
 * "does this string have the type's format?"; the smallest permitted maximums (SPM) are reported
 * as constants so that the caller decides what exceeding one means.
 *
 * @see SCORM 2004 4th Edition Run-Time Environment (RTE) 4.1.1 Data types and 4.2 data model
 */

import { isIso639Alpha2, isIso639Alpha3 } from './language-codes.js';
import type { LenientOptions } from './options.js';

export type { LenientOptions };

// The vocabularies the run-time API validates against are constants of their own, so that a bundle
// of the API carries only those and not the whole `VOCAB_2004` object.

/** @see RTE 4.2 cmi.completion_status */
export const COMPLETION_STATUS_2004 = ['completed', 'incomplete', 'not attempted', 'unknown'] as const;
/** @see RTE 4.2 cmi.success_status */
export const SUCCESS_STATUS_2004 = ['passed', 'failed', 'unknown'] as const;
/** @see RTE 4.2 cmi.exit (the empty string is the initial value and may be set) */
export const EXIT_2004 = ['time-out', 'suspend', 'logout', 'normal', ''] as const;
/** @see RTE 4.2.9 cmi.interactions.n.type */
export const INTERACTION_TYPES_2004 = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'likert',
  'matching',
  'performance',
  'sequencing',
  'numeric',
  'other',
] as const;
/** @see RTE 4.2.9 cmi.interactions.n.result (a real(10,7) is also accepted) */
export const RESULT_2004 = ['correct', 'incorrect', 'unanticipated', 'neutral'] as const;
/** @see RTE 4.2 cmi.learner_preference.audio_captioning */
export const AUDIO_CAPTIONING_2004 = ['-1', '0', '1'] as const;
/** Navigation request tokens without a target. @see RTE navigation data model, adl.nav.request */
export const NAV_REQUESTS_2004 = [
  'continue',
  'previous',
  'exit',
  'exitAll',
  'abandon',
  'abandonAll',
  'suspendAll',
  '_none_',
] as const;

/** Controlled vocabularies of the SCORM 2004 data model. */
export const VOCAB_2004 = {
  completionStatus: COMPLETION_STATUS_2004,
  successStatus: SUCCESS_STATUS_2004,
  exit: EXIT_2004,
  /** @see RTE 4.2 cmi.entry */
  entry: ['ab-initio', 'resume', ''],
  /** @see RTE 4.2 cmi.credit */
  credit: ['credit', 'no-credit'],
  /** @see RTE 4.2 cmi.mode */
  mode: ['browse', 'normal', 'review'],
  /** @see RTE 4.2 cmi.time_limit_action */
  timeLimitAction: ['exit,message', 'continue,message', 'exit,no message', 'continue,no message'],
  interactionType: INTERACTION_TYPES_2004,
  result: RESULT_2004,
  audioCaptioning: AUDIO_CAPTIONING_2004,
  navRequest: NAV_REQUESTS_2004,
  /** Navigation requests that carry a `{target=<STRING>}` delimiter. @see RTE navigation data model, adl.nav.request */
  navTargetRequest: ['choice', 'jump'],
} as const;

/** An interaction type of SCORM 2004. @see RTE 4.2.9 cmi.interactions.n.type */
export type InteractionType2004 = (typeof INTERACTION_TYPES_2004)[number];

/** Which value of an interaction a response string is for. */
export type ResponseKind = 'learner_response' | 'correct_response';

/**
 * Smallest permitted maximums (SPM) of the SCORM 2004 data types and response formats.
 * @see RTE 4.1.1 and 4.2.9.1 / 4.2.9.2
 */
export const SPM_2004 = {
  shortIdentifier: 250,
  longIdentifier: 4000,
  /** Each fill-in string and each performance step answer. */
  responseString: 250,
  longFillIn: 4000,
  other: 4000,
  /** Identifiers in a choice or sequencing response, pairs in matching. */
  choiceItems: 36,
  fillInItems: 10,
  performanceSteps: 250,
  learnerResponseCharacters: 4000,
} as const;

// ---------------------------------------------------------------------------------------------
// character classes

const CH_DASH = 45;
const CH_DOT = 46;
const CH_COLON = 58;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const C_FORBIDDEN = 1;
const C_URN = 2;
const C_HEX = 4;

/**
 * Character classes of ASCII, one table lookup per character: `C_FORBIDDEN` for white space,
 * controls and the characters RFC 3986 never allows in a URI (`" < > \ ^ ` { | }`), `C_URN` for
 * the RFC 2141 URN characters (plus `&` and `~`, which RFC 8141 added), `C_HEX` for hex digits.
 */
const ASCII_CLASS = /* @__PURE__ */ (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c <= 0x20; c++) table[c] = C_FORBIDDEN;
  table[0x7f] = C_FORBIDDEN;
  for (const ch of '"<>\\^`{|}') table[ch.charCodeAt(0)] = C_FORBIDDEN;
  for (const ch of "()+,-.:=@;$_!*'/?#&~") table[ch.charCodeAt(0)] = C_URN;
  for (let c = 48; c <= 57; c++) table[c] = C_URN | C_HEX;
  for (let c = 65; c <= 90; c++) table[c] = C_URN | (c <= 70 ? C_HEX : 0);
  for (let c = 97; c <= 122; c++) table[c] = C_URN | (c <= 102 ? C_HEX : 0);
  return table;
})();

function isHex(c: number): boolean {
  return c < 128 && (ASCII_CLASS[c]! & C_HEX) !== 0;
}

/** Whitespace, controls and the ASCII characters that RFC 3986 never allows in a URI. */
function isForbiddenInUri(c: number): boolean {
  if (c < 128) return (ASCII_CLASS[c]! & C_FORBIDDEN) !== 0;
  // non-ASCII: IRI characters are tolerated, Unicode spaces and C1 controls are not
  return (
    c <= 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** RFC 2141 URN characters (`<trans>`), plus `&` and `~` which RFC 8141 added. */
function isUrnChar(c: number): boolean {
  return c < 128 && (ASCII_CLASS[c]! & C_URN) !== 0;
}

// ---------------------------------------------------------------------------------------------
// identifiers

/**
 * Validates the identifier in `value[start, end)`. A value that starts with `urn:` must be a
 * URN (`urn:<NID>:<NSS>`); anything else must be a URI reference with no character that RFC 3986
 * forbids. Length limits are the caller's (SPM).
 */
function isIdentifierRange(value: string, start: number, end: number, lenient = false): boolean {
  if (end <= start) return false;
  if (lenient) return isLenientIdentifierRange(value, start, end);
  if (
    end - start >= 4 &&
    (value.charCodeAt(start) | 0x20) === 117 && // u
    (value.charCodeAt(start + 1) | 0x20) === 114 && // r
    (value.charCodeAt(start + 2) | 0x20) === 110 && // n
    value.charCodeAt(start + 3) === CH_COLON
  ) {
    return isUrnRange(value, start + 4, end);
  }
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (isForbiddenInUri(c) || (c === 91 /* [ */ && isReservedDelimiter(value, i, end))) return false;
    if (
      c === 37 /* % */ &&
      !(i + 2 < end && isHex(value.charCodeAt(i + 1)) && isHex(value.charCodeAt(i + 2)))
    ) {
      return false;
    }
  }
  return true;
}

/**
 * What content sends as identifiers in practice: any characters but controls and the reserved
 * response delimiters, with at least one that is not white space (`Question 1`, `choice "A"`).
 */
function isLenientIdentifierRange(value: string, start: number, end: number): boolean {
  let visible = false;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) return false;
    if (c === 91 /* [ */ && isReservedDelimiter(value, i, end)) return false;
    // visible: anything but the space and, beyond ASCII, the Unicode spaces
    if (c < 0x80 ? c !== 0x20 : !isForbiddenInUri(c)) visible = true;
  }
  return visible;
}

/** `[,]`, `[.]` or `[:]` at `i`: the response delimiters can never be part of an identifier. */
function isReservedDelimiter(value: string, i: number, end: number): boolean {
  if (i + 2 >= end || value.charCodeAt(i + 2) !== 93 /* ] */) return false;
  const c = value.charCodeAt(i + 1);
  return c === 44 || c === CH_DOT || c === CH_COLON;
}

/** `<NID>:<NSS>` after `urn:`. @see RFC 2141 section 2 */
function isUrnRange(value: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && value.charCodeAt(i) !== CH_COLON) {
    const c = value.charCodeAt(i);
    if (!(isDigit(c) || isAlpha(c) || (c === CH_DASH && i > start))) return false;
    i++;
  }
  const nidLength = i - start;
  if (nidLength < 1 || nidLength > 32 || i >= end) return false;
  i++; // the colon
  if (i >= end) return false; // empty NSS
  for (; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c === 37 /* % */) {
      if (!(i + 2 < end && isHex(value.charCodeAt(i + 1)) && isHex(value.charCodeAt(i + 2)))) return false;
      i += 2;
    } else if (!isUrnChar(c)) {
      return false;
    }
  }
  return true;
}

/**
 * `long_identifier_type`: a URI (RFC 3986); a value starting with `urn:` must be a valid URN
 * (`urn:<NID>:<NSS>`, RFC 2141). The SPM is 4000 characters ({@link SPM_2004}); the caller
 * decides what a longer value means.
 *
 * `lenient` accepts what content sends in practice: any characters but controls and the reserved
 * response delimiters `[,]`, `[.]`, `[:]`, with at least one that is not white space.
 * @see RTE 4.1.1 long_identifier_type
 */
export function isLongIdentifier(value: string, opts?: LenientOptions): boolean {
  return isIdentifierRange(value, 0, value.length, opts?.lenient === true);
}

/**
 * `short_identifier_type`: the same format (and `lenient` mode) as {@link isLongIdentifier}
 * with an SPM of 250.
 * @see RTE 4.1.1 short_identifier_type
 */
export const isShortIdentifier: (value: string, opts?: LenientOptions) => boolean = isLongIdentifier;

// ---------------------------------------------------------------------------------------------
// strings

/**
 * `characterstring` with a smallest permitted maximum: true when `value` has at most `spm`
 * characters. Every string is a characterstring; the caller decides whether a longer value is
 * truncated, stored or refused.
 * @see RTE 4.1.1 characterstring
 */
export function isCharacterString(value: string, spm: number): boolean {
  return value.length <= spm;
}

/**
 * `language_type`: an RFC 3066 language tag whose primary subtag is an ISO 639-1 code, an ISO
 * 639-2 code, `i` (IANA) or `x` (private use), followed by subtags of 1 to 8 letters or digits.
 * Case-insensitive. Only the primary subtag is checked against a registry: later subtags (ISO
 * 3166 regions, scripts, variants) are checked for shape only, because content sends registered
 * and unregistered ones alike. The empty string is valid (it is the initial value of
 * `cmi.learner_preference.language`).
 * @see RTE 4.1.1 language_type
 */
export function isLanguageType(value: string): boolean {
  return isLanguageRange(value, 0, value.length, true);
}

function isLanguageRange(value: string, start: number, end: number, allowEmpty: boolean): boolean {
  if (end === start) return allowEmpty;
  let i = start;
  while (i < end && isAlpha(value.charCodeAt(i))) i++;
  const primaryLength = i - start;
  if (primaryLength === 1) {
    const c = value.charCodeAt(start) | 0x20;
    if (c !== 105 /* i */ && c !== 120 /* x */) return false;
    // i- and x- tags need at least one more subtag
    if (i >= end) return false;
  } else if (primaryLength === 2) {
    if (!isIso639Alpha2(value, start)) return false;
  } else if (primaryLength === 3) {
    if (!isIso639Alpha3(value, start) && !isLocalUseCode(value, start)) return false;
  } else {
    return false;
  }
  while (i < end) {
    if (value.charCodeAt(i) !== CH_DASH) return false;
    i++;
    const subStart = i;
    while (i < end) {
      const c = value.charCodeAt(i);
      if (!(isAlpha(c) || isDigit(c))) break;
      i++;
    }
    const subLength = i - subStart;
    if (subLength < 1 || subLength > 8) return false;
  }
  return true;
}

/** ISO 639-2 reserves `qaa` to `qtz` for local use (the three letters at `start`, any case). */
function isLocalUseCode(value: string, start: number): boolean {
  const second = value.charCodeAt(start + 1) | 0x20;
  return (value.charCodeAt(start) | 0x20) === 113 /* q */ && second >= 97 && second <= 116;
}

const LANG_PREFIX = '{lang=';

/**
 * End index of a leading `{lang=<language_type>}` delimiter at `start`: `start` when there is
 * none, -1 when there is one that is malformed or names an invalid language.
 */
function langDelimiterEnd(value: string, start: number, end: number): number {
  if (!value.startsWith(LANG_PREFIX, start)) return start;
  const close = value.indexOf('}', start + LANG_PREFIX.length);
  if (close < 0 || close >= end) return -1;
  return isLanguageRange(value, start + LANG_PREFIX.length, close, false) ? close + 1 : -1;
}

/**
 * `localized_string_type`: a characterstring with an optional leading `{lang=<language_type>}`
 * delimiter. A delimiter that is not closed or names an invalid language makes the value invalid.
 * @see RTE 4.1.1 localized_string_type
 */
export function isLocalizedString(value: string): boolean {
  return langDelimiterEnd(value, 0, value.length) >= 0;
}

// ---------------------------------------------------------------------------------------------
// numbers

/** A decimal number: optional sign, digits, optional fraction. No exponent, no grouping. */
function isRealRange(value: string, start: number, end: number): boolean {
  let i = start;
  if (i < end) {
    const c = value.charCodeAt(i);
    if (c === CH_DASH || c === 43 /* + */) i++;
  }
  let digits = 0;
  while (i < end && isDigit(value.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < end && value.charCodeAt(i) === CH_DOT) {
    i++;
    while (i < end && isDigit(value.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  return digits > 0 && i === end;
}

/**
 * `real(10,7)`: a decimal number. The precision is what the LMS must keep, not a limit on what
 * the SCO may send, so longer fractions are accepted (the conformance suite sets
 * `7.000099999887765544`). Range checks (such as -1..1 for `score.scaled`) are the caller's.
 * @see RTE 4.1.1 real(10,7)
 */
export function isReal107(value: string): boolean {
  return isRealRange(value, 0, value.length);
}

// ---------------------------------------------------------------------------------------------
// time

function digitsAt(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = value.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The fields of a `time (second,10,0)` after the year: [position of the separator, separator,
 * smallest, largest]; each field is two digits after its separator (the day's largest is the
 * month's length).
 */
const TIME_FIELDS = [
  [4, CH_DASH, 1, 12], // month
  [7, CH_DASH, 1, 31], // day
  [10, 84 /* T */, 0, 23], // hour
  [13, CH_COLON, 0, 59], // minute
  [16, CH_COLON, 0, 59], // second
] as const;

/**
 * `time (second,10,0)`: `YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]]` with a year from 1970 to 2038,
 * real calendar dates, hours 00-23, one or two fraction digits, and a time zone designator
 * (`Z`, `+hh`, `+hh:mm`, `-hh`, `-hh:mm`, hh 00-23, mm 00-59) only after the fraction of the
 * seconds, as the RTE's format and the conformance suite have it.
 *
 * `lenient` also accepts what JavaScript's `Date#toISOString` and other clocks produce: any
 * year from 0000 to 9999, any number of fraction digits, and a time zone designator after the
 * hours, minutes or seconds (`2031-05-01T10:20:30Z`, `2040-01-01T00:00:00.123+02:00`).
 * @see RTE 4.1.1 time (second,10,0)
 */
export function isTime(value: string, opts?: LenientOptions): boolean {
  const lenient = opts?.lenient === true;
  const n = value.length;
  if (n < 4) return false;
  const year = digitsAt(value, 0, 4);
  if (year < 0 || (!lenient && (year < 1970 || year > 2038))) return false;
  let month = 0;
  for (const [at, separator, min, max] of TIME_FIELDS) {
    if (n === at) return true;
    // a time zone may follow the hours or the minutes (lenient only: the RTE wants seconds first)
    if (value.charCodeAt(at) !== separator) return lenient && at > 10 && isTimeZoneDesignator(value, at);
    if (n < at + 3) return false;
    const field = digitsAt(value, at + 1, 2);
    if (field < min || field > (at === 7 ? daysInMonth(year, month) : max)) return false;
    month = field;
  }
  if (n === 19) return true;
  if (value.charCodeAt(19) !== CH_DOT) return lenient && isTimeZoneDesignator(value, 19);
  if (n < 21 || !isDigit(value.charCodeAt(20))) return false;
  let i = 21;
  if (lenient) {
    while (i < n && isDigit(value.charCodeAt(i))) i++;
  } else if (i < n && isDigit(value.charCodeAt(i))) {
    i++;
  }
  if (i === n) return true;
  return isTimeZoneDesignator(value, i);
}

function isTimeZoneDesignator(value: string, i: number): boolean {
  const n = value.length;
  const c = value.charCodeAt(i);
  if (c === 90 /* Z */) return i + 1 === n;
  if (c !== 43 /* + */ && c !== CH_DASH) return false;
  if (i + 3 > n) return false;
  const hh = digitsAt(value, i + 1, 2);
  if (hh < 0 || hh > 23) return false;
  if (i + 3 === n) return true;
  if (value.charCodeAt(i + 3) !== CH_COLON || i + 6 !== n) return false;
  const mm = digitsAt(value, i + 4, 2);
  return mm >= 0 && mm <= 59;
}

const CS_PER_SECOND = 100;
const CS_PER_MINUTE = 60 * CS_PER_SECOND;
const CS_PER_HOUR = 60 * CS_PER_MINUTE;
const CS_PER_DAY = 24 * CS_PER_HOUR;
/**
 * The RTE defines no length for the years and months of a timeinterval (ADL's reference LMS adds
 * durations field by field and never converts them); a year counts 365 days here.
 */
const CS_PER_YEAR = 365 * CS_PER_DAY;
/** A month counts a twelfth of a year (30.41666 days). */
const CS_PER_MONTH = CS_PER_YEAR / 12;

// the designators in the order ISO 8601 requires them: Y M D (date part), H M S (time part)
const DESIGNATORS = [89, 77, 68, 72, 77, 83] as const; // Y M D H M S
const FACTORS = [CS_PER_YEAR, CS_PER_MONTH, CS_PER_DAY, CS_PER_HOUR, CS_PER_MINUTE, CS_PER_SECOND] as const;
const SECONDS = 5;

/**
 * Parses an ISO 8601 duration `P[nY][nM][nD][T[nH][nM][n[.n]S]]` to centiseconds, or returns
 * null. At least one component is required, and at least one after a `T`. Only the seconds may
 * have a fraction; it is rounded to centiseconds. Years count 365 days and months a twelfth of
 * that (the RTE defines no conversion; SCOs report session times in hours, minutes and seconds in
 * practice), which only matters for sums such as `cmi.total_time`.
 * @see RTE 4.1.1 timeinterval (second,10,2)
 */
export function parseTimeInterval(value: string): number | null {
  const n = value.length;
  if (n < 3 || value.charCodeAt(0) !== 80 /* P */) return null;
  let i = 1;
  let total = 0;
  let components = 0;
  let slot = 0; // the next allowed designator
  let part = 3; // the end of the designators of the current part: 3 for the date, 6 after the T
  while (i < n) {
    if (value.charCodeAt(i) === 84 /* T */) {
      // one time part, and not an empty one
      if (part === 6 || ++i === n) return null;
      slot = 3;
      part = 6;
    }
    let v = 0;
    const start = i;
    while (i < n && isDigit(value.charCodeAt(i))) {
      v = v * 10 + (value.charCodeAt(i) - 48);
      i++;
    }
    // a fraction is kept as whole centiseconds (the third digit rounds) to avoid binary fractions
    let fractionCs = 0;
    let hasFraction = false;
    if (i < n && value.charCodeAt(i) === CH_DOT) {
      i++;
      const fStart = i;
      while (i < n && isDigit(value.charCodeAt(i))) {
        const place = i - fStart;
        const d = value.charCodeAt(i) - 48;
        if (place === 0) fractionCs += d * 10;
        else if (place === 1) fractionCs += d;
        else if (place === 2 && d >= 5) fractionCs += 1;
        i++;
      }
      if (i === fStart) return null;
      hasFraction = true;
    }
    if (i === start || i >= n) return null;
    const d = value.charCodeAt(i);
    let k = slot;
    while (k < part && DESIGNATORS[k] !== d) k++;
    // only the seconds may have a fraction
    if (k === part || (hasFraction && k !== SECONDS)) return null;
    total += v * FACTORS[k]! + fractionCs;
    slot = k + 1;
    components++;
    i++;
  }
  if (components === 0) return null;
  return Math.round(total);
}

/**
 * `timeinterval (second,10,2)`: an ISO 8601 duration. @see {@link parseTimeInterval}
 * @see RTE 4.1.1 timeinterval (second,10,2)
 */
export function isTimeInterval(value: string): boolean {
  return parseTimeInterval(value) !== null;
}

/**
 * Formats centiseconds as a `timeinterval`: `PT<h>H<m>M<s>[.<cc>]S` with hours unbounded, for
 * example `PT1H2M3.45S`; zero is `PT0H0M0S`. Negative or non-finite input is treated as zero.
 * @see RTE 4.1.1 timeinterval (second,10,2)
 */
export function formatTimeInterval(cs: number): string {
  const total = Number.isFinite(cs) && cs > 0 ? Math.round(cs) : 0;
  const hours = Math.floor(total / CS_PER_HOUR);
  const minutes = Math.floor((total % CS_PER_HOUR) / CS_PER_MINUTE);
  const rest = total % CS_PER_MINUTE;
  const seconds = Math.floor(rest / CS_PER_SECOND);
  const centis = rest % CS_PER_SECOND;
  const fraction = centis === 0 ? '' : centis < 10 ? `.0${centis}` : `.${centis}`;
  return `PT${hours}H${minutes}M${seconds}${fraction}S`;
}

// ---------------------------------------------------------------------------------------------
// interaction responses

const SEP_ITEM = '[,]';
const SEP_PAIR = '[.]';
const SEP_RANGE = '[:]';
const CASE_MATTERS = '{case_matters=';
const ORDER_MATTERS = '{order_matters=';

/**
 * Skips the leading `{case_matters=true|false}` / `{order_matters=true|false}` delimiters that
 * `allowed` permits (1 = case, 2 = order), each at most once, in either order. Returns the index
 * of the first character after them, or -1 when one of them has a value other than true/false.
 */
function skipMattersDelimiters(value: string, allowed: number): number {
  let i = 0;
  let seen = 0;
  for (;;) {
    let flag = 0;
    let prefixLength = 0;
    if (allowed & 1 && !(seen & 1) && value.startsWith(CASE_MATTERS, i)) {
      flag = 1;
      prefixLength = CASE_MATTERS.length;
    } else if (allowed & 2 && !(seen & 2) && value.startsWith(ORDER_MATTERS, i)) {
      flag = 2;
      prefixLength = ORDER_MATTERS.length;
    } else {
      return i;
    }
    const v = i + prefixLength;
    if (value.startsWith('true}', v)) i = v + 5;
    else if (value.startsWith('false}', v)) i = v + 6;
    else return -1;
    seen |= flag;
  }
}

/** Index of the next `[,]` at or after `from`, or `end`. */
function nextItem(value: string, from: number, end: number): number {
  const j = value.indexOf(SEP_ITEM, from);
  return j < 0 || j > end ? end : j;
}

function rangesEqual(value: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) {
    if (value.charCodeAt(a + k) !== value.charCodeAt(b + k)) return false;
  }
  return true;
}

/**
 * Scratch space for item boundaries (start, end pairs), reused across calls so that splitting a
 * response allocates nothing. The validators are synchronous and never re-enter, so one buffer
 * is enough.
 */
let bounds = new Int32Array(2 * 64);

/** Splits `value[start, end)` at every `[,]` into `bounds`; returns the number of items. */
function splitItems(value: string, start: number, end: number): number {
  let count = 0;
  let itemStart = start;
  for (let i = start; ; i++) {
    const atEnd = i >= end;
    if (
      atEnd ||
      (value.charCodeAt(i) === 91 /* [ */ &&
        i + 2 < end &&
        value.charCodeAt(i + 1) === 44 /* , */ &&
        value.charCodeAt(i + 2) === 93) /* ] */
    ) {
      if (2 * count + 2 > bounds.length) {
        const grown = new Int32Array(bounds.length * 2);
        grown.set(bounds);
        bounds = grown;
      }
      bounds[2 * count] = itemStart;
      bounds[2 * count + 1] = atEnd ? end : i;
      count++;
      if (atEnd) return count;
      i += 2;
      itemStart = i + 1;
    }
  }
}

/** True when the `count` items in `bounds` are pairwise different. */
function itemsAreUnique(value: string, count: number): boolean {
  if (count > 64) {
    const seen = new Set<string>();
    for (let k = 0; k < count; k++) {
      const item = value.slice(bounds[2 * k]!, bounds[2 * k + 1]!);
      if (seen.has(item)) return false;
      seen.add(item);
    }
    return true;
  }
  // few items (the usual case): compare in place, pairs of different lengths cost nothing
  for (let x = 0; x < count; x++) {
    const xs = bounds[2 * x]!;
    const length = bounds[2 * x + 1]! - xs;
    for (let y = x + 1; y < count; y++) {
      const ys = bounds[2 * y]!;
      if (bounds[2 * y + 1]! - ys === length && rangesEqual(value, xs, ys, length)) return false;
    }
  }
  return true;
}

/** `id[,]id...` of short identifiers, optionally empty, optionally unique. */
function isIdentifierList(
  value: string,
  start: number,
  allowEmpty: boolean,
  unique: boolean,
  lenient: boolean,
): boolean {
  const end = value.length;
  if (start === end) return allowEmpty;
  const count = splitItems(value, start, end);
  for (let k = 0; k < count; k++) {
    if (!isIdentifierRange(value, bounds[2 * k]!, bounds[2 * k + 1]!, lenient)) return false;
  }
  return !unique || itemsAreUnique(value, count);
}

/** `id[.]id[,]id[.]id...`: matching pairs of short identifiers. */
function isMatchingList(value: string, lenient: boolean): boolean {
  const end = value.length;
  if (end === 0) return false;
  for (let i = 0; ; ) {
    const j = nextItem(value, i, end);
    const dot = value.indexOf(SEP_PAIR, i);
    if (dot < 0 || dot + 3 > j) return false;
    if (!isIdentifierRange(value, i, dot, lenient) || !isIdentifierRange(value, dot + 3, j, lenient))
      return false;
    if (j === end) return true;
    i = j + 3;
  }
}

/** `min[:]max` with either bound optional, or a single number; min <= max when both are given. */
function isNumericRange(value: string, start: number, end: number, allowSingle: boolean): boolean {
  const colon = value.indexOf(SEP_RANGE, start);
  if (colon < 0 || colon + 3 > end) return allowSingle && isRealRange(value, start, end);
  const hasMin = colon > start;
  const hasMax = colon + 3 < end;
  if (hasMin && !isRealRange(value, start, colon)) return false;
  if (hasMax && !isRealRange(value, colon + 3, end)) return false;
  if (hasMin && hasMax) {
    return Number(value.slice(start, colon)) <= Number(value.slice(colon + 3, end));
  }
  return true;
}

/** Localized strings separated by `[,]`, each with an optional `{lang=}` delimiter. */
function isLocalizedList(value: string, start: number): boolean {
  const end = value.length;
  for (let i = start; ; ) {
    const j = nextItem(value, i, end);
    if (langDelimiterEnd(value, i, j) < 0) return false;
    if (j === end) return true;
    i = j + 3;
  }
}

/**
 * Performance steps `step_name[.]step_answer[,]...`. Each step has exactly one `[.]`; the name
 * (a short identifier) or the answer may be empty, not both. The answer is a characterstring, and
 * a range `min[:]max` must have valid bounds.
 */
function isPerformanceList(value: string, start: number, lenient: boolean): boolean {
  const end = value.length;
  if (start === end) return false;
  for (let i = start; ; ) {
    const j = nextItem(value, i, end);
    const dot = value.indexOf(SEP_PAIR, i);
    if (dot < 0 || dot + 3 > j) return false;
    const second = value.indexOf(SEP_PAIR, dot + 3);
    if (second >= 0 && second + 3 <= j) return false;
    const hasName = dot > i;
    const hasAnswer = dot + 3 < j;
    if (!hasName && !hasAnswer) return false;
    if (hasName && !isIdentifierRange(value, i, dot, lenient)) return false;
    if (hasAnswer && !isPerformanceAnswer(value, dot + 3, j)) return false;
    if (j === end) return true;
    i = j + 3;
  }
}

function isPerformanceAnswer(value: string, start: number, end: number): boolean {
  const colon = value.indexOf(SEP_RANGE, start);
  if (colon >= 0 && colon + 3 <= end) return isNumericRange(value, start, end, false);
  return true;
}

/**
 * Validates a `cmi.interactions.n.learner_response` or a
 * `cmi.interactions.n.correct_responses.n.pattern` for an interaction type, with the reserved
 * delimiters `[,]` (items), `[.]` (pairs and steps), `[:]` (numeric ranges) and the
 * `{case_matters=}`, `{order_matters=}` and `{lang=}` delimiters where the format allows them:
 *
 * - true-false: `true` or `false`.
 * - choice: short identifiers separated by `[,]`, all different; a pattern may be empty.
 * - fill-in: localized strings separated by `[,]`; a pattern may start with `{case_matters=}` and
 *   `{order_matters=}` (in either order, each once).
 * - long-fill-in: one localized string; a pattern may start with `{case_matters=}`.
 * - likert: one short identifier.
 * - matching: `source[.]target` pairs of short identifiers separated by `[,]`.
 * - performance: `step_name[.]step_answer` steps separated by `[,]`; a pattern may start with
 *   `{order_matters=}`; a step answer may be a range `min[:]max`.
 * - sequencing: short identifiers separated by `[,]`, at least one.
 * - numeric: a learner response is a real(10,7); a pattern is `min[:]max` (either bound may be
 *   omitted, min <= max) or a single number.
 * - other: any characterstring.
 *
 * Per-item SPMs ({@link SPM_2004}) and the uniqueness of patterns among one interaction's
 * correct responses are the caller's.
 *
 * `lenient` accepts identifiers as content sends them (spaces and other characters a URI does
 * not allow, see {@link isLongIdentifier}) and repeated choices; the delimiters still have to be
 * well formed.
 * @see RTE 4.2.9.1 Correct Responses Pattern Data Model Element Specifics
 * @see RTE 4.2.9.2 Learner Response Data Model Element Specifics
 */
export function isResponse(
  type: InteractionType2004,
  value: string,
  kind: ResponseKind,
  opts?: LenientOptions,
): boolean {
  const pattern = kind === 'correct_response';
  const lenient = opts?.lenient === true;
  switch (type) {
    case 'true-false':
      return value === 'true' || value === 'false';
    case 'choice':
      return isIdentifierList(value, 0, pattern, !lenient, lenient);
    case 'fill-in': {
      const start = pattern ? skipMattersDelimiters(value, 3) : 0;
      return start >= 0 && isLocalizedList(value, start);
    }
    case 'long-fill-in': {
      const start = pattern ? skipMattersDelimiters(value, 1) : 0;
      return start >= 0 && langDelimiterEnd(value, start, value.length) >= 0;
    }
    case 'likert':
      return isIdentifierRange(value, 0, value.length, lenient);
    case 'matching':
      return isMatchingList(value, lenient);
    case 'performance': {
      const start = pattern ? skipMattersDelimiters(value, 2) : 0;
      return start >= 0 && isPerformanceList(value, start, lenient);
    }
    case 'sequencing':
      return isIdentifierList(value, 0, false, false, lenient);
    case 'numeric':
      return pattern ? isNumericRange(value, 0, value.length, true) : isRealRange(value, 0, value.length);
    case 'other':
      return true;
    default:
      return false;
  }
}
