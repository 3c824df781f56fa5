//! Writing the built site: the only writer. The new site is built completely in a staging
//! directory beside the output and then exchanged with the previous output in one step, so a
//! reader (or a build killed at any moment) sees wholly the old site or wholly the new one; an
//! output directory semdoc did not make is refused unless the user says `--force`.

use anyhow::{Context, bail};
use std::path::{Component, Path, PathBuf};

/// The file semdoc writes into every output directory it makes: a directory holding it may be
/// replaced by the next build. Written by `Staging::commit`, never by the renderer, so no page,
/// sitemap or search index lists it.
pub const MARKER: &str = ".semdoc-output";
const MARKER_TEXT: &[u8] =
    b"This directory was written by semdoc. Every `semdoc build` into it replaces all of its contents.\n";
/// Inside a staging directory while its build runs: the owner's pid, and an advisory lock
/// (`flock`) the owner holds until it exits, however it exits.
const LOCK: &str = ".semdoc-lock";

/// Whether `build` may replace an output directory holding files semdoc did not write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Only a missing or empty directory, one holding `MARKER`, or one that looks like an earlier
    /// semdoc's build (see `looks_like_an_earlier_build`).
    OnlySemdocs,
    /// Any directory (`--force`), still never one that holds the site's sources.
    Anything,
}

/// Refuse output directories that would destroy sources: the site root itself, one of its
/// ancestors, anything inside `content/`, `templates/` or `static/`, a file (`-o site.yaml`), or a
/// directory that holds a site's own sources. These hold even with `--force`.
pub fn ensure_output_is_safe(root: &Path, output: &Path) -> anyhow::Result<()> {
    let root = normalize(&std::path::absolute(root)?);
    let out = normalize(&std::path::absolute(output)?);
    let mut pairs = vec![(root.clone(), out.clone())];
    // The same checks with links resolved (an output that is a link into the site).
    if let (Ok(r), Ok(o)) = (std::fs::canonicalize(&root), std::fs::canonicalize(&out)) {
        pairs.push((r, o));
    }
    for (root, out) in &pairs {
        if root.starts_with(out) {
            bail!(
                "the output directory {} would contain the site itself; choose a directory such as `public/`",
                output.display()
            );
        }
        for src in ["content", "templates", "static"] {
            if out.starts_with(root.join(src)) {
                bail!(
                    "the output directory {} is inside `{src}/`, so the built site would be read back as input; choose a directory outside it, such as `public/`",
                    output.display()
                );
            }
        }
    }
    if std::fs::metadata(&out).is_ok_and(|m| !m.is_dir()) {
        bail!(
            "the output {} is a file, not a directory: a build replaces the whole output directory; choose a directory such as `public/`",
            output.display()
        );
    }
    // Another site's root (or a copy of this one) is never an output, `--force` or not.
    for src in [crate::config::CONFIG_FILE, crate::content::jekyll::CONFIG_FILE] {
        if out.join(src).is_file() {
            bail!(
                "the output directory {} holds a site's sources ({src}); a build would delete them; choose another directory, such as `public/`",
                output.display()
            );
        }
    }
    if out.join("content").is_dir() && !out.join(MARKER).is_file() {
        bail!(
            "the output directory {} holds a site's sources (content/); a build would delete them; choose another directory, such as `public/`",
            output.display()
        );
    }
    // A Jekyll site's sources are its whole root: an output there must be one that is never read.
    use crate::content::jekyll;
    if root.join(jekyll::CONFIG_FILE).is_file()
        && !root.join(crate::config::CONFIG_FILE).exists()
        && let Ok(rel) = out.strip_prefix(&root)
    {
        let rel = rel.to_string_lossy().replace('\\', "/");
        let settings =
            jekyll::walk_settings(&std::fs::read_to_string(root.join(jekyll::CONFIG_FILE)).unwrap_or_default());
        if !jekyll::excluded(&settings, &rel) && !rel.starts_with('_') {
            bail!(
                "the output directory {} is inside the Jekyll site, so the built site would be read back as its files; \
                 use `public/` or `_site/` (never read), or add it to `exclude:` in _config.yml",
                output.display()
            );
        }
    }
    Ok(())
}

/// Refuse to replace a directory semdoc did not make (its files would be deleted): it must be
/// missing, empty, hold `MARKER`, or look like an earlier semdoc's build, unless `overwrite` is
/// `Anything`.
pub fn ensure_output_is_ours(output: &Path, overwrite: Overwrite) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(output) else { return Ok(()) };
    let mut names: Vec<std::ffi::OsString> = entries.flatten().map(|e| e.file_name()).collect();
    if names.is_empty()
        || overwrite == Overwrite::Anything
        || output.join(MARKER).is_file()
        || looks_like_an_earlier_build(output)
    {
        return Ok(());
    }
    names.sort();
    bail!(
        "{} holds files semdoc did not write, such as {} ({} in all): a build replaces the whole directory and would delete them; \
         build into an empty or new directory, or pass --force to replace it anyway",
        output.display(),
        output.join(&names[0]).display(),
        if names.len() == 1 { "1 entry".to_string() } else { format!("{} entries", names.len()) }
    )
}

