//! cargo-fuzz target: the readers of semdoc's fence attributes, table markers, level cells and inline
//! settings on arbitrary text. Must never panic.
//! The check itself is `fuzz/checks/table_binding.rs`, which `tests/cli/fuzz.rs` also runs on stable.
#![no_main]

#[path = "../checks/table_binding.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
