//! Internal link and anchor checking: every link from a page to another page of the site (or to a
//! heading on it) must resolve in the built output. Hangul fragments are accepted raw or
//! percent-encoded, as browsers send either.

use crate::diag::Diagnostic;
use crate::markdown::LinkRef;
use percent_encoding::percent_decode_str;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;

/// Every output path, and the ids of an HTML file, collected the first time a link asks for one
/// of its fragments (scanning every page for ids cost more than all link checks together).
pub struct SiteIndex<'a> {
    files: HashMap<Cow<'a, str>, &'a [u8]>,
    ids: Mutex<HashMap<String, std::sync::Arc<BTreeSet<String>>>>,
    /// Where files kept only as placeholders (already written by `build`) are read back from.
    written: Option<&'a dyn crate::render::Sink>,
}

impl<'a> SiteIndex<'a> {
    /// `files` are the output files; `more` are paths of files produced later (the deferred
    /// search index), which links may name but which have no ids.
    pub fn new(files: &'a [crate::render::OutFile], more: impl IntoIterator<Item = &'a Path>) -> Self {
        // Output paths are UTF-8 and `/`-separated except on Windows: borrow them when possible.
        let key = |p: &'a Path| match p.to_str() {
            Some(s) if !s.contains('\\') => Cow::Borrowed(s),
            _ => Cow::Owned(p.to_string_lossy().replace('\\', "/")),
        };
        let mut map = HashMap::with_capacity_and_hasher(files.len(), Default::default());
        for (p, bytes) in files {
            map.insert(key(p), &bytes[..]);
        }
        for p in more {
            map.insert(key(p), &[][..]);
        }
        SiteIndex { files: map, ids: Mutex::new(HashMap::default()), written: None }
    }

    /// Read an empty file's bytes back from `sink` before looking for ids in it (files `build`
    /// has already written stay in memory only as empty placeholders).
    pub fn reading_back(self, sink: &'a dyn crate::render::Sink) -> Self {
        SiteIndex { written: Some(sink), ..self }
    }

    /// The output file a URL path names, if any.
    fn resolve(&self, path: &str) -> Option<String> {
        let p = path.trim_start_matches('/');
        let candidates = if p.is_empty() {
            vec!["index.html".to_string()]
        } else {
            vec![p.to_string(), format!("{}/index.html", p.trim_end_matches('/'))]
        };
        candidates.into_iter().find(|c| self.files.contains_key(c.as_str()))
    }

    /// Does the HTML file `target` have an element with this id?
    fn has_id(&self, target: &str, id: &str) -> bool {
        if !target.ends_with(".html") {
            return false;
        }
        let ids = {
            let mut cache = self.ids.lock().expect("ids lock");
            cache
                .entry(target.to_string())
                .or_insert_with(|| {
                    let kept = self.files.get(target).copied().unwrap_or_default();
                    let read_back = match self.written {
                        Some(sink) if kept.is_empty() => sink.get(Path::new(target)),
                        _ => None,
                    };
                    let bytes = read_back.as_deref().unwrap_or(kept);
                    std::sync::Arc::new(collect_ids(std::str::from_utf8(bytes).unwrap_or("")))
                })
                .clone()
        };
        ids.contains(id)
    }
}

/// Every `id` in the page (double- or single-quoted), and the `name` of every `<a>` (HTML's
/// older anchors, which writers still put in raw HTML: `<a name="x"></a>`).
fn collect_ids(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut collect = |attr: &str, only_in_a: bool| {
        for quote in ['"', '\''] {
            let needle = format!(" {attr}={quote}");
            let mut from = 0;
            while let Some(i) = html[from..].find(&needle) {
                let at = from + i;
                let after = &html[at + needle.len()..];
                let Some(end) = after.find(quote) else { break };
                let in_a = || {
                    let tag = html[..at].rfind('<').map_or("", |t| &html[t..at]);
                    !tag.contains('>')
                        && (tag.starts_with("<a ") || tag.starts_with("<A ") || tag == "<a" || tag == "<A")
                };
                if !only_in_a || in_a() {
                    out.insert(unescape(&after[..end]));
                }
                from = at + needle.len() + end;
            }
        }
    };
    collect("id", false);
    collect("name", true);
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Join a relative link with the page's URL path (`/posts/x/` + `../y/` → `/posts/y/`).
fn join(base: &str, rel: &str) -> String {
    let mut segs: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    if !base.ends_with('/') {
        segs.pop();
    }
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            p => segs.push(p),
        }
    }
    let trailing = rel.ends_with('/') || rel.is_empty();
    format!("/{}{}", segs.join("/"), if trailing && !segs.is_empty() { "/" } else { "" })
}

