//! Our schemas as JSON Schema (2020-12), with named schemas under `$defs`, for validating request
//! and response bodies with the `jsonschema` crate.

use crate::catalog::{Schema, SchemaKind};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Which way a value travels, as OpenAPI's `readOnly` and `writeOnly` read it: a request needs no
/// `readOnly` property (the server sets it), and a response carries no `writeOnly` one (it is
/// forbidden there, as Schemathesis checks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// A request: parameters and bodies the client sends.
    #[default]
    Request,
    /// A response: what the server answers.
    Response,
}

impl Direction {
    /// Whether a property with these flags has no place in a value going this way.
    pub fn leaves_out(self, property: &Schema) -> bool {
        match self {
            Direction::Request => property.read_only,
            Direction::Response => property.write_only,
        }
    }
}

/// A JSON Schema document for `schema` as a request reads it, with every named schema of the spec
/// in `$defs`.
pub fn document(schema: &Schema, schemas: &BTreeMap<String, Schema>) -> Value {
    document_for(schema, schemas, Direction::Request)
}

/// A JSON Schema document for `schema` for values going `direction`.
pub fn document_for(
    schema: &Schema,
    schemas: &BTreeMap<String, Schema>,
    direction: Direction,
) -> Value {
    let mut root = match convert(schema, direction) {
        Value::Object(map) => map,
        other => {
            let mut m = Map::new();
            m.insert("allOf".into(), json!([other]));
            m
        }
    };
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    let mut names = std::collections::BTreeSet::new();
    reachable(schema, schemas, &mut names);
    let defs: Map<String, Value> = names
        .iter()
        .filter_map(|n| {
            schemas
                .get(*n)
                .map(|s| (n.to_string(), convert(s, direction)))
        })
        .collect();
    root.insert("$defs".into(), Value::Object(defs));
    Value::Object(root)
}

/// The named schemas `schema` refers to, directly or through others.
fn reachable<'a>(
    schema: &'a Schema,
    schemas: &'a BTreeMap<String, Schema>,
    names: &mut std::collections::BTreeSet<&'a str>,
) {
    match &schema.kind {
        SchemaKind::Ref(name) => {
            if let Some((key, target)) = schemas.get_key_value(name) {
                if names.insert(key.as_str()) {
                    reachable(target, schemas, names);
                }
            }
        }
        SchemaKind::Array(items) => reachable(items, schemas, names),
        SchemaKind::Object {
            properties,
            additional,
        } => {
            for (_, p, _) in properties {
                reachable(p, schemas, names);
            }
            if let Some(extra) = additional {
                reachable(extra, schemas, names);
            }
        }
        SchemaKind::OneOf(parts) | SchemaKind::AnyOf(parts) | SchemaKind::AllOf(parts) => {
            for p in parts {
                reachable(p, schemas, names);
            }
        }
        _ => {}
    }
    if let Some(not) = &schema.not {
        reachable(not, schemas, names);
    }
}

/// A validator for a document from [`document`], with `format` asserted (`date`, `date-time`,
/// `email`, `uuid`, ...) as OpenAPI tools such as Schemathesis check it.
pub fn validator(
    document: &Value,
) -> Result<jsonschema::Validator, jsonschema::ValidationError<'static>> {
    jsonschema::options()
        .should_validate_formats(true)
        .build(document)
}

/// How many compiled validators each thread keeps (a spec's operations share most schemas).
const CACHE_SIZE: usize = 256;

thread_local! {
    static COMPILED: std::cell::RefCell<std::collections::HashMap<String, Option<std::sync::Arc<jsonschema::Validator>>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The validator for `schema`, compiled once per thread for the same document (`None` when it
/// cannot be compiled).
pub fn compiled(
    schema: &Schema,
    schemas: &BTreeMap<String, Schema>,
) -> Option<std::sync::Arc<jsonschema::Validator>> {
    compiled_for(schema, schemas, Direction::Request)
}

/// Like [`compiled`], for values going `direction`.
pub fn compiled_for(
    schema: &Schema,
    schemas: &BTreeMap<String, Schema>,
    direction: Direction,
) -> Option<std::sync::Arc<jsonschema::Validator>> {
    let doc = document_for(schema, schemas, direction);
    let key = doc.to_string();
    if let Some(hit) = COMPILED.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let made = validator(&doc).ok().map(std::sync::Arc::new);
    COMPILED.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_SIZE {
            cache.clear();
        }
        cache.insert(key, made.clone());
    });
    made
}

/// Whether a value matches a schema (false when the schema cannot be compiled: nothing vouches for
/// the value; `lint` reports the schema).
pub fn is_valid(value: &Value, schema: &Schema, schemas: &BTreeMap<String, Schema>) -> bool {
    compiled(schema, schemas).is_some_and(|v| v.is_valid(value))
}

/// Like [`is_valid`], for values going `direction`.
pub fn is_valid_for(
    value: &Value,
    schema: &Schema,
    schemas: &BTreeMap<String, Schema>,
    direction: Direction,
) -> bool {
    compiled_for(schema, schemas, direction).is_some_and(|v| v.is_valid(value))
}

