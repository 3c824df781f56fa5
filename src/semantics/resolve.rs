//! From written settings to what the client really runs with: defaults filled in per version and
//! client, the client's own validation (with its messages), the silent enable/disable rules of
//! idempotence, and the model parameters the checker needs.

use super::facts::{self, Client, INT_MAX, Version, msg};
use super::params::{Acks, CommitStrategy, ConsumerParams, Membership, ProducerParams};
use std::collections::BTreeMap;

pub mod rdk;

/// Settings as written, keyed by canonical key; value and line.
pub type Written = BTreeMap<String, (String, usize)>;

/// A configuration the real client rejects: its message, the key it is about, and how it is thrown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub message: String,
    pub key: String,
    /// e.g. "ConfigException, wrapped in KafkaException(\"Failed to construct kafka producer\")".
    pub thrown_as: &'static str,
}

pub struct Resolved<P> {
    pub params: P,
    pub effective: BTreeMap<String, String>,
    /// Informational notes, e.g. "Idempotence will be disabled because acks is set to 1, not set to 'all'." with the key.
    pub notes: Vec<(String, String)>,
}

const CONFIG_EXC: &str = "org.apache.kafka.common.config.ConfigException";
const WRAPPED: &str = "ConfigException wrapped in KafkaException(\"Failed to construct kafka producer\")";

fn reject(key: &str, message: impl Into<String>, thrown_as: &'static str) -> Rejection {
    Rejection { message: message.into(), key: key.to_string(), thrown_as }
}

fn invalid_value(key: &str, v: &str, why: &str) -> Rejection {
    reject(key, format!("Invalid value {v} for configuration {key}: {why}"), CONFIG_EXC)
}

fn get<'a>(w: &'a Written, k: &str) -> Option<&'a str> {
    w.get(k).map(|(v, _)| v.as_str())
}

fn parse_bool(w: &Written, key: &str) -> Result<Option<bool>, Rejection> {
    match get(w, key) {
        None => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(v) => Err(invalid_value(key, v, "Expected value to be either true or false")),
    }
}

fn parse_int(w: &Written, key: &str, min: i64, ty: &str) -> Result<Option<i64>, Rejection> {
    match get(w, key) {
        None => Ok(None),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) if ty == "INT" && n > i32::MAX as i64 => Err(invalid_value(key, v, "Not a number of type INT")),
            Ok(n) if n < min => Err(invalid_value(key, v, &format!("Value must be at least {min}"))),
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(invalid_value(key, v, &format!("Not a number of type {ty}"))),
        },
    }
}

