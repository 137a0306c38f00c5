import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type XapiCredential, xapiCredentials } from '@scormflow/db';
import type { AppDeps } from '../app.js';
import { type AppEnv, requireAdmin } from '../auth.js';
import { HttpProblem } from '../errors.js';
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

const XapiCredentialSchema = z
  .object({
    id: z.string(),
    key: z.string().openapi({ description: 'The Basic user name of the credential' }),
    name: z.string(),
    endpoint: z.string().openapi({
      description: 'The xAPI endpoint to send the credential to',
      example: 'https://engine.example.com/xapi/',
    }),
    authority: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'The Agent the LRS sets as `authority` of the statements stored with it' }),
    createdAt: z.string().datetime(),
    revokedAt: z.string().datetime().nullable(),
  })
  .openapi('XapiCredential');

const CreatedXapiCredentialSchema = XapiCredentialSchema.extend({
  secret: z.string().openapi({ description: 'The Basic password. Shown once; only its hash is stored.' }),
}).openapi('CreatedXapiCredential');

const CreateBody = z
  .object({ name: z.string().trim().min(1).max(200).openapi({ example: 'Authoring tool' }) })
  .strict()
  .openapi('CreateXapiCredential');

const create = createRoute({
  method: 'post',
  path: '/',
  tags: ['xapi'],
  summary: 'Create Basic credentials of the xAPI endpoint for the tenant; the secret is in this answer only',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: CreateBody } } } },
  responses: {
    201: json(CreatedXapiCredentialSchema, 'The credential with its secret and the endpoint'),
    400: problem('Invalid body'),
    403: problem('The key is not an admin key'),
    415: problem('The body is not application/json'),
    ...common,
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  tags: ['xapi'],
  summary: "List the tenant's xAPI credentials (revoked ones included; never the secrets)",
  security,
  responses: {
    200: json(z.object({ items: z.array(XapiCredentialSchema) }), 'The credentials, oldest first'),
    ...common,
  },
});

const revoke = createRoute({
  method: 'delete',
  path: '/{credentialId}',
  tags: ['xapi'],
  summary: 'Revoke an xAPI credential of the tenant',
  security,
  request: { params: z.object({ credentialId: z.string().min(1).max(100) }) },
  responses: {
    204: { description: 'Revoked' },
    403: problem('The key is not an admin key'),
    404: problem('No such unrevoked credential in this tenant'),
    ...common,
  },
});

/**
 * Routes under `/api/v1/xapi/credentials`: the Basic credentials content and clients use on the
 * `/xapi` endpoint. Creating and revoking need an admin key, listing any key of the tenant. A
 * credential's authority is an Agent whose account is the credential's key on this engine.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#43-authentication
 */
export function xapiCredentialRoutes(deps: AppDeps) {
  const credentials = xapiCredentials(deps.db);
  const app = new OpenAPIHono<AppEnv>({ defaultHook: deps.validationHook });
  // The public base of the engine, or the origin the request came to when none is configured.
  const baseOf = (url: string) => deps.apiBaseUrl || new URL(url).origin;
  const dto = (credential: XapiCredential, base: string) => ({
    id: credential.id,
    key: credential.key,
    name: credential.name,
    endpoint: `${base}/xapi/`,
    authority: credential.authority,
    createdAt: credential.createdAt.toISOString(),
    revokedAt: credential.revokedAt?.toISOString() ?? null,
  });
  app.use('/', async (c, next) => (c.req.method === 'POST' ? requireAdmin()(c, next) : next()));
  app.use('/:credentialId', requireAdmin());
  return app
    .openapi(create, async (c) => {
      const { name } = c.req.valid('json');
      const base = baseOf(c.req.url);
      const { credential, secret } = await credentials.create(c.get('auth').tenantId, {
        name,
        authority: (key) => ({ objectType: 'Agent', name, account: { homePage: `${base}/xapi`, name: key } }),
      });
      return c.json({ ...dto(credential, base), secret }, 201);
    })
    .openapi(list, async (c) => {
      const base = baseOf(c.req.url);
      const items = await credentials.list(c.get('auth').tenantId);
      return c.json({ items: items.map((credential) => dto(credential, base)) }, 200);
    })
    .openapi(revoke, async (c) => {
      const { credentialId } = c.req.valid('param');
      if (!(await credentials.revoke(c.get('auth').tenantId, credentialId))) {
        throw new HttpProblem(
          'API_KEY_NOT_FOUND',
          `The tenant has no unrevoked xAPI credential "${credentialId}".`,
        );
      }
      return c.body(null, 204);
    });
}
