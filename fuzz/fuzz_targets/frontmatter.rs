//! cargo-fuzz target: front matter splitting and parsing (dates, keys, YAML) of one Markdown file, and
//! the same bytes as `site.yaml`. Must never panic; problems are diagnostics.
//! The check itself is `fuzz/checks/frontmatter.rs`, which `tests/cli/fuzz.rs` also runs on stable.
#![no_main]

#[path = "../checks/frontmatter.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::check(data));
