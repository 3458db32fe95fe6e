//! Example values from schemas: the schema's own example, default or first enum value, else a value
//! of the right type, checked with the `jsonschema` validator. Values go one way: a request leaves
//! out `readOnly` properties, a response `writeOnly` ones. `not` and `uniqueItems` are met by
//! varying a value until the schema accepts it. Named references are followed, never in a cycle,
//! and depth is bounded.

use crate::catalog::{Schema, SchemaKind};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Below this depth optional properties are left out (values of wide, deep schemas stay small).
const MAX_DEPTH: usize = 6;
/// Below this depth nothing more is built (required properties of deeply nested objects, as real
/// specs such as GitHub's have, still get values down to here).
const MAX_REQUIRED_DEPTH: usize = 24;

pub use super::json_schema::Direction;

/// An example value for a schema that the schema accepts where one can be found, for a request: the
/// schema's own example or default, else a value built with every property, else with the required
/// ones only; each is checked with the `jsonschema` validator. When none passes, the first is
/// returned (the callers check it again and say why).
pub fn example(schema: &Schema, schemas: &BTreeMap<String, Schema>) -> Value {
    example_for(schema, schemas, Direction::Request)
}

/// Like [`example`], for values going `direction` (a response leaves out `writeOnly` properties, a
/// request `readOnly` ones).
pub fn example_for(
    schema: &Schema,
    schemas: &BTreeMap<String, Schema>,
    direction: Direction,
) -> Value {
    valid_example_for(schema, schemas, direction).unwrap_or_else(|first| first)
}

/// Like [`example`], with `Err(first candidate)` when no candidate is accepted by the schema.
pub fn valid_example(schema: &Schema, schemas: &BTreeMap<String, Schema>) -> Result<Value, Value> {
    valid_example_for(schema, schemas, Direction::Request)
}

/// Like [`valid_example`], for values going `direction`.
pub fn valid_example_for(
    schema: &Schema,
    schemas: &BTreeMap<String, Schema>,
    direction: Direction,
) -> Result<Value, Value> {
    let validator = super::json_schema::compiled_for(schema, schemas, direction);
    let mut first = None;
    for optional in [true, false] {
        let mut builder = Builder {
            schemas,
            direction,
            stack: Vec::new(),
        };
        let candidate = builder.value(schema, 0, optional);
        if validator.as_ref().is_some_and(|v| v.is_valid(&candidate)) {
            return Ok(candidate);
        }
        first.get_or_insert(candidate);
    }
    Err(first.unwrap_or(Value::Null))
}

/// Whether a scalar example keeps its own schema's type, length, enum and pattern (real specs often
/// carry examples that do not).
fn fits(value: &Value, schema: &Schema) -> bool {
    if !schema.enumeration.is_empty() && !schema.enumeration.contains(value) {
        return false;
    }
    match (&schema.kind, value) {
        (SchemaKind::String, Value::String(s)) => {
            let n = s.chars().count() as f64;
            // A `format` the validator checks (`uri`, `date-time`, …) must hold too.
            let format_holds = schema.format.as_ref().is_none_or(|f| {
                jsonschema::options()
                    .should_validate_formats(true)
                    .build(&json!({ "format": f }))
                    .map_or(true, |v| v.is_valid(value))
            });
            format_holds
                && schema.minimum.is_none_or(|m| n >= m)
                && schema.maximum.is_none_or(|m| n <= m)
                && schema
                    .pattern
                    .as_ref()
                    .is_none_or(|p| jsonschema::is_valid(&json!({ "pattern": p }), value))
        }
        (SchemaKind::String, _) => false,
        (SchemaKind::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (SchemaKind::Number, Value::Number(_)) => true,
        (SchemaKind::Integer | SchemaKind::Number, _) => false,
        (SchemaKind::Boolean, v) => v.is_boolean(),
        (SchemaKind::Array(_), v) => v.is_array(),
        (SchemaKind::Object { .. }, v) => v.is_object(),
        _ => true,
    }
}

/// How many other values are tried for a schema with `not`, or for the items of a list that must
/// be unique.
const VARIANTS: usize = 24;

/// Builds values for one direction; `stack` holds the named schemas being built (a cycle ends).
struct Builder<'a> {
    schemas: &'a BTreeMap<String, Schema>,
    direction: Direction,
    stack: Vec<&'a str>,
}