fn convert(schema: &Schema, direction: Direction) -> Value {
    let convert = |s: &Schema| convert(s, direction);
    let mut out = Map::new();
    let mut types: Vec<&str> = Vec::new();
    match &schema.kind {
        SchemaKind::Any => {}
        SchemaKind::Ref(name) => {
            let reference =
                json!({"$ref": format!("#/$defs/{}", name.replace('~', "~0").replace('/', "~1"))});
            if schema.nullable {
                return json!({"anyOf": [reference, {"type": "null"}]});
            }
            return reference;
        }
        SchemaKind::String => {
            types.push("string");
            if let Some(n) = schema.minimum {
                out.insert("minLength".into(), json!(n as u64));
            }
            if let Some(n) = schema.maximum {
                out.insert("maxLength".into(), json!(n as u64));
            }
            if let Some(p) = &schema.pattern {
                out.insert("pattern".into(), json!(p));
            }
            if let Some(f) = &schema.format {
                out.insert("format".into(), json!(f));
            }
        }
        SchemaKind::Integer | SchemaKind::Number => {
            types.push(if schema.kind == SchemaKind::Integer {
                "integer"
            } else {
                "number"
            });
            if let Some(n) = schema.minimum {
                out.insert("minimum".into(), json!(n));
            }
            if let Some(n) = schema.maximum {
                out.insert("maximum".into(), json!(n));
            }
        }
        SchemaKind::Boolean => types.push("boolean"),
        SchemaKind::Array(items) => {
            types.push("array");
            out.insert("items".into(), convert(items));
            if schema.unique_items {
                out.insert("uniqueItems".into(), json!(true));
            }
            if let Some(n) = schema.minimum {
                out.insert("minItems".into(), json!(n as u64));
            }
            if let Some(n) = schema.maximum {
                out.insert("maxItems".into(), json!(n as u64));
            }
        }
        SchemaKind::Object {
            properties,
            additional,
        } => {
            types.push("object");
            // A response forbids a `writeOnly` property; a request does not require a `readOnly`
            // one (hand-written requests often carry it, and servers ignore it).
            let props: Map<String, Value> = properties
                .iter()
                .map(|(n, s, _)| {
                    let forbidden = direction == Direction::Response && s.write_only;
                    (
                        n.clone(),
                        if forbidden {
                            json!({"not": {}})
                        } else {
                            convert(s)
                        },
                    )
                })
                .collect();
            let required: Vec<&String> = properties
                .iter()
                .filter(|(_, s, r)| *r && !direction.leaves_out(s))
                .map(|(n, _, _)| n)
                .collect();
            out.insert("properties".into(), Value::Object(props));
            if !required.is_empty() {
                out.insert("required".into(), json!(required));
            }
            if schema.closed {
                out.insert("additionalProperties".into(), json!(false));
            } else if let Some(extra) = additional {
                out.insert("additionalProperties".into(), convert(extra));
            }
        }
        SchemaKind::OneOf(parts) => {
            out.insert(
                "oneOf".into(),
                Value::Array(parts.iter().map(convert).collect()),
            );
        }
        SchemaKind::AnyOf(parts) => {
            out.insert(
                "anyOf".into(),
                Value::Array(parts.iter().map(convert).collect()),
            );
        }
        SchemaKind::AllOf(parts) => {
            out.insert(
                "allOf".into(),
                Value::Array(parts.iter().map(convert).collect()),
            );
        }
    }
    if !types.is_empty() {
        if schema.nullable {
            types.push("null");
            out.insert("type".into(), json!(types));
        } else {
            out.insert("type".into(), json!(types[0]));
        }
    }
    if !schema.enumeration.is_empty() {
        let mut values = schema.enumeration.clone();
        if schema.nullable && !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
        out.insert("enum".into(), Value::Array(values));
    }
    if let Some(not) = &schema.not {
        out.insert("not".into(), convert(not));
    }
    // `nullable: true` beside `oneOf`/`anyOf`/`allOf` (no `type` to add "null" to) lets null in too,
    // as OpenAPI 3.0 reads it.
    let combined = ["oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| out.contains_key(*k));
    if schema.nullable && types.is_empty() && combined {
        return json!({"anyOf": [Value::Object(out), {"type": "null"}]});
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_beside_a_combinator_accepts_null() {
        let schema = Schema {
            kind: SchemaKind::OneOf(vec![Schema::of(SchemaKind::String)]),
            nullable: true,
            ..Schema::default()
        };
        let validator = jsonschema::validator_for(&document(&schema, &BTreeMap::new())).unwrap();
        assert!(validator.is_valid(&Value::Null));
        assert!(validator.is_valid(&json!("x")));
        assert!(!validator.is_valid(&json!(3)));
    }

    #[test]
    fn validates_with_defs_and_nullable() {
        let person = Schema::of(SchemaKind::Object {
            properties: vec![
                ("navn".into(), Schema::of(SchemaKind::String), true),
                (
                    "epost".into(),
                    Schema {
                        kind: SchemaKind::String,
                        nullable: true,
                        ..Schema::default()
                    },
                    false,
                ),
            ],
            additional: None,
        });
        let schemas = BTreeMap::from([("Person".to_string(), person)]);
        let doc = document(&Schema::of(SchemaKind::Ref("Person".into())), &schemas);
        let validator = jsonschema::validator_for(&doc).unwrap();
        assert!(validator.is_valid(&json!({"navn": "Kari", "epost": null})));
        assert!(!validator.is_valid(&json!({"epost": "x"})));
        assert!(!validator.is_valid(&json!({"navn": 3})));
    }
}
