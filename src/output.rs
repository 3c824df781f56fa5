//! Writing the built site: the only writer. Files go into a fresh temporary directory beside the
//! output directory, which is swapped in only when every file was written, so a failed build never
//! touches the previous `public/`.

use anyhow::{Context, bail};
use std::path::{Component, Path, PathBuf};

/// Refuse output directories that would destroy sources: the site root itself, one of its
/// ancestors, or anything inside `content/`, `templates/` or `static/`.
pub fn ensure_output_is_safe(root: &Path, output: &Path) -> anyhow::Result<()> {
    let root = normalize(&std::path::absolute(root)?);
    let out = normalize(&std::path::absolute(output)?);
    if root.starts_with(&out) {
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

/// The new output being made, in a fresh temporary directory beside `output`, file by file while
/// the site renders (so finished pages need not stay in memory), and made the output by `commit`
/// only when the whole build succeeded. Dropped without `commit`, it deletes itself and the
/// previous output is untouched: until `commit`, nothing under `output` is written.
///
/// Two ways, chosen by whether there is a previous output:
/// - **Swap** (no output directory yet): the staging directory is the new tree and `commit` renames
///   it into place.
/// - **Merge** (an output directory exists, or a link to one): a file whose bytes equal the
///   previous output's file at the same path is not written at all; any other file goes into the
///   staging directory under a numbered name, and `commit` renames each into place, then removes
///   what the new site no longer has. Rebuilding a site mostly rewrites identical pages, and on
///   ext4 creating and deleting tens of thousands of inodes per build was most of a 10 000-page
///   rebuild's system time (without a journal, new inodes are allocated around recently deleted
///   ones, see `recently_deleted` in ext4's ialloc.c); unchanged files also keep their
///   modification times, so `rsync` and deploy tools see only what changed. The cost: while
///   `commit` runs (milliseconds per changed file), a reader of the output can see some files new
///   and others old, and a build killed during it leaves such a mix (each file whole); a failed
///   build still touches nothing.
pub struct Staging {
    tmp: tempfile::TempDir,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    merge: bool,
    /// Swap: directories already created (each once, whichever thread gets there first). Merge:
    /// directories of the output found to be real directories.
    dirs: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    /// Merge: files written (→ their number in the staging directory) and files kept as they are.
    changed: std::sync::Mutex<rustc_hash::FxHashMap<PathBuf, u64>>,
    kept: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    /// The first write that failed; `commit` reports it.
    failed: std::sync::Mutex<Option<anyhow::Error>>,
}

impl Staging {
    pub fn new(output: &Path) -> anyhow::Result<Self> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        remove_abandoned(&parent, &name);
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.semdoc-new-"))
            .tempdir_in(&parent)
            .with_context(|| format!("cannot create a temporary directory in {}; is it writable?", parent.display()))?;
        // A link to a directory is followed: the site goes where it points.
        let merge = output.is_dir();
        Ok(Staging {
            tmp,
            output: output.to_path_buf(),
            parent,
            name,
            merge,
            dirs: Default::default(),
            changed: Default::default(),
            kept: Default::default(),
            failed: Default::default(),
        })
    }

    /// Write one file (`rel` relative to the output). Safe to call from many threads.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        ensure_relative(rel)?;
        if self.merge {
            if self.in_real_dirs(rel) && same_file_bytes(&self.output.join(rel), bytes) {
                self.kept.lock().expect("kept lock").insert(rel.to_path_buf());
                return Ok(());
            }
            let mut changed = self.changed.lock().expect("changed lock");
            let n = changed.len() as u64;
            let dest = self.tmp.path().join(n.to_string());
            changed.insert(rel.to_path_buf(), n);
            drop(changed);
            return std::fs::write(&dest, bytes).with_context(|| format!("cannot write {}", dest.display()));
        }
        let dest = self.tmp.path().join(rel);
        if let Some(dir) = rel.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Recorded only once it exists (two threads may both create it; that is harmless).
            if !self.dirs.lock().expect("dirs lock").contains(dir) {
                let d = self.tmp.path().join(dir);
                std::fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
                self.dirs.lock().expect("dirs lock").insert(dir.to_path_buf());
            }
        }
        std::fs::write(&dest, bytes).with_context(|| format!("cannot write {}", dest.display()))
    }

    /// Merge: whether every directory above `rel` in the output is a directory, not a link to one
    /// (a file reached through a link is not kept: `commit` replaces the link). Each directory is
    /// looked at once per build.
    fn in_real_dirs(&self, rel: &Path) -> bool {
        let mut dir = PathBuf::new();
        for c in rel.parent().into_iter().flat_map(Path::components) {
            dir.push(c);
            if self.dirs.lock().expect("dirs lock").contains(&dir) {
                continue;
            }
            if !std::fs::symlink_metadata(self.output.join(&dir)).is_ok_and(|m| m.is_dir()) {
                return false;
            }
            self.dirs.lock().expect("dirs lock").insert(dir.clone());
        }
        true
    }

    /// A file written earlier (the link checker reads back the few pages links point into).
    pub fn read(&self, rel: &Path) -> Option<Vec<u8>> {
        ensure_relative(rel).ok()?;
        if !self.merge {
            return std::fs::read(self.tmp.path().join(rel)).ok();
        }
        if let Some(n) = self.changed.lock().expect("changed lock").get(rel) {
            return std::fs::read(self.tmp.path().join(n.to_string())).ok();
        }
        if self.kept.lock().expect("kept lock").contains(rel) {
            return std::fs::read(self.output.join(rel)).ok();
        }
        None
    }

    /// Make the new site the output: swap the directories, or merge the changes in (see `Staging`).
    pub fn commit(self) -> anyhow::Result<()> {
        if let Some(e) = self.failed.lock().expect("failed lock").take() {
            return Err(e);
        }
        if self.merge {
            return self.merge_in();
        }
        let Staging { tmp, output, parent, name, .. } = self;
        let new_dir = tmp.keep();
        if std::fs::symlink_metadata(&output).is_ok() {
            let old = tempfile::Builder::new().prefix(&format!(".{name}.semdoc-old-")).tempdir_in(&parent)?.keep();
            // `old` exists as an empty dir; rename needs the target not to be a non-empty dir.
            std::fs::remove_dir(&old)?;
            if let Err(e) = std::fs::rename(&output, &old) {
                let _ = std::fs::remove_dir_all(&new_dir);
                return Err(e).with_context(|| format!("cannot replace {}", output.display()));
            }
            if let Err(e) = std::fs::rename(&new_dir, &output) {
                let _ = std::fs::rename(&old, &output);
                let _ = std::fs::remove_dir_all(&new_dir);
                return Err(e).with_context(|| format!("cannot move the new site into {}", output.display()));
            }
            // Only a file or a dangling link can be here (a directory is merged into instead).
            let removed =
                if old.is_symlink() || !old.is_dir() { std::fs::remove_file(&old) } else { remove_tree(&old) };
            removed.with_context(|| format!("cannot remove the previous output at {}", old.display()))?;
        } else if let Err(e) = std::fs::rename(&new_dir, &output) {
            let _ = std::fs::remove_dir_all(&new_dir);
            return Err(e).with_context(|| format!("cannot create {}", output.display()));
        }
        Ok(())
    }

    /// Merge: move each changed file into place (replacing whatever is at its path, a directory
    /// or a link included, and never writing through a link), then remove every file and directory
    /// the new site does not have.
    fn merge_in(self) -> anyhow::Result<()> {
        let changed = self.changed.into_inner().expect("changed lock");
        let kept = self.kept.into_inner().expect("kept lock");
        let mut moves: Vec<(PathBuf, u64)> = changed.into_iter().collect();
        moves.sort();
        let mut made: rustc_hash::FxHashSet<PathBuf> = Default::default();
        for (rel, n) in &moves {
            let dest = self.output.join(rel);
            let mut dir = PathBuf::new();
            for c in rel.parent().into_iter().flat_map(Path::components) {
                dir.push(c);
                if made.contains(&dir) {
                    continue;
                }
                let d = self.output.join(&dir);
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
            if std::fs::symlink_metadata(&dest).is_ok_and(|m| m.is_dir()) {
                remove_tree(&dest).with_context(|| format!("cannot replace {}", dest.display()))?;
            }
            let from = self.tmp.path().join(n.to_string());
            let moved = match std::fs::rename(&from, &dest) {
                // The output is a link to another file system: copy instead.
                Err(e) if e.kind() == std::io::ErrorKind::CrossesDevices => std::fs::copy(&from, &dest).map(drop),
                other => other,
            };
            moved.with_context(|| format!("cannot move the new {} into place", dest.display()))?;
        }
        let files: rustc_hash::FxHashSet<&Path> =
            moves.iter().map(|(p, _)| p.as_path()).chain(kept.iter().map(PathBuf::as_path)).collect();
        let dirs: rustc_hash::FxHashSet<&Path> =
            files.iter().flat_map(|p| p.ancestors().skip(1)).filter(|d| !d.as_os_str().is_empty()).collect();
        remove_stale(&self.output, Path::new(""), &files, &dirs)
            .with_context(|| format!("cannot remove old files from {}", self.output.display()))
    }
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

/// Staging directories survive only a build that was killed (Ctrl+C) before it could delete
/// them. Remove those beside `output` that nobody has touched for an hour (a build running right
/// now keeps its own fresh).
fn remove_abandoned(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.semdoc-new-"), format!(".{name}.semdoc-old-")];
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let hour = std::time::Duration::from_secs(3600);
    for e in entries.flatten() {
        let file_name = e.file_name();
        let n = file_name.to_string_lossy();
        if !prefixes.iter().any(|p| n.starts_with(p.as_str())) {
            continue;
        }
        let old =
            e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age > hour);
        if old && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = remove_tree(&e.path());
        }
    }
}

