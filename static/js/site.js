// semdoc default theme: theme toggle and copy buttons. No dependencies.
(function () {
  "use strict";
  var root = document.documentElement;
  var toggle = document.querySelector(".theme-toggle");
  function current() {
    if (root.dataset.theme) return root.dataset.theme;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  if (toggle) {
    toggle.setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
    toggle.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("semdoc-theme", next); } catch (e) {}
      toggle.setAttribute("aria-pressed", next === "dark" ? "true" : "false");
    });
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "absolute"; ta.style.left = "-9999px";
      document.body.appendChild(ta); ta.select();
      try { document.execCommand("copy") ? resolve() : reject(); } catch (e) { reject(e); }
      document.body.removeChild(ta);
    });
  }
  document.querySelectorAll("pre.code").forEach(function (pre) {
    var btn = document.createElement("button");
    btn.type = "button"; btn.className = "copy-button"; btn.textContent = "복사";
    btn.setAttribute("aria-label", "코드 복사");
    btn.addEventListener("click", function () {
      var code = pre.querySelector("code");
      copy(code ? code.innerText : pre.innerText).then(function () {
        btn.textContent = "복사됨"; btn.setAttribute("data-copied", "");
        setTimeout(function () { btn.textContent = "복사"; btn.removeAttribute("data-copied"); }, 1500);
      }, function () { btn.textContent = "실패"; });
    });
    pre.appendChild(btn);
  });
})();
