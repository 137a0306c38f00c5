import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import XAPI from '@xapi/xapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, type RunningServer, startServer } from '../src/index.js';

/** tincanjs is CommonJS without types: the members these tests use. */
type Callback<T> = (error: unknown, value: T) => void;
interface TinCanStatement {
  id: string;
  verb: { id: string };
  target: { id: string };
  attachments?: { sha2: string; content?: ArrayBuffer }[] | null;
}
interface TinCanResult {
  statements: TinCanStatement[];
  more: string | null;
}
interface TinCanLrs {
  saveStatement(statement: unknown, cfg: { callback: Callback<{ status: number }> }): void;
  saveStatements(statements: unknown[], cfg: { callback: Callback<{ status: number }> }): void;
  retrieveStatement(id: string, cfg: { params?: object; callback: Callback<TinCanStatement | null> }): void;
  retrieveVoidedStatement(id: string, cfg: { callback: Callback<TinCanStatement | null> }): void;
  queryStatements(cfg: { params: Record<string, unknown>; callback: Callback<TinCanResult> }): void;
  moreStatements(cfg: { url: string; callback: Callback<TinCanResult> }): void;
  saveState(key: string, value: unknown, cfg: Record<string, unknown>): void;
  retrieveState(key: string, cfg: Record<string, unknown>): void;
  retrieveStateIds(cfg: Record<string, unknown>): void;
  saveActivityProfile(key: string, value: unknown, cfg: Record<string, unknown>): void;
  retrieveActivityProfile(key: string, cfg: Record<string, unknown>): void;
  saveAgentProfile(key: string, value: unknown, cfg: Record<string, unknown>): void;
  retrieveAgentProfile(key: string, cfg: Record<string, unknown>): void;
}
interface TinCanModule {
  LRS: new (cfg: Record<string, unknown>) => TinCanLrs;
  Statement: new (cfg: Record<string, unknown>, options?: object) => { id: string };
  Agent: new (cfg: Record<string, unknown>) => unknown;
  Activity: new (cfg: Record<string, unknown>) => unknown;
}
interface TinCanDocument {
  contents: unknown;
  etag: string;
  id: string;
}

const requireHere = createRequire(import.meta.url);
/** The Node build of tincanjs (requests through its xhr2 dependency, never the alternate syntax). */
const TinCanNode = requireHere('tincanjs') as TinCanModule;

/**
 * The browser build of tincanjs in a context with the globals of a page at `origin` and xhr2 as
 * `XMLHttpRequest`: its request code converts any request whose URL reaches 2,048 characters to
 * the alternate request syntax (`POST ?method=`), as it does in a browser. The Node build has no
 * such path.
 */
function tinCanBrowser(origin: URL, opened: string[]): TinCanModule {
  const path = requireHere.resolve('tincanjs/build/tincan.js');
  const Xhr2 = createRequire(path)('xhr2') as new () => { open(method: string, url: string): void };
  // Records what the library opens, to show which requests went out in the alternate syntax.
  const XMLHttpRequest = class extends Xhr2 {
    override open(method: string, url: string, ...rest: unknown[]): void {
      opened.push(`${method} ${url}`);
      (Xhr2.prototype.open as (...a: unknown[]) => void).call(this, method, url, ...rest);
    }
  };
  const location = {
    protocol: origin.protocol,
    hostname: origin.hostname,
    port: origin.port,
    href: origin.href,
  };
  const context: Record<string, unknown> = {
    console,
    setTimeout,
    clearTimeout,
    XMLHttpRequest,
    location,
    Blob,
    ArrayBuffer,
    Uint8Array,
  };
  context.window = context;
  context.self = context;
  vm.createContext(context);
  vm.runInContext(readFileSync(path, 'utf8'), context, { filename: path });
  return context.TinCan as TinCanModule;
}

const promised = <T>(run: (callback: Callback<T>) => void): Promise<T> =>
  new Promise((resolve, reject) =>
    run((error, value) => (error ? reject(new Error(`tincanjs: ${String(error)}`)) : resolve(value))),
  );

