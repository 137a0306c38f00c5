// Disk driver benchmark: streamed large objects and many small ones, each against a baseline that
// does the same file-system work without the driver (node:fs streams, writeFile + rename), measured
// in the same run. Driver and baseline alternate for ROUNDS rounds and the median time is reported,
// because the machine may be busy. Peak RSS growth is sampled every 5 ms while each step runs.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { diskStorage } from '../src/index.js';

const LARGE = 128 * 1024 * 1024;
const ROUNDS = 3;
const SMALL_COUNT = 2000;
const SMALL_BYTES = 4 * 1024;
const pool = randomBytes(1024 * 1024);

async function* body(total: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += pool.byteLength)
    yield pool.subarray(0, Math.min(pool.byteLength, total - sent));
}

interface Sample {
  ms: number;
  rssMiB: number;
}

/** Runs driver and baseline alternately; returns the median time and the largest RSS growth of each. */
async function compare(
  driver: (round: number) => Promise<void>,
  baseline: (round: number) => Promise<void>,
): Promise<[Sample, Sample]> {
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    a.push(await measure(() => driver(round)));
    b.push(await measure(() => baseline(round)));
  }
  const summary = (samples: Sample[]): Sample => ({
    ms: samples.map((sample) => sample.ms).sort((x, y) => x - y)[Math.floor(samples.length / 2)]!,
    rssMiB: Math.max(...samples.map((sample) => sample.rssMiB)),
  });
  return [summary(a), summary(b)];
}

async function measure(task: () => Promise<void>): Promise<Sample> {
  globalThis.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const start = performance.now();
  await task();
  const ms = performance.now() - start;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { ms, rssMiB: (peak - base) / 1024 / 1024 };
}

const rows: string[][] = [];
function report(
  name: string,
  bytes: number | undefined,
  ops: number | undefined,
  driver: Sample,
  baseline: Sample,
) {
  const rate = (r: { ms: number }) =>
    bytes !== undefined
      ? `${(bytes / 1024 / 1024 / (r.ms / 1000)).toFixed(0)} MiB/s`
      : `${((ops ?? 0) / (r.ms / 1000)).toFixed(0)} ops/s`;
  rows.push([
    name,
    rate(driver),
    rate(baseline),
    (baseline.ms / driver.ms).toFixed(2),
    `${driver.rssMiB.toFixed(1)} MiB`,
    `${baseline.rssMiB.toFixed(1)} MiB`,
  ]);
}

const dir = await mkdtemp(join(tmpdir(), 'scormflow-disk-bench-'));
try {
  const storage = diskStorage({ dir: join(dir, 'driver') });
  const raw = join(dir, 'raw');
  await mkdir(raw, { recursive: true });

  const [putDriver, putRaw] = await compare(
    async () => {
      await storage.put('large/body.bin', body(LARGE), { contentType: 'application/zip' });
    },
    async () => {
      const temp = join(raw, 'body.part');
      await pipeline(Readable.from(body(LARGE)), createWriteStream(temp));
      await rename(temp, join(raw, 'body.bin'));
    },
  );
  report(`put ${LARGE / 1024 / 1024} MiB streamed`, LARGE, undefined, putDriver, putRaw);

  const [getDriver, getRaw] = await compare(
    async () => {
      const object = await storage.get('large/body.bin');
      for await (const _ of object!.body as unknown as AsyncIterable<Uint8Array>) {
        // drain
      }
    },
    async () => {
      for await (const _ of createReadStream(join(raw, 'body.bin'), { highWaterMark: 64 * 1024 })) {
        // drain
      }
    },
  );
  report(`get ${LARGE / 1024 / 1024} MiB streamed`, LARGE, undefined, getDriver, getRaw);

  const small = new Uint8Array(SMALL_BYTES).fill(7);
  const [smallDriver, smallRaw] = await compare(
    async (round) => {
      for (let i = 0; i < SMALL_COUNT; i++) {
        await storage.put(`r${round}/course/${i % 40}/asset-${i}.js`, small, {
          contentType: 'text/javascript',
        });
      }
    },
    async (round) => {
      for (let i = 0; i < SMALL_COUNT; i++) {
        const folder = join(raw, `r${round}`, 'course', String(i % 40));
        await mkdir(folder, { recursive: true });
        const temp = join(raw, `tmp-${i}`);
        await writeFile(temp, small);
        await rename(temp, join(folder, `asset-${i}.js`));
      }
    },
  );
  report(`put ${SMALL_COUNT} x 4 KiB`, undefined, SMALL_COUNT, smallDriver, smallRaw);

  const [listDriver, listRaw] = await compare(
    async (round) => {
      let cursor: string | undefined;
      let seen = 0;
      do {
        const page = await storage.list(`r${round}/course`, { cursor });
        seen += page.items.length;
        cursor = page.cursor;
      } while (cursor);
      if (seen !== SMALL_COUNT) throw new Error(`listed ${seen}`);
    },
    async (round) => {
      const base = join(raw, `r${round}`, 'course');
      for (const folder of await readdir(base)) {
        for (const name of await readdir(join(base, folder))) await stat(join(base, folder, name));
      }
    },
  );
  report(`list ${SMALL_COUNT} keys`, undefined, SMALL_COUNT, listDriver, listRaw);

  const [deleteDriver, deleteRaw] = await compare(
    async (round) => {
      if ((await storage.deletePrefix(`r${round}`)) !== SMALL_COUNT) throw new Error('deletePrefix count');
    },
    async (round) => {
      await rm(join(raw, `r${round}`), { recursive: true });
    },
  );
  report(`deletePrefix ${SMALL_COUNT} keys`, undefined, SMALL_COUNT, deleteDriver, deleteRaw);
} finally {
  await rm(dir, { recursive: true, force: true });
}

console.log(
  `diskStorage vs node:fs baseline (same run, median of ${ROUNDS}; ratio = baseline time / driver time)\n`,
);
const header = ['step', 'diskStorage', 'baseline', 'ratio', 'driver peak RSS +', 'baseline peak RSS +'];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
