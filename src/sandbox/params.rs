//! A parameter's value read from a request as the JSON value its schema describes, the way OpenAPI's
//! `style` and `explode` write it: scalars typed by their schema (`"12"` is an integer), lists split
//! by their style's delimiter, and objects from `simple` (`k,v,k,v` or `k=v,k=v`), `form` (one query
//! pair per property, or `name=k,v,k,v`) and `deepObject` (`name[k]=v`). No checking: the gateway
//! validates what this reads against the schema.

use crate::catalog::{ParamIn, ParamStyle, Parameter, Schema, SchemaKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Where a request's parameters are, already split.
pub(super) struct Sources<'r> {
    /// Path parameters, by name, as the router matched them.
    pub(super) path: &'r [(String, String)],
    /// Query pairs, decoded, in order.
    pub(super) query: &'r [(String, String)],
    /// The request's headers.
    pub(super) header: &'r dyn Fn(&str) -> Option<String>,
    /// The names of the operation's other query parameters (not properties of an exploded object).
    pub(super) others: &'r [&'r str],
}

/// What the request sent for `p`: its text (as written, to tell a written `null` apart) and its
/// value as the schema's type. `None` when the request does not carry it.
pub(super) fn read(
    p: &Parameter,
    schemas: &BTreeMap<String, Schema>,
    from: &Sources<'_>,
) -> Option<(String, Value)> {
    if let SchemaKind::Object {
        properties,
        additional,
    } = decisive(&p.schema, schemas)
    {
        let object = |pairs: Vec<(String, String)>| -> Value {
            Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, v)| {
                        let value = match property(properties, additional.as_deref(), &k) {
                            Some(schema) => coerce(&v, schema, schemas),
                            None => Value::String(v),
                        };
                        (k, value)
                    })
                    .collect::<Map<String, Value>>(),
            )
        };
        if p.location == ParamIn::Query && p.style == ParamStyle::DeepObject {
            let prefix = format!("{}[", p.name);
            let pairs: Vec<(String, String)> = from
                .query
                .iter()
                .filter_map(|(n, v)| {
                    let key = n.strip_prefix(&prefix)?.strip_suffix(']')?;
                    Some((key.to_string(), v.clone()))
                })
                .collect();
            return (!pairs.is_empty()).then(|| (String::new(), object(pairs)));
        }
        if p.location == ParamIn::Query && p.explode {
            // Each property is a pair of its own; with `additionalProperties`, so is every pair
            // that is not another parameter of the operation (or the gateway's key).
            let pairs: Vec<(String, String)> = from
                .query
                .iter()
                .filter(|(n, _)| {
                    properties.iter().any(|(name, _, _)| name == n)
                        || (additional.is_some()
                            && n != "api-key"
                            && !from.others.contains(&n.as_str()))
                })
                .cloned()
                .collect();
            return (!pairs.is_empty()).then(|| (String::new(), object(pairs)));
        }
        let text = raw(p, from)?;
        if text.is_empty() {
            return Some((text, Value::Object(Map::new())));
        }
        let pairs = if p.explode {
            // `k=v,k=v`
            text.split(',')
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (k.to_string(), v.to_string())
                })
                .collect::<Vec<_>>()
        } else {
            // `k,v,k,v`
            let items: Vec<&str> = text.split(',').collect();
            if !items.len().is_multiple_of(2) {
                // Not an object as this style writes one: checked as the text it is.
                return Some((text.clone(), Value::String(text)));
            }
            items
                .chunks(2)
                .map(|kv| (kv[0].to_string(), kv[1].to_string()))
                .collect()
        };
        return Some((text, object(pairs)));
    }
    let text = raw(p, from)?;
    let value = match p.style {
        ParamStyle::SpaceDelimited => coerce_split(&text, ' ', &p.schema, schemas),
        ParamStyle::PipeDelimited => coerce_split(&text, '|', &p.schema, schemas),
        _ => coerce(&text, &p.schema, schemas),
    };
    Some((text, value))
}

/// The parameter's text: a path segment, a header, or the query's values for its name (`a=1&a=2`,
/// form style exploded, read as the list `1,2`).
fn raw(p: &Parameter, from: &Sources<'_>) -> Option<String> {
    match p.location {
        ParamIn::Path => from
            .path
            .iter()
            .find(|(n, _)| *n == p.name)
            .map(|(_, v)| v.clone()),
        ParamIn::Query => {
            let values: Vec<&str> = from
                .query
                .iter()
                .filter(|(n, _)| *n == p.name)
                .map(|(_, v)| v.as_str())
                .collect();
            (!values.is_empty()).then(|| values.join(","))
        }
        ParamIn::Header => (from.header)(&p.name),
        ParamIn::Cookie => None,
    }
}

/// The schema of property `name`: listed, else `additionalProperties`.
fn property<'s>(
    properties: &'s [(String, Schema, bool)],
    additional: Option<&'s Schema>,
    name: &str,
) -> Option<&'s Schema> {
    properties
        .iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, s, _)| s)
        .or(additional)
}

/// Query pairs, percent- and `+`-decoded.
pub(super) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// A parameter's text as the JSON value its schema expects, so that `"12"` is an integer.
pub(super) fn coerce(text: &str, schema: &Schema, schemas: &BTreeMap<String, Schema>) -> Value {
    coerce_split(text, ',', schema, schemas)
}

/// As [`coerce`], with lists split at `delimiter`.
fn coerce_split(
    text: &str,
    delimiter: char,
    schema: &Schema,
    schemas: &BTreeMap<String, Schema>,
) -> Value {
    match decisive(schema, schemas) {
        // Items typed by their own schema, unless that is a list again (a list in a list cannot
        // be written in one parameter).
        // The empty list is written as nothing (`ids=`).
        SchemaKind::Array(_) if text.is_empty() => Value::Array(Vec::new()),
        SchemaKind::Array(items) if !matches!(decisive(items, schemas), SchemaKind::Array(_)) => {
            Value::Array(
                text.split(delimiter)
                    .map(|s| coerce(s, items, schemas))
                    .collect(),
            )
        }
        kind => coerce_scalar(text, kind),
    }
}

/// Through references and single-option combinators to the kind that decides the type.
fn decisive<'s>(schema: &'s Schema, schemas: &'s BTreeMap<String, Schema>) -> &'s SchemaKind {
    let mut kind = &schema.kind;
    for _ in 0..8 {
        kind = match kind {
            SchemaKind::Ref(name) => schemas
                .get(name)
                .map(|s| &s.kind)
                .unwrap_or(&SchemaKind::Any),
            SchemaKind::OneOf(o) | SchemaKind::AnyOf(o) | SchemaKind::AllOf(o) if o.len() == 1 => {
                &o[0].kind
            }
            _ => break,
        };
    }
    kind
}

fn coerce_scalar(text: &str, kind: &SchemaKind) -> Value {
    match kind {
        // A JSON number as written (`5018404830082146238464` is an integer too big for i64).
        SchemaKind::Integer => match serde_json::from_str::<Value>(text) {
            Ok(n @ Value::Number(_)) => n,
            _ => Value::String(text.into()),
        },
        SchemaKind::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.into())),
        SchemaKind::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        SchemaKind::Array(_) => Value::Array(
            text.split(',')
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        _ => Value::String(text.into()),
    }
}
