//! Syntax highlighting with syntect (the only user of syntect): CSS classes, not inline styles, and
//! the light/dark stylesheets generated from syntect themes.
//!
//! Syntaxes come from `two_face` (bat's curated bundle: TOML, Kotlin, Java Properties and more on
//! top of syntect's defaults) and are loaded once per process.

use std::sync::LazyLock;
use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

/// Every token class is prefixed so it cannot clash with the theme's own classes.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Common names and aliases → the token syntect knows the syntax by.
fn alias(lang: &str) -> &str {
    match lang {
        "properties" | "props" | "ini-properties" => "properties",
        "yml" => "yaml",
        "kt" | "kts" => "kt",
        "sh" | "shell" | "console" | "zsh" | "shellsession" => "bash",
        "py" => "py",
        "rs" => "rs",
        "js" | "javascript" => "js",
        "ts" | "typescript" => "ts",
        other => other,
    }
}

/// Find a syntax by token, extension or name, case-insensitively. `None` for plain text.
pub fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let l = lang.trim().to_lowercase();
    if l.is_empty() || matches!(l.as_str(), "text" | "plain" | "plaintext" | "txt") {
        return None;
    }
    let ss: &'static SyntaxSet = &SYNTAXES;
    let a = alias(&l);
    ss.find_syntax_by_token(a)
        .or_else(|| ss.find_syntax_by_extension(a))
        .or_else(|| ss.syntaxes().iter().find(|s| s.name.to_lowercase() == l))
        .or_else(|| (a == "properties").then(|| ss.syntaxes().iter().find(|s| s.name.contains("Properties"))).flatten())
}

/// Highlight `code` as `lang`, returning the inner HTML of a `<code>` element (escaped spans).
/// Unknown languages and highlighter failures fall back to escaped plain text.
///
/// Highlighting is a pure function of the text and the language, and the costliest step of a
/// build (syntect's regex search is about a third of a 10 000-page build's CPU), so a block a site
/// repeats (an install command, a config shown in many posts) is highlighted once per process:
/// see `Repeats`.
pub fn highlight(code: &str, lang: &str) -> String {
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (lang, code).hash(&mut h);
        h.finish()
    };
    if let Some(html) = REPEATS.lock().expect("highlight memo").get(hash, lang, code) {
        return html.to_string();
    }
    let html = highlight_now(code, lang);
    REPEATS.lock().expect("highlight memo").offer(hash, lang, code, &html);
    html
}

/// Highlighted blocks seen more than once. A block is only remembered from its second sighting,
/// so a site of unique blocks pays a hash per block and no copies; a hit is checked against the
/// stored text, so a hash collision only costs a highlight. Bounded, so a long `serve` session
/// that keeps editing code blocks cannot grow it without limit.
#[derive(Default)]
struct Repeats {
    seen: rustc_hash::FxHashSet<u64>,
    done: rustc_hash::FxHashMap<u64, Remembered>,
    bytes: usize,
}

impl Repeats {
    const MAX_SEEN: usize = 1 << 20;
    const MAX_BYTES: usize = 32 << 20;

    fn get(&self, hash: u64, lang: &str, code: &str) -> Option<std::sync::Arc<str>> {
        match self.done.get(&hash) {
            Some((l, c, html)) if &**l == lang && &**c == code => Some(html.clone()),
            _ => None,
        }
    }
    fn offer(&mut self, hash: u64, lang: &str, code: &str, html: &str) {
        if self.seen.len() < Self::MAX_SEEN && self.seen.insert(hash) {
            return; // first sighting
        }
        let size = lang.len() + code.len() + html.len();
        if self.bytes + size <= Self::MAX_BYTES && !self.done.contains_key(&hash) {
            self.bytes += size;
            self.done.insert(hash, (lang.into(), code.into(), html.into()));
        }
    }
}

/// A remembered block: its language, its text and its highlighted HTML.
type Remembered = (Box<str>, Box<str>, std::sync::Arc<str>);

static REPEATS: LazyLock<std::sync::Mutex<Repeats>> = LazyLock::new(Default::default);

fn highlight_now(code: &str, lang: &str) -> String {
    if let Some(syntax) = find_syntax(lang) {
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
        let ok =
            LinesWithEndings::from(code).all(|line| generator.parse_html_for_line_which_includes_newline(line).is_ok());
        if ok {
            return generator.finalize();
        }
    }
    escape(code)
}

pub use crate::html::esc as escape;

fn theme(name: EmbeddedThemeName) -> Theme {
    two_face::theme::extra().get(name).clone()
}

