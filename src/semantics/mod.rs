//! The Kafka delivery-semantics classifier: config model, per-version facts, model checker, traces.
//! Free of Markdown, HTML and IO, so that it could be a crate of its own.
pub mod check;
pub mod params;
