import { createHash } from 'node:crypto';
import {
  assertPutOptions,
  assertRange,
  assertSizeMatches,
  bodyChunks,
  resolveRange,
  streamBytes,
} from './body.js';
import { assertKey, compareKeys, isUnderPrefix, normalizePrefix } from './keys.js';
import { encodeKeyCursor, parseListOptions } from './list.js';
import type {
  BlobBody,
  BlobInfo,
  BlobObject,
  BlobStorage,
  GetOptions,
  ListItem,
  ListOptions,
  ListPage,
  PutOptions,
  PutResult,
} from './types.js';

interface StoredBlob {
  bytes: Uint8Array;
  contentType: string | undefined;
  cacheControl: string | undefined;
  etag: string;
  lastModified: Date;
}

function info(blob: StoredBlob): BlobInfo {
  return {
    size: blob.bytes.byteLength,
    etag: blob.etag,
    lastModified: blob.lastModified,
    ...(blob.contentType === undefined ? {} : { contentType: blob.contentType }),
    ...(blob.cacheControl === undefined ? {} : { cacheControl: blob.cacheControl }),
  };
}

/**
 * A {@link BlobStorage} in process memory: for tests, previews and single-process tools.
 * Nothing is persisted and the whole body of every object is held in memory.
 *
 * @see ../README.md#memorystorage
 */
export function memoryStorage(): BlobStorage {
  const blobs = new Map<string, StoredBlob>();

  async function put(key: string, body: BlobBody, options: PutOptions = {}): Promise<PutResult> {
    assertKey(key);
    assertPutOptions(options);
    const hash = createHash('md5');
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of bodyChunks(body)) {
      hash.update(chunk);
      chunks.push(chunk.slice());
      size += chunk.byteLength;
    }
    assertSizeMatches(key, options.size, size);
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    const etag = `"${hash.digest('hex')}"`;
    blobs.set(key, {
      bytes,
      contentType: options.contentType,
      cacheControl: options.cacheControl,
      etag,
      lastModified: new Date(),
    });
    return { size, etag };
  }

  async function get(key: string, options: GetOptions = {}): Promise<BlobObject | null> {
    assertKey(key);
    assertRange(options.range);
    const blob = blobs.get(key);
    if (!blob) return null;
    const meta = info(blob);
    if (options.range === undefined) return { ...meta, body: streamBytes(blob.bytes) };
    const range = resolveRange(key, options.range, blob.bytes.byteLength);
    return {
      ...meta,
      size: range.end - range.start + 1,
      range,
      body: streamBytes(blob.bytes.subarray(range.start, range.end + 1)),
    };
  }

  async function head(key: string): Promise<BlobInfo | null> {
    assertKey(key);
    const blob = blobs.get(key);
    return blob ? info(blob) : null;
  }

  function keysUnder(prefix: string): string[] {
    return [...blobs.keys()].filter((key) => isUnderPrefix(key, prefix)).sort(compareKeys);
  }

  async function list(prefix: string, options?: ListOptions): Promise<ListPage> {
    const normalized = normalizePrefix(prefix);
    const { limit, after } = parseListOptions(options);
    const keys = keysUnder(normalized).filter((key) => after === undefined || compareKeys(key, after) > 0);
    const items: ListItem[] = keys.slice(0, limit).map((key) => {
      const blob = blobs.get(key)!;
      return { key, size: blob.bytes.byteLength, etag: blob.etag, lastModified: blob.lastModified };
    });
    const last = items.at(-1);
    return keys.length > limit && last ? { items, cursor: encodeKeyCursor(last.key) } : { items };
  }

  async function remove(key: string): Promise<void> {
    assertKey(key);
    blobs.delete(key);
  }

  async function deletePrefix(prefix: string): Promise<number> {
    const keys = keysUnder(normalizePrefix(prefix));
    for (const key of keys) blobs.delete(key);
    return keys.length;
  }

  return {
    name: 'memory',
    capabilities: { persistent: false, signedUrls: false },
    put,
    get,
    head,
    list,
    delete: remove,
    deletePrefix,
    async close() {
      blobs.clear();
    },
  };
}
