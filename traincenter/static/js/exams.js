// Score-entry grid: Enter moves down a column, unsaved typing is kept in this browser
// (localStorage, per exam) and offered back after a reload; cleared after a successful save.
(function () {
  "use strict";
  var form = document.getElementById("score-grid");
  if (!form) return;
  var key = "traincenter.scores.exam." + form.getAttribute("data-exam");
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  function fields() {
    return Array.prototype.slice.call(form.querySelectorAll("input[data-col]"));
  }
  function snapshot() {
    var data = {};
    fields().forEach(function (el) {
      data[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    return data;
  }
  function differs(saved) {
    return fields().some(function (el) {
      if (!(el.name in saved)) return false;
      var now = el.type === "checkbox" ? el.checked : el.value;
      return saved[el.name] !== now;
    });
  }
  function apply(saved) {
    fields().forEach(function (el) {
      if (!(el.name in saved)) return;
      if (el.type === "checkbox") el.checked = !!saved[el.name]; else el.value = saved[el.name];
    });
  }
  function keep() {
    if (!store) return;
    try { store.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot() })); } catch (e) { /* full */ }
  }

  if (store) {
    if (form.getAttribute("data-saved") === "1") {
      store.removeItem(key);
    } else {
      var raw = store.getItem(key), saved = null;
      try { saved = raw ? JSON.parse(raw).values : null; } catch (e) { saved = null; }
      var banner = document.getElementById("grid-restore");
      if (saved && differs(saved) && banner) {
        banner.hidden = false;
        document.getElementById("grid-restore-yes").addEventListener("click", function () {
          apply(saved); banner.hidden = true; keep();
        });
        document.getElementById("grid-restore-no").addEventListener("click", function () {
          store.removeItem(key); banner.hidden = true;
        });
      }
    }
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", keep);

  // Enter moves to the same column in the next row (Tab already moves across).
  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || !el.hasAttribute || !el.hasAttribute("data-col")) return;
    event.preventDefault();
    var column = fields().filter(function (f) { return f.getAttribute("data-col") === el.getAttribute("data-col"); });
    var index = column.indexOf(el);
    var next = column[index + (event.shiftKey ? -1 : 1)];
    if (next) { next.focus(); if (next.select) next.select(); }
  });

  // A dropped connection: keep the typing, say so, and do not lose the page on submit.
  var offline = document.getElementById("grid-offline");
  function showState() { if (offline) offline.hidden = navigator.onLine !== false; }
  window.addEventListener("online", showState);
  window.addEventListener("offline", showState);
  form.addEventListener("submit", function (event) {
    keep();
    if (navigator.onLine === false) { event.preventDefault(); showState(); }
  });
})();
