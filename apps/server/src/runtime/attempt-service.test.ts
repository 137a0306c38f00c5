import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CmiState, type CommitDiff, createScorm2004Api } from '@scormflow/cmi';
import { type Database, lrsStore, migrate, openDatabase } from '@scormflow/db';
import { indexStatement, type JsonObject, type LrsStore, storingClock } from '@scormflow/lrs';
import { memoryStorage } from '@scormflow/storage';
import type { Statement } from '@scormflow/xapi';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uploadFixture } from '../../test/helpers.js';
import { createTestDatabase } from '../../test/postgres.js';
import { bootstrap, createApp, DEFAULT_TENANT_ID } from '../index.js';
import { scormSessionStatements } from '../xapi/scorm-statements.js';
import { attemptService } from './attempt-service.js';

type Backend = { open(): Database; dispose(): Promise<void> } | { skip: string };

function sqlite(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'scormflow-attempt-statements-'));
  return {
    open: () => openDatabase(join(dir, 'statements.db')),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
const made = await createTestDatabase('attempt_statements');
const postgres: Backend =
  'skip' in made ? made : { open: () => openDatabase(made.url), dispose: () => made.drop() };

/**
 * The statements of accepted commits through the attempt service: written with the commit (in its
 * transaction on SQLite, grouped after it on Postgres), and a statements failure is reported and
 * never refuses or undoes the commit.
 */
for (const [label, backend, sameTransaction] of [
  ['SQLite', sqlite(), false],
  ['SQLite, in the commit transaction', sqlite(), true],
  ['Postgres', postgres, false],
] as const) {
  describe.skipIf('skip' in backend)(`SCORM statements of runtime commits on ${label}`, () => {
    const b = backend as Exclude<Backend, { skip: string }>;
    let db: Database;
    let courseId: string;
    let key: string;
    let app: ReturnType<typeof createApp>;
    const errors: unknown[] = [];

    beforeAll(async () => {
      db = b.open();
      await migrate(db);
      const boot = await bootstrap(db);
      if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
      key = boot.secret;
      app = createApp({ db, storage: memoryStorage(), rateLimiter: null, runtimeRateLimiter: null });
      courseId = await uploadFixture(app, key, 'e2e/scorm2004-single.zip');
    });
    afterAll(async () => {
      await db?.close();
      await b.dispose();
    });

    async function session(learnerId: string) {
      const service = attemptService(db, {
        statements: { store: lrsStore(db), baseUrl: '', onError: (e) => errors.push(e), sameTransaction },
      });
      const { ctx } = await service.start(DEFAULT_TENANT_ID, { courseId, learner: { id: learnerId } });
      const opened = await service.initialize(DEFAULT_TENANT_ID, ctx.attempt.id);
      const diffs: CommitDiff[] = [];
      const api = createScorm2004Api({ state: opened.state, onCommit: (d) => void diffs.push(d) });
      api.Initialize('');
      let n = 0;
      const next = (location: string): CommitDiff => {
        api.SetValue('cmi.location', location);
        api.SetValue('cmi.score.raw', String(++n));
        diffs.length = 0;
        api.Commit('');
        return diffs[0]!;
      };
      return { service, attemptId: ctx.attempt.id, item: opened.item.identifier, next, api };
    }

    const registered = async (attemptId: string) =>
      (
        await lrsStore(db).queryStatements(
          { tenantId: DEFAULT_TENANT_ID },
          { registration: attemptId, limit: 100 },
        )
      ).records;

    it('writes the statements of every accepted commit, concurrent commits of many learners included', async () => {
      const learners = await Promise.all(Array.from({ length: 6 }, (_, n) => session(`many-${n}`)));
      for (let round = 0; round < 3; round++) {
        const done = await Promise.all(
          learners.map((l) => l.service.commit(DEFAULT_TENANT_ID, l.attemptId, l.item, l.next(`p${round}`))),
        );
        for (const d of done) expect(d.ok).toBe(true);
      }
      for (const l of learners) {
        const records = await registered(l.attemptId);
        // initialized, then progressed and scored on every commit
        expect(records).toHaveLength(1 + 3 * 2);
        expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
      }
      expect(errors).toEqual([]);
    });

    it.skipIf(sameTransaction)(
      "holds the LRS clock's Consistent-Through before a commit's statements until they are written",
      async () => {
        const store = lrsStore(db);
        let hold = false;
        let writing = false;
        let release!: () => void;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        const holding: LrsStore = {
          ...store,
          async insertStatements(scope, statements, extras) {
            if (hold) {
              writing = true;
              await held;
            }
            return store.insertStatements(scope, statements, extras);
          },
        };
        const clock = storingClock(() => new Date());
        const service = attemptService(db, {
          statements: { store: holding, baseUrl: '', onError: (e) => errors.push(e), clock },
        });
        const { ctx } = await service.start(DEFAULT_TENANT_ID, { courseId, learner: { id: 'clocked' } });
        const opened = await service.initialize(DEFAULT_TENANT_ID, ctx.attempt.id);
        const diffs: CommitDiff[] = [];
        const api = createScorm2004Api({ state: opened.state, onCommit: (d) => void diffs.push(d) });
        api.Initialize('');
        api.SetValue('cmi.score.raw', '7');
        api.Commit('');
        hold = true;
        const committed = service.commit(
          DEFAULT_TENANT_ID,
          ctx.attempt.id,
          opened.item.identifier,
          diffs[0]!,
        );
        await vi.waitFor(() => expect(writing).toBe(true));
        await new Promise((resolve) => setTimeout(resolve, 5));
        const through = clock.consistentThrough().getTime();
        release();
        expect((await committed).ok).toBe(true);
        const latest = (await registered(ctx.attempt.id)).map((r) => Date.parse(r.stored));
        expect(through).toBeLessThan(Math.max(...latest));
        expect(clock.consistentThrough().getTime()).toBeGreaterThanOrEqual(Math.max(...latest));
      },
    );

    it('a commit whose statements cannot be stored is accepted, and the failure is reported', async () => {
      const l = await session('poisoned');
      expect((await l.service.commit(DEFAULT_TENANT_ID, l.attemptId, l.item, l.next('a'))).ok).toBe(true);
      const before = (await registered(l.attemptId)).length;
      // The next commit's first statement id, already stored with other content.
      const diff = l.next('bb');
      const stored = await db.repos.scoStates.get(DEFAULT_TENANT_ID, l.attemptId, l.item);
      const after = l.api.getState();
      const built = scormSessionStatements(
        {
          tenantId: DEFAULT_TENANT_ID,
          attemptId: l.attemptId,
          learner: { externalId: 'poisoned' },
          course: { id: courseId, version: 1 },
          item: { identifier: l.item },
          version: '2004',
        },
        { baseUrl: '' },
      )(stored!.state as CmiState, diff, after, new Date());
      const first = built.statements[0]!;
      const other = { ...(first.statement as unknown as Statement), result: { response: 'other' } };
      const inserted = await lrsStore(db).insertStatements({ tenantId: DEFAULT_TENANT_ID }, [
        { ...first, statement: other as unknown as JsonObject, index: indexStatement(other) },
      ]);
      expect(inserted.ok).toBe(true);
      const neighbour = await session('neighbour');
      const opening = neighbour.next('m');
      expect(
        (await neighbour.service.commit(DEFAULT_TENANT_ID, neighbour.attemptId, neighbour.item, opening)).ok,
      ).toBe(true);
      const neighbourBefore = (await registered(neighbour.attemptId)).length;
      errors.length = 0;

      // With another learner's commit at the same time: the stores write inserts that arrive
      // together as one, and one insert's conflict must stay its own.
      const [done, beside] = await Promise.all([
        l.service.commit(DEFAULT_TENANT_ID, l.attemptId, l.item, diff),
        neighbour.service.commit(DEFAULT_TENANT_ID, neighbour.attemptId, neighbour.item, neighbour.next('n')),
      ]);
      expect(done.ok).toBe(true);
      expect(beside.ok).toBe(true);
      expect((await registered(neighbour.attemptId)).length).toBe(neighbourBefore + 2);
      expect((await db.repos.scoStates.get(DEFAULT_TENANT_ID, l.attemptId, l.item))?.seq).toBe(diff.seq);
      expect(errors).toHaveLength(1);
      expect(String(errors[0])).toContain(first.id);
      // None of that commit's statements but the one stored before it.
      expect((await registered(l.attemptId)).length).toBe(before + 1);
      // The next commit's statements are written as usual.
      errors.length = 0;
      expect((await l.service.commit(DEFAULT_TENANT_ID, l.attemptId, l.item, l.next('ccc'))).ok).toBe(true);
      expect((await registered(l.attemptId)).length).toBe(before + 1 + 2);
      expect(errors).toEqual([]);
    });
  });
}
