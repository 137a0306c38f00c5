import { PLAYER_CLIENT } from './client.js';
import type { Navigation, NavigationItem } from './navigation.js';
import { PLAYER_CSS } from './styles.js';

/** Text for HTML content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** JSON that is safe inside a `<script type="application/json">` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

/** The words a TOC shows for a `data-status`. */
export const STATUS_LABELS: Record<string, string> = {
  'not attempted': 'Not started',
  incomplete: 'In progress',
  completed: 'Completed',
  passed: 'Passed',
  failed: 'Failed',
  browsed: 'Browsed',
  unknown: 'Status unknown',
};

/** The page's Content-Security-Policy: scripts and styles only under the nonce, frames only from the content origin. */
export function playerCsp(nonce: string, sources: { connect: string[]; frame: string[] }): string {
  const list = (values: string[]) => [...new Set(["'self'", ...values])].join(' ');
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    `connect-src ${list(sources.connect)}`,
    `frame-src ${list(sources.frame)}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Everything the page's script needs, embedded as JSON. */
export interface PlayerConfig {
  attemptId: string;
  runtimeToken: string;
  tokenExpiresAt: string;
  /** Origin and path prefix of the engine's API, `''` for the page's own origin. */
  apiBase: string;
  /** The content origin when the content is cross-origin (frame mode), else `null`. */
  contentOrigin: string | null;
  navigation: Navigation;
}

function launchableOf(nav: Navigation): NavigationItem[] {
  return nav.items.filter((i) => i.launchable);
}

/** Launchable items that count as complete, for "3 of 7 complete". */
export function completeCount(nav: Navigation): number {
  return launchableOf(nav).filter((i) => i.progress?.completionStatus === 'completed').length;
}

function tocItems(nav: Navigation, parent: string | null): string {
  const out: string[] = [];
  for (const item of nav.items) {
    if (item.parentIdentifier !== parent || !item.visible) continue;
    const kids = item.children.length > 0 ? tocItems(nav, item.identifier) : '';
    if (item.launchable) {
      const status = item.progress?.status ?? 'not attempted';
      out.push(
        `<li><button type="button" class="sf-item" data-item="${escapeHtml(item.identifier)}" data-status="${escapeHtml(status)}">` +
          '<span class="sf-icon" aria-hidden="true"></span>' +
          `<span class="sf-item-title">${escapeHtml(item.title)}</span>` +
          `<span class="sf-item-status">${escapeHtml(STATUS_LABELS[status] ?? status)}</span>` +
          `</button>${kids ? `<ul>${kids}</ul>` : ''}</li>`,
      );
    } else if (kids) {
      out.push(`<li><span class="sf-group">${escapeHtml(item.title)}</span><ul>${kids}</ul></li>`);
    }
  }
  return out.join('');
}

/**
 * The player page: header (title, progress, Suspend / Exit), the table of contents of a multi-SCO
 * organization, the SCO frame, Previous / Next, the error banner and the live status region. The
 * page is complete in itself: inline CSS and script under a CSP nonce, plus the runtime script.
 */
export function renderPlayerPage(input: {
  config: PlayerConfig;
  nonce: string;
  runtimeScriptUrl: string;
}): string {
  const { config, nonce } = input;
  const nav = config.navigation;
  const launchable = launchableOf(nav);
  const multi = launchable.length > 1;
  const title = nav.course.title;
  const done = completeCount(nav);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${PLAYER_CSS}</style>
</head>
<body data-state="loading" class="${multi ? 'sf-multi' : 'sf-single'}">
<a class="sf-skip" href="#sf-main">Skip to the lesson</a>
<header class="sf-header">
  <button type="button" id="sf-toc-toggle" class="sf-icon-btn" aria-controls="sf-nav" aria-expanded="true"${multi ? '' : ' hidden'}><span class="sf-burger" aria-hidden="true"></span><span class="sf-sr">Course contents</span></button>
  <div class="sf-heading">
    <h1>${escapeHtml(title)}</h1>
    <p class="sf-progress-text" id="sf-progress">${multi ? `${done} of ${launchable.length} complete` : ''}</p>
  </div>
  <div class="sf-actions">
    <button type="button" class="sf-btn" id="sf-suspend">Suspend</button>
    <button type="button" class="sf-btn sf-btn-primary" id="sf-exit">Exit</button>
  </div>
  <div class="sf-meter" aria-hidden="true"><span id="sf-meter"></span></div>
</header>
<div id="sf-error" class="sf-alert" role="alert" hidden><p id="sf-error-text"></p><button type="button" id="sf-error-dismiss">Dismiss</button></div>
<div class="sf-body">
  <nav id="sf-nav" class="sf-nav" aria-label="Course contents"${multi ? '' : ' hidden'}>
    <h2>Contents</h2>
    <ul id="sf-toc" class="sf-toc">${tocItems(nav, null)}</ul>
  </nav>
  <div class="sf-scrim" id="sf-scrim"></div>
  <main id="sf-main" class="sf-main" tabindex="-1">
    <iframe id="sf-frame" class="sf-frame" title="Lesson" allow="fullscreen; autoplay; clipboard-write" allowfullscreen></iframe>
    <div id="sf-loading" class="sf-overlay"><div class="sf-spinner" aria-hidden="true"></div><p>Loading the lesson&hellip;</p></div>
    <section id="sf-end" class="sf-overlay" aria-labelledby="sf-end-title" hidden>
      <div class="sf-end-icon" aria-hidden="true">&#10003;</div>
      <h2 id="sf-end-title" tabindex="-1">You have left the course</h2>
      <p id="sf-end-text">Your progress is saved.</p>
      <a id="sf-return" class="sf-btn sf-btn-primary" hidden>Return</a>
    </section>
  </main>
</div>
<footer class="sf-footer"${multi ? '' : ' hidden'}>
  <button type="button" class="sf-btn" id="sf-prev">Previous</button>
  <span class="sf-current" id="sf-current"></span>
  <button type="button" class="sf-btn" id="sf-next">Next</button>
</footer>
<div id="sf-status" class="sf-sr" role="status" aria-live="polite"></div>
<script type="application/json" id="sf-config" nonce="${nonce}">${scriptJson(config)}</script>
<script nonce="${nonce}" src="${escapeHtml(input.runtimeScriptUrl)}"></script>
<script nonce="${nonce}">${PLAYER_CLIENT}</script>
</body>
</html>
`;
}

