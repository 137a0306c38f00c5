// The message schedule and the padded message, reused by every call (the functions are
// synchronous, so calls never overlap). The message buffer grows to the longest input seen (up to
// 4 KiB).
const W = new Uint32Array(80);
let message = new Uint8Array(128);

/**
 * The five 32-bit words of the SHA-1 digest of `bytes[0..length)`, written to `out`. No allocation
 * for inputs up to the longest seen before (4 KiB at most): name-based UUIDs hash short names, one
 * per statement.
 */
export function sha1Words(bytes: Uint8Array, length: number, out: Uint32Array): void {
  const blocks = ((length + 8) >> 6) + 1;
  const size = blocks << 6;
  // Kept for reuse up to 4 KiB; a longer input gets a buffer of its own.
  if (message.length < size && size <= 4096) message = new Uint8Array(size);
  const m = message.length >= size ? message : new Uint8Array(size);
  if (bytes !== m) m.set(bytes.subarray(0, length));
  m[length] = 0x80;
  m.fill(0, length + 1, size - 8);
  const hiBits = Math.floor(length / 0x20000000);
  const loBits = (length << 3) >>> 0;
  m[size - 8] = hiBits >>> 24;
  m[size - 7] = (hiBits >>> 16) & 0xff;
  m[size - 6] = (hiBits >>> 8) & 0xff;
  m[size - 5] = hiBits & 0xff;
  m[size - 4] = loBits >>> 24;
  m[size - 3] = (loBits >>> 16) & 0xff;
  m[size - 2] = (loBits >>> 8) & 0xff;
  m[size - 1] = loBits & 0xff;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;
  const w = W;
  for (let off = 0; off < size; off += 64) {
    for (let i = 0; i < 16; i++) {
      const p = off + i * 4;
      w[i] =
        ((m[p] as number) << 24) |
        ((m[p + 1] as number) << 16) |
        ((m[p + 2] as number) << 8) |
        (m[p + 3] as number);
    }
    for (let i = 16; i < 80; i++) {
      const x = (w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number);
      w[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] as number)) >>> 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
  }
  out[0] = h0;
  out[1] = h1;
  out[2] = h2;
  out[3] = h3;
  out[4] = h4;
}

/**
 * SHA-1 of a byte string, synchronous and pure. WebCrypto's digest is asynchronous, and the
 * statement mapping must stay a synchronous function of its input, so the hash is computed
 * here; it only derives name-based UUIDs (RFC 4122 version 5), never anything secret.
 * @see https://www.rfc-editor.org/rfc/rfc3174
 */
export function sha1(bytes: Uint8Array): Uint8Array {
  const words = new Uint32Array(5);
  sha1Words(bytes, bytes.length, words);
  const out = new Uint8Array(20);
  for (let i = 0; i < 5; i++) {
    const word = words[i] as number;
    out[i * 4] = word >>> 24;
    out[i * 4 + 1] = (word >>> 16) & 0xff;
    out[i * 4 + 2] = (word >>> 8) & 0xff;
    out[i * 4 + 3] = word & 0xff;
  }
  return out;
}
