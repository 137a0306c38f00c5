import { randomBytes } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps } from '../app.js';
import { ifNoneMatchHits } from '../content/range.js';
import { isHttpProblem } from '../errors.js';
import { contentUrlsFor, originOf } from '../player/content-urls.js';
import { buildNavigation, type Navigation } from '../player/navigation.js';
import { type PlayerConfig, playerCsp, renderMessagePage, renderPlayerPage } from '../player/page.js';
import { NavigationSchema } from '../player/schemas.js';
import { rateLimitMiddleware } from '../rate-limit.js';
import type { AttemptContext, AttemptService } from '../runtime/attempt-service.js';
import { verifyRuntimeToken } from '../runtime/runtime-token.js';
import { problem } from '../schemas.js';
import { type RuntimeEnv, runtimeAuth } from './runtime.js';

/** The navigation of an attempt for a verified runtime token. */
async function navigationOf(
  deps: AppDeps,
  service: AttemptService,
  claims: { tenantId: string; attemptId: string; returnUrl?: string },
  requestUrl: string,
): Promise<{ ctx: AttemptContext; navigation: Navigation }> {
  const ctx = await service.load(claims.tenantId, claims.attemptId);
  const [states, urls] = await Promise.all([
    deps.db.repos.scoStates.listByAttempt(claims.tenantId, claims.attemptId),
    contentUrlsFor(deps, ctx, requestUrl),
  ]);
  const navigation = buildNavigation({
    ctx,
    states,
    contentUrl: urls.url,
    crossOriginContent: urls.frame,
    returnUrl: claims.returnUrl ?? null,
  });
  return { ctx, navigation };
}

const Params = z.object({
  attemptId: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'an id is 1 to 64 letters, digits and dashes')
    .openapi({ param: { name: 'attemptId', in: 'path' } }),
});

const navigationRoute = createRoute({
  method: 'get',
  path: '/{attemptId}/navigation',
  tags: ['runtime'],
  summary:
    'What a player shows: course, attempt status, the organization with per-SCO progress and content URLs',
  description:
    "The default organization as a flat list in document order (each item with its children), the control modes (choice, flow, forwardOnly) the manifest states, each SCO's progress and its content URL (a content token issued as of the start of the hour, so the URLs of an attempt stay the same within it), and the return URL signed in the runtime token. The built-in player at `/play/{attemptId}` renders the same data.",
  security: [{ runtimeToken: [] }],
  request: { params: Params },
  responses: {
    200: { description: 'The navigation', content: { 'application/json': { schema: NavigationSchema } } },
    401: problem('Missing, malformed, tampered or expired runtime token'),
    403: problem('The runtime token belongs to another attempt'),
    404: problem('No such attempt'),
    429: problem("Runtime rate limit of the token's tenant exceeded (`Retry-After`)"),
  },
});

/** Player routes under `/api/v1/runtime` that need the runtime token: the navigation. */
export function playerRuntimeRoutes(deps: AppDeps) {
  const service = deps.attempts;
  const app = new OpenAPIHono<RuntimeEnv>({ defaultHook: deps.validationHook });
  for (const path of ['/:attemptId/navigation']) {
    app.use(path, runtimeAuth(deps.jwtSecret));
    if (deps.runtimeRateLimiter) {
      app.use(
        path,
        rateLimitMiddleware<RuntimeEnv>(
          deps.runtimeRateLimiter,
          (c) => `runtime:${c.get('runtime').tenantId}`,
          "The tenant's runtime rate limit",
        ),
      );
    }
  }
  return app.openapi(navigationRoute, async (c) => {
    const { navigation } = await navigationOf(deps, service, c.get('runtime'), c.req.url);
    return c.json(navigation, 200);
  });
}

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

function htmlResponse(body: string, status: number, csp: string): Response {
  return new Response(body, { status, headers: { ...HTML_HEADERS, 'content-security-policy': csp } });
}

/** `<prefix>` of a request to `<prefix>/play/<id>`: where the app is mounted. */
function mountPrefix(c: Context): string {
  const path = new URL(c.req.url).pathname;
  const at = path.lastIndexOf('/play/');
  return at > 0 ? path.slice(0, at) : '';
}

const runtimeJsRoute = createRoute({
  method: 'get',
  path: '/runtime.js',
  tags: ['player'],
  summary: 'The runtime bridge script (window.ScormFlow, window.API / API_1484_11) for players and content',
  description:
    '`ETag` is the content hash; `If-None-Match` -> 304. `Cache-Control: public, max-age=300`, or `public, max-age=31536000, immutable` under `?v=<hash>` with the current hash. `Access-Control-Allow-Origin: *`.',
  request: { query: z.object({ v: z.string().optional().openapi({ description: 'The content hash' }) }) },
  responses: {
    200: {
      description: 'The IIFE bundle',
      content: { 'text/javascript': { schema: z.string() } },
    },
    304: { description: 'Not modified' },
  },
});

