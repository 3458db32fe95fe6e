//! Front matter: finding the fenced block (YAML `---` or TOML `+++`), parsing it (YAML through the
//! bounded [`crate::yaml`] loader, TOML through `gray_matter`'s engine), and reading the known keys
//! into [`FrontMatter`].
//!
//! We split the fences ourselves so that byte offsets (and so line numbers of every later finding)
//! stay exact; parse errors are mapped back to the file's own line and column. No I/O here.

use crate::diag::{Diagnostic, LineIndex, Span};
use crate::limits::{Exceeded, Limits};
use crate::model::FrontMatter;
use gray_matter::engine::{Engine, TOML};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::path::Path;

/// The rule name of front matter findings.
pub const RULE: &str = "front-matter";

/// Which language a front matter block is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` fences.
    Yaml,
    /// `+++` fences.
    Toml,
}

/// Where the front matter and the body are in a source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The block's language, `None` if the file has no front matter.
    pub format: Option<Format>,
    /// Byte range of the block's text (between the fences).
    pub matter: std::ops::Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body_offset: usize,
    /// The opening fence has no closing fence.
    pub unclosed: bool,
    /// A leading block of `key: value` lines without fences (pages scraped or copied from Jekyll).
    pub unfenced: bool,
}

/// Keys that make an unfenced leading block front matter (every line must use one).
const KNOWN_KEYS: [&str; 26] = [
    "title",
    "description",
    "sidebar",
    "product",
    "redirect_from",
    "permalink",
    "layout",
    "summary",
    "tags",
    "keywords",
    "weight",
    "linktitle",
    "date",
    "lastmod",
    "draft",
    "slug",
    "sidebar_position",
    "sidebar_label",
    "aliases",
    "toc",
    "type",
    "categories",
    "author",
    "last_update",
    "lang",
    "hide",
];

/// A leading block of known `key: value` lines with a title, ended by a blank line.
fn unfenced(source: &str, start: usize) -> Option<Split> {
    let mut offset = start;
    let mut lines = source[start..].split_inclusive('\n').peekable();
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        offset += lines.next().map_or(0, str::len);
    }
    let matter_start = offset;
    let mut keys = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            break;
        }
        let (key, _) = line.split_once(':')?;
        if !KNOWN_KEYS.contains(&key.trim_end()) || key.starts_with(char::is_whitespace) {
            return None;
        }
        keys.push(key.trim_end().to_string());
        offset += line.len();
    }
    (keys.len() >= 2 && keys.iter().any(|k| k == "title")).then_some(Split {
        format: Some(Format::Yaml),
        matter: matter_start..offset,
        body_offset: offset,
        unclosed: false,
        unfenced: true,
    })
}

/// Find the front matter block at the start of `source`.
pub fn split(source: &str) -> Split {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let none = Split {
        format: None,
        matter: start..start,
        body_offset: start,
        unclosed: false,
        unfenced: false,
    };
    let first_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let (format, fence) = match source[start..first_end].trim_end() {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => return unfenced(source, start).unwrap_or(none),
    };
    let matter_start = (first_end + 1).min(source.len());
    let mut line_start = matter_start;
    while line_start < source.len() {
        let line_end = source[line_start..]
            .find('\n')
            .map_or(source.len(), |i| line_start + i);
        let line = source[line_start..line_end].trim_end();
        if line == fence || (format == Format::Yaml && line == "...") {
            return Split {
                format: Some(format),
                matter: matter_start..line_start,
                body_offset: (line_end + 1).min(source.len()),
                unclosed: false,
                unfenced: false,
            };
        }
        line_start = line_end + 1;
    }
    Split {
        unclosed: true,
        ..none
    }
}

/// A front matter block that cannot be read: the parser's message, its 1-based line and column in
/// the block when known, and the limit it crossed, if that is why.
struct Unreadable {
    message: String,
    position: Option<(usize, usize)>,
    exceeded: Option<Exceeded>,
}