let dir: string;
let server: RunningServer;
let endpoint: string;
let key: string;
let secret: string;
let otherAuth: string;
let authority: unknown;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scormflow-xapi-clients-'));
  const env = loadEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'engine.db')}`,
    STORAGE_LOCAL_DIR: join(dir, 'blobs'),
    JWT_SECRET: 'xapi-clients-secret-0123456789abcdef0123456789',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  server = await startServer(env, () => {});
  const boot = server.built.bootstrap;
  if (!boot.created || !boot.secret) throw new Error('expected a new database');
  const api = async (path: string, bearer: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as Record<string, unknown>;
  };
  // Credentials as an integrator makes them: POST /api/v1/xapi/credentials with an admin key.
  const made = (await api('/api/v1/xapi/credentials', boot.secret, { name: 'clients' })) as {
    key: string;
    secret: string;
    endpoint: string;
    authority: unknown;
  };
  expect(made.endpoint).toBe(`${server.url}/xapi/`);
  endpoint = made.endpoint;
  key = made.key;
  secret = made.secret;
  authority = made.authority;
  const tenant = (await api('/api/v1/admin/tenants', boot.secret, { name: 'Other' })) as {
    apiKey: { secret: string };
  };
  const other = (await api('/api/v1/xapi/credentials', tenant.apiKey.secret, { name: 'other' })) as {
    key: string;
    secret: string;
  };
  otherAuth = XAPI.toBasicAuth(other.key, other.secret);
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('@xapi/xapi against the started engine', () => {
  const agent = { objectType: 'Agent' as const, mbox: `mailto:xapijs-${randomUUID()}@example.com` };
  const client = (auth = XAPI.toBasicAuth(key, secret)) =>
    new XAPI({ endpoint, auth, version: '1.0.3', adapter: 'fetch' });

  it('sends single and batched statements and queries them with every filter and more links', async () => {
    const xapi = client();
    const registration = randomUUID();
    const verb = { id: `https://example.com/verbs/${randomUUID()}` };
    const activity = (k: number) => ({
      objectType: 'Activity' as const,
      id: `https://example.com/acts/${k}`,
    });
    const single = await xapi.sendStatement({
      statement: { actor: agent, verb, object: activity(0), context: { registration } },
    });
    expect(single.data).toHaveLength(1);
    const batch = await xapi.sendStatements({
      statements: [1, 2, 3, 4].map((k) => ({
        actor: agent,
        verb,
        object: activity(k % 2),
        context: { registration },
      })),
    });
    expect(batch.data).toHaveLength(4);
    const ids = [...single.data, ...batch.data];

    const one = await xapi.getStatement({ statementId: ids[0]! });
    expect(one.data.id).toBe(ids[0]);
    expect(authority).toMatchObject({ objectType: 'Agent' });
    expect(one.data.authority).toEqual(authority);
    expect(
      one.headers['x-experience-api-consistent-through'] ??
        one.headers['X-Experience-API-Consistent-Through'],
    ).toBeTruthy();

    const byAll = await xapi.getStatements({ agent, verb: verb.id, activity: activity(0).id, registration });
    expect(byAll.data.statements.map((s) => s.id).sort()).toEqual([ids[0], ids[2], ids[4]].sort());

    const pages: string[] = [];
    let page = await xapi.getStatements({ registration, limit: 2, ascending: true });
    pages.push(...page.data.statements.map((s) => s.id!));
    while (page.data.more) {
      page = (await xapi.getMoreStatements({ more: page.data.more })) as typeof page;
      pages.push(...page.data.statements.map((s) => s.id!));
    }
    expect(pages).toEqual(ids);

    // Another tenant's credentials see none of it.
    const other = await client(otherAuth).getStatements({ registration });
    expect(other.data.statements).toEqual([]);
    await expect(client(otherAuth).getStatement({ statementId: ids[0]! })).rejects.toBeTruthy();

    await xapi.voidStatement({ actor: agent, statementId: ids[1]! });
    const voided = await xapi.getVoidedStatement({ voidedStatementId: ids[1]! });
    expect(voided.data.id).toBe(ids[1]);
    await expect(xapi.getStatement({ statementId: ids[1]! })).rejects.toBeTruthy();
    const after = await xapi.getStatements({ registration, verb: verb.id });
    expect(after.data.statements.map((s) => s.id)).not.toContain(ids[1]);
  });

  it('writes state, activity and agent profile documents with ETags', async () => {
    const xapi = client();
    const activityId = `https://example.com/doc-activity/${randomUUID()}`;
    const registration = randomUUID();
    await xapi.setState({ agent, activityId, stateId: 'bookmark', registration, state: { page: 1 } });
    await xapi.createState({ agent, activityId, stateId: 'bookmark', registration, state: { seen: true } });
    const state = await xapi.getState({ agent, activityId, stateId: 'bookmark', registration });
    expect(state.data).toEqual({ page: 1, seen: true });
    expect((await xapi.getStates({ agent, activityId, registration })).data).toEqual(['bookmark']);
    await xapi.deleteStates({ agent, activityId, registration });
    expect((await xapi.getStates({ agent, activityId, registration })).data).toEqual([]);

    await xapi.setActivityProfile({
      activityId,
      profileId: 'settings',
      profile: { theme: 'dark' },
      etag: '*',
      matchHeader: 'If-None-Match',
    });
    const profile = await xapi.getActivityProfile({ activityId, profileId: 'settings' });
    const etag = String(profile.headers.etag);
    expect(etag).toBe(
      `"${createHash('sha1')
        .update(JSON.stringify({ theme: 'dark' }))
        .digest('hex')}"`,
    );
    await xapi.setActivityProfile({
      activityId,
      profileId: 'settings',
      profile: { theme: 'light' },
      etag,
      matchHeader: 'If-Match',
    });
    // The old tag no longer matches: 412, and the document is unchanged.
    await expect(
      xapi.setActivityProfile({
        activityId,
        profileId: 'settings',
        profile: { theme: 'stale' },
        etag,
        matchHeader: 'If-Match',
      }),
    ).rejects.toThrow(/"status":412/);
    expect((await xapi.getActivityProfile({ activityId, profileId: 'settings' })).data).toEqual({
      theme: 'light',
    });

    await xapi.setAgentProfile({
      agent,
      profileId: 'prefs',
      profile: { lang: 'fr' },
      etag: '*',
      matchHeader: 'If-None-Match',
    });
    await expect(
      xapi.setAgentProfile({
        agent,
        profileId: 'prefs',
        profile: { lang: 'de' },
        etag: '*',
        matchHeader: 'If-None-Match',
      }),
    ).rejects.toThrow(/"status":412/);
    expect((await xapi.getAgentProfile({ agent, profileId: 'prefs' })).data).toEqual({ lang: 'fr' });
    expect((await xapi.getAgentProfiles({ agent })).data).toEqual(['prefs']);
    await expect(client(otherAuth).getAgentProfile({ agent, profileId: 'prefs' })).rejects.toThrow(
      /"status":404/,
    );
  });

  it('sends an attachment as multipart/mixed and reads it back', async () => {
    const xapi = client();
    const content = new TextEncoder().encode(`attachment ${randomUUID()}`);
    const sha2 = createHash('sha256').update(content).digest('hex');
    const sent = await xapi.sendStatement({
      statement: {
        actor: agent,
        verb: { id: 'https://example.com/verbs/attached' },
        object: { objectType: 'Activity', id: 'https://example.com/attached' },
        attachments: [
          {
            usageType: 'https://example.com/usage/note',
            display: { 'en-US': 'note' },
            contentType: 'text/plain',
            length: content.byteLength,
            sha2,
          },
        ],
      },
      attachments: [content.buffer as ArrayBuffer],
    });
    const [id] = sent.data;
    const res = await fetch(`${endpoint}statements?statementId=${id}&attachments=true`, {
      headers: { authorization: XAPI.toBasicAuth(key, secret), 'x-experience-api-version': '1.0.3' },
    });
    expect(res.headers.get('content-type')).toMatch(/^multipart\/mixed; *boundary=/);
    const body = Buffer.from(await res.arrayBuffer()).toString('utf8');
    expect(body).toContain(`X-Experience-API-Hash: ${sha2}`);
    expect(body).toContain(new TextDecoder().decode(content));
  });
});

