import { randomUUID } from 'node:crypto';
import { type Database, hashApiKey, pgSchema, sqliteSchema } from '@scormflow/db';
import { SERVER_ERROR_CODES, ServerError } from './errors.js';

/** Id of the tenant created on first start. Its admin keys operate the engine (they create tenants). */
export const DEFAULT_TENANT_ID = 'default';

/** What `bootstrap` did. */
export type BootstrapResult =
  | { created: false }
  /** `secret` is the generated admin key (shown once), or `null` when `adminKey` was given. */
  | { created: true; tenantId: string; keyId: string; secret: string | null };

const KEY_PREFIX_LENGTH = 11;
/** A default tenant this old without any key was left behind by an interrupted first start. */
const ORPHAN_AFTER_MS = 60_000;

/**
 * Creates the default tenant and its first admin key when the database has none, so that a new
 * engine can be used at once. With `adminKey` (from `SCORMFLOW_ADMIN_KEY`) that secret becomes the
 * key; otherwise a random one is generated and returned, once. Does nothing on later starts, also
 * when several processes start together (the tenant id is fixed, so only one insert can win).
 */
export async function bootstrap(
  db: Database,
  options: { adminKey?: string | null } = {},
): Promise<BootstrapResult> {
  const existing = await db.repos.tenants.get(DEFAULT_TENANT_ID);
  if (!existing) {
    try {
      await db.repos.tenants.create({ id: DEFAULT_TENANT_ID, name: 'Default' });
    } catch (cause) {
      // Another process created it between the check and the insert: that process makes the key.
      if (await db.repos.tenants.get(DEFAULT_TENANT_ID)) return { created: false };
      throw new ServerError(SERVER_ERROR_CODES.BOOTSTRAP_FAILED, 'could not create the default tenant', {
        cause,
      });
    }
  } else if (
    Date.now() - existing.createdAt.getTime() < ORPHAN_AFTER_MS ||
    (await db.repos.apiKeys.list(DEFAULT_TENANT_ID)).length > 0
  ) {
    return { created: false };
  }
  // Reached by the process that created the tenant, or after a start that stopped between the
  // tenant and its key: a tenant without any key (revoked ones included) could never be administered.
  // A young tenant is left alone, since the process that created it is making the key right now.
  const adminKey = options.adminKey ?? null;
  if (adminKey === null) {
    const { key, secret } = await db.repos.apiKeys.create(DEFAULT_TENANT_ID, {
      name: 'bootstrap admin',
      role: 'admin',
    });
    return { created: true, tenantId: DEFAULT_TENANT_ID, keyId: key.id, secret };
  }
  // The repository only generates secrets; a given secret is inserted with the same row shape.
  const row = {
    id: randomUUID(),
    tenantId: DEFAULT_TENANT_ID,
    name: 'SCORMFLOW_ADMIN_KEY',
    prefix: adminKey.slice(0, KEY_PREFIX_LENGTH),
    hash: hashApiKey(adminKey),
    role: 'admin' as const,
    createdAt: new Date(),
  };
  if (db.dialect === 'sqlite') await db.drizzle.insert(sqliteSchema.apiKey).values(row);
  else await db.drizzle.insert(pgSchema.apiKey).values(row);
  return { created: true, tenantId: DEFAULT_TENANT_ID, keyId: row.id, secret: null };
}