/// Parse the front matter of one page within `limits`. Returns the known keys (defaults where the
/// block is broken), the body offset, and the findings, each at its line and column in `file`.
pub fn parse(
    file: &Path,
    source: &str,
    lines: &LineIndex,
    limits: &Limits,
) -> (FrontMatter, usize, Vec<Diagnostic>) {
    let split = split(source);
    let mut diagnostics = Vec::new();
    if split.unclosed {
        diagnostics.push(
            Diagnostic::error(
                RULE,
                lines.span(file, source, 0),
                "front matter is not closed",
            )
            .with_hint("end the block with a line of `---` (or `+++` for TOML)"),
        );
        return (FrontMatter::default(), split.body_offset, diagnostics);
    }
    let Some(format) = split.format else {
        return (FrontMatter::default(), split.body_offset, diagnostics);
    };
    let text = &source[split.matter.clone()];
    if text.trim().is_empty() {
        return (FrontMatter::default(), split.body_offset, diagnostics);
    }
    if split.unfenced {
        diagnostics.push(
            Diagnostic::warning(
                "front-matter-unfenced",
                lines.span(file, source, split.matter.start),
                "these lines are read as front matter, but they have no `---` fences",
            )
            .with_hint("put a line of `---` before and after them"),
        );
    }
    let read = |text: &str| match format {
        Format::Yaml => crate::yaml::parse(text, limits).map_err(|e| Unreadable {
            message: e.message,
            position: Some((e.line, e.column)),
            exceeded: e.exceeded,
        }),
        Format::Toml => TOML::parse(text)
            .map_err(|e| e.to_string())
            .and_then(|pod| Value::deserialize(&pod).map_err(|e| e.to_string()))
            .map_err(|message| Unreadable {
                position: error_position(&message),
                message: tidy(&message),
                exceeded: None,
            }),
    };
    let mut value = read(text);
    // Hugo and Jekyll accept a key given twice (the last one wins); so do we, with a warning.
    if format == Format::Yaml
        && value
            .as_ref()
            .is_err_and(|e| e.message.contains("duplicated key"))
    {
        let (deduplicated, repeated) = last_of_each_key(text);
        if let (Ok(v), Some((key, offset))) = (read(&deduplicated), repeated) {
            diagnostics.push(
                Diagnostic::warning(
                    RULE,
                    lines.span(file, source, split.matter.start + offset),
                    format!("`{key}` is given more than once; the last one is used"),
                )
                .with_hint("remove the lines that are not meant"),
            );
            value = Ok(v);
        }
    }
    let value = match value {
        Ok(value) => value,
        Err(unreadable) => {
            let (mut line, mut column) = unreadable.position.unwrap_or((1, 1));
            let over_a_limit = unreadable.exceeded.is_some();
            let mut hint = unreadable.exceeded.map_or_else(
                || "fix the syntax; values with `:` or `#` need quotes".to_string(),
                Exceeded::hint,
            );
            // The parser notices an unclosed `[`, `{` or quote where the block ends; the writer
            // needs the line that opened it.
            if format == Format::Yaml && !over_a_limit {
                if let Some(open) = unclosed_opener(text).filter(|o| o.line <= line) {
                    (line, column) = (open.line, open.column);
                    hint = open.hint();
                }
            }
            let first_line = lines.line_col(source, split.matter.start).0;
            let span = Span {
                file: file.to_path_buf(),
                line: first_line + line - 1,
                column,
            };
            let language = if format == Format::Yaml {
                "YAML"
            } else {
                "TOML"
            };
            diagnostics.push(
                Diagnostic::error(
                    RULE,
                    span,
                    format!("invalid {language} front matter: {}", unreadable.message),
                )
                .with_hint(hint),
            );
            return (FrontMatter::default(), split.body_offset, diagnostics);
        }
    };
    let map = match value {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        _ => {
            diagnostics.push(
                Diagnostic::error(
                    RULE,
                    lines.span(file, source, split.matter.start),
                    "front matter is not a set of `key: value` lines",
                )
                .with_hint("write one `key: value` per line"),
            );
            return (FrontMatter::default(), split.body_offset, diagnostics);
        }
    };
    let key_span = |key: &str| {
        let offset = key_offset(text, key).map_or(split.matter.start, |o| split.matter.start + o);
        lines.span(file, source, offset)
    };
    let front = read_keys(map, &mut |key, message| {
        diagnostics.push(
            Diagnostic::error(RULE, key_span(key), format!("`{key}`: {message}"))
                .with_hint("see the front matter keys in README.md"),
        );
    });
    (front, split.body_offset, diagnostics)
}

