//! YAML to JSON values with key order kept (specs list paths and properties in a meaningful order),
//! built from yaml-rust2's parser events so that every key and item keeps its line and column
//! ([`Positions`]), anchors and aliases are resolved (with a bound on how much aliases may expand),
//! and merge keys (`<<: *base`) are applied. Errors carry the parser's line and column.

use super::locate::{child, Positions};
use crate::limits::Limits;
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

/// A YAML syntax error with its 1-based position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Parse the first document of `text` within the default [`Limits`].
pub fn parse(text: &str) -> Result<Value, YamlError> {
    parse_located(text, &Limits::default()).map(|(value, _)| value)
}

/// Parse the first document of `text`, with the position of every key and item. Aliases may copy
/// at most `limits.yaml_alias_nodes` values and lists and maps nest at most `limits.nesting_depth`
/// deep (a "billion laughs" document is an error, not an out-of-memory).
pub fn parse_located(text: &str, limits: &Limits) -> Result<(Value, Positions), YamlError> {
    let mut builder = Builder {
        limits: *limits,
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, false).map_err(|e| YamlError {
        message: e.info().to_string(),
        line: e.marker().line(),
        column: e.marker().col() + 1,
    })?;
    if let Some(e) = builder.error {
        return Err(e);
    }
    Ok((builder.root.unwrap_or(Value::Null), builder.positions))
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        pointer: String,
    },
    Map {
        map: Map<String, Value>,
        key: Option<String>,
        merges: Vec<Value>,
        anchor: usize,
        pointer: String,
    },
}

#[derive(Default)]
struct Builder {
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value>,
    root: Option<Value>,
    positions: Positions,
    expanded: usize,
    error: Option<YamlError>,
}

impl Builder {
    /// The pointer of the value about to start in the innermost frame (recording where it is), or
    /// `None` when the next scalar is a mapping key.
    fn value_pointer(&mut self, mark: Marker) -> Option<String> {
        let pointer = self.item_pointer()?;
        self.positions
            .insert(pointer.clone(), mark.line(), mark.col() + 1);
        Some(pointer)
    }

    /// The pointer of the value about to start, without recording a position (a block mapping's start
    /// marker lies after its first key; the first key's own position is recorded instead).
    fn item_pointer(&self) -> Option<String> {
        let pointer = match self.stack.last() {
            None => String::new(),
            Some(Frame::Seq { items, pointer, .. }) => format!("{pointer}/{}", items.len()),
            Some(Frame::Map { key: None, .. }) => return None,
            Some(Frame::Map {
                key: Some(key),
                pointer,
                ..
            }) => return Some(child(pointer, key)),
        };
        Some(pointer)
    }

