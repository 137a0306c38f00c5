import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { describe, expect, it } from 'vitest';
import { createApp, openApiDocument } from '../src/index.js';
import { renderOpenApi } from '../src/write-openapi.js';

const COMMITTED = join(import.meta.dirname, '..', 'openapi.json');
const UPDATE = 'run `pnpm --filter @scormflow/server openapi:write` and commit openapi.json';

describe('openapi.json', () => {
  it('is the document the routes produce', async () => {
    const committed = await readFile(COMMITTED, 'utf8');
    expect(await renderOpenApi(), `openapi.json is out of date: ${UPDATE}`).toBe(committed);
  });

  it('is served at GET /openapi.json and documents every route the app answers', async () => {
    const db = openDatabase(':memory:');
    try {
      const app = createApp({ db, storage: memoryStorage(), rateLimiter: null });
      const res = await app.request('/openapi.json');
      expect(res.status).toBe(200);
      const served = (await res.json()) as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      };
      expect(served).toEqual(JSON.parse(await readFile(COMMITTED, 'utf8')));
      expect(served.openapi).toBe('3.1.0');
      const routes = app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')}`);
      const documented = Object.entries(served.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method} ${path}`),
      );
      expect(new Set(routes), `a route is missing from the document: ${UPDATE}`).toEqual(new Set(documented));
      expect(openApiDocument(app).paths).toEqual(served.paths);
    } finally {
      await db.close();
    }
  });

  it('declares every response of every operation, with problem+json for errors', async () => {
    const doc = JSON.parse(await readFile(COMMITTED, 'utf8')) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) >= 400 && path.startsWith('/api/')) {
            expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual([
              'application/problem+json',
            ]);
          }
        }
        if (path.startsWith('/api/')) expect(Object.keys(op.responses), `${method} ${path}`).toContain('401');
      }
    }
  });
});
