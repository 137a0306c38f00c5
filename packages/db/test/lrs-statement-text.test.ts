import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject, LrsStore } from '@scormflow/lrs';
import { testStatement } from '@scormflow/lrs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, lrsStore, migrate, openDatabase } from '../src/index.js';
import { isoInstant, statementRecord } from '../src/lrs/statement-record.js';
import { createTestDatabase, probeTestPostgres, type TestDatabase } from './postgres.js';

const T = { tenantId: 'tenant-text' };

describe('statementRecord', () => {
  it('parses statement and index on first access, once, and keeps json out of copies', () => {
    const statement = { id: 'x', n: [1, { a: 'é' }] };
    const index = testStatement({ id: 1 }).index;
    const record = statementRecord(
      'x',
      JSON.stringify(statement),
      '2026-01-01T00:00:00.000Z',
      JSON.stringify(index),
      false,
    );
    expect(record.json).toBe(JSON.stringify(statement));
    expect(record.statement).toEqual(statement);
    expect(record.statement).toBe(record.statement);
    expect(record.index).toEqual(index);
    expect(Object.keys(record).sort()).toEqual(['id', 'index', 'statement', 'stored', 'voided']);
    expect({ ...record }).toEqual({
      id: 'x',
      statement,
      stored: '2026-01-01T00:00:00.000Z',
      index,
      voided: false,
    });
    expect('json' in { ...record }).toBe(false);
  });

  it('does not parse a statement nobody reads', () => {
    const record = statementRecord('x', '{not json', '2026-01-01T00:00:00.000Z', '{}', true);
    expect(record.json).toBe('{not json');
    expect(record.voided).toBe(true);
    expect(() => record.statement).toThrow(SyntaxError);
  });
});

describe('isoInstant', () => {
  it('is new Date(ms).toISOString() across days, years and both sides of the epoch', () => {
    const instants = [0, -1, 1, 999, 1000, 59_999, 86_399_999, 86_400_000, -86_400_001, 951_782_400_000];
    instants.push(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) - 1, Date.UTC(9999, 11, 31, 23, 59, 59, 999));
    instants.push(Date.UTC(10_000, 0, 1), Date.UTC(-1, 5, 1), 8.64e15, -8.64e15);
    let x = 12_345;
    for (let i = 0; i < 2000; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      instants.push(Date.UTC(2026, 0, 1) + x * 997, Date.UTC(2026, 0, 1) + i * 37_000_001);
    }
    for (const ms of instants) expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
    expect(isoInstant(1.5)).toBe(new Date(1.5).toISOString());
    expect(() => isoInstant(Number.NaN)).toThrow(RangeError);
  });
});

/** What every SQL store's records carry: the stored text of exactly their statement. */
function describeStatementText(name: string, open: () => Promise<Database>, close: () => Promise<void>) {
  describe(`${name}: records carry their statement's JSON text`, () => {
    let db: Database;
    let store: LrsStore;
    beforeAll(async () => {
      db = await open();
      await migrate(db);
      await db.repos.tenants.create({ id: T.tenantId, name: 'text' });
      store = lrsStore(db);
    });
    afterAll(async () => {
      await db?.close();
      await close();
    });

    it('from queryStatements and getStatements, equal to JSON.stringify of statement', async () => {
      const statements = [1, 2, 3].map((n) => {
        const s = testStatement({ id: n, activity: 'http://example.com/text' });
        const statement: JsonObject = {
          ...s.statement,
          result: { response: `caf\u00e9 \ud83d\ude00 "q" \\ \u2028 ${n}`, score: { scaled: 0.5 } },
          context: { extensions: { 'http://example.com/e': { 10: 'a', 2: 'b', z: null } } },
        };
        return { ...s, statement };
      });
      expect(await store.insertStatements(T, statements)).toEqual({ ok: true });
      const page = await store.queryStatements(T, { limit: 10, activity: 'http://example.com/text' });
      const byId = await store.getStatements(T, [statements[1]!.id]);
      expect(page.records).toHaveLength(3);
      for (const record of [...page.records, ...byId]) {
        const sent = statements.find((s) => s.id === record.id)!;
        expect(record.json).toBe(JSON.stringify(sent.statement));
        expect(record.statement).toEqual(sent.statement);
        expect(record.index).toEqual(sent.index);
      }
    });
  });
}

let dir: string;
describeStatementText(
  'SQLite',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'scormflow-lrs-text-'));
    return openDatabase(`file:${join(dir, 'lrs.db')}`);
  },
  async () => {
    rmSync(dir, { recursive: true, force: true });
  },
);

const pg = await probeTestPostgres();
if (!('skip' in pg)) {
  let target: TestDatabase;
  describeStatementText(
    'Postgres',
    async () => {
      target = await createTestDatabase(pg.adminUrl, 'lrs_text');
      return openDatabase(target.url, { maxConnections: 2 });
    },
    async () => {
      await target?.drop();
    },
  );
}
