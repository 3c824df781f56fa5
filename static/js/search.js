// semdoc static search: the index is loaded lazily on first use; queries are tokenized like the
// build does (Hangul bigrams, words, dotted config keys whole and split); a lone Hangul syllable
// matches as a prefix; a last word with a Korean particle also matches its stem; pages with every
// token as typed rank first, then stem matches; title and heading hits rank above body hits. Keyboard: type to search, ArrowDown/ArrowUp move, Enter opens.
(function () {
  "use strict";
  var root = document.querySelector(".search");
  if (!root) return;
  // Interface strings in the site language, written into the page by the build (render::i18n).
  var T = {};
  try { T = JSON.parse(document.getElementById("semdoc-i18n").textContent); } catch (e) {}
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
      for (var n = words[i].length; n >= Math.min(2, words[i].length) && at < 0; n--) {
        at = lower.indexOf(words[i].slice(0, n));
        len = n;
      }
    }
    if (at < 0) return escapeHtml(text.slice(0, 160)) + (text.length > 160 ? "…" : "");
    var start = Math.max(0, at - 60), end = Math.min(text.length, at + len + 100);
    return (start > 0 ? "…" : "") + escapeHtml(text.slice(start, at)) + "<mark>" + escapeHtml(text.slice(at, at + len)) + "</mark>" +
      escapeHtml(text.slice(at + len, end)) + (end < text.length ? "…" : "");
  }
  // A lone Hangul syllable is a prefix (U+C124 seol finds U+C124 U+C815 seoljeong); other tokens
  // match exactly. Each entry
  // is a postings list: [doc, weight, doc, weight, …].
  var keys = null;
  function postings(t) {
    if (!(t.length === 1 && isHangul(t))) return index.index[t] ? [index.index[t]] : [];
    if (!keys) keys = Object.keys(index.index).sort();
    var lo = 0, hi = keys.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] < t) lo = mid + 1; else hi = mid; }
    var out = [];
    for (var i = lo; i < keys.length && keys[i].lastIndexOf(t, 0) === 0; i++) out.push(index.index[keys[i]]);
    return out;
  }
  // Documents in which most tokens occur (all of them for one or two tokens, two thirds for more):
  // doc → {all: every token hit, hits, score}.
  function match(tokens) {
    var scores = {}, hits = {};
    tokens.forEach(function (t) {
      var best = {};
      postings(t).forEach(function (post) {
        for (var i = 0; i < post.length; i += 2) best[post[i]] = Math.max(best[post[i]] || 0, post[i + 1]);
      });
      Object.keys(best).forEach(function (d) { scores[d] = (scores[d] || 0) + best[d]; hits[d] = (hits[d] || 0) + 1; });
    });
    var need = tokens.length <= 2 ? tokens.length : Math.ceil(tokens.length * 2 / 3), out = {};
    Object.keys(hits).forEach(function (d) {
      if (hits[d] >= need) out[d] = { all: hits[d] === tokens.length, hits: hits[d], score: scores[d] };
    });
    return out;
  }
  // Korean particles the query's last word may carry, longest first (eseo, euro, eul, reul, i, ga,
  // eun, neun, ui, e, ro): seoljeong-eul also finds pages that only say seoljeong-eun or seoljeong,
  // ranked after the pages with the word as typed. Written as escapes so that the script itself is
  // free of Korean text on an English site.
  var PARTICLES = ["\uC5D0\uC11C", "\uC73C\uB85C", "\uC744", "\uB97C", "\uC774", "\uAC00", "\uC740", "\uB294", "\uC758", "\uC5D0", "\uB85C"];
  function stem(q) {
    var m = q.match(/^([\s\S]*?)([\uAC00-\uD7A3]+)\s*$/);
    if (!m) return null;
    for (var i = 0; i < PARTICLES.length; i++) {
      var p = PARTICLES[i];
      if (m[2].length > p.length && m[2].slice(-p.length) === p) return m[1] + m[2].slice(0, -p.length);
    }
    return null;
  }
  function search(q) {
    var tokens = Array.from(new Set(tokenize(q)));
    if (!tokens.length) return [];
    var found = {}, typed = match(tokens), s = stem(q);
    // Tier 0: every token of the query as typed; 1: every token of its stem form; 2: the rest.
    Object.keys(typed).forEach(function (d) { found[d] = { tier: typed[d].all ? 0 : 2, hits: typed[d].hits, score: typed[d].score }; });
    if (s) {
      var stemmed = match(Array.from(new Set(tokenize(s))));
      Object.keys(stemmed).forEach(function (d) {
        var tier = stemmed[d].all ? 1 : 2;
        if (!found[d] || found[d].tier > tier) found[d] = { tier: tier, hits: stemmed[d].hits, score: stemmed[d].score };
      });
    }
    return Object.keys(found)
      .sort(function (a, b) {
        return (found[a].tier - found[b].tier) || (found[b].hits - found[a].hits) || (found[b].score - found[a].score) || (a - b);
      })
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
      status.textContent = res.length ? res.length + T.results : T.no_results;
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
