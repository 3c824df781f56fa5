//! semdoc: a static documentation site generator whose Kafka examples are executable.
//!
//! The crate is a pipeline (see `pipeline`): content is loaded, front matter validated, Markdown
//! rendered and highlighted, templates applied, and the site written atomically. `main.rs` is a
//! thin CLI over `pipeline::build` and `pipeline::check`.

pub mod cache;
pub mod config;
pub mod content;
pub mod diag;
pub mod html;
pub mod i18n;
pub mod init;
pub mod lint;
pub mod markdown;
pub mod memo;
pub mod output;
pub mod pipeline;
pub mod playground;
pub mod render;
pub mod report;
pub mod semantics;
pub mod serve;
pub mod verify;

pub use pipeline::{BuildOptions, Report, build, check};
