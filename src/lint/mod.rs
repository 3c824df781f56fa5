//! `semdoc lint`: the Kafka client configurations of a codebase (Spring Boot config files,
//! `.properties`/librdkafka files with Kafka keys, Java/Kotlin client code, Python confluent-kafka
//! dicts, Rust rdkafka chains), each classified by the same classifier as the docs' snippets, with
//! the Kafka version its build file names. Pure: the walk that reads the files is `lint/walk.rs`.

pub mod format;
pub mod walk;

use crate::semantics::classify::Fix;
use crate::semantics::{Classifier, Input, Lang, Severity};
use crate::verify::binding::{Level, parse_level};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file the walk read: its path as the user will read it, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Why the walk did not read an entry (each one is listed, never dropped silently).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// Symbolic links are not followed: a link may lead out of the repository.
    Symlink,
    /// A candidate file (by its name) that is not UTF-8 text.
    NotUtf8,
    /// A candidate file larger than `walk::MAX_BYTES`: generated or data, not a config.
    TooLarge,
    /// The file could not be read (permissions, vanished while walking).
    Unreadable,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Symlink => "symbolic link, not followed",
            SkipReason::NotUtf8 => "not UTF-8 text",
            SkipReason::TooLarge => "larger than 1 MiB",
            SkipReason::Unreadable => "unreadable",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: SkipReason,
}

/// What the walk found: the candidate files (by name) that hold a configuration (`detect`), build
/// files, and what it skipped.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub files: Vec<SourceFile>,
    pub build_files: Vec<SourceFile>,
    pub skipped: Vec<Skipped>,
    /// Every file the walk visited (after `.gitignore`), read or not.
    pub visited: usize,
    /// Every candidate and build file the walk read (including those it did not keep).
    pub read: usize,
}

/// The kind of configuration a file holds, decided from its name and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `application*.properties` / `.yml` with `spring.kafka.*` settings.
    SpringBoot,
    /// A `.properties`/`.conf` file of Kafka client keys (Java or librdkafka).
    ClientProperties,
    /// Java or Kotlin code that configures a `KafkaProducer`/`KafkaConsumer` or a listener.
    JvmCode,
    /// Python code using confluent-kafka.
    PythonConfluent,
    /// Python code using kafka-python: keyword arguments semdoc does not model.
    PythonKafkaPython,
    /// Rust code using rdkafka's `ClientConfig`.
    RustRdkafka,
    /// Spring Boot's environment-variable names (`SPRING_KAFKA_PRODUCER_ACKS`) in a `.env` file or
    /// a docker-compose service's `environment:` (one configuration per service).
    SpringEnv,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::SpringBoot => "Spring Boot config",
            Kind::ClientProperties => "client properties",
            Kind::JvmCode => "Java/Kotlin client code",
            Kind::PythonConfluent => "Python confluent-kafka",
            Kind::PythonKafkaPython => "Python kafka-python",
            Kind::RustRdkafka => "Rust rdkafka",
            Kind::SpringEnv => "Spring Boot environment",
        }
    }
}

/// Names whose files the walk reads: everything else is only counted.
pub fn is_candidate(name: &str) -> bool {
    if is_env_file(name) {
        return true;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "properties" | "yml" | "yaml" | "conf" | "java" | "kt" | "py" | "rs")
}

/// `.env`, `.env.local`, `prod.env`: files of `NAME=value` environment variables.
pub fn is_env_file(name: &str) -> bool {
    name == ".env" || name.starts_with(".env.") || (name.ends_with(".env") && name.len() > 4)
}

