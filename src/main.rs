//! The `semdoc` command line: parses flags, calls the library, prints reports, sets the exit code.
//! This is the only place that prints.

use clap::{Parser, Subcommand};
use semdoc::report::{self, Format};
use semdoc::{BuildOptions, Report};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

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
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
    /// Site directory (holds site.yaml, content/, templates/, static/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include drafts (`draft: true` / `published: false`).
    #[arg(long)]
    drafts: bool,
    /// Override `base_url` from site.yaml.
    #[arg(long)]
    base_url: Option<String>,
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
    },
    /// Run the whole build without writing; exit 1 if anything is wrong.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Output format: human (default; colour unless NO_COLOR or not a terminal), json, junit, github.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Create a new site in DIR.
    Init { dir: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            Exit::CannotRun
        }
    };
    ExitCode::from(code as u8)
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Build { site, output } => {
            let opts = BuildOptions { root: site.root, output, drafts: site.drafts, base_url: site.base_url };
            let report = semdoc::build(&opts)?;
            print_diagnostics(&report);
            if report.written {
                eprintln!(
                    "semdoc: wrote {} pages ({} files) to {} in {} ms{}",
                    report.pages,
                    report.files,
                    opts.output_dir().display(),
                    report.elapsed.as_millis(),
                    summary_suffix(&report)
                );
                Ok(Exit::Ok)
            } else {
                eprintln!(
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
            };
            let report = semdoc::check(&opts)?;
            if format == Format::Human {
                print_diagnostics(&report);
            } else {
                print!("{}", report::format(&report, format, false));
            }
            let failed = report.cases.iter().filter(|c| !c.passed).count();
            eprintln!(
                "semdoc: checked {} pages, {} claims ({} failed) in {} ms: {}, {}",
                report.pages,
                report.cases.len(),
                failed,
                report.elapsed.as_millis(),
                plural(report.errors(), "error"),
                plural(report.warnings(), "warning")
            );
            Ok(if report.has_errors() { Exit::Problems } else { Exit::Ok })
        }
        Command::Init { dir } => {
            semdoc::init::init_site(&dir)?;
            eprintln!(
                "semdoc: created a site in {}; build it with `semdoc build --root {}`",
                dir.display(),
                dir.display()
            );
            Ok(Exit::Ok)
        }
    }
}

fn summary_suffix(r: &Report) -> String {
    if r.warnings() > 0 { format!(" ({})", plural(r.warnings(), "warning")) } else { String::new() }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn print_diagnostics(report: &Report) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", report::format_human(report, color));
}
