import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { runInNewContext } from 'node:vm';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lrsApp, memoryLrsStore } from '../src/index.js';
import { authenticate } from './helpers.js';

/**
 * tincanjs's browser build, run in a context that looks like a page of the LRS's origin, with
 * xhr2 (tincanjs's own Node XMLHttpRequest) as the browser's XMLHttpRequest. The browser build
 * switches to the alternate request syntax (`POST ?method=...` with a form body) when a request
 * URL reaches 2048 characters, which is how content in a browser reaches this LRS then.
 */
interface TinCanLrs {
  saveState(key: string, value: unknown, cfg: Record<string, unknown>): void;
  retrieveState(key: string, cfg: Record<string, unknown>): void;
  queryStatements(cfg: Record<string, unknown>): void;
  saveStatement(statement: unknown, cfg: Record<string, unknown>): void;
}
interface TinCanBrowser {
  LRS: new (cfg: Record<string, unknown>) => TinCanLrs;
  Agent: new (cfg: Record<string, unknown>) => unknown;
  Activity: new (cfg: Record<string, unknown>) => unknown;
  Statement: new (cfg: Record<string, unknown>) => unknown;
}

const require = createRequire(import.meta.url);
const tincanPath = require.resolve('tincanjs/build/tincan.js');
const XMLHttpRequest = createRequire(tincanPath)('xhr2') as unknown;

function loadBrowserTinCan(): TinCanBrowser {
  const page = {
    window: { JSON },
    self: {} as Record<string, unknown>,
    // Content served from the LRS's origin (as the player page serves it).
    location: { protocol: 'http:', port: new URL(endpoint).port, hostname: '127.0.0.1' },
    XMLHttpRequest,
    JSON,
    console: { log() {}, warn() {}, error() {}, info() {} },
    setTimeout,
    clearTimeout,
    encodeURIComponent,
    decodeURIComponent,
  };
  runInNewContext(`${readFileSync(tincanPath, 'utf8')}\nthis.TinCan = TinCan;`, page);
  return (page as unknown as { TinCan: TinCanBrowser }).TinCan;
}

let server: ReturnType<typeof serve>;
let endpoint = '';
const seen: string[] = [];

beforeAll(async () => {
  const app = new Hono();
  app.use('*', async (c, next) => {
    seen.push(`${c.req.method} ${new URL(c.req.url).search}`);
    await next();
  });
  app.route('/xapi', lrsApp({ store: memoryLrsStore(), authenticate }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('tincanjs browser build: alternate request syntax (Communication 1.3, XAPI-00336)', () => {
  it('saves and reads a state document whose request URL is too long for a GET line', async () => {
    const TinCan = loadBrowserTinCan();
    const lrs = new TinCan.LRS({
      endpoint,
      username: 'alice',
      password: 'secret',
      version: '1.0.2',
      allowFail: false,
    });
    const agent = new TinCan.Agent({ mbox: 'mailto:browser@example.com' });
    const activity = new TinCan.Activity({ id: `http://example.com/activities/${'long-'.repeat(450)}` });
    seen.length = 0;
    await new Promise<void>((resolve, reject) =>
      lrs.saveState(
        'bookmark',
        { page: 12 },
        {
          agent,
          activity,
          contentType: 'application/json',
          callback: (error: unknown) =>
            error ? reject(new Error(`saveState failed: ${String(error)}`)) : resolve(),
        },
      ),
    );
    const state = await new Promise<{ contents: unknown }>((resolve, reject) =>
      lrs.retrieveState('bookmark', {
        agent,
        activity,
        callback: (error: unknown, value: { contents: unknown }) =>
          error ? reject(new Error(`retrieveState failed: ${String(error)}`)) : resolve(value),
      }),
    );
    expect(state.contents).toEqual({ page: 12 });
    // Both requests went out as form POSTs with the method in the query string.
    expect(seen).toEqual(['POST ?method=PUT', 'POST ?method=GET']);
  });

  it('queries statements through a form POST when the filter makes the URL long', async () => {
    const TinCan = loadBrowserTinCan();
    const lrs = new TinCan.LRS({
      endpoint,
      username: 'alice',
      password: 'secret',
      version: '1.0.2',
      allowFail: false,
    });
    const activityId = `http://example.com/activities/${'q'.repeat(2100)}`;
    const statement = new TinCan.Statement({
      actor: { mbox: 'mailto:browser@example.com' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
      target: { id: activityId },
    });
    await new Promise<void>((resolve, reject) =>
      lrs.saveStatement(statement, {
        callback: (error: unknown) =>
          error ? reject(new Error(`saveStatement failed: ${String(error)}`)) : resolve(),
      }),
    );
    seen.length = 0;
    const result = await new Promise<{ statements: { target: { id: string } }[] }>((resolve, reject) =>
      lrs.queryStatements({
        params: { activity: new TinCan.Activity({ id: activityId }) },
        callback: (error: unknown, value: { statements: { target: { id: string } }[] }) =>
          error ? reject(new Error(`queryStatements failed: ${String(error)}`)) : resolve(value),
      }),
    );
    expect(result.statements).toHaveLength(1);
    expect(result.statements[0]!.target.id).toBe(activityId);
    expect(seen).toEqual(['POST ?method=GET']);
  });
});
