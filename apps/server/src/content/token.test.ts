import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { isServerError } from '../errors.js';
import { CONTENT_TOKEN_TTL_SECONDS, issueContentToken, verifyContentToken } from './token.js';

const SECRET = 'content-token-test-secret-0123456789abcdef';
const CLAIMS = { tenantId: 'tenant-a', courseId: 'course-1', version: 3, attemptId: 'attempt-7' };
const T0 = new Date('2026-01-01T00:00:00Z');

describe('content tokens', () => {
  it('round-trips the claims and is one URL path segment', async () => {
    const token = await issueContentToken(CLAIMS, SECRET, undefined, { now: T0 });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(token)).toBe(token);
    const result = await verifyContentToken(token, SECRET, { now: new Date(T0.getTime() + 1000) });
    expect(result).toEqual({
      ok: true,
      value: { ...CLAIMS, expiresAt: T0.getTime() / 1000 + CONTENT_TOKEN_TTL_SECONDS },
    });
  });

  it('accepts a Uint8Array secret with the same bytes as the string', async () => {
    const token = await issueContentToken(CLAIMS, new TextEncoder().encode(SECRET));
    expect((await verifyContentToken(token, SECRET)).ok).toBe(true);
  });

  it('expires after its lifetime, and not before', async () => {
    const token = await issueContentToken(CLAIMS, SECRET, 60, { now: T0 });
    const at = (seconds: number) =>
      verifyContentToken(token, SECRET, { now: new Date(T0.getTime() + seconds * 1000) });
    expect((await at(59)).ok).toBe(true);
    expect(await at(61)).toMatchObject({ ok: false, error: { code: 'expired' } });
  });

  it('reports a forged expired token as tampered, not expired', async () => {
    const token = await issueContentToken(CLAIMS, 'another-secret-of-enough-length-0123456789', 60, {
      now: T0,
    });
    const result = await verifyContentToken(token, SECRET, { now: new Date(T0.getTime() + 3600_000) });
    expect(result).toMatchObject({ ok: false, error: { code: 'tampered' } });
  });

  it('refuses a payload swapped under another signature', async () => {
    const mine = await issueContentToken(CLAIMS, SECRET);
    const other = await issueContentToken({ ...CLAIMS, tenantId: 'tenant-b' }, SECRET);
    const [header, , signature] = mine.split('.');
    const forged = `${header}.${other.split('.')[1]}.${signature}`;
    expect(await verifyContentToken(forged, SECRET)).toMatchObject({
      ok: false,
      error: { code: 'tampered' },
    });
    const flipped = `${mine.slice(0, -2)}${mine.at(-2) === 'A' ? 'B' : 'A'}${mine.at(-1)}`;
    expect(await verifyContentToken(flipped, SECRET)).toMatchObject({ ok: false });
  });

  it('never accepts a JWT signed with the raw secret (runtime tokens)', async () => {
    const runtimeLike = await new SignJWT({ tid: CLAIMS.tenantId, cid: CLAIMS.courseId, ver: CLAIMS.version })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience('scormflow:content')
      .setSubject(CLAIMS.attemptId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect(await verifyContentToken(runtimeLike, SECRET)).toMatchObject({
      ok: false,
      error: { code: 'tampered' },
    });
  });

  it('calls anything else malformed', async () => {
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', 'a.b.c', 'eyJ.eyJ.%41', `${'a'.repeat(5000)}.b.c`]) {
      expect(await verifyContentToken(token, SECRET), token).toMatchObject({
        ok: false,
        error: { code: 'malformed' },
      });
    }
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.x`;
    expect(await verifyContentToken(none, SECRET)).toMatchObject({ ok: false, error: { code: 'malformed' } });
  });

  it('throws SERVER_INVALID_ARGUMENT for bad claims, lifetimes and short secrets', async () => {
    const bad = [
      () => issueContentToken({ ...CLAIMS, tenantId: '../b' }, SECRET),
      () => issueContentToken({ ...CLAIMS, courseId: '' }, SECRET),
      () => issueContentToken({ ...CLAIMS, version: 0 }, SECRET),
      () => issueContentToken({ ...CLAIMS, version: 1.5 }, SECRET),
      () => issueContentToken({ ...CLAIMS, attemptId: '' }, SECRET),
      () => issueContentToken(CLAIMS, SECRET, 0),
      () => issueContentToken(CLAIMS, 'short'),
      () => verifyContentToken('a.b.c', new Uint8Array(8)),
    ];
    for (const call of bad) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(isServerError(error) && error.code).toBe('SERVER_INVALID_ARGUMENT');
    }
  });
});
