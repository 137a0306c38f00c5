/** What a `Range` header asks of a representation of `size` bytes. */
export type RangeRequest =
  /** Serve the whole representation: no header, a unit other than bytes, bad syntax, or several ranges. */
  | { kind: 'whole' }
  /** Serve bytes `start..end` (inclusive) with 206. */
  | { kind: 'partial'; start: number; end: number }
  /** Answer 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' };

const SINGLE = /^bytes=(\d*)-(\d*)$/i;

/**
 * Reads a `Range` header for a representation of `size` bytes. Only a single byte range is
 * served as 206; a header with several ranges is answered with the whole representation (200),
 * which RFC 9110 allows and which avoids `multipart/byteranges` (players ask for one range).
 * Syntax errors make the header ignored, as the RFC requires.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-14.2
 */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (header === null || header === undefined) return { kind: 'whole' };
  const match = SINGLE.exec(header.replace(/\s+/g, ''));
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (!Number.isSafeInteger(length)) return { kind: 'whole' };
    if (length === 0) return { kind: 'unsatisfiable' };
    if (size === 0) return { kind: 'whole' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

function tags(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/**
 * Whether `If-None-Match` matches `etag` (weak comparison: `W/"x"` equals `"x"`), so that a GET or
 * HEAD is answered with 304.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2
 */
export function ifNoneMatchHits(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const wanted = opaque(etag);
  return tags(header).some((t) => opaque(t) === wanted);
}

/**
 * Whether a `Range` may be honoured under `If-Range`: no header, or a strong `etag` equal to it
 * (strong comparison; a date or a weak tag never matches, so the whole representation is sent).
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-13.1.5
 */
export function ifRangeAllows(header: string | null | undefined, etag: string): boolean {
  if (header === null || header === undefined) return true;
  const value = header.trim();
  return !value.startsWith('W/') && !etag.startsWith('W/') && value === etag;
}
