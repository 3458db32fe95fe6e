//! Checks of a converted spec that keep the sandbox and the examples runner from passing in silence:
//! schemas that cannot be compiled for validation, named schemas that can have no finite value (a
//! `$ref` cycle through required properties with no way out), and examples that break their own
//! schema. Each finding points at the schema, parameter or example in the spec's source.

use super::json_schema;
use crate::catalog::{Schema, SchemaKind, Spec};
use crate::diag::{Diagnostic, Span};
use std::collections::{BTreeMap, BTreeSet};

/// Rule of findings about a spec's schemas.
pub const SPEC: &str = "spec";
/// Rule of findings about a spec's examples (a warning by default: the sandbox answers with a value
/// made from the schema instead, and writers seldom own the spec).
pub const SPEC_EXAMPLE: &str = "spec-example";

/// Every finding about one spec.
pub fn spec(spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let infinite = infinite_schemas(&spec.schemas);
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    for name in &infinite {
        let cycle = cycle_from(name, &spec.schemas, &infinite);
        let mut key = cycle.clone();
        key.sort();
        key.dedup();
        if !reported.insert(key) {
            continue;
        }
        let span = spec
            .schema_spans
            .get(name)
            .cloned()
            .unwrap_or_else(|| Span::file_start(""));
        out.push(
            Diagnostic::error(
                SPEC,
                span,
                format!(
                    "schema `{name}` can have no finite value: {} (each one requires the next)",
                    cycle.join(" → ")
                ),
            )
            .with_hint("make one of the properties on the cycle optional or nullable, or give the list `minItems: 0`"),
        );
    }
    unsatisfiable(spec, &infinite, &mut out);
    for schema in spec.schemas.values() {
        schema_examples(schema, spec, &mut out);
    }
    for op in &spec.operations {
        let inline = op
            .parameters
            .iter()
            .map(|p| &p.schema)
            .chain(
                op.request_body
                    .iter()
                    .flat_map(|b| b.content.iter())
                    .filter_map(|m| m.schema.as_ref()),
            )
            .chain(
                op.responses
                    .iter()
                    .flat_map(|r| r.content.iter())
                    .filter_map(|m| m.schema.as_ref()),
            );
        for schema in inline {
            schema_examples(schema, spec, &mut out);
        }
    }
    // One compilation of every schema of the spec at once; only when it fails is each compiled on
    // its own to say which (compiling each response of a large spec is slow).
    let everything = Schema::of(SchemaKind::AnyOf(
        spec.schemas
            .keys()
            .map(|n| Schema::of(SchemaKind::Ref(n.clone())))
            .chain(spec.operations.iter().flat_map(|op| {
                op.parameters.iter().map(|p| p.schema.clone()).chain(
                    op.request_body
                        .iter()
                        .flat_map(|b| b.content.iter())
                        .chain(op.responses.iter().flat_map(|r| r.content.iter()))
                        .filter_map(|m| m.schema.clone()),
                )
            }))
            .collect(),
    ));
    let all_compile =
        json_schema::validator(&json_schema::document(&everything, &spec.schemas)).is_ok();
    let mut compiled: BTreeSet<*const Schema> = BTreeSet::new();
    let mut check = |schema: &Schema, span: &Span, what: &str, out: &mut Vec<Diagnostic>| {
        if !compiled.insert(schema as *const Schema) {
            return None;
        }
        if all_compile {
            return json_schema::compiled(schema, &spec.schemas);
        }
        if let Some(v) = json_schema::compiled(schema, &spec.schemas) {
            return Some(v);
        }
        match json_schema::validator(&json_schema::document(schema, &spec.schemas)) {
            Ok(v) => Some(std::sync::Arc::new(v)),
            Err(e) => {
                out.push(
                    Diagnostic::error(
                        SPEC,
                        span.clone(),
                        format!("the schema of {what} cannot be compiled for validation: {e}"),
                    )
                    .with_hint(
                        "the sandbox answers 500 and examples that use it fail until it is fixed",
                    ),
                );
                None
            }
        }
    };
    for op in &spec.operations {
        for p in op.parameters.iter().filter(|_| !all_compile) {
            let what = format!("parameter `{}` of `{}`", p.name, op.anchor);
            check(&p.schema, &p.span, &what, &mut out);
        }
        let bodies = op.request_body.iter().flat_map(|b| {
            b.content
                .iter()
                .map(|m| (m, "the request body".to_string()))
        });
        let answers = op.responses.iter().flat_map(|r| {
            r.content
                .iter()
                .map(move |m| (m, format!("response {}", r.status)))
        });
        for (media, label) in bodies.chain(answers) {
            let Some(schema) = &media.schema else {
                continue;
            };
            if all_compile && media.examples.is_empty() {
                continue;
            }
            let what = format!("{label} ({}) of `{}`", media.media_type, op.anchor);
            let Some(validator) = check(schema, &media.span, &what, &mut out) else {
                continue;
            };
            if !media.media_type.contains("json") {
                continue;
            }
            for example in &media.examples {
                // The schema's own example, taken as the media type's: reported with the schema.
                if schema.example_span.as_ref() == Some(&example.span) {
                    continue;
                }
                let errors = mismatches(&validator, &example.value);
                if !errors.is_empty() {
                    out.push(
                        Diagnostic::warning(
                            SPEC_EXAMPLE,
                            example.span.clone(),
                            format!(
                                "example `{}` of {what} does not match its own schema: {}",
                                example.name,
                                errors.join("; ")
                            ),
                        )
                        .with_hint("fix the example or the schema; the sandbox answers with a value made from the schema meanwhile"),
                    );
                }
            }
        }
    }
    out
}

