//! The static search index: Korean by character bigrams (particles and endings attach to words, so
//! `멱등성을` must find `멱등성은`), other scripts by words, and config keys (`enable.idempotence`)
//! both whole and by their parts. `static/js/search.js` tokenizes queries the same way.
//!
//! Format (`/search/index.json`): `{"docs": [[title, url, excerpt]], "index": {token: [doc, weight, …]}}`
//! where weight is 8 per title hit, 4 per heading hit and 1 per body hit, capped at 255.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3 | 0x3130..=0x318F | 0x1100..=0x11FF)
}

/// Tokens of a text: Hangul bigrams (a lone syllable stays a unigram), lowercase words, and dotted
/// keys whole and split.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = text.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_hangul(c) {
            let start = i;
            while i < chars.len() && is_hangul(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            if run.len() == 1 {
                out.push(run[0].to_string());
            } else {
                for w in run.windows(2) {
                    out.push(w.iter().collect());
                }
            }
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() && !is_hangul(chars[i]) || matches!(chars[i], '.' | '_' | '-'))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().trim_matches(['.', '_', '-']).to_string();
            let parts: Vec<&str> = word.split(['.', '_', '-']).filter(|p| !p.is_empty()).collect();
            if parts.len() > 1 {
                out.push(word.clone());
            }
            out.extend(parts.into_iter().map(str::to_string));
        } else {
            i += 1;
        }
    }
    out
}

pub struct SearchDoc<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub headings: Vec<&'a str>,
    pub body: &'a str,
}

/// (title, url, excerpt) of one document in the index.
pub type DocEntry = (String, String, String);

#[derive(Serialize)]
struct Index<'a> {
    docs: Vec<&'a DocEntry>,
    index: BTreeMap<&'a str, Vec<u32>>,
}

/// One document's part of the index: its tokens with weights, and its result entry. The tokens
/// live in one string (`(start, end, weight)` spans into it): a `String` per token made the
/// tokens of 10 000 pages the largest thing a build held.
#[derive(Debug)]
pub struct DocTokens {
    text: String,
    spans: Vec<(u32, u32, u32)>,
    entry: DocEntry,
}

impl DocTokens {
    /// (token, weight) pairs, sorted by token.
    pub fn tokens(&self) -> impl Iterator<Item = (&str, u32)> {
        self.spans.iter().map(|&(s, e, w)| (&self.text[s as usize..e as usize], w))
    }
}

/// Tokenize one document: 8 per title hit, 4 per heading hit, 1 per body hit. Excerpts keep the
/// first ~1500 characters of the body for result snippets.
pub fn doc_tokens(d: &SearchDoc) -> DocTokens {
    let mut weights: HashMap<String, u32> = HashMap::new();
    let mut add = |text: &str, w: u32| {
        for t in tokenize(text) {
            *weights.entry(t).or_default() += w;
        }
    };
    add(d.title, 8);
    for h in &d.headings {
        add(h, 4);
    }
    add(d.body, 1);
    let mut excerpt = String::new();
    for word in d.body.split_whitespace() {
        if excerpt.len() >= 6000 {
            break;
        }
        if !excerpt.is_empty() {
            excerpt.push(' ');
        }
        excerpt.push_str(word);
    }
    let excerpt: String = excerpt.chars().take(1500).collect();
    let mut tokens: Vec<(String, u32)> = weights.into_iter().collect();
    tokens.sort();
    let mut text = String::with_capacity(tokens.iter().map(|(t, _)| t.len()).sum());
    let spans = tokens
        .iter()
        .map(|(t, w)| {
            let start = text.len() as u32;
            text.push_str(t);
            (start, text.len() as u32, *w)
        })
        .collect();
    DocTokens { text, spans, entry: (d.title.to_string(), d.url.to_string(), excerpt) }
}

/// The index JSON from every document's tokens, in document order (so postings stay sorted).
pub fn assemble<D: std::ops::Deref<Target = DocTokens>>(docs: &[D]) -> String {
    let mut index: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut out_docs = Vec::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        for (t, w) in d.tokens() {
            index.entry(t).or_default().extend([i as u32, w.min(255)]);
        }
        out_docs.push(&d.entry);
    }
    let index: BTreeMap<&str, Vec<u32>> = index.into_iter().collect();
    serde_json::to_string(&Index { docs: out_docs, index }).expect("index serializes")
}

/// Build the index JSON (tokenizing documents in parallel).
pub fn build_index(docs: &[SearchDoc]) -> String {
    use rayon::prelude::*;
    let parts: Vec<Box<DocTokens>> = docs.par_iter().map(|d| Box::new(doc_tokens(d))).collect();
    assemble(&parts)
}

/// Visible text of rendered HTML (tags dropped, entities decoded, whitespace collapsed); code and
/// the SVG diagrams are skipped so the index stays small.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        out.push(' ');
        let tail = &rest[lt..];
        let skip_to = ["<svg", "<pre", "<style", "<script"].iter().find(|t| tail.starts_with(**t)).map(|t| match *t {
            "<svg" => "</svg>",
            "<pre" => "</pre>",
            "<style" => "</style>",
            _ => "</script>",
        });
        rest = match skip_to.and_then(|end| tail.find(end).map(|e| e + end.len())) {
            Some(e) => &tail[e..],
            None => tail.find('>').map_or("", |g| &tail[g + 1..]),
        };
    }
    out.push_str(rest);
    let text = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_bigrams_words_and_keys() {
        assert_eq!(tokenize("멱등성을"), ["멱등", "등성", "성을"]);
        assert_eq!(tokenize("및"), ["및"]);
        assert_eq!(tokenize("Enable.Idempotence=true"), ["enable.idempotence", "enable", "idempotence", "true"]);
        assert_eq!(tokenize("acks=all, 3.0"), ["acks", "all", "3.0", "3", "0"]);
        assert_eq!(tokenize("카프카의 acks"), ["카프", "프카", "카의", "acks"]);
    }

    #[test]
    fn index_weights_and_plain_text() {
        let docs =
            [SearchDoc {
                title: "멱등성", url: "/a/", headings: vec!["설정"], body: "enable.idempotence 멱등성"
            }];
        let j = build_index(&docs);
        assert!(j.contains("\"멱등\":[0,9]"), "{j}");
        assert!(j.contains("\"enable.idempotence\":[0,1]"), "{j}");
        assert_eq!(plain_text("<p>a &amp; b</p><pre><code>x</code></pre><svg><text>y</text></svg><p>c</p>"), "a & b c");
    }
}
