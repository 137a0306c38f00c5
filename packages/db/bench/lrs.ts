/**
 * The LRS store on SQLite (file, WAL, NORMAL) and Postgres: batched statement inserts (batches of
 * 1000 generated 1.5 KB statements) and filtered queries (agent, verb, activity, registration,
 * limit 10..100) at 100k and 1M stored statements, each beside a baseline measured in the same run:
 * - inserts: the same statement rows written by the bare driver into the same `lrs_statement` table
 *   (one transaction per batch; SQLite a prepared single-row INSERT, Postgres one `unnest` INSERT),
 *   without the key rows, the StatementRef and voiding checks, or the conflict check;
 * - queries: a bare SELECT of as many statements (10..100, JSON parsed) by a primary key range
 *   through the bare driver: reading the rows, without finding them.
 *
 * Run: pnpm --filter @scormflow/db bench:lrs
 * Sizes: LRS_BENCH_SQLITE=100000,1000000 LRS_BENCH_PG=100000 (comma-separated totals; 0 skips).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LrsStore, NewStatement, StatementQuery } from '@scormflow/lrs';
import BetterSqlite3 from 'better-sqlite3';
import postgres from 'postgres';
import { type Database, lrsStore, migrate, openDatabase } from '../src/index.js';
import { createTestDatabase, probeTestPostgres } from '../test/postgres.js';

const sizes = (value: string | undefined, fallback: number[]) =>
  value === undefined
    ? fallback
    : value
        .split(',')
        .map(Number)
        .filter((n) => n > 0);
const SQLITE_SIZES = sizes(process.env.LRS_BENCH_SQLITE, [100_000, 1_000_000]);
const PG_SIZES = sizes(process.env.LRS_BENCH_PG, [100_000]);
const BATCH = 1000;
/** Single-statement inserts timed after the sizes (SQLite), each way. */
const SINGLES = Number(process.env.LRS_BENCH_SINGLES ?? 5000);
const QUERIES = Number(process.env.LRS_BENCH_QUERIES ?? 300);

const AGENTS = 10_000;
const VERBS = 25;
const ACTIVITIES = 2_000;
const COURSES = 40;
const REGISTRATIONS = 50_000;
const TENANT = 'bench-tenant';
const ORIGIN = Date.UTC(2026, 0, 1);

/** A deterministic pseudo-random sequence, so that every run and dialect sees the same data. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const uuid = (n: number, tag: number) =>
  `${tag.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const agentKey = (n: number) => `Agent|mbox:mailto:learner${n}@example.com`;
const verbId = (n: number) => `http://adlnet.gov/expapi/verbs/verb-${n}`;
const activityId = (n: number) => `https://courses.example.com/activities/${n}`;
const courseId = (n: number) => `https://courses.example.com/courses/${n}`;
const registration = (n: number) => uuid(n, 0x7e9);
const PADDING = 'x'.repeat(560);

/** Statement `n` of the data set: about 1.5 KB of JSON, with the index the LRS would compute. */
function makeStatement(n: number, random: () => number): NewStatement {
  const agent = Math.floor(random() * AGENTS);
  const verb = Math.floor(random() * VERBS);
  const activity = Math.floor(random() * ACTIVITIES);
  const course = activity % COURSES;
  const reg = Math.floor(random() * REGISTRATIONS);
  const id = uuid(n, 0x57a7);
  const stored = new Date(ORIGIN + n * 10).toISOString();
  const statement = {
    id,
    actor: { objectType: 'Agent', name: `Learner ${agent}`, mbox: `mailto:learner${agent}@example.com` },
    verb: { id: verbId(verb), display: { 'en-US': `verb ${verb}` } },
    object: {
      objectType: 'Activity',
      id: activityId(activity),
      definition: {
        name: { 'en-US': `Activity ${activity}` },
        type: 'http://adlnet.gov/expapi/activities/lesson',
      },
    },
    result: { completion: true, success: random() < 0.7, score: { scaled: 0.8 }, duration: 'PT4M12S' },
    context: {
      registration: registration(reg),
      contextActivities: { parent: [{ id: courseId(course) }] },
      platform: 'ScormFlow',
      language: 'en-US',
      extensions: { 'https://scormflow.dev/xapi/extensions/padding': PADDING },
    },
    timestamp: stored,
    stored,
    authority: { objectType: 'Agent', account: { homePage: 'https://lrs.example.com', name: 'bench' } },
    version: '1.0.3',
  };
  return {
    id,
    statement,
    stored,
    index: {
      verb: verbId(verb),
      registration: registration(reg),
      agents: [agentKey(agent)],
      relatedAgents: [agentKey(agent), 'Agent|account:https://lrs.example.com|bench'],
      activities: [activityId(activity)],
      relatedActivities: [activityId(activity), courseId(course)],
      statementRef: null,
      voids: null,
    },
  };
}

