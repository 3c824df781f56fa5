//! Rendering the site's files with tera (the only user of `tera`): pages, home, taxonomies, feed,
//! sitemap, robots.txt, 404, plus the default theme's embedded templates and static assets.
//!
//! Templates are parsed once per build into one `Tera`; the embedded default theme is loaded first
//! and a site's own `templates/` files override it file by file. Pages render in parallel.

use crate::config::{Config, Taxonomy};
use crate::content::{Page, PageKind};
use crate::diag::Diagnostic;
use crate::i18n::Lang;
use crate::markdown::{Rendered, TocEntry, slugify};
use include_dir::{Dir, include_dir};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    /// Page and Markdown are shared with the rebuild memo (`pipeline::Memo`), which keeps them for
    /// unchanged pages.
    pub page: Arc<Page>,
    pub md: Arc<Rendered>,
    /// Identity of the page, its Markdown, its neighbours and the site config together: equal keys
    /// mean equal template contexts, so the memos below key by it instead of hashing page contents.
    pub key: u64,
    /// The posts before and after this one in the post list (none for pages).
    pub neighbours: Neighbours,
}

/// A cover image for templates: `src` for the page's `<img>`, `url` absolute (for `og:image`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CoverCtx {
    pub src: String,
    pub url: String,
    pub alt: String,
    pub lqip: String,
}

/// Where a cover image is: a full URL as written; `/img/a.png` under the site's base path; a
/// relative path beside the page.
fn cover_ctx(config: &Config, page_path: &str, c: &crate::content::frontmatter::Cover) -> CoverCtx {
    let p = c.path.as_str();
    let (src, url) = if p.starts_with("http://") || p.starts_with("https://") {
        (p.to_string(), p.to_string())
    } else if let Some(rest) = p.strip_prefix("//") {
        (p.to_string(), format!("https://{rest}"))
    } else if p.starts_with('/') {
        (format!("{}{}", config.base_path, utf8_percent_encode(p, URL_SET)), permalink(config, p))
    } else {
        let joined = format!("{page_path}{p}");
        (format!("{}{}", config.base_path, utf8_percent_encode(&joined, URL_SET)), permalink(config, &joined))
    };
    CoverCtx { src, url, alt: c.alt.clone().unwrap_or_default(), lqip: c.lqip.clone().unwrap_or_default() }
}

/// A link to another post: its title and URL path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PostLink {
    pub title: String,
    pub path: String,
}

/// A post's neighbours in the post list (newest first): `newer` comes before it, `older` after.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Neighbours {
    pub newer: Option<PostLink>,
    pub older: Option<PostLink>,
}

/// Every post's neighbours, by URL path, in the order of the post list. `pages` is every page, in
/// URL order (as `content::parse_pages` returns).
pub fn neighbours<'p>(pages: &[&'p Page]) -> rustc_hash::FxHashMap<&'p str, Neighbours> {
    let mut posts: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].kind == PageKind::Post).collect();
    sort_newest_first(&mut posts, |i| pages[i]);
    let link = |i: usize| {
        let p = pages[i];
        PostLink {
            title: if p.front.title.is_empty() { p.path.clone() } else { p.front.title.clone() },
            path: p.path.clone(),
        }
    };
    (0..posts.len())
        .map(|k| {
            let n = Neighbours {
                newer: k.checked_sub(1).map(|j| link(posts[j])),
                older: posts.get(k + 1).map(|&j| link(j)),
            };
            (pages[posts[k]].path.as_str(), n)
        })
        .collect()
}

/// A value shared between job contexts and memo: hashed by its identity key (so a list of 10 000
/// pages hashes as 10 000 words, not their texts), serialized as the value itself.
#[derive(Debug)]
pub struct Shared<T>(Arc<T>, u64);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone(), self.1)
    }
}

impl<T> std::hash::Hash for Shared<T> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.1.hash(h);
    }
}

impl<T: Serialize> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
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
    /// The cover image (front matter `image:`).
    pub image: Option<CoverCtx>,
    /// The newer and older posts (a post's previous/next links).
    pub newer: Option<PostLink>,
    pub older: Option<PostLink>,
}

#[derive(Debug, Clone, Hash, Serialize)]
struct TermCtx {
    name: String,
    slug: String,
    path: String,
    permalink: String,
    /// Posts under the term, in all.
    count: usize,
    /// The posts on this list page (all of them when pagination is off).
    pages: Vec<Shared<PageCtx>>,
}

/// A term and its posts as positions in the newest-first list of all posts: kept between
/// renders while no post's terms or position change, so an edit does not regroup 10 000 posts.
#[derive(Debug, Clone)]
struct TermList {
    name: String,
    slug: String,
    path: String,
    permalink: String,
    posts: Vec<u32>,
}

