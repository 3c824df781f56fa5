//! Spring Boot's `spring.kafka.*` properties (`KafkaProperties`, relaxed binding) mapped to Kafka client keys: one mapping for `.properties` and YAML.
//!
//! Sources: `spring-boot-project/spring-boot-autoconfigure/src/main/java/org/springframework/boot/
//! autoconfigure/kafka/KafkaProperties.java @ v3.5.16` (the field list and each `buildProperties`),
//! `…/context/properties/source/ConfigurationPropertyName.java @ v3.5.16` (`defaultElementEquals`:
//! names match ignoring case and every character that is not a letter or digit, so `batch-size`,
//! `batchSize`, `batch_size` and `BATCH-SIZE` are one field), the reference guide's "Relaxed
//! Binding" section (map keys in `[brackets]` keep their dots; environment variables
//! `SPRING_KAFKA_PRODUCER_ACKS`), and spring-kafka's `DefaultKafkaProducerFactory` and
//! `KafkaMessageListenerContainer` for the values Spring sets itself.

use super::Entry;
use crate::semantics::Diag;
use crate::semantics::facts;

/// How Spring converts a typed field's text before handing it to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conv {
    /// `String`, `Integer`, `Class<?>`, `List<String>`: passed on as written.
    Raw,
    /// `java.time.Duration` (`5s`, `100ms`, `PT5S`, plain milliseconds), handed on as milliseconds.
    Duration,
    /// `org.springframework.util.unit.DataSize` (`16KB`, plain bytes), handed on as bytes.
    DataSize,
    /// `Boolean` (`StringToBooleanConverter`: true/on/yes/1, false/off/no/0).
    Bool,
    /// `IsolationLevel` enum (`LenientObjectToEnumConverterFactory`), handed on lower-cased.
    Isolation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A Kafka client key of the group's client.
    Kafka(&'static str, Conv),
    /// A Spring-only setting (container, template, admin, retry topics, JAAS, SSL bundle):
    /// understood, and no Kafka client key that semdoc models.
    Spring,
    /// `spring.kafka.listener.ack-mode`: the container's commit pattern.
    AckMode,
    /// `spring.kafka.producer.transaction-id-prefix`: a transactional producer.
    TxPrefix,
}

use Conv::*;
use Target::*;

/// `KafkaProperties.Producer` (v3.5.16 lines 509-683).
const PRODUCER: &[(&str, Target)] = &[
    ("acks", Kafka("acks", Raw)),
    ("batch-size", Kafka("batch.size", DataSize)),
    ("bootstrap-servers", Kafka("bootstrap.servers", Raw)),
    ("buffer-memory", Kafka("buffer.memory", DataSize)),
    ("client-id", Kafka("client.id", Raw)),
    ("compression-type", Kafka("compression.type", Raw)),
    ("key-serializer", Kafka("key.serializer", Raw)),
    ("value-serializer", Kafka("value.serializer", Raw)),
    ("retries", Kafka("retries", Raw)),
    ("transaction-id-prefix", TxPrefix),
];

/// `KafkaProperties.Consumer` (v3.5.16 lines 264-507; `max-poll-interval` is new in Boot 3.5.0).
const CONSUMER: &[(&str, Target)] = &[
    ("auto-commit-interval", Kafka("auto.commit.interval.ms", Duration)),
    ("auto-offset-reset", Kafka("auto.offset.reset", Raw)),
    ("bootstrap-servers", Kafka("bootstrap.servers", Raw)),
    ("client-id", Kafka("client.id", Raw)),
    ("enable-auto-commit", Kafka("enable.auto.commit", Bool)),
    ("fetch-max-wait", Kafka("fetch.max.wait.ms", Duration)),
    ("fetch-min-size", Kafka("fetch.min.bytes", DataSize)),
    ("group-id", Kafka("group.id", Raw)),
    ("heartbeat-interval", Kafka("heartbeat.interval.ms", Duration)),
    ("isolation-level", Kafka("isolation.level", Isolation)),
    ("key-deserializer", Kafka("key.deserializer", Raw)),
    ("value-deserializer", Kafka("value.deserializer", Raw)),
    ("max-poll-records", Kafka("max.poll.records", Raw)),
    ("max-poll-interval", Kafka("max.poll.interval.ms", Duration)),
];

