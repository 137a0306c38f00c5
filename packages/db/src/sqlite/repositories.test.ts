import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { oneScoAttempt } from '../../test/one-sco-attempt.js';
import { migrate } from '../migrate.js';
import { type Database, openDatabase } from '../open-database.js';
import type { AttemptSummaryPatch } from '../repositories.js';

const dirs: string[] = [];
const opened: Database[] = [];

async function freshDatabase(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), 'scormflow-sqlite-prepared-'));
  dirs.push(dir);
  const db = openDatabase(`file:${join(dir, 'db.sqlite')}`);
  opened.push(db);
  await migrate(db);
  return db;
}

const attemptIn = oneScoAttempt;

afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SQLite commit through prepared statements', () => {
  it('writes each summary shape like updateSummary does, including nulls and dates', async () => {
    const db = await freshDatabase();
    const viaCommit = await attemptIn(db, 'commit');
    const viaUpdate = await attemptIn(db, 'update');
    const patches: AttemptSummaryPatch[] = [
      { status: 'completed', finishedAt: new Date(Date.UTC(2031, 1, 2, 3, 4, 5, 6)), scoreScaled: 0.75 },
      { scoreScaled: null, scoreRaw: 12.5, completionStatus: 'completed' },
      { finishedAt: null, currentItem: null, successStatus: null, totalTimeCs: 4200 },
      {},
      { status: 'suspended', currentItem: 'I1' },
    ];
    let seq = 0;
    for (const patch of patches) {
      seq++;
      const done = await db.repos.scoStates.commit(viaCommit.tenantId, viaCommit.attemptId, 'I1', seq, {
        state: { n: seq },
        diff: { n: seq },
        summary: patch,
      });
      expect(done.ok).toBe(true);
      await db.repos.attempts.updateSummary(viaUpdate.tenantId, viaUpdate.attemptId, patch);
      const committed = await db.repos.attempts.get(viaCommit.tenantId, viaCommit.attemptId);
      const updated = await db.repos.attempts.get(viaUpdate.tenantId, viaUpdate.attemptId);
      const summary = ({
        id,
        tenantId,
        courseId,
        learnerId,
        createdAt,
        updatedAt,
        ...rest
      }: object & {
        id: unknown;
        tenantId: unknown;
        courseId: unknown;
        learnerId: unknown;
        createdAt: unknown;
        updatedAt: unknown;
      }) => rest;
      expect(committed && summary(committed)).toEqual(updated && summary(updated));
    }
    const final = await db.repos.attempts.get(viaCommit.tenantId, viaCommit.attemptId);
    expect(final).toMatchObject({
      status: 'suspended',
      currentItem: 'I1',
      finishedAt: null,
      scoreScaled: null,
      scoreRaw: 12.5,
      totalTimeCs: 4200,
    });
  });

  it('stores null interaction and objective fields as SQL NULL, and upserts the last row per key', async () => {
    const db = await freshDatabase();
    const { tenantId, attemptId } = await attemptIn(db, 'nulls');
    const nullInteraction = {
      idx: 0,
      interactionId: 'q0',
      type: null,
      description: null,
      learnerResponse: null,
      result: null,
      latency: null,
      timestamp: null,
      weighting: null,
      correctResponses: [],
      objectiveIds: [],
    };
    const nullObjective = {
      objectiveId: 'o1',
      successStatus: null,
      completionStatus: null,
      scoreScaled: null,
      scoreRaw: null,
      scoreMin: null,
      scoreMax: null,
      progressMeasure: null,
      description: null,
    };
    const first = await db.repos.scoStates.commit(tenantId, attemptId, 'I1', 1, {
      state: { a: 1 },
      diff: { a: 1 },
      interactions: [{ ...nullInteraction, result: 'wrong' }, nullInteraction],
      objectives: [nullObjective],
    });
    expect(first.ok).toBe(true);
    expect(await db.repos.scoStates.interactions(tenantId, attemptId)).toMatchObject([nullInteraction]);
    expect(await db.repos.scoStates.objectives(tenantId, attemptId)).toMatchObject([nullObjective]);
    if (db.dialect !== 'sqlite') throw new Error('expected SQLite');
    const raw = db.drizzle.$client
      .prepare('select type, weighting, correct_responses from interaction where attempt_id = ?')
      .get(attemptId);
    expect(raw).toEqual({ type: null, weighting: null, correct_responses: '[]' });

    const second = await db.repos.scoStates.commit(tenantId, attemptId, 'I1', 2, {
      state: { a: 2 },
      diff: { a: 2 },
      interactions: [{ ...nullInteraction, weighting: 2, correctResponses: ['x'] }],
      objectives: [{ ...nullObjective, scoreRaw: 3 }],
    });
    expect(second.ok && second.value).toMatchObject({ seq: 2, state: { a: 2 } });
    expect(await db.repos.scoStates.interactions(tenantId, attemptId)).toMatchObject([
      { idx: 0, weighting: 2, correctResponses: ['x'], type: null },
    ]);
    expect(await db.repos.scoStates.objectives(tenantId, attemptId)).toMatchObject([
      { objectiveId: 'o1', scoreRaw: 3, scoreMin: null },
    ]);
  });

  it('prepares per database: two databases in one process keep their own rows', async () => {
    const one = await freshDatabase();
    const two = await freshDatabase();
    const a = await attemptIn(one, 'one');
    const b = await attemptIn(two, 'two');
    for (const [db, { tenantId, attemptId }] of [
      [one, a],
      [two, b],
    ] as const) {
      const done = await db.repos.scoStates.commit(tenantId, attemptId, 'I1', 1, {
        state: { db: tenantId },
        diff: {},
      });
      expect(done.ok).toBe(true);
    }
    expect(await one.repos.attempts.get(b.tenantId, b.attemptId)).toBeNull();
    expect(await two.repos.scoStates.get(a.tenantId, a.attemptId, 'I1')).toBeNull();
    expect(await two.repos.scoStates.get(b.tenantId, b.attemptId, 'I1')).toMatchObject({
      state: { db: b.tenantId },
    });
    const stale = await one.repos.scoStates.commit(a.tenantId, a.attemptId, 'I1', 1, { state: {}, diff: {} });
    expect(stale).toEqual({ ok: false, error: 'SEQ_CONFLICT', currentSeq: 1 });
    const foreign = await one.repos.scoStates.commit(b.tenantId, a.attemptId, 'I1', 2, {
      state: {},
      diff: {},
    });
    expect(foreign).toEqual({ ok: false, error: 'ATTEMPT_NOT_FOUND' });
  });
});
