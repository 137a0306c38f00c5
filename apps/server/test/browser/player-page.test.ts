import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueRuntimeToken } from '../../src/runtime/runtime-token.js';
import {
  type Engine,
  launchChromium,
  newContext,
  POLL,
  STORY_TIMEOUT,
  startEngine,
  tocStatuses,
  waitRunning,
} from './harness.js';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core on the player's own document (not into the course's frame) and returns the violations. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH });
  return (await page.evaluate(`axe
    .run(document, { iframes: false, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary),
    })))`)) as AxeViolation[];
}

function seriousOnes(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The player page itself: accessibility of a multi-SCO course, keyboard use, and the bad-token page. */
describe('the player page in Chromium', () => {
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
    'has no serious or critical axe violations on a multi-SCO course',
    async () => {
      const s = await engine.start(courseId, 'axe-learner');
      // axe is injected as an inline script: the page's own CSP would (rightly) refuse it
      const context = await newContext(browser, { bypassCSP: true });
      const page = await context.newPage();
      await page.goto(s.launchUrl);
      await waitRunning(page);
      // a finished item in the contents, so that every status style is on the page
      await expect.poll(async () => (await tocStatuses(page)).wh_intro, POLL).toBe('completed');
      const serious = seriousOnes(await axeViolations(page));
      expect(serious, `axe violations:\n${JSON.stringify(serious, null, 2)}`).toEqual([]);
      await context.close();
    },
    STORY_TIMEOUT,
  );

  it(
    'has landmarks, a titled frame, a live region and a keyboard-operable table of contents',
    async () => {
      const s = await engine.start(courseId, 'keyboard-learner');
      const context = await newContext(browser);
      const page = await context.newPage();
      await page.goto(s.launchUrl);
      await waitRunning(page);
      expect(await page.locator('header').count()).toBeGreaterThan(0);
      expect(await page.locator('main').count()).toBe(1);
      expect(
        await page
          .locator('nav[aria-label="Course contents"] #sf-toc, nav[aria-label="Course contents"]#sf-toc')
          .count(),
      ).toBe(1);
      expect((await page.locator('#sf-frame').getAttribute('title'))?.trim()).toBeTruthy();
      expect(await page.locator('#sf-status').getAttribute('aria-live')).toBe('polite');
      for (const [id, label] of [
        ['#sf-prev', 'Previous'],
        ['#sf-next', 'Next'],
        ['#sf-suspend', 'Suspend'],
        ['#sf-exit', 'Exit'],
      ] as const) {
        expect(await page.locator(id).textContent()).toContain(label);
      }

      // keyboard: focus the current item, arrow down to the next one, Enter opens it
      await page.locator('#sf-toc button[data-item="wh_intro"]').focus();
      await page.keyboard.press('ArrowDown');
      expect(
        await page.evaluate('document.activeElement && document.activeElement.getAttribute("data-item")'),
      ).toBe('wh_lesson');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('#sf-toc button[aria-current="step"]').getAttribute('data-item'), POLL)
        .toBe('wh_lesson');
      await expect
        .poll(() => page.frameLocator('#sf-frame').locator('#launch-data').textContent(), POLL)
        .toBe('chapter=2&mode=review');
      // the change is announced
      await expect.poll(() => page.locator('#sf-status').textContent(), POLL).toContain('Safe Lifting');
      await context.close();
    },
    STORY_TIMEOUT,
  );

  it(
    'shows an alert for a bad, expired or other-attempt token, with the right status',
    async () => {
      const a = await engine.start(courseId, 'token-learner-a');
      const b = await engine.start(courseId, 'token-learner-b');
      const expired = await issueRuntimeToken(
        { tenantId: 'default', attemptId: a.attempt.id, learnerId: 'someone' },
        engine.jwtSecret,
        60,
        { now: new Date(Date.now() - 2 * 3600_000) },
      );
      const context = await newContext(browser, { bypassCSP: true });
      const page = await context.newPage();
      const cases: [string, string, number][] = [
        ['malformed', 'not-a-token', 401],
        ['expired', expired.token, 401],
        ['another attempt', b.runtimeToken, 403],
      ];
      for (const [label, token, status] of cases) {
        const res = await page.goto(`${engine.url}/play/${a.attempt.id}?token=${encodeURIComponent(token)}`);
        expect(res?.status(), label).toBe(status);
        const alert = page.locator('[role="alert"]');
        expect(await alert.count(), label).toBeGreaterThan(0);
        expect(await alert.first().isVisible(), label).toBe(true);
        expect((await alert.first().textContent())?.trim().length ?? 0, label).toBeGreaterThan(20);
        expect(await page.locator('#sf-frame').count(), label).toBe(0);
      }
      const missing = await page.goto(`${engine.url}/play/${a.attempt.id}`);
      expect(missing?.status()).toBe(401);
      expect(await page.locator('[role="alert"]').first().isVisible()).toBe(true);
      const serious = seriousOnes(await axeViolations(page));
      expect(serious, `axe violations:\n${JSON.stringify(serious, null, 2)}`).toEqual([]);
      await context.close();
    },
    STORY_TIMEOUT,
  );
});
