// Placement pages (the CSP forbids inline scripts).
document.addEventListener("DOMContentLoaded", function () {
  // The registration date only matters once the contract box is ticked.
  document.querySelectorAll("[data-toggles]").forEach(function (box) {
    var targets = document.querySelectorAll("." + box.getAttribute("data-toggles"));
    function sync() {
      targets.forEach(function (el) {
        // CSSOM, not a style attribute: allowed by the CSP; .field sets display, so `hidden` would not do.
        el.style.display = !box.checked && !el.querySelector("input").value ? "none" : "";
      });
    }
    box.addEventListener("change", sync);
    sync();
  });
  // Copy a feedback link to the clipboard.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  });
});
