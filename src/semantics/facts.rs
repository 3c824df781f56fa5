//! Kafka's per-version facts: which keys exist, their defaults, and the validation the real client
//! runs, with its own messages (FACTS.md sections 1–3). Everything here cites its source with the
//! FACTS.md shorthand (`AK@<tag>:<path>`, `CK@v8.0.0` = Apache Kafka 4.0, `RDK` = librdkafka,
//! `EXEC-J`/`EXEC-R` = executed against the real client classes).

use std::fmt;

/// A Kafka release. `x.y` alone means `x.y.0`, the first release of the line — the one that matters
/// for KAFKA-13598 (3.0.0 and 3.1.0 ignore the idempotence default; 3.0.1 and 3.1.1 do not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u8,
    pub minor: u8,
    pub patch: u8,
}

/// The newest version semdoc knows (the default when a snippet names none).
pub const NEWEST: Version = Version { major: 4, minor: 1, patch: 0 };

impl Version {
    pub const fn new(major: u8, minor: u8, patch: u8) -> Self {
        Version { major, minor, patch }
    }

    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches('v');
        let mut it = s.split('.');
        let major: u8 = it.next()?.parse().ok()?;
        let minor = match it.next() {
            None | Some("x") => {
                // `4` or `4.x`: the newest known release of that major line.
                return match major {
                    2 => Some(Version::new(2, 8, 2)),
                    3 => Some(Version::new(3, 9, 0)),
                    4 => Some(NEWEST),
                    _ => None,
                };
            }
            Some(m) => m.parse().ok()?,
        };
        let patch = match it.next() {
            None => 0,
            Some(p) => p.parse().ok()?,
        };
        if it.next().is_some() {
            return None;
        }
        let v = Version { major, minor, patch };
        (Version::new(2, 0, 0)..=Version::new(4, 9, 99)).contains(&v).then_some(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    Java,
    Librdkafka,
}

impl Client {
    pub fn parse(s: &str) -> Option<Client> {
        match s.trim().to_lowercase().as_str() {
            "java" | "jvm" => Some(Client::Java),
            "librdkafka" | "rdkafka" | "confluent-kafka" | "python" | "go" | "dotnet" | "rust" => {
                Some(Client::Librdkafka)
            }
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Client::Java => "java",
            Client::Librdkafka => "librdkafka",
        }
    }
}

pub const INT_MAX: &str = "2147483647";

/// Keys semdoc reads to decide a guarantee, plus common keys that carry no guarantee, so that
/// real configurations do not warn. Sources: `ProducerConfig`, `ConsumerConfig`, `TopicConfig`
/// (AK@3.8.0), librdkafka CONFIGURATION.md.
pub const PRODUCER_KEYS: &[&str] = &[
    "acks",
    "retries",
    "enable.idempotence",
    "max.in.flight.requests.per.connection",
    "delivery.timeout.ms",
    "transactional.id",
    "linger.ms",
    "request.timeout.ms",
    "retry.backoff.ms",
    "retry.backoff.max.ms",
    "transaction.timeout.ms",
    "batch.size",
    "buffer.memory",
    "compression.type",
    "key.serializer",
    "value.serializer",
    "max.block.ms",
    "max.request.size",
    "partitioner.class",
    "partitioner.ignore.keys",
    "interceptor.classes",
    "enable.metrics.push",
    "transaction.two.phase.commit.enable",
];

pub const CONSUMER_KEYS: &[&str] = &[
    "group.id",
    "group.instance.id",
    "enable.auto.commit",
    "auto.commit.interval.ms",
    "isolation.level",
    "auto.offset.reset",
    "max.poll.records",
    "max.poll.interval.ms",
    "session.timeout.ms",
    "heartbeat.interval.ms",
    "key.deserializer",
    "value.deserializer",
    "fetch.min.bytes",
    "fetch.max.bytes",
    "fetch.max.wait.ms",
    "max.partition.fetch.bytes",
    "group.protocol",
    "partition.assignment.strategy",
    "allow.auto.create.topics",
    "exclude.internal.topics",
    "client.rack",
];

pub const TOPIC_KEYS: &[&str] =
    &["replication.factor", "min.insync.replicas", "unclean.leader.election.enable", "default.replication.factor"];

pub const COMMON_KEYS: &[&str] = &[
    "bootstrap.servers",
    "client.id",
    "security.protocol",
    "metadata.max.age.ms",
    "connections.max.idle.ms",
    "receive.buffer.bytes",
    "send.buffer.bytes",
    "reconnect.backoff.ms",
    "reconnect.backoff.max.ms",
    "client.dns.lookup",
    "schema.registry.url",
    "auto.register.schemas",
    "specific.avro.reader",
    "debug",
    "log_level",
];

/// librdkafka-only keys and aliases (CONFIGURATION.md).
pub const RDK_KEYS: &[&str] = &[
    "request.required.acks",
    "message.send.max.retries",
    "max.in.flight",
    "message.timeout.ms",
    "queue.buffering.max.ms",
    "queue.buffering.max.messages",
    "queue.buffering.max.kbytes",
    "enable.auto.offset.store",
    "enable.gapless.guarantee",
    "queuing.strategy",
    "queue.buffering.backpressure.threshold",
    "enable.partition.eof",
    "statistics.interval.ms",
    "go.events.channel.enable",
    "topic.metadata.refresh.interval.ms",
];

/// semdoc's own keys (SEMANTICS.md §4), plus the pipeline switches this implementation adds.
pub const SEMDOC_KEYS: &[&str] = &[
    "semdoc.kafka",
    "semdoc.client",
    "semdoc.role",
    "semdoc.commit",
    "semdoc.processing",
    "semdoc.faults",
    "semdoc.downstream.isolation.level",
    "semdoc.elr",
    "semdoc.fenced",
    "semdoc.rewind-on-abort",
    "semdoc.spring.ack-mode",
    "semdoc.brokers",
];

/// Prefixes whose keys are accepted without a warning (security and client-specific families).
pub const ACCEPTED_PREFIXES: &[&str] =
    &["ssl.", "sasl.", "security.", "schema.registry.", "basic.auth.", "spring.kafka.", "metrics.", "socket."];

/// librdkafka aliases → the Java key semdoc reasons with (CONFIGURATION.md "alias for").
pub fn canonical_key(key: &str) -> &str {
    ALIASES.iter().find(|(a, _)| *a == key).map_or(key, |(_, k)| k)
}

/// Kafka Streams settings (StreamsConfig): recognised so that a Streams snippet is told it is not
/// modelled, instead of "unknown key".
pub const STREAMS_KEYS: &[&str] = &[
    "processing.guarantee",
    "application.id",
    "num.stream.threads",
    "commit.interval.ms",
    "state.dir",
    "num.standby.replicas",
    "default.key.serde",
    "default.value.serde",
];

/// librdkafka's names for the Java client's keys (CONFIGURATION.md "alias for").
pub const ALIASES: &[(&str, &str)] = &[
    ("request.required.acks", "acks"),
    ("message.send.max.retries", "retries"),
    ("max.in.flight", "max.in.flight.requests.per.connection"),
    ("message.timeout.ms", "delivery.timeout.ms"),
    ("queue.buffering.max.ms", "linger.ms"),
];

pub fn all_known_keys() -> Vec<&'static str> {
    [PRODUCER_KEYS, CONSUMER_KEYS, TOPIC_KEYS, COMMON_KEYS, RDK_KEYS, SEMDOC_KEYS].concat()
}

