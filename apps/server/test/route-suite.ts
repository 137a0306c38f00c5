import { type Database, migrate } from '@scormflow/db';
import { type BlobStorage, memoryStorage, readAllText } from '@scormflow/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bootstrap,
  createApp,
  DEFAULT_TENANT_ID,
  memoryRateLimiter,
  type ScormflowApp,
} from '../src/index.js';
import { call, chunked, fixture, multipart, problemOf } from './helpers.js';

/** How one database (and storage) variant of the route suite is opened; or why it is skipped. */
export type RouteBackend =
  | { open(): Database; storage(): Promise<BlobStorage>; dispose(): Promise<void> }
  | { skip: string };

interface CourseBody {
  id: string;
  version: number;
  kind: string;
  scormVersion: string | null;
  title: string;
  size: number;
  scoCount: number;
  diagnostics: { code: string; severity: string }[];
  items: {
    identifier: string;
    parentIdentifier: string | null;
    depth: number;
    isSco: boolean;
    launchUrl: string | null;
    data: Record<string, unknown>;
  }[];
}

/**
 * Every route of the engine through `app.request()`, run once per database dialect with one shared
 * database: each test works in tenants of its own, which is also what keeps the tests apart.
 */
export function describeRoutes(label: string, backend: RouteBackend): void {
  describe.skipIf('skip' in backend)(`routes on ${label}`, () => {
    const b = backend as Exclude<RouteBackend, { skip: string }>;
    let db: Database;
    let storage: BlobStorage;
    let app: ScormflowApp;
    let rootKey: string;

    /** A new tenant and its admin key, made through the admin API. */
    async function newTenant(name: string): Promise<{ id: string; key: string }> {
      const res = await call(app, '/api/v1/admin/tenants', { method: 'POST', key: rootKey, json: { name } });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { tenant: { id: string }; apiKey: { secret: string } };
      return { id: body.tenant.id, key: body.apiKey.secret };
    }

    async function upload(key: string, name: string, query = ''): Promise<Response> {
      return call(app, `/api/v1/courses${query}`, {
        method: 'POST',
        key,
        body: new Uint8Array(await fixture(name)),
        headers: { 'content-type': 'application/zip' },
      });
    }

    async function storedKeys(prefix: string): Promise<string[]> {
      const page = await storage.list(prefix, { limit: 1000 });
      return page.items.map((i) => i.key);
    }

    beforeAll(async () => {
      db = b.open();
      await migrate(db);
      const boot = await bootstrap(db);
      if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
      rootKey = boot.secret;
      storage = await b.storage();
      app = createApp({ db, storage, rateLimiter: null, onUnexpectedError: () => {} });
    });
    afterAll(async () => {
      await storage?.close?.();
      await db?.close();
      await b.dispose();
    });

    describe('health', () => {
      it('answers /healthz and /readyz without a key', async () => {
        const live = await call(app, '/healthz');
        expect(live.status).toBe(200);
        expect(await live.json()).toEqual({ status: 'ok' });
        const ready = await call(app, '/readyz');
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', storage: 'ok' } });
      });

      it('reports 503 on /readyz when the storage cannot be reached', async () => {
        const broken: BlobStorage = {
          ...memoryStorage(),
          head: async () => {
            throw new Error('connection refused');
          },
        };
        const res = await call(createApp({ db, storage: broken, rateLimiter: null }), '/readyz');
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({
          status: 'unavailable',
          checks: { database: 'ok', storage: 'unavailable' },
        });
      });

      it('answers unknown routes with a 404 problem', async () => {
        const res = await call(app, '/api/v2/nothing', { key: rootKey });
        expect(res.status).toBe(404);
        expect((await problemOf(res)).code).toBe('ROUTE_NOT_FOUND');
      });
    });

    describe('authentication', () => {
      it('refuses a request without a key', async () => {
        const res = await call(app, '/api/v1/courses');
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        const p = await problemOf(res);
        expect(p.code).toBe('UNAUTHENTICATED');
        expect(p.instance).toBe('/api/v1/courses');
      });

      it('refuses a wrong key and a malformed header', async () => {
        const wrong = await call(app, '/api/v1/courses', { key: `${rootKey}x` });
        expect(wrong.status).toBe(401);
        expect((await problemOf(wrong)).code).toBe('INVALID_API_KEY');
        const basic = await call(app, '/api/v1/courses', { headers: { authorization: `Basic ${rootKey}` } });
        expect(basic.status).toBe(401);
        expect((await problemOf(basic)).code).toBe('INVALID_API_KEY');
      });

      it('refuses a key once it is revoked', async () => {
        const t = await newTenant('revocation');
        const created = await call(app, '/api/v1/admin/api-keys', {
          method: 'POST',
          key: t.key,
          json: { name: 'ci', role: 'member' },
        });
        expect(created.status).toBe(201);
        const key = (await created.json()) as { id: string; secret: string; role: string };
        expect(key.role).toBe('member');
        expect((await call(app, '/api/v1/courses', { key: key.secret })).status).toBe(200);
        const revoked = await call(app, `/api/v1/admin/api-keys/${key.id}`, { method: 'DELETE', key: t.key });
        expect(revoked.status).toBe(204);
        const after = await call(app, '/api/v1/courses', { key: key.secret });
        expect(after.status).toBe(401);
        expect((await problemOf(after)).code).toBe('INVALID_API_KEY');
        const again = await call(app, `/api/v1/admin/api-keys/${key.id}`, { method: 'DELETE', key: t.key });
        expect(again.status).toBe(404);
        expect((await problemOf(again)).code).toBe('API_KEY_NOT_FOUND');
      });
    });

    describe('admin', () => {
      it('creates a tenant whose admin key works and sees only that tenant', async () => {
        const t = await newTenant('Acme');
        const list = await call(app, '/api/v1/admin/api-keys', { key: t.key });
        expect(list.status).toBe(200);
        const { items } = (await list.json()) as { items: Record<string, unknown>[] };
        expect(items).toHaveLength(1);
        expect(items[0]).toMatchObject({ tenantId: t.id, role: 'admin', revokedAt: null });
        expect(items[0]).not.toHaveProperty('hash');
        expect(items[0]).not.toHaveProperty('secret');
        expect(t.key.startsWith(String(items[0]!.prefix))).toBe(true);
      });

      it('lets only admin keys of the default tenant create tenants', async () => {
        const t = await newTenant('not the operator');
        const res = await call(app, '/api/v1/admin/tenants', {
          method: 'POST',
          key: t.key,
          json: { name: 'x' },
        });
        expect(res.status).toBe(403);
        expect((await problemOf(res)).code).toBe('FORBIDDEN');
      });

      it('refuses admin routes to member keys', async () => {
        const t = await newTenant('members');
        const res = await call(app, '/api/v1/admin/api-keys', {
          method: 'POST',
          key: t.key,
          json: { name: 'member', role: 'member' },
        });
        const member = ((await res.json()) as { secret: string }).secret;
        const denied = await call(app, '/api/v1/admin/api-keys', { key: member });
        expect(denied.status).toBe(403);
        expect((await problemOf(denied)).code).toBe('FORBIDDEN');
      });

      it('names the bad fields of an invalid body', async () => {
        const res = await call(app, '/api/v1/admin/api-keys', {
          method: 'POST',
          key: rootKey,
          json: { name: '', role: 'owner', extra: 1 },
        });
        expect(res.status).toBe(400);
        const p = await problemOf(res);
        expect(p.code).toBe('VALIDATION_FAILED');
        const fields = (p.errors as { field: string }[]).map((e) => e.field);
        expect(fields).toEqual(expect.arrayContaining(['json.name', 'json.role']));
        expect(p.detail).toContain('json.name');
      });

      it('refuses a body that is not JSON with 415 and malformed JSON with 400', async () => {
        const text = await call(app, '/api/v1/admin/api-keys', {
          method: 'POST',
          key: rootKey,
          body: 'name=x',
          headers: { 'content-type': 'text/plain' },
        });
        expect(text.status).toBe(415);
        expect((await problemOf(text)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
        const broken = await call(app, '/api/v1/admin/api-keys', {
          method: 'POST',
          key: rootKey,
          body: '{"name": ',
          headers: { 'content-type': 'application/json' },
        });
        expect(broken.status).toBe(400);
        const p = await problemOf(broken);
        expect(p.code).toBe('VALIDATION_FAILED');
        expect(p.errors).toEqual([expect.objectContaining({ field: 'json' })]);
      });

      it('refuses a JSON body above the size limit with 413', async () => {
        const res = await call(app, '/api/v1/admin/api-keys', {
          method: 'POST',
          key: rootKey,
          json: { name: 'x'.repeat(1024 * 1024 + 10), role: 'member' },
        });
        expect(res.status).toBe(413);
        expect((await problemOf(res)).code).toBe('PAYLOAD_TOO_LARGE');
      });

      it('judges a JSON body by its Content-Length, and a chunked one as it streams', async () => {
        const small = JSON.stringify({ name: 'announced', role: 'member' });
        const announced = await call(app, '/api/v1/admin/api-keys', {
          method: 'POST',
          key: rootKey,
          body: small,
          headers: { 'content-type': 'application/json', 'content-length': String(1024 * 1024 + 1) },
        });
        expect(announced.status).toBe(413);
        expect((await problemOf(announced)).code).toBe('PAYLOAD_TOO_LARGE');
        const exact = await call(app, '/api/v1/admin/api-keys', {
          method: 'POST',
          key: rootKey,
          body: small,
          headers: { 'content-type': 'application/json', 'content-length': String(small.length) },
        });
        expect(exact.status).toBe(201);
        const big = new TextEncoder().encode(
          JSON.stringify({ name: 'x'.repeat(1024 * 1024), role: 'member' }),
        );
        const streamed = await call(app, '/api/v1/admin/api-keys', {
          method: 'POST',
          key: rootKey,
          body: chunked(big, 64 * 1024),
          headers: { 'content-type': 'application/json' },
        });
        expect(streamed.status).toBe(413);
      });
    });

    describe('courses', () => {
      it('imports a raw SCORM 1.2 zip and stores its files under the tenant prefix', async () => {
        const t = await newTenant('import');
        const res = await upload(t.key, 'scorm12-single.zip');
        expect(res.status).toBe(201);
        const course = (await res.json()) as CourseBody;
        expect(res.headers.get('location')).toBe(`/api/v1/courses/${course.id}`);
        expect(course).toMatchObject({
          version: 1,
          kind: 'scorm',
          scormVersion: '1.2',
          title: 'Fire Safety Basics',
        });
        expect(course.scoCount).toBe(1);
        expect(course.items).toEqual([
          expect.objectContaining({
            identifier: 'item1',
            parentIdentifier: null,
            depth: 0,
            isSco: true,
            launchUrl: 'index.html',
            data: { masteryScore: 80 },
          }),
        ]);
        const prefix = `tenants/${t.id}/courses/${course.id}/1`;
        expect((await storedKeys(prefix)).sort()).toEqual(
          [`${prefix}/css/style.css`, `${prefix}/imsmanifest.xml`, `${prefix}/index.html`].sort(),
        );
        const page = await storage.get(`${prefix}/index.html`);
        expect(page?.contentType).toBe('text/html; charset=utf-8');
        expect(await readAllText(page!.body)).toContain('<title>Lesson 1</title>');
        expect((await storage.head(`${prefix}/css/style.css`))?.contentType).toBe('text/css; charset=utf-8');
        expect(course.size).toBe(page!.size + 33 + (await storage.head(`${prefix}/imsmanifest.xml`))!.size);
      });

      it('imports a multipart upload sent in small chunks, with the item tree', async () => {
        const t = await newTenant('multipart');
        const { body, contentType } = multipart(new Uint8Array(await fixture('scorm2004-multi.zip')), {
          before: { note: 'a field before the file' },
        });
        const res = await call(app, '/api/v1/courses', {
          method: 'POST',
          key: t.key,
          body: chunked(body, 7),
          headers: { 'content-type': contentType },
        });
        expect(res.status).toBe(201);
        const course = (await res.json()) as CourseBody;
        expect(course.scormVersion).toBe('2004-4th');
        expect(course.scoCount).toBe(2);
        expect(course.items.map((i) => [i.identifier, i.parentIdentifier, i.depth, i.isSco])).toEqual([
          ['module1', null, 0, false],
          ['sco1', 'module1', 1, true],
          ['sco2', 'module1', 1, true],
          ['appendix', null, 0, false],
        ]);
        expect(course.items[2]?.launchUrl).toBe('sco2/index.html?page=2');
        const pdf = await storage.head(`tenants/${t.id}/courses/${course.id}/1/glossary.pdf`);
        expect(pdf?.contentType).toBe('application/pdf');

        const got = await call(app, `/api/v1/courses/${course.id}`, { key: t.key });
        expect(got.status).toBe(200);
        expect(await got.json()).toEqual(course);
      });

      it('rejects a package zipped with its folder, with the fix in the diagnostics', async () => {
        const t = await newTenant('folder');
        const res = await upload(t.key, 'in-folder.zip');
        expect(res.status).toBe(422);
        const diagnostics = (await problemOf(res)).diagnostics as {
          code: string;
          severity: string;
          hint: string;
        }[];
        expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([
          ['PKG_OS_LITTER', 'warning'],
          ['PKG_MANIFEST_IN_SUBFOLDER', 'error'],
        ]);
        expect(diagnostics[1]?.hint).toContain('scormflow doctor');
        expect(await storedKeys(`tenants/${t.id}`)).toEqual([]);
      });

      it('rejects an invalid package with 422 listing every diagnostic, storing nothing', async () => {
        const t = await newTenant('invalid');
        const res = await upload(t.key, 'missing-launch.zip');
        expect(res.status).toBe(422);
        const p = await problemOf(res);
        expect(p.code).toBe('PACKAGE_INVALID');
        const diagnostics = p.diagnostics as { code: string; severity: string; message: string }[];
        expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
        expect(diagnostics.map((d) => d.code)).toContain('PKG_LAUNCH_FILE_MISSING');
        expect(await storedKeys(`tenants/${t.id}`)).toEqual([]);
        const list = (await (await call(app, '/api/v1/courses', { key: t.key })).json()) as {
          items: unknown[];
        };
        expect(list.items).toEqual([]);
      });

      it('rejects a file that is not a zip and a zip-slip entry with 422', async () => {
        const t = await newTenant('hostile');
        const text = await upload(t.key, 'not-a-zip.zip');
        expect(text.status).toBe(422);
        expect(((await problemOf(text)).diagnostics as { code: string }[]).map((d) => d.code)).toEqual([
          'ZIP_UNREADABLE',
        ]);
        const slip = await upload(t.key, 'zip-slip.zip');
        expect(slip.status).toBe(422);
        expect(((await problemOf(slip)).diagnostics as { code: string }[]).map((d) => d.code)).toContain(
          'ZIP_PATH_TRAVERSAL',
        );
        expect(await storedKeys(`tenants/${t.id}`)).toEqual([]);
      });

      it('refuses a package with a file name too long for a storage key, storing nothing', async () => {
        const t = await newTenant('long names');
        const res = await upload(t.key, 'long-path.zip');
        expect(res.status).toBe(422);
        const p = await problemOf(res);
        expect(p.code).toBe('PACKAGE_INVALID');
        expect(p.files).toEqual([expect.stringMatching(/^d{100}\/.*\.txt$/)]);
        expect(await storedKeys(`tenants/${t.id}`)).toEqual([]);
      });

      it('refuses other media types with 415 and a multipart body without the file with 400', async () => {
        const t = await newTenant('media');
        const json = await call(app, '/api/v1/courses', { method: 'POST', key: t.key, json: { zip: 'no' } });
        expect(json.status).toBe(415);
        expect((await problemOf(json)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
        const { body, contentType } = multipart(new Uint8Array(await fixture('scorm12-single.zip')), {
          fileField: 'upload',
        });
        const missing = await call(app, '/api/v1/courses', {
          method: 'POST',
          key: t.key,
          body,
          headers: { 'content-type': contentType },
        });
        expect(missing.status).toBe(400);
        const p = await problemOf(missing);
        expect(p.code).toBe('VALIDATION_FAILED');
        expect(p.errors).toEqual([expect.objectContaining({ field: 'body.file' })]);
      });

      it('refuses uploads above the limit with 413, announced or streamed', async () => {
        const small = createApp({ db, storage, rateLimiter: null, maxUploadBytes: 500 });
        const zip = new Uint8Array(await fixture('scorm12-single.zip'));
        expect(zip.length).toBeGreaterThan(500);
        const announced = await call(small, '/api/v1/courses', {
          method: 'POST',
          key: rootKey,
          body: zip,
          headers: { 'content-type': 'application/zip', 'content-length': String(zip.length) },
        });
        expect(announced.status).toBe(413);
        expect((await problemOf(announced)).code).toBe('PAYLOAD_TOO_LARGE');
        const streamed = await call(small, '/api/v1/courses', {
          method: 'POST',
          key: rootKey,
          body: chunked(zip, 100),
          headers: { 'content-type': 'application/zip' },
        });
        expect(streamed.status).toBe(413);
        const { body, contentType } = multipart(zip);
        const form = await call(small, '/api/v1/courses/validate', {
          method: 'POST',
          key: rootKey,
          body: chunked(body, 64),
          headers: { 'content-type': contentType },
        });
        expect(form.status).toBe(413);
      });

      it('validates a package without storing anything', async () => {
        const t = await newTenant('validate');
        const ok = await call(app, '/api/v1/courses/validate', {
          method: 'POST',
          key: t.key,
          body: new Uint8Array(await fixture('scorm2004-multi.zip')),
          headers: { 'content-type': 'application/zip' },
        });
        expect(ok.status).toBe(200);
        expect(await ok.json()).toMatchObject({
          valid: true,
          kind: 'scorm',
          scormVersion: '2004-4th',
          title: 'Data Privacy',
          itemCount: 4,
          scoCount: 2,
        });
        const bad = await call(app, '/api/v1/courses/validate', {
          method: 'POST',
          key: t.key,
          body: new Uint8Array(await fixture('missing-launch.zip')),
          headers: { 'content-type': 'application/zip' },
        });
        expect(bad.status).toBe(200);
        const report = (await bad.json()) as { valid: boolean; diagnostics: { code: string }[] };
        expect(report.valid).toBe(false);
        expect(report.diagnostics.map((d) => d.code)).toContain('PKG_LAUNCH_FILE_MISSING');
        expect(await storedKeys(`tenants/${t.id}`)).toEqual([]);
        const list = (await (await call(app, '/api/v1/courses', { key: t.key })).json()) as {
          items: unknown[];
        };
        expect(list.items).toEqual([]);
      });

      it('pages through the course list with a cursor and validates the query', async () => {
        const t = await newTenant('paging');
        const ids: string[] = [];
        for (let i = 0; i < 3; i++)
          ids.push(((await (await upload(t.key, 'scorm12-single.zip')).json()) as CourseBody).id);
        const first = await call(app, '/api/v1/courses?limit=2', { key: t.key });
        const p1 = (await first.json()) as { items: { id: string }[]; nextCursor: string | null };
        expect(p1.items.map((c) => c.id)).toEqual([ids[2], ids[1]]);
        expect(p1.nextCursor).not.toBeNull();
        const second = await call(
          app,
          `/api/v1/courses?limit=2&cursor=${encodeURIComponent(p1.nextCursor!)}`,
          {
            key: t.key,
          },
        );
        const p2 = (await second.json()) as { items: { id: string }[]; nextCursor: string | null };
        expect(p2.items.map((c) => c.id)).toEqual([ids[0]]);
        expect(p2.nextCursor).toBeNull();

        const badLimit = await call(app, '/api/v1/courses?limit=0', { key: t.key });
        expect(badLimit.status).toBe(400);
        expect(((await problemOf(badLimit)).errors as { field: string }[])[0]?.field).toBe('query.limit');
        const badCursor = await call(app, '/api/v1/courses?cursor=not-a-cursor', { key: t.key });
        expect(badCursor.status).toBe(400);
        expect(((await problemOf(badCursor)).errors as { field: string }[])[0]?.field).toBe('query.cursor');
        const badId = await call(app, '/api/v1/courses/bad%20id', { key: t.key });
        expect(badId.status).toBe(400);
        expect(((await problemOf(badId)).errors as { field: string }[])[0]?.field).toBe('param.courseId');
      });

      it('adds versions with ?courseId and reads any version', async () => {
        const t = await newTenant('versions');
        const v1 = (await (await upload(t.key, 'scorm12-single.zip')).json()) as CourseBody;
        const res = await upload(t.key, 'scorm2004-multi.zip', `?courseId=${v1.id}`);
        expect(res.status).toBe(201);
        const v2 = (await res.json()) as CourseBody;
        expect([v2.id, v2.version, v2.scormVersion]).toEqual([v1.id, 2, '2004-4th']);
        const latest = (await (
          await call(app, `/api/v1/courses/${v1.id}`, { key: t.key })
        ).json()) as CourseBody;
        expect(latest.version).toBe(2);
        const old = (await (
          await call(app, `/api/v1/courses/${v1.id}?version=1`, { key: t.key })
        ).json()) as CourseBody;
        expect([old.version, old.title]).toEqual([1, 'Fire Safety Basics']);
        expect(await storedKeys(`tenants/${t.id}/courses/${v1.id}/2`)).toContain(
          `tenants/${t.id}/courses/${v1.id}/2/sco1/index.html`,
        );
        const unknown = await upload(t.key, 'scorm12-single.zip', '?courseId=0000-none');
        expect(unknown.status).toBe(404);
        expect((await problemOf(unknown)).code).toBe('COURSE_NOT_FOUND');
      });

      it('deletes a course with every version and stored file', async () => {
        const t = await newTenant('delete');
        const c = (await (await upload(t.key, 'scorm12-single.zip')).json()) as CourseBody;
        await upload(t.key, 'scorm12-single.zip', `?courseId=${c.id}`);
        expect((await storedKeys(`tenants/${t.id}/courses/${c.id}`)).length).toBe(6);
        const del = await call(app, `/api/v1/courses/${c.id}`, { method: 'DELETE', key: t.key });
        expect(del.status).toBe(204);
        expect(await storedKeys(`tenants/${t.id}/courses/${c.id}`)).toEqual([]);
        const get = await call(app, `/api/v1/courses/${c.id}`, { key: t.key });
        expect(get.status).toBe(404);
        expect((await problemOf(get)).code).toBe('COURSE_NOT_FOUND');
        const again = await call(app, `/api/v1/courses/${c.id}`, { method: 'DELETE', key: t.key });
        expect(again.status).toBe(404);
      });

      it('answers 500 without internals when the storage fails, and stores no course', async () => {
        const t = await newTenant('failure');
        const seen: unknown[] = [];
        const failing: BlobStorage = {
          ...memoryStorage(),
          put: async () => {
            throw new Error('secret-bucket-name: access denied');
          },
        };
        const broken = createApp({
          db,
          storage: failing,
          rateLimiter: null,
          onUnexpectedError: (e) => seen.push(e),
        });
        const res = await call(broken, '/api/v1/courses', {
          method: 'POST',
          key: t.key,
          body: new Uint8Array(await fixture('scorm12-single.zip')),
          headers: { 'content-type': 'application/zip' },
        });
        expect(res.status).toBe(500);
        const text = await res.text();
        expect(text).not.toContain('secret-bucket-name');
        expect(JSON.parse(text)).toMatchObject({ code: 'INTERNAL', status: 500 });
        expect(seen).toHaveLength(1);
        const list = (await (await call(app, '/api/v1/courses', { key: t.key })).json()) as {
          items: unknown[];
        };
        expect(list.items).toEqual([]);
      });
    });

    describe('tenant isolation', () => {
      it("keeps tenant A's courses away from tenant B", async () => {
        const a = await newTenant('tenant A');
        const bT = await newTenant('tenant B');
        const course = (await (await upload(a.key, 'scorm12-single.zip')).json()) as CourseBody;
        const files = await storedKeys(`tenants/${a.id}/courses/${course.id}`);
        expect(files.length).toBe(3);

        const list = (await (await call(app, '/api/v1/courses', { key: bT.key })).json()) as {
          items: unknown[];
        };
        expect(list.items).toEqual([]);
        for (const path of [`/api/v1/courses/${course.id}`, `/api/v1/courses/${course.id}?version=1`]) {
          const res = await call(app, path, { key: bT.key });
          expect(res.status).toBe(404);
          expect((await problemOf(res)).code).toBe('COURSE_NOT_FOUND');
        }
        const del = await call(app, `/api/v1/courses/${course.id}`, { method: 'DELETE', key: bT.key });
        expect(del.status).toBe(404);
        const validateAs = await call(app, `/api/v1/courses/validate?courseId=${course.id}`, {
          method: 'POST',
          key: bT.key,
          body: new Uint8Array(await fixture('scorm12-single.zip')),
          headers: { 'content-type': 'application/zip' },
        });
        expect(validateAs.status).toBe(404);
        const versionAs = await upload(bT.key, 'scorm12-single.zip', `?courseId=${course.id}`);
        expect(versionAs.status).toBe(404);
        const keys = (await (await call(app, '/api/v1/admin/api-keys', { key: bT.key })).json()) as {
          items: { tenantId: string }[];
        };
        expect(keys.items.every((k) => k.tenantId === bT.id)).toBe(true);
        const revokeA = await call(app, `/api/v1/admin/api-keys/${await firstKeyId(a.key)}`, {
          method: 'DELETE',
          key: bT.key,
        });
        expect(revokeA.status).toBe(404);

        // Tenant A still has everything.
        expect((await call(app, `/api/v1/courses/${course.id}`, { key: a.key })).status).toBe(200);
        expect(await storedKeys(`tenants/${a.id}/courses/${course.id}`)).toEqual(files);
        expect(await storedKeys(`tenants/${bT.id}`)).toEqual([]);
      });

      async function firstKeyId(key: string): Promise<string> {
        const res = await call(app, '/api/v1/admin/api-keys', { key });
        return ((await res.json()) as { items: { id: string }[] }).items[0]!.id;
      }
    });

    describe('rate limiting', () => {
      it('limits each tenant on its own and answers 429 with Retry-After', async () => {
        const a = await newTenant('rate A');
        const bT = await newTenant('rate B');
        const limited = createApp({
          db,
          storage,
          rateLimiter: memoryRateLimiter({ capacity: 2, refillPerSecond: 0.5, now: () => 1_000 }),
        });
        expect((await call(limited, '/api/v1/courses', { key: a.key })).status).toBe(200);
        const second = await call(limited, '/api/v1/courses', { key: a.key });
        expect(second.headers.get('ratelimit-remaining')).toBe('0');
        const third = await call(limited, '/api/v1/courses', { key: a.key });
        expect(third.status).toBe(429);
        expect(third.headers.get('retry-after')).toBe('2');
        expect((await problemOf(third)).code).toBe('RATE_LIMITED');
        expect((await call(limited, '/api/v1/courses', { key: bT.key })).status).toBe(200);
        expect((await call(limited, '/healthz')).status).toBe(200);
      });
    });

    it('keeps the default tenant for the operator', async () => {
      const keys = (await (await call(app, '/api/v1/admin/api-keys', { key: rootKey })).json()) as {
        items: { tenantId: string; role: string }[];
      };
      expect(keys.items[0]).toMatchObject({ tenantId: DEFAULT_TENANT_ID, role: 'admin' });
    });
  });
}
