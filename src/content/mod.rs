//! Content: the site's source files read into memory, and Markdown pages with validated front matter.
//!
//! Vocabulary: a *source* is a file as read from disk; a *page* is a Markdown source with its front
//! matter parsed and its URL decided. Posts live under `content/posts/` (dated, listed on the home
//! page, in the feed and the taxonomies); every other `.md` file is a standalone page;
//! `content/index.md` is the home page's own text. Other files under `content/` are assets copied
//! beside the pages.
//!
//! A root with `_config.yml` and no `site.yaml` is a Jekyll site, read in place (`Layout::Jekyll`,
//! rules in `jekyll`): Markdown sources are then named from the root (`_posts/…`, `_tabs/…`).

pub mod frontmatter;
pub mod include;
pub mod jekyll;
pub mod load;
pub mod permalink;
pub mod yaml;
pub mod zone;

use crate::config::{CONFIG_FILE, Config};
use crate::diag::Diagnostic;
use frontmatter::FrontMatter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a site directory is laid out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// `site.yaml`, `content/`, `templates/`, `static/`.
    #[default]
    Semdoc,
    /// `_config.yml`, `_posts/`, `_drafts/`, collections such as `_tabs/`, pages and assets
    /// anywhere else, built in place.
    Jekyll,
}

/// Which layout `root` has: `site.yaml` makes it a semdoc site, else `_config.yml` a Jekyll
/// site, else a `content/` folder a semdoc site without config. Anything else is refused.
pub fn detect(root: &Path) -> anyhow::Result<Layout> {
    if root.join(CONFIG_FILE).exists() {
        Ok(Layout::Semdoc)
    } else if root.join(jekyll::CONFIG_FILE).exists() {
        Ok(Layout::Jekyll)
    } else if root.join("content").is_dir() {
        Ok(Layout::Semdoc)
    } else {
        anyhow::bail!(
            "{} is not a site: semdoc looks for `site.yaml` (a semdoc site), `_config.yml` (a Jekyll or Chirpy \
             site, built in place) or a `content/` folder, and found none; `semdoc init` creates a site",
            root.display()
        )
    }
}

/// Everything semdoc reads from a site directory, held in memory so that later stages do no IO.
#[derive(Debug, Default, Clone)]
pub struct SiteSource {
    pub root: PathBuf,
    pub layout: Layout,
    /// `site.yaml`, or `_config.yml` of a Jekyll site.
    pub config_text: Option<String>,
    /// Markdown files under `content/` (of a Jekyll site: its posts, drafts, collection
    /// documents and pages, named from the root).
    pub markdown: Vec<MdSource>,
    /// Other files under `content/`, copied as they are.
    pub assets: Vec<(PathBuf, Vec<u8>)>,
    /// Files under `templates/`: (name relative to `templates/`, text).
    pub templates: Vec<(String, String)>,
    /// Files under `static/`: (path relative to `static/`, bytes).
    pub static_files: Vec<(PathBuf, Vec<u8>)>,
    /// Files under `_includes/` (Jekyll's), for Liquid's `{% include %}`: (name relative to
    /// `_includes/`, text).
    pub includes: Vec<(String, String)>,
    /// Files named by executable fences' `include=` (read while loading; see `include`).
    pub included: include::IncludedFiles,
    /// Problems met while reading (unreadable files, invalid UTF-8, dangling links).
    pub diagnostics: Vec<Diagnostic>,
}

/// A Markdown file under `content/`: its path relative to `content/`, its text, and a hash of both
/// that later stages use as the page's identity in `serve`'s memos (so an unchanged page costs a
/// lookup, not a rehash of its text).
#[derive(Debug, Clone)]
pub struct MdSource {
    pub rel: PathBuf,
    /// Shared with the page parsed from it (its body is a range of this text, not a copy).
    pub text: Arc<str>,
    pub hash: u64,
}

impl MdSource {
    pub fn new(rel: PathBuf, text: String) -> Self {
        let hash = Self::hash_of(&rel, &text);
        MdSource { rel, text: text.into(), hash }
    }
    fn hash_of(rel: &Path, text: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (rel, text).hash(&mut h);
        h.finish()
    }
}

impl SiteSource {
    /// The folder Markdown sources and assets are named from in diagnostics: `content`, or
    /// nothing for a Jekyll site.
    pub fn content_dir(&self) -> &'static Path {
        match self.layout {
            Layout::Semdoc => Path::new("content"),
            Layout::Jekyll => Path::new(""),
        }
    }
}

/// How a site is read: what the command line may loosen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Folders outside the site that symbolic links in it may lead to (`--allow-symlinks-into`).
    pub symlinks_into: Vec<PathBuf>,
    /// Build a site that has no page at all (`--allow-empty`) instead of refusing.
    pub allow_empty: bool,
}

/// Read a site directory into memory. Fails only when the root itself cannot be used, is no
/// site at all (see `detect`), or has no page (unless `allow_empty`): an empty build would
/// replace the previous site with nothing.
pub fn load_site(root: &Path, opts: &LoadOptions) -> anyhow::Result<SiteSource> {
    use anyhow::Context;
    let meta = std::fs::metadata(root).with_context(|| format!("cannot open site directory {}", root.display()))?;
    anyhow::ensure!(meta.is_dir(), "{} is not a directory", root.display());
    let confine = load::Confinement::new(root, &opts.symlinks_into);
    let src = if detect(root)? == Layout::Jekyll { load_jekyll(root, &confine)? } else { load_semdoc(root, &confine)? };
    // With read errors the build fails anyway, and those errors say why better than this would.
    if src.markdown.is_empty() && !opts.allow_empty && !src.diagnostics.iter().any(Diagnostic::is_error) {
        let why = match (src.layout, root.join("content").is_dir()) {
            (Layout::Semdoc, false) => "it has no `content/` folder".to_string(),
            (Layout::Semdoc, true) => "`content/` holds no Markdown file (`.md`, `.markdown`)".to_string(),
            (Layout::Jekyll, _) => "no post or page was found (`_posts/`, `_tabs/`, `.md` pages)".to_string(),
        };
        anyhow::bail!(
            "{} has no page to build: {why}; building it would replace the previous site with an empty one. \
             Add a page (`content/index.md`), create a sample site with `semdoc init`, or pass `--allow-empty` \
             if an empty site is what you want",
            root.display()
        );
    }
    Ok(src)
}

