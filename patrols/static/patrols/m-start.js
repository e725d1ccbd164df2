/* The phone pages' triggers (signal back, page shown, every 20 s), sign-out, and the
 * start: the service worker, then a first send, count and recording. Loaded last. */
(function () {
  "use strict";
  var M = window.M, cfg = M.cfg, S = M.S, $ = M.$;

  function showOnline() {
    var bar = $("m-offline");
    if (bar) bar.hidden = navigator.onLine;
    if (navigator.onLine) { M.clearBackoff(); M.patrol.flush(); M.flush(); M.connect(); }
  }
  window.addEventListener("online", showOnline);
  window.addEventListener("offline", showOnline);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) M.flush(); });
  setInterval(function () { M.flush(); }, 20000);

  /* --- sign-out: nothing personal stays on a shared phone ---------------------------- */
  Array.prototype.forEach.call(document.querySelectorAll("form[action$='/logout/']"), function (form) {
    form.addEventListener("submit", function (event) {
      var waiting = Number($("m-outbox-count") ? $("m-outbox-count").textContent : 0);
      if (waiting && !window.confirm(M.fmt(S.confirmSignOut, { count: waiting }))) {
        event.preventDefault();
        return;
      }
      M.patrol.forget();
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
  M.updateCount();
  M.patrol.resume();
  M.patrol.check();
})();