/// Resolve the producer: docs/model.md §9 (Java per version, and librdkafka).
pub fn resolve_producer(w: &Written, v: Version, c: Client) -> Result<Resolved<ProducerParams>, Rejection> {
    if c == Client::Librdkafka {
        return resolve_rdk_producer(w);
    }
    let mut notes = Vec::new();
    let d = |k: &str| facts::producer_default(k, v, c).unwrap_or("").to_string();
    // acks: Java `in("all","-1","0","1")`, case-sensitive (ProducerConfig.java @ 3.9.0 ACKS_CONFIG
    // `ConfigDef.ValidString.in`; EXEC-J).
    let acks_written = get(w, "acks");
    let acks = match acks_written {
        None => d("acks"),
        Some(a) if ["all", "-1", "0", "1"].contains(&a) => a.to_string(),
        Some(a) => return Err(invalid_value("acks", a, "String must be one of: all, -1, 0, 1")),
    };
    let acks_all = acks == "all" || acks == "-1";
    let retries = parse_int(w, "retries", 0, "INT")?;
    let in_flight = parse_int(w, "max.in.flight.requests.per.connection", 1, "INT")?;
    let idem_written = parse_bool(w, "enable.idempotence")?;
    let txn = get(w, "transactional.id");
    if txn == Some("") {
        return Err(invalid_value("transactional.id", "", "String must be non-empty"));
    }
    let txn = txn.filter(|t| !t.is_empty());
    let linger = parse_int(w, "linger.ms", 0, "LONG")?;
    let request_timeout = parse_int(w, "request.timeout.ms", 0, "INT")?;
    let delivery = if v < Version::new(2, 1, 0) { None } else { parse_int(w, "delivery.timeout.ms", 0, "INT")? };

    let (idempotent, retries_eff, acks_eff, in_flight_eff) = java_idempotence(
        v,
        &mut notes,
        idem_written,
        txn.is_some(),
        retries,
        acks_written.map(|_| acks_all),
        &acks,
        in_flight,
    )?;
    let acks_final = if acks_eff { "all".to_string() } else { acks.clone() };

    // KafkaProducer.configureDeliveryTimeout (AK@2.8.0:…/KafkaProducer.java:491-512; identical in
    // 3.2, 3.9 and CK@v8.0.0): a user-set delivery.timeout.ms below linger.ms + request.timeout.ms
    // is an error; an unset one is raised silently. With 4.0's linger.ms=5, 30000 becomes invalid.
    let linger_eff = linger.unwrap_or_else(|| d("linger.ms").parse().unwrap_or(0));
    let req_eff = request_timeout.unwrap_or(30000);
    if let Some(dt) = delivery
        && dt < linger_eff + req_eff
    {
        return Err(reject("delivery.timeout.ms", msg::DELIVERY, WRAPPED));
    }
    // KIP-939 (4.1.0): `transaction.two.phase.commit.enable`, BOOLEAN default false; with it on, a
    // user-set transaction.timeout.ms is an error (ProducerConfig.java @ 4.1.0, CK@v8.1.0:624-636,
    // after the idempotence checks). No transactional.id requirement on the client. Before 4.1
    // the key does not exist and the Java client ignores it ("isn't a known config").
    if v >= Version::new(4, 1, 0)
        && parse_bool(w, "transaction.two.phase.commit.enable")? == Some(true)
        && w.contains_key("transaction.timeout.ms")
    {
        return Err(reject("transaction.timeout.ms", msg::TWO_PC_TIMEOUT, CONFIG_EXC));
    }
    let delivery_eff = delivery.map(|d| d.to_string()).unwrap_or_else(|| d("delivery.timeout.ms"));
    // A delivery timeout shorter than one request leaves no time for a retry.
    let can_retry = retries_eff > 0 && delivery.is_none_or(|dt| dt > req_eff);

    let mut effective = BTreeMap::new();
    effective.insert("acks".into(), acks_final.clone());
    effective.insert("retries".into(), retries_eff.to_string());
    effective.insert("enable.idempotence".into(), idempotent.to_string());
    effective.insert("max.in.flight.requests.per.connection".into(), in_flight_eff.to_string());
    effective.insert("linger.ms".into(), linger_eff.to_string());
    effective.insert("request.timeout.ms".into(), req_eff.to_string());
    if !delivery_eff.is_empty() {
        effective.insert("delivery.timeout.ms".into(), delivery_eff);
    }
    effective.insert("transactional.id".into(), txn.unwrap_or("null").to_string());
    let params = ProducerParams {
        acks: match acks_final.as_str() {
            "0" => Acks::Zero,
            "1" => Acks::One,
            _ => Acks::All,
        },
        retries: can_retry,
        idempotent,
        max_in_flight: in_flight_eff.min(2) as u32,
        replication_factor: 3,
        min_insync_replicas: 2,
        unclean_leader_election: false,
        elr: false,
        transactional: txn.is_some(),
    };
    Ok(Resolved { params, effective, notes })
}

