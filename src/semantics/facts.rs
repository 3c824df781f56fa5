//! Kafka's per-version facts: which keys exist, their defaults, and the validation the real client
//! runs, with its own messages (docs/model.md §9). Everything here cites its source with the
//! shorthand explained there (`AK@<tag>:<path>`, `CK@v8.0.0` = Apache Kafka 4.0, `RDK` = librdkafka,
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

/// semdoc's own keys (docs/model.md §4), plus the pipeline switches this implementation adds.
pub const SEMDOC_KEYS: &[&str] = &[
    "semdoc.kafka",
    "semdoc.client",
    "semdoc.role",
    "semdoc.commit",
    "semdoc.processing",
    "semdoc.membership",
    "semdoc.faults",
    "semdoc.downstream.isolation.level",
    "semdoc.elr",
    "semdoc.fenced",
    "semdoc.rewind-on-abort",
    "semdoc.spring.ack-mode",
    "semdoc.brokers",
    "semdoc.ignore",
];

/// Prefixes of settings the client hands to plugins (serializers, deserializers), which define
/// their own keys: Confluent's schema-registry serdes (`AbstractKafkaSchemaSerDeConfig`) and
/// spring-kafka's `JsonSerializer`/`JsonDeserializer`/`ErrorHandlingDeserializer`. Client keys
/// themselves (`ssl.*`, `sasl.*`, …) are listed one by one in `JAVA_CLIENT_KEYS`/`RDK_ALL_KEYS`, so
/// that a misspelt one is reported.
pub const ACCEPTED_PREFIXES: &[&str] = &[
    "schema.registry.",
    "basic.auth.",
    "key.subject.name.strategy",
    "value.subject.name.strategy",
    "use.latest.version",
    "spring.json.",
    "spring.deserializer.",
    "spring.serializer.",
];

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
    let mut v = [
        PRODUCER_KEYS,
        CONSUMER_KEYS,
        TOPIC_KEYS,
        COMMON_KEYS,
        RDK_KEYS,
        SEMDOC_KEYS,
        JAVA_CLIENT_KEYS,
        RDK_ALL_KEYS,
        TOPIC_CONFIG_KEYS,
    ]
    .concat();
    v.sort_unstable();
    v.dedup();
    v
}