impl<'a> Builder<'a> {
    fn is_valid(&self, value: &Value, schema: &Schema) -> bool {
        super::json_schema::is_valid_for(value, schema, self.schemas, self.direction)
    }

    /// The schema a reference names (through chains of references), or `schema` itself.
    fn resolve<'s>(&self, mut schema: &'s Schema) -> &'s Schema
    where
        'a: 's,
    {
        for _ in 0..16 {
            match &schema.kind {
                SchemaKind::Ref(name) => match self.schemas.get(name) {
                    Some(target) => schema = target,
                    None => break,
                },
                _ => break,
            }
        }
        schema
    }

    /// A value for `schema`; `optional` says whether properties that are not required are filled in.
    fn value(&mut self, schema: &'a Schema, depth: usize, optional: bool) -> Value {
        // The schema's own example, its default, else the first enum value that the schema accepts.
        let given = [schema.example.as_ref(), schema.default.as_ref()]
            .into_iter()
            .flatten()
            .chain(&schema.enumeration);
        let deep = schema.not.is_some()
            || schema.unique_items
            || matches!(
                schema.kind,
                SchemaKind::Object { .. }
                    | SchemaKind::Array(_)
                    | SchemaKind::AllOf(_)
                    | SchemaKind::OneOf(_)
                    | SchemaKind::AnyOf(_)
            );
        if let Some(e) = given
            .into_iter()
            .find(|e| fits(e, schema) && (!deep || self.is_valid(e, schema)))
        {
            return e.clone();
        }
        if depth > MAX_REQUIRED_DEPTH {
            return Value::Null;
        }
        let optional = optional && depth <= MAX_DEPTH;
        let built = self.by_kind(schema, depth, optional);
        match &schema.not {
            // A value the `not` schema accepts is changed until the whole schema accepts it.
            Some(not) if self.is_valid(&built, not) => (1..VARIANTS)
                .filter_map(|i| self.vary(&built, schema, i))
                .find(|v| self.is_valid(v, schema))
                .unwrap_or(built),
            _ => built,
        }
    }

    fn by_kind(&mut self, schema: &'a Schema, depth: usize, optional: bool) -> Value {
        match &schema.kind {
            SchemaKind::Ref(name) => {
                if self.stack.contains(&name.as_str()) {
                    return Value::Null;
                }
                match self.schemas.get(name) {
                    Some(target) => {
                        self.stack.push(name);
                        let v = self.value(target, depth + 1, optional);
                        self.stack.pop();
                        v
                    }
                    None => Value::Null,
                }
            }
            SchemaKind::String => json!(text(schema, 0)),
            SchemaKind::Integer => json!(schema.minimum.map_or(1, |m| m.max(1.0) as i64)),
            SchemaKind::Number => json!(schema.minimum.map_or(1.5, |m| m.max(1.5))),
            SchemaKind::Boolean => json!(true),
            // An item that would repeat a schema already being built (a tree) ends the list instead.
            SchemaKind::Array(items) => match self.value(items, depth + 1, optional) {
                Value::Null if !items.nullable => Value::Array(Vec::new()),
                item => {
                    // As many as `minItems` asks for, else one; bounded tighter when nested so that
                    // lists of lists cannot multiply into millions of values.
                    let cap = if depth <= 1 { 16 } else { 4 };
                    let n = schema.minimum.map_or(1, |m| (m as usize).clamp(1, cap));
                    let n = schema.maximum.map_or(n, |m| n.min(m as usize));
                    if schema.unique_items && n > 1 {
                        Value::Array(self.distinct(item, items, n))
                    } else {
                        Value::Array(vec![item; n])
                    }
                }
            },
            SchemaKind::Object {
                properties,
                additional,
            } => {
                let mut map = Map::new();
                for (name, prop, required) in properties {
                    if self.direction.leaves_out(prop) || (!required && !optional) {
                        continue;
                    }
                    let v = self.value(prop, depth + 1, optional);
                    if v.is_null() && !prop.nullable && !required {
                        continue;
                    }
                    map.insert(name.clone(), v);
                }
                // A map (`additionalProperties` with a schema and no listed properties) shows one
                // entry.
                if let (true, Some(extra), false) =
                    (properties.is_empty(), additional, schema.closed)
                {
                    if optional {
                        let v = self.value(extra, depth + 1, optional);
                        if !v.is_null() || extra.nullable {
                            map.insert("eksempel".into(), v);
                        }
                    }
                }
                Value::Object(map)
            }
            // The first option whose value the whole schema accepts (a oneOf rejects a value that
            // fits two).
            SchemaKind::OneOf(options) | SchemaKind::AnyOf(options) => {
                let candidates: Vec<Value> = options
                    .iter()
                    .map(|s| self.value(s, depth + 1, optional))
                    .collect();
                candidates
                    .iter()
                    .find(|v| self.is_valid(v, schema))
                    .or(candidates.first())
                    .cloned()
                    .unwrap_or(Value::Null)
            }
            // Parts are merged; a property the first part gives (with its own schema) is kept.
            SchemaKind::AllOf(parts) => {
                let mut merged = Map::new();
                let mut other = None;
                for part in parts {
                    match self.value(part, depth + 1, optional) {
                        Value::Object(m) => {
                            for (k, v) in m {
                                merged.entry(k).or_insert(v);
                            }
                        }
                        v => {
                            other.get_or_insert(v);
                        }
                    }
                }
                match other {
                    Some(v) if merged.is_empty() => v,
                    _ => Value::Object(merged),
                }
            }
            SchemaKind::Any => json!("eksempel"),
        }
    }

    /// `n` different values for the items of a list with `uniqueItems` (fewer when no more are
    /// found; the validator then says so), starting with `first`.
    fn distinct(&self, first: Value, items: &Schema, n: usize) -> Vec<Value> {
        let mut list = vec![first.clone()];
        for i in 1..VARIANTS.max(n * 4) {
            if list.len() == n {
                break;
            }
            if let Some(v) = self.vary(&first, items, i) {
                if !list.contains(&v) && self.is_valid(&v, items) {
                    list.push(v);
                }
            }
        }
        list
    }

    /// The `i`-th variant of `value`, a value of `schema` (not checked: the caller does): another
    /// enum value, another string or number, the other boolean, or an object or list with one
    /// member varied.
    fn vary(&self, value: &Value, schema: &Schema, i: usize) -> Option<Value> {
        let schema = self.resolve(schema);
        if !schema.enumeration.is_empty() {
            return schema.enumeration.get(i).cloned();
        }
        match (value, &schema.kind) {
            (_, SchemaKind::Any) => [
                json!("eksempel"),
                json!(1),
                json!(true),
                json!({}),
                json!([]),
                json!(1.5),
                Value::Null,
            ]
            .into_iter()
            .filter(|v| v != value)
            .nth(i - 1),
            (Value::String(_), SchemaKind::String) => Some(json!(text(schema, i))),
            (Value::Number(n), SchemaKind::Integer) => {
                let n = n.as_i64()?;
                let step = i as i64;
                let up = n.checked_add(step)?;
                Some(if schema.maximum.is_some_and(|m| up as f64 > m) {
                    json!(n.checked_sub(step)?)
                } else {
                    json!(up)
                })
            }
            (Value::Number(n), SchemaKind::Number) => {
                let n = n.as_f64()?;
                let up = n + i as f64;
                Some(if schema.maximum.is_some_and(|m| up > m) {
                    json!(n - i as f64 / 64.0)
                } else {
                    json!(up)
                })
            }
            (Value::Bool(b), SchemaKind::Boolean) => (i == 1).then(|| json!(!b)),
            (Value::Object(map), SchemaKind::Object { properties, .. }) => {
                properties.iter().find_map(|(name, prop, _)| {
                    let varied = self.vary(map.get(name)?, prop, i)?;
                    let mut map = map.clone();
                    map.insert(name.clone(), varied);
                    Some(Value::Object(map))
                })
            }
            (Value::Array(list), SchemaKind::Array(items)) => {
                let varied = self.vary(list.first()?, items, i)?;
                let mut list = list.clone();
                list[0] = varied;
                Some(Value::Array(list))
            }
            (_, SchemaKind::AllOf(parts) | SchemaKind::OneOf(parts) | SchemaKind::AnyOf(parts)) => {
                parts.iter().find_map(|p| self.vary(value, p, i))
            }
            _ => None,
        }
    }
}