/// Java idempotence resolution per version (docs/model.md §9; sources at each rule). Returns (idempotent, retries, acks
/// forced to all, in-flight).
#[allow(clippy::too_many_arguments)]
fn java_idempotence(
    v: Version,
    notes: &mut Vec<(String, String)>,
    idem_written: Option<bool>,
    txn: bool,
    retries: Option<i64>,
    acks_written_all: Option<bool>,
    acks: &str,
    in_flight: Option<i64>,
) -> Result<(bool, i64, bool, i64), Rejection> {
    let retries_default: i64 = if v >= Version::new(2, 1, 0) { i32::MAX as i64 } else { 0 };
    let inflight = in_flight.unwrap_or(5);
    let acks_all_default = v >= Version::new(3, 0, 0);
    let acks_is_all = acks_written_all.unwrap_or(acks_all_default);
    if v < Version::new(2, 1, 0) {
        // 2a (AK@2.0.0:…/KafkaProducer.java:461-537): idempotent when enabled, or when a
        // transactional.id is set and enable.idempotence is not written.
        let idem = idem_written == Some(true) || (txn && idem_written.is_none());
        if txn && idem_written == Some(false) {
            return Err(reject("transactional.id", msg::TXN, WRAPPED));
        }
        if !idem {
            return Ok((false, retries.unwrap_or(retries_default), acks_is_all, inflight));
        }
        if retries == Some(0) {
            return Err(reject("retries", msg::RETRIES, WRAPPED));
        }
        if inflight > 5 {
            return Err(reject("max.in.flight.requests.per.connection", msg::INFLIGHT_OLD, WRAPPED));
        }
        if acks_written_all == Some(false) {
            return Err(reject("acks", msg::ACKS, WRAPPED));
        }
        return Ok((true, retries.unwrap_or(i32::MAX as i64), true, inflight));
    }
    // KAFKA-13598 was fixed in 3.0.1, 3.1.1 and 3.2.0 (commits 8093331d81c, 5227478fb18, e6db0ca48c4).
    let fixed_13598 = v >= Version::new(3, 2, 0) || (v.major == 3 && v.minor <= 1 && v.patch >= 1);
    if v < Version::new(3, 0, 0) || !fixed_13598 {
        // 2b (AK@2.8.0:…/ProducerConfig.java:457-546; AK@3.0.0, AK@3.1.0): only a user-written
        // enable.idempotence=true or a transactional.id enables it (KAFKA-13598 for 3.0.0/3.1.0).
        if txn && idem_written == Some(false) {
            return Err(reject("transactional.id", msg::TXN, CONFIG_EXC));
        }
        let idem = idem_written == Some(true) || txn;
        if !idem {
            if v >= Version::new(3, 0, 0) {
                notes.push((
                    "enable.idempotence".into(),
                    format!("Kafka {v} ignores the idempotence default (KAFKA-13598): the producer is not idempotent unless enable.idempotence=true is written"),
                ));
            }
            return Ok((false, retries.unwrap_or(retries_default), acks_is_all, inflight));
        }
        if retries == Some(0) {
            return Err(reject("retries", msg::RETRIES, CONFIG_EXC));
        }
        if acks_written_all == Some(false) {
            return Err(reject("acks", msg::ACKS, CONFIG_EXC));
        }
        if inflight > 5 {
            return Err(reject("max.in.flight.requests.per.connection", msg::INFLIGHT_OLD, WRAPPED));
        }
        return Ok((true, retries.unwrap_or(i32::MAX as i64), true, inflight));
    }
    // 2c/2d (AK@3.8.0:…/ProducerConfig.java:564-614 postProcessAndValidateIdempotenceConfigs;
    // CK@v8.0.0:…:566-614): default true; conflicts silently disable it unless it was written,
    // in which case they throw. 4.0 (KAFKA-17927) throws for in-flight > 5 either way.
    let idem = idem_written.unwrap_or(true);
    let user = idem_written.is_some();
    let mut disabled = false;
    if idem {
        if retries == Some(0) {
            if user {
                return Err(reject("retries", msg::RETRIES, CONFIG_EXC));
            }
            notes.push(("retries".into(), "Idempotence will be disabled because retries is set to 0.".into()));
            disabled = true;
        }
        if !acks_is_all {
            if user {
                return Err(reject("acks", msg::ACKS, CONFIG_EXC));
            }
            notes.push((
                "acks".into(),
                format!("Idempotence will be disabled because acks is set to {acks}, not set to 'all'."),
            ));
            disabled = true;
        }
        if inflight > 5 {
            if v >= Version::new(4, 0, 0) {
                return Err(reject(
                    "max.in.flight.requests.per.connection",
                    msg::inflight_40(inflight as u64),
                    CONFIG_EXC,
                ));
            }
            if user {
                return Err(reject("max.in.flight.requests.per.connection", msg::INFLIGHT_OLD, CONFIG_EXC));
            }
            notes.push((
                "max.in.flight.requests.per.connection".into(),
                format!("Idempotence will be disabled because max.in.flight.requests.per.connection is set to {inflight}, which is greater than 5. Please note that in v4.0.0 and onward, this will become an error."),
            ));
            disabled = true;
        }
    }
    let idem_after = idem && !disabled;
    if !idem_after && txn {
        return Err(reject("transactional.id", msg::TXN, CONFIG_EXC));
    }
    let retries_eff = retries.unwrap_or(i32::MAX as i64);
    Ok((idem_after, retries_eff, acks_is_all, inflight))
}

