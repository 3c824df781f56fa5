//! `semdoc serve`: the real binary on a free port, driven over HTTP while the site changes.

use crate::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Kills the server when the test ends, however it ends.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Site) -> Server {
    start_with(site, &[])
}

/// `semdoc serve` on a free port with extra flags; returns once it printed its URL.
fn start_with(site: &Site, flags: &[&str]) -> Server {
    start_logged(site, flags, Stdio::null())
}

/// `start_with`, the server's stderr going to `stderr`.
fn start_logged(site: &Site, flags: &[&str], stderr: Stdio) -> Server {
    start_env(site, flags, stderr, &[])
}

/// `start_logged` with extra environment variables.
fn start_env(site: &Site, flags: &[&str], stderr: Stdio, env: &[(&str, &str)]) -> Server {
    let mut child = site
        .command(&["serve", "--port", "0"])
        .envs(env.iter().copied())
        .args(flags)
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start semdoc serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    Server { child, base }
}

/// A plain HTTP/1.1 GET: (status, body). `path` is sent as is (no normalisation).
fn get(base: &str, path: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // A refused connection (503 when busy) may be closed before the request is written, or reset:
    // what arrived is the answer (or status 0).
    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// Poll until `pred` holds for the page, or fail after 15 s.
fn wait_for(base: &str, path: &str, what: &str, pred: impl Fn(u16, &str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (st, body) = get(base, path);
        if pred(st, &body) {
            return body;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "timed out waiting for {what} at {path}: status {st}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

const POST_A: &str = "---\ntitle: Alpha\ndate: 2024-01-02\n---\nfirst version\n";
const POST_B: &str = "---\ntitle: Beta\ndate: 2024-01-01\n---\nbeta body\n";

#[test]
fn serves_pages_and_rebuilds_on_edits() {
    let site = Site::new(&[("content/posts/a.md", POST_A), ("content/posts/b.md", POST_B)]);
    let srv = start(&site);
    let (st, body) = get(&srv.base, "/posts/a/");
    assert_eq!(st, 200);
    assert!(body.contains("first version") && body.contains("/__semdoc/live.js"), "live reload client injected");
    assert_eq!(get(&srv.base, "/posts/a").0, 301, "directory URL redirects to the slash form");
    assert!(!site.exists("public"), "serve never writes public/");

    // The search index is made on its first request after each change, and follows edits.
    let (st, index) = get(&srv.base, "/search/index.json");
    assert!(st == 200 && index.contains("Alpha") && index.contains("first"), "{st}: {index}");

    site.write("content/posts/a.md", &POST_A.replace("first version", "second version"));
    wait_for(&srv.base, "/posts/a/", "the edit", |_, b| b.contains("second version"));
    let index = wait_for(&srv.base, "/search/index.json", "the index", |st, b| st == 200 && b.contains("second"));
    assert!(index.contains("Beta"), "the other pages stay in the index: {index}");

    // A template edit reaches every page that uses it.
    site.write(
        "templates/post.html",
        "<html><body><p class=\"custom\">{{ page.title }}</p>{{ page.content | safe }}</body></html>",
    );
    wait_for(&srv.base, "/posts/a/", "the template", |_, b| b.contains("<p class=\"custom\">Alpha</p>"));
    wait_for(&srv.base, "/posts/b/", "the template", |_, b| b.contains("<p class=\"custom\">Beta</p>"));
    // `templates/` did not exist when serve started; its later edits are seen too.
    site.write(
        "templates/post.html",
        "<html><body><p class=\"again\">{{ page.title }}</p>{{ page.content | safe }}</body></html>",
    );
    wait_for(&srv.base, "/posts/a/", "the second template edit", |_, b| b.contains("<p class=\"again\">Alpha</p>"));

    // A broken edit: the last good page stays served and the error is reported for the overlay.
    site.write("content/posts/a.md", "---\ntitle: [broken\n---\nthird version\n");
    let status = wait_for(&srv.base, "/__semdoc/status", "the error", |_, b| b.contains("content/posts/a.md:2"));
    assert!(status.contains("error[yaml]"), "{status}");
    assert!(get(&srv.base, "/posts/a/").1.contains("second version"), "last good content stays served");
    site.write("content/posts/a.md", &POST_A.replace("first version", "fixed version"));
    wait_for(&srv.base, "/posts/a/", "the fix", |_, b| b.contains("fixed version"));
    assert_eq!(get(&srv.base, "/__semdoc/status").1, "{\"errors\":[]}", "the overlay clears");

    // Deleting a post removes its page and its link on the home page.
    assert!(get(&srv.base, "/").1.contains("/posts/b/"));
    std::fs::remove_file(site.root().join("content/posts/b.md")).unwrap();
    wait_for(&srv.base, "/posts/b/", "the deletion", |st, _| st == 404);
    assert!(!get(&srv.base, "/").1.contains("/posts/b/"));
}

/// The terminal shows a failed rebuild's diagnostics as `build` prints them, not only a count
/// (issue #21), with "1 error" in the singular.
#[test]
fn a_failed_rebuild_prints_its_diagnostics() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("stderr.log");
    let srv = start_logged(&site, &[], Stdio::from(std::fs::File::create(&log).unwrap()));
    site.write("content/posts/a.md", "---\ntitle: [broken\n---\nthird version\n");
    wait_for(&srv.base, "/__semdoc/status", "the error", |_, b| b.contains("content/posts/a.md:2"));
    let start = Instant::now();
    let text = loop {
        let text = std::fs::read_to_string(&log).unwrap();
        if text.contains("rebuild failed") || start.elapsed() > Duration::from_secs(15) {
            break text;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(text.contains("content/posts/a.md:2:"), "the diagnostic with its location: {text}");
    assert!(text.contains("error[yaml]") && text.contains("hint:"), "as build prints it: {text}");
    assert!(text.contains("rebuild failed: 1 error ("), "singular: {text}");
}

/// `serve --output DIR` writes each good build to DIR (without the live-reload script, nothing
/// from a failed rebuild); `--base-url` is the URL the pages are built with; `--interface` is
/// `--bind`'s other name (Zola's), and a non-loopback address warns.
#[test]
fn serve_writes_its_builds_with_output_and_takes_a_base_url() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("stderr.log");
    let srv = start_logged(
        &site,
        &["--output", "preview", "--base-url", "https://proxy.example/docs", "--interface", "127.0.0.1"],
        Stdio::from(std::fs::File::create(&log).unwrap()),
    );
    let page = wait_for(&srv.base, "/posts/a/", "the page", |st, _| st == 200);
    assert!(page.contains("https://proxy.example/docs/posts/a/"), "built with the given base URL");
    let start = Instant::now();
    while !site.exists("preview/posts/a/index.html") {
        assert!(start.elapsed() < Duration::from_secs(15), "serve --output never wrote the page");
        std::thread::sleep(Duration::from_millis(50));
    }
    let written = site.read("preview/posts/a/index.html");
    assert!(written.contains("first version") && !written.contains("/__semdoc/live.js"), "written as build writes it");
    assert!(site.exists("preview/search/index.json"), "deferred files are made for the disk too");
    site.write("content/posts/a.md", &POST_A.replace("first version", "second version"));
    wait_for(&srv.base, "/posts/a/", "the edit", |_, b| b.contains("second version"));
    let start = Instant::now();
    while !site.read("preview/posts/a/index.html").contains("second version") {
        assert!(start.elapsed() < Duration::from_secs(15), "the rebuild was not written");
        std::thread::sleep(Duration::from_millis(50));
    }
    site.write("content/posts/a.md", "---\ntitle: [broken\n---\nthird version\n");
    wait_for(&srv.base, "/__semdoc/status", "the error", |_, b| b.contains("content/posts/a.md:2"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(site.read("preview/posts/a/index.html").contains("second version"), "a failed rebuild writes nothing");
    assert!(!site.exists("public"), "only the asked directory is written");
    drop(srv);
    let out = site.semdoc(&["serve", "--output", "content/out", "--port", "0"]);
    assert_eq!(out.status.code(), Some(2), "an output inside content/ is refused: {}", stderr(&out));
    assert!(stderr(&out).contains("inside `content/`"), "{}", stderr(&out));
}

#[test]
fn traversal_attempts_are_refused_in_every_encoding() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let srv = start(&site);
    for p in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/posts%2f..%2f..%2fetc%2fpasswd",
        "/..%5c..%5cetc/passwd",
        "/posts/..\\..\\etc",
        "//etc/passwd",
        "/%00",
    ] {
        let (st, body) = get(&srv.base, p);
        assert!(st == 403 || st == 404 || st == 400, "{p}: {st}");
        assert!(!body.contains("root:"), "{p}");
    }
    let (st, body) = get(&srv.base, "/no/such/page/");
    assert_eq!(st, 404);
    assert!(body.contains("페이지를 찾을 수 없습니다"), "the site's 404.html");
}

/// Read server-sent events until one carries `want` (or fail after 15 s).
fn wait_event(events: &mut BufReader<TcpStream>, want: &str) {
    let start = Instant::now();
    let mut line = String::new();
    loop {
        line.clear();
        match events.read_line(&mut line) {
            Ok(0) => panic!("event stream closed"),
            Ok(_) if line.trim() == format!("data: {want}") => return,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(e) => panic!("{e}"),
        }
        assert!(start.elapsed() < Duration::from_secs(15), "no `{want}` event");
    }
}

#[test]
fn stylesheet_edits_swap_styles_and_other_edits_reload() {
    let site = Site::new(&[("content/posts/a.md", POST_A), ("static/css/extra.css", "p { color: red }")]);
    let srv = start(&site);
    let addr = srv.base.trim_start_matches("http://").to_string();
    let mut s = TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    write!(s, "GET /__semdoc/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut events = BufReader::new(s);
    std::thread::sleep(Duration::from_millis(300));
    site.write("static/css/extra.css", "p { color: blue }");
    wait_event(&mut events, "css");
    assert!(get(&srv.base, "/css/extra.css").1.contains("blue"));
    site.write("content/posts/a.md", &POST_A.replace("first version", "css test"));
    wait_event(&mut events, "reload");
}

#[test]
fn debounce_is_a_positive_number_of_milliseconds() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let out = site.semdoc(&["serve", "--port", "0", "--debounce", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--debounce"), "{}", stderr(&out));
    // A valid value starts the server as usual.
    let srv = start_with(&site, &["--debounce", "5"]);
    assert_eq!(get(&srv.base, "/posts/a/").0, 200);
}

/// A Jekyll site is watched where its files are: `_posts/`, `_tabs/`, top-level pages, and folders
/// created while serving.
#[test]
fn serves_a_jekyll_site_and_watches_its_folders() {
    let site = Site::new(&[
        (
            "_config.yml",
            "title: J\nurl: https://example.com\ncollections:\n  tabs:\n    output: true\n    permalink: /:title/\n",
        ),
        ("_posts/2024-01-02-a.md", "---\ntitle: A\n---\nfirst version\n"),
        ("about.md", "---\ntitle: About\npermalink: /about/\n---\nabout one\n"),
    ]);
    std::fs::remove_file(site.root().join("site.yaml")).unwrap();
    let server = start(&site);
    wait_for(&server.base, "/2024/01/02/a.html", "the post", |st, b| st == 200 && b.contains("first version"));
    site.write("_posts/2024-01-02-a.md", "---\ntitle: A\n---\nsecond version\n");
    wait_for(&server.base, "/2024/01/02/a.html", "the edit", |_, b| b.contains("second version"));
    site.write("about.md", "---\ntitle: About\npermalink: /about/\n---\nabout two\n");
    wait_for(&server.base, "/about/", "a top-level page's edit", |_, b| b.contains("about two"));
    site.write("_tabs/links.md", "---\ntitle: Links\norder: 1\n---\nlinks tab\n");
    wait_for(&server.base, "/links/", "a tab in a new folder", |st, b| st == 200 && b.contains("links tab"));
    site.write("_tabs/links.md", "---\ntitle: Links\norder: 1\n---\nlinks tab edited\n");
    wait_for(&server.base, "/links/", "an edit in the new folder", |_, b| b.contains("links tab edited"));
}

/// An included file outside the site's folders (`include=../…`) is watched: editing it rebuilds
/// the page that includes it.
#[test]
fn an_edit_to_an_included_file_outside_the_site_rebuilds_its_page() {
    let site = Site::new(&[(
        "content/posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\n\n```properties semdoc include=../../../svc/p.properties role=producer\n```\n",
    )]);
    let svc = site.sandbox().path().join("svc");
    std::fs::create_dir_all(&svc).unwrap();
    std::fs::write(svc.join("p.properties"), "acks=all\nlinger.ms=11\n").unwrap();
    let srv = start(&site);
    wait_for(&srv.base, "/posts/a/", "the first build", |st, b| st == 200 && b.contains("11"));
    std::fs::write(svc.join("p.properties"), "acks=all\nlinger.ms=4242\n").unwrap();
    wait_for(&srv.base, "/posts/a/", "the included file's edit", |_, b| b.contains("4242"));
}

/// One raw request (sent as written, `Connection: close` up to the caller): (status, head, body).
fn raw(base: &str, request: &str) -> (u16, String, String) {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(request.replace("{addr}", addr).as_bytes());
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").map(|(h, b)| (h.to_string(), b.to_string())).unwrap_or_default();
    (status, head, body)
}

/// A page of another name whose DNS points at loopback (DNS rebinding) must read nothing: pages,
/// the search index and the event stream answer only loopback names and the served address.
#[test]
fn only_loopback_and_the_served_address_are_answered() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let srv = start(&site);
    let port = srv.base.rsplit(':').next().unwrap().to_string();
    for path in ["/", "/posts/a/", "/search/index.json", "/__semdoc/events", "/__semdoc/status", "/nope"] {
        for host in ["evil.example", "evil.example:80", "localhost.evil.example", "10.1.2.3"] {
            let (st, _, body) =
                raw(&srv.base, &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
            assert!(st == 403 || st == 421, "{host} {path}: {st}");
            assert!(!body.contains("first version") && !body.contains("Alpha"), "{host} {path}: {body}");
            assert!(body.len() < 300 && body.contains("forbidden"), "a short text: {body}");
        }
        // An absolute request target names the host instead of `Host`.
        let (st, _, body) = raw(
            &srv.base,
            &format!("GET http://evil.example{path} HTTP/1.1\r\nHost: {{addr}}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(st, 403, "absolute target {path}: {body}");
    }
    let (st, _, body) = raw(&srv.base, "GET /posts/a/ HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(st, 400, "HTTP/1.1 without Host: {body}");
    assert!(!body.contains("first version"));
    let (st, _, _) =
        raw(&srv.base, "GET /posts/a/ HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(st, 400, "two Hosts");
    let with_port = format!("localhost:{port}");
    let ip_port = format!("127.0.0.1:{port}");
    for host in [
        "localhost",
        with_port.as_str(),
        "127.0.0.1",
        ip_port.as_str(),
        "[::1]",
        "[::1]:1",
        "docs.localhost",
        "LOCALHOST.",
    ] {
        let (st, _, body) =
            raw(&srv.base, &format!("GET /posts/a/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        assert_eq!(st, 200, "{host}");
        assert!(body.contains("first version"), "{host}");
    }
    let (st, _, body) =
        raw(&srv.base, "GET http://localhost/posts/a/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    assert!(st == 200 && body.contains("first version"), "an absolute target naming loopback: {st}");
}

/// GET and HEAD are served; every other method is 405 with `Allow: GET, HEAD`, never the page.
#[test]
fn only_get_and_head_are_served() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let srv = start(&site);
    for method in ["POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH", "PROPFIND", "BREW"] {
        for path in ["/posts/a/", "/search/index.json", "/__semdoc/events"] {
            let (st, head, body) = raw(
                &srv.base,
                &format!(
                    "{method} {path} HTTP/1.1\r\nHost: {{addr}}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"
                ),
            );
            assert_eq!(st, 405, "{method} {path}: {head}");
            assert!(head.to_ascii_lowercase().contains("\r\nallow: get, head"), "{method} {path}: {head}");
            assert!(!body.contains("first version") && !body.contains("Alpha"), "{method} {path}: {body}");
        }
    }
    let (st, _, body) = raw(&srv.base, "OPTIONS * HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    assert_eq!(st, 405, "{body}");
    let (st, head, body) = raw(&srv.base, "HEAD /posts/a/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    assert_eq!(st, 200, "{head}");
    assert!(head.contains("text/html") && body.is_empty(), "HEAD: the headers only: {head} {body}");
    assert_eq!(get(&srv.base, "/posts/a/").0, 200);
}

/// Half-sent requests (headers never finished, or nothing sent at all) are closed once the header
/// timeout passes, and meanwhile a normal request is answered. (The timeout is lowered through its
/// documented override; nothing here asserts a duration: the 20 s read limit only ends a test that
/// would otherwise hang.)
#[test]
fn unfinished_headers_are_closed_and_normal_requests_still_answered() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let srv = start_env(&site, &[], Stdio::null(), &[("SEMDOC_SERVE_HEADER_TIMEOUT_MS", "500")]);
    let addr = srv.base.trim_start_matches("http://").to_string();
    let slow: Vec<TcpStream> = (0..500)
        .map(|i| {
            let mut s = TcpStream::connect(&addr).unwrap();
            if i % 2 == 0 {
                write!(s, "GET /posts/a/ HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").unwrap();
            }
            s
        })
        .collect();
    let (st, body) = get(&srv.base, "/posts/a/");
    assert!(st == 200 && body.contains("first version"), "a normal request under 500 unfinished ones: {st}");
    for (i, mut s) in slow.into_iter().enumerate() {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut buf = Vec::new();
        match s.read_to_end(&mut buf) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("unfinished connection {i} was never closed: {e}"),
        }
        assert!(!String::from_utf8_lossy(&buf).contains("first version"), "{i}: no page for half a request");
    }
    assert_eq!(get(&srv.base, "/posts/a/").0, 200, "still serving");
}

/// Connections beyond the cap are answered 503 (or closed) at once instead of piling up; once the
/// held ones time out, requests are served again.
#[test]
fn connections_beyond_the_cap_are_refused_not_queued() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let srv = start_env(
        &site,
        &[],
        Stdio::null(),
        &[("SEMDOC_SERVE_MAX_CONNECTIONS", "8"), ("SEMDOC_SERVE_HEADER_TIMEOUT_MS", "3000")],
    );
    let addr = srv.base.trim_start_matches("http://").to_string();
    let held: Vec<TcpStream> = (0..8).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    let (st, head, _) = raw(&srv.base, "GET /posts/a/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    assert!(st == 503 || st == 0, "the ninth connection: {st} {head}");
    wait_for(&srv.base, "/posts/a/", "a free slot after the timeout", |st, _| st == 200);
    drop(held);
    let bad = site.command(&["serve", "--port", "0"]).env("SEMDOC_SERVE_MAX_CONNECTIONS", "lots").output().unwrap();
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("SEMDOC_SERVE_MAX_CONNECTIONS"), "{}", stderr(&bad));
}

/// Every encoding of a way out of the site, and absolute request targets: a file beside the site
/// is never readable.
#[test]
fn a_file_outside_the_site_is_never_readable() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let marker = "OUTSIDE-THE-SITE-4d1c";
    std::fs::write(site.sandbox().path().join("secret.txt"), marker).unwrap();
    std::fs::write(site.root().join("secret.txt"), marker).unwrap();
    let srv = start(&site);
    let targets = [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/posts/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/%00/../secret.txt",
        "/secret.txt%00.html",
        "/%c0%ae%c0%ae/secret.txt",
        "/secret.txt",
        "//secret.txt",
        "http://{addr}/../secret.txt",
        "http://{addr}/%2e%2e/secret.txt",
        "http://localhost/secret.txt",
        "http://evil.example/../secret.txt",
        "file:///etc/passwd",
        "/../../../../../../etc/passwd",
    ];
    for t in targets {
        let (st, _, body) = raw(&srv.base, &format!("GET {t} HTTP/1.1\r\nHost: {{addr}}\r\nConnection: close\r\n\r\n"));
        assert!(matches!(st, 400 | 403 | 404), "{t}: {st}");
        assert!(!body.contains(marker) && !body.contains("root:"), "{t}: {body}");
    }
    // An absolute target naming another host is refused even for a page of the site.
    let (st, _, body) =
        raw(&srv.base, "GET http://evil.example/posts/a/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    assert_eq!(st, 403, "{body}");
}

/// Wait until the log file holds `want` (or fail after 15 s).
fn wait_log(log: &std::path::Path, want: &str) -> String {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains(want) {
            return text;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "no `{want}` in the log: {text}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `content/` moved away and back, or deleted and copied back, while serving: later edits show,
/// and the terminal says once that the folder is watched again.
#[test]
fn edits_show_after_content_is_replaced() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("stderr.log");
    let srv = start_logged(&site, &[], Stdio::from(std::fs::File::create(&log).unwrap()));
    wait_for(&srv.base, "/posts/a/", "the first build", |st, b| st == 200 && b.contains("first version"));
    let (root, content) = (site.root(), site.root().join("content"));
    std::fs::rename(&content, root.join("c2")).unwrap();
    std::fs::rename(root.join("c2"), &content).unwrap();
    wait_log(&log, "content/ was replaced");
    site.write("content/posts/a.md", &POST_A.replace("first version", "after the move"));
    wait_for(&srv.base, "/posts/a/", "an edit after mv content c2 && mv c2 content", |_, b| {
        b.contains("after the move")
    });

    let backup = site.sandbox().path().join("backup");
    copy_tree(&content, &backup);
    std::fs::write(backup.join("posts/a.md"), POST_A.replace("first version", "from the backup")).unwrap();
    std::fs::remove_dir_all(&content).unwrap();
    copy_tree(&backup, &content);
    wait_for(&srv.base, "/posts/a/", "the copied-back content", |_, b| b.contains("from the backup"));
    site.write("content/posts/a.md", &POST_A.replace("first version", "edited after the copy"));
    wait_for(&srv.base, "/posts/a/", "an edit after rm -rf content && cp", |_, b| b.contains("edited after the copy"));
}

/// `serve --poll` sees an edit of an existing file in place, also one of the same size within the
/// same second (the poller's times are whole seconds; contents are compared).
#[test]
fn poll_sees_in_place_edits_of_existing_files() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    let srv = start_with(&site, &["--poll"]);
    wait_for(&srv.base, "/posts/a/", "the first build", |st, b| st == 200 && b.contains("first version"));
    site.write("content/posts/a.md", &POST_A.replace("first version", "third version"));
    wait_for(&srv.base, "/posts/a/", "a same-size edit", |_, b| b.contains("third version"));
    site.write("content/posts/a.md", &POST_A.replace("first version", "fifth version"));
    wait_for(&srv.base, "/posts/a/", "another same-size edit", |_, b| b.contains("fifth version"));
}

/// A pipe whose reader is already gone (`semdoc serve | head -1` after head exited).
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

/// `serve` with standard output (and then standard error too) a closed pipe keeps serving and
/// never panics.
#[test]
fn serve_into_a_closed_pipe_keeps_serving() {
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    for both in [false, true] {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log_dir = tempfile::tempdir().unwrap();
        let log = log_dir.path().join("stderr.log");
        let stderr_to: Stdio = if both { closed_pipe().into() } else { std::fs::File::create(&log).unwrap().into() };
        let child = site
            .command(&["serve", "--port", &port.to_string()])
            .stdout(closed_pipe())
            .stderr(stderr_to)
            .spawn()
            .unwrap();
        let mut srv = Server { child, base: String::new() };
        // The port may have been taken meanwhile: serve tries the next ones.
        let start = Instant::now();
        let base = 'found: loop {
            for p in port..port.saturating_add(20) {
                let base = format!("http://127.0.0.1:{p}");
                if TcpStream::connect(base.trim_start_matches("http://")).is_ok() && get(&base, "/posts/a/").0 == 200 {
                    break 'found base;
                }
            }
            let exited = srv.child.try_wait().unwrap();
            assert!(
                exited.is_none(),
                "serve exited ({exited:?}): {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            assert!(start.elapsed() < Duration::from_secs(20), "serve never answered");
            std::thread::sleep(Duration::from_millis(100));
        };
        srv.base = base;
        site.write(
            "content/posts/a.md",
            &POST_A.replace("first version", if both { "both closed" } else { "out closed" }),
        );
        wait_for(&srv.base, "/posts/a/", "a rebuild", |_, b| {
            b.contains(if both { "both closed" } else { "out closed" })
        });
        assert!(srv.child.try_wait().unwrap().is_none(), "still running");
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(!text.contains("panicked") && !text.contains("Broken pipe"), "{text}");
        if !both {
            assert!(text.contains("semdoc: built in"), "stderr still works: {text}");
        }
    }
}

/// Everything at once: idle and half-sent connections held open, foreign Hosts, traversal
/// attempts, and four clients requesting pages while a post is rewritten twenty times. Every
/// normal request is answered 200 with a whole page (the old or the new text, never an error),
/// no attacking request reads a page or a file outside the site, and the last edit shows.
#[test]
fn under_attack_and_load_while_files_change_service_continues_and_nothing_leaks() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let site = Site::new(&[("content/posts/a.md", POST_A)]);
    std::fs::write(site.sandbox().path().join("secret.txt"), "SECRET-BESIDE-THE-SITE").unwrap();
    let srv = start_env(&site, &[], Stdio::null(), &[("SEMDOC_SERVE_HEADER_TIMEOUT_MS", "2000")]);
    wait_for(&srv.base, "/posts/a/", "the first build", |st, b| st == 200 && b.contains("first version"));
    let addr = srv.base.trim_start_matches("http://").to_string();
    let held: Vec<TcpStream> = (0..100)
        .map(|i| {
            let mut s = TcpStream::connect(&addr).unwrap();
            if i % 2 == 0 {
                write!(s, "GET /posts/a/ HTTP/1.1\r\nHost: {addr}\r\n").unwrap();
            }
            s
        })
        .collect();
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (base, stop) = (srv.base.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut answered = 0;
                while !stop.load(Ordering::Relaxed) {
                    let path = ["/posts/a/", "/", "/search/index.json", "/atom.xml"][(answered + c) % 4];
                    let (st, body) = get(&base, path);
                    assert_eq!(st, 200, "client {c}: {path} during edits");
                    if path == "/posts/a/" {
                        assert!(body.contains("</html>"), "client {c}: a whole page");
                    }
                    answered += 1;
                }
                answered
            })
        })
        .collect();
    let attacks = [
        "GET /posts/a/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
        "GET /search/index.json HTTP/1.1\r\nHost: rebind.example:80\r\nConnection: close\r\n\r\n",
        "GET /%2e%2e/secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /..%2f..%2fsecret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /%252e%252e/secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "POST /posts/a/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    ];
    for n in 0..20 {
        site.write("content/posts/a.md", &POST_A.replace("first version", &format!("edit number {n}")));
        for req in attacks {
            let (st, _, body) = raw(&srv.base, req);
            assert!(st >= 400, "{req:?} got {st}");
            assert!(!body.contains("SECRET-BESIDE") && !body.contains("edit number"), "{req:?} leaked:\n{body}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    wait_for(&srv.base, "/posts/a/", "the last edit", |st, b| st == 200 && b.contains("edit number 19"));
    stop.store(true, Ordering::Relaxed);
    let answered: usize = clients.into_iter().map(|t| t.join().expect("a client saw a failure")).sum();
    assert!(answered >= 4, "the clients were answered ({answered} requests)");
    drop(held);
    assert_eq!(get(&srv.base, "/posts/a/").0, 200, "still serving");
}