    fn finish(&mut self, value: Value, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(value);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map {
                map, key, merges, ..
            }) => match key.take() {
                Some(k) if k == "<<" => merges.push(value),
                Some(k) => {
                    map.insert(k, value);
                }
                None => {}
            },
        }
    }

    fn fail(&mut self, message: &str, mark: Marker) {
        if self.error.is_none() {
            self.error = Some(YamlError {
                message: message.to_string(),
                line: mark.line(),
                column: mark.col() + 1,
            });
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                if is_key {
                    let key = match scalar(text, style, tag.as_ref()) {
                        Value::String(s) => s,
                        Value::Null => "null".into(),
                        other => other.to_string(),
                    };
                    if let Some(Frame::Map { pointer, .. }) = self.stack.last() {
                        let at = child(pointer, &key);
                        let own = pointer.clone();
                        self.positions.insert(own, mark.line(), mark.col() + 1);
                        self.positions.insert(at, mark.line(), mark.col() + 1);
                    }
                    if let Some(Frame::Map { key: slot, .. }) = self.stack.last_mut() {
                        *slot = Some(key);
                    }
                    return;
                }
                self.value_pointer(mark);
                let value = scalar(text, style, tag.as_ref());
                self.finish(value, anchor);
            }
            Event::SequenceStart(..) | Event::MappingStart(..)
                if self.stack.len() >= self.limits.nesting_depth =>
            {
                let message = format!(
                    "lists and maps are nested more than {} levels deep (`nesting_depth` in `[limits]`)",
                    self.limits.nesting_depth
                );
                self.fail(&message, mark);
            }
            Event::SequenceStart(anchor, _) => {
                let pointer = self.value_pointer(mark).unwrap_or_default();
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                    pointer,
                });
            }
            Event::MappingStart(anchor, _) => {
                let pointer = self.item_pointer().unwrap_or_default();
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    key: None,
                    merges: Vec::new(),
                    anchor,
                    pointer,
                });
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq { items, anchor, .. }) = self.stack.pop() {
                    self.finish(Value::Array(items), anchor);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    mut map,
                    merges,
                    anchor,
                    ..
                }) = self.stack.pop()
                {
                    // Keys written in the mapping win over merged ones; earlier merges over later.
                    for merged in merges {
                        let sources = match merged {
                            Value::Array(list) => list,
                            other => vec![other],
                        };
                        for source in sources {
                            if let Value::Object(entries) = source {
                                for (k, v) in entries {
                                    map.entry(k).or_insert(v);
                                }
                            }
                        }
                    }
                    self.finish(Value::Object(map), anchor);
                }
            }
            Event::Alias(id) => {
                if matches!(self.stack.last(), Some(Frame::Map { key: None, .. })) {
                    self.fail("an alias as a mapping key is not supported", mark);
                    return;
                }
                let Some(value) = self.anchors.get(&id).cloned() else {
                    self.fail("alias to an unknown anchor", mark);
                    return;
                };
                self.expanded += size(&value);
                if self.expanded > self.limits.yaml_alias_nodes {
                    let message = format!(
                        "aliases expand to too many values (more than {}, `yaml_alias_nodes` in `[limits]`)",
                        self.limits.yaml_alias_nodes
                    );
                    self.fail(&message, mark);
                    return;
                }
                self.value_pointer(mark);
                self.finish(value, 0);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// How many values a value holds (itself included).
fn size(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

/// A scalar as YAML 1.2's core schema reads it: quoted text is a string; plain text may be a number,
/// boolean or null; `!!str` and friends decide.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag.filter(|t| t.handle == "tag:yaml.org,2002:") {
        match tag.suffix.as_str() {
            "str" => return Value::String(text),
            "int" | "float" | "bool" | "null" => return plain(Yaml::from_str(&text), text),
            _ => {}
        }
    }
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    plain(Yaml::from_str(&text), text)
}

fn plain(yaml: Yaml, text: String) -> Value {
    match yaml {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::String(s), Value::Number),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Null => Value::Null,
        _ => Value::String(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_types_are_kept() {
        let v = parse("paths:\n  /b: 1\n  /a: 2\nx: 1.5\ny: true\nz: '200'\n").unwrap();
        let keys: Vec<&String> = v["paths"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["/b", "/a"]);
        assert_eq!(v["x"], 1.5);
        assert_eq!(v["y"], true);
        assert_eq!(v["z"], "200");
    }

    #[test]
    fn errors_have_positions() {
        let e = parse("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }

    #[test]
    fn keys_and_items_have_positions() {
        let (_, p) = parse_located(
            "paths:\n  /a/b:\n    get:\n      parameters:\n        - name: x\n",
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(p.find("/paths/~1a~1b/get"), (3, 5));
        assert_eq!(p.find("/paths/~1a~1b/get/parameters/0"), (5, 11));
        assert_eq!(p.find("/paths/~1a~1b/get/parameters/0/name"), (5, 11));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let v = parse(
            "base: &b\n  type: string\n  maxLength: 3\nuse: *b\nmerged:\n  <<: *b\n  maxLength: 5\n",
        )
        .unwrap();
        assert_eq!(v["use"]["type"], "string");
        assert_eq!(v["merged"]["type"], "string");
        assert_eq!(v["merged"]["maxLength"], 5, "own keys win over merged ones");
        assert!(v["merged"].get("<<").is_none());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("too many"), "{e:?}");
    }

    #[test]
    fn quoted_and_tagged_scalars() {
        let v = parse("a: !!str 12\nb: \"true\"\nc: ~\nd: 0x10\n").unwrap();
        assert_eq!(v["a"], "12");
        assert_eq!(v["b"], "true");
        assert_eq!(v["c"], Value::Null);
        assert_eq!(v["d"], 16);
    }
}
