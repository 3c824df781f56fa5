//! Markdown to HTML: pulldown-cmark events (the only user of pulldown-cmark), GitHub heading ids with
//! visible anchors, the table of contents, reading time, highlighted code blocks, and the structure
//! later stages need (code blocks, tables and links with their source lines).
//!
//! Text inside code blocks is never processed: it is highlighted (escaped) and nothing else.
//! Lines are 1-based lines of the Markdown body; the caller adds the front matter offset.

mod highlight;
pub mod liquid;
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
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            highlight: true,
            link_prefix: String::new(),
            fragments: None,
            lang: crate::i18n::Lang::default(),
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
    let src: &str = expanded.as_ref().map_or(written, |e| e.text.as_str());
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
    for (e, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            slugger.reserve(id);
        }
    }

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
                let hid = match id {
                    Some(id) => id.to_string(),
                    None => slugger.unique(&slugify(&title)),
                };
                stats.add_text(&title);
                let lvl = *level as u8;
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                let mut attr_s = String::new();
                if !classes.is_empty() {
                    attr_s.push_str(&format!(" class=\"{}\"", highlight::escape(&classes.join(" "))));
                }
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
                headings.push(Heading { level: lvl, id: hid, title, line: lines.pos(range.start).0 });
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
                out.push(Event::Html(CowStr::from(format!(
                    "<pre class=\"code\"{lang_attr}{snippet_attr}><code{class}>{body}</code></pre>{hook}\n"
                ))));
                code_blocks.push(CodeBlock {
                    index,
                    lang,
                    info,
                    content,
                    fence_line,
                    content_line: if fenced { fence_line + 1 } else { fence_line },
                });
                last_comment = None;
                i = j + 1;
                continue;
            }
            Event::Start(Tag::Table(_)) => {
                let index = tables.len();
                let line = lines.pos(range.start).0;
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
                links.push(LinkRef { href: dest_url.to_string(), line, col });
                // Liquid's URLs (`relative_url`, `post_url`, `{{ site.baseurl }}/…`) already carry the
                // base path, as Jekyll's do: not prefixed twice.
                let under_prefix = dest_url
                    .strip_prefix(opts.link_prefix.as_str())
                    .is_some_and(|r| r.is_empty() || r.starts_with('/'));
                let prefixed = !opts.link_prefix.is_empty()
                    && dest_url.starts_with('/')
                    && !dest_url.starts_with("//")
                    && !under_prefix;
                out.push(match (ev.clone(), prefixed) {
                    (Event::Start(Tag::Link { link_type, dest_url, title, id }), true) => Event::Start(Tag::Link {
                        link_type,
                        dest_url: format!("{}{dest_url}", opts.link_prefix).into(),
                        title,
                        id,
                    }),
                    (Event::Start(Tag::Image { link_type, dest_url, title, id }), true) => Event::Start(Tag::Image {
                        link_type,
                        dest_url: format!("{}{dest_url}", opts.link_prefix).into(),
                        title,
                        id,
                    }),
                    (e, _) => e,
                });
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
            Event::Start(Tag::List(_))
            | Event::Start(Tag::BlockQuote(_))
            | Event::Start(Tag::FootnoteDefinition(_)) => {
                if at_top {
                    last_comment = None;
                }
                depth += 1;
                out.push(ev.clone());
            }
            Event::End(TagEnd::List(_))
            | Event::End(TagEnd::BlockQuote(_))
            | Event::End(TagEnd::FootnoteDefinition) => {
                depth -= 1;
                out.push(ev.clone());
            }
            Event::Text(t) | Event::Code(t) => {
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
                out.push(ev.clone());
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
    let toc = build_toc(&headings);
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
    for h in headings {
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
}
