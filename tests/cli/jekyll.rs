//! Jekyll and Chirpy sites built in place: detection, `_config.yml`, Jekyll's URLs (compared with
//! the URLs a real `jekyll build` gave the fixture, `tests/fixtures/jekyll-site/URLS.txt`), links
//! to Markdown sources, drafts, exclusions, and the refusal of a root that is no site.

use crate::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jekyll-site")
}

/// A Jekyll site (no `site.yaml`) in its own sandbox: `site/` holds `files`.
struct JekyllSite {
    sandbox: Sandbox,
}

impl JekyllSite {
    fn new(files: &[(&str, &str)]) -> JekyllSite {
        let s = JekyllSite { sandbox: Sandbox::new() };
        std::fs::create_dir(s.root()).unwrap();
        for (p, t) in files {
            s.write(p, t);
        }
        s
    }
    fn from_fixture() -> JekyllSite {
        let s = JekyllSite { sandbox: Sandbox::new() };
        copy_tree(&fixture(), &s.root());
        std::fs::remove_file(s.root().join("URLS.txt")).unwrap();
        s
    }
    fn root(&self) -> PathBuf {
        self.sandbox.path().join("site")
    }
    fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    fn run(&self, args: &[&str]) -> std::process::Output {
        self.sandbox.run(args, &self.root())
    }
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
    /// Every HTML file under `public/` as a URL path (`a/index.html` → `/a/`).
    fn html_urls(&self) -> BTreeSet<String> {
        let out = self.root().join("public");
        snapshot(&out)
            .into_iter()
            .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
            .filter(|p| p.ends_with(".html"))
            .map(|p| {
                let url = format!("/{p}");
                match url.strip_suffix("index.html") {
                    Some(dir) => dir.to_string(),
                    None => url,
                }
            })
            .collect()
    }
}

const CONFIG: &str = "title: T\nurl: https://example.com\ntimezone: Asia/Seoul\n";

#[test]
fn fixture_urls_are_jekylls() {
    let site = JekyllSite::from_fixture();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let jekyll: BTreeSet<String> = std::fs::read_to_string(fixture().join("URLS.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    // What semdoc adds to a site and Jekyll (without plugins or theme) does not make.
    let semdoc_adds: BTreeSet<String> = [
        "/404.html",
        "/search/",
        "/categories/kafka/",
        "/categories/프로듀서/",
        "/tags/",
        "/tags/consumer/",
        "/tags/kafka/",
        "/tags/transactions/",
        "/tags/멱등성/",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let got = site.html_urls();
    let expected: BTreeSet<String> = jekyll.union(&semdoc_adds).cloned().collect();
    assert_eq!(got, expected, "semdoc's pages vs Jekyll's URLS.txt plus semdoc's own pages");
    // The asset is copied where Jekyll puts it, and the excluded README is not.
    assert!(site.root().join("public/assets/img/diagram.svg").exists());
    assert!(!site.root().join("public/README.md").exists());
    // The date came from the file name (no `date:` in front matter) and is shown.
    let eo = site.read("public/posts/eo-semantics/index.html");
    assert!(eo.contains("datetime=\"2024-05-10T00:00:00+09:00\""), "file-name date at midnight in Asia/Seoul");
    // Links written to Markdown files point at the pages' URLs.
    let commits = site.read("public/posts/Consumer-Commits/index.html");
    for href in ["href=\"/about-site.html\"", "href=\"/links/\"", "href=\"/2024/07/01/hello/#top-note\""] {
        assert!(commits.contains(href), "{href}");
    }
    assert!(eo.contains("href=\"/posts/Consumer-Commits/#offsets\""));
    // The tab is in the menu; Chirpy's categories tab is semdoc's categories page.
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"/about/\""), "tab in the menu");
    // The unused `_config.yml` keys are listed once.
    let err = stderr(&out);
    assert_eq!(err.matches("`avatar`").count(), 1, "{err}");
    assert!(err.contains("`theme_mode`"), "{err}");
}

#[test]
fn drafts_are_built_only_with_the_flag() {
    let site = JekyllSite::from_fixture();
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.html_urls().contains("/posts/unfinished-thoughts/"));
    let out = site.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.html_urls().contains("/posts/unfinished-thoughts/"), "a draft takes the posts' defaults");
}

#[test]
fn a_root_that_is_no_site_is_refused() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path().join("notes");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.md"), "# notes\n").unwrap();
    for cmd in ["build", "check"] {
        let out = sandbox.run(&[cmd], &dir);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr(&out));
        let err = stderr(&out);
        for needle in ["site.yaml", "_config.yml", "content/"] {
            assert!(err.contains(needle), "{cmd} says what it looks for ({needle}): {err}");
        }
        assert!(!dir.join("public").exists());
    }
}

