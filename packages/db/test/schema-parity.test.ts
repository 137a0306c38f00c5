import { getTableName, is, type Table } from 'drizzle-orm';
import { PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { pgSchema, sqliteSchema } from '../src/index.js';

/** Dialect-neutral kind of a column's SQL type, so that `jsonb` and `text` JSON compare equal. */
const KIND: Record<string, string> = {
  PgText: 'text',
  SQLiteText: 'text',
  PgJsonb: 'json',
  SQLiteTextJson: 'json',
  PgTimestamp: 'timestamp',
  SQLiteTimestamp: 'timestamp',
  PgInteger: 'integer',
  PgBigInt53: 'integer',
  SQLiteInteger: 'integer',
  PgDoublePrecision: 'real',
  SQLiteReal: 'real',
  PgBoolean: 'boolean',
  SQLiteBoolean: 'boolean',
};

function describeTable(table: Table) {
  const config = is(table, PgTable) ? pgTableConfig(table) : sqliteTableConfig(table as SQLiteTable);
  const kindOf = (columnType: string) => {
    const kind = KIND[columnType];
    if (!kind) throw new Error(`no neutral kind for ${columnType}`);
    return kind;
  };
  return {
    name: config.name,
    columns: config.columns
      .map((c) => ({
        name: c.name,
        kind: kindOf(c.columnType),
        dataType: c.dataType,
        notNull: c.notNull,
        primary: c.primary,
        hasDefault: c.hasDefault,
      }))
      .sort((x, y) => x.name.localeCompare(y.name)),
    primaryKeys: config.primaryKeys.map((pk) => ({
      name: pk.getName(),
      columns: pk.columns.map((c) => c.name),
    })),
    indexes: config.indexes
      .map((i) => ({
        name: i.config.name ?? '',
        unique: i.config.unique,
        columns: i.config.columns.map((c) => ('name' in c ? c.name : String(c))),
      }))
      .sort((x, y) => x.name.localeCompare(y.name)),
    checks: config.checks.map((c) => c.name).sort(),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return {
          columns: ref.columns.map((c) => c.name),
          table: getTableName(ref.foreignTable),
          foreignColumns: ref.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete,
        };
      })
      .sort((x, y) => x.columns.join().localeCompare(y.columns.join())),
  };
}

describe('schema parity', () => {
  it('declares the same tables under the same export names', () => {
    expect(Object.keys(sqliteSchema).sort()).toEqual(Object.keys(pgSchema).sort());
    for (const table of Object.values(pgSchema)) expect(is(table, PgTable)).toBe(true);
    for (const table of Object.values(sqliteSchema)) expect(is(table, SQLiteTable)).toBe(true);
  });

  for (const key of Object.keys(pgSchema) as (keyof typeof pgSchema)[]) {
    it(`table ${key} has the same columns, keys, indexes and foreign keys in both dialects`, () => {
      const pg = describeTable(pgSchema[key]);
      const sqlite = describeTable(sqliteSchema[key]);
      expect(pg.columns.length).toBeGreaterThan(0);
      expect(sqlite).toEqual(pg);
    });
  }

  it('scopes every table but tenant to a tenant', () => {
    for (const [key, table] of Object.entries(pgSchema)) {
      if (key === 'tenant') continue;
      const tenantId = pgTableConfig(table).columns.find((c) => c.name === 'tenant_id');
      expect(tenantId?.notNull, key).toBe(true);
    }
  });
});
