import { describe, expect, it } from 'vitest';
import { validateAgent, validateStatement } from './validate.js';

const base = () => ({
  id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
  actor: { objectType: 'Agent', name: 'Project Tin Can API', mbox: 'mailto:user@example.com' },
  verb: { id: 'http://example.com/xapi/verbs#sent-a-statement', display: { 'en-US': 'sent' } },
  object: {
    id: 'http://example.com/xapi/activity/simplestatement',
    definition: { name: { 'en-US': 'simple statement' }, description: { 'en-US': 'A simple statement.' } },
  },
  timestamp: '2013-05-18T05:32:34.804Z',
});

/** Validates and returns [rule, path] pairs of every issue. */
function issues(value: unknown, options?: { substatement?: boolean }): [string, string][] {
  const r = validateStatement(value, options);
  return r.ok ? [] : r.errors.map((e) => [e.rule, e.path]);
}

describe('validateStatement', () => {
  it('accepts the Data document example statement', () => {
    expect(validateStatement(base())).toEqual({ ok: true, value: base() });
  });
  it('XAPI-00003 XAPI-00004 XAPI-00005 rejects a statement without actor, verb or object', () => {
    const { actor, verb, object, ...rest } = base();
    const r = validateStatement(rest);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.rule, e.path, e.requirement])).toEqual([
      ['MISSING_PROPERTY', 'actor', 'XAPI-00003'],
      ['MISSING_PROPERTY', 'verb', 'XAPI-00004'],
      ['MISSING_PROPERTY', 'object', 'XAPI-00005'],
    ]);
  });
  it('XAPI-00008 rejects a top-level key in the wrong case', () => {
    const { verb, ...rest } = base();
    expect(issues({ ...rest, veRb: verb })).toEqual([
      ['UNKNOWN_PROPERTY', 'veRb'],
      ['MISSING_PROPERTY', 'verb'],
    ]);
  });
  it('XAPI-00001 rejects null outside extensions and accepts null extension values', () => {
    expect(issues({ ...base(), actor: { ...base().actor, name: null } })).toEqual([
      ['NULL_VALUE', 'actor.name'],
    ]);
    expect(issues({ ...base(), result: { extensions: { 'http://example.com/null': null } } })).toEqual([]);
  });
  it('XAPI-00038 rejects an Agent with two inverse functional identifiers', () => {
    const actor = { ...base().actor, openid: 'http://openid.example.org/12345' };
    expect(issues({ ...base(), actor })).toEqual([['IFI_COUNT', 'actor']]);
  });
});

describe('validateAgent', () => {
  it('accepts an Agent and rejects an anonymous Group', () => {
    expect(validateAgent({ mbox: 'mailto:a@example.com' }).ok).toBe(true);
    const r = validateAgent({ objectType: 'Group', member: [{ mbox: 'mailto:a@example.com' }] });
    expect(r.ok ? [] : r.errors.map((e) => [e.rule, e.path])).toEqual([['IFI_COUNT', 'agent']]);
  });
});
