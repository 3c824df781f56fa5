//! Markdown to HTML: pulldown-cmark events (the only user of pulldown-cmark), GitHub heading ids with
//! visible anchors, the table of contents, reading time, highlighted code blocks, and the structure
//! later stages need (code blocks, tables and links with their source lines).
//!
//! After Liquid (which, as in Jekyll, runs over code blocks too), text inside code blocks is never
//! processed: it is highlighted (escaped) and nothing else; kramdown attribute lists apply outside.
//! Lines are 1-based lines of the Markdown body; the caller adds the front matter offset.

mod highlight;
pub mod kramdown;
pub mod liquid;
mod math;
mod parity;
mod reading;
mod slug;

pub use highlight::{Fragments, syntax_css, syntax_css_dark, syntax_css_light};
pub use slug::{Slugger, slugify};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    pub highlight: bool,
    /// Prefix for site-absolute link targets (`/about/` → `/docs/about/` when the site lives
    /// under `/docs`); empty for a site at the domain root.
    pub link_prefix: String,
    /// Highlighted blocks kept between runs (`build` and `check` load them from the cache).
    pub fragments: Option<std::sync::Arc<highlight::Fragments>>,
    /// The site's language (the heading anchors' accessible name).
    pub lang: crate::i18n::Lang,
    /// Rewrites a link (`false`) or image (`true`) target before it is recorded and prefixed: a
    /// Jekyll writer's `other-post.md` becomes that post's URL. None keeps the target.
    pub rewrite: Option<LinkRewrite>,
    /// `math: true` in front matter (Chirpy's switch): inline `$…$` is a formula too. `$$…$$` is
    /// one on every page.
    pub math: bool,
    /// The included text for an executable fence's info string (`include=`), if it asks for one
    /// (see `content::include::resolve`). None includes nothing.
    pub include: Option<IncludeHook>,
}

/// A function from a fence's info string to the text it includes, if it asks for one.
pub type IncludeFn = dyn Fn(&str) -> Option<Result<Included, IncludeProblem>> + Send + Sync;

/// A caller's resolution of included snippets (see `MarkdownOptions::include`).
#[derive(Clone)]
pub struct IncludeHook(pub std::sync::Arc<IncludeFn>);

impl std::fmt::Debug for IncludeHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IncludeHook")
    }
}

pub use crate::content::include::{Included, Problem as IncludeProblem};

/// A function from a link target (and whether it is an image's) to its replacement, if any.
pub type RewriteFn = dyn Fn(&str, bool) -> Option<String> + Send + Sync;

/// A caller's rewriting of link targets (see `MarkdownOptions::rewrite`).
#[derive(Clone)]
pub struct LinkRewrite(pub std::sync::Arc<RewriteFn>);

impl std::fmt::Debug for LinkRewrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkRewrite")
    }
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            highlight: true,
            link_prefix: String::new(),
            fragments: None,
            lang: crate::i18n::Lang::default(),
            rewrite: None,
            math: false,
            include: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub line: usize,
    /// Left out of the table of contents (Chirpy's `{: data-toc-skip='' }`).
    pub toc_skip: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub index: usize,
    /// First word of the info string (`properties` in ```` ```properties semdoc ````).
    pub lang: String,
    pub info: String,
    pub content: String,
    /// Line of the opening fence.
    pub fence_line: usize,
    /// Line of the first content line.
    pub content_line: usize,
    /// Where `content` comes from.
    pub origin: Origin,
}

/// Where a code block's text comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origin {
    /// Written in the page.
    #[default]
    Page,
    /// Included from a file (`include=`): its path and each line's own line number there.
    Included { path: std::path::PathBuf, lines: Vec<usize>, range: String },
    /// The fence asks for an include that could not be served (already reported at the fence).
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// Plain text; `<br>` becomes a newline.
    pub text: String,
    /// Inline code spans, in order.
    pub code: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub index: usize,
    pub line: usize,
    /// An HTML comment block right before the table (a binding marker), with its line.
    pub marker: Option<(String, usize)>,
    pub header: Vec<Cell>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub href: String,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    pub tables: Vec<Table>,
    pub links: Vec<LinkRef>,
    pub reading_time: u32,
    /// Hangul and other CJK characters outside code.
    pub char_count: usize,
    /// Words of other scripts outside code.
    pub word_count: usize,
    /// Plain text of the first paragraph, at most ~160 characters.
    pub summary: String,
    /// Problems in the body (Liquid, kramdown), at body lines.
    pub findings: Vec<Finding>,
}

/// A problem the Markdown stage found, at a 1-based line and column of the body as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: usize,
    pub col: usize,
    pub severity: crate::diag::Severity,
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

/// All pulldown-cmark options in one place.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_MATH
}

/// Where a `$$` stands in text (not in a formula, code or HTML). The parser splits text at `$`,
/// so consecutive text events are read as one run.
fn loose_dollars(events: &[(Event, std::ops::Range<usize>)]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut run: Option<(usize, String)> = None;
    let mut flush = |run: &mut Option<(usize, String)>| {
        if let Some((start, text)) = run.take()
            && let Some(at) = text.find("$$")
        {
            found.push(start + at);
        }
    };
    for (e, r) in events {
        match (e, run.as_mut()) {
            (Event::Text(t), Some((_, text))) => text.push_str(t),
            (Event::Text(t), None) => run = Some((r.start, t.to_string())),
            _ => flush(&mut run),
        }
    }
    flush(&mut run);
    found
}

/// Byte offset → (line, col), both 1-based; col counts characters. With a Liquid offset map,
/// offsets are in the expanded text and positions in the text as written.
struct Lines<'a> {
    src: &'a str,
    starts: Vec<usize>,
    map: Option<&'a liquid::OffsetMap>,
}

