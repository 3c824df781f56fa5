//! Jekyll's URLs: permalink styles, `:placeholder` templates, `slugify`, and the output file a URL
//! is written to, as Jekyll 4.3 makes them.
//!
//! Sources (Jekyll 4.3): <https://jekyllrb.com/docs/permalinks/> for the styles and placeholders;
//! `lib/jekyll/drops/url_drop.rb` (placeholder values), `lib/jekyll/url.rb` (substitution and
//! clean-up), `lib/jekyll/utils.rb` (`slugify`, `add_permalink_suffix`),
//! `lib/jekyll/configuration.rb` (`STYLE_TO_PERMALINK`) and `lib/jekyll/document.rb` /
//! `lib/jekyll/page.rb` (`destination`) at tag v4.3.1.

use chrono::{Datelike, NaiveDateTime};

/// A built-in permalink style, or a template of the writer's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    Date,
    Pretty,
    Ordinal,
    Weekdate,
    None,
    Template(String),
}

impl Style {
    pub fn parse(s: &str) -> Style {
        match s.trim() {
            "date" => Style::Date,
            "pretty" => Style::Pretty,
            "ordinal" => Style::Ordinal,
            "weekdate" => Style::Weekdate,
            "none" => Style::None,
            other => Style::Template(other.to_string()),
        }
    }

    /// The posts' URL template this style stands for.
    pub fn template(&self) -> &str {
        match self {
            Style::None => "/:categories/:title:output_ext",
            Style::Date => "/:categories/:year/:month/:day/:title:output_ext",
            Style::Ordinal => "/:categories/:year/:y_day/:title:output_ext",
            Style::Pretty => "/:categories/:year/:month/:day/:title/",
            Style::Weekdate => "/:categories/:year/W:week/:short_day/:title:output_ext",
            Style::Template(t) => t,
        }
    }

    /// Jekyll's `add_permalink_suffix`: a page or collection template takes the style's ending
    /// (`/` for pretty and templates ending in `/`, `:output_ext` for date, ordinal and none).
    pub fn suffixed(&self, template: &str) -> String {
        let mut t = template.to_string();
        match self {
            Style::Pretty => t.push('/'),
            Style::Date | Style::Ordinal | Style::None => t.push_str(":output_ext"),
            Style::Weekdate => {}
            Style::Template(s) => {
                if s.ends_with('/') {
                    t.push('/');
                } else if s.ends_with(":output_ext") {
                    t.push_str(":output_ext");
                }
            }
        }
        t
    }
}

/// Jekyll's `Utils.slugify` in its `default` mode (`pretty == false`: every run of characters
/// other than letters, marks and digits becomes `-`) or `pretty` mode (also keeps
/// `._~!$&'()+,;=@`), trimmed of `-` at either end, lowercased unless `cased`. Rust's
/// `is_alphanumeric` stands for Ruby's `\p{L}\p{M}\p{Nd}` (it also admits other numerals).
pub fn slugify(s: &str, pretty: bool, cased: bool) -> String {
    let keep = |c: char| c.is_alphanumeric() || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if keep(c) {
            out.push(c);
            dash = false;
        } else if !dash {
            out.push('-');
            dash = true;
        }
    }
    let trimmed = out.strip_prefix('-').unwrap_or(&out);
    let trimmed = trimmed.strip_suffix('-').unwrap_or(trimmed);
    if cased { trimmed.to_string() } else { trimmed.to_lowercase() }
}

/// What a post's (or collection document's) placeholders are made of.
#[derive(Debug, Clone)]
pub struct DocVars<'a> {
    /// The `slug` (front matter, else the file name without date and extension).
    pub slug: &'a str,
    /// The file name without extension (`2024-01-01-hello`).
    pub basename: &'a str,
    /// The path inside the collection without extension (`/sub/2024-01-01-hello`).
    pub path: &'a str,
    pub collection: &'a str,
    pub categories: &'a [String],
    /// The date as wall-clock time in the site's time zone; None gives empty date placeholders.
    pub date: Option<NaiveDateTime>,
}

/// Fill a document template (`UrlDrop`): unknown placeholders are left as written (Jekyll stops
/// the build on them; the caller reports them).
pub fn fill_doc(template: &str, v: &DocVars) -> (String, Vec<String>) {
    let mut unknown = Vec::new();
    let value = |name: &str| -> Option<String> {
        let d = v.date;
        let f = |fmt: &str| d.map(|d| d.format(fmt).to_string()).unwrap_or_default();
        Some(match name {
            "title" => slugify(v.slug, true, true),
            "slug" => slugify(v.slug, false, false),
            "name" => slugify(v.basename, false, false),
            "path" => v.path.to_string(),
            "collection" => v.collection.to_string(),
            "output_ext" => ".html".to_string(),
            "categories" => {
                let mut seen: Vec<String> = Vec::new();
                for c in v.categories {
                    let c = c.to_lowercase();
                    if !seen.contains(&c) {
                        seen.push(c);
                    }
                }
                seen.join("/")
            }
            "slugified_categories" => {
                let mut seen: Vec<String> = Vec::new();
                for c in v.categories {
                    let c = slugify(c, false, false);
                    if !seen.contains(&c) {
                        seen.push(c);
                    }
                }
                seen.join("/")
            }
            "year" => f("%Y"),
            "month" => f("%m"),
            "day" => f("%d"),
            "hour" => f("%H"),
            "minute" => f("%M"),
            "second" => f("%S"),
            "i_day" => d.map(|d| d.day().to_string()).unwrap_or_default(),
            "i_month" => d.map(|d| d.month().to_string()).unwrap_or_default(),
            "short_month" => f("%b"),
            "long_month" => f("%B"),
            "short_year" => f("%y"),
            "w_year" => d.map(|d| d.iso_week().year().to_string()).unwrap_or_default(),
            "week" => d.map(|d| format!("{:02}", d.iso_week().week())).unwrap_or_default(),
            "w_day" => d.map(|d| d.weekday().number_from_monday().to_string()).unwrap_or_default(),
            "short_day" => f("%a"),
            "long_day" => f("%A"),
            "y_day" => d.map(|d| format!("{:03}", d.ordinal())).unwrap_or_default(),
            _ => return None,
        })
    };
    let mut out = String::with_capacity(template.len() + 16);
    let b = template.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b':' {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && (b[end].is_ascii_lowercase() || b[end] == b'_') {
                end += 1;
            }
            if end > start {
                let name = &template[start..end];
                // `/:month_:day` is `:month` then `_`: a trailing `_` that is not part of a key.
                let candidates: Vec<&str> =
                    if let Some(n) = name.strip_suffix('_') { vec![name, n] } else { vec![name] };
                if let Some((used, val)) = candidates.iter().find_map(|n| value(n).map(|val| (*n, val))) {
                    out.push_str(&val);
                    i = start + used.len();
                    continue;
                }
                unknown.push(name.to_string());
            }
        }
        let ch = template[i..].chars().next().expect("in bounds");
        out.push(ch);
        i += ch.len_utf8();
    }
    (sanitize(&out), unknown)
}

