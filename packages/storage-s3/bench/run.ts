// S3 driver benchmark against s3rver (a real S3-compatible HTTP server, started in a child process
// on 127.0.0.1). The baseline is the plain SDK in the same run: one PutObject of the whole body held
// in a Buffer, and GetObject read through the SDK's own Node stream. s3rver itself (file system,
// Koa) bounds every figure, so the ratios matter more than the absolute rates. Peak RSS growth of
// this process (the client side) is sampled every 5 ms.
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Storage } from '../src/index.js';
import { S3RVER_CREDENTIALS, startS3rver } from '../test/s3rver.js';

const LARGE = 128 * 1024 * 1024;
const SMALL_COUNT = 300;
const pool = randomBytes(1024 * 1024);

async function* body(total: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += pool.byteLength)
    yield pool.subarray(0, Math.min(pool.byteLength, total - sent));
}

interface Sample {
  ms: number;
  rssMiB: number;
}

async function measure(task: () => Promise<void>): Promise<Sample> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const start = performance.now();
  await task();
  const ms = performance.now() - start;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { ms, rssMiB: (peak - base) / 1024 / 1024 };
}

const rows: string[][] = [];
function report(name: string, rate: (sample: Sample) => string, driver: Sample, baseline: Sample) {
  rows.push([
    name,
    rate(driver),
    rate(baseline),
    (baseline.ms / driver.ms).toFixed(2),
    `${driver.rssMiB.toFixed(1)} MiB`,
    `${baseline.rssMiB.toFixed(1)} MiB`,
  ]);
}
const mibPerSecond = (bytes: number) => (sample: Sample) =>
  `${(bytes / 1024 / 1024 / (sample.ms / 1000)).toFixed(0)} MiB/s`;
const opsPerSecond = (ops: number) => (sample: Sample) => `${(ops / (sample.ms / 1000)).toFixed(0)} ops/s`;

const server = await startS3rver();
const client = new S3Client({
  region: 'us-east-1',
  endpoint: server.endpoint,
  forcePathStyle: true,
  credentials: S3RVER_CREDENTIALS,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
try {
  await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
  const storage = s3Storage({ bucket: 'bench', client });

  // The driver streams; the baseline must hold the body to give PutObject a length.
  const putDriver = await measure(async () => {
    await storage.put('large/driver.bin', body(LARGE), { contentType: 'application/zip' });
  });
  const putBaseline = await measure(async () => {
    const parts: Uint8Array[] = [];
    for await (const chunk of body(LARGE)) parts.push(chunk);
    const whole = Buffer.concat(parts);
    await client.send(
      new PutObjectCommand({
        Bucket: 'bench',
        Key: 'large/sdk.bin',
        Body: whole,
        ContentType: 'application/zip',
      }),
    );
  });
  report(`put ${LARGE / 1024 / 1024} MiB (8 MiB parts)`, mibPerSecond(LARGE), putDriver, putBaseline);

  // Same driver with one part as large as the body: one PutObject, so the difference to the row
  // above is the cost of multipart uploads on s3rver (it writes parts, then copies them).
  const single = s3Storage({ bucket: 'bench', client, partBytes: LARGE + 1 });
  const putSingle = await measure(async () => {
    await single.put('large/single.bin', body(LARGE), { contentType: 'application/zip' });
  });
  report(`put ${LARGE / 1024 / 1024} MiB (one part)`, mibPerSecond(LARGE), putSingle, putBaseline);

  const getDriver = await measure(async () => {
    const object = await storage.get('large/driver.bin');
    for await (const _ of object!.body as unknown as AsyncIterable<Uint8Array>) {
      // drain
    }
  });
  const getBaseline = await measure(async () => {
    const response = await client.send(new GetObjectCommand({ Bucket: 'bench', Key: 'large/sdk.bin' }));
    for await (const _ of response.Body as AsyncIterable<Uint8Array>) {
      // drain
    }
  });
  report(`get ${LARGE / 1024 / 1024} MiB`, mibPerSecond(LARGE), getDriver, getBaseline);

  const small = new Uint8Array(4096).fill(3);
  const smallDriver = await measure(async () => {
    for (let i = 0; i < SMALL_COUNT; i++)
      await storage.put(`small/d-${i}`, small, { contentType: 'text/plain' });
  });
  const smallBaseline = await measure(async () => {
    for (let i = 0; i < SMALL_COUNT; i++) {
      await client.send(
        new PutObjectCommand({
          Bucket: 'bench',
          Key: `small/s-${i}`,
          Body: small,
          ContentType: 'text/plain',
        }),
      );
    }
  });
  report(`put ${SMALL_COUNT} x 4 KiB`, opsPerSecond(SMALL_COUNT), smallDriver, smallBaseline);
} finally {
  client.destroy();
  await server.stop();
}

console.log('s3Storage vs plain SDK calls on s3rver (same run; ratio = baseline time / driver time)\n');
const header = ['step', 's3Storage', 'SDK baseline', 'ratio', 'driver peak RSS +', 'baseline peak RSS +'];
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