/// semdoc before `MARKER` wrote no marker. Its output is accepted when it has the three files
/// every semdoc build writes and other generators do not write together: `index.html`,
/// `sitemap.xml` and the search index `search/index.json`.
fn looks_like_an_earlier_build(output: &Path) -> bool {
    ["index.html", "sitemap.xml", "search/index.json"]
        .iter()
        .all(|f| std::fs::symlink_metadata(output.join(f)).is_ok_and(|m| m.is_file()))
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The new output being made: a complete tree in a staging directory beside the output
/// (`.NAME.semdoc-new-PID-XXXXXX`), filled file by file while the site renders (so finished pages
/// need not stay in memory), and made the output by `commit` only when the whole build succeeded.
/// Dropped without `commit`, it deletes itself; until `commit`, nothing under the output is
/// written.
///
/// `commit` exchanges the two directories in one step (`renameat2(RENAME_EXCHANGE)`, Linux 3.15+:
/// <https://man7.org/linux/man-pages/man2/rename.2.html>), then removes the previous tree, now at
/// the staging path. Where the exchange is refused (another OS, a file system without it) the
/// previous output is renamed aside and the new one renamed into place: two steps, so a reader
/// can find no output for an instant, but never a mix.
///
/// Rebuilds mostly remake identical pages. A file whose bytes equal the previous output's file
/// at the same path is hard-linked from it instead of written: no new inode, no data written, and
/// it keeps its modification time, so `rsync` and deploy tools (and the site cache's listing)
/// see only what changed. A file is never written through such a link: each write creates a new
/// file (`create_new`).
pub struct Staging {
    /// The staging directory (after a successful exchange: the previous output).
    dir: PathBuf,
    /// The directory that becomes the site: the output, or where it links to.
    target: PathBuf,
    parent: PathBuf,
    name: String,
    /// The previous output, when there is one to link unchanged files from.
    previous: Option<PathBuf>,
    /// Held until the staging directory is committed or removed (see `LOCK`).
    _lock: Option<std::fs::File>,
    /// Directories already created in the staging directory.
    dirs: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    /// Directories of the previous output found to be real directories (not links).
    real_dirs: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    /// The first write that failed; `commit` reports it.
    failed: std::sync::Mutex<Option<anyhow::Error>>,
    /// Staging directories of builds that did not finish, removed by `new`.
    removed: Vec<PathBuf>,
    committed: bool,
    /// The staging directory is the spare tree (see `SPARE`), updated in place at `commit`.
    recycled: bool,
    /// Recycled: files whose bytes differ from the spare's, and files the spare already has.
    changed: std::sync::Mutex<rustc_hash::FxHashMap<PathBuf, Change>>,
    kept: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    /// Recycled: directories of the spare found to be real directories.
    spare_dirs: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    /// Recycled: the number of the next changed file.
    next: std::sync::atomic::AtomicU64,
}

/// Recycled: how a file that differs from the spare's gets there at `commit`.
enum Change {
    /// Written to `CHANGED/N` in the staging directory, renamed into place.
    Written(u64),
    /// Equal to the previous output's file: hard-linked from it.
    Linked,
}

/// Beside the output, the tree the output replaced last time (`.NAME.semdoc-prev`). The next
/// build takes it as its staging directory and updates it in place, so a rebuild that changes
/// little creates and deletes little: on ext4 creating and deleting the 4 500 directories and
/// links of a 3 000-page site was seconds of every rebuild (3.4–6.8 s of "replace output").
/// Its files are mostly hard links to the output's, so it costs little space.
const SPARE: &str = "semdoc-prev";
/// Recycled: where changed files wait in the staging directory until `commit`.
const CHANGED: &str = ".semdoc-changed";

impl Staging {
    pub fn new(output: &Path, overwrite: Overwrite) -> anyhow::Result<Self> {
        // A link to a directory is followed: the site goes where it points, and the link stays.
        let target = match std::fs::symlink_metadata(output) {
            Ok(m) if m.file_type().is_symlink() && output.is_dir() => std::fs::canonicalize(output)
                .with_context(|| format!("cannot resolve the output link {}", output.display()))?,
            _ => output.to_path_buf(),
        };
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let removed = remove_abandoned(&parent, &name);
        ensure_output_is_ours(&target, overwrite)?;
        let previous = std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()).then(|| target.clone());
        let spare = parent.join(format!(".{name}.{SPARE}"));
        let spare_usable = std::fs::symlink_metadata(&spare).is_ok_and(|m| m.is_dir()) && spare.join(MARKER).is_file();
        if previous.is_none() && std::fs::symlink_metadata(&spare).is_ok() {
            // A spare of an output that is gone: nothing to recycle.
            let _ = remove_tree(&spare);
        }
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.semdoc-new-{}-", std::process::id()))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a staging directory in {}; is it writable?", parent.display()))?
            .keep();
        let mut staging = Staging {
            dir,
            target,
            parent,
            name,
            previous,
            _lock: None,
            dirs: Default::default(),
            real_dirs: Default::default(),
            failed: Default::default(),
            removed,
            committed: false,
            recycled: false,
            changed: Default::default(),
            kept: Default::default(),
            spare_dirs: Default::default(),
            next: Default::default(),
        };
        // Take the spare (a rename, so two builds never share it) in place of the empty dir.
        if staging.previous.is_some()
            && spare_usable
            && std::fs::remove_dir(&staging.dir).is_ok()
            && std::fs::rename(&spare, &staging.dir).is_ok()
        {
            staging.recycled = true;
            let _ = remove_tree(&staging.dir.join(CHANGED));
            let _ = std::fs::remove_file(staging.dir.join(LOCK));
        } else if !staging.dir.exists() {
            std::fs::create_dir(&staging.dir).with_context(|| format!("cannot create {}", staging.dir.display()))?;
        }
        if staging.recycled {
            let changed = staging.dir.join(CHANGED);
            std::fs::create_dir(&changed).with_context(|| format!("cannot create {}", changed.display()))?;
        }
        // Dropping `staging` on failure removes the directory.
        staging._lock = Some(lock(&staging.dir)?);
        Ok(staging)
    }

    /// The first write that failed, if one did (the build must not be reported as anything but
    /// that failure: pages read back from the staging directory may be missing).
    pub fn take_failure(&self) -> Option<anyhow::Error> {
        self.failed.lock().expect("failed lock").take()
    }

    /// Staging directories of earlier builds whose owner is gone, removed when this one began.
    pub fn removed_abandoned(&self) -> &[PathBuf] {
        &self.removed
    }

    /// The staging directory (its progress can be watched; it is not the output).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Write one file (`rel` relative to the output). Safe to call from many threads.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        ensure_relative(rel)?;
        if [MARKER, LOCK, CHANGED].iter().any(|n| rel.starts_with(n)) {
            bail!("refusing to write {}: semdoc keeps that name for itself", rel.display());
        }
        self.put_file(rel, bytes)
    }

    fn put_file(&self, rel: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        if self.recycled {
            return self.put_recycled(rel, bytes);
        }
        let dest = self.dir.join(rel);
        if let Some(dir) = rel.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Recorded only once it exists (two threads may both create it; that is harmless).
            if !self.dirs.lock().expect("dirs lock").contains(dir) {
                let d = self.dir.join(dir);
                std::fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
                self.dirs.lock().expect("dirs lock").insert(dir.to_path_buf());
            }
        }
        if let Some(prev) = &self.previous
            && self.in_real_dirs(rel)
        {
            let old = prev.join(rel);
            if same_file_bytes(&old, bytes) && std::fs::hard_link(&old, &dest).is_ok() {
                return Ok(());
            }
        }
        create_file(&dest, bytes).with_context(|| format!("cannot write {}", dest.display()))
    }

    /// Recycled: note a file the spare already has, or where its new bytes come from.
    fn put_recycled(&self, rel: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        if real_dirs_under(&self.dir, rel, &self.spare_dirs) && same_file_bytes(&self.dir.join(rel), bytes) {
            self.kept.lock().expect("kept lock").insert(rel.to_path_buf());
            self.changed.lock().expect("changed lock").remove(rel);
            return Ok(());
        }
        if self.in_real_dirs(rel)
            && let Some(prev) = &self.previous
            && same_file_bytes(&prev.join(rel), bytes)
        {
            self.kept.lock().expect("kept lock").remove(rel);
            self.changed.lock().expect("changed lock").insert(rel.to_path_buf(), Change::Linked);
            return Ok(());
        }
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dest = self.dir.join(CHANGED).join(n.to_string());
        create_file(&dest, bytes).with_context(|| format!("cannot write {}", dest.display()))?;
        self.kept.lock().expect("kept lock").remove(rel);
        self.changed.lock().expect("changed lock").insert(rel.to_path_buf(), Change::Written(n));
        Ok(())
    }

    /// Whether every directory above `rel` in the previous output is a directory, not a link to
    /// one (a file reached through a link is never linked from). Each is looked at once.
    fn in_real_dirs(&self, rel: &Path) -> bool {
        let Some(prev) = &self.previous else { return false };
        real_dirs_under(prev, rel, &self.real_dirs)
    }

    /// Recycled: put every changed file into the staging tree (replacing whatever is at its
    /// path, a directory or a link included, never writing through a link), then remove every
    /// file and directory the new site does not have.
    fn apply_changes(&self) -> anyhow::Result<()> {
        let changed = std::mem::take(&mut *self.changed.lock().expect("changed lock"));
        let kept = std::mem::take(&mut *self.kept.lock().expect("kept lock"));
        let mut moves: Vec<(PathBuf, Change)> = changed.into_iter().collect();
        moves.sort_by(|a, b| a.0.cmp(&b.0));
        let mut made: rustc_hash::FxHashSet<PathBuf> = Default::default();
        for (rel, change) in &moves {
            let dest = self.dir.join(rel);
            let mut dir = PathBuf::new();
            for c in rel.parent().into_iter().flat_map(Path::components) {
                dir.push(c);
                if made.contains(&dir) {
                    continue;
                }
                let d = self.dir.join(&dir);
                match std::fs::symlink_metadata(&d) {
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => {
                        std::fs::remove_file(&d).with_context(|| format!("cannot replace {}", d.display()))?;
                        std::fs::create_dir(&d).with_context(|| format!("cannot create {}", d.display()))?;
                    }
                    Err(_) => std::fs::create_dir(&d).with_context(|| format!("cannot create {}", d.display()))?,
                }
                made.insert(dir.clone());
            }
            match std::fs::symlink_metadata(&dest) {
                Ok(m) if m.is_dir() => {
                    remove_tree(&dest).with_context(|| format!("cannot replace {}", dest.display()))?
                }
                Ok(_) if matches!(change, Change::Linked) => {
                    std::fs::remove_file(&dest).with_context(|| format!("cannot replace {}", dest.display()))?
                }
                _ => {}
            }
            match change {
                Change::Written(n) => {
                    let from = self.dir.join(CHANGED).join(n.to_string());
                    std::fs::rename(&from, &dest)
                        .with_context(|| format!("cannot move {} into place", dest.display()))?;
                }
                Change::Linked => {
                    let from = self.target.join(rel);
                    if std::fs::hard_link(&from, &dest).is_err() {
                        std::fs::copy(&from, &dest).with_context(|| format!("cannot write {}", dest.display()))?;
                    }
                }
            }
        }
        remove_tree(&self.dir.join(CHANGED))
            .with_context(|| format!("cannot remove {}", self.dir.join(CHANGED).display()))?;
        let own = [PathBuf::from(MARKER), PathBuf::from(LOCK)];
        let files: rustc_hash::FxHashSet<&Path> = moves
            .iter()
            .map(|(p, _)| p.as_path())
            .chain(kept.iter().map(PathBuf::as_path))
            .chain(own.iter().map(PathBuf::as_path))
            .collect();
        let dirs: rustc_hash::FxHashSet<&Path> =
            files.iter().flat_map(|p| p.ancestors().skip(1)).filter(|d| !d.as_os_str().is_empty()).collect();
        remove_stale(&self.dir, Path::new(""), &files, &dirs)
            .with_context(|| format!("cannot remove old files from {}", self.dir.display()))
    }

    /// A file written earlier (the link checker reads back the few pages links point into).
    pub fn read(&self, rel: &Path) -> Option<Vec<u8>> {
        ensure_relative(rel).ok()?;
        if self.recycled {
            match self.changed.lock().expect("changed lock").get(rel) {
                Some(Change::Written(n)) => return std::fs::read(self.dir.join(CHANGED).join(n.to_string())).ok(),
                Some(Change::Linked) => return std::fs::read(self.target.join(rel)).ok(),
                None if self.kept.lock().expect("kept lock").contains(rel) => {}
                None => return None,
            }
        }
        std::fs::read(self.dir.join(rel)).ok()
    }

    /// Make the new site the output (see `Staging`). Returns what is worth telling the user
    /// besides (the previous tree could not be removed).
    pub fn commit(self) -> anyhow::Result<Vec<String>> {
        self.commit_with(cfg!(target_os = "linux"))
    }

    fn commit_with(mut self, try_exchange: bool) -> anyhow::Result<Vec<String>> {
        if let Some(e) = self.failed.lock().expect("failed lock").take() {
            return Err(e);
        }
        if self.recycled {
            self.apply_changes()?;
            if !same_file_bytes(&self.dir.join(MARKER), MARKER_TEXT) {
                create_file(&self.dir.join(MARKER), MARKER_TEXT)
                    .with_context(|| format!("cannot write {}", self.dir.join(MARKER).display()))?;
            }
        } else {
            self.put_file(Path::new(MARKER), MARKER_TEXT)?;
        }
        // The lock file must not move into the output; the staging directory's name still
        // carries this process's id until the previous tree at its path is removed.
        std::fs::remove_file(self.dir.join(LOCK))
            .with_context(|| format!("cannot remove {}", self.dir.join(LOCK).display()))?;
        let mut notes = Vec::new();
        if self.previous.is_none() {
            std::fs::rename(&self.dir, &self.target)
                .with_context(|| format!("cannot move the new site to {}", self.target.display()))?;
            self.committed = true;
            return Ok(notes);
        }
        let old = if try_exchange && exchange(&self.dir, &self.target).is_ok() {
            self.committed = true;
            self.dir.clone()
        } else {
            // Rename aside, then into place; put the previous output back if the second fails.
            let aside = tempfile::Builder::new()
                .prefix(&format!(".{}.semdoc-old-{}-", self.name, std::process::id()))
                .tempdir_in(&self.parent)
                .with_context(|| format!("cannot create a directory in {}", self.parent.display()))?
                .keep();
            // `aside` must not exist for `rename` to take a directory's place everywhere.
            std::fs::remove_dir(&aside)?;
            std::fs::rename(&self.target, &aside)
                .with_context(|| format!("cannot move the previous output {} aside", self.target.display()))?;
            if let Err(e) = std::fs::rename(&self.dir, &self.target) {
                let _ = std::fs::rename(&aside, &self.target);
                return Err(e).with_context(|| format!("cannot move the new site to {}", self.target.display()));
            }
            self.committed = true;
            aside
        };
        // The previous tree becomes the next build's spare; removed if it cannot be.
        let spare = self.parent.join(format!(".{}.{SPARE}", self.name));
        let _ = remove_tree(&spare);
        if std::fs::rename(&old, &spare).is_err()
            && let Err(e) = remove_tree(&old)
        {
            notes.push(format!("could not remove the previous output, now at {}: {e}", old.display()));
        }
        Ok(notes)
    }
}