/// Every Java client key (producer, consumer, common, SSL, SASL) of Kafka 2.0 to 4.1: the keys defined in
/// `ProducerConfig`/`ConsumerConfig` (with `CommonClientConfigs`, `SslConfigs`, `SaslConfigs`) at
/// 2.0.0 … 3.9.0 (apache/kafka tags) and 4.0.0, 4.1.0 (confluentinc/kafka v8.0.0, v8.1.0). Most carry no
/// guarantee; they are known so that real configurations are read, not rejected.
pub const JAVA_CLIENT_KEYS: &[&str] = &[
    "acks",
    "allow.auto.create.topics",
    "auto.commit.interval.ms",
    "auto.include.jmx.reporter",
    "auto.offset.reset",
    "batch.size",
    "bootstrap.servers",
    "buffer.memory",
    "check.crcs",
    "client.dns.lookup",
    "client.id",
    "client.rack",
    "compression.gzip.level",
    "compression.lz4.level",
    "compression.type",
    "compression.zstd.level",
    "connections.max.idle.ms",
    "default.api.timeout.ms",
    "delivery.timeout.ms",
    "enable.auto.commit",
    "enable.idempotence",
    "enable.metrics.push",
    "exclude.internal.topics",
    "fetch.max.bytes",
    "fetch.max.wait.ms",
    "fetch.min.bytes",
    "group.id",
    "group.instance.id",
    "group.protocol",
    "group.remote.assignor",
    "heartbeat.interval.ms",
    "interceptor.classes",
    "isolation.level",
    "key.deserializer",
    "key.serializer",
    "linger.ms",
    "max.block.ms",
    "max.in.flight.requests.per.connection",
    "max.partition.fetch.bytes",
    "max.poll.interval.ms",
    "max.poll.records",
    "max.request.size",
    "metadata.max.age.ms",
    "metadata.max.idle.ms",
    "metadata.recovery.rebootstrap.trigger.ms",
    "metadata.recovery.strategy",
    "metric.reporters",
    "metrics.num.samples",
    "metrics.recording.level",
    "metrics.sample.window.ms",
    "partition.assignment.strategy",
    "partitioner.adaptive.partitioning.enable",
    "partitioner.availability.timeout.ms",
    "partitioner.class",
    "partitioner.ignore.keys",
    "receive.buffer.bytes",
    "reconnect.backoff.max.ms",
    "reconnect.backoff.ms",
    "request.timeout.ms",
    "retries",
    "retry.backoff.max.ms",
    "retry.backoff.ms",
    "sasl.client.callback.handler.class",
    "sasl.jaas.config",
    "sasl.kerberos.kinit.cmd",
    "sasl.kerberos.min.time.before.relogin",
    "sasl.kerberos.service.name",
    "sasl.kerberos.ticket.renew.jitter",
    "sasl.kerberos.ticket.renew.window.factor",
    "sasl.login.callback.handler.class",
    "sasl.login.class",
    "sasl.login.connect.timeout.ms",
    "sasl.login.read.timeout.ms",
    "sasl.login.refresh.buffer.seconds",
    "sasl.login.refresh.min.period.seconds",
    "sasl.login.refresh.window.factor",
    "sasl.login.refresh.window.jitter",
    "sasl.login.retry.backoff.max.ms",
    "sasl.login.retry.backoff.ms",
    "sasl.mechanism",
    "sasl.oauthbearer.assertion.algorithm",
    "sasl.oauthbearer.assertion.claim.aud",
    "sasl.oauthbearer.assertion.claim.exp.seconds",
    "sasl.oauthbearer.assertion.claim.iss",
    "sasl.oauthbearer.assertion.claim.jti.include",
    "sasl.oauthbearer.assertion.claim.nbf.seconds",
    "sasl.oauthbearer.assertion.claim.sub",
    "sasl.oauthbearer.assertion.file",
    "sasl.oauthbearer.assertion.private.key.file",
    "sasl.oauthbearer.assertion.private.key.passphrase",
    "sasl.oauthbearer.assertion.template.file",
    "sasl.oauthbearer.client.credentials.client.id",
    "sasl.oauthbearer.client.credentials.client.secret",
    "sasl.oauthbearer.clock.skew.seconds",
    "sasl.oauthbearer.expected.audience",
    "sasl.oauthbearer.expected.issuer",
    "sasl.oauthbearer.header.urlencode",
    "sasl.oauthbearer.jwks.endpoint.refresh.ms",
    "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms",
    "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms",
    "sasl.oauthbearer.jwks.endpoint.url",
    "sasl.oauthbearer.jwt.retriever.class",
    "sasl.oauthbearer.jwt.validator.class",
    "sasl.oauthbearer.scope",
    "sasl.oauthbearer.scope.claim.name",
    "sasl.oauthbearer.sub.claim.name",
    "sasl.oauthbearer.token.endpoint.url",
    "security.protocol",
    "security.providers",
    "send.buffer.bytes",
    "session.timeout.ms",
    "share.acknowledgement.mode",
    "socket.connection.setup.timeout.max.ms",
    "socket.connection.setup.timeout.ms",
    "ssl.cipher.suites",
    "ssl.enabled.protocols",
    "ssl.endpoint.identification.algorithm",
    "ssl.engine.factory.class",
    "ssl.key.password",
    "ssl.keymanager.algorithm",
    "ssl.keystore.certificate.chain",
    "ssl.keystore.key",
    "ssl.keystore.location",
    "ssl.keystore.password",
    "ssl.keystore.type",
    "ssl.protocol",
    "ssl.provider",
    "ssl.secure.random.implementation",
    "ssl.trustmanager.algorithm",
    "ssl.truststore.certificates",
    "ssl.truststore.location",
    "ssl.truststore.password",
    "ssl.truststore.type",
    "transaction.timeout.ms",
    "transaction.two.phase.commit.enable",
    "transactional.id",
    "value.deserializer",
    "value.serializer",
];

