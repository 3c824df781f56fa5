//! The classifier's option space as the playground offers it: representative Kafka versions, the
//! client families and the fault models. Here (not in `playground`) so that `render`, which draws
//! the playground page's selectors, and `playground`, which precomputes its answers, share one list
//! without depending on each other.

/// Versions offered: each is a distinct row of the version tables (docs/model.md §9). 2.0: before
/// KIP-91 (retries default 0); 2.8: the seed article's version; 3.0 and 3.1: KIP-679's defaults not
/// applied (KAFKA-13598), fixed in 3.0.1; 3.9: the last 3.x; 4.0: KIP-1030 and KAFKA-17927; 4.1: ELR
/// on by default (KIP-966).
pub const VERSIONS: &[&str] = &["2.0", "2.8", "3.0", "3.0.1", "3.1", "3.9", "4.0", "4.1"];
pub const CLIENTS: &[&str] = &["java", "librdkafka"];
pub const FAULTS: &[&str] = &["kafka-promise", "power-loss"];