/// The Spring Boot environment variables in a `.env` file or a docker-compose file, as
/// `.properties` texts with the same line numbers (other lines blank, so diagnostics point at the
/// variable's own line): one per compose service, or one for the `.env` file. Each item is
/// (the service, or "" for a `.env` file; its first variable's 1-based line; the text; how many
/// other variables were left out as not Kafka's).
pub fn spring_env_configs(path: &Path, text: &str) -> Vec<(String, usize, String, usize)> {
    const PREFIX: &str = "SPRING_KAFKA_";
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let lines: Vec<&str> = text.lines().collect();
    // (service, line index, KEY=VALUE)
    let mut vars: Vec<(String, usize, String)> = Vec::new();
    let mut others: BTreeMap<String, usize> = BTreeMap::new();
    let unquote = |v: &str| {
        let v = v.trim();
        let q =
            v.len() >= 2 && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')));
        if q { v[1..v.len() - 1].to_string() } else { v.to_string() }
    };
    if is_env_file(name) {
        for (i, l) in lines.iter().enumerate() {
            let l = l.trim();
            let l = l.strip_prefix("export ").unwrap_or(l);
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            match l.split_once('=') {
                Some((k, v)) if k.trim().starts_with(PREFIX) => {
                    vars.push((String::new(), i, format!("{}={}", k.trim(), unquote(v))))
                }
                _ => *others.entry(String::new()).or_default() += 1,
            }
        }
    } else {
        // docker-compose: `services:` → NAME (its indentation) → `environment:` as a map
        // (`KEY: value`) or a list (`- KEY=value`).
        let indent = |l: &str| l.len() - l.trim_start().len();
        let (mut in_services, mut service_indent, mut service, mut env_indent) = (false, None, String::new(), None);
        for (i, raw) in lines.iter().enumerate() {
            let t = raw.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let ind = indent(raw);
            if ind == 0 {
                in_services = t == "services:";
                service_indent = None;
                env_indent = None;
                continue;
            }
            if !in_services {
                continue;
            }
            if service_indent.is_none_or(|s| ind <= s) && t.ends_with(':') && !t.starts_with('-') {
                service_indent = Some(ind);
                service = t.trim_end_matches(':').trim().to_string();
                env_indent = None;
                continue;
            }
            if let Some(e) = env_indent {
                if ind <= e {
                    env_indent = None;
                } else {
                    let item = unquote(t.strip_prefix('-').unwrap_or(t));
                    let kv = item.split_once('=').or_else(|| item.split_once(':'));
                    match kv {
                        Some((k, v)) if k.trim().starts_with(PREFIX) => {
                            vars.push((service.clone(), i, format!("{}={}", k.trim(), unquote(v))))
                        }
                        _ => *others.entry(service.clone()).or_default() += 1,
                    }
                    continue;
                }
            }
            if t == "environment:" {
                env_indent = Some(ind);
            }
        }
    }
    let mut by_service: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for (s, i, kv) in vars {
        by_service.entry(s).or_default().push((i, kv));
    }
    by_service
        .into_iter()
        .map(|(s, vs)| {
            let mut out = vec![String::new(); lines.len()];
            for (i, kv) in &vs {
                out[*i] = kv.clone();
            }
            let n = others.get(&s).copied().unwrap_or(0);
            (s, vs[0].0 + 1, out.join("\n") + "\n", n)
        })
        .collect()
}

/// The 1-based lines naming a `SPRING_KAFKA_` variable that none of `configs` read (a compose
/// anchor such as `x-env: &env`, `environment: *env`, a form the reader does not know): reported,
/// never dropped.
pub fn spring_env_unread(text: &str, configs: &[(String, usize, String, usize)]) -> Vec<usize> {
    let read: std::collections::BTreeSet<usize> =
        configs.iter().flat_map(|c| c.2.lines().enumerate().filter(|(_, l)| !l.is_empty()).map(|(i, _)| i)).collect();
    text.lines()
        .enumerate()
        .filter(|(i, l)| l.contains("SPRING_KAFKA_") && !l.trim_start().starts_with('#') && !read.contains(i))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Build files that name a client or its version.
pub fn is_build_file(name: &str) -> bool {
    matches!(
        name,
        "pom.xml" | "build.gradle" | "build.gradle.kts" | "requirements.txt" | "pyproject.toml" | "Cargo.toml"
    )
}

/// The Kafka keys semdoc knows, sorted (for lookups), and the dotted ones by length (a near miss
/// is at most two edits away, so only keys within two characters of its length can be one).
struct KnownKeys {
    sorted: Vec<&'static str>,
    dotted_by_len: Vec<&'static str>,
}

fn known_keys() -> &'static KnownKeys {
    static KNOWN: std::sync::OnceLock<KnownKeys> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let sorted = crate::semantics::facts::all_known_keys();
        let mut dotted_by_len: Vec<&'static str> = sorted.iter().copied().filter(|k| k.contains('.')).collect();
        dotted_by_len.sort_by_key(|k| (k.chars().count(), *k));
        KnownKeys { sorted, dotted_by_len }
    })
}

/// Is `key` (a dotted key of 8 characters or more) within two edits of a dotted Kafka key?
fn near_known(key: &str) -> bool {
    let by_len = &known_keys().dotted_by_len;
    let n = key.chars().count();
    let from = by_len.partition_point(|k| k.chars().count() + 2 < n);
    by_len[from..].iter().take_while(|k| k.chars().count() <= n + 2).any(|k| crate::diag::levenshtein_within(key, k, 2))
}

