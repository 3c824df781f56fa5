//! Counterexample traces drawn as inline SVG sequence diagrams at build time (no JavaScript): one
//! lifeline per actor the trace touches, one numbered row per step, faults in red, lost messages
//! ending in a cross, state snapshots under the key rows (faults, the step that set up the
//! violation, the violation), and the violation spelled out at the bottom (docs/model.md §10).
//!
//! Colours come from CSS classes scoped to `svg.sd-seq` with `currentColor` and theme variables, so
//! the same markup reads in light and dark mode; the viewBox scales it down on a phone.

use crate::html::esc;
use crate::i18n::Lang;
use crate::semantics::params::{Counterexample, Property, Step};

pub struct DiagramOptions {
    /// Unique per diagram on a page (ids of markers, title and description).
    pub id_prefix: String,
    pub title: String,
    /// The site's language, for the diagram's own words (fault, step counts).
    pub lang: Lang,
}

const ORDER: &[&str] = &[
    "Producer",
    "Instance 1",
    "Instance 2",
    "Consumer",
    // Members that took the partition over in a rebalance (docs/model.md §6.2).
    "Consumer 2",
    "Consumer 3",
    "Consumer 4",
    "Broker 0",
    "Broker 1",
    "Broker 2",
    "Controller",
    "Output topic",
    "Txn coordinator",
    "Group coordinator",
    "Downstream",
];

const FONT: f64 = 12.0;
const ROW: f64 = 30.0;
const STATE_LINE: f64 = 15.0;
const TOP: f64 = 56.0;
const LEFT: f64 = 34.0;

/// Width of text in user units: Hangul and other wide characters ≈ 1em, others ≈ 0.6em.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(|c| if (c as u32) >= 0x1100 { size } else { size * 0.6 }).sum()
}

/// Split text into lines no wider than `max` units, at spaces.
fn wrap(s: &str, max: f64, size: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in s.split(' ') {
        let cur = lines.last_mut().expect("one line");
        let candidate = if cur.is_empty() { word.to_string() } else { format!("{cur} {word}") };
        if text_width(&candidate, size) > max && !cur.is_empty() {
            lines.push(word.to_string());
        } else {
            *cur = candidate;
        }
    }
    lines
}

pub fn property_label(p: Property, lang: Lang) -> &'static str {
    lang.t(match p {
        Property::NoLoss => "violates_no_loss",
        Property::NoDuplicate => "violates_no_duplicate",
        Property::NoReorder => "violates_no_reorder",
    })
}

fn actors(steps: &[Step]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for s in steps {
        for a in std::iter::once(&s.actor).chain(s.target.iter()) {
            if !seen.contains(a) {
                seen.push(a.clone());
            }
        }
    }
    let rank = |a: &String| ORDER.iter().position(|o| o == a).unwrap_or(ORDER.len());
    let mut out = seen.clone();
    out.sort_by_key(|a| (rank(a), seen.iter().position(|s| s == a)));
    out
}

/// Rows that show their state snapshot: faults, the cause and the violation.
fn shows_state(cx: &Counterexample, i: usize) -> bool {
    let n = i + 1;
    cx.steps[i].fault || Some(n) == cx.cause_step || n == cx.violation_step
}

