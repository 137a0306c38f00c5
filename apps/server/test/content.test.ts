import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { type Database, migrate, openDatabase } from '@scormflow/db';
import { type BlobStorage, memoryStorage } from '@scormflow/storage';
import { diskStorage } from '@scormflow/storage-local';
import { Hono } from 'hono';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueContentToken } from '../src/content/token.js';
import { isHttpProblem, problemResponse } from '../src/errors.js';
import { bootstrap, createApp, type ScormflowApp } from '../src/index.js';
import { contentRoutes } from '../src/routes/content.js';
import { call, fixture, problemOf } from './helpers.js';
import { createTestDatabase } from './postgres.js';
import type { RouteBackend } from './route-suite.js';

const SECRET = 'content-route-test-secret-0123456789abcdef';
const INDEX =
  '<!doctype html><title>Lesson 1</title><link rel="stylesheet" href="css/style.css"><p>Hello</p>';
const CSS = 'body { font-family: sans-serif; }';
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
/** 100 000 bytes that differ from position to position, for ranges deep inside a file. */
const BIG = new Uint8Array(100_000).map((_, i) => (i * 7 + (i >> 8)) & 0xff);

/** Sends `target` as the raw request target over a socket (no client-side normalisation of `..`). */
function rawGet(
  server: Server,
  target: string,
  headers = '',
  method = 'GET',
): Promise<{ status: number; raw: Buffer }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw.toString('latin1'))?.[1] ?? 0), raw });
    });
  });
}

/**
 * `GET|HEAD /content/{token}/*` over one database and storage: courses are imported through the
 * upload route; tokens are made with `issueContentToken`, as the launch does.
 */