/// Resolve the consumer (docs/model.md §2, §9): auto-commit per client, isolation level and
/// `auto.offset.reset` validation. `commit` is the written or inferred commit pattern, `membership`
/// whether the code subscribes or assigns (docs/model.md §6.2).
pub fn resolve_consumer(
    w: &Written,
    v: Version,
    c: Client,
    commit: Option<&str>,
    async_processing: bool,
    membership: Membership,
) -> Result<Resolved<ConsumerParams>, Rejection> {
    // librdkafka: its own parsing and checks; enum and bool values are case-insensitive there, so
    // the values below are read back in librdkafka's canonical form.
    let normalised;
    let w = if c == Client::Librdkafka {
        let (conf, _) = rdk_validate(w, rdk::Kind::Consumer)?;
        let mut n = w.clone();
        for k in ["isolation.level", "auto.offset.reset", "group.protocol"] {
            if let (Some(val), Some(e)) = (conf.str(rdk::canonical(k).unwrap_or(k)), n.get_mut(k)) {
                e.0 = val.to_string();
            }
        }
        for k in ["enable.auto.commit", "enable.auto.offset.store"] {
            if let (Some(b), Some(e)) = (conf.bool(k), n.get_mut(k)) {
                e.0 = b.to_string();
            }
        }
        normalised = n;
        &normalised
    } else {
        w
    };
    let mut effective = BTreeMap::new();
    let auto = parse_bool(w, "enable.auto.commit")?;
    // KIP-289 (2.2.0): the group.id default became null (ConsumerConfig.java @ 2.2.0:280), and with a
    // null group.id an explicit enable.auto.commit=true throws (msg::AUTO_COMMIT_NO_GROUP,
    // KafkaConsumer.java @ 2.2.0:674-678). A snippet is a fragment, so an unwritten group.id is not
    // taken as null. A group.id written empty (ConfigDef trims, so whitespace too) is not null: 2.2–3.9
    // accept it with a deprecation WARN (KafkaConsumer.java @ 2.2.0:679-680, ClassicKafkaConsumer.java
    // @ 3.9.0:165); 4.0 rejects it at construction in both protocols (KAFKA-15909;
    // ClassicKafkaConsumer.java @ 4.0.0:159-162, AsyncKafkaConsumer.java @ 4.0.0:654-658), as does
    // the 3.7+ `group.protocol=consumer` client (AsyncKafkaConsumer.java @ 3.7.0:650, KIP-848).
    let next_gen = get(w, "group.protocol").is_some_and(|p| p.trim().eq_ignore_ascii_case("consumer"));
    if c == Client::Java
        && get(w, "group.id").is_some_and(|g| g.trim().is_empty())
        && (v >= Version::new(4, 0, 0) || (next_gen && v >= Version::new(3, 7, 0)))
    {
        return Err(reject(
            "group.id",
            msg::EMPTY_GROUP_40,
            "org.apache.kafka.common.errors.InvalidGroupIdException wrapped in KafkaException(\"Failed to construct kafka consumer\")",
        ));
    }
    let auto = auto.unwrap_or(true);
    let iso = get(w, "isolation.level")
        .map(str::to_string)
        .unwrap_or_else(|| facts::consumer_default("isolation.level", c).unwrap_or("").into());
    if !["read_committed", "read_uncommitted"].contains(&iso.as_str()) {
        return Err(match c {
            Client::Java => {
                invalid_value("isolation.level", &iso, "String must be one of: read_committed, read_uncommitted")
            }
            Client::Librdkafka => reject(
                "isolation.level",
                format!("Invalid value \"{iso}\" for configuration property \"isolation.level\""),
                "rd_kafka_conf_set error",
            ),
        });
    }
    let reset = get(w, "auto.offset.reset")
        .map(str::to_string)
        .unwrap_or_else(|| facts::consumer_default("auto.offset.reset", c).unwrap_or("").into());
    let reset_ok = match c {
        Client::Java => {
            ["latest", "earliest", "none"].contains(&reset.as_str())
                || (v >= Version::new(4, 0, 0) && reset.starts_with("by_duration:P"))
        }
        Client::Librdkafka => {
            ["smallest", "earliest", "beginning", "largest", "latest", "end", "error"].contains(&reset.as_str())
        }
    };
    if !reset_ok {
        return Err(match (c, v >= Version::new(4, 0, 0)) {
            // KIP-1106 (CK@v8.0.0:…/AutoOffsetResetStrategy.java:165).
            (Client::Java, true) => invalid_value(
                "auto.offset.reset",
                &reset,
                "The value must be either 'earliest', 'latest', 'none' or of the format 'by_duration:<PnDTnHnMn.nS.>'.",
            ),
            (Client::Java, false) => {
                invalid_value("auto.offset.reset", &reset, "String must be one of: latest, earliest, none")
            }
            _ => reject(
                "auto.offset.reset",
                format!("Invalid value \"{reset}\" for configuration property \"auto.offset.reset\""),
                "rd_kafka_conf_set error",
            ),
        });
    }
    let store = parse_bool(w, "enable.auto.offset.store")?.unwrap_or(true);
    let strategy = match commit {
        Some("before-processing") => CommitStrategy::BeforeProcessing,
        Some("after-processing") => CommitStrategy::AfterProcessing,
        Some("transactional") => CommitStrategy::Transactional,
        Some("never") => CommitStrategy::Never,
        Some("auto") | None if auto => match c {
            Client::Java => CommitStrategy::JavaAutoCommit,
            Client::Librdkafka if store => CommitStrategy::RdkAutoCommit,
            Client::Librdkafka => CommitStrategy::RdkStoreAfterProcessing,
        },
        _ => CommitStrategy::Never,
    };
    effective.insert("enable.auto.commit".into(), auto.to_string());
    effective.insert("isolation.level".into(), iso.clone());
    effective.insert("auto.offset.reset".into(), reset.clone());
    if auto {
        effective
            .insert("auto.commit.interval.ms".into(), get(w, "auto.commit.interval.ms").unwrap_or("5000").to_string());
    }
    if c == Client::Librdkafka {
        effective.insert("enable.auto.offset.store".into(), store.to_string());
    }
    effective.insert("semdoc.commit".into(), commit_name(strategy).into());
    effective.insert("semdoc.processing".into(), if async_processing { "async" } else { "sync" }.into());
    let params = ConsumerParams {
        commit: strategy,
        sync_processing: !async_processing,
        read_committed: iso == "read_committed",
        reset_earliest: ["earliest", "smallest", "beginning"].contains(&reset.as_str()),
        membership,
    };
    Ok(Resolved { params, effective, notes: vec![] })
}

