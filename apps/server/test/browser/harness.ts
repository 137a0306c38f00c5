import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { migrate, openDatabase } from '@scormflow/db';
import { writeZip } from '@scormflow/manifest/node';
import { diskStorage } from '@scormflow/storage-local';
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from 'playwright-core';
import type { z } from 'zod';
import { type CreateAppOptions, createApp } from '../../src/app.js';
import { bootstrap } from '../../src/bootstrap.js';
import type { AttemptDetailSchema, StartedAttemptSchema } from '../../src/runtime/schemas.js';

export const BROWSER_FIXTURES = join(import.meta.dirname, 'fixtures');

/** Debian's Chromium with the flags these machines need; `*.test` resolves to the loopback. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP *.test 127.0.0.1',
];

/** How long `expect.poll` waits for a condition of the page or the server (a loaded 2-core machine). */
export const POLL = { timeout: 15_000, interval: 50 } as const;

/** How long a Playwright action or wait may take before the test fails with its message. */
export const ACTION_TIMEOUT = 15_000;

/** Time limit of one learner story (several page loads, a browser restart): above the action timeout. */
export const STORY_TIMEOUT = 120_000;

export type AttemptDetail = z.infer<typeof AttemptDetailSchema>;
export type StartedAttempt = z.infer<typeof StartedAttemptSchema>;

export interface EngineOptions {
  /**
   * Serve the player from `http://player.test:<port>` and course files from
   * `http://content.test:<port>` (the same server), so content is cross-origin to the player.
   */
  crossOrigin?: boolean;
}

/** A runtime request the engine holds unanswered (see `Engine.holdSync`). */
export interface HeldRequest {
  /** `/api/v1/runtime/<attempt>/commit` or `.../terminate`. */
  path: string;
  /** The JSON body, once fully received. */
  body: string;
  socket: Socket;
}

/** One engine over real HTTP: SQLite in a temp file, course files on the disk. */
export interface Engine {
  /** Where the player and the API are reached (`http://127.0.0.1:<port>` or `http://player.test:<port>`). */
  url: string;
  /** Origin of content URLs. */
  contentOrigin: string;
  /** The admin API key of the default tenant. */
  key: string;
  /** Signs runtime and content tokens. */
  jwtSecret: string;
  /**
   * The runtime requests the server answered, in the order they finished: `POST /commit 200`,
   * `POST /terminate 409`...
   */
  requests: string[];
  /** The same requests with the browser's `Origin` header: `OPTIONS /terminate 204 http://content.test:...`. */
  origins: string[];
  /**
   * From now on, commit and terminate requests reach the server but are never answered nor
   * processed (a request in flight, from the browser's side); `held` lists them, bodies included.
   */
  holdSync(): void;
  /** Stops holding; the held requests' connections are cut (the server never processes them). */
  dropHeld(): void;
  /** Commit and terminate requests being held. */
  held: readonly HeldRequest[];
  /** A JSON (or text) request with the API key. */
  api(
    path: string,
    init?: { method?: string; json?: unknown; body?: Uint8Array; type?: string },
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  /** Zips `fixtures/<name>` and uploads it; the course id. */
  upload(name: string): Promise<string>;
  /** `POST /api/v1/attempts/start` for a learner. */
  start(courseId: string, learnerId: string, extra?: Record<string, unknown>): Promise<StartedAttempt>;
  /** `GET /api/v1/attempts/:id`. */
  attempt(id: string): Promise<AttemptDetail>;
  close(): Promise<void>;
}

/** Zips a fixture folder the way an authoring tool's publish step would. */
export async function zipFixture(name: string): Promise<Uint8Array> {
  const dir = join(BROWSER_FIXTURES, name);
  const names = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
  const tmp = await mkdtemp(join(tmpdir(), 'scormflow-zip-'));
  try {
    const out = join(tmp, `${name}.zip`);
    await writeZip(
      out,
      (async function* () {
        for (const path of names) yield { path, data: new Uint8Array(await readFile(join(dir, path))) };
      })(),
    );
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Starts an engine on a free port. The port is known before the app is made, so launch and content
 * URLs are absolute, as in a deployment with `API_BASE_URL` (and `CONTENT_BASE_URL` when
 * `crossOrigin`).
 */
export async function startEngine(options: EngineOptions = {}): Promise<Engine> {
  const dir = await mkdtemp(join(tmpdir(), 'scormflow-browser-'));
  let handler: ((req: never, res: never) => void) | null = null;
  const requests: string[] = [];
  const origins: string[] = [];
  let holding = false;
  const held: HeldRequest[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (holding && /^\/api\/v1\/runtime\/[^/]+\/(commit|terminate)$/.test(path)) {
      // on the wire and never answered: the server does not see it until the browser's socket dies
      const chunks: Buffer[] = [];
      const entry: HeldRequest = { path, body: '', socket: req.socket };
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        entry.body = Buffer.concat(chunks).toString('utf8');
        held.push(entry);
      });
      return;
    }
    if (path.startsWith('/api/v1/runtime/')) {
      const name = `${req.method} ${path.replace(/^\/api\/v1\/runtime\/[^/]+/, '')}`;
      res.on('finish', () => {
        requests.push(`${name} ${res.statusCode}`);
        origins.push(`${name} ${res.statusCode} ${req.headers.origin ?? '-'}`);
      });
    }
    if (handler) handler(req as never, res as never);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = options.crossOrigin ? `http://player.test:${port}` : `http://127.0.0.1:${port}`;
  const contentOrigin = options.crossOrigin ? `http://content.test:${port}` : url;

  const db = openDatabase(join(dir, 'scormflow.db'));
  await migrate(db);
  const boot = await bootstrap(db);
  if (!boot.created || !boot.secret) throw new Error('expected a new database');
  const key = boot.secret;
  const storage = diskStorage({ dir: join(dir, 'blobs') });
  const jwtSecret = randomBytes(32).toString('base64url');
  const appOptions: CreateAppOptions & { contentBaseUrl?: string } = {
    db,
    storage,
    jwtSecret,
    apiBaseUrl: url,
    rateLimiter: null,
    runtimeRateLimiter: null,
    contentRateLimiter: null,
    ...(options.crossOrigin ? { contentBaseUrl: contentOrigin } : {}),
  };
  const app = createApp(appOptions);
  handler = getRequestListener(app.fetch) as unknown as typeof handler;

  const base = `http://127.0.0.1:${port}`;
  const api: Engine['api'] = async (path, init = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    let body: string | Uint8Array | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.body) {
      headers['content-type'] = init.type ?? 'application/octet-stream';
      body = init.body;
    }
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      body: type.includes('json') ? JSON.parse(text) : text,
      headers: res.headers,
    };
  };

