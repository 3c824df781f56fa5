//! Liquid and kramdown in post bodies, through the real CLI: expansion, links to other posts, and
//! problems reported at the line and column of the file as written.

use super::{Site, stderr};

/// `path:line:col` of the first `needle` in `text` (a file of the site), counted from the top.
fn at(path: &str, text: &str, needle: &str) -> String {
    let off = text.find(needle).unwrap_or_else(|| panic!("{needle} not in {path}"));
    let line = text[..off].matches('\n').count() + 1;
    let col = text[..off].rsplit('\n').next().unwrap().chars().count() + 1;
    format!("{path}:{line}:{col}")
}

const POST: &str = "---\ntitle: Liquid post\ndate: 2024-08-03 23:10:00 +0900\ntags: [a, b]\n---\n# {{ page.title }}\n\n{{ page.title }} {{ site.title }} [broken](/nope/) and [other]({% post_url 2024-08-01-other %}).\n{% comment %}\ntwo lines\n{% endcomment %}{{ page.nope }} then [second](/also-nope/) {% if x %}\n\n{% highlight python %}\nprint(\"{{ page.tags | join: '+' }}\")\n{% endhighlight %}\n\n{% raw %}`{{ kept }}`{% endraw %} [missing]({% post_url 2020-01-01-none %})\n";

#[test]
fn liquid_expands_links_to_posts_and_keeps_positions_of_the_file_as_written() {
    let path = "content/posts/2024-08-03-liquid.md";
    let site = Site::new(&[
        (path, POST),
        ("content/posts/2024-08-01-other.md", "---\ntitle: Other\ndate: 2024-08-01\n---\nx\n"),
    ]);
    let out = site.semdoc(&["check"]);
    let report = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
    for (needle, code) in [
        ("[broken]", "broken-link"),
        ("[second]", "broken-link"),
        ("{{ page.nope }}", "liquid-variable"),
        ("{% if x %}", "liquid"),
        ("{% post_url 2020", "broken-link"),
    ] {
        let loc = at(path, POST, needle);
        assert!(
            report.lines().any(|l| l.contains(&loc) && l.contains(code)),
            "{needle}: expected {code} at {loc} in:\n{report}"
        );
    }
    assert!(!out.status.success(), "an unresolved post_url is an error");

    // Without the errors, the page builds with everything expanded.
    let fixed = POST
        .replace("[broken](/nope/)", "")
        .replace("[second](/also-nope/)", "")
        .replace(" [missing]({% post_url 2020-01-01-none %})", "");
    site.write(path, &fixed);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = site.read("public/posts/liquid/index.html");
    assert!(html.contains("Liquid post Test"), "variables expanded");
    assert!(html.contains("href=\"/posts/other/\""), "post_url resolved: {html}");
    assert!(html.contains("data-lang=\"python\""), "highlight became a code block");
    assert!(html.contains("a+b"), "Liquid ran inside the highlight block as Jekyll does");
    assert!(html.contains("{{ kept }}"), "raw text kept");
    assert!(html.contains("<mark class=\"semdoc-unread\">"), "unsupported text visibly marked");
    let warned = stderr(&out);
    assert!(warned.contains(&at(path, &fixed, "{{ page.nope }}")), "{warned}");
}

#[test]
fn render_with_liquid_false_leaves_the_body_to_markdown() {
    let path = "content/posts/2024-08-03-plain.md";
    let text = "---\ntitle: Plain\ndate: 2024-08-03\nrender_with_liquid: false\n---\n`{{ page.title }}` and {% if %}\n";
    let site = Site::new(&[(path, text)]);
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("liquid"), "{}", stderr(&out));
    let html = site.read("public/posts/plain/index.html");
    assert!(html.contains("<code>{{ page.title }}</code> and {% if %}"), "{html}");
}

const FIXTURE: &str = include_str!("../fixtures/kramdown/2024-09-01-every-construct.md");

