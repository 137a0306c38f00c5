import { describe, expect, it } from 'vitest';
import { normalizeStatement } from './normalize.js';
import type { Statement } from './types.js';

describe('normalizeStatement', () => {
  it('XAPI-00096 turns single context activities into arrays, in SubStatements too, without touching the input', () => {
    const s: Statement = {
      actor: { mbox: 'mailto:a@example.com' },
      verb: { id: 'http://example.com/v' },
      object: {
        objectType: 'SubStatement',
        actor: { mbox: 'mailto:a@example.com' },
        verb: { id: 'http://example.com/v' },
        object: { id: 'http://example.com/o' },
        context: { contextActivities: { grouping: { id: 'http://example.com/g' } } },
      },
      context: {
        registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
        contextActivities: {
          parent: { id: 'http://example.com/p' },
          other: [{ id: 'http://example.com/x' }],
        },
      },
    };
    const before = structuredClone(s);
    const n = normalizeStatement(s);
    expect(n.context).toEqual({
      registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
      contextActivities: {
        parent: [{ id: 'http://example.com/p' }],
        other: [{ id: 'http://example.com/x' }],
      },
    });
    expect(n.object).toMatchObject({
      context: { contextActivities: { grouping: [{ id: 'http://example.com/g' }] } },
    });
    expect(s).toEqual(before);
  });

  it('returns a statement without context activities unchanged', () => {
    const s: Statement = {
      actor: { mbox: 'mailto:a@example.com' },
      verb: { id: 'http://example.com/v' },
      object: { id: 'http://example.com/o' },
    };
    expect(normalizeStatement(s)).toBe(s);
  });
});
