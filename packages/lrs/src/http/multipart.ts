/** One part of a multipart body. */
export interface MultipartPart {
  /** Header names in lower case. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
}

/** Outcome of {@link parseMultipart}. */
export type MultipartParse = { ok: true; parts: MultipartPart[] } | { ok: false; message: string };

const encoder = new TextEncoder();
const latin1 = new TextDecoder('latin1');

/** A media type's parameters, lower-case names, quotes removed. */
export function mediaTypeParameters(contentType: string): Map<string, string> {
  const parameters = new Map<string, string>();
  const re = /;\s*([^=;\s]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)/g;
  for (let match = re.exec(contentType); match; match = re.exec(contentType)) {
    const value = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : match[2]!.trim();
    parameters.set(match[1]!.toLowerCase(), value);
  }
  return parameters;
}

/** The media type without parameters, lower case. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  outer: for (let i = from; i <= last; i++) {
    if (haystack[i] !== first) continue;
    for (let k = 1; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Parses a `multipart/mixed` body (RFC 2046): the parts between the boundary delimiters, each with
 * its headers and raw bytes. The preamble and epilogue are ignored. Lines may end with CRLF, as
 * RFC 2046 says, or with a bare LF, as some clients and test fixtures write them.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Communication.md#152-multipartmixed
 */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartParse {
  if (boundary.length === 0 || boundary.length > 200)
    return { ok: false, message: 'the multipart boundary is invalid' };
  const dashBoundary = encoder.encode(`--${boundary}`);
  const lfDelimiter = encoder.encode(`\n--${boundary}`);
  let position: number;
  if (indexOf(body.subarray(0, dashBoundary.length), dashBoundary, 0) === 0) position = dashBoundary.length;
  else {
    const at = indexOf(body, lfDelimiter, 0);
    if (at < 0) return { ok: false, message: 'the multipart body has no boundary delimiter' };
    position = at + lfDelimiter.length;
  }
  const parts: MultipartPart[] = [];
  for (;;) {
    // After a delimiter: "--" closes the body, otherwise optional whitespace then a line break.
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return { ok: true, parts };
    while (body[position] === 0x20 || body[position] === 0x09) position++;
    if (body[position] === 0x0d && body[position + 1] === 0x0a) position += 2;
    else if (body[position] === 0x0a) position += 1;
    else return { ok: false, message: 'a multipart boundary delimiter is not followed by a line break' };
    const next = indexOf(body, lfDelimiter, position - 1);
    if (next < 0) return { ok: false, message: 'the multipart body has no closing boundary delimiter' };
    // The line break before the delimiter belongs to the delimiter.
    const end = next > position && body[next - 1] === 0x0d ? next - 1 : next;
    const part = body.subarray(position, Math.max(position, end));
    let headerEnd: number;
    let bodyStart: number;
    if (part[0] === 0x0d && part[1] === 0x0a) [headerEnd, bodyStart] = [0, 2];
    else if (part[0] === 0x0a) [headerEnd, bodyStart] = [0, 1];
    else {
      const crlf = indexOf(part, encoder.encode('\r\n\r\n'), 0);
      const lf = indexOf(part, encoder.encode('\n\n'), 0);
      if (crlf < 0 && lf < 0)
        return { ok: false, message: 'a multipart part has no blank line after its headers' };
      if (crlf >= 0 && (lf < 0 || crlf < lf)) [headerEnd, bodyStart] = [crlf, crlf + 4];
      else [headerEnd, bodyStart] = [lf, lf + 2];
    }
    const headers = new Map<string, string>();
    for (const line of latin1.decode(part.subarray(0, headerEnd)).split(/\r?\n/)) {
      if (line === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0) return { ok: false, message: `a multipart part has a malformed header line "${line}"` };
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    parts.push({ headers, body: part.subarray(bodyStart) });
    position = next + lfDelimiter.length;
  }
}

/** One part to write with {@link buildMultipart}. */
export interface OutgoingPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** Writes a `multipart/mixed` body with the given boundary. */
export function buildMultipart(parts: readonly OutgoingPart[], boundary: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    const head = Object.entries(part.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    chunks.push(encoder.encode(`--${boundary}\r\n${head}\r\n`), part.body, encoder.encode('\r\n'));
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
