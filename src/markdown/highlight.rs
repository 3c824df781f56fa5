//! Syntax highlighting with syntect (the only user of syntect): CSS classes, not inline styles, and
//! the light/dark stylesheets generated from syntect themes.
//!
//! Syntaxes come from `two_face` (bat's curated bundle: TOML, Kotlin, Java Properties and more on
//! top of syntect's defaults) and are loaded once per process.

use rustc_hash::FxHashMap;
use std::hash::BuildHasher;
use std::sync::LazyLock;
use syntect::highlighting::Theme;
#[cfg(test)]
use syntect::html::ClassedHTMLGenerator;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
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
/// Highlighting is the costliest step of a build (syntect's regex search was a third of a
/// 10 000-page build's CPU), and code blocks repeat lines: imports, the same `props.put(...)`
/// calls, a config shown in many posts with one value changed. A line's HTML is a pure function
/// of the parser's state before it and its text, so each thread remembers, per state, the lines it
/// has highlighted (`Lines`): only lines the memo has not seen in that state are parsed, and the
/// state after a remembered line is looked up, not recomputed.
pub fn highlight(code: &str, lang: &str) -> String {
    if let Some(syntax) = find_syntax(lang)
        && let Some(html) = LINES.with(|lines| lines.borrow_mut().highlight(syntax, code))
    {
        return html;
    }
    escape(code)
}

thread_local! {
    static LINES: std::cell::RefCell<Lines> = Default::default();
}

/// The parser's state between two lines: syntect's parse state and the scope stack its HTML
/// writer keeps (both plain values with `Eq`; neither has `Hash`).
type State = (ParseState, ScopeStack);

/// Per thread: interned parser states and, per state and line, the line's HTML and the state
/// after it. A hit is checked against the stored line, so a hash collision only costs a parse.
/// Bounded: past `MAX_BYTES` it starts afresh (a long `serve` session keeps editing code).
#[derive(Default)]
struct Lines {
    states: Vec<State>,
    /// `Debug` text of a state → its index in `states` (consulted only after a parse).
    ids: FxHashMap<String, u32>,
    /// Syntax (by address in the process-wide set) → the id of its initial state.
    initial: FxHashMap<usize, u32>,
    steps: FxHashMap<(u32, u64), Step>,
    bytes: usize,
}

struct Step {
    line: Box<str>,
    html: Box<str>,
    /// Spans opened minus spans closed by this line.
    delta: isize,
    next: u32,
}

/// Where the parser is: a remembered state, or one the memo had no room for.
enum At {
    Known(u32),
    Own(Box<State>),
}

impl Lines {
    const MAX_BYTES: usize = 16 << 20;

    /// What syntect's `ClassedHTMLGenerator` makes of the block, line by line through the memo;
    /// `None` when syntect fails on the text (the caller escapes it instead).
    fn highlight(&mut self, syntax: &'static SyntaxReference, code: &str) -> Option<String> {
        if self.bytes > Self::MAX_BYTES {
            *self = Lines::default();
        }
        let key = std::ptr::from_ref(syntax) as usize;
        let mut at = match self.initial.get(&key) {
            Some(&id) => At::Known(id),
            None => {
                let at = self.intern((ParseState::new(syntax), ScopeStack::new()));
                if let At::Known(id) = at {
                    self.initial.insert(key, id);
                }
                at
            }
        };
        let mut html = String::with_capacity(code.len() * 3);
        let mut open: isize = 0;
        for line in LinesWithEndings::from(code) {
            let hash = rustc_hash::FxBuildHasher.hash_one(line);
            if let At::Known(id) = at
                && let Some(step) = self.steps.get(&(id, hash))
                && &*step.line == line
            {
                html.push_str(&step.html);
                open += step.delta;
                at = At::Known(step.next);
                continue;
            }
            let before = match &at {
                At::Known(id) => Some(*id),
                At::Own(_) => None,
            };
            let (mut parse, mut stack) = match at {
                At::Known(id) => self.states[id as usize].clone(),
                At::Own(state) => *state,
            };
            let ops = parse.parse_line(line, &SYNTAXES).ok()?;
            let (fragment, delta) = line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).ok()?;
            html.push_str(&fragment);
            open += delta;
            at = self.intern((parse, stack));
            if let (Some(id), At::Known(next)) = (before, &at) {
                self.bytes += line.len() + fragment.len() + 64;
                self.steps.insert((id, hash), Step { line: line.into(), html: fragment.into(), delta, next: *next });
            }
        }
        for _ in 0..open {
            html.push_str("</span>");
        }
        Some(html)
    }

    fn intern(&mut self, state: State) -> At {
        let text = format!("{state:?}");
        if let Some(&id) = self.ids.get(&text) {
            return At::Known(id);
        }
        if self.bytes >= Self::MAX_BYTES {
            return At::Own(Box::new(state));
        }
        let id = self.states.len() as u32;
        self.bytes += 2 * text.len() + 64;
        self.ids.insert(text, id);
        self.states.push(state);
        At::Known(id)
    }
}

