//! The offline playground (`/playground/`): the classifier's answers, precomputed at build time for
//! the finite space of settings that decide a verdict, written as JSON shards (one per Kafka version
//! and client, loaded lazily) and counterexample fragments that `static/js/playground.js` looks up.
//!
//! Why precomputed and not WebAssembly: the only wasm32 standard library this machine's registries
//! offer is Debian's `libstd-rust-dev-wasm32` for rustc 1.63, far older than the toolchain semdoc
//! builds with, and rustup cannot fetch targets here; a build that needs a second toolchain would
//! not be reproducible from the README. The space is finite because the checker only sees
//! `ModelParams`: every setting is reduced to the buckets the resolver distinguishes (for example
//! `retries` is "0" or "at least 1"). The browser only maps text to a bucket tuple and looks the
//! answer up; every verdict, effective config, client message and diagram comes from the same
//! `prepare` + `check` the build uses for the article.
//!
//! The space, by role (a key not written is its own bucket, "unset"):
//! - producer: acks, retries, enable.idempotence, max.in.flight.requests.per.connection,
//!   transactional.id × topic replication.factor, min.insync.replicas, unclean.leader.election.enable;
//! - consumer: enable.auto.commit, isolation.level, auto.offset.reset, enable.auto.offset.store ×
//!   the commit pattern × the membership (`subscribe()`, `assign()` or not shown, docs/model.md §6.2:
//!   a snippet's code can show it, a bare configuration cannot, and it decides whether a stale
//!   member's commit is rejected);
//! - pipeline: acks, enable.idempotence, transactional.id, isolation.level, enable.auto.commit ×
//!   the commit pattern × the downstream isolation level (topic at its defaults);
//!
//! each for the versions in `VERSIONS`, both clients and both fault models. A setting that can
//! change the verdict but lies outside its role's space makes the page say so instead of guessing.

use crate::html::esc;
use crate::render::diagram::{self, DiagramOptions};
use crate::semantics::classify::prepare;
use crate::semantics::facts;
use crate::semantics::params::{FaultModel, ModelParams, ProducerParams, Property};
use crate::semantics::{Classifier, Input, Lang, Severity};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

pub use crate::semantics::axes::{CLIENTS, FAULTS, VERSIONS};

/// How the browser maps a written value to one of an axis' representatives.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    /// The value must equal a representative.
    Exact,
    /// An integer, bucketed by `ranges`.
    Int,
    /// Any non-empty value stands for the representative.
    Any,
}

/// One setting the playground varies. `values[0]` is "not written".
#[derive(Debug, Clone, Serialize)]
struct Axis {
    key: &'static str,
    kind: Kind,
    /// Representatives; `None` = not written.
    values: Vec<Option<&'static str>>,
    /// For `Int`: (min, max, representative) inclusive ranges.
    ranges: Vec<(i64, i64, &'static str)>,
}

fn exact(key: &'static str, vals: &[&'static str]) -> Axis {
    let mut values = vec![None];
    values.extend(vals.iter().map(|v| Some(*v)));
    Axis { key, kind: Kind::Exact, values, ranges: vec![] }
}

fn int(key: &'static str, ranges: &[(i64, i64, &'static str)]) -> Axis {
    let mut values = vec![None];
    values.extend(ranges.iter().map(|r| Some(r.2)));
    Axis { key, kind: Kind::Int, values, ranges: ranges.to_vec() }
}

const INT_MAX: i64 = i32::MAX as i64;
const BOOL: &[&str] = &["true", "false"];

fn acks() -> Axis {
    exact("acks", &["0", "1", "all", "-1"])
}
fn idempotence() -> Axis {
    exact("enable.idempotence", BOOL)
}
fn txn_id() -> Axis {
    Axis { key: "transactional.id", kind: Kind::Any, values: vec![None, Some("tx-1")], ranges: vec![] }
}
fn isolation() -> Axis {
    exact("isolation.level", &["read_committed", "read_uncommitted"])
}
fn auto_commit() -> Axis {
    exact("enable.auto.commit", BOOL)
}