/// `load_site` for a semdoc layout (`site.yaml`, `content/`, `templates/`, `static/`).
fn load_semdoc(root: &Path, confine: &load::Confinement) -> anyhow::Result<SiteSource> {
    use anyhow::Context;
    let mut src = SiteSource { root: root.to_path_buf(), ..Default::default() };
    let cfg = root.join(CONFIG_FILE);
    if cfg.exists() {
        let text = std::fs::read_to_string(&cfg).with_context(|| format!("cannot read {}", cfg.display()))?;
        src.config_text = Some(text);
    }
    let content = root.join("content");
    let (files, diags) = load::walk_files(&content, root, confine);
    src.diagnostics.extend(diags);
    // Read (and index) in parallel, kept in walk order: 10 000 sources took 120–290 ms one by one.
    enum Read {
        Markdown(MdSource),
        Asset(PathBuf, Vec<u8>),
        Problem(Diagnostic),
    }
    use rayon::prelude::*;
    let read: Vec<Read> = files
        .into_par_iter()
        .map(|f| {
            let shown = Path::new("content").join(&f.rel);
            match std::fs::read(&f.abs) {
                Ok(bytes) if f.rel.extension().is_some_and(|e| e == "md" || e == "markdown") => {
                    match String::from_utf8(bytes) {
                        Ok(text) => Read::Markdown(MdSource::new(f.rel, text)),
                        Err(e) => {
                            let (line, col) = line_col_of_byte(e.as_bytes(), e.utf8_error().valid_up_to());
                            Read::Problem(
                                Diagnostic::error(&shown, line, col, "encoding", "file is not valid UTF-8")
                                    .with_hint("save the file as UTF-8 (semdoc reads Markdown only as UTF-8)"),
                            )
                        }
                    }
                }
                Ok(bytes) => Read::Asset(f.rel, bytes),
                Err(e) => Read::Problem(Diagnostic::error(&shown, 0, 0, "io", format!("cannot read: {e}"))),
            }
        })
        .collect();
    for r in read {
        match r {
            Read::Markdown(md) => src.markdown.push(md),
            Read::Asset(rel, bytes) => src.assets.push((rel, bytes)),
            Read::Problem(d) => src.diagnostics.push(d),
        }
    }
    src.included = read_included(root, &src.markdown, src.content_dir());
    let (files, diags) = load::walk_files(&root.join("templates"), root, confine);
    src.diagnostics.extend(diags);
    for f in files {
        let shown = Path::new("templates").join(&f.rel);
        match std::fs::read_to_string(&f.abs) {
            Ok(text) => src.templates.push((f.rel.to_string_lossy().replace('\\', "/"), text)),
            Err(e) => src.diagnostics.push(Diagnostic::error(&shown, 0, 0, "io", format!("cannot read template: {e}"))),
        }
    }
    let (files, diags) = load::walk_files(&root.join("_includes"), root, confine);
    src.diagnostics.extend(diags);
    for f in files {
        let shown = Path::new("_includes").join(&f.rel);
        match std::fs::read_to_string(&f.abs) {
            Ok(text) => src.includes.push((f.rel.to_string_lossy().replace('\\', "/"), text)),
            Err(e) => src.diagnostics.push(Diagnostic::error(&shown, 0, 0, "io", format!("cannot read include: {e}"))),
        }
    }
    let (files, diags) = load::walk_files(&root.join("static"), root, confine);
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

/// Read a Jekyll site in place: every file of the root that Jekyll would read (see
/// `jekyll::excluded` and `jekyll::role`); what semdoc does not use is listed in one warning.
fn load_jekyll(root: &Path, confine: &load::Confinement) -> anyhow::Result<SiteSource> {
    use anyhow::Context;
    let cfg = root.join(jekyll::CONFIG_FILE);
    let text = std::fs::read_to_string(&cfg).with_context(|| format!("cannot read {}", cfg.display()))?;
    let settings = jekyll::walk_settings(&text);
    let mut src = SiteSource { root: root.to_path_buf(), layout: Layout::Jekyll, ..Default::default() };
    src.config_text = Some(text);
    let skip = |rel: &Path| jekyll::excluded(&settings, &rel.to_string_lossy().replace('\\', "/"));
    let (files, diags) = load::walk_files_except(root, root, confine, &skip);
    src.diagnostics.extend(diags);
    enum Read {
        Markdown(MdSource),
        Asset(PathBuf, Vec<u8>),
        Include(String, String),
        Ignored(&'static str, PathBuf),
        Problem(Diagnostic),
    }
    use rayon::prelude::*;
    let read: Vec<Read> = files
        .into_par_iter()
        .map(|f| {
            let bytes = match std::fs::read(&f.abs) {
                Ok(b) => b,
                Err(e) => return Read::Problem(Diagnostic::error(&f.rel, 0, 0, "io", format!("cannot read: {e}"))),
            };
            let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
            let front = body.starts_with(b"---")
                && body[3..].iter().take_while(|b| **b != b'\n').all(|b| b.is_ascii_whitespace());
            match jekyll::role(&settings, &f.rel, front) {
                jekyll::Role::Asset => Read::Asset(f.rel, bytes),
                jekyll::Role::Ignored(why) => Read::Ignored(why, f.rel),
                jekyll::Role::Include(name) => match String::from_utf8(bytes) {
                    Ok(text) => Read::Include(name, text),
                    Err(_) => Read::Problem(
                        Diagnostic::error(&f.rel, 0, 0, "encoding", "include is not valid UTF-8")
                            .with_hint("save the file as UTF-8 (Liquid includes are read as text)"),
                    ),
                },
                _ => match String::from_utf8(bytes) {
                    Ok(text) => Read::Markdown(MdSource::new(f.rel, text)),
                    Err(e) => {
                        let (line, col) = line_col_of_byte(e.as_bytes(), e.utf8_error().valid_up_to());
                        Read::Problem(
                            Diagnostic::error(&f.rel, line, col, "encoding", "file is not valid UTF-8")
                                .with_hint("save the file as UTF-8 (semdoc reads Markdown only as UTF-8)"),
                        )
                    }
                },
            }
        })
        .collect();
    let mut ignored: Vec<(&'static str, Vec<PathBuf>)> = Vec::new();
    for r in read {
        match r {
            Read::Markdown(md) => src.markdown.push(md),
            Read::Asset(rel, bytes) => src.assets.push((rel, bytes)),
            Read::Include(name, text) => src.includes.push((name, text)),
            Read::Ignored(why, rel) => match ignored.iter_mut().find(|(w, _)| *w == why) {
                Some((_, list)) => list.push(rel),
                None => ignored.push((why, vec![rel])),
            },
            Read::Problem(d) => src.diagnostics.push(d),
        }
    }
    if !ignored.is_empty() {
        let groups: Vec<String> = ignored
            .iter()
            .map(|(why, files)| {
                let shown: Vec<String> = files.iter().take(5).map(|p| format!("`{}`", p.display())).collect();
                let more = if files.len() > 5 { format!(" and {} more", files.len() - 5) } else { String::new() };
                format!("{why}: {}{more}", shown.join(", "))
            })
            .collect();
        src.diagnostics.push(
            Diagnostic::warning(Path::new("."), 0, 0, "ignored", format!("semdoc does not read {}", groups.join("; ")))
                .with_hint(
                    "semdoc renders Markdown posts and pages with its own theme and copies other files as they are",
                ),
        );
    }
    src.includes.sort_by(|a, b| a.0.cmp(&b.0));
    src.included = read_included(root, &src.markdown, src.content_dir());
    Ok(src)
}

/// The repository an included file must stay inside: the nearest folder at or above the site
/// root holding `.git` (a folder, or a worktree's file), else the site root's parent (a docs
/// folder beside the services it documents), with symlinks resolved.
pub fn repository_root(root: &Path) -> PathBuf {
    let canon = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    canon.ancestors().find(|a| a.join(".git").exists()).or_else(|| canon.parent()).unwrap_or(&canon).to_path_buf()
}

/// Read every file the Markdown sources' executable fences name with `include=` (once each).
/// A file is refused unless its real path (symlinks resolved) is inside `repository_root`.
fn read_included(root: &Path, markdown: &[MdSource], dir: &Path) -> include::IncludedFiles {
    let mut out = include::IncludedFiles::new();
    let mut repo: Option<PathBuf> = None;
    for md in markdown {
        let base = dir.join(md.rel.parent().unwrap_or(Path::new("")));
        for target in include::requests(&md.text) {
            let key = include::key(&base, &target);
            if out.contains_key(&key) {
                continue;
            }
            let repo = repo.get_or_insert_with(|| repository_root(root));
            let loaded = read_one_included(root, repo, &key);
            out.insert(key, loaded);
        }
    }
    out
}

fn read_one_included(root: &Path, repo: &Path, key: &Path) -> include::Loaded {
    use include::Loaded;
    let written = root.join(key);
    let real = match std::fs::canonicalize(&written) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        Err(e) => return Loaded::Unreadable(e.to_string()),
    };
    if !real.starts_with(repo) {
        // Inside the repository as written (`..` resolved by name): a symlink on the way leads out.
        let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let lexical = include::key(Path::new(""), &canon_root.join(key).to_string_lossy());
        let symlink = Path::new("/").join(lexical).starts_with(repo);
        return Loaded::OutsideRepo { symlink, repo: repo.to_path_buf() };
    }
    match std::fs::metadata(&real) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Loaded::NotAFile,
        Err(e) => return Loaded::Unreadable(e.to_string()),
    }
    match std::fs::read(&real) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Loaded::Text(text.into()),
            Err(e) => {
                let (line, col) = line_col_of_byte(e.as_bytes(), e.utf8_error().valid_up_to());
                Loaded::NotUtf8 { line, col }
            }
        },
        Err(e) => Loaded::Unreadable(e.to_string()),
    }
}

