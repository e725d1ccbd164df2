/* The top bar's unread count, kept live from the user's own channel (/ws/user/).
   On the phone pages (patrols' m-live.js already holds that channel) it listens to their
   "m:event" instead of opening a second connection. */
(function () {
  "use strict";
  var badge = document.getElementById("unread-count");
  if (!badge) return;
  var link = badge.closest("a");

  function show(count) {
    badge.textContent = String(count);
    badge.hidden = !count;
    if (link) link.classList.toggle("has-unread", count > 0);
  }

  function handle(event) {
    if (!event || event.type !== "notification" || !event.data) return;
    show(Number(event.data.unread) || 0);
    if (link && event.data.latest) link.title = event.data.latest.text;
  }

  if (document.getElementById("m-config")) {
    document.addEventListener("m:event", function (e) { handle(e.detail); });
    return;
  }
  if (!window.WebSocket) return;
  var delay = 2000;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try { socket = new WebSocket(scheme + location.host + "/ws/user/"); } catch (e) { return; }
    socket.onopen = function () { delay = 2000; };
    socket.onmessage = function (message) {
      try { handle(JSON.parse(message.data)); } catch (e) { /* not ours */ }
    };
    socket.onclose = function (closed) {
      if (closed.code === 4401) return;  // signed out
      delay = Math.min(delay * 2, 60000);
      setTimeout(connect, delay);
    };
  }
  connect();
})();
