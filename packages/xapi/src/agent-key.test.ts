import { describe, expect, it } from 'vitest';
import { agentKey } from './agent-key.js';

describe('agentKey', () => {
  it('keys each inverse functional identifier with the object type', () => {
    expect(agentKey({ mbox: 'mailto:A@example.com' })).toBe('Agent|mbox:mailto:A@example.com');
    expect(agentKey({ objectType: 'Agent', mbox_sha1sum: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' })).toBe(
      'Agent|mbox_sha1sum:abcdef0123456789abcdef0123456789abcdef01',
    );
    expect(agentKey({ openid: 'http://openid.example.org/1' })).toBe(
      'Agent|openid:http://openid.example.org/1',
    );
    expect(agentKey({ objectType: 'Group', account: { homePage: 'http://example.com', name: 'team' } })).toBe(
      'Group|account:http://example.com|team',
    );
  });
  it('is null for an anonymous group', () => {
    expect(agentKey({ objectType: 'Group', member: [{ mbox: 'mailto:a@example.com' }] })).toBeNull();
  });
});