/// Bring `src` up to date after the files at `changed` (absolute paths below `root`) were
/// created, modified or removed, re-reading only those. Returns false when the change is not one
/// file's content (a directory, a symlink, an unreadable or non-UTF-8 file, a site that had read
/// problems): the caller then reloads the whole site, which reports such things properly.
pub fn refresh(src: &mut SiteSource, changed: &[PathBuf]) -> bool {
    if src.layout == Layout::Jekyll {
        return refresh_jekyll(src, changed);
    }
    if !src.diagnostics.is_empty() {
        return false;
    }
    let root = src.root.clone();
    for abs in changed {
        if is_included(src, abs) {
            continue; // read again below
        }
        let Ok(rel) = abs.strip_prefix(&root) else { return false };
        if rel == Path::new(CONFIG_FILE) {
            match std::fs::read_to_string(abs) {
                Ok(text) => src.config_text = Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => src.config_text = None,
                Err(_) => return false,
            }
            continue;
        }
        let mut parts = rel.components();
        let Some(top) = parts.next() else { return false };
        let inner: PathBuf = parts.as_path().to_path_buf();
        // Files the walk skips (editor leftovers, hidden files, anything inside such a folder).
        if inner.components().any(|c| c.as_os_str().to_str().is_none_or(load::is_editor_temp)) {
            continue;
        }
        let top = top.as_os_str().to_str().unwrap_or("");
        if !matches!(top, "content" | "templates" | "static" | "_includes") {
            continue;
        }
        if inner.as_os_str().is_empty() {
            return false; // a whole source folder appeared or went away
        }
        let bytes = match std::fs::symlink_metadata(abs) {
            Ok(m) if m.is_file() => match std::fs::read(abs) {
                Ok(b) => Some(b),
                Err(_) => return false,
            },
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(_) => return false,
        };
        // A removed path may have been a folder: drop everything below it too.
        let gone = |p: &Path| p == inner || p.starts_with(&inner);
        match top {
            "content" => {
                let is_md = inner.extension().is_some_and(|e| e == "md" || e == "markdown");
                // An edited Markdown file (the common case) is replaced where it is.
                if let (true, Some(b)) = (is_md, bytes.as_ref())
                    && let Ok(i) = src.markdown.binary_search_by(|m| m.rel.as_path().cmp(&inner))
                {
                    match std::str::from_utf8(b) {
                        Ok(text) => src.markdown[i] = MdSource::new(inner, text.to_string()),
                        Err(_) => return false,
                    }
                    continue;
                }
                src.markdown.retain(|m| !gone(&m.rel));
                src.assets.retain(|(p, _)| !gone(p));
                let Some(bytes) = bytes else { continue };
                if is_md {
                    match String::from_utf8(bytes) {
                        Ok(text) => src.markdown.push(MdSource::new(inner, text)),
                        Err(_) => return false,
                    }
                } else {
                    src.assets.push((inner, bytes));
                }
            }
            "templates" | "_includes" => {
                let name = inner.to_string_lossy().replace('\\', "/");
                let list = if top == "templates" { &mut src.templates } else { &mut src.includes };
                list.retain(|(n, _)| n != &name && !n.starts_with(&format!("{name}/")));
                let Some(bytes) = bytes else { continue };
                match String::from_utf8(bytes) {
                    Ok(text) => list.push((name, text)),
                    Err(_) => return false,
                }
            }
            _ => {
                src.static_files.retain(|(p, _)| !gone(p));
                if let Some(bytes) = bytes {
                    src.static_files.push((inner, bytes));
                }
            }
        }
    }
    // The walk's order (sorted by path), so that a refreshed source equals a freshly loaded one.
    // Markdown is by far the longest list: checked (one pass) before it is sorted.
    if !src.markdown.is_sorted_by(|a, b| a.rel <= b.rel) {
        src.markdown.sort_by(|a, b| a.rel.cmp(&b.rel));
    }
    src.assets.sort_by(|a, b| a.0.cmp(&b.0));
    src.templates.sort_by(|a, b| a.0.cmp(&b.0));
    src.includes.sort_by(|a, b| a.0.cmp(&b.0));
    src.static_files.sort_by(|a, b| a.0.cmp(&b.0));
    // Included files may live anywhere (beside the site): read again, as a fresh load would.
    src.included = read_included(&root, &src.markdown, src.content_dir());
    true
}