/// A value that opens a flow sequence, a flow mapping or a quoted string that nothing after it
/// closes: its 1-based line and column in the block and the opening character.
#[derive(Debug, PartialEq)]
struct Opener {
    line: usize,
    column: usize,
    open: char,
}

impl Opener {
    fn hint(&self) -> String {
        let close = match self.open {
            '[' => ']',
            '{' => '}',
            quote => quote,
        };
        format!(
            "the `{}` opened here is never closed: add `{close}` at the end of the value, or put the whole value in quotes if the `{}` is meant as text",
            self.open, self.open
        )
    }
}

/// The first top-level `key: value` line whose value starts with `[`, `{`, `"` or `'` that the rest
/// of the block never closes (a flow collection may span lines, so the rest is counted too).
fn unclosed_opener(text: &str) -> Option<Opener> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let value = rest.trim_start();
        let Some(open) = value.chars().next().filter(|c| "[{\"'".contains(*c)) else {
            continue;
        };
        let column = key.len() + 1 + (rest.len() - value.len()) + 1;
        let after = std::iter::once(&value[1..])
            .chain(lines[i + 1..].iter().copied())
            .collect::<Vec<_>>()
            .join("\n");
        let closed = match open {
            '[' | '{' => {
                let close = if open == '[' { ']' } else { '}' };
                let mut depth = 1i64;
                let mut quote = None;
                for c in after.chars() {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '"' | '\'') => quote = Some(c),
                        (None, c) if c == open => depth += 1,
                        (None, c) if c == close => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                }
                depth == 0
            }
            quote => after.contains(quote),
        };
        if !closed {
            return Some(Opener {
                line: i + 1,
                column,
                open,
            });
        }
    }
    None
}

/// The block with only the last line of each top-level key (and that key's continuation lines), and
/// the first repeated key with its offset.
fn last_of_each_key(text: &str) -> (String, Option<(String, usize)>) {
    // Each top-level `key:` line with the continuation lines after it.
    let mut groups: Vec<(Option<String>, usize, String)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let key = line
            .split_once(':')
            .map(|(k, _)| k)
            .filter(|k| !k.is_empty() && !k.starts_with([' ', '\t', '-', '#']))
            .map(str::to_string);
        match (key, groups.last_mut()) {
            (None, Some(group)) => group.2.push_str(line),
            (key, _) => groups.push((key, offset, line.to_string())),
        }
        offset += line.len();
    }
    // The last group of each key, found once (a search per group would be quadratic).
    let mut last_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, (key, _, _)) in groups.iter().enumerate() {
        if let Some(k) = key {
            last_of.insert(k, i);
        }
    }
    let mut repeated = None;
    let mut out = String::new();
    for (i, (key, _, body)) in groups.iter().enumerate() {
        let last = key.as_deref().and_then(|k| last_of.get(k)).copied();
        if let (Some(k), Some(last)) = (key, last) {
            if last > i {
                if repeated.is_none() {
                    repeated = Some((k.clone(), groups[last].1));
                }
                continue;
            }
        }
        out.push_str(body);
    }
    (out, repeated)
}

