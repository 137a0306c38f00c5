import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CmiState, type CommitDiff, createScorm12Api, createScorm2004Api } from '@scormflow/cmi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, type RunningServer, startServer } from '../src/index.js';
import { issueRuntimeToken } from '../src/runtime/runtime-token.js';
import { FIXTURES } from './helpers.js';
import { createTestDatabase } from './postgres.js';

const JWT_SECRET = 'e2e-secret-0123456789abcdef-0123456789abcdef';

interface Started {
  attempt: { id: string };
  resumed: boolean;
  launchUrl: string;
  runtimeToken: string;
  scos: { identifier: string; launchUrl: string | null }[];
}

/** Where the servers of one run keep their data: a database URL, or why the run is skipped. */
type E2eBackend =
  | { databaseUrl(dir: string): string; processes: number; dispose(): Promise<void> }
  | { skip: string };

/**
 * The whole loop over real HTTP: started servers, uploads, attempts, the runtime, resume, results.
 * With several processes on one database every request goes to the next server in turn, so no
 * answer can depend on what one process holds in memory.
 */
function describeEndToEnd(label: string, backend: E2eBackend): void {
  describe.skipIf('skip' in backend)(`end to end over HTTP (${label})`, () => {
    const b = backend as Exclude<E2eBackend, { skip: string }>;
    let dir: string;
    const servers: RunningServer[] = [];
    let turn = 0;
    let key: string;

    async function http(
      path: string,
      init: { method?: string; bearer?: string; json?: unknown; body?: Uint8Array; type?: string } = {},
    ) {
      const headers: Record<string, string> = {};
      if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
      let body: string | Uint8Array | undefined;
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.json);
      } else if (init.body) {
        headers['content-type'] = init.type ?? 'application/octet-stream';
        body = init.body;
      }
      const server = servers[turn++ % servers.length]!;
      const res = await fetch(`${server.url}${path}`, {
        method: init.method ?? (body ? 'POST' : 'GET'),
        headers,
        body,
      });
      const text = await res.text();
      const type = res.headers.get('content-type') ?? '';
      // biome-ignore lint/suspicious/noExplicitAny: the test reads answers of many shapes by path
      const answer: any = type.includes('json') ? JSON.parse(text) : text;
      return { status: res.status, body: answer };
    }

    async function upload(file: string): Promise<string> {
      const zip = new Uint8Array(await readFile(join(FIXTURES, 'e2e', file)));
      const res = await http('/api/v1/courses', { bearer: key, body: zip, type: 'application/zip' });
      expect(res.status).toBe(201);
      return res.body.id as string;
    }

    async function start(courseId: string, learner: string): Promise<Started> {
      const res = await http('/api/v1/attempts/start', {
        bearer: key,
        json: { courseId, learner: { id: learner, name: 'Learner' } },
      });
      expect([200, 201]).toContain(res.status);
      return res.body as Started;
    }

    function runtime(s: Started) {
      const base = `/api/v1/runtime/${s.attempt.id}`;
      return {
        initialize: async (item: string) => {
          const res = await http(`${base}/initialize`, { bearer: s.runtimeToken, json: { item } });
          expect(res.status).toBe(200);
          return res.body as { state: CmiState; version: string };
        },
        get: async (item: string, element: string) =>
          (await http(`${base}/value?${new URLSearchParams({ item, element })}`, { bearer: s.runtimeToken }))
            .body,
        set: async (item: string, element: string, value: string) =>
          (await http(`${base}/value`, { bearer: s.runtimeToken, json: { item, element, value } })).body,
        commit: (item: string, diff: CommitDiff) =>
          http(`${base}/commit`, { bearer: s.runtimeToken, json: { item, diff } }),
        terminate: (item: string, diff?: CommitDiff) =>
          http(`${base}/terminate`, { bearer: s.runtimeToken, json: diff ? { item, diff } : { item } }),
      };
    }

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'scormflow-e2e-'));
      const env = loadEnv({
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: b.databaseUrl(dir),
        STORAGE_LOCAL_DIR: join(dir, 'blobs'),
        JWT_SECRET,
        RATE_LIMIT_PER_MINUTE: '0',
      });
      for (let i = 0; i < b.processes; i++) servers.push(await startServer(env, () => {}));
      const boot = servers[0]!.built.bootstrap;
      if (!boot.created || !boot.secret) throw new Error('expected a new database');
      key = boot.secret;
    });
    afterAll(async () => {
      for (const server of servers) await server.close();
      await rm(dir, { recursive: true, force: true });
      await b.dispose();
    });

    it('runs a multi-SCO SCORM 1.2 course: remote SetValue, suspend, resume, a local API batch, completion', async () => {
      const courseId = await upload('scorm12-multi.zip');
      const s = await start(courseId, 'e2e-12');
      expect(s.resumed).toBe(false);
      const page = await http(s.scos[0]!.launchUrl!);
      expect(page.status).toBe(200);
      expect(page.body).toContain('Hazards');

      // lesson 1, value by value as a remote SCO calls it, then suspended
      const rt = runtime(s);
      const lesson = await rt.initialize('lesson1');
      expect(lesson.state.values['cmi.core.entry']).toBe('ab-initio');
      expect(await rt.get('lesson1', 'cmi.launch_data')).toEqual({ result: 'chapter=1', errorCode: '0' });
      expect(await rt.set('lesson1', 'cmi.core.lesson_status', 'incomplete')).toEqual({
        result: 'true',
        errorCode: '0',
      });
      expect(await rt.set('lesson1', 'cmi.core.lesson_status', 'half-done')).toEqual({
        result: 'false',
        errorCode: '405',
      });
      await rt.set('lesson1', 'cmi.core.lesson_location', 'page-4');
      await rt.set('lesson1', 'cmi.suspend_data', 'visited=1,2,3,4');
      await rt.set('lesson1', 'cmi.core.exit', 'suspend');
      await rt.set('lesson1', 'cmi.core.session_time', '00:04:00');
      expect((await rt.terminate('lesson1')).body).toEqual({ result: 'true', errorCode: '0' });
      expect((await http(`/api/v1/attempts/${s.attempt.id}`, { bearer: key })).body.status).toBe('suspended');

      // the learner comes back
      const back = await start(courseId, 'e2e-12');
      expect(back).toMatchObject({ resumed: true, attempt: { id: s.attempt.id } });
      const rt2 = runtime(back);
      const resumed = await rt2.initialize('lesson1');
      expect(resumed.state.values).toMatchObject({
        'cmi.core.entry': 'resume',
        'cmi.core.lesson_location': 'page-4',
        'cmi.suspend_data': 'visited=1,2,3,4',
        'cmi.core.total_time': '0000:04:00.00',
      });
      await rt2.set('lesson1', 'cmi.core.lesson_status', 'completed');
      await rt2.set('lesson1', 'cmi.core.session_time', '00:01:00');
      await rt2.terminate('lesson1');

      // the quiz runs against a local API built from the server's state; diffs go to /commit
      const quiz = await rt2.initialize('quiz');
      const diffs: CommitDiff[] = [];
      const api = createScorm12Api({ state: quiz.state, onCommit: (d) => void diffs.push(d) });
      api.LMSInitialize('');
      expect(api.LMSGetValue('cmi.student_data.mastery_score')).toBe('70');
      api.LMSSetValue('cmi.interactions.0.id', 'q1');
      api.LMSSetValue('cmi.interactions.0.type', 'choice');
      api.LMSSetValue('cmi.interactions.0.student_response', 'b');
      api.LMSSetValue('cmi.interactions.0.result', 'correct');
      api.LMSSetValue('cmi.objectives.0.id', 'hazards');
      api.LMSSetValue('cmi.objectives.0.status', 'passed');
      api.LMSCommit('');
      const first = await rt2.commit('quiz', diffs[0]!);
      expect(first.body).toEqual({ result: 'true', errorCode: '0', seq: diffs[0]!.seq });
      const replay = await rt2.commit('quiz', diffs[0]!);
      expect(replay.status).toBe(409);
      expect(replay.body.reason).toBe('REPLAYED_COMMIT');
      api.LMSSetValue('cmi.core.score.raw', '80');
      api.LMSSetValue('cmi.core.session_time', '00:03:00');
      api.LMSFinish('');
      expect((await rt2.terminate('quiz', diffs[1]!)).body).toEqual({ result: 'true', errorCode: '0' });

      const result = await http(`/api/v1/attempts/${s.attempt.id}`, { bearer: key });
      expect(result.body).toMatchObject({
        status: 'completed',
        completionStatus: 'completed',
        successStatus: 'passed',
        score: { raw: 80, scaled: 0.8 },
        totalTimeSeconds: 480,
        finishedAt: expect.any(String),
      });
      const scos = result.body.scos as { identifier: string; values: Record<string, string> }[];
      expect(scos.map((x) => [x.identifier, x.values['cmi.core.lesson_status']])).toEqual([
        ['lesson1', 'completed'],
        ['quiz', 'passed'],
      ]);
      expect(scos[1]!.values['cmi.core.lesson_status']).toBe(api.getState().values['cmi.core.lesson_status']);
      expect(result.body.interactions).toEqual([
        expect.objectContaining({ item: 'quiz', id: 'q1', result: 'correct' }),
      ]);
      expect(result.body.objectives).toEqual([
        expect.objectContaining({ item: 'quiz', id: 'hazards', successStatus: 'passed' }),
      ]);
      expect(result.body.launches).toHaveLength(3);
      const list = await http(`/api/v1/attempts?courseId=${courseId}&learnerId=e2e-12`, { bearer: key });
      expect(list.body.items.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
        [s.attempt.id, 'completed'],
      ]);
    });

    it('runs a SCORM 2004 course through a local API: suspend, resume, completion by progress measure', async () => {
      const courseId = await upload('scorm2004-single.zip');
      const s = await start(courseId, 'e2e-2004');
      const rt = runtime(s);
      const init = await rt.initialize('privacy');
      const diffs: CommitDiff[] = [];
      const api = createScorm2004Api({ state: init.state, onCommit: (d) => void diffs.push(d) });
      api.Initialize('');
      api.SetValue('cmi.location', 'section-2');
      api.SetValue('cmi.suspend_data', '{"answers":[1,0]}');
      api.SetValue('cmi.progress_measure', '0.4');
      api.SetValue('cmi.exit', 'suspend');
      api.SetValue('cmi.session_time', 'PT7M');
      api.Terminate('');
      expect((await rt.terminate('privacy', diffs[0]!)).body).toEqual({ result: 'true', errorCode: '0' });
      const mid = await http(`/api/v1/attempts/${s.attempt.id}`, { bearer: key });
      expect(mid.body).toMatchObject({
        status: 'suspended',
        completionStatus: 'incomplete',
        totalTimeSeconds: 420,
      });

      const back = await start(courseId, 'e2e-2004');
      expect(back.resumed).toBe(true);
      const rt2 = runtime(back);
      const again = await rt2.initialize('privacy');
      expect(again.state.values).toMatchObject({
        'cmi.entry': 'resume',
        'cmi.location': 'section-2',
        'cmi.suspend_data': '{"answers":[1,0]}',
        'cmi.total_time': 'PT0H7M0S',
      });
      expect(await rt2.set('privacy', 'cmi.progress_measure', '0.85')).toEqual({
        result: 'true',
        errorCode: '0',
      });
      expect(await rt2.set('privacy', 'cmi.score.scaled', '0.9')).toEqual({ result: 'true', errorCode: '0' });
      expect(await rt2.get('privacy', 'cmi.completion_status')).toEqual({
        result: 'completed',
        errorCode: '0',
      });
      await rt2.set('privacy', 'cmi.exit', 'normal');
      await rt2.set('privacy', 'cmi.session_time', 'PT3M');
      expect((await rt2.terminate('privacy')).body).toEqual({ result: 'true', errorCode: '0' });
      const done = await http(`/api/v1/attempts/${s.attempt.id}`, { bearer: key });
      expect(done.body).toMatchObject({
        status: 'completed',
        completionStatus: 'completed',
        score: { scaled: 0.9 },
        totalTime: 'PT0H10M0S',
      });
      expect(done.body.scos[0].values['cmi.completion_status']).toBe('completed');
    });

    it('refuses expired, tampered and other-attempt runtime tokens over HTTP', async () => {
      const courseId = await upload('scorm2004-single.zip');
      const a = await start(courseId, 'e2e-jwt-a');
      const b = await start(courseId, 'e2e-jwt-b');
      const path = `/api/v1/runtime/${a.attempt.id}/initialize`;
      const expired = await issueRuntimeToken(
        { tenantId: 'default', attemptId: a.attempt.id, learnerId: 'x' },
        JWT_SECRET,
        60,
        { now: new Date(Date.now() - 7200_000) },
      );
      const [head, payload, sig] = a.runtimeToken.split('.') as [string, string, string];
      const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      forged.sub = b.attempt.id;
      const tampered = `${head}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}`;
      const answers = await Promise.all(
        [expired.token, tampered, b.runtimeToken].map((bearer) => http(path, { bearer, json: {} })),
      );
      expect(answers.map((r) => [r.status, r.body.code])).toEqual([
        [401, 'RUNTIME_TOKEN_EXPIRED'],
        [401, 'RUNTIME_TOKEN_INVALID'],
        [403, 'RUNTIME_TOKEN_FORBIDDEN'],
      ]);
      expect((await http(path, { bearer: a.runtimeToken, json: {} })).status).toBe(200);
    });
  });
}

describeEndToEnd('SQLite, disk storage', {
  databaseUrl: (dir) => join(dir, 'scormflow.db'),
  processes: 1,
  dispose: async () => {},
});

const pg = await createTestDatabase('server_e2e');
describeEndToEnd(
  'Postgres, disk storage, two servers',
  'skip' in pg ? pg : { databaseUrl: () => pg.url, processes: 2, dispose: () => pg.drop() },
);
