import type { Context, Env, MiddlewareHandler } from 'hono';
import { HttpProblem } from './errors.js';

/** What a rate limiter decided for one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Bucket capacity. */
  limit: number;
  /** Seconds until one token is available again (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * A per-key rate limiter. The server keys it by tenant. The in-memory implementation counts per
 * process: with several server processes behind a load balancer each one allows the full rate, so a
 * shared store (Redis, Postgres) implementing this interface is needed there.
 */
export interface RateLimiter {
  take(key: string, cost?: number): Promise<RateLimitDecision>;
}

/** Options of `memoryRateLimiter`. */
export interface MemoryRateLimiterOptions {
  /** Most tokens a bucket holds (the burst). */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  /** Clock in milliseconds; defaults to `Date.now`. Tests pass their own. */
  now?: () => number;
  /** Buckets kept at most; the least recently used are dropped beyond it. Default 100,000. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key, in this process's memory: each key starts full, refills continuously at
 * `refillPerSecond` up to `capacity`, and each request takes `cost` tokens (default 1).
 * @see https://en.wikipedia.org/wiki/Token_bucket
 */
export function memoryRateLimiter(options: MemoryRateLimiterOptions): RateLimiter {
  const { capacity, refillPerSecond } = options;
  if (!(capacity >= 1) || !(refillPerSecond > 0)) {
    throw new RangeError('memoryRateLimiter needs capacity >= 1 and refillPerSecond > 0');
  }
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, Bucket>();
  return {
    async take(key, cost = 1) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket) {
        buckets.delete(key);
        bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 1000) * refillPerSecond);
        bucket.at = t;
      } else {
        bucket = { tokens: capacity, at: t };
        if (buckets.size >= maxKeys) {
          const oldest = buckets.keys().next().value;
          if (oldest !== undefined) buckets.delete(oldest);
        }
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return { allowed: true, remaining: Math.floor(bucket.tokens), limit: capacity, retryAfterSeconds: 0 };
      }
      return {
        allowed: false,
        remaining: 0,
        limit: capacity,
        retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / refillPerSecond)),
      };
    },
  };
}

/** Defaults of the server's four limiters, per tenant and minute (the burst is the same figure). */
export const DEFAULT_RATE_LIMITS = {
  /** Management API calls authenticated by an API key. */
  api: 600,
  /**
   * SCORM runtime calls (runtime token): a learner commits every few seconds, and a remote SCO
   * stores each SetValue with a call of its own, so a tenant with thousands of learners makes tens
   * of thousands of calls a minute.
   */
  runtime: 120_000,
  /** Content files (content token): one launch loads tens to hundreds of files at once. */
  content: 300_000,
  /**
   * LRS requests (`/xapi`, xAPI credentials): content sends its statements and reads and writes
   * its state as the learner goes, so an LRS is runtime traffic, not management traffic.
   */
  xapi: 120_000,
} as const;

/** A per-minute rate and a burst as a `memoryRateLimiter`; `null` when the rate is 0 (off). */
export function perMinuteLimiter(perMinute: number, burst: number = perMinute): RateLimiter | null {
  if (perMinute === 0) return null;
  return memoryRateLimiter({ capacity: Math.max(1, burst), refillPerSecond: perMinute / 60 });
}

/**
 * Middleware that takes one token of `limiter` under the key `keyOf` returns (no key: not limited)
 * and refuses with 429 `RATE_LIMITED` and `Retry-After` once the bucket is empty. Every answer it
 * lets through carries `RateLimit-Limit` and `RateLimit-Remaining`.
 * @see https://www.rfc-editor.org/rfc/rfc6585 section 4 (429), RFC 9110 section 10.2.3 (Retry-After)
 */
/**
 * Takes one request from `key`'s bucket, or throws the 429 problem (with `Retry-After`) when the
 * bucket is empty. Returns the decision so that the caller can report the remaining budget.
 */
export async function takeOrThrow(
  limiter: RateLimiter,
  key: string,
  describe = "The tenant's rate limit",
): Promise<RateLimitDecision> {
  const decision = await limiter.take(key);
  if (!decision.allowed) {
    throw new HttpProblem(
      'RATE_LIMITED',
      `${describe} is exhausted; retry in ${decision.retryAfterSeconds} s.`,
      {
        headers: {
          'retry-after': String(decision.retryAfterSeconds),
          'ratelimit-limit': String(decision.limit),
          'ratelimit-remaining': '0',
        },
        extensions: { retryAfterSeconds: decision.retryAfterSeconds },
      },
    );
  }
  return decision;
}

/** The `RateLimit-*` headers of an allowed request. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return { 'ratelimit-limit': String(decision.limit), 'ratelimit-remaining': String(decision.remaining) };
}

export function rateLimitMiddleware<E extends Env>(
  limiter: RateLimiter,
  keyOf: (c: Context<E>) => string | null | Promise<string | null>,
  describe = "The tenant's rate limit",
): MiddlewareHandler<E> {
  return async (c, next) => {
    const key = await keyOf(c);
    if (key === null) return next();
    const decision = await takeOrThrow(limiter, key, describe);
    await next();
    // After the handler, so that the headers also reach a Response a route built itself.
    try {
      c.res.headers.set('ratelimit-limit', String(decision.limit));
    } catch {
      c.res = new Response(c.res.body, c.res); // a Response with immutable headers
      c.res.headers.set('ratelimit-limit', String(decision.limit));
    }
    c.res.headers.set('ratelimit-remaining', String(decision.remaining));
  };
}
