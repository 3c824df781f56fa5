//! Content: the site's source files read into memory, and Markdown pages with validated front matter.
//!
//! Vocabulary: a *source* is a file as read from disk; a *page* is a Markdown source with its front
//! matter parsed and its URL decided. Posts live under `content/posts/` (dated, listed on the home
//! page, in the feed and the taxonomies); every other `.md` file is a standalone page;
//! `content/index.md` is the home page's own text. Other files under `content/` are assets copied
//! beside the pages.

pub mod frontmatter;
pub mod load;
pub mod yaml;

use crate::config::{CONFIG_FILE, Config};
use crate::diag::Diagnostic;
use frontmatter::FrontMatter;
use std::path::{Path, PathBuf};

/// Everything semdoc reads from a site directory, held in memory so that later stages do no IO.
#[derive(Debug, Default, Clone)]
pub struct SiteSource {
    pub root: PathBuf,
    pub config_text: Option<String>,
    /// Markdown files under `content/`: (path relative to `content/`, text).
    pub markdown: Vec<(PathBuf, String)>,
    /// Other files under `content/`, copied as they are.
    pub assets: Vec<(PathBuf, Vec<u8>)>,
    /// Files under `templates/`: (name relative to `templates/`, text).
    pub templates: Vec<(String, String)>,
    /// Files under `static/`: (path relative to `static/`, bytes).
    pub static_files: Vec<(PathBuf, Vec<u8>)>,
    /// Problems met while reading (unreadable files, invalid UTF-8, dangling links).
    pub diagnostics: Vec<Diagnostic>,
}

/// Read a site directory into memory. Fails only when the root itself cannot be used.
pub fn load_site(root: &Path) -> anyhow::Result<SiteSource> {
    use anyhow::Context;
    let meta = std::fs::metadata(root).with_context(|| format!("cannot open site directory {}", root.display()))?;
    anyhow::ensure!(meta.is_dir(), "{} is not a directory", root.display());
    let mut src = SiteSource { root: root.to_path_buf(), ..Default::default() };
    let cfg = root.join(CONFIG_FILE);
    if cfg.exists() {
        let text = std::fs::read_to_string(&cfg).with_context(|| format!("cannot read {}", cfg.display()))?;
        src.config_text = Some(text);
    }
    let content = root.join("content");
    let (files, diags) = load::walk_files(&content, root);
    src.diagnostics.extend(diags);
    for f in files {
        let shown = Path::new("content").join(&f.rel);
        match std::fs::read(&f.abs) {
            Ok(bytes) if f.rel.extension().is_some_and(|e| e == "md" || e == "markdown") => {
                match String::from_utf8(bytes) {
                    Ok(text) => src.markdown.push((f.rel, text)),
                    Err(e) => {
                        let (line, col) = line_col_of_byte(e.as_bytes(), e.utf8_error().valid_up_to());
                        src.diagnostics.push(
                            Diagnostic::error(&shown, line, col, "encoding", "file is not valid UTF-8")
                                .with_hint("save the file as UTF-8 (semdoc reads Markdown only as UTF-8)"),
                        );
                    }
                }
            }
            Ok(bytes) => src.assets.push((f.rel, bytes)),
            Err(e) => src.diagnostics.push(Diagnostic::error(&shown, 0, 0, "io", format!("cannot read: {e}"))),
        }
    }
    let (files, diags) = load::walk_files(&root.join("templates"), root);
    src.diagnostics.extend(diags);
    for f in files {
        let shown = Path::new("templates").join(&f.rel);
        match std::fs::read_to_string(&f.abs) {
            Ok(text) => src.templates.push((f.rel.to_string_lossy().replace('\\', "/"), text)),
            Err(e) => src.diagnostics.push(Diagnostic::error(&shown, 0, 0, "io", format!("cannot read template: {e}"))),
        }
    }
    let (files, diags) = load::walk_files(&root.join("static"), root);
    src.diagnostics.extend(diags);
    for f in files {
        match std::fs::read(&f.abs) {
            Ok(bytes) => src.static_files.push((f.rel, bytes)),
            Err(e) => src.diagnostics.push(Diagnostic::error(
                &Path::new("static").join(&f.rel),
                0,
                0,
                "io",
                format!("cannot read: {e}"),
            )),
        }
    }
    Ok(src)
}

fn line_col_of_byte(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, col)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageKind {
    Home,
    Post,
    Page,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Path shown in diagnostics (`content/posts/x.md`).
    pub source: PathBuf,
    pub kind: PageKind,
    pub front: FrontMatter,
    pub body: String,
    /// 1-based file line of the first body line (for diagnostics from the Markdown stage).
    pub body_line: usize,
    pub slug: String,
    /// URL path with leading and trailing slash (`/posts/kafka/`), without `base_path`.
    pub path: String,
    /// Output file relative to the output directory (`posts/kafka/index.html`).
    pub out_file: PathBuf,
}

