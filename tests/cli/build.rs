//! `semdoc build`, `check` and `init` on tiny fixture sites.

use crate::*;
use std::path::Path;

const POST: &str = "---\ntitle: 카프카 글\ndate: 2024-08-03 23:10:00 +0900\ncategories: [Kafka]\ntags: [Kafka, 카프카, Messaging Semantic]\n---\n\n## 메세지 전달 보장 수준 (Messaging Semantic)\n\n본문.\n\n## 정리\n\n## 정리\n";

#[test]
fn jekyll_front_matter_forms_build_and_dates_show_in_the_site_language() {
    let site = Site::new(&[
        ("content/posts/2024-08-03-a.md", POST),
        ("content/posts/b.md", "---\ntitle: B\ndate: 2024-08-04 10:00:00 +09:00\n---\nb\n"),
        ("content/posts/c.md", "---\ntitle: C\ndate: 2024-08-05T10:00:00+09:00\n---\nc\n"),
        ("content/posts/d.md", "---\ntitle: D\ndate: 2024-08-06\ncategories: Kafka Streams\n---\nd\n"),
    ]);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = site.read("public/posts/a/index.html");
    assert!(a.contains("datetime=\"2024-08-03T23:10:00+09:00\">2024년 8월 3일</time>"), "date in Korean, instant kept");
    assert!(site.read("public/posts/b/index.html").contains("2024-08-04T10:00:00+09:00\">2024년 8월 4일<"));
    assert!(site.exists("public/categories/streams/index.html"), "space-separated categories string");
    let home = site.read("public/index.html");
    let order: Vec<usize> =
        ["/posts/d/", "/posts/c/", "/posts/b/", "/posts/a/"].iter().map(|p| home.find(p).expect(p)).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "home lists newest first: {order:?}");
    for f in [
        "public/tags/카프카/index.html",
        "public/tags/messaging-semantic/index.html",
        "public/categories/kafka/index.html",
        "public/tags/index.html",
        "public/categories/index.html",
        "public/atom.xml",
        "public/sitemap.xml",
        "public/robots.txt",
        "public/404.html",
    ] {
        assert!(site.exists(f), "{f}");
    }
    assert!(stderr(&out).contains("semdoc: wrote"), "summary line");
}

#[test]
fn hangul_heading_ids_and_duplicates() {
    let site = Site::new(&[("content/posts/a.md", POST)]);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = site.read("public/posts/a/index.html");
    for id in ["id=\"메세지-전달-보장-수준-messaging-semantic\"", "id=\"정리\"", "id=\"정리-1\""] {
        assert!(html.contains(id), "{id}");
    }
}

#[test]
fn unknown_front_matter_key_warns_with_suggestion_and_builds() {
    let site = Site::new(&[("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ntgas: [x]\n---\nbody\n")]);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("content/posts/a.md:4:1: warning[unknown-key]: unknown front matter key `tgas`"), "{err}");
    assert!(err.contains("hint: did you mean `tags`?"), "{err}");
}

#[test]
fn bad_yaml_is_reported_at_the_file_line_and_every_problem_is_listed() {
    let site = Site::new(&[
        ("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [a, b\n---\nbody\n"),
        ("content/posts/b.md", "---\ntitle: B\ndate: 2024-02-30\n---\nbody\n"),
    ]);
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/posts/a.md:4:12: error[yaml]"),
        "YAML error line counted from the top of the file: {err}"
    );
    assert!(err.contains("content/posts/b.md:3:1: error[date]"), "{err}");
    assert!(err.contains("does not exist in the calendar"), "{err}");
    assert!(!site.exists("public"), "nothing written on failure");
}

#[test]
fn site_templates_override_the_default_theme_per_file() {
    let site = Site::new(&[
        ("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nbody\n"),
        ("templates/post.html", "<p class=\"mine\">{{ page.title }}</p>{{ page.content | safe }}"),
    ]);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.read("public/posts/a/index.html").starts_with("<p class=\"mine\">A</p>"));
    assert!(site.read("public/index.html").contains("<html"), "other templates still come from the default theme");
}

