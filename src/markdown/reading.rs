//! Reading time and summaries, right for Korean.
//!
//! Korean is read by syllable, not by space-separated word: particles and endings attach to words
//! (`멱등성을`), so counting words undercounts. The rule: Hangul and other CJK characters at
//! 500 characters per minute (the figure commonly used for Korean silent reading and by Korean
//! blogging platforms; an assumption, not a measured value), plus words of other scripts at
//! 230 words per minute (English silent reading, Brysbaert 2019: ~238 wpm); code is not counted.
//! Minutes = ceil(cjk / 500 + words / 230), at least 1 for a page with any text.

#[derive(Debug, Default, Clone, Copy)]
pub struct TextStats {
    pub cjk_chars: usize,
    pub words: usize,
}

pub const CJK_PER_MINUTE: f64 = 500.0;
pub const WORDS_PER_MINUTE: f64 = 230.0;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F // Hangul syllables and jamo
        | 0x4E00..=0x9FFF | 0x3400..=0x4DBF // CJK ideographs
        | 0x3040..=0x30FF) // kana
}

impl TextStats {
    pub fn add_text(&mut self, t: &str) {
        let mut in_word = false;
        for c in t.chars() {
            if is_cjk(c) {
                self.cjk_chars += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                if !in_word {
                    self.words += 1;
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
    }

    pub fn minutes(&self) -> u32 {
        if self.cjk_chars == 0 && self.words == 0 {
            return 0;
        }
        let m = self.cjk_chars as f64 / CJK_PER_MINUTE + self.words as f64 / WORDS_PER_MINUTE;
        (m.ceil() as u32).max(1)
    }
}

/// The first `max` characters of `text` with whitespace collapsed, cut at a word boundary with "…".
pub fn summarize(text: &str, max: usize) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max {
        return t;
    }
    let cut: String = t.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_counts_syllables_and_english_counts_words() {
        let mut s = TextStats::default();
        s.add_text("멱등성을 설정한다 acks=all and enable.idempotence");
        assert_eq!(s.cjk_chars, 8);
        assert_eq!(s.words, 5, "acks, all, and, enable, idempotence");
        assert_eq!(s.minutes(), 1);
        let mut long = TextStats::default();
        long.add_text(&"가".repeat(1001));
        assert_eq!(long.minutes(), 3);
        assert_eq!(TextStats::default().minutes(), 0);
    }

    #[test]
    fn summaries_cut_at_words() {
        assert_eq!(summarize("a  b\nc", 160), "a b c");
        assert_eq!(summarize("one two three four", 9), "one two…");
    }
}
