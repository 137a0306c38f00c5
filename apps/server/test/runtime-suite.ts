import { type CmiState, type CommitDiff, createScorm12Api, createScorm2004Api } from '@scormflow/cmi';
import { type Database, lrsStore, migrate } from '@scormflow/db';
import type { BlobStorage } from '@scormflow/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, createApp, DEFAULT_TENANT_ID, type ScormflowApp } from '../src/index.js';
import { issueRuntimeToken } from '../src/runtime/runtime-token.js';
import { call, problemOf, uploadFixture } from './helpers.js';

/** How one database variant of the runtime suite is opened; or why it is skipped. */
export type RuntimeBackend =
  | { open(): Database; storage(): Promise<BlobStorage>; dispose(): Promise<void> }
  | { skip: string };

const SECRET = 'runtime-suite-secret-0123456789abcdef-0123456789';

interface Started {
  attempt: { id: string; status: string; learner: { id: string; name: string | null } };
  resumed: boolean;
  launchUrl: string;
  runtimeToken: string;
  expiresAt: string;
  scos: { identifier: string; title: string; launchUrl: string | null }[];
}

interface Answer {
  result: string;
  errorCode: string;
}

/**
 * Attempts and the SCORM runtime over HTTP through `app.request()`, run once per database dialect.
 * Every test starts attempts of learners of its own.
 */
