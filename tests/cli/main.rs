//! The one integration-test binary: drives the real `semdoc` CLI on tiny fixture sites made per test.
//! Shared helpers live here; each command has its own module.

mod broken;
mod browser;
mod build;
mod reading;
mod serve;
mod verify;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn semdoc(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_semdoc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run semdoc")
}

/// Names of the entries of `dir` containing `needle` (left-over temporary directories).
pub fn names_containing(dir: &Path, needle: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(needle))
        .collect()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A throwaway site: `files` are (path relative to the site root, contents).
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    pub fn new(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let s = Site { dir };
        s.write("site.yaml", "title: Test\nbase_url: https://example.com\ntimezone: \"+09:00\"\n");
        for (p, t) in files {
            s.write(p, t);
        }
        s
    }
    pub fn root(&self) -> &Path {
        self.dir.path()
    }
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    pub fn build(&self, extra: &[&str]) -> Output {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        semdoc(&args, self.root())
    }
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
    pub fn exists(&self, rel: &str) -> bool {
        self.root().join(rel).exists()
    }
}

pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v = Vec::new();
    pub fn walk(base: &Path, d: &Path, v: &mut Vec<(PathBuf, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(base, &p, v);
            } else {
                v.push((p.strip_prefix(base).unwrap().to_path_buf(), std::fs::read(&p).unwrap()));
            }
        }
    }
    walk(dir, dir, &mut v);
    v
}
