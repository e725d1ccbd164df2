/* The phone's home page (/m/) keeps "waiting for my check on site" (核查) live: the worker's
 * channel (m-live.js, "m:event") hears the case events of their grids, which the server sends
 * only to those who may see the case (visible_to). When a case of theirs is resolved (the
 * centre now wants it checked on site), checked, approved or reopened, the page fetches itself
 * and swaps that section in: one template draws the list, on load and live. */
(function () {
  "use strict";
  var SECTION = "m-to-verify";
  var RESOLVED = "resolved";
  var timer = null, hellos = 0;

  function refresh() {
    fetch(location.pathname, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(SECTION);
      var current = document.getElementById(SECTION);
      if (fresh && current) current.replaceWith(document.adoptNode(fresh));
    }).catch(function () { /* offline: the next event or visit catches up */ });
  }

  document.addEventListener("m:event", function (event) {
    var message = event.detail || {};
    var data = message.data || {};
    var touches = String(message.type || "").indexOf("case.") === 0 && (data.status === RESOLVED || data.from_status === RESOLVED);
    // A hello after the first (a reconnect): what happened meanwhile is unknown, so look again.
    if (message.type === "hello") touches = hellos++ > 0;
    if (touches) {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 200);
    }
  });
})();