/// Java client keys that not every version has: (key, first version, first version without it).
/// Same sources as `JAVA_CLIENT_KEYS`; a key outside its range is ignored by that client.
pub const JAVA_KEY_VERSIONS: &[(&str, Version, Option<Version>)] = &[
    ("allow.auto.create.topics", Version::new(2, 3, 0), None),
    ("auto.include.jmx.reporter", Version::new(3, 4, 0), Some(Version::new(4, 0, 0))),
    ("client.dns.lookup", Version::new(2, 1, 0), None),
    ("client.rack", Version::new(2, 3, 0), None),
    ("compression.gzip.level", Version::new(3, 8, 0), None),
    ("compression.lz4.level", Version::new(3, 8, 0), None),
    ("compression.zstd.level", Version::new(3, 8, 0), None),
    ("delivery.timeout.ms", Version::new(2, 1, 0), None),
    ("enable.metrics.push", Version::new(3, 7, 0), None),
    ("group.instance.id", Version::new(2, 3, 0), None),
    ("group.protocol", Version::new(3, 7, 0), None),
    ("group.remote.assignor", Version::new(3, 7, 0), None),
    ("metadata.max.idle.ms", Version::new(2, 5, 0), None),
    ("metadata.recovery.rebootstrap.trigger.ms", Version::new(4, 0, 0), None),
    ("metadata.recovery.strategy", Version::new(3, 8, 0), None),
    ("partitioner.adaptive.partitioning.enable", Version::new(3, 3, 0), None),
    ("partitioner.availability.timeout.ms", Version::new(3, 3, 0), None),
    ("partitioner.ignore.keys", Version::new(3, 3, 0), None),
    ("retry.backoff.max.ms", Version::new(3, 7, 0), None),
    ("sasl.login.connect.timeout.ms", Version::new(3, 1, 0), None),
    ("sasl.login.read.timeout.ms", Version::new(3, 1, 0), None),
    ("sasl.login.retry.backoff.max.ms", Version::new(3, 1, 0), None),
    ("sasl.login.retry.backoff.ms", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.assertion.algorithm", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.claim.aud", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.claim.exp.seconds", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.claim.iss", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.claim.jti.include", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.claim.nbf.seconds", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.claim.sub", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.file", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.private.key.file", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.private.key.passphrase", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.assertion.template.file", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.client.credentials.client.id", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.client.credentials.client.secret", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.clock.skew.seconds", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.expected.audience", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.expected.issuer", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.header.urlencode", Version::new(3, 9, 0), None),
    ("sasl.oauthbearer.jwks.endpoint.refresh.ms", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.jwks.endpoint.retry.backoff.ms", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.jwks.endpoint.url", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.jwt.retriever.class", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.jwt.validator.class", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.scope", Version::new(4, 1, 0), None),
    ("sasl.oauthbearer.scope.claim.name", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.sub.claim.name", Version::new(3, 1, 0), None),
    ("sasl.oauthbearer.token.endpoint.url", Version::new(3, 1, 0), None),
    ("security.providers", Version::new(2, 4, 0), None),
    ("share.acknowledgement.mode", Version::new(4, 1, 0), None),
    ("socket.connection.setup.timeout.max.ms", Version::new(2, 7, 0), None),
    ("socket.connection.setup.timeout.ms", Version::new(2, 7, 0), None),
    ("ssl.engine.factory.class", Version::new(2, 6, 0), None),
    ("ssl.keystore.certificate.chain", Version::new(2, 7, 0), None),
    ("ssl.keystore.key", Version::new(2, 7, 0), None),
    ("ssl.truststore.certificates", Version::new(2, 7, 0), None),
    ("transaction.two.phase.commit.enable", Version::new(4, 1, 0), None),
];

/// Every librdkafka property (global and topic), CONFIGURATION.md @ v2.15.0.
pub const RDK_ALL_KEYS: &[&str] = &[
    "acks",
    "allow.auto.create.topics",
    "api.version.fallback.ms",
    "api.version.request",
    "api.version.request.timeout.ms",
    "auto.commit.enable",
    "auto.commit.interval.ms",
    "auto.offset.reset",
    "background_event_cb",
    "batch.num.messages",
    "batch.size",
    "bootstrap.servers",
    "broker.address.family",
    "broker.address.ttl",
    "broker.version.fallback",
    "builtin.features",
    "check.crcs",
    "client.dns.lookup",
    "client.id",
    "client.rack",
    "closesocket_cb",
    "compression.codec",
    "compression.level",
    "compression.type",
    "connect_cb",
    "connections.max.idle.ms",
    "consume.callback.max.messages",
    "consume_cb",
    "coordinator.query.interval.ms",
    "debug",
    "default_topic_conf",
    "delivery.report.only.error",
    "delivery.timeout.ms",
    "dr_cb",
    "dr_msg_cb",
    "enable.auto.commit",
    "enable.auto.offset.store",
    "enable.gapless.guarantee",
    "enable.idempotence",
    "enable.metrics.push",
    "enable.partition.eof",
    "enable.random.seed",
    "enable.sasl.oauthbearer.unsecure.jwt",
    "enable.ssl.certificate.verification",
    "enabled_events",
    "error_cb",
    "fetch.error.backoff.ms",
    "fetch.max.bytes",
    "fetch.message.max.bytes",
    "fetch.min.bytes",
    "fetch.queue.backoff.ms",
    "fetch.wait.max.ms",
    "group.id",
    "group.instance.id",
    "group.protocol",
    "group.protocol.type",
    "group.remote.assignor",
    "heartbeat.interval.ms",
    "https.ca.location",
    "https.ca.pem",
    "interceptors",
    "internal.termination.signal",
    "isolation.level",
    "linger.ms",
    "log.connection.close",
    "log.queue",
    "log.thread.name",
    "log_cb",
    "log_level",
    "max.in.flight",
    "max.in.flight.requests.per.connection",
    "max.partition.fetch.bytes",
    "max.poll.interval.ms",
    "max.poll.records",
    "message.copy.max.bytes",
    "message.max.bytes",
    "message.send.max.retries",
    "message.timeout.ms",
    "metadata.broker.list",
    "metadata.max.age.ms",
    "metadata.recovery.rebootstrap.trigger.ms",
    "metadata.recovery.strategy",
    "msg_order_cmp",
    "oauthbearer_token_refresh_cb",
    "offset.store.method",
    "offset.store.path",
    "offset.store.sync.interval.ms",
    "offset_commit_cb",
    "opaque",
    "open_cb",
    "partition.assignment.strategy",
    "partitioner",
    "partitioner_cb",
    "plugin.library.paths",
    "produce.offset.report",
    "queue.buffering.backpressure.threshold",
    "queue.buffering.max.kbytes",
    "queue.buffering.max.messages",
    "queue.buffering.max.ms",
    "queued.max.messages.kbytes",
    "queued.min.messages",
    "queuing.strategy",
    "rebalance_cb",
    "receive.message.max.bytes",
    "reconnect.backoff.jitter.ms",
    "reconnect.backoff.max.ms",
    "reconnect.backoff.ms",
    "request.required.acks",
    "request.timeout.ms",
    "resolve_cb",
    "retries",
    "retry.backoff.max.ms",
    "retry.backoff.ms",
    "sasl.kerberos.keytab",
    "sasl.kerberos.kinit.cmd",
    "sasl.kerberos.min.time.before.relogin",
    "sasl.kerberos.principal",
    "sasl.kerberos.service.name",
    "sasl.mechanism",
    "sasl.mechanisms",
    "sasl.oauthbearer.assertion.algorithm",
    "sasl.oauthbearer.assertion.claim.aud",
    "sasl.oauthbearer.assertion.claim.exp.seconds",
    "sasl.oauthbearer.assertion.claim.iss",
    "sasl.oauthbearer.assertion.claim.jti.include",
    "sasl.oauthbearer.assertion.claim.nbf.seconds",
    "sasl.oauthbearer.assertion.claim.sub",
    "sasl.oauthbearer.assertion.file",
    "sasl.oauthbearer.assertion.jwt.template.file",
    "sasl.oauthbearer.assertion.private.key.file",
    "sasl.oauthbearer.assertion.private.key.passphrase",
    "sasl.oauthbearer.assertion.private.key.pem",
    "sasl.oauthbearer.client.credentials.client.id",
    "sasl.oauthbearer.client.credentials.client.secret",
    "sasl.oauthbearer.client.id",
    "sasl.oauthbearer.client.secret",
    "sasl.oauthbearer.config",
    "sasl.oauthbearer.extensions",
    "sasl.oauthbearer.grant.type",
    "sasl.oauthbearer.metadata.authentication.type",
    "sasl.oauthbearer.method",
    "sasl.oauthbearer.scope",
    "sasl.oauthbearer.sub.claim.name",
    "sasl.oauthbearer.token.endpoint.url",
    "sasl.password",
    "sasl.username",
    "security.protocol",
    "session.timeout.ms",
    "share.acknowledgement.mode",
    "socket.blocking.max.ms",
    "socket.connection.setup.timeout.ms",
    "socket.keepalive.enable",
    "socket.max.fails",
    "socket.nagle.disable",
    "socket.receive.buffer.bytes",
    "socket.send.buffer.bytes",
    "socket.timeout.ms",
    "socket_cb",
    "ssl.ca.certificate.stores",
    "ssl.ca.location",
    "ssl.ca.pem",
    "ssl.certificate.location",
    "ssl.certificate.pem",
    "ssl.certificate.verify_cb",
    "ssl.cipher.suites",
    "ssl.crl.location",
    "ssl.curves.list",
    "ssl.endpoint.identification.algorithm",
    "ssl.engine.id",
    "ssl.engine.location",
    "ssl.key.location",
    "ssl.key.password",
    "ssl.key.pem",
    "ssl.keystore.location",
    "ssl.keystore.password",
    "ssl.providers",
    "ssl.sigalgs.list",
    "ssl_ca",
    "ssl_certificate",
    "ssl_engine_callback_data",
    "ssl_key",
    "statistics.interval.ms",
    "stats_cb",
    "sticky.partitioning.linger.ms",
    "throttle_cb",
    "topic.blacklist",
    "topic.metadata.propagation.max.ms",
    "topic.metadata.refresh.fast.cnt",
    "topic.metadata.refresh.fast.interval.ms",
    "topic.metadata.refresh.interval.ms",
    "topic.metadata.refresh.sparse",
    "transaction.timeout.ms",
    "transactional.id",
];

/// Topic-level configs (`TopicConfig` @ 4.1.0): known; semdoc models only replication, min ISR and unclean election.
pub const TOPIC_CONFIG_KEYS: &[&str] = &[
    "cleanup.policy",
    "compression.gzip.level",
    "compression.lz4.level",
    "compression.type",
    "compression.zstd.level",
    "delete.retention.ms",
    "file.delete.delay.ms",
    "flush.messages",
    "flush.ms",
    "index.interval.bytes",
    "local.retention.bytes",
    "local.retention.ms",
    "max.compaction.lag.ms",
    "max.message.bytes",
    "message.downconversion.enable",
    "message.timestamp.after.max.ms",
    "message.timestamp.before.max.ms",
    "message.timestamp.type",
    "min.cleanable.dirty.ratio",
    "min.compaction.lag.ms",
    "min.insync.replicas",
    "preallocate",
    "remote.log.copy.disable",
    "remote.log.delete.on.disable",
    "remote.storage.enable",
    "retention.bytes",
    "retention.ms",
    "segment.bytes",
    "segment.index.bytes",
    "segment.jitter.ms",
    "segment.ms",
    "unclean.leader.election.enable",
];

/// Keys of a Spring Boot application that are not Kafka settings (`server.port`,
/// `spring.application.name`, `logging.level.root`, `management.endpoints.*`, …): the top-level
/// namespaces of Spring Boot's "Common Application Properties" appendix other than `spring.kafka`.
/// `spring.cloud.stream.` is not among them: its Kafka binder configures Kafka clients.
pub const SPRING_BOOT_NON_KAFKA_PREFIXES: &[&str] =
    &["spring.", "server.", "management.", "logging.", "info.", "debug", "trace", "banner."];

/// Spring Cloud Stream's Kafka binder settings: Kafka client settings semdoc does not map.
pub const SPRING_CLOUD_STREAM_PREFIXES: &[&str] = &["spring.cloud.stream."];

/// Defaults of the producer keys that matter, per version and client (docs/model.md §9).
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

/// Consumer defaults (docs/model.md §9): note librdkafka's `isolation.level=read_committed`.
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

/// Exact messages of the Java producer's checks (all EXEC-J confirmed, docs/model.md §9).
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
