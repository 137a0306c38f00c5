import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  type DeleteObjectsCommandOutput,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
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
  checkKey,
  type GetOptions,
  isStorageError,
  joinKey,
  type ListItem,
  type ListOptions,
  type ListPage,
  listLimit,
  normalizePrefix,
  type PutOptions,
  type PutResult,
  type ResolvedRange,
  resolveRange,
  STORAGE_ERROR_CODES,
  StorageError,
} from '@scormflow/storage';

/** Smallest part S3 accepts in a multipart upload (all parts but the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** Options of {@link s3Storage}. */
export interface S3StorageOptions {
  /** Bucket name. It must exist. */
  bucket: string;
  /** Region, e.g. `eu-west-1`; `auto` for Cloudflare R2, any value (often `us-east-1`) for MinIO. */
  region?: string;
  /** Endpoint URL for S3-compatible services: `https://<account>.r2.cloudflarestorage.com`, `http://minio:9000`. */
  endpoint?: string;
  /** Address buckets as `endpoint/bucket/key` instead of `bucket.endpoint/key`. Needed by MinIO and most self-hosted servers. */
  forcePathStyle?: boolean;
  /** Static credentials. Without them the AWS SDK's default chain applies (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Folder inside the bucket that holds every key of this storage (e.g. `scormflow`). */
  prefix?: string;
  /**
   * A client you configured yourself; `region`, `endpoint`, `forcePathStyle` and `credentials` are
   * then ignored, and `close` leaves the client open.
   */
  client?: S3Client;
  /** Size of multipart upload parts in bytes (min 5 MiB, default 8 MiB). Bodies smaller than one part use one PutObject. */
  partBytes?: number;
  /** Parts one put keeps in memory, uploading or being filled (default 2): memory per put is about `partBytes * queueSize`. */
  queueSize?: number;
}

interface S3ErrorLike {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function statusOf(error: unknown): number | undefined {
  return (error as S3ErrorLike | undefined)?.$metadata?.httpStatusCode;
}

function nameOf(error: unknown): string | undefined {
  const e = error as S3ErrorLike | undefined;
  return e?.name ?? e?.Code;
}

function isNotFound(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(error) === 404 && name !== 'NoSuchBucket');
}

function parseContentRange(value: string | undefined): ResolvedRange | undefined {
  const match = value ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) };
}

/**
 * A web stream over the SDK's response body. In Node the body is an `IncomingMessage`; pulling from
 * its async iterator avoids `Readable.toWeb`, which measured slower here. Elsewhere the SDK's own
 * conversion is used.
 */