/// `refresh` for a Jekyll site: an edited post or page is replaced where it is, changes to
/// excluded or editor files are nothing; anything else (a new file, `_config.yml`, an asset)
/// makes the caller read the whole site.
fn refresh_jekyll(src: &mut SiteSource, changed: &[PathBuf]) -> bool {
    let root = src.root.clone();
    let settings = jekyll::walk_settings(src.config_text.as_deref().unwrap_or(""));
    for abs in changed {
        if is_included(src, abs) {
            continue; // read again below
        }
        let Ok(rel) = abs.strip_prefix(&root) else { return false };
        if rel.components().any(|c| c.as_os_str().to_str().is_none_or(load::is_editor_temp)) {
            continue;
        }
        if rel == Path::new(jekyll::CONFIG_FILE) {
            return false;
        }
        if jekyll::excluded(&settings, &rel.to_string_lossy().replace('\\', "/")) {
            continue;
        }
        let Ok(i) = src.markdown.binary_search_by(|m| m.rel.as_path().cmp(rel)) else { return false };
        match std::fs::symlink_metadata(abs) {
            Ok(m) if m.is_file() => {}
            _ => return false,
        }
        match std::fs::read(abs).ok().and_then(|b| String::from_utf8(b).ok()) {
            Some(text) if text.trim_start_matches('\u{feff}').starts_with("---") => {
                src.markdown[i] = MdSource::new(rel.to_path_buf(), text)
            }
            _ => return false,
        }
    }
    src.included = read_included(&root, &src.markdown, src.content_dir());
    true
}

/// Is `abs` a file some page includes (`include=`)? Compared by name, `..` resolved.
pub fn is_included(src: &SiteSource, abs: &Path) -> bool {
    !src.included.is_empty() && included_paths(src).iter().any(|p| p == abs)
}

/// The absolute paths (by name) of the files pages include: `serve` watches their folders.
pub fn included_paths(src: &SiteSource) -> Vec<PathBuf> {
    src.included
        .keys()
        .map(|k| Path::new("/").join(include::key(Path::new(""), &src.root.join(k).to_string_lossy())))
        .collect()
}

/// Is a changed path (below `root`) one a Jekyll site reads? (`serve` ignores the rest.)
pub fn jekyll_relevant(src_config: Option<&str>, rel: &Path) -> bool {
    let settings = jekyll::walk_settings(src_config.unwrap_or(""));
    rel == Path::new(jekyll::CONFIG_FILE) || !jekyll::excluded(&settings, &rel.to_string_lossy().replace('\\', "/"))
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
    /// Identity: a hash of the source (path and text) and of everything else parsing read, so
    /// equal keys mean equal pages. Later stages key their memos by it.
    pub key: u64,
    /// Path shown in diagnostics (`content/posts/x.md`).
    pub source: PathBuf,
    pub kind: PageKind,
    pub front: FrontMatter,
    pub body: Body,
    /// 1-based file line of the first body line (for diagnostics from the Markdown stage).
    pub body_line: usize,
    pub slug: String,
    /// URL path with leading and trailing slash (`/posts/kafka/`), without `base_path`.
    pub path: String,
    /// Output file relative to the output directory (`posts/kafka/index.html`).
    pub out_file: PathBuf,
}

/// A page's Markdown body: the part of its source text after the front matter, shared with the
/// source rather than copied (at 10 000 pages the copies were ~50 MB of a build's peak memory).
#[derive(Clone)]
pub struct Body {
    text: Arc<str>,
    start: usize,
}

impl Body {
    /// `body`, shared with `text` when it is a suffix of it (as front-matter splitting returns),
    /// else a copy.
    pub fn suffix(text: &Arc<str>, body: &str) -> Self {
        let start = text.len().wrapping_sub(body.len());
        // The same bytes, not just equal ones.
        if text.get(start..).is_some_and(|t| std::ptr::eq(t.as_ptr(), body.as_ptr())) {
            Body { text: text.clone(), start }
        } else {
            Body { text: body.into(), start: 0 }
        }
    }
}

