//! Checking one page: every executable snippet and every bound table row is classified, compared
//! with its claim, turned into a `Case` (for `check --format junit`) and, when false, a diagnostic
//! at `path:line:col`; the evidence (badges, effective config, counterexample diagrams, the verdict
//! across versions and fault models) is spliced into the page's HTML.

use super::binding::{self, Level, TableBinding};
use super::inject::{self, esc};
use super::{Case, CaseKind};
use crate::diag::Diagnostic;
use crate::i18n::Lang as Ui;
use crate::markdown::{CodeBlock, Origin, Rendered};
use crate::render::diagram::{self, DiagramOptions};
use crate::semantics::classify::CANNOT_DELIVER;
use crate::semantics::params::{Counterexample, Property};
use crate::semantics::{Classifier, Input, Lang, Severity, Verdict};
use std::collections::BTreeMap;
use std::path::Path;

/// The versions and fault models every table row is also shown under (issue: "so a reader sees
/// where the row stops holding").
pub const MATRIX_VERSIONS: &[&str] = &["2.8", "3.0.0", "3.9", "4.0"];
pub const MATRIX_FAULTS: &[&str] = &["kafka-promise", "power-loss"];

pub struct PageCtx<'a> {
    /// Display path of the Markdown file.
    pub path: &'a Path,
    /// File line of the body's first line.
    pub body_line: usize,
    /// Site and page `semdoc:` defaults, page winning.
    pub defaults: BTreeMap<String, String>,
    /// URL path of the playground when the site has one (every snippet and row links to it).
    pub playground: Option<String>,
    /// The site's language: the evidence's own words are in it.
    pub ui: Ui,
}

impl PageCtx<'_> {
    fn file_line(&self, body_line: usize) -> usize {
        body_line + self.body_line - 1
    }
}

struct SnippetResult {
    block: CodeBlock,
    lang: Option<Lang>,
    attrs: BTreeMap<String, String>,
}

