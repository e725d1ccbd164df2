/* The wall screen's map: grids coloured by open or overdue cases, case markers in
 * clusters, a flash for news, the township outlines and the cameras (Leaflet). */
(function () {
  "use strict";
  var W = window.wallScreenParts;
  var config = W.config, text = W.text, state = W.state, view = W.view, active = W.active;
  var byId = W.byId, el = W.el, rem = W.rem, statusColour = W.statusColour;

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
    if (state.mode === "coverage") {
      var level = state.coverage[String(feature.id)] || "none";
      return { weight: 0.6, color: "#3b6b99", fillColor: config.coverageColours[level], fillOpacity: 0.55 };
    }
    var counts = state.grids[String(feature.id)] || [0, 0];
    var colour = gridColour(state.mode === "open" ? counts[0] : counts[1]);
    return { weight: 0.6, color: "#3b6b99", fillColor: colour || "#0e2238", fillOpacity: colour ? 0.65 : 0.35 };
  }
  function renderLegend() {
    var legend = byId("map-legend");
    legend.replaceChildren();
    if (state.mode === "coverage") {
      Object.keys(config.coverageLevels).forEach(function (level) { legend.appendChild(swatch(config.coverageColours[level], config.coverageLevels[level])); });
      return;
    }
    (state.mode === "open" ? OPEN_STEPS : LATE_STEPS).forEach(function (step) {
      legend.appendChild(swatch(step[1], "≥" + step[0]));
    });
  }
  function swatch(colour, words) {
    var item = el("span");
    var box = el("i");
    box.style.background = colour;
    item.appendChild(box);
    item.appendChild(document.createTextNode(" " + words));
    return item;
  }
  function restyleGrids() { if (view.grid) { view.grid.setStyle(gridStyle); } renderLegend(); }

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
      if (marker) { view.cluster.removeLayer(marker); delete state.markers[id]; }
      return;
    }
    if (marker) {
      view.cluster.removeLayer(marker);
      marker.setStyle(markerStyle(status, sla));
      marker.options.sla = sla;
      marker.setLatLng([lat, lng]);
    } else {
      marker = L.circleMarker([lat, lng], markerStyle(status, sla));
      marker.options.sla = sla;
      marker.caseId = id;
      marker.on("click", function () { W.openCase(id); });
      state.markers[id] = marker;
    }
    view.cluster.addLayer(marker);
  }
  function renderMarkers(rows) {
    view.cluster.clearLayers();
    state.markers = {};
    var layers = rows.map(function (row) {
      var marker = L.circleMarker([row[1], row[2]], markerStyle(row[3], row[4]));
      marker.options.sla = row[4];
      marker.caseId = row[0];
      marker.on("click", function () { W.openCase(row[0]); });
      state.markers[row[0]] = marker;
      return marker;
    });
    view.cluster.addLayers(layers);
    updateMarkerCount();
  }
  function updateMarkerCount() { byId("wallmap").dataset.markers = String(Object.keys(state.markers).length); }
  function flash(lat, lng) {
    var size = 3 * rem();
    var ring = L.marker([lat, lng], { icon: L.divIcon({ className: "case-flash", iconSize: [size, size] }), interactive: false });
    view.flash.addLayer(ring);
    window.setTimeout(function () { view.flash.removeLayer(ring); }, 12000);
  }

  function loadGeoJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }

  function initMap(leafletMap) {
    view.map = leafletMap;
    view.map.options.zoomSnap = 0.25;
    view.map.attributionControl.setPrefix(config.attributionPrefix);
    view.canvas = L.canvas({ padding: 0.2 });
    // The workers on patrol above the grids' fill (a pane of their own: .leaflet-patrols-pane).
    view.map.createPane("patrols");
    view.patrolCanvas = L.canvas({ padding: 0.2, pane: "patrols" });
    view.patrols = L.layerGroup();
    view.cluster = L.markerClusterGroup({ maxClusterRadius: 45, showCoverageOnHover: false, chunkedLoading: true, iconCreateFunction: clusterIcon });
    view.flash = L.layerGroup();
    var cameras = L.layerGroup();
    loadGeoJSON(config.gridsUrl).then(function (data) {
      view.grid = L.geoJSON(data, { style: gridStyle, interactive: false }).addTo(view.map);
      view.grid.bringToBack();
      view.map.fitBounds(view.grid.getBounds(), { padding: [8, 8] });
      return loadGeoJSON(config.townshipsUrl);
    }).then(function (data) {
      L.geoJSON(data, {
        style: { weight: 2.2, color: "#7fd3ff", fill: false, opacity: 0.9 },
        interactive: false,
        onEachFeature: function (feature, layer) {
          L.tooltip({ permanent: true, direction: "center", className: "township-label" })
            .setLatLng(layer.getBounds().getCenter()).setContent(feature.properties.name).addTo(view.map);
        },
      }).addTo(view.map);
      view.cluster.addTo(view.map);
      view.patrols.addTo(view.map);
      view.flash.addTo(view.map);
    }).catch(function (error) { console.error(error); });
    loadGeoJSON(config.camerasUrl).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var online = feature.properties.status === "online";
          return L.circleMarker(latlng, { renderer: view.canvas, radius: 3, weight: 1, color: online ? "#5ee0ff" : "#777", fillOpacity: 0.8 })
            .bindTooltip(feature.properties.name);
        },
      }).addTo(cameras);
    }).catch(function (error) { console.error(error); });
    var overlays = {};
    overlays[text.cases] = view.cluster;
    overlays[text.workersOnPatrol] = view.patrols;
    overlays[text.cameras] = cameras;
    L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(view.map);
    renderLegend();
    W.connect();
  }

  W.flash = flash;
  W.initMap = initMap;
  W.renderMarkers = renderMarkers;
  W.restyleGrids = restyleGrids;
  W.updateMarkerCount = updateMarkerCount;
  W.upsertMarker = upsertMarker;
})();
