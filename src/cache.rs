//! The caches that survive between runs (an IO edge), under the user's cache directory:
//! - verdicts: the classifier's memo of checked models, named by `CLASSIFIER_HASH`, so a changed
//!   classifier (or semdoc version) never reads another's outcomes;
//! - sites: per output directory, the key of the sources it was built from (every source byte,
//!   the options and semdoc's build hash) and a listing of what was written, so that a build whose
//!   sources did not change and whose output was not touched renders and writes nothing.
//!
//! - highlighted code blocks (`markdown::Fragments`), content-addressed by language and text,
//!   named by semdoc's build hash: a build highlights only blocks no earlier build did.
//!
//! Any read or write problem only costs time: a cache is skipped, never trusted half-read. A
//! write that fails (a full disk, a read-only file system, no permission) is remembered, and the
//! command warns once (`take_write_failure`) with the path and the OS's error, then carries on.

use crate::content::SiteSource;
use crate::diag::Diagnostic;
use crate::semantics::Classifier;
use crate::semantics::classify::{CLASSIFIER_HASH, MemoEntry};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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

/// The first cache write of this process that failed: its path and the OS's error.
static WRITE_FAILURE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Remember that writing `path` failed (only the first failure is kept).
fn failed(path: &Path, e: impl std::fmt::Display) {
    let mut f = WRITE_FAILURE.lock().unwrap_or_else(|p| p.into_inner());
    if f.is_none() {
        *f = Some(format!(
            "cannot write the cache at {}: {e}; the build goes on without it, and the next one will redo the work it would have saved              (point SEMDOC_CACHE_DIR at a writable directory, or set it to `off`)",
            path.display()
        ));
    }
}

/// The warning for the first cache write that failed since the last call, if one did.
pub fn take_write_failure() -> Option<String> {
    WRITE_FAILURE.lock().unwrap_or_else(|p| p.into_inner()).take()
}

/// `bytes` into `path` through a temporary file beside it, renamed into place (so concurrent runs
/// never see half a file); a failure is remembered for the warning.
fn write_replacing(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    let Some(parent) = path.parent() else { return };
    if let Err(e) = std::fs::create_dir_all(parent) {
        failed(parent, e);
        return;
    }
    let mut tmp = match tempfile::NamedTempFile::new_in(parent) {
        Ok(t) => t,
        Err(e) => {
            failed(parent, e);
            return;
        }
    };
    if let Err(e) = tmp.write_all(bytes).and_then(|()| tmp.flush()) {
        failed(tmp.path(), e);
        return;
    }
    if let Err(e) = tmp.persist(path) {
        failed(path, e.error);
    }
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
    let Ok(json) = serde_json::to_vec(&cl.export()) else { return };
    write_replacing(&path, &json);
}

fn fragments_file() -> Option<PathBuf> {
    dir().map(|d| d.join(format!("highlight-{}.bin", env!("SEMDOC_BUILD_HASH"))))
}

/// The highlighted blocks earlier runs stored (`None` when the cache is off or its directory
/// cannot be written; empty when there is no file yet or it is unreadable). Blocks this run
/// highlights go straight to a temporary file beside it, which `save_fragments` folds in.
pub fn load_fragments() -> Option<Fragments> {
    let path = fragments_file()?;
    let parent = path.parent()?;
    std::fs::create_dir_all(parent).map_err(|e| failed(parent, e)).ok()?;
    let fresh = tempfile::NamedTempFile::new_in(parent).map_err(|e| failed(parent, e)).ok()?;
    let writer = std::io::BufWriter::new(fresh.reopen().map_err(|e| failed(fresh.path(), e)).ok()?);
    let bytes = std::fs::read(&path).unwrap_or_default();
    Some(Fragments { store: std::sync::Arc::new(crate::markdown::Fragments::new(bytes, Box::new(writer))), fresh })
}

