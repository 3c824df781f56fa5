//! `semdoc serve`: builds the site in memory, serves it over HTTP on loopback, watches the sources,
//! rebuilds, and pushes "reload" to open pages over server-sent events. A failed rebuild keeps
//! serving the last good pages and shows the errors as an overlay on every page. Never writes
//! `public/`.

pub mod http;

use crate::pipeline::{self, BuildOptions};
use crate::semantics::Classifier;
use anyhow::Context;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
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
    pub open: bool,
}

/// The site as served: the last good files, and the errors of the latest build (if it failed).
#[derive(Default)]
struct Served {
    files: HashMap<String, Vec<u8>>,
    errors: Vec<String>,
}

#[derive(Clone)]
struct AppState {
    site: Arc<RwLock<Served>>,
    events: broadcast::Sender<String>,
}

const LIVE_JS: &str = include_str!("live.js");

/// Build once into memory. Claim failures (a false row, a snippet that does not meet its
/// `expect`) still produce readable pages — the row shows red — so those pages are served with the
/// overlay; any other error keeps the previous pages.
fn rebuild(
    opts: &BuildOptions,
    site: &RwLock<Served>,
    classifier: &Classifier,
    memo: &pipeline::Memo,
) -> (bool, Duration, usize) {
    let started = Instant::now();
    let built = pipeline::render_with(opts, classifier, memo);
    let mut s = site.write().expect("site lock");
    let (ok, n) = match built {
        Ok(b) => {
            let errors: Vec<String> =
                b.report.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
            let only_claims = b
                .report
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .all(|d| matches!(d.code, "false-claim" | "stale-known-false"));
            if errors.is_empty() || only_claims || s.files.is_empty() {
                s.files =
                    b.files.into_iter().map(|(p, bytes)| (p.to_string_lossy().replace('\\', "/"), bytes)).collect();
            }
            let n = errors.len();
            s.errors = errors;
            (n == 0, n)
        }
        Err(e) => {
            s.errors = vec![format!("error: {e:#}")];
            (false, 1)
        }
    };
    (ok, started.elapsed(), n)
}

fn status_json(site: &RwLock<Served>) -> String {
    let s = site.read().expect("site lock");
    serde_json::json!({ "errors": s.errors }).to_string()
}

