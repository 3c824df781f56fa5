//! Snippet parsers: `.properties`, YAML (plain and Spring Boot `spring.kafka.*`), Java/Kotlin code,
//! Python confluent-kafka dicts and Rust `ClientConfig::set` chains, into one `RawConfig` whose
//! entries keep their source line. Code snippets also yield the consumer loop's commit pattern.
//!
//! YAML is scanned by hand (a block-mapping subset) rather than with a YAML crate because every
//! value must keep its line for diagnostics, which `serde_yaml` does not expose, and because this
//! module stays free of IO and format crates so it could be its own crate.

use super::Diag;

/// One `key=value` setting as written, with where it was written (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub line: usize,
    pub col: usize,
}

/// What the code of a consumer loop shows about its commits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeFacts {
    /// `before-processing`, `after-processing` or `transactional`, when the loop shows it.
    pub commit: Option<&'static str>,
    /// `abortTransaction` appears.
    pub aborts: bool,
    /// The code seeks back after an abort (`seek`, `resetToLastCommittedPositions`, `rewind`).
    pub rewinds: bool,
    /// Line of the commit call, for diagnostics.
    pub commit_line: Option<usize>,
    /// Line of a transactional producer call (`initTransactions`, `beginTransaction`, Python's
    /// `init_transactions`): the producer has a `transactional.id`, or these calls would throw.
    pub transactions_line: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawConfig {
    pub entries: Vec<Entry>,
    pub code: CodeFacts,
}

/// The snippet languages semdoc reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Properties,
    Yaml,
    Java,
    Kotlin,
    Python,
    Rust,
}

impl Lang {
    pub fn from_fence(lang: &str) -> Option<Lang> {
        Some(match lang.to_lowercase().as_str() {
            "properties" | "props" | "conf" | "ini" | "text" | "" => Lang::Properties,
            "yaml" | "yml" => Lang::Yaml,
            "java" => Lang::Java,
            "kotlin" | "kt" | "kts" => Lang::Kotlin,
            "python" | "py" => Lang::Python,
            "rust" | "rs" => Lang::Rust,
            _ => return None,
        })
    }

    /// Guess the language of text read from a file or stdin.
    pub fn sniff(text: &str) -> Lang {
        if text.contains("ClientConfig::new") || text.contains(".set(\"") {
            Lang::Rust
        } else if text.contains("props.put(")
            || text.contains("Properties()")
            || text.contains("setProperty(")
            || text.contains("Config.")
        {
            if text.contains("val ") || text.contains("fun ") || text.contains(" to ") {
                Lang::Kotlin
            } else {
                Lang::Java
            }
        } else if text.contains("confluent_kafka")
            || text.contains("Producer({")
            || text.contains("Consumer({")
            || text.contains("': ")
        {
            Lang::Python
        } else if text.lines().any(|l| {
            let t = l.trim();
            !t.starts_with('#') && t.contains(": ") && !t.contains('=')
        }) || text.lines().any(|l| l.trim_end().ends_with(':'))
        {
            Lang::Yaml
        } else {
            Lang::Properties
        }
    }
}

pub fn parse(text: &str, lang: Lang) -> (RawConfig, Vec<Diag>) {
    let (mut cfg, mut diags) = match lang {
        Lang::Properties => return parse_properties(text),
        Lang::Yaml => return parse_yaml(text),
        Lang::Java | Lang::Kotlin => parse_jvm(text),
        Lang::Python => parse_python(text),
        Lang::Rust => parse_rust(text),
    };
    // Values in code that are not constants (a variable, a method call): a key whose value only
    // matters by being there keeps it; any other key is left out, with a warning, rather than
    // judged on text the client never sees.
    cfg.entries.retain_mut(|e| {
        let Some(expr) = e.value.strip_prefix(UNEVALUATED) else { return true };
        if PRESENCE_ONLY.contains(&e.key.as_str()) {
            e.value = expr.to_string();
            return true;
        }
        diags.push(
            Diag::warning(
                "code-value",
                e.line,
                e.col,
                format!("cannot evaluate `{expr}` for `{}`; the setting is left out", e.key),
            )
            .hint(format!("write the value as a literal, e.g. `\"{}\"`, or add `semdoc.` options", e.key)),
        );
        false
    });
    (cfg, diags)
}

