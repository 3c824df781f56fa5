// semdoc static search: the index is loaded lazily on first use; queries are tokenized like the
// build does (Hangul bigrams, words, dotted config keys whole and split); title and heading hits
// rank above body hits. Keyboard: type to search, ArrowDown/ArrowUp move, Enter opens.
(function () {
  "use strict";
  var root = document.querySelector(".search");
  if (!root) return;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var base = root.getAttribute("data-base") || "";
  var index = null, loading = null;

  function isHangul(c) {
    var n = c.charCodeAt(0);
    return (n >= 0xAC00 && n <= 0xD7A3) || (n >= 0x3130 && n <= 0x318F) || (n >= 0x1100 && n <= 0x11FF);
  }
  function isWordChar(c) { return /[\p{L}\p{N}]/u.test(c) && !isHangul(c); }
  function tokenize(text) {
    var out = [], chars = Array.from(text.toLowerCase()), i = 0;
    while (i < chars.length) {
      var c = chars[i];
      if (isHangul(c)) {
        var s = i;
        while (i < chars.length && isHangul(chars[i])) i++;
        if (i - s === 1) out.push(chars[s]);
        else for (var k = s; k + 1 < i; k++) out.push(chars[k] + chars[k + 1]);
      } else if (isWordChar(c)) {
        var st = i;
        while (i < chars.length && (isWordChar(chars[i]) || ".-_".indexOf(chars[i]) >= 0)) i++;
        var word = chars.slice(st, i).join("").replace(/^[._-]+|[._-]+$/g, "");
        var parts = word.split(/[._-]/).filter(function (p) { return p; });
        if (parts.length > 1) out.push(word);
        out = out.concat(parts);
      } else i++;
    }
    return out;
  }
  function load() {
    if (!loading) {
      loading = fetch(root.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (j) { index = j; return j; });
    }
    return loading;
  }
  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]; });
  }
  function snippet(text, q) {
    var lower = text.toLowerCase(), words = q.toLowerCase().split(/\s+/).filter(Boolean), at = -1, len = 0;
    for (var i = 0; i < words.length && at < 0; i++) {
      // Korean words carry particles: look for the longest prefix of the word that occurs.
      for (var n = words[i].length; n >= 2 && at < 0; n--) {
        at = lower.indexOf(words[i].slice(0, n));
        len = n;
      }
    }
    if (at < 0) return escapeHtml(text.slice(0, 160)) + (text.length > 160 ? "…" : "");
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + len + 100);
    return (start > 0 ? "…" : "") + escapeHtml(text.slice(start, at)) + "<mark>" + escapeHtml(text.slice(at, at + len)) + "</mark>" +
      escapeHtml(text.slice(at + len, end)) + (end < text.length ? "…" : "");
  }
  function search(q) {
    var tokens = Array.from(new Set(tokenize(q)));
    if (!tokens.length) return [];
    var scores = {}, hits = {};
    tokens.forEach(function (t) {
      var post = index.index[t];
      if (!post) return;
      for (var i = 0; i < post.length; i += 2) {
        scores[post[i]] = (scores[post[i]] || 0) + post[i + 1];
        hits[post[i]] = (hits[post[i]] || 0) + 1;
      }
    });
    // Most query tokens must occur: all of them for short queries, two thirds for longer ones.
    var need = tokens.length <= 2 ? tokens.length : Math.ceil(tokens.length * 2 / 3);
    return Object.keys(scores).filter(function (d) { return hits[d] >= need; })
      .sort(function (a, b) { return (hits[b] - hits[a]) || (scores[b] - scores[a]) || (a - b); })
      .slice(0, 20).map(function (d) { return index.docs[d]; });
  }
  function render() {
    var q = input.value.trim();
    var url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!q) { list.innerHTML = ""; status.textContent = ""; return; }
    load().then(function () {
      var res = search(q);
      list.innerHTML = res.map(function (d) {
        return "<li><a href=\"" + escapeHtml(base + d[1]) + "\">" + escapeHtml(d[0]) + "</a><p>" + snippet(d[2], q) + "</p></li>";
      }).join("");
      list.setAttribute("data-count", String(res.length));
      status.textContent = res.length ? res.length + "개의 결과" : "결과가 없습니다";
    });
  }
  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(render, 60); });
  input.addEventListener("focus", load);
  root.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); render(); });
  root.addEventListener("keydown", function (e) {
    var links = Array.from(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown") { e.preventDefault(); (links[i + 1] || links[0] || input).focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i <= 0 ? input : links[i - 1]).focus(); }
  });
  var q0 = new URL(location.href).searchParams.get("q");
  if (q0) { input.value = q0; render(); }
})();
