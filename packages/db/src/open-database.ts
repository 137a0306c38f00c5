import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { drizzle as drizzlePg } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { DB_ERROR_CODES, DbError } from './errors.js';
import type { LrsStoredTime } from './lrs/keys.js';
import { adoptLrsStore } from './lrs/lrs-store.js';
import { pgLrsStore } from './lrs/pg-lrs-store.js';
import { setSqliteStoredTime } from './lrs/sqlite-lrs-store.js';
import { type PgDrizzle, pgRepositories } from './pg/repositories.js';
import { pgSchema } from './pg/schema.js';
import type { Repositories } from './repositories.js';
import { type SqliteDrizzle, sqliteRepositories } from './sqlite/repositories.js';
import { sqliteSchema } from './sqlite/schema.js';
import { type WalCheckpointer, walCheckpointer } from './sqlite/wal-checkpointer.js';

/** The SQL dialects ScormFlow stores its data in. */
export const DIALECTS = ['sqlite', 'postgres'] as const;
/** One of `DIALECTS`. */
export type Dialect = (typeof DIALECTS)[number];

/** The SQLite file used when no URL is given, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = './data/scormflow.db';

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /** SQLite: milliseconds a statement waits for another connection's lock. Default 5000. */
  busyTimeoutMs?: number;
  /** Postgres: most connections in the pool. Default 10. */
  maxConnections?: number;
  /**
   * SQLite files: where WAL checkpoints run. `worker` (the default): a worker thread checkpoints
   * once the WAL passes 4 MiB, so that no COMMIT of the engine's connection pays for it (see
   * `walCheckpointer`); `inline`: SQLite's own automatic checkpoint inside a COMMIT.
   */
  walCheckpoint?: 'worker' | 'inline';
  /**
   * Where the LRS store's statement `stored` times come from: `given` (the default) or
   * `transaction`, the later of the given time and one taken inside the write's transaction,
   * which lets the store tell across processes how far it is consistent
   * (`LrsStore.consistentThrough`). The server uses `transaction`.
   */
  lrsStoredTime?: LrsStoredTime;
}

interface DatabaseBase {
  repos: Repositories;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes the connection(s). The object is unusable afterwards. */
  close(): Promise<void>;
}

/** An open SQLite database. */
export interface SqliteDatabase extends DatabaseBase {
  dialect: 'sqlite';
  /** The file path, or `:memory:`. */
  path: string;
  drizzle: SqliteDrizzle;
  /**
   * Runs a PASSIVE WAL checkpoint now (on the checkpoint worker when there is one) and resolves
   * with the WAL's frames and those copied into the database file.
   */
  checkpoint(): Promise<{ walFrames: number; checkpointed: number }>;
}

/** An open Postgres database. */
export interface PostgresDatabase extends DatabaseBase {
  dialect: 'postgres';
  /** The connection URL. */
  url: string;
  drizzle: PgDrizzle;
}

/** An open database of either dialect; `dialect` tells which. */
export type Database = SqliteDatabase | PostgresDatabase;

const PG_URL = /^postgres(?:ql)?:\/\//i;
const OTHER_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Which dialect a database URL selects and where it points: `postgres://` and `postgresql://` select
 * Postgres; no URL, `file:` URLs and plain paths select SQLite (`:memory:` for an in-memory database).
 */
export function parseDatabaseUrl(
  url: string | undefined,
): { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string } {
  const value = url?.trim() ?? '';
  if (value === '') return { dialect: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (PG_URL.test(value)) return { dialect: 'postgres', url: value };
  if (value.startsWith('file://')) return { dialect: 'sqlite', path: fileURLToPath(value) };
  if (value.startsWith('file:')) {
    const path = value.slice('file:'.length);
    return { dialect: 'sqlite', path: path === '' ? DEFAULT_SQLITE_PATH : path };
  }
  if (OTHER_URL.test(value)) {
    throw new DbError(
      DB_ERROR_CODES.UNSUPPORTED_URL,
      `unsupported database URL scheme in "${value.replace(/\/\/[^@/]*@/, '//***@')}": use postgres://, file: or a path`,
    );
  }
  return { dialect: 'sqlite', path: value };
}

/**
 * Opens the database a URL names (see `parseDatabaseUrl`). SQLite files are created with their
 * directory and run in WAL mode with `synchronous = NORMAL`, foreign keys on and a busy timeout.
 * Postgres connections are opened lazily by the pool. Run `migrate(db)` before using the repositories.
 */
export function openDatabase(url?: string, options: OpenDatabaseOptions = {}): Database {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'postgres') {
    const client = postgres(target.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
    });
    const db = drizzlePg(client, { schema: pgSchema });
    // One LRS store per database: the runtime's statements (`scoStates.commit`) and `lrsStore(db)`.
    const lrs = pgLrsStore(client, { storedTime: options.lrsStoredTime ?? 'given' });
    return adoptLrsStore(lrs, {
      dialect: 'postgres',
      url: target.url,
      drizzle: db,
      repos: pgRepositories(db, lrs),
      async ping() {
        await db.execute(sql`select 1`);
      },
      async close() {
        await client.end({ timeout: 5 });
      },
    });
  }
  const path = target.path === ':memory:' ? target.path : resolve(target.path);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const client = new BetterSqlite3(path);
  setSqliteStoredTime(client, options.lrsStoredTime ?? 'given');
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  client.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  const inlineCheckpoint = () => {
    const [row] = client.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    return { walFrames: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
  };
  let checkpointer: WalCheckpointer | null = null;
  if (path !== ':memory:' && (options.walCheckpoint ?? 'worker') === 'worker') {
    client.pragma('wal_autocheckpoint = 0');
    // A WAL that a complete checkpoint emptied is cut back to this size when it restarts.
    client.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    checkpointer = walCheckpointer(path, { inline: inlineCheckpoint });
  }
  const db = drizzleSqlite(client, { schema: sqliteSchema });
  return {
    dialect: 'sqlite',
    path,
    drizzle: db,
    repos: sqliteRepositories(db),
    async ping() {
      db.get(sql`select 1`);
    },
    async checkpoint() {
      return checkpointer ? checkpointer.checkpoint() : inlineCheckpoint();
    },
    async close() {
      await checkpointer?.close();
      client.close();
    },
  };
}
