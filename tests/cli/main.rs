//! The one integration-test binary: drives the real `semdoc` CLI on tiny fixture sites made per test.
//! Shared helpers live here; each command has its own module.

mod architecture;
mod broken;
mod browser;
mod build;
mod explain;
mod fuzz;
mod i18n;
mod include;
mod jekyll;
mod lint;
mod liquid;
mod output;
mod pipes;
mod reader;
mod reading;
mod sandbox;
mod serve;
mod verify;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A test's own temporary directory, and the one way tests run the binary. Every run gets `HOME`,
/// `XDG_CACHE_HOME` and `SEMDOC_CACHE_DIR` inside it, so no test reads or writes the user's
/// `~/.cache/semdoc` (or anything else under their home), and no two tests share a cache.
/// (`sandbox::only_the_sandbox_runs_the_binary` keeps every test on this path.)
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().unwrap() }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    /// Where this sandbox's runs keep semdoc's caches (`SEMDOC_CACHE_DIR`).
    pub fn cache(&self) -> PathBuf {
        self.path().join("cache")
    }
    /// `HOME` and `XDG_CACHE_HOME` of this sandbox's runs: semdoc must write nothing there.
    pub fn home(&self) -> PathBuf {
        self.path().join("home")
    }
    pub fn xdg_cache(&self) -> PathBuf {
        self.path().join("xdg-cache")
    }
    /// `semdoc` run in `dir`, not yet started (for tests that need pipes or more environment).
    pub fn command(&self, args: &[&str], dir: &Path) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_semdoc"));
        c.args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("HOME", self.home())
            .env("XDG_CACHE_HOME", self.xdg_cache())
            .env("SEMDOC_CACHE_DIR", self.cache());
        c
    }
    /// `semdoc ARGS` run in `dir` by `sh -c 'SETUP; exec semdoc ARGS'` (resource limits, signal
    /// dispositions), with the same environment as `command`.
    pub fn command_after(&self, setup: &str, args: &[&str], dir: &Path) -> Command {
        let c = self.command(&[], dir);
        let mut sh = Command::new("sh");
        sh.arg("-c").arg(format!("{setup}; exec \"$0\" \"$@\"")).arg(c.get_program()).args(args);
        sh.current_dir(dir);
        for (k, v) in c.get_envs() {
            if let Some(v) = v {
                sh.env(k, v);
            }
        }
        sh
    }
    /// `semdoc` run in `dir` to its end.
    pub fn run(&self, args: &[&str], dir: &Path) -> Output {
        self.command(args, dir).output().expect("run semdoc")
    }
}

/// Copy the tree `from` to `to` (fixtures into a sandbox, so tests may edit them).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
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

/// A throwaway site in its own sandbox: `files` are (path relative to the site root, contents).
/// The root is `site/` in the sandbox, beside the sandbox's cache and home.
pub struct Site {
    sandbox: Sandbox,
    root: PathBuf,
}

impl Site {
    pub fn new(files: &[(&str, &str)]) -> Site {
        let sandbox = Sandbox::new();
        let root = sandbox.path().join("site");
        std::fs::create_dir(&root).unwrap();
        let s = Site { sandbox, root };
        s.write("site.yaml", "title: Test\nbase_url: https://example.com\ntimezone: \"+09:00\"\n");
        for (p, t) in files {
            s.write(p, t);
        }
        s
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    /// `semdoc ARGS` run in the site's root.
    pub fn semdoc(&self, args: &[&str]) -> Output {
        self.sandbox.run(args, self.root())
    }
    /// `semdoc ARGS` in the site's root, not yet started.
    pub fn command(&self, args: &[&str]) -> Command {
        self.sandbox.command(args, self.root())
    }
    pub fn build(&self, extra: &[&str]) -> Output {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        self.semdoc(&args)
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