describe('tincanjs against the started engine', () => {
  // tincanjs 0.50 knows xAPI up to 1.0.2; the LRS accepts any 1.0.x.
  const lrsConfig = () => ({ endpoint, username: key, password: secret, allowFail: false, version: '1.0.2' });
  const actor = { mbox: `mailto:tincan-${randomUUID()}@example.com` };

  it('saves, retrieves, queries with more, and voids statements (Node build)', async () => {
    const lrs = new TinCanNode.LRS(lrsConfig());
    const verbId = `https://example.com/verbs/${randomUUID()}`;
    const made = [0, 1, 2].map(
      (k) =>
        new TinCanNode.Statement({
          actor,
          verb: { id: verbId },
          target: { id: `https://example.com/tincan/${k}` },
        }),
    );
    await promised((cb) => lrs.saveStatement(made[0], { callback: cb }));
    await promised((cb) => lrs.saveStatements(made.slice(1), { callback: cb }));
    const got = await promised<TinCanStatement | null>((cb) =>
      lrs.retrieveStatement(made[0]!.id, { callback: cb }),
    );
    expect(got?.verb.id).toBe(verbId);
    const first = await promised<TinCanResult>((cb) =>
      lrs.queryStatements({
        params: { verb: { id: verbId }, agent: new TinCanNode.Agent(actor), limit: 2 },
        callback: cb,
      }),
    );
    expect(first.statements).toHaveLength(2);
    expect(first.more).toMatch(/^\/xapi\/statements\?more=/);
    const rest = await promised<TinCanResult>((cb) => lrs.moreStatements({ url: first.more!, callback: cb }));
    expect([...first.statements, ...rest.statements].map((s) => s.id).sort()).toEqual(
      made.map((s) => s.id).sort(),
    );

    const voiding = new TinCanNode.Statement({
      actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
      target: { objectType: 'StatementRef', id: made[2]!.id },
    });
    await promised((cb) => lrs.saveStatement(voiding, { callback: cb }));
    const voided = await promised<TinCanStatement | null>((cb) =>
      lrs.retrieveVoidedStatement(made[2]!.id, { callback: cb }),
    );
    expect(voided?.id).toBe(made[2]!.id);
  });

  it('saves and reads documents with ETags (Node build)', async () => {
    const lrs = new TinCanNode.LRS(lrsConfig());
    const activity = new TinCanNode.Activity({ id: `https://example.com/tincan-docs/${randomUUID()}` });
    const agent = new TinCanNode.Agent(actor);
    await promised((cb) =>
      lrs.saveState(
        'progress',
        { at: 3 },
        { activity, agent, contentType: 'application/json', callback: cb },
      ),
    );
    const state = await promised<TinCanDocument>((cb) =>
      lrs.retrieveState('progress', { activity, agent, callback: cb }),
    );
    expect(state.contents).toEqual({ at: 3 });
    const ids = await promised<string[]>((cb) => lrs.retrieveStateIds({ activity, agent, callback: cb }));
    expect(ids).toEqual(['progress']);

    await promised((cb) =>
      lrs.saveActivityProfile('cfg', { v: 1 }, { activity, contentType: 'application/json', callback: cb }),
    );
    const profile = await promised<TinCanDocument>((cb) =>
      lrs.retrieveActivityProfile('cfg', { activity, callback: cb }),
    );
    expect(profile.etag).toMatch(/^"?[0-9a-f]{40}"?$/);
    await promised((cb) =>
      lrs.saveActivityProfile(
        'cfg',
        { v: 2 },
        {
          activity,
          lastSHA1: profile.etag.replaceAll('"', ''),
          contentType: 'application/json',
          callback: cb,
        },
      ),
    );
    // A write with the stale tag fails (412).
    await expect(
      promised((cb) =>
        lrs.saveActivityProfile(
          'cfg',
          { v: 3 },
          {
            activity,
            lastSHA1: profile.etag.replaceAll('"', ''),
            contentType: 'application/json',
            callback: cb,
          },
        ),
      ),
    ).rejects.toThrow(/412/);
    const now = await promised<TinCanDocument>((cb) =>
      lrs.retrieveActivityProfile('cfg', { activity, callback: cb }),
    );
    expect(now.contents).toEqual({ v: 2 });

    await promised((cb) =>
      lrs.saveAgentProfile('card', 'plain text', { agent, contentType: 'text/plain', callback: cb }),
    );
    const card = await promised<TinCanDocument>((cb) =>
      lrs.retrieveAgentProfile('card', { agent, callback: cb }),
    );
    expect(card.contents).toBe('plain text');
  });

  it('sends an attachment and reads it back with attachments=true (Node build)', async () => {
    const lrs = new TinCanNode.LRS(lrsConfig());
    const text = `tincan attachment ${randomUUID()}`;
    const statement = new TinCanNode.Statement(
      {
        actor,
        verb: { id: 'https://example.com/verbs/attached' },
        target: { id: 'https://example.com/tincan/attached' },
        attachments: [
          {
            usageType: 'https://example.com/usage/note',
            display: { 'en-US': 'note' },
            contentType: 'text/plain',
            content: text,
          },
        ],
      },
      {},
    );
    await promised((cb) => lrs.saveStatement(statement, { callback: cb }));
    const back = await promised<TinCanStatement | null>((cb) =>
      lrs.retrieveStatement(statement.id, { params: { attachments: true }, callback: cb }),
    );
    expect(back?.attachments?.[0]?.sha2).toBe(createHash('sha256').update(text).digest('hex'));
    expect(Buffer.from(back!.attachments![0]!.content!).toString('utf8')).toBe(text);
  });

  it('uses the alternate request syntax for long requests (browser build) and the LRS answers them', async () => {
    const opened: string[] = [];
    const TinCan = tinCanBrowser(new URL(server.url), opened);
    const lrs = new TinCan.LRS(lrsConfig());
    // An activity IRI long enough that the request URL passes tincanjs's 2,048-character limit.
    const activityId = `https://example.com/long/${'x'.repeat(2100)}`;
    const statement = new TinCan.Statement({
      actor,
      verb: { id: 'https://example.com/verbs/long' },
      target: { id: activityId },
    });
    await promised((cb) => lrs.saveStatement(statement, { callback: cb }));
    const found = await promised<TinCanResult>((cb) =>
      lrs.queryStatements({ params: { activity: new TinCan.Activity({ id: activityId }) }, callback: cb }),
    );
    expect(found.statements.map((s) => s.id)).toEqual([statement.id]);

    const activity = new TinCan.Activity({ id: activityId });
    const agent = new TinCan.Agent(actor);
    await promised((cb) =>
      lrs.saveState('long', { ok: true }, { activity, agent, contentType: 'application/json', callback: cb }),
    );
    const state = await promised<TinCanDocument>((cb) =>
      lrs.retrieveState('long', { activity, agent, callback: cb }),
    );
    expect(state.contents).toEqual({ ok: true });
    const paths = opened.map((line) => line.replace(server.url, ''));
    expect(paths).toEqual([
      `PUT /xapi/statements?statementId=${statement.id}`,
      'POST /xapi/statements?method=GET',
      'POST /xapi/activities/state?method=PUT',
      'POST /xapi/activities/state?method=GET',
    ]);
  });

  it('accepts a statement sent as sendBeacon would: one form POST with ?method=PUT', async () => {
    const id = randomUUID();
    const statement = {
      id,
      actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/suspended' },
      object: { id: 'https://example.com/unload' },
    };
    const form = new URLSearchParams({
      statementId: id,
      Authorization: XAPI.toBasicAuth(key, secret),
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
      content: JSON.stringify(statement),
    });
    // What navigator.sendBeacon(url, new URLSearchParams(...)) sends: no custom headers at all.
    const res = await fetch(`${endpoint}statements?method=PUT`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: form.toString(),
    });
    expect(res.status).toBe(204);
    const got = await client().getStatement({ statementId: id });
    expect(got.data.verb.id).toBe('http://adlnet.gov/expapi/verbs/suspended');

    function client() {
      return new XAPI({ endpoint, auth: XAPI.toBasicAuth(key, secret), version: '1.0.3', adapter: 'fetch' });
    }
  });
});
