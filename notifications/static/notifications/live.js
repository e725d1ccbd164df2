/* The top bar's unread count, kept live from the user's own channel (/ws/user/).
   On the phone pages (patrols' m-live.js already holds that channel) it listens to their
   "m:event" instead of opening a second connection. On the desktop pages it relays every
   message as a "live:event" and a reconnect as "live:resynced" (the console's and the
   workbench's live lists listen), so a page holds one socket. */
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

  // hello (on every connect) is a snapshot: after a drop it puts the count right again.
  function handle(event) {
    if (!event || !event.data || (event.type !== "notification" && event.type !== "hello")) return;
    if (typeof event.data.unread === "number") show(event.data.unread);
    if (link && event.type === "notification" && event.data.latest) link.title = event.data.latest.text;
  }

  // The bell says when it is not live (data-live-lost) and, after a reconnect, that it resynced.
  function live(state) {
    if (!link) return;
    link.classList.toggle("live-lost", state === "lost");
    if (state === "lost") link.title = link.dataset.liveLost || "";
    else if (state === "resynced") link.title = link.dataset.liveResynced || "";
  }

  if (document.getElementById("m-config")) {
    document.addEventListener("m:event", function (e) { handle(e.detail); });
    return;
  }
  if (!window.WebSocket) return;
  var delay = 2000, dropped = false;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try { socket = new WebSocket(scheme + location.host + "/ws/user/"); } catch (e) { return; }
    socket.onopen = function () { delay = 2000; };
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; /* not ours */ }
      if (event && event.type === "hello" && dropped) {
        dropped = false;
        live("resynced");
        document.dispatchEvent(new CustomEvent("live:resynced"));
      }
      handle(event);
      document.dispatchEvent(new CustomEvent("live:event", { detail: event }));
    };
    socket.onclose = function (closed) {
      if (closed.code === 4401) return;  // signed out
      dropped = true;  // 4503: the server lost Redis or it restarted; any other drop alike
      live("lost");
      delay = Math.min(delay * 2, 60000);
      setTimeout(connect, delay);
    };
  }
  connect();
})();
