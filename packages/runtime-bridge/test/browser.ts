/** Real Chromium for the browser tests, and helpers that drive the player and SCO pages. */
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import type { Bridge, BridgeOptions, createBridge } from '../src/index.js';
import type { RuntimeServer } from './runtime-server.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export type ScormCall = (...args: unknown[]) => string;

/** The globals the test pages expose. */
export type TestWindow = Window & {
  ScormFlow: { createBridge: typeof createBridge; frame: unknown };
  bridge: Bridge;
  events: { e: string; d: unknown }[];
  sco: { api12: Record<string, ScormCall> | null; api2004: Record<string, ScormCall> | null };
  API?: Record<string, ScormCall>;
  API_1484_11?: Record<string, ScormCall>;
};

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Loads the player page at `origin` and creates `window.bridge` with event recording. */
export async function loadPlayer(
  page: Page,
  origin: string,
  options: Omit<BridgeOptions, 'target' | 'storage'>,
): Promise<void> {
  await page.goto(`${origin}/fixtures/player.html`);
  await page.evaluate((o) => {
    const w = window as unknown as TestWindow;
    w.events = [];
    w.bridge = w.ScormFlow.createBridge(o);
    for (const e of ['commit', 'error', 'terminate', 'status', 'log'] as const) {
      w.bridge.on(e, (d) => w.events.push({ e, d }));
    }
  }, options);
}

/** Adds an iframe to the player and answers its frame once loaded. */
export async function addFrame(page: Page, src: string, id = 'sco'): Promise<Frame> {
  await page.evaluate(
    ([s, i]) =>
      new Promise<void>((resolve) => {
        const f = document.createElement('iframe');
        f.id = i as string;
        f.title = 'SCO';
        f.addEventListener('load', () => resolve(), { once: true });
        f.src = s as string;
        document.body.append(f);
      }),
    [src, id],
  );
  const handle = await page.$(`iframe#${id}`);
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('no frame');
  return frame;
}

/** Requests of one attempt to one route. */
export function requestsOf(server: RuntimeServer, attemptId: string, route?: string) {
  return server.requests.filter(
    (r) => r.attemptId === attemptId && (route === undefined || r.route === route),
  );
}
