//! Rendering the site's files with tera (the only user of `tera`): pages, home, taxonomies, feed,
//! sitemap, robots.txt, 404, plus the default theme's embedded templates and static assets.
//!
//! Templates are parsed once per build into one `Tera`; the embedded default theme is loaded first
//! and a site's own `templates/` files override it file by file. Pages render in parallel.

use crate::config::{Config, Taxonomy};
use crate::content::{Page, PageKind};
use crate::diag::Diagnostic;
use crate::markdown::{Rendered, TocEntry, slugify};
use include_dir::{Dir, include_dir};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::{Context, Tera};

pub mod diagram;
pub mod search;

/// The default theme's templates, embedded so that a site with only `content/` builds.
pub static DEFAULT_TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
/// The default theme's static assets (CSS, JS, icons).
pub static DEFAULT_STATIC: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// Characters escaped in permalinks: everything a URL may not carry raw (non-ASCII is always escaped).
const URL_SET: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`').add(b'#').add(b'?').add(b'{').add(b'}').add(b'%');

/// A page after the Markdown stage, ready for templates.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub page: Page,
    /// Shared with the rebuild memo (`pipeline::Memo`), which keeps it for unchanged pages.
    pub md: std::sync::Arc<Rendered>,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct TermRef {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub permalink: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
pub struct PageCtx {
    pub title: String,
    pub date: String,
    pub date_iso: String,
    pub date_display: String,
    pub updated_iso: String,
    pub path: String,
    pub permalink: String,
    pub slug: String,
    pub description: String,
    pub summary: String,
    pub categories: Vec<TermRef>,
    pub tags: Vec<TermRef>,
    pub toc: Vec<TocEntry>,
    pub show_toc: bool,
    pub reading_time: u32,
    pub char_count: usize,
    pub word_count: usize,
    pub content: String,
    pub kind: &'static str,
    /// Where the source lives, relative to the site root (for "edit this page" links and debugging).
    pub source: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
struct TermCtx {
    name: String,
    slug: String,
    path: String,
    permalink: String,
    pages: Vec<PageCtx>,
}

#[derive(Debug, Clone, Hash, Serialize)]
struct TaxonomyCtx {
    kind: &'static str,
    title: &'static str,
    path: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
struct NavItem {
    title: String,
    path: String,
}

#[derive(Debug, Clone, Hash, Serialize)]
struct ConfigCtx<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    author: &'a str,
}

#[derive(Debug, Clone, Hash, Serialize)]
struct SitemapEntry {
    permalink: String,
    lastmod: String,
}

/// Load the embedded default templates, then the site's own (overriding by file name).
pub fn load_templates(site_templates: &[(String, String)]) -> (Tera, Vec<Diagnostic>) {
    let mut all = merged_templates(site_templates);
    // Tera follows includes recursively and would overflow the stack on a cycle: find cycles first.
    let mut diags = Vec::new();
    for cyc in template_cycles(&all) {
        let first = cyc[0].clone();
        diags.push(
            Diagnostic::error(
                &Path::new("templates").join(&first),
                0,
                0,
                "template",
                format!("templates include or extend each other in a cycle: {}", cyc.join(" → ")),
            )
            .with_hint("break the cycle: a template cannot (indirectly) include or extend itself"),
        );
        for n in &cyc {
            all.remove(n);
        }
    }
    // Load everything at once (inheritance needs the whole set). On an error, report it, drop the
    // template it names and try again, so every broken template is reported, not just the first.
    loop {
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        match tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            Ok(()) => return (tera, diags),
            Err(e) => {
                let d = template_diag("", &e);
                let culprit = d.path.strip_prefix("templates").ok().map(|p| p.to_string_lossy().replace('\\', "/"));
                diags.push(d);
                match culprit {
                    Some(name) if all.remove(&name).is_some() => continue,
                    _ => return (Tera::default(), diags),
                }
            }
        }
    }
}

/// The default theme's templates with the site's own replacing them by name.
fn merged_templates(site_templates: &[(String, String)]) -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, String> = BTreeMap::new();
    for f in DEFAULT_TEMPLATES.files() {
        if let Some(text) = f.contents_utf8() {
            all.insert(f.path().to_string_lossy().replace('\\', "/"), text.to_string());
        }
    }
    for (name, text) in site_templates {
        all.insert(name.clone(), text.clone());
    }
    all
}

/// For each template, a hash of its text and of every template it reaches through `extends`,
/// `include` and `import`: a job's output can only change when one of those texts does, so a
/// template edit re-renders only the pages that use it.
fn template_hashes(site_templates: &[(String, String)]) -> std::collections::HashMap<String, u64> {
    use std::hash::{Hash, Hasher};
    let all = merged_templates(site_templates);
    let refs: BTreeMap<&str, Vec<String>> = all.iter().map(|(n, t)| (n.as_str(), template_refs(t))).collect();
    all.keys()
        .map(|name| {
            let mut seen = std::collections::BTreeSet::new();
            let mut todo = vec![name.as_str()];
            while let Some(n) = todo.pop() {
                if seen.insert(n) {
                    todo.extend(refs.get(n).into_iter().flatten().map(String::as_str));
                }
            }
            let mut h = rustc_hash::FxHasher::default();
            for n in seen {
                (n, all.get(n)).hash(&mut h);
            }
            (name.clone(), h.finish())
        })
        .collect()
}

/// Names a template refers to with `{% include %}`, `{% extends %}` or `{% import %}`.
fn template_refs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in text.split("{%").skip(1) {
        let t = tag.trim_start_matches('-').trim_start();
        let Some(rest) = ["include", "extends", "import"].iter().find_map(|k| t.strip_prefix(k)) else { continue };
        let rest = rest.trim_start();
        let q = rest.chars().next().unwrap_or(' ');
        if (q == '"' || q == '\'')
            && let Some(end) = rest[1..].find(q)
        {
            out.push(rest[1..1 + end].to_string());
        }
    }
    out
}

/// Cycles among templates (each listed once, as the names along the cycle).
fn template_cycles(all: &BTreeMap<String, String>) -> Vec<Vec<String>> {
    let refs: BTreeMap<&str, Vec<String>> = all.iter().map(|(n, t)| (n.as_str(), template_refs(t))).collect();
    let mut cycles: Vec<Vec<String>> = Vec::new();
    let mut done: std::collections::BTreeSet<String> = Default::default();
    fn visit(
        n: &str,
        refs: &BTreeMap<&str, Vec<String>>,
        stack: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
        cycles: &mut Vec<Vec<String>>,
    ) {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c: Vec<String> = stack[i..].to_vec();
            c.push(n.to_string());
            if !cycles.iter().any(|x| x[..x.len() - 1].iter().all(|m| c.contains(m))) {
                cycles.push(c);
            }
            return;
        }
        if done.contains(n) {
            return;
        }
        stack.push(n.to_string());
        for r in refs.get(n).into_iter().flatten() {
            if refs.contains_key(r.as_str()) {
                visit(r, refs, stack, done, cycles);
            }
        }
        stack.pop();
        done.insert(n.to_string());
    }
    for n in refs.keys() {
        visit(n, &refs, &mut Vec::new(), &mut done, &mut cycles);
    }
    cycles
}

/// Tera's default escaper also turns `/` into `&#x2F;`, which makes every URL unreadable in the
/// page source; escaping `& < > " '` is what HTML needs in text and quoted attributes.
fn escape_html(s: &str) -> String {
    crate::html::esc(s)
}

