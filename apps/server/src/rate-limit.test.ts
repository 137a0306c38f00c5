import { describe, expect, it } from 'vitest';
import { memoryRateLimiter } from './rate-limit.js';

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
