//! Fuzz check: Markdown rendering of arbitrary text. Must never panic.

use semdoc::markdown::{MarkdownOptions, render_markdown};

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = render_markdown(&text, &MarkdownOptions::default());
}
