/**
 * The player's style sheet, inlined into the page under the CSP nonce. System fonts, a neutral
 * palette whose text colours reach WCAG AA contrast (4.5:1) on their backgrounds, visible focus
 * rings, and a drawer for the table of contents on narrow screens.
 */
export const PLAYER_CSS = `
:root {
  --sf-bg: #ffffff; --sf-surface: #f6f8fa; --sf-border: #d0d7de; --sf-text: #1f2328;
  --sf-muted: #57606a; --sf-accent: #0a5fc2; --sf-accent-text: #ffffff; --sf-accent-soft: #ddeafc;
  --sf-ok: #116329; --sf-warn: #7d4e00; --sf-bad: #a40e26; --sf-focus: #0a5fc2;
  --sf-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { font: 15px/1.45 var(--sf-font); color: var(--sf-text); background: var(--sf-bg);
  display: flex; flex-direction: column; height: 100vh; height: 100dvh; overflow: hidden; }
[hidden] { display: none !important; }
.sf-sr { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.sf-skip { position: absolute; left: 8px; top: -48px; z-index: 30; background: var(--sf-accent);
  color: var(--sf-accent-text); padding: 8px 12px; border-radius: 6px; text-decoration: none; }
.sf-skip:focus { top: 8px; }
:focus-visible { outline: 3px solid var(--sf-focus); outline-offset: 2px; }
button { font: inherit; color: inherit; cursor: pointer; }
button:disabled { cursor: not-allowed; }

.sf-header { display: flex; align-items: center; gap: 12px; padding: 10px 16px;
  border-bottom: 1px solid var(--sf-border); background: var(--sf-bg); position: relative; }
.sf-heading { flex: 1; min-width: 0; }
.sf-heading h1 { margin: 0; font-size: 17px; font-weight: 600; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
.sf-progress-text { margin: 2px 0 0; font-size: 13px; color: var(--sf-muted); }
.sf-meter { position: absolute; left: 0; right: 0; bottom: -1px; height: 3px; background: transparent; }
.sf-meter > span { display: block; height: 100%; width: 0; background: var(--sf-ok);
  transition: width .3s ease; }
.sf-actions { display: flex; gap: 8px; }
.sf-btn { display: inline-flex; align-items: center; gap: 6px; min-height: 36px; padding: 6px 14px;
  border: 1px solid var(--sf-border); border-radius: 6px; background: var(--sf-bg); font-weight: 500; }
.sf-btn:hover:not(:disabled) { background: var(--sf-surface); }
.sf-btn:disabled { color: #8c959f; background: var(--sf-surface); }
.sf-btn-primary { background: var(--sf-accent); border-color: var(--sf-accent); color: var(--sf-accent-text); }
.sf-btn-primary:hover:not(:disabled) { background: #084fa3; }
.sf-btn.sf-offer { background: var(--sf-accent); border-color: var(--sf-accent); color: var(--sf-accent-text);
  box-shadow: 0 0 0 3px var(--sf-accent-soft); }
.sf-icon-btn { min-width: 36px; min-height: 36px; padding: 6px 8px; border: 1px solid var(--sf-border);
  border-radius: 6px; background: var(--sf-bg); }
.sf-burger { display: block; width: 18px; height: 2px; background: currentColor; position: relative; }
.sf-burger::before, .sf-burger::after { content: ""; position: absolute; left: 0; width: 18px; height: 2px;
  background: currentColor; }
.sf-burger::before { top: -6px; } .sf-burger::after { top: 6px; }

.sf-alert { display: flex; align-items: center; gap: 12px; padding: 8px 16px; background: #fff4e5;
  border-bottom: 1px solid #f0c36d; color: #5c3b00; font-size: 14px; }
.sf-alert.sf-alert-fatal { background: #ffebe9; border-color: #ff8182; color: #82071e; }
.sf-alert p { margin: 0; flex: 1; }
.sf-alert button { border: 1px solid currentColor; border-radius: 6px; background: transparent;
  padding: 2px 10px; font-size: 13px; }

.sf-body { flex: 1; display: grid; grid-template-columns: 300px 1fr; grid-template-rows: 100%; min-height: 0; }
body.sf-single .sf-body, body.sf-toc-collapsed .sf-body { grid-template-columns: 1fr; }
.sf-nav { border-right: 1px solid var(--sf-border); background: var(--sf-surface); overflow-y: auto;
  padding: 12px 8px 24px; min-height: 0; }
body.sf-toc-collapsed .sf-nav { display: none; }
.sf-nav h2 { margin: 4px 8px 10px; font-size: 12px; letter-spacing: .06em; text-transform: uppercase;
  color: var(--sf-muted); font-weight: 600; }
.sf-toc, .sf-toc ul { list-style: none; margin: 0; padding: 0; }
.sf-toc ul { padding-left: 14px; margin-left: 10px; border-left: 1px solid var(--sf-border); }
.sf-group { display: block; padding: 10px 8px 4px; font-size: 13px; font-weight: 600; color: var(--sf-text); }
.sf-item { display: grid; grid-template-columns: 20px 1fr; column-gap: 8px; width: 100%; text-align: left;
  padding: 7px 8px; margin: 1px 0; border: 1px solid transparent; border-radius: 6px; background: transparent; }
.sf-item:hover:not(:disabled) { background: #eaeef2; }
.sf-item[aria-current="step"] { background: var(--sf-accent-soft); border-color: #9ec2f2; }
.sf-item[aria-current="step"] .sf-item-title { font-weight: 600; }
.sf-item:disabled { opacity: 1; }
.sf-item:disabled .sf-item-title { color: var(--sf-muted); }
.sf-item-title { grid-column: 2; overflow-wrap: anywhere; }
.sf-item-status { grid-column: 2; font-size: 12px; color: var(--sf-muted); }
.sf-icon { grid-row: 1 / span 2; width: 18px; height: 18px; margin-top: 1px; border-radius: 50%;
  border: 2px solid #8c959f; display: inline-flex; align-items: center; justify-content: center;
  font-size: 11px; line-height: 1; font-weight: 700; color: #fff; }
[data-status="incomplete"] .sf-icon, [data-status="browsed"] .sf-icon {
  border-color: var(--sf-warn); background: linear-gradient(90deg, var(--sf-warn) 50%, transparent 50%); }
[data-status="completed"] .sf-icon, [data-status="passed"] .sf-icon { border-color: var(--sf-ok); background: var(--sf-ok); }
[data-status="completed"] .sf-icon::after, [data-status="passed"] .sf-icon::after { content: "\\2713"; }
[data-status="failed"] .sf-icon { border-color: var(--sf-bad); background: var(--sf-bad); }
[data-status="failed"] .sf-icon::after { content: "\\2715"; }
[data-status="completed"] .sf-item-status, [data-status="passed"] .sf-item-status { color: var(--sf-ok); }
[data-status="failed"] .sf-item-status { color: var(--sf-bad); }
[data-status="incomplete"] .sf-item-status { color: var(--sf-warn); }

.sf-main { position: relative; min-height: 0; min-width: 0; background: var(--sf-bg); }
.sf-frame { display: block; width: 100%; height: 100%; border: 0; background: #fff; }
body:not([data-state="running"]) .sf-frame { visibility: hidden; }
.sf-overlay { position: absolute; inset: 0; display: flex; flex-direction: column; align-items: center;
  justify-content: center; gap: 12px; padding: 24px; text-align: center; background: var(--sf-bg); }
.sf-overlay h2 { margin: 0; font-size: 22px; }
.sf-overlay p { margin: 0; max-width: 46ch; color: var(--sf-muted); }
.sf-spinner { width: 32px; height: 32px; border-radius: 50%; border: 3px solid var(--sf-border);
  border-top-color: var(--sf-accent); animation: sf-spin .8s linear infinite; }
@keyframes sf-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .sf-spinner { animation: none; } .sf-meter > span { transition: none; } }
.sf-end-icon { width: 56px; height: 56px; border-radius: 50%; background: var(--sf-ok); color: #fff;
  display: flex; align-items: center; justify-content: center; font-size: 28px; }
a.sf-btn { text-decoration: none; color: var(--sf-accent-text); }

.sf-footer { display: flex; align-items: center; justify-content: space-between; gap: 12px;
  padding: 8px 16px; border-top: 1px solid var(--sf-border); background: var(--sf-bg); }
.sf-footer .sf-current { flex: 1; text-align: center; color: var(--sf-muted); font-size: 13px;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.sf-scrim { display: none; }

@media (max-width: 820px) {
  .sf-body { grid-template-columns: 1fr; }
  .sf-nav { position: fixed; z-index: 20; top: 0; bottom: 0; left: 0; width: min(320px, 86vw);
    box-shadow: 0 8px 24px rgba(31, 35, 40, .25); transform: translateX(-105%); transition: transform .2s ease;
    visibility: hidden; }
  body.sf-toc-open .sf-nav { transform: none; visibility: visible; }
  body.sf-toc-collapsed .sf-nav { display: block; }
  body.sf-toc-open .sf-scrim { display: block; position: fixed; inset: 0; z-index: 15; background: rgba(31, 35, 40, .4); }
  .sf-actions .sf-btn { padding: 6px 10px; }
  .sf-heading h1 { font-size: 15px; }
}
@media (prefers-reduced-motion: reduce) { .sf-nav { transition: none; } }
`;
