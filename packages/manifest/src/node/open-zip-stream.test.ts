import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openZipStream } from './open-zip-stream.js';
import { buildZip } from './test-zip-builder.js';
import { writeZip } from './write-zip.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scormflow-zip-stream-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Spool folders this process left behind (the tests in this file run one after another). */
const spools = async () =>
  (await readdir(tmpdir())).filter((name) => name.startsWith('scormflow-upload-')).sort();

async function* chunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

describe('openZipStream', () => {
  it('spools a Node stream, reads it, and deletes the spool on close', async () => {
    const zip = join(dir, 'a.zip');
    await writeZip(zip, [
      { path: 'imsmanifest.xml', data: Buffer.from('<manifest/>') },
      { path: 'a/b.txt', data: Buffer.from('b'.repeat(5000)) },
    ]);
    const before = await spools();
    const opened = await openZipStream(createReadStream(zip, { highWaterMark: 1024 }));
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    expect((await spools()).length).toBe(before.length + 1);
    expect(Buffer.from(await opened.source.read('a/b.txt')).toString()).toBe('b'.repeat(5000));
    await opened.source.close?.();
    expect(await spools()).toEqual(before);
  });

  it('accepts an async iterable of chunks', async () => {
    const zip = join(dir, 'b.zip');
    await writeZip(zip, [{ path: 'x.txt', data: Buffer.from('x') }]);
    const opened = await openZipStream(chunks(await readFile(zip), 7));
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    expect(await opened.source.list()).toEqual([{ path: 'x.txt', size: 1 }]);
    await opened.source.close?.();
  });

  it('stops spooling past maxZipBytes, refuses with ZIP_TOO_LARGE and leaves nothing behind', async () => {
    const before = await spools();
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield new Uint8Array(64 * 1024);
      }
    }
    const opened = await openZipStream(endless(), { maxZipBytes: 1024 * 1024 });
    expect(opened.ok).toBe(false);
    expect(opened.diagnostics.map((d) => d.code)).toEqual(['ZIP_TOO_LARGE']);
    expect(pulled).toBe(17);
    expect(await spools()).toEqual(before);
  });

  it('rejects when the upload stream fails, and leaves nothing behind', async () => {
    const before = await spools();
    async function* broken() {
      yield new Uint8Array(1000);
      throw new Error('connection reset');
    }
    await expect(openZipStream(broken())).rejects.toThrow('connection reset');
    expect(await spools()).toEqual(before);
  });

  it('refuses a hostile upload with the same diagnostics as a file, and cleans up', async () => {
    const before = await spools();
    const opened = await openZipStream(
      chunks(buildZip([{ name: '../evil.sh', data: Buffer.from('x') }]), 10),
    );
    expect(opened.diagnostics.map((d) => d.code)).toEqual(['ZIP_PATH_TRAVERSAL']);
    expect(await spools()).toEqual(before);
  });
});

describe('openZipStream backpressure', () => {
  it('spools a long upload without accumulating listeners on the spool file', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const big = new Uint8Array(64 * 1024).fill(7);
      async function* chunks() {
        for (let i = 0; i < 400; i++) yield big;
      }
      const result = await openZipStream(chunks());
      expect(result.ok).toBe(false);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
