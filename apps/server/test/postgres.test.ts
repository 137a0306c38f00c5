import { lrsStore, openDatabase, xapiCredentials } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildApp, DEFAULT_TENANT_ID, loadEnv } from '../src/index.js';
import { createTestDatabase } from './postgres.js';
import { describeRoutes } from './route-suite.js';

const pg = await createTestDatabase('server_routes');
const startup = await createTestDatabase('server_start');
const withKey = await createTestDatabase('server_key');
const replicas = await createTestDatabase('server_replicas');

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

describe.skipIf('skip' in replicas)('two engines on one Postgres database', () => {
  const target = replicas as Exclude<typeof replicas, { skip: string }>;
  afterAll(() => target.drop());

  it("never promises, in one engine's Consistent-Through, a statement the other is still writing", async () => {
    const env = loadEnv({ DATABASE_URL: target.url, JWT_SECRET: 'j'.repeat(40), STORAGE_DRIVER: 'memory' });
    const [a, b] = await Promise.all([buildApp(env), buildApp(env)]);
    const locker = openDatabase(target.url, { maxConnections: 2 });
    if (locker.dialect !== 'postgres') throw new Error('Postgres only');
    try {
      const made = await xapiCredentials(a.db).create(DEFAULT_TENANT_ID, {
        name: 'replicas',
        authority: { objectType: 'Agent', account: { homePage: 'https://engine.test', name: 'replicas' } },
      });
      const headers = {
        authorization: `Basic ${Buffer.from(`${made.credential.key}:${made.secret}`).toString('base64')}`,
        'x-experience-api-version': '1.0.3',
      };
      const id = '7d1b0c52-3f5e-4a8e-9c1a-2b6f0e4d9a11';
      const statement = {
        id,
        actor: { mbox: 'mailto:learner@example.com' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
        object: { id: 'http://example.com/activities/replicas' },
      };
      // Statement rows cannot be written while another session holds this lock; reads can.
      const holder = await locker.drizzle.$client.reserve();
      await holder`begin`;
      await holder`lock table lrs_statement in exclusive mode`;
      let held = true;
      const release = async () => {
        if (!held) return;
        held = false;
        await holder`commit`;
        holder.release();
      };
      try {
        const posted = a.app.request('/xapi/statements', {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(statement),
        });
        await vi.waitFor(
          async () => {
            const [row] = await locker.drizzle.$client<{ n: number }[]>`
              select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`;
            expect(row!.n).toBe(1);
          },
          { timeout: 5000, interval: 20 },
        );
        const answer = await b.app.request('/xapi/statements', { headers });
        expect(answer.status).toBe(200);
        const through = Date.parse(answer.headers.get('x-experience-api-consistent-through')!);
        await release();
        expect((await posted).status).toBe(200);
        const read = await b.app.request(`/xapi/statements?statementId=${id}`, { headers });
        const stored = Date.parse(((await read.json()) as { stored: string }).stored);
        // Not committed when B answered: its stored time is after what B promised.
        expect(stored).toBeGreaterThan(through);
      } finally {
        await release();
      }
    } finally {
      await locker.close();
      await Promise.all([a.close(), b.close()]);
    }
  });
});
