/**
 * What the benchmark load clients share: reading HTTP/1.1 responses off a keep-alive socket
 * (Content-Length or chunked bodies) and latency percentiles.
 */
const CRLFCRLF = Buffer.from('\r\n\r\n');

/** One response read from the front of a buffer; `end` is where the next one starts. */
export interface HttpResponse {
  status: number;
  body: Buffer;
  end: number;
}

/**
 * The first complete response in `buf`, or `null` while it is incomplete.
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-6
 */
export function readHttpResponse(buf: Buffer): HttpResponse | null {
  const headEnd = buf.indexOf(CRLFCRLF);
  if (headEnd < 0) return null;
  const head = buf.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  const bodyStart = headEnd + 4;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) {
    const end = bodyStart + Number(length[1]);
    return buf.length < end ? null : { status, body: buf.subarray(bodyStart, end), end };
  }
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(head))
    return { status, body: Buffer.alloc(0), end: bodyStart };
  const parts: Buffer[] = [];
  let at = bodyStart;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = Number.parseInt(buf.toString('latin1', at, lineEnd), 16);
    if (size === 0) {
      if (buf.length < lineEnd + 4) return null;
      return { status, body: Buffer.concat(parts), end: lineEnd + 4 };
    }
    if (buf.length < lineEnd + 2 + size + 2) return null;
    parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** The p-th percentile (nearest rank) of sorted samples; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
