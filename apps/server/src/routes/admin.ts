import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppDeps } from '../app.js';
import { type AppEnv, requireAdmin } from '../auth.js';
import { DEFAULT_TENANT_ID } from '../bootstrap.js';
import { apiKeyDto, tenantDto } from '../dto.js';
import { HttpProblem } from '../errors.js';
import { ApiKeySchema, CreatedApiKeySchema, problem, TenantSchema } from '../schemas.js';

const security = [{ apiKey: [] }];
const common = {
  401: problem('Missing, unknown or revoked API key'),
  403: problem('The key is not an admin key'),
  429: problem('Rate limit of the tenant exceeded'),
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const CreateTenantBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Acme Corp' }),
    adminKeyName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'Name of its first admin key' }),
  })
  .strict()
  .openapi('CreateTenant');

const CreateKeyBody = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'LMS backend' }),
    role: z.enum(['admin', 'member']).default('member'),
  })
  .strict()
  .openapi('CreateApiKey');

const createTenant = createRoute({
  method: 'post',
  path: '/tenants',
  tags: ['admin'],
  summary: 'Create a tenant and its first admin key (admin keys of the default tenant only)',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: CreateTenantBody } } } },
  responses: {
    201: json(
      z.object({ tenant: TenantSchema, apiKey: CreatedApiKeySchema }),
      'The tenant and its admin key',
    ),
    400: problem('Invalid body'),
    415: problem('The body is not application/json'),
    ...common,
  },
});

const listKeys = createRoute({
  method: 'get',
  path: '/api-keys',
  tags: ['admin'],
  summary: "List the tenant's API keys (revoked ones included; never the secrets)",
  security,
  responses: { 200: json(z.object({ items: z.array(ApiKeySchema) }), 'The keys, oldest first'), ...common },
});

const createKey = createRoute({
  method: 'post',
  path: '/api-keys',
  tags: ['admin'],
  summary: 'Create an API key for the tenant; the secret is in this answer only',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: CreateKeyBody } } } },
  responses: {
    201: json(CreatedApiKeySchema, 'The new key with its secret'),
    400: problem('Invalid body'),
    415: problem('The body is not application/json'),
    ...common,
  },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/api-keys/{keyId}',
  tags: ['admin'],
  summary: 'Revoke an API key of the tenant',
  security,
  request: { params: z.object({ keyId: z.string().min(1).max(100) }) },
  responses: {
    204: { description: 'Revoked' },
    404: problem('No such unrevoked key in this tenant'),
    ...common,
  },
});

/** Admin routes under `/api/v1/admin`: tenants and API keys. Every route needs an admin key. */
export function adminRoutes(deps: AppDeps) {
  const { repos } = deps.db;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: deps.validationHook });
  app.use('*', requireAdmin());
  return app
    .openapi(createTenant, async (c) => {
      if (c.get('auth').tenantId !== DEFAULT_TENANT_ID) {
        throw new HttpProblem('FORBIDDEN', 'Only admin keys of the default tenant create tenants.');
      }
      const body = c.req.valid('json');
      const tenant = await repos.tenants.create({ name: body.name });
      const { key, secret } = await repos.apiKeys.create(tenant.id, {
        name: body.adminKeyName ?? 'admin',
        role: 'admin',
      });
      return c.json({ tenant: tenantDto(tenant), apiKey: { ...apiKeyDto(key), secret } }, 201);
    })
    .openapi(listKeys, async (c) => {
      const keys = await repos.apiKeys.list(c.get('auth').tenantId);
      return c.json({ items: keys.map(apiKeyDto) }, 200);
    })
    .openapi(createKey, async (c) => {
      const body = c.req.valid('json');
      const { key, secret } = await repos.apiKeys.create(c.get('auth').tenantId, body);
      return c.json({ ...apiKeyDto(key), secret }, 201);
    })
    .openapi(revokeKey, async (c) => {
      const { keyId } = c.req.valid('param');
      if (!(await repos.apiKeys.revoke(c.get('auth').tenantId, keyId))) {
        throw new HttpProblem('API_KEY_NOT_FOUND', `The tenant has no unrevoked API key "${keyId}".`);
      }
      return c.body(null, 204);
    });
}
