//! ARCHITECTURE.md's invariants, enforced on the source tree rather than stated in prose: every
//! file says what it owns, IO only at the edges, one owner per third-party format crate, `semantics`
//! independent of the site, no cycles between top-level modules, and no citation of documents
//! that are not in the repository.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, as (path relative to the repository, text).
fn rust_files(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p: PathBuf = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(repo()).unwrap().display().to_string();
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The file without its unit tests (`#[cfg(test)]` to the end, where semdoc keeps them).
fn non_test(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

/// The module a file belongs to: `src/render/search.rs` → `render`, `src/config.rs` → `config`.
fn top_module(rel: &str) -> String {
    let inner = rel.strip_prefix("src/").unwrap();
    inner.split('/').next().unwrap().trim_end_matches(".rs").to_string()
}

#[test]
fn every_source_file_starts_by_saying_what_it_owns() {
    let mut missing = vec![];
    for dir in ["src", "tests", "benches", "examples", "fuzz/fuzz_targets", "fuzz/checks", "build.rs"] {
        let files = if dir.ends_with(".rs") {
            vec![(dir.to_string(), std::fs::read_to_string(repo().join(dir)).unwrap())]
        } else {
            rust_files(dir)
        };
        // Fixtures under tests/fixtures/ are input written as users write it, not semdoc's source.
        let ours = |p: &String| !p.starts_with("tests/fixtures/");
        missing.extend(files.into_iter().filter(|(p, t)| ours(p) && !t.starts_with("//!")).map(|(p, _)| p));
    }
    assert!(missing.is_empty(), "files without a leading `//!` line: {missing:?}");
}

/// "Only the edges do IO": reading and writing files, the environment and processes.
#[test]
fn io_happens_only_at_the_edges() {
    const EDGES: &[&str] = &[
        "src/main.rs",
        "src/output.rs",
        "src/cache.rs",
        "src/content/mod.rs",
        "src/content/load.rs",
        "src/lint/walk.rs",
    ];
    const IO: &[&str] = &["std::fs", "File::", "std::env::var", "std::process::Command", "std::io::stdin"];
    let mut found = vec![];
    for (rel, text) in rust_files("src") {
        if EDGES.contains(&rel.as_str()) || rel.starts_with("src/serve/") {
            continue;
        }
        for io in IO {
            if non_test(&text).contains(io) {
                found.push(format!("{rel}: {io}"));
            }
        }
    }
    assert!(found.is_empty(), "IO outside the edges named in ARCHITECTURE.md: {found:?}");
}

#[test]
fn each_format_crate_has_one_owner() {
    let owners: &[(&str, &[&str])] = &[
        ("serde_yaml", &["src/content/yaml.rs"]),
        ("walkdir", &["src/content/load.rs"]),
        ("pulldown_cmark", &["src/markdown/"]),
        ("syntect", &["src/markdown/"]),
        ("tera", &["src/render/"]),
        ("saphyr_parser", &["src/semantics/parse/yaml.rs"]),
        ("quick_junit", &["src/report.rs"]),
        ("ignore", &["src/lint/walk.rs"]),
    ];
    let mut wrong = vec![];
    for (rel, text) in rust_files("src") {
        let code = non_test(&text);
        for (krate, allowed) in owners {
            let used = code.contains(&format!("{krate}::")) || code.contains(&format!("use {krate}"));
            if used && !allowed.iter().any(|a| rel.starts_with(a)) {
                wrong.push(format!("{rel} uses {krate} (owner: {allowed:?})"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[test]
fn semantics_knows_nothing_of_the_site_and_markdown_nothing_of_tera() {
    let site = [
        "markdown",
        "render",
        "content",
        "verify",
        "serve",
        "output",
        "pipeline",
        "config",
        "cache",
        "playground",
        "report",
        "html",
    ];
    let mut wrong = vec![];
    for (rel, text) in rust_files("src/semantics") {
        for m in site {
            if non_test(&text).contains(&format!("crate::{m}")) {
                wrong.push(format!("{rel} uses crate::{m}"));
            }
        }
    }
    for (rel, text) in rust_files("src/markdown") {
        if non_test(&text).contains("tera::") {
            wrong.push(format!("{rel} uses tera"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:?}");
}

/// Top-level modules form a DAG (issue #18 found `config` ⇄ `content` and `render` ⇄ `playground`).
/// KNOWN lists the cycles still to break; a new one fails, and so does a listed one that is gone.
#[test]
fn top_level_modules_do_not_depend_on_each_other_in_a_cycle() {
    const KNOWN: &[(&str, &str)] = &[("config", "content")];
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in rust_files("src") {
        let top = top_module(&rel);
        let code = non_test(&text);
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            if !name.is_empty() && name != top {
                deps.entry(top.clone()).or_default().insert(name);
            }
        }
    }
    let depends = |a: &str, b: &str| deps.get(a).is_some_and(|d| d.contains(b));
    let mut cycles = BTreeSet::new();
    // Any cycle has a pair (a, b) with a → … → b → a; reachability finds each such pair.
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(m) = stack.pop() {
            for n in deps.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    stack.push(n.clone());
                }
            }
        }
        seen
    };
    for a in deps.keys() {
        for b in reach(a) {
            if a < &b && reach(&b).contains(a) {
                cycles.insert((a.clone(), b));
            }
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(
        cycles,
        known,
        "module cycles (direct pairs: {:?})",
        KNOWN.iter().map(|(a, b)| (depends(a, b), depends(b, a))).collect::<Vec<_>>()
    );
}

/// The repository stands alone: no citation of documents that are not in it.
#[test]
fn no_citation_of_documents_outside_the_repository() {
    let names = ["SEMANTICS.md", "MODEL.md", "FACTS.md", "FACTS-2.md", "STYLE.md"];
    let mut texts: Vec<(String, String)> = ["src", "tests", "benches", "examples", "fuzz/fuzz_targets", "fuzz/checks"]
        .iter()
        .flat_map(|d| rust_files(d))
        .filter(|(rel, _)| rel != "tests/cli/architecture.rs")
        .collect();
    for doc in ["README.md", "ARCHITECTURE.md", "docs/model.md", "content/about-checks.md"] {
        texts.push((doc.to_string(), std::fs::read_to_string(repo().join(doc)).unwrap()));
    }
    let mut found = vec![];
    for (rel, text) in &texts {
        for n in names {
            if text.contains(n) {
                found.push(format!("{rel}: {n}"));
            }
        }
    }
    assert!(found.is_empty(), "cite docs/model.md or the primary source instead: {found:?}");
}
