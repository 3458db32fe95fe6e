//! The schema explorer's data: a schema as a tree of nodes (properties, list items, `oneOf`/`anyOf`/
//! `allOf` variants) with type, format, required marker, enum values and constraints. Named schemas
//! are expanded in place up to `expand_refs` inside each other and are links beyond that (their own
//! section shows them in full); a schema that refers to itself (a cycle) is always a link, so the
//! tree is finite and pages stay small. Every node has an id for deep links.

use super::markdown_html;
use crate::catalog::{Schema, SchemaKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many levels of nesting are shown in place.
const MAX_DEPTH: usize = 5;

/// A type as shown: `string (date)`, `list of Person`, with a link for named schemas.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TypeView {
    /// How many times "list of" comes before the name.
    pub list: usize,
    /// `string`, `integer`, …, or the schema's name.
    pub name: String,
    /// Link to the named schema.
    pub href: Option<String>,
    /// `format`.
    pub format: Option<String>,
    /// Accepts `null`.
    pub nullable: bool,
}

/// A constraint: a translation key (`minimum`, `max_length`, …) and its value.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Constraint {
    /// Translation key.
    pub key: &'static str,
    /// Value.
    pub value: String,
}

/// One node of the explorer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Node {
    /// Id for deep links.
    pub id: String,
    /// Property name (`None` for a root, a list item or a variant).
    pub name: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub ty: TypeView,
    /// Required in its object.
    pub required: bool,
    /// Deprecated.
    pub deprecated: bool,
    /// Read only.
    pub read_only: bool,
    /// Write only.
    pub write_only: bool,
    /// Sanitized HTML description.
    pub description: String,
    /// Allowed values, as JSON text.
    pub enumeration: Vec<String>,
    /// Default, as JSON text.
    pub default: Option<String>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// Bounds.
    pub constraints: Vec<Constraint>,
    /// `one_of`, `any_of` or `all_of` when the node is a choice (translation key).
    pub combinator: Option<&'static str>,
    /// The choices.
    pub variants: Vec<Node>,
    /// Object properties (of the object itself or of the list's items).
    pub properties: Vec<Node>,
    /// `additionalProperties`.
    pub additional: Option<Box<Node>>,
    /// A named schema already open above this node: shown as a link only.
    pub cycle: bool,
}

/// Builds nodes for one spec's schemas.
pub(super) struct Explorer<'a> {
    /// Named schemas of the spec.
    pub schemas: &'a BTreeMap<String, Schema>,
    /// Link to a named schema.
    pub href: &'a dyn Fn(&str) -> String,
    /// How many named schemas may be open inside each other; deeper ones are links.
    pub expand_refs: usize,
}

impl Explorer<'_> {
    /// The tree of `schema`, its ids starting with `id`.
    pub(super) fn tree(&self, schema: &Schema, id: &str) -> Node {
        let mut open = Vec::new();
        self.node(schema, None, false, id.to_string(), 0, &mut open)
    }

    /// The type of `schema` as shown.
    pub(super) fn type_view(&self, schema: &Schema) -> TypeView {
        let mut list = 0;
        let mut s = schema;
        while let SchemaKind::Array(items) = &s.kind {
            list += 1;
            s = items;
        }
        let (name, href) = match &s.kind {
            SchemaKind::Ref(name) => (name.clone(), Some((self.href)(name))),
            SchemaKind::String => ("string".into(), None),
            SchemaKind::Integer => ("integer".into(), None),
            SchemaKind::Number => ("number".into(), None),
            SchemaKind::Boolean => ("boolean".into(), None),
            SchemaKind::Object { .. } => ("object".into(), None),
            SchemaKind::OneOf(_) => ("oneOf".into(), None),
            SchemaKind::AnyOf(_) => ("anyOf".into(), None),
            SchemaKind::AllOf(_) => ("allOf".into(), None),
            SchemaKind::Any | SchemaKind::Array(_) => ("any".into(), None),
        };
        TypeView {
            list,
            name,
            href,
            format: s.format.clone().or_else(|| schema.format.clone()),
            nullable: schema.nullable || s.nullable,
        }
    }

    fn node(
        &self,
        schema: &Schema,
        name: Option<&str>,
        required: bool,
        id: String,
        depth: usize,
        open: &mut Vec<String>,
    ) -> Node {
        let mut node = Node {
            ty: self.type_view(schema),
            name: name.map(str::to_string),
            required,
            deprecated: schema.deprecated,
            read_only: schema.read_only,
            write_only: schema.write_only,
            description: if schema.description.is_empty() {
                String::new()
            } else {
                markdown_html(&schema.description)
            },
            enumeration: schema.enumeration.iter().map(|v| v.to_string()).collect(),
            default: schema.default.as_ref().map(|v| v.to_string()),
            pattern: schema.pattern.clone(),
            constraints: constraints(schema),
            combinator: None,
            variants: Vec::new(),
            properties: Vec::new(),
            additional: None,
            cycle: false,
            id,
        };
        // The shape to expand: list items and references are looked through.
        let mut shape = schema;
        while let SchemaKind::Array(items) = &shape.kind {
            shape = items;
        }
        let mut pushed = false;
        if let SchemaKind::Ref(target) = &shape.kind {
            if open.contains(target) {
                node.cycle = true;
                return node;
            }
            if open.len() >= self.expand_refs {
                return node;
            }
            let Some(resolved) = self.schemas.get(target) else {
                return node;
            };
            if node.description.is_empty() && !resolved.description.is_empty() {
                node.description = markdown_html(&resolved.description);
            }
            if node.enumeration.is_empty() {
                node.enumeration = resolved.enumeration.iter().map(|v| v.to_string()).collect();
            }
            open.push(target.clone());
            pushed = true;
            shape = resolved;
        }
        if depth < MAX_DEPTH {
            self.children(shape, &mut node, depth, open);
        }
        if pushed {
            open.pop();
        }
        node
    }

    fn children(&self, shape: &Schema, node: &mut Node, depth: usize, open: &mut Vec<String>) {
        match &shape.kind {
            SchemaKind::Object {
                properties,
                additional,
            } => {
                for (name, prop, required) in properties {
                    let id = format!("{}.{}", node.id, id_part(name));
                    let child = self.node(prop, Some(name), *required, id, depth + 1, open);
                    node.properties.push(child);
                }
                if let Some(extra) = additional {
                    let id = format!("{}.additional", node.id);
                    let child = self.node(extra, None, false, id, depth + 1, open);
                    node.additional = Some(Box::new(child));
                }
            }
            SchemaKind::OneOf(parts) | SchemaKind::AnyOf(parts) | SchemaKind::AllOf(parts) => {
                node.combinator = Some(match &shape.kind {
                    SchemaKind::OneOf(_) => "one_of",
                    SchemaKind::AnyOf(_) => "any_of",
                    _ => "all_of",
                });
                for (i, part) in parts.iter().enumerate() {
                    let id = format!("{}.{}", node.id, i + 1);
                    let child = self.node(part, None, false, id, depth + 1, open);
                    node.variants.push(child);
                }
            }
            _ => {}
        }
    }
}

