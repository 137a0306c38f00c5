import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeLrs, uuid } from './helpers.js';

const agent = JSON.stringify({
  objectType: 'Agent',
  account: { homePage: 'http://example.com', name: 'ann' },
});
const activityId = 'http://example.com/activities/doc';

const resources = [
  { name: 'State', path: '/activities/state', parent: { activityId, agent }, id: 'stateId', profile: false },
  {
    name: 'Activity Profile',
    path: '/activities/profile',
    parent: { activityId },
    id: 'profileId',
    profile: true,
  },
  { name: 'Agent Profile', path: '/agents/profile', parent: { agent }, id: 'profileId', profile: true },
] as const;

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

for (const resource of resources) {
  describe(`${resource.name} resource`, () => {
    const query = (id: string, extra: Record<string, string> = {}) => ({
      ...resource.parent,
      [resource.id]: id,
      ...extra,
    });

    it('XAPI-00190 XAPI-00273 XAPI-00287 XAPI-00188 XAPI-00269 XAPI-00288 stores with PUT and returns it with GET', async () => {
      const lrs = makeLrs();
      const put = await lrs.call('PUT', resource.path, {
        query: query('doc'),
        body: 'plain ✓ text',
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'If-None-Match': '*' },
      });
      expect(put.status).toBe(204);
      const get = await lrs.call('GET', resource.path, { query: query('doc') });
      expect(get.status).toBe(200);
      expect(await get.text()).toBe('plain ✓ text');
      expect(get.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
      expect(get.headers.get('Last-Modified')).toBe(new Date(Date.UTC(2026, 0, 1)).toUTCString());
    });

    it('XAPI-00322 answers GET with a quoted SHA-1 ETag of the content', async () => {
      const lrs = makeLrs();
      await lrs.call('POST', resource.path, { query: query('doc'), json: { a: 1 } });
      const get = await lrs.call('GET', resource.path, { query: query('doc') });
      const body = await get.text();
      expect(get.headers.get('ETag')).toBe(`"${sha1(body)}"`);
    });

    it('XAPI-00233 XAPI-00280 XAPI-00310 XAPI-00234 XAPI-00279 XAPI-00308 XAPI-00183 XAPI-00184 POST creates, then merges JSON one level deep', async () => {
      const lrs = makeLrs();
      expect(
        (
          await lrs.call('POST', resource.path, {
            query: query('doc'),
            json: { x: 'foo', y: 'bar', o: { a: 1 } },
          })
        ).status,
      ).toBe(204);
      expect(
        (
          await lrs.call('POST', resource.path, {
            query: query('doc'),
            json: { x: 'bash', z: 'faz', o: { b: 2 } },
          })
        ).status,
      ).toBe(204);
      const get = await lrs.call('GET', resource.path, { query: query('doc') });
      expect(await get.json()).toEqual({ x: 'bash', y: 'bar', z: 'faz', o: { b: 2 } });
      expect(get.headers.get('Content-Type')).toBe('application/json');
    });

    it('XAPI-00229 XAPI-00232 XAPI-00278 XAPI-00281 XAPI-00309 XAPI-00313 POST on a non-JSON document is a 400 that changes nothing', async () => {
      const lrs = makeLrs();
      await lrs.call('PUT', resource.path, {
        query: query('doc'),
        body: 'text',
        headers: { 'Content-Type': 'text/plain', 'If-None-Match': '*' },
      });
      expect((await lrs.call('POST', resource.path, { query: query('doc'), json: { a: 1 } })).status).toBe(
        400,
      );
      expect(await (await lrs.call('GET', resource.path, { query: query('doc') })).text()).toBe('text');
      await lrs.call('POST', resource.path, { query: query('json'), json: { a: 1 } });
      const notJson = await lrs.call('POST', resource.path, {
        query: query('json'),
        body: 'b',
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(notJson.status).toBe(400);
    });

    it('XAPI-00235 XAPI-00284 XAPI-00314 POST of invalid JSON as application/json is a 400', async () => {
      const lrs = makeLrs();
      for (const body of ['{"a":', '[1,2]', '"text"']) {
        const response = await lrs.call('POST', resource.path, {
          query: query('doc'),
          body,
          headers: { 'Content-Type': 'application/json' },
        });
        expect(response.status, body).toBe(400);
      }
      expect((await lrs.call('GET', resource.path, { query: query('doc') })).status).toBe(404);
    });

    it('XAPI-00193 XAPI-00270 XAPI-00289 XAPI-00195 XAPI-00275 XAPI-00294 GET without the id lists ids, with since exclusive', async () => {
      const lrs = makeLrs();
      await lrs.call('POST', resource.path, { query: query('b'), json: { n: 1 } }); // updated .000
      await lrs.call('POST', resource.path, { query: query('a'), json: { n: 2 } }); // updated .001
      const all = await lrs.call('GET', resource.path, { query: resource.parent });
      expect(await all.json()).toEqual(['a', 'b']);
      const since = await lrs.call('GET', resource.path, {
        query: { ...resource.parent, since: '2026-01-01T00:00:00.000Z' },
      });
      expect(await since.json()).toEqual(['a']);
      const bad = await lrs.call('GET', resource.path, {
        query: { ...resource.parent, since: 'not a time' },
      });
      expect(bad.status).toBe(400);
    });

    it('GET and HEAD without the id say when the most recently modified of the listed documents was (Communication 2.2.s6.b2)', async () => {
      const lrs = makeLrs();
      const list = (extra: Record<string, string> = {}, method = 'GET') =>
        lrs.call(method, resource.path, { query: { ...resource.parent, ...extra } });
      const none = await list();
      expect(await none.json()).toEqual([]);
      expect(none.headers.get('Last-Modified')).toBeNull();
      await lrs.call('POST', resource.path, { query: query('b'), json: { n: 1 } });
      lrs.clock.ms += 60_000;
      await lrs.call('POST', resource.path, { query: query('a'), json: { n: 2 } });
      lrs.clock.ms += 60_000;
      await lrs.call('PUT', resource.path, {
        query: query('b'),
        json: { n: 3 },
        headers: {
          'If-Match': (await lrs.call('GET', resource.path, { query: query('b') })).headers.get('ETag')!,
        },
      });
      const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toUTCString();
      for (const method of ['GET', 'HEAD']) {
        const all = await list({}, method);
        expect(all.status, method).toBe(200);
        expect(all.headers.get('Last-Modified'), method).toBe(at(2));
      }
      await lrs.call('DELETE', resource.path, { query: query('b') });
      expect((await list()).headers.get('Last-Modified')).toBe(at(1));
      const since = await list({ since: '2026-01-01T00:01:30.000Z' });
      expect(await since.json()).toEqual([]);
      expect(since.headers.get('Last-Modified')).toBeNull();

      // A store without the optional listDocuments: the ids, without the header.
      delete (lrs.store as { listDocuments?: unknown }).listDocuments;
      const plain = await list();
      expect(await plain.json()).toEqual(['a']);
      expect(plain.headers.get('Last-Modified')).toBeNull();
    });

    it('XAPI-00187 XAPI-00191 XAPI-00271 XAPI-00285 DELETE removes one document and answers 204', async () => {
      const lrs = makeLrs();
      await lrs.call('POST', resource.path, { query: query('doc'), json: { n: 1 } });
      expect((await lrs.call('DELETE', resource.path, { query: query('doc') })).status).toBe(204);
      expect((await lrs.call('GET', resource.path, { query: query('doc') })).status).toBe(404);
      expect((await lrs.call('DELETE', resource.path, { query: query('doc') })).status).toBe(204);
    });

    it('412 when If-Match does not hold (PUT, POST, DELETE) and If-None-Match: * when the document exists', async () => {
      const lrs = makeLrs();
      await lrs.call('POST', resource.path, { query: query('doc'), json: { n: 1 } });
      const etag = (await lrs.call('GET', resource.path, { query: query('doc') })).headers.get('ETag')!;
      const wrong = '"1111111111111111111111111111111111111111"';
      for (const method of ['PUT', 'POST', 'DELETE']) {
        const response = await lrs.call(method, resource.path, {
          query: query('doc'),
          json: { n: 2 },
          headers: { 'If-Match': wrong },
        });
        expect(response.status, method).toBe(412);
      }
      const noneMatch = await lrs.call('PUT', resource.path, {
        query: query('doc'),
        json: { n: 3 },
        headers: { 'If-None-Match': '*' },
      });
      expect(noneMatch.status).toBe(412);
      expect(await (await lrs.call('GET', resource.path, { query: query('doc') })).json()).toEqual({ n: 1 });
      const matching = await lrs.call('PUT', resource.path, {
        query: query('doc'),
        json: { n: 4 },
        headers: { 'If-Match': etag },
      });
      expect(matching.status).toBe(204);
      expect(await (await lrs.call('GET', resource.path, { query: query('doc') })).json()).toEqual({ n: 4 });
      const missing = await lrs.call('PUT', resource.path, {
        query: query('other'),
        json: { n: 1 },
        headers: { 'If-Match': etag },
      });
      expect(missing.status).toBe(412);
    });

    if (resource.profile) {
      it('XAPI-00322 a PUT without If-Match or If-None-Match on an existing profile is a 409 that changes nothing', async () => {
        const lrs = makeLrs();
        const create = await lrs.call('PUT', resource.path, {
          query: query('doc'),
          json: { n: 1 },
          headers: { 'If-None-Match': '*' },
        });
        expect(create.status).toBe(204);
        const conflict = await lrs.call('PUT', resource.path, { query: query('doc'), json: { n: 2 } });
        expect(conflict.status).toBe(409);
        expect(((await conflict.json()) as { message: string }).message).toContain('If-Match');
        expect(await (await lrs.call('GET', resource.path, { query: query('doc') })).json()).toEqual({
          n: 1,
        });
      });

      it('requires the profileId on PUT, POST and DELETE', async () => {
        const lrs = makeLrs();
        for (const method of ['PUT', 'POST', 'DELETE']) {
          expect(
            (await lrs.call(method, resource.path, { query: resource.parent, json: { a: 1 } })).status,
          ).toBe(400);
        }
      });
    } else {
      it('a State PUT without precondition replaces the document', async () => {
        const lrs = makeLrs();
        await lrs.call('PUT', resource.path, { query: query('doc'), json: { n: 1 } });
        expect((await lrs.call('PUT', resource.path, { query: query('doc'), json: { n: 2 } })).status).toBe(
          204,
        );
        expect(await (await lrs.call('GET', resource.path, { query: query('doc') })).json()).toEqual({
          n: 2,
        });
      });
    }

    it('tenants never see each other documents', async () => {
      const lrs = makeLrs();
      await lrs.call('POST', resource.path, { query: query('doc'), json: { n: 1 } });
      expect((await lrs.call('GET', resource.path, { query: query('doc'), user: 'bob' })).status).toBe(404);
      expect(
        await (await lrs.call('GET', resource.path, { query: resource.parent, user: 'bob' })).json(),
      ).toEqual([]);
      expect((await lrs.call('DELETE', resource.path, { query: query('doc'), user: 'bob' })).status).toBe(
        204,
      );
      expect((await lrs.call('GET', resource.path, { query: query('doc') })).status).toBe(200);
    });
  });
}

describe('State resource parameters', () => {
  const base = { activityId, agent };

  it('XAPI-00194 XAPI-00223 DELETE without stateId removes every document of the context, since-limited when asked', async () => {
    const lrs = makeLrs();
    for (const stateId of ['a', 'b', 'c'])
      await lrs.call('POST', '/activities/state', { query: { ...base, stateId }, json: {} });
    await lrs.call('POST', '/activities/state', {
      query: { ...base, activityId: 'http://example.com/other', stateId: 'keep' },
      json: {},
    });
    const sinceDelete = await lrs.call('DELETE', '/activities/state', {
      query: { ...base, since: '2026-01-01T00:00:00.000Z' },
    });
    expect(sinceDelete.status).toBe(204);
    expect(await (await lrs.call('GET', '/activities/state', { query: base })).json()).toEqual(['a']);
    expect((await lrs.call('DELETE', '/activities/state', { query: base })).status).toBe(204);
    expect(await (await lrs.call('GET', '/activities/state', { query: base })).json()).toEqual([]);
    const other = await lrs.call('GET', '/activities/state', {
      query: { ...base, activityId: 'http://example.com/other' },
    });
    expect(await other.json()).toEqual(['keep']);
  });

  it('XAPI-00218 XAPI-00219 XAPI-00220 XAPI-00227 registration scopes documents', async () => {
    const lrs = makeLrs();
    const registration = uuid();
    await lrs.call('PUT', '/activities/state', {
      query: { ...base, registration, stateId: 's' },
      json: { r: 1 },
    });
    await lrs.call('PUT', '/activities/state', { query: { ...base, stateId: 's' }, json: { r: 0 } });
    const withReg = await lrs.call('GET', '/activities/state', {
      query: { ...base, registration, stateId: 's' },
    });
    expect(await withReg.json()).toEqual({ r: 1 });
    const without = await lrs.call('GET', '/activities/state', { query: { ...base, stateId: 's' } });
    expect(await without.json()).toEqual({ r: 0 });
    await lrs.call('DELETE', '/activities/state', { query: { ...base, registration } });
    expect(
      (await lrs.call('GET', '/activities/state', { query: { ...base, registration, stateId: 's' } })).status,
    ).toBe(404);
    expect((await lrs.call('GET', '/activities/state', { query: { ...base, stateId: 's' } })).status).toBe(
      200,
    );
  });

  it('XAPI-00196..00215 rejects a missing or invalid agent, activityId, registration or stateId', async () => {
    const lrs = makeLrs();
    const cases: [string, Record<string, string>][] = [];
    for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
      cases.push([method, { activityId, stateId: 's' }]);
      cases.push([method, { agent, stateId: 's' }]);
      cases.push([method, { ...base, agent: '{"name":"no ifi"}', stateId: 's' }]);
      cases.push([method, { ...base, agent: 'not json', stateId: 's' }]);
      cases.push([method, { ...base, registration: 'not-a-uuid', stateId: 's' }]);
      cases.push([method, { ...base, activityId: 'no scheme', stateId: 's' }]);
    }
    cases.push(['PUT', base]);
    cases.push(['POST', base]);
    for (const [method, query] of cases) {
      const response = await lrs.call(method, '/activities/state', { query, json: { a: 1 } });
      expect(response.status, `${method} ${JSON.stringify(query)}`).toBe(400);
    }
  });

  it('XAPI-00255..00258 rejects a Group as the agent of agent profiles', async () => {
    const lrs = makeLrs();
    const group = JSON.stringify({ objectType: 'Group', mbox: 'mailto:team@example.com' });
    expect((await lrs.call('GET', '/agents/profile', { query: { agent: group } })).status).toBe(400);
  });
});

describe('document ids', () => {
  it('XAPI-00224 XAPI-00225 XAPI-00226 XAPI-00228 XAPI-00276 XAPI-00277 XAPI-00305 XAPI-00306 XAPI-00307 reject an id that is the JSON of another type', async () => {
    const lrs = makeLrs();
    for (const value of ['1', 'true', '{"key":"value"}', 'null', '[1]']) {
      for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
        const state = await lrs.call(method, '/activities/state', {
          query: { activityId, agent, stateId: value },
          json: { a: 1 },
        });
        expect(state.status, `${method} stateId=${value}`).toBe(400);
        const profile = await lrs.call(method, '/activities/profile', {
          query: { activityId, profileId: value },
          json: { a: 1 },
          headers: { 'If-None-Match': '*' },
        });
        expect(profile.status, `${method} profileId=${value}`).toBe(400);
      }
    }
    for (const value of ['bookmark', 'a1', '{not json', 'urn:x:1', ' spaced id ✓']) {
      const response = await lrs.call('PUT', '/activities/state', {
        query: { activityId, agent, stateId: value },
        json: { a: 1 },
      });
      expect(response.status, value).toBe(204);
    }
  });
});