/// Does any `key=value` / `key: value` line of `text` set a Kafka client key semdoc knows?
fn has_kafka_keys(text: &str) -> Option<usize> {
    let known = &known_keys().sorted;
    // A file is a Kafka configuration when some dotted key is a Kafka key or a near miss of one
    // (`bootstrap.servrs`: a typo must be reported, not make the file invisible). Dotless keys
    // (`acks`, `debug`) alone are too common in other `.properties` files to decide it.
    let mut first = None;
    let mut decided = false;
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        if l.is_empty() || l.starts_with(['#', '!']) {
            continue;
        }
        let key = l.split(['=', ':']).next().unwrap_or("").trim();
        let dotted = key.contains('.');
        let hit = known.binary_search(&key).is_ok() || (dotted && key.len() >= 8 && near_known(key));
        if hit {
            first.get_or_insert(i);
            decided |= dotted;
        }
    }
    first.filter(|_| decided)
}

/// The first line (0-based) containing any of `needles`, imports aside (a finding points at the
/// code that configures the client, not at the line that names its class).
fn first_line(text: &str, needles: &[&str]) -> Option<usize> {
    // Most files name none of them: one pass over the bytes per needle answers before any line
    // is split (a needle holds no line break, so it occurs in a line iff it occurs in the text).
    if !needles.iter().any(|n| memchr::memmem::find(text.as_bytes(), n.as_bytes()).is_some()) {
        return None;
    }
    let code = |l: &str| !l.trim_start().starts_with("import ");
    text.lines().position(|l| code(l) && needles.iter().any(|n| l.contains(n)))
}

/// Decide what `path` holds: `(kind, language, 1-based line where the configuration starts)`.
pub fn detect(path: &Path, text: &str) -> Option<(Kind, Lang, usize)> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if is_env_file(name)
        || (matches!(ext.as_str(), "yml" | "yaml") && text.contains("SPRING_KAFKA_") && text.contains("services:"))
    {
        // The variables themselves are read per service by `spring_env_configs`, once, in `lint`.
        let first = first_line(text, &["SPRING_KAFKA_"])?;
        return Some((Kind::SpringEnv, Lang::Properties, first + 1));
    }
    let found = match ext.as_str() {
        "properties" | "conf" => {
            if let Some(l) = first_line(text, &["spring.kafka.", "SPRING_KAFKA_"]) {
                (Kind::SpringBoot, Lang::Properties, l)
            } else {
                (Kind::ClientProperties, Lang::Properties, has_kafka_keys(text)?)
            }
        }
        "yml" | "yaml" => {
            // Spring Boot's nesting (`spring:` … `kafka:`), or its flat and env forms.
            let kafka = first_line(text, &["kafka:", "spring.kafka.", "SPRING_KAFKA_"])?;
            let spring = || text.lines().any(|l| l.trim_end() == "spring:" || l.starts_with("spring: {"));
            // A `kafka:` key outside a Spring file is something else (a compose service).
            if text.contains("kafka:") && !spring() {
                return None;
            }
            (Kind::SpringBoot, Lang::Yaml, kafka)
        }
        "java" | "kt" => {
            let l = first_line(
                text,
                &["KafkaProducer", "KafkaConsumer", "ProducerConfig.", "ConsumerConfig.", "@KafkaListener"],
            )?;
            (Kind::JvmCode, if ext == "kt" { Lang::Kotlin } else { Lang::Java }, l)
        }
        "py" => {
            // Both modules' names hold `kafka`: a file without it imports neither.
            memchr::memmem::find(text.as_bytes(), b"kafka")?;
            let imports = |m: &str| {
                let (from, from_sub) = (format!("from {m} import"), format!("from {m}."));
                let (import, import_as, import_sub) =
                    (format!("import {m}"), format!("import {m} "), format!("import {m}."));
                text.lines().position(|l| {
                    let l = l.trim();
                    l.starts_with(&from)
                        || l.starts_with(&from_sub)
                        || l == import
                        || l.starts_with(&import_as)
                        || l.starts_with(&import_sub)
                })
            };
            if imports("confluent_kafka").is_some() {
                let l = first_line(text, &["Producer(", "Consumer(", "{"]).or(imports("confluent_kafka"))?;
                (Kind::PythonConfluent, Lang::Python, l)
            } else {
                (Kind::PythonKafkaPython, Lang::Python, imports("kafka")?)
            }
        }
        "rs" => (Kind::RustRdkafka, Lang::Rust, first_line(text, &["ClientConfig::new()"])?),
        _ => return None,
    };
    Some((found.0, found.1, found.2 + 1))
}

