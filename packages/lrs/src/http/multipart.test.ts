import { describe, expect, it } from 'vitest';
import { buildMultipart, mediaType, mediaTypeParameters, parseMultipart } from './multipart.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('multipart', () => {
  it('parses the example of Communication 1.5.2 (quoted boundary with special characters)', () => {
    const boundary = "abcABC0123'()+_,-./:=?";
    const contentType = `multipart/mixed; boundary="${boundary}"`;
    expect(mediaType(contentType)).toBe('multipart/mixed');
    expect(mediaTypeParameters(contentType).get('boundary')).toBe(boundary);
    const body = new TextEncoder().encode(
      `--${boundary}\r\nContent-Type:application/json\r\n\r\n{"a":1}\r\n--${boundary}\r\nContent-Type:text/plain\r\nContent-Transfer-Encoding:binary\r\nX-Experience-API-Hash:abc\r\n\r\nhere is a simple attachment\r\n--${boundary}--`,
    );
    const parsed = parseMultipart(body, boundary);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.parts.map((p) => text(p.body))).toEqual(['{"a":1}', 'here is a simple attachment']);
    expect(parsed.parts[1]!.headers.get('x-experience-api-hash')).toBe('abc');
  });

  it('round-trips parts written by buildMultipart, binary included', () => {
    const binary = new Uint8Array([0, 13, 10, 45, 45, 255]);
    const built = buildMultipart(
      [
        { headers: { 'Content-Type': 'application/json' }, body: new TextEncoder().encode('[]') },
        { headers: { 'Content-Type': 'application/octet-stream' }, body: binary },
      ],
      'b0undary',
    );
    const parsed = parseMultipart(built, 'b0undary');
    expect(parsed.ok && [...parsed.parts[1]!.body]).toEqual([...binary]);
  });

  it('rejects a body without delimiters or without a closing delimiter', () => {
    expect(parseMultipart(new TextEncoder().encode('no parts here'), 'x').ok).toBe(false);
    expect(parseMultipart(new TextEncoder().encode('--x\r\nA: b\r\n\r\nbody'), 'x').ok).toBe(false);
    expect(
      parseMultipart(new TextEncoder().encode('--x\r\nbroken header\r\n\r\nbody\r\n--x--'), 'x').ok,
    ).toBe(false);
  });
});

describe('multipart with bare LF line breaks', () => {
  it('parses a body whose lines end with LF only, as the conformance suite fixtures are written', () => {
    const boundary = '-------314159265358979323846';
    const body = new TextEncoder().encode(
      `--${boundary}\nContent-Type: application/json\n\n{"a":1}\n--${boundary}\nContent-Type: text/plain\nContent-Transfer-Encoding: binary\nX-Experience-API-Hash: abc\n\nhere is a simple attachment\n--${boundary}--\n`,
    );
    const parsed = parseMultipart(body, boundary);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.parts.map((p) => text(p.body))).toEqual(['{"a":1}', 'here is a simple attachment']);
    expect(parsed.parts[1]!.headers.get('content-transfer-encoding')).toBe('binary');
  });

  it('keeps a CR that is part of the content when lines end with LF', () => {
    const body = new TextEncoder().encode('--b\nX: y\n\nline\r\r\n--b--');
    const parsed = parseMultipart(body, 'b');
    expect(parsed.ok && text(parsed.parts[0]!.body)).toBe('line\r');
  });
});