function describeContent(label: string, backend: RouteBackend): void {
  describe.skipIf('skip' in backend)(`content on ${label}`, () => {
    const b = backend as Exclude<RouteBackend, { skip: string }>;
    let db: Database;
    let storage: BlobStorage;
    let app: ScormflowApp;
    const unexpected: unknown[] = [];
    let a: { id: string; key: string; course: string; token: string };
    let bT: { id: string; key: string; course: string; token: string };

    async function tenantWithCourse(rootKey: string, name: string, zip: string) {
      const made = await call(app, '/api/v1/admin/tenants', { method: 'POST', key: rootKey, json: { name } });
      expect(made.status).toBe(201);
      const { tenant, apiKey } = (await made.json()) as {
        tenant: { id: string };
        apiKey: { secret: string };
      };
      const uploaded = await call(app, '/api/v1/courses', {
        method: 'POST',
        key: apiKey.secret,
        body: new Uint8Array(await fixture(zip)),
        headers: { 'content-type': 'application/zip' },
      });
      expect(uploaded.status).toBe(201);
      const course = (await uploaded.json()) as { id: string; version: number };
      const token = await issueContentToken(
        {
          tenantId: tenant.id,
          courseId: course.id,
          version: course.version,
          attemptId: `attempt-of-${name}`,
        },
        SECRET,
      );
      return { id: tenant.id, key: apiKey.secret, course: course.id, token };
    }

    const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
      call(app, path, { method, headers });
    const file = (t: { token: string }, path: string) => `/content/${t.token}/${path}`;

    beforeAll(async () => {
      db = b.open();
      await migrate(db);
      const boot = await bootstrap(db);
      if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
      storage = await b.storage();
      app = createApp({
        db,
        storage,
        rateLimiter: null,
        jwtSecret: SECRET,
        onUnexpectedError: (error) => unexpected.push(error),
      });
      a = await tenantWithCourse(boot.secret, 'tenant A', 'scorm12-single.zip');
      bT = await tenantWithCourse(boot.secret, 'tenant B', 'scorm2004-multi.zip');
      // Files the zips lack, put where an import puts them: no stored type, odd names, a large file.
      const folder = `tenants/${a.id}/courses/${a.course}/1`;
      await storage.put(`${folder}/media/captions.vtt`, 'WEBVTT\n');
      await storage.put(`${folder}/media/data.csv`, 'a,b\n1,2\n', { contentType: 'text/csv' });
      await storage.put(`${folder}/media/my file \u00e9.txt`, 'spaced');
      await storage.put(`${folder}/media/big.bin`, BIG, { contentType: 'application/octet-stream' });
    });
    afterAll(async () => {
      await storage?.close?.();
      await db?.close();
      await b.dispose();
    });

    describe('files', () => {
      it('serves a file with its type, length, validators and caching headers', async () => {
        const res = await get(file(a, 'index.html'));
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(INDEX);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('content-length')).toBe(String(INDEX.length));
        expect(res.headers.get('accept-ranges')).toBe('bytes');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('same-origin');
        expect(res.headers.get('etag')).toMatch(/^(W\/)?"[^"]+"$/);
        const cache = /^private, max-age=(\d+)$/.exec(res.headers.get('cache-control') ?? '');
        expect(cache).not.toBeNull();
        expect(Number(cache![1])).toBeGreaterThan(0);
        expect(Number(cache![1])).toBeLessThanOrEqual(8 * 3600);
        expect(res.headers.get('set-cookie')).toBeNull();
      });

      it('gives each type of file its content type', async () => {
        const cases: [typeof a, string, string, string | Uint8Array][] = [
          [a, 'css/style.css', 'text/css; charset=utf-8', CSS],
          [a, 'imsmanifest.xml', 'application/xml', ''],
          [a, 'media/captions.vtt', 'text/vtt; charset=utf-8', 'WEBVTT\n'],
          [a, 'media/data.csv', 'text/csv; charset=utf-8', 'a,b\n1,2\n'],
          [a, `media/${encodeURIComponent('my file \u00e9.txt')}`, 'text/plain; charset=utf-8', 'spaced'],
          [bT, 'glossary.pdf', 'application/pdf', new Uint8Array(PDF)],
          [bT, 'sco2/index.html', 'text/html; charset=utf-8', '<!doctype html><title>Rules</title>'],
        ];
        for (const [t, path, type, body] of cases) {
          const res = await get(file(t, path));
          expect(res.status, path).toBe(200);
          expect(res.headers.get('content-type'), path).toBe(type);
          if (typeof body !== 'string') expect(new Uint8Array(await res.arrayBuffer()), path).toEqual(body);
          else if (body) expect(await res.text(), path).toBe(body);
          else expect((await res.text()).startsWith('<?xml'), path).toBe(true);
        }
      });

      it('ignores the query string', async () => {
        const res = await get(`${file(a, 'index.html')}?x=1&cache=bust`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(INDEX);
      });

      it('answers HEAD with the headers of GET and no body', async () => {
        const res = await get(file(a, 'index.html'), {}, 'HEAD');
        expect(res.status).toBe(200);
        expect(res.headers.get('content-length')).toBe(String(INDEX.length));
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('accept-ranges')).toBe('bytes');
        expect(res.headers.get('etag')).toBe((await get(file(a, 'index.html'))).headers.get('etag'));
        expect(await res.text()).toBe('');
        const ranged = await get(file(a, 'index.html'), { range: 'bytes=0-9' }, 'HEAD');
        expect(ranged.status).toBe(200);
        expect(ranged.headers.get('content-length')).toBe(String(INDEX.length));
        const missing = await get(file(a, 'nothing.html'), {}, 'HEAD');
        expect(missing.status).toBe(404);
      });

      it('answers other methods with a 404 problem', async () => {
        const res = await call(app, file(a, 'index.html'), { method: 'POST', body: 'x' });
        expect(res.status).toBe(404);
        expect((await problemOf(res)).code).toBe('ROUTE_NOT_FOUND');
      });
    });

    describe('ranges', () => {
      const ranged = async (t: typeof a, path: string, range: string) => {
        const res = await get(file(t, path), { range });
        return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
      };

      it('serves one range with 206 and Content-Range', async () => {
        const size = INDEX.length;
        const cases: [string, number, number][] = [
          ['bytes=0-9', 0, 9],
          ['bytes=-10', size - 10, size - 1],
          ['bytes=90-', 90, size - 1],
          ['bytes=80-100000', 80, size - 1],
          ['bytes=-1000', 0, size - 1],
        ];
        for (const [range, start, end] of cases) {
          const { res, bytes } = await ranged(a, 'index.html', range);
          expect(res.status, range).toBe(206);
          expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${size}`);
          expect(res.headers.get('content-length'), range).toBe(String(end - start + 1));
          expect(res.headers.get('content-type'), range).toBe('text/html; charset=utf-8');
          expect(new TextDecoder().decode(bytes), range).toBe(INDEX.slice(start, end + 1));
        }
      });

      it('serves ranges deep inside a binary file', async () => {
        const { res, bytes } = await ranged(a, 'media/big.bin', 'bytes=65530-65629');
        expect(res.status).toBe(206);
        expect(res.headers.get('content-range')).toBe('bytes 65530-65629/100000');
        expect(bytes).toEqual(BIG.slice(65530, 65630));
        const tail = await ranged(a, 'media/big.bin', 'bytes=-7');
        expect(tail.bytes).toEqual(BIG.slice(-7));
      });

      it('answers a range beyond the file with 416 and bytes */size', async () => {
        for (const range of [`bytes=${INDEX.length}-`, 'bytes=500-600', 'bytes=-0']) {
          const res = await get(file(a, 'index.html'), { range });
          expect(res.status, range).toBe(416);
          expect(res.headers.get('content-range'), range).toBe(`bytes */${INDEX.length}`);
          expect((await problemOf(res)).code).toBe('RANGE_NOT_SATISFIABLE');
        }
      });

      it('serves the whole file for several ranges or a header it cannot read', async () => {
        for (const range of ['bytes=0-1,5-6', 'bytes=9-2', 'pages=1-2', 'bytes=x-']) {
          const { res, bytes } = await ranged(a, 'index.html', range);
          expect(res.status, range).toBe(200);
          expect(res.headers.get('content-range'), range).toBeNull();
          expect(new TextDecoder().decode(bytes), range).toBe(INDEX);
        }
      });

      it('honours If-Range only while the ETag matches', async () => {
        const etag = (await get(file(a, 'index.html'))).headers.get('etag')!;
        const same = await get(file(a, 'index.html'), { range: 'bytes=0-3', 'if-range': etag });
        if (etag.startsWith('W/')) expect(same.status).toBe(200);
        else expect(same.status).toBe(206);
        await same.body?.cancel();
        const other = await get(file(a, 'index.html'), { range: 'bytes=0-3', 'if-range': '"other"' });
        expect(other.status).toBe(200);
        expect(await other.text()).toBe(INDEX);
      });
    });

    describe('revalidation', () => {
      it('answers If-None-Match with 304 when the ETag matches', async () => {
        const first = await get(file(a, 'css/style.css'));
        const etag = first.headers.get('etag')!;
        await first.body?.cancel();
        for (const header of [etag, `W/${etag.replace(/^W\//, '')}`, `"nope", ${etag}`, '*']) {
          const res = await get(file(a, 'css/style.css'), { 'if-none-match': header });
          expect(res.status, header).toBe(304);
          expect(await res.text()).toBe('');
          expect(res.headers.get('etag')).toBe(etag);
          expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
        }
        const changed = await get(file(a, 'css/style.css'), { 'if-none-match': '"nope"' });
        expect(changed.status).toBe(200);
        expect(await changed.text()).toBe(CSS);
      });

      it('gives different files different ETags', async () => {
        const one = await get(file(a, 'index.html'));
        const two = await get(file(a, 'css/style.css'));
        await Promise.all([one.body?.cancel(), two.body?.cancel()]);
        expect(one.headers.get('etag')).not.toBe(two.headers.get('etag'));
      });
    });

    describe('tokens', () => {
      it('refuses an expired token', async () => {
        const claims = { tenantId: a.id, courseId: a.course, version: 1, attemptId: 'old' };
        const token = await issueContentToken(claims, SECRET, 60, { now: new Date(Date.now() - 3600_000) });
        const res = await get(`/content/${token}/index.html`);
        expect(res.status).toBe(403);
        expect((await problemOf(res)).code).toBe('CONTENT_TOKEN_EXPIRED');
        expect(res.headers.get('cache-control')).toBe('no-store');
      });

      it('refuses tampered, foreign and malformed tokens', async () => {
        const [header, payload, signature] = a.token.split('.') as [string, string, string];
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
        const swapped = Buffer.from(JSON.stringify({ ...claims, tid: bT.id, cid: bT.course })).toString(
          'base64url',
        );
        const otherKey = await issueContentToken(
          { tenantId: a.id, courseId: a.course, version: 1, attemptId: 'x' },
          'a-different-secret-of-enough-length-0123456789',
        );
        const rawSecretJwt = await new SignJWT({ tid: a.id, cid: a.course, ver: 1 })
          .setProtectedHeader({ alg: 'HS256' })
          .setAudience('scormflow:content')
          .setSubject('x')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(SECRET));
        for (const token of [
          `${header}.${swapped}.${signature}`,
          `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
          otherKey,
          rawSecretJwt,
          'not-a-token',
          `${a.token}x`,
        ]) {
          const path = token === `${header}.${swapped}.${signature}` ? 'glossary.pdf' : 'index.html';
          const res = await get(`/content/${token}/${path}`);
          expect(res.status, token).toBe(403);
          expect((await problemOf(res)).code).toBe('CONTENT_TOKEN_INVALID');
        }
      });

      it('opens only the course version named by the token', async () => {
        const v2 = await issueContentToken(
          { tenantId: a.id, courseId: a.course, version: 2, attemptId: 'v2' },
          SECRET,
        );
        expect((await get(`/content/${v2}/index.html`)).status).toBe(404);
        // Right course id, wrong tenant: the key is built under the token's tenant, so nothing is found.
        const mixed = await issueContentToken(
          { tenantId: bT.id, courseId: a.course, version: 1, attemptId: 'mixed' },
          SECRET,
        );
        const res = await get(`/content/${mixed}/index.html`);
        expect(res.status).toBe(404);
        expect((await problemOf(res)).code).toBe('CONTENT_NOT_FOUND');
      });
    });

    describe('isolation and paths', () => {
      const intoB = () => `tenants/${bT.id}/courses/${bT.course}/1/glossary.pdf`;

      it("never serves tenant B's files with tenant A's token", async () => {
        const attempts = [
          `../../../../${intoB()}`,
          `%2e%2e/%2e%2e/%2e%2e/%2e%2e/${intoB()}`,
          `${'..%2f'.repeat(6)}${intoB()}`,
          `${'%2e%2e%2f'.repeat(6)}${intoB()}`,
          `${'..%5c'.repeat(6)}${intoB().replaceAll('/', '%5c')}`,
          `${'..\\'.repeat(6)}${intoB()}`,
          `css/..%2f..%2f..%2f..%2f${bT.course}/1/glossary.pdf`,
          `%2e%2e%2f%2e%2e%2f${bT.course}/1/glossary.pdf`,
          'glossary.pdf',
        ];
        for (const path of attempts) {
          const res = await get(`/content/${a.token}/${path}`);
          expect(res.status, path).toBeGreaterThanOrEqual(400);
          const body = Buffer.from(await res.arrayBuffer());
          expect(body.includes('%PDF'), path).toBe(false);
        }
        // The same file is served to B's own token.
        expect((await get(file(bT, 'glossary.pdf'))).status).toBe(200);
      });

      it('refuses encoded traversal, backslashes and NUL with a 400 problem', async () => {
        for (const path of [
          '..%2fimsmanifest.xml',
          'css%2f..%2f..%2fx',
          'css%5cstyle.css',
          'index.html%00.png',
          'a%zz',
        ]) {
          const res = await get(file(a, path));
          expect(res.status, path).toBe(400);
          expect((await problemOf(res)).code, path).toBe('CONTENT_PATH_INVALID');
        }
      });

      it('answers a missing file, a folder or a trailing slash with a 404 problem and no listing', async () => {
        for (const path of ['nothing.html', 'css', 'css/', '', 'media', 'media/', 'css/style.css/']) {
          const res = await get(file(a, path));
          expect(res.status, path).toBe(404);
          const problem = await problemOf(res);
          expect(problem.code, path).toBe('CONTENT_NOT_FOUND');
          expect(JSON.stringify(problem), path).not.toContain('style.css"');
          expect(res.headers.get('cache-control')).toBe('no-store');
        }
        const bare = await get(`/content/${a.token}`);
        expect(bare.status).toBe(404);
      });
    });

    describe('over HTTP', () => {
      let server: Server;
      beforeAll(async () => {
        server = createServer(getRequestListener(app.fetch));
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      });
      afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

      it('refuses dot segments sent raw over the wire', async () => {
        const intoB = `tenants/${bT.id}/courses/${bT.course}/1/glossary.pdf`;
        for (const path of [
          `../../../../${intoB}`,
          `css/../../../../../${intoB}`,
          `%2e%2e/%2e%2e/%2e%2e/%2e%2e/${intoB}`,
          `..\\..\\..\\..\\${intoB}`,
        ]) {
          const { status, raw } = await rawGet(server, `/content/${a.token}/${path}`);
          expect(status, path).toBeGreaterThanOrEqual(400);
          expect(raw.includes('%PDF'), path).toBe(false);
        }
      });

      it('streams a file and a range to a real client', async () => {
        const whole = await rawGet(server, `/content/${a.token}/media/big.bin`);
        expect(whole.status).toBe(200);
        expect(new Uint8Array(whole.raw.subarray(whole.raw.indexOf('\r\n\r\n') + 4))).toEqual(BIG);
        const part = await rawGet(server, `/content/${a.token}/media/big.bin`, 'Range: bytes=99990-\r\n');
        expect(part.status).toBe(206);
        expect(new Uint8Array(part.raw.subarray(part.raw.indexOf('\r\n\r\n') + 4))).toEqual(BIG.slice(99990));
        const head = await rawGet(server, `/content/${a.token}/media/big.bin`, '', 'HEAD');
        expect(head.status).toBe(200);
        const text = head.raw.toString('latin1');
        expect(text).toMatch(/\r\ncontent-length: 100000\r\n/i);
        expect(text.endsWith('\r\n\r\n')).toBe(true);
      });
    });

    it('reported no unexpected error', () => {
      expect(unexpected).toEqual([]);
    });
  });
}

describe('remembered content tokens', () => {
  it('refuse a remembered token once it expires, and never remember a refused one', async () => {
    let clock = new Date('2026-03-01T10:00:00Z');
    const storage = memoryStorage();
    await storage.put('tenants/t1/courses/c1/1/index.html', 'hi', { contentType: 'text/html' });
    const app = new Hono().route('/content', contentRoutes({ storage, secret: SECRET, now: () => clock }));
    app.onError((error) =>
      isHttpProblem(error)
        ? problemResponse(error.code, error.message, '/', error.extensions, error.headers)
        : new Response('unexpected', { status: 500 }),
    );
    const token = await issueContentToken(
      { tenantId: 't1', courseId: 'c1', version: 1, attemptId: 'a1' },
      SECRET,
      60,
      { now: clock },
    );
    const open = async (t: string) => {
      const res = await app.request(`/content/${t}/index.html`);
      return { status: res.status, body: await res.text() };
    };
    expect(await open(token)).toEqual({ status: 200, body: 'hi' });
    clock = new Date(clock.getTime() + 59_000);
    expect(await open(token)).toEqual({ status: 200, body: 'hi' });
    const tampered = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await open(tampered)).status).toBe(403);
    expect((await open(tampered)).status).toBe(403);
    clock = new Date(clock.getTime() + 2_000);
    const expired = await open(token);
    expect(expired.status).toBe(403);
    expect(JSON.parse(expired.body)).toMatchObject({ code: 'CONTENT_TOKEN_EXPIRED' });
  });
});

const dir = mkdtempSync(join(tmpdir(), 'scormflow-content-'));
describeContent('SQLite (file) and disk storage', {
  open: () => openDatabase(`file:${join(dir, 'scormflow.db')}`),
  storage: async () => diskStorage({ dir: join(dir, 'blobs') }),
  async dispose() {
    rmSync(dir, { recursive: true, force: true });
  },
});

const pg = await createTestDatabase('server_content');
describeContent(
  'Postgres and memory storage',
  'skip' in pg
    ? pg
    : {
        open: () => openDatabase(pg.url, { maxConnections: 4 }),
        storage: async () => memoryStorage(),
        dispose: () => pg.drop(),
      },
);
