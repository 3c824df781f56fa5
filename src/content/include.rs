//! Included snippets (pure): the `include=` requests a page's fences make, where their files are
//! (`key`), and the part of a file a fence takes (`lines=`, `region=`, YAML `path=`), each line
//! keeping its own line number in the file. `content/mod.rs` reads the files (the IO edge).
//!
//! The attribute is `include=`, not `file=`: kramdown/Chirpy already give a code block a displayed
//! name with the IAL `{: file="…" }` (see `markdown::kramdown`), and an info-string word of the
//! same name with another meaning would confuse writers who use both.

use crate::diag::did_you_mean;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Fence attributes that select included text.
pub const INCLUDE_ATTRS: &[&str] = &["include", "lines", "region", "path"];

/// An included file as the loader found it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Loaded {
    Text(Arc<str>),
    Missing,
    NotAFile,
    /// Its real path (symlinks resolved) is outside the repository root; `symlink` when the path
    /// as written is inside and a symlink leads out.
    OutsideRepo {
        symlink: bool,
        repo: PathBuf,
    },
    Unreadable(String),
    NotUtf8 {
        line: usize,
        col: usize,
    },
}

/// Every file a page asked for, by `key` (its path from the site root, `..` allowed).
pub type IncludedFiles = BTreeMap<PathBuf, Loaded>;

/// What a fence took from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// The file as diagnostics name it: its path from the site root.
    pub shown: PathBuf,
    pub text: String,
    /// The file line (from 1) of each line of `text`.
    pub lines: Vec<usize>,
    /// `lines 6–12` (or `lines 3, 6–12` when enclosing YAML keys are kept).
    pub range: String,
}

/// A fence whose include cannot be served: reported at the fence's line, at `col` of its info string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub col: usize,
    pub message: String,
    pub hint: String,
}

/// Which part of the file a fence takes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Whole,
    Lines { from: usize, to: Option<usize> },
    Region(String),
    YamlPath(String),
}

/// Split a fence's info string into words, honouring double quotes (`note="two words"`, the
/// quotes removed). Returns (word, col) pairs where col is the 0-based char offset in `s`. The one
/// reader of info strings: `verify::binding` parses attributes with it too.
pub fn info_words(s: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in s.chars().enumerate() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push((std::mem::take(&mut cur), start));
                }
            }
            c => {
                if cur.is_empty() {
                    start = i;
                }
                cur.push(c);
            }
        }
    }
    if !cur.is_empty() {
        out.push((cur, start));
    }
    out
}

/// The words of an info string with their 1-based column as reported (the fence's three
/// backticks come first, as in `verify::binding`).
fn words(info: &str) -> Vec<(String, usize)> {
    info_words(info).into_iter().map(|(w, c)| (w, c + 4)).collect()
}

/// Is a fence with these words executable (`semdoc` after the language)?
pub fn is_executable(ws: &[(String, usize)]) -> bool {
    ws.iter().skip(1).any(|(w, _)| w == "semdoc")
}

/// The `include=` targets of a Markdown text's executable fences, as written. A line scan (the
/// loader runs it before Markdown is parsed), so it may name a fence Markdown would not see; that
/// only reads a file more.
pub fn requests(text: &str) -> Vec<String> {
    if !text.contains("include=") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start_matches([' ', '\t', '>', '-', '*']).trim_start();
        let fence = if t.starts_with("```") {
            '`'
        } else if t.starts_with("~~~") {
            '~'
        } else {
            continue;
        };
        let info = t.trim_start_matches(fence);
        let ws = words(info);
        if !is_executable(&ws) {
            continue;
        }
        out.extend(ws.iter().filter_map(|(w, _)| w.strip_prefix("include=")).map(str::to_string));
    }
    out
}

/// Where `target` (as written in a page in folder `base`, both from the site root) is, from the
/// site root: relative to `base`, or to the root when it starts with `/`. `..` may leave the root.
pub fn key(base: &Path, target: &str) -> PathBuf {
    let mut parts: Vec<String> = Vec::new();
    let (start, rest) = match target.strip_prefix('/') {
        Some(rest) => (Path::new(""), rest),
        None => (base, target),
    };
    for c in start.components() {
        if let Component::Normal(s) = c {
            parts.push(s.to_string_lossy().into_owned());
        } else if c == Component::ParentDir {
            parts.push("..".into());
        }
    }
    for seg in rest.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| p != "..") => {
                parts.pop();
            }
            s => parts.push(s.to_string()),
        }
    }
    parts.iter().collect()
}