const playRoute = createRoute({
  method: 'get',
  path: '/play/{attemptId}',
  tags: ['player'],
  summary: 'The built-in player page of an attempt (the `launchUrl` of POST /attempts/start)',
  description:
    'A self-contained HTML page (inline CSS and script under a CSP nonce, plus /runtime.js). A missing, bad or expired token is a 401 HTML page and a token of another attempt a 403 HTML page, each with a `role="alert"` message; an attempt that has ended answers a page saying so.',
  request: {
    params: Params,
    query: z.object({ token: z.string().openapi({ description: 'The runtime token of the attempt' }) }),
  },
  responses: {
    200: {
      description: 'The player, or the page of an ended attempt',
      content: { 'text/html': { schema: z.string() } },
    },
    401: {
      description: 'Missing, bad or expired token (HTML)',
      content: { 'text/html': { schema: z.string() } },
    },
    403: {
      description: 'The token is for another attempt (HTML)',
      content: { 'text/html': { schema: z.string() } },
    },
    404: { description: 'No such attempt (HTML)', content: { 'text/html': { schema: z.string() } } },
  },
});

/**
 * `GET /runtime.js` (the runtime bridge IIFE) and `GET /play/{attemptId}?token=<runtime token>`
 * (the player page). Declared in the OpenAPI document, handled by plain handlers (JavaScript and HTML answers).
 */
export function playerRoutes(deps: AppDeps) {
  const service = deps.attempts;
  const app = new OpenAPIHono<RuntimeEnv>();
  app.openAPIRegistry.registerPath(runtimeJsRoute);
  app.openAPIRegistry.registerPath(playRoute);

  app.get('/runtime.js', async (c) => {
    const { code, hash } = await deps.runtimeScript();
    const etag = `"${hash}"`;
    const pinned = c.req.query('v') === hash;
    const headers: Record<string, string> = {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': pinned ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      etag,
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
    };
    if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) {
      return new Response(null, { status: 304, headers });
    }
    return new Response(c.req.method === 'HEAD' ? null : code, { status: 200, headers });
  });

  app.get('/play/:attemptId', async (c) => {
    const nonce = randomBytes(16).toString('base64');
    const plainCsp = playerCsp(nonce, { connect: [], frame: [] });
    const refuse = (status: number, title: string, message: string) =>
      htmlResponse(renderMessagePage({ nonce, title, message, kind: 'error' }), status, plainCsp);
    const attemptId = c.req.param('attemptId');
    const token = c.req.query('token');
    const relaunch = 'Open the course again from your learning platform to get a new launch link.';
    if (!token)
      return refuse(401, 'This launch link is incomplete', `The link has no launch token. ${relaunch}`);
    const verified = await verifyRuntimeToken(token, deps.jwtSecret);
    if (!verified.ok) {
      return verified.error.code === 'expired'
        ? refuse(401, 'This launch link has expired', `Launch links work for a short time only. ${relaunch}`)
        : refuse(401, 'This launch link is not valid', `The link was changed or is broken. ${relaunch}`);
    }
    if (verified.value.attemptId !== attemptId) {
      return refuse(
        403,
        'This launch link is for another attempt',
        `The link does not open this attempt. ${relaunch}`,
      );
    }
    let loaded: { ctx: AttemptContext; navigation: Navigation };
    try {
      loaded = await navigationOf(deps, service, verified.value, c.req.url);
    } catch (error) {
      if (isHttpProblem(error) && error.status === 404) {
        return refuse(
          404,
          'This course is no longer available',
          `The attempt or its course was removed. ${relaunch}`,
        );
      }
      throw error;
    }
    const { ctx, navigation } = loaded;
    const returnUrl = verified.value.returnUrl ?? null;
    if (ctx.attempt.status === 'completed' || ctx.attempt.status === 'terminated') {
      return htmlResponse(
        renderMessagePage({
          nonce,
          kind: 'ended',
          title:
            ctx.attempt.status === 'completed' ? 'You have completed this course' : 'This attempt has ended',
          message:
            ctx.attempt.status === 'completed'
              ? `${ctx.course.title}: your results are recorded. To take the course again, start a new attempt from your learning platform.`
              : `${ctx.course.title}: this attempt was closed. Start a new attempt from your learning platform.`,
          returnUrl,
        }),
        200,
        plainCsp,
      );
    }
    const prefix = mountPrefix(c);
    const apiBase = deps.apiBaseUrl || prefix;
    const { hash } = await deps.runtimeScript();
    const contentOrigin = navigation.crossOriginContent ? originOf(deps.contentBaseUrl) : null;
    const config: PlayerConfig = {
      attemptId,
      runtimeToken: token,
      tokenExpiresAt: new Date(verified.value.expiresAt * 1000).toISOString(),
      apiBase,
      contentOrigin,
      navigation,
    };
    const apiOrigin = originOf(deps.apiBaseUrl);
    const csp = playerCsp(nonce, {
      connect: apiOrigin ? [apiOrigin] : [],
      frame: contentOrigin ? [contentOrigin] : [],
    });
    return htmlResponse(
      renderPlayerPage({ config, nonce, runtimeScriptUrl: `${apiBase}/runtime.js?v=${hash}` }),
      200,
      csp,
    );
  });
  return app;
}
