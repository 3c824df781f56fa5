//! Bindings: the words that make a code block executable and a table checkable.
//!
//! A fenced block is executable when its info string has the word `semdoc` after the language:
//! ```` ```properties semdoc id=p1 role=producer kafka=2.8 expect=at-least-once ````.
//! A table is bound by an HTML comment right before it, which other Markdown renderers ignore:
//! `<!-- semdoc-table role=producer kafka=2.8 level=1 config=2 row.3=eos-loop known-false.3 -->`.
//! Columns and rows are counted from 1 (body rows, without the header).

use crate::content::include::info_words as words;
use crate::diag::{Diagnostic, did_you_mean};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Attributes a snippet may carry; the same names are page (`semdoc:`) and site defaults.
pub const SNIPPET_ATTRS: &[&str] = &[
    "id",
    "role",
    "kafka",
    "client",
    "faults",
    "expect",
    "commit",
    "processing",
    "downstream",
    "elr",
    "ignore",
    "profile",
    "membership",
];

/// The attributes of an executable code block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnippetBinding {
    pub attrs: BTreeMap<String, String>,
    /// Attributes written with a value semdoc does not accept (reported at their column); the
    /// snippet's claim is not judged while one is wrong, since any verdict would rest on a default.
    pub rejected: Vec<String>,
}

impl SnippetBinding {
    pub fn get(&self, k: &str) -> Option<&str> {
        self.attrs.get(k).map(String::as_str)
    }
}

/// What `expect=` may say: a guarantee level (as `parse_level` reads it), `invalid-config` or
/// `cannot-deliver`.
pub const EXPECT_VALUES: &[&str] =
    &["exactly-once", "at-least-once", "at-most-once", "no-guarantee", "invalid-config", "cannot-deliver"];

/// Is `value` one an attribute takes? `Err` is the hint: "did you mean" plus the allowed values.
/// Snippet options go through the classifier's own rules (`check_option`), so a fence accepts
/// exactly what `semdoc.*` keys and `explain`'s flags accept.
fn check_attr_value(key: &str, value: &str) -> Result<(), String> {
    let allowed = match key {
        "id" | "ignore" => return Ok(()),
        "expect" => {
            if parse_level(value).is_some() || matches!(value, "invalid-config" | "cannot-deliver") {
                return Ok(());
            }
            format!("allowed: {}", EXPECT_VALUES.join(", "))
        }
        _ => match crate::semantics::classify::check_option(key, value) {
            Ok(()) => return Ok(()),
            Err(allowed) => allowed,
        },
    };
    let words: Vec<&str> = allowed.trim_start_matches("allowed: ").split(", ").collect();
    // "Did you mean" only among listed names, not inside a prose description of the values.
    let listed = words.iter().all(|w| !w.contains(' '));
    Err(match did_you_mean(value, &words) {
        Some(s) if listed => format!("did you mean `{s}`? {allowed}"),
        _ => allowed,
    })
}

/// Parse a fenced block's info string. `None` when the block is not executable (no `semdoc` word
/// after the language). `line` is the fence's file line, for diagnostics.
pub fn parse_snippet_info(info: &str, path: &Path, line: usize) -> Option<(SnippetBinding, Vec<Diagnostic>)> {
    let ws = words(info);
    if !crate::content::include::is_executable(&ws) {
        return None;
    }
    let mut b = SnippetBinding::default();
    let mut diags = Vec::new();
    // The fence's backticks precede the info string; columns are reported inside the info string + 4.
    for (w, col) in ws.iter().skip(1).filter(|(w, _)| w != "semdoc") {
        let col = col + 4;
        match w.split_once('=') {
            // `include=`, `lines=`, `region=`, `path=`: read (and reported) by the Markdown stage
            // through `content::include`; they name the text, not the classifier's options.
            Some((k, _)) if crate::content::include::INCLUDE_ATTRS.contains(&k) => {}
            Some((k, v)) if SNIPPET_ATTRS.contains(&k) => match check_attr_value(k, v) {
                Ok(()) => {
                    b.attrs.insert(k.to_string(), v.to_string());
                }
                Err(hint) => {
                    // The caret points at the value.
                    let at = col + k.chars().count() + 1;
                    diags.push(
                        Diagnostic::error(path, line, at, "snippet-attr", format!("`{k}={v}` is not a valid value"))
                            .with_hint(hint),
                    );
                    b.rejected.push(k.to_string());
                }
            },
            Some((k, _)) => {
                let mut d =
                    Diagnostic::error(path, line, col, "snippet-attr", format!("unknown snippet attribute `{k}`"));
                let all: Vec<&str> =
                    SNIPPET_ATTRS.iter().chain(crate::content::include::INCLUDE_ATTRS).copied().collect();
                d = d.with_hint(match did_you_mean(k, &all) {
                    Some(s) => format!("did you mean `{s}`? attributes: {}", all.join(", ")),
                    None => format!("attributes: {}", all.join(", ")),
                });
                diags.push(d);
            }
            None => diags.push(
                Diagnostic::error(path, line, col, "snippet-attr", format!("`{w}` is not a `key=value` attribute"))
                    .with_hint("write attributes as `key=value`, e.g. `role=producer kafka=2.8 expect=at-least-once`"),
            ),
        }
    }
    Some((b, diags))
}

