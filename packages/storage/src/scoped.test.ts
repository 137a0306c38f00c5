import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAllText } from './body.js';
import { isStorageError } from './errors.js';
import { tenantKey } from './keys.js';
import { memoryStorage } from './memory-storage.js';
import { scoped } from './scoped.js';
import type { BlobStorage } from './types.js';

async function allKeys(storage: BlobStorage): Promise<string[]> {
  return (await storage.list('')).items.map((item) => item.key);
}

describe('scoped', () => {
  it('maps keys into the prefix and back', async () => {
    const base = memoryStorage();
    const tenant = scoped(base, tenantKey('acme'));
    await tenant.put('courses/c1/index.html', '<html>', { contentType: 'text/html' });
    expect(await allKeys(base)).toEqual(['tenants/acme/courses/c1/index.html']);
    expect(await allKeys(tenant)).toEqual(['courses/c1/index.html']);
    expect(await readAllText((await base.get('tenants/acme/courses/c1/index.html'))!.body)).toBe('<html>');
    expect((await tenant.list('courses/c1')).items.map((item) => item.key)).toEqual([
      'courses/c1/index.html',
    ]);
    expect(tenant.name).toBe('memory:scoped');
    expect(tenant.close).toBeUndefined();
  });

  it('nests', async () => {
    const base = memoryStorage();
    const course = scoped(scoped(base, 'tenants/acme'), 'courses/c1');
    await course.put('a.txt', 'a');
    expect(await allKeys(base)).toEqual(['tenants/acme/courses/c1/a.txt']);
  });

  it('refuses an empty or invalid scope', () => {
    const base = memoryStorage();
    for (const prefix of ['', '/', '../x', 'a//b']) {
      expect(() => scoped(base, prefix)).toThrow(expect.objectContaining({ code: 'STORAGE_INVALID_PREFIX' }));
    }
  });

  it('never lets any string key touch an object outside the scope', async () => {
    const base = memoryStorage();
    await base.put('tenants/other/secret', 'secret');
    const tenant = scoped(base, 'tenants/acme');
    const alphabet = ['a', '.', '/', '\\', '%', '2', 'e', 'f', '\u0000', ' ', '\uff0e', '~'];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }).map((chars) => chars.join('')),
          fc.string({ unit: 'grapheme', maxLength: 40 }),
          fc.constantFrom('../other/secret', '..', '/tenants/other/secret', 'a/../../other/secret'),
        ),
        async (key) => {
          await tenant.put(key, 'attempt').catch((error: unknown) => {
            if (!isStorageError(error)) throw error;
          });
          await tenant.deletePrefix(key).catch((error: unknown) => {
            if (!isStorageError(error)) throw error;
          });
          const outside = (await allKeys(base)).filter((stored) => !stored.startsWith('tenants/acme/'));
          expect(outside).toEqual(['tenants/other/secret']);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('forwards only valid keys inside the scope, even to a driver that checks nothing', async () => {
    // The bundled drivers check keys too, which would hide a scope that forgot to; this recorder
    // accepts anything, so only the scope's own checks stand between a key and the backend.
    const forwarded: string[] = [];
    const record = async (key: string) => {
      forwarded.push(key);
      return null;
    };
    const permissive: BlobStorage = {
      name: 'recorder',
      capabilities: { persistent: false, signedUrls: false },
      put: async (key) => {
        forwarded.push(key);
        return { size: 0 };
      },
      get: record,
      head: record,
      delete: async (key) => {
        forwarded.push(key);
      },
      deletePrefix: async (prefix) => {
        forwarded.push(prefix);
        return 0;
      },
      list: async (prefix) => {
        forwarded.push(prefix);
        return { items: [] };
      },
    };
    const tenant = scoped(permissive, 'tenants/acme');
    const alphabet = ['a', '.', '/', '\\', '%', '2', 'e', '\u0000', '\uff0e'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 16 }).map((chars) => chars.join('')),
        async (key) => {
          forwarded.length = 0;
          const calls = [
            tenant.put(key, ''),
            tenant.get(key),
            tenant.head(key),
            tenant.delete(key),
            tenant.list(key),
            tenant.deletePrefix(key),
          ];
          for (const call of calls) {
            await (call as Promise<unknown>).catch((error: unknown) => {
              if (!isStorageError(error)) throw error;
            });
          }
          for (const target of forwarded) {
            expect(target === 'tenants/acme' || target.startsWith('tenants/acme/')).toBe(true);
            expect(target.split('/')).not.toContain('..');
            expect(target.split('/')).not.toContain('');
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
