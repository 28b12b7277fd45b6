// Attendance register: "mark everyone present" fills every row that has no choice yet.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-mark-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      var value = button.getAttribute("data-mark-all");
      var form = button.closest("form");
      var names = {};
      form.querySelectorAll("input[type=radio]").forEach(function (radio) { names[radio.name] = true; });
      Object.keys(names).forEach(function (name) {
        var chosen = form.querySelector('input[name="' + name + '"]:checked');
        if (!chosen) {
          var target = form.querySelector('input[name="' + name + '"][value="' + value + '"]');
          if (target) target.checked = true;
        }
      });
    });
  });
  // Self-study queue: "tick all" checkbox.
  document.querySelectorAll("[data-tick-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll("input[name=log]").forEach(function (item) { item.checked = box.checked; });
    });
  });
});