  return {
    url,
    contentOrigin,
    key,
    jwtSecret,
    requests,
    origins,
    held,
    holdSync() {
      holding = true;
    },
    dropHeld() {
      holding = false;
      for (const h of held.splice(0)) h.socket.destroy();
    },
    api,
    async upload(name) {
      const res = await api('/api/v1/courses', { body: await zipFixture(name), type: 'application/zip' });
      if (res.status !== 201) throw new Error(`upload of ${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body as { id: string }).id;
    },
    async start(courseId, learnerId, extra = {}) {
      const res = await api('/api/v1/attempts/start', {
        json: { courseId, learner: { id: learnerId, name: 'Sam Learner' }, ...extra },
      });
      if (res.status !== 200 && res.status !== 201) {
        throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body as StartedAttempt;
    },
    async attempt(id) {
      const res = await api(`/api/v1/attempts/${id}`);
      if (res.status !== 200) throw new Error(`attempt ${id}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as AttemptDetail;
    },
    async close() {
      for (const h of held.splice(0)) h.socket.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await storage.close?.();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One Chromium for a test file. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** A fresh context (own cookies and localStorage) with the action timeout set. */
export async function newContext(
  browser: Browser,
  options: { bypassCSP?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(ACTION_TIMEOUT);
  return context;
}

/**
 * A browser with a profile on disk: closing it and launching it again on the same folder keeps
 * localStorage, as a learner's browser does between two visits.
 */
export async function launchProfile(userDataDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  return context;
}

/** The SCO frame of the player page (`#sf-frame`), once it has loaded a document of the course. */
export async function scoFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#sf-frame', { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('the SCO iframe has no frame');
  return frame;
}

/** Waits until the player says it runs a SCO (`body[data-state="running"]`). */
export async function waitRunning(page: Page): Promise<void> {
  await page.waitForSelector('body[data-state="running"]', { state: 'attached' });
}

/** `data-status` of each TOC button, by item identifier. */
export function tocStatuses(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#sf-toc button[data-item]', (buttons) =>
    Object.fromEntries(
      buttons.map((b) => [b.getAttribute('data-item') ?? '', b.getAttribute('data-status') ?? '']),
    ),
  );
}

/**
 * A queued diff replayed after it already arrived (its answer was lost with the page that sent it)
 * is refused with a 409 whose `currentSeq` is at or past the diff's `seq`: the server holds it.
 */
function alreadyHeld(requestBody: string | null, answer: string): boolean {
  try {
    const sent = JSON.parse(requestBody ?? '') as { diff?: { seq?: unknown } };
    const got = JSON.parse(answer) as { currentSeq?: unknown };
    return (
      typeof sent.diff?.seq === 'number' &&
      typeof got.currentSeq === 'number' &&
      got.currentSeq >= sent.diff.seq
    );
  } catch {
    return false;
  }
}

/** Collects the page's console errors, uncaught exceptions and failed HTTP answers, for failure messages. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', async (r) => {
    // the browser's own favicon probe is not the page's request
    if (r.status() < 400 || r.url().endsWith('/favicon.ico')) return;
    const body = await r.text().catch(() => '');
    if (r.status() === 409 && alreadyHeld(r.request().postData(), body)) return;
    errors.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()} ${body.slice(0, 300)}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${m.text()}`);
    }
  });
  return errors;
}
