import { describe, expect, it } from 'vitest';
import { statementsEquivalent } from './equivalent.js';
import type { Statement } from './types.js';

const base = (): Statement => ({
  id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
  actor: {
    objectType: 'Group',
    member: [{ mbox: 'mailto:a@example.com' }, { mbox: 'mailto:b@example.com' }],
  },
  verb: { id: 'http://example.com/verbs/did', display: { en: 'did' } },
  object: { id: 'http://example.com/a', definition: { name: { en: 'A' } } },
  result: { duration: 'PT1.234S', score: { raw: 1 } },
  context: {
    registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
    contextActivities: { parent: { id: 'http://example.com/p' } },
  },
  timestamp: '2013-05-18T05:32:34.804Z',
});

describe('statementsEquivalent', () => {
  it('ignores what the LRS may assign or reorder', () => {
    const stored: Statement = {
      ...base(),
      actor: {
        objectType: 'Group',
        member: [{ objectType: 'Agent', mbox: 'mailto:b@example.com' }, { mbox: 'mailto:a@example.com' }],
      },
      verb: { id: 'http://example.com/verbs/did' },
      object: { objectType: 'Activity', id: 'http://example.com/a' },
      result: { score: { raw: 1 }, duration: 'PT1.23S' },
      context: {
        registration: 'EC531277-B57B-4C15-8D91-D292C5B2B8F7',
        contextActivities: { parent: [{ objectType: 'Activity', id: 'http://example.com/p' }] },
      },
      timestamp: '2013-05-18T07:32:34.804+02:00',
      stored: '2013-05-18T05:32:35.000Z',
      authority: { mbox: 'mailto:lrs@example.com' },
      version: '1.0.3',
    };
    expect(statementsEquivalent(base(), stored)).toBe(true);
    expect(statementsEquivalent(stored, base())).toBe(true);
  });

  it('compares mbox_sha1sum without case', () => {
    const a: Statement = { ...base(), actor: { mbox_sha1sum: 'EBD31E95054C018B10727CCFFD2EF2EC3A016EE9' } };
    const b: Statement = { ...base(), actor: { mbox_sha1sum: 'ebd31e95054c018b10727ccffd2ef2ec3a016ee9' } };
    expect(statementsEquivalent(a, b)).toBe(true);
  });

  it('ignores a timestamp only one side has', () => {
    const { timestamp, ...rest } = base();
    expect(timestamp).toBeDefined();
    expect(statementsEquivalent(rest as Statement, base())).toBe(true);
  });

  it('tells apart statements that differ in an immutable property', () => {
    const differs: Statement[] = [
      { ...base(), timestamp: '2013-05-18T05:32:35.804Z' },
      { ...base(), verb: { id: 'http://example.com/verbs/other' } },
      { ...base(), object: { id: 'http://example.com/b' } },
      { ...base(), actor: { mbox: 'mailto:a@example.com' } },
      { ...base(), result: { duration: 'PT1.3S', score: { raw: 1 } } },
      { ...base(), result: { duration: 'PT1.234S', score: { raw: 2 } } },
      { ...base(), context: { registration: 'a1c2a4e0-1b2c-4d3e-8f90-123456789abc' } },
    ];
    for (const d of differs) expect(statementsEquivalent(base(), d)).toBe(false);
  });
});
