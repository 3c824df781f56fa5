//! `semdoc serve`: builds the site in memory, serves it over HTTP on loopback, watches the sources,
//! rebuilds, and pushes "reload" to open pages over server-sent events. A failed rebuild keeps
//! serving the last good pages and shows the errors as an overlay on every page. Never writes
//! `public/`.

pub mod http;

use crate::pipeline::{self, BuildOptions};
use crate::semantics::Classifier;
use anyhow::Context;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use rustc_hash::FxHashMap as HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Use a polling watcher (for filesystems where native events are unreliable).
    pub poll: bool,
    /// Quiet time before a rebuild, in milliseconds (`DEBOUNCE_MS` by default).
    pub debounce: u64,
    pub open: bool,
    /// The base URL the pages are built with, when not the server's own address (a preview behind
    /// a proxy, or opened from another machine).
    pub base_url: Option<String>,
    /// Also write every good build to this directory, atomically, as `build` does (Hugo's
    /// `--renderToDisk`); the live-reload script is added only to served responses, never written.
    pub output: Option<PathBuf>,
    /// How the site is read (`--allow-symlinks-into`, `--allow-empty`).
    pub load: crate::content::LoadOptions,
    /// Where to say what happens (`main`'s writers).
    pub log: Log,
}

/// Where `serve` says what it does. `main` passes its own writers, which stop writing to a stream
/// whose reader has gone instead of panicking (`main.rs` stays the only place that prints).
#[derive(Debug, Clone, Copy)]
pub struct Log {
    /// Standard output: the one "serving URL" line.
    pub out: fn(std::fmt::Arguments),
    /// Standard error: build reports, rebuilds, warnings.
    pub err: fn(std::fmt::Arguments),
}

/// One line to the log's standard error.
macro_rules! say {
    ($log:expr, $($t:tt)*) => { ($log.err)(format_args!("{}\n", format_args!($($t)*))) };
}

/// How long a client may take to send a request's headers, from the moment the connection opens
/// (or, on a kept-alive connection, from the end of the previous response) before the connection
/// is closed: half-sent requests ("slowloris") do not hold connections for as long as they like.
/// `SEMDOC_SERVE_HEADER_TIMEOUT_MS` overrides it (for tests).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// At most this many connections are served at once (each is a task, not a thread); one more is
/// answered `503` and closed without reading it. Lowered to leave room when the process may open
/// fewer files. `SEMDOC_SERVE_MAX_CONNECTIONS` overrides it (for tests).
pub const MAX_CONNECTIONS: usize = 1024;

/// The connection limits in force: the constants, or the overrides from the environment.
#[derive(Debug, Clone, Copy)]
struct Limits {
    header_timeout: Duration,
    connections: usize,
}

impl Limits {
    fn from_env() -> anyhow::Result<Self> {
        fn var(name: &str) -> anyhow::Result<Option<u64>> {
            match std::env::var(name) {
                Ok(v) => match v.trim().parse::<u64>() {
                    Ok(n) if n > 0 => Ok(Some(n)),
                    _ => anyhow::bail!("{name}={v:?} is not a positive whole number"),
                },
                Err(_) => Ok(None),
            }
        }
        let header_timeout = var("SEMDOC_SERVE_HEADER_TIMEOUT_MS")?.map_or(HEADER_TIMEOUT, Duration::from_millis);
        let connections = var("SEMDOC_SERVE_MAX_CONNECTIONS")?
            .map_or(MAX_CONNECTIONS.min(open_files_limit().saturating_sub(128).max(16)), |n| n as usize);
        Ok(Limits { header_timeout, connections })
    }
}

/// How many files this process may open (`RLIMIT_NOFILE`'s soft limit), or "plenty" where it is
/// not known.
fn open_files_limit() -> usize {
    #[cfg(target_os = "linux")]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: `getrlimit` writes one `rlimit` through the pointer, which points at a live local.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
            return usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX);
        }
    }
    usize::MAX
}

/// The site as served: the last good files (and those made on first request), and the errors of
/// the latest build (if it failed).
#[derive(Default)]
struct Served {
    /// Path → bytes, and the generation (rebuild) that last produced it.
    files: HashMap<String, (bytes::Bytes, u64)>,
    lazy: HashMap<String, Arc<Lazy>>,
    generation: u64,
    errors: Vec<String>,
}

