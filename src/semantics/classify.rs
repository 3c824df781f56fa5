//! Classification: a snippet (text + language + semdoc options) to a `Verdict` with its evidence:
//! role, version, client and fault model; the effective configuration; the properties and their
//! shortest counterexamples; the bounds and states explored; and every diagnostic.

use super::check;
use super::facts::{self, Client, Version};
use super::params::{
    Bounds, CheckOutcome, Counterexample, FaultModel, Membership, ModelParams, PipelineParams, ProducerParams,
};
use super::parse::{self, Lang, RawConfig};
use super::resolve::{self, Written};
use super::{Diag, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// A snippet to classify. `defaults` (site and page) are overridden by the snippet's own
/// `semdoc.*` keys, which `overrides` (fence attributes, CLI flags) override in turn. Option keys
/// are written without the `semdoc.` prefix: `kafka`, `client`, `role`, `faults`, `commit`, ….
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub text: &'a str,
    pub lang: Lang,
    pub defaults: BTreeMap<String, String>,
    pub overrides: BTreeMap<String, String>,
    /// Settings given outside the text (a table row's `key=value` cells); they win over the text.
    pub extra: Vec<(String, String)>,
    pub bounds: Bounds,
}

impl<'a> Input<'a> {
    pub fn new(text: &'a str, lang: Lang) -> Self {
        Input {
            text,
            lang,
            defaults: BTreeMap::new(),
            overrides: BTreeMap::new(),
            extra: Vec::new(),
            bounds: Bounds::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BoundsOut {
    pub faults: u8,
    pub messages: u8,
    pub states: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// `exactly-once`, `at-least-once`, `at-most-once`, `no-guarantee` or `invalid-config`.
    pub verdict: String,
    pub role: String,
    pub kafka: String,
    pub client: String,
    pub faults: String,
    pub no_loss: bool,
    pub no_duplicate: bool,
    pub no_reorder: bool,
    pub unavailable: bool,
    pub effective: BTreeMap<String, String>,
    /// Where each `effective` value comes from: `user` (written in the snippet or given as an
    /// option), `default` (the client's default for that version, possibly adjusted by the
    /// client's own rules) or `assumption` (a model assumption: the topic's replication, the
    /// broker count, a commit pattern semdoc inferred).
    pub provenance: BTreeMap<String, &'static str>,
    /// No Kafka version was given: `kafka` is the version semdoc assumed.
    pub kafka_assumed: bool,
    pub counterexamples: Vec<Counterexample>,
    pub bounds: BoundsOut,
    pub diagnostics: Vec<Diag>,
    /// The real client's message when the verdict is `invalid-config`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_error: Option<String>,
    /// The smallest change the model proves gives exactly-once (filled by `Classifier::explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// `fix` was searched for (by `Classifier::explain`): `None` then means no fix exists.
    #[serde(skip)]
    pub fix_searched: bool,
}

impl Verdict {
    pub fn is_invalid(&self) -> bool {
        self.verdict == "invalid-config"
    }
    /// Input that cannot be classified at all (syntax errors, unknown options).
    pub fn is_unusable(&self) -> bool {
        self.verdict == "unusable"
    }
    /// The client accepts the configuration, but no fault-free run delivers a message: every
    /// property would hold only vacuously, so none is claimed.
    pub fn cannot_deliver(&self) -> bool {
        self.verdict == CANNOT_DELIVER
    }
    /// The diagnostic that says why the configuration cannot deliver (`cannot_deliver`).
    pub fn undeliverable(&self) -> Option<&Diag> {
        self.diagnostics.iter().find(|d| d.code == CANNOT_DELIVER)
    }
}

/// The verdict of a configuration the model cannot deliver a message with (`Verdict::cannot_deliver`).
pub const CANNOT_DELIVER: &str = "cannot-deliver";

/// The verdict a checker outcome gives: no guarantee is claimed unless a fault-free run delivers.
pub fn outcome_verdict(o: &CheckOutcome) -> &'static str {
    if o.delivers { verdict_name(o.no_loss, o.no_duplicate) } else { CANNOT_DELIVER }
}

pub fn verdict_name(no_loss: bool, no_dup: bool) -> &'static str {
    match (no_loss, no_dup) {
        (true, true) => "exactly-once",
        (true, false) => "at-least-once",
        (false, true) => "at-most-once",
        (false, false) => "no-guarantee",
    }
}

/// Identifies this build's classifier (its source and semdoc's version, hashed by `build.rs`): a
/// cached outcome is reused only by the classifier that computed it.
pub const CLASSIFIER_HASH: &str = env!("SEMDOC_CLASSIFIER_HASH");

/// One memoised check, as stored in the verdict cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MemoEntry {
    pub params: ModelParams,
    pub faults: FaultModel,
    pub bounds: Bounds,
    pub outcome: CheckOutcome,
}

/// Classifies snippets, checking each distinct model once per process (the memo is shared across
/// threads; identical configurations in one build are classified once).
#[derive(Default)]
pub struct Classifier {
    memo: Mutex<HashMap<(ModelParams, FaultModel, Bounds), CheckOutcome>>,
}

impl Classifier {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn check(&self, params: &ModelParams, faults: FaultModel, bounds: Bounds) -> CheckOutcome {
        let key = (params.clone(), faults, bounds);
        if let Some(o) = self.memo.lock().expect("memo lock").get(&key) {
            return o.clone();
        }
        let o = check::check(params, faults, bounds);
        self.memo.lock().expect("memo lock").insert(key, o.clone());
        o
    }

    /// The memo's entries, sorted, for the verdict cache that survives between runs.
    pub fn export(&self) -> Vec<MemoEntry> {
        let memo = self.memo.lock().expect("memo lock");
        let mut out: Vec<MemoEntry> = memo
            .iter()
            .map(|((params, faults, bounds), outcome)| MemoEntry {
                params: params.clone(),
                faults: *faults,
                bounds: *bounds,
                outcome: outcome.clone(),
            })
            .collect();
        out.sort_by(|a, b| (&a.params, a.faults, a.bounds).cmp(&(&b.params, b.faults, b.bounds)));
        out
    }

    /// Seed the memo with outcomes checked by an earlier run of this same classifier
    /// (`CLASSIFIER_HASH` names it; the caller keys its cache by it).
    pub fn import(&self, entries: Vec<MemoEntry>) {
        let mut memo = self.memo.lock().expect("memo lock");
        for e in entries {
            memo.entry((e.params, e.faults, e.bounds)).or_insert(e.outcome);
        }
    }

    /// Number of distinct models checked so far.
    pub fn distinct(&self) -> usize {
        self.memo.lock().expect("memo lock").len()
    }

    pub fn classify(&self, input: &Input) -> Verdict {
        classify_with(self, input)
    }

    /// `classify`, plus the smallest proven change to exactly-once when the verdict is weaker
    /// (what `semdoc explain` shows).
    pub fn explain(&self, input: &Input) -> Verdict {
        let mut v = self.classify(input);
        let exactly_once = v.no_loss && v.no_duplicate;
        if !(v.is_unusable() || v.is_invalid() || exactly_once) {
            v.fix = self.proven_fix(input, &v, true, true);
            v.fix_searched = true;
        }
        v
    }

    /// The smallest change to the configuration (one setting, else two) under which the model
    /// proves the wanted properties: every candidate is classified like the snippet itself, so a
    /// fix is shown only when the checker explored the whole bounded space with it and found no
    /// counterexample (and a fault-free run delivers). Candidates are the settings the model
    /// reads for the verdict's role, in a fixed order; the first proven one wins.
    pub fn proven_fix(&self, input: &Input, v: &Verdict, loss: bool, dup: bool) -> Option<Fix> {
        let candidates = fix_candidates(&v.role, &v.client);
        let proves = |settings: &[(&str, &str)]| {
            let mut i = input.clone();
            i.extra.extend(settings.iter().map(|(k, val)| (k.to_string(), val.to_string())));
            let w = self.classify(&i);
            let ok = !w.is_unusable()
                && !w.is_invalid()
                && !w.cannot_deliver()
                && (!loss || w.no_loss)
                && (!dup || w.no_duplicate);
            ok.then(|| Fix {
                settings: settings.iter().map(|(k, val)| (k.to_string(), val.to_string())).collect(),
                verdict: w.verdict,
            })
        };
        let changes = |c: &(&str, &str)| v.effective.get(c.0).is_none_or(|now| now != c.1);
        let useful: Vec<&(&str, &str)> = candidates.iter().filter(|c| changes(c)).collect();
        for c in &useful {
            if let Some(f) = proves(&[**c]) {
                return Some(f);
            }
        }
        for (i, a) in useful.iter().enumerate() {
            for b in &useful[i + 1..] {
                if a.0 != b.0
                    && let Some(f) = proves(&[**a, **b])
                {
                    return Some(f);
                }
            }
        }
        None
    }
}

/// A change to a configuration under which the model proves a guarantee (`Classifier::proven_fix`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// `key=value` settings to add or change, in the snippet's own key forms.
    pub settings: Vec<(String, String)>,
    /// The verdict with the change applied.
    pub verdict: String,
}

