//! Rust rdkafka snippets: `ClientConfig::new().set(K, V)` chains (calls may span lines) and the consumer loop's commits.

use super::{Entry, RawConfig, call_args, code_value, line_col, loop_facts, mask_comments, split_args, string_lit};
use crate::semantics::Diag;

/// Rust rdkafka: `ClientConfig::new().set("acks", "all")`.
pub fn parse_rust(text: &str) -> (RawConfig, Vec<Diag>) {
    let mut cfg = RawConfig::default();
    let mut diags = Vec::new();
    let code = mask_comments(text, false);
    let mut from = 0;
    while let Some(p) = code[from..].find(".set(").map(|p| p + from) {
        from = p + 5;
        let (line, col) = line_col(text, p + 1);
        let Some(args) = call_args(&code, p + 5, ')') else {
            diags.push(
                Diag::error("parse", line, col, "`.set(` is not closed: its setting cannot be read".to_string())
                    .hint("close the call: `.set(\"acks\", \"all\")`"),
            );
            continue;
        };
        if let [k, v] = split_args(args).as_slice()
            && let Some((key, _)) = string_lit(k.trim(), 0)
        {
            cfg.entries.push(Entry { key, value: code_value(v), line, col });
        }
    }
    cfg.code = loop_facts(
        text,
        &code,
        &["poll(", "recv()", ".stream()"],
        &["commit_message(", "commit_consumer_state(", "commit("],
        &mut diags,
    );
    (cfg, diags)
}