#[test]
fn drafts_only_with_flag() {
    let site = Site::new(&[("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ndraft: true\n---\nbody\n")]);
    assert!(site.build(&[]).status.success());
    assert!(!site.exists("public/posts/a/index.html"));
    assert!(site.build(&["--drafts"]).status.success());
    assert!(site.exists("public/posts/a/index.html"));
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let site = Site::new(&[("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nbody\n")]);
    assert!(site.build(&[]).status.success());
    let before = snapshot(&site.root().join("public"));
    site.write("content/posts/a.md", "---\ntitle: [unclosed\n---\nbody\n");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(&site.root().join("public")), before);
    site.write("templates/post.html", "{% if %}");
    site.write("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nbody\n");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("templates/post.html:1:"), "{}", stderr(&out));
    assert_eq!(snapshot(&site.root().join("public")), before);
    let leftovers = names_containing(site.root(), "semdoc-");
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn builds_are_deterministic() {
    let site = Site::new(&[
        ("content/posts/a.md", POST),
        (
            "content/posts/b.md",
            "---\ntitle: B\ndate: 2024-08-03 23:10:00 +0900\ntags: [Kafka]\n---\n```java\nint x = 1;\n```\n",
        ),
    ]);
    assert!(site.build(&["--output", "one"]).status.success());
    assert!(site.build(&["--output", "two"]).status.success());
    assert_eq!(snapshot(&site.root().join("one")), snapshot(&site.root().join("two")));
}

#[test]
fn check_reports_without_writing() {
    let site = Site::new(&[("content/posts/a.md", "---\ntitle: A\ndate: 2024-13-01\n---\nbody\n")]);
    let out = site.semdoc(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("content/posts/a.md:3:1: error[date]"), "{report}");
    assert!(!site.exists("public"));
}

#[test]
fn cannot_run_is_exit_2() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["build", "--root", "does-not-exist"], sandbox.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot open site directory"), "{}", stderr(&out));
    let site = Site::new(&[]);
    let out = site.build(&["--output", "content/out"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("inside `content/`"), "{}", stderr(&out));
}

#[test]
fn init_scaffolds_a_site_that_builds() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    let out = sandbox.run(&["init", "site"], dir);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = sandbox.run(&["build", "--root", "site"], dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("site/public/posts/first-post/index.html").exists());
    assert_eq!(sandbox.run(&["init", "site"], dir).status.code(), Some(2), "refuses to overwrite");
}

/// Issue #21: `init` defaults to `.`, refuses a directory with the user's files, names the post as
/// Jekyll does, gives the feed an author, and the sample's snippet and table are checked claims
/// that pass; a GitHub workflow runs `semdoc check --format github`.
#[test]
fn init_in_the_current_directory_is_a_checked_jekyll_named_site() {
    let sandbox = Sandbox::new();
    let here = sandbox.path().join("blog");
    std::fs::create_dir_all(here.join(".git")).unwrap();
    let out = sandbox.run(&["init"], &here);
    assert!(out.status.success(), "an empty directory but for .git: {}", stderr(&out));
    let posts: Vec<String> = std::fs::read_dir(here.join("content/posts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(posts.len(), 1, "{posts:?}");
    let (date, slug) = posts[0].split_at(11);
    assert!(chrono::NaiveDate::parse_from_str(&date[..10], "%Y-%m-%d").is_ok() && slug == "first-post.md", "{posts:?}");
    let workflow = std::fs::read_to_string(here.join(".github/workflows/docs.yml")).unwrap();
    assert!(workflow.contains("semdoc check --format github"), "{workflow}");
    let check = sandbox.run(&["check", "--format", "json"], &here);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let kinds: Vec<&str> = v["cases"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["snippet", "row", "row"], "one snippet and a two-row table, all checked");
    assert!(sandbox.run(&["build"], &here).status.success());
    let atom = std::fs::read_to_string(here.join("public/atom.xml")).unwrap();
    assert!(atom.contains("<author><name>"), "the feed has an author (RFC 4287 §4.1.1): {atom}");
    let other = sandbox.path().join("notes");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "keep").unwrap();
    let out = sandbox.run(&["init"], &other);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not empty (`notes.txt`)"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1, "nothing written");
}

#[test]
fn code_blocks_get_liquid_as_in_jekyll_and_nothing_else() {
    // Jekyll runs Liquid over the whole body, code included; `{% raw %}` keeps it literal.
    // Nothing after Liquid (kramdown attribute lists, semdoc's hooks) touches code.
    let post = "---\ntitle: A\ndate: 2024-01-01\n---\n```text\n{{ page.title }} {% if x %}\n{: .not-an-ial}\n```\n\n{% raw %}\n```text\n{{ page.title }}\n```\n{% endraw %}\n";
    let site = Site::new(&[("content/posts/a.md", post)]);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("content/posts/a.md:6:18"), "the unsupported tag is warned about: {}", stderr(&out));
    let html = site.read("public/posts/a/index.html");
    assert!(
        html.contains("A {% if x %}\n{: .not-an-ial}"),
        "Liquid ran, the unsupported tag and the IAL text stay as written in code: {html}"
    );
    assert!(html.contains("{{ page.title }}\n</code>"), "raw keeps Liquid literal: {html}");
    assert!(!html.contains("class=\"not-an-ial\""));
}

