/* Report a problem (or file an errand) in under a minute: photos, GPS position with a
 * map to correct the pin, the grid it falls in, the sub-item by search or from recent
 * ones, a description; "solved on the spot" adds an after-photo. The form works without
 * Leaflet (the map appears when it has loaded) and without signal (the outbox sends it). */
(function () {
  "use strict";
  var M = window.M, S = M.S, $ = M.$;
  var form = $("report-form");
  var errand = form.dataset.errand === "1";
  var RECENT = "m.recent." + M.cfg.user;
  var CATS = "categories";
  var lat = null, lng = null, marker = null, map = null, located = 0;
  var searchTimer = null, locateTimer = null;

  /* --- photos ----------------------------------------------------------------------- */
  function preview(input, box) {
    input.addEventListener("change", function () {
      box.replaceChildren();
      Array.prototype.forEach.call(input.files, function (file) {
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = "";
        box.appendChild(img);
      });
    });
  }
  preview($("photo-camera"), $("photo-preview"));
  preview($("photo-pick"), $("photo-preview-pick"));
  if ($("after-photo")) preview($("after-photo"), $("after-preview"));
  var solved = $("solved");
  if (solved) {
    solved.addEventListener("change", function () { $("after-block").hidden = !solved.checked; });
  }

  /* --- position and grid --------------------------------------------------------------- */
  function setStatus(text) { $("place-status").textContent = text; }
  function setPoint(newLat, newLng, accuracy, fromMap) {
    lat = Math.round(newLat * 1e7) / 1e7;
    lng = Math.round(newLng * 1e7) / 1e7;
    $("lat").value = lat;
    $("lng").value = lng;
    $("coords").textContent = lat.toFixed(5) + ", " + lng.toFixed(5) +
      (accuracy ? " (" + M.fmt(S.accuracy, { metres: Math.round(accuracy) }) + ")" : "");
    if (map && !fromMap) {
      if (!marker) addMarker();
      marker.setLatLng([lat, lng]);
      map.setView([lat, lng], Math.max(map.getZoom(), 16));
    }
    clearTimeout(locateTimer);
    locateTimer = setTimeout(locateGrid, fromMap ? 400 : 0);
  }
  function locateGrid() {
    var asked = ++located;
    if (!navigator.onLine) { $("grid-name").textContent = S.gridUnknown; return; }
    fetch(M.cfg.urls.locate + "?lat=" + lat + "&lng=" + lng, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (asked !== located) return;
        if (response.status === 404) { $("grid-name").textContent = S.outside; return; }
        return response.json().then(function (data) {
          $("grid-name").textContent = data.township.name + " · " + data.community.name + " · " + data.grid.name;
        });
      }).catch(function () { $("grid-name").textContent = S.gridUnknown; });
  }
  function locate() {
    if (!navigator.geolocation) { setStatus(S.noGps); return; }
    setStatus(S.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      setStatus("");
      setPoint(position.coords.latitude, position.coords.longitude, position.coords.accuracy);
    }, function () { setStatus(S.noGps); }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 });
  }
  $("relocate").addEventListener("click", locate);

  function addMarker() {
    marker = L.marker([lat, lng], { draggable: true, autoPan: true }).addTo(map);
    marker.on("dragend", function () {
      var point = marker.getLatLng();
      setPoint(point.lat, point.lng, null, true);
    });
  }
  window.mReportMap = function (leafletMap) {
    map = leafletMap;
    if (M.cfg.icons) {
      // The URLs are whole (hashed names in production): no directory in front of them.
      L.Icon.Default.imagePath = "";
      L.Icon.Default.mergeOptions(M.cfg.icons);
    }
    var grids = JSON.parse($("m-grids").textContent);
    var layer = L.geoJSON(grids, { style: { color: "#b3261e", weight: 2, fillOpacity: 0.05 } }).addTo(map);
    if (lat !== null) {
      addMarker();
      map.setView([lat, lng], 17);
    } else if (grids.features.length) {
      map.fitBounds(layer.getBounds());
    }
    map.on("click", function (event) {
      setPoint(event.latlng.lat, event.latlng.lng, null, true);
      if (!marker) addMarker();
      marker.setLatLng(event.latlng);
    });
  };

  /* --- the sub-item: search by Chinese name, or a recent one ------------------------------ */
  function recent() {
    try { return JSON.parse(localStorage.getItem(RECENT) || "[]"); } catch (e) { return []; }
  }
  function choose(code, name) {
    $("subcategory").value = code;
    $("chosen").textContent = code + " " + name;
    $("chosen").hidden = false;
    $("results").replaceChildren();
    $("search").value = "";
    if (!errand) {
      var list = recent().filter(function (item) { return item.code !== code; });
      list.unshift({ code: code, name: name });
      localStorage.setItem(RECENT, JSON.stringify(list.slice(0, 6)));
    }
  }
  function chip(container, code, name) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip";
    button.textContent = name;
    button.addEventListener("click", function () { choose(code, name); });
    container.appendChild(button);
  }
  function showResults(subs) {
    var box = $("results");
    box.replaceChildren();
    if (!subs.length) { box.textContent = S.noMatch; return; }
    subs.slice(0, 12).forEach(function (sub) { chip(box, sub.code, sub.name); });
  }
  function flatten(tree) {
    var subs = [];
    tree.forEach(function (major) {
      major.subcategories.forEach(function (sub) { subs.push({ code: sub.code, name: sub.name }); });
    });
    return subs;
  }
  function searchOffline(query) {
    M.kvGet(CATS).then(function (subs) {
      showResults((subs || []).filter(function (sub) {
        return sub.name.indexOf(query) >= 0 || sub.code.indexOf(query) === 0;
      }));
    });
  }
  function search() {
    var query = $("search").value.trim();
    if (!query) { $("results").replaceChildren(); return; }
    if (!navigator.onLine) { searchOffline(query); return; }
    $("results").textContent = S.searching;
    fetch(M.cfg.urls.categories + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (tree) { if ($("search").value.trim() === query) showResults(flatten(tree)); })
      .catch(function () { searchOffline(query); });
  }
  if ($("search")) {
    $("search").addEventListener("input", function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(search, 250);
    });
    var recentBox = $("recent");
    recent().forEach(function (item) { chip(recentBox, item.code, item.name); });
    $("recent-block").hidden = !recent().length;
  }
  /* The whole tree, once a day when idle, for searching without signal. */
  function keepTree() {
    M.kvGet(CATS + ".at").then(function (at) {
      if (!navigator.onLine || (at && Date.now() - at < 86400000)) return;
      fetch(M.cfg.urls.categories, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (tree) { return M.kvSet(CATS, flatten(tree)).then(function () { return M.kvSet(CATS + ".at", Date.now()); }); })
        .catch(function () {});
    });
  }
  window.addEventListener("load", function () { setTimeout(keepTree, 3000); });

  /* --- errands: the kind suggests the sub-item ----------------------------------------- */
  Array.prototype.forEach.call(document.querySelectorAll("[data-errand-kind]"), function (button) {
    button.addEventListener("click", function () {
      Array.prototype.forEach.call(document.querySelectorAll("[data-errand-kind]"), function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      $("errand-kind").value = button.textContent;
      var select = $("errand-sub");
      select.value = button.dataset.sub;
      $("subcategory").value = select.value;
    });
  });
  if ($("errand-sub")) {
    $("errand-sub").addEventListener("change", function () { $("subcategory").value = $("errand-sub").value; });
  }

  /* --- send -------------------------------------------------------------------------------- */
  function fail(message, field) {
    $("form-error").textContent = message;
    $("form-error").hidden = false;
    if (field && $(field)) $(field).focus({ preventScroll: true });
    $("form-error").scrollIntoView({ block: "center" });
    return false;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    $("form-error").hidden = true;
    var description = $("description").value.trim();
    if (errand) {
      if (!$("resident").value.trim()) return fail(S.needResident, "resident");
      if ($("errand-kind").value) description = "【" + $("errand-kind").value + "】" + description;
    }
    if (!$("subcategory").value) return fail(S.pickCategory, errand ? "errand-sub" : "search");
    if (lat === null) return fail(S.needPlace, "relocate");
    if (!description) return fail(S.needDescription, "description");
    var isSolved = solved && solved.checked;
    if (isSolved && !$("after-photo").files.length) return fail(S.needAfterPhoto, "after-photo");
    var send = $("send");
    send.disabled = true;
    var uuid = M.uuid();
    var fields = {
      client_uuid: uuid, subcategory: $("subcategory").value, description: description,
      lat: String(lat), lng: String(lng), address: $("address").value.trim()
    };
    if (errand) {
      fields.reporter_name = $("resident").value.trim();
      fields.reporter_phone = $("resident-phone").value.trim();
    }
    var patrol = M.patrol.state();
    M.photos([$("photo-camera"), $("photo-pick")]).then(function (photos) {
      fields.photos = photos;
      return M.enqueue({ kind: errand ? "errand" : "report", url: form.dataset.url, fields: fields, uuid: uuid });
    }).then(function () {
      if (!patrol || errand) return null;
      return M.enqueue({
        kind: "link", json: true, conflictIsDone: true, url: M.cfg.urls.patrols + patrol.uuid + "/reports/",
        fields: { "case": "{id:" + uuid + "}" }
      });
    }).then(function () {
      if (!isSolved) return null;
      return M.photos([$("after-photo")]).then(function (after) {
        return M.enqueue({
          kind: "self_resolve", conflictIsDone: true, fields: { photos: after, note: "" },
          url: form.dataset.caseUrl.replace("/0/", "/{id:" + uuid + "}/") + "self-resolve/"
        });
      });
    }).then(function () {
      form.reset();
      ["photo-preview", "photo-preview-pick", "after-preview"].forEach(function (id) { if ($(id)) $(id).replaceChildren(); });
      if ($("after-block")) $("after-block").hidden = true;
      $("chosen").hidden = true;
      $("subcategory").value = "";
      $("done").hidden = false;
      $("done-text").textContent = navigator.onLine ? S.sending : S.queued;
      send.disabled = false;
      window.scrollTo(0, 0);
      if (lat !== null) { $("lat").value = lat; $("lng").value = lng; }
    });
  });
  document.addEventListener("m:sent", function (event) {
    var kind = event.detail.item.kind;
    if ((kind === "report" || kind === "errand") && !$("done").hidden) $("done-text").textContent = S.sent;
  });

  locate();
  document.documentElement.dataset.ready = "1";
  window.mReady = true;
})();
