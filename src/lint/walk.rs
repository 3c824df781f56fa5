//! `semdoc lint`'s walk (an IO edge): the `ignore` crate's parallel walker (ripgrep's; it keeps
//! `.gitignore`, `.ignore` and `.semdocignore` rules) over the given paths, reading only files
//! whose names can hold a Kafka configuration or name a client version, keeping the text only of
//! those that hold one (`detect`, on the walker's threads), and listing every entry it does not
//! read (symbolic links, non-UTF-8 or oversized candidates, unreadable files).

use super::{SkipReason, Skipped, SourceFile, Tree, detect, is_build_file, is_candidate};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Candidate files larger than this are listed as skipped: generated code or data, not config.
pub const MAX_BYTES: u64 = 1 << 20;

/// Walk `paths` (files or directories). Paths in the result are as the user wrote the root, so
/// messages read `services/order/application.yml`, not an absolute path.
pub fn walk(paths: &[PathBuf]) -> anyhow::Result<Tree> {
    let Some((first, rest)) = paths.split_first() else { anyhow::bail!("no path to lint") };
    for p in paths {
        anyhow::ensure!(
            std::fs::symlink_metadata(p).is_ok(),
            "{} does not exist; pass a directory or file of the codebase",
            p.display()
        );
    }
    let mut b = ignore::WalkBuilder::new(first);
    for p in rest {
        b.add(p);
    }
    // Hidden folders hold CI files and `.git`; the configs people ship are not hidden. `.gitignore`
    // is honoured in a directory that is not (yet) a git repository too, as developers expect.
    b.hidden(true).follow_links(false).require_git(false).add_custom_ignore_filename(".semdocignore");
    let out = Mutex::new(Tree::default());
    let (visited, read) = (AtomicUsize::new(0), AtomicUsize::new(0));
    b.build_parallel().run(|| {
        Box::new(|entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = match &err {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => PathBuf::from("?"),
                    };
                    out.lock().expect("walk lock").skipped.push(Skipped { path, reason: SkipReason::Unreadable });
                    return ignore::WalkState::Continue;
                }
            };
            let Some(ft) = entry.file_type() else { return ignore::WalkState::Continue };
            if ft.is_dir() {
                return ignore::WalkState::Continue;
            }
            visited.fetch_add(1, Ordering::Relaxed);
            let path = entry.path();
            if ft.is_symlink() {
                out.lock()
                    .expect("walk lock")
                    .skipped
                    .push(Skipped { path: display_path(path), reason: SkipReason::Symlink });
                return ignore::WalkState::Continue;
            }
            let name = entry.file_name().to_str().unwrap_or("");
            let build = is_build_file(name);
            if !build && !is_candidate(name) {
                return ignore::WalkState::Continue;
            }
            match read_candidate(path) {
                Ok(text) => {
                    read.fetch_add(1, Ordering::Relaxed);
                    // Most candidates hold no configuration: their text is dropped here, so the
                    // tree's memory is the configurations', not the codebase's.
                    if build || detect(path, &text).is_some() {
                        let f = SourceFile { path: display_path(path), text };
                        let mut t = out.lock().expect("walk lock");
                        if build { t.build_files.push(f) } else { t.files.push(f) }
                    }
                }
                Err(reason) => {
                    out.lock().expect("walk lock").skipped.push(Skipped { path: display_path(path), reason })
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut tree = out.into_inner().expect("walk lock");
    tree.visited = visited.into_inner();
    tree.read = read.into_inner();
    tree.files.sort_by(|a, b| a.path.cmp(&b.path));
    tree.build_files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(tree)
}

/// `./a/b` → `a/b`: the walker joins names onto the root as given.
fn display_path(p: &Path) -> PathBuf {
    p.strip_prefix(".").map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf())
}

fn read_candidate(path: &Path) -> Result<String, SkipReason> {
    use std::io::Read;
    // Open once, then size the open file (no second path lookup).
    let mut file = std::fs::File::open(path).map_err(|_| SkipReason::Unreadable)?;
    let len = file.metadata().map_err(|_| SkipReason::Unreadable)?.len();
    if len > MAX_BYTES {
        return Err(SkipReason::TooLarge);
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.read_to_end(&mut bytes).map_err(|_| SkipReason::Unreadable)?;
    String::from_utf8(bytes).map_err(|_| SkipReason::NotUtf8)
}
