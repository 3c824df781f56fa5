//! Snippet readers: one `RawConfig` (settings with their line and column, the consumer loop's commit pattern) per snippet, from `.properties`, YAML, Java/Kotlin, Python or Rust.
//!
//! Every reader either reads a construct or reports it at its line and column: an unclosed call,
//! a YAML syntax error, a snippet whose body is another language, code in which nothing is read.
//! Spring Boot's `spring.kafka.*` names are mapped to Kafka's by one function (`spring::bind`) for
//! both `.properties` and YAML. Deciding whether a key is known is the classifier's job
//! (`classify::check_unknown_keys`), so that its answer can depend on the client and version.

mod jvm;
mod properties;
mod python;
mod rust;
pub mod spring;
mod yaml;

pub use jvm::{constant_key, parse_jvm};
pub use properties::parse_properties;
pub use python::parse_python;
pub use rust::parse_rust;
pub use yaml::{parse_yaml, parse_yaml_for};

use super::Diag;
use super::params::Membership;

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
    /// `before-processing`, `after-processing`, `transactional` or `never`, when the loop shows it.
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
    /// How the consumer gets its partitions, when the code shows it (`subscribe(…)`, `assign(…)`,
    /// a Spring listener), with the line that shows it.
    pub membership: Option<(Membership, usize)>,
}

impl CodeFacts {
    fn is_empty(&self) -> bool {
        self.commit.is_none() && !self.aborts && !self.rewinds && self.transactions_line.is_none()
    }
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

    /// The fence name of the language (`properties`, `yaml`, `java`, …).
    pub fn name(self) -> &'static str {
        match self {
            Lang::Properties => "properties",
            Lang::Yaml => "yaml",
            Lang::Java => "java",
            Lang::Kotlin => "kotlin",
            Lang::Python => "python",
            Lang::Rust => "rust",
        }
    }

    fn is_code(self) -> bool {
        matches!(self, Lang::Java | Lang::Kotlin | Lang::Python | Lang::Rust)
    }

    /// Guess the language of text read from a file or stdin. Code is recognised by calls no
    /// config file contains; then a text whose every setting line is `key=value` (or `key: value`
    /// at the start of the line, which `java.util.Properties` also reads) is properties, and
    /// anything with YAML structure (flow maps, `---`, lists, indented or empty-valued `key:`) is YAML.
    pub fn sniff(text: &str) -> Lang {
        let has = |s: &str| text.contains(s);
        if has("ClientConfig::new") || has(".set(\"") || has("fn main") || has("rdkafka::") {
            return Lang::Rust;
        }
        let jvm = has("props.put(")
            || has("Properties()")
            || has("setProperty(")
            || has("_CONFIG")
            || has("@KafkaListener")
            || has("ConsumerRecords")
            || has("KafkaConsumer<")
            || has("KafkaProducer<")
            || has("commitSync(")
            || has("public ")
            || has("import org.apache.kafka")
            || has("import org.springframework");
        if jvm {
            let kotlin = has("val ") || has("fun ") || has(" to ") || has("mapOf(");
            return if kotlin { Lang::Kotlin } else { Lang::Java };
        }
        let lines: Vec<&str> =
            text.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with(['#', '!'])).collect();
        // A flow map (`spring: {'kafka': …}`) is YAML even with Python-like quotes.
        let flow = lines.first().is_some_and(|l| {
            let s = l.trim();
            s.starts_with('{')
                || s.split_once(':')
                    .is_some_and(|(k, v)| !k.contains([' ', '(', '=']) && v.trim_start().starts_with('{'))
        });
        let t = text.trim_start();
        if flow || t.starts_with("---") || t.starts_with("%YAML") {
            return Lang::Yaml;
        }
        if has("confluent_kafka") || has("Producer({") || has("Consumer({") || has("{'") || has("def ") {
            return Lang::Python;
        }
        let yaml_line = |l: &&str| {
            let indented = l.starts_with([' ', '\t']);
            let s = l.trim();
            s.starts_with("- ")
                || s.ends_with(':')
                || (indented && s.contains(": "))
                || s.contains(": {")
                || s.contains(": [")
                || (s.contains(": ") && !s.contains('=') && s.split(": ").next().is_some_and(|k| k.contains(' ')))
        };
        if lines.iter().any(yaml_line) { Lang::Yaml } else { Lang::Properties }
    }
}

/// Read a snippet. Every setting comes back as an `Entry`; everything that could not be read is a
/// diagnostic at its line and column.
pub fn parse(text: &str, lang: Lang) -> (RawConfig, Vec<Diag>) {
    parse_for(text, lang, None)
}