pub fn commit_name(s: CommitStrategy) -> &'static str {
    match s {
        CommitStrategy::BeforeProcessing => "before-processing",
        CommitStrategy::AfterProcessing => "after-processing",
        CommitStrategy::JavaAutoCommit | CommitStrategy::RdkAutoCommit => "auto",
        CommitStrategy::RdkStoreAfterProcessing => "auto (offset stored after processing)",
        CommitStrategy::Never => "never",
        CommitStrategy::Transactional => "transactional",
    }
}

/// `INT_MAX` is the written form of "retry forever" in effective configs.
pub fn is_int_max(s: &str) -> bool {
    s == INT_MAX
}

/// Settings in the order written (the order `rd_kafka_conf_set` sees them).
fn in_order(w: &Written) -> Vec<(&str, &str)> {
    let mut es: Vec<(&str, &str, usize)> = w.iter().map(|(k, (v, l))| (k.as_str(), v.as_str(), *l)).collect();
    es.sort_by_key(|e| e.2);
    es.into_iter().map(|(k, v, _)| (k, v)).collect()
}

/// librdkafka's `rd_kafka_conf_set` for each setting and `rd_kafka_new`'s checks.
fn rdk_validate(w: &Written, kind: rdk::Kind) -> Result<(rdk::Conf, rdk::Finalized), Rejection> {
    let conf = rdk::configure(in_order(w))?;
    let key_of =
        |prop: &str| w.keys().find(|k| rdk::canonical(k) == Some(prop)).cloned().unwrap_or_else(|| prop.to_string());
    let fin = rdk::finalize(&conf, kind, &key_of)?;
    Ok((conf, fin))
}

