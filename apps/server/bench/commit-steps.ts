/**
 * Where one commit's server time goes, in one process with no sockets and one commit at a time:
 *
 * - `app.fetch` of POST /commit (Hono routing, runtime token check, JSON parse + schema, the
 *   attempt service, the JSON answer);
 * - `verifyRuntimeToken` alone;
 * - the attempt service's `commit` alone, with every repository call it makes timed by name.
 *
 * Same workload as run.ts: a SCORM 2004 course, commits of a local API (location, ~2 KB of
 * suspend data, session time, an interaction, score). Figures are medians over COMMITS commits.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CmiState, type CommitDiff, createScorm2004Api } from '@scormflow/cmi';
import { type Database, lrsStore } from '@scormflow/db';
import { buildApp, loadEnv } from '../src/index.js';
import { attemptService } from '../src/runtime/attempt-service.js';
import { verifyRuntimeToken } from '../src/runtime/runtime-token.js';
import { scormCommitStatements, scormSessionStatements } from '../src/xapi/scorm-statements.js';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/e2e/scorm2004-single.zip', import.meta.url));
const JWT_SECRET = 'bench-secret-0123456789abcdef-0123456789abcdef';
const COMMITS = 1500;
const LEARNERS = 50;
const CROWD_COMMITS = 5000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** `target` whose methods add their duration (µs) to `timings` under `name.method`. */
function timedObject<T extends object>(target: T, name: string, timings: Map<string, number[]>): T {
  const wrapped: Record<string, unknown> = {};
  for (const [method, fn] of Object.entries(target as Record<string, unknown>)) {
    if (typeof fn !== 'function') continue;
    const label = `${name}.${method}`;
    wrapped[method] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      } finally {
        const list = timings.get(label) ?? [];
        list.push((performance.now() - t) * 1000);
        timings.set(label, list);
      }
    };
  }
  return wrapped as T;
}

/** `db` whose repository calls add their duration (µs) to `timings` under `repo.method`. */
function timedDatabase(db: Database, timings: Map<string, number[]>): Database {
  const repos: Record<string, unknown> = {};
  for (const [name, repo] of Object.entries(db.repos))
    repos[name] = timedObject(repo as object, name, timings);
  return { ...db, repos: repos as unknown as Database['repos'] };
}

/** Microseconds of each of `COMMITS` commits of a learner's next diffs through `service`. */
async function timeCommits(
  service: ReturnType<typeof attemptService>,
  learner: { attemptId: string; item: string; next(): CommitDiff },
): Promise<number[]> {
  const us: number[] = [];
  for (let n = 0; n < COMMITS; n++) {
    const diff = learner.next();
    const t = performance.now();
    const done = await service.commit('default', learner.attemptId, learner.item, diff);
    us.push((performance.now() - t) * 1000);
    if (!done.ok) throw new Error(`commit refused: ${done.refusal.message}`);
  }
  return us;
}

export async function commitSteps(): Promise<string[]> {
  // `built.close()` of a SQLite database with the default WAL checkpoint worker waits for the
  // worker to exit, but the worker and the close's timeout are both unref'd: with nothing else
  // ref'd the event loop ends first and the process exits with code 13 (an unsettled top-level
  // await) before printing. Not seen with `walCheckpoint: 'inline'`. Kept alive until done.
  const alive = setInterval(() => {}, 1000);
  try {
    return await measure();
  } finally {
    clearInterval(alive);
  }
}

