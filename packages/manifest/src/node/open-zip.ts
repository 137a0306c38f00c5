import { type FileHandle, open } from 'node:fs/promises';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { type Diagnostic, type DiagnosticCode, diagnostic } from '../diagnostics.js';
import type { FileSource, FileSourceEntry } from '../file-source.js';
import { crc32 } from './crc32.js';
import { SourceError } from './errors.js';
import {
  CENTRAL_HEADER_SIZE,
  EOCD_SIZE,
  EXTRA_UNICODE_PATH,
  EXTRA_ZIP64,
  FLAG_ENCRYPTED,
  FLAG_STRONG_ENCRYPTION,
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  MAX_COMMENT,
  METHOD_AES,
  METHOD_DEFLATED,
  METHOD_STORED,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  SIG_CENTRAL,
  SIG_EOCD,
  SIG_LOCAL,
  SIG_ZIP64_EOCD,
  SIG_ZIP64_LOCATOR,
  UNIX_HOSTS,
  ZIP64_EOCD_SIZE,
  ZIP64_LOCATOR_SIZE,
} from './zip-format.js';
import { resolveZipLimits, type ZipLimits } from './zip-limits.js';
import { decodeName, normaliseName } from './zip-names.js';

/**
 * What opening a package gives: a source to read from, or the reasons it was refused.
 * @see https://www.imsglobal.org/content/packaging/cpv1p1p4/imscp_infov1p1p4.html (package interchange file)
 */
export type OpenPackageResult =
  | { readonly ok: true; readonly source: FileSource; readonly diagnostics: Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] };

/** One entry of the central directory, as kept in memory while the archive is open. */
export interface ZipEntryRecord {
  /** Normalised package path. */
  readonly path: string;
  /** The name as stored, decoded. */
  readonly rawName: string;
  readonly directory: boolean;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  /** Name and extra field lengths in the central directory; the local header's are usually the same. */
  readonly headerHint: number;
  /** Unix mode from the external attributes (0 when the archive was not made on a Unix host). */
  readonly unixMode: number;
  /** Why the name is unsafe, when it is. */
  readonly nameProblem: 'absolute' | 'traversal' | 'invalid' | undefined;
}

/** The parsed central directory. */
export interface ZipDirectory {
  readonly entries: readonly ZipEntryRecord[];
  /** Where the central directory starts: no entry data may reach beyond it. */
  readonly centralDirectoryOffset: number;
  readonly fileSize: number;
  readonly zip64: boolean;
}

/** Whole-archive data kept in memory at most: the central directory of a hostile file could claim gigabytes. */
const CENTRAL_DIRECTORY_BYTES_PER_ENTRY = 4096;
/** At most this many diagnostics of one code are listed; the rest are counted. */
const MAX_DIAGNOSTICS_PER_CODE = 50;
/**
 * Entries at most this large (compressed, and inflated) are read with one call and inflated on the
 * calling thread; larger ones stream through a zlib stream in READ_CHUNK pieces. An asynchronous
 * inflate queues on libuv's thread pool behind the file reads and writes of the same import, which
 * costs more than the work itself for small files (measured: streaming a 50 MB course 2-3x faster on
 * a busy 2-core machine), while inflating at most 1 MiB blocks the event loop for about a
 * millisecond. Lower limits also mean less garbage between collections (peak RSS of the import
 * benchmark ~10-15 MB lower than with 1 MiB / 4 MiB).
 */
const ONE_SHOT_COMPRESSED = 256 * 1024;
const ONE_SHOT_SIZE = 1024 * 1024;
const READ_CHUNK = 256 * 1024;
/** Bytes read beyond the expected local header, in case its extra field is longer than the central one. */
const LOCAL_SLACK = 64;
/** Reusable buffers hold a one-shot entry with its local header, or one streamed chunk. */
const SCRATCH_SIZE = Math.max(ONE_SHOT_COMPRESSED, READ_CHUNK) + 4096;
/** Compressed-input buffers of the one-shot path kept for reuse (per open archive). */
const SPARE_BUFFERS = 8;

class DiagnosticList {
  readonly items: Diagnostic[] = [];
  private readonly counts = new Map<DiagnosticCode, number>();

