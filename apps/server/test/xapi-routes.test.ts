import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, migrate, openDatabase, xapiCredentials } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, memoryRateLimiter, type ScormflowApp } from '../src/index.js';
import { xapiBasicAuth } from '../src/xapi/basic-auth.js';
import { createTestDatabase } from './postgres.js';

type Backend = { open(): Database; dispose(): Promise<void> } | { skip: string };

const V = { 'x-experience-api-version': '1.0.3' };
const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

function statement(actorName: string, verb = 'http://adlnet.gov/expapi/verbs/experienced') {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: 'https://lms.example.com', name: actorName } },
    verb: { id: verb, display: { 'en-US': 'experienced' } },
    object: { objectType: 'Activity', id: 'https://example.com/activities/intro' },
  };
}

function describeXapiRoutes(label: string, backend: Backend): void {
  describe.skipIf('skip' in backend)(`/xapi on ${label}`, () => {
    const b = backend as Exclude<Backend, { skip: string }>;
    let db: Database;
    let app: ScormflowApp;
    let limited: ScormflowApp;
    const creds: Record<'a' | 'b' | 'a2', { id: string; auth: string }> = {} as never;
    const tenantA = `a-${randomUUID().slice(0, 8)}`;
    const tenantB = `b-${randomUUID().slice(0, 8)}`;

    const req = async (
      target: ScormflowApp,
      path: string,
      auth: string | null,
      init: RequestInit = {},
    ): Promise<Response> =>
      target.request(path, {
        ...init,
        headers: { ...V, ...(auth ? { authorization: auth } : {}), ...(init.headers as object) },
      });

    beforeAll(async () => {
      db = b.open();
      await migrate(db);
      await db.repos.tenants.create({ id: tenantA, name: 'A' });
      await db.repos.tenants.create({ id: tenantB, name: 'B' });
      const make = async (tenant: string, name: string) => {
        const made = await xapiCredentials(db).create(tenant, {
          name,
          authority: (key) => ({
            objectType: 'Agent',
            account: { homePage: 'https://engine.test', name: key },
          }),
        });
        return { id: made.credential.id, auth: basic(made.credential.key, made.secret) };
      };
      creds.a = await make(tenantA, 'content A');
      creds.a2 = await make(tenantA, 'second A');
      creds.b = await make(tenantB, 'content B');
      // No credential cache: a revocation is visible to the very next request.
      app = createApp({ db, storage: memoryStorage(), rateLimiter: null, xapiCredentialCacheMs: 0 });
      // The LRS has a bucket of its own: the API limit does not apply to /xapi, nor the reverse.
      limited = createApp({
        db,
        storage: memoryStorage(),
        rateLimiter: memoryRateLimiter({ capacity: 1, refillPerSecond: 1e-6 }),
        xapiRateLimiter: memoryRateLimiter({ capacity: 2, refillPerSecond: 1e-6 }),
      });
    });
    afterAll(async () => {
      await db.close();
      await b.dispose();
    });

    it('stores with a credential of tenant A, sets its authority, and reads it back', async () => {
      const s = statement('learner-1');
      const post = await req(app, '/xapi/statements', creds.a.auth, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(s),
      });
      expect(post.status).toBe(200);
      expect(await post.json()).toEqual([s.id]);
      const got = await req(app, `/xapi/statements?statementId=${s.id}`, creds.a.auth);
      expect(got.status).toBe(200);
      expect(got.headers.get('x-experience-api-version')).toBe('1.0.3');
      const body = (await got.json()) as { authority: { account: { name: string } } };
      expect(body.authority.account.name).toMatch(/^xk_/);
    });

    it("isolates tenants: B's credentials never see A's statements or documents", async () => {
      const s = statement('learner-iso');
      await req(app, `/xapi/statements?statementId=${s.id}`, creds.a.auth, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(s),
      }).then((r) => expect(r.status).toBe(204));
      const agent = encodeURIComponent(JSON.stringify(s.actor));
      const stateQuery = `activityId=${encodeURIComponent('https://example.com/activities/intro')}&agent=${agent}&stateId=bookmark`;
      const put = await req(app, `/xapi/activities/state?${stateQuery}`, creds.a.auth, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ page: 3 }),
      });
      expect(put.status).toBe(204);
      const profileQuery = `activityId=${encodeURIComponent('https://example.com/activities/intro')}&profileId=p1`;
      const profile = await req(app, `/xapi/activities/profile?${profileQuery}`, creds.a.auth, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'if-none-match': '*' },
        body: JSON.stringify({ a: 1 }),
      });
      expect(profile.status).toBe(204);

      // Tenant A's second credential sees everything.
      expect((await req(app, `/xapi/statements?statementId=${s.id}`, creds.a2.auth)).status).toBe(200);
      const single = await req(app, `/xapi/activities/state?${stateQuery}`, creds.a2.auth);
      expect(single.status).toBe(200);
      // The id list says when its most recently modified document was (the store's listDocuments).
      const stateIds = await req(
        app,
        `/xapi/activities/state?${stateQuery.replace('&stateId=bookmark', '')}`,
        creds.a2.auth,
      );
      expect(await stateIds.json()).toEqual(['bookmark']);
      expect(stateIds.headers.get('last-modified')).toBe(single.headers.get('last-modified'));
      expect(stateIds.headers.get('last-modified')).not.toBeNull();

      // Tenant B sees nothing of it.
      expect((await req(app, `/xapi/statements?statementId=${s.id}`, creds.b.auth)).status).toBe(404);
      const listed = await req(app, `/xapi/statements?agent=${agent}`, creds.b.auth);
      expect(((await listed.json()) as { statements: unknown[] }).statements).toEqual([]);
      const all = await req(app, '/xapi/statements', creds.b.auth);
      expect(((await all.json()) as { statements: unknown[] }).statements).toEqual([]);
      expect((await req(app, `/xapi/activities/state?${stateQuery}`, creds.b.auth)).status).toBe(404);
      expect((await req(app, `/xapi/activities/profile?${profileQuery}`, creds.b.auth)).status).toBe(404);
      const ids = await req(
        app,
        `/xapi/activities/state?${stateQuery.replace('&stateId=bookmark', '')}`,
        creds.b.auth,
      );
      expect(await ids.json()).toEqual([]);
      expect(ids.headers.get('last-modified')).toBeNull();
      // The same statement id is free in tenant B: it is another tenant's LRS.
      const again = await req(app, '/xapi/statements', creds.b.auth, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...s, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } }),
      });
      expect(again.status).toBe(200);
      const fromA = (await (await req(app, `/xapi/statements?statementId=${s.id}`, creds.a.auth)).json()) as {
        verb: { id: string };
      };
      expect(fromA.verb.id).toBe('http://adlnet.gov/expapi/verbs/experienced');
    });

    it('answers 401 in the xAPI form to missing, wrong, bearer and revoked credentials', async () => {
      const wrong = basic('xk_unknown', 'nope');
      for (const auth of [null, wrong, 'Bearer sk_live_something', 'Basic !!!']) {
        const res = await req(app, '/xapi/statements', auth);
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
        expect(((await res.json()) as { status: number }).status).toBe(401);
      }
      const tenantCreds = await xapiCredentials(db).list(tenantA);
      expect(tenantCreds.some((c) => c.id === creds.a2.id)).toBe(true);
      expect((await req(app, '/xapi/statements', creds.a2.auth)).status).toBe(200);
      expect(await xapiCredentials(db).revoke(tenantA, creds.a2.id)).toBe(true);
      const revoked = await req(app, '/xapi/statements', creds.a2.auth);
      expect(revoked.status).toBe(401);
      // The other credential of the tenant still works.
      expect((await req(app, '/xapi/statements', creds.a.auth)).status).toBe(200);
    });

    it('takes credentials made and revoked through /api/v1/xapi/credentials', async () => {
      const admin = await db.repos.apiKeys.create(tenantB, { name: 'admin', role: 'admin' });
      const bearer = { authorization: `Bearer ${admin.secret}`, 'content-type': 'application/json' };
      const created = await app.request('/api/v1/xapi/credentials', {
        method: 'POST',
        headers: bearer,
        body: JSON.stringify({ name: 'from the API' }),
      });
      expect(created.status).toBe(201);
      const made = (await created.json()) as { id: string; key: string; secret: string };
      const auth = basic(made.key, made.secret);
      expect((await req(app, '/xapi/statements', auth)).status).toBe(200);
      const revoked = await app.request(`/api/v1/xapi/credentials/${made.id}`, {
        method: 'DELETE',
        headers: bearer,
      });
      expect(revoked.status).toBe(204);
      const after = await req(app, '/xapi/statements', auth);
      expect(after.status).toBe(401);
      expect(after.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('stays out of the API-key routes both ways', async () => {
      const api = await req(app, '/api/v1/courses', creds.a.auth);
      expect(api.status).toBe(401);
      expect(api.headers.get('content-type')).toBe('application/problem+json');
      const unknown = await req(app, '/xapi/no-such-resource', creds.a.auth);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
      expect(unknown.headers.get('x-experience-api-version')).toBe('1.0.3');
      // A GET that names no resource still says how current the Statements are (H.Communication1.4).
      expect(Date.parse(unknown.headers.get('x-experience-api-consistent-through') ?? '')).not.toBeNaN();
      const about = await app.request('/xapi/about');
      expect(about.status).toBe(200);
      expect(((await about.json()) as { version: string[] }).version).toContain('1.0.3');
      const openapi = (await (await app.request('/openapi.json')).json()) as { paths: object };
      expect(Object.keys(openapi.paths).filter((p) => p.startsWith('/xapi'))).toEqual([]);
    });

    it('keeps the per-tenant rate limit, answering 429 in the xAPI form', async () => {
      for (let i = 0; i < 2; i++) {
        const ok = await req(limited, '/xapi/statements', creds.b.auth);
        expect(ok.status).toBe(200);
        expect(ok.headers.get('ratelimit-remaining')).toBe(String(1 - i));
      }
      const refused = await req(limited, '/xapi/statements', creds.b.auth, {
        headers: { origin: 'https://content.example' },
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('access-control-allow-origin')).toBe('https://content.example');
      expect(((await refused.json()) as { status: number }).status).toBe(429);
      // Tenant A has a bucket of its own; unauthenticated calls are answered 401, not counted.
      expect((await req(limited, '/xapi/statements', creds.a.auth)).status).toBe(200);
      expect((await req(limited, '/xapi/statements', null)).status).toBe(401);
    });

    it('counts alternate-syntax requests against the tenant named by the form field', async () => {
      const form = new URLSearchParams({ Authorization: creds.b.auth, 'X-Experience-API-Version': '1.0.3' });
      const res = await limited.request('/xapi/statements?method=GET', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      expect(res.status).toBe(429);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'scormflow-xapi-'));
describeXapiRoutes('SQLite', {
  open: () => openDatabase(`file:${join(dir, 'xapi.db')}`),
  async dispose() {
    rmSync(dir, { recursive: true, force: true });
  },
});

const pg = await createTestDatabase('server_xapi');
describeXapiRoutes(
  'Postgres',
  'skip' in pg ? pg : { open: () => openDatabase(pg.url, { maxConnections: 4 }), dispose: () => pg.drop() },
);

describe('xapiBasicAuth cache', () => {
  const cdir = mkdtempSync(join(tmpdir(), 'scormflow-xapi-cache-'));
  let db: Database;
  beforeAll(async () => {
    db = openDatabase(`file:${join(cdir, 'cache.db')}`);
    await migrate(db);
    await db.repos.tenants.create({ id: 't1', name: 'T1' });
  });
  afterAll(async () => {
    await db.close();
    rmSync(cdir, { recursive: true, force: true });
  });

  it('trusts a verified credential for cacheMs, then sees its revocation', async () => {
    let clock = 1_000_000;
    const auth = xapiBasicAuth(db, { cacheMs: 5_000, now: () => clock });
    const made = await xapiCredentials(db).create('t1', {
      name: 'c',
      authority: { objectType: 'Agent', mbox: 'mailto:lrs@example.com' },
    });
    const header = basic(made.credential.key, made.secret);
    expect((await auth.principalOf(header))?.tenantId).toBe('t1');
    await xapiCredentials(db).revoke('t1', made.credential.id);
    clock += 4_999;
    expect((await auth.principalOf(header))?.tenantId).toBe('t1');
    clock += 2;
    expect(await auth.principalOf(header)).toBeNull();
  });

  it('never caches a failure, so a new credential works at once', async () => {
    const auth = xapiBasicAuth(db, { cacheMs: 60_000 });
    const made = await xapiCredentials(db).create('t1', {
      name: 'd',
      authority: { objectType: 'Agent', mbox: 'mailto:lrs@example.com' },
    });
    expect(await auth.principalOf(basic(made.credential.key, 'wrong'))).toBeNull();
    expect((await auth.principalOf(basic(made.credential.key, made.secret)))?.tenantId).toBe('t1');
    expect(await auth.principalOf(basic(made.credential.key, 'wrong'))).toBeNull();
    expect(await auth.principalOf('Basic bm9jb2xvbg==')).toBeNull();
  });
});
