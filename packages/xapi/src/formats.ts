/**
 * The special data formats of the xAPI Data document: IRIs, UUIDs, ISO 8601 timestamps and
 * durations, RFC 5646 language tags, mailto IRIs and SHA hashes. Pure string checks.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#40-special-data-types-and-rules
 */

/**
 * True when `value` is an absolute IRI: a scheme, a colon and a non-empty remainder holding no
 * character RFC 3987 excludes (whitespace, controls, `<>"{}|\^` and backtick).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#internationalized-resource-identifiers-iris
 */
export function isIri(value: string): boolean {
  const n = value.length;
  let i = 0;
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (i === 0) {
      if (!alpha) return false;
      continue;
    }
    if (c === 58 /* : */) break;
    if (!(alpha || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return false;
  }
  if (i === n || i === n - 1) return false;
  for (i++; i < n; i++) {
    const c = value.charCodeAt(i);
    if (
      c <= 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 60 /* < */ ||
      c === 62 /* > */ ||
      c === 34 /* " */ ||
      c === 123 /* { */ ||
      c === 125 /* } */ ||
      c === 124 /* | */ ||
      c === 92 /* \ */ ||
      c === 94 /* ^ */ ||
      c === 96 /* ` */
    ) {
      return false;
    }
  }
  return true;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * True for a UUID in the RFC 4122 text form (8-4-4-4-12 hex digits, either case). Any version and
 * variant is accepted: the Data document asks for RFC 4122 UUIDs and only recommends variant 2.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#24-statement-properties (id)
 */
export function isUuid(value: string): boolean {
  if (value.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!isHex(c)) return false;
  }
  return true;
}

const TS_EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const TS_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|([+-])(\d{2})(\d{2})?)?$/;

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Parses an ISO 8601 date-time (extended or basic format, seconds and fraction optional, offset
 * `Z`, `±hh`, `±hhmm` or `±hh:mm`) into milliseconds since the epoch, or `null` when the text is
 * not one or names an impossible date or time. A timestamp without an offset is read as UTC. The
 * offsets `-00`, `-0000` and `-00:00` (RFC 3339's "unknown local offset") are rejected, as the
 * conformance suite requires.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#45-iso-8601-timestamps
 */
export function parseTimestamp(value: string): number | null {
  const fast = parseCommonTimestamp(value);
  if (fast !== undefined) return fast;
  const m = TS_EXTENDED.exec(value) ?? TS_BASIC.exec(value);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  let offset = 0;
  if (m[8] !== undefined && m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return null;
    if (m[9] === '-' && oh === 0 && om === 0) return null;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms =
    daysFromCivil(year, month, day) * 86_400_000 +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    Math.floor(fraction * 1000);
  return ms - offset;
}

function digits(v: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The common shape `YYYY-MM-DDThh:mm:ss[.f+](Z|±hh:mm)` read without a regular expression;
 * `undefined` for any other shape, which the general parser then handles.
 */
function parseCommonTimestamp(v: string): number | null | undefined {
  const n = v.length;
  if (n < 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84) return undefined;
  if (v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return undefined;
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 7);
  const day = digits(v, 8, 10);
  const hour = digits(v, 11, 13);
  const minute = digits(v, 14, 16);
  const second = digits(v, 17, 19);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let i = 19;
  let ms = 0;
  if (v.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n && v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) i++;
    if (i === start) return undefined;
    ms = digits(`${v.slice(start, Math.min(i, start + 3))}00`, 0, 3);
  }
  let offset = 0;
  if (i === n - 1 && v.charCodeAt(i) === 90) offset = 0;
  else if (i === n - 6 && v.charCodeAt(i + 3) === 58 && (v.charCodeAt(i) === 43 || v.charCodeAt(i) === 45)) {
    const oh = digits(v, i + 1, i + 3);
    const om = digits(v, i + 4, i + 6);
    if (oh < 0 || om < 0) return undefined;
    if (oh > 23 || om > 59) return null;
    if (v.charCodeAt(i) === 45 && oh === 0 && om === 0) return null;
    offset = (v.charCodeAt(i) === 45 ? -1 : 1) * (oh * 60 + om) * 60_000;
  } else return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  return (
    daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offset
  );
}

const DURATION =
  /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * True for an ISO 8601 duration in the designator format (`P1Y2M4DT5H6M7.8S`, or `P3W` alone):
 * at least one component, a `T` only when a time component follows, a decimal fraction only on
 * the last one.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#46-iso-8601-durations
 */
export function isDuration(value: string): boolean {
  const m = DURATION.exec(value);
  if (m === null) return false;
  if (value.endsWith('T')) return false;
  let last = -1;
  for (let i = 1; i <= 7; i++) if (m[i] !== undefined) last = i;
  if (last === -1) return false;
  // ISO 8601:2004 4.4.3.2 writes weeks as PnW alone: "P4W1D" is not a duration (XAPI-00124).
  if (m[3] !== undefined && m.slice(1, 8).filter((c) => c !== undefined).length > 1) return false;
  for (let i = 1; i < last; i++) {
    const c = m[i];
    if (c !== undefined && (c.includes('.') || c.includes(','))) return false;
  }
  return true;
}

const GRANDFATHERED = new Set(
  [
    'en-GB-oed',
    'i-ami',
    'i-bnn',
    'i-default',
    'i-enochian',
    'i-hak',
    'i-klingon',
    'i-lux',
    'i-mingo',
    'i-navajo',
    'i-pwn',
    'i-tao',
    'i-tay',
    'i-tsu',
    'sgn-BE-FR',
    'sgn-BE-NL',
    'sgn-CH-DE',
    'art-lojban',
    'cel-gaulish',
    'no-bok',
    'no-nyn',
    'zh-guoyu',
    'zh-hakka',
    'zh-min',
    'zh-min-nan',
    'zh-xiang',
  ].map((t) => t.toLowerCase()),
);

const LANGTAG =
  /^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?((?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*)((?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*)(?:-x(?:-[a-z\d]{1,8})+)?$/;
const PRIVATE_USE = /^x(?:-[a-z\d]{1,8})+$/;

/**
 * True for a well-formed RFC 5646 language tag (BCP 47): language with up to three extlangs,
 * script, region, variants, extensions and private use in their order and lengths, grandfathered
 * and private-use tags; no repeated variant or extension singleton. Case-insensitive.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#42-language-maps
 * @see https://www.rfc-editor.org/rfc/rfc5646#section-2.1
 */
export function validateLanguageTag(tag: string): boolean {
  const known = TAG_CACHE.get(tag);
  if (known !== undefined) return known;
  const ok = checkLanguageTag(tag);
  // Tags repeat across statements ('en-US'); a bounded memo keeps the check off the hot path.
  if (TAG_CACHE.size >= 1024) TAG_CACHE.clear();
  TAG_CACHE.set(tag, ok);
  return ok;
}

const TAG_CACHE = new Map<string, boolean>();

function checkLanguageTag(tag: string): boolean {
  if (tag.length === 0) return false;
  const t = tag.toLowerCase();
  if (GRANDFATHERED.has(t) || PRIVATE_USE.test(t)) return true;
  const m = LANGTAG.exec(t);
  if (m === null) return false;
  const variants = m[1] ?? '';
  if (variants !== '') {
    const list = variants.slice(1).split('-');
    if (new Set(list).size !== list.length) return false;
  }
  const extensions = m[2] ?? '';
  if (extensions !== '') {
    const singletons = extensions
      .slice(1)
      .split('-')
      .filter((s) => s.length === 1);
    if (new Set(singletons).size !== singletons.length) return false;
  }
  return true;
}

/** True for `mailto:` followed by an address with a local part and a domain. */
export function isMailtoIri(value: string): boolean {
  if (!value.startsWith('mailto:')) return false;
  const addr = value.slice(7);
  const at = addr.indexOf('@');
  return at > 0 && at < addr.length - 1 && !/[\s<>"]/.test(addr);
}

const HEX = /^[0-9a-fA-F]+$/;

/** True for a SHA-1 digest as 40 hex digits. */
export function isSha1Hex(value: string): boolean {
  return value.length === 40 && HEX.test(value);
}

/** True for a SHA-2 digest as hex (SHA-224, -256, -384 or -512 lengths). */
export function isSha2Hex(value: string): boolean {
  return (
    (value.length === 56 || value.length === 64 || value.length === 96 || value.length === 128) &&
    HEX.test(value)
  );
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"]*"))*\\s*$`);

/** True for an Internet media type (`type/subtype` with optional parameters), RFC 2046. */
export function isMediaType(value: string): boolean {
  return MEDIA_TYPE.test(value);
}
