import type { Statement } from '@scormflow/xapi';
import { describe, expect, it } from 'vitest';
import { indexStatement } from './index-statement.js';

const base = {
  actor: { mbox: 'mailto:actor@example.com' },
  verb: { id: 'http://example.com/verbs/did' },
  object: { id: 'http://example.com/activities/a' },
};

const index = (value: Record<string, unknown>) =>
  indexStatement({ ...base, ...value } as unknown as Statement);

describe('indexStatement', () => {
  it('indexes the actor, the verb, the object activity and the registration (lower case)', () => {
    const ix = index({ context: { registration: 'AAAAAAAA-0000-4000-8000-000000000001' } });
    expect(ix).toEqual({
      verb: 'http://example.com/verbs/did',
      registration: 'aaaaaaaa-0000-4000-8000-000000000001',
      agents: ['Agent|mbox:mailto:actor@example.com'],
      relatedAgents: ['Agent|mbox:mailto:actor@example.com'],
      activities: ['http://example.com/activities/a'],
      relatedActivities: ['http://example.com/activities/a'],
      statementRef: null,
      voids: null,
    });
  });

  it('an Agent object and the members of Group actors count for the agent filter', () => {
    const ix = index({
      actor: {
        objectType: 'Group',
        mbox: 'mailto:team@example.com',
        member: [{ mbox: 'mailto:m@example.com' }],
      },
      object: { objectType: 'Agent', account: { homePage: 'http://example.com', name: 'x' } },
    });
    expect(ix.agents).toEqual([
      'Group|mbox:mailto:team@example.com',
      'Agent|mbox:mailto:m@example.com',
      'Agent|account:http://example.com|x',
    ]);
    expect(ix.activities).toEqual([]);
  });

  it('related agents and activities include authority, instructor, team, context activities and SubStatements', () => {
    const ix = index({
      authority: { mbox: 'mailto:authority@example.com' },
      context: {
        instructor: { mbox: 'mailto:teacher@example.com' },
        team: { objectType: 'Group', openid: 'http://example.com/team' },
        contextActivities: {
          parent: { id: 'http://example.com/p' },
          grouping: [{ id: 'http://example.com/g' }],
        },
      },
      object: {
        objectType: 'SubStatement',
        actor: { mbox_sha1sum: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' },
        verb: { id: 'http://example.com/verbs/sub' },
        object: { id: 'http://example.com/sub-activity' },
        context: { contextActivities: { other: [{ id: 'http://example.com/o' }] } },
      },
    });
    expect(ix.agents).toEqual(['Agent|mbox:mailto:actor@example.com']);
    expect([...ix.relatedAgents].sort()).toEqual(
      [
        'Agent|mbox:mailto:actor@example.com',
        'Agent|mbox:mailto:authority@example.com',
        'Agent|mbox:mailto:teacher@example.com',
        'Group|openid:http://example.com/team',
        'Agent|mbox_sha1sum:abcdef0123456789abcdef0123456789abcdef01',
      ].sort(),
    );
    expect(ix.activities).toEqual([]);
    expect([...ix.relatedActivities].sort()).toEqual(
      [
        'http://example.com/g',
        'http://example.com/o',
        'http://example.com/p',
        'http://example.com/sub-activity',
      ].sort(),
    );
  });

  it('a StatementRef object is indexed as statementRef, and as voids only with the voided verb', () => {
    const target = 'AAAAAAAA-0000-4000-8000-000000000001';
    const ref = index({ object: { objectType: 'StatementRef', id: target } });
    expect(ref.statementRef).toBe(target.toLowerCase());
    expect(ref.voids).toBeNull();
    const voiding = index({
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      object: { objectType: 'StatementRef', id: target },
    });
    expect(voiding.voids).toBe(target.toLowerCase());
  });
});
