import { getTableName, is, type Table } from 'drizzle-orm';
import { PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { type SQLiteTable, getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { pgLrsSchema, sqliteLrsSchema } from '../src/index.js';

/**
 * Dialect-neutral kind of a column's SQL type. As in `schema-parity.test.ts`, plus the binary
 * columns of the LRS tables (SQLite `blob`, Postgres `bytea` as a custom type) and the JSON text of
 * statements (Postgres `json`, which keeps the text as sent).
 */
const KIND: Record<string, string> = {
  PgText: 'text',
  SQLiteText: 'text',
  PgJson: 'json',
  PgJsonb: 'json',
  SQLiteTextJson: 'json',
  PgTimestamp: 'timestamp',
  SQLiteTimestamp: 'timestamp',
  PgInteger: 'integer',
  PgBigInt53: 'integer',
  SQLiteInteger: 'integer',
  PgBoolean: 'boolean',
  SQLiteBoolean: 'boolean',
  PgCustomColumn: 'bytes',
  SQLiteBlobBuffer: 'bytes',
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
      .map((c) => ({ name: c.name, kind: kindOf(c.columnType), notNull: c.notNull, primary: c.primary }))
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
        partial: i.config.where !== undefined,
      }))
      .sort((x, y) => x.name.localeCompare(y.name)),
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

describe('LRS schema parity', () => {
  it('declares the same LRS tables under the same export names', () => {
    expect(Object.keys(sqliteLrsSchema).sort()).toEqual(Object.keys(pgLrsSchema).sort());
  });

  for (const key of Object.keys(pgLrsSchema) as (keyof typeof pgLrsSchema)[]) {
    it(`table ${key} has the same columns, keys, indexes and foreign keys in both dialects`, () => {
      const pg = describeTable(pgLrsSchema[key]);
      expect(pg.columns.length).toBeGreaterThan(0);
      expect(describeTable(sqliteLrsSchema[key])).toEqual(pg);
    });
  }

  it('reaches every LRS row from a tenant, so that deleting the tenant deletes them', () => {
    for (const [key, table] of Object.entries(pgLrsSchema)) {
      const config = pgTableConfig(table);
      const parents = config.foreignKeys.map((fk) => getTableName(fk.reference().foreignTable));
      expect(parents.includes('tenant') || parents.includes('lrs_key'), key).toBe(true);
    }
  });
});