fn producer_axes() -> Vec<Axis> {
    vec![
        acks(),
        // `retries > 0` is all the model distinguishes (params.rs); INT_MAX is the default's spelling.
        int("retries", &[(0, 0, "0"), (1, INT_MAX, facts::INT_MAX)]),
        idempotence(),
        // In-flight: 1 (ordered), 2..=5 (the model caps at 2), more than 5 (the idempotence limit).
        int("max.in.flight.requests.per.connection", &[(1, 1, "1"), (2, 5, "5"), (6, INT_MAX, "6")]),
        txn_id(),
    ]
}

fn topic_axes() -> Vec<Axis> {
    vec![
        // The model has three brokers: a larger replication factor checks as 3 (classify.rs).
        int("replication.factor", &[(1, 1, "1"), (2, 2, "2"), (3, 255, "3")]),
        int("min.insync.replicas", &[(1, 1, "1"), (2, 2, "2"), (3, 3, "3")]),
        exact("unclean.leader.election.enable", BOOL),
    ]
}

fn consumer_axes() -> Vec<Axis> {
    vec![
        auto_commit(),
        isolation(),
        exact("auto.offset.reset", &["earliest", "latest"]),
        exact("enable.auto.offset.store", BOOL),
    ]
}

fn pipeline_axes() -> Vec<Axis> {
    vec![acks(), idempotence(), txn_id(), isolation(), auto_commit()]
}

/// `semdoc.commit` choices; "" = what the configuration implies (auto-commit when it is on).
const COMMITS: &[&str] = &["", "before-processing", "after-processing", "never", "transactional"];
const DOWNSTREAM: &[&str] = &["read_uncommitted", "read_committed"];
/// `semdoc.membership` choices for the consumer role; "" = not shown, both modelled (the weaker
/// verdict), which is what the classifier assumes for a configuration without code. The pipeline
/// model does not read the membership (its fencing is the transactional one), so it has no axis.
const MEMBERSHIPS: &[&str] = &["", "subscribe", "assign"];

/// Keys the resolver reads (resolve.rs, classify.rs): written outside the role's axes they could
/// change the verdict, so the page declines to answer rather than ignore them.
const DECISIVE: &[&str] = &[
    "acks",
    "retries",
    "enable.idempotence",
    "max.in.flight.requests.per.connection",
    "transactional.id",
    "linger.ms",
    "request.timeout.ms",
    "delivery.timeout.ms",
    "transaction.timeout.ms",
    "enable.gapless.guarantee",
    "queuing.strategy",
    "queue.buffering.backpressure.threshold",
    "enable.auto.commit",
    "isolation.level",
    "auto.offset.reset",
    "enable.auto.offset.store",
    "replication.factor",
    "min.insync.replicas",
    "unclean.leader.election.enable",
];

/// Keys the resolver reads only when written empty (KIP-289: an empty `group.id`).
const DECISIVE_WHEN_EMPTY: &[&str] = &["group.id"];

/// A generated output file (path under the site root, bytes).
pub use crate::render::OutFile;

/// One prepared configuration, as the page shows it.
#[derive(Serialize, PartialEq, Eq, Hash, Clone)]
struct Record {
    /// Set when no check runs: `invalid-config` or `unusable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    v: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    err: Option<String>,
    eff: BTreeMap<String, String>,
    /// [severity, code, message, hint, key the diagnostic is about].
    d: Vec<[String; 5]>,
    /// The model key (with the fault model appended, the outcome's key).
    #[serde(skip_serializing_if = "Option::is_none")]
    m: Option<String>,
}

/// Interned model parameters, in first-seen order.
#[derive(Default)]
struct Models {
    producers: Vec<ProducerParams>,
    /// (replication factor, min ISR, unclean, ELR).
    topics: Vec<(u8, u8, bool, bool)>,
    others: Vec<ModelParams>,
    other_ids: HashMap<ModelParams, usize>,
}

impl Models {
    fn other(&mut self, m: ModelParams) -> usize {
        let next = self.others.len();
        let id = *self.other_ids.entry(m.clone()).or_insert(next);
        if id == next {
            self.others.push(m);
        }
        id
    }
}

