//! LaTeX math to MathML at build time (pulldown-latex, the maintained LaTeX → MathML Core
//! renderer), so a page with formulas needs no script and no CDN: browsers draw MathML natively.
//! A formula the parser does not understand is rendered in the error colour and reported.

use pulldown_latex::{Parser, RenderConfig, Storage, config::DisplayMode};

/// The MathML of `tex` (`display`: a block formula), and the parser's complaints, if any.
pub fn to_mathml(tex: &str, display: bool) -> (String, Vec<String>) {
    let storage = Storage::new();
    let events: Vec<_> = Parser::new(tex, &storage).collect();
    let errors: Vec<String> = events.iter().filter_map(|e| e.as_ref().err().map(|e| e.to_string())).collect();
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        annotation: Some(tex),
        ..RenderConfig::default()
    };
    let mut out = String::new();
    if pulldown_latex::push_mathml(&mut out, events.into_iter(), config).is_err() {
        // Writing into a String cannot fail; keep the source visible if it ever does.
        out = format!("<code>{}</code>", super::highlight::escape(tex));
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml_and_errors_are_reported() {
        let (html, errors) = to_mathml(r"\frac{a}{b} + x^2", true);
        assert!(html.starts_with("<math") && html.contains("display=\"block\""), "{html}");
        assert!(html.contains("<mfrac>") && html.contains("<msup>"), "{html}");
        assert!(errors.is_empty());
        let (inline, _) = to_mathml("x", false);
        assert!(!inline.contains("display=\"block\""), "{inline}");
        let (_, errors) = to_mathml(r"\frac{a}{", false);
        assert!(!errors.is_empty(), "an unclosed group is reported");
    }
}
