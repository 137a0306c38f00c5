import type { Agent, Group, InverseFunctionalIdentifier } from './types.js';

/**
 * The canonical key of an Agent or identified Group: its object type and its one inverse
 * functional identifier, e.g. `Agent|mbox:mailto:a@example.com`, `Agent|mbox_sha1sum:<hex>`,
 * `Agent|openid:<uri>`, `Group|account:<homePage>|<name>`. Values are kept as stored (an mbox is
 * compared case-sensitively), except that a SHA-1 hex digest is lower-cased since it denotes the
 * same bytes in either case. `null` for an anonymous Group or a value without an identifier.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#2423-inverse-functional-identifier
 */
export function agentKey(value: Agent | Group): string | null {
  // An anonymous Group's type has no identifier properties; read them uniformly.
  const agent = value as InverseFunctionalIdentifier;
  const type = value.objectType === 'Group' ? 'Group' : 'Agent';
  if (typeof agent.mbox === 'string') return `${type}|mbox:${agent.mbox}`;
  if (typeof agent.mbox_sha1sum === 'string')
    return `${type}|mbox_sha1sum:${agent.mbox_sha1sum.toLowerCase()}`;
  if (typeof agent.openid === 'string') return `${type}|openid:${agent.openid}`;
  const account = agent.account;
  if (
    account !== undefined &&
    account !== null &&
    typeof account.homePage === 'string' &&
    typeof account.name === 'string'
  ) {
    return `${type}|account:${account.homePage}|${account.name}`;
  }
  return null;
}
