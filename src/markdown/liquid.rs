//! Liquid on a page body before Markdown, as Jekyll runs it (https://jekyllrb.com/docs/liquid/,
//! https://shopify.github.io/liquid/): the tags and filters Jekyll/Chirpy posts use, each other
//! tag, filter or variable a warning with the text left visibly marked; pure (includes and the
//! site's URLs come in as data) and with an offset map back to the original text.
//!
//! Supported tags: `raw`, `comment`, `highlight LANG [linenos]` (becomes a fenced code block),
//! `assign NAME = literal|variable`, `include FILE k=v …` (the site's `_includes/` files, or a
//! built-in for Chirpy's `embed/youtube.html`, `embed/twitch.html`, `embed/bilibili.html`),
//! `post_url NAME`, `link PATH`. Supported filters: `relative_url`, `absolute_url`, `escape`,
//! `xml_escape`, `upcase`, `downcase`, `strip`, `slugify`, `default`, `append`, `prepend`,
//! `join`, `size`, `first`, `last`, `date`, `date_to_xmlschema`, `date_to_string`.
//! Whitespace control (`{%-`, `-%}`) is accepted; the whitespace is kept.

use crate::diag::Severity;
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeMap;

/// A value a Liquid variable can hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Str(String),
    List(Vec<String>),
    /// A date: shown as written, formatted by the date filters.
    Date {
        written: String,
        at: DateTime<FixedOffset>,
    },
}

impl Value {
    fn render(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            // Liquid prints an array's items one after another.
            Value::List(l) => l.concat(),
            Value::Date { written, .. } => written.clone(),
        }
    }
    fn is_empty(&self) -> bool {
        match self {
            Value::Str(s) => s.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Date { .. } => false,
        }
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
    let mut st = State { src, ctx, out: String::with_capacity(src.len()), map: OffsetMap::default(), problems: vec![] };
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
}

/// A tag as written: `{%- name args -%}` spanning `start..end`.
struct Tag<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    args: &'a str,
}

