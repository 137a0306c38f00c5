import { createInitialState } from '@scormflow/cmi';
import { describe, expect, it } from 'vitest';
import { issueContentToken } from '../src/content/token.js';
import { issueRuntimeToken, verifyRuntimeToken } from '../src/runtime/runtime-token.js';
import { attemptProgress, scoProgress } from '../src/runtime/sco-summary.js';

const SECRET = 'unit-secret-0123456789abcdef-0123456789abcdef';
const claims = { tenantId: 't1', attemptId: 'a1', learnerId: 'l1' };

describe('runtime tokens', () => {
  it('round-trips its claims and expires after its lifetime', async () => {
    const now = new Date('2026-01-01T10:00:00Z');
    const { token, expiresAt } = await issueRuntimeToken(claims, SECRET, 900, { now });
    expect(expiresAt.toISOString()).toBe('2026-01-01T10:15:00.000Z');
    const ok = await verifyRuntimeToken(token, SECRET, { now: new Date('2026-01-01T10:14:00Z') });
    expect(ok).toEqual({ ok: true, value: { ...claims, expiresAt: expiresAt.getTime() / 1000 } });
    const late = await verifyRuntimeToken(token, SECRET, { now: new Date('2026-01-01T10:16:00Z') });
    expect(late).toMatchObject({ ok: false, error: { code: 'expired' } });
  });

  it('refuses another secret, an edited payload, a content token and garbage', async () => {
    const { token } = await issueRuntimeToken(claims, SECRET);
    expect(await verifyRuntimeToken(token, `${SECRET}x`)).toMatchObject({
      ok: false,
      error: { code: 'tampered' },
    });
    const [h, , sig] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ tid: 't1', lrn: 'l1', sub: 'a2', aud: 'scormflow:runtime', exp: 4e9 }),
    ).toString('base64url');
    expect(await verifyRuntimeToken(`${h}.${payload}.${sig}`, SECRET)).toMatchObject({
      ok: false,
      error: { code: 'tampered' },
    });
    const content = await issueContentToken(
      { tenantId: 't1', courseId: 'c1', version: 1, attemptId: 'a1' },
      SECRET,
    );
    expect((await verifyRuntimeToken(content, SECRET)).ok).toBe(false);
    expect(await verifyRuntimeToken('not-a-token', SECRET)).toMatchObject({
      ok: false,
      error: { code: 'malformed' },
    });
  });
});

describe('progress', () => {
  it('reads SCORM 1.2 lesson_status as completion and success, and scales the raw score', () => {
    const base = createInitialState('1.2', {});
    const at = (values: Record<string, string>) =>
      scoProgress({ ...base, values: { ...base.values, ...values } });
    expect(at({})).toMatchObject({
      completionStatus: 'not attempted',
      successStatus: 'unknown',
      scoreScaled: null,
    });
    expect(at({ 'cmi.core.lesson_status': 'failed', 'cmi.core.score.raw': '40' })).toMatchObject({
      completionStatus: 'completed',
      successStatus: 'failed',
      scoreScaled: 0.4,
      scoreRaw: 40,
    });
    expect(
      at({
        'cmi.core.lesson_status': 'browsed',
        'cmi.core.score.raw': '15',
        'cmi.core.score.max': '20',
        'cmi.core.score.min': '10',
      }),
    ).toMatchObject({ completionStatus: 'incomplete', scoreScaled: 0.5 });
    expect(at({ 'cmi.core.exit': 'suspend', 'cmi.core.total_time': '0001:00:00.50' })).toMatchObject({
      suspended: true,
      totalTimeCs: 360050,
    });
  });

  it('applies the SCORM 2004 evaluation rules', () => {
    const s = createInitialState('2004', { completionThreshold: 0.7, scaledPassingScore: 0.8 });
    const p = scoProgress({
      ...s,
      values: {
        ...s.values,
        'cmi.progress_measure': '0.75',
        'cmi.score.scaled': '0.6',
        'cmi.completion_status': 'incomplete',
      },
    });
    expect(p).toMatchObject({ completionStatus: 'completed', successStatus: 'failed', scoreScaled: 0.6 });
  });

  it('sums the SCOs into the attempt: completed only when all are, failed when any failed', () => {
    const sco = (
      completionStatus: 'completed' | 'incomplete',
      successStatus: 'passed' | 'failed' | 'unknown',
      scaled: number | null,
      cs: number,
    ) => ({
      completionStatus,
      successStatus,
      scoreScaled: scaled,
      scoreRaw: null,
      totalTimeCs: cs,
      exit: '',
      suspended: false,
    });
    expect(attemptProgress([sco('completed', 'passed', 1, 100), null])).toMatchObject({
      completionStatus: 'incomplete',
      successStatus: 'unknown',
      allCompleted: false,
      totalTimeCs: 100,
    });
    expect(
      attemptProgress([sco('completed', 'unknown', null, 100), sco('completed', 'passed', 0.5, 50)]),
    ).toMatchObject({
      completionStatus: 'completed',
      successStatus: 'passed',
      scoreScaled: 0.5,
      totalTimeCs: 150,
      allCompleted: true,
    });
    expect(
      attemptProgress([sco('incomplete', 'failed', 0.2, 0), sco('completed', 'passed', 0.8, 0)]),
    ).toMatchObject({
      successStatus: 'failed',
      scoreScaled: 0.5,
    });
    expect(attemptProgress([null, null])).toMatchObject({
      completionStatus: 'not attempted',
      scoreScaled: null,
    });
  });
});
