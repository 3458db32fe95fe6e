//! YAML to JSON values, bounded: every YAML file the tool reads (front matter, OpenAPI specs, Jekyll's
//! `_config.yml` and `_data/` files, `_category_.yml`) goes through [`parse`].
//!
//! yaml-rust2's event parser reads the text (it is a state machine, linear in its input, flow nesting
//! capped at 255); this module builds the [`serde_json::Value`] itself instead of using
//! `YamlLoader`, which copies an anchored node for every alias with no bound (the "billion laughs"
//! document grows to gigabytes). Here every alias adds the size of the node it copies to a count, and
//! the document is refused at the alias's line once the count passes
//! [`Limits::yaml_alias_nodes`](crate::limits::Limits); nesting deeper than `nesting_depth` and
//! documents larger than `file_bytes` are refused the same way. Key order is kept (specs list paths
//! and properties in a meaningful order). Only the first document of a stream is read.

use crate::limits::{Exceeded, Limits};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::{Event, Yaml};

/// A YAML document that cannot be read, with its 1-based position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The limit the document crossed; `None` for a syntax error.
    pub exceeded: Option<Exceeded>,
}

impl YamlError {
    fn at(mark: &Marker, message: impl Into<String>, exceeded: Option<Exceeded>) -> Self {
        YamlError {
            message: message.into(),
            line: mark.line().max(1),
            column: mark.col() + 1,
            exceeded,
        }
    }
}

/// A list or map being built, with the node count when it started (to size anchored nodes).
enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        start: usize,
    },
    Map {
        map: Map<String, Value>,
        key: Key,
        anchor: usize,
        start: usize,
    },
}

/// The state of a map between a key and its value.
enum Key {
    /// The next node is a key.
    Expected,
    /// The next node is the value of this key.
    Have(String),
    /// The key was a list or map (JSON has no such keys): the value is read and dropped.
    Skip,
}

/// Builds one document from parser events, counting what aliases copy.
struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id, with their size in nodes.
    anchors: HashMap<usize, (Value, usize)>,
    /// Nodes made so far, aliases counted by the size of what they copy.
    nodes: usize,
    /// Nodes copied by aliases so far.
    alias_nodes: usize,
    done: Option<Value>,
}

/// Parse the first document of `text` within `limits`.
pub fn parse(text: &str, limits: &Limits) -> Result<Value, YamlError> {
    if let Some(message) = crate::limits::check_file_size(limits, text.len() as u64) {
        return Err(YamlError {
            message,
            line: 1,
            column: 1,
            exceeded: Some(Exceeded::FileBytes),
        });
    }
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        alias_nodes: 0,
        done: None,
    };
    loop {
        let (event, mark) = parser
            .next_token()
            .map_err(|e| YamlError::at(e.marker(), e.info().to_string(), None))?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentEnd => break,
            _ => builder.event(event, &mark)?,
        }
    }
    Ok(builder.done.unwrap_or(Value::Null))
}

impl Builder<'_> {
    fn event(&mut self, event: Event, mark: &Marker) -> Result<(), YamlError> {
        match event {
            Event::SequenceStart(anchor, _) => {
                self.open(mark)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                    start: self.nodes,
                });
            }
            Event::MappingStart(anchor, _) => {
                self.open(mark)?;
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    key: Key::Expected,
                    anchor,
                    start: self.nodes,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor, start) = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        anchor,
                        start,
                    }) => (Value::Array(items), anchor, start),
                    Some(Frame::Map {
                        map, anchor, start, ..
                    }) => (Value::Object(map), anchor, start),
                    None => return Ok(()),
                };
                self.nodes += 1;
                self.remember(anchor, &value, self.nodes - start);
                self.insert(value, mark)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(text, style, tag.as_ref());
                self.nodes += 1;
                self.remember(anchor, &value, 1);
                self.insert(value, mark)?;
            }
            Event::Alias(id) => {
                let size = self.anchors.get(&id).map_or(1, |(_, size)| *size);
                self.alias_nodes = self.alias_nodes.saturating_add(size);
                if self.alias_nodes > self.limits.yaml_alias_nodes {
                    return Err(YamlError::at(
                        mark,
                        format!(
                            "the aliases (`*name`) of this document copy more than {} nodes; \
                             nested aliases like these grow exponentially (\"billion laughs\")",
                            self.limits.yaml_alias_nodes
                        ),
                        Some(Exceeded::YamlAliasNodes),
                    ));
                }
                self.nodes = self.nodes.saturating_add(size);
                let value = self
                    .anchors
                    .get(&id)
                    .map_or(Value::Null, |(value, _)| value.clone());
                self.insert(value, mark)?;
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
        Ok(())
    }

    /// A list or map starts: refuse nesting deeper than the limit.
    fn open(&self, mark: &Marker) -> Result<(), YamlError> {
        if self.stack.len() >= self.limits.nesting_depth {
            return Err(YamlError::at(
                mark,
                format!(
                    "lists and maps are nested more than {} levels deep",
                    self.limits.nesting_depth
                ),
                Some(Exceeded::NestingDepth),
            ));
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, value: &Value, size: usize) {
        // Valid anchor ids start at 1. The copy is bounded: the node was made from the text or from
        // aliases, both of which are counted.
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), size));
        }
    }

    /// Put a finished node into the list or map being built (or make it the document).
    fn insert(&mut self, value: Value, mark: &Marker) -> Result<(), YamlError> {
        match self.stack.last_mut() {
            None => self.done = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, .. }) => match std::mem::replace(key, Key::Expected) {
                Key::Expected => {
                    *key = match value {
                        Value::String(s) => Key::Have(s),
                        Value::Number(n) => Key::Have(n.to_string()),
                        Value::Bool(b) => Key::Have(b.to_string()),
                        Value::Null => Key::Have("null".into()),
                        Value::Array(_) | Value::Object(_) => Key::Skip,
                    }
                }
                Key::Have(name) => {
                    if map.contains_key(&name) {
                        return Err(YamlError::at(
                            mark,
                            format!("\"{name}\": duplicated key in mapping"),
                            None,
                        ));
                    }
                    map.insert(name, value);
                }
                Key::Skip => {}
            },
        }
        Ok(())
    }
}

