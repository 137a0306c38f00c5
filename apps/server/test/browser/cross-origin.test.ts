import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Engine,
  launchChromium,
  newContext,
  POLL,
  STORY_TIMEOUT,
  startEngine,
  tocStatuses,
  waitRunning,
  watchErrors,
} from './harness.js';

/** The SCO's frame, once it shows a document from the content origin. */
async function contentFrame(page: Page, origin: string): Promise<Frame> {
  let found: Frame | undefined;
  await expect
    .poll(() => {
      found = page.frames().find((f) => f.url().startsWith(`${origin}/`));
      return found !== undefined;
    }, POLL)
    .toBe(true);
  return found!;
}

/**
 * Course files on another origin than the player (`CONTENT_BASE_URL`): the SCO cannot reach the
 * player's window, so the API lives in the content frame (frame mode) and relays over postMessage.
 */
describe('cross-origin content in Chromium (frame mode)', () => {
  let engine: Engine;
  let browser: Browser;
  let courseId: string;

  beforeAll(async () => {
    engine = await startEngine({ crossOrigin: true });
    browser = await launchChromium();
    courseId = await engine.upload('scorm12-single');
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it(
    'runs a SCORM 1.2 course served from the content origin: track, suspend, resume, complete',
    async () => {
      const learner = 'cdn-learner';
      const s1 = await engine.start(courseId, learner);
      expect(s1.launchUrl.startsWith(`${engine.url}/play/`)).toBe(true);
      expect(s1.scos[0]!.launchUrl!.startsWith(`${engine.contentOrigin}/content/`)).toBe(true);
      const attemptId = s1.attempt.id;
      const context = await newContext(browser);
      let page = await context.newPage();
      let errors = watchErrors(page);
      await page.goto(s1.launchUrl);
      await waitRunning(page);
      let frame = await contentFrame(page, engine.contentOrigin);

      let sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('#lms-info').textContent(), POLL).toContain('entry=ab-initio');
      // frame mode: the SCO found an API on its own window; the player's window is out of its reach
      expect(
        await frame.evaluate(`(() => {
        let parentApi;
        try { parentApi = typeof window.parent.API; } catch (e) { parentApi = e.name; }
        return { own: typeof window.API, parentApi, found: scormWrapper.getAPI() === window.API };
      })()`),
      ).toEqual({ own: 'object', parentApi: 'SecurityError', found: true });

      await sco.locator('#next').click();
      await sco.locator('#next').click();
      expect(await sco.locator('#page-counter').textContent()).toBe('Page 3 of 5');
      // the player's Suspend button: the SCO closes with exit suspend, the attempt waits for the learner
      await page.locator('#sf-suspend').click();
      await page.waitForSelector('body[data-state="ended"]', { state: 'attached' });
      await expect
        .poll(async () => {
          const a = await engine.attempt(attemptId);
          return [a.status, a.scos[0]?.location, a.scos[0]?.suspendData, a.scos[0]?.exit];
        }, POLL)
        .toEqual(['suspended', 'slide-3', 'v=1.2.3', 'suspend']);
      expect(errors).toEqual([]);
      await page.close();

      const s2 = await engine.start(courseId, learner);
      expect(s2).toMatchObject({ resumed: true, attempt: { id: attemptId } });
      page = await context.newPage();
      errors = watchErrors(page);
      await page.goto(s2.launchUrl);
      await waitRunning(page);
      frame = await contentFrame(page, engine.contentOrigin);
      expect(frame.url().startsWith(`${engine.contentOrigin}/content/`)).toBe(true);
      sco = page.frameLocator('#sf-frame');
      await expect
        .poll(() => sco.locator('#lms-info').textContent(), POLL)
        .toBe('entry=resume | location=slide-3 | suspend_data=v=1.2.3 | status=incomplete');
      await sco.locator('#next').click();
      await sco.locator('input[name="q1"][value="a"]').check();
      await sco.locator('input[name="q2"][value="t"]').check();
      await sco.locator('#q3').fill('PASS');
      await sco.locator('#submit-quiz').click();
      expect(await sco.locator('#result-text').textContent()).toBe('You scored 67% (2 of 3 correct).');
      await sco.locator('#finish').click();
      await page.waitForSelector('body[data-state="ended"]', { state: 'attached' });

      await expect.poll(async () => (await engine.attempt(attemptId)).scos[0]?.running, POLL).toBe(false);
      const done = await engine.attempt(attemptId);
      expect(done).toMatchObject({
        completionStatus: 'completed',
        successStatus: 'failed',
        score: { raw: 67 },
      });
      expect(done.totalTimeSeconds).toBeGreaterThan(0);
      expect(done.scos[0]!.values['cmi.core.lesson_status']).toBe('failed');
      expect(done.interactions.map((i) => [i.id, i.learnerResponse, i.result])).toEqual([
        ['Q1_extinguisher', 'a', 'wrong'],
        ['Q2_oxygen', 't', 'correct'],
        ['Q3_acronym', 'PASS', 'correct'],
      ]);
      expect(errors).toEqual([]);
      await context.close();
    },
    STORY_TIMEOUT,
  );
  it(
    'runs a multi-SCO course in frame mode: contents, launch data, mastery score, statuses',
    async () => {
      const multi = await engine.upload('scorm12-multi');
      const s = await engine.start(multi, 'cdn-multi');
      const context = await newContext(browser);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(s.launchUrl);
      await waitRunning(page);
      const sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('h1').textContent(), POLL).toBe('Welcome to Warehouse Safety');
      expect((await contentFrame(page, engine.contentOrigin)).url()).toContain('/intro/index.html');
      await expect.poll(async () => (await tocStatuses(page)).wh_intro, POLL).toBe('completed');
      await page.locator('#sf-next').click();
      await expect.poll(() => sco.locator('#launch-data').textContent(), POLL).toBe('chapter=2&mode=review');
      await sco.locator('#to-p2').click();
      await sco.locator('#to-p3').click();
      await page.locator('#sf-toc button[data-item="wh_quiz"]').click();
      await expect.poll(() => sco.locator('#mastery-score').textContent(), POLL).toBe('75');
      await expect.poll(async () => (await tocStatuses(page)).wh_lesson, POLL).toBe('completed');
      await sco.locator('input[name="weight"][value="b"]').check();
      await sco.locator('#submit').click();
      expect(await sco.locator('#feedback').textContent()).toBe('Not quite.');
      await page.locator('#sf-exit').click();
      await page.waitForSelector('body[data-state="ended"]', { state: 'attached' });
      expect(errors).toEqual([]);

      await expect
        .poll(
          async () =>
            (await engine.attempt(s.attempt.id)).scos.find((x) => x.identifier === 'wh_quiz')?.running,
          POLL,
        )
        .toBe(false);
      const done = await engine.attempt(s.attempt.id);
      const byItem = Object.fromEntries(done.scos.map((x) => [x.identifier, x.values]));
      expect(byItem.wh_intro?.['cmi.core.lesson_status']).toBe('completed');
      expect(byItem.wh_lesson).toMatchObject({
        'cmi.core.lesson_status': 'completed',
        'cmi.core.lesson_location': 'p3',
      });
      // score 0 against the mastery score 75: failed, whatever the content said
      expect(byItem.wh_quiz).toMatchObject({ 'cmi.core.lesson_status': 'failed', 'cmi.core.score.raw': '0' });
      expect(done.interactions.map((i) => [i.item, i.id, i.learnerResponse, i.result])).toEqual([
        ['wh_quiz', 'max_weight', 'b', 'wrong'],
      ]);
      await context.close();
    },
    STORY_TIMEOUT,
  );

  // The player cannot reach the content frame's API: its Suspend button asks the frame (a message
  // from the player origin), which sets exit suspend and finishes the SCO as a SCO would. The intro
  // SCO never sets cmi.core.exit itself, so only that request can make the next entry "resume".
  it(
    "suspends a SCO that never sets exit itself, from the player's Suspend button",
    async () => {
      const multi = await engine.upload('scorm12-multi');
      const learner = 'cdn-suspender';
      const s = await engine.start(multi, learner);
      const context = await newContext(browser);
      let page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(s.launchUrl);
      await waitRunning(page);
      let sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('#lms').textContent(), POLL).toBe('status=completed');
      await page.locator('#sf-suspend').click();
      await page.waitForSelector('body[data-state="ended"]', { state: 'attached' });
      expect(await page.locator('#sf-end-title').textContent()).toBe('Your place is saved');
      await expect
        .poll(async () => {
          const a = await engine.attempt(s.attempt.id);
          const intro = a.scos.find((x) => x.identifier === 'wh_intro');
          return [a.status, intro?.running, intro?.exit];
        }, POLL)
        .toEqual(['suspended', false, 'suspend']);
      expect(errors).toEqual([]);
      await page.close();

      const again = await engine.start(multi, learner);
      expect(again).toMatchObject({ resumed: true, attempt: { id: s.attempt.id } });
      page = await context.newPage();
      await page.goto(again.launchUrl);
      await waitRunning(page);
      sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('#lms').textContent(), POLL).toBe('status=completed');
      const frame = await contentFrame(page, engine.contentOrigin);
      expect(await frame.evaluate("window.API.LMSGetValue('cmi.core.entry')")).toBe('resume');
      await context.close();
    },
    STORY_TIMEOUT,
  );

  // Chromium unloads the player window before the content frame and drops what the frame posts
  // then: the content frame sends its last diff (the SCO's LMSFinish with exit suspend) to the
  // engine itself, a keepalive fetch from the content origin with a CORS preflight.
  it(
    'keeps what the SCO set when the tab is closed in frame mode',
    async () => {
      const learner = 'cdn-closer';
      const s = await engine.start(courseId, learner);
      const context = await newContext(browser);
      let page = await context.newPage();
      await page.goto(s.launchUrl);
      await waitRunning(page);
      let sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('#lms-info').textContent(), POLL).toContain('entry=ab-initio');
      await sco.locator('#next').click();
      await sco.locator('#next').click();
      const seen = engine.origins.length;
      await page.close({ runBeforeUnload: true });

      // on the server before the learner comes back, sent by the content frame itself
      await expect
        .poll(async () => {
          const a = await engine.attempt(s.attempt.id);
          return [a.status, a.scos[0]?.running, a.scos[0]?.location, a.scos[0]?.suspendData, a.scos[0]?.exit];
        }, POLL)
        .toEqual(['suspended', false, 'slide-3', 'v=1.2.3', 'suspend']);
      const calls = engine.origins.slice(seen);
      expect(calls).toContain(`OPTIONS /terminate 204 ${engine.contentOrigin}`);
      expect(calls).toContain(`POST /terminate 200 ${engine.contentOrigin}`);
      // the player sent none of the frame's diffs at its own unload: one owner for the last seq
      expect(calls.filter((c) => c.startsWith('POST') && !c.endsWith(engine.contentOrigin))).toEqual([]);

      // the next launch, in the same browser: from the server, or replayed from the queue
      const again = await engine.start(courseId, learner);
      page = await context.newPage();
      await page.goto(again.launchUrl);
      await waitRunning(page);
      sco = page.frameLocator('#sf-frame');
      await expect
        .poll(() => sco.locator('#lms-info').textContent(), POLL)
        .toMatch(/ \| location=slide-3 \| suspend_data=v=1\.2\.3 \| status=incomplete$/);
      const kept = await engine.attempt(s.attempt.id);
      expect(kept.scos[0]).toMatchObject({ location: 'slide-3', suspendData: 'v=1.2.3' });
      await context.close();
    },
    STORY_TIMEOUT,
  );
});