#[test]
fn bundled_site_builds_the_article() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sandbox = Sandbox::new();
    let out_dir = sandbox.path().join("public");
    let out = sandbox.run(&["build", "--root", repo.to_str().unwrap(), "--output", out_dir.to_str().unwrap()], repo);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(out_dir.join("posts/kafka-delivery-semantics/index.html")).unwrap();
    for id in [
        "메세지-전달-보장-수준-messaging-semantic",
        "카프카의-메세지-전달-보장-수준",
        "no-guarantee",
        "at-most-once",
        "at-least-once",
        "exactly-once",
        "정리",
        "프로듀서-측-설정",
        "컨슈머-측-설정",
        "참고",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "heading id {id}");
    }
    assert_eq!(html.matches("data-semdoc-row=").count(), 6, "6 body rows in the two tables");
    assert!(html.contains("<code>acks=0</code><br>"), "inline <br> in table cells passes through");
    assert!(html.contains("href=\"https://docs.confluent.io/kafka/design/delivery-semantics.html\""));
    assert!(out_dir.join("css/syntax.css").exists());
}

#[test]
fn user_text_is_escaped_everywhere() {
    let evil = "<script>alert(1)</script>";
    let site = Site::new(&[(
        "content/posts/a.md",
        &format!(
            "---\ntitle: \"{evil}\"\ndate: 2024-01-01\ntags: [\"{evil}\"]\ndescription: \"{evil}\"\n---\nbody\n\n```properties semdoc kafka=2.8\nclient.id={evil}\nacks=1\n```\n"
        ),
    )]);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    for f in ["public/posts/a/index.html", "public/index.html", "public/atom.xml", "public/tags/index.html"] {
        let html = site.read(f);
        assert!(!html.contains(evil), "{f} contains a live <script>");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("&amp;lt;script&amp;gt;"),
            "{f} shows it as text"
        );
    }
}

#[test]
fn page_front_matter_sets_snippet_defaults() {
    let site = Site::new(&[(
        "content/posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\nsemdoc: {kafka: \"3.0.0\", role: producer}\n---\n```properties semdoc expect=exactly-once\nbootstrap.servers=x\n```\n",
    )]);
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1), "3.0.0 does not apply the idempotence default (KAFKA-13598)");
    assert!(stderr(&out).contains("claimed exactly-once, but the configuration is at-least-once"), "{}", stderr(&out));
}

