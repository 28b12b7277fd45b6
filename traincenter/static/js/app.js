// Shared behaviour. Pages add their own scripts as static files (the CSP forbids inline scripts).
document.addEventListener("DOMContentLoaded", function () {
  // Ask before an action: a form with data-confirm asks when it is submitted; a button or link
  // with data-confirm asks when it is clicked.
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    var question = el.getAttribute("data-confirm");
    if (el.tagName === "FORM") {
      el.addEventListener("submit", function (event) {
        if (!window.confirm(question)) event.preventDefault();
      });
    } else {
      el.addEventListener("click", function (event) {
        if (!window.confirm(question)) event.preventDefault();
      });
    }
  });
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
});