/// What a build file says about the client: the Kafka version (`kafka-clients`, or the one a
/// Spring Boot version manages) and where it says so.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildInfo {
    pub kafka: Option<String>,
    /// `pom.xml:12`: where the version was read.
    pub source: Option<String>,
    pub client: Option<&'static str>,
}

/// The `kafka-clients` version each Spring Boot line manages (its `spring-boot-dependencies`
/// BOM: `kafka.version`), so a Boot service that does not pin Kafka gets the version it runs.
/// Sources: spring-boot `spring-boot-project/spring-boot-dependencies/build.gradle` at v2.7.0,
/// v3.0.0 … v3.5.0 (`library("Kafka", "…")`).
const SPRING_BOOT_KAFKA: &[(&str, &str)] =
    &[("2.7", "3.1"), ("3.0", "3.3"), ("3.1", "3.4"), ("3.2", "3.6"), ("3.3", "3.7"), ("3.4", "3.8"), ("3.5", "3.9")];

fn major_minor(v: &str) -> Option<String> {
    let mut it = v.trim().split(['.', '-']);
    let (a, b) = (it.next()?, it.next()?);
    (a.chars().all(|c| c.is_ascii_digit()) && b.chars().all(|c| c.is_ascii_digit()) && !a.is_empty() && !b.is_empty())
        .then(|| format!("{a}.{b}"))
}

/// Read a build file. Handles Maven (`kafka-clients` dependency, `kafka.version` property, the
/// `spring-boot-starter-parent` version), Gradle (`org.apache.kafka:kafka-clients:V`, the
/// `org.springframework.boot` plugin version), `requirements.txt`/`pyproject.toml`
/// (confluent-kafka → librdkafka) and `Cargo.toml` (rdkafka → librdkafka).
pub fn build_info(file: &SourceFile) -> BuildInfo {
    let name = file.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let text = &file.text;
    let at = |i: usize| Some(format!("{}:{}", file.path.display(), i + 1));
    let lines: Vec<&str> = text.lines().collect();
    let mut info = BuildInfo::default();
    match name {
        "pom.xml" => {
            let value_after = |i: usize, tag: &str| -> Option<String> {
                lines[i..lines.len().min(i + 4)].iter().find_map(|l| {
                    let s = l.split(&format!("<{tag}>")).nth(1)?;
                    Some(s.split('<').next()?.trim().to_string())
                })
            };
            for (i, l) in lines.iter().enumerate() {
                if let Some(v) = l.split("<kafka.version>").nth(1).and_then(|s| s.split('<').next())
                    && let Some(mm) = major_minor(v)
                {
                    return BuildInfo { kafka: Some(mm), source: at(i), client: Some("java") };
                }
                if l.contains("<artifactId>kafka-clients</artifactId>")
                    && let Some(mm) = value_after(i, "version").as_deref().and_then(major_minor)
                {
                    return BuildInfo { kafka: Some(mm), source: at(i), client: Some("java") };
                }
                if l.contains("<artifactId>spring-boot-starter-parent</artifactId>")
                    && let Some(boot) = value_after(i, "version").as_deref().and_then(major_minor)
                    && let Some((_, k)) = SPRING_BOOT_KAFKA.iter().find(|(b, _)| *b == boot)
                {
                    info = BuildInfo { kafka: Some(k.to_string()), source: at(i), client: Some("java") };
                }
            }
        }
        "build.gradle" | "build.gradle.kts" => {
            for (i, l) in lines.iter().enumerate() {
                if let Some(rest) = l.split("org.apache.kafka:kafka-clients:").nth(1)
                    && let Some(mm) = major_minor(rest.split(['"', '\'', ')']).next().unwrap_or(""))
                {
                    return BuildInfo { kafka: Some(mm), source: at(i), client: Some("java") };
                }
                if l.contains("org.springframework.boot")
                    && let Some(v) = l.split("version").nth(1)
                    && let Some(boot) = major_minor(v.trim_matches(|c: char| !c.is_ascii_digit() && c != '.'))
                    && let Some((_, k)) = SPRING_BOOT_KAFKA.iter().find(|(b, _)| *b == boot)
                {
                    info = BuildInfo { kafka: Some(k.to_string()), source: at(i), client: Some("java") };
                }
            }
        }
        "requirements.txt" | "pyproject.toml" => {
            if let Some(i) = lines.iter().position(|l| l.to_lowercase().contains("confluent-kafka")) {
                info = BuildInfo { kafka: None, source: at(i), client: Some("librdkafka") };
            }
        }
        "Cargo.toml" => {
            if let Some(i) = lines.iter().position(|l| l.trim_start().starts_with("rdkafka")) {
                info = BuildInfo { kafka: None, source: at(i), client: Some("librdkafka") };
            }
        }
        _ => {}
    }
    info
}

