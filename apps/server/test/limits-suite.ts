import { type Database, migrate } from '@scormflow/db';
import type { BlobStorage } from '@scormflow/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootstrap,
  createApp,
  memoryRateLimiter,
  type RateLimiter,
  type ScormflowApp,
} from '../src/index.js';
import { call, fixture, problemOf } from './helpers.js';

/** How one database variant of the limits suite is opened; or why it is skipped. */
export type LimitsBackend =
  | { open(): Database; storage(): Promise<BlobStorage>; dispose(): Promise<void> }
  | { skip: string };

const SECRET = 'limits-suite-secret-0123456789abcdef-0123456789';

interface Started {
  attempt: { id: string };
  launchUrl: string;
  runtimeToken: string;
  scos: { identifier: string; launchUrl: string | null }[];
}

/** A bucket of `capacity` tokens that refills at one token every 2 s, on a clock that never moves. */
const frozen = (capacity: number): RateLimiter =>
  memoryRateLimiter({ capacity, refillPerSecond: 0.5, now: () => 1_000 });

/**
 * Per-tenant rate limits of the runtime and content routes, and absolute launch URLs, through
 * `app.request()`, run once per database dialect.
 */
export function describeLimits(label: string, backend: LimitsBackend): void {
  describe.skipIf('skip' in backend)(`runtime limits and launch URLs on ${label}`, () => {
    const b = backend as Exclude<LimitsBackend, { skip: string }>;
    let db: Database;
    let storage: BlobStorage;
    let admin: ScormflowApp;
    let rootKey: string;
    const tenants: { key: string; courseId: string }[] = [];

    const open = (options: Partial<Parameters<typeof createApp>[0]> = {}) =>
      createApp({
        db,
        storage,
        jwtSecret: SECRET,
        rateLimiter: null,
        runtimeRateLimiter: null,
        contentRateLimiter: null,
        onUnexpectedError: () => {},
        ...options,
      });

    async function start(app: ScormflowApp, tenant: number, learner: string): Promise<Started> {
      const t = tenants[tenant]!;
      const res = await call(app, '/api/v1/attempts/start', {
        method: 'POST',
        key: t.key,
        json: { courseId: t.courseId, learner: { id: learner } },
      });
      expect(res.status).toBe(201);
      return (await res.json()) as Started;
    }

    const getValue = (app: ScormflowApp, s: Started, token = s.runtimeToken) =>
      call(app, `/api/v1/runtime/${s.attempt.id}/value?element=cmi.core.lesson_status`, {
        headers: { authorization: `Bearer ${token}` },
      });

    beforeAll(async () => {
      db = b.open();
      await migrate(db);
      const boot = await bootstrap(db);
      if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
      rootKey = boot.secret;
      storage = await b.storage();
      admin = open();
      const zip = new Uint8Array(await fixture('e2e/scorm12-multi.zip'));
      for (const name of ['limits A', 'limits B']) {
        const res = await call(admin, '/api/v1/admin/tenants', {
          method: 'POST',
          key: rootKey,
          json: { name },
        });
        expect(res.status).toBe(201);
        const key = ((await res.json()) as { apiKey: { secret: string } }).apiKey.secret;
        const up = await call(admin, '/api/v1/courses', {
          method: 'POST',
          key,
          body: zip,
          headers: { 'content-type': 'application/zip' },
        });
        expect(up.status).toBe(201);
        tenants.push({ key, courseId: ((await up.json()) as { id: string }).id });
      }
    });
    afterAll(async () => {
      await storage?.close?.();
      await db?.close();
      await b.dispose();
    });

    describe('runtime rate limit', () => {
      it("limits runtime calls by the token's tenant and answers 429 problem+json with Retry-After", async () => {
        const app = open({ runtimeRateLimiter: frozen(2) });
        const a1 = await start(app, 0, 'rl-a1');
        const a2 = await start(app, 0, 'rl-a2');
        const b1 = await start(app, 1, 'rl-b1');
        expect(
          (
            await call(app, `/api/v1/runtime/${a1.attempt.id}/initialize`, {
              method: 'POST',
              headers: { authorization: `Bearer ${a1.runtimeToken}` },
              json: {},
            })
          ).status,
        ).toBe(200);
        const second = await getValue(app, a1);
        expect(second.status).toBe(200);
        expect(second.headers.get('ratelimit-limit')).toBe('2');
        expect(second.headers.get('ratelimit-remaining')).toBe('0');
        // Another learner of the same tenant shares the tenant's bucket.
        const third = await getValue(app, a2);
        expect(third.status).toBe(429);
        expect(third.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(third.headers.get('retry-after')).toBe('2');
        const body = await problemOf(third);
        expect(body.code).toBe('RATE_LIMITED');
        expect(body).toMatchObject({ status: 429, retryAfterSeconds: 2 });
        // Other tenants and the API-key routes of the same tenant are not affected.
        expect((await getValue(app, b1)).status).toBe(200);
        expect((await call(app, '/api/v1/courses', { key: tenants[0]!.key })).status).toBe(200);
      });

      it('checks the token before the limit: a bad token is a 401 and takes nothing', async () => {
        const limiter = frozen(1);
        const app = open({ runtimeRateLimiter: limiter });
        const s = await start(app, 0, 'rl-bad');
        const forged = `${s.runtimeToken.slice(0, -4)}AAAA`;
        for (let i = 0; i < 3; i++) expect((await getValue(app, s, forged)).status).toBe(401);
        expect((await getValue(app, s)).status).toBe(200);
        expect((await getValue(app, s)).status).toBe(429);
      });

      it('keeps the API-key limit off the runtime routes', async () => {
        const app = open({ rateLimiter: frozen(1) });
        const s = await start(app, 0, 'rl-api');
        expect((await call(app, '/api/v1/courses', { key: tenants[0]!.key })).status).toBe(429);
        for (let i = 0; i < 5; i++) expect((await getValue(app, s)).status).toBe(200);
      });

      it('does not throttle a tenant with thousands of learners at the default runtime limit', async () => {
        // The default limiter in real time: 1,200 learners (twice the API-key default) calling at once.
        const app = open({ runtimeRateLimiter: undefined });
        const s = await start(app, 1, 'rl-default');
        const statuses = new Set<number>();
        for (let i = 0; i < 1_200; i += 100) {
          const batch = await Promise.all(Array.from({ length: 100 }, () => getValue(app, s)));
          for (const r of batch) statuses.add(r.status);
        }
        expect([...statuses]).toEqual([200]);
      });
    });

    describe('content rate limit', () => {
      it("limits content by the content token's tenant", async () => {
        const app = open({ contentRateLimiter: frozen(2) });
        const a = await start(app, 0, 'cl-a');
        const bT = await start(app, 1, 'cl-b');
        const aUrl = a.scos[0]!.launchUrl!;
        const first = await call(app, aUrl);
        expect(first.status).toBe(200);
        expect(first.headers.get('ratelimit-remaining')).toBe('1');
        expect((await call(app, a.scos[1]!.launchUrl!)).status).toBe(200);
        const third = await call(app, aUrl);
        expect(third.status).toBe(429);
        expect(third.headers.get('retry-after')).toBe('2');
        expect((await problemOf(third)).code).toBe('RATE_LIMITED');
        expect((await call(app, bT.scos[0]!.launchUrl!)).status).toBe(200);
      });

      it('leaves a token that does not verify to the content route, without taking from any bucket', async () => {
        const app = open({ contentRateLimiter: frozen(1) });
        const a = await start(app, 0, 'cl-bad');
        const url = a.scos[0]!.launchUrl!;
        const token = url.split('/')[2]!;
        const forged = url.replace(token, `${token.slice(0, -4)}AAAA`);
        for (let i = 0; i < 3; i++) expect([401, 403, 404]).toContain((await call(app, forged)).status);
        expect((await call(app, url)).status).toBe(200);
        expect((await call(app, url)).status).toBe(429);
      });
    });

    describe('launch URLs', () => {
      it('are relative without a base URL', async () => {
        const s = await start(open(), 0, 'url-relative');
        expect(s.launchUrl.startsWith(`/play/${s.attempt.id}?token=`)).toBe(true);
        expect(s.scos[0]!.launchUrl).toMatch(/^\/content\/[\w-]+\.[\w-]+\.[\w-]+\/lesson1\/index\.html$/);
      });

      it('are absolute under the base URL, path prefix included, and the content URL answers', async () => {
        const app = open({ apiBaseUrl: 'https://learn.example.com/lms' });
        const s = await start(app, 1, 'url-absolute');
        expect(s.launchUrl).toBe(
          `https://learn.example.com/lms/play/${s.attempt.id}?token=${encodeURIComponent(s.runtimeToken)}`,
        );
        const content = s.scos.map((x) => x.launchUrl!);
        for (const u of content) {
          expect(u).toMatch(
            /^https:\/\/learn\.example\.com\/lms\/content\/[\w-]+\.[\w-]+\.[\w-]+\/\w+\/index\.html$/,
          );
        }
        // Behind a proxy that strips the prefix, the rest of the URL is the engine's own route.
        const page = await call(app, new URL(content[1]!).pathname.replace(/^\/lms/, ''));
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('Final Quiz');
      });
    });
  });
}
