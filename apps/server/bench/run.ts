/**
 * Server benchmark: runtime commit throughput and latency at 50 concurrent learners, beside a bare
 * Hono hello endpoint measured in the same run, on SQLite and (when reachable) Postgres; then the
 * import of a ~50 MB course.
 *
 * Every server runs in a child process of its own (`startServer` on 127.0.0.1, a random port, a temp
 * SQLite file or a fresh Postgres database, disk storage in a temp folder), and the load generator in
 * another (bench/load-client.ts: one raw `node:net` keep-alive connection per virtual learner, each
 * sending its next request as soon as the previous answer was read, a closed loop), so that neither
 * shares an event loop with the other or with this orchestrating process. Latency is from the write
 * of a request to the last byte of its answer; percentiles come from the sorted samples of the
 * measured window. SCORMFLOW_BENCH_AUTOCANNON=1 adds a hello row measured by autocannon, to compare
 * the two load generators on the same server.
 *
 * Commits carry what a real SCO sends: the diff of a local `@scormflow/cmi` API after SetValue of
 * cmi.location, ~2 KB of cmi.suspend_data, cmi.session_time, one interaction (id, type, learner
 * response, result), cmi.score.* and cmi.progress_measure, with the next seq.
 *
 * Environment: SCORMFLOW_BENCH_SECONDS (measured window, default 10), SCORMFLOW_BENCH_WARMUP
 * (seconds, default 2), SCORMFLOW_BENCH_LEARNERS (default 50), SCORMFLOW_BENCH_CPU_PROF=dir (the
 * SQLite and Postgres server children write V8 CPU profiles to dir/sqlite and dir/postgres),
 * SCORMFLOW_TEST_PG_URL (the Postgres server on which a database is created for the run and
 * dropped after), SCORMFLOW_BENCH_IMPORT=0 and
 * SCORMFLOW_BENCH_STEPS=0 (leave out the import, or the step-by-step timing of one commit).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CmiState } from '@scormflow/cmi';
import { openDatabase } from '@scormflow/db';
import { generateCoursePackage } from './course-package.js';
import type { LearnerSetup, LoadJob, LoadReport } from './load-client.js';

const SELF = fileURLToPath(import.meta.url);
const LOAD_CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));
const CHILD_FLAG = '--bench-child';
const JWT_SECRET = 'bench-secret-0123456789abcdef-0123456789abcdef';
const FIXTURE = fileURLToPath(new URL('../test/fixtures/e2e/scorm2004-single.zip', import.meta.url));
const PG_URL =
  process.env.SCORMFLOW_TEST_PG_URL ?? 'postgres://scormflow:scormflow@127.0.0.1:5432/scormflow_test';

function numberEnv(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
const SECONDS = numberEnv('SCORMFLOW_BENCH_SECONDS', 10);
const WARMUP = numberEnv('SCORMFLOW_BENCH_WARMUP', 2);
const LEARNERS = Math.floor(numberEnv('SCORMFLOW_BENCH_LEARNERS', 50));
const IMPORT_RUNS = 3;
const MB = 1e6;

// ---------------------------------------------------------------------------------------------
// Child processes: the engine, or a bare Hono app

type ChildConfig = { kind: 'hello' } | { kind: 'engine'; env: Record<string, string> };

interface ChildReady {
  type: 'ready';
  url: string;
  key: string | null;
}
interface ChildUsage {
  type: 'usage';
  rssBytes: number;
  maxRssBytes: number;
  cpuSeconds: number;
}

async function runChild(): Promise<void> {
  const config = JSON.parse(process.env.SCORMFLOW_BENCH_CHILD ?? '{}') as ChildConfig;
  let url: string;
  let key: string | null = null;
  let close: () => Promise<void>;
  if (config.kind === 'hello') {
    const { serve } = await import('@hono/node-server');
    const { Hono } = await import('hono');
    const app = new Hono().get('/hello', (c) => c.text('hello'));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    const address = server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    close = () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
  } else {
    const { loadEnv, startServer } = await import('../src/index.js');
    const running = await startServer(loadEnv(config.env), () => {});
    url = running.url;
    const boot = running.built.bootstrap;
    key = boot.created ? boot.secret : null;
    close = () => running.close();
  }
  const send = (m: ChildReady | ChildUsage) => process.send?.(m);
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'usage') {
      const cpu = process.cpuUsage();
      send({
        type: 'usage',
        rssBytes: process.memoryUsage.rss(),
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
      });
    } else if (m.type === 'close') {
      await close();
      process.disconnect?.();
      process.exit(0);
    }
  });
  send({ type: 'ready', url, key });
}

interface Child {
  url: string;
  key: string | null;
  usage(): Promise<ChildUsage>;
  close(): Promise<void>;
}

async function startChild(config: ChildConfig, execArgv: string[] = []): Promise<Child> {
  const proc: ChildProcess = fork(SELF, [CHILD_FLAG], {
    execArgv: [...process.execArgv, ...execArgv],
    env: { ...process.env, SCORMFLOW_BENCH_CHILD: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        resolve(m as T);
      };
      const onExit = (code: number | null) => reject(new Error(`server child exited with ${code}`));
      proc.on('message', onMessage);
      proc.once('exit', onExit);
    });
  const ready = await next<ChildReady>('ready');
  return {
    url: ready.url,
    key: ready.key,
    usage() {
      const answer = next<ChildUsage>('usage');
      proc.send({ type: 'usage' });
      return answer;
    },
    async close() {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.send({ type: 'close' });
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Client

const agent = new Agent({ keepAlive: true, maxSockets: LEARNERS + 4 });

interface Answer {
  status: number;
  body: string;
}

function send(
  url: string,
  init: { method?: string; bearer?: string | null; json?: unknown } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = init.json === undefined ? undefined : JSON.stringify(init.json);
    const headers: Record<string, string | number> = {};
    if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = request(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function json<T>(answer: Promise<Answer>, expected: readonly number[]): Promise<T> {
  const a = await answer;
  if (!expected.includes(a.status)) throw new Error(`unexpected ${a.status}: ${a.body.slice(0, 500)}`);
  return JSON.parse(a.body) as T;
}

interface LoadResult extends LoadReport {
  /** CPU seconds the server process used in the measured window. */
  serverCpuSeconds: number;
}