pub fn sequence_svg(cx: &Counterexample, opts: &DiagramOptions) -> String {
    let id = esc(&opts.id_prefix);
    let lanes = actors(&cx.steps);
    let col = lanes.iter().map(|a| text_width(a, FONT) + 36.0).fold(120.0, f64::max).min(170.0);
    let width = (LEFT + col * lanes.len() as f64 + 12.0).max(420.0);
    let x_of = |a: &str| LEFT + col * (lanes.iter().position(|l| l == a).unwrap_or(0) as f64 + 0.5);
    let state_w = width - LEFT - 12.0;

    // Rows: each step takes ROW, plus its state lines when shown.
    let mut rows = Vec::new();
    let mut y = TOP + 10.0;
    for (i, st) in cx.steps.iter().enumerate() {
        let state_text: Vec<String> = if shows_state(cx, i) {
            let joined = st.state.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(" · ");
            wrap(&joined, state_w, FONT - 1.5)
        } else {
            vec![]
        };
        let h = ROW + state_text.len() as f64 * STATE_LINE;
        rows.push((y, h, state_text));
        y += h;
    }
    let violation_lines = wrap(&cx.violation, width - 40.0, FONT);
    let box_h = 28.0 + violation_lines.len() as f64 * 16.0;
    let height = y + 12.0 + box_h + 8.0;

    let mut s = String::new();
    s.push_str(&format!(
        "<svg class=\"sd-seq\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"100%\" style=\"max-width:{width:.0}px\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-size=\"{FONT}\">"
    ));
    s.push_str(&format!("<title id=\"{id}-title\">{}</title>", esc(&opts.title)));
    s.push_str(&format!(
        "<desc id=\"{id}-desc\">{}: {}</desc>",
        opts.lang.steps_faults(cx.steps.len(), cx.faults),
        esc(&cx.violation)
    ));
    s.push_str(&format!(
        "<defs><marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"currentColor\"/></marker></defs>"
    ));
    s.push_str("<style>svg.sd-seq{color:var(--fg,#1f2328);font-family:var(--font,system-ui,sans-serif)}svg.sd-seq text{fill:currentColor}svg.sd-seq .sd-lifeline{stroke:currentColor;stroke-opacity:.35;stroke-dasharray:4 4}svg.sd-seq .sd-head rect{fill:var(--subtle,#f6f8fa);stroke:currentColor;stroke-opacity:.5}svg.sd-seq .sd-arrow line{stroke:currentColor;stroke-width:1.4}svg.sd-seq .sd-note rect{fill:var(--subtle,#f6f8fa);stroke:currentColor;stroke-opacity:.4}svg.sd-seq .sd-num circle{fill:none;stroke:currentColor;stroke-opacity:.6}svg.sd-seq .sd-num text{font-size:10px}svg.sd-seq .sd-fault text,svg.sd-seq .sd-fault .sd-x{fill:var(--sd-fault,#cf222e);stroke:none;font-weight:700}svg.sd-seq .sd-fault line{stroke:var(--sd-fault,#cf222e)}svg.sd-seq .sd-fault rect{stroke:var(--sd-fault,#cf222e);stroke-opacity:1}svg.sd-seq .sd-fault-bg{fill:var(--sd-fault,#cf222e);fill-opacity:.09}svg.sd-seq .sd-cause-bg{fill:var(--sd-cause,#9a6700);fill-opacity:.12}svg.sd-seq .sd-state{font-family:var(--mono,ui-monospace,monospace);font-size:10.5px;fill-opacity:.85}svg.sd-seq .sd-lost line{stroke-dasharray:5 3}svg.sd-seq .sd-x{font-weight:700}svg.sd-seq .sd-rejected .sd-bar{stroke:var(--sd-fault,#cf222e);stroke-width:2.4}svg.sd-seq .sd-violation rect{fill:var(--sd-fault,#cf222e);fill-opacity:.1;stroke:var(--sd-fault,#cf222e)}svg.sd-seq .sd-violation .sd-vtitle{font-weight:700;fill:var(--sd-fault,#cf222e)}</style>");

    // Lifelines and heads.
    for a in &lanes {
        let x = x_of(a);
        let w = text_width(a, FONT) + 18.0;
        s.push_str(&format!(
            "<g class=\"sd-head\"><rect x=\"{:.1}\" y=\"10\" width=\"{w:.1}\" height=\"26\" rx=\"5\"/><text x=\"{x:.1}\" y=\"27\" text-anchor=\"middle\">{}</text></g>",
            x - w / 2.0,
            esc(a)
        ));
        s.push_str(&format!("<line class=\"sd-lifeline\" x1=\"{x:.1}\" y1=\"36\" x2=\"{x:.1}\" y2=\"{y:.1}\"/>"));
    }

    for (i, (st, (ry, h, state))) in cx.steps.iter().zip(&rows).enumerate() {
        let n = i + 1;
        let mid = ry + 16.0;
        let mut classes = String::from("sd-step");
        if st.fault {
            classes.push_str(" sd-fault");
        }
        if st.lost {
            classes.push_str(" sd-lost");
        }
        if st.rejected {
            classes.push_str(" sd-rejected");
        }
        if Some(n) == cx.cause_step {
            classes.push_str(" sd-cause");
        }
        if n == cx.violation_step {
            classes.push_str(" sd-violating");
        }
        s.push_str(&format!("<g class=\"{classes}\" data-step=\"{n}\"><title>{}. {}</title>", n, esc(&st.note)));
        if st.fault {
            s.push_str(&format!(
                "<rect class=\"sd-fault-bg\" x=\"0\" y=\"{ry:.1}\" width=\"{width:.0}\" height=\"{h:.1}\"/>"
            ));
        } else if Some(n) == cx.cause_step || n == cx.violation_step {
            s.push_str(&format!(
                "<rect class=\"sd-cause-bg\" x=\"0\" y=\"{ry:.1}\" width=\"{width:.0}\" height=\"{h:.1}\"/>"
            ));
        }
        s.push_str(&format!(
            "<g class=\"sd-num\"><circle cx=\"15\" cy=\"{mid:.1}\" r=\"9\"/><text x=\"15\" y=\"{:.1}\" text-anchor=\"middle\">{n}</text></g>",
            mid + 3.5
        ));
        let label = if st.fault { format!("⚡ {}", st.action) } else { st.action.clone() };
        let x1 = x_of(&st.actor);
        match &st.target {
            Some(t) if t != &st.actor => {
                let x2 = x_of(t);
                let dir = if x2 > x1 { 1.0 } else { -1.0 };
                let end = if st.lost { x1 + (x2 - x1) * 0.6 } else { x2 - dir * 2.0 };
                s.push_str(&format!(
                    "<g class=\"sd-arrow\"><line x1=\"{x1:.1}\" y1=\"{:.1}\" x2=\"{end:.1}\" y2=\"{:.1}\"",
                    mid + 4.0,
                    mid + 4.0
                ));
                if !st.lost {
                    s.push_str(&format!(" marker-end=\"url(#{id}-arrow)\""));
                }
                s.push_str("/>");
                if st.rejected {
                    // The receiver refuses the request: a bar across the arrowhead.
                    s.push_str(&format!(
                        "<line class=\"sd-bar\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
                        end - dir * 6.0,
                        mid - 3.0,
                        end - dir * 6.0,
                        mid + 11.0
                    ));
                }
                if st.lost {
                    s.push_str(&format!(
                        "<text class=\"sd-x\" x=\"{end:.1}\" y=\"{:.1}\" text-anchor=\"middle\">×</text>",
                        mid + 8.5
                    ));
                }
                s.push_str(&format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text></g>",
                    (x1 + x2) / 2.0,
                    mid - 1.0,
                    esc(&label)
                ));
            }
            _ => {
                let w = text_width(&label, FONT) + 14.0;
                let rx = (x1 - w / 2.0).max(LEFT - 8.0).min(width - w - 4.0);
                s.push_str(&format!(
                    "<g class=\"sd-note\"><rect x=\"{rx:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"20\" rx=\"4\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text></g>",
                    mid - 10.0,
                    rx + w / 2.0,
                    mid + 4.0,
                    esc(&label)
                ));
            }
        }
        for (k, line) in state.iter().enumerate() {
            s.push_str(&format!(
                "<text class=\"sd-state\" x=\"{LEFT:.1}\" y=\"{:.1}\">{}</text>",
                ry + ROW + 8.0 + k as f64 * STATE_LINE,
                esc(line)
            ));
        }
        s.push_str("</g>");
    }

    let by = y + 12.0;
    s.push_str(&format!(
        "<g class=\"sd-violation\"><rect x=\"6\" y=\"{by:.1}\" width=\"{:.0}\" height=\"{box_h:.1}\" rx=\"6\"/><text class=\"sd-vtitle\" x=\"18\" y=\"{:.1}\">{} · {}</text>",
        width - 12.0,
        by + 18.0,
        property_label(cx.property, opts.lang),
        opts.lang.faults(cx.faults)
    ));
    for (k, line) in violation_lines.iter().enumerate() {
        s.push_str(&format!("<text x=\"18\" y=\"{:.1}\">{}</text>", by + 36.0 + k as f64 * 16.0, esc(line)));
    }
    s.push_str("</g></svg>");
    s
}

