import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from '../app.js';
import { HttpProblem } from '../errors.js';
import { rateLimitMiddleware } from '../rate-limit.js';
import type { CommitRefusal } from '../runtime/attempt-service.js';
import { type CommitBody, checkCommitBody } from '../runtime/commit-body.js';
import {
  issueRuntimeToken,
  type VerifiedRuntimeToken,
  verifyRuntimeToken,
} from '../runtime/runtime-token.js';
import { CommitDiffSchema, ScormAnswerSchema } from '../runtime/schemas.js';
import { problem } from '../schemas.js';

/** Hono environment of the runtime routes: the verified runtime token. */
export interface RuntimeEnv {
  Variables: { runtime: VerifiedRuntimeToken };
}

const security = [{ runtimeToken: [] }];
const common = {
  401: problem('Missing, malformed, tampered or expired runtime token'),
  403: problem('The runtime token belongs to another attempt'),
  404: problem('No such attempt or SCO'),
  429: problem("Runtime rate limit of the token's tenant exceeded (`Retry-After`)"),
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

const ATTEMPT_ID = /^[A-Za-z0-9-]{1,64}$/;
const Params = z.object({
  attemptId: z
    .string()
    .regex(ATTEMPT_ID, 'an id is 1 to 64 letters, digits and dashes')
    .openapi({ param: { name: 'attemptId', in: 'path' } }),
});
const Item = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .openapi({ description: "The SCO's item identifier; default the attempt's current SCO (else the first)" });

const tokenRoute = createRoute({
  method: 'post',
  path: '/{attemptId}/token',
  tags: ['runtime'],
  summary: 'Renew the runtime token with one that is still valid',
  security,
  request: { params: Params },
  responses: {
    200: json(
      z.object({ runtimeToken: z.string(), expiresAt: z.string().datetime() }).openapi('RuntimeToken'),
      'A new token for the same attempt',
    ),
    ...common,
  },
});

const initializeRoute = createRoute({
  method: 'post',
  path: '/{attemptId}/initialize',
  tags: ['runtime'],
  summary: 'Initialize / LMSInitialize: open a session of a SCO; answers its initial CMI state',
  security,
  request: { params: Params, body: body(z.object({ item: Item }).strict().openapi('InitializeRuntime')) },
  responses: {
    200: json(
      ScormAnswerSchema.extend({
        item: z.string(),
        version: z.enum(['1.2', '2004']),
        launchId: z.string().nullable(),
        state: z.record(z.string(), z.unknown()).openapi({
          description: 'The CmiState to build a local API from (`createScorm2004Api({ state })`)',
        }),
      }).openapi('InitializedRuntime'),
      'The session is open',
    ),
    400: problem('Invalid body'),
    409: problem('The attempt is closed, or another session of the SCO started at the same time'),
    ...common,
  },
});

const getValueRoute = createRoute({
  method: 'get',
  path: '/{attemptId}/value',
  tags: ['runtime'],
  summary: 'GetValue / LMSGetValue',
  security,
  request: {
    params: Params,
    query: z.object({ item: Item, element: z.string().max(1000) }).strict(),
  },
  responses: { 200: json(ScormAnswerSchema, 'The SCORM answer'), 400: problem('Invalid query'), ...common },
});

const setValueRoute = createRoute({
  method: 'post',
  path: '/{attemptId}/value',
  tags: ['runtime'],
  summary: 'SetValue / LMSSetValue, stored at once',
  security,
  request: {
    params: Params,
    body: body(
      z
        .object({ item: Item, element: z.string().max(1000), value: z.string() })
        .strict()
        .openapi('SetValue'),
    ),
  },
  responses: { 200: json(ScormAnswerSchema, 'The SCORM answer'), 400: problem('Invalid body'), ...common },
});

/** The body of POST /runtime/{attemptId}/commit, as documented. */
export const CommitRuntimeSchema = z
  .object({
    item: Item,
    diff: CommitDiffSchema.optional().openapi({
      description:
        'The batch of a local API; without it (a remote SCO whose SetValues are stored one by one) the call only answers as Commit would',
    }),
  })
  .strict()
  .openapi('CommitRuntime');

const commitRoute = createRoute({
  method: 'post',
  path: '/{attemptId}/commit',
  tags: ['runtime'],
  summary: 'Commit a batch of SetValues with its sequence number (all or nothing)',
  security,
  request: { params: Params, body: body(CommitRuntimeSchema) },
  responses: {
    200: json(
      ScormAnswerSchema.extend({ seq: z.number().int() }),
      'Stored (`seq` is the stored commit number; with no diff, the current one)',
    ),
    400: problem('Invalid body'),
    409: problem(
      'Refused without side effects: REPLAYED_COMMIT, STALE_COMMIT, SEQUENCE_GAP, SESSION_TERMINATED or SESSION_NOT_RUNNING; `currentSeq`, `errorCode`',
    ),
    422: problem('An operation fails the data model (INVALID_VALUE, with `element`, `op`, `errorCode`)'),
    ...common,
  },
});

const terminateRoute = createRoute({
  method: 'post',
  path: '/{attemptId}/terminate',
  tags: ['runtime'],
  summary: 'Terminate / LMSFinish: end the session (total time, evaluation, launch end, attempt status)',
  security,
  request: {
    params: Params,
    body: body(
      z
        .object({
          item: Item,
          diff: CommitDiffSchema.optional().openapi({
            description:
              'The final diff of a local API (terminated: true); without it the stored state is terminated',
          }),
        })
        .strict()
        .openapi('TerminateRuntime'),
    ),
  },
  responses: {
    200: json(ScormAnswerSchema, 'The SCORM answer'),
    400: problem('Invalid body'),
    409: problem('The final diff was refused without side effects'),
    422: problem('An operation of the final diff fails the data model'),
    ...common,
  },
});

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The token of `Authorization: Bearer <token>` (scheme in any case, any blanks around the token),
 * or `null`. The header a runtime sends, `Bearer <token>` with one space, is taken without a
 * regular expression.
 */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (header.startsWith('Bearer ') && header.length > 7) {
    let plain = true;
    for (let i = 7; i < header.length; i++) {
      const code = header.charCodeAt(i);
      // Anything \s or \S may not mean alike (blanks, controls, non-ASCII) takes the regex.
      if (code <= 0x20 || code >= 0x7f) {
        plain = false;
        break;
      }
    }
    if (plain) return header.slice(7);
  }
  return BEARER.exec(header)?.[1] ?? null;
}

