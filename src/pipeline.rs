//! The build pipeline, one call per stage, read top to bottom:
//! load → config → front matter → Markdown → templates → (write).
//!
//! `check` is the same pipeline without the write; `build` writes only when no error was found.

use crate::config::{self, Config};
use crate::content::{self, SiteSource};
use crate::diag::{self, Diagnostic};
use crate::markdown::{self, MarkdownOptions};
use crate::output;
use crate::render::{self, OutFile, RenderedPage};
use crate::semantics::Classifier;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output directory; relative paths are resolved against `root`.
    pub output: PathBuf,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Generate the playground when the site asks for it (`check` does not: it writes nothing).
    pub playground: bool,
    /// How the site is read (symlink targets allowed, empty sites).
    pub load: content::LoadOptions,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: PathBuf::from("public"),
            drafts: false,
            base_url: None,
            playground: true,
            load: content::LoadOptions::default(),
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        if self.output.is_absolute() { self.output.clone() } else { self.root.join(&self.output) }
    }
}

/// What a build or check found and did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Time spent in each stage (`build --timings` prints them).
    pub phases: Vec<(&'static str, Duration)>,
    /// Every snippet and table row that was checked, passed or not.
    pub cases: Vec<crate::verify::Case>,
    /// Markdown sources by display path, for excerpts in human-readable diagnostics.
    pub sources: BTreeMap<PathBuf, String>,
    /// HTML pages rendered (content pages, taxonomy pages, 404).
    pub pages: usize,
    /// Files in the output (pages, feeds, assets).
    pub files: usize,
    pub elapsed: Duration,
    /// The output directory was replaced.
    pub written: bool,
    /// Nothing changed since the build that wrote the output directory; nothing was written.
    pub unchanged: bool,
    /// What else the build did that the user should hear of, one line each (staging directories
    /// of killed builds removed).
    pub notes: Vec<String>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// The site rendered in memory.
pub struct Built {
    pub files: Vec<OutFile>,
    /// Files made only when asked for (`serve` defers the search index: assembling it is the
    /// one site-wide step an edit would otherwise pay for). Empty unless the memo defers.
    pub deferred: Vec<(PathBuf, Deferred)>,
    pub report: Report,
}

/// A file's bytes, computed on first request.
pub type Deferred = Box<dyn FnOnce() -> bytes::Bytes + Send + Sync>;

/// Run every stage except writing. Fails only when the site cannot be read at all.
pub fn render(opts: &BuildOptions) -> anyhow::Result<Built> {
    let (memo, stored) = one_shot_memo();
    let built = render_with(opts, &Classifier::new(), &memo);
    save_stored(memo, stored);
    built
}

/// The memo of a one-shot run (`build`, `check`): nothing kept in memory, the highlighted blocks
/// earlier runs stored (`save_stored` folds this run's in afterwards).
fn one_shot_memo() -> (Memo, Option<crate::cache::Fragments>) {
    let stored = crate::cache::load_fragments();
    (Memo { fragments: stored.as_ref().map(|f| f.store.clone()), ..Memo::default() }, stored)
}

fn save_stored(memo: Memo, stored: Option<crate::cache::Fragments>) {
    drop(memo);
    if let Some(f) = stored {
        crate::cache::save_fragments(f);
    }
}

/// What a long-running process (`serve`) keeps between rebuilds so that an edit redoes only what it
/// touched. Every entry is keyed by everything its result depends on, so a hit is always what a
/// fresh render would produce; entries not used by the latest render are dropped.
#[derive(Default)]
pub struct Memo {
    /// `Memo::default()` remembers nothing (one-shot builds); `Memo::enabled()` does.
    enabled: bool,
    /// Hand the search index back as a deferred file instead of assembling it.
    pub defer_search: bool,
    /// Leave `Report::cases` empty (`check`'s outputs list the cases; `serve` shows only
    /// diagnostics, and copying 10 000 cases per rebuild is not free).
    pub skip_cases: bool,
    /// Per source: its page and front-matter problems.
    parse: content::ParseMemo,
    /// Per page: Markdown rendered and verified, with its cases and diagnostics.
    pages: crate::memo::Store<PageResult>,
    /// Per template job: the rendered bytes.
    pub(crate) outputs: render::OutputMemo,
    /// The playground's files (they depend only on the classifier, which is fixed per process).
    playground: Mutex<Option<Vec<OutFile>>>,
    /// Highlighted blocks kept between runs (one-shot `build` and `check`; `serve` keeps its
    /// own memos in memory).
    fragments: Option<std::sync::Arc<markdown::Fragments>>,
}

impl Memo {
    pub fn enabled() -> Self {
        Memo {
            enabled: true,
            pages: crate::memo::Store::enabled(),
            outputs: render::OutputMemo::enabled(),
            ..Default::default()
        }
    }
    /// `serve`'s memo: remembers everything and defers the search index to its first request.
    pub fn for_serve() -> Self {
        Memo { defer_search: true, skip_cases: true, ..Memo::enabled() }
    }
}

/// Shared, so that reusing it costs a reference count, not a copy of its cases and diagnostics.
type PageResult = std::sync::Arc<(std::sync::Arc<markdown::Rendered>, Vec<crate::verify::Case>, Vec<Diagnostic>)>;

/// `render` with a caller-owned classifier, so that `serve` keeps its memo of checked models
/// across rebuilds (a model's verdict depends only on its parameters, fault model and bounds).
pub fn render_with(opts: &BuildOptions, classifier: &Classifier, memo: &Memo) -> anyhow::Result<Built> {
    let started = Instant::now();
    let src = content::load_site(&opts.root, &opts.load)?;
    let loaded = if classifier.distinct() == 0 { crate::cache::load(classifier) } else { 0 };
    let mut built = render_source(&src, opts, classifier, memo);
    crate::cache::save(classifier, loaded);
    built.report.elapsed = started.elapsed();
    Ok(built)
}

/// The pure part of the pipeline: from sources in memory to output files in memory.
pub fn render_source(src: &SiteSource, opts: &BuildOptions, classifier: &Classifier, memo: &Memo) -> Built {
    render_source_to(src, opts, classifier, memo, &render::InMemory)
}

/// `render_source`, handing each finished file to `sink` as soon as it is made (`build` passes
/// the staging directory, so pages are written while others render and are not all held in
/// memory; `Built::files` then has the paths with whatever the sink kept).
pub fn render_source_to(
    src: &SiteSource,
    opts: &BuildOptions,
    classifier: &Classifier,
    memo: &Memo,
    sink: &dyn render::Sink,
) -> Built {
    let mut diags = src.diagnostics.clone();
    let (mut config, d) = match &src.config_text {
        Some(text) if src.layout == content::Layout::Jekyll => {
            let (c, d, _) = content::jekyll::load_config(text, opts.base_url.as_deref());
            (c, d)
        }
        Some(text) => config::load_config(text, Path::new(config::CONFIG_FILE), opts.base_url.as_deref()),
        None => config::validate_config(
            config::RawConfig::default(),
            Path::new(config::CONFIG_FILE),
            "",
            opts.base_url.as_deref(),
        ),
    };
    diags.extend(d);
    let mut phases = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        phases.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let (mut pages, d) = content::parse_pages_with(src, &config, opts.drafts, memo.enabled.then_some(&memo.parse));
    diags.extend(d);
    if config.jekyll.is_some() {
        let (menu, kept) = content::jekyll_tabs(pages, &config);
        config.menu.extend(menu);
        pages = kept;
    }
    let config = config;
    lap("front matter");
    // A template that does not load breaks every page that uses it: its errors are the root cause,
    // reported first and alone (the pages it failed to make, and the links to them, are not).
    let (tera, template_diags) = memo.outputs.templates(&src.templates);
    let templates_broken = template_diags.iter().any(Diagnostic::is_error);
    // A one-shot build renders each page's own template right after its Markdown and then drops
    // the page's HTML, so the site's HTML is never all in memory; `serve` keeps everything in its
    // memo and renders in two passes.
    let early = (!memo.enabled).then(|| render::PageEarly::new(&tera, &config, sink));
    let one_pass = early.is_some();
    let (rendered, cases, d, early) =
        render_and_verify(pages, &config, &src.includes, &src.included, classifier, memo, early.as_ref());
    diags.extend(d);
    lap(if one_pass { "markdown+verify+pages" } else { "markdown+verify" });
    let (mut files, d, search_parts) =
        render::render_site(&tera, &config, &rendered, &src.templates, &memo.outputs, sink, early);
    if !templates_broken {
        diags.extend(d);
    }
    lap("lists");
    // Files from here on (search index, playground, assets) go to the sink below.
    let from_templates = files.len();
    let search_path = PathBuf::from("search/index.json");
    let mut deferred: Vec<(PathBuf, Deferred)> = Vec::new();
    if memo.defer_search {
        deferred.push((search_path, Box::new(move || render::search::assemble(&search_parts).into())));
    } else {
        files.push((search_path, render::search::assemble(&search_parts).into()));
        lap("search index");
    }
    let pages = files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html")).count();
    if config.playground && opts.playground {
        if memo.enabled {
            let mut cached = memo.playground.lock().expect("memo lock");
            let generated = cached.get_or_insert_with(|| crate::playground::generate(classifier));
            files.extend(generated.iter().cloned());
        } else {
            files.extend(crate::playground::generate(classifier));
        }
        lap("playground");
    }
    let later: Vec<PathBuf> = deferred.iter().map(|(p, _)| p.clone()).collect();
    let d = add_assets(&mut files, &later, src);
    diags.extend(d);
    files[from_templates..].par_iter_mut().for_each(|(p, b)| *b = sink.put(p, std::mem::take(b)));
    lap("assets");
    let index =
        crate::verify::links::SiteIndex::new(&files, deferred.iter().map(|(p, _)| p.as_path())).reading_back(sink);
    let link_diags: Vec<Vec<Diagnostic>> = rendered
        .par_iter()
        .filter(|_| !templates_broken)
        .map(|rp| {
            crate::verify::links::check_links(
                &index,
                &config.base_path,
                &rp.page.path,
                &rp.page.source,
                rp.page.body_line,
                &rp.md.links,
            )
        })
        .collect();
    diags.extend(link_diags.into_iter().flatten());
    lap("links");
    drop(index);
    diag::sort(&mut diags);
    diags.splice(0..0, template_diags);
    let files_n = files.len() + deferred.len();
    let sources = sources_of(src, &diags);
    Built {
        files,
        deferred,
        report: Report {
            diagnostics: diags,
            cases,
            phases,
            sources,
            pages,
            files: files_n,
            elapsed: Duration::ZERO,
            written: false,
            unchanged: false,
            notes: Vec::new(),
        },
    }
}

/// Markdown and verification for every page, in parallel, reusing the memo's result for a page whose
/// text and inputs did not change. Verification shares one classifier, so identical configurations
/// are checked once per build.
#[allow(clippy::type_complexity)]
fn render_and_verify(
    pages: Vec<std::sync::Arc<content::Page>>,
    config: &Config,
    includes: &[(String, String)],
    included: &content::include::IncludedFiles,
    classifier: &Classifier,
    memo: &Memo,
    early: Option<&render::PageEarly>,
) -> (Vec<RenderedPage>, Vec<crate::verify::Case>, Vec<Diagnostic>, Option<Vec<render::Early>>) {
    use std::hash::{Hash, Hasher};
    let opts = MarkdownOptions {
        link_prefix: config.base_path.to_string(),
        fragments: memo.fragments.clone(),
        lang: crate::i18n::Lang::of(&config.language),
        ..MarkdownOptions::default()
    };
    let playground = config.playground.then(|| format!("{}/playground/", config.base_path));
    // Links to Markdown sources (`other-post.md`) become their pages' URLs: every page's
    // Markdown reads this map, so its hash is part of every page's memo key.
    let targets: std::sync::Arc<rustc_hash::FxHashMap<PathBuf, String>> =
        std::sync::Arc::new(pages.iter().map(|p| (p.source.clone(), p.path.clone())).collect());
    let targets_hash = {
        let mut sorted: Vec<(&PathBuf, &String)> = targets.iter().collect();
        sorted.sort();
        let mut h = rustc_hash::FxHasher::default();
        sorted.hash(&mut h);
        h.finish()
    };
    let content_dir: &'static Path = if config.jekyll.is_some() { Path::new("") } else { Path::new("content") };
    let fingerprint = config.fingerprint() ^ targets_hash.rotate_left(1);
    let liquid_site = LiquidSite::new(&pages, config, includes);
    let included: std::sync::Arc<content::include::IncludedFiles> = std::sync::Arc::new(included.clone());
    let previous = memo.pages.take();
    // Pages whose bodies a list shows keep their HTML when it is dropped early.
    let listed: rustc_hash::FxHashSet<String> = match early {
        Some(_) => {
            let all: Vec<&content::Page> = pages.iter().map(|p| p.as_ref()).collect();
            render::bodies_listed(&all).into_iter().map(str::to_string).collect()
        }
        None => Default::default(),
    };
    // Each post's newer and older neighbours, from front matter alone (so a one-shot build can
    // render a post as soon as its own Markdown is done).
    let neighbours: Vec<render::Neighbours> = {
        let all: Vec<&content::Page> = pages.iter().map(|p| p.as_ref()).collect();
        let mut by_path = render::neighbours(&all);
        pages.iter().map(|p| by_path.remove(p.path.as_str()).unwrap_or_default()).collect()
    };
    let results: Vec<(RenderedPage, PageResult, bool, Option<render::Early>)> = pages
        .into_par_iter()
        .zip(neighbours)
        .map(|(page, neighbours)| {
            // The page's identity (its source and what parsing read) and the config: everything
            // its Markdown, verification and template contexts read.
            let mut h = rustc_hash::FxHasher::default();
            (page.key, fingerprint, &neighbours).hash(&mut h);
            // Liquid reads other pages' URLs (`post_url`, `link`) and the includes.
            let liquid = !page.front.no_liquid && markdown::liquid::has_liquid(&page.body);
            if liquid {
                liquid_site.fingerprint.hash(&mut h);
            }
            // An including page reads its included files.
            let base = page.source.parent().unwrap_or(Path::new("")).to_path_buf();
            for target in content::include::requests(&page.body) {
                let key = content::include::key(&base, &target);
                (&key, included.get(&key)).hash(&mut h);
            }
            let key = h.finish();
            if let Some(hit) = previous.get(&key) {
                return (RenderedPage { page, md: hit.0.clone(), key, neighbours }, hit.clone(), false, None);
            }
            let mut defaults = config.semdoc.clone();
            defaults.extend(page.front.semdoc.clone());
            let page_opts = {
                let targets = targets.clone();
                let source = page.source.clone();
                let jekyll = config.jekyll.clone();
                let subpath = page.front.media_subpath.clone();
                let rewrite = move |href: &str, image: bool| {
                    if image {
                        return jekyll.as_ref().and_then(|j| content::chirpy_image(j, subpath.as_deref(), href));
                    }
                    content::resolve_source_link(&targets, content_dir, &source, href)
                };
                let included = included.clone();
                let include = move |info: &str| content::include::resolve(info, &base, &included);
                MarkdownOptions {
                    rewrite: Some(markdown::LinkRewrite(std::sync::Arc::new(rewrite))),
                    include: Some(markdown::IncludeHook(std::sync::Arc::new(include))),
                    math: page.front.math,
                    ..opts.clone()
                }
            };
            let lctx = liquid.then(|| liquid_site.context(&page));
            let mut md = markdown::render_page(&page.body, &page_opts, lctx.as_ref());
            let findings = std::mem::take(&mut md.findings);
            let ctx = crate::verify::check::PageCtx {
                path: &page.source,
                body_line: page.body_line,
                defaults,
                playground: playground.clone(),
                ui: crate::i18n::Lang::of(&config.language),
            };
            let (cases, mut diags) = crate::verify::check::verify_page(classifier, &ctx, &mut md);
            diags.extend(findings.into_iter().map(|f| {
                let d = Diagnostic::error(&page.source, page.body_line + f.line - 1, f.col, f.code, f.message);
                Diagnostic { severity: f.severity, ..d }.with_hint(f.hint)
            }));
            // Kept for the whole build: give back the capacity the HTML grew with while verdicts
            // were spliced in (heaptrack: half of a build's peak heap before this).
            md.html.shrink_to_fit();
            let mut rp = RenderedPage { page, md: std::sync::Arc::new(md), key, neighbours };
            let made = early.map(|e| {
                let made = e.render(&rp);
                if !listed.contains(rp.page.path.as_str())
                    && let Some(md) = std::sync::Arc::get_mut(&mut rp.md)
                {
                    md.html = String::new();
                }
                made
            });
            let result = std::sync::Arc::new((rp.md.clone(), cases, diags));
            (rp, result, true, made)
        })
        .collect();
    let used: Vec<u64> = results.iter().map(|(rp, ..)| rp.key).collect();
    let mut cases = Vec::new();
    let mut diags = Vec::new();
    let mut rendered = Vec::with_capacity(results.len());
    let mut fresh = Vec::new();
    let mut made = early.map(|_| Vec::with_capacity(results.len()));
    for (rp, result, new, early_page) in results {
        if let (Some(made), Some(e)) = (made.as_mut(), early_page) {
            made.push(e);
        }
        if !memo.skip_cases {
            cases.extend(result.1.iter().cloned());
        }
        diags.extend(result.2.iter().cloned());
        if new && memo.pages.is_enabled() {
            fresh.push((rp.key, result));
        }
        rendered.push(rp);
    }
    memo.pages.put(previous, fresh, &used);
    cases.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    (rendered, cases, diags, made)
}

/// What Liquid reads besides the page itself: the site's variables and every page's URL by post
/// name and by source path, plus a fingerprint of the part other pages decide.
struct LiquidSite {
    base: markdown::liquid::Context,
    fingerprint: u64,
}

impl LiquidSite {
    fn new(pages: &[std::sync::Arc<content::Page>], config: &Config, includes: &[(String, String)]) -> Self {
        use markdown::liquid::Value;
        use std::hash::{Hash, Hasher};
        let mut posts = BTreeMap::new();
        let mut files = BTreeMap::new();
        for p in pages {
            let source = p.source.to_string_lossy().replace('\\', "/");
            if p.kind == content::PageKind::Post
                && let Some(stem) = p.source.file_stem()
            {
                posts.insert(stem.to_string_lossy().into_owned(), p.path.clone());
            }
            files.insert(source, p.path.clone());
        }
        let mut h = rustc_hash::FxHasher::default();
        (&posts, &files, includes).hash(&mut h);
        let origin = config.base_url.strip_suffix(config.base_path.as_str()).unwrap_or(&config.base_url);
        let site: BTreeMap<String, Value> = [
            ("title", config.title.clone()),
            ("description", config.description.clone()),
            ("url", origin.to_string()),
            ("baseurl", config.base_path.clone()),
            ("lang", config.language.clone()),
            ("author", config.author.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::Str(v)))
        .collect();
        let base = markdown::liquid::Context {
            site,
            page: BTreeMap::new(),
            base_url: config.base_url.clone(),
            base_path: config.base_path.clone(),
            includes: std::sync::Arc::new(includes.iter().cloned().collect()),
            posts: std::sync::Arc::new(posts),
            files: std::sync::Arc::new(files),
        };
        LiquidSite { base, fingerprint: h.finish() }
    }

    /// The context for one page: the site's, plus `page.*`.
    fn context(&self, page: &content::Page) -> markdown::liquid::Context {
        use markdown::liquid::Value;
        let f = &page.front;
        let mut vars: BTreeMap<String, Value> = BTreeMap::new();
        vars.insert("title".into(), Value::Str(f.title.clone()));
        vars.insert("url".into(), Value::Str(page.path.clone()));
        vars.insert("slug".into(), Value::Str(page.slug.clone()));
        vars.insert("path".into(), Value::Str(page.source.to_string_lossy().into_owned()));
        vars.insert("categories".into(), Value::strings(&f.categories));
        vars.insert("tags".into(), Value::strings(&f.tags));
        if let Some(d) = &f.description {
            vars.insert("description".into(), Value::Str(d.clone()));
        }
        if let Some(d) = &f.date {
            vars.insert("date".into(), Value::Date { written: d.written.clone(), at: d.datetime });
        }
        markdown::liquid::Context { page: vars, ..self.base.clone() }
    }
}

/// Add highlight stylesheets, static files and content assets; report a source that would
/// overwrite a rendered page. Among themselves, later sources win (a site's `static/css/syntax.css`
/// replaces the generated one).
fn add_assets(files: &mut Vec<OutFile>, deferred: &[PathBuf], src: &SiteSource) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // The highlight stylesheets depend only on the embedded themes: made once per process.
    static GENERATED: std::sync::OnceLock<[(&str, bytes::Bytes); 3]> = std::sync::OnceLock::new();
    let generated = GENERATED.get_or_init(|| {
        [
            ("css/syntax.css", markdown::syntax_css().into_bytes().into()),
            ("css/syntax-light.css", markdown::syntax_css_light().into_bytes().into()),
            ("css/syntax-dark.css", markdown::syntax_css_dark().into_bytes().into()),
        ]
    });
    let mut extra: Vec<(PathBuf, String, bytes::Bytes)> =
        generated.iter().map(|(p, css)| (PathBuf::from(p), "generated".into(), css.clone())).collect();
    for (p, b) in render::static_files(&src.static_files) {
        let origin = format!("static/{}", p.display());
        extra.push((p, origin, b));
    }
    for (p, b) in &src.assets {
        extra.push((p.clone(), src.content_dir().join(p).display().to_string(), bytes::Bytes::copy_from_slice(b)));
    }
    // The few asset paths, looked up in the many rendered ones (not the other way round).
    let wanted: rustc_hash::FxHashSet<&std::ffi::OsStr> = extra.iter().map(|(p, _, _)| p.as_os_str()).collect();
    let taken: rustc_hash::FxHashSet<PathBuf> = files
        .iter()
        .map(|(p, _)| p)
        .chain(deferred.iter())
        .filter(|p| wanted.contains(p.as_os_str()))
        .cloned()
        .collect();
    drop(wanted);
    let mut by_path: BTreeMap<PathBuf, bytes::Bytes> = BTreeMap::new();
    for (p, origin, bytes) in extra {
        if taken.contains(&p) {
            diags.push(
                Diagnostic::error(
                    Path::new(&origin),
                    0,
                    0,
                    "duplicate-url",
                    format!("{origin} would overwrite a rendered page at /{}", p.display()),
                )
                .with_hint("rename or move the file"),
            );
            continue;
        }
        by_path.insert(p, bytes);
    }
    files.extend(by_path);
    diags
}