/// As `parse`, with the Spring profiles chosen as active for a multi-document YAML file (`None`:
/// the file's own `spring.profiles.active`, or none).
pub fn parse_for(text: &str, lang: Lang, profiles: Option<&[String]>) -> (RawConfig, Vec<Diag>) {
    let (mut cfg, mut diags) = match lang {
        Lang::Properties => parse_properties(text),
        Lang::Yaml => parse_yaml_for(text, profiles),
        Lang::Java | Lang::Kotlin => parse_jvm(text),
        Lang::Python => parse_python(text),
        Lang::Rust => parse_rust(text),
    };
    if lang.is_code() {
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
    }
    check_language(text, lang, &mut cfg, &mut diags);
    (cfg, diags)
}

/// A snippet whose body is another language, or code in which nothing was read, is an error
/// rather than "no settings" (which would be judged as the client's defaults).
fn check_language(text: &str, lang: Lang, cfg: &mut RawConfig, diags: &mut Vec<Diag>) {
    let sniffed = Lang::sniff(text);
    let mismatch = |what: String, line: usize| {
        Diag::error("lang-mismatch", line, 1, what)
            .hint(format!("this looks like {0}: write the fence as ```{0} (or `--lang {0}`)", sniffed.name()))
    };
    let first_line = text.lines().position(|l| !l.trim().is_empty()).map_or(1, |i| i + 1);
    if lang.is_code() {
        let read_nothing = cfg.entries.is_empty() && cfg.code.is_empty();
        let has_text = text.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with("//") && !t.starts_with('#') && !t.starts_with("/*") && !t.starts_with('*')
        });
        // A reader that already explained itself (a parse error, another client) is not repeated.
        let explained = diags.iter().any(|d| d.severity != crate::semantics::Severity::Info);
        if read_nothing && has_text && !explained {
            if sniffed != lang && !sniffed.is_code() {
                diags.push(mismatch(
                    format!("this `{}` snippet reads as no {} code", lang.name(), lang.name()),
                    first_line,
                ));
            } else {
                diags.push(
                    Diag::error(
                        "nothing-read",
                        first_line,
                        1,
                        format!("semdoc read no Kafka setting and no consumer loop in this {} snippet", lang.name()),
                    )
                    .hint(match lang {
                        Lang::Python => "show the config dict (`Producer({'acks': 'all'})`) or the poll loop",
                        Lang::Rust => "show the `ClientConfig::new().set(\"acks\", \"all\")` chain or the poll loop",
                        _ => "show the settings (`props.put(ProducerConfig.ACKS_CONFIG, \"all\")`) or the poll loop",
                    }),
                );
            }
        }
        return;
    }
    if lang == Lang::Properties {
        // Code read as properties: keys such as `props.put("acks",`.
        if sniffed.is_code()
            && let Some(e) = cfg.entries.iter().find(|e| e.key.contains(['(', '"', ';', '{', ')']))
        {
            diags.push(mismatch(format!("`{}` is not a `key=value` setting", e.key), e.line));
            cfg.entries.clear();
            return;
        }
        // YAML read as properties: nested `key:` lines.
        if sniffed == Lang::Yaml
            && let Some(i) = text.lines().position(|l| {
                let s = l.trim();
                l.starts_with([' ', '\t']) && !s.starts_with('#') && s.contains(':') && !s.contains('=')
            })
        {
            diags.push(mismatch("nested `key:` lines are YAML, not properties".into(), i + 1));
            cfg.entries.clear();
        }
    }
}

/// Marks a value expression in code that `code_value` could not evaluate.
const UNEVALUATED: &str = "\u{0}expr:";

/// Keys whose value matters only by being set (any non-empty value behaves the same).
const PRESENCE_ONLY: &[&str] = &["transactional.id", "group.id", "bootstrap.servers", "client.id", "group.instance.id"];

/// 1-based (line, column in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The text with comments blanked out (same length, newlines kept), string literals kept:
/// `//` and `/* */` for C-like languages, `#` for Python.
pub(crate) fn mask_comments(text: &str, hash_comments: bool) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q || c == b'\n' {
                quote = None;
            }
            i += 1;
            continue;
        }
        let blank_to = |out: &mut Vec<u8>, from: usize, to: usize| {
            for o in &mut out[from..to] {
                if *o != b'\n' {
                    *o = b' ';
                }
            }
        };
        if c == b'"' || (c == b'\'' && hash_comments) {
            quote = Some(c);
        } else if (c == b'#' && hash_comments) || (!hash_comments && c == b'/' && b.get(i + 1) == Some(&b'/')) {
            let end = text[i..].find('\n').map_or(b.len(), |e| i + e);
            blank_to(&mut out, i, end);
            i = end;
            continue;
        } else if !hash_comments && c == b'/' && b.get(i + 1) == Some(&b'*') {
            let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            blank_to(&mut out, i, end);
            i = end;
            continue;
        }
        i += 1;
    }
    // Only ASCII bytes were replaced (by spaces), so the result is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// A string literal starting at byte `i` of `s` (`"…"` or `'…'`): (content, end index).
