// The trainee's hours page: a photo larger than the limit is refused before the form is sent (so
// nothing she typed is lost to a "file too large" page), and the chosen photo is previewed.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var preview = document.getElementById("photo-preview");
    var message = document.createElement("small");
    message.className = "error";
    message.setAttribute("role", "alert");
    message.hidden = true;
    message.textContent = input.getAttribute("data-too-large");
    input.parentNode.appendChild(message);

    function check() {
      var file = input.files && input.files[0];
      var tooLarge = Boolean(file && limit && file.size > limit);
      message.hidden = !tooLarge;
      input.classList.toggle("invalid", tooLarge);
      if (preview) {
        if (file && !tooLarge && file.type.indexOf("image/") === 0 && window.FileReader) {
          // A data: URL (the CSP allows data: images, not blob:).
          var reader = new FileReader();
          reader.onload = function () { preview.src = reader.result; preview.hidden = false; };
          reader.readAsDataURL(file);
        } else {
          preview.hidden = true;
          preview.removeAttribute("src");
        }
      }
      return !tooLarge;
    }

    input.addEventListener("change", check);
    input.form.addEventListener("submit", function (event) {
      if (!check()) {
        event.preventDefault();
        input.focus();
      }
    });
  });
});