/// Marks a value expression in code that `code_value` could not evaluate.
const UNEVALUATED: &str = "\u{0}expr:";

/// Keys whose value matters only by being set (any non-empty value behaves the same).
const PRESENCE_ONLY: &[&str] = &["transactional.id", "group.id", "bootstrap.servers", "client.id", "group.instance.id"];

/// Java `.properties`: `#`/`!` comments, `=`, `:` or whitespace separators, `\` continuations.
pub fn parse_properties(text: &str) -> (RawConfig, Vec<Diag>) {
    let mut cfg = RawConfig::default();
    let mut diags = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let mut logical = lines[i].trim_start().to_string();
        let col = lines[i].len() - lines[i].trim_start().len() + 1;
        while logical.ends_with('\\') && !logical.ends_with("\\\\") && i + 1 < lines.len() {
            logical.pop();
            i += 1;
            logical.push_str(lines[i].trim_start());
        }
        i += 1;
        let l = logical.trim_end();
        if l.is_empty() || l.starts_with('#') || l.starts_with('!') {
            continue;
        }
        // java.util.Properties#load: the key ends at the first unescaped '=', ':', space, tab or
        // form feed (other Unicode spaces belong to the key).
        let sep = l.find(['=', ':', ' ', '\t', '\x0c']);
        let (k, v) = match sep {
            // The separator may be a multi-byte space (U+00A0, U+3000, …): skip the whole character.
            Some(p) => {
                let width = l[p..].chars().next().map_or(1, char::len_utf8);
                (&l[..p], l[p + width..].trim_start_matches([' ', '\t', '=', ':']).trim())
            }
            None => (l, ""),
        };
        let key = unescape(k.trim());
        if key.is_empty() || key.contains(char::is_whitespace) {
            diags.push(
                Diag::error("parse", start + 1, col, format!("cannot read `{l}` as `key=value`"))
                    .hint("write one setting per line, e.g. `acks=all`"),
            );
            continue;
        }
        if sep.is_none() {
            diags.push(
                Diag::error("parse", start + 1, col, format!("`{key}` has no value"))
                    .hint(format!("write `{key}=<value>`")),
            );
            continue;
        }
        cfg.entries.push(Entry { key, value: unescape(v), line: start + 1, col });
    }
    (cfg, diags)
}

fn unescape(s: &str) -> String {
    let mut o = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => o.push('\n'),
                Some('t') => o.push('\t'),
                Some(c) => o.push(c),
                None => {}
            }
        } else {
            o.push(c);
        }
    }
    o
}

/// A block-mapping YAML subset: nested `key: value` maps by indentation, comments, quoted keys and
/// values, `[key]` bracket keys (Spring's map notation). Lists and flow collections are skipped
/// with a warning. Keys are flattened with dots; Spring Boot names are then mapped to Kafka's.
pub fn parse_yaml(text: &str) -> (RawConfig, Vec<Diag>) {
    let mut cfg = RawConfig::default();
    let mut diags = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let no_comment = strip_yaml_comment(raw);
        if no_comment.trim().is_empty() || no_comment.trim() == "---" {
            continue;
        }
        let indent = no_comment.len() - no_comment.trim_start().len();
        let t = no_comment.trim();
        if t.starts_with("- ") || t == "-" {
            diags.push(Diag::warning(
                "yaml-list",
                line,
                indent + 1,
                "YAML lists are not read for Kafka settings".to_string(),
            ));
            continue;
        }
        let Some(colon) = find_yaml_colon(t) else {
            diags.push(
                Diag::error("parse", line, indent + 1, format!("cannot read `{t}` as `key: value`"))
                    .hint("write nested settings as `key: value` with consistent indentation"),
            );
            continue;
        };
        let key = unquote(t[..colon].trim());
        let key = key.strip_prefix('[').and_then(|k| k.strip_suffix(']')).map(str::to_string).unwrap_or(key);
        let value = t[colon + 1..].trim();
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        if value.is_empty() {
            stack.push((indent, key));
            continue;
        }
        if value.starts_with('{') || value.starts_with('[') {
            diags.push(Diag::warning(
                "yaml-flow",
                line,
                indent + 1,
                format!("flow collection for `{key}` is not read"),
            ));
            continue;
        }
        let mut path: Vec<String> = stack.iter().map(|(_, k)| k.clone()).collect();
        path.push(key);
        let col = indent + colon + 3;
        let key = map_yaml_path(&path);
        let value = spring_value(&path, unquote(value));
        cfg.entries.push(Entry { key, value, line, col });
    }
    (cfg, diags)
}