#[test]
fn a_site_under_a_path_prefix_links_inside_the_prefix() {
    let site = Site::new(&[
        ("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nsee [b](/posts/b/#정리)\n"),
        ("content/posts/b.md", "---\ntitle: B\ndate: 2024-01-01\n---\n## 정리\n"),
    ]);
    let out = site.build(&["--base-url", "https://example.com/docs/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = site.read("public/posts/a/index.html");
    assert!(
        a.contains("href=\"/docs/posts/b/#%EC%A0%95%EB%A6%AC\""),
        "content links get the prefix (fragment percent-encoded by the HTML writer)"
    );
    assert!(a.contains("href=\"/docs/css/site.css\""), "theme links get the prefix");
}

/// `semdoc build` in `site` (with the site's sandboxed cache); it must succeed.
fn build_cached(site: &Site) {
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn verdicts_are_cached_between_runs_and_a_broken_cache_only_costs_time() {
    let site = Site::new(&[(
        "content/posts/2024-01-01-p.md",
        "---\ntitle: P\ndate: 2024-01-01\n---\n\n```properties semdoc kafka=2.8\nacks=0\nretries=0\n```\n",
    )]);
    let cache = site.sandbox().cache();
    let run = || {
        // Without an output directory the site cache has nothing to reuse: every run renders.
        let _ = std::fs::remove_dir_all(site.root().join("public"));
        build_cached(&site);
        site.read("public/posts/p/index.html")
    };
    let cache_file = || {
        let files: Vec<_> = std::fs::read_dir(&cache)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0].file_name().unwrap().to_str().unwrap().starts_with("verdicts-"));
        files[0].clone()
    };
    assert!(run().contains("data-verdict=\"at-most-once\""));
    let path = cache_file();
    let mut entries: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 1, "one distinct model checked");
    // The next run reads the cache: an outcome altered in it is what the page shows. (Only the
    // classifier build named in the file name ever writes it.)
    entries[0]["outcome"]["no_loss"] = serde_json::json!(true);
    entries[0]["outcome"]["no_duplicate"] = serde_json::json!(true);
    entries[0]["outcome"]["counterexamples"] = serde_json::json!([]);
    std::fs::write(&path, entries.to_string()).unwrap();
    assert!(run().contains("data-verdict=\"exactly-once\""), "the cached outcome was used");
    // A damaged cache is ignored and rewritten.
    std::fs::write(&path, "{not json").unwrap();
    assert!(run().contains("data-verdict=\"at-most-once\""));
    let again: serde_json::Value = serde_json::from_slice(&std::fs::read(cache_file()).unwrap()).unwrap();
    assert_eq!(again.as_array().unwrap().len(), 1);
}