impl Fix {
    /// `set `a=b` and `c=d``.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = self.settings.iter().map(|(k, v)| format!("`{k}={v}`")).collect();
        format!("set {} (the model then proves {})", parts.join(" and "), self.verdict)
    }
}

/// Settings that can strengthen a verdict, per role: the producer's durability and idempotence
/// keys and the topic's replication settings (ProducerConfig, TopicConfig), the consumer's commit
/// pattern and isolation (ConsumerConfig; `semdoc.commit` stands for where the code commits),
/// and for a pipeline its transactional recipe (KIP-98, KIP-447).
fn fix_candidates(role: &str, client: &str) -> Vec<(&'static str, &'static str)> {
    let producer: &[(&str, &str)] = &[
        ("acks", "all"),
        ("enable.idempotence", "true"),
        ("retries", "2147483647"),
        ("max.in.flight.requests.per.connection", "5"),
        ("min.insync.replicas", "2"),
        ("replication.factor", "3"),
        ("unclean.leader.election.enable", "false"),
    ];
    let mut consumer: Vec<(&str, &str)> =
        vec![("semdoc.commit", "after-processing"), ("enable.auto.commit", "false"), ("semdoc.processing", "sync")];
    if client == "librdkafka" {
        consumer.push(("enable.auto.offset.store", "false"));
    }
    match role {
        "producer" => producer.to_vec(),
        "consumer" => consumer,
        _ => {
            let mut out = vec![
                ("semdoc.commit", "transactional"),
                ("producer.transactional.id", "semdoc-fix"),
                ("consumer.isolation.level", "read_committed"),
                ("semdoc.downstream.isolation.level", "read_committed"),
                ("consumer.enable.auto.commit", "false"),
                ("semdoc.fenced", "true"),
                ("semdoc.rewind-on-abort", "true"),
            ];
            let pre: &[&str] = &[
                "producer.acks",
                "producer.enable.idempotence",
                "producer.retries",
                "producer.max.in.flight.requests.per.connection",
                "topic.min.insync.replicas",
                "topic.replication.factor",
                "topic.unclean.leader.election.enable",
            ];
            out.extend(pre.iter().zip(producer).map(|(k, (_, v))| (*k, *v)));
            out
        }
    }
}

fn option<'a>(input: &'a Input, written: &'a BTreeMap<String, (String, usize)>, key: &str) -> Option<(&'a str, usize)> {
    // Fence attributes use short names: `downstream=read_committed`.
    let short = if key == "downstream.isolation.level" { "downstream" } else { key };
    if let Some(v) = input.overrides.get(key).or_else(|| input.overrides.get(short)) {
        return Some((v, 0));
    }
    if let Some((v, l)) = written.get(&format!("semdoc.{key}")) {
        return Some((v, *l));
    }
    input.defaults.get(key).map(|v| (v.as_str(), 0))
}

/// Check one snippet option (`kafka`, `client`, `role`, …) by the classifier's own rules, the ones
/// fence attributes, `semdoc.*` keys and `explain`'s flags all go through. `Err` carries the
/// allowed values (`allowed: producer, consumer, pipeline`). Parses and validates only; the model
/// checker does not run.
pub fn check_option(key: &str, value: &str) -> Result<(), String> {
    let mut input = Input::new("", Lang::Properties);
    input.overrides.insert(key.to_string(), value.to_string());
    let prepared = prepare(&input);
    match prepared.verdict.diagnostics.iter().find(|d| d.code == "semdoc-option") {
        None => Ok(()),
        Some(d) => Err(d.hint.clone().unwrap_or_else(|| d.message.clone())),
    }
}

/// A snippet after parsing, option handling, defaults and validation: either the model to check
/// (with the verdict's evidence so far) or a finished verdict (`unusable` / `invalid-config`).
pub struct Prepared {
    /// The verdict without the checker's results (`verdict` is "unusable" until checked).
    pub verdict: Verdict,
    pub model: Option<ModelParams>,
    pub faults: FaultModel,
    pub bounds: Bounds,
}

fn classify_with(cl: &Classifier, input: &Input) -> Verdict {
    let p = prepare(input);
    let mut v = match p.model {
        None => p.verdict,
        Some(model) => {
            let o = cl.check(&model, p.faults, p.bounds);
            with_outcome(p.verdict, o)
        }
    };
    cap_repeated(&mut v.diagnostics);
    v
}

/// The largest snippet or configuration file `classify` reads (1 MiB): beyond it the input is not
/// a configuration, and reading it (`semdoc explain /dev/zero`) must not take the machine's memory.
pub const MAX_SNIPPET_BYTES: usize = 1 << 20;

/// At most this many diagnostics of one kind per snippet are listed; the rest are counted.
pub const MAX_REPEATED: usize = 20;

/// The verdict before anything is read: unusable, nothing set.
fn blank_verdict(input: &Input) -> Verdict {
    Verdict {
        verdict: "unusable".into(),
        role: String::new(),
        kafka: String::new(),
        client: String::new(),
        faults: String::new(),
        no_loss: false,
        no_duplicate: false,
        no_reorder: false,
        unavailable: false,
        effective: BTreeMap::new(),
        provenance: BTreeMap::new(),
        kafka_assumed: false,
        counterexamples: vec![],
        bounds: BoundsOut { faults: input.bounds.faults, messages: input.bounds.messages, states: 0 },
        diagnostics: vec![],
        client_error: None,
        fix: None,
        fix_searched: false,
    }
}

/// Keep the first `MAX_REPEATED` diagnostics of each kind and replace the rest by one that says
/// how many more there were (a file of a million unknown keys printed 137 MB of warnings).
fn cap_repeated(diags: &mut Vec<Diag>) {
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut first_dropped: BTreeMap<&'static str, (usize, usize, Severity)> = BTreeMap::new();
    diags.retain(|d| {
        let n = seen.entry(d.code).or_default();
        *n += 1;
        if *n > MAX_REPEATED {
            first_dropped.entry(d.code).or_insert((d.line, d.col, d.severity));
        }
        *n <= MAX_REPEATED
    });
    for (code, (line, col, severity)) in first_dropped {
        let more = seen[code] - MAX_REPEATED;
        diags.push(Diag::new(
            severity,
            code,
            line,
            col,
            format!("and {more} more `{code}` problem(s) like the ones above, from this line on (not listed)"),
        ));
    }
}

/// Fill a prepared verdict with the checker's outcome. Without a fault-free delivery the
/// properties are not claimed (they hold only because nothing ever arrives) and the verdict
/// says why the configuration cannot deliver.
pub fn with_outcome(mut v: Verdict, o: CheckOutcome) -> Verdict {
    v.verdict = outcome_verdict(&o).into();
    v.no_loss = o.no_loss && o.delivers;
    v.no_duplicate = o.no_duplicate && o.delivers;
    if !o.delivers {
        let (line, why) = undeliverable_reason(&v);
        v.diagnostics.insert(
            0,
            Diag::error(CANNOT_DELIVER, line, 1, why).hint(
                "no guarantee can be claimed for a configuration that delivers nothing; fix the setting named above",
            ),
        );
    }
    v.no_reorder = o.no_reorder;
    v.unavailable = o.unavailable;
    v.counterexamples = o.counterexamples;
    v.bounds.states = o.states;
    v
}