impl Drop for Staging {
    /// An uncommitted staging directory (a failed build) is deleted; the output was never touched.
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Whether every directory above `rel` under `root` is a directory, not a link to one; those
/// found are remembered in `seen`.
fn real_dirs_under(root: &Path, rel: &Path, seen: &std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>) -> bool {
    let mut dir = PathBuf::new();
    for c in rel.parent().into_iter().flat_map(Path::components) {
        dir.push(c);
        if seen.lock().expect("dirs lock").contains(&dir) {
            continue;
        }
        if !std::fs::symlink_metadata(root.join(&dir)).is_ok_and(|m| m.is_dir()) {
            return false;
        }
        seen.lock().expect("dirs lock").insert(dir.clone());
    }
    true
}

/// Remove from `root/rel` every file not in `files` and every directory not in `dirs` (links are
/// removed, never followed). Directories are looked through in parallel: reading the 15 000
/// directories of a 10 000-page site one by one was 80 ms of every rebuild.
fn remove_stale(
    root: &Path,
    rel: &Path,
    files: &rustc_hash::FxHashSet<&Path>,
    dirs: &rustc_hash::FxHashSet<&Path>,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(root.join(rel))?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        let r = rel.join(e.file_name());
        if e.file_type()?.is_dir() {
            if dirs.contains(r.as_path()) {
                remove_stale(root, &r, files, dirs)?;
            } else {
                remove_tree(&e.path())?;
            }
        } else if !files.contains(r.as_path()) {
            std::fs::remove_file(e.path())?;
        }
        Ok(())
    })
}