/**
 * A page without the player: a refused launch (`role="alert"`: what happened and what to do) or
 * an attempt that already ended (with the return link when there is one).
 */
export function renderMessagePage(input: {
  nonce: string;
  title: string;
  message: string;
  kind: 'error' | 'ended';
  returnUrl?: string | null;
}): string {
  const { nonce } = input;
  const link = input.returnUrl
    ? `<a class="sf-btn sf-btn-primary" href="${escapeHtml(input.returnUrl)}">Return</a>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${escapeHtml(input.title)}</title>
<style nonce="${nonce}">${PLAYER_CSS}
body { display: flex; align-items: center; justify-content: center; padding: 24px; background: var(--sf-surface); }
.sf-card { max-width: 520px; background: var(--sf-bg); border: 1px solid var(--sf-border); border-radius: 10px;
  padding: 28px 32px; box-shadow: 0 1px 3px rgba(31, 35, 40, .08); }
.sf-card h1 { margin: 0 0 10px; font-size: 20px; }
.sf-card p { margin: 0 0 18px; color: var(--sf-muted); }
</style>
</head>
<body data-state="${input.kind === 'error' ? 'error' : 'ended'}">
<main class="sf-card">
  <div ${input.kind === 'error' ? 'id="sf-error" role="alert"' : 'id="sf-end"'}>
    <h1>${escapeHtml(input.title)}</h1>
    <p>${escapeHtml(input.message)}</p>
  </div>
  ${link}
</main>
</body>
</html>
`;
}