  add(code: DiagnosticCode, message: string, file?: string, hint?: string): void {
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    if (n <= MAX_DIAGNOSTICS_PER_CODE) {
      this.items.push(
        diagnostic(code, message, { ...(file === undefined ? {} : { file }), ...(hint ? { hint } : {}) }),
      );
    }
  }

  finish(): Diagnostic[] {
    for (const [code, n] of this.counts) {
      if (n > MAX_DIAGNOSTICS_PER_CODE) {
        this.items.push(
          diagnostic(code, `${n - MAX_DIAGNOSTICS_PER_CODE} more entries with the same problem.`),
        );
      }
    }
    return this.items;
  }
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
}

async function readAt(handle: FileHandle, position: number, length: number, into?: Buffer): Promise<Buffer> {
  const buf = into ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

type Refusal = { readonly ok: false; readonly diagnostics: Diagnostic[] };
const refuse = (code: DiagnosticCode, message: string, hint?: string): Refusal => ({
  ok: false,
  diagnostics: [diagnostic(code, message, hint ? { hint } : {})],
});

const NOT_A_ZIP_HINT =
  'Export the course again as a SCORM zip (a .zip file with imsmanifest.xml at its root).';

/**
 * Reads and checks the central directory of an open zip file: the End of Central Directory record
 * (and its zip64 locator and record), then every central directory header. Nothing is extracted.
 * Every problem found is reported, not only the first.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT sections 4.3.12-4.3.16, 4.5.3
 */
export async function readZipDirectory(
  handle: FileHandle,
  limits: ZipLimits,
): Promise<{ readonly ok: true; readonly directory: ZipDirectory } | Refusal> {
  const fileSize = (await handle.stat()).size;
  if (fileSize > limits.maxZipBytes) {
    return refuse(
      'ZIP_TOO_LARGE',
      `The archive is ${fileSize} bytes, above the limit of ${limits.maxZipBytes}.`,
    );
  }
  const head = await readAt(handle, 0, Math.min(4, fileSize));
  const startsLikeZip = head.length === 4 && head.readUInt32LE(0) === SIG_LOCAL;
  if (fileSize < EOCD_SIZE) {
    return startsLikeZip
      ? refuse('ZIP_CORRUPT', 'The archive is truncated: it ends before its central directory.')
      : refuse('ZIP_UNREADABLE', 'The file is not a zip archive.', NOT_A_ZIP_HINT);
  }

  // End of Central Directory: the last record, followed only by its comment.
  const tailLength = Math.min(fileSize, EOCD_SIZE + MAX_COMMENT + ZIP64_LOCATOR_SIZE);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(handle, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    return startsLikeZip
      ? refuse(
          'ZIP_CORRUPT',
          'The archive is truncated or damaged: its End of Central Directory record is missing.',
        )
      : refuse('ZIP_UNREADABLE', 'The file is not a zip archive.', NOT_A_ZIP_HINT);
  }
  const eocdOffset = tailStart + eocd;
  const diskNumber = tail.readUInt16LE(eocd + 4);
  const cdDisk = tail.readUInt16LE(eocd + 6);
  let entriesOnDisk = tail.readUInt16LE(eocd + 8);
  let entryCount = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  let cdEndLimit = eocdOffset;
  let zip64 = false;

  const locatorAt = eocd - ZIP64_LOCATOR_SIZE;
  if (locatorAt >= 0 && tail.readUInt32LE(locatorAt) === SIG_ZIP64_LOCATOR) {
    zip64 = true;
    const recordOffset = u64(tail, locatorAt + 8);
    if (recordOffset + ZIP64_EOCD_SIZE > tailStart + locatorAt) {
      return refuse('ZIP_CORRUPT', 'The zip64 End of Central Directory locator points outside the archive.');
    }
    const record = await readAt(handle, recordOffset, ZIP64_EOCD_SIZE);
    if (record.length < ZIP64_EOCD_SIZE || record.readUInt32LE(0) !== SIG_ZIP64_EOCD) {
      return refuse('ZIP_CORRUPT', 'The zip64 End of Central Directory record is missing or damaged.');
    }
    if (record.readUInt32LE(16) !== 0 || record.readUInt32LE(20) !== 0) {
      return refuse(
        'ZIP_UNREADABLE',
        'Split or spanned archives are not supported.',
        'Join the parts into one zip.',
      );
    }
    entriesOnDisk = u64(record, 24);
    entryCount = u64(record, 32);
    cdSize = u64(record, 40);
    cdOffset = u64(record, 48);
    cdEndLimit = recordOffset;
  } else if (cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    // Sentinels without a locator (a count of 0xffff alone can be a plain archive at the limit).
    return refuse('ZIP_CORRUPT', 'The End of Central Directory record needs zip64 data that is missing.');
  }
  if (!zip64 && (diskNumber !== 0 || cdDisk !== 0)) {
    return refuse(
      'ZIP_UNREADABLE',
      'Split or spanned archives are not supported.',
      'Join the parts into one zip.',
    );
  }
  if (entriesOnDisk !== entryCount) {
    return refuse(
      'ZIP_UNREADABLE',
      'Split or spanned archives are not supported.',
      'Join the parts into one zip.',
    );
  }

  if (entryCount > limits.maxEntries) {
    return refuse(
      'ZIP_TOO_MANY_ENTRIES',
      `The archive has ${entryCount} entries, above the limit of ${limits.maxEntries}.`,
    );
  }
  if (cdOffset + cdSize > cdEndLimit) {
    return refuse(
      'ZIP_CORRUPT',
      'The archive is truncated or damaged: its central directory lies outside the file.',
    );
  }
  if (cdSize > entryCount * CENTRAL_DIRECTORY_BYTES_PER_ENTRY + MAX_COMMENT) {
    return refuse(
      'ZIP_CORRUPT',
      `The central directory is implausibly large (${cdSize} bytes for ${entryCount} entries).`,
    );
  }
  if (cdSize < entryCount * CENTRAL_HEADER_SIZE) {
    return refuse('ZIP_CORRUPT', 'The central directory is shorter than its entry count requires.');
  }

  const cd = await readAt(handle, cdOffset, cdSize);
  if (cd.length < cdSize)
    return refuse('ZIP_CORRUPT', 'The archive is truncated inside its central directory.');

  const entries: ZipEntryRecord[] = [];
  let pos = 0;
  for (let i = 0; i < entryCount; i++) {
    if (pos + CENTRAL_HEADER_SIZE > cd.length || cd.readUInt32LE(pos) !== SIG_CENTRAL) {
      return refuse('ZIP_CORRUPT', `Central directory header ${i + 1} of ${entryCount} is damaged.`);
    }
    const madeBy = cd.readUInt16LE(pos + 4);
    const flags = cd.readUInt16LE(pos + 8);
    const method = cd.readUInt16LE(pos + 10);
    const crc = cd.readUInt32LE(pos + 16);
    let compressedSize = cd.readUInt32LE(pos + 20);
    let size = cd.readUInt32LE(pos + 24);
    const nameLength = cd.readUInt16LE(pos + 28);
    const extraLength = cd.readUInt16LE(pos + 30);
    const commentLength = cd.readUInt16LE(pos + 32);
    let diskStart = cd.readUInt16LE(pos + 34);
    const externalAttributes = cd.readUInt32LE(pos + 38);
    let localHeaderOffset = cd.readUInt32LE(pos + 42);
    const nameStart = pos + CENTRAL_HEADER_SIZE;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > cd.length)
      return refuse('ZIP_CORRUPT', `Central directory header ${i + 1} runs past its end.`);
    const rawName = cd.subarray(nameStart, extraStart);
    let name: string | undefined;

    for (let e = extraStart; e + 4 <= extraStart + extraLength; ) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      const body = e + 4;
      if (body + len > extraStart + extraLength) break;
      if (id === EXTRA_ZIP64) {
        // Only the fields whose fixed-size slot holds the sentinel are present, in this order.
        let at = body;
        const take = (): number | undefined => {
          if (at + 8 > body + len) return undefined;
          const v = u64(cd, at);
          at += 8;
          return v;
        };
        if (size === 0xffffffff) size = take() ?? Number.NaN;
        if (compressedSize === 0xffffffff) compressedSize = take() ?? Number.NaN;
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take() ?? Number.NaN;
        if (diskStart === 0xffff) diskStart = at + 4 <= body + len ? cd.readUInt32LE(at) : Number.NaN;
      } else if (id === EXTRA_UNICODE_PATH && len >= 5 && cd[body] === 1) {
        // Info-ZIP Unicode Path: trusted only while it still describes the stored name.
        if (cd.readUInt32LE(body + 1) === crc32(rawName)) {
          name = new TextDecoder('utf-8').decode(cd.subarray(body + 5, body + len));
        }
      }
      e = body + len;
    }
    if (![size, compressedSize, localHeaderOffset].every(Number.isFinite) || Number.isNaN(diskStart)) {
      return refuse('ZIP_CORRUPT', `Central directory header ${i + 1} lacks the zip64 sizes it announces.`);
    }
    if (diskStart !== 0) return refuse('ZIP_UNREADABLE', 'Split or spanned archives are not supported.');
    name ??= decodeName(rawName, (flags & FLAG_UTF8) !== 0);
    const checked = normaliseName(name);
    const unixMode = UNIX_HOSTS.has(madeBy >>> 8) ? externalAttributes >>> 16 : 0;
    const directory =
      (checked.ok && checked.directory) ||
      (unixMode & S_IFMT) === S_IFDIR ||
      (unixMode === 0 && (externalAttributes & 0x10) !== 0 && size === 0);
    entries.push({
      path: checked.ok ? checked.path : '',
      rawName: name,
      directory,
      method,
      flags,
      crc32: crc,
      compressedSize,
      size,
      localHeaderOffset,
      headerHint: nameLength + extraLength,
      unixMode,
      nameProblem: checked.ok ? undefined : checked.reason,
    });
    pos = next;
  }

  return { ok: true, directory: { entries, centralDirectoryOffset: cdOffset, fileSize, zip64 } };
}