/// A problem or note the classifier reported, at the file's own line and column.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub severity: Severity,
    pub code: &'static str,
    pub line: usize,
    pub col: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// One configuration found in the codebase.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub path: PathBuf,
    pub line: usize,
    pub kind: Kind,
    pub role: String,
    pub client: String,
    pub kafka: String,
    /// Where the Kafka version came from (`pom.xml:12`), or none (assumed).
    pub kafka_from: Option<String>,
    pub verdict: String,
    /// Did it meet the expectation (and is it a readable, valid, delivering configuration)?
    pub passed: bool,
    /// Why not, in one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The smallest change under which the model proves a stronger guarantee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    pub notes: Vec<Note>,
    /// The docker-compose service whose environment this is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Fail a configuration weaker than this.
    pub expect: Option<Level>,
    /// Spring profiles treated as active (`prod,cloud`), for multi-document YAML.
    pub profile: Option<String>,
}

/// The result of a lint run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LintReport {
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
    /// Files visited, and files read as candidates.
    pub visited: usize,
    pub read: usize,
}

impl LintReport {
    pub fn failed(&self) -> usize {
        self.findings.iter().filter(|f| !f.passed).count()
    }
}

/// The nearest build file in `path`'s directory or above, that says something.
fn nearest_build<'a>(path: &Path, builds: &'a [(PathBuf, BuildInfo)]) -> Option<&'a BuildInfo> {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if let Some((_, info)) = builds.iter().find(|(p, i)| p.parent() == Some(d) && *i != BuildInfo::default()) {
            return Some(info);
        }
        dir = d.parent();
    }
    None
}

/// Find and classify every configuration in `tree`.
pub fn lint(tree: &Tree, cl: &Classifier, opts: &Options) -> LintReport {
    let builds: Vec<(PathBuf, BuildInfo)> = tree.build_files.iter().map(|f| (f.path.clone(), build_info(f))).collect();
    let mut findings: Vec<Finding> = tree
        .files
        .par_iter()
        .flat_map_iter(|f| {
            let Some((kind, lang, line)) = detect(&f.path, &f.text) else { return Vec::new() };
            let build = nearest_build(&f.path, &builds);
            if kind != Kind::SpringEnv {
                return vec![classify_one(f, kind, lang, line, build, cl, opts)];
            }
            let configs = spring_env_configs(&f.path, &f.text);
            let unread: Vec<Note> = spring_env_unread(&f.text, &configs)
                .into_iter()
                .map(|line| Note {
                    severity: Severity::Error,
                    code: "unread-variable",
                    line,
                    col: 1,
                    message: "this SPRING_KAFKA_ variable is not in a service's `environment:` semdoc can read".into(),
                    hint: Some("write it under the service's `environment:` as `KEY: value` or `- KEY=value` (anchors and aliases are not followed)".into()),
                })
                .collect();
            if configs.is_empty() {
                // Nothing readable: one failing finding carries the unread lines.
                return vec![Finding {
                    path: f.path.clone(),
                    line,
                    kind,
                    role: "unknown".into(),
                    client: "java".into(),
                    kafka: String::new(),
                    kafka_from: None,
                    verdict: "unusable".into(),
                    passed: false,
                    problem: Some("semdoc could not read the Spring variables of this file (see the errors)".into()),
                    fix: None,
                    notes: unread,
                    service: None,
                }];
            }
            configs
                .into_iter()
                .map(|(service, line, text, others)| {
                    let one = SourceFile { path: f.path.clone(), text };
                    let mut finding = classify_one(&one, kind, lang, line, build, cl, opts);
                    finding.service = (!service.is_empty()).then_some(service);
                    if !unread.is_empty() {
                        // Settings semdoc could not place may belong to this service: no pass.
                        finding.notes.extend(unread.iter().cloned());
                        finding.passed = false;
                        finding.problem.get_or_insert_with(|| "some SPRING_KAFKA_ variables of this file were not read (see the errors)".into());
                    }
                    if others > 0 {
                        finding.notes.push(Note {
                            severity: Severity::Info,
                            code: "ignored",
                            line,
                            col: 1,
                            message: if others == 1 {
                                "1 other environment variable is not a Spring Kafka setting".to_string()
                            } else {
                                format!("{others} other environment variables are not Spring Kafka settings")
                            },
                            hint: None,
                        });
                    }
                    finding
                })
                .collect()
        })
        .collect();
    findings.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let mut skipped = tree.skipped.clone();
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    LintReport { findings, skipped, visited: tree.visited, read: tree.read }
}

