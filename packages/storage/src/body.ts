import { STORAGE_ERROR_CODES, StorageError } from './errors.js';
import type { BlobBody, ByteRange, PutOptions, ResolvedRange } from './types.js';

const encoder = new TextEncoder();

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    typeof value === 'object' && value !== null && typeof (value as ReadableStream).getReader === 'function'
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

function checkChunk(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new StorageError(
    STORAGE_ERROR_CODES.INVALID_BODY,
    `A body stream yielded ${chunk === null ? 'null' : typeof chunk}; only Uint8Array chunks are accepted`,
  );
}

/**
 * Turns any {@link BlobBody} into an async sequence of non-empty `Uint8Array` chunks, reading
 * streams lazily. Throws `STORAGE_INVALID_BODY` for anything else.
 */
export async function* bodyChunks(body: BlobBody): AsyncGenerator<Uint8Array, void, undefined> {
  if (typeof body === 'string') {
    if (body.length > 0) yield encoder.encode(body);
    return;
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > 0) yield body;
    return;
  }
  if (isReadableStream(body)) {
    const reader = body.getReader();
    let done = false;
    try {
      while (true) {
        const next = await reader.read();
        if (next.done) {
          done = true;
          return;
        }
        const chunk = checkChunk(next.value);
        if (chunk.byteLength > 0) yield chunk;
      }
    } finally {
      if (!done) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  if (isAsyncIterable(body)) {
    for await (const value of body) {
      const chunk = checkChunk(value);
      if (chunk.byteLength > 0) yield chunk;
    }
    return;
  }
  throw new StorageError(
    STORAGE_ERROR_CODES.INVALID_BODY,
    'A body must be a Uint8Array, a string, an AsyncIterable<Uint8Array> or a ReadableStream<Uint8Array>',
  );
}

/** Longest `contentType` or `cacheControl` value `put` accepts. */
export const MAX_METADATA_LENGTH = 256;

// Visible ASCII and space: what an HTTP header value may safely carry, on every backend.
const HEADER_VALUE = /^[\x20-\x7e]*$/;

function assertHeaderValue(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length > MAX_METADATA_LENGTH || !HEADER_VALUE.test(value)) {
    throw new StorageError(
      STORAGE_ERROR_CODES.INVALID_OPTIONS,
      `Invalid ${name}: at most ${MAX_METADATA_LENGTH} visible ASCII characters`,
    );
  }
}

/**
 * Throws `STORAGE_INVALID_OPTIONS` unless `size` is absent or a non-negative safe integer and
 * `contentType`/`cacheControl` are absent or short visible-ASCII strings (they become HTTP headers).
 */
export function assertPutOptions(options: PutOptions | undefined): void {
  if (options === undefined) return;
  const { size } = options;
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
    throw new StorageError(STORAGE_ERROR_CODES.INVALID_OPTIONS, `Invalid put size ${String(size)}`);
  }
  assertHeaderValue('contentType', options.contentType);
  assertHeaderValue('cacheControl', options.cacheControl);
}

/** Throws `STORAGE_SIZE_MISMATCH` when an announced size was not the actual one. */
export function assertSizeMatches(key: string, announced: number | undefined, actual: number): void {
  if (announced !== undefined && announced !== actual) {
    throw new StorageError(
      STORAGE_ERROR_CODES.SIZE_MISMATCH,
      `Body of ${JSON.stringify(key)} has ${actual} bytes, ${announced} were announced`,
      { key },
    );
  }
}

/**
 * Throws `STORAGE_INVALID_RANGE` for a malformed range: bounds must be non-negative safe integers
 * and `end >= start`. Drivers call it before any I/O.
 */
export function assertRange(range: ByteRange | undefined): void {
  if (range === undefined) return;
  const { start, end } = range;
  const bad =
    !Number.isSafeInteger(start) ||
    start < 0 ||
    (end !== undefined && (!Number.isSafeInteger(end) || end < start));
  if (bad) {
    throw new StorageError(
      STORAGE_ERROR_CODES.INVALID_RANGE,
      `Invalid byte range ${JSON.stringify({ start, end })}: bounds must be integers with 0 <= start <= end`,
    );
  }
}

/**
 * Clamps a well-formed range to an object of `total` bytes: `end` beyond the object means "to the
 * end". Throws `STORAGE_RANGE_NOT_SATISFIABLE` when `start >= total` (HTTP 416).
 */
export function resolveRange(key: string, range: ByteRange, total: number): ResolvedRange {
  assertRange(range);
  if (range.start >= total) {
    throw new StorageError(
      STORAGE_ERROR_CODES.RANGE_NOT_SATISFIABLE,
      `Range starting at ${range.start} is not satisfiable for ${JSON.stringify(key)} of ${total} bytes`,
      { key },
    );
  }
  const end = range.end === undefined ? total - 1 : Math.min(range.end, total - 1);
  return { start: range.start, end, total };
}

/** A web stream over a byte array, in chunks of `chunkSize` (copies, so readers cannot alter the source). */
export function streamBytes(bytes: Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(offset + chunkSize, bytes.byteLength);
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
  });
}

/** Reads a whole web stream into one array. Meant for small bodies and tests. */
export async function readAllBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of bodyChunks(stream)) {
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Reads a whole web stream as UTF-8 text. Meant for small bodies and tests. */
export async function readAllText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder().decode(await readAllBytes(stream));
}
