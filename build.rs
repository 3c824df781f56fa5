//! Build script: rebuild when the embedded default theme changes (`include_dir!` does not tell
//! cargo on stable), and hash sources into `SEMDOC_CLASSIFIER_HASH` (the key of the verdict cache:
//! a cached outcome is only reused by the classifier that computed it) and `SEMDOC_BUILD_HASH`
//! (part of the site cache's key: a new semdoc never trusts an old build's output).

use std::fs;
use std::path::Path;

/// Sources whose change can change a verdict or the playground's answers.
const CLASSIFIER_SOURCES: &[&str] = &["src/semantics", "src/render/diagram.rs", "src/playground.rs"];
/// Everything that can change what a build writes (the site cache's key).
const BUILD_SOURCES: &[&str] = &["src", "templates", "static", "Cargo.lock", "build.rs"];

fn files(p: &Path, out: &mut Vec<std::path::PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<_> = fs::read_dir(p).into_iter().flatten().flatten().map(|e| e.path()).collect();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else if p.is_file() {
        out.push(p.to_path_buf());
    }
}

fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
    println!("cargo:rustc-env=SEMDOC_CLASSIFIER_HASH={}", hash_of(CLASSIFIER_SOURCES));
    println!("cargo:rustc-env=SEMDOC_BUILD_HASH={}", hash_of(BUILD_SOURCES));
}

fn hash_of(sources: &[&str]) -> String {
    let mut all = Vec::new();
    for s in sources {
        println!("cargo:rerun-if-changed={s}");
        files(Path::new(s), &mut all);
    }
    // FNV-1a, 64 bit: stable across toolchains, unlike std's DefaultHasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(env!("CARGO_PKG_VERSION").as_bytes());
    for f in &all {
        feed(f.to_string_lossy().as_bytes());
        feed(&fs::read(f).unwrap_or_default());
    }
    format!("{h:016x}")
}
