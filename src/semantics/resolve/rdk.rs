//! librdkafka's own configuration validation: its property table (`librdkafka_properties.tsv`,
//! written by `scripts/librdkafka_fixture.py` from `rd_kafka_conf_properties_show()` of librdkafka
//! 2.16.0, the text of its CONFIGURATION.md), the value parsing of `rd_kafka_conf_set()` and the
//! cross-checks of `rd_kafka_new()` (src/rdkafka_conf.c `rd_kafka_conf_finalize`,
//! `rd_kafka_topic_conf_finalize` @ v2.15.0), each with librdkafka's own message. Held to the real
//! library by tests/fixtures/clients/librdkafka.json.

use super::Rejection;
use std::collections::HashMap;
use std::sync::LazyLock;

const TABLE: &str = include_str!("librdkafka_properties.tsv");

pub const SET: &str = "rd_kafka_conf_set() error (RD_KAFKA_CONF_INVALID / RD_KAFKA_CONF_UNKNOWN)";
pub const NEW: &str = "rd_kafka_new() error (RD_KAFKA_RESP_ERR__INVALID_ARG)";
/// Topic-level checks run in `rd_kafka_new` only when a topic property was set; otherwise when the
/// first topic handle is created, which fails every `produce()` (src/rdkafka_topic.c
/// "Incompatible configuration settings for topic").
pub const TOPIC: &str =
    "rd_kafka_new() error, or \"Incompatible configuration settings for topic\" at the first produce()";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Int,
    Float,
    Bool,
    Enum,
    Flags,
    Str,
    Api,
}

#[derive(Debug)]
struct Prop {
    /// `P`, `C` or `*` (CONFIGURATION.md's C/P column).
    cp: char,
    ty: Ty,
    lo: f64,
    hi: f64,
    values: Vec<&'static str>,
    alias: &'static str,
}

/// Name → property; a name in both tables is the global one (`rd_kafka_anyconf_set` tries the
/// global table first, so the global `compression.type` rejects the topic-only `inherit`).
static PROPS: LazyLock<HashMap<&'static str, Prop>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for line in TABLE.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let f: Vec<&'static str> = line.split('\t').collect();
        let (name, cp, ty, range, alias) = (f[0], f[2], f[3], f[4], f.get(6).copied().unwrap_or(""));
        let ty = match ty {
            "integer" => Ty::Int,
            "float" => Ty::Float,
            "boolean" => Ty::Bool,
            "enum value" => Ty::Enum,
            "CSV flags" => Ty::Flags,
            "see dedicated API" => Ty::Api,
            _ => Ty::Str,
        };
        let (mut lo, mut hi, mut values) = (0.0, 0.0, Vec::new());
        match ty {
            Ty::Int | Ty::Float => {
                if let Some((a, b)) = range.split_once("..") {
                    lo = a.trim().parse().unwrap_or(0.0);
                    hi = b.trim().parse().unwrap_or(0.0);
                }
            }
            Ty::Enum | Ty::Flags => values = range.split(',').map(str::trim).collect(),
            _ => {}
        }
        m.entry(name).or_insert(Prop { cp: cp.chars().next().unwrap_or('*'), ty, lo, hi, values, alias });
    }
    m
});

/// confluent-kafka-python's own keys, handled by the wrapper and never given to librdkafka
/// (confluent_kafka `Producer`/`Consumer` docs: callbacks and the logger).
const WRAPPER_KEYS: &[&str] =
    &["error_cb", "throttle_cb", "stats_cb", "oauth_cb", "logger", "on_delivery", "on_commit", "default.topic.config"];

/// A value as librdkafka stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
}

/// What the user set, by librdkafka's canonical property name (aliases resolved).
#[derive(Debug, Default, Clone)]
pub struct Conf {
    set: HashMap<&'static str, Val>,
}

