import { randomBytes } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { type Database, lrsStore } from '@scormflow/db';
import { type LrsStore, storingClock } from '@scormflow/lrs';
import type { ZipLimits } from '@scormflow/manifest/node';
import type { BlobStorage } from '@scormflow/storage';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { type AppEnv, apiKeyAuth } from './auth.js';
import {
  HttpProblem,
  isHttpProblem,
  type ProblemCode,
  problemResponse,
  SERVER_ERROR_CODES,
  ServerError,
} from './errors.js';
import { originOf } from './player/content-urls.js';
import { bridgeRuntimeScript, memoRuntimeScript, type RuntimeScriptSource } from './player/runtime-script.js';
import {
  DEFAULT_RATE_LIMITS,
  perMinuteLimiter,
  type RateLimiter,
  rateLimitMiddleware,
} from './rate-limit.js';
import { adminRoutes } from './routes/admin.js';
import { attemptRoutes } from './routes/attempts.js';
import { contentRoutes } from './routes/content.js';
import { courseRoutes } from './routes/courses.js';
import { healthRoutes } from './routes/health.js';
import { playerRoutes, playerRuntimeRoutes } from './routes/player.js';
import { runtimeRoutes } from './routes/runtime.js';
import { xapiCredentialRoutes } from './routes/xapi-credentials.js';
import { type AttemptService, attemptService } from './runtime/attempt-service.js';
import { validationProblem } from './validation.js';
import { xapiBasicAuth } from './xapi/basic-auth.js';
import { lazyLrsStore } from './xapi/lazy-store.js';
import { xapiRoutes } from './xapi/xapi-routes.js';

/** What `createApp` needs: open backends and limits. The app does not own them (see `buildApp`). */
export interface CreateAppOptions {
  /** An open, migrated database. */
  db: Database;
  /** Blob storage for course files; each tenant gets the `tenants/<tenantId>/` folder. */
  storage: BlobStorage;
  /**
   * Per-tenant rate limiter of the API-key routes (`/api/v1/*` but the runtime); `null` turns it
   * off. Default: in memory, 600 requests a minute.
   */
  rateLimiter?: RateLimiter | null;
  /**
   * Per-tenant rate limiter of the runtime routes (`/api/v1/runtime/*`), keyed by the runtime
   * token's tenant; `null` turns it off. Default: in memory, 120,000 requests a minute.
   */
  runtimeRateLimiter?: RateLimiter | null;
  /**
   * Per-tenant rate limiter of course content (`/content/*`), keyed by the content token's tenant;
   * `null` turns it off. Default: in memory, 300,000 requests a minute.
   */
  contentRateLimiter?: RateLimiter | null;
  /**
   * Per-tenant rate limiter of the LRS (`/xapi`), keyed by the xAPI credential's tenant; `null`
   * turns it off. Default: in memory, 120,000 requests a minute.
   */
  xapiRateLimiter?: RateLimiter | null;
  /**
   * Public base URL of the engine (`https://lms.example.com` or with a path prefix), without a
   * trailing slash: launch and content URLs of a started attempt are absolute under it. Default
   * `null`: they are relative to the engine's origin (`/play/...`, `/content/...`).
   */
  apiBaseUrl?: string | null;
  /**
   * Base URL of content URLs (`<contentBaseUrl>/content/<token>/<path>`) when course files are
   * served from another origin than the engine (a CDN or a cookieless domain in front of the same
   * app). Content on another origin than the player runs in frame mode: its HTML files get the
   * runtime script injected. Needs `apiBaseUrl`. Default: `apiBaseUrl`.
   */
  contentBaseUrl?: string | null;
  /**
   * Where `GET /runtime.js` and the player get the runtime bridge script. Default: the
   * `@scormflow/runtime-bridge` bundle.
   */
  runtimeScript?: RuntimeScriptSource;
  /** Largest course upload in bytes. Default 1 GiB. */
  maxUploadBytes?: number;
  /** Largest JSON body in bytes. Default 1 MiB. */
  maxJsonBytes?: number;
  /** Zip safety limits for uploads (entries, expansion ratios...). */
  zipLimits?: Partial<ZipLimits>;
  /** Where unexpected errors are reported. Default `console.error`. */
  onUnexpectedError?: (error: unknown, request: Request) => void;
  /**
   * Secret (at least 32 bytes) that signs runtime and content tokens; every process behind one load
   * balancer needs the same. Default: random for this app, so its tokens die with it.
   */
  jwtSecret?: string | Uint8Array;
  /**
   * How long a verified xAPI Basic credential is trusted without a database read, in milliseconds
   * (a revoked credential keeps working in a process for at most this long). Default 5,000.
   */
  xapiCredentialCacheMs?: number;
  /**
   * Every accepted SCORM runtime commit also lands in the tenant's LRS (`/xapi`) as xAPI
   * statements in the ADL SCORM profile vocabulary, so one query shows a learner's whole history.
   * Default `true`.
   */
  scormStatements?: boolean;
}

