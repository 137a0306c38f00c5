import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAllText } from '@scormflow/storage';
import { describeBlobStorage } from '@scormflow/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISK_HEADER_BYTES, diskStorage, STALE_TEMP_MS } from './disk-storage.js';

describeBlobStorage('disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scormflow-disk-'));
  return { storage: diskStorage({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe('diskStorage on disk', () => {
  let dir: string;
  let outside: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scormflow-disk-'));
    outside = await mkdtemp(join(tmpdir(), 'scormflow-outside-'));
    await writeFile(join(outside, 'secret.txt'), 'outside the root');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('keeps one file per object under objects/, header first, and leaves tmp/ empty', async () => {
    const storage = diskStorage({ dir });
    await storage.put('courses/c1/index.html', '<html></html>', { contentType: 'text/html' });
    const raw = await readFile(join(dir, 'objects', 'courses', 'c1', 'index.html'));
    expect(raw.byteLength).toBe(DISK_HEADER_BYTES + 13);
    expect(JSON.parse(raw.subarray(0, DISK_HEADER_BYTES).toString('utf8'))).toMatchObject({
      v: 1,
      size: 13,
      contentType: 'text/html',
    });
    expect(raw.subarray(DISK_HEADER_BYTES).toString('utf8')).toBe('<html></html>');
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    await expect(storage.put('courses/c2', failingBody())).rejects.toThrow('interrupted');
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('persists across instances', async () => {
    await diskStorage({ dir, fsync: true }).put('a/b.txt', 'kept', { cacheControl: 'no-store' });
    const again = diskStorage({ dir });
    expect(await readAllText((await again.get('a/b.txt'))!.body)).toBe('kept');
    expect((await again.head('a/b.txt'))?.cacheControl).toBe('no-store');
    expect(again.capabilities.persistent).toBe(true);
  });

  it('prunes empty directories on delete and deletePrefix', async () => {
    const storage = diskStorage({ dir });
    await storage.put('t/1/c/a/b/c.txt', 'x');
    await storage.put('t/1/c/keep.txt', 'x');
    await storage.delete('t/1/c/a/b/c.txt');
    expect(await readdir(join(dir, 'objects', 't', '1', 'c'))).toEqual(['keep.txt']);
    await storage.put('t/2/x/y/z', 'x');
    expect(await storage.deletePrefix('t/2')).toBe(1);
    expect(await readdir(join(dir, 'objects', 't'))).toEqual(['1']);
    await storage.delete('t/1/c/keep.txt');
    expect(await readdir(join(dir, 'objects'))).toEqual([]);
  });

  it('refuses a key below an object and an object over a folder', async () => {
    const storage = diskStorage({ dir });
    await storage.put('a/b', 'file');
    await expect(storage.put('a/b/c', 'x')).rejects.toMatchObject({ code: 'STORAGE_KEY_CONFLICT' });
    await storage.put('x/y/z', 'file');
    await expect(storage.put('x/y', 'x')).rejects.toMatchObject({ code: 'STORAGE_KEY_CONFLICT' });
    expect(await storage.get('x/y')).toBeNull();
    expect(await storage.head('x/y')).toBeNull();
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });

  it('never follows a directory symlink out of the root', async () => {
    const storage = diskStorage({ dir });
    await storage.put('real/file', 'inside');
    await symlink(outside, join(dir, 'objects', 'evil'), 'dir');
    await expect(storage.get('evil/secret.txt')).rejects.toMatchObject({ code: 'STORAGE_UNSAFE_PATH' });
    await expect(storage.head('evil/secret.txt')).rejects.toMatchObject({ code: 'STORAGE_UNSAFE_PATH' });
    await expect(storage.put('evil/new.txt', 'x')).rejects.toMatchObject({ code: 'STORAGE_UNSAFE_PATH' });
    await expect(storage.put('evil/deep/new.txt', 'x')).rejects.toMatchObject({
      code: 'STORAGE_UNSAFE_PATH',
    });
    await expect(storage.delete('evil/secret.txt')).rejects.toMatchObject({ code: 'STORAGE_UNSAFE_PATH' });
    await expect(storage.deletePrefix('evil')).rejects.toMatchObject({ code: 'STORAGE_UNSAFE_PATH' });
    await expect(storage.list('evil')).rejects.toMatchObject({ code: 'STORAGE_UNSAFE_PATH' });
    expect((await storage.list('')).items.map((item) => item.key)).toEqual(['real/file']);
    expect(await storage.deletePrefix('')).toBe(1);
    expect(await readdir(outside)).toEqual(['secret.txt']);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside the root');
  });

  it('never follows a file symlink', async () => {
    const storage = diskStorage({ dir });
    await mkdir(join(dir, 'objects', 'links'), { recursive: true });
    await symlink(join(outside, 'secret.txt'), join(dir, 'objects', 'links', 'secret'));
    await expect(storage.get('links/secret')).rejects.toMatchObject({ code: 'STORAGE_UNSAFE_PATH' });
    expect((await storage.list('')).items).toEqual([]);
    await storage.put('links/secret', 'replaces the link, not the target');
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside the root');
    expect(await readAllText((await storage.get('links/secret'))!.body)).toBe(
      'replaces the link, not the target',
    );
  });

  it('reports a foreign file as a backend failure', async () => {
    const storage = diskStorage({ dir });
    await storage.put('seed', 'x');
    await writeFile(join(dir, 'objects', 'foreign.txt'), 'no header');
    await expect(storage.get('foreign.txt')).rejects.toMatchObject({ code: 'STORAGE_BACKEND_FAILURE' });
  });

  it('survives puts racing with deletePrefix of the same folder', async () => {
    const storage = diskStorage({ dir });
    for (let round = 0; round < 200; round++) {
      await Promise.all([
        storage.put(`race/a/b/${round}`, 'x'),
        storage.deletePrefix('race'),
        storage.put(`race/a/c/${round}`, 'y'),
      ]);
    }
    const left = (await storage.list('race')).items.map((item) => item.key);
    for (const key of left) expect(await storage.head(key)).not.toBeNull();
  });

  it('removes uploads a dead process left behind, and only those, when it starts', async () => {
    await mkdir(join(dir, 'tmp'), { recursive: true });
    const stale = join(dir, 'tmp', 'dead-upload.part');
    const live = join(dir, 'tmp', 'live-upload.part');
    await writeFile(stale, 'half a body');
    await writeFile(live, 'still being written');
    const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    await utimes(stale, old, old);
    const storage = diskStorage({ dir });
    await storage.list('');
    expect((await readdir(join(dir, 'tmp'))).sort()).toEqual(['live-upload.part']);
  });

  it('refuses bad options', () => {
    expect(() => diskStorage({ dir: '' })).toThrow(
      expect.objectContaining({ code: 'STORAGE_INVALID_OPTIONS' }),
    );
    expect(() => diskStorage({ dir, readChunkBytes: 0 })).toThrow(
      expect.objectContaining({ code: 'STORAGE_INVALID_OPTIONS' }),
    );
  });
});

async function* failingBody(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(10);
  throw new Error('interrupted');
}
