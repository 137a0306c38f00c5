import { describe, expect, it } from 'vitest';
import { createScorm12Api, createScorm2004Api } from './api.js';
import { applyCommit, type CommitDiff } from './commit.js';
import { type CmiState, createInitialState } from './state.js';

const launch = { learnerId: 'u1', scaledPassingScore: 0.6, objectives: ['obj-1'] };

function session(onCommit: (d: CommitDiff) => void) {
  const api = createScorm2004Api({ launch, onCommit: (d) => void onCommit(d) });
  api.Initialize('');
  return api;
}

describe('applyCommit', () => {
  it('replays a session on the server to the same state as the browser', () => {
    let server = createInitialState('2004', launch);
    const api = session((d) => {
      const r = applyCommit(server, d);
      if (!r.ok) throw new Error(r.error.message);
      server = r.value;
    });
    api.SetValue('cmi.location', 'p1');
    api.SetValue('cmi.objectives.0.success_status', 'passed');
    api.SetValue('cmi.interactions.0.id', 'q1');
    api.SetValue('cmi.interactions.0.type', 'true-false');
    api.SetValue('cmi.interactions.0.learner_response', 'true');
    api.Commit('');
    api.SetValue('cmi.score.scaled', '0.9');
    api.SetValue('cmi.session_time', 'PT3M');
    api.SetValue('cmi.exit', 'suspend');
    api.Terminate('');
    expect(server).toEqual(api.getState());
    expect(server.values['cmi.total_time']).toBe('PT0H3M0S');
    expect(server.values['cmi.success_status']).toBe('passed');
    expect(server.terminated).toBe(true);
    expect(JSON.parse(JSON.stringify(server))).toEqual(server);
  });

  it('round-trips SCORM 1.2 as well', () => {
    let server = createInitialState('1.2', { masteryScore: 50 });
    const api = createScorm12Api({
      launch: { masteryScore: 50 },
      onCommit: (d) => {
        const r = applyCommit(server, d);
        if (r.ok) server = r.value;
        return r.ok;
      },
    });
    api.LMSInitialize('');
    api.LMSSetValue('cmi.core.score.raw', '40');
    api.LMSSetValue('cmi.suspend_data', 'z'.repeat(5000));
    expect(api.LMSFinish('')).toBe('true');
    expect(server).toEqual(api.getState());
    expect(server.values['cmi.core.lesson_status']).toBe('failed');
    expect(server.diagnostics[0]?.code).toBe('SPM_EXCEEDED');
  });

  const base = createInitialState('2004', launch);
  const first: CommitDiff = { seq: 1, ops: [['cmi.location', 'a']], terminated: false };

  it('rejects a replayed, a stale and an out-of-order commit without side effects', () => {
    const r1 = applyCommit(base, first);
    expect(r1.ok).toBe(true);
    const s1 = (r1 as { ok: true; value: CmiState }).value;
    const snapshot = JSON.stringify(s1);
    const replay = applyCommit(s1, first);
    expect(replay).toMatchObject({ ok: false, error: { code: 'REPLAYED_COMMIT' } });
    const r2 = applyCommit(s1, { seq: 2, ops: [['cmi.location', 'b']], terminated: false });
    const s2 = (r2 as { ok: true; value: CmiState }).value;
    expect(applyCommit(s2, { seq: 1, ops: [], terminated: false })).toMatchObject({
      ok: false,
      error: { code: 'STALE_COMMIT' },
    });
    expect(applyCommit(s1, { seq: 5, ops: [], terminated: false })).toMatchObject({
      ok: false,
      error: { code: 'SEQUENCE_GAP' },
    });
    expect(JSON.stringify(s1)).toBe(snapshot);
    expect(s2.values['cmi.location']).toBe('b');
  });

  it('rejects an invalid value with its SCORM error and changes nothing', () => {
    const snapshot = JSON.stringify(base);
    const r = applyCommit(base, {
      seq: 1,
      ops: [
        ['cmi.location', 'fine'],
        ['cmi.score.scaled', '7'],
      ],
      terminated: false,
    });
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'INVALID_VALUE',
        op: 1,
        element: 'cmi.score.scaled',
        scormError: 407,
      }),
    });
    expect(
      applyCommit(base, { seq: 1, ops: [['cmi.learner_id', 'someone-else']], terminated: false }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_VALUE', scormError: 404 },
    });
    expect(
      applyCommit(base, { seq: 1, ops: [['cmi.interactions.0.type', 'choice']], terminated: false }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_VALUE', scormError: 408 },
    });
    expect(JSON.stringify(base)).toBe(snapshot);
  });

  it('rejects malformed diffs and commits after termination', () => {
    expect(applyCommit(base, { seq: 1, ops: [['a', 1]] } as unknown as CommitDiff)).toMatchObject({
      ok: false,
      error: { code: 'MALFORMED_DIFF' },
    });
    const ended = applyCommit(base, { seq: 1, ops: [], terminated: true });
    const s = (ended as { ok: true; value: CmiState }).value;
    expect(applyCommit(s, { seq: 2, ops: [], terminated: false })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_TERMINATED' },
    });
  });

  it('enforces strict mode on the server when the state says so', () => {
    const strict = createInitialState('2004', {}, { strict: true });
    expect(
      applyCommit(strict, { seq: 1, ops: [['cmi.location', 'x'.repeat(1001)]], terminated: false }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE', scormError: 351 } });
    const tolerant = applyCommit(createInitialState('2004'), {
      seq: 1,
      ops: [['cmi.location', 'x'.repeat(1001)]],
      terminated: false,
    });
    expect(tolerant.ok && tolerant.value.diagnostics).toEqual([
      { code: 'SPM_EXCEEDED', element: 'cmi.location', length: 1001, count: 1 },
    ]);
  });
});
