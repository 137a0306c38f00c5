import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueRuntimeToken, verifyRuntimeToken } from '../src/runtime/runtime-token.js';
import { PLAYER_HARNESS_SECRET, type PlayerHarness, startPlayerHarness } from './player-harness.js';

const require = createRequire(import.meta.url);

/**
 * A smoke test of the built-in player in Chromium: the page launches a SCO, tracks it through the
 * bridge, navigates (TOC, keyboard, Next offered after LMSFinish, 2004 continue and choice="false"),
 * suspends, and passes an axe accessibility check.
 */
describe('the player page in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scormflow-player-browser-'));
  let h: PlayerHarness;

  beforeAll(async () => {
    h = await startPlayerHarness(dir);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a multi-SCO 1.2 course: launch, status, offered Next, TOC keys, suspend', async () => {
    const course = await h.upload('player-12-multi.zip');
    const s = await h.start(course, 'browser-12');
    const page = await h.context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${h.url}${s.launchUrl}&autocommit=0`);
    await page.waitForSelector('body[data-state="running"]');
    const frame = page.frameLocator('#sf-frame');
    await expect.poll(() => frame.locator('#out').textContent()).toBe('Initialized: true');
    expect(await page.locator('#sf-toc button[data-item]').count()).toBe(5);
    expect(await page.locator('button[data-item="intro"]').getAttribute('aria-current')).toBe('step');
    expect(await page.locator('#sf-frame').getAttribute('title')).toBe('Lesson: Welcome to Workplace Safety');
    expect(await page.locator('#sf-prev').isDisabled()).toBe(true);

    // The SCO completes and commits: the TOC and the progress follow.
    await frame.locator('#complete').click();
    await page.waitForSelector('button[data-item="intro"][data-status="completed"]');
    expect(await page.locator('#sf-progress').textContent()).toBe('1 of 5 complete');
    // LMSFinish: Next is offered, not forced.
    await frame.locator('#finish').click();
    await page.waitForSelector('#sf-next.sf-offer');
    expect(await page.locator('button[data-item="intro"]').getAttribute('aria-current')).toBe('step');
    await page.locator('#sf-next').click();
    await page.waitForSelector('button[data-item="hazards"][aria-current="step"]');
    await page.waitForSelector('body[data-state="running"]');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Spotting Hazards');
    await expect.poll(() => page.locator('#sf-status').textContent()).toContain('Spotting Hazards');

    // Keyboard: arrows move in the TOC, Enter launches.
    await page.locator('button[data-item="hazards"]').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate('document.activeElement?.getAttribute("data-item")')).toBe('fire');
    await page.keyboard.press('Enter');
    await page.waitForSelector('button[data-item="fire"][aria-current="step"]');
    await page.waitForSelector('body[data-state="running"]');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Fire Safety');

    // Suspend: the SCO is closed with exit suspend, the attempt can be resumed.
    await page.locator('#sf-suspend').click();
    await page.waitForSelector('body[data-state="ended"]');
    expect(await page.locator('#sf-end').isVisible()).toBe(true);
    expect(await page.locator('#sf-end-title').textContent()).toBe('Your place is saved');
    const detail = await h.attempt(s.attempt.id);
    expect(detail.status).toBe('suspended');
    expect(detail.currentItem).toBe('fire');
    const bySco = Object.fromEntries(detail.scos.map((x) => [x.identifier, x]));
    expect(bySco.intro?.completionStatus).toBe('completed');
    expect(bySco.fire?.exit).toBe('suspend');
    expect(bySco.hazards?.launched).toBe(true);
    expect(violations).toEqual([]);

    // Relaunch: the player resumes at the SCO the learner was in.
    const again = await h.start(course, 'browser-12');
    expect(again.attempt.id).toBe(s.attempt.id);
    await page.goto(`${h.url}${again.launchUrl}`);
    await page.waitForSelector('body[data-state="running"]');
    expect(await page.locator('button[data-item="fire"]').getAttribute('aria-current')).toBe('step');
    expect(await page.locator('button[data-item="intro"]').getAttribute('data-status')).toBe('completed');
    await page.close();
  });

  it('follows 2004 flow: choice="false" locks the TOC, continue opens the next SCO, exitAll returns', async () => {
    const course = await h.upload('player-2004-linear.zip');
    const s = await h.start(course, 'browser-2004', { returnUrl: `${h.url}/healthz?back=1` });
    const page = await h.context.newPage();
    await page.goto(`${h.url}${s.launchUrl}`);
    await page.waitForSelector('body[data-state="running"]');
    expect(await page.locator('button[data-item="hazards"]').isDisabled()).toBe(true);
    expect(await page.locator('#sf-next').isDisabled()).toBe(false);
    const frame = page.frameLocator('#sf-frame');
    await expect.poll(() => frame.locator('#out').textContent()).toBe('Initialized: true');
    await frame.locator('#continue').click();
    await page.waitForSelector('button[data-item="hazards"][aria-current="step"]');
    await page.waitForSelector('body[data-state="running"]');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Spotting Hazards');
    const detail = await h.attempt(s.attempt.id);
    expect(detail.scos.find((x) => x.identifier === 'intro')?.running).toBe(false);

    // exitAll from the SCO ends the attempt's page and goes to the signed return URL.
    await expect.poll(() => frame.locator('#out').textContent()).toBe('Initialized: true');
    await frame.locator('#complete').click();
    const api = frame.locator('body');
    await api.evaluate("window.scoApi.SetValue('adl.nav.request', 'exitAll'); window.scoApi.Terminate('')");
    await page.waitForURL(/\/healthz\?back=1$/);
    await page.close();
  });

  it('autocommits at the interval of ?autocommit and shows a non-blocking banner while saves fail', async () => {
    const course = await h.upload('player-12-multi.zip');
    const s = await h.start(course, 'browser-banner');
    const page = await h.context.newPage();
    await page.goto(`${h.url}${s.launchUrl}&autocommit=1`);
    await page.waitForSelector('body[data-state="running"]');
    const frame = page.frameLocator('#sf-frame');
    await expect.poll(() => frame.locator('#out').textContent()).toBe('Initialized: true');
    expect(await page.locator('#sf-error').isHidden()).toBe(true);

    // The network to the engine fails: the learner sees the banner, the SCO keeps running.
    await page.route('**/api/v1/runtime/*/commit', (route) => route.abort('connectionfailed'));
    await frame.locator('body').evaluate("window.scoApi.LMSSetValue('cmi.core.lesson_location', 'page-3')");
    await page.waitForSelector('#sf-error:not([hidden])');
    expect(await page.locator('#sf-error').getAttribute('role')).toBe('alert');
    expect(await page.locator('#sf-error-text').textContent()).toContain('retrying');
    expect(await page.locator('body').getAttribute('data-state')).toBe('running');

    // Back online: the value set without any LMSCommit arrives by autocommit; the banner goes.
    await page.unroute('**/api/v1/runtime/*/commit');
    await page.waitForSelector('#sf-error[hidden]', { state: 'attached' });
    await expect
      .poll(async () => (await h.attempt(s.attempt.id)).scos.find((x) => x.identifier === 'intro')?.location)
      .toBe('page-3');
    await page.close();
  });

  it('keeps the token of the launch link in the address bar fresh, so a reload opens the page', async () => {
    const course = await h.upload('player-12-multi.zip');
    const s = await h.start(course, 'browser-renew');
    const claims = JSON.parse(Buffer.from(s.runtimeToken.split('.')[1]!, 'base64url').toString()) as {
      tid: string;
      lrn: string;
    };
    // A token two minutes and a bit from its expiry: the page renews it at once.
    const short = await issueRuntimeToken(
      { tenantId: claims.tid, attemptId: s.attempt.id, learnerId: claims.lrn },
      PLAYER_HARNESS_SECRET,
      125,
    );
    const page = await h.context.newPage();
    await page.goto(`${h.url}/play/${s.attempt.id}?token=${short.token}`);
    await page.waitForSelector('body[data-state="running"]');
    await expect
      .poll(() => new URL(page.url()).searchParams.get('token'), { timeout: 15_000 })
      .not.toBe(short.token);
    const renewed = new URL(page.url()).searchParams.get('token')!;
    expect((await verifyRuntimeToken(renewed, PLAYER_HARNESS_SECRET)).ok).toBe(true);
    await page.reload();
    await page.waitForSelector('body[data-state="running"]');
    await page.close();
  });

  it('passes an axe-core check of WCAG 2 A/AA rules', async () => {
    const course = await h.upload('player-12-multi.zip');
    const s = await h.start(course, 'browser-axe');
    // axe is injected as a script, which the page's CSP would refuse: a context that bypasses it.
    const context = await h.browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${h.url}${s.launchUrl}`);
    await page.waitForSelector('body[data-state="running"]');
    // Statuses of every colour, on the current item too.
    const frame = page.frameLocator('#sf-frame');
    await frame.locator('#complete').click();
    await page.waitForSelector('button[data-item="intro"][data-status="completed"]');
    await page.locator('button[data-item="hazards"]').click();
    await page.waitForSelector('body[data-state="running"]');
    await expect.poll(() => frame.locator('#out').textContent()).toBe('Initialized: true');
    await frame
      .locator('body')
      .evaluate("window.scoApi.LMSSetValue('cmi.core.lesson_status', 'failed'); window.scoApi.LMSCommit('')");
    await page.waitForSelector('button[data-item="hazards"][data-status="failed"]');
    await page.locator('button[data-item="intro"]').click();
    await page.waitForSelector('button[data-item="intro"][aria-current="step"]');
    await page.waitForSelector('body[data-state="running"]');
    await page.addScriptTag({ content: await readFile(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const result = (await page.evaluate(
      "axe.run({ exclude: [['#sf-frame']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
    )) as { violations: { id: string }[] };
    expect(result.violations.map((v) => v.id)).toEqual([]);
    // Narrow screens: the contents become a drawer opened by the toggle.
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.locator('#sf-nav').isVisible()).toBe(false);
    await page.locator('#sf-toc-toggle').click();
    await expect.poll(() => page.locator('#sf-nav').isVisible()).toBe(true);
    expect(await page.locator('#sf-toc-toggle').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#sf-nav').isVisible()).toBe(false);
    await context.close();
  });
});

