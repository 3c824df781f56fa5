//! Front matter: splitting a page into its `---` YAML block and body, and validating the fields.
//!
//! Jekyll/Chirpy shape is the reference: `title`, `date` (`YYYY-MM-DD HH:MM:SS +0900` and friends),
//! top-level `categories` and `tags` (a list, or a space-separated string as Jekyll allows).
//! Unknown keys are warnings with a "did you mean" hint; known Jekyll/Chirpy presentation keys are
//! accepted and ignored (listed in `IGNORED_KEYS`).

use super::yaml::{self, Value};
use super::zone::Zone;
use crate::diag::{Diagnostic, did_you_mean};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::BTreeMap;
use std::path::Path;

/// Keys semdoc reads.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "last_modified_at",
    "categories",
    "category",
    "tags",
    "draft",
    "published",
    "slug",
    "description",
    "toc",
    "semdoc",
    "image",
    "permalink",
    "order",
    "media_subpath",
    "render_with_liquid",
    "math",
];

/// Jekyll / Chirpy keys that only affect their themes; accepted so that posts move over unchanged.
pub const IGNORED_KEYS: &[&str] = &["layout", "author", "authors", "pin", "mermaid", "comments", "lang", "icon"];

/// A date as written in front matter, plus its parsed instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDate {
    /// Exactly as written (`2024-08-03 23:10:00 +0900`); shown on the page.
    pub written: String,
    /// The instant, in the offset as written (or the site's default offset when none was written).
    pub datetime: DateTime<FixedOffset>,
    /// Only a date was written (no time of day).
    pub date_only: bool,
}

impl PageDate {
    /// RFC 3339 form for `<time datetime>`, the feed and the sitemap (midnight for a date alone).(midnight for a date alone).
    pub fn iso(&self) -> String {
        self.datetime.to_rfc3339()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<PageDate>,
    pub updated: Option<PageDate>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// `draft: true` or `published: false`.
    pub draft: bool,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub toc: Option<bool>,
    /// Page-level defaults for executable snippets (`semdoc: {kafka: "2.8"}`).
    pub semdoc: BTreeMap<String, String>,
    /// The cover image: `image: /img/a.png` or Chirpy's `image: {path, alt, lqip}`.
    pub image: Option<Cover>,
    /// Jekyll's per-page URL (`/about/`, or a template such as `/posts/:title/`).
    pub permalink: Option<String>,
    /// A Chirpy tab's place in the menu.
    pub order: Option<i64>,
    /// The Jekyll layout named (semdoc renders with its own theme; Chirpy's `categories` and
    /// `tags` tabs are semdoc's taxonomy pages).
    pub layout: Option<String>,
    /// Chirpy: the folder relative image paths of this post are in.
    pub media_subpath: Option<String>,
    /// `render_with_liquid: false`: the body is Markdown only (Jekyll 4's switch).
    pub no_liquid: bool,
    /// `math: true` (Chirpy's switch): inline `$…$` formulas on this page.
    pub math: bool,
}

/// A post's cover image as front matter gives it (the path as written).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Cover {
    pub path: String,
    pub alt: Option<String>,
    /// A low-quality placeholder (usually a `data:` URL) shown while the image loads.
    pub lqip: Option<String>,
}

/// The result of splitting a file: front matter text (and its first line) and the body (and its first line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: Option<&'a str>,
    /// 1-based line of the first YAML line in the file.
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line of the first body line in the file.
    pub body_line: usize,
}

/// Split `text` into its `---` front matter and body. A file that does not start with `---` has no
/// front matter. A `---` block that never closes is an error pointing at the opening line.
pub fn split_front_matter<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Box<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Ok(Split { front: None, front_line: 0, body: text, body_line: 1 });
    }
    let mut pos = first_end;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            return Ok(Split {
                front: Some(&text[first_end..pos]),
                front_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        pos = end;
        line += 1;
    }
    Err(Box::new(
        Diagnostic::error(path, 1, 1, "front-matter", "front matter starts with `---` but is never closed")
            .with_hint("add a line with only `---` after the last front matter field"),
    ))
}

