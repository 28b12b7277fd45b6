// Annual report page: fit the charts to narrow screens and confirm before finalising.
(function () {
  "use strict";
  document.querySelectorAll("img.report-chart").forEach(function (img) {
    img.style.maxWidth = "100%";
    img.style.height = "auto";
  });
  document.querySelectorAll("form.js-confirm").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
