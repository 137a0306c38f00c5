/**
 * The LRS benchmark: the engine's `/xapi` on SQLite and on Postgres, side by side in one run with
 * Learning Locker's statement service (`xapi-statements@5`, in its memory mode: MODELS_REPO=memory,
 * AUTH_REPO=test, EVENTS_REPO=test), on the same generated statements (bench/lrs-statements.ts).
 * Every LRS runs in a process of its own and the load comes from a third (bench/lrs-load-client.ts).
 *
 * Rows: single-statement POST requests/s; batched POST statements/s (100 and 1000 per request);
 * filtered GET requests/s and p95 (agent, verb, activity, registration) with 100k stored
 * statements; and the same GETs on SQLite with 1M stored statements, loaded straight through the
 * store API (`lrsStore(db).insertStatements`) in the engine process rather than over HTTP. Each
 * row also gives the engine process's CPU time per request over the measured window: on a
 * shared machine it moves far less than the latencies, which queue behind whatever else runs.
 *
 * Environment: SCORMFLOW_LRS_BENCH_SECONDS (measured seconds per row, default 5),
 * SCORMFLOW_LRS_BENCH_MILLION=0 skips the 1M rows, SCORMFLOW_LRS_BENCH_LL=0 skips Learning Locker,
 * SCORMFLOW_LRS_BENCH_ENGINES=0 skips the engine's 100k columns.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lrsStore, xapiCredentials } from '@scormflow/db';
import { indexStatement, type JsonObject, type NewStatement } from '@scormflow/lrs';
import type { Statement } from '@scormflow/xapi';
import { loadEnv, startServer } from '../src/index.js';
import { createTestDatabase } from '../test/postgres.js';
import type { LrsLoadJob, LrsLoadReport } from './lrs-load-client.js';
import { benchStatement, verbId } from './lrs-statements.js';

const SELF = fileURLToPath(import.meta.url);
const LOAD_CLIENT = fileURLToPath(new URL('./lrs-load-client.ts', import.meta.url));
const ENGINE_FLAG = '--lrs-engine';
const SECONDS = Number(process.env.SCORMFLOW_LRS_BENCH_SECONDS ?? 5);
const WARMUP = 1;
const STORED = 100_000;
const MILLION = 1_000_000;
const FILTERS = ['agent', 'verb', 'activity', 'registration'] as const;
const PAGE = 25;

type EngineMessage = { type: 'fill'; from: number; count: number } | { type: 'cpu' } | { type: 'stop' };

/** The engine process: starts the server, makes a credential, and fills its store when asked. */
async function runEngine(): Promise<void> {
  const databaseUrl = process.env.LRS_BENCH_DATABASE_URL!;
  const dir = process.env.LRS_BENCH_DIR!;
  const server = await startServer(
    loadEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      STORAGE_LOCAL_DIR: join(dir, 'blobs'),
      JWT_SECRET: 'lrs-bench-secret-0123456789abcdef0123456789abcdef',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_XAPI_PER_MINUTE: '0',
    }),
    () => {},
  );
  const { db } = server.built;
  const made = await xapiCredentials(db).create('default', {
    name: 'bench',
    authority: { objectType: 'Agent', account: { homePage: server.url, name: 'bench' } },
  });
  const authorization = `Basic ${Buffer.from(`${made.credential.key}:${made.secret}`).toString('base64')}`;
  process.on('message', async (message: EngineMessage) => {
    if (message.type === 'stop') {
      await server.close();
      process.exit(0);
    }
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ type: 'cpu', micros: user + system });
    }
    if (message.type === 'fill') {
      try {
        const store = lrsStore(db);
        const authority = made.credential.authority;
        const started = performance.now();
        const base = Date.now() - message.count;
        for (let at = 0; at < message.count; at += 1000) {
          const rows: NewStatement[] = [];
          for (let k = at; k < Math.min(message.count, at + 1000); k++) {
            const stored = new Date(base + k).toISOString();
            const statement: Record<string, unknown> = {
              ...benchStatement(message.from + k),
              stored,
              authority,
              version: '1.0.0',
            };
            rows.push({
              id: statement.id as string,
              statement: statement as unknown as JsonObject,
              stored,
              index: indexStatement(statement as unknown as Statement),
            });
          }
          const result = await store.insertStatements({ tenantId: 'default' }, rows);
          if (!result.ok) throw new Error(`fill conflict: ${result.ids.join(', ')}`);
        }
        // A filtered query: on SQLite it first writes the key rows still to write (part of the
        // fill, not of the GET rows measured next).
        await store.queryStatements({ tenantId: 'default' }, { limit: 1, verb: verbId(0) });
        process.send?.({ type: 'filled', seconds: (performance.now() - started) / 1000 });
      } catch (error) {
        process.send?.({ type: 'filled', error: String(error) });
      }
    }
  });
  process.send?.({ type: 'ready', url: server.url, authorization });
}

