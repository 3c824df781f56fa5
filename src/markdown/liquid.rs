//! Liquid on a page body before Markdown, as Jekyll runs it (https://jekyllrb.com/docs/liquid/,
//! https://shopify.github.io/liquid/): the tags and filters Jekyll/Chirpy posts use, each other
//! tag, filter or variable a warning with the text left visibly marked; pure (includes and the
//! site's URLs come in as data) and with an offset map back to the original text.
//!
//! Supported tags: `raw`, `comment`, `if`/`elsif`/`else`, `unless`, `case`/`when`, `for` (with
//! `forloop`, `limit:`, `offset:`, `reversed`, `else`, `break`, `continue`, ranges `(1..n)`),
//! `capture`, `highlight LANG [linenos]` (becomes a fenced code block),
//! `assign NAME = literal|variable`, `include FILE k=v …` (the site's `_includes/` files, or a
//! built-in for Chirpy's `embed/youtube.html`, `embed/twitch.html`, `embed/bilibili.html`),
//! `post_url NAME`, `link PATH`. Supported filters: `relative_url`, `absolute_url`, `escape`,
//! `xml_escape`, `upcase`, `downcase`, `strip`, `slugify`, `default`, `append`, `prepend`,
//! `join`, `size`, `first`, `last`, `split`, `reverse`, `sort`, `uniq`, `plus`, `minus`, `times`,
//! `divided_by`, `modulo`, `capitalize`, `replace`, `remove`, `date`, `date_to_xmlschema`,
//! `date_to_string`. Operators `== != <> < > <= >= contains and or` (right to left, as Liquid);
//! only nil and false are falsy. Whitespace control (`{%-`, `-%}`, `{{-`, `-}}`) trims as Liquid
//! does (https://shopify.github.io/liquid/basics/whitespace/).

use crate::diag::Severity;
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeMap;

/// A value a Liquid variable can hold (Liquid's nil, booleans, numbers, strings, arrays, hashes).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    /// A date: shown as written, formatted by the date filters.
    Date {
        written: String,
        at: DateTime<FixedOffset>,
    },
}

impl Value {
    /// A list of strings (`page.tags`).
    pub fn strings(items: &[String]) -> Value {
        Value::List(items.iter().cloned().map(Value::Str).collect())
    }
    fn render(&self) -> String {
        match self {
            Value::Nil => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            // Ruby prints a whole float with `.0`.
            Value::Float(f) if f.fract() == 0.0 && f.is_finite() => format!("{f:.1}"),
            Value::Float(f) => f.to_string(),
            Value::Str(s) => s.clone(),
            // Liquid prints an array's items one after another.
            Value::List(l) => l.iter().map(Value::render).collect(),
            Value::Map(m) => {
                // Ruby's Hash#to_s, as Liquid 4 prints a hash.
                let items: Vec<String> = m.iter().map(|(k, v)| format!("{k:?}=>{}", v.inspect())).collect();
                format!("{{{}}}", items.join(", "))
            }
            Value::Date { written, .. } => written.clone(),
        }
    }
    fn inspect(&self) -> String {
        match self {
            Value::Nil => "nil".into(),
            Value::Str(s) => format!("{s:?}"),
            Value::List(l) => format!("[{}]", l.iter().map(Value::inspect).collect::<Vec<_>>().join(", ")),
            other => other.render(),
        }
    }
    fn is_empty(&self) -> bool {
        match self {
            Value::Nil => true,
            Value::Str(s) => s.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Map(m) => m.is_empty(),
            _ => false,
        }
    }
    /// Liquid's truthiness: only nil and false are false (`""` and `0` are true).
    fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }
    fn number(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }
    /// The items a `for` loop walks: an array's items, a hash's `[key, value]` pairs.
    fn items(&self) -> Vec<Value> {
        match self {
            Value::List(l) => l.clone(),
            Value::Map(m) => m.iter().map(|(k, v)| Value::List(vec![Value::Str(k.clone()), v.clone()])).collect(),
            Value::Nil => vec![],
            other => vec![other.clone()],
        }
    }
    /// `value.key`, `value[index]`, and the `size`/`first`/`last` properties.
    fn get(&self, key: &Value) -> Option<Value> {
        match (self, key) {
            (Value::Map(m), Value::Str(k)) => {
                m.get(k).cloned().or_else(|| (k == "size").then_some(Value::Int(m.len() as i64)))
            }
            (Value::List(l), Value::Int(i)) => {
                let i = if *i < 0 { l.len() as i64 + i } else { *i };
                usize::try_from(i).ok().and_then(|i| l.get(i)).cloned()
            }
            (Value::List(l), Value::Str(k)) => match k.as_str() {
                "size" => Some(Value::Int(l.len() as i64)),
                "first" => l.first().cloned(),
                "last" => l.last().cloned(),
                _ => None,
            },
            (Value::Str(s), Value::Str(k)) if k == "size" => Some(Value::Int(s.chars().count() as i64)),
            _ => None,
        }
    }
}

/// Liquid's `==`: numbers by value, everything else by equal contents.
fn equal(a: &Value, b: &Value) -> bool {
    match (a.number(), b.number()) {
        (Some(x), Some(y)) => x == y,
        _ => match (a, b) {
            (Value::Date { at: x, .. }, Value::Date { at: y, .. }) => x == y,
            _ => a == b,
        },
    }
}

/// What Liquid may read: the site's and the page's variables, the includes, and the URLs of the
/// site's pages (for `post_url` and `link`).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `site.KEY` (`title`, `url`, `baseurl`, `description`, `lang`, `author`).
    pub site: BTreeMap<String, Value>,
    /// `page.KEY` (`title`, `date`, `url`, `categories`, `tags`, `description`, `slug`, `path`).
    pub page: BTreeMap<String, Value>,
    /// Absolute base URL without trailing slash (`https://example.com/blog`).
    pub base_url: String,
    /// Its path (`/blog`), or "".
    pub base_path: String,
    /// `_includes/` files by their path below `_includes/` (`embed/youtube.html`).
    pub includes: std::sync::Arc<BTreeMap<String, String>>,
    /// Post name (the file name without `.md`, `2024-08-03-kafka`) → URL path (`/posts/kafka/`).
    pub posts: std::sync::Arc<BTreeMap<String, String>>,
    /// Source path relative to the site root (`content/about.md`, `_posts/x.md`) → URL path.
    pub files: std::sync::Arc<BTreeMap<String, String>>,
}

/// A problem Liquid found, at a byte offset of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

/// Replaced pieces of the original text: `(out_start, out_len, src_start, src_len)`, in order.
/// Text between them was copied unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segs: Vec<(usize, usize, usize, usize)>,
}

impl OffsetMap {
    /// The original offset of an offset in the expanded text (the start of the tag for text a
    /// tag produced).
    pub fn to_source(&self, out: usize) -> usize {
        let i = self.segs.partition_point(|s| s.0 <= out);
        if i == 0 {
            return out;
        }
        let (o, ol, s, sl) = self.segs[i - 1];
        if out < o + ol { s } else { s + sl + (out - o - ol) }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Expanded {
    pub text: String,
    pub map: OffsetMap,
    pub problems: Vec<Problem>,
}

/// Does this body contain anything Liquid would act on?
pub fn has_liquid(src: &str) -> bool {
    src.contains("{%") || src.contains("{{")
}

/// Expand the Liquid in `src`.
pub fn expand(src: &str, ctx: &Context) -> Expanded {
    let mut st = State {
        src,
        ctx,
        out: String::with_capacity(src.len()),
        map: OffsetMap::default(),
        problems: vec![],
        loops: 0,
        interrupt: None,
    };
    let code = code_ranges(src);
    let mut locals = BTreeMap::new();
    st.run(0, src.len(), &mut locals, &code, None, 0);
    Expanded { text: st.out, map: st.map, problems: st.problems }
}

struct State<'a> {
    src: &'a str,
    ctx: &'a Context,
    out: String,
    map: OffsetMap,
    problems: Vec<Problem>,
    /// How many `for` loops are running (`break` and `continue` are tags only inside one).
    loops: usize,
    /// A `break` or `continue` met: the loop's body stops here.
    interrupt: Option<Interrupt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interrupt {
    Break,
    Continue,
}

/// A tag as written: `{%- name args -%}` spanning `start..end`; `lt`/`rt` are its whitespace
/// control dashes (`{%-` trims the whitespace before it, `-%}` the whitespace after it).
struct Tag<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    args: &'a str,
    lt: bool,
    rt: bool,
}

/// The tag starting at `at` (which holds `{%`), if it closes.
fn tag_at(src: &str, at: usize) -> Option<Tag<'_>> {
    // Search after the opening `{%`: in `{%}` the `%` is not also the start of the close.
    let close = src[at + 2..].find("%}")? + at + 2;
    let raw = &src[at + 2..close];
    let lt = raw.starts_with('-');
    let rt = raw.len() > usize::from(lt) && raw.ends_with('-');
    let inner = raw.trim_start_matches('-').trim_end_matches('-').trim();
    let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    Some(Tag { start: at, end: close + 2, name, args: args.trim(), lt, rt })
}