fn strip_yaml_comment(l: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in l.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('#', None) if i == 0 || l[..i].ends_with(char::is_whitespace) => return &l[..i],
            _ => {}
        }
    }
    l
}

fn find_yaml_colon(t: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut bracket = false;
    for (i, c) in t.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) if i == 0 || bracket => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('[', None) => bracket = true,
            (']', None) => bracket = false,
            (':', None) if !bracket && (i + 1 == t.len() || t[i + 1..].starts_with(' ')) => return Some(i),
            _ => {}
        }
    }
    None
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].to_string();
        }
    }
    s.to_string()
}

/// Spring Boot's `spring.kafka.*` names (relaxed binding, kebab-case) → Kafka keys with a role prefix.
/// Spring Boot binds some `spring.kafka.*` properties to typed fields before handing them to the
/// client (KafkaProperties): `isolation-level` is an enum written in any relaxed form
/// (`read-committed`, `READ_COMMITTED`) and passed on as `read_committed`; `auto-commit-interval`
/// is a `Duration` (`5s`, `100ms`, or milliseconds).
fn spring_value(path: &[String], value: String) -> String {
    let joined = path.join(".");
    if joined.ends_with("consumer.isolation-level") && joined.starts_with("spring.kafka.") {
        return value.to_lowercase().replace('-', "_");
    }
    if joined.ends_with("consumer.auto-commit-interval") && joined.starts_with("spring.kafka.") {
        let v = value.trim();
        for (suffix, ms) in [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)] {
            if let Some(n) = v.strip_suffix(suffix).and_then(|n| n.trim().parse::<i64>().ok()) {
                return (n * ms).to_string();
            }
        }
    }
    value
}

fn map_yaml_path(path: &[String]) -> String {
    let joined = path.join(".");
    let Some(rest) = joined.strip_prefix("spring.kafka.") else {
        return joined;
    };
    for role in ["producer", "consumer"] {
        if let Some(k) = rest.strip_prefix(&format!("{role}.properties.")) {
            return format!("{role}.{k}");
        }
        if let Some(k) = rest.strip_prefix(&format!("{role}.")) {
            let key = match k {
                "transaction-id-prefix" => "transactional.id".to_string(),
                "auto-commit-interval" => "auto.commit.interval.ms".to_string(),
                other => other.replace('-', "."),
            };
            return format!("{role}.{key}");
        }
    }
    if let Some(k) = rest.strip_prefix("properties.") {
        return k.to_string();
    }
    match rest {
        "bootstrap-servers" => "bootstrap.servers".into(),
        "listener.ack-mode" => "semdoc.spring.ack-mode".into(),
        "transaction-id-prefix" => "producer.transactional.id".into(),
        other => format!("spring.kafka.{other}"),
    }
}

