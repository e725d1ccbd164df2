/* The wall screen. One WebSocket (/ws/dashboard/) feeds everything: a snapshot on
 * connect (and on request every few minutes), then one "case.event" message per case
 * event with the figures already updated. After a drop the page reconnects with an
 * exponential back-off and redraws from the fresh snapshot, so a missed message never
 * leaves a wrong figure. Message schema: README, "Wall screen messages". */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var text = config.strings;
  var SCHEMA = 1;
  var RESYNC_MS = 2 * 60 * 1000;
  var TICKER_LENGTH = 20;
  var active = {};
  config.activeStatuses.forEach(function (status) { active[status] = true; });

  var state = { mode: "open", grids: {}, markers: {}, urged: [], socket: null, attempt: 0, refused: false };
  var map, gridLayer, clusterLayer, flashLayer, cameraHighlight, charts = {};

  function byId(id) { return document.getElementById(id); }
  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = content; }
    return node;
  }
  function rem() { return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clockTime(date) { return pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()); }
  function shortTime(iso) { var d = new Date(iso); return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  function dateTime(iso) {
    if (!iso) { return "–"; }
    var d = new Date(iso);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function statusLabel(status) { return (config.statuses[status] || {}).label || status || ""; }
  function statusColour(status) { return (config.statuses[status] || {}).colour || "#888"; }
  function duration(minutes) {
    if (minutes < 60) { return minutes + text.minutes; }
    if (minutes < 48 * 60) { return Math.floor(minutes / 60) + text.hours; }
    return Math.floor(minutes / 1440) + text.days;
  }

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
      if (message.type === "snapshot") { setConnection("live", text.connected); renderSnapshot(message.data); }
      else if (message.type === "case.event") { applyEvent(message.data); }
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
      // Exponential back-off with jitter: 1 s, 2 s, 4 s ... at most 30 s.
      var delay = Math.min(30000, 1000 * Math.pow(2, state.attempt)) * (0.7 + Math.random() * 0.6);
      state.attempt += 1;
      setConnection("reconnecting", text.reconnecting);
      window.setTimeout(connect, delay);
    };
  }

  function requestSnapshot() {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) {
      state.socket.send(JSON.stringify({ type: "snapshot.request" }));
    }
  }

  // --- figures ---------------------------------------------------------------------------------
  function setNumber(node, value) {
    if (!node) { return; }
    var shown = String(value);
    if (node.textContent !== shown) {
      node.textContent = shown;
      node.classList.add("changed");
      window.setTimeout(function () { node.classList.remove("changed"); }, 1200);
    }
  }
  function renderFigures(figures, today) {
    Object.keys(figures).forEach(function (key) { setNumber(byId("figure-" + key), figures[key]); });
    Object.keys(today).forEach(function (key) { setNumber(byId("today-" + key), today[key]); });
  }

  // --- map -------------------------------------------------------------------------------------
  var OPEN_STEPS = [[1, "#1b4f7a"], [2, "#2a7ab0"], [4, "#3fa7d6"], [7, "#f6c445"], [11, "#f28c28"]];
  var LATE_STEPS = [[1, "#7a2a2a"], [2, "#b03a2e"], [4, "#e04b3a"], [7, "#ff6b4a"]];
  function gridColour(count) {
    var steps = state.mode === "open" ? OPEN_STEPS : LATE_STEPS;
    var colour = null;
    steps.forEach(function (step) { if (count >= step[0]) { colour = step[1]; } });
    return colour;
  }
  function gridStyle(feature) {
    var counts = state.grids[String(feature.id)] || [0, 0];
    var colour = gridColour(state.mode === "open" ? counts[0] : counts[1]);
    return { weight: 0.6, color: "#3b6b99", fillColor: colour || "#0e2238", fillOpacity: colour ? 0.65 : 0.35 };
  }
  function renderLegend() {
    var legend = byId("map-legend");
    legend.replaceChildren();
    (state.mode === "open" ? OPEN_STEPS : LATE_STEPS).forEach(function (step) {
      var item = el("span");
      var swatch = el("i");
      swatch.style.background = step[1];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" ≥" + step[0]));
      legend.appendChild(item);
    });
  }
  function restyleGrids() { if (gridLayer) { gridLayer.setStyle(gridStyle); } renderLegend(); }

  function markerStyle(status, sla) {
    var late = sla && config.slaColours[sla];
    return { radius: 7, weight: late ? 3 : 1.5, color: late || "#ffffff", fillColor: statusColour(status), fillOpacity: 0.95 };
  }
  function clusterIcon(cluster) {
    var children = cluster.getAllChildMarkers();
    var late = children.some(function (marker) { return marker.options.sla === "overdue"; });
    var count = cluster.getChildCount();
    var size = (count < 10 ? 2.4 : count < 100 ? 2.9 : 3.4) * rem();
    return L.divIcon({
      html: "<span>" + count + "</span>",
      className: "case-cluster" + (late ? " late" : ""),
      iconSize: [size, size],
    });
  }
  function upsertMarker(id, lat, lng, status, sla) {
    var marker = state.markers[id];
    if (!active[status]) {
      if (marker) { clusterLayer.removeLayer(marker); delete state.markers[id]; }
      return;
    }
    if (marker) {
      clusterLayer.removeLayer(marker);
      marker.setStyle(markerStyle(status, sla));
      marker.options.sla = sla;
      marker.setLatLng([lat, lng]);
    } else {
      marker = L.circleMarker([lat, lng], markerStyle(status, sla));
      marker.options.sla = sla;
      marker.caseId = id;
      marker.on("click", function () { openCase(id); });
      state.markers[id] = marker;
    }
    clusterLayer.addLayer(marker);
  }
  function renderMarkers(rows) {
    clusterLayer.clearLayers();
    state.markers = {};
    var layers = rows.map(function (row) {
      var marker = L.circleMarker([row[1], row[2]], markerStyle(row[3], row[4]));
      marker.options.sla = row[4];
      marker.caseId = row[0];
      marker.on("click", function () { openCase(row[0]); });
      state.markers[row[0]] = marker;
      return marker;
    });
    clusterLayer.addLayers(layers);
    updateMarkerCount();
  }
  function updateMarkerCount() { byId("wallmap").dataset.markers = String(Object.keys(state.markers).length); }
  function flash(lat, lng) {
    var size = 3 * rem();
    var ring = L.marker([lat, lng], { icon: L.divIcon({ className: "case-flash", iconSize: [size, size] }), interactive: false });
    flashLayer.addLayer(ring);
    window.setTimeout(function () { flashLayer.removeLayer(ring); }, 12000);
  }

  function loadGeoJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }

  function initMap(leafletMap) {
    map = leafletMap;
    map.options.zoomSnap = 0.25;
    clusterLayer = L.markerClusterGroup({ maxClusterRadius: 45, showCoverageOnHover: false, chunkedLoading: true, iconCreateFunction: clusterIcon });
    flashLayer = L.layerGroup();
    var cameras = L.layerGroup();
    var canvas = L.canvas({ padding: 0.2 });
    loadGeoJSON(config.gridsUrl).then(function (data) {
      gridLayer = L.geoJSON(data, { style: gridStyle, interactive: false }).addTo(map);
      gridLayer.bringToBack();
      map.fitBounds(gridLayer.getBounds(), { padding: [8, 8] });
      return loadGeoJSON(config.townshipsUrl);
    }).then(function (data) {
      L.geoJSON(data, {
        style: { weight: 2.2, color: "#7fd3ff", fill: false, opacity: 0.9 },
        interactive: false,
        onEachFeature: function (feature, layer) {
          L.tooltip({ permanent: true, direction: "center", className: "township-label" })
            .setLatLng(layer.getBounds().getCenter()).setContent(feature.properties.name).addTo(map);
        },
      }).addTo(map);
      clusterLayer.addTo(map);
      flashLayer.addTo(map);
    }).catch(function (error) { console.error(error); });
    loadGeoJSON(config.camerasUrl).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var online = feature.properties.status === "online";
          return L.circleMarker(latlng, { renderer: canvas, radius: 3, weight: 1, color: online ? "#5ee0ff" : "#777", fillOpacity: 0.8 })
            .bindTooltip(feature.properties.name);
        },
      }).addTo(cameras);
    }).catch(function (error) { console.error(error); });
    var overlays = {};
    overlays[text.cases] = clusterLayer;
    overlays[text.cameras] = cameras;
    L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);
    renderLegend();
    connect();
  }

  // --- charts ------------------------------------------------------------------------------------
  function chart(id) {
    if (!charts[id]) { charts[id] = echarts.init(byId(id), "dark", { renderer: "canvas" }); }
    return charts[id];
  }
  function base() {
    var size = rem();
    return {
      backgroundColor: "transparent",
      textStyle: { fontSize: size * 0.9 },
      grid: { left: size * 0.5, right: size * 1.2, top: size * 2, bottom: size * 0.5, containLabel: true },
      tooltip: { trigger: "axis", textStyle: { fontSize: size * 0.9 } },
      legend: { top: 0, textStyle: { fontSize: size * 0.85, color: "#cfe3ff" }, itemWidth: size, itemHeight: size * 0.6 },
    };
  }
  function axisText() { return { fontSize: rem() * 0.85, color: "#a9c1de" }; }
  function renderCharts(data) {
    var size = rem();
    var daily = base();
    daily.xAxis = { type: "category", data: data.daily.days.map(function (day) { return day.slice(5); }), axisLabel: axisText() };
    daily.yAxis = { type: "value", minInterval: 1, axisLabel: axisText(), splitLine: { lineStyle: { color: "#1d3a5f" } } };
    daily.series = [
      { name: text.reported, type: "bar", data: data.daily.reported, itemStyle: { color: "#37c6ff" } },
      { name: text.dispatched, type: "line", data: data.daily.dispatched, smooth: true, symbolSize: size * 0.4, itemStyle: { color: "#b084ff" } },
      { name: text.closed, type: "line", data: data.daily.closed, smooth: true, symbolSize: size * 0.4, itemStyle: { color: "#4cd964" } },
    ];
    chart("chart-daily").setOption(daily, true);

    var domains = base();
    domains.tooltip = { trigger: "item", textStyle: { fontSize: size * 0.9 } };
    domains.legend = undefined;
    domains.series = [{
      type: "pie", radius: ["35%", "68%"], center: ["50%", "55%"], data: data.domains,
      label: { fontSize: size * 0.85, color: "#dcecff", formatter: "{b} {c}" }, labelLine: { length: size * 0.5, length2: size * 0.4 },
    }];
    chart("chart-domains").setOption(domains, true);

    var subitems = base();
    var topItems = data.subitems.slice().reverse();
    subitems.legend = undefined;
    subitems.grid.top = size * 0.5;
    subitems.xAxis = { type: "value", minInterval: 1, axisLabel: axisText(), splitLine: { lineStyle: { color: "#1d3a5f" } } };
    subitems.yAxis = { type: "category", data: topItems.map(function (item) { return item.name; }), axisLabel: axisText() };
    subitems.series = [{ type: "bar", data: topItems.map(function (item) { return item.value; }), itemStyle: { color: "#f6c445" }, label: { show: true, position: "right", fontSize: size * 0.8 } }];
    chart("chart-subitems").setOption(subitems, true);

    var sources = base();
    sources.tooltip = { trigger: "item", textStyle: { fontSize: size * 0.9 } };
    sources.legend = undefined;
    sources.series = [{
      type: "pie", radius: "65%", center: ["50%", "55%"],
      data: data.sources.map(function (row) { return { name: config.sources[row.code] || row.code, value: row.value }; }),
      label: { fontSize: size * 0.85, color: "#dcecff", formatter: "{b}\n{d}%" },
    }];
    chart("chart-sources").setOption(sources, true);

    var departments = base();
    var top = data.departments.slice(0, 10).reverse();
    departments.grid.top = size * 2.2;
    departments.xAxis = [
      { type: "value", max: 100, position: "top", axisLabel: axisText(), splitLine: { show: false } },
      { type: "value", minInterval: 1, position: "bottom", axisLabel: axisText(), splitLine: { lineStyle: { color: "#1d3a5f" } } },
    ];
    departments.yAxis = { type: "category", data: top.map(function (row) { return row.name; }), axisLabel: axisText() };
    departments.series = [
      { name: text.onTimeRate, type: "bar", xAxisIndex: 0, data: top.map(function (row) { return row.on_time_rate === null ? 0 : Math.round(row.on_time_rate * 1000) / 10; }), itemStyle: { color: "#4cd964" } },
      { name: text.overdue, type: "bar", xAxisIndex: 1, data: top.map(function (row) { return row.overdue; }), itemStyle: { color: "#ff3b30" } },
      { name: text.returns, type: "bar", xAxisIndex: 1, data: top.map(function (row) { return row.returns; }), itemStyle: { color: "#f28c28" } },
    ];
    chart("chart-departments").setOption(departments, true);

    var townships = base();
    var rows = data.townships.slice(0, 15).reverse();
    townships.xAxis = { type: "value", minInterval: 1, axisLabel: axisText(), splitLine: { lineStyle: { color: "#1d3a5f" } } };
    townships.yAxis = { type: "category", data: rows.map(function (row) { return row.name; }), axisLabel: axisText() };
    townships.series = [
      { name: text.open, type: "bar", stack: "load", data: rows.map(function (row) { return row.open - row.overdue; }), itemStyle: { color: "#3fa7d6" } },
      { name: text.overdue, type: "bar", stack: "load", data: rows.map(function (row) { return row.overdue; }), itemStyle: { color: "#ff3b30" } },
    ];
    chart("chart-townships").setOption(townships, true);
  }

  // --- lists and ticker --------------------------------------------------------------------------
  function caseItem(row, extra) {
    var item = el("li");
    item.appendChild(el("span", "no", row.tracking_no));
    item.appendChild(el("span", "what", [row.subitem, row.township, row.department].filter(Boolean).join(" · ")));
    item.appendChild(extra);
    item.addEventListener("click", function () { openCase(row.id); });
    return item;
  }
  function fillList(list, items) {
    list.replaceChildren();
    if (!items.length) { list.appendChild(el("li", "empty", text.noCases)); }
    items.forEach(function (item) { list.appendChild(item); });
  }
  function renderOverdue(rows) {
    fillList(byId("list-overdue"), rows.map(function (row) {
      return caseItem(row, el("span", "late", text.lateBy + " " + duration(row.late_minutes)));
    }));
  }
  function renderUrged() {
    fillList(byId("list-urged"), state.urged.map(function (row) {
      return caseItem(row, el("span", "urges", text.urged + " " + row.urge_count + text.times));
    }));
  }
  function tickerItem(step, fresh) {
    var item = el("li", fresh ? "fresh" : "");
    item.appendChild(el("span", "at", shortTime(step.at)));
    var action = el("span", "act", config.actions[step.action] || step.action);
    action.style.color = statusColour(step.status);
    item.appendChild(action);
    item.appendChild(el("span", "no", step.tracking_no));
    item.appendChild(el("span", "what", [step.subitem, step.township].filter(Boolean).join(" · ")));
    item.addEventListener("click", function () { openCase(step.case); });
    return item;
  }
  function renderTicker(steps) {
    var list = byId("ticker");
    list.replaceChildren();
    steps.forEach(function (step) { list.appendChild(tickerItem(step, false)); });
  }

  // --- snapshot and events ------------------------------------------------------------------------
  function renderSnapshot(data) {
    state.lastData = data;
    renderFigures(data.figures, data.today);
    byId("calendar-warning").hidden = !data.calendar_warning;
    state.grids = data.grids;
    restyleGrids();
    if (clusterLayer) { renderMarkers(data.markers); }
    renderCharts(data);
    renderOverdue(data.overdue_cases);
    state.urged = data.urged_cases;
    renderUrged();
    renderTicker(data.ticker);
    document.body.dataset.snapshotAt = data.at;
  }

  function applyEvent(data) {
    renderFigures(data.figures, data.today);
    var event = data.event;
    var kase = data.case;
    if (data.grid) {
      state.grids[String(data.grid.id)] = [data.grid.open, data.grid.overdue];
      restyleGrids();
    }
    if (kase && clusterLayer) {
      upsertMarker(kase.id, kase.lat, kase.lng, kase.status, kase.sla);
      updateMarkerCount();
      if (event.from_status === "" || event.action === "urge") { flash(kase.lat, kase.lng); }
    }
    var list = byId("ticker");
    list.insertBefore(tickerItem({
      case: event.case, tracking_no: event.tracking_no, action: event.action, status: event.status, at: event.at,
      subitem: kase && kase.subitem, township: kase && kase.township,
    }, true), list.firstChild);
    while (list.children.length > TICKER_LENGTH) { list.removeChild(list.lastChild); }
    if (event.action === "urge" && kase) {
      state.urged = state.urged.filter(function (row) { return row.id !== kase.id; });
      state.urged.unshift({ id: kase.id, tracking_no: kase.tracking_no, subitem: kase.subitem, township: kase.township, department: kase.department, urge_count: kase.urge_count });
      renderUrged();
    }
    document.body.dataset.lastEvent = event.tracking_no + " " + event.action;
  }

  // --- the case panel ---------------------------------------------------------------------------------
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function openCase(id) {
    var panel = byId("case-panel");
    var body = byId("case-panel-body");
    body.replaceChildren(el("p", "", "…"));
    panel.hidden = false;
    fetch(config.caseUrl.replace("/0/", "/" + id + "/"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(renderCase)
      .catch(function () { body.replaceChildren(el("p", "", text.loadFailed)); });
  }
  function row(dl, label, value) {
    dl.appendChild(el("dt", "", label));
    dl.appendChild(el("dd", "", value === null || value === undefined || value === "" ? "–" : value));
  }
  function renderCase(kase) {
    var body = byId("case-panel-body");
    body.replaceChildren();
    body.appendChild(el("h3", "", kase.tracking_no));
    var status = el("p");
    var pill = el("span", "status-pill", statusLabel(kase.status));
    pill.style.background = statusColour(kase.status);
    status.appendChild(pill);
    if (kase.sla) { status.appendChild(el("span", "sla-" + kase.sla, text[kase.sla])); }
    body.appendChild(status);
    body.appendChild(el("h4", "", text.details));
    var dl = el("dl");
    row(dl, text.description, kase.description);
    row(dl, text.source, config.sources[kase.source] || kase.source);
    row(dl, text.place, [kase.township, kase.community, kase.grid, kase.address].filter(Boolean).join(" · "));
    row(dl, text.reportedAt, dateTime(kase.created_at));
    row(dl, text.department, kase.department);
    row(dl, text.assisting, kase.assisting.join("、"));
    row(dl, text.deadline, dateTime(kase.deadline));
    row(dl, text.reporter, [kase.reporter.name, kase.reporter.phone].filter(Boolean).join(" "));
    body.appendChild(dl);
    body.appendChild(el("h4", "", text.timeline));
    var timeline = el("ol");
    kase.timeline.forEach(function (step) {
      var words = [dateTime(step.at), config.actions[step.action] || step.action, step.actor, step.department, step.note].filter(Boolean);
      timeline.appendChild(el("li", "", words.join(" · ")));
    });
    body.appendChild(timeline);
    body.appendChild(el("h4", "", text.nearestCameras));
    var cameras = el("ol");
    kase.cameras.forEach(function (camera) {
      cameras.appendChild(el("li", "", camera.name + " · " + Math.round(camera.distance_m) + text.metres + " · " + (config.cameraStatuses[camera.status] || camera.status)));
    });
    body.appendChild(cameras);
    showCameras(kase);
    if (kase.can_urge) { body.appendChild(urgeForm(kase)); }
  }
  function showCameras(kase) {
    if (cameraHighlight) { map.removeLayer(cameraHighlight); }
    cameraHighlight = L.layerGroup(kase.cameras.map(function (camera) {
      return L.circleMarker([camera.lat, camera.lng], { radius: 6, color: "#5ee0ff", weight: 2, fillOpacity: 0.3 }).bindTooltip(camera.name);
    })).addTo(map);
    map.setView([kase.lat, kase.lng], Math.max(map.getZoom(), 15));
  }
  function urgeForm(kase) {
    var form = el("form");
    var note = el("textarea");
    note.name = "note";
    note.maxLength = 2000;
    note.placeholder = text.urgeNote;
    var button = el("button", "urge", text.urge);
    button.type = "submit";
    var message = el("p", "message");
    form.appendChild(note);
    form.appendChild(button);
    form.appendChild(message);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      fetch(config.urgeUrl.replace("/0/", "/" + kase.id + "/"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ note: note.value }),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.ok) { message.textContent = text.urgeDone; note.value = ""; return; }
          var detail = body.detail || Object.keys(body).map(function (key) { return [].concat(body[key]).join(" "); }).join(" ");
          message.textContent = text.urgeFailed + " " + detail;
        });
      }).catch(function () { message.textContent = text.urgeFailed; })
        .then(function () { button.disabled = false; });
    });
    return form;
  }

  // --- start -----------------------------------------------------------------------------------------
  function tick() { byId("clock").textContent = clockTime(new Date()); }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
    window.setInterval(requestSnapshot, RESYNC_MS);
    byId("case-panel-close").addEventListener("click", function () {
      byId("case-panel").hidden = true;
      if (cameraHighlight) { map.removeLayer(cameraHighlight); cameraHighlight = null; }
    });
    document.querySelectorAll(".switch button").forEach(function (button) {
      button.addEventListener("click", function () {
        state.mode = button.dataset.mode;
        document.querySelectorAll(".switch button").forEach(function (other) { other.setAttribute("aria-pressed", String(other === button)); });
        restyleGrids();
      });
    });
    window.addEventListener("resize", function () {
      Object.keys(charts).forEach(function (id) { charts[id].resize(); });
      if (state.lastData) { renderCharts(state.lastData); }
    });
  });

  window.wallScreen = {
    initMap: initMap,
    hasMarker: function (id) { return Boolean(state.markers[id]); },
    markerCount: function () { return Object.keys(state.markers).length; },
    dropConnection: function () { if (state.socket) { state.socket.close(); } },
  };
})();
