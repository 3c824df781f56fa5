//! Fuzz target: the `semdoc-table` marker, a snippet's fence info string, a level cell, and
//! `key=value` settings in code spans. Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use semdoc::verify::binding;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("content/posts/fuzz.md");
    let _ = binding::parse_table_marker(&text, path, 7);
    let _ = binding::parse_snippet_info(&text, path, 7);
    let _ = binding::parse_level(&text);
    let spans: Vec<String> = text.split('`').map(str::to_string).collect();
    let _ = binding::settings_in_code(&spans);
});
