//! URL paths to files of the in-memory site, safely: no path can leave the site, whatever its
//! encoding (`..`, `%2e%2e`, `%2f`, backslashes, absolute paths, NUL), and content types.

use percent_encoding::percent_decode_str;

/// What a request path resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site (key into the file map).
    File(String),
    /// A directory URL without its trailing slash: redirect here.
    Redirect(String),
    /// Not in the site.
    Missing,
    /// A path that tries to escape the site or is malformed.
    Forbidden,
}

/// Resolve `raw` (the request path, still percent-encoded) against the set of files.
pub fn resolve_path(raw: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let raw = raw.split(['?', '#']).next().unwrap_or("");
    let lower = raw.to_ascii_lowercase();
    // An encoded slash or backslash would let one segment act as two after decoding.
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\') {
        return Resolved::Forbidden;
    }
    let Ok(decoded) = percent_decode_str(raw).decode_utf8() else {
        return Resolved::Forbidden;
    };
    if !decoded.starts_with('/') || decoded.starts_with("//") || decoded.contains('\0') || decoded.contains('\\') {
        return Resolved::Forbidden;
    }
    let segs: Vec<&str> = decoded[1..].split('/').collect();
    if segs.iter().any(|s| *s == ".." || *s == "." || s.contains(':')) {
        return Resolved::Forbidden;
    }
    let path = segs.join("/");
    if path.is_empty() || path.ends_with('/') {
        let index = format!("{path}index.html");
        return if exists(&index) { Resolved::File(index) } else { Resolved::Missing };
    }
    if exists(&path) {
        return Resolved::File(path);
    }
    if exists(&format!("{path}/index.html")) {
        return Resolved::Redirect(format!("{}/", raw.trim_end_matches('/')));
    }
    Resolved::Missing
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(p: &str) -> Resolved {
        let files = ["index.html", "posts/a/index.html", "tags/카프카/index.html", "css/site.css"];
        resolve_path(p, |f| files.contains(&f))
    }

    #[test]
    fn pages_files_and_redirects() {
        assert_eq!(r("/"), Resolved::File("index.html".into()));
        assert_eq!(r("/posts/a/"), Resolved::File("posts/a/index.html".into()));
        assert_eq!(r("/posts/a"), Resolved::Redirect("/posts/a/".into()));
        assert_eq!(r("/css/site.css?v=1"), Resolved::File("css/site.css".into()));
        assert_eq!(r("/tags/%EC%B9%B4%ED%94%84%EC%B9%B4/"), Resolved::File("tags/카프카/index.html".into()));
        assert_eq!(r("/nope"), Resolved::Missing);
        assert_eq!(r("/posts/"), Resolved::Missing, "no directory listings");
    }

    #[test]
    fn traversal_in_every_encoding_is_forbidden() {
        for p in [
            "/../etc/passwd",
            "/posts/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/posts%2f..%2f..%2fetc/passwd",
            "/..%5c..%5cetc/passwd",
            "/posts\\..\\..\\etc",
            "//etc/passwd",
            "/C:/Windows",
            "/a%00b",
            "/%ff%fe",
            "relative",
        ] {
            assert_eq!(r(p), Resolved::Forbidden, "{p}");
        }
    }

    #[test]
    fn types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
    }
}
