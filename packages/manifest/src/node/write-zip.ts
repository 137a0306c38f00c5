import { type FileHandle, open, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createDeflateRaw, deflateRaw } from 'node:zlib';
import { crc32 } from './crc32.js';
import { SourceError } from './errors.js';
import {
  CENTRAL_HEADER_SIZE,
  EOCD_SIZE,
  EXTRA_ZIP64,
  FLAG_DATA_DESCRIPTOR,
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  METHOD_DEFLATED,
  METHOD_STORED,
  SIG_CENTRAL,
  SIG_DATA_DESCRIPTOR,
  SIG_EOCD,
  SIG_LOCAL,
  SIG_ZIP64_EOCD,
  SIG_ZIP64_LOCATOR,
  ZIP64_EOCD_SIZE,
  ZIP64_LOCATOR_SIZE,
} from './zip-format.js';
import { normaliseName } from './zip-names.js';

/**
 * One file to write.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT section 4.3.7
 */
export interface ZipWriteFile {
  /** Package path: forward slashes, relative, no `.`/`..` segments. */
  readonly path: string;
  /**
   * The content. A `Uint8Array` is compressed in one call (and stored when deflate does not make
   * it smaller); an async iterable is deflated as it streams (its chunks must not be reused).
   */
  readonly data: Uint8Array | AsyncIterable<Uint8Array>;
  /** Modification time recorded in the archive. Default: 1980-01-01, so that output is reproducible. */
  readonly mtime?: Date;
  /**
   * Deflate this file (default) or store it as is. Storing saves time on content that is already
   * compressed (video, audio, images, fonts). A stored streamed file gets its CRC and sizes written
   * back into its local header once it has been read, so it needs no data descriptor; it must stay
   * under 4 GiB.
   */
  readonly compress?: boolean;
}

/**
 * Options of {@link writeZip}.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT section 4.5.3 (zip64)
 */
export interface WriteZipOptions {
  /** zlib deflate level, 0-9. Default 6. */
  readonly level?: number;
  /**
   * Write zip64 records and fields even when nothing needs them. For interoperability tests; zip64
   * is otherwise used exactly where a size, offset or count does not fit its 16/32-bit field.
   */
  readonly forceZip64?: boolean;
}

/**
 * What {@link writeZip} wrote.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
export interface WriteZipResult {
  /** Number of files written. */
  readonly entries: number;
  /** Size of the archive in bytes. */
  readonly bytes: number;
  /** Whether any zip64 record was needed (or forced). */
  readonly zip64: boolean;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const FLUSH_BYTES = 1024 * 1024;
const UNIX_REGULAR_FILE_644 = (0o100644 << 16) >>> 0;
const MADE_BY_UNIX = 3 << 8;

interface CentralRecord {
  readonly name: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly offset: number;
}

/** Batches small writes (headers, small files) into few system calls. */
class Output {
  offset = 0;
  private parts: Uint8Array[] = [];
  private pending = 0;

  constructor(private readonly handle: FileHandle) {}

  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.pending += chunk.length;
    this.offset += chunk.length;
    if (this.pending >= FLUSH_BYTES || this.parts.length >= 512) await this.flush();
  }

  /** Overwrites bytes already written (after a flush), leaving the append position alone. */
  async patch(position: number, bytes: Buffer): Promise<void> {
    await this.flush();
    await this.handle.write(bytes, 0, bytes.length, position);
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const parts = this.parts;
    this.parts = [];
    this.pending = 0;
    await this.handle.writev(parts);
  }
}