/// Parse and validate front matter. Returns the fields plus every problem found (warnings for
/// unknown keys; errors for wrong types and impossible dates). `default_offset` applies to dates
/// written without a UTC offset.
pub fn parse_front_matter(
    text: &str,
    path: &Path,
    first_line: usize,
    default_zone: impl Into<Zone>,
) -> (FrontMatter, Vec<Diagnostic>) {
    parse_front_matter_with(text, path, first_line, default_zone.into(), &[], false)
}

/// A front matter value that a site-wide rule supplies (Jekyll's `defaults:` in `_config.yml`),
/// with where it is written, for diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultValue {
    pub key: String,
    pub value: Value,
    pub path: std::path::PathBuf,
    pub line: usize,
}

/// `parse_front_matter` with `defaults` applied first: every default whose key the page does not
/// set is read exactly as if the page had written it (its problems point at where the default is
/// written). `jekyll`: a Jekyll site's file, whose `slug` may be any text (Jekyll slugifies it
/// when it makes the URL).
pub fn parse_front_matter_with(
    text: &str,
    path: &Path,
    first_line: usize,
    default_zone: Zone,
    defaults: &[DefaultValue],
    jekyll: bool,
) -> (FrontMatter, Vec<Diagnostic>) {
    let mut fm = FrontMatter::default();
    let mut diags = Vec::new();
    let map = match yaml::decode_mapping(text, path, first_line) {
        Ok(m) => m,
        Err(d) => return (fm, vec![*d]),
    };
    let mut entries: Vec<(String, Value, &Path, usize, usize)> = Vec::new();
    for (k, v) in map {
        let Some(key) = k.as_str().map(str::to_string) else {
            diags.push(Diagnostic::error(path, first_line, 1, "front-matter", "front matter keys must be strings"));
            continue;
        };
        let (line, col) = key_position(text, &key, first_line);
        entries.push((key, v, path, line, col));
    }
    for d in defaults {
        if !entries.iter().any(|(k, ..)| *k == d.key) {
            entries.push((d.key.clone(), d.value.clone(), &d.path, d.line, 1));
        }
    }
    let default_offset = default_zone;
    for (key, v, path, line, col) in entries {
        let err = |msg: String| Diagnostic::error(path, line, col, "front-matter", msg);
        match key.as_str() {
            "title" => match scalar_string(&v) {
                Some(s) => fm.title = s,
                None => diags.push(err(format!("`title` must be text, found {}", yaml::kind_of(&v)))),
            },
            "date" | "updated" | "last_modified_at" => match scalar_string(&v) {
                Some(s) => match parse_date(&s, default_offset) {
                    Ok(d) => {
                        if key == "date" {
                            fm.date = Some(d)
                        } else {
                            fm.updated = Some(d)
                        }
                    }
                    Err(msg) => diags.push(
                        Diagnostic::error(path, line, col, "date", format!("`{key}: {s}` is not a valid date: {msg}"))
                            .with_hint("write `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS +0900` or RFC 3339 `YYYY-MM-DDTHH:MM:SS+09:00`"),
                    ),
                },
                None => diags.push(err(format!("`{key}` must be a date, found {}", yaml::kind_of(&v)))),
            },
            "categories" | "category" | "tags" => match string_list(&v) {
                Some(list) => {
                    if key == "tags" {
                        fm.tags = list
                    } else {
                        fm.categories.extend(list)
                    }
                }
                None => diags.push(
                    err(format!("`{key}` must be a list of names, found {}", yaml::kind_of(&v)))
                        .with_hint(format!("write `{key}: [Kafka, 카프카]`")),
                ),
            },
            "draft" | "published" | "toc" | "render_with_liquid" | "math" => match v.as_bool() {
                Some(b) => match key.as_str() {
                    "render_with_liquid" => fm.no_liquid = !b,
                    "math" => fm.math = b,
                    "draft" => fm.draft |= b,
                    "published" => fm.draft |= !b,
                    _ => fm.toc = Some(b),
                },
                None => diags.push(err(format!("`{key}` must be `true` or `false`, found {}", yaml::kind_of(&v)))),
            },
            "permalink" => match scalar_string(&v) {
                Some(s) if !s.trim().is_empty() => fm.permalink = Some(s),
                _ => diags.push(
                    err(format!("`permalink` must be a URL path, found {}", yaml::kind_of(&v)))
                        .with_hint("write e.g. `permalink: /about/` or `permalink: /posts/:title/`"),
                ),
            },
            "order" => match v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)) {
                Some(n) => fm.order = Some(n),
                None => diags.push(err(format!("`order` must be a number, found {}", yaml::kind_of(&v)))),
            },
            "slug" => match scalar_string(&v) {
                Some(s) if is_valid_slug(&s) || (jekyll && !s.trim().is_empty()) => fm.slug = Some(s),
                Some(s) => diags.push(
                    err(format!("`slug: {s}` cannot be used in a URL"))
                        .with_hint("a slug is one path segment: no `/`, `\\`, `..`, `?`, `#` or spaces"),
                ),
                None => diags.push(err(format!("`slug` must be text, found {}", yaml::kind_of(&v)))),
            },
            "image" => match &v {
                Value::Mapping(m) => {
                    let mut cover = Cover::default();
                    for (ik, iv) in m {
                        let (Some(ik), Some(iv)) = (ik.as_str(), scalar_string(iv)) else {
                            diags.push(err("`image` entries must be text: `image: {path: /img/a.png, alt: …}`".into()));
                            continue;
                        };
                        match ik {
                            "path" => cover.path = iv,
                            "alt" => cover.alt = Some(iv),
                            "lqip" => cover.lqip = Some(iv),
                            other => diags.push(
                                Diagnostic::warning(path, line, col, "unknown-key", format!("unknown `image` key `{other}`"))
                                    .with_hint("`image` takes `path`, `alt` and `lqip`"),
                            ),
                        }
                    }
                    if cover.path.is_empty() {
                        diags.push(err("`image` has no `path`".into()).with_hint("write `image: {path: /img/a.png, alt: …}`"));
                    } else {
                        fm.image = Some(cover);
                    }
                }
                _ => match scalar_string(&v).filter(|s| !s.is_empty()) {
                    Some(p) => fm.image = Some(Cover { path: p, alt: None, lqip: None }),
                    None => diags.push(
                        err(format!("`image` must be a path or a mapping, found {}", yaml::kind_of(&v)))
                            .with_hint("write `image: /img/a.png` or `image: {path: /img/a.png, alt: …}`"),
                    ),
                },
            },
            "description" => match scalar_string(&v) {
                Some(s) => fm.description = Some(s),
                None => diags.push(err(format!("`description` must be text, found {}", yaml::kind_of(&v)))),
            },
            "semdoc" => match v {
                Value::Mapping(m) => {
                    for (sk, sv) in m {
                        match (scalar_string(&sk), scalar_string(&sv)) {
                            (Some(sk), Some(sv)) => {
                                fm.semdoc.insert(sk, sv);
                            }
                            _ => diags.push(err("`semdoc` values must be plain `key: value` pairs".into())),
                        }
                    }
                }
                other => diags.push(
                    err(format!("`semdoc` must be a mapping, found {}", yaml::kind_of(&other)))
                        .with_hint("write `semdoc: {kafka: \"2.8\", faults: kafka-promise}`"),
                ),
            },
            "layout" => fm.layout = scalar_string(&v),
            "media_subpath" => fm.media_subpath = scalar_string(&v),
            k if IGNORED_KEYS.contains(&k) => {}
            k => {
                let mut d = Diagnostic::warning(path, line, col, "unknown-key", format!("unknown front matter key `{k}`"));
                let mut all: Vec<&str> = KNOWN_KEYS.to_vec();
                all.extend_from_slice(IGNORED_KEYS);
                d = match did_you_mean(k, &all) {
                    Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                    None => d.with_hint(format!("known keys: {}", KNOWN_KEYS.join(", "))),
                };
                diags.push(d);
            }
        }
    }
    (fm, diags)
}

