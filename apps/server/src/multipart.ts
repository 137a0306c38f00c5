import { HttpProblem } from './errors.js';

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;
/** Bytes of other fields accepted before the file part: form fields are small, files are skipped past. */
const MAX_SKIPPED_BYTES = 1024 * 1024;

/** The boundary of a `multipart/form-data` content type, or `null` when it has none. */
export function multipartBoundary(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

function dispositionName(headers: string): string | null {
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const match = /;\s*name=(?:"([^"]*)"|([^\s;]+))/i.exec(line.slice(colon + 1));
    return match ? (match[1] ?? match[2] ?? null) : null;
  }
  return null;
}

/**
 * The content of the part named `field` of a `multipart/form-data` body, read as the body streams
 * in: nothing is buffered beyond one chunk and the boundary length, so a large file goes straight
 * through to whoever consumes it. Reading stops at the end of that part. Throws `HttpProblem`
 * `VALIDATION_FAILED` when the body is malformed, ends early or has no such part.
 * @see https://www.rfc-editor.org/rfc/rfc7578 (multipart/form-data), RFC 2046 section 5.1.1
 */
export async function* multipartField(
  body: AsyncIterable<Uint8Array>,
  boundary: string,
  field: string,
): AsyncGenerator<Uint8Array, void, undefined> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const keep = delimiter.length - 1;
  // The first boundary may open the body without a preceding CRLF.
  let buf: Buffer = Buffer.from(CRLF);
  let state: 'preamble' | 'boundary' | 'headers' | 'body' = 'preamble';
  let target = false;
  let skipped = 0;
  const fail = (detail: string): never => {
    throw new HttpProblem('VALIDATION_FAILED', detail, {
      extensions: { errors: [{ field: `body.${field}`, message: detail }] },
    });
  };
  const skip = (bytes: number) => {
    skipped += bytes;
    if (skipped > MAX_SKIPPED_BYTES)
      fail(`The multipart body has more than 1 MiB before the "${field}" part.`);
  };

  for await (const chunk of body) {
    buf = buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([buf, chunk]);
    for (;;) {
      if (state === 'preamble') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          skip(Math.max(0, buf.length - keep));
          buf = buf.subarray(Math.max(0, buf.length - keep));
          break;
        }
        skip(at);
        buf = buf.subarray(at + delimiter.length);
        state = 'boundary';
      }
      if (state === 'boundary') {
        if (buf.length < 2) break;
        if (buf[0] === 0x2d && buf[1] === 0x2d) fail(`The multipart body has no "${field}" part.`);
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > 256) fail('The multipart body is malformed: a boundary line does not end.');
          break;
        }
        if (buf.subarray(0, eol).toString('latin1').trim() !== '') {
          fail('The multipart body is malformed: text follows a boundary.');
        }
        buf = buf.subarray(eol + CRLF.length);
        state = 'headers';
      }
      if (state === 'headers') {
        let headers: string;
        if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
          headers = '';
          buf = buf.subarray(2);
        } else {
          const end = buf.indexOf(HEADER_END);
          if (end < 0) {
            if (buf.length > MAX_HEADER_BYTES) fail('The multipart body has a part header above 16 KiB.');
            break;
          }
          headers = buf.subarray(0, end).toString('utf8');
          buf = buf.subarray(end + HEADER_END.length);
        }
        target = dispositionName(headers) === field;
        state = 'body';
      }
      // state === 'body'
      const at = buf.indexOf(delimiter);
      if (at >= 0) {
        if (target) {
          if (at > 0) yield buf.subarray(0, at);
          return;
        }
        skip(at);
        buf = buf.subarray(at + delimiter.length);
        state = 'boundary';
        continue;
      }
      const safe = buf.length - keep;
      if (safe > 0) {
        if (target) yield buf.subarray(0, safe);
        else skip(safe);
        buf = buf.subarray(safe);
      }
      break;
    }
  }
  fail(
    state === 'body' && target
      ? `The multipart body ends inside the "${field}" part.`
      : `The multipart body has no "${field}" part.`,
  );
}

/** Passes `body` through, throwing `HttpProblem` `PAYLOAD_TOO_LARGE` once more than `max` bytes went by. */
export async function* limitBytes(
  body: AsyncIterable<Uint8Array>,
  max: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > max) {
      throw new HttpProblem('PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${max} bytes.`, {
        extensions: { limit: max },
      });
    }
    yield chunk;
  }
}