function webStreamOf(body: { transformToWebStream(): ReadableStream }): ReadableStream<Uint8Array> {
  const iterable = body as unknown as Partial<AsyncIterable<Uint8Array>>;
  if (typeof iterable[Symbol.asyncIterator] !== 'function') {
    return body.transformToWebStream() as ReadableStream<Uint8Array>;
  }
  const iterator = iterable[Symbol.asyncIterator]!();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** The first `length` bytes of `source`; the rest is never read. */
function truncate(source: ReadableStream<Uint8Array>, length: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let remaining = length;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = remaining > 0 ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) {
        controller.close();
        await reader.cancel().catch(() => {});
        return;
      }
      const chunk = next.value.byteLength > remaining ? next.value.subarray(0, remaining) : next.value;
      remaining -= chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * A {@link BlobStorage} on Amazon S3 or an S3-compatible service (Cloudflare R2, MinIO), with
 * `@aws-sdk/client-s3`. Bodies are streamed in parts (multipart upload past one part), ranges use
 * the `Range` header, `list` pages with ListObjectsV2 continuation tokens and `deletePrefix`
 * deletes in batches of 1000 with DeleteObjects.
 *
 * The client it creates computes request checksums only when an operation requires one
 * (`requestChecksumCalculation: 'WHEN_REQUIRED'`): the SDK's default since 3.729 sends streamed
 * bodies as `aws-chunked` with a trailing CRC32, which several S3-compatible servers store verbatim
 * or reject.
 *
 * @see ../README.md
 */
export function s3Storage(options: S3StorageOptions): BlobStorage {
  if (typeof options?.bucket !== 'string' || options.bucket.length === 0) {
    throw new StorageError(STORAGE_ERROR_CODES.INVALID_OPTIONS, 's3Storage needs a bucket');
  }
  const partBytes = options.partBytes ?? 8 * 1024 * 1024;
  if (!Number.isSafeInteger(partBytes) || partBytes < MIN_PART_BYTES) {
    throw new StorageError(
      STORAGE_ERROR_CODES.INVALID_OPTIONS,
      `partBytes must be an integer >= ${MIN_PART_BYTES}`,
    );
  }
  const queueSize = options.queueSize ?? 2;
  if (!Number.isSafeInteger(queueSize) || queueSize < 1) {
    throw new StorageError(STORAGE_ERROR_CODES.INVALID_OPTIONS, 'queueSize must be a positive integer');
  }
  const base = options.prefix === undefined ? '' : normalizePrefix(options.prefix);
  const bucket = options.bucket;
  const ownsClient = options.client === undefined;
  const client =
    options.client ??
    new S3Client({
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    } satisfies S3ClientConfig);

  const objectKey = (key: string): string => (base === '' ? assertKey(key) : joinKey(base, assertKey(key)));
  const folderOf = (prefix: string): string => {
    const normalized = normalizePrefix(prefix);
    if (normalized === '') return base === '' ? '' : `${base}/`;
    return `${base === '' ? normalized : joinKey(base, normalized)}/`;
  };
  const storageKey = (key: string): string => (base === '' ? key : key.slice(base.length + 1));

  function failure(error: unknown, action: string, key?: string): never {
    if (isStorageError(error)) throw error;
    throw new StorageError(
      STORAGE_ERROR_CODES.BACKEND_FAILURE,
      `S3 could not ${action}: ${nameOf(error) ?? 'error'}`,
      {
        cause: error,
        ...(key === undefined ? {} : { key }),
      },
    );
  }

  async function put(key: string, body: BlobBody, putOptions: PutOptions = {}): Promise<PutResult> {
    const target = objectKey(key);
    assertPutOptions(putOptions);
    const announced = putOptions.size;
    const metadata = {
      ...(putOptions.contentType === undefined ? {} : { ContentType: putOptions.contentType }),
      ...(putOptions.cacheControl === undefined ? {} : { CacheControl: putOptions.cacheControl }),
    };

    // The part being filled. Chunks are copied in (the caller may reuse its buffer once the next
    // chunk is requested), which is the only copy the driver makes.
    let part: Uint8Array = new Uint8Array(0);
    let filled = 0;
    let total = 0;
    let uploadId: string | undefined;
    const parts: CompletedPart[] = [];
    const inFlight = new Set<Promise<void>>();
    let uploadError: unknown;

    const startUpload = async (): Promise<string> => {
      try {
        const created = await client.send(
          new CreateMultipartUploadCommand({ Bucket: bucket, Key: target, ...metadata }),
        );
        if (!created.UploadId) throw new Error('no UploadId');
        return created.UploadId;
      } catch (error) {
        return failure(error, `start an upload of ${JSON.stringify(key)}`, key);
      }
    };

    const sendPart = async (bytes: Uint8Array): Promise<void> => {
      uploadId ??= await startUpload();
      const partNumber = parts.length + 1;
      const slot: CompletedPart = { PartNumber: partNumber };
      parts.push(slot);
      const id = uploadId;
      const task = client
        .send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: target,
            UploadId: id,
            PartNumber: partNumber,
            Body: bytes,
            ContentLength: bytes.byteLength,
          }),
        )
        .then((result) => {
          slot.ETag = result.ETag;
          // The request is complete, so its buffer can take the next part.
          if (bytes.byteLength === partBytes) spare.push(bytes);
        })
        .catch((error: unknown) => {
          uploadError ??= error;
        })
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      // Back-pressure: never hold more than queueSize parts in flight.
      while (inFlight.size >= queueSize) await Promise.race(inFlight);
      if (uploadError !== undefined) failure(uploadError, `upload a part of ${JSON.stringify(key)}`, key);
    };

    const spare: Uint8Array[] = [];
    const takePart = (): Uint8Array => {
      const bytes = part.subarray(0, filled);
      part = spare.pop() ?? new Uint8Array(0);
      filled = 0;
      return bytes;
    };

    try {
      for await (const chunk of bodyChunks(body)) {
        total += chunk.byteLength;
        if (announced !== undefined && total > announced) assertSizeMatches(key, announced, total);
        let rest = chunk;
        while (rest.byteLength > 0) {
          if (filled + rest.byteLength > part.byteLength && part.byteLength < partBytes) {
            // Grow towards a full part, so that a 4 KiB file does not cost an 8 MiB buffer.
            const wanted = Math.max(filled + rest.byteLength, part.byteLength * 2, announced ?? 0, 64 * 1024);
            const grown = new Uint8Array(Math.min(partBytes, wanted));
            grown.set(part.subarray(0, filled));
            part = grown;
          }
          const taken = rest.subarray(0, part.byteLength - filled);
          part.set(taken, filled);
          filled += taken.byteLength;
          rest = rest.subarray(taken.byteLength);
          if (filled === partBytes) await sendPart(takePart());
        }
      }
      assertSizeMatches(key, announced, total);

      if (uploadId === undefined && parts.length === 0) {
        try {
          const result = await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: target,
              Body: takePart(),
              ContentLength: total,
              ...metadata,
            }),
          );
          return { size: total, ...(result.ETag ? { etag: result.ETag } : {}) };
        } catch (error) {
          return failure(error, `put ${JSON.stringify(key)}`, key);
        }
      }
      if (filled > 0) await sendPart(takePart());
      await Promise.all(inFlight);
      if (uploadError !== undefined) failure(uploadError, `upload a part of ${JSON.stringify(key)}`, key);
      try {
        const result = await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: target,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
        uploadId = undefined;
        return { size: total, ...(result.ETag ? { etag: result.ETag } : {}) };
      } catch (error) {
        return failure(error, `complete the upload of ${JSON.stringify(key)}`, key);
      }
    } finally {
      if (uploadId !== undefined) {
        await Promise.allSettled(inFlight);
        await client
          .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: target, UploadId: uploadId }))
          .catch(() => {});
      }
    }
  }

  async function get(key: string, getOptions: GetOptions = {}): Promise<BlobObject | null> {
    const target = objectKey(key);
    const requested = getOptions.range;
    assertRange(requested);
    let response: GetObjectCommandOutput;
    try {
      response = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: target,
          ...(requested ? { Range: `bytes=${requested.start}-${requested.end ?? ''}` } : {}),
        }),
      );
    } catch (error) {
      if (isNotFound(error)) return null;
      if (nameOf(error) === 'InvalidRange' || statusOf(error) === 416) {
        throw new StorageError(
          STORAGE_ERROR_CODES.RANGE_NOT_SATISFIABLE,
          `Range starting at ${requested?.start} is not satisfiable for ${JSON.stringify(key)}`,
          { key, cause: error },
        );
      }
      return failure(error, `get ${JSON.stringify(key)}`, key);
    }
    const stream = response.Body ? webStreamOf(response.Body) : undefined;
    let body = stream ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
    let size = response.ContentLength ?? 0;
    let range: ResolvedRange | undefined;
    if (requested) {
      // Check the server's answer instead of trusting it: a server may answer a range covering the
      // whole object with 200 and no Content-Range, or return more than was asked for.
      const answered =
        parseContentRange(response.ContentRange) ??
        (requested.start === 0 ? { start: 0, end: size - 1, total: size } : undefined);
      try {
        if (!answered || answered.start !== requested.start) {
          failure(
            new Error(`unexpected Content-Range ${String(response.ContentRange)}`),
            `get a range of ${JSON.stringify(key)}`,
            key,
          );
        }
        range = resolveRange(key, requested, answered.total);
        if (answered.end < range.end) {
          failure(
            new Error(`short Content-Range ${String(response.ContentRange)}`),
            `get a range of ${JSON.stringify(key)}`,
            key,
          );
        }
      } catch (error) {
        await body.cancel().catch(() => {});
        throw error;
      }
      size = range.end - range.start + 1;
      if (answered.end > range.end) body = truncate(body, size);
    }
    return {
      body,
      size,
      ...(response.ContentType === undefined ? {} : { contentType: response.ContentType }),
      ...(response.CacheControl === undefined ? {} : { cacheControl: response.CacheControl }),
      ...(response.ETag === undefined ? {} : { etag: response.ETag }),
      ...(response.LastModified === undefined ? {} : { lastModified: response.LastModified }),
      ...(range ? { range } : {}),
    };
  }

  let bucketReachable: Promise<void> | undefined;
  /**
   * HeadObject answers a missing bucket with the same bodiless 404 as a missing key; the first time
   * a head finds nothing, make sure the bucket exists, so a misconfiguration is not read as "absent".
   */
  function checkBucket(): Promise<void> {
    bucketReachable ??= client.send(new HeadBucketCommand({ Bucket: bucket })).then(
      () => undefined,
      (error: unknown) => {
        bucketReachable = undefined;
        failure(error, `reach the bucket ${JSON.stringify(bucket)}`);
      },
    );
    return bucketReachable;
  }

  async function head(key: string): Promise<BlobInfo | null> {
    const target = objectKey(key);
    try {
      const response = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: target }));
      return {
        size: response.ContentLength ?? 0,
        ...(response.ContentType === undefined ? {} : { contentType: response.ContentType }),
        ...(response.CacheControl === undefined ? {} : { cacheControl: response.CacheControl }),
        ...(response.ETag === undefined ? {} : { etag: response.ETag }),
        ...(response.LastModified === undefined ? {} : { lastModified: response.LastModified }),
      };
    } catch (error) {
      if (isNotFound(error)) {
        await checkBucket();
        return null;
      }
      return failure(error, `head ${JSON.stringify(key)}`, key);
    }
  }

  async function listPage(folder: string, limit: number, cursor: string | undefined) {
    try {
      return await client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          ...(folder === '' ? {} : { Prefix: folder }),
          MaxKeys: limit,
          ...(cursor === undefined ? {} : { ContinuationToken: cursor }),
        }),
      );
    } catch (error) {
      if (cursor !== undefined && (nameOf(error) === 'InvalidArgument' || statusOf(error) === 400)) {
        throw new StorageError(STORAGE_ERROR_CODES.INVALID_LIST_OPTIONS, 'List cursor is not valid', {
          cause: error,
        });
      }
      return failure(error, 'list objects');
    }
  }

  async function list(prefix: string, listOptions?: ListOptions): Promise<ListPage> {
    const folder = folderOf(prefix);
    const limit = listLimit(listOptions);
    const cursor = listOptions?.cursor;
    if (
      cursor !== undefined &&
      (typeof cursor !== 'string' || !/^[A-Za-z0-9+/=_.~-]{1,4096}$/.test(cursor))
    ) {
      throw new StorageError(STORAGE_ERROR_CODES.INVALID_LIST_OPTIONS, 'List cursor is not valid');
    }
    const response = await listPage(folder, limit, cursor);
    const items: ListItem[] = [];
    for (const entry of response.Contents ?? []) {
      if (entry.Key === undefined || !entry.Key.startsWith(folder)) continue;
      const key = storageKey(entry.Key);
      // Objects written by other tools may break the key rules; they are not part of this storage.
      if (!checkKey(key).ok) continue;
      items.push({
        key,
        size: entry.Size ?? 0,
        ...(entry.LastModified === undefined ? {} : { lastModified: entry.LastModified }),
        ...(entry.ETag === undefined ? {} : { etag: entry.ETag }),
      });
    }
    return response.IsTruncated && response.NextContinuationToken
      ? { items, cursor: response.NextContinuationToken }
      : { items };
  }

  async function remove(key: string): Promise<void> {
    const target = objectKey(key);
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: target }));
    } catch (error) {
      if (isNotFound(error)) return;
      failure(error, `delete ${JSON.stringify(key)}`, key);
    }
  }

  async function deletePrefix(prefix: string): Promise<number> {
    const folder = folderOf(prefix);
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await listPage(folder, 1000, cursor);
      const keys = (page.Contents ?? []).flatMap((entry) =>
        entry.Key === undefined ? [] : [{ Key: entry.Key }],
      );
      if (keys.length > 0) {
        let response: DeleteObjectsCommandOutput;
        try {
          response = await client.send(
            new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
          );
        } catch (error) {
          return failure(error, 'delete objects');
        }
        const errors = response.Errors ?? [];
        count += keys.length - errors.length;
        if (errors.length > 0) {
          const first = errors[0]!;
          failure(
            Object.assign(
              new Error(`${first.Code ?? 'Error'}: ${first.Message ?? ''} (${first.Key ?? ''})`),
              {
                name: first.Code ?? 'DeleteObjectsError',
              },
            ),
            `delete ${errors.length} of ${keys.length} objects`,
          );
        }
      }
      cursor = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (cursor !== undefined);
    return count;
  }

  return {
    name: 's3',
    capabilities: { persistent: true, signedUrls: false },
    put,
    get,
    head,
    list,
    delete: remove,
    deletePrefix,
    async close() {
      if (ownsClient) client.destroy();
    },
  };
}