impl<'a> Lines<'a> {
    fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lines { src, starts, map: None }
    }
    fn pos(&self, offset: usize) -> (usize, usize) {
        let offset = self.map.map_or(offset, |m| m.to_source(offset));
        self.pos_written(offset)
    }
    /// Position of an offset in the text as written.
    fn pos_written(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self.src.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

pub fn render_markdown(src: &str, opts: &MarkdownOptions) -> Rendered {
    render_page(src, opts, None)
}

/// Render a page body: Liquid first (when `liquid` is given, as Jekyll does unless front matter
/// says `render_with_liquid: false`), then Markdown. Positions stay those of `written`.
pub fn render_page(written: &str, opts: &MarkdownOptions, liquid: Option<&liquid::Context>) -> Rendered {
    let mut lines = Lines::new(written);
    let mut findings = Vec::new();
    let expanded = liquid.filter(|_| liquid::has_liquid(written)).map(|ctx| liquid::expand(written, ctx));
    if let Some(e) = &expanded {
        for p in &e.problems {
            let (line, col) = lines.pos_written(p.offset);
            findings.push(Finding {
                line,
                col,
                severity: p.severity,
                code: p.code,
                message: p.message.clone(),
                hint: p.hint.clone(),
            });
        }
        lines.map = Some(&e.map);
    }
    let liquid_out: &str = expanded.as_ref().map_or(written, |e| e.text.as_str());
    // kramdown's block attribute lists and extension lines, blanked in place (offsets unchanged).
    let kd = kramdown::blocks(liquid_out);
    let src: &str = &kd.text;
    let mut kd_problems = kd.problems.clone();
    let mut out: Vec<Event> = Vec::new();
    let mut headings = Vec::new();
    let mut code_blocks = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut links = Vec::new();
    let mut slugger = Slugger::default();
    let mut stats = reading::TextStats::default();
    let mut summary: Option<String> = None;

    // Explicit `{#id}`s are reserved first so generated ids never collide with them.
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(src, options()).into_offset_iter().collect();
    let mut block_attrs = attach_block_ials(src, &events, &kd.ials, &mut kd_problems);
    for (i, (e, _)) in events.iter().enumerate() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            slugger.reserve(id);
        }
        if let (Event::Start(Tag::Heading { .. }), Some(Some(id))) = (e, block_attrs.get(&i).map(|a| a.id.as_ref())) {
            slugger.reserve(id);
        }
    }
    let mut footnotes = Footnotes::default();
    // A span IAL consumed: text events starting in this range are dropped.
    let mut skip = 0usize..0usize;
    // Tables with attributes: (index, attributes).
    let mut table_attrs: Vec<(usize, String)> = Vec::new();

    let mut i = 0;
    // The last block-level HTML comment and where it ended, for table markers.
    let mut last_comment: Option<(String, usize)> = None;
    let mut depth = 0usize;
    let mut para_text: Option<String> = None;
    let mut cell: Option<Cell> = None;
    while i < events.len() {
        let (ev, range) = &events[i];
        let at_top = depth == 0;
        match ev {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                // Collect the heading's inline events.
                let mut j = i + 1;
                let mut inner = Vec::new();
                let mut title = String::new();
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    match &events[j].0 {
                        Event::Text(t) | Event::Code(t) => title.push_str(t),
                        _ => {}
                    }
                    inner.push(events[j].0.clone());
                    j += 1;
                }
                let mut extra = block_attrs.remove(&i).unwrap_or_default();
                let toc_skip = extra.pairs.iter().any(|(k, _)| k == "data-toc-skip");
                let hid = match (extra.id.take(), id) {
                    (Some(x), _) => x,
                    (None, Some(id)) => id.to_string(),
                    (None, None) => slugger.unique(&slugify(&title)),
                };
                stats.add_text(&title);
                let lvl = *level as u8;
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                let mut attr_s = String::new();
                let classes: Vec<String> =
                    classes.iter().map(|c| c.to_string()).chain(extra.classes.drain(..)).collect();
                if !classes.is_empty() {
                    attr_s.push_str(&format!(" class=\"{}\"", highlight::escape(&classes.join(" "))));
                }
                attr_s.push_str(&extra.html());
                for (k, v) in attrs {
                    attr_s.push_str(&format!(
                        " {}=\"{}\"",
                        highlight::escape(k),
                        highlight::escape(v.as_deref().unwrap_or(""))
                    ));
                }
                let id_esc = highlight::escape(&hid);
                let label = opts.lang.t("heading_link");
                out.push(Event::Html(CowStr::from(format!(
                    "<h{lvl} id=\"{id_esc}\"{attr_s}>{inner_html}<a class=\"anchor\" href=\"#{id_esc}\" aria-label=\"{label}\">#</a></h{lvl}>\n"
                ))));
                headings.push(Heading { level: lvl, id: hid, title, line: lines.pos(range.start).0, toc_skip });
                last_comment = None;
                i = j + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut j = i + 1;
                let mut content = String::new();
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[j].0 {
                        content.push_str(t);
                    }
                    j += 1;
                }
                let (info, fenced) = match kind {
                    CodeBlockKind::Fenced(info) => (info.to_string(), true),
                    CodeBlockKind::Indented => (String::new(), false),
                };
                let lang = info.split_whitespace().next().unwrap_or("").to_string();
                let fence_line = lines.pos(range.start).0;
                let index = code_blocks.len();
                let executable = info.split_whitespace().skip(1).any(|w| w == "semdoc");
                let mut origin = Origin::Page;
                let mut caption = None;
                match opts.include.as_ref().and_then(|h| (h.0)(&info)) {
                    None => {}
                    Some(Ok(inc)) => {
                        if !content.trim().is_empty() {
                            findings.push(Finding {
                                line: fence_line,
                                col: 1,
                                severity: crate::diag::Severity::Warning,
                                code: "include",
                                message: {
                                    let n = content.lines().count();
                                    format!(
                                        "the fence's own text ({n} line{}) is replaced by `{}`",
                                        if n == 1 { "" } else { "s" },
                                        inc.shown.display()
                                    )
                                },
                                hint: "leave an including fence empty; its text is what `include=` names".into(),
                            });
                        }
                        caption = Some(format!("{}, {}", inc.shown.display(), inc.range));
                        content = inc.text;
                        origin = Origin::Included { path: inc.shown, lines: inc.lines, range: inc.range };
                    }
                    Some(Err(p)) => {
                        findings.push(Finding {
                            line: fence_line,
                            col: p.col,
                            severity: crate::diag::Severity::Error,
                            code: "include",
                            message: p.message,
                            hint: p.hint,
                        });
                        origin = Origin::Unavailable;
                    }
                }
                let body = if opts.highlight {
                    highlight::highlight(&content, &lang, opts.fragments.as_deref())
                } else {
                    highlight::escape(&content)
                };
                let lang_esc = highlight::escape(&lang);
                let lang_attr = if lang.is_empty() { String::new() } else { format!(" data-lang=\"{lang_esc}\"") };
                let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{lang_esc}\"") };
                let snippet_attr = if executable { format!(" data-snippet=\"{index}\"") } else { String::new() };
                let hook = if executable { format!("<!--semdoc:snippet:{index}-->") } else { String::new() };
                let pre =
                    format!("<pre class=\"code\"{lang_attr}{snippet_attr}><code{class}>{body}</code></pre>{hook}");
                out.push(Event::Html(CowStr::from(match (block_attrs.remove(&i), caption) {
                    // kramdown/Chirpy attributes go on a wrapper; `file="…"` is shown as the block's name.
                    (Some(mut a), caption) => {
                        let file = a.take("file");
                        a.classes.insert(0, "code-block".into());
                        let name = caption
                            .or(file)
                            .map(|f| format!("<div class=\"code-file\">{}</div>", highlight::escape(&f)))
                            .unwrap_or_default();
                        format!("<div{}>{name}{pre}</div>\n", a.html())
                    }
                    // An included snippet is captioned with its file and lines.
                    (None, Some(c)) => format!(
                        "<div class=\"code-block included\"><div class=\"code-file\">{}</div>{pre}</div>\n",
                        highlight::escape(&c)
                    ),
                    (None, None) => format!("{pre}\n"),
                })));
                code_blocks.push(CodeBlock {
                    index,
                    lang,
                    info,
                    content,
                    fence_line,
                    content_line: if fenced { fence_line + 1 } else { fence_line },
                    origin,
                });
                last_comment = None;
                i = j + 1;
                continue;
            }
            Event::Start(Tag::Table(_)) => {
                let index = tables.len();
                let line = lines.pos(range.start).0;
                if let Some(a) = block_attrs.remove(&i) {
                    table_attrs.push((index, a.html()));
                }
                tables.push(Table { index, line, marker: last_comment.take(), header: vec![], rows: vec![] });
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" data-semdoc-table=\"{index}\">"
                ))));
                out.push(ev.clone());
                depth += 1;
            }
            Event::End(TagEnd::Table) => {
                out.push(ev.clone());
                out.push(Event::Html(CowStr::from("</div>\n")));
                depth -= 1;
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = tables.last_mut() {
                    let r = t.rows.len();
                    t.rows.push(Row { line: lines.pos(range.start).0, cells: vec![] });
                    out.push(Event::InlineHtml(CowStr::from(format!("<!--semdoc-row:{}-{r}-->", t.index))));
                }
                out.push(ev.clone());
            }
            Event::Start(Tag::TableCell) => {
                cell = Some(Cell::default());
                out.push(ev.clone());
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some(c), Some(t)) = (cell.take(), tables.last_mut()) {
                    let mut c = c;
                    c.text = c.text.trim().to_string();
                    match t.rows.last_mut() {
                        Some(r) => r.cells.push(c),
                        None => t.header.push(c),
                    }
                }
                out.push(ev.clone());
            }
            Event::Start(Tag::HtmlBlock) => {
                let mut j = i + 1;
                let mut text = String::new();
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::HtmlBlock)) {
                    if let Event::Html(t) = &events[j].0 {
                        text.push_str(t);
                    }
                    out.push(events[j].0.clone());
                    j += 1;
                }
                let t = text.trim();
                last_comment =
                    (t.starts_with("<!--") && t.ends_with("-->")).then(|| (t.to_string(), lines.pos(range.start).0));
                i = j + 1;
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                let (line, col) = lines.pos(range.start);
                let image = matches!(ev, Event::Start(Tag::Image { .. }));
                let rewritten = opts.rewrite.as_ref().and_then(|r| (r.0)(dest_url, image));
                let dest_url: &str = rewritten.as_deref().unwrap_or(dest_url);
                links.push(LinkRef { href: dest_url.to_string(), line, col });
                if let Some((end, a)) = kramdown::span_at(src, range.end, &kd.alds, &mut kd_problems) {
                    skip = range.end..end;
                    let dest = if !opts.link_prefix.is_empty()
                        && dest_url.starts_with('/')
                        && !dest_url.starts_with("//")
                        && !dest_url
                            .strip_prefix(opts.link_prefix.as_str())
                            .is_some_and(|r| r.is_empty() || r.starts_with('/'))
                    {
                        format!("{}{dest_url}", opts.link_prefix)
                    } else {
                        dest_url.to_string()
                    };
                    let (title, is_image) = match ev {
                        Event::Start(Tag::Image { title, .. }) => (title, true),
                        Event::Start(Tag::Link { title, .. }) => (title, false),
                        _ => unreachable!("matched above"),
                    };
                    let title = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", highlight::escape(title))
                    };
                    let (dest, attrs) = (highlight::escape(&dest), a.html());
                    if is_image {
                        let end_i = end_of(&events, i);
                        let mut alt = String::new();
                        for (e, _) in &events[i + 1..end_i] {
                            if let Event::Text(t) | Event::Code(t) = e {
                                alt.push_str(t);
                            }
                        }
                        out.push(Event::InlineHtml(CowStr::from(format!(
                            "<img src=\"{dest}\" alt=\"{}\"{title}{attrs} />",
                            highlight::escape(&alt)
                        ))));
                        i = end_i + 1;
                        continue;
                    }
                    out.push(Event::InlineHtml(CowStr::from(format!("<a href=\"{dest}\"{title}{attrs}>"))));
                    i += 1;
                    continue;
                }
                // Liquid's URLs (`relative_url`, `post_url`, `{{ site.baseurl }}/…`) already carry the
                // base path, as Jekyll's do: not prefixed twice.
                let under_prefix = dest_url
                    .strip_prefix(opts.link_prefix.as_str())
                    .is_some_and(|r| r.is_empty() || r.starts_with('/'));
                let prefixed = !opts.link_prefix.is_empty()
                    && dest_url.starts_with('/')
                    && !dest_url.starts_with("//")
                    && !under_prefix;
                let new_dest: Option<CowStr> = match (prefixed, &rewritten) {
                    (true, _) => Some(format!("{}{dest_url}", opts.link_prefix).into()),
                    (false, Some(r)) => Some(r.clone().into()),
                    (false, None) => None,
                };
                out.push(match (ev.clone(), new_dest) {
                    (Event::Start(Tag::Link { link_type, title, id, .. }), Some(dest_url)) => {
                        Event::Start(Tag::Link { link_type, dest_url, title, id })
                    }
                    (Event::Start(Tag::Image { link_type, title, id, .. }), Some(dest_url)) => {
                        Event::Start(Tag::Image { link_type, dest_url, title, id })
                    }
                    (e, _) => e,
                });
            }
            Event::Start(tag @ (Tag::Paragraph | Tag::List(_) | Tag::BlockQuote(_) | Tag::DefinitionList))
                if block_attrs.contains_key(&i) =>
            {
                let a = block_attrs.remove(&i).unwrap_or_default();
                if a.toc {
                    // `* TOC` + `{:toc}`: the list becomes the table of contents.
                    out.push(Event::Html(CowStr::from(TOC_HOOK)));
                    i = end_of(&events, i) + 1;
                    continue;
                }
                let attrs = a.html();
                let open = match tag {
                    Tag::Paragraph => format!("<p{attrs}>"),
                    Tag::List(Some(n)) if *n != 1 => format!("<ol start=\"{n}\"{attrs}>\n"),
                    Tag::List(Some(_)) => format!("<ol{attrs}>\n"),
                    Tag::List(None) => format!("<ul{attrs}>\n"),
                    Tag::BlockQuote(_) => format!("<blockquote{attrs}>\n"),
                    _ => format!("<dl{attrs}>\n"),
                };
                if matches!(tag, Tag::Paragraph) && summary.is_none() && at_top {
                    para_text = Some(String::new());
                }
                if at_top {
                    last_comment = None;
                }
                out.push(Event::Html(CowStr::from(open)));
                if !matches!(tag, Tag::DefinitionList) {
                    depth += 1;
                }
            }
            Event::Start(Tag::Paragraph) => {
                if summary.is_none() && at_top {
                    para_text = Some(String::new());
                }
                if at_top {
                    last_comment = None;
                }
                out.push(ev.clone());
                depth += 1;
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(t) = para_text.take() {
                    summary = Some(reading::summarize(&t, 160));
                }
                out.push(ev.clone());
                depth -= 1;
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                if at_top {
                    last_comment = None;
                }
                depth += 1;
                out.push(Event::Html(CowStr::from(footnotes.definition(label))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                depth -= 1;
                out.push(Event::Html(CowStr::from(footnotes.end_definition())));
            }
            Event::FootnoteReference(label) => {
                out.push(Event::InlineHtml(CowStr::from(footnotes.reference(label))));
            }
            Event::Start(Tag::List(_)) | Event::Start(Tag::BlockQuote(_)) => {
                if at_top {
                    last_comment = None;
                }
                depth += 1;
                out.push(ev.clone());
            }
            Event::End(TagEnd::List(_)) | Event::End(TagEnd::BlockQuote(_)) => {
                depth -= 1;
                out.push(ev.clone());
            }
            Event::Text(t) if skip.contains(&range.start) => {
                let skip_to = skip.end;
                // The rest of a span IAL: dropped; what follows it in the same event is kept.
                if range.end > skip_to {
                    let keep = range.end - skip_to;
                    let rest = t.len().checked_sub(keep).and_then(|k| t.get(k..)).unwrap_or("");
                    let rest = CowStr::from(rest.to_string());
                    warn_unread_ial(&rest, skip_to, &mut kd_problems);
                    stats.add_text(&rest);
                    if let Some(p) = para_text.as_mut() {
                        p.push_str(&rest);
                    }
                    if let Some(c) = cell.as_mut() {
                        c.text.push_str(&rest);
                    }
                    push_text(&mut out, rest);
                }
                skip = 0..0;
            }
            Event::Text(t) | Event::Code(t) => {
                let span = match ev {
                    Event::Code(_) => kramdown::span_at(src, range.end, &kd.alds, &mut kd_problems),
                    _ => {
                        warn_unread_ial(t, range.start, &mut kd_problems);
                        None
                    }
                };
                stats.add_text(t);
                if let Some(p) = para_text.as_mut() {
                    p.push_str(t);
                }
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(t);
                    if let Event::Code(code) = ev {
                        c.code.push(code.to_string());
                    }
                }
                match span {
                    Some((end, a)) => {
                        skip = range.end..end;
                        out.push(Event::InlineHtml(CowStr::from(format!(
                            "<code{}>{}</code>",
                            a.html(),
                            highlight::escape(t)
                        ))));
                    }
                    None => match ev {
                        Event::Text(t) => push_text(&mut out, t.clone()),
                        e => out.push(e.clone()),
                    },
                }
            }
            Event::InlineHtml(h) => {
                if let Some(c) = cell.as_mut()
                    && h.trim_start().to_lowercase().starts_with("<br")
                {
                    c.text.push('\n');
                }
                out.push(ev.clone());
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = para_text.as_mut() {
                    p.push(' ');
                }
                if let Some(c) = cell.as_mut() {
                    c.text.push(' ');
                }
                out.push(ev.clone());
            }
            Event::InlineMath(t) if !opts.math => push_text(&mut out, CowStr::from(format!("${t}$"))),
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                // kramdown's rule: `$$…$$` alone in its paragraph is a block formula, inside text
                // it is inline (Chirpy writes inline math as `$$…$$`).
                let alone = matches!(events.get(i.wrapping_sub(1)), Some((Event::Start(Tag::Paragraph), _)))
                    && matches!(events.get(i + 1), Some((Event::End(TagEnd::Paragraph), _)));
                let display = matches!(ev, Event::DisplayMath(_)) && alone;
                let (mathml, errors) = math::to_mathml(t, display);
                if let Some(e) = errors.first() {
                    kd_problems.push(kramdown::Problem {
                        offset: range.start,
                        severity: crate::diag::Severity::Warning,
                        code: "math",
                        message: format!("formula not understood: {}", e.lines().next().unwrap_or_default()),
                        hint: "check the LaTeX; the formula is shown with the error marked".into(),
                    });
                }
                if let Some(p) = para_text.as_mut() {
                    p.push_str(t);
                }
                out.push(Event::InlineHtml(CowStr::from(mathml)));
            }
            _ => out.push(ev.clone()),
        }
        i += 1;
    }

    let mut html = String::with_capacity(src.len() * 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // Row hooks become attributes on the row they precede.
    let row_hook = memchr::memmem::Finder::new("<!--semdoc-row:");
    if row_hook.find(html.as_bytes()).is_some() {
        let mut fixed = String::with_capacity(html.len());
        let mut rest = html.as_str();
        while let Some(p) = row_hook.find(rest.as_bytes()) {
            fixed.push_str(&rest[..p]);
            let after = &rest[p + "<!--semdoc-row:".len()..];
            // Raw HTML in the source can contain the marker text too; an unclosed one is left as is.
            let Some(end) = after.find("-->") else {
                fixed.push_str(&rest[p..]);
                rest = "";
                break;
            };
            let id = &after[..end];
            let tail = &after[end + 3..];
            // Only our own hooks (`table-row`, digits) become attributes; anything else raw HTML
            // happened to spell is left as the author wrote it.
            let ours = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit() || b == b'-');
            match tail.strip_prefix("<tr>").filter(|_| ours) {
                Some(t) => {
                    fixed.push_str(&format!("<tr data-semdoc-row=\"{id}\">"));
                    rest = t;
                }
                None if ours => rest = tail,
                None => {
                    fixed.push_str(&rest[p..p + "<!--semdoc-row:".len() + end + 3]);
                    rest = tail;
                }
            }
        }
        fixed.push_str(rest);
        html = fixed;
    }
    for (index, attrs) in table_attrs {
        let plain = format!("data-semdoc-table=\"{index}\"><table>");
        html = html.replacen(&plain, &format!("data-semdoc-table=\"{index}\"><table{attrs}>"), 1);
    }
    let toc = build_toc(&headings);
    if html.contains(TOC_HOOK) {
        html = html.replace(TOC_HOOK, &toc_html(&toc));
    }
    // `$$` that did not become a formula (unbalanced braces, an unclosed pair) stays visible as
    // text: said so, not left for the reader to find.
    if memchr::memmem::find(src.as_bytes(), b"$$").is_some() {
        for offset in loose_dollars(&events) {
            kd_problems.push(kramdown::Problem {
                offset,
                severity: crate::diag::Severity::Warning,
                code: "math",
                message: "`$$` is not a formula here and is shown as text".into(),
                hint: "close the formula with `$$` and balance its braces; write `\\$` for a literal dollar".into(),
            });
        }
    }
    for p in kd_problems {
        let (line, col) = lines.pos(p.offset);
        findings.push(Finding { line, col, severity: p.severity, code: p.code, message: p.message, hint: p.hint });
    }
    findings.sort_by(|a, b| (a.line, a.col, a.code).cmp(&(b.line, b.col, b.code)));
    findings.dedup_by(|a, b| (a.line, a.col, a.code) == (b.line, b.col, b.code));
    Rendered {
        html,
        toc,
        headings,
        code_blocks,
        tables,
        links,
        reading_time: stats.minutes(),
        char_count: stats.cjk_chars,
        word_count: stats.words,
        summary: summary.unwrap_or_default(),
        findings,
    }
}

