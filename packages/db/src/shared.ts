import { createHash, randomBytes } from 'node:crypto';
import { DB_ERROR_CODES, DbError } from './errors.js';
import type { PageOptions, Repositories } from './repositories.js';

let lastMs = 0;
let counter = 0;
let pool = Buffer.alloc(0);
let poolAt = 0;

/**
 * A new row id: a UUID version 7 (48-bit Unix milliseconds, then a 12-bit counter, then 62 random
 * bits). Ids made by one process sort in creation order, also within one millisecond, so that
 * `(timestamp, id)` orders rows as they were written.
 * @see RFC 9562 section 5.7 and 6.2 (method 1, fixed-length dedicated counter)
 */
export function newId(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    counter = 0;
  } else {
    // Same millisecond (or the clock went back): count on; on overflow borrow the next millisecond.
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
    ms = lastMs;
  }
  // 16 bytes from a pool refilled 256 ids at a time: one `randomBytes` call per id was a visible
  // share of a commit's CPU (a commit makes up to three ids).
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(16 * 256);
    poolAt = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolAt, poolAt + 16));
  poolAt += 16;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

export function pageLimit(options: PageOptions | undefined): number {
  const limit = options?.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new DbError(DB_ERROR_CODES.INVALID_INPUT, `page limit must be a positive integer, got ${limit}`);
  }
  return Math.min(limit, MAX_LIMIT);
}

/** Position after the last row of a page, for lists ordered by `(createdAt, id)` descending. */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.getTime(), position.id]), 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string | null | undefined): CursorPosition | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new DbError(DB_ERROR_CODES.INVALID_CURSOR, 'invalid pagination cursor', { cause });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== 'string'
  ) {
    throw new DbError(DB_ERROR_CODES.INVALID_CURSOR, 'invalid pagination cursor');
  }
  return { createdAt: new Date(parsed[0] as number), id: parsed[1] };
}

/** Builds a page from `limit + 1` fetched rows. */
export function toPage<T extends CursorPosition>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1]!;
  return { items, nextCursor: encodeCursor(last) };
}

/**
 * SHA-256 (hex) of an API key secret: what `apiKeys.findByHash` looks up. The secret has 256 bits
 * of entropy, so a fast unsalted hash is enough.
 */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const KEY_PREFIX = 'sf_';

/** A new API key secret and the prefix shown to identify it. */
export function generateApiKeySecret(): { secret: string; prefix: string } {
  const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, KEY_PREFIX.length + 8) };
}

export function assertPositiveInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new DbError(DB_ERROR_CODES.INVALID_INPUT, `${what} must be a positive integer, got ${value}`);
  }
}

/** Removes keys whose value is `undefined`, so that a patch only sets what it names. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The last row for each key, in first-seen key order. One upsert statement may not touch a row
 * twice on Postgres, while SQLite lets the last one win: deduplicating first gives both the same
 * result.
 */
export function lastByKey<T>(rows: readonly T[], key: (row: T) => string | number): T[] {
  const byKey = new Map<string | number, T>();
  for (const row of rows) byKey.set(key(row), row);
  return [...byKey.values()];
}

function walkHasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(walkHasNul);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, item]) => key.includes('\0') || walkHasNul(item));
  }
  return false;
}

/**
 * JSON text escapes every U+0000 of a string or key as `\u0000`, so text without that sequence
 * proves there is none; the sequence itself may also come from a backslash followed by `u0000`,
 * so only then are the values walked one by one. One native pass instead of a walk that allocates
 * per key, on the commit path where states run to kilobytes.
 */
function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (typeof value !== 'object' || value === null) return false;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return walkHasNul(value);
  }
  return text === undefined || text.includes('\\u0000') ? walkHasNul(value) : false;
}

/**
 * Whether `value`, whose `JSON.stringify` is `json`, holds U+0000 in any string or key (see
 * `hasNul`): for a caller that serialises the value anyway.
 */
export function jsonHasNul(json: string, value: unknown): boolean {
  return json.includes('\\u0000') && walkHasNul(value);
}

/**
 * Throws when `value` holds U+0000 in any string or key. Postgres stores it neither in `text` nor in
 * `jsonb`, so SQLite refuses it too: the same input succeeds or fails on both dialects.
 */
export function assertNoNul(value: unknown, what: string): void {
  if (hasNul(value)) {
    throw new DbError(DB_ERROR_CODES.INVALID_INPUT, `${what} contains U+0000, which cannot be stored`);
  }
}

/**
 * Wraps every repository method so that arguments holding U+0000 throw `DB_INVALID_INPUT` before
 * any query runs, on both dialects alike (see `assertNoNul`). Methods named in `selfChecked`
 * (`"scoStates.commit"`) make the same check themselves, on JSON text they serialise anyway.
 */
export function refuseNul(repos: Repositories, selfChecked: readonly string[] = []): Repositories {
  const wrapped: Record<string, Record<string, unknown>> = {};
  for (const [name, repo] of Object.entries(repos) as [string, Record<string, unknown>][]) {
    wrapped[name] = Object.fromEntries(
      Object.entries(repo).map(([method, fn]) => [
        method,
        selfChecked.includes(`${name}.${method}`)
          ? fn
          : async (...args: unknown[]) => {
              for (const arg of args) assertNoNul(arg, `${name}.${method} input`);
              return (fn as (...a: unknown[]) => unknown)(...args);
            },
      ]),
    );
  }
  return wrapped as unknown as Repositories;
}
