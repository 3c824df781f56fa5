//! Fuzz check: Markdown rendering of arbitrary text, with and without Liquid first. Must never panic.

use semdoc::markdown::{MarkdownOptions, liquid, render_markdown, render_page};

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = render_markdown(&text, &MarkdownOptions::default());
    let mut ctx = liquid::Context { base_path: "/b".into(), base_url: "https://x.y/b".into(), ..Default::default() };
    ctx.page.insert("title".into(), liquid::Value::Str("T".into()));
    ctx.includes = std::sync::Arc::new([("a.html".to_string(), text.to_string())].into());
    let _ = render_page(&text, &MarkdownOptions::default(), Some(&ctx));
}
