import { consistentThrough, type LrsStore, lrsApp, type StoringClock, storingClock } from '@scormflow/lrs';
import { Hono, type MiddlewareHandler } from 'hono';
import { isHttpProblem } from '../errors.js';
import { type RateLimiter, rateLimitMiddleware } from '../rate-limit.js';
import type { XapiBasicAuth } from './basic-auth.js';

/** Options of {@link xapiRoutes}. */
export interface XapiRoutesOptions {
  /** The tenant-scoped LRS store (`lrsStore(db)` of `@scormflow/db`). */
  store: LrsStore;
  /** Basic authentication against the tenants' xAPI credentials. */
  auth: XapiBasicAuth;
  /** Per-tenant limiter of the LRS, keyed `xapi:<tenantId>`; `null` turns it off. */
  rateLimiter: RateLimiter | null;
  /** The most statements one GET page returns (default 100). */
  maxStatementsPerPage?: number;
  /**
   * The clock statement writes are stamped on, shared with the runtime's SCORM statements, for
   * `X-Experience-API-Consistent-Through` (default: one of these routes).
   */
  storingClock?: StoringClock;
}

const XAPI_VERSION = '1.0.3';

/** An answer in the form the LRS gives its own errors (not problem+json): xAPI clients read these. */
function xapiError(
  status: number,
  message: string,
  request: Request,
  headers: Record<string, string> = {},
): Response {
  const origin = request.headers.get('origin');
  return new Response(JSON.stringify({ error: true, status, message }), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-experience-api-version': XAPI_VERSION,
      'access-control-allow-origin': origin ?? '*',
      'access-control-expose-headers': 'Retry-After, X-Experience-API-Version',
      ...(origin ? { 'access-control-allow-credentials': 'true', vary: 'Origin' } : {}),
      ...headers,
    },
  });
}

/**
 * The `Authorization` a request carries: its header, or with the alternate request syntax
 * (`POST ?method=`, as `sendBeacon` sends) the form field of that name.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#alt-request-syntax
 */
async function authorizationOf(request: Request): Promise<string | null> {
  const header = request.headers.get('authorization');
  if (header !== null) return header;
  if (request.method !== 'POST' || !new URL(request.url).searchParams.has('method')) return null;
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  // The LRS reads the original body; this reads a copy.
  const form = new URLSearchParams(await request.clone().text());
  for (const [name, value] of form) if (name.toLowerCase() === 'authorization') return value;
  return null;
}

/**
 * The `/xapi` mount of the engine: the tenant rate limit (429 in the LRS's own error form), then
 * `lrsApp` of `@scormflow/lrs` over the database's LRS store with Basic authentication, and an
 * xAPI 404 for paths that are no LRS resource. Nothing here answers problem+json.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md
 */
export function xapiRoutes(options: XapiRoutesOptions): Hono {
  const app = new Hono();
  const clock = options.storingClock ?? storingClock(() => new Date());
  if (options.rateLimiter) {
    const limit = rateLimitMiddleware(
      options.rateLimiter,
      async (c) => {
        // Unauthenticated requests are not counted: the LRS answers them 401 without any store call.
        const principal = await options.auth.principalOf(await authorizationOf(c.req.raw));
        return principal ? `xapi:${principal.tenantId}` : null;
      },
      "The tenant's xAPI rate limit",
    );
    const xapiLimit: MiddlewareHandler = async (c, next) => {
      try {
        await limit(c, next);
      } catch (error) {
        if (!isHttpProblem(error) || error.code !== 'RATE_LIMITED') throw error;
        return xapiError(429, error.message, c.req.raw, error.headers);
      }
    };
    app.use('*', xapiLimit);
  }
  app.route(
    '/',
    lrsApp({
      store: options.store,
      authenticate: options.auth.authenticate,
      storingClock: clock,
      ...(options.maxStatementsPerPage === undefined
        ? {}
        : { maxStatementsPerPage: options.maxStatementsPerPage }),
    }),
  );
  // A GET under the mount that names no resource still says how current the Statements are:
  // the conformance suite's statement wait (its helper `genDelay`) reads the header from such an
  // answer when a test appends its query without a `?` (H.Communication1.4).
  app.all('*', async (c) =>
    xapiError(
      404,
      `no xAPI resource at ${c.req.path}`,
      c.req.raw,
      c.req.method === 'GET' || c.req.method === 'HEAD'
        ? {
            'x-experience-api-consistent-through': (
              await consistentThrough(clock, options.store)
            ).toISOString(),
          }
        : {},
    ),
  );
  return app;
}
