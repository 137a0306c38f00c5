/**
 * The player page's own script, inlined under the CSP nonce. Plain ES2018 without imports: it
 * drives `window.ScormFlow.createBridge` (from `/runtime.js`), the SCO frame, the table of
 * contents and the navigation buttons.
 *
 * - A SCO is opened with `bridge.open(item)` before the frame gets its URL, and a SCO change first
 *   unloads the frame (so the content's own unload handlers still reach the API), then awaits
 *   `bridge.close()`, then opens the next one.
 * - SCORM 2004: after Terminate the player honours `adl.nav.request` (continue, previous, choice,
 *   jump, exit, exitAll, suspendAll, abandon(All), _none_) within the control modes the manifest
 *   states: no choice in the TOC under `choice="false"`, no Previous / Next under `flow="false"`,
 *   no Previous under `forwardOnly="true"`; flow follows the item order.
 * - SCORM 1.2: free choice, Previous / Next in item order, and after LMSFinish with completed or
 *   passed the Next button is offered (highlighted and announced), never forced.
 * - Suspend closes the SCO with exit `suspend` (2004: also `adl.nav.request=suspendAll`); Exit
 *   closes it normally. Both then end the page: the return URL, or the end screen.
 * @see SCORM 2004 4th Ed SN 4.4.3 (navigation requests), RTE 4.4 (adl.nav.request)
 */
