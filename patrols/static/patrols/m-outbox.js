/* The phone's outbox: changes kept in IndexedDB and sent, oldest first, when there is a
 * signal; "{id:<client_uuid>}" references wait for the item they name (see m.js). */
(function () {
  "use strict";
  var M = window.M, cfg = M.cfg, S = M.S, $ = M.$;

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
            item.error = S.partFailed;
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
          item.error = M.errorText(data);
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

  /* An API error in words: {"detail": …} or {"photos": ["…"]} → "照片：…" (the server's
   * messages are already in the worker's language; field names get the form's label). */
  M.errorText = function (data) {
    if (!data || typeof data !== "object") return S.rejected;
    if (typeof data.detail === "string") return data.detail;
    var parts = [];
    Object.keys(data).forEach(function (key) {
      if (key === "code") return;
      var value = data[key];
      var text = Array.isArray(value) ? value.filter(function (v) { return typeof v === "string"; }).join(" ") : typeof value === "string" ? value : "";
      if (!text) return;
      var label = S["field_" + key];
      parts.push(label ? label + "：" + text : text);
    });
    return parts.length ? parts.join("；") : S.rejected;
  };

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
  /* The next flush goes at once (the signal is back, or the worker asked). */
  M.clearBackoff = function () { retryAt = 0; };
})();