/// Write `files` (paths relative to the output) as the new content of `output`, atomically as far
/// as the filesystem allows (see `Staging`).
pub fn write_site(output: &Path, files: &[crate::render::OutFile]) -> anyhow::Result<()> {
    // `Staging::write` refuses paths that escape; a refused one drops (deletes) the staging dir.
    let staging = Staging::new(output)?;
    use rayon::prelude::*;
    files.par_iter().try_for_each(|(rel, bytes)| staging.write(rel, bytes))?;
    staging.commit()
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

    #[test]
    fn replaces_previous_output_and_leaves_no_temp_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[("a/index.html".into(), b"one".to_vec().into()), ("stale.txt".into(), b"x".to_vec().into())],
        )
        .unwrap();
        write_site(&out, &[("a/index.html".into(), b"two".to_vec().into())]).unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"two");
        assert!(!out.join("stale.txt").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
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
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "only public/ and keep/ remain: {names:?}");
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

    #[test]
    fn a_rebuild_keeps_identical_files_and_replaces_everything_else() {
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
        write_site(&out, &new).unwrap();
        let mut want: Vec<(String, Option<Vec<u8>>)> =
            new.iter().map(|(p, b)| (p.display().to_string(), Some(b.to_vec()))).collect();
        for d in ["becomes-dir/", "posts/", "posts/a/", "posts/b/", "linked-dir/"] {
            want.push((d.to_string(), None));
        }
        want.sort();
        assert_eq!(tree(&out), want, "exactly the new site, links replaced by files");
        assert_eq!(std::fs::read(elsewhere.join("same.html")).unwrap(), b"same", "links were not written through");
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 1);
        for (path, old) in [("same.html", &before), ("posts/a/index.html", &before_post)] {
            let now = std::fs::metadata(out.join(path)).unwrap();
            assert_eq!((now.ino(), now.mtime_nsec()), (old.ino(), old.mtime_nsec()), "{path} was not rewritten");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 3, "no staging dir left: {names:?}");
        assert_eq!(tree(&copy), vec![("index.html".to_string(), Some(b"b".to_vec()))], "the copy is untouched");
    }

    #[test]
    fn a_failed_rebuild_leaves_the_output_as_it_was_and_reads_back_what_it_made() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[("a.html".into(), b"a".to_vec().into()), ("b/c.html".into(), b"c".to_vec().into())])
            .unwrap();
        let before = tree(&out);
        let staging = Staging::new(&out).unwrap();
        assert!(staging.merge);
        staging.write(Path::new("a.html"), b"a").unwrap();
        staging.write(Path::new("b/c.html"), b"changed").unwrap();
        staging.write(Path::new("d.html"), b"new").unwrap();
        assert_eq!(staging.read(Path::new("a.html")).unwrap(), b"a", "kept");
        assert_eq!(staging.read(Path::new("b/c.html")).unwrap(), b"changed", "changed");
        assert_eq!(staging.read(Path::new("d.html")).unwrap(), b"new", "added");
        assert!(staging.read(Path::new("e.html")).is_none(), "never made");
        drop(staging); // the build failed
        assert_eq!(tree(&out), before);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn an_output_that_links_to_a_directory_is_built_where_it_points() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("www");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.html"), b"old").unwrap();
        let out = dir.path().join("public");
        std::os::unix::fs::symlink(&target, &out).unwrap();
        write_site(&out, &[("index.html".into(), b"new".to_vec().into())]).unwrap();
        assert!(out.is_symlink(), "the link stays");
        assert_eq!(tree(&target), vec![("index.html".to_string(), Some(b"new".to_vec()))]);
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

    #[test]
    fn abandoned_staging_dirs_are_removed_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".public.semdoc-new-abc");
        let fresh = dir.path().join(".public.semdoc-new-def");
        let other = dir.path().join(".other.semdoc-new-abc");
        for d in [&old, &fresh, &other] {
            std::fs::create_dir_all(d.join("posts")).unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        for d in [&old, &other] {
            std::fs::File::open(d).unwrap().set_modified(two_hours_ago).unwrap();
        }
        let staging = Staging::new(&dir.path().join("public")).unwrap();
        assert!(!old.exists(), "an hour-old staging dir of this output is removed");
        assert!(fresh.exists(), "a fresh one may belong to a running build");
        assert!(other.exists(), "another output's dirs are left alone");
        staging.write(Path::new("a/b.html"), b"x").unwrap();
        staging.commit().unwrap();
        assert_eq!(std::fs::read(dir.path().join("public/a/b.html")).unwrap(), b"x");
    }

    #[test]
    fn refuses_paths_that_escape() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_site(&dir.path().join("public"), &[("../x".into(), bytes::Bytes::new())]).is_err());
        assert!(!dir.path().join("x").exists());
        assert!(!dir.path().join("public").exists());
    }

    #[test]
    fn unsafe_output_dirs() {
        let root = Path::new("/site");
        assert!(ensure_output_is_safe(root, Path::new("/site/public")).is_ok());
        assert!(ensure_output_is_safe(root, Path::new("/site")).is_err());
        assert!(ensure_output_is_safe(root, Path::new("/")).is_err());
        assert!(ensure_output_is_safe(root, Path::new("/site/content/out")).is_err());
        assert!(ensure_output_is_safe(root, Path::new("/site/public/../static")).is_err());
    }
}
