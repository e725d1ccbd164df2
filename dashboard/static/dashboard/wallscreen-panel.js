/* The case panel a click opens: details, timeline, nearest cameras, and the urge form. */
(function () {
  "use strict";
  var W = window.wallScreenParts;
  var config = W.config, text = W.text, view = W.view;
  var byId = W.byId, el = W.el, dateTime = W.dateTime, statusLabel = W.statusLabel, statusColour = W.statusColour;

  // --- the case panel ---------------------------------------------------------------------------------
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function openCase(id) {
    var panel = byId("case-panel");
    var body = byId("case-panel-body");
    body.replaceChildren(el("p", "", "…"));
    panel.hidden = false;
    fetch(config.caseUrl.replace("/0/", "/" + id + "/"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(renderCase)
      .catch(function () { body.replaceChildren(el("p", "", text.loadFailed)); });
  }
  function row(dl, label, value) {
    dl.appendChild(el("dt", "", label));
    dl.appendChild(el("dd", "", value === null || value === undefined || value === "" ? "–" : value));
  }
  function renderCase(kase) {
    var body = byId("case-panel-body");
    body.replaceChildren();
    body.appendChild(el("h3", "", kase.tracking_no));
    var status = el("p");
    var pill = el("span", "status-pill", statusLabel(kase.status));
    pill.style.background = statusColour(kase.status);
    status.appendChild(pill);
    if (kase.sla) { status.appendChild(el("span", "sla-" + kase.sla, text[kase.sla])); }
    body.appendChild(status);
    body.appendChild(el("h4", "", text.details));
    var dl = el("dl");
    row(dl, text.description, kase.description);
    row(dl, text.source, config.sources[kase.source] || kase.source);
    row(dl, text.place, [kase.township, kase.community, kase.grid, kase.address].filter(Boolean).join(" · "));
    row(dl, text.reportedAt, dateTime(kase.created_at));
    row(dl, text.department, kase.department);
    row(dl, text.assisting, kase.assisting.join("、"));
    row(dl, text.deadline, dateTime(kase.deadline));
    row(dl, text.reporter, [kase.reporter.name, kase.reporter.phone].filter(Boolean).join(" "));
    body.appendChild(dl);
    body.appendChild(el("h4", "", text.timeline));
    var timeline = el("ol");
    kase.timeline.forEach(function (step) {
      var words = [dateTime(step.at), config.actions[step.action] || step.action, step.actor, step.department, step.note].filter(Boolean);
      timeline.appendChild(el("li", "", words.join(" · ")));
    });
    body.appendChild(timeline);
    body.appendChild(el("h4", "", text.nearestCameras));
    var cameras = el("ol");
    kase.cameras.forEach(function (camera) {
      cameras.appendChild(el("li", "", camera.name + " · " + Math.round(camera.distance_m) + text.metres + " · " + (config.cameraStatuses[camera.status] || camera.status)));
    });
    body.appendChild(cameras);
    showCameras(kase);
    if (kase.can_urge) { body.appendChild(urgeForm(kase)); }
  }
  function showCameras(kase) {
    if (view.cameraHighlight) { view.map.removeLayer(view.cameraHighlight); }
    view.cameraHighlight = L.layerGroup(kase.cameras.map(function (camera) {
      return L.circleMarker([camera.lat, camera.lng], { radius: 6, color: "#5ee0ff", weight: 2, fillOpacity: 0.3 }).bindTooltip(camera.name);
    })).addTo(view.map);
    view.map.setView([kase.lat, kase.lng], Math.max(view.map.getZoom(), 15));
  }
  function urgeForm(kase) {
    var form = el("form");
    var note = el("textarea");
    note.name = "note";
    note.maxLength = 2000;
    note.placeholder = text.urgeNote;
    var button = el("button", "urge", text.urge);
    button.type = "submit";
    var message = el("p", "message");
    form.appendChild(note);
    form.appendChild(button);
    form.appendChild(message);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      fetch(config.urgeUrl.replace("/0/", "/" + kase.id + "/"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ note: note.value }),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.ok) { message.textContent = text.urgeDone; note.value = ""; return; }
          var detail = body.detail || Object.keys(body).map(function (key) { return [].concat(body[key]).join(" "); }).join(" ");
          message.textContent = text.urgeFailed + " " + detail;
        });
      }).catch(function () { message.textContent = text.urgeFailed; })
        .then(function () { button.disabled = false; });
    });
    return form;
  }

  W.openCase = openCase;
})();
