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
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: PathBuf::from("public"),
            drafts: false,
            base_url: None,
            playground: true,
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
    pub report: Report,
}

/// Run every stage except writing. Fails only when the site cannot be read at all.
pub fn render(opts: &BuildOptions) -> anyhow::Result<Built> {
    render_with(opts, &Classifier::new())
}

/// `render` with a caller-owned classifier, so that `serve` keeps its memo of checked models
/// across rebuilds (a model's verdict depends only on its parameters, fault model and bounds).
pub fn render_with(opts: &BuildOptions, classifier: &Classifier) -> anyhow::Result<Built> {
    let started = Instant::now();
    let src = content::load_site(&opts.root)?;
    let loaded = if classifier.distinct() == 0 { crate::cache::load(classifier) } else { 0 };
    let mut built = render_source(&src, opts, classifier);
    crate::cache::save(classifier, loaded);
    built.report.elapsed = started.elapsed();
    Ok(built)
}

/// The pure part of the pipeline: from sources in memory to output files in memory.
pub fn render_source(src: &SiteSource, opts: &BuildOptions, classifier: &Classifier) -> Built {
    let mut diags = src.diagnostics.clone();
    let (config, d) = match &src.config_text {
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
    let (pages, d) = content::parse_pages(src, &config, opts.drafts);
    diags.extend(d);
    lap("front matter");
    let mut rendered = render_markdown(pages, &config.base_path);
    lap("markdown");
    let (cases, d) = verify_pages(&mut rendered, &config, classifier);
    diags.extend(d);
    lap("verify");
    let (tera, d) = render::load_templates(&src.templates);
    diags.extend(d);
    let (mut files, d) = render::render_site(&tera, &config, &rendered);
    diags.extend(d);
    lap("templates");
    let pages = files.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html")).count();
    if config.playground && opts.playground {
        files.extend(crate::playground::generate(classifier));
        lap("playground");
    }
    let d = add_assets(&mut files, src, &config);
    diags.extend(d);
    lap("assets");
    let index = crate::verify::links::SiteIndex::new(&files);
    for rp in &rendered {
        diags.extend(crate::verify::links::check_links(
            &index,
            &config.base_path,
            &rp.page.path,
            &rp.page.source,
            rp.page.body_line,
            &rp.md.links,
        ));
    }
    lap("links");
    diag::sort(&mut diags);
    let files_n = files.len();
    let sources = sources_of(src);
    Built {
        files,
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
        },
    }
}

fn render_markdown(pages: Vec<content::Page>, base_path: &str) -> Vec<RenderedPage> {
    let opts = MarkdownOptions { link_prefix: base_path.to_string(), ..MarkdownOptions::default() };
    pages
        .into_par_iter()
        .map(|page| {
            let md = markdown::render_markdown(&page.body, &opts);
            RenderedPage { page, md }
        })
        .collect()
}

/// Classify every executable snippet and bound table row, page by page in parallel, sharing one
/// classifier so identical configurations are checked once per build.
fn verify_pages(
    pages: &mut [RenderedPage],
    config: &Config,
    classifier: &Classifier,
) -> (Vec<crate::verify::Case>, Vec<Diagnostic>) {
    let results: Vec<_> = pages
        .par_iter_mut()
        .map(|rp| {
            let mut defaults = config.semdoc.clone();
            defaults.extend(rp.page.front.semdoc.clone());
            let ctx = crate::verify::check::PageCtx {
                path: &rp.page.source,
                body_line: rp.page.body_line,
                defaults,
                playground: config.playground.then(|| format!("{}/playground/", config.base_path)),
            };
            crate::verify::check::verify_page(classifier, &ctx, &mut rp.md)
        })
        .collect();
    let mut cases = Vec::new();
    let mut diags = Vec::new();
    for (c, d) in results {
        cases.extend(c);
        diags.extend(d);
    }
    cases.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    (cases, diags)
}

/// Add highlight stylesheets, static files and content assets; report two sources writing one file.
fn add_assets(files: &mut Vec<OutFile>, src: &SiteSource, _config: &Config) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut by_path: BTreeMap<PathBuf, (String, Vec<u8>)> = BTreeMap::new();
    for (p, b) in files.drain(..) {
        by_path.insert(p, ("a rendered page".into(), b));
    }
    // Generated stylesheets first, so that `static/css/syntax.css` can replace them.
    let generated = [
        ("css/syntax.css", markdown::syntax_css()),
        ("css/syntax-light.css", markdown::syntax_css_light()),
        ("css/syntax-dark.css", markdown::syntax_css_dark()),
    ];
    let mut extra: Vec<(PathBuf, String, Vec<u8>)> =
        generated.into_iter().map(|(p, css)| (PathBuf::from(p), "generated".into(), css.into_bytes())).collect();
    for (p, b) in render::static_files(&src.static_files) {
        extra.push((p.clone(), format!("static/{}", p.display()), b));
    }
    for (p, b) in &src.assets {
        extra.push((p.clone(), format!("content/{}", p.display()), b.clone()));
    }
    for (p, origin, bytes) in extra {
        if let Some((prev, _)) = by_path.get(&p)
            && prev == "a rendered page"
        {
            diags.push(
                Diagnostic::error(
                    Path::new(&origin),
                    0,
                    0,
                    "duplicate-url",
                    format!("{origin} would overwrite {prev} at /{}", p.display()),
                )
                .with_hint("rename or move the file"),
            );
            continue;
        }
        by_path.insert(p, (origin, bytes));
    }
    files.extend(by_path.into_iter().map(|(p, (_, b))| (p, b)));
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
    let started = Instant::now();
    let out = opts.output_dir();
    output::ensure_output_is_safe(&opts.root, &out)?;
    let src = content::load_site(&opts.root)?;
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
            diagnostics,
            sources: sources_of(&src),
            pages,
            files,
            elapsed: started.elapsed(),
            unchanged: true,
            ..Report::default()
        });
    }
    let classifier = Classifier::new();
    let loaded = crate::cache::load(&classifier);
    let built = render_source(&src, opts, &classifier);
    crate::cache::save(&classifier, loaded);
    let mut report = built.report;
    if !report.has_errors() {
        output::write_site(&out, &built.files)?;
        report.written = true;
        crate::cache::record_site(&out, &key, &report.diagnostics, report.pages, report.files);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

fn sources_of(src: &SiteSource) -> BTreeMap<PathBuf, String> {
    src.markdown.iter().map(|(p, t)| (Path::new("content").join(p), t.clone())).collect()
}
