import { describe, expect, it } from 'vitest';
import { bearerToken } from './runtime.js';

describe('bearerToken', () => {
  it('takes the token as /^Bearer\\s+(\\S+)\\s*$/i does, with or without its fast path', () => {
    const regex = (h: string) => /^Bearer\s+(\S+)\s*$/i.exec(h)?.[1] ?? null;
    const headers = [
      'Bearer abc.def.ghi',
      'bearer abc.def.ghi',
      'BEARER abc',
      'Bearer   abc',
      'Bearer\tabc',
      'Bearer abc ',
      'Bearer abc def',
      'Bearer ',
      'Bearer',
      'Basic abc',
      'Bearerabc',
      'Bearer a\u00a0b',
      'Bearer a\u00e9b',
      'Bearer a\u0000b',
      '',
    ];
    for (const h of headers) expect(bearerToken(h), JSON.stringify(h)).toBe(regex(h));
    expect(bearerToken(undefined)).toBeNull();
  });
});