impl Conf {
    pub fn int(&self, k: &str) -> Option<i64> {
        match self.set.get(k) {
            Some(Val::Int(n)) => Some(*n),
            Some(Val::Float(f)) => Some(*f as i64),
            _ => None,
        }
    }
    pub fn float(&self, k: &str) -> Option<f64> {
        match self.set.get(k) {
            Some(Val::Float(f)) => Some(*f),
            Some(Val::Int(n)) => Some(*n as f64),
            _ => None,
        }
    }
    pub fn bool(&self, k: &str) -> Option<bool> {
        match self.set.get(k) {
            Some(Val::Bool(b)) => Some(*b),
            _ => None,
        }
    }
    pub fn str(&self, k: &str) -> Option<&str> {
        match self.set.get(k) {
            Some(Val::Str(s)) => Some(s),
            _ => None,
        }
    }
    pub fn is_set(&self, k: &str) -> bool {
        self.set.contains_key(k)
    }
}

/// Is `name` a property librdkafka knows (exact, case-sensitive: names are compared with strcmp)?
pub fn known(name: &str) -> bool {
    PROPS.contains_key(name) || WRAPPER_KEYS.contains(&name)
}

fn err(key: &str, message: String, thrown_as: &'static str) -> Rejection {
    Rejection { message, key: key.to_string(), thrown_as }
}