/// Block tags and the tags that divide their bodies.
fn opens_block(name: &str) -> bool {
    matches!(name, "if" | "unless" | "for" | "case" | "capture")
}

/// A block as written: the opening tag, each dividing tag (`elsif`, `else`, `when`) with the
/// body after it, and the closing tag.
struct Block<'a> {
    /// `(tag, body_from, body_to)`: the opening tag and each divider, with the body that follows
    /// it (whitespace control already applied to the body's ends).
    parts: Vec<(Tag<'a>, usize, usize)>,
    end: Tag<'a>,
}

/// The block opened by `open` in `text[..to]`: its dividers at this nesting depth and its end
/// tag (`endNAME`); `raw` and `comment` bodies are skipped.
fn block<'a>(text: &'a str, open: Tag<'a>, to: usize) -> Option<Block<'a>> {
    let dividers: &[&str] = match open.name {
        "if" | "unless" => &["elsif", "else"],
        "case" => &["when", "else"],
        "for" => &["else"],
        _ => &[],
    };
    let end_name = format!("end{}", open.name);
    let mut stack: Vec<String> = vec![];
    let mut heads: Vec<Tag<'a>> = vec![open];
    let mut at = heads[0].end;
    while let Some(p) = text[at..to].find("{%") {
        let t = tag_at(&text[..to], at + p)?;
        at = t.end;
        match t.name {
            "raw" | "comment" => {
                at = find_tag(&text[..to], t.end, &format!("end{}", t.name))?.end;
            }
            n if opens_block(n) => stack.push(format!("end{n}")),
            n if stack.last().is_some_and(|e| e == n) => {
                stack.pop();
            }
            n if stack.is_empty() && n == end_name => {
                let mut parts = vec![];
                let mut heads = heads.into_iter().peekable();
                while let Some(h) = heads.next() {
                    let next_lt_start = heads.peek().map_or((t.lt, t.start), |n| (n.lt, n.start));
                    let mut from = h.end;
                    let mut upto = next_lt_start.1;
                    if h.rt {
                        from += text[from..upto].len() - text[from..upto].trim_start().len();
                    }
                    if next_lt_start.0 {
                        upto = from + text[from..upto].trim_end().len();
                    }
                    parts.push((h, from, upto));
                }
                return Some(Block { parts, end: t });
            }
            n if stack.is_empty() && dividers.contains(&n) => heads.push(t),
            _ => {}
        }
    }
    None
}

/// The next `{% NAME %}` at or after `from` (for `endraw`, `endcomment`, `endhighlight`).
fn find_tag<'a>(src: &'a str, from: usize, name: &str) -> Option<Tag<'a>> {
    let mut at = from;
    while let Some(p) = src[at..].find("{%") {
        let t = tag_at(src, at + p)?;
        if t.name == name {
            return Some(t);
        }
        at = at + p + 2;
    }
    None
}

/// Byte ranges of fenced code blocks (as written) and `highlight` blocks: unsupported Liquid in
/// them is warned about but not marked (a mark would show as text in the code).
fn code_ranges(src: &str) -> Vec<(usize, usize)> {
    let mut out = vec![];
    let mut open: Option<(usize, char, usize)> = None;
    let mut off = 0;
    for line in src.split_inclusive('\n') {
        let t = line.trim_start_matches(' ');
        let indent = line.len() - t.len();
        let fence = |c: char| t.chars().take_while(|&x| x == c).count();
        match open {
            None if indent <= 3 && (fence('`') >= 3 || fence('~') >= 3) => {
                let c = t.chars().next().unwrap_or('`');
                open = Some((off, c, fence(c)));
            }
            Some((start, c, n)) if indent <= 3 && fence(c) >= n && t.trim_start_matches(c).trim().is_empty() => {
                out.push((start, off + line.len()));
                open = None;
            }
            _ => {}
        }
        off += line.len();
    }
    if let Some((start, ..)) = open {
        out.push((start, src.len()));
    }
    let mut at = 0;
    while let Some(p) = src[at..].find("{%") {
        let Some(t) = tag_at(src, at + p) else { break };
        at = t.end;
        if t.name == "highlight"
            && let Some(e) = find_tag(src, t.end, "endhighlight")
        {
            out.push((t.start, e.end));
            at = e.end;
        }
    }
    out.sort_unstable();
    out
}

fn in_code(code: &[(usize, usize)], src: &str, at: usize) -> bool {
    if code.iter().any(|&(s, e)| s <= at && at < e) {
        return true;
    }
    // Inside an inline code span on the same line: an odd number of backticks before it.
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    src[line_start..at].bytes().filter(|&b| b == b'`').count() % 2 == 1
}

/// `{` and `}` as entities, so that marked text is shown, never parsed again.
fn mark(text: &str) -> String {
    let esc = crate::html::esc(text).replace('{', "&#123;").replace('}', "&#125;");
    format!("<mark class=\"semdoc-unread\">{esc}</mark>")
}

const MAX_INCLUDE_DEPTH: usize = 8;

impl<'a> State<'a> {
    fn problem(&mut self, offset: usize, severity: Severity, code: &'static str, message: String, hint: &str) {
        self.problems.push(Problem { offset, severity, code, message, hint: hint.to_string() });
    }

    /// Append `text` as the expansion of `src[start..end]` (or, inside an include, of the
    /// include tag at `origin`).
    fn replace(&mut self, start: usize, end: usize, text: &str, origin: Option<usize>) {
        if origin.is_none() {
            self.map.segs.push((self.out.len(), text.len(), start, end - start));
        }
        self.out.push_str(text);
    }

