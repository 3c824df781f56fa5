//! Site configuration: `site.yaml` at the site root, decoded strictly (`RawConfig`) and validated into `Config`.

use crate::content::yaml;
use crate::content::zone::Zone;
use crate::diag::{Diagnostic, did_you_mean};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const CONFIG_FILE: &str = "site.yaml";

/// `site.yaml` as written. Unknown fields are errors (with line and column) so typos never pass silently.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub author: Option<String>,
    /// UTC offset for dates written without one, e.g. `+09:00`.
    pub timezone: Option<String>,
    /// Which taxonomies get pages: a subset of `[tags, categories]`.
    pub taxonomies: Option<Vec<String>>,
    /// Extra header navigation entries.
    pub menu: Option<Vec<MenuItem>>,
    /// Site-wide defaults for executable snippets (`kafka`, `client`, `faults`).
    pub semdoc: Option<BTreeMap<String, String>>,
    /// Generate the offline "try a config" page at `/playground/` (precomputed answers; off by default).
    pub playground: Option<bool>,
    /// Posts per list page on the home page and each term page (`/page/2/`, …); 0 lists them all
    /// on one page. Default 10 (Hugo's pager size).
    pub paginate: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub title: String,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taxonomy {
    Tags,
    Categories,
}

impl Taxonomy {
    pub fn key(&self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Categories => "categories",
        }
    }
    pub fn title(&self) -> &'static str {
        match self {
            Taxonomy::Tags => "태그",
            Taxonomy::Categories => "카테고리",
        }
    }
}

/// The validated configuration every stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute base URL without trailing slash, e.g. `https://example.com/blog`.
    pub base_url: String,
    /// The path part of `base_url` (`/blog`), or "" for a site at the domain root.
    pub base_path: String,
    pub language: String,
    pub author: String,
    /// For dates written without an offset: a fixed offset or an IANA zone (`Asia/Seoul`).
    pub timezone: Zone,
    pub taxonomies: Vec<Taxonomy>,
    pub menu: Vec<MenuItem>,
    pub semdoc: BTreeMap<String, String>,
    pub playground: bool,
    /// Posts per list page; 0: no pagination.
    pub paginate: usize,
    /// Set for a Jekyll site read in place (`_config.yml`): its permalink style, collections,
    /// front matter defaults and the like.
    pub jekyll: Option<std::sync::Arc<crate::content::jekyll::JekyllSite>>,
}

impl Config {
    /// A hash of every setting, so that memos can key by the config without listing its fields.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        format!("{self:?}").hash(&mut h);
        h.finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        validate_config(RawConfig::default(), Path::new(CONFIG_FILE), "", None).0
    }
}

/// Decode `site.yaml`. Returns the config plus diagnostics; on a decode error the defaults are used
/// and the error is reported, so that every other problem is still found.
pub fn load_config(text: &str, path: &Path, base_url_override: Option<&str>) -> (Config, Vec<Diagnostic>) {
    // Every unknown top-level field is reported at its own line (serde stops at the first); the
    // rest is then decoded with those fields blanked out, so their lines keep their numbers and
    // every other problem is still found.
    let (unknown, known_text) = unknown_top_level_fields(text, path);
    let text_for_decode = known_text.as_deref().unwrap_or(text);
    let (cfg, mut diags) = match yaml::decode::<Option<RawConfig>>(text_for_decode, path, 1) {
        Ok(raw) => validate_config(raw.unwrap_or_default(), path, text, base_url_override),
        Err(mut d) => {
            add_field_hint(&mut d);
            let (cfg, mut diags) = validate_config(RawConfig::default(), path, text, base_url_override);
            diags.insert(0, *d);
            (cfg, diags)
        }
    };
    diags.splice(0..0, unknown);
    (cfg, diags)
}

/// Names other generators use for semdoc's fields, so their users get the right hint.
const ALIASES: &[(&str, &str)] = &[
    ("url", "base_url"),
    ("baseurl", "base_url"),
    ("baseURL", "base_url"),
    ("lang", "language"),
    ("languageCode", "language"),
    ("defaultContentLanguage", "language"),
    ("paginate_by", "paginate"),
    ("pagination", "paginate"),
];