fn intern<T: PartialEq + Clone>(list: &mut Vec<T>, item: &T) -> usize {
    match list.iter().position(|x| x == item) {
        Some(i) => i,
        None => {
            list.push(item.clone());
            list.len() - 1
        }
    }
}

fn text_of(axes: &[Axis], tuple: &[usize]) -> (String, Vec<&'static str>) {
    let mut text = String::new();
    let mut keys = Vec::new();
    for (a, &i) in axes.iter().zip(tuple) {
        if let Some(v) = a.values[i] {
            text.push_str(&format!("{}={v}\n", a.key));
            keys.push(a.key);
        }
    }
    (text, keys)
}

fn tuples(axes: &[Axis]) -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for a in axes {
        out = out.into_iter().flat_map(|t| (0..a.values.len()).map(move |i| [t.clone(), vec![i]].concat())).collect();
    }
    out
}

fn tuple_key(t: &[usize]) -> String {
    t.iter().map(|i| char::from_digit(*i as u32, 36).unwrap_or('?')).collect()
}

fn record(input: &Input, keys: &[&str]) -> (Record, Option<ModelParams>) {
    let p = prepare(input);
    let v = &p.verdict;
    let d = v
        .diagnostics
        .iter()
        .map(|d| {
            let sev = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            let key = if d.line >= 1 { keys.get(d.line - 1).copied().unwrap_or("") } else { "" };
            [
                sev.to_string(),
                d.code.to_string(),
                d.message.clone(),
                d.hint.clone().unwrap_or_default(),
                key.to_string(),
            ]
        })
        .collect();
    let r = Record {
        v: p.model.is_none().then(|| v.verdict.clone()),
        err: v.client_error.clone(),
        eff: v.effective.clone(),
        d,
        m: None,
    };
    (r, p.model)
}

fn input<'a>(text: &'a str, role: &str, version: &str, client: &str, extra: &[(&str, &str)]) -> Input<'a> {
    let mut i = Input::new(text, Lang::Properties);
    i.overrides.insert("role".into(), role.into());
    i.overrides.insert("kafka".into(), version.into());
    i.overrides.insert("client".into(), client.into());
    for (k, v) in extra {
        if !v.is_empty() {
            i.overrides.insert((*k).into(), (*v).into());
        }
    }
    i
}

const TOPIC_EFFECTIVE: &[&str] =
    &["replication.factor", "min.insync.replicas", "unclean.leader.election.enable", "semdoc.elr"];

