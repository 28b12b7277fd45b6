// The photo form (trainees.photo, portal.photo): preview the chosen picture, make a smaller copy in
// the browser when the camera's file is above the limit (the server still checks everything), and
// let a phone user pick from the gallery instead of the camera.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-photo-form]");
  if (!form) return;
  var input = form.querySelector("input[type=file]");
  var preview = form.querySelector("[data-photo-preview]");
  var placeholder = form.querySelector("[data-photo-placeholder]");
  var status = form.querySelector("[data-photo-status]");
  var gallery = form.querySelector("[data-photo-gallery]");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
  var LONGEST_SIDE = 1600;

  function show(dataUrl) {
    preview.src = dataUrl;
    preview.hidden = false;
    if (placeholder) placeholder.hidden = true;
  }

  function shrink(dataUrl, done) {
    var img = new Image();
    img.onload = function () {
      var scale = Math.min(1, LONGEST_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(img.naturalWidth * scale);
      canvas.height = Math.round(img.naturalHeight * scale);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(done, "image/jpeg", 0.9);
    };
    img.onerror = function () { done(null); };
    img.src = dataUrl;
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    status.textContent = "";
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      show(reader.result);
      if (file.size <= maxBytes || typeof DataTransfer === "undefined") return;
      status.textContent = form.getAttribute("data-shrinking");
      shrink(reader.result, function (blob) {
        if (!blob) { status.textContent = form.getAttribute("data-unreadable"); return; }
        var copy = new DataTransfer();
        copy.items.add(new File([blob], "photo.jpg", { type: "image/jpeg" }));
        input.files = copy.files;
        status.textContent = "";
      });
    };
    reader.readAsDataURL(file);
  });

  if (gallery && input.hasAttribute("capture")) {
    gallery.hidden = false;
    gallery.addEventListener("click", function () {
      input.removeAttribute("capture");
      input.click();
      input.setAttribute("capture", "user");
    });
  }
});
