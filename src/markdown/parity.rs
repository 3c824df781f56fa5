//! Parity with Jekyll: the article's text as semdoc renders it equals the text Jekyll 4.3.1 (Debian's
//! `jekyll` package, kramdown GFM input) rendered from the same file, apart from typographic quotes.
//!
//! The reference HTML was produced once with `jekyll build` and is kept as a fixture; comparing
//! text (not markup) leaves room for harmless markup differences such as `<br />` vs `<br>`.
#![cfg(test)]

use super::{MarkdownOptions, render_markdown};

const SOURCE: &str = include_str!("../../tests/fixtures/article/source.md");
const JEKYLL: &str = include_str!("../../tests/fixtures/article/jekyll-4.3.1.html");

fn body_of_source() -> &'static str {
    // The fixture is the Jekyll post itself: skip its front matter.
    let rest = SOURCE.strip_prefix("---\n").expect("front matter");
    &rest[rest.find("\n---\n").expect("front matter end") + 5..]
}

/// Visible text of an HTML fragment: heading anchor links dropped, tags removed, entities decoded,
/// typographic quotes folded to ASCII, whitespace collapsed.
fn text_of(html: &str) -> Vec<String> {
    let mut s = String::new();
    let mut rest = html;
    // Drop `<a class="anchor" …>…</a>` (semdoc's visible heading anchors have no counterpart in Jekyll).
    while let Some(i) = rest.find("<a class=\"anchor\"") {
        s.push_str(&rest[..i]);
        let after = &rest[i..];
        rest = &after[after.find("</a>").map_or(after.len(), |j| j + 4)..];
    }
    s.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace(['“', '”'], "\"")
        .replace(['‘', '’'], "'");
    text.split_whitespace().map(str::to_string).collect()
}

#[test]
fn article_text_matches_jekyll() {
    let ours = render_markdown(body_of_source(), &MarkdownOptions::default());
    let a = text_of(&ours.html);
    let b = text_of(JEKYLL);
    if a != b {
        let i = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        panic!(
            "text differs at word {i}:\n semdoc: {:?}\n jekyll: {:?}",
            &a[i.saturating_sub(5)..(i + 10).min(a.len())],
            &b[i.saturating_sub(5)..(i + 10).min(b.len())]
        );
    }
}

#[test]
fn article_structure_matches_jekyll() {
    let ours = render_markdown(body_of_source(), &MarkdownOptions::default()).html;
    for tag in ["<p>", "<li>", "<tr", "<code", "<strong>", "<blockquote>", "<table", "<br"] {
        assert_eq!(ours.matches(tag).count(), JEKYLL.matches(tag).count(), "count of {tag}");
    }
    for href in ["https://www.youtube.com/watch?v=Ki2D2o9aVl8", "https://kafka.apache.org/documentation/#semantics"] {
        assert!(ours.contains(href) && JEKYLL.contains(href), "{href}");
    }
}