/// Read the known keys out of a parsed map; `report(key, message)` is told about wrong types.
pub fn read_keys(map: Map<String, Value>, report: &mut dyn FnMut(&str, &str)) -> FrontMatter {
    let mut front = FrontMatter::default();
    for (key, value) in map {
        // An empty value (`weight:`) is the default, as Hugo, Docusaurus and Jekyll read it.
        if value.is_null() {
            continue;
        }
        match key.as_str() {
            "title" => {
                front.title = scalar_string(&value).or_else(|| bad(report, "title", "must be text"))
            }
            "description" => front.description = scalar_string(&value),
            "slug" => {
                front.slug = scalar_string(&value).or_else(|| bad(report, "slug", "must be text"))
            }
            "sidebar_label" | "linktitle" => front.sidebar_label = scalar_string(&value),
            "lang" => front.lang = scalar_string(&value),
            "sidebar_position" | "weight" => {
                let position = match &value {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                }
                .or_else(|| bad(report, &key, "must be a number"));
                // `sidebar_position` wins over Hugo's `weight` when a page has both.
                if key == "sidebar_position" || front.sidebar_position.is_none() {
                    front.sidebar_position = position;
                }
            }
            // Jekyll: an absolute address from the site root, often with `.html`.
            "permalink" => {
                if let Some(link) = scalar_string(&value) {
                    let link = link
                        .trim_end_matches("index.html")
                        .trim_end_matches(".html")
                        .to_string();
                    front.slug.get_or_insert(if link.starts_with('/') {
                        link
                    } else {
                        format!("/{link}")
                    });
                }
                front.extra.insert(key, value);
            }
            "summary" => {
                if front.description.is_none() {
                    front.description = scalar_string(&value);
                }
                front.extra.insert(key, value);
            }
            "tags" => front.tags = string_list(&value),
            "draft" => {
                // As Go's `strconv.ParseBool` reads it (Hugo: "1", "t", "TRUE", …).
                front.draft = match value {
                    Value::Bool(b) => b,
                    Value::String(ref s)
                        if matches!(s.as_str(), "1" | "t" | "T" | "true" | "True" | "TRUE") =>
                    {
                        true
                    }
                    Value::String(ref s)
                        if matches!(s.as_str(), "0" | "f" | "F" | "false" | "False" | "FALSE") =>
                    {
                        false
                    }
                    _ => bad(report, "draft", "must be `true` or `false`").unwrap_or(false),
                }
            }
            "last_update" => {
                front.last_update = match &value {
                    Value::Object(o) => o.get("date").and_then(scalar_string),
                    other => scalar_string(other),
                }
            }
            "redirect_from" | "aliases" => front.redirect_from.extend(string_list(&value)),
            _ => {
                front.extra.insert(key, value);
            }
        }
    }
    front
}

fn bad<T>(report: &mut dyn FnMut(&str, &str), key: &str, message: &str) -> Option<T> {
    report(key, message);
    None
}

fn scalar_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string_list(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::Object(o) => o.get("label").and_then(scalar_string),
                other => scalar_string(other),
            })
            .collect(),
        other => scalar_string(other).into_iter().collect(),
    }
}

/// Byte offset of `key:` (or `key =`) at the start of a line of the block.
fn key_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key) {
            if rest.trim_start().starts_with([':', '=']) {
                return Some(offset);
            }
        }
        offset += line.len();
    }
    None
}