describe('document content (Communication 2.2.s4)', () => {
  it('accepts any content on POST when no document exists, whatever its Content-Type', async () => {
    const lrs = makeLrs();
    for (const [id, body, type] of [
      ['one', '1', 'application/x-www-form-urlencoded'],
      ['two', 'true', 'application/x-www-form-urlencoded'],
      ['three', '{}', 'application/json'],
    ] as const) {
      const query = { activityId, agent, stateId: id };
      const response = await lrs.call('POST', '/activities/state', {
        query,
        body,
        headers: { 'Content-Type': type },
      });
      expect(response.status, id).toBe(204);
      expect(await (await lrs.call('GET', '/activities/state', { query })).text()).toBe(body);
    }
  });
});

describe('profile PUT without If-Match or If-None-Match (Communication 3.1.s3.b1)', () => {
  for (const [path, query] of [
    ['/agents/profile', { agent, profileId: 'p' }],
    ['/activities/profile', { activityId, profileId: 'p' }],
  ] as const) {
    it(`XAPI-00273 XAPI-00287 ${path} rejects it with 400 and stores nothing (409 once the document exists)`, async () => {
      const lrs = makeLrs();
      const missing = await lrs.call('PUT', path, { query, json: { a: 1 } });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as { message: string }).message).toContain('If-None-Match');
      expect((await lrs.call('GET', path, { query })).status).toBe(404);
      const created = await lrs.call('PUT', path, {
        query,
        json: { a: 1 },
        headers: { 'If-None-Match': '*' },
      });
      expect(created.status).toBe(204);
      expect(await (await lrs.call('GET', path, { query })).json()).toEqual({ a: 1 });
      expect((await lrs.call('PUT', path, { query, json: { a: 2 } })).status).toBe(409);
    });
  }
});
