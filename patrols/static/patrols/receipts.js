/* A directive's read receipts (/console/directives/<id>/), kept live: each "directive.receipt"
 * the page's user channel relays (notifications/live.js: "live:event") updates the worker's row
 * and the read and replied counters, no reload. In the "not read" view a row that is read now
 * leaves the list. After a reconnect ("live:resynced") the page reloads once, to catch what was
 * missed. Times are shown in the city's time zone, as the server writes them. */
(function () {
  "use strict";
  var body = document.getElementById("receipts");
  if (!body) return;
  var directive = Number(body.dataset.directive);
  var format = new Intl.DateTimeFormat("en-GB", {
    timeZone: body.dataset.timeZone, hourCycle: "h23", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });
  function shortTime(iso) {
    var parts = {};
    format.formatToParts(new Date(iso)).forEach(function (part) { parts[part.type] = part.value; });
    return parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
  }
  function bump(id) {
    var counter = document.getElementById(id);
    counter.textContent = String(Number(counter.textContent) + 1);
  }

  function apply(data) {
    // The server tells each first read and the one reply once; a reply that is also the first
    // read has both times equal.
    if (!data.replied_at || data.read_at === data.replied_at) bump("count-read");
    if (data.replied_at) bump("count-replied");
    var row = body.querySelector("tr[data-worker='" + data.worker + "']");
    if (!row) return;
    if (data.read_at && body.dataset.show === "unread") { row.remove(); return; }
    if (data.read_at) {
      row.classList.remove("unread");
      row.querySelector(".read-at").textContent = shortTime(data.read_at);
    }
    if (data.replied_at) {
      var cell = row.querySelector(".reply");
      var when = document.createElement("span");
      when.className = "hint";
      when.textContent = shortTime(data.replied_at);
      cell.replaceChildren(document.createTextNode(data.reply + " "), when);
    }
    row.classList.add("fresh");
  }

  document.addEventListener("live:event", function (event) {
    var message = event.detail;
    if (message && message.type === "directive.receipt" && message.data.directive === directive) apply(message.data);
  });
  document.addEventListener("live:resynced", function () { window.location.reload(); });
})();