pub(crate) fn string_lit(s: &str, i: usize) -> Option<(String, usize)> {
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

/// A value expression in code, evaluated when it is a constant: a string, boolean or integer literal
/// (`120_000L`), `Integer.MAX_VALUE` and friends, a product of integers (`60 * 1000`),
/// `Duration.ofX(n).toMillis()`, `TimeUnit.X.toMillis(n)`, `String.valueOf(…)`/`….toString()`
/// wrappers, and Kafka's enums (`IsolationLevel.READ_COMMITTED`, `OffsetResetStrategy.EARLIEST`).
/// Anything else comes back marked `UNEVALUATED` for `parse` to decide.
pub(crate) fn code_value(expr: &str) -> String {
    let e = expr.trim().trim_end_matches(';').trim();
    // Drop unbalanced closing parentheses left by the caller's split.
    let mut e = e.to_string();
    while e.ends_with(')') && e.matches(')').count() > e.matches('(').count() {
        e.pop();
    }
    let e = e.trim();
    eval_const(e).unwrap_or_else(|| format!("{UNEVALUATED}{}", e.split_whitespace().collect::<Vec<_>>().join(" ")))
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
pub(crate) fn split_args(s: &str) -> Vec<String> {
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

/// The argument text of a call starting right after the opening bracket at `open`, up to its
/// matching closing bracket (`(…)`, or `{…}` when `close` is `}`); `None` when it is never closed.
pub(crate) fn call_args(s: &str, open: usize, close: char) -> Option<&str> {
    let opener = if close == '}' { '{' } else { '(' };
    let mut depth = 1;
    let mut quote = None;
    let mut esc = false;
    for (i, c) in s[open..].char_indices() {
        if let Some(q) = quote {
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            c if c == opener => depth += 1,
            c if c == close => {
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

/// Where the code commits relative to processing ("the consumer loop's commit pattern").
///
/// The loop starts at the first `start` call (`poll(`, `@KafkaListener`, …), read from the start of
/// its line so that `for (r : consumer.poll(d))` counts. Processing is the first call whose name
/// says so (`process`, `handle`) after that; without one, the body of the first loop over the
/// records (`for (… : records)`, `records.forEach`, `for msg in`). A commit call before processing
/// is `before-processing`, after it `after-processing`; `sendOffsetsToTransaction` is
/// `transactional`. `code` has its comments blanked out (`mask_comments`); the diagnostics are
/// about shapes that change what the pattern means (a commit in `finally`).
pub(crate) fn loop_facts(
    text: &str,
    code: &str,
    starts: &[&str],
    commit_calls: &[&str],
    diags: &mut Vec<Diag>,
) -> CodeFacts {
    let mut f = CodeFacts {
        aborts: code.contains("abortTransaction") || code.contains("abort_transaction"),
        rewinds: code.contains("seek(") || code.contains("resetToLastCommittedPositions") || code.contains("rewind"),
        ..Default::default()
    };
    let at = |off: usize| line_col(text, off).0;
    f.transactions_line = ["initTransactions(", "beginTransaction(", "init_transactions(", "begin_transaction("]
        .iter()
        .filter_map(|c| code.find(c))
        .min()
        .map(at);
    f.membership = membership(code).map(|(m, p)| (m, at(p)));
    if let Some(p) =
        ["sendOffsetsToTransaction", "send_offsets_to_transaction"].iter().filter_map(|c| code.find(c)).min()
    {
        f.commit = Some("transactional");
        f.commit_line = Some(at(p));
        return f;
    }
    let Some(start) = starts.iter().filter_map(|s| code.find(s)).min() else { return f };
    let origin = code[..start].rfind('\n').map_or(0, |i| i + 1);
    let commit = commit_calls.iter().filter_map(|c| find_call(code, origin, c)).min();
    let Some(c) = commit else { return f };
    let process = processing_at(code, origin, commit_calls);
    f.commit_line = Some(at(c));
    f.commit = Some(match process {
        Some(p) if p < c => "after-processing",
        _ => "before-processing",
    });
    if f.commit == Some("after-processing") && in_finally(code, c) {
        let (line, col) = line_col(text, c);
        diags.push(
            Diag::warning(
                "commit-in-finally",
                line,
                col,
                "the commit is in a `finally` block: when processing throws, it also commits the offsets of records not yet processed".to_string(),
            )
            .hint("semdoc models crashes (after-processing: a crash skips `finally`); an exception in processing loses the rest of the batch. Commit after processing in the `try` block"),
        );
    }
    f
}

/// Is the call at `c` inside a `finally` block: Java's and Kotlin's `finally { … }`, or Python's
/// `finally:` with the call in the indented lines below it?
fn in_finally(code: &str, c: usize) -> bool {
    let Some(fin) = code[..c].rfind("finally") else { return false };
    let after = code[fin + "finally".len()..].trim_start_matches([' ', '\t']);
    if after.starts_with(':') {
        // Python: every line from the `finally:` line to the call is indented deeper than it.
        let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
        let line_start = code[..fin].rfind('\n').map_or(0, |i| i + 1);
        let base = indent(&code[line_start..fin]);
        let body_start = code[fin..].find('\n').map_or(code.len(), |i| fin + i + 1);
        if body_start > c {
            return true; // `finally: consumer.commit()` on one line
        }
        let call_line_end = code[c..].find('\n').map_or(code.len(), |i| c + i);
        return code[body_start..call_line_end].lines().filter(|l| !l.trim().is_empty()).all(|l| indent(l) > base);
    }
    match code[fin..].find('{').map(|o| fin + o + 1) {
        Some(open) => call_args(code, open, '}').is_none_or(|body| open + body.len() > c),
        None => false,
    }
}

/// How the code's consumer gets its partitions, and where that shows. `subscribe(` wins over
/// `assign(`: a confluent-kafka `on_assign` callback calls `consumer.assign(partitions)` inside a
/// group-managed subscription (and the Java client refuses both on one consumer, "Subscription to
/// topics, partitions and pattern are mutually exclusive"). A Spring `@KafkaListener` is
/// group-managed unless it names `topicPartitions` (`@TopicPartition`), which spring-kafka assigns
/// manually (`KafkaMessageListenerContainer`: a container with `TopicPartitionOffset`s calls
/// `consumer.assign`). The Java/Kotlin/Python/Rust clients all spell the calls `.subscribe(` and
/// `.assign(` (rdkafka `Consumer::subscribe`/`assign`; `incremental_assign` is a rebalance
/// callback's and is not `.assign(`).
fn membership(code: &str) -> Option<(Membership, usize)> {
    if let Some(p) = code.find("@TopicPartition") {
        return Some((Membership::Assign, p));
    }
    if let Some(p) = [".subscribe(", "@KafkaListener"].iter().filter_map(|c| code.find(c)).min() {
        return Some((Membership::Subscribe, p));
    }
    code.find(".assign(").map(|p| (Membership::Assign, p))
}

/// The first call of `name` (e.g. `commitSync(`) at or after `from`, whose name is not the tail of
/// a longer identifier.
fn find_call(code: &str, from: usize, name: &str) -> Option<usize> {
    let mut i = from;
    while let Some(p) = code[i..].find(name).map(|p| p + i) {
        let before = code[..p].chars().next_back();
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') || !name.starts_with(char::is_alphanumeric) {
            return Some(p);
        }
        i = p + name.len();
    }
    None
}

/// Offset of the first processing step after `from` (see `loop_facts`).
fn processing_at(code: &str, from: usize, commit_calls: &[&str]) -> Option<usize> {
    let rest = &code[from..];
    // A call named for processing: an identifier containing `process` or `handle`, then `(`.
    let mut named = None;
    let lower = rest.to_ascii_lowercase();
    for word in ["process", "handle"] {
        let mut i = 0;
        while let Some(p) = lower[i..].find(word).map(|p| p + i) {
            let tail = &rest[p..];
            let ident_end = tail.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(tail.len());
            if tail[ident_end..].starts_with('(') && !commit_calls.iter().any(|c| tail.starts_with(c)) {
                named = Some(named.map_or(p, |n: usize| n.min(p)));
                break;
            }
            i = p + word.len();
        }
    }
    if let Some(p) = named {
        return Some(from + p);
    }
    // The body of the first loop over the records.
    let loops = ["for (", "for(", ".forEach", "for ", ".iter()", ".for_each("];
    let l = loops.iter().filter_map(|k| find_call(rest, 0, k)).min()?;
    let head = &rest[l..];
    let body = if head.starts_with("for (") || head.starts_with("for(") {
        // Java's `for (ConsumerRecord r : records)`: the body follows the header's `)`.
        let open = l + head.find('(').map_or(0, |o| o + 1);
        call_args(rest, open, ')').map_or(open, |a| open + a.len() + 1)
    } else if head.starts_with(".forEach") || head.starts_with(".for_each(") {
        l + head.find('(').map_or(0, |o| o + 1)
    } else {
        head.find(['{', ':']).map_or(l, |b| l + b + 1)
    };
    // A commit that is the body's first statement comes before the rest of the body.
    let after_ws = body + rest[body..].len() - rest[body..].trim_start().len();
    if commit_calls.iter().any(|c| rest[after_ws..].split([';', '\n']).next().is_some_and(|s| s.contains(c))) {
        let next = rest[after_ws..].find([';', '\n']).map_or(rest.len(), |e| after_ws + e + 1);
        return Some(from + next);
    }
    Some(from + body)
}

#[cfg(test)]
mod tests;