/// Can `s` be one segment of a URL path as it is written (no separator, query, fragment,
/// escape, dot segment, space or control character)?
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.chars().any(|c| matches!(c, '/' | '\\' | '?' | '#' | '%') || c.is_whitespace() || c.is_control())
}

/// The 1-based line and column of top-level `key:` inside the front matter block.
pub(crate) fn key_position(text: &str, key: &str, first_line: usize) -> (usize, usize) {
    for (i, l) in text.lines().enumerate() {
        let rest = l
            .strip_prefix(key)
            .or_else(|| l.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| l.strip_prefix(&format!("'{key}'")));
        if let Some(rest) = rest
            && rest.trim_start().starts_with(':')
        {
            return (first_line + i, 1);
        }
    }
    (first_line, 1)
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Jekyll accepts a list or a space-separated string for `categories` and `tags`.
fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Null => Some(Vec::new()),
        Value::Sequence(items) => items
            .iter()
            .map(scalar_string)
            .collect::<Option<Vec<_>>>()
            .map(|l| l.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()),
        Value::String(s) => Some(s.split_whitespace().map(str::to_string).collect()),
        Value::Number(n) => Some(vec![n.to_string()]),
        _ => None,
    }
}

/// Parse Jekyll's date forms, keeping the offset as written:
/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.fff]]`, optionally followed by ` +0900`, ` +09:00`,
/// `+09:00`, `Z`; and RFC 3339 (`YYYY-MM-DDTHH:MM:SS+09:00`).
pub fn parse_date(s: &str, default_zone: impl Into<Zone>) -> Result<PageDate, String> {
    let default_zone = default_zone.into();
    let written = s.trim().to_string();
    if let Ok(d) = DateTime::parse_from_rfc3339(&written) {
        return Ok(PageDate { written, datetime: d, date_only: false });
    }
    if let Ok(d) = NaiveDate::parse_from_str(&written, "%Y-%m-%d") {
        let dt = d.and_time(NaiveTime::MIN);
        return local(dt, default_zone).map(|datetime| PageDate { written, datetime, date_only: true });
    }
    // Split off a trailing offset: "+0900", "+09:00", "-05:00", "Z", "UTC".
    let (main, offset) = split_offset(&written)?;
    let main = main.trim().replacen('T', " ", 1);
    let naive = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&main, f).ok())
        .ok_or_else(|| explain_bad_date(&main))?;
    let datetime = local(naive, offset.map_or(default_zone, Zone::Fixed))?;
    Ok(PageDate { written, datetime, date_only: false })
}

fn local(dt: NaiveDateTime, zone: Zone) -> Result<DateTime<FixedOffset>, String> {
    zone.at_local(dt).ok_or_else(|| format!("the time does not exist in {zone} (a daylight-saving gap)"))
}

fn split_offset(s: &str) -> Result<(&str, Option<FixedOffset>), String> {
    if let Some(m) = s.strip_suffix('Z').or_else(|| s.strip_suffix(" UTC")) {
        return Ok((m, Some(FixedOffset::east_opt(0).expect("zero offset"))));
    }
    // Find the last '+' or a '-' that follows the time part.
    let Some(idx) = s.rfind(['+', '-']).filter(|&i| i > 10) else {
        return Ok((s, None));
    };
    let off = s[idx + 1..].replace(':', "");
    if off.len() != 4 || !off.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("`{}` is not a UTC offset like +0900 or +09:00", &s[idx..]));
    }
    let h: i32 = off[..2].parse().map_err(|_| "bad offset hours".to_string())?;
    let m: i32 = off[2..].parse().map_err(|_| "bad offset minutes".to_string())?;
    if h > 23 || m > 59 {
        return Err(format!("`{}` is not a valid UTC offset", &s[idx..]));
    }
    let secs = (h * 3600 + m * 60) * if s.as_bytes()[idx] == b'-' { -1 } else { 1 };
    Ok((&s[..idx], FixedOffset::east_opt(secs)))
}

fn explain_bad_date(main: &str) -> String {
    // Distinguish "impossible date" (2024-02-30) from "unreadable".
    let date_part = main.split([' ', 'T']).next().unwrap_or("");
    let parts: Vec<&str> = date_part.split('-').collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
        if NaiveDate::parse_from_str(date_part, "%Y-%m-%d").is_err() {
            return format!("{date_part} does not exist in the calendar");
        }
        return "the time of day is not HH:MM or HH:MM:SS".into();
    }
    "expected a date like 2024-08-03".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kst() -> FixedOffset {
        FixedOffset::east_opt(9 * 3600).unwrap()
    }

    #[test]
    fn jekyll_date_forms_keep_their_offset() {
        let utc = FixedOffset::east_opt(0).unwrap();
        for (input, iso, date_only) in [
            ("2024-08-03 23:10:00 +0900", "2024-08-03T23:10:00+09:00", false),
            ("2024-08-03 23:10:00 +09:00", "2024-08-03T23:10:00+09:00", false),
            ("2024-08-03 23:10:00+09:00", "2024-08-03T23:10:00+09:00", false),
            ("2024-08-03T23:10:00+09:00", "2024-08-03T23:10:00+09:00", false),
            ("2024-08-03T14:10:00Z", "2024-08-03T14:10:00+00:00", false),
            ("2024-08-03 23:10 -0500", "2024-08-03T23:10:00-05:00", false),
            ("2024-08-03 23:10:00", "2024-08-03T23:10:00+00:00", false),
            ("2024-08-03", "2024-08-03T00:00:00+00:00", true),
        ] {
            let d = parse_date(input, utc).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(d.iso(), iso, "{input}");
            assert_eq!(d.written, input);
            assert_eq!(d.date_only, date_only, "{input}");
        }
    }

    #[test]
    fn impossible_and_malformed_dates_are_explained() {
        for (input, needle) in [
            ("2024-02-30", "does not exist"),
            ("2024-02-30 10:00:00 +0900", "does not exist"),
            ("2024-08-03 25:00:00 +0900", "time of day"),
            ("yesterday", "expected a date"),
            ("2024-08-03 10:00:00 +9", "UTC offset"),
        ] {
            let e = parse_date(input, kst()).unwrap_err();
            assert!(e.contains(needle), "{input}: {e}");
        }
    }

    #[test]
    fn split_handles_bom_crlf_and_unclosed_blocks() {
        let p = Path::new("a.md");
        let s = split_front_matter("\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n", p).unwrap();
        assert_eq!(s.front, Some("title: x\r\n"));
        assert_eq!(s.body, "body\r\n");
        assert_eq!(s.body_line, 4);
        let none = split_front_matter("# just markdown\n", p).unwrap();
        assert_eq!(none.front, None);
        assert_eq!(none.body_line, 1);
        let err = split_front_matter("---\ntitle: x\nbody", p).unwrap_err();
        assert_eq!((err.line, err.code), (1, "front-matter"));
    }

    #[test]
    fn fields_and_unknown_keys() {
        let text = "title: 제목\ndate: 2024-08-03 23:10:00 +0900\ncategories: [Kafka]\ntags: Kafka 카프카\ntitel: oops\nlayout: post\npublished: false\n";
        let (fm, diags) = parse_front_matter(text, Path::new("a.md"), 2, kst());
        assert_eq!(fm.title, "제목");
        assert_eq!(fm.categories, vec!["Kafka"]);
        assert_eq!(fm.tags, vec!["Kafka", "카프카"]);
        assert!(fm.draft);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 6);
        assert_eq!(diags[0].code, "unknown-key");
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn wrong_types_are_errors_at_the_key_line() {
        let text = "title: x\ntags: {a: 1}\ndraft: maybe\nslug: a/b\n";
        let (_, diags) = parse_front_matter(text, Path::new("a.md"), 2, kst());
        let lines: Vec<(usize, bool)> = diags.iter().map(|d| (d.line, d.is_error())).collect();
        assert_eq!(lines, vec![(3, true), (4, true), (5, true)]);
    }
}