/// The loaded store and the temporary file its new records are written to.
pub struct Fragments {
    pub store: std::sync::Arc<crate::markdown::Fragments>,
    fresh: tempfile::NamedTempFile,
}

/// Fold this run's blocks into the file. While most stored blocks are still in use, the new
/// records are appended (one `write` per record batch to a file opened for appending, so a
/// concurrent build's records land before or after them; a torn tail is dropped by the next
/// read). Once fewer than half were used, or when the file held nothing and this run added
/// blocks, the file is replaced by one holding only the used and the new blocks (a temporary
/// file, renamed), so a site's edits do not grow it without bound.
pub fn save_fragments(f: Fragments) {
    let Some(path) = fragments_file() else { return };
    let (stored, used, fresh) = f.store.counts();
    if let Err(e) = f.store.finish() {
        failed(f.fresh.path(), e);
        return;
    }
    let compact = used * 2 < stored;
    if fresh == 0 && !compact {
        return;
    }
    use std::io::{Read, Write};
    if compact || stored == 0 {
        // The temporary file holds the new records; the file becomes MAGIC + used + new.
        let Some(parent) = path.parent() else { return };
        let mut out = match tempfile::NamedTempFile::new_in(parent) {
            Ok(o) => o,
            Err(e) => {
                failed(parent, e);
                return;
            }
        };
        let tmp_path = out.path().to_path_buf();
        let mut w = std::io::BufWriter::new(out.as_file_mut());
        let written = w
            .write_all(crate::markdown::Fragments::MAGIC)
            .and_then(|()| f.store.write_used(&mut w))
            .and_then(|()| f.fresh.reopen().and_then(|mut r| std::io::copy(&mut r, &mut w)).map(drop))
            .and_then(|()| w.flush());
        drop(w);
        match written {
            Ok(()) => {
                if let Err(e) = out.persist(&path) {
                    failed(&path, e.error);
                }
            }
            Err(e) => {
                failed(&tmp_path, e);
            }
        }
        return;
    }
    let mut new = Vec::new();
    let Ok(mut r) = f.fresh.reopen() else { return };
    if r.read_to_end(&mut new).is_err() {
        return;
    }
    if let Err(e) = std::fs::OpenOptions::new().append(true).open(&path).and_then(|mut file| file.write_all(&new)) {
        failed(&path, e);
    }
}

/// What the site cache remembers about one output directory: the key of the sources it was built
/// from, every file it holds (path, size, modification time), and what the build reported.
#[derive(Serialize, Deserialize)]
struct SiteManifest {
    key: String,
    listing: Vec<(String, u64, u128)>,
    diagnostics: Vec<StoredDiag>,
    pages: usize,
    files: usize,
}

/// A diagnostic as stored (its code owned; `Diagnostic::code` is a static string).
#[derive(Serialize, Deserialize)]
struct StoredDiag {
    path: PathBuf,
    line: usize,
    col: usize,
    severity: crate::diag::Severity,
    code: String,
    message: String,
    hint: Option<String>,
    #[serde(default)]
    case: Option<Box<str>>,
}

