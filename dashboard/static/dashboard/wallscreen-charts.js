/* The wall screen's charts (ECharts): reports per day, domains, top sub-items, sources,
 * departments' timeliness and the townships' load. */
(function () {
  "use strict";
  var W = window.wallScreenParts;
  var config = W.config, text = W.text;
  var byId = W.byId, rem = W.rem;

  // --- charts ------------------------------------------------------------------------------------
  function chart(id) {
    if (!W.charts[id]) { W.charts[id] = echarts.init(byId(id), "dark", { renderer: "canvas" }); }
    return W.charts[id];
  }
  function base() {
    var size = rem();
    return {
      backgroundColor: "transparent",
      textStyle: { fontSize: size * 1.15 },
      grid: { left: size * 0.5, right: size * 1.2, top: size * 2, bottom: size * 0.5, containLabel: true },
      tooltip: { trigger: "axis", textStyle: { fontSize: size * 1.15 } },
      legend: { top: 0, textStyle: { fontSize: size * 1.15, color: "#cfe3ff" }, itemWidth: size, itemHeight: size * 0.6 },
    };
  }
  // Chart text is at least 18 px on a 1080p screen (1.125rem): readable from 5 m.
  function axisText() { return { fontSize: rem() * 1.15, color: "#a9c1de" }; }
  // A category axis names every row (ECharts would drop some when they are tight).
  function everyLabel() { var text = axisText(); text.interval = 0; return text; }
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
    domains.tooltip = { trigger: "item", textStyle: { fontSize: size * 1.15 } };
    domains.legend = undefined;
    domains.series = [{
      type: "pie", radius: ["35%", "68%"], center: ["50%", "55%"], data: data.domains,
      label: { fontSize: size * 1.15, color: "#dcecff", formatter: "{b} {c}" }, labelLine: { length: size * 0.5, length2: size * 0.4 },
    }];
    chart("chart-domains").setOption(domains, true);

    var subitems = base();
    var topItems = data.subitems.slice().reverse();
    subitems.legend = undefined;
    subitems.grid.top = size * 0.5;
    subitems.xAxis = { type: "value", minInterval: 1, axisLabel: axisText(), splitLine: { lineStyle: { color: "#1d3a5f" } } };
    subitems.yAxis = { type: "category", data: topItems.map(function (item) { return item.name; }), axisLabel: everyLabel() };
    subitems.series = [{ type: "bar", data: topItems.map(function (item) { return item.value; }), itemStyle: { color: "#f6c445" }, label: { show: true, position: "right", fontSize: size * 1.15 } }];
    chart("chart-subitems").setOption(subitems, true);

    var sources = base();
    sources.tooltip = { trigger: "item", textStyle: { fontSize: size * 1.15 } };
    sources.legend = undefined;
    sources.series = [{
      type: "pie", radius: "65%", center: ["50%", "55%"],
      data: data.sources.map(function (row) { return { name: config.sources[row.code] || row.code, value: row.value }; }),
      label: { fontSize: size * 1.15, color: "#dcecff", formatter: "{b}\n{d}%" },
    }];
    chart("chart-sources").setOption(sources, true);

    renderRanking(data.departments);

    var townships = base();
    var rows = data.townships.slice().reverse();  // every township, each named
    townships.xAxis = { type: "value", minInterval: 1, axisLabel: axisText(), splitLine: { lineStyle: { color: "#1d3a5f" } } };
    townships.grid.top = size * 2.2;
    townships.yAxis = { type: "category", data: rows.map(function (row) { return row.name; }), axisLabel: everyLabel() };
    townships.series = [
      { name: text.open, type: "bar", stack: "load", data: rows.map(function (row) { return row.open - row.overdue; }), itemStyle: { color: "#3fa7d6" } },
      { name: text.overdue, type: "bar", stack: "load", data: rows.map(function (row) { return row.overdue; }), itemStyle: { color: "#ff3b30" } },
    ];
    chart("chart-townships").setOption(townships, true);
  }

  // The month-to-date evaluation: the ten best-ranked departments' scores, in their band's colour.
  function renderRanking(rows) {
    var size = rem();
    var ranking = base();
    var top = rows.filter(function (row) { return row.score !== null; }).slice(0, 10).reverse();
    ranking.grid.top = size * 2.2;
    ranking.xAxis = [
      { type: "value", max: 100, position: "top", axisLabel: axisText(), splitLine: { show: false } },
      { type: "value", minInterval: 1, position: "bottom", axisLabel: axisText(), splitLine: { lineStyle: { color: "#1d3a5f" } } },
    ];
    ranking.yAxis = { type: "category", data: top.map(function (row) { return row.rank + ". " + row.name; }), axisLabel: everyLabel() };
    ranking.series = [
      { name: text.score, type: "bar", xAxisIndex: 0,
        data: top.map(function (row) { return { value: row.score, itemStyle: { color: config.bandColours[row.band] } }; }),
        label: { show: true, position: "right", fontSize: size * 1.15, color: "#dcecff" } },
      { name: text.overdue, type: "bar", xAxisIndex: 1, data: top.map(function (row) { return row.overdue_open; }), itemStyle: { color: "#ff3b30" } },
      { name: text.returns, type: "bar", xAxisIndex: 1, data: top.map(function (row) { return row.returned; }), itemStyle: { color: "#f28c28" } },
    ];
    chart("chart-departments").setOption(ranking, true);
  }

  W.renderCharts = renderCharts;
  W.renderRanking = renderRanking;
})();