/// The top-level keys of `site.yaml` that are not fields, one `config` error each at its line and
/// column, plus the text with those keys' lines (the key line and its indented value lines)
/// blanked. `None` when there is nothing to blank (or the text is no mapping: the decoder reports it).
fn unknown_top_level_fields(text: &str, path: &Path) -> (Vec<Diagnostic>, Option<String>) {
    let Ok(map) = yaml::decode_mapping(text, path, 1) else { return (Vec::new(), None) };
    let unknown: Vec<String> =
        map.keys().filter_map(|k| k.as_str()).filter(|k| !FIELDS.contains(k)).map(str::to_string).collect();
    if unknown.is_empty() {
        return (Vec::new(), None);
    }
    let mut diags = Vec::new();
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let top_key = |l: &str| -> Option<String> {
        if l.starts_with([' ', '\t', '#', '-']) {
            return None;
        }
        let (k, _) = l.split_once(':')?;
        Some(k.trim().trim_matches(['"', '\'']).to_string())
    };
    let mut i = 0;
    while i < lines.len() {
        match top_key(lines[i]).filter(|k| unknown.contains(k)) {
            Some(k) => {
                let hint =
                    match ALIASES.iter().find(|(a, _)| *a == k).map(|(_, f)| *f).or_else(|| did_you_mean(&k, FIELDS)) {
                        Some(s) => format!("did you mean `{s}`? known fields: {}", FIELDS.join(", ")),
                        None => format!("known fields: {}", FIELDS.join(", ")),
                    };
                diags.push(
                    Diagnostic::error(path, i + 1, 1, "config", format!("unknown field `{k}` in site.yaml"))
                        .with_hint(hint),
                );
                lines[i] = "\n";
                i += 1;
                while i < lines.len() && (lines[i].starts_with([' ', '\t', '-']) || lines[i].trim().is_empty()) {
                    lines[i] = "\n";
                    i += 1;
                }
            }
            None => i += 1,
        }
    }
    (diags, Some(lines.concat()))
}

const FIELDS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "author",
    "timezone",
    "taxonomies",
    "menu",
    "semdoc",
    "playground",
    "paginate",
];

fn add_field_hint(d: &mut Diagnostic) {
    if let Some(rest) = d.message.split("unknown field `").nth(1) {
        let field = rest.split('`').next().unwrap_or("");
        d.code = "config";
        d.hint = Some(match did_you_mean(field, FIELDS) {
            Some(s) => format!("did you mean `{s}`? known fields: {}", FIELDS.join(", ")),
            None => format!("known fields: {}", FIELDS.join(", ")),
        });
    }
}