/**
 * Runs `job` in a load-client process of its own (bench/load-client.ts) against `child`, and reads
 * the server's CPU time when the client's measured window starts and after it ends.
 */
async function runLoad(child: Child, job: LoadJob): Promise<LoadResult> {
  const proc = fork(LOAD_CLIENT, [], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let serverStart: Promise<ChildUsage> | undefined;
  const report = await new Promise<LoadReport>((resolve, reject) => {
    proc.on('message', (m: { type: string; report?: LoadReport; message?: string }) => {
      if (m.type === 'measuring') serverStart ??= child.usage();
      else if (m.type === 'report') resolve(m.report!);
      else if (m.type === 'failed') reject(new Error(`load client failed: ${m.message}`));
    });
    proc.once('exit', (code) => reject(new Error(`load client exited with ${code}`)));
    proc.send(job);
  });
  const serverEnd = await child.usage();
  const start = await (serverStart ?? serverEnd);
  return { ...report, serverCpuSeconds: serverEnd.cpuSeconds - start.cpuSeconds };
}

// ---------------------------------------------------------------------------------------------
// Commit workload

async function prepareLearners(child: Child, label: string): Promise<LearnerSetup[]> {
  const { readFile } = await import('node:fs/promises');
  const zip = await readFile(FIXTURE);
  const course = await new Promise<{ id: string }>((resolve, reject) => {
    const req = request(
      `${child.url}/api/v1/courses`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${child.key}`,
          'content-type': 'application/zip',
          'content-length': zip.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          if (res.statusCode !== 201) reject(new Error(`import failed ${res.statusCode}: ${body}`));
          else resolve(JSON.parse(body) as { id: string });
        });
      },
    );
    req.on('error', reject);
    req.end(zip);
  });
  const learners: LearnerSetup[] = [];
  for (let i = 0; i < LEARNERS; i++) {
    const started = await json<{ attempt: { id: string }; runtimeToken: string }>(
      send(`${child.url}/api/v1/attempts/start`, {
        bearer: child.key,
        json: { courseId: course.id, learner: { id: `${label}-learner-${i}`, name: `Learner ${i}` } },
      }),
      [200, 201],
    );
    const path = `/api/v1/runtime/${started.attempt.id}`;
    const init = await json<{ item: string; state: CmiState }>(
      send(`${child.url}${path}/initialize`, { bearer: started.runtimeToken, json: {} }),
      [200],
    );
    learners.push({ path, token: started.runtimeToken, item: init.item, state: init.state });
  }
  return learners;
}

async function measureCommits(child: Child, label: string): Promise<LoadResult> {
  const learners = await prepareLearners(child, label);
  const result = await runLoad(child, {
    kind: 'commit',
    url: child.url,
    learners,
    warmup: WARMUP,
    seconds: SECONDS,
  });
  if (result.firstError) console.error(`commit refused (${label}): ${result.firstError}`);
  return result;
}

async function measureHello(child: Child, client: 'net' | 'autocannon'): Promise<LoadResult> {
  return runLoad(child, {
    kind: 'hello',
    client,
    url: child.url,
    connections: LEARNERS,
    warmup: WARMUP,
    seconds: SECONDS,
  });
}

// ---------------------------------------------------------------------------------------------
// Import

async function measureImport(dir: string): Promise<string[]> {
  const zipPath = join(dir, 'bench-course.zip');
  const generated = await generateCoursePackage(zipPath);
  const zipBytes = (await stat(zipPath)).size;
  const child = await startChild({ kind: 'engine', env: engineEnv(join(dir, 'import'), 'sqlite') });
  const idle = await child.usage();
  const times: number[] = [];
  for (let run = 0; run < IMPORT_RUNS; run++) {
    const t = performance.now();
    await new Promise<void>((resolve, reject) => {
      const req = request(
        `${child.url}/api/v1/courses`,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${child.key}`,
            'content-type': 'application/zip',
            'content-length': zipBytes,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 201) {
              reject(new Error(`import failed ${res.statusCode}: ${Buffer.concat(chunks).toString()}`));
            } else resolve();
          });
        },
      );
      req.on('error', reject);
      createReadStream(zipPath).pipe(req);
    });
    times.push((performance.now() - t) / 1000);
  }
  const after = await child.usage();
  await child.close();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  return [
    `Course import, raw application/zip, SQLite + disk storage (median of ${IMPORT_RUNS}):`,
    `  package: ${generated.files} files, ${(generated.bytes / MB).toFixed(1)} MB uncompressed, ${(zipBytes / MB).toFixed(1)} MB zip`,
    `  time ${median.toFixed(2)} s (runs ${times.map((s) => s.toFixed(2)).join(', ')}): ${(zipBytes / MB / median).toFixed(1)} MB/s zip, ${(generated.bytes / MB / median).toFixed(1)} MB/s uncompressed`,
    `  server RSS after start ${(idle.rssBytes / MB).toFixed(0)} MB, peak ${(after.maxRssBytes / MB).toFixed(0)} MB`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Main

function engineEnv(dir: string, databaseUrl: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl === 'sqlite' ? join(dir, 'bench.db') : databaseUrl,
    STORAGE_LOCAL_DIR: join(dir, 'blobs'),
    JWT_SECRET,
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_RUNTIME_PER_MINUTE: '0',
    RATE_LIMIT_CONTENT_PER_MINUTE: '0',
  };
}