/// A file made by the first request that wants it (the search index after a change). It is made
/// outside the site's lock, so other pages keep being served meanwhile; requests for this file
/// that arrive during it wait for the same result.
struct Lazy {
    bytes: std::sync::OnceLock<bytes::Bytes>,
    make: std::sync::Mutex<Option<pipeline::Deferred>>,
}

impl Lazy {
    fn new(make: pipeline::Deferred) -> Self {
        Lazy { bytes: std::sync::OnceLock::new(), make: std::sync::Mutex::new(Some(make)) }
    }
    fn get(&self) -> bytes::Bytes {
        self.bytes
            .get_or_init(|| {
                let make = self.make.lock().expect("lazy lock").take();
                make.map(|f| f()).unwrap_or_default()
            })
            .clone()
    }
}

/// What the rebuild loop keeps: the sources as last read (refreshed file by file on change), the
/// classifier with its memo of checked models, and the render memo.
struct Builder {
    opts: BuildOptions,
    src: Option<crate::content::SiteSource>,
    classifier: Classifier,
    memo: pipeline::Memo,
    /// Verdicts in the on-disk cache (saved after a reload was sent, not before).
    saved: usize,
}

impl Builder {
    /// The absolute paths of the files the pages include (`include=`).
    fn included(&self) -> Vec<PathBuf> {
        self.src.as_ref().map(crate::content::included_paths).unwrap_or_default()
    }

    /// Write new verdicts to the cache between runs, off the edit-to-reload path.
    fn persist(&mut self) {
        crate::cache::save(&self.classifier, self.saved);
        self.saved = self.classifier.distinct();
    }
}

#[derive(Clone)]
struct AppState {
    site: Arc<RwLock<Served>>,
    events: broadcast::Sender<String>,
    /// The hosts a request may name besides the loopback ones.
    hosts: Arc<http::Hosts>,
}

const LIVE_JS: &str = include_str!("live.js");

/// Build into memory, re-reading only the `changed` files when that is enough (else the whole
/// site). Claim failures (a false row, a snippet that does not meet its `expect`) still produce
/// readable pages — the row shows red — so those pages are served with the overlay; any other
/// error keeps the previous pages.
/// What one (re)build did, for the terminal: whether it published, how long it took, its error
/// count and its diagnostics formatted as `build` prints them (errors and warnings, with excerpts).
struct Outcome {
    ok: bool,
    took: Duration,
    errors: usize,
    text: String,
}

fn rebuild(b: &mut Builder, site: &RwLock<Served>, changed: &[PathBuf], log: Log) -> Outcome {
    let started = Instant::now();
    let refreshed = match b.src.as_mut() {
        Some(src) if !changed.is_empty() => crate::content::refresh(src, changed),
        _ => false,
    };
    if !refreshed {
        b.src = crate::content::load_site(&b.opts.root, &b.opts.load)
            .map_err(|e| site.write().expect("site lock").errors = vec![format!("error: {e:#}")])
            .ok();
    }
    let Some(src) = b.src.as_ref() else {
        let text = site.read().expect("site lock").errors.join("\n");
        return Outcome { ok: false, took: started.elapsed(), errors: 1, text };
    };
    let t_read = started.elapsed();
    let built = pipeline::render_source(src, &b.opts, &b.classifier, &b.memo);
    let t_render = started.elapsed();
    let phases = built.report.phases.clone();
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("NO_COLOR").is_none();
    let text = crate::report::format_human(&built.report, color);
    let errors: Vec<String> = built.report.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    let only_claims = built
        .report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .all(|d| matches!(d.code, "false-claim" | "stale-known-false"));
    let mut s = site.write().expect("site lock");
    if errors.is_empty() || only_claims || s.files.is_empty() {
        // Updated in place: unchanged paths keep their keys (no allocation), then paths the new
        // build no longer has are dropped.
        fn key(p: &Path) -> std::borrow::Cow<'_, str> {
            match p.to_str() {
                Some(k) if !k.contains('\\') => std::borrow::Cow::Borrowed(k),
                _ => std::borrow::Cow::Owned(p.to_string_lossy().replace('\\', "/")),
            }
        }
        s.generation = s.generation.wrapping_add(1);
        let generation = s.generation;
        let (mut updated, mut added) = (0, 0);
        for (p, bytes) in built.files {
            let k = key(&p);
            match s.files.get_mut(k.as_ref()) {
                Some(slot) => {
                    *slot = (bytes, generation);
                    updated += 1;
                }
                None => {
                    s.files.insert(k.into_owned(), (bytes, generation));
                    added += 1;
                }
            }
        }
        // Every old path was produced again unless the map holds more than this build wrote.
        if s.files.len() != updated + added {
            s.files.retain(|_, (_, g)| *g == generation);
        }
        s.lazy = built.deferred.into_iter().map(|(p, f)| (key(&p).into_owned(), Arc::new(Lazy::new(f)))).collect();
    }
    let n = errors.len();
    s.errors = errors;
    drop(s);
    if std::env::var_os("SEMDOC_TIMINGS").is_some() {
        say!(
            log,
            "semdoc: read {t_read:?}, render {:?} {phases:?}, publish {:?}",
            t_render - t_read,
            started.elapsed() - t_render
        );
    }
    Outcome { ok: n == 0, took: started.elapsed(), errors: n, text }
}

