import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isStorageError } from '@scormflow/storage';
import { describeBlobStorage, LONGEST_KEY } from '@scormflow/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS, type S3rverHandle, startS3rver } from '../test/s3rver.js';
import { s3Storage } from './s3-storage.js';

let server: S3rverHandle;
let admin: S3Client;
let buckets = 0;

beforeAll(async () => {
  server = await startS3rver();
  admin = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
  });
});

afterAll(async () => {
  admin?.destroy();
  await server?.stop();
});

async function freshStorage(prefix?: string) {
  const bucket = `conformance-${++buckets}`;
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  const storage = s3Storage({
    bucket,
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    partBytes: 5 * 1024 * 1024,
    ...(prefix === undefined ? {} : { prefix }),
  });
  return { storage, cleanup: () => storage.close!() };
}

// s3rver walks its directory tree and lists `a/b/c` before `a-c`; S3, R2 and MinIO list in UTF-8
// byte order, which the driver passes through unchanged.
const S3RVER_SKIPS = ['lists keys in code point order with sizes'];

describeBlobStorage('s3 (s3rver)', () => freshStorage(), { skip: S3RVER_SKIPS });
describeBlobStorage('s3 (s3rver) with a bucket prefix', () => freshStorage('deploy/scormflow'), {
  // The bucket prefix counts towards S3's 1024-byte key limit, so the longest keys do not fit.
  skip: [...S3RVER_SKIPS, 'stores a key of the maximum length'],
  largeBodyBytes: 12 * 1024 * 1024,
});

function recordingClient(): { client: S3Client; commands: string[] } {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return { client, commands };
}

async function* chunks(total: number, fail = false): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += 1024 * 1024) {
    yield new Uint8Array(Math.min(1024 * 1024, total - sent)).fill(sent % 251);
  }
  if (fail) throw new Error('client went away');
}

describe('s3Storage', () => {
  it('sends one PutObject below a part and a multipart upload above', async () => {
    const { cleanup } = await freshStorage();
    await cleanup();
    const bucket = `conformance-${buckets}`;
    const { client, commands } = recordingClient();
    const storage = s3Storage({ bucket, client, partBytes: 5 * 1024 * 1024 });
    await storage.put('small', chunks(4 * 1024 * 1024), { contentType: 'application/zip' });
    expect(commands).toEqual(['PutObject']);
    commands.length = 0;
    const result = await storage.put('large', chunks(12 * 1024 * 1024 + 5), {
      contentType: 'application/zip',
    });
    expect(result.size).toBe(12 * 1024 * 1024 + 5);
    expect(commands.filter((name) => name !== 'UploadPart')).toEqual([
      'CreateMultipartUpload',
      'CompleteMultipartUpload',
    ]);
    expect(commands.filter((name) => name === 'UploadPart')).toHaveLength(3);
    expect(await storage.head('large')).toMatchObject({
      size: 12 * 1024 * 1024 + 5,
      contentType: 'application/zip',
    });
    await storage.close!();
    // the client was supplied, so close leaves it usable
    await expect(storage.head('small')).resolves.toMatchObject({ size: 4 * 1024 * 1024 });
    client.destroy();
  });

  it('aborts the multipart upload when the body fails and stores nothing', async () => {
    const { cleanup } = await freshStorage();
    await cleanup();
    const bucket = `conformance-${buckets}`;
    const { client, commands } = recordingClient();
    const storage = s3Storage({ bucket, client, partBytes: 5 * 1024 * 1024 });
    await expect(storage.put('broken', chunks(11 * 1024 * 1024, true))).rejects.toThrow('client went away');
    expect(commands).toContain('AbortMultipartUpload');
    expect(commands).not.toContain('CompleteMultipartUpload');
    expect(await storage.head('broken')).toBeNull();
    commands.length = 0;
    await expect(
      storage.put('too-big', chunks(11 * 1024 * 1024), { size: 10 * 1024 * 1024 }),
    ).rejects.toMatchObject({
      code: 'STORAGE_SIZE_MISMATCH',
    });
    // the overflow shows in the third part, after two full parts went out
    expect(commands).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'AbortMultipartUpload']);
    expect(await storage.head('too-big')).toBeNull();
    client.destroy();
  });

  it('keeps every key under the bucket prefix', async () => {
    const { storage, cleanup } = await freshStorage('apps/scormflow');
    const bucket = `conformance-${buckets}`;
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'apps/other/x', Body: 'foreign' }));
    await admin.send(new PutObjectCommand({ Bucket: bucket, Key: 'apps/scormflow-x/y', Body: 'sibling' }));
    await storage.put('tenants/t1/a.txt', 'a');
    const raw = await admin.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((raw.Contents ?? []).map((entry) => entry.Key).sort()).toEqual([
      'apps/other/x',
      'apps/scormflow-x/y',
      'apps/scormflow/tenants/t1/a.txt',
    ]);
    expect((await storage.list('')).items.map((item) => item.key)).toEqual(['tenants/t1/a.txt']);
    expect(await storage.deletePrefix('')).toBe(1);
    const after = await admin.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(after.Contents ?? []).toHaveLength(2);
    await expect(storage.put(LONGEST_KEY, 'x')).rejects.toMatchObject({ code: 'STORAGE_INVALID_KEY' });
    await cleanup();
  });

  it('refuses bad options', () => {
    expect(() => s3Storage({ bucket: '' })).toThrow(
      expect.objectContaining({ code: 'STORAGE_INVALID_OPTIONS' }),
    );
    expect(() => s3Storage({ bucket: 'b', region: 'us-east-1', partBytes: 1024 })).toThrow(
      expect.objectContaining({ code: 'STORAGE_INVALID_OPTIONS' }),
    );
    expect(() => s3Storage({ bucket: 'b', region: 'us-east-1', prefix: '../x' })).toThrow(
      expect.objectContaining({ code: 'STORAGE_INVALID_PREFIX' }),
    );
  });

  it('wraps service failures in a StorageError with the cause', async () => {
    const storage = s3Storage({
      bucket: 'no-such-bucket',
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    const error = await storage.put('x', 'y').catch((caught: unknown) => caught);
    expect(isStorageError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'STORAGE_BACKEND_FAILURE' });
    expect((error as Error).cause).toMatchObject({ name: 'NoSuchBucket' });
    // HeadObject cannot tell a missing bucket from a missing key; the driver asks once.
    await expect(storage.head('x')).rejects.toMatchObject({ code: 'STORAGE_BACKEND_FAILURE' });
    await expect(storage.get('x')).rejects.toMatchObject({ code: 'STORAGE_BACKEND_FAILURE' });
    await storage.close!();
  });
});