describe('the player page with cross-origin content (frame mode) in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scormflow-player-frame-'));
  let h: PlayerHarness;

  beforeAll(async () => {
    h = await startPlayerHarness(dir, { crossOrigin: true });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs SCOs served from another origin through the injected runtime and relays their progress', async () => {
    const course = await h.upload('player-12-multi.zip');
    const s = await h.start(course, 'frame-12');
    expect(s.launchUrl.startsWith(`${h.url}/play/`)).toBe(true);
    const page = await h.context.newPage();
    await page.goto(s.launchUrl);
    await page.waitForSelector('body[data-state="running"]');
    const frame = page.frameLocator('#sf-frame');
    await expect.poll(() => frame.locator('#out').textContent()).toBe('Initialized: true');
    const src = await page.locator('#sf-frame').getAttribute('src');
    expect(new URL(src!).host).toBe(new URL(h.url).host.replace('player.test', 'content.test'));
    // The SCO found its API in its own frame: the player's window has none.
    expect(await page.evaluate('typeof window.API')).toBe('undefined');

    await frame.locator('#complete').click();
    await page.waitForSelector('button[data-item="intro"][data-status="completed"]');
    await frame.locator('#finish').click();
    await page.waitForSelector('#sf-next.sf-offer');
    await page.locator('#sf-next').click();
    await page.waitForSelector('button[data-item="hazards"][aria-current="step"]');
    await page.waitForSelector('body[data-state="running"]');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Spotting Hazards');
    await expect.poll(() => frame.locator('#out').textContent()).toBe('Initialized: true');
    await page.locator('#sf-exit').click();
    await page.waitForSelector('body[data-state="ended"]');
    const detail = await h.attempt(s.attempt.id);
    const bySco = Object.fromEntries(detail.scos.map((x) => [x.identifier, x]));
    expect(bySco.intro?.completionStatus).toBe('completed');
    expect(bySco.hazards?.launched).toBe(true);
    expect(bySco.hazards?.running).toBe(false);
    await page.close();
  });
});