/// What syntect's `ClassedHTMLGenerator` makes of a whole block, with no memo (tests compare).
#[cfg(test)]
fn highlight_unmemoised(code: &str, lang: &str) -> String {
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
    fn the_line_memo_gives_what_syntect_gives_for_each_block() {
        // Blocks sharing lines in the same and in other parser states, constructs spanning lines
        // (a block comment, a Python string), blocks ending inside open spans, other languages
        // in between, and every block a second time.
        let blocks = [
            ("java", "Properties p = new Properties();\np.put(\"acks\", \"all\");\n"),
            ("java", "/* p.put(\"acks\", \"all\");\n*/\np.put(\"acks\", \"all\");\n"),
            ("java", "Properties p = new Properties();\np.put(\"acks\", \"1\");\n"),
            ("yaml", "spring:\n  kafka:\n    producer:\n      acks: all\n"),
            ("java", "String s = \"open\n p.put(\"acks\", \"all\");\n"),
            ("properties", "acks=all\nretries=3\n"),
            ("java", "/* never closed\np.put(\"acks\", \"all\");"),
            ("python", "x = \"\"\"\nacks=all\n\"\"\"\nacks=all\n"),
            ("properties", "acks=all\nretries=4\n"),
        ];
        let mut lines = Lines::default();
        for round in 0..2 {
            for (lang, code) in blocks {
                let syntax = find_syntax(lang).expect(lang);
                let memo = lines.highlight(syntax, code).expect("highlights");
                assert_eq!(memo, highlight_unmemoised(code, lang), "round {round}, {lang}: {code:?}");
                assert_eq!(highlight(code, lang), memo, "through the public function");
            }
        }
        // A third round parses nothing: every line is a hit, so nothing is added.
        let (states, steps) = (lines.states.len(), lines.steps.len());
        for (lang, code) in blocks {
            lines.highlight(find_syntax(lang).unwrap(), code);
        }
        assert_eq!((lines.states.len(), lines.steps.len()), (states, steps));
        // Lines shared by blocks in the same state are stored once: fewer steps than lines.
        let total: usize = blocks.iter().map(|(_, c)| LinesWithEndings::from(c).count()).sum();
        assert!(steps < total, "{steps} steps for {total} lines");
    }

    #[test]
    fn a_full_memo_starts_afresh_and_stays_correct() {
        let mut lines = Lines::default();
        let syntax = find_syntax("java").unwrap();
        lines.bytes = Lines::MAX_BYTES + 1; // as if over the bound
        let code = "int x = 1;\nint y = 2;\n";
        assert_eq!(lines.highlight(syntax, code).unwrap(), highlight_unmemoised(code, "java"));
        assert!(lines.bytes < Lines::MAX_BYTES && !lines.steps.is_empty(), "cleared, then filled again");
        // At the bound: no room for new states, so lines after an unknown one are parsed from a
        // state of their own; the output is still syntect's.
        let (states, steps) = (lines.states.len(), lines.steps.len());
        lines.bytes = Lines::MAX_BYTES;
        let other = "long z = 3L;\n/* open\nint y = 2;\n";
        assert_eq!(lines.highlight(syntax, other).unwrap(), highlight_unmemoised(other, "java"));
        assert!(lines.states.len() == states && lines.steps.len() >= steps);
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