/// `KafkaProperties.Admin` (685-797): the admin client is not modelled.
const ADMIN: &[(&str, Target)] = &[
    ("client-id", Spring),
    ("close-timeout", Spring),
    ("operation-timeout", Spring),
    ("fail-fast", Spring),
    ("modify-topic-configs", Spring),
    ("auto-create", Spring),
];

/// `KafkaProperties.Streams` (799-935; `cache-max-size-buffering` before Boot 3.1).
const STREAMS: &[(&str, Target)] = &[
    ("application-id", Spring),
    ("auto-startup", Spring),
    ("bootstrap-servers", Spring),
    ("state-store-cache-max-size", Spring),
    ("cache-max-size-buffering", Spring),
    ("client-id", Spring),
    ("replication-factor", Spring),
    ("state-dir", Spring),
    ("cleanup.on-startup", Spring),
    ("cleanup.on-shutdown", Spring),
];

/// `spring.kafka.*` itself, `Listener` (981-1266), `Template` (937-979), `Jaas` (1500-1556) and
/// `Retry.Topic` (1582-1734).
const TOP: &[(&str, Target)] = &[
    ("bootstrap-servers", Kafka("bootstrap.servers", Raw)),
    ("client-id", Kafka("client.id", Raw)),
    ("listener.type", Spring),
    ("listener.ack-mode", AckMode),
    ("listener.async-acks", Spring),
    ("listener.client-id", Spring),
    ("listener.concurrency", Spring),
    ("listener.poll-timeout", Spring),
    ("listener.no-poll-threshold", Spring),
    ("listener.ack-count", Spring),
    ("listener.ack-time", Spring),
    ("listener.idle-between-polls", Spring),
    ("listener.idle-event-interval", Spring),
    ("listener.idle-partition-event-interval", Spring),
    ("listener.monitor-interval", Spring),
    ("listener.log-container-config", Spring),
    ("listener.missing-topics-fatal", Spring),
    ("listener.immediate-stop", Spring),
    ("listener.auto-startup", Spring),
    ("listener.change-consumer-thread-name", Spring),
    ("listener.observation-enabled", Spring),
    ("listener.auth-exception-retry-interval", Spring),
    ("template.default-topic", Spring),
    ("template.transaction-id-prefix", Spring),
    ("template.observation-enabled", Spring),
    ("jaas.enabled", Spring),
    ("jaas.login-module", Spring),
    ("jaas.control-flag", Spring),
    ("retry.topic.enabled", Spring),
    ("retry.topic.attempts", Spring),
    ("retry.topic.delay", Spring),
    ("retry.topic.multiplier", Spring),
    ("retry.topic.max-delay", Spring),
    ("retry.topic.random-back-off", Spring),
    ("retry.topic.backoff.delay", Spring),
    ("retry.topic.backoff.multiplier", Spring),
    ("retry.topic.backoff.max-delay", Spring),
    ("retry.topic.backoff.random", Spring),
];

/// `KafkaProperties.Ssl` (1268-1498), at the top level and in every client group; `bundle` is Spring's.
const SSL: &[(&str, Option<&str>)] = &[
    ("bundle", None),
    ("key-password", Some("ssl.key.password")),
    ("key-store-certificate-chain", Some("ssl.keystore.certificate.chain")),
    ("key-store-key", Some("ssl.keystore.key")),
    ("key-store-location", Some("ssl.keystore.location")),
    ("key-store-password", Some("ssl.keystore.password")),
    ("key-store-type", Some("ssl.keystore.type")),
    ("trust-store-certificates", Some("ssl.truststore.certificates")),
    ("trust-store-location", Some("ssl.truststore.location")),
    ("trust-store-password", Some("ssl.truststore.password")),
    ("trust-store-type", Some("ssl.truststore.type")),
    ("protocol", Some("ssl.protocol")),
];

const ROLES: &[&str] = &["producer", "consumer", "admin", "streams"];

/// `KafkaProperties` fields typed `List<String>` (so `name[0]`, `name[1]` bind one list), in
/// `uniform` spelling: `bootstrapServers` at the top level and in every client group.
const LIST_FIELDS: &[&str] = &["bootstrapservers"];

