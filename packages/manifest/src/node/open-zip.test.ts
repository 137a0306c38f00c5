import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../diagnostics.js';
import type { FileSource } from '../file-source.js';
import { crc32, crc32Js } from './crc32.js';
import { isSourceError } from './errors.js';
import { openZip } from './open-zip.js';
import { type BuildZipOptions, buildZip, type RawZipEntry, unixAttributes } from './test-zip-builder.js';
import type { ZipLimits } from './zip-limits.js';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scormflow-zip-reader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const text = (s: string) => Buffer.from(s, 'utf8');
const ok = (name: string, content = 'x'): RawZipEntry => ({ name, data: text(content) });

async function save(bytes: Uint8Array): Promise<string> {
  const path = join(dir, `z${n++}.zip`);
  await writeFile(path, bytes);
  return path;
}

async function open(entries: readonly RawZipEntry[], options?: BuildZipOptions, limits?: Partial<ZipLimits>) {
  return openZip(await save(buildZip(entries, options)), limits);
}

async function codes(
  entries: readonly RawZipEntry[],
  options?: BuildZipOptions,
  limits?: Partial<ZipLimits>,
) {
  const result = await open(entries, options, limits);
  if (result.ok) {
    await result.source.close?.();
    return [];
  }
  return result.diagnostics.map((d) => d.code);
}

async function opened(entries: readonly RawZipEntry[], options?: BuildZipOptions): Promise<FileSource> {
  const result = await open(entries, options);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.source;
}

async function readError(source: FileSource, path: string): Promise<string | undefined> {
  try {
    await source.read(path);
    return undefined;
  } catch (error) {
    if (isSourceError(error)) return error.code;
    throw error;
  }
}