/// The included text for a fence's info string, when the fence asks for one: `None` for a fence
/// without `semdoc` or without include attributes. `base` is the page's folder from the site root.
pub fn resolve(info: &str, base: &Path, files: &IncludedFiles) -> Option<Result<Included, Problem>> {
    let ws = words(info);
    if !is_executable(&ws) {
        return None;
    }
    let mut target: Option<(&str, usize)> = None;
    let mut parts: Vec<(&str, &str, usize)> = Vec::new();
    for (w, col) in &ws {
        let Some((k, v)) = w.split_once('=') else { continue };
        match k {
            "include" => target = Some((v, *col)),
            "lines" | "region" | "path" => parts.push((k, v, *col)),
            _ => {}
        }
    }
    if target.is_none() && parts.is_empty() {
        return None;
    }
    Some(resolve_parts(target, &parts, base, files))
}

fn resolve_parts(
    target: Option<(&str, usize)>,
    parts: &[(&str, &str, usize)],
    base: &Path,
    files: &IncludedFiles,
) -> Result<Included, Problem> {
    let problem = |col: usize, message: String, hint: String| Problem { col, message, hint };
    let Some((target, tcol)) = target else {
        let (k, _, col) = parts[0];
        return Err(problem(
            col,
            format!("`{k}=` selects part of an included file, but the fence has no `include=`"),
            "add `include=PATH` (relative to the page, or to the site root with a leading `/`)".into(),
        ));
    };
    if parts.len() > 1 {
        let (k, _, col) = parts[1];
        return Err(problem(
            col,
            format!("`{k}=` and `{}=` both select a part; a fence takes one", parts[0].0),
            "use one of `lines=`, `region=` or `path=`".into(),
        ));
    }
    let part = match parts.first() {
        None => Part::Whole,
        Some(("lines", v, col)) => parse_lines(v).ok_or_else(|| {
            problem(
                *col,
                format!("`lines={v}` is not a line range"),
                "write `lines=5-12` (from 1, inclusive), `lines=5` or `lines=5-`".into(),
            )
        })?,
        Some(("region", v, _)) => Part::Region(v.to_string()),
        Some((_, v, _)) => Part::YamlPath(v.to_string()),
    };
    let pcol = parts.first().map_or(tcol, |p| p.2);
    if target.is_empty() {
        return Err(problem(
            tcol,
            "`include=` names no file".into(),
            "write `include=../services/app/application.yml`".into(),
        ));
    }
    let key = key(base, target);
    let text = match files.get(&key) {
        Some(Loaded::Text(t)) => t,
        Some(other) => {
            let (message, hint) = match other {
                Loaded::Missing => (
                    format!("included file `{}` does not exist", key.display()),
                    format!(
                        "`include=` is relative to the page's folder (`{}`), or to the site root when it starts with `/`",
                        base.display()
                    ),
                ),
                Loaded::NotAFile => (format!("included path `{}` is not a file", key.display()), "name a file".into()),
                Loaded::OutsideRepo { symlink, repo } => (
                    if *symlink {
                        format!("included file `{}` leads through a symlink out of the repository", key.display())
                    } else {
                        format!("included file `{}` is outside the repository", key.display())
                    },
                    format!(
                        "semdoc includes only files inside the repository root `{}` (the nearest folder with `.git` above the site, else the site's parent folder)",
                        repo.display()
                    ),
                ),
                Loaded::Unreadable(e) => (
                    format!("cannot read included file `{}`: {e}", key.display()),
                    "check the file's permissions".into(),
                ),
                Loaded::NotUtf8 { line, col } => (
                    format!("included file `{}` is not valid UTF-8 (at {line}:{col})", key.display()),
                    "save the file as UTF-8".into(),
                ),
                Loaded::Text(_) => unreachable!("matched above"),
            };
            return Err(problem(tcol, message, hint));
        }
        None => {
            return Err(problem(
                tcol,
                format!("included file `{}` was not read", key.display()),
                "semdoc reads included files while loading the site: write the fence's info string on its own fence line".into(),
            ));
        }
    };
    let all: Vec<&str> = text.lines().collect();
    let picked: Vec<usize> = match &part {
        Part::Whole => (0..all.len()).collect(),
        Part::Lines { from, to } => {
            let to = to.unwrap_or(all.len());
            if *from > all.len() || to > all.len() {
                return Err(problem(
                    pcol,
                    format!("`lines={from}-{to}` is past the end of `{}`", key.display()),
                    format!("the file has {} lines", all.len()),
                ));
            }
            (from - 1..to).collect()
        }
        Part::Region(name) => region(&all, name).map_err(|(m, h)| problem(pcol, m, h))?,
        Part::YamlPath(path) => yaml_path(&all, path).map_err(|(m, h)| problem(pcol, m, h))?,
    };
    let mut out = String::new();
    for &i in &picked {
        out.push_str(all[i]);
        out.push('\n');
    }
    let lines: Vec<usize> = picked.iter().map(|i| i + 1).collect();
    Ok(Included { shown: key, text: out, range: range_text(&lines), lines })
}