/// Verify a page in place. Returns the cases and the diagnostics.
pub fn verify_page(cl: &Classifier, ctx: &PageCtx, md: &mut Rendered) -> (Vec<Case>, Vec<Diagnostic>) {
    let mut cases = Vec::new();
    let mut diags = Vec::new();
    let mut by_id: BTreeMap<String, SnippetResult> = BTreeMap::new();
    let blocks = md.code_blocks.clone();
    for block in &blocks {
        let fence = ctx.file_line(block.fence_line);
        let first = diags.len();
        let Some((b, d)) = binding::parse_snippet_info(&block.info, ctx.path, fence) else { continue };
        diags.extend(d);
        let lang = Lang::from_fence(&block.lang);
        if lang.is_none() {
            diags.push(
                Diagnostic::error(
                    ctx.path,
                    fence,
                    4,
                    "snippet-lang",
                    format!("semdoc cannot read `{}` snippets", block.lang),
                )
                .with_hint("executable snippets are properties, yaml, java, kotlin, python or rust"),
            );
            continue;
        }
        let lang = lang.expect("checked");
        let mut attrs = b.attrs.clone();
        if block.origin == Origin::Unavailable {
            // The include's problem is reported at the fence; there is no text to check (a row
            // bound to it says so).
            if let Some(id) = attrs.remove("id") {
                by_id.insert(id, SnippetResult { block: block.clone(), lang: None, attrs });
            }
            continue;
        }
        let id = attrs.remove("id");
        let expect = attrs.remove("expect");
        let mut input = Input::new(&block.content, lang);
        input.defaults = ctx.defaults.clone();
        input.overrides = attrs.clone();
        let v = cl.classify(&input);
        let content_line = |l: usize| if l == 0 { fence } else { ctx.file_line(block.content_line) + l - 1 };
        // `cannot-deliver` is judged against the snippet's `expect` below, like a claim.
        for d in v.diagnostics.iter().filter(|d| d.code != CANNOT_DELIVER) {
            // An included snippet's problems are the included file's, at its own lines; the hint
            // names the including fence.
            let at = match &block.origin {
                Origin::Included { path, lines, .. } if d.line > 0 => {
                    lines.get(d.line - 1).map(|l| (path.as_path(), *l))
                }
                _ => None,
            };
            let diag = match at {
                Some((path, line)) => to_diag(path, line, d.col.max(1), d).map(|x| {
                    let by = format!("included by {}:{fence}", ctx.path.display());
                    let hint = match x.hint.clone() {
                        Some(h) => format!("{h} ({by})"),
                        None => by,
                    };
                    x.with_hint(hint)
                }),
                None => to_diag(ctx.path, content_line(d.line), d.col.max(1), d),
            };
            if let Some(diag) = diag {
                diags.push(diag);
            }
        }
        let (passed, message) = if b.rejected.is_empty() {
            judge_expect(&v, expect.as_deref())
        } else {
            // The attribute errors are the root cause; a verdict on defaults would only add noise.
            (false, format!("the snippet's attributes are invalid: {}", b.rejected.join(", ")))
        };
        // An invalid config without `expect` is already reported by its own diagnostic.
        let reported = v.is_unusable() || (v.is_invalid() && expect.is_none());
        if !passed && !reported && b.rejected.is_empty() {
            let (code, mut hint) = match v.undeliverable() {
                Some(d) => (CANNOT_DELIVER, d.hint.clone().unwrap_or_default()),
                None => ("false-claim", counterexample_hint(&v)),
            };
            if let Some(level) = expect.as_deref().and_then(binding::parse_level) {
                hint = with_fix(cl, &input, &v, level, hint);
            }
            diags.push(
                Diagnostic::error(ctx.path, fence, 1, code, format!("{message}{}", from_file(&block.origin)))
                    .with_hint(hint),
            );
        }
        if let Some(e) = expect.as_deref().and_then(binding::parse_level)
            && !v.is_invalid()
            && is_stronger(&v, e)
        {
            diags.push(
                Diagnostic::warning(
                    ctx.path,
                    fence,
                    1,
                    "weaker-claim",
                    format!("the snippet claims {} but is {}", e.as_str(), v.verdict),
                )
                .with_hint(format!("write `expect={}`", v.verdict)),
            );
        }
        let claim = expect.clone().unwrap_or_else(|| "no claim".into());
        let name = format!("{}:{fence}: {} {}", ctx.path.display(), v.role, claim);
        belong_to(&mut diags[first..], &name);
        cases.push(Case {
            kind: CaseKind::Snippet,
            path: ctx.path.to_path_buf(),
            line: fence,
            name,
            role: v.role.clone(),
            claim,
            verdict: v.verdict.clone(),
            passed: passed && !v.is_unusable(),
            message: if passed { String::new() } else { format!("{message}\n{}", counterexample_text(&v)) },
        });
        let anchor = format!("snippet-{}", id.clone().unwrap_or_else(|| block.index.to_string()));
        let mut html = snippet_html(ctx.ui, &anchor, &v, expect.as_deref(), passed);
        if let Some(link) = try_link(ctx, &v, &block.content, lang, &[]) {
            html.insert_str(html.len() - "</div>".len(), &link);
        }
        inject::fill_snippet(&mut md.html, block.index, &html);
        if let Some(id) = id {
            if by_id.contains_key(&id) {
                let mut d = Diagnostic::error(ctx.path, fence, 1, "snippet-id", format!("two snippets have `id={id}`"))
                    .with_hint("give each snippet its own id");
                d.case = cases.last().map(|c| c.name.as_str().into());
                diags.push(d);
            }
            by_id.insert(id, SnippetResult { block: block.clone(), lang: Some(lang), attrs });
        }
    }
    let tables = md.tables.clone();
    for t in &tables {
        let Some((marker, mline)) = &t.marker else { continue };
        let mline = ctx.file_line(*mline);
        let Some((b, d)) = binding::parse_table_marker(marker, ctx.path, mline) else { continue };
        diags.extend(d);
        verify_table(cl, ctx, md, t, &b, &by_id, &mut cases, &mut diags);
    }
    (cases, diags)
}

