//! Where things are in a spec's source text: JSON pointer → 1-based line and column, so that findings
//! about an operation, parameter, schema or example point at it instead of at `1:1`.
//!
//! JSON is indexed with `jsonc-parser` (dprint's parser, which keeps the byte range of every node);
//! YAML positions come from yaml-rust2's event markers, told by [`crate::yaml::parse_recorded`]
//! while it builds the value. A spec embedded as a string in a Gravitee export is mapped through the
//! string literal's escapes back to the export's own line and column.

use crate::diag::LineIndex;
use std::collections::HashMap;

/// Positions of the keys and items of one document, by JSON pointer (`/paths/~1a/get`).
#[derive(Debug, Clone, Default)]
pub struct Positions {
    points: HashMap<String, (usize, usize)>,
}

impl Positions {
    /// Record where the member at `pointer` is written (1-based line and column).
    pub(super) fn insert(&mut self, pointer: String, line: usize, column: usize) {
        self.points.entry(pointer).or_insert((line, column));
    }

    /// Index a JSON text (key positions of members, start positions of items).
    pub fn json(text: &str) -> Positions {
        let mut positions = Positions::default();
        let Ok(parsed) = jsonc_parser::parse_to_ast(
            text,
            &jsonc_parser::CollectOptions::default(),
            &jsonc_parser::ParseOptions::default(),
        ) else {
            return positions;
        };
        let lines = LineIndex::new(text);
        let mut offsets = Vec::new();
        if let Some(root) = &parsed.value {
            walk(root, &mut String::new(), &mut offsets);
        }
        for (pointer, offset) in offsets {
            let (line, column) = lines.line_col(text, offset);
            positions.insert(pointer, line, column);
        }
        positions
    }

