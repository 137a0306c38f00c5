/**
 * The load generator of the server benchmark, run in a process of its own (forked by run.ts) so
 * that it never shares a core's event loop with the server or with the orchestrating process.
 *
 * Two clients:
 * - `net`: a lean HTTP/1.1 client on raw `node:net` sockets, one keep-alive connection per virtual
 *   learner, each sending its next request as soon as the previous answer has been read in full
 *   (closed loop). Requests are pre-serialised bytes (hello) or built per request (commits: each
 *   learner's local `@scormflow/cmi` API makes the next diff with the next seq). The answer is parsed
 *   just enough to find its end (`content-length`, or a chunked body) and its status.
 * - `autocannon`: autocannon's programmatic API with the same connection count, for the hello row
 *   only (its request hooks cannot build a body that depends on the previous answer's seq cheaply).
 *
 * Latency is from the write of the request to the last byte of the answer; only requests that start
 * inside the measured window count, and the window ends when the last of them has answered.
 */
import { type CmiState, type CommitDiff, createScorm2004Api } from '@scormflow/cmi';
import { Connection, percentile } from './http-response.js';

/** One virtual learner of the commit workload, as the parent prepared it. */
export interface LearnerSetup {
  /** Path of the attempt's runtime routes (`/api/v1/runtime/<attemptId>`). */
  path: string;
  token: string;
  item: string;
  state: CmiState;
}

/** What the parent asks the client process to run. */
export type LoadJob =
  | {
      kind: 'hello';
      client: 'net' | 'autocannon';
      url: string;
      connections: number;
      warmup: number;
      seconds: number;
    }
  | { kind: 'commit'; url: string; learners: LearnerSetup[]; warmup: number; seconds: number };

/** Latency percentiles of the measured window, in milliseconds. */
export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** What the client process answers. */
export interface LoadReport {
  requests: number;
  errors: number;
  firstError: string | null;
  /** Length of the measured window. */
  seconds: number;
  latencyMs: Latency;
  /** CPU seconds the client process used in the measured window. */
  cpuSeconds: number;
  client: 'net' | 'autocannon';
}

// ---------------------------------------------------------------------------------------------
// Closed loops