/// A string literal starting at byte `i` of `s` (`"…"` or `'…'`): (content, end index).
fn string_lit(s: &str, i: usize) -> Option<(String, usize)> {
    let q = s[i..].chars().next()?;
    if q != '"' && q != '\'' {
        return None;
    }
    let mut out = String::new();
    let mut esc = false;
    for (j, c) in s[i + 1..].char_indices() {
        if esc {
            out.push(c);
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else if c == q {
            return Some((out, i + 1 + j + 1));
        } else {
            out.push(c);
        }
    }
    None
}

/// `ProducerConfig.ACKS_CONFIG` and friends → the key they hold.
pub fn constant_key(name: &str) -> Option<String> {
    let c = name.rsplit('.').next()?;
    let known = match c {
        "KEY_SERIALIZER_CLASS_CONFIG" => "key.serializer",
        "VALUE_SERIALIZER_CLASS_CONFIG" => "value.serializer",
        "KEY_DESERIALIZER_CLASS_CONFIG" => "key.deserializer",
        "VALUE_DESERIALIZER_CLASS_CONFIG" => "value.deserializer",
        "MIN_IN_SYNC_REPLICAS_CONFIG" => "min.insync.replicas",
        "TRANSACTION_TIMEOUT_CONFIG" => "transaction.timeout.ms",
        // The one producer constant without the suffix (AK ProducerConfig.java).
        "MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION" => "max.in.flight.requests.per.connection",
        _ => "",
    };
    if !known.is_empty() {
        return Some(known.to_string());
    }
    let base = c.strip_suffix("_CONFIG")?;
    Some(base.to_lowercase().replace('_', "."))
}

/// A value expression in code, evaluated when it is a constant: a string, boolean or integer literal
/// (`120_000L`), `Integer.MAX_VALUE` and friends, a product of integers (`60 * 1000`),
/// `Duration.ofX(n).toMillis()`, `TimeUnit.X.toMillis(n)`, `String.valueOf(…)`/`….toString()`
/// wrappers, and Kafka's enums (`IsolationLevel.READ_COMMITTED`, `OffsetResetStrategy.EARLIEST`).
/// Anything else comes back marked `UNEVALUATED` for `parse` to decide.
fn code_value(expr: &str) -> String {
    let e = expr.trim().trim_end_matches(';').trim();
    // Drop unbalanced closing parentheses left by the caller's split.
    let mut e = e.to_string();
    while e.ends_with(')') && e.matches(')').count() > e.matches('(').count() {
        e.pop();
    }
    let e = e.trim();
    eval_const(e).unwrap_or_else(|| format!("{UNEVALUATED}{e}"))
}

fn eval_const(e: &str) -> Option<String> {
    let e = e.trim();
    if let Some((s, end)) = string_lit(e, 0) {
        let rest = e[end..].trim();
        return ["", ".to_string()", ".into()", ".to_owned()", ".toString()"].contains(&rest).then_some(s);
    }
    let inner = |prefix: &str, suffix: &str| e.strip_prefix(prefix).and_then(|r| r.strip_suffix(suffix));
    for (p, s) in [
        ("String.valueOf(", ")"),
        ("Integer.toString(", ")"),
        ("Long.toString(", ")"),
        ("Boolean.toString(", ")"),
        ("str(", ")"),
        ("(int) ", ""),
        ("(int)", ""),
        ("(", ")"),
    ] {
        if let Some(x) = inner(p, s) {
            return eval_const(x);
        }
    }
    for suffix in [
        ".toString()",
        ".to_string()",
        ".toLowerCase()",
        ".toLowerCase(Locale.ROOT)",
        ".name().toLowerCase(Locale.ROOT)",
        ".name.lowercase()",
        ".toInt()",
        ".toLong()",
    ] {
        if let Some(x) = e.strip_suffix(suffix) {
            return eval_const(x);
        }
    }
    match e {
        "Integer.MAX_VALUE" | "Int.MAX_VALUE" | "i32::MAX" => return Some("2147483647".into()),
        "Long.MAX_VALUE" | "i64::MAX" => return Some("9223372036854775807".into()),
        "true" | "True" | "Boolean.TRUE" => return Some("true".into()),
        "false" | "False" | "Boolean.FALSE" => return Some("false".into()),
        _ => {}
    }
    for (prefix, ms) in [
        ("Duration.ofMillis(", 1),
        ("Duration.ofSeconds(", 1000),
        ("Duration.ofMinutes(", 60_000),
        ("Duration.ofHours(", 3_600_000),
    ] {
        if let Some(n) = e.strip_prefix(prefix).and_then(|r| r.strip_suffix(").toMillis()")) {
            return int_const(n).map(|n| (n * ms).to_string());
        }
    }
    for (unit, ms) in [("MILLISECONDS", 1), ("SECONDS", 1000), ("MINUTES", 60_000), ("HOURS", 3_600_000)] {
        if let Some(n) = e.strip_prefix(&format!("TimeUnit.{unit}.toMillis(")).and_then(|r| r.strip_suffix(')')) {
            return int_const(n).map(|n| (n * ms).to_string());
        }
    }
    match e {
        "StreamsConfig.EXACTLY_ONCE_V2" => return Some("exactly_once_v2".into()),
        "StreamsConfig.EXACTLY_ONCE" => return Some("exactly_once".into()),
        "StreamsConfig.AT_LEAST_ONCE" => return Some("at_least_once".into()),
        _ => {}
    }
    for prefix in ["IsolationLevel.", "OffsetResetStrategy.", "AutoOffsetResetStrategy."] {
        if let Some(name) = e.strip_prefix(prefix)
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        {
            return Some(name.to_lowercase());
        }
    }
    int_const(e).map(|n| n.to_string())
}

/// An integer literal (`120_000L`, `-1`) or a product of them (`60 * 1000`).
fn int_const(e: &str) -> Option<i64> {
    e.split('*').try_fold(1i64, |acc, part| {
        let p = part.trim().trim_end_matches(['L', 'l']).replace('_', "");
        let n: i64 = p.parse().ok()?;
        acc.checked_mul(n)
    })
}

/// Split `a, b` at the top-level comma.
fn split_args(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut depth, mut quote) = (0i32, None::<char>);
    for c in s.chars() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (q, Some(o)) if q == o => quote = None,
            ('(' | '[' | '{', None) => depth += 1,
            (')' | ']' | '}', None) => depth -= 1,
            (',', None) if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("non-empty").push(c);
    }
    out
}

