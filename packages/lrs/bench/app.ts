/**
 * Throughput of lrsApp over the memory store, in-process (Hono's app.request, no sockets), beside
 * a bare Hono route that parses the same JSON body and answers, measured in the same run.
 * Run: pnpm --filter @scormflow/lrs bench
 */
import { Hono } from 'hono';
import { lrsApp, memoryLrsStore } from '../src/index.js';

const AUTH = `Basic ${btoa('bench:secret')}`;
const HEADERS = {
  Authorization: AUTH,
  'X-Experience-API-Version': '1.0.3',
  'Content-Type': 'application/json',
};

function statement(k: number): Record<string, unknown> {
  return {
    actor: { objectType: 'Agent', name: `Learner ${k % 500}`, mbox: `mailto:learner${k % 500}@example.com` },
    verb: {
      id: `http://adlnet.gov/expapi/verbs/${k % 2 ? 'completed' : 'experienced'}`,
      display: { 'en-US': 'did' },
    },
    object: {
      objectType: 'Activity',
      id: `http://example.com/activities/${k % 200}`,
      definition: {
        name: { 'en-US': `Activity ${k % 200}` },
        type: 'http://adlnet.gov/expapi/activities/lesson',
      },
    },
    result: {
      completion: true,
      success: k % 3 !== 0,
      score: { scaled: 0.8, raw: 80, min: 0, max: 100 },
      duration: 'PT1M30S',
    },
    context: {
      registration: `00000000-0000-4000-8000-${(k % 1000).toString(16).padStart(12, '0')}`,
      contextActivities: {
        parent: [{ id: 'http://example.com/course' }],
        grouping: [{ id: 'http://example.com/program' }],
      },
      platform: 'bench',
      language: 'en-US',
    },
    timestamp: new Date(Date.UTC(2026, 0, 1) + k * 1000).toISOString(),
  };
}

async function measure(
  name: string,
  operations: number,
  unit: string,
  run: (k: number) => Promise<void>,
): Promise<number> {
  for (let k = 0; k < Math.min(200, operations); k++) await run(k);
  const start = performance.now();
  for (let k = 0; k < operations; k++) await run(k);
  const seconds = (performance.now() - start) / 1000;
  const rate = operations / seconds;
  console.log(`${name.padEnd(46)} ${rate.toFixed(0).padStart(8)} ${unit}`);
  return rate;
}

const bare = new Hono();
bare.post('/xapi/statements', async (c) => c.json([(await c.req.json<{ id?: string }>()).id ?? 'x']));

const app = new Hono().route(
  '/xapi',
  lrsApp({
    store: memoryLrsStore(),
    authenticate: async () => ({ tenantId: 'bench', authority: { mbox: 'mailto:bench@example.com' } }),
    maxStatementsPerPage: 100,
  }),
);
const post = (body: unknown) =>
  app.request('http://lrs/xapi/statements', { method: 'POST', headers: HEADERS, body: JSON.stringify(body) });

const sample = JSON.stringify(statement(1));
console.log(`statement size: ${sample.length} bytes; Node ${process.version}`);
const baseline = await measure('bare Hono POST (parse JSON, answer)', 20_000, 'req/s', async (k) => {
  await bare.request('http://lrs/xapi/statements', {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify(statement(k)),
  });
});
const single = await measure('lrsApp POST, one statement per request', 20_000, 'req/s', async (k) => {
  const response = await post(statement(k));
  if (response.status !== 200) throw new Error(`POST answered ${response.status}`);
});
const batch = await measure('lrsApp POST, batches of 100', 200, 'batches/s', async (k) => {
  const response = await post(Array.from({ length: 100 }, (_, i) => statement(k * 100 + i)));
  if (response.status !== 200) throw new Error(`POST answered ${response.status}`);
});
const filters: Record<string, string>[] = [
  { agent: JSON.stringify({ mbox: 'mailto:learner7@example.com' }), limit: '10' },
  { verb: 'http://adlnet.gov/expapi/verbs/completed', limit: '10' },
  { activity: 'http://example.com/activities/42', limit: '10' },
  { registration: '00000000-0000-4000-8000-00000000002a', limit: '10' },
];
const stored = 20_000 + 200 + 200 * 100 + 200;
const gets: number[] = [];
for (const query of filters) {
  const name = Object.keys(query)[0]!;
  gets.push(
    await measure(`lrsApp GET ${name} filter, limit 10 (${stored} stored)`, 300, 'req/s', async () => {
      const response = await app.request(`http://lrs/xapi/statements?${new URLSearchParams(query)}`, {
        headers: HEADERS,
      });
      if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
    }),
  );
}
console.log(
  `\nsingle POST: ${(single / baseline).toFixed(2)}x the bare Hono POST; batched: ${(batch * 100).toFixed(0)} statements/s`,
);
console.log(
  `filtered GET: ${gets.map((g) => g.toFixed(0)).join(' / ')} req/s (memory store scans every statement)`,
);