fn classify_one(
    f: &SourceFile,
    kind: Kind,
    lang: Lang,
    line: usize,
    build: Option<&BuildInfo>,
    cl: &Classifier,
    opts: &Options,
) -> Finding {
    if kind == Kind::PythonKafkaPython {
        // kafka-python takes keyword arguments (`acks=`, `enable_idempotence=`) with its own
        // defaults; semdoc models confluent-kafka's dicts only, so it says so rather than guess.
        return Finding {
            path: f.path.clone(),
            line,
            kind,
            role: "unknown".into(),
            client: "kafka-python".into(),
            kafka: String::new(),
            kafka_from: None,
            verdict: "not-modelled".into(),
            passed: opts.expect.is_none(),
            problem: Some("kafka-python's client is not modelled; semdoc cannot prove anything about it".into()),
            fix: None,
            notes: vec![Note {
                severity: Severity::Warning,
                code: "unmodelled-client",
                line,
                col: 1,
                message: "kafka-python is not modelled: no verdict".into(),
                hint: Some(
                    "semdoc reads confluent-kafka's config dicts; list the file in .semdocignore or port the settings"
                        .into(),
                ),
            }],
            service: None,
        };
    }
    let mut input = Input::new(&f.text, lang);
    if let Some(p) = &opts.profile {
        input.overrides.insert("profile".into(), p.clone());
    }
    if let Some(k) = build.and_then(|b| b.kafka.as_ref()) {
        input.overrides.insert("kafka".into(), k.clone());
    }
    // Spring Boot's settings configure the Java client whatever build file is nearest.
    let spring = matches!(kind, Kind::SpringBoot | Kind::SpringEnv);
    if let Some(c) = build.and_then(|b| b.client).filter(|_| !spring) {
        input.overrides.insert("client".into(), c.into());
    }
    let mut v = cl.classify(&input);
    // A client properties file (no build file saying which client) written in librdkafka's key
    // names is a librdkafka config (`rdkafka_performance -X`, a C service's `.conf`): the
    // classifier's own `librdkafka-key` warnings say so, and it is read again as one.
    if kind == Kind::ClientProperties
        && !input.overrides.contains_key("client")
        && v.diagnostics.iter().any(|d| d.code == "librdkafka-key")
    {
        input.overrides.insert("client".into(), "librdkafka".into());
        v = cl.classify(&input);
    }
    let notes: Vec<Note> = v
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| Note {
            severity: d.severity,
            code: d.code,
            line: if d.line == 0 { line } else { d.line },
            col: d.col.max(1),
            message: d.message.clone(),
            hint: d.hint.clone(),
        })
        .collect();
    let problem = if v.is_unusable() {
        Some("semdoc could not read every setting of this configuration (see the errors)".to_string())
    } else if v.is_invalid() {
        Some(format!("the client rejects this configuration: {}", v.client_error.clone().unwrap_or_default()))
    } else if v.cannot_deliver() {
        Some(v.undeliverable().map_or_else(|| "the configuration cannot deliver".into(), |d| d.message.clone()))
    } else if let Some(e) = opts.expect
        && !crate::verify::check::satisfies(&v, e)
    {
        Some(format!("expected {} but the configuration is {}", e.as_str(), v.verdict))
    } else {
        None
    };
    // The smallest proven change: to the expectation when it fails, else to exactly-once.
    let fix = if v.is_unusable() || v.is_invalid() {
        None
    } else {
        let (loss, dup) = opts.expect.filter(|_| problem.is_some()).map_or((true, true), Level::claims);
        let done = (!loss || v.no_loss) && (!dup || v.no_duplicate) && !v.cannot_deliver();
        if done { None } else { cl.proven_fix(&input, &v, loss, dup).map(|f: Fix| f.describe()) }
    };
    Finding {
        path: f.path.clone(),
        line,
        kind,
        role: v.role.clone(),
        client: v.client.clone(),
        kafka: v.kafka.clone(),
        kafka_from: build.and_then(|b| b.kafka.as_ref().and(b.source.clone())),
        verdict: v.verdict.clone(),
        passed: problem.is_none(),
        problem,
        fix,
        notes,
        service: None,
    }
}