pub fn validate_config(
    raw: RawConfig,
    path: &Path,
    text: &str,
    base_url_override: Option<&str>,
) -> (Config, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':'))
            .map_or(1, |i| i + 1)
    };
    let base_url =
        base_url_override.map(str::to_string).or(raw.base_url).unwrap_or_else(|| "http://127.0.0.1:1111".into());
    let base_url = base_url.trim_end_matches('/').to_string();
    let base_path = match base_url.split_once("://") {
        Some((scheme, rest)) if !scheme.is_empty() && !rest.is_empty() => {
            rest.find('/').map(|i| rest[i..].trim_end_matches('/').to_string()).unwrap_or_default()
        }
        _ => {
            diags.push(
                Diagnostic::error(
                    path,
                    line_of("base_url"),
                    1,
                    "config",
                    format!("`base_url: {base_url}` is not an absolute URL"),
                )
                .with_hint("write it with its scheme, e.g. `base_url: https://example.com/docs`"),
            );
            String::new()
        }
    };
    let timezone = match raw.timezone.as_deref() {
        None => Zone::default(),
        Some(tz) => match Zone::parse(tz) {
            Some(z) => z,
            None => {
                diags.push(
                    Diagnostic::error(
                        path,
                        line_of("timezone"),
                        1,
                        "config",
                        format!("`timezone: {tz}` is neither a UTC offset nor an IANA time zone name"),
                    )
                    .with_hint("write an offset such as `+09:00` or a zone such as `Asia/Seoul`"),
                );
                Zone::default()
            }
        },
    };
    if let Some(l) = raw.language.as_deref().filter(|l| crate::i18n::Lang::parse(l).is_none()) {
        diags.push(
            Diagnostic::warning(
                path,
                line_of("language"),
                1,
                "config",
                format!("semdoc has no interface strings for `language: {l}`; the theme's own words will be English"),
            )
            .with_hint(format!(
                "semdoc's interface speaks {}; pages keep `lang=\"{l}\"` for your content",
                crate::i18n::SUPPORTED.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" and ")
            )),
        );
    }
    let mut taxonomies = Vec::new();
    for t in raw.taxonomies.unwrap_or_else(|| vec!["categories".into(), "tags".into()]) {
        match t.as_str() {
            "tags" => taxonomies.push(Taxonomy::Tags),
            "categories" => taxonomies.push(Taxonomy::Categories),
            other => diags.push(
                Diagnostic::error(path, line_of("taxonomies"), 1, "config", format!("unknown taxonomy `{other}`"))
                    .with_hint("semdoc knows the taxonomies `tags` and `categories`"),
            ),
        }
    }
    let config = Config {
        title: raw.title.unwrap_or_else(|| "semdoc".into()),
        description: raw.description.unwrap_or_default(),
        base_url,
        base_path,
        language: raw.language.unwrap_or_else(|| "ko".into()),
        author: raw.author.unwrap_or_default(),
        timezone,
        taxonomies,
        menu: raw.menu.unwrap_or_default(),
        semdoc: raw.semdoc.unwrap_or_default(),
        playground: raw.playground.unwrap_or(false),
        paginate: raw.paginate.unwrap_or(10),
        jekyll: None,
    };
    (config, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_base_path() {
        let (c, d) = load_config(
            "title: T\nbase_url: https://ex.com/blog/\ntimezone: \"+09:00\"\n",
            Path::new("site.yaml"),
            None,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.base_url, "https://ex.com/blog");
        assert_eq!(c.base_path, "/blog");
        assert_eq!(c.timezone.to_string(), "+09:00");
        assert_eq!(c.language, "ko");
    }

    #[test]
    fn unknown_field_is_an_error_with_line_and_suggestion() {
        let (_, d) = load_config("title: T\nbaseurl: x\n", Path::new("site.yaml"), None);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 2);
        assert!(d[0].hint.as_deref().unwrap().contains("did you mean `base_url`?"), "{:?}", d[0]);
    }

    #[test]
    fn every_unknown_field_is_reported_at_its_line_and_the_rest_still_decodes() {
        let text = "title: T\nbaseurl: /x\nurl: https://ex.com\nmenu:\n  - title: A\n    path: /a/\nnonsense:\n  a: 1\n  b: 2\ntimezone: bogus\n";
        let (c, d) = load_config(text, Path::new("site.yaml"), None);
        let got: Vec<(usize, &str)> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (2, "unknown field `baseurl` in site.yaml"),
                (3, "unknown field `url` in site.yaml"),
                (7, "unknown field `nonsense` in site.yaml"),
                (10, "`timezone: bogus` is neither a UTC offset nor an IANA time zone name"),
            ]
        );
        assert!(d[0].hint.as_deref().unwrap().starts_with("did you mean `base_url`?"));
        assert!(d[1].hint.as_deref().unwrap().starts_with("did you mean `base_url`?"));
        assert!(d[2].hint.as_deref().unwrap().starts_with("known fields:"));
        assert_eq!(c.title, "T");
        assert_eq!(c.menu.len(), 1, "fields after an unknown one are still read");
    }

    #[test]
    fn bad_values() {
        let (_, d) = load_config(
            "base_url: example.com\ntimezone: KST\ntaxonomies: [tags, series]\n",
            Path::new("site.yaml"),
            None,
        );
        let lines: Vec<usize> = d.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![1, 2, 3], "{d:?}");
    }
}
