//! The verdict cache that survives between runs (an IO edge): the classifier's memo of checked
//! models, stored as JSON under the user's cache directory and named by `CLASSIFIER_HASH`, so a
//! changed classifier (or semdoc version) never reads another's outcomes. Any read or write
//! problem only costs time: the cache is skipped, never trusted half-read.

use crate::semantics::Classifier;
use crate::semantics::classify::{CLASSIFIER_HASH, MemoEntry};
use std::path::PathBuf;

/// `$SEMDOC_CACHE_DIR` (`off` disables the cache), else `$XDG_CACHE_HOME/semdoc`, else
/// `$HOME/.cache/semdoc`.
pub fn dir() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(d) = env("SEMDOC_CACHE_DIR") {
        return (d != "off").then(|| PathBuf::from(d));
    }
    env("XDG_CACHE_HOME")
        .map(|d| PathBuf::from(d).join("semdoc"))
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".cache").join("semdoc")))
}

fn file() -> Option<PathBuf> {
    dir().map(|d| d.join(format!("verdicts-{CLASSIFIER_HASH}.json")))
}

/// Seed `cl` with the cached outcomes; returns how many were loaded.
pub fn load(cl: &Classifier) -> usize {
    let Some(bytes) = file().and_then(|f| std::fs::read(f).ok()) else { return 0 };
    match serde_json::from_slice::<Vec<MemoEntry>>(&bytes) {
        Ok(entries) => {
            let n = entries.len();
            cl.import(entries);
            n
        }
        Err(_) => 0,
    }
}

/// Store the memo when it grew past what was loaded (written to a temporary file, then renamed,
/// so concurrent runs never see half a file).
pub fn save(cl: &Classifier, loaded: usize) {
    if cl.distinct() <= loaded {
        return;
    }
    let Some(path) = file() else { return };
    let Some(parent) = path.parent() else { return };
    if std::fs::create_dir_all(parent).is_err() {
        return;
    }
    let Ok(json) = serde_json::to_vec(&cl.export()) else { return };
    if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(parent) {
        use std::io::Write;
        if tmp.write_all(&json).is_ok() {
            let _ = tmp.persist(&path);
        }
    }
}
