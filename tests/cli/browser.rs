//! A real browser: headless Chromium (Debian's `chromium` + `chromium-driver`) driven over the W3C
//! WebDriver protocol shows that an open page reloads by itself after an edit. The client is the
//! five WebDriver endpoints this test needs, spoken over a plain TCP connection.
//!
//! Without the two programs on `PATH` each test says so in one line and passes (`cargo test` on a
//! machine with only Rust); with `SEMDOC_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs
//! them) a missing program fails the test instead.

use crate::*;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wd(port: u16, method: &str, path: &str, body: Option<Value>) -> Value {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // Read the head, then exactly Content-Length bytes (chromedriver keeps connections open).
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut byte).unwrap();
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("content-length");
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("bad WebDriver reply {head:?}: {e}"))
}

#[test]
fn an_open_page_reloads_itself_after_an_edit() {
    let site = Site::new(&[("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nbefore the edit\n")]);
    let Some(b) = Browser::start("an_open_page_reloads_itself_after_an_edit", site.root()) else { return };
    b.open("/posts/a/");
    assert_eq!(b.run("return document.body.innerText.includes('before the edit')"), json!(true));
    // Wait until the page's event stream is open, then mark this page load.
    b.wait_for("return window.__semdocLive === true", json!(true), "the live-reload stream opens");
    b.run("window.__marker = 1; return 1");
    site.write("content/posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nafter the edit\n");
    b.wait_for(
        "return [typeof window.__marker === 'undefined', document.body.innerText.includes('after the edit')]",
        json!([true, true]),
        "the page reloads by itself with the new text",
    );
}

fn which(cmd: &str) -> Option<String> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| format!("{d}/{cmd}"))
        .find(|p| std::path::Path::new(p).is_file())
}

/// What the browser tests need and how to get it.
const NEEDS: &str = "needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)";

/// Whether the browser tests must run (`SEMDOC_REQUIRE_BROWSER` set to anything but empty or `0`).
fn browser_required() -> bool {
    std::env::var_os("SEMDOC_REQUIRE_BROWSER").is_some_and(|v| !v.is_empty() && v != "0")
}

/// `chromium` and `chromedriver` from `PATH`; when either is missing, `None` after one line on
/// standard error, or a failure when the browser is required. (The line is written to the
/// process's stderr itself: the test harness would swallow an `eprintln!` of a passing test.)
fn tools(test: &str) -> Option<(String, String)> {
    let (chromium, driver) = (which("chromium"), which("chromedriver"));
    if let (Some(c), Some(d)) = (&chromium, &driver) {
        return Some((c.clone(), d.clone()));
    }
    let missing: Vec<&str> = [("chromium", &chromium), ("chromedriver", &driver)]
        .into_iter()
        .filter(|(_, p)| p.is_none())
        .map(|(n, _)| n)
        .collect();
    let why = format!("{NEEDS}; not on PATH: {}", missing.join(", "));
    if browser_required() {
        panic!("{test} {why} (SEMDOC_REQUIRE_BROWSER is set, so this is a failure, not a skip)");
    }
    let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
    None
}

/// A running `semdoc serve` plus a chromedriver session on it.
struct Browser {
    _server: Kill,
    _driver: Kill,
    _profile: tempfile::TempDir,
    port: u16,
    id: String,
    base: String,
    /// Last, so that it is removed after the server has stopped.
    _sandbox: Sandbox,
}

