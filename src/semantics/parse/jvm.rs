//! Java and Kotlin snippets: `props.put(K, V)`-style settings (calls may span lines), the consumer loop's commit pattern, Spring Kafka's ack mode and `Acknowledgment.acknowledge()`.

use super::{
    CodeFacts, Entry, RawConfig, call_args, code_value, line_col, loop_facts, mask_comments, split_args, string_lit,
};
use crate::semantics::Diag;

/// `ProducerConfig.ACKS_CONFIG` and friends → the key they hold. The constants whose name is not
/// the key in upper case come from `ProducerConfig`, `ConsumerConfig`, `CommonClientConfigs`,
/// `SslConfigs`, `SaslConfigs` and `TopicConfig` (clients/src/main/java/org/apache/kafka/… @ 3.9.0
/// and 4.1.0); `SaslConfigs.SASL_MECHANISM`-style names without `_CONFIG` are the key as well.
pub fn constant_key(name: &str) -> Option<String> {
    let c = name.rsplit('.').next()?;
    let known = match c {
        "KEY_SERIALIZER_CLASS_CONFIG" => "key.serializer",
        "VALUE_SERIALIZER_CLASS_CONFIG" => "value.serializer",
        "KEY_DESERIALIZER_CLASS_CONFIG" => "key.deserializer",
        "VALUE_DESERIALIZER_CLASS_CONFIG" => "value.deserializer",
        "MIN_IN_SYNC_REPLICAS_CONFIG" => "min.insync.replicas",
        "TRANSACTION_TIMEOUT_CONFIG" => "transaction.timeout.ms",
        "METADATA_MAX_AGE_CONFIG" => "metadata.max.age.ms",
        "METADATA_MAX_IDLE_CONFIG" => "metadata.max.idle.ms",
        "METRIC_REPORTER_CLASSES_CONFIG" => "metric.reporters",
        "RECEIVE_BUFFER_CONFIG" => "receive.buffer.bytes",
        "SEND_BUFFER_CONFIG" => "send.buffer.bytes",
        "SASL_JAAS_CONFIG" => "sasl.jaas.config",
        "SECURITY_PROVIDERS_CONFIG" => "security.providers",
        // A misspelt constant Kafka keeps for compatibility (ProducerConfig @ 3.9.0).
        "PARTITIONER_ADPATIVE_PARTITIONING_ENABLE_CONFIG" => "partitioner.adaptive.partitioning.enable",
        // The one producer constant without the suffix (ProducerConfig @ 3.9.0).
        "MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION" => "max.in.flight.requests.per.connection",
        _ => "",
    };
    if !known.is_empty() {
        return Some(known.to_string());
    }
    let base = c.strip_suffix("_CONFIG").unwrap_or(c);
    Some(base.to_lowercase().replace('_', "."))
}

/// A key expression: a string literal, or a constant of one of Kafka's config classes.
fn key_of(expr: &str) -> Option<String> {
    let e = expr.trim();
    if let Some((s, end)) = string_lit(e, 0) {
        return e[end..].trim().is_empty().then_some(s);
    }
    let ident = !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    let name = e.rsplit('.').next().unwrap_or(e);
    let upper = name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let config_class = e.rsplit('.').nth(1).is_some_and(|cls| cls.ends_with("Config") || cls.ends_with("Configs"));
    if ident && upper && (name.ends_with("_CONFIG") || name == "MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION" || config_class)
    {
        return constant_key(e);
    }
    None
}

/// Calls whose arguments are settings. `entry(` also covers `Map.entry(`.
const SETTING_CALLS: &[&str] = &["put(", "setProperty(", "Map.of(", "mapOf(", "entry(", "putIfAbsent("];

