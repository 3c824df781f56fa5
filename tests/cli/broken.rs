//! A corpus of broken sites: each must be reported with its `path:line`, never panic, and leave
//! the previous `public/` byte-identical. Sites that merely look odd (CRLF, a BOM) must build.

use crate::*;

const GOOD: &str = "---\ntitle: Good\ndate: 2024-01-01\n---\nbody\n";

/// (name, files written over a good site, expected exit code, text the diagnostics must contain)
type Case = (&'static str, Vec<(&'static str, String)>, i32, &'static str);

fn corpus() -> Vec<Case> {
    let post = |t: &str| vec![("content/posts/a.md", t.to_string())];
    vec![
        ("malformed yaml", post("---\ntitle: [x\n---\n"), 1, "content/posts/a.md:2:"),
        ("unclosed front matter", post("---\ntitle: x\nbody\n"), 1, "content/posts/a.md:1:1: error[front-matter]"),
        ("impossible date", post("---\ndate: 2024-02-30\n---\n"), 1, "content/posts/a.md:2:1: error[date]"),
        (
            "date with a bad offset",
            post("---\ndate: 2024-02-03 10:00:00 +99\n---\n"),
            1,
            "content/posts/a.md:2:1: error[date]",
        ),
        ("title is a list", post("---\ntitle: [a, b]\n---\n"), 1, "content/posts/a.md:2:1: error[front-matter]"),
        ("front matter is a scalar", post("---\njust text\n---\n"), 1, "content/posts/a.md:2:1: error[front-matter]"),
        ("tags is a mapping", post("---\ntags: {a: 1}\n---\n"), 1, "content/posts/a.md:2:1: error[front-matter]"),
        ("slug with a slash", post("---\nslug: a/b\n---\n"), 1, "content/posts/a.md:2:1: error[front-matter]"),
        ("draft is not a boolean", post("---\ndraft: maybe\n---\n"), 1, "content/posts/a.md:2:1"),
        (
            "two posts, one URL",
            vec![("content/posts/a.md", GOOD.into()), ("content/posts/b.md", "---\nslug: a\n---\n".into())],
            1,
            "error[duplicate-url]",
        ),
        ("static file over a page", vec![("static/posts/a/index.html", "x".into())], 1, "error[duplicate-url]"),
        ("template syntax error", vec![("templates/post.html", "{% for %}".into())], 1, "templates/post.html:1:"),
        (
            "unknown template variable",
            vec![("templates/post.html", "{{ nope.nothing }}".into())],
            1,
            "templates/post.html",
        ),
        (
            "missing parent template",
            vec![("templates/post.html", "{% extends \"nothere.html\" %}".into())],
            1,
            "templates/post.html",
        ),
        (
            "recursive include",
            vec![("templates/post.html", "{% include \"post.html\" %}".into())],
            1,
            "templates/post.html",
        ),
        ("bad site config field", vec![("site.yaml", "titel: x\n".into())], 1, "site.yaml:1:"),
        ("bad base_url", vec![("site.yaml", "base_url: nope\n".into())], 1, "site.yaml:1:1: error[config]"),
        (
            "bad Kafka value",
            post("---\ntitle: K\n---\n```properties semdoc kafka=3.9\nacks=2\n```\n"),
            1,
            "content/posts/a.md:5:1: error[invalid-config]",
        ),
        (
            "bad Kafka version",
            post("---\ntitle: K\n---\n```properties semdoc kafka=9.9\nacks=all\n```\n"),
            1,
            "content/posts/a.md:4:",
        ),
        (
            "unknown snippet attribute",
            post("---\ntitle: K\n---\n```properties semdoc rol=producer\nacks=all\n```\n"),
            1,
            "error[snippet-attr]",
        ),
        (
            "snippet in an unknown language",
            post("---\ntitle: K\n---\n```cobol semdoc\nacks=all\n```\n"),
            1,
            "content/posts/a.md:4:4: error[snippet-lang]",
        ),
        (
            "consumer snippet without a commit",
            post("---\ntitle: K\n---\n```properties semdoc role=consumer\nenable.auto.commit=false\n```\n"),
            1,
            "content/posts/a.md:5:1: error[kafka]",
        ),
        (
            "table bound with the wrong column",
            post(
                "---\ntitle: K\n---\n<!-- semdoc-table role=producer level=5 -->\n| a | b |\n|---|---|\n| At most once | `acks=0` |\n",
            ),
            1,
            "error[table-binding]",
        ),
        (
            "table row without a level",
            post(
                "---\ntitle: K\n---\n<!-- semdoc-table role=producer -->\n| a | b |\n|---|---|\n| sometimes | `acks=0` |\n",
            ),
            1,
            "content/posts/a.md:7:1: error[table-row]",
        ),
        (
            "row bound to a missing snippet",
            post(
                "---\ntitle: K\n---\n<!-- semdoc-table role=consumer row.1=nope -->\n| a | b |\n|---|---|\n| At most once | x |\n",
            ),
            1,
            "error[table-binding]",
        ),
        (
            "broken anchor",
            post("---\ntitle: K\n---\n[x](#nowhere)\n"),
            1,
            "content/posts/a.md:4:1: error[broken-anchor]",
        ),
        (
            "broken link",
            post("---\ntitle: K\n---\n\n[x](/posts/none/)\n"),
            1,
            "content/posts/a.md:5:1: error[broken-link]",
        ),
        ("unterminated fence", post("---\ntitle: K\n---\n```java\nint x;\n"), 0, ""),
        ("CRLF line endings", post("---\r\ntitle: K\r\ndate: 2024-01-01\r\n---\r\nbody\r\n"), 0, ""),
        ("a BOM", post("\u{feff}---\ntitle: K\n---\nbody\n"), 0, ""),
        ("empty file", post(""), 0, ""),
        (
            // An unknown key makes the snippet unusable: a guarantee without it is not proven.
            "unknown Kafka key is an error",
            post("---\ntitle: K\n---\n```properties semdoc\nenable.idempotency=true\n```\n"),
            1,
            "did you mean `enable.idempotence`?",
        ),
    ]
}

