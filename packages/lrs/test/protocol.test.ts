import { describe, expect, it, vi } from 'vitest';
import { type LrsStore, lrsApp, memoryLrsStore, storingClock } from '../src/index.js';
import { authenticate, basic, makeLrs, statement, uuid, VERSION } from './helpers.js';

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('versioning (Communication 3.3)', () => {
  it('XAPI-00321 rejects a request without X-Experience-API-Version except to /about', async () => {
    const lrs = makeLrs();
    expect(
      (await lrs.call('GET', '/statements', { query: { statementId: uuid() }, version: null })).status,
    ).toBe(400);
    expect((await lrs.call('POST', '/statements', { json: statement(), version: null })).status).toBe(400);
    expect(
      (
        await lrs.call('PUT', '/statements', {
          query: { statementId: uuid() },
          json: statement(),
          version: null,
        })
      ).status,
    ).toBe(400);
    expect((await lrs.call('GET', '/activities/state', { version: null })).status).toBe(400);
    const about = await lrs.call('GET', '/about', { version: null, user: null });
    expect(about.status).toBe(200);
  });

  it('XAPI-00153 XAPI-00321 a request without any header answers 400 (not 401), with Consistent-Through', async () => {
    const lrs = makeLrs();
    const response = await lrs.call('GET', '/statements', { version: null, user: null });
    expect(response.status).toBe(400);
    expect(response.headers.get('X-Experience-API-Consistent-Through')).not.toBeNull();
  });

  it('XAPI-00331 accepts 1.0 and 1.0.x, rejects the rest with 400', async () => {
    const lrs = makeLrs();
    for (const version of ['1.0', '1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.9']) {
      expect((await lrs.call('GET', '/statements', { version })).status, version).toBe(200);
    }
    for (const version of ['0.9', '0.95', '1.1.0', '2.0.0', '1', 'abc', '']) {
      expect((await lrs.call('GET', '/statements', { version })).status, version).toBe(400);
    }
  });

  it('XAPI-00333 answers every response, errors included, with X-Experience-API-Version 1.0.3', async () => {
    const lrs = makeLrs();
    for (const response of [
      await lrs.call('GET', '/statements'),
      await lrs.call('GET', '/statements', { version: null }),
      await lrs.call('GET', '/statements', { user: 'nobody' }),
      await lrs.call('GET', '/about'),
      await lrs.call('DELETE', '/statements'),
    ]) {
      expect(response.headers.get('X-Experience-API-Version')).toBe('1.0.3');
    }
  });
});

