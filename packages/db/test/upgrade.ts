import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Database, migrate, migrationsFolder } from '../src/index.js';

async function migrationCount(db: Database): Promise<number> {
  if (db.dialect === 'sqlite') {
    return Number(db.drizzle.get<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`).n);
  }
  const rows = await db.drizzle.execute<{ n: string }>(
    sql`select count(*) as n from drizzle.__drizzle_migrations`,
  );
  return Number(rows[0]?.n);
}

async function indexExists(db: Database, name: string): Promise<boolean> {
  if (db.dialect === 'sqlite') {
    return (
      db.drizzle.all(sql`select name from sqlite_master where type = 'index' and name = ${name}`).length === 1
    );
  }
  const rows = await db.drizzle.execute(sql`select indexname from pg_indexes where indexname = ${name}`);
  return rows.length === 1;
}

/**
 * Migrates an empty database with only the first migration (as a database made by the first
 * release), stores data, then migrates with every migration: the later ones must apply on top and
 * keep the data. Needs at least two migrations.
 */
export async function checkUpgradeFromFirstMigration(db: Database): Promise<void> {
  const full = migrationsFolder(db.dialect);
  const journal = JSON.parse(readFileSync(join(full, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  expect(journal.entries.length).toBeGreaterThanOrEqual(2);
  const dir = mkdtempSync(join(tmpdir(), 'scormflow-migrations-'));
  try {
    cpSync(full, dir, { recursive: true });
    writeFileSync(
      join(dir, 'meta', '_journal.json'),
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }),
    );
    await migrate(db, { migrationsFolder: dir });
    expect(await migrationCount(db)).toBe(1);
    expect(await indexExists(db, 'attempt_course_version_idx')).toBe(false);
    const tenant = await db.repos.tenants.create({ name: 'before upgrade' });

    await migrate(db);
    expect(await migrationCount(db)).toBe(journal.entries.length);
    expect(await indexExists(db, 'attempt_course_version_idx')).toBe(true);
    expect(await db.repos.tenants.get(tenant.id)).toEqual(tenant);
    await migrate(db);
    expect(await migrationCount(db)).toBe(journal.entries.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