/// The `i`-th text for a string schema (0 is the plain example): from its pattern, a Norwegian
/// identifier its description names, or its format, within its length bounds. Variants (`i > 0`)
/// come from the pattern with another seed, or carry a number.
fn text(schema: &Schema, i: usize) -> String {
    let min = schema.minimum.map_or(0, |m| m as usize);
    let max = schema.maximum.map_or(usize::MAX, |m| m as usize);
    let from_pattern = schema.pattern.as_deref().and_then(|p| {
        generate_from_pattern(p, min, max, i as u64)
            .or_else(|| (i == 0).then(|| from_pattern(p))?)
    });
    let mut text = match from_pattern {
        Some(text) => text,
        None => {
            let plain = norwegian_id(schema)
                .unwrap_or_else(|| string_example(schema.format.as_deref()).to_string());
            if i == 0 {
                plain
            } else {
                variant_of(&plain, schema.format.as_deref(), i)
            }
        }
    };
    if let Some(max) = schema.maximum.map(|m| m as usize) {
        text = text.chars().take(max.max(1)).collect();
    }
    if let Some(min) = schema
        .minimum
        .map(|m| (m as usize).min(MAX_PATTERN_EXAMPLE))
    {
        let missing = min.saturating_sub(text.chars().count());
        text.extend(std::iter::repeat_n('x', missing));
    }
    text
}