impl std::ops::Deref for Body {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text[self.start..]
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// What `serve` keeps between rebuilds: each source's pages and problems, keyed by the source's
/// hash and everything else parsing reads (time zone, drafts).
pub struct ParseMemo {
    entries: crate::memo::Store<Parsed>,
}

impl Default for ParseMemo {
    fn default() -> Self {
        ParseMemo { entries: crate::memo::Store::enabled() }
    }
}

type Parsed = (Option<Arc<Page>>, Vec<Diagnostic>);

/// Turn Markdown sources into pages: split and validate front matter, decide slugs and URLs, drop
/// drafts unless asked. Returns pages sorted by URL plus every problem found.
pub fn parse_pages(src: &SiteSource, config: &Config, drafts: bool) -> (Vec<Arc<Page>>, Vec<Diagnostic>) {
    parse_pages_with(src, config, drafts, None)
}

/// `parse_pages` reusing (and refreshing) a memo: a source whose text did not change is not parsed
/// again.
pub fn parse_pages_with(
    src: &SiteSource,
    config: &Config,
    drafts: bool,
    memo: Option<&ParseMemo>,
) -> (Vec<Arc<Page>>, Vec<Diagnostic>) {
    use std::hash::{Hash, Hasher};
    let previous = memo.map(|m| m.entries.take()).unwrap_or_default();
    let mut pages = Vec::new();
    let mut diags = Vec::new();
    // What parsing reads besides the source: the time zone, drafts, and a Jekyll site's settings.
    let inputs = (config.timezone.to_string(), drafts, config.jekyll.as_ref().map(|j| format!("{j:?}")));
    use rayon::prelude::*;
    let all: Vec<(u64, Parsed, bool)> = src
        .markdown
        .par_iter()
        .map(|md| {
            let mut h = rustc_hash::FxHasher::default();
            (md.hash, &inputs).hash(&mut h);
            let key = h.finish();
            match previous.get(&key) {
                Some(hit) => (key, hit.clone(), false),
                None => (key, parse_one(&md.rel, &md.text, config, drafts, key), true),
            }
        })
        .collect();
    let used: Vec<u64> = all.iter().map(|(k, _, _)| *k).collect();
    let mut fresh = Vec::new();
    for (key, parsed, new) in all {
        pages.extend(parsed.0.iter().cloned());
        diags.extend(parsed.1.iter().cloned());
        if new && memo.is_some() {
            fresh.push((key, parsed));
        }
    }
    if let Some(m) = memo {
        m.entries.put(previous, fresh, &used);
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path).then(a.source.cmp(&b.source)));
    // Two sources mapping to one URL would silently overwrite each other: report both. (Two
    // URLs can also name one file: Jekyll's `/a` and `/a.html` are both `a.html`.)
    let mut by_file: Vec<&Arc<Page>> = pages.iter().collect();
    by_file.sort_by(|a, b| a.out_file.cmp(&b.out_file).then(a.source.cmp(&b.source)));
    for pair in by_file.windows(2) {
        if pair[0].out_file == pair[1].out_file && pair[0].path != pair[1].path {
            diags.push(
                Diagnostic::error(
                    &pair[1].source,
                    1,
                    1,
                    "duplicate-url",
                    format!(
                        "this page ({}) and {} ({}) are both written to {}",
                        pair[1].path,
                        pair[0].source.display(),
                        pair[0].path,
                        pair[0].out_file.display()
                    ),
                )
                .with_hint("give one of them a different `permalink` or `slug` in its front matter"),
            );
        }
    }
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
                .with_hint(
                    "give one of them a different `slug` (or `permalink`) in its front matter, or rename the file",
                ),
            );
        }
    }
    (pages, diags)
}

/// Front matter, slug and URL of one source.
fn parse_one(rel: &Path, text: &Arc<str>, config: &Config, drafts: bool, key: u64) -> Parsed {
    let shown = if config.jekyll.is_some() { rel.to_path_buf() } else { Path::new("content").join(rel) };
    let Some((clean, warnings)) = control_characters(text, &shown) else {
        return parse_source(rel, text, config, drafts, key);
    };
    let (page, mut diags) = parse_source(rel, &clean, config, drafts, key);
    diags.splice(0..0, warnings);
    (page, diags)
}

/// Control characters that XML 1.0 forbids and HTML calls a parse error (C0 but tab, line feed
/// and carriage return): each is replaced by U+FFFD, so that no feed or page semdoc writes is
/// malformed, and said where it was (the first few lines, then how many more). `None`: none.
fn control_characters(text: &Arc<str>, shown: &Path) -> Option<(Arc<str>, Vec<Diagnostic>)> {
    const SHOWN_LINES: usize = 5;
    let bad = |c: char| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{7f}');
    if !text.contains(bad) {
        return None;
    }
    let mut diags = Vec::new();
    let mut lines = 0;
    for (i, line) in text.split('\n').enumerate() {
        let Some(at) = line.find(bad) else { continue };
        lines += 1;
        if lines <= SHOWN_LINES {
            let c = line[at..].chars().next().unwrap_or('\0');
            let col = line[..at].chars().count() + 1;
            diags.push(
                Diagnostic::warning(
                    shown,
                    i + 1,
                    col,
                    "control-char",
                    format!(
                        "control character U+{:04X} replaced by U+FFFD (it is not allowed in XML or HTML)",
                        c as u32
                    ),
                )
                .with_hint("delete it; a pasted terminal escape or form feed often leaves one behind"),
            );
        }
    }
    if lines > SHOWN_LINES {
        diags.push(Diagnostic::warning(
            shown,
            0,
            0,
            "control-char",
            format!("and {} more line(s) with control characters, replaced the same way", lines - SHOWN_LINES),
        ));
    }
    let clean: String = text.chars().map(|c| if bad(c) { '\u{fffd}' } else { c }).collect();
    Some((clean.into(), diags))
}

