import { createInitialState } from '@scormflow/cmi';
import { describe, expect, it } from 'vitest';
import {
  decodeHandoff,
  encodeHandoff,
  type FrameHandoff,
  isCommitDiff,
  mergeDiffs,
  readFrameMessage,
} from './handoff.js';

const handoff: FrameHandoff = {
  v: 1,
  version: '2004',
  item: 'sco-1',
  state: createInitialState('2004', { learnerId: 'u-1' }),
  origin: 'https://player.example',
  autocommitSeconds: 10,
  key: '0123456789abcdef',
};

describe('handoff', () => {
  it('round-trips through a window name', () => {
    const name = encodeHandoff(handoff);
    expect(name.startsWith('scormflow:')).toBe(true);
    expect(decodeHandoff(name)).toEqual(handoff);
  });

  it('reads nothing from names that are not a well-formed handoff', () => {
    const bad: unknown[] = [
      '',
      'sco-frame',
      'scormflow:',
      'scormflow:{',
      'scormflow:null',
      `scormflow:${JSON.stringify({ ...handoff, v: 2 })}`,
      `scormflow:${JSON.stringify({ ...handoff, version: '1.3' })}`,
      `scormflow:${JSON.stringify({ ...handoff, key: 7 })}`,
      `scormflow:${JSON.stringify({ ...handoff, state: { ...handoff.state, version: '1.2' } })}`,
      42,
      null,
    ];
    for (const name of bad) expect(decodeHandoff(name)).toBeNull();
  });
});

describe('messages', () => {
  it('accepts only diffs shaped like a CommitDiff', () => {
    expect(isCommitDiff({ seq: 2, ops: [['cmi.location', 'a']], terminated: false })).toBe(true);
    expect(isCommitDiff({ seq: 2, ops: [], terminated: true, sessionTime: 'PT1S' })).toBe(true);
    expect(isCommitDiff({ seq: 2.5, ops: [], terminated: false })).toBe(false);
    expect(isCommitDiff({ seq: 2, ops: [['cmi.location', 1]], terminated: false })).toBe(false);
    expect(isCommitDiff({ seq: 2, ops: [['a', 'b', 'c']], terminated: false })).toBe(false);
    expect(isCommitDiff({ seq: 2, ops: [], terminated: 'yes' })).toBe(false);
    expect(isCommitDiff({ seq: 2, ops: [], terminated: false, sessionTime: 5 })).toBe(false);
  });

  it('reads ready, closing and diff messages that carry a key and a page, and nothing else', () => {
    const diff = { seq: 3, ops: [], terminated: false };
    const base = { scormflow: 1, item: 'a', key: 'k' };
    expect(readFrameMessage({ ...base, type: 'ready' })).not.toBeNull();
    expect(readFrameMessage({ ...base, type: 'closing' })).not.toBeNull();
    expect(readFrameMessage({ ...base, type: 'diff', page: 'p', n: 1, diff })).not.toBeNull();
    expect(readFrameMessage({ ...base, type: 'diff', diff })).toBeNull();
    expect(readFrameMessage({ ...base, type: 'diff', n: 1.5, diff })).toBeNull();
    expect(readFrameMessage({ ...base, key: undefined, type: 'diff', n: 1, diff })).toBeNull();
    expect(readFrameMessage({ ...base, type: 'diff', n: 1, diff: {} })).toBeNull();
    expect(readFrameMessage({ ...base, type: 'other' })).toBeNull();
    expect(readFrameMessage('scormflow:{}')).toBeNull();
    expect(readFrameMessage(null)).toBeNull();
  });

  it('merges consecutive diffs: ops in order, the first seq, the last end and session time', () => {
    const a = { seq: 4, ops: [['x', '1']] as [string, string][], terminated: false, sessionTime: 'PT1S' };
    const b = { seq: 5, ops: [['y', '2']] as [string, string][], terminated: true };
    expect(mergeDiffs(a, b)).toEqual({
      seq: 4,
      ops: [
        ['x', '1'],
        ['y', '2'],
      ],
      terminated: true,
      sessionTime: 'PT1S',
    });
  });
});
