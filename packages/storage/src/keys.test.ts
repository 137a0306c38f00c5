import { describe, expect, it } from 'vitest';
import { isStorageError, STORAGE_ERROR_CODES, StorageError } from './errors.js';
import {
  assertKey,
  checkKey,
  compareKeys,
  isUnderPrefix,
  joinKey,
  MAX_KEY_BYTES,
  normalizePrefix,
  tenantKey,
} from './keys.js';

describe('checkKey', () => {
  it.each([
    ['', 'empty'],
    ['/a', 'leading-slash'],
    ['a/', 'trailing-slash'],
    ['a//b', 'empty-segment'],
    ['a/./b', 'dot-segment'],
    ['../a', 'dot-segment'],
    ['a/..', 'dot-segment'],
    ['a\\b', 'backslash'],
    ['a\u0000b', 'control-character'],
    ['a\u001fb', 'control-character'],
    ['a\u0085b', 'control-character'],
    ['a\udc00b', 'lone-surrogate'],
    ['a\ud83d', 'lone-surrogate'],
    ['x'.repeat(MAX_KEY_BYTES + 1), 'too-long'],
    // 342 three-byte characters: 342 code units but 1026 UTF-8 bytes
    ['€'.repeat(342), 'too-long'],
    ['s'.repeat(256), 'segment-too-long'],
  ] as const)('refuses %j (%s)', (key, problem) => {
    expect(checkKey(key)).toEqual({ ok: false, error: problem });
  });

  it('refuses values that are not strings', () => {
    expect(checkKey(undefined)).toEqual({ ok: false, error: 'not-a-string' });
    expect(checkKey(['a'])).toEqual({ ok: false, error: 'not-a-string' });
  });

  it.each(['a', 'a/b/c.txt', '...', '.hidden', '%2e%2e/x', 'ä/😀', 's'.repeat(255), 'a b+c=d'])(
    'accepts %j',
    (key) => {
      expect(checkKey(key)).toEqual({ ok: true, value: key });
    },
  );
});

describe('assertKey', () => {
  it('throws a branded StorageError with a stable code', () => {
    let caught: unknown;
    try {
      assertKey('../etc/passwd');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StorageError);
    expect(isStorageError(caught)).toBe(true);
    expect((caught as StorageError).code).toBe(STORAGE_ERROR_CODES.INVALID_KEY);
    expect((caught as StorageError).key).toBe('../etc/passwd');
  });
});

describe('isStorageError', () => {
  it('recognises an error from another copy of the package by its brand', () => {
    const foreign = Object.assign(new Error('x'), {
      code: 'STORAGE_INVALID_KEY',
      [Symbol.for('scormflow:error')]: true,
    });
    expect(isStorageError(foreign)).toBe(true);
    expect(isStorageError(new Error('x'))).toBe(false);
    expect(isStorageError({ code: 'STORAGE_INVALID_KEY' })).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('disk full');
    expect(new StorageError(STORAGE_ERROR_CODES.BACKEND_FAILURE, 'failed', { cause }).cause).toBe(cause);
  });
});

describe('normalizePrefix', () => {
  it('drops one trailing slash and keeps the empty prefix', () => {
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('a/b/')).toBe('a/b');
    expect(normalizePrefix('a/b')).toBe('a/b');
  });

  it.each(['/', 'a//', '/a', '../a', 'a/../b', 'a\\b'])('refuses %j', (prefix) => {
    expect(() => normalizePrefix(prefix)).toThrow(
      expect.objectContaining({ code: 'STORAGE_INVALID_PREFIX' }),
    );
  });

  it('treats prefixes as folders', () => {
    expect(isUnderPrefix('a/b/c', 'a/b')).toBe(true);
    expect(isUnderPrefix('a/bc', 'a/b')).toBe(false);
    expect(isUnderPrefix('a/b', 'a/b')).toBe(false);
    expect(isUnderPrefix('anything', '')).toBe(true);
  });
});

describe('compareKeys', () => {
  it('orders by code point like S3 orders by UTF-8 bytes', () => {
    const keys = ['\u{1f600}', '\uffee', 'b', 'a/b', 'a-b', 'a', 'B', 'a0', ''];
    const sorted = [...keys].sort(compareKeys);
    const byUtf8 = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sorted).toEqual(byUtf8);
    expect([...keys].sort()).not.toEqual(byUtf8);
  });
});

describe('joinKey and tenantKey', () => {
  it('builds tenant keys', () => {
    expect(tenantKey('acme')).toBe('tenants/acme');
    expect(tenantKey('acme', 'courses', 'c1/v2/index.html')).toBe('tenants/acme/courses/c1/v2/index.html');
    expect(joinKey('a', 'b/c')).toBe('a/b/c');
  });

  it.each(['', '..', 'a/b', '../other', 'x\u0000'])('refuses the tenant id %j', (tenantId) => {
    expect(() => tenantKey(tenantId, 'x')).toThrow(expect.objectContaining({ code: 'STORAGE_INVALID_KEY' }));
  });

  it.each([['..'], ['a', ''], ['/x'], ['x/']])('refuses the parts %j', (...parts) => {
    expect(() => tenantKey('acme', ...parts)).toThrow(
      expect.objectContaining({ code: 'STORAGE_INVALID_KEY' }),
    );
  });
});