fn template_diag(name: &str, e: &tera::Error) -> Diagnostic {
    let chain = error_chain(e);
    let name =
        if name.is_empty() { chain.split('\'').nth(1).unwrap_or("templates").to_string() } else { name.to_string() };
    // Tera parse errors carry ` --> line:col`.
    let (line, col) = chain
        .split("--> ")
        .nth(1)
        .and_then(|s| {
            let mut it = s.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty());
            Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
        })
        .unwrap_or((0, 0));
    let hint = if chain.contains("not found") && chain.contains("Template '") {
        "the template (or one it extends or includes) does not exist; add it under `templates/` or fix the name"
    } else if chain.contains("not found in context") {
        "the variable is not defined for this template; check its name, or guard it with `{% if x is defined %}` / `| default(value=\"\")`"
    } else {
        "fix the template; tera's syntax is Jinja2-like: `{{ variable }}`, `{% if %}…{% endif %}`, `{% for x in xs %}…{% endfor %}`"
    };
    Diagnostic::error(
        &Path::new("templates").join(&name),
        line,
        col,
        "template",
        chain.replace('\n', " ").split_whitespace().collect::<Vec<_>>().join(" "),
    )
    .with_hint(hint)
}

fn error_chain(e: &tera::Error) -> String {
    use std::error::Error;
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}

