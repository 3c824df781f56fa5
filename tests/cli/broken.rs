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
        (
            "a page over the built-in search page",
            vec![("content/search.md", GOOD.into())],
            1,
            "content/search.md:1:1: error[duplicate-url]",
        ),
        (
            "a page over the tag index",
            vec![("content/tags.md", GOOD.into())],
            1,
            "content/tags.md:1:1: error[duplicate-url]",
        ),
        ("a page where the home list makes no second page", vec![("content/page/2.md", GOOD.into())], 0, ""),
        ("a dot-dot file-name slug", vec![("content/posts/2024-01-01-..md", GOOD.into())], 1, "error[slug]"),
        ("a query in a file name", vec![("content/posts/2024-01-01-a?b.md", GOOD.into())], 1, "error[slug]"),
        ("a fragment in a file name", vec![("content/posts/a#b.md", GOOD.into())], 1, "`a#b` (from the file's path)"),
        (
            "a percent in a folder name",
            vec![("content/100%/a.md", GOOD.into())],
            1,
            "content/100%/a.md:1:1: error[slug]",
        ),
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
        ("an empty slug", post("---\nslug: \"\"\n---\n"), 1, "content/posts/a.md:2:1: error[front-matter]"),
        ("date is a list", post("---\ndate: [1]\n---\n"), 1, "content/posts/a.md:2:1: error[front-matter]"),
        (
            "a permalink that climbs out",
            post("---\ntitle: x\npermalink: /../x/\n---\n"),
            1,
            "content/posts/a.md:3:1: error[front-matter]",
        ),
        (
            "a permalink to the home page",
            post("---\ntitle: x\npermalink: /\n---\n"),
            1,
            "content/posts/a.md:3:1: error[front-matter]",
        ),
        (
            "a claim level with a typo",
            post("---\ntitle: K\n---\n```properties semdoc expect=exactly-one\nacks=all\n```\n"),
            1,
            "content/posts/a.md:4:29: error[snippet-attr]",
        ),
        (
            "a Kafka version that is no version",
            post("---\ntitle: K\n---\n```properties semdoc kafka=abc\nacks=all\n```\n"),
            1,
            "content/posts/a.md:4:28: error[snippet-attr]",
        ),
        (
            "an included file that is missing",
            post("---\ntitle: K\n---\n```properties semdoc include=nope.properties\n```\n"),
            1,
            "content/posts/a.md:4:22: error[include]",
        ),
        (
            "a reversed line range",
            post("---\ntitle: K\n---\n```properties semdoc include=../../site.yaml lines=5-2\n```\n"),
            1,
            "error[include]: `lines=5-2` is not a line range",
        ),
        (
            "a false claim",
            post("---\ntitle: K\n---\n```properties semdoc expect=exactly-once\nacks=0\n```\n"),
            1,
            "content/posts/a.md:4:1: error[false-claim]",
        ),
        (
            "min ISR above the replication factor",
            post(
                "---\ntitle: K\n---\n```properties semdoc expect=at-least-once\nacks=all\ntopic.replication.factor=2\ntopic.min.insync.replicas=3\n```\n",
            ),
            1,
            "content/posts/a.md:4:1: error[cannot-deliver]",
        ),
        (
            "replication factor 0",
            post("---\ntitle: K\n---\n```properties semdoc\ntopic.replication.factor=0\nacks=all\n```\n"),
            1,
            "content/posts/a.md:5:1: error[invalid-config]",
        ),
        (
            "a broken YAML flow map snippet",
            post("---\ntitle: K\n---\n```yaml semdoc\nspring: {kafka: {producer: {acks: \"0\"}\n```\n"),
            1,
            "content/posts/a.md:5:1: error[kafka]",
        ),
        (
            "prose in a properties snippet",
            post("---\ntitle: K\n---\n```properties semdoc\nhello world\n```\n"),
            1,
            "content/posts/a.md:5:1: error[unknown-key]",
        ),
        (
            "a duplicate front matter key",
            post("---\ntitle: K\ntitle: L\n---\n"),
            1,
            "content/posts/a.md:2:1: error[yaml]",
        ),
        (
            "base_url spelled baseurl",
            vec![("site.yaml", "title: T\nbaseurl: https://x.org\n".into())],
            1,
            "site.yaml:2:1: error[config]",
        ),
        ("site.yaml is a list", vec![("site.yaml", "- a\n- b\n".into())], 1, "site.yaml:1:1: error[yaml]"),
        (
            "a time zone that does not exist",
            vec![("site.yaml", "title: T\ntimezone: Mars/Olympus\n".into())],
            1,
            "site.yaml:2:1: error[config]",
        ),
        (
            "a negative page size",
            vec![("site.yaml", "title: T\npaginate: -1\n".into())],
            1,
            "site.yaml:2:11: error[yaml]",
        ),
        (
            "a menu item without a path",
            vec![("site.yaml", "title: T\nmenu:\n  - title: x\n".into())],
            1,
            "site.yaml:3:5: error[yaml]",
        ),
        (
            "taxonomies as a mapping",
            vec![("site.yaml", "title: T\ntaxonomies: {a: 1}\n".into())],
            1,
            "site.yaml:2:13: error[yaml]",
        ),
        (
            "a template with an unknown filter",
            vec![("templates/post.html", "{{ page.title | nosuchfilter }}".into())],
            1,
            "Filter 'nosuchfilter' not found",
        ),
        (
            "a static file over the feed",
            vec![("static/atom.xml", "x".into())],
            1,
            "static/atom.xml: error[duplicate-url]",
        ),
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
fn invalid_utf8_and_binary_files() {
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
}

