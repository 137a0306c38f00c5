/**
 * A real HTTP server for the browser tests: the engine's four runtime routes with the same wire
 * format (bearer tokens, `{ item, diff }` bodies, problem+json refusals with `code`, `reason` and
 * `currentSeq`) over `@scormflow/cmi`, the `/runtime.js` bundle, the fixture pages, and switches
 * that inject failures (network down, 5xx, 401, slow answers).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import {
  applyCommit,
  type CmiState,
  type CommitDiff,
  createInitialState,
  type ScormVersion,
} from '@scormflow/cmi';
import { runtimeBundle } from '../src/bundle-source.js';

export const FIXTURES = resolve(import.meta.dirname, 'fixtures');

export interface RecordedRequest {
  attemptId: string;
  route: string;
  token: string;
  item?: string;
  seq?: number;
  terminated?: boolean;
  ops?: number;
  status: number;
  /** For refusals, the problem's reason or code. */
  outcome?: string;
}

interface Attempt {
  version: ScormVersion;
  learnerId: string;
  states: Map<string, CmiState>;
}

export interface RuntimeServer {
  /** http://127.0.0.1:port */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Every runtime request is dropped (socket destroyed) while true. */
  down: boolean;
  /** How many runtime commit / terminate requests answer 503 next. */
  fail5xx: number;
  /** How many commit / terminate requests answer 401 next, whatever the token. */
  fail401: number;
  /** How many commit / terminate requests answer 422 INVALID_VALUE next (nothing stored). */
  fail422: number;
  /** Delay of every runtime answer, ms. */
  delayMs: number;
  /** Creates an attempt and a token for it valid `ttlMs`. */
  createAttempt(
    version: ScormVersion,
    ttlMs?: number,
  ): { attemptId: string; token: string; expiresAt: string };
  /** The state the server holds for a SCO of an attempt. */
  state(attemptId: string, item: string): CmiState | undefined;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function problem(
  res: ServerResponse,
  status: number,
  code: string,
  extensions: Record<string, unknown> = {},
) {
  json(
    res,
    status,
    {
      ...extensions,
      type: `urn:scormflow:problem:${code.toLowerCase()}`,
      title: code,
      status,
      detail: code,
      code,
    },
    'application/problem+json',
  );
}

export async function startRuntimeServer(): Promise<RuntimeServer> {
  const attempts = new Map<string, Attempt>();
  const tokens = new Map<string, { attemptId: string; expires: number }>();
  const sockets = new Set<import('node:net').Socket>();

  function issue(attemptId: string, ttlMs: number) {
    const token = randomUUID();
    const expires = Date.now() + ttlMs;
    tokens.set(token, { attemptId, expires });
    return { token, expiresAt: new Date(expires).toISOString() };
  }

  async function runtime(req: IncomingMessage, res: ServerResponse, attemptId: string, route: string) {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const text = await readBody(req);
    // biome-ignore lint/suspicious/noExplicitAny: the request body is checked field by field below
    let body: any = {};
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      body = null;
    }
    const rec: RecordedRequest = { attemptId, route, token: bearer, status: 0 };
    if (body && typeof body.item === 'string') rec.item = body.item;
    if (body?.diff) {
      rec.seq = body.diff.seq;
      rec.terminated = body.diff.terminated;
      rec.ops = Array.isArray(body.diff.ops) ? body.diff.ops.length : -1;
    }
    server.requests.push(rec);
    if (server.down) {
      req.socket.destroy();
      return;
    }
    if (server.delayMs > 0) await new Promise((r) => setTimeout(r, server.delayMs));
    const answer = (status: number, code?: string, ext?: Record<string, unknown>, ok?: unknown) => {
      rec.status = status;
      if (code) {
        rec.outcome = (ext?.reason as string | undefined) ?? code;
        problem(res, status, code, ext);
      } else json(res, status, ok);
    };
    const t = tokens.get(bearer);
    if (!t) return answer(401, 'RUNTIME_TOKEN_INVALID');
    if (t.expires < Date.now()) return answer(401, 'RUNTIME_TOKEN_EXPIRED');
    if (t.attemptId !== attemptId) return answer(403, 'RUNTIME_TOKEN_FORBIDDEN');
    const attempt = attempts.get(attemptId);
    if (!attempt) return answer(404, 'ATTEMPT_NOT_FOUND');
    if (body === null) return answer(400, 'VALIDATION_FAILED');
    if (route === 'token') {
      const next = issue(attemptId, 10 * 60_000);
      return answer(200, undefined, undefined, { runtimeToken: next.token, expiresAt: next.expiresAt });
    }
    const item: string = typeof body.item === 'string' ? body.item : 'sco-1';
    if (route === 'initialize') {
      const previous = attempt.states.get(item);
      const initial = createInitialState(attempt.version, {
        learnerId: attempt.learnerId,
        learnerName: 'Ada Lovelace',
        ...(previous ? { resume: previous } : {}),
      });
      const seq = (previous?.seq ?? 0) + 1;
      const state: CmiState = { ...initial, seq, sessionStart: seq };
      attempt.states.set(item, state);
      return answer(200, undefined, undefined, {
        result: 'true',
        errorCode: '0',
        item,
        version: attempt.version,
        launchId: randomUUID(),
        state,
      });
    }
    if (route !== 'commit' && route !== 'terminate') return answer(404, 'ROUTE_NOT_FOUND');
    if (server.fail5xx > 0) {
      server.fail5xx--;
      return answer(503, 'NOT_READY');
    }
    if (server.fail422 > 0) {
      server.fail422--;
      return answer(422, 'COMMIT_INVALID', { reason: 'INVALID_VALUE', currentSeq: 0, errorCode: '406' });
    }
    if (server.fail401 > 0) {
      server.fail401--;
      return answer(401, 'RUNTIME_TOKEN_EXPIRED');
    }
    const diff = body.diff as CommitDiff | undefined;
    if (!diff || (route === 'terminate' && diff.terminated !== true)) return answer(400, 'VALIDATION_FAILED');
    const stored = attempt.states.get(item);
    if (!stored || stored.terminated) {
      return answer(409, 'COMMIT_REJECTED', {
        reason: 'SESSION_NOT_RUNNING',
        currentSeq: stored?.seq ?? 0,
        errorCode: '301',
      });
    }
    const applied = applyCommit(stored, diff);
    if (!applied.ok) {
      const e = applied.error;
      const invalid = e.code === 'INVALID_VALUE' || e.code === 'MALFORMED_DIFF';
      return answer(invalid ? 422 : 409, invalid ? 'COMMIT_INVALID' : 'COMMIT_REJECTED', {
        reason: e.code,
        currentSeq: stored.seq,
        errorCode: String(e.scormError ?? 101),
      });
    }
    attempt.states.set(item, applied.value);
    return answer(
      200,
      undefined,
      undefined,
      route === 'commit'
        ? { result: 'true', errorCode: '0', seq: diff.seq }
        : { result: 'true', errorCode: '0' },
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const rt = /^\/api\/v1\/runtime\/([A-Za-z0-9-]+)\/(initialize|commit|terminate|token)$/.exec(path);
    if (rt && req.method === 'POST') return runtime(req, res, rt[1]!, rt[2]!);
    if (path === '/runtime.js') {
      const { code, hash } = await runtimeBundle();
      res.writeHead(200, { 'content-type': TYPES['.js']!, etag: `"${hash}"` });
      res.end(code);
      return;
    }
    if (path.startsWith('/fixtures/')) {
      const file = normalize(join(FIXTURES, path.slice('/fixtures/'.length)));
      if (file.startsWith(FIXTURES)) {
        try {
          const data = await readFile(file);
          res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
          res.end(data);
          return;
        } catch {
          // not found below
        }
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;

  const server: RuntimeServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: [],
    down: false,
    fail5xx: 0,
    fail401: 0,
    fail422: 0,
    delayMs: 0,
    createAttempt(version, ttlMs = 10 * 60_000) {
      const attemptId = randomUUID();
      attempts.set(attemptId, { version, learnerId: `learner-${attemptId.slice(0, 8)}`, states: new Map() });
      return { attemptId, ...issue(attemptId, ttlMs) };
    },
    state(attemptId, item) {
      return attempts.get(attemptId)?.states.get(item);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => http.close(() => r()));
    },
  };
  return server;
}