async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> } | { skip: string }> {
  if (!/^postgres(ql)?:\/\//.test(PG_URL)) return { skip: 'SCORMFLOW_TEST_PG_URL is not a postgres:// URL' };
  const admin = openDatabase(PG_URL, { maxConnections: 1 });
  if (admin.dialect !== 'postgres') return { skip: 'SCORMFLOW_TEST_PG_URL is not a postgres:// URL' };
  try {
    await admin.ping();
  } catch (error) {
    await admin.close().catch(() => {});
    return { skip: `Postgres unreachable (${(error as Error).message})` };
  }
  const base = new URL(PG_URL);
  const name = `${base.pathname.slice(1)}_bench_${randomBytes(4).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
  await admin.drizzle.$client.unsafe(`create database "${name}"`);
  await admin.close();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = openDatabase(PG_URL, { maxConnections: 1 });
      try {
        if (again.dialect === 'postgres')
          await again.drizzle.$client.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await again.close();
      }
    },
  };
}

interface Row {
  label: string;
  r: LoadResult;
}

function table(hello: LoadResult, rows: Row[]): string[] {
  const helloRps = hello.requests / hello.seconds;
  const pad = (s: string, n: number) => s.padStart(n);
  const lines = [
    `${'endpoint'.padEnd(26)}${pad('req/s', 9)}${pad('ratio', 8)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('errors', 8)}${pad('cpu srv/cli', 13)}${pad('srv µs/req', 12)}`,
  ];
  const line = (label: string, r: LoadResult) => {
    const rps = r.requests / r.seconds;
    const ms = (v: number) => pad(v.toFixed(1), 9);
    lines.push(
      `${label.padEnd(26)}${pad(rps.toFixed(0), 9)}${pad((rps / helloRps).toFixed(2), 8)}${ms(r.latencyMs.p50)}${ms(r.latencyMs.p95)}${ms(r.latencyMs.p99)}${ms(r.latencyMs.max)}${pad(String(r.errors), 8)}${pad(`${(r.serverCpuSeconds / r.seconds).toFixed(2)}/${(r.cpuSeconds / r.seconds).toFixed(2)}`, 13)}${pad(((r.serverCpuSeconds / r.requests) * 1e6).toFixed(0), 12)}`,
    );
  };
  line('GET /hello (bare Hono)', hello);
  for (const row of rows) line(row.label, row.r);
  return lines;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'scormflow-server-bench-'));
  const out: string[] = [];
  try {
    console.log(
      `${LEARNERS} concurrent connections, ${WARMUP} s warm-up + ${SECONDS} s measured per row, raw net keep-alive client in its own process`,
    );
    const rows: Row[] = [];
    const hello = await startChild({ kind: 'hello' });
    const helloResult = await measureHello(hello, 'net');
    if (process.env.SCORMFLOW_BENCH_AUTOCANNON === '1') {
      rows.push({ label: 'GET /hello (autocannon)', r: await measureHello(hello, 'autocannon') });
    }
    await hello.close();

    const profDir = process.env.SCORMFLOW_BENCH_CPU_PROF;
    const sqlite = await startChild(
      { kind: 'engine', env: engineEnv(join(dir, 'sqlite'), 'sqlite') },
      profDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, 'sqlite')}`] : [],
    );
    rows.push({ label: 'POST commit (SQLite)', r: await measureCommits(sqlite, 'sqlite') });
    await sqlite.close();

    const pg = await freshPostgres();
    if ('skip' in pg) {
      console.log(`Postgres row skipped: ${pg.skip}`);
    } else {
      try {
        const child = await startChild(
          { kind: 'engine', env: engineEnv(join(dir, 'pg'), pg.url) },
          profDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profDir, 'postgres')}`] : [],
        );
        try {
          rows.push({ label: 'POST commit (Postgres)', r: await measureCommits(child, 'pg') });
        } finally {
          await child.close();
        }
      } finally {
        await pg.drop();
      }
    }
    out.push(...table(helloResult, rows));
    const sqliteRow = rows.find((row) => row.label === 'POST commit (SQLite)')!.r;
    const ratio = sqliteRow.requests / sqliteRow.seconds / (helloResult.requests / helloResult.seconds);
    const p99 = sqliteRow.latencyMs.p99;
    out.push(
      `target on SQLite: ratio >= 0.25 (${ratio.toFixed(2)}: ${ratio >= 0.25 ? 'met' : 'MISSED'}), p99 < 50 ms (${p99.toFixed(1)} ms: ${p99 < 50 ? 'met' : 'MISSED'})`,
      '(cpu srv/cli: CPU seconds per second of the server process and of the load-client process;',
      ' srv µs/req: server CPU time per answered request, the figure least moved by other load)',
      '',
    );
    console.log(out.join('\n'));
    if (process.env.SCORMFLOW_BENCH_IMPORT !== '0') console.log((await measureImport(dir)).join('\n'));
    if (process.env.SCORMFLOW_BENCH_STEPS !== '0') {
      const { commitSteps } = await import('./commit-steps.js');
      console.log(`\n${(await commitSteps()).join('\n')}`);
    }
  } finally {
    agent.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes(CHILD_FLAG)) {
  await runChild();
} else {
  await main();
}
