import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type Database, migrate, openDatabase, parseDatabaseUrl } from '@scormflow/db';
import { type BlobStorage, memoryStorage } from '@scormflow/storage';
import { diskStorage } from '@scormflow/storage-local';
import { s3Storage } from '@scormflow/storage-s3';
import { createApp, type ScormflowApp } from './app.js';
import { type BootstrapResult, bootstrap } from './bootstrap.js';
import type { ServerEnv, StorageConfig } from './env.js';
import { perMinuteLimiter } from './rate-limit.js';

/** A running engine: the app and the backends `buildApp` opened for it. */
export interface BuiltApp {
  app: ScormflowApp;
  db: Database;
  storage: BlobStorage;
  /** What the first start created; `secret` is the admin key to print once. */
  bootstrap: BootstrapResult;
  /** The runtime token secret in use (given, or generated and persisted for SQLite). */
  jwtSecret: string;
  /** Where a generated `jwtSecret` was written, when it was generated or read from there. */
  jwtSecretFile: string | null;
  /** Closes the database and the storage. */
  close(): Promise<void>;
}

/** Opens the blob storage the configuration names. */
export function openStorage(config: StorageConfig): BlobStorage {
  switch (config.driver) {
    case 'memory':
      return memoryStorage();
    case 'local':
      return diskStorage({ dir: config.dir });
    case 's3':
      return s3Storage({
        bucket: config.bucket,
        ...(config.region ? { region: config.region } : {}),
        ...(config.endpoint ? { endpoint: config.endpoint } : {}),
        forcePathStyle: config.forcePathStyle,
        ...(config.prefix ? { prefix: config.prefix } : {}),
        ...(config.credentials ? { credentials: config.credentials } : {}),
      });
  }
}

/**
 * The JWT secret: `JWT_SECRET` when set; else (embedded SQLite only, `loadEnv` refuses Postgres
 * without it) the content of `jwt-secret` next to the database file, created with 48 random bytes
 * on the first start, so that restarts keep issued runtime tokens valid.
 */
async function resolveJwtSecret(
  env: ServerEnv,
  db: Database,
): Promise<{ secret: string; file: string | null }> {
  if (env.jwtSecret) return { secret: env.jwtSecret, file: null };
  const base = db.dialect === 'sqlite' && db.path !== ':memory:' ? dirname(resolve(db.path)) : null;
  if (base === null) return { secret: randomBytes(48).toString('base64url'), file: null };
  const file = join(base, 'jwt-secret');
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 32) return { secret: stored, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(48).toString('base64url');
  await mkdir(base, { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'w' });
  return { secret, file };
}

/**
 * The engine from a configuration (see `loadEnv`): opens the database and runs its migrations,
 * creates the default tenant and first admin key on an empty database, opens the storage, and
 * builds the app. Call `close()` on shutdown.
 */
export async function buildApp(env: ServerEnv): Promise<BuiltApp> {
  // Statements get their `stored` time inside their write's transaction, so that
  // X-Experience-API-Consistent-Through covers the writes of every engine process on the database:
  // always on Postgres; on SQLite when several processes share the file (one process knows its
  // own writes, and a statements request then costs no write transaction).
  const shared = parseDatabaseUrl(env.databaseUrl).dialect === 'postgres' || env.sqliteMultiProcess;
  const db = openDatabase(env.databaseUrl, { lrsStoredTime: shared ? 'transaction' : 'given' });
  let storage: BlobStorage | null = null;
  try {
    await migrate(db);
    const created = await bootstrap(db, { adminKey: env.adminKey });
    const jwt = await resolveJwtSecret(env, db);
    storage = openStorage(env.storage);
    const app = createApp({
      db,
      storage,
      jwtSecret: jwt.secret,
      maxUploadBytes: env.maxUploadBytes,
      maxJsonBytes: env.maxJsonBytes,
      rateLimiter: perMinuteLimiter(env.rateLimitPerMinute, env.rateLimitBurst),
      runtimeRateLimiter: perMinuteLimiter(env.rateLimitRuntimePerMinute, env.rateLimitRuntimeBurst),
      contentRateLimiter: perMinuteLimiter(env.rateLimitContentPerMinute, env.rateLimitContentBurst),
      xapiRateLimiter: perMinuteLimiter(env.rateLimitXapiPerMinute, env.rateLimitXapiBurst),
      apiBaseUrl: env.apiBaseUrl,
      contentBaseUrl: env.contentBaseUrl,
    });
    const opened = storage;
    return {
      app,
      db,
      storage: opened,
      bootstrap: created,
      jwtSecret: jwt.secret,
      jwtSecretFile: jwt.file,
      async close() {
        try {
          await opened.close?.();
        } finally {
          await db.close();
        }
      },
    };
  } catch (error) {
    await storage?.close?.();
    await db.close();
    throw error;
  }
}