/// `parse_one` on a text without control characters.
fn parse_source(rel: &Path, text: &Arc<str>, config: &Config, drafts: bool, key: u64) -> Parsed {
    if let Some(site) = &config.jekyll {
        return parse_jekyll(site, rel, text, config, drafts, key);
    }
    let mut diags = Vec::new();
    let shown = Path::new("content").join(rel);
    let split = match frontmatter::split_front_matter(text, &shown) {
        Ok(s) => s,
        Err(d) => {
            return (None, vec![*d]);
        }
    };
    let front = match split.front {
        Some(f) => {
            let (fm, d) = frontmatter::parse_front_matter(f, &shown, split.front_line, config.timezone);
            let fatal = d.iter().any(Diagnostic::is_error);
            diags.extend(d);
            if fatal {
                return (None, diags);
            }
            fm
        }
        None => FrontMatter::default(),
    };
    if front.draft && !drafts {
        return (None, diags);
    }
    let kind = page_kind(rel);
    let mut front = front;
    if kind == PageKind::Post
        && front.date.is_none()
        && let Some(d) = rel.file_stem().and_then(|s| s.to_str()).and_then(jekyll::dated_name)
        && let Ok(pd) = frontmatter::parse_date(d.0, config.timezone)
    {
        // Jekyll's rule: the file name's date when front matter has none.
        front.date = Some(pd);
    }
    let slug = front.slug.clone().unwrap_or_else(|| slug_from_file(rel));
    if kind == PageKind::Post && front.date.is_none() {
        diags.push(
            Diagnostic::warning(&shown, split.front_line.max(1), 1, "date", "post has no `date`; it is listed last")
                .with_hint(
                    "add `date: YYYY-MM-DD HH:MM:SS +0900` to the front matter, or name the file `YYYY-MM-DD-title.md`",
                ),
        );
    }
    // The slug from the file name and the folders' names become URL segments as they are: the
    // same rule as for `slug:` (a `?` or `#` makes a link that cannot reach the page, `..` a
    // page written over its folder's index).
    if kind != PageKind::Home {
        let from_file = front.slug.is_none().then_some(slug.as_str());
        let parents =
            rel.parent().into_iter().flat_map(|p| p.components()).map(|c| c.as_os_str().to_str().unwrap_or("\u{fffd}"));
        if let Some(bad) = parents.chain(from_file).find(|s| !frontmatter::is_valid_slug(s)) {
            diags.push(
                Diagnostic::error(&shown, 1, 1, "slug", format!("`{bad}` (from the file's path) cannot be used in a URL"))
                    .with_hint("rename the file or folder, or give the page a `slug:` in its front matter; a URL segment has no `/`, `\\`, `?`, `#`, `%` or `..`"),
            );
            return (None, diags);
        }
    }
    let (path, out_file) = match front.permalink.as_deref().filter(|_| kind != PageKind::Home) {
        None => url_of(rel, kind, &slug),
        Some(written) => match permalink_url(written) {
            Some(url) => url,
            None => {
                let (line, _) = frontmatter::key_position(split.front.unwrap_or(""), "permalink", split.front_line);
                diags.push(
                    Diagnostic::error(&shown, line, 1, "front-matter", format!("`permalink: {written}` cannot be this page's URL"))
                        .with_hint("write a path from the site root below it, such as `/about/` or `/guides/kafka/`: segments without `..`, `?`, `#`, `%` or spaces, and not `/` (the home page)"),
                );
                return (None, diags);
            }
        },
    };
    if front.title.is_empty() && kind != PageKind::Home {
        front.title = slug.clone();
    }
    let page = Page {
        key,
        source: shown,
        kind,
        front,
        body: Body::suffix(text, split.body),
        body_line: split.body_line,
        slug,
        path,
        out_file,
    };
    (Some(Arc::new(page)), diags)
}