async fn handle(State(app): State<AppState>, req: Request<Body>) -> Response {
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
    let site = app.site.read().expect("site lock");
    let resolved = http::resolve_path(&path, |f| site.files.contains_key(f));
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
    let Some(bytes) = site.files.get(&file) else {
        return (status, "not found").into_response();
    };
    let ctype = http::content_type(&file);
    let body = if ctype.starts_with("text/html") { inject_live(bytes) } else { bytes.clone() };
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

/// Is a changed path one that affects the site?
fn relevant(root: &Path, p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if crate::content::load::is_editor_temp(name) {
        return false;
    }
    let rel = p.strip_prefix(root).unwrap_or(p);
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    matches!(first.as_str(), "content" | "templates" | "static") || rel == Path::new(crate::config::CONFIG_FILE)
}

pub fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    let root = std::path::absolute(&opts.root).context("cannot resolve the site directory")?;
    anyhow::ensure!(root.is_dir(), "{} is not a directory", root.display());
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async move {
        if opts.bind != "127.0.0.1" && opts.bind != "localhost" && opts.bind != "::1" {
            eprintln!("semdoc: warning: serving on {} makes the preview reachable from other machines", opts.bind);
        }
        // Bind first (the URL goes into the build), trying the next ports when one is taken.
        let mut listener = None;
        let mut last_err = None;
        for offset in 0..20u16 {
            let port = if opts.port == 0 { 0 } else { opts.port.saturating_add(offset) };
            match tokio::net::TcpListener::bind((opts.bind.as_str(), port)).await {
                Ok(l) => {
                    if offset > 0 {
                        eprintln!("semdoc: port {} is taken; using {} instead", opts.port, port);
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
            base_url: Some(base.clone()),
            playground: true,
        };
        let site = Arc::new(RwLock::new(Served::default()));
        let classifier = Arc::new(Classifier::new());
        let memo = Arc::new(pipeline::Memo::enabled());
        let (ok, took, n) = rebuild(&build, &site, &classifier, &memo);
        if ok {
            eprintln!("semdoc: built in {} ms", took.as_millis());
        } else {
            eprintln!("semdoc: build failed with {n} errors (shown in the page)");
            for e in &site.read().expect("lock").errors {
                eprintln!("{e}");
            }
        }
        let (tx, _) = broadcast::channel(16);
        let app = AppState { site: site.clone(), events: tx.clone() };
        // Watch, debounce, rebuild on a blocking thread.
        let (ev_tx, mut ev_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
        let handler = move |res: notify_debouncer_full::DebounceEventResult| {
            if let Ok(events) = res {
                // Reads (our own build opening the sources) are access events; only changes count.
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| {
                        use notify_debouncer_full::notify::EventKind as K;
                        use notify_debouncer_full::notify::event::ModifyKind as M;
                        matches!(
                            e.event.kind,
                            K::Create(_)
                                | K::Remove(_)
                                | K::Any
                                | K::Modify(M::Data(_) | M::Name(_) | M::Any | M::Other)
                        )
                    })
                    .flat_map(|e| e.event.paths)
                    .collect();
                if paths.is_empty() {
                    return;
                }
                let _ = ev_tx.send(paths);
            }
        };
        let _watcher = watch(&root, opts.poll, handler)?;
        let site2 = site.clone();
        let root2 = root.clone();
        tokio::spawn(async move {
            while let Some(paths) = ev_rx.recv().await {
                if !paths.iter().any(|p| relevant(&root2, p)) {
                    continue;
                }
                let (b, s, c, m) = (build.clone(), site2.clone(), classifier.clone(), memo.clone());
                let (ok, took, n) = tokio::task::spawn_blocking(move || rebuild(&b, &s, &c, &m)).await.unwrap_or((
                    false,
                    Duration::ZERO,
                    1,
                ));
                if ok {
                    eprintln!("semdoc: rebuilt in {} ms", took.as_millis());
                    let _ = tx.send("reload".into());
                } else {
                    eprintln!("semdoc: rebuild failed: {n} errors (the last good pages stay served)");
                    let _ = tx.send(status_json(&site2));
                }
            }
        });
        println!("semdoc: serving {base}/ (Ctrl+C to stop)");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if opts.open {
            let _ = std::process::Command::new("xdg-open").arg(format!("{base}/")).spawn();
        }
        let router = Router::new().fallback(handle).with_state(app);
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

/// Watch the site's sources. The root is watched non-recursively (editors replace `site.yaml` by
/// rename, which only the parent directory sees), the source directories recursively.
fn watch(
    root: &Path,
    poll: bool,
    handler: impl notify_debouncer_full::DebounceEventHandler,
) -> anyhow::Result<Box<dyn std::any::Any + Send>> {
    use notify_debouncer_full::notify::{Config, PollWatcher, RecursiveMode};
    let delay = Duration::from_millis(80);
    macro_rules! add {
        ($d:expr) => {{
            $d.watch(root, RecursiveMode::NonRecursive)?;
            for sub in ["content", "templates", "static"] {
                let p = root.join(sub);
                if p.is_dir() {
                    $d.watch(&p, RecursiveMode::Recursive)?;
                }
            }
        }};
    }
    if poll {
        let mut d = notify_debouncer_full::new_debouncer_opt::<_, PollWatcher, notify_debouncer_full::NoCache>(
            delay,
            None,
            handler,
            notify_debouncer_full::NoCache,
            Config::default().with_poll_interval(Duration::from_millis(500)),
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
    fn only_source_changes_rebuild() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/content/posts/a.md")));
        assert!(relevant(root, Path::new("/site/site.yaml")));
        assert!(relevant(root, Path::new("/site/templates/base.html")));
        assert!(!relevant(root, Path::new("/site/content/.a.md.swp")));
        assert!(!relevant(root, Path::new("/site/content/a.md~")));
        assert!(!relevant(root, Path::new("/site/public/index.html")));
        assert!(!relevant(root, Path::new("/site/target/x")));
    }
}
