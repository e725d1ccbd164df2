/* The patrol page: start and stop, the elapsed time, the track drawn as it grows. The
 * recording itself is m-recorder.js's (it goes on while any /m/ page is open). */
(function () {
  "use strict";
  var M = window.M, S = M.S, $ = M.$;
  var map = null, line = null, timer = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function elapsed(since) {
    var seconds = Math.max(0, Math.floor((Date.now() - new Date(since).getTime()) / 1000));
    return Math.floor(seconds / 3600) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
  }
  function draw() {
    var patrol = M.patrol.state();
    $("patrol-on").hidden = !patrol;
    $("patrol-off").hidden = !!patrol;
    $("patrol-state").textContent = patrol ? S.onPatrol : S.notOnPatrol;
    $("patrol-state").className = "m-pill " + (patrol ? "on" : "off");
    clearInterval(timer);
    if (patrol) {
      var tick = function () {
        $("patrol-elapsed").textContent = elapsed(patrol.started);
        $("patrol-waiting").textContent = M.fmt(S.pointsWaiting, { count: M.patrol.waiting() });
      };
      tick();
      timer = setInterval(tick, 1000);
    }
  }
  function addPoint(fix) {
    if (!map) return;
    if (!line) line = L.polyline([], { color: "#1f5fa8", weight: 4 }).addTo(map);
    line.addLatLng([fix.lat, fix.lng]);
    map.panTo([fix.lat, fix.lng]);
  }
  M.patrol.onFix(addPoint);

  $("start").addEventListener("click", function () {
    var grid = $("grid") ? $("grid").value : null;
    $("start").disabled = true;
    if (navigator.geolocation) navigator.geolocation.getCurrentPosition(function () {}, function () {});
    M.patrol.start(grid).then(function () { $("start").disabled = false; draw(); });
  });
  $("stop").addEventListener("click", function () {
    if (!window.confirm(S.confirmStop)) return;
    M.patrol.stop().then(function () { draw(); if (line) line.setLatLngs([]); });
  });
  document.addEventListener("m:patrol", draw);

  window.mPatrolMap = function (leafletMap) {
    map = leafletMap;
    var grids = JSON.parse($("m-grids").textContent);
    var layer = L.geoJSON(grids, { style: { color: "#b3261e", weight: 2, fillOpacity: 0.05 } }).addTo(map);
    if (grids.features.length) map.fitBounds(layer.getBounds());
    var patrol = M.patrol.state();
    if (!patrol) return;
    var local = patrol.buffer.map(function (fix) { return [fix.lat, fix.lng]; });
    if (!patrol.confirmed || !navigator.onLine) { local.forEach(function (p) { addPoint({ lat: p[0], lng: p[1] }); }); return; }
    fetch(M.cfg.urls.patrols + patrol.uuid + "/points/", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (points) {
        points.forEach(addPoint);
        local.forEach(function (p) { addPoint({ lat: p[0], lng: p[1] }); });
      }).catch(function () {});
  };
  draw();
  window.mReady = true;
})();
