//! TEMPORARY stub of the markdown stage (replaced by the real module).
use serde::Serialize;
pub struct MarkdownOptions {
    pub highlight: bool,
}
impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions { highlight: true }
    }
}
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub line: usize,
}
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub index: usize,
    pub lang: String,
    pub info: String,
    pub content: String,
    pub fence_line: usize,
    pub content_line: usize,
}
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub code: Vec<String>,
}
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<Cell>,
}
#[derive(Debug, Clone)]
pub struct Table {
    pub index: usize,
    pub line: usize,
    pub marker: Option<(String, usize)>,
    pub header: Vec<Cell>,
    pub rows: Vec<Row>,
}
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub href: String,
    pub line: usize,
    pub col: usize,
}
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub headings: Vec<Heading>,
    pub code_blocks: Vec<CodeBlock>,
    pub tables: Vec<Table>,
    pub links: Vec<LinkRef>,
    pub reading_time: u32,
    pub char_count: usize,
    pub word_count: usize,
    pub summary: String,
}
pub fn render_markdown(src: &str, _opts: &MarkdownOptions) -> Rendered {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(src, pulldown_cmark::Options::all()));
    Rendered {
        html,
        toc: vec![],
        headings: vec![],
        code_blocks: vec![],
        tables: vec![],
        links: vec![],
        reading_time: 1,
        char_count: 0,
        word_count: 0,
        summary: String::new(),
    }
}
pub fn slugify(text: &str) -> String {
    text.to_lowercase().replace(' ', "-")
}
pub fn syntax_css() -> String {
    String::new()
}
pub fn syntax_css_light() -> String {
    String::new()
}
pub fn syntax_css_dark() -> String {
    String::new()
}
