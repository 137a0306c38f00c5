/**
 * What the benchmark load clients share: a keep-alive HTTP/1.1 connection that reads responses
 * (Content-Length or chunked bodies) off its socket, and latency percentiles.
 */
import { connect, type Socket } from 'node:net';

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

/** A response's status and body. */
export interface HttpAnswer {
  status: number;
  body: Buffer;
}

/** One keep-alive connection that carries one request at a time. */
export class Connection {
  private socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: ((a: HttpAnswer) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;

  constructor(host: string, port: number) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.parse();
    });
    const fail = (e: Error) => {
      const f = this.failed;
      this.waiting = null;
      this.failed = null;
      f?.(e);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  request(bytes: Buffer | string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): void {
    const answer = readHttpResponse(this.buffered);
    if (!answer) return;
    const { status, body, end } = answer;
    this.buffered = this.buffered.length === end ? Buffer.alloc(0) : this.buffered.subarray(end);
    const w = this.waiting;
    this.waiting = null;
    this.failed = null;
    w?.({ status, body });
  }
}
