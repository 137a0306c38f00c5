import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileSource } from '../file-source.js';
import { isSourceError } from './errors.js';
import { openZip, readZipDirectory } from './open-zip.js';
import { writeZip, type ZipWriteFile } from './write-zip.js';
import { resolveZipLimits } from './zip-limits.js';

interface UnzipperFile {
  readonly path: string;
  readonly type: 'File' | 'Directory';
  buffer(): Promise<Buffer>;
}
interface Unzipper {
  readonly Open: { file(path: string): Promise<{ readonly files: readonly UnzipperFile[] }> };
}
const unzipperModule = 'unzipper';
const loadUnzipper = async (): Promise<Unzipper> => {
  const mod = (await import(unzipperModule)) as { default?: Unzipper } & Unzipper;
  return mod.default ?? mod;
};

const hasCommand = (command: string, args: string[]): boolean => {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const hasZip = hasCommand('zip', ['-v']);
const hasPython = hasCommand('python3', ['-c', 'import zipfile']);

let dir: string;
let n = 0;
const next = (ext = 'zip') => join(dir, `w${n++}.${ext}`);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scormflow-zip-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

/** Words drawn at random: compresses like real course text (3-5x), not like a bomb. */
function prose(bytes: number): Buffer {
  const words = [
    'learner',
    'score',
    'module',
    'lesson',
    'quiz',
    'answer',
    'the',
    'of',
    'and',
    'course',
    'page',
  ];
  let out = '';
  while (out.length < bytes)
    out += `${words[Math.floor(Math.random() * words.length)]}${Math.random() < 0.1 ? '.\n' : ' '}`;
  return Buffer.from(out.slice(0, bytes));
}

function sampleFiles(): Map<string, Buffer> {
  return new Map([
    ['imsmanifest.xml', Buffer.from('<?xml version="1.0"?><manifest identifier="m"/>')],
    ['index.html', prose(40_000)],
    ['js/app.js', prose(200_000)],
    ['media/video.bin', randomBytes(3 * 1024 * 1024)],
    ['media/tiny.bin', randomBytes(10)],
    ['docs/résumé ü.txt', Buffer.from('non-ASCII name')],
    ['empty.txt', Buffer.alloc(0)],
  ]);
}

/** Half the files as bytes, half as chunked streams, to exercise both writer paths. */
function asInput(files: Map<string, Buffer>): ZipWriteFile[] {
  return [...files].map(([path, data], i) => ({ path, data: i % 2 === 0 ? data : chunked(data, 65_536) }));
}

async function expectSame(source: FileSource, files: Map<string, Buffer>): Promise<void> {
  expect((await source.list()).map((e) => [e.path, e.size])).toEqual(
    [...files].map(([p, d]) => [p, d.length]),
  );
  for (const [path, data] of files) {
    expect(Buffer.from(await source.read(path)).equals(data), path).toBe(true);
  }
}

describe('writeZip', () => {
  it('round-trips through openZip byte for byte (bytes and streamed files)', async () => {
    const files = sampleFiles();
    const out = next();
    const result = await writeZip(out, asInput(files));
    expect(result).toEqual({ entries: files.size, bytes: (await readFile(out)).length, zip64: false });
    const opened = await openZip(out);
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    await expectSame(opened.source, files);
    await opened.source.close?.();
  });

  it('writes archives that unzipper reads', async () => {
    const unzipper = await loadUnzipper();
    const files = sampleFiles();
    for (const forceZip64 of [false, true]) {
      const out = next();
      await writeZip(out, asInput(files), { forceZip64 });
      const archive = await unzipper.Open.file(out);
      const got = new Map<string, Buffer>();
      for (const file of archive.files) if (file.type === 'File') got.set(file.path, await file.buffer());
      expect([...got.keys()]).toEqual([...files.keys()]);
      for (const [path, data] of files) expect(got.get(path)?.equals(data), path).toBe(true);
    }
  });

  it('writes zip64 records when forced, and reads them back', async () => {
    const files = sampleFiles();
    const out = next();
    expect((await writeZip(out, asInput(files), { forceZip64: true })).zip64).toBe(true);
    const bytes = await readFile(out);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // zip64 EOCD record
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true); // zip64 locator
    const opened = await openZip(out);
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    await expectSame(opened.source, files);
    await opened.source.close?.();
  });

  it('switches to zip64 for more than 65,535 entries', async () => {
    const count = 70_000;
    const out = next();
    const files = function* () {
      for (let i = 0; i < count; i++) yield { path: `f/${i}.txt`, data: Buffer.from(String(i)) };
    };
    const result = await writeZip(out, files(), { level: 0 });
    expect(result.entries).toBe(count);
    expect(result.zip64).toBe(true);
    expect((await openZip(out)).ok).toBe(false); // beyond the default entry limit
    const opened = await openZip(out, { maxEntries: 100_000 });
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    const list = await opened.source.list();
    expect(list.length).toBe(count);
    expect(list[count - 1]).toEqual({ path: `f/${count - 1}.txt`, size: String(count - 1).length });
    expect(Buffer.from(await opened.source.read('f/69999.txt')).toString()).toBe('69999');
    await opened.source.close?.();
  });

  it('stores files marked compress: false, bytes and streams, readable by openZip, unzipper and unzip', async () => {
    const unzipper = await loadUnzipper();
    const media = randomBytes(2 * 1024 * 1024);
    const page = prose(50_000);
    for (const forceZip64 of [false, true]) {
      const out = next();
      await writeZip(
        out,
        [
          { path: 'media/a.mp4', data: chunked(media, 100_000), compress: false },
          { path: 'media/b.mp4', data: media, compress: false },
          { path: 'page.html', data: chunked(page, 10_000) },
          { path: 'media/empty.mp4', data: chunked(new Uint8Array(0), 1), compress: false },
        ],
        { forceZip64 },
      );
      const handle = await open(out, 'r');
      const read = await readZipDirectory(handle, resolveZipLimits());
      await handle.close();
      if (!read.ok) throw new Error('refused');
      expect(read.directory.entries.map((e) => [e.path, e.method, e.flags & 0x8])).toEqual([
        ['media/a.mp4', 0, 0],
        ['media/b.mp4', 0, 0],
        ['page.html', 8, 0x8],
        ['media/empty.mp4', 0, 0],
      ]);
      const opened = await openZip(out);
      if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
      expect(Buffer.from(await opened.source.read('media/a.mp4')).equals(media)).toBe(true);
      expect(Buffer.from(await opened.source.read('media/b.mp4')).equals(media)).toBe(true);
      expect(Buffer.from(await opened.source.read('page.html')).equals(page)).toBe(true);
      await opened.source.close?.();
      const archive = await unzipper.Open.file(out);
      const a = archive.files.find((f) => f.path === 'media/a.mp4');
      expect((await a?.buffer())?.equals(media)).toBe(true);
      if (hasZip) execFileSync('unzip', ['-tq', out]);
    }
  });

  it('is reproducible: same input, same bytes', async () => {
    const files = [
      { path: 'a.txt', data: Buffer.from('a'.repeat(1000)) },
      { path: 'b/c.txt', data: Buffer.from('hello') },
    ];
    const a = next();
    const b = next();
    await writeZip(a, files);
    await writeZip(b, files);
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it.each(['../x', '/abs', 'a/../b', 'a\\b', 'C:/x', 'dir/', '', 'a//b'])(
    'refuses the unsafe or unclean path %j and leaves no file',
    async (path) => {
      const out = next();
      const error = await writeZip(out, [{ path, data: Buffer.from('x') }]).catch((e: unknown) => e);
      expect(isSourceError(error) && error.code).toBe('UNSAFE_PATH');
      expect(existsSync(out)).toBe(false);
    },
  );

  it('refuses a duplicate path', async () => {
    const error = await writeZip(next(), [
      { path: 'a.txt', data: Buffer.from('1') },
      { path: 'a.txt', data: Buffer.from('2') },
    ]).catch((e: unknown) => e);
    expect(isSourceError(error) && error.code).toBe('UNSAFE_PATH');
  });

  it('removes the partial archive when a streamed file fails', async () => {
    const out = next();
    async function* failing() {
      yield Buffer.from('start');
      throw new Error('source went away');
    }
    await expect(writeZip(out, [{ path: 'a.txt', data: failing() }])).rejects.toThrow('source went away');
    expect(existsSync(out)).toBe(false);
  });
});

describe('reading archives from other writers', () => {
  it('reads the committed Info-ZIP fixture', async () => {
    const opened = await openZip(
      fileURLToPath(new URL('../../test/fixtures/zips/info-zip.zip', import.meta.url)),
    );
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    const list = await opened.source.list();
    expect(list.map((e) => e.path)).toEqual(['imsmanifest.xml', 'content/index.html', 'content/data.bin']);
    const manifest = Buffer.from(await opened.source.read('imsmanifest.xml')).toString();
    expect(manifest).toContain('<manifest');
    await opened.source.close?.();
  });

  it.skipIf(!hasZip)('reads archives made by the system zip command (plain and zip64)', async () => {
    const files = sampleFiles();
    const tree = join(dir, `tree${n++}`);
    for (const [path, data] of files) {
      await mkdir(join(tree, path, '..'), { recursive: true });
      await writeFile(join(tree, path), data);
    }
    for (const flags of [
      ['-r', '-X'],
      ['-r', '-X', '-fz'],
    ]) {
      const out = next();
      execFileSync('zip', [...flags, '-q', out, ...files.keys()], { cwd: tree });
      const opened = await openZip(out);
      if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
      const got = new Map((await opened.source.list()).map((e) => [e.path, e.size]));
      expect(got).toEqual(new Map([...files].map(([p, d]) => [p, d.length])));
      for (const [path, data] of files)
        expect(Buffer.from(await opened.source.read(path)).equals(data)).toBe(true);
      await opened.source.close?.();
    }
    // A zip made with folders and a symlink is refused for the link.
    const { symlink } = await import('node:fs/promises');
    await symlink('/etc/passwd', join(tree, 'link'));
    const out = next();
    execFileSync('zip', ['-r', '-y', '-q', out, '.'], { cwd: tree });
    const opened = await openZip(out);
    expect(opened.diagnostics.map((d) => d.code)).toEqual(['ZIP_SYMLINK']);
  });

  it.skipIf(!hasPython)('reads archives made by Python zipfile, forced to zip64 and streamed', async () => {
    const out = next();
    const script = [
      'import sys, zipfile',
      'with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:',
      '    with z.open("big/stream.txt", "w", force_zip64=True) as f:',
      '        for i in range(20000): f.write(("line %d of the lesson\\n" % i).encode())',
      '    z.writestr("imsmanifest.xml", "<manifest/>")',
      '    z.writestr(zipfile.ZipInfo("stored.txt"), "stored bytes", compress_type=zipfile.ZIP_STORED)',
    ].join('\n');
    execFileSync('python3', ['-c', script, out]);
    const opened = await openZip(out);
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    const expected = Array.from({ length: 20000 }, (_, i) => `line ${i} of the lesson\n`).join('');
    expect(Buffer.from(await opened.source.read('big/stream.txt')).toString()).toBe(expected);
    expect(Buffer.from(await opened.source.read('stored.txt')).toString()).toBe('stored bytes');
    await opened.source.close?.();
  });
});
