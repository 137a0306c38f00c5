import { lrsStore, openDatabase } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, DEFAULT_TENANT_ID, loadEnv } from '../src/index.js';
import { createTestDatabase } from './postgres.js';
import { describeRoutes } from './route-suite.js';

const pg = await createTestDatabase('server_routes');
const startup = await createTestDatabase('server_start');
const withKey = await createTestDatabase('server_key');

describeRoutes(
  'Postgres and memory storage',
  'skip' in pg
    ? pg
    : {
        open: () => openDatabase(pg.url, { maxConnections: 4 }),
        storage: async () => memoryStorage(),
        dispose: () => pg.drop(),
      },
);

describe.skipIf('skip' in startup)('buildApp on Postgres', () => {
  const target = startup as Exclude<typeof startup, { skip: string }>;
  afterAll(() => target.drop());

  it('bootstraps once when several engines start together on an empty database', async () => {
    const env = loadEnv({ DATABASE_URL: target.url, JWT_SECRET: 'j'.repeat(40), STORAGE_DRIVER: 'memory' });
    const engines = await Promise.all([buildApp(env), buildApp(env), buildApp(env)]);
    try {
      const created = engines.filter((e) => e.bootstrap.created);
      expect(created).toHaveLength(1);
      expect(engines.every((e) => e.jwtSecret === 'j'.repeat(40) && e.jwtSecretFile === null)).toBe(true);
      expect(await engines[0]!.db.repos.apiKeys.list(DEFAULT_TENANT_ID)).toHaveLength(1);
      const secret = created[0]!.bootstrap.created ? created[0]!.bootstrap.secret : null;
      for (const engine of engines) {
        const res = await engine.app.request('/api/v1/courses', {
          headers: { authorization: `Bearer ${secret}` },
        });
        expect(res.status).toBe(200);
        // Statements get their stored time from their transaction, so the LRS answers
        // Consistent-Through for the writes of all three engines (see @scormflow/db).
        expect(typeof lrsStore(engine.db).consistentThrough).toBe('function');
      }
    } finally {
      await Promise.all(engines.map((e) => e.close()));
    }
  });
});

describe.skipIf('skip' in withKey)('SCORMFLOW_ADMIN_KEY on Postgres', () => {
  const target = withKey as Exclude<typeof withKey, { skip: string }>;
  afterAll(() => target.drop());

  it('makes the given secret the first admin key', async () => {
    const adminKey = 'sf_from_the_deployment_0123456789abcdef';
    const engine = await buildApp(
      loadEnv({
        DATABASE_URL: target.url,
        JWT_SECRET: 'j'.repeat(40),
        STORAGE_DRIVER: 'memory',
        SCORMFLOW_ADMIN_KEY: adminKey,
      }),
    );
    try {
      expect(engine.bootstrap).toMatchObject({ created: true, secret: null });
      const res = await engine.app.request('/api/v1/admin/api-keys', {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      expect(res.status).toBe(200);
      const { items } = (await res.json()) as { items: { name: string; prefix: string; role: string }[] };
      expect(items).toEqual([
        expect.objectContaining({
          name: 'SCORMFLOW_ADMIN_KEY',
          prefix: adminKey.slice(0, 11),
          role: 'admin',
        }),
      ]);
    } finally {
      await engine.close();
    }
  });
});
