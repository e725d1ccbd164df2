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
 *
 * Plain scripts, loaded in this order by patrols/m/base.html (and precached by the
 * service worker, patrols/views/pwa.py): m.js (this one: the configuration and small
 * helpers, window.M), m-outbox.js, m-recorder.js, m-forms.js, m-live.js, m-start.js
 * (the triggers, and the start). The recorder comes before anything that can send, so
 * it hears the answer to a patrol's start.
 */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("m-config").textContent);
  var S = cfg.strings;
  var M = (window.M = { cfg: cfg, S: S });

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
})();
