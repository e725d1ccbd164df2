/* The grid worker's phone pages: the outbox, the live channel, the patrol recorder.
 *
 * Outbox: every change (report, diary entry, track points, replies…) is written to
 * IndexedDB first and sent from there, oldest first, when there is a signal. Each item
 * carries the client_uuid the API is idempotent on, so a resend after a lost answer
 * creates nothing twice. An item may refer to the server id of an earlier one as
 * "{id:<client_uuid>}" (e.g. "solved on the spot" for a report still waiting).
 *
 * Patrol recorder: while a patrol is open (kept in localStorage), every /m/ page records
 * a GPS fix every few seconds and queues them in batches of up to 30 every 30 s.
 */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("m-config").textContent);
  var S = cfg.strings;
  var M = (window.M = { cfg: cfg, S: S });
  var FIX_EVERY_MS = 5000, BATCH_EVERY_MS = 30000, BATCH_SIZE = 30, MAX_BATCH = 500;

  function $(id) { return document.getElementById(id); }
  M.$ = $;
  M.fmt = function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  };
  M.uuid = function () {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  };
  M.csrf = function () {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };
  M.toast = function (text, kind) {
    var box = $("m-toast");
    if (!box) return;
    box.textContent = text;
    box.className = "m-toast " + (kind || "");
    box.hidden = false;
    clearTimeout(M._toastTimer);
    M._toastTimer = setTimeout(function () { box.hidden = true; }, 5000);
  };

  /* --- IndexedDB ------------------------------------------------------------------ */
  var dbPromise;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open("gridcenter-m", 1);
        open.onupgradeneeded = function () {
          open.result.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
          open.result.createObjectStore("kv");
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function store(name, mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(name, mode);
        var request = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  M.kvGet = function (key) { return store("kv", "readonly", function (s) { return s.get(key); }); };
  M.kvSet = function (key, value) { return store("kv", "readwrite", function (s) { return s.put(value, key); }); };
  function allItems() {
    return store("outbox", "readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).filter(function (item) { return item.user === cfg.user; });
    });
  }
  M.items = allItems;
  function putItem(item) { return store("outbox", "readwrite", function (s) { return s.put(item); }); }
  function deleteItem(id) { return store("outbox", "readwrite", function (s) { return s.delete(id); }); }
  M.discard = function (id) { return deleteItem(id).then(updateCount); };

  /* --- the outbox ----------------------------------------------------------------- */
  /* item: {kind, url, fields, json, uuid, label, conflictIsDone} */
  M.enqueue = function (item) {
    item.user = cfg.user;
    item.created = new Date().toISOString();
    item.attempts = 0;
    return putItem(item).then(function () {
      updateCount();
      M.flush();
    });
  };

  M.queuePoints = function (patrolUuid, points) {
    if (!points.length) return Promise.resolve();
    return M.enqueue({
      kind: "points", patrol: patrolUuid, json: true,
      url: cfg.urls.patrols + patrolUuid + "/points/", fields: { points: points }
    });
  };

  var ids = {};  // client_uuid → server id, for "{id:…}" references
  var PLACEHOLDER = /\{id:([0-9a-f-]{36})\}/g;
  function unresolved(text) {
    var missing = null;
    String(text).replace(PLACEHOLDER, function (_m, key) { if (!ids[key]) missing = key; });
    return missing;
  }
  function resolve(text) {
    return String(text).replace(PLACEHOLDER, function (_m, key) { return ids[key]; });
  }

  function body(item) {
    if (item.json) {
      var data = {};
      Object.keys(item.fields).forEach(function (key) {
        var value = item.fields[key];
        data[key] = typeof value === "string" ? resolve(value) : value;
      });
      return { body: JSON.stringify(data), type: "application/json" };
    }
    var form = new FormData();
    Object.keys(item.fields).forEach(function (key) {
      var value = item.fields[key];
      if (Array.isArray(value)) {
        value.forEach(function (blob, index) { form.append(key, blob, key + "-" + index + ".jpg"); });
      } else if (value !== null && value !== undefined && value !== "") {
        form.append(key, resolve(value));
      }
    });
    return { body: form, type: null };
  }

  var sending = {};
  var flushing = false, blocked = false, retryAt = 0;
  M.flush = function (force) {
    if (flushing || (!force && (!navigator.onLine || Date.now() < retryAt))) return Promise.resolve();
    flushing = true;
    blocked = false;
    return M.kvGet("ids").then(function (saved) {
      ids = saved || {};
      return allItems();
    }).then(function (items) {
      var queue = items.filter(function (item) { return !item.failed; });
      function next() {
        var item = queue.shift();
        if (!item) return null;
        var waitingFor = unresolved(item.url) || Object.keys(item.fields).map(function (key) {
          return typeof item.fields[key] === "string" ? unresolved(item.fields[key]) : null;
        }).filter(Boolean)[0];
        if (waitingFor) {
          var failedBefore = items.some(function (other) { return other.uuid === waitingFor && other.failed; });
          if (failedBefore) {
            item.failed = true;
            item.error = S.failed.replace("%(count)s", "");
            return putItem(item).then(next);
          }
          return null;  // its first part is still waiting: keep the order
        }
        return send(item).then(function (goOn) { return goOn ? next() : null; });
      }
      return next();
    }).catch(function () { /* the next trigger tries again */ }).then(function () {
      flushing = false;
      updateCount();
    });
  };

  function send(item) {
    var payload = body(item);
    var headers = { "X-CSRFToken": M.csrf(), "Accept": "application/json" };
    if (payload.type) headers["Content-Type"] = payload.type;
    sending[item.id] = true;
    item.attempts += 1;
    return fetch(resolve(item.url), {
      method: "POST", body: payload.body, headers: headers, credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        delete sending[item.id];
        if (response.ok || (response.status === 409 && item.conflictIsDone)) {
          if (item.uuid && data && data.id) {
            ids[item.uuid] = data.id;
            return M.kvSet("ids", ids).then(function () { return deleteItem(item.id); }).then(function () {
              document.dispatchEvent(new CustomEvent("m:sent", { detail: { item: item, data: data } }));
              return true;
            });
          }
          return deleteItem(item.id).then(function () {
            document.dispatchEvent(new CustomEvent("m:sent", { detail: { item: item, data: data } }));
            return true;
          });
        }
        if (response.status === 401 || (response.status === 403 && /CSRF|credentials|认证|登录/i.test(JSON.stringify(data)))) {
          blocked = true;
          M.toast(S.signIn, "bad");
          return false;
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 429) {
          item.failed = true;
          item.error = response.status + " " + JSON.stringify(data).slice(0, 300);
          return putItem(item).then(function () { return true; });
        }
        retryAt = Date.now() + Math.min(300000, 5000 * Math.pow(2, item.attempts));
        return putItem(item).then(function () { return false; });
      });
    }, function () {
      delete sending[item.id];
      retryAt = Date.now() + 10000;
      return putItem(item).then(function () { return false; });
    });
  }

  function updateCount() {
    return allItems().then(function (items) {
      var waiting = items.filter(function (item) { return !item.failed; }).length;
      var failed = items.length - waiting;
      var badge = $("m-outbox");
      if (!badge) return;
      var parts = [];
      if (waiting) parts.push(M.fmt(S.waiting, { count: waiting }));
      if (failed) parts.push(M.fmt(S.failed, { count: failed }));
      if (blocked) parts.push(S.signIn);
      $("m-outbox-text").textContent = parts.join(" · ");
      $("m-outbox-count").textContent = String(waiting);
      badge.hidden = !items.length;
      badge.className = "m-outbox" + (failed || blocked ? " bad" : "");
      document.dispatchEvent(new CustomEvent("m:count", { detail: { waiting: waiting, failed: failed } }));
    }).catch(function () {});
  }
  M.updateCount = updateCount;

  function showOnline() {
    var bar = $("m-offline");
    if (bar) bar.hidden = navigator.onLine;
    if (navigator.onLine) { retryAt = 0; sendBuffer(); M.flush(); connect(); }
  }
  window.addEventListener("online", showOnline);
  window.addEventListener("offline", showOnline);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) M.flush(); });
  setInterval(function () { M.flush(); }, 20000);

  /* --- photos: shrunk on the phone before they wait or travel ------------------------ */
  M.shrink = function (file, edge) {
    edge = edge || 1600;
    if (!window.createImageBitmap || !/^image\//.test(file.type)) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, edge / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 800000) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (done) {
        canvas.toBlob(function (blob) { done(blob || file); }, "image/jpeg", 0.8);
      });
    }).catch(function () { return file; });
  };
  M.photos = function (inputs) {
    var files = [];
    inputs.forEach(function (input) { if (input) files = files.concat(Array.prototype.slice.call(input.files)); });
    return Promise.all(files.slice(0, 9).map(function (file) { return M.shrink(file); }));
  };

  /* --- queued forms: <form data-queue="kind" data-url="…"> ----------------------------- */
  function queueForm(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = {};
      var fileInputs = [];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.disabled) return;
        if (el.type === "file") { fileInputs.push(el); return; }
        if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
        fields[el.name] = el.value;
      });
      if (form.dataset.prefix && fields.note !== undefined) fields.note = form.dataset.prefix + fields.note;
      var uuid = form.dataset.uuid === "new" ? M.uuid() : null;
      if (uuid) fields.client_uuid = uuid;
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      M.photos(fileInputs).then(function (blobs) {
        if (fileInputs.length) fields[fileInputs[0].name] = blobs;
        return M.enqueue({
          kind: form.dataset.queue, url: form.dataset.url, fields: fields, uuid: uuid,
          json: !fileInputs.length, conflictIsDone: form.dataset.conflictIsDone === "1"
        });
      }).then(function () {
        M.toast(navigator.onLine ? S.sending : S.queued, "ok");
        if (form.dataset.next) setTimeout(function () { location.href = form.dataset.next; }, 600);
        else { form.reset(); if (button) button.disabled = false; }
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-queue]"), queueForm);

  /* --- "use my position" buttons: <button data-locate="prefix"> fills prefix-lat/-lng -- */
  Array.prototype.forEach.call(document.querySelectorAll("[data-locate]"), function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.locate;
      if (!navigator.geolocation) { M.toast(S.noGps, "bad"); return; }
      M.toast(S.locating);
      navigator.geolocation.getCurrentPosition(function (position) {
        var latInput = $(prefix + "-lat"), lngInput = $(prefix + "-lng"), place = $(prefix + "-place");
        latInput.value = position.coords.latitude.toFixed(7);
        lngInput.value = position.coords.longitude.toFixed(7);
        latInput.disabled = lngInput.disabled = false;
        if (place && !place.value) place.value = latInput.value.slice(0, 9) + ", " + lngInput.value.slice(0, 10);
        M.toast(M.fmt(S.accuracy, { metres: Math.round(position.coords.accuracy || 0) }), "ok");
      }, function () { M.toast(S.noGps, "bad"); }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 });
    });
  });

  /* --- a directive opened is a directive read ------------------------------------------ */
  Array.prototype.forEach.call(document.querySelectorAll("[data-mark-read]"), function (element) {
    M.enqueue({ kind: "read", url: element.dataset.markRead, fields: {}, json: true, conflictIsDone: true });
    var badge = $("m-unread");
    if (badge) {
      var left = Math.max(0, Number(badge.textContent) - 1);
      badge.textContent = String(left);
      badge.hidden = !left;
    }
  });

  /* --- the outbox page ------------------------------------------------------------------ */
  function drawOutbox() {
    var list = $("outbox-list");
    if (!list) return;
    allItems().then(function (items) {
      list.replaceChildren();
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "hint";
        empty.textContent = S.empty;
        list.appendChild(empty);
      }
      items.forEach(function (item) {
        var row = document.createElement("li");
        var title = document.createElement("strong");
        title.textContent = (S["kind_" + item.kind] || item.kind) +
          (item.kind === "points" ? " × " + item.fields.points.length : "");
        var when = document.createElement("span");
        when.className = "hint";
        when.textContent = item.created.slice(5, 16).replace("T", " ") + (item.error ? " · " + item.error : "");
        row.append(title, when);
        if (item.failed) {
          row.className = "failed";
          var drop = document.createElement("button");
          drop.type = "button";
          drop.className = "m-small";
          drop.textContent = S.discard;
          drop.addEventListener("click", function () { M.discard(item.id).then(drawOutbox); });
          row.appendChild(drop);
        }
        list.appendChild(row);
      });
    });
  }
  if ($("outbox-list")) {
    $("outbox-send").addEventListener("click", function () { retryAt = 0; M.flush(true); });
    document.addEventListener("m:count", drawOutbox);
    drawOutbox();
  }

  /* --- the live channel: /ws/user/ --------------------------------------------------- */
  var socket = null, delay = 2000, unread = Number(($("m-unread") || {}).textContent || 0);
  function setUnread(count) {
    unread = count;
    var badge = $("m-unread");
    if (badge) { badge.textContent = String(count); badge.hidden = !count; }
  }
  function banner(data) {
    var box = $("m-banner");
    if (!box) return;
    box.className = "m-banner" + (data.urgent ? " urgent" : "");
    box.replaceChildren();
    var title = document.createElement("strong");
    title.textContent = data.urgent ? S.urgentDirective : S.newDirective;
    var text = document.createElement("span");
    text.textContent = data.text;
    var link = document.createElement("a");
    link.href = cfg.urls.directive.replace("/0/", "/" + data.id + "/");
    link.textContent = S.open;
    box.append(title, text, link);
    box.hidden = false;
    if (data.urgent && navigator.vibrate) navigator.vibrate([300, 150, 300, 150, 600]);
  }
  function connect() {
    if (socket || !navigator.onLine || !window.WebSocket) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    try { socket = new WebSocket(scheme + location.host + cfg.urls.ws); } catch (e) { socket = null; return; }
    socket.onopen = function () { delay = 2000; };
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.type === "directive.new") { setUnread(unread + 1); banner(event.data); }
      else if (event.type === "diary.comment") M.toast(S.comment + ": " + event.data.text, "ok");
      else if (event.type.indexOf("case.") === 0) M.toast(S.caseUpdate, "ok");
      document.dispatchEvent(new CustomEvent("m:event", { detail: event }));
    };
    socket.onclose = function (closed) {
      socket = null;
      if (closed.code === 4401) return;  // signed out
      delay = Math.min(delay * 2, 60000);
      setTimeout(connect, delay);
    };
  }

  /* --- the patrol recorder ------------------------------------------------------------- */
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
    waiting: function () { return patrol ? patrol.buffer.length : 0; }
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

  /* --- sign-out: nothing personal stays on a shared phone ---------------------------- */
  Array.prototype.forEach.call(document.querySelectorAll("form[action$='/logout/']"), function (form) {
    form.addEventListener("submit", function (event) {
      var waiting = Number($("m-outbox-count") ? $("m-outbox-count").textContent : 0);
      if (waiting && !window.confirm(M.fmt(S.confirmSignOut, { count: waiting }))) {
        event.preventDefault();
        return;
      }
      localStorage.removeItem(KEY);
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage("clear");
      }
    });
  });

  /* --- start ---------------------------------------------------------------------------- */
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(cfg.urls.sw, { scope: cfg.urls.scope }).catch(function () {});
    });
  }
  showOnline();
  updateCount();
  record();
  checkPatrol();
})();
