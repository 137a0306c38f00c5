import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../src/index.js';
import { createTestDatabase, probeTestPostgres } from './postgres.js';
import { describeRepositories } from './repository-suite.js';
import { checkUpgradeFromFirstMigration } from './upgrade.js';

const pg = await probeTestPostgres();

describeRepositories(
  'Postgres',
  'skip' in pg
    ? pg
    : {
        options: { maxConnections: 4 },
        async setup() {
          const db = await createTestDatabase(pg.adminUrl, 'repos');
          return { url: db.url, dispose: () => db.drop() };
        },
      },
);

describe.skipIf('skip' in pg)('Postgres start-up', () => {
  const adminUrl = 'skip' in pg ? '' : pg.adminUrl;

  it('applies the migrations once when several processes start at the same time', async () => {
    const target = await createTestDatabase(adminUrl, 'migrate');
    const starters = [openDatabase(target.url), openDatabase(target.url), openDatabase(target.url)];
    try {
      await Promise.all(starters.map((db) => migrate(db)));
      const first = starters[0]!;
      if (first.dialect !== 'postgres') throw new Error('expected Postgres');
      const rows = await first.drizzle.execute<{ n: string }>(
        sql`select count(*) as n from drizzle.__drizzle_migrations`,
      );
      const journal = (await import('../drizzle/pg/meta/_journal.json', { with: { type: 'json' } })).default;
      expect(Number(rows[0]?.n)).toBe(journal.entries.length);
      await first.ping();
      expect((await first.repos.tenants.create({ name: 'up' })).name).toBe('up');
    } finally {
      await Promise.all(starters.map((db) => db.close()));
      await target.drop();
    }
  });

  it('upgrades a database made with the first migration', async () => {
    const target = await createTestDatabase(adminUrl, 'upgrade');
    const db = openDatabase(target.url);
    try {
      await checkUpgradeFromFirstMigration(db);
    } finally {
      await db.close();
      await target.drop();
    }
  });

  it('rejects ping when the server is unreachable', async () => {
    const db = openDatabase('postgres://nobody:nothing@127.0.0.1:1/none');
    try {
      await expect(db.ping()).rejects.toThrow();
    } finally {
      await db.close();
    }
  });
});
