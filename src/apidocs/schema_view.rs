//! A readable, nested view of a schema: properties with type, format, required marker, enum values
//! and description. Named schemas are links (to their section), expanded only at the top, so views stay
//! small and a cycle can never recurse.

use super::{code_list, esc, markdown_html};
use crate::catalog::{Schema, SchemaKind};
use std::collections::BTreeMap;
use std::fmt::Write;

/// How deep inline objects are expanded.
const MAX_DEPTH: usize = 4;

/// The view of a schema; `schema_href(name)` gives the link to a named schema.
pub(super) fn view(
    schema: &Schema,
    schemas: &BTreeMap<String, Schema>,
    schema_href: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::new();
    // A body that is a named schema shows that schema's properties, with a link to it.
    if let SchemaKind::Ref(name) = &schema.kind {
        let _ = write!(
            out,
            "<p class=\"schema-ref\">Skjema: <a href=\"{}\">{}</a></p>",
            esc(&schema_href(name)),
            esc(name)
        );
        if let Some(target) = schemas.get(name) {
            body(target, schema_href, 0, &mut out);
        }
        return out;
    }
    body(schema, schema_href, 0, &mut out);
    out
}

fn body(schema: &Schema, href: &dyn Fn(&str) -> String, depth: usize, out: &mut String) {
    match &schema.kind {
        SchemaKind::Object {
            properties,
            additional,
        } if !properties.is_empty() || additional.is_some() => {
            out.push_str("<ul class=\"schema\">");
            for (name, prop, required) in properties {
                let _ = write!(
                    out,
                    "<li><code class=\"prop\">{}</code> {}",
                    esc(name),
                    type_label(prop, href)
                );
                if *required {
                    out.push_str(" <span class=\"required\">påkrevd</span>");
                }
                details(prop, out);
                if depth < MAX_DEPTH {
                    nested(prop, href, depth + 1, out);
                }
                out.push_str("</li>");
            }
            if let Some(extra) = additional {
                let _ = write!(
                    out,
                    "<li><em>andre nøkler</em> {}</li>",
                    type_label(extra, href)
                );
            }
            out.push_str("</ul>");
        }
        SchemaKind::OneOf(parts) | SchemaKind::AnyOf(parts) | SchemaKind::AllOf(parts) => {
            let label = match &schema.kind {
                SchemaKind::OneOf(_) => "Nøyaktig ett av",
                SchemaKind::AnyOf(_) => "Ett eller flere av",
                _ => "Alle disse",
            };
            let _ = write!(
                out,
                "<p class=\"schema-combinator\">{label}:</p><ol class=\"schema-variants\">"
            );
            for part in parts {
                let _ = write!(out, "<li>{}", type_label(part, href));
                details(part, out);
                if depth < MAX_DEPTH {
                    nested(part, href, depth + 1, out);
                }
                out.push_str("</li>");
            }
            out.push_str("</ol>");
        }
        SchemaKind::Array(items) => {
            let _ = write!(out, "<p>Liste av {}</p>", type_label(items, href));
            if depth < MAX_DEPTH {
                nested(items, href, depth + 1, out);
            }
        }
        _ => {
            let _ = write!(out, "<p>{}</p>", type_label(schema, href));
            details(schema, out);
        }
    }
}

fn nested(schema: &Schema, href: &dyn Fn(&str) -> String, depth: usize, out: &mut String) {
    match &schema.kind {
        SchemaKind::Object { properties, .. } if !properties.is_empty() => {
            body(schema, href, depth, out)
        }
        SchemaKind::Array(items) => nested(items, href, depth, out),
        SchemaKind::OneOf(_) | SchemaKind::AnyOf(_) | SchemaKind::AllOf(_) => {
            body(schema, href, depth, out)
        }
        _ => {}
    }
}

/// `string (date)`, `liste av Person`, a link for named schemas.
pub(super) fn type_label(schema: &Schema, href: &dyn Fn(&str) -> String) -> String {
    let base = match &schema.kind {
        SchemaKind::Ref(name) => format!(
            "<a class=\"type\" href=\"{}\">{}</a>",
            esc(&href(name)),
            esc(name)
        ),
        SchemaKind::Array(items) => format!(
            "<span class=\"type\">liste av</span> {}",
            type_label(items, href)
        ),
        other => {
            let name = match other {
                SchemaKind::String => "string",
                SchemaKind::Integer => "integer",
                SchemaKind::Number => "number",
                SchemaKind::Boolean => "boolean",
                SchemaKind::Object { .. } => "object",
                SchemaKind::OneOf(_) => "oneOf",
                SchemaKind::AnyOf(_) => "anyOf",
                SchemaKind::AllOf(_) => "allOf",
                _ => "any",
            };
            format!("<span class=\"type\">{name}</span>")
        }
    };
    let mut label = base;
    if let Some(format) = &schema.format {
        let _ = write!(label, " <span class=\"format\">({})</span>", esc(format));
    }
    if schema.nullable {
        label.push_str(" <span class=\"format\">| null</span>");
    }
    label
}

fn details(schema: &Schema, out: &mut String) {
    if schema.deprecated {
        out.push_str(" <span class=\"badge-deprecated\">utgått</span>");
    }
    if schema.read_only {
        out.push_str(" <span class=\"format\">kun lesing</span>");
    }
    if !schema.description.is_empty() {
        let _ = write!(
            out,
            "<div class=\"schema-description\">{}</div>",
            markdown_html(&schema.description)
        );
    }
    if !schema.enumeration.is_empty() {
        let _ = write!(
            out,
            "<p class=\"schema-enum\">Tillatte verdier: {}</p>",
            code_list(&schema.enumeration)
        );
    }
    if let Some(d) = &schema.default {
        let _ = write!(
            out,
            "<p class=\"schema-default\">Standard: <code>{}</code></p>",
            esc(&d.to_string())
        );
    }
    if let Some(p) = &schema.pattern {
        let _ = write!(
            out,
            "<p class=\"schema-pattern\">Mønster: <code>{}</code></p>",
            esc(p)
        );
    }
}
