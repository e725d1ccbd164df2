/* The console's queues and the department inbox, kept live. The top bar's live.js holds the
   user's own channel (/ws/user/), which carries the case events of the cases this person may
   see, and relays each message as a "live:event" (and a reconnect as "live:resynced"). On
   either, this page fetches itself again (same URL: the user's filters, tab and page kept)
   and swaps its [data-live] regions — lists, pager and counters — debounced, without a
   reload. A region holding a field the user is typing in waits until they leave it. */
(function () {
  "use strict";
  if (!document.querySelector("[data-live]") || !window.fetch || !window.DOMParser) return;
  var DEBOUNCE_MS = 300;
  var timer = null, busy = false, again = false;

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  function typingIn() {
    var field = document.activeElement;
    if (!field || !/^(INPUT|SELECT|TEXTAREA)$/.test(field.tagName)) return null;
    return field.closest("[data-live]") ? field : null;
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    document.querySelectorAll("[data-live]").forEach(function (region) {
      var next = fresh.querySelector('[data-live="' + region.dataset.live + '"]');
      if (next) region.replaceWith(document.importNode(next, true));
    });
    // How many times the lists were redrawn: for people debugging, and for the browser tests.
    document.body.dataset.liveRefreshes = String(Number(document.body.dataset.liveRefreshes || 0) + 1);
    document.dispatchEvent(new CustomEvent("live:refreshed", { detail: { doc: fresh } }));  // the map redraws
  }

  function refresh() {
    if (busy) { again = true; return; }
    var field = typingIn();
    if (field) { field.addEventListener("blur", schedule, { once: true }); return; }
    busy = true;
    fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "live-lists" } })
      .then(function (response) {
        // Signed out or an error page: keep what is shown; the next event tries again.
        if (!response.ok || response.redirected) throw new Error("not refreshed: " + response.status);
        return response.text();
      })
      .then(swap)
      .catch(function () { /* best effort: the page still works by hand */ })
      .then(function () {
        busy = false;
        if (again) { again = false; schedule(); }
      });
  }

  document.addEventListener("live:event", function (e) {
    var event = e.detail;
    if (event && typeof event.type === "string" && event.type.indexOf("case.") === 0) schedule();
  });
  document.addEventListener("live:resynced", schedule);  // events may have been missed
})();