describe('openZip: well-formed archives', () => {
  it('lists files (not folders) in central-directory order and reads them back', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    const source = await opened([
      ok('imsmanifest.xml', '<manifest/>'),
      { name: 'content/', externalAttributes: unixAttributes(0o40755) },
      { name: 'content/page.html', data: text('<p>hello</p>'.repeat(100)), method: 8 },
      { name: 'media/big.bin', data: big, method: 8 },
      { name: 'empty.txt' },
      { name: 'empty-deflated.txt', method: 8, payload: new Uint8Array(0) },
    ]);
    expect(await source.list()).toEqual([
      { path: 'imsmanifest.xml', size: 11 },
      { path: 'content/page.html', size: 1200 },
      { path: 'media/big.bin', size: big.length },
      { path: 'empty.txt', size: 0 },
      { path: 'empty-deflated.txt', size: 0 },
    ]);
    expect((await source.read('empty-deflated.txt')).length).toBe(0);
    expect(Buffer.from(await source.read('content/page.html')).toString()).toBe('<p>hello</p>'.repeat(100));
    expect(Buffer.compare(Buffer.from(await source.read('media/big.bin')), big)).toBe(0);
    expect((await source.read('empty.txt')).length).toBe(0);
    const chunks: Uint8Array[] = [];
    for await (const chunk of source.stream('media/big.bin')) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.compare(Buffer.concat(chunks), big)).toBe(0);
    expect(await readError(source, 'missing.txt')).toBe('FILE_NOT_FOUND');
    await source.close?.();
    expect(await readError(source, 'imsmanifest.xml')).toBe('SOURCE_CLOSED');
  });

  it('decodes CP437 names without flag 11, UTF-8 names with it, and normalises harmless paths', async () => {
    const source = await opened([
      { name: Uint8Array.from([...text('caf'), 0x82, ...text('.txt')]) }, // 0x82 is é in CP437
      { name: 'über/ñ.txt', flags: 0x0800 },
      { name: 'a/./b/../c.txt' },
      { name: 'x\\y.txt' },
    ]);
    expect((await source.list()).map((e) => e.path)).toEqual([
      'café.txt',
      'über/ñ.txt',
      'a/c.txt',
      'x/y.txt',
    ]);
    await source.close?.();
  });

  it('finds the data after a local extra field longer than the central one', async () => {
    const pad = Buffer.concat([Buffer.from([0x99, 0x99, 0xe8, 0x03]), Buffer.alloc(1000)]); // id 0x9999, 1000 bytes
    const big = randomBytes(2 * 1024 * 1024);
    const source = await opened([
      { name: 'a.txt', data: text('after a long local header'), method: 8, localExtra: pad },
      { name: 'b.txt', data: text('stored too'), localExtra: pad },
      { name: 'c.bin', data: big, method: 8, localExtra: pad },
    ]);
    expect(Buffer.from(await source.read('a.txt')).toString()).toBe('after a long local header');
    expect(Buffer.from(await source.read('b.txt')).toString()).toBe('stored too');
    expect(Buffer.from(await source.read('c.bin')).equals(big)).toBe(true);
    await source.close?.();
  });

  it('uses the Info-ZIP Unicode Path field while its CRC matches the stored name', async () => {
    const stored = Buffer.from('caf?.txt', 'latin1');
    const unicode = (name: string, crcOf: Buffer) => {
      const utf8 = Buffer.from(name, 'utf8');
      const field = Buffer.alloc(4 + 5 + utf8.length);
      field.writeUInt16LE(0x7075, 0);
      field.writeUInt16LE(5 + utf8.length, 2);
      field.writeUInt8(1, 4);
      field.writeUInt32LE(crc32(crcOf), 5);
      utf8.copy(field, 9);
      return field;
    };
    const source = await opened([
      { name: stored, centralExtra: unicode('café.txt', stored) },
      { name: Buffer.from('old.txt'), centralExtra: unicode('renamed.txt', Buffer.from('other name')) },
    ]);
    expect((await source.list()).map((e) => e.path)).toEqual(['café.txt', 'old.txt']);
    await source.close?.();
  });

  it('reads zip64 fields (extra field sizes and offsets, zip64 end records) even for small data', async () => {
    const data = text('zip64 '.repeat(50));
    const source = await opened(
      [
        { name: 'a.txt', data, method: 8, zip64: true },
        { name: 'b.txt', data: text('b'), zip64: true },
      ],
      { zip64: true },
    );
    expect(await source.list()).toEqual([
      { path: 'a.txt', size: data.length },
      { path: 'b.txt', size: 1 },
    ]);
    expect(Buffer.from(await source.read('a.txt')).equals(data)).toBe(true);
    expect(Buffer.from(await source.read('b.txt')).toString()).toBe('b');
    await source.close?.();
  });

  it('ignores a comment that contains an End of Central Directory signature', async () => {
    const fake = Buffer.from([0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0]).toString('latin1');
    const source = await opened([ok('a.txt')], { comment: `trap${fake}trap` });
    expect((await source.list()).map((e) => e.path)).toEqual(['a.txt']);
    await source.close?.();
  });

  it('computes CRC-32 identically with the native and the portable implementation', () => {
    const data = randomBytes(10_000);
    expect(crc32Js(data, 0)).toBe(crc32(data));
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32Js(data.subarray(5000), crc32Js(data.subarray(0, 5000), 0))).toBe(crc32(data));
  });
});