/// `--expect` values, read like a table's level column.
pub fn parse_expect(s: &str) -> Result<Level, String> {
    parse_level(s).ok_or_else(|| "allowed: exactly-once, at-least-once, at-most-once, no-guarantee".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(p: &str, t: &str) -> SourceFile {
        SourceFile { path: PathBuf::from(p), text: t.into() }
    }

    #[test]
    fn detection_by_name_and_text() {
        let d = |p: &str, t: &str| detect(Path::new(p), t);
        assert_eq!(
            d("a/application.properties", "server.port=8080\nspring.kafka.producer.acks=all\n"),
            Some((Kind::SpringBoot, Lang::Properties, 2))
        );
        assert_eq!(d("a/application.properties", "server.port=8080\n"), None, "no Kafka keys: not a finding");
        assert_eq!(
            d("etc/p.conf", "# librdkafka\nacks=all\nqueue.buffering.max.ms=5\n").map(|x| x.0),
            Some(Kind::ClientProperties)
        );
        assert_eq!(d("application.yml", "spring:\n  kafka:\n    producer:\n      acks: all\n").map(|x| x.2), Some(2));
        assert_eq!(
            d("docker-compose.yml", "services:\n  kafka:\n    image: x\n"),
            None,
            "a service named kafka is no config"
        );
        assert_eq!(d("X.java", "class X { KafkaProducer<String,String> p; }").map(|x| x.0), Some(Kind::JvmCode));
        assert_eq!(d("x.py", "from kafka import KafkaProducer\n").map(|x| x.0), Some(Kind::PythonKafkaPython));
        assert_eq!(d("x.py", "import os\n"), None);
        assert_eq!(
            d("m.rs", "let p = ClientConfig::new().set(\"acks\", \"all\");").map(|x| x.0),
            Some(Kind::RustRdkafka)
        );
    }

    #[test]
    fn the_fast_paths_decide_as_the_plain_scans_do() {
        // Near misses: the length-bucketed, bounded search answers as a scan of every key would.
        let known = crate::semantics::facts::all_known_keys();
        let plain = |key: &str| known.iter().any(|k| k.contains('.') && crate::diag::levenshtein(key, k) <= 2);
        let keys = [
            "bootstrap.servrs",
            "bootstrap.serv",
            "bootstrapservers.x",
            "enable.idempotency",
            "enabel.idempotence",
            "transactional.ids",
            "order.payment.title",
            "log4j.appender.stdout",
            "spring.datasource.url",
            "git.commit.id.abbrev",
            "queue.buffering.max.msx",
            "ack.s",
        ];
        let mut near = 0;
        for k in keys {
            assert_eq!(near_known(k), plain(k), "{k}");
            near += usize::from(plain(k));
        }
        assert!(near >= 4 && near < keys.len(), "the keys cover both answers: {near}");
        let d = |p: &str, t: &str| detect(Path::new(p), t).map(|x| x.0);
        assert_eq!(d("p.properties", "log4j.rootLogger=INFO\nbootstrap.servrs=x\n"), Some(Kind::ClientProperties));
        assert_eq!(d("p.properties", "log4j.rootLogger=INFO\norder.payment.title=x\n"), None);
        // The byte pre-filters: a needle anywhere in the text, not only at a line's start.
        assert_eq!(d("a.py", "import os\nfrom confluent_kafka import Consumer\n"), Some(Kind::PythonConfluent));
        assert_eq!(d("a.py", "\"\"\"Talks to Kafka.\"\"\"\nimport os\n"), None, "the word Kafka is no import");
        assert_eq!(d("a.yml", "app:\n  x: 1\nspring.kafka.producer.acks: all\n"), Some(Kind::SpringBoot));
        assert_eq!(d("a.yml", "spring:\n  kafka:\n"), Some(Kind::SpringBoot));
        assert_eq!(d("a.yml", "services:\n  kafka:\n    image: k\n"), None);
        assert_eq!(
            d("A.java", "class A { KafkaTemplate<String, String> t; }"),
            None,
            "a template configures no client"
        );
        assert_eq!(d("A.kt", "val p = KafkaProducer<String, String>(props)"), Some(Kind::JvmCode));
    }

    #[test]
    fn build_files_name_the_kafka_version() {
        let pom = "<project>\n<parent>\n<groupId>org.springframework.boot</groupId>\n<artifactId>spring-boot-starter-parent</artifactId>\n<version>3.3.4</version>\n</parent>\n</project>\n";
        assert_eq!(build_info(&file("svc/pom.xml", pom)).kafka.as_deref(), Some("3.7"));
        let pom2 = format!(
            "{pom}<dependency>\n<artifactId>kafka-clients</artifactId>\n<version>3.9.1</version>\n</dependency>\n"
        );
        let b = build_info(&file("svc/pom.xml", &pom2));
        assert_eq!(
            (b.kafka.as_deref(), b.source.as_deref()),
            (Some("3.9"), Some("svc/pom.xml:9")),
            "an explicit kafka-clients wins"
        );
        let g = build_info(&file(
            "b/build.gradle",
            "dependencies {\n  implementation 'org.apache.kafka:kafka-clients:3.6.2'\n}\n",
        ));
        assert_eq!(g.kafka.as_deref(), Some("3.6"));
        assert_eq!(build_info(&file("p/requirements.txt", "confluent-kafka==2.5.0\n")).client, Some("librdkafka"));
        assert_eq!(build_info(&file("x/pom.xml", "<project/>")), BuildInfo::default());
    }

    #[test]
    fn findings_take_the_nearest_build_file_and_fail_below_the_expectation() {
        let tree = Tree {
            files: vec![
                file("svc/src/main/resources/application.properties", "spring.kafka.producer.acks=1\n"),
                file("svc/README.txt.properties", "server.port=1\n"),
            ],
            build_files: vec![file("svc/build.gradle", "implementation 'org.apache.kafka:kafka-clients:2.8.1'\n")],
            skipped: vec![],
            visited: 3,
            read: 3,
        };
        let cl = Classifier::new();
        let r = lint(&tree, &cl, &Options { expect: Some(Level::AtLeastOnce), ..Default::default() });
        assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
        let f = &r.findings[0];
        assert_eq!((f.kafka.as_str(), f.kafka_from.as_deref()), ("2.8", Some("svc/build.gradle:1")));
        assert!(!f.passed && f.problem.as_deref().unwrap().starts_with("expected at-least-once but"), "{f:?}");
        assert!(f.fix.as_deref().is_some_and(|x| x.contains("acks=all")), "{f:?}");
        let r = lint(&tree, &cl, &Options::default());
        assert!(r.findings[0].passed, "without an expectation a valid config passes");
    }

    #[test]
    fn spring_environment_variables_are_read_per_compose_service_and_from_env_files() {
        let compose = "version: '3'\nservices:\n  orders:\n    image: o\n    environment:\n      SPRING_KAFKA_PRODUCER_ACKS: \"1\"\n      JAVA_OPTS: -Xmx1g\n  billing:\n    environment:\n      - SPRING_KAFKA_CONSUMER_ENABLE_AUTO_COMMIT=false\n  db:\n    image: postgres\n";
        let c = spring_env_configs(Path::new("docker-compose.yml"), compose);
        let got: Vec<(&str, usize, usize)> = c.iter().map(|(s, l, _, n)| (s.as_str(), *l, *n)).collect();
        assert_eq!(got, [("billing", 10, 0), ("orders", 6, 1)]);
        let orders = &c[1].2;
        assert_eq!(orders.lines().nth(5), Some("SPRING_KAFKA_PRODUCER_ACKS=1"), "the variable keeps its line");
        assert_eq!(orders.lines().count(), compose.lines().count());
        let env = "DB=x\nexport SPRING_KAFKA_PRODUCER_ACKS='all'\n# c\n";
        let c = spring_env_configs(Path::new("svc/.env"), env);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].1, c[0].3, c[0].2.lines().nth(1)), (2, 1, Some("SPRING_KAFKA_PRODUCER_ACKS=all")));
        assert_eq!(detect(Path::new("prod.env"), env).map(|d| (d.0, d.2)), Some((Kind::SpringEnv, 2)));
        assert!(detect(Path::new(".env"), "DB=x\n").is_none(), "no Kafka variable, no configuration");
        assert!(is_candidate(".env.local") && !is_candidate(".envrc"));
        // A variable the reader cannot place (an anchor outside `services:`) is listed, not dropped.
        let anchored = "x-kafka: &kafka\n  SPRING_KAFKA_PRODUCER_ACKS: \"0\"\nservices:\n  orders:\n    environment: *kafka\n    # SPRING_KAFKA_X: commented\n";
        let c = spring_env_configs(Path::new("compose.yaml"), anchored);
        assert!(c.is_empty());
        assert_eq!(spring_env_unread(anchored, &c), [2]);
        assert_eq!(
            spring_env_unread(compose, &spring_env_configs(Path::new("docker-compose.yml"), compose)),
            Vec::<usize>::new()
        );
    }
}