/// `spec` findings for schemas the synthesizer finds no accepted value for, where the validator's
/// errors prove a contradiction (`allOf` parts that exclude each other, a `not` that excludes
/// everything): each named schema at its own line, and each inline
/// body or response schema at its media type, in the direction its values travel.
fn unsatisfiable(spec: &Spec, infinite: &BTreeSet<String>, out: &mut Vec<Diagnostic>) {
    use super::synth::{valid_example_for, Direction};
    let mut say = |span: Span, what: String, schema: &Schema, direction: Direction| {
        let Some(validator) = json_schema::compiled_for(schema, &spec.schemas, direction) else {
            return; // reported as a schema that cannot be compiled
        };
        let Err(closest) = valid_example_for(schema, &spec.schemas, direction) else {
            return;
        };
        // Only what proves a contradiction is reported: a property a closed part forbids, a
        // `not` or `false` that excludes the value. A value that fits several `oneOf` options, a
        // type the merge of `allOf` parts got wrong, or a list shorter than `minItems`, says more
        // about the synthesizer than about the spec (GitHub's spec has the first two).
        let proves = |e: &jsonschema::ValidationError<'_>| {
            use jsonschema::error::ValidationErrorKind as K;
            matches!(
                e.kind(),
                K::AdditionalProperties { .. } | K::Not { .. } | K::FalseSchema | K::UniqueItems
            )
        };
        if !validator.iter_errors(&closest).all(|e| proves(&e)) {
            return;
        }
        let errors = mismatches(&validator, &closest);
        out.push(
            Diagnostic::error(
                SPEC,
                span,
                format!(
                    "{what} has no value that it accepts: the closest value found, `{}`, fails: {}",
                    truncated(&closest.to_string(), 120),
                    errors.join("; ")
                ),
            )
            .with_hint("the parts of the schema contradict each other; the sandbox answers 500 and examples that use it fail until it is fixed"),
        );
    };
    for (name, schema) in &spec.schemas {
        if infinite.contains(name) {
            continue; // reported as a cycle
        }
        let span = spec
            .schema_spans
            .get(name)
            .cloned()
            .unwrap_or_else(|| Span::file_start(""));
        // A named schema is used both ways; it is contradictory when neither way has a value.
        let request_ok = valid_example_for(schema, &spec.schemas, Direction::Request).is_ok();
        if !request_ok {
            say(
                span,
                format!("schema `{name}`"),
                schema,
                Direction::Response,
            );
        }
    }
    for op in &spec.operations {
        let bodies = op.request_body.iter().flat_map(|b| {
            b.content
                .iter()
                .map(|m| (m, "the request body".to_string(), Direction::Request))
        });
        let answers = op.responses.iter().flat_map(|r| {
            r.content
                .iter()
                .map(move |m| (m, format!("response {}", r.status), Direction::Response))
        });
        for (media, label, direction) in bodies.chain(answers) {
            match &media.schema {
                Some(schema) if !matches!(schema.kind, SchemaKind::Ref(_)) => say(
                    media.span.clone(),
                    format!(
                        "the schema of {label} ({}) of `{}`",
                        media.media_type, op.anchor
                    ),
                    schema,
                    direction,
                ),
                _ => {}
            }
        }
    }
}

