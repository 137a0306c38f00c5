/**
 * The bridge in real Chromium against a real HTTP runtime: discovery, synchronous answers, the
 * persisted queue, retries, token renewal, unload and guarded input.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFrame, launchBrowser, loadPlayer, requestsOf, type TestWindow, waitFor } from './browser.js';
import { type RuntimeServer, startRuntimeServer } from './runtime-server.js';

let server: RuntimeServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startRuntimeServer();
  browser = await launchBrowser();
  context = await browser.newContext();
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function reset(): void {
  server.down = false;
  server.fail5xx = 0;
  server.fail401 = 0;
  server.fail422 = 0;
  server.delayMs = 0;
}

async function player(
  version: '1.2' | '2004',
  extra: { autocommitSeconds?: number; retryBaseMs?: number; ttlMs?: number } = {},
) {
  reset();
  const a = server.createAttempt(version, extra.ttlMs);
  await loadPlayer(page, server.url, {
    attemptId: a.attemptId,
    runtimeToken: a.token,
    tokenExpiresAt: a.expiresAt,
    autocommitSeconds: extra.autocommitSeconds ?? 0,
    retryBaseMs: extra.retryBaseMs ?? 50,
    debug: true,
  });
  return a;
}

async function open(item = 'sco-1') {
  return page.evaluate((i) => (window as unknown as TestWindow).bridge.open(i), item);
}

describe('API discovery and synchronous answers', () => {
  it('a SCO two frames down finds window.API_1484_11 on the player and gets strings back at once', async () => {
    const a = await player('2004');
    expect(await open()).toEqual({ item: 'sco-1', version: '2004' });
    const frame = await addFrame(page, '/fixtures/nest.html');
    const inner = await waitFor(() => frame.childFrames()[0]);
    await inner.waitForFunction(() => (window as unknown as TestWindow).sco !== undefined);
    const answers = await inner.evaluate(() => {
      const api = (window as unknown as TestWindow).sco.api2004;
      if (!api) return null;
      const out = [
        api.Initialize!(''),
        api.GetValue!('cmi.learner_id'),
        api.GetValue!('cmi.learner_name'),
        api.SetValue!('cmi.location', 'page-3'),
        api.GetValue!('cmi.location'),
        api.SetValue!('cmi.score.scaled', '2'),
        api.GetLastError!(),
        api.GetErrorString!('407'),
        api.Commit!(''),
      ];
      return { out, types: out.map((v) => typeof v) };
    });
    expect(answers).not.toBeNull();
    expect(answers!.types.every((t) => t === 'string')).toBe(true);
    expect(answers!.out).toEqual([
      'true',
      `learner-${a.attemptId.slice(0, 8)}`,
      'Ada Lovelace',
      'true',
      'page-3',
      'false',
      '407',
      'Data Model Element Value Out Of Range',
      'true',
    ]);
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.values['cmi.location'] === 'page-3');
    // the player only has the 2004 API; the SCORM 1.2 name is not installed
    expect(await page.evaluate(() => 'API' in window)).toBe(false);
  });

  it('a SCO in a popup finds window.API through its opener', async () => {
    const a = await player('1.2');
    expect(await open()).toEqual({ item: 'sco-1', version: '1.2' });
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.evaluate(() => {
        window.open('/fixtures/sco.html', 'sco-popup');
      }),
    ]);
    await popup.waitForFunction(() => (window as unknown as TestWindow).sco !== undefined);
    const out = await popup.evaluate(() => {
      const api = (window as unknown as TestWindow).sco.api12;
      if (!api) return null;
      return [
        api.LMSInitialize!(''),
        api.LMSGetValue!('cmi.core.student_name'),
        api.LMSSetValue!('cmi.core.lesson_status', 'incomplete'),
        api.LMSSetValue!('cmi.suspend_data', 'from the popup'),
        api.LMSCommit!(''),
      ];
    });
    expect(out).toEqual(['true', 'Ada Lovelace', 'true', 'true', 'true']);
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.values['cmi.suspend_data'] === 'from the popup');
    await popup.close();
  });

  it('garbage input never throws into the content and every answer is a string', async () => {
    await player('2004');
    await open();
    const result = await page.evaluate(() => {
      const w = window as unknown as TestWindow;
      const api = w.API_1484_11!;
      const hostile = {
        toString() {
          throw new Error('boom');
        },
      };
      const inputs: unknown[] = [
        undefined,
        null,
        42,
        {},
        [],
        Symbol('s'),
        hostile,
        'cmi.',
        'x'.repeat(100_000),
        'cmi.interactions.99999.id',
        '\u0000',
      ];
      const answers: unknown[] = [];
      let threw = 0;
      for (const name of Object.keys(api)) {
        const fn = api[name]!;
        for (const a of inputs) {
          for (const b of inputs.slice(0, 4)) {
            try {
              answers.push(fn(a, b));
              // detached calls, as wrappers do
              answers.push(fn.call(null, a, b));
            } catch {
              threw++;
            }
          }
        }
      }
      return { threw, nonString: answers.filter((x) => typeof x !== 'string').length, count: answers.length };
    });
    expect(result.threw).toBe(0);
    expect(result.nonString).toBe(0);
    expect(result.count).toBeGreaterThan(500);
  });
});

describe('sync with the engine', () => {
  it('commits in order with seq and reports commit and status events', async () => {
    const a = await player('2004');
    await open();
    await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API_1484_11!;
      api.Initialize!('');
      api.SetValue!('cmi.score.scaled', '0.9');
      api.SetValue!('cmi.success_status', 'passed');
      api.Commit!('');
      api.SetValue!('cmi.completion_status', 'completed');
      api.Commit!('');
      api.SetValue!('adl.nav.request', 'continue');
      api.Terminate!('');
    });
    await page.evaluate(() => (window as unknown as TestWindow).bridge.flush());
    const stored = server.state(a.attemptId, 'sco-1')!;
    expect(stored.terminated).toBe(true);
    expect(stored.values['cmi.completion_status']).toBe('completed');
    const seqs = requestsOf(server, a.attemptId)
      .filter((r) => r.route !== 'token')
      .map((r) => `${r.route}:${r.seq ?? ''}:${r.status}`);
    expect(seqs).toEqual(['initialize::200', 'commit:2:200', 'commit:3:200', 'terminate:4:200']);
    const events = await page.evaluate(() => (window as unknown as TestWindow).events);
    const commits = events.filter((x) => x.e === 'commit').map((x) => (x.d as { seq: number }).seq);
    expect(commits).toEqual([2, 3, 4]);
    const statuses = events.filter((x) => x.e === 'status').map((x) => x.d);
    expect(statuses.at(-1)).toEqual({
      item: 'sco-1',
      completionStatus: 'completed',
      successStatus: 'passed',
      score: { raw: null, scaled: 0.9 },
    });
    const terminate = events.find((x) => x.e === 'terminate')?.d;
    expect(terminate).toEqual({ item: 'sco-1', navRequest: 'continue', implicit: false });
    expect(await page.evaluate(() => (window as unknown as TestWindow).bridge.navRequest)).toBe('continue');
  });

  it('autocommits a dirty session through the API Commit', async () => {
    const a = await player('1.2', { autocommitSeconds: 1 });
    await open();
    await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API!;
      api.LMSInitialize!('');
      api.LMSSetValue!('cmi.core.lesson_location', 'slide-7');
    });
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.values['cmi.core.lesson_location'] === 'slide-7');
    const commits = requestsOf(server, a.attemptId, 'commit');
    expect(commits.map((r) => r.seq)).toEqual([2]);
    const log = await page.evaluate(() => (window as unknown as TestWindow).bridge.log.map((l) => l.message));
    expect(log).toContain('autocommit of sco-1');
  });

  it('retries network failures and 5xx answers with growing backoff, then delivers in order', async () => {
    const a = await player('2004', { retryBaseMs: 40 });
    await open();
    server.fail5xx = 3;
    await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API_1484_11!;
      api.Initialize!('');
      api.SetValue!('cmi.location', 'a');
      api.Commit!('');
    });
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.seq === 2);
    expect(requestsOf(server, a.attemptId, 'commit').map((r) => [r.seq, r.status])).toEqual([
      [2, 503],
      [2, 503],
      [2, 503],
      [2, 200],
    ]);
    const delays = await page.evaluate(() =>
      (window as unknown as TestWindow).bridge.log
        .map((l) => /^retry (\d+) in (\d+) ms$/.exec(l.message))
        .filter((m) => m !== null)
        .map((m) => Number(m[2])),
    );
    // doubling from 40 ms with +-20% jitter: each wait is longer than the one before
    expect(delays).toHaveLength(3);
    expect(delays[0]).toBeGreaterThanOrEqual(32);
    expect(delays[1]).toBeGreaterThan(delays[0]!);
    expect(delays[2]).toBeGreaterThan(delays[1]!);

    // the network goes down: the SCO is not blocked, the commit waits and then goes out
    server.down = true;
    const answers = await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API_1484_11!;
      return [api.SetValue!('cmi.location', 'b'), api.Commit!(''), api.GetValue!('cmi.location')];
    });
    expect(answers).toEqual(['true', 'true', 'b']);
    await waitFor(() =>
      page.evaluate(() =>
        (window as unknown as TestWindow).events.some(
          (x) => x.e === 'error' && (x.d as { code: string }).code === 'NETWORK',
        ),
      ),
    );
    server.down = false;
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.seq === 3);
    expect(server.state(a.attemptId, 'sco-1')?.values['cmi.location']).toBe('b');
    const errors = await page.evaluate(() =>
      (window as unknown as TestWindow).events.filter((x) => x.e === 'error').map((x) => x.d),
    );
    expect(errors.length).toBeGreaterThanOrEqual(4);
    expect(errors.every((e) => (e as { retrying: boolean }).retrying)).toBe(true);
  });

  it('renews the token before it expires and after a 401', async () => {
    // a token with 2 min 1 s left is renewed about a second later
    const a = await player('2004', { ttlMs: 121_000 });
    await open();
    await waitFor(() => requestsOf(server, a.attemptId, 'token').length >= 1);
    const renewed = requestsOf(server, a.attemptId, 'token')[0]!;
    expect(renewed.token).toBe(a.token);
    server.fail401 = 1;
    await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API_1484_11!;
      api.Initialize!('');
      api.SetValue!('cmi.location', 'after-renewal');
      api.Commit!('');
    });
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.values['cmi.location'] === 'after-renewal');
    const commits = requestsOf(server, a.attemptId, 'commit');
    expect(commits.map((r) => r.status)).toEqual([401, 200]);
    expect(requestsOf(server, a.attemptId, 'token').length).toBe(2);
    // the stored commit went out with a renewed token, not the first one
    expect(commits[1]!.token).not.toBe(a.token);
  });

  it('counts a commit the engine already holds as delivered', async () => {
    const a = await player('1.2');
    await open();
    await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API!;
      api.LMSInitialize!('');
      api.LMSSetValue!('cmi.core.score.raw', '77');
      api.LMSCommit!('');
    });
    await page.evaluate(() => (window as unknown as TestWindow).bridge.flush());
    expect(server.state(a.attemptId, 'sco-1')?.seq).toBe(2);
    // a second page of the same attempt finds the entry in its queue (the first page's answer was
    // lost): the engine answers REPLAYED_COMMIT and the entry counts as delivered
    const key = `scormflow:queue:${a.attemptId}`;
    const entry = [
      { item: 'sco-1', diff: { seq: 2, ops: [['cmi.core.score.raw', '77']], terminated: false } },
    ];
    const replayed = await page.evaluate(
      async ([k, v, id, token, expires]) => {
        localStorage.setItem(k as string, v as string);
        const frame = document.createElement('iframe');
        document.body.append(frame);
        const w = window as unknown as TestWindow;
        const second = w.ScormFlow.createBridge({
          attemptId: id as string,
          runtimeToken: token as string,
          tokenExpiresAt: expires as string,
          target: frame.contentWindow!,
          autocommitSeconds: 0,
        });
        const seen: unknown[] = [];
        second.on('commit', (d) => seen.push(d));
        await second.open('sco-2');
        return { seen, left: localStorage.getItem(k as string) };
      },
      [key, JSON.stringify(entry), a.attemptId, a.token, a.expiresAt],
    );
    const replay = requestsOf(server, a.attemptId, 'commit').at(-1)!;
    expect(replay).toMatchObject({ seq: 2, status: 409, outcome: 'REPLAYED_COMMIT' });
    expect(replayed.left).toBeNull();
    expect(replayed.seen).toEqual([{ item: 'sco-1', seq: 2, terminated: false, replayed: true }]);
    expect(requestsOf(server, a.attemptId).at(-1)).toMatchObject({ route: 'initialize', item: 'sco-2' });
  });
});

describe('refusals and gaps', () => {
  it('drops a diff the engine refuses for good and renumbers the ones after it', async () => {
    const a = await player('2004');
    await open();
    server.fail422 = 1;
    await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API_1484_11!;
      api.Initialize!('');
      api.SetValue!('cmi.location', 'refused');
      api.Commit!('');
      api.SetValue!('cmi.suspend_data', 'kept');
      api.Commit!('');
      api.SetValue!('cmi.progress_measure', '0.5');
      api.Commit!('');
    });
    await page.evaluate(() => (window as unknown as TestWindow).bridge.flush());
    expect(requestsOf(server, a.attemptId, 'commit').map((r) => [r.seq, r.status])).toEqual([
      [2, 422],
      [2, 200],
      [3, 200],
    ]);
    const stored = server.state(a.attemptId, 'sco-1')!;
    expect(stored.values['cmi.suspend_data']).toBe('kept');
    expect(stored.values['cmi.progress_measure']).toBe('0.5');
    const refused = await page.evaluate(() =>
      (window as unknown as TestWindow).events.filter((x) => x.e === 'error').map((x) => x.d),
    );
    expect(refused).toEqual([
      {
        code: 'INVALID_VALUE',
        message: 'sco-1#2 refused',
        retrying: false,
        item: 'sco-1',
        seq: 2,
        status: 422,
      },
    ]);
    // the session goes on and ends in sequence
    await page.evaluate(() => (window as unknown as TestWindow).API_1484_11!.Terminate!(''));
    await page.evaluate(() => (window as unknown as TestWindow).bridge.flush());
    expect(requestsOf(server, a.attemptId, 'terminate').map((r) => [r.seq, r.status])).toEqual([[4, 200]]);
  });

  it('closes a sequence gap left in the queue by renumbering from the seq the engine holds', async () => {
    const a = await player('1.2');
    await open();
    // a queue from another page whose earlier entries never made it (seq 5 while the engine is at 1)
    const key = `scormflow:queue:${a.attemptId}`;
    const entry = [
      { item: 'sco-1', diff: { seq: 5, ops: [['cmi.suspend_data', 'after a gap']], terminated: false } },
    ];
    await page.evaluate(
      async ([k, v, id, token, expires]) => {
        localStorage.setItem(k as string, v as string);
        const frame = document.createElement('iframe');
        document.body.append(frame);
        const second = (window as unknown as TestWindow).ScormFlow.createBridge({
          attemptId: id as string,
          runtimeToken: token as string,
          tokenExpiresAt: expires as string,
          target: frame.contentWindow!,
          autocommitSeconds: 0,
        });
        await second.open('sco-2');
      },
      [key, JSON.stringify(entry), a.attemptId, a.token, a.expiresAt],
    );
    expect(requestsOf(server, a.attemptId, 'commit').map((r) => [r.seq, r.status, r.outcome])).toEqual([
      [5, 409, 'SEQUENCE_GAP'],
      [2, 200, undefined],
    ]);
    expect(server.state(a.attemptId, 'sco-1')?.values['cmi.suspend_data']).toBe('after a gap');
  });
});

describe('a session that already ended', () => {
  it('takes a final diff the engine answers SESSION_NOT_RUNNING for as settled, without an error', async () => {
    const a = await player('1.2');
    await open();
    await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API!;
      api.LMSInitialize!('');
      api.LMSFinish!('');
    });
    await page.evaluate(() => (window as unknown as TestWindow).bridge.flush());
    expect(server.state(a.attemptId, 'sco-1')).toMatchObject({ seq: 2, terminated: true });
    // the queue of a page that sent its last diffs twice at unload (in flight and merged)
    const key = `scormflow:queue:${a.attemptId}`;
    const entries = [
      { item: 'sco-1', diff: { seq: 2, ops: [], terminated: true } },
      { item: 'sco-1', diff: { seq: 3, ops: [['cmi.core.lesson_location', 'x']], terminated: true } },
    ];
    const outcome = await page.evaluate(
      async ([k, v, id, token, expires]) => {
        localStorage.setItem(k as string, v as string);
        const frame = document.createElement('iframe');
        document.body.append(frame);
        const second = (window as unknown as TestWindow).ScormFlow.createBridge({
          attemptId: id as string,
          runtimeToken: token as string,
          tokenExpiresAt: expires as string,
          target: frame.contentWindow!,
          autocommitSeconds: 0,
        });
        const errors: unknown[] = [];
        second.on('error', (d) => errors.push(d));
        await second.open('sco-2');
        return { errors, left: localStorage.getItem(k as string) };
      },
      [key, JSON.stringify(entries), a.attemptId, a.token, a.expiresAt],
    );
    expect(requestsOf(server, a.attemptId, 'terminate').map((r) => [r.seq, r.status, r.outcome])).toEqual([
      [2, 200, undefined],
      [2, 409, 'SESSION_NOT_RUNNING'],
      [3, 409, 'SESSION_NOT_RUNNING'],
    ]);
    expect(outcome).toEqual({ errors: [], left: null });
  });
});

describe('open', () => {
  it('rejects with a BridgeError when the engine refuses the session, and emits an error', async () => {
    const a = await player('1.2');
    const other = server.createAttempt('1.2');
    const outcome = await page.evaluate(async (token) => {
      const w = window as unknown as TestWindow;
      const bridge = w.ScormFlow.createBridge({
        attemptId: 'not-this-attempt',
        runtimeToken: token,
        tokenExpiresAt: new Date(Date.now() + 600_000).toISOString(),
        autocommitSeconds: 0,
      });
      const errors: unknown[] = [];
      bridge.on('error', (d) => errors.push(d));
      try {
        await bridge.open('sco-1');
        return { resolved: true };
      } catch (e) {
        const err = e as { name: string; code: string; status: number };
        return { name: err.name, code: err.code, status: err.status, errors, api: 'API' in window };
      }
    }, other.token);
    expect(outcome).toMatchObject({
      name: 'BridgeError',
      code: 'INITIALIZE_FAILED',
      status: 403,
      api: false,
    });
    expect((outcome as { errors: { retrying: boolean }[] }).errors[0]?.retrying).toBe(false);
    expect(requestsOf(server, a.attemptId)).toEqual([]);
  });
});

describe('a queue that survives the page', () => {
  it('persists a diff before sending it, and replays the queue in order before initialize after a reload', async () => {
    const a = await player('1.2');
    await open();
    server.down = true;
    const key = `scormflow:queue:${a.attemptId}`;
    const persisted = await page.evaluate((k) => {
      const api = (window as unknown as TestWindow).API!;
      api.LMSInitialize!('');
      api.LMSSetValue!('cmi.suspend_data', 'chapter=2;answers=a,b');
      api.LMSSetValue!('cmi.core.lesson_location', 'c2');
      api.LMSCommit!('');
      const afterFirst = localStorage.getItem(k);
      api.LMSSetValue!('cmi.core.lesson_status', 'incomplete');
      api.LMSCommit!('');
      return { afterFirst, afterSecond: localStorage.getItem(k) };
    }, key);
    expect(JSON.parse(persisted.afterFirst!)).toEqual([
      {
        item: 'sco-1',
        diff: {
          seq: 2,
          ops: [
            ['cmi.suspend_data', 'chapter=2;answers=a,b'],
            ['cmi.core.lesson_location', 'c2'],
          ],
          terminated: false,
        },
      },
    ]);
    expect(JSON.parse(persisted.afterSecond!).map((e: { diff: { seq: number } }) => e.diff.seq)).toEqual([
      2, 3,
    ]);
    // the learner reloads while offline: pagehide ends the session implicitly, nothing gets out
    await page.reload();
    const queued = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), key))!);
    expect(queued.length).toBeGreaterThanOrEqual(1);
    expect(queued.at(-1).diff.terminated).toBe(true);
    expect(server.state(a.attemptId, 'sco-1')?.seq).toBe(1);
    server.down = false;
    const before = server.requests.length;
    await loadPlayer(page, server.url, {
      attemptId: a.attemptId,
      runtimeToken: a.token,
      tokenExpiresAt: a.expiresAt,
      autocommitSeconds: 0,
      debug: true,
    });
    await open();
    const replay = server.requests.slice(before).filter((r) => r.attemptId === a.attemptId);
    const initAt = replay.findIndex((r) => r.route === 'initialize');
    expect(initAt).toBeGreaterThan(0);
    expect(replay.slice(0, initAt).every((r) => r.status === 200)).toBe(true);
    expect(replay[initAt - 1]!.route).toBe('terminate');
    expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBeNull();
    // the resumed session sees what the learner did offline
    const resumed = await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API!;
      api.LMSInitialize!('');
      return [
        api.LMSGetValue!('cmi.suspend_data'),
        api.LMSGetValue!('cmi.core.lesson_location'),
        api.LMSGetValue!('cmi.core.lesson_status'),
      ];
    });
    expect(resumed).toEqual(['chapter=2;answers=a,b', 'c2', 'incomplete']);
  });
});

describe('unload', () => {
  it('on pagehide sends pending data with keepalive and an implicit LMSFinish', async () => {
    const a = await player('1.2');
    await page.evaluate(() => {
      // record what the bridge asks fetch for; the record outlives the page in localStorage
      const original = window.fetch.bind(window);
      window.fetch = (input, init) => {
        if (init?.keepalive) localStorage.setItem('test:keepalive', String(input));
        return original(input, init);
      };
    });
    await open();
    server.delayMs = 300;
    await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API!;
      api.LMSInitialize!('');
      // set but never committed by the content
      api.LMSSetValue!('cmi.core.lesson_location', 'last-slide');
      api.LMSSetValue!('cmi.suspend_data', 'x'.repeat(2000));
    });
    await page.goto('about:blank');
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.terminated === true);
    const stored = server.state(a.attemptId, 'sco-1')!;
    expect(stored.values['cmi.core.lesson_location']).toBe('last-slide');
    expect(stored.values['cmi.suspend_data']).toBe('x'.repeat(2000));
    // LMSFinish without a status set: completed, as the LMS rules say
    expect(stored.values['cmi.core.lesson_status']).toBe('completed');
    // the data and the implicit LMSFinish leave as one request: nothing can arrive out of order
    expect(requestsOf(server, a.attemptId, 'commit')).toEqual([]);
    expect(requestsOf(server, a.attemptId, 'terminate').map((r) => [r.seq, r.ops, r.status])).toEqual([
      [2, 2, 200],
    ]);
    await page.goto(`${server.url}/fixtures/player.html`);
    expect(await page.evaluate(() => localStorage.getItem('test:keepalive'))).toContain('/terminate');
  });

  it('a commit still in flight at pagehide loses nothing that follows it', async () => {
    const a = await player('2004');
    await open();
    server.delayMs = 400;
    await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API_1484_11!;
      api.Initialize!('');
      api.SetValue!('cmi.location', 'committed');
      api.Commit!('');
      // after the Commit, still in flight when the page goes
      api.SetValue!('cmi.suspend_data', 'set after the commit');
    });
    await page.goto('about:blank');
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.terminated === true);
    await waitFor(() => requestsOf(server, a.attemptId).every((r) => r.status !== 0));
    const stored = server.state(a.attemptId, 'sco-1')!;
    expect(stored.values['cmi.location']).toBe('committed');
    expect(stored.values['cmi.suspend_data']).toBe('set after the commit');
  });

  it('commits dirty data with keepalive when the page is hidden, without ending the session', async () => {
    const a = await player('2004');
    await open();
    await page.evaluate(() => {
      const original = window.fetch.bind(window);
      (window as unknown as { keepalive: string[] }).keepalive = [];
      window.fetch = (input, init) => {
        if (init?.keepalive) (window as unknown as { keepalive: string[] }).keepalive.push(String(input));
        return original(input, init);
      };
      const api = (window as unknown as TestWindow).API_1484_11!;
      api.Initialize!('');
      api.SetValue!('cmi.location', 'before-hide');
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.values['cmi.location'] === 'before-hide');
    expect(server.state(a.attemptId, 'sco-1')?.terminated).toBe(false);
    const sent = await page.evaluate(() => (window as unknown as { keepalive: string[] }).keepalive);
    expect(sent).toEqual([`/api/v1/runtime/${a.attemptId}/commit`]);
    // the SCO goes on in the same session
    expect(
      await page.evaluate(() =>
        (window as unknown as TestWindow).API_1484_11!.SetValue!('cmi.location', 'later'),
      ),
    ).toBe('true');
  });

  it('keeps what does not fit the 64 KB keepalive budget for the next open', async () => {
    const a = await player('2004');
    await open();
    const big = 'y'.repeat(70_000);
    await page.evaluate((value) => {
      const api = (window as unknown as TestWindow).API_1484_11!;
      api.Initialize!('');
      api.SetValue!('cmi.exit', 'suspend');
      // tolerated beyond the 64000-character SPM in the default mode
      api.SetValue!('cmi.suspend_data', value);
    }, big);
    await page.goto('about:blank');
    await page.goto(`${server.url}/fixtures/player.html`);
    const key = `scormflow:queue:${a.attemptId}`;
    const queued = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), key))!);
    expect(
      queued.map((e: { diff: { seq: number; terminated: boolean } }) => [e.diff.seq, e.diff.terminated]),
    ).toEqual([[2, true]]);
    expect(requestsOf(server, a.attemptId, 'terminate')).toEqual([]);
    await loadPlayer(page, server.url, {
      attemptId: a.attemptId,
      runtimeToken: a.token,
      tokenExpiresAt: a.expiresAt,
      autocommitSeconds: 0,
    });
    await open();
    expect(requestsOf(server, a.attemptId, 'terminate').map((r) => [r.seq, r.status])).toEqual([[2, 200]]);
    // the next session resumes from the suspend the large diff carried
    const resumed = await page.evaluate(() => {
      const api = (window as unknown as TestWindow).API_1484_11!;
      api.Initialize!('');
      return [api.GetValue!('cmi.entry'), api.GetValue!('cmi.suspend_data').length];
    });
    expect(resumed).toEqual(['resume', 70_000]);
  });

  it('a closed tab still delivers its implicit Terminate', async () => {
    const a = server.createAttempt('2004');
    reset();
    const tab = await context.newPage();
    await loadPlayer(tab, server.url, {
      attemptId: a.attemptId,
      runtimeToken: a.token,
      tokenExpiresAt: a.expiresAt,
      autocommitSeconds: 0,
    });
    await tab.evaluate(() => (window as unknown as TestWindow).bridge.open('sco-1'));
    await tab.evaluate(() => {
      const api = (window as unknown as TestWindow).API_1484_11!;
      api.Initialize!('');
      api.SetValue!('cmi.exit', 'suspend');
      api.SetValue!('cmi.suspend_data', 'tab closed here');
    });
    await tab.close({ runBeforeUnload: true });
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.terminated === true);
    const stored = server.state(a.attemptId, 'sco-1')!;
    expect(stored.values['cmi.suspend_data']).toBe('tab closed here');
    expect(stored.values['cmi.exit']).toBe('suspend');
  });

  it('close() ends a session the content never initialized, and uninstalls the API', async () => {
    const a = await player('2004');
    await open();
    await page.evaluate(() => (window as unknown as TestWindow).bridge.close());
    expect(server.state(a.attemptId, 'sco-1')?.terminated).toBe(true);
    expect(requestsOf(server, a.attemptId, 'terminate').map((r) => [r.seq, r.ops, r.status])).toEqual([
      [2, 0, 200],
    ]);
    expect(await page.evaluate(() => 'API_1484_11' in window)).toBe(false);
    const terminate = await page.evaluate(
      () => (window as unknown as TestWindow).events.find((x) => x.e === 'terminate')?.d,
    );
    expect(terminate).toEqual({ item: 'sco-1', navRequest: '_none_', implicit: true });
  });
});
