import { Hono } from 'hono';
import type { LrsPrincipal } from '../src/index.js';
import { lrsApp, memoryLrsStore } from '../src/index.js';
import type { LrsStore } from '../src/store.js';

export const VERSION = '1.0.3';

const CREDENTIALS: Record<string, LrsPrincipal> = {
  'alice:secret': {
    tenantId: 'tenant-a',
    authority: {
      objectType: 'Agent',
      name: 'Tenant A',
      account: { homePage: 'https://lrs.example.com', name: 'a' },
    },
  },
  'bob:secret': {
    tenantId: 'tenant-b',
    authority: {
      objectType: 'Agent',
      name: 'Tenant B',
      account: { homePage: 'https://lrs.example.com', name: 'b' },
    },
  },
  'reader:secret': {
    tenantId: 'tenant-a',
    authority: { objectType: 'Agent', account: { homePage: 'https://lrs.example.com', name: 'reader' } },
    readOnly: true,
  },
};

export const basic = (user: string): string => `Basic ${btoa(`${user}:secret`)}`;

/** Basic authentication against a fixed credential table. */
export async function authenticate(request: Request): Promise<LrsPrincipal | null> {
  const header = request.headers.get('authorization');
  if (!header?.startsWith('Basic ')) return null;
  return CREDENTIALS[atob(header.slice(6))] ?? null;
}

export interface TestLrs {
  store: LrsStore;
  app: Hono;
  /** The clock: it advances one millisecond after every call. */
  clock: { ms: number };
  call: (
    method: string,
    path: string,
    options?: {
      query?: Record<string, string>;
      json?: unknown;
      body?: string | Uint8Array<ArrayBuffer>;
      headers?: Record<string, string>;
      user?: string | null;
      version?: string | null;
    },
  ) => Promise<Response>;
}

/** An LRS on a memory store mounted at /xapi inside a parent Hono app. */
export function makeLrs(
  options: { maxBodyBytes?: number; maxStatementsPerPage?: number; verifyAttachmentContent?: boolean } = {},
): TestLrs {
  const store = memoryLrsStore();
  const clock = { ms: Date.UTC(2026, 0, 1) };
  const app = new Hono();
  app.route(
    '/xapi',
    lrsApp({
      store,
      authenticate,
      now: () => new Date(clock.ms),
      ...options,
    }),
  );
  return {
    store,
    app,
    clock,
    call: async (method, path, o = {}) => {
      const url = new URL(`http://lrs.test/xapi${path}`);
      for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
      const headers: Record<string, string> = {};
      if (o.user !== null) headers.Authorization = basic(o.user ?? 'alice');
      if (o.version !== null) headers['X-Experience-API-Version'] = o.version ?? VERSION;
      let body = o.body;
      if (o.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(o.json);
      }
      Object.assign(headers, o.headers ?? {});
      if (method === 'GET' || method === 'HEAD') body = undefined;
      const response = await app.request(url.toString(), {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      clock.ms++;
      return response;
    },
  };
}

let counter = 0;
/** A fresh lower-case UUID. */
export const uuid = (): string => crypto.randomUUID();

/** A minimal valid statement. */
export function statement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    actor: { objectType: 'Agent', name: 'Learner', mbox: 'mailto:learner@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
    object: {
      objectType: 'Activity',
      id: `http://example.com/activities/${counter}`,
      definition: { name: { 'en-US': 'An activity' } },
    },
    ...overrides,
  };
}

export const agentParam = (mbox: string): string => JSON.stringify({ objectType: 'Agent', mbox });
