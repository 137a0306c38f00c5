import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAllBytes, readAllText } from '../body.js';
import { isStorageError, type StorageErrorCode } from '../errors.js';
import { checkKey, MAX_KEY_BYTES } from '../keys.js';
import { scoped } from '../scoped.js';
import type { BlobStorage, ListItem, ListPage } from '../types.js';

/** What a conformance factory returns: a fresh, empty storage and how to dispose of it. */
export interface BlobStorageFixture {
  storage: BlobStorage;
  cleanup?: () => Promise<void>;
}

/** Options of {@link describeBlobStorage}. */
export interface DescribeBlobStorageOptions {
  /** Names of groups (`describe`) or tests (`it`) to skip, with the reason next to the call. */
  skip?: string[];
  /** Size of the streamed body of the large-object tests, in bytes (default 20 MiB). */
  largeBodyBytes?: number;
}

const CHUNK = 64 * 1024;

/**
 * Deterministic pseudo-random bytes, produced chunk by chunk so that a large body is never held
 * in memory by the test.
 */
export async function* generatedBody(totalBytes: number, seed = 1): AsyncGenerator<Uint8Array> {
  let state = seed >>> 0 || 1;
  let remaining = totalBytes;
  while (remaining > 0) {
    const size = Math.min(CHUNK, remaining);
    const chunk = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      chunk[i] = state & 0xff;
    }
    remaining -= size;
    yield chunk;
  }
}

async function sha256Of(source: AsyncIterable<Uint8Array>): Promise<{ hex: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { hex: hash.digest('hex'), bytes };
}

async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function expectStorageError(promise: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeDefined();
  expect(isStorageError(caught), `expected a StorageError, got ${String(caught)}`).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
}

async function listAll(storage: BlobStorage, prefix: string, limit?: number): Promise<ListItem[]> {
  const items: ListItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const result: ListPage = await storage.list(prefix, {
      ...(cursor ? { cursor } : {}),
      ...(limit ? { limit } : {}),
    });
    items.push(...result.items);
    cursor = result.cursor;
    if (cursor === undefined) return items;
  }
  throw new Error('list did not terminate');
}

async function text(storage: BlobStorage, key: string): Promise<string | null> {
  const object = await storage.get(key);
  return object ? readAllText(object.body) : null;
}

async function runLimited<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  });
  await Promise.all(workers);
}

/** Keys that every driver must refuse, with the rule each one breaks. */
export const HOSTILE_KEYS: readonly string[] = [
  '',
  '/',
  '/etc/passwd',
  '../escape',
  'a/../../escape',
  'a/..',
  '..',
  '.',
  './a',
  'a/./b',
  'a//b',
  'a/',
  'a\\..\\b',
  '..\\escape',
  'nul\u0000byte',
  'line\nbreak',
  'tab\there',
  'del\u007f',
  'lone\ud800surrogate',
  'x'.repeat(MAX_KEY_BYTES + 1),
  `${'y'.repeat(256)}/z`,
];

/** Keys that look suspicious but are valid: they must be stored verbatim, never decoded. */
export const ODD_VALID_KEYS: readonly string[] = [
  '%2e%2e/escape',
  '..%2fescape',
  '%2E%2E%5Cescape',
  '...',
  '.hidden/..file',
  'fullwidth/\uff0e\uff0e/x',
  'spaces and +plus= &amp;/ä ö ü €/😀.txt',
];

/** A valid key of exactly MAX_KEY_BYTES (1024) bytes: five 200-byte segments and a 19-byte one. */
export const LONGEST_KEY: string = `${['a', 'b', 'c', 'd', 'e'].map((letter) => letter.repeat(200)).join('/')}/${'f'.repeat(19)}`;

/**
 * The conformance suite every {@link BlobStorage} driver runs. `factory` is called before each
 * test and must return an empty storage; `cleanup` runs after it.
 *
 * @see ../../README.md#conformance-suite
 */
