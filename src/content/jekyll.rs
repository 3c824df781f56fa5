//! Jekyll and Chirpy sites read in place: `_config.yml` decoded into semdoc's `Config` and the
//! Jekyll settings (`JekyllSite`: permalink style, collections, front matter defaults,
//! include/exclude, Chirpy's image prefixes), which file of the site is a post, a draft, a
//! collection document, a page, an asset or ignored, and each page's URL. Pure: `content::load_site`
//! does the reading.
//!
//! Jekyll's rules are those of Jekyll 4.3 (<https://jekyllrb.com/docs/configuration/options/>,
//! <https://jekyllrb.com/docs/configuration/front-matter-defaults/>,
//! <https://jekyllrb.com/docs/posts/>, <https://jekyllrb.com/docs/collections/>; code:
//! `lib/jekyll/entry_filter.rb`, `frontmatter_defaults.rb`, `document.rb` at tag v4.3.1).

use super::frontmatter::{DefaultValue, FrontMatter, PageDate};
use super::permalink::{self, DocVars, Style};
use super::yaml::{self, Value};
use super::zone::Zone;
use crate::config::{Config, RawConfig};
use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "_config.yml";

/// Folders and files never read as sources: Jekyll's own output and caches, semdoc's default
/// output, and the package managers' folders Jekyll 4.3 excludes by default.
pub const ALWAYS_EXCLUDED: &[&str] = &[
    "_site",
    "public",
    ".jekyll-cache",
    ".jekyll-metadata",
    ".sass-cache",
    "node_modules",
    "vendor",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    CONFIG_FILE,
];

/// `_config.yml` keys semdoc reads; every other key is listed once as ignored.
const READ_KEYS: &[&str] = &[
    "title",
    "description",
    "url",
    "baseurl",
    "lang",
    "timezone",
    "permalink",
    "paginate",
    "defaults",
    "exclude",
    "include",
    "author",
    "social",
    "img_cdn",
    "cdn",
    "media_subpath",
    "collections",
    "semdoc",
    "playground",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Collection {
    pub label: String,
    pub output: bool,
    pub permalink: Option<String>,
}

/// One entry of `defaults:`: where it applies and the front matter it supplies.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultRule {
    /// `scope.path`: a prefix of the file's path from the site root (`*` globs), "" for all.
    pub path: String,
    /// `scope.type`: `posts` (drafts too: in Jekyll 4 they are documents of `posts`), `pages`
    /// or a collection label.
    pub kind: Option<String>,
    pub values: Vec<DefaultValue>,
}

/// The Jekyll settings every later stage needs (part of `Config`).
#[derive(Debug, Clone, PartialEq)]
pub struct JekyllSite {
    /// The site's `permalink:` (pages and collections take its ending).
    pub style: Style,
    pub collections: Vec<Collection>,
    pub defaults: Vec<DefaultRule>,
    pub exclude: Vec<String>,
    pub include: Vec<String>,
    /// Chirpy: the CDN in front of image paths (`cdn` in Chirpy 7, `img_cdn` before).
    pub img_cdn: String,
    /// Chirpy: the folder in front of image paths (`media_subpath`; Chirpy sets it per post, usually through `defaults`).
    pub media_subpath: String,
}

impl Default for JekyllSite {
    fn default() -> Self {
        JekyllSite {
            style: Style::Date,
            collections: Vec::new(),
            defaults: Vec::new(),
            exclude: Vec::new(),
            include: Vec::new(),
            img_cdn: String::new(),
            media_subpath: String::new(),
        }
    }
}

/// What a file of a Jekyll site is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Post,
    Draft,
    /// A document of an output collection (`_tabs/about.md` with `collections: {tabs: {output: true}}`).
    Doc(String),
    Page,
    /// Copied as it is.
    Asset,
    /// A file under the root's `_includes/`, read for Liquid's `{% include NAME %}` (its name
    /// relative to `_includes/`). The theme's own includes are read too; only the ones a page
    /// includes are used.
    Include(String),
    /// Not read, and why (listed once in a diagnostic).
    Ignored(&'static str),
}

fn str_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Sequence(items) => items.iter().map(scalar).collect(),
        Value::String(s) => Some(vec![s.clone()]),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The 1-based line of a top-level `key:` (1 when not found).
