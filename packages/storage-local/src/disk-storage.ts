import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import {
  type FileHandle,
  lstat,
  mkdir,
  open,
  readdir,
  realpath,
  rename,
  rmdir,
  unlink,
} from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import {
  assertKey,
  assertPutOptions,
  assertRange,
  assertSizeMatches,
  type BlobBody,
  type BlobInfo,
  type BlobObject,
  type BlobStorage,
  bodyChunks,
  compareKeys,
  encodeKeyCursor,
  type GetOptions,
  isStorageError,
  type ListItem,
  type ListOptions,
  type ListPage,
  normalizePrefix,
  type PutOptions,
  type PutResult,
  parseListOptions,
  resolveRange,
  STORAGE_ERROR_CODES,
  StorageError,
} from '@scormflow/storage';

/** Options of {@link diskStorage}. */
export interface DiskStorageOptions {
  /** Root directory; created when missing. Objects live in `<dir>/objects`, uploads in progress in `<dir>/tmp`. */
  dir: string;
  /** Flush each object to the device (`fdatasync`) before it becomes visible. Slower; survives power loss. Default `false`. */
  fsync?: boolean;
  /** Size of the chunks `get` reads and streams, in bytes. Default 64 KiB. */
  readChunkBytes?: number;
}

/**
 * Every object file starts with a fixed-size header holding its metadata as JSON, padded with
 * spaces and ended by a newline; the content follows. One file per object means one `rename`
 * publishes content and metadata together, so readers never see one without the other.
 */
export const DISK_HEADER_BYTES = 1024;

/** A temp file not written to for this long is a dead upload, removed when a storage starts. */
export const STALE_TEMP_MS = 60 * 60 * 1000;

/** Bodies up to this size are written together with their header in one call. */
const SMALL_BODY_BYTES = 64 * 1024;

interface Header {
  v: 1;
  size: number;
  etag: string;
  contentType?: string;
  cacheControl?: string;
}

interface OpenedBlob {
  handle: FileHandle;
  header: Header;
  lastModified: Date;
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;
}

function isFsError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { syscall?: unknown }).syscall === 'string'
  );
}

function backendFailure(error: unknown, key: string | undefined, action: string): StorageError {
  return new StorageError(STORAGE_ERROR_CODES.BACKEND_FAILURE, `Disk storage could not ${action}`, {
    cause: error,
    ...(key === undefined ? {} : { key }),
  });
}

function encodeHeader(header: Header): Uint8Array {
  const json = JSON.stringify(header);
  const bytes = new Uint8Array(DISK_HEADER_BYTES).fill(0x20);
  const encoded = new TextEncoder().encode(json);
  // Bounded by assertPutOptions (two values of at most 256 visible ASCII characters).
  if (encoded.byteLength > DISK_HEADER_BYTES - 1) throw new Error('disk header overflow');
  bytes.set(encoded, 0);
  bytes[DISK_HEADER_BYTES - 1] = 0x0a;
  return bytes;
}

function decodeHeader(bytes: Uint8Array, key: string): Header {
  try {
    if (bytes.byteLength !== DISK_HEADER_BYTES || bytes[DISK_HEADER_BYTES - 1] !== 0x0a)
      throw new Error('short');
    const header = JSON.parse(new TextDecoder().decode(bytes)) as Header;
    if (header.v !== 1 || !Number.isSafeInteger(header.size) || typeof header.etag !== 'string')
      throw new Error('shape');
    return header;
  } catch (cause) {
    throw new StorageError(
      STORAGE_ERROR_CODES.BACKEND_FAILURE,
      `File of ${JSON.stringify(key)} is not a blob file`,
      {
        cause,
        key,
      },
    );
  }
}

function infoOf(header: Header, lastModified: Date): BlobInfo {
  return {
    size: header.size,
    etag: header.etag,
    lastModified,
    ...(header.contentType === undefined ? {} : { contentType: header.contentType }),
    ...(header.cacheControl === undefined ? {} : { cacheControl: header.cacheControl }),
  };
}

/**
 * A {@link BlobStorage} on the local file system: one file per object under `<dir>/objects`, at the
 * key's path. Writes go to `<dir>/tmp` and are renamed into place (atomic), directories are made on
 * demand and pruned when they become empty, and symbolic links are never followed: a link found
 * in the tree is refused with `STORAGE_UNSAFE_PATH` (or skipped by `list`).
 * A key and a longer key below it (`a/b` and `a/b/c`) cannot both exist: `STORAGE_KEY_CONFLICT`.
 *
 * @see ../README.md
 */