#[test]
fn a_url_clash_names_both_files_and_same_slugs_on_other_dates_are_fine() {
    let site = JekyllSite::new(&[
        ("_config.yml", "title: T\nurl: https://example.com\ntimezone: Asia/Seoul\npermalink: /:categories/:title/\n"),
        ("_posts/2024-01-01-same.md", "---\ntitle: A\n---\na\n"),
        ("_posts/2024-02-01-same.md", "---\ntitle: B\npermalink: /:year/:title/\n---\nb\n"),
        ("_posts/2024-03-01-other.md", "---\ntitle: C\nslug: same\n---\nc\n"),
        // Jekyll slugifies a slug with spaces (`:title` keeps its case).
        ("_posts/2024-04-01-x.md", "---\ntitle: D\nslug: My Own Slug\n---\nd\n"),
    ]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stdout);
    let clash: Vec<&str> = report.lines().filter(|l| l.contains("duplicate-url")).collect();
    assert_eq!(clash.len(), 1, "{report}");
    assert!(
        clash[0].contains("_posts/2024-03-01-other.md") && clash[0].contains("_posts/2024-01-01-same.md"),
        "{report}"
    );
    assert!(clash[0].contains("/same/"), "{report}");
    assert!(!report.contains("_posts/2024-04-01-x.md"), "a slug with spaces is fine: {report}");
}

#[test]
fn dates_offsets_and_time_zones_decide_the_url_as_in_jekyll() {
    let site = JekyllSite::new(&[
        ("_config.yml", "title: T\nurl: https://example.com\ntimezone: America/New_York\npermalink: pretty\n"),
        // 13:30 in Seoul is still the day before (23:30) in New York: `jekyll build` gives 2024/03/01.
        ("_posts/2024-03-02-seoul.md", "---\ndate: 2024-03-02 13:30:00 +0900\n---\nx\n"),
        // Summer: daylight saving time, and the date alone at midnight New York time.
        ("_posts/2024-07-04-Summer.md", "---\ntitle: S\n---\ny\n"),
        ("about.md", "---\ntitle: About\n---\nabout\n"),
        ("docs/index.md", "---\ntitle: Docs\n---\ndocs\n"),
    ]);
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let urls = site.html_urls();
    for u in ["/2024/03/01/seoul/", "/2024/07/04/Summer/", "/about/", "/docs/"] {
        assert!(urls.contains(u), "{u} in {urls:?}");
    }
    let summer = site.read("public/2024/07/04/Summer/index.html");
    assert!(summer.contains("2024-07-04T00:00:00-04:00"), "EDT in July");
    // The title Jekyll gives a post without one: its slug, capitalised.
    let seoul = site.read("public/2024/03/01/seoul/index.html");
    assert!(seoul.contains("<title>Seoul"), "titleized slug");
}