async function measure(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'scormflow-commit-steps-'));
  const built = await buildApp(
    loadEnv({
      DATABASE_URL: join(dir, 'steps.db'),
      STORAGE_LOCAL_DIR: join(dir, 'blobs'),
      JWT_SECRET,
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_RUNTIME_PER_MINUTE: '0',
    }),
  );
  try {
    const key = built.bootstrap.created ? built.bootstrap.secret : null;
    const call = async (path: string, init: { bearer: string; body: string | Uint8Array; type: string }) => {
      const res = await built.app.fetch(
        new Request(`http://bench${path}`, {
          method: 'POST',
          // With its length, as a request from a socket has it (the body limit is then checked on it).
          headers: {
            authorization: `Bearer ${init.bearer}`,
            'content-type': init.type,
            'content-length': String(
              typeof init.body === 'string' ? Buffer.byteLength(init.body) : init.body.byteLength,
            ),
          },
          body: init.body,
        }),
      );
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const learner = async (n: number) => {
      const course = await call('/api/v1/courses', {
        bearer: key ?? '',
        body: new Uint8Array(await readFile(FIXTURE)),
        type: 'application/zip',
      });
      const started = (await call('/api/v1/attempts/start', {
        bearer: key ?? '',
        body: JSON.stringify({ courseId: course.id, learner: { id: `steps-${n}` } }),
        type: 'application/json',
      })) as { attempt: { id: string }; runtimeToken: string };
      const init = (await call(`/api/v1/runtime/${started.attempt.id}/initialize`, {
        bearer: started.runtimeToken,
        body: '{}',
        type: 'application/json',
      })) as { item: string; state: CmiState };
      const diffs: CommitDiff[] = [];
      const api = createScorm2004Api({ state: init.state, onCommit: (d) => void diffs.push(d) });
      api.Initialize('');
      let i = 0;
      const next = (): CommitDiff => {
        const k = i % 5;
        api.SetValue('cmi.location', `page-${i}`);
        api.SetValue('cmi.suspend_data', `${i};`.repeat(2048).slice(0, 2048));
        api.SetValue('cmi.session_time', `PT${i}S`);
        api.SetValue(`cmi.interactions.${k}.id`, `q${k}`);
        api.SetValue(`cmi.interactions.${k}.type`, 'choice');
        api.SetValue(`cmi.interactions.${k}.learner_response`, 'b');
        api.SetValue(`cmi.interactions.${k}.result`, 'correct');
        api.SetValue('cmi.score.raw', String(i % 100));
        api.SetValue('cmi.score.scaled', ((i % 100) / 100).toFixed(2));
        i++;
        diffs.length = 0;
        api.Commit('');
        const d = diffs[0];
        if (!d) throw new Error('no diff');
        return d;
      };
      return { attemptId: started.attempt.id, token: started.runtimeToken, item: init.item, next };
    };

    // 1. the whole request, in process
    const a = await learner(1);
    const fetchUs: number[] = [];
    for (let n = 0; n < COMMITS; n++) {
      const body = JSON.stringify({ item: a.item, diff: a.next() });
      const t = performance.now();
      await call(`/api/v1/runtime/${a.attemptId}/commit`, {
        bearer: a.token,
        body,
        type: 'application/json',
      });
      fetchUs.push((performance.now() - t) * 1000);
    }
    // 2. the token check alone
    const tokenUs: number[] = [];
    for (let n = 0; n < COMMITS; n++) {
      const t = performance.now();
      await verifyRuntimeToken(a.token, JWT_SECRET);
      tokenUs.push((performance.now() - t) * 1000);
    }
    // 3. the service alone, repository calls timed
    const b = await learner(2);
    const timings = new Map<string, number[]>();
    const service = attemptService(timedDatabase(built.db, timings));
    const serviceUs = await timeCommits(service, b);
    // 4. the service with statements, LRS calls timed, and the statements' build alone
    const c = await learner(3);
    const lrsTimings = new Map<string, number[]>();
    const withStatements = attemptService(built.db, {
      statements: {
        store: timedObject(lrsStore(built.db), 'lrs', lrsTimings),
        baseUrl: 'http://bench',
        onError: (e) => {
          throw e;
        },
      },
    });
    const statementsUs = await timeCommits(withStatements, c);
    const buildUs: number[] = [];
    const d = await learner(4);
    const buildService = attemptService(built.db);
    const session = {
      tenantId: 'default',
      attemptId: d.attemptId,
      learner: { externalId: 'steps-4' },
      course: { id: 'course', version: 1, title: 'Course' },
      item: { identifier: d.item },
      version: '2004',
    } as const;
    const make = scormSessionStatements(session, { baseUrl: 'http://bench' });
    const sessionUs: number[] = [];
    for (let n = 0; n < COMMITS; n++) {
      const diff = d.next();
      const before = (await built.db.repos.scoStates.get('default', d.attemptId, d.item))!.state as CmiState;
      const done = await buildService.commit('default', d.attemptId, d.item, diff);
      if (!done.ok) throw new Error(`commit refused: ${done.refusal.message}`);
      const t = performance.now();
      scormCommitStatements(
        {
          ...session,
          before,
          diff,
          after: done.state,
          committedAt: new Date(),
        },
        { baseUrl: 'http://bench' },
      );
      buildUs.push((performance.now() - t) * 1000);
      const t2 = performance.now();
      make(before, diff, done.state, new Date());
      sessionUs.push((performance.now() - t2) * 1000);
    }
    const lrsLines = [...lrsTimings]
      .map(([label, list]) => ({ label, per: list.reduce((s, v) => s + v, 0) / COMMITS, med: median(list) }))
      .sort((x, y) => y.per - x.per)
      .map(
        (r) =>
          `    ${r.label.padEnd(28)} ${r.med.toFixed(0).padStart(6)} µs median, ${r.per.toFixed(0)} µs per commit`,
      );
    // 5. LEARNERS learners at once through app.fetch (no sockets): CPU time of the process per commit
    const crowd = await Promise.all(Array.from({ length: LEARNERS }, (_, n) => learner(100 + n)));
    const perLearner = Math.ceil(CROWD_COMMITS / LEARNERS);
    const commitOf = (l: (typeof crowd)[number]) =>
      call(`/api/v1/runtime/${l.attemptId}/commit`, {
        bearer: l.token,
        body: JSON.stringify({ item: l.item, diff: l.next() }),
        type: 'application/json',
      });
    await Promise.all(
      crowd.map(async (l) => {
        for (let n = 0; n < 20; n++) await commitOf(l);
      }),
    );
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    await Promise.all(
      crowd.map(async (l) => {
        for (let n = 0; n < perLearner; n++) await commitOf(l);
      }),
    );
    const cpu = process.cpuUsage(cpu0);
    const wallS = (performance.now() - wall0) / 1000;
    const crowdCommits = perLearner * LEARNERS;
    const repoLines = [...timings]
      .map(([label, list]) => ({ label, per: list.reduce((s, v) => s + v, 0) / COMMITS, med: median(list) }))
      .sort((x, y) => y.per - x.per)
      .map(
        (r) =>
          `    ${r.label.padEnd(28)} ${r.med.toFixed(0).padStart(6)} µs median, ${r.per.toFixed(0)} µs per commit`,
      );
    const repoTotal =
      [...timings.values()].reduce((s, list) => s + list.reduce((x, v) => x + v, 0), 0) / COMMITS;
    return [
      `Where a commit's server time goes (one process, no sockets, sequential, median of ${COMMITS}):`,
      `  app.fetch POST /commit          ${median(fetchUs).toFixed(0).padStart(6)} µs`,
      `  verifyRuntimeToken alone        ${median(tokenUs).toFixed(0).padStart(6)} µs`,
      `  attemptService.commit alone     ${median(serviceUs).toFixed(0).padStart(6)} µs, of which repository calls ${repoTotal.toFixed(0)} µs (mean):`,
      ...repoLines,
      `  attemptService.commit + statements ${median(statementsUs).toFixed(0).padStart(3)} µs, of which LRS calls (mean):`,
      ...lrsLines,
      `  ${LEARNERS} learners at once via app.fetch: ${(crowdCommits / wallS).toFixed(0)} commits/s, ${((cpu.user + cpu.system) / crowdCommits).toFixed(0)} µs CPU per commit (${crowdCommits} commits)`,
      `  scormCommitStatements alone     ${median(buildUs).toFixed(0).padStart(6)} µs`,
      `  the same from a session's maker ${median(sessionUs).toFixed(0).padStart(6)} µs`,
    ];
  } finally {
    await built.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log((await commitSteps()).join('\n'));
}
