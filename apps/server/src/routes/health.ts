import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth.js';

const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health');
const ReadySchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.object({ database: z.enum(['ok', 'unavailable']), storage: z.enum(['ok', 'unavailable']) }),
  })
  .openapi('Readiness');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Liveness: the process answers',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: HealthSchema } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary: 'Readiness: the database and the storage are reachable',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: ReadySchema } } },
    503: {
      description: 'A backing service is unreachable',
      content: { 'application/json': { schema: ReadySchema } },
    },
  },
});

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  try {
    await probe();
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

/** `GET /healthz` and `GET /readyz`, without authentication. */
export function healthRoutes(deps: AppDeps) {
  return new OpenAPIHono<AppEnv>()
    .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyz, async (c) => {
      const [database, storage] = await Promise.all([
        check(() => deps.db.ping()),
        // A head of a key that need not exist: a round trip that needs the store to be reachable.
        check(() => deps.storage.head('readyz/probe')),
      ]);
      const ok = database === 'ok' && storage === 'ok';
      const body = { status: ok ? ('ok' as const) : ('unavailable' as const), checks: { database, storage } };
      return ok ? c.json(body, 200) : c.json(body, 503);
    });
}
