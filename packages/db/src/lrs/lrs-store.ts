import type { LrsStore } from '@scormflow/lrs';
import type { Database } from '../open-database.js';
import { pgLrsStore } from './pg-lrs-store.js';
import { sqliteLrsStore } from './sqlite-lrs-store.js';

const stores = new WeakMap<Database, LrsStore>();

/**
 * The {@link LrsStore} of an open database, made once per database (on SQLite its statements are
 * prepared once). Run `migrate(db)` first. Statements are kept in `lrs_statement`, their effective
 * filter keys (own keys and those along their StatementRef chain) in `lrs_statement_key`.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#statement-resource
 */
export function lrsStore(db: Database): LrsStore {
  let store = stores.get(db);
  if (!store) {
    store = db.dialect === 'sqlite' ? sqliteLrsStore(db.drizzle.$client) : pgLrsStore(db.drizzle.$client);
    stores.set(db, store);
  }
  return store;
}

/** Makes `store` the one `lrsStore(db)` gives for `db` (see `openDatabase`); returns `db`. */
export function adoptLrsStore<D extends Database>(store: LrsStore, db: D): D {
  stores.set(db, store);
  return db;
}
