//! The view of one operation: method and path, gateway path, parameters, request body and responses
//! (each with its schema tree), security, the curl and PowerShell examples, example bodies per status
//! code (the spec's, or values made from the schema) and the data of its try-it form.

use super::schema_view::{Explorer, Node, TypeView};
use super::{markdown_html, Options};
use crate::apigen::{snippet, synth};
use crate::catalog::{Api, GatewayPath, MediaType, Operation, ParamIn, SecurityScheme, Spec};
use serde::Serialize;

/// An operation as the templates see it.
#[derive(Debug, Serialize)]
pub struct OperationView {
    /// Heading id.
    pub anchor: String,
    /// `GET`.
    pub method: String,
    /// `get` (for the badge's class).
    pub method_class: String,
    /// The spec's path.
    pub path: String,
    /// Heading level.
    pub level: u8,
    /// Summary.
    pub summary: String,
    /// Sanitized HTML description.
    pub description: String,
    /// Deprecated.
    pub deprecated: bool,
    /// Where it is called.
    pub gateway: GatewayView,
    /// Parameters.
    pub parameters: Vec<ParamView>,
    /// Request body.
    pub body: Option<BodyView>,
    /// Responses.
    pub responses: Vec<ResponseView>,
    /// Security requirements.
    pub security: Vec<SecurityView>,
    /// Highlighted curl command (HTML from the highlighter).
    pub curl: String,
    /// Highlighted PowerShell command.
    pub powershell: String,
    /// Example bodies for the right pane: the request's, then one per response.
    pub examples: Vec<ExampleView>,
    /// The try-it form.
    pub try_it: TryItView,
}

/// `derived`, `direct` or `assumed` and the path (or URL).
#[derive(Debug, Serialize)]
pub struct GatewayView {
    /// Kind.
    pub kind: &'static str,
    /// Path or URL.
    pub path: String,
}

/// One parameter.
#[derive(Debug, Serialize)]
pub struct ParamView {
    /// Name.
    pub name: String,
    /// `path`, `query`, `header`, `cookie`.
    pub location: &'static str,
    /// Type.
    #[serde(rename = "type")]
    pub ty: TypeView,
    /// Required.
    pub required: bool,
    /// Deprecated.
    pub deprecated: bool,
    /// Sanitized HTML.
    pub description: String,
    /// Allowed values (JSON text).
    pub enumeration: Vec<String>,
    /// Default (JSON text).
    pub default: Option<String>,
    /// Example (JSON text).
    pub example: Option<String>,
}

/// A request body.
#[derive(Debug, Serialize)]
pub struct BodyView {
    /// Required.
    pub required: bool,
    /// Sanitized HTML.
    pub description: String,
    /// Content per media type.
    pub media: Vec<MediaView>,
}

/// One media type with its schema tree.
#[derive(Debug, Serialize)]
pub struct MediaView {
    /// `application/json`.
    pub media_type: String,
    /// The schema.
    pub schema: Option<Node>,
}

/// One response.
#[derive(Debug, Serialize)]
pub struct ResponseView {
    /// `200`, `4XX`, `default`.
    pub status: String,
    /// `success`, `redirect`, `error` or `other` (for colour).
    pub class: &'static str,
    /// Description (plain text).
    pub description: String,
    /// Content.
    pub media: Vec<MediaView>,
}

/// One security requirement.
#[derive(Debug, Serialize)]
pub struct SecurityView {
    /// `api_key`, `http`, `oauth2`, `openid` or `unknown`.
    pub kind: &'static str,
    /// Scheme name in the spec.
    pub scheme: String,
    /// Header or parameter name (API keys), HTTP scheme, or discovery URL.
    pub detail: String,
    /// Where an API key goes.
    pub location: String,
    /// OAuth2 scopes.
    pub scopes: Vec<String>,
}

/// An example body.
#[derive(Debug, Serialize)]
pub struct ExampleView {
    /// Status code, or `None` for the request body.
    pub status: Option<String>,
    /// Media type.
    pub media_type: String,
    /// The spec's name for it (`None` for the default or a made-up one).
    pub name: Option<String>,
    /// Made from the schema, not written in the spec.
    pub synthesized: bool,
    /// The example as text (the script colours JSON; server-side highlighting would multiply the
    /// bytes of a page with many examples).
    pub text: String,
}

/// What the try-it form needs.
#[derive(Debug, Serialize)]
pub struct TryItView {
    /// `GET`.
    pub method: String,
    /// Path template with `{name}` placeholders (or a full URL for APIs off the gateway).
    pub path: String,
    /// The path is a full URL (the API is not behind the gateway).
    pub direct: bool,
    /// Fields for path, query and header parameters.
    pub fields: Vec<FieldView>,
    /// Body prefilled with the example.
    pub body: Option<String>,
    /// The body's media type.
    pub content_type: Option<String>,
    /// The API key header.
    pub key_header: String,
    /// The `Accept` header to send.
    pub accept: Option<String>,
}