pub fn permalink(config: &Config, path: &str) -> String {
    format!("{}{}", config.base_url, utf8_percent_encode(path, URL_SET))
}

fn term_ref(config: &Config, tax: &Taxonomy, name: &str) -> TermRef {
    let slug = term_slug(name);
    let path = format!("/{}/{}/", tax.key(), slug);
    TermRef { name: name.to_string(), slug, permalink: permalink(config, &path), path }
}

/// Slug of a tag or category: the heading-id rule, so `Messaging Semantic` → `messaging-semantic`
/// and `메세지 전달 보장 수준` → `메세지-전달-보장-수준`.
pub fn term_slug(name: &str) -> String {
    let s = slugify(name);
    if s.is_empty() { "_".into() } else { s }
}

fn page_ctx(config: &Config, rp: &RenderedPage) -> PageCtx {
    let p = &rp.page;
    let fm = &p.front;
    let has = |t: Taxonomy| config.taxonomies.contains(&t);
    PageCtx {
        title: fm.title.clone(),
        date: fm.date.as_ref().map(|d| d.written.clone()).unwrap_or_default(),
        date_iso: fm.date.as_ref().map(|d| d.iso()).unwrap_or_default(),
        date_display: fm.date.as_ref().map(|d| d.datetime.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        updated_iso: fm.updated.as_ref().or(fm.date.as_ref()).map(|d| d.iso()).unwrap_or_default(),
        path: p.path.clone(),
        permalink: permalink(config, &p.path),
        slug: p.slug.clone(),
        description: fm.description.clone().unwrap_or_else(|| rp.md.summary.clone()),
        summary: rp.md.summary.clone(),
        categories: if has(Taxonomy::Categories) {
            fm.categories.iter().map(|c| term_ref(config, &Taxonomy::Categories, c)).collect()
        } else {
            vec![]
        },
        tags: if has(Taxonomy::Tags) {
            fm.tags.iter().map(|c| term_ref(config, &Taxonomy::Tags, c)).collect()
        } else {
            vec![]
        },
        toc: rp.md.toc.clone(),
        show_toc: fm.toc.unwrap_or(true),
        reading_time: rp.md.reading_time,
        char_count: rp.md.char_count,
        word_count: rp.md.word_count,
        content: rp.md.html.clone(),
        kind: if p.kind == PageKind::Post { "post" } else { "page" },
        source: p.source.display().to_string(),
    }
}

/// Posts newest first; equal dates by URL so the order is total and deterministic.
fn sort_newest_first(pages: &mut [&RenderedPage]) {
    pages.sort_by(|a, b| {
        let da = a.page.front.date.as_ref().map(|d| d.datetime);
        let db = b.page.front.date.as_ref().map(|d| d.datetime);
        db.cmp(&da).then_with(|| a.page.path.cmp(&b.page.path))
    });
}

/// One output file: path relative to the output directory, and its bytes.
pub type OutFile = (PathBuf, Vec<u8>);

/// Template outputs kept between renders by a long-running process (see `pipeline::Memo`), keyed
/// by the template set, the job and every value in its context.
#[derive(Default)]
pub struct OutputMemo {
    pub enabled: bool,
    outputs: std::sync::Mutex<std::collections::HashMap<u64, Vec<u8>>>,
    /// Each page's search tokens, keyed by its title, URL, headings and HTML.
    search: std::sync::Mutex<std::collections::HashMap<u64, std::sync::Arc<search::DocTokens>>>,
}

impl OutputMemo {
    pub fn enabled() -> Self {
        OutputMemo { enabled: true, ..Default::default() }
    }
}

/// A job's context, kept as values (hashed as they are added) and turned into a tera context only
/// when the job is rendered: a job whose template set and values hash as before reuses its output
/// without serializing anything.
struct Keyed<'a> {
    h: rustc_hash::FxHasher,
    #[allow(clippy::type_complexity)]
    fill: Vec<Box<dyn Fn(&mut Context) + Send + Sync + 'a>>,
}

impl<'a> Keyed<'a> {
    fn new() -> Self {
        Keyed { h: rustc_hash::FxHasher::default(), fill: Vec::new() }
    }
    fn insert<T: Serialize + std::hash::Hash + Send + Sync + 'a>(&mut self, key: &'static str, value: T) {
        use std::hash::Hash;
        key.hash(&mut self.h);
        value.hash(&mut self.h);
        self.fill.push(Box::new(move |c: &mut Context| c.insert(key, &value)));
    }
    fn context(&self) -> Context {
        let mut c = Context::new();
        for f in &self.fill {
            f(&mut c);
        }
        c
    }
}