/// Another text of the same format: a later day, another uuid, a numbered name.
fn variant_of(plain: &str, format: Option<&str>, i: usize) -> String {
    match format {
        Some("date") => format!("2024-08-{:02}", 1 + i % 28),
        Some("date-time") => format!("2024-08-{:02}T10:00:00Z", 1 + i % 28),
        Some("uuid") => format!("3fa85f64-5717-4562-b3fc-{:012x}", 0x2c963f66afa6 + i),
        Some("email") => format!("ola.nordmann{i}@example.no"),
        Some("uri") | Some("url") => format!("https://example.no/{i}"),
        Some("ipv4") => format!("192.0.2.{}", (10 + i) % 256),
        _ => {
            // A short string (a max length) keeps its length: its last character changes.
            let mut t: Vec<char> = plain.chars().collect();
            let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789".chars().collect();
            match t.last_mut() {
                Some(last) if plain.chars().count() <= 2 => {
                    *last = alphabet[i % alphabet.len()];
                    t.into_iter().collect()
                }
                _ => format!("{plain}{i}"),
            }
        }
    }
}

/// A string that `pattern` (ECMA-262, as JSON Schema reads it) accepts and whose length is within
/// bounds, generated from the regular expression by `rand_regex` with a fixed seed (the same
/// examples every run; another `seed` gives another string), checked with the `jsonschema` validator. `None` for patterns the crate
/// cannot read (lookaround, backreferences).
fn generate_from_pattern(pattern: &str, min: usize, max: usize, seed: u64) -> Option<String> {
    use rand::distr::Distribution;
    use rand::SeedableRng;
    // The generator does not take anchors; a whole generated string matches an anchored pattern.
    let body = &without_anchors(pattern);
    // ECMA-262's `\d`, `\w` and `\s` are ASCII; Rust's are Unicode unless told otherwise.
    let ascii = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .build()
        .parse(body)
        .ok()
        .and_then(|hir| rand_regex::Regex::with_hir(hir, 8).ok());
    let generator = match ascii {
        Some(g) => g,
        None => rand_regex::Regex::compile(body, 8).ok()?,
    };
    let check = json!({ "pattern": pattern });
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(0x1a7a + seed);
    (0..64).find_map(|_| {
        let text: String = generator.sample(&mut rng);
        let n = text.chars().count();
        (n >= min && n <= max && jsonschema::is_valid(&check, &json!(text))).then_some(text)
    })
}