/// Defaults of the producer keys that matter, per version and client (FACTS.md §1a, §3).
pub fn producer_default(key: &str, v: Version, c: Client) -> Option<&'static str> {
    let v21 = Version::new(2, 1, 0);
    let v30 = Version::new(3, 0, 0);
    let v40 = Version::new(4, 0, 0);
    Some(match (c, key) {
        // KIP-679 / KAFKA-10619: acks=all from 3.0.0 (AK@3.0.0:…/ProducerConfig.java:285).
        (Client::Java, "acks") => {
            if v >= v30 {
                "all"
            } else {
                "1"
            }
        }
        // KIP-91 / KAFKA-5886: retries 0 → Integer.MAX_VALUE in 2.1.0 (AK@2.1.0:…:254).
        (Client::Java, "retries") => {
            if v >= v21 {
                INT_MAX
            } else {
                "0"
            }
        }
        // KIP-679: ConfigDef default true from 3.0.0 (applied only from 3.0.1/3.1.1/3.2.0, KAFKA-13598).
        (Client::Java, "enable.idempotence") => {
            if v >= v30 {
                "true"
            } else {
                "false"
            }
        }
        (Client::Java, "max.in.flight.requests.per.connection") => "5",
        // KIP-91 (2.1.0); the key does not exist in 2.0.
        (Client::Java, "delivery.timeout.ms") if v >= v21 => "120000",
        // KIP-1030 / KAFKA-16368: linger.ms 0 → 5 in 4.0 (CK@v8.0.0:docs/upgrade.html).
        (Client::Java, "linger.ms") => {
            if v >= v40 {
                "5"
            } else {
                "0"
            }
        }
        (Client::Java, "request.timeout.ms") => "30000",
        (Client::Java, "transaction.timeout.ms") => "60000",
        // librdkafka 1.0.0 made acks=all the default (commit 14000812c); 1.5.2 retries → INT32_MAX.
        (Client::Librdkafka, "acks") => "all",
        (Client::Librdkafka, "retries") => INT_MAX,
        (Client::Librdkafka, "enable.idempotence") => "false",
        (Client::Librdkafka, "max.in.flight.requests.per.connection") => "1000000",
        (Client::Librdkafka, "delivery.timeout.ms") => "300000",
        (Client::Librdkafka, "linger.ms") => "5",
        (Client::Librdkafka, "request.timeout.ms") => "30000",
        (Client::Librdkafka, "transaction.timeout.ms") => "60000",
        _ => return None,
    })
}