describe('openZip: refusals before anything is extracted', () => {
  it.each<[string, DiagnosticCode]>([
    ['../x', 'ZIP_PATH_TRAVERSAL'],
    ['a/../../x', 'ZIP_PATH_TRAVERSAL'],
    ['a\\..\\..\\x', 'ZIP_PATH_TRAVERSAL'],
    ['/etc/x', 'ZIP_ABSOLUTE_PATH'],
    ['\\\\server\\share\\x', 'ZIP_ABSOLUTE_PATH'],
    ['C:\\x', 'ZIP_ABSOLUTE_PATH'],
    ['c:x', 'ZIP_ABSOLUTE_PATH'],
    ['a/C:/x', 'ZIP_ABSOLUTE_PATH'],
    ['a\0b', 'ZIP_INVALID_NAME'],
  ])('refuses entry name %j with %s', async (name, code) => {
    expect(await codes([ok('imsmanifest.xml'), ok(name)])).toEqual([code]);
  });

  it('refuses a traversal even on a folder entry', async () => {
    expect(
      await codes([ok('a.txt'), { name: '../up/', externalAttributes: unixAttributes(0o40755) }]),
    ).toEqual(['ZIP_PATH_TRAVERSAL']);
  });

  it('refuses a symlink entry (Unix mode in the external attributes)', async () => {
    expect(
      await codes([
        ok('a.txt'),
        { name: 'link', data: text('/etc/passwd'), externalAttributes: unixAttributes(0o120777) },
      ]),
    ).toEqual(['ZIP_SYMLINK']);
  });

  it('reads the Unix mode only from Unix hosts', async () => {
    const fat = (0 << 8) | 20;
    expect(
      await codes([{ name: 'a.txt', madeBy: fat, externalAttributes: unixAttributes(0o120777) }]),
    ).toEqual([]);
  });

  it('refuses FIFOs and devices', async () => {
    expect(await codes([{ name: 'fifo', externalAttributes: unixAttributes(0o10644) }])).toEqual([
      'ZIP_SPECIAL_FILE',
    ]);
  });

  it('refuses encrypted entries (flag bit 0, strong encryption, AES method 99)', async () => {
    expect(await codes([{ name: 'a.txt', data: text('x'), flags: 0x1 }])).toEqual(['ZIP_ENCRYPTED']);
    expect(await codes([{ name: 'a.txt', data: text('x'), flags: 0x41 }])).toEqual(['ZIP_ENCRYPTED']);
    expect(await codes([{ name: 'a.txt', data: text('x'), method: 99 }])).toEqual(['ZIP_ENCRYPTED']);
  });

  it('refuses unsupported compression methods', async () => {
    expect(await codes([{ name: 'a.bz2', data: text('x'), method: 12 }])).toEqual(['ZIP_UNSUPPORTED_METHOD']);
    expect(await codes([{ name: 'a.lzma', data: text('x'), method: 14 }])).toEqual([
      'ZIP_UNSUPPORTED_METHOD',
    ]);
  });

  it('refuses duplicate names after normalisation, case-sensitively', async () => {
    expect(await codes([ok('a.txt'), ok('a.txt')])).toEqual(['ZIP_DUPLICATE_ENTRY']);
    expect(await codes([ok('d/a.txt'), ok('d\\a.txt')])).toEqual(['ZIP_DUPLICATE_ENTRY']);
    expect(await codes([ok('d/a.txt'), ok('./d//a.txt')])).toEqual(['ZIP_DUPLICATE_ENTRY']);
    expect(await codes([ok('a'), ok('a/b.txt')])).toEqual(['ZIP_DUPLICATE_ENTRY']);
    expect(await codes([ok('A.txt'), ok('a.txt')])).toEqual([]);
  });

  it('refuses too many entries, from the declared count, before reading the directory', async () => {
    const entries = Array.from({ length: 6 }, (_, i) => ok(`f${i}.txt`));
    expect(await codes(entries, {}, { maxEntries: 5 })).toEqual(['ZIP_TOO_MANY_ENTRIES']);
    expect(await codes(entries, {}, { maxEntries: 6 })).toEqual([]);
    expect(await codes(entries.slice(0, 1), { declaredCount: 60_000 })).toEqual(['ZIP_TOO_MANY_ENTRIES']);
  });

  it('refuses a bomb entry beyond the per-entry ratio, and lets the same data through under the threshold', async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const result = await open([{ name: 'bomb.bin', data: zeros, method: 8 }]);
    // The entry and, since it is the whole archive, the archive overall.
    expect(result.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['ZIP_COMPRESSION_RATIO', 'bomb.bin'],
      ['ZIP_COMPRESSION_RATIO', undefined],
    ]);
    expect(await codes([{ name: 'small.bin', data: zeros.subarray(0, 512 * 1024), method: 8 }])).toEqual([]);
    expect(
      await codes(
        [{ name: 'bomb.bin', data: zeros, method: 8 }],
        {},
        { maxEntryRatio: 5000, maxTotalRatio: 5000 },
      ),
    ).toEqual([]);
  });

  it('refuses many entries that are each under the threshold but expand too much together', async () => {
    const zeros = new Uint8Array(900 * 1024);
    const entries = Array.from({ length: 20 }, (_, i) => ({ name: `z${i}.bin`, data: zeros, method: 8 }));
    expect(await codes(entries)).toEqual(['ZIP_COMPRESSION_RATIO']);
  });

  it('refuses an archive whose total uncompressed size is beyond the limit', async () => {
    const data = randomBytes(2000);
    expect(
      await codes(
        [
          { name: 'a.bin', data },
          { name: 'b.bin', data },
        ],
        {},
        { maxTotalUncompressedBytes: 3000 },
      ),
    ).toEqual(['ZIP_TOO_LARGE']);
    expect(await codes([{ name: 'a.bin', data }], {}, { maxZipBytes: 1000 })).toEqual(['ZIP_TOO_LARGE']);
  });

  it('refuses entries whose data overlap (the overlapping-file bomb)', async () => {
    const kernel = deflateRawSync(new Uint8Array(100_000));
    const body = { data: new Uint8Array(100_000), method: 8, payload: kernel };
    expect(
      await codes([
        { name: 'a.bin', ...body },
        { name: 'b.bin', ...body, localHeaderOffset: 0 },
      ]),
    ).toContain('ZIP_CORRUPT');
  });

  it('refuses a stored entry whose sizes disagree', async () => {
    expect(await codes([{ name: 'a.txt', data: text('abc'), size: 10 }])).toEqual(['ZIP_CORRUPT']);
  });

  it('lists every problem, not only the first', async () => {
    expect(
      await codes([
        ok('../a'),
        { name: 'l', externalAttributes: unixAttributes(0o120777) },
        { name: 'e', flags: 1 },
        ok('d'),
        ok('d'),
      ]),
    ).toEqual(['ZIP_PATH_TRAVERSAL', 'ZIP_SYMLINK', 'ZIP_ENCRYPTED', 'ZIP_DUPLICATE_ENTRY']);
  });
});