/// Everything `classify` does before the model checker runs.
pub fn prepare(input: &Input) -> Prepared {
    let done =
        |v: Verdict| Prepared { verdict: v, model: None, faults: FaultModel::KafkaPromise, bounds: input.bounds };
    // Spring profiles (`profile=prod,cloud`) decide which YAML documents are read at all.
    let profiles: Option<Vec<String>> = input
        .overrides
        .get("profile")
        .or_else(|| input.defaults.get("profile"))
        .map(|p| p.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect());
    let mut v = blank_verdict(input);
    if input.text.len() > MAX_SNIPPET_BYTES {
        v.diagnostics.push(
            Diag::error(
                "parse",
                1,
                1,
                format!(
                    "this is larger than {} KiB, the most semdoc reads as one Kafka configuration (far more than any real one)",
                    MAX_SNIPPET_BYTES / 1024
                ),
            )
            .hint("give semdoc the configuration itself (a properties, YAML or code snippet), not a whole data file"),
        );
        return done(v);
    }
    let (mut raw, parse_diags) = parse::parse_for(input.text, input.lang, profiles.as_deref());
    for (k, val) in &input.extra {
        raw.entries.push(parse::Entry { key: k.clone(), value: val.clone(), line: 0, col: 0 });
    }
    let mut diags = parse_diags;
    // Split keys by role prefix; keep semdoc.* keys apart.
    let mut producer = Written::new();
    let mut consumer = Written::new();
    let mut topic = Written::new();
    let mut semdoc = BTreeMap::new();
    let mut seen_producer = false;
    let mut seen_consumer = false;
    // The client decides whether librdkafka's names (`request.required.acks`, …) mean anything:
    // the Java client does not know them and ignores them ("supplied but isn't a known config").
    for e in raw.entries.iter().filter(|e| e.key.starts_with("semdoc.")) {
        semdoc.insert(e.key.clone(), (e.value.clone(), e.line));
    }
    let java =
        option(input, &semdoc, "client").and_then(|(s, _)| Client::parse(s)).unwrap_or(default_client(input.lang))
            == Client::Java;
    let is_kafka = check_unknown_keys(input, &raw, &semdoc, java, &mut diags);
    for (e, _) in raw.entries.iter().zip(is_kafka).filter(|(_, k)| *k) {
        let (prefix, key) = match e.key.split_once('.') {
            Some((p @ ("producer" | "consumer" | "topic"), k)) => (Some(p), k),
            _ => (None, e.key.as_str()),
        };
        if java && let Some((alias, java_key)) = facts::ALIASES.iter().find(|(a, _)| *a == key) {
            diags.push(
                Diag::warning(
                    "librdkafka-key",
                    e.line,
                    e.col.max(1),
                    format!("`{alias}` is librdkafka's name; the Java client does not know it and ignores it"),
                )
                .hint(format!(
                    "write `{java_key}` for the Java client, or say the snippet is for librdkafka: `semdoc.client=librdkafka` in it, `client=librdkafka` on its fence, or `explain --client librdkafka`"
                )),
            );
            continue;
        }
        let key = facts::canonical_key(key).to_string();
        let val = (e.value.clone(), e.line);
        let is_topic = facts::TOPIC_KEYS.contains(&key.as_str());
        let is_p = facts::PRODUCER_KEYS.contains(&key.as_str())
            || [
                "request.required.acks",
                "enable.gapless.guarantee",
                "queuing.strategy",
                "queue.buffering.backpressure.threshold",
            ]
            .contains(&e.key.as_str());
        let is_c = facts::CONSUMER_KEYS.contains(&key.as_str()) || key == "enable.auto.offset.store";
        match prefix {
            Some("producer") => {
                seen_producer = true;
                producer.insert(key, val);
            }
            Some("consumer") => {
                seen_consumer = true;
                consumer.insert(key, val);
            }
            Some(_) => {
                topic.insert(key, val);
            }
            None if is_topic => {
                topic.insert(key, val);
            }
            None => {
                seen_producer |= is_p;
                seen_consumer |= is_c;
                // Shared keys (bootstrap.servers, client.id, …) go to both sides.
                if !is_c {
                    producer.insert(key.clone(), val.clone());
                }
                if !is_p {
                    consumer.insert(key, val);
                }
            }
        }
    }
    // KafkaProducer#initTransactions: "Needs to be called before any other methods when the
    // transactional.id is set in the configuration" and throws IllegalStateException without one;
    // code that calls it (or beginTransaction) runs with a transactional.id the snippet does not show.
    if let Some(line) = raw.code.transactions_line
        && !producer.contains_key("transactional.id")
    {
        producer.insert("transactional.id".into(), ("(set outside the snippet)".into(), line));
        seen_producer = true;
        diags.push(Diag::info(
            "implied-setting",
            line,
            1,
            "the code uses transactions, which need a transactional.id: semdoc assumes one is configured outside the snippet".to_string(),
        ));
    }
    // Options.
    let bad_option = |diags: &mut Vec<Diag>, key: &str, value: &str, line: usize, allowed: &str| {
        diags.push(
            Diag::error("semdoc-option", line, 1, format!("`{key}={value}` is not a valid value"))
                .hint(format!("allowed: {allowed}")),
        );
    };
    let kafka = match option(input, &semdoc, "kafka") {
        None => facts::NEWEST,
        Some((s, line)) => Version::parse(s).unwrap_or_else(|| {
            bad_option(&mut diags, "kafka", s, line, "a Kafka version from 2.0 to 4.x, e.g. 2.8, 3.0.0, 3.9, 4.0");
            facts::NEWEST
        }),
    };
    let client = match option(input, &semdoc, "client") {
        None => default_client(input.lang),
        Some((s, line)) => Client::parse(s).unwrap_or_else(|| {
            bad_option(&mut diags, "client", s, line, "java, librdkafka");
            Client::Java
        }),
    };
    let faults = match option(input, &semdoc, "faults") {
        None | Some(("kafka-promise", _)) => FaultModel::KafkaPromise,
        Some(("power-loss", _)) => FaultModel::PowerLoss,
        Some((s, line)) => {
            bad_option(&mut diags, "faults", s, line, "kafka-promise, power-loss");
            FaultModel::KafkaPromise
        }
    };
    let commit = match option(input, &semdoc, "commit").map(|(s, l)| (s.to_string(), l)) {
        Some((s, l))
            if !["auto", "before-processing", "after-processing", "transactional", "never"].contains(&s.as_str()) =>
        {
            bad_option(&mut diags, "commit", &s, l, "auto, before-processing, after-processing, transactional");
            None
        }
        Some((s, _)) => Some(s),
        None => spring_ack_mode(&semdoc).or(raw.code.commit.map(str::to_string)),
    };
    let async_processing = match option(input, &semdoc, "processing") {
        None | Some(("sync", _)) => false,
        Some(("async", _)) => true,
        Some((s, line)) => {
            bad_option(&mut diags, "processing", s, line, "sync, async");
            false
        }
    };
    // subscribe() or assign() (docs/model.md §6.2): written, else read from the code, else both.
    let membership = match option(input, &semdoc, "membership") {
        Some((s, line)) => match Membership::parse(s) {
            Some(m @ (Membership::Subscribe | Membership::Assign)) => m,
            _ => {
                bad_option(&mut diags, "membership", s, line, "subscribe, assign");
                Membership::Unknown
            }
        },
        None => raw.code.membership.map_or(Membership::Unknown, |(m, _)| m),
    };
    let role = match option(input, &semdoc, "role") {
        Some((r @ ("producer" | "consumer" | "pipeline"), _)) => r.to_string(),
        Some((s, line)) => {
            bad_option(&mut diags, "role", s, line, "producer, consumer, pipeline");
            "producer".into()
        }
        None if commit.as_deref() == Some("transactional") || (seen_producer && seen_consumer) => "pipeline".into(),
        None if seen_consumer || commit.is_some() => "consumer".into(),
        None => "producer".into(),
    };
    v.role = role.clone();
    v.kafka_assumed = option(input, &semdoc, "kafka").is_none();
    v.kafka = option(input, &semdoc, "kafka").map(|(s, _)| s.to_string()).unwrap_or_else(|| kafka.to_string());
    v.client = client.as_str().into();
    v.faults = match faults {
        FaultModel::KafkaPromise => "kafka-promise".into(),
        FaultModel::PowerLoss => "power-loss".into(),
    };
    if diags.iter().any(|d| d.severity == Severity::Error) {
        v.diagnostics = diags;
        return done(v);
    }
    // Topic (docs/model.md §3 defaults: RF=3, min ISR=2, no unclean election) and the cluster:
    // model assumptions unless written. The broker count is one too (3), overridable with
    // `semdoc.brokers`.
    let brokers: i64 = match option(input, &semdoc, "brokers") {
        None => 3,
        Some((s, line)) => s.trim().parse::<i64>().ok().filter(|n| (1..=10_000).contains(n)).unwrap_or_else(|| {
            bad_option(&mut diags, "brokers", s, line, "a whole number of brokers from 1, e.g. 3");
            3
        }),
    };
    let kraft = kafka >= Version::new(4, 0, 0);
    let mut topic_rejection: Option<resolve::Rejection> = None;
    let mut broker_reject = |key: &str, message: String, thrown_as: &'static str| {
        topic_rejection.get_or_insert(resolve::Rejection { message, key: key.into(), thrown_as });
    };
    // replication.factor is CreateTopics' INT16 field, checked by the controller:
    // ZooKeeper mode (core/src/main/scala/kafka/server/ZkAdminManager.scala and
    // kafka/admin/AdminUtils.scala `assignReplicasToBrokers` @ 3.9.0) and KRaft
    // (metadata/src/main/java/org/apache/kafka/controller/ReplicationControlManager.java and
    // metadata/.../placement/StripedReplicaPlacer.java @ 4.0.0; texts as asserted by
    // core/src/test/scala/unit/kafka/server/CreateTopicsRequestTest.scala). -1 asks for the
    // broker's default.replication.factor (KIP-464, 2.4.0).
    const INVALID_RF: &str =
        "org.apache.kafka.common.errors.InvalidReplicationFactorException (CreateTopics INVALID_REPLICATION_FACTOR)";
    let rf: i64 = match topic.get("replication.factor") {
        None => 3,
        Some((s, line)) => match s.trim().parse::<i64>() {
            Ok(-1) if kafka >= Version::new(2, 4, 0) => {
                diags.push(Diag::info(
                    "topic",
                    *line,
                    1,
                    "replication.factor=-1 takes the broker's default.replication.factor (KIP-464): semdoc assumes 3"
                        .into(),
                ));
                3
            }
            Ok(n) if n <= 0 => {
                let m = if kraft {
                    "Replication factor must be larger than 0, or -1 to use the default value."
                } else {
                    "Replication factor must be larger than 0."
                };
                broker_reject("replication.factor", m.into(), INVALID_RF);
                3
            }
            Ok(n) if n > brokers => {
                let m = if kraft {
                    format!(
                        "Unable to replicate the partition {n} time(s): The target replication factor of {n} cannot be reached because only {brokers} broker(s) are registered."
                    )
                } else {
                    format!("Replication factor: {n} larger than available brokers: {brokers}.")
                };
                broker_reject("replication.factor", m, INVALID_RF);
                3
            }
            Ok(n) => n,
            Err(_) => {
                broker_reject(
                    "replication.factor",
                    format!("replication.factor={s} is not a number (CreateTopics' replication_factor is an INT16)"),
                    "not a replication factor",
                );
                3
            }
        },
    };
    // min.insync.replicas: `INT, atLeast(1)` in LogConfig's ConfigDef
    // (storage/src/main/java/org/apache/kafka/storage/internals/log/LogConfig.java @ 3.9.0 and
    // 4.0.0; core/src/main/scala/kafka/log/LogConfig.scala @ 2.8.0), ConfigDef's own messages.
    const LOG_CONFIG: &str =
        "org.apache.kafka.common.config.ConfigException from LogConfig (CreateTopics INVALID_CONFIG)";
    let min_isr: i64 = match topic.get("min.insync.replicas") {
        None => 2,
        Some((s, _)) => match s.trim().parse::<i32>() {
            Ok(n) if n < 1 => {
                broker_reject(
                    "min.insync.replicas",
                    format!("Invalid value {n} for configuration min.insync.replicas: Value must be at least 1"),
                    LOG_CONFIG,
                );
                2
            }
            Ok(n) => n as i64,
            Err(_) => {
                broker_reject(
                    "min.insync.replicas",
                    format!(
                        "Invalid value {} for configuration min.insync.replicas: Not a number of type INT",
                        s.trim()
                    ),
                    LOG_CONFIG,
                );
                2
            }
        },
    };
    let unclean = topic.get("unclean.leader.election.enable").map(|(s, _)| s == "true").unwrap_or(false);
    // KIP-966: ELR exists from 4.0 (opt-in) and is on by default for new clusters from 4.1.
    let elr = match semdoc.get("semdoc.elr").map(|(s, _)| s.as_str()).or(input.overrides.get("elr").map(String::as_str))
    {
        Some("true") => kafka >= Version::new(4, 0, 0),
        Some(_) => false,
        None => kafka >= Version::new(4, 1, 0),
    };
    if let Some((_, line)) = topic.get("min.insync.replicas")
        && min_isr > rf
    {
        // Valid for the broker (the topic is created); every acks=all write then fails.
        diags.push(Diag::warning("topic", *line, 1, format!("min.insync.replicas={min_isr} is larger than replication.factor={rf}: every acks=all write fails with NotEnoughReplicas")));
    }
    let mut effective = BTreeMap::new();
    let with_topic = |p: &mut ProducerParams, eff: &mut BTreeMap<String, String>| {
        p.replication_factor = rf.min(3) as u8;
        p.min_insync_replicas = min_isr.min(u8::MAX as i64) as u8;
        p.unclean_leader_election = unclean;
        p.elr = elr;
        eff.insert("replication.factor".into(), rf.to_string());
        eff.insert("min.insync.replicas".into(), min_isr.to_string());
        eff.insert("unclean.leader.election.enable".into(), unclean.to_string());
        eff.insert("semdoc.elr".into(), elr.to_string());
    };
    let rejected = |v: &mut Verdict, r: resolve::Rejection, w: &Written, diags: &mut Vec<Diag>| {
        let line = w.get(&r.key).map(|(_, l)| *l).unwrap_or(0);
        let who = if r.key == "replication.factor" || r.key == "min.insync.replicas" {
            "the broker rejects this topic".to_string()
        } else {
            format!("the {} client rejects this configuration", client.as_str())
        };
        diags.push(Diag::error("invalid-config", line, 1, r.message.clone()).hint(format!("{who} ({})", r.thrown_as)));
        v.verdict = "invalid-config".into();
        v.client_error = Some(r.message);
    };
    if let Some(r) = topic_rejection {
        rejected(&mut v, r, &topic, &mut diags);
        v.diagnostics = diags;
        return done(v);
    }
    // librdkafka parses every property it is given in rd_kafka_conf_set(), whichever client it is
    // for (a property of the other client only logs CONFWARN): an unknown name or a bad value fails
    // the whole configuration (src/rdkafka_conf.c @ v2.15.0 rd_kafka_anyconf_set_prop0).
    if client == Client::Librdkafka {
        let entries = raw.entries.iter().filter_map(|e| {
            let key = e.key.strip_prefix("producer.").or_else(|| e.key.strip_prefix("consumer.")).unwrap_or(&e.key);
            // `topic.` is semdoc's topic prefix, except on librdkafka's own `topic.metadata.…` keys.
            let topic_key =
                (e.key.starts_with("topic.") && !resolve::rdk::known(&e.key)) || facts::TOPIC_KEYS.contains(&key);
            (!e.key.starts_with("semdoc.") && !topic_key).then_some((key, e.value.as_str(), e.line))
        });
        if let Err((r, line)) = resolve::rdk_check_all(entries) {
            let w: Written = [(r.key.clone(), (String::new(), line))].into_iter().collect();
            rejected(&mut v, r, &w, &mut diags);
            v.diagnostics = diags;
            return done(v);
        }
    }
    let model = match role.as_str() {
        "producer" => match resolve::resolve_producer(&producer, kafka, client) {
            Ok(mut r) => {
                with_topic(&mut r.params, &mut r.effective);
                notes_to_diags(&r.notes, &producer, &mut diags);
                effective.extend(r.effective);
                ModelParams::Producer(r.params)
            }
            Err(e) => {
                rejected(&mut v, e, &producer, &mut diags);
                v.diagnostics = diags;
                return done(v);
            }
        },
        "consumer" => {
            if commit.is_none()
                && consumer.get("enable.auto.commit").is_some_and(|(s, _)| s.eq_ignore_ascii_case("false"))
            {
                let line = consumer.get("enable.auto.commit").map_or(0, |(_, l)| *l);
                diags.push(
                    Diag::error("missing-commit", line, 1, "auto-commit is off but the snippet does not show when offsets are committed".to_string())
                        .hint("show the poll loop with its commitSync() call, or add `semdoc.commit=before-processing|after-processing|transactional`"),
                );
                v.diagnostics = diags;
                return done(v);
            }
            match resolve::resolve_consumer(&consumer, kafka, client, commit.as_deref(), async_processing, membership) {
                Ok(r) => {
                    effective.extend(r.effective);
                    // Only segment B models a rebalance; the pipeline's zombies are §6.3's stalls.
                    effective.insert("semdoc.membership".into(), membership.as_str().into());
                    ModelParams::Consumer(r.params)
                }
                Err(e) => {
                    rejected(&mut v, e, &consumer, &mut diags);
                    v.diagnostics = diags;
                    return done(v);
                }
            }
        }
        _ => {
            let p = resolve::resolve_producer(&producer, kafka, client);
            let c =
                resolve::resolve_consumer(&consumer, kafka, client, commit.as_deref(), async_processing, membership);
            match (p, c) {
                (Ok(mut p), Ok(c)) => {
                    with_topic(&mut p.params, &mut p.effective);
                    notes_to_diags(&p.notes, &producer, &mut diags);
                    for (k, val) in p.effective {
                        effective.insert(format!("producer.{k}"), val);
                    }
                    for (k, val) in c.effective {
                        effective.insert(format!("consumer.{k}"), val);
                    }
                    let downstream = option(input, &semdoc, "downstream.isolation.level")
                        .map(|(s, _)| s.to_string())
                        .unwrap_or_else(|| "read_uncommitted".into());
                    let fenced = match semdoc.get("semdoc.fenced").map(|(s, _)| s.as_str()) {
                        Some(s) => s == "true",
                        // KIP-447 group-metadata fencing (2.5+) or the stable transactional.id (KIP-98).
                        None => p.params.transactional,
                    };
                    let rewind = match semdoc.get("semdoc.rewind-on-abort").map(|(s, _)| s.as_str()) {
                        Some(s) => s == "true",
                        None => !raw.code.aborts || raw.code.rewinds,
                    };
                    effective.insert("semdoc.downstream.isolation.level".into(), downstream.clone());
                    effective.insert("semdoc.fenced".into(), fenced.to_string());
                    effective.insert("semdoc.rewind-on-abort".into(), rewind.to_string());
                    if c.params.commit == super::params::CommitStrategy::Transactional && !c.params.read_committed {
                        diags.push(Diag::warning(
                            "input-isolation",
                            consumer.get("isolation.level").map_or(0, |(_, l)| *l),
                            1,
                            "the input consumer of a transactional pipeline should use isolation.level=read_committed (KafkaProducer#sendOffsetsToTransaction javadoc); semdoc does not model transactional writers upstream of the input".to_string(),
                        ));
                    }
                    ModelParams::Pipeline(PipelineParams {
                        producer: p.params,
                        consumer: c.params,
                        fenced,
                        rewind_on_abort: rewind,
                        downstream_read_committed: downstream == "read_committed",
                    })
                }
                (Err(e), _) => {
                    rejected(&mut v, e, &producer, &mut diags);
                    v.diagnostics = diags;
                    return done(v);
                }
                (_, Err(e)) => {
                    rejected(&mut v, e, &consumer, &mut diags);
                    v.diagnostics = diags;
                    return done(v);
                }
            }
        }
    };
    // Provenance of each effective value (explain's "set by you / default / assumption").
    let given = |k: &str| {
        input.overrides.contains_key(k) || input.defaults.contains_key(k) || semdoc.contains_key(&format!("semdoc.{k}"))
    };
    v.provenance = effective
        .keys()
        .map(|k| {
            let (side, key) = match k.split_once('.') {
                Some(("producer", rest)) => (Some(&producer), rest),
                Some(("consumer", rest)) => (Some(&consumer), rest),
                _ => (None, k.as_str()),
            };
            let written = match side {
                Some(w) => w.contains_key(key),
                None => producer.contains_key(key) || consumer.contains_key(key) || topic.contains_key(key),
            };
            let how = if let Some(opt) = key.strip_prefix("semdoc.") {
                // The ELR default follows the version; the rest is semdoc's reading of the snippet.
                if given(opt) || (opt == "downstream.isolation.level" && given("downstream")) {
                    "user"
                } else if opt == "elr" {
                    "default"
                } else {
                    "assumption"
                }
            } else if written {
                "user"
            } else if facts::TOPIC_KEYS.contains(&key) {
                "assumption"
            } else {
                "default"
            };
            (k.clone(), how)
        })
        .collect();
    v.effective = effective;
    v.diagnostics = diags;
    Prepared { verdict: v, model: Some(model), faults, bounds: input.bounds }
}