/// The home page's term clouds and every taxonomy's terms, with the signature (each post's terms,
/// in list order, and the taxonomies) they were computed for.
struct TermsMemo {
    signature: u64,
    all_categories: Shared<Vec<TermRef>>,
    all_tags: Shared<Vec<TermRef>>,
    lists: Arc<Vec<Vec<TermList>>>,
}

/// A term as the taxonomy's index lists it: no pages, so that editing a post does not re-render
/// the index unless a count changes.
#[derive(Debug, Clone, Hash, Serialize)]
struct TermSummary {
    name: String,
    slug: String,
    path: String,
    permalink: String,
    count: usize,
}

/// Where a list page sits among its siblings (`/`, `/page/2/`, …), for the templates' pager.
#[derive(Debug, Clone, Hash, Serialize)]
struct Paginator {
    /// 1-based.
    current: usize,
    total_pages: usize,
    per_page: usize,
    total_items: usize,
    first: String,
    last: String,
    previous: Option<String>,
    next: Option<String>,
}

/// A page's list entry, and a hash of its categories and tags.
type Listed = (Shared<PageCtx>, u64);

/// Term clouds and term lists from the newest-first posts (see `TermsMemo`).
fn group_terms(config: &Config, posts: &[Shared<PageCtx>], signature: u64) -> TermsMemo {
    use std::hash::{Hash, Hasher};
    let unique_terms = |pick: fn(&PageCtx) -> &Vec<TermRef>| {
        let mut seen = rustc_hash::FxHashSet::default();
        posts
            .iter()
            .flat_map(|c| pick(&c.0))
            .filter(|t| seen.insert(t.slug.as_str()))
            .cloned()
            .collect::<Vec<TermRef>>()
    };
    let shared = |terms: Vec<TermRef>| {
        let mut h = rustc_hash::FxHasher::default();
        terms.hash(&mut h);
        let key = h.finish();
        Shared(Arc::new(terms), key)
    };
    let mut lists = Vec::new();
    for tax in &config.taxonomies {
        // Grouped by slug in a hash map, then ordered by slug.
        let mut terms: rustc_hash::FxHashMap<&str, (&str, Vec<u32>)> = Default::default();
        for (n, ctx) in posts.iter().enumerate() {
            let refs = if *tax == Taxonomy::Tags { &ctx.0.tags } else { &ctx.0.categories };
            for (i, t) in refs.iter().enumerate() {
                // A page lists under a term once, even if two of its names slug alike (`Kafka`, `kafka`).
                if refs[..i].iter().any(|u| u.slug == t.slug) {
                    continue;
                }
                terms.entry(t.slug.as_str()).or_insert_with(|| (t.name.as_str(), Vec::new())).1.push(n as u32);
            }
        }
        let mut terms: Vec<(&str, (&str, Vec<u32>))> = terms.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
        lists.push(
            terms
                .into_iter()
                .map(|(slug, (name, posts))| {
                    let path = format!("/{}/{}/", tax.key(), slug);
                    TermList {
                        name: name.to_string(),
                        slug: slug.to_string(),
                        permalink: permalink(config, &path),
                        path,
                        posts,
                    }
                })
                .collect(),
        );
    }
    TermsMemo {
        signature,
        all_categories: shared(unique_terms(|p| &p.categories)),
        all_tags: shared(unique_terms(|p| &p.tags)),
        lists: Arc::new(lists),
    }
}

/// URL path and output file of page `n` (1-based) of a list whose first page is at `base` (`/` or
/// `/tags/x/`): page n ≥ 2 lives at `{base}page/{n}/`.
fn pager_url(base: &str, n: usize) -> (String, PathBuf) {
    let url = if n == 1 { base.to_string() } else { format!("{base}page/{n}/") };
    let mut file = PathBuf::from(url.trim_matches('/'));
    file.push("index.html");
    (url, file)
}

/// One page of a list: page `n` of `items` in pages of `per`. Its context is the list's shared
/// values plus this page's posts (`pages`, or `term.pages` on a term list) and `paginator`; its key
/// hashes the shared values once per list and the posts by their identity, so a list page costs no
/// allocation unless it must be rendered.
struct ListPage<'a> {
    fixed: &'a Keyed<'a>,
    term: Option<&'a TermList>,
    /// Every post, newest first; the list is all of them (home) or `term.posts` (indices into it).
    all: &'a [Shared<PageCtx>],
    base: &'a str,
    n: usize,
    per: usize,
}

