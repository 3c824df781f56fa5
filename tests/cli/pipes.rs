//! Closed pipes: `semdoc … | head -1` after `head` has gone. Every write then fails with EPIPE;
//! semdoc stops writing, says nothing and exits with the status the command earned (no panic,
//! no exit 101). Any other write error on standard output is reported and exits 2.

use crate::*;
use std::process::{Output, Stdio};

/// A pipe whose reader is already gone, as after `| head -1` has printed its line and exited:
/// every write to it fails with EPIPE, whatever the timing.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

/// `semdoc ARGS` in `dir`, normally and with standard output into a closed pipe; the two runs'
/// outputs (the second's stderr captured).
fn normal_and_stdout_closed(sandbox: &Sandbox, args: &[&str], dir: &std::path::Path) -> (Output, Output) {
    let normal = sandbox.run(args, dir);
    let closed = sandbox.command(args, dir).stdout(closed_pipe()).stderr(Stdio::piped()).output().unwrap();
    (normal, closed)
}

/// The closed run ended as the normal one did, and quietly.
fn assert_quiet(what: &str, normal: &Output, closed: &Output) {
    let err = stderr(closed);
    assert!(!normal.stdout.is_empty(), "{what}: the command prints something to stdout");
    assert_ne!(closed.status.code(), Some(101), "{what}: panicked: {err}");
    assert_eq!(closed.status.code(), normal.status.code(), "{what}: the status the command earned: {err}");
    assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{what}: {err}");
}

/// Both stdout and stderr into a closed pipe (`2>&1 | head -1`): the status, and nothing else,
/// tells what happened.
fn all_closed(site: &Site, args: &[&str]) -> Output {
    let pipe = closed_pipe();
    site.command(args).stdout(pipe.try_clone().unwrap()).stderr(pipe).output().unwrap()
}

const SNIPPET_POST: &str =
    "---\ntitle: P\ndate: 2024-01-01\n---\n\n```properties semdoc kafka=2.8\nacks=0\nretries=0\n```\n";
const BAD_POST: &str = "---\ntitle: P\ndate: not-a-date\n---\n\nbody\n";

#[test]
fn explain_into_a_closed_pipe_exits_quietly_with_its_status() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    std::fs::write(dir.join("ok.properties"), "acks=0\nretries=0\n").unwrap();
    std::fs::write(dir.join("invalid.properties"), "enable.idempotence=true\nacks=0\n").unwrap();
    for (file, code) in [("ok.properties", 0), ("invalid.properties", 1)] {
        for format in ["human", "json"] {
            let args = ["explain", "--kafka", "3.9", "--format", format, file];
            let (normal, closed) = normal_and_stdout_closed(&sandbox, &args, dir);
            assert_eq!(normal.status.code(), Some(code), "{file}: {}", stderr(&normal));
            assert_quiet(&format!("explain --format {format} {file}"), &normal, &closed);
            assert!(closed.stderr.is_empty(), "explain says nothing on stderr: {}", stderr(&closed));
        }
    }
}

#[test]
fn check_into_a_closed_pipe_exits_quietly_with_its_status() {
    for (post, code) in [(SNIPPET_POST, 0), (BAD_POST, 1)] {
        let site = Site::new(&[("content/posts/2024-01-01-p.md", post)]);
        for format in ["human", "json", "junit"] {
            let args = ["check", "--format", format];
            let (normal, closed) = normal_and_stdout_closed(site.sandbox(), &args, site.root());
            assert_eq!(normal.status.code(), Some(code), "{}", stderr(&normal));
            assert_quiet(&format!("check --format {format}"), &normal, &closed);
            if format != "human" {
                assert!(
                    stderr(&closed).contains("semdoc: checked"),
                    "stderr still gets the summary: {}",
                    stderr(&closed)
                );
            }
        }
        // Both streams closed: `semdoc check 2>&1 | head -1`.
        for format in ["human", "json"] {
            let out = all_closed(&site, &["check", "--format", format]);
            assert_eq!(out.status.code(), Some(code), "check --format {format} 2>&1 into a closed pipe");
        }
    }
}

#[test]
fn build_into_a_closed_pipe_exits_quietly_with_its_status_and_still_builds() {
    let site = Site::new(&[("content/posts/2024-01-01-p.md", SNIPPET_POST)]);
    let out = all_closed(&site, &["build", "--timings"]);
    assert_eq!(out.status.code(), Some(0), "build 2>&1 into a closed pipe");
    assert!(site.read("public/posts/p/index.html").contains("data-verdict=\"at-most-once\""));
    // Up to date: the replayed report and the summary go nowhere, quietly.
    assert_eq!(all_closed(&site, &["build"]).status.code(), Some(0));
    site.write("content/posts/2024-01-01-p.md", BAD_POST);
    assert_eq!(all_closed(&site, &["build"]).status.code(), Some(1), "a failed build is still exit 1");
    // Stderr closed alone (`semdoc build 2>&1 >/dev/null | head -1`): stdout stays usable.
    let out = site.command(&["build"]).stderr(closed_pipe()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn help_and_usage_errors_into_a_closed_pipe_exit_quietly() {
    let site = Site::new(&[]);
    for (args, code) in [(&["--help"][..], 0), (&["explain", "--help"][..], 0), (&["--version"][..], 0)] {
        let (normal, closed) = normal_and_stdout_closed(site.sandbox(), args, site.root());
        assert_eq!(normal.status.code(), Some(code));
        assert_quiet(&args.join(" "), &normal, &closed);
    }
    assert_eq!(all_closed(&site, &["explain", "--kafka", "99"]).status.code(), Some(2));
}

#[test]
fn a_stdout_that_cannot_be_written_is_an_error_not_silence() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    std::fs::write(dir.join("ok.properties"), "acks=0\nretries=0\n").unwrap();
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"skipped a_stdout_that_cannot_be_written_is_an_error_not_silence: needs /dev/full (Linux)\n",
        );
        return;
    };
    let out = sandbox.command(&["explain", "ok.properties"], dir).stdout(full).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: cannot write to standard output: No space left on device"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}