/**
 * Applies the safety rules to a parsed central directory: paths, symlinks and special files,
 * encryption, methods, duplicates, sizes, ratios and overlapping data.
 */
function checkEntries(directory: ZipDirectory, limits: ZipLimits): Diagnostic[] {
  const out = new DiagnosticList();
  const files = new Map<string, ZipEntryRecord>();
  let total = 0;
  for (const entry of directory.entries) {
    const label = entry.rawName;
    if (entry.nameProblem) {
      if (entry.nameProblem === 'absolute') {
        out.add(
          'ZIP_ABSOLUTE_PATH',
          `Entry "${label}" has an absolute path.`,
          label,
          'Zip the package from inside its folder.',
        );
      } else if (entry.nameProblem === 'traversal') {
        out.add('ZIP_PATH_TRAVERSAL', `Entry "${label}" points outside the package ("..").`, label);
      } else {
        out.add('ZIP_INVALID_NAME', `Entry name ${JSON.stringify(label)} is empty or contains NUL.`, label);
      }
      continue;
    }
    const type = entry.unixMode & S_IFMT;
    if (type === S_IFLNK) {
      out.add(
        'ZIP_SYMLINK',
        `Entry "${label}" is a symbolic link; links are never followed or extracted.`,
        label,
        'Replace the link with the file it points to.',
      );
      continue;
    }
    if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
      out.add('ZIP_SPECIAL_FILE', `Entry "${label}" is a device, FIFO or socket, not a file.`, label);
      continue;
    }
    if (entry.directory) continue;
    if ((entry.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0 || entry.method === METHOD_AES) {
      out.add(
        'ZIP_ENCRYPTED',
        `Entry "${label}" is encrypted.`,
        label,
        'Zip the package again without a password.',
      );
      continue;
    }
    if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) {
      out.add(
        'ZIP_UNSUPPORTED_METHOD',
        `Entry "${label}" uses compression method ${entry.method}; only stored (0) and deflate (8) are supported.`,
        label,
        'Zip the package again with standard (deflate) compression.',
      );
      continue;
    }
    if (entry.method === METHOD_STORED && entry.size !== entry.compressedSize) {
      out.add(
        'ZIP_CORRUPT',
        `Stored entry "${label}" declares different compressed and uncompressed sizes.`,
        label,
      );
      continue;
    }
    if (files.has(entry.path)) {
      out.add('ZIP_DUPLICATE_ENTRY', `The archive contains "${entry.path}" more than once.`, entry.path);
      continue;
    }
    files.set(entry.path, entry);
    total += entry.size;
    if (
      entry.size >= limits.ratioThresholdBytes &&
      entry.size > limits.maxEntryRatio * Math.max(1, entry.compressedSize)
    ) {
      out.add(
        'ZIP_COMPRESSION_RATIO',
        `Entry "${label}" expands ${Math.round(entry.size / Math.max(1, entry.compressedSize))} times (limit ${limits.maxEntryRatio}).`,
        label,
      );
    }
    if (
      entry.localHeaderOffset + LOCAL_HEADER_SIZE + entry.compressedSize >
      directory.centralDirectoryOffset
    ) {
      out.add('ZIP_CORRUPT', `The data of entry "${label}" runs into the central directory.`, label);
    }
  }
  // A path that is both a file and the folder of another file cannot be laid out on a disk.
  for (const path of files.keys()) {
    for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      const parent = path.slice(0, slash);
      if (files.has(parent)) {
        out.add('ZIP_DUPLICATE_ENTRY', `"${parent}" is both a file and a folder in the archive.`, parent);
      }
    }
  }
  // Entries whose data overlap (the trick behind non-recursive "overlapping" zip bombs).
  const byOffset = [...files.values()].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1]!;
    const cur = byOffset[i]!;
    if (prev.localHeaderOffset + LOCAL_HEADER_SIZE + prev.compressedSize > cur.localHeaderOffset) {
      out.add(
        'ZIP_CORRUPT',
        `Entries "${prev.rawName}" and "${cur.rawName}" overlap in the archive.`,
        cur.rawName,
      );
    }
  }
  if (total > limits.maxTotalUncompressedBytes) {
    out.add(
      'ZIP_TOO_LARGE',
      `The files expand to ${total} bytes, above the limit of ${limits.maxTotalUncompressedBytes}.`,
    );
  }
  if (total >= limits.ratioThresholdBytes && total > limits.maxTotalRatio * Math.max(1, directory.fileSize)) {
    out.add(
      'ZIP_COMPRESSION_RATIO',
      `The archive expands ${Math.round(total / Math.max(1, directory.fileSize))} times overall (limit ${limits.maxTotalRatio}).`,
    );
  }
  return out.finish();
}

