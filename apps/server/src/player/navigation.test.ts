import { type CmiState, createInitialState } from '@scormflow/cmi';
import { describe, expect, it } from 'vitest';
import { itemStatus } from './navigation.js';

function withValues(version: '1.2' | '2004', values: Record<string, string>, launch = {}): CmiState {
  const state = createInitialState(version, launch);
  return { ...state, values: { ...state.values, ...values } };
}

describe('itemStatus', () => {
  it('is "not attempted" before the first session', () => {
    expect(itemStatus(null)).toEqual({
      status: 'not attempted',
      completionStatus: 'not attempted',
      successStatus: 'unknown',
      score: { scaled: null, raw: null },
    });
  });

  it('shows the SCORM 1.2 lesson status itself, browsed included', () => {
    for (const s of ['incomplete', 'completed', 'passed', 'failed', 'browsed'] as const) {
      expect(itemStatus(withValues('1.2', { 'cmi.core.lesson_status': s })).status).toBe(s);
    }
    const failed = itemStatus(
      withValues('1.2', { 'cmi.core.lesson_status': 'failed', 'cmi.core.score.raw': '40' }),
    );
    expect(failed).toMatchObject({
      completionStatus: 'completed',
      successStatus: 'failed',
      score: { raw: 40 },
    });
  });

  it('lets a SCORM 2004 success status win over the completion status', () => {
    expect(
      itemStatus(withValues('2004', { 'cmi.completion_status': 'completed', 'cmi.success_status': 'passed' }))
        .status,
    ).toBe('passed');
    expect(itemStatus(withValues('2004', { 'cmi.completion_status': 'incomplete' })).status).toBe(
      'incomplete',
    );
    expect(itemStatus(withValues('2004', {})).status).toBe('unknown');
  });

  it('applies the completion threshold as the LMS evaluates it', () => {
    const state = withValues('2004', { 'cmi.progress_measure': '0.9' }, { completionThreshold: 0.8 });
    expect(itemStatus(state)).toMatchObject({ status: 'completed', completionStatus: 'completed' });
  });
});