/// The client a snippet is written for when nothing says otherwise: confluent-kafka's Python
/// `Producer`/`Consumer` and rust-rdkafka's `ClientConfig` are librdkafka underneath, so their
/// snippets get librdkafka's defaults and validation; everything else gets docs/model.md §3's default,
/// the Java client.
pub fn default_client(lang: Lang) -> Client {
    match lang {
        Lang::Python | Lang::Rust => Client::Librdkafka,
        _ => Client::Java,
    }
}

/// Spring Kafka's listener `ack-mode`: the container commits after the listener returns for every
/// mode except the manual ones, i.e. after processing.
fn spring_ack_mode(semdoc: &BTreeMap<String, (String, usize)>) -> Option<String> {
    let (m, _) = semdoc.get("semdoc.spring.ack-mode")?;
    match m.to_lowercase().replace('-', "_").as_str() {
        "record" | "batch" | "time" | "count" | "count_time" => Some("after-processing".into()),
        _ => None,
    }
}

/// Why no fault-free run delivers, from the effective configuration, and the line to blame
/// (0: not written in the snippet).
fn undeliverable_reason(v: &Verdict) -> (usize, String) {
    let get = |k: &str| {
        v.effective.get(k).or_else(|| v.effective.get(&format!("producer.{k}"))).map(String::as_str).unwrap_or("")
    };
    let num = |k: &str| get(k).parse::<u32>().ok();
    let acks_all = matches!(get("acks").to_ascii_lowercase().as_str(), "all" | "-1");
    if let (true, Some(min_isr), Some(rf)) = (acks_all, num("min.insync.replicas"), num("replication.factor"))
        && min_isr > rf
    {
        // Partition.appendRecordsToLeader (core/src/main/scala/kafka/cluster/Partition.scala @ 3.9.0)
        // rejects an acks=all append while the ISR is smaller than min.insync.replicas, and the ISR
        // can never hold more members than the partition has replicas.
        let line = v.diagnostics.iter().find(|d| d.code == "topic").map_or(0, |d| d.line);
        return (
            line,
            format!(
                "cannot deliver: every acks=all write fails with NotEnoughReplicasException, because min.insync.replicas={min_isr} is larger than replication.factor={rf} and the in-sync replicas can never reach it"
            ),
        );
    }
    (0, "cannot deliver: no fault-free run of the model delivers every message".into())
}

