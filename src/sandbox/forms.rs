//! Request bodies in the form encodings, read the way a server framework reads them:
//! `application/x-www-form-urlencoded` pairs and `multipart/form-data` parts (boundary from the
//! Content-Type), turned into the JSON object the spec's schema is checked against. A body that
//! is not in the encoding its Content-Type names is an error, never a pass.

use crate::catalog::{Schema, SchemaKind, Spec};
use serde_json::{Map, Value};

/// The fields of an `application/x-www-form-urlencoded` body.
pub(super) fn urlencoded(body: &[u8]) -> Result<Vec<(String, String)>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the form body is not UTF-8".to_string())?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Err(
            "the body is JSON, not `application/x-www-form-urlencoded` as its Content-Type says"
                .into(),
        );
    }
    Ok(super::params::parse_query(
        text.trim_end_matches(['\r', '\n']),
    ))
}

/// The fields of a `multipart/form-data` body; a file part's value is its content as text.
pub(super) fn multipart(body: &[u8], content_type: &str) -> Result<Vec<(String, String)>, String> {
    let boundary = content_type
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty())
        .ok_or("`multipart/form-data` without a `boundary` in the Content-Type")?;
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut pieces = text.split(delimiter.as_str());
    // Before the first delimiter: the preamble, ignored.
    pieces.next();
    let mut fields = Vec::new();
    let mut closed = false;
    for piece in pieces {
        if piece.starts_with("--") {
            closed = true;
            break;
        }
        let piece = piece
            .strip_prefix("\r\n")
            .or_else(|| piece.strip_prefix('\n'))
            .ok_or("a multipart delimiter is not followed by a line end")?;
        let (head, content) = piece
            .split_once("\r\n\r\n")
            .or_else(|| piece.split_once("\n\n"))
            .ok_or("a multipart part has no blank line after its headers")?;
        let content = content
            .strip_suffix("\r\n")
            .or_else(|| content.strip_suffix('\n'))
            .unwrap_or(content);
        let disposition = head
            .lines()
            .find(|l| {
                l.split(':')
                    .next()
                    .is_some_and(|n| n.trim().eq_ignore_ascii_case("content-disposition"))
            })
            .ok_or("a multipart part has no Content-Disposition")?;
        let name = disposition
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("name"))
            .map(|(_, v)| v.trim().trim_matches('"').to_string())
            .ok_or("a multipart part has no name")?;
        fields.push((name, content.to_string()));
    }
    if !closed {
        return Err(format!(
            "the multipart body does not end with its closing delimiter `--{boundary}--`"
        ));
    }
    Ok(fields)
}

/// Fields as the object the schema describes: each value typed by its property's schema, a
/// repeated name (or a property that is a list) as a list.
pub(super) fn object(fields: Vec<(String, String)>, schema: &Schema, spec: &Spec) -> Value {
    let properties = crate::apigen::snippet::object_properties(schema, spec);
    let mut out = Map::new();
    for (name, text) in fields {
        let property = properties.iter().find(|(n, _)| *n == name).map(|(_, s)| s);
        let (is_list, item_schema) = match property.map(|s| list_items(s, spec)) {
            Some(Some(items)) => (true, Some(items)),
            _ => (false, property),
        };
        let value = match item_schema {
            Some(s) => super::params::coerce(&text, s, &spec.schemas),
            None => Value::String(text),
        };
        match out.get_mut(&name) {
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None if is_list => {
                out.insert(name, Value::Array(vec![value]));
            }
            None => {
                out.insert(name, value);
            }
        }
    }
    Value::Object(out)
}

fn list_items<'s>(schema: &'s Schema, spec: &'s Spec) -> Option<&'s Schema> {
    let mut s = schema;
    for _ in 0..8 {
        match &s.kind {
            SchemaKind::Ref(name) => s = spec.schemas.get(name)?,
            SchemaKind::Array(items) => return Some(items),
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_parts_and_missing_boundary() {
        let body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\nbytes\r\n--b--\r\n";
        assert_eq!(
            multipart(body.as_bytes(), "multipart/form-data; boundary=b").unwrap(),
            vec![("a".into(), "1".into()), ("f".into(), "bytes".into())]
        );
        assert!(multipart(body.as_bytes(), "multipart/form-data").is_err());
        assert!(multipart(b"{\"a\":1}", "multipart/form-data; boundary=b").is_err());
    }

    #[test]
    fn json_under_a_form_content_type_is_refused() {
        assert!(urlencoded(b"{\"name\": \"x\"}").is_err());
        assert_eq!(
            urlencoded(b"name=a+b&n=%C3%A6").unwrap(),
            vec![("name".into(), "a b".into()), ("n".into(), "æ".into())]
        );
    }
}