/// Turn Markdown sources into pages: split and validate front matter, decide slugs and URLs, drop
/// drafts unless asked. Returns pages sorted by URL plus every problem found.
pub fn parse_pages(src: &SiteSource, config: &Config, drafts: bool) -> (Vec<Page>, Vec<Diagnostic>) {
    let mut pages = Vec::new();
    let mut diags = Vec::new();
    for (rel, text) in &src.markdown {
        let shown = Path::new("content").join(rel);
        let split = match frontmatter::split_front_matter(text, &shown) {
            Ok(s) => s,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let front = match split.front {
            Some(f) => {
                let (fm, d) = frontmatter::parse_front_matter(f, &shown, split.front_line, config.timezone);
                let fatal = d.iter().any(Diagnostic::is_error);
                diags.extend(d);
                if fatal {
                    continue;
                }
                fm
            }
            None => FrontMatter::default(),
        };
        if front.draft && !drafts {
            continue;
        }
        let kind = page_kind(rel);
        let slug = front.slug.clone().unwrap_or_else(|| slug_from_file(rel));
        if kind == PageKind::Post && front.date.is_none() {
            diags.push(
                Diagnostic::warning(
                    &shown,
                    split.front_line.max(1),
                    1,
                    "date",
                    "post has no `date`; it is listed last",
                )
                .with_hint("add `date: YYYY-MM-DD HH:MM:SS +0900` to the front matter"),
            );
        }
        let (path, out_file) = url_of(rel, kind, &slug);
        let mut front = front;
        if front.title.is_empty() && kind != PageKind::Home {
            front.title = slug.clone();
        }
        pages.push(Page {
            source: shown,
            kind,
            front,
            body: split.body.to_string(),
            body_line: split.body_line,
            slug,
            path,
            out_file,
        });
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path).then(a.source.cmp(&b.source)));
    // Two sources mapping to one URL would silently overwrite each other: report both.
    for pair in pages.windows(2) {
        if pair[0].path == pair[1].path {
            diags.push(
                Diagnostic::error(
                    &pair[1].source,
                    1,
                    1,
                    "duplicate-url",
                    format!("this page and {} both map to {}", pair[0].source.display(), pair[0].path),
                )
                .with_hint("give one of them a different `slug` in its front matter, or rename the file"),
            );
        }
    }
    (pages, diags)
}

fn page_kind(rel: &Path) -> PageKind {
    if rel == Path::new("index.md") || rel == Path::new("_index.md") {
        PageKind::Home
    } else if rel.components().next().is_some_and(|c| c.as_os_str() == "posts") {
        PageKind::Post
    } else {
        PageKind::Page
    }
}

/// File stem without a Jekyll `YYYY-MM-DD-` prefix; spaces become `-`.
pub fn slug_from_file(rel: &Path) -> String {
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-';
    let s = if dated { &stem[11..] } else { &stem[..] };
    s.split_whitespace().collect::<Vec<_>>().join("-")
}

fn url_of(rel: &Path, kind: PageKind, slug: &str) -> (String, PathBuf) {
    if kind == PageKind::Home {
        return ("/".into(), PathBuf::from("index.html"));
    }
    let parent: Vec<String> = rel
        .parent()
        .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let is_index = matches!(rel.file_stem().and_then(|s| s.to_str()), Some("index" | "_index"));
    let mut segs = parent;
    if !is_index {
        segs.push(slug.to_string());
    }
    let path = format!("/{}/", segs.join("/"));
    let mut out = PathBuf::new();
    for s in &segs {
        out.push(s);
    }
    out.push("index.html");
    (path, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> SiteSource {
        SiteSource {
            markdown: files.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn urls_and_kinds() {
        let src = site(&[
            ("index.md", "# hi"),
            ("posts/2024-08-03-kafka-delivery.md", "---\ntitle: K\ndate: 2024-08-03\n---\nbody"),
            ("about-checks.md", "---\ntitle: A\n---\n"),
            ("docs/index.md", "---\ntitle: D\n---\n"),
            ("posts/custom.md", "---\ntitle: C\nslug: 멱등성\ndate: 2024-01-01\n---\n"),
        ]);
        let (pages, diags) = parse_pages(&src, &Config::default(), false);
        assert!(diags.is_empty(), "{diags:?}");
        let got: Vec<(&str, PageKind, String)> =
            pages.iter().map(|p| (p.path.as_str(), p.kind, p.out_file.display().to_string())).collect();
        assert_eq!(
            got,
            vec![
                ("/", PageKind::Home, "index.html".into()),
                ("/about-checks/", PageKind::Page, "about-checks/index.html".into()),
                ("/docs/", PageKind::Page, "docs/index.html".into()),
                ("/posts/kafka-delivery/", PageKind::Post, "posts/kafka-delivery/index.html".into()),
                ("/posts/멱등성/", PageKind::Post, "posts/멱등성/index.html".into()),
            ]
        );
        assert_eq!(pages[3].body_line, 5);
    }

    #[test]
    fn drafts_are_dropped_unless_asked() {
        let src = site(&[
            ("posts/a.md", "---\ntitle: A\ndraft: true\ndate: 2024-01-01\n---\n"),
            ("posts/b.md", "---\npublished: false\ndate: 2024-01-01\n---\n"),
        ]);
        assert_eq!(parse_pages(&src, &Config::default(), false).0.len(), 0);
        assert_eq!(parse_pages(&src, &Config::default(), true).0.len(), 2);
    }

    #[test]
    fn duplicate_urls_are_errors() {
        let src = site(&[
            ("posts/a.md", "---\ndate: 2024-01-01\n---\n"),
            ("posts/b.md", "---\nslug: a\ndate: 2024-01-01\n---\n"),
        ]);
        let (_, diags) = parse_pages(&src, &Config::default(), false);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "duplicate-url");
    }
}