function* batches(from: number, to: number, random: () => number): Generator<NewStatement[]> {
  for (let start = from; start < to; start += BATCH) {
    const batch: NewStatement[] = [];
    for (let n = start; n < Math.min(to, start + BATCH); n++) batch.push(makeStatement(n, random));
    yield batch;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Latency {
  p50: number;
  p95: number;
}

async function latencies(run: (k: number) => Promise<unknown> | unknown): Promise<Latency> {
  for (let k = 0; k < 20; k++) await run(k); // warm-up
  const times: number[] = [];
  for (let k = 0; k < QUERIES; k++) {
    const start = performance.now();
    await run(k);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
const line = (label: string, value: string, extra = '') =>
  console.log(`${label.padEnd(62)} ${value.padStart(12)}  ${extra}`);

type Filter = 'agent' | 'verb' | 'activity' | 'registration' | 'agent+verb' | 'none';
const FILTERS: Filter[] = ['agent', 'verb', 'activity', 'registration', 'agent+verb', 'none'];

function queryOf(filter: Filter, k: number, random: () => number): StatementQuery {
  const limit = 10 + Math.floor(random() * 91);
  const pick = (n: number) => Math.floor(random() * n);
  switch (filter) {
    case 'agent':
      return { limit, agent: agentKey(pick(AGENTS)) };
    case 'verb':
      return { limit, verb: verbId(pick(VERBS)) };
    case 'activity':
      return { limit, activity: activityId(pick(ACTIVITIES)), ascending: k % 2 === 0 };
    case 'registration':
      return { limit, registration: registration(pick(REGISTRATIONS)) };
    case 'agent+verb':
      return { limit, agent: agentKey(pick(AGENTS)), verb: verbId(pick(VERBS)) };
    case 'none':
      return { limit };
  }
}

/**
 * A filtered query: on SQLite it first writes the key rows still to write, so that an insert rate
 * includes them (as it does on Postgres, which writes them with the statements).
 */
async function indexed(store: LrsStore): Promise<void> {
  await store.queryStatements({ tenantId: TENANT }, { limit: 1, verb: 'https://bench.example/verbs/none' });
}

async function insertAll(
  store: LrsStore,
  from: number,
  to: number,
): Promise<{ rate: number; seconds: number }> {
  const random = rng(from + 1);
  const start = performance.now();
  for (const batch of batches(from, to, random)) {
    const result = await store.insertStatements({ tenantId: TENANT }, batch);
    if (!result.ok) throw new Error(`conflict on ${result.ids.length} ids`);
  }
  await indexed(store);
  const seconds = (performance.now() - start) / 1000;
  return { rate: (to - from) / seconds, seconds };
}

async function queryRound(label: string, store: LrsStore, baseline: Latency): Promise<void> {
  line(
    `${label}: baseline SELECT of 10..100 rows by primary key range`,
    `p50 ${fmt(baseline.p50)}`,
    `p95 ${fmt(baseline.p95)}`,
  );
  for (const filter of FILTERS) {
    const random = rng(FILTERS.indexOf(filter) + 7);
    let rows = 0;
    const latency = await latencies(async (k) => {
      const page = await store.queryStatements({ tenantId: TENANT }, queryOf(filter, k, random));
      rows += page.records.length;
    });
    line(
      `${label}: query ${filter} (limit 10..100)`,
      `p50 ${fmt(latency.p50)}`,
      `p95 ${fmt(latency.p95)}  ${(latency.p95 / baseline.p95).toFixed(1)}x baseline p95, ${(rows / (QUERIES + 20)).toFixed(0)} rows/query`,
    );
  }
}

async function setupTenant(db: Database): Promise<void> {
  await migrate(db);
  await db.repos.tenants.create({ id: TENANT, name: 'bench' });
}

async function benchSqlite(dir: string): Promise<void> {
  const path = join(dir, 'lrs.db');
  const db = openDatabase(path);
  await setupTenant(db);
  const store = lrsStore(db);

  // Baseline: the same rows, statement table only, through the bare driver.
  const rawPath = join(dir, 'raw.db');
  const rawDb = openDatabase(rawPath);
  await setupTenant(rawDb);
  await rawDb.close();
  const raw = new BetterSqlite3(rawPath);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const rawInsert = raw.prepare(
    `insert into lrs_statement (tenant_id, id, stored, statement, verb, registration, voided, voids,
     statement_ref, own_keys) values (?, ?, ?, ?, ?, ?, 0, null, null, ?)`,
  );
  const rawBatch = raw.transaction((batch: NewStatement[]) => {
    for (const s of batch) {
      rawInsert.run(
        TENANT,
        s.id,
        Date.parse(s.stored),
        JSON.stringify(s.statement),
        s.index.verb,
        s.index.registration,
        JSON.stringify(s.index),
      );
    }
  });
  const rawByPk = raw
    .prepare('select statement from lrs_statement where seq >= ? order by seq limit ?')
    .pluck();

  let stored = 0;
  for (const size of SQLITE_SIZES) {
    const random = rng(stored + 1);
    const start = performance.now();
    for (const batch of batches(stored, size, random)) rawBatch(batch);
    const rawRate = (size - stored) / ((performance.now() - start) / 1000);
    const ours = await insertAll(store, stored, size);
    const label = `SQLite ${size / 1000}k`;
    line(
      `${label}: baseline bare INSERT of the rows (no keys), batches of ${BATCH}`,
      `${rawRate.toFixed(0)} /s`,
    );
    line(
      `${label}: lrsStore.insertStatements, batches of ${BATCH}`,
      `${ours.rate.toFixed(0)} /s`,
      `${(ours.rate / rawRate).toFixed(2)}x baseline, ${(size - stored) / 1000}k in ${ours.seconds.toFixed(1)} s`,
    );
    stored = size;
    const pkRandom = rng(3);
    const baseline = await latencies(() => {
      const limit = 10 + Math.floor(pkRandom() * 91);
      return (rawByPk.all(1 + Math.floor(pkRandom() * (stored - 100)), limit) as string[]).map((t) =>
        JSON.parse(t),
      );
    });
    await queryRound(label, store, baseline);
    const mb = (file: string) => statSync(file).size / 1e6;
    line(
      `${label}: database file`,
      `${mb(path).toFixed(0)} MB`,
      `baseline file ${mb(rawPath).toFixed(0)} MB`,
    );
  }
  // Single-statement inserts, the shape of single-statement POSTs: awaited one at a time (one
  // transaction each: the baseline) and 32 calls at a time (the write queue makes one transaction
  // of the calls of one turn, and one batch of those of a tenant). Ids far beyond every size.
  const singles = async (concurrency: number, first: number): Promise<number> => {
    const random = rng(first);
    const list = Array.from({ length: SINGLES }, (_, k) => makeStatement(first + k, random));
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < list.length) {
          const result = await store.insertStatements({ tenantId: TENANT }, [list[next++]!]);
          if (!result.ok) throw new Error('conflict');
        }
      }),
    );
    await indexed(store);
    return SINGLES / ((performance.now() - start) / 1000);
  };
  if (SINGLES > 0) {
    const one = await singles(1, 50_000_000);
    const many = await singles(32, 60_000_000);
    line(`SQLite: single-statement inserts awaited one at a time (baseline)`, `${one.toFixed(0)} /s`);
    line(
      `SQLite: single-statement inserts, 32 calls at a time`,
      `${many.toFixed(0)} /s`,
      `${(many / one).toFixed(2)}x baseline`,
    );
  }
  raw.close();
  await db.close();
}

