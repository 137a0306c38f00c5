import { describe, expect, it } from 'vitest';
import {
  assertNoNul,
  decodeCursor,
  encodeCursor,
  generateApiKeySecret,
  hashApiKey,
  lastByKey,
  newId,
} from './shared.js';

describe('newId', () => {
  it('makes version 7 UUIDs that sort in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries the creation time in its first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const ms = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    // The counter may borrow a few milliseconds ahead after a burst of ids in the previous test.
    expect(ms).toBeGreaterThanOrEqual(before);
  });
});

describe('cursor', () => {
  it('round-trips a position and rejects anything else', () => {
    const position = { createdAt: new Date(1_700_000_000_123), id: 'abc' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    expect(decodeCursor(undefined)).toBeNull();
    expect(decodeCursor('')).toBeNull();
    for (const bad of [
      '%%%',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('["x","y"]').toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(/cursor/);
    }
  });
});

describe('api key secrets', () => {
  it('are long, random and hashed with SHA-256', () => {
    const a = generateApiKeySecret();
    const b = generateApiKeySecret();
    expect(a.secret).not.toBe(b.secret);
    expect(a.secret).toMatch(/^sf_[A-Za-z0-9_-]{43}$/);
    expect(a.secret.startsWith(a.prefix)).toBe(true);
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('lastByKey', () => {
  it('keeps the last row per key in first-seen key order', () => {
    const rows = [
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
      { k: 'a', v: 3 },
    ];
    expect(lastByKey(rows, (r) => r.k)).toEqual([
      { k: 'a', v: 3 },
      { k: 'b', v: 2 },
    ]);
  });
});

describe('assertNoNul', () => {
  it('finds U+0000 in nested strings and keys, and nothing else', () => {
    expect(() => assertNoNul({ a: [1, { b: 'x\0y' }] }, 'state')).toThrow(/U\+0000/);
    expect(() => assertNoNul({ 'k\0': 1 }, 'state')).toThrow(/U\+0000/);
    expect(() => assertNoNul('a\0', 'id')).toThrow(/U\+0000/);
    expect(() =>
      assertNoNul({ a: '\\u0000 is six characters', d: new Date(0), n: null, z: 0 }, 'state'),
    ).not.toThrow();
  });
});
