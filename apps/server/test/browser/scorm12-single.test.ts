import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Engine,
  launchProfile,
  POLL,
  STORY_TIMEOUT,
  startEngine,
  waitRunning,
  watchErrors,
} from './harness.js';

/**
 * The learner's story on a single-SCO SCORM 1.2 course with a pipwerks-style wrapper: open the
 * launch URL, click through, close the tab, come back at the bookmark, lose the browser, come back
 * again, answer the quiz, finish; then read the results over the REST API.
 */
describe('SCORM 1.2 single-SCO course in Chromium', () => {
  let engine: Engine;
  let courseId: string;
  let profileDir: string;
  let profile: BrowserContext | null = null;

  beforeAll(async () => {
    engine = await startEngine();
    courseId = await engine.upload('scorm12-single');
    profileDir = await mkdtemp(join(tmpdir(), 'scormflow-profile-'));
  });
  afterAll(async () => {
    await profile?.close();
    await engine?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  it(
    'tracks, resumes at the bookmark after a closed tab and a closed browser, and completes',
    async () => {
      const learner = 'fire-learner';
      const s1 = await engine.start(courseId, learner);
      expect(s1.resumed).toBe(false);
      const attemptId = s1.attempt.id;

      // 1. first visit: three slides, then the tab is closed (beforeunload runs, as a learner closing it)
      profile = await launchProfile(profileDir);
      let page = await profile.newPage();
      let errors = watchErrors(page);
      await page.goto(s1.launchUrl);
      await waitRunning(page);
      let sco = page.frameLocator('#sf-frame');
      await expect.poll(() => sco.locator('#lms-info').textContent(), POLL).toContain('entry=ab-initio');
      expect(await sco.locator('#lms-info').textContent()).toContain('status=not attempted');
      expect(await sco.locator('#learner-greeting').textContent()).toContain('Sam');
      // one SCO: no table of contents and no previous / next
      expect(await page.locator('#sf-toc button[data-item]').first().isVisible()).toBe(false);
      expect(await page.locator('#sf-prev').isVisible()).toBe(false);
      expect(await page.locator('#sf-next').isVisible()).toBe(false);
      await sco.locator('#next').click();
      await sco.locator('#next').click();
      expect(await sco.locator('#page-counter').textContent()).toBe('Page 3 of 5');
      await page.close({ runBeforeUnload: true });

      // the content's LMSFinish on unload reached the server without waiting for another visit
      await expect
        .poll(async () => {
          const a = await engine.attempt(attemptId);
          return [a.status, a.scos[0]?.location, a.scos[0]?.suspendData, a.scos[0]?.exit];
        }, POLL)
        .toEqual(['suspended', 'slide-3', 'v=1.2.3', 'suspend']);
      expect(errors).toEqual([]);

      // 2. second visit, autocommit every second: resumed at slide 3, one more slide, committed by
      // the autocommit, then the browser goes away. Closing a browser fires no pagehide in the page, so
      // only what the bridge had delivered (or queued in localStorage) before is guaranteed to survive.
      const s2 = await engine.start(courseId, learner);
      expect(s2).toMatchObject({ resumed: true, attempt: { id: attemptId } });
      page = await profile.newPage();
      errors = watchErrors(page);
      await page.goto(`${s2.launchUrl}&autocommit=1`);
      await waitRunning(page);
      sco = page.frameLocator('#sf-frame');
      await expect
        .poll(() => sco.locator('#lms-info').textContent(), POLL)
        .toBe('entry=resume | location=slide-3 | suspend_data=v=1.2.3 | status=incomplete');
      expect(await sco.locator('#page-counter').textContent()).toBe('Page 3 of 5');
      const autocommitted = page.waitForResponse(
        (r) =>
          r.url().endsWith('/commit') &&
          r.status() === 200 &&
          (r.request().postData() ?? '').includes('"slide-4"'),
      );
      await sco.locator('#next').click();
      expect(await sco.locator('#page-counter').textContent()).toBe('Page 4 of 5');
      await autocommitted;
      expect(errors).toEqual([]);
      await profile.close();
      profile = null;

      // 3. third visit, same browser profile: the SCO starts from what visit 2 committed
      const s3 = await engine.start(courseId, learner);
      expect(s3).toMatchObject({ resumed: true, attempt: { id: attemptId } });
      profile = await launchProfile(profileDir);
      page = await profile.newPage();
      errors = watchErrors(page);
      await page.goto(s3.launchUrl);
      await waitRunning(page);
      sco = page.frameLocator('#sf-frame');
      // (cmi.core.entry is "resume" only if the killed page's unload happened to reach the server)
      await expect
        .poll(() => sco.locator('#lms-info').textContent(), POLL)
        .toMatch(/^entry=(resume)? \| location=slide-4 \| suspend_data=v=1\.2\.3\.4 \| status=incomplete$/);
      expect(await sco.locator('#page-counter').textContent()).toBe('Page 4 of 5');

      // the quiz: two right, one wrong is 67% and fails the content's 80% mastery; all right passes
      await sco.locator('input[name="q1"][value="b"]').check();
      await sco.locator('input[name="q2"][value="t"]').check();
      await sco.locator('#q3').fill('pass');
      await sco.locator('#submit-quiz').click();
      expect(await sco.locator('#result-text').textContent()).toBe('You scored 100% (3 of 3 correct).');
      await sco.locator('#finish').click();
      // one SCO finished: the player ends the attempt and says so
      await page.waitForSelector('body[data-state="ended"]', { state: 'attached' });
      expect(await page.locator('#sf-end').isVisible()).toBe(true);

      await expect.poll(async () => (await engine.attempt(attemptId)).status, POLL).toBe('completed');
      const done = await engine.attempt(attemptId);
      expect(done).toMatchObject({
        status: 'completed',
        completionStatus: 'completed',
        successStatus: 'passed',
        score: { raw: 100 },
        finishedAt: expect.any(String),
      });
      expect(done.totalTimeSeconds).toBeGreaterThan(0);
      expect(done.scos).toHaveLength(1);
      expect(done.scos[0]).toMatchObject({
        identifier: 'fire_sco',
        location: 'slide-5',
        suspendData: 'v=1.2.3.4.5;q1=b;q2=t;q3=pass',
      });
      expect(done.scos[0]!.values).toMatchObject({
        'cmi.core.lesson_status': 'passed',
        'cmi.core.score.raw': '100',
        'cmi.core.score.min': '0',
        'cmi.core.score.max': '100',
      });
      expect(
        done.interactions.map((i) => ({
          id: i.id,
          type: i.type,
          learnerResponse: i.learnerResponse,
          result: i.result,
          correctResponses: i.correctResponses,
          weighting: i.weighting,
        })),
      ).toEqual([
        {
          id: 'Q1_extinguisher',
          type: 'choice',
          learnerResponse: 'b',
          result: 'correct',
          correctResponses: ['b'],
          weighting: 1,
        },
        {
          id: 'Q2_oxygen',
          type: 'true-false',
          learnerResponse: 't',
          result: 'correct',
          correctResponses: ['t'],
          weighting: 1,
        },
        {
          id: 'Q3_acronym',
          type: 'fill-in',
          learnerResponse: 'pass',
          result: 'correct',
          correctResponses: ['PASS'],
          weighting: 1,
        },
      ]);
      expect(done.launches.map((l) => l.item)).toEqual(['fire_sco', 'fire_sco', 'fire_sco']);
      expect(done.launches[0]).toMatchObject({ exit: 'suspend', statusReached: 'incomplete' });
      expect(errors).toEqual([]);
    },
    STORY_TIMEOUT,
  );
});
