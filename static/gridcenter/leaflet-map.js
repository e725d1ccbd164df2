// Starts the maps of {% leaflet_map %} (templates/leaflet/_leaflet_map.html) as django-leaflet's
// inline script did: on the page's load event, L.Map.djangoMap with the tag's options and its
// callback, named by a dotted path such as "window.caseMap.init".
(function () {
  "use strict";

  function resolve(path) {
    if (!path) return null;
    var target = window;
    path.replace(/^window\./, "").split(".").forEach(function (name) {
      target = target == null ? null : target[name];
    });
    return typeof target === "function" ? target : null;
  }

  function start(element) {
    var name = element.dataset.leafletMap;
    var globals = element.dataset.globals === "true";
    function loadmap() {
      var map = L.Map.djangoMap(name, {
        djoptions: JSON.parse(element.dataset.djoptions),
        initfunc: loadmap,
        globals: globals,
        callback: resolve(element.dataset.callback),
      });
      if (globals) window["leafletmap" + name] = map;
    }
    var events = JSON.parse(element.dataset.loadevents || "[]");
    if (events.length === 0) loadmap();
    events.forEach(function (event) {
      window.addEventListener(event, loadmap, false);
    });
    if (globals) window["loadmap" + name] = loadmap;
  }

  document.querySelectorAll("[data-leaflet-map]:not([data-leaflet-started])").forEach(function (element) {
    element.setAttribute("data-leaflet-started", "");
    start(element);
  });
})();
