//! The site's own language through the CLI: `language: en` builds a theme without Korean, `ko` keeps
//! the bundled Korean strings with particles that fit the word, dates in the site language, and an
//! unsupported `language:` is reported at its line.

use crate::*;
use std::path::Path;

const POST: &str = "---\ntitle: Delivery semantics\ndate: 2024-09-10 21:30:00 +0900\ncategories: [Kafka]\ntags: [kafka, idempotence]\n---\n\nSome text about producers.\n\n## Producer settings\n\n```properties semdoc role=producer kafka=3.9 expect=at-least-once\nacks=all\n```\n\n```properties semdoc role=producer kafka=3.9 expect=at-most-once\nacks=0\nretries=0\n```\n\n## Summary\n\n<!-- semdoc-table role=producer kafka=2.8 level=1 config=2 -->\n| Level | Settings |\n|---|---|\n| **At most once** | `acks=0`<br>`retries=0` |\n| **At least once** | `acks=all` |\n\n```java\nSystem.out.println(\"copy me\");\n```\n";

fn site(language: &str) -> Site {
    let s = Site::new(&[
        ("content/posts/delivery.md", POST),
        ("content/about.md", "---\ntitle: About\n---\n\n## Who\n\nMe.\n"),
    ]);
    s.write(
        "site.yaml",
        &format!(
            "title: Test\nbase_url: https://example.com\ntimezone: \"+09:00\"\nlanguage: {language}\npaginate: 1\n"
        ),
    );
    s
}

fn hangul(s: &str) -> Option<String> {
    let i = s.char_indices().find(|(_, c)| ('\u{AC00}'..='\u{D7A3}').contains(c))?.0;
    let from = s[..i].char_indices().rev().nth(60).map_or(0, |(j, _)| j);
    Some(s[from..].chars().take(120).collect())
}

fn theme_files(root: &Path) -> Vec<(String, String)> {
    snapshot(root)
        .into_iter()
        .filter(|(p, _)| matches!(p.extension().and_then(|e| e.to_str()), Some("html" | "js" | "json" | "xml")))
        .map(|(p, b)| (p.display().to_string(), String::from_utf8(b).unwrap()))
        .collect()
}

#[test]
fn an_english_site_has_no_korean_in_its_theme() {
    let s = site("en");
    // The second snippet loses messages: its counterexample diagram and steps must be English too.
    let out = s.build(&[]);
    let public = s.root().join("public");
    assert!(public.join("index.html").exists(), "{}", stderr(&out));
    let files = theme_files(&public);
    assert!(files.iter().any(|(p, _)| p.ends_with("js/site.js")), "{files:?}");
    let mut found = vec![];
    for (p, text) in &files {
        // The playground's page and script are still Korean (not part of this build: off by default).
        if p.ends_with("js/playground.js") {
            continue;
        }
        if let Some(ctx) = hangul(text) {
            found.push(format!("{p}: …{ctx}…"));
        }
    }
    assert!(found.is_empty(), "Korean in an English site's output:\n{}", found.join("\n"));
    let post = s.read("public/posts/delivery/index.html");
    for want in [
        "aria-label=\"Main menu\"",
        " min read",
        "semdoc verdict: ",
        "Link to this heading",
        "Counterexample: ",
        "and found no run that breaks no loss.",
        "<th class=\"semdoc-col\">semdoc check</th>",
        "\"copy\":\"Copy\"",
    ] {
        assert!(post.contains(want), "missing {want:?}");
    }
}

#[test]
fn a_korean_site_keeps_the_bundled_strings_with_fitting_particles() {
    let s = site("ko");
    let out = s.build(&[]);
    assert!(s.exists("public/index.html"), "{}", stderr(&out));
    let post = s.read("public/posts/delivery/index.html");
    for want in [
        "aria-label=\"주 메뉴\"",
        "분 분량",
        "semdoc 판정: ",
        "이 제목으로 바로 가는 링크",
        "반례: ",
        "탐색했고 유실 없음을 깨는 실행을 찾지 못했습니다.",
        "<th class=\"semdoc-col\">semdoc 검증</th>",
        "\"copy\":\"복사\"",
    ] {
        assert!(post.contains(want), "missing {want:?}");
    }
    let all: String = theme_files(&s.root().join("public")).into_iter().map(|(_, t)| t).collect();
    for bad in ["을(를)", "이(가)", "은(는)"] {
        assert!(!all.contains(bad), "{bad} in the output");
    }
}

#[test]
fn dates_are_shown_in_the_site_language_with_the_instant_in_datetime() {
    for (language, shown) in [("en", "September 10, 2024"), ("ko", "2024년 9월 10일")] {
        let s = site(language);
        let out = s.build(&[]);
        assert!(s.exists("public/index.html"), "{}", stderr(&out));
        let want = format!("datetime=\"2024-09-10T21:30:00+09:00\">{shown}</time>");
        for page in ["public/posts/delivery/index.html", "public/index.html", "public/tags/kafka/index.html"] {
            let html = s.read(page);
            assert!(html.contains(&want), "{language} {page}: no {want}");
            assert!(!html.contains(">2024-09-10 21:30:00 +0900<"), "{page} shows the date as written");
        }
        let feed = s.read("public/atom.xml");
        assert!(feed.contains("2024-09-10T21:30:00+09:00"), "the feed keeps ISO dates");
        assert!(!feed.contains(shown), "the feed keeps ISO dates");
    }
}

#[test]
fn an_unsupported_language_is_reported_at_its_line_and_the_theme_is_english() {
    let s = site("fr");
    let out = s.build(&[]);
    let err = stderr(&out);
    assert!(err.contains("site.yaml:4:1"), "{err}");
    assert!(err.contains("`language: fr`") && err.contains("`ko` and `en`"), "{err}");
    let post = s.read("public/posts/delivery/index.html");
    assert!(post.contains("<html lang=\"fr\">"));
    assert!(post.contains("aria-label=\"Main menu\""));
}