fn notes_to_diags(notes: &[(String, String)], w: &Written, diags: &mut Vec<Diag>) {
    for (key, text) in notes {
        let line = w.get(key).map_or(0, |(_, l)| *l);
        diags.push(Diag::info("client-note", line, 1, text.clone()));
    }
}

/// Key accounting ("nothing unread"). Every entry of a snippet is exactly one of:
/// 1. a Kafka client key semdoc knows (Java or librdkafka, any version; a Java key the snippet's
///    Kafka version lacks is warned about and left out, as that client ignores it);
/// 2. a Kafka Streams key (warned: not modelled) or a semdoc option (`semdoc.*`);
/// 3. a typed Spring Boot `spring.kafka.*` field that is no Kafka key semdoc models
///    (`spring.kafka.listener.concurrency`): understood, silently;
/// 4. a non-Kafka key of a Spring Boot application (`server.port`, `spring.application.name`,
///    `logging.*`, `management.*`; `facts::SPRING_BOOT_NON_KAFKA_PREFIXES`) or a key the snippet
///    says to ignore: `semdoc.ignore=key1,prefix.*` in the snippet, or the `ignore` option
///    (`Input.overrides`); all of them are listed once, in one info diagnostic;
/// 5. otherwise unknown: an `unknown-key` ERROR with a suggestion, which makes the verdict
///    `unusable`, because a guarantee computed without it would not be proven.
///
/// So text that is no configuration (`hello world`) is unusable, not the client's defaults.
/// Returns, per entry, whether it is a Kafka setting for the role split.
fn check_unknown_keys(
    input: &Input,
    raw: &RawConfig,
    semdoc: &BTreeMap<String, (String, usize)>,
    java: bool,
    diags: &mut Vec<Diag>,
) -> Vec<bool> {
    static KNOWN: std::sync::OnceLock<(Vec<&'static str>, std::collections::HashSet<&'static str>)> =
        std::sync::OnceLock::new();
    let (known_list, known) = KNOWN.get_or_init(|| {
        let v = facts::all_known_keys();
        let set = v.iter().copied().collect();
        (v, set)
    });
    let kafka = option(input, semdoc, "kafka").and_then(|(s, _)| Version::parse(s)).unwrap_or(facts::NEWEST);
    let ignore: Vec<String> = option(input, semdoc, "ignore")
        .map(|(s, _)| s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let ignored = |k: &str| {
        ignore.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => k.starts_with(prefix),
            None => k == p,
        })
    };
    let non_kafka = |k: &str| {
        !k.starts_with("spring.kafka.")
            && !facts::SPRING_CLOUD_STREAM_PREFIXES.iter().any(|p| k.starts_with(p))
            && facts::SPRING_BOOT_NON_KAFKA_PREFIXES
                .iter()
                .any(|p| if p.ends_with('.') { k.starts_with(p) } else { k == *p })
    };
    let mut skipped: Vec<String> = Vec::new();
    let mut first_skipped = (0, 0);
    let mut out = Vec::with_capacity(raw.entries.len());
    for e in &raw.entries {
        let key = e
            .key
            .strip_prefix("producer.")
            .or_else(|| e.key.strip_prefix("consumer."))
            .or_else(|| e.key.strip_prefix("topic."))
            .unwrap_or(&e.key);
        let unknown = |what: &str, hint: String| {
            Diag::error("unknown-key", e.line, e.col.max(1), format!("unknown {what} `{}`", e.key)).hint(hint)
        };
        if e.key.starts_with("semdoc.") {
            if !facts::SEMDOC_KEYS.contains(&e.key.as_str()) {
                let hint = match suggest(&e.key, facts::SEMDOC_KEYS) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("semdoc options: {}", facts::SEMDOC_KEYS.join(", ")),
                };
                diags.push(unknown("semdoc option", hint));
            }
            out.push(false);
            continue;
        }
        if ignored(&e.key) || ignored(key) || non_kafka(&e.key) {
            if skipped.is_empty() {
                first_skipped = (e.line, e.col.max(1));
            }
            skipped.push(if e.line > 0 { format!("{} (line {})", e.key, e.line) } else { e.key.clone() });
            out.push(false);
            continue;
        }
        if facts::STREAMS_KEYS.contains(&key) || e.key.starts_with("spring.kafka.streams.") {
            diags.push(
                Diag::warning(
                    "streams-key",
                    e.line,
                    e.col,
                    format!("`{key}` is a Kafka Streams setting; semdoc models producer, consumer and consume-transform-produce clients, not Streams, and ignores it"),
                )
                .hint("for processing.guarantee=exactly_once_v2, write what Streams sets: a transactional.id, isolation.level=read_committed, enable.auto.commit=false and `semdoc.commit=transactional` (StreamsConfig)"),
            );
            out.push(false);
            continue;
        }
        if e.key.starts_with("spring.kafka.") {
            if !parse::spring::understood(&e.key) {
                let names = parse::spring::names();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                let hint = parse::spring::properties_hint(&e.key)
                    .or_else(|| suggest(&e.key, &names).map(|s| format!("did you mean `{s}`?")))
                    .unwrap_or_else(|| "Spring Boot's KafkaProperties has no such field; raw Kafka keys go under `spring.kafka.producer.properties.*` (or `consumer.`, or common `spring.kafka.properties.*`)".into());
                diags.push(unknown("Spring Boot Kafka property", hint));
            }
            out.push(false);
            continue;
        }
        if facts::SPRING_CLOUD_STREAM_PREFIXES.iter().any(|p| e.key.starts_with(p)) {
            diags.push(unknown(
                "key",
                "Spring Cloud Stream's Kafka binder settings are not modelled; write the client settings as `spring.kafka.*` or Kafka keys, or list the key in `semdoc.ignore`".into(),
            ));
            out.push(false);
            continue;
        }
        if known.contains(key) || facts::ACCEPTED_PREFIXES.iter().any(|p| key.starts_with(p)) {
            if java
                && let Some((_, since, until)) = facts::JAVA_KEY_VERSIONS.iter().find(|(k, ..)| *k == key)
                && (kafka < *since || until.is_some_and(|u| kafka >= u))
            {
                let when = match until {
                    Some(u) if kafka >= *u => format!("removed in {u}"),
                    _ => format!("added in {since}"),
                };
                diags.push(
                    Diag::warning(
                        "key-version",
                        e.line,
                        e.col.max(1),
                        format!("`{key}` is not a config of the Java client in Kafka {kafka} ({when}); the client ignores it"),
                    )
                    .hint("remove it, or set `semdoc.kafka` to a version that has it"),
                );
                out.push(false);
                continue;
            }
            out.push(true);
            continue;
        }
        if !java {
            // librdkafka answers for its own names: a property it has (e.g. its global
            // `topic.metadata.refresh.interval.ms`) is read by its validation and plays no part
            // in the model; any other name it rejects as `No such configuration property`,
            // which the client check after this turns into `invalid-config` (rd_kafka_conf_set,
            // src/rdkafka_conf.c).
            out.push(false);
            continue;
        }
        let hint = match suggest(key, known_list) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "semdoc does not know this key; check its spelling against the client's documentation, or list it in `semdoc.ignore=<key>` (or the fence attribute `ignore=<key>`) if it is not a Kafka setting".to_string(),
        };
        diags.push(unknown("Kafka key", hint));
        out.push(false);
    }
    if !skipped.is_empty() {
        diags.push(Diag::info(
            "ignored-keys",
            first_skipped.0,
            first_skipped.1,
            format!(
                "ignored {} non-Kafka key{}: {}",
                skipped.len(),
                if skipped.len() == 1 { "" } else { "s" },
                skipped.join(", ")
            ),
        ));
    }
    out
}