/// librdkafka checks each property it is given when it is set, whichever client it is for (a
/// producer property on a consumer is accepted with a CONFWARN, but its value is still parsed):
/// run `rd_kafka_conf_set` over every client setting of a snippet, in the order written. Returns
/// the rejection and the line of the setting.
pub fn rdk_check_all<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str, usize)>,
) -> Result<(), (Rejection, usize)> {
    let mut conf = rdk::Conf::default();
    for (k, v, line) in entries {
        conf.set(k, k, v).map_err(|r| (r, line))?;
    }
    Ok(())
}

/// The librdkafka producer (RDK: src/rdkafka_conf.c @ v2.15.0; measured on librdkafka 2.16.0).
fn resolve_rdk_producer(w: &Written) -> Result<Resolved<ProducerParams>, Rejection> {
    let (conf, f) = rdk_validate(w, rdk::Kind::Producer)?;
    if (2..=1000).contains(&f.acks) {
        // librdkafka's range is -1..1000, but the broker accepts only -1, 0 and 1 and answers
        // every other value with INVALID_REQUIRED_ACKS (ReplicaManager.isValidRequiredAcks).
        return Err(reject(
            "acks",
            format!(
                "acks={} is accepted by librdkafka but every produce request is rejected by the broker (ERR_INVALID_REQUIRED_ACKS)",
                f.acks
            ),
            "broker error",
        ));
    }
    let acks = if f.acks == -1 { "all".to_string() } else { f.acks.to_string() };
    let txn = conf.str("transactional.id");
    let mut effective = BTreeMap::new();
    effective.insert("acks".into(), acks.clone());
    effective.insert("retries".into(), f.retries.to_string());
    effective.insert("enable.idempotence".into(), f.idempotent.to_string());
    effective.insert("max.in.flight.requests.per.connection".into(), f.in_flight.to_string());
    effective.insert("linger.ms".into(), rdk_num(f.linger_ms));
    effective.insert("request.timeout.ms".into(), f.request_timeout_ms.to_string());
    effective.insert("delivery.timeout.ms".into(), f.message_timeout_ms.to_string());
    effective.insert("transactional.id".into(), txn.unwrap_or("null").to_string());
    // message.timeout.ms=0 is infinite; one shorter than a request leaves no time for a retry.
    let can_retry = f.retries > 0 && (f.message_timeout_ms == 0 || f.message_timeout_ms > f.request_timeout_ms);
    let params = ProducerParams {
        acks: match f.acks {
            0 => Acks::Zero,
            1 => Acks::One,
            _ => Acks::All,
        },
        retries: can_retry,
        idempotent: f.idempotent,
        max_in_flight: f.in_flight.clamp(1, 2) as u32,
        replication_factor: 3,
        min_insync_replicas: 2,
        unclean_leader_election: false,
        elr: false,
        transactional: f.transactional,
    };
    Ok(Resolved { params, effective, notes: vec![] })
}

fn rdk_num(f: f64) -> String {
    if f.fract() == 0.0 { format!("{}", f as i64) } else { format!("{f}") }
}

#[cfg(test)]
mod tests;