function corrupt(entry: ZipEntryRecord, message: string, cause?: unknown): SourceError {
  return new SourceError('ZIP_CORRUPT', `Entry "${entry.path}": ${message}`, { path: entry.path, cause });
}

function tooBig(entry: ZipEntryRecord, actual: string): SourceError {
  return new SourceError(
    'ZIP_SIZE_MISMATCH',
    `Entry "${entry.path}" declares ${entry.size} bytes but inflates to ${actual}.`,
    { path: entry.path },
  );
}

/**
 * A FileSource over a zip file on disk. Only the central directory is kept in memory; each read
 * streams the entry's data through `zlib` and checks its length and CRC-32 as it flows.
 */
function zipSource(handle: FileHandle, directory: ZipDirectory): FileSource {
  const files = new Map<string, ZipEntryRecord>();
  const listing: FileSourceEntry[] = [];
  for (const entry of directory.entries) {
    if (entry.directory) continue;
    const { path, size } = entry;
    files.set(path, entry);
    listing.push(Object.freeze({ path, size }));
  }
  Object.freeze(listing);
  let closed = false;
  const spare: Buffer[] = [];

  const lookup = (path: string): ZipEntryRecord => {
    if (closed)
      throw new SourceError('SOURCE_CLOSED', `The archive is closed; cannot read "${path}".`, { path });
    const entry = files.get(path);
    if (!entry) throw new SourceError('FILE_NOT_FOUND', `No such file in the package: ${path}`, { path });
    return entry;
  };

  const wrap = (entry: ZipEntryRecord, error: unknown): unknown => {
    if (error instanceof SourceError) return error;
    if (closed)
      return new SourceError('SOURCE_CLOSED', 'The archive was closed during the read.', {
        path: entry.path,
        cause: error,
      });
    const code = (error as { code?: unknown }).code;
    if (
      code === 'ERR_BUFFER_TOO_LARGE' ||
      (error instanceof RangeError && /larger than/i.test(error.message))
    ) {
      return tooBig(entry, 'more');
    }
    if (typeof code === 'string' && code.startsWith('Z_'))
      return corrupt(entry, 'the compressed data is invalid.', error);
    return error;
  };

  /** Finds where the entry's data starts, from its local header (whose extra field may differ). */
  const dataStart = async (entry: ZipEntryRecord): Promise<number> => {
    const header = await readAt(handle, entry.localHeaderOffset, LOCAL_HEADER_SIZE);
    if (header.length < LOCAL_HEADER_SIZE || header.readUInt32LE(0) !== SIG_LOCAL) {
      throw corrupt(entry, 'its local header is missing.');
    }
    const start =
      entry.localHeaderOffset + LOCAL_HEADER_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > directory.centralDirectoryOffset) {
      throw corrupt(entry, 'its data runs past the end of the archive data.');
    }
    return start;
  };

  const verify = (entry: ZipEntryRecord, length: number, crc: number): void => {
    if (length !== entry.size) throw tooBig(entry, `${length}`);
    if (crc !== entry.crc32) throw corrupt(entry, 'CRC-32 mismatch: the data is damaged.');
  };

  /** The entry's compressed bytes, read in chunks with positional reads on the shared handle. */
  async function* rawChunks(entry: ZipEntryRecord, start: number): AsyncGenerator<Buffer> {
    let position = start;
    let left = entry.compressedSize;
    while (left > 0) {
      const chunk = await readAt(handle, position, Math.min(READ_CHUNK, left));
      if (chunk.length === 0) throw corrupt(entry, 'the archive is truncated.');
      position += chunk.length;
      left -= chunk.length;
      yield chunk;
    }
  }

  /**
   * Reads a small entry's local header and data with one positional read (a second one only when
   * the local header's fields are longer than the central directory's suggest).
   */
  const readSmall = async (entry: ZipEntryRecord, into: Buffer | undefined): Promise<Buffer> => {
    const room = directory.centralDirectoryOffset - entry.localHeaderOffset;
    const length = Math.min(LOCAL_HEADER_SIZE + entry.headerHint + LOCAL_SLACK + entry.compressedSize, room);
    const buf = await readAt(
      handle,
      entry.localHeaderOffset,
      length,
      into && into.length >= length ? into : undefined,
    );
    if (buf.length < LOCAL_HEADER_SIZE || buf.readUInt32LE(0) !== SIG_LOCAL) {
      throw corrupt(entry, 'its local header is missing.');
    }
    const offset = LOCAL_HEADER_SIZE + buf.readUInt16LE(26) + buf.readUInt16LE(28);
    if (offset + entry.compressedSize > room)
      throw corrupt(entry, 'its data runs past the end of the archive data.');
    if (offset + entry.compressedSize <= buf.length)
      return buf.subarray(offset, offset + entry.compressedSize);
    const target = into && into.length >= entry.compressedSize ? into : undefined;
    const data = await readAt(handle, entry.localHeaderOffset + offset, entry.compressedSize, target);
    if (data.length < entry.compressedSize) throw corrupt(entry, 'the archive is truncated.');
    return data;
  };

  async function* streamEntry(entry: ZipEntryRecord): AsyncGenerator<Uint8Array> {
    if (entry.compressedSize <= ONE_SHOT_COMPRESSED && entry.size <= ONE_SHOT_SIZE) {
      let out: Buffer;
      if (entry.method === METHOD_STORED) {
        out = await readSmall(entry, undefined);
      } else {
        // The compressed bytes never leave this function, so their buffer is reused: fewer
        // megabytes of garbage between collections keeps the resident size down.
        const scratch = spare.pop() ?? Buffer.allocUnsafeSlow(SCRATCH_SIZE);
        try {
          const data = await readSmall(entry, scratch);
          // Some writers store an empty file as "deflated" with no data at all.
          // maxOutputLength stops a lying entry as soon as it inflates past its declared size.
          out = data.length === 0 ? data : inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
        } finally {
          if (spare.length < SPARE_BUFFERS) spare.push(scratch);
        }
      }
      verify(entry, out.length, crc32(out));
      if (out.length > 0) yield out;
      return;
    }
    const start = await dataStart(entry);
    let length = 0;
    let crc = 0;
    const take = (chunk: Buffer): Buffer => {
      length += chunk.length;
      if (length > entry.size) throw tooBig(entry, 'more');
      crc = crc32(chunk, crc);
      return chunk;
    };
    if (entry.method === METHOD_STORED) {
      for await (const chunk of rawChunks(entry, start)) yield take(chunk);
      verify(entry, length, crc);
      return;
    }
    // The inflater is fed by hand, one chunk at a time, so that the next chunk is read into the same
    // buffer only once zlib has consumed the previous one: compressed bytes make no garbage.
    const inflater = createInflateRaw({ chunkSize: READ_CHUNK });
    const input = spare.pop() ?? Buffer.allocUnsafeSlow(SCRATCH_SIZE);
    const feed = async (): Promise<void> => {
      let position = start;
      let left = entry.compressedSize;
      while (left > 0 && !inflater.destroyed) {
        const chunk = await readAt(handle, position, Math.min(READ_CHUNK, left), input);
        if (chunk.length === 0) throw corrupt(entry, 'the archive is truncated.');
        position += chunk.length;
        left -= chunk.length;
        await new Promise<void>((resolve, reject) =>
          inflater.write(chunk, (error) => (error ? reject(error) : resolve())),
        );
      }
      if (!inflater.destroyed) inflater.end();
    };
    // The input buffer goes back to the pool only once nothing can read into it any more; a reader
    // that stops early does not wait for that.
    void feed()
      .catch((error: unknown) => {
        inflater.destroy(error as Error);
      })
      .then(() => {
        if (spare.length < SPARE_BUFFERS) spare.push(input);
      });
    try {
      for await (const chunk of inflater as AsyncIterable<Buffer>) yield take(chunk);
    } finally {
      inflater.destroy();
    }
    verify(entry, length, crc);
  }

  async function* stream(path: string): AsyncGenerator<Uint8Array> {
    const entry = lookup(path);
    try {
      yield* streamEntry(entry);
    } catch (error) {
      throw wrap(entry, error);
    }
  }

  return {
    list: async () => listing,
    async read(path) {
      const entry = lookup(path);
      const chunks: Uint8Array[] = [];
      for await (const chunk of stream(path)) chunks.push(chunk);
      if (chunks.length === 1) return chunks[0]!;
      const out = new Uint8Array(entry.size);
      let at = 0;
      for (const chunk of chunks) {
        out.set(chunk, at);
        at += chunk.length;
      }
      return out;
    },
    stream,
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

/**
 * Opens a zip package for reading without extracting anything. The central directory is checked
 * against {@link ZipLimits} and the safety rules (zip-slip, absolute paths, symlinks, encryption,
 * duplicates, bombs); any finding refuses the package with ZIP_* diagnostics. Data errors that can
 * only be seen while reading (CRC mismatch, an entry inflating past its declared size) are thrown as
 * a {@link SourceError} from `read`/`stream`. Call `source.close()` when done.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
export async function openZip(path: string, limits?: Partial<ZipLimits>): Promise<OpenPackageResult> {
  const resolved = resolveZipLimits(limits);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return refuse('ZIP_UNREADABLE', `Cannot open ${path}: ${(error as Error).message}`);
  }
  try {
    const read = await readZipDirectory(handle, resolved);
    if (!read.ok) {
      await handle.close();
      return read;
    }
    const diagnostics = checkEntries(read.directory, resolved);
    if (diagnostics.length > 0) {
      await handle.close();
      return { ok: false, diagnostics };
    }
    return { ok: true, source: zipSource(handle, read.directory), diagnostics };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}