/// The tag starting at `at` (which holds `{%`), if it closes.
fn tag_at(src: &str, at: usize) -> Option<Tag<'_>> {
    // Search after the opening `{%`: in `{%}` the `%` is not also the start of the close.
    let close = src[at + 2..].find("%}")? + at + 2;
    let inner = src[at + 2..close].trim_start_matches('-').trim_end_matches('-').trim();
    let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    Some(Tag { start: at, end: close + 2, name, args: args.trim() })
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
            self.out.push_str(&text[copied..p]);
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
                let expr = text[p + 2..close].trim_start_matches('-').trim_end_matches('-').trim();
                match self.eval_output(expr, locals) {
                    Ok(v) => self.replace(p, close + 2, &v, origin),
                    Err((code_s, msg, hint)) => {
                        self.problem(at_of(p), Severity::Warning, code_s, msg, hint);
                        self.unread(p, close + 2, &text[p..close + 2], coded, origin);
                    }
                }
                i = close + 2;
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
                        self.out.push_str(&text[end..e.start]);
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
                    Some((name, expr)) => match self.eval_output(expr, locals) {
                        Ok(v) => {
                            locals.insert(name.to_string(), Value::Str(v));
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
                    let hint = match other {
                        "if" | "unless" | "for" | "case" | "capture" | "elsif" | "else" | "endif" | "endfor"
                        | "endunless" | "endcase" | "endcapture" => {
                            "semdoc does not evaluate Liquid control flow; write the result, or wrap the text in {% raw %}…{% endraw %}"
                        }
                        _ => "supported tags: raw, comment, highlight, assign, include, post_url, link",
                    };
                    self.problem(
                        at_of(start),
                        Severity::Warning,
                        "liquid-tag",
                        format!("Liquid tag `{other}` is not supported"),
                        hint,
                    );
                    self.unread(start, end, &text[start..end], coded, origin);
                }
            }
            i = next_i;
            copied = i;
        }
        if copied < to {
            self.out.push_str(&text[copied..to]);
        }
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
        for p in params {
            let Some((k, v)) = p.split_once('=') else {
                return Err((
                    "liquid-include",
                    format!("include parameter `{p}` is not `key=value`"),
                    "write `{% include file.html k=v %}`",
                ));
            };
            let v = self.eval_value(v.trim(), locals)?;
            vars.insert(format!("include.{}", k.trim()), v);
        }
        if depth >= MAX_INCLUDE_DEPTH {
            return Err(("liquid-include", format!("include `{file}` nests too deep"), "an include includes itself"));
        }
        let ctx: &'a Context = self.ctx;
        if let Some(text) = ctx.includes.get(file.as_str()) {
            self.run_text(text, 0, text.len(), &mut vars, &[], Some(at), depth + 1);
            return Ok(());
        }
        let get = |k: &str| vars.get(&format!("include.{k}")).map(Value::render).unwrap_or_default();
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

    /// `{{ expr | filter: arg | … }}` → its text.
    fn eval_output(&self, expr: &str, locals: &BTreeMap<String, Value>) -> Result<String, Failure> {
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
        Ok(v.render())
    }

    fn eval_value(&self, expr: &str, locals: &BTreeMap<String, Value>) -> Result<Value, Failure> {
        let e = expr.trim();
        if e.len() >= 2 && ((e.starts_with('"') && e.ends_with('"')) || (e.starts_with('\'') && e.ends_with('\''))) {
            return Ok(Value::Str(e[1..e.len() - 1].to_string()));
        }
        if !e.is_empty() && (e.parse::<f64>().is_ok() || matches!(e, "true" | "false")) {
            return Ok(Value::Str(e.to_string()));
        }
        if matches!(e, "nil" | "null" | "empty" | "blank") {
            return Ok(Value::Str(String::new()));
        }
        if let Some(v) = locals.get(e) {
            return Ok(v.clone());
        }
        let found = match e.split_once('.') {
            Some(("site", k)) => self.ctx.site.get(k),
            Some(("page", k)) => self.ctx.page.get(k),
            _ => None,
        };
        match found {
            Some(v) => Ok(v.clone()),
            None => {
                let hint = match e.split_once('.') {
                    Some(("site", _)) => "semdoc knows site.title, url, baseurl, description, lang, author",
                    Some(("page", _)) => {
                        "semdoc knows page.title, date, url, categories, tags, description, slug, path"
                    }
                    _ => {
                        "assign it first (`{% assign name = \"value\" %}`), or wrap the text in {% raw %}…{% endraw %}"
                    }
                };
                Err(("liquid-variable", format!("unknown Liquid variable `{e}`"), hint))
            }
        }
    }

    fn filter(&self, name: &str, v: Value, args: &[Value]) -> Result<Value, Failure> {
        let arg = |i: usize| args.get(i).map(Value::render).unwrap_or_default();
        let s = v.render();
        Ok(Value::Str(match name {
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
            "strip" => s.trim().to_string(),
            "slugify" => super::slugify(&s),
            "default" => {
                if v.is_empty() {
                    arg(0)
                } else {
                    s
                }
            }
            "append" => s + &arg(0),
            "prepend" => arg(0) + &s,
            "join" => match &v {
                Value::List(l) => l.join(&arg(0)),
                _ => s,
            },
            "size" => match &v {
                Value::List(l) => l.len().to_string(),
                _ => s.chars().count().to_string(),
            },
            "first" | "last" => match &v {
                Value::List(l) => {
                    let x = if name == "first" { l.first() } else { l.last() };
                    x.cloned().unwrap_or_default()
                }
                _ => {
                    return Err((
                        "liquid-filter",
                        format!("`{name}` needs a list"),
                        "use it on page.tags or page.categories",
                    ));
                }
            },
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
                    "supported: relative_url, absolute_url, escape, xml_escape, upcase, downcase, strip, slugify, default, append, prepend, join, size, first, last, date, date_to_xmlschema, date_to_string",
                ));
            }
        }))
    }
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
        c.page.insert("tags".into(), Value::List(vec!["a".into(), "b".into()]));
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
        let src = "a {% if x %}b{% endif %} {{ page.nope }} {{ 'x' | shout }} {% include missing.html %}\n```\n{% if y %}\n```\n";
        let e = expand(src, &ctx());
        assert_eq!(
            codes(&e),
            ["liquid-tag", "liquid-tag", "liquid-variable", "liquid-filter", "liquid-include", "liquid-tag"]
        );
        assert_eq!(e.problems[0].offset, 2);
        assert!(e.problems[2].message.contains("page.nope"));
        assert!(e.problems[3].message.contains("shout"));
        assert!(e.text.contains("<mark class=\"semdoc-unread\">&#123;% if x %&#125;</mark>"), "{}", e.text);
        assert!(e.text.contains("```\n{% if y %}\n```"), "left as written inside code: {}", e.text);
        assert!(!e.text.replace("```\n{% if y %}", "").contains("{%"));
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
