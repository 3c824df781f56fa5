//! kramdown's attribute lists and extensions (https://kramdown.gettalong.org/syntax.html#attribute-list-definitions,
//! https://kramdown.gettalong.org/syntax.html#extensions): parsing `{: .class #id key="value" ref }`,
//! ALDs (`{:ref: …}`), and the line pass that takes block IALs and `{::…}` extension lines out of the
//! Markdown (blanked in place, so byte offsets stay those of the text given).

use crate::diag::Severity;
use std::collections::BTreeMap;

/// Attributes for one element, in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub pairs: Vec<(String, String)>,
    /// `{:toc}`: the element is replaced by the table of contents.
    pub toc: bool,
}

impl Attrs {
    pub fn merge(&mut self, o: &Attrs) {
        if o.id.is_some() {
            self.id = o.id.clone();
        }
        self.classes.extend(o.classes.iter().cloned());
        for (k, v) in &o.pairs {
            self.pairs.retain(|(x, _)| x != k);
            self.pairs.push((k.clone(), v.clone()));
        }
        self.toc |= o.toc;
    }

    /// A pair's value (and removes it).
    pub fn take(&mut self, key: &str) -> Option<String> {
        let i = self.pairs.iter().position(|(k, _)| k == key)?;
        Some(self.pairs.remove(i).1)
    }

    /// ` id="…" class="…" k="v"`, escaped. Chirpy's image sizes `w`/`h` become `width`/`height`.
    pub fn html(&self) -> String {
        let e = crate::html::esc;
        let mut s = String::new();
        if let Some(id) = &self.id {
            s.push_str(&format!(" id=\"{}\"", e(id)));
        }
        if !self.classes.is_empty() {
            s.push_str(&format!(" class=\"{}\"", e(&self.classes.join(" "))));
        }
        for (k, v) in &self.pairs {
            let k = match k.as_str() {
                "w" => "width",
                "h" => "height",
                k => k,
            };
            s.push_str(&format!(" {k}=\"{}\"", e(v)));
        }
        s
    }
}

/// A problem at a byte offset of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

fn warn(offset: usize, code: &'static str, message: String, hint: &str) -> Problem {
    Problem { offset, severity: Severity::Warning, code, message, hint: hint.into() }
}

/// Is this attribute name safe to write into HTML?
fn safe_name(k: &str) -> bool {
    let mut c = k.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic())
        && c.all(|x| x.is_ascii_alphanumeric() || matches!(x, '-' | '_' | ':' | '.'))
}

/// Parse the inside of `{: … }` (without the braces and colon). Unsafe attributes are dropped
/// with a problem at `offset`; `None` when the text is not an attribute list at all.
pub fn parse_ial(
    inner: &str,
    alds: &BTreeMap<String, Attrs>,
    offset: usize,
    problems: &mut Vec<Problem>,
) -> Option<Attrs> {
    // Problems count only for text that is an attribute list.
    let mut found = vec![];
    let a = parse_ial_into(inner, alds, offset, &mut found)?;
    problems.extend(found);
    Some(a)
}

fn parse_ial_into(
    inner: &str,
    alds: &BTreeMap<String, Attrs>,
    offset: usize,
    problems: &mut Vec<Problem>,
) -> Option<Attrs> {
    let mut a = Attrs::default();
    let b = inner.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c == b'.' || c == b'#' {
            i += 1;
            while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'.' && b[i] != b'#' {
                i += 1;
            }
            let name = &inner[start + 1..i];
            if name.is_empty() {
                return None;
            }
            if c == b'.' {
                a.classes.push(name.to_string());
            } else {
                a.id = Some(name.to_string());
            }
            continue;
        }
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        let name = &inner[start..i];
        if i < b.len() && b[i] == b'=' {
            i += 1;
            let value = match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let close = inner[i + 1..].find(q as char)? + i + 1;
                    let v = inner[i + 1..close].to_string();
                    i = close + 1;
                    v
                }
                _ => {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    inner[s..i].to_string()
                }
            };
            if !safe_name(name) {
                return None;
            }
            let lower = name.to_ascii_lowercase();
            let v = value.to_ascii_lowercase();
            if lower.starts_with("on") {
                problems.push(warn(
                    offset,
                    "kramdown-attr",
                    format!("attribute `{name}` refused (event handler)"),
                    "semdoc writes no script attributes",
                ));
            } else if lower == "style" && (v.contains("url(") || v.contains("expression(")) {
                problems.push(warn(
                    offset,
                    "kramdown-attr",
                    "`style` with a URL refused".into(),
                    "use a class and a stylesheet",
                ));
            } else if matches!(lower.as_str(), "href" | "src" | "action" | "formaction")
                && v.trim_start().starts_with("javascript:")
            {
                problems.push(warn(
                    offset,
                    "kramdown-attr",
                    format!("`{name}` with a javascript: URL refused"),
                    "link to a page or file",
                ));
            } else {
                a.pairs.retain(|(k, _)| k != name);
                a.pairs.push((name.to_string(), value));
            }
            continue;
        }
        // A reference to an ALD (or `toc`).
        if name == "toc" {
            a.toc = true;
        } else if let Some(r) = alds.get(name) {
            a.merge(r);
        } else if name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') && !name.is_empty() {
            problems.push(warn(
                offset,
                "kramdown-ald",
                format!("attribute list reference `{name}` is not defined"),
                "define it first: `{:name: .class}`",
            ));
        } else {
            return None;
        }
    }
    Some(a)
}

