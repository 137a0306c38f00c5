import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, migrate, openDatabase } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, createApp, DEFAULT_TENANT_ID, type ScormflowApp } from '../src/index.js';
import { call, fixture } from './helpers.js';

const SECRET = 'commit-route-secret-0123456789abcdef-0123456789';

/**
 * The answers of POST /runtime/{attemptId}/commit to bodies that never reach the attempt service:
 * media types, malformed JSON and every kind of schema failure. Each answer is compared whole
 * (status, content type and problem body), so that how the body is checked may change while what
 * a client sees does not.
 */
describe('POST /runtime/{attemptId}/commit body checks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scormflow-commit-route-'));
  let db: Database;
  let app: ScormflowApp;
  let attemptId: string;
  let token: string;
  let item: string;

  beforeAll(async () => {
    db = openDatabase(join(dir, 'db.sqlite'));
    await migrate(db);
    const boot = await bootstrap(db);
    if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
    app = createApp({
      db,
      storage: memoryStorage(),
      rateLimiter: null,
      runtimeRateLimiter: null,
      jwtSecret: SECRET,
    });
    const up = await call(app, '/api/v1/courses', {
      method: 'POST',
      key: boot.secret,
      body: new Uint8Array(await fixture('e2e/scorm2004-single.zip')),
      headers: { 'content-type': 'application/zip' },
    });
    const courseId = ((await up.json()) as { id: string }).id;
    const started = await call(app, '/api/v1/attempts/start', {
      method: 'POST',
      key: boot.secret,
      json: { courseId, learner: { id: 'body-checks' } },
    });
    const s = (await started.json()) as { attempt: { id: string }; runtimeToken: string };
    attemptId = s.attempt.id;
    token = s.runtimeToken;
    const init = await commit('initialize', '{}', 'application/json');
    expect(init.status).toBe(200);
    item = (init.body as { item: string }).item;
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function commit(path: string, body: string | null, contentType?: string, id = attemptId) {
    const res = await call(app, `/api/v1/runtime/${id}/${path}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: text ? JSON.parse(text) : null,
    };
  }

  const problem = (status: number, code: string, title: string, detail: string, extra: object = {}) => ({
    status,
    type: 'application/problem+json',
    body: {
      type: `urn:scormflow:problem:${code.toLowerCase().replaceAll('_', '-')}`,
      title,
      status,
      detail,
      instance: expect.stringMatching(/^\/api\/v1\/runtime\/[\w-]+\/commit$/),
      code,
      ...extra,
    },
  });
  const invalid = (errors: { field: string; message: string }[]) =>
    problem(
      400,
      'VALIDATION_FAILED',
      'The request is not valid',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      { errors },
    );

  it('answers a body without a diff, or no body at all, as Commit would', async () => {
    const answer = {
      status: 200,
      type: 'application/json',
      body: { result: 'true', errorCode: '0', seq: 1 },
    };
    expect(await commit('commit', '{}', 'application/json')).toEqual(answer);
    expect(await commit('commit', JSON.stringify({ item }), 'application/json; charset=utf-8')).toEqual(
      answer,
    );
    expect(await commit('commit', null)).toEqual(answer);
  });

  it('refuses other media types, and a body without one, with 415', async () => {
    const unsupported = problem(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'The request body has an unsupported media type',
      'Unsupported Media Type',
    );
    expect(await commit('commit', '{}', 'text/plain')).toEqual(unsupported);
    expect(await commit('commit', '{}', 'application/jsonx')).toEqual(unsupported);
    expect(await commit('commit', '{}')).toEqual(unsupported);
  });

  it('refuses malformed JSON with 400', async () => {
    const malformed = problem(
      400,
      'VALIDATION_FAILED',
      'The request is not valid',
      'Malformed JSON in request body',
      {
        errors: [{ field: 'json', message: 'Malformed JSON in request body' }],
      },
    );
    expect(await commit('commit', '{"diff":', 'application/json')).toEqual(malformed);
    expect(await commit('commit', '', 'application/json')).toEqual(malformed);
  });

  it('names every field that fails the schema', async () => {
    const cases: [unknown, { field: string; message: string }[]][] = [
      [[], [{ field: 'json', message: 'Invalid input: expected object, received array' }]],
      ['x', [{ field: 'json', message: 'Invalid input: expected object, received string' }]],
      [null, [{ field: 'json', message: 'Invalid input: expected object, received null' }]],
      [{ extra: 1 }, [{ field: 'json', message: 'Unrecognized key: "extra"' }]],
      [{ item: '' }, [{ field: 'json.item', message: 'Too small: expected string to have >=1 characters' }]],
      [
        { item: 'x'.repeat(256) },
        [{ field: 'json.item', message: 'Too big: expected string to have <=255 characters' }],
      ],
      [{ item: 5 }, [{ field: 'json.item', message: 'Invalid input: expected string, received number' }]],
      [{ item: null }, [{ field: 'json.item', message: 'Invalid input: expected string, received null' }]],
      [{ diff: null }, [{ field: 'json.diff', message: 'Invalid input: expected object, received null' }]],
      [{ diff: [] }, [{ field: 'json.diff', message: 'Invalid input: expected object, received array' }]],
      [
        { diff: {} },
        [
          { field: 'json.diff.seq', message: 'Invalid input: expected number, received undefined' },
          { field: 'json.diff.ops', message: 'Invalid input: expected array, received undefined' },
          { field: 'json.diff.terminated', message: 'Invalid input: expected boolean, received undefined' },
        ],
      ],
      [
        { diff: { seq: 0, ops: [], terminated: false } },
        [{ field: 'json.diff.seq', message: 'Too small: expected number to be >=1' }],
      ],
      [
        { diff: { seq: 1.5, ops: [], terminated: false } },
        [{ field: 'json.diff.seq', message: 'Invalid input: expected int, received number' }],
      ],
      [
        { diff: { seq: 2 ** 53, ops: [], terminated: false } },
        [{ field: 'json.diff.seq', message: 'Too big: expected int to be <=9007199254740991' }],
      ],
      [
        { diff: { seq: '2', ops: [], terminated: 'no' } },
        [
          { field: 'json.diff.seq', message: 'Invalid input: expected number, received string' },
          { field: 'json.diff.terminated', message: 'Invalid input: expected boolean, received string' },
        ],
      ],
      [
        { diff: { seq: 2, ops: [['a']], terminated: false } },
        [{ field: 'json.diff.ops.0', message: 'Too small: expected array to have >=2 items' }],
      ],
      [
        { diff: { seq: 2, ops: [['a', 'b', 'c']], terminated: false } },
        [{ field: 'json.diff.ops.0', message: 'Too big: expected array to have <=2 items' }],
      ],
      [
        { diff: { seq: 2, ops: [['a', 1], 'x'], terminated: false } },
        [
          { field: 'json.diff.ops.0.1', message: 'Invalid input: expected string, received number' },
          { field: 'json.diff.ops.1', message: 'Invalid input: expected tuple, received string' },
        ],
      ],
      [
        { diff: { seq: 2, ops: [], terminated: false, sessionTime: 5 } },
        [{ field: 'json.diff.sessionTime', message: 'Invalid input: expected string, received number' }],
      ],
      [
        { diff: { seq: 2, ops: {}, terminated: false }, more: true },
        [
          { field: 'json.diff.ops', message: 'Invalid input: expected array, received object' },
          { field: 'json', message: 'Unrecognized key: "more"' },
        ],
      ],
    ];
    for (const [body, errors] of cases) {
      expect(await commit('commit', JSON.stringify(body), 'application/json'), JSON.stringify(body)).toEqual(
        invalid(errors),
      );
    }
  });

  it('checks the token against the attempt of the path before the body', async () => {
    expect(await commit('commit', '{"extra":1}', 'application/json', 'bad_id')).toMatchObject({
      status: 403,
    });
  });

  it('ignores keys of the diff the schema does not name, and stores the diff', async () => {
    const diff = {
      seq: 2,
      ops: [['cmi.location', 'p-2']],
      terminated: false,
      sessionTime: 'PT1S',
      extra: 'x',
    };
    expect(await commit('commit', JSON.stringify({ item, diff }), 'application/json')).toEqual({
      status: 200,
      type: 'application/json',
      body: { result: 'true', errorCode: '0', seq: 2 },
    });
    const log = await db.repos.commitLog.listByAttempt(DEFAULT_TENANT_ID, attemptId);
    expect(log.find((e) => e.seq === 2)?.diff).toEqual({
      seq: 2,
      ops: [['cmi.location', 'p-2']],
      terminated: false,
      sessionTime: 'PT1S',
    });
  });
});