describe('authentication (Communication 4.0)', () => {
  it('XAPI-00334 XAPI-00335 answers 401 with a Basic challenge without or with wrong credentials', async () => {
    const lrs = makeLrs();
    const missing = await lrs.call('GET', '/statements', { user: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('WWW-Authenticate')).toContain('Basic');
    expect((await lrs.call('POST', '/statements', { json: statement(), user: 'nobody' })).status).toBe(401);
    expect((await lrs.call('GET', '/activities/state', { user: null })).status).toBe(401);
  });
});

describe('parameters and methods (Communication 3.2)', () => {
  it('XAPI-00324 rejects a parameter the resource does not know', async () => {
    const lrs = makeLrs();
    expect((await lrs.call('GET', '/statements', { query: { foo: 'bar' } })).status).toBe(400);
    expect((await lrs.call('GET', '/about', { query: { foo: 'bar' } })).status).toBe(400);
    expect(
      (await lrs.call('GET', '/activities', { query: { activityId: 'http://example.com/a', foo: 'bar' } }))
        .status,
    ).toBe(400);
    expect(
      (await lrs.call('POST', '/statements', { query: { statementId: uuid() }, json: statement() })).status,
    ).toBe(400);
  });

  it('XAPI-00325 rejects a parameter that differs from a known one only in case', async () => {
    const lrs = makeLrs();
    for (const name of [
      'StatementId',
      'VoidedStatementId',
      'Verb',
      'Since',
      'Limit',
      'Ascending',
      'Related_Agents',
    ]) {
      expect((await lrs.call('GET', '/statements', { query: { [name]: 'x' } })).status, name).toBe(400);
    }
    const response = await lrs.call('PUT', '/statements', {
      query: { StatementId: uuid() },
      json: statement(),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('statementId');
  });

  it('rejects a parameter given twice', async () => {
    const lrs = makeLrs();
    const response = await lrs.app.request('http://lrs.test/xapi/statements?limit=1&limit=2', {
      headers: { Authorization: basic('alice'), 'X-Experience-API-Version': '1.0.3' },
    });
    expect(response.status).toBe(400);
  });

  it('answers 405 before checking credentials (the suite sends its DELETE without them)', async () => {
    const lrs = makeLrs();
    const response = await lrs.call('DELETE', '/statements', { query: { statementId: uuid() }, user: null });
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD, PUT, POST');
  });

  it('answers 405 to methods the spec does not define on a resource', async () => {
    const lrs = makeLrs();
    const activity = { activityId: 'http://example.com/a' };
    const agent = { agent: JSON.stringify({ mbox: 'mailto:a@example.com' }) };
    expect((await lrs.call('DELETE', '/statements', { query: { statementId: uuid() } })).status).toBe(405);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect((await lrs.call(method, '/activities', { query: activity })).status).toBe(405);
      expect((await lrs.call(method, '/agents', { query: agent })).status).toBe(405);
      expect((await lrs.call(method, '/about')).status).toBe(405);
    }
  });

  it('XAPI-00328 answers 413 to a body larger than the configured limit', async () => {
    const lrs = makeLrs({ maxBodyBytes: 1024 });
    const big = statement({ result: { response: 'x'.repeat(2000) } });
    expect((await lrs.call('POST', '/statements', { json: big })).status).toBe(413);
    expect((await lrs.call('POST', '/statements', { json: statement() })).status).toBe(200);
  });

  it('XAPI-00328 judges a body by its declared Content-Length, and reads one of that length', async () => {
    const lrs = makeLrs({ maxBodyBytes: 1024 });
    const post = (text: string) =>
      lrs.call('POST', '/statements', {
        body: text,
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) },
      });
    expect((await post(JSON.stringify(statement({ result: { response: 'x'.repeat(2000) } })))).status).toBe(
      413,
    );
    const small = statement({ result: { response: 'é✓' } });
    const stored = await post(JSON.stringify(small));
    expect(stored.status).toBe(200);
    const [id] = (await stored.json()) as string[];
    const got = await lrs.call('GET', '/statements', { query: { statementId: id! } });
    expect(((await got.json()) as { result: { response: string } }).result.response).toBe('é✓');
  });
});

