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
///
/// Each thread remembers its answers: syntect looks a token up by comparing it with every
/// syntax's extensions in turn (~0.8 % of a 10 000-page build, once per code block).
pub fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    thread_local! {
        static FOUND: std::cell::RefCell<rustc_hash::FxHashMap<String, Option<&'static SyntaxReference>>> =
            Default::default();
    }
    if let Some(hit) = FOUND.with_borrow(|m| m.get(lang).copied()) {
        return hit;
    }
    let found = look_up_syntax(lang);
    FOUND.with_borrow_mut(|m| {
        if m.len() < 1024 {
            m.insert(lang.to_string(), found);
        }
    });
    found
}

fn look_up_syntax(lang: &str) -> Option<&'static SyntaxReference> {
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
///
/// With `stored` (the blocks earlier runs highlighted, see `Fragments`), a block found there is
/// not highlighted at all, and a block highlighted now is added to it.
pub fn highlight(code: &str, lang: &str, stored: Option<&Fragments>) -> String {
    let Some(syntax) = find_syntax(lang) else { return escape(code) };
    let stored = stored.map(|store| (store, Fragments::key(lang, code)));
    if let Some(html) = stored.and_then(|(store, key)| store.get(key)) {
        return html.to_string();
    }
    let Some(html) = LINES.with(|lines| lines.borrow_mut().highlight(syntax, code)) else { return escape(code) };
    if let Some((store, key)) = stored {
        store.add(key, &html);
    }
    html
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

/// Highlighted blocks kept between runs (`cache` reads and writes the file; this is its format):
/// content-addressed by a 128-bit hash of (language, code), so a hit is the block syntect would
/// highlight the same way. The file is named by semdoc's build hash (a new semdoc, or new
/// syntaxes, start from an empty store); templates and config do not affect highlighting.
///
/// File: `MAGIC`, then records `[key: 16 bytes LE][html length: u32 LE][FxHash of html: u64 LE][html]`.
/// Reading stops at the first record that is cut short, fails its checksum or is not UTF-8: a
/// damaged file costs only the blocks after the damage. Blocks highlighted by this run are handed
/// to `out` as records as soon as they are made (`cache` writes them to a file), not held.
pub struct Fragments {
    data: Vec<u8>,
    /// Key → (entry number, HTML byte range in `data`).
    index: FxHashMap<u128, (usize, std::ops::Range<usize>)>,
    /// Per entry: looked up by this run (decides whether `cache` compacts the file).
    used: Vec<std::sync::atomic::AtomicBool>,
    /// Keys highlighted by this run that the file lacks, and where their records go.
    fresh: std::sync::Mutex<(rustc_hash::FxHashSet<u128>, Box<dyn std::io::Write + Send>)>,
}

impl Fragments {
    pub const MAGIC: &'static [u8] = b"semdoc-highlight-1\n";

    /// The store from a file's bytes (empty or foreign bytes give an empty store); new records
    /// are written to `out`.
    pub fn new(data: Vec<u8>, out: Box<dyn std::io::Write + Send>) -> Fragments {
        let mut index = FxHashMap::default();
        if data.starts_with(Self::MAGIC) {
            let mut at = Self::MAGIC.len();
            while let Some(head) = data.get(at..at + 28) {
                let key = u128::from_le_bytes(head[..16].try_into().expect("16 bytes"));
                let len = u32::from_le_bytes(head[16..20].try_into().expect("4 bytes")) as usize;
                let sum = u64::from_le_bytes(head[20..28].try_into().expect("8 bytes"));
                let range = at + 28..at + 28 + len;
                match data.get(range.clone()) {
                    Some(html) if checksum(html) == sum && std::str::from_utf8(html).is_ok() => {
                        let n = index.len();
                        index.entry(key).or_insert((n, range.clone()));
                        at = range.end;
                    }
                    _ => break,
                }
            }
        }
        let used = (0..index.len()).map(|_| Default::default()).collect();
        Fragments { data, index, used, fresh: std::sync::Mutex::new((Default::default(), out)) }
    }

    /// The key of a block: a 128-bit hash of its language and text.
    pub fn key(lang: &str, code: &str) -> u128 {
        use std::hash::Hash;
        let mut h = crate::memo::Hash128::default();
        (lang, code).hash(&mut h);
        h.finish128()
    }

    fn get(&self, key: u128) -> Option<&str> {
        let (n, range) = self.index.get(&key)?;
        self.used[*n].store(true, std::sync::atomic::Ordering::Relaxed);
        std::str::from_utf8(&self.data[range.clone()]).ok()
    }

    /// One record of the file format.
    pub fn encode(key: u128, html: &str) -> Vec<u8> {
        let mut rec = Vec::with_capacity(28 + html.len());
        record(&mut rec, key, html.as_bytes());
        rec
    }

    /// Record a block this run highlighted (once per key). A failed write only loses the record.
    fn add(&self, key: u128, html: &str) {
        let mut fresh = self.fresh.lock().expect("fragments lock");
        if fresh.0.insert(key) {
            let _ = fresh.1.write_all(&Self::encode(key, html));
        }
    }

    /// Entries in the file, how many of them this run looked up, and how many blocks it added.
    pub fn counts(&self) -> (usize, usize, usize) {
        let used = self.used.iter().filter(|u| u.load(std::sync::atomic::Ordering::Relaxed)).count();
        (self.index.len(), used, self.fresh.lock().expect("fragments lock").0.len())
    }

    /// Flush the new records to their writer.
    pub fn finish(&self) -> std::io::Result<()> {
        self.fresh.lock().expect("fragments lock").1.flush()
    }

    /// Write the records this run looked up (for a compacted file: `MAGIC`, these, then the new).
    pub fn write_used(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut kept: Vec<(&u128, &(usize, std::ops::Range<usize>))> =
            self.index.iter().filter(|(_, (n, _))| self.used[*n].load(std::sync::atomic::Ordering::Relaxed)).collect();
        kept.sort_unstable_by_key(|(_, (n, _))| *n);
        let mut rec = Vec::new();
        for (key, (_, range)) in kept {
            rec.clear();
            record(&mut rec, *key, &self.data[range.clone()]);
            out.write_all(&rec)?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for Fragments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (stored, used, fresh) = self.counts();
        write!(f, "Fragments({stored} stored, {used} used, {fresh} new)")
    }
}

fn checksum(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

fn record(out: &mut Vec<u8>, key: u128, html: &[u8]) {
    out.extend_from_slice(&key.to_le_bytes());
    out.extend_from_slice(&(html.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(html).to_le_bytes());
    out.extend_from_slice(html);
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
                assert_eq!(highlight(code, lang, None), memo, "through the public function");
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

    /// A writer the test can read back.
    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn stored_blocks_are_found_by_content_and_damage_costs_only_what_follows_it() {
        let blocks = [("java", "int x = 1;\n"), ("yaml", "a: 1\n"), ("java", "int y = 2;\n")];
        let first = Shared::default();
        let empty = Fragments::new(Vec::new(), Box::new(first.clone()));
        for (lang, code) in blocks {
            assert_eq!(highlight(code, lang, Some(&empty)), highlight_unmemoised(code, lang));
        }
        assert_eq!(highlight("plain", "text", Some(&empty)), "plain", "plain text is not stored");
        highlight(blocks[0].1, blocks[0].0, Some(&empty));
        assert_eq!(empty.counts(), (0, 0, 3), "three blocks recorded, each once");
        let mut file = Fragments::MAGIC.to_vec();
        file.extend(first.0.lock().unwrap().iter());

        // The next run finds them all and records nothing.
        let store = Fragments::new(file.clone(), Box::new(Shared::default()));
        for (lang, code) in blocks {
            assert_eq!(highlight(code, lang, Some(&store)), highlight_unmemoised(code, lang));
        }
        assert_eq!(store.counts(), (3, 3, 0));
        // What the store holds is what is used: a record saying otherwise wins (content-addressed).
        let mut poisoned = Fragments::MAGIC.to_vec();
        poisoned.extend(Fragments::encode(Fragments::key("java", "int x = 1;\n"), "<b>stored</b>"));
        let store = Fragments::new(poisoned, Box::new(Shared::default()));
        assert_eq!(highlight("int x = 1;\n", "java", Some(&store)), "<b>stored</b>");
        assert_ne!(highlight("int x = 2;\n", "java", Some(&store)), "<b>stored</b>", "other text misses");
        assert_ne!(highlight("int x = 1;\n", "kotlin", Some(&store)), "<b>stored</b>", "another language misses");

        // Damage: a changed byte in the second record, a cut in the third, foreign bytes.
        let second = Fragments::MAGIC.len() + 28 + highlight_unmemoised("int x = 1;\n", "java").len();
        let mut flipped = file.clone();
        flipped[second + 30] ^= 0x20;
        assert_eq!(Fragments::new(flipped, Box::new(Shared::default())).counts().0, 1);
        assert_eq!(Fragments::new(file[..file.len() - 3].to_vec(), Box::new(Shared::default())).counts().0, 2);
        assert_eq!(Fragments::new(b"{not this format".to_vec(), Box::new(Shared::default())).counts().0, 0);

        // Compaction keeps only the records a run used, in file order.
        let store = Fragments::new(file.clone(), Box::new(Shared::default()));
        highlight(blocks[2].1, blocks[2].0, Some(&store));
        let mut used = Vec::new();
        store.write_used(&mut used).unwrap();
        assert_eq!(used, file[file.len() - used.len()..], "just the third record");
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
            let h = highlight(code, lang, None);
            assert!(h.contains("class=\"hl-"), "{lang}: {h}");
        }
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        assert_eq!(highlight("<b>{{ x }}</b>", "nosuchlang", None), "&lt;b&gt;{{ x }}&lt;/b&gt;");
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
