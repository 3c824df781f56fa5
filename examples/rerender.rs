//! Profiling aid for `serve`'s incremental path: loads a site, renders it once with `serve`'s memo,
//! then appends a paragraph to one post three times and prints each re-render's time per stage.
//! `cargo run --release --example rerender -- SITE_DIR` (numbers for the notes come from
//! `scripts/bench-edit.py`, which measures the real server end to end).
use semdoc::pipeline::{BuildOptions, Memo, render_source};
use semdoc::semantics::Classifier;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: rerender SITE_DIR");
        std::process::exit(2);
    };
    let opts = BuildOptions::new(&root);
    let cl = Classifier::new();
    let memo = Memo::for_serve();
    let t = Instant::now();
    let mut src = match semdoc::content::load_site(std::path::Path::new(&root), &Default::default()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e:#}");
            std::process::exit(2);
        }
    };
    eprintln!("load {:?}", t.elapsed());
    let t = Instant::now();
    let b = render_source(&src, &opts, &cl, &memo);
    eprintln!("first render {:?}, {} files", t.elapsed(), b.files.len());
    drop(b);
    let runs: usize = std::env::var("RERENDER_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    for i in 0..runs {
        let n = src.markdown.len() / 2 + i;
        let m = &src.markdown[n];
        src.markdown[n] = semdoc::content::MdSource::new(m.rel.clone(), format!("{}\n\nedit {i}\n", m.text));
        let t = Instant::now();
        let b = render_source(&src, &opts, &cl, &memo);
        eprintln!("re-render {:?} {:?}", t.elapsed(), b.report.phases);
    }
}
