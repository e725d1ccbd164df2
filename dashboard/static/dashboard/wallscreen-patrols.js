/* The wall screen's patrols: the grid workers on patrol now (a marker at each one's newest fix,
 * the online count, the age of each last point) and today's patrol coverage, drawn as a way of
 * colouring the grids. Start and stop arrive at once ("patrol.started", "patrol.stopped");
 * positions in batches ("patrol.positions": at most one per web process every
 * PATROL_LIVE_SECONDS, README "Wall screen messages"). The coverage is reloaded every minute and
 * a few seconds after a patrol stops. */
(function () {
  "use strict";
  var W = window.wallScreenParts;
  var config = W.config, text = W.text, state = W.state, view = W.view;
  var byId = W.byId, el = W.el;
  var LIST_LENGTH = 30;
  var STALE_SECONDS = 10 * 60;  // a last point older than this is shown as stale
  state.patrols = {};  // patrol id → { name, grid_name, lat, lng, at, marker }
  state.coverage = {};  // grid id → coverage level of today
  var coverageTimer = null;

  function ageSeconds(iso) { return Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000)); }
  function age(iso) {
    if (!iso) { return text.noFix; }
    var seconds = ageSeconds(iso);
    var value = seconds < 60 ? seconds + text.seconds : W.duration(Math.floor(seconds / 60));
    return text.agoFormat.replace("%(age)s", value);
  }
  function label(row) { return row.name + " · " + (row.grid_name || "") + " · " + age(row.at); }

  function place(row) {
    if (row.lat === null || row.lat === undefined || !view.patrols) { return; }
    if (row.marker) {
      row.marker.setLatLng([row.lat, row.lng]);
    } else {
      row.marker = L.circleMarker([row.lat, row.lng], { radius: 8, weight: 2.5, color: "#ffffff", fillColor: "#4cd964", fillOpacity: 1, renderer: view.patrolCanvas });
      row.marker.bindTooltip("", { className: "patrol-tip" });
      view.patrols.addLayer(row.marker);
    }
    row.marker.setTooltipContent(label(row));
  }
  function upsert(data) {
    var row = state.patrols[data.patrol] || {};
    ["name", "grid_name", "lat", "lng", "at"].forEach(function (key) { if (data[key] !== undefined) { row[key] = data[key]; } });
    state.patrols[data.patrol] = row;
    place(row);
  }
  function remove(id) {
    var row = state.patrols[id];
    if (!row) { return; }
    if (row.marker && view.patrols) { view.patrols.removeLayer(row.marker); }
    delete state.patrols[id];
  }

  function renderList() {
    var ids = Object.keys(state.patrols);
    // Freshest first: the ones that went quiet sink to the end.
    ids.sort(function (a, b) { return String(state.patrols[b].at || "").localeCompare(String(state.patrols[a].at || "")); });
    byId("patrol-count").textContent = String(ids.length);
    byId("wallmap").dataset.patrols = String(ids.length);
    var list = byId("list-patrols");
    list.replaceChildren();
    ids.slice(0, LIST_LENGTH).forEach(function (id) {
      var row = state.patrols[id];
      var item = el("li");
      item.dataset.patrol = id;
      item.appendChild(el("span", "who", row.name));
      item.appendChild(el("span", "what", row.grid_name || ""));
      var stale = !row.at || ageSeconds(row.at) > STALE_SECONDS;
      item.appendChild(el("span", "age" + (stale ? " stale" : ""), age(row.at)));
      if (row.marker) {
        item.addEventListener("click", function () { view.map.setView(row.marker.getLatLng(), Math.max(view.map.getZoom(), 14)); });
      }
      list.appendChild(item);
      if (row.marker) { row.marker.setTooltipContent(label(row)); }
    });
    if (!ids.length) { list.appendChild(el("li", "empty", text.nobodyOnPatrol)); }
  }

  // The snapshot: everyone on patrol now, with the newest fix of each.
  function renderPatrols(rows) {
    Object.keys(state.patrols).forEach(remove);
    (rows || []).forEach(upsert);
    renderList();
  }

  function applyPatrolEvent(type, data) {
    if (type === "patrol.started") {
      upsert(data);
    } else if (type === "patrol.stopped") {
      remove(data.patrol);
      loadCoverageSoon();
    } else if (type === "patrol.positions") {
      // Only patrols on the screen: a batch may still carry one that stopped a moment ago.
      data.items.forEach(function (item) { if (state.patrols[item.patrol]) { upsert(item); } });
    }
    renderList();
  }

  // --- today's coverage ------------------------------------------------------------------------
  function loadCoverage() {
    fetch(config.coverageUrl, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(config.coverageUrl + ": " + response.status); }
      return response.json();
    }).then(function (data) {
      var levels = {};
      data.grids.forEach(function (row) { levels[String(row.grid.id)] = row.level; });
      state.coverage = levels;
      byId("coverage-figure").textContent = data.grids_patrolled + " / " + data.grids_total;
      if (state.mode === "coverage") { W.restyleGrids(); }
    }).catch(function (error) { console.error(error); });
  }
  function loadCoverageSoon() {
    window.clearTimeout(coverageTimer);
    coverageTimer = window.setTimeout(loadCoverage, 3000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    loadCoverage();
    window.setInterval(loadCoverage, config.coverageRefreshSeconds * 1000);
    window.setInterval(renderList, 5000);  // the ages grow
  });

  W.renderPatrols = renderPatrols;
  W.applyPatrolEvent = applyPatrolEvent;
})();
