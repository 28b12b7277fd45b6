// Retraining list: "choose all" and a live count of the chosen trainees (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var all = document.querySelector("[data-pick-all]");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-pick]"));
  var count = document.querySelector("[data-pick-count]");
  var form = document.querySelector("form.retraining-pick");
  function update() {
    var chosen = boxes.filter(function (box) { return box.checked; }).length;
    if (count) count.textContent = chosen ? chosen + " \u2713" : "";
    if (all) all.checked = chosen > 0 && chosen === boxes.length;
  }
  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  if (form) {
    form.addEventListener("submit", function (event) {
      if (!boxes.some(function (box) { return box.checked; })) {
        event.preventDefault();
        if (count) count.textContent = form.getAttribute("data-none") || "";
      }
    });
  }
  update();
});
