import { testStatement } from '@scormflow/lrs/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, lrsStore, migrate, openDatabase } from '../src/index.js';
import { createTestDatabase, probeTestPostgres, type TestDatabase } from './postgres.js';

const pg = await probeTestPostgres();
const T = { tenantId: 'tenant-prepared' };
const verb = 'http://example.com/verbs/prepared';

/** Prepared statements of the one pooled connection (`maxConnections: 1`), by their text. */
async function preparedOf(db: Database): Promise<string[]> {
  if (db.dialect !== 'postgres') throw new Error('a Postgres database is needed');
  const rows = await db.drizzle.$client<
    { statement: string }[]
  >`select statement from pg_prepared_statements`;
  return rows.map((row) => row.statement);
}

/** A batch of 20 statements through the LRS store, then a query. */
async function insertBatch(db: Database): Promise<void> {
  const batch = Array.from({ length: 20 }, (_, k) => testStatement({ id: 100 + k, verb }));
  expect(await lrsStore(db).insertStatements(T, batch)).toEqual({ ok: true });
  expect((await lrsStore(db).queryStatements(T, { limit: 50, verb })).records).toHaveLength(20);
}

/** Three single-statement inserts through the LRS store. */
async function insertSingles(db: Database): Promise<void> {
  for (let n = 1; n <= 3; n++) {
    expect(await lrsStore(db).insertStatements(T, [testStatement({ id: n, verb })])).toEqual({ ok: true });
  }
}

const inserts = (texts: string[]) => texts.filter((text) => text.includes('insert into lrs_statement ('));

describe.skipIf('skip' in pg)('Postgres LRS queries and prepared statements', () => {
  const targets: TestDatabase[] = [];
  const open = async (suffix: string) => {
    const target = await createTestDatabase((pg as { adminUrl: string }).adminUrl, 'prepared');
    targets.push(target);
    const db = openDatabase(`${target.url}${suffix}`, { maxConnections: 1 });
    await migrate(db);
    await db.repos.tenants.create({ id: T.tenantId, name: 'prepared' });
    return db;
  };
  const opened: Database[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
    for (const target of targets) await target.drop();
  });

  it('prepares the queries of small inserts and of reads once per connection, not those of batches', async () => {
    const db = await open('');
    opened.push(db);
    await insertBatch(db);
    const afterBatch = await preparedOf(db);
    // The query of the batch ran, unprepared; the filtered query's were prepared.
    expect(inserts(afterBatch)).toEqual([]);
    expect(afterBatch.some((text) => text.includes('from lrs_key'))).toBe(true);
    await insertSingles(db);
    const prepared = await preparedOf(db);
    expect(inserts(prepared)).toHaveLength(1);
    expect(prepared.some((text) => text.includes('select pg_advisory_xact_lock'))).toBe(true);
    // Each query text once, however many single inserts ran.
    expect(new Set(prepared).size).toBe(prepared.length);
  });

  it('prepares nothing with ?prepare=false in the URL (PgBouncer in transaction mode)', async () => {
    const db = await open('?prepare=false');
    opened.push(db);
    await insertBatch(db);
    await insertSingles(db);
    expect(await preparedOf(db)).toEqual([]);
  });
});