/// `text` cut to `max` characters, with `…` when cut.
fn truncated(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        text.chars().take(max).chain(['…']).collect()
    }
}

/// The first few ways `value` breaks the schema of `validator`, each with where in the value.
fn mismatches(validator: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .take(3)
        .map(|e| {
            let at = e.instance_path().to_string();
            if at.is_empty() {
                e.to_string()
            } else {
                format!("{e} at `{at}`")
            }
        })
        .collect()
}

/// `spec-example` findings for the `example` of `schema` and of every schema inside it (references
/// are not followed: each named schema is visited once on its own).
fn schema_examples(schema: &Schema, spec: &Spec, out: &mut Vec<Diagnostic>) {
    if let (Some(example), Some(span)) = (&schema.example, &schema.example_span) {
        if let Some(validator) = json_schema::compiled(schema, &spec.schemas) {
            let errors = mismatches(&validator, example);
            if !errors.is_empty() {
                out.push(
                    Diagnostic::warning(
                        SPEC_EXAMPLE,
                        span.clone(),
                        format!(
                            "the schema's example does not match the schema: {}",
                            errors.join("; ")
                        ),
                    )
                    .with_hint("fix the example or the schema; generated values skip it meanwhile"),
                );
            }
        }
    }
    match &schema.kind {
        SchemaKind::Array(items) => schema_examples(items, spec, out),
        SchemaKind::Object {
            properties,
            additional,
        } => {
            for (_, p, _) in properties {
                schema_examples(p, spec, out);
            }
            if let Some(a) = additional {
                schema_examples(a, spec, out);
            }
        }
        SchemaKind::OneOf(parts) | SchemaKind::AnyOf(parts) | SchemaKind::AllOf(parts) => {
            for p in parts {
                schema_examples(p, spec, out);
            }
        }
        _ => {}
    }
}

/// Named schemas that have no finite value: the least fixpoint of "can be finite", so a cycle through
/// required properties and lists that must not be empty, with no option out, stays false.
pub fn infinite_schemas(schemas: &BTreeMap<String, Schema>) -> BTreeSet<String> {
    let mut finite: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = finite.len();
        for (name, schema) in schemas {
            if !finite.contains(name.as_str()) && can_be_finite(schema, &finite, schemas) {
                finite.insert(name);
            }
        }
        if finite.len() == before {
            break;
        }
    }
    schemas
        .keys()
        .filter(|n| !finite.contains(n.as_str()))
        .cloned()
        .collect()
}

fn can_be_finite(
    schema: &Schema,
    finite: &BTreeSet<&str>,
    schemas: &BTreeMap<String, Schema>,
) -> bool {
    if schema.nullable || !schema.enumeration.is_empty() {
        return true;
    }
    match &schema.kind {
        SchemaKind::Ref(name) => !schemas.contains_key(name) || finite.contains(name.as_str()),
        SchemaKind::Array(items) => {
            schema.minimum.is_none_or(|m| m < 1.0) || can_be_finite(items, finite, schemas)
        }
        SchemaKind::Object { properties, .. } => properties
            .iter()
            .filter(|(_, _, required)| *required)
            .all(|(_, p, _)| can_be_finite(p, finite, schemas)),
        SchemaKind::OneOf(options) | SchemaKind::AnyOf(options) => {
            options.is_empty() || options.iter().any(|o| can_be_finite(o, finite, schemas))
        }
        SchemaKind::AllOf(parts) => parts.iter().all(|p| can_be_finite(p, finite, schemas)),
        _ => true,
    }
}