/// The value of a scalar with YAML 1.2 core schema resolution, as yaml-rust2's loader does it.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    let yaml = match tag {
        Some(tag) if tag.handle == "tag:yaml.org,2002:" => match tag.suffix.as_str() {
            "bool" | "int" | "float" | "null" => Yaml::from_str(&text),
            _ => Yaml::String(text),
        },
        Some(_) => Yaml::String(text),
        None => Yaml::from_str(&text),
    };
    match yaml {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::String(s), Value::Number),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Bool(b),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_default(text: &str) -> Result<Value, YamlError> {
        parse(text, &Limits::default())
    }

    /// Nine anchors, each a list of nine references to the one before.
    pub(crate) fn billion_laughs() -> String {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            text.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        text
    }

    #[test]
    fn order_and_types_are_kept() {
        let v =
            parse_default("paths:\n  /b: 1\n  /a: 2\nx: 1.5\ny: true\nz: '200'\nn: ~\n").unwrap();
        let keys: Vec<&String> = v["paths"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["/b", "/a"]);
        assert_eq!(v["x"], 1.5);
        assert_eq!(v["y"], true);
        assert_eq!(v["z"], "200");
        assert_eq!(v["n"], Value::Null);
    }

    #[test]
    fn errors_have_positions() {
        let e = parse_default("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
        assert_eq!(e.exceeded, None);
    }

    #[test]
    fn aliases_copy_their_anchor() {
        let v = parse_default("base: &b {x: 1, y: [2, 3]}\ncopy: *b\n").unwrap();
        assert_eq!(v["copy"], v["base"]);
        assert_eq!(v["copy"]["y"][1], 3);
    }

    #[test]
    fn billion_laughs_is_refused_at_the_line_of_the_alias_that_crosses_the_limit() {
        let started = std::time::Instant::now();
        let e = parse_default(&billion_laughs()).unwrap_err();
        assert_eq!(e.exceeded, Some(Exceeded::YamlAliasNodes), "{e:?}");
        // `b` to `e` copy 90 + 819 + 7,380 + 66,429 nodes; each alias of `f` (line 6) copies 7,381
        // more, and the fourth crosses 100,000.
        assert_eq!(e.line, 6, "{e:?}");
        assert!(e.message.contains("billion laughs"), "{e:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn a_higher_alias_limit_lets_a_larger_document_through() {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n";
        let tight = Limits {
            yaml_alias_nodes: 5,
            ..Limits::default()
        };
        assert_eq!(
            parse(text, &tight).unwrap_err().exceeded,
            Some(Exceeded::YamlAliasNodes)
        );
        assert_eq!(parse_default(text).unwrap()["b"][2][0], 1);
    }

    #[test]
    fn deep_nesting_is_refused_in_block_and_flow_style() {
        let flow = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        let e = parse_default(&flow).unwrap_err();
        assert_eq!(e.exceeded, Some(Exceeded::NestingDepth), "{e:?}");
        let mut block = String::new();
        for depth in 0..200 {
            block.push_str(&" ".repeat(depth));
            block.push_str("k:\n");
        }
        let e = parse_default(&block).unwrap_err();
        assert_eq!(e.exceeded, Some(Exceeded::NestingDepth), "{e:?}");
        assert_eq!(e.line, 129, "{e:?}");
    }

    #[test]
    fn a_document_over_the_size_limit_is_not_parsed() {
        let limits = Limits {
            file_bytes: 4,
            ..Limits::default()
        };
        let e = parse("a: 12345\n", &limits).unwrap_err();
        assert_eq!(e.exceeded, Some(Exceeded::FileBytes));
    }

    #[test]
    fn duplicated_keys_are_an_error() {
        let e = parse_default("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(e.message.contains("duplicated key"), "{e:?}");
        assert_eq!(e.line, 3, "{e:?}");
    }

    #[test]
    fn only_the_first_document_is_read() {
        assert_eq!(parse_default("a: 1\n---\nb: [\n").unwrap()["a"], 1);
        assert_eq!(parse_default("").unwrap(), Value::Null);
    }

    #[test]
    fn complex_keys_are_dropped_with_their_value() {
        let v = parse_default("? [a, b]\n: 1\nc: 2\n").unwrap();
        assert_eq!(v, serde_json::json!({"c": 2}));
    }
}