impl ListPage<'_> {
    fn len(&self) -> usize {
        self.term.map_or(self.all.len(), |t| t.posts.len())
    }
    /// This page's posts.
    fn chunk(&self) -> impl Iterator<Item = &Shared<PageCtx>> {
        let start = ((self.n - 1) * self.per).min(self.len());
        let end = (start + self.per).min(self.len());
        (start..end).map(move |i| match self.term {
            Some(t) => &self.all[t.posts[i] as usize],
            None => &self.all[i],
        })
    }
    fn paginator(&self) -> Paginator {
        let total_pages = self.len().div_ceil(self.per).max(1);
        let url = |n: usize| pager_url(self.base, n).0;
        Paginator {
            current: self.n,
            total_pages,
            per_page: self.per,
            total_items: self.len(),
            first: url(1),
            last: url(total_pages),
            previous: (self.n > 1).then(|| url(self.n - 1)),
            next: (self.n < total_pages).then(|| url(self.n + 1)),
        }
    }
    fn hash_into(&self, h: &mut rustc_hash::FxHasher) {
        use std::hash::Hash;
        if let Some(t) = self.term {
            ("term", &t.name, &t.slug, &t.path, &t.permalink).hash(h);
        }
        (self.base, self.n, self.per, self.len()).hash(h);
        for item in self.chunk() {
            item.hash(h);
        }
    }
    fn context(&self) -> Context {
        let mut c = self.fixed.context();
        let chunk: Vec<Shared<PageCtx>> = self.chunk().cloned().collect();
        match self.term {
            Some(t) => {
                let term = TermCtx {
                    name: t.name.clone(),
                    slug: t.slug.clone(),
                    path: t.path.clone(),
                    permalink: t.permalink.clone(),
                    count: t.posts.len(),
                    pages: chunk,
                };
                c.insert("term", &term);
            }
            None => c.insert("pages", &chunk),
        }
        c.insert("paginator", &self.paginator());
        c
    }
}

#[derive(Debug, Clone, Hash, Serialize)]
struct TaxonomyCtx {
    kind: &'static str,
    title: &'static str,
    /// "No tags yet." in the site language (the Korean particle chosen by `i18n::subject`).
    none_yet: String,
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
struct SitemapEntry<'a> {
    permalink: &'a str,
    lastmod: &'a str,
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
        date_display: fm.date.as_ref().map(|d| Lang::of(&config.language).date(&d.datetime)).unwrap_or_default(),
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
        image: fm.image.as_ref().map(|c| cover_ctx(config, &p.path, c)),
        newer: rp.neighbours.newer.clone(),
        older: rp.neighbours.older.clone(),
    }
}

/// Posts newest first; equal dates by URL so the order is total and deterministic. `all` is sorted
/// by URL (`content::parse_pages`), so a stable sort by date alone gives that order without
/// comparing URLs (many posts share a date).
fn sort_newest_first<'p>(pages: &mut [usize], page: impl Fn(usize) -> &'p Page) {
    debug_assert!(pages.windows(2).all(|w| page(w[0]).path <= page(w[1]).path));
    pages.sort_by(|&a, &b| {
        let da = page(a).front.date.as_ref().map(|d| d.datetime);
        let db = page(b).front.date.as_ref().map(|d| d.datetime);
        db.cmp(&da)
    });
}

/// One output file: path relative to the output directory, and its bytes. `Bytes` is shared, not
/// copied: a memoised output, the served site and the writer all hold the same buffer.
pub type OutFile = (PathBuf, bytes::Bytes);

/// Where finished files go as they are made. `build` writes each one at once (`output::Staging`)
/// and keeps only an empty placeholder, so a 10 000-page site is never whole in memory; `check`
/// and `serve` keep the bytes (`InMemory`).
pub trait Sink: Sync {
    /// Take a finished file; returns what the build keeps in memory for it.
    fn put(&self, rel: &Path, bytes: bytes::Bytes) -> bytes::Bytes;
    /// A file's bytes again, when `put` kept only a placeholder.
    fn get(&self, _rel: &Path) -> Option<bytes::Bytes> {
        None
    }
}

/// Keeps every file in memory.
pub struct InMemory;

impl Sink for InMemory {
    fn put(&self, _rel: &Path, bytes: bytes::Bytes) -> bytes::Bytes {
        bytes
    }
}

/// Template outputs kept between renders by a long-running process (see `pipeline::Memo`), keyed
/// by the template set, the job and every value in its context.
#[derive(Default)]
pub struct OutputMemo {
    pub enabled: bool,
    outputs: crate::memo::Store<bytes::Bytes>,
    /// Each page's context as lists show it (without its body), by page key.
    ctxs: crate::memo::Store<Listed>,
    /// Term clouds and term lists, while no post's terms or position change.
    terms: std::sync::Mutex<Option<TermsMemo>>,
    /// The parsed templates and their problems, with the hash of the texts they came from.
    #[allow(clippy::type_complexity)]
    tera: std::sync::Mutex<Option<(u64, Arc<Tera>, Vec<Diagnostic>)>>,
    /// Each page's search tokens, by page key.
    search: crate::memo::Store<Arc<search::DocTokens>>,
}

