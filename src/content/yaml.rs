//! YAML decoding for front matter and the site config; the only user of `serde_yaml`.
//!
//! Errors are turned into diagnostics whose line is counted from the top of the *file*, not from
//! the YAML block (Zola's mistake), by adding the line offset of the block.

use crate::diag::Diagnostic;
use serde::de::DeserializeOwned;
use std::path::Path;

pub use serde_yaml::Value;

/// Decode `text` (which starts at 1-based line `first_line` of `path`) into `T`. The error is boxed:
/// a `Diagnostic` is large and the success path is the common one.
pub fn decode<T: DeserializeOwned>(text: &str, path: &Path, first_line: usize) -> Result<T, Box<Diagnostic>> {
    serde_yaml::from_str::<T>(text).map_err(|e| Box::new(to_diagnostic(&e, path, first_line, text)))
}

/// Decode into a generic mapping (an empty document is an empty mapping).
pub fn decode_mapping(text: &str, path: &Path, first_line: usize) -> Result<serde_yaml::Mapping, Box<Diagnostic>> {
    if text.trim().is_empty() {
        return Ok(serde_yaml::Mapping::new());
    }
    match serde_yaml::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(serde_yaml::Mapping::new()),
        Ok(other) => Err(Box::new(
            Diagnostic::error(
                path,
                first_line,
                1,
                "front-matter",
                format!("front matter must be a mapping of `key: value` lines, found {}", kind_of(&other)),
            )
            .with_hint("write one `key: value` per line, e.g. `title: My post`"),
        )),
        Err(e) => Err(Box::new(to_diagnostic(&e, path, first_line, text))),
    }
}

/// Convert a single YAML value (e.g. one front matter field) into `T`.
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_yaml::from_value(v).map_err(|e| e.to_string())
}

pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn to_diagnostic(e: &serde_yaml::Error, path: &Path, first_line: usize, text: &str) -> Diagnostic {
    let last = text.lines().count().max(1);
    let (line, col) = match e.location() {
        // An error found at the end of the block (an unclosed `[`) points at its last line, not at
        // the closing `---`.
        Some(loc) if loc.line() > last => {
            (first_line + last - 1, text.lines().last().map_or(0, |l| l.chars().count() + 1))
        }
        Some(loc) => (first_line + loc.line().saturating_sub(1), loc.column()),
        None => (first_line, 0),
    };
    // serde_yaml appends " at line X column Y" counted from the block; drop it, we print our own.
    let mut msg = e.to_string();
    if let Some(i) = msg.find(" at line ") {
        msg.truncate(i);
    }
    Diagnostic::error(path, line, col, "yaml", format!("invalid YAML: {msg}"))
        .with_hint("check indentation, quotes and `key: value` syntax; quote values that contain `: ` or start with `[`, `{`, `*`, `&`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_lines_are_counted_from_the_file() {
        let err = decode_mapping("title: a\ntags: [x\n", Path::new("p.md"), 2).unwrap_err();
        assert_eq!(err.code, "yaml");
        assert!(err.line >= 3, "{err}");
        assert!(!err.message.contains(" at line "), "{err}");
    }

    #[test]
    fn scalar_document_is_rejected_with_hint() {
        let err = decode_mapping("just text", Path::new("p.md"), 2).unwrap_err();
        assert!(err.message.contains("must be a mapping"));
        assert!(err.hint.is_some());
    }
}