/// Line and column from a parser message ("… line 3 column 7", "… at line 3, column 7").
fn error_position(message: &str) -> Option<(usize, usize)> {
    let number_after = |word: &str| {
        let at = message.find(word)? + word.len();
        let digits: String = message[at..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse::<usize>().ok()
    };
    Some((
        number_after("line ")?.max(1),
        number_after("column ").unwrap_or(1).max(1),
    ))
}

/// The parser's message on one line, without the position it repeats.
fn tidy(message: &str) -> String {
    let first = message
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message);
    let first = first.trim_start_matches("TOML parse error").trim();
    let cut = first
        .find(" at byte ")
        .or_else(|| first.find(" at line "))
        .unwrap_or(first.len());
    let head = first[..cut].trim().trim_end_matches(':');
    // TOML puts the real reason on the last line.
    match message
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with(['|', '^']))
    {
        Some(last) if head.is_empty() || head.starts_with("at line") => last.trim().to_string(),
        _ => head.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str) -> (FrontMatter, usize, Vec<Diagnostic>) {
        parse(
            Path::new("p.md"),
            source,
            &LineIndex::new(source),
            &Limits::default(),
        )
    }

    #[test]
    fn yaml_keys_are_read_and_the_body_offset_is_exact() {
        let source = "---\ntitle: Hei\nsidebar_position: 2\ntags: [a, b]\nfoo: bar\n---\n# Body\n";
        let (front, body, diags) = run(source);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(front.title.as_deref(), Some("Hei"));
        assert_eq!(front.sidebar_position, Some(2.0));
        assert_eq!(front.tags, vec!["a", "b"]);
        assert_eq!(front.extra.get("foo"), Some(&Value::String("bar".into())));
        assert_eq!(&source[body..], "# Body\n");
    }

    #[test]
    fn toml_front_matter_is_read() {
        let (front, _, diags) = run("+++\ntitle = \"T\"\nweight = 3\n+++\ntext");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(front.title.as_deref(), Some("T"));
        assert_eq!(
            front.sidebar_position,
            Some(3.0),
            "Hugo's weight orders like sidebar_position"
        );
    }

    #[test]
    fn yaml_error_is_reported_at_its_line_in_the_file() {
        let source = "---\ntitle: ok\ndescription: \"unclosed\n---\nbody";
        let (_, _, diags) = run(source);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].rule, RULE);
        assert!(diags[0].span.line >= 3, "{:?}", diags[0]);
    }

    #[test]
    fn an_unclosed_bracket_is_reported_where_it_opens() {
        let source = "---\ntitle: [Kall et API\ndescription: Om kall\n---\nbody";
        let (_, _, diags) = run(source);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            (diags[0].span.line, diags[0].span.column),
            (2, 8),
            "{diags:?}"
        );
        let hint = diags[0].hint.as_deref().unwrap_or_default();
        assert!(hint.contains("`[` opened here is never closed"), "{hint}");
    }

    #[test]
    fn unclosed_openers_are_found_and_closed_ones_left_alone() {
        let at = |text: &str| unclosed_opener(text).map(|o| (o.line, o.column, o.open));
        assert_eq!(at("title: \"Kall\nx: y\n"), Some((1, 8, '"')));
        assert_eq!(at("a: b\ntags: {x: 1\n"), Some((2, 7, '{')));
        assert_eq!(
            at("tags: [a,\n  b]\ntitle: ok\n"),
            None,
            "a flow sequence may span lines"
        );
        assert_eq!(at("tags: [\"]\", b]\n"), None, "a bracket inside quotes");
        assert_eq!(at("title: 'it''s'\n"), None);
    }

    #[test]
    fn toml_error_is_reported_at_its_line_in_the_file() {
        let (_, _, diags) = run("+++\ntitle = \"T\"\nweight = = 3\n+++\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].span.line, 3, "{:?}", diags[0]);
    }

    #[test]
    fn wrong_type_points_at_the_key() {
        let (front, _, diags) = run("---\ntitle: T\nsidebar_position: first\n---\n");
        assert_eq!(front.sidebar_position, None);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].span.line, diags[0].span.column), (3, 1));
        assert!(diags[0].message.contains("sidebar_position"));
    }

    #[test]
    fn a_key_given_twice_keeps_the_last_with_a_warning() {
        let (front, _, diags) = run("---\ntitle: En\ntags:\n  - a\ntitle: To\n---\nx");
        assert_eq!(front.title.as_deref(), Some("To"));
        assert_eq!(front.tags, vec!["a"]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            (diags[0].severity, diags[0].span.line),
            (crate::diag::Severity::Warning, 5)
        );
    }

    #[test]
    fn unclosed_block_is_a_finding() {
        let (_, body, diags) = run("---\ntitle: T\n");
        assert_eq!(body, 0);
        assert!(diags[0].message.contains("not closed"));
    }

    #[test]
    fn no_front_matter_and_bom() {
        assert_eq!(split("# Hei").format, None);
        let s = split("\u{feff}---\na: 1\n---\nx");
        assert_eq!(s.format, Some(Format::Yaml));
        assert_eq!(&"\u{feff}---\na: 1\n---\nx"[s.body_offset..], "x");
    }

    #[test]
    fn crlf_fences_are_recognised() {
        let source = "---\r\ntitle: T\r\n---\r\nbody";
        let (front, body, diags) = run(source);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(front.title.as_deref(), Some("T"));
        assert_eq!(&source[body..], "body");
    }
}
