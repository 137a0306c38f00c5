import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Engine,
  launchProfile,
  POLL,
  STORY_TIMEOUT,
  startEngine,
  waitRunning,
  watchErrors,
} from './harness.js';

/** Runtime requests that carry learner data (commit, terminate), as the server answered them. */
function syncRequests(engine: Engine, since: number): string[] {
  return engine.requests.slice(since).filter((r) => / \/(commit|terminate) /.test(r));
}

/** Whether some localStorage entry of the page holds `text` (where the bridge keeps its queue). */
function storedLocally(page: Page, text: string): Promise<boolean> {
  return page.evaluate(
    `Object.keys(localStorage).some((k) => (localStorage.getItem(k) || '').includes(${JSON.stringify(text)}))`,
  ) as Promise<boolean>;
}

/**
 * Nothing the SCO set is lost when the browser dies at the worst moment. The browser is a profile on
 * disk (a learner's browser keeps localStorage between visits). Commit and terminate requests reach
 * the engine's socket but are held unanswered and unprocessed (in flight), then the browser is
 * closed, which gives the page no pagehide (a hard kill), and the held connections die with it. The
 * data then sits only in the bridge's queue in localStorage; the test asserts that the next launch
 * replays it before the SCO starts, so that every value is stored. (Held with `page.route`, a request
 * is let through when the browser closes, so the hold is at the server.) A third test takes the
 * network away for a while and gives it back: the same page delivers everything by itself.
 */