/// A property name as part of an id: letters, digits, `-` and `_` kept, anything else `-`.
fn id_part(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Bounds, named for what they bound (a string's length, a list's items, a number's value).
fn constraints(schema: &Schema) -> Vec<Constraint> {
    let (min, max) = match &schema.kind {
        SchemaKind::String => ("min_length", "max_length"),
        SchemaKind::Array(_) => ("min_items", "max_items"),
        _ => ("minimum", "maximum"),
    };
    let mut out = Vec::new();
    if let Some(n) = schema.minimum {
        out.push(Constraint {
            key: min,
            value: number(n),
        });
    }
    if let Some(n) = schema.maximum {
        out.push(Constraint {
            key: max,
            value: number(n),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(props: Vec<(&str, Schema, bool)>) -> Schema {
        Schema::of(SchemaKind::Object {
            properties: props
                .into_iter()
                .map(|(n, s, r)| (n.to_string(), s, r))
                .collect(),
            additional: None,
        })
    }

    #[test]
    fn a_cycle_becomes_a_link_and_the_tree_ends() {
        let mut schemas = BTreeMap::new();
        schemas.insert(
            "Person".to_string(),
            object(vec![
                ("navn", Schema::of(SchemaKind::String), true),
                (
                    "barn",
                    Schema::of(SchemaKind::Array(Box::new(Schema::of(SchemaKind::Ref(
                        "Person".into(),
                    ))))),
                    false,
                ),
            ]),
        );
        let href = |n: &str| format!("#schema-{n}");
        let explorer = Explorer {
            schemas: &schemas,
            href: &href,
            expand_refs: 5,
        };
        let root = explorer.tree(&Schema::of(SchemaKind::Ref("Person".into())), "op-body");
        assert_eq!(root.properties.len(), 2);
        assert!(root.properties[0].required);
        assert_eq!(root.properties[0].id, "op-body.navn");
        let barn = &root.properties[1];
        assert_eq!(barn.ty.list, 1);
        assert_eq!(barn.ty.href.as_deref(), Some("#schema-Person"));
        assert!(barn.cycle, "{barn:?}");
        assert!(barn.properties.is_empty());
        let shallow = Explorer {
            expand_refs: 0,
            ..explorer
        };
        let wrapper = object(vec![(
            "person",
            Schema::of(SchemaKind::Ref("Person".into())),
            true,
        )]);
        let root = shallow.tree(&wrapper, "w");
        assert!(
            root.properties[0].properties.is_empty(),
            "expanded: {root:?}"
        );
        let root = Explorer {
            expand_refs: 1,
            ..shallow
        }
        .tree(&wrapper, "w");
        assert_eq!(root.properties[0].properties.len(), 2);
    }

    #[test]
    fn choices_and_constraints_are_kept() {
        let mut s = Schema::of(SchemaKind::String);
        s.minimum = Some(2.0);
        s.maximum = Some(10.0);
        let choice = Schema::of(SchemaKind::OneOf(vec![s, Schema::of(SchemaKind::Integer)]));
        let href = |n: &str| n.to_string();
        let schemas = BTreeMap::new();
        let explorer = Explorer {
            schemas: &schemas,
            href: &href,
            expand_refs: 1,
        };
        let root = explorer.tree(&choice, "x");
        assert_eq!(root.combinator, Some("one_of"));
        assert_eq!(root.variants.len(), 2);
        let keys: Vec<_> = root.variants[0]
            .constraints
            .iter()
            .map(|c| (c.key, c.value.as_str()))
            .collect();
        assert_eq!(keys, [("min_length", "2"), ("max_length", "10")]);
    }
}