/// Create `path` with `bytes`, never opening a file that exists (it may be a hard link to the
/// previous output's file, which must not change): an existing one is unlinked first.
fn create_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let open = || std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    let mut f = match open() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            open()?
        }
        other => other?,
    };
    f.write_all(bytes)
}

/// Create the staging directory's lock file: written and locked under a temporary name, then
/// renamed, so that a lock file anyone can see is already locked.
fn lock(dir: &Path) -> anyhow::Result<std::fs::File> {
    use std::io::Write;
    let tmp = dir.join(".semdoc-lock.new");
    let mut f = std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
    // A file system without `flock` (some network mounts) still has the pid.
    let _ = f.try_lock();
    f.write_all(format!("{}\n", std::process::id()).as_bytes())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(LOCK)).with_context(|| format!("cannot write {}", dir.join(LOCK).display()))?;
    Ok(f)
}

/// Exchange two directories in one step (`renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are NUL-terminated strings that outlive the call; with AT_FDCWD the paths are
    // resolved as given. The call reads them and changes only the file system.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`. Read in pieces, so
/// comparing the 36 MB search index of a large site does not hold a second copy of it.
fn same_file_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    let Ok(mut f) = std::fs::File::open(path) else { return false };
    let mut buf = vec![0u8; bytes.len().clamp(1, 64 << 10)];
    let mut rest = bytes;
    loop {
        match f.read(&mut buf) {
            // The end of the file: equal if the bytes ended there too.
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && buf[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false, // differs, or the file grew since the check
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

impl crate::render::Sink for Staging {
    /// Written now; only an empty placeholder stays in memory. A failed write keeps the bytes and
    /// is reported by `commit`.
    fn put(&self, rel: &Path, bytes: bytes::Bytes) -> bytes::Bytes {
        match self.write(rel, &bytes) {
            Ok(()) => bytes::Bytes::new(),
            Err(e) => {
                self.failed.lock().expect("failed lock").get_or_insert(e);
                bytes
            }
        }
    }
    fn get(&self, rel: &Path) -> Option<bytes::Bytes> {
        self.read(rel).map(Into::into)
    }
}

/// Delete a directory tree, its entries in parallel: the previous site of a large build is tens of
/// thousands of files, and removing them one `unlink` at a time was 0.8 s of a 6 s 10 000-page
/// build. Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() { remove_tree(&e.path()) } else { std::fs::remove_file(e.path()) }
    })?;
    std::fs::remove_dir(dir)
}

