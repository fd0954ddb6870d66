// Redress console: small enhancements over plain forms — live countdowns,
// an inbox that refreshes itself, the compliance guard's verdict as you
// type, and the browser's time zone. Every page works without it.
(function () {
  "use strict";
  var body = document.body;

  // The person's zone, once, so times render in it from the next page on.
  if (!/(?:^|;\s*)redress_tz=/.test(document.cookie) && window.Intl) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      document.cookie = "redress_tz=" + zone + "; path=/ui; max-age=31536000; samesite=lax";
    }
  }

  function fmt(ms) {
    var m = Math.floor(Math.abs(ms) / 60000), h = Math.floor(m / 60), d = Math.floor(h / 24);
    if (d > 0) return d + "d " + (h % 24) + "h";
    if (h > 0) return h + "h " + String(m % 60).padStart(2, "0") + "m";
    return m + "m";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-due")) - now;
      el.textContent = (left >= 0 ? body.dataset.left : body.dataset.overdue).replace("%s", fmt(left));
      el.classList.toggle("late", left < 0);
      el.classList.toggle("soon", left >= 0 && left < 3600000);
    });
  }
  tick();
  setInterval(tick, 1000);

  // The inbox fetches its rows again every few seconds; new tasks are marked.
  var rows = document.getElementById("inbox-rows");
  if (rows && rows.dataset.refresh) {
    var seen = function () {
      var ids = {};
      rows.querySelectorAll("tr[data-task]").forEach(function (tr) { ids[tr.dataset.task] = true; });
      return ids;
    };
    setInterval(function () {
      if (document.hidden) return;
      fetch(rows.dataset.refresh, { credentials: "same-origin", redirect: "manual" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (html === null) return;
        var before = seen(), fresh = 0;
        rows.innerHTML = html;
        rows.querySelectorAll("tr[data-task]").forEach(function (tr) {
          if (!before[tr.dataset.task]) { tr.classList.add("new"); fresh++; }
        });
        if (fresh > 0) {
          document.getElementById("inbox-live").textContent = body.dataset.newTasks.replace("%d", fresh);
        }
        tick();
      }).catch(function () {});
    }, 5000);
  }

  // The guard's verdict on the draft, before submitting.
  document.querySelectorAll("textarea[data-guard]").forEach(function (area) {
    var timer = null, box = document.getElementById("verdict");
    var check = function () {
      var data = new URLSearchParams(new FormData(area.form));
      fetch(area.dataset.guard, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Console-Fragment": "verdict" }
      }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
        if (html !== null && box) box.innerHTML = html;
      }).catch(function () {});
    };
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
  });
})();
