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
