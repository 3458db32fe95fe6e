//! YAML to JSON values, bounded: every YAML file the tool reads (front matter, OpenAPI specs, Jekyll's
//! `_config.yml` and `_data/` files, `_category_.yml`) goes through [`parse`], or through
//! [`parse_recorded`] when the caller wants to know where each key and item is written (OpenAPI specs,
//! so that findings point at the line of the operation or schema).
//!
//! yaml-rust2's event parser reads the text (it is a state machine, linear in its input, flow nesting
//! capped at 255); this module builds the [`serde_json::Value`] itself instead of using
//! `YamlLoader`, which copies an anchored node for every alias with no bound (the "billion laughs"
//! document grows to gigabytes). Here every alias adds the size of the node it copies to a count, and
//! the document is refused at the alias's line once the count passes
//! [`Limits::yaml_alias_nodes`](crate::limits::Limits); nesting deeper than `nesting_depth` and
//! documents larger than `file_bytes` are refused the same way. Key order is kept (specs list paths
//! and properties in a meaningful order), merge keys (`<<: *base`) are applied, duplicated keys are an
//! error. Only the first document of a stream is read.

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

/// Told where each key and item is written: its JSON pointer (`/paths/~1a/get`, `""` for the
/// document), 1-based line and 1-based column. A pointer may be told more than once (a block
/// mapping is placed at its first key, which is told again for the key itself); the first position
/// told is the one to keep.
pub type Recorder<'r> = &'r mut dyn FnMut(&str, usize, usize);

/// A list or map being built, with the node count when it started (to size anchored nodes) and its
/// JSON pointer (kept only when positions are recorded).
enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
        start: usize,
        pointer: String,
    },
    Map {
        map: Map<String, Value>,
        key: Key,
        /// Values of merge keys (`<<`), applied when the map ends.
        merges: Vec<Value>,
        anchor: usize,
        start: usize,
        pointer: String,
    },
}

/// The state of a map between a key and its value.
enum Key {
    /// The next node is a key.
    Expected,
    /// The next node is the value of this key.
    Have(String),
    /// The key was a plain `<<`: the next node is merged into the map.
    Merge,
    /// The key was a list or map (JSON has no such keys): the value is read and dropped.
    Skip,
}

/// Builds one document from parser events, counting what aliases copy.
struct Builder<'l, 'r> {
    limits: &'l Limits,
    recorder: Option<Recorder<'r>>,
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
    build(text, limits, None)
}

/// Parse the first document of `text` within `limits`, telling `recorder` where every key and item
/// is written.
pub fn parse_recorded(
    text: &str,
    limits: &Limits,
    recorder: &mut dyn FnMut(&str, usize, usize),
) -> Result<Value, YamlError> {
    build(text, limits, Some(recorder))
}

