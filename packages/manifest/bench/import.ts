/**
 * Package import benchmark. Generates a ~50 MB course (a few hundred HTML/JS/CSS files, pseudo-random
 * "media", an imsmanifest.xml), zips it with `writeZip`, then measures in the same run:
 *
 * - baseline A, unzipper: `Open.file` and every entry piped to /dev/null;
 * - baseline B, node:zlib: the whole archive in memory, every entry inflated with `inflateRawSync`;
 * - baseline C, the disk: the same files written from memory with `writeFile` (the floor of any
 *   import to local storage on this machine);
 * - import: `openZip` + read and parse the manifest + stream every entry to a file in a temp folder
 *   (what a local-storage import does) through `forEachEntry`, in a child process so that its peak
 *   RSS is its own; once per entry concurrency in CONCURRENCIES, the default's figures in the main
 *   table.
 *
 * MB/s is uncompressed megabytes (10^6 bytes) per second; each figure is the median of the runs.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { benchCourseFiles } from '@scormflow/bench-course';
import { parseManifest } from '../src/index.js';
import { DEFAULT_ENTRY_CONCURRENCY, forEachEntry, openZip, writeZip } from '../src/node/index.js';
import { readZipDirectory } from '../src/node/open-zip.js';
import { resolveZipLimits } from '../src/node/zip-limits.js';

/**
 * `SCORMFLOW_BENCH_IMPORT_SCALE=10` multiplies the media files (about 450 MB instead of 50) to show
 * that the import's memory does not grow with the package; fewer runs are then made.
 */
const SCALE = Math.max(1, Number(process.env.SCORMFLOW_BENCH_IMPORT_SCALE ?? 1) || 1);
const RUNS = SCALE > 1 ? 3 : 5;
const CHILD_FLAG = '--import-bench-child';
const IDLE_FLAG = '--import-bench-idle';
/** Files written at once by baseline C. */
const DISK_CONCURRENCY = 4;
/** Entry concurrencies of the import measured in the same run. */
const CONCURRENCIES = [1, 2, 4, 8] as const;
const MB = 1e6;

interface Generated {
  readonly dir: string;
  readonly files: readonly string[];
  readonly bytes: number;
}

async function generateCourse(dir: string): Promise<Generated> {
  const files: string[] = [];
  let bytes = 0;
  const put = async (path: string, data: string | Uint8Array) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), data);
    files.push(path);
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  };
  // Content and media first, the manifest last, as the archive has always been laid out.
  const [manifest, ...content] = benchCourseFiles({ mediaScale: SCALE });
  for (const file of [...content, ...(manifest ? [manifest] : [])]) await put(file.path, file.data);
  return { dir, files, bytes };
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Sample {
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** CPU seconds of the process (user + system, all threads, so thread-pool work too). */
  readonly cpu: number;
}

function startClock(): () => Sample {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  return () => {
    const cpu = process.cpuUsage(cpuStart);
    return { seconds: Number(process.hrtime.bigint() - start) / 1e9, cpu: (cpu.user + cpu.system) / 1e6 };
  };
}

async function timeOnce(run: () => Promise<number>): Promise<Sample & { bytes: number }> {
  const stop = startClock();
  const bytes = await run();
  return { ...stop(), bytes };
}

interface UnzipperEntry {
  readonly type: string;
  stream(): NodeJS.ReadableStream;
}
interface Unzipper {
  readonly Open: { file(path: string): Promise<{ readonly files: readonly UnzipperEntry[] }> };
}

async function baselineUnzipper(zip: string): Promise<number> {
  const moduleName = 'unzipper';
  const mod = (await import(moduleName)) as { default?: Unzipper } & Unzipper;
  const unzipper = mod.default ?? mod;
  const archive = await unzipper.Open.file(zip);
  let bytes = 0;
  for (const entry of archive.files) {
    if (entry.type !== 'File') continue;
    const input = entry.stream();
    input.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    await pipeline(input, createWriteStream('/dev/null'));
  }
  return bytes;
}

async function baselineZlib(zip: string): Promise<number> {
  const handle = await open(zip, 'r');
  const read = await readZipDirectory(handle, resolveZipLimits());
  await handle.close();
  if (!read.ok) throw new Error('benchmark archive refused');
  const whole = await readFile(zip);
  let bytes = 0;
  for (const entry of read.directory.entries) {
    if (entry.directory) continue;
    const at = entry.localHeaderOffset;
    const start = at + 30 + whole.readUInt16LE(at + 26) + whole.readUInt16LE(at + 28);
    const data = whole.subarray(start, start + entry.compressedSize);
    bytes += entry.method === 8 ? inflateRawSync(data).length : data.length;
  }
  return bytes;
}