describe('no data loss when the browser dies in Chromium', () => {
  let engine: Engine;
  let courseId: string;
  const dirs: string[] = [];
  let profile: BrowserContext | null = null;

  beforeAll(async () => {
    engine = await startEngine();
    courseId = await engine.upload('scorm12-single');
  });
  afterEach(async () => {
    await profile?.close();
    profile = null;
  });
  afterAll(async () => {
    await engine?.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function freshProfile(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'scormflow-profile-'));
    dirs.push(dir);
    return dir;
  }

  /** The next visit in the same profile: the SCO must start from every value set before the kill. */
  async function comeBack(dir: string, learner: string, attemptId: string): Promise<Page> {
    const again = await engine.start(courseId, learner);
    expect(again.attempt.id).toBe(attemptId);
    profile = await launchProfile(dir);
    const page = await profile.newPage();
    await page.goto(again.launchUrl);
    await waitRunning(page);
    return page;
  }

  it(
    'keeps an autocommit that was in flight when the browser was killed',
    async () => {
      const learner = 'loss-autocommit';
      const s = await engine.start(courseId, learner);
      const since = engine.requests.length;
      const dir = await freshProfile();
      profile = await launchProfile(dir);
      engine.holdSync();
      const held = engine.held;
      const page = await profile.newPage();
      const errors = watchErrors(page);
      await page.goto(`${s.launchUrl}&autocommit=1`);
      await waitRunning(page);
      const sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('#lms-info').textContent(), POLL).toContain('entry=ab-initio');
      await sco.locator('#next').click();
      await sco.locator('#next').click();
      expect(await sco.locator('#page-counter').textContent()).toBe('Page 3 of 5');

      // an autocommit is on the wire (held), and everything the SCO set is in the persisted queue
      await expect.poll(() => held.length, POLL).toBeGreaterThan(0);
      const inFlight = JSON.parse(held[0]!.body) as {
        diff: { seq: number; terminated: boolean };
      };
      expect(inFlight.diff.terminated).toBe(false);
      expect(held[0]!.path.endsWith('/commit')).toBe(true);
      await expect.poll(() => storedLocally(page, '"slide-3"'), POLL).toBe(true);
      expect(await storedLocally(page, '"v=1.2.3"')).toBe(true);
      expect(errors).toEqual([]);

      await profile.close();
      profile = null;
      // the kill: the connections die with the browser, not one commit reached the server
      engine.dropHeld();
      expect(syncRequests(engine, since)).toEqual([]);
      const lost = await engine.attempt(s.attempt.id);
      expect(lost.scos[0]?.location ?? null).toBeNull();

      // the next launch replays the queue, in order, before the SCO initializes
      const page2 = await comeBack(dir, learner, s.attempt.id);
      const sco2 = page2.frameLocator('#sf-frame');
      await expect
        .poll(() => sco2.locator('#lms-info').textContent(), POLL)
        .toMatch(/ \| location=slide-3 \| suspend_data=v=1\.2\.3 \| status=incomplete$/);
      expect(syncRequests(engine, since)[0]).toBe('POST /commit 200');
      const kept = await engine.attempt(s.attempt.id);
      expect(kept.scos[0]).toMatchObject({ location: 'slide-3', suspendData: 'v=1.2.3' });
      expect(kept.scos[0]!.values['cmi.core.lesson_status']).toBe('incomplete');
    },
    STORY_TIMEOUT,
  );

  it(
    'keeps what the SCO set when the browser is killed while the page unloads',
    async () => {
      const learner = 'loss-unload';
      const s = await engine.start(courseId, learner);
      const since = engine.requests.length;
      const dir = await freshProfile();
      profile = await launchProfile(dir);
      engine.holdSync();
      const held = engine.held;
      const page = await profile.newPage();
      const errors = watchErrors(page);
      await page.goto(s.launchUrl);
      await waitRunning(page);
      const sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('#lms-info').textContent(), POLL).toContain('entry=ab-initio');
      await sco.locator('#next').click();
      await sco.locator('#next').click();
      await sco.locator('#next').click();
      expect(await sco.locator('#page-counter').textContent()).toBe('Page 4 of 5');
      expect(errors).toEqual([]);

      // the learner closes the tab: the content's LMSFinish runs in beforeunload; its terminate
      // request is held, and the browser dies before any answer
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => held.some((r) => r.path.endsWith('/terminate')), POLL).toBe(true);
      const final = held.find((r) => r.path.endsWith('/terminate'))!;
      expect(final.body).toContain('"slide-4"');
      await profile.close();
      profile = null;
      engine.dropHeld();
      expect(syncRequests(engine, since)).toEqual([]);

      const page2 = await comeBack(dir, learner, s.attempt.id);
      const sco2 = page2.frameLocator('#sf-frame');
      // the replayed terminate carried exit=suspend (the first launch ended so): a resume, at the bookmark
      await expect
        .poll(() => sco2.locator('#lms-info').textContent(), POLL)
        .toBe('entry=resume | location=slide-4 | suspend_data=v=1.2.3.4 | status=incomplete');
      const kept = await engine.attempt(s.attempt.id);
      expect(kept.scos[0]).toMatchObject({ location: 'slide-4', suspendData: 'v=1.2.3.4' });
      expect(kept.scos[0]!.values['cmi.core.lesson_status']).toBe('incomplete');
      expect(kept.launches[0]).toMatchObject({ exit: 'suspend', endedAt: expect.any(String) });
      expect(kept.totalTimeSeconds).toBeGreaterThan(0);
    },
    STORY_TIMEOUT,
  );
  it(
    'loses nothing on a flaky connection: the learner sees that saving is retried, then all arrives',
    async () => {
      const s = await engine.start(courseId, 'loss-flaky');
      profile = await launchProfile(await freshProfile());
      const page = await profile.newPage();
      // the network is down for commit and terminate requests
      const sync = /\/api\/v1\/runtime\/[^/]+\/(commit|terminate)$/;
      let failed = 0;
      await page.route(sync, async (route) => {
        failed++;
        await route.abort('internetdisconnected');
      });
      await page.goto(`${s.launchUrl}&autocommit=1`);
      await waitRunning(page);
      const sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('#lms-info').textContent(), POLL).toContain('entry=ab-initio');
      await sco.locator('#next').click();
      // a visible, non-blocking banner; the course goes on
      await expect.poll(() => page.locator('#sf-error').isVisible(), POLL).toBe(true);
      expect(await page.locator('#sf-error').getAttribute('role')).toBe('alert');
      expect(failed).toBeGreaterThan(0);
      await sco.locator('#next').click();
      await sco.locator('#next').click();
      expect(await sco.locator('#page-counter').textContent()).toBe('Page 4 of 5');
      expect((await engine.attempt(s.attempt.id)).scos[0]?.location ?? null).toBeNull();

      // the network comes back: the retries deliver everything, in the same page, and the banner goes
      await page.unroute(sync);
      await expect
        .poll(async () => {
          const a = await engine.attempt(s.attempt.id);
          return [a.scos[0]?.location, a.scos[0]?.suspendData, a.scos[0]?.values['cmi.core.lesson_status']];
        }, POLL)
        .toEqual(['slide-4', 'v=1.2.3.4', 'incomplete']);
      await expect.poll(() => page.locator('#sf-error').isVisible(), POLL).toBe(false);
    },
    STORY_TIMEOUT,
  );
});