/// Spring's element comparison: letters and digits only, case-insensitive.
fn uniform(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// One element of a property name; `[…]` elements keep their text (dots included) exactly.
#[derive(Debug, Clone)]
struct Elem {
    text: String,
    bracketed: bool,
}

/// A written key split into Spring's elements: dots outside brackets separate, `[…]` is its own
/// element (`properties[enable.idempotence]`).
fn elements(key: &str) -> Vec<Elem> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = key.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    out.push(Elem { text: std::mem::take(&mut cur), bracketed: false });
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(Elem { text: std::mem::take(&mut cur), bracketed: false });
                }
                let inner: String = chars.by_ref().take_while(|c| *c != ']').collect();
                out.push(Elem { text: inner, bracketed: true });
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(Elem { text: cur, bracketed: false });
    }
    out
}

/// The elements after `spring.kafka`, when the key is one (in any relaxed form, or as an
/// environment variable `SPRING_KAFKA_…`: "replace dots with underscores, remove dashes, upper case").
fn spring_kafka_elements(key: &str) -> Option<(Vec<Elem>, bool)> {
    let env = !key.contains(['.', '[']) && key.starts_with("SPRING_KAFKA_") && !key.contains(char::is_lowercase);
    let elems: Vec<Elem> = if env {
        key.split('_').filter(|s| !s.is_empty()).map(|s| Elem { text: s.to_lowercase(), bracketed: false }).collect()
    } else {
        elements(key)
    };
    let is = |i: usize, w: &str| elems.get(i).is_some_and(|e| !e.bracketed && uniform(&e.text) == w);
    (is(0, "spring") && is(1, "kafka")).then(|| (elems[2..].to_vec(), env))
}

/// What a `spring.kafka.*` name binds to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Bound {
    /// A Kafka key (`producer.acks`, or unprefixed for the common level) and Spring's precedence
    /// rank: 0 common typed, 1 `spring.kafka.properties`, 2 client typed, 3 client `properties`.
    Kafka {
        key: String,
        conv: Conv,
        rank: u8,
    },
    /// Understood, not a Kafka key semdoc models; the canonical name.
    Spring(String),
    AckMode,
    TxPrefix,
    /// No such field.
    Unknown,
}

fn matches_field(field: &str, elems: &[Elem]) -> bool {
    let parts: Vec<&str> = field.split('.').collect();
    parts.len() == elems.len() && parts.iter().zip(elems).all(|(p, e)| !e.bracketed && uniform(p) == uniform(&e.text))
}

fn lookup(elems: &[Elem], env: bool) -> Bound {
    let Some(first) = elems.first() else { return Bound::Unknown };
    let role = ROLES.iter().copied().find(|r| !first.bracketed && uniform(&first.text) == *r);
    let rest = if role.is_some() { &elems[1..] } else { elems };
    let group = match role {
        Some("producer") => PRODUCER,
        Some("consumer") => CONSUMER,
        Some("admin") => ADMIN,
        Some("streams") => STREAMS,
        _ => TOP,
    };
    let prefix = role.map(|r| format!("{r}.")).unwrap_or_default();
    let canonical = |field: &str| format!("spring.kafka.{prefix}{field}");
    let modelled = matches!(role, None | Some("producer" | "consumer"));
    let Some(head) = rest.first() else { return Bound::Unknown };
    let head_is = |w: &str| !head.bracketed && uniform(&head.text) == w;
    // Map-typed fields: the rest of the name is the map key, as written ("[…]" unwrapped).
    if (head_is("properties") || (role.is_none() && head_is("jaas") && rest.len() > 2)) && rest.len() > 1 {
        let map_at = if head_is("properties") { 1 } else { 2 };
        if !head_is("properties") && (rest[1].bracketed || uniform(&rest[1].text) != "options") {
            return Bound::Unknown;
        }
        let mut key: String = rest[map_at..].iter().map(|e| e.text.as_str()).collect::<Vec<_>>().join(".");
        if env {
            // The environment mapper lower-cases map keys ("The keys in the Map are always in lowercase").
            key = key.to_lowercase();
        }
        if !head_is("properties") {
            return Bound::Spring(canonical(&format!("jaas.options.{key}")));
        }
        if !modelled {
            return Bound::Spring(canonical(&format!("properties.{key}")));
        }
        return Bound::Kafka { key: format!("{prefix}{key}"), conv: Raw, rank: if role.is_some() { 3 } else { 1 } };
    }
    let rank = if role.is_some() { 2 } else { 0 };
    if head_is("ssl") && rest.len() == 2 {
        return match SSL.iter().find(|(f, _)| matches_field(f, &rest[1..])) {
            Some((f, Some(k))) if modelled => Bound::Kafka { key: format!("{prefix}{k}"), conv: Raw, rank },
            Some((f, _)) => Bound::Spring(canonical(&format!("ssl.{f}"))),
            None => Bound::Unknown,
        };
    }
    if head_is("security") && rest.len() == 2 && !rest[1].bracketed && uniform(&rest[1].text) == "protocol" {
        return if modelled {
            Bound::Kafka { key: format!("{prefix}security.protocol"), conv: Raw, rank }
        } else {
            Bound::Spring(canonical("security.protocol"))
        };
    }
    match group.iter().find(|(f, _)| matches_field(f, rest)) {
        Some((_, Kafka(k, conv))) => Bound::Kafka { key: format!("{prefix}{k}"), conv: *conv, rank },
        Some((f, Spring)) => Bound::Spring(canonical(f)),
        Some((_, AckMode)) => Bound::AckMode,
        Some((_, TxPrefix)) => Bound::TxPrefix,
        None => Bound::Unknown,
    }
}