fn key_of(expr: &str) -> Option<String> {
    let e = expr.trim();
    if let Some((s, _)) = string_lit(e, 0) {
        return Some(s);
    }
    if e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && (e.ends_with("_CONFIG") || e.ends_with("MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION"))
    {
        return constant_key(e);
    }
    None
}

/// The argument text of a call starting right after `(` at `open`, up to its closing `)`.
fn call_args(s: &str, open: usize) -> Option<&str> {
    let mut depth = 1;
    let mut quote = None;
    for (i, c) in s[open..].char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (q, Some(o)) if q == o => quote = None,
            ('(', None) => depth += 1,
            (')', None) => {
                depth -= 1;
                if depth == 0 {
                    return Some(&s[open..open + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Java and Kotlin: `props.put(K, V)`, `setProperty(K, V)`, `props[K] = V`, `K to V`, `Map.of(K, V, …)`.
pub fn parse_jvm(text: &str) -> (RawConfig, Vec<Diag>) {
    let mut cfg = RawConfig::default();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("//") || t.starts_with('*') || t.starts_with("/*") {
            continue;
        }
        let base_col = line.len() - t.len() + 1;
        for call in ["put(", "setProperty(", "Map.of(", "mapOf(", "Map.entry(", "entry("] {
            let mut from = 0;
            while let Some(p) = t[from..].find(call).map(|p| p + from) {
                let open = p + call.len();
                from = open;
                let Some(args) = call_args(t, open) else { continue };
                let parts = split_args(args);
                let kotlin_pairs = parts.iter().any(|p| p.contains(" to "));
                for pair in parts.chunks(2).filter(|_| !kotlin_pairs) {
                    if let [k, v] = pair
                        && let Some(key) = key_of(k)
                    {
                        cfg.entries.push(Entry { key, value: code_value(v), line: n + 1, col: base_col + p });
                    } else if let [kv] = pair
                        && let Some((k, v)) = kv.split_once(" to ")
                        && let Some(key) = key_of(k)
                    {
                        cfg.entries.push(Entry { key, value: code_value(v), line: n + 1, col: base_col + p });
                    }
                }
                if kotlin_pairs {
                    for kv in &parts {
                        if let Some((k, v)) = kv.split_once(" to ")
                            && let Some(key) = key_of(k)
                            && !cfg.entries.iter().any(|e| e.line == n + 1 && e.key == key)
                        {
                            cfg.entries.push(Entry { key, value: code_value(v), line: n + 1, col: base_col + p });
                        }
                    }
                }
            }
        }
        // Kotlin index assignment: props[ProducerConfig.ACKS_CONFIG] = "all"
        if let Some(open) = t.find('[')
            && let Some(close) = t[open..].find("] =").map(|c| c + open)
            && let Some(key) = key_of(&t[open + 1..close])
        {
            cfg.entries.push(Entry { key, value: code_value(&t[close + 3..]), line: n + 1, col: base_col + open });
        }
    }
    cfg.code = loop_facts(text, &["commitSync", "commitAsync"]);
    (cfg, Vec::new())
}

/// Python confluent-kafka: dict literals `{'acks': 'all', …}` and `conf['acks'] = 'all'`.
pub fn parse_python(text: &str) -> (RawConfig, Vec<Diag>) {
    let mut cfg = RawConfig::default();
    for (n, line) in text.lines().enumerate() {
        let t = line.split('#').next().unwrap_or("");
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
                Some(r) if key.contains('.') || key == "acks" || key == "retries" => {
                    let r = r.trim_start();
                    let v = match string_lit(r, 0) {
                        Some((v, _)) => v,
                        None => code_value(r.split([',', '}']).next().unwrap_or("")),
                    };
                    cfg.entries.push(Entry { key, value: v, line: n + 1, col: q + 1 });
                    i = end;
                }
                _ => i = end,
            }
        }
    }
    cfg.code = loop_facts(text, &["commit("]);
    let mut diags = Vec::new();
    // kafka-python and aiokafka take keyword arguments (`KafkaProducer(acks='all')`): another client
    // with its own defaults, which semdoc does not model.
    if let Some(i) = text.lines().position(|l| l.contains("KafkaProducer(") || l.contains("KafkaConsumer(")) {
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

/// Rust rdkafka: `ClientConfig::new().set("acks", "all")`.
pub fn parse_rust(text: &str) -> (RawConfig, Vec<Diag>) {
    let mut cfg = RawConfig::default();
    for (n, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(p) = line[from..].find(".set(").map(|p| p + from) {
            from = p + 5;
            if let Some(args) = call_args(line, p + 5) {
                let parts = split_args(args);
                if let [k, v] = parts.as_slice()
                    && let Some((key, _)) = string_lit(k.trim(), 0)
                {
                    cfg.entries.push(Entry { key, value: code_value(v), line: n + 1, col: p + 2 });
                }
            }
        }
    }
    cfg.code = loop_facts(text, &["commit_message(", "commit_consumer_state(", "commit("]);
    (cfg, Vec::new())
}

/// Where the loop commits relative to processing. Processing is the iteration over the polled
/// records (`for (… : records)`, `records.forEach`, `for msg in`) or a call whose name says so
/// (`process`, `handle`), whichever comes first after `poll(`.
fn loop_facts(text: &str, commit_calls: &[&str]) -> CodeFacts {
    let mut f = CodeFacts {
        aborts: text.contains("abortTransaction") || text.contains("abort_transaction"),
        ..Default::default()
    };
    f.rewinds = text.contains("seek(") || text.contains("resetToLastCommittedPositions") || text.contains("rewind");
    let lines: Vec<&str> = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect();
    f.transactions_line = lines
        .iter()
        .position(|l| {
            ["initTransactions(", "beginTransaction(", "init_transactions(", "begin_transaction("]
                .iter()
                .any(|c| l.contains(c))
        })
        .map(|i| i + 1);
    if let Some(i) =
        lines.iter().position(|l| l.contains("sendOffsetsToTransaction") || l.contains("send_offsets_to_transaction"))
    {
        f.commit = Some("transactional");
        f.commit_line = Some(i + 1);
        return f;
    }
    let Some(poll) = lines.iter().position(|l| l.contains("poll(")) else { return f };
    let is_processing = |l: &str| {
        let t = l.trim();
        (t.starts_with("for ")
            || t.starts_with("for(")
            || t.contains(".forEach")
            || t.contains("process")
            || t.contains("handle"))
            && !commit_calls.iter().any(|c| t.contains(c))
    };
    let commit =
        lines.iter().enumerate().skip(poll).find(|(_, l)| commit_calls.iter().any(|c| l.contains(c))).map(|(i, _)| i);
    let process = lines.iter().enumerate().skip(poll + 1).find(|(_, l)| is_processing(l)).map(|(i, _)| i);
    if let Some(c) = commit {
        f.commit_line = Some(c + 1);
        f.commit = Some(match process {
            Some(p) if p < c => "after-processing",
            _ => "before-processing",
        });
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(c: &RawConfig) -> Vec<(String, String, usize)> {
        c.entries.iter().map(|e| (e.key.clone(), e.value.clone(), e.line)).collect()
    }

    #[test]
    fn properties() {
        let (c, d) = parse_properties(
            "# comment\nacks = all\nretries:0\n! bang\nlinger.ms 5\nbootstrap.servers=a:1,\\\n  b:2\nbad\n",
        );
        assert_eq!(
            kv(&c),
            vec![
                ("acks".into(), "all".into(), 2),
                ("retries".into(), "0".into(), 3),
                ("linger.ms".into(), "5".into(), 5),
                ("bootstrap.servers".into(), "a:1,b:2".into(), 6)
            ]
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 8);
    }

    #[test]
    fn yaml_plain_and_spring() {
        let src = "spring:\n  kafka:\n    bootstrap-servers: localhost:9092 # here\n    producer:\n      acks: all\n      transaction-id-prefix: tx-\n      properties:\n        \"[enable.idempotence]\": true\n    consumer:\n      enable-auto-commit: false\n      isolation-level: read_committed\n";
        let (c, d) = parse_yaml(src);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            kv(&c),
            vec![
                ("bootstrap.servers".into(), "localhost:9092".into(), 3),
                ("producer.acks".into(), "all".into(), 5),
                ("producer.transactional.id".into(), "tx-".into(), 6),
                ("producer.enable.idempotence".into(), "true".into(), 8),
                ("consumer.enable.auto.commit".into(), "false".into(), 10),
                ("consumer.isolation.level".into(), "read_committed".into(), 11),
            ]
        );
        let (c, _) = parse_yaml("producer:\n  acks: 'all'\n");
        assert_eq!(kv(&c), vec![("producer.acks".into(), "all".into(), 2)]);
        let (_, d) = parse_yaml("acks all\n");
        assert_eq!(d[0].line, 1);
    }

    #[test]
    fn java_kotlin_and_the_commit_position() {
        let java = r#"Properties props = new Properties();
props.put("bootstrap.servers", "localhost:9092");
props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
props.setProperty(ProducerConfig.RETRIES_CONFIG, Integer.toString(3));
props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_CONFIG, 1);
props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
while (true) {
    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
    for (ConsumerRecord<String, String> record : records) {
        process(record);
    }
    consumer.commitSync();
}"#;
        let (c, _) = parse_jvm(java);
        let k = kv(&c);
        assert_eq!(k[1], ("enable.auto.commit".into(), "false".into(), 3));
        assert_eq!(k[3], ("max.in.flight.requests.per.connection".into(), "1".into(), 5));
        assert_eq!(k[4], ("retries".into(), "2147483647".into(), 6));
        assert_eq!(c.code.commit, Some("after-processing"));
        let before = java
            .replace("    consumer.commitSync();\n}", "}")
            .replace("for (Consumer", "consumer.commitSync();\n    for (Consumer");
        assert_eq!(parse_jvm(&before).0.code.commit, Some("before-processing"));
        let kt = "val props = mapOf(\"acks\" to \"all\", ProducerConfig.LINGER_MS_CONFIG to 5)\nprops[ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG] = \"true\"\n";
        let (c, _) = parse_jvm(kt);
        assert_eq!(
            kv(&c),
            vec![
                ("acks".into(), "all".into(), 1),
                ("linger.ms".into(), "5".into(), 1),
                ("enable.idempotence".into(), "true".into(), 2)
            ]
        );
        let eos = "producer.beginTransaction();\nproducer.send(r);\nproducer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());\nproducer.commitTransaction();\n} catch (KafkaException e) {\nproducer.abortTransaction();\nresetToLastCommittedPositions(consumer);\n";
        let f = parse_jvm(eos).0.code;
        assert_eq!((f.commit, f.aborts, f.rewinds), (Some("transactional"), true, true));
    }

    #[test]
    fn python_and_rust() {
        let py = "conf = {'bootstrap.servers': 'localhost:9092',\n        'enable.auto.commit': False,\n        \"acks\": \"all\"}\nmsg = c.poll(1.0)\nprocess(msg)\nc.commit(asynchronous=False)\n";
        let (c, _) = parse_python(py);
        assert_eq!(kv(&c)[1], ("enable.auto.commit".into(), "false".into(), 2));
        assert_eq!(kv(&c)[2], ("acks".into(), "all".into(), 3));
        assert_eq!(c.code.commit, Some("after-processing"));
        let rs = "let p: FutureProducer = ClientConfig::new()\n    .set(\"bootstrap.servers\", \"localhost:9092\")\n    .set(\"enable.idempotence\", \"true\")\n    .create()?;";
        assert_eq!(kv(&parse_rust(rs).0)[1], ("enable.idempotence".into(), "true".into(), 3));
    }

    #[test]
    fn only_the_separators_java_knows_separate_key_and_value() {
        // java.util.Properties: '=', ':', space, tab, form feed; a no-break space is part of the key.
        let (raw, diags) = parse("acks\u{a0}all\nretries\t0\nlinger.ms\x0c5", Lang::Properties);
        assert_eq!(kv(&raw), vec![("retries".into(), "0".into(), 2), ("linger.ms".into(), "5".into(), 3)]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 1);
    }

    #[test]
    fn constant_values_in_code_are_evaluated_and_other_expressions_left_out() {
        let java = "props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);\n\
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);\n\
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis());\n\
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5L);\n\
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30 * 1000);\n\
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));\n\
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId);\n\
            props.put(ProducerConfig.ACKS_CONFIG, config.acks());\n";
        let (raw, diags) = parse(java, Lang::Java);
        assert_eq!(
            kv(&raw),
            vec![
                ("retries".into(), "2147483647".into(), 1),
                ("max.in.flight.requests.per.connection".into(), "1".into(), 2),
                ("delivery.timeout.ms".into(), "120000".into(), 3),
                ("linger.ms".into(), "5".into(), 4),
                ("request.timeout.ms".into(), "30000".into(), 5),
                ("isolation.level".into(), "read_committed".into(), 6),
                ("transactional.id".into(), "txId".into(), 7),
            ]
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!((diags[0].code, diags[0].line), ("code-value", 8));
        assert!(diags[0].message.contains("config.acks()"), "{}", diags[0].message);
    }

    #[test]
    fn spring_boot_typed_properties_are_bound_as_spring_does() {
        let y =
            "spring:\n  kafka:\n    consumer:\n      isolation-level: read-committed\n      auto-commit-interval: 5s\n";
        let (raw, diags) = parse(y, Lang::Yaml);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            kv(&raw),
            vec![
                ("consumer.isolation.level".into(), "read_committed".into(), 4),
                ("consumer.auto.commit.interval.ms".into(), "5000".into(), 5),
            ]
        );
    }

    #[test]
    fn kafka_python_is_named_as_another_client() {
        let (_, diags) = parse("p = KafkaProducer(bootstrap_servers='x', acks='all')", Lang::Python);
        assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["python-client"]);
        let (_, diags) = parse("p = Producer({'acks': 'all'})", Lang::Python);
        assert!(diags.is_empty());
    }

    #[test]
    fn malformed_input_never_panics() {
        for s in [
            "\"",
            "'",
            "props.put(",
            "put(\"a\"",
            "a:\n  - x\n  b: {",
            "\\",
            "=",
            ":",
            "spring:\n\tkafka: x",
            "for x in",
            "x.set(\"a",
            // Found by the snippet_parsers fuzz target: a multi-byte space as the separator.
            "l\u{a0}x",
            "acks\u{3000}all",
        ] {
            for l in [Lang::Properties, Lang::Yaml, Lang::Java, Lang::Python, Lang::Rust] {
                let _ = parse(s, l);
            }
        }
    }
}