export function diskStorage(options: DiskStorageOptions): BlobStorage {
  if (typeof options?.dir !== 'string' || options.dir.length === 0) {
    throw new StorageError(STORAGE_ERROR_CODES.INVALID_OPTIONS, 'diskStorage needs a dir');
  }
  const chunkBytes = options.readChunkBytes ?? 64 * 1024;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
    throw new StorageError(STORAGE_ERROR_CODES.INVALID_OPTIONS, 'readChunkBytes must be a positive integer');
  }
  const root = resolve(options.dir);
  const objectsDir = join(root, 'objects');
  const tmpDir = join(root, 'tmp');
  let ready: Promise<string> | undefined;

  /** Creates the layout once and returns the real path of the objects directory. */
  function init(): Promise<string> {
    ready ??= (async () => {
      await mkdir(objectsDir, { recursive: true });
      await mkdir(tmpDir, { recursive: true });
      await removeStaleTemps();
      return realpath(objectsDir);
    })().catch((error: unknown) => {
      ready = undefined;
      throw backendFailure(error, undefined, `create its directories in ${root}`);
    });
    return ready;
  }

  const pathOf = (key: string): string => join(objectsDir, ...key.split('/'));

  /**
   * Removes uploads left behind by a process that died mid-put. Every write updates a temp file's
   * mtime, so one untouched for STALE_TEMP_MS belongs to no live upload, even in another process.
   */
  async function removeStaleTemps(): Promise<void> {
    const names = await readdir(tmpDir).catch(() => [] as string[]);
    const cutoff = Date.now() - STALE_TEMP_MS;
    for (const name of names) {
      if (!name.endsWith('.part')) continue;
      const path = join(tmpDir, name);
      const stats = await lstat(path).catch(() => undefined);
      if (stats?.isFile() && stats.mtimeMs < cutoff) await unlink(path).catch(() => {});
    }
  }

  /**
   * Walks the directories leading to `key` without following links. `create` makes missing ones.
   * Returns false when one is missing (and `create` is off).
   */
  async function walkParents(key: string, create: boolean): Promise<boolean> {
    const segments = key.split('/');
    let current = objectsDir;
    for (const [index, segment] of segments.slice(0, -1).entries()) {
      current = join(current, segment);
      // lstat first: on the common path (the folder exists) that is one system call per level.
      let stats = await lstat(current).catch((error: unknown) => {
        const code = errnoOf(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw error;
      });
      if (stats === undefined) {
        if (!create) return false;
        try {
          await mkdir(current);
          continue;
        } catch (error) {
          if (errnoOf(error) !== 'EEXIST') throw error;
          stats = await lstat(current);
        }
      }
      if (stats.isSymbolicLink()) {
        throw new StorageError(
          STORAGE_ERROR_CODES.UNSAFE_PATH,
          `A symbolic link lies on the path of ${JSON.stringify(key)}`,
          {
            key,
          },
        );
      }
      if (!stats.isDirectory()) {
        if (!create) return false;
        throw new StorageError(
          STORAGE_ERROR_CODES.KEY_CONFLICT,
          `Cannot store ${JSON.stringify(key)}: ${JSON.stringify(segments.slice(0, index + 1).join('/'))} is an object`,
          { key },
        );
      }
    }
    return true;
  }

  /** Opens an object for reading, or returns null when there is none. */
  async function openBlob(key: string): Promise<OpenedBlob | null> {
    const realObjects = await init();
    let handle: FileHandle;
    try {
      handle = await open(pathOf(key), READ_FLAGS);
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      if (code === 'ELOOP') {
        throw new StorageError(STORAGE_ERROR_CODES.UNSAFE_PATH, `${JSON.stringify(key)} is a symbolic link`, {
          key,
        });
      }
      throw backendFailure(error, key, `open ${JSON.stringify(key)}`);
    }
    try {
      // O_NOFOLLOW guards the last component; the directories above must resolve inside the root.
      const parent = await realpath(dirname(pathOf(key)));
      if (parent !== realObjects && !parent.startsWith(realObjects + sep)) {
        throw new StorageError(
          STORAGE_ERROR_CODES.UNSAFE_PATH,
          `A symbolic link lies on the path of ${JSON.stringify(key)}`,
          {
            key,
          },
        );
      }
      const stats = await handle.stat();
      if (!stats.isFile()) {
        await handle.close();
        return null;
      }
      const headerBytes = new Uint8Array(DISK_HEADER_BYTES);
      const { bytesRead } = await handle.read(headerBytes, 0, DISK_HEADER_BYTES, 0);
      const header = decodeHeader(headerBytes.subarray(0, bytesRead), key);
      if (stats.size !== DISK_HEADER_BYTES + header.size) decodeHeader(new Uint8Array(0), key);
      return { handle, header, lastModified: stats.mtime };
    } catch (error) {
      await handle.close().catch(() => {});
      if (isStorageError(error)) throw error;
      throw backendFailure(error, key, `read ${JSON.stringify(key)}`);
    }
  }

  function streamFile(handle: FileHandle, start: number, endExclusive: number): ReadableStream<Uint8Array> {
    let position = start;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    };
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const length = Math.min(chunkBytes, endExclusive - position);
          if (length <= 0) {
            await close();
            controller.close();
            return;
          }
          const chunk = new Uint8Array(length);
          const { bytesRead } = await handle.read(chunk, 0, length, position);
          if (bytesRead === 0) throw new Error('file ended early');
          position += bytesRead;
          controller.enqueue(bytesRead === length ? chunk : chunk.subarray(0, bytesRead));
        } catch (error) {
          await close().catch(() => {});
          controller.error(backendFailure(error, undefined, 'read an object'));
        }
      },
      async cancel() {
        await close();
      },
    });
  }

  async function put(key: string, body: BlobBody, putOptions: PutOptions = {}): Promise<PutResult> {
    assertKey(key);
    assertPutOptions(putOptions);
    await init();
    const temp = join(tmpDir, `${randomUUID()}.part`);
    let handle: FileHandle | undefined;
    let published = false;
    try {
      try {
        handle = await open(temp, 'wx');
      } catch (error) {
        throw backendFailure(error, key, 'create a temporary file');
      }
      const file = handle;
      const hash = createHash('md5');
      let size = 0;
      // Small bodies (most files of a course) are held until the end and written with the header in
      // one call; larger ones are written as they arrive, the header last.
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      let flushed = 0;
      const writeAll = async (chunks: Uint8Array[], position: number) => {
        let offset = position;
        for (const chunk of chunks) {
          let written = 0;
          while (written < chunk.byteLength) {
            const result = await file.write(chunk, written, chunk.byteLength - written, offset + written);
            written += result.bytesWritten;
          }
          offset += chunk.byteLength;
        }
      };
      for await (const chunk of bodyChunks(body)) {
        hash.update(chunk);
        size += chunk.byteLength;
        if (putOptions.size !== undefined && size > putOptions.size)
          assertSizeMatches(key, putOptions.size, size);
        if (pendingBytes + chunk.byteLength <= SMALL_BODY_BYTES) {
          // Copy: the caller may reuse its buffer once the next chunk is requested.
          pending.push(chunk.slice());
          pendingBytes += chunk.byteLength;
          continue;
        }
        await writeAll([...pending, chunk], DISK_HEADER_BYTES + flushed);
        flushed = size;
        pending = [];
        pendingBytes = 0;
      }
      assertSizeMatches(key, putOptions.size, size);
      const header: Header = {
        v: 1,
        size,
        etag: `"${hash.digest('hex')}"`,
        ...(putOptions.contentType === undefined ? {} : { contentType: putOptions.contentType }),
        ...(putOptions.cacheControl === undefined ? {} : { cacheControl: putOptions.cacheControl }),
      };
      if (flushed === 0) {
        await writeAll([Buffer.concat([encodeHeader(header), ...pending])], 0);
      } else {
        await writeAll(pending, DISK_HEADER_BYTES + flushed);
        await writeAll([encodeHeader(header)], 0);
      }
      if (options.fsync) await handle.datasync();
      await handle.close();
      handle = undefined;
      // A concurrent delete may prune a folder between our mkdir of it and the mkdir of its child or
      // the rename: walk again.
      for (let attempt = 0; ; attempt++) {
        try {
          await walkParents(key, true);
          await rename(temp, pathOf(key));
          published = true;
          break;
        } catch (error) {
          const code = errnoOf(error);
          if (code === 'ENOENT' && attempt < 10) continue;
          if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
            throw new StorageError(
              STORAGE_ERROR_CODES.KEY_CONFLICT,
              `Cannot store ${JSON.stringify(key)}: objects exist below it`,
              { key, cause: error },
            );
          }
          throw error;
        }
      }
      return { size, etag: header.etag };
    } catch (error) {
      if (isFsError(error)) throw backendFailure(error, key, `write ${JSON.stringify(key)}`);
      throw error;
    } finally {
      if (handle) await handle.close().catch(() => {});
      if (!published) await unlink(temp).catch(() => {});
    }
  }

  async function get(key: string, getOptions: GetOptions = {}): Promise<BlobObject | null> {
    assertKey(key);
    assertRange(getOptions.range);
    const opened = await openBlob(key);
    if (!opened) return null;
    const { handle, header, lastModified } = opened;
    const info = infoOf(header, lastModified);
    if (getOptions.range === undefined) {
      return { ...info, body: streamFile(handle, DISK_HEADER_BYTES, DISK_HEADER_BYTES + header.size) };
    }
    let range: ReturnType<typeof resolveRange>;
    try {
      range = resolveRange(key, getOptions.range, header.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return {
      ...info,
      size: range.end - range.start + 1,
      range,
      body: streamFile(handle, DISK_HEADER_BYTES + range.start, DISK_HEADER_BYTES + range.end + 1),
    };
  }

  async function head(key: string): Promise<BlobInfo | null> {
    assertKey(key);
    const opened = await openBlob(key);
    if (!opened) return null;
    await opened.handle.close();
    return infoOf(opened.header, opened.lastModified);
  }

  /**
   * Yields the object keys under the folder `prefix` in code point order, after `after`, without
   * following links. A directory `d` stands for the keys `d/...`, so it sorts as `d/`.
   */
  async function* walk(prefix: string, after: string | undefined): AsyncGenerator<string> {
    if (prefix !== '') {
      if (!(await walkParents(`${prefix}/x`, false))) return;
    }
    async function* visit(dirPath: string, keyPrefix: string): AsyncGenerator<string> {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dirPath, { withFileTypes: true });
      } catch (error) {
        const code = errnoOf(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw error;
      }
      const sorted = entries
        .filter((entry) => entry.isFile() || entry.isDirectory())
        .map((entry) => ({ entry, sortKey: entry.isDirectory() ? `${entry.name}/` : entry.name }))
        .sort((a, b) => compareKeys(a.sortKey, b.sortKey));
      for (const { entry } of sorted) {
        const key = keyPrefix + entry.name;
        if (entry.isDirectory()) {
          const folder = `${key}/`;
          if (after !== undefined && compareKeys(after, folder) > 0 && !after.startsWith(folder)) continue;
          yield* visit(join(dirPath, entry.name), folder);
        } else if (after === undefined || compareKeys(key, after) > 0) {
          yield key;
        }
      }
    }
    yield* visit(prefix === '' ? objectsDir : pathOf(prefix), prefix === '' ? '' : `${prefix}/`);
  }

  async function list(prefix: string, listOptions?: ListOptions): Promise<ListPage> {
    const normalized = normalizePrefix(prefix);
    const { limit, after } = parseListOptions(listOptions);
    await init();
    const items: ListItem[] = [];
    let more = false;
    try {
      for await (const key of walk(normalized, after)) {
        if (items.length === limit) {
          more = true;
          break;
        }
        let stats: Awaited<ReturnType<typeof lstat>>;
        try {
          stats = await lstat(pathOf(key));
        } catch (error) {
          if (errnoOf(error) === 'ENOENT') continue;
          throw error;
        }
        items.push({ key, size: Math.max(0, stats.size - DISK_HEADER_BYTES), lastModified: stats.mtime });
      }
    } catch (error) {
      if (isFsError(error)) throw backendFailure(error, normalized, 'list objects');
      throw error;
    }
    const last = items.at(-1);
    return more && last ? { items, cursor: encodeKeyCursor(last.key) } : { items };
  }

  /** Removes empty directories from `key`'s parent up to (not including) the objects directory. */
  async function prune(key: string): Promise<void> {
    let current = dirname(pathOf(key));
    while (current.startsWith(objectsDir + sep)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
      current = dirname(current);
    }
  }

  async function remove(key: string): Promise<void> {
    assertKey(key);
    await init();
    try {
      if (!(await walkParents(key, false))) return;
      try {
        await unlink(pathOf(key));
      } catch (error) {
        const code = errnoOf(error);
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'EPERM') return;
        throw error;
      }
      await prune(key);
    } catch (error) {
      if (isFsError(error)) throw backendFailure(error, key, `delete ${JSON.stringify(key)}`);
      throw error;
    }
  }

  async function removeEmptyDirs(dirPath: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dirPath, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) await removeEmptyDirs(join(dirPath, entry.name));
    }
    await rmdir(dirPath).catch(() => {});
  }

  async function deletePrefix(prefix: string): Promise<number> {
    const normalized = normalizePrefix(prefix);
    await init();
    let count = 0;
    try {
      const keys: string[] = [];
      for await (const key of walk(normalized, undefined)) keys.push(key);
      for (const key of keys) {
        try {
          await unlink(pathOf(key));
          count++;
        } catch (error) {
          if (errnoOf(error) !== 'ENOENT') throw error;
        }
      }
      if (normalized === '') {
        const entries = await readdir(objectsDir, { withFileTypes: true });
        for (const entry of entries) {
          if (entry.isDirectory()) await removeEmptyDirs(join(objectsDir, entry.name));
        }
      } else if (await walkParents(`${normalized}/x`, false)) {
        await removeEmptyDirs(pathOf(normalized));
        await prune(`${normalized}/x`);
      }
    } catch (error) {
      if (isFsError(error)) throw backendFailure(error, normalized, 'delete objects');
      throw error;
    }
    return count;
  }

  return {
    name: 'disk',
    capabilities: { persistent: true, signedUrls: false },
    put,
    get,
    head,
    list,
    delete: remove,
    deletePrefix,
  };
}