export function describeBlobStorage(
  name: string,
  factory: () => Promise<BlobStorageFixture>,
  options: DescribeBlobStorageOptions = {},
): void {
  const skip = new Set(options.skip ?? []);
  const largeBodyBytes = options.largeBodyBytes ?? 20 * 1024 * 1024;
  let fixture: BlobStorageFixture | undefined;
  const storage = (): BlobStorage => {
    if (!fixture) throw new Error('storage fixture not ready');
    return fixture.storage;
  };
  const group = (title: string, body: () => void) =>
    skip.has(title) ? describe.skip(title, body) : describe(title, body);
  const test = (title: string, body: () => Promise<void>, timeout?: number) =>
    skip.has(title) ? it.skip(title, body, timeout) : it(title, body, timeout);

  describe(`BlobStorage conformance: ${name}`, () => {
    beforeEach(async () => {
      fixture = await factory();
    });
    afterEach(async () => {
      const current = fixture;
      fixture = undefined;
      await current?.cleanup?.();
    });

    group('put and get', () => {
      test('round-trips UTF-8 text', async () => {
        const value = 'Grüße, 世界 😀\nline two';
        const result = await storage().put('docs/hello.txt', value);
        expect(result.size).toBe(new TextEncoder().encode(value).byteLength);
        expect(await text(storage(), 'docs/hello.txt')).toBe(value);
      });

      test('round-trips every byte value', async () => {
        const bytes = new Uint8Array(256 * 3).map((_, i) => (i * 7) % 256);
        await storage().put('bin/all-bytes', bytes);
        const object = await storage().get('bin/all-bytes');
        expect(object).not.toBeNull();
        expect(object!.size).toBe(bytes.byteLength);
        expect(await readAllBytes(object!.body)).toEqual(bytes);
      });

      test('stores an empty body', async () => {
        await storage().put('empty', new Uint8Array(0));
        const object = await storage().get('empty');
        expect(object?.size).toBe(0);
        expect((await readAllBytes(object!.body)).byteLength).toBe(0);
        expect((await storage().head('empty'))?.size).toBe(0);
      });

      test('stores only the viewed bytes of a Uint8Array view', async () => {
        const backing = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
        await storage().put('view', backing.subarray(2, 5));
        expect(Array.from(await readAllBytes((await storage().get('view'))!.body))).toEqual([3, 4, 5]);
      });

      test('accepts a web ReadableStream body', async () => {
        const parts = ['alpha-', 'beta-', 'gamma'];
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
            controller.close();
          },
        });
        await storage().put('stream/web', stream);
        expect(await text(storage(), 'stream/web')).toBe('alpha-beta-gamma');
      });

      test('accepts an AsyncIterable body', async () => {
        async function* parts() {
          yield new TextEncoder().encode('one ');
          yield new Uint8Array(0);
          yield new TextEncoder().encode('two');
        }
        await storage().put('stream/iterable', parts(), { contentType: 'text/plain' });
        expect(await text(storage(), 'stream/iterable')).toBe('one two');
      });

      test('returns null for a missing key', async () => {
        expect(await storage().get('missing/key')).toBeNull();
        expect(await storage().head('missing/key')).toBeNull();
        expect(await storage().get('missing/key', { range: { start: 0 } })).toBeNull();
      });

      test('keeps contentType and cacheControl', async () => {
        await storage().put('meta/page.html', '<p>hi</p>', {
          contentType: 'text/html; charset=utf-8',
          cacheControl: 'public, max-age=60',
        });
        const head = await storage().head('meta/page.html');
        expect(head).toMatchObject({
          size: 9,
          contentType: 'text/html; charset=utf-8',
          cacheControl: 'public, max-age=60',
        });
        const object = await storage().get('meta/page.html');
        expect(object).toMatchObject({ size: 9, contentType: 'text/html; charset=utf-8' });
        await object!.body.cancel();
      });

      test('overwrites an object with its content and metadata', async () => {
        const first = await storage().put('over/write', 'first version, longer', {
          contentType: 'text/plain',
        });
        const second = await storage().put('over/write', 'second');
        expect(await text(storage(), 'over/write')).toBe('second');
        const head = await storage().head('over/write');
        expect(head?.size).toBe(6);
        expect(head?.contentType).not.toBe('text/plain');
        if (first.etag !== undefined && second.etag !== undefined) expect(second.etag).not.toBe(first.etag);
        expect(await listAll(storage(), 'over')).toHaveLength(1);
      });

      test('reports the same size and etag from put, head, get and list', async () => {
        const put = await storage().put('tags/one', 'etag me');
        const head = await storage().head('tags/one');
        const object = await storage().get('tags/one');
        await object!.body.cancel();
        const [item] = (await storage().list('tags')).items;
        expect(head?.size).toBe(put.size);
        expect(item?.size).toBe(put.size);
        expect(head?.etag).toBe(put.etag);
        expect(object?.etag).toBe(put.etag);
        if (head?.lastModified) expect(head.lastModified).toBeInstanceOf(Date);
      });

      test('rejects a body whose size differs from the announced size, keeping the old object', async () => {
        await storage().put('sized', 'old');
        await expectStorageError(storage().put('sized', 'four', { size: 3 }), 'STORAGE_SIZE_MISMATCH');
        await expectStorageError(storage().put('sized', 'ab', { size: 3 }), 'STORAGE_SIZE_MISMATCH');
        await expectStorageError(
          storage().put('never', generatedBody(10_000), { size: 9_999 }),
          'STORAGE_SIZE_MISMATCH',
        );
        expect(await text(storage(), 'sized')).toBe('old');
        expect(await storage().head('never')).toBeNull();
        await storage().put('sized', 'new', { size: 3 });
        expect(await text(storage(), 'sized')).toBe('new');
      });

      test('refuses bad put options', async () => {
        for (const options of [
          { size: -1 },
          { size: 1.5 },
          { contentType: 'text/plain\r\nX-Injected: 1' },
          { contentType: 'x'.repeat(257) },
          { cacheControl: 'max-age=1\n' },
          { contentType: 'text/plain; name=ä' },
        ]) {
          await expectStorageError(storage().put('opts', 'x', options), 'STORAGE_INVALID_OPTIONS');
        }
        expect(await storage().head('opts')).toBeNull();
      });

      test('rejects bodies that are not bytes', async () => {
        await expectStorageError(storage().put('bad', 42 as never), 'STORAGE_INVALID_BODY');
        async function* strings() {
          yield 'not bytes';
        }
        await expectStorageError(storage().put('bad', strings() as never), 'STORAGE_INVALID_BODY');
        expect(await storage().head('bad')).toBeNull();
      });

      test('stores nothing when the body stream fails', async () => {
        await storage().put('fails', 'previous');
        async function* failing() {
          yield new Uint8Array(1000).fill(1);
          throw new Error('upload interrupted');
        }
        await expect(storage().put('fails', failing())).rejects.toThrow();
        await expect(storage().put('fails-new', failing())).rejects.toThrow();
        expect(await text(storage(), 'fails')).toBe('previous');
        expect(await storage().head('fails-new')).toBeNull();
        expect((await listAll(storage(), '')).map((item) => item.key)).toEqual(['fails']);
      });
    });

    group('keys', () => {
      test('refuses invalid keys in every method', async () => {
        for (const key of HOSTILE_KEYS) {
          await expectStorageError(storage().put(key, 'x'), 'STORAGE_INVALID_KEY');
          await expectStorageError(storage().get(key), 'STORAGE_INVALID_KEY');
          await expectStorageError(storage().head(key), 'STORAGE_INVALID_KEY');
          await expectStorageError(storage().delete(key), 'STORAGE_INVALID_KEY');
        }
        await expectStorageError(storage().put(42 as never, 'x'), 'STORAGE_INVALID_KEY');
        expect(await listAll(storage(), '')).toEqual([]);
      });

      test('refuses invalid prefixes in list and deletePrefix', async () => {
        for (const prefix of ['/', '/abs', '../x', 'a//b', 'a/../b', 'a\\b', 'nul\u0000', 'a//']) {
          await expectStorageError(storage().list(prefix), 'STORAGE_INVALID_PREFIX');
          await expectStorageError(storage().deletePrefix(prefix), 'STORAGE_INVALID_PREFIX');
        }
      });

      test('stores odd but valid keys verbatim', async () => {
        for (const key of ODD_VALID_KEYS) await storage().put(key, key);
        for (const key of ODD_VALID_KEYS) expect(await text(storage(), key)).toBe(key);
        const listed = (await listAll(storage(), '')).map((item) => item.key);
        expect(new Set(listed)).toEqual(new Set(ODD_VALID_KEYS));
      });

      test('stores a key of the maximum length', async () => {
        await storage().put(LONGEST_KEY, 'long');
        expect(await text(storage(), LONGEST_KEY)).toBe('long');
        expect((await listAll(storage(), 'aaaa')).map((item) => item.key)).toEqual([]);
        expect((await listAll(storage(), LONGEST_KEY.slice(0, 200))).map((item) => item.key)).toEqual([
          LONGEST_KEY,
        ]);
      });

      test('scoped views cannot reach outside their prefix', async () => {
        const base = storage();
        await base.put('tenants/t2/secret', 'other tenant');
        await base.put('tenants/t1-evil/x', 'sibling');
        const t1 = scoped(base, 'tenants/t1');
        for (const key of HOSTILE_KEYS) {
          await expectStorageError(t1.put(key, 'x'), 'STORAGE_INVALID_KEY');
          await expectStorageError(t1.get(key), 'STORAGE_INVALID_KEY');
        }
        for (const key of ['../t2/secret', '..%2ft2%2fsecret', '%2e%2e/t2/secret', '/tenants/t2/secret']) {
          const read = t1.get(key).then(
            (object) => object,
            (error: unknown) => {
              expect(isStorageError(error)).toBe(true);
              return null;
            },
          );
          expect(await read).toBeNull();
        }
        // valid on its own (1020 bytes), too long once the scope's prefix is added
        const nearlyFull = `${Array.from({ length: 5 }, () => 'z'.repeat(200)).join('/')}/${'z'.repeat(15)}`;
        expect(checkKey(nearlyFull).ok).toBe(true);
        await expectStorageError(t1.put(nearlyFull, 'x'), 'STORAGE_INVALID_KEY');
        for (const key of ODD_VALID_KEYS.slice(0, 6)) await t1.put(key, 'inside');
        const everything = (await listAll(base, '')).map((item) => item.key);
        const inside = everything.filter((key) => key.startsWith('tenants/t1/'));
        expect(inside).toHaveLength(6);
        expect(everything.filter((key) => !key.startsWith('tenants/t1/')).sort()).toEqual([
          'tenants/t1-evil/x',
          'tenants/t2/secret',
        ]);
        expect((await listAll(t1, '')).map((item) => item.key).sort()).toEqual(
          [...ODD_VALID_KEYS.slice(0, 6)].sort(),
        );
        expect(await t1.deletePrefix('')).toBe(6);
        expect(await text(base, 'tenants/t2/secret')).toBe('other tenant');
        expect(await text(base, 'tenants/t1-evil/x')).toBe('sibling');
      });
    });

    group('streaming', () => {
      test('streams a large generated body in and out', async () => {
        const expected = await sha256Of(generatedBody(largeBodyBytes, 7));
        const result = await storage().put('large/body.bin', generatedBody(largeBodyBytes, 7), {
          contentType: 'application/octet-stream',
        });
        expect(result.size).toBe(largeBodyBytes);
        expect((await storage().head('large/body.bin'))?.size).toBe(largeBodyBytes);
        const object = await storage().get('large/body.bin');
        expect(object?.size).toBe(largeBodyBytes);
        const actual = await sha256Of(iterate(object!.body));
        expect(actual).toEqual(expected);
      }, 120_000);

      test('streams a large body with an announced size', async () => {
        const size = Math.floor(largeBodyBytes / 2) + 12_345;
        await storage().put('large/sized.bin', generatedBody(size, 3), { size });
        const actual = await sha256Of(iterate((await storage().get('large/sized.bin'))!.body));
        expect(actual).toEqual(await sha256Of(generatedBody(size, 3)));
      }, 120_000);

      test('lets a reader stop early', async () => {
        await storage().put('early/stop', generatedBody(1024 * 1024, 5));
        const object = await storage().get('early/stop');
        const reader = object!.body.getReader();
        const first = await reader.read();
        expect(first.done).toBe(false);
        await reader.cancel();
        await storage().delete('early/stop');
        expect(await storage().head('early/stop')).toBeNull();
      });
    });

    group('ranges', () => {
      const digits = '0123456789abcdefghij';
      const ranged = async (start: number, end?: number) => {
        const object = await storage().get('range/digits', {
          range: end === undefined ? { start } : { start, end },
        });
        return { object: object!, text: await readAllText(object!.body) };
      };

      test('reads from a start offset to the end', async () => {
        await storage().put('range/digits', digits, { contentType: 'text/plain' });
        const { object, text: body } = await ranged(5);
        expect(body).toBe(digits.slice(5));
        expect(object.size).toBe(15);
        expect(object.range).toEqual({ start: 5, end: 19, total: 20 });
        expect(object.contentType).toBe('text/plain');
      });

      test('reads an inclusive start-end range', async () => {
        await storage().put('range/digits', digits);
        const { object, text: body } = await ranged(3, 7);
        expect(body).toBe('34567');
        expect(object.size).toBe(5);
        expect(object.range).toEqual({ start: 3, end: 7, total: 20 });
        expect((await ranged(0, 0)).text).toBe('0');
        expect((await ranged(19, 19)).text).toBe('j');
      });

      test('clamps an end beyond the object', async () => {
        await storage().put('range/digits', digits);
        const { object, text: body } = await ranged(15, 1_000_000);
        expect(body).toBe('fghij');
        expect(object.range).toEqual({ start: 15, end: 19, total: 20 });
      });

      test('reads a range deep inside a large object', async () => {
        const size = 3 * 1024 * 1024 + 17;
        await storage().put('range/large', generatedBody(size, 11));
        const whole = await readAllBytes((await storage().get('range/large'))!.body);
        const start = 2 * 1024 * 1024 + 3;
        const object = await storage().get('range/large', { range: { start, end: start + 99_999 } });
        expect(object?.range).toEqual({ start, end: start + 99_999, total: size });
        expect(await readAllBytes(object!.body)).toEqual(whole.slice(start, start + 100_000));
      });

      test('refuses a range that starts at or after the end', async () => {
        await storage().put('range/digits', digits);
        await expectStorageError(
          storage().get('range/digits', { range: { start: 20 } }),
          'STORAGE_RANGE_NOT_SATISFIABLE',
        );
        await expectStorageError(
          storage().get('range/digits', { range: { start: 25, end: 30 } }),
          'STORAGE_RANGE_NOT_SATISFIABLE',
        );
        await storage().put('range/empty', '');
        await expectStorageError(
          storage().get('range/empty', { range: { start: 0 } }),
          'STORAGE_RANGE_NOT_SATISFIABLE',
        );
      });

      test('refuses malformed ranges', async () => {
        await storage().put('range/digits', digits);
        for (const range of [
          { start: -1 },
          { start: 5, end: 4 },
          { start: 1.5 },
          { start: 0, end: 2.5 },
          { start: Number.NaN },
          { start: 0, end: -1 },
        ]) {
          await expectStorageError(storage().get('range/digits', { range }), 'STORAGE_INVALID_RANGE');
        }
      });
    });

    group('list', () => {
      test('lists keys in code point order with sizes', async () => {
        // '\u{1f600}' sorts before '\uffee' in UTF-16 code units but after it in code points (and UTF-8).
        const keys = ['a0', 'a-c', 'a.x', 'B', 'b', '\uffee', '\u{1f600}', 'a/b0', 'a/b/c'];
        for (const [index, key] of keys.entries()) await storage().put(key, 'x'.repeat(index));
        const items = await listAll(storage(), '');
        expect(items.map((item) => item.key)).toEqual([
          'B',
          'a-c',
          'a.x',
          'a/b/c',
          'a/b0',
          'a0',
          'b',
          '\uffee',
          '\u{1f600}',
        ]);
        for (const item of items) expect(item.size).toBe(keys.indexOf(item.key));
        const paged = await listAll(storage(), '', 2);
        expect(paged.map((item) => item.key)).toEqual(items.map((item) => item.key));
      });

      test('treats a prefix as a folder', async () => {
        for (const key of ['a/b/1', 'a/b/2/deep', 'a/bc/3', 'a/b-c/4', 'a/b.txt', 'ab/5', 'z/a/b/6']) {
          await storage().put(key, key);
        }
        // Order is checked by 'lists keys in code point order'; this test is about boundaries.
        const keysOf = async (prefix: string) =>
          (await listAll(storage(), prefix)).map((item) => item.key).sort();
        expect(await keysOf('a/b')).toEqual(['a/b/1', 'a/b/2/deep']);
        expect(await keysOf('a/b/')).toEqual(['a/b/1', 'a/b/2/deep']);
        expect(await keysOf('a')).toEqual(['a/b-c/4', 'a/b.txt', 'a/b/1', 'a/b/2/deep', 'a/bc/3']);
        expect(await keysOf('a/b.txt')).toEqual([]);
        expect(await keysOf('nothing/here')).toEqual([]);
        expect(await keysOf('')).toHaveLength(7);
      });

      test('pages with a cursor', async () => {
        const keys = Array.from({ length: 25 }, (_, i) => `page/k${String(i).padStart(3, '0')}`);
        await runLimited(keys, 8, (key) => storage().put(key, key));
        await storage().put('pagex/outside', 'x');
        const pages: ListPage[] = [];
        let cursor: string | undefined;
        do {
          const page = await storage().list('page', { limit: 10, ...(cursor ? { cursor } : {}) });
          pages.push(page);
          cursor = page.cursor;
        } while (cursor !== undefined && pages.length < 10);
        expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5]);
        expect(pages.flatMap((page) => page.items.map((item) => item.key))).toEqual(keys);
        const exact = await storage().list('page', { limit: 25 });
        expect(exact.items).toHaveLength(25);
        expect(exact.cursor).toBeUndefined();
        expect(await listAll(storage(), 'page', 1)).toHaveLength(25);
      });

      test('refuses bad limits and cursors', async () => {
        await storage().put('l/one', '1');
        for (const limit of [0, -1, 1.5, 1001, Number.NaN]) {
          await expectStorageError(storage().list('l', { limit }), 'STORAGE_INVALID_LIST_OPTIONS');
        }
        await expectStorageError(
          storage().list('l', { cursor: 'not a cursor\u0000' }),
          'STORAGE_INVALID_LIST_OPTIONS',
        );
      });

      test('lists nothing in an empty storage', async () => {
        expect(await storage().list('')).toEqual({ items: [] });
        expect(await storage().list('some/prefix')).toEqual({ items: [] });
      });
    });

    group('delete', () => {
      test('deletes one object and ignores missing ones', async () => {
        await storage().put('del/a', 'a');
        await storage().put('del/b', 'b');
        await storage().delete('del/a');
        await storage().delete('del/a');
        await storage().delete('never/existed');
        expect(await storage().get('del/a')).toBeNull();
        expect(await text(storage(), 'del/b')).toBe('b');
        expect((await listAll(storage(), '')).map((item) => item.key)).toEqual(['del/b']);
      });

      test('deletes a prefix as a folder and counts', async () => {
        for (const key of [
          'course/1/index.html',
          'course/1/js/app.js',
          'course/1/js/lib/x.js',
          'course/10/keep',
          'course/1-keep',
        ]) {
          await storage().put(key, key);
        }
        expect(await storage().deletePrefix('course/1')).toBe(3);
        expect((await listAll(storage(), '')).map((item) => item.key)).toEqual([
          'course/1-keep',
          'course/10/keep',
        ]);
        expect(await storage().deletePrefix('course/1')).toBe(0);
        expect(await storage().deletePrefix('nothing')).toBe(0);
        await storage().put('course/1/again', 'back');
        expect(await text(storage(), 'course/1/again')).toBe('back');
      });

      test('deletes a prefix of more than one thousand objects', async () => {
        const keys = Array.from({ length: 1_050 }, (_, i) => `bulk/${i % 7}/item-${i}`);
        await runLimited(keys, 16, (key) => storage().put(key, 'b'));
        await storage().put('bulkhead', 'stays');
        expect(await storage().deletePrefix('bulk/')).toBe(1_050);
        expect((await listAll(storage(), '')).map((item) => item.key)).toEqual(['bulkhead']);
      }, 120_000);

      test('deletes everything with the empty prefix', async () => {
        await storage().put('x/1', '1');
        await storage().put('y', '2');
        expect(await storage().deletePrefix('')).toBe(2);
        expect(await listAll(storage(), '')).toEqual([]);
      });
    });

    group('concurrency', () => {
      test('handles concurrent puts of different keys', async () => {
        const keys = Array.from({ length: 60 }, (_, i) => `conc/${i % 5}/${i}`);
        await Promise.all(keys.map((key) => storage().put(key, `value of ${key}`)));
        const values = await Promise.all(keys.map((key) => text(storage(), key)));
        expect(values).toEqual(keys.map((key) => `value of ${key}`));
      });

      test('never mixes concurrent puts to one key', async () => {
        const writers = Array.from({ length: 8 }, (_, i) => i);
        const size = 256 * 1024;
        await Promise.all(
          writers.map((i) =>
            storage().put('conc/same', new Uint8Array(size).fill(i + 1), {
              contentType: `application/x-writer-${i + 1}`,
            }),
          ),
        );
        const object = await storage().get('conc/same');
        const bytes = await readAllBytes(object!.body);
        expect(bytes.byteLength).toBe(size);
        const writer = bytes[0]!;
        expect(bytes.every((byte) => byte === writer)).toBe(true);
        expect(object?.contentType).toBe(`application/x-writer-${writer}`);
        expect((await storage().head('conc/same'))?.contentType).toBe(`application/x-writer-${writer}`);
      });
    });
  });
}
