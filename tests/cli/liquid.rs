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
        ("{% if x %}", "liquid-tag"),
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
