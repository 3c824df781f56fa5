// semdoc serve: live reload and the error overlay. Reconnects by itself.
(function () {
  "use strict";
  function overlay(errors) {
    var el = document.getElementById("semdoc-overlay");
    if (!errors || errors.length === 0) { if (el) el.remove(); return; }
    if (!el) {
      el = document.createElement("div");
      el.id = "semdoc-overlay";
      el.setAttribute("role", "alert");
      document.body.appendChild(el);
    }
    el.textContent = "semdoc: the last rebuild failed; showing the last good pages.\n\n" + errors.join("\n\n");
    var close = document.createElement("button");
    close.type = "button"; close.textContent = "닫기"; close.style.float = "right";
    close.addEventListener("click", function () { el.remove(); });
    el.prepend(close);
  }
  // Only stylesheets changed: load them again in place, keeping scroll position and state.
  function swapStyles() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("semdoc-reload", Date.now());
      links[i].href = url.toString();
    }
  }
  function status() {
    fetch("/__semdoc/status").then(function (r) { return r.json(); }).then(function (s) { overlay(s.errors); }, function () {});
  }
  function connect() {
    var es = new EventSource("/__semdoc/events");
    es.onopen = function () { window.__semdocLive = true; };
    es.onmessage = function (e) {
      if (e.data === "reload") { location.reload(); return; }
      if (e.data === "css") { swapStyles(); overlay([]); return; }
      try { overlay(JSON.parse(e.data).errors); } catch (err) {}
    };
    es.onerror = function () { es.close(); setTimeout(connect, 1000); };
  }
  status();
  connect();
})();
