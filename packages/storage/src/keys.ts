import { STORAGE_ERROR_CODES, StorageError } from './errors.js';

/** Longest key in UTF-8 bytes (the S3 limit, so every driver can store every valid key). */
export const MAX_KEY_BYTES = 1024;

/** Longest key segment in UTF-8 bytes (`NAME_MAX` of common file systems, so the disk driver can store it). */
export const MAX_SEGMENT_BYTES = 255;

/** Why a key was refused; the `reason` of a failed {@link checkKey}. */
export type KeyProblem =
  | 'not-a-string'
  | 'empty'
  | 'too-long'
  | 'segment-too-long'
  | 'leading-slash'
  | 'trailing-slash'
  | 'empty-segment'
  | 'dot-segment'
  | 'backslash'
  | 'control-character'
  | 'lone-surrogate';

/** Result of {@link checkKey}: expected failures are values. */
export type KeyCheck = { ok: true; value: string } | { ok: false; error: KeyProblem };

const encoder = new TextEncoder();
// C0 controls, DEL and C1 controls: invisible in logs, and NUL truncates paths in C APIs.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function utf8Length(value: string): number {
  return encoder.encode(value).byteLength;
}

/**
 * Checks a storage key against the rules every driver relies on, without throwing.
 *
 * A key is a `/`-separated path of one or more segments: no leading or trailing `/`, no empty
 * segment, no `.` or `..` segment, no backslash, no control character (NUL included), no lone UTF-16
 * surrogate, at most {@link MAX_KEY_BYTES} UTF-8 bytes in all and {@link MAX_SEGMENT_BYTES} per segment.
 * Percent signs and other punctuation are ordinary characters: keys are never URL-decoded.
 *
 * @see ../README.md#keys
 */
export function checkKey(key: unknown): KeyCheck {
  if (typeof key !== 'string') return { ok: false, error: 'not-a-string' };
  if (key.length === 0) return { ok: false, error: 'empty' };
  if (CONTROL.test(key)) return { ok: false, error: 'control-character' };
  if (LONE_SURROGATE.test(key)) return { ok: false, error: 'lone-surrogate' };
  if (key.includes('\\')) return { ok: false, error: 'backslash' };
  if (key.startsWith('/')) return { ok: false, error: 'leading-slash' };
  if (key.endsWith('/')) return { ok: false, error: 'trailing-slash' };
  if (key.length > MAX_KEY_BYTES || utf8Length(key) > MAX_KEY_BYTES) return { ok: false, error: 'too-long' };
  for (const segment of key.split('/')) {
    if (segment.length === 0) return { ok: false, error: 'empty-segment' };
    if (segment === '.' || segment === '..') return { ok: false, error: 'dot-segment' };
    if (utf8Length(segment) > MAX_SEGMENT_BYTES) return { ok: false, error: 'segment-too-long' };
  }
  return { ok: true, value: key };
}

/** True when {@link checkKey} accepts the key. */
export function isValidKey(key: unknown): key is string {
  return checkKey(key).ok;
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
  return JSON.stringify(shown);
}

/**
 * Returns the key unchanged, or throws a {@link StorageError} with code `STORAGE_INVALID_KEY`.
 * Every driver calls this before touching its backend.
 *
 * @see ../README.md#keys
 */
export function assertKey(key: unknown): string {
  const check = checkKey(key);
  if (!check.ok) {
    throw new StorageError(
      STORAGE_ERROR_CODES.INVALID_KEY,
      `Invalid storage key ${describe(key)}: ${check.error}`,
      {
        key: typeof key === 'string' ? key : undefined,
      },
    );
  }
  return check.value;
}

/**
 * Normalises a list/delete prefix: `''` means "everything", otherwise a valid key with at most
 * one trailing `/`, which is dropped. A prefix names a folder: `a/b` covers `a/b/...`, never `a/bc`.
 * Throws `STORAGE_INVALID_PREFIX` otherwise.
 *
 * @see ../README.md#keys
 */
export function normalizePrefix(prefix: unknown): string {
  if (prefix === '') return '';
  if (typeof prefix === 'string') {
    const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    const check = checkKey(trimmed);
    if (check.ok) return check.value;
    throw new StorageError(
      STORAGE_ERROR_CODES.INVALID_PREFIX,
      `Invalid storage prefix ${describe(prefix)}: ${check.error}`,
      { key: prefix },
    );
  }
  throw new StorageError(STORAGE_ERROR_CODES.INVALID_PREFIX, `Invalid storage prefix ${describe(prefix)}`);
}

/** True when `key` lies under the normalised `prefix` (`''` covers every key). */
export function isUnderPrefix(key: string, prefix: string): boolean {
  return prefix === '' || key.startsWith(`${prefix}/`);
}

/**
 * Orders keys by Unicode code point, which is the UTF-8 byte order S3 lists in. Plain `<` compares
 * UTF-16 code units and disagrees for characters above U+FFFF against U+E000..U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Joins validated key parts with `/`. Each part may itself contain `/` (it is validated as a key).
 *
 * @see ../README.md#keys
 */
export function joinKey(...parts: string[]): string {
  for (const part of parts) assertKey(part);
  return assertKey(parts.join('/'));
}

/**
 * The key (or, without parts, the prefix) of a tenant's data: `tenants/<tenantId>/<parts...>`.
 * `tenantId` must be a single valid segment, so one tenant's key can never name another's object.
 *
 * @see ../README.md#tenants
 */
export function tenantKey(tenantId: string, ...parts: string[]): string {
  const check = checkKey(tenantId);
  if (!check.ok || tenantId.includes('/')) {
    throw new StorageError(
      STORAGE_ERROR_CODES.INVALID_KEY,
      `Invalid tenant id ${describe(tenantId)}: ${check.ok ? 'contains /' : check.error}`,
      { key: typeof tenantId === 'string' ? tenantId : undefined },
    );
  }
  return joinKey('tenants', tenantId, ...parts);
}
