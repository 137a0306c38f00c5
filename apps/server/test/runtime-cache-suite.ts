import { type CmiState, type CommitDiff, createScorm2004Api } from '@scormflow/cmi';
import { type Database, migrate } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, createApp, DEFAULT_TENANT_ID, type ScormflowApp } from '../src/index.js';
import { call, problemOf, uploadFixture } from './helpers.js';

/** Two connections to one database, as two server processes would hold; or why the suite is skipped. */
export type SharedDatabase = { open(): Database; dispose(): Promise<void> } | { skip: string };

const SECRET = 'runtime-cache-suite-secret-0123456789abcdef-0123';

interface Started {
  attempt: { id: string };
  runtimeToken: string;
}

/**
 * Two apps (as two server processes) on one database: each keeps its own cache of the sessions it
 * committed, and neither may ever accept a commit decided on a stale cache entry.
 */
export function describeRuntimeCache(label: string, backend: SharedDatabase): void {
  describe.skipIf('skip' in backend)(`two apps on one ${label} database`, () => {
    const b = backend as Exclude<SharedDatabase, { skip: string }>;
    let dbA: Database;
    let dbB: Database;
    let appA: ScormflowApp;
    let appB: ScormflowApp;
    let key: string;
    let courseId: string;

    beforeAll(async () => {
      dbA = b.open();
      await migrate(dbA);
      dbB = b.open();
      const boot = await bootstrap(dbA);
      if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
      key = boot.secret;
      const storage = memoryStorage();
      const options = { storage, rateLimiter: null, runtimeRateLimiter: null, jwtSecret: SECRET };
      appA = createApp({ ...options, db: dbA, onUnexpectedError: (e) => console.error(e) });
      appB = createApp({ ...options, db: dbB, onUnexpectedError: (e) => console.error(e) });
      courseId = await uploadFixture(appA, key, 'e2e/scorm2004-single.zip');
    });
    afterAll(async () => {
      await dbA?.close();
      await dbB?.close();
      await b.dispose();
    });

    /** A learner with a session opened through app A, and a local API making its diffs. */
    async function learner(id: string) {
      const res = await call(appA, '/api/v1/attempts/start', {
        method: 'POST',
        key,
        json: { courseId, learner: { id } },
      });
      expect(res.status).toBe(201);
      const s = (await res.json()) as Started;
      const init = await commitTo(appA, s, 'initialize', {});
      expect(init.status).toBe(200);
      const { item, state } = (await init.json()) as { item: string; state: CmiState };
      const diffs: CommitDiff[] = [];
      const api = createScorm2004Api({ state, onCommit: (d) => void diffs.push(d) });
      api.Initialize('');
      /** The next diff of the local API, with `location` set. */
      const next = (location: string): CommitDiff => {
        expect(api.SetValue('cmi.location', location)).toBe('true');
        diffs.length = 0;
        expect(api.Commit('')).toBe('true');
        return diffs[0]!;
      };
      return { s, item, next };
    }

    function commitTo(app: ScormflowApp, s: Started, path: string, json: unknown) {
      return call(app, `/api/v1/runtime/${s.attempt.id}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.runtimeToken}` },
        json,
      });
    }

    async function stored(attemptId: string) {
      const res = await call(appB, `/api/v1/attempts/${attemptId}`, { key });
      const body = (await res.json()) as { scos: { seq: number; location: string | null }[] };
      const log = await dbB.repos.commitLog.listByAttempt(DEFAULT_TENANT_ID, attemptId);
      return { seq: body.scos[0]!.seq, location: body.scos[0]!.location, log: log.map((e) => e.seq) };
    }

    it('refuses a seq that another app stored since this app cached the session, with no side effect', async () => {
      const { s, item, next } = await learner('cache-stale');
      expect((await commitTo(appA, s, 'commit', { item, diff: next('a-2') })).status).toBe(200);
      // App B stores seq 3: app A's cached state (seq 2) is now stale.
      const three = next('b-3');
      expect((await commitTo(appB, s, 'commit', { item, diff: three })).status).toBe(200);
      expect(await stored(s.attempt.id)).toEqual({ seq: 3, location: 'b-3', log: [1, 2, 3] });

      // Another seq 3 through app A: its cache would accept it; the database must not.
      const stale = { ...three, ops: three.ops.map(([e, v]) => [e, e === 'cmi.location' ? 'a-3' : v]) };
      const refused = await commitTo(appA, s, 'commit', { item, diff: stale });
      expect(refused.status).toBe(409);
      expect(await problemOf(refused)).toMatchObject({
        code: 'COMMIT_REJECTED',
        reason: 'REPLAYED_COMMIT',
        currentSeq: 3,
      });
      expect(await stored(s.attempt.id)).toEqual({ seq: 3, location: 'b-3', log: [1, 2, 3] });

      // App A has read the session again: the next seq goes through it, a gap does not.
      expect((await commitTo(appA, s, 'commit', { item, diff: next('a-4') })).status).toBe(200);
      const gap = { ...next('a-5'), seq: 6 };
      const refusedGap = await commitTo(appA, s, 'commit', { item, diff: gap });
      expect(refusedGap.status).toBe(409);
      expect(await problemOf(refusedGap)).toMatchObject({ reason: 'SEQUENCE_GAP', currentSeq: 4 });
      expect(await stored(s.attempt.id)).toEqual({ seq: 4, location: 'a-4', log: [1, 2, 3, 4] });
    });

    it('lets exactly one of two apps store each seq when both commit it at once', async () => {
      const { s, item, next } = await learner('cache-race');
      // Warm both caches.
      expect((await commitTo(appA, s, 'commit', { item, diff: next('a-2') })).status).toBe(200);
      expect((await commitTo(appB, s, 'commit', { item, diff: next('b-3') })).status).toBe(200);
      let seq = 3;
      for (let round = 0; round < 8; round++) {
        const diff = next(`r-${round}`);
        seq = diff.seq;
        const answers = await Promise.all(
          [appA, appB].map((app) => commitTo(app, s, 'commit', { item, diff })),
        );
        expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      }
      const after = await stored(s.attempt.id);
      expect(after.seq).toBe(seq);
      expect(after.log).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
    });

    it('refuses a commit from a cached session once another app closed the attempt', async () => {
      const { s, item, next } = await learner('cache-closed');
      expect((await commitTo(appA, s, 'commit', { item, diff: next('a-2') })).status).toBe(200);
      // The attempt is closed by another process without touching this SCO's state (as when
      // another SCO of the course completes it): app A's cached state still has the right seq.
      await dbB.repos.attempts.updateSummary(DEFAULT_TENANT_ID, s.attempt.id, { status: 'completed' });
      const refused = await commitTo(appA, s, 'commit', { item, diff: next('a-3') });
      expect(refused.status).toBe(409);
      expect(await problemOf(refused)).toMatchObject({ reason: 'SESSION_NOT_RUNNING', currentSeq: 2 });
      expect(await stored(s.attempt.id)).toEqual({ seq: 2, location: 'a-2', log: [1, 2] });
    });
  });
}