/// C's `strtol(s, &end, 0)` on a 64-bit long: leading space, a sign, `0x` hex or `0` octal; None
/// when no digit was read; saturates on overflow like strtol.
fn strtol(s: &str) -> Option<i64> {
    let s = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let b = s.as_bytes();
    let (radix, digits) = if (s.starts_with("0x") || s.starts_with("0X")) && b.get(2).is_some_and(u8::is_ascii_hexdigit)
    {
        (16, &s[2..])
    } else if s.starts_with('0') {
        (8, s)
    } else {
        (10, s)
    };
    let n = digits.chars().take_while(|c| c.is_digit(radix)).count();
    if n == 0 {
        return None;
    }
    let mut v: i128 = 0;
    for c in digits[..n].chars() {
        v = (v * radix as i128 + c.to_digit(radix).unwrap_or(0) as i128).min(i64::MAX as i128 + 1);
    }
    let v = if neg { -v } else { v };
    Some(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

/// C's `strtod`: the longest prefix that is a decimal float; None when there is none.
fn strtod(s: &str) -> Option<f64> {
    let s = s.trim_start();
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if i == start || (i == start + 1 && b.get(start) == Some(&b'.')) {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1 + usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            i = j;
        }
    }
    s[..i].parse().ok()
}

/// C's `%g`.
fn fmt_g(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let exp = v.abs().log10().floor() as i32;
    if (-5..6).contains(&exp) {
        let s = format!("{:.*}", (5 - exp).max(0) as usize, v);
        if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
    } else {
        let m = v / 10f64.powi(exp);
        let ms = format!("{m:.5}");
        let ms = ms.trim_end_matches('0').trim_end_matches('.');
        format!("{ms}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

impl Conf {
    /// `rd_kafka_conf_set(name, value)` (src/rdkafka_conf.c @ v2.15.0 `rd_kafka_anyconf_set_prop0`:
    /// lines 2260-2476; messages verbatim from librdkafka 2.16.0). `key` names the written key
    /// for the diagnostic's line.
    pub fn set(&mut self, key: &str, name: &str, value: &str) -> Result<(), Rejection> {
        if WRAPPER_KEYS.contains(&name) {
            return Ok(());
        }
        let Some(mut p) = PROPS.get(name) else {
            return Err(err(key, format!("No such configuration property: \"{name}\""), SET));
        };
        // An alias re-enters the setter with its target's name, so errors name the target.
        let mut canon = PROPS.get_key_value(name).map(|(k, _)| *k).unwrap_or("");
        while !p.alias.is_empty() {
            match PROPS.get_key_value(p.alias) {
                Some((k, q)) => {
                    canon = k;
                    p = q;
                }
                None => break,
            }
        }
        let n = canon;
        if value.is_empty() {
            // `""` is treated as NULL (conf.c:2557): a reset for strings, an error otherwise.
            let what = match p.ty {
                Ty::Str | Ty::Api => {
                    self.set.remove(n);
                    return Ok(());
                }
                Ty::Int => "Integer configuration",
                Ty::Float => "Float configuration",
                Ty::Bool => "Bool configuration",
                Ty::Enum | Ty::Flags => "Configuration",
            };
            return Err(err(key, format!("{what} property \"{n}\" cannot be set to empty value"), SET));
        }
        let val = match p.ty {
            Ty::Int => {
                // `acks` has the named value `all` (s2i, case-insensitive).
                let named = (n == "request.required.acks" && value.eq_ignore_ascii_case("all")).then_some(-1);
                let Some(v) = named.or_else(|| strtol(value)) else {
                    return Err(err(key, format!("Invalid value for configuration property \"{n}\""), SET));
                };
                // The long is stored in an int.
                let v = v as i32 as i64;
                if (v as f64) < p.lo || (v as f64) > p.hi {
                    return Err(err(
                        key,
                        format!(
                            "Configuration property \"{n}\" value {v} is outside allowed range {}..{}",
                            p.lo as i64, p.hi as i64
                        ),
                        SET,
                    ));
                }
                Val::Int(v)
            }
            Ty::Float => {
                let Some(v) = strtod(value) else {
                    return Err(err(key, format!("Invalid value for configuration property \"{n}\""), SET));
                };
                if v < p.lo || v > p.hi {
                    return Err(err(
                        key,
                        format!(
                            "Configuration property \"{n}\" value {} is outside allowed range {}..{}",
                            fmt_g(v),
                            fmt_g(p.lo),
                            fmt_g(p.hi)
                        ),
                        SET,
                    ));
                }
                Val::Float(v)
            }
            Ty::Bool => match value.to_ascii_lowercase().as_str() {
                "true" | "t" | "1" => Val::Bool(true),
                "false" | "f" | "0" => Val::Bool(false),
                _ => return Err(err(key, format!("Expected bool value for \"{n}\": true or false"), SET)),
            },
            Ty::Enum => match p.values.iter().find(|v| v.eq_ignore_ascii_case(value.trim())) {
                Some(v) => Val::Str(v.to_string()),
                None => {
                    return Err(err(key, format!("Invalid value \"{value}\" for configuration property \"{n}\""), SET));
                }
            },
            Ty::Flags => {
                for t in value.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                    if !p.values.iter().any(|v| v.eq_ignore_ascii_case(t)) {
                        return Err(err(key, format!("Invalid value \"{t}\" for configuration property \"{n}\""), SET));
                    }
                }
                Val::Str(value.to_ascii_lowercase())
            }
            Ty::Str | Ty::Api => Val::Str(value.to_string()),
        };
        self.set.insert(n, val);
        Ok(())
    }
}

/// Which client is created: `rd_kafka_new(RD_KAFKA_PRODUCER | RD_KAFKA_CONSUMER, …)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Producer,
    Consumer,
}

/// Set every entry, in the order written (a later write of a property or its alias wins).
pub fn configure<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Conf, Rejection> {
    let mut c = Conf::default();
    for (k, v) in entries {
        c.set(k, k, v)?;
    }
    Ok(c)
}

/// The checks of `rd_kafka_new` (src/rdkafka_conf.c @ v2.15.0 `rd_kafka_conf_finalize`
/// 4232-4732 and `rd_kafka_topic_conf_finalize` 4744-4790; messages verbatim from librdkafka
/// 2.16.0). `key_of` maps a librdkafka property to the written key (for the line).
pub fn finalize(c: &Conf, kind: Kind, key_of: &dyn Fn(&str) -> String) -> Result<Finalized, Rejection> {
    let fail = |prop: &str, m: &str, how: &'static str| Err(err(&key_of(prop), m.to_string(), how));
    let backoff = c.int("reconnect.backoff.ms").unwrap_or(100);
    let backoff_max = c.int("reconnect.backoff.max.ms").unwrap_or(10000);
    if backoff_max < backoff {
        let k = if c.is_set("reconnect.backoff.max.ms") { "reconnect.backoff.max.ms" } else { "reconnect.backoff.ms" };
        return fail(k, "`reconnect.backoff.max.ms` must be >= `reconnect.backoff.ms`", NEW);
    }
    let mut out = Finalized::default();
    match kind {
        Kind::Consumer => {
            if let Some(n) = c.int("fetch.min.bytes")
                && !(1..=100_000_000).contains(&n)
            {
                return fail(
                    "fetch.min.bytes",
                    "Configuration property \"fetch.min.bytes\" value is outside allowed range 1..100000000",
                    NEW,
                );
            }
            if c.int("fetch.max.bytes").unwrap_or(52_428_800) < c.int("message.max.bytes").unwrap_or(1_000_000) {
                return fail("fetch.max.bytes", "`fetch.max.bytes` must be >= `message.max.bytes`", NEW);
            }
            let next_gen = c.str("group.protocol") == Some("consumer");
            if next_gen {
                // KIP-848: the broker owns these (conf.c 4497-4533).
                for k in ["session.timeout.ms", "heartbeat.interval.ms"] {
                    if c.is_set(k) {
                        return fail(
                            k,
                            &format!(
                                "`{k}` is not supported for `group.protocol=consumer` or share consumer. It is defined broker side"
                            ),
                            NEW,
                        );
                    }
                }
                if c.is_set("partition.assignment.strategy") {
                    return fail(
                        "partition.assignment.strategy",
                        "`partition.assignment.strategy` is not supported for `group.protocol=consumer`. Use `group.remote.assignor` instead",
                        NEW,
                    );
                }
            } else if c.int("max.poll.interval.ms").unwrap_or(300_000) < c.int("session.timeout.ms").unwrap_or(45_000) {
                let k = if c.is_set("max.poll.interval.ms") { "max.poll.interval.ms" } else { "session.timeout.ms" };
                // sic: no space after the first name.
                return fail(k, "`max.poll.interval.ms`must be >= `session.timeout.ms`", NEW);
            }
            if let Some(s) = c.str("partition.assignment.strategy") {
                for t in s.split(',').map(str::trim) {
                    if !["range", "roundrobin", "cooperative-sticky"].contains(&t) {
                        return fail(
                            "partition.assignment.strategy",
                            &format!("Unsupported partition.assignment.strategy: {t}"),
                            NEW,
                        );
                    }
                }
            }
        }
        Kind::Producer => {
            let txn = c.str("transactional.id").is_some();
            let mut idem = c.bool("enable.idempotence").unwrap_or(false);
            let txn_timeout = c.int("transaction.timeout.ms").unwrap_or(60_000);
            if txn {
                // conf.c 4581-4602.
                if c.bool("enable.idempotence") == Some(false) {
                    return fail("transactional.id", "`transactional.id` requires `enable.idempotence=true`", NEW);
                }
                idem = true;
                if c.int("socket.timeout.ms").is_some_and(|s| s > txn_timeout + 100) {
                    return fail(
                        "socket.timeout.ms",
                        "`socket.timeout.ms` must be set <= `transaction.timeout.ms` + 100",
                        NEW,
                    );
                }
            }
            let in_flight = c.int("max.in.flight.requests.per.connection");
            let retries = c.int("message.send.max.retries");
            if idem {
                // conf.c 4607-4642: explicit conflicting values are errors; unset ones adjusted.
                if in_flight.is_some_and(|n| n > 5) {
                    return fail(
                        "max.in.flight.requests.per.connection",
                        "`max.in.flight` must be set <= 5 when `enable.idempotence` is true",
                        NEW,
                    );
                }
                if retries.is_some_and(|n| n < 1) {
                    return fail(
                        "message.send.max.retries",
                        "`retries` must be set >= 1 when `enable.idempotence` is true",
                        NEW,
                    );
                }
                if c.int("queue.buffering.backpressure.threshold").is_some_and(|n| n > 1) {
                    return fail(
                        "queue.buffering.backpressure.threshold",
                        "`queue.buffering.backpressure.threshold` must be set to 1 when `enable.idempotence` is true",
                        NEW,
                    );
                }
            }
            if c.bool("enable.gapless.guarantee") == Some(true) && !idem {
                return fail(
                    "enable.gapless.guarantee",
                    "`enable.gapless.guarantee` requires `enable.idempotence` to be enabled",
                    NEW,
                );
            }
            // Topic-level checks (conf.c 4744-4790).
            let acks = c.int("request.required.acks").unwrap_or(-1);
            if idem && acks != -1 {
                return fail(
                    "request.required.acks",
                    "`acks` must be set to `all` when `enable.idempotence` is true",
                    TOPIC,
                );
            }
            if idem && c.str("queuing.strategy") == Some("lifo") {
                return fail(
                    "queuing.strategy",
                    "`queuing.strategy` must be set to `fifo` when `enable.idempotence` is true",
                    TOPIC,
                );
            }
            let mut msg_timeout = c.int("message.timeout.ms").unwrap_or(300_000);
            if txn {
                if c.is_set("message.timeout.ms") && msg_timeout > txn_timeout {
                    return fail(
                        "message.timeout.ms",
                        "`message.timeout.ms` must be set <= `transaction.timeout.ms`",
                        TOPIC,
                    );
                }
                if !c.is_set("message.timeout.ms") {
                    msg_timeout = txn_timeout;
                }
            }
            let mut linger = c.float("queue.buffering.max.ms").unwrap_or(5.0);
            if msg_timeout != 0 && msg_timeout as f64 <= linger {
                if c.is_set("queue.buffering.max.ms") {
                    return fail("message.timeout.ms", "`message.timeout.ms` must be greater than `linger.ms`", TOPIC);
                }
                // Unset linger is lowered silently (conf.c 4714-4716).
                linger = msg_timeout as f64 - 0.1;
            }
            out = Finalized {
                idempotent: idem,
                acks,
                retries: retries.unwrap_or(i32::MAX as i64),
                in_flight: if idem { in_flight.unwrap_or(5).min(5) } else { in_flight.unwrap_or(1_000_000) },
                message_timeout_ms: msg_timeout,
                linger_ms: linger,
                request_timeout_ms: c.int("request.timeout.ms").unwrap_or(30_000),
                transactional: txn,
            };
        }
    }
    Ok(out)
}

/// The producer settings librdkafka runs with after `rd_kafka_new`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Finalized {
    pub idempotent: bool,
    /// -1 = all.
    pub acks: i64,
    pub retries: i64,
    pub in_flight: i64,
    pub message_timeout_ms: i64,
    pub linger_ms: f64,
    pub request_timeout_ms: i64,
    pub transactional: bool,
}

/// librdkafka's canonical name for a property or alias (`acks` → `request.required.acks`).
pub fn canonical(name: &str) -> Option<&'static str> {
    let (mut k, mut p) = PROPS.get_key_value(name)?;
    while !p.alias.is_empty() {
        match PROPS.get_key_value(p.alias) {
            Some((k2, q)) => {
                k = k2;
                p = q;
            }
            None => break,
        }
    }
    Some(*k)
}

