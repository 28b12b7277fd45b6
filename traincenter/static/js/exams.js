// Score-entry grid (a table on wide screens, one card per candidate on a phone).
// - The result of each row follows the typing, by this exam's own pass marks (read from the
//   form's data attributes; the server recomputes and stores the real verdict on save).
// - Enter and the "Next" button move to the next candidate; Tab goes theory → practical → next
//   row (the absent switches are left out of the Tab order).
// - "Absent" is a switch: on, the score box empties (what was typed comes back when it goes off).
// - Unsaved typing is kept in this browser (localStorage, per exam) and offered back after a
//   reload; it is cleared after a successful save.
(function () {
  "use strict";
  var form = document.getElementById("score-grid");
  if (!form) return;
  var data = form.dataset;
  var key = "traincenter.scores.exam." + data.exam;
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  var MARKS = { theory: Number(data.passTheory), practical: Number(data.passPractical) };
  var MIN = Number(data.scoreMin), MAX = Number(data.scoreMax), DECIMALS = Number(data.decimals);
  var ABSENT_WORDS = (data.absentWords || "").split("|");
  var PARTS = ["theory", "practical"];

  function fields() {
    return Array.prototype.slice.call(form.querySelectorAll("input[data-col]"));
  }
  function rows() {
    return Array.prototype.slice.call(form.querySelectorAll("tr.grid-row.is-editable"));
  }
  function scoreBox(row, part) { return row.querySelector("input[type=text][data-part=" + part + "]"); }
  function absentBox(row, part) { return row.querySelector("input[type=checkbox][data-part=" + part + "]"); }

  // The same reading of a score cell as rules.parse_score: a number 0–100 with at most one
  // decimal, or a word for absent. Returns {empty}, {absent}, {score} or {invalid}.
  function parse(text) {
    var cleaned = (text || "").normalize("NFKC").trim().replace(/，/g, ".").replace(/。/g, ".");
    if (!cleaned) return { empty: true };
    if (ABSENT_WORDS.indexOf(cleaned.toLowerCase()) !== -1) return { absent: true };
    if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/.test(cleaned)) return { invalid: true };
    var value = Number(cleaned);
    if (value < MIN || value > MAX) return { invalid: true };
    var decimals = (cleaned.split(".")[1] || "").replace(/0+$/, "");
    if (decimals.length > DECIMALS) return { invalid: true };
    return { score: value };
  }

  function tenths(value) { return Math.round(value * 10); }

  // One part of a row: "pass", "fail", "empty" or "invalid".
  function partState(row, part) {
    var carried = row.getAttribute("data-carried-" + part);
    if (carried) return carried;
    var box = scoreBox(row, part), absent = absentBox(row, part);
    if (!box) return "empty";
    if (absent && absent.checked) return "fail";
    var parsed = parse(box.value);
    if (parsed.invalid) return "invalid";
    if (parsed.empty) return "empty";
    if (parsed.absent) return "fail";
    return tenths(parsed.score) >= tenths(MARKS[part]) ? "pass" : "fail";
  }

  function changed(row) {
    return Array.prototype.slice.call(row.querySelectorAll("input[data-col]")).some(function (el) {
      var now = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value.trim();
      return now !== (el.getAttribute("data-stored") || "");
    });
  }

  // The row's result as the rules compute it: incomplete while a part to sit is empty.
  function refresh(row) {
    var states = PARTS.map(function (part) { return partState(row, part); });
    var kind, text;
    if (states.indexOf("invalid") !== -1) { kind = "fail"; text = data.textInvalid; }
    else if (states.indexOf("empty") !== -1) { kind = "pending"; text = data.textPending; }
    else if (states.every(function (s) { return s === "pass"; })) { kind = "pass"; text = data.textPass; }
    else { kind = "fail"; text = data.textFail; }
    var holder = row.querySelector(".live-verdict");
    if (holder) {
      var span = holder.querySelector(".verdict") || document.createElement("span");
      span.className = "verdict " + kind;
      span.textContent = text;
      if (!span.parentNode) holder.appendChild(span);
    }
    PARTS.forEach(function (part, i) {
      var box = scoreBox(row, part);
      if (box) box.classList.toggle("typo", states[i] === "invalid");
      var absent = absentBox(row, part);
      if (absent && box) {
        box.readOnly = absent.checked;
        absent.parentNode.classList.toggle("on", absent.checked);
      }
    });
    var unsaved = row.querySelector(".unsaved");
    if (unsaved) unsaved.hidden = !changed(row);
  }
  function refreshAll() { rows().forEach(refresh); }

  // --- keeping unsaved typing in this browser ------------------------------------------------
  function snapshot() {
    var values = {};
    fields().forEach(function (el) {
      values[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    return values;
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
    refreshAll();
  }
  function keep() {
    if (!store) return;
    try { store.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot() })); } catch (e) { /* full */ }
  }

  if (store) {
    if (data.saved === "1") {
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

  // --- typing ----------------------------------------------------------------------------------
  form.addEventListener("input", function (event) {
    var row = event.target.closest && event.target.closest("tr.grid-row");
    if (row) refresh(row);
    keep();
  });
  form.addEventListener("change", function (event) {
    var el = event.target, row = el.closest && el.closest("tr.grid-row");
    if (row && el.type === "checkbox" && el.hasAttribute("data-part")) {
      var box = scoreBox(row, el.getAttribute("data-part"));
      if (box && el.checked) {  // absent: keep what was typed, to give it back if switched off
        if (box.value) box.setAttribute("data-before-absent", box.value);
        box.value = "";
      } else if (box && !box.value && box.hasAttribute("data-before-absent")) {
        box.value = box.getAttribute("data-before-absent");
        box.removeAttribute("data-before-absent");
      }
    } else if (row && el.type === "text" && parse(el.value).absent) {
      var absent = absentBox(row, el.getAttribute("data-part"));  // typed 缺考: switch it on
      if (absent) { absent.checked = true; el.value = ""; }
    }
    if (row) refresh(row);
    keep();
  });

  // --- moving to the next candidate ----------------------------------------------------------
  var save = document.getElementById("grid-save");
  function focusBox(box) {
    box.focus();
    if (box.select) box.select();
    if (box.scrollIntoView) box.scrollIntoView({ block: "center" });
  }
  function goToSave() {
    if (!save) return;
    save.focus();
    if (save.scrollIntoView) save.scrollIntoView({ block: "center" });
  }
  // The next row's box in ``col`` (or its first box when that part is carried over there).
  function nextBox(row, col, step) {
    var all = rows(), index = all.indexOf(row);
    for (var i = index + step; i >= 0 && i < all.length; i += step) {
      var box = all[i].querySelector("input[type=text][data-col=" + col + "]") ||
                all[i].querySelector("input[type=text][data-col]");
      if (box) return box;
    }
    return null;
  }
  var lastCol = {};
  form.addEventListener("focusin", function (event) {
    var el = event.target, row = el.closest && el.closest("tr.grid-row");
    if (row && el.type === "text") lastCol[row.id] = el.getAttribute("data-col");
  });
  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || el.type !== "text" || !el.hasAttribute("data-col")) return;
    event.preventDefault();
    var row = el.closest("tr.grid-row");
    var target = nextBox(row, el.getAttribute("data-col"), event.shiftKey ? -1 : 1);
    if (target) focusBox(target); else if (!event.shiftKey) goToSave();
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".next-candidate");
    if (!button) return;
    var row = button.closest("tr.grid-row");
    var first = row.querySelector("input[type=text][data-col]");
    var target = nextBox(row, lastCol[row.id] || (first && first.getAttribute("data-col")) || "t", 1);
    if (target) focusBox(target); else goToSave();
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

  refreshAll();
})();
