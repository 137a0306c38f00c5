import type { Browser } from 'playwright-core';
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

/**
 * A SCORM 2004 4th Edition course with flow-only navigation: interactions of six types, objectives,
 * a completion threshold, Save & Exit (suspendAll), resume, a continue request from the first SCO
 * to the second, a closed tab in the second, resume again, exitAll and the return URL.
 */
describe('SCORM 2004 course in Chromium', () => {
  let engine: Engine;
  let browser: Browser;
  let courseId: string;

  beforeAll(async () => {
    engine = await startEngine();
    browser = await launchChromium();
    courseId = await engine.upload('scorm2004-full');
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it(
    'suspends with Save & Exit, resumes, continues, resumes after a closed tab and ends with exitAll',
    async () => {
      const learner = 'privacy-learner';
      const returnUrl = `${engine.url}/healthz?from=course`;
      const s1 = await engine.start(courseId, learner, { returnUrl });
      const attemptId = s1.attempt.id;
      const context = await newContext(browser);
      let page = await context.newPage();
      let errors = watchErrors(page);
      await page.goto(s1.launchUrl);
      await waitRunning(page);
      let sco = page.frameLocator('#sf-frame');

      await expect
        .poll(() => sco.locator('#lms-info').textContent(), POLL)
        .toBe(
          'entry=ab-initio | location= | suspend_data= | completion_threshold=0.75 | launch_data=audience=staff',
        );
      expect(Object.keys(await tocStatuses(page))).toEqual(['dp_module', 'dp_assessment']);
      // controlMode choice="false": the contents are not a way to jump
      const assessmentButton = page.locator('#sf-toc button[data-item="dp_assessment"]');
      expect(
        (await assessmentButton.isDisabled()) ||
          (await assessmentButton.getAttribute('aria-disabled')) === 'true',
      ).toBe(true);

      // screen 2: three questions, one answered wrong
      await sco.locator('#next').click();
      await sco.locator('input[name="principle"][value="storage_limitation"]').check();
      await sco.locator('input[name="consent"][value="true"]').check();
      await sco.locator('#regulation').fill('gdpr');
      await sco.locator('#check-principles').click();
      expect(await sco.locator('#screen-label').textContent()).toBe('Screen 3 of 4');

      // Save & Exit: cmi.exit suspend + adl.nav.request suspendAll; the player leaves to the return URL
      await sco.locator('#save-exit').click();
      await page.waitForURL(returnUrl);
      expect(errors).toEqual([]);
      const suspended = await engine.attempt(attemptId);
      expect(suspended.status).toBe('suspended');
      expect(suspended.scos.find((s) => s.identifier === 'dp_module')).toMatchObject({
        location: 'screen-3',
        exit: 'suspend',
        suspendData: JSON.stringify({
          seen: [1, 2, 3],
          answers: {
            principle_storage: 'storage_limitation',
            consent_only_basis: 'true',
            regulation_name: 'gdpr',
          },
        }),
      });

      // back: the module resumes on screen 3 with its suspend data
      const s2 = await engine.start(courseId, learner, { returnUrl });
      expect(s2).toMatchObject({ resumed: true, attempt: { id: attemptId } });
      page = await context.newPage();
      errors = watchErrors(page);
      await page.goto(s2.launchUrl);
      await waitRunning(page);
      sco = page.frameLocator('#sf-frame');
      await expect
        .poll(() => sco.locator('#lms-info').textContent(), POLL)
        .toContain('entry=resume | location=screen-3');
      expect(await sco.locator('#lms-info').textContent()).toContain(
        `suspend_data=${suspended.scos.find((s) => s.identifier === 'dp_module')!.suspendData}`,
      );
      expect(await sco.locator('#screen-label').textContent()).toBe('Screen 3 of 4');

      await sco.locator('#hours').fill('72');
      await sco.locator('#order').fill('contain, assess, notify');
      await sco.locator('#check-breach').click();
      expect(await sco.locator('#screen-label').textContent()).toBe('Screen 4 of 4');

      // the content asks to continue: the player moves on to the assessment by itself
      await sco.locator('#continue').click();
      await expect
        .poll(() => sco.locator('#lms-info').textContent(), POLL)
        .toBe('scaled_passing_score=0.7 | entry=ab-initio');
      expect(await page.locator('#sf-toc button[aria-current="step"]').getAttribute('data-item')).toBe(
        'dp_assessment',
      );
      // progress measure 1 against the threshold 0.75: completed
      await expect.poll(async () => (await tocStatuses(page)).dp_module, POLL).toBe('completed');

      expect(errors).toEqual([]);

      // the tab is closed during the assessment: the content terminates with exit suspend on unload
      await sco.locator('input[name="q1"][value="b"]').check();
      await page.close({ runBeforeUnload: true });
      await expect
        .poll(async () => {
          const a = await engine.attempt(attemptId);
          const sco2 = a.scos.find((x) => x.identifier === 'dp_assessment');
          return [a.status, a.currentItem, sco2?.running, sco2?.exit];
        }, POLL)
        .toEqual(['suspended', 'dp_assessment', false, 'suspend']);

      // third visit: the player opens the assessment, which resumes
      const s3 = await engine.start(courseId, learner, { returnUrl });
      expect(s3).toMatchObject({ resumed: true, attempt: { id: attemptId } });
      page = await context.newPage();
      errors = watchErrors(page);
      await page.goto(s3.launchUrl);
      await waitRunning(page);
      sco = page.frameLocator('#sf-frame');
      await expect
        .poll(() => sco.locator('#lms-info').textContent(), POLL)
        .toBe('scaled_passing_score=0.7 | entry=resume');
      expect(await page.locator('#sf-toc button[aria-current="step"]').getAttribute('data-item')).toBe(
        'dp_assessment',
      );
      expect(await tocStatuses(page)).toMatchObject({ dp_module: 'completed' });
      await sco.locator('input[name="q1"][value="b"]').check();
      await sco.locator('input[name="q2"][value="true"]').check();
      await sco.locator('input[name="q3"][value="a"]').check();
      await sco.locator('#finish').click();
      // exitAll ends the attempt: back to the LMS
      await page.waitForURL(returnUrl);
      expect(errors).toEqual([]);

      await expect.poll(async () => (await engine.attempt(attemptId)).status, POLL).toBe('completed');
      const done = await engine.attempt(attemptId);
      expect(done).toMatchObject({ completionStatus: 'completed', finishedAt: expect.any(String) });
      expect(done.totalTimeSeconds).toBeGreaterThan(0);
      const module = done.scos.find((s) => s.identifier === 'dp_module')!;
      const assessment = done.scos.find((s) => s.identifier === 'dp_assessment')!;
      expect(module).toMatchObject({ completionStatus: 'completed', location: 'screen-4' });
      expect(module.values['cmi.progress_measure']).toBe('1');
      // success is the LMS's evaluation of score.scaled 1 against the manifest's 0.7
      expect(assessment).toMatchObject({
        completionStatus: 'completed',
        successStatus: 'passed',
        score: { scaled: 1, raw: 3 },
        exit: 'normal',
      });

      const courseOrder = ['dp_module', 'dp_assessment'];
      const sorted = [...done.interactions].sort(
        (a, b) => courseOrder.indexOf(a.item) - courseOrder.indexOf(b.item) || a.index - b.index,
      );
      const interactions = sorted.map((i) => [
        i.item,
        i.id,
        i.type,
        i.learnerResponse,
        i.result,
        i.correctResponses,
      ]);
      expect(interactions).toEqual([
        ['dp_module', 'principle_storage', 'choice', 'storage_limitation', 'correct', ['storage_limitation']],
        ['dp_module', 'consent_only_basis', 'true-false', 'true', 'incorrect', ['false']],
        ['dp_module', 'regulation_name', 'fill-in', 'gdpr', 'correct', ['{case_matters=false}GDPR']],
        ['dp_module', 'breach_hours', 'numeric', '72', 'correct', ['72[:]72']],
        [
          'dp_module',
          'breach_steps',
          'sequencing',
          'contain[,]assess[,]notify',
          'correct',
          ['contain[,]assess[,]notify'],
        ],
        [
          'dp_module',
          'breach_roles',
          'matching',
          'dpo[.]report[,]it[.]contain',
          'correct',
          ['dpo[.]report[,]it[.]contain'],
        ],
        ['dp_assessment', 'final_q1', 'choice', 'b', 'correct', ['b']],
        ['dp_assessment', 'final_q2', 'true-false', 'true', 'correct', ['true']],
        ['dp_assessment', 'final_q3', 'choice', 'a', 'correct', ['a']],
      ]);
      expect(done.interactions.find((i) => i.id === 'breach_hours')).toMatchObject({
        objectiveIds: ['obj_breach'],
        weighting: 1,
        latency: 'PT5S',
        description: 'Notification deadline in hours',
      });

      const objectives = Object.fromEntries(
        done.objectives.filter((o) => o.item === 'dp_module').map((o) => [o.id, o]),
      );
      expect(objectives.obj_principles).toMatchObject({
        successStatus: 'failed',
        completionStatus: 'completed',
        score: { scaled: 0.6667, raw: 67, min: 0, max: 100 },
      });
      expect(objectives.obj_breach).toMatchObject({
        successStatus: 'passed',
        completionStatus: 'completed',
        score: { scaled: 1, raw: 100, min: 0, max: 100 },
      });
      await context.close();
    },
    STORY_TIMEOUT,
  );
});
