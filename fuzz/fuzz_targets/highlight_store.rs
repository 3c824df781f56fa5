//! cargo-fuzz target: the highlighted-block store read from arbitrary bytes. Must never panic, and a block
//! whose record the bytes do not hold is highlighted afresh, exactly as syntect highlights it.
//! The check itself is `fuzz/checks/highlight_store.rs`, which `tests/cli/fuzz.rs` also runs on stable.
#![no_main]

#[path = "../checks/highlight_store.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
