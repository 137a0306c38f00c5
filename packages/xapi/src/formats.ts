/**
 * The special data formats of the xAPI Data document: IRIs, UUIDs, ISO 8601 timestamps and
 * durations, RFC 5646 language tags, mailto IRIs and SHA hashes. Pure string checks.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#40-special-data-types-and-rules
 */

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
// Characters RFC 3987 never allows unescaped in an IRI: controls, space, <>"{}|\^` .
const IRI_FORBIDDEN = /[\u0000-\u0020<>"{}|\\^`\u007f-\u009f]/;

/**
 * True when `value` is an absolute IRI: a scheme, a colon and a non-empty remainder holding no
 * character RFC 3987 excludes (whitespace, controls, `<>"{}|\^` and backtick).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#internationalized-resource-identifiers-iris
 */
export function isIri(value: string): boolean {
  const m = SCHEME.exec(value);
  if (m === null || m[0].length === value.length) return false;
  return !IRI_FORBIDDEN.test(value);
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * True for a UUID in the RFC 4122 text form (8-4-4-4-12 hex digits, either case). Any version and
 * variant is accepted: the Data document asks for RFC 4122 UUIDs and only recommends variant 2.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#24-statement-properties (id)
 */
export function isUuid(value: string): boolean {
  return value.length === 36 && UUID.test(value);
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

const DURATION =
  /^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * True for an ISO 8601 duration in the designator format (`P1Y2M3W4DT5H6M7.8S`): at least one
 * component, a `T` only when a time component follows, a decimal fraction only on the last one.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#46-iso-8601-durations
 */
export function isDuration(value: string): boolean {
  const m = DURATION.exec(value);
  if (m === null) return false;
  if (value.endsWith('T')) return false;
  let last = -1;
  for (let i = 1; i <= 7; i++) if (m[i] !== undefined) last = i;
  if (last === -1) return false;
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
