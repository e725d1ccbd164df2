/* The wall screen's shared parts (window.wallScreenParts): its configuration, its state,
 * the map's layers and small helpers. Loaded first; then wallscreen-map.js, -patrols.js, -charts.js,
 * -lists.js, -panel.js, and wallscreen.js (the connection and the start). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var text = config.strings;
  var SCHEMA = 1;
  var RESYNC_MS = 2 * 60 * 1000;
  var TICKER_LENGTH = 20;
  var active = {};
  config.activeStatuses.forEach(function (status) { active[status] = true; });

  var state = { mode: "open", grids: {}, markers: {}, urged: [], socket: null, attempt: 0, refused: false };
  // The map and its layers (set by initMap), shared by the parts.
  var view = { map: null, grid: null, cluster: null, flash: null, cameraHighlight: null };

  function byId(id) { return document.getElementById(id); }
  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined && content !== null) { node.textContent = content; }
    return node;
  }
  function rem() { return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // Times in the city's time zone (TIME_ZONE, Asia/Shanghai), whatever the browser's.
  var cityTime = new Intl.DateTimeFormat("en-GB", {
    timeZone: config.timeZone, hourCycle: "h23",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  function parts(date) {
    var found = {};
    cityTime.formatToParts(date).forEach(function (part) { found[part.type] = part.value; });
    return found;
  }
  function clockTime(date) { var p = parts(date); return p.hour + ":" + p.minute + ":" + p.second; }
  function shortTime(iso) { var p = parts(new Date(iso)); return p.hour + ":" + p.minute; }
  function dateTime(iso) {
    if (!iso) { return "–"; }
    var p = parts(new Date(iso));
    return p.year + "-" + p.month + "-" + p.day + " " + p.hour + ":" + p.minute;
  }
  function statusLabel(status) { return (config.statuses[status] || {}).label || status || ""; }
  function statusColour(status) { return (config.statuses[status] || {}).colour || "#888"; }
  function duration(minutes) {
    if (minutes < 60) { return minutes + text.minutes; }
    if (minutes < 48 * 60) { return Math.floor(minutes / 60) + text.hours; }
    return Math.floor(minutes / 1440) + text.days;
  }

  window.wallScreenParts = {
    config: config, text: text, SCHEMA: SCHEMA, RESYNC_MS: RESYNC_MS, TICKER_LENGTH: TICKER_LENGTH,
    active: active, state: state, view: view, charts: {},
    byId: byId, el: el, rem: rem, pad: pad, clockTime: clockTime,
    shortTime: shortTime, dateTime: dateTime, statusLabel: statusLabel, statusColour: statusColour, duration: duration
  };
})();
