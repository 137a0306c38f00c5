import { STORAGE_ERROR_CODES, StorageError } from './errors.js';
import { assertKey, joinKey, normalizePrefix } from './keys.js';
import type { BlobStorage, ListPage } from './types.js';

/**
 * A view of `storage` confined to the folder `prefix`: key `x` of the view is key `<prefix>/x` of
 * `storage`, and no key can name anything outside, because every key is checked by `assertKey`
 * (no `..`, `.`, empty segment, leading `/`, backslash or control character) before it is joined.
 * This is how tenants are isolated: `scoped(storage, tenantKey(tenantId))`.
 * The view does not own `storage`, so it has no `close`.
 *
 * @see ../README.md#scoped
 */
export function scoped(storage: BlobStorage, prefix: string): BlobStorage {
  const base = normalizePrefix(prefix);
  if (base === '') {
    throw new StorageError(STORAGE_ERROR_CODES.INVALID_PREFIX, 'A scope needs a non-empty prefix');
  }
  const marker = `${base}/`;

  const inner = (key: string): string => joinKey(base, assertKey(key));
  const innerPrefix = (value: string): string => {
    const normalized = normalizePrefix(value);
    return normalized === '' ? base : joinKey(base, normalized);
  };
  const outer = (key: string): string => {
    // A driver that honours the contract never returns a key outside the listed prefix; if one
    // does, refuse rather than hand another scope's key to the caller.
    if (!key.startsWith(marker)) {
      throw new StorageError(STORAGE_ERROR_CODES.BACKEND_FAILURE, 'Driver listed a key outside the scope');
    }
    return key.slice(marker.length);
  };

  return {
    name: `${storage.name}:scoped`,
    capabilities: storage.capabilities,
    // async, so that a refused key rejects the promise instead of throwing synchronously
    put: async (key, body, options) => storage.put(inner(key), body, options),
    get: async (key, options) => storage.get(inner(key), options),
    head: async (key) => storage.head(inner(key)),
    delete: async (key) => storage.delete(inner(key)),
    deletePrefix: async (value) => storage.deletePrefix(innerPrefix(value)),
    async list(value, options): Promise<ListPage> {
      const page = await storage.list(innerPrefix(value), options);
      const items = page.items.map((item) => ({ ...item, key: outer(item.key) }));
      return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
    },
  };
}
