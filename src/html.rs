//! HTML escaping shared by every stage that writes markup by hand.

/// Escape text for HTML element content and quoted attribute values.
///
/// Every `{{ }}` of every template goes through here, so text between the five special bytes (all
/// ASCII, so never inside a multi-byte character) is copied in one piece.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + s.len() / 8);
    let mut copied = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        o.push_str(&s[copied..i]);
        o.push_str(entity);
        copied = i + 1;
    }
    o.push_str(&s[copied..]);
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(super::esc("<script>\"'&"), "&lt;script&gt;&quot;&#39;&amp;");
        assert_eq!(super::esc(""), "");
        assert_eq!(super::esc("멱등성 <b>굵게</b> & 끝"), "멱등성 &lt;b&gt;굵게&lt;/b&gt; &amp; 끝");
        assert_eq!(super::esc("plain"), "plain");
    }
}
