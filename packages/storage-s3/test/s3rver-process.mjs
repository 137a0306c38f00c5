// Runs s3rver in its own process, for the S3 driver's tests.
//
// Two adjustments make s3rver 3.7 behave like S3 where the conformance suite depends on it:
// - it encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only offers through its
//   legacy provider, so this process is started with `--openssl-legacy-provider` (the test process
//   keeps the default OpenSSL configuration);
// - its file store answers a PUT before the content is written and rewrites objects in place, so a
//   read right after a write, or during a concurrent write, sees partial content. S3 is strongly
//   consistent and replaces objects atomically; the patch below writes to a temporary file, waits
//   for it, then renames it and writes the metadata under a per-key lock that reads also take.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';

const held = new AsyncLocalStorage();
const tails = new Map();

async function withLock(name, task) {
  if (held.getStore()?.has(name)) return task();
  const previous = tails.get(name) ?? Promise.resolve();
  let release;
  const current = new Promise((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => current);
  tails.set(name, tail);
  await previous;
  try {
    return await held.run(new Set([...(held.getStore() ?? []), name]), task);
  } finally {
    release();
    if (tails.get(name) === tail) tails.delete(name);
  }
}

const store = FilesystemStore.prototype;
const originalGetObject = store.getObject;
const originalGetMetadata = store.getMetadata;
const originalDeleteObject = store.deleteObject;

store.getObject = function getObject(bucket, key, options) {
  return withLock(`${bucket}/${key}`, () => originalGetObject.call(this, bucket, key, options));
};
store.getMetadata = function getMetadata(bucket, key) {
  return withLock(`${bucket}/${key}`, () => originalGetMetadata.call(this, bucket, key));
};
store.deleteObject = function deleteObject(bucket, key) {
  return withLock(`${bucket}/${key}`, () => originalDeleteObject.call(this, bucket, key));
};
store.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(dirname(objectPath), { recursive: true });
  const temp = `${objectPath}.${randomUUID()}.tmp`;
  const md5 = createHash('md5');
  let size = 0;
  const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
  try {
    await pipeline(
      source,
      new Transform({
        transform(chunk, encoding, callback) {
          md5.update(chunk, encoding);
          size += chunk.length;
          callback(null, chunk);
        },
      }),
      createWriteStream(temp),
    );
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  const digest = md5.digest('hex');
  await withLock(`${object.bucket}/${object.key}`, async () => {
    await mkdir(dirname(objectPath), { recursive: true });
    await rename(temp, objectPath);
    await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  });
  return { size, md5: digest };
};

const directory = process.argv[2];
if (!directory) throw new Error('usage: s3rver-process.mjs <directory>');
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

const stop = async () => {
  await server.close().catch(() => {});
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
