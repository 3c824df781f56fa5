//! Verification: binding executable snippets and guarantee tables to the Kafka classifier.
pub mod binding;
pub mod check;
pub mod inject;
pub mod links;

use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseKind {
    Snippet,
    Row,
}

/// One checked claim: an executable snippet or a bound table row. `check --format junit` writes one
/// test case per `Case`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    pub kind: CaseKind,
    pub path: PathBuf,
    pub line: usize,
    /// Unique within a site: `path:line: role level` (plus `#N` if a line holds several).
    pub name: String,
    pub role: String,
    /// What the docs claim (`expect=` or the row's level cell).
    pub claim: String,
    /// What the classifier found.
    pub verdict: String,
    pub passed: bool,
    /// Why it failed (the violated property and its shortest counterexample, as text); empty when it passed.
    pub message: String,
}