describe('openZip: damaged and foreign files', () => {
  it('refuses a file that is not a zip with ZIP_UNREADABLE', async () => {
    expect(
      (await openZip(await save(text('<html>not a zip</html>'.repeat(10))))).diagnostics.map((d) => d.code),
    ).toEqual(['ZIP_UNREADABLE']);
    expect((await openZip(await save(new Uint8Array(0)))).diagnostics.map((d) => d.code)).toEqual([
      'ZIP_UNREADABLE',
    ]);
    expect((await openZip(join(dir, 'does-not-exist.zip'))).diagnostics.map((d) => d.code)).toEqual([
      'ZIP_UNREADABLE',
    ]);
  });

  it('refuses a truncated archive with ZIP_CORRUPT', async () => {
    const whole = buildZip([ok('a.txt', 'a'.repeat(1000)), ok('b.txt', 'b'.repeat(1000))]);
    for (const cut of [10, whole.length / 2, whole.length - 30, whole.length - 1]) {
      const result = await openZip(await save(whole.subarray(0, Math.floor(cut))));
      expect(result.ok).toBe(false);
      expect(result.diagnostics.map((d) => d.code)).toEqual(['ZIP_CORRUPT']);
    }
  });

  it('refuses a central directory that claims to lie past the end of the file', async () => {
    const whole = buildZip([ok('a.txt')]);
    const eocd = whole.length - 22;
    whole.writeUInt32LE(whole.readUInt32LE(eocd + 16) + 1000, eocd + 16);
    expect((await openZip(await save(whole))).diagnostics.map((d) => d.code)).toEqual(['ZIP_CORRUPT']);
  });

  it('throws ZIP_CORRUPT on a CRC mismatch when the entry is read (small and streamed entries)', async () => {
    const big = randomBytes(2 * 1024 * 1024);
    const source = await opened([
      { name: 'small.txt', data: text('hello'), crc: 12345 },
      { name: 'big.bin', data: big, method: 8, crc: crc32(big) ^ 1 },
      { name: 'good.txt', data: text('fine') },
    ]);
    expect(await readError(source, 'small.txt')).toBe('ZIP_CORRUPT');
    expect(await readError(source, 'big.bin')).toBe('ZIP_CORRUPT');
    expect(Buffer.from(await source.read('good.txt')).toString()).toBe('fine');
    await source.close?.();
  });

  it('throws ZIP_CORRUPT for invalid deflate data and for a missing local header', async () => {
    const bytes = buildZip([
      { name: 'moved.txt', data: text('x') },
      {
        name: 'garbage.bin',
        data: text('abcdef'),
        method: 8,
        payload: Uint8Array.from([0xff, 0xff, 0xff, 0xff]),
      },
    ]);
    bytes.writeUInt32LE(0, 0); // wipe the first local header's signature
    const result = await openZip(await save(bytes));
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const source = result.source;
    expect(await readError(source, 'garbage.bin')).toBe('ZIP_CORRUPT');
    expect(await readError(source, 'moved.txt')).toBe('ZIP_CORRUPT');
    await source.close?.();
  });

  it('stops an entry whose declared size lies as soon as it inflates past it (one-shot path)', async () => {
    const zeros = new Uint8Array(2 * 1024 * 1024);
    const source = await opened([{ name: 'liar.bin', data: zeros, method: 8, size: 1000, crc: 0 }]);
    expect(await source.list()).toEqual([{ path: 'liar.bin', size: 1000 }]);
    expect(await readError(source, 'liar.bin')).toBe('ZIP_SIZE_MISMATCH');
    await source.close?.();
  });

  it('checks size and CRC on both read paths: one call and streamed inflate', async () => {
    // Compressed sizes: ~1 KB and ~200 KB (read and inflated in one call), ~600 KB and ~2 MB (streamed).
    const sizes = [1000, 200 * 1024, 600 * 1024, 2 * 1024 * 1024];
    for (const size of sizes) {
      const data = randomBytes(size);
      const source = await opened([
        { name: 'good.bin', data, method: 8 },
        { name: 'liar.bin', data, method: 8, size: size - 100 },
        { name: 'short.bin', data, method: 8, size: size + 100 },
        { name: 'crc.bin', data, method: 8, crc: crc32(data) ^ 0x80 },
      ]);
      expect(Buffer.from(await source.read('good.bin')).equals(data), `${size}`).toBe(true);
      expect(await readError(source, 'liar.bin'), `${size}`).toBe('ZIP_SIZE_MISMATCH');
      expect(await readError(source, 'short.bin'), `${size}`).toBe('ZIP_SIZE_MISMATCH');
      expect(await readError(source, 'crc.bin'), `${size}`).toBe('ZIP_CORRUPT');
      await source.close?.();
    }
  });

  it('lets a reader stop a streamed entry early, and keeps concurrent streams apart', async () => {
    const a = randomBytes(3 * 1024 * 1024);
    const b = randomBytes(3 * 1024 * 1024);
    const source = await opened([
      { name: 'a.bin', data: a, method: 8 },
      { name: 'b.bin', data: b, method: 8 },
    ]);
    for (let i = 0; i < 20; i++) {
      for await (const chunk of source.stream('a.bin')) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
    }
    const [gotA, gotB] = await Promise.all([source.read('a.bin'), source.read('b.bin')]);
    expect(Buffer.from(gotA).equals(a)).toBe(true);
    expect(Buffer.from(gotB).equals(b)).toBe(true);
    await source.close?.();
  });

  it('stops a streamed entry whose declared size lies before yielding more than it declared', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const declared = 1024 * 1024;
    const source = await opened([{ name: 'liar.bin', data, method: 8, size: declared }]);
    let yielded = 0;
    let code: string | undefined;
    try {
      for await (const chunk of source.stream('liar.bin')) yielded += chunk.length;
    } catch (error) {
      code = isSourceError(error) ? error.code : String(error);
    }
    expect(code).toBe('ZIP_SIZE_MISMATCH');
    expect(yielded).toBeLessThanOrEqual(declared);
    await source.close?.();
  });

  it('reports an entry that inflates to fewer bytes than declared', async () => {
    const data = text('short');
    const source = await opened([{ name: 'short.txt', data, method: 8, size: 50 }]);
    expect(await readError(source, 'short.txt')).toBe('ZIP_SIZE_MISMATCH');
    await source.close?.();
  });

  it('refuses zip64 sentinels without the zip64 records', async () => {
    const whole = buildZip([ok('a.txt')]);
    whole.writeUInt32LE(0xffffffff, whole.length - 22 + 16);
    expect((await openZip(await save(whole))).diagnostics.map((d) => d.code)).toEqual(['ZIP_CORRUPT']);
  });

  it('refuses a zip64 entry whose extra field lacks the announced sizes', async () => {
    const whole = buildZip([{ name: 'a.txt', data: text('a'), zip64: true }], { zip64: true });
    // Shrink the central zip64 extra field's declared length so the offset is missing.
    const cdStart = whole.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const extraAt = cdStart + 46 + 'a.txt'.length;
    whole.writeUInt16LE(16, extraAt + 2);
    expect((await openZip(await save(whole))).diagnostics.map((d) => d.code)).toEqual(['ZIP_CORRUPT']);
  });
});