fn line_of(text: &str, key: &str) -> usize {
    text.lines().position(|l| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':'))).map_or(1, |i| i + 1)
}

/// The settings that decide which files are read (`exclude`, `include`, `collections`), taken
/// from `_config.yml` without diagnostics (`load_config` reports its problems).
pub fn walk_settings(text: &str) -> JekyllSite {
    load_config(text, None).2
}

/// Decode `_config.yml` into semdoc's `Config` (with `jekyll` set) plus every problem; keys
/// semdoc does not read are listed in one warning.
pub fn load_config(text: &str, base_url_override: Option<&str>) -> (Config, Vec<Diagnostic>, JekyllSite) {
    let path = Path::new(CONFIG_FILE);
    let mut diags = Vec::new();
    let map = match yaml::decode_mapping(text, path, 1) {
        Ok(m) => m,
        Err(d) => {
            diags.push(*d);
            Default::default()
        }
    };
    let mut raw = RawConfig::default();
    let mut site = JekyllSite::default();
    let mut url = String::new();
    let mut baseurl = String::new();
    let mut ignored: Vec<String> = Vec::new();
    let mut social_name = None;
    let mut default_ignored: Vec<String> = Vec::new();
    for (k, v) in &map {
        let Some(key) = k.as_str() else { continue };
        let line = line_of(text, key);
        let bad = |what: &str| {
            Diagnostic::error(path, line, 1, "config", format!("`{key}` must be {what}, found {}", yaml::kind_of(v)))
        };
        match key {
            "title" => raw.title = scalar(v),
            "description" => raw.description = scalar(v),
            "url" => url = scalar(v).unwrap_or_default(),
            "baseurl" => baseurl = scalar(v).unwrap_or_default(),
            "lang" => raw.language = scalar(v),
            "timezone" => raw.timezone = scalar(v),
            "permalink" => match scalar(v) {
                Some(s) => site.style = Style::parse(&s),
                None => diags.push(bad("a style (`date`, `pretty`, …) or a template")),
            },
            "paginate" => match v.as_u64() {
                Some(n) => raw.paginate = Some(n as usize),
                None => diags.push(bad("a number")),
            },
            "exclude" | "include" => match str_list(v) {
                Some(l) if key == "exclude" => site.exclude = l,
                Some(l) => site.include = l,
                None => diags.push(bad("a list of paths")),
            },
            "author" => match v {
                Value::Mapping(m) => raw.author = m.get("name").and_then(scalar),
                other => raw.author = scalar(other),
            },
            "social" => {
                social_name = v.get("name").and_then(scalar);
            }
            "img_cdn" | "cdn" => site.img_cdn = scalar(v).unwrap_or_default(),
            "media_subpath" => site.media_subpath = scalar(v).unwrap_or_default(),
            "semdoc" => match v {
                Value::Mapping(m) => {
                    raw.semdoc = Some(m.iter().filter_map(|(a, b)| Some((scalar(a)?, scalar(b)?))).collect())
                }
                _ => diags.push(bad("a mapping such as `{kafka: \"2.8\"}`")),
            },
            "playground" => raw.playground = v.as_bool(),
            "collections" => match v {
                Value::Mapping(m) => {
                    for (label, meta) in m {
                        let Some(label) = scalar(label) else { continue };
                        let output = meta.get("output").and_then(Value::as_bool).unwrap_or(false);
                        let permalink = meta.get("permalink").and_then(scalar);
                        site.collections.push(Collection { label, output, permalink });
                    }
                }
                Value::Sequence(items) => {
                    for label in items.iter().filter_map(scalar) {
                        site.collections.push(Collection { label, output: false, permalink: None });
                    }
                }
                _ => diags.push(bad("a mapping of collection names")),
            },
            "defaults" => match v {
                Value::Sequence(rules) => {
                    for rule in rules {
                        let scope = rule.get("scope");
                        let rpath = scope.and_then(|s| s.get("path")).and_then(scalar).unwrap_or_default();
                        let kind = scope.and_then(|s| s.get("type")).and_then(scalar);
                        let Some(Value::Mapping(values)) = rule.get("values") else {
                            diags.push(
                                Diagnostic::error(
                                    path,
                                    line,
                                    1,
                                    "config",
                                    "a `defaults` entry has no `values` mapping",
                                )
                                .with_hint("write `- scope: {path: \"\", type: posts}` and `values: {layout: post}`"),
                            );
                            continue;
                        };
                        let mut kept = Vec::new();
                        for (vk, vv) in values {
                            let Some(vk) = vk.as_str() else { continue };
                            let vline = text
                                .lines()
                                .enumerate()
                                .skip(line)
                                .find(|(_, l)| l.trim_start().strip_prefix(vk).is_some_and(|r| r.starts_with(':')))
                                .map_or(line, |(i, _)| i + 1);
                            let known = super::frontmatter::KNOWN_KEYS.contains(&vk);
                            if !known {
                                let shown = format!("`{vk}`");
                                if !default_ignored.contains(&shown) {
                                    default_ignored.push(shown);
                                }
                            }
                            if known || super::frontmatter::IGNORED_KEYS.contains(&vk) {
                                kept.push(DefaultValue {
                                    key: vk.to_string(),
                                    value: vv.clone(),
                                    path: path.to_path_buf(),
                                    line: vline,
                                });
                            }
                        }
                        site.defaults.push(DefaultRule { path: rpath, kind, values: kept });
                    }
                }
                _ => diags.push(bad("a list of `{scope, values}` entries")),
            },
            other => ignored.push(format!("`{other}`")),
        }
    }
    if raw.author.is_none() {
        raw.author = social_name;
    }
    if !url.is_empty() && !url.contains("://") {
        diags.push(
            Diagnostic::error(path, line_of(text, "url"), 1, "config", format!("`url: {url}` is not an absolute URL"))
                .with_hint("write it with its scheme, e.g. `url: https://example.github.io`"),
        );
        url.clear();
    }
    let origin =
        if url.is_empty() { "http://127.0.0.1:1111".to_string() } else { url.trim_end_matches('/').to_string() };
    let base = baseurl.trim_matches('/');
    raw.base_url = Some(if base.is_empty() { origin } else { format!("{origin}/{base}") });
    let (mut config, d) = crate::config::validate_config(raw, path, text, base_url_override);
    diags.extend(d);
    if !ignored.is_empty() {
        diags.push(
            Diagnostic::warning(
                path,
                0,
                0,
                "ignored",
                format!("semdoc does not use these `_config.yml` keys: {}", ignored.join(", ")),
            )
            .with_hint(format!("semdoc reads {}", READ_KEYS.join(", "))),
        );
    }
    if !default_ignored.is_empty() {
        diags.push(
            Diagnostic::warning(
                path,
                line_of(text, "defaults"),
                1,
                "ignored",
                format!(
                    "semdoc does not use these front matter values of `defaults`: {} (Jekyll themes read them)",
                    default_ignored.join(", ")
                ),
            )
            .with_hint(format!("semdoc reads {}", super::frontmatter::KNOWN_KEYS.join(", "))),
        );
    }
    config.jekyll = Some(std::sync::Arc::new(site.clone()));
    (config, diags, site)
}