describe('HEAD (Communication 1.1)', () => {
  it('XAPI-00125 XAPI-00126 answers HEAD like GET without a body', async () => {
    const lrs = makeLrs();
    const [id] = (await (await lrs.call('POST', '/statements', { json: statement() })).json()) as string[];
    for (const [path, query] of [
      ['/statements', { statementId: id! }],
      ['/statements', {}],
      ['/about', {}],
      ['/activities', { activityId: 'http://example.com/a' }],
    ] as const) {
      const get = await lrs.call('GET', path, { query });
      const head = await lrs.call('HEAD', path, { query });
      expect(head.status).toBe(get.status);
      expect(head.headers.get('Content-Type')).toBe(get.headers.get('Content-Type'));
      expect(head.headers.get('X-Experience-API-Version')).toBe('1.0.3');
      expect(await head.text()).toBe('');
    }
    const missing = await lrs.call('HEAD', '/statements', { query: { statementId: uuid() } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('X-Experience-API-Consistent-Through')).not.toBeNull();
  });
});

describe('CORS', () => {
  it('answers a preflight and exposes the xAPI headers to browser content', async () => {
    const lrs = makeLrs();
    const preflight = await lrs.app.request('http://lrs.test/xapi/statements', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://course.example.com',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'authorization, content-type, x-experience-api-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('https://course.example.com');
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toContain('PUT');
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain('x-experience-api-version');
    const response = await lrs.call('GET', '/statements', {
      headers: { Origin: 'https://course.example.com' },
    });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://course.example.com');
    expect(response.headers.get('Access-Control-Expose-Headers')).toContain(
      'X-Experience-API-Consistent-Through',
    );
    expect(response.headers.get('Access-Control-Expose-Headers')).toContain('ETag');
  });
});

describe('alternate request syntax (Communication 1.3)', () => {
  it('XAPI-00148 XAPI-00336 answers a GET sent as a form POST', async () => {
    const lrs = makeLrs();
    await lrs.call('POST', '/statements', { json: [statement(), statement()] });
    const response = await lrs.call('POST', '/statements?method=GET', {
      body: form({ limit: '1' }),
      headers: FORM,
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { statements: unknown[]; more: string };
    expect(result.statements).toHaveLength(1);
    expect(result.more).not.toBe('');
  });

  it('XAPI-00336 stores a PUT sent as a form POST with the headers as form fields', async () => {
    const lrs = makeLrs();
    const statementId = uuid();
    const response = await lrs.app.request(`http://lrs.test/xapi/statements?method=PUT`, {
      method: 'POST',
      headers: FORM,
      body: form({
        statementId,
        content: JSON.stringify(statement()),
        Authorization: basic('alice'),
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
      }),
    });
    expect(response.status).toBe(204);
    expect((await lrs.call('GET', '/statements', { query: { statementId } })).status).toBe(200);
  });

  it('XAPI-00336 a header form field is the header: it wins over the same real header', async () => {
    const lrs = makeLrs();
    const response = await lrs.call('POST', '/statements?method=PUT', {
      body: form({
        statementId: uuid(),
        content: JSON.stringify(statement()),
        'X-Experience-API-Version': '0.8',
      }),
      headers: { ...FORM },
    });
    expect(response.status).toBe(400);
  });

  it('rejects method= on anything but POST, other query parameters, and a body that is not a form', async () => {
    const lrs = makeLrs();
    const body = form({ content: JSON.stringify(statement()) });
    expect((await lrs.call('GET', '/statements?method=POST', {})).status).toBe(400);
    expect(
      (await lrs.call('POST', `/statements?method=PUT&statementId=${uuid()}`, { body, headers: FORM }))
        .status,
    ).toBe(400);
    const notForm = await lrs.app.request('http://lrs.test/xapi/statements?method=PUT', {
      method: 'POST',
      headers: FORM,
      body: JSON.stringify({ statementId: uuid(), content: '{}' }),
    });
    expect(notForm.status).toBe(400);
    expect((await lrs.call('POST', '/statements?method=PUT', { headers: FORM })).status).toBe(400);
    expect((await lrs.call('POST', '/statements?method=PATCH', { body, headers: FORM })).status).toBe(400);
    // Without method=, a form body is content: not statements, but a document may be anything.
    expect((await lrs.call('POST', '/statements', { body, headers: FORM })).status).toBe(400);
  });

  it('works for documents, including DELETE', async () => {
    const lrs = makeLrs();
    const params = {
      activityId: 'http://example.com/a',
      agent: JSON.stringify({ mbox: 'mailto:a@example.com' }),
      stateId: 'bookmark',
    };
    const put = await lrs.call('POST', '/activities/state?method=PUT', {
      body: form({ ...params, content: '{"page":3}', 'Content-Type': 'application/json' }),
      headers: FORM,
    });
    expect(put.status).toBe(204);
    const get = await lrs.call('GET', '/activities/state', { query: params });
    expect(await get.json()).toEqual({ page: 3 });
    expect(get.headers.get('Content-Type')).toBe('application/json');
    const del = await lrs.call('POST', '/activities/state?method=DELETE', {
      body: form(params),
      headers: FORM,
    });
    expect(del.status).toBe(204);
    expect((await lrs.call('GET', '/activities/state', { query: params })).status).toBe(404);
  });
});

describe('About and Agents resources', () => {
  it('XAPI-00315 XAPI-00316 XAPI-00317 XAPI-00318 XAPI-00319 lists the supported versions', async () => {
    const lrs = makeLrs();
    const response = await lrs.call('GET', '/about', { user: null });
    expect(response.status).toBe(200);
    const about = (await response.json()) as { version: string[] };
    expect(about).toEqual({ version: ['1.0.0', '1.0.1', '1.0.2', '1.0.3'] });
  });

  it('XAPI-00236 XAPI-00237 XAPI-00238 XAPI-00239 XAPI-00247 XAPI-00248 returns the Person of an Agent', async () => {
    const lrs = makeLrs();
    const agent = { objectType: 'Agent', name: 'Ann', mbox: 'mailto:ann@example.com' };
    const response = await lrs.call('GET', '/agents', { query: { agent: JSON.stringify(agent) } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      objectType: 'Person',
      name: ['Ann'],
      mbox: ['mailto:ann@example.com'],
    });
    const account = { account: { homePage: 'http://example.com', name: 'ann' } };
    const byAccount = await lrs.call('GET', '/agents', { query: { agent: JSON.stringify(account) } });
    expect(await byAccount.json()).toEqual({ objectType: 'Person', account: [account.account] });
  });

  it('XAPI-00243 XAPI-00249 rejects a missing or invalid agent', async () => {
    const lrs = makeLrs();
    expect((await lrs.call('GET', '/agents')).status).toBe(400);
    for (const agent of ['{"mbox":"ann@example.com"}', 'nope', '{"objectType":"Group","member":[]}']) {
      expect((await lrs.call('GET', '/agents', { query: { agent } })).status, agent).toBe(400);
    }
  });
});

describe('mounting', () => {
  it('serves the resources under any mount path', async () => {
    const { Hono } = await import('hono');
    const { lrsApp, memoryLrsStore } = await import('../src/index.js');
    const app = new Hono();
    const { authenticate } = await import('./helpers.js');
    app.route('/deep/lrs/xapi', lrsApp({ store: memoryLrsStore(), authenticate, maxStatementsPerPage: 1 }));
    const headers = { Authorization: basic('alice'), 'X-Experience-API-Version': '1.0.3' };
    for (let k = 0; k < 2; k++) {
      await app.request('http://x/deep/lrs/xapi/statements', {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(statement()),
      });
    }
    const page = (await (await app.request('http://x/deep/lrs/xapi/statements', { headers })).json()) as {
      more: string;
    };
    expect(page.more).toMatch(/^\/deep\/lrs\/xapi\/statements\?more=/);
    expect((await app.request(`http://x${page.more}`, { headers })).status).toBe(200);
  });
});

describe('X-Experience-API-Consistent-Through', () => {
  it('stays before a write the host stamped on the clock it gave the app', async () => {
    const start = Date.UTC(2026, 0, 1);
    const clock = { ms: start };
    const now = () => new Date(clock.ms);
    const shared = storingClock(now);
    const app = lrsApp({ store: memoryLrsStore(), authenticate, now, storingClock: shared });
    const headers = { Authorization: basic('alice'), 'X-Experience-API-Version': VERSION };
    const through = async () =>
      (await app.request('/statements', { headers })).headers.get('X-Experience-API-Consistent-Through');
    const write = shared.stamp();
    expect(write.stored).toBe(new Date(start).toISOString());
    clock.ms += 500;
    expect(await through()).toBe(new Date(start - 1).toISOString());
    write.done();
    write.done();
    expect(await through()).toBe(new Date(start + 499).toISOString());
  });

  it('stays before the stored time of a statement write still under way, then catches up', async () => {
    const memory = memoryLrsStore();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let writing = false;
    const store: LrsStore = {
      ...memory,
      async insertStatements(scope, statements, extras) {
        writing = true;
        await held;
        return memory.insertStatements(scope, statements, extras);
      },
    };
    const start = Date.UTC(2026, 0, 1);
    const clock = { ms: start };
    const app = lrsApp({ store, authenticate, now: () => new Date(clock.ms) });
    const headers = { Authorization: basic('alice'), 'X-Experience-API-Version': VERSION };
    const through = async () =>
      (await app.request('/statements', { headers })).headers.get('X-Experience-API-Consistent-Through');

    expect(await through()).toBe(new Date(start - 1).toISOString());
    const posted = app.request('/statements', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(statement()),
    });
    await vi.waitFor(() => expect(writing).toBe(true));
    clock.ms += 1000;
    // The statement has stored = start, and no query can see it yet.
    expect(await through()).toBe(new Date(start - 1).toISOString());
    release();
    expect((await posted).status).toBe(200);
    expect(await through()).toBe(new Date(start + 999).toISOString());
  });

  it("takes the store's answer when it is earlier (the writes of other processes), and fails without one", async () => {
    const start = Date.UTC(2026, 0, 1);
    const now = () => new Date(start);
    const memory = memoryLrsStore();
    let storeSays: Date | Error = new Date(start - 5000);
    const store: LrsStore = {
      ...memory,
      async consistentThrough() {
        if (storeSays instanceof Error) throw storeSays;
        return storeSays;
      },
    };
    const app = lrsApp({ store, authenticate, now });
    const headers = { Authorization: basic('alice'), 'X-Experience-API-Version': VERSION };
    const get = () => app.request('/statements', { headers });
    expect((await get()).headers.get('X-Experience-API-Consistent-Through')).toBe(
      new Date(start - 5000).toISOString(),
    );
    // A store ahead of the app's clock: the clock's answer (its own writes under way).
    storeSays = new Date(start + 5000);
    expect((await get()).headers.get('X-Experience-API-Consistent-Through')).toBe(
      new Date(start - 1).toISOString(),
    );
    // Nothing is promised that cannot be: a store that cannot answer makes the request a 500.
    storeSays = new Error('database gone');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failed = await get();
    errors.mockRestore();
    expect(failed.status).toBe(500);
    expect(failed.headers.get('X-Experience-API-Consistent-Through')).toBeNull();
    // Documents never ask the store.
    storeSays = new Error('not asked');
    const state = await app.request(
      `/activities/state?${new URLSearchParams({ activityId: 'http://example.com/a', agent: JSON.stringify({ mbox: 'mailto:a@example.com' }), stateId: 's' })}`,
      { headers },
    );
    expect(state.status).toBe(404);
  });

  it('queries only once the store has answered, so that what it promises is in the answer', async () => {
    const memory = memoryLrsStore();
    const events: string[] = [];
    let answer!: (at: Date) => void;
    const store: LrsStore = {
      ...memory,
      consistentThrough() {
        events.push('asked');
        return new Promise<Date>((resolve) => {
          answer = (at) => {
            events.push('answered');
            resolve(at);
          };
        });
      },
      async queryStatements(scope, query) {
        events.push('query');
        return memory.queryStatements(scope, query);
      },
      async insertStatements(scope, statements, extras) {
        events.push('insert');
        return memory.insertStatements(scope, statements, extras);
      },
    };
    const app = lrsApp({ store, authenticate });
    const headers = { Authorization: basic('alice'), 'X-Experience-API-Version': VERSION };
    // A read waits for the store's answer, then queries.
    const queriesAfterAnswer = async (read: Response | Promise<Response>, waited?: () => Promise<void>) => {
      await vi.waitFor(() => expect(events).toEqual(['asked']));
      await waited?.();
      answer(new Date(Date.UTC(2026, 0, 1)));
      expect((await read).status).toBe(200);
      expect(events).toEqual(['asked', 'answered', 'query']);
      events.length = 0;
    };
    await queriesAfterAnswer(app.request('/statements', { headers }), async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events).toEqual(['asked']);
    });
    // The same read in the alternate request syntax.
    await queriesAfterAnswer(
      app.request('/statements?method=GET', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          Authorization: basic('alice'),
          'X-Experience-API-Version': VERSION,
        }).toString(),
      }),
    );
    // A write returns no statements: it need not wait.
    const write = app.request('/statements', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(statement()),
    });
    await vi.waitFor(() => expect(events).toEqual(['asked', 'insert']));
    answer(new Date(Date.UTC(2026, 0, 1)));
    expect((await write).status).toBe(200);
  });
});