async function closedLoops(
  count: number,
  warmup: number,
  seconds: number,
  step: (i: number) => Promise<true | string>,
): Promise<Omit<LoadReport, 'client'>> {
  const t0 = performance.now();
  const measureFrom = t0 + warmup * 1000;
  const measureTo = measureFrom + seconds * 1000;
  const samples: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let firstStart = Number.POSITIVE_INFINITY;
  let lastEnd = 0;
  let cpu: NodeJS.CpuUsage | undefined;
  const loop = async (i: number) => {
    for (;;) {
      const start = performance.now();
      if (start >= measureTo) return;
      if (start >= measureFrom && cpu === undefined) {
        cpu = process.cpuUsage();
        process.send?.({ type: 'measuring' });
      }
      const ok = await step(i);
      const end = performance.now();
      if (start >= measureFrom) {
        if (start < firstStart) firstStart = start;
        if (end > lastEnd) lastEnd = end;
        samples.push(end - start);
        if (ok !== true) errors++;
      }
      if (ok !== true) {
        firstError ??= ok;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: count }, (_, i) => loop(i)));
  const used = process.cpuUsage(cpu);
  samples.sort((a, b) => a - b);
  return {
    requests: samples.length,
    errors,
    firstError,
    seconds: (lastEnd - firstStart) / 1000,
    latencyMs: {
      p50: percentile(samples, 50),
      p95: percentile(samples, 95),
      p99: percentile(samples, 99),
      max: samples.at(-1) ?? Number.NaN,
    },
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

/** ~2 KB of suspend data that changes on every commit, as a real SCO's bookmark does. */
function suspendData(learner: number, n: number): string {
  let x = (learner * 7919 + n * 104_729) >>> 0 || 1;
  let out = '';
  while (out.length < 2048) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += `p${(x >>> 0) % 997}=${(x >>> 10) % 3};`;
  }
  return out.slice(0, 2048);
}

/** A learner's next commit: the SetValues a SCO makes between two Commit calls, with the next seq. */
function commitMaker(setup: LearnerSetup, learner: number): () => CommitDiff {
  const diffs: CommitDiff[] = [];
  const api = createScorm2004Api({ state: setup.state, onCommit: (d) => void diffs.push(d) });
  if (api.Initialize('') !== 'true') throw new Error('local API refused Initialize');
  let n = 0;
  const set = (element: string, value: string) => {
    if (api.SetValue(element, value) !== 'true') {
      throw new Error(`SetValue ${element} refused: ${api.GetLastError()} ${api.GetDiagnostic('')}`);
    }
  };
  return () => {
    const i = n++;
    const k = i % 5;
    set('cmi.location', `module-${i % 12}/page-${i}`);
    set('cmi.suspend_data', suspendData(learner, i));
    set('cmi.session_time', `PT${i * 7}S`);
    set(`cmi.interactions.${k}.id`, `q${k + 1}`);
    set(`cmi.interactions.${k}.type`, 'choice');
    set(`cmi.interactions.${k}.learner_response`, ['a', 'b', 'c'][i % 3]!);
    set(`cmi.interactions.${k}.result`, i % 3 === 1 ? 'correct' : 'incorrect');
    set('cmi.score.raw', String(i % 101));
    set('cmi.score.max', '100');
    set('cmi.score.scaled', ((i % 101) / 100).toFixed(2));
    set('cmi.progress_measure', ((i % 80) / 100).toFixed(2));
    diffs.length = 0;
    if (api.Commit('') !== 'true') throw new Error(`local Commit refused: ${api.GetLastError()}`);
    const diff = diffs[0];
    if (!diff) throw new Error('local Commit produced no diff');
    return diff;
  };
}

async function runNet(job: LoadJob): Promise<LoadReport> {
  const target = new URL(job.url);
  const host = target.hostname;
  const port = Number(target.port);
  const hostHeader = `Host: ${target.host}\r\n`;
  const count = job.kind === 'hello' ? job.connections : job.learners.length;
  const connections = Array.from({ length: count }, () => new Connection(host, port));
  try {
    if (job.kind === 'hello') {
      const bytes = Buffer.from(`GET /hello HTTP/1.1\r\n${hostHeader}Connection: keep-alive\r\n\r\n`);
      const report = await closedLoops(count, job.warmup, job.seconds, async (i) => {
        const a = await connections[i]!.request(bytes);
        return a.status === 200 || `${a.status} ${a.body.toString().slice(0, 300)}`;
      });
      return { ...report, client: 'net' };
    }
    const makers = job.learners.map((l, i) => commitMaker(l, i));
    const heads = job.learners.map(
      (l) =>
        `POST ${l.path}/commit HTTP/1.1\r\n${hostHeader}Connection: keep-alive\r\nAuthorization: Bearer ${l.token}\r\nContent-Type: application/json\r\n`,
    );
    const report = await closedLoops(count, job.warmup, job.seconds, async (i) => {
      const l = job.learners[i]!;
      const body = JSON.stringify({ item: l.item, diff: makers[i]!() });
      const bytes = `${heads[i]!}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const a = await connections[i]!.request(bytes);
      return a.status === 200 || `${a.status} ${a.body.toString().slice(0, 300)}`;
    });
    return { ...report, client: 'net' };
  } finally {
    for (const c of connections) c.close();
  }
}

interface AutocannonResult {
  requests: { total: number };
  errors: number;
  non2xx: number;
  duration: number;
  latency: Record<string, number>;
}

async function runAutocannon(job: Extract<LoadJob, { kind: 'hello' }>): Promise<LoadReport> {
  // autocannon ships no types: imported by a computed name and typed here by what is used.
  const name = 'autocannon';
  const { default: autocannon } = (await import(name)) as {
    default: (opts: Record<string, unknown>) => Promise<AutocannonResult>;
  };
  const opts = { url: `${job.url}/hello`, connections: job.connections, pipelining: 1 };
  await autocannon({ ...opts, duration: job.warmup });
  process.send?.({ type: 'measuring' });
  const cpu = process.cpuUsage();
  const r = await autocannon({ ...opts, duration: job.seconds });
  const used = process.cpuUsage(cpu);
  const at = (key: string) => r.latency[key] ?? Number.NaN;
  return {
    requests: r.requests.total,
    errors: r.errors + r.non2xx,
    firstError: null,
    seconds: r.duration,
    // autocannon's own percentiles (an HDR histogram, 1 ms resolution); it reports p97.5, not p95
    latencyMs: { p50: at('p50'), p95: at('p97_5'), p99: at('p99'), max: at('max') },
    cpuSeconds: (used.user + used.system) / 1e6,
    client: 'autocannon',
  };
}

if (process.send) {
  process.once('message', async (job: LoadJob) => {
    try {
      const report =
        job.kind === 'hello' && job.client === 'autocannon' ? await runAutocannon(job) : await runNet(job);
      process.send?.({ type: 'report', report });
    } catch (error) {
      process.send?.({ type: 'failed', message: (error as Error).stack ?? String(error) });
    }
    process.disconnect?.();
  });
}
