import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewStatement } from '@scormflow/lrs';
import { testStatement } from '@scormflow/lrs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, lrsStore, migrate, openDatabase } from '../src/index.js';
import { oneScoAttempt } from './one-sco-attempt.js';
import { createTestDatabase, probeTestPostgres, type TestDatabase } from './postgres.js';

const ACTIVITY = 'http://example.com/activities/sco';

/** A statement of the test builder with an id unique to this run. */
function statement(n: number, verb?: string): NewStatement {
  return testStatement({
    id: n,
    activity: ACTIVITY,
    actor: `Agent|mbox:mailto:learner-${n >> 8}@example.com`,
    ...(verb ? { verb } : {}),
  });
}

function describeCommitStatements(name: string, open: () => Database): void {
  describe(`scoStates.commit with xapi statements: ${name}`, () => {
    let db: Database;
    let counter = 0;
    beforeAll(() => {
      db = open();
    });

    const attempt = () => oneScoAttempt(db, `commit-statements-${++counter}`);

    const commitInput = (
      seq: number,
      xapi?: Parameters<Database['repos']['scoStates']['commit']>[4]['xapi'],
    ) => ({
      state: { seq },
      diff: { seq },
      ...(xapi ? { xapi } : {}),
    });

    it('writes the statements of an accepted commit and merges their activity definitions', async () => {
      const { tenantId, attemptId } = await attempt();
      const store = lrsStore(db);
      await store.putActivities({ tenantId }, [{ id: ACTIVITY, definition: { name: { 'fr-FR': 'SCO' } } }]);
      const statements = [statement(1), statement(2)];
      const result = await db.repos.scoStates.commit(
        tenantId,
        attemptId,
        'I1',
        1,
        commitInput(1, {
          statements,
          activities: [{ id: ACTIVITY, definition: { name: { 'en-US': 'SCO' }, type: 'http://x.com/t' } }],
        }),
      );
      expect(result).toMatchObject({ ok: true, statementsWritten: 2 });
      expect(result.ok && result.statementsError).toBeUndefined();
      const stored = await store.getStatements({ tenantId }, [statements[0]!.id, statements[1]!.id]);
      expect(stored.map((r) => r.id).sort()).toEqual([statements[0]!.id, statements[1]!.id].sort());
      expect(await store.getActivity({ tenantId }, ACTIVITY)).toEqual({
        name: { 'fr-FR': 'SCO', 'en-US': 'SCO' },
        type: 'http://x.com/t',
      });
      // The key ids the commit made serve later inserts and queries of the tenant.
      expect(await store.insertStatements({ tenantId }, [statement(3)])).toEqual({ ok: true });
      const page = await store.queryStatements(
        { tenantId },
        { activity: ACTIVITY, limit: 10, ascending: true },
      );
      expect(page.records.map((r) => r.id)).toEqual([statement(1).id, statement(2).id, statement(3).id]);
    });

    it('a commit that is not accepted writes no statement', async () => {
      const { tenantId, attemptId } = await attempt();
      const result = await db.repos.scoStates.commit(
        tenantId,
        attemptId,
        'I1',
        2,
        commitInput(2, { statements: [statement(10)] }),
      );
      expect(result).toEqual({ ok: false, error: 'SEQ_CONFLICT', currentSeq: 0 });
      expect(await lrsStore(db).getStatements({ tenantId }, [statement(10).id])).toEqual([]);
    });

    it('skips statements that exist already with equivalent content, and writes the others', async () => {
      const { tenantId, attemptId } = await attempt();
      const store = lrsStore(db);
      expect(await store.insertStatements({ tenantId }, [statement(20)])).toEqual({ ok: true });
      const result = await db.repos.scoStates.commit(
        tenantId,
        attemptId,
        'I1',
        1,
        commitInput(1, { statements: [statement(20), statement(21)] }),
      );
      expect(result).toMatchObject({ ok: true, statementsWritten: 1 });
      expect((await store.getStatements({ tenantId }, [statement(21).id])).map((r) => r.id)).toEqual([
        statement(21).id,
      ]);
    });

    it('an id stored with a different statement is a conflict: the commit stands, no statement is written', async () => {
      const { tenantId, attemptId } = await attempt();
      const store = lrsStore(db);
      expect(await store.insertStatements({ tenantId }, [statement(30, 'http://x.com/other')])).toEqual({
        ok: true,
      });
      const result = await db.repos.scoStates.commit(
        tenantId,
        attemptId,
        'I1',
        1,
        commitInput(1, {
          statements: [statement(31), statement(30)],
          activities: [{ id: ACTIVITY, definition: { type: 'http://x.com/t' } }],
        }),
      );
      expect(result).toMatchObject({
        ok: true,
        statementsWritten: 0,
        statementsError: { reason: 'conflict', ids: [statement(30).id] },
      });
      expect(await db.repos.scoStates.get(tenantId, attemptId, 'I1')).toMatchObject({ seq: 1 });
      expect(await store.getStatements({ tenantId }, [statement(31).id])).toEqual([]);
      expect(await store.getActivity({ tenantId }, ACTIVITY)).toBeNull();
    });

    it('a statement the store refuses never undoes the commit', async () => {
      const { tenantId, attemptId } = await attempt();
      const bad = statement(40);
      // An unparsable `stored`: the store throws once it has made the batch's key rows, which
      // the statements' savepoint takes back with everything else.
      const refused: NewStatement = { ...bad, stored: 'not an instant' };
      const result = await db.repos.scoStates.commit(
        tenantId,
        attemptId,
        'I1',
        1,
        commitInput(1, {
          statements: [statement(41), refused],
          activities: [{ id: ACTIVITY, definition: { type: 'http://x.com/t' } }],
        }),
      );
      expect(result).toMatchObject({ ok: true, statementsWritten: 0, statementsError: { reason: 'failed' } });
      expect(await db.repos.scoStates.get(tenantId, attemptId, 'I1')).toMatchObject({ seq: 1 });
      expect(await db.repos.commitLog.listByAttempt(tenantId, attemptId)).toHaveLength(1);
      const store = lrsStore(db);
      expect(await store.getStatements({ tenantId }, [statement(41).id])).toEqual([]);
      expect(await store.getActivity({ tenantId }, ACTIVITY)).toBeNull();
      // Nothing learned in the rolled-back savepoint is used afterwards.
      expect(await store.insertStatements({ tenantId }, [statement(42)])).toEqual({ ok: true });
      const page = await store.queryStatements({ tenantId }, { verb: statement(42).index.verb, limit: 10 });
      expect(page.records.map((r) => r.id)).toEqual([statement(42).id]);
    });

    it('a statement key with U+0000 is reported and the commit stands', async () => {
      const { tenantId, attemptId } = await attempt();
      const bad = statement(45);
      const withNul: NewStatement = { ...bad, index: { ...bad.index, verb: 'http://x.com/\u0000' } };
      const result = await db.repos.scoStates.commit(
        tenantId,
        attemptId,
        'I1',
        1,
        commitInput(1, { statements: [withNul] }),
      );
      expect(result).toMatchObject({
        ok: true,
        statementsWritten: 0,
        statementsError: { reason: 'failed', error: { code: 'DB_INVALID_INPUT' } },
      });
      expect(await db.repos.scoStates.get(tenantId, attemptId, 'I1')).toMatchObject({ seq: 1 });
    });

    it('without xapi the result is as before', async () => {
      const { tenantId, attemptId } = await attempt();
      const result = await db.repos.scoStates.commit(tenantId, attemptId, 'I1', 1, commitInput(1));
      expect(result.ok).toBe(true);
      expect(result).not.toHaveProperty('statementsWritten');
      expect(result).not.toHaveProperty('statementsError');
    });

    it('commits of one turn each write their own statements', async () => {
      const made = await Promise.all([attempt(), attempt(), attempt()]);
      const results = await Promise.all(
        made.map(({ tenantId, attemptId }, k) =>
          db.repos.scoStates.commit(
            tenantId,
            attemptId,
            'I1',
            1,
            commitInput(1, {
              statements: [statement(50 + k)],
              activities: [{ id: ACTIVITY, definition: { name: { [`x-${k}`]: String(k) } } }],
            }),
          ),
        ),
      );
      expect(results.map((r) => r.ok && r.statementsWritten)).toEqual([1, 1, 1]);
      for (const [k, { tenantId }] of made.entries()) {
        const store = lrsStore(db);
        expect((await store.getStatements({ tenantId }, [statement(50 + k).id])).length).toBe(1);
        expect(await store.getActivity({ tenantId }, ACTIVITY)).toEqual({ name: { [`x-${k}`]: String(k) } });
      }
    });
  });
}

let dir: string;
let sqlite: Database;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scormflow-commit-statements-'));
  sqlite = openDatabase(`file:${join(dir, 'db.sqlite')}`);
  await migrate(sqlite);
});
afterAll(async () => {
  await sqlite?.close();
  rmSync(dir, { recursive: true, force: true });
});
describeCommitStatements('SQLite (file, WAL)', () => sqlite);

const pg = await probeTestPostgres();
if (!('skip' in pg)) {
  let target: TestDatabase;
  let postgresDb: Database;
  beforeAll(async () => {
    target = await createTestDatabase(pg.adminUrl, 'commit_statements');
    postgresDb = openDatabase(target.url, { maxConnections: 4 });
    await migrate(postgresDb);
  });
  afterAll(async () => {
    await postgresDb?.close();
    for (let attempt = 1; ; attempt++) {
      try {
        await target?.drop();
        return;
      } catch (error) {
        if (attempt === 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
  });
  describeCommitStatements('Postgres', () => postgresDb);
}
