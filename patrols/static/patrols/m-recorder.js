/* The patrol recorder: while a patrol is open (kept in localStorage), a GPS fix every
 * few seconds, queued in the outbox in batches (M.patrol). */
(function () {
  "use strict";
  var M = window.M, cfg = M.cfg, S = M.S, $ = M.$;
  var FIX_EVERY_MS = 5000, BATCH_EVERY_MS = 30000, BATCH_SIZE = 30, MAX_BATCH = 500;

  var KEY = "m.patrol." + cfg.user;
  var patrol = null;
  try { patrol = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { patrol = null; }
  if (!patrol && cfg.patrol) {  // started on another phone, or this phone forgot it
    patrol = {
      uuid: cfg.patrol.uuid || String(cfg.patrol.id), id: cfg.patrol.id, confirmed: true, buffer: [],
      seq: cfg.patrol.last_seq === null ? 0 : cfg.patrol.last_seq + 1, started: cfg.patrol.started_at
    };
    savePatrol();
  }
  function checkPatrol() {
    // A patrol the server has closed (stopped on another phone, or left open for hours)
    // stops recording here too. Asked of the API: a page from the cache may be old.
    if (!patrol || !patrol.confirmed || !navigator.onLine) return;
    var uuid = patrol.uuid;
    fetch(cfg.urls.patrols + uuid + "/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.ended_at && patrol && patrol.uuid === uuid) {
          patrol = null;
          savePatrol();
          if (watchId !== null) navigator.geolocation.clearWatch(watchId);
          watchId = null;
          document.dispatchEvent(new CustomEvent("m:patrol", { detail: null }));
        }
      }).catch(function () {});
  }
  function savePatrol() {
    if (patrol) localStorage.setItem(KEY, JSON.stringify(patrol));
    else localStorage.removeItem(KEY);
  }
  var watchId = null, lastFix = 0, flushTimer = null;
  var listeners = [];
  function onFix(position) {
    var now = Date.now();
    if (!patrol || now - lastFix < FIX_EVERY_MS) return;
    lastFix = now;
    var fix = {
      seq: patrol.seq++, recorded_at: new Date(position.timestamp || now).toISOString(),
      lat: Math.round(position.coords.latitude * 1e7) / 1e7,
      lng: Math.round(position.coords.longitude * 1e7) / 1e7,
      accuracy: position.coords.accuracy ? Math.round(position.coords.accuracy * 10) / 10 : null
    };
    patrol.buffer.push(fix);
    savePatrol();
    listeners.forEach(function (listener) { listener(fix); });
    if (patrol.buffer.length >= BATCH_SIZE) sendBuffer();
  }
  function sendBuffer(force) {
    // Without signal the points stay in the buffer (kept in localStorage) and go later as
    // one batch of up to MAX_BATCH, instead of one outbox item every 30 seconds.
    if (!patrol || !patrol.buffer.length) return Promise.resolve();
    if (force !== true && !navigator.onLine && patrol.buffer.length < MAX_BATCH) return Promise.resolve();
    var points = patrol.buffer;
    patrol.buffer = [];
    savePatrol();
    return M.queuePoints(patrol.uuid, points);
  }
  function record() {
    if (!patrol || watchId !== null || !navigator.geolocation) return;
    watchId = navigator.geolocation.watchPosition(onFix, function () {}, {
      enableHighAccuracy: true, maximumAge: 5000, timeout: 30000
    });
    flushTimer = setInterval(sendBuffer, BATCH_EVERY_MS);
  }
  M.patrol = {
    state: function () { return patrol; },
    onFix: function (listener) { listeners.push(listener); },
    start: function (grid) {
      if (patrol) return Promise.resolve(patrol);
      patrol = { uuid: M.uuid(), seq: 0, started: new Date().toISOString(), buffer: [], grid: grid || null };
      savePatrol();
      var fields = { client_uuid: patrol.uuid, started_at: patrol.started };
      if (grid) fields.grid = grid;
      return M.enqueue({ kind: "patrol_start", url: cfg.urls.patrols, fields: fields, json: true, uuid: patrol.uuid })
        .then(function () { record(); return patrol; });
    },
    stop: function () {
      if (!patrol) return Promise.resolve();
      var uuid = patrol.uuid;
      return sendBuffer(true).then(function () {
        patrol = null;
        savePatrol();
        if (watchId !== null) navigator.geolocation.clearWatch(watchId);
        clearInterval(flushTimer);
        watchId = null;
        return M.enqueue({
          kind: "patrol_stop", url: cfg.urls.patrols + uuid + "/stop/", conflictIsDone: true,
          fields: { ended_at: new Date().toISOString() }, json: true
        });
      });
    },
    flush: sendBuffer,
    waiting: function () { return patrol ? patrol.buffer.length : 0; },
    resume: record,  // at start: a patrol open on this phone goes on recording
    check: checkPatrol,
    forget: function () { localStorage.removeItem(KEY); }  // at sign-out
  };
  document.addEventListener("m:sent", function (event) {
    var item = event.detail.item;
    if (item.kind === "patrol_start" && patrol && patrol.uuid === item.uuid) {
      patrol.id = event.detail.data.id;
      patrol.confirmed = true;
      savePatrol();
    }
  });
  window.addEventListener("pagehide", function () { if (patrol && patrol.buffer.length) savePatrol(); });
})();
