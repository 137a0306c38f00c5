import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Database, migrate } from '@scormflow/db';
import { openZip } from '@scormflow/manifest/node';
import { runtimeBundle } from '@scormflow/runtime-bridge/bundle';
import type { BlobStorage } from '@scormflow/storage';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, createApp, DEFAULT_TENANT_ID, type ScormflowApp } from '../src/index.js';
import type { Navigation } from '../src/player/navigation.js';
import { issueRuntimeToken } from '../src/runtime/runtime-token.js';
import { call, FIXTURES, problemOf } from './helpers.js';

/** How one database variant of the player suite is opened; or why it is skipped. */
export type PlayerBackend =
  | { open(): Database; storage(): Promise<BlobStorage>; dispose(): Promise<void> }
  | { skip: string };

const SECRET = 'player-test-secret-0123456789abcdef-0123456789';
const PLAYER = join(FIXTURES, 'player');

interface Started {
  attempt: { id: string };
  launchUrl: string;
  runtimeToken: string;
  expiresAt: string;
  scos: { identifier: string; launchUrl: string | null }[];
}

let key: string;

async function upload(target: ScormflowApp, file: string): Promise<string> {
  const res = await call(target, '/api/v1/courses', {
    method: 'POST',
    key,
    body: new Uint8Array(await readFile(file)),
    headers: { 'content-type': 'application/zip' },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function start(
  target: ScormflowApp,
  courseId: string,
  learner: string,
  extra: Record<string, unknown> = {},
): Promise<Started> {
  const res = await call(target, '/api/v1/attempts/start', {
    method: 'POST',
    key,
    json: { courseId, learner: { id: learner }, ...extra },
  });
  expect([200, 201]).toContain(res.status);
  return (await res.json()) as Started;
}

function rt(target: ScormflowApp, s: Started, path: string, init: { json?: unknown; token?: string } = {}) {
  return call(target, `/api/v1/runtime/${s.attempt.id}/${path}`, {
    method: init.json === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${init.token ?? s.runtimeToken}` },
    ...(init.json === undefined ? {} : { json: init.json }),
  });
}

async function navigation(target: ScormflowApp, s: Started, token?: string): Promise<Navigation> {
  const res = await rt(target, s, 'navigation', token === undefined ? {} : { token });
  expect(res.status).toBe(200);
  return (await res.json()) as Navigation;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

/** The JSON config the player page embeds. */
function configOf(html: string) {
  const m = /<script type="application\/json" id="sf-config" nonce="([^"]+)">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return {
    nonce: m![1]!,
    config: JSON.parse(m![2]!) as {
      navigation: Navigation;
      apiBase: string;
      runtimeToken: string;
      contentOrigin: string | null;
    },
  };
}

async function zipFile(name: string, path: string): Promise<Uint8Array> {
  const opened = await openZip(join(PLAYER, name));
  if (!opened.ok) throw new Error('fixture zip did not open');
  try {
    return new Uint8Array(await opened.source.read(path));
  } finally {
    await opened.source.close?.();
  }
}

/**
 * The player routes through `app.request()`: `/runtime.js`, the navigation, the player page and
 * its refusals, `returnUrl`, frame-mode injection. Run once per database dialect.
 */
export function describePlayer(label: string, backend: PlayerBackend): void {
  describe.skipIf('skip' in backend)(`player routes on ${label}`, () => {
    const b = backend as Exclude<PlayerBackend, { skip: string }>;
    let db: Database;
    let storage: BlobStorage;
    let app: ScormflowApp;
    const courses: Record<string, string> = {};
    let hash: string;

    beforeAll(async () => {
      db = b.open();
      await migrate(db);
      storage = await b.storage();
      const boot = await bootstrap(db);
      if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
      key = boot.secret;
      app = createApp({
        db,
        storage,
        jwtSecret: SECRET,
        rateLimiter: null,
      });
      courses.multi12 = await upload(app, join(PLAYER, 'player-12-multi.zip'));
      courses.linear = await upload(app, join(PLAYER, 'player-2004-linear.zip'));
      courses.clusters = await upload(app, join(PLAYER, 'player-2004-clusters.zip'));
      courses.single = await upload(app, join(FIXTURES, 'scorm12-single.zip'));
      hash = (await runtimeBundle()).hash;
    }, 120_000);

    afterAll(async () => {
      await db?.close();
      await b.dispose();
    });

    describe('GET /runtime.js', () => {
      it('serves the bridge bundle with its hash as ETag, a short cache, CORS and 304 on If-None-Match', async () => {
        const res = await call(app, '/runtime.js');
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
        expect(res.headers.get('etag')).toBe(`"${hash}"`);
        expect(res.headers.get('cache-control')).toBe('public, max-age=300');
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        const code = await res.text();
        expect(code).toBe((await runtimeBundle()).code);
        expect(code).toContain('ScormFlow');

        const again = await call(app, '/runtime.js', { headers: { 'if-none-match': `"${hash}"` } });
        expect(again.status).toBe(304);
        expect(await again.text()).toBe('');
        expect(again.headers.get('etag')).toBe(`"${hash}"`);
        const other = await call(app, '/runtime.js', { headers: { 'if-none-match': '"0123456789ab"' } });
        expect(other.status).toBe(200);
      });

      it('is immutable for a year under the URL with its own hash, and only that one', async () => {
        const pinned = await call(app, `/runtime.js?v=${hash}`);
        expect(pinned.status).toBe(200);
        expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        const stale = await call(app, '/runtime.js?v=000000000000');
        expect(stale.headers.get('cache-control')).toBe('public, max-age=300');
      });
    });

    describe('returnUrl', () => {
      it('refuses anything but an absolute http(s) URL without credentials', async () => {
        for (const returnUrl of [
          'javascript:alert(1)',
          '/relative/path',
          'ftp://files.example.com/x',
          'https://user:pw@lms.example.com/',
          'data:text/html,hi',
          42,
        ]) {
          const res = await call(app, '/api/v1/attempts/start', {
            method: 'POST',
            key,
            json: { courseId: courses.single, learner: { id: 'ret-bad' }, returnUrl },
          });
          expect(res.status, String(returnUrl)).toBe(400);
          const body = await problemOf(res);
          expect(JSON.stringify(body.errors)).toContain('returnUrl');
        }
      });

      it('is signed into the runtime token, kept on renewal and answered by the navigation', async () => {
        const s = await start(app, courses.single!, 'ret-good', {
          returnUrl: 'https://lms.example.com/done?c=1',
        });
        expect(claimsOf(s.runtimeToken).ret).toBe('https://lms.example.com/done?c=1');
        expect((await navigation(app, s)).returnUrl).toBe('https://lms.example.com/done?c=1');

        const renewed = await rt(app, s, 'token', { json: {} });
        expect(renewed.status).toBe(200);
        const { runtimeToken } = (await renewed.json()) as { runtimeToken: string };
        expect(claimsOf(runtimeToken).ret).toBe('https://lms.example.com/done?c=1');
        expect((await navigation(app, s, runtimeToken)).returnUrl).toBe('https://lms.example.com/done?c=1');

        // A parameter on the launch URL cannot set it.
        const page = await call(
          app,
          `${s.launchUrl}&returnUrl=${encodeURIComponent('https://evil.example/')}`,
        );
        const html = await page.text();
        expect(html).not.toContain('evil.example');
        expect(configOf(html).config.navigation.returnUrl).toBe('https://lms.example.com/done?c=1');
      });

      it('is null without one, also after renewal', async () => {
        const s = await start(app, courses.single!, 'ret-none');
        expect(claimsOf(s.runtimeToken).ret).toBeUndefined();
        const renewed = (await (await rt(app, s, 'token', { json: {} })).json()) as { runtimeToken: string };
        expect((await navigation(app, s, renewed.runtimeToken)).returnUrl).toBeNull();
      });
    });

    describe('GET /api/v1/runtime/{attemptId}/navigation', () => {
      it('answers the organization tree of a multi-SCO 1.2 course with statuses and content URLs', async () => {
        const s = await start(app, courses.multi12!, 'nav-12');
        const before = await navigation(app, s);
        expect(before.course).toMatchObject({ title: 'Workplace Safety', scormVersion: '1.2' });
        expect(before.attempt.status).toBe('active');
        expect(before.currentItem).toBe('intro');
        expect(before.items.map((i) => [i.identifier, i.depth, i.launchable])).toEqual([
          ['m1', 0, false],
          ['intro', 1, true],
          ['hazards', 1, true],
          ['m2', 0, false],
          ['fire', 1, true],
          ['first-aid', 1, true],
          ['quiz', 0, true],
        ]);
        expect(before.items.find((i) => i.identifier === 'm1')?.children).toEqual(['intro', 'hazards']);
        expect(before.items.find((i) => i.identifier === 'm1')?.contentUrl).toBeNull();
        expect(before.items.every((i) => i.controlMode === null)).toBe(true);
        expect(before.items.filter((i) => i.launchable).map((i) => i.progress?.status)).toEqual(
          Array(5).fill('not attempted'),
        );
        expect(before.crossOriginContent).toBe(false);

        // The content URL opens the SCO's file.
        const url = before.items.find((i) => i.identifier === 'hazards')!.contentUrl!;
        expect(url).toMatch(/^\/content\/[^/]+\/hazards\/index\.html$/);
        const file = await call(app, url);
        expect(file.status).toBe(200);
        expect(await file.text()).toContain('Spotting Hazards');

        // Progress of a session shows up per item.
        expect((await rt(app, s, 'initialize', { json: { item: 'hazards' } })).status).toBe(200);
        const commit = await rt(app, s, 'commit', {
          json: {
            item: 'hazards',
            diff: {
              seq: 2,
              ops: [
                ['cmi.core.lesson_status', 'passed'],
                ['cmi.core.score.raw', '90'],
              ],
              terminated: false,
            },
          },
        });
        expect(commit.status).toBe(200);
        const after = await navigation(app, s);
        const hazards = after.items.find((i) => i.identifier === 'hazards')!;
        expect(hazards.progress).toEqual({
          status: 'passed',
          completionStatus: 'completed',
          successStatus: 'passed',
          score: { scaled: 0.9, raw: 90 },
        });
        expect(after.currentItem).toBe('hazards');
        expect(after.items.find((i) => i.identifier === 'intro')!.progress?.status).toBe('not attempted');
      });

      it('gives the control modes a 2004 manifest states', async () => {
        const s = await start(app, courses.linear!, 'nav-2004');
        const nav = await navigation(app, s);
        expect(nav.course.scormVersion).toBe('2004');
        expect(nav.organization.controlMode).toEqual({ choice: false, flow: true });
        expect(nav.items.map((i) => i.identifier)).toEqual(['intro', 'hazards', 'quiz']);
      });

      it('gives control modes per cluster, and hides invisible items from the contents only', async () => {
        const s = await start(app, courses.clusters!, 'nav-clusters');
        const nav = await navigation(app, s);
        expect(nav.organization.controlMode).toEqual({ flow: false });
        const by = Object.fromEntries(nav.items.map((i) => [i.identifier, i]));
        expect(by.basics).toMatchObject({
          launchable: false,
          children: ['intro', 'hazards'],
          controlMode: { flow: true, forwardOnly: true },
        });
        expect(by.intro?.controlMode).toBeNull();
        expect(by.hazards).toMatchObject({
          visible: false,
          launchable: true,
          parentIdentifier: 'basics',
          depth: 1,
        });
        expect(by.hazards?.contentUrl).toMatch(/\/hazards\/index\.html$/);
        const html = await (await call(app, s.launchUrl)).text();
        expect(html).toContain('data-item="intro"');
        expect(html).not.toContain('data-item="hazards"');
        expect(html).toContain('<span class="sf-group">Basics</span>');
      });

      it("refuses a missing, tampered or expired token (401) and another attempt's token (403)", async () => {
        const a = await start(app, courses.single!, 'nav-auth-a');
        const b = await start(app, courses.multi12!, 'nav-auth-b');
        const none = await call(app, `/api/v1/runtime/${a.attempt.id}/navigation`);
        expect(none.status).toBe(401);
        expect((await problemOf(none)).code).toBe('RUNTIME_TOKEN_INVALID');
        const tampered = await rt(app, a, 'navigation', { token: `${a.runtimeToken.slice(0, -3)}abc` });
        expect(tampered.status).toBe(401);
        const old = await issueRuntimeToken(
          { tenantId: DEFAULT_TENANT_ID, attemptId: a.attempt.id, learnerId: 'x' },
          SECRET,
          60,
          { now: new Date(Date.now() - 3_600_000) },
        );
        const expired = await rt(app, a, 'navigation', { token: old.token });
        expect(expired.status).toBe(401);
        expect((await problemOf(expired)).code).toBe('RUNTIME_TOKEN_EXPIRED');
        const other = await rt(app, a, 'navigation', { token: b.runtimeToken });
        expect(other.status).toBe(403);
        expect((await problemOf(other)).code).toBe('RUNTIME_TOKEN_FORBIDDEN');
      });
    });

    describe('GET /play/{attemptId}', () => {
      it('renders the player with its config, the TOC and a nonce CSP', async () => {
        const s = await start(app, courses.multi12!, 'play-1');
        const res = await call(app, s.launchUrl);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('cache-control')).toBe('no-store');
        const csp = res.headers.get('content-security-policy')!;
        const html = await res.text();
        const { nonce, config } = configOf(html);
        expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
        expect(csp).toContain(`script-src 'nonce-${nonce}'`);
        expect(csp).toContain(`style-src 'nonce-${nonce}'`);
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain("frame-src 'self'");
        // Every script and style element carries the nonce; nothing is loaded from elsewhere.
        expect(html.match(/<script\b/g)?.length).toBe(
          html.match(/<script nonce="|<script type="application\/json" id="sf-config" nonce="/g)?.length,
        );
        expect(html).toContain(`<script nonce="${nonce}" src="/runtime.js?v=${hash}"></script>`);
        expect(html).toContain(`<style nonce="${nonce}">`);
        expect(html).not.toMatch(/<link\b|https?:\/\/(?!lms)/);
        expect(config.runtimeToken).toBe(s.runtimeToken);
        expect(config.apiBase).toBe('');
        expect(config.navigation.items).toHaveLength(7);
        // The DOM contract
        for (const id of [
          'sf-frame',
          'sf-toc',
          'sf-prev',
          'sf-next',
          'sf-suspend',
          'sf-exit',
          'sf-error',
          'sf-status',
          'sf-end',
        ])
          expect(html).toContain(`id="${id}"`);
        expect(html.match(/<button type="button" class="sf-item" data-item="/g)).toHaveLength(5);
        expect(html).toContain('data-item="first-aid" data-status="not attempted"');
        expect(html).toContain('<nav id="sf-nav" class="sf-nav" aria-label="Course contents">');
        expect(html).toContain('0 of 5 complete');
        expect(html).toContain('<body data-state="loading" class="sf-multi">');
      });

      it('hides the TOC and the navigation of a single-SCO course', async () => {
        const s = await start(app, courses.single!, 'play-single');
        const html = await (await call(app, s.launchUrl)).text();
        expect(html).toContain('aria-label="Course contents" hidden');
        expect(html).toMatch(/<footer class="sf-footer" hidden>/);
        expect(html).toContain('class="sf-single"');
      });

      it('answers a bad, expired or foreign launch token with an HTML page and role="alert"', async () => {
        const s = await start(app, courses.single!, 'play-bad');
        const other = await start(app, courses.multi12!, 'play-bad-other');
        const expired = await issueRuntimeToken(
          { tenantId: DEFAULT_TENANT_ID, attemptId: s.attempt.id, learnerId: 'x' },
          SECRET,
          60,
          { now: new Date(Date.now() - 3_600_000) },
        );
        const cases: [string, number, RegExp][] = [
          [`/play/${s.attempt.id}`, 401, /incomplete/],
          [`/play/${s.attempt.id}?token=not-a-token`, 401, /not valid/],
          [`/play/${s.attempt.id}?token=${s.runtimeToken.slice(0, -3)}abc`, 401, /not valid/],
          [`/play/${s.attempt.id}?token=${expired.token}`, 401, /expired/],
          [`/play/${s.attempt.id}?token=${other.runtimeToken}`, 403, /another attempt/],
        ];
        for (const [path, status, title] of cases) {
          const res = await call(app, path);
          expect(res.status, path).toBe(status);
          expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
          const html = await res.text();
          expect(html).toMatch(/<div id="sf-error" role="alert">/);
          expect(html).toMatch(title);
          expect(html).toContain('learning platform');
          expect(html).toContain('data-state="error"');
          expect(html).not.toContain('sf-config');
        }
      });

      it('says so when the attempt has ended, with the return link', async () => {
        const s = await start(app, courses.single!, 'play-ended', {
          returnUrl: 'https://lms.example.com/back',
        });
        const finished = await call(app, `/api/v1/attempts/${s.attempt.id}/finish`, { method: 'POST', key });
        expect(finished.status).toBe(200);
        const res = await call(app, s.launchUrl);
        expect(res.status).toBe(200);
        const html = await res.text();
        expect(html).toContain('This attempt has ended');
        expect(html).toContain('data-state="ended"');
        expect(html).toContain('href="https://lms.example.com/back"');
        expect(html).not.toContain('sf-config');
      });

      it('answers a 404 page when the course was deleted', async () => {
        const id = await upload(app, join(FIXTURES, 'scorm12-single.zip'));
        const s = await start(app, id, 'play-deleted');
        expect((await call(app, `/api/v1/courses/${id}`, { method: 'DELETE', key })).status).toBe(204);
        const res = await call(app, s.launchUrl);
        expect(res.status).toBe(404);
        const html = await res.text();
        expect(html).toContain('role="alert"');
        expect(html).toContain('no longer available');
      });

      it('uses the path prefix the app is mounted under', async () => {
        const outer = new Hono().route('/lms', app);
        const s = await start(app, courses.single!, 'play-prefix');
        const html = await (await outer.request(`/lms${s.launchUrl}`)).text();
        expect(html).toContain(`src="/lms/runtime.js?v=${hash}"`);
        expect(configOf(html).config.apiBase).toBe('/lms');
      });
    });

    describe('cross-origin content (frame mode)', () => {
      let frameApp: ScormflowApp;
      beforeAll(() => {
        frameApp = createApp({
          db,
          storage,
          jwtSecret: SECRET,
          rateLimiter: null,
          apiBaseUrl: 'http://player.test:8080',
          contentBaseUrl: 'http://content.test:8080',
        });
      });

      it('needs apiBaseUrl', () => {
        expect(() =>
          createApp({
            db,
            storage,
            contentBaseUrl: 'https://cdn.example.net',
          }),
        ).toThrow(/needs apiBaseUrl/);
      });

      it('gives content URLs on the content origin and injects the runtime script into HTML only', async () => {
        const s = await start(frameApp, courses.multi12!, 'frame-1');
        const launch = s.scos.find((x) => x.identifier === 'intro')!.launchUrl!;
        expect(launch).toMatch(/^http:\/\/content\.test:8080\/content\/[^/]+\/intro\/index\.html$/);
        const token = launch.split('/')[4]!;
        const nav = await navigation(frameApp, s);
        expect(nav.crossOriginContent).toBe(true);

        const original = await zipFile('player-12-multi.zip', 'intro/index.html');
        const res = await call(frameApp, new URL(launch).pathname);
        expect(res.status).toBe(200);
        const bytes = new Uint8Array(await res.arrayBuffer());
        const tag = `<script src="http://player.test:8080/runtime.js?v=${hash}"></script>`;
        const text = new TextDecoder().decode(bytes);
        expect(
          text.startsWith(`<!doctype html>\n<html lang="en">\n<head>${tag}\n<meta charset="utf-8">`),
        ).toBe(true);
        expect(bytes.byteLength).toBe(original.byteLength + Buffer.byteLength(tag));
        expect(res.headers.get('content-length')).toBe(String(bytes.byteLength));
        expect(text.replace(tag, '')).toBe(new TextDecoder().decode(original));

        // The same file under a same-origin token: byte for byte, and another ETag.
        const plain = await start(app, courses.multi12!, 'frame-1-plain');
        const same = await call(app, plain.scos.find((x) => x.identifier === 'intro')!.launchUrl!);
        expect(new Uint8Array(await same.arrayBuffer())).toEqual(original);
        expect(same.headers.get('etag')).not.toBe(res.headers.get('etag'));

        // ETag and HEAD describe the served bytes; a matching If-None-Match is a 304.
        const head = await call(frameApp, new URL(launch).pathname, { method: 'HEAD' });
        expect(head.headers.get('content-length')).toBe(String(bytes.byteLength));
        expect(head.headers.get('etag')).toBe(res.headers.get('etag'));
        const cached = await call(frameApp, new URL(launch).pathname, {
          headers: { 'if-none-match': res.headers.get('etag')! },
        });
        expect(cached.status).toBe(304);
        const part = await call(frameApp, new URL(launch).pathname, { headers: { range: 'bytes=0-40' } });
        expect(part.status).toBe(206);
        expect(new TextDecoder().decode(await part.arrayBuffer())).toBe(text.slice(0, 41));

        // A non-HTML file under the frame token is untouched.
        expect(token.length).toBeGreaterThan(20);
        const manifest = await call(frameApp, `/content/${token}/imsmanifest.xml`);
        expect(new Uint8Array(await manifest.arrayBuffer())).toEqual(
          await zipFile('player-12-multi.zip', 'imsmanifest.xml'),
        );
      });

      it('lets the content origin, and no other, call the runtime routes from a browser', async () => {
        const s = await start(frameApp, courses.multi12!, 'frame-cors');
        const path = `/api/v1/runtime/${s.attempt.id}/terminate`;
        const preflight = (target: ScormflowApp, origin: string) =>
          call(target, path, {
            method: 'OPTIONS',
            headers: {
              origin,
              'access-control-request-method': 'POST',
              'access-control-request-headers': 'authorization,content-type',
            },
          });
        const ok = await preflight(frameApp, 'http://content.test:8080');
        expect(ok.status).toBe(204);
        expect(ok.headers.get('access-control-allow-origin')).toBe('http://content.test:8080');
        expect(ok.headers.get('access-control-allow-methods')).toBe('POST');
        expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toBe(
          'authorization,content-type',
        );
        // another origin is never named as allowed
        const other = await preflight(frameApp, 'https://elsewhere.example');
        expect(other.headers.get('access-control-allow-origin')).not.toBe('https://elsewhere.example');
        // the answer itself is readable by the content origin (a renewed token here)
        const renewed = await call(frameApp, `/api/v1/runtime/${s.attempt.id}/token`, {
          method: 'POST',
          headers: { authorization: `Bearer ${s.runtimeToken}`, origin: 'http://content.test:8080' },
          json: {},
        });
        expect(renewed.status).toBe(200);
        expect(renewed.headers.get('access-control-allow-origin')).toBe('http://content.test:8080');
        // same-origin content: no CORS at all on the runtime routes
        const plain = await preflight(app, 'http://content.test:8080');
        expect(plain.headers.get('access-control-allow-origin')).toBeNull();
      });

      it('starts the player page in frame mode with the content origin allowed as a frame source', async () => {
        const s = await start(frameApp, courses.multi12!, 'frame-page');
        const res = await call(frameApp, new URL(s.launchUrl).pathname + new URL(s.launchUrl).search);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-security-policy')).toContain(
          "frame-src 'self' http://content.test:8080",
        );
        const { config } = configOf(await res.text());
        expect(config.contentOrigin).toBe('http://content.test:8080');
        expect(config.apiBase).toBe('http://player.test:8080');
      });
    });
  });
}
