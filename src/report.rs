//! Formatting a build or check `Report` for people and machines: human (with source excerpts and
//! optional colour), JSON, JUnit XML (one test case per snippet and table row, via `quick-junit`)
//! and GitHub workflow annotations. Pure functions returning strings; `main` prints them.

use crate::diag::{Diagnostic, Severity, strip_controls};
use crate::pipeline::Report;
use crate::verify::{Case, CaseKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Junit,
    Github,
}

pub fn format(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => format_human(report, color),
        Format::Json => format_json(report),
        Format::Junit => format_junit(report),
        Format::Github => format_github(report),
    }
}

/// `path:line:col: error[code]: message`, the source line with a caret, and the hint.
pub fn format_human(report: &Report, color: bool) -> String {
    format_human_at(report, color, Severity::Warning)
}

/// `format_human` with only the diagnostics at least as severe as `least` (`Severity::Error`:
/// errors only, for `--quiet`).
pub fn format_human_at(report: &Report, color: bool, least: Severity) -> String {
    let (red, yellow, blue, bold, reset) =
        if color { ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[0m") } else { ("", "", "", "", "") };
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| d.severity <= least) {
        let (sev, c) = match d.severity {
            Severity::Error => ("error", red),
            Severity::Warning => ("warning", yellow),
        };
        out.push_str(&format!(
            "{bold}{}{reset}: {c}{sev}[{}]{reset}: {}\n",
            d.location(),
            d.code,
            strip_controls(&d.message)
        ));
        if let Some(line) = excerpt(report, d) {
            let num = d.line.to_string();
            let pad = " ".repeat(num.len());
            out.push_str(&format!("{blue}{pad} |{reset}\n{blue}{num} |{reset} {line}\n"));
            if d.col > 0 {
                let caret_pad: String =
                    line.chars().take(d.col - 1).map(|ch| if ch == '\t' { '\t' } else { ' ' }).collect();
                out.push_str(&format!("{blue}{pad} |{reset} {caret_pad}{c}^{reset}\n"));
            }
        }
        if let Some(h) = &d.hint {
            out.push_str(&format!("  {blue}hint{reset}: {}\n", strip_controls(h)));
        }
    }
    out
}

fn excerpt(report: &Report, d: &Diagnostic) -> Option<String> {
    if d.line == 0 {
        return None;
    }
    let text = report.sources.get(&d.path)?;
    text.lines().nth(d.line - 1).map(|l| strip_controls(l.trim_end_matches('\r')))
}

#[derive(Serialize)]
struct JsonReport<'a> {
    ok: bool,
    errors: usize,
    warnings: usize,
    pages: usize,
    diagnostics: &'a [Diagnostic],
    cases: &'a [Case],
}

pub fn format_json(report: &Report) -> String {
    let j = JsonReport {
        ok: !report.has_errors(),
        errors: report.errors(),
        warnings: report.warnings(),
        pages: report.pages,
        diagnostics: &report.diagnostics,
        cases: &report.cases,
    };
    serde_json::to_string_pretty(&j).expect("report serializes") + "\n"
}

/// One suite per kind (snippets, table rows) plus one for the problems that belong to no claim, so
/// that a CI test view shows every checked claim by name (`path:line: role level`) and counts each
/// problem once: a problem found while checking a claim (`Diagnostic::case`) is shown inside that
/// claim's test case, which fails (or, if the claim itself held, errs) because of it.
pub fn format_junit(report: &Report) -> String {
    use quick_junit::{NonSuccessKind, Report as JReport, TestCase, TestCaseStatus, TestSuite};
    let mut jr = JReport::new("semdoc check");
    let errors_of = |name: &str| -> Vec<&Diagnostic> {
        report.diagnostics.iter().filter(|d| d.is_error() && d.case.as_deref() == Some(name)).collect()
    };
    for (kind, suite_name) in [(CaseKind::Snippet, "snippets"), (CaseKind::Row, "table rows")] {
        let mut suite = TestSuite::new(suite_name);
        for c in report.cases.iter().filter(|c| c.kind == kind) {
            let own = errors_of(&c.name);
            let details = || {
                let mut text = c.message.clone();
                for d in &own {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(&d.to_string());
                }
                text
            };
            let status = if !c.passed {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(format!("claimed {}, verdict {}", c.claim, c.verdict));
                s.set_description(details());
                s
            } else if let Some(d) = own.first() {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                s.set_message(d.message.clone());
                s.set_description(details());
                s
            } else {
                TestCaseStatus::success()
            };
            let mut tc = TestCase::new(c.name.clone(), status);
            tc.set_classname(c.path.display().to_string());
            suite.add_test_case(tc);
        }
        jr.add_test_suite(suite);
    }
    let claimed: std::collections::BTreeSet<&str> = report.cases.iter().map(|c| c.name.as_str()).collect();
    let mut suite = TestSuite::new("diagnostics");
    for d in report.diagnostics.iter().filter(|d| d.is_error()) {
        if d.case.as_deref().is_some_and(|c| claimed.contains(c)) {
            continue;
        }
        let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
        s.set_message(d.message.clone());
        s.set_description(d.to_string());
        let mut tc = TestCase::new(format!("{}: {}", d.location(), d.code), s);
        tc.set_classname(d.path.display().to_string());
        suite.add_test_case(tc);
    }
    if suite.tests > 0 {
        jr.add_test_suite(suite);
    }
    jr.to_string().expect("junit serializes")
}

