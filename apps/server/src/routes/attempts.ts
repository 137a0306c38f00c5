import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { isDbError, type Learner } from '@scormflow/db';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth.js';
import { HttpProblem } from '../errors.js';
import { contentUrlsFor } from '../player/content-urls.js';
import { attemptDto, interactionDto, launchDto, objectiveDto, scoRuntimeDto } from '../runtime/dto.js';
import { issueRuntimeToken } from '../runtime/runtime-token.js';
import { AttemptDetailSchema, AttemptSchema, StartedAttemptSchema } from '../runtime/schemas.js';
import { problem } from '../schemas.js';

const security = [{ apiKey: [] }];
const common = {
  401: problem('Missing, unknown or revoked API key'),
  429: problem('Rate limit of the tenant exceeded'),
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const Id = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an id is 1 to 64 letters, digits and dashes');
const AttemptId = Id.openapi({ param: { name: 'attemptId', in: 'path' } });

const StartBody = z
  .object({
    courseId: Id,
    learner: z
      .object({
        id: z.string().trim().min(1).max(255).openapi({ description: "The learner's id in your system" }),
        name: z.string().max(255).optional(),
      })
      .strict(),
    returnUrl: z
      .string()
      .max(2048)
      .refine(
        (v) => {
          if (!URL.canParse(v)) return false;
          const u = new URL(v);
          return /^https?:$/.test(u.protocol) && u.username === '' && u.password === '';
        },
        { message: 'an absolute http(s) URL without user name or password' },
      )
      .optional()
      .openapi({
        description:
          'Where the player sends the learner when the attempt ends (exit, suspend, all done). Signed into the runtime token, so a launch link cannot be made to redirect elsewhere.',
        example: 'https://lms.example.com/courses/42',
      }),
  })
  .strict()
  .openapi('StartAttempt');

const startRoute = createRoute({
  method: 'post',
  path: '/start',
  tags: ['attempts'],
  summary: "Start a learner's attempt on the latest course version, or resume their suspended one",
  security,
  request: { body: { required: true, content: { 'application/json': { schema: StartBody } } } },
  responses: {
    200: json(StartedAttemptSchema, 'The resumed attempt'),
    201: json(StartedAttemptSchema, 'A new attempt'),
    400: problem('Invalid body'),
    404: problem('No such course'),
    415: problem('The body is not application/json'),
    422: problem('The course is not a SCORM package'),
    ...common,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['attempts'],
  summary: "The tenant's attempts, newest first, by course and/or learner",
  security,
  request: {
    query: z
      .object({
        courseId: Id.optional(),
        learnerId: z
          .string()
          .min(1)
          .max(255)
          .optional()
          .openapi({ description: "The learner's external id" }),
        limit: z.coerce.number().int().min(1).max(100).default(20),
        cursor: z.string().min(1).max(512).optional(),
      })
      .strict(),
  },
  responses: {
    200: json(
      z.object({ items: z.array(AttemptSchema), nextCursor: z.string().nullable() }).openapi('AttemptPage'),
      'One page',
    ),
    400: problem('Invalid filter, limit or cursor'),
    ...common,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{attemptId}',
  tags: ['attempts'],
  summary: 'An attempt in full: summary, per-SCO runtime state, objectives, interactions, launches',
  security,
  request: { params: z.object({ attemptId: AttemptId }) },
  responses: {
    200: json(AttemptDetailSchema, 'The attempt'),
    400: problem('Invalid id'),
    404: problem('No such attempt'),
    ...common,
  },
});

const finishRoute = createRoute({
  method: 'post',
  path: '/{attemptId}/finish',
  tags: ['attempts'],
  summary: 'Force-terminate an attempt: end running SCO sessions as Terminate would, then close it',
  security,
  request: { params: z.object({ attemptId: AttemptId }) },
  responses: {
    200: json(AttemptSchema, 'The closed attempt'),
    400: problem('Invalid id'),
    404: problem('No such attempt'),
    409: problem('The attempt is already completed or terminated'),
    ...common,
  },
});

/** Attempt routes under `/api/v1/attempts`. */
export function attemptRoutes(deps: AppDeps) {
  const { repos } = deps.db;
  const service = deps.attempts;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: deps.validationHook });

  const learnersOf = async (tenantId: string, ids: string[]) => {
    const out = new Map<string, Learner>();
    for (const id of new Set(ids)) {
      const l = await repos.learners.get(tenantId, id);
      if (l) out.set(id, l);
    }
    return out;
  };
  const unknownLearner = { externalId: '', name: null };

  return app
    .openapi(startRoute, async (c) => {
      const { tenantId } = c.get('auth');
      const body = c.req.valid('json');
      const { ctx, resumed } = await service.start(tenantId, body);
      const { attempt } = ctx;
      const { token, expiresAt } = await issueRuntimeToken(
        {
          tenantId,
          attemptId: attempt.id,
          learnerId: attempt.learnerId,
          ...(body.returnUrl === undefined ? {} : { returnUrl: new URL(body.returnUrl).href }),
        },
        deps.jwtSecret,
      );
      const content = await contentUrlsFor(deps, ctx, c.req.url);
      const scos = ctx.scos.map((i) => ({
        identifier: i.identifier,
        title: i.title,
        launchUrl: i.launchUrl === null ? null : content.url(i.launchUrl),
      }));
      return c.json(
        {
          attempt: attemptDto(attempt, ctx.learner),
          resumed,
          launchUrl: `${deps.apiBaseUrl}/play/${attempt.id}?token=${encodeURIComponent(token)}`,
          runtimeToken: token,
          expiresAt: expiresAt.toISOString(),
          scos,
        },
        resumed ? 200 : 201,
      );
    })
    .openapi(listRoute, async (c) => {
      const { tenantId } = c.get('auth');
      const { courseId, learnerId, limit, cursor } = c.req.valid('query');
      let internalLearner: string | undefined;
      if (learnerId !== undefined) {
        const learner = await repos.learners.findByExternalId(tenantId, learnerId);
        if (!learner) return c.json({ items: [], nextCursor: null }, 200);
        internalLearner = learner.id;
      }
      let page: Awaited<ReturnType<typeof repos.attempts.list>>;
      try {
        page = await repos.attempts.list(tenantId, {
          limit,
          cursor: cursor ?? null,
          ...(courseId === undefined ? {} : { courseId }),
          ...(internalLearner === undefined ? {} : { learnerId: internalLearner }),
        });
      } catch (error) {
        if (isDbError(error) && error.code === 'DB_INVALID_CURSOR') {
          throw new HttpProblem('VALIDATION_FAILED', 'The cursor is not one this API returned.', {
            extensions: { errors: [{ field: 'query.cursor', message: 'invalid cursor' }] },
          });
        }
        throw error;
      }
      const learners = await learnersOf(
        tenantId,
        page.items.map((a) => a.learnerId),
      );
      return c.json(
        {
          items: page.items.map((a) => attemptDto(a, learners.get(a.learnerId) ?? unknownLearner)),
          nextCursor: page.nextCursor,
        },
        200,
      );
    })
    .openapi(getRoute, async (c) => {
      const { tenantId } = c.get('auth');
      const { attemptId } = c.req.valid('param');
      const ctx = await service.load(tenantId, attemptId);
      const [states, objectives, interactions, launches] = await Promise.all([
        repos.scoStates.listByAttempt(tenantId, attemptId),
        repos.scoStates.objectives(tenantId, attemptId),
        repos.scoStates.interactions(tenantId, attemptId),
        repos.launches.listByAttempt(tenantId, attemptId),
      ]);
      const byItem = new Map(states.map((s) => [s.itemIdentifier, s]));
      return c.json(
        {
          ...attemptDto(ctx.attempt, ctx.learner),
          scos: ctx.scos.map((i) => scoRuntimeDto(i, byItem.get(i.identifier))),
          objectives: objectives.map(objectiveDto),
          interactions: interactions.map(interactionDto),
          launches: launches.map(launchDto),
        },
        200,
      );
    })
    .openapi(finishRoute, async (c) => {
      const { tenantId } = c.get('auth');
      const { attemptId } = c.req.valid('param');
      const ctx = await service.load(tenantId, attemptId);
      const attempt = await service.finish(tenantId, attemptId);
      return c.json(attemptDto(attempt, ctx.learner), 200);
    });
}