impl Browser {
    /// `None` when the tools are missing and the test is skipped (see `tools`).
    fn start(test: &str, root: &std::path::Path) -> Option<Browser> {
        let (chromium, driver) = tools(test)?;
        let sandbox = Sandbox::new();
        let mut server = sandbox
            .command(&["serve", "--port", "0", "--root"], root)
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut line).unwrap();
        let server = Kill(server);
        let base =
            line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().trim_end_matches('/').to_string();
        let port = free_port();
        let driver = Kill(
            Command::new(driver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--user-data-dir={}", profile.path().display())]}}}});
        let session = wd(port, "POST", "/session", Some(caps));
        let id = session["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {session}")).to_string();
        Some(Browser { _sandbox: sandbox, _server: server, _driver: driver, _profile: profile, port, id, base })
    }
    fn open(&self, path: &str) {
        wd(
            self.port,
            "POST",
            &format!("/session/{}/url", self.id),
            Some(json!({"url": format!("{}{path}", self.base)})),
        );
    }
    fn resize(&self, width: u32, height: u32) {
        wd(
            self.port,
            "POST",
            &format!("/session/{}/window/rect", self.id),
            Some(json!({"width": width, "height": height})),
        );
    }
    fn run(&self, script: &str) -> Value {
        wd(
            self.port,
            "POST",
            &format!("/session/{}/execute/sync", self.id),
            Some(json!({"script": script, "args": []})),
        )["value"]
            .clone()
    }
    /// Poll a script until it returns `want`, or fail after 15 s.
    fn wait_for(&self, script: &str, want: Value, what: &str) {
        let t = Instant::now();
        loop {
            let v = self.run(script);
            if v == want {
                return;
            }
            assert!(t.elapsed() < Duration::from_secs(15), "{what}: got {v}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        wd(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}

#[test]
fn korean_search_finds_the_article_by_particle_words_and_config_keys() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(b) = Browser::start("korean_search_finds_the_article_by_particle_words_and_config_keys", repo) else {
        return;
    };
    let count = "return document.getElementById('search-results').getAttribute('data-count')";
    let found = "return Array.from(document.querySelectorAll('#search-results a')).some(a => a.textContent.includes('메세지 전달 보장 수준 설정하기'))";
    for q in ["%EB%A9%B1%EB%93%B1%EC%84%B1%EC%9D%84", "enable.idempotence"] {
        b.open(&format!("/search/?q={q}"));
        b.wait_for(found, json!(true), q);
        assert_eq!(
            b.run("return document.querySelectorAll('#search-results mark').length > 0"),
            json!(true),
            "{q}: hit highlighted"
        );
    }
    b.open("/search/?q=zqxjvkw");
    b.wait_for(count, json!("0"), "a nonsense query lists nothing");
    // Korean queries as people type them (issue #21): a lone syllable is a prefix; a particle form
    // also finds pages with only the stem, after the pages with the word as typed; excerpts carry
    // no heading-anchor `#`.
    let titles = "return Array.from(document.querySelectorAll('#search-results a')).map(a => a.textContent)";
    let article = "메세지 전달 보장 수준 설정하기";
    // (query, the result that must rank first, results that must also be listed)
    for (q, first, also) in
        [("설", None, vec![article]), ("설정을", Some(article), vec!["검사 방식"]), ("멱등성을", None, vec![article])]
    {
        b.open(&format!("/search/?q={}", percent(q)));
        b.wait_for(found, json!(true), q);
        let got: Vec<String> = serde_json::from_value(b.run(titles)).unwrap();
        for e in &also {
            assert!(got.iter().any(|t| t.contains(e)), "{q}: expected a result titled {e}: {got:?}");
        }
        if let Some(first) = first {
            assert!(got[0].contains(first), "{q}: {first}, the only page with the word as typed, ranks first: {got:?}");
        }
        let excerpts = b.run(
            "return Array.from(document.querySelectorAll('#search-results p')).map(p => p.textContent).join('\\n')",
        );
        assert!(!excerpts.as_str().unwrap_or_default().contains(" # "), "{q}: anchor glyph in an excerpt: {excerpts}");
    }
}

/// Percent-encodes a query for a URL (UTF-8 bytes).
fn percent(q: &str) -> String {
    q.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[test]
fn the_article_fits_a_phone_and_a_desktop_in_light_and_dark_without_external_requests() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(b) =
        Browser::start("the_article_fits_a_phone_and_a_desktop_in_light_and_dark_without_external_requests", repo)
    else {
        return;
    };
    for (w, h) in [(390, 844), (1280, 900)] {
        b.resize(w, h);
        for theme in ["light", "dark"] {
            b.open(&format!("/posts/kafka-delivery-semantics/?theme={theme}"));
            b.wait_for("return document.readyState", json!("complete"), "page load");
            let v = b.run(
                "const de = document.documentElement;
                 const bg = getComputedStyle(document.body).backgroundColor;
                 const foreign = performance.getEntriesByType('resource').filter(r => new URL(r.name).origin !== location.origin).length;
                 return [de.dataset.theme || '', de.scrollWidth <= window.innerWidth, bg, foreign,
                         document.querySelectorAll('svg.sd-seq').length > 0, document.querySelectorAll('tr[data-claim-status]').length];",
            );
            assert_eq!(v[0], json!(theme), "{w}px {theme}: theme applied");
            assert_eq!(v[1], json!(true), "{w}px {theme}: the page scrolls sideways (something overflows)");
            let dark_bg = v[2] == json!("rgb(13, 17, 23)");
            assert_eq!(dark_bg, theme == "dark", "{w}px {theme}: background {}", v[2]);
            assert_eq!(v[3], json!(0), "{w}px {theme}: no request leaves the site (no CDN, no web fonts)");
            assert_eq!(v[4], json!(true), "diagrams present");
            assert_eq!(v[5], json!(6), "all six table rows carry a claim status");
        }
    }
}

#[test]
fn the_playground_answers_from_the_url_and_follows_edits() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(b) = Browser::start("the_playground_answers_from_the_url_and_follows_edits", repo) else { return };
    let verdict = "return document.getElementById('pg-result').getAttribute('data-verdict')";
    b.open("/playground/?kafka=2.8&config=acks%3D0%0Aretries%3D0");
    b.wait_for(verdict, json!("at-most-once"), "acks=0, retries=0 on 2.8");
    assert_eq!(
        b.run("return document.querySelector('#pg-result .badge').getAttribute('data-verdict')"),
        json!("at-most-once")
    );
    b.resize(390, 844);
    b.open("/playground/?kafka=2.8&config=acks%3Dall");
    b.wait_for(verdict, json!("at-least-once"), "acks=all on 2.8");
    // The counterexample for "no duplicates" is drawn from the precomputed fragment.
    b.wait_for("return document.querySelectorAll('#pg-result svg.sd-seq').length > 0", json!(true), "diagram");
    assert_eq!(
        b.run("return document.documentElement.scrollWidth <= window.innerWidth"),
        json!(true),
        "the playground with a diagram fits a phone"
    );
    b.run(
        "const t = document.getElementById('pg-config');
         t.value = 'acks=all\\nenable.idempotence=true\\ntransactional.id=orders-tx';
         t.dispatchEvent(new Event('input', {bubbles: true})); return 0;",
    );
    b.wait_for(verdict, json!("exactly-once"), "the edit changes the verdict");
    assert_eq!(
        b.run("return new URLSearchParams(location.search).get('config')"),
        json!("acks=all\nenable.idempotence=true\ntransactional.id=orders-tx"),
        "the URL follows the edit"
    );
    assert_eq!(b.run("return new URLSearchParams(location.search).get('kafka')"), json!("2.8"));
    // A setting outside the precomputed space is declined, not guessed.
    b.run(
        "const t = document.getElementById('pg-config');
         t.value = 'acks=all\\ndelivery.timeout.ms=1000';
         t.dispatchEvent(new Event('input', {bubbles: true})); return 0;",
    );
    b.wait_for(verdict, json!("outside-space"), "delivery.timeout.ms is outside the space");
    // librdkafka's name for acks means nothing to the Java client (3.9 defaults apply), as in the classifier.
    b.open("/playground/?kafka=3.9&config=request.required.acks%3D0");
    b.wait_for(verdict, json!("exactly-once"), "java ignores request.required.acks");
    b.open("/playground/?kafka=3.9&client=librdkafka&config=request.required.acks%3D0");
    b.wait_for(verdict, json!("at-most-once"), "librdkafka reads request.required.acks");
    // Kafka 4.0 rejects idempotence with more than 5 in-flight requests (KAFKA-17927).
    b.open("/playground/?kafka=4.0&config=enable.idempotence%3Dtrue%0Amax.in.flight.requests.per.connection%3D6");
    b.wait_for(verdict, json!("invalid-config"), "4.0 in-flight rule");
    // Commit before processing: with the membership not shown both are checked (assign()'s accepted
    // late commit duplicates); subscribe() rejects the stale member's commit (docs/model.md §6.2).
    let amo =
        "/playground/?role=consumer&kafka=2.8&client=java&commit=before-processing&config=enable.auto.commit%3Dfalse";
    b.open(amo);
    b.wait_for(verdict, json!("no-guarantee"), "membership not shown");
    b.open(&format!("{amo}&membership=assign"));
    b.wait_for(verdict, json!("no-guarantee"), "assign()");
    b.open(&format!("{amo}&membership=subscribe"));
    b.wait_for(verdict, json!("at-most-once"), "subscribe()");
    assert_eq!(b.run("return document.getElementById('pg-membership').closest('label').hidden"), json!(false));
    b.run(
        "const m = document.getElementById('pg-membership');
         m.value = ''; m.dispatchEvent(new Event('change', {bubbles: true})); return 0;",
    );
    b.wait_for(verdict, json!("no-guarantee"), "the selector changes the verdict");
    assert_eq!(b.run("return new URLSearchParams(location.search).get('membership')"), json!(null));
}

#[test]
fn every_try_it_link_in_the_article_opens_the_playground_on_the_same_verdict() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(b) = Browser::start("every_try_it_link_in_the_article_opens_the_playground_on_the_same_verdict", repo)
    else {
        return;
    };
    b.open("/posts/kafka-delivery-semantics/");
    b.wait_for("return document.readyState", json!("complete"), "article");
    let links = b.run(
        "return Array.from(document.querySelectorAll('a.try-it')).map(a =>
           [a.getAttribute('href'), a.parentElement.closest('[data-verdict]').getAttribute('data-verdict')]);",
    );
    let links = links.as_array().unwrap();
    assert!(links.len() >= 15, "a link per snippet and per table row: {links:?}");
    let verdict = "const v = document.getElementById('pg-result').getAttribute('data-verdict'); return v === 'pending' ? null : v";
    for l in links {
        let (href, want) = (l[0].as_str().unwrap(), l[1].as_str().unwrap());
        let path = href.split_once("/playground/").map(|(_, q)| format!("/playground/{q}")).unwrap();
        b.open(&path);
        let t = Instant::now();
        let got = loop {
            let v = b.run(verdict);
            if !v.is_null() {
                break v;
            }
            assert!(t.elapsed() < Duration::from_secs(15), "{href}: no verdict");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(got, json!(want), "{href}");
    }
}
