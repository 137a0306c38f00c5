/**
 * The load generator of the LRS benchmark, forked by bench/lrs.ts into a process of its own so
 * that it never shares an event loop with an LRS under test. Closed loops on raw keep-alive
 * `node:net` connections (one request in flight per connection); request bytes are built per
 * request from the shared statement population (bench/lrs-statements.ts). Only requests that
 * start inside the measured window count; latency runs from the write of the request to the last
 * byte of the answer.
 */
import { Connection, type HttpAnswer, percentile } from './http-response.js';
import { benchQuery, benchStatement } from './lrs-statements.js';

/** What the parent asks for. */
export type LrsLoadJob = {
  url: string;
  /** Path of the statements resource (`/xapi/statements`). */
  path: string;
  authorization: string;
  connections: number;
  warmup: number;
  seconds: number;
} & (
  | { kind: 'post'; batch: number; firstIndex: number }
  | { kind: 'get'; filter: 'agent' | 'verb' | 'activity' | 'registration'; limit: number }
  | { kind: 'fill'; batch: number; firstIndex: number; count: number }
);

export interface LrsLoadReport {
  requests: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  /** Statements sent in the measured window (POST) or rows answered (GET). */
  items: number;
  latencyMs: { p50: number; p95: number; p99: number };
  /** The next unused statement index. */
  nextIndex: number;
  /** CPU microseconds of the LRS process per measured request, when the LRS reports it (GET). */
  serverCpuMicros?: number;
}

function post(job: LrsLoadJob, host: string, body: string): Buffer {
  const bytes = Buffer.from(body);
  return Buffer.concat([
    Buffer.from(
      `POST ${job.path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${job.authorization}\r\n` +
        'X-Experience-API-Version: 1.0.3\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${bytes.length}\r\n\r\n`,
    ),
    bytes,
  ]);
}

function get(job: LrsLoadJob, host: string, query: string): Buffer {
  return Buffer.from(
    `GET ${job.path}?${query} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${job.authorization}\r\n` +
      'X-Experience-API-Version: 1.0.3\r\n\r\n',
  );
}

async function run(job: LrsLoadJob): Promise<LrsLoadReport> {
  const url = new URL(job.url);
  const host = url.host;
  const connections = Array.from(
    { length: job.connections },
    () => new Connection(url.hostname, Number(url.port)),
  );
  let next = job.kind === 'get' ? 0 : job.firstIndex;
  const batch = job.kind === 'get' ? 1 : job.batch;
  const fillEnd = job.kind === 'fill' ? job.firstIndex + job.count : Number.POSITIVE_INFINITY;
  const makeRequest = (): { bytes: Buffer; n: number } | null => {
    if (job.kind === 'get') {
      return { bytes: get(job, host, `${benchQuery(job.filter, next++)}&limit=${job.limit}`), n: 0 };
    }
    if (next >= fillEnd) return null;
    const n = Math.min(batch, fillEnd - next);
    const statements = Array.from({ length: n }, (_, k) => benchStatement(next + k));
    next += n;
    const single = job.kind === 'post' && job.batch === 1;
    return { bytes: post(job, host, JSON.stringify(single ? statements[0] : statements)), n };
  };

  const t0 = performance.now();
  const measureFrom = job.kind === 'fill' ? t0 : t0 + job.warmup * 1000;
  const measureTo = job.kind === 'fill' ? Number.POSITIVE_INFINITY : measureFrom + job.seconds * 1000;
  const samples: number[] = [];
  let errors = 0;
  let items = 0;
  let firstError: string | null = null;
  let firstStart = Number.POSITIVE_INFINITY;
  let lastEnd = 0;
  await Promise.all(
    connections.map(async (first, slot) => {
      let connection = first;
      for (;;) {
        const start = performance.now();
        if (start >= measureTo) return;
        const made = makeRequest();
        if (made === null) return;
        let answer: HttpAnswer;
        try {
          answer = await connection.request(made.bytes);
        } catch (error) {
          // A dropped connection counts as an error; the loop goes on with a new one (a fill
          // sends the same statements again, which an LRS accepts as the same statements).
          errors++;
          firstError ??= (error as Error).message;
          connection.close();
          connection = new Connection(url.hostname, Number(url.port));
          connections[slot] = connection;
          if (job.kind === 'fill') {
            try {
              answer = await connection.request(made.bytes);
            } catch {
              return;
            }
          } else continue;
        }
        const end = performance.now();
        const ok = answer.status === 200 || answer.status === 204;
        if (start >= measureFrom) {
          if (start < firstStart) firstStart = start;
          if (end > lastEnd) lastEnd = end;
          samples.push(end - start);
          if (!ok) errors++;
          else if (job.kind === 'get') {
            // Rows answered: the number of statement ids in the page.
            items += answer.body.toString('latin1').split('"stored"').length - 1;
          } else items += made.n;
        }
        if (!ok) {
          firstError ??= `${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`;
          if (job.kind === 'fill') return;
        }
      }
    }),
  );
  for (const c of connections) c.close();
  samples.sort((a, b) => a - b);
  return {
    requests: samples.length,
    errors,
    firstError,
    seconds: Math.max(0.001, (lastEnd - firstStart) / 1000),
    items,
    latencyMs: { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) },
    nextIndex: next,
  };
}

process.once('message', (job: LrsLoadJob) => {
  run(job).then(
    (report) => process.send?.({ type: 'report', report }, () => process.exit(0)),
    (error: unknown) => process.send?.({ type: 'error', message: String(error) }, () => process.exit(1)),
  );
});