/// The client a property is for (`P`, `C` or `*`), after aliases; None when unknown.
pub fn client_of(name: &str) -> Option<char> {
    let mut p = PROPS.get(name)?;
    while !p.alias.is_empty() {
        match PROPS.get(p.alias) {
            Some(q) => p = q,
            None => break,
        }
    }
    Some(p.cp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_number_parsing() {
        assert_eq!(strtol("1abc"), Some(1));
        assert_eq!(strtol(" 0x10"), Some(16));
        assert_eq!(strtol("010"), Some(8));
        assert_eq!(strtol("-5"), Some(-5));
        assert_eq!(strtol("abc"), None);
        assert_eq!(strtol("9999999999999").map(|v| v as i32), Some(1_316_134_911));
        assert_eq!(strtod("0.5x"), Some(0.5));
        assert_eq!(strtod("x"), None);
        assert_eq!(fmt_g(1e7), "1e+07");
        assert_eq!(fmt_g(900001.0), "900001");
        assert_eq!(fmt_g(-1.0), "-1");
    }

    #[test]
    fn the_table_is_librdkafkas() {
        assert!(PROPS.len() > 150, "{}", PROPS.len());
        assert_eq!(client_of("acks"), Some('P'));
        assert_eq!(client_of("isolation.level"), Some('C'));
        assert_eq!(client_of("max.in.flight"), Some('*'));
        assert!(!known("key.serializer"));
    }
}
