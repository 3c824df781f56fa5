//! The Kafka delivery-semantics classifier: snippet parsers, per-version facts and validation, the
//! model checker and its counterexample traces. Free of Markdown, HTML and IO, so that it could be
//! a crate of its own; its diagnostics are its own type, with lines inside the snippet.

pub mod axes;
pub mod check;
pub mod classify;
pub mod facts;
pub mod params;
pub mod parse;
pub mod resolve;

pub use classify::{
    Classifier, Input, MAX_REPEATED, MAX_SNIPPET_BYTES, Verdict, exit_code, explain_human, verdict_name,
};
pub use parse::Lang;

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A problem or note about a snippet; `line` and `col` are 1-based inside the snippet (0: unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diag {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub line: usize,
    pub col: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diag {
    fn new(severity: Severity, code: &'static str, line: usize, col: usize, message: String) -> Self {
        Diag { severity, code, message, line, col, hint: None }
    }
    pub fn error(code: &'static str, line: usize, col: usize, message: String) -> Self {
        Self::new(Severity::Error, code, line, col, message)
    }
    pub fn warning(code: &'static str, line: usize, col: usize, message: String) -> Self {
        Self::new(Severity::Warning, code, line, col, message)
    }
    pub fn info(code: &'static str, line: usize, col: usize, message: String) -> Self {
        Self::new(Severity::Info, code, line, col, message)
    }
    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        write!(f, "line {}: {sev}[{}]: {}", self.line, self.code, self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}