/// A guarantee table's binding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableBinding {
    /// `role`, `kafka`, `client`, `faults`, … applied to every row.
    pub attrs: BTreeMap<String, String>,
    /// 1-based column holding the claimed level.
    pub level_col: usize,
    /// 1-based columns whose inline `key=value` code spans form the row's configuration.
    pub config_cols: Vec<usize>,
    /// 1-based row → snippet id whose configuration (and commit pattern) the row also uses.
    pub rows: BTreeMap<usize, String>,
    /// Rows whose claim the docs know to be false: shown red with the evidence, and the build fails
    /// if such a row ever starts to hold (so the mark cannot go stale).
    pub known_false: BTreeSet<usize>,
    /// File line of the marker comment.
    pub line: usize,
}

pub const TABLE_ATTRS: &[&str] = &["role", "kafka", "client", "faults", "commit", "processing", "level", "config"];

/// Parse the HTML comment before a table. `None` when it is not a semdoc marker.
pub fn parse_table_marker(comment: &str, path: &Path, line: usize) -> Option<(TableBinding, Vec<Diagnostic>)> {
    let inner = comment.trim().strip_prefix("<!--")?.trim_end().strip_suffix("-->")?.trim();
    let rest = inner.strip_prefix("semdoc-table")?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let mut b = TableBinding { level_col: 1, config_cols: vec![2], line, ..Default::default() };
    let mut diags = Vec::new();
    let err =
        |msg: String, hint: &str| Diagnostic::error(path, line, 1, "table-binding", msg).with_hint(hint.to_string());
    for (w, _) in words(rest) {
        let (k, v) = match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (w.clone(), None),
        };
        if let Some(n) = k.strip_prefix("row.") {
            match (n.parse::<usize>(), v) {
                (Ok(n), Some(id)) if n > 0 => {
                    b.rows.insert(n, id);
                }
                _ => diags.push(err(
                    format!("`{w}` must be `row.N=snippet-id` with N ≥ 1"),
                    "e.g. `row.3=eos-loop` binds body row 3 to the snippet with `id=eos-loop`",
                )),
            }
            continue;
        }
        if let Some(n) = k.strip_prefix("known-false.") {
            match n.parse::<usize>() {
                Ok(n) if n > 0 => {
                    b.known_false.insert(n);
                }
                _ => diags.push(err(
                    format!("`{w}` must be `known-false.N` with N ≥ 1"),
                    "e.g. `known-false.3` marks body row 3's claim as known to be false",
                )),
            }
            continue;
        }
        let Some(v) = v else {
            diags.push(err(
                format!("`{w}` is not a `key=value` attribute"),
                "write `role=producer kafka=2.8 level=1 config=2`",
            ));
            continue;
        };
        match k.as_str() {
            "level" => match v.parse::<usize>() {
                Ok(n) if n > 0 => b.level_col = n,
                _ => diags.push(err(
                    format!("`level={v}` must be a column number from 1"),
                    "e.g. `level=1` when the first column names the guarantee",
                )),
            },
            "config" => match v.split(',').map(|c| c.trim().parse::<usize>()).collect::<Result<Vec<_>, _>>() {
                Ok(cols) if !cols.is_empty() && cols.iter().all(|c| *c > 0) => b.config_cols = cols,
                _ => diags.push(err(
                    format!("`config={v}` must be column numbers from 1"),
                    "e.g. `config=2` or `config=2,3`",
                )),
            },
            k if TABLE_ATTRS.contains(&k) => {
                b.attrs.insert(k.to_string(), v);
            }
            k => {
                let hint = match did_you_mean(k, TABLE_ATTRS) {
                    Some(s) => {
                        format!("did you mean `{s}`? attributes: {}, row.N, known-false.N", TABLE_ATTRS.join(", "))
                    }
                    None => format!("attributes: {}, row.N, known-false.N", TABLE_ATTRS.join(", ")),
                };
                diags.push(err(format!("unknown table attribute `{k}`"), &hint));
            }
        }
    }
    Some((b, diags))
}

