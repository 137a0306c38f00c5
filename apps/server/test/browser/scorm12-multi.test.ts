import type { Browser, Page } from 'playwright-core';
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

const ITEMS = ['wh_intro', 'wh_lesson', 'wh_quiz'];

/** The current TOC item (`aria-current="step"`). */
function currentItem(page: Page): Promise<string | null> {
  return page.locator('#sf-toc button[aria-current="step"]').getAttribute('data-item');
}

/**
 * A multi-SCO SCORM 1.2 course in the player: table of contents, Previous / Next, statuses, the
 * manifest's launch data and mastery score inside the SCOs, a closed tab in the middle, results.
 */
describe('SCORM 1.2 multi-SCO course in Chromium', () => {
  let engine: Engine;
  let browser: Browser;
  let courseId: string;

  beforeAll(async () => {
    engine = await startEngine();
    browser = await launchChromium();
    courseId = await engine.upload('scorm12-multi');
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it(
    'navigates by contents and Previous / Next, resumes after a closed tab, and completes',
    async () => {
      const learner = 'warehouse-learner';
      const s1 = await engine.start(courseId, learner);
      const attemptId = s1.attempt.id;
      const context = await newContext(browser);
      let page = await context.newPage();
      let errors = watchErrors(page);
      await page.goto(s1.launchUrl);
      await waitRunning(page);
      let sco = page.frameLocator('#sf-frame');

      // the contents list the three launchable items; the folder "Module 1" is not one of them
      expect(
        await page
          .locator('#sf-toc button[data-item]')
          .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-item'))),
      ).toEqual(ITEMS);
      expect(await tocStatuses(page)).toEqual({
        wh_intro: expect.any(String),
        wh_lesson: 'not attempted',
        wh_quiz: 'not attempted',
      });
      expect(await currentItem(page)).toBe('wh_intro');
      expect(await page.locator('#sf-next').textContent()).toContain('Next');
      expect(await page.locator('#sf-prev').textContent()).toContain('Previous');
      await expect.poll(() => sco.locator('h1').textContent(), POLL).toBe('Welcome to Warehouse Safety');
      // the intro commits "completed" as soon as it opens; the TOC shows it
      await expect.poll(async () => (await tocStatuses(page)).wh_intro, POLL).toBe('completed');

      // Next: the lesson, with its adlcp:datafromlms as cmi.launch_data
      await page.locator('#sf-next').click();
      await expect.poll(() => sco.locator('#launch-data').textContent(), POLL).toBe('chapter=2&mode=review');
      expect(await sco.locator('h1').textContent()).toBe('Safe Lifting (chapter 2)');
      expect(await sco.locator('#entry').textContent()).toBe('ab-initio');
      expect(await currentItem(page)).toBe('wh_lesson');
      await sco.locator('#to-p2').click();
      expect(await sco.locator('#p2').isVisible()).toBe(true);
      expect(errors).toEqual([]);

      // the learner closes the tab in the middle of the lesson
      await page.close({ runBeforeUnload: true });
      await expect
        .poll(async () => {
          const a = await engine.attempt(attemptId);
          const lesson = a.scos.find((s) => s.identifier === 'wh_lesson');
          return [a.status, lesson?.location, lesson?.exit];
        }, POLL)
        .toEqual(['suspended', 'p2', 'suspend']);

      // back again: the player opens the lesson where it was, the contents show what is done
      const s2 = await engine.start(courseId, learner);
      expect(s2).toMatchObject({ resumed: true, attempt: { id: attemptId, currentItem: 'wh_lesson' } });
      page = await context.newPage();
      errors = watchErrors(page);
      await page.goto(s2.launchUrl);
      await waitRunning(page);
      sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('#entry').textContent(), POLL).toBe('resume');
      expect(await sco.locator('#p2').isVisible()).toBe(true);
      expect(await currentItem(page)).toBe('wh_lesson');
      expect(await tocStatuses(page)).toEqual({
        wh_intro: 'completed',
        wh_lesson: 'incomplete',
        wh_quiz: 'not attempted',
      });
      await sco.locator('#to-p3').click();

      // Previous: the intro again (a finished SCO opens again); leaving the lesson finished it
      await page.locator('#sf-prev').click();
      await expect.poll(() => sco.locator('h1').textContent(), POLL).toBe('Welcome to Warehouse Safety');
      expect(await currentItem(page)).toBe('wh_intro');
      expect(await sco.locator('#lms').textContent()).toBe('status=completed');
      await expect.poll(async () => (await tocStatuses(page)).wh_lesson, POLL).toBe('completed');

      // Next: the lesson at its bookmark (SCORM 1.2 restores the data on every launch)
      await page.locator('#sf-next').click();
      await expect.poll(() => currentItem(page), POLL).toBe('wh_lesson');
      await expect.poll(() => sco.locator('#launch-data').textContent(), POLL).toBe('chapter=2&mode=review');
      expect(await sco.locator('#p3').isVisible()).toBe(true);

      // choice in the TOC: straight to the quiz, which sees the mastery score and time limits
      await page.locator('#sf-toc button[data-item="wh_quiz"]').click();
      await expect.poll(() => sco.locator('#mastery-score').textContent(), POLL).toBe('75');
      expect(await sco.locator('#max-time').textContent()).toBe('00:20:00');
      expect(await sco.locator('#time-limit-action').textContent()).toBe('continue,message');
      expect(await currentItem(page)).toBe('wh_quiz');
      await sco.locator('input[name="weight"][value="c"]').check();
      await sco.locator('#submit').click();
      expect(await sco.locator('#feedback').textContent()).toBe('Correct.');

      // Exit: the attempt ends, everything being done
      await page.locator('#sf-exit').click();
      await page.waitForSelector('body[data-state="ended"]', { state: 'attached' });
      expect(await page.locator('#sf-end').isVisible()).toBe(true);
      expect(errors).toEqual([]);

      // the quiz said "completed" with a score of 100 against a mastery score of 75: passed
      expect((await tocStatuses(page)).wh_quiz).toBe('passed');

      await expect.poll(async () => (await engine.attempt(attemptId)).status, POLL).toBe('completed');
      const done = await engine.attempt(attemptId);
      expect(done).toMatchObject({ completionStatus: 'completed', finishedAt: expect.any(String) });
      expect(done.totalTimeSeconds).toBeGreaterThan(0);
      const byItem = Object.fromEntries(done.scos.map((s) => [s.identifier, s]));
      expect(Object.keys(byItem).sort()).toEqual([...ITEMS].sort());
      expect(byItem.wh_intro!.values['cmi.core.lesson_status']).toBe('completed');
      expect(byItem.wh_lesson!.values).toMatchObject({
        'cmi.core.lesson_status': 'completed',
        'cmi.launch_data': 'chapter=2&mode=review',
        'cmi.core.lesson_location': 'p3',
      });
      expect(byItem.wh_quiz!.values).toMatchObject({
        'cmi.core.lesson_status': 'passed',
        'cmi.student_data.mastery_score': '75',
        'cmi.core.score.raw': '100',
      });
      expect(done.interactions).toEqual([
        expect.objectContaining({
          item: 'wh_quiz',
          id: 'max_weight',
          type: 'choice',
          learnerResponse: 'c',
          result: 'correct',
          correctResponses: ['c'],
        }),
      ]);
      await context.close();
    },
    STORY_TIMEOUT,
  );
  // Once every SCO of a SCORM 1.2 attempt has completed, the engine closes the attempt at that SCO's
  // LMSFinish and refuses to initialize any SCO of it (409 ATTEMPT_CLOSED): a lesson chosen in the
  // contents afterwards cannot open. The player ends gracefully: the end screen says why, with the
  // return link, never the error state. (A review mode would need the engine to open closed
  // attempts read-only.)
  it(
    'ends gracefully when a lesson is chosen after the attempt is complete',
    async () => {
      const returnUrl = `${engine.url}/healthz?from=review`;
      const s = await engine.start(courseId, 'review-learner', { returnUrl });
      const context = await newContext(browser);
      const page = await context.newPage();
      await page.goto(s.launchUrl);
      await waitRunning(page);
      const sco = page.frameLocator('#sf-frame');
      await expect.poll(async () => (await tocStatuses(page)).wh_intro, POLL).toBe('completed');
      await page.locator('#sf-next').click();
      await expect.poll(() => sco.locator('#launch-data').textContent(), POLL).toBe('chapter=2&mode=review');
      await sco.locator('#to-p2').click();
      await sco.locator('#to-p3').click();
      await page.locator('#sf-next').click();
      await expect.poll(() => sco.locator('#mastery-score').textContent(), POLL).toBe('75');
      await sco.locator('input[name="weight"][value="c"]').check();
      await sco.locator('#submit').click();
      // back to the lesson: the quiz finishes, so every lesson is complete
      await page.locator('#sf-toc button[data-item="wh_lesson"]').click();
      // read in one go: the end screen hands over to the return URL after a moment
      const endScreen = `(() => {
        const $ = (id) => document.getElementById(id);
        return { state: document.body.dataset.state, error: $('sf-error').hidden ? null : $('sf-error').textContent,
          title: $('sf-end-title').textContent, text: $('sf-end-text').textContent,
          link: $('sf-return').hidden ? null : $('sf-return').getAttribute('href') };
      })()`;
      let shown: Record<string, string | null> = {};
      await expect
        .poll(async () => {
          shown = await page.evaluate(endScreen);
          return shown.state === 'error' ? `error: ${shown.error}` : shown.state;
        }, POLL)
        .toBe('ended');
      expect(shown).toMatchObject({ error: null, title: 'This attempt is finished', link: returnUrl });
      expect(shown.text).toContain('cannot be opened again');
      await page.waitForURL(returnUrl);
      const done = await engine.attempt(s.attempt.id);
      expect(done.status).toBe('completed');
      await context.close();
    },
    STORY_TIMEOUT,
  );
});
