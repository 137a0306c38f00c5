import { describe, expect, it } from 'vitest';
import { isXapiError } from '../errors.js';
import { sha1 } from './sha1.js';
import { uuidV5, uuidV5Append, uuidV5Name } from './uuid-v5.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('sha1', () => {
  it('matches the RFC 3174 test vectors', () => {
    expect(hex(sha1(utf8('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
    expect(hex(sha1(utf8('')))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(sha1(utf8('a'.repeat(1_000_000))))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });
  it('hashes lengths around the 55/56/64-byte padding boundaries like node:crypto', () => {
    // Digests of 'x'.repeat(n) computed with node:crypto createHash('sha1').
    const expected: [number, string][] = [
      [55, 'cef734ba81a024479e09eb5a75b6ddae62e6abf1'],
      [56, '901305367c259952f4e7af8323f480d59f81335b'],
      [63, '0ddc4e0cccd9a12850deb5abb0853a4425559fec'],
      [64, 'bb2fa3ee7afb9f54c6dfb5d021f14b1ffe40c163'],
      [65, '78c741ddc482e4cdf8c474a0876347a0905b6233'],
      [119, '4300320394f7ee239bcdce7d3b8bcee173a0cd5c'],
      [120, 'ceb2821639c4b6dcb10bce0e522ca2e608ce056d'],
    ];
    for (const [n, digest] of expected) expect(hex(sha1(utf8('x'.repeat(n))))).toBe(digest);
  });
});

describe('uuidV5', () => {
  it('matches the RFC 4122 / Python uuid5 example (DNS namespace, python.org)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
  it('sets version 5 and the RFC 4122 variant', () => {
    const id = uuidV5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'https://example.com/a');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('throws a branded XapiError for a namespace that is not a UUID', () => {
    let caught: unknown;
    try {
      uuidV5('not-a-uuid', 'x');
    } catch (e) {
      caught = e;
    }
    expect(isXapiError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe('INVALID_ARGUMENT');
  });
  it('a name given as a head and a tail hashes as the whole name', () => {
    const ns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    const head = uuidV5Name(ns, 'python');
    expect(uuidV5Append(head, '.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5Append(head, '.org')).toBe(uuidV5Append(head, '.org'));
    expect(uuidV5Append(uuidV5Name(ns, 'python.org'), '')).toBe(uuidV5(ns, 'python.org'));
    const long = 'x'.repeat(200);
    expect(uuidV5Append(uuidV5Name(ns, long.slice(0, 70)), long.slice(70))).toBe(uuidV5(ns, long));
  });
  it('matches Python uuid5 for non-ASCII tails, inputs longer than any before, and short ones after', () => {
    // Computed with Python's uuid.uuid5(uuid.UUID('6ba7b810-...'), name).
    const ns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5Append(uuidV5Name(ns, 'python'), '.örg')).toBe('1867d5dc-90a1-55c6-ab39-7e2f5e71e4c2');
    expect(uuidV5Append(uuidV5Name(ns, 'x'), 'x'.repeat(299))).toBe('8563d838-2cd7-5fbc-9b5c-88a26c27da93');
    expect(uuidV5Append(uuidV5Name(ns, 'reg|sco|'), '12|0')).toBe('d1e74144-fef6-5701-b623-0d319ddcb072');
    expect(uuidV5(ns, 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
});
