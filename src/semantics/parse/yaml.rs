//! YAML snippets, read with a YAML 1.2 event parser (`saphyr-parser`) that gives every scalar its line and column; nested keys are flattened with dots and Spring Boot names mapped by `spring::bind`.
//!
//! Read: block and flow mappings, lists (a list of values is one comma-separated value, as Spring
//! binds `List<String>`; other items are `key[i]`), multi-document streams (later documents
//! override earlier ones; a profile-specific document is warned about), anchors, aliases and
//! `<<` merge keys, block scalars, quoted keys, Spring's `"[map.key]"` notation. Reported: syntax
//! errors, non-scalar keys, and a document that is not a mapping, each at its line and column.
//!
//! Profiles, as Spring Boot 2.4+ reads a multi-document `application.yml`
//! (`org.springframework.boot.context.config.ConfigDataEnvironment`; docs: "Activation
//! Properties"): a document with `spring.config.activate.on-profile` (or the older
//! `spring.profiles`) applies only when its profile expression matches the active profiles, which
//! are the ones chosen (`profile=` on the fence, `--profile`), else the `spring.profiles.active` of
//! the documents that always apply, else none. A document that does not apply is not read, and a
//! warning says so at its profile line; an expression with `&`, `|` or parentheses is read as active,
//! with a warning.

use super::{Entry, RawConfig, spring};
use crate::semantics::Diag;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, StrInput};
use std::collections::{HashMap, HashSet};

/// Nesting deeper than this is reported rather than followed.
const MAX_DEPTH: usize = 64;

pub fn parse_yaml(text: &str) -> (RawConfig, Vec<Diag>) {
    parse_yaml_for(text, None)
}

/// As `parse_yaml`, with the Spring profiles chosen as active (`None`: the file's own
/// `spring.profiles.active`, or none).
pub fn parse_yaml_for(text: &str, profiles: Option<&[String]>) -> (RawConfig, Vec<Diag>) {
    let mut r = Reader {
        parser: Parser::new_from_str(text),
        out: Vec::new(),
        diags: Vec::new(),
        anchors: HashMap::new(),
        lines: text.lines().count().max(1),
        failed: false,
        docs: Vec::new(),
    };
    r.stream();
    r.select_profiles(profiles);
    let Reader { out, mut diags, .. } = r;
    let entries = spring::bind(out, &mut diags);
    (RawConfig { entries, ..Default::default() }, diags)
}

struct Reader<'a> {
    parser: Parser<'a, StrInput<'a>>,
    /// Settings as written: dotted keys (brackets kept for `spring::bind`), value positions.
    out: Vec<Entry>,
    diags: Vec<Diag>,
    /// Anchor id → the settings under the anchored node, as (key suffix, value).
    anchors: HashMap<usize, Vec<(String, String)>>,
    lines: usize,
    failed: bool,
    /// Where each document's settings start in `out`.
    docs: Vec<usize>,
}

/// The Spring profile condition of a document: `spring.config.activate.on-profile` or the
/// pre-2.4 `spring.profiles`, as (entry index, expression).
fn profile_condition(entries: &[Entry]) -> Option<(usize, &str)> {
    entries.iter().position(|e| is_profile_key(&e.key)).map(|i| (i, entries[i].value.as_str()))
}

/// Spring's relaxed names: `on-profile`, `onProfile`, `on_profile` are one key.
fn relaxed(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric() || *c == '.').flat_map(char::to_lowercase).collect()
}

fn is_profile_key(key: &str) -> bool {
    ["spring.config.activate.onprofile", "spring.profiles"].contains(&relaxed(key).as_str())
}

