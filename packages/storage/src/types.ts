/**
 * What `put` accepts. Streams and async iterables are consumed chunk by chunk, so a driver never
 * needs the whole body in memory (the memory driver excepted, by nature).
 */
export type BlobBody = Uint8Array | string | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Options of `put`. */
export interface PutOptions {
  /** MIME type returned by `get`/`head` (and sent as `Content-Type` when served). */
  contentType?: string;
  /** `Cache-Control` value kept with the object. */
  cacheControl?: string;
  /**
   * Announced body size in bytes. Drivers may use it (S3 sends a single request when it fits one
   * part); when the body turns out to have another size the put fails with `STORAGE_SIZE_MISMATCH`
   * and the previous object, if any, is left untouched.
   */
  size?: number;
}

/** What `put` reports back. */
export interface PutResult {
  /** Bytes stored. */
  size: number;
  /** Entity tag of the stored object, when the driver has one. */
  etag?: string;
}

/** A byte range; `end` is inclusive, like HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  /** Inclusive last byte; omitted or beyond the object means "to the end". */
  end?: number;
}

/** Options of `get`. */
export interface GetOptions {
  range?: ByteRange;
}

/** Metadata of a stored object, as returned by `head`. */
export interface BlobInfo {
  /** Size of the whole object in bytes. */
  size: number;
  contentType?: string;
  cacheControl?: string;
  etag?: string;
  lastModified?: Date;
}

/** The part of an object a ranged `get` returned (inclusive `end`, `total` = object size). */
export interface ResolvedRange {
  start: number;
  end: number;
  total: number;
}

/** A stored object being read. */
export interface BlobObject {
  /** The bytes (the requested range only, for a ranged get). Cancel it if you stop reading early. */
  body: ReadableStream<Uint8Array>;
  /** Number of bytes in `body`; the object size is `range.total` for a ranged get. */
  size: number;
  contentType?: string;
  cacheControl?: string;
  etag?: string;
  lastModified?: Date;
  /** Present for a ranged get. */
  range?: ResolvedRange;
}

/** Options of `list`. */
export interface ListOptions {
  /** Opaque cursor from a previous page's `cursor`. */
  cursor?: string;
  /** Page size, 1..1000 (default 1000). */
  limit?: number;
}

/** One listed object. */
export interface ListItem {
  key: string;
  size: number;
  lastModified?: Date;
  etag?: string;
}

/** One page of `list`. */
export interface ListPage {
  /** Keys in lexical (Unicode code point = UTF-8 byte) order. */
  items: ListItem[];
  /** Pass to the next call to continue; absent on the last page. */
  cursor?: string;
}

/** What a driver can do beyond the contract. Flags, never methods stubbed to throw. */
export interface StorageCapabilities {
  /** Data outlives the process. */
  persistent: boolean;
  /** The driver can hand out pre-signed URLs (none of the bundled drivers does yet). */
  signedUrls: boolean;
}

/**
 * The blob storage contract of ScormFlow: course files, uploads and exports go through it.
 * Keys follow the rules of `checkKey`; prefixes name folders (`a/b` covers `a/b/...`, not `a/bc`).
 *
 * @see ../README.md
 */
export interface BlobStorage {
  /** Driver name, for logs and diagnostics. */
  readonly name: string;
  readonly capabilities: StorageCapabilities;
  /** Stores (or replaces) an object. Readers see the old or the new object, never a mix. */
  put(key: string, body: BlobBody, options?: PutOptions): Promise<PutResult>;
  /** Reads an object, or `null` when there is none. */
  get(key: string, options?: GetOptions): Promise<BlobObject | null>;
  /** An object's metadata, or `null` when there is none. */
  head(key: string): Promise<BlobInfo | null>;
  /** One page of the objects under `prefix` (`''` for all), in lexical key order. */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Deletes an object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every object under `prefix`; returns how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
  /** Releases connections or handles the driver opened itself. */
  close?(): Promise<void>;
}