/// A "try it" link that opens the playground with the snippet's (or row's) settings as properties,
/// and its version, client, fault model, role and commit pattern as the page's selectors.
fn try_link(ctx: &PageCtx, v: &Verdict, text: &str, lang: Lang, extra: &[(String, String)]) -> Option<String> {
    let base = ctx.playground.as_ref()?;
    if v.is_unusable() {
        return None;
    }
    let (raw, _) = crate::semantics::parse::parse(text, lang);
    // Settings in order of first appearance, the last value of a key winning (as in the classifier).
    let mut settings: Vec<(&str, &str)> = Vec::new();
    for (k, val) in raw.entries.iter().map(|e| (&e.key, &e.value)).chain(extra.iter().map(|(k, v)| (k, v))) {
        match settings.iter_mut().find(|(sk, _)| *sk == k.as_str()) {
            Some(slot) => slot.1 = val,
            None if !k.starts_with("semdoc.") => settings.push((k, val)),
            None => {}
        }
    }
    let config: String = settings.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    // `3.0.0` is the playground's `3.0`.
    let kafka = v.kafka.strip_suffix(".0").filter(|k| k.matches('.').count() == 1).unwrap_or(&v.kafka);
    let mut q = vec![("role", v.role.as_str()), ("kafka", kafka), ("client", v.client.as_str())];
    if v.faults != "kafka-promise" {
        q.push(("faults", v.faults.as_str()));
    }
    let eff = |k: &str| v.effective.get(k).or_else(|| v.effective.get(&format!("consumer.{k}"))).map(String::as_str);
    if let Some(c) =
        eff("semdoc.commit").filter(|c| ["before-processing", "after-processing", "never", "transactional"].contains(c))
    {
        q.push(("commit", c));
    }
    // The membership the snippet's code shows (docs/model.md §6.2): the playground has only the
    // configuration, so without it the page would check "not shown" (both) and could answer weaker.
    if v.role == "consumer"
        && let Some(m) = eff("semdoc.membership").filter(|m| ["subscribe", "assign"].contains(m))
    {
        q.push(("membership", m));
    }
    if let Some(d) = v.effective.get("semdoc.downstream.isolation.level").filter(|d| *d == "read_committed") {
        q.push(("downstream", d.as_str()));
    }
    q.push(("config", config.trim_end()));
    let enc = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    let query: Vec<String> = q.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect();
    Some(format!(
        " <a class=\"try-it\" href=\"{}?{}\" title=\"{}\">{}</a>",
        esc(base),
        esc(&query.join("&")),
        ctx.ui.t("try_it_title"),
        ctx.ui.t("try_it")
    ))
}

/// ` (from FILE, lines A–B)` for an included snippet's claim, so the docs line's error names the
/// file that ships.
fn from_file(origin: &Origin) -> String {
    match origin {
        Origin::Included { path, range, .. } => format!(" (from {}, {range})", path.display()),
        _ => String::new(),
    }
}

/// Marks the problems found while checking one claim as that claim's (see `Diagnostic::case`).
fn belong_to(diags: &mut [Diagnostic], case: &str) {
    for d in diags {
        d.case = Some(case.into());
    }
}

fn to_diag(path: &Path, line: usize, col: usize, d: &crate::semantics::Diag) -> Option<Diagnostic> {
    let mut out = match d.severity {
        Severity::Error => Diagnostic::error(path, line, col, d.code, d.message.clone()),
        Severity::Warning => Diagnostic::warning(path, line, col, d.code, d.message.clone()),
        Severity::Info => return None,
    };
    out.code = match d.code {
        "invalid-config" => "invalid-config",
        "unknown-key" => "unknown-key",
        _ => "kafka",
    };
    if let Some(h) = &d.hint {
        out = out.with_hint(h.clone());
    }
    Some(out)
}

/// (passed, message). `expect` is a claim, `invalid-config` or `cannot-deliver`. A snippet that
/// cannot deliver fails unless it says so: a page must not show such a configuration as working.
fn judge_expect(v: &Verdict, expect: Option<&str>) -> (bool, String) {
    let undeliverable = || v.undeliverable().map_or_else(|| CANNOT_DELIVER.into(), |d| d.message.clone());
    match expect {
        None if v.cannot_deliver() => (false, format!("the snippet {}", undeliverable())),
        None => (!v.is_invalid(), format!("the snippet is {}", v.verdict)),
        Some("invalid-config") => {
            (v.is_invalid(), format!("expected invalid-config, but the client accepts it: {}", v.verdict))
        }
        Some(CANNOT_DELIVER) => (v.cannot_deliver(), format!("expected cannot-deliver, but it is {}", v.verdict)),
        Some(e) => match binding::parse_level(e) {
            None => (
                false,
                format!(
                    "`expect={e}` is not a verdict (exactly-once, at-least-once, at-most-once, no-guarantee, invalid-config, cannot-deliver)"
                ),
            ),
            Some(l) if v.is_invalid() => (
                false,
                format!(
                    "expected {} but the client rejects the configuration: {}",
                    l.as_str(),
                    v.client_error.clone().unwrap_or_default()
                ),
            ),
            Some(l) => {
                let ok = satisfies(v, l);
                (
                    ok,
                    if ok {
                        String::new()
                    } else {
                        format!("claimed {}, but the configuration is {}", l.as_str(), v.verdict)
                    },
                )
            }
        },
    }
}