/// Does a profile expression match `active`? `a, b` matches when any term does; `!a` when `a` is not
/// active. `None`: an expression with `&`, `|` or parentheses, which semdoc does not evaluate.
fn profile_matches(expr: &str, active: &[String]) -> Option<bool> {
    if expr.contains(['&', '|', '(', ')']) {
        return None;
    }
    Some(expr.split(',').map(str::trim).filter(|t| !t.is_empty()).any(|t| match t.strip_prefix('!') {
        Some(name) => !active.iter().any(|a| a == name.trim()),
        None => active.iter().any(|a| a == t),
    }))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else if key.is_empty() {
        path.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl<'a> Reader<'a> {
    fn pos(&self, span: &Span) -> (usize, usize) {
        (span.start.line().clamp(1, self.lines), span.start.col() + 1)
    }

    fn next(&mut self) -> Option<(Event<'a>, Span)> {
        if self.failed {
            return None;
        }
        match self.parser.next_event()? {
            Ok(ev) => Some(ev),
            Err(e) => {
                let m = e.marker();
                self.diags.push(
                    Diag::error("parse", m.line().clamp(1, self.lines), m.col() + 1, format!("YAML: {}", e.info()))
                        .hint("check the indentation, quotes and brackets at this position"),
                );
                self.failed = true;
                None
            }
        }
    }

    fn stream(&mut self) {
        let mut doc = 0;
        while let Some((ev, span)) = self.next() {
            match ev {
                Event::StreamEnd => return,
                Event::DocumentStart(_) => {
                    doc += 1;
                    let from = self.out.len();
                    let Some((root, rspan)) = self.next() else { return };
                    match root {
                        Event::MappingStart(..) => self.node(root, rspan, "", 0),
                        Event::Scalar(v, ScalarStyle::Plain, ..) if is_null(&v) => {}
                        Event::DocumentEnd => continue,
                        other => {
                            let (line, col) = self.pos(&rspan);
                            let what =
                                if matches!(other, Event::SequenceStart(..)) { "a list" } else { "a single value" };
                            self.diags.push(
                                Diag::error(
                                    "parse",
                                    line,
                                    col,
                                    format!("YAML document {doc} is {what}, not a mapping of settings"),
                                )
                                .hint("write settings as `key: value`, e.g. `acks: all`"),
                            );
                            self.skip(other);
                        }
                    }
                    self.docs.push(from);
                }
                Event::DocumentEnd | Event::StreamStart | Event::Nothing => {}
                other => {
                    let (line, col) = self.pos(&span);
                    self.diags.push(Diag::error("parse", line, col, format!("unexpected YAML event {other:?}")));
                    return;
                }
            }
        }
    }

    /// Keep the documents that apply for the active profiles (see the module's comment); the
    /// profile keys themselves are understood, so they are dropped from the settings.
    fn select_profiles(&mut self, chosen: Option<&[String]>) {
        let mut bounds = self.docs.clone();
        bounds.push(self.out.len());
        let docs: Vec<Vec<Entry>> = bounds.windows(2).map(|w| self.out[w[0]..w[1]].to_vec()).collect();
        let active: Vec<String> = match chosen {
            Some(p) => p.to_vec(),
            None => docs
                .iter()
                .filter(|d| profile_condition(d).is_none())
                .flat_map(|d| d.iter().filter(|e| relaxed(&e.key) == "spring.profiles.active"))
                .next_back()
                .map(|e| e.value.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect())
                .unwrap_or_default(),
        };
        let shown = if active.is_empty() {
            "no profile is active".to_string()
        } else {
            format!("active: {}", active.join(", "))
        };
        let mut kept = Vec::new();
        for (n, mut doc) in docs.into_iter().enumerate() {
            let Some((i, expr)) = profile_condition(&doc) else {
                kept.extend(doc);
                continue;
            };
            let (line, col, expr) = (doc[i].line, doc[i].col, expr.to_string());
            match profile_matches(&expr, &active) {
                Some(true) => {
                    doc.remove(i);
                    kept.extend(doc);
                }
                Some(false) => self.diags.push(
                    Diag::warning(
                        "yaml-profile",
                        line,
                        col,
                        format!("YAML document {} applies only with profile `{expr}` ({shown}): not read", n + 1),
                    )
                    .hint("choose the profile to check with `profile=NAME` on the fence (`--profile NAME` for explain and lint)"),
                ),
                None => {
                    self.diags.push(
                        Diag::warning(
                            "yaml-profile",
                            line,
                            col,
                            format!("profile expression `{expr}` is not evaluated by semdoc; the document is read as active"),
                        )
                        .hint("write the profile as a name or a list (`prod, cloud`, `!local`), or classify each profile's settings as its own snippet"),
                    );
                    doc.remove(i);
                    kept.extend(doc);
                }
            }
        }
        self.out = kept;
    }

    /// Consume the rest of a node whose start event was `ev`.
    fn skip(&mut self, ev: Event<'a>) {
        let mut depth = match ev {
            Event::MappingStart(..) | Event::SequenceStart(..) => 1,
            _ => 0,
        };
        while depth > 0 {
            match self.next() {
                Some((Event::MappingStart(..) | Event::SequenceStart(..), _)) => depth += 1,
                Some((Event::MappingEnd | Event::SequenceEnd, _)) => depth -= 1,
                Some(_) => {}
                None => return,
            }
        }
    }

    /// Read the node starting with `ev` at `path`, appending its settings to `out`.
    fn node(&mut self, ev: Event<'a>, span: Span, path: &str, depth: usize) {
        let (line, col) = self.pos(&span);
        if depth > MAX_DEPTH {
            self.diags.push(Diag::error("parse", line, col, format!("YAML nested more than {MAX_DEPTH} levels deep")));
            self.skip(ev);
            return;
        }
        let from = self.out.len();
        let anchor = match &ev {
            Event::Scalar(_, _, a, _) | Event::MappingStart(a, _) | Event::SequenceStart(a, _) => *a,
            _ => 0,
        };
        match ev {
            Event::Scalar(v, style, ..) => {
                let value = scalar_value(&v, style);
                self.out.push(Entry { key: path.to_string(), value, line, col });
            }
            Event::Alias(id) => {
                let replay = self.anchors.get(&id).cloned().unwrap_or_default();
                for (suffix, value) in replay {
                    self.out.push(Entry { key: join(path, &suffix), value, line, col });
                }
            }
            Event::MappingStart(..) => self.mapping(path, depth),
            Event::SequenceStart(..) => self.sequence(path, line, col, depth),
            _ => {}
        }
        if anchor != 0 {
            let strip =
                |k: &str| k.strip_prefix(path).map(|s| s.trim_start_matches('.').to_string()).unwrap_or_default();
            let saved = self.out[from..].iter().map(|e| (strip(&e.key), e.value.clone())).collect();
            self.anchors.insert(anchor, saved);
        }
    }

    fn mapping(&mut self, path: &str, depth: usize) {
        let mut explicit: HashSet<String> = HashSet::new();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        loop {
            let Some((kev, kspan)) = self.next() else { return };
            let key = match kev {
                Event::MappingEnd => break,
                Event::Scalar(k, ..) => k.into_owned(),
                other => {
                    let (line, col) = self.pos(&kspan);
                    self.diags.push(
                        Diag::error("parse", line, col, "a YAML key must be a plain or quoted text".to_string())
                            .hint("quote Spring's map keys: `\"[enable.idempotence]\": true`"),
                    );
                    self.skip(other);
                    if let Some((v, _)) = self.next() {
                        self.skip(v);
                    }
                    continue;
                }
            };
            let Some((vev, vspan)) = self.next() else { return };
            if key == "<<" {
                // A merge key: the aliased (or inline) mapping's keys, unless this mapping sets them.
                let start = self.out.len();
                match vev {
                    Event::SequenceStart(..) => loop {
                        match self.next() {
                            Some((Event::SequenceEnd, _)) | None => break,
                            Some((ev, sp)) => self.node(ev, sp, path, depth + 1),
                        }
                    },
                    ev => self.node(ev, vspan, path, depth + 1),
                }
                merged.push((start, self.out.len()));
                continue;
            }
            explicit.insert(key.clone());
            let child = join(path, &key);
            self.node(vev, vspan, &child, depth + 1);
        }
        if merged.is_empty() {
            return;
        }
        let first_key = |k: &str| {
            let rest = k.strip_prefix(path).unwrap_or(k).trim_start_matches('.');
            rest.split('.').next().unwrap_or("").to_string()
        };
        let mut i = 0;
        self.out.retain(|e| {
            let idx = i;
            i += 1;
            !(merged.iter().any(|(a, b)| (*a..*b).contains(&idx)) && explicit.contains(&first_key(&e.key)))
        });
    }

    fn sequence(&mut self, path: &str, line: usize, col: usize, depth: usize) {
        let mut scalars: Vec<(String, usize, usize)> = Vec::new();
        let mut complex = false;
        let mut i = 0;
        loop {
            let Some((ev, span)) = self.next() else { return };
            match ev {
                Event::SequenceEnd => break,
                Event::Scalar(v, style, ..) => {
                    let (l, c) = self.pos(&span);
                    scalars.push((scalar_value(&v, style), l, c));
                }
                ev => {
                    complex = true;
                    self.node(ev, span, &format!("{path}[{i}]"), depth + 1);
                }
            }
            i += 1;
        }
        if complex {
            for (n, (v, l, c)) in scalars.into_iter().enumerate() {
                self.out.push(Entry { key: format!("{path}[{n}]"), value: v, line: l, col: c });
            }
        } else {
            let value = scalars.iter().map(|(v, ..)| v.as_str()).collect::<Vec<_>>().join(",");
            let (line, col) = scalars.first().map_or((line, col), |(_, l, c)| (*l, *c));
            self.out.push(Entry { key: path.to_string(), value, line, col });
        }
    }
}

fn is_null(v: &str) -> bool {
    matches!(v, "" | "~" | "null" | "Null" | "NULL")
}

/// A scalar's text as the client sees it. Spring Boot loads YAML with SnakeYAML (YAML 1.1), whose
/// `Resolver.BOOL` also reads plain `yes/no/on/off` as booleans, bound to a `String` as
/// `true`/`false`; a plain null is the empty text; block scalars lose their final line break.
fn scalar_value(v: &str, style: ScalarStyle) -> String {
    match style {
        ScalarStyle::Plain => match v {
            "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => "true".into(),
            "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => "false".into(),
            v if is_null(v) => String::new(),
            v => v.to_string(),
        },
        ScalarStyle::Literal | ScalarStyle::Folded => v.trim_end_matches('\n').to_string(),
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Settings = Vec<(String, String, usize, usize)>;

    fn kv(text: &str) -> (Settings, Vec<Diag>) {
        let (c, d) = parse_yaml(text);
        (c.entries.into_iter().map(|e| (e.key, e.value, e.line, e.col)).collect(), d)
    }

    #[test]
    fn flow_maps_and_lists_are_read() {
        let (k, d) = kv("spring: {kafka: {producer: {acks: \"0\", retries: 0}, bootstrap-servers: [a:1, b:2]}}\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            k,
            [
                ("bootstrap.servers".into(), "a:1,b:2".into(), 1, 73),
                ("producer.acks".into(), "0".into(), 1, 35),
                ("producer.retries".into(), "0".into(), 1, 49),
            ]
        );
    }

    #[test]
    fn anchors_merge_keys_documents_and_block_scalars() {
        let src = "base: &b\n  acks: all\n  retries: 3\nproducer:\n  <<: *b\n  retries: 0\n---\nconsumer:\n  group.id: |\n    g1\n  \"[isolation.level]\": read_committed\n";
        let (k, d) = kv(src);
        assert!(d.is_empty(), "{d:?}");
        let keys: Vec<_> = k.iter().map(|(k, v, l, _)| (k.as_str(), v.as_str(), *l)).collect();
        assert_eq!(
            keys,
            [
                ("base.acks", "all", 2),
                ("base.retries", "3", 3),
                ("producer.acks", "all", 5),
                ("producer.retries", "0", 6),
                ("consumer.group.id", "g1", 10),
                ("consumer.isolation.level", "read_committed", 11),
            ]
        );
    }

    #[test]
    fn syntax_errors_and_non_mappings_are_reported_at_line_and_column() {
        let (_, d) = kv("spring:\n  kafka: {producer: [\n");
        assert_eq!((d[0].code, d[0].line > 1), ("parse", true), "{d:?}");
        let (_, d) = kv("hello world\n");
        assert_eq!((d[0].code, d[0].line, d[0].col), ("parse", 1, 1), "{d:?}");
        let (_, d) = kv("? [a, b]\n: c\n");
        assert_eq!(d[0].code, "parse", "{d:?}");
        let (_, d) = kv("acks: all\n---\nspring.config.activate.on-profile: prod\nacks: 0\n");
        assert_eq!(d.iter().map(|d| (d.code, d.line)).collect::<Vec<_>>(), [("yaml-profile", 3)]);
    }
}