/// `html` without the elements whose text is code (`<pre>…</pre>`, `<code>…</code>`), scripts
/// and styles: what a reader sees as prose.
fn outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let next = ["<pre", "<code", "<script", "<style"].iter().filter_map(|t| rest.find(t).map(|i| (i, *t))).min();
        let Some((i, tag)) = next else { break };
        out.push_str(&rest[..i]);
        let close = format!("</{}>", &tag[1..]);
        match rest[i..].find(&close) {
            Some(e) => rest = &rest[i + e + close.len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    // What semdoc marked as unread is shown on purpose (and warned about).
    let mut shown = String::new();
    let mut rest = out.as_str();
    while let Some(i) = rest.find("<mark class=\"semdoc-unread\">") {
        shown.push_str(&rest[..i]);
        rest = rest[i..].find("</mark>").map_or("", |e| &rest[i + e + 7..]);
    }
    shown.push_str(rest);
    shown
}

#[test]
fn a_post_with_every_construct_leaks_no_syntax_and_warns_where_unsupported() {
    let path = "content/posts/2024-09-01-every-construct.md";
    let site = Site::new(&[
        (path, FIXTURE),
        ("content/posts/2024-08-01-other.md", "---\ntitle: Other\ndate: 2024-08-01\n---\nx\n"),
        ("content/about.md", "---\ntitle: About\n---\nabout\n"),
        ("content/img/a.png", "png"),
        ("_includes/note.html", "<aside class=\"note\">{{ include.text }}</aside>"),
    ]);
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let html = site.read("public/posts/every-construct/index.html");
    let prose = outside_code(&html);
    for syntax in ["{%", "{{", "{:"] {
        assert!(
            !prose.contains(syntax),
            "`{syntax}` leaked: {}",
            &prose[prose.find(syntax).unwrap().saturating_sub(200)..]
        );
    }
    for want in [
        "<nav class=\"toc kramdown-toc\">",
        "Every construct on Test, dated 2024-09-01, tagged kafka, jekyll.",
        "Written about KAFKA at https://example.com/posts/every-construct/.",
        "<img src=\"/img/a.png\" alt=\"diagram\" class=\"shadow left\" width=\"300\" height=\"200\" />",
        "class=\"normal light\"",
        "href=\"/posts/other/\"",
        "<a href=\"/about/\" target=\"_blank\">",
        "data-lang=\"properties\"",
        "not.liquid",
        "<aside class=\"note\">from the site's _includes</aside>",
        "youtube.com/embed/dQw4w9WgXcQ",
        "<h2 id=\"kd\"",
        "<blockquote class=\"prompt-tip\">",
        "<blockquote class=\"prompt-warning\">",
        "<blockquote class=\"prompt-info\">",
        "<code class=\"filepath\">server.properties</code>",
        "<div class=\"code-file\">producer.properties</div>",
        "<table class=\"settings\">",
        "<dt>Term</dt>",
        "id=\"fn-one\"",
        "class=\"footnote-backref\"",
        "<mark class=\"semdoc-unread\">{: this is",
    ] {
        assert!(html.contains(want), "{want} missing in {html}");
    }
    assert!(!html.contains("Nothing in here") && !html.contains("Hidden by kramdown"));
    for (needle, code) in [
        ("{% cycle", "liquid-tag"),
        ("{% increment", "liquid-tag"),
        ("{{ page.nope }}", "liquid-variable"),
        ("{{ \"x\" | shout }}", "liquid-filter"),
        ("{::options", "kramdown-option"),
        ("{: this is", "kramdown-ial"),
    ] {
        let loc = at(path, FIXTURE, needle);
        assert!(err.lines().any(|l| l.contains(&loc) && l.contains(code)), "{needle}: {code} at {loc} in:\n{err}");
    }
    let warnings = err.lines().filter(|l| l.starts_with(path) && l.contains(": warning[")).count();
    assert_eq!(warnings, 6, "exactly the unsupported constructs: {err}");
    assert_eq!(
        html.matches("<mark class=\"semdoc-unread\">").count(),
        5,
        "each one marked, except the option line (dropped)"
    );
}

/// Whether tests that compare with a real Jekyll must run (`SEMDOC_REQUIRE_JEKYLL` set to anything
/// but empty or `0`); otherwise they skip with one line when `jekyll` is not on `PATH`.
fn jekyll(test: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("jekyll")).find(|p| p.is_file()));
    if found.is_none() {
        let why = "needs Jekyll 4.3 (`apt-get install jekyll`); not on PATH: jekyll";
        if std::env::var_os("SEMDOC_REQUIRE_JEKYLL").is_some_and(|v| !v.is_empty() && v != "0") {
            panic!("{test} {why} (SEMDOC_REQUIRE_JEKYLL is set, so this is a failure, not a skip)");
        }
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
    }
    found
}

/// The text of the first `<pre>` in `html`: tags dropped, entities decoded.
fn pre_text(html: &str) -> String {
    let start = html.find("<pre").expect("a <pre> block");
    let end = start + html[start..].find("</pre>").expect("closed");
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// `if`/`elsif`/`else`, `unless`, `for` (with `forloop`, `limit`, `offset`, `reversed`, `break`,
/// `continue`), `capture`, `case`/`when`, operators, truthiness and whitespace control, inside a
/// code block (where both keep every character): semdoc's expansion is byte for byte Jekyll's.
#[test]
fn liquid_control_flow_gives_what_jekyll_gives() {
    let Some(jekyll) = jekyll("liquid_control_flow_gives_what_jekyll_gives") else { return };
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/liquid-flow");
    let sandbox = crate::Sandbox::new();
    let site = sandbox.path().join("site");
    crate::copy_tree(&fixture, &site);
    let jekyll_out = sandbox.path().join("jekyll-out");
    let out = std::process::Command::new(jekyll)
        .args(["build", "--quiet", "--disable-disk-cache", "--source"])
        .arg(&site)
        .arg("--destination")
        .arg(&jekyll_out)
        .env("HOME", sandbox.home())
        .output()
        .expect("run jekyll");
    assert!(out.status.success(), "jekyll: {}", stderr(&out));
    let out = sandbox.run(&["build"], &site);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "everything understood: {}", stderr(&out));
    let page = "2024/01/01/flow.html";
    let want = pre_text(&std::fs::read_to_string(jekyll_out.join(page)).unwrap());
    let got = pre_text(&std::fs::read_to_string(site.join("public").join(page)).unwrap());
    assert!(want.contains("1/2 RUST,2/2 KAFKA"), "the fixture is Jekyll's: {want}");
    assert_eq!(got, want);
}