/// The same steps as an ordered list, for screen readers and for copying.
pub fn trace_list_html(cx: &Counterexample, lang: Lang) -> String {
    let mut s = String::from("<ol class=\"trace-steps\">");
    for st in &cx.steps {
        let arrow = st.target.as_ref().map(|t| format!(" → {}", esc(t))).unwrap_or_default();
        let fault = if st.fault {
            format!(" <strong class=\"badge badge-fail\">{}</strong>", lang.t("fault"))
        } else {
            String::new()
        };
        s.push_str(&format!(
            "<li><b>{}{arrow}</b>: {}{fault} <span class=\"muted\">{}</span></li>",
            esc(&st.actor),
            esc(&st.action),
            esc(&st.note)
        ));
    }
    s.push_str(&format!("</ol><p class=\"trace-violation\">{}</p>", esc(&cx.violation)));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(actor: &str, target: Option<&str>, action: &str, fault: bool, lost: bool) -> Step {
        Step {
            actor: actor.into(),
            target: target.map(str::to_string),
            action: action.into(),
            note: format!("note for {action}"),
            fault,
            lost,
            rejected: false,
            state: vec![("Broker 0 log".into(), "[m0]".into()), ("HW".into(), "0".into())],
        }
    }

    fn acks1() -> Counterexample {
        Counterexample {
            property: Property::NoLoss,
            faults: 1,
            steps: vec![
                step("Producer", Some("Broker 0"), "produce m0", false, false),
                step("Broker 0", None, "append", false, false),
                step("Broker 0", Some("Producer"), "ack m0", false, false),
                step("Broker 0", None, "crash", true, false),
                step("Controller", Some("Broker 1"), "elect 1 (clean)", false, false),
                step("Producer", Some("Broker 1"), "produce <script>alert(1)</script>", false, true),
            ],
            violation: "m0 was acknowledged at step 3; at step 6 the committed log is [] → lost".into(),
            cause_step: Some(3),
            violation_step: 6,
        }
    }

    #[test]
    fn well_formed_with_lanes_rows_faults_and_escaping() {
        let svg = sequence_svg(
            &acks1(),
            &DiagramOptions { id_prefix: "t1".into(), title: "no-loss <b>".into(), lang: Lang::Ko },
        );
        assert!(!svg.contains("<script>"), "user text is escaped");
        assert!(svg.contains("&lt;script&gt;"));
        // Well-formed: every opened element closes (a cheap XML check without a parser dependency).
        let opens = svg.matches("<g").count();
        let closes = svg.matches("</g>").count();
        assert_eq!(opens, closes);
        assert_eq!(svg.matches("class=\"sd-head\"").count(), 4, "Producer, Broker 0, Broker 1, Controller");
        assert!(!svg.contains("Broker 2"), "untouched actors are hidden");
        assert_eq!(svg.matches("data-step=").count(), 6);
        assert_eq!(svg.matches("sd-step sd-fault").count(), 1);
        assert_eq!(svg.matches("class=\"sd-x\"").count(), 1, "the lost message ends in a cross");
        assert!(svg.contains("id=\"t1-arrow\"") && svg.contains("url(#t1-arrow)"));
        assert!(svg.contains("유실 없음(no-loss) 위반"));
        assert!(svg.contains("sd-cause"), "the cause row is highlighted");
        let en = sequence_svg(&acks1(), &DiagramOptions { id_prefix: "t1".into(), title: "x".into(), lang: Lang::En });
        assert!(en.contains("violates no-loss") && en.contains("1 fault"), "{en}");
        assert!(!en.chars().any(|c| ('가'..='힣').contains(&c)), "{en}");
        assert_eq!(
            svg,
            sequence_svg(
                &acks1(),
                &DiagramOptions { id_prefix: "t1".into(), title: "no-loss <b>".into(), lang: Lang::Ko }
            ),
            "deterministic"
        );
    }

    #[test]
    fn a_rejected_commit_ends_in_a_bar_between_the_members_lanes() {
        let mut rejected = step("Consumer", Some("Group coordinator"), "commit 2 rejected", false, false);
        rejected.rejected = true;
        let cx = Counterexample {
            property: Property::NoDuplicate,
            faults: 1,
            steps: vec![
                step("Consumer", None, "poll", false, false),
                step("Consumer", None, "rebalance: loses the partition", true, false),
                step("Consumer 2", None, "poll", false, false),
                step("Consumer 2", Some("Group coordinator"), "commit 1", false, false),
                rejected,
            ],
            violation: "v".into(),
            cause_step: None,
            violation_step: 5,
        };
        let svg = sequence_svg(&cx, &DiagramOptions { id_prefix: "r".into(), title: "t".into(), lang: Lang::En });
        assert_eq!(svg.matches("sd-step sd-rejected").count(), 1, "{svg}");
        assert_eq!(svg.matches("class=\"sd-bar\"").count(), 1);
        let heads: Vec<usize> = ["Consumer<", "Consumer 2<", "Group coordinator<"]
            .iter()
            .map(|a| svg.find(&format!("text-anchor=\"middle\">{a}")).unwrap_or_else(|| panic!("{a} lane")))
            .collect();
        assert!(heads.windows(2).all(|w| w[0] < w[1]), "lanes in order: {heads:?}");
    }

    #[test]
    fn text_list() {
        let h = trace_list_html(&acks1(), Lang::Ko);
        assert_eq!(h.matches("<li>").count(), 6);
        assert!(h.contains("장애"));
        assert!(trace_list_html(&acks1(), Lang::En).contains(">fault</strong>"));
        assert!(!h.contains("<script>"));
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap("aaa bbb ccc", 8.0 * 7.2, 12.0), vec!["aaa bbb", "ccc"]);
        assert!(text_width("가", 12.0) > text_width("a", 12.0));
    }
}
