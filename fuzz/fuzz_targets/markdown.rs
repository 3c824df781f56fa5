//! Fuzz target: Markdown rendering (pulldown-cmark, heading ids, TOC, syntect highlighting, code
//! block and table hooks). Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use semdoc::markdown::{MarkdownOptions, render_markdown};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = render_markdown(&text, &MarkdownOptions::default());
});
