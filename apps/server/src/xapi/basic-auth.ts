import { createHash } from 'node:crypto';
import type { Database } from '@scormflow/db';
import { xapiCredentials } from '@scormflow/db';
import type { LrsPrincipal } from '@scormflow/lrs';
import type { Agent } from '@scormflow/xapi';

/** Options of {@link xapiBasicAuth}. */
export interface XapiBasicAuthOptions {
  /**
   * How long a verified credential is trusted without asking the database again, in
   * milliseconds. A revoked credential keeps working in a process for at most this long.
   * Default 5,000; 0 turns the cache off.
   */
  cacheMs?: number;
  /** Most credentials kept in the cache; the oldest entries are dropped beyond it. Default 10,000. */
  maxEntries?: number;
  /** Clock in milliseconds; defaults to `Date.now`. */
  now?: () => number;
}

/** What {@link xapiBasicAuth} returns: the `authenticate` of `lrsApp` and the tenant of a header. */
export interface XapiBasicAuth {
  /** The principal of a request's `Authorization: Basic` header, or `null` (401). */
  authenticate(request: Request): Promise<LrsPrincipal | null>;
  /** The principal of an `Authorization` header value, or `null`. */
  principalOf(authorization: string | null): Promise<LrsPrincipal | null>;
}

interface Entry {
  principal: LrsPrincipal;
  expires: number;
}

/** `key:secret` of a Basic header value (RFC 7617), or `null` when it is not one. */
export function parseBasic(authorization: string): { key: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic authentication of the `/xapi` endpoint against the tenant's xAPI credentials
 * (`db.xapiCredentials`): the Basic user name is the credential's key, the password its secret.
 * The principal is the credential's tenant, and its authority Agent becomes the `authority` of
 * every statement stored with it.
 *
 * Verified credentials are cached in this process for `cacheMs` (default 5 s), keyed by the
 * SHA-256 of the whole header value, so that the secret is never held in memory in clear and a
 * statement POST costs no credential query. Failed checks are never cached: a new credential works
 * at once, and a revoked one stops working within `cacheMs` in every process.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#43-authentication
 * @see https://www.rfc-editor.org/rfc/rfc7617
 */
export function xapiBasicAuth(db: Database, options: XapiBasicAuthOptions = {}): XapiBasicAuth {
  const cacheMs = options.cacheMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const credentials = xapiCredentials(db);
  const cache = new Map<string, Entry>();

  async function principalOf(authorization: string | null): Promise<LrsPrincipal | null> {
    if (authorization === null) return null;
    const cacheKey = cacheMs > 0 ? createHash('sha256').update(authorization).digest('base64url') : '';
    if (cacheMs > 0) {
      const hit = cache.get(cacheKey);
      if (hit) {
        if (hit.expires > now()) return hit.principal;
        cache.delete(cacheKey);
      }
    }
    const basic = parseBasic(authorization);
    if (!basic) return null;
    const verified = await credentials.verify(basic.key, basic.secret);
    if (!verified) return null;
    const principal: LrsPrincipal = {
      tenantId: verified.tenantId,
      authority: verified.authority as unknown as Agent,
    };
    if (cacheMs > 0) {
      if (cache.size >= maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(cacheKey, { principal, expires: now() + cacheMs });
    }
    return principal;
  }

  return {
    principalOf,
    authenticate: (request) => principalOf(request.headers.get('authorization')),
  };
}