/// `semdoc check`: the whole pipeline, no writing.
pub fn check(opts: &BuildOptions) -> anyhow::Result<Report> {
    let opts = BuildOptions { playground: false, ..opts.clone() };
    Ok(render(&opts)?.report)
}

/// `semdoc build`: render, then replace the output directory only if nothing failed. When every
/// source byte, the options and semdoc itself are what the output directory was last built from,
/// and nobody touched the output since, nothing is rendered or written (the site cache).
pub fn build(opts: &BuildOptions) -> anyhow::Result<Report> {
    build_with(opts, output::Overwrite::OnlySemdocs)
}

/// `build`, saying whether an output directory semdoc did not make may be replaced (`--force`).
pub fn build_with(opts: &BuildOptions, overwrite: output::Overwrite) -> anyhow::Result<Report> {
    let started = Instant::now();
    let out = opts.output_dir();
    output::ensure_output_is_safe(&opts.root, &out)?;
    output::ensure_output_is_ours(&out, overwrite)?;
    let src = content::load_site(&opts.root, &opts.load)?;
    let read = started.elapsed();
    let options = [
        format!("drafts={}", opts.drafts),
        format!("base_url={:?}", opts.base_url),
        format!("playground={}", opts.playground),
    ];
    let options: Vec<&str> = options.iter().map(String::as_str).collect();
    let key = crate::cache::site_key(&src, &options);
    if out.is_dir()
        && let Some((diagnostics, pages, files)) = crate::cache::unchanged_site(&out, &key)
    {
        return Ok(Report {
            sources: sources_of(&src, &diagnostics),
            diagnostics,
            pages,
            files,
            elapsed: started.elapsed(),
            unchanged: true,
            ..Report::default()
        });
    }
    let mut clock = Instant::now();
    let classifier = Classifier::new();
    let loaded = crate::cache::load(&classifier);
    let (memo, stored) = one_shot_memo();
    let cache_read = clock.elapsed();
    // Files are written into a staging directory as they are made; it replaces `out` only if the
    // build has no errors, and is deleted otherwise (the previous output is never touched).
    let staging = output::Staging::new(&out, overwrite)?;
    let mut notes = Vec::new();
    if let [one] = staging.removed_abandoned() {
        notes.push(format!("removed {}, left by a build that did not finish", one.display()));
    } else if let [first, rest @ ..] = staging.removed_abandoned() {
        notes.push(format!(
            "removed {} staging directories left by builds that did not finish ({} and {} more)",
            rest.len() + 1,
            first.display(),
            rest.len()
        ));
    }
    let built = render_source_to(&src, opts, &classifier, &memo, &staging);
    clock = Instant::now();
    crate::cache::save(&classifier, loaded);
    save_stored(memo, stored);
    let mut report = built.report;
    report.phases.insert(0, ("read sources", read));
    report.phases.insert(1, ("read caches", cache_read));
    drop(built.files);
    // A file that could not be written fails the build, whatever else it found: the output stays.
    if let Some(e) = staging.take_failure() {
        return Err(e.context(format!("{} was left as it was", out.display())));
    }
    if !report.has_errors() {
        notes.extend(staging.commit()?);
        report.written = true;
        crate::cache::record_site(&out, &key, &report.diagnostics, report.pages, report.files);
    }
    report.phases.push(("replace output", clock.elapsed()));
    report.notes = notes;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The Markdown sources diagnostics point into (for excerpts in human-readable output).
fn sources_of(src: &SiteSource, diags: &[Diagnostic]) -> BTreeMap<PathBuf, String> {
    let dir = src.content_dir();
    let named: rustc_hash::FxHashSet<&Path> = diags.iter().filter_map(|d| d.path.strip_prefix(dir).ok()).collect();
    if named.is_empty() && src.included.is_empty() {
        return BTreeMap::new();
    }
    let mut out: BTreeMap<PathBuf, String> = src
        .markdown
        .iter()
        .filter(|m| named.contains(m.rel.as_path()))
        .map(|m| (dir.join(&m.rel), m.text.to_string()))
        .collect();
    // Included files are named from the site root.
    for d in diags {
        if let Some(content::include::Loaded::Text(t)) = src.included.get(&d.path) {
            out.entry(d.path.clone()).or_insert_with(|| t.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(posts: &[(&str, &str)], post_template: &str) -> SiteSource {
        SiteSource {
            config_text: Some("title: T\nbase_url: https://example.com\n".into()),
            markdown: posts.iter().map(|(p, t)| content::MdSource::new(PathBuf::from(p), t.to_string())).collect(),
            templates: vec![("post.html".into(), post_template.into())],
            ..Default::default()
        }
    }

    /// Whatever the memo reuses, the result is byte for byte what a fresh render produces.
    #[test]
    fn a_memoised_render_equals_a_fresh_one_after_each_edit() {
        let opts = BuildOptions::new("/nonexistent");
        let cl = Classifier::new();
        let memo = Memo::enabled();
        let serve_memo = Memo::for_serve();
        let a = "---\ntitle: A\ndate: 2024-01-01\ntags: [x]\n---\n\n```properties semdoc kafka=2.8\nacks=0\n```\n";
        let b = "---\ntitle: B\ndate: 2024-01-02\ntags: [x, y]\n---\n\nbody *b*\n";
        let b2 = "---\ntitle: B2\ndate: 2024-01-02\ntags: [y]\n---\n\nbody *b* edited\n";
        let c = "---\ntitle: C\ndate: 2024-01-03\ntags: [x]\n---\n\nc\n";
        let tpl = "{{ page.title }}|{{ page.content | safe }}";
        let mut paged = site(&[("posts/2024-01-01-a.md", a), ("posts/2024-01-02-b.md", b2), ("posts/c.md", c)], tpl);
        paged.config_text = Some("title: T\nbase_url: https://example.com\npaginate: 1\n".into());
        let mut paged_edit = paged.clone();
        paged_edit.markdown[0] =
            content::MdSource::new("posts/2024-01-01-a.md".into(), a.replace("acks=0", "acks=all"));
        // The newest post becomes the oldest: same terms, new positions in every list.
        let mut reordered = paged_edit.clone();
        reordered.markdown[2] = content::MdSource::new("posts/c.md".into(), c.replace("2024-01-03", "2023-12-31"));
        // More posts than the feed shows, and a home page with its own body: a one-shot render
        // drops the HTML of the posts no list shows right after their pages are made.
        let many: Vec<(String, String)> = (0..25)
            .map(|i| {
                let day = i % 28 + 1;
                (
                    format!("posts/p{i:02}.md"),
                    format!("---\ntitle: P{i}\ndate: 2024-02-{day:02}\n---\n\nword{i} *body*\n"),
                )
            })
            .chain([("index.md".to_string(), "---\ntitle: Home\n---\n\nhome body text\n".to_string())])
            .collect();
        let many: Vec<(&str, &str)> = many.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let steps = [
            site(&many, tpl),
            site(&[("posts/2024-01-01-a.md", a), ("posts/2024-01-02-b.md", b)], tpl),
            site(&[("posts/2024-01-01-a.md", a), ("posts/2024-01-02-b.md", b2)], tpl),
            site(&[("posts/2024-01-01-a.md", a), ("posts/2024-01-02-b.md", b2)], "<main>{{ page.title }}</main>"),
            site(&[("posts/2024-01-01-a.md", a)], "<main>{{ page.title }}</main>"),
            paged,
            paged_edit,
            reordered,
        ];
        for (i, src) in steps.iter().enumerate() {
            let fresh = render_source(src, &opts, &Classifier::new(), &Memo::default());
            for (which, m) in [("memo", &memo), ("serve memo", &serve_memo)] {
                let mut memoised = render_source(src, &opts, &cl, m);
                // The deferred search index, made now, is what a one-shot build writes.
                for (p, make) in std::mem::take(&mut memoised.deferred) {
                    memoised.files.push((p, make()));
                }
                let mut got: Vec<&OutFile> = memoised.files.iter().collect();
                let mut want: Vec<&OutFile> = fresh.files.iter().collect();
                got.sort_by(|x, y| x.0.cmp(&y.0));
                want.sort_by(|x, y| x.0.cmp(&y.0));
                assert_eq!(got.len(), want.len(), "step {i}, {which}");
                for (m, f) in got.iter().zip(&want) {
                    assert_eq!(m.0, f.0, "step {i}, {which}");
                    assert!(m.1 == f.1, "step {i}, {which}: {} differs", m.0.display());
                }
                assert_eq!(memoised.report.diagnostics, fresh.report.diagnostics, "step {i}, {which}");
                if !m.skip_cases {
                    assert_eq!(memoised.report.cases.len(), fresh.report.cases.len(), "step {i}, {which}");
                }
            }
        }
        assert!(
            render_source(&steps[5], &opts, &cl, &memo).files.iter().any(|(p, _)| p.ends_with("page/3/index.html")),
            "pagination is exercised"
        );
        // The one-shot render made every page, the index and the feed before dropping bodies.
        let fresh = render_source(&steps[0], &opts, &Classifier::new(), &Memo::default());
        let text = |path: &str| {
            let f = fresh.files.iter().find(|(p, _)| p.as_path() == Path::new(path)).expect(path);
            String::from_utf8_lossy(&f.1).into_owned()
        };
        assert!(text("posts/p00/index.html").contains("word0"), "the oldest post's page has its body");
        assert!(text("search/index.json").contains("word0"), "and its words are in the index");
        assert!(text("index.html").contains("home body text"), "the home page keeps its body");
        let feed = text("atom.xml");
        assert!(feed.contains("word24") && !feed.contains("word0"), "the feed has the newest bodies only");
        // The edit shows up (the memo did not serve the old page) and the tag list follows.
        let last = render_source(&steps[2], &opts, &cl, &memo);
        let b_page = last.files.iter().find(|(p, _)| p.ends_with("posts/b/index.html")).expect("b");
        assert!(String::from_utf8_lossy(&b_page.1).contains("edited"));
    }
}
