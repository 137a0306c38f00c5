import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySource } from './directory-source.js';
import { isSourceError } from './errors.js';
import { openPackage } from './open-package.js';
import { writeZip } from './write-zip.js';

const hasMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'scormflow-dir-source-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  const dir = join(root, `t${n++}`);
  await mkdir(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const errorCode = (error: unknown) => (isSourceError(error) ? error.code : String(error));

describe('directorySource', () => {
  it('lists regular files sorted, with package paths and sizes, and reads them', async () => {
    const dir = await tree({
      'imsmanifest.xml': '<manifest/>',
      'b/z.js': 'zz',
      'b/a.html': 'aaa',
      'a.txt': '',
    });
    const opened = await directorySource(dir);
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    const { source } = opened;
    expect(await source.list()).toEqual([
      { path: 'a.txt', size: 0 },
      { path: 'b/a.html', size: 3 },
      { path: 'b/z.js', size: 2 },
      { path: 'imsmanifest.xml', size: 11 },
    ]);
    expect(Buffer.from(await source.read('b/a.html')).toString()).toBe('aaa');
    const chunks: Uint8Array[] = [];
    for await (const chunk of source.stream('imsmanifest.xml')) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('<manifest/>');
  });

  it('never reads outside the listing, whatever the path says', async () => {
    const dir = await tree({ 'a.txt': 'a' });
    await writeFile(join(root, 'secret.txt'), 'secret');
    const opened = await directorySource(dir);
    if (!opened.ok) throw new Error('refused');
    for (const path of ['../secret.txt', '/etc/passwd', 'b/../../secret.txt', './a.txt']) {
      expect(errorCode(await opened.source.read(path).catch((e: unknown) => e)), path).toBe('FILE_NOT_FOUND');
    }
  });

  it('refuses a folder that contains a symbolic link, to a file or a folder', async () => {
    const dir = await tree({ 'a.txt': 'a', 'sub/b.txt': 'b' });
    await symlink('/etc/passwd', join(dir, 'passwd'));
    await symlink('/etc', join(dir, 'sub', 'etc'));
    const opened = await directorySource(dir);
    expect(opened.ok).toBe(false);
    expect(opened.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['ZIP_SYMLINK', 'passwd'],
      ['ZIP_SYMLINK', 'sub/etc'],
    ]);
  });

  it('refuses a file swapped for a link after the folder was opened', async () => {
    const dir = await tree({ 'a.txt': 'a' });
    const opened = await directorySource(dir);
    if (!opened.ok) throw new Error('refused');
    await rm(join(dir, 'a.txt'));
    await symlink('/etc/passwd', join(dir, 'a.txt'));
    expect(errorCode(await opened.source.read('a.txt').catch((e: unknown) => e))).toBe('NOT_A_FILE');
  });

  it.skipIf(!hasMkfifo)('refuses a FIFO', async () => {
    const dir = await tree({ 'a.txt': 'a' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect((await directorySource(dir)).diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['ZIP_SPECIAL_FILE', 'pipe'],
    ]);
  });

  it('applies the entry and size limits', async () => {
    const dir = await tree({ 'a.txt': 'aaaa', 'b.txt': 'bbbb', 'c/d.txt': 'dddd' });
    expect((await directorySource(dir, { maxEntries: 3 })).diagnostics.map((d) => d.code)).toEqual([
      'ZIP_TOO_MANY_ENTRIES',
    ]);
    expect(
      (await directorySource(dir, { maxTotalUncompressedBytes: 10 })).diagnostics.map((d) => d.code),
    ).toEqual(['ZIP_TOO_LARGE']);
    expect((await directorySource(dir, { maxEntries: 4, maxTotalUncompressedBytes: 12 })).ok).toBe(true);
  });

  it('refuses a path that is not a folder', async () => {
    expect((await directorySource(join(root, 'missing'))).diagnostics.map((d) => d.code)).toEqual([
      'ZIP_UNREADABLE',
    ]);
  });
});

describe('openPackage', () => {
  it('opens a folder as a directory source and a file as a zip, with the same listing', async () => {
    const files = { 'imsmanifest.xml': '<manifest/>', 'content/page.html': '<p>page</p>' };
    const dir = await tree(files);
    const zip = join(root, `p${n++}.zip`);
    await writeZip(
      zip,
      Object.entries(files).map(([path, text]) => ({ path, data: Buffer.from(text) })),
    );
    const fromDir = await openPackage(dir);
    const fromZip = await openPackage(zip);
    if (!fromDir.ok || !fromZip.ok) throw new Error('refused');
    const sort = (list: readonly { path: string }[]) =>
      [...list].sort((a, b) => a.path.localeCompare(b.path));
    expect(sort(await fromZip.source.list())).toEqual(sort(await fromDir.source.list()));
    expect(Buffer.from(await fromZip.source.read('content/page.html')).toString()).toBe('<p>page</p>');
    await fromZip.source.close?.();
  });

  it('reports a missing path and passes limits through', async () => {
    expect((await openPackage(join(root, 'nope'))).diagnostics.map((d) => d.code)).toEqual([
      'ZIP_UNREADABLE',
    ]);
    const dir = await tree({ 'a.txt': 'a', 'b.txt': 'b' });
    expect((await openPackage(dir, { maxEntries: 1 })).diagnostics.map((d) => d.code)).toEqual([
      'ZIP_TOO_MANY_ENTRIES',
    ]);
  });
});