/// "1 error", "2 errors".
fn errors_word(n: usize) -> String {
    if n == 1 { "1 error".into() } else { format!("{n} errors") }
}

/// Write the served site (the deferred files made now) to `dir` with `output::write_site`.
fn write_output(site: &RwLock<Served>, dir: &Path) -> anyhow::Result<()> {
    let s = site.read().expect("site lock");
    let mut files: Vec<crate::render::OutFile> =
        s.files.iter().map(|(p, (b, _))| (PathBuf::from(p), b.clone())).collect();
    files.extend(s.lazy.iter().map(|(p, l)| (PathBuf::from(p), l.get())));
    drop(s);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    crate::output::write_site(dir, &files)
}

/// After a good build, write it out when `--output` asks; a failure is reported, not fatal.
fn maybe_write_output(site: &RwLock<Served>, dir: Option<&Path>, log: Log) {
    if let Some(dir) = dir
        && let Err(e) = write_output(site, dir)
    {
        say!(log, "semdoc: error: cannot write {}: {e:#}", dir.display());
    }
}

fn status_json(site: &RwLock<Served>) -> String {
    let s = site.read().expect("site lock");
    serde_json::json!({ "errors": s.errors }).to_string()
}

/// A short plain-text answer (refusals, which never show a page).
fn plain(status: StatusCode, text: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        text,
    )
        .into_response()
}

/// The answer to a request that `http::refusal` refuses.
fn refused(r: http::Refusal) -> Response {
    match r {
        http::Refusal::BadHost => {
            plain(StatusCode::BAD_REQUEST, "bad request: HTTP/1.1 needs exactly one Host header (host[:port])\n".into())
        }
        http::Refusal::ForeignHost(h) => plain(
            StatusCode::FORBIDDEN,
            format!(
                "forbidden: this preview answers requests for localhost, 127.0.0.1, [::1], *.localhost and the \
                 address it serves on, not for `{h}`\n"
            ),
        ),
        http::Refusal::Method => {
            let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed: only GET and HEAD\n".into());
            r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            r
        }
    }
}