/// Every page's search tokens, in page order: `search::assemble` turns them into the index.
pub type SearchParts = Vec<Arc<search::DocTokens>>;

impl OutputMemo {
    pub fn enabled() -> Self {
        use crate::memo::Store;
        OutputMemo {
            enabled: true,
            outputs: Store::enabled(),
            ctxs: Store::enabled(),
            search: Store::enabled(),
            ..Default::default()
        }
    }

    /// `load_templates`, reused while the site's template texts are the same.
    pub fn templates(&self, site: &[(String, String)]) -> (Arc<Tera>, Vec<Diagnostic>) {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        site.hash(&mut h);
        let key = h.finish();
        let mut cached = self.tera.lock().expect("memo lock");
        if self.enabled
            && let Some((k, tera, diags)) = cached.as_ref()
            && *k == key
        {
            return (tera.clone(), diags.clone());
        }
        let (tera, diags) = load_templates(site);
        let tera = Arc::new(tera);
        if self.enabled {
            *cached = Some((key, tera.clone(), diags.clone()));
        }
        (tera, diags)
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

/// One file to render: its template, output file, URL path, context, and the source shown in
/// errors.
struct Job<'a> {
    tpl: &'static str,
    out: PathBuf,
    path: Cow<'a, str>,
    ctx: JobCtx<'a>,
    src: &'a Path,
}

impl<'a> Job<'a> {
    fn new(tpl: &'static str, out: PathBuf, path: Cow<'a, str>, ctx: JobCtx<'a>, src: &'a Path) -> Self {
        Job { tpl, out, path, ctx, src }
    }
}

/// A page job's context is the page alone (the common case, kept free of allocations); list pages
/// and site files carry several values.
enum JobCtx<'a> {
    /// The page's context is made only if the job must render: holding every page's context (a
    /// copy of its HTML) for the whole build cost a quarter of the peak memory.
    Page(&'a RenderedPage, &'a Config),
    Values(Keyed<'a>),
    List(ListPage<'a>),
}

impl JobCtx<'_> {
    /// The hasher after the context's values (as `Keyed` would hash a single `page` value).
    fn hasher(&self) -> rustc_hash::FxHasher {
        use std::hash::Hash;
        match self {
            JobCtx::Page(rp, _) => {
                let mut h = rustc_hash::FxHasher::default();
                "page".hash(&mut h);
                rp.key.hash(&mut h);
                h
            }
            JobCtx::Values(k) => k.h.clone(),
            JobCtx::List(l) => {
                let mut h = l.fixed.h.clone();
                l.hash_into(&mut h);
                h
            }
        }
    }
    fn context(&self) -> Context {
        match self {
            JobCtx::Page(rp, config) => {
                let mut c = Context::new();
                c.insert("page", &page_ctx(config, rp));
                c
            }
            JobCtx::Values(k) => k.context(),
            JobCtx::List(l) => l.context(),
        }
    }
}

/// The values every template gets: the site config, base path, semdoc's version and the nav.
fn base_keyed(config: &Config) -> Keyed<'_> {
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
    let lang = Lang::of(&config.language);
    base.insert("t", lang.map());
    base.insert("t_js", lang.js_json());
    let mut nav = vec![NavItem { title: lang.t("home").into(), path: "/".into() }];
    for t in &config.taxonomies {
        nav.push(NavItem { title: lang.t(t.key()).into(), path: format!("/{}/", t.key()) });
    }
    nav.push(NavItem { title: lang.t("search").into(), path: "/search/".into() });
    if config.playground {
        nav.push(NavItem { title: lang.t("playground").into(), path: "/playground/".into() });
    }
    nav.extend(config.menu.iter().map(|m| NavItem { title: m.title.clone(), path: m.path.clone() }));
    base.insert("nav", nav);
    base
}

/// What one-shot builds make for a page right after its Markdown (see `PageEarly`): its own
/// page (unless it is the home page, which is a list) and its search tokens.
pub struct Early {
    pub file: Option<Result<OutFile, Box<Diagnostic>>>,
    pub tokens: Arc<search::DocTokens>,
}

