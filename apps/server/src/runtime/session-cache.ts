import type { Attempt, ScoState } from '@scormflow/db';

/** What one process last wrote or read of a SCO's session: the attempt row and the SCO's state. */
export interface CachedSession {
  attempt: Attempt;
  stored: ScoState;
}

/** Default number of SCO sessions one service keeps. */
export const SESSION_CACHE_SIZE = 4096;

/**
 * A bounded, least-recently-used map of `(tenant, attempt, item)` to the last state this process
 * stored or read. It is only a cache: every write made from an entry is still a conditional write
 * on the stored seq (and on the attempt being open), so an entry made stale by another process or
 * another service is detected by the database, dropped, and read again. Nothing lives only here.
 */
export function createSessionCache(maxEntries = SESSION_CACHE_SIZE) {
  const entries = new Map<string, CachedSession>();
  const keyOf = (tenantId: string, attemptId: string, item: string) =>
    `${tenantId}\u0000${attemptId}\u0000${item}`;
  return {
    get(tenantId: string, attemptId: string, item: string): CachedSession | undefined {
      const k = keyOf(tenantId, attemptId, item);
      const hit = entries.get(k);
      if (hit) {
        entries.delete(k);
        entries.set(k, hit);
      }
      return hit;
    },
    set(session: CachedSession): void {
      if (maxEntries <= 0) return;
      const k = keyOf(session.attempt.tenantId, session.attempt.id, session.stored.itemIdentifier);
      entries.delete(k);
      entries.set(k, session);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete(tenantId: string, attemptId: string, item: string): void {
      entries.delete(keyOf(tenantId, attemptId, item));
    },
    get size(): number {
      return entries.size;
    },
  };
}

/** A cache `createSessionCache` returns. */
export type SessionCache = ReturnType<typeof createSessionCache>;