/** The options with defaults applied, as route modules receive them. */
export interface AppDeps {
  db: Database;
  storage: BlobStorage;
  maxUploadBytes: number;
  maxJsonBytes: number;
  zipLimits: Partial<ZipLimits>;
  /** Signs runtime and content tokens (`issueContentToken`). */
  jwtSecret: string | Uint8Array;
  /** Runtime limiter (see `CreateAppOptions.runtimeRateLimiter`); `null` when off. */
  runtimeRateLimiter: RateLimiter | null;
  /** Prefix of launch and content URLs: the public base URL, or `''` for relative URLs. */
  apiBaseUrl: string;
  /** Prefix of content URLs when they differ from `apiBaseUrl`, else `''`. */
  contentBaseUrl: string;
  /** The runtime bridge script, loaded once. */
  runtimeScript: RuntimeScriptSource;
  /** The tenants' LRS (made on first use). */
  lrs: LrsStore;
  /** The one attempt and runtime service of the app (its session cache is shared by every route). */
  attempts: AttemptService;
  /** The validation hook every route module installs: a 400 problem naming the fields. */
  validationHook: (result: { success: boolean; error?: unknown; target: string }) => void;
}

/** The engine's Hono app, with its OpenAPI registry. */
export type ScormflowApp = OpenAPIHono<AppEnv>;

const PROBLEM_BY_STATUS: Record<number, ProblemCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'PACKAGE_INVALID',
  429: 'RATE_LIMITED',
};

const limiterOrDefault = (given: RateLimiter | null | undefined, perMinute: number) =>
  given === undefined ? perMinuteLimiter(perMinute) : given;