/// A block IAL taken out of the text: where its line starts and ends, and its attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockIal {
    pub start: usize,
    pub end: usize,
    pub attrs: Attrs,
}

#[derive(Debug, Default)]
pub struct Blocks {
    /// The text with IAL, ALD and extension lines blanked (same length, same line breaks).
    pub text: String,
    pub ials: Vec<BlockIal>,
    pub alds: BTreeMap<String, Attrs>,
    pub problems: Vec<Problem>,
}

/// Blank `text[a..b]` (keeping line breaks) in `out`.
fn blank(out: &mut [u8], a: usize, b: usize) {
    for x in &mut out[a..b] {
        if *x != b'\n' && *x != b'\r' {
            *x = b' ';
        }
    }
}

/// The line pass: block IALs, ALDs and `{::…}` extensions, outside fenced code.
pub fn blocks(src: &str) -> Blocks {
    let mut r = Blocks::default();
    if !src.contains("{:") {
        r.text = src.to_string();
        return r;
    }
    let mut bytes = src.as_bytes().to_vec();
    let mut fence: Option<(u8, usize)> = None;
    let mut off = 0;
    // An open `{::comment}`: where it started.
    let mut comment: Option<usize> = None;
    for line in src.split_inclusive('\n') {
        let start = off;
        off += line.len();
        let t = line.trim();
        let lead = line.trim_start_matches(' ');
        let indent = line.len() - lead.len();
        let run = |c: u8| lead.bytes().take_while(|&x| x == c).count();
        if let Some((c, n)) = fence {
            if indent <= 3 && run(c) >= n && lead.trim_start_matches(c as char).trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if let Some(cs) = comment {
            if t.contains("{:/comment}") || t == "{:/}" {
                blank(&mut bytes, cs, off);
                comment = None;
            }
            continue;
        }
        if indent <= 3 && (run(b'`') >= 3 || run(b'~') >= 3) {
            let c = lead.as_bytes()[0];
            fence = Some((c, run(c)));
            continue;
        }
        if !(t.starts_with("{:") && t.ends_with('}')) {
            continue;
        }
        let at = start + (line.len() - line.trim_start().len());
        if let Some(ext) = t.strip_prefix("{::") {
            let name: String = ext.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            match name.as_str() {
                "comment" => {
                    if t.contains("{:/comment}") || t.ends_with("/}") {
                        blank(&mut bytes, start, off);
                    } else {
                        comment = Some(start);
                    }
                }
                "options" => {
                    r.problems.push(warn(
                        at,
                        "kramdown-option",
                        format!("kramdown options are not applied: `{t}`"),
                        "semdoc renders with its own settings; remove the line",
                    ));
                    blank(&mut bytes, start, off);
                }
                _ => {
                    r.problems.push(warn(
                        at,
                        "kramdown-extension",
                        format!("kramdown extension `{{::{name}}}` is not supported"),
                        "supported: {::comment}…{:/comment}; the text inside is rendered as Markdown",
                    ));
                    blank(&mut bytes, start, off);
                }
            }
            continue;
        }
        if t.starts_with("{:/") {
            // The end of an unsupported extension, already warned about at its start.
            blank(&mut bytes, start, off);
            continue;
        }
        let inner = &t[2..t.len() - 1];
        // An ALD: `{:name: attrs}`.
        if let Some((name, rest)) = inner.split_once(':')
            && !name.is_empty()
            && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            match parse_ial(rest, &r.alds, at, &mut r.problems) {
                Some(a) => {
                    r.alds.insert(name.to_string(), a);
                    blank(&mut bytes, start, off);
                }
                None => r.problems.push(invalid(at, t)),
            }
            continue;
        }
        match parse_ial(inner, &r.alds, at, &mut r.problems) {
            Some(attrs) => {
                r.ials.push(BlockIal { start: at, end: start + line.trim_end().len(), attrs });
                blank(&mut bytes, start, off);
            }
            None => r.problems.push(invalid(at, t)),
        }
    }
    if let Some(cs) = comment {
        r.problems.push(warn(
            cs,
            "kramdown-extension",
            "`{::comment}` is never closed".into(),
            "end it with `{:/comment}`",
        ));
    }
    // Only ASCII bytes were replaced by spaces, and only whole lines' non-break bytes: still UTF-8
    // (a multi-byte character is replaced whole, never split, because lines are replaced whole).
    r.text = String::from_utf8(bytes).unwrap_or_else(|_| src.to_string());
    r
}