    /// Positions of a document that is the decoded value of the JSON string literal starting at byte
    /// `literal_start` of `outer` (a spec inside a Gravitee export), in `outer`'s lines and columns.
    pub fn embedded(
        inner: &Positions,
        inner_text: &str,
        outer: &str,
        literal_start: usize,
    ) -> Self {
        let map = literal_map(outer, literal_start);
        let outer_lines = LineIndex::new(outer);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(inner_text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut out = Positions::default();
        for (pointer, &(line, column)) in &inner.points {
            let Some(&start) = starts.get(line.wrapping_sub(1)) else {
                continue;
            };
            let decoded = inner_text[start..]
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(inner_text.len(), |(i, _)| start + i);
            let raw = map
                .get(decoded)
                .copied()
                .unwrap_or(literal_start + 1 + decoded);
            let (l, c) = outer_lines.line_col(outer, raw);
            out.insert(pointer.clone(), l, c);
        }
        let (line, column) = outer_lines.line_col(outer, literal_start);
        out.insert(String::new(), line, column);
        out
    }

    /// The byte offset where the value of the member at `pointer` starts in a JSON `text`.
    pub fn json_value_offset(text: &str, pointer: &str) -> Option<usize> {
        let parsed = jsonc_parser::parse_to_ast(
            text,
            &jsonc_parser::CollectOptions::default(),
            &jsonc_parser::ParseOptions::default(),
        )
        .ok()?;
        let mut node = parsed.value.as_ref()?;
        for segment in pointer.split('/').skip(1) {
            let segment = unescape(segment);
            node = match node {
                jsonc_parser::ast::Value::Object(o) => {
                    &o.properties.iter().find(|p| prop_name(p) == segment)?.value
                }
                jsonc_parser::ast::Value::Array(a) => {
                    a.elements.get(segment.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(range_start(node))
    }

    /// Line and column of `pointer`, or of its nearest ancestor that is written in the source.
    /// Pointers into the OpenAPI 3.0 shape of an upgraded Swagger 2.0 document are also tried in 2.0's
    /// own places (`/definitions/X` for `/components/schemas/X`).
    pub fn find(&self, pointer: &str) -> (usize, usize) {
        let translated = swagger2(pointer);
        for candidate in std::iter::once(pointer).chain(translated.as_deref()) {
            let mut at = candidate;
            while !at.is_empty() {
                if let Some(&p) = self.points.get(at) {
                    return p;
                }
                match at.rfind('/') {
                    Some(i) => at = &at[..i],
                    None => break,
                }
            }
        }
        self.points.get("").copied().unwrap_or((1, 1))
    }
}

/// A JSON pointer from its segments.
pub fn pointer<S: AsRef<str>>(segments: &[S]) -> String {
    let mut out = String::new();
    for s in segments {
        out.push('/');
        out.push_str(&s.as_ref().replace('~', "~0").replace('/', "~1"));
    }
    out
}

/// One escaped segment appended to a pointer.
pub fn child(pointer: &str, segment: &str) -> String {
    format!(
        "{pointer}/{}",
        segment.replace('~', "~0").replace('/', "~1")
    )
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The same place in a Swagger 2.0 document.
fn swagger2(pointer: &str) -> Option<String> {
    for (new, old) in [
        ("/components/schemas/", "/definitions/"),
        ("/components/parameters/", "/parameters/"),
        ("/components/responses/", "/responses/"),
    ] {
        if let Some(rest) = pointer.strip_prefix(new) {
            return Some(format!("{old}{rest}"));
        }
    }
    None
}

fn prop_name(p: &jsonc_parser::ast::ObjectProp<'_>) -> String {
    match &p.name {
        jsonc_parser::ast::ObjectPropName::String(s) => s.value.to_string(),
        jsonc_parser::ast::ObjectPropName::Word(w) => w.value.to_string(),
    }
}

fn range_start(v: &jsonc_parser::ast::Value<'_>) -> usize {
    use jsonc_parser::common::Ranged;
    v.range().start
}

fn walk(v: &jsonc_parser::ast::Value<'_>, at: &mut String, out: &mut Vec<(String, usize)>) {
    use jsonc_parser::common::Ranged;
    match v {
        jsonc_parser::ast::Value::Object(o) => {
            for p in &o.properties {
                let len = at.len();
                *at = child(at, &prop_name(p));
                out.push((at.clone(), p.range.start));
                walk(&p.value, at, out);
                at.truncate(len);
            }
        }
        jsonc_parser::ast::Value::Array(a) => {
            for (i, item) in a.elements.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                out.push((at.clone(), item.range().start));
                walk(item, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// For the JSON string literal whose opening quote is at `start` of `text`: the byte offset in `text`
/// of every byte offset of the decoded string (index = decoded offset).
fn literal_map(text: &str, start: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut map = Vec::new();
    let mut i = start + 1;
    while i < bytes.len() && bytes[i] != b'"' {
        if bytes[i] == b'\\' {
            let (decoded_len, raw_len) = match bytes.get(i + 1) {
                Some(b'u') => {
                    let code = text
                        .get(i + 2..i + 6)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .unwrap_or(0);
                    // A surrogate pair is one character of four bytes written as twelve.
                    if (0xD800..0xDC00).contains(&code) && text.get(i + 6..i + 8) == Some("\\u") {
                        (4, 12)
                    } else {
                        (char::from_u32(code).map_or(3, char::len_utf8), 6)
                    }
                }
                _ => (1, 2),
            };
            map.extend(std::iter::repeat_n(i, decoded_len));
            i += raw_len;
        } else {
            map.push(i);
            i += 1;
        }
    }
    map.push(i);
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_members_and_items_have_their_lines() {
        let text = "{\n  \"paths\": {\n    \"/a/b\": {\n      \"get\": {\"parameters\": [\n        {\"name\": \"x\"}]}}}}";
        let p = Positions::json(text);
        assert_eq!(p.find("/paths/~1a~1b/get"), (4, 7));
        assert_eq!(p.find("/paths/~1a~1b/get/parameters/0"), (5, 9));
        assert_eq!(
            p.find("/paths/~1a~1b/get/parameters/0/schema"),
            (5, 9),
            "nearest ancestor"
        );
        assert_eq!(p.find("/nothing"), (1, 1));
    }

    #[test]
    fn swagger2_places_are_tried() {
        let p = Positions::json("{\"swagger\": \"2.0\",\n\"definitions\": {\n \"A\": {}}}");
        assert_eq!(p.find("/components/schemas/A"), (3, 2));
    }

    #[test]
    fn embedded_documents_map_through_escapes() {
        let inner = "{\"a\": 1,\n\"bé\": 2}";
        let outer = format!(
            "{{\n  \"content\": {}\n}}",
            serde_json::to_string(inner).unwrap()
        );
        let start = Positions::json_value_offset(&outer, "/content").unwrap();
        assert_eq!(&outer[start..start + 1], "\"");
        let p = Positions::embedded(&Positions::json(inner), inner, &outer, start);
        let (line, column) = p.find("/bé");
        assert_eq!(line, 2);
        let text_line = outer.lines().nth(1).unwrap();
        let at: String = text_line.chars().skip(column - 1).take(4).collect();
        assert_eq!(at, "\\\"bé", "points at the key inside the literal");
    }
}