/// Render every page and site-wide file. Returns the files plus every template problem.
pub fn render_site(
    tera: &Tera,
    config: &Config,
    pages: &[RenderedPage],
    templates: &[(String, String)],
    memo: &OutputMemo,
) -> (Vec<OutFile>, Vec<Diagnostic>) {
    let mut base = Keyed::new();
    base.insert(
        "config",
        ConfigCtx {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
            author: &config.author,
        },
    );
    base.insert("base_path", config.base_path.as_str());
    base.insert("semdoc_version", env!("CARGO_PKG_VERSION"));
    let mut nav = vec![NavItem { title: "홈".into(), path: "/".into() }];
    for t in &config.taxonomies {
        nav.push(NavItem { title: t.title().into(), path: format!("/{}/", t.key()) });
    }
    nav.push(NavItem { title: "검색".into(), path: "/search/".into() });
    if config.playground {
        nav.push(NavItem { title: "놀이터".into(), path: "/playground/".into() });
    }
    nav.extend(config.menu.iter().map(|m| NavItem { title: m.title.clone(), path: m.path.clone() }));
    base.insert("nav", nav.clone());

    let mut posts: Vec<&RenderedPage> = pages.iter().filter(|p| p.page.kind == PageKind::Post).collect();
    sort_newest_first(&mut posts);
    // Lists (home, taxonomies) carry no page bodies: copying every body into every list page made
    // memory grow with pages × terms. Only the feed needs content, for its 20 newest entries.
    let post_ctxs: Vec<PageCtx> =
        posts.iter().map(|p| PageCtx { content: String::new(), toc: Vec::new(), ..page_ctx(config, p) }).collect();
    let feed_ctxs: Vec<PageCtx> = posts.iter().take(20).map(|p| page_ctx(config, p)).collect();

    // The home page's term clouds: every category and tag once, in the order of the newest post
    // that uses it (built here: collecting them in the template was quadratic in the posts).
    let unique_terms = |pick: fn(&PageCtx) -> &Vec<TermRef>| {
        let mut seen = std::collections::HashSet::new();
        post_ctxs.iter().flat_map(pick).filter(|t| seen.insert(t.slug.clone())).cloned().collect::<Vec<TermRef>>()
    };
    let all_categories = unique_terms(|p| &p.categories);
    let all_tags = unique_terms(|p| &p.tags);
    // Each job: (template, output file, url path, extra context).
    let mut jobs: Vec<(String, PathBuf, String, Keyed, PathBuf)> = Vec::new();
    for rp in pages {
        let mut ctx = Keyed::new();
        let (tpl, src) = (rp.page.source.clone(), rp.page.source.clone());
        match rp.page.kind {
            PageKind::Home => {
                ctx.insert("section", page_ctx(config, rp));
                ctx.insert("pages", post_ctxs.clone());
                ctx.insert("all_categories", all_categories.clone());
                ctx.insert("all_tags", all_tags.clone());
                jobs.push(("index.html".into(), rp.page.out_file.clone(), "/".into(), ctx, src));
            }
            kind => {
                ctx.insert("page", page_ctx(config, rp));
                let t = if kind == PageKind::Post { "post.html" } else { "page.html" };
                jobs.push((t.into(), rp.page.out_file.clone(), rp.page.path.clone(), ctx, tpl));
            }
        }
    }
    if !pages.iter().any(|p| p.page.kind == PageKind::Home) {
        let mut ctx = Keyed::new();
        ctx.insert("section", BTreeMap::from([("title", ""), ("content", "")]));
        ctx.insert("pages", post_ctxs.clone());
        ctx.insert("all_categories", all_categories.clone());
        ctx.insert("all_tags", all_tags.clone());
        jobs.push(("index.html".into(), "index.html".into(), "/".into(), ctx, "templates/index.html".into()));
    }
    let mut sitemap: Vec<SitemapEntry> = pages
        .iter()
        .map(|rp| SitemapEntry {
            permalink: permalink(config, &rp.page.path),
            lastmod: rp
                .page
                .front
                .updated
                .as_ref()
                .or(rp.page.front.date.as_ref())
                .map(|d| d.iso())
                .unwrap_or_default(),
        })
        .collect();
    if !pages.iter().any(|p| p.page.kind == PageKind::Home) {
        sitemap.push(SitemapEntry { permalink: permalink(config, "/"), lastmod: String::new() });
    }
    for tax in &config.taxonomies {
        let mut terms: BTreeMap<String, (String, Vec<PageCtx>)> = BTreeMap::new();
        for (rp, ctx) in posts.iter().zip(&post_ctxs) {
            let names = if *tax == Taxonomy::Tags { &rp.page.front.tags } else { &rp.page.front.categories };
            // A page lists under a term once, even if two of its names slug alike (`Kafka`, `kafka`).
            let mut seen = std::collections::BTreeSet::new();
            for name in names {
                let slug = term_slug(name);
                if seen.insert(slug.clone()) {
                    terms.entry(slug).or_insert_with(|| (name.clone(), Vec::new())).1.push(ctx.clone());
                }
            }
        }
        let tax_path = format!("/{}/", tax.key());
        let tax_ctx = TaxonomyCtx { kind: tax.key(), title: tax.title(), path: tax_path.clone() };
        let term_ctxs: Vec<TermCtx> = terms
            .into_iter()
            .map(|(slug, (name, pages))| {
                let path = format!("/{}/{}/", tax.key(), slug);
                TermCtx { name, slug, permalink: permalink(config, &path), path, pages }
            })
            .collect();
        let mut ctx = Keyed::new();
        ctx.insert("taxonomy", tax_ctx.clone());
        ctx.insert("terms", term_ctxs.clone());
        jobs.push((
            "taxonomy_list.html".into(),
            PathBuf::from(tax.key()).join("index.html"),
            tax_path.clone(),
            ctx,
            "templates/taxonomy_list.html".into(),
        ));
        sitemap.push(SitemapEntry { permalink: permalink(config, &tax_path), lastmod: String::new() });
        for term in term_ctxs {
            let mut ctx = Keyed::new();
            ctx.insert("taxonomy", tax_ctx.clone());
            let out = PathBuf::from(tax.key()).join(&term.slug).join("index.html");
            let path = term.path.clone();
            sitemap.push(SitemapEntry {
                permalink: term.permalink.clone(),
                lastmod: term.pages.first().map(|p| p.updated_iso.clone()).unwrap_or_default(),
            });
            ctx.insert("term", term);
            jobs.push(("taxonomy_term.html".into(), out, path, ctx, "templates/taxonomy_term.html".into()));
        }
    }
    jobs.push(("404.html".into(), "404.html".into(), "/404.html".into(), Keyed::new(), "templates/404.html".into()));
    jobs.push((
        "search.html".into(),
        "search/index.html".into(),
        "/search/".into(),
        Keyed::new(),
        "templates/search.html".into(),
    ));
    if config.playground {
        let mut ctx = Keyed::new();
        ctx.insert("versions", crate::playground::VERSIONS);
        ctx.insert("clients", crate::playground::CLIENTS);
        ctx.insert("faults", crate::playground::FAULTS);
        jobs.push((
            "playground.html".into(),
            "playground/index.html".into(),
            "/playground/".into(),
            ctx,
            "templates/playground.html".into(),
        ));
    }
    let mut feed = Keyed::new();
    feed.insert("pages", feed_ctxs);
    feed.insert("updated", post_ctxs.iter().map(|p| p.updated_iso.clone()).max().unwrap_or_default());
    feed.insert("feed_url", permalink(config, "/atom.xml"));
    jobs.push(("atom.xml".into(), "atom.xml".into(), "/atom.xml".into(), feed, "templates/atom.xml".into()));
    sitemap.sort_by(|a, b| a.permalink.cmp(&b.permalink));
    let mut sm = Keyed::new();
    sm.insert("entries", sitemap);
    jobs.push(("sitemap.xml".into(), "sitemap.xml".into(), "/sitemap.xml".into(), sm, "templates/sitemap.xml".into()));
    jobs.push((
        "robots.txt".into(),
        "robots.txt".into(),
        "/robots.txt".into(),
        Keyed::new(),
        "templates/robots.txt".into(),
    ));

    // The shared context, hashed once; each job adds its own values and its templates' texts.
    let global = std::hash::Hasher::finish(&base.h);
    let template_hash = template_hashes(templates);
    let base = base.context();
    let previous =
        if memo.enabled { std::mem::take(&mut *memo.outputs.lock().expect("memo lock")) } else { Default::default() };
    let results: Vec<Result<(u64, OutFile), Diagnostic>> = jobs
        .into_par_iter()
        .map(|(tpl, out, path, keyed, src)| {
            use std::hash::{Hash, Hasher};
            let mut h = keyed.h.clone();
            (global, template_hash.get(&tpl), &tpl, &out, &path).hash(&mut h);
            let key = h.finish();
            if let Some(bytes) = previous.get(&key) {
                return Ok((key, (out, bytes.clone())));
            }
            let mut ctx = keyed.context();
            ctx.extend(base.clone());
            ctx.insert("current_path", &path);
            ctx.insert("current_url", &permalink(config, &path));
            tera.render(&tpl, &ctx).map(|s| (key, (out, s.into_bytes()))).map_err(|e| {
                let mut d = template_diag(&tpl, &e);
                if src.starts_with("content") {
                    d.message = format!("{} (while rendering {})", d.message, src.display());
                }
                d
            })
        })
        .collect();
    // The search index: each page's tokens are reused while its title, URL, headings and HTML
    // are the same; the index itself is assembled anew.
    let previous_search =
        if memo.enabled { std::mem::take(&mut *memo.search.lock().expect("memo lock")) } else { Default::default() };
    let parts: Vec<(u64, std::sync::Arc<search::DocTokens>)> = pages
        .par_iter()
        .map(|rp| {
            use std::hash::{Hash, Hasher};
            let title = if rp.page.front.title.is_empty() { &config.title } else { &rp.page.front.title };
            let headings: Vec<&str> = rp.md.headings.iter().map(|h| h.title.as_str()).collect();
            let mut h = rustc_hash::FxHasher::default();
            (title, &rp.page.path, &headings, &rp.md.html).hash(&mut h);
            let key = h.finish();
            if let Some(hit) = previous_search.get(&key) {
                return (key, hit.clone());
            }
            let body = search::plain_text(&rp.md.html);
            let doc = search::SearchDoc { title, url: &rp.page.path, headings, body: &body };
            (key, std::sync::Arc::new(search::doc_tokens(&doc)))
        })
        .collect();
    let tokens: Vec<&search::DocTokens> = parts.iter().map(|(_, t)| t.as_ref()).collect();
    let mut files = vec![(PathBuf::from("search/index.json"), search::assemble(&tokens).into_bytes())];
    if memo.enabled {
        *memo.search.lock().expect("memo lock") = parts.into_iter().collect();
    }
    let mut diags = Vec::new();
    let mut next = std::collections::HashMap::new();
    for r in results {
        match r {
            Ok((key, f)) => {
                if memo.enabled {
                    next.insert(key, f.1.clone());
                }
                files.push(f);
            }
            Err(d) => diags.push(d),
        }
    }
    if memo.enabled {
        *memo.outputs.lock().expect("memo lock") = next;
    }
    (files, diags)
}