fn parse_lines(v: &str) -> Option<Part> {
    let (a, b) = match v.split_once('-') {
        Some((a, "")) => (a.trim().parse().ok()?, None),
        Some((a, b)) => (a.trim().parse().ok()?, Some(b.trim().parse().ok()?)),
        None => {
            let a = v.trim().parse().ok()?;
            (a, Some(a))
        }
    };
    (a >= 1 && b.is_none_or(|b| b >= a)).then_some(Part::Lines { from: a, to: b })
}

/// `lines 3, 6–12`.
fn range_text(lines: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &l in lines {
        match runs.last_mut() {
            Some((_, e)) if *e + 1 == l => *e = l,
            _ => runs.push((l, l)),
        }
    }
    let shown: Vec<String> =
        runs.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect();
    match (lines.len(), shown.is_empty()) {
        (_, true) => "empty".into(),
        (1, _) => format!("line {}", shown[0]),
        _ => format!("lines {}", shown.join(", ")),
    }
}

/// An anchor line: mdBook's `ANCHOR: NAME` / `ANCHOR_END: NAME`, or `semdoc:start NAME` /
/// `semdoc:end`, written in a comment (`#`, `//`, `/*`, `<!--`, `--`, `;`).
#[derive(Debug, PartialEq, Eq)]
enum Anchor<'a> {
    Start(&'a str),
    End(Option<&'a str>),
}

fn anchor<'a>(line: &'a str) -> Option<Anchor<'a>> {
    let t = line.trim_start();
    let body = ["<!--", "//", "/*", "#", "--", ";"].iter().find_map(|c| t.strip_prefix(c))?;
    let body = body.trim_start_matches(['#', '/', ';', '-', '*', '!']).trim();
    let body = body.trim_end_matches("-->").trim_end_matches("*/").trim();
    let name = |s: &'a str| s.split_whitespace().next();
    if let Some(r) = body.strip_prefix("ANCHOR_END:") {
        return Some(Anchor::End(name(r)));
    }
    if let Some(r) = body.strip_prefix("ANCHOR:") {
        return name(r).map(Anchor::Start);
    }
    if let Some(r) = body.strip_prefix("semdoc:end") {
        return (r.is_empty() || r.starts_with(char::is_whitespace)).then(|| Anchor::End(name(r)));
    }
    if let Some(r) = body.strip_prefix("semdoc:start") {
        return name(r).map(Anchor::Start);
    }
    None
}

/// The lines between a region's start and end anchors, anchor lines (of any region) left out.
fn region(all: &[&str], want: &str) -> Result<Vec<usize>, (String, String)> {
    let mut names: Vec<&str> = Vec::new();
    let mut open: Option<usize> = None;
    let mut picked = Vec::new();
    for (i, l) in all.iter().enumerate() {
        match anchor(l) {
            Some(Anchor::Start(n)) => {
                names.push(n);
                if n == want && open.is_none() && picked.is_empty() {
                    open = Some(i);
                }
            }
            Some(Anchor::End(n)) if open.is_some() && n.is_none_or(|n| n == want) => return Ok(picked),
            Some(Anchor::End(_)) => {}
            None if open.is_some() => picked.push(i),
            None => {}
        }
    }
    if let Some(start) = open {
        return Err((
            format!("region `{want}` starts at line {} and never ends", start + 1),
            format!("end it with `ANCHOR_END: {want}` or `semdoc:end` in a comment"),
        ));
    }
    let hint = match (did_you_mean(want, &names), names.is_empty()) {
        (_, true) => "mark a region with comment lines `semdoc:start NAME` … `semdoc:end` (or mdBook's `ANCHOR: NAME` … `ANCHOR_END: NAME`)".to_string(),
        (Some(s), _) => format!("did you mean `{s}`? regions in the file: {}", names.join(", ")),
        (None, _) => format!("regions in the file: {}", names.join(", ")),
    };
    Err((format!("no region `{want}` in the included file"), hint))
}