/// Is `key` (as `bind` left it) a Spring-only `spring.kafka.*` setting semdoc understands?
pub fn understood(key: &str) -> bool {
    spring_kafka_elements(key).is_some_and(|(e, env)| matches!(lookup(&e, env), Bound::Spring(_)))
}

/// Every typed `spring.kafka.*` name, for suggestions.
pub fn names() -> Vec<String> {
    let mut out = Vec::new();
    for (role, group) in
        [("", TOP), ("producer.", PRODUCER), ("consumer.", CONSUMER), ("admin.", ADMIN), ("streams.", STREAMS)]
    {
        out.extend(group.iter().map(|(f, _)| format!("spring.kafka.{role}{f}")));
        out.extend(SSL.iter().map(|(f, _)| format!("spring.kafka.{role}ssl.{f}")));
        out.push(format!("spring.kafka.{role}security.protocol"));
    }
    out
}

/// A hint for an unknown `spring.kafka.<client>.<name>` whose name is a Kafka key in Spring's
/// spelling (`enable-idempotence`): KafkaProperties has no such field, the key goes in `properties`.
pub fn properties_hint(key: &str) -> Option<String> {
    let (elems, _) = spring_kafka_elements(key)?;
    let (role, field) = match elems.as_slice() {
        [r, f] if ROLES.contains(&uniform(&r.text).as_str()) => (Some(r.text.to_lowercase()), f),
        [f] => (None, f),
        _ => return None,
    };
    let kafka = field.text.to_lowercase().replace(['-', '_'], ".");
    facts::all_known_keys().contains(&kafka.as_str()).then(|| {
        let p = role.map(|r| format!("{r}.")).unwrap_or_default();
        format!(
            "Spring Boot has no `{}` field; pass the Kafka key through: `spring.kafka.{p}properties.{kafka}`",
            field.text
        )
    })
}

/// An indexed list field being collected: (bound key, its entry's place in `bind`'s output,
/// (index, value) pairs).
type Listed = (String, usize, Vec<(usize, String)>);

