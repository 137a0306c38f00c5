/**
 * Test helper: builds zip archives byte by byte, with whatever names, flags, attributes and sizes a
 * test wants, including ones no well-behaved writer would produce. Not part of the public API.
 */
import { deflateRawSync } from 'node:zlib';
import { crc32 } from './crc32.js';

export interface RawZipEntry {
  /** The stored name, as text (encoded UTF-8) or as exact bytes. */
  readonly name: string | Uint8Array;
  /** Uncompressed content. Default: empty. */
  readonly data?: Uint8Array;
  /** Compression method written in the headers. 8 deflates `data`; anything else stores it. Default 0. */
  readonly method?: number;
  readonly flags?: number;
  /** Override the CRC-32 written in the headers. */
  readonly crc?: number;
  /** Override the declared uncompressed size. */
  readonly size?: number;
  /** Override the declared compressed size. */
  readonly compressedSize?: number;
  /** Override the compressed bytes written. */
  readonly payload?: Uint8Array;
  readonly externalAttributes?: number;
  /** "Version made by"; default Unix (3 << 8 | 20). */
  readonly madeBy?: number;
  /** Write sizes and offset through the zip64 extra field, with 0xFFFFFFFF in the fixed fields. */
  readonly zip64?: boolean;
  /** Override the local header offset recorded in the central directory. */
  readonly localHeaderOffset?: number;
  /** Extra field bytes appended to the local header only. */
  readonly localExtra?: Uint8Array;
  /** Extra field bytes appended to the central directory header. */
  readonly centralExtra?: Uint8Array;
}

export interface BuildZipOptions {
  /** Write the zip64 End of Central Directory record and locator. */
  readonly zip64?: boolean;
  readonly comment?: string;
  /** Override the entry count written in the End of Central Directory record. */
  readonly declaredCount?: number;
}

/** External attributes carrying a Unix mode (e.g. `0o120777` for a symlink). */
export const unixAttributes = (mode: number): number => (mode << 16) >>> 0;

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}
function u64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
}

/** Builds a complete archive from raw entries. */
export function buildZip(entries: readonly RawZipEntry[], options: BuildZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : Buffer.from(entry.name);
    const data = entry.data ?? new Uint8Array(0);
    const method = entry.method ?? 0;
    const payload = Buffer.from(entry.payload ?? (method === 8 ? deflateRawSync(data) : data));
    const crc = entry.crc ?? crc32(data);
    const size = entry.size ?? data.length;
    const compressedSize = entry.compressedSize ?? payload.length;
    const flags = entry.flags ?? 0;
    const localOffset = entry.localHeaderOffset ?? offset;
    const zip64 = entry.zip64 ?? false;
    const localExtra = Buffer.concat([
      zip64 ? Buffer.concat([u16(1), u16(16), u64(size), u64(compressedSize)]) : Buffer.alloc(0),
      Buffer.from(entry.localExtra ?? new Uint8Array(0)),
    ]);
    const local = Buffer.concat([
      u32(0x04034b50),
      u16(zip64 ? 45 : 20),
      u16(flags),
      u16(method),
      u16(0),
      u16(0x21),
      u32(crc),
      u32(zip64 ? 0xffffffff : compressedSize),
      u32(zip64 ? 0xffffffff : size),
      u16(name.length),
      u16(localExtra.length),
      name,
      localExtra,
    ]);
    parts.push(local, payload);
    const centralExtra = Buffer.concat([
      zip64
        ? Buffer.concat([u16(1), u16(24), u64(size), u64(compressedSize), u64(localOffset)])
        : Buffer.alloc(0),
      Buffer.from(entry.centralExtra ?? new Uint8Array(0)),
    ]);
    central.push(
      Buffer.concat([
        u32(0x02014b50),
        u16(entry.madeBy ?? (3 << 8) | 20),
        u16(zip64 ? 45 : 20),
        u16(flags),
        u16(method),
        u16(0),
        u16(0x21),
        u32(crc),
        u32(zip64 ? 0xffffffff : compressedSize),
        u32(zip64 ? 0xffffffff : size),
        u16(name.length),
        u16(centralExtra.length),
        u16(0),
        u16(0),
        u16(0),
        u32(entry.externalAttributes ?? unixAttributes(0o100644)),
        u32(zip64 ? 0xffffffff : localOffset),
        name,
        centralExtra,
      ]),
    );
    offset += local.length + payload.length;
  }
  const cd = Buffer.concat(central);
  const cdOffset = offset;
  const count = options.declaredCount ?? entries.length;
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const tail: Buffer[] = [];
  if (options.zip64) {
    const recordOffset = cdOffset + cd.length;
    tail.push(
      Buffer.concat([
        u32(0x06064b50),
        u64(44),
        u16((3 << 8) | 45),
        u16(45),
        u32(0),
        u32(0),
        u64(count),
        u64(count),
        u64(cd.length),
        u64(cdOffset),
      ]),
      Buffer.concat([u32(0x07064b50), u32(0), u64(recordOffset), u32(1)]),
    );
  }
  tail.push(
    Buffer.concat([
      u32(0x06054b50),
      u16(0),
      u16(0),
      u16(options.zip64 ? 0xffff : count),
      u16(options.zip64 ? 0xffff : count),
      u32(options.zip64 ? 0xffffffff : cd.length),
      u32(options.zip64 ? 0xffffffff : cdOffset),
      u16(comment.length),
      comment,
    ]),
  );
  return Buffer.concat([...parts, cd, ...tail]);
}
