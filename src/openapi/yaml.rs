//! YAML to JSON values with key order kept (specs list paths and properties in a meaningful order),
//! via yaml-rust2, with the parser's line and column on errors.

use serde_json::{Map, Number, Value};
use yaml_rust2::{Yaml, YamlLoader};

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

/// Parse the first document of `text`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| YamlError {
        message: e.info().to_string(),
        line: e.marker().line(),
        column: e.marker().col() + 1,
    })?;
    Ok(docs.into_iter().next().map_or(Value::Null, convert))
}

fn convert(yaml: Yaml) -> Value {
    match yaml {
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::String(s), Value::Number),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
        Yaml::Hash(hash) => {
            let mut map = Map::new();
            for (k, v) in hash {
                let key = match k {
                    Yaml::String(s) | Yaml::Real(s) => s,
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    Yaml::Null => "null".into(),
                    _ => continue,
                };
                map.insert(key, convert(v));
            }
            Value::Object(map)
        }
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => Value::Null,
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
}