/// Renders a page's own template and its search tokens as soon as its Markdown is verified, so
/// that a one-shot build can drop the page's HTML straight away (only the lists that show page
/// bodies need it later: the home page's own content and the feed's newest posts). Makes exactly
/// what `render_site` would make for the page.
pub struct PageEarly<'a> {
    tera: &'a Tera,
    config: &'a Config,
    base: Context,
    sink: &'a dyn Sink,
}

impl<'a> PageEarly<'a> {
    pub fn new(tera: &'a Tera, config: &'a Config, sink: &'a dyn Sink) -> Self {
        PageEarly { tera, config, base: base_keyed(config).context(), sink }
    }
    pub fn render(&self, rp: &RenderedPage) -> Early {
        let file = page_job(rp, self.config).map(|job| {
            let Job { tpl, out, path, ctx, src } = job;
            render_job(self.tera, self.config, &self.base, tpl, &path, &ctx, src)
                .map(|bytes| (out.clone(), self.sink.put(&out, bytes)))
        });
        Early { file, tokens: page_tokens(self.config, rp) }
    }
}

/// The URL paths of the pages whose bodies a list shows: the home page's own content and the
/// feed's newest posts. `pages` is every page, in URL order (as `content::parse_pages` returns).
pub fn bodies_listed<'p>(pages: &[&'p Page]) -> rustc_hash::FxHashSet<&'p str> {
    let mut posts: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].kind == PageKind::Post).collect();
    sort_newest_first(&mut posts, |i| pages[i]);
    let mut keep: rustc_hash::FxHashSet<&str> =
        posts.iter().take(FEED_ENTRIES).map(|&i| pages[i].path.as_str()).collect();
    keep.extend(pages.iter().filter(|p| p.kind == PageKind::Home).map(|p| p.path.as_str()));
    keep
}

/// Entries in the Atom feed (the newest posts, with their bodies).
const FEED_ENTRIES: usize = 20;

/// A content page's own job (none for the home page: it is rendered as a list).
fn page_job<'a>(rp: &'a RenderedPage, config: &'a Config) -> Option<Job<'a>> {
    if rp.page.kind == PageKind::Home {
        return None;
    }
    let t = if rp.page.kind == PageKind::Post { "post.html" } else { "page.html" };
    let path = Cow::Borrowed(rp.page.path.as_str());
    Some(Job::new(t, rp.page.out_file.clone(), path, JobCtx::Page(rp, config), &rp.page.source))
}

/// A page written where semdoc makes one of its own (`content/search.md` over the search page,
/// `content/tags.md` over the tag index, `content/page/2.md` over the home list's second page)
/// would silently replace it, whichever finished last: an error at the page, as a static file
/// over a page is. The built-in job is dropped (the build fails anyway).
fn built_in_clashes(jobs: &mut Vec<Job<'_>>, pages: &[RenderedPage]) -> Vec<Diagnostic> {
    let by_out: rustc_hash::FxHashMap<&Path, &RenderedPage> =
        pages.iter().filter(|rp| rp.page.kind != PageKind::Home).map(|rp| (rp.page.out_file.as_path(), rp)).collect();
    let mut diags = Vec::new();
    jobs.retain(|job| {
        if matches!(job.ctx, JobCtx::Page(..)) {
            return true;
        }
        let Some(rp) = by_out.get(job.out.as_path()) else { return true };
        diags.push(
            Diagnostic::error(
                &rp.page.source,
                1,
                1,
                "duplicate-url",
                format!("this page would replace the page semdoc makes at {} (from {})", job.path, job.tpl),
            )
            .with_hint(format!(
                "give the page another `slug:` or `permalink:`, or rename the file; to change the built-in page, \
                 put your own `templates/{}` in the site",
                job.tpl
            )),
        );
        false
    });
    diags
}

/// Run one template job; a template error names the content file being rendered.
fn render_job(
    tera: &Tera,
    config: &Config,
    base: &Context,
    tpl: &str,
    path: &str,
    job_ctx: &JobCtx<'_>,
    src: &Path,
) -> Result<bytes::Bytes, Box<Diagnostic>> {
    let mut ctx = job_ctx.context();
    ctx.extend(base.clone());
    ctx.insert("current_path", path);
    ctx.insert("current_url", &permalink(config, path));
    // Rendered into bytes, not a `String`: tera's own `render` checks the whole output is UTF-8
    // (3 % of a 10 000-page build), and every piece it writes is a `str` already.
    let mut out = Vec::with_capacity(16 << 10);
    match tera.render_to(tpl, &ctx, &mut out) {
        // Possibly held until the site is written: without the spare capacity the output grew
        // with (up to half of each buffer).
        Ok(()) => Ok(bytes::Bytes::from(out.into_boxed_slice())),
        Err(e) => {
            let mut d = template_diag(tpl, &e);
            if src.starts_with("content") {
                d.message = format!("{} (while rendering {})", d.message, src.display());
            }
            Err(Box::new(d))
        }
    }
}