    /// Expand `text[from..to]` where `text` is the page body (`origin` None) or an include's
    /// text (`origin` the include tag's offset in the body, where its problems are reported).
    #[allow(clippy::too_many_arguments)]
    fn run_text(
        &mut self,
        text: &str,
        from: usize,
        to: usize,
        locals: &mut BTreeMap<String, Value>,
        code: &[(usize, usize)],
        origin: Option<usize>,
        depth: usize,
    ) {
        let at_of = |o: usize| origin.unwrap_or(o);
        let mut i = from;
        let mut copied = from;
        // An open `{% highlight %}`: the fence that closes it.
        let mut fences: Vec<String> = vec![];
        while i < to {
            let Some(p) = text[i..to].find('{') else { break };
            let p = i + p;
            let next = text.as_bytes().get(p + 1).copied();
            if next != Some(b'%') && next != Some(b'{') {
                i = p + 1;
                continue;
            }
            // `{%-` and `{{-` trim the whitespace before them (https://shopify.github.io/liquid/basics/whitespace/).
            let before = &text[copied..p];
            let trim_before = text.as_bytes().get(p + 2) == Some(&b'-');
            self.out.push_str(if trim_before { before.trim_end() } else { before });
            let coded = origin.is_none() && in_code(code, text, p);
            if next == Some(b'{') {
                let Some(close) = text[p..to].find("}}").map(|c| p + c) else {
                    self.problem(
                        at_of(p),
                        Severity::Warning,
                        "liquid",
                        "`{{` without a closing `}}`".into(),
                        "close the output with `}}`, or wrap the text in {% raw %}…{% endraw %}",
                    );
                    self.unread(p, p + 2, &text[p..p + 2], coded, origin);
                    i = p + 2;
                    copied = i;
                    continue;
                };
                let inner = &text[p + 2..close];
                let trim_after = inner.len() > usize::from(trim_before) && inner.ends_with('-');
                let expr = inner.trim_start_matches('-').trim_end_matches('-').trim();
                match self.eval_expr(expr, locals) {
                    Ok(v) => self.replace(p, close + 2, &v.render(), origin),
                    Err((code_s, msg, hint)) => {
                        self.problem(at_of(p), Severity::Warning, code_s, msg, hint);
                        self.unread(p, close + 2, &text[p..close + 2], coded, origin);
                    }
                }
                i = self.skip_space(text, close + 2, to, trim_after, origin);
                copied = i;
                continue;
            }
            let Some(tag) = tag_at(&text[..to], p) else {
                self.problem(
                    at_of(p),
                    Severity::Warning,
                    "liquid",
                    "`{%` without a closing `%}`".into(),
                    "close the tag with `%}`, or wrap the text in {% raw %}…{% endraw %}",
                );
                self.unread(p, p + 2, &text[p..p + 2], coded, origin);
                i = p + 2;
                copied = i;
                continue;
            };
            let (start, end) = (tag.start, tag.end);
            let mut next_i = end;
            match tag.name {
                "raw" => match find_tag(&text[..to], end, "endraw") {
                    Some(e) => {
                        self.replace(start, end, "", origin);
                        let body = &text[if tag.rt { end + ws_len(&text[end..e.start]) } else { end }..e.start];
                        self.anchor(e.start - body.len(), origin);
                        self.out.push_str(if e.lt { body.trim_end() } else { body });
                        self.replace(e.start, e.end, "", origin);
                        next_i = e.end;
                    }
                    None => self.unclosed(at_of(start), "raw", start, end, text, coded, origin),
                },
                "comment" => match find_tag(&text[..to], end, "endcomment") {
                    Some(e) => {
                        self.replace(start, e.end, "", origin);
                        next_i = e.end;
                    }
                    None => self.unclosed(at_of(start), "comment", start, end, text, coded, origin),
                },
                n if opens_block(n) => match block(text, tag, to) {
                    Some(b) => {
                        next_i = b.end.end;
                        self.run_block(text, b, locals, code, origin, depth);
                    }
                    None => {
                        self.unclosed(at_of(start), n, start, end, text, coded, origin);
                    }
                },
                "break" | "continue" if self.loops > 0 => {
                    self.replace(start, end, "", origin);
                    self.interrupt = Some(if tag.name == "break" { Interrupt::Break } else { Interrupt::Continue });
                }
                "highlight" => {
                    let Some(e) = find_tag(&text[..to], end, "endhighlight") else {
                        self.unclosed(at_of(start), "highlight", start, end, text, coded, origin);
                        i = end;
                        copied = i;
                        continue;
                    };
                    let mut words = tag.args.split_whitespace();
                    let lang = words.next().unwrap_or("");
                    let rest: Vec<&str> = words.collect();
                    for w in &rest {
                        if *w != "linenos" && !w.starts_with("mark_lines") && !w.starts_with("hl_lines") {
                            self.problem(
                                at_of(start),
                                Severity::Warning,
                                "liquid-highlight",
                                format!("highlight option `{w}` is not supported"),
                                "supported: `{% highlight LANG %}` and `linenos`",
                            );
                        }
                    }
                    let body = &text[end..e.start];
                    let longest = longest_run(body, '`');
                    let fence = "`".repeat(longest.max(2) + 1);
                    let at_line_start = self.out.is_empty() || self.out.ends_with('\n');
                    let mut open = String::new();
                    if !at_line_start {
                        open.push('\n');
                    }
                    open.push_str(&fence);
                    open.push_str(lang);
                    if rest.contains(&"linenos") {
                        open.push_str(" linenos");
                    }
                    if !body.starts_with('\n') && !body.starts_with("\r\n") {
                        open.push('\n');
                    }
                    self.replace(start, end, &open, origin);
                    fences.push(fence);
                }
                "endhighlight" => match fences.pop() {
                    Some(fence) => {
                        let close = if self.out.ends_with('\n') { fence } else { format!("\n{fence}") };
                        self.replace(start, end, &close, origin);
                    }
                    None => {
                        self.problem(
                            at_of(start),
                            Severity::Warning,
                            "liquid",
                            "`endhighlight` without `highlight`".into(),
                            "remove it",
                        );
                        self.unread(start, end, &text[start..end], coded, origin);
                    }
                },
                "assign" => match parse_assign(tag.args) {
                    Some((name, expr)) => match self.eval_expr(expr, locals) {
                        Ok(v) => {
                            locals.insert(name.to_string(), v);
                            self.replace(start, end, "", origin);
                        }
                        Err((c, msg, hint)) => {
                            self.problem(at_of(start), Severity::Warning, c, msg, hint);
                            self.unread(start, end, &text[start..end], coded, origin);
                        }
                    },
                    None => {
                        self.problem(
                            at_of(start),
                            Severity::Warning,
                            "liquid",
                            format!("cannot read `assign {}`", tag.args),
                            "write `{% assign name = \"value\" %}`",
                        );
                        self.unread(start, end, &text[start..end], coded, origin);
                    }
                },
                "post_url" => {
                    let name = tag.args.trim();
                    // Jekyll accepts the name with or without a directory (`2024/2024-01-01-x`).
                    let key = name.rsplit('/').next().unwrap_or(name).trim_end_matches(".md");
                    match self.ctx.posts.get(key) {
                        Some(url) => {
                            let v = format!("{}{url}", self.ctx.base_path);
                            self.replace(start, end, &v, origin);
                        }
                        None => {
                            self.problem(
                                at_of(start),
                                Severity::Error,
                                "broken-link",
                                format!("`post_url {name}`: no post with that name"),
                                "name a post's file without `.md` (`2024-08-03-kafka-delivery-semantics`)",
                            );
                            self.unread(start, end, &text[start..end], coded, origin);
                        }
                    }
                }
                "link" => {
                    let path = tag.args.trim().trim_start_matches('/');
                    match self.ctx.files.get(path) {
                        Some(url) => {
                            let v = format!("{}{url}", self.ctx.base_path);
                            self.replace(start, end, &v, origin);
                        }
                        None => {
                            self.problem(
                                at_of(start),
                                Severity::Error,
                                "broken-link",
                                format!("`link {path}`: no page from that file"),
                                "give the source file's path from the site root (`content/about.md`, `_posts/2024-01-01-x.md`)",
                            );
                            self.unread(start, end, &text[start..end], coded, origin);
                        }
                    }
                }
                "include" => {
                    let at = at_of(start);
                    let begin = self.out.len();
                    if let Err((c, msg, hint)) = self.include(tag.args, locals, at, depth) {
                        self.problem(at, Severity::Warning, c, msg, hint);
                        let shown = if coded { text[start..end].to_string() } else { mark(&text[start..end]) };
                        self.out.push_str(&shown);
                    }
                    if origin.is_none() {
                        self.map.segs.push((begin, self.out.len() - begin, start, end - start));
                    }
                }
                other => {
                    let (message, hint) = match other {
                        "elsif" | "else" | "when" | "endif" | "endfor" | "endunless" | "endcase" | "endcapture" => (
                            format!("Liquid tag `{other}` outside its block"),
                            "open the block it belongs to (`if`, `unless`, `for`, `case`, `capture`), or remove it",
                        ),
                        "break" | "continue" => (format!("`{other}` outside a `for` loop"), "remove it"),
                        _ => (
                            format!("Liquid tag `{other}` is not supported"),
                            "supported tags: raw, comment, if, unless, case, for, break, continue, capture, highlight, assign, include, post_url, link",
                        ),
                    };
                    self.problem(at_of(start), Severity::Warning, "liquid-tag", message, hint);
                    self.unread(start, end, &text[start..end], coded, origin);
                }
            }
            let trim_after = text[..next_i].ends_with("-%}");
            i = self.skip_space(text, next_i, to, trim_after, origin);
            copied = i;
            if self.interrupt.is_some() {
                return;
            }
        }
        if copied < to {
            self.out.push_str(&text[copied..to]);
        }
    }