/** `Authorization: Bearer <runtime token>` for the attempt named in the path. */
export function runtimeAuth(secret: string | Uint8Array): MiddlewareHandler<RuntimeEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === null) {
      throw new HttpProblem(
        'RUNTIME_TOKEN_INVALID',
        'Send the runtime token as "Authorization: Bearer <token>".',
        {
          headers: { 'www-authenticate': 'Bearer realm="scormflow-runtime"' },
        },
      );
    }
    const verified = await verifyRuntimeToken(token, secret);
    if (!verified.ok) {
      throw new HttpProblem(
        verified.error.code === 'expired' ? 'RUNTIME_TOKEN_EXPIRED' : 'RUNTIME_TOKEN_INVALID',
        verified.error.message,
        { headers: { 'www-authenticate': 'Bearer realm="scormflow-runtime", error="invalid_token"' } },
      );
    }
    if (verified.value.attemptId !== c.req.param('attemptId')) {
      throw new HttpProblem('RUNTIME_TOKEN_FORBIDDEN', 'The runtime token was issued for another attempt.');
    }
    c.set('runtime', verified.value);
    await next();
  };
}

const JSON_ANSWER = { 'Content-Type': 'application/json' } as const;

// The media type checks `openapi()` applies to a JSON body: its gate (415) and Hono's JSON validator.
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

/**
 * The commit body, checked as `openapi(commitRoute)` would check it and with the same answers
 * (path parameters, then the media type gate, then JSON, then the schema), but with
 * `checkCommitBody` instead of zod for the bodies that pass: the commit is the runtime's hottest
 * call. Whatever `checkCommitBody` does not accept goes to the zod schema, whose issues make the
 * 400 answer exactly as before.
 */
async function commitBody(c: Context<RuntimeEnv>, hook: AppDeps['validationHook']): Promise<CommitBody> {
  // The one path parameter, checked as `Params` checks it; zod answers only for a bad one.
  if (!ATTEMPT_ID.test(c.req.param('attemptId') ?? '')) {
    const params = Params.safeParse(c.req.param());
    if (!params.success) hook({ ...params, target: 'param' });
  }
  const contentType = c.req.header('content-type');
  // `application/json` as a runtime sends it passes both checks below.
  const plainJson = contentType === 'application/json';
  if (plainJson ? false : contentType ? !JSON_REQUEST.test(contentType) : await hasBody(c)) {
    throw new HTTPException(415, { message: 'Unsupported Media Type' });
  }
  let value: unknown = {};
  if (plainJson || (contentType && JSON_MEDIA.test(contentType.split(';')[0]!.trim().toLowerCase()))) {
    try {
      value = await c.req.json();
    } catch {
      throw new HTTPException(400, { message: 'Malformed JSON in request body' });
    }
  }
  const fast = checkCommitBody(value);
  if (fast) return fast;
  const result = await CommitRuntimeSchema.safeParseAsync(value);
  if (!result.success) hook({ ...result, target: 'json' });
  return result.data as CommitBody;
}