impl From<&Diagnostic> for StoredDiag {
    fn from(d: &Diagnostic) -> Self {
        StoredDiag {
            path: d.path.clone(),
            line: d.line,
            col: d.col,
            severity: d.severity,
            code: d.code.to_string(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            case: d.case.clone(),
        }
    }
}

impl From<StoredDiag> for Diagnostic {
    /// The code is leaked to get a static string: a few bytes per diagnostic, once per process.
    fn from(d: StoredDiag) -> Self {
        Diagnostic {
            path: d.path,
            line: d.line,
            col: d.col,
            severity: d.severity,
            code: Box::leak(d.code.into_boxed_str()),
            message: d.message,
            hint: d.hint,
            case: d.case,
        }
    }
}

/// The site cache's key: semdoc's build, the options, and every source byte (config, content,
/// templates, static files) with its path. Any change to any of them is a different key.
pub fn site_key(src: &SiteSource, options: &[&str]) -> String {
    use std::hash::Hasher;
    let mut h = crate::memo::Hash128::default();
    let mut feed = |tag: &str, bytes: &[u8]| {
        h.write(tag.as_bytes());
        h.write_usize(bytes.len());
        h.write(bytes);
    };
    feed("semdoc", env!("SEMDOC_BUILD_HASH").as_bytes());
    for o in options {
        feed("option", o.as_bytes());
    }
    feed("config", src.config_text.as_deref().unwrap_or("\u{0}none").as_bytes());
    for m in &src.markdown {
        feed(&m.rel.to_string_lossy(), m.text.as_bytes());
    }
    for (p, b) in &src.assets {
        feed(&p.to_string_lossy(), b);
    }
    for (n, t) in &src.templates {
        feed(n, t.as_bytes());
    }
    for (p, b) in &src.static_files {
        feed(&p.to_string_lossy(), b);
    }
    for (n, t) in &src.includes {
        feed(&format!("_includes/{n}"), t.as_bytes());
    }
    // Included files (`include=`), read or not: what a fence would say about them.
    for (k, loaded) in &src.included {
        match loaded {
            crate::content::include::Loaded::Text(t) => feed(&format!("included/{}", k.display()), t.as_bytes()),
            other => feed(&format!("included/{}", k.display()), format!("\u{0}{other:?}").as_bytes()),
        }
    }
    // Files that could not be read are not in the lists above; their problems are.
    for d in &src.diagnostics {
        feed("problem", d.to_string().as_bytes());
    }
    format!("{:032x}", h.finish128())
}

fn manifest_path(out: &Path) -> Option<PathBuf> {
    use std::hash::Hasher;
    let abs = std::fs::canonicalize(out).ok()?;
    let mut h = rustc_hash::FxHasher::default();
    h.write(abs.to_string_lossy().as_bytes());
    dir().map(|d| d.join("sites").join(format!("{:016x}.json", h.finish())))
}

/// Every file under the output directory with its size and modification time, sorted.
fn listing(out: &Path) -> Option<Vec<(String, u64, u128)>> {
    let (files, diags) = crate::content::load::walk_files(out, out, &crate::content::load::Confinement::none());
    if !diags.is_empty() {
        return None;
    }
    // One `stat` per file, in parallel (15 000 of them took 100 ms on one thread).
    use rayon::prelude::*;
    files
        .par_iter()
        .map(|f| {
            let m = std::fs::metadata(&f.abs).ok()?;
            let mtime = m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
            Some((f.rel.to_string_lossy().into_owned(), m.len(), mtime))
        })
        .collect()
}

/// The previous build's report when `out` still holds exactly what the last build with `key`
/// wrote (same files, sizes and times): then nothing needs to be rendered or written.
pub fn unchanged_site(out: &Path, key: &str) -> Option<(Vec<Diagnostic>, usize, usize)> {
    let bytes = std::fs::read(manifest_path(out)?).ok()?;
    let m: SiteManifest = serde_json::from_slice(&bytes).ok()?;
    if m.key != key || listing(out)? != m.listing {
        return None;
    }
    Some((m.diagnostics.into_iter().map(Diagnostic::from).collect(), m.pages, m.files))
}

/// Remember what was just written to `out` (after a successful build).
pub fn record_site(out: &Path, key: &str, diagnostics: &[Diagnostic], pages: usize, files: usize) {
    // The listing only when there is somewhere to keep it (with the cache off it was walked for
    // nothing: 100 ms at 10 000 pages).
    let Some(path) = manifest_path(out) else { return };
    let Some(listing) = listing(out) else { return };
    let m = SiteManifest {
        key: key.to_string(),
        listing,
        diagnostics: diagnostics.iter().map(StoredDiag::from).collect(),
        pages,
        files,
    };
    let Ok(json) = serde_json::to_vec(&m) else { return };
    write_replacing(&path, &json);
}