    /// After a tag ending in `-%}` or `-}}`: the position past the whitespace that follows.
    fn skip_space(&mut self, text: &str, at: usize, to: usize, trim: bool, origin: Option<usize>) -> usize {
        if !trim {
            return at;
        }
        let past = at + ws_len(&text[at..to]);
        self.anchor(past, origin);
        past
    }

    /// Mark that the text copied next starts at `at` of the body (a zero-length replacement).
    fn anchor(&mut self, at: usize, origin: Option<usize>) {
        self.replace(at, at, "", origin);
    }

    /// `if`, `unless`, `case`, `for`, `capture`: the bodies their conditions choose, expanded.
    fn run_block(
        &mut self,
        text: &str,
        b: Block<'_>,
        locals: &mut BTreeMap<String, Value>,
        code: &[(usize, usize)],
        origin: Option<usize>,
        depth: usize,
    ) {
        let head = &b.parts[0].0;
        let at = origin.unwrap_or(head.start);
        self.replace(head.start, b.parts[0].1, "", origin);
        match head.name {
            "if" | "unless" => {
                for (k, (t, from, to)) in b.parts.iter().enumerate() {
                    let chosen = match t.name {
                        "else" => true,
                        _ => {
                            let c = self.condition(t.args, locals, origin.unwrap_or(t.start));
                            if k == 0 && head.name == "unless" { !c } else { c }
                        }
                    };
                    if chosen {
                        self.anchor(*from, origin);
                        self.run_text(text, *from, *to, locals, code, origin, depth);
                        break;
                    }
                }
            }
            "case" => {
                let subject = self.value_or_nil(head.args, locals, at);
                let mut matched = false;
                for (t, from, to) in &b.parts[1..] {
                    let run = match t.name {
                        "else" => !matched,
                        _ => {
                            let options = split_condition_words(t.args, &[",", "or"]);
                            let when_at = origin.unwrap_or(t.start);
                            options.iter().any(|o| equal(&subject, &self.value_or_nil(o, locals, when_at)))
                        }
                    };
                    if run {
                        matched = true;
                        self.anchor(*from, origin);
                        self.run_text(text, *from, *to, locals, code, origin, depth);
                    }
                }
            }
            "for" => self.run_for(text, &b, locals, code, origin, depth),
            "capture" => {
                let name = head.args.trim();
                let (from, to) = (b.parts[0].1, b.parts[0].2);
                let outer = std::mem::take(&mut self.out);
                let segs = self.map.segs.len();
                self.run_text(text, from, to, locals, code, origin, depth);
                self.map.segs.truncate(segs);
                let captured = std::mem::replace(&mut self.out, outer);
                if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                    self.problem(
                        at,
                        Severity::Warning,
                        "liquid",
                        format!("cannot read `capture {name}`"),
                        "write `{% capture name %}…{% endcapture %}`",
                    );
                } else {
                    locals.insert(name.to_string(), Value::Str(captured));
                }
            }
            _ => {}
        }
        self.replace(b.end.start, b.end.end, "", origin);
    }

    /// `{% for x in list limit:n offset:n reversed %}…{% else %}…{% endfor %}`, with `forloop`.
    fn run_for(
        &mut self,
        text: &str,
        b: &Block<'_>,
        locals: &mut BTreeMap<String, Value>,
        code: &[(usize, usize)],
        origin: Option<usize>,
        depth: usize,
    ) {
        let head = &b.parts[0].0;
        let at = origin.unwrap_or(head.start);
        let words = split_condition_words(head.args, &[]);
        let (var, list, params) = match words.as_slice() {
            [var, kw, list, params @ ..] if kw == "in" => {
                // `limit: 2` → `limit:2`.
                let mut joined: Vec<String> = vec![];
                for w in params {
                    match joined.last_mut() {
                        Some(last) if last.ends_with(':') => last.push_str(w),
                        _ => joined.push(w.clone()),
                    }
                }
                (var.clone(), list.clone(), joined)
            }
            _ => {
                self.problem(
                    at,
                    Severity::Warning,
                    "liquid",
                    format!("cannot read `for {}`", head.args),
                    "write `{% for item in list %}`",
                );
                return;
            }
        };
        let mut items = self.value_or_nil(&list, locals, at).items();
        let (mut offset, mut limit, mut reversed) = (0usize, None, false);
        for p in &params {
            let (k, v) = p.split_once(':').map_or((p.as_str(), ""), |(k, v)| (k.trim(), v.trim()));
            let n = if v.is_empty() {
                None
            } else {
                match self.value_or_nil(v, locals, at) {
                    Value::Int(i) => Some(i.max(0) as usize),
                    Value::Str(s) => s.trim().parse().ok(),
                    _ => None,
                }
            };
            match (k, n) {
                ("reversed", _) if v.is_empty() => reversed = true,
                ("offset", Some(n)) => offset = n,
                ("limit", Some(n)) => limit = Some(n),
                _ => self.problem(
                    at,
                    Severity::Warning,
                    "liquid",
                    format!("`for` parameter `{p}` is not supported"),
                    "supported: `limit:N`, `offset:N`, `reversed`",
                ),
            }
        }
        // Liquid slices (offset, then limit) before it reverses.
        items = items.into_iter().skip(offset).take(limit.unwrap_or(usize::MAX)).collect();
        if reversed {
            items.reverse();
        }
        if items.is_empty() {
            if let Some((_, from, to)) = b.parts.get(1) {
                self.anchor(*from, origin);
                self.run_text(text, *from, *to, locals, code, origin, depth);
            }
            return;
        }
        let (from, to) = (b.parts[0].1, b.parts[0].2);
        let saved = (locals.remove(&var), locals.remove("forloop"));
        let n = items.len();
        self.loops += 1;
        for (k, item) in items.into_iter().enumerate() {
            let forloop: BTreeMap<String, Value> = [
                ("index", Value::Int(k as i64 + 1)),
                ("index0", Value::Int(k as i64)),
                ("rindex", Value::Int((n - k) as i64)),
                ("rindex0", Value::Int((n - k - 1) as i64)),
                ("first", Value::Bool(k == 0)),
                ("last", Value::Bool(k + 1 == n)),
                ("length", Value::Int(n as i64)),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            locals.insert("forloop".into(), Value::Map(forloop));
            locals.insert(var.clone(), item);
            self.anchor(from, origin);
            self.run_text(text, from, to, locals, code, origin, depth);
            if self.interrupt.take() == Some(Interrupt::Break) {
                break;
            }
        }
        self.loops -= 1;
        locals.remove(&var);
        locals.remove("forloop");
        if let Some(v) = saved.0 {
            locals.insert(var, v);
        }
        if let Some(v) = saved.1 {
            locals.insert("forloop".into(), v);
        }
    }

    /// A value for a condition or a loop; an unknown variable is nil (as in Jekyll when it is
    /// unset), with a warning since semdoc may not know a variable Jekyll has.
    fn value_or_nil(&mut self, expr: &str, locals: &BTreeMap<String, Value>, at: usize) -> Value {
        match self.eval_value(expr, locals) {
            Ok(v) => v,
            Err((c, msg, hint)) => {
                self.problem(at, Severity::Warning, c, format!("{msg}, taken as nil"), hint);
                Value::Nil
            }
        }
    }

    /// `a == b and c contains "x" or d`: Liquid evaluates `and`/`or` from the right, without
    /// precedence (https://shopify.github.io/liquid/basics/operators/).
    fn condition(&mut self, expr: &str, locals: &BTreeMap<String, Value>, at: usize) -> bool {
        let words = split_condition_words(expr, &[]);
        let mut chunks: Vec<Vec<String>> = vec![vec![]];
        let mut ops: Vec<bool> = vec![]; // true: and
        for w in words {
            match w.as_str() {
                "and" | "or" => {
                    ops.push(w == "and");
                    chunks.push(vec![]);
                }
                _ => chunks.last_mut().expect("one chunk").push(w),
            }
        }
        let values: Vec<bool> = chunks.iter().map(|c| self.comparison(c, locals, at)).collect();
        let mut result = *values.last().unwrap_or(&false);
        for k in (0..ops.len()).rev() {
            result = if ops[k] { values[k] && result } else { values[k] || result };
        }
        result
    }

    fn comparison(&mut self, words: &[String], locals: &BTreeMap<String, Value>, at: usize) -> bool {
        let (left, op, right) = match words {
            [one] => return self.value_or_nil(one, locals, at).truthy(),
            [l, op, r] => (l, op.as_str(), r),
            _ => {
                self.problem(
                    at,
                    Severity::Warning,
                    "liquid",
                    format!("cannot read the condition `{}`, taken as false", words.join(" ")),
                    "write `a == b`, `a contains \"x\"`, joined by `and`/`or`",
                );
                return false;
            }
        };
        let a = self.value_or_nil(left, locals, at);
        // `empty` compares by emptiness (`""`, `[]`, `{}`; nil is not empty).
        if matches!(right.as_str(), "empty" | "blank") && matches!(op, "==" | "!=" | "<>") {
            let empty = !matches!(a, Value::Nil) && a.is_empty();
            return empty == (op == "==");
        }
        let b = self.value_or_nil(right, locals, at);
        let ordered = || match (a.number(), b.number(), &a, &b) {
            (Some(x), Some(y), ..) => x.partial_cmp(&y),
            (_, _, Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
            _ => None,
        };
        use std::cmp::Ordering::*;
        let result = match op {
            "==" => Some(equal(&a, &b)),
            "!=" | "<>" => Some(!equal(&a, &b)),
            "<" => ordered().map(|o| o == Less),
            ">" => ordered().map(|o| o == Greater),
            "<=" => ordered().map(|o| o != Greater),
            ">=" => ordered().map(|o| o != Less),
            "contains" => Some(match (&a, &b) {
                (Value::Str(s), _) => s.contains(&b.render()),
                (Value::List(l), _) => l.iter().any(|x| equal(x, &b)),
                (Value::Map(m), Value::Str(k)) => m.contains_key(k),
                _ => false,
            }),
            _ => {
                self.problem(
                    at,
                    Severity::Warning,
                    "liquid",
                    format!("unknown operator `{op}`, taken as false"),
                    "operators: ==, !=, <, >, <=, >=, contains, and, or",
                );
                return false;
            }
        };
        result.unwrap_or_else(|| {
            self.problem(
                at,
                Severity::Warning,
                "liquid",
                format!("`{left} {op} {right}` compares values that have no order, taken as false"),
                "compare two numbers or two strings",
            );
            false
        })
    }

    fn run(
        &mut self,
        from: usize,
        to: usize,
        locals: &mut BTreeMap<String, Value>,
        code: &[(usize, usize)],
        origin: Option<usize>,
        depth: usize,
    ) {
        let src = self.src;
        self.run_text(src, from, to, locals, code, origin, depth);
    }

    #[allow(clippy::too_many_arguments)]
    fn unclosed(
        &mut self,
        at: usize,
        name: &str,
        start: usize,
        end: usize,
        text: &str,
        coded: bool,
        origin: Option<usize>,
    ) {
        self.problem(
            at,
            Severity::Warning,
            "liquid",
            format!("`{{% {name} %}}` is never closed"),
            "add the matching end tag",
        );
        self.unread(start, end, &text[start..end], coded, origin);
    }

    /// Unsupported text: kept visible (marked outside code), mapped to where it was.
    fn unread(&mut self, start: usize, end: usize, text: &str, coded: bool, origin: Option<usize>) {
        let shown = if coded { text.to_string() } else { mark(text) };
        self.replace(start, end, &shown, origin);
    }

    /// `{% include FILE k=v … %}`: the site's file, expanded with `include.k`, or a built-in.
    fn include(
        &mut self,
        args: &str,
        locals: &BTreeMap<String, Value>,
        at: usize,
        depth: usize,
    ) -> Result<(), Failure> {
        let words = split_words(args);
        let Some((file, params)) = words.split_first() else {
            return Err(("liquid-include", "`include` names no file".into(), "write `{% include file.html k=v %}`"));
        };
        let mut vars = locals.clone();
        let mut include = BTreeMap::new();
        for p in params {
            let Some((k, v)) = p.split_once('=') else {
                return Err((
                    "liquid-include",
                    format!("include parameter `{p}` is not `key=value`"),
                    "write `{% include file.html k=v %}`",
                ));
            };
            let v = self.eval_value(v.trim(), locals)?;
            include.insert(k.trim().to_string(), v);
        }
        if depth >= MAX_INCLUDE_DEPTH {
            return Err(("liquid-include", format!("include `{file}` nests too deep"), "an include includes itself"));
        }
        vars.insert("include".into(), Value::Map(include.clone()));
        let ctx: &'a Context = self.ctx;
        if let Some(text) = ctx.includes.get(file.as_str()) {
            self.run_text(text, 0, text.len(), &mut vars, &[], Some(at), depth + 1);
            return Ok(());
        }
        let get = |k: &str| include.get(k).map(Value::render).unwrap_or_default();
        let e = crate::html::esc;
        let html = match file.as_str() {
            "embed/youtube.html" => format!(
                "<iframe class=\"embed-video youtube\" loading=\"lazy\" src=\"https://www.youtube.com/embed/{}\" title=\"YouTube video player\" allow=\"accelerometer; clipboard-write; encrypted-media; gyroscope; picture-in-picture\" allowfullscreen></iframe>",
                e(&get("id"))
            ),
            "embed/bilibili.html" => format!(
                "<iframe class=\"embed-video bilibili\" loading=\"lazy\" src=\"https://player.bilibili.com/player.html?bvid={}\" allowfullscreen></iframe>",
                e(&get("id"))
            ),
            "embed/video.html" => {
                format!("<video class=\"embed-video file\" src=\"{}\" controls></video>", e(&get("src")))
            }
            "embed/audio.html" => {
                format!("<audio class=\"embed-audio file\" src=\"{}\" controls></audio>", e(&get("src")))
            }
            _ => {
                return Err((
                    "liquid-include",
                    format!("include `{file}`: no such file in _includes/"),
                    "add the file under _includes/ (built in: embed/youtube.html, embed/bilibili.html, embed/video.html, embed/audio.html)",
                ));
            }
        };
        self.out.push_str(&html);
        Ok(())
    }

    /// `expr | filter: arg | …` → its value.
    fn eval_expr(&self, expr: &str, locals: &BTreeMap<String, Value>) -> Result<Value, Failure> {
        let parts = split_outside_quotes(expr, '|');
        let mut v = self.eval_value(parts[0].trim(), locals)?;
        for f in &parts[1..] {
            let f = f.trim();
            let (name, args) = match f.split_once(':') {
                Some((n, a)) => (n.trim(), split_outside_quotes(a, ',')),
                None => (f, vec![]),
            };
            let args: Vec<Value> = args.iter().map(|a| self.eval_value(a.trim(), locals)).collect::<Result<_, _>>()?;
            v = self.filter(name, v, &args)?;
        }
        Ok(v)
    }

    fn eval_value(&self, expr: &str, locals: &BTreeMap<String, Value>) -> Result<Value, Failure> {
        let e = expr.trim();
        if e.len() >= 2 && ((e.starts_with('"') && e.ends_with('"')) || (e.starts_with('\'') && e.ends_with('\''))) {
            return Ok(Value::Str(e[1..e.len() - 1].to_string()));
        }
        if let Ok(i) = e.parse::<i64>() {
            return Ok(Value::Int(i));
        }
        if e.starts_with(|c: char| c.is_ascii_digit() || c == '-')
            && let Ok(f) = e.parse::<f64>()
        {
            return Ok(Value::Float(f));
        }
        match e {
            "true" => return Ok(Value::Bool(true)),
            "false" => return Ok(Value::Bool(false)),
            "nil" | "null" => return Ok(Value::Nil),
            "empty" | "blank" => return Ok(Value::Str(String::new())),
            _ => {}
        }
        // `(1..5)`, `(1..n)`: a range of integers.
        if let Some(inner) = e.strip_prefix('(').and_then(|x| x.strip_suffix(')'))
            && let Some((lo, hi)) = inner.split_once("..")
        {
            let int = |s: &str| match self.eval_value(s, locals)? {
                Value::Int(i) => Ok(i),
                Value::Str(s) if s.trim().parse::<i64>().is_ok() => Ok(s.trim().parse::<i64>().unwrap_or(0)),
                _ => Err(("liquid", format!("`{s}` in the range `{e}` is not a number"), "write `(1..5)`")),
            };
            let (lo, hi) = (int(lo)?, int(hi)?);
            if hi.saturating_sub(lo) > MAX_RANGE {
                return Err(("liquid", format!("the range `{e}` is too long"), "semdoc walks at most 10 000 numbers"));
            }
            return Ok(Value::List((lo..=hi).map(Value::Int).collect()));
        }
        let Some((root, segs)) = path(e) else {
            return Err((
                "liquid-variable",
                format!("cannot read `{e}`"),
                "write a variable (`page.title`, `item.name`, `list[0]`) or a quoted string",
            ));
        };
        let found = match (root, segs.split_first()) {
            ("site" | "page", Some((first, rest))) if !locals.contains_key(root) => {
                let map = if root == "site" { &self.ctx.site } else { &self.ctx.page };
                let key = self.segment(first, locals)?;
                match map.get(&key.render()) {
                    Some(v) => self.walk(v, rest, locals)?,
                    None => None,
                }
            }
            _ => match locals.get(root) {
                Some(v) => self.walk(v, &segs, locals)?,
                None => None,
            },
        };
        match found {
            Some(v) => Ok(v),
            None => {
                let hint = match root {
                    "site" => "semdoc knows site.title, url, baseurl, description, lang, author, data",
                    "page" => "semdoc knows page.title, date, url, categories, tags, description, slug, path",
                    _ => {
                        "assign it first (`{% assign name = \"value\" %}`), or wrap the text in {% raw %}…{% endraw %}"
                    }
                };
                Err(("liquid-variable", format!("unknown Liquid variable `{e}`"), hint))
            }
        }
    }

    fn segment(&self, seg: &Seg<'_>, locals: &BTreeMap<String, Value>) -> Result<Value, Failure> {
        match seg {
            Seg::Key(k) => Ok(Value::Str((*k).to_string())),
            Seg::Index(x) => self.eval_value(x, locals),
        }
    }

    /// Follow `.key` and `[index]` from `v`.
    fn walk(&self, v: &Value, segs: &[Seg<'_>], locals: &BTreeMap<String, Value>) -> Result<Option<Value>, Failure> {
        let Some((first, rest)) = segs.split_first() else { return Ok(Some(v.clone())) };
        let key = self.segment(first, locals)?;
        let inner = match (v, &key) {
            (Value::Map(m), Value::Str(k)) => m.get(k),
            (Value::List(l), Value::Int(i)) => {
                let i = if *i < 0 { l.len() as i64 + i } else { *i };
                usize::try_from(i).ok().and_then(|i| l.get(i))
            }
            _ => None,
        };
        match inner {
            Some(x) => self.walk(x, rest, locals),
            None => match v.get(&key) {
                Some(x) => self.walk(&x, rest, locals),
                None => Ok(None),
            },
        }
    }

    fn filter(&self, name: &str, v: Value, args: &[Value]) -> Result<Value, Failure> {
        let arg = |i: usize| args.get(i).map(Value::render).unwrap_or_default();
        let num = |x: &Value| x.number().or_else(|| x.render().trim().parse::<f64>().ok());
        let s = v.render();
        // Arithmetic keeps integers integers, as Liquid does.
        let arith = |f: fn(f64, f64) -> f64, g: fn(i64, i64) -> Option<i64>| -> Result<Value, Failure> {
            let b = args.first().cloned().unwrap_or(Value::Nil);
            let as_int = |x: &Value| match x {
                Value::Int(i) => Some(*i),
                Value::Str(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            };
            match (as_int(&v), as_int(&b)) {
                (Some(x), Some(y)) => g(x, y).map(Value::Int).ok_or((
                    "liquid-filter",
                    format!("`{name}` by {y}"),
                    "divide by a number other than 0",
                )),
                _ => match (num(&v), num(&b)) {
                    (Some(x), Some(y)) => Ok(Value::Float(f(x, y))),
                    _ => Err(("liquid-filter", format!("`{name}` needs numbers"), "use it on numbers")),
                },
            }
        };
        Ok(match name {
            "size" => Value::Int(match &v {
                Value::List(l) => l.len(),
                Value::Map(m) => m.len(),
                _ => s.chars().count(),
            } as i64),
            "first" | "last" => match &v {
                Value::List(l) => {
                    let x = if name == "first" { l.first() } else { l.last() };
                    x.cloned().unwrap_or(Value::Nil)
                }
                _ => {
                    return Err((
                        "liquid-filter",
                        format!("`{name}` needs a list"),
                        "use it on page.tags or page.categories",
                    ));
                }
            },
            "split" => {
                let sep = arg(0);
                Value::List(if sep.is_empty() {
                    s.chars().map(|c| Value::Str(c.to_string())).collect()
                } else if sep == " " {
                    s.split_whitespace().map(|w| Value::Str(w.to_string())).collect()
                } else {
                    s.split(sep.as_str()).map(|w| Value::Str(w.to_string())).collect()
                })
            }
            "reverse" => match v {
                Value::List(mut l) => {
                    l.reverse();
                    Value::List(l)
                }
                other => other,
            },
            "sort" => match v {
                Value::List(mut l) => {
                    l.sort_by(|a, b| match (a.number(), b.number()) {
                        (Some(x), Some(y)) => x.total_cmp(&y),
                        _ => a.render().cmp(&b.render()),
                    });
                    Value::List(l)
                }
                other => other,
            },
            "uniq" => match v {
                Value::List(l) => {
                    let mut seen: Vec<Value> = vec![];
                    for x in l {
                        if !seen.iter().any(|y| equal(y, &x)) {
                            seen.push(x);
                        }
                    }
                    Value::List(seen)
                }
                other => other,
            },
            "join" => match &v {
                Value::List(l) => {
                    let sep = if args.is_empty() { " ".to_string() } else { arg(0) };
                    Value::Str(l.iter().map(Value::render).collect::<Vec<_>>().join(&sep))
                }
                _ => Value::Str(s),
            },
            "plus" => arith(|x, y| x + y, i64::checked_add)?,
            "minus" => arith(|x, y| x - y, i64::checked_sub)?,
            "times" => arith(|x, y| x * y, i64::checked_mul)?,
            // Integer division floors in Ruby.
            "divided_by" => arith(|x, y| x / y, |x, y| (y != 0).then(|| x.div_euclid(y)))?,
            "modulo" => arith(|x, y| x % y, |x, y| (y != 0).then(|| x.rem_euclid(y)))?,
            "default" => {
                if v.is_empty() || matches!(v, Value::Bool(false)) {
                    args.first().cloned().unwrap_or(Value::Nil)
                } else {
                    v
                }
            }
            _ => Value::Str(match name {
                "relative_url" => relative(&self.ctx.base_path, &s),
                "absolute_url" => {
                    if s.contains("://") {
                        s
                    } else {
                        let origin = self.ctx.base_url.strip_suffix(&self.ctx.base_path).unwrap_or(&self.ctx.base_url);
                        format!("{origin}{}", relative(&self.ctx.base_path, &s))
                    }
                }
                "escape" | "xml_escape" => crate::html::esc(&s),
                "upcase" => s.to_uppercase(),
                "downcase" => s.to_lowercase(),
                "capitalize" => {
                    let mut c = s.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect())
                        .unwrap_or_default()
                }
                "strip" => s.trim().to_string(),
                "slugify" => super::slugify(&s),
                "append" => s + &arg(0),
                "prepend" => arg(0) + &s,
                "replace" => s.replace(&arg(0), &arg(1)),
                "remove" => s.replace(&arg(0), ""),
                "date" | "date_to_xmlschema" | "date_to_string" => {
                    let Value::Date { at, .. } = &v else {
                        return Err(("liquid-filter", format!("`{name}` needs a date"), "use it on page.date"));
                    };
                    let fmt = match name {
                        "date" => arg(0),
                        "date_to_xmlschema" => "%Y-%m-%dT%H:%M:%S%:z".into(),
                        _ => "%d %b %Y".into(),
                    };
                    let items: Vec<chrono::format::Item> = chrono::format::StrftimeItems::new(&fmt).collect();
                    if items.iter().any(|i| matches!(i, chrono::format::Item::Error)) {
                        return Err((
                            "liquid-filter",
                            format!("date format `{fmt}` is not valid"),
                            "use strftime directives (`%Y-%m-%d`)",
                        ));
                    }
                    at.format_with_items(items.into_iter()).to_string()
                }
                other => {
                    return Err((
                        "liquid-filter",
                        format!("Liquid filter `{other}` is not supported"),
                        "supported: relative_url, absolute_url, escape, xml_escape, upcase, downcase, capitalize, strip, slugify, default, append, prepend, replace, remove, split, join, size, first, last, reverse, sort, uniq, plus, minus, times, divided_by, modulo, date, date_to_xmlschema, date_to_string",
                    ));
                }
            }),
        })
    }
}

/// The longest range `(a..b)` a `for` loop walks.
const MAX_RANGE: i64 = 10_000;

/// A step of a variable's path: `.key` or `[expr]`.
enum Seg<'e> {
    Key(&'e str),
    Index(&'e str),
}

/// `site.data.authors[name].email` → `("site", [data, authors, [name], email])`.
fn path(e: &str) -> Option<(&str, Vec<Seg<'_>>)> {
    let ident = |s: &str| {
        let n = s.find(['.', '[']).unwrap_or(s.len());
        let id = &s[..n];
        (!id.is_empty()
            && id.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '?')
            && !id.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
        .then_some(n)
    };
    let n = ident(e)?;
    let (root, mut rest) = (&e[..n], &e[n..]);
    let mut segs = vec![];
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let n = r.find(['.', '[']).unwrap_or(r.len());
            if n == 0 {
                return None;
            }
            segs.push(Seg::Key(&r[..n]));
            rest = &r[n..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']')?;
            segs.push(Seg::Index(r[..close].trim()));
            rest = &r[close + 1..];
        } else {
            return None;
        }
    }
    Some((root, segs))
}

/// The length of the whitespace at the start of `s`.
fn ws_len(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// A tag's arguments as words outside quotes and parentheses; each of `seps` (`,`, `or`) is a
/// separator dropped from the words; `a==b` is split into `a`, `==`, `b`.
fn split_condition_words(s: &str, seps: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = vec![];
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut paren = 0usize;
    let flush = |cur: &mut String, words: &mut Vec<String>| {
        if !cur.is_empty() {
            words.push(std::mem::take(cur));
        }
    };
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                cur.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                cur.push(c);
            }
            None if c == '(' => {
                paren += 1;
                cur.push(c);
            }
            None if c == ')' => {
                paren = paren.saturating_sub(1);
                cur.push(c);
            }
            None if paren > 0 => cur.push(c),
            None if c.is_whitespace() => flush(&mut cur, &mut words),
            None if c == ',' && seps.contains(&",") => flush(&mut cur, &mut words),
            None if matches!(c, '=' | '!' | '<' | '>') => {
                flush(&mut cur, &mut words);
                let mut op = c.to_string();
                if let Some(&n) = chars.peek()
                    && matches!(n, '=' | '>')
                {
                    op.push(n);
                    chars.next();
                }
                words.push(op);
            }
            None => cur.push(c),
        }
    }
    flush(&mut cur, &mut words);
    words.retain(|w| !seps.contains(&w.as_str()));
    words
}