function dosDateTime(date: Date): { time: number; date: number } {
  const year = date.getFullYear();
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((Math.min(year, 2107) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function deflateOnce(data: Uint8Array, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    deflateRaw(data, { level }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function zip64Extra(values: readonly number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(EXTRA_ZIP64, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  for (const [i, v] of values.entries()) extra.writeBigUInt64LE(BigInt(v), 4 + 8 * i);
  return extra;
}

function localHeader(
  record: Omit<CentralRecord, 'offset' | 'size' | 'compressedSize'>,
  sizes: { compressedSize: number; size: number } | undefined,
  zip64: boolean,
): Buffer {
  const extra = zip64 ? zip64Extra([sizes?.size ?? 0, sizes?.compressedSize ?? 0]) : Buffer.alloc(0);
  const header = Buffer.alloc(LOCAL_HEADER_SIZE);
  header.writeUInt32LE(SIG_LOCAL, 0);
  header.writeUInt16LE(zip64 ? 45 : 20, 4);
  header.writeUInt16LE(record.flags, 6);
  header.writeUInt16LE(record.method, 8);
  header.writeUInt16LE(record.time, 10);
  header.writeUInt16LE(record.date, 12);
  header.writeUInt32LE(sizes ? record.crc : 0, 14);
  header.writeUInt32LE(sizes ? (zip64 ? MAX32 : sizes.compressedSize) : 0, 18);
  header.writeUInt32LE(sizes ? (zip64 ? MAX32 : sizes.size) : 0, 22);
  header.writeUInt16LE(record.name.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, record.name, extra]);
}

function centralHeader(record: CentralRecord, force: boolean): { header: Buffer; zip64: boolean } {
  const size64 = force || record.size >= MAX32;
  const compressed64 = force || record.compressedSize >= MAX32;
  const offset64 = force || record.offset >= MAX32;
  const values = [
    ...(size64 ? [record.size] : []),
    ...(compressed64 ? [record.compressedSize] : []),
    ...(offset64 ? [record.offset] : []),
  ];
  const zip64 = values.length > 0;
  const extra = zip64 ? zip64Extra(values) : Buffer.alloc(0);
  const header = Buffer.alloc(CENTRAL_HEADER_SIZE);
  header.writeUInt32LE(SIG_CENTRAL, 0);
  header.writeUInt16LE(MADE_BY_UNIX | (zip64 ? 45 : 20), 4);
  header.writeUInt16LE(zip64 ? 45 : 20, 6);
  header.writeUInt16LE(record.flags, 8);
  header.writeUInt16LE(record.method, 10);
  header.writeUInt16LE(record.time, 12);
  header.writeUInt16LE(record.date, 14);
  header.writeUInt32LE(record.crc, 16);
  header.writeUInt32LE(compressed64 ? MAX32 : record.compressedSize, 20);
  header.writeUInt32LE(size64 ? MAX32 : record.size, 24);
  header.writeUInt16LE(record.name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  // comment length, disk number start, internal attributes: 0
  header.writeUInt32LE(UNIX_REGULAR_FILE_644, 38);
  header.writeUInt32LE(offset64 ? MAX32 : record.offset, 42);
  return { header: Buffer.concat([header, record.name, extra]), zip64 };
}

function endRecords(count: number, cdOffset: number, cdSize: number, force: boolean): Buffer {
  const zip64 = force || count >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
  const parts: Buffer[] = [];
  if (zip64) {
    const zip64Offset = cdOffset + cdSize;
    const record = Buffer.alloc(ZIP64_EOCD_SIZE);
    record.writeUInt32LE(SIG_ZIP64_EOCD, 0);
    record.writeBigUInt64LE(BigInt(ZIP64_EOCD_SIZE - 12), 4);
    record.writeUInt16LE(MADE_BY_UNIX | 45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(cdSize), 40);
    record.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(ZIP64_LOCATOR_SIZE);
    locator.writeUInt32LE(SIG_ZIP64_LOCATOR, 0);
    locator.writeBigUInt64LE(BigInt(zip64Offset), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const eocd = Buffer.alloc(EOCD_SIZE);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(zip64 && (force || count >= MAX16) ? MAX16 : count, 8);
  eocd.writeUInt16LE(zip64 && (force || count >= MAX16) ? MAX16 : count, 10);
  eocd.writeUInt32LE(zip64 && (force || cdSize >= MAX32) ? MAX32 : cdSize, 12);
  eocd.writeUInt32LE(zip64 && (force || cdOffset >= MAX32) ? MAX32 : cdOffset, 16);
  parts.push(eocd);
  return Buffer.concat(parts);
}

const DEFAULT_MTIME = new Date(1980, 0, 1);

/**
 * Writes a zip archive, one file at a time, never holding more than one file's compressed data
 * (or, for streamed files, one chunk) in memory. Files given as bytes get exact sizes in their
 * local header; streamed files are deflated on the fly and followed by a data descriptor. Zip64
 * records are written where a size, offset or the entry count needs them. Names are UTF-8
 * (flag bit 11). Throws a {@link SourceError} (`UNSAFE_PATH`) for a path that is not a clean,
 * relative package path or that repeats, and removes the partial file on any failure.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT sections 4.3.7-4.3.9, 4.5.3
 */
export async function writeZip(
  outPath: string,
  files: AsyncIterable<ZipWriteFile> | Iterable<ZipWriteFile>,
  options: WriteZipOptions = {},
): Promise<WriteZipResult> {
  const level = options.level ?? 6;
  const force = options.forceZip64 ?? false;
  const handle = await open(outPath, 'w');
  const out = new Output(handle);
  const records: CentralRecord[] = [];
  const seen = new Set<string>();
  let anyZip64 = force;
  try {
    for await (const file of files) {
      const check = normaliseName(file.path);
      if (!check.ok || check.directory || check.path !== file.path) {
        throw new SourceError('UNSAFE_PATH', `Not a clean package path: ${JSON.stringify(file.path)}`, {
          path: file.path,
        });
      }
      if (seen.has(file.path)) {
        throw new SourceError('UNSAFE_PATH', `Duplicate path in the archive: ${file.path}`, {
          path: file.path,
        });
      }
      seen.add(file.path);
      const name = Buffer.from(file.path, 'utf8');
      const { time, date } = dosDateTime(file.mtime ?? DEFAULT_MTIME);
      const offset = out.offset;
      const baseFlags = name.length !== file.path.length ? FLAG_UTF8 : 0;

      if (file.data instanceof Uint8Array) {
        const data = file.data;
        const crc = crc32(data);
        const deflated = level > 0 && file.compress !== false ? await deflateOnce(data, level) : undefined;
        const stored = !deflated || deflated.length >= data.length;
        const body = stored ? data : deflated;
        const record = {
          name,
          flags: baseFlags,
          method: stored ? METHOD_STORED : METHOD_DEFLATED,
          time,
          date,
          crc,
          compressedSize: body.length,
          size: data.length,
          offset,
        };
        const zip64 = force || data.length >= MAX32 || body.length >= MAX32;
        await out.write(localHeader(record, record, zip64));
        await out.write(body);
        records.push(record);
      } else if (file.compress === false) {
        const partial = { name, flags: baseFlags, method: METHOD_STORED, time, date, crc: 0 };
        await out.write(localHeader(partial, { compressedSize: 0, size: 0 }, force));
        let crc = 0;
        let size = 0;
        for await (const chunk of file.data) {
          crc = crc32(chunk, crc);
          size += chunk.length;
          await out.write(chunk);
        }
        if (size >= MAX32) {
          throw new SourceError(
            'WRITE_LIMIT',
            `Stored streamed file ${file.path} is 4 GiB or more; compress it.`,
            {
              path: file.path,
            },
          );
        }
        // Seek back: the final CRC and sizes go into the local header written before the data.
        const sizes = { compressedSize: size, size };
        await out.patch(offset, localHeader({ ...partial, crc }, sizes, force));
        records.push({ ...partial, crc, compressedSize: size, size, offset });
      } else {
        const flags = baseFlags | FLAG_DATA_DESCRIPTOR;
        const partial = { name, flags, method: METHOD_DEFLATED, time, date, crc: 0 };
        await out.write(localHeader(partial, undefined, force));
        let crc = 0;
        let size = 0;
        let compressedSize = 0;
        const source = file.data;
        await pipeline(
          async function* () {
            for await (const chunk of source) {
              crc = crc32(chunk, crc);
              size += chunk.length;
              yield chunk;
            }
          },
          createDeflateRaw({ level }),
          async (deflated: AsyncIterable<Buffer>) => {
            for await (const chunk of deflated) {
              compressedSize += chunk.length;
              await out.write(chunk);
            }
          },
        );
        // The descriptor uses 8-byte sizes when the local header announced zip64 or they need it.
        const wide = force || size >= MAX32 || compressedSize >= MAX32;
        const descriptor = Buffer.alloc(wide ? 24 : 16);
        descriptor.writeUInt32LE(SIG_DATA_DESCRIPTOR, 0);
        descriptor.writeUInt32LE(crc, 4);
        if (wide) {
          descriptor.writeBigUInt64LE(BigInt(compressedSize), 8);
          descriptor.writeBigUInt64LE(BigInt(size), 16);
        } else {
          descriptor.writeUInt32LE(compressedSize, 8);
          descriptor.writeUInt32LE(size, 12);
        }
        await out.write(descriptor);
        records.push({ ...partial, crc, compressedSize, size, offset });
      }
    }

    const cdOffset = out.offset;
    for (const record of records) {
      const { header, zip64 } = centralHeader(record, force);
      anyZip64 ||= zip64;
      await out.write(header);
    }
    const cdSize = out.offset - cdOffset;
    anyZip64 ||= records.length >= MAX16 || cdOffset >= MAX32 || cdSize >= MAX32;
    await out.write(endRecords(records.length, cdOffset, cdSize, force));
    await out.flush();
    await handle.close();
    return { entries: records.length, bytes: out.offset, zip64: anyZip64 };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(outPath, { force: true });
    throw error;
  }
}
