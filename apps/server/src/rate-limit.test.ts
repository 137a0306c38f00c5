import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { isHttpProblem } from './errors.js';
import { memoryRateLimiter, perMinuteLimiter, type RateLimiter, rateLimitMiddleware } from './rate-limit.js';

describe('memoryRateLimiter', () => {
  it('allows a burst of `capacity`, then refills at the given rate', async () => {
    let now = 0;
    const limiter = memoryRateLimiter({ capacity: 3, refillPerSecond: 2, now: () => now });
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push((await limiter.take('t')).allowed);
    expect(taken).toEqual([true, true, true, false]);
    expect((await limiter.take('t')).retryAfterSeconds).toBe(1);
    now = 500; // one token back
    expect(await limiter.take('t')).toMatchObject({ allowed: true, remaining: 0 });
    expect((await limiter.take('t')).allowed).toBe(false);
    now = 60_000; // never above capacity
    expect((await limiter.take('t')).remaining).toBe(2);
  });

  it('keeps one bucket per key', async () => {
    const limiter = memoryRateLimiter({ capacity: 1, refillPerSecond: 1, now: () => 0 });
    expect((await limiter.take('a')).allowed).toBe(true);
    expect((await limiter.take('a')).allowed).toBe(false);
    expect((await limiter.take('b')).allowed).toBe(true);
  });

  it('forgets the least recently used keys beyond maxKeys', async () => {
    const limiter = memoryRateLimiter({ capacity: 1, refillPerSecond: 1, now: () => 0, maxKeys: 2 });
    await limiter.take('a');
    await limiter.take('b');
    await limiter.take('c'); // drops a
    expect((await limiter.take('a')).allowed).toBe(true);
    expect((await limiter.take('c')).allowed).toBe(false);
  });

  it('refuses nonsensical options', () => {
    expect(() => memoryRateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => memoryRateLimiter({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });
});

describe('perMinuteLimiter', () => {
  it('is off at 0 and otherwise a bucket of the burst', async () => {
    expect(perMinuteLimiter(0)).toBeNull();
    const limiter = perMinuteLimiter(60, 2)!;
    expect((await limiter.take('t')).limit).toBe(2);
    expect((await limiter.take('t')).allowed).toBe(true);
    const refused = await limiter.take('t');
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe('rateLimitMiddleware', () => {
  const appWith = (limiter: RateLimiter) => {
    const seen: string[] = [];
    const app = new Hono();
    app.onError((error) =>
      isHttpProblem(error)
        ? new Response(error.code, { status: error.status, headers: error.headers })
        : new Response('unexpected', { status: 500 }),
    );
    app.use(
      '/t/:tenant/*',
      rateLimitMiddleware(limiter, (c) => {
        const tenant = c.req.param('tenant') ?? '';
        seen.push(tenant);
        return tenant === 'anonymous' ? null : `k:${tenant}`;
      }),
    );
    // A route that builds its own Response, as the content route does.
    app.get('/t/:tenant/raw', () => new Response('raw'));
    app.get('/t/:tenant/json', (c) => c.json({ ok: true }));
    // Response.redirect answers with immutable headers.
    app.get('/t/:tenant/moved', () => Response.redirect('https://example.com/', 302));
    return { app, seen };
  };

  it('puts the bucket state on answers a route built itself and refuses with Retry-After', async () => {
    const { app } = appWith(memoryRateLimiter({ capacity: 2, refillPerSecond: 0.25, now: () => 0 }));
    const first = await app.request('/t/a/raw');
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    const moved = await app.request('/t/a/moved');
    expect(moved.status).toBe(302);
    expect(moved.headers.get('location')).toBe('https://example.com/');
    expect(moved.headers.get('ratelimit-remaining')).toBe('0');
    const refused = await app.request('/t/a/raw');
    expect(refused.status).toBe(429);
    expect(await refused.text()).toBe('RATE_LIMITED');
    expect(refused.headers.get('retry-after')).toBe('4');
    expect((await app.request('/t/b/raw')).status).toBe(200);
  });

  it('lets requests without a key through untouched', async () => {
    const { app, seen } = appWith(memoryRateLimiter({ capacity: 1, refillPerSecond: 1, now: () => 0 }));
    for (let i = 0; i < 3; i++) {
      const res = await app.request('/t/anonymous/raw');
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    expect(seen).toEqual(['anonymous', 'anonymous', 'anonymous']);
  });
});
