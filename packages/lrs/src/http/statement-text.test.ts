import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { lrsApp } from '../lrs-app.js';
import { memoryLrsStore } from '../memory-lrs-store.js';
import type { LrsStore, StatementRecord } from '../store.js';
import type { LrsPrincipal } from './common.js';
import { statementResultText } from './statement-text.js';

const PRINCIPAL: LrsPrincipal = {
  tenantId: 'tenant-a',
  authority: { objectType: 'Agent', account: { homePage: 'https://lrs.example.com', name: 'a' } },
};

/**
 * A memory store whose records carry `json` made by `text` (as SQL stores carry their column),
 * so that answers spliced from text can be compared with answers serialised from objects.
 */
function textStore(base: LrsStore, text: (statement: unknown) => string): LrsStore {
  const withText = (r: StatementRecord): StatementRecord => ({ ...r, json: text(r.statement) });
  return {
    ...base,
    getStatements: async (scope, ids) => (await base.getStatements(scope, ids)).map(withText),
    queryStatements: async (scope, query) => {
      const page = await base.queryStatements(scope, query);
      return { ...page, records: page.records.map(withText) };
    },
  };
}

function app(store: LrsStore): Hono {
  const parent = new Hono();
  parent.route(
    '/xapi',
    lrsApp({
      store,
      authenticate: async () => PRINCIPAL,
      now: () => new Date(Date.UTC(2026, 0, 1)),
      maxStatementsPerPage: 3,
    }),
  );
  return parent;
}

const HEADERS = { 'X-Experience-API-Version': '1.0.3', Authorization: 'Basic x' };

/** Two apps over one memory store: one answers from objects, the other from `json` texts. */
async function twoApps(text: (statement: unknown) => string) {
  const base = memoryLrsStore();
  const objects = app(base);
  const texts = app(textStore(base, text));
  const statements = Array.from({ length: 7 }, (_, i) => ({
    id: crypto.randomUUID(),
    actor: { objectType: 'Agent', name: `L\u00e9a ${i} "\u2028"`, mbox: 'mailto:lea@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
    object: { objectType: 'Activity', id: `http://example.com/activities/${i % 2}` },
    result: { score: { scaled: i / 10 }, extensions: { 'http://example.com/ext': { 10: 'a', 2: 'b' } } },
  }));
  const stored = await objects.request('/xapi/statements', {
    method: 'POST',
    headers: { ...HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify(statements),
  });
  expect(stored.status).toBe(200);
  const get = async (target: Hono, path: string) => {
    const response = await target.request(path, { headers: HEADERS });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
  return { objects, texts, statements, get };
}

describe('statementResultText', () => {
  it('is the text JSON.stringify makes of the same StatementResult', () => {
    const statements = [{ id: 'a', n: 1.5, s: '\u00e9\ud83d\ude00"\\' }, { id: 'b' }];
    const records = statements.map(
      (statement) => ({ statement, json: JSON.stringify(statement) }) as unknown as StatementRecord,
    );
    for (const more of ['', '/xapi/statements?more=abc_-']) {
      expect(statementResultText(records, more)).toBe(JSON.stringify({ statements, more }));
    }
    expect(statementResultText([], '')).toBe(JSON.stringify({ statements: [], more: '' }));
  });

  it('is null when a record has no text', () => {
    const records = [{ json: '{}' }, {}] as unknown as StatementRecord[];
    expect(statementResultText(records, '')).toBeNull();
  });
});

describe('GET statements from stored JSON text', () => {
  it('answers pages and more links byte for byte as the object path does', async () => {
    const { objects, texts, statements, get } = await twoApps((s) => JSON.stringify(s));
    for (const query of [
      '',
      '?ascending=true',
      `?agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:lea@example.com' }))}`,
      `?activity=${encodeURIComponent('http://example.com/activities/1')}&limit=2`,
      `?statementId=${statements[3]!.id}`,
    ]) {
      let path: string | null = `/xapi/statements${query}`;
      let pages = 0;
      while (path) {
        const a = await get(objects, path);
        const b = await get(texts, path);
        expect(a.status).toBe(200);
        expect(b.body).toBe(a.body);
        expect(b.headers.get('content-type')).toBe(a.headers.get('content-type'));
        expect(b.headers.get('last-modified')).toBe(a.headers.get('last-modified'));
        const more = (JSON.parse(a.body) as { more?: string }).more;
        path = more ? more : null;
        pages++;
      }
      if (query === '') expect(pages).toBe(3);
    }
  });

  it('splices the stored text for format=exact, and keeps the object path for ids, canonical and attachments', async () => {
    // Texts that differ from JSON.stringify in layout only show which path answered.
    const { objects, texts, get } = await twoApps((s) => JSON.stringify(s, null, 1));
    const exact = await get(texts, '/xapi/statements?limit=2');
    expect(exact.body).toContain('{\n "id"');
    expect(JSON.parse(exact.body)).toEqual(JSON.parse((await get(objects, '/xapi/statements?limit=2')).body));
    for (const query of [
      'format=ids',
      'format=canonical',
      'attachments=true',
      'format=exact&attachments=true',
    ]) {
      const a = await get(objects, `/xapi/statements?${query}`);
      const b = await get(texts, `/xapi/statements?${query}`);
      expect(b.status).toBe(200);
      const boundary = /boundary=(.*)$/.exec(a.headers.get('content-type') ?? '')?.[1];
      const strip = (body: string, type: string | null) => {
        const other = /boundary=(.*)$/.exec(type ?? '')?.[1];
        return boundary && other ? body.replaceAll(other, 'B') : body;
      };
      expect(strip(b.body, b.headers.get('content-type'))).toBe(strip(a.body, a.headers.get('content-type')));
      expect(b.body).not.toContain('{\n "id"');
    }
  });

  it('HEAD answers the headers of GET without a body', async () => {
    const { texts, get } = await twoApps((s) => JSON.stringify(s));
    const full = await get(texts, '/xapi/statements');
    const head = await texts.request('/xapi/statements', { method: 'HEAD', headers: HEADERS });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('last-modified')).toBe(full.headers.get('last-modified'));
    expect(head.headers.get('content-type')).toBe('application/json');
  });
});