async function benchPostgres(): Promise<void> {
  const server = await probeTestPostgres({ required: false });
  if ('skip' in server) {
    console.log(`Postgres skipped: ${server.skip}`);
    return;
  }
  const target = await createTestDatabase(server.adminUrl, 'lrsbench');
  const rawTarget = await createTestDatabase(server.adminUrl, 'lrsbenchraw');
  const db = openDatabase(target.url, { maxConnections: 4 });
  const rawDb = openDatabase(rawTarget.url, { maxConnections: 1 });
  try {
    await setupTenant(db);
    await setupTenant(rawDb);
    await rawDb.close();
    const raw = postgres(rawTarget.url, { max: 1, onnotice: () => {} });
    const store = lrsStore(db);
    let stored = 0;
    for (const size of PG_SIZES) {
      const random = rng(stored + 1);
      const start = performance.now();
      for (const batch of batches(stored, size, random)) {
        await raw.begin((sql) =>
          sql.unsafe(
            `insert into lrs_statement (tenant_id, id, stored, statement, verb, registration, voided, own_keys)
             select $1, id, stored::timestamptz, statement::json, verb, registration, false, own_keys::json
             from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
               as t(id, stored, statement, verb, registration, own_keys)`,
            [
              TENANT,
              batch.map((s) => s.id),
              batch.map((s) => s.stored),
              batch.map((s) => JSON.stringify(s.statement)),
              batch.map((s) => s.index.verb),
              batch.map((s) => s.index.registration ?? ''),
              batch.map((s) => JSON.stringify(s.index)),
            ],
          ),
        );
      }
      const rawRate = (size - stored) / ((performance.now() - start) / 1000);
      const ours = await insertAll(store, stored, size);
      const label = `Postgres ${size / 1000}k`;
      line(
        `${label}: baseline bare INSERT of the rows (no keys), batches of ${BATCH}`,
        `${rawRate.toFixed(0)} /s`,
      );
      line(
        `${label}: lrsStore.insertStatements, batches of ${BATCH}`,
        `${ours.rate.toFixed(0)} /s`,
        `${(ours.rate / rawRate).toFixed(2)}x baseline, ${(size - stored) / 1000}k in ${ours.seconds.toFixed(1)} s`,
      );
      stored = size;
      if (db.dialect === 'postgres') await db.drizzle.$client.unsafe('analyze');
      const pkRandom = rng(3);
      const baseline = await latencies(() =>
        raw.unsafe('select statement from lrs_statement where seq >= $1 order by seq limit $2', [
          1 + Math.floor(pkRandom() * (stored - 100)),
          10 + Math.floor(pkRandom() * 91),
        ]),
      );
      await queryRound(label, store, baseline);
    }
    await raw.end();
  } finally {
    await db.close();
    await target.drop().catch((error: unknown) => console.warn(`drop: ${(error as Error).message}`));
    await rawTarget.drop().catch((error: unknown) => console.warn(`drop: ${(error as Error).message}`));
  }
}

const sample = [...batches(0, BATCH, rng(1))][0]!.map((s) => JSON.stringify(s.statement).length);
console.log(
  `statements of ${Math.min(...sample)}-${Math.max(...sample)} bytes of JSON (mean ${(
    sample.reduce((x, y) => x + y, 0) / sample.length
  ).toFixed(
    0,
  )}), ${AGENTS} agents, ${VERBS} verbs, ${ACTIVITIES} activities in ${COURSES} courses, ${REGISTRATIONS} registrations`,
);
const dir = mkdtempSync(join(tmpdir(), 'scormflow-lrs-bench-'));
try {
  if (SQLITE_SIZES.length > 0) await benchSqlite(dir);
  if (PG_SIZES.length > 0) await benchPostgres();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
