//! Reading a site from disk: the only place that walks directories (`walkdir` lives here only).
//!
//! Walks are sorted by file name so that every later stage sees the same order on every machine.
//! Hidden files and editor leftovers (`.swp`, `~`, `#…#`, `.#…`, `___jb_`) are skipped.

use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One file found under a directory: its path relative to that directory and on disk.
#[derive(Debug, Clone)]
pub struct FoundFile {
    pub rel: PathBuf,
    pub abs: PathBuf,
}

/// Is this a file an editor writes beside the real one (swap, backup, lock, JetBrains temp)?
pub fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.contains("___jb_")
}

/// Where a symbolic link to a file may lead: inside the site root, or inside a folder the user
/// allowed (`--allow-symlinks-into`). Anything else would publish a file from elsewhere on the
/// machine (`ln -s /etc/passwd content/passwd.txt`), so it is an error, not a copy.
#[derive(Debug, Clone, Default)]
pub struct Confinement {
    /// Real paths (symlinks resolved) of the folders links may lead into; empty: no check (the
    /// walk of a folder that is not a site's, such as the output directory).
    roots: Vec<PathBuf>,
    /// The folders as the user gave them, for the hint.
    allowed: Vec<PathBuf>,
}

impl Confinement {
    /// Links may lead into `root` and the `allowed` folders (relative ones are taken from `root`).
    pub fn new(root: &Path, allowed: &[PathBuf]) -> Self {
        let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let mut roots = vec![real(root)];
        roots.extend(allowed.iter().map(|a| real(&root.join(a))));
        Confinement { roots, allowed: allowed.to_vec() }
    }

    /// No check: every link to a file is read.
    pub fn none() -> Self {
        Confinement::default()
    }

    /// The link's real target when it leads outside every allowed folder.
    fn escapes(&self, link: &Path) -> Option<PathBuf> {
        if self.roots.is_empty() {
            return None;
        }
        let target = std::fs::canonicalize(link).ok()?;
        (!self.roots.iter().any(|r| target.starts_with(r))).then_some(target)
    }
}

/// All regular files below `dir` (following no symlinked directories, so loops are impossible,
/// and no link to a file outside `confine`), sorted. A missing directory is an empty list.
/// Unreadable entries and refused links become diagnostics.
pub fn walk_files(dir: &Path, display_root: &Path, confine: &Confinement) -> (Vec<FoundFile>, Vec<Diagnostic>) {
    walk_files_except(dir, display_root, confine, &|_| false)
}

/// `walk_files`, not entering the folders and not listing the files for which `skip` (given the
/// path relative to `dir`) is true: a Jekyll site's `_site/`, `node_modules/`, … are never read.
pub fn walk_files_except(
    dir: &Path,
    display_root: &Path,
    confine: &Confinement,
    skip: &dyn Fn(&Path) -> bool,
) -> (Vec<FoundFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    if !dir.is_dir() {
        return (files, diags);
    }
    let walker = WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
        e.depth() == 0
            || !(e.file_name().to_str().is_some_and(is_editor_temp)
                || skip(e.path().strip_prefix(dir).unwrap_or(e.path())))
    });
    for entry in walker {
        match entry {
            Ok(e) => {
                let ft = e.file_type();
                let is_file = if ft.is_symlink() {
                    // A symlink to a file is read through; a symlink to a directory is not followed
                    // (that is how loops are avoided), and a dangling one is reported.
                    match std::fs::metadata(e.path()) {
                        Ok(m) if m.is_file() => match confine.escapes(e.path()) {
                            None => true,
                            Some(target) => {
                                diags.push(refused_link(&display(e.path(), display_root), &target, confine));
                                false
                            }
                        },
                        Ok(_) => {
                            diags.push(
                                Diagnostic::warning(
                                    &display(e.path(), display_root),
                                    0,
                                    0,
                                    "symlink",
                                    "symbolic link to a directory is not followed",
                                )
                                .with_hint("copy the directory into the site, or link the files one by one"),
                            );
                            false
                        }
                        Err(err) => {
                            diags.push(Diagnostic::error(
                                &display(e.path(), display_root),
                                0,
                                0,
                                "io",
                                format!("broken symbolic link: {err}"),
                            ));
                            false
                        }
                    }
                } else {
                    ft.is_file()
                };
                if is_file {
                    let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
                    files.push(FoundFile { rel, abs: e.path().to_path_buf() });
                }
            }
            Err(err) => {
                let p = err.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
                diags.push(Diagnostic::error(&display(&p, display_root), 0, 0, "io", format!("cannot read: {err}")));
            }
        }
    }
    (files, diags)
}

/// The error for a link to a file outside the site: it names the link and where it leads.
fn refused_link(shown: &Path, target: &Path, confine: &Confinement) -> Diagnostic {
    let dir = target.parent().unwrap_or(target);
    let already = if confine.allowed.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = confine.allowed.iter().map(|a| a.display().to_string()).collect();
        format!(" (allowed now: {})", list.join(", "))
    };
    Diagnostic::error(
        shown,
        0,
        0,
        "symlink",
        format!("symbolic link leads outside the site, to {}: it is not read or published", target.display()),
    )
    .with_hint(format!(
        "copy the file into the site, or, if that folder is meant to be published, pass \
         `--allow-symlinks-into {}`{already}",
        dir.display()
    ))
}

/// A path as shown to the user: relative to the site root when possible.
pub fn display(p: &Path, root: &Path) -> PathBuf {
    p.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_files() {
        for n in [".post.md.swp", "post.md~", "#post.md#", ".#post.md", "post.md___jb_tmp___", "x.swp", ".hidden"] {
            assert!(is_editor_temp(n), "{n}");
        }
        for n in ["post.md", "카프카.md", "a~b.md"] {
            assert!(!is_editor_temp(n), "{n}");
        }
    }
}
