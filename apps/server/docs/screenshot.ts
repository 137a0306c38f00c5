/**
 * Regenerates docs/player.png: the built-in player on a multi-SCO SCORM 1.2 course in Chromium,
 * after the learner completed the first lesson and moved on to the second.
 * Run: pnpm --filter @scormflow/server screenshot
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlayerHarness } from '../test/player-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'scormflow-screenshot-'));
const h = await startPlayerHarness(dir, { viewport: { width: 1280, height: 760 } });
try {
  const course = await h.upload('player-12-multi.zip');
  const s = await h.start(course, 'screenshot');
  const page = await h.context.newPage();
  await page.goto(`${h.url}${s.launchUrl}`);
  await page.waitForSelector('body[data-state="running"]');
  const frame = page.frameLocator('#sf-frame');
  await frame.locator('#complete').click();
  await page.waitForSelector('button[data-item="intro"][data-status="completed"]');
  await frame.locator('#finish').click();
  await page.locator('#sf-next').click();
  await page.waitForSelector('button[data-item="hazards"][aria-current="step"]');
  await page.waitForSelector('body[data-state="running"]');
  await frame.locator('#complete').waitFor();
  // A lesson in progress: the SCO reports incomplete.
  await frame
    .locator('body')
    .evaluate(
      "window.scoApi.LMSSetValue('cmi.core.lesson_status', 'incomplete'); window.scoApi.LMSCommit('')",
    );
  await page.waitForSelector('button[data-item="hazards"][data-status="incomplete"]');
  await page.mouse.move(0, 0);
  const out = join(import.meta.dirname, 'player.png');
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
}
