import { describe, expect, it } from 'vitest';
import { decodeUtf8, parseJson } from './json.js';

describe('parseJson', () => {
  it('XAPI-00021 rejects a key twice in one object, at any depth, escaped or not', () => {
    expect(parseJson('{"a":1,"a":2}').ok).toBe(false);
    expect(parseJson('{"x":{"a":1,"b":{"c":[{"d":1,"d":2}]}}}').ok).toBe(false);
    expect(parseJson('{"a":1,"\\u0061":2}').ok).toBe(false);
  });

  it('accepts the same key in different objects and keys that look like values', () => {
    const parsed = parseJson('{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"a","d":"{\\"a\\":1,\\"a\\":2}"}');
    expect(parsed).toEqual({
      ok: true,
      value: { a: { a: 1 }, b: [{ a: 1 }, { a: 2 }], c: 'a', d: '{"a":1,"a":2}' },
    });
  });

  it('finds duplicates in large objects, after escaped quotes and backslashes, and after nested objects', () => {
    const many = (extra: string) =>
      `{${Array.from({ length: 40 }, (_, k) => `"k${k}":{"k${k}":[1,{"x":"\\""}]}`).join(',')}${extra}}`;
    expect(parseJson(many('')).ok).toBe(true);
    expect(parseJson(many(',"k7":0'))).toMatchObject({ ok: false, message: expect.stringContaining('"k7"') });
    expect(parseJson(many(',"k39":0')).ok).toBe(false);
    expect(parseJson('{"a\\\\":1,"a\\\\":2}').ok).toBe(false);
    expect(parseJson('{"a\\\\":1,"a":2}').ok).toBe(true);
    expect(parseJson('{"q":"\\"","a":{"b":1},"b":2,"a\\"":3}').ok).toBe(true);
    expect(parseJson('{"a":{"b":1,"c":[{"b":2}]},"b":2,"c":3,"b":4}').ok).toBe(false);
    expect(parseJson('[{"a":1},{"a":1,"b":{"a":1}},["a","a"]]').ok).toBe(true);
  });

  it('reports invalid JSON', () => {
    const parsed = parseJson('{"a":');
    expect(parsed.ok).toBe(false);
  });

  it('decodeUtf8 refuses bytes that are not UTF-8', () => {
    expect(decodeUtf8(new TextEncoder().encode('héllo ✓'))).toBe('héllo ✓');
    expect(decodeUtf8(new Uint8Array([0xc3, 0x28]))).toBeNull();
  });
});
