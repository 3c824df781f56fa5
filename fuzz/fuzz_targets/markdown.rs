//! cargo-fuzz target: Markdown rendering of arbitrary text. Must never panic.
//! The check itself is `fuzz/checks/markdown.rs`, which `tests/cli/fuzz.rs` also runs on stable.
#![no_main]

#[path = "../checks/markdown.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