/// One request: refused (foreign host, other methods) before anything else, then the preview's
/// own endpoints, then a file of the site. `local` is the address the connection reached.
async fn handle(app: AppState, local: Option<IpAddr>, req: Request<Body>) -> Response {
    let hosts: Vec<&[u8]> = req.headers().get_all(header::HOST).iter().map(HeaderValue::as_bytes).collect();
    if let Some(r) = http::refusal(
        req.method().as_str(),
        req.version() >= axum::http::Version::HTTP_11,
        &hosts,
        req.uri().authority().map(|a| a.as_str()),
        &app.hosts,
        local,
    ) {
        return refused(r);
    }
    let path = req.uri().path().to_string();
    match path.as_str() {
        "/__semdoc/live.js" => {
            return ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS).into_response();
        }
        "/__semdoc/status" => {
            return ([(header::CONTENT_TYPE, "application/json")], status_json(&app.site)).into_response();
        }
        "/__semdoc/events" => {
            let rx = app.events.subscribe();
            let stream = tokio_stream::StreamExt::filter_map(tokio_stream::wrappers::BroadcastStream::new(rx), |m| {
                m.ok().map(|data| Ok::<_, std::convert::Infallible>(Event::default().data(data)))
            });
            return Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
        }
        _ => {}
    }
    let resolved = {
        let site = app.site.read().expect("site lock");
        http::resolve_path(&path, |f| site.files.contains_key(f) || site.lazy.contains_key(f))
    };
    let (status, file) = match resolved {
        http::Resolved::File(f) => (StatusCode::OK, f),
        http::Resolved::Redirect(to) => {
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, HeaderValue::from_str(&to).unwrap_or(HeaderValue::from_static("/")))],
            )
                .into_response();
        }
        http::Resolved::Forbidden => (StatusCode::FORBIDDEN, "404.html".to_string()),
        http::Resolved::Missing => (StatusCode::NOT_FOUND, "404.html".to_string()),
    };
    // A deferred file is made by the first request that wants it, outside the lock, then kept
    // (unless a rebuild replaced the site meanwhile).
    let (bytes, lazy) = {
        let site = app.site.read().expect("site lock");
        match site.files.get(&file) {
            Some((b, _)) => (Some(b.clone()), None),
            None => (None, site.lazy.get(&file).map(|l| (l.clone(), site.generation))),
        }
    };
    let bytes = match (bytes, lazy) {
        (Some(b), _) => b,
        (None, Some((lazy, generation))) => {
            let b = lazy.get();
            let mut site = app.site.write().expect("site lock");
            if site.generation == generation && site.lazy.remove(&file).is_some() {
                site.files.insert(file.clone(), (b.clone(), generation));
            }
            b
        }
        (None, None) => return (status, "not found").into_response(),
    };
    let ctype = http::content_type(&file);
    let body = if ctype.starts_with("text/html") { bytes::Bytes::from(inject_live(&bytes)) } else { bytes };
    (status, [(header::CONTENT_TYPE, ctype), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// Add the live-reload client to an HTML page (before `</body>`, or at the end).
fn inject_live(html: &[u8]) -> Vec<u8> {
    let tag = b"<script src=\"/__semdoc/live.js\"></script>";
    let text = html;
    let pos = text.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(text.len());
    let mut out = Vec::with_capacity(text.len() + tag.len());
    out.extend_from_slice(&text[..pos]);
    out.extend_from_slice(tag);
    out.extend_from_slice(&text[pos..]);
    out
}

/// The Jekyll settings that decide which files of a Jekyll site are read (None for a semdoc site),
/// as `_config.yml` says now.
fn jekyll_settings(root: &Path) -> Option<crate::content::jekyll::JekyllSite> {
    use crate::content::{Layout, detect, jekyll};
    match detect(root) {
        Ok(Layout::Jekyll) => {
            Some(jekyll::walk_settings(&std::fs::read_to_string(root.join(jekyll::CONFIG_FILE)).unwrap_or_default()))
        }
        _ => None,
    }
}

/// Is a changed path one that affects the site? In a Jekyll site: `_config.yml` and every file
/// Jekyll reads (not `_site/`, `public/`, caches, `node_modules/`, `exclude:`d paths).
fn relevant(root: &Path, p: &Path, jekyll: Option<&crate::content::jekyll::JekyllSite>) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if crate::content::load::is_editor_temp(name) {
        return false;
    }
    let rel = p.strip_prefix(root).unwrap_or(p);
    if let Some(site) = jekyll {
        let rel_s = rel.to_string_lossy().replace('\\', "/");
        return rel == Path::new(crate::content::jekyll::CONFIG_FILE)
            || (!rel_s.is_empty() && !crate::content::jekyll::excluded(site, &rel_s));
    }
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    matches!(first.as_str(), "content" | "templates" | "static" | "_includes")
        || rel == Path::new(crate::config::CONFIG_FILE)
}

pub fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    let root = std::path::absolute(&opts.root).context("cannot resolve the site directory")?;
    anyhow::ensure!(root.is_dir(), "{} is not a directory", root.display());
    // Relative to the site directory, as `build --output` is.
    let output = opts.output.as_ref().map(|o| root.join(o));
    if let Some(out) = &output {
        crate::output::ensure_output_is_safe(&root, out)?;
    }
    let limits = Limits::from_env()?;
    let log = opts.log;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        if opts.bind != "127.0.0.1" && opts.bind != "localhost" && opts.bind != "::1" {
            say!(log, "semdoc: warning: serving on {} makes the preview reachable from other machines", opts.bind);
        }
        // Bind first (the URL goes into the build), trying the next ports when one is taken.
        let mut listener = None;
        let mut last_err = None;
        for offset in 0..20u16 {
            let port = if opts.port == 0 { 0 } else { opts.port.saturating_add(offset) };
            match tokio::net::TcpListener::bind((opts.bind.as_str(), port)).await {
                Ok(l) => {
                    if offset > 0 {
                        say!(log, "semdoc: port {} is taken; using {} instead", opts.port, port);
                    }
                    listener = Some(l);
                    break;
                }
                Err(e) => last_err = Some(e),
            }
            if opts.port == 0 {
                break;
            }
        }
        let listener = listener.ok_or_else(|| {
            anyhow::anyhow!("cannot listen on {}:{}: {:?}; pass another --port", opts.bind, opts.port, last_err)
        })?;
        let addr = listener.local_addr()?;
        let host = if addr.is_ipv6() { format!("[{}]", addr.ip()) } else { addr.ip().to_string() };
        let base = format!("http://{host}:{}", addr.port());
        let build = BuildOptions {
            root: root.clone(),
            output: PathBuf::from("public"),
            drafts: opts.drafts,
            base_url: Some(opts.base_url.clone().unwrap_or_else(|| base.clone())),
            playground: true,
            load: opts.load.clone(),
        };
        let site = Arc::new(RwLock::new(Served::default()));
        let classifier = Classifier::new();
        let saved = crate::cache::load(&classifier);
        let memo = pipeline::Memo::for_serve();
        let mut builder = Builder { opts: build, src: None, classifier, memo, saved };
        let first = rebuild(&mut builder, &site, &[], log);
        (log.err)(format_args!("{}", first.text));
        if first.ok {
            maybe_write_output(&site, output.as_deref(), log);
            say!(log, "semdoc: built in {} ms", first.took.as_millis());
        } else {
            say!(log, "semdoc: build failed with {} (shown in the page)", errors_word(first.errors));
        }
        builder.persist();
        let builder = Arc::new(std::sync::Mutex::new(builder));
        let (tx, _) = broadcast::channel(16);
        // Names a request may carry besides loopback ones: what `--bind` named and the host of
        // `--base-url` (a proxy that keeps the public name).
        let base_host = opts.base_url.as_deref().and_then(|u| {
            let rest = u.split_once("://").map_or(u, |(_, r)| r);
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            http::host_of(authority.rsplit_once('@').map_or(authority, |(_, h)| h)).map(str::to_string)
        });
        let hosts = http::Hosts::new([opts.bind.clone(), addr.ip().to_string()].into_iter().chain(base_host));
        let app = AppState { site: site.clone(), events: tx.clone(), hosts: Arc::new(hosts) };
        // Watch, debounce, rebuild on a blocking thread.
        let (ev_tx, mut ev_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
        // Included files (`include=`) may live outside the source folders: their folders are
        // watched too, and the list is renewed after every rebuild (a page may name new ones).
        let included = Arc::new(RwLock::new(builder.lock().expect("builder lock").included()));
        let extra = included_dirs(&root, &included.read().expect("included lock"));
        let mut watcher = watch(&root, opts.poll, opts.debounce, &extra, handler(ev_tx.clone()))?;
        let watched = (source_dirs(&root), extra);
        let site2 = site.clone();
        let root2 = root.clone();
        let output2 = output.clone();
        let poll = opts.poll;
        let debounce = opts.debounce;
        tokio::spawn(async move {
            let mut watched = watched;
            while let Some(mut paths) = ev_rx.recv().await {
                // Everything that arrived meanwhile goes into this one rebuild.
                while let Ok(more) = ev_rx.try_recv() {
                    paths.extend(more);
                }
                // A watched folder itself moved, removed or created again (`mv content c2 && mv
                // c2 content`, `rm -rf content && cp -a backup content`): its watch is gone with
                // the old directory, so every watch is made again and the whole site re-read.
                let replaced: Vec<&PathBuf> =
                    watched.0.iter().chain(&watched.1).filter(|d| paths.contains(d)).collect();
                let replaced = if replaced.is_empty() {
                    None
                } else {
                    let names: Vec<String> = replaced
                        .iter()
                        .map(|d| format!("{}/", d.strip_prefix(&root2).unwrap_or(d).display()))
                        .collect();
                    Some(names.join(", "))
                };
                if let Some(names) = &replaced {
                    let now = (source_dirs(&root2), watched.1.clone());
                    match watch(&root2, poll, debounce, &now.1, handler(ev_tx.clone())) {
                        Ok(w) => {
                            watcher = w;
                            watched = now;
                            say!(log, "semdoc: {names} was replaced; watching it again and re-reading the site");
                        }
                        Err(e) => say!(log, "semdoc: {names} was replaced and cannot be watched again: {e:#}"),
                    }
                }
                let jekyll = jekyll_settings(&root2);
                {
                    let inc = included.read().expect("included lock");
                    paths.retain(|p| {
                        (relevant(&root2, p, jekyll.as_ref()) || inc.contains(p))
                            && output2.as_ref().is_none_or(|o| !p.starts_with(o))
                    });
                }
                if paths.is_empty() && replaced.is_none() {
                    continue;
                }
                paths.sort();
                paths.dedup();
                // A source folder created while serving: watch it too (the watcher saw only its
                // creation, in the root).
                let now = (source_dirs(&root2), watched.1.clone());
                if now.0.iter().any(|n| !watched.0.contains(n)) {
                    match watch(&root2, poll, debounce, &now.1, handler(ev_tx.clone())) {
                        Ok(w) => {
                            watcher = w;
                            watched = now;
                        }
                        Err(e) => say!(log, "semdoc: cannot watch the new folder: {e:#}"),
                    }
                }
                let _ = &watcher;
                let css_only = paths.iter().all(|p| {
                    p.strip_prefix(&root2).is_ok_and(|r| r.starts_with("static"))
                        && p.extension().is_some_and(|e| e == "css")
                });
                let (b, s, inc) = (builder.clone(), site2.clone(), included.clone());
                // After a replaced folder nothing is known file by file: read the whole site.
                let changed = if replaced.is_some() { Vec::new() } else { paths };
                let out = tokio::task::spawn_blocking(move || {
                    let mut b = b.lock().expect("builder lock");
                    let out = rebuild(&mut b, &s, &changed, log);
                    *inc.write().expect("included lock") = b.included();
                    out
                })
                .await
                .unwrap_or_else(|e| Outcome {
                    ok: false,
                    took: Duration::ZERO,
                    errors: 1,
                    text: format!("error: the rebuild stopped: {e}\n"),
                });
                // Pages that name new included files: watch their folders too.
                let extra = included_dirs(&root2, &included.read().expect("included lock"));
                if extra != watched.1 {
                    match watch(&root2, poll, debounce, &extra, handler(ev_tx.clone())) {
                        Ok(w) => {
                            watcher = w;
                            watched = (source_dirs(&root2), extra);
                        }
                        Err(e) => say!(log, "semdoc: cannot watch an included file's folder: {e:#}"),
                    }
                }
                (log.err)(format_args!("{}", out.text));
                if out.ok {
                    let (s, o) = (site2.clone(), output2.clone());
                    let _ = tokio::task::spawn_blocking(move || maybe_write_output(&s, o.as_deref(), log)).await;
                    say!(log, "semdoc: rebuilt in {} ms", out.took.as_millis());
                    // Stylesheets alone changed: pages swap them without reloading.
                    let _ = tx.send(if css_only { "css".into() } else { "reload".into() });
                } else {
                    say!(log, "semdoc: rebuild failed: {} (the last good pages stay served)", errors_word(out.errors));
                    let _ = tx.send(status_json(&site2));
                }
                let b = builder.clone();
                let _ = tokio::task::spawn_blocking(move || b.lock().expect("builder lock").persist()).await;
            }
        });
        (log.out)(format_args!("semdoc: serving {base}/ (Ctrl+C to stop)\n"));
        if opts.open {
            let _ = std::process::Command::new("xdg-open").arg(format!("{base}/")).spawn();
        }
        accept_loop(listener, app, limits, log).await
    })
}

