//! What `serve` answers before looking a file up: which requests it serves at all (the `Host` it
//! accepts against DNS rebinding, the methods), and URL paths to files of the in-memory site,
//! safely: no path can leave the site, whatever its encoding (`..`, `%2e%2e`, `%2f`,
//! backslashes, absolute paths, NUL); and content types.

use percent_encoding::percent_decode_str;
use std::net::IpAddr;

/// Why a request is refused before any file is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// HTTP/1.1 without a `Host`, with several, or with one that is not `host[:port]` (400).
    BadHost,
    /// A `Host` that is not this preview's own address (403): a page on another name whose DNS
    /// now points at loopback ("DNS rebinding") must not read the preview.
    ForeignHost(String),
    /// Not `GET` or `HEAD` (405, with `Allow: GET, HEAD`).
    Method,
}

/// The names a request may carry as its host, besides the loopback ones: the address or name
/// `serve` was asked to bind, the host of `--base-url`, and (per connection) the local address the
/// client reached.
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    /// Lower-case host names or IP literals (IPv6 without brackets).
    pub names: Vec<String>,
}

impl Hosts {
    /// Accept `names` (a bind address or name, a base URL's host) as well as the loopback names.
    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        let mut names: Vec<String> = names.into_iter().map(|n| normal_host(&n)).filter(|n| !n.is_empty()).collect();
        names.sort();
        names.dedup();
        Hosts { names }
    }

    /// Whether `host` (from `Host` or an absolute request target, port already removed) names
    /// this preview: `localhost` and its subdomains (RFC 6761 §6.3 reserves them for loopback),
    /// a loopback IP literal, the local address `local` the connection reached, or a listed name.
    /// Any port is accepted: a forwarded port (`ssh -L 8080:localhost:4000`) arrives with its own.
    pub fn accepts(&self, host: &str, local: Option<IpAddr>) -> bool {
        let host = normal_host(host);
        if host == "localhost" || host.ends_with(".localhost") {
            return true;
        }
        if let Ok(ip) = host.parse::<IpAddr>()
            && (ip.is_loopback() || Some(ip) == local || ip.to_canonical().is_loopback())
        {
            return true;
        }
        self.names.contains(&host)
    }
}

/// Lower case, no brackets around an IPv6 literal, no trailing dot (`localhost.` is `localhost`).
fn normal_host(h: &str) -> String {
    let h = h.trim().trim_start_matches('[').trim_end_matches(']');
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// Split a `Host` value (`name`, `name:port`, `[v6]`, `[v6]:port`) into its host; `None` when it
/// is malformed (empty, a non-numeric port, an unbracketed IPv6 address, spaces or userinfo).
pub fn host_of(value: &str) -> Option<&str> {
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        inside.parse::<std::net::Ipv6Addr>().ok()?;
        match after {
            "" => (&value[..inside.len() + 2], None),
            p => (&value[..inside.len() + 2], Some(p.strip_prefix(':')?)),
        }
    } else {
        match value.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (value, None),
        }
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = host.starts_with('[')
        || (!host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')));
    (port_ok && host_ok).then_some(host)
}

/// The refusal for a request, if any. `hosts` are the request's `Host` header values (HTTP/1.1
/// requires exactly one, RFC 9112 §3.2), `authority` the host of an absolute request target
/// (`GET http://name/ HTTP/1.1`), which a server uses instead of `Host` (RFC 9112 §3.2.2).
/// The host is checked before the method, so a foreign page learns nothing from either.
pub fn refusal(
    method: &str,
    http11: bool,
    hosts: &[&[u8]],
    authority: Option<&str>,
    accepted: &Hosts,
    local: Option<IpAddr>,
) -> Option<Refusal> {
    let header = match hosts {
        [] if http11 => return Some(Refusal::BadHost),
        [] => None,
        [one] => match std::str::from_utf8(one).ok().and_then(host_of) {
            Some(h) => Some(h),
            None => return Some(Refusal::BadHost),
        },
        _ => return Some(Refusal::BadHost),
    };
    let host = match authority {
        Some(a) => match host_of(a.rsplit_once('@').map_or(a, |(_, h)| h)) {
            Some(h) if !a.contains('@') => Some(h),
            _ => return Some(Refusal::BadHost),
        },
        None => header,
    };
    if let Some(h) = host
        && !accepted.accepts(h, local)
    {
        return Some(Refusal::ForeignHost(h.to_string()));
    }
    if !matches!(method, "GET" | "HEAD") {
        return Some(Refusal::Method);
    }
    None
}

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
    fn hosts_loopback_and_bound_names_only() {
        let hosts = Hosts::new(["docs.lan".to_string(), "[::1]".to_string()]);
        let local: Option<IpAddr> = Some("192.168.1.5".parse().unwrap());
        for yes in
            ["localhost", "LOCALHOST.", "app.localhost", "127.0.0.1", "127.3.4.5", "[::1]", "docs.lan", "192.168.1.5"]
        {
            assert!(hosts.accepts(yes, local), "{yes}");
        }
        for no in ["evil.example", "localhost.evil.example", "evillocalhost", "10.0.0.1", "[::2]", "docs.lan.evil", ""]
        {
            assert!(!hosts.accepts(no, local), "{no}");
        }
    }

    #[test]
    fn host_values_with_and_without_ports() {
        assert_eq!(host_of("localhost:4000"), Some("localhost"));
        assert_eq!(host_of("localhost"), Some("localhost"));
        assert_eq!(host_of("[::1]:80"), Some("[::1]"));
        assert_eq!(host_of("[::1]"), Some("[::1]"));
        for bad in ["", ":80", "a:b", "a:", "::1", "[::1", "[zz]:1", "a b", "u@localhost", "a:123456"] {
            assert_eq!(host_of(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn refusals_host_first_then_method() {
        let hosts = Hosts::default();
        let r = |m: &str, http11: bool, h: &[&[u8]], a: Option<&str>| refusal(m, http11, h, a, &hosts, None);
        assert_eq!(r("GET", true, &[b"localhost:1"], None), None);
        assert_eq!(r("HEAD", true, &[b"127.0.0.1"], None), None);
        assert_eq!(r("GET", true, &[], None), Some(Refusal::BadHost));
        assert_eq!(r("GET", false, &[], None), None, "HTTP/1.0 may omit Host");
        assert_eq!(r("GET", true, &[b"localhost", b"localhost"], None), Some(Refusal::BadHost));
        assert_eq!(r("GET", true, &[b"evil.example"], None), Some(Refusal::ForeignHost("evil.example".into())));
        assert_eq!(r("POST", true, &[b"evil.example"], None), Some(Refusal::ForeignHost("evil.example".into())));
        assert_eq!(
            r("GET", true, &[b"localhost"], Some("evil.example:80")),
            Some(Refusal::ForeignHost("evil.example".into())),
            "an absolute target's authority wins over Host"
        );
        assert_eq!(r("GET", true, &[b"localhost"], Some("user@localhost")), Some(Refusal::BadHost));
        for m in ["POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH", "BREW"] {
            assert_eq!(r(m, true, &[b"localhost"], None), Some(Refusal::Method), "{m}");
        }
    }

    #[test]
    fn types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
    }
}