/// Whether the build that made a staging directory is gone. `rest` is its name after the
/// prefix: `PID-XXXXXX`. The lock decides when there is one (its `flock` is released when its
/// owner exits, however); without one (the instant between a build's exchange and its removal of
/// the previous tree) the pid does, where the OS lists live processes in `/proc`. `None`: cannot
/// tell (an older semdoc's staging directory, named without a pid).
fn owner_gone(dir: &Path, rest: &str) -> Option<bool> {
    if let Ok(f) = std::fs::File::open(dir.join(LOCK)) {
        match f.try_lock() {
            Ok(()) => return Some(true),
            Err(std::fs::TryLockError::WouldBlock) => return Some(false),
            Err(std::fs::TryLockError::Error(_)) => {}
        }
    }
    let pid: u32 = rest.split('-').next()?.parse().ok()?;
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return None;
    }
    Some(pid != std::process::id() && !proc.join(pid.to_string()).exists())
}

/// Remove the staging directories (and previous trees renamed aside) beside the output that no
/// running build owns: killed builds leave them behind. One whose owner cannot be told is removed
/// once nobody has touched it for an hour. Returns the paths removed.
fn remove_abandoned(parent: &Path, name: &str) -> Vec<PathBuf> {
    let prefixes = [format!(".{name}.semdoc-new-"), format!(".{name}.semdoc-old-")];
    let Ok(entries) = std::fs::read_dir(parent) else { return Vec::new() };
    let hour = std::time::Duration::from_secs(3600);
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let file_name = e.file_name();
        let n = file_name.to_string_lossy();
        let Some(rest) = prefixes.iter().find_map(|p| n.strip_prefix(p.as_str())) else { continue };
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let gone = owner_gone(&e.path(), rest).unwrap_or_else(|| {
            e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age > hour)
        });
        if gone && remove_tree(&e.path()).is_ok() {
            removed.push(e.path());
        }
    }
    removed.sort();
    removed
}

/// Write `files` (paths relative to the output) as the new content of `output`, replacing it in
/// one step (see `Staging`); refused when `output` is not semdoc's (see `ensure_output_is_ours`).
pub fn write_site(output: &Path, files: &[crate::render::OutFile]) -> anyhow::Result<()> {
    // `Staging::write` refuses paths that escape; a refused one drops (deletes) the staging dir.
    let staging = Staging::new(output, Overwrite::OnlySemdocs)?;
    use rayon::prelude::*;
    files.par_iter().try_for_each(|(rel, bytes)| staging.write(rel, bytes))?;
    staging.commit().map(drop)
}

