import { describe, expect, it } from 'vitest';
import { issueRuntimeToken, verifyRuntimeToken } from './runtime-token.js';

const claims = { tenantId: 't1', attemptId: 'a1', learnerId: 'l1' };

describe('runtime token keys imported once per secret', () => {
  it('keeps each secret apart: a token verifies only with the secret it was issued with', async () => {
    const a = 'secret-a-0123456789abcdef-0123456789abcdef';
    const b = 'secret-b-0123456789abcdef-0123456789abcdef';
    const { token } = await issueRuntimeToken(claims, a);
    for (let i = 0; i < 3; i++) {
      expect((await verifyRuntimeToken(token, a)).ok).toBe(true);
      const other = await verifyRuntimeToken(token, b);
      expect(other.ok ? null : other.error.code).toBe('tampered');
    }
    const fromB = await issueRuntimeToken(claims, b);
    expect((await verifyRuntimeToken(fromB.token, b)).ok).toBe(true);
    expect((await verifyRuntimeToken(fromB.token, a)).ok).toBe(false);
  });

  it('treats a byte secret like the same string secret', async () => {
    const text = 'secret-c-0123456789abcdef-0123456789abcdef';
    const bytes = new TextEncoder().encode(text);
    const { token } = await issueRuntimeToken(claims, bytes);
    const verified = await verifyRuntimeToken(token, text);
    expect(verified.ok && verified.value).toMatchObject({ attemptId: 'a1', tenantId: 't1', learnerId: 'l1' });
    const other = new TextEncoder().encode('secret-d-0123456789abcdef-0123456789abcdef');
    expect((await verifyRuntimeToken(token, other)).ok).toBe(false);
  });

  it('still verifies after many different secrets have been used', async () => {
    const first = 'secret-first-0123456789abcdef-0123456789abcdef';
    const { token } = await issueRuntimeToken(claims, first);
    for (let i = 0; i < 40; i++)
      await issueRuntimeToken(claims, `secret-${i}-0123456789abcdef-0123456789abcdef`);
    expect((await verifyRuntimeToken(token, first)).ok).toBe(true);
  });

  it('checks the expiry of a token it has already verified on every use', async () => {
    const secret = 'secret-e-0123456789abcdef-0123456789abcdef';
    const now = new Date('2026-03-01T10:00:00Z');
    const { token } = await issueRuntimeToken(claims, secret, 60, { now });
    expect((await verifyRuntimeToken(token, secret, { now })).ok).toBe(true);
    expect((await verifyRuntimeToken(token, secret, { now: new Date('2026-03-01T10:00:59Z') })).ok).toBe(
      true,
    );
    const late = await verifyRuntimeToken(token, secret, { now: new Date('2026-03-01T10:01:00Z') });
    expect(late.ok ? null : late.error.code).toBe('expired');
  });

  it('refuses a changed copy of a token it has already verified', async () => {
    const secret = 'secret-f-0123456789abcdef-0123456789abcdef';
    const { token } = await issueRuntimeToken(claims, secret);
    expect((await verifyRuntimeToken(token, secret)).ok).toBe(true);
    const [h, p, sig] = token.split('.') as [string, string, string];
    const other = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'a2' }),
    ).toString('base64url');
    const forged = await verifyRuntimeToken(`${h}.${other}.${sig}`, secret);
    expect(forged.ok ? null : forged.error.code).toBe('tampered');
    const flipped = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BA' : 'AA'}`;
    expect((await verifyRuntimeToken(flipped, secret)).ok).toBe(false);
  });
});