/// One shard: every tuple of every role for one version and client.
fn shard(version: &str, client: &str, models: &mut Models) -> Value {
    let mut res: Vec<Record> = Vec::new();
    let mut ids: HashMap<Record, usize> = HashMap::new();
    let mut add = |r: Record| {
        *ids.entry(r.clone()).or_insert_with(|| {
            res.push(r);
            res.len() - 1
        })
    };
    let mut producer = BTreeMap::new();
    let axes = producer_axes();
    for t in tuples(&axes) {
        let (text, keys) = text_of(&axes, &t);
        let (mut r, model) = record(&input(&text, "producer", version, client, &[]), &keys);
        if let Some(ModelParams::Producer(mut p)) = model {
            // The topic part comes from the topic shard entry; keep the producer part only.
            (p.replication_factor, p.min_insync_replicas, p.unclean_leader_election, p.elr) = (3, 2, false, false);
            r.eff.retain(|k, _| !TOPIC_EFFECTIVE.contains(&k.as_str()));
            r.m = Some(format!("P{}", intern(&mut models.producers, &p)));
        }
        producer.insert(tuple_key(&t), add(r));
    }
    let mut topic = BTreeMap::new();
    let axes = topic_axes();
    for t in tuples(&axes) {
        let (text, keys) = text_of(&axes, &t);
        let (mut r, model) = record(&input(&text, "producer", version, client, &[]), &keys);
        if let Some(ModelParams::Producer(p)) = model {
            let part = (p.replication_factor, p.min_insync_replicas, p.unclean_leader_election, p.elr);
            r.eff.retain(|k, _| TOPIC_EFFECTIVE.contains(&k.as_str()));
            r.d.retain(|d| d[1] == "topic");
            r.m = Some(format!("T{}", intern(&mut models.topics, &part)));
        }
        topic.insert(tuple_key(&t), add(r));
    }
    let mut consumer = BTreeMap::new();
    let axes = consumer_axes();
    for t in tuples(&axes) {
        let (text, keys) = text_of(&axes, &t);
        for (ci, commit) in COMMITS.iter().enumerate() {
            for (mi, membership) in MEMBERSHIPS.iter().enumerate() {
                let extra = [("commit", *commit), ("membership", *membership)];
                let (mut r, model) = record(&input(&text, "consumer", version, client, &extra), &keys);
                if let Some(m) = model {
                    r.m = Some(format!("M{}", models.other(m)));
                }
                consumer.insert(format!("{}{ci}{mi}", tuple_key(&t)), add(r));
            }
        }
    }
    let mut pipeline = BTreeMap::new();
    let axes = pipeline_axes();
    for t in tuples(&axes) {
        let (text, keys) = text_of(&axes, &t);
        for (ci, commit) in COMMITS.iter().enumerate() {
            for (di, down) in DOWNSTREAM.iter().enumerate() {
                let extra = [("commit", *commit), ("downstream", *down)];
                let (mut r, model) = record(&input(&text, "pipeline", version, client, &extra), &keys);
                if let Some(m) = model {
                    r.m = Some(format!("M{}", models.other(m)));
                }
                pipeline.insert(format!("{}{ci}{di}", tuple_key(&t)), add(r));
            }
        }
    }
    json!({ "producer": producer, "topic": topic, "consumer": consumer, "pipeline": pipeline, "res": res })
}

fn fault_model(name: &str) -> FaultModel {
    if name == "power-loss" { FaultModel::PowerLoss } else { FaultModel::KafkaPromise }
}

fn fragment(o: &crate::semantics::params::CheckOutcome, role: &str, faults: &str, id: &str) -> String {
    let mut s = String::new();
    for (i, c) in o.counterexamples.iter().filter(|c| c.property != Property::NoReorder).enumerate() {
        let title = format!("{} ({role} · {faults})", diagram::property_label(c.property, crate::i18n::Lang::Ko));
        let fid = format!("pg{id}-cx{i}");
        let svg = diagram::sequence_svg(
            c,
            &DiagramOptions { id_prefix: fid.clone(), title: title.clone(), lang: crate::i18n::Lang::Ko },
        );
        s.push_str(&format!(
            "<figure class=\"trace\" id=\"{fid}\"><figcaption>반례: {}</figcaption>{svg}<details><summary>단계를 글로 보기</summary>{}</details></figure>",
            esc(&title),
            diagram::trace_list_html(c, crate::i18n::Lang::Ko)
        ));
    }
    s
}