/// What a connection beyond `Limits::connections` gets before it is closed (its request unread).
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
connection: close\r\ncontent-length: 38\r\nretry-after: 1\r\n\r\nbusy: too many connections, try again\n";

/// Serve until Ctrl+C: each connection is HTTP/1.1 (hyper) on its own task, whose headers must
/// arrive within `limits.header_timeout`, and at most `limits.connections` are open at once.
async fn accept_loop(listener: tokio::net::TcpListener, app: AppState, limits: Limits, log: Log) -> anyhow::Result<()> {
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.connections));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let builder = Arc::new(builder);
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    let mut accept_failed = false;
    loop {
        let stream = tokio::select! {
            _ = &mut ctrl_c => return Ok(()),
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, most likely: the connection waits in the backlog.
                    if !accept_failed {
                        say!(log, "semdoc: warning: cannot accept a connection: {e} (retrying; said once)");
                        accept_failed = true;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            let _ = stream.try_write(BUSY);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().ok().map(|a| a.ip());
        let (app, builder) = (app.clone(), builder.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                let app = app.clone();
                async move { Ok::<_, std::convert::Infallible>(handle(app, local, req.map(Body::new)).await) }
            });
            let _ = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service).await;
            drop(slot);
        });
    }
}

/// The watcher's callback: forwards the paths of real changes (not reads) to the rebuild loop.
fn handler(
    ev_tx: tokio::sync::mpsc::UnboundedSender<Vec<PathBuf>>,
) -> impl notify_debouncer_full::DebounceEventHandler {
    move |res: notify_debouncer_full::DebounceEventResult| {
        if let Ok(events) = res {
            // Reads (our own build opening the sources) are access events; only changes count.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| {
                    use notify_debouncer_full::notify::EventKind as K;
                    use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind as M};
                    matches!(
                        e.event.kind,
                        K::Create(_)
                            | K::Remove(_)
                            | K::Any
                            | K::Modify(
                                M::Data(_) | M::Name(_) | M::Any | M::Other | M::Metadata(MetadataKind::WriteTime)
                            )
                    )
                })
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                let _ = ev_tx.send(paths);
            }
        }
    }
}