/**
 * The engine as a Hono app over open backends: health, admin (tenants, API keys), courses, and
 * `/openapi.json`. Errors answer as RFC 9457 `application/problem+json` with a stable `code`.
 * Mount `app.fetch` anywhere that speaks the Fetch API, or use `getRequestListener` of
 * `@hono/node-server` for a Node `http` server.
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
export function createApp(options: CreateAppOptions): ScormflowApp {
  const onUnexpectedError =
    options.onUnexpectedError ?? ((error: unknown) => console.error('scormflow: unexpected error', error));
  const validationHook: AppDeps['validationHook'] = (result) => {
    if (!result.success)
      throw validationProblem(result.target, result.error as Parameters<typeof validationProblem>[1]);
  };
  const lrs = lazyLrsStore(() => lrsStore(options.db));
  // Statement writes of the runtime and of the LRS routes, for X-Experience-API-Consistent-Through.
  const statementClock = storingClock(() => new Date());
  const deps: AppDeps = {
    db: options.db,
    storage: options.storage,
    maxUploadBytes: options.maxUploadBytes ?? 1024 ** 3,
    maxJsonBytes: options.maxJsonBytes ?? 1024 ** 2,
    zipLimits: options.zipLimits ?? {},
    jwtSecret: options.jwtSecret ?? new Uint8Array(randomBytes(32)),
    runtimeRateLimiter: limiterOrDefault(options.runtimeRateLimiter, DEFAULT_RATE_LIMITS.runtime),
    apiBaseUrl: options.apiBaseUrl ?? '',
    contentBaseUrl: options.contentBaseUrl ?? '',
    runtimeScript: memoRuntimeScript(options.runtimeScript ?? bridgeRuntimeScript),
    lrs,
    attempts: attemptService(options.db, {
      statements:
        options.scormStatements === false
          ? null
          : { store: lrs, baseUrl: options.apiBaseUrl ?? '', clock: statementClock },
    }),
    validationHook,
  };
  if (deps.contentBaseUrl !== '' && deps.apiBaseUrl === '') {
    throw new ServerError(
      SERVER_ERROR_CODES.INVALID_ARGUMENT,
      'contentBaseUrl needs apiBaseUrl: content on another origin loads the runtime script from the engine by its absolute URL.',
    );
  }
  const limiter = limiterOrDefault(options.rateLimiter, DEFAULT_RATE_LIMITS.api);
  const contentLimiter = limiterOrDefault(options.contentRateLimiter, DEFAULT_RATE_LIMITS.content);
  const xapiLimiter = limiterOrDefault(options.xapiRateLimiter, DEFAULT_RATE_LIMITS.xapi);

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: `Authorization: Bearer <api-key>`',
  });

  app.onError((error, c) => {
    const instance = new URL(c.req.url).pathname;
    if (isHttpProblem(error)) {
      return problemResponse(error.code, error.message, instance, error.extensions, error.headers);
    }
    if (error instanceof HTTPException && PROBLEM_BY_STATUS[error.status]) {
      const code = PROBLEM_BY_STATUS[error.status]!;
      const detail = error.message || 'The request was refused.';
      // Hono's body parsers reject malformed JSON with a 400 before any validator sees it.
      const extensions = code === 'VALIDATION_FAILED' ? { errors: [{ field: 'json', message: detail }] } : {};
      return problemResponse(code, detail, instance, extensions);
    }
    onUnexpectedError(error, c.req.raw);
    return problemResponse('INTERNAL', 'The server could not complete the request.', instance);
  });
  app.notFound((c) =>
    problemResponse(
      'ROUTE_NOT_FOUND',
      `No route answers ${c.req.method} ${new URL(c.req.url).pathname}.`,
      new URL(c.req.url).pathname,
    ),
  );

  const tooLarge = () =>
    new HttpProblem('PAYLOAD_TOO_LARGE', `The request body is larger than ${deps.maxJsonBytes} bytes.`, {
      extensions: { limit: deps.maxJsonBytes },
    });
  const streamedLimit = bodyLimit({
    maxSize: deps.maxJsonBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  // A body with a Content-Length (and no Transfer-Encoding) is judged by that header: Node's parser
  // never reads past it, and the body is then read directly rather than through a web stream, which
  // halves the server CPU of a runtime commit. Chunked bodies are counted as they stream.
  const jsonLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined)
      return streamedLimit(c, next);
    if (!/^\d+$/.test(length) || Number(length) > deps.maxJsonBytes) throw tooLarge();
    await next();
  };

  app.route('/', healthRoutes(deps));
  // The xAPI LRS answers as the xAPI spec says, with Basic credentials of its own: outside /api/v1.
  app.route(
    '/xapi',
    xapiRoutes({
      store: deps.lrs,
      auth: xapiBasicAuth(deps.db, { cacheMs: options.xapiCredentialCacheMs ?? 5_000 }),
      rateLimiter: xapiLimiter,
      storingClock: statementClock,
    }),
  );
  app.route(
    '/content',
    contentRoutes({
      storage: deps.storage,
      secret: deps.jwtSecret,
      rateLimiter: contentLimiter,
      frameRuntime:
        deps.contentBaseUrl === ''
          ? null
          : { url: `${deps.apiBaseUrl}/runtime.js`, hash: async () => (await deps.runtimeScript()).hash },
    }),
  );
  app.route('/', playerRoutes(deps));
  // Runtime routes answer to the attempt's runtime token, not to an API key: mounted before the key check.
  // Content on another origin sends its last data itself when the learner closes the tab (frame
  // mode): that origin alone may call them from a browser, with preflight answers.
  const contentOrigin = originOf(deps.contentBaseUrl);
  if (contentOrigin && contentOrigin !== originOf(deps.apiBaseUrl)) {
    app.use(
      '/api/v1/runtime/*',
      cors({
        origin: contentOrigin,
        allowMethods: ['POST'],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: 600,
      }),
    );
  }
  app.use('/api/v1/runtime/*', jsonLimit);
  app.route('/api/v1/runtime', playerRuntimeRoutes(deps));
  app.route('/api/v1/runtime', runtimeRoutes(deps));
  app.use('/api/v1/*', apiKeyAuth(deps.db));
  if (limiter)
    app.use(
      '/api/v1/*',
      rateLimitMiddleware<AppEnv>(limiter, (c) => `tenant:${c.get('auth').tenantId}`),
    );
  app.use('/api/v1/admin/*', jsonLimit);
  app.route('/api/v1/admin', adminRoutes(deps));
  app.route('/api/v1/courses', courseRoutes(deps));
  app.use('/api/v1/attempts/*', jsonLimit);
  app.route('/api/v1/attempts', attemptRoutes(deps));
  app.use('/api/v1/xapi/*', jsonLimit);
  app.route('/api/v1/xapi/credentials', xapiCredentialRoutes(deps));

  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/openapi.json',
    tags: ['meta'],
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: { description: 'The document', content: { 'application/json': { schema: {} } } } },
  });
  app.get('/openapi.json', (c) => c.json(openApiDocument(app)));
  return app;
}

/**
 * The OpenAPI 3.1 document of an app made by `createApp`; `apps/server/openapi.json` is this, and a
 * test fails when the two drift apart.
 * @see https://spec.openapis.org/oas/v3.1.0
 */
export function openApiDocument(app: ScormflowApp): ReturnType<ScormflowApp['getOpenAPI31Document']> {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'ScormFlow engine API',
      version: '0.1.0',
      description:
        'Headless SCORM / xAPI / cmi5 engine. Errors are RFC 9457 problem+json with a stable `code`. Authenticate with `Authorization: Bearer <api-key>`.',
      license: { name: 'MIT' },
    },
  });
}