/// The cycle of names `start` is caught in: follow a reference that has no finite value until a name
/// repeats (`A → B → C → A`).
fn cycle_from(
    start: &str,
    schemas: &BTreeMap<String, Schema>,
    infinite: &BTreeSet<String>,
) -> Vec<String> {
    let mut path: Vec<String> = vec![start.to_string()];
    let mut current = start.to_string();
    while let Some(next) = schemas
        .get(&current)
        .and_then(|s| blocking_ref(s, infinite))
    {
        if let Some(i) = path.iter().position(|n| *n == next) {
            let mut cycle = path[i..].to_vec();
            cycle.push(next);
            return cycle;
        }
        path.push(next.clone());
        current = next;
        if path.len() > schemas.len() + 1 {
            break;
        }
    }
    path
}

/// A referenced name with no finite value that `schema` cannot do without.
fn blocking_ref(schema: &Schema, infinite: &BTreeSet<String>) -> Option<String> {
    if schema.nullable || !schema.enumeration.is_empty() {
        return None;
    }
    match &schema.kind {
        SchemaKind::Ref(name) => infinite.contains(name).then(|| name.clone()),
        SchemaKind::Array(items) if schema.minimum.is_some_and(|m| m >= 1.0) => {
            blocking_ref(items, infinite)
        }
        SchemaKind::Object { properties, .. } => properties
            .iter()
            .filter(|(_, _, r)| *r)
            .find_map(|(_, p, _)| blocking_ref(p, infinite)),
        SchemaKind::OneOf(options) | SchemaKind::AnyOf(options) => {
            options.iter().find_map(|o| blocking_ref(o, infinite))
        }
        SchemaKind::AllOf(parts) => parts.iter().find_map(|p| blocking_ref(p, infinite)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requires(prop: &str, target: &str) -> Schema {
        Schema::of(SchemaKind::Object {
            properties: vec![(
                prop.into(),
                Schema::of(SchemaKind::Ref(target.into())),
                true,
            )],
            additional: None,
        })
    }

    #[test]
    fn a_required_cycle_has_no_finite_value() {
        let schemas = BTreeMap::from([
            ("A".to_string(), requires("b", "B")),
            ("B".to_string(), requires("c", "C")),
            ("C".to_string(), requires("a", "A")),
            ("D".to_string(), requires("a", "A")),
        ]);
        let infinite = infinite_schemas(&schemas);
        assert_eq!(infinite.len(), 4, "{infinite:?}");
        assert_eq!(cycle_from("A", &schemas, &infinite), ["A", "B", "C", "A"]);
        assert_eq!(cycle_from("D", &schemas, &infinite), ["A", "B", "C", "A"]);
    }

    #[test]
    fn an_optional_or_nullable_link_is_a_way_out() {
        let mut c = requires("a", "A");
        if let SchemaKind::Object { properties, .. } = &mut c.kind {
            properties[0].2 = false;
        }
        let schemas = BTreeMap::from([
            ("A".to_string(), requires("b", "B")),
            ("B".to_string(), requires("c", "C")),
            ("C".to_string(), c),
        ]);
        assert!(infinite_schemas(&schemas).is_empty());
        let tree = Schema::of(SchemaKind::Object {
            properties: vec![(
                "children".into(),
                Schema::of(SchemaKind::Array(Box::new(Schema::of(SchemaKind::Ref(
                    "T".into(),
                ))))),
                true,
            )],
            additional: None,
        });
        let schemas = BTreeMap::from([("T".to_string(), tree)]);
        assert!(
            infinite_schemas(&schemas).is_empty(),
            "an empty list ends a tree"
        );
    }
}
