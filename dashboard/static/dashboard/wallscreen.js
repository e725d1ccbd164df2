/* The wall screen. One WebSocket (/ws/dashboard/) feeds everything: a snapshot on
 * connect (and on request every few minutes), then one "case.event" message per case
 * event with the figures already updated. After a drop the page reconnects with an
 * exponential back-off and redraws from the fresh snapshot, so a missed message never
 * leaves a wrong figure. Message schema: README, "Wall screen messages".
 *
 * Loaded last, after wallscreen-base.js (configuration, state, helpers) and the parts
 * for the map, patrols, charts, lists and case panel, which share window.wallScreenParts. */
(function () {
  "use strict";
  var W = window.wallScreenParts;
  var SCHEMA = W.SCHEMA, RESYNC_MS = W.RESYNC_MS, TICKER_LENGTH = W.TICKER_LENGTH;
  var config = W.config, text = W.text, state = W.state, view = W.view;
  var byId = W.byId, clockTime = W.clockTime;

  // --- connection ------------------------------------------------------------------------------
  function setConnection(kind, label) {
    var badge = byId("connection");
    badge.className = "connection " + kind;
    badge.textContent = label;
    document.body.dataset.connection = kind;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + config.wsPath);
    state.socket = socket;
    setConnection(state.attempt ? "reconnecting" : "connecting", state.attempt ? text.reconnecting : text.connecting);
    socket.onopen = function () { state.attempt = 0; };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.v !== SCHEMA) { return; }
      if (message.type === "snapshot") { showLive(message.data); renderSnapshot(message.data); }
      else if (message.type === "case.event") { applyEvent(message.data); }
      else if (message.type === "ranking") { W.renderRanking(message.data.departments); }
      else if (message.type.indexOf("patrol.") === 0) { W.applyPatrolEvent(message.type, message.data); }
    };
    socket.onclose = function (event) {
      state.socket = null;
      if (event.code === 4401) {
        state.refused = true;
        setConnection("refused", text.signedOut);
        window.setTimeout(function () { window.location.href = config.loginUrl + "?next=" + encodeURIComponent(window.location.pathname); }, 5000);
        return;
      }
      if (event.code === 4403) { state.refused = true; setConnection("refused", text.forbidden); return; }
      // A drop (4503: the server lost Redis, or it restarted): the next snapshot redraws all.
      state.resyncing = true;
      window.clearTimeout(state.resyncNote);
      state.resyncNote = null;
      // Exponential back-off with jitter: 1 s, 2 s, 4 s ... at most 30 s.
      var delay = Math.min(30000, 1000 * Math.pow(2, state.attempt)) * (0.7 + Math.random() * 0.6);
      state.attempt += 1;
      setConnection("reconnecting", text.reconnecting);
      window.setTimeout(connect, delay);
    };
  }

  // Live again after a drop: say for a minute that the screen was redrawn from a fresh
  // snapshot, and when (data-resynced-at keeps the time for whoever looks later).
  function showLive(data) {
    if (!state.resyncing) {
      if (!state.resyncNote) { setConnection("live", text.connected); }
      return;
    }
    state.resyncing = false;
    document.body.dataset.resyncedAt = data.at;
    setConnection("live", text.resynced.replace("%(time)s", W.shortTime(data.at)));
    window.clearTimeout(state.resyncNote);
    state.resyncNote = window.setTimeout(function () {
      state.resyncNote = null;
      if (document.body.dataset.connection === "live") { setConnection("live", text.connected); }
    }, 60000);
  }

  function requestSnapshot() {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) {
      state.socket.send(JSON.stringify({ type: "snapshot.request" }));
    }
  }

  // --- snapshot and events ------------------------------------------------------------------------
  function renderSnapshot(data) {
    state.lastData = data;
    W.renderFigures(data.figures, data.today);
    state.grids = data.grids;
    W.restyleGrids();
    if (view.cluster) { W.renderMarkers(data.markers); }
    W.renderCharts(data);
    W.renderOverdue(data.overdue_cases);
    state.urged = data.urged_cases;
    W.renderUrged();
    W.renderTicker(data.ticker);
    W.renderPatrols(data.patrols);
    document.body.dataset.snapshotAt = data.at;
  }

  function applyEvent(data) {
    W.renderFigures(data.figures, data.today);
    var event = data.event;
    var kase = data.case;
    if (data.grid) {
      state.grids[String(data.grid.id)] = [data.grid.open, data.grid.overdue];
      W.restyleGrids();
    }
    if (kase && view.cluster) {
      W.upsertMarker(kase.id, kase.lat, kase.lng, kase.status, kase.sla);
      W.updateMarkerCount();
      if (event.from_status === "" || event.action === "urge") { W.flash(kase.lat, kase.lng); }
    }
    var list = byId("ticker");
    list.insertBefore(W.tickerItem({
      case: event.case, tracking_no: event.tracking_no, action: event.action, status: event.status, at: event.at,
      subitem: kase && kase.subitem, township: kase && kase.township,
    }, true), list.firstChild);
    while (list.children.length > TICKER_LENGTH) { list.removeChild(list.lastChild); }
    if (event.action === "urge" && kase) {
      state.urged = state.urged.filter(function (row) { return row.id !== kase.id; });
      state.urged.unshift({ id: kase.id, tracking_no: kase.tracking_no, subitem: kase.subitem, township: kase.township, department: kase.department, urge_count: kase.urge_count });
      W.renderUrged();
    }
    document.body.dataset.lastEvent = event.tracking_no + " " + event.action;
  }

  // --- start -----------------------------------------------------------------------------------------
  function tick() { byId("clock").textContent = clockTime(new Date()); }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
    window.setInterval(requestSnapshot, RESYNC_MS);
    byId("case-panel-close").addEventListener("click", function () {
      byId("case-panel").hidden = true;
      if (view.cameraHighlight) { view.map.removeLayer(view.cameraHighlight); view.cameraHighlight = null; }
    });
    document.querySelectorAll(".switch button").forEach(function (button) {
      button.addEventListener("click", function () {
        state.mode = button.dataset.mode;
        document.querySelectorAll(".switch button").forEach(function (other) { other.setAttribute("aria-pressed", String(other === button)); });
        W.restyleGrids();
      });
    });
    window.addEventListener("resize", function () {
      Object.keys(W.charts).forEach(function (id) { W.charts[id].resize(); });
      if (state.lastData) { W.renderCharts(state.lastData); }
    });
  });

  window.wallScreen = {
    initMap: W.initMap,
    hasMarker: function (id) { return Boolean(state.markers[id]); },
    markerCount: function () { return Object.keys(state.markers).length; },
    patrolAt: function (id) {
      var row = state.patrols[id];
      return row ? { lat: row.lat, lng: row.lng, at: row.at, onMap: Boolean(row.marker) } : null;
    },
    dropConnection: function () { if (state.socket) { state.socket.close(); } },
  };
  W.connect = connect;
})();