/// A page's search tokens: title, headings and the text of its body.
fn page_tokens(config: &Config, rp: &RenderedPage) -> Arc<search::DocTokens> {
    let title = if rp.page.front.title.is_empty() { &config.title } else { &rp.page.front.title };
    let headings: Vec<&str> = rp.md.headings.iter().map(|h| h.title.as_str()).collect();
    let body = search::plain_text(&rp.md.html);
    let doc = search::SearchDoc { title, url: &rp.page.path, headings, body: &body };
    Arc::new(search::doc_tokens(&doc))
}

/// Render every page and site-wide file. Returns the files, every template problem, and the search
/// index's parts (the caller assembles them, or defers that until the index is asked for).
/// `early` holds what `PageEarly` already made for every page (in `pages` order); those jobs are
/// not run again.
pub fn render_site(
    tera: &Tera,
    config: &Config,
    pages: &[RenderedPage],
    templates: &[(String, String)],
    memo: &OutputMemo,
    sink: &dyn Sink,
    early: Option<Vec<Early>>,
) -> (Vec<OutFile>, Vec<Diagnostic>, SearchParts) {
    use std::hash::{Hash, Hasher};
    let base = base_keyed(config);

    // Each page's context as lists show it, reused while its key (page, Markdown, config) is the
    // same. Lists (home, taxonomies) carry no page bodies: copying every body into every list page
    // made memory grow with pages × terms. Only the feed needs content, for its 20 newest entries.
    let previous_ctxs = memo.ctxs.take();
    let listed_terms: Vec<Listed> = pages
        .par_iter()
        .map(|rp| {
            if let Some(hit) = previous_ctxs.get(&rp.key) {
                return hit.clone();
            }
            let list = PageCtx { content: String::new(), toc: Vec::new(), ..page_ctx(config, rp) };
            let mut h = rustc_hash::FxHasher::default();
            (rp.key, "listed").hash(&mut h);
            let key = h.finish();
            let mut h = rustc_hash::FxHasher::default();
            (&list.categories, &list.tags).hash(&mut h);
            (Shared(Arc::new(list), key), h.finish())
        })
        .collect();
    let listed: Vec<Shared<PageCtx>> = listed_terms.iter().map(|(l, _)| l.clone()).collect();
    let whole = |rp: &RenderedPage| Shared(Arc::new(page_ctx(config, rp)), rp.key);
    let keys: Vec<u64> = pages.iter().map(|rp| rp.key).collect();
    memo.ctxs.put_all(previous_ctxs, &keys, &listed_terms);
    let mut posts: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].page.kind == PageKind::Post).collect();
    sort_newest_first(&mut posts, |i| &pages[i].page);
    let post_ctxs: Vec<Shared<PageCtx>> = posts.iter().map(|&i| listed[i].clone()).collect();
    let feed_ctxs: Vec<Shared<PageCtx>> = posts.iter().take(FEED_ENTRIES).map(|&i| whole(&pages[i])).collect();

    // The home page's term clouds (every category and tag once, in the order of the newest post
    // that uses it) and each taxonomy's terms with their posts: recomputed only when some post's
    // terms or its place in the list changed.
    let signature = {
        let mut h = rustc_hash::FxHasher::default();
        config.taxonomies.iter().map(Taxonomy::key).collect::<Vec<_>>().hash(&mut h);
        for &i in &posts {
            listed_terms[i].1.hash(&mut h);
        }
        h.finish()
    };
    let cached = if memo.enabled { memo.terms.lock().expect("memo lock").take() } else { None };
    let terms = match cached {
        Some(t) if t.signature == signature => t,
        _ => group_terms(config, &post_ctxs, signature),
    };
    let (all_categories, all_tags) = (terms.all_categories.clone(), terms.all_tags.clone());
    let term_lists = terms.lists.clone();
    if memo.enabled {
        *memo.terms.lock().expect("memo lock") = Some(terms);
    }
    // Declared before the jobs, whose contexts borrow them.
    let home_permalink = permalink(config, "/");
    let lang = Lang::of(&config.language);
    let mut term_permalinks: Vec<(String, String)> = Vec::new();
    // Every list (the home page, each term) and the values all its pages share, built before the
    // jobs that borrow them.
    let home = pages.iter().find(|rp| rp.page.kind == PageKind::Home);
    let mut home_fixed = Keyed::new();
    let home_src = match home {
        Some(rp) => {
            home_fixed.insert("section", whole(rp));
            rp.page.source.as_path()
        }
        None => {
            home_fixed.insert("section", BTreeMap::from([("title", ""), ("content", "")]));
            Path::new("templates/index.html")
        }
    };
    home_fixed.insert("all_categories", all_categories.clone());
    home_fixed.insert("all_tags", all_tags.clone());
    let mut tax_lists: Vec<(&Taxonomy, Keyed, &[TermList])> = Vec::new();
    for (tax, lists) in config.taxonomies.iter().zip(term_lists.iter()) {
        let mut fixed = Keyed::new();
        fixed.insert(
            "taxonomy",
            TaxonomyCtx {
                kind: tax.key(),
                title: lang.t(tax.key()),
                none_yet: lang.none_yet(lang.t(tax.key())),
                path: format!("/{}/", tax.key()),
            },
        );
        tax_lists.push((tax, fixed, lists));
    }
    let mut jobs: Vec<Job> = Vec::with_capacity(pages.len() + 64);
    if early.is_none() {
        jobs.extend(pages.iter().filter_map(|rp| page_job(rp, config)));
    }
    #[allow(clippy::too_many_arguments)]
    fn list_jobs<'a>(
        jobs: &mut Vec<Job<'a>>,
        paginate: usize,
        tpl: &'static str,
        fixed: &'a Keyed<'a>,
        term: Option<&'a TermList>,
        all: &'a [Shared<PageCtx>],
        base: &'a str,
        src: &'a Path,
    ) {
        let len = term.map_or(all.len(), |t| t.posts.len());
        let per = if paginate == 0 { len.max(1) } else { paginate };
        let total = len.div_ceil(per).max(1);
        for n in 1..=total {
            let (path, out) = pager_url(base, n);
            let list = ListPage { fixed, term, all, base, n, per };
            jobs.push(Job::new(tpl, out, path.into(), JobCtx::List(list), src));
        }
    }
    list_jobs(&mut jobs, config.paginate, "index.html", &home_fixed, None, &post_ctxs, "/", home_src);
    let mut sitemap: Vec<SitemapEntry> = listed
        .iter()
        .map(|c| SitemapEntry { permalink: c.0.permalink.as_str(), lastmod: c.0.updated_iso.as_str() })
        .collect();
    if home.is_none() {
        sitemap.push(SitemapEntry { permalink: &home_permalink, lastmod: "" });
    }
    for (tax, fixed, term_ctxs) in &tax_lists {
        let summaries: Vec<TermSummary> = term_ctxs
            .iter()
            .map(|t| TermSummary {
                name: t.name.clone(),
                slug: t.slug.clone(),
                path: t.path.clone(),
                permalink: t.permalink.clone(),
                count: t.posts.len(),
            })
            .collect();
        let tax_path = format!("/{}/", tax.key());
        let mut ctx = Keyed::new();
        ctx.insert(
            "taxonomy",
            TaxonomyCtx {
                kind: tax.key(),
                title: lang.t(tax.key()),
                none_yet: lang.none_yet(lang.t(tax.key())),
                path: tax_path.clone(),
            },
        );
        ctx.insert("terms", summaries);
        jobs.push(Job::new(
            "taxonomy_list.html",
            PathBuf::from(tax.key()).join("index.html"),
            tax_path.clone().into(),
            JobCtx::Values(ctx),
            Path::new("templates/taxonomy_list.html"),
        ));
        term_permalinks.push((permalink(config, &tax_path), String::new()));
        for term in term_ctxs.iter() {
            term_permalinks.push((
                term.permalink.clone(),
                term.posts.first().map(|&i| post_ctxs[i as usize].0.updated_iso.clone()).unwrap_or_default(),
            ));
            let src = Path::new("templates/taxonomy_term.html");
            list_jobs(&mut jobs, config.paginate, "taxonomy_term.html", fixed, Some(term), &post_ctxs, &term.path, src);
        }
    }
    sitemap.extend(term_permalinks.iter().map(|(p, l)| SitemapEntry { permalink: p, lastmod: l }));
    jobs.push(Job::new(
        "404.html",
        "404.html".into(),
        "/404.html".into(),
        JobCtx::Values(Keyed::new()),
        Path::new("templates/404.html"),
    ));
    jobs.push(Job::new(
        "search.html",
        "search/index.html".into(),
        "/search/".into(),
        JobCtx::Values(Keyed::new()),
        Path::new("templates/search.html"),
    ));
    if config.playground {
        let mut ctx = Keyed::new();
        ctx.insert("versions", crate::semantics::axes::VERSIONS);
        ctx.insert("clients", crate::semantics::axes::CLIENTS);
        ctx.insert("faults", crate::semantics::axes::FAULTS);
        jobs.push(Job::new(
            "playground.html",
            "playground/index.html".into(),
            "/playground/".into(),
            JobCtx::Values(ctx),
            Path::new("templates/playground.html"),
        ));
    }
    let mut feed = Keyed::new();
    feed.insert("updated", post_ctxs.iter().map(|p| p.0.updated_iso.as_str()).max().unwrap_or_default().to_string());
    feed.insert("pages", feed_ctxs);
    feed.insert("feed_url", permalink(config, "/atom.xml"));
    jobs.push(Job::new(
        "atom.xml",
        "atom.xml".into(),
        "/atom.xml".into(),
        JobCtx::Values(feed),
        Path::new("templates/atom.xml"),
    ));
    sitemap.sort_by(|a, b| a.permalink.cmp(b.permalink));
    let mut sm = Keyed::new();
    sm.insert("entries", sitemap);
    jobs.push(Job::new(
        "sitemap.xml",
        "sitemap.xml".into(),
        "/sitemap.xml".into(),
        JobCtx::Values(sm),
        Path::new("templates/sitemap.xml"),
    ));
    jobs.push(Job::new(
        "robots.txt",
        "robots.txt".into(),
        "/robots.txt".into(),
        JobCtx::Values(Keyed::new()),
        Path::new("templates/robots.txt"),
    ));
    let clashes = built_in_clashes(&mut jobs, pages);

    // The shared context, hashed once; each job adds its own values and its templates' texts.
    let global = std::hash::Hasher::finish(&base.h);
    let template_hash = template_hashes(templates);
    let base = base.context();
    let previous = memo.outputs.take();
    // Each result: the job's key, its file as the sink kept it, and the bytes for the memo when
    // they were rendered just now.
    type JobResult = (u64, OutFile, Option<bytes::Bytes>);
    let remember = memo.outputs.is_enabled();
    let results: Vec<Result<JobResult, Box<Diagnostic>>> = jobs
        .into_par_iter()
        .map(|Job { tpl, out, path, ctx: job_ctx, src }| {
            let mut h = job_ctx.hasher();
            (global, template_hash.get(tpl), tpl, out.as_os_str(), &path).hash(&mut h);
            let key = h.finish();
            if let Some(bytes) = previous.get(&key) {
                let kept = sink.put(&out, bytes.clone());
                return Ok((key, (out, kept), None));
            }
            let bytes = render_job(tera, config, &base, tpl, &path, &job_ctx, src)?;
            let fresh = remember.then(|| bytes.clone());
            let kept = sink.put(&out, bytes);
            Ok((key, (out, kept), fresh))
        })
        .collect();
    // The search index's parts: each page's tokens, reused while the page's key is the same.
    let previous_search = memo.search.take();
    let (early_files, early_parts): (Vec<_>, Option<SearchParts>) = match early {
        Some(e) => {
            let (files, parts): (Vec<_>, Vec<_>) = e.into_iter().map(|e| (e.file, e.tokens)).unzip();
            (files.into_iter().flatten().collect(), Some(parts))
        }
        None => (Vec::new(), None),
    };
    let parts: SearchParts = early_parts.unwrap_or_else(|| {
        pages
            .par_iter()
            .map(|rp| match previous_search.get(&rp.key) {
                Some(hit) => hit.clone(),
                None => page_tokens(config, rp),
            })
            .collect()
    });
    memo.search.put_all(previous_search, &keys, &parts);
    let mut files = Vec::with_capacity(early_files.len() + results.len() + 1);
    let mut diags = clashes;
    // Pages made early come first, as their jobs would have.
    for r in early_files {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(*d),
        }
    }
    let mut used = Vec::with_capacity(results.len());
    let mut fresh = Vec::new();
    for r in results {
        match r {
            Ok((key, f, rendered)) => {
                used.push(key);
                if let Some(bytes) = rendered {
                    fresh.push((key, bytes));
                }
                files.push(f);
            }
            Err(d) => diags.push(*d),
        }
    }
    memo.outputs.put(previous, fresh, &used);
    (files, diags, parts)
}

/// Static files: the default theme's assets, overridden by the site's `static/`.
pub fn static_files(site_static: &[(PathBuf, Vec<u8>)]) -> Vec<OutFile> {
    let mut all: BTreeMap<PathBuf, bytes::Bytes> = BTreeMap::new();
    fn walk(dir: &Dir<'static>, out: &mut BTreeMap<PathBuf, bytes::Bytes>) {
        for f in dir.files() {
            out.insert(f.path().to_path_buf(), bytes::Bytes::from_static(f.contents()));
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    walk(&DEFAULT_STATIC, &mut all);
    for (p, b) in site_static {
        all.insert(p.clone(), bytes::Bytes::copy_from_slice(b));
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
