import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isHttpProblem } from './errors.js';
import { limitBytes, multipartBoundary, multipartField } from './multipart.js';

async function* chunks(data: Buffer, size: number) {
  for (let i = 0; i < data.length; i += size) yield new Uint8Array(data.subarray(i, i + size));
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function problemCode(it: AsyncIterable<Uint8Array>): Promise<string> {
  try {
    await collect(it);
  } catch (error) {
    if (isHttpProblem(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

const B = 'XyZ-boundary-42';
function form(file: Buffer, { name = 'file', first = true } = {}): Buffer {
  return Buffer.concat([
    Buffer.from(first ? '' : 'preamble\r\n'),
    Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="title"\r\n\r\nMy course\r\n`),
    Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${name}"; filename="c.zip"\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${B}--\r\n`),
  ]);
}

describe('multipartBoundary', () => {
  it('reads quoted and bare boundaries', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b:c"')).toBe('a b:c');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
  });
});

describe('multipartField', () => {
  it('returns the bytes of the named part whatever the chunking', async () => {
    // Content that contains near-boundaries and CRLFs.
    const file = Buffer.concat([
      randomBytes(3000),
      Buffer.from(`\r\n--${B.slice(0, -1)}\r\n--`),
      randomBytes(500),
    ]);
    for (const size of [1, 2, 7, 16, 17, 64, 1000, 100_000]) {
      for (const first of [true, false]) {
        const out = await collect(multipartField(chunks(form(file, { first }), size), B, 'file'));
        expect(out.equals(file), `chunk size ${size}`).toBe(true);
      }
    }
  });

  it('handles an empty file', async () => {
    expect((await collect(multipartField(chunks(form(Buffer.alloc(0)), 5), B, 'file'))).length).toBe(0);
  });

  it('reports a missing part, a truncated body and a malformed boundary line', async () => {
    expect(
      await problemCode(multipartField(chunks(form(Buffer.from('x'), { name: 'other' }), 9), B, 'file')),
    ).toMatch(/^VALIDATION_FAILED: .*no "file" part/);
    const whole = form(randomBytes(100));
    const cut = whole.subarray(0, whole.length - 40);
    expect(await problemCode(multipartField(chunks(cut, 9), B, 'file'))).toMatch(
      /ends inside the "file" part/,
    );
    const junk = Buffer.from(`--${B}junk\r\n\r\nx\r\n--${B}--\r\n`);
    expect(await problemCode(multipartField(chunks(junk, 4), B, 'file'))).toMatch(/malformed/);
  });

  it('stops skipping after 1 MiB of other fields', async () => {
    const big = Buffer.concat([
      Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="pad"\r\n\r\n`),
      Buffer.alloc(1024 * 1024 + 10, 0x61),
      Buffer.from(`\r\n--${B}--\r\n`),
    ]);
    expect(await problemCode(multipartField(chunks(big, 65536), B, 'file'))).toMatch(/more than 1 MiB/);
  });
});

describe('limitBytes', () => {
  it('passes up to the limit and refuses beyond it', async () => {
    expect((await collect(limitBytes(chunks(Buffer.alloc(100), 30), 100))).length).toBe(100);
    expect(await problemCode(limitBytes(chunks(Buffer.alloc(101), 30), 100))).toMatch(/^PAYLOAD_TOO_LARGE/);
  });
});