async function hasBody(c: Context<RuntimeEnv>): Promise<boolean> {
  if (c.req.raw.body === null) return false;
  return (await c.req.arrayBuffer()).byteLength > 0;
}

function refusalProblem(refusal: CommitRefusal): HttpProblem {
  const { reason, message, ...rest } = refusal;
  const invalid = reason === 'INVALID_VALUE' || reason === 'MALFORMED_DIFF';
  return new HttpProblem(invalid ? 'COMMIT_INVALID' : 'COMMIT_REJECTED', message, {
    extensions: { reason, ...rest },
  });
}

/**
 * The SCORM runtime over HTTP under `/api/v1/runtime/{attemptId}`, authorised by the attempt's
 * runtime token. Answers carry what the SCORM API would return (`result`, `errorCode`), so a
 * remote SCO behaves as it would against a local API.
 * @see SCORM 2004 4th Edition RTE 3.1 (API), SCORM 1.2 RTE 3.3 (API functions)
 */
export function runtimeRoutes(deps: AppDeps) {
  const service = deps.attempts;
  const app = new OpenAPIHono<RuntimeEnv>({ defaultHook: deps.validationHook });
  app.openAPIRegistry.registerComponent('securitySchemes', 'runtimeToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The runtime token of one attempt (from POST /api/v1/attempts/start)',
  });
  app.use('/:attemptId/*', runtimeAuth(deps.jwtSecret));
  if (deps.runtimeRateLimiter) {
    app.use(
      '/:attemptId/*',
      rateLimitMiddleware<RuntimeEnv>(
        deps.runtimeRateLimiter,
        (c) => `runtime:${c.get('runtime').tenantId}`,
        "The tenant's runtime rate limit",
      ),
    );
  }

  app
    .openapi(tokenRoute, async (c) => {
      const { tenantId, attemptId, learnerId, returnUrl } = c.get('runtime');
      await service.load(tenantId, attemptId);
      // Every signed claim but the expiry carries over, the return URL included.
      const { token, expiresAt } = await issueRuntimeToken(
        { tenantId, attemptId, learnerId, ...(returnUrl === undefined ? {} : { returnUrl }) },
        deps.jwtSecret,
      );
      return c.json({ runtimeToken: token, expiresAt: expiresAt.toISOString() }, 200);
    })
    .openapi(initializeRoute, async (c) => {
      const { tenantId, attemptId } = c.get('runtime');
      const { item } = c.req.valid('json');
      const opened = await service.initialize(tenantId, attemptId, item);
      return c.json(
        {
          result: 'true',
          errorCode: '0',
          item: opened.item.identifier,
          version: opened.ctx.version,
          launchId: opened.launchId,
          state: opened.state as unknown as Record<string, unknown>,
        },
        200,
      );
    })
    .openapi(getValueRoute, async (c) => {
      const { tenantId, attemptId } = c.get('runtime');
      const { item, element } = c.req.valid('query');
      return c.json(await service.getValue(tenantId, attemptId, item, element), 200);
    })
    .openapi(setValueRoute, async (c) => {
      const { tenantId, attemptId } = c.get('runtime');
      const { item, element, value } = c.req.valid('json');
      return c.json(await service.setValue(tenantId, attemptId, item, element, value), 200);
    });
  // Documented as `commitRoute`, served with the body check of `commitBody`.
  app.openAPIRegistry.registerPath(commitRoute);
  app.post('/:attemptId/commit', async (c) => {
    const { tenantId, attemptId } = c.get('runtime');
    const { item, diff } = await commitBody(c, deps.validationHook);
    if (diff === undefined) return c.json(await service.commitAnswer(tenantId, attemptId, item), 200);
    const done = await service.commit(tenantId, attemptId, item, diff);
    if (!done.ok) throw refusalProblem(done.refusal);
    // What `c.json({ result: 'true', errorCode: '0', seq }, 200)` answers (seq is an integer).
    return c.body(`{"result":"true","errorCode":"0","seq":${done.state.seq}}`, 200, JSON_ANSWER);
  });
  return app.openapi(terminateRoute, async (c) => {
    const { tenantId, attemptId } = c.get('runtime');
    const { item, diff } = c.req.valid('json');
    if (diff === undefined) return c.json(await service.terminate(tenantId, attemptId, item), 200);
    if (!diff.terminated) {
      throw new HttpProblem('VALIDATION_FAILED', 'The final diff must have terminated: true.', {
        extensions: { errors: [{ field: 'json.diff.terminated', message: 'must be true' }] },
      });
    }
    const done = await service.commit(tenantId, attemptId, item, diff);
    if (!done.ok) throw refusalProblem(done.refusal);
    return c.json({ result: 'true', errorCode: '0' }, 200);
  });
}