/// Jekyll's `File.fnmatch?` without flags (`*` also crosses `/`), or a path prefix.
fn glob_include(patterns: &[String], rel: &str) -> bool {
    patterns.iter().any(|p| {
        let p = p.trim_start_matches("./").trim_start_matches('/');
        let p = p.trim_end_matches('/');
        !p.is_empty() && (rel == p || rel.starts_with(&format!("{p}/")) || (p.contains('*') && glob(p, rel)))
    })
}

fn glob(p: &str, s: &str) -> bool {
    match p.find('*') {
        None => p == s,
        Some(i) => {
            let (head, tail) = (&p[..i], &p[i + 1..]);
            s.starts_with(head)
                && (0..=s.len() - head.len())
                    .any(|k| s.is_char_boundary(head.len() + k) && glob(tail, &s[head.len() + k..]))
        }
    }
}

/// Is this folder or file (path from the site root, `/`-separated) left out of the walk entirely?
pub fn excluded(site: &JekyllSite, rel: &str) -> bool {
    let first = rel.split('/').next().unwrap_or("");
    if ALWAYS_EXCLUDED.contains(&first) || first.starts_with('.') {
        return !glob_include(&site.include, rel);
    }
    glob_include(&site.exclude, rel) && !glob_include(&site.include, rel)
}

fn is_special(name: &str) -> bool {
    name.starts_with(['.', '_', '#', '~']) || name.ends_with('~')
}

