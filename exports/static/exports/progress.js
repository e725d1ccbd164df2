/* An export's page: poll its JSON status until it is ready or has failed, and show the download. */
(function () {
  "use strict";
  var box = document.getElementById("export");
  if (!box) { return; }
  var finished = { done: true, failed: true };
  var url = box.getAttribute("data-status-url");
  var pause = 1500;

  function show(status) {
    box.setAttribute("data-state", status.state);
    document.getElementById("export-state").textContent = status.state_display;
    document.getElementById("export-state").className = "export-state state-" + status.state;
    document.getElementById("export-progress").value = status.progress;
    document.getElementById("export-percent").textContent = status.progress + "%";
    if (status.download_url) {
      document.getElementById("export-download").href = status.download_url;
      document.getElementById("export-ready").hidden = false;
    }
    if (status.error) {
      document.getElementById("export-error").textContent = status.error;
      document.getElementById("export-error").hidden = false;
    }
    document.getElementById("export-wait").hidden = Boolean(finished[status.state]);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status) { show(status); }
        if (!status || !finished[status.state]) { window.setTimeout(poll, pause); }
      })
      .catch(function () { window.setTimeout(poll, pause * 4); });
  }

  if (!finished[box.getAttribute("data-state")]) { window.setTimeout(poll, pause); }
})();
