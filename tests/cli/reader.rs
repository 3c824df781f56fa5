//! The reader's pieces of a post through the CLI: previous/next links in the post list's order and
//! the cover image from front matter `image:` (string or Chirpy's mapping) with its `og:image`.

use crate::*;

fn post(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\n\nBody of {title}.\n")
}

#[test]
fn posts_link_to_the_newer_and_older_post_in_list_order() {
    let s = Site::new(&[
        ("content/posts/old.md", &post("Oldest", "2024-01-01", "")),
        ("content/posts/mid.md", &post("Middle", "2024-02-01", "")),
        ("content/posts/new.md", &post("Newest", "2024-03-01", "")),
        ("content/about.md", "---\ntitle: About\n---\n\nA page.\n"),
    ]);
    let out = s.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mid = s.read("public/posts/mid/index.html");
    assert!(
        mid.contains("rel=\"prev\" href=\"/posts/new/\"><span class=\"post-nav-label\">← 다음 글</span> Newest</a>"),
        "{mid}"
    );
    assert!(
        mid.contains("rel=\"next\" href=\"/posts/old/\"><span class=\"post-nav-label\">이전 글 →</span> Oldest</a>"),
        "{mid}"
    );
    let newest = s.read("public/posts/new/index.html");
    assert!(!newest.contains("rel=\"prev\""), "the first post has no newer one");
    assert!(newest.contains("rel=\"next\" href=\"/posts/mid/\""));
    let oldest = s.read("public/posts/old/index.html");
    assert!(!oldest.contains("rel=\"next\""), "the last post has no older one");
    assert!(oldest.contains("rel=\"prev\" href=\"/posts/mid/\""));
    assert!(!s.read("public/about/index.html").contains("post-nav"), "pages are not in the post list");
    // A new post between two others relinks its neighbours on the next build.
    s.write("content/posts/mid2.md", &post("Between", "2024-02-15", ""));
    let out = s.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(s.read("public/posts/mid/index.html").contains("rel=\"prev\" href=\"/posts/mid2/\""));
    assert!(s.read("public/posts/new/index.html").contains("rel=\"next\" href=\"/posts/mid2/\""));
}

#[test]
fn a_cover_image_is_shown_at_the_top_and_announced_to_opengraph() {
    let s = Site::new(&[
        ("content/posts/a.md", &post("A", "2024-01-01", "image: /img/a.png\n")),
        (
            "content/posts/b.md",
            &post(
                "B",
                "2024-01-02",
                "image:\n  path: cover.webp\n  alt: A broker diagram\n  lqip: data:image/webp;base64,AAAA\n",
            ),
        ),
        ("content/posts/c.md", &post("C", "2024-01-03", "")),
    ]);
    let out = s.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = s.read("public/posts/a/index.html");
    assert!(a.contains("<figure class=\"post-cover\"><img src=\"/img/a.png\" alt=\"\""), "{a}");
    assert!(a.contains("<meta property=\"og:image\" content=\"https://example.com/img/a.png\">"), "{a}");
    let b = s.read("public/posts/b/index.html");
    assert!(b.contains("<img src=\"/posts/b/cover.webp\" alt=\"A broker diagram\""), "{b}");
    assert!(b.contains("background-image:url('data:image/webp;base64,AAAA')"), "{b}");
    assert!(b.contains("<meta property=\"og:image\" content=\"https://example.com/posts/b/cover.webp\">"), "{b}");
    assert!(b.contains("<meta property=\"og:image:alt\" content=\"A broker diagram\">"), "{b}");
    let c = s.read("public/posts/c/index.html");
    assert!(!c.contains("og:image") && !c.contains("post-cover"), "no image, no cover");
}

#[test]
fn a_bad_image_is_reported_at_its_line() {
    let s = Site::new(&[("content/posts/a.md", &post("A", "2024-01-01", "image:\n  alt: no path\n  size: big\n"))]);
    let out = s.semdoc(&["check"]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("content/posts/a.md:4:1") && text.contains("`image` has no `path`"), "{text}");
    assert!(text.contains("unknown `image` key `size`"), "{text}");
}