/// Output paths come from URLs and file names; make sure none escapes the output directory.
fn ensure_relative(rel: &Path) -> anyhow::Result<()> {
    if rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(())
    } else {
        bail!("refusing to write outside the output directory: {}", rel.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_previous_output_and_leaves_no_temp_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[("a/index.html".into(), b"one".to_vec().into()), ("stale.txt".into(), b"x".to_vec().into())],
        )
        .unwrap();
        assert_eq!(std::fs::read(out.join(MARKER)).unwrap(), MARKER_TEXT, "the marker is written");
        write_site(&out, &[("a/index.html".into(), b"two".to_vec().into())]).unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"two");
        assert!(!out.join("stale.txt").exists());
        assert_eq!(entries(&out), [MARKER, "a"]);
        assert_eq!(entries(dir.path()), [".public.semdoc-prev", "public"], "the previous tree is the spare");
    }

    #[test]
    fn replacing_removes_the_old_tree_but_never_follows_its_links() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let keep = dir.path().join("keep");
        std::fs::create_dir_all(keep.join("inner")).unwrap();
        std::fs::write(keep.join("inner/precious.txt"), b"x").unwrap();
        write_site(&out, &[("a/b/c.html".into(), b"1".to_vec().into()), ("d.txt".into(), b"2".to_vec().into())])
            .unwrap();
        // Someone linked a directory into the built site; replacing it must not empty the target.
        std::os::unix::fs::symlink(&keep, out.join("a/link")).unwrap();
        write_site(&out, &[("new.html".into(), b"3".to_vec().into())]).unwrap();
        assert!(keep.join("inner/precious.txt").exists());
        assert!(!out.join("a").exists() && out.join("new.html").exists());
        assert_eq!(entries(dir.path()), [".public.semdoc-prev", "keep", "public"], "only public/, its spare and keep/");
    }

    fn tree(root: &Path) -> Vec<(String, Option<Vec<u8>>)> {
        let mut v = Vec::new();
        fn walk(root: &Path, rel: &Path, v: &mut Vec<(String, Option<Vec<u8>>)>) {
            for e in std::fs::read_dir(root.join(rel)).unwrap() {
                let e = e.unwrap();
                let r = rel.join(e.file_name());
                let t = e.file_type().unwrap();
                if t.is_dir() {
                    v.push((format!("{}/", r.display()), None));
                    walk(root, &r, v);
                } else if t.is_symlink() {
                    v.push((format!("{} -> {}", r.display(), std::fs::read_link(e.path()).unwrap().display()), None));
                } else {
                    v.push((r.display().to_string(), Some(std::fs::read(e.path()).unwrap())));
                }
            }
        }
        walk(root, Path::new(""), &mut v);
        v.sort();
        v
    }

    fn marker() -> (String, Option<Vec<u8>>) {
        (MARKER.to_string(), Some(MARKER_TEXT.to_vec()))
    }

    /// Both ways of putting the new tree in place (the one-step exchange, and renaming the
    /// previous output aside where the exchange is refused) give the same result.
    fn a_rebuild_links_identical_files_and_replaces_everything_else(exchange: bool, recycled: bool) {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("same.html"), b"same").unwrap();
        let f = |p: &str, b: &str| (PathBuf::from(p), bytes::Bytes::from(b.as_bytes().to_vec()));
        write_site(
            &out,
            &[
                f("same.html", "same"),
                f("changed.html", "old"),
                f("stale/deep/x.html", "gone"),
                f("becomes-dir", "file"),
                f("becomes-file/inner.html", "dir"),
                f("posts/a/index.html", "a"),
                f("posts/b/index.html", "b"),
            ],
        )
        .unwrap();
        if recycled {
            // Built twice: the first tree is now the spare the next build updates in place, and
            // it holds a file of its own.
            let files: Vec<_> = snapshot_files(&out);
            write_site(&out, &files).unwrap();
            std::fs::write(dir.path().join(".public.semdoc-prev/only-in-spare.html"), b"x").unwrap();
        }
        // Someone added links: one to a file with the very bytes the next build makes, one to a
        // directory the next build writes into.
        std::os::unix::fs::symlink(elsewhere.join("same.html"), out.join("linked.html")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("linked-dir")).unwrap();
        // And a directory of the site replaced by a link to a copy of it.
        let copy = dir.path().join("copy");
        std::fs::create_dir_all(&copy).unwrap();
        std::fs::write(copy.join("index.html"), b"b").unwrap();
        std::fs::remove_dir_all(out.join("posts/b")).unwrap();
        std::os::unix::fs::symlink(&copy, out.join("posts/b")).unwrap();
        let before = std::fs::metadata(out.join("same.html")).unwrap();
        let before_post = std::fs::metadata(out.join("posts/a/index.html")).unwrap();
        let new = [
            f("same.html", "same"),
            f("changed.html", "new"),
            f("becomes-dir/index.html", "now a dir"),
            f("becomes-file", "now a file"),
            f("posts/a/index.html", "a"),
            f("linked.html", "same"),
            f("linked-dir/same.html", "mine"),
            f("posts/b/index.html", "b"),
        ];
        let staging = Staging::new(&out, Overwrite::OnlySemdocs).unwrap();
        assert_eq!(staging.recycled, recycled);
        for (p, b) in &new {
            staging.write(p, b).unwrap();
        }
        staging.commit_with(exchange).unwrap();
        let mut want: Vec<(String, Option<Vec<u8>>)> =
            new.iter().map(|(p, b)| (p.display().to_string(), Some(b.to_vec()))).collect();
        for d in ["becomes-dir/", "posts/", "posts/a/", "posts/b/", "linked-dir/"] {
            want.push((d.to_string(), None));
        }
        want.push(marker());
        want.sort();
        assert_eq!(tree(&out), want, "exactly the new site, links replaced by files");
        assert_eq!(std::fs::read(elsewhere.join("same.html")).unwrap(), b"same", "links were not written through");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
        for (path, old) in [("same.html", &before), ("posts/a/index.html", &before_post)] {
            let now = std::fs::metadata(out.join(path)).unwrap();
            assert_eq!((now.ino(), now.mtime_nsec()), (old.ino(), old.mtime_nsec()), "{path} was not rewritten");
            assert_eq!(now.nlink(), 2, "{path}: shared with the spare");
        }
        assert_eq!(entries(dir.path()), [".public.semdoc-prev", "copy", "elsewhere", "public"], "no staging dir left");
        // The spare is the previous output as it was (links included).
        let spare = tree(&dir.path().join(".public.semdoc-prev"));
        assert!(spare.iter().any(|(p, _)| p.starts_with("linked.html -> ")), "{spare:?}");
        assert!(spare.contains(&("changed.html".to_string(), Some(b"old".to_vec()))));
        assert_eq!(tree(&copy), vec![("index.html".to_string(), Some(b"b".to_vec()))], "the copy is untouched");
    }

    #[test]
    fn a_rebuild_exchanges_the_trees_linking_identical_files() {
        a_rebuild_links_identical_files_and_replaces_everything_else(true, false);
    }

    #[test]
    fn a_rebuild_without_the_exchange_renames_the_previous_tree_aside() {
        a_rebuild_links_identical_files_and_replaces_everything_else(false, false);
    }

    #[test]
    fn a_rebuild_updates_the_spare_in_place_and_exchanges_it() {
        a_rebuild_links_identical_files_and_replaces_everything_else(true, true);
    }

    #[test]
    fn a_rebuild_updates_the_spare_in_place_without_the_exchange() {
        a_rebuild_links_identical_files_and_replaces_everything_else(false, true);
    }

    /// Every regular file under `root` but the marker, as the files of a site.
    fn snapshot_files(root: &Path) -> Vec<crate::render::OutFile> {
        tree(root)
            .into_iter()
            .filter_map(|(p, b)| b.filter(|_| p != MARKER).map(|b| (PathBuf::from(p), bytes::Bytes::from(b))))
            .collect()
    }

    #[test]
    fn a_file_written_twice_never_writes_through_its_link_to_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[("a.html".into(), b"a".to_vec().into())]).unwrap();
        let before = tree(&out);
        let staging = Staging::new(&out, Overwrite::OnlySemdocs).unwrap();
        staging.write(Path::new("a.html"), b"a").unwrap(); // linked
        staging.write(Path::new("a.html"), b"changed").unwrap();
        assert_eq!(tree(&out), before, "the previous output's file is not the staged one");
        staging.commit().unwrap();
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"changed");
    }

    #[test]
    fn a_failed_rebuild_leaves_the_output_as_it_was_and_reads_back_what_it_made() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[("a.html".into(), b"a".to_vec().into()), ("b/c.html".into(), b"c".to_vec().into())])
            .unwrap();
        let before = tree(&out);
        let staging = Staging::new(&out, Overwrite::OnlySemdocs).unwrap();
        staging.write(Path::new("a.html"), b"a").unwrap();
        staging.write(Path::new("b/c.html"), b"changed").unwrap();
        staging.write(Path::new("d.html"), b"new").unwrap();
        assert_eq!(staging.read(Path::new("a.html")).unwrap(), b"a", "kept");
        assert_eq!(staging.read(Path::new("b/c.html")).unwrap(), b"changed", "changed");
        assert_eq!(staging.read(Path::new("d.html")).unwrap(), b"new", "added");
        assert!(staging.read(Path::new("e.html")).is_none(), "never made");
        assert!(staging.write(Path::new(MARKER), b"x").is_err(), "the marker's name is semdoc's");
        drop(staging); // the build failed
        assert_eq!(tree(&out), before);
        assert_eq!(entries(dir.path()), ["public"]);
    }

    #[test]
    fn an_output_that_links_to_a_directory_is_built_where_it_points() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("www");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.html"), b"old").unwrap();
        std::fs::write(target.join(MARKER), MARKER_TEXT).unwrap();
        let out = dir.path().join("public");
        std::os::unix::fs::symlink(&target, &out).unwrap();
        write_site(&out, &[("index.html".into(), b"new".to_vec().into())]).unwrap();
        assert!(out.is_symlink(), "the link stays");
        assert_eq!(tree(&target), vec![marker(), ("index.html".to_string(), Some(b"new".to_vec()))]);
        assert_eq!(entries(dir.path()), [".www.semdoc-prev", "public", "www"]);
    }

    #[test]
    fn comparing_with_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &big).unwrap();
        assert!(same_file_bytes(&p, &big), "equal across many pieces");
        let mut other = big.clone();
        other[150_000] ^= 1;
        assert!(!same_file_bytes(&p, &other), "one byte differs late");
        assert!(!same_file_bytes(&p, &big[..199_999]), "shorter");
        assert!(!same_file_bytes(&dir.path().join("missing"), b""));
        std::fs::write(&p, b"").unwrap();
        assert!(same_file_bytes(&p, b""), "empty equals empty");
        assert!(!same_file_bytes(dir.path(), b""), "a directory is not a file");
    }

    /// The pid of a process that has exited.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn staging_dirs_whose_owner_is_gone_are_removed_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let me = std::process::id();
        let legacy_old = dir.path().join(".public.semdoc-new-abc");
        let legacy_fresh = dir.path().join(".public.semdoc-new-def");
        let other = dir.path().join(".other.semdoc-new-abc");
        let dead_locked = dir.path().join(format!(".public.semdoc-new-{dead}-aaa"));
        let dead_aside = dir.path().join(format!(".public.semdoc-old-{dead}-bbb"));
        let live_unlocked = dir.path().join(format!(".public.semdoc-new-{me}-ccc"));
        let held = dir.path().join(format!(".public.semdoc-new-{dead}-ddd"));
        for d in [&legacy_old, &legacy_fresh, &other, &dead_locked, &dead_aside, &live_unlocked, &held] {
            std::fs::create_dir_all(d.join("posts")).unwrap();
        }
        // A lock nobody holds (its owner was killed) and one that is held.
        std::fs::write(dead_locked.join(LOCK), format!("{dead}\n")).unwrap();
        let holder = lock(&held).unwrap();
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        for d in [&legacy_old, &other] {
            std::fs::File::open(d).unwrap().set_modified(two_hours_ago).unwrap();
        }
        let staging = Staging::new(&dir.path().join("public"), Overwrite::OnlySemdocs).unwrap();
        // Sorted by name: a pid's digits come before an older semdoc's letters.
        assert_eq!(staging.removed_abandoned(), [dead_locked.clone(), legacy_old.clone(), dead_aside.clone()]);
        assert!(!legacy_old.exists(), "an hour-old staging dir of an older semdoc is removed");
        assert!(legacy_fresh.exists(), "a fresh one may belong to a running build");
        assert!(other.exists(), "another output's dirs are left alone");
        assert!(!dead_locked.exists() && !dead_aside.exists(), "their owner is gone");
        assert!(live_unlocked.exists(), "a live process's, between its exchange and its clean-up");
        assert!(held.exists(), "a held lock is a running build");
        drop(holder);
        staging.write(Path::new("a/b.html"), b"x").unwrap();
        staging.commit().unwrap();
        assert_eq!(std::fs::read(dir.path().join("public/a/b.html")).unwrap(), b"x");
        let staging = Staging::new(&dir.path().join("public"), Overwrite::OnlySemdocs).unwrap();
        assert_eq!(staging.removed_abandoned(), [held], "its lock was released");
    }

    #[test]
    fn a_directory_semdoc_did_not_make_is_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("d");
        assert!(ensure_output_is_ours(&d, Overwrite::OnlySemdocs).is_ok(), "missing");
        std::fs::create_dir(&d).unwrap();
        assert!(ensure_output_is_ours(&d, Overwrite::OnlySemdocs).is_ok(), "empty");
        std::fs::write(d.join("notes.txt"), b"keep").unwrap();
        let e = ensure_output_is_ours(&d, Overwrite::OnlySemdocs).unwrap_err().to_string();
        assert!(e.contains(&d.join("notes.txt").display().to_string()) && e.contains("--force"), "{e}");
        assert!(ensure_output_is_ours(&d, Overwrite::Anything).is_ok());
        let staging = Staging::new(&d, Overwrite::OnlySemdocs);
        assert!(staging.is_err());
        assert_eq!(entries(dir.path()), ["d"], "refused before anything was made");
        std::fs::write(d.join(MARKER), b"").unwrap();
        assert!(ensure_output_is_ours(&d, Overwrite::OnlySemdocs).is_ok(), "marked");
    }

    #[test]
    fn an_earlier_semdocs_output_without_the_marker_is_accepted_by_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("public");
        std::fs::create_dir_all(d.join("search")).unwrap();
        std::fs::write(d.join("index.html"), b"").unwrap();
        std::fs::write(d.join("sitemap.xml"), b"").unwrap();
        assert!(ensure_output_is_ours(&d, Overwrite::OnlySemdocs).is_err(), "no search index: not semdoc's");
        std::fs::write(d.join("search/index.json"), b"").unwrap();
        assert!(ensure_output_is_ours(&d, Overwrite::OnlySemdocs).is_ok());
        write_site(&d, &[("index.html".into(), b"new".to_vec().into())]).unwrap();
        assert!(d.join(MARKER).is_file(), "and marked from now on");
    }

    #[test]
    fn refuses_paths_that_escape() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_site(&dir.path().join("public"), &[("../x".into(), bytes::Bytes::new())]).is_err());
        assert!(!dir.path().join("x").exists());
        assert!(!dir.path().join("public").exists());
        assert!(entries(dir.path()).is_empty(), "no staging dir left");
    }

    #[test]
    fn unsafe_output_dirs() {
        let root = Path::new("/site");
        assert!(ensure_output_is_safe(root, Path::new("/site/public")).is_ok());
        assert!(ensure_output_is_safe(root, Path::new("/site")).is_err());
        assert!(ensure_output_is_safe(root, Path::new("/")).is_err());
        assert!(ensure_output_is_safe(root, Path::new("/site/content/out")).is_err());
        assert!(ensure_output_is_safe(root, Path::new("/site/public/../static")).is_err());
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let other = dir.path().join("other");
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::fs::create_dir_all(other.join("content")).unwrap();
        std::fs::write(site.join("site.yaml"), b"title: t\n").unwrap();
        assert!(ensure_output_is_safe(&site, &site.join("site.yaml")).is_err(), "a file");
        assert!(ensure_output_is_safe(&site, &other).is_err(), "another site's content/");
        std::fs::write(other.join(MARKER), b"").unwrap();
        assert!(ensure_output_is_safe(&site, &other).is_ok(), "a built site with a content/ folder");
        std::fs::write(other.join("_config.yml"), b"").unwrap();
        assert!(ensure_output_is_safe(&site, &other).is_err(), "a Jekyll site's root");
        std::os::unix::fs::symlink(site.join("content"), dir.path().join("link")).unwrap();
        assert!(ensure_output_is_safe(&site, &dir.path().join("link")).is_err(), "a link into content/");
    }
}
