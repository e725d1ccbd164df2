// Background colours chosen on the server (a status's, a band's) arrive as data-bg="#rrggbb":
// the Content-Security-Policy refuses style attributes in markup, not styles set from a script.
// Again after live-lists.js swaps in fresh regions ("live:refreshed").
(function () {
  "use strict";
  function paint() {
    document.querySelectorAll("[data-bg]").forEach(function (element) {
      element.style.backgroundColor = element.dataset.bg;
    });
  }
  paint();
  document.addEventListener("live:refreshed", paint);
})();