/// One JUnit test case of a report that is not a build's (`lint`'s configurations): its name, its
/// class name, and for a failure its message and description.
pub struct JunitCase {
    pub name: String,
    pub classname: String,
    pub failure: Option<(String, String)>,
}

/// A JUnit document with one suite, for callers whose findings are not diagnostics.
pub fn junit_of(report: &str, suite_name: &str, cases: Vec<JunitCase>) -> String {
    use quick_junit::{NonSuccessKind, Report as JReport, TestCase, TestCaseStatus, TestSuite};
    let mut jr = JReport::new(report);
    let mut suite = TestSuite::new(suite_name);
    for c in cases {
        let status = match c.failure {
            Some((message, description)) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(message);
                s.set_description(description);
                s
            }
            None => TestCaseStatus::success(),
        };
        let mut tc = TestCase::new(c.name, status);
        tc.set_classname(c.classname);
        suite.add_test_case(tc);
    }
    jr.add_test_suite(suite);
    jr.to_string().unwrap_or_default()
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.
pub fn format_github(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = if d.is_error() { "error" } else { "warning" };
        let mut props = format!("file={}", gh_prop(&d.path.display().to_string()));
        if d.line > 0 {
            props.push_str(&format!(",line={}", d.line));
        }
        if d.col > 0 {
            props.push_str(&format!(",col={}", d.col));
        }
        props.push_str(&format!(",title={}", gh_prop(&format!("semdoc {}", d.code))));
        let mut msg = d.message.clone();
        if let Some(h) = &d.hint {
            msg.push_str("\nhint: ");
            msg.push_str(h);
        }
        out.push_str(&format!("::{level} {props}::{}\n", gh_data(&msg)));
    }
    out
}

/// Escaping rules of GitHub workflow commands (data and property values).
pub(crate) fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

pub(crate) fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn report() -> Report {
        let mut r = Report::default();
        r.sources.insert(PathBuf::from("content/a.md"), "line one\nacks=2, x\n".into());
        r.diagnostics.push(
            Diagnostic::error(Path::new("content/a.md"), 2, 6, "kafka", "Invalid value 2 for configuration acks")
                .with_hint("use all, -1, 0 or 1"),
        );
        r.cases.push(Case {
            kind: CaseKind::Row,
            path: "content/a.md".into(),
            line: 7,
            name: "content/a.md:7: producer at-least-once".into(),
            role: "producer".into(),
            claim: "at-least-once".into(),
            verdict: "at-most-once".into(),
            passed: false,
            message: "no-loss violated".into(),
        });
        r
    }

    #[test]
    fn human_has_excerpt_and_caret() {
        let s = format_human(&report(), false);
        assert_eq!(
            s,
            "content/a.md:2:6: error[kafka]: Invalid value 2 for configuration acks\n  |\n2 | acks=2, x\n  |      ^\n  hint: use all, -1, 0 or 1\n"
        );
    }

    #[test]
    fn junit_has_a_case_per_claim() {
        let x = format_junit(&report());
        assert!(x.contains("<testcase name=\"content/a.md:7: producer at-least-once\""), "{x}");
        assert!(x.contains("<failure message=\"claimed at-least-once, verdict at-most-once\""), "{x}");
        assert!(x.contains("<testsuite name=\"diagnostics\""), "{x}");
    }

    /// A false row and the error diagnostic that reports it are one problem: one failing test case,
    /// no second error (issue #21: `tests="4" failures="1" errors="1"` for three claims).
    #[test]
    fn junit_counts_a_claims_own_problem_once() {
        let mut r = report();
        let mut own = Diagnostic::error(Path::new("content/a.md"), 7, 1, "false-claim", "the row claims at-least-once");
        own.case = Some("content/a.md:7: producer at-least-once".into());
        r.diagnostics.push(own);
        r.cases.push(Case {
            name: "content/a.md:9: producer at-most-once".into(),
            line: 9,
            claim: "at-most-once".into(),
            passed: true,
            message: String::new(),
            ..r.cases[0].clone()
        });
        let mut invalid = Diagnostic::error(Path::new("content/a.md"), 10, 1, "invalid-config", "acks=2 is invalid");
        invalid.case = Some("content/a.md:9: producer at-most-once".into());
        r.diagnostics.push(invalid);
        let x = format_junit(&r);
        // Two claims, one failed (with its diagnostic inside), one erred through its own diagnostic,
        // and one free-standing diagnostic (acks=2 at line 2) in its own suite: three tests in all.
        assert!(x.contains(r#"<testsuites name="semdoc check" tests="3" skipped="0" failures="1" errors="2""#), "{x}");
        assert!(x.contains("content/a.md:7:1: error[false-claim]: the row claims at-least-once"), "{x}");
        assert!(x.contains(r#"<error message="acks=2 is invalid""#), "{x}");
        assert_eq!(x.matches("the row claims at-least-once").count(), 1, "{x}");
    }

    #[test]
    fn github_escapes() {
        let s = format_github(&report());
        assert_eq!(
            s,
            "::error file=content/a.md,line=2,col=6,title=semdoc kafka::Invalid value 2 for configuration acks%0Ahint: use all, -1, 0 or 1\n"
        );
    }

    #[test]
    fn json_shape() {
        let v: serde_json::Value = serde_json::from_str(&format_json(&report())).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["diagnostics"][0]["line"], 2);
        assert_eq!(v["cases"][0]["kind"], "row");
    }
}
