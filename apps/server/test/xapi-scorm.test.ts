import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyCommit,
  type CmiState,
  type CommitDiff,
  createInitialState,
  createScorm2004Api,
} from '@scormflow/cmi';
import { type Database, lrsStore, migrate, openDatabase, xapiCredentials } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type ScormflowApp } from '../src/index.js';
import {
  courseIri,
  learnerAgent,
  scormCommitStatements,
  writeScormStatements,
} from '../src/xapi/scorm-statements.js';
import { createTestDatabase } from './postgres.js';

type Backend = { open(): Database; dispose(): Promise<void> } | { skip: string };

/** The commits of a real SCORM 2004 session, each applied as the runtime applies it. */
function session(): { before: CmiState; diff: CommitDiff; after: CmiState }[] {
  let state = createInitialState('2004', { scaledPassingScore: 0.7 });
  const commits: { before: CmiState; diff: CommitDiff; after: CmiState }[] = [];
  const api = createScorm2004Api({
    state,
    onCommit: (diff) => {
      const r = applyCommit(state, diff);
      if (!r.ok) throw new Error(r.error.message);
      commits.push({ before: state, diff, after: r.value });
      state = r.value;
      return true;
    },
  });
  api.Initialize('');
  api.SetValue('cmi.location', 'page-2');
  api.Commit('');
  api.SetValue('cmi.score.scaled', '0.85');
  api.SetValue('cmi.completion_status', 'completed');
  api.SetValue('cmi.session_time', 'PT5M');
  api.Terminate('');
  return commits;
}

function describeScormInLrs(label: string, backend: Backend): void {
  describe.skipIf('skip' in backend)(`SCORM commits in the tenant's LRS on ${label}`, () => {
    const b = backend as Exclude<Backend, { skip: string }>;
    let db: Database;
    let app: ScormflowApp;
    let auth: string;
    const tenantId = `t-${randomUUID().slice(0, 8)}`;
    const attemptId = randomUUID();
    const learner = { externalId: 'emp-7', name: 'Grace' };
    const baseUrl = 'https://lms.example.com';

    beforeAll(async () => {
      db = b.open();
      await migrate(db);
      await db.repos.tenants.create({ id: tenantId, name: 'T' });
      const made = await xapiCredentials(db).create(tenantId, {
        name: 'reader',
        authority: { objectType: 'Agent', mbox: 'mailto:reader@example.com' },
      });
      auth = `Basic ${Buffer.from(`${made.credential.key}:${made.secret}`).toString('base64')}`;
      app = createApp({ db, storage: memoryStorage(), rateLimiter: null, apiBaseUrl: baseUrl });
    });
    afterAll(async () => {
      await db.close();
      await b.dispose();
    });

    const get = async (query: string) => {
      const res = await app.request(`/xapi/statements?${query}`, {
        headers: { authorization: auth, 'x-experience-api-version': '1.0.3' },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { statements: { id: string; verb: { id: string } }[] }).statements;
    };

    it('stores the statements of each commit once and shows them beside xAPI statements of the learner', async () => {
      const store = lrsStore(db);
      const ids: string[] = [];
      for (const [n, commit] of session().entries()) {
        const built = scormCommitStatements(
          {
            tenantId,
            attemptId,
            learner,
            course: { id: 'safety', version: 2, title: 'Safety' },
            item: { identifier: 'sco-1', title: 'Lesson 1' },
            version: '2004',
            ...commit,
            committedAt: new Date(Date.UTC(2026, 10, 22, 9, 0, n)),
          },
          { baseUrl },
        );
        expect(await writeScormStatements(store, { tenantId }, built)).toEqual({
          ok: true,
          written: built.statements.length,
        });
        // A retried commit (same seq) writes nothing more.
        expect(await writeScormStatements(store, { tenantId }, built)).toEqual({ ok: true, written: 0 });
        ids.push(...built.statements.map((s) => s.id));
      }
      expect(ids.length).toBeGreaterThanOrEqual(5);

      // An xAPI activity of the same learner, sent by other content.
      const xapiId = randomUUID();
      const actor = learnerAgent(baseUrl, tenantId, learner);
      const posted = await app.request('/xapi/statements', {
        method: 'POST',
        headers: {
          authorization: auth,
          'x-experience-api-version': '1.0.3',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          id: xapiId,
          actor: { objectType: 'Agent', account: actor.account },
          verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
          object: { objectType: 'Activity', id: 'https://videos.example.com/intro' },
        }),
      });
      expect(posted.status).toBe(200);

      const agent = encodeURIComponent(JSON.stringify({ account: actor.account }));
      const history = await get(`agent=${agent}&ascending=true`);
      expect(history.map((s) => s.id)).toEqual([...ids, xapiId]);
      const attempt = await get(`registration=${attemptId}`);
      expect(attempt.map((s) => s.id).sort()).toEqual([...ids].sort());
      const course = encodeURIComponent(courseIri(baseUrl, tenantId, 'safety'));
      expect((await get(`activity=${course}&related_activities=true`)).length).toBe(ids.length);
      const verbs = history.map((s) => s.verb.id.split('/').pop());
      expect(verbs).toEqual(expect.arrayContaining(['initialized', 'completed', 'passed', 'terminated']));

      const activity = await app.request(`/xapi/activities?activityId=${course}`, {
        headers: { authorization: auth, 'x-experience-api-version': '1.0.3' },
      });
      expect(await activity.json()).toMatchObject({
        id: courseIri(baseUrl, tenantId, 'safety'),
        definition: { type: 'http://adlnet.gov/expapi/activities/course', name: { und: 'Safety' } },
      });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'scormflow-xapi-scorm-'));
describeScormInLrs('SQLite', {
  open: () => openDatabase(`file:${join(dir, 'lrs.db')}`),
  async dispose() {
    rmSync(dir, { recursive: true, force: true });
  },
});

const pg = await createTestDatabase('server_xapi_scorm');
describeScormInLrs(
  'Postgres',
  'skip' in pg ? pg : { open: () => openDatabase(pg.url, { maxConnections: 4 }), dispose: () => pg.drop() },
);
