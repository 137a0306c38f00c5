import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { migrate, openDatabase } from '@scormflow/db';
import { diskStorage } from '@scormflow/storage-local';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { bootstrap, createApp } from '../src/index.js';

/** Debian's Chromium and the flags these machines need. */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** The JWT secret of the harness's engine. */
export const PLAYER_HARNESS_SECRET = 'player-browser-secret-0123456789abcdef-0123456789';

export const PLAYER_FIXTURES = join(import.meta.dirname, 'fixtures', 'player');

export interface StartedAttempt {
  attempt: { id: string };
  launchUrl: string;
  runtimeToken: string;
}

export interface AttemptDetail {
  status: string;
  currentItem: string | null;
  scos: {
    identifier: string;
    launched: boolean;
    running: boolean;
    completionStatus: string;
    exit: string | null;
    location: string | null;
  }[];
}

/** An engine on a loopback port (SQLite and disk in `dir`) and a Chromium with one context. */
export interface PlayerHarness {
  url: string;
  browser: Browser;
  context: BrowserContext;
  upload(fixture: string): Promise<string>;
  start(courseId: string, learner: string, extra?: Record<string, unknown>): Promise<StartedAttempt>;
  attempt(id: string): Promise<AttemptDetail>;
  close(): Promise<void>;
}

/**
 * Starts the harness. With `crossOrigin` the player is at `http://player.test:<port>` and the
 * course files at `http://content.test:<port>` (the same server; Chromium maps `*.test` to the
 * loopback), so the content runs in frame mode.
 */
export async function startPlayerHarness(
  dir: string,
  options: { viewport?: { width: number; height: number }; crossOrigin?: boolean } = {},
): Promise<PlayerHarness> {
  const viewport = options.viewport ?? { width: 1280, height: 800 };
  const db = openDatabase(`file:${join(dir, 'scormflow.db')}`);
  await migrate(db);
  const boot = await bootstrap(db);
  if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
  const key = boot.secret;
  let listener: ReturnType<typeof getRequestListener> | null = null;
  const server = createServer((req, res) => listener?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = options.crossOrigin ? `http://player.test:${port}` : `http://127.0.0.1:${port}`;
  const app = createApp({
    db,
    storage: diskStorage({ dir: join(dir, 'blobs') }),
    rateLimiter: null,
    jwtSecret: PLAYER_HARNESS_SECRET,
    ...(options.crossOrigin ? { apiBaseUrl: url, contentBaseUrl: `http://content.test:${port}` } : {}),
  });
  listener = getRequestListener(app.fetch);
  const apiUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    ...CHROMIUM,
    args: [...CHROMIUM.args, '--host-resolver-rules=MAP *.test 127.0.0.1'],
  });
  const context = await browser.newContext({ viewport });

  async function api(path: string, init: { method?: string; json?: unknown; body?: Uint8Array } = {}) {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    let body: string | Uint8Array | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.body) {
      headers['content-type'] = 'application/zip';
      body = init.body;
    }
    const res = await fetch(`${apiUrl}${path}`, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  }

  return {
    url,
    browser,
    context,
    async upload(fixture) {
      const body = new Uint8Array(await readFile(join(PLAYER_FIXTURES, fixture)));
      return ((await api('/api/v1/courses', { body })) as { id: string }).id;
    },
    async start(courseId, learner, extra = {}) {
      return (await api('/api/v1/attempts/start', {
        json: { courseId, learner: { id: learner, name: 'Grace Hopper' }, ...extra },
      })) as StartedAttempt;
    },
    async attempt(id) {
      return (await api(`/api/v1/attempts/${id}`)) as AttemptDetail;
    },
    async close() {
      listener = null;
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await db.close();
    },
  };
}
