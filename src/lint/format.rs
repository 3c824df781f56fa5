//! `semdoc lint`'s outputs: human, JSON, GitHub workflow annotations and SARIF 2.1.0 (for
//! code-scanning upload; OASIS "Static Analysis Results Interchange Format (SARIF) Version 2.1.0",
//! the `sarif-schema-2.1.0.json` schema). JUnit through `report::junit_of` (the JUnit crate's owner).

use super::{Finding, LintReport};
use crate::semantics::Severity;
use serde_json::json;

fn kafka_of(f: &Finding) -> String {
    match &f.kafka_from {
        Some(src) => format!("Kafka {} (from {src})", f.kafka),
        None if f.kafka.is_empty() => String::new(),
        None => format!("Kafka {} (assumed: no build file names it)", f.kafka),
    }
}

fn sev(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One block per configuration: where, what, verdict, the proven fix; then what was skipped.
pub fn human(r: &LintReport) -> String {
    let mut out = String::new();
    for f in &r.findings {
        let mark = if f.passed { "ok  " } else { "FAIL" };
        out.push_str(&format!(
            "{mark} {}:{}: {} · {} · {} · {}: {}\n",
            f.path.display(),
            f.line,
            f.kind.as_str(),
            f.role,
            f.client,
            kafka_of(f),
            f.verdict
        ));
        if let Some(p) = &f.problem {
            out.push_str(&format!("     {p}\n"));
        }
        for n in &f.notes {
            out.push_str(&format!(
                "     {}:{}:{}: {}[{}]: {}\n",
                f.path.display(),
                n.line,
                n.col,
                sev(n.severity),
                n.code,
                crate::diag::strip_controls(&n.message)
            ));
            if let Some(h) = &n.hint {
                out.push_str(&format!("       hint: {}\n", crate::diag::strip_controls(h)));
            }
        }
        if let Some(fix) = &f.fix {
            out.push_str(&format!("     proven fix: {fix}\n"));
        }
    }
    for s in &r.skipped {
        out.push_str(&format!("skipped {}: {}\n", s.path.display(), s.reason.as_str()));
    }
    out
}

/// The summary line (stderr for machine formats, the end of the human report).
pub fn summary(r: &LintReport) -> String {
    format!(
        "semdoc lint: {} visited, {} read, {} Kafka configurations ({} failed), {} skipped",
        if r.visited == 1 { "1 file".to_string() } else { format!("{} files", r.visited) },
        r.read,
        r.findings.len(),
        r.failed(),
        r.skipped.len()
    )
}

pub fn json(r: &LintReport) -> String {
    let v = json!({
        "ok": r.failed() == 0,
        "visited": r.visited,
        "read": r.read,
        "findings": r.findings,
        "skipped": r.skipped,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// A failed configuration is an error annotation at its line; every note of it one more.
pub fn github(r: &LintReport) -> String {
    use crate::report::{gh_data, gh_prop};
    let mut out = String::new();
    for f in &r.findings {
        let file = gh_prop(&f.path.display().to_string());
        if let Some(p) = &f.problem {
            let mut msg = format!("{} {} is {}: {p}", f.kind.as_str(), f.role, f.verdict);
            if let Some(fix) = &f.fix {
                msg.push_str(&format!("\nproven fix: {fix}"));
            }
            out.push_str(&format!(
                "::error file={file},line={},title={}::{}\n",
                f.line,
                gh_prop("semdoc lint"),
                gh_data(&msg)
            ));
        }
        for n in f.notes.iter().filter(|n| n.severity != Severity::Info) {
            let mut msg = n.message.clone();
            if let Some(h) = &n.hint {
                msg.push_str(&format!("\nhint: {h}"));
            }
            out.push_str(&format!(
                "::{} file={file},line={},col={},title={}::{}\n",
                sev(n.severity),
                n.line,
                n.col,
                gh_prop(&format!("semdoc {}", n.code)),
                gh_data(&msg)
            ));
        }
    }
    out
}

/// SARIF 2.1.0: one run, rules `kafka-guarantee` (a configuration's verdict: `error` when it fails,
/// `note` otherwise) and one rule per classifier diagnostic code.
/// One JUnit test case per configuration found (`path:line: role verdict`), a failure when it
/// fails, in one suite `kafka configurations`.
pub fn junit(r: &LintReport) -> String {
    let cases = r
        .findings
        .iter()
        .map(|f| crate::report::JunitCase {
            name: format!("{}:{}: {} {}", f.path.display(), f.line, f.role, f.verdict),
            classname: f.path.display().to_string(),
            failure: f.problem.as_ref().map(|p| {
                let mut text: Vec<String> = f.notes.iter().map(|n| format!("line {}: {}", n.line, n.message)).collect();
                if let Some(fix) = &f.fix {
                    text.push(format!("proven fix: {fix}"));
                }
                (p.clone(), text.join("\n"))
            }),
        })
        .collect();
    crate::report::junit_of("semdoc lint", "kafka configurations", cases)
}

pub fn sarif(r: &LintReport) -> String {
    let mut rules: Vec<&str> = vec!["kafka-guarantee"];
    for f in &r.findings {
        for n in &f.notes {
            if !rules.contains(&n.code) {
                rules.push(n.code);
            }
        }
    }
    let rule_index = |id: &str| rules.iter().position(|r| *r == id).unwrap_or(0);
    let location = |f: &Finding, line: usize, col: usize| {
        json!({
            "physicalLocation": {
                "artifactLocation": { "uri": f.path.to_string_lossy().replace('\\', "/") },
                "region": { "startLine": line.max(1), "startColumn": col.max(1) }
            }
        })
    };
    let mut results = Vec::new();
    for f in &r.findings {
        let mut text = format!("{} ({}, {}, {}): {}", f.kind.as_str(), f.role, f.client, kafka_of(f), f.verdict);
        if let Some(p) = &f.problem {
            text.push_str(&format!(". {p}"));
        }
        if let Some(fix) = &f.fix {
            text.push_str(&format!(". Proven fix: {fix}"));
        }
        results.push(json!({
            "ruleId": "kafka-guarantee",
            "ruleIndex": 0,
            "level": if f.passed { "note" } else { "error" },
            "message": { "text": text },
            "locations": [location(f, f.line, 1)],
            "properties": { "verdict": f.verdict, "role": f.role, "client": f.client, "kafka": f.kafka }
        }));
        for n in &f.notes {
            let mut text = n.message.clone();
            if let Some(h) = &n.hint {
                text.push_str(&format!(" (hint: {h})"));
            }
            results.push(json!({
                "ruleId": n.code,
                "ruleIndex": rule_index(n.code),
                "level": sev(n.severity),
                "message": { "text": text },
                "locations": [location(f, n.line, n.col)]
            }));
        }
    }
    let rules: Vec<_> = rules
        .iter()
        .map(|id| {
            let text = if *id == "kafka-guarantee" {
                "The delivery guarantee the bundled model checker proves for a Kafka client configuration".to_string()
            } else {
                format!("semdoc classifier diagnostic `{id}`")
            };
            json!({ "id": id, "shortDescription": { "text": text } })
        })
        .collect();
    let v = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "semdoc",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results
        }]
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
