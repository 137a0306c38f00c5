import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { testStatement } from '@scormflow/lrs/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Database, lrsStore, migrate, openDatabase } from '../src/index.js';
import { CONSISTENT_THROUGH_REUSE_MS, sharedConsistentThrough } from '../src/lrs/keys.js';

const T = { tenantId: 'tenant-stored-time' };

// Another process's write transaction, in a thread of its own: it takes the file's write lock,
// holds it for `holdMs`, commits, and says when it took and released it.
const WRITER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.exec('begin immediate');
const locked = Date.now();
parentPort.postMessage({ locked });
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
db.exec('commit');
parentPort.postMessage({ released: Date.now() });
db.close();
`;

/** Starts the other "process"; resolves once it holds the write lock. */
async function holdWriteLock(path: string, holdMs: number) {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WRITER, { eval: true, workerData: { path, driver, holdMs } });
  const messages: { locked?: number; released?: number }[] = [];
  let wake: (() => void) | undefined;
  worker.on('message', (m) => {
    messages.push(m);
    wake?.();
  });
  const next = async (key: 'locked' | 'released') => {
    for (;;) {
      const found = messages.find((m) => m[key] !== undefined);
      if (found) return found[key]!;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  const locked = await next('locked');
  return { locked, released: () => next('released'), done: () => worker.terminate() };
}

describe("SQLite LRS with lrsStoredTime 'transaction'", () => {
  let dir: string;
  let path: string;
  let db: Database;
  let plain: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scormflow-stored-time-'));
    path = join(dir, 'lrs.db');
    db = openDatabase(path, { lrsStoredTime: 'transaction' });
    await migrate(db);
    await db.repos.tenants.create({ id: T.tenantId, name: 'stored time' });
    plain = openDatabase(path);
  });
  afterAll(async () => {
    await db?.close();
    await plain?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers Consistent-Through only once another process's write transaction has ended", async () => {
    const store = lrsStore(db);
    const other = await holdWriteLock(path, 300);
    try {
      // Asked while the other transaction is open: the answer waits for the write lock.
      const through = (await store.consistentThrough!()).getTime();
      const released = await other.released();
      // That transaction may have written statements stamped up to its release: all committed.
      expect(through).toBeGreaterThanOrEqual(released - 1);
      expect(through).toBeGreaterThan(other.locked);
    } finally {
      await other.done();
    }
  });

  it('stamps a statement inside its write transaction, never before the time it is given', async () => {
    const store = lrsStore(db);
    const old = new Date(Date.now() - 60_000).toISOString();
    const before = Date.now();
    const statement = testStatement({ id: 1, stored: old });
    expect(await store.insertStatements(T, [statement])).toEqual({ ok: true });
    const [record] = await store.getStatements(T, [statement.id]);
    expect(Date.parse(record!.stored)).toBeGreaterThanOrEqual(before);
    expect(JSON.parse(record!.json!).stored).toBe(record!.stored);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const ahead = testStatement({ id: 2, stored: later });
    expect(await store.insertStatements(T, [ahead])).toEqual({ ok: true });
    const [kept] = await store.getStatements(T, [ahead.id]);
    expect(kept!.stored).toBe(later);
    expect(kept!.json).toBe(JSON.stringify(ahead.statement));
  });

  it("with the default ('given'), stores the caller's time and cannot answer for other processes", async () => {
    const store = lrsStore(plain);
    expect(store.consistentThrough).toBeUndefined();
    const statement = testStatement({ id: 3, stored: '2020-01-01T00:00:00.000Z' });
    expect(await store.insertStatements(T, [statement])).toEqual({ ok: true });
    const [record] = await store.getStatements(T, [statement.id]);
    expect(record!.stored).toBe('2020-01-01T00:00:00.000Z');
  });
});

describe('sharedConsistentThrough', () => {
  it('shares an answer on its way and one given within the reuse time, then asks again', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      let asked = 0;
      let answer!: (at: Date) => void;
      const ask = sharedConsistentThrough(() => {
        asked++;
        return new Promise<Date>((resolve) => {
          answer = resolve;
        });
      });
      const first = ask();
      const second = ask();
      expect(asked).toBe(1);
      answer(new Date(1000));
      expect(await first).toEqual(new Date(1000));
      expect(await second).toEqual(new Date(1000));
      vi.advanceTimersByTime(CONSISTENT_THROUGH_REUSE_MS - 1);
      expect(await ask()).toEqual(new Date(1000));
      expect(asked).toBe(1);
      vi.advanceTimersByTime(1);
      const third = ask();
      expect(asked).toBe(2);
      answer(new Date(2000));
      expect(await third).toEqual(new Date(2000));
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks again after a failed question', async () => {
    let asked = 0;
    const ask = sharedConsistentThrough(async () => {
      asked++;
      if (asked === 1) throw new Error('gone');
      return new Date(5);
    });
    await expect(ask()).rejects.toThrow('gone');
    expect(await ask()).toEqual(new Date(5));
  });
});