export function describeRuntime(label: string, backend: RuntimeBackend): void {
  describe.skipIf('skip' in backend)(`attempts and runtime on ${label}`, () => {
    const b = backend as Exclude<RuntimeBackend, { skip: string }>;
    let db: Database;
    let storage: BlobStorage;
    let app: ScormflowApp;
    let key: string;
    const courses: Record<string, string> = {};

    const upload = (file: string): Promise<string> => uploadFixture(app, key, file);

    async function start(courseId: string, learner: string, name = 'Ada Lovelace'): Promise<Started> {
      const res = await call(app, '/api/v1/attempts/start', {
        method: 'POST',
        key,
        json: { courseId, learner: { id: learner, name } },
      });
      expect([200, 201]).toContain(res.status);
      const body = (await res.json()) as Started;
      expect(res.status).toBe(body.resumed ? 200 : 201);
      return body;
    }

    function rt(s: Started, path: string, init: { method?: string; json?: unknown; token?: string } = {}) {
      return call(app, `/api/v1/runtime/${s.attempt.id}/${path}`, {
        method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${init.token ?? s.runtimeToken}` },
        ...(init.json === undefined ? {} : { json: init.json }),
      });
    }

    async function initialize(s: Started, item?: string) {
      const res = await rt(s, 'initialize', { json: item === undefined ? {} : { item } });
      expect(res.status).toBe(200);
      return (await res.json()) as Answer & { item: string; version: string; state: CmiState };
    }

    async function getValue(s: Started, element: string, item?: string): Promise<Answer> {
      const q = new URLSearchParams({ element, ...(item ? { item } : {}) });
      const res = await rt(s, `value?${q}`);
      expect(res.status).toBe(200);
      return (await res.json()) as Answer;
    }

    async function setValue(s: Started, element: string, value: string, item?: string): Promise<Answer> {
      const res = await rt(s, 'value', { json: { element, value, ...(item ? { item } : {}) } });
      expect(res.status).toBe(200);
      return (await res.json()) as Answer;
    }

    async function detail(id: string) {
      const res = await call(app, `/api/v1/attempts/${id}`, { key });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        status: string;
        completionStatus: string | null;
        successStatus: string | null;
        score: { scaled: number | null; raw: number | null };
        totalTime: string;
        totalTimeSeconds: number;
        scos: {
          identifier: string;
          launched: boolean;
          running: boolean;
          seq: number;
          completionStatus: string;
          successStatus: string;
          entry: string | null;
          exit: string | null;
          location: string | null;
          suspendData: string | null;
          values: Record<string, string>;
        }[];
        objectives: { item: string; id: string; successStatus: string | null }[];
        interactions: {
          item: string;
          index: number;
          id: string;
          result: string | null;
          learnerResponse: string | null;
        }[];
        launches: {
          item: string;
          endedAt: string | null;
          exit: string | null;
          statusReached: string | null;
        }[];
      };
    }

    beforeAll(async () => {
      db = b.open();
      await migrate(db);
      const boot = await bootstrap(db);
      if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
      key = boot.secret;
      storage = await b.storage();
      app = createApp({ db, storage, rateLimiter: null, jwtSecret: SECRET, onUnexpectedError: () => {} });
      courses.multi12 = await upload('e2e/scorm12-multi.zip');
      courses.single2004 = await upload('e2e/scorm2004-single.zip');
      courses.multi2004 = await upload('scorm2004-multi.zip');
      courses.shared2004 = await upload('e2e/scorm2004-shared.zip');
    });
    afterAll(async () => {
      await storage?.close?.();
      await db?.close();
      await b.dispose();
    });

    describe('attempts', () => {
      it('starts an attempt with a launch URL, a runtime token and content URLs of every SCO', async () => {
        const s = await start(courses.multi12!, 'start-1');
        expect(s.resumed).toBe(false);
        expect(s.attempt).toMatchObject({
          status: 'active',
          learner: { id: 'start-1', name: 'Ada Lovelace' },
        });
        expect(s.launchUrl).toBe(`/play/${s.attempt.id}?token=${encodeURIComponent(s.runtimeToken)}`);
        expect(Date.parse(s.expiresAt)).toBeGreaterThan(0);
        expect(s.scos.map((x) => x.identifier)).toEqual(['lesson1', 'quiz']);
        expect(s.scos[0]!.launchUrl).toMatch(/^\/content\/[\w-]+\.[\w-]+\.[\w-]+\/lesson1\/index\.html$/);
        const page = await call(app, s.scos[1]!.launchUrl!);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Final Quiz');
      });

      it('resumes the active attempt of the same learner and starts another for another learner', async () => {
        const first = await start(courses.multi12!, 'start-2');
        const again = await start(courses.multi12!, 'start-2');
        expect(again.resumed).toBe(true);
        expect(again.attempt.id).toBe(first.attempt.id);
        const other = await start(courses.multi12!, 'start-3');
        expect(other.attempt.id).not.toBe(first.attempt.id);
      });

      it('refuses an unknown course, a bad body and a missing key', async () => {
        const unknown = await call(app, '/api/v1/attempts/start', {
          method: 'POST',
          key,
          json: { courseId: 'nope', learner: { id: 'x' } },
        });
        expect(unknown.status).toBe(404);
        expect((await problemOf(unknown)).code).toBe('COURSE_NOT_FOUND');
        const bad = await call(app, '/api/v1/attempts/start', {
          method: 'POST',
          key,
          json: { courseId: 'x' },
        });
        expect(bad.status).toBe(400);
        expect((await problemOf(bad)).code).toBe('VALIDATION_FAILED');
        const anonymous = await call(app, '/api/v1/attempts/start', {
          method: 'POST',
          json: { courseId: courses.multi12, learner: { id: 'x' } },
        });
        expect(anonymous.status).toBe(401);
        const missing = await call(app, '/api/v1/attempts/00000000-0000-7000-8000-000000000000', { key });
        expect(missing.status).toBe(404);
        expect((await problemOf(missing)).code).toBe('ATTEMPT_NOT_FOUND');
      });

      it('lists attempts by course and by learner', async () => {
        const a = await start(courses.single2004!, 'list-1');
        const b2 = await start(courses.multi12!, 'list-1');
        const byLearner = await call(app, '/api/v1/attempts?learnerId=list-1', { key });
        expect(byLearner.status).toBe(200);
        const ids = ((await byLearner.json()) as { items: { id: string }[] }).items.map((x) => x.id);
        expect(ids.sort()).toEqual([a.attempt.id, b2.attempt.id].sort());
        const both = await call(app, `/api/v1/attempts?learnerId=list-1&courseId=${courses.single2004}`, {
          key,
        });
        const items = ((await both.json()) as { items: { id: string; learner: { id: string } }[] }).items;
        expect(items).toEqual([
          expect.objectContaining({ id: a.attempt.id, learner: { id: 'list-1', name: 'Ada Lovelace' } }),
        ]);
        const nobody = await call(app, '/api/v1/attempts?learnerId=never-seen', { key });
        expect(((await nobody.json()) as { items: unknown[] }).items).toEqual([]);
      });

      it('is tenant-scoped: another tenant sees no attempt', async () => {
        const s = await start(courses.multi12!, 'tenant-1');
        const created = await call(app, '/api/v1/admin/tenants', {
          method: 'POST',
          key,
          json: { name: 'Other' },
        });
        const other = ((await created.json()) as { apiKey: { secret: string } }).apiKey.secret;
        const res = await call(app, `/api/v1/attempts/${s.attempt.id}`, { key: other });
        expect(res.status).toBe(404);
        const start2 = await call(app, '/api/v1/attempts/start', {
          method: 'POST',
          key: other,
          json: { courseId: courses.multi12, learner: { id: 'tenant-1' } },
        });
        expect(start2.status).toBe(404);
      });
    });

    describe('SCORM 1.2 runtime over HTTP', () => {
      it('answers GetValue / SetValue exactly as a local API with the same launch does', async () => {
        const s = await start(courses.multi12!, 'rt12-1', 'Grace Hopper');
        const init = await initialize(s, 'quiz');
        expect(init).toMatchObject({ result: 'true', errorCode: '0', item: 'quiz', version: '1.2' });
        expect(init.state.values['cmi.core.entry']).toBe('ab-initio');
        expect(init.state.values['cmi.student_data.mastery_score']).toBe('70');
        const local = createScorm12Api({ state: init.state });
        local.LMSInitialize('');
        const calls: [string, string?][] = [
          ['cmi.core.student_id'],
          ['cmi.core.student_name'],
          ['cmi.student_data.max_time_allowed'],
          ['cmi.core.lesson_status', 'bogus'],
          ['cmi.core.student_id', 'someone-else'],
          ['cmi.core.score.raw', '150'],
          ['cmi.core.score.raw', '85'],
          ['cmi.nothing.here'],
          ['cmi.core.lesson_location', 'page-3'],
          ['cmi.core.lesson_location'],
          ['cmi.interactions.0.id', 'q1'],
          ['cmi.interactions.0.type', 'choice'],
          ['cmi.interactions.0.student_response', 'a'],
          ['cmi.interactions.0.result', 'correct'],
          ['cmi.interactions._count'],
          ['cmi.interactions.5.id', 'gap'],
          ['cmi.core.score._children'],
        ];
        for (const [element, value] of calls) {
          const remote = value === undefined ? await getValue(s, element) : await setValue(s, element, value);
          const result = value === undefined ? local.LMSGetValue(element) : local.LMSSetValue(element, value);
          expect(remote, `${element} ${value ?? ''}`).toEqual({ result, errorCode: local.LMSGetLastError() });
        }
        // values that were refused were never stored
        expect((await getValue(s, 'cmi.core.student_id')).result).toBe('rt12-1');
        expect(await getValue(s, 'cmi.core.score.raw')).toEqual({ result: '85', errorCode: '0' });
        // learner name is the one given at start
        expect((await getValue(s, 'cmi.core.student_name')).result).toBe('Grace Hopper');
      });

      it('terminates: evaluates lesson_status against the mastery score, ends the launch, keeps the interactions', async () => {
        const s = await start(courses.multi12!, 'rt12-2');
        await initialize(s, 'quiz');
        await setValue(s, 'cmi.core.score.raw', '65', 'quiz');
        await setValue(s, 'cmi.interactions.0.id', 'q1', 'quiz');
        await setValue(s, 'cmi.interactions.0.result', 'wrong', 'quiz');
        await setValue(s, 'cmi.core.session_time', '00:02:30', 'quiz');
        const end = await rt(s, 'terminate', { json: { item: 'quiz' } });
        expect(await end.json()).toEqual({ result: 'true', errorCode: '0' });
        // after LMSFinish every call answers 301 as a local API would
        expect(await getValue(s, 'cmi.core.lesson_status', 'quiz')).toEqual({ result: '', errorCode: '301' });
        const again = await rt(s, 'terminate', { json: { item: 'quiz' } });
        expect(await again.json()).toEqual({ result: 'false', errorCode: '301' });
        const d = await detail(s.attempt.id);
        const quiz = d.scos.find((x) => x.identifier === 'quiz')!;
        expect(quiz).toMatchObject({
          launched: true,
          running: false,
          completionStatus: 'completed',
          successStatus: 'failed',
        });
        expect(quiz.values['cmi.core.lesson_status']).toBe('failed');
        expect(quiz.values['cmi.core.total_time']).toBe('0000:02:30.00');
        expect(d.scos.find((x) => x.identifier === 'lesson1')).toMatchObject({ launched: false });
        expect(d).toMatchObject({
          status: 'active',
          completionStatus: 'incomplete',
          successStatus: 'failed',
          score: { raw: 65, scaled: 0.65 },
          totalTimeSeconds: 150,
        });
        expect(d.interactions).toEqual([
          expect.objectContaining({ item: 'quiz', index: 0, id: 'q1', result: 'wrong' }),
        ]);
        expect(d.launches).toEqual([
          expect.objectContaining({
            item: 'quiz',
            exit: '',
            statusReached: 'failed',
            endedAt: expect.any(String),
          }),
        ]);
      });

      it('keeps one state per SCO and completes the attempt when every SCO is completed', async () => {
        const s = await start(courses.multi12!, 'rt12-3');
        const lesson = await initialize(s, 'lesson1');
        expect(lesson.state.values['cmi.launch_data']).toBe('chapter=1');
        await setValue(s, 'cmi.core.lesson_status', 'completed', 'lesson1');
        await initialize(s, 'quiz');
        await setValue(s, 'cmi.core.score.raw', '90', 'quiz');
        expect((await getValue(s, 'cmi.core.lesson_status', 'lesson1')).result).toBe('completed');
        expect((await getValue(s, 'cmi.core.lesson_status', 'quiz')).result).toBe('not attempted');
        await rt(s, 'terminate', { json: { item: 'lesson1' } });
        expect((await detail(s.attempt.id)).status).toBe('active');
        await rt(s, 'terminate', { json: { item: 'quiz' } });
        const d = await detail(s.attempt.id);
        expect(d).toMatchObject({
          status: 'completed',
          completionStatus: 'completed',
          successStatus: 'passed',
        });
        // a completed attempt takes no more sessions; the next start is a new attempt
        const closed = await rt(s, 'initialize', { json: { item: 'quiz' } });
        expect(closed.status).toBe(409);
        expect((await problemOf(closed)).code).toBe('ATTEMPT_CLOSED');
        const next = await start(courses.multi12!, 'rt12-3');
        expect(next.resumed).toBe(false);
        expect(next.attempt.id).not.toBe(s.attempt.id);
      });

      it('resumes a suspended SCO with its suspend_data, location, entry and total time', async () => {
        const s = await start(courses.multi12!, 'rt12-4');
        await initialize(s, 'lesson1');
        await setValue(s, 'cmi.suspend_data', 'slide=7;answers=abc', 'lesson1');
        await setValue(s, 'cmi.core.lesson_location', 'slide-7', 'lesson1');
        await setValue(s, 'cmi.core.lesson_status', 'incomplete', 'lesson1');
        await setValue(s, 'cmi.core.exit', 'suspend', 'lesson1');
        await setValue(s, 'cmi.core.session_time', '00:10:00', 'lesson1');
        await rt(s, 'terminate', { json: { item: 'lesson1' } });
        expect((await detail(s.attempt.id)).status).toBe('suspended');
        const back = await start(courses.multi12!, 'rt12-4');
        expect(back.resumed).toBe(true);
        expect(back.attempt.id).toBe(s.attempt.id);
        const init = await initialize(back, 'lesson1');
        expect(init.state.values).toMatchObject({
          'cmi.core.entry': 'resume',
          'cmi.suspend_data': 'slide=7;answers=abc',
          'cmi.core.lesson_location': 'slide-7',
          'cmi.core.total_time': '0000:10:00.00',
        });
        expect(await getValue(back, 'cmi.core.exit', 'lesson1')).toEqual({ result: '', errorCode: '404' });
        expect((await getValue(back, 'cmi.suspend_data', 'lesson1')).result).toBe('slide=7;answers=abc');
        expect((await detail(s.attempt.id)).status).toBe('active');
      });
    });

    describe('SCORM 2004 runtime over HTTP', () => {
      it('answers lifecycle and data model errors with the SCORM 2004 codes', async () => {
        const s = await start(courses.single2004!, 'rt2004-1');
        expect(await getValue(s, 'cmi.location')).toEqual({ result: '', errorCode: '122' });
        expect(await setValue(s, 'cmi.location', 'x')).toEqual({ result: 'false', errorCode: '132' });
        const init = await initialize(s);
        expect(init).toMatchObject({ item: 'privacy', version: '2004' });
        expect(init.state.values).toMatchObject({
          'cmi.entry': 'ab-initio',
          'cmi.learner_id': 'rt2004-1',
          'cmi.launch_data': 'mode=full',
          'cmi.completion_threshold': '0.8',
        });
        expect(await setValue(s, 'cmi.completion_status', 'bogus')).toEqual({
          result: 'false',
          errorCode: '406',
        });
        expect(await setValue(s, 'cmi.learner_id', 'x')).toEqual({ result: 'false', errorCode: '404' });
        expect(await getValue(s, 'cmi.exit')).toEqual({ result: '', errorCode: '405' });
        expect(await getValue(s, 'cmi.unknown_element')).toEqual({ result: '', errorCode: '401' });
        expect(await setValue(s, 'cmi.progress_measure', '0.5')).toEqual({ result: 'true', errorCode: '0' });
        // the completion threshold rules: 0.5 < 0.8
        expect(await getValue(s, 'cmi.completion_status')).toEqual({ result: 'incomplete', errorCode: '0' });
        const commit = await rt(s, 'commit', { json: { diff: { seq: 999, ops: [], terminated: false } } });
        expect(commit.status).toBe(409);
        expect((await problemOf(commit)).reason).toBe('SEQUENCE_GAP');
      });

      it("accepts a local API's commits in order and refuses replayed, stale and invalid ones without side effects", async () => {
        const s = await start(courses.single2004!, 'rt2004-2');
        const init = await initialize(s);
        const diffs: CommitDiff[] = [];
        const local = createScorm2004Api({ state: init.state, onCommit: (d) => void diffs.push(d) });
        local.Initialize('');
        local.SetValue('cmi.location', 'chapter-1');
        local.SetValue('cmi.objectives.0.id', 'obj-privacy');
        local.SetValue('cmi.objectives.0.success_status', 'passed');
        local.Commit('');
        local.SetValue('cmi.location', 'chapter-2');
        local.SetValue('cmi.interactions.0.id', 'q-gdpr');
        local.SetValue('cmi.interactions.0.type', 'true-false');
        local.SetValue('cmi.interactions.0.learner_response', 'true');
        local.Commit('');
        const [first, second] = diffs as [CommitDiff, CommitDiff];
        expect(first.seq).toBe(init.state.seq + 1);

        const gap = await rt(s, 'commit', { json: { diff: second } });
        expect(gap.status).toBe(409);
        expect(await problemOf(gap)).toMatchObject({
          code: 'COMMIT_REJECTED',
          reason: 'SEQUENCE_GAP',
          currentSeq: init.state.seq,
          errorCode: '391',
        });
        const ok1 = await rt(s, 'commit', { json: { diff: first } });
        expect(await ok1.json()).toEqual({ result: 'true', errorCode: '0', seq: first.seq });
        const replay = await rt(s, 'commit', { json: { diff: first } });
        expect(replay.status).toBe(409);
        expect((await problemOf(replay)).reason).toBe('REPLAYED_COMMIT');
        const ok2 = await rt(s, 'commit', { json: { diff: second } });
        expect(ok2.status).toBe(200);
        const stale = await rt(s, 'commit', {
          json: { diff: { ...first, ops: [['cmi.location', 'rewritten']] } },
        });
        expect(stale.status).toBe(409);
        expect((await problemOf(stale)).reason).toBe('STALE_COMMIT');
        const invalid = await rt(s, 'commit', {
          json: {
            diff: {
              seq: second.seq + 1,
              ops: [
                ['cmi.location', 'ok'],
                ['cmi.success_status', 'maybe'],
              ],
              terminated: false,
            },
          },
        });
        expect(invalid.status).toBe(422);
        expect(await problemOf(invalid)).toMatchObject({
          code: 'COMMIT_INVALID',
          reason: 'INVALID_VALUE',
          element: 'cmi.success_status',
          op: 1,
          errorCode: '406',
        });
        // nothing of the refused commits was stored
        expect((await getValue(s, 'cmi.location')).result).toBe('chapter-2');
        const log = await db.repos.commitLog.listByAttempt(DEFAULT_TENANT_ID, s.attempt.id);
        expect(log.map((e) => e.seq)).toEqual([init.state.seq, first.seq, second.seq]);
        const d = await detail(s.attempt.id);
        expect(d.objectives).toEqual([
          expect.objectContaining({ item: 'privacy', id: 'obj-privacy', successStatus: 'passed' }),
        ]);
        expect(d.interactions).toEqual([
          expect.objectContaining({ index: 0, id: 'q-gdpr', learnerResponse: 'true' }),
        ]);

        // the final diff of the local API terminates the session
        local.SetValue('cmi.progress_measure', '0.9');
        local.SetValue('cmi.score.scaled', '0.75');
        local.SetValue('cmi.session_time', 'PT5M');
        local.Terminate('');
        const final = diffs[2]!;
        expect(final.terminated).toBe(true);
        const end = await rt(s, 'terminate', { json: { diff: final } });
        expect(await end.json()).toEqual({ result: 'true', errorCode: '0' });
        const after = await detail(s.attempt.id);
        expect(after).toMatchObject({
          status: 'completed',
          completionStatus: 'completed',
          score: { scaled: 0.75 },
          totalTimeSeconds: 300,
        });
        expect(after.scos[0]!.values['cmi.total_time']).toBe(local.getState().values['cmi.total_time']);

        // a client replaying its queue after the session ended: the stored diff counts as
        // delivered (REPLAYED_COMMIT), an older one as stale; neither changes anything
        const replayedEnd = await rt(s, 'terminate', { json: { diff: final } });
        expect(replayedEnd.status).toBe(409);
        expect(await problemOf(replayedEnd)).toMatchObject({
          reason: 'REPLAYED_COMMIT',
          currentSeq: final.seq,
        });
        const older = await rt(s, 'commit', { json: { diff: diffs[1]! } });
        expect(older.status).toBe(409);
        expect(await problemOf(older)).toMatchObject({ reason: 'STALE_COMMIT', currentSeq: final.seq });
        expect(await detail(s.attempt.id)).toEqual(after);

        // every accepted commit landed in the tenant's LRS, registration = the attempt, once
        // (the replays above added nothing), and no other tenant sees them
        const lrs = lrsStore(db);
        const page = await lrs.queryStatements(
          { tenantId: DEFAULT_TENANT_ID },
          { registration: s.attempt.id, ascending: true, limit: 100 },
        );
        const verbs = page.records.map((r) => r.index.verb.replace('http://adlnet.gov/expapi/verbs/', ''));
        expect(verbs).toEqual(expect.arrayContaining(['initialized', 'completed', 'scored', 'terminated']));
        expect(verbs.filter((v) => v === 'terminated')).toHaveLength(1);
        expect(new Set(page.records.map((r) => r.id)).size).toBe(page.records.length);
        const actor = page.records[0]!.statement.actor as { account: { name: string } };
        expect(actor.account.name).toBe('rt2004-2');
        const elsewhere = await lrs.queryStatements(
          { tenantId: 'another-tenant' },
          { registration: s.attempt.id, limit: 10 },
        );
        expect(elsewhere.records).toEqual([]);
      });

      it('starts a new SCO attempt ab-initio after exit normal, and resumes after suspend', async () => {
        const s = await start(courses.single2004!, 'rt2004-3');
        await initialize(s);
        await setValue(s, 'cmi.location', 'p4');
        await setValue(s, 'cmi.suspend_data', 'state-A');
        await setValue(s, 'cmi.exit', 'suspend');
        await setValue(s, 'cmi.session_time', 'PT1M30S');
        await rt(s, 'terminate', { json: {} });
        const back = await start(courses.single2004!, 'rt2004-3');
        expect(back.resumed).toBe(true);
        const resumed = await initialize(back);
        expect(resumed.state.values).toMatchObject({
          'cmi.entry': 'resume',
          'cmi.location': 'p4',
          'cmi.suspend_data': 'state-A',
          'cmi.total_time': 'PT0H1M30S',
        });
        await setValue(back, 'cmi.exit', 'normal');
        await rt(back, 'terminate', { json: {} });
        const fresh = await initialize(back);
        expect(fresh.state.values['cmi.entry']).toBe('ab-initio');
        expect(fresh.state.values['cmi.location']).toBeUndefined();
      });

      it('replaces a session left running (a closed browser) and keeps its data, as a relaunch does', async () => {
        const s = await start(courses.single2004!, 'relaunch-1');
        await initialize(s);
        await setValue(s, 'cmi.location', 'before-crash');
        const again = await initialize(s);
        expect(again.state.values['cmi.entry']).toBe('');
        expect(again.state.values['cmi.location']).toBe('before-crash');
        const d = await detail(s.attempt.id);
        expect(d.launches).toHaveLength(2);
        expect(d.launches.filter((l) => l.endedAt === null)).toHaveLength(1);
      });

      it('keeps the states of a multi-SCO package apart and refuses an item that is not a SCO', async () => {
        const s = await start(courses.multi2004!, 'rt2004-4');
        await initialize(s, 'sco1');
        await initialize(s, 'sco2');
        await setValue(s, 'cmi.location', 'one', 'sco1');
        await setValue(s, 'cmi.location', 'two', 'sco2');
        expect((await getValue(s, 'cmi.location', 'sco1')).result).toBe('one');
        expect((await getValue(s, 'cmi.location', 'sco2')).result).toBe('two');
        const asset = await rt(s, 'initialize', { json: { item: 'appendix' } });
        expect(asset.status).toBe(404);
        expect((await problemOf(asset)).code).toBe('ITEM_NOT_FOUND');
      });

      it('carries shared data stores and global objectives (mapInfo) from one SCO to the next', async () => {
        const s = await start(courses.shared2004!, 'shared-1');
        const a = await initialize(s, 'sco-a');
        expect(a.state.values).toMatchObject({ 'cmi.objectives.0.id': 'obj-a', 'adl.data.0.id': 'notes' });
        expect(await getValue(s, 'adl.data.0.store', 'sco-a')).toEqual({ result: '', errorCode: '403' });
        expect(await setValue(s, 'adl.data.0.store', 'remember this', 'sco-a')).toEqual({
          result: 'true',
          errorCode: '0',
        });
        await setValue(s, 'cmi.objectives.0.success_status', 'passed', 'sco-a');
        await setValue(s, 'cmi.objectives.0.score.scaled', '0.9', 'sco-a');
        await rt(s, 'terminate', { json: { item: 'sco-a' } });

        const b2 = await initialize(s, 'sco-b');
        expect(b2.state.values).toMatchObject({
          'cmi.scaled_passing_score': '0.6',
          'cmi.objectives.0.id': 'obj-b',
          'cmi.objectives.1.id': 'basics',
          'cmi.objectives.1.success_status': 'passed',
          'cmi.objectives.1.score.scaled': '0.9',
        });
        expect(await getValue(s, 'adl.data.0.store', 'sco-b')).toEqual({
          result: 'remember this',
          errorCode: '0',
        });
        // sco-b may read the store but not write it
        expect(await setValue(s, 'adl.data.0.store', 'overwrite', 'sco-b')).toEqual({
          result: 'false',
          errorCode: '404',
        });
        await setValue(s, 'cmi.score.scaled', '0.5', 'sco-b');
        expect(await getValue(s, 'cmi.success_status', 'sco-b')).toEqual({
          result: 'failed',
          errorCode: '0',
        });
      });

      it('force-terminates with finish: running sessions end, runtime calls answer as after Terminate', async () => {
        const s = await start(courses.single2004!, 'rt2004-5');
        await initialize(s);
        await setValue(s, 'cmi.session_time', 'PT2M');
        const res = await call(app, `/api/v1/attempts/${s.attempt.id}/finish`, { method: 'POST', key });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({
          status: 'terminated',
          totalTimeSeconds: 120,
          finishedAt: expect.any(String),
        });
        expect(await setValue(s, 'cmi.location', 'late')).toEqual({ result: 'false', errorCode: '133' });
        const late = await rt(s, 'commit', {
          json: { diff: { seq: 99, ops: [['cmi.location', 'late']], terminated: false } },
        });
        expect(late.status).toBe(409);
        expect(await problemOf(late)).toMatchObject({ reason: 'SESSION_NOT_RUNNING', errorCode: '143' });
        expect((await getValue(s, 'cmi.location')).errorCode).toBe('123');
        const twice = await call(app, `/api/v1/attempts/${s.attempt.id}/finish`, { method: 'POST', key });
        expect(twice.status).toBe(409);
        const d = await detail(s.attempt.id);
        expect(d.scos[0]).toMatchObject({ running: false });
        expect(d.launches.every((l) => l.endedAt !== null)).toBe(true);
        expect((await start(courses.single2004!, 'rt2004-5')).resumed).toBe(false);
      });
    });

    describe('several server processes', () => {
      it('serves one attempt from two apps on two database connections; one of two racing commits wins', async () => {
        const otherDb = b.open();
        try {
          const other = createApp({ db: otherDb, storage, rateLimiter: null, jwtSecret: SECRET });
          const s = await start(courses.single2004!, 'multi-process-1');
          const init = await initialize(s);
          await setValue(s, 'cmi.location', 'from-a');
          const viaB = await call(other, `/api/v1/runtime/${s.attempt.id}/value?element=cmi.location`, {
            headers: { authorization: `Bearer ${s.runtimeToken}` },
          });
          expect(await viaB.json()).toEqual({ result: 'from-a', errorCode: '0' });

          const stored = await db.repos.scoStates.get(DEFAULT_TENANT_ID, s.attempt.id, 'privacy');
          const diff: CommitDiff = {
            seq: stored!.seq + 1,
            ops: [['cmi.suspend_data', 'race']],
            terminated: false,
          };
          const send = (target: ScormflowApp) =>
            call(target, `/api/v1/runtime/${s.attempt.id}/commit`, {
              method: 'POST',
              headers: { authorization: `Bearer ${s.runtimeToken}` },
              json: { diff },
            });
          const answers = await Promise.all([send(app), send(other)]);
          expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
          const log = await db.repos.commitLog.listByAttempt(DEFAULT_TENANT_ID, s.attempt.id);
          expect(log.filter((e) => e.seq === diff.seq)).toHaveLength(1);

          // SetValues racing from both apps on one SCO are all stored (a loser rebuilds its commit)
          const elements = Array.from({ length: 6 }, (_, i) => `cmi.interactions.${i}.id`);
          const results: Answer[] = [];
          for (const [i, element] of elements.entries()) {
            // ids must be appended in order; the racing writes go to separate SCO fields below
            const res = await call(i % 2 === 0 ? app : other, `/api/v1/runtime/${s.attempt.id}/value`, {
              method: 'POST',
              headers: { authorization: `Bearer ${s.runtimeToken}` },
              json: { element, value: `q${i}` },
            });
            results.push((await res.json()) as Answer);
          }
          const racing = await Promise.all(
            elements.map((_, i) =>
              call(i % 2 === 0 ? app : other, `/api/v1/runtime/${s.attempt.id}/value`, {
                method: 'POST',
                headers: { authorization: `Bearer ${s.runtimeToken}` },
                json: { element: `cmi.interactions.${i}.description`, value: `question ${i}` },
              }).then((r) => r.json() as Promise<Answer>),
            ),
          );
          expect([...results, ...racing].every((r) => r.result === 'true')).toBe(true);
          for (let i = 0; i < elements.length; i++) {
            expect((await getValue(s, `cmi.interactions.${i}.description`)).result).toBe(`question ${i}`);
          }
          expect(init.state.seq).toBeGreaterThan(0);
        } finally {
          await otherDb.close();
        }
      });

      it('answers a remote Commit without a diff as the SCORM API would', async () => {
        const s = await start(courses.single2004!, 'remote-commit-1');
        const before = await rt(s, 'commit', { json: {} });
        expect(await before.json()).toEqual({ result: 'false', errorCode: '142', seq: 0 });
        const init = await initialize(s);
        await setValue(s, 'cmi.location', 'x');
        const during = await rt(s, 'commit', { json: {} });
        expect(await during.json()).toEqual({ result: 'true', errorCode: '0', seq: init.state.seq + 1 });
        await rt(s, 'terminate', { json: {} });
        const after = await rt(s, 'commit', { json: {} });
        expect(await after.json()).toMatchObject({ result: 'false', errorCode: '143' });
      });
    });

    describe('runtime tokens', () => {
      it('refuses expired, tampered, foreign-secret, other-attempt and missing tokens; renews a valid one', async () => {
        const a = await start(courses.single2004!, 'jwt-1');
        const b2 = await start(courses.single2004!, 'jwt-2');
        const tenantId = DEFAULT_TENANT_ID;
        const expired = await issueRuntimeToken(
          { tenantId, attemptId: a.attempt.id, learnerId: 'x' },
          SECRET,
          60,
          { now: new Date(Date.now() - 3600_000) },
        );
        const cases: [string, string, number, string][] = [
          ['expired', expired.token, 401, 'RUNTIME_TOKEN_EXPIRED'],
          [
            'tampered',
            `${a.runtimeToken.slice(0, -4)}${a.runtimeToken.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`,
            401,
            'RUNTIME_TOKEN_INVALID',
          ],
          [
            'other secret',
            (
              await issueRuntimeToken(
                { tenantId, attemptId: a.attempt.id, learnerId: 'x' },
                'another-secret-0123456789-0123456789-0123',
              )
            ).token,
            401,
            'RUNTIME_TOKEN_INVALID',
          ],
          ['other attempt', b2.runtimeToken, 403, 'RUNTIME_TOKEN_FORBIDDEN'],
          ['api key', key, 401, 'RUNTIME_TOKEN_INVALID'],
        ];
        for (const [name, token, status, code] of cases) {
          const res = await rt(a, 'initialize', { json: {}, token });
          expect(res.status, name).toBe(status);
          expect((await problemOf(res)).code, name).toBe(code);
        }
        const none = await call(app, `/api/v1/runtime/${a.attempt.id}/initialize`, {
          method: 'POST',
          json: {},
        });
        expect(none.status).toBe(401);
        expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
        // nothing was started by the refused calls
        expect((await detail(a.attempt.id)).launches).toEqual([]);

        const renewed = await rt(a, 'token', { json: {} });
        expect(renewed.status).toBe(200);
        const { runtimeToken } = (await renewed.json()) as { runtimeToken: string };
        const ok = await rt(a, 'initialize', { json: {}, token: runtimeToken });
        expect(ok.status).toBe(200);
        const renewExpired = await rt(a, 'token', { json: {}, token: expired.token });
        expect(renewExpired.status).toBe(401);
      });
    });
  });
}