/// Map the settings of a `.properties` or YAML snippet: `spring.kafka.*` names become Kafka keys
/// (`producer.acks`, `consumer.isolation.level`, unprefixed for both clients) with Spring's value
/// conversions and precedence; Spring-only settings keep their canonical `spring.kafka.*` name;
/// unknown `spring.kafka.*` names keep theirs (for `check_unknown_keys` to report); other keys are
/// unchanged except that `[…]` brackets are dropped. Also adds the settings Spring makes itself.
pub fn bind(written: Vec<Entry>, diags: &mut Vec<Diag>) -> Vec<Entry> {
    let mut out: Vec<(u8, Entry)> = Vec::with_capacity(written.len());
    let mut any_spring = false;
    let mut tx_prefix: Option<(usize, usize)> = None;
    let mut ack_mode: Option<(usize, usize)> = None;
    // Indexed list entries: (bound key, its entry's place in `out`, (index, value) pairs).
    let mut listed: Vec<Listed> = Vec::new();
    for e in written {
        let Some((elems, env)) = spring_kafka_elements(&e.key) else {
            let key = if e.key.contains('[') {
                elements(&e.key).into_iter().map(|el| el.text).collect::<Vec<_>>().join(".")
            } else {
                e.key
            };
            out.push((0, Entry { key, ..e }));
            continue;
        };
        any_spring = true;
        // A list field written element by element (`bootstrap-servers[0]=a`, `[1]=b`): Spring binds
        // the indexed entries into one list; semdoc joins them, in index order, into the
        // comma-separated value the client reads. An index on any other field stays unknown.
        let (elems, index) = match elems.split_last() {
            Some((last, head))
                if last.bracketed
                    && !last.text.is_empty()
                    && last.text.bytes().all(|b| b.is_ascii_digit())
                    && head
                        .last()
                        .is_some_and(|f| !f.bracketed && LIST_FIELDS.contains(&uniform(&f.text).as_str())) =>
            {
                (head.to_vec(), last.text.parse::<usize>().ok())
            }
            _ => (elems, None),
        };
        match lookup(&elems, env) {
            Bound::Kafka { key, rank, .. } if index.is_some() => {
                let i = index.unwrap_or(0);
                match listed.iter_mut().find(|(k, _, _)| *k == key) {
                    Some((_, _, items)) => items.push((i, e.value)),
                    None => {
                        listed.push((key.clone(), out.len(), vec![(i, e.value.clone())]));
                        out.push((rank, Entry { key, ..e }));
                    }
                }
            }
            Bound::Spring(canonical) if index.is_some() => {
                if !listed.iter().any(|(k, _, _)| *k == canonical) {
                    listed.push((canonical.clone(), usize::MAX, Vec::new()));
                    out.push((0, Entry { key: canonical, ..e }));
                }
            }
            Bound::Kafka { key, conv, rank } => match convert(conv, &e.value) {
                Ok(value) => out.push((rank, Entry { key, value, ..e })),
                Err(expected) => diags.push(
                    Diag::error(
                        "spring-value",
                        e.line,
                        e.col,
                        format!("`{}` is not {expected} for `{}`: Spring Boot fails to bind it", e.value, e.key),
                    )
                    .hint(match conv {
                        Duration => "write a duration such as `5s`, `100ms` or plain milliseconds",
                        DataSize => "write a size such as `16KB` or plain bytes",
                        Bool => "write `true` or `false`",
                        _ => "write `read_committed` or `read_uncommitted`",
                    }),
                ),
            },
            Bound::Spring(canonical) => out.push((0, Entry { key: canonical, ..e })),
            Bound::AckMode => match ack_mode_name(&e.value) {
                Some(m) => {
                    ack_mode = Some((e.line, e.col));
                    out.push((0, Entry { key: "semdoc.spring.ack-mode".into(), value: m.into(), ..e }));
                }
                None => diags.push(
                    Diag::error(
                        "spring-value",
                        e.line,
                        e.col,
                        format!("`{}` is not a ContainerProperties.AckMode: Spring Boot fails to bind it", e.value),
                    )
                    .hint("ack modes: record, batch, time, count, count_time, manual, manual_immediate"),
                ),
            },
            Bound::TxPrefix => {
                tx_prefix = Some((e.line, e.col));
                out.push((2, Entry { key: "producer.transactional.id".into(), ..e }));
            }
            Bound::Unknown => out.push((0, e)),
        }
    }
    for (_, at, mut items) in listed {
        if let Some((_, entry)) = out.get_mut(at) {
            items.sort_by_key(|(i, _)| *i);
            entry.value = items.into_iter().map(|(_, v)| v).collect::<Vec<_>>().join(",");
        }
    }
    if !any_spring {
        return out.into_iter().map(|(_, e)| e).collect();
    }
    let has = |out: &[(u8, Entry)], keys: &[&str]| out.iter().any(|(_, e)| keys.contains(&e.key.as_str()));
    // DefaultKafkaProducerFactory#setTransactionIdPrefix → enableIdempotentBehaviour():
    // `putIfAbsent(ENABLE_IDEMPOTENCE_CONFIG, true)` (spring-kafka v3.3.16 DKPF:680-681).
    if let Some((line, col)) = tx_prefix
        && !has(&out, &["producer.enable.idempotence", "enable.idempotence"])
    {
        out.push((2, Entry { key: "producer.enable.idempotence".into(), value: "true".into(), line, col }));
        diags.push(Diag::info(
            "implied-setting",
            line,
            col,
            "spring-kafka sets enable.idempotence=true for a producer with a transaction-id-prefix".into(),
        ));
    }
    // KafkaProperties.Consumer#buildProperties always writes `isolation.level` from its typed field
    // (default READ_UNCOMMITTED, v3.5.16 lines 324, 496-497), over `spring.kafka.properties.*`.
    if let Some((_, e)) = out.iter().find(|(r, e)| *r == 1 && e.key == "isolation.level")
        && !out.iter().any(|(r, e)| *r >= 2 && e.key == "consumer.isolation.level")
    {
        let (line, col, v) = (e.line, e.col, e.value.clone());
        diags.push(
            Diag::warning(
                "spring-override",
                line,
                col,
                format!("Spring Boot overwrites `isolation.level={v}` from `spring.kafka.properties` with `spring.kafka.consumer.isolation-level`, whose default is read_uncommitted"),
            )
            .hint("set `spring.kafka.consumer.isolation-level` (or `spring.kafka.consumer.properties.isolation.level`)"),
        );
        out.push((2, Entry { key: "consumer.isolation.level".into(), value: "read_uncommitted".into(), line, col }));
    }
    // KafkaMessageListenerContainer sets `enable.auto.commit=false` unless the consumer config sets
    // it (spring-kafka v3.3.16 KMLC:1215; since 2.3.0): a listener ack mode means containers.
    if let Some((line, col)) = ack_mode
        && !has(&out, &["consumer.enable.auto.commit", "enable.auto.commit"])
    {
        out.push((2, Entry { key: "consumer.enable.auto.commit".into(), value: "false".into(), line, col }));
        diags.push(implied_auto_commit_off(line, col));
    }
    // Precedence (KafkaProperties#buildProducerProperties and friends): common typed fields, then
    // `spring.kafka.properties`, then the client's typed fields, then its `properties`; later wins.
    out.sort_by_key(|(rank, _)| *rank);
    out.into_iter().map(|(_, e)| e).collect()
}