/// Fill a page template (`/:path/:basename:output_ext`): pages know only these three.
pub fn fill_page(template: &str, dir: &str, basename: &str) -> String {
    let out = template.replace(":path", dir).replace(":basename", basename).replace(":output_ext", ".html");
    sanitize(&out)
}

/// Jekyll's `URL#sanitize_url`: a leading `/`, `..` becomes `/`, `./` is dropped, runs of `/`
/// become one.
pub fn sanitize(s: &str) -> String {
    let s = format!("/{s}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// The output file of a URL (`/a/` → `a/index.html`, `/a.html` → `a.html`, `/a` → `a.html`), as
/// Jekyll's `destination` writes it.
pub fn out_file(url: &str) -> std::path::PathBuf {
    let rel = url.trim_start_matches('/');
    let file = if url.ends_with('/') {
        format!("{rel}index.html")
    } else if rel.ends_with(".html") {
        rel.to_string()
    } else {
        format!("{rel}.html")
    };
    file.split('/').filter(|s| !s.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(slug: &'a str, cats: &'a [String], date: &str) -> DocVars<'a> {
        DocVars {
            slug,
            basename: "2024-08-03-x",
            path: "/2024-08-03-x",
            collection: "posts",
            categories: cats,
            date: Some(NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M:%S").unwrap()),
        }
    }

    #[test]
    fn styles_as_jekyll_documents_them() {
        let cats = vec!["Kafka".to_string(), "Deep Dive".to_string()];
        let v = vars("Hello-World", &cats, "2024-08-03 23:10:05");
        let got = |style: &str| fill_doc(Style::parse(style).template(), &v).0;
        assert_eq!(got("date"), "/kafka/deep dive/2024/08/03/Hello-World.html");
        assert_eq!(got("pretty"), "/kafka/deep dive/2024/08/03/Hello-World/");
        assert_eq!(got("ordinal"), "/kafka/deep dive/2024/216/Hello-World.html");
        assert_eq!(got("weekdate"), "/kafka/deep dive/2024/W31/Sat/Hello-World.html");
        assert_eq!(got("none"), "/kafka/deep dive/Hello-World.html");
        assert_eq!(got("/posts/:title/"), "/posts/Hello-World/");
        assert_eq!(got("/:i_month-:i_day/:short_year/:hour:minute:second/:slug"), "/8-3/24/231005/hello-world");
        assert_eq!(got("/:year/:month_:day/:slugified_categories/"), "/2024/08_03/kafka/deep-dive/");
        let (_, unknown) = fill_doc("/:nope/:title/", &v);
        assert_eq!(unknown, ["nope"]);
    }

    #[test]
    fn no_categories_leave_no_empty_segment() {
        let v = vars("x", &[], "2024-01-05 00:00:00");
        assert_eq!(fill_doc(Style::Date.template(), &v).0, "/2024/01/05/x.html");
    }

    #[test]
    fn slugify_modes() {
        assert_eq!(slugify("Hello, World!", false, false), "hello-world");
        assert_eq!(slugify("Hello, World!", true, true), "Hello,-World!");
        assert_eq!(slugify("카프카 전달 보장", true, true), "카프카-전달-보장");
        assert_eq!(slugify("--a b--", false, false), "a-b");
    }

    #[test]
    fn pages_and_output_files() {
        assert_eq!(Style::Date.suffixed("/:path/:basename"), "/:path/:basename:output_ext");
        assert_eq!(Style::Pretty.suffixed("/:path/:basename"), "/:path/:basename/");
        assert_eq!(Style::parse("/posts/:title/").suffixed("/:path/:basename"), "/:path/:basename/");
        assert_eq!(fill_page("/:path/:basename:output_ext", "/", "about"), "/about.html");
        assert_eq!(fill_page("/:path/:basename/", "/_pages/", "about"), "/_pages/about/");
        assert_eq!(out_file("/a/b/"), std::path::PathBuf::from("a/b/index.html"));
        assert_eq!(out_file("/a/b.html"), std::path::PathBuf::from("a/b.html"));
        assert_eq!(out_file("/a/b"), std::path::PathBuf::from("a/b.html"));
        assert_eq!(out_file("/"), std::path::PathBuf::from("index.html"));
        assert_eq!(sanitize("//a/../b/./c"), "/a/b/c");
    }
}
