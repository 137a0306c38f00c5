import type { ApiKeyRole, Database } from '@scormflow/db';
import { hashApiKey } from '@scormflow/db';
import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from './errors.js';

/** Who a request acts as, set by the `apiKeyAuth` middleware. */
export interface AuthContext {
  tenantId: string;
  keyId: string;
  role: ApiKeyRole;
}

/** Variables the server's middleware put on the Hono context. */
export interface AppVariables {
  auth: AuthContext;
}

/** Hono environment of the server's app. */
export interface AppEnv {
  Variables: AppVariables;
}

/** `lastUsedAt` is written at most this often per key, so that reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * `Authorization: Bearer <api-key>`: finds the unrevoked key by the SHA-256 of the secret and puts
 * its tenant and role on the context. Missing header: 401 `UNAUTHENTICATED`; unknown or revoked key:
 * 401 `INVALID_API_KEY`; both with `WWW-Authenticate: Bearer`.
 * @see https://www.rfc-editor.org/rfc/rfc6750 section 2.1 and 3
 */
export function apiKeyAuth(db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      throw new HttpProblem('UNAUTHENTICATED', 'Send the API key as "Authorization: Bearer <api-key>".', {
        headers: { 'www-authenticate': 'Bearer realm="scormflow"' },
      });
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const key = match ? await db.repos.apiKeys.findByHash(hashApiKey(match[1]!)) : null;
    if (!key) {
      throw new HttpProblem('INVALID_API_KEY', 'The API key is unknown or has been revoked.', {
        headers: { 'www-authenticate': 'Bearer realm="scormflow", error="invalid_token"' },
      });
    }
    const now = new Date();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      db.repos.apiKeys.touchLastUsed(key.tenantId, key.id, now).catch(() => {});
    }
    c.set('auth', { tenantId: key.tenantId, keyId: key.id, role: key.role });
    await next();
  };
}

/** Refuses (403 `FORBIDDEN`) keys without the admin role. */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('auth').role !== 'admin') {
      throw new HttpProblem('FORBIDDEN', 'This route needs an admin API key.');
    }
    await next();
  };
}
