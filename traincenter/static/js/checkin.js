// The projector screen of a session's QR check-in: polls the state every few seconds, swaps the
// QR code when the code changes (every 30 s), counts down to the next code, fills the lists.
document.addEventListener("DOMContentLoaded", function () {
  var board = document.getElementById("checkin-board");
  if (!board) return;
  var stateUrl = board.getAttribute("data-state-url");
  var stepSeconds = parseInt(board.getAttribute("data-step-seconds"), 10) || 30;
  var step = board.getAttribute("data-step");
  var secondsLeft = parseInt(board.getAttribute("data-seconds"), 10) || stepSeconds;
  var countdown = document.getElementById("checkin-countdown");
  var offline = document.getElementById("checkin-offline");
  var POLL_MS = 3000;

  function byId(id) { return document.getElementById(id); }

  function fill(list, rows, render) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!rows.length) {
      var empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = list.getAttribute("data-empty") || "";
      list.appendChild(empty);
      return;
    }
    rows.forEach(function (row) { list.appendChild(render(row)); });
  }

  function span(className, text) {
    var el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    return el;
  }

  function arrivedRow(row) {
    var li = document.createElement("li");
    li.appendChild(span("name", row.name));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(span("time", row.time));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(span("badge " + (row.status === "late" ? "badge-yellow" : "badge-green"),
                        row.status_label));
    if (row.method_code !== "qr") {  // a scan is the rule here; only the register is said
      li.appendChild(document.createTextNode(" "));
      var how = document.createElement("small");
      how.className = "muted";
      how.textContent = row.method;
      li.appendChild(how);
    }
    return li;
  }

  function nameRow(row) {
    var li = document.createElement("li");
    li.textContent = row.name;
    return li;
  }

  function otherRow(row) {
    var li = nameRow(row);
    var what = document.createElement("small");
    what.className = "muted";
    what.textContent = " " + row.status_label;
    li.appendChild(what);
    return li;
  }

  function show(state) {
    var open = state.state === "open";
    byId("checkin-open").classList.toggle("is-hidden", !open);
    byId("checkin-closed").classList.toggle("is-hidden", open);
    byId("checkin-before").hidden = state.state !== "before";
    byId("checkin-after").hidden = state.state !== "after";
    if (open && String(state.step) !== String(step)) {
      byId("checkin-qr").src = state.qr;
      byId("checkin-digits").textContent = state.code;
      step = state.step;
    }
    secondsLeft = state.seconds_left;
    if (countdown) countdown.value = secondsLeft;
    byId("checkin-arrived-count").textContent = state.arrived.length;
    byId("checkin-total").textContent = state.total;
    fill(byId("checkin-arrived"), state.arrived, arrivedRow);
    fill(byId("checkin-waiting"), state.waiting, nameRow);
    fill(byId("checkin-others"), state.others, otherRow);
    byId("checkin-others-box").hidden = state.others.length === 0;
  }

  function poll() {
    fetch(stateUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) { offline.hidden = true; show(state); })
      .catch(function () { offline.hidden = false; })
      .then(function () { window.setTimeout(poll, POLL_MS); });
  }

  // Between polls the countdown runs on its own; at zero, ask at once for the next code.
  window.setInterval(function () {
    secondsLeft -= 1;
    if (countdown) countdown.value = Math.max(secondsLeft, 0);
  }, 1000);

  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.querySelector(button.getAttribute("data-fullscreen"));
      if (target && target.requestFullscreen) target.requestFullscreen();
    });
  });

  window.setTimeout(poll, POLL_MS);
});
