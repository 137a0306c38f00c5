/**
 * Throughput of `scoStates.commit` (one transaction: conditional state write, commit log append, one
 * interaction and one objective upsert, attempt summary update) on SQLite (file, WAL, NORMAL) and on
 * Postgres, against a baseline measured in the same run: a single-row INSERT of the same state JSON in
 * its own transaction through the bare driver.
 *
 * Run: pnpm --filter @scormflow/db bench   (Postgres part needs tooling/scripts/services.sh)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import postgres from 'postgres';
import { type Database, migrate, openDatabase } from '../src/index.js';
import { createTestDatabase, probeTestPostgres } from '../test/postgres.js';

const STATE = {
  'cmi.location': 'page-12',
  'cmi.suspend_data': 'x'.repeat(1400),
  'cmi.completion_status': 'incomplete',
  'cmi.session_time': 'PT1M2S',
};
const STATE_JSON = JSON.stringify(STATE);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

async function timed(label: string, run: () => Promise<void> | void): Promise<number> {
  const end = performance.now() + SECONDS * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < end) {
    await run();
    n++;
  }
  const rate = n / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(58)} ${rate.toFixed(0).padStart(7)} /s`);
  return rate;
}

async function setup(db: Database) {
  await migrate(db);
  const tenant = await db.repos.tenants.create({ name: 'bench' });
  const learner = await db.repos.learners.upsert(tenant.id, { externalId: 'l' });
  const course = await db.repos.courses.create(tenant.id, {
    kind: 'scorm',
    title: 'bench',
    model: {},
    storagePrefix: 'p/',
    size: 1,
    items: [{ identifier: 'I1', title: 'I1', isSco: true, depth: 0 }],
  });
  const attempts = [];
  for (let i = 0; i < 8; i++) {
    const a = await db.repos.attempts.create(tenant.id, {
      courseId: course.id,
      courseVersion: 1,
      learnerId: learner.id,
    });
    attempts.push(a!.id);
  }
  return { tenantId: tenant.id, attempts };
}

function commitOf(seq: number) {
  return {
    state: STATE,
    diff: { 'cmi.location': `page-${seq}` },
    interactions: [
      {
        idx: seq % 10,
        interactionId: `q${seq % 10}`,
        type: 'choice',
        description: null,
        learnerResponse: 'a',
        result: 'correct',
        latency: 'PT2S',
        timestamp: null,
        weighting: 1,
        correctResponses: ['a'],
        objectiveIds: [],
      },
    ],
    objectives: [
      {
        objectiveId: 'o1',
        successStatus: 'unknown',
        completionStatus: 'incomplete',
        scoreScaled: 0.5,
        scoreRaw: null,
        scoreMin: null,
        scoreMax: null,
        progressMeasure: 0.5,
        description: null,
      },
    ],
    summary: { totalTimeCs: seq, completionStatus: 'incomplete' },
  };
}

async function benchRepos(name: string, db: Database, parallel: boolean) {
  const { tenantId, attempts } = await setup(db);
  const seqs = new Map(attempts.map((a) => [a, 0]));
  const commit = async (attemptId: string) => {
    const seq = seqs.get(attemptId)! + 1;
    const r = await db.repos.scoStates.commit(tenantId, attemptId, 'I1', seq, commitOf(seq));
    if (!r.ok) throw new Error(`unexpected ${r.error}`);
    seqs.set(attemptId, seq);
  };
  const one = await timed(`${name}: scoStates.commit, sequential`, () => commit(attempts[0]!));
  let many = 0;
  if (parallel) {
    const rate = await timed(`${name}: scoStates.commit, 8 attempts in parallel (per batch)`, async () => {
      await Promise.all(attempts.map(commit));
    });
    many = rate * attempts.length;
    console.log(
      `${`${name}: scoStates.commit, 8 attempts in parallel (commits)`.padEnd(58)} ${many.toFixed(0).padStart(7)} /s`,
    );
  }
  return { one, many };
}

const dir = mkdtempSync(join(tmpdir(), 'scormflow-bench-'));
try {
  // SQLite baseline: bare better-sqlite3, one INSERT per transaction, same pragmas.
  const raw = new BetterSqlite3(join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec('create table t (id integer primary key, state text not null)');
  const insert = raw.prepare('insert into t (state) values (?)');
  const tx = raw.transaction(() => insert.run(STATE_JSON));
  const sqliteBase = await timed('SQLite baseline: bare INSERT of the state, 1 per transaction', () => {
    tx();
  });
  raw.close();
  const sqlite = openDatabase(join(dir, 'repos.db'));
  const s = await benchRepos('SQLite', sqlite, false);
  await sqlite.close();
  console.log(`SQLite commit / baseline: ${(s.one / sqliteBase).toFixed(2)}`);

  const server = await probeTestPostgres({ required: false });
  if ('skip' in server) {
    console.log(`Postgres skipped: ${server.skip}`);
  } else {
    const pg = await createTestDatabase(server.adminUrl, 'bench');
    try {
      const client = postgres(pg.url, { max: 1, onnotice: () => {} });
      await client`create table t (id bigserial primary key, state jsonb not null)`;
      const pgBase = await timed(
        'Postgres baseline: bare INSERT of the state, 1 per transaction',
        async () => {
          await client.begin((sql) => sql`insert into t (state) values (${STATE_JSON}::jsonb)`);
        },
      );
      await client.end();
      const db = openDatabase(pg.url, { maxConnections: 8 });
      const p = await benchRepos('Postgres', db, true);
      await db.close();
      console.log(`Postgres commit / baseline: ${(p.one / pgBase).toFixed(2)}`);
    } finally {
      await pg.drop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
