/* The live channel (/ws/user/): new directives as a banner, comments and case news as
 * toasts; every message is passed on as an "m:event" (M.connect). After a drop it
 * reconnects with back-off and resyncs the unread counts from hello's snapshot. */
(function () {
  "use strict";
  var M = window.M, cfg = M.cfg, S = M.S, $ = M.$;

  /* --- the live channel: /ws/user/ --------------------------------------------------- */
  var socket = null, delay = 2000, dropped = false, unread = Number(($("m-unread") || {}).textContent || 0);
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
      // hello is a snapshot (unread counts): after a drop it puts right what was missed.
      if (event.type === "hello") {
        if (typeof event.data.directives_unread === "number") setUnread(event.data.directives_unread);
        if (dropped) M.toast(S.liveResynced, "ok");
        dropped = false;
      }
      else if (event.type === "directive.new") { setUnread(unread + 1); banner(event.data); }
      else if (event.type === "diary.comment") M.toast(S.comment + ": " + event.data.text, "ok");
      // The worker hears every case of their grids; only their own reports' news is a toast.
      else if (event.type.indexOf("case.") === 0 && event.data.reporter === cfg.user) M.toast(S.caseUpdate, "ok");
      document.dispatchEvent(new CustomEvent("m:event", { detail: event }));
    };
    socket.onclose = function (closed) {
      socket = null;
      if (closed.code === 4401) return;  // signed out
      dropped = true;  // 4503: the server lost Redis or it restarted; any other drop alike
      delay = Math.min(delay * 2, 60000);
      setTimeout(connect, delay);
    };
  }
  M.connect = connect;
})();