/// Where `{:toc}` put the table of contents (replaced once the headings are known).
const TOC_HOOK: &str = "<!--semdoc:toc-->\n";

/// The index of the event that ends the element starting at `i` (elements nest properly).
fn end_of(events: &[(Event, std::ops::Range<usize>)], i: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(i) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// Push prose text; from a `{:` that is not an attribute list on, visibly marked as unread.
fn push_text<'e>(out: &mut Vec<Event<'e>>, t: CowStr<'e>) {
    match t.find("{:") {
        Some(k) => {
            if k > 0 {
                out.push(Event::Text(CowStr::from(t[..k].to_string())));
            }
            out.push(Event::InlineHtml(CowStr::from("<mark class=\"semdoc-unread\">")));
            out.push(Event::Text(CowStr::from(t[k..].to_string())));
            out.push(Event::InlineHtml(CowStr::from("</mark>")));
        }
        None => out.push(Event::Text(t)),
    }
}

/// `{:` left in prose is not a valid attribute list: a warning, the text stays.
fn warn_unread_ial(t: &str, at: usize, problems: &mut Vec<kramdown::Problem>) {
    for (k, _) in t.match_indices("{:") {
        let line_end = t[k..].find('\n').map_or(t.len(), |e| k + e);
        problems.push(kramdown::invalid(at + k, t[k..line_end].trim_end()));
    }
}

