//! Fuzz target: the highlighted-blocks store read from arbitrary (damaged, truncated, foreign)
//! cache bytes. Must never panic reading, compacting or using it; a code
//! block not in the store is exactly what syntect makes of it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use semdoc::markdown::{Fragments, MarkdownOptions, render_markdown};

fuzz_target!(|data: &[u8]| {
    // Half the inputs start with the file's magic, so the record parser is reached.
    let bytes = if data.first().is_some_and(|b| b & 1 == 1) {
        [Fragments::MAGIC, &data[1..]].concat()
    } else {
        data.to_vec()
    };
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
});