/// The ack mode's name as `classify` reads it (`count_time`), from any relaxed spelling.
/// The note for the `enable.auto.commit=false` that spring-kafka's listener container sets
/// when the consumer config does not (read from YAML/properties here, from code in `jvm`).
pub fn implied_auto_commit_off(line: usize, col: usize) -> Diag {
    Diag::info(
        "implied-setting",
        line,
        col,
        "spring-kafka's listener container sets enable.auto.commit=false when the consumer config does not set it"
            .into(),
    )
}

pub fn ack_mode_name(value: &str) -> Option<&'static str> {
    ["record", "batch", "time", "count", "count_time", "manual", "manual_immediate"]
        .into_iter()
        .find(|m| uniform(m) == uniform(value))
}

fn convert(conv: Conv, v: &str) -> Result<String, &'static str> {
    let v = v.trim();
    match conv {
        Raw => Ok(v.to_string()),
        Bool => match v.to_lowercase().as_str() {
            "true" | "on" | "yes" | "1" => Ok("true".into()),
            "false" | "off" | "no" | "0" => Ok("false".into()),
            _ => Err("a boolean"),
        },
        Isolation => match uniform(v).as_str() {
            "readcommitted" => Ok("read_committed".into()),
            "readuncommitted" => Ok("read_uncommitted".into()),
            _ => Err("an IsolationLevel"),
        },
        Duration => duration_ms(v).map(|n| n.to_string()).ok_or("a duration"),
        DataSize => data_size(v).map(|n| n.to_string()).ok_or("a data size"),
    }
}