export const PLAYER_CLIENT = String.raw`(function () {
  'use strict';
  var doc = document;
  var body = doc.body;
  var $ = function (id) { return doc.getElementById(id); };
  var cfg = JSON.parse($('sf-config').textContent);
  var nav = cfg.navigation;
  var v12 = nav.course.scormVersion === '1.2';
  var LABELS = { 'not attempted': 'Not started', incomplete: 'In progress', completed: 'Completed',
    passed: 'Passed', failed: 'Failed', browsed: 'Browsed', unknown: 'Status unknown' };
  var byId = {};
  nav.items.forEach(function (i) { byId[i.identifier] = i; });
  var order = nav.items.filter(function (i) { return i.launchable; });
  var single = order.length <= 1;
  var frame = $('sf-frame');
  var toc = $('sf-toc');
  var prevBtn = $('sf-prev');
  var nextBtn = $('sf-next');
  var current = null;
  var busy = false;
  var switching = false;
  var ended = false;
  var terminated = false;
  var complete = {};
  order.forEach(function (i) { complete[i.identifier] = !!(i.progress && i.progress.completionStatus === 'completed'); });

  function setState(s) { body.dataset.state = s; }
  function announce(text) {
    var el = $('sf-status');
    el.textContent = '';
    setTimeout(function () { el.textContent = text; }, 30);
  }
  var errorTimer = null;
  function showError(text, fatal) {
    $('sf-error-text').textContent = text;
    $('sf-error').classList.toggle('sf-alert-fatal', !!fatal);
    $('sf-error').hidden = false;
  }
  function hideError() { $('sf-error').hidden = true; }
  $('sf-error-dismiss').addEventListener('click', hideError);

  // ---- control modes (only the flags the manifest states; absent means allowed) ----
  function ancestors(item) {
    var out = [];
    var p = item.parentIdentifier ? byId[item.parentIdentifier] : null;
    while (p) { out.push(p.controlMode); p = p.parentIdentifier ? byId[p.parentIdentifier] : null; }
    out.push(nav.organization.controlMode);
    return out;
  }
  function parentMode(item) { return ancestors(item)[0] || null; }
  function choiceAllowed(item) {
    if (v12) return true;
    return ancestors(item).every(function (cm) { return !cm || cm.choice !== false; });
  }
  function flowAllowed(item) { var cm = parentMode(item); return v12 || !cm || cm.flow !== false; }
  function backAllowed(item) { var cm = parentMode(item); return v12 || !cm || cm.forwardOnly !== true; }
  function indexOf(id) { for (var i = 0; i < order.length; i++) if (order[i].identifier === id) return i; return -1; }
  function neighbour(delta) {
    var at = indexOf(current);
    var target = order[at + delta];
    if (!target) return null;
    var from = byId[current];
    if (!flowAllowed(from) || !flowAllowed(target)) return null;
    if (delta < 0 && !backAllowed(from)) return null;
    return target;
  }

  // ---- table of contents ----
  function buttonOf(id) {
    var list = toc.querySelectorAll('button[data-item]');
    for (var i = 0; i < list.length; i++) if (list[i].getAttribute('data-item') === id) return list[i];
    return null;
  }
  function statusOf(detail) {
    var s = detail && detail.successStatus;
    if (s === 'passed' || s === 'failed') return s;
    var c = detail && (detail.lessonStatus || detail.completionStatus);
    return LABELS[c] ? c : 'unknown';
  }
  function setStatus(id, status, isComplete) {
    var b = buttonOf(id);
    if (b) {
      b.setAttribute('data-status', status);
      b.querySelector('.sf-item-status').textContent = LABELS[status] || status;
    }
    if (id in complete) complete[id] = isComplete;
    renderProgress();
  }
  function doneCount() { return order.filter(function (i) { return complete[i.identifier]; }).length; }
  function allDone() { return doneCount() === order.length; }
  function renderProgress() {
    var n = doneCount();
    if (!single) $('sf-progress').textContent = n + ' of ' + order.length + ' complete';
    $('sf-meter').style.width = order.length ? (100 * n / order.length) + '%' : '0';
  }
  function renderCurrent() {
    var list = toc.querySelectorAll('button[data-item]');
    for (var i = 0; i < list.length; i++) {
      var id = list[i].getAttribute('data-item');
      if (id === current) list[i].setAttribute('aria-current', 'step'); else list[i].removeAttribute('aria-current');
      list[i].disabled = ended || (id !== current && !choiceAllowed(byId[id]));
    }
    var item = byId[current];
    $('sf-current').textContent = item ? item.title + ' (' + (indexOf(current) + 1) + ' of ' + order.length + ')' : '';
    frame.title = item ? 'Lesson: ' + item.title : 'Lesson';
    var prev = current && !ended ? neighbour(-1) : null;
    var next = current && !ended ? neighbour(1) : null;
    prevBtn.disabled = !prev || busy;
    nextBtn.disabled = !next || busy;
    prevBtn.hidden = single || (!v12 && item && !flowAllowed(item));
    nextBtn.hidden = prevBtn.hidden;
    $('sf-suspend').disabled = ended;
    $('sf-exit').disabled = ended;
  }
  function offerNext(text) {
    var next = neighbour(1);
    if (next) {
      nextBtn.classList.add('sf-offer');
      announce(text + ' Select Next to continue with ' + next.title + '.');
    } else if (allDone()) {
      $('sf-exit').classList.add('sf-offer');
      announce(text + ' Every lesson is complete; select Exit to finish.');
    } else {
      announce(text + ' Choose the next lesson in the contents.');
    }
  }
  function clearOffer() { nextBtn.classList.remove('sf-offer'); $('sf-exit').classList.remove('sf-offer'); }

  toc.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button[data-item]');
    if (!b || b.disabled) return;
    closeDrawer();
    var id = b.getAttribute('data-item');
    if (id !== current || terminated) go(id, 'choice');
  });
  toc.addEventListener('keydown', function (e) {
    var keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
    if (keys.indexOf(e.key) === -1) return;
    var list = Array.prototype.slice.call(toc.querySelectorAll('button[data-item]:not(:disabled)'));
    var at = list.indexOf(doc.activeElement);
    var to = e.key === 'Home' ? 0 : e.key === 'End' ? list.length - 1 : at + (e.key === 'ArrowDown' ? 1 : -1);
    if (to < 0 || to >= list.length) return;
    e.preventDefault();
    list[to].focus();
  });

  // ---- drawer / collapsible contents ----
  var narrow = window.matchMedia('(max-width: 820px)');
  var toggle = $('sf-toc-toggle');
  function drawerOpen() { return narrow.matches ? body.classList.contains('sf-toc-open') : !body.classList.contains('sf-toc-collapsed'); }
  function syncToggle() { toggle.setAttribute('aria-expanded', String(drawerOpen())); }
  function closeDrawer() { if (narrow.matches && body.classList.contains('sf-toc-open')) { body.classList.remove('sf-toc-open'); syncToggle(); toggle.focus(); } }
  toggle.addEventListener('click', function () {
    if (narrow.matches) {
      body.classList.toggle('sf-toc-open');
      if (body.classList.contains('sf-toc-open')) { var b = toc.querySelector('[aria-current]') || toc.querySelector('button'); if (b) b.focus(); }
    } else body.classList.toggle('sf-toc-collapsed');
    syncToggle();
  });
  $('sf-scrim').addEventListener('click', closeDrawer);
  doc.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeDrawer(); });
  if (narrow.addEventListener) narrow.addEventListener('change', syncToggle);
  syncToggle();

  // ---- the bridge ----
  var params = new URLSearchParams(location.search);
  var auto = Number(params.get('autocommit'));
  var S = window.ScormFlow;
  if (!S || typeof S.createBridge !== 'function') {
    setState('error');
    $('sf-loading').hidden = true;
    showError('The course player could not start: the runtime script did not load. Check your connection and reload the page.', true);
    return;
  }
  var bridge = S.createBridge({
    attemptId: cfg.attemptId,
    runtimeToken: cfg.runtimeToken,
    tokenExpiresAt: cfg.tokenExpiresAt,
    apiBase: cfg.apiBase,
    autocommitSeconds: params.has('autocommit') && isFinite(auto) && auto >= 0 ? auto : 10,
    debug: params.get('debug') === '1'
  });
  var failing = false;
  bridge.on('status', function (d) {
    if (!d || !d.item) return;
    var status = statusOf(d);
    var isComplete = d.completionStatus === 'completed' || status === 'completed' || status === 'passed' || (v12 && status === 'failed');
    setStatus(d.item, status, isComplete);
  });
  bridge.on('commit', function (d) {
    if (failing) { failing = false; hideError(); announce('Your progress is saved again.'); }
    else if (d && d.terminated && !ended) announce('Your progress is saved.');
  });
  bridge.on('error', function (d) {
    failing = true;
    var text = d && d.retrying === false
      ? 'Your progress could not be saved: ' + String(d.message || d.code || 'the engine refused it') + '. Reload the page; if it happens again, tell your course administrator.'
      : 'Your progress could not be saved, retrying\u2026';
    showError(text, false);
  });
  bridge.on('terminate', function () {
    terminated = true;
    if (switching || ended) return;
    setTimeout(afterTerminate, 0);
  });

  function blankFrame() {
    return new Promise(function (resolve) {
      if (!frame.getAttribute('src') || frame.getAttribute('src') === 'about:blank') return resolve();
      var done = false;
      var finish = function () { if (!done) { done = true; resolve(); } };
      frame.addEventListener('load', finish, { once: true });
      setTimeout(finish, 3000);
      frame.setAttribute('src', 'about:blank');
    });
  }
  function openItem(id) {
    var item = byId[id];
    if (cfg.contentOrigin) return bridge.openFrame(id, frame, { contentOrigin: cfg.contentOrigin, src: item.contentUrl });
    return bridge.open(id).then(function (r) { frame.setAttribute('src', item.contentUrl); return r; });
  }
  function closeCurrent() {
    if (!current) return Promise.resolve();
    switching = true;
    // same origin: the SCO's unload handlers run first and still reach the API; frame mode: the
    // bridge unloads the content frame itself, after telling it to relay its last data
    var closing = cfg.contentOrigin
      ? bridge.close().then(blankFrame)
      : blankFrame().then(function () { return bridge.close(); });
    return closing.then(
      function () { switching = false; },
      function (e) { switching = false; throw e; });
  }

  function go(id, why) {
    if (busy || ended || !byId[id]) return Promise.resolve();
    busy = true;
    clearOffer();
    setState('loading');
    $('sf-loading').hidden = false;
    renderCurrent();
    return closeCurrent().then(function () {
      current = id;
      terminated = false;
      renderCurrent();
      return openItem(id);
    }).then(function () {
      busy = false;
      $('sf-loading').hidden = true;
      setState('running');
      renderCurrent();
      var item = byId[id];
      announce((why === 'start' ? 'Opened ' : 'Now showing ') + item.title + (single ? '' : ', lesson ' + (indexOf(id) + 1) + ' of ' + order.length) + '.');
    }, function (e) {
      busy = false;
      // the engine closed the attempt (every lesson is complete): nothing can be opened any more
      if (e && e.status === 409 && /ATTEMPT_CLOSED/.test(e.message)) {
        current = null;
        terminated = true;
        failing = false;
        hideError();
        return end('exit', true);
      }
      fail(e);
    });
  }
  function fail(e) {
    setState('error');
    $('sf-loading').hidden = true;
    var msg = e && e.message ? e.message : String(e);
    showError('The lesson could not be opened (' + msg + '). Reload the page to try again; if it keeps failing, launch the course again from your learning platform.', true);
  }

  /**
   * Asks the running SCO to end with a suspend, through its API object as the SCO would (in frame
   * mode the content frame does it on the bridge's request).
   */
  function suspendRunning() {
    if (terminated || !current) return Promise.resolve();
    switching = true;
    return bridge.suspend().catch(function () { /* the bridge's close() still ends the session */ });
  }

  function end(kind, closed) {
    if (ended) return Promise.resolve();
    busy = true;
    clearOffer();
    renderCurrent();
    var wasSwitching = switching;
    return (kind === 'suspend' ? suspendRunning() : Promise.resolve()).then(function () {
      switching = wasSwitching;
      return closeCurrent();
    }).then(function () { return bridge.flush(); }).catch(function (e) {
      showError('Some progress may not have been saved yet (' + (e && e.message ? e.message : e) + '). It is kept in this browser and sent the next time the course opens.', false);
    }).then(function () {
      ended = true;
      busy = false;
      current = null;
      renderCurrent();
      $('sf-loading').hidden = true;
      var title = closed ? 'This attempt is finished' : kind === 'suspend' ? 'Your place is saved' : allDone() ? 'Course complete' : 'You have left the course';
      var text = closed
        ? 'Every lesson of this attempt is complete and your results are recorded, so its lessons cannot be opened again. To take the course again, start a new attempt from your learning platform.'
        : kind === 'suspend'
        ? 'Launch the course again from your learning platform to continue where you left off.'
        : allDone() ? 'Every lesson is complete and your results are recorded.' : 'Your progress is saved.';
      $('sf-end-title').textContent = title;
      $('sf-end-text').textContent = nav.returnUrl ? text + ' Taking you back\u2026' : text;
      var link = $('sf-return');
      if (nav.returnUrl) { link.href = nav.returnUrl; link.hidden = false; }
      $('sf-end').hidden = false;
      setState('ended');
      announce(title + '.');
      $('sf-end-title').focus();
      if (nav.returnUrl) setTimeout(function () { location.assign(nav.returnUrl); }, 600);
    });
  }

  function afterTerminate() {
    if (ended || busy) return;
    var req = bridge.navRequest || '_none_';
    var item = byId[current];
    var done = !!complete[current];
    if (!v12) {
      var m = /^\{target=([^}]+)\}(choice|jump)$/.exec(req) || /^(?:choice|jump)\{target=([^}]+)\}$/.exec(req);
      if (m && byId[m[1]] && byId[m[1]].launchable) return void go(m[1], 'choice');
      if (req === 'continue') { var n = neighbour(1); return void (n ? go(n.identifier, 'continue') : end('exit')); }
      if (req === 'previous') { var p = neighbour(-1); if (p) return void go(p.identifier, 'previous'); }
      if (req === 'exitAll' || req === 'abandonAll') return void end('exit');
      if (req === 'suspendAll') return void end('suspend');
    }
    if (single) return void end('exit');
    if (allDone()) return void offerNext((item ? item.title : 'The lesson') + ' is finished.');
    if (v12 ? done : true) offerNext((item ? item.title : 'The lesson') + (done ? ' is complete.' : ' has ended.'));
    else announce((item ? item.title : 'The lesson') + ' has ended. Choose a lesson in the contents.');
  }

  prevBtn.addEventListener('click', function () { var p = neighbour(-1); if (p) go(p.identifier, 'previous'); });
  nextBtn.addEventListener('click', function () { var n = neighbour(1); if (n) go(n.identifier, 'continue'); });
  $('sf-suspend').addEventListener('click', function () { end('suspend'); });
  $('sf-exit').addEventListener('click', function () { end('exit'); });

  // The launch link carries the token it was issued with. Keep the address bar's token fresh, so
  // that a reload (or coming back through the history) opens the page instead of the
  // expired-link page; the bridge renews its own token for the runtime calls.
  function keepLinkFresh(expiresAt) {
    var due = Date.parse(expiresAt) - Date.now() - 120000;
    setTimeout(function () {
      if (ended) return;
      var token = new URLSearchParams(location.search).get('token') || cfg.runtimeToken;
      fetch(cfg.apiBase + '/api/v1/runtime/' + encodeURIComponent(cfg.attemptId) + '/token', {
        method: 'POST', headers: { authorization: 'Bearer ' + token }
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (t) {
        if (!t || !t.runtimeToken) return;
        var q = new URLSearchParams(location.search);
        q.set('token', t.runtimeToken);
        history.replaceState(history.state, '', location.pathname + '?' + q.toString() + location.hash);
        keepLinkFresh(t.expiresAt);
      }, function () { setTimeout(function () { keepLinkFresh(new Date(Date.now() + 150000).toISOString()); }, 0); });
    }, Math.max(1000, due));
  }
  keepLinkFresh(cfg.tokenExpiresAt);

  renderProgress();
  var first = nav.currentItem && byId[nav.currentItem] && byId[nav.currentItem].launchable ? nav.currentItem : order[0] && order[0].identifier;
  if (!first) { fail(new Error('the course has no lesson to open')); return; }
  go(first, 'start');
})();`;
