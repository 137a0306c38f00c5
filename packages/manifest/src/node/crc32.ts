import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crc32Js(data: Uint8Array, value: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/**
 * Incremental CRC-32 (ISO 3309, the one zip uses). `zlib.crc32` exists from Node 20.15; older
 * Node 20 releases (the package supports >= 20.11) get a table-driven fallback.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT section 4.4.7
 */
export function crc32(data: Uint8Array, value = 0): number {
  return native ? native(data, value) : crc32Js(data, value);
}

/** The portable implementation, exported so that tests can compare it with the native one. */
export { crc32Js };