#[test]
fn a_link_to_a_missing_markdown_file_is_an_error_where_it_is_written() {
    let site = JekyllSite::new(&[
        ("_config.yml", CONFIG),
        (
            "_posts/2024-01-01-a.md",
            "---\ntitle: A\n---\n\nfine: [b](2024-01-02-b.md)\n\nsee [gone](2023-12-31-gone.md).\n",
        ),
        ("_posts/2024-01-02-b.md", "---\ntitle: B\n---\nb\n"),
    ]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = report.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(errors.len(), 1, "{report}");
    assert!(errors[0].starts_with("_posts/2024-01-01-a.md:7:5: error[broken-link]"), "{report}");
}

#[test]
fn outputs_caches_and_package_folders_are_never_read() {
    let site = JekyllSite::new(&[
        ("_config.yml", CONFIG),
        ("_posts/2024-01-01-a.md", "---\ntitle: A\n---\na\n"),
        ("_site/old.md", "---\ntitle: old\n---\n"),
        ("_site/x.html", "old output"),
        ("public/stale.md", "---\ntitle: stale\n---\n"),
        ("node_modules/pkg/readme.md", "---\ntitle: pkg\n---\n"),
        ("vendor/bundle/gem.md", "---\ntitle: gem\n---\n"),
        (".jekyll-cache/c.md", "---\ntitle: c\n---\n"),
        ("Gemfile", "source 'https://rubygems.org'\n"),
        ("Gemfile.lock", "GEM\n"),
        ("_layouts/post.html", "---\n---\n{{ content }}"),
        ("_posts/undated.md", "---\ntitle: U\n---\n"),
        ("notes.md", "no front matter: copied as a file, as Jekyll does\n"),
    ]);
    // `public/` here is not semdoc's (no marker): replacing it takes `--force`.
    let out = site.run(&["build", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let urls = site.html_urls();
    let expected: BTreeSet<String> = ["/", "/2024/01/01/a.html", "/404.html", "/categories/", "/search/", "/tags/"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(urls, expected);
    for gone in ["public/x.html", "public/Gemfile", "public/Gemfile.lock", "public/node_modules", "public/vendor"] {
        assert!(!site.root().join(gone).exists(), "{gone}");
    }
    assert!(site.root().join("public/notes.md").exists(), "a Markdown file without front matter is a file");
    // What is skipped is said once, with the reason.
    let err = stderr(&out);
    let ignored: Vec<&str> = err.lines().filter(|l| l.contains("warning[ignored]")).collect();
    assert_eq!(ignored.len(), 1, "{err}");
    assert!(ignored[0].contains("_layouts/post.html") && ignored[0].contains("_posts/undated.md"), "{err}");
}

#[test]
fn defaults_apply_every_value_as_front_matter() {
    let site = JekyllSite::new(&[
        (
            "_config.yml",
            "title: T\nurl: https://example.com\ndefaults:\n  - scope:\n      path: \"\"\n      type: posts\n    values:\n      permalink: /posts/:title/\n      tags: [kafka]\n      toc: false\n      comments: true\n  - scope:\n      path: _posts/ko\n    values:\n      categories: [한국어]\n",
        ),
        ("_posts/2024-01-01-a.md", "---\ntitle: A\n---\n## h\n\na\n"),
        ("_posts/ko/2024-01-02-b.md", "---\ntitle: B\ntags: [own]\n---\nb\n"),
    ]);
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let urls = site.html_urls();
    for u in ["/posts/a/", "/posts/b/", "/tags/kafka/", "/tags/own/", "/categories/한국어/"] {
        assert!(urls.contains(u), "{u} in {urls:?}");
    }
    assert!(!site.read("public/tags/kafka/index.html").contains("/posts/b/"), "b's own tags replace the default");
    assert!(!site.read("public/posts/a/index.html").contains("class=\"toc"), "toc: false from the defaults");
    assert!(stderr(&out).contains("`comments`"), "unused default values are listed");
}

#[test]
fn an_output_inside_the_site_must_be_one_that_is_never_read() {
    let site = JekyllSite::new(&[("_config.yml", CONFIG), ("_posts/2024-01-01-a.md", "---\ntitle: A\n---\na\n")]);
    let out = site.run(&["build", "--output", "out"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("read back"), "{}", stderr(&out));
    assert!(!site.root().join("out").exists());
    let out = site.run(&["build", "--output", "_site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Built twice into `_site/`, the second build does not read the first one's pages.
    let again = site.run(&["build", "--output", "_site"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(site.root().join("_site/2024/01/01/a.html").exists());
    assert!(!site.root().join("_site/_site").exists());
}

#[test]
fn chirpy_image_prefixes() {
    let site = JekyllSite::new(&[
        (
            "_config.yml",
            "title: T\nurl: https://example.com\nimg_cdn: https://cdn.example.com\nmedia_subpath: /assets/img\n",
        ),
        (
            "_posts/2024-01-01-a.md",
            "---\ntitle: A\n---\n![rel](a.png) ![abs](/x/b.png) ![far](https://other.example/c.png)\n",
        ),
        ("_posts/2024-01-02-b.md", "---\ntitle: B\nmedia_subpath: /assets/b\n---\n![rel](d.png)\n"),
    ]);
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = site.read("public/2024/01/01/a.html");
    for src in [
        "src=\"https://cdn.example.com/assets/img/a.png\"",
        "src=\"https://cdn.example.com/assets/img/x/b.png\"",
        "src=\"https://other.example/c.png\"",
    ] {
        assert!(a.contains(src), "{src}");
    }
    assert!(site.read("public/2024/01/02/b.html").contains("src=\"https://cdn.example.com/assets/b/d.png\""));
}

/// Jekyll's date rule and IANA zones hold for semdoc's own layout too.
#[test]
fn a_semdoc_post_takes_its_file_names_date_and_site_yaml_takes_zone_names() {
    let site = Site::new(&[("content/posts/2013-08-16-old.md", "---\ntitle: Old\n---\nold\n")]);
    site.write("site.yaml", "title: T\nbase_url: https://example.com\ntimezone: Europe/Berlin\n");
    let out = site.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("no `date`"), "{}", stderr(&out));
    // Midnight in Berlin in August is summer time, +02:00.
    assert!(site.read("public/posts/old/index.html").contains("datetime=\"2013-08-16T00:00:00+02:00\""));
    site.write("site.yaml", "title: T\nbase_url: https://example.com\ntimezone: Mars/Olympus\n");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("site.yaml:3:1: error[config]"), "{}", stderr(&out));
}

/// Every permalink style and a few placeholder templates, compared with a real `jekyll build`
/// of the same files (Jekyll 4.3; Debian: `apt-get install jekyll`). Skips, saying so, where
/// `jekyll` is not installed. Jekyll runs with `HOME` in the sandbox and writes only there.
#[test]
fn permalink_styles_match_a_real_jekyll() {
    let probe = std::process::Command::new("jekyll").arg("--version").output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: `jekyll` is not installed (apt-get install jekyll)");
        return;
    }
    let styles = [
        "date",
        "pretty",
        "ordinal",
        "weekdate",
        "none",
        "/:categories/:i_month-:i_day/:short_year/:slug",
        "/:year/:month_:day/:slugified_categories/:name/",
    ];
    for style in styles {
        let site = JekyllSite::new(&[
            ("_config.yml", &format!("title: T\nurl: https://e.com\ntimezone: Asia/Seoul\npermalink: \"{style}\"\n")),
            // 23:30 at -08:00 is the next day (March 1st) in Seoul.
            (
                "_posts/2024-02-29-Hello-World.md",
                "---\ntitle: A\ncategories: [Deep Dive, Kafka]\ndate: 2024-02-29 23:30:00 -0800\n---\na\n",
            ),
            ("_posts/2024-12-30-b.md", "---\ntitle: B\nslug: 한글 슬러그!\n---\nb\n"),
            ("ko/_posts/2023-01-01-c.md", "---\ntitle: C\n---\nc\n"),
            ("sub/page.md", "---\ntitle: P\n---\np\n"),
            ("sub/index.md", "---\ntitle: I\n---\ni\n"),
        ]);
        let jekyll = std::process::Command::new("jekyll")
            .args(["build", "--quiet", "--source", ".", "--destination"])
            .arg(site.sandbox.path().join("jekyll-out"))
            .current_dir(site.root())
            .env("HOME", site.sandbox.home())
            .output()
            .expect("run jekyll");
        assert!(jekyll.status.success(), "jekyll: {}", stderr(&jekyll));
        let _ = std::fs::remove_dir_all(site.root().join(".jekyll-cache"));
        let theirs: BTreeSet<String> = snapshot(&site.sandbox.path().join("jekyll-out"))
            .into_iter()
            .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
            .filter(|p| p.ends_with(".html"))
            .map(|p| format!("/{p}"))
            .collect();
        let out = site.run(&["build"]);
        assert!(out.status.success(), "{style}: {}", stderr(&out));
        let ours: BTreeSet<String> = snapshot(&site.root().join("public"))
            .into_iter()
            .map(|(p, _)| format!("/{}", p.to_string_lossy().replace('\\', "/")))
            .filter(|p| p.ends_with(".html"))
            .collect();
        let missing: Vec<&String> = theirs.difference(&ours).collect();
        assert!(missing.is_empty(), "permalink {style}: Jekyll has {missing:?} and semdoc not (semdoc: {ours:?})");
        assert!(theirs.len() >= 5, "{style}: {theirs:?}");
    }
}

/// Liquid and kramdown in a Jekyll root: `_includes/` is read for `{% include %}` (not listed as
/// ignored), `post_url` gives the other post's Jekyll URL, and a prompt's IAL lands on its quote.
#[test]
fn liquid_includes_and_post_urls_work_in_a_jekyll_root() {
    let site = JekyllSite::new(&[
        ("_config.yml", "title: T\nurl: https://example.com\npermalink: /posts/:title/\n"),
        ("_includes/note.html", "<aside class=\"note\">{{ include.text }}</aside>\n"),
        ("_layouts/post.html", "{{ content }}\n"),
        ("_posts/2024-05-10-Target-Post.md", "---\ntitle: Target\n---\nt\n"),
        (
            "_posts/2024-06-01-uses.md",
            "---\ntitle: Uses\n---\nSee [it]({% post_url 2024-05-10-Target-Post %}).\n\n{% include note.html text=\"hi\" %}\n\n> tip\n{: .prompt-tip }\n",
        ),
    ]);
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = site.read("public/posts/uses/index.html");
    assert!(html.contains("<a href=\"/posts/Target-Post/\">it</a>"), "{html}");
    assert!(html.contains("<aside class=\"note\">hi</aside>"), "{html}");
    assert!(html.contains("<blockquote class=\"prompt-tip\">"), "{html}");
    let err = stderr(&out);
    let ignored: Vec<&str> = err.lines().filter(|l| l.contains("semdoc does not read")).collect();
    assert!(
        ignored.iter().all(|l| !l.contains("_includes")) && ignored.iter().any(|l| l.contains("_layouts")),
        "{err}"
    );
}
