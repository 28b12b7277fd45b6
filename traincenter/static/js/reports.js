// The annual report page: ask before leaving with unsaved changes to the report's text.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-unsaved]");
  if (!form) return;
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = form.getAttribute("data-unsaved");
  });
});
