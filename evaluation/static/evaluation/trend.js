/* The evaluation page's trend: the departments' scores over the last 12 months (ECharts, served locally). */
(function () {
  "use strict";
  var box = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!box || !source || typeof echarts === "undefined") { return; }
  var trend = JSON.parse(source.textContent);
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 40, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: trend.months },
    yAxis: { type: "value", min: 0, max: 100 },
    series: trend.series.map(function (line) {
      return { name: line.name, type: "line", data: line.data, connectNulls: false, symbolSize: 6 };
    }),
    animation: false
  });
  box.setAttribute("data-ready", "true");
  window.addEventListener("resize", function () { chart.resize(); });
})();