/// A claimed guarantee level, as a table cell or an `expect=` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    AtMostOnce,
    AtLeastOnce,
    ExactlyOnce,
    NoGuarantee,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::AtMostOnce => "at-most-once",
            Level::AtLeastOnce => "at-least-once",
            Level::ExactlyOnce => "exactly-once",
            Level::NoGuarantee => "no-guarantee",
        }
    }

    /// The properties the level claims (docs/model.md §1): (no-loss, no-duplicate).
    pub fn claims(self) -> (bool, bool) {
        match self {
            Level::AtMostOnce => (false, true),
            Level::AtLeastOnce => (true, false),
            Level::ExactlyOnce => (true, true),
            Level::NoGuarantee => (false, false),
        }
    }
}

/// Read a level from a table cell or attribute: `At most once`, `at-most-once`, `AT_MOST_ONCE`,
/// Korean `최대 한 번`, `최소 한 번`, `정확히 한 번`, `보장 없음`.
pub fn parse_level(text: &str) -> Option<Level> {
    let norm: String = text.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    match norm.as_str() {
        "atmostonce" | "최대한번" | "최대한번전달" => Some(Level::AtMostOnce),
        "atleastonce" | "최소한번" | "최소한번전달" => Some(Level::AtLeastOnce),
        "exactlyonce" | "정확히한번" | "정확히한번전달" => Some(Level::ExactlyOnce),
        "noguarantee" | "보장없음" | "none" => Some(Level::NoGuarantee),
        _ => None,
    }
}

/// The `key=value` settings in a cell's inline code spans. A bare dotted key (`transactional.id`)
/// means "set to some value"; other code is ignored. Returns (key, value) pairs.
pub fn settings_in_code(spans: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in spans {
        let s = s.trim();
        if let Some((k, v)) = s.split_once('=') {
            let (k, v) = (k.trim(), v.trim());
            if is_key(k) && !v.is_empty() {
                out.push((k.to_string(), v.to_string()));
            }
        } else if is_key(s) && s.contains('.') {
            out.push((s.to_string(), placeholder_for(s).to_string()));
        }
    }
    out
}

fn placeholder_for(key: &str) -> &'static str {
    match key {
        "transactional.id" => "semdoc-tx",
        "group.id" => "semdoc-group",
        _ => "true",
    }
}

fn is_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_info() {
        let p = Path::new("a.md");
        assert!(parse_snippet_info("properties", p, 1).is_none());
        assert!(parse_snippet_info("semdoc", p, 1).is_none(), "the language comes first");
        let (b, d) =
            parse_snippet_info("properties semdoc role=producer kafka=2.8 expect=at-least-once", p, 7).unwrap();
        assert!(d.is_empty());
        assert_eq!(b.get("kafka"), Some("2.8"));
        let (_, d) = parse_snippet_info("properties semdoc rol=producer x", p, 7).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].line, d[0].col), (7, 22));
        assert!(d[0].hint.as_deref().unwrap().starts_with("did you mean `role`?"));
    }

    #[test]
    fn table_marker() {
        let p = Path::new("a.md");
        assert!(parse_table_marker("<!-- just a comment -->", p, 1).is_none());
        let (b, d) = parse_table_marker(
            "<!-- semdoc-table role=consumer kafka=2.8 level=1 config=2 row.1=amo row.3=eos known-false.3 -->",
            p,
            9,
        )
        .unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(b.attrs.get("role").map(String::as_str), Some("consumer"));
        assert_eq!(b.rows.get(&3).map(String::as_str), Some("eos"));
        assert!(b.known_false.contains(&3));
        let (_, d) = parse_table_marker("<!-- semdoc-table levl=1 row.0=x config=a -->", p, 9).unwrap();
        assert_eq!(d.len(), 3, "{d:?}");
    }

    #[test]
    fn levels() {
        for (t, l) in [
            ("At most once", Level::AtMostOnce),
            ("**At least once**", Level::AtLeastOnce),
            ("exactly-once", Level::ExactlyOnce),
            ("정확히 한 번", Level::ExactlyOnce),
            ("no_guarantee", Level::NoGuarantee),
        ] {
            assert_eq!(parse_level(t), Some(l), "{t}");
        }
        assert_eq!(parse_level("sometimes"), None);
    }

    #[test]
    fn settings_from_code_spans() {
        let spans: Vec<String> =
            ["acks=all", "enable.idempotence=true", "transactional.id", "read_committed", "retries = 0"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert_eq!(
            settings_in_code(&spans),
            vec![
                ("acks".into(), "all".into()),
                ("enable.idempotence".into(), "true".into()),
                ("transactional.id".into(), "semdoc-tx".into()),
                ("retries".into(), "0".into())
            ]
        );
    }
}