/// Everything under `playground/` except the page itself: `data/index.json` (the space, the
/// outcomes), one shard per version and client, and one HTML fragment per outcome with a
/// counterexample.
pub fn generate(cl: &Classifier) -> Vec<OutFile> {
    let mut models = Models::default();
    let mut files: Vec<OutFile> = Vec::new();
    let pairs: Vec<(&str, &str)> = VERSIONS.iter().flat_map(|v| CLIENTS.iter().map(move |c| (*v, *c))).collect();
    let shards: Vec<(Value, Models)> = pairs
        .par_iter()
        .map(|(v, c)| {
            let mut local = Models::default();
            (shard(v, c, &mut local), local)
        })
        .collect();
    // Renumber each shard's local model ids into the global lists.
    for ((v, c), (mut s, local)) in pairs.iter().zip(shards) {
        let p: Vec<usize> = local.producers.iter().map(|x| intern(&mut models.producers, x)).collect();
        let t: Vec<usize> = local.topics.iter().map(|x| intern(&mut models.topics, x)).collect();
        let o: Vec<usize> = local.others.into_iter().map(|x| models.other(x)).collect();
        for r in s["res"].as_array_mut().into_iter().flatten() {
            let Some(m) = r["m"].as_str() else { continue };
            let (kind, n) = m.split_at(1);
            let n: usize = n.parse().unwrap_or(0);
            let g = match kind {
                "P" => p[n],
                "T" => t[n],
                _ => o[n],
            };
            r["m"] = Value::String(format!("{kind}{g}"));
        }
        files.push((PathBuf::from(format!("playground/data/{v}-{c}.json")), s.to_string().into_bytes().into()));
    }
    // Every model the shards can reach: producer parts × topic parts, and the others as they are.
    let mut keyed: Vec<(String, ModelParams, &str)> = Vec::new();
    for (pi, p) in models.producers.iter().enumerate() {
        for (ti, &(rf, isr, unclean, elr)) in models.topics.iter().enumerate() {
            let mut full = p.clone();
            (full.replication_factor, full.min_insync_replicas, full.unclean_leader_election, full.elr) =
                (rf, isr, unclean, elr);
            keyed.push((format!("P{pi}.T{ti}"), ModelParams::Producer(full), "producer"));
        }
    }
    for (i, m) in models.others.iter().enumerate() {
        let role = if matches!(m, ModelParams::Consumer(_)) { "consumer" } else { "pipeline" };
        keyed.push((format!("M{i}"), m.clone(), role));
    }
    let jobs: Vec<(String, &ModelParams, &str, &str)> =
        keyed.iter().flat_map(|(k, m, r)| FAULTS.iter().map(move |f| (format!("{k}|{f}"), m, *r, *f))).collect();
    let outcomes: Vec<_> = jobs
        .par_iter()
        .map(|(_, m, _, f)| cl.check(m, fault_model(f), crate::semantics::params::Bounds::default()))
        .collect();
    let mut index = BTreeMap::new();
    let mut out = Vec::new();
    // Fragments are named by their content, so outcomes with the same traces share one file.
    let mut written: HashMap<String, String> = HashMap::new();
    for (i, ((key, _, role, f), o)) in jobs.iter().zip(&outcomes).enumerate() {
        let shown = o.counterexamples.iter().any(|c| c.property != Property::NoReorder);
        let file = shown.then(|| {
            let n = written.len();
            let content = format!("{role}|{f}|{}", serde_json::to_string(&o.counterexamples).unwrap_or_default());
            let name = written.entry(content).or_insert_with(|| format!("cx/{n}.html")).clone();
            if written.len() > n {
                let html = fragment(o, role, f, &n.to_string());
                files.push((PathBuf::from(format!("playground/{name}")), html.into_bytes().into()));
            }
            name
        });
        index.insert(key.clone(), i);
        out.push(json!({
            "v": crate::semantics::classify::outcome_verdict(o),
            "nl": o.no_loss && o.delivers, "nd": o.no_duplicate && o.delivers, "nr": o.no_reorder, "u": o.unavailable,
            "s": o.states, "f": file,
            "cx": o.counterexamples.iter().map(|c| json!({
                "p": c.property, "faults": c.faults, "steps": c.steps.len(), "why": c.violation,
            })).collect::<Vec<_>>(),
        }));
    }
    let known: Vec<&str> = facts::all_known_keys();
    let meta = json!({
        "versions": VERSIONS, "clients": CLIENTS, "faults": FAULTS,
        "axes": {
            "producer": producer_axes(), "topic": topic_axes(),
            "consumer": consumer_axes(), "pipeline": pipeline_axes(),
        },
        "commits": COMMITS, "downstream": DOWNSTREAM, "memberships": MEMBERSHIPS,
        "decisive": DECISIVE, "decisive_when_empty": DECISIVE_WHEN_EMPTY, "aliases": facts::ALIASES, "known": known,
        "prefixes": facts::ACCEPTED_PREFIXES,
        "producer_keys": facts::PRODUCER_KEYS, "consumer_keys": facts::CONSUMER_KEYS,
        "bounds": crate::semantics::params::Bounds::default(),
        "outcomes": index, "out": out,
    });
    files.push((PathBuf::from("playground/data/index.json"), meta.to_string().into_bytes().into()));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_cover_the_product_and_keys_are_unique() {
        let axes = producer_axes();
        let all = tuples(&axes);
        assert_eq!(all.len(), axes.iter().map(|a| a.values.len()).product::<usize>());
        let keys: std::collections::BTreeSet<_> = all.iter().map(|t| tuple_key(t)).collect();
        assert_eq!(keys.len(), all.len());
    }

    #[test]
    fn seed_claims_come_out_of_the_shard_as_the_classifier_says() {
        let mut models = Models::default();
        let s = shard("2.8", "java", &mut models);
        let axes = producer_axes();
        let look = |acks: usize, retries: usize| {
            let t = [acks, retries, 0, 0, 0];
            let rid = s["producer"][tuple_key(&t)].as_u64().unwrap() as usize;
            let r = &s["res"][rid];
            let m = r["m"].as_str().unwrap().trim_start_matches('P').parse::<usize>().unwrap();
            (models.producers[m].clone(), axes[0].values[acks])
        };
        // acks=0, retries=0 on 2.8: not retried, acks 0.
        let (p, a) = look(1, 1);
        assert_eq!(a, Some("0"));
        assert_eq!(p.acks, crate::semantics::params::Acks::Zero);
        assert!(!p.retries);
        // acks=all alone on 2.8: retried (KIP-91 default), not idempotent (KAFKA-13598 era default false).
        let (p, _) = look(3, 0);
        assert!(p.retries && !p.idempotent);
    }

    #[test]
    fn the_consumer_membership_is_its_own_axis() {
        use crate::semantics::params::Membership;
        let mut models = Models::default();
        let s = shard("2.8", "java", &mut models);
        // enable.auto.commit=false, commit before processing, each membership choice.
        let ci = COMMITS.iter().position(|c| *c == "before-processing").unwrap();
        let t = [2, 0, 0, 0];
        assert_eq!(consumer_axes()[0].values[2], Some("false"));
        let model = |mi: usize| {
            let rid = s["consumer"][format!("{}{ci}{mi}", tuple_key(&t))].as_u64().unwrap() as usize;
            let r = &s["res"][rid];
            let m = r["m"].as_str().unwrap().trim_start_matches('M').parse::<usize>().unwrap();
            (models.others[m].clone(), r["eff"]["semdoc.membership"].clone())
        };
        for (mi, want) in [Membership::Unknown, Membership::Subscribe, Membership::Assign].into_iter().enumerate() {
            let (m, eff) = model(mi);
            let ModelParams::Consumer(c) = m else { panic!("a consumer model: {m:?}") };
            assert_eq!((c.membership, eff.as_str()), (want, Some(want.as_str())), "{}", MEMBERSHIPS[mi]);
        }
        let cl = Classifier::new();
        let verdict = |mi: usize| {
            let o = cl.check(&model(mi).0, FaultModel::KafkaPromise, crate::semantics::params::Bounds::default());
            crate::semantics::classify::outcome_verdict(&o)
        };
        // docs/model.md §8 rows 14b and 14e: assign()'s late commit duplicates, not shown takes the weaker.
        assert_eq!([verdict(0), verdict(1), verdict(2)], ["no-guarantee", "at-most-once", "no-guarantee"]);
    }

    #[test]
    fn invalid_combinations_carry_the_client_message() {
        let mut models = Models::default();
        let s = shard("4.0", "java", &mut models);
        // enable.idempotence=true with max.in.flight > 5 on 4.0: KAFKA-17927's error.
        let t = [0, 0, 1, 3, 0];
        let rid = s["producer"][tuple_key(&t)].as_u64().unwrap() as usize;
        let r = &s["res"][rid];
        assert_eq!(r["v"], "invalid-config");
        assert!(r["err"].as_str().unwrap().contains("max.in.flight.requests.per.connection"), "{r}");
        assert_eq!(r["d"][0][4], "max.in.flight.requests.per.connection");
    }
}
