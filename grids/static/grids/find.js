/* The public "find my grid worker" page. Draws the grid map from our own GeoJSON (so it
 * works with no tile server), asks the public locate API for a tapped point or the
 * phone's position, and shows what it answers: only public facts. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("find-config").textContent);
  var text = config.strings;
  var map, marker, highlight, gridLayer;
  var asked = 0;  // the latest lookup: an older answer arriving late is dropped

  function byId(id) { return document.getElementById(id); }

  function setStatus(message) {
    byId("find-status").textContent = message;
    byId("find-status").hidden = !message;
  }

  function clearResult() {
    byId("find-units").hidden = true;
    byId("find-workers-title").hidden = true;
    byId("find-workers").replaceChildren();
    if (highlight) { highlight.setStyle({ weight: 1, color: "#1f5fa8", fillOpacity: 0.06 }); highlight = null; }
  }

  function showResult(data) {
    setStatus("");
    byId("find-township").textContent = data.township.name;
    byId("find-community").textContent = data.community.name;
    byId("find-grid").textContent = data.grid.name + " (" + data.grid.code + ")";
    byId("find-units").hidden = false;
    byId("find-workers-title").hidden = false;
    var list = byId("find-workers");
    if (!data.workers.length) {
      var empty = document.createElement("li");
      empty.textContent = text.noWorkers;
      list.appendChild(empty);
    }
    data.workers.forEach(function (worker) {
      var item = document.createElement("li");
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = worker.name;
      item.appendChild(name);
      if (worker.is_lead) {
        var lead = document.createElement("span");
        lead.className = "lead";
        lead.textContent = text.lead;
        item.appendChild(lead);
      }
      var call = document.createElement("a");
      call.className = "tel";
      call.href = "tel:" + worker.phone;
      call.textContent = text.call + " " + worker.phone;
      item.appendChild(call);
      list.appendChild(item);
    });
    if (gridLayer) {
      gridLayer.eachLayer(function (layer) {
        if (layer.feature && layer.feature.properties.code === data.grid.code) {
          highlight = layer;
          layer.setStyle({ weight: 3, color: "#b3261e", fillOpacity: 0.25 });
        }
      });
    }
    // On a phone the card is below the map: bring it into view.
    if (window.matchMedia("(max-width: 899px)").matches) {
      byId("find-result").scrollIntoView({ behavior: "smooth", block: "nearest" });
    }
  }

  function lookup(latlng) {
    clearResult();
    if (marker) { marker.setLatLng(latlng); } else { marker = L.circleMarker(latlng, { radius: 8, color: "#b3261e" }).addTo(map); }
    setStatus(text.searching);
    var mine = ++asked;
    var url = config.locateUrl + "?lat=" + latlng.lat.toFixed(6) + "&lng=" + latlng.lng.toFixed(6);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (mine !== asked) return;
        if (response.ok) {
          return response.json().then(function (data) { if (mine === asked) showResult(data); });
        }
        setStatus(response.status === 404 ? text.outside : response.status === 400 ? text.invalid : text.failed);
      })
      .catch(function () { if (mine === asked) setStatus(text.failed); });
  }

  function locateMe() {
    if (!navigator.geolocation) { setStatus(text.noLocation); return; }
    setStatus(text.locating);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        map.setView(latlng, Math.max(map.getZoom(), 14));
        lookup(latlng);
      },
      function () { setStatus(text.noLocation); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  function loadLayer(url, style, onEach) {
    return fetch(url).then(function (response) { return response.json(); }).then(function (data) {
      return L.geoJSON(data, { style: style, onEachFeature: onEach, interactive: false }).addTo(map);
    });
  }

  function init(leafletMap) {
    map = leafletMap;
    // Fractional zoom, so that the whole city fills a phone's narrow map.
    map.options.zoomSnap = 0.25;
    loadLayer(config.gridsUrl, { weight: 1, color: "#1f5fa8", fillColor: "#1f5fa8", fillOpacity: 0.06 })
      .then(function (layer) {
        gridLayer = layer;
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        return loadLayer(config.townshipsUrl, { weight: 2.5, color: "#5b6775", fill: false });
      })
      .catch(function () { setStatus(text.failed); });
    map.on("click", function (event) { lookup(event.latlng); });
    byId("find-locate").addEventListener("click", locateMe);
  }

  window.gridFind = { init: init };
})();