#[test]
fn an_unchanged_site_is_not_rebuilt_and_any_change_is() {
    let site = Site::new(&[
        ("content/posts/2024-01-01-p.md", "---\ntitle: P\ndate: 2024-01-01\ncolour: red\n---\n\nbody\n"),
        ("templates/post.html", "<h1>{{ page.title }}</h1>"),
    ]);
    let run = |env: &str| {
        let mut c = site.command(&["build"]);
        if !env.is_empty() {
            c.env("SEMDOC_CACHE_DIR", env);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stderr(&o)
    };
    assert!(run("").contains("wrote"));
    let before = snapshot(&site.root().join("public"));
    let again = run("");
    assert!(again.contains("is up to date"), "{again}");
    assert!(again.contains("unknown front matter key") || again.contains("colour"), "warnings are replayed: {again}");
    assert_eq!(snapshot(&site.root().join("public")), before, "nothing written");
    // A template change, a content change, a deleted output file and a disabled cache all render.
    site.write("templates/post.html", "<h2>{{ page.title }}</h2>");
    assert!(run("").contains("wrote"));
    assert!(site.read("public/posts/p/index.html").contains("<h2>P</h2>"));
    site.write("content/posts/2024-01-01-p.md", "---\ntitle: Q\ndate: 2024-01-01\n---\n\nbody\n");
    assert!(run("").contains("wrote"));
    assert!(site.read("public/posts/p/index.html").contains("<h2>Q</h2>"));
    std::fs::remove_file(site.root().join("public/index.html")).unwrap();
    assert!(run("").contains("wrote"));
    assert!(site.exists("public/index.html"));
    assert!(run("").contains("is up to date"));
    assert!(run("off").contains("wrote"));
}

#[test]
fn long_lists_are_paginated_and_term_indexes_count() {
    let mut files: Vec<(String, String)> = (1..=5)
        .map(|i| {
            let tags = if i % 2 == 0 { "[even, all]" } else { "[all]" };
            (
                format!("content/posts/p{i}.md"),
                format!("---\ntitle: P{i}\ndate: 2024-01-0{i}\ntags: {tags}\n---\nbody {i}\n"),
            )
        })
        .collect();
    files.push(("site.yaml".into(), "title: T\nbase_url: https://example.com\npaginate: 2\n".into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let site = Site::new(&refs);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Home: newest two, then /page/2/ and /page/3/; the count is of all posts.
    let home = site.read("public/index.html");
    assert!(home.contains("/posts/p5/") && home.contains("/posts/p4/") && !home.contains("/posts/p3/"), "{home}");
    assert!(home.contains("(5)") && home.contains("rel=\"next\" href=\"/page/2/\""), "{home}");
    let p3 = site.read("public/page/3/index.html");
    assert!(p3.contains("/posts/p1/") && p3.contains("rel=\"prev\" href=\"/page/2/\"") && !p3.contains("rel=\"next\""));
    assert!(!site.exists("public/page/4/index.html"));
    // Each page of a list has its own title (search engines and tabs tell them apart).
    assert!(home.contains("<title>T</title>"), "{home}");
    assert!(p3.contains("<title>T · 3/3쪽</title>"), "{p3}");
    assert!(site.read("public/tags/all/page/2/index.html").contains("<title>all (2/3쪽) · "));
    // Term pages paginate the same way; the taxonomy index shows counts.
    assert!(site.read("public/tags/all/index.html").contains("글 5개"));
    assert!(site.exists("public/tags/all/page/3/index.html") && !site.exists("public/tags/even/page/2/index.html"));
    let tags = site.read("public/tags/index.html");
    assert!(tags.contains("aria-label=\"글 5개\"") && tags.contains("aria-label=\"글 2개\""), "{tags}");
    // `paginate: 0` lists everything on one page.
    site.write("site.yaml", "title: T\nbase_url: https://example.com\npaginate: 0\n");
    assert!(site.build(&[]).status.success());
    assert!(site.read("public/index.html").contains("/posts/p1/") && !site.exists("public/page/2/index.html"));
}

#[test]
fn highlighted_blocks_are_cached_by_content_between_runs_and_a_broken_cache_only_costs_time() {
    let code = "int answer = 42;\n";
    let page = |code: &str| format!("---\ntitle: P\ndate: 2024-01-01\n---\n\n```java\n{code}```\n");
    let site = Site::new(&[("content/posts/2024-01-01-p.md", &page(code))]);
    let cache = site.sandbox().cache();
    let run = || {
        build_cached(&site);
        site.read("public/posts/p/index.html")
    };
    let store = || {
        let files = names_containing(&cache, "highlight-");
        assert_eq!(files.len(), 1, "one store, no temporary file left: {files:?}");
        cache.join(&files[0])
    };
    let fresh = run();
    assert!(fresh.contains("hl-storage"), "highlighted: {fresh}");
    let file = std::fs::read(store()).unwrap();
    assert!(file.starts_with(semdoc::markdown::Fragments::MAGIC) && file.len() > 64, "the block was stored");
    // The next run reads the store: a record for this very block is what the page shows. (Only
    // the semdoc build named in the file name ever writes it.) Editing the page makes it render.
    let mut poisoned = semdoc::markdown::Fragments::MAGIC.to_vec();
    poisoned.extend(semdoc::markdown::Fragments::encode(semdoc::markdown::Fragments::key("java", code), "STORED"));
    std::fs::write(store(), &poisoned).unwrap();
    site.write("content/posts/2024-01-01-p.md", &(page(code) + "\nmore\n"));
    let used = run();
    assert!(used.contains("<code class=\"language-java\">STORED</code>"), "the stored block was used: {used}");
    // Another block is highlighted and added; the stored one stays in use.
    site.write("content/posts/2024-01-01-p.md", &(page(code) + "\n```java\nlong other = 7L;\n```\n"));
    let both = run();
    assert!(both.contains("STORED") && both.contains("other"), "{both}");
    assert!(std::fs::read(store()).unwrap().len() > poisoned.len(), "the new block was appended");
    // A damaged store is read up to the damage, and rewritten.
    std::fs::write(store(), b"semdoc-highlight-1\n\x01\x02 cut short").unwrap();
    site.write("content/posts/2024-01-01-p.md", &page(code));
    assert_eq!(run(), fresh, "highlighted afresh, as the first time");
    let rewritten = semdoc::markdown::Fragments::new(std::fs::read(store()).unwrap(), Box::new(std::io::sink()));
    assert_eq!(rewritten.counts().0, 1, "the store holds the block again");
}
