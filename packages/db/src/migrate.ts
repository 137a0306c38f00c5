import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/postgres-js';
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { DB_ERROR_CODES, DbError } from './errors.js';
import { migrationsFolder } from './migrations-folder.js';
import type { Database } from './open-database.js';

/** Options of `migrate`. */
export interface MigrateOptions {
  /** Folder of drizzle-kit migrations; defaults to the package's own `drizzle/<dialect>`. */
  migrationsFolder?: string;
}

/** Key of the Postgres advisory lock that serialises migrations of several starting processes. */
const MIGRATION_LOCK_KEY = 0x5c0f_f10;

/**
 * Applies the package's pending migrations; already applied ones are skipped, so it is safe on every
 * start-up. On Postgres an advisory lock makes concurrent start-ups apply them once.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<void> {
  const folder = options.migrationsFolder ?? migrationsFolder(db.dialect);
  if (!existsSync(join(folder, 'meta', '_journal.json'))) {
    throw new DbError(DB_ERROR_CODES.MIGRATION_FAILED, `no drizzle migrations in ${folder}`);
  }
  try {
    if (db.dialect === 'sqlite') {
      migrateSqlite(db.drizzle, { migrationsFolder: folder });
      return;
    }
    // One connection, so that the session-level lock covers every migration statement.
    const client = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      await migratePg(drizzlePg(client), { migrationsFolder: folder });
    } finally {
      await client.end({ timeout: 5 });
    }
  } catch (cause) {
    throw new DbError(DB_ERROR_CODES.MIGRATION_FAILED, `migrating the ${db.dialect} database failed`, {
      cause,
    });
  }
}
