//! Heading ids by GitHub's rule (also Jekyll kramdown GFM's, Hugo's and mdBook's): NFC-normalise,
//! lowercase, keep Unicode letters, marks, digits, `-` and `_`, turn spaces into `-`, drop the rest,
//! and de-duplicate in document order with `-1`, `-2`, ….

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' || is_mark(c) {
            out.push(c);
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Combining marks (general category M) survive GitHub's punctuation filter.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Hands out unique ids in document order.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// Reserve an explicit id (`{#custom}`) so generated ids do not collide with it.
    pub fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    pub fn unique(&mut self, base: &str) -> String {
        let Some(&start) = self.seen.get(base) else {
            self.seen.insert(base.to_string(), 0);
            return base.to_string();
        };
        let mut n = start;
        loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.seen.contains_key(&candidate) {
                self.seen.insert(base.to_string(), n);
                self.seen.insert(candidate.clone(), 0);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_rule() {
        for (t, id) in [
            ("메세지 전달 보장 수준 (Messaging Semantic)", "메세지-전달-보장-수준-messaging-semantic"),
            ("카프카의 메세지 전달 보장 수준", "카프카의-메세지-전달-보장-수준"),
            ("No guarantee", "no-guarantee"),
            ("At most once", "at-most-once"),
            ("정리", "정리"),
            ("Hello, World! 2.0", "hello-world-20"),
            ("`acks=all` 설정", "acksall-설정"),
            ("snake_case and-dash", "snake_case-and-dash"),
            ("  two  spaces ", "--two--spaces-"),
            ("Emoji 🚀 rocket", "emoji--rocket"),
            ("Café", "café"),
        ] {
            assert_eq!(slugify(t), id, "{t}");
        }
    }

    #[test]
    fn nfc_normalises_decomposed_hangul() {
        let decomposed: String = "정리".nfd().collect();
        assert_eq!(slugify(&decomposed), "정리");
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut s = Slugger::default();
        s.reserve("a-1");
        assert_eq!(s.unique("a"), "a");
        assert_eq!(s.unique("a"), "a-2");
        assert_eq!(s.unique("a"), "a-3");
        assert_eq!(s.unique("b"), "b");
    }
}