/// Each block IAL applied to the outermost block it directly follows (no blank line between), or
/// else to the one it directly precedes; one that touches no block is a warning. Keyed by the
/// block's start event.
fn attach_block_ials(
    src: &str,
    events: &[(Event, std::ops::Range<usize>)],
    ials: &[kramdown::BlockIal],
    problems: &mut Vec<kramdown::Problem>,
) -> std::collections::BTreeMap<usize, kramdown::Attrs> {
    let mut out: std::collections::BTreeMap<usize, kramdown::Attrs> = Default::default();
    if ials.is_empty() {
        return out;
    }
    let blocks: Vec<(usize, &std::ops::Range<usize>)> = events
        .iter()
        .enumerate()
        .filter(|(_, (e, _))| {
            matches!(
                e,
                Event::Start(
                    Tag::Paragraph
                        | Tag::Heading { .. }
                        | Tag::BlockQuote(_)
                        | Tag::List(_)
                        | Tag::Table(_)
                        | Tag::CodeBlock(_)
                        | Tag::DefinitionList
                )
            )
        })
        .map(|(i, (_, r))| (i, r))
        .collect();
    let adjacent = |a: usize, b: usize| {
        src.get(a.min(b)..b.max(a)).is_some_and(|g| g.trim().is_empty() && g.matches('\n').count() <= 1)
    };
    for ial in ials {
        // A block's range can take in the blank lines after it (lists do): compare its text's end.
        let text_end = |r: &std::ops::Range<usize>| src.get(..r.end).map_or(r.end, |t| t.trim_end().len());
        let after = blocks
            .iter()
            .filter(|(_, r)| text_end(r) <= ial.start && adjacent(text_end(r), ial.start))
            .min_by_key(|(_, r)| r.start);
        let before = || {
            blocks
                .iter()
                .filter(|(_, r)| r.start >= ial.end && adjacent(ial.end, r.start))
                .min_by_key(|(_, r)| (r.start, std::cmp::Reverse(r.end)))
        };
        match after.or_else(before) {
            Some((i, _)) => out.entry(*i).or_default().merge(&ial.attrs),
            None => problems.push(kramdown::Problem {
                offset: ial.start,
                severity: crate::diag::Severity::Warning,
                code: "kramdown-ial",
                message: "this attribute list is next to no block; it applies to nothing".into(),
                hint: "put it on the line right after the paragraph, heading, list, quote, table or code block".into(),
            }),
        }
    }
    out
}

