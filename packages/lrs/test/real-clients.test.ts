import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import XAPI from '@xapi/xapi';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lrsApp, memoryLrsStore } from '../src/index.js';
import { authenticate } from './helpers.js';

/** tincanjs is CommonJS without types: the few members these tests use. */
interface TinCanResult {
  statements: { id: string; verb: { id: string } }[];
  more: string | null;
}
type Callback<T> = (error: unknown, value: T) => void;
interface TinCanLrs {
  saveStatement(statement: unknown, cfg: { callback: Callback<unknown> }): void;
  retrieveStatement(
    id: string,
    cfg: { callback: Callback<{ id: string; verb: { id: string } } | null> },
  ): void;
  queryStatements(cfg: { params: Record<string, unknown>; callback: Callback<TinCanResult> }): void;
  moreStatements(cfg: { url: string; callback: Callback<TinCanResult> }): void;
  saveState(key: string, value: unknown, cfg: Record<string, unknown>): void;
  retrieveState(key: string, cfg: Record<string, unknown>): void;
}
interface TinCanModule {
  LRS: new (cfg: Record<string, unknown>) => TinCanLrs;
  Statement: new (cfg: Record<string, unknown>) => unknown;
  Verb: new (cfg: Record<string, unknown>) => unknown;
  Agent: new (cfg: Record<string, unknown>) => unknown;
  Activity: new (cfg: Record<string, unknown>) => unknown;
}

const TinCan = createRequire(import.meta.url)('tincanjs') as TinCanModule;

const promised = <T>(run: (callback: Callback<T>) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

let server: ReturnType<typeof serve>;
let endpoint = '';

beforeAll(async () => {
  const app = new Hono().route(
    '/xapi',
    lrsApp({ store: memoryLrsStore(), authenticate, maxStatementsPerPage: 50 }),
  );
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('@xapi/xapi against a started server', () => {
  const agent = { objectType: 'Agent' as const, mbox: 'mailto:client@example.com' };
  const client = () =>
    new XAPI({ endpoint, auth: XAPI.toBasicAuth('alice', 'secret'), version: '1.0.3', adapter: 'fetch' });

  it('writes and reads statements, pages with more, voids', async () => {
    const xapi = client();
    const verb = { id: `http://example.com/verbs/${crypto.randomUUID()}` };
    const ids: string[] = [];
    for (let k = 0; k < 3; k++) {
      const sent = await xapi.sendStatement({
        statement: {
          actor: agent,
          verb,
          object: { objectType: 'Activity', id: `http://example.com/a/${k}` },
        },
      });
      ids.push(...sent.data);
    }
    const one = await xapi.getStatement({ statementId: ids[0]! });
    expect(one.data.id).toBe(ids[0]);
    const page = await xapi.getStatements({ verb: verb.id, limit: 2 });
    expect(page.data.statements.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    expect(page.data.more).toBeTruthy();
    const next = await xapi.getMoreStatements({ more: page.data.more! });
    const nextPage = next.data as { statements: { id?: string }[] };
    expect(nextPage.statements.map((s) => s.id)).toEqual([ids[0]]);
    await xapi.voidStatement({ actor: agent, statementId: ids[0]! });
    const voided = await xapi.getVoidedStatement({ voidedStatementId: ids[0]! });
    expect(voided.data.id).toBe(ids[0]);
    await expect(xapi.getStatement({ statementId: ids[0]! })).rejects.toBeTruthy();
  });

  it('sends an attachment as multipart and reads it back with attachments=true', async () => {
    const xapi = client();
    const content = new TextEncoder().encode('attachment from @xapi/xapi');
    const digest = await crypto.subtle.digest('SHA-256', content);
    const sha2 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const sent = await xapi.sendStatement({
      statement: {
        actor: agent,
        verb: { id: 'http://example.com/verbs/attached' },
        object: { objectType: 'Activity', id: 'http://example.com/attached' },
        attachments: [
          {
            usageType: 'http://example.com/usage',
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
    const got = await xapi.getStatement({ statementId: id!, attachments: true });
    expect(JSON.stringify(got.data)).toContain(id);
  });

  it('stores state and profiles, reads the Person and the About', async () => {
    const xapi = client();
    const activityId = 'http://example.com/state-activity';
    await xapi.setState({ agent, activityId, stateId: 'bookmark', state: { page: 7 } });
    const state = await xapi.getState({ agent, activityId, stateId: 'bookmark' });
    expect(state.data).toEqual({ page: 7 });
    expect((await xapi.getStates({ agent, activityId })).data).toEqual(['bookmark']);
    await xapi.setActivityProfile({
      activityId,
      profileId: 'p',
      profile: { a: 1 },
      etag: '*',
      matchHeader: 'If-None-Match',
    });
    expect((await xapi.getActivityProfile({ activityId, profileId: 'p' })).data).toEqual({ a: 1 });
    const person = await xapi.getAgent({ agent });
    expect(person.data).toEqual({ objectType: 'Person', mbox: ['mailto:client@example.com'] });
    const about = await xapi.getAbout();
    expect(about.data.version).toContain('1.0.3');
  });
});

describe('tincanjs against a started server', () => {
  const lrs = () =>
    new TinCan.LRS({ endpoint, username: 'alice', password: 'secret', version: '1.0.2', allowFail: false });

  it('saves, retrieves and queries statements, following more links', async () => {
    const client = lrs();
    const verbId = `http://example.com/verbs/${crypto.randomUUID()}`;
    for (let k = 0; k < 3; k++) {
      const statement = new TinCan.Statement({
        actor: { mbox: 'mailto:tincan@example.com' },
        verb: { id: verbId },
        target: { id: `http://example.com/tincan/${k}` },
      });
      await promised((callback) => client.saveStatement(statement, { callback }));
    }
    const first = await promised<TinCanResult>((callback) =>
      client.queryStatements({ params: { verb: new TinCan.Verb({ id: verbId }), limit: 2 }, callback }),
    );
    expect(first.statements).toHaveLength(2);
    expect(first.more).toBeTruthy();
    const second = await promised<TinCanResult>((callback) =>
      client.moreStatements({ url: first.more!, callback }),
    );
    expect(second.statements).toHaveLength(1);
    const again = await promised<{ id: string; verb: { id: string } } | null>((callback) =>
      client.retrieveStatement(second.statements[0]!.id, { callback }),
    );
    expect(again?.verb.id).toBe(verbId);
  });

  it('saves and retrieves state documents', async () => {
    const client = lrs();
    const agent = new TinCan.Agent({ mbox: 'mailto:tincan@example.com' });
    const activity = new TinCan.Activity({ id: 'http://example.com/tincan/state' });
    await promised((callback) =>
      client.saveState(
        'resume',
        { slide: 4 },
        { agent, activity, contentType: 'application/json', callback },
      ),
    );
    const state = await promised<{ contents: unknown }>((callback) =>
      client.retrieveState('resume', { agent, activity, callback }),
    );
    expect(state.contents).toEqual({ slide: 4 });
  });
});
