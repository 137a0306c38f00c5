import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey, migrate, openDatabase } from '@scormflow/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, buildApp, DEFAULT_TENANT_ID, loadEnv, startServer } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scormflow-serve-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bootstrap', () => {
  it('creates the default tenant and one admin key on an empty database, once', async () => {
    const db = openDatabase(`file:${join(dir, 'boot.db')}`);
    try {
      await migrate(db);
      const first = await bootstrap(db);
      expect(first).toMatchObject({ created: true, tenantId: DEFAULT_TENANT_ID });
      const secret = first.created ? first.secret : null;
      expect(secret).toMatch(/^sf_/);
      const key = await db.repos.apiKeys.findByHash(hashApiKey(secret!));
      expect(key).toMatchObject({ tenantId: DEFAULT_TENANT_ID, role: 'admin' });
      expect(await bootstrap(db)).toEqual({ created: false });
      expect(await bootstrap(db, { adminKey: 'a'.repeat(40) })).toEqual({ created: false });
      expect(await db.repos.apiKeys.list(DEFAULT_TENANT_ID)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('uses SCORMFLOW_ADMIN_KEY as the first key and returns no secret', async () => {
    const db = openDatabase(`file:${join(dir, 'boot-key.db')}`);
    try {
      await migrate(db);
      const adminKey = 'sf_deploy_0123456789abcdefghijklmnop';
      const result = await bootstrap(db, { adminKey });
      expect(result).toMatchObject({ created: true, secret: null });
      const key = await db.repos.apiKeys.findByHash(hashApiKey(adminKey));
      expect(key).toMatchObject({
        tenantId: DEFAULT_TENANT_ID,
        role: 'admin',
        prefix: adminKey.slice(0, 11),
      });
    } finally {
      await db.close();
    }
  });
});

describe('buildApp and startServer', () => {
  it('starts the embedded default, prints the admin key on the first start only, and keeps the JWT secret', async () => {
    const env = loadEnv({
      PORT: '0',
      DATABASE_URL: join(dir, 'data', 'scormflow.db'),
      STORAGE_LOCAL_DIR: join(dir, 'data', 'blobs'),
    });
    const lines: string[] = [];
    const server = await startServer(env, (line) => lines.push(line));
    let secret: string;
    try {
      expect(lines.join('\n')).toContain('Its admin API key is shown this once');
      secret = lines.find((l) => l.trim().startsWith('sf_'))!.trim();
      expect(lines.at(-1)).toMatch(
        /^ScormFlow listening on http:\/\/127\.0\.0\.1:\d+ \(database: sqlite, storage: local\)$/,
      );
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const courses = await fetch(`${server.url}/api/v1/courses`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(courses.status).toBe(200);
    } finally {
      await server.close();
    }
    const jwtFile = join(dir, 'data', 'jwt-secret');
    const persisted = (await readFile(jwtFile, 'utf8')).trim();
    expect(persisted.length).toBeGreaterThanOrEqual(32);
    expect(lines.join('\n')).toContain(`using the generated secret in ${jwtFile}`);

    const again: string[] = [];
    const restarted = await startServer(env, (line) => again.push(line));
    try {
      expect(restarted.built.bootstrap).toEqual({ created: false });
      expect(restarted.built.jwtSecret).toBe(persisted);
      const res = await fetch(`${restarted.url}/api/v1/courses`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await restarted.close();
    }
    expect(again.some((l) => l.includes('sf_') || l.includes('admin API key'))).toBe(false);
  });

  it('uses JWT_SECRET when given and writes no secret file', async () => {
    const built = await buildApp(
      loadEnv({
        DATABASE_URL: join(dir, 'given', 'x.db'),
        STORAGE_DRIVER: 'memory',
        JWT_SECRET: 's'.repeat(32),
      }),
    );
    try {
      expect(built.jwtSecret).toBe('s'.repeat(32));
      expect(built.jwtSecretFile).toBeNull();
      await expect(readFile(join(dir, 'given', 'jwt-secret'))).rejects.toThrow();
    } finally {
      await built.close();
    }
  });
});

describe('bootstrap after an interrupted first start', () => {
  it('creates the missing admin key for an old default tenant without keys', async () => {
    const db = openDatabase(`file:${join(dir, 'orphan.db')}`);
    try {
      await migrate(db);
      // A first start that stopped between the tenant and its key, a while ago.
      if (db.dialect !== 'sqlite') throw new Error('expected SQLite');
      await db.repos.tenants.create({ id: DEFAULT_TENANT_ID, name: 'Default' });
      db.drizzle.$client
        .prepare('update tenant set created_at = ? where id = ?')
        .run(Date.now() - 3_600_000, DEFAULT_TENANT_ID);
      const result = await bootstrap(db);
      expect(result).toMatchObject({ created: true, tenantId: DEFAULT_TENANT_ID });
      expect(await db.repos.apiKeys.list(DEFAULT_TENANT_ID)).toHaveLength(1);
      expect(await bootstrap(db)).toEqual({ created: false });
    } finally {
      await db.close();
    }
  });
});
