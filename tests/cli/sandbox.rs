//! Tests touch only their own temporary directories: every run of the binary goes through
//! `Sandbox`, which points each place semdoc could keep its caches into the test's directory.

use crate::*;

/// A page that fills both caches: a checked snippet (verdicts) and a highlighted block.
const POST: &str = "---\ntitle: P\ndate: 2024-01-01\n---\n\n```properties semdoc kafka=2.8\nacks=0\nretries=0\n```\n\n```java\nint answer = 42;\n```\n";

fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => vec![],
    };
    v.sort();
    v
}

#[test]
fn a_build_keeps_its_caches_in_the_sandbox_and_writes_nothing_under_home() {
    let site = Site::new(&[("content/posts/2024-01-01-p.md", POST)]);
    let sb = site.sandbox();
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let cache = entries(&sb.cache());
    assert!(cache.iter().any(|n| n.starts_with("verdicts-")), "{cache:?}");
    assert!(cache.iter().any(|n| n.starts_with("highlight-")), "{cache:?}");
    assert!(!sb.home().exists() && !sb.xdg_cache().exists(), "nothing under HOME or XDG_CACHE_HOME");
    // The other two places semdoc looks are the sandbox's too: without SEMDOC_CACHE_DIR the
    // caches go to $XDG_CACHE_HOME/semdoc, and without that to $HOME/.cache/semdoc. So a run
    // through the sandbox cannot reach the user's cache whichever variable semdoc reads.
    std::fs::remove_dir_all(site.root().join("public")).unwrap();
    let out = site.command(&["build"]).env_remove("SEMDOC_CACHE_DIR").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(entries(&sb.xdg_cache().join("semdoc")).iter().any(|n| n.starts_with("verdicts-")));
    assert!(!sb.home().exists());
    std::fs::remove_dir_all(site.root().join("public")).unwrap();
    let out = site.command(&["build"]).env_remove("SEMDOC_CACHE_DIR").env_remove("XDG_CACHE_HOME").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(entries(&sb.home().join(".cache/semdoc")).iter().any(|n| n.starts_with("verdicts-")));
    // And the site itself holds only what the test wrote and the output.
    assert_eq!(entries(site.root()), ["content", "public", "site.yaml"]);
}

/// No test starts the binary by itself (it would run with the user's HOME and cache).
#[test]
fn only_the_sandbox_runs_the_binary() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let needle = ["CARGO_BIN_EXE", "_semdoc"].concat();
    let mut users = vec![];
    for name in entries(&dir) {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        for _ in 0..text.matches(&needle).count() {
            users.push(name.clone());
        }
    }
    assert_eq!(users, ["main.rs"], "only `Sandbox::command` names the binary");
}