/** The floor of any import to disk: the same files written from memory, no zip involved. */
async function baselineDisk(course: Generated, outDir: string): Promise<Sample> {
  const contents = await Promise.all(course.files.map((path) => readFile(join(course.dir, path))));
  const stop = startClock();
  const folders = new Set(course.files.map((path) => dirname(join(outDir, path))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < course.files.length) {
      const i = next++;
      await writeFile(join(outDir, course.files[i]!), contents[i]!, { flag: 'wx' });
    }
  };
  await Promise.all(Array.from({ length: DISK_CONCURRENCY }, worker));
  const sample = stop();
  await rm(outDir, { recursive: true, force: true });
  return sample;
}

/**
 * One import: open, parse the manifest, write every file, `concurrency` entries at once. Returns the
 * bytes written. Without an output folder every entry is streamed and dropped: the reader's own
 * speed, no disk writes.
 */
async function importOnce(zip: string, outDir: string | undefined, concurrency: number): Promise<number> {
  const opened = await openZip(zip);
  if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
  const { source } = opened;
  try {
    const parsed = parseManifest(await source.read('imsmanifest.xml'));
    if (!parsed.manifest)
      throw new Error(`manifest did not parse: ${JSON.stringify(parsed.diagnostics.slice(0, 3))}`);
    const list = await source.list();
    let bytes = 0;
    if (outDir === undefined) {
      await forEachEntry(
        source,
        async (_entry, stream) => {
          for await (const chunk of stream) bytes += chunk.length;
        },
        { concurrency, entries: list },
      );
      return bytes;
    }
    const folders = new Set(list.map((e) => dirname(join(outDir, e.path))));
    for (const folder of folders) await mkdir(folder, { recursive: true });
    await forEachEntry(
      source,
      async (entry, stream) => {
        const file = await open(join(outDir, entry.path), 'wx');
        try {
          for await (const chunk of stream) await file.write(chunk);
        } finally {
          await file.close();
        }
        bytes += entry.size;
      },
      { concurrency, entries: list },
    );
    return bytes;
  } finally {
    await source.close?.();
  }
}

/**
 * Peak resident size of this process, in KB. On Linux `process.resourceUsage().maxRSS` of a spawned
 * child includes its parent's resident size at the time of the fork (the kernel folds the forked
 * copy's high-water mark into the child's at exec), so a 400 MB parent makes every child look 400 MB
 * big. `VmHWM` in /proc/self/status is the high-water mark of the child's own address space.
 */
function peakRssKb(): { peakKb: number; maxRssKb: number } {
  const maxRssKb = process.resourceUsage().maxRSS;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const hwm = /VmHWM:\s+(\d+)\s*kB/.exec(status);
    return { peakKb: hwm ? Number(hwm[1]) : maxRssKb, maxRssKb };
  } catch {
    return { peakKb: maxRssKb, maxRssKb };
  }
}

interface ChildReport {
  /** Each run, in order: cold (fresh process), warm, then warm without writing files. */
  readonly runs: readonly Sample[];
  readonly bytes: number;
  /** Own peak resident size (VmHWM on Linux) after the imports. */
  readonly peakKb: number;
  /** The same after the read-only pass too. */
  readonly readPeakKb?: number;
  /** `process.resourceUsage().maxRSS`, inflated by the parent's size on Linux. */
  readonly maxRssKb: number;
}

/**
 * Runs in a child process: the import twice (cold, then warm) into fresh folders, then once more
 * without writing files; prints one JSON line.
 */