interface Target {
  label: string;
  url: string;
  path: string;
  authorization: string;
  /** Loads `count` statements starting at `from` through the store API (engine only). */
  fillDirect?: (from: number, count: number) => Promise<number>;
  /** CPU microseconds the LRS process has used so far, all threads (engine only). */
  cpuMicros?: () => Promise<number>;
  stop(): Promise<void>;
}

function once<T>(proc: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type === type) {
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        resolve(message as T);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`process exited (${code}) before "${type}"`));
    proc.on('message', onMessage);
    proc.once('exit', onExit);
  });
}

async function startEngine(label: string, databaseUrl: string, dir: string): Promise<Target> {
  const proc = fork(SELF, [ENGINE_FLAG], {
    env: { ...process.env, LRS_BENCH_DATABASE_URL: databaseUrl, LRS_BENCH_DIR: dir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await once<{ url: string; authorization: string }>(proc, 'ready');
  return {
    label,
    url: ready.url,
    path: '/xapi/statements',
    authorization: ready.authorization,
    async fillDirect(from, count) {
      const done = once<{ seconds?: number; error?: string }>(proc, 'filled');
      proc.send({ type: 'fill', from, count });
      const answer = await done;
      if (answer.error !== undefined) throw new Error(`fill through the store API failed: ${answer.error}`);
      return answer.seconds!;
    },
    async cpuMicros() {
      const answer = once<{ micros: number }>(proc, 'cpu');
      proc.send({ type: 'cpu' });
      return (await answer).micros;
    },
    async stop() {
      if (proc.exitCode !== null || !proc.connected) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.send({ type: 'stop' });
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Learning Locker's statement service in memory mode, as its own `npm start` runs it. */
async function startLearningLocker(dir: string): Promise<Target> {
  const entry = join(
    dirname(createRequire(import.meta.url).resolve('xapi-statements/package.json')),
    'dist/index.js',
  );
  const port = await freePort();
  await mkdir(dir, { recursive: true });
  const proc = spawn(process.execPath, [entry], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      EXPRESS_PORT: String(port),
      MODELS_REPO: 'memory',
      STORAGE_REPO: 'local',
      FS_LOCAL_STORAGE_DIR: join(dir, 'storage'),
      AUTH_REPO: 'test',
      EVENTS_REPO: 'test',
      EXPRESS_MORGAN_DIRECTORY: join(dir, 'access-logs'),
      WINSTON_CONSOLE_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`xapi-statements exited with ${proc.exitCode}`);
    try {
      if ((await fetch(`${url}/xAPI/about`)).ok) break;
    } catch {
      if (i > 240) throw new Error('xapi-statements did not start within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    label: 'Learning Locker',
    url,
    path: '/xAPI/statements',
    // Its test auth repository accepts any token and answers with its test client.
    authorization: `Basic ${Buffer.from('bench:bench').toString('base64')}`,
    async stop() {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

type JobSpec =
  | { kind: 'post'; batch: number; firstIndex: number }
  | { kind: 'get'; filter: (typeof FILTERS)[number]; limit: number }
  | { kind: 'fill'; batch: number; firstIndex: number; count: number };

async function load(target: Target, spec: JobSpec, connections: number): Promise<LrsLoadReport> {
  const proc = fork(LOAD_CLIENT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const job = {
    url: target.url,
    path: target.path,
    authorization: target.authorization,
    connections,
    warmup: WARMUP,
    seconds: SECONDS,
    ...spec,
  } as LrsLoadJob;
  const answer = new Promise<LrsLoadReport>((resolve, reject) => {
    proc.once('message', (m: { type: string; report?: LrsLoadReport; message?: string }) =>
      m.type === 'report' ? resolve(m.report!) : reject(new Error(m.message)),
    );
    proc.once('exit', (code) => reject(new Error(`load client exited with ${code}`)));
  });
  // The LRS process's CPU time over the measured window (it starts after the warm-up), per request
  // (POST: per request, whatever its batch):
  // unlike latency, it hardly depends on what else the machine runs.
  let cpu: Promise<number> | null = null;
  if (spec.kind !== 'fill' && target.cpuMicros) {
    const cpuMicros = target.cpuMicros;
    cpu = new Promise((resolve, reject) => {
      setTimeout(() => {
        cpuMicros().then((from) => {
          setTimeout(() => cpuMicros().then((to) => resolve(to - from), reject), SECONDS * 1000);
        }, reject);
      }, WARMUP * 1000);
    });
  }
  proc.send(job);
  const report = await answer;
  if (cpu) report.serverCpuMicros = (await cpu) / Math.max(1, report.requests);
  if (report.firstError) console.log(`  ${target.label}: first error: ${report.firstError}`);
  if (spec.kind !== 'fill') {
    const what = spec.kind === 'get' ? `GET ?${spec.filter}` : `POST batch ${spec.batch}`;
    console.log(
      `  ${target.label} ${what}: ${fmt(report.requests / report.seconds)} req/s, ` +
        `${fmt(report.items / report.seconds)} ${spec.kind === 'get' ? 'rows' : 'statements'}/s, ` +
        `p50 ${fmt(report.latencyMs.p50, 1)} ms, p95 ${fmt(report.latencyMs.p95, 1)} ms, errors ${report.errors}` +
        (report.serverCpuMicros === undefined ? '' : `, LRS CPU ${fmt(report.serverCpuMicros)} us/request`),
    );
  }
  return report;
}

interface Figures {
  single?: LrsLoadReport;
  batch100?: LrsLoadReport;
  batch1000?: LrsLoadReport;
  fillSeconds?: number;
  fillCount?: number;
  /** Fill statements the LRS acknowledged (HTTP fill only). */
  fillAcknowledged?: number;
  gets: Partial<Record<(typeof FILTERS)[number], LrsLoadReport>>;
  million: Partial<Record<(typeof FILTERS)[number], LrsLoadReport>>;
  millionFillSeconds?: number;
}

const rate = (r: LrsLoadReport | undefined) => (r ? r.requests / r.seconds : Number.NaN);
const itemRate = (r: LrsLoadReport | undefined) => (r ? r.items / r.seconds : Number.NaN);

/** Every 100k row on one target: writes on an empty store, a top-up to 100k, then the queries. */
async function measure(target: Target, figures: Figures): Promise<void> {
  let next = 0;
  console.log(`${target.label}: POST single`);
  figures.single = await load(target, { kind: 'post', batch: 1, firstIndex: next }, 32);
  next = figures.single.nextIndex;
  console.log(`${target.label}: POST batches of 100`);
  figures.batch100 = await load(target, { kind: 'post', batch: 100, firstIndex: next }, 8);
  next = figures.batch100.nextIndex;
  console.log(`${target.label}: POST batches of 1000`);
  figures.batch1000 = await load(target, { kind: 'post', batch: 1000, firstIndex: next }, 4);
  next = figures.batch1000.nextIndex;
  if (next < STORED) {
    const started = performance.now();
    if (target.fillDirect) {
      console.log(`${target.label}: filling to ${STORED} statements through the store API`);
      await target.fillDirect(next, STORED - next);
    } else {
      console.log(`${target.label}: filling to ${STORED} statements over HTTP (batches of 1000)`);
      const filled = await load(
        target,
        { kind: 'fill', batch: 1000, firstIndex: next, count: STORED - next },
        4,
      );
      if (filled.items < STORED - next) {
        console.log(
          `  ${target.label}: only ${filled.items} of ${STORED - next} fill statements were acknowledged`,
        );
      }
      figures.fillAcknowledged = filled.items;
    }
    figures.fillSeconds = (performance.now() - started) / 1000;
    figures.fillCount = STORED - next;
  }
  console.log(`${target.label}: stored ${Math.max(next, STORED)} statements; filtered GETs`);
  for (const filter of FILTERS) {
    figures.gets[filter] = await load(target, { kind: 'get', filter, limit: PAGE }, 16);
  }
}

/** Drops the bench database; autovacuum (which this role may not terminate) can hold it for a moment. */
async function dropWithRetry(drop: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await drop();
    } catch (error) {
      if (attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a';

function report(columns: { label: string; f: Figures }[], ll: Figures | null): string[] {
  const lines: string[] = [];
  const header = [
    'row',
    ...columns.map((c) => c.label),
    ...(ll ? ['Learning Locker', ...columns.map((c) => `${c.label}/LL`)] : []),
  ];
  const rows: string[][] = [];
  const add = (row: string, value: (f: Figures) => number, digits = 0) => {
    const values = columns.map((c) => value(c.f));
    const base = ll ? value(ll) : Number.NaN;
    rows.push([
      row,
      ...values.map((v) => fmt(v, digits)),
      ...(ll ? [fmt(base, digits), ...values.map((v) => ratio(v, base))] : []),
    ]);
  };
  add('POST 1 statement, req/s', (f) => rate(f.single));
  add('POST 1 statement, p95 ms', (f) => f.single?.latencyMs.p95 ?? Number.NaN, 1);
  add('POST 1 statement, LRS CPU us/request', (f) => f.single?.serverCpuMicros ?? Number.NaN);
  add('POST batch of 100, statements/s', (f) => itemRate(f.batch100));
  add('POST batch of 100, LRS CPU us/statement', (f) => (f.batch100?.serverCpuMicros ?? Number.NaN) / 100);
  add('POST batch of 1000, statements/s', (f) => itemRate(f.batch1000));
  add('POST batch of 1000, LRS CPU us/statement', (f) => (f.batch1000?.serverCpuMicros ?? Number.NaN) / 1000);
  for (const filter of FILTERS) {
    add(`GET ?${filter} (100k), req/s`, (f) => rate(f.gets[filter]));
    add(`GET ?${filter} (100k), p95 ms`, (f) => f.gets[filter]?.latencyMs.p95 ?? Number.NaN, 1);
    add(`GET ?${filter} (100k), LRS CPU us/request`, (f) => f.gets[filter]?.serverCpuMicros ?? Number.NaN);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  lines.push(
    line(header),
    `|${widths.map((w, i) => (i === 0 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w - 1)}:`)).join('|')}|`,
  );
  for (const r of rows) lines.push(line(r));
  return lines;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'scormflow-lrs-bench-'));
  const columns: { label: string; f: Figures }[] = [];
  let ll: Figures | null = null;
  const sqlite: Figures = { gets: {}, million: {} };
  const sqliteAlone: Figures['million'] = {};
  try {
    console.log(
      `LRS benchmark: ${WARMUP} s warm-up + ${SECONDS} s measured per row; load client in its own process; ` +
        `GET pages of ${PAGE}; 32 connections (single POST), 8 (batches of 100), 4 (batches of 1000), 16 (GET)`,
    );
    if (process.env.SCORMFLOW_LRS_BENCH_ENGINES !== '0') {
      const engine = await startEngine(
        'engine SQLite',
        `file:${join(dir, 'sqlite', 'lrs.db')}`,
        join(dir, 'sqlite'),
      );
      try {
        await measure(engine, sqlite);
      } finally {
        await engine.stop();
      }
      columns.push({ label: 'SQLite', f: sqlite });

      const pg = await createTestDatabase('lrs_bench');
      if ('skip' in pg) console.log(`Postgres column skipped: ${pg.skip}`);
      else {
        const figures: Figures = { gets: {}, million: {} };
        try {
          const target = await startEngine('engine Postgres', pg.url, join(dir, 'pg'));
          try {
            await measure(target, figures);
          } finally {
            await target.stop();
          }
          columns.push({ label: 'Postgres', f: figures });
        } finally {
          await dropWithRetry(pg.drop);
        }
      }
    }

    if (process.env.SCORMFLOW_LRS_BENCH_LL !== '0') {
      const figures: Figures = { gets: {}, million: {} };
      try {
        const target = await startLearningLocker(join(dir, 'll'));
        try {
          await measure(target, figures);
          ll = figures;
        } finally {
          await target.stop();
        }
      } catch (error) {
        console.log(`Learning Locker column failed: ${(error as Error).message}`);
      }
    }

    if (process.env.SCORMFLOW_LRS_BENCH_MILLION !== '0') {
      const target = await startEngine(
        'engine SQLite 1M',
        `file:${join(dir, 'million', 'lrs.db')}`,
        join(dir, 'million'),
      );
      try {
        console.log(`engine SQLite: loading ${MILLION} statements through the store API`);
        sqlite.millionFillSeconds = await target.fillDirect!(0, MILLION);
        for (const filter of FILTERS) {
          sqlite.million[filter] = await load(target, { kind: 'get', filter, limit: PAGE }, 16);
        }
        // One connection: the latency of a query alone, without queueing behind 15 others.
        for (const filter of FILTERS) {
          sqliteAlone[filter] = await load(target, { kind: 'get', filter, limit: PAGE }, 1);
        }
      } catch (error) {
        console.log(`1M rows not measured: ${(error as Error).message}`);
        delete sqlite.millionFillSeconds;
      } finally {
        await target.stop();
      }
    }

    const out = ['', ...report(columns, ll)];
    if (sqlite.millionFillSeconds !== undefined) {
      out.push(
        '',
        `SQLite with ${MILLION.toLocaleString('en-US')} statements (loaded through the store API in ${sqlite.millionFillSeconds.toFixed(0)} s, ` +
          `${fmt(MILLION / sqlite.millionFillSeconds)} statements/s):`,
      );
      for (const filter of FILTERS) {
        const r = sqlite.million[filter];
        out.push(
          `  GET ?${filter}: ${fmt(rate(r))} req/s, p50 ${fmt(r?.latencyMs.p50 ?? Number.NaN, 1)} ms, p95 ${fmt(r?.latencyMs.p95 ?? Number.NaN, 1)} ms` +
            `, LRS CPU ${fmt(r?.serverCpuMicros ?? Number.NaN)} us/request` +
            (ll ? ` (${ratio(rate(r), rate(ll.gets[filter]))} Learning Locker at 100k)` : ''),
        );
      }
      out.push('  with one connection:');
      for (const filter of FILTERS) {
        const r = sqliteAlone[filter];
        out.push(
          `  GET ?${filter}: ${fmt(rate(r))} req/s, p50 ${fmt(r?.latencyMs.p50 ?? Number.NaN, 1)} ms, p95 ${fmt(r?.latencyMs.p95 ?? Number.NaN, 1)} ms` +
            `, LRS CPU ${fmt(r?.serverCpuMicros ?? Number.NaN)} us/request`,
        );
      }
    }
    for (const c of [
      ...columns.map((c) => ({ label: `engine ${c.label}`, f: c.f })),
      ...(ll ? [{ label: 'Learning Locker', f: ll }] : []),
    ]) {
      if (c.f.fillSeconds !== undefined)
        out.push(
          `${c.label}: top-up of ${fmt(c.f.fillCount ?? 0)} statements to 100k ` +
            `(${c.label === 'Learning Locker' ? 'over HTTP in batches of 1000' : 'through the store API'}) took ${c.f.fillSeconds.toFixed(1)} s`,
        );
    }
    const single = rate(sqlite.single);
    const batched = Math.min(itemRate(sqlite.batch100), itemRate(sqlite.batch1000));
    const p95 = Math.max(...FILTERS.map((f) => sqlite.million[f]?.latencyMs.p95 ?? Number.NaN));
    const p95Alone = Math.max(...FILTERS.map((f) => sqliteAlone[f]?.latencyMs.p95 ?? Number.NaN));
    out.push(
      '',
      `targets on SQLite: single POST >= 3,000 req/s (${fmt(single)}: ${single >= 3000 ? 'met' : 'MISSED'}), ` +
        `batched >= 20,000 statements/s (${fmt(batched)}: ${batched >= 20_000 ? 'met' : 'MISSED'}), ` +
        `filtered GET p95 < 20 ms at 1M (16 connections ${fmt(p95, 1)} ms: ${p95 < 20 ? 'met' : Number.isNaN(p95) ? 'not run' : 'MISSED'}; ` +
        `1 connection ${fmt(p95Alone, 1)} ms: ${p95Alone < 20 ? 'met' : Number.isNaN(p95Alone) ? 'not run' : 'MISSED'})`,
    );
    console.log(out.join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes(ENGINE_FLAG)) {
  await runEngine();
} else {
  await main();
}
