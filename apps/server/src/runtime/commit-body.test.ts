import { describe, expect, it } from 'vitest';
import { CommitRuntimeSchema } from '../routes/runtime.js';
import { checkCommitBody } from './commit-body.js';

const ops = [
  ['cmi.location', 'p-1'],
  ['cmi.suspend_data', 'x'.repeat(2048)],
  ['cmi.interactions.0.id', 'q1'],
];

/** Bodies the zod schema accepts: `checkCommitBody` must give zod's output (or leave them to zod). */
const VALID: unknown[] = [
  {},
  { item: 'sco-1' },
  { item: 'x'.repeat(255) },
  { item: 'é'.repeat(255) },
  { diff: { seq: 1, ops: [], terminated: false } },
  { item: 'sco-1', diff: { seq: 2, ops, terminated: false, sessionTime: 'PT5S' } },
  { diff: { seq: 3, ops, terminated: true } },
  { diff: { seq: 2 ** 53 - 1, ops: [['', '']], terminated: false } },
  { diff: { seq: 4, ops, terminated: false, extra: 1, initialize: true } },
  { diff: { sessionTime: '', terminated: false, ops: [], seq: 7 } },
  { diff: JSON.parse('{"seq": 2, "ops": [], "terminated": false, "__proto__": {"x": 1}}') },
];

/** Bodies the zod schema refuses: `checkCommitBody` must leave every one of them to zod. */
const INVALID: unknown[] = [
  null,
  [],
  'x',
  5,
  true,
  { extra: 1 },
  { item: '' },
  { item: 'x'.repeat(256) },
  { item: 5 },
  { item: null },
  { item: ['a'] },
  { diff: null },
  { diff: [] },
  { diff: 'x' },
  { diff: {} },
  { diff: { seq: 0, ops: [], terminated: false } },
  { diff: { seq: -1, ops: [], terminated: false } },
  { diff: { seq: 1.5, ops: [], terminated: false } },
  { diff: { seq: 2 ** 53, ops: [], terminated: false } },
  { diff: { seq: 1e300, ops: [], terminated: false } },
  { diff: { seq: '2', ops: [], terminated: false } },
  { diff: { seq: 2, ops: {}, terminated: false } },
  { diff: { seq: 2, ops: [['a']], terminated: false } },
  { diff: { seq: 2, ops: [['a', 'b', 'c']], terminated: false } },
  { diff: { seq: 2, ops: [['a', 1]], terminated: false } },
  { diff: { seq: 2, ops: [[null, 'b']], terminated: false } },
  { diff: { seq: 2, ops: ['ab'], terminated: false } },
  { diff: { seq: 2, ops: [{ 0: 'a', 1: 'b' }], terminated: false } },
  { diff: { seq: 2, ops: [], terminated: 'false' } },
  { diff: { seq: 2, ops: [], terminated: null } },
  { diff: { seq: 2, ops: [] } },
  { diff: { seq: 2, ops: [], terminated: false, sessionTime: 5 } },
  { diff: { seq: 2, ops: [], terminated: false, sessionTime: null } },
  { diff: { seq: 2, ops: [], terminated: false }, more: true },
  JSON.parse('{"__proto__": {"item": "x"}}'),
];

describe('checkCommitBody', () => {
  it('gives exactly what the zod schema outputs for every body the schema accepts', () => {
    for (const body of VALID) {
      const zod = CommitRuntimeSchema.safeParse(body);
      expect(zod.success, JSON.stringify(body)).toBe(true);
      const fast = checkCommitBody(body);
      expect(fast, JSON.stringify(body)).not.toBeNull();
      expect(fast).toStrictEqual(zod.data);
    }
  });

  it('leaves every body the zod schema refuses to the schema', () => {
    for (const body of INVALID) {
      expect(CommitRuntimeSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
      expect(checkCommitBody(body), JSON.stringify(body)).toBeNull();
    }
  });

  it('copies the ops, so that the caller never holds the parsed body', () => {
    const body = { diff: { seq: 2, ops: [['a', 'b']], terminated: false } };
    const checked = checkCommitBody(body);
    expect(checked?.diff?.ops).toEqual([['a', 'b']]);
    expect(checked?.diff?.ops).not.toBe(body.diff.ops);
  });
});