/// One input of the try-it form.
#[derive(Debug, Serialize)]
pub struct FieldView {
    /// Element id.
    pub id: String,
    /// Parameter name.
    pub name: String,
    /// `path`, `query`, `header`.
    pub location: &'static str,
    /// Required.
    pub required: bool,
    /// Prefilled value.
    pub value: String,
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn body_text(value: &serde_json::Value, media_type: &str) -> String {
    match value {
        serde_json::Value::String(s) if !media_type.contains("json") => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

/// The view of `op`.
pub(super) fn view(
    api: &Api,
    spec: &Spec,
    op: &Operation,
    opts: &Options<'_>,
    href: &dyn Fn(&str) -> String,
    level: u8,
) -> OperationView {
    let explorer = Explorer {
        schemas: &spec.schemas,
        href,
        expand_refs: 2,
    };
    let media = |content: &[MediaType], id: &str| -> Vec<MediaView> {
        content
            .iter()
            .enumerate()
            .map(|(i, m)| MediaView {
                media_type: m.media_type.clone(),
                schema: m.schema.as_ref().map(|s| {
                    let id = if i == 0 {
                        id.to_string()
                    } else {
                        format!("{id}-{i}")
                    };
                    explorer.tree(s, &id)
                }),
            })
            .collect()
    };
    let example_of = |m: &MediaType, status: Option<&str>| -> Option<ExampleView> {
        let (name, value, synthesized) = match m.examples.first() {
            Some(e) => (
                (e.name != "default").then(|| e.name.clone()),
                e.value.clone(),
                false,
            ),
            None => (
                None,
                synth::example(m.schema.as_ref()?, &spec.schemas),
                true,
            ),
        };
        Some(ExampleView {
            status: status.map(str::to_string),
            media_type: m.media_type.clone(),
            name,
            synthesized,
            text: body_text(&value, &m.media_type),
        })
    };
    let mut examples = Vec::new();
    if let Some(body) = &op.request_body {
        examples.extend(body.content.first().and_then(|m| example_of(m, None)));
    }
    for r in &op.responses {
        examples.extend(
            r.content
                .first()
                .and_then(|m| example_of(m, Some(&r.status))),
        );
    }
    let request = snippet::request(api, spec, op, opts.gateway);
    let value_of = |p: &crate::catalog::Parameter| {
        json_text(
            &p.example
                .clone()
                .unwrap_or_else(|| synth::example(&p.schema, &spec.schemas)),
        )
    };
    let fields = op
        .parameters
        .iter()
        .filter(|p| matches!(p.location, ParamIn::Path | ParamIn::Query | ParamIn::Header))
        .filter(|p| !p.name.eq_ignore_ascii_case(&opts.gateway.key_header))
        .map(|p| FieldView {
            id: format!("{}-try-{}-{}", op.anchor, p.location.as_str(), p.name),
            name: p.name.clone(),
            location: p.location.as_str(),
            required: p.required,
            value: if p.required || p.example.is_some() {
                value_of(p)
            } else {
                String::new()
            },
        })
        .collect();
    let header = |name: &str| {
        request.headers.iter().find_map(|(n, v)| match v {
            snippet::HeaderValue::Literal(v) if n.eq_ignore_ascii_case(name) => Some(v.clone()),
            _ => None,
        })
    };
    OperationView {
        anchor: op.anchor.clone(),
        method: op.method.clone(),
        method_class: op.method.to_ascii_lowercase(),
        path: op.path.clone(),
        level,
        summary: op.summary.clone(),
        description: if op.description.is_empty() {
            String::new()
        } else {
            markdown_html(&op.description)
        },
        deprecated: op.deprecated,
        gateway: GatewayView {
            kind: match &op.gateway {
                GatewayPath::Derived(_) => "derived",
                GatewayPath::Direct(_) => "direct",
                GatewayPath::Assumed { .. } => "assumed",
            },
            path: op.gateway.path().to_string(),
        },
        parameters: op
            .parameters
            .iter()
            .map(|p| ParamView {
                name: p.name.clone(),
                location: p.location.as_str(),
                ty: explorer.type_view(&p.schema),
                required: p.required,
                deprecated: p.deprecated,
                description: if p.description.is_empty() {
                    String::new()
                } else {
                    markdown_html(&p.description)
                },
                enumeration: p.schema.enumeration.iter().map(|v| v.to_string()).collect(),
                default: p.schema.default.as_ref().map(|v| v.to_string()),
                example: p.example.as_ref().map(|v| v.to_string()),
            })
            .collect(),
        body: op.request_body.as_ref().map(|b| BodyView {
            required: b.required,
            description: if b.description.is_empty() {
                String::new()
            } else {
                markdown_html(&b.description)
            },
            media: media(&b.content, &format!("{}-body", op.anchor)),
        }),
        responses: op
            .responses
            .iter()
            .map(|r| ResponseView {
                status: r.status.clone(),
                class: match r.status.chars().next() {
                    Some('2') => "success",
                    Some('3') => "redirect",
                    Some('4' | '5') => "error",
                    _ => "other",
                },
                description: r.description.clone(),
                media: media(&r.content, &format!("{}-{}", op.anchor, r.status)),
            })
            .collect(),
        security: op
            .security
            .iter()
            .map(|(name, scopes)| {
                let (kind, detail, location) = match spec.security_schemes.get(name) {
                    Some(SecurityScheme::ApiKey { name, location }) => {
                        ("api_key", name.clone(), location.clone())
                    }
                    Some(SecurityScheme::Http { scheme }) => {
                        ("http", scheme.clone(), String::new())
                    }
                    Some(SecurityScheme::OAuth2 { .. }) => ("oauth2", String::new(), String::new()),
                    Some(SecurityScheme::OpenIdConnect { url }) => {
                        ("openid", url.clone(), String::new())
                    }
                    None => ("unknown", String::new(), String::new()),
                };
                SecurityView {
                    kind,
                    scheme: name.clone(),
                    detail,
                    location,
                    scopes: scopes.clone(),
                }
            })
            .collect(),
        curl: opts.highlighter.highlight("bash", &snippet::curl(&request)),
        powershell: opts
            .highlighter
            .highlight("powershell", &snippet::powershell(&request)),
        examples,
        try_it: TryItView {
            method: op.method.clone(),
            path: op.gateway.path().to_string(),
            direct: api.context_path.is_none(),
            fields,
            body: request.body.clone(),
            content_type: header("Content-Type"),
            key_header: opts.gateway.key_header.clone(),
            accept: header("Accept"),
        },
    }
}
