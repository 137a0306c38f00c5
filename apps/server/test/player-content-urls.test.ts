import { describe, expect, it } from 'vitest';
import { CONTENT_TOKEN_TTL_SECONDS, verifyContentToken } from '../src/content/token.js';
import { CONTENT_TOKEN_PERIOD_SECONDS, contentUrlsFor } from '../src/player/content-urls.js';
import type { AttemptContext } from '../src/runtime/attempt-service.js';

const SECRET = 'a-content-token-secret-of-enough-length-0123';
const deps = { apiBaseUrl: 'https://lms.example', contentBaseUrl: '', jwtSecret: SECRET };
const ctx = {
  attempt: { tenantId: 'tenant-a', id: 'attempt-1' },
  course: { id: 'course-1', version: 2 },
} as unknown as Pick<AttemptContext, 'attempt' | 'course'>;
const at = (iso: string) => new Date(iso);

async function tokenAt(now: Date, c = ctx): Promise<string> {
  const { url } = await contentUrlsFor(deps, c, 'https://lms.example/play/attempt-1', now);
  return url('sco/index.html').split('/')[4]!;
}

describe('content URLs of an attempt', () => {
  it('stay the same within an hour, so the browser cache holds across reloads', async () => {
    const a = await tokenAt(at('2026-03-01T10:00:00Z'));
    expect(await tokenAt(at('2026-03-01T10:37:12Z'))).toBe(a);
    expect(await tokenAt(at('2026-03-01T10:59:59.999Z'))).toBe(a);
    expect(await tokenAt(at('2026-03-01T11:00:00Z'))).not.toBe(a);
    // another attempt of the same course never shares them
    const other = { ...ctx, attempt: { ...ctx.attempt, id: 'attempt-2' } } as typeof ctx;
    expect(await tokenAt(at('2026-03-01T10:37:12Z'), other)).not.toBe(a);
  });

  it('grant the same files as before, for no longer than before', async () => {
    expect(CONTENT_TOKEN_PERIOD_SECONDS).toBe(3600);
    const now = at('2026-03-01T10:45:00Z');
    const verified = await verifyContentToken(await tokenAt(now), SECRET, { now });
    expect(verified).toMatchObject({
      ok: true,
      value: { tenantId: 'tenant-a', courseId: 'course-1', version: 2, attemptId: 'attempt-1' },
    });
    const expiresAt = verified.ok ? verified.value.expiresAt : 0;
    expect(expiresAt).toBe(Date.parse('2026-03-01T10:00:00Z') / 1000 + CONTENT_TOKEN_TTL_SECONDS);
    expect(expiresAt).toBeLessThanOrEqual(now.getTime() / 1000 + CONTENT_TOKEN_TTL_SECONDS);
    expect(
      await verifyContentToken(await tokenAt(now), SECRET, { now: at('2026-03-01T18:00:01Z') }),
    ).toMatchObject({ ok: false, error: { code: 'expired' } });
  });
});
