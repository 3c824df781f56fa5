// semdoc playground: maps the reader's settings to the buckets the build precomputed and shows the
// classifier's stored answer (verdict, effective config, client messages, counterexample diagrams).
// No classification happens here; see src/playground.rs for the space and why it is precomputed.
(function () {
  "use strict";
  var root = document.querySelector(".playground");
  if (!root) return;
  var base = root.getAttribute("data-base");
  var $ = function (id) { return document.getElementById(id); };
  var out = $("pg-result");
  var meta = null;
  var shards = {};
  var fragments = {};
  var seq = 0;

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }
  function shard(v, c) {
    var k = v + "-" + c;
    if (!shards[k]) shards[k] = getJSON(base + "data/" + k + ".json");
    return shards[k];
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }

  // .properties lines: `key=value`, `key: value`, `#`/`!` comments; the last value of a key wins.
  function parse(text) {
    var entries = [], errors = [];
    text.split(/\r?\n/).forEach(function (raw, i) {
      var line = raw.trim();
      if (!line || line[0] === "#" || line[0] === "!") return;
      var m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
      if (!m) { errors.push({ line: i + 1, msg: "`key=value` 꼴이 아닙니다: " + line }); return; }
      entries.push({ key: m[1], value: m[2].trim(), line: i + 1 });
    });
    return { entries: entries, errors: errors };
  }
  // librdkafka's names (`request.required.acks`) mean something only to librdkafka; the Java client
  // ignores them, as the classifier does.
  function canonical(key, client) {
    key = key.replace(/^(producer|consumer|topic)\./, "");
    if (client !== "librdkafka") return key;
    for (var i = 0; i < meta.aliases.length; i++) if (meta.aliases[i][0] === key) return meta.aliases[i][1];
    return key;
  }
  // The index of the axis value the written value stands for, or -1 if it is outside the space.
  function bucket(axis, value) {
    if (axis.kind === "any") return value === "" ? -1 : 1;
    if (axis.kind === "exact") return axis.values.indexOf(value);
    if (!/^-?\d+$/.test(value)) return -1;
    var n = Number(value);
    for (var i = 0; i < axis.ranges.length; i++) if (n >= axis.ranges[i][0] && n <= axis.ranges[i][1]) return i + 1;
    return -1;
  }
  function inferRole(keys, commit) {
    var p = keys.some(function (k) { return meta.producer_keys.indexOf(k) >= 0; });
    var c = keys.some(function (k) { return meta.consumer_keys.indexOf(k) >= 0; });
    if (commit === "transactional" || (p && c)) return "pipeline";
    if (c || commit) return "consumer";
    return "producer";
  }
  function tuple(axes, written) {
    return axes.map(function (a) { return (written[a.key] ? written[a.key].idx : 0).toString(36); }).join("");
  }

  function state() {
    return {
      role: $("pg-role").value, kafka: $("pg-kafka").value, client: $("pg-client").value,
      faults: $("pg-faults").value, commit: $("pg-commit").value, membership: $("pg-membership").value,
      downstream: $("pg-downstream").value,
      config: $("pg-config").value
    };
  }
  function syncURL(s) {
    var q = new URLSearchParams();
    if (s.role) q.set("role", s.role);
    q.set("kafka", s.kafka);
    q.set("client", s.client);
    if (s.faults !== "kafka-promise") q.set("faults", s.faults);
    if (s.commit) q.set("commit", s.commit);
    if (s.membership) q.set("membership", s.membership);
    if (s.downstream !== "read_uncommitted") q.set("downstream", s.downstream);
    q.set("config", s.config);
    history.replaceState(null, "", location.pathname + "?" + q.toString());
  }
  function fromURL() {
    var q = new URLSearchParams(location.search);
    var notes = [];
    [["role", "pg-role"], ["kafka", "pg-kafka"], ["client", "pg-client"], ["faults", "pg-faults"],
     ["commit", "pg-commit"], ["membership", "pg-membership"], ["downstream", "pg-downstream"]].forEach(function (p) {
      var v = q.get(p[0]);
      if (v === null) return;
      var sel = $(p[1]);
      var ok = Array.prototype.some.call(sel.options, function (o) { return o.value === v; });
      if (ok) sel.value = v;
      else notes.push("주소에 쓰인 값 " + p[0] + "=" + v + ": 놀이터가 계산해 둔 값이 아닙니다 (가능한 값: " +
        Array.prototype.map.call(sel.options, function (o) { return o.value || "자동"; }).join(", ") + ").");
    });
    if (q.get("config") !== null) $("pg-config").value = q.get("config");
    return notes;
  }

  function show(html, verdict) {
    out.setAttribute("data-verdict", verdict);
    out.innerHTML = html;
  }

  function render(s, urlNotes) {
    var my = ++seq;
    var parsed = parse(s.config);
    var written = {}, unknown = [], ignored = [], outside = [];
    var keys = parsed.entries.map(function (e) { return canonical(e.key, s.client); });
    var role = s.role || inferRole(keys, s.commit);
    var axes = role === "producer" ? meta.axes.producer.concat(meta.axes.topic) : meta.axes[role];
    parsed.entries.forEach(function (e, i) {
      var key = keys[i];
      var axis = axes.filter(function (a) { return a.key === key; })[0];
      if (key.indexOf("semdoc.") === 0) { outside.push(e.key + " (놀이터에서는 위의 선택 상자를 쓰세요)"); return; }
      if (axis) {
        var idx = bucket(axis, e.value);
        if (idx < 0) outside.push(e.key + "=" + e.value + " (계산해 둔 값: " + axis.values.slice(1).join(", ") + ")");
        else written[key] = { idx: idx, value: e.value, rep: axis.values[idx], line: e.line };
        return;
      }
      var known = meta.known.indexOf(key) >= 0 || meta.prefixes.some(function (p) { return key.indexOf(p) === 0; });
      if (!known) unknown.push(e);
      else if (meta.decisive.indexOf(key) >= 0 || (e.value === "" && meta.decisive_when_empty.indexOf(key) >= 0)) outside.push(e.key + " (" + role + " 놀이터는 이 키를 계산해 두지 않았습니다)");
      else ignored.push(e.key);
    });
    syncURL(s);
    var head = "<p class=\"semdoc-env\">" + esc(role) + (s.role ? "" : " (추론)") + " · Kafka " + esc(s.kafka) +
      " · " + esc(s.client) + " · 장애 모델 " + esc(s.faults) + "</p>";
    var notes = (urlNotes || []).map(function (n) { return "<p class=\"semdoc-note\">" + esc(n) + "</p>"; }).join("");
    parsed.errors.forEach(function (e) { notes += "<p class=\"semdoc-note\">줄 " + e.line + ": " + esc(e.msg) + "</p>"; });
    unknown.forEach(function (e) {
      notes += "<p class=\"semdoc-note\">줄 " + e.line + ": 알 수 없는 Kafka 키 <code>" + esc(e.key) + "</code>: 판정에서 빠집니다. 철자를 확인하세요.</p>";
    });
    if (ignored.length) notes += "<p class=\"semdoc-note\">전달 보장에 영향이 없어 건너뛴 키: <code>" + ignored.map(esc).join("</code>, <code>") + "</code></p>";
    document.querySelectorAll(".pg-consumer-only").forEach(function (n) { n.hidden = role === "producer"; });
    document.querySelectorAll(".pg-consumer-role-only").forEach(function (n) { n.hidden = role !== "consumer"; });
    document.querySelectorAll(".pg-pipeline-only").forEach(function (n) { n.hidden = role !== "pipeline"; });
    if (outside.length || parsed.errors.length) {
      show(head + "<p class=\"callout\">미리 계산해 둔 범위 밖이라 판정을 보여 줄 수 없습니다: <code>" + outside.map(esc).join("</code>, <code>") +
        "</code>. <code>semdoc explain</code>은 어떤 값이든 판정합니다.</p>" + notes, "outside-space");
      return;
    }
    shard(s.kafka, s.client).then(function (sh) {
      if (my !== seq) return;
      var recs = [], model;
      var ci = meta.commits.indexOf(s.commit);
      if (role === "producer") {
        var p = sh.res[sh.producer[tuple(meta.axes.producer, written)]];
        var t = sh.res[sh.topic[tuple(meta.axes.topic, written)]];
        recs = [p, t];
        model = p.m && t.m ? p.m + "." + t.m : null;
      } else if (role === "consumer") {
        recs = [sh.res[sh.consumer[tuple(meta.axes.consumer, written) + ci + meta.memberships.indexOf(s.membership)]]];
        model = recs[0].m;
      } else {
        recs = [sh.res[sh.pipeline[tuple(meta.axes.pipeline, written) + ci + meta.downstream.indexOf(s.downstream)]]];
        model = recs[0].m;
      }
      var eff = {}, diags = [], failed = null, err = null;
      recs.forEach(function (r) {
        Object.keys(r.eff).forEach(function (k) { eff[k] = r.eff[k]; });
        diags = diags.concat(r.d);
        if (r.v && !failed) { failed = r.v; err = r.err; }
      });
      var o = model && !failed ? meta.out[meta.outcomes[model + "|" + s.faults]] : null;
      var verdict = failed || (o ? o.v : "unusable");
      var html = head.replace("<p class=\"semdoc-env\">", "<p class=\"semdoc-summary\">판정: <span class=\"badge verdict-" + esc(verdict) +
        "\" data-verdict=\"" + esc(verdict) + "\">" + esc(verdict) + "</span> <span class=\"semdoc-env\">") .replace("</p>", "</span></p>");
      if (err) html += "<p class=\"callout callout-fail\">클라이언트가 거부하는 설정: <code>" + esc(err) + "</code></p>";
      diags.forEach(function (d) {
        var w = written[d[4]];
        var where = w ? "줄 " + w.line + ": " : "";
        html += "<p class=\"semdoc-note\">" + where + esc(d[2]) + (d[3] ? " <span class=\"hint\">(" + esc(d[3]) + ")</span>" : "") + "</p>";
      });
      var reps = Object.keys(written).filter(function (k) { return written[k].value !== written[k].rep; });
      if (reps.length) {
        html += "<p class=\"semdoc-note\">구간의 대표값으로 계산했습니다: " + reps.map(function (k) {
          return "<code>" + esc(k + "=" + written[k].value) + "</code> → <code>" + esc(written[k].rep) + "</code>";
        }).join(", ") + "</p>";
      }
      html += notes;
      if (o) {
        html += "<p class=\"semdoc-bounds\">탐색 범위: 장애 ≤" + meta.bounds.faults + "번, 메시지 " + meta.bounds.messages +
          "개, 상태 " + o.s + "개 탐색" + (o.u ? " · 리더가 없는 상태(가용성 손실)에 도달할 수 있음" : "") + "</p>";
        html += "<ul class=\"pg-props\">" +
          "<li>유실 없음 (no-loss): " + (o.nl ? "예" : "아니오") + "</li>" +
          "<li>중복 없음 (no-duplicate): " + (o.nd ? "예" : "아니오") + "</li>" +
          "<li>순서 유지 (no-reorder, 판정에는 쓰지 않음): " + (o.nr ? "예" : "아니오") + "</li></ul>";
      }
      if (Object.keys(eff).length) {
        html += "<details open><summary>실제 적용되는 설정 (effective config)</summary><dl>";
        Object.keys(eff).sort().forEach(function (k) {
          var key = k.replace(/^(producer|consumer)\./, "");
          var w = written[key];
          var val = w && eff[k] === w.rep ? w.value : eff[k];
          html += "<dt>" + esc(k) + "</dt><dd>" + esc(val) + "</dd>";
        });
        html += "</dl></details>";
      }
      html += "<div class=\"pg-traces\"></div>";
      show(html, verdict);
      if (o && o.f) {
        if (!fragments[o.f]) fragments[o.f] = fetch(base + o.f).then(function (r) { return r.text(); });
        fragments[o.f].then(function (frag) {
          if (my !== seq) return;
          var box = out.querySelector(".pg-traces");
          if (box) box.innerHTML = frag;
        });
      }
    }).catch(function (e) {
      show("<p class=\"callout callout-fail\">미리 계산한 답을 불러오지 못했습니다: " + esc(e.message) + "</p>", "error");
    });
  }

  var timer = null;
  function schedule(urlNotes) {
    clearTimeout(timer);
    timer = setTimeout(function () { render(state(), urlNotes); }, 60);
  }
  getJSON(base + "data/index.json").then(function (m) {
    meta = m;
    var notes = fromURL();
    render(state(), notes);
    $("pg-form").addEventListener("input", function () { schedule(); });
    $("pg-form").addEventListener("change", function () { schedule(); });
  }).catch(function (e) {
    show("<p class=\"callout callout-fail\">놀이터 데이터를 불러오지 못했습니다: " + esc(e.message) + "</p>", "error");
  });
})();
