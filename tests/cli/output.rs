//! The output directory (issue #19): replaced in one step (a build killed at any moment leaves
//! wholly the old site or wholly the new one), never a directory semdoc did not make unless
//! `--force`, never one holding the site's sources; staging directories of killed builds are
//! removed; a cache or staging directory that cannot be written is said, with its path.

use crate::*;
use std::path::Path;

const MARKER: &str = ".semdoc-output";

fn post(i: usize, version: &str) -> (String, String) {
    (
        format!("content/posts/2024-01-{:02}-p{i:04}.md", 1 + i % 28),
        format!(
            "---\ntitle: \"Page {i} {version}\"\ndate: 2024-01-{:02}\ntags: [t{}, u{}]\n---\n\n{version} text of page {i}.\n\n## Part\n\nMore {version} words.\n",
            1 + i % 28,
            i % 7,
            i % 3
        ),
    )
}

fn write_posts(site: &Site, n: usize, version: &str) {
    for i in 0..n {
        let (p, t) = post(i, version);
        site.write(&p, &t);
    }
}

fn path_arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_directory_semdoc_did_not_make_is_refused_unless_forced() {
    let site = Site::new(&[("content/index.md", "---\ntitle: Home\n---\n\nHi.\n")]);
    let d = site.sandbox().path().join("d");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("notes.txt"), "keep\n").unwrap();
    let out = site.build(&["-o", path_arg(&d)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&d.join("notes.txt").display().to_string()) && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(d.join("notes.txt")).unwrap(), "keep\n");
    assert_eq!(names_containing(site.sandbox().path(), "semdoc-new"), Vec::<String>::new());
    let out = site.build(&["-o", path_arg(&d), "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!d.join("notes.txt").exists() && d.join("index.html").is_file() && d.join(MARKER).is_file());
    // Marked now: the next build needs no --force, and an empty directory never did.
    assert!(site.build(&["-o", path_arg(&d)]).status.success());
    let empty = site.sandbox().path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(site.build(&["-o", path_arg(&empty)]).status.success());
}

#[test]
fn an_output_holding_the_sites_sources_is_refused_even_forced() {
    let site = Site::new(&[("content/index.md", "---\ntitle: Home\n---\n\nHi.\n")]);
    let before = snapshot(site.root());
    for o in ["site.yaml", ".", "content", "content/posts", ".."] {
        for force in [false, true] {
            let mut args = vec!["-o", o];
            if force {
                args.push("--force");
            }
            let out = site.build(&args);
            assert_eq!(out.status.code(), Some(2), "-o {o} {args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains("output"), "{}", stderr(&out));
        }
    }
    assert_eq!(snapshot(site.root()), before, "nothing of the site changed");
    // Another site's root is not an output either.
    let other = site.sandbox().path().join("other");
    std::fs::create_dir_all(other.join("content")).unwrap();
    std::fs::write(other.join("site.yaml"), "title: Other\n").unwrap();
    let out = site.build(&["-o", path_arg(&other), "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(other.join("site.yaml").is_file());
}

/// semdoc before the marker wrote none: an output with its files (index.html, sitemap.xml,
/// search/index.json) is replaced, and marked from then on; one without them is someone else's.
#[test]
fn an_earlier_semdocs_output_is_replaced_and_a_look_alike_is_not() {
    let site = Site::new(&[("content/index.md", "---\ntitle: Home\n---\n\nHi.\n")]);
    assert!(site.build(&[]).status.success());
    std::fs::remove_file(site.root().join("public").join(MARKER)).unwrap();
    site.write("content/index.md", "---\ntitle: Home\n---\n\nHello.\n");
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.exists(&format!("public/{MARKER}")));
    assert!(site.read("public/index.html").contains("Hello."));
    // The same without the search index: not recognisably semdoc's.
    std::fs::remove_file(site.root().join("public").join(MARKER)).unwrap();
    std::fs::remove_file(site.root().join("public/search/index.json")).unwrap();
    let before = snapshot(&site.root().join("public"));
    site.write("content/index.md", "---\ntitle: Home\n---\n\nHello again.\n");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(snapshot(&site.root().join("public")), before);
}

#[test]
fn the_marker_is_in_no_listing_of_the_site() {
    let site = Site::new(&[("content/index.md", "---\ntitle: Home\n---\n\nHi.\n")]);
    write_posts(&site, 3, "A");
    assert!(site.build(&[]).status.success());
    assert!(site.exists(&format!("public/{MARKER}")));
    for f in ["public/sitemap.xml", "public/search/index.json", "public/atom.xml", "public/index.html"] {
        assert!(!site.read(f).contains(MARKER), "{f} lists the marker");
    }
}

#[test]
fn a_cache_that_cannot_be_written_is_warned_about_once_and_the_build_goes_on() {
    let site = Site::new(&[(
        "content/posts/2024-01-01-p.md",
        "---\ntitle: P\ndate: 2024-01-01\n---\n\n```properties semdoc kafka=2.8\nacks=0\nretries=0\n```\n\n```java\nint x = 1;\n```\n",
    )]);
    let file = site.sandbox().path().join("a-file");
    std::fs::write(&file, "not a directory\n").unwrap();
    let cache = file.join("cache");
    let out = site.command(&["build"]).env("SEMDOC_CACHE_DIR", &cache).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("cannot write the cache")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].contains(&cache.display().to_string()) && warnings[0].contains("os error"), "{err}");
    assert!(site.exists("public/posts/p/index.html") || site.exists("public/index.html"));
    // The same with a working cache: no warning.
    let out = site.build(&["--force"]);
    assert!(out.status.success() && !stderr(&out).contains("cannot write the cache"), "{}", stderr(&out));
}

/// A staging directory that cannot be written (here: files over the process's size limit, as a
/// full disk would refuse them): exit 2, the error names the file, the previous output stays
/// byte-identical and no staging directory is left.
#[test]
fn staging_that_cannot_be_written_leaves_the_output_byte_identical() {
    let site = Site::new(&[("content/index.md", "---\ntitle: Home\n---\n\nHi.\n")]);
    assert!(site.build(&[]).status.success());
    let before = snapshot(&site.root().join("public"));
    let big = format!("---\ntitle: Big\n---\n\n{}\n", "A long paragraph of words. ".repeat(20_000));
    site.write("content/big.md", &big);
    // `ulimit -f` counts blocks of 512 or 1024 bytes; either way the page is over it. Ignoring
    // SIGXFSZ makes the write fail with EFBIG instead of ending the process.
    let out = site.sandbox().command_after("ulimit -f 200; trap '' XFSZ", &["build"], site.root()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("cannot write") && err.contains(".public.semdoc-new-") && err.contains("os error"), "{err}");
    assert_eq!(snapshot(&site.root().join("public")), before);
    assert_eq!(names_containing(site.root(), "semdoc-"), Vec::<String>::new());
}

fn staging_dirs(parent: &Path, name: &str) -> Vec<std::path::PathBuf> {
    let prefix = format!(".{name}.semdoc-new-");
    let mut v: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

fn count_files(dir: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else { return 0 };
    rd.flatten().map(|e| if e.file_type().is_ok_and(|t| t.is_dir()) { count_files(&e.path()) } else { 1 }).sum()
}

/// A real build of a few hundred pages over the previous output, killed (SIGKILL) at points
/// spread over its writing: chosen by how many files its staging directory holds, from none to
/// all of them, and then during its commit, so they do not depend on this machine's speed. After every kill the output is
/// wholly the old site or wholly the new one, compared file by file with two reference builds.
/// Then a build removes what the killed ones left, and says so.
#[test]
fn a_build_killed_at_any_moment_leaves_wholly_the_old_site_or_wholly_the_new_one() {
    const PAGES: usize = 300;
    const KILLS: usize = 20;
    const COMMITTING: usize = 4;
    let site = Site::new(&[("content/index.md", "---\ntitle: Home\n---\n\nHi.\n")]);
    let sb = site.sandbox().path();
    let (ref_old, ref_new, out) = (sb.join("ref-old"), sb.join("ref-new"), sb.join("out"));
    write_posts(&site, PAGES, "old");
    assert!(site.build(&["-o", path_arg(&ref_old)]).status.success());
    write_posts(&site, PAGES, "new");
    assert!(site.build(&["-o", path_arg(&ref_new)]).status.success());
    let (old, new) = (snapshot(&ref_old), snapshot(&ref_new));
    assert_ne!(old, new);
    let total = count_files(&ref_new);
    let (mut saw_old, mut saw_new) = (0, 0);
    for k in 0..KILLS {
        if out.exists() && snapshot(&out) != old {
            std::fs::remove_dir_all(&out).unwrap();
        }
        if !out.exists() {
            copy_tree(&ref_old, &out);
        }
        let target = k * total / (KILLS - COMMITTING - 1);
        let mut child = site
            .command(&["build", "-q", "-o", path_arg(&out)])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        loop {
            if child.try_wait().unwrap().is_some() {
                break; // finished before the kill point
            }
            let dirs = staging_dirs(sb, "out");
            let written: usize = dirs.iter().map(|d| count_files(d)).max().unwrap_or(0);
            let locked = dirs.iter().any(|d| d.join(".semdoc-lock").exists());
            // The last kill points wait for the commit itself: the staging directory's lock is
            // removed just before the exchange, and the previous tree is removed after it.
            let committing = !locked && written >= total;
            if if k + COMMITTING >= KILLS { committing } else { locked && written >= target } {
                let _ = child.kill();
                break;
            }
            std::thread::yield_now();
        }
        child.wait().unwrap();
        let now = snapshot(&out);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            let mixed: Vec<_> = now.iter().filter(|f| !old.contains(f)).take(3).map(|f| f.0.clone()).collect();
            panic!("kill point {k} ({target} of {total} files): a mixed site, e.g. {mixed:?}");
        }
    }
    eprintln!("crash test: {KILLS} kill points over {total} files: {saw_old} old, {saw_new} new");
    assert!(saw_old > 0, "some kills landed before the exchange");
    assert_eq!(saw_old + saw_new, KILLS);
    // What the last killed build left is removed by the next one, in one line.
    let left = staging_dirs(sb, "out");
    std::fs::remove_dir_all(&out).unwrap();
    copy_tree(&ref_old, &out);
    let done = site.build(&["-o", path_arg(&out)]);
    assert!(done.status.success(), "{}", stderr(&done));
    if !left.is_empty() {
        let lines: Vec<String> = stderr(&done).lines().filter(|l| l.contains("removed")).map(String::from).collect();
        assert_eq!(lines.len(), 1, "{}", stderr(&done));
        assert!(lines[0].contains(&left[0].display().to_string()), "{lines:?}");
    }
    assert!(staging_dirs(sb, "out").is_empty());
    assert_eq!(snapshot(&out), new);
}

/// Staging directories of killed builds are removed by the next build, which says so in one line.
#[test]
fn staging_dirs_of_killed_builds_are_removed_by_the_next_build_in_one_line() {
    let site = Site::new(&[("content/index.md", "---\ntitle: Home\n---\n\nHi.\n")]);
    write_posts(&site, 60, "A");
    let mut left = Vec::new();
    for _ in 0..3 {
        let mut child = site
            .command(&["build"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Killed once its staging directory holds its lock and some pages.
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let dirs = staging_dirs(site.root(), "public");
            if let Some(d) = dirs.iter().find(|d| d.join(".semdoc-lock").exists() && count_files(d) > 5) {
                let d = d.clone();
                let _ = child.kill();
                child.wait().unwrap();
                left.push(d);
                break;
            }
            std::thread::yield_now();
        }
        let _ = child.wait();
        // Killed builds would clean each other's up; keep each one's aside.
        for d in staging_dirs(site.root(), "public") {
            let kept = site.sandbox().path().join(d.file_name().unwrap());
            std::fs::rename(&d, kept).unwrap();
        }
    }
    assert!(!left.is_empty(), "no build could be killed while writing");
    for d in &left {
        std::fs::rename(site.sandbox().path().join(d.file_name().unwrap()), d).unwrap();
    }
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stderr(&out).lines().filter(|l| l.contains("removed")).map(String::from).collect();
    assert_eq!(lines.len(), 1, "{}", stderr(&out));
    assert!(lines[0].contains("did not finish"), "{lines:?}");
    assert!(staging_dirs(site.root(), "public").is_empty());
}