/// `YYYY-MM-DD-title.ext` (Jekyll's `DATE_FILENAME_MATCHER`: 2–4, 1–2 and 1–2 digits): the date
/// and the title part.
pub fn dated_name(file_stem: &str) -> Option<(&str, &str)> {
    let mut parts = file_stem.splitn(4, '-');
    let (y, m, d, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, lo: usize, hi: usize| (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    (digits(y, 2, 4) && digits(m, 1, 2) && digits(d, 1, 2) && !rest.is_empty())
        .then(|| (&file_stem[..y.len() + m.len() + d.len() + 2], rest))
}

/// What the file at `rel` (from the site root) is. `front_matter`: it starts with `---`.
pub fn role(site: &JekyllSite, rel: &Path, front_matter: bool) -> Role {
    let s = rel.to_string_lossy().replace('\\', "/");
    let parts: Vec<&str> = s.split('/').collect();
    let is_md = rel.extension().is_some_and(|e| e == "md" || e == "markdown");
    let stem = rel.file_stem().and_then(|f| f.to_str()).unwrap_or("");
    if let Some(i) = parts.iter().position(|p| *p == "_posts")
        && !parts[..i].iter().any(|p| is_special(p))
    {
        if !is_md {
            return Role::Ignored("files in `_posts/` that are not Markdown");
        }
        return match dated_name(stem) {
            Some(_) => Role::Post,
            None => Role::Ignored("posts whose file name has no date (`YYYY-MM-DD-title.md`; Jekyll skips them)"),
        };
    }
    if parts[0] == "_drafts" {
        return if is_md { Role::Draft } else { Role::Ignored("files in `_drafts/` that are not Markdown") };
    }
    if let Some(label) = parts[0].strip_prefix('_')
        && let Some(c) = site.collections.iter().find(|c| c.label == label)
        && !glob_include(&site.include, &s)
    {
        if !c.output {
            return Role::Ignored("documents of collections without `output: true`");
        }
        return if is_md && front_matter {
            Role::Doc(label.to_string())
        } else {
            Role::Ignored("collection files that are not Markdown with front matter")
        };
    }
    if parts.len() > 1 && parts[0] == "_includes" {
        return Role::Include(parts[1..].join("/"));
    }
    let special =
        parts.iter().enumerate().any(|(i, p)| is_special(p) && !glob_include(&site.include, &parts[..=i].join("/")));
    if special {
        return Role::Ignored(match parts[0] {
            "_layouts" | "_sass" => "theme folders (`_layouts/`, `_sass/`: semdoc renders with its own theme)",
            "_data" => "`_data/` (site data for Liquid templates)",
            "_plugins" => "`_plugins/` (Ruby plugins)",
            _ => "folders and files Jekyll skips (names starting with `_`, `.`, `#`, `~`)",
        });
    }
    if !front_matter {
        return Role::Asset;
    }
    if is_md { Role::Page } else { Role::Ignored("pages with front matter that are not Markdown (Liquid templates)") }
}

/// Jekyll's `defaults:` for the file at `rel` of type `kind`: later and more specific rules win
/// (`FrontmatterDefaults#all`).
pub fn defaults_for(site: &JekyllSite, rel: &str, kind: &str) -> Vec<DefaultValue> {
    let mut matched: Vec<&DefaultRule> = site
        .defaults
        .iter()
        .filter(|r| {
            let p = r.path.trim_start_matches("./").trim_start_matches('/');
            let path_ok =
                p.is_empty() || if p.contains('*') { glob_include(&[p.to_string()], rel) } else { rel.starts_with(p) };
            path_ok && r.kind.as_deref().is_none_or(|k| k == kind)
        })
        .collect();
    // Stable: longer paths, then typed scopes, take precedence over what came before them.
    matched.sort_by_key(|r| (r.path.trim_matches('/').len(), r.kind.is_some()));
    let mut out: Vec<DefaultValue> = Vec::new();
    for r in matched {
        for v in &r.values {
            out.retain(|o| o.key != v.key);
            out.push(v.clone());
        }
    }
    out
}

/// The defaults' `type` of a role.
pub fn kind_of(role: &Role) -> &str {
    match role {
        Role::Post | Role::Draft => "posts",
        Role::Doc(label) => label,
        _ => "pages",
    }
}

/// Where a page goes: its URL path (decoded, as the file is written) and output file, and its
/// slug. Posts without a front matter date get the file name's; problems are diagnostics.
pub fn place(
    site: &JekyllSite,
    zone: Zone,
    rel: &Path,
    role: &Role,
    front: &mut FrontMatter,
    shown: &Path,
    line: usize,
) -> (String, PathBuf, String, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let stem = rel.file_stem().and_then(|f| f.to_str()).unwrap_or("").trim_end_matches('.');
    let s = rel.to_string_lossy().replace('\\', "/");
    let without_ext = s.rsplit_once('.').map_or(s.as_str(), |(a, _)| a).to_string();
    let url = match role {
        Role::Post | Role::Draft | Role::Doc(_) => {
            let (file_date, title_part) = match (role, dated_name(stem)) {
                (Role::Post, Some((d, t))) => (Some(d), t),
                _ => (None, stem),
            };
            if front.date.is_none()
                && let Some(d) = file_date
            {
                // `2024-1-5` as Jekyll's `Time.parse` reads it.
                let mut it = d.split('-').map(|p| p.parse::<u32>().unwrap_or(0));
                let (y, m, dd) = (it.next().unwrap_or(0), it.next().unwrap_or(0), it.next().unwrap_or(0));
                let y = if y < 100 { y + 2000 } else { y };
                let iso = format!("{y:04}-{m:02}-{dd:02}");
                match super::frontmatter::parse_date(&iso, zone) {
                    Ok(pd) => front.date = Some(PageDate { written: iso, ..pd }),
                    Err(e) => {
                        diags.push(Diagnostic::error(shown, 0, 0, "date", format!("the file name's date {d}: {e}")))
                    }
                }
            }
            let slug = front.slug.clone().unwrap_or_else(|| title_part.to_string());
            let (label, dir) = match role {
                Role::Doc(l) => (l.as_str(), format!("_{l}")),
                Role::Draft => ("posts", "_drafts".to_string()),
                _ => ("posts", "_posts".to_string()),
            };
            let coll = site.collections.iter().find(|c| c.label == label);
            let template = match (&front.permalink, role) {
                (Some(p), _) => p.clone(),
                (None, Role::Doc(_)) => {
                    coll.and_then(|c| c.permalink.clone()).unwrap_or_else(|| site.style.suffixed("/:collection/:path"))
                }
                (None, _) => {
                    coll.and_then(|c| c.permalink.clone()).unwrap_or_else(|| site.style.template().to_string())
                }
            };
            let path_var = without_ext.replacen(&dir, "", 1);
            // Posts in `es/_posts/` are in category `es` unless front matter names categories.
            let mut categories = front.categories.clone();
            if categories.is_empty()
                && let Some(i) = s.find(&format!("/{dir}/"))
            {
                categories = s[..i].split('/').filter(|c| !c.is_empty()).map(str::to_string).collect();
            }
            let vars = DocVars {
                slug: &slug,
                basename: stem,
                path: &path_var,
                collection: label,
                categories: &categories,
                date: front.date.as_ref().map(|d| zone.local_of(&d.datetime)),
            };
            let (url, unknown) = permalink::fill_doc(&template, &vars);
            if !unknown.is_empty() {
                diags.push(
                    Diagnostic::error(
                        shown,
                        line,
                        1,
                        "permalink",
                        format!(
                            "the permalink `{template}` has placeholders Jekyll does not know: {}",
                            unknown.iter().map(|u| format!("`:{u}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .with_hint("see https://jekyllrb.com/docs/permalinks/#placeholders"),
                );
            }
            if matches!(role, Role::Draft | Role::Post) && front.date.is_none() {
                diags.push(
                    Diagnostic::warning(shown, line, 1, "date", "draft has no `date`; its date placeholders are empty")
                        .with_hint(
                            "add `date: YYYY-MM-DD HH:MM:SS +0900` (Jekyll would use the file's modification time)",
                        ),
                );
            }
            return (url.clone(), permalink::out_file(&url), slug, diags);
        }
        _ => {
            let parent = rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            let dir = format!("/{parent}/");
            let template = match &front.permalink {
                Some(p) => p.clone(),
                None if stem == "index" => "/:path/".to_string(),
                None => site.style.suffixed("/:path/:basename"),
            };
            permalink::fill_page(&template, &dir, stem)
        }
    };
    let slug = front.slug.clone().unwrap_or_else(|| stem.to_string());
    (url.clone(), permalink::out_file(&url), slug, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHIRPY: &str = r#"title: 블로그
lang: ko
timezone: Asia/Seoul
url: https://ex.github.io
baseurl: /blog
theme: jekyll-theme-chirpy
paginate: 5
social:
  name: 홍길동
collections:
  tabs:
    output: true
    sort_by: order
defaults:
  - scope:
      path: ""
      type: posts
    values:
      layout: post
      comments: true
      toc: true
      permalink: /posts/:title/
  - scope:
      path: _drafts
    values:
      comments: false
  - scope:
      path: ""
      type: tabs
    values:
      layout: page
      permalink: /:title/
exclude:
  - "*.gem"
  - tools
"#;

    #[test]
    fn chirpy_config() {
        let (c, d, site) = load_config(CHIRPY, None);
        assert_eq!(c.title, "블로그");
        assert_eq!(c.base_url, "https://ex.github.io/blog");
        assert_eq!(c.base_path, "/blog");
        assert_eq!(c.timezone.to_string(), "Asia/Seoul");
        assert_eq!(c.paginate, 5);
        assert_eq!(c.author, "홍길동");
        assert_eq!(site.collections, vec![Collection { label: "tabs".into(), output: true, permalink: None }]);
        // `theme` is listed once, `comments` and `layout` of `defaults` once.
        let ignored: Vec<&str> = d.iter().filter(|d| d.code == "ignored").map(|d| d.message.as_str()).collect();
        assert_eq!(ignored.len(), 2, "{d:?}");
        assert!(ignored[0].contains("`theme`"), "{ignored:?}");
        assert!(ignored[1].contains("`layout`") && ignored[1].contains("`comments`"), "{ignored:?}");
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        let post = defaults_for(&site, "_posts/2024-01-01-a.md", "posts");
        let keys: Vec<&str> = post.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(keys, ["layout", "comments", "toc", "permalink"]);
        let draft = defaults_for(&site, "_drafts/a.md", "posts");
        let comments = draft.iter().find(|v| v.key == "comments").unwrap();
        assert_eq!(comments.value, Value::Bool(false), "the more specific path wins");
        assert!(excluded(&site, "tools/x.sh") && excluded(&site, "a.gem") && excluded(&site, "_site"));
        assert!(excluded(&site, "node_modules") && excluded(&site, "Gemfile.lock") && !excluded(&site, "assets"));
    }

    #[test]
    fn roles() {
        let (_, _, site) = load_config(CHIRPY, None);
        let r = |p: &str, fm: bool| role(&site, Path::new(p), fm);
        assert_eq!(r("_posts/2024-01-01-a.md", true), Role::Post);
        assert_eq!(r("_posts/sub/2024-1-1-a.md", true), Role::Post);
        assert!(matches!(r("_posts/undated.md", true), Role::Ignored(_)));
        assert_eq!(r("ko/_posts/2024-01-01-a.md", true), Role::Post);
        assert_eq!(r("_drafts/a.md", true), Role::Draft);
        assert_eq!(r("_tabs/about.md", true), Role::Doc("tabs".into()));
        assert_eq!(r("about.md", true), Role::Page);
        assert_eq!(r("assets/img/a.png", false), Role::Asset);
        assert!(matches!(r("_layouts/post.html", true), Role::Ignored(_)));
        assert_eq!(r("_includes/embed/note.html", false), Role::Include("embed/note.html".into()));
        assert!(matches!(r("index.html", true), Role::Ignored(_)));
        assert!(matches!(r("_pages/links.md", true), Role::Ignored(_)));
        let mut with_pages = site.clone();
        with_pages.include.push("_pages".into());
        assert_eq!(role(&with_pages, Path::new("_pages/links.md"), true), Role::Page);
    }

    #[test]
    fn dated_names() {
        assert_eq!(dated_name("2024-08-03-kafka"), Some(("2024-08-03", "kafka")));
        assert_eq!(dated_name("2024-8-3-a-b"), Some(("2024-8-3", "a-b")));
        assert_eq!(dated_name("2024-08-03"), None);
        assert_eq!(dated_name("about"), None);
    }
}