/// Java and Kotlin: `props.put(K, V)`, `setProperty(K, V)`, `props[K] = V`, `K to V`, `Map.of(K, V, …)`;
/// then the loop (`loop_facts`) and Spring Kafka's container settings.
pub fn parse_jvm(text: &str) -> (RawConfig, Vec<Diag>) {
    let mut cfg = RawConfig::default();
    let mut diags = Vec::new();
    let code = mask_comments(text, false);
    let at = |off: usize| line_col(text, off);
    let push = |cfg: &mut RawConfig, key: String, v: &str, off: usize| {
        let (line, col) = at(off);
        cfg.entries.push(Entry { key, value: code_value(v), line, col });
    };
    let mut calls: Vec<(usize, &str)> = Vec::new();
    for call in SETTING_CALLS {
        let mut from = 0;
        while let Some(p) = code[from..].find(call).map(|p| p + from) {
            from = p + call.len();
            let before = code[..p].chars().next_back();
            // `setProperty(` is not `put(`; `Map.entry(` is found once, as `entry(`.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            calls.push((p, call));
        }
    }
    calls.sort_unstable();
    for (p, call) in calls {
        let open = p + call.len();
        let Some(args) = call_args(&code, open, ')') else {
            let (line, col) = at(p);
            diags.push(
                Diag::error("parse", line, col, format!("`{call}` is not closed: its setting cannot be read"))
                    .hint("close the call, e.g. `props.put(ProducerConfig.ACKS_CONFIG, \"all\");`"),
            );
            continue;
        };
        let parts = split_args(args);
        let kotlin_pairs = parts.iter().any(|p| p.contains(" to "));
        if kotlin_pairs {
            for kv in &parts {
                if let Some((k, v)) = kv.split_once(" to ")
                    && let Some(key) = key_of(k)
                {
                    push(&mut cfg, key, v, p);
                }
            }
            continue;
        }
        for pair in parts.chunks(2) {
            if let [k, v] = pair
                && let Some(key) = key_of(k)
            {
                push(&mut cfg, key, v, p);
            }
        }
    }
    // Kotlin index assignment: props[ProducerConfig.ACKS_CONFIG] = "all"
    let mut line_start = 0;
    for line in code.split_inclusive('\n') {
        if let Some(open) = line.find('[')
            && let Some(close) = line[open..].find("] =").map(|c| c + open)
            && let Some(key) = key_of(&line[open + 1..close])
        {
            push(&mut cfg, key, &line[close + 3..], line_start + open);
        }
        line_start += line.len();
    }
    cfg.entries.sort_by_key(|e| (e.line, e.col));
    // Spring Kafka listeners commit by `Acknowledgment.acknowledge()` in manual ack modes.
    let spring = code.contains("@KafkaListener") || code.contains("AckMode.");
    let commits: &[&str] =
        if spring { &["commitSync(", "commitAsync(", "acknowledge("] } else { &["commitSync(", "commitAsync("] };
    let mut f = loop_facts(text, &code, &["poll(", "@KafkaListener"], commits, &mut diags);
    spring_container(text, &code, &mut cfg, &mut f, &mut diags);
    cfg.code = f;
    (cfg, diags)
}

/// Spring Kafka containers: `setAckMode(AckMode.X)` (or Kotlin `ackMode = AckMode.X`) becomes
/// `semdoc.spring.ack-mode`; with a manual mode the commit is `Acknowledgment.acknowledge()`, placed
/// by `loop_facts`, and none at all means the container never commits. A `@KafkaListener` without
/// either runs with the default `AckMode.BATCH`: a commit after the listener returns
/// (spring-kafka `ContainerProperties`: "BATCH: Commit the offsets of all records returned by the
/// previous poll after they all have been processed by the listener").
fn spring_container(text: &str, code: &str, cfg: &mut RawConfig, f: &mut CodeFacts, diags: &mut Vec<Diag>) {
    let mode = code.find("AckMode.").map(|p| {
        let name: String = code[p + 8..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        (p, name)
    });
    let listener = code.find("@KafkaListener");
    if mode.is_none() && listener.is_none() {
        return;
    }
    let acknowledges = code.contains("acknowledge(");
    if let Some((p, name)) = &mode {
        let p = *p;
        let (line, col) = line_col(text, p);
        match super::spring::ack_mode_name(name) {
            Some(m @ ("manual" | "manual_immediate")) => {
                cfg.entries.push(Entry { key: "semdoc.spring.ack-mode".into(), value: m.into(), line, col });
                if !acknowledges {
                    f.commit = Some("never");
                    f.commit_line = Some(line);
                    diags.push(
                        Diag::warning(
                            "spring-ack",
                            line,
                            col,
                            format!("AckMode.{name} commits only what the listener acknowledges, and the snippet never calls `acknowledge()`"),
                        )
                        .hint("call `ack.acknowledge()` after processing, or add `semdoc.commit=…`"),
                    );
                }
            }
            Some(m) => {
                cfg.entries.push(Entry { key: "semdoc.spring.ack-mode".into(), value: m.into(), line, col });
            }
            None => {
                diags.push(Diag::error("parse", line, col, format!("`AckMode.{name}` is not a spring-kafka ack mode")))
            }
        }
    } else if let Some(p) = listener
        && !acknowledges
    {
        let (line, col) = line_col(text, p);
        f.commit = Some("after-processing");
        f.commit_line = Some(line);
        diags.push(Diag::info(
            "spring-ack",
            line,
            col,
            "a @KafkaListener container with the default AckMode.BATCH commits after the listener returns".into(),
        ));
    }
    // KafkaMessageListenerContainer sets enable.auto.commit=false unless the consumer config sets it
    // (spring-kafka v3.3.16 KMLC:1215; since 2.3.0).
    if !cfg.entries.iter().any(|e| e.key == "enable.auto.commit") {
        let (line, col) = line_col(text, listener.or(mode.as_ref().map(|(p, _)| *p)).unwrap_or(0));
        cfg.entries.push(Entry { key: "enable.auto.commit".into(), value: "false".into(), line, col });
        diags.push(super::spring::implied_auto_commit_off(line, col));
    }
}