#[test]
fn broken_sites_report_the_problem_and_keep_the_previous_site() {
    for (name, files, code, needle) in corpus() {
        let site = Site::new(&[("content/posts/a.md", GOOD)]);
        assert!(site.build(&[]).status.success(), "{name}: the good site builds");
        let before = snapshot(&site.root().join("public"));
        for (p, t) in &files {
            site.write(p, t);
        }
        let out = site.build(&[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{name}: exit code\n{err}");
        assert!(!err.contains("panicked"), "{name}: panic\n{err}");
        assert!(err.contains(needle), "{name}: expected `{needle}` in\n{err}");
        if code != 0 {
            assert_eq!(snapshot(&site.root().join("public")), before, "{name}: public/ changed");
        }
    }
}

#[test]
fn invalid_utf8_binary_files_and_an_empty_site() {
    let site = Site::new(&[("content/posts/a.md", GOOD)]);
    assert!(site.build(&[]).status.success());
    let before = snapshot(&site.root().join("public"));
    std::fs::write(site.root().join("content/posts/bad.md"), b"---\ntitle: x\n---\n\xff\xfe bad").unwrap();
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("content/posts/bad.md:4:1: error[encoding]"), "{}", stderr(&out));
    assert_eq!(snapshot(&site.root().join("public")), before);
    std::fs::remove_file(site.root().join("content/posts/bad.md")).unwrap();
    // A binary file in content/ is an asset, copied as is.
    std::fs::write(site.root().join("content/posts/image.png"), [0u8, 159, 146, 150, 0, 1]).unwrap();
    assert!(site.build(&[]).status.success());
    assert_eq!(std::fs::read(site.root().join("public/posts/image.png")).unwrap(), vec![0u8, 159, 146, 150, 0, 1]);
    let empty = Site::new(&[]);
    let out = empty.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(empty.exists("public/index.html"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_an_unwritable_output() {
    let site = Site::new(&[("content/posts/a.md", GOOD)]);
    std::os::unix::fs::symlink(site.root().join("content"), site.root().join("content/posts/loop")).unwrap();
    let out = site.build(&[]);
    assert!(out.status.success(), "a directory symlink is not followed: {}", stderr(&out));
    assert!(stderr(&out).contains("warning[symlink]"), "{}", stderr(&out));
    let out = site.build(&["--output", "/proc/semdoc-cannot-write-here"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("error:"), "{}", stderr(&out));
}