fn build(text: &str, limits: &Limits, recorder: Option<Recorder<'_>>) -> Result<Value, YamlError> {
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
        recorder,
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

/// `segment` appended to a JSON pointer, escaped (`~` as `~0`, `/` as `~1`).
fn child(pointer: &str, segment: &str) -> String {
    format!(
        "{pointer}/{}",
        segment.replace('~', "~0").replace('/', "~1")
    )
}

/// The map key a node stands for (`None` for lists and maps, which JSON cannot use as keys).
fn key_name(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".into()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

impl Builder<'_, '_> {
    fn record(&mut self, pointer: &str, mark: &Marker) {
        if let Some(recorder) = self.recorder.as_mut() {
            recorder(pointer, mark.line().max(1), mark.col() + 1);
        }
    }

    /// Whether the next node in the innermost frame is a map key.
    fn at_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Map {
                key: Key::Expected,
                ..
            })
        )
    }

    /// The pointer of the node about to start in the innermost frame (empty when positions are not
    /// recorded, or for a complex key or dropped value).
    fn item_pointer(&self) -> Option<String> {
        // Pointers are only built when positions are recorded.
        self.recorder.as_ref()?;
        match self.stack.last() {
            None => Some(String::new()),
            Some(Frame::Seq { items, pointer, .. }) => Some(format!("{pointer}/{}", items.len())),
            Some(Frame::Map {
                key: Key::Have(key),
                pointer,
                ..
            }) => Some(child(pointer, key)),
            Some(Frame::Map { .. }) => None,
        }
    }

    /// The pointer of a value about to start, recorded at `mark` (nothing for a map key, a merged
    /// or dropped value).
    fn value_pointer(&mut self, mark: &Marker) -> String {
        let Some(pointer) = self.item_pointer() else {
            return String::new();
        };
        self.record(&pointer, mark);
        pointer
    }

    /// A scalar or alias in key position: record the map's and the key's position and expect the
    /// value.
    fn key(&mut self, value: Value, merge: bool, mark: &Marker) {
        let name = key_name(value);
        if let (Some(name), Some(Frame::Map { pointer, .. })) = (&name, self.stack.last()) {
            if self.recorder.is_some() {
                let own = pointer.clone();
                let at = child(pointer, name);
                self.record(&own, mark);
                self.record(&at, mark);
            }
        }
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = match name {
                Some(_) if merge => Key::Merge,
                Some(name) => Key::Have(name),
                None => Key::Skip,
            };
        }
    }

    fn event(&mut self, event: Event, mark: &Marker) -> Result<(), YamlError> {
        match event {
            Event::SequenceStart(anchor, _) => {
                self.open(mark)?;
                let pointer = self.value_pointer(mark);
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                    start: self.nodes,
                    pointer,
                });
            }
            Event::MappingStart(anchor, _) => {
                self.open(mark)?;
                // A block mapping's start marker lies after its first key: the first key's own
                // position is recorded for the mapping instead.
                let pointer = self.item_pointer().unwrap_or_default();
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    key: Key::Expected,
                    merges: Vec::new(),
                    anchor,
                    start: self.nodes,
                    pointer,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor, start) = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        anchor,
                        start,
                        ..
                    }) => (Value::Array(items), anchor, start),
                    Some(Frame::Map {
                        mut map,
                        merges,
                        anchor,
                        start,
                        ..
                    }) => {
                        merge(&mut map, merges);
                        (Value::Object(map), anchor, start)
                    }
                    None => return Ok(()),
                };
                self.nodes += 1;
                self.remember(anchor, &value, self.nodes - start);
                self.insert(value, mark)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let merge = style == TScalarStyle::Plain && tag.is_none() && text == "<<";
                let value = scalar(text, style, tag.as_ref());
                self.nodes += 1;
                self.remember(anchor, &value, 1);
                if self.at_key() {
                    self.key(value, merge, mark);
                } else {
                    self.value_pointer(mark);
                    self.insert(value, mark)?;
                }
            }
            Event::Alias(id) => {
                let size = self.anchors.get(&id).map_or(1, |(_, size)| *size);
                self.alias_nodes = self.alias_nodes.saturating_add(size);
                if self.alias_nodes > self.limits.yaml_alias_nodes {
                    return Err(YamlError::at(
                        mark,
                        format!(
                            "the aliases (`*name`) of this document copy too many nodes (more \
                             than {}, `yaml_alias_nodes` in `[limits]`); nested aliases like these \
                             grow exponentially (\"billion laughs\")",
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
                if self.at_key() {
                    self.key(value, false, mark);
                } else {
                    self.value_pointer(mark);
                    self.insert(value, mark)?;
                }
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
                    "lists and maps are nested more than {} levels deep (`nesting_depth` in `[limits]`)",
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
            Some(Frame::Map {
                map, key, merges, ..
            }) => match std::mem::replace(key, Key::Expected) {
                Key::Expected => {
                    // A list or map as a key (scalars and aliases are keys through `key`).
                    *key = key_name(value).map_or(Key::Skip, Key::Have);
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
                Key::Merge => merges.push(value),
                Key::Skip => {}
            },
        }
        Ok(())
    }
}

/// Apply merge keys: keys written in the mapping win over merged ones, earlier merges over later
/// (`<<: [*a, *b]` takes `a`'s keys first).
fn merge(map: &mut Map<String, Value>, merges: Vec<Value>) {
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
}

/// A scalar as YAML 1.2's core schema reads it (as yaml-rust2's loader does): quoted text is a
/// string; plain text may be a number, boolean or null; a core tag (`!!str`, `!!int`, `!!float`,
/// `!!bool`, `!!null`) decides, quoted or not; any other tag makes plain text a string.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    match tag {
        Some(tag) if tag.handle == "tag:yaml.org,2002:" => match tag.suffix.as_str() {
            "int" | "float" | "bool" | "null" => plain(text),
            _ => Value::String(text),
        },
        Some(_) => Value::String(text),
        None if style != TScalarStyle::Plain => Value::String(text),
        None => plain(text),
    }
}

/// Plain text resolved to a number, boolean or null, else kept as the string it is.
fn plain(text: String) -> Value {
    match Yaml::from_str(&text) {
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

    fn parse_default(text: &str) -> Result<Value, YamlError> {
        parse(text, &Limits::default())
    }

    /// Every position told, first one kept per pointer.
    fn positions(text: &str) -> HashMap<String, (usize, usize)> {
        let mut points = HashMap::new();
        parse_recorded(text, &Limits::default(), &mut |pointer, line, column| {
            points.entry(pointer.to_string()).or_insert((line, column));
        })
        .unwrap();
        points
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

    #[test]
    fn order_and_types_are_kept_in_specs() {
        let v = parse_default("paths:\n  /b: 1\n  /a: 2\nx: 1.5\ny: true\nz: '200'\n").unwrap();
        let keys: Vec<&String> = v["paths"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["/b", "/a"]);
        assert_eq!(v["x"], 1.5);
        assert_eq!(v["y"], true);
        assert_eq!(v["z"], "200");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse_default("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
    }

    #[test]
    fn keys_and_items_have_positions() {
        let p = positions("paths:\n  /a/b:\n    get:\n      parameters:\n        - name: x\n");
        assert_eq!(p["/paths/~1a~1b/get"], (3, 5));
        assert_eq!(p["/paths/~1a~1b/get/parameters/0"], (5, 11));
        assert_eq!(p["/paths/~1a~1b/get/parameters/0/name"], (5, 11));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let v = parse_default(
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
        let e = parse_default(&text).unwrap_err();
        assert!(e.message.contains("too many"), "{e:?}");
    }

    #[test]
    fn quoted_and_tagged_scalars() {
        let v = parse_default("a: !!str 12\nb: \"true\"\nc: ~\nd: 0x10\n").unwrap();
        assert_eq!(v["a"], "12");
        assert_eq!(v["b"], "true");
        assert_eq!(v["c"], Value::Null);
        assert_eq!(v["d"], 16);
    }

    #[test]
    fn merge_lists_quoted_merge_keys_and_alias_keys() {
        let v = parse_default(
            "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nm:\n  <<: [*a, *b]\n  z: 3\nq:\n  \"<<\": 1\nk: &k name\nw: {*k : 4}\n",
        )
        .unwrap();
        assert_eq!(v["m"], serde_json::json!({"z": 3, "x": 1, "y": 1}));
        assert_eq!(v["q"]["<<"], 1, "a quoted `<<` is an ordinary key");
        assert_eq!(v["w"]["name"], 4);
    }

    #[test]
    fn core_tags_decide_and_other_tags_keep_text() {
        let v = parse_default(
            "a: !!int \"12\"\nb: !!bool \"true\"\nc: !!null ''\nd: !custom 12\ne: !!str true\nf: yes\ng: False\nh: 1e3\ni: null\n",
        )
        .unwrap();
        assert_eq!(v["a"], 12);
        assert_eq!(v["b"], true);
        assert_eq!(v["c"], Value::Null);
        assert_eq!(v["d"], "12");
        assert_eq!(v["e"], "true");
        assert_eq!(v["f"], "yes", "YAML 1.2: `yes` is a string");
        assert_eq!(v["g"], false);
        assert_eq!(v["h"], 1000.0);
        assert_eq!(v["i"], Value::Null);
    }

    #[test]
    fn flow_items_have_positions() {
        let p = positions("a:\n  - [x, {k: v}]\n");
        assert_eq!(p["/a"], (1, 1), "a member is placed at its key");
        assert_eq!(p["/a/0"], (2, 5));
        assert_eq!(p["/a/0/0"], (2, 6));
        assert_eq!(p["/a/0/1/k"], (2, 10));
        assert_eq!(p[""], (1, 1));
        assert_eq!(
            parse_default("a:\n  - [x, {k: v}]\n").unwrap()["a"][0][1]["k"],
            "v"
        );
    }
}
