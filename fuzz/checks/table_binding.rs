//! Fuzz check: the readers of semdoc's fence attributes, table markers, level cells and inline
//! settings on arbitrary text. Must never panic.

use semdoc::verify::binding;
use std::path::Path;

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("content/posts/fuzz.md");
    let _ = binding::parse_table_marker(&text, path, 7);
    let _ = binding::parse_snippet_info(&text, path, 7);
    let _ = binding::parse_level(&text);
    let spans: Vec<String> = text.split('`').map(str::to_string).collect();
    let _ = binding::settings_in_code(&spans);
}