/// Light token colours (GitHub's palette).
pub fn syntax_css_light() -> String {
    css_for_theme_with_class_style(&theme(EmbeddedThemeName::InspiredGithub), CLASS_STYLE).unwrap_or_default()
}

/// Dark token colours (One Half Dark).
pub fn syntax_css_dark() -> String {
    css_for_theme_with_class_style(&theme(EmbeddedThemeName::OneHalfDark), CLASS_STYLE).unwrap_or_default()
}

/// One stylesheet: light rules by default; dark rules when the reader chose dark
/// (`:root[data-theme="dark"]`) or the system is dark and the reader did not choose light.
pub fn syntax_css() -> String {
    let dark = syntax_css_dark();
    let mut out =
        String::from("/* generated by semdoc from syntect themes: InspiredGitHub (light), OneHalfDark (dark) */\n");
    out.push_str(&syntax_css_light());
    out.push('\n');
    out.push_str(&prefix_rules(&dark, ":root[data-theme=\"dark\"]"));
    out.push_str("\n@media (prefers-color-scheme: dark) {\n");
    out.push_str(&prefix_rules(&dark, ":root:not([data-theme=\"light\"])"));
    out.push_str("}\n");
    out
}

/// Prefix every selector of every rule in `css` (flat rules, as syntect writes them).
fn prefix_rules(css: &str, prefix: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let (selectors, tail) = rest.split_at(open);
        let close = tail.find('}').map_or(tail.len(), |i| i + 1);
        let body = &tail[..close];
        // Drop comments in the selector part.
        let mut sel = selectors.to_string();
        while let (Some(a), Some(b)) = (sel.find("/*"), sel.find("*/")) {
            if b < a {
                break;
            }
            sel.replace_range(a..b + 2, "");
        }
        let prefixed: Vec<String> =
            sel.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| format!("{prefix} {s}")).collect();
        if !prefixed.is_empty() {
            out.push_str(&prefixed.join(", "));
            out.push(' ');
            out.push_str(body);
            out.push('\n');
        }
        rest = &tail[close..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_blocks_are_remembered_from_their_second_sighting_and_checked_on_use() {
        let mut r = Repeats::default();
        r.offer(7, "yaml", "a: 1\n", "<span>a</span>");
        assert!(r.get(7, "yaml", "a: 1\n").is_none(), "one sighting is not remembered");
        r.offer(7, "yaml", "a: 1\n", "<span>a</span>");
        assert_eq!(r.get(7, "yaml", "a: 1\n").as_deref(), Some("<span>a</span>"));
        assert!(r.get(7, "yaml", "b: 2\n").is_none(), "a colliding hash with other text misses");
        assert!(r.get(7, "json", "a: 1\n").is_none(), "and so does another language");
        // Through the public function: the same output every time, as a fresh highlight gives.
        let code = "spring:\n  kafka:\n    producer:\n      acks: all\n";
        let fresh = highlight_now(code, "yaml");
        assert!(fresh.contains("hl-"), "{fresh}");
        for _ in 0..3 {
            assert_eq!(highlight(code, "yaml"), fresh);
        }
    }

    #[test]
    fn required_languages_resolve_and_emit_classes() {
        for (lang, code) in [
            ("properties", "acks=all\n"),
            ("java", "int x = 1;\n"),
            ("yaml", "a: 1\n"),
            ("yml", "a: 1\n"),
            ("toml", "a = 1\n"),
            ("json", "{\"a\": 1}\n"),
            ("rust", "fn main() {}\n"),
            ("python", "x = 1\n"),
            ("kotlin", "val x = 1\n"),
            ("bash", "echo hi\n"),
            ("sh", "echo hi\n"),
        ] {
            assert!(find_syntax(lang).is_some(), "{lang} has a syntax");
            let h = highlight(code, lang);
            assert!(h.contains("class=\"hl-"), "{lang}: {h}");
        }
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        assert_eq!(highlight("<b>{{ x }}</b>", "nosuchlang"), "&lt;b&gt;{{ x }}&lt;/b&gt;");
        assert!(find_syntax("text").is_none());
    }

    #[test]
    fn stylesheets() {
        assert!(syntax_css_light().contains(".hl-"));
        let all = syntax_css();
        assert!(all.contains(":root[data-theme=\"dark\"] .hl-"), "dark rules scoped");
        assert!(all.contains("@media (prefers-color-scheme: dark)"));
        assert!(all.contains(":root:not([data-theme=\"light\"]) .hl-"));
    }
}
