//! The static search index: Korean by character bigrams (particles and endings attach to words, so
//! `멱등성을` must find `멱등성은`), other scripts by words, and config keys (`enable.idempotence`)
//! both whole and by their parts. `static/js/search.js` tokenizes queries the same way.
//!
//! Format (`/search/index.json`): `{"docs": [[title, url, excerpt]], "index": {token: [doc, weight, …]}}`
//! where weight is 8 per title hit, 4 per heading hit and 1 per body hit, capped at 255.

use rustc_hash::FxHashMap;

fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3 | 0x3130..=0x318F | 0x1100..=0x11FF)
}

/// Tokens of a text: Hangul bigrams (a lone syllable stays a unigram), lowercase words, and dotted
/// keys whole and split.
pub fn tokenize(text: &str) -> Vec<String> {
    let lower = lowercase(text);
    let mut out = Vec::new();
    each_token(&lower, |t| out.push(t.to_string()));
    out
}

/// `str::to_lowercase`, copying what lowercasing leaves as it is (ASCII other than A–Z, and Hangul,
/// which has no case) in runs instead of looking every character up in Unicode's case table
/// (the lookups were ~3 % of a 10 000-page build of Korean posts).
fn lowercase(s: &str) -> String {
    if s.contains('Σ') {
        return s.to_lowercase(); // final sigma depends on the letters around it
    }
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    for (i, c) in s.char_indices() {
        let unchanged = if c.is_ascii() {
            !c.is_ascii_uppercase()
        } else {
            is_hangul(c) || {
                let mut l = c.to_lowercase();
                l.len() == 1 && l.next() == Some(c)
            }
        };
        if !unchanged {
            out.push_str(&s[copied..i]);
            out.extend(c.to_lowercase());
            copied = i + c.len_utf8();
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// `tokenize` without allocating: every token is a slice of `lower` (already lowercased), handed
/// to `f` in order.
fn each_token<'a>(lower: &'a str, mut f: impl FnMut(&'a str)) {
    let bytes = lower.len();
    let mut pos: Vec<usize> = Vec::new();
    let mut chars = lower.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if is_hangul(c) {
            // Byte offsets of the run's syllables, and of its end.
            pos.clear();
            while let Some(&(i, _)) = chars.peek().filter(|(_, c)| is_hangul(*c)) {
                pos.push(i);
                chars.next();
            }
            pos.push(chars.peek().map_or(bytes, |&(i, _)| i));
            if pos.len() == 2 {
                f(&lower[pos[0]..pos[1]]);
            } else {
                pos.windows(3).for_each(|w| f(&lower[w[0]..w[2]]));
            }
        } else if c.is_alphanumeric() {
            while let Some(&(_, c)) = chars.peek() {
                if c.is_alphanumeric() && !is_hangul(c) || matches!(c, '.' | '_' | '-') {
                    chars.next();
                } else {
                    break;
                }
            }
            let end = chars.peek().map_or(bytes, |&(i, _)| i);
            let word = lower[start..end].trim_matches(['.', '_', '-']);
            let mut parts = word.split(['.', '_', '-']).filter(|p| !p.is_empty());
            let first = parts.next();
            match parts.next() {
                Some(second) => {
                    f(word);
                    f(first.unwrap_or_default());
                    f(second);
                    parts.for_each(&mut f);
                }
                None => first.into_iter().for_each(&mut f),
            }
        } else {
            chars.next();
        }
    }
}

pub struct SearchDoc<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub headings: Vec<&'a str>,
    pub body: &'a str,
}

/// (title, url, excerpt) of one document in the index.
pub type DocEntry = (String, String, String);

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
    let lowered: Vec<(String, u32)> = std::iter::once((d.title, 8))
        .chain(d.headings.iter().map(|h| (*h, 4)))
        .chain(std::iter::once((d.body, 1)))
        .map(|(text, w)| (lowercase(text), w))
        .collect();
    let mut weights: FxHashMap<&str, u32> = FxHashMap::default();
    for (text, w) in &lowered {
        each_token(text, |t| *weights.entry(t).or_default() += w);
    }
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
    if let Some((cut, _)) = excerpt.char_indices().nth(1500) {
        excerpt.truncate(cut);
    }
    let mut tokens: Vec<(&str, u32)> = weights.into_iter().collect();
    tokens.sort_unstable();
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
///
/// Written into a buffer of exactly its final size (counted first): at 10 000 pages the index is
/// ~36 MB, and letting the buffer grow by doubling held up to three times that at the peak. With
/// every entry's size known, runs of entries are written into their own parts of the buffer in
/// parallel (counting and writing one after the other were 90 of the 125 ms this took).
pub fn assemble<D: std::ops::Deref<Target = DocTokens> + Sync>(docs: &[D]) -> Vec<u8> {
    use rayon::prelude::*;
    use std::io::Write;
    let mut index: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for (i, d) in docs.iter().enumerate() {
        for (t, w) in d.tokens() {
            index.entry(t).or_default().extend([i as u32, w.min(255)]);
        }
    }
    let mut index: Vec<(&str, Vec<u32>)> = index.into_iter().collect();
    index.par_sort_unstable_by_key(|(t, _)| *t);
    let doc_lens: Vec<usize> = docs.par_iter().map(|d| doc_len(&d.entry)).collect();
    let token_lens: Vec<usize> = index.par_iter().map(|(t, p)| token_len(t, p)).collect();
    let commas = |n: usize| n.saturating_sub(1);
    let (head, middle, tail) = (br#"{"docs":["#, br#"],"index":{"#, b"}}");
    let doc_bytes = doc_lens.iter().sum::<usize>() + commas(docs.len());
    let token_bytes = token_lens.iter().sum::<usize>() + commas(index.len());
    let size = head.len() + doc_bytes + middle.len() + token_bytes + tail.len();
    let mut out = vec![0u8; size];
    let (h, rest) = out.split_at_mut(head.len());
    h.copy_from_slice(head);
    let (doc_part, rest) = rest.split_at_mut(doc_bytes);
    let (m, rest) = rest.split_at_mut(middle.len());
    m.copy_from_slice(middle);
    let (token_part, t) = rest.split_at_mut(rest.len() - tail.len());
    t.copy_from_slice(tail);
    fn doc<W: Write>(w: &mut W, (title, url, excerpt): &DocEntry) -> std::io::Result<()> {
        w.write_all(b"[")?;
        serde_json::to_writer(&mut *w, title)?;
        w.write_all(b",")?;
        serde_json::to_writer(&mut *w, url)?;
        w.write_all(b",")?;
        serde_json::to_writer(&mut *w, excerpt)?;
        w.write_all(b"]")
    }
    fn token<W: Write>(w: &mut W, (t, p): &(&str, Vec<u32>)) -> std::io::Result<()> {
        serde_json::to_writer(&mut *w, t)?;
        w.write_all(b":")?;
        serde_json::to_writer(&mut *w, p).map_err(std::io::Error::from)
    }
    let docs_ok = write_parts(doc_part, &doc_lens, |w, i| doc(w, &docs[i].entry));
    let tokens_ok = write_parts(token_part, &token_lens, |w, i| token(w, &index[i]));
    debug_assert!(docs_ok && tokens_ok, "the search index's size is counted exactly");
    if docs_ok && tokens_ok {
        return out;
    }
    // Only a counting bug gets here: write it again the plain way rather than fail the build.
    let mut out = Vec::with_capacity(size);
    let mut serial = || -> std::io::Result<()> {
        out.write_all(head)?;
        for (i, d) in docs.iter().enumerate() {
            out.write_all(if i == 0 { b"" } else { b"," })?;
            doc(&mut out, &d.entry)?;
        }
        out.write_all(middle)?;
        for (i, e) in index.iter().enumerate() {
            out.write_all(if i == 0 { b"" } else { b"," })?;
            token(&mut out, e)?;
        }
        out.write_all(tail)
    };
    serial().expect("writing JSON into memory cannot fail");
    out
}

/// Bytes of one `[title,url,excerpt]` entry.
fn doc_len((title, url, excerpt): &DocEntry) -> usize {
    4 + json_len(title) + json_len(url) + json_len(excerpt)
}

/// Bytes of one `"token":[doc,weight,…]` entry.
fn token_len(t: &str, postings: &[u32]) -> usize {
    json_len(t) + 1 + postings.len().saturating_sub(1) + 2 + postings.iter().map(|n| digits(*n)).sum::<usize>()
}

/// Write entries `0..lens.len()`, comma-separated, into `buf`, whose size is theirs exactly:
/// runs of entries in parallel, each into the part of `buf` its entries' sizes give it. False if
/// an entry's written size differed from `lens` (a counting bug; the caller stops).
fn write_parts(
    buf: &mut [u8],
    lens: &[usize],
    entry: impl Fn(&mut &mut [u8], usize) -> std::io::Result<()> + Sync,
) -> bool {
    use rayon::prelude::*;
    use std::io::Write;
    const RUN: usize = 512;
    let mut parts: Vec<(std::ops::Range<usize>, &mut [u8])> = Vec::with_capacity(lens.len() / RUN + 1);
    let mut rest = buf;
    for start in (0..lens.len()).step_by(RUN) {
        let end = (start + RUN).min(lens.len());
        let bytes: usize = (start..end).map(|i| lens[i] + usize::from(i > 0)).sum();
        let Some((part, r)) = (bytes <= rest.len()).then(|| rest.split_at_mut(bytes)) else {
            return false;
        };
        parts.push((start..end, part));
        rest = r;
    }
    rest.is_empty()
        && parts.into_par_iter().all(|(run, mut w)| {
            run.into_iter().all(|i| {
                let before = w.len();
                (i == 0 || w.write_all(b",").is_ok())
                    && entry(&mut w, i).is_ok()
                    && before - w.len() == lens[i] + usize::from(i > 0)
            }) && w.is_empty()
        })
}

/// Bytes of `s` as a JSON string, escaped as serde_json escapes it.
fn json_len(s: &str) -> usize {
    2 + s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

fn digits(n: u32) -> usize {
    n.checked_ilog10().unwrap_or(0) as usize + 1
}

/// Build the index JSON (tokenizing documents in parallel).
pub fn build_index(docs: &[SearchDoc]) -> String {
    use rayon::prelude::*;
    let parts: Vec<Box<DocTokens>> = docs.par_iter().map(|d| Box::new(doc_tokens(d))).collect();
    String::from_utf8(assemble(&parts)).expect("JSON is UTF-8")
}

/// Visible text of rendered HTML (tags dropped, the five entities semdoc writes decoded, whitespace
/// collapsed); code and the SVG diagrams are skipped so the index stays small. One pass.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut gap = false;
    let mut text = |s: &str, out: &mut String| {
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            // Text up to the next space or entity is copied in one piece.
            let plain = rest.find(|c: char| c == '&' || c.is_whitespace()).unwrap_or(rest.len());
            let (piece, len) = if plain > 0 {
                (&rest[..plain], plain)
            } else if c == '&' {
                [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")]
                    .iter()
                    .find(|(e, _)| rest.starts_with(e))
                    .map_or(("&", 1), |(e, d)| (*d, e.len()))
            } else {
                ("", c.len_utf8()) // whitespace
            };
            rest = &rest[len..];
            if piece.is_empty() {
                gap = !out.is_empty();
            } else {
                if gap {
                    out.push(' ');
                    gap = false;
                }
                out.push_str(piece);
            }
        }
    };
    text_runs(html, |run| text(run, &mut out));
    out
}

/// The text between the tags of `html`, a space for each tag, `<svg>`, `<pre>`, `<style>` and
/// `<script>` elements and headings' `#` anchors (`<a class="anchor">`) skipped whole.
fn text_runs<'a>(html: &'a str, mut f: impl FnMut(&'a str)) {
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        f(&rest[..lt]);
        f(" ");
        let tail = &rest[lt..];
        let skip_to = ["<svg", "<pre", "<style", "<script", "<a class=\"anchor\""]
            .iter()
            .find(|t| tail.starts_with(**t))
            .map(|t| match *t {
                "<svg" => "</svg>",
                "<pre" => "</pre>",
                "<style" => "</style>",
                "<script" => "</script>",
                _ => "</a>",
            });
        let close = |end: &str| memchr::memmem::find(tail.as_bytes(), end.as_bytes()).map(|e| e + end.len());
        rest = match skip_to.and_then(close) {
            Some(e) => &tail[e..],
            None => tail.find('>').map_or("", |g| &tail[g + 1..]),
        };
    }
    f(rest);
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

    /// The straightforward tokenizer the allocation-free one replaced (a `String` per token).
    fn tokenize_reference(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let chars: Vec<char> = text.to_lowercase().chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if is_hangul(chars[i]) {
                let start = i;
                while i < chars.len() && is_hangul(chars[i]) {
                    i += 1;
                }
                let run = &chars[start..i];
                if run.len() == 1 {
                    out.push(run[0].to_string());
                } else {
                    out.extend(run.windows(2).map(|w| w.iter().collect::<String>()));
                }
            } else if chars[i].is_alphanumeric() {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() && !is_hangul(chars[i]) || matches!(chars[i], '.' | '_' | '-'))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect::<String>().trim_matches(['.', '_', '-']).into();
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

    /// The multi-pass `plain_text` the one-pass one replaced (decoding, then collapsing spaces).
    fn plain_text_reference(html: &str) -> String {
        let mut out = String::new();
        text_runs(html, |run| out.push_str(run));
        let text = out
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn tokenizer_and_plain_text_match_their_straightforward_versions() {
        let texts = [
            "",
            "멱등성을 보장한다. 카프카의 acks=all, enable.idempotence=true 와 max_in-flight.",
            "가 나 다라 마바사 ÉCOLE Straße ǅ İstanbul 3.0.1 .x. _a_ -- ..",
            "한글ABC한글 ㄱㄴ ᄀᄁ 12가34 日本語テキスト x.y_z-w",
            "<p>a &amp; b &amp;lt; &lt;tag&gt; &quot;q&quot; &#39;s&#39; &x &</p>\u{a0}\u{3000} \n\t<b>굵게</b>",
            "<h2 id=\"x\">제목</h2><pre><code>acks=all</code></pre><svg><text>y</text></svg>끝<script>x</script>",
            "<pre never closed <p>text",
            "  leading and trailing  ",
        ];
        for t in texts.iter().copied().chain(["ΌΣΟΣ ΣΑ Σ", "ÀÉ ǅǄ İ ẞ Ω K Å ⅫⅯ Ⓐ 𐐀 Ꭰ ＡＢ"])
        {
            assert_eq!(lowercase(t), t.to_lowercase(), "{t:?}");
        }
        for t in texts {
            assert_eq!(tokenize(t), tokenize_reference(t), "{t:?}");
            assert_eq!(plain_text(t), plain_text_reference(t), "{t:?}");
        }
    }

    #[test]
    fn the_index_is_counted_exactly_and_is_the_json_it_was() {
        let docs = [
            SearchDoc {
                title: "따옴표 \"와\" 역슬래시 \\ 탭\t 줄\n \u{1} \u{1f} \u{7f}",
                url: "/a/",
                headings: vec![],
                body: "x",
            },
            SearchDoc {
                title: "second", url: "/b/?q=1&r=</>", headings: vec!["h"], body: "멱등성 enable.idempotence"
            },
            SearchDoc { title: "", url: "/", headings: vec![], body: "" },
        ];
        let parts: Vec<Box<DocTokens>> = docs.iter().map(|d| Box::new(doc_tokens(d))).collect();
        let bytes = assemble(&parts); // debug builds assert the counted size
        let v: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
        assert_eq!(v["docs"][0][0], docs[0].title);
        assert_eq!(v["docs"][1][1], docs[1].url);
        assert_eq!(v["index"]["멱등"], serde_json::json!([1, 1]));
        assert_eq!(v["index"]["second"], serde_json::json!([1, 8]));
        let keys: Vec<&String> = v["index"].as_object().unwrap().keys().collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "tokens sorted");
        assert!(assemble::<Box<DocTokens>>(&[]).starts_with(br#"{"docs":[],"index":{}}"#));
    }

    /// Written in parallel runs of entries, the index is byte for byte what serializing it as one
    /// value gives (runs of 512: 1 300 documents and thousands of tokens cross several).
    #[test]
    fn the_index_written_in_parallel_parts_is_the_plain_serialization() {
        let texts: Vec<(String, String, String)> = (0..1300)
            .map(|i| {
                let title = format!("글 {i} \"따옴표\" \\ {}", if i % 7 == 0 { "\u{1}\t" } else { "" });
                let body = format!("멱등성 카프카{} key.part{} word{} 끝{}", i % 13, i % 101, i, i * 7919 % 1000);
                (title, format!("/p/{i}/"), body)
            })
            .collect();
        let docs: Vec<SearchDoc> =
            texts.iter().map(|(t, u, b)| SearchDoc { title: t, url: u, headings: vec!["제목"], body: b }).collect();
        let parts: Vec<Box<DocTokens>> = docs.iter().map(|d| Box::new(doc_tokens(d))).collect();
        let mut index: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
        for (i, d) in parts.iter().enumerate() {
            for (t, w) in d.tokens() {
                index.entry(t).or_default().extend([i as u32, w.min(255)]);
            }
        }
        assert!(index.len() > 1024, "several runs of tokens: {}", index.len());
        let entries: Vec<&DocEntry> = parts.iter().map(|d| &d.entry).collect();
        let plain = serde_json::to_vec(&serde_json::json!({ "docs": entries, "index": index })).unwrap();
        assert_eq!(String::from_utf8(assemble(&parts)).unwrap(), String::from_utf8(plain).unwrap());
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
        // A heading's `#` anchor is navigation, not text: it stays out of excerpts.
        assert_eq!(
            plain_text("<h2 id=\"a\">제목<a class=\"anchor\" href=\"#a\" aria-label=\"x\">#</a></h2><p>본문</p>"),
            "제목 본문"
        );
    }
}