/// How long the watcher waits by default for a path to go quiet before reporting it. Short: an
/// editor's save (write, or temp file + rename) arrives within a few milliseconds, and a burst that
/// outlasts it only costs one more incremental rebuild, after which the served site is again what
/// is on disk. (The debouncer ticks every quarter of it, so a change is reported 10–12.5 ms after
/// its last event.)
pub const DEBOUNCE_MS: u64 = 10;

/// The folders `serve` watches recursively (the root itself non-recursively, for `site.yaml`).
const SOURCE_DIRS: [&str; 4] = ["content", "templates", "static", "_includes"];

/// The folders to watch recursively: a semdoc site's source folders that exist, or every
/// top-level folder of a Jekyll site that Jekyll reads (`_posts/`, `_tabs/`, `assets/`, …; not
/// `_site/`, `public/`, `node_modules/`, …). Sorted.
fn source_dirs(root: &Path) -> Vec<PathBuf> {
    match jekyll_settings(root) {
        Some(site) => {
            let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                        .filter(|e| {
                            let name = e.file_name().to_string_lossy().into_owned();
                            !crate::content::load::is_editor_temp(&name)
                                && !crate::content::jekyll::excluded(&site, &name)
                        })
                        .map(|e| e.path())
                        .collect()
                })
                .unwrap_or_default();
            dirs.sort();
            dirs
        }
        None => SOURCE_DIRS.iter().map(|d| root.join(d)).filter(|p| p.is_dir()).collect(),
    }
}

