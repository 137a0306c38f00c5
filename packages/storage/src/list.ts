import { STORAGE_ERROR_CODES, StorageError } from './errors.js';
import { checkKey } from './keys.js';
import type { ListOptions } from './types.js';

/** Page size of `list` when no `limit` is given (and the largest allowed: S3's own maximum). */
export const MAX_LIST_LIMIT = 1000;

/** Validated `list` options: the page size and, when continuing, the last key already returned. */
export interface ParsedListOptions {
  limit: number;
  after: string | undefined;
}

/**
 * Cursor of the drivers that page by key: the last key returned, base64url-encoded so that
 * callers treat it as opaque.
 */
export function encodeKeyCursor(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

/** Returns the page size of `list` options (default 1000); throws `STORAGE_INVALID_LIST_OPTIONS` outside 1..1000. */
export function listLimit(options: ListOptions | undefined): number {
  const limit = options?.limit ?? MAX_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new StorageError(
      STORAGE_ERROR_CODES.INVALID_LIST_OPTIONS,
      `List limit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${String(limit)}`,
    );
  }
  return limit;
}

/** Validates `limit` (1..1000) and decodes a key cursor; throws `STORAGE_INVALID_LIST_OPTIONS`. */
export function parseListOptions(options: ListOptions | undefined): ParsedListOptions {
  const limit = listLimit(options);
  const cursor = options?.cursor;
  if (cursor === undefined) return { limit, after: undefined };
  const after =
    typeof cursor === 'string' && /^[A-Za-z0-9_-]+$/.test(cursor)
      ? Buffer.from(cursor, 'base64url').toString('utf8')
      : undefined;
  if (after === undefined || !checkKey(after).ok || encodeKeyCursor(after) !== cursor) {
    throw new StorageError(STORAGE_ERROR_CODES.INVALID_LIST_OPTIONS, 'List cursor is not valid');
  }
  return { limit, after };
}
