/* The case lists of the console and the workbench, for people who handle hundreds a day.
   - Keyboard (the page's help panel lists it, "?" shows it): j/k or the arrows move through
     the list, x ticks the case for a bulk action, Enter opens it, the list's action keys
     (data-keys: {"a": "accept", ...}) open the focused case's form of that step, "/" goes to
     the search box, Esc leaves a field or closes the help.
   - Bulk actions: counts the ticked cases; "select all" ticks the page's.
   - Live lists (live-lists.js) redraw the list: the ticks and the focused case are kept.
   - Filters: the sub-item list narrows to the chosen major category.
   - On a case's page, #panel-<step> opens that step's form. */
(function () {
  "use strict";
  var focusedKey = null;   // data-url of the focused row
  var ticked = {};         // case id -> true

  function list() { return document.querySelector("[data-keys-list]"); }
  function rows() { var l = list(); return l ? Array.prototype.slice.call(l.querySelectorAll("[data-row]")) : []; }
  function focused() { return rows().filter(function (r) { return r.dataset.url === focusedKey; })[0] || null; }

  function focusRow(row) {
    rows().forEach(function (r) { r.classList.remove("focused"); r.removeAttribute("aria-current"); });
    if (!row) { focusedKey = null; return; }
    focusedKey = row.dataset.url;
    row.classList.add("focused");
    row.setAttribute("aria-current", "true");
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(focused());
    var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    focusRow(all[next]);
  }

  function picks() { return Array.prototype.slice.call(document.querySelectorAll("input.pick[form='bulk-form']")); }

  function count() {
    var n = picks().filter(function (box) { return box.checked; }).length;
    document.querySelectorAll("[data-bulk-count]").forEach(function (el) { el.textContent = String(n); });
  }

  function remember(box) { if (box.checked) ticked[box.value] = true; else delete ticked[box.value]; count(); }

  function toggleHelp(show) {
    var help = document.getElementById("keys-help");
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
    if (!help.hidden) help.scrollIntoView({ block: "nearest" });
  }

  function actionKeys() {
    var l = list();
    try { return l && l.dataset.keys ? JSON.parse(l.dataset.keys) : {}; } catch (e) { return {}; }
  }

  function typing(target) { return target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) || (target && target.isContentEditable); }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Escape") { toggleHelp(false); if (typing(e.target)) e.target.blur(); return; }
    if (typing(e.target) && e.target.type !== "checkbox") return;
    var row = focused(), keys = actionKeys();
    if (e.key === "j" || e.key === "ArrowDown") { if (!rows().length) return; move(1); }
    else if (e.key === "k" || e.key === "ArrowUp") { if (!rows().length) return; move(-1); }
    else if (e.key === "x" && row) {
      var box = row.querySelector("input.pick");
      if (box) { box.checked = !box.checked; remember(box); }
    }
    else if (e.key === "Enter" && row && e.target.tagName !== "A" && e.target.tagName !== "BUTTON") { location.href = row.dataset.url; }
    else if (keys[e.key] && row) { location.href = row.dataset.actionUrl + "#panel-" + keys[e.key]; }
    else if (e.key === "?") { toggleHelp(); }
    else if (e.key === "/") { var search = document.querySelector("[data-search]"); if (!search) return; search.focus(); }
    else return;
    e.preventDefault();
  });

  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("input.pick")) remember(e.target);
    if (e.target.matches && e.target.matches("[data-majors]")) narrowSubs(e.target);
  });

  document.addEventListener("click", function (e) {
    var target = e.target.closest ? e.target : null;
    if (!target) return;
    if (target.closest("[data-keys-toggle]")) { toggleHelp(); return; }
    if (target.closest("[data-bulk-all]")) {
      var boxes = picks(), all = boxes.every(function (b) { return b.checked; });
      boxes.forEach(function (b) { b.checked = !all; remember(b); });
      return;
    }
    var row = target.closest("[data-row]");
    if (row && !target.closest("a, button, input, select, textarea, label")) focusRow(row);
  });

  // A live redraw replaced the rows: tick and focus again what was.
  document.addEventListener("live:refreshed", function () {
    picks().forEach(function (box) { box.checked = !!ticked[box.value]; });
    count();
    var row = focused();
    if (row) focusRow(row);
  });

  function narrowSubs(majors) {
    var subs = document.querySelector("[data-subcategories]");
    if (!subs) return;
    var major = majors.value;
    Array.prototype.forEach.call(subs.options, function (option) {
      var hide = !!(major && option.dataset.major && option.dataset.major !== major);
      option.hidden = hide;
      option.disabled = hide;
      if (hide && option.selected) subs.value = "";
    });
  }

  function openPanel() {
    var panel = location.hash && document.getElementById(location.hash.slice(1));
    if (!panel || panel.tagName !== "DETAILS") return;
    panel.open = true;
    var field = panel.querySelector("input:not([type=hidden]), select, textarea, button");
    if (field) field.focus();
  }

  var majors = document.querySelector("[data-majors]");
  if (majors) narrowSubs(majors);
  picks().forEach(function (box) { if (box.checked) ticked[box.value] = true; });
  count();
  openPanel();
  window.addEventListener("hashchange", openPanel);
})();
