import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../src/index.js';
import { createTestDatabase } from './postgres.js';
import { describeRepositories } from './repository-suite.js';

const pg = await createTestDatabase('repos');
const fresh = await createTestDatabase('migrate');

describeRepositories('Postgres', () =>
  'skip' in pg
    ? pg
    : { url: pg.url, open: () => openDatabase(pg.url, { maxConnections: 4 }), dispose: () => pg.drop() },
);

describe.skipIf('skip' in fresh)('Postgres start-up', () => {
  const target = fresh as Exclude<typeof fresh, { skip: string }>;
  afterAll(() => target.drop());

  it('applies the migrations once when several processes start at the same time', async () => {
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