/// A claim holds when the verdict has every property the claim names (docs/model.md §1).
pub fn satisfies(v: &Verdict, claim: Level) -> bool {
    let (loss, dup) = claim.claims();
    (!loss || v.no_loss) && (!dup || v.no_duplicate)
}

fn is_stronger(v: &Verdict, claim: Level) -> bool {
    let (loss, dup) = claim.claims();
    satisfies(v, claim) && ((v.no_loss && !loss) || (v.no_duplicate && !dup))
}

/// A false claim's hint with the smallest change the model proves makes the claim hold, if any.
fn with_fix(cl: &Classifier, input: &Input, v: &Verdict, claim: Level, hint: String) -> String {
    let (loss, dup) = claim.claims();
    match cl.proven_fix(input, v, loss, dup) {
        Some(f) => format!("{}; {hint}", f.describe()),
        None => hint,
    }
}

fn counterexample_hint(v: &Verdict) -> String {
    match v.counterexamples.iter().find(|c| c.property != Property::NoReorder) {
        Some(c) => {
            format!("counterexample ({} fault{}): {}", c.faults, if c.faults == 1 { "" } else { "s" }, c.violation)
        }
        None => "see `semdoc explain` for the full report".into(),
    }
}

fn counterexample_text(v: &Verdict) -> String {
    let mut s = String::new();
    for c in v.counterexamples.iter().filter(|c| c.property != Property::NoReorder) {
        s.push_str(&format!("{:?}:\n", c.property));
        for (i, st) in c.steps.iter().enumerate() {
            let arrow = st.target.as_ref().map(|t| format!(" -> {t}")).unwrap_or_default();
            s.push_str(&format!(
                "  {}. {}{arrow}: {}{}\n",
                i + 1,
                st.actor,
                st.action,
                if st.fault { " [FAULT]" } else { "" }
            ));
        }
        s.push_str(&format!("  => {}\n", c.violation));
    }
    s
}

fn verdict_badge(v: &str) -> String {
    format!("<span class=\"badge verdict-{0}\" data-verdict=\"{0}\">{0}</span>", esc(v))
}

fn bounds_text(ui: Ui, v: &Verdict) -> String {
    ui.bounds(v.bounds.faults, v.bounds.messages, v.bounds.states)
}

fn effective_html(ui: Ui, v: &Verdict) -> String {
    let mut s = format!("<details><summary>{}</summary><dl>", ui.t("effective_config"));
    for (k, val) in &v.effective {
        s.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(val)));
    }
    s.push_str("</dl></details>");
    s
}

fn diagrams_html(ui: Ui, v: &Verdict, prefix: &str) -> String {
    let mut s = String::new();
    for (i, c) in v.counterexamples.iter().filter(|c| c.property != Property::NoReorder).enumerate() {
        s.push_str(&trace_figure(ui, c, &format!("{prefix}-cx{i}"), v));
    }
    s
}

fn trace_figure(ui: Ui, c: &Counterexample, id: &str, v: &Verdict) -> String {
    let title = format!("{} ({} · Kafka {} · {})", diagram::property_label(c.property, ui), v.role, v.kafka, v.faults);
    let svg = diagram::sequence_svg(c, &DiagramOptions { id_prefix: id.to_string(), title: title.clone(), lang: ui });
    format!(
        "<figure class=\"trace\" id=\"{id}\"><figcaption>{}: {}</figcaption>{svg}<details><summary>{}</summary>{}</details></figure>",
        ui.t("counterexample"),
        esc(&title),
        ui.t("steps_as_text"),
        diagram::trace_list_html(c, ui)
    )
}