/// The closest known key: same words in another form (`enable.idempotency`), or a small edit.
fn suggest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace(['-', '_'], ".");
    let k = norm(key);
    known
        .iter()
        .map(|c| (edit_distance(&k, &norm(c)), *c))
        .filter(|(d, c)| *d <= (c.len().max(k.len()) / 4).max(2) || c.starts_with(&k) && k.len() >= 3)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Exit codes: 0 for a verdict, 1 for `invalid-config` or `cannot-deliver`, 2 for unusable input.
pub fn exit_code(v: &Verdict) -> u8 {
    if v.is_unusable() {
        2
    } else if v.is_invalid() || v.cannot_deliver() {
        1
    } else {
        0
    }
}

/// The property's name as the site and the spec write it.
pub fn property_name(p: super::params::Property) -> &'static str {
    match p {
        super::params::Property::NoLoss => "no-loss",
        super::params::Property::NoDuplicate => "no-duplicate",
        super::params::Property::NoReorder => "no-reorder",
    }
}

/// A report for people: verdict, environment, properties, effective config, counterexamples.
pub fn explain_human(v: &Verdict) -> String {
    let mut s = String::new();
    s.push_str(&format!("verdict: {}\n", v.verdict));
    s.push_str(&format!("role: {} · Kafka {} · client {} · fault model {}\n", v.role, v.kafka, v.client, v.faults));
    if let Some(e) = &v.client_error {
        s.push_str(&format!("the client rejects this configuration: {e}\n"));
    }
    if !v.is_invalid() && !v.is_unusable() {
        let yn = |b: bool| if b { "yes" } else { "no" };
        s.push_str(&format!(
            "no-loss: {} · no-duplicate: {} · order kept: {}{}\n",
            yn(v.no_loss),
            yn(v.no_duplicate),
            yn(v.no_reorder),
            if v.unavailable { " · can become unavailable" } else { "" }
        ));
        if v.unavailable {
            // The produce model's `unavailable` (check/produce.rs): no leader and no replica the
            // controller may elect, so writes and reads wait; nothing is lost or duplicated by it.
            s.push_str(
                "can become unavailable: within the fault bounds the partition can be left with no leader and no replica that may be elected, so writes and reads wait until a broker returns (the no-loss and no-duplicate answers above already count what the clients do meanwhile, such as a delivery timeout)\n",
            );
        }
        s.push_str(&format!(
            "within bounds: ≤{} faults, {} messages, {} states explored\n",
            v.bounds.faults, v.bounds.messages, v.bounds.states
        ));
        if v.kafka_assumed {
            s.push_str(&format!("Kafka version not given: assumed {}\n", v.kafka));
        }
        if v.effective.get("semdoc.membership").map(String::as_str) == Some(Membership::Unknown.as_str()) {
            s.push_str(
                "partition assignment not shown (subscribe() or assign()): both were modelled, the verdict is the weaker\n",
            );
        }
        s.push_str("effective configuration:\n");
        let client = if v.client == "java" { "Java client" } else { "librdkafka" };
        for (k, val) in &v.effective {
            let why = match v.provenance.get(k).copied() {
                Some("user") => " (set)".to_string(),
                // A broker setting: new clusters enable ELR by default from 4.1 (KIP-966).
                Some("default") if k == "semdoc.elr" => format!(" (broker default for Kafka {}, KIP-966)", v.kafka),
                Some("default") if v.client == "java" => format!(" (default for Kafka {}, {client})", v.kafka),
                Some("default") => format!(" ({client} default)"),
                Some("assumption") => " (model assumption)".to_string(),
                _ => String::new(),
            };
            s.push_str(&format!("  {k}={val}{why}\n"));
        }
        for c in &v.counterexamples {
            s.push_str(&format!(
                "\ncounterexample to {} ({} fault{}):\n",
                property_name(c.property),
                c.faults,
                if c.faults == 1 { "" } else { "s" }
            ));
            for (i, st) in c.steps.iter().enumerate() {
                let arrow = st.target.as_ref().map(|t| format!(" → {t}")).unwrap_or_default();
                let mark = if st.fault { "  ⚡ FAULT" } else { "" };
                s.push_str(&format!("  {:>2}. {}{}: {}{}\n", i + 1, st.actor, arrow, st.action, mark));
            }
            s.push_str(&format!("  → {}\n", c.violation));
        }
        match &v.fix {
            Some(f) => s.push_str(&format!("\nproven fix: {}\n", f.describe())),
            None if v.fix_searched => {
                s.push_str("\nno change of one or two settings makes this exactly-once in the model\n")
            }
            None => {}
        }
    }
    for d in &v.diagnostics {
        s.push_str(&format!("{}\n", d));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(text: &str, lang: Lang, opts: &[(&str, &str)]) -> Verdict {
        let mut i = Input::new(text, lang);
        for (k, v) in opts {
            i.overrides.insert(k.to_string(), v.to_string());
        }
        Classifier::new().classify(&i)
    }

    #[test]
    fn seed_article_producer_claims_on_2_8() {
        let p = |cfg: &str| classify(cfg, Lang::Properties, &[("kafka", "2.8"), ("role", "producer")]).verdict;
        assert_eq!(p("acks=0\nretries=0"), "at-most-once");
        assert_eq!(p("acks=all\nretries=0"), "at-most-once");
        assert_eq!(p("acks=all"), "at-least-once");
        assert_eq!(p("acks=all\nenable.idempotence=true\ntransactional.id=tx-1"), "exactly-once");
        assert_eq!(p(""), "no-guarantee");
    }

    #[test]
    fn librdkafka_names_mean_nothing_to_the_java_client() {
        // Java ignores unknown configs; 3.9's default acks=all and idempotence then apply.
        let v = classify("request.required.acks=0", Lang::Properties, &[("kafka", "3.9")]);
        assert_eq!(v.verdict, "exactly-once");
        assert_eq!(v.effective["acks"], "all");
        assert!(v.diagnostics.iter().any(|d| d.code == "librdkafka-key" && d.line == 1), "{:?}", v.diagnostics);
        let v = classify("request.required.acks=0", Lang::Properties, &[("kafka", "3.9"), ("client", "librdkafka")]);
        assert_eq!(v.verdict, "at-most-once");
        assert!(v.diagnostics.iter().all(|d| d.code != "librdkafka-key"));
    }

    #[test]
    fn python_and_rust_snippets_are_librdkafka_clients() {
        let py = "p = Producer({'bootstrap.servers': 'localhost:9092'})";
        let v = classify(py, Lang::Python, &[("kafka", "3.9")]);
        assert_eq!(v.client, "librdkafka");
        // librdkafka: acks=all and infinite retries by default, idempotence off.
        assert_eq!(v.verdict, "at-least-once");
        let rs = "ClientConfig::new().set(\"bootstrap.servers\", \"x\").set(\"enable.idempotence\", \"true\")";
        assert_eq!(classify(rs, Lang::Rust, &[("kafka", "3.9")]).client, "librdkafka");
        // An explicit client wins; Java code stays Java.
        assert_eq!(classify(py, Lang::Python, &[("client", "java")]).client, "java");
        assert_eq!(classify("props.put(\"acks\", \"all\");", Lang::Java, &[]).client, "java");
    }

    #[test]
    fn transactional_calls_imply_a_transactional_id() {
        // The shape of Kafka's examples/…/ExactlyOnceMessageProcessor.java (AK 3.5): the producer is
        // built by a helper, so the snippet never shows transactional.id, but initTransactions()
        // would throw without one.
        let eos = |after_abort: &str| {
            format!(
                "props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, \"read_committed\");\n\
                 props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);\n\
                 producer.initTransactions();\n\
                 while (true) {{\n\
                   try {{\n\
                     ConsumerRecords<Integer, String> records = consumer.poll(ofMillis(200));\n\
                     producer.beginTransaction();\n\
                     for (ConsumerRecord<Integer, String> record : records) {{ producer.send(out(record)); }}\n\
                     producer.sendOffsetsToTransaction(offsets(consumer), consumer.groupMetadata());\n\
                     producer.commitTransaction();\n\
                   }} catch (KafkaException e) {{\n\
                     producer.abortTransaction();\n\
                     {after_abort}\n\
                   }}\n\
                 }}\n"
            )
        };
        let opts = [("kafka", "3.5"), ("downstream", "read_committed")];
        let v = classify(&eos(""), Lang::Java, &opts);
        assert_eq!(v.role, "pipeline");
        assert!(v.diagnostics.iter().any(|d| d.code == "implied-setting" && d.line == 3), "{:?}", v.diagnostics);
        assert!(!v.no_loss, "an abort without rewinding skips the aborted records (MODEL row 13c)");
        let v = classify(&eos("resetToLastCommittedPositions(consumer);"), Lang::Java, &opts);
        assert_eq!(v.verdict, "exactly-once", "{:?}", v.counterexamples);
    }

    #[test]
    fn kafka_streams_settings_are_named_as_such() {
        let v = classify("processing.guarantee=exactly_once_v2", Lang::Properties, &[("kafka", "3.9")]);
        assert!(v.diagnostics.iter().any(|d| d.code == "streams-key"), "{:?}", v.diagnostics);
        assert!(v.diagnostics.iter().all(|d| d.code != "unknown-key"));
    }

    #[test]
    fn membership_from_the_code_an_option_or_both() {
        let loop_ = "props.put(\"enable.auto.commit\", \"false\");\nwhile (true) {\n  ConsumerRecords<String, String> rs = consumer.poll(d);\n  consumer.commitSync();\n  for (ConsumerRecord r : rs) { process(r); }\n}\n";
        let java = |head: &str| classify(&format!("{head}\n{loop_}"), Lang::Java, &[("kafka", "3.9")]);
        let v = java("consumer.subscribe(List.of(\"t\"));");
        assert_eq!((v.role.as_str(), v.verdict.as_str()), ("consumer", "at-most-once"), "{:#?}", v.counterexamples);
        assert_eq!(v.effective["semdoc.membership"], "subscribe");
        let v = java("consumer.assign(List.of(tp));");
        assert_eq!(v.verdict, "no-guarantee", "the old owner's late commit is accepted (docs/model.md §8 row 14b)");
        assert_eq!(v.effective["semdoc.membership"], "assign");
        let v = java("");
        assert_eq!(v.verdict, "no-guarantee", "not shown: both modelled, the weaker verdict");
        assert_eq!(v.effective["semdoc.membership"], "unknown");
        assert_eq!(v.provenance["semdoc.membership"], "assumption");
        assert!(explain_human(&v).contains("both were modelled"), "{}", explain_human(&v));
        assert!(!explain_human(&java("consumer.subscribe(t);")).contains("both were modelled"));
        let v = java("// semdoc.membership is an option too\nprops.put(\"semdoc.membership\", \"subscribe\");");
        assert_eq!((v.verdict.as_str(), v.provenance["semdoc.membership"]), ("at-most-once", "user"));
        let v = classify(
            "enable.auto.commit=false\nsemdoc.membership=both\n",
            Lang::Properties,
            &[("commit", "after-processing")],
        );
        let d = v.diagnostics.iter().find(|d| d.code == "semdoc-option").expect("a bad value is reported");
        assert_eq!(d.line, 2, "{d:?}");
        assert_eq!(v.verdict, "unusable");
    }

    #[test]
    fn seed_article_consumer_claims() {
        let c = |cfg: &str, commit: &str| {
            classify(cfg, Lang::Properties, &[("kafka", "2.8"), ("role", "consumer"), ("commit", commit)]).verdict
        };
        // Config only: subscribe() or assign() is not shown, so both are modelled (docs/model.md §6.2),
        // and under assign() the old owner's late commit lets it process a record again.
        assert_eq!(c("enable.auto.commit=false", "before-processing"), "no-guarantee");
        assert_eq!(c("enable.auto.commit=false\nsemdoc.membership=subscribe", "before-processing"), "at-most-once");
        assert_eq!(c("enable.auto.commit=false\nsemdoc.membership=assign", "before-processing"), "no-guarantee");
        assert_eq!(c("enable.auto.commit=false", "after-processing"), "at-least-once");
        assert_eq!(c("enable.auto.commit=false\nisolation.level=read_committed", "after-processing"), "at-least-once");
        let eos = "producer.transactional.id=app-1\nconsumer.enable.auto.commit=false\nconsumer.isolation.level=read_committed\nsemdoc.commit=transactional\nsemdoc.downstream.isolation.level=read_committed\n";
        let v = classify(eos, Lang::Properties, &[("kafka", "2.8")]);
        assert_eq!((v.role.as_str(), v.verdict.as_str()), ("pipeline", "exactly-once"), "{:#?}", v.diagnostics);
    }

    #[test]
    fn version_defaults_change_the_verdict() {
        let p = |k: &str| classify("", Lang::Properties, &[("kafka", k), ("role", "producer")]).verdict;
        assert_eq!(p("3.0.0"), "at-least-once", "KAFKA-13598");
        assert_eq!(p("3.0.1"), "exactly-once");
        assert_eq!(p("2.0"), "at-most-once", "2.0: acks=1, retries=0");
    }

    #[test]
    fn invalid_config_carries_the_client_message_and_line() {
        let v = classify("bootstrap.servers=x\ntransactional.id=t\nacks=1\n", Lang::Properties, &[("kafka", "3.9")]);
        assert_eq!(v.verdict, "invalid-config");
        assert_eq!(v.client_error.as_deref(), Some(facts::msg::TXN));
        assert_eq!(exit_code(&v), 1);
        let v = classify("acks=2\n", Lang::Properties, &[("kafka", "3.9")]);
        assert_eq!(v.diagnostics[0].line, 1);
    }

    #[test]
    fn unknown_keys_warn_with_suggestions() {
        let v = classify("ack=all\nenable.idempotency=true\n", Lang::Properties, &[]);
        let hints: Vec<_> = v
            .diagnostics
            .iter()
            .filter(|d| d.code == "unknown-key")
            .map(|d| d.hint.clone().unwrap_or_default())
            .collect();
        assert_eq!(hints, ["did you mean `acks`?", "did you mean `enable.idempotence`?"]);
    }

    #[test]
    fn role_inference_and_librdkafka_auto_commit() {
        let v = classify("group.id=g\n", Lang::Properties, &[("client", "librdkafka")]);
        assert_eq!((v.role.as_str(), v.verdict.as_str()), ("consumer", "no-guarantee"));
        let v = classify("group.id=g\n", Lang::Properties, &[("client", "java")]);
        assert_eq!(v.verdict, "at-least-once", "Java auto-commit commits the previous poll");
        let v = classify("group.id=g\nenable.auto.commit=false\n", Lang::Properties, &[]);
        assert!(v.is_unusable(), "auto-commit off with no commit pattern");
        assert_eq!(exit_code(&v), 2);
    }

    #[test]
    fn the_memo_checks_each_model_once() {
        let cl = Classifier::new();
        for _ in 0..3 {
            cl.classify(&Input::new("acks=all\n", Lang::Properties));
        }
        cl.classify(&Input::new("acks=all\nlinger.ms=10\n", Lang::Properties));
        assert_eq!(cl.distinct(), 1, "linger.ms does not change the model");
    }

    #[test]
    fn json_has_the_explain_contract_fields() {
        let v = classify("acks=1\n", Lang::Properties, &[("kafka", "2.8")]);
        let j = serde_json::to_value(&v).unwrap();
        for k in [
            "verdict",
            "role",
            "kafka",
            "client",
            "faults",
            "no_loss",
            "no_duplicate",
            "effective",
            "counterexamples",
            "bounds",
            "diagnostics",
        ] {
            assert!(j.get(k).is_some(), "{k}");
        }
        assert!(j["bounds"]["states"].as_u64().unwrap() > 0);
        assert_eq!(j["counterexamples"][0]["property"], "no_loss");
        assert!(j["counterexamples"][0]["steps"][0]["actor"].is_string());
        assert_eq!(j["effective"]["acks"], "1");
    }

    #[test]
    fn librdkafka_answers_as_librdkafka() {
        let r = |cfg: &str, role: &str| {
            classify(cfg, Lang::Properties, &[("client", "librdkafka"), ("kafka", "3.9"), ("role", role)])
        };
        let v = r("x=1\n", "producer");
        assert_eq!(v.client_error.as_deref(), Some("No such configuration property: \"x\""));
        assert_eq!(exit_code(&v), 1);
        assert_eq!(r("acks=ALL\n", "producer").effective["acks"], "all");
        let v = r("group.id=g\nisolation.level=READ_COMMITTED\n", "consumer");
        assert_eq!(v.effective["isolation.level"], "read_committed", "{:?}", v.diagnostics);
        let v = r("queue.buffering.max.kbytes=0\n", "producer");
        assert_eq!(
            v.client_error.as_deref(),
            Some(
                "Configuration property \"queue.buffering.max.kbytes\" value 0 is outside allowed range 1..2147483647"
            )
        );
        let v = r("group.id=g\nauto.commit.interval.ms=-5\n", "consumer");
        assert!(v.is_invalid());
        let v = r("linger.ms=1000\nmessage.timeout.ms=1000\n", "producer");
        assert_eq!(v.client_error.as_deref(), Some("`message.timeout.ms` must be greater than `linger.ms`"));
        let v = r("enable.idempotence=true\nacks=1\n", "producer");
        assert_eq!(v.client_error.as_deref(), Some("`acks` must be set to `all` when `enable.idempotence` is true"));
        assert_eq!(v.diagnostics.iter().find(|d| d.code == "invalid-config").map(|d| d.line), Some(2));
        // A producer property on a consumer is still parsed by rd_kafka_conf_set.
        assert!(r("group.id=g\nlinger.ms=-1\n", "consumer").is_invalid());
    }

    #[test]
    fn topics_the_broker_rejects_are_invalid() {
        let t = |cfg: &str, kafka: &str| classify(cfg, Lang::Properties, &[("kafka", kafka), ("role", "producer")]);
        let v = t("replication.factor=4\n", "3.9");
        assert_eq!(v.client_error.as_deref(), Some("Replication factor: 4 larger than available brokers: 3."));
        assert_eq!(exit_code(&v), 1);
        let v = t("replication.factor=4\n", "4.0");
        assert_eq!(
            v.client_error.as_deref(),
            Some(
                "Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered."
            )
        );
        assert!(!t("replication.factor=4\nsemdoc.brokers=5\n", "3.9").is_invalid());
        assert!(t("replication.factor=0\n", "3.9").is_invalid());
        assert!(t("replication.factor=-2\n", "4.0").is_invalid());
        assert!(!t("replication.factor=-1\n", "4.0").is_invalid(), "KIP-464: the broker default");
        let v = t("min.insync.replicas=0\n", "3.9");
        assert_eq!(
            v.client_error.as_deref(),
            Some("Invalid value 0 for configuration min.insync.replicas: Value must be at least 1")
        );
        assert_eq!(v.diagnostics.iter().find(|d| d.code == "invalid-config").map(|d| d.line), Some(1));
        // Valid for the broker: only a warning here.
        let v = t("replication.factor=2\nmin.insync.replicas=3\n", "3.9");
        assert!(!v.is_invalid());
        assert!(v.diagnostics.iter().any(|d| d.code == "topic"));
    }

    #[test]
    fn explain_says_where_each_value_comes_from() {
        let v = classify("acks=1\n", Lang::Properties, &[("role", "producer")]);
        assert!(v.kafka_assumed);
        assert_eq!(v.provenance["acks"], "user");
        assert_eq!(v.provenance["retries"], "default");
        assert_eq!(v.provenance["replication.factor"], "assumption");
        let h = explain_human(&v);
        assert!(h.contains("Kafka version not given: assumed 4.1.0"), "{h}");
        assert!(h.contains("  acks=1 (set)"), "{h}");
        assert!(h.contains("replication.factor=3 (model assumption)"), "{h}");
        let v = classify("replication.factor=3\n", Lang::Properties, &[("kafka", "3.9"), ("role", "producer")]);
        assert!(!v.kafka_assumed);
        assert_eq!(v.provenance["replication.factor"], "user");
        let h = explain_human(&v);
        assert!(h.contains("  acks=all (default for Kafka 3.9, Java client)"), "{h}");
        assert!(h.contains("  semdoc.elr=false (broker default for Kafka 3.9, KIP-966)"), "{h}");
        assert!(!h.contains("not given"), "{h}");
        let j = serde_json::to_value(&v).unwrap();
        assert_eq!(j["provenance"]["acks"], "default");
        assert_eq!(j["kafka_assumed"], false);
        assert_eq!(j["effective"]["acks"], "all", "effective stays a map of strings");
    }

    #[test]
    fn spring_boot_properties_are_read_not_ignored() {
        let v = classify(
            "spring.kafka.producer.acks=0\nspring.kafka.producer.retries=0\n",
            Lang::Properties,
            &[("kafka", "3.9")],
        );
        assert_eq!(v.verdict, "at-most-once", "{:?}", v.diagnostics);
        assert_eq!(v.effective["acks"], "0");
        // The same mapping for YAML, flow style included.
        let y = classify("spring: {kafka: {producer: {acks: \"0\", retries: 0}}}\n", Lang::Yaml, &[("kafka", "3.9")]);
        assert_eq!(y.verdict, "at-most-once", "{:?}", y.diagnostics);
        // A typed field irrelevant to delivery is understood; an unknown one is an error with a hint.
        let v = classify(
            "spring.kafka.producer.key-serializer=x.S\nspring.kafka.listener.concurrency=3\nacks=all\n",
            Lang::Properties,
            &[],
        );
        assert!(!v.is_unusable() && v.diagnostics.iter().all(|d| d.severity != Severity::Error), "{:?}", v.diagnostics);
        let v = classify("spring.kafka.producer.retrys=0\n", Lang::Properties, &[]);
        assert!(v.is_unusable());
        let d = v.diagnostics.iter().find(|d| d.code == "unknown-key").expect("reported");
        assert_eq!((d.severity, d.line), (Severity::Error, 1));
        assert_eq!(d.hint.as_deref(), Some("did you mean `spring.kafka.producer.retries`?"));
    }

    #[test]
    fn text_that_is_no_configuration_is_unusable() {
        let v = classify("hello world\n", Lang::Properties, &[]);
        assert!(v.is_unusable(), "{}", v.verdict);
        assert_eq!(exit_code(&v), 2);
        assert!(
            v.diagnostics.iter().any(|d| d.code == "unknown-key" && d.line == 1 && d.col == 1),
            "{:?}",
            v.diagnostics
        );
        let v = classify("hello world\n", Lang::Yaml, &[]);
        assert!(v.is_unusable() && v.diagnostics[0].code == "parse", "{:?}", v.diagnostics);
        // An unknown key the snippet says to ignore is listed, not fatal.
        let v = classify("acks=all\nmy.app.flag=1\nsemdoc.ignore=my.app.*\n", Lang::Properties, &[]);
        assert!(!v.is_unusable(), "{:?}", v.diagnostics);
        assert!(v.diagnostics.iter().any(|d| d.code == "ignored-keys" && d.message.contains("my.app.flag (line 2)")));
    }

    #[test]
    fn spring_application_yaml_lists_non_kafka_keys_once() {
        let y = "server:\n  port: 8080\nspring:\n  application:\n    name: orders\n  kafka:\n    consumer:\n      group-id: g\n      enable-auto-commit: false\n    listener:\n      ack-mode: record\nlogging.level.root: info\n";
        let v = classify(y, Lang::Yaml, &[("kafka", "3.9")]);
        assert_eq!((v.role.as_str(), v.verdict.as_str()), ("consumer", "at-least-once"), "{:?}", v.diagnostics);
        let infos: Vec<_> = v.diagnostics.iter().filter(|d| d.code == "ignored-keys").collect();
        assert_eq!(infos.len(), 1, "{:?}", v.diagnostics);
        assert_eq!(
            infos[0].message,
            "ignored 3 non-Kafka keys: server.port (line 2), spring.application.name (line 5), logging.level.root (line 12)"
        );
        assert!(v.diagnostics.iter().all(|d| d.code != "unknown-key"), "{:?}", v.diagnostics);
    }

    #[test]
    fn real_client_keys_are_known_and_version_checked() {
        let cfg = "acks=all\nssl.truststore.location=/t\nsasl.jaas.config=x\nsecurity.protocol=SASL_SSL\npartitioner.class=p\ninterceptor.classes=i\n";
        let v = classify(cfg, Lang::Properties, &[("kafka", "3.9")]);
        assert!(v.diagnostics.iter().all(|d| d.severity != Severity::Error), "{:?}", v.diagnostics);
        let v = classify("acks=all\nenable.metrics.push=false\n", Lang::Properties, &[("kafka", "2.8")]);
        assert!(
            v.diagnostics.iter().any(|d| d.code == "key-version" && d.message.contains("added in 3.7.0")),
            "{:?}",
            v.diagnostics
        );
        let v = classify("acks=all\nssl.truststore.locaton=/t\n", Lang::Properties, &[]);
        assert!(v.is_unusable(), "a misspelt ssl key is no longer accepted by prefix");
    }
}
