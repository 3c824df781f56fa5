//! Diagnostics: the problems semdoc reports about a site's content, with `path:line:col`, a code and a hint.
//!
//! A diagnostic is data, not a print: stages return them, `main` prints them. Content problems are
//! collected (every problem, not the first); only a problem that stops the whole run is an `anyhow` error.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: PathBuf,
    /// 1-based line in the file; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `front-matter`, `unknown-key`, `date`.
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    /// The name of the checked claim (`Case::name`) this problem belongs to, if any: a report that
    /// counts claims (JUnit) shows it inside that claim's test case instead of as a second problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<Box<str>>,
}

impl Diagnostic {
    pub fn error(path: &Path, line: usize, col: usize, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            col,
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
            case: None,
        }
    }

    pub fn warning(path: &Path, line: usize, col: usize, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(path, line, col, code, message) }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (line and column omitted when unknown).
    pub fn location(&self) -> String {
        let mut s = self.path.display().to_string();
        if self.line > 0 {
            s.push_str(&format!(":{}", self.line));
            if self.col > 0 {
                s.push_str(&format!(":{}", self.col));
            }
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {}[{}]: {}", self.location(), sev, self.code, strip_controls(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", strip_controls(hint))?;
        }
        Ok(())
    }
}

/// Control characters from user text must not reach the terminal (they could move the cursor or
/// recolour output); tabs and newlines are kept.
pub fn strip_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}

/// Sort diagnostics by file, then position, so output is deterministic whatever the render order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, a.code, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, b.code, &b.message))
    });
}

/// The key from `known` closest to `key` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let key_l = key.to_lowercase();
    known
        .iter()
        .map(|k| (levenshtein(&key_l, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= (k.chars().count().max(key_l.chars().count()) / 3).max(1))
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// `levenshtein(a, b) <= max`, without the whole table when the answer is no (`semdoc lint` asks
/// it of every dotted key of every `.properties` file against every Kafka key). The distance is
/// at least the difference in length; and as each cell comes from the row above (or the one
/// before it, for a swap, plus one), once two rows in a row exceed `max` every later row does.
pub fn levenshtein_within(a: &str, b: &str, max: usize) -> bool {
    const ROW: usize = 64;
    if a.chars().count().abs_diff(b.chars().count()) > max {
        return false;
    }
    if !a.is_ascii() || !b.is_ascii() || b.len() >= ROW {
        return levenshtein(a, b) <= max;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = b.len();
    // Rows i-2, i-1 and i of the table, on the stack: row i is `t[i % 3]`.
    let mut t = [[0usize; ROW]; 3];
    for (j, c) in t[0].iter_mut().enumerate().take(n + 1) {
        *c = j;
    }
    let mut prev_over = false;
    for i in 1..=a.len() {
        let (cur, prev, before) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        t[cur][0] = i;
        let mut least = i;
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (t[prev][j] + 1).min(t[cur][j - 1] + 1).min(t[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(t[before][j - 2] + 1);
            }
            t[cur][j] = v;
            least = least.min(v);
        }
        let over = least > max;
        if over && prev_over {
            return false;
        }
        prev_over = over;
    }
    t[a.len() % 3][n] <= max
}

/// Edit distance counting a swap of two neighbouring characters as one edit (optimal string
/// alignment), since `titel` for `title` is the commonest typo.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_location_code_and_hint() {
        let d = Diagnostic::error(Path::new("content/a.md"), 3, 7, "front-matter", "bad").with_hint("fix it");
        assert_eq!(d.to_string(), "content/a.md:3:7: error[front-matter]: bad\n  hint: fix it");
        let w = Diagnostic::warning(Path::new("a.md"), 0, 0, "x", "y");
        assert_eq!(w.to_string(), "a.md: warning[x]: y");
    }

    #[test]
    fn suggestions() {
        let known = ["title", "date", "tags", "categories", "description"];
        assert_eq!(did_you_mean("titel", &known), Some("title"));
        assert_eq!(did_you_mean("tag", &known), Some("tags"));
        assert_eq!(did_you_mean("category", &known), Some("categories"));
        assert_eq!(did_you_mean("zzzzzz", &known), None);
    }

    #[test]
    fn bounded_edit_distance_agrees_with_the_full_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "acks",
            "akcs",
            "bootstrap.servers",
            "bootstrap.servrs",
            "bootstarp.servers",
            "boostrap.server",
            "enable.idempotence",
            "enable.idempotency",
            "order.payment.title",
            "linger.ms",
            "retry.backoff.ms",
            "retries",
            "ürn.ä",
            "urn.a",
            "client.id",
            "a.very.long.key.that.is.longer.than.sixty.four.characters.in.total.x",
            "group.id",
            "groups.ids",
        ];
        let mut checked = 0;
        for a in words {
            for b in words {
                for max in 0..4 {
                    assert_eq!(levenshtein_within(a, b, max), levenshtein(a, b) <= max, "{a:?} {b:?} {max}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, words.len() * words.len() * 4);
    }

    #[test]
    fn control_characters_are_stripped() {
        assert_eq!(strip_controls("a\u{1b}[31mb\nc"), "a[31mb\nc");
    }
}
