//! Splicing verification results into rendered page HTML: the markdown stage leaves stable hooks
//! (`<!--semdoc:snippet:N-->` after an executable block, `data-semdoc-table="N"` on a table and
//! `data-semdoc-row="N-R"` on its body rows) and this module fills them. Plain string surgery on
//! markup semdoc itself produced, so the hooks cannot be confused with user text (which is escaped).

/// Where `needle` first occurs in `hay` (SIMD substring search: `str::find`'s two-way search over
/// every page's HTML, once per snippet, was 2–3 % of a 10 000-page build).
fn find(hay: &str, needle: &str) -> Option<usize> {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes())
}

/// Replace the hook after snippet `index` with `html`. Returns false if the hook is missing.
pub fn fill_snippet(page_html: &mut String, index: usize, html: &str) -> bool {
    let hook = format!("<!--semdoc:snippet:{index}-->");
    match find(page_html, &hook) {
        Some(i) => {
            page_html.replace_range(i..i + hook.len(), html);
            true
        }
        None => false,
    }
}

/// Add `attrs` (already escaped `name="value"` pairs) to the `<tr>` of body row `row` (1-based) of
/// table `table`, and append `cell` as its last cell. Returns false if the row is missing.
pub fn fill_row(page_html: &mut String, table: usize, row: usize, attrs: &str, cell: &str) -> bool {
    let hook = format!("<tr data-semdoc-row=\"{table}-{}\"", row - 1);
    let Some(start) = find(page_html, &hook) else {
        return false;
    };
    let Some(end_rel) = find(&page_html[start..], "</tr>") else {
        return false;
    };
    let end = start + end_rel;
    page_html.insert_str(end, cell);
    page_html.insert_str(start + hook.len(), &format!(" {attrs}"));
    true
}

/// Append a header cell to table `table`'s header row and put `after` right after the table's wrapper.
pub fn fill_table(page_html: &mut String, table: usize, header_cell: &str, after: &str) -> bool {
    let hook = format!("data-semdoc-table=\"{table}\"");
    let Some(start) = find(page_html, &hook) else {
        return false;
    };
    let Some(tr_end) = find(&page_html[start..], "</tr>").map(|i| start + i) else {
        return false;
    };
    page_html.insert_str(tr_end, header_cell);
    let Some(table_end) = find(&page_html[start..], "</table>").map(|i| start + i + "</table>".len()) else {
        return false;
    };
    // Close the scroll wrapper first if there is one, so the evidence is not inside it.
    let insert_at = if page_html[table_end..].trim_start().starts_with("</div>") {
        let ws = page_html[table_end..].len() - page_html[table_end..].trim_start().len();
        table_end + ws + "</div>".len()
    } else {
        table_end
    };
    page_html.insert_str(insert_at, after);
    true
}

pub use crate::html::esc;

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "<div class=\"table-wrap\"><table data-semdoc-table=\"0\"><thead><tr><th>a</th></tr></thead>\n<tbody>\n<tr data-semdoc-row=\"0-0\"><td>x</td></tr>\n<tr data-semdoc-row=\"0-1\"><td>y</td></tr>\n</tbody></table></div>\n<p>next</p>";

    #[test]
    fn rows_and_tables() {
        let mut h = TABLE.to_string();
        assert!(fill_row(&mut h, 0, 2, "data-claim-status=\"fail\"", "<td>B</td>"));
        assert!(fill_table(&mut h, 0, "<th>검증</th>", "<section>E</section>"));
        assert!(h.contains("<tr data-semdoc-row=\"0-1\" data-claim-status=\"fail\"><td>y</td><td>B</td></tr>"), "{h}");
        assert!(h.contains("<tr><th>a</th><th>검증</th></tr>"), "{h}");
        assert!(h.contains("</table></div><section>E</section>\n<p>next</p>"), "{h}");
        assert!(!fill_row(&mut h, 0, 3, "", ""), "missing row");
        assert!(!fill_table(&mut h, 1, "", ""), "missing table");
    }

    #[test]
    fn snippets() {
        let mut h = "<pre>x</pre><!--semdoc:snippet:3--><p>".to_string();
        assert!(fill_snippet(&mut h, 3, "<div>v</div>"));
        assert_eq!(h, "<pre>x</pre><div>v</div><p>");
        assert!(!fill_snippet(&mut h, 3, ""));
    }
}