/// `DurationStyle.SIMPLE` (`10s`, default unit ms) or a basic ISO-8601 `PT…`/`P…D` duration.
fn duration_ms(v: &str) -> Option<i64> {
    let (n, unit) = number_and_unit(v)?;
    if let Some(iso) = v.strip_prefix(['P', 'p']) {
        let mut ms = 0i64;
        let (days, time) = match iso.split_once(['T', 't']) {
            Some((d, t)) => (d, t),
            None => (iso, ""),
        };
        if let Some(d) = days.strip_suffix(['D', 'd']) {
            ms += d.parse::<i64>().ok()? * 86_400_000;
        } else if !days.is_empty() {
            return None;
        }
        let mut num = String::new();
        for c in time.chars() {
            match c.to_ascii_uppercase() {
                'H' | 'M' | 'S' => {
                    let x: f64 = num.parse().ok()?;
                    num.clear();
                    let f = match c.to_ascii_uppercase() {
                        'H' => 3_600_000.0,
                        'M' => 60_000.0,
                        _ => 1000.0,
                    };
                    ms += (x * f) as i64;
                }
                c => num.push(c),
            }
        }
        return num.is_empty().then_some(ms);
    }
    let f = match unit.to_lowercase().as_str() {
        "" | "ms" => return Some(n),
        "ns" => return Some(n / 1_000_000),
        "us" => return Some(n / 1000),
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(f)
}

/// `DataSize.parse`: `^([+-]?\d+)([a-zA-Z]{0,2})$`, units B, KB, MB, GB, TB (powers of 1024).
fn data_size(v: &str) -> Option<i64> {
    let (n, unit) = number_and_unit(v)?;
    let f: i64 = match unit.to_uppercase().as_str() {
        "" | "B" => 1,
        "KB" => 1 << 10,
        "MB" => 1 << 20,
        "GB" => 1 << 30,
        "TB" => 1 << 40,
        _ => return None,
    };
    n.checked_mul(f)
}

fn number_and_unit(v: &str) -> Option<(i64, &str)> {
    if v.starts_with(['P', 'p']) {
        return Some((0, ""));
    }
    let split = v.find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '+')).unwrap_or(v.len());
    let (n, unit) = v.split_at(split);
    (unit.len() <= 2 && unit.chars().all(|c| c.is_ascii_alphabetic())).then_some(())?;
    Some((n.parse().ok()?, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(key: &str, value: &str, line: usize) -> Entry {
        Entry { key: key.into(), value: value.into(), line, col: 1 }
    }

    fn kv(v: &[Entry]) -> Vec<(String, String)> {
        v.iter().map(|e| (e.key.clone(), e.value.clone())).collect()
    }

    /// `bootstrap-servers[1]`, `[0]`: one list in index order, at the first entry's line; an
    /// index on a field that is no list stays unknown for `check_unknown_keys` to report.
    #[test]
    fn indexed_list_entries_bind_one_list() {
        let mut d = Vec::new();
        let got = bind(
            vec![
                e("spring.kafka.bootstrap-servers[1]", "b:9092", 1),
                e("spring.kafka.bootstrap-servers[0]", "a:9092", 2),
                e("spring.kafka.producer.bootstrapServers[0]", "p:9092", 3),
                e("spring.kafka.producer.acks[0]", "all", 4),
                e("spring.kafka.streams.bootstrap-servers[0]", "x:9092", 5),
            ],
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            kv(&got),
            vec![
                ("bootstrap.servers".to_string(), "a:9092,b:9092".to_string()),
                ("spring.kafka.producer.acks[0]".to_string(), "all".to_string()),
                ("spring.kafka.streams.bootstrap-servers".to_string(), "x:9092".to_string()),
                ("producer.bootstrap.servers".to_string(), "p:9092".to_string()),
            ]
        );
        assert_eq!(got[0].line, 1);
        assert!(!understood("spring.kafka.producer.acks[0]"));
    }

    #[test]
    fn relaxed_forms_bind_to_one_field() {
        let mut d = Vec::new();
        let got = bind(
            vec![
                e("spring.kafka.producer.batch-size", "16KB", 1),
                e("spring.kafka.producer.batchSize", "1", 2),
                e("spring.kafka.producer.batch_size", "2", 3),
                e("spring.kafka.producer.BATCH-SIZE", "3", 4),
                e("SPRING_KAFKA_PRODUCER_ACKS", "0", 5),
                e("spring.kafka.consumer.enable-auto-commit", "off", 6),
            ],
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            kv(&got),
            [
                ("producer.batch.size".into(), "16384".into()),
                ("producer.batch.size".into(), "1".into()),
                ("producer.batch.size".into(), "2".into()),
                ("producer.batch.size".into(), "3".into()),
                ("producer.acks".into(), "0".into()),
                ("consumer.enable.auto.commit".into(), "false".into()),
            ]
        );
    }

    #[test]
    fn maps_keep_raw_kafka_keys_and_precedence_is_springs() {
        let mut d = Vec::new();
        let got = bind(
            vec![
                e("spring.kafka.producer.properties[enable.idempotence]", "false", 1),
                e("spring.kafka.producer.acks", "all", 2),
                e("spring.kafka.properties.acks", "0", 3),
                e("SPRING_KAFKA_CONSUMER_PROPERTIES_ISOLATION_LEVEL", "read_committed", 4),
            ],
            &mut d,
        );
        // spring.kafka.properties (rank 1) loses to the producer's own field (rank 2).
        assert_eq!(
            kv(&got),
            [
                ("acks".into(), "0".into()),
                ("producer.acks".into(), "all".into()),
                ("producer.enable.idempotence".into(), "false".into()),
                ("consumer.isolation.level".into(), "read_committed".into()),
            ]
        );
    }

    #[test]
    fn spring_only_fields_are_understood_and_unknown_ones_are_kept_for_the_report() {
        let mut d = Vec::new();
        let got = bind(
            vec![
                e("spring.kafka.listener.concurrency", "3", 1),
                e("spring.kafka.producer.xyz", "1", 2),
                e("spring.kafka.admin.properties.retries", "1", 3),
                e("spring.kafka.streams.application-id", "a", 4),
            ],
            &mut d,
        );
        let keys: Vec<_> = got.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "spring.kafka.listener.concurrency",
                "spring.kafka.producer.xyz",
                "spring.kafka.admin.properties.retries",
                "spring.kafka.streams.application-id"
            ]
        );
        assert!(understood(keys[0]) && understood(keys[2]) && understood(keys[3]));
        assert!(!understood(keys[1]));
        assert!(
            properties_hint("spring.kafka.producer.enable-idempotence")
                .unwrap()
                .contains("properties.enable.idempotence")
        );
    }

    #[test]
    fn spring_sets_values_itself() {
        let mut d = Vec::new();
        let got = bind(
            vec![
                e("spring.kafka.producer.transaction-id-prefix", "tx-", 1),
                e("spring.kafka.properties.isolation.level", "read_committed", 2),
                e("spring.kafka.listener.ack-mode", "MANUAL_IMMEDIATE", 3),
            ],
            &mut d,
        );
        let k = kv(&got);
        assert!(k.contains(&("producer.enable.idempotence".into(), "true".into())), "{k:?}");
        assert!(k.contains(&("semdoc.spring.ack-mode".into(), "manual_immediate".into())), "{k:?}");
        assert!(k.contains(&("consumer.enable.auto.commit".into(), "false".into())), "{k:?}");
        // The typed isolation level (read_uncommitted) comes after, so it wins.
        let last_iso = k.iter().rposition(|(k, _)| k.ends_with("isolation.level")).unwrap();
        assert_eq!(k[last_iso], ("consumer.isolation.level".into(), "read_uncommitted".into()));
        assert!(d.iter().any(|d| d.code == "spring-override" && d.line == 2), "{d:?}");
    }

    #[test]
    fn values_spring_cannot_bind_are_errors() {
        let mut d = Vec::new();
        bind(
            vec![
                e("spring.kafka.consumer.isolation-level", "committed", 1),
                e("spring.kafka.consumer.auto-commit-interval", "5 parsecs", 2),
            ],
            &mut d,
        );
        assert_eq!(d.iter().map(|d| (d.code, d.line)).collect::<Vec<_>>(), [("spring-value", 1), ("spring-value", 2)]);
        assert_eq!(duration_ms("PT1M30S"), Some(90_000));
        assert_eq!(duration_ms("250"), Some(250));
        assert_eq!(data_size("1MB"), Some(1 << 20));
    }
}
