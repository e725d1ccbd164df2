/* Maps of the console and the workbench. Draws what the page's JSON config says: the grid
 * outlines (from our own GeoJSON API, so the map is useful with no tile server), case
 * markers (clustered on the search page), a case's grid and its nearest cameras, and on the
 * registration page a marker the dispatcher places to fill in the coordinates. The markers
 * are redrawn when the page's live lists refresh. */
(function () {
  "use strict";

  function config() {
    var node = document.getElementById("casemap-config");
    return node ? JSON.parse(node.textContent) : {};
  }

  function popup(marker) {
    var box = document.createElement("div");
    var title = document.createElement(marker.url ? "a" : "strong");
    title.textContent = marker.title;
    if (marker.url) { title.href = marker.url; }
    box.appendChild(title);
    if (marker.status) {
      var status = document.createElement("div");
      status.textContent = marker.status;
      box.appendChild(status);
    }
    return box;
  }

  function caseMarkers(map, cfg) {
    var layer = cfg.cluster && L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.featureGroup();
    (cfg.markers || []).forEach(function (m) {
      var marker = L.circleMarker([m.lat, m.lng], {
        radius: 8, color: "#fff", weight: 2, fillColor: m.colour || "#1f5fa8", fillOpacity: 0.95
      });
      marker.bindPopup(popup(m));
      marker.caseId = m.id;
      layer.addLayer(marker);
    });
    layer.addTo(map);
    // Hovering a case card opens its marker's popup.
    document.querySelectorAll("[data-case]").forEach(function (card) {
      card.addEventListener("mouseenter", function () {
        layer.eachLayer(function (marker) {
          if (String(marker.caseId) === card.getAttribute("data-case")) { marker.openPopup(); }
        });
      });
    });
    return layer;
  }

  function cameras(map, list) {
    var group = L.featureGroup();
    (list || []).forEach(function (c) {
      L.circleMarker([c.lat, c.lng], { radius: 5, color: "#333", weight: 1, fillColor: "#ffd54f", fillOpacity: 1 })
        .bindTooltip(c.title + " · " + Math.round(c.distance) + " m")
        .addTo(group);
    });
    return group.addTo(map);
  }

  function picker(map) {
    var lat = document.getElementById("id_lat");
    var lng = document.getElementById("id_lng");
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    }
    if (lat && lng && lat.value && lng.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lng.value))); }
    map.on("click", function (event) {
      place(event.latlng);
      if (lat && lng) { lat.value = event.latlng.lat.toFixed(6); lng.value = event.latlng.lng.toFixed(6); }
    });
  }

  function init(map) {
    var cfg = config();
    var markers = caseMarkers(map, cfg);
    var focus = null;
    if (cfg.gridShape) {
      focus = L.geoJSON(cfg.gridShape, { style: { weight: 2, color: "#b3261e", fillOpacity: 0.05 } }).addTo(map);
    }
    var cams = cameras(map, cfg.cameras);
    if (cfg.markers && cfg.markers.length === 1 && cfg.zoom) {
      map.setView([cfg.markers[0].lat, cfg.markers[0].lng], cfg.zoom, { animate: false });
      if (cams.getLayers().length) { map.fitBounds(cams.getBounds().extend(markers.getBounds()), { padding: [20, 20], maxZoom: cfg.zoom, animate: false }); }
    } else if (cfg.markers && cfg.markers.length) {
      map.fitBounds(markers.getBounds(), { padding: [30, 30], maxZoom: 15, animate: false });
    }
    if (cfg.gridsUrl && !cfg.gridShape) {
      fetch(cfg.gridsUrl).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
        if (!data) { return; }
        var grids = L.geoJSON(data, { style: { weight: 1, color: "#1f5fa8", fillOpacity: 0.04 }, interactive: false }).addTo(map);
        grids.bringToBack();
        if (!cfg.markers || !cfg.markers.length) { map.fitBounds(grids.getBounds(), { animate: false }); }
      }).catch(function () { /* the markers are still there */ });
    }
    if (cfg.pick) { picker(map); return; }
    // The live lists (live-lists.js) redrew the page: the markers follow, the view stays put.
    document.addEventListener("live:refreshed", function (event) {
      var node = event.detail && event.detail.doc.getElementById("casemap-config");
      if (!node) { return; }
      map.removeLayer(markers);
      markers = caseMarkers(map, JSON.parse(node.textContent));
    });
  }

  window.caseMap = { init: init };
})();