/// A YAML block mapping's key on a line (`key:` or `key: value`), quoted or plain.
fn yaml_key(content: &str) -> Option<(&str, &str)> {
    if let Some(q) = content.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = content[1..].find(q)? + 1;
        let rest = content[end + 1..].trim_start().strip_prefix(':')?;
        return (rest.is_empty() || rest.starts_with(char::is_whitespace)).then(|| (&content[1..end], rest.trim()));
    }
    if content.starts_with(['-', '#', '[', '{', '?']) && !content.starts_with("---") {
        return None;
    }
    let at = content.match_indices(':').find(|(i, _)| {
        let after = &content[i + 1..];
        after.is_empty() || after.starts_with(char::is_whitespace)
    })?;
    Some((content[..at.0].trim_end(), content[at.0 + 1..].trim()))
}

/// The subtree under a dotted path of a block-style YAML file, with the lines of its enclosing
/// keys kept (as written, so the snippet still parses as the same Spring configuration and every
/// line keeps its column). A key written with dots (`spring.kafka:`) matches those segments. The
/// first match wins across `---` documents.
fn yaml_path(all: &[&str], want: &str) -> Result<Vec<usize>, (String, String)> {
    let mut stack: Vec<(usize, String, usize)> = Vec::new(); // (indent, dotted path, line)
    let mut seen: Vec<String> = Vec::new();
    let mut block_scalar: Option<usize> = None;
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let structural = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    for (i, l) in all.iter().copied().enumerate() {
        if !structural(l) {
            continue;
        }
        let ind = indent_of(l);
        if let Some(b) = block_scalar {
            if ind > b {
                continue;
            }
            block_scalar = None;
        }
        let content = l.trim();
        if content == "---" || content.starts_with("--- ") || content == "..." {
            stack.clear();
            continue;
        }
        let Some((k, value)) = yaml_key(content) else { continue };
        while stack.last().is_some_and(|(si, _, _)| *si >= ind) {
            stack.pop();
        }
        let path = match stack.last() {
            Some((_, p, _)) => format!("{p}.{k}"),
            None => k.to_string(),
        };
        if value.starts_with(['|', '>']) {
            block_scalar = Some(ind);
        }
        if path == want {
            let mut picked: Vec<usize> = stack.iter().map(|(_, _, line)| *line).collect();
            picked.push(i);
            let mut last = i;
            for (j, l) in all.iter().copied().enumerate().skip(i + 1) {
                if structural(l) {
                    if indent_of(l) <= ind || l.trim() == "---" {
                        break;
                    }
                    last = j;
                }
            }
            picked.extend(i + 1..=last);
            return Ok(picked);
        }
        seen.push(path.clone());
        stack.push((ind, path, i));
    }
    // The longest prefix of the path that exists, and the keys under it.
    let segs: Vec<&str> = want.split('.').collect();
    let found = (1..segs.len()).rev().map(|n| segs[..n].join(".")).find(|p| seen.contains(p));
    let under = |prefix: &str| -> Vec<&str> {
        let mut v: Vec<&str> = seen
            .iter()
            .filter_map(
                |p| if prefix.is_empty() { Some(p.as_str()) } else { p.strip_prefix(prefix)?.strip_prefix('.') },
            )
            .filter(|rest| !rest.contains('.'))
            .collect();
        v.dedup();
        v
    };
    let (msg, keys) = match &found {
        Some(p) => {
            (format!("no `{want}` in the included file: `{p}` has no `{}`", segs[p.split('.').count()]), under(p))
        }
        None => (format!("no `{want}` in the included file"), under("")),
    };
    let hint = if keys.is_empty() {
        "`path=` takes a dotted path of block-style YAML keys, e.g. `path=spring.kafka.producer`".to_string()
    } else {
        let next = segs[found.as_ref().map_or(0, |p| p.split('.').count())];
        match did_you_mean(next, &keys) {
            Some(s) => format!("did you mean `{s}`? keys there: {}", keys.join(", ")),
            None => format!("keys there: {}", keys.join(", ")),
        }
    };
    Err((msg, hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    const YML: &str = "server:\n  port: 8080\nspring:\n  application:\n    name: order-service\n  kafka:\n    bootstrap-servers: k:9092\n    producer:\n      acks: all\n      # a comment\n      properties:\n        delivery.timeout.ms: 120000\n    consumer:\n      group-id: g\n";

    fn files(text: &str) -> IncludedFiles {
        [(PathBuf::from("../svc/a.yml"), Loaded::Text(text.into()))].into_iter().collect()
    }

    #[test]
    fn requests_and_keys() {
        let md = "x\n\n```yaml semdoc include=../../svc/a.yml path=spring.kafka\n```\n\n```yaml include=no.yml\n```\n";
        assert_eq!(requests(md), vec!["../../svc/a.yml".to_string()]);
        assert_eq!(key(Path::new("content/posts"), "../../svc/a.yml"), PathBuf::from("svc/a.yml"));
        assert_eq!(key(Path::new("content"), "../../svc/a.yml"), PathBuf::from("../svc/a.yml"));
        assert_eq!(key(Path::new("content/posts"), "/svc/./a.yml"), PathBuf::from("svc/a.yml"));
    }

    #[test]
    fn yaml_path_keeps_the_enclosing_keys_and_the_columns() {
        let inc = resolve("yaml semdoc include=../svc/a.yml path=spring.kafka.producer", Path::new(""), &files(YML))
            .unwrap()
            .unwrap();
        assert_eq!(inc.lines, vec![3, 6, 8, 9, 10, 11, 12]);
        assert_eq!(inc.range, "lines 3, 6, 8–12");
        assert!(inc.text.starts_with("spring:\n  kafka:\n    producer:\n      acks: all\n"), "{}", inc.text);
        let e = resolve("yaml semdoc include=../svc/a.yml path=spring.kafka.produce", Path::new(""), &files(YML))
            .unwrap()
            .unwrap_err();
        assert_eq!(e.message, "no `spring.kafka.produce` in the included file: `spring.kafka` has no `produce`");
        assert!(e.hint.starts_with("did you mean `producer`?"), "{}", e.hint);
        // A dotted key is its segments.
        let inc = resolve(
            "yaml semdoc include=../svc/a.yml path=spring.kafka.producer",
            Path::new(""),
            &files("spring.kafka:\n  producer:\n    acks: 1\nother: x\n"),
        )
        .unwrap()
        .unwrap();
        assert_eq!(inc.lines, vec![1, 2, 3]);
    }

    #[test]
    fn regions_in_any_comment_syntax() {
        let py = "a = 1\n# semdoc:start conf\nconf = {\n    # ANCHOR: inner\n    \"acks\": \"1\",\n    # ANCHOR_END: inner\n}\n# semdoc:end\n// ANCHOR: js\nx\n// ANCHOR_END: js\n<!-- semdoc:start h -->\ny\n<!-- semdoc:end -->\n";
        let f = files(py);
        let get =
            |r: &str| resolve(&format!("python semdoc include=../svc/a.yml region={r}"), Path::new(""), &f).unwrap();
        assert_eq!(get("conf").unwrap().lines, vec![3, 5, 7]);
        assert_eq!(get("inner").unwrap().lines, vec![5]);
        assert_eq!(get("js").unwrap().text, "x\n");
        assert_eq!(get("h").unwrap().lines, vec![13]);
        let e = get("con").unwrap_err();
        assert!(e.hint.starts_with("did you mean `conf`?"), "{e:?}");
    }

    #[test]
    fn line_ranges_and_their_errors() {
        let f = files(YML);
        let get = |l: &str| resolve(&format!("yaml semdoc include=../svc/a.yml lines={l}"), Path::new(""), &f).unwrap();
        assert_eq!(get("6-9").unwrap().range, "lines 6–9");
        assert_eq!(get("14-").unwrap().lines, vec![14]);
        assert_eq!(get("2").unwrap().range, "line 2");
        assert_eq!(get("9-99").unwrap_err().hint, "the file has 14 lines");
        assert!(get("0-3").is_err() && get("5-3").is_err() && get("a").is_err());
        let missing = resolve("yaml semdoc include=nope.yml", Path::new("content"), &f).unwrap().unwrap_err();
        assert_eq!((missing.col, missing.message.as_str()), (16, "included file `content/nope.yml` was not read"));
        assert!(resolve("yaml semdoc lines=3", Path::new(""), &f).unwrap().is_err());
        assert!(resolve("yaml semdoc role=producer", Path::new(""), &f).is_none());
        assert!(resolve("yaml include=x", Path::new(""), &f).is_none());
    }
}
