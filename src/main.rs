//! The `semdoc` command line: parses flags, calls the library, prints reports, sets the exit code.
//! This is the only place that prints (through `out!`/`outln!`/`err!`/`errln!`, never `print!`).

use clap::{Parser, Subcommand};
use semdoc::diag::Severity;
use semdoc::report::{self, Format};
use semdoc::{BuildOptions, Report};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// mimalloc: a build is millions of short-lived strings and maps across threads; glibc's allocator
/// spent about a fifth of a 10 000-page build in malloc/free (perf, see the #7 notes).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

// mimalloc's option number, from mimalloc.h (the same in v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// `serve` rebuilds in the memory the previous rebuild freed. mimalloc returns freed memory to
/// the OS after a delay (10 ms in mimalloc 2, 1 s in 3), so every rebuild could fault its pages in
/// again: on the 10 000-page corpus that made half the rebuilds take 50–60 ms instead of 21–28 ms
/// (measured with `MIMALLOC_PURGE_DELAY=-1`). A preview server holds the site in memory anyway;
/// it keeps what it freed.
fn keep_freed_memory() {
    // -1: never purge.
    // SAFETY: sets a process-wide allocator option; mimalloc reads options atomically.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// One-shot commands (`build`, `check`) are measured by their peak memory as well as their time
/// (issue #7: at most half of Zola's). Two settings, measured on the generated corpora (three runs
/// each, over the previous output):
/// - no transparent huge pages: with THP on (`always` on the benchmark machine), each first touch
///   of memory mimalloc handed out faulted in and zeroed 2 MiB, and pages it returned were faulted
///   in whole again (`clear_page_erms` was ~10 % of a 10 000-page build's samples). 10 000 pages
///   2.22–2.26 s and 324–325 MB without vs 2.41–2.75 s and 357–386 MB with; 1 000 pages 51 MB
///   vs 75 MB;
/// - freed memory is returned after 10 ms (mimalloc 3's default is 1 s, i.e. never in a build):
///   without THP, 10 ms / 100 ms / never gave 324 / 327–346 / 349–351 MB at 10 000 pages and
///   51 / 51 / 54 MB at 1 000 for the same time within 2 %. (Committing arenas lazily, which
///   helped while THP was on, no longer makes a difference.)
fn tune_allocator_for_one_shot() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` only sets a flag on this process's memory
    // map; it takes no pointers. On failure (old kernels) nothing changes, which is harmless.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // SAFETY: as in `keep_freed_memory`; set before the pipeline allocates.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
}

/// Closed pipes (`semdoc check --format json | head -1`, `semdoc build 2>&1 | head -1`). Rust
/// ignores SIGPIPE, so writing to a pipe whose reader has gone fails with `EPIPE`, and `print!`
/// panics on that error (exit 101, "failed printing to stdout: Broken pipe").
///
/// What semdoc does instead: once a stream's reader is gone, nothing more is written to it and
/// nothing is said about it (like `cat` or `grep`, which SIGPIPE ends silently); the command
/// still finishes and exits with the status it earned: 0, or 1 when the content has problems.
/// Unlike a process killed by SIGPIPE (status 141), a reader that wanted one line does not turn
/// a clean `check` into a failure under `set -o pipefail`, nor hide a failing one. Everything is
/// printed after the work is done (a build has written its output by then), so stopping early
/// saves nothing. Any other error writing standard output (a full disk behind `> report.json`)
/// is reported on standard error and the exit status is 2: output cut short is never silent.
///
/// SIGPIPE's default action was not restored: `serve` writes to sockets, where the signal would
/// end the server whenever a browser goes away, and this way is the same on every platform.
mod output {
    use std::io::{self, Write};
    use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

    static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
    static STDERR_GONE: AtomicBool = AtomicBool::new(false);
    static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

    pub fn stdout(args: std::fmt::Arguments) {
        if STDOUT_GONE.load(Relaxed) {
            return;
        }
        let mut w = io::stdout().lock();
        if let Err(e) = w.write_fmt(args).and_then(|()| w.flush()) {
            STDOUT_GONE.store(true, Relaxed);
            if e.kind() != io::ErrorKind::BrokenPipe {
                STDOUT_FAILED.store(true, Relaxed);
                stderr(format_args!("error: cannot write to standard output: {e}\n"));
            }
        }
    }

    pub fn stderr(args: std::fmt::Arguments) {
        if STDERR_GONE.load(Relaxed) {
            return;
        }
        let mut w = io::stderr().lock();
        if w.write_fmt(args).and_then(|()| w.flush()).is_err() {
            // Closed or failing: there is nowhere left to say so.
            STDERR_GONE.store(true, Relaxed);
        }
    }

    /// Whether standard output failed for another reason than its reader going away.
    pub fn stdout_failed() -> bool {
        STDOUT_FAILED.load(Relaxed)
    }
}

macro_rules! out {
    ($($t:tt)*) => { output::stdout(format_args!($($t)*)) };
}
macro_rules! outln {
    ($($t:tt)*) => { output::stdout(format_args!("{}\n", format_args!($($t)*))) };
}
macro_rules! err {
    ($($t:tt)*) => { output::stderr(format_args!($($t)*)) };
}
macro_rules! errln {
    ($($t:tt)*) => { output::stderr(format_args!("{}\n", format_args!($($t)*))) };
}

/// Exit codes: 0 success, 1 the content has problems, 2 semdoc could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    Ok = 0,
    Problems = 1,
    CannotRun = 2,
}

#[derive(Parser)]
#[command(
    name = "semdoc",
    version,
    about = "Static documentation sites whose Kafka examples are checked at build time"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors: no warnings, no summary or progress lines (machine formats unchanged).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: `build` adds the time of each stage, `check` lists every claim with its verdict.
    #[arg(short, long, global = true)]
    verbose: bool,
}

/// How much the one-shot commands say besides their output (`-q`, `-v`); set once in `main`.
static VERBOSITY: std::sync::atomic::AtomicI8 = std::sync::atomic::AtomicI8::new(0);

fn quiet() -> bool {
    VERBOSITY.load(std::sync::atomic::Ordering::Relaxed) < 0
}

fn verbose() -> bool {
    VERBOSITY.load(std::sync::atomic::Ordering::Relaxed) > 0
}

/// A log line on stderr, dropped under `--quiet`.
macro_rules! info {
    ($($t:tt)*) => { if !quiet() { errln!($($t)*) } };
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
    /// Site directory: site.yaml with content/, templates/, static/, or a Jekyll site's root (_config.yml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include drafts (`draft: true` / `published: false`).
    #[arg(long)]
    drafts: bool,
    /// Override `base_url` from site.yaml.
    #[arg(long)]
    base_url: Option<String>,
    #[command(flatten)]
    load: LoadArgs,
}

/// How the site is read: what a user may loosen on purpose.
#[derive(clap::Args, Clone)]
struct LoadArgs {
    /// A folder outside the site that symbolic links in it may lead to (repeatable); without it
    /// a link to a file outside the site is an error, so that no file of the machine is published.
    #[arg(long, value_name = "DIR")]
    allow_symlinks_into: Vec<PathBuf>,
    /// Build even when the site has no page (otherwise refused: it would replace the previous
    /// site with an empty one).
    #[arg(long)]
    allow_empty: bool,
}

impl LoadArgs {
    fn options(self) -> semdoc::content::LoadOptions {
        semdoc::content::LoadOptions { symlinks_into: self.allow_symlinks_into, allow_empty: self.allow_empty }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory (atomically: a failed build keeps the old one).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output directory, relative to --root unless absolute.
        #[arg(long, short, default_value = "public")]
        output: PathBuf,
        /// Replace the output directory even when semdoc did not make it (its files are deleted;
        /// a directory holding the site's sources is still refused).
        #[arg(long)]
        force: bool,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Run the whole build without writing; exit 1 if anything is wrong.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Output format: human (default; colour unless NO_COLOR or not a terminal), json, junit, github.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Create a new site in DIR (default: the current directory), which must be empty but for hidden
    /// entries such as `.git`.
    Init {
        /// Where to create the site (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Preview the site: build in memory, serve it, rebuild on change, reload open pages.
    Serve {
        /// Site directory: site.yaml with content/, templates/, static/, or a Jekyll site's root (_config.yml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port; the next free one is used when it is taken; 0 picks any free port.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Interface to listen on (loopback unless you ask; another address prints a warning).
        #[arg(long, visible_alias = "interface", short = 'i', default_value = "127.0.0.1")]
        bind: String,
        /// Base URL the pages are built with, instead of the server's own address (e.g. behind a proxy).
        #[arg(long, short = 'u')]
        base_url: Option<String>,
        /// Also write every good build to this directory, relative to --root unless absolute
        /// (atomically, as `build` does; without the live-reload script).
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of native file events.
        #[arg(long)]
        poll: bool,
        /// How long a changed file must stay quiet before the rebuild, in milliseconds (an editor's
        /// save arrives within a few; raise it for tools that write in slow bursts).
        #[arg(long, default_value_t = semdoc::serve::DEBOUNCE_MS, value_parser = clap::value_parser!(u64).range(1..=60_000))]
        debounce: u64,
        /// Include drafts (`draft: true` / `published: false`).
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Classify one Kafka config snippet (a file, or `-` for stdin) and explain the verdict.
    Explain(ExplainArgs),
    /// Find the Kafka client configurations in a codebase and classify each; exit 1 if one fails.
    Lint {
        /// Files or directories to search (`.gitignore`, `.ignore` and `.semdocignore` are honoured).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Fail every configuration weaker than this (exactly-once, at-least-once, at-most-once).
        #[arg(long, value_parser = semdoc::lint::parse_expect)]
        expect: Option<semdoc::verify::binding::Level>,
        /// Spring profiles to treat as active (`prod` or `prod,cloud`) in multi-document
        /// application.yml files.
        #[arg(long)]
        profile: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: LintFormat,
    },
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// The snippet: a file, or `-` (the default) for standard input.
    #[arg(default_value = "-")]
    file: String,
    /// Kafka version (2.0 … 4.x; `3.0` means 3.0.0).
    #[arg(long, value_parser = snippet_option("kafka"))]
    kafka: Option<String>,
    /// Client family: java or librdkafka.
    #[arg(long, value_parser = snippet_option("client"))]
    client: Option<String>,
    /// producer, consumer or pipeline (inferred from the keys when absent).
    #[arg(long, value_parser = snippet_option("role"))]
    role: Option<String>,
    /// Fault model: kafka-promise or power-loss.
    #[arg(long, value_parser = snippet_option("faults"))]
    faults: Option<String>,
    /// Commit pattern: auto, before-processing, after-processing or transactional.
    #[arg(long, value_parser = snippet_option("commit"))]
    commit: Option<String>,
    /// Consumer group membership: subscribe (group-managed: a stale member's commit is
    /// rejected) or assign (manual: it is accepted); read from the code when absent, else both.
    #[arg(long, value_parser = snippet_option("membership"))]
    membership: Option<String>,
    /// Spring profiles to treat as active (`prod` or `prod,cloud`): which documents of a
    /// multi-document application.yml are read.
    #[arg(long)]
    profile: Option<String>,
    /// Snippet language: properties, yaml, java, kotlin, python, rust (detected when absent).
    #[arg(long, value_parser = snippet_lang)]
    lang: Option<semdoc::semantics::Lang>,
    /// Output format: human (the verdict, effective settings with their origin, counterexamples)
    /// or json (one object, the same content).
    #[arg(long, value_enum, default_value = "human")]
    format: ExplainFormat,
}

/// A snippet option given as a flag (`--kafka 99`) is checked when the command line is parsed, by
/// the classifier's own option rules (the ones fence attributes and `semdoc.*` keys go through, so
/// both accept the same values): a bad one is a usage error naming the flag, exit 2, instead of a
/// diagnostic at "line 0" of a snippet it is not in. `prepare` parses and validates only; the
/// model checker does not run.
fn snippet_option(key: &'static str) -> impl Fn(&str) -> Result<String, String> + Clone + Send + Sync + 'static {
    move |value: &str| semdoc::semantics::classify::check_option(key, value).map(|()| value.to_string())
}

fn snippet_lang(value: &str) -> Result<semdoc::semantics::Lang, String> {
    semdoc::semantics::Lang::from_fence(value)
        .ok_or_else(|| "allowed: properties, yaml, java, kotlin, python, rust".to_string())
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LintFormat {
    Human,
    Json,
    Junit,
    Github,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExplainFormat {
    Human,
    Json,
}

/// `semdoc explain`: docs/model.md §5. Exit 0 for a verdict, 1 for invalid-config, 2 for unusable input.
fn explain(a: ExplainArgs) -> anyhow::Result<u8> {
    use semdoc::semantics::{Classifier, Input, Lang};
    use std::io::Read;
    // Read at most one byte more than the classifier reads, so that `/dev/zero` or a huge file is
    // refused by the classifier's size rule instead of filling the memory first.
    let cap = semdoc::semantics::MAX_SNIPPET_BYTES as u64 + 1;
    let read_capped = |r: &mut dyn Read, name: &str| -> anyhow::Result<String> {
        let mut bytes = Vec::new();
        r.take(cap).read_to_end(&mut bytes).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
        if bytes.len() as u64 == cap {
            // Cut at the cap, maybe inside a character: the classifier refuses it by its length,
            // which the lossy conversion never shortens.
            return Ok(String::from_utf8_lossy(&bytes).into_owned());
        }
        String::from_utf8(bytes)
            .map_err(|e| anyhow::anyhow!("{name} is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
    };
    let (text, guess) = if a.file == "-" {
        (read_capped(&mut std::io::stdin(), "standard input")?, None)
    } else {
        let p = PathBuf::from(&a.file);
        let mut f = std::fs::File::open(&p).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))?;
        let s = read_capped(&mut f, &p.display().to_string())?;
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_string();
        (s, Lang::from_fence(&ext).filter(|_| !ext.is_empty()))
    };
    let lang = a.lang.or(guess).unwrap_or_else(|| Lang::sniff(&text));
    let mut input = Input::new(&text, lang);
    for (k, v) in [
        ("kafka", &a.kafka),
        ("client", &a.client),
        ("role", &a.role),
        ("faults", &a.faults),
        ("commit", &a.commit),
        ("profile", &a.profile),
        ("membership", &a.membership),
    ] {
        if let Some(v) = v {
            input.overrides.insert(k.to_string(), v.clone());
        }
    }
    let verdict = Classifier::new().explain(&input);
    match a.format {
        ExplainFormat::Human => out!("{}", semdoc::semantics::explain_human(&verdict)),
        ExplainFormat::Json => outln!("{}", serde_json::to_string_pretty(&verdict)?),
    }
    Ok(semdoc::semantics::exit_code(&verdict))
}

fn main() -> ExitCode {
    // clap prints usage errors and `--help` itself, and ignores a closed pipe while doing so.
    let cli = Cli::parse();
    VERBOSITY.store(
        if cli.quiet {
            -1
        } else if cli.verbose {
            1
        } else {
            0
        },
        std::sync::atomic::Ordering::Relaxed,
    );
    let code = if let Command::Explain(a) = cli.command { explain(a) } else { run(cli).map(|c| c as u8) };
    // Once per run, however many cache writes failed (the run itself went on without them).
    if let Some(problem) = semdoc::cache::take_write_failure()
        && !quiet()
    {
        errln!("semdoc: warning: {problem}");
    }
    let code = code.unwrap_or_else(|e| {
        errln!("error: {e:#}");
        Exit::CannotRun as u8
    });
    ExitCode::from(if output::stdout_failed() { Exit::CannotRun as u8 } else { code })
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    if !matches!(cli.command, Command::Serve { .. }) {
        tune_allocator_for_one_shot();
    }
    match cli.command {
        Command::Build { site, output, force, timings } => {
            let opts = BuildOptions {
                root: site.root,
                output,
                drafts: site.drafts,
                base_url: site.base_url,
                playground: true,
                load: site.load.options(),
            };
            let overwrite =
                if force { semdoc::output::Overwrite::Anything } else { semdoc::output::Overwrite::OnlySemdocs };
            let report = semdoc::pipeline::build_with(&opts, overwrite)?;
            print_diagnostics(&report);
            for note in &report.notes {
                info!("semdoc: {note}");
            }
            if timings || verbose() {
                for (name, d) in &report.phases {
                    errln!("semdoc: {name:>12}: {} ms", d.as_millis());
                }
            }
            if report.unchanged {
                info!(
                    "semdoc: {} is up to date ({} pages, {} files): nothing changed since the last build, checked in {} ms{}",
                    opts.output_dir().display(),
                    report.pages,
                    report.files,
                    report.elapsed.as_millis(),
                    summary_suffix(&report)
                );
                Ok(Exit::Ok)
            } else if report.written {
                info!(
                    "semdoc: wrote {} pages ({} files) to {} in {} ms{}",
                    report.pages,
                    report.files,
                    opts.output_dir().display(),
                    report.elapsed.as_millis(),
                    summary_suffix(&report)
                );
                Ok(Exit::Ok)
            } else {
                errln!(
                    "semdoc: build failed with {}; {} was left as it was",
                    plural(report.errors(), "error"),
                    opts.output_dir().display()
                );
                Ok(Exit::Problems)
            }
        }
        Command::Check { site, format } => {
            let opts = BuildOptions {
                root: site.root,
                output: PathBuf::from("public"),
                drafts: site.drafts,
                base_url: site.base_url,
                playground: false,
                load: site.load.options(),
            };
            let report = semdoc::check(&opts)?;
            let failed = report.cases.iter().filter(|c| !c.passed).count();
            let summary = format!(
                "semdoc: checked {}, {} ({} failed) in {} ms: {}, {}",
                plural(report.pages, "page"),
                plural(report.cases.len(), "claim"),
                failed,
                report.elapsed.as_millis(),
                plural(report.errors(), "error"),
                plural(report.warnings(), "warning")
            );
            // The human report is the command's output (stdout); a machine format owns stdout, so
            // the summary line is then a log line on stderr.
            if format == Format::Human {
                let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                let least = if quiet() { Severity::Error } else { Severity::Warning };
                out!("{}", report::format_human_at(&report, color, least));
                if verbose() {
                    for c in &report.cases {
                        outln!("{} {} (verdict {})", if c.passed { "ok  " } else { "FAIL" }, c.name, c.verdict);
                    }
                }
                if !quiet() {
                    outln!("{summary}");
                }
            } else {
                out!("{}", report::format(&report, format, false));
                info!("{summary}");
            }
            Ok(if report.has_errors() { Exit::Problems } else { Exit::Ok })
        }
        Command::Explain(_) => unreachable!("handled in main"),
        Command::Lint { paths, expect, profile, format } => {
            use semdoc::lint;
            let tree = lint::walk::walk(&paths)?;
            let classifier = semdoc::semantics::Classifier::new();
            let saved = semdoc::cache::load(&classifier);
            let r = lint::lint(&tree, &classifier, &lint::Options { expect, profile });
            semdoc::cache::save(&classifier, saved);
            let summary = lint::format::summary(&r);
            match format {
                LintFormat::Human => {
                    out!("{}", lint::format::human(&r));
                    if !quiet() {
                        outln!("{summary}");
                    }
                }
                LintFormat::Json => out!("{}", lint::format::json(&r)),
                LintFormat::Junit => out!("{}", lint::format::junit(&r)),
                LintFormat::Github => out!("{}", lint::format::github(&r)),
                LintFormat::Sarif => out!("{}", lint::format::sarif(&r)),
            }
            if format != LintFormat::Human {
                info!("{summary}");
            }
            Ok(if r.failed() > 0 { Exit::Problems } else { Exit::Ok })
        }
        Command::Serve { root, port, bind, base_url, output, open, poll, debounce, drafts, load } => {
            keep_freed_memory();
            semdoc::serve::serve(semdoc::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                poll,
                debounce,
                open,
                base_url,
                output,
                load: load.options(),
                log: semdoc::serve::Log { out: output::stdout, err: output::stderr },
            })?;
            Ok(Exit::Ok)
        }
        Command::Init { dir } => {
            init(&dir)?;
            if dir == Path::new(".") {
                info!("semdoc: created a site here; build it with `semdoc build`, preview it with `semdoc serve`");
            } else {
                info!(
                    "semdoc: created a site in {}; build it with `semdoc build --root {}`",
                    dir.display(),
                    dir.display()
                );
            }
            Ok(Exit::Ok)
        }
    }
}

/// `semdoc init`: refuse a directory with the user's files in it, then write the scaffold (the
/// sample post dated today, the author from `$USER` when it is set).
fn init(dir: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    if dir.exists() {
        let names: Vec<String> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if let Some(why) = semdoc::init::refusal(dir, &names, dir.join(".github/workflows/docs.yml").exists()) {
            anyhow::bail!(why);
        }
    }
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let author = std::env::var("USER").ok().filter(|u| !u.trim().is_empty()).unwrap_or_else(|| "작성자".into());
    for (rel, text) in semdoc::init::scaffold(&today, &author) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn summary_suffix(r: &Report) -> String {
    if r.warnings() > 0 { format!(" ({})", plural(r.warnings(), "warning")) } else { String::new() }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn print_diagnostics(report: &Report) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let least = if quiet() { Severity::Error } else { Severity::Warning };
    err!("{}", report::format_human_at(report, color, least));
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every flag and argument of every command says what it is for in `--help` (issue #21:
    /// `serve --root`, `serve --drafts`, `init DIR` and `explain --format` had no text).
    #[test]
    fn every_option_has_help_text() {
        let cli = Cli::command();
        let mut missing = Vec::new();
        for cmd in std::iter::once(&cli).chain(cli.get_subcommands()) {
            for arg in cmd.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && arg.get_help().is_none() {
                    missing.push(format!("{} {}", cmd.get_name(), arg.get_id()));
                }
            }
        }
        assert!(missing.is_empty(), "options without help: {missing:?}");
    }
}
