/* The statistics page: the dimension pickers, the charts (ECharts) and the heat map
   (leaflet.heat over the grid polygons), all served locally; the data comes from json_script. */
(function () {
  "use strict";
  var form = document.getElementById("stats-filter");
  if (form) {
    form.addEventListener("submit", function () {
      var first = form.querySelector("[data-by=first]").value;
      var second = form.querySelector("[data-by=second]").value;
      document.getElementById("by").value = second && second !== first ? first + "," + second : first;
    });
  }
  var source = document.getElementById("stats-charts");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  window.statsHeatMap = function (map) {
    var box = document.querySelector(".stats-map");
    fetch(box.getAttribute("data-grids-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (geojson) {
        var grids = L.geoJSON(geojson, { style: { color: "#3b6ea5", weight: 1, fillOpacity: 0.03 } }).addTo(map);
        if (grids.getBounds().isValid()) { map.fitBounds(grids.getBounds()); }
      })
      .catch(function () { /* the heat stays useful without the polygons */ });
    var max = data.heat.reduce(function (m, p) { return Math.max(m, p[2]); }, 1);
    L.heatLayer(data.heat, { radius: 25, blur: 15, max: max, minOpacity: 0.45 }).addTo(map);
    if (data.heat.length) { map.setView([data.heat[0][0], data.heat[0][1]], 11); }
    box.setAttribute("data-ready", "true");
  };
  if (typeof echarts === "undefined") { return; }
  var bars = document.getElementById("breakdown-chart");
  if (bars) {
    var chart = echarts.init(bars);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 20, top: 20, bottom: 80 },
      xAxis: { type: "category", data: data.breakdown.labels, axisLabel: { rotate: 40 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: data.breakdown.time ? "line" : "bar", data: data.breakdown.values, color: "#3b6ea5" }],
      animation: false
    });
    bars.setAttribute("data-ready", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var hours = document.getElementById("hours-chart");
  if (hours) {
    var cells = [], top = 1;
    data.hours.forEach(function (row, day) {
      row.forEach(function (n, hour) { cells.push([hour, day, n]); top = Math.max(top, n); });
    });
    var matrix = echarts.init(hours);
    matrix.setOption({
      tooltip: { position: "top" },
      grid: { left: 60, right: 20, top: 10, bottom: 70 },
      xAxis: { type: "category", data: Array.from({ length: 24 }, function (_, h) { return (h < 10 ? "0" : "") + h; }) },
      yAxis: { type: "category", data: data.weekdays },
      visualMap: { min: 0, max: top, orient: "horizontal", left: "center", bottom: 0, calculable: true },
      series: [{ type: "heatmap", data: cells }],
      animation: false
    });
    hours.setAttribute("data-ready", "true");
    window.addEventListener("resize", function () { matrix.resize(); });
  }
})();