fn snippet_html(ui: Ui, anchor: &str, v: &Verdict, expect: Option<&str>, passed: bool) -> String {
    let status = if passed { "pass" } else { "fail" };
    let mut s = format!(
        "<div class=\"semdoc-result\" id=\"{}\" data-verdict=\"{}\" data-claim-status=\"{status}\">",
        esc(anchor),
        esc(&v.verdict)
    );
    s.push_str("<p class=\"semdoc-summary\">");
    s.push_str(ui.t("semdoc_verdict"));
    s.push_str(&verdict_badge(&v.verdict));
    if let Some(e) = expect {
        let (cls, word) = if passed { ("badge-pass", ui.t("matches")) } else { ("badge-fail", ui.t("mismatch")) };
        s.push_str(&format!(" <span class=\"badge {cls}\">expect={} {word}</span>", esc(e)));
    }
    s.push_str(&format!(
        " <span class=\"semdoc-env\">{} · Kafka {} · {} · {} {}</span></p>",
        esc(&v.role),
        esc(&v.kafka),
        esc(&v.client),
        ui.t("fault_model"),
        esc(&v.faults)
    ));
    if let Some(err) = &v.client_error {
        s.push_str(&format!(
            "<p class=\"callout callout-fail\">{}<code>{}</code></p>",
            ui.t("client_rejects"),
            esc(err)
        ));
    }
    if let Some(d) = v.undeliverable() {
        s.push_str(&format!("<p class=\"callout callout-fail\">{}{}</p>", ui.t("cannot_deliver"), esc(&d.message)));
    }
    for d in v.diagnostics.iter().filter(|d| d.severity != Severity::Error) {
        s.push_str(&format!("<p class=\"semdoc-note\">{}</p>", esc(&d.message)));
    }
    if !v.is_invalid() && !v.is_unusable() {
        s.push_str(&format!("<p class=\"semdoc-bounds\">{}</p>", bounds_text(ui, v)));
        s.push_str(&effective_html(ui, v));
        s.push_str(&diagrams_html(ui, v, anchor));
    }
    s.push_str("</div>");
    s
}

