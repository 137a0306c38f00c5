import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileSource, FileSourceEntry } from '../file-source.js';
import { isSourceError } from './errors.js';
import { forEachEntry } from './extract.js';
import { openZip } from './open-zip.js';
import { buildZip } from './test-zip-builder.js';
import { writeZip } from './write-zip.js';

let dir: string;
let zip: string;
/** Small (one-shot) and large (streamed) entries, deflated and stored, so every read path runs. */
const files = new Map<string, Buffer>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scormflow-extract-'));
  for (let i = 0; i < 24; i++) {
    files.set(`pages/p${i}.html`, Buffer.from(`<p>page ${i}</p>`.repeat(200 + i * 97)));
  }
  for (let i = 0; i < 4; i++) files.set(`media/m${i}.bin`, randomBytes(300_000 + i * 700_000));
  files.set('big/text.txt', Buffer.from(randomBytes(1_500_000).toString('hex')));
  files.set('empty.txt', Buffer.alloc(0));
  zip = join(dir, 'course.zip');
  await writeZip(
    zip,
    [...files].map(([path, data]) => ({ path, data, compress: !path.startsWith('media/') })),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openCourse(): Promise<FileSource> {
  const opened = await openZip(zip);
  if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
  return opened.source;
}

/** Wraps a source to count the streams being read at the same time. */
function counting(source: FileSource): { source: FileSource; open: () => number; peak: () => number } {
  let open = 0;
  let peak = 0;
  return {
    open: () => open,
    peak: () => peak,
    source: {
      list: () => source.list(),
      read: (path) => source.read(path),
      async *stream(path) {
        open++;
        peak = Math.max(peak, open);
        try {
          yield* source.stream(path);
        } finally {
          open--;
        }
      },
    },
  };
}

/** Lets other tasks run, so that concurrent calls really interleave. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('forEachEntry', () => {
  it.each([1, 2, 4, 8])(
    'extracts every entry of a zip to disk exactly once with concurrency %i',
    async (concurrency) => {
      const source = await openCourse();
      const out = join(dir, `out${concurrency}`);
      const seen: string[] = [];
      try {
        await forEachEntry(
          source,
          async (entry, stream) => {
            seen.push(entry.path);
            const target = join(out, entry.path);
            await mkdir(dirname(target), { recursive: true });
            const file = await open(target, 'wx');
            try {
              for await (const chunk of stream) await file.write(chunk);
            } finally {
              await file.close();
            }
          },
          { concurrency },
        );
      } finally {
        await source.close?.();
      }
      expect([...seen].sort()).toEqual([...files.keys()].sort());
      for (const [path, data] of files) {
        expect((await readFile(join(out, path))).equals(data), path).toBe(true);
      }
    },
  );

  it('keeps concurrent streams of one archive apart (no shared buffers)', async () => {
    const source = await openCourse();
    const got = new Map<string, Buffer>();
    try {
      await forEachEntry(
        source,
        async (entry, stream) => {
          const chunks: Buffer[] = [];
          // Yield between chunks so that reads and inflates of all entries interleave.
          for await (const chunk of stream) {
            chunks.push(Buffer.from(chunk));
            await tick();
          }
          got.set(entry.path, Buffer.concat(chunks));
        },
        { concurrency: files.size },
      );
    } finally {
      await source.close?.();
    }
    expect(got.size).toBe(files.size);
    for (const [path, data] of files) expect(got.get(path)?.equals(data), path).toBe(true);
  });

  it.each([1, 3, 8])('never has more than %i streams open at once', async (concurrency) => {
    const zipSource = await openCourse();
    const counter = counting(zipSource);
    let running = 0;
    let peakRunning = 0;
    try {
      await forEachEntry(
        counter.source,
        async (_entry, stream) => {
          running++;
          peakRunning = Math.max(peakRunning, running);
          await tick();
          for await (const _chunk of stream) await tick();
          running--;
        },
        { concurrency },
      );
    } finally {
      await zipSource.close?.();
    }
    expect(peakRunning).toBe(concurrency);
    expect(counter.peak()).toBeLessThanOrEqual(concurrency);
    expect(counter.peak()).toBeGreaterThan(concurrency === 1 ? 0 : 1);
    expect(counter.open()).toBe(0);
  });

  it('handles only the given entries, in any order of completion', async () => {
    const source = await openCourse();
    const wanted: FileSourceEntry[] = (await source.list()).filter((e) => e.path.startsWith('pages/'));
    const done: string[] = [];
    try {
      await forEachEntry(
        source,
        async (entry, stream) => {
          // Later entries finish first.
          for (let i = 0; i < 30 - wanted.indexOf(entry); i++) await tick();
          for await (const _chunk of stream);
          done.push(entry.path);
        },
        { concurrency: 6, entries: wanted },
      );
    } finally {
      await source.close?.();
    }
    expect([...done].sort()).toEqual(wanted.map((e) => e.path).sort());
    expect(done).not.toEqual(wanted.map((e) => e.path));
  });

  it('stops starting entries after an error, waits for those running, and throws the first error', async () => {
    const source = await openCourse();
    const entries = await source.list();
    const started: string[] = [];
    let running = 0;
    let finishedAfterError = 0;
    let failedAt = -1;
    try {
      const result = forEachEntry(
        source,
        async (entry, stream) => {
          started.push(entry.path);
          running++;
          try {
            if (started.length === 3) {
              failedAt = started.length;
              throw new Error(`cannot store ${entry.path}`);
            }
            if (started.length === 5) throw new Error('a later failure');
            for await (const _chunk of stream) await tick();
            if (failedAt >= 0) finishedAfterError++;
          } finally {
            running--;
          }
        },
        { concurrency: 3 },
      );
      await expect(result).rejects.toThrow(`cannot store ${entries[2]!.path}`);
    } finally {
      await source.close?.();
    }
    expect(running).toBe(0);
    // The two entries already running when the third failed were allowed to finish.
    expect(started.length).toBe(3);
    expect(finishedAfterError).toBe(2);
  });

  it('throws the source error of a damaged entry', async () => {
    const damaged = join(dir, 'damaged.zip');
    const data = Buffer.from('hello '.repeat(1000));
    await writeFile(
      damaged,
      buildZip([
        { name: 'a.txt', data, method: 8 },
        { name: 'b.txt', data, method: 8, crc: 12345 },
      ]),
    );
    const opened = await openZip(damaged);
    if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
    try {
      const error = await forEachEntry(opened.source, async (_entry, stream) => {
        for await (const _chunk of stream);
      }).catch((e: unknown) => e);
      expect(isSourceError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('ZIP_CORRUPT');
    } finally {
      await opened.source.close?.();
    }
  });

  it('refuses a concurrency that is not a positive integer', async () => {
    const source = await openCourse();
    try {
      for (const concurrency of [0, -1, 1.5, Number.NaN]) {
        await expect(forEachEntry(source, async () => undefined, { concurrency })).rejects.toThrow(
          RangeError,
        );
      }
    } finally {
      await source.close?.();
    }
  });

  it('does nothing for no entries', async () => {
    const source = await openCourse();
    let calls = 0;
    try {
      await forEachEntry(
        source,
        async () => {
          calls++;
        },
        { entries: [] },
      );
    } finally {
      await source.close?.();
    }
    expect(calls).toBe(0);
  });
});
