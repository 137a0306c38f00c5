import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { lrsStore } from '@scormflow/db';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltApp, buildApp, loadEnv } from '../src/index.js';
import { fixture, multipart } from './helpers.js';

let dir: string;
let built: BuiltApp;
let server: Server;
let base: string;
let key: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scormflow-embed-'));
  built = await buildApp(
    loadEnv({
      DATABASE_URL: join(dir, 'lms.db'),
      STORAGE_DRIVER: 'local',
      STORAGE_LOCAL_DIR: join(dir, 'blobs'),
    }),
  );
  key = built.bootstrap.created && built.bootstrap.secret ? built.bootstrap.secret : '';
  // An existing LMS: its own Node server and routes; the engine answers under /scormflow.
  const engine = getRequestListener(new Hono().route('/scormflow', built.app).fetch);
  server = createServer((req, res) => {
    if (req.url?.startsWith('/scormflow/')) {
      engine(req, res);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('the LMS itself');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await built?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the SQLite database buildApp opens', () => {
  it('leaves Consistent-Through to the one process, unless SQLITE_MULTI_PROCESS says several share it', async () => {
    expect(lrsStore(built.db).consistentThrough).toBeUndefined();
    const shared = await buildApp(
      loadEnv({
        DATABASE_URL: join(dir, 'shared.db'),
        STORAGE_DRIVER: 'memory',
        SQLITE_MULTI_PROCESS: 'true',
      }),
    );
    try {
      // Statements are stamped inside their write transaction, and the database answers.
      expect(typeof lrsStore(shared.db).consistentThrough).toBe('function');
    } finally {
      await shared.close();
    }
  });
});

describe('embedding in an existing Node HTTP server', () => {
  it('serves the engine under a path prefix next to the host routes', async () => {
    expect(await (await fetch(`${base}/courses`)).text()).toBe('the LMS itself');
    expect(await (await fetch(`${base}/scormflow/healthz`)).json()).toEqual({ status: 'ok' });
    const denied = await fetch(`${base}/scormflow/api/v1/courses`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('content-type')).toBe('application/problem+json');
  });

  it('takes a streamed multipart upload over real HTTP', async () => {
    const { body, contentType } = multipart(new Uint8Array(await fixture('scorm2004-multi.zip')));
    const res = await fetch(`${base}/scormflow/api/v1/courses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
      body,
    });
    expect(res.status).toBe(201);
    const course = (await res.json()) as { id: string; scoCount: number };
    expect(course.scoCount).toBe(2);
    const list = (await (
      await fetch(`${base}/scormflow/api/v1/courses`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { items: { id: string }[] };
    expect(list.items.map((c) => c.id)).toEqual([course.id]);
  });
});