#[test]
fn a_site_without_pages_is_refused_and_keeps_the_previous_site() {
    let site = Site::new(&[("content/posts/a.md", GOOD)]);
    assert!(site.build(&[]).status.success());
    let before = snapshot(&site.root().join("public"));
    // `content/` gone, then present but holding no Markdown: both refused, nothing replaced.
    std::fs::rename(site.root().join("content"), site.root().join("moved")).unwrap();
    for case in ["no content/", "no Markdown"] {
        let out = site.build(&[]);
        assert_eq!(out.status.code(), Some(2), "{case}: {}", stderr(&out));
        assert!(stderr(&out).contains("has no page to build"), "{case}: {}", stderr(&out));
        assert!(stderr(&out).contains("semdoc init") && stderr(&out).contains("--allow-empty"), "{}", stderr(&out));
        assert_eq!(snapshot(&site.root().join("public")), before, "{case}: public/ changed");
        let out = site.semdoc(&["check"]);
        assert_eq!(out.status.code(), Some(2), "check, {case}: {}", stderr(&out));
        site.write("content/notes.txt", "not a page");
    }
    // Asked for, an empty site builds.
    let out = site.build(&["--allow-empty"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.exists("public/index.html"));
    assert!(!site.exists("public/posts/a/index.html"));
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_file_outside_the_site_is_refused_unless_its_folder_is_allowed() {
    let site = Site::new(&[("content/posts/a.md", GOOD)]);
    let outside = site.sandbox().path().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    std::fs::write(outside.join("page.md"), "---\ntitle: Outside\n---\nsecret page\n").unwrap();
    assert!(site.build(&[]).status.success());
    let before = snapshot(&site.root().join("public"));
    std::os::unix::fs::symlink(outside.join("secret.txt"), site.root().join("content/passwd.txt")).unwrap();
    std::os::unix::fs::symlink(outside.join("page.md"), site.root().join("content/posts/p.md")).unwrap();
    // A link inside the site is read as before.
    std::os::unix::fs::symlink(site.root().join("content/posts/a.md"), site.root().join("content/posts/b.md")).unwrap();
    let out = site.build(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for link in ["content/passwd.txt", "content/posts/p.md"] {
        assert!(err.contains(&format!("{link}: error[symlink]")), "{link} not named in\n{err}");
    }
    assert!(err.contains("secret.txt") && err.contains("--allow-symlinks-into"), "{err}");
    assert_eq!(snapshot(&site.root().join("public")), before, "public/ changed");
    let out = site.semdoc(&["check"]);
    assert_eq!(out.status.code(), Some(1), "check: {}", stderr(&out));
    // Allowed on purpose: both are read and published.
    let out = site.build(&["--allow-symlinks-into", outside.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(site.root().join("public/passwd.txt")).unwrap(), "secret");
    assert!(site.exists("public/posts/p/index.html") && site.exists("public/posts/b/index.html"));
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

/// Is `xml` well-formed XML 1.0: every element closed in order, entities known, and only the
/// characters of the `Char` production (quick-xml checks the structure, not the characters)?
fn assert_well_formed_xml(name: &str, xml: &str) {
    use quick_xml::events::Event;
    let bad = xml.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0x20);
    assert!(bad.is_none(), "{name}: character {bad:?} is not allowed in XML 1.0");
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0usize;
    let mut roots = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                roots += usize::from(depth == 0);
                depth += 1;
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Empty(_)) => roots += usize::from(depth == 0),
            Ok(Event::Text(t)) => {
                t.decode().unwrap_or_else(|e| panic!("{name}: bad text: {e}"));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name}: not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!((depth, roots), (0, 1), "{name}: one root element, every element closed");
}

#[test]
fn control_characters_are_replaced_with_a_warning_and_every_xml_file_parses() {
    let post = "---\ntitle: \"bell\u{7} and esc\u{1b}\"\ndate: 2024-01-01\ntags: [a\u{b}b]\n---\nNUL \u{0} here\n\nform\u{c}feed & <b>bold</b> ]]> \"q\"\n";
    let site = Site::new(&[("content/posts/a.md", post)]);
    let out = site.build(&[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for at in ["content/posts/a.md:2:13: warning[control-char]", "content/posts/a.md:6:5:", "content/posts/a.md:8:5:"] {
        assert!(err.contains(at), "`{at}` missing in\n{err}");
    }
    assert!(err.contains("U+0007"), "{err}");
    let mut xml_files = 0;
    for (f, bytes) in snapshot(&site.root().join("public")) {
        let Ok(text) = String::from_utf8(bytes) else { continue };
        let name = f.display().to_string();
        assert!(!text.contains(['\u{0}', '\u{7}', '\u{b}', '\u{c}', '\u{1b}']), "{name}: a raw control character");
        if name.ends_with(".xml") {
            assert_well_formed_xml(&name, &text);
            xml_files += 1;
        }
    }
    assert!(xml_files >= 2, "atom.xml and sitemap.xml at least, found {xml_files}");
    let feed = std::fs::read_to_string(site.root().join("public/atom.xml")).unwrap();
    assert!(feed.contains("bell\u{fffd} and esc\u{fffd}"), "{feed}");
}

#[test]
fn a_template_error_is_reported_first_and_not_as_the_pages_it_broke() {
    // Two posts linking to each other: with the post template broken, those pages are not made,
    // but saying so (as `broken-link` or "template not found") would only hide the cause.
    let a = "---\ntitle: A\ndate: 2024-01-01\n---\n[b](/posts/b/)\n";
    let b = "---\ntitle: B\ndate: 2024-01-02\n---\n[a](/posts/a/)\n";
    let site = Site::new(&[("content/posts/a.md", a), ("content/posts/b.md", b), ("templates/post.html", "{% for %}")]);
    // A problem of its own in another page is still reported, after the root cause.
    site.write("content/about.md", "---\ntitle: [x\n---\n");
    for args in [&["build"][..], &["check"]] {
        let out = site.semdoc(args);
        let err = stderr(&out);
        let text = if args[0] == "check" { format!("{}{err}", String::from_utf8_lossy(&out.stdout)) } else { err };
        let errors: Vec<&str> = text.lines().filter(|l| l.contains(": error[")).collect();
        assert_eq!(errors.len(), 2, "{args:?}: the template error and the front matter one only:\n{text}");
        assert!(errors[0].starts_with("templates/post.html:1:8: error[template]"), "{args:?}: cause first:\n{text}");
        assert!(errors[1].starts_with("content/about.md:2:"), "{args:?}\n{text}");
        assert!(!text.contains("broken-link") && !text.contains("not found"), "{args:?}\n{text}");
    }
}

#[test]
fn a_permalink_is_the_pages_url() {
    let site = Site::new(&[
        ("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\npermalink: /guides/kafka/\n---\n[b](/b.html)\n"),
        ("content/b.md", "---\ntitle: B\npermalink: /b.html\n---\n[a](/guides/kafka/)\n"),
    ]);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.exists("public/guides/kafka/index.html") && site.exists("public/b.html"));
    assert!(!site.exists("public/posts/a/index.html") && !site.exists("public/b/index.html"));
}