/// Check the links of one page. `page_path` is its URL path (`/posts/x/`), `file` the source shown
/// in diagnostics and `body_line` the file line of the body's first line.
pub fn check_links(
    index: &SiteIndex,
    base_path: &str,
    page_path: &str,
    file: &Path,
    body_line: usize,
    links: &[LinkRef],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for l in links {
        let href = l.href.trim();
        if href.is_empty()
            || href.contains("://")
            || href.starts_with("mailto:")
            || href.starts_with("tel:")
            || href.starts_with("//")
            || href.starts_with("data:")
        {
            continue;
        }
        let (path, frag) = match href.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (href, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let path = percent_decode_str(path).decode_utf8_lossy().into_owned();
        let url = if path.is_empty() {
            page_path.to_string()
        } else if path.starts_with('/') {
            path.strip_prefix(base_path).filter(|_| !base_path.is_empty()).unwrap_or(&path).to_string()
        } else {
            join(page_path, &path)
        };
        let line = body_line + l.line - 1;
        let Some(target) = index.resolve(&url) else {
            diags.push(
                Diagnostic::error(
                    file,
                    line,
                    l.col,
                    "broken-link",
                    format!("link to `{href}`: no page or file at {url}"),
                )
                .with_hint("link to a page's URL (`/posts/slug/`) or a file the site copies (under static/, or any non-page file of a Jekyll site such as assets/); check the slug"),
            );
            continue;
        };
        if let Some(frag) = frag.filter(|f| !f.is_empty()) {
            let frag = percent_decode_str(frag).decode_utf8_lossy().into_owned();
            let ok = index.has_id(&target, &frag);
            if !ok {
                diags.push(
                    Diagnostic::error(file, line, l.col, "broken-anchor", format!("link to `{href}`: {url} has no heading or element with id `{frag}`"))
                        .with_hint("heading ids follow GitHub's rule: lowercase, spaces to `-`, punctuation dropped (`## 정리` → `#정리`)"),
                );
            }
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<crate::render::OutFile> {
        vec![
            ("index.html".into(), bytes::Bytes::from_static(b"<h1 id=\"top\">")),
            (
                "posts/a/index.html".into(),
                "<h2 id=\"정리\">x</h2><div id=\"snippet-x\"><p id='single'>s</p><a name=\"old\"></a><input name=\"no\">"
                    .as_bytes()
                    .to_vec()
                    .into(),
            ),
            ("css/site.css".into(), bytes::Bytes::new()),
        ]
    }

    fn check(href: &str) -> Vec<&'static str> {
        let links = [LinkRef { href: href.into(), line: 2, col: 3 }];
        let files = files();
        let more = [Path::new("search/index.json")];
        check_links(&SiteIndex::new(&files, more), "", "/posts/b/", Path::new("content/posts/b.md"), 5, &links)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn resolves_pages_files_and_fragments() {
        for ok in [
            "/posts/a/",
            "/posts/a",
            "../a/",
            "/posts/a/#정리",
            "/posts/a/#%EC%A0%95%EB%A6%AC",
            "/css/site.css",
            "/",
            "https://x.y/z",
            "/posts/a/#snippet-x",
            "/posts/a/#single",
            "/posts/a/#old",
            "/search/index.json",
        ] {
            assert!(check(ok).is_empty(), "{ok}");
        }
        assert_eq!(check("/posts/nope/"), ["broken-link"]);
        assert_eq!(check("/posts/a/#없음"), ["broken-anchor"]);
        assert_eq!(check("/posts/a/#no"), ["broken-anchor"], "only an <a>'s name is an anchor");
        let files = files();
        let d = check_links(
            &SiteIndex::new(&files, []),
            "",
            "/posts/b/",
            Path::new("b.md"),
            5,
            &[LinkRef { href: "/x/".into(), line: 2, col: 3 }],
        );
        assert_eq!((d[0].line, d[0].col), (6, 3));
    }

    #[test]
    fn base_path_prefix_is_accepted() {
        let links = [LinkRef { href: "/blog/posts/a/".into(), line: 1, col: 1 }];
        let files = files();
        assert!(check_links(&SiteIndex::new(&files, []), "/blog", "/", Path::new("i.md"), 1, &links).is_empty());
    }
}