/// A pattern without the `^` and `$` anchors that start or end it or any of its alternatives
/// (`^a|^b` → `a|b`), outside character classes and escapes: the generator's whole string is
/// anchored anyway, and the original pattern checks the result.
fn without_anchors(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            if let Some(&n) = chars.get(i + 1) {
                out.push(n);
            }
            i += 2;
            continue;
        }
        match c {
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '^' if !in_class && matches!(out.chars().last(), None | Some('|' | '(')) => {
                i += 1;
                continue;
            }
            '$' if !in_class && matches!(chars.get(i + 1), None | Some('|' | ')')) => {
                i += 1;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A valid Norwegian fødselsnummer or organisasjonsnummer (check digits right) when the schema's
/// format, title or description says it is one.
fn norwegian_id(schema: &Schema) -> Option<String> {
    let said = format!(
        "{} {} {}",
        schema.format.as_deref().unwrap_or_default(),
        schema.title.as_deref().unwrap_or_default(),
        schema.description
    )
    .to_lowercase();
    if said.contains("fødselsnummer") || said.contains("fodselsnummer") || said.contains("fnr") {
        Some(FODSELSNUMMER.to_string())
    } else if said.contains("organisasjonsnummer") || said.contains("orgnr") {
        Some(ORGANISASJONSNUMMER.to_string())
    } else {
        None
    }
}

/// A synthetic fødselsnummer (1 January 1970) with both mod-11 check digits right.
const FODSELSNUMMER: &str = "01017000027";
/// Brønnøysundregistrene's own organisasjonsnummer (mod-11 check digit right).
const ORGANISASJONSNUMMER: &str = "974760673";

/// A string matching a simple regular expression: literals, escapes, classes `[a-z0-9]`, `\\d`, `\\w`,
/// groups without alternation, and the quantifiers `?`, `*`, `+`, `{n}`, `{n,m}`. `None` for anything
/// richer (alternation, lookaround), where the caller falls back to a plain example, and for a
/// result longer than [`MAX_PATTERN_EXAMPLE`] characters (`a{4000000000}` must not take 4 GB).
fn from_pattern(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern
        .trim_start_matches('^')
        .trim_end_matches('$')
        .chars()
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // One atom: the text it stands for once.
        let atom: String = match chars[i] {
            '\\' => {
                i += 1;
                match chars.get(i)? {
                    'd' => "1".into(),
                    'w' => "a".into(),
                    's' => " ".into(),
                    c if c.is_ascii_alphanumeric() => return None,
                    c => c.to_string(),
                }
            }
            '[' => {
                let end = chars[i..].iter().position(|&c| c == ']')? + i;
                let class: Vec<char> = chars[i + 1..end].to_vec();
                i = end;
                let first = *class.iter().find(|&&c| c != '^' && c != '\\')?;
                if class.first() == Some(&'^') {
                    return None;
                }
                first.to_string()
            }
            '(' => {
                let end = chars[i..].iter().position(|&c| c == ')')? + i;
                let inner: String = chars[i + 1..end].iter().collect();
                if inner.contains('|') || inner.starts_with('?') {
                    return None;
                }
                i = end;
                from_pattern(&inner)?
            }
            '|' | '.' => return None,
            c => c.to_string(),
        };
        i += 1;
        // Its quantifier.
        let (min, skip) = match chars.get(i) {
            Some('?') | Some('*') => (0, 1),
            Some('+') => (1, 1),
            Some('{') => {
                let end = chars[i..].iter().position(|&c| c == '}')? + i;
                let spec: String = chars[i + 1..end].iter().collect();
                let min: usize = spec.split(',').next()?.trim().parse().ok()?;
                (min, end - i + 1)
            }
            _ => (1, 0),
        };
        i += skip;
        if out.len() + atom.len().saturating_mul(min) > MAX_PATTERN_EXAMPLE {
            return None;
        }
        for _ in 0..min {
            out.push_str(&atom);
        }
    }
    Some(out)
}

/// The longest example made from a pattern, in bytes, and the most a minimum length pads to
/// (a spec asking for a billion characters gets a shorter example, not a hang).
const MAX_PATTERN_EXAMPLE: usize = 4096;

fn string_example(format: Option<&str>) -> &'static str {
    match format {
        Some("date") => "2024-08-15",
        Some("date-time") => "2024-08-15T10:00:00Z",
        Some("email") => "ola.nordmann@example.no",
        Some("uuid") => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        Some("uri") | Some("url") => "https://example.no/",
        Some("byte") => "ZWtzZW1wZWw=",
        Some("time") => "10:00:00Z",
        Some("duration") => "P1D",
        Some("ipv4") => "192.0.2.10",
        Some("ipv6") => "2001:db8::10",
        Some("hostname") => "example.no",
        Some("idn-email") => "kari.nordmann@example.no",
        Some("uri-reference") | Some("iri") | Some("iri-reference") => "https://example.no/",
        _ => "eksempel",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_from_simple_patterns() {
        for pattern in [
            r"\+[1-9][0-9]+",
            "^[0-9]{4}[HV]$",
            r"^\d{6,8}$",
            "[A-Z]{2}-[0-9]{3}",
            "(ab)+c?",
        ] {
            let text = from_pattern(pattern).unwrap_or_else(|| panic!("{pattern}"));
            assert!(
                jsonschema::is_valid(&json!({ "pattern": pattern }), &json!(text)),
                "{pattern} -> {text}"
            );
        }
        assert_eq!(from_pattern("a|b"), None);
        assert_eq!(from_pattern("[a-z]{4000000000}"), None, "no 4 GB example");
        assert_eq!(from_pattern("(ab){99999999999999999999}"), None);
        assert_eq!(from_pattern("x{3}").as_deref(), Some("xxx"));
    }

    #[test]
    fn a_huge_minimum_length_is_bounded_not_a_hang() {
        let schema = Schema {
            minimum: Some(1e12),
            ..Schema::of(SchemaKind::String)
        };
        let started = std::time::Instant::now();
        let value = example(&schema, &BTreeMap::new());
        assert_eq!(value.as_str().map(str::len), Some(MAX_PATTERN_EXAMPLE));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    fn mod11(digits: &[u32], weights: &[u32]) -> Option<u32> {
        let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            k => Some(k),
        }
    }

    #[test]
    fn norwegian_ids_have_right_check_digits() {
        let d: Vec<u32> = FODSELSNUMMER
            .chars()
            .map(|c| c.to_digit(10).unwrap())
            .collect();
        assert_eq!(mod11(&d[..9], &[3, 7, 6, 1, 8, 9, 4, 5, 2]), Some(d[9]));
        assert_eq!(
            mod11(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]),
            Some(d[10])
        );
        let o: Vec<u32> = ORGANISASJONSNUMMER
            .chars()
            .map(|c| c.to_digit(10).unwrap())
            .collect();
        assert_eq!(mod11(&o[..8], &[3, 2, 7, 6, 5, 4, 3, 2]), Some(o[8]));
    }

    #[test]
    fn patterns_are_generated_by_the_regex_and_checked() {
        for pattern in [
            r"^\+[1-9][0-9]{1,3}$",
            "^(NO|SE|DK)-[0-9]{4}$",
            r"^[A-ZÆØÅ][a-zæøå]+( [A-ZÆØÅ][a-zæøå]+)*$",
            r"^\d{11}$",
            "^(ja|nei)$",
        ] {
            let text = generate_from_pattern(pattern, 0, usize::MAX, 0)
                .unwrap_or_else(|| panic!("{pattern}"));
            assert!(
                jsonschema::is_valid(&json!({ "pattern": pattern }), &json!(text)),
                "{pattern} -> {text}"
            );
        }
        let bounded = generate_from_pattern("^[a-z]+$", 3, 5, 0).unwrap();
        assert!((3..=5).contains(&bounded.chars().count()), "{bounded}");
        assert_eq!(
            generate_from_pattern("(?<=a)b", 0, 9, 0),
            None,
            "lookbehind is not read"
        );
    }

    #[test]
    fn cycles_end_and_types_are_right() {
        let node = Schema::of(SchemaKind::Object {
            properties: vec![
                ("navn".into(), Schema::of(SchemaKind::String), true),
                (
                    "født".into(),
                    Schema {
                        kind: SchemaKind::String,
                        format: Some("date".into()),
                        ..Schema::default()
                    },
                    false,
                ),
                (
                    "barn".into(),
                    Schema::of(SchemaKind::Array(Box::new(Schema::of(SchemaKind::Ref(
                        "Node".into(),
                    ))))),
                    false,
                ),
            ],
            additional: None,
        });
        let schemas = BTreeMap::from([("Node".to_string(), node.clone())]);
        let v = example(&Schema::of(SchemaKind::Ref("Node".into())), &schemas);
        assert_eq!(v["navn"], "eksempel");
        assert_eq!(v["født"], "2024-08-15");
        assert_eq!(v["barn"], json!([]), "a tree ends instead of holding null");
    }

    #[test]
    fn anchors_of_every_alternative_are_dropped_for_the_generator() {
        assert_eq!(
            without_anchors("^ssh-(rsa|dss) |^ecdsa-(256|384) "),
            "ssh-(rsa|dss) |ecdsa-(256|384) "
        );
        assert_eq!(without_anchors(r"^[^$]+\$$"), r"[^$]+\$");
        let v = generate_from_pattern(
            "^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) ",
            0,
            usize::MAX,
            0,
        );
        assert!(v.is_some());
    }
    fn object(properties: Vec<(&str, Schema, bool)>) -> Schema {
        Schema::of(SchemaKind::Object {
            properties: properties
                .into_iter()
                .map(|(n, s, r)| (n.to_string(), s, r))
                .collect(),
            additional: None,
        })
    }

    /// The value is accepted by the `jsonschema` validator for the document of `schema`.
    fn accepted(value: &Value, schema: &Schema, direction: Direction) -> bool {
        let doc = super::super::json_schema::document_for(schema, &BTreeMap::new(), direction);
        jsonschema::validator_for(&doc).unwrap().is_valid(value)
    }

    #[test]
    fn unique_items_are_different_values() {
        for items in [
            Schema::of(SchemaKind::String),
            Schema::of(SchemaKind::Integer),
            Schema {
                format: Some("uuid".into()),
                ..Schema::of(SchemaKind::String)
            },
            Schema {
                pattern: Some(r"^[A-Z]{2}\d{3}$".into()),
                ..Schema::of(SchemaKind::String)
            },
            Schema {
                enumeration: vec![json!("a"), json!("b"), json!("c")],
                ..Schema::of(SchemaKind::String)
            },
            object(vec![("id", Schema::of(SchemaKind::Integer), true)]),
        ] {
            let list = Schema {
                minimum: Some(3.0),
                unique_items: true,
                ..Schema::of(SchemaKind::Array(Box::new(items)))
            };
            let v = example(&list, &BTreeMap::new());
            assert_eq!(v.as_array().map(Vec::len), Some(3), "{v}");
            assert!(accepted(&v, &list, Direction::Request), "{v}");
        }
    }

    #[test]
    fn closed_objects_and_maps_are_accepted() {
        let closed = Schema {
            closed: true,
            ..object(vec![
                ("navn", Schema::of(SchemaKind::String), true),
                ("alder", Schema::of(SchemaKind::Integer), false),
            ])
        };
        let v = example(&closed, &BTreeMap::new());
        assert_eq!(v, json!({"navn": "eksempel", "alder": 1}));
        assert!(accepted(&v, &closed, Direction::Request));
        assert!(!accepted(
            &json!({"navn": "x", "annet": 1}),
            &closed,
            Direction::Request
        ));

        let map = Schema::of(SchemaKind::Object {
            properties: Vec::new(),
            additional: Some(Box::new(Schema {
                format: Some("date".into()),
                ..Schema::of(SchemaKind::String)
            })),
        });
        let v = example(&map, &BTreeMap::new());
        assert_eq!(v, json!({"eksempel": "2024-08-15"}));
        assert!(accepted(&v, &map, Direction::Request));
        assert!(!accepted(&json!({"x": 3}), &map, Direction::Request));
    }

    #[test]
    fn a_value_the_not_schema_accepts_is_changed() {
        let cases = [
            // Not the plain example text.
            Schema {
                not: Some(Box::new(Schema {
                    enumeration: vec![json!("eksempel")],
                    ..Schema::default()
                })),
                ..Schema::of(SchemaKind::String)
            },
            // Anything but a string.
            Schema {
                not: Some(Box::new(Schema::of(SchemaKind::String))),
                ..Schema::default()
            },
            // An enum value other than the first.
            Schema {
                enumeration: vec![json!("ja"), json!("nei")],
                not: Some(Box::new(Schema {
                    enumeration: vec![json!("ja")],
                    ..Schema::default()
                })),
                ..Schema::of(SchemaKind::String)
            },
            // A number other than the minimum.
            Schema {
                minimum: Some(1.0),
                not: Some(Box::new(Schema {
                    enumeration: vec![json!(1), json!(2)],
                    ..Schema::default()
                })),
                ..Schema::of(SchemaKind::Integer)
            },
        ];
        for schema in cases {
            let v = valid_example(&schema, &BTreeMap::new()).expect("a value");
            assert!(accepted(&v, &schema, Direction::Request), "{v}");
        }
    }

    #[test]
    fn read_only_is_left_out_of_requests_and_write_only_out_of_responses() {
        let user = object(vec![
            (
                "id",
                Schema {
                    read_only: true,
                    ..Schema::of(SchemaKind::Integer)
                },
                true,
            ),
            ("navn", Schema::of(SchemaKind::String), true),
            (
                "passord",
                Schema {
                    write_only: true,
                    ..Schema::of(SchemaKind::String)
                },
                true,
            ),
        ]);
        let request = example_for(&user, &BTreeMap::new(), Direction::Request);
        assert_eq!(request, json!({"navn": "eksempel", "passord": "eksempel"}));
        assert!(accepted(&request, &user, Direction::Request));
        let response = example_for(&user, &BTreeMap::new(), Direction::Response);
        assert_eq!(response, json!({"id": 1, "navn": "eksempel"}));
        assert!(accepted(&response, &user, Direction::Response));
        assert!(
            !accepted(&request, &user, Direction::Response),
            "a response must not carry a writeOnly property"
        );
    }

    #[test]
    fn a_contradictory_schema_has_no_value() {
        // Two closed objects that each require a property the other forbids.
        let a = Schema {
            closed: true,
            ..object(vec![("a", Schema::of(SchemaKind::String), true)])
        };
        let b = Schema {
            closed: true,
            ..object(vec![("b", Schema::of(SchemaKind::String), true)])
        };
        let both = Schema::of(SchemaKind::AllOf(vec![a, b]));
        assert!(valid_example(&both, &BTreeMap::new()).is_err());
        let nothing = Schema {
            not: Some(Box::new(Schema::default())),
            ..Schema::default()
        };
        assert!(valid_example(&nothing, &BTreeMap::new()).is_err());
    }
}
