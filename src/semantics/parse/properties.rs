//! Java `.properties` snippets (`java.util.Properties#load` syntax), Spring Boot names mapped by `spring::bind`.

use super::{Entry, RawConfig, spring};
use crate::semantics::Diag;

/// Java `.properties`: `#`/`!` comments, `=`, `:` or whitespace separators, `\` continuations.
pub fn parse_properties(text: &str) -> (RawConfig, Vec<Diag>) {
    let mut written = Vec::new();
    let mut diags = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let mut logical = lines[i].trim_start().to_string();
        let col = lines[i].len() - lines[i].trim_start().len() + 1;
        while logical.ends_with('\\') && !logical.ends_with("\\\\") && i + 1 < lines.len() {
            logical.pop();
            i += 1;
            logical.push_str(lines[i].trim_start());
        }
        i += 1;
        let l = logical.trim_end();
        if l.is_empty() || l.starts_with('#') || l.starts_with('!') {
            continue;
        }
        // java.util.Properties#load: the key ends at the first unescaped '=', ':', space, tab or
        // form feed (other Unicode spaces belong to the key).
        let sep = l.find(['=', ':', ' ', '\t', '\x0c']);
        let (k, v) = match sep {
            // The separator may be a multi-byte space (U+00A0, U+3000, …): skip the whole character.
            Some(p) => {
                let width = l[p..].chars().next().map_or(1, char::len_utf8);
                (&l[..p], l[p + width..].trim_start_matches([' ', '\t', '=', ':']).trim())
            }
            None => (l, ""),
        };
        let key = unescape(k.trim());
        if key.is_empty() || key.contains(char::is_whitespace) {
            diags.push(
                Diag::error("parse", start + 1, col, format!("cannot read `{l}` as `key=value`"))
                    .hint("write one setting per line, e.g. `acks=all`"),
            );
            continue;
        }
        if sep.is_none() {
            diags.push(
                Diag::error("parse", start + 1, col, format!("`{key}` has no value"))
                    .hint(format!("write `{key}=<value>`")),
            );
            continue;
        }
        written.push(Entry { key, value: unescape(v), line: start + 1, col });
    }
    let entries = spring::bind(written, &mut diags);
    (RawConfig { entries, ..Default::default() }, diags)
}

fn unescape(s: &str) -> String {
    let mut o = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => o.push('\n'),
                Some('t') => o.push('\t'),
                Some(c) => o.push(c),
                None => {}
            }
        } else {
            o.push(c);
        }
    }
    o
}
