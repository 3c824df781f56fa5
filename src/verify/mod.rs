//! Verification: binding executable snippets and guarantee tables to the Kafka classifier.
pub mod binding;
