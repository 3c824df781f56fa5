//! Fuzz check: the highlighted-block store read from arbitrary bytes. Must never panic, and a block
//! whose record the bytes do not hold is highlighted afresh, exactly as syntect highlights it.

use semdoc::markdown::{Fragments, MarkdownOptions, render_markdown};

pub fn check(data: &[u8]) {
    // Half the inputs start with the file's magic, so the record parser is reached.
    let bytes =
        if data.first().is_some_and(|b| b & 1 == 1) { [Fragments::MAGIC, &data[1..]].concat() } else { data.to_vec() };
    let store = std::sync::Arc::new(Fragments::new(bytes, Box::new(std::io::sink())));
    let (stored, used, _) = store.counts();
    assert!(used <= stored);
    let mut out = Vec::new();
    store.write_used(&mut out).expect("writing to memory");
    let md = "```java\nint x = 1;\n```\n";
    let with = render_markdown(md, &MarkdownOptions { fragments: Some(store.clone()), ..Default::default() });
    let without = render_markdown(md, &MarkdownOptions::default());
    // Unless the input spelled this block's 128-bit key with a valid record, the block was
    // highlighted afresh and must be exactly syntect's.
    if store.counts().1 == used {
        assert_eq!(with.html, without.html);
    }
}
