//! Python confluent-kafka snippets: config dict literals and `conf['k'] = v`, the poll loop's commits, and kafka-python/aiokafka named as another client.

use super::{RawConfig, call_args, code_value, line_col, loop_facts, mask_comments, string_lit};
use crate::semantics::Diag;

/// Python confluent-kafka: dict literals `{'acks': 'all', …}` and `conf['acks'] = 'all'`.
pub fn parse_python(text: &str) -> (RawConfig, Vec<Diag>) {
    let mut cfg = RawConfig::default();
    let mut diags = Vec::new();
    let code = mask_comments(text, true);
    for (n, t) in code.lines().enumerate() {
        let mut i = 0;
        while i < t.len() {
            let Some(q) = t[i..].find(['"', '\'']).map(|q| q + i) else { break };
            let Some((key, end)) = string_lit(t, q) else { break };
            let rest = t[end..].trim_start();
            let after = if let Some(r) = rest.strip_prefix(':') {
                Some(r)
            } else if let Some(r) = rest.strip_prefix("] =") {
                Some(r)
            } else {
                rest.strip_prefix("]=")
            };
            match after {
                Some(r) if key.contains('.') || key == "acks" || key == "retries" || key == "debug" => {
                    let r = r.trim_start();
                    let v = match string_lit(r, 0) {
                        Some((v, _)) => v,
                        None => code_value(r.split([',', '}']).next().unwrap_or("")),
                    };
                    let col = t[..q].chars().count() + 1;
                    cfg.entries.push(super::Entry { key, value: v, line: n + 1, col });
                    i = end;
                }
                _ => i = end,
            }
        }
    }
    // An unclosed config dict: its settings after the break would be lost.
    for call in ["Producer({", "Consumer({", "Producer(**{", "Consumer(**{"] {
        if let Some(p) = code.find(call)
            && call_args(&code, p + call.len(), '}').is_none()
        {
            let (line, col) = line_col(text, p);
            diags.push(
                Diag::error("parse", line, col, format!("the dict of `{call}` is not closed"))
                    .hint("close the dict and the call: `Producer({'acks': 'all'})`"),
            );
        }
    }
    cfg.code = loop_facts(text, &code, &["poll(", "consume("], &["commit("], &mut diags);
    // kafka-python and aiokafka take keyword arguments (`KafkaProducer(acks='all')`): another client
    // with its own defaults, which semdoc does not model.
    if let Some(i) = code.lines().position(|l| l.contains("KafkaProducer(") || l.contains("KafkaConsumer(")) {
        diags.push(
            Diag::warning(
                "python-client",
                i + 1,
                1,
                "`KafkaProducer(…)`/`KafkaConsumer(…)` is kafka-python or aiokafka, not confluent-kafka: semdoc does not model that client and reads only confluent-kafka config dicts".to_string(),
            )
            .hint("classify the equivalent confluent-kafka config (`Producer({'acks': 'all', …})`), or a .properties snippet"),
        );
    }
    (cfg, diags)
}