/// Footnotes with ids of their own (`fn-LABEL`, `fnref-LABEL`), numbered by first reference, each
/// definition ending with a link back to its first reference.
#[derive(Default)]
struct Footnotes {
    numbers: std::collections::BTreeMap<String, usize>,
    refs: std::collections::BTreeMap<String, usize>,
    open: Vec<String>,
}

impl Footnotes {
    fn slug(label: &str) -> String {
        let s = slugify(label);
        if s.is_empty() { label.bytes().map(|b| format!("{b:02x}")).collect() } else { s }
    }
    fn number(&mut self, label: &str) -> usize {
        let n = self.numbers.len() + 1;
        *self.numbers.entry(label.to_string()).or_insert(n)
    }
    fn reference(&mut self, label: &str) -> String {
        let n = self.number(label);
        let k = self.refs.entry(label.to_string()).or_insert(0);
        *k += 1;
        let slug = Self::slug(label);
        let id = if *k == 1 { format!("fnref-{slug}") } else { format!("fnref-{slug}-{k}") };
        format!(
            "<sup class=\"footnote-reference\" id=\"{id}\"><a href=\"#fn-{slug}\" role=\"doc-noteref\">{n}</a></sup>"
        )
    }
    fn definition(&mut self, label: &str) -> String {
        let n = self.number(label);
        self.open.push(label.to_string());
        format!(
            "<div class=\"footnote-definition\" id=\"fn-{}\" role=\"doc-endnote\"><sup class=\"footnote-definition-label\">{n}</sup>\n",
            Self::slug(label)
        )
    }
    fn end_definition(&mut self) -> String {
        let label = self.open.pop().unwrap_or_default();
        let back = if self.refs.contains_key(&label) {
            format!(
                "<a href=\"#fnref-{}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"↩\">↩</a>",
                Self::slug(&label)
            )
        } else {
            String::new()
        };
        format!("{back}</div>\n")
    }
}

