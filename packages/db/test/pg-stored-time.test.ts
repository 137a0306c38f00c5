import { testStatement } from '@scormflow/lrs/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Database, lrsStore, migrate, openDatabase } from '../src/index.js';
import { LRS_LOCK_CLASS } from '../src/lrs/pg-lrs-store.js';
import { createTestDatabase, probeTestPostgres, type TestDatabase } from './postgres.js';

const pg = await probeTestPostgres();
const T = { tenantId: 'tenant-stored-time' };

/**
 * Two engine processes on one Postgres database, as two pools: a statement write of one that is
 * still under way must not be promised by the other's Consistent-Through.
 */
describe.skipIf('skip' in pg)("Postgres LRS with lrsStoredTime 'transaction'", () => {
  let target: TestDatabase;
  let a: Database;
  let b: Database;
  let plain: Database;
  let locker: postgres.Sql;
  beforeAll(async () => {
    target = await createTestDatabase((pg as { adminUrl: string }).adminUrl, 'stored_time');
    a = openDatabase(target.url, { maxConnections: 2, lrsStoredTime: 'transaction' });
    await migrate(a);
    await a.repos.tenants.create({ id: T.tenantId, name: 'stored time' });
    b = openDatabase(target.url, { maxConnections: 2, lrsStoredTime: 'transaction' });
    plain = openDatabase(target.url, { maxConnections: 1 });
    locker = postgres(target.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await locker?.end({ timeout: 5 });
    for (const db of [a, b, plain]) await db?.close();
    await target?.drop();
  });

  it('answers Consistent-Through before a statement another process is still writing', async () => {
    const storeA = lrsStore(a);
    const storeB = lrsStore(b);
    // A request that waited a minute before its write: its stamp is that old.
    const given = new Date(Date.now() - 60_000).toISOString();
    const statement = testStatement({ id: 1, stored: given });
    // Another session holds the tenant's statement lock: A's write opens its transaction and waits.
    const holder = await locker.reserve();
    await holder`begin`;
    await holder`select pg_advisory_xact_lock(${LRS_LOCK_CLASS}, hashtext(${T.tenantId}))`;
    const release = async () => {
      await holder`commit`;
      holder.release();
    };
    const write = storeA.insertStatements(T, [statement]);
    await vi
      .waitFor(
        async () => {
          if (plain.dialect !== 'postgres') throw new Error('Postgres only');
          // Not on `locker`: its one connection is the holder's.
          const [row] = await plain.drizzle.$client.unsafe<{ n: number }[]>(
            `select count(*)::int as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock' and query like '%pg_advisory_xact_lock%'`,
          );
          expect(row!.n).toBe(1);
        },
        { timeout: 5000, interval: 20 },
      )
      .catch(async (error) => {
        await release();
        throw error;
      });
    const through = await storeB.consistentThrough!();
    await release();
    expect(await write).toEqual({ ok: true });
    const [record] = await storeB.getStatements(T, [statement.id]);
    // The caller's stamp is before what B promised: stored as given, B's answer would have lied.
    expect(Date.parse(given)).toBeLessThan(through.getTime());
    expect(Date.parse(record!.stored)).toBeGreaterThan(through.getTime());
    expect((record!.statement as { stored: string }).stored).toBe(record!.stored);
    expect(JSON.parse(record!.json!).stored).toBe(record!.stored);
  });

  it("keeps a caller's stored time later than the transaction's start", async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const statement = testStatement({ id: 2, stored: later });
    expect(await lrsStore(a).insertStatements(T, [statement])).toEqual({ ok: true });
    const [record] = await lrsStore(b).getStatements(T, [statement.id]);
    expect(record!.stored).toBe(later);
    expect(record!.json).toBe(JSON.stringify(statement.statement));
  });

  it("with the default ('given'), stores the caller's time and cannot answer for other processes", async () => {
    const store = lrsStore(plain);
    expect(store.consistentThrough).toBeUndefined();
    const given = '2020-01-01T00:00:00.000Z';
    const statement = testStatement({ id: 3, stored: given });
    expect(await store.insertStatements(T, [statement])).toEqual({ ok: true });
    const [record] = await store.getStatements(T, [statement.id]);
    expect(record!.stored).toBe(given);
  });

  it('answers now, less a millisecond, when no transaction is open', async () => {
    const before = Date.now();
    const through = (await lrsStore(b).consistentThrough!()).getTime();
    const after = Date.now();
    // The database clock is this machine's: within the call, less the millisecond.
    expect(through).toBeGreaterThanOrEqual(before - 2);
    expect(through).toBeLessThan(after);
  });
});
