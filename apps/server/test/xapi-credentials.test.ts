import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, migrate, openDatabase } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, createApp, type ScormflowApp } from '../src/index.js';
import { call } from './helpers.js';

interface CredentialBody {
  id: string;
  key: string;
  secret?: string;
  name: string;
  endpoint: string;
  authority: { objectType: string; name: string; account: { homePage: string; name: string } };
  createdAt: string;
  revokedAt: string | null;
}

const V = { 'x-experience-api-version': '1.0.3' };
const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

describe('/api/v1/xapi/credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scormflow-xapi-credentials-'));
  let db: Database;
  let app: ScormflowApp;
  let admin: string;
  let member: string;
  let otherAdmin: string;

  beforeAll(async () => {
    db = openDatabase(join(dir, 'db.sqlite'));
    await migrate(db);
    const boot = await bootstrap(db);
    if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
    admin = boot.secret;
    app = createApp({
      db,
      storage: memoryStorage(),
      rateLimiter: null,
      xapiCredentialCacheMs: 0,
      apiBaseUrl: 'https://engine.example.com/lms',
    });
    const made = await call(app, '/api/v1/admin/api-keys', {
      method: 'POST',
      key: admin,
      json: { name: 'member', role: 'member' },
    });
    member = ((await made.json()) as { secret: string }).secret;
    const tenant = await call(app, '/api/v1/admin/tenants', {
      method: 'POST',
      key: admin,
      json: { name: 'Other' },
    });
    otherAdmin = ((await tenant.json()) as { apiKey: { secret: string } }).apiKey.secret;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = async (key: string, name = 'Authoring tool') =>
    call(app, '/api/v1/xapi/credentials', { method: 'POST', key, json: { name } });

  it('creates a credential: key, secret once, endpoint and an authority naming the key', async () => {
    const response = await create(admin);
    expect(response.status).toBe(201);
    const body = (await response.json()) as CredentialBody;
    expect(body.endpoint).toBe('https://engine.example.com/lms/xapi/');
    expect(body.secret).toMatch(/^xs_/);
    expect(body.authority).toEqual({
      objectType: 'Agent',
      name: 'Authoring tool',
      account: { homePage: 'https://engine.example.com/lms/xapi', name: body.key },
    });
    expect(body.revokedAt).toBeNull();
    const listed = await call(app, '/api/v1/xapi/credentials', { key: member });
    expect(listed.status).toBe(200);
    const items = ((await listed.json()) as { items: CredentialBody[] }).items;
    const found = items.find((item) => item.id === body.id);
    expect(found).toEqual({ ...body, secret: undefined });
    expect(JSON.stringify(items)).not.toContain(body.secret);
  });

  it('the credential works on /xapi until it is revoked', async () => {
    const body = (await (await create(admin)).json()) as CredentialBody;
    const auth = basic(body.key, body.secret!);
    const about = () => app.request('/xapi/statements?limit=1', { headers: { ...V, authorization: auth } });
    expect((await about()).status).toBe(200);
    const revoked = await call(app, `/api/v1/xapi/credentials/${body.id}`, { method: 'DELETE', key: admin });
    expect(revoked.status).toBe(204);
    expect((await about()).status).toBe(401);
    const again = await call(app, `/api/v1/xapi/credentials/${body.id}`, { method: 'DELETE', key: admin });
    expect(again.status).toBe(404);
    const listed = (
      (await (await call(app, '/api/v1/xapi/credentials', { key: admin })).json()) as {
        items: CredentialBody[];
      }
    ).items;
    expect(listed.find((item) => item.id === body.id)?.revokedAt).not.toBeNull();
  });

  it('creating and revoking need an admin key; listing needs a key', async () => {
    expect((await create(member)).status).toBe(403);
    const body = (await (await create(admin)).json()) as CredentialBody;
    const del = await call(app, `/api/v1/xapi/credentials/${body.id}`, { method: 'DELETE', key: member });
    expect(del.status).toBe(403);
    expect((await call(app, '/api/v1/xapi/credentials')).status).toBe(401);
    expect(
      (await call(app, '/api/v1/xapi/credentials', { method: 'POST', json: { name: 'x' } })).status,
    ).toBe(401);
  });

  it("a tenant neither lists nor revokes another tenant's credentials", async () => {
    const body = (await (await create(admin, 'mine')).json()) as CredentialBody;
    const theirs = (await (await call(app, '/api/v1/xapi/credentials', { key: otherAdmin })).json()) as {
      items: CredentialBody[];
    };
    expect(theirs.items.map((item) => item.id)).not.toContain(body.id);
    const del = await call(app, `/api/v1/xapi/credentials/${body.id}`, { method: 'DELETE', key: otherAdmin });
    expect(del.status).toBe(404);
    expect(((await del.json()) as { code: string }).code).toBe('API_KEY_NOT_FOUND');
  });

  it('refuses a body without a name or with unknown fields', async () => {
    for (const json of [{}, { name: '' }, { name: 'x', tenantId: 'other' }]) {
      const response = await call(app, '/api/v1/xapi/credentials', { method: 'POST', key: admin, json });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    }
  });
});