/// The folders of included files that the source folders' watches do not cover, sorted.
fn included_dirs(root: &Path, included: &[PathBuf]) -> Vec<PathBuf> {
    let sources = source_dirs(root);
    let mut dirs: Vec<PathBuf> = included
        .iter()
        .filter_map(|p| p.parent())
        .filter(|d| d.is_dir() && *d != root && !sources.iter().any(|s| d.starts_with(s)))
        .map(Path::to_path_buf)
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// Watch the site's sources (and `extra` folders, not recursively: included files' folders). The root is watched non-recursively (editors replace `site.yaml` by
/// rename, which only the parent directory sees), the source directories recursively.
fn watch(
    root: &Path,
    poll: bool,
    debounce_ms: u64,
    extra: &[PathBuf],
    handler: impl notify_debouncer_full::DebounceEventHandler,
) -> anyhow::Result<Box<dyn std::any::Any + Send>> {
    use notify_debouncer_full::notify::{Config, PollWatcher, RecursiveMode};
    let delay = Duration::from_millis(debounce_ms.max(1));
    macro_rules! add {
        ($d:expr) => {{
            $d.watch(root, RecursiveMode::NonRecursive)?;
            for p in source_dirs(root) {
                $d.watch(&p, RecursiveMode::Recursive)?;
            }
            for p in extra {
                $d.watch(p, RecursiveMode::NonRecursive)?;
            }
        }};
    }
    if poll {
        let mut d = notify_debouncer_full::new_debouncer_opt::<_, PollWatcher, notify_debouncer_full::NoCache>(
            delay,
            None,
            handler,
            notify_debouncer_full::NoCache,
            // The poller compares modification times in whole seconds: an edit within the second
            // of the previous one, or that keeps the time, is found by its content's hash.
            Config::default().with_poll_interval(Duration::from_millis(500)).with_compare_contents(true),
        )?;
        add!(d);
        Ok(Box::new(d))
    } else {
        let mut d = notify_debouncer_full::new_debouncer(delay, None, handler)?;
        add!(d);
        Ok(Box::new(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_script_goes_before_body_end() {
        assert_eq!(
            inject_live(b"<p>x</p></BODY></html>"),
            b"<p>x</p><script src=\"/__semdoc/live.js\"></script></BODY></html>".to_vec()
        );
        assert_eq!(inject_live(b"<p>x</p>"), b"<p>x</p><script src=\"/__semdoc/live.js\"></script>".to_vec());
    }

    #[test]
    fn a_deferred_file_is_made_once_for_concurrent_requests() {
        let made = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = made.clone();
        let lazy = Arc::new(Lazy::new(Box::new(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            bytes::Bytes::from_static(b"{\"index\":1}")
        })));
        let got: Vec<bytes::Bytes> = (0..4)
            .map(|_| {
                let l = lazy.clone();
                std::thread::spawn(move || l.get())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        assert!(got.iter().all(|b| &b[..] == b"{\"index\":1}"));
        assert_eq!(made.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[test]
    fn only_source_changes_rebuild() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/content/posts/a.md"), None));
        assert!(relevant(root, Path::new("/site/site.yaml"), None));
        assert!(relevant(root, Path::new("/site/templates/base.html"), None));
        assert!(!relevant(root, Path::new("/site/content/.a.md.swp"), None));
        assert!(!relevant(root, Path::new("/site/content/a.md~"), None));
        assert!(!relevant(root, Path::new("/site/public/index.html"), None));
        assert!(!relevant(root, Path::new("/site/target/x"), None));
        let jekyll = crate::content::jekyll::walk_settings("exclude: [tools]\n");
        let j = Some(&jekyll);
        for yes in ["_posts/2024-01-01-a.md", "_tabs/about.md", "about.md", "assets/img/a.png", "_config.yml"] {
            assert!(relevant(root, &root.join(yes), j), "{yes}");
        }
        for no in ["_site/index.html", "public/index.html", "node_modules/x.js", "tools/x", "_posts/.a.md.swp"] {
            assert!(!relevant(root, &root.join(no), j), "{no}");
        }
    }
}
