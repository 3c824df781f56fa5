// semdoc default theme: theme toggle, code copy buttons, TOC highlight, readable diagrams on phones.
// Vanilla JS, no dependencies; everything degrades to plain HTML without it.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "semdoc-theme";
  // Interface strings in the site language, written into the page by the build (render::i18n).
  var T = {};
  try { T = JSON.parse(document.getElementById("semdoc-i18n").textContent); } catch (e) {}
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  /* ---- theme: the button flips what is shown; a choice equal to the system's is forgotten ---- */
  function systemTheme() { return media && media.matches ? "dark" : "light"; }
  function shownTheme() { return root.dataset.theme || systemTheme(); }
  var toggle = document.querySelector(".theme-toggle");
  function label() {
    if (!toggle) return;
    var text = shownTheme() === "dark" ? T.to_light : T.to_dark;
    toggle.setAttribute("aria-label", text);
    toggle.setAttribute("title", text);
  }
  if (toggle) {
    label();
    toggle.addEventListener("click", function () {
      var next = shownTheme() === "dark" ? "light" : "dark";
      try {
        if (next === systemTheme()) localStorage.removeItem(KEY); else localStorage.setItem(KEY, next);
      } catch (e) {}
      if (next === systemTheme()) delete root.dataset.theme; else root.dataset.theme = next;
      label();
    });
    if (media && media.addEventListener) media.addEventListener("change", label);
  }

  /* ---- copy buttons on every pre.code ---- */
  var live = document.createElement("span");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  document.body.appendChild(live);

  function legacyCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.top = "-9999px";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) {}
    document.body.removeChild(ta);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }
  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><rect x="9" y="9" width="12" height="12" rx="2"/><path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/></svg>';

  Array.prototype.forEach.call(document.querySelectorAll("pre.code"), function (pre) {
    if (pre.parentNode.classList && pre.parentNode.classList.contains("code-block")) return;
    var box = document.createElement("div");
    box.className = "code-block";
    var head = document.createElement("div");
    head.className = "code-head";
    var lang = document.createElement("span");
    lang.className = "code-lang";
    lang.textContent = pre.getAttribute("data-lang") || "";
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "copy-button";
    btn.setAttribute("aria-label", T.copy_code);
    btn.innerHTML = ICON + "<span></span>";
    var text = btn.lastChild;
    text.textContent = T.copy;
    var timer = null;
    btn.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      copyText(code.innerText.replace(/\n$/, "")).then(function () {
        btn.removeAttribute("data-failed");
        btn.setAttribute("data-copied", "");
        text.textContent = T.copied;
        live.textContent = T.copied_live;
      }, function () {
        btn.setAttribute("data-failed", "");
        text.textContent = T.copy_failed;
        live.textContent = T.copy_failed_live;
      }).then(function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          btn.removeAttribute("data-copied");
          btn.removeAttribute("data-failed");
          text.textContent = T.copy;
          live.textContent = "";
        }, 1800);
      });
    });
    head.appendChild(lang);
    head.appendChild(btn);
    pre.parentNode.insertBefore(box, pre);
    box.appendChild(head);
    box.appendChild(pre);
  });

  /* ---- table cells written as "- `a`<br>- `b`": keep each dash on the line of its code ---- */
  Array.prototype.forEach.call(document.querySelectorAll("td > code"), function (c) {
    var t = c.previousSibling;
    if (t && t.nodeType === 3 && /[-•·]\s$/.test(t.data)) t.data = t.data.replace(/\s$/, "\u00a0");
  });

  /* ---- sequence diagrams: keep text readable on phones (scroll sideways instead of shrinking) ---- */
  Array.prototype.forEach.call(document.querySelectorAll("figure.trace svg[viewBox]"), function (svg) {
    var vb = svg.getAttribute("viewBox").split(/[\s,]+/);
    var w = parseFloat(vb[2]);
    if (!(w > 0)) return;
    svg.style.minWidth = Math.round(w * 0.82) + "px";
    if (svg.parentNode.classList.contains("trace-scroll")) return;
    var scroller = document.createElement("div");
    scroller.className = "trace-scroll";
    svg.parentNode.insertBefore(scroller, svg);
    scroller.appendChild(svg);
  });

  /* ---- table of contents: mark the section being read ---- */
  var tocLinks = document.querySelectorAll(".toc a[href^='#']");
  if (tocLinks.length && "IntersectionObserver" in window) {
    var byId = {}, headings = [];
    Array.prototype.forEach.call(tocLinks, function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      (byId[id] = byId[id] || []).push(a);
      var h = document.getElementById(id);
      if (h && headings.indexOf(h) < 0) headings.push(h);
    });
    var visible = {};
    var current = null;
    function mark(id) {
      if (id === current) return;
      if (current && byId[current]) byId[current].forEach(function (a) { a.removeAttribute("aria-current"); });
      current = id;
      if (id && byId[id]) byId[id].forEach(function (a) { a.setAttribute("aria-current", "true"); });
      var side = document.querySelector(".toc-side a[aria-current]");
      var aside = document.querySelector(".toc-side");
      if (side && aside && aside.scrollHeight > aside.clientHeight) {
        var r = side.getBoundingClientRect(), ar = aside.getBoundingClientRect();
        if (r.top < ar.top || r.bottom > ar.bottom) aside.scrollTop += r.top - ar.top - ar.height / 2;
      }
    }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { visible[e.target.id] = e.isIntersecting; });
      // The first heading on screen, else the last one above the viewport.
      for (var i = 0; i < headings.length; i++) if (visible[headings[i].id]) return mark(headings[i].id);
      var above = null;
      for (var j = 0; j < headings.length; j++) if (headings[j].getBoundingClientRect().top < 0) above = headings[j].id;
      mark(above);
    }, { rootMargin: "0px 0px -55% 0px" });
    headings.forEach(function (h) { io.observe(h); });
  }
})();
