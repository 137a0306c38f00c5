import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CmiState, type CommitDiff, createScorm2004Api } from '@scormflow/cmi';
import { migrate, openDatabase } from '@scormflow/db';
import { memoryStorage } from '@scormflow/storage';
import { describe, expect, it } from 'vitest';
import { call, uploadFixture } from '../../test/helpers.js';
import { bootstrap, createApp } from '../index.js';
import { memoryRateLimiter } from '../rate-limit.js';
import { bearerToken } from './runtime.js';

describe('bearerToken', () => {
  it('takes the token as /^Bearer\\s+(\\S+)\\s*$/i does, with or without its fast path', () => {
    const regex = (h: string) => /^Bearer\s+(\S+)\s*$/i.exec(h)?.[1] ?? null;
    const headers = [
      'Bearer abc.def.ghi',
      'bearer abc.def.ghi',
      'BEARER abc',
      'Bearer   abc',
      'Bearer\tabc',
      'Bearer abc ',
      'Bearer abc def',
      'Bearer ',
      'Bearer',
      'Basic abc',
      'Bearerabc',
      'Bearer a\u00a0b',
      'Bearer a\u00e9b',
      'Bearer a\u0000b',
      '',
    ];
    for (const h of headers) expect(bearerToken(h), JSON.stringify(h)).toBe(regex(h));
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe('POST /runtime/{attemptId}/commit answer', () => {
  it('is the JSON c.json gave, with the runtime limit headers when a limiter runs', async () => {
    for (const limiter of [memoryRateLimiter({ capacity: 50, refillPerSecond: 0.001 }), null]) {
      const dir = mkdtempSync(join(tmpdir(), 'scormflow-commit-answer-'));
      const db = openDatabase(join(dir, 'db.sqlite'));
      try {
        await migrate(db);
        const boot = await bootstrap(db);
        if (!boot.created || !boot.secret) throw new Error('expected a fresh database');
        const app = createApp({
          db,
          storage: memoryStorage(),
          rateLimiter: null,
          runtimeRateLimiter: limiter,
        });
        const courseId = await uploadFixture(app, boot.secret, 'e2e/scorm2004-single.zip');
        const started = (await (
          await call(app, '/api/v1/attempts/start', {
            method: 'POST',
            key: boot.secret,
            json: { courseId, learner: { id: 'answer' } },
          })
        ).json()) as { attempt: { id: string }; runtimeToken: string };
        const runtime = (path: string, json: unknown) =>
          call(app, `/api/v1/runtime/${started.attempt.id}/${path}`, {
            method: 'POST',
            key: started.runtimeToken,
            json,
          });
        const init = (await (await runtime('initialize', {})).json()) as { item: string; state: CmiState };
        const diffs: CommitDiff[] = [];
        const api = createScorm2004Api({ state: init.state, onCommit: (d) => void diffs.push(d) });
        api.Initialize('');
        api.SetValue('cmi.location', 'p1');
        api.Commit('');
        const res = await runtime('commit', { item: init.item, diff: diffs[0] });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/json');
        expect(await res.text()).toBe(JSON.stringify({ result: 'true', errorCode: '0', seq: diffs[0]!.seq }));
        if (limiter) {
          expect(res.headers.get('ratelimit-limit')).toBe('50');
          // initialize took one, the commit another
          expect(res.headers.get('ratelimit-remaining')).toBe('48');
        } else {
          expect(res.headers.get('ratelimit-limit')).toBeNull();
        }
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