async function importChild(zip: string, outDir: string, concurrency: number): Promise<void> {
  const runs: Sample[] = [];
  let bytes = 0;
  for (let i = 0; i < 2; i++) {
    const out = join(outDir, `run${i}`);
    const stop = startClock();
    bytes = await importOnce(zip, out, concurrency);
    runs.push(stop());
    await rm(out, { recursive: true, force: true });
  }
  // The high-water mark is taken before the read-only pass, which has no disk to slow it down and
  // so leaves more garbage between collections than an import does.
  const peak = peakRssKb();
  const stop = startClock();
  if ((await importOnce(zip, undefined, concurrency)) !== bytes)
    throw new Error('the read-only pass missed bytes');
  runs.push(stop());
  const report: ChildReport = { runs, bytes, ...peak, readPeakKb: peakRssKb().peakKb };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/**
 * How to start the child: as plain JavaScript bundled from this file, the way the package runs once
 * published. Under tsx every child would also carry the TypeScript loader and its worker thread
 * (about 35 MB of resident memory). Falls back to tsx when the bundler (tsup, a workspace tool) is
 * not installed.
 */
async function childCommand(work: string): Promise<{ argv: string[]; mode: string }> {
  const self = fileURLToPath(import.meta.url);
  try {
    const bundler = 'tsup';
    const { build } = (await import(bundler)) as { build(options: object): Promise<void> };
    const outDir = join(work, 'child');
    await build({
      entry: { child: self },
      outDir,
      format: ['esm'],
      outExtension: () => ({ js: '.mjs' }),
      platform: 'node',
      target: 'node20',
      noExternal: [/^(?!unzipper$)/],
      splitting: false,
      sourcemap: false,
      dts: false,
      silent: true,
      config: false,
      esbuildOptions(options: { conditions?: string[] }) {
        options.conditions = ['@scormflow/source'];
      },
    });
    return { argv: [join(outDir, 'child.mjs')], mode: 'bundled JavaScript, plain node' };
  } catch {
    return { argv: [...process.execArgv, self], mode: 'TypeScript through tsx' };
  }
}

let childArgv: string[] = [];

function runChild(args: readonly string[]): ChildReport {
  const child = spawnSync(process.execPath, [...childArgv, ...args], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`import child failed: ${child.stderr}`);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildReport;
}

/** Runs the whole benchmark and prints the table. */
export async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'scormflow-bench-import-'));
  try {
    const course = await generateCourse(join(work, 'course'));
    const launcher = await childCommand(work);
    childArgv = launcher.argv;
    const zip = join(work, 'course.zip');
    const stopWrite = startClock();
    await writeZip(
      zip,
      course.files.map((path) => ({ path, data: createReadStream(join(course.dir, path)) })),
    );
    const writeSeconds = stopWrite().seconds;
    const zipBytes = (await stat(zip)).size;

    // Rounds interleave every measurement, so that a change in the machine's load during the run
    // (other processes) weighs on baselines and import alike; each figure is the median of rounds.
    const names = ['unzipper', 'zlib', 'disk', 'cold', 'warm', 'read'] as const;
    type Name = (typeof names)[number];
    interface Measured {
      readonly samples: Map<Name, Sample[]>;
      peakKb: number;
      readPeakKb: number;
      maxRssKb: number;
    }
    const measured = new Map<number, Measured>(
      CONCURRENCIES.map((n) => [
        n,
        { samples: new Map(names.map((name) => [name, []])), peakKb: 0, readPeakKb: 0, maxRssKb: 0 },
      ]),
    );
    const chosen = measured.get(DEFAULT_ENTRY_CONCURRENCY);
    if (!chosen) throw new Error(`CONCURRENCIES lacks the default, ${DEFAULT_ENTRY_CONCURRENCY}`);
    for (let i = 0; i < RUNS; i++) {
      const a = await timeOnce(() => baselineUnzipper(zip));
      const b = await timeOnce(() => baselineZlib(zip));
      if (a.bytes !== course.bytes || b.bytes !== course.bytes) throw new Error('a baseline missed bytes');
      const c = await baselineDisk(course, join(work, `disk${i}`));
      for (const [concurrency, m] of measured) {
        m.samples.get('unzipper')!.push(a);
        m.samples.get('zlib')!.push(b);
        m.samples.get('disk')!.push(c);
        const child = runChild([
          CHILD_FLAG,
          zip,
          join(work, `imported${i}-${concurrency}`),
          `${concurrency}`,
        ]);
        if (child.bytes !== course.bytes)
          throw new Error(`import wrote ${child.bytes} bytes, expected ${course.bytes}`);
        m.samples.get('cold')!.push(child.runs[0]!);
        m.samples.get('warm')!.push(child.runs[1]!);
        m.samples.get('read')!.push(child.runs[2]!);
        m.peakKb = Math.max(m.peakKb, child.peakKb);
        m.readPeakKb = Math.max(m.readPeakKb, child.readPeakKb ?? 0);
        m.maxRssKb = Math.max(m.maxRssKb, child.maxRssKb);
      }
    }
    const { peakKb, readPeakKb, maxRssKb } = chosen;
    const idle = runChild([IDLE_FLAG]);
    const mbps = (seconds: number) => course.bytes / MB / seconds;
    const wallOf = (m: Measured, name: Name) => mbps(median(m.samples.get(name)!.map((x) => x.seconds)));
    const cpuOf = (m: Measured, name: Name) => mbps(median(m.samples.get(name)!.map((x) => x.cpu)));
    const wall = (name: Name) => wallOf(chosen, name);
    const cpu = (name: Name) => cpuOf(chosen, name);
    const importRss = peakKb / 1024;

    const rows: [string, string, string, string][] = [
      ['', 'wall MB/s', 'CPU MB/s', ''],
      ['writeZip (deflate level 6, streamed)', mbps(writeSeconds).toFixed(1), '', 'one run'],
      [
        'baseline A: unzipper Open.file -> /dev/null',
        wall('unzipper').toFixed(1),
        cpu('unzipper').toFixed(1),
        '',
      ],
      [
        'baseline B: node:zlib inflateRawSync, in memory',
        wall('zlib').toFixed(1),
        cpu('zlib').toFixed(1),
        '',
      ],
      ['baseline C: same files from memory to disk', wall('disk').toFixed(1), cpu('disk').toFixed(1), ''],
      ['import, first in a fresh process (cold)', wall('cold').toFixed(1), cpu('cold').toFixed(1), 'child'],
      ['import: openZip + manifest + files (warm)', wall('warm').toFixed(1), cpu('warm').toFixed(1), 'child'],
      [
        'reader alone: openZip + manifest + stream all, no disk',
        wall('read').toFixed(1),
        cpu('read').toFixed(1),
        'child',
      ],
      [
        'reader alone / baseline A',
        ratio(wall('read'), wall('unzipper')),
        ratio(cpu('read'), cpu('unzipper')),
        'neither writes files',
      ],
      ['reader alone / baseline B', ratio(wall('read'), wall('zlib')), ratio(cpu('read'), cpu('zlib')), ''],
      ['import / baseline A', ratio(wall('warm'), wall('unzipper')), ratio(cpu('warm'), cpu('unzipper')), ''],
      ['import / baseline B', ratio(wall('warm'), wall('zlib')), ratio(cpu('warm'), cpu('zlib')), ''],
      ['import / baseline C', ratio(wall('warm'), wall('disk')), ratio(cpu('warm'), cpu('disk')), ''],
      ['import peak RSS, MB (child VmHWM, max of rounds)', importRss.toFixed(1), '', 'target < 150 MB'],
      ['  after the reader-alone pass too, MB', (readPeakKb / 1024).toFixed(1), '', ''],
      ['idle child peak RSS, MB (same modules, no work)', (idle.peakKb / 1024).toFixed(1), '', ''],
      [
        'import child resourceUsage().maxRSS, MB',
        (maxRssKb / 1024).toFixed(1),
        '',
        'includes the parent at fork',
      ],
    ];
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    console.log(
      `\nPackage import: ${course.files.length} files, ${(course.bytes / MB).toFixed(1)} MB uncompressed, ` +
        `${(zipBytes / MB).toFixed(1)} MB zipped; median of ${RUNS} interleaved rounds; MB = 10^6 bytes of ` +
        'uncompressed data; CPU MB/s = per CPU-second of the process (all threads), steadier on a busy machine; ' +
        `child: ${launcher.mode}; import rows at entry concurrency ${DEFAULT_ENTRY_CONCURRENCY} (the default)`,
    );
    for (const [a, b, c, d] of rows) {
      console.log(`  ${a.padEnd(widths[0]!)}  ${b.padStart(widths[1]!)}  ${c.padStart(widths[2]!)}  ${d}`);
    }
    const byConcurrency: string[][] = [
      ['entries at once', 'warm MB/s', 'CPU MB/s', 'cold MB/s', 'reader MB/s', 'peak RSS MB', '/ baseline C'],
      ...[...measured].map(([n, m]) => [
        `${n}${n === DEFAULT_ENTRY_CONCURRENCY ? ' (default)' : ''}`,
        wallOf(m, 'warm').toFixed(1),
        cpuOf(m, 'warm').toFixed(1),
        wallOf(m, 'cold').toFixed(1),
        wallOf(m, 'read').toFixed(1),
        (m.peakKb / 1024).toFixed(1),
        ratio(wallOf(m, 'warm'), wall('disk')),
      ]),
    ];
    const columns = byConcurrency[0]!.map((_, i) => Math.max(...byConcurrency.map((r) => r[i]!.length)));
    console.log('\n  import by entry concurrency (forEachEntry), same rounds:');
    for (const row of byConcurrency) {
      console.log(
        `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(columns[i]!) : cell.padStart(columns[i]!))).join('  ')}`,
      );
    }
    const importRate = wall('warm');
    console.log(
      `  targets: import >= 100 MB/s (${importRate >= 100 ? 'met' : 'NOT met'}), ` +
        `peak RSS < 150 MB (${importRss < 150 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf(CHILD_FLAG);
if (childAt >= 0) {
  await importChild(
    process.argv[childAt + 1]!,
    process.argv[childAt + 2]!,
    Number(process.argv[childAt + 3]),
  );
} else if (process.argv.includes(IDLE_FLAG)) {
  const report: ChildReport = { runs: [], bytes: 0, ...peakRssKb() };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  await main();
}
