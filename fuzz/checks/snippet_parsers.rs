//! Fuzz check: every snippet reader on arbitrary text. Must never panic, and every entry and
//! diagnostic points at a line the text has.

use semdoc::semantics::Lang;
use semdoc::semantics::parse::parse;

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for lang in [Lang::Properties, Lang::Yaml, Lang::Java, Lang::Kotlin, Lang::Python, Lang::Rust] {
        let (raw, diags) = parse(&text, lang);
        let lines = text.lines().count().max(1);
        for e in &raw.entries {
            assert!(e.line <= lines, "entry line {} beyond {lines} lines", e.line);
        }
        for d in &diags {
            assert!(d.line <= lines, "diagnostic line {} beyond {lines} lines", d.line);
        }
    }
}
