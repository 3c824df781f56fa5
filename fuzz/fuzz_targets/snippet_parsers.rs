//! cargo-fuzz target: every snippet reader on arbitrary text. Must never panic, and every entry and
//! diagnostic points at a line the text has.
//! The check itself is `fuzz/checks/snippet_parsers.rs`, which `tests/cli/fuzz.rs` also runs on stable.
#![no_main]

#[path = "../checks/snippet_parsers.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
