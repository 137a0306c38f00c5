/**
 * Frame mode in real Chromium across two origins (player.test and content.test on one port):
 * the API lives in the content frame, relays its commits to the player by postMessage, survives a
 * same-frame navigation through window.name, and the player reads nothing from anyone else.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loadPlayer, requestsOf, type TestWindow, waitFor } from './browser.js';
import { type RuntimeServer, startRuntimeServer } from './runtime-server.js';

let server: RuntimeServer;
let browser: Browser;
let page: Page;
let player: string;
let content: string;

beforeAll(async () => {
  server = await startRuntimeServer();
  browser = await launchBrowser(['--host-resolver-rules=MAP *.test 127.0.0.1']);
  page = await browser.newPage();
  player = `http://player.test:${server.port}`;
  content = `http://content.test:${server.port}`;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function contentFrame(path: string): Promise<Frame> {
  const frame = await waitFor(() => page.frames().find((f) => f.url() === `${content}${path}`));
  await frame.waitForFunction(() => (window as unknown as TestWindow).sco !== undefined);
  return frame;
}

async function openFrame(version: '1.2' | '2004') {
  const a = server.createAttempt(version);
  await loadPlayer(page, player, {
    attemptId: a.attemptId,
    runtimeToken: a.token,
    tokenExpiresAt: a.expiresAt,
    autocommitSeconds: 0,
    debug: true,
  });
  const opened = await page.evaluate(
    ([origin, src]) => {
      const iframe = document.createElement('iframe');
      iframe.id = 'content';
      iframe.title = 'SCO';
      document.body.append(iframe);
      return (window as unknown as TestWindow).bridge.openFrame('sco-1', iframe, {
        contentOrigin: origin as string,
        src: src as string,
      });
    },
    [content, `${content}/fixtures/content.html`],
  );
  return { a, opened };
}

describe('frame mode across origins', () => {
  it('runs the API in the content frame, relays commits, and continues after a same-frame navigation', async () => {
    const { a, opened } = await openFrame('2004');
    expect(opened).toEqual({ item: 'sco-1', version: '2004' });
    const page1 = await contentFrame('/fixtures/content.html');
    const first = await page1.evaluate(() => {
      const w = window as unknown as TestWindow;
      const api = w.sco.api2004!;
      let parentApi: string;
      try {
        parentApi = String('API_1484_11' in window.parent);
      } catch {
        parentApi = 'unreachable';
      }
      return {
        parentApi,
        answers: [
          api.Initialize!(''),
          api.GetValue!('cmi.learner_name'),
          api.SetValue!('cmi.location', 'p1'),
          api.Commit!(''),
          // set, not committed: page 1 commits it when it goes away
          api.SetValue!('cmi.suspend_data', 'from page 1'),
        ],
      };
    });
    // the player's window is another origin: the API can only be the frame's own
    expect(first.parentApi).toBe('unreachable');
    expect(first.answers).toEqual(['true', 'Ada Lovelace', 'true', 'true', 'true']);
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.values['cmi.location'] === 'p1');
    expect(await page.evaluate(() => 'API_1484_11' in window)).toBe(false);

    await page1.evaluate(() => {
      location.href = '/fixtures/content2.html';
    });
    const page2 = await contentFrame('/fixtures/content2.html');
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.values['cmi.suspend_data'] === 'from page 1');
    const second = await page2.evaluate(() => {
      const api = (window as unknown as TestWindow).sco.api2004!;
      return [
        api.Initialize!(''),
        api.GetValue!('cmi.location'),
        api.GetValue!('cmi.suspend_data'),
        api.SetValue!('cmi.completion_status', 'completed'),
        api.SetValue!('adl.nav.request', 'exitAll'),
        api.Terminate!(''),
        // cleared at Terminate: a later page of the frame finds no session
        window.name,
      ];
    });
    expect(second).toEqual(['true', 'p1', 'from page 1', 'true', 'true', 'true', '']);
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.terminated === true);
    expect(server.state(a.attemptId, 'sco-1')?.values['cmi.completion_status']).toBe('completed');
    expect(requestsOf(server, a.attemptId).map((r) => `${r.route}:${r.seq ?? ''}:${r.status}`)).toEqual([
      'initialize::200',
      'commit:2:200',
      'commit:3:200',
      'terminate:4:200',
    ]);
    await waitFor(() =>
      page.evaluate(() => (window as unknown as TestWindow).bridge.navRequest === 'exitAll'),
    );
  });

  it('ignores messages from other windows, other origins and without the session key', async () => {
    const { a } = await openFrame('1.2');
    const frame = await contentFrame('/fixtures/content.html');
    const forged = (seq: number) => ({
      scormflow: 1,
      type: 'diff',
      item: 'sco-1',
      diff: { seq, ops: [['cmi.core.lesson_status', 'passed']], terminated: false },
    });
    // the player window itself: wrong window and wrong origin
    await page.evaluate((m) => window.postMessage(m, '*'), forged(2));
    // another frame of the content origin: right origin, wrong window
    await page.evaluate(
      (src) =>
        new Promise<void>((resolve) => {
          const other = document.createElement('iframe');
          other.src = src;
          other.addEventListener('load', () => resolve());
          document.body.append(other);
        }),
      `${content}/fixtures/sco.html`,
    );
    const other = await waitFor(() => page.frames().find((f) => f.url() === `${content}/fixtures/sco.html`));
    await other.evaluate((m) => window.parent.postMessage(m, '*'), forged(2));
    // the real content frame, but without the session key, with a wrong one, and garbage
    await frame.evaluate((m) => {
      window.parent.postMessage(m, '*');
      window.parent.postMessage({ ...m, key: 'guessed' }, '*');
      const key = JSON.parse(window.name.slice('scormflow:'.length)).key as string;
      window.parent.postMessage({ scormflow: 1, type: 'diff', item: 'sco-1', key, diff: { seq: 'x' } }, '*');
      window.parent.postMessage('scormflow:{', '*');
    }, forged(2));
    // a real commit still goes through after all that
    await frame.evaluate(() => {
      const api = (window as unknown as TestWindow).sco.api12!;
      api.LMSInitialize!('');
      api.LMSSetValue!('cmi.core.lesson_location', 'real');
      api.LMSCommit!('');
    });
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.values['cmi.core.lesson_location'] === 'real');
    const commits = requestsOf(server, a.attemptId, 'commit');
    expect(commits.map((r) => [r.seq, r.ops])).toEqual([[2, 1]]);
    expect(server.state(a.attemptId, 'sco-1')?.values['cmi.core.lesson_status']).not.toBe('passed');
    const log = await page.evaluate(() => (window as unknown as TestWindow).bridge.log.map((l) => l.message));
    expect(log.filter((m) => m.includes('malformed')).length).toBe(4);
  });

  it('close() receives the LMSFinish a SCO calls in its own unload handler', async () => {
    const { a } = await openFrame('1.2');
    const frame = await contentFrame('/fixtures/content.html');
    await frame.evaluate(() => {
      const api = (window as unknown as TestWindow).sco.api12!;
      api.LMSInitialize!('');
      api.LMSSetValue!('cmi.core.exit', 'suspend');
      api.LMSSetValue!('cmi.suspend_data', 'saved in unload');
      window.addEventListener('unload', () => api.LMSFinish!(''));
    });
    // close() unloads the content frame first, so the SCO's own unload handler still reaches the player
    await page.evaluate(() => (window as unknown as TestWindow).bridge.close());
    expect(server.state(a.attemptId, 'sco-1')?.terminated).toBe(true);
    const stored = server.state(a.attemptId, 'sco-1')!;
    expect(stored.values['cmi.suspend_data']).toBe('saved in unload');
    expect(stored.values['cmi.core.exit']).toBe('suspend');
    const terminate = await page.evaluate(
      () => (window as unknown as TestWindow).events.find((x) => x.e === 'terminate')?.d,
    );
    expect(terminate).toEqual({ item: 'sco-1', navRequest: null, implicit: false });
  });

  it('with no way to reach the engine itself, a closed tab leaves the session running: no empty LMSFinish', async () => {
    const { a } = await openFrame('1.2');
    const frame = await contentFrame('/fixtures/content.html');
    await frame.evaluate(() => {
      const api = (window as unknown as TestWindow).sco.api12!;
      api.LMSInitialize!('');
      api.LMSSetValue!('cmi.core.lesson_location', 'committed');
      api.LMSCommit!('');
    });
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.seq === 2);
    const tab = page;
    page = await browser.newPage();
    await tab.close({ runBeforeUnload: true });
    expect(server.state(a.attemptId, 'sco-1')).toMatchObject({ seq: 2, terminated: false });
    // the learner comes back: the next launch takes the running session over and resumes it
    await loadPlayer(page, player, {
      attemptId: a.attemptId,
      runtimeToken: a.token,
      tokenExpiresAt: a.expiresAt,
      autocommitSeconds: 0,
    });
    await page.evaluate(() => (window as unknown as TestWindow).bridge.open('sco-1'));
    // no empty implicit LMSFinish went out: it would have completed a lesson never finished
    expect(requestsOf(server, a.attemptId).map((r) => r.route)).toEqual([
      'initialize',
      'commit',
      'initialize',
    ]);
    expect(server.state(a.attemptId, 'sco-1')?.values['cmi.core.lesson_location']).toBe('committed');
    expect(server.state(a.attemptId, 'sco-1')?.values['cmi.core.lesson_status']).toBeUndefined();
  });

  it('ends the session implicitly when the player closes a frame whose content never terminated', async () => {
    const { a } = await openFrame('2004');
    const frame = await contentFrame('/fixtures/content.html');
    await frame.evaluate(() => {
      const api = (window as unknown as TestWindow).sco.api2004!;
      api.Initialize!('');
      api.SetValue!('cmi.location', 'half-way');
      api.Commit!('');
    });
    await waitFor(() => server.state(a.attemptId, 'sco-1')?.seq === 2);
    await page.evaluate(() => (window as unknown as TestWindow).bridge.close());
    const stored = server.state(a.attemptId, 'sco-1')!;
    expect(stored.terminated).toBe(true);
    expect(stored.values['cmi.location']).toBe('half-way');
    expect(requestsOf(server, a.attemptId, 'terminate').map((r) => [r.seq, r.status])).toEqual([[3, 200]]);
  });
});