/// A Markdown source of a Jekyll site: front matter with `_config.yml`'s defaults for its path
/// and type, its date (the file name's when front matter has none) and its URL as Jekyll makes it.
fn parse_jekyll(
    site: &jekyll::JekyllSite,
    rel: &Path,
    text: &Arc<str>,
    config: &Config,
    drafts: bool,
    key: u64,
) -> Parsed {
    let mut diags = Vec::new();
    let shown = rel.to_path_buf();
    let split = match frontmatter::split_front_matter(text, &shown) {
        Ok(s) => s,
        Err(d) => return (None, vec![*d]),
    };
    let role = jekyll::role(site, rel, true);
    let rel_s = rel.to_string_lossy().replace('\\', "/");
    let defaults = jekyll::defaults_for(site, &rel_s, jekyll::kind_of(&role));
    let (mut front, d) = frontmatter::parse_front_matter_with(
        split.front.unwrap_or(""),
        &shown,
        split.front_line.max(1),
        config.timezone,
        &defaults,
        true,
    );
    let fatal = d.iter().any(Diagnostic::is_error);
    diags.extend(d);
    if fatal {
        return (None, diags);
    }
    if (front.draft || role == jekyll::Role::Draft) && !drafts {
        return (None, diags);
    }
    let kind = match &role {
        jekyll::Role::Post | jekyll::Role::Draft => PageKind::Post,
        jekyll::Role::Page if rel == Path::new("index.md") || rel == Path::new("index.markdown") => PageKind::Home,
        _ => PageKind::Page,
    };
    let (path, out_file, slug, d) =
        jekyll::place(site, config.timezone, rel, &role, &mut front, &shown, split.front_line.max(1));
    diags.extend(d);
    if kind == PageKind::Home {
        // semdoc's home page is the post list; this file is its own text.
        return finish(key, shown, kind, front, text, &split, slug, "/".into(), "index.html".into(), diags);
    }
    if front.title.is_empty() {
        // Jekyll's `titleize_slug` for documents (posts, tabs); a page keeps its file name.
        front.title = if matches!(role, jekyll::Role::Post | jekyll::Role::Draft | jekyll::Role::Doc(_)) {
            slug.split('-').map(capitalize).collect::<Vec<_>>().join(" ")
        } else {
            slug.clone()
        };
    }
    finish(key, shown, kind, front, text, &split, slug, path, out_file, diags)
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn finish(
    key: u64,
    source: PathBuf,
    kind: PageKind,
    front: FrontMatter,
    text: &Arc<str>,
    split: &frontmatter::Split,
    slug: String,
    path: String,
    out_file: PathBuf,
    diags: Vec<Diagnostic>,
) -> Parsed {
    let page = Page {
        key,
        source,
        kind,
        front,
        body: Body::suffix(text, split.body),
        body_line: split.body_line,
        slug,
        path,
        out_file,
    };
    (Some(Arc::new(page)), diags)
}

/// A Jekyll site's menu: its `tabs` collection (Chirpy's `_tabs/`) in `order`. A tab whose
/// URL is one of semdoc's taxonomy pages (Chirpy's `categories` and `tags` tabs) is not rendered
/// as a page (the taxonomy page is that tab, and already in the menu).
pub fn jekyll_tabs(pages: Vec<Arc<Page>>, config: &Config) -> (Vec<crate::config::MenuItem>, Vec<Arc<Page>>) {
    let generated: Vec<String> = config.taxonomies.iter().map(|t| format!("/{}/", t.key())).collect();
    let mut tabs: Vec<&Arc<Page>> =
        pages.iter().filter(|p| p.kind == PageKind::Page && p.source.starts_with("_tabs")).collect();
    tabs.sort_by(|a, b| {
        (a.front.order.unwrap_or(i64::MAX), &a.front.title).cmp(&(b.front.order.unwrap_or(i64::MAX), &b.front.title))
    });
    let menu = tabs
        .iter()
        .filter(|p| !generated.contains(&p.path))
        .map(|p| crate::config::MenuItem { title: p.front.title.clone(), path: p.path.clone() })
        .collect();
    let kept = pages
        .into_iter()
        .filter(|p| !(p.kind == PageKind::Page && p.source.starts_with("_tabs") && generated.contains(&p.path)))
        .collect();
    (menu, kept)
}

/// The URL a writer's link to a Markdown source names: `other-post.md`,
/// `../_posts/2024-01-01-x.md` (relative to the linking file) or `/_posts/…` (from the site's
/// source root), with its `#fragment` kept. `targets` maps each built page's source (as shown
/// in diagnostics) to its URL path; `content_dir` is where root-absolute links start. None for
/// any other link, and for a Markdown file that is not a built page (the link checker then
/// reports it where it is written).
pub fn resolve_source_link(
    targets: &rustc_hash::FxHashMap<PathBuf, String>,
    content_dir: &Path,
    from: &Path,
    href: &str,
) -> Option<String> {
    if href.contains("://") || href.starts_with("//") || href.starts_with('#') || href.contains(':') {
        return None;
    }
    let (path, frag) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if !(decoded.ends_with(".md") || decoded.ends_with(".markdown")) {
        return None;
    }
    let start: PathBuf = match decoded.strip_prefix('/') {
        Some(abs) => content_dir.join(abs),
        None => from.parent().unwrap_or(Path::new("")).join(&*decoded),
    };
    let mut norm = PathBuf::new();
    for c in start.components() {
        match c {
            std::path::Component::ParentDir => {
                norm.pop();
            }
            std::path::Component::CurDir => {}
            other => norm.push(other),
        }
    }
    let url = targets.get(&norm)?;
    Some(match frag {
        Some(f) => format!("{url}#{f}"),
        None => url.clone(),
    })
}

/// Chirpy's image paths, as its `_includes/media-url.html` (Chirpy 7) makes them: a path without a
/// scheme gets the post's `media_subpath` (else the site's) in front, then the site's CDN
/// (`cdn`, formerly `img_cdn`), with doubled `/` collapsed. With neither set the path is left
/// as semdoc reads it (relative to the page; Chirpy would make it site-absolute).
pub fn chirpy_image(site: &jekyll::JekyllSite, page_subpath: Option<&str>, src: &str) -> Option<String> {
    if src.contains(':') || src.starts_with("//") || src.starts_with('#') || src.is_empty() {
        return None;
    }
    let subpath = page_subpath.unwrap_or(&site.media_subpath);
    if subpath.is_empty() && site.img_cdn.is_empty() {
        return None;
    }
    let mut url = format!("{subpath}/{src}");
    if !site.img_cdn.is_empty() {
        url = format!("{}/{url}", site.img_cdn);
    }
    let mut url = url.replace("///", "/").replace("//", "/").replace(":/", "://");
    if !url.contains("://") && !url.starts_with('/') {
        url.insert(0, '/');
    }
    (url != src).then_some(url)
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

/// A semdoc page's `permalink:` as its URL path and output file: `/a/b/` (or `/a/b`) is
/// `a/b/index.html`, `/a/b.html` is that file. `None` when it is not a path below the root.
fn permalink_url(written: &str) -> Option<(String, PathBuf)> {
    let p = written.trim();
    let inner = p.strip_prefix('/')?.trim_end_matches('/');
    let segs: Vec<&str> = inner.split('/').collect();
    if inner.is_empty() || !segs.iter().all(|s| frontmatter::is_valid_slug(s)) {
        return None;
    }
    let out: PathBuf = segs.iter().collect();
    if inner.ends_with(".html") && !p.ends_with('/') {
        return Some((format!("/{inner}"), out));
    }
    Some((format!("/{inner}/"), out.join("index.html")))
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

    #[test]
    fn page_body_shares_the_source_text() {
        let text: Arc<str> = "---\ntitle: 한글\n---\n본문 body\n".into();
        let body = Body::suffix(&text, &text[text.find("본문").unwrap()..]);
        assert_eq!(&*body, "본문 body\n");
        assert!(Arc::ptr_eq(&body.text, &text), "a suffix is shared, not copied");
        // Equal text elsewhere in memory is copied, never mistaken for a suffix.
        let other = String::from("body\n");
        let copied = Body::suffix(&text, &other);
        assert_eq!(&*copied, "body\n");
        assert!(!Arc::ptr_eq(&copied.text, &text));
        let parsed = parse_one(Path::new("posts/a.md"), &text, &Config::default(), false, 0);
        let page = parsed.0.expect("page");
        assert_eq!(&*page.body, "본문 body\n");
        assert!(Arc::ptr_eq(&page.body.text, &text));
    }

    fn site(files: &[(&str, &str)]) -> SiteSource {
        SiteSource {
            markdown: files.iter().map(|(p, t)| MdSource::new(PathBuf::from(p), t.to_string())).collect(),
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

    /// Re-reading only the changed files gives what reading the whole site gives.
    #[test]
    fn refresh_equals_a_fresh_load() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let w = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("site.yaml", "title: A\n");
        w("content/posts/a.md", "---\ntitle: A\n---\na\n");
        w("content/posts/b.md", "---\ntitle: B\n---\nb\n");
        w("content/img/x.png", "png");
        w("templates/post.html", "{{ page.title }}");
        w("static/css/x.css", "a{}");
        w("content/posts/b.md", "---\ntitle: B\n---\n```yaml semdoc include=/svc/app.yml\n```\n");
        w("svc/app.yml", "acks: 1\n");
        let mut src = load_site(root, &LoadOptions::default()).unwrap();
        assert_eq!(src.included.len(), 1);
        w("svc/app.yml", "acks: all\n");
        w("content/posts/a.md", "---\ntitle: A2\n---\na2\n```yaml semdoc include=../../svc/other.yml\n```\n");
        w("content/posts/c.md", "---\ntitle: C\n---\nc\n");
        w("content/posts/.c.md.swp", "junk");
        w("templates/page.html", "{{ page.title }}!");
        w("static/css/x.css", "b{}");
        w("site.yaml", "title: B\n");
        std::fs::remove_file(root.join("content/posts/b.md")).unwrap();
        std::fs::remove_dir_all(root.join("content/img")).unwrap();
        let changed: Vec<PathBuf> = [
            "content/posts/a.md",
            "content/posts/c.md",
            "content/posts/.c.md.swp",
            "content/posts/b.md",
            "content/img",
            "templates/page.html",
            "static/css/x.css",
            "site.yaml",
            "public/index.html",
            "svc/app.yml",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        assert!(refresh(&mut src, &changed));
        let fresh = load_site(root, &LoadOptions::default()).unwrap();
        let md =
            |s: &SiteSource| s.markdown.iter().map(|m| (m.rel.clone(), m.text.clone(), m.hash)).collect::<Vec<_>>();
        assert_eq!(md(&src), md(&fresh));
        assert_eq!(src.assets, fresh.assets);
        assert_eq!(src.templates, fresh.templates);
        assert_eq!(src.static_files, fresh.static_files);
        assert_eq!(src.config_text, fresh.config_text);
        // b.md (which included svc/app.yml) is gone; a.md now names a file that does not exist.
        assert_eq!(src.included, fresh.included);
        assert_eq!(src.included.get(Path::new("svc/other.yml")), Some(&include::Loaded::Missing));
        // A new folder is not one file: the caller reloads everything.
        std::fs::create_dir_all(root.join("content/new")).unwrap();
        assert!(!refresh(&mut src, &[root.join("content/new")]));
        assert!(!refresh(&mut load_site(root, &LoadOptions::default()).unwrap(), &[root.join("templates")]));
    }

    /// A Jekyll site: an edited post is re-read alone and equals a fresh load; what is not a
    /// known source's edit (a new file, `_config.yml`) asks for a reload; excluded paths are nothing.
    #[test]
    fn jekyll_refresh_equals_a_fresh_load() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let w = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w("_config.yml", "title: J\nexclude: [tools]\n");
        w("_posts/2024-01-01-a.md", "---\ntitle: A\n---\na\n");
        w("about.md", "---\ntitle: About\n---\n");
        w("assets/x.css", "a{}");
        w("_layouts/post.html", "---\n---\n");
        let mut src = load_site(root, &LoadOptions::default()).unwrap();
        assert_eq!(src.layout, Layout::Jekyll);
        let names: Vec<String> = src.markdown.iter().map(|m| m.rel.display().to_string()).collect();
        assert_eq!(names, ["_posts/2024-01-01-a.md", "about.md"]);
        assert_eq!(src.assets.len(), 1);
        assert_eq!(src.diagnostics.len(), 1, "the ignored files, listed once: {:?}", src.diagnostics);
        w("_posts/2024-01-01-a.md", "---\ntitle: A2\n---\na2\n");
        w("_site/index.html", "output");
        w("tools/run.sh", "excluded");
        let changed: Vec<PathBuf> =
            ["_posts/2024-01-01-a.md", "_site/index.html", "tools/run.sh"].iter().map(|p| root.join(p)).collect();
        assert!(refresh(&mut src, &changed));
        let fresh = load_site(root, &LoadOptions::default()).unwrap();
        let md =
            |s: &SiteSource| s.markdown.iter().map(|m| (m.rel.clone(), m.text.clone(), m.hash)).collect::<Vec<_>>();
        assert_eq!(md(&src), md(&fresh));
        assert_eq!(src.assets, fresh.assets);
        w("_posts/2024-01-02-b.md", "---\ntitle: B\n---\n");
        assert!(!refresh(&mut src, &[root.join("_posts/2024-01-02-b.md")]), "a new post: reload");
        assert!(!refresh(&mut src, &[root.join("_config.yml")]), "the config: reload");
        // A root that is no site at all is refused.
        let empty = tempfile::tempdir().unwrap();
        assert!(load_site(empty.path(), &LoadOptions::default()).unwrap_err().to_string().contains("_config.yml"));
    }

    #[test]
    fn links_to_markdown_sources_resolve_to_their_urls() {
        let targets: rustc_hash::FxHashMap<PathBuf, String> = [
            ("_posts/2024-01-01-a.md", "/posts/a/"),
            ("_posts/sub/2024-01-02-b.md", "/2024/01/02/b.html"),
            ("about.md", "/about/"),
        ]
        .iter()
        .map(|(p, u)| (PathBuf::from(p), u.to_string()))
        .collect();
        let from = Path::new("_posts/sub/2024-01-02-b.md");
        let r = |href: &str| resolve_source_link(&targets, Path::new(""), from, href);
        assert_eq!(r("../2024-01-01-a.md").as_deref(), Some("/posts/a/"));
        assert_eq!(r("../../_posts/2024-01-01-a.md#x").as_deref(), Some("/posts/a/#x"));
        assert_eq!(r("/_posts/2024-01-01-a.md").as_deref(), Some("/posts/a/"));
        assert_eq!(r("./2024-01-02-b.md").as_deref(), Some("/2024/01/02/b.html"));
        assert_eq!(r("/about.md").as_deref(), Some("/about/"));
        for none in ["missing.md", "/posts/a/", "https://x.y/a.md", "#top", "mailto:a@b.md"] {
            assert_eq!(r(none), None, "{none}");
        }
        // A semdoc site's links start at `content/`.
        let t2: rustc_hash::FxHashMap<PathBuf, String> =
            [(PathBuf::from("content/posts/x.md"), "/posts/x/".to_string())].into_iter().collect();
        assert_eq!(
            resolve_source_link(&t2, Path::new("content"), Path::new("content/about.md"), "posts/x.md").as_deref(),
            Some("/posts/x/")
        );
    }

    #[test]
    fn chirpy_image_paths() {
        let site = jekyll::JekyllSite {
            media_subpath: "assets/img".into(),
            img_cdn: "https://cdn.x/".into(),
            ..Default::default()
        };
        assert_eq!(chirpy_image(&site, None, "a.png").as_deref(), Some("https://cdn.x/assets/img/a.png"));
        assert_eq!(chirpy_image(&site, Some("/p/"), "a.png").as_deref(), Some("https://cdn.x/p/a.png"));
        assert_eq!(chirpy_image(&site, None, "/b.png").as_deref(), Some("https://cdn.x/assets/img/b.png"));
        let no_cdn = jekyll::JekyllSite { media_subpath: "/m".into(), ..Default::default() };
        assert_eq!(chirpy_image(&no_cdn, None, "a.png").as_deref(), Some("/m/a.png"));
        assert_eq!(chirpy_image(&site, None, "https://o/c.png"), None);
        assert_eq!(chirpy_image(&jekyll::JekyllSite::default(), None, "a.png"), None);
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