/// Static files: the default theme's assets, overridden by the site's `static/`.
pub fn static_files(site_static: &[(PathBuf, Vec<u8>)]) -> Vec<OutFile> {
    let mut all: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    fn walk(dir: &Dir<'_>, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for f in dir.files() {
            out.insert(f.path().to_path_buf(), f.contents().to_vec());
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    walk(&DEFAULT_STATIC, &mut all);
    for (p, b) in site_static {
        all.insert(p.clone(), b.clone());
    }
    all.into_iter().collect()
}

/// Names of the embedded default templates (for `semdoc init` and the docs).
pub fn default_template_names() -> Vec<String> {
    let mut v: Vec<String> = DEFAULT_TEMPLATES.files().map(|f| f.path().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permalinks_escape_hangul() {
        let c = Config::default();
        assert_eq!(permalink(&c, "/tags/카프카/"), format!("{}/tags/%EC%B9%B4%ED%94%84%EC%B9%B4/", c.base_url));
    }

    #[test]
    fn template_cycles_are_reported_not_followed() {
        let (_, diags) = load_templates(&[
            ("post.html".into(), "{% include \"a.html\" %}".into()),
            ("a.html".into(), "{%- include 'post.html' %}".into()),
            ("self.html".into(), "{% extends \"self.html\" %}".into()),
        ]);
        let msgs: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("a.html → post.html → a.html")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("self.html → self.html")), "{msgs:?}");
    }

    #[test]
    fn template_syntax_errors_name_file_and_line() {
        let (_, diags) = load_templates(&[("post.html".into(), "ok\n{% if %}\n".into())]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].path, Path::new("templates/post.html"));
        assert_eq!(diags[0].line, 2);
    }
}
