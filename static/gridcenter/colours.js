// Background colours chosen on the server (a status's, a band's) arrive as data-bg="#rrggbb":
// the Content-Security-Policy refuses style attributes in markup, not styles set from a script.
(function () {
  "use strict";
  document.querySelectorAll("[data-bg]").forEach(function (element) {
    element.style.backgroundColor = element.dataset.bg;
  });
})();
