import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { JsonObject } from '@scormflow/lrs';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../open-database.js';
import { xapiCredential as pgCredential } from '../pg/schema.js';
import { assertNoNul, hashApiKey, newId } from '../shared.js';
import type { SqliteDrizzle } from '../sqlite/repositories.js';
import { xapiCredential as sqliteCredential } from '../sqlite/schema.js';

/** A Basic credential of the xAPI endpoint, as listed (never with its secret). */
export interface XapiCredential {
  id: string;
  tenantId: string;
  /** The public half: the Basic user name. */
  key: string;
  name: string;
  /** The Agent (or Group) the LRS sets as `authority` of the statements stored with it. */
  authority: JsonObject;
  createdAt: Date;
  revokedAt: Date | null;
}

/** What `create` returns: the credential and its secret, which is stored only hashed. */
export interface CreatedXapiCredential {
  credential: XapiCredential;
  secret: string;
}

/** Input of `create`. */
export interface XapiCredentialInput {
  name: string;
  /** The authority Agent, or a function making it from the new credential's key. */
  authority: JsonObject | ((key: string) => JsonObject);
}

/** The answer of `verify` for a valid, unrevoked credential. */
export interface VerifiedXapiCredential {
  tenantId: string;
  credentialId: string;
  authority: JsonObject;
}

/**
 * Basic credentials of the xAPI endpoint, per tenant. Secrets are stored as their SHA-256 (as API
 * keys: they carry 256 random bits, so a fast unsalted hash is enough) and compared in constant time.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#43-authentication
 */
export interface XapiCredentialRepository {
  create(tenantId: string, input: XapiCredentialInput): Promise<CreatedXapiCredential>;
  /** The tenant's credentials, revoked ones included, oldest first. */
  list(tenantId: string): Promise<XapiCredential[]>;
  /** Revokes a credential of the tenant; false when there is none to revoke. */
  revoke(tenantId: string, credentialId: string): Promise<boolean>;
  /** The tenant and authority of an unrevoked credential whose secret matches, else `null`. */
  verify(key: string, secret: string): Promise<VerifiedXapiCredential | null>;
}

const KEY_PREFIX = 'xk_';
const SECRET_PREFIX = 'xs_';
/** Compared against when the key is unknown, so that both paths hash and compare. */
const NO_HASH = hashApiKey('');

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

type Row = typeof sqliteCredential.$inferSelect;

function toCredential(row: Row): XapiCredential {
  return {
    id: row.id,
    tenantId: row.tenantId,
    key: row.key,
    name: row.name,
    authority: row.authority as JsonObject,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

const repositories = new WeakMap<Database, XapiCredentialRepository>();

/**
 * The xAPI credential repository of an open database (SQLite or Postgres).
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#43-authentication
 */
export function xapiCredentials(db: Database): XapiCredentialRepository {
  let repository = repositories.get(db);
  if (repository) return repository;
  // The two tables have the same columns and the queries below are awaited on either dialect, so
  // one body serves both: the SQLite types stand for the pair at compile time.
  const table = (db.dialect === 'sqlite' ? sqliteCredential : pgCredential) as typeof sqliteCredential;
  const q = db.drizzle as SqliteDrizzle;

  repository = {
    async create(tenantId, input) {
      const key = KEY_PREFIX + randomBytes(18).toString('base64url');
      const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
      const authority = typeof input.authority === 'function' ? input.authority(key) : input.authority;
      assertNoNul([tenantId, input.name, authority], 'xAPI credential');
      const rows = await q
        .insert(table)
        .values({
          id: newId(),
          tenantId,
          key,
          hash: hashApiKey(secret),
          name: input.name,
          authority,
          createdAt: new Date(),
        })
        .returning();
      return { credential: toCredential(rows[0]!), secret };
    },
    async list(tenantId) {
      const rows = await q
        .select()
        .from(table)
        .where(eq(table.tenantId, tenantId))
        .orderBy(asc(table.createdAt), asc(table.id));
      return rows.map(toCredential);
    },
    async revoke(tenantId, credentialId) {
      const rows = await q
        .update(table)
        .set({ revokedAt: new Date() })
        .where(and(eq(table.tenantId, tenantId), eq(table.id, credentialId), isNull(table.revokedAt)))
        .returning({ id: table.id });
      return rows.length > 0;
    },
    async verify(key, secret) {
      if (key.includes('\0') || secret.includes('\0')) return null;
      const rows = await q
        .select()
        .from(table)
        .where(and(eq(table.key, key), isNull(table.revokedAt)))
        .limit(1);
      const row = rows[0];
      const matches = sameHash(hashApiKey(secret), row?.hash ?? NO_HASH);
      if (!row || !matches) return null;
      return { tenantId: row.tenantId, credentialId: row.id, authority: row.authority as JsonObject };
    },
  };
  repositories.set(db, repository);
  return repository;
}