/// A problem while evaluating: code, message, hint.
type Failure = (&'static str, String, &'static str);

/// Jekyll's `relative_url`: the base path, then the path with a leading `/`.
fn relative(base_path: &str, s: &str) -> String {
    if s.contains("://") || s.starts_with("//") {
        return s.to_string();
    }
    let s = s.trim_start_matches('/');
    format!("{base_path}/{s}")
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for ch in s.chars() {
        cur = if ch == c { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}

/// `name = value` of an `assign`.
fn parse_assign(args: &str) -> Option<(&str, &str)> {
    let (name, value) = args.split_once('=')?;
    let name = name.trim();
    (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'))
        .then_some((name, value.trim()))
}

/// Split at `sep` outside quotes.
fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut out = vec![];
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == sep => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            None => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// Words separated by whitespace outside quotes, with `k = v` joined to `k=v`.
fn split_words(s: &str) -> Vec<String> {
    let mut words: Vec<String> = vec![];
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) => {
                cur.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                cur.push(c);
            }
            None if c.is_whitespace() => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            None => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    // `k = v` and `k= v` → `k=v`.
    let mut joined: Vec<String> = vec![];
    for w in words {
        match joined.last_mut() {
            Some(last) if last.ends_with('=') || w.starts_with('=') => last.push_str(&w),
            _ => joined.push(w),
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        let mut c = Context { base_url: "https://ex.org/blog".into(), base_path: "/blog".into(), ..Default::default() };
        c.site.insert("title".into(), Value::Str("Site".into()));
        c.site.insert("baseurl".into(), Value::Str("/blog".into()));
        c.page.insert("title".into(), Value::Str("Post".into()));
        c.page.insert("tags".into(), Value::strings(&["a".into(), "b".into()]));
        let at = DateTime::parse_from_rfc3339("2024-08-03T23:10:00+09:00").unwrap();
        c.page.insert("date".into(), Value::Date { written: "2024-08-03 23:10:00 +0900".into(), at });
        c.posts = std::sync::Arc::new([("2024-01-02-other".to_string(), "/posts/other/".to_string())].into());
        c.files = std::sync::Arc::new([("content/about.md".to_string(), "/about/".to_string())].into());
        c.includes = std::sync::Arc::new([("note.html".to_string(), "<b>{{ include.text }}</b>".to_string())].into());
        c
    }

    fn codes(e: &Expanded) -> Vec<&'static str> {
        e.problems.iter().map(|p| p.code).collect()
    }

    #[test]
    fn variables_filters_and_urls() {
        let e = expand(
            "# {{ page.title }} on {{ site.title }}\n![x]({{ site.baseurl }}/img.png) [a]({{ '/about/' | relative_url }}) {{ '/x' | absolute_url }}\n{{ page.tags | join: ', ' }} {{ page.date | date: '%Y/%m/%d' }} {{ page.title | upcase | append: '!' }}",
            &ctx(),
        );
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(
            e.text,
            "# Post on Site\n![x](/blog/img.png) [a](/blog/about/) https://ex.org/blog/x\na, b 2024/08/03 POST!"
        );
    }

    #[test]
    fn a_percent_brace_right_after_the_opening_is_not_its_close() {
        // `{%}` once sliced `src[at + 2..at + 1]` and panicked (found by the markdown fuzz check).
        for src in ["{%}", "a {%} b", "```\n{%}\n```\n", "{%}%}"] {
            let e = expand(src, &ctx());
            assert!(codes(&e).iter().any(|c| c.starts_with("liquid")), "{src:?}: {:?}", e.problems);
        }
    }

    #[test]
    fn raw_comment_assign_and_highlight() {
        let e = expand(
            "{% raw %}{{ kept }}{% endraw %}\n{% comment %}gone\n{{ x }}{% endcomment %}!\n{% assign n = \"v\" %}{{ n }}\n{% highlight python linenos %}\nprint('{{ page.title }}')\n{% endhighlight %}\n",
            &ctx(),
        );
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(e.text, "{{ kept }}\n!\nv\n```python linenos\nprint('Post')\n```\n");
    }

    #[test]
    fn highlight_fence_is_longer_than_any_backtick_run_inside() {
        let e = expand("{% highlight md %}\n```x```\n{% endhighlight %}", &ctx());
        assert_eq!(e.text, "````md\n```x```\n````");
    }

    #[test]
    fn post_url_link_and_include() {
        let e = expand(
            "[o]({% post_url 2024-01-02-other %}) [a]({% link content/about.md %}) {% include note.html text=\"hi\" %} {% include embed/youtube.html id='abc' %}",
            &ctx(),
        );
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert!(e.text.starts_with("[o](/blog/posts/other/) [a](/blog/about/) <b>hi</b> <iframe"), "{}", e.text);
        assert!(e.text.contains("youtube.com/embed/abc"));
        let e = expand("x {% post_url nope %} {% link nope.md %}", &ctx());
        assert_eq!(codes(&e), ["broken-link", "broken-link"]);
        assert!(e.problems.iter().all(|p| p.severity == Severity::Error));
        assert_eq!(e.problems[0].offset, 2);
    }

    #[test]
    fn unsupported_is_warned_and_marked_never_silent() {
        let src = "a {% tablerow x in y %}b{% endtablerow %} {{ page.nope }} {{ 'x' | shout }} {% include missing.html %}\n```\n{% cycle y %}\n```\n";
        let e = expand(src, &ctx());
        assert_eq!(
            codes(&e),
            ["liquid-tag", "liquid-tag", "liquid-variable", "liquid-filter", "liquid-include", "liquid-tag"]
        );
        assert_eq!(e.problems[0].offset, 2);
        assert!(e.problems[2].message.contains("page.nope"));
        assert!(e.problems[3].message.contains("shout"));
        assert!(e.text.contains("<mark class=\"semdoc-unread\">&#123;% tablerow x in y %&#125;</mark>"), "{}", e.text);
        assert!(e.text.contains("```\n{% cycle y %}\n```"), "left as written inside code: {}", e.text);
        assert!(!e.text.replace("```\n{% cycle y %}", "").contains("{%"));
    }

    #[test]
    fn control_flow_as_liquid_evaluates_it() {
        let cases = [
            ("{% if page.title == 'Post' %}y{% else %}n{% endif %}", "y"),
            ("{% if page.title != 'Post' %}y{% elsif page.tags contains 'b' %}e{% else %}n{% endif %}", "e"),
            ("{% unless page.title contains 'os' %}u{% else %}k{% endunless %}", "k"),
            // Only nil and false are false; `and`/`or` group from the right.
            ("{% if '' %}a{% endif %}{% if 0 %}b{% endif %}{% if nil %}c{% endif %}{% if false %}d{% endif %}", "ab"),
            ("{% if true or false and false %}t{% endif %}", "t"),
            ("{% if false and false or true %}t{% else %}f{% endif %}", "f"),
            ("{% if 2 > 1 and 1 <= 1 and 'b' >= 'a' %}o{% endif %}", "o"),
            (
                "{% for t in page.tags %}{{ forloop.index }}{{ t }}{% unless forloop.last %},{% endunless %}{% endfor %}",
                "1a,2b",
            ),
            ("{% for i in (1..6) limit: 3 offset:1 reversed %}{{ i }}{% endfor %}", "432"),
            (
                "{% for i in (1..5) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif %}{{ i }}{% endfor %}",
                "13",
            ),
            ("{% for x in page.none_list %}x{% else %}empty{% endfor %}", "empty"),
            ("{% capture c %}[{{ page.title | upcase }}]{% endcapture %}{{ c }}{{ c | size }}", "[POST]6"),
            ("{% case page.title %}{% when 'A', 'Post' %}p{% when 'Post' %}q{% else %}e{% endcase %}", "pq"),
            ("{% case 3 %}{% when 1 or 2 %}x{% else %}e{% endcase %}", "e"),
            ("{% assign n = page.tags | size | plus: 2 %}{{ n | times: 2 }} {{ 7 | divided_by: 2 }}", "8 3"),
            ("{% assign l = 'c,a,b' | split: ',' | sort %}{{ l | join: '-' }} {{ l[1] }} {{ l.size }}", "a-b-c b 3"),
            ("a  {%- if true -%}  b  {%- endif -%}  c\n{{- ' d ' -}}\n e", "abc d e"),
            ("{% if page.title == empty %}x{% endif %}{% if '' == empty %}y{% endif %}", "y"),
        ];
        for (src, want) in cases {
            let e = expand(src, &ctx());
            let unknown: Vec<_> = e.problems.iter().filter(|p| !p.message.contains("none_list")).collect();
            assert!(unknown.is_empty(), "{src}: {:?}", e.problems);
            assert_eq!(e.text, want, "{src}");
        }
    }

    #[test]
    fn blocks_keep_offsets_and_report_problems_where_written() {
        let src = "{% for t in page.tags %}{{ t }}{% endfor %} x {% if page.nope %}y{% endif %} {% if a %}";
        let e = expand(src, &ctx());
        let out_x = e.text.find('x').unwrap();
        assert_eq!(e.map.to_source(out_x), src.find('x').unwrap());
        assert_eq!(codes(&e), ["liquid-variable", "liquid"]);
        assert_eq!(e.problems[0].offset, src.find("{% if page.nope").unwrap());
        assert_eq!(e.problems[1].offset, src.find("{% if a %}").unwrap());
        assert!(e.text.contains("<mark"), "an unclosed block is marked: {}", e.text);
        let e = expand("{% else %}{% endfor %}{% break %}", &ctx());
        assert_eq!(codes(&e), ["liquid-tag", "liquid-tag", "liquid-tag"]);
    }

    #[test]
    fn unclosed_and_malformed_never_panic() {
        for src in [
            "{{",
            "{%",
            "{% raw %}x",
            "{{ 'a | x",
            "{% highlight %}",
            "{% include %}",
            "{% assign = %}",
            "{% endhighlight %}",
            "{{ page.date | date: '%Q' }}",
            "é{{é}}",
            "{% include a.html k %}",
        ] {
            let e = expand(src, &ctx());
            assert!(!e.problems.is_empty(), "{src}: {:?}", e.text);
        }
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let src = "{{ page.title }} x\n{% comment %}a\nb{% endcomment %}y {{ page.nope }}";
        let e = expand(src, &ctx());
        // `x` after the expanded title.
        let out_x = e.text.find('x').unwrap();
        assert_eq!(e.map.to_source(out_x), src.find('x').unwrap());
        let out_y = e.text.find('y').unwrap();
        assert_eq!(e.map.to_source(out_y), src.find('y').unwrap());
        // Inside a replacement: the tag's start.
        assert_eq!(e.map.to_source(1), 0);
        assert_eq!(e.problems[0].offset, src.find("{{ page.nope").unwrap());
        let mark = e.text.find("<mark").unwrap();
        assert_eq!(e.map.to_source(mark), src.find("{{ page.nope").unwrap());
    }

    #[test]
    fn include_recursion_is_bounded() {
        let mut c = ctx();
        c.includes = std::sync::Arc::new([("a.html".to_string(), "{% include a.html %}".to_string())].into());
        let e = expand("{% include a.html %}", &c);
        assert_eq!(codes(&e), ["liquid-include"]);
    }
}