pub fn invalid(at: usize, t: &str) -> Problem {
    warn(
        at,
        "kramdown-ial",
        format!("`{t}` is not a valid kramdown attribute list; left as text"),
        "write `{: .class #id key=\"value\" }`",
    )
}

/// A span IAL right at `at` in `src` (after a link, image or code span): its end and attributes.
pub fn span_at(
    src: &str,
    at: usize,
    alds: &BTreeMap<String, Attrs>,
    problems: &mut Vec<Problem>,
) -> Option<(usize, Attrs)> {
    let rest = src.get(at..)?;
    let inner_start = rest.strip_prefix("{:")?;
    let close = inner_start.find(['}', '\n'])?;
    if inner_start.as_bytes()[close] != b'}' {
        return None;
    }
    let inner = &inner_start[..close];
    // Not a list: left in the text, where the prose pass warns about it.
    parse_ial(inner, alds, at, problems).map(|a| (at + 2 + close + 1, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lists_parse_and_refuse_unsafe_names() {
        let mut p = vec![];
        let a = parse_ial(" .prompt-tip #x target=\"_blank\" w='300' data-a=b ", &BTreeMap::new(), 0, &mut p).unwrap();
        assert_eq!(a.id.as_deref(), Some("x"));
        assert_eq!(a.classes, ["prompt-tip"]);
        assert_eq!(a.html(), " id=\"x\" class=\"prompt-tip\" target=\"_blank\" width=\"300\" data-a=\"b\"");
        assert!(p.is_empty());
        let a = parse_ial(
            "onclick=\"x()\" style=\"background:url(x)\" href='javascript:alert(1)' .ok",
            &BTreeMap::new(),
            7,
            &mut p,
        )
        .unwrap();
        assert_eq!(a.html(), " class=\"ok\"");
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|p| p.offset == 7));
        assert!(parse_ial("\"><script>", &BTreeMap::new(), 0, &mut p).is_none());
        assert!(parse_ial("a=\"unclosed", &BTreeMap::new(), 0, &mut p).is_none());
    }

    #[test]
    fn line_pass_blanks_ials_alds_and_extensions_in_place() {
        let src = "para\n{: .a}\n{:r: .b #c}\n\nx\n{: r}\n{::comment}\nhidden\n{:/comment}\n{::options parse_block_html=\"true\" /}\n```\n{: .kept}\n```\n{: not valid\"}\n";
        let b = blocks(src);
        assert_eq!(b.text.len(), src.len());
        assert_eq!(b.text.matches('\n').count(), src.matches('\n').count());
        assert_eq!(b.ials.len(), 2);
        assert_eq!(b.ials[0].start, 5);
        assert_eq!(b.ials[1].attrs.classes, ["b"]);
        assert_eq!(b.ials[1].attrs.id.as_deref(), Some("c"));
        assert!(!b.text.contains("hidden") && !b.text.contains("options"));
        assert!(b.text.contains("{: .kept}"), "code is untouched");
        let codes: Vec<&str> = b.problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["kramdown-option", "kramdown-ial"]);
    }

    #[test]
    fn span_ials() {
        let mut p = vec![];
        let src = "[x](u){:target=\"_blank\"} rest";
        let (end, a) = span_at(src, 6, &BTreeMap::new(), &mut p).unwrap();
        assert_eq!(&src[end..], " rest");
        assert_eq!(a.pairs, [("target".to_string(), "_blank".to_string())]);
        assert!(span_at("{: bad\"}", 0, &BTreeMap::new(), &mut p).is_none());
    }
}
