/* The wall screen's figures, the overdue and urged lists, and the ticker of case steps. */
(function () {
  "use strict";
  var W = window.wallScreenParts;
  var config = W.config, text = W.text, state = W.state;
  var byId = W.byId, el = W.el, shortTime = W.shortTime, statusColour = W.statusColour, duration = W.duration;

  // --- figures ---------------------------------------------------------------------------------
  function setNumber(node, value) {
    if (!node) { return; }
    var shown = String(value);
    if (node.textContent !== shown) {
      node.textContent = shown;
      node.classList.add("changed");
      window.setTimeout(function () { node.classList.remove("changed"); }, 1200);
    }
  }
  function renderFigures(figures, today) {
    Object.keys(figures).forEach(function (key) { setNumber(byId("figure-" + key), figures[key]); });
    Object.keys(today).forEach(function (key) { setNumber(byId("today-" + key), today[key]); });
  }

  // --- lists and ticker --------------------------------------------------------------------------
  function caseItem(row, extra) {
    var item = el("li");
    item.appendChild(el("span", "no", row.tracking_no));
    item.appendChild(el("span", "what", [row.subitem, row.township, row.department].filter(Boolean).join(" · ")));
    item.appendChild(extra);
    item.addEventListener("click", function () { W.openCase(row.id); });
    return item;
  }
  function fillList(list, items) {
    list.replaceChildren();
    if (!items.length) { list.appendChild(el("li", "empty", text.noCases)); }
    items.forEach(function (item) { list.appendChild(item); });
  }
  function renderOverdue(rows) {
    fillList(byId("list-overdue"), rows.map(function (row) {
      return caseItem(row, el("span", "late", text.lateBy + " " + duration(row.late_minutes)));
    }));
  }
  function renderUrged() {
    fillList(byId("list-urged"), state.urged.map(function (row) {
      return caseItem(row, el("span", "urges", text.urged + " " + row.urge_count + text.times));
    }));
  }
  function tickerItem(step, fresh) {
    var item = el("li", fresh ? "fresh" : "");
    item.appendChild(el("span", "at", shortTime(step.at)));
    var action = el("span", "act", config.actions[step.action] || step.action);
    action.style.color = statusColour(step.status);
    item.appendChild(action);
    item.appendChild(el("span", "no", step.tracking_no));
    item.appendChild(el("span", "what", [step.subitem, step.township].filter(Boolean).join(" · ")));
    item.addEventListener("click", function () { W.openCase(step.case); });
    return item;
  }
  function renderTicker(steps) {
    var list = byId("ticker");
    list.replaceChildren();
    steps.forEach(function (step) { list.appendChild(tickerItem(step, false)); });
  }

  W.renderFigures = renderFigures;
  W.renderOverdue = renderOverdue;
  W.renderTicker = renderTicker;
  W.renderUrged = renderUrged;
  W.tickerItem = tickerItem;
})();