/// Consumer defaults (FACTS.md §1b, §3): note librdkafka's `isolation.level=read_committed`.
pub fn consumer_default(key: &str, c: Client) -> Option<&'static str> {
    Some(match (c, key) {
        (_, "enable.auto.commit") => "true",
        (_, "auto.commit.interval.ms") => "5000",
        (Client::Java, "isolation.level") => "read_uncommitted",
        (Client::Librdkafka, "isolation.level") => "read_committed",
        (Client::Java, "auto.offset.reset") => "latest",
        (Client::Librdkafka, "auto.offset.reset") => "largest",
        (Client::Librdkafka, "enable.auto.offset.store") => "true",
        _ => return None,
    })
}

/// Exact messages of the Java producer's checks (FACTS.md §2, all EXEC-J confirmed).
pub mod msg {
    pub const RETRIES: &str = "Must set retries to non-zero when using the idempotent producer.";
    pub const ACKS: &str =
        "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.";
    pub const INFLIGHT_OLD: &str =
        "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.";
    pub const TXN: &str = "Cannot set a transactional.id without also enabling idempotence.";
    pub const DELIVERY: &str = "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms";
    pub fn inflight_40(n: u64) -> String {
        format!(
            "To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. Current value is {n}."
        )
    }
    /// KAFKA-15909, 4.0 (ClassicKafkaConsumer.java @ 4.0.0:159-162).
    pub const EMPTY_GROUP_40: &str = "The configured group.id should not be an empty string or whitespace.";
    /// KIP-939 (ProducerConfig.java @ 4.1.0; CK@v8.1.0:624-636).
    pub const TWO_PC_TIMEOUT: &str = "Cannot set transaction.timeout.ms when transaction.two.phase.commit.enable is set to true. Transactions will not expire with two-phase commit enabled.";
    pub const AUTO_COMMIT_NO_GROUP: &str =
        "enable.auto.commit cannot be set to true when default group id (null) is used.";
    // librdkafka (RDK@v2.15.0:src/rdkafka_conf.c rd_kafka_conf_finalize; EXEC-R 2.16.0).
    pub const RDK_TXN: &str = "`transactional.id` requires `enable.idempotence=true`";
    pub const RDK_INFLIGHT: &str = "`max.in.flight` must be set <= 5 when `enable.idempotence` is true";
    pub const RDK_RETRIES: &str = "`retries` must be set >= 1 when `enable.idempotence` is true";
    pub const RDK_ACKS: &str = "`acks` must be set to `all` when `enable.idempotence` is true";
    pub const RDK_QUEUING: &str = "`queuing.strategy` must be set to `fifo` when `enable.idempotence` is true";
    pub const RDK_BACKPRESSURE: &str =
        "`queue.buffering.backpressure.threshold` must be set to 1 when `enable.idempotence` is true";
    pub const RDK_TXN_TIMEOUT: &str = "`message.timeout.ms` must be set <= `transaction.timeout.ms`";
    pub const RDK_GAPLESS: &str = "`enable.gapless.guarantee` requires `enable.idempotence` to be enabled";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(Version::parse("2.8"), Some(Version::new(2, 8, 0)));
        assert_eq!(Version::parse("3.0.1"), Some(Version::new(3, 0, 1)));
        assert_eq!(Version::parse("4.x"), Some(NEWEST));
        assert_eq!(Version::parse("1.1"), None);
        assert_eq!(Version::parse("three"), None);
        assert_eq!(Version::parse("3.0.0.1"), None);
    }

    #[test]
    fn defaults_by_version_table() {
        let j = Client::Java;
        for (key, v, want) in [
            ("acks", "2.0", Some("1")),
            ("acks", "2.8", Some("1")),
            ("acks", "3.0", Some("all")),
            ("acks", "4.0", Some("all")),
            ("retries", "2.0", Some("0")),
            ("retries", "2.1", Some(INT_MAX)),
            ("enable.idempotence", "2.8", Some("false")),
            ("enable.idempotence", "3.0", Some("true")),
            ("delivery.timeout.ms", "2.0", None),
            ("delivery.timeout.ms", "2.1", Some("120000")),
            ("linger.ms", "3.9", Some("0")),
            ("linger.ms", "4.0", Some("5")),
            ("max.in.flight.requests.per.connection", "4.0", Some("5")),
        ] {
            assert_eq!(producer_default(key, Version::parse(v).unwrap(), j), want, "{key} {v}");
        }
        assert_eq!(producer_default("enable.idempotence", NEWEST, Client::Librdkafka), Some("false"));
        assert_eq!(consumer_default("isolation.level", Client::Librdkafka), Some("read_committed"));
        assert_eq!(consumer_default("isolation.level", Client::Java), Some("read_uncommitted"));
    }
}