/// The table of contents as nested lists of links (for `{:toc}`).
fn toc_html(toc: &[TocEntry]) -> String {
    fn list(entries: &[TocEntry], out: &mut String) {
        out.push_str("<ul>");
        for e in entries {
            out.push_str(&format!("<li><a href=\"#{}\">{}</a>", highlight::escape(&e.id), highlight::escape(&e.title)));
            if !e.children.is_empty() {
                list(&e.children, out);
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    let mut s = String::from("<nav class=\"toc kramdown-toc\">");
    list(toc, &mut s);
    s.push_str("</nav>\n");
    s
}

/// Nest headings: each entry's children are the following headings of a deeper level, so skipped
/// levels (`##` then `####`) still nest under the nearest shallower heading.
pub fn build_toc(headings: &[Heading]) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, e: TocEntry) {
        match list.last_mut() {
            Some(last) if e.level > last.level => insert(&mut last.children, e),
            _ => list.push(e),
        }
    }
    let mut toc = Vec::new();
    for h in headings.iter().filter(|h| !h.toc_skip) {
        insert(&mut toc, TocEntry { level: h.level, id: h.id.clone(), title: h.title.clone(), children: vec![] });
    }
    toc
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = include_str!("../../tests/fixtures/article/source.md");

    fn body() -> &'static str {
        let rest = ARTICLE.strip_prefix("---\n").unwrap();
        &rest[rest.find("\n---\n").unwrap() + 5..]
    }

    #[test]
    fn hook_text_written_by_the_author_never_panics() {
        // Found by the markdown fuzz target: the row-hook marker as raw HTML, unclosed.
        for src in ["<!--semdoc-row:", "<!--semdoc-row:1", "| a |\n|---|\n| <!--semdoc-row: |"] {
            let r = render_markdown(src, &MarkdownOptions::default());
            assert!(r.html.contains("semdoc-row:"), "an unclosed marker is left as written: {src}: {}", r.html);
        }
        // A closed one before no row is dropped like any of semdoc's own unused hooks.
        assert!(!render_markdown("<!--semdoc-row:1-->", &MarkdownOptions::default()).html.contains("semdoc-row"));
    }

    #[test]
    fn raw_html_spelling_a_row_hook_cannot_add_attributes() {
        let src = "<!--semdoc-row:1\" onclick=\"alert(1)--><tr><td>x</td></tr>\n";
        let r = render_markdown(src, &MarkdownOptions::default());
        assert!(!r.html.contains("data-semdoc-row"), "{}", r.html);
        assert!(r.html.contains("<!--semdoc-row:1\" onclick=\"alert(1)--><tr>"), "left as written: {}", r.html);
    }

    #[test]
    fn article_heading_ids() {
        let r = render_markdown(body(), &MarkdownOptions::default());
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "메세지-전달-보장-수준-messaging-semantic",
                "카프카의-메세지-전달-보장-수준",
                "no-guarantee",
                "at-most-once",
                "at-least-once",
                "exactly-once",
                "정리",
                "프로듀서-측-설정",
                "컨슈머-측-설정",
                "참고"
            ]
        );
        for id in ids {
            assert!(r.html.contains(&format!("<a class=\"anchor\" href=\"#{id}\"")), "{id}");
        }
    }

    #[test]
    fn article_tables_rows_and_code_spans() {
        let r = render_markdown(body(), &MarkdownOptions::default());
        assert_eq!(r.tables.len(), 2);
        assert_eq!(r.tables[0].rows.len(), 3);
        assert_eq!(r.tables[1].rows.len(), 3);
        assert_eq!(r.tables[0].header[0].text, "보장 수준");
        let row = &r.tables[0].rows[2];
        assert_eq!(row.cells[0].text, "Exactly once");
        assert_eq!(row.cells[1].code, vec!["acks=all", "enable.idempotence=true", "transactional.id"]);
        assert!(row.cells[1].text.contains('\n'), "<br> becomes a newline");
        assert_eq!(r.html.matches("data-semdoc-row=").count(), 6);
        assert!(r.html.contains("<code>acks=0</code><br>"));
        let lines: Vec<usize> = r.tables[1].rows.iter().map(|r| r.line).collect();
        assert_eq!(lines.len(), 3);
        assert!(lines.windows(2).all(|w| w[1] == w[0] + 1), "{lines:?}");
    }

    #[test]
    fn toc_nests_and_handles_skipped_levels() {
        let r = render_markdown("## A\n#### A.1\n### A.2\n## B\n", &MarkdownOptions::default());
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children.len(), 2);
        assert_eq!(r.toc[0].children[0].id, "a1");
        let r = render_markdown(body(), &MarkdownOptions::default());
        let top: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(top, ["메세지-전달-보장-수준-messaging-semantic", "카프카의-메세지-전달-보장-수준", "정리", "참고"]);
        assert_eq!(
            r.toc[2].children.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["프로듀서-측-설정", "컨슈머-측-설정"]
        );
    }

    #[test]
    fn custom_ids_and_duplicates() {
        let r = render_markdown("# A\n# A\n# B {#a-1}\n# 정리\n# 정리\n", &MarkdownOptions::default());
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-2", "a-1", "정리", "정리-1"]);
    }

    #[test]
    fn code_blocks_keep_template_syntax_and_lines() {
        let src =
            "intro\n\n```properties semdoc role=producer\nacks=all\n{{ x }} {% if %}\n```\n\n    indented {{ y }}\n";
        let r = render_markdown(src, &MarkdownOptions::default());
        assert_eq!(r.code_blocks.len(), 2);
        let c = &r.code_blocks[0];
        assert_eq!((c.lang.as_str(), c.fence_line, c.content_line), ("properties", 3, 4));
        assert_eq!(c.info, "properties semdoc role=producer");
        assert_eq!(c.content, "acks=all\n{{ x }} {% if %}\n");
        assert!(r.html.contains("indented {{ y }}"), "template syntax in code stays literal");
        assert!(r.html.contains("data-snippet=\"0\""));
        assert!(r.html.contains("<!--semdoc:snippet:0-->"));
        assert!(!r.html.contains("<!--semdoc:snippet:1-->"), "plain blocks have no hook");
        assert!(r.html.contains("class=\"hl-"), "highlighted");
    }

    #[test]
    fn table_markers_links_and_summary() {
        let src = "First para with [a link](/x/#y).\n\n<!-- semdoc-table role=producer -->\n| a | b |\n|---|---|\n| `k=v` | x |\n\nAfter.\n\n| c |\n|---|\n| 1 |\n";
        let r = render_markdown(src, &MarkdownOptions::default());
        assert_eq!(r.tables[0].marker, Some(("<!-- semdoc-table role=producer -->".to_string(), 3)));
        assert_eq!(r.tables[1].marker, None);
        assert_eq!(r.links, vec![LinkRef { href: "/x/#y".into(), line: 1, col: 17 }]);
        assert_eq!(r.summary, "First para with a link.");
        assert_eq!(r.tables[0].rows[0].line, 6);
    }

    #[test]
    fn site_absolute_links_get_the_base_path() {
        let opts = MarkdownOptions { link_prefix: "/docs".into(), ..Default::default() };
        let r = render_markdown("[a](/about/) [b](https://x.y/) [c](#top) ![i](/img.png) [d](//cdn/x)", &opts);
        assert!(r.html.contains("href=\"/docs/about/\""), "{}", r.html);
        assert!(
            r.html.contains("href=\"https://x.y/\"")
                && r.html.contains("href=\"#top\"")
                && r.html.contains("href=\"//cdn/x\"")
        );
        assert!(r.html.contains("src=\"/docs/img.png\""));
        assert_eq!(r.links[0].href, "/about/", "links are checked as written");
    }

    #[test]
    fn raw_html_passes_through() {
        let r = render_markdown("a<br>b\n\n<div class=\"x\">\n\n**y**\n\n</div>\n", &MarkdownOptions::default());
        assert!(r.html.contains("a<br>b"));
        assert!(r.html.contains("<div class=\"x\">"));
        assert!(r.html.contains("<strong>y</strong>"));
    }

    #[test]
    fn kramdown_attribute_lists_apply_to_their_element() {
        let src = "> A tip.\n{: .prompt-tip }\n\n## Title\n{: #custom .big}\n\nPara [x](/u/){:target=\"_blank\"} and `f.txt`{: .filepath} ![a](/i.png){: w=\"300\" .shadow } end.\n\n```sh\nls\n```\n{: file=\"run.sh\" }\n\n* a\n* b\n{: .items}\n\n| h |\n|---|\n| c |\n{: .t}\n\n{:ref: .r #rid}\nP2\n{: ref}\n\nBad {: nope\" here\n\n{::comment}\nsecret\n{:/comment}\n{::options toc_levels=\"2\" /}\n{::nomarkdown}\n";
        let r = render_markdown(src, &MarkdownOptions::default());
        let h = &r.html;
        for want in [
            "<blockquote class=\"prompt-tip\">",
            "<h2 id=\"custom\" class=\"big\">",
            "<a href=\"/u/\" target=\"_blank\">x</a>",
            "<code class=\"filepath\">f.txt</code>",
            "<img src=\"/i.png\" alt=\"a\" class=\"shadow\" width=\"300\" />",
            "<div class=\"code-block\"><div class=\"code-file\">run.sh</div><pre",
            "<ul class=\"items\">",
            "<table class=\"t\">",
            "<p id=\"rid\" class=\"r\">P2</p>",
        ] {
            assert!(h.contains(want), "{want} in {h}");
        }
        assert!(!h.contains("secret") && !h.contains("{::") && !h.contains("{: ."), "{h}");
        assert!(h.contains("Bad <mark class=\"semdoc-unread\">{: nope"), "an invalid list stays text, marked: {h}");
        let codes: Vec<(&str, usize)> = r.findings.iter().map(|f| (f.code, f.line)).collect();
        let line_of = |needle: &str| src[..src.find(needle).unwrap()].matches('\n').count() + 1;
        assert_eq!(
            codes,
            [
                ("kramdown-ial", line_of("Bad")),
                ("kramdown-option", line_of("{::options")),
                ("kramdown-extension", line_of("{::nomarkdown"))
            ]
        );
        assert_eq!(r.headings[0].id, "custom");
        let r = render_markdown("## A\n\n## B\n{: data-toc-skip='' }\n\n## C\n", &MarkdownOptions::default());
        let toc: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(toc, ["a", "c"], "Chirpy's data-toc-skip keeps a heading out of the table of contents");
        assert!(r.html.contains("<h2 id=\"b\" data-toc-skip=\"\">"), "{}", r.html);
    }

    #[test]
    fn kramdown_toc_definition_lists_and_footnotes() {
        let src = "* TOC\n{:toc}\n\n## One\n\nTerm\n: Definition\n\nText[^a] again[^a] and[^b].\n\n[^a]: First.\n[^b]: Second.\n";
        let r = render_markdown(src, &MarkdownOptions::default());
        let h = &r.html;
        assert!(h.contains("<nav class=\"toc kramdown-toc\"><ul><li><a href=\"#one\">One</a>"), "{h}");
        assert!(!h.contains("TOC"), "{h}");
        assert!(h.contains("<dl>") && h.contains("<dt>Term</dt>") && h.contains("<dd>Definition</dd>"), "{h}");
        assert!(h.contains("id=\"fnref-a\"") && h.contains("id=\"fnref-a-2\"") && h.contains("id=\"fn-a\""), "{h}");
        assert!(h.contains("href=\"#fnref-b\" class=\"footnote-backref\""), "{h}");
        assert!(!h.contains("id=\"1\"") && !h.contains("id=\"a\""), "{h}");
    }
}
