// What django-leaflet's inline scripts did, from a file (the Content-Security-Policy allows no
// inline script): starts the maps of {% leaflet_map %} (templates/leaflet/_leaflet_map.html) on
// the page's load event with the tag's options and callback (a dotted name such as
// "window.caseMap.init"), and defines the callbacks of its form widget's maps
// (templates/leaflet/widget.html). Included by each; each element is handled once.
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

  function once(selector, start) {
    document.querySelectorAll(selector + ":not([data-leaflet-started])").forEach(function (element) {
      element.setAttribute("data-leaflet-started", "");
      start(element, element.dataset);
    });
  }

  once("[data-leaflet-field]", function (element, data) {
    var field = { fieldid: data.fieldid, modifiable: data.modifiable === "true", geom_type: data.geomType, srid: Number(data.srid) };
    window[data.leafletField] = field;
    function callback(map, options) {
      field.field_store_class = resolve(data.fieldStoreClass);
      field.precision = options.djoptions.precision;
      var GeometryField = resolve(data.geometryFieldClass);
      new GeometryField(field).addTo(map);
    }
    window[data.callback] = callback;
    if (!data.targetMap) return;
    window.addEventListener("map:init", function (event) {
      var map = event.detail.map;
      map.on("map:loadfield", function (loaded) {
        if (loaded.fieldid === "id_" + data.targetMap) {
          setTimeout(function () { callback(map, event.detail.options); }, 0);
        }
      });
    }, false);
  });

  once("[data-leaflet-map]", function (element, data) {
    var name = data.leafletMap;
    var globals = data.globals === "true";
    function loadmap() {
      var map = L.Map.djangoMap(name, {
        djoptions: JSON.parse(data.djoptions),
        initfunc: loadmap,
        globals: globals,
        callback: resolve(data.callback),
      });
      if (globals) window["leafletmap" + name] = map;
    }
    var events = JSON.parse(data.loadevents || "[]");
    if (events.length === 0) loadmap();
    events.forEach(function (event) {
      window.addEventListener(event, loadmap, false);
    });
    if (globals) window["loadmap" + name] = loadmap;
  });
})();