#[allow(clippy::too_many_arguments)]
fn verify_table(
    cl: &Classifier,
    ctx: &PageCtx,
    md: &mut Rendered,
    t: &crate::markdown::Table,
    b: &TableBinding,
    by_id: &BTreeMap<String, SnippetResult>,
    cases: &mut Vec<Case>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut evidence = String::new();
    let ncols = t.header.len();
    for col in std::iter::once(b.level_col).chain(b.config_cols.iter().copied()) {
        if col > ncols {
            diags.push(
                Diagnostic::error(
                    ctx.path,
                    ctx.file_line(t.line),
                    1,
                    "table-binding",
                    format!("column {col} does not exist: the table has {ncols} columns"),
                )
                .with_hint("count columns from 1 in the semdoc-table marker (`level=1 config=2`)"),
            );
            return;
        }
    }
    let named: std::collections::BTreeSet<usize> = b.rows.keys().chain(b.known_false.iter()).copied().collect();
    for id_row in named {
        if id_row > t.rows.len() {
            diags.push(Diagnostic::error(
                ctx.path,
                b.line,
                1,
                "table-binding",
                format!("row {id_row} does not exist: the table has {} body rows", t.rows.len()),
            ));
        }
    }
    for (ri, row) in t.rows.iter().enumerate() {
        let n = ri + 1;
        let first = diags.len();
        let line = ctx.file_line(row.line);
        let level_text = row.cells.get(b.level_col - 1).map(|c| c.text.as_str()).unwrap_or("");
        let Some(level) = binding::parse_level(level_text) else {
            diags.push(
                Diagnostic::error(ctx.path, line, 1, "table-row", format!("cannot read a guarantee level in `{}`", level_text.replace('\n', " ")))
                    .with_hint("the level column must say At most once, At least once or Exactly once (or 최대 한 번 / 최소 한 번 / 정확히 한 번)"),
            );
            continue;
        };
        let mut settings = Vec::new();
        for c in &b.config_cols {
            if let Some(cell) = row.cells.get(c - 1) {
                settings.extend(binding::settings_in_code(&cell.code));
            }
        }
        let bound = b.rows.get(&n).map(|id| (id, by_id.get(id)));
        if let Some((id, None)) = bound {
            diags.push(
                Diagnostic::error(
                    ctx.path,
                    line,
                    1,
                    "table-binding",
                    format!("row {n} is bound to snippet `{id}`, which does not exist on this page"),
                )
                .with_hint("add `id=…` to the snippet's fence line, or fix the name in the marker"),
            );
            continue;
        }
        if let Some((id, Some(sn))) = bound
            && sn.block.origin == Origin::Unavailable
        {
            diags.push(
                Diagnostic::error(
                    ctx.path,
                    line,
                    1,
                    "table-binding",
                    format!("row {n} is bound to snippet `{id}`, whose included text cannot be read"),
                )
                .with_hint("fix the `include=` error at the snippet's fence"),
            );
            continue;
        }
        if settings.is_empty() && bound.is_none() {
            diags.push(
                Diagnostic::error(
                    ctx.path,
                    line,
                    1,
                    "table-row",
                    "the row has no `key=value` settings and no bound snippet".to_string(),
                )
                .with_hint(
                    "write the settings as inline code (`acks=all`), or bind the row to a snippet with `row.N=id`",
                ),
            );
            continue;
        }
        let input_for = |kafka: Option<&str>, faults: Option<&str>| {
            let (text, lang, snippet_attrs): (&str, Lang, BTreeMap<String, String>) = match bound {
                Some((_, Some(sn))) => (&sn.block.content, sn.lang.unwrap_or(Lang::Properties), sn.attrs.clone()),
                _ => ("", Lang::Properties, BTreeMap::new()),
            };
            let mut input = Input::new(text, lang);
            input.defaults = ctx.defaults.clone();
            input.overrides = snippet_attrs;
            input.overrides.extend(b.attrs.clone());
            if let Some(k) = kafka {
                input.overrides.insert("kafka".into(), k.into());
            }
            if let Some(f) = faults {
                input.overrides.insert("faults".into(), f.into());
            }
            input.extra = settings.clone();
            input
        };
        let classify = |kafka: Option<&str>, faults: Option<&str>| cl.classify(&input_for(kafka, faults));
        let v = classify(None, None);
        // `cannot-deliver` is the row's own failure (below), not a second problem.
        for d in v.diagnostics.iter().filter(|d| d.code != CANNOT_DELIVER) {
            if d.severity == Severity::Error
                && let Some(diag) = to_diag(ctx.path, line, 1, d)
            {
                diags.push(diag);
            }
        }
        let holds = !v.is_invalid() && !v.is_unusable() && satisfies(&v, level);
        let known_false = b.known_false.contains(&n);
        let case_passed = if known_false { !holds } else { holds };
        let role = v.role.clone();
        if known_false && holds {
            diags.push(
                Diagnostic::error(
                    ctx.path,
                    line,
                    1,
                    "stale-known-false",
                    format!("row {n} is marked known-false, but it now holds ({})", v.verdict),
                )
                .with_hint(format!("remove `known-false.{n}` from the semdoc-table marker")),
            );
        } else if !known_false && !holds && !v.is_unusable() {
            diags.push(
                Diagnostic::error(
                    ctx.path,
                    line,
                    1,
                    "false-claim",
                    format!(
                        "{}{}",
                        match v.undeliverable() {
                            Some(d) =>
                                format!("the row claims {}, but the configuration {}", level.as_str(), d.message),
                            None => format!("the row claims {} but the configuration is {}", level.as_str(), v.verdict),
                        },
                        match bound {
                            Some((_, Some(sn))) => from_file(&sn.block.origin),
                            _ => String::new(),
                        }
                    ),
                )
                .with_hint(with_fix(cl, &input_for(None, None), &v, level, counterexample_hint(&v))),
            );
        }
        let name = format!(
            "{}:{line}: {role} {}{}",
            ctx.path.display(),
            level.as_str(),
            if known_false { " (known false)" } else { "" }
        );
        belong_to(&mut diags[first..], &name);
        cases.push(Case {
            kind: CaseKind::Row,
            path: ctx.path.to_path_buf(),
            line,
            name,
            role: role.clone(),
            claim: level.as_str().into(),
            verdict: v.verdict.clone(),
            passed: case_passed,
            message: if holds {
                String::new()
            } else {
                format!("claimed {}, verdict {}\n{}", level.as_str(), v.verdict, counterexample_text(&v))
            },
        });
        let status = if holds { "pass" } else { "fail" };
        let anchor = format!("evidence-t{}-r{n}", t.index);
        let ui = ctx.ui;
        let (cls, word) = if holds { ("badge-pass", ui.t("holds")) } else { ("badge-fail", ui.t("does_not_hold")) };
        let (text, lang) = match bound {
            Some((_, Some(sn))) => (sn.block.content.as_str(), sn.lang.unwrap_or(Lang::Properties)),
            _ => ("", Lang::Properties),
        };
        let cell = format!(
            "<td class=\"semdoc-col\">{} <a class=\"badge {cls}\" href=\"#{anchor}\">{word}</a>{}</td>",
            verdict_badge(&v.verdict),
            try_link(ctx, &v, text, lang, &settings).unwrap_or_default()
        );
        let attrs =
            format!("data-claim-status=\"{status}\" data-verdict=\"{}\" id=\"row-t{}-r{n}\"", esc(&v.verdict), t.index);
        inject::fill_row(&mut md.html, t.index, n, &attrs, &cell);
        // Evidence: why it holds or the counterexample, and the verdict across versions and fault models.
        evidence.push_str(&format!(
            "<details class=\"semdoc-result\" id=\"{anchor}\" data-verdict=\"{}\" data-claim-status=\"{status}\"{}>",
            esc(&v.verdict),
            if holds { "" } else { " open" }
        ));
        evidence.push_str(&format!(
            "<summary>{} {} {}</summary>",
            ui.row_summary(n, level.as_str()),
            verdict_badge(&v.verdict),
            if known_false {
                format!("<span class=\"badge badge-fail\">{}</span>", ui.t("known_false"))
            } else {
                String::new()
            }
        ));
        evidence.push_str(&format!(
            "<p class=\"semdoc-env\">{} · Kafka {} · {} · {} {} · {}</p>",
            esc(&v.role),
            esc(&v.kafka),
            esc(&v.client),
            ui.t("fault_model"),
            esc(&v.faults),
            bounds_text(ui, &v)
        ));
        if holds {
            let property = ui.t(match level {
                Level::AtMostOnce => "no_duplicate",
                Level::AtLeastOnce => "no_loss",
                Level::ExactlyOnce => "no_loss_and_no_duplicate",
                Level::NoGuarantee => "any_property",
            });
            evidence.push_str(&format!("<p>{}</p>", ui.holds_because(v.bounds.states, property)));
        }
        evidence.push_str(&effective_html(ui, &v));
        if !holds {
            evidence.push_str(&diagrams_html(ui, &v, &anchor));
        }
        evidence.push_str(&matrix_html(ui, &classify, level));
        evidence.push_str("</details>");
    }
    let header = format!("<th class=\"semdoc-col\">{}</th>", ctx.ui.t("semdoc_check"));
    let after = format!(
        "<section class=\"semdoc-evidence\" aria-label=\"{}\">{evidence}</section>",
        ctx.ui.t("table_evidence")
    );
    inject::fill_table(&mut md.html, t.index, &header, &after);
}

fn matrix_html(ui: Ui, classify: &dyn Fn(Option<&str>, Option<&str>) -> Verdict, level: Level) -> String {
    let mut s = format!(
        "<div class=\"table-wrap\"><table class=\"semdoc-matrix\"><caption>{}</caption><thead><tr><th>Kafka</th>",
        ui.t("matrix_caption")
    );
    for f in MATRIX_FAULTS {
        s.push_str(&format!("<th>{f}</th>"));
    }
    s.push_str("</tr></thead><tbody>");
    for k in MATRIX_VERSIONS {
        s.push_str(&format!("<tr><th>{k}</th>"));
        for f in MATRIX_FAULTS {
            let v = classify(Some(k), Some(f));
            let ok = !v.is_invalid() && !v.is_unusable() && satisfies(&v, level);
            s.push_str(&format!(
                "<td data-claim-status=\"{}\">{} {}</td>",
                if ok { "pass" } else { "fail" },
                verdict_badge(&v.verdict),
                if ok { "✓" } else { "✗" }
            ));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    s
}
