//! cargo-fuzz target: the whole classifier (parse, resolve, check) on arbitrary snippets with options
//! picked from the input's first bytes. Must never panic, must stay within the default bounds, and
//! must answer with one of the verdicts docs/model.md §1 defines.
//! The check itself is `fuzz/checks/classifier.rs`, which `tests/cli/fuzz.rs` also runs on stable.
#![no_main]

#[path = "../checks/classifier.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
