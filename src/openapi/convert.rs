//! OpenAPI 3.0 (typed by the `openapiv3` crate) to our catalog types. References are kept by name
//! for schemas and resolved for parameters, bodies, responses and examples; every problem is recorded
//! with its path inside the document (`paths./a.get.responses.200`).

use super::locate::child;
use crate::catalog::{
    Example, GatewayPath, MediaType, Operation, ParamIn, ParamStyle, Parameter, RequestBody,
    Response, Schema, SchemaKind, SecurityScheme, Spec, SpecFormat,
};
use crate::diag::Span;
use openapiv3::{Components, OpenAPI, ReferenceOr};
use serde_json::Value;
use std::collections::BTreeMap;

/// A problem in a document: where (JSON pointer) and what.
pub(super) type Problem = (String, String);

/// Where a JSON pointer of the document is written.
pub(super) type Locate<'l> = &'l dyn Fn(&str) -> Span;

struct Ctx<'a> {
    components: Option<&'a Components>,
    problems: Vec<Problem>,
    locate: Locate<'a>,
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// A path item given as a reference to another path of the same document (`#/paths/~1users`), as
/// Swagger UI and Redoc follow it: the JSON pointer's `~1`/`~0` escapes and URI percent-escapes undone.
fn local_path_item<'d>(doc: &'d OpenAPI, reference: &str) -> Option<&'d openapiv3::PathItem> {
    let token = reference.strip_prefix("#/paths/")?;
    let token = percent_encoding::percent_decode_str(token)
        .decode_utf8()
        .ok()?;
    let key = token.replace("~1", "/").replace("~0", "~");
    match doc.paths.paths.get(&key)? {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { .. } => None,
    }
}

/// Convert a 3.0-shaped document.
pub(super) fn convert(
    doc: &OpenAPI,
    format: SpecFormat,
    webhooks: Vec<String>,
    locate: Locate<'_>,
) -> (Spec, Vec<Problem>) {
    let mut ctx = Ctx {
        components: doc.components.as_ref(),
        problems: Vec::new(),
        locate,
    };
    let servers = server_urls(&doc.servers);
    let mut operations = Vec::new();
    let mut anchors: Vec<String> = Vec::new();
    for (path, item) in doc.paths.iter() {
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => match local_path_item(doc, reference) {
                Some(target) => target,
                None => {
                    ctx.problems.push((child("/paths", path), format!("path item reference `{reference}` is not supported (only `#/paths/...` within the document); write the path item inline")));
                    continue;
                }
            },
        };
        for (method, op) in item.iter() {
            let item_at = child("/paths", path);
            let at = child(&item_at, method);
            let mut parameters: Vec<Parameter> = Vec::new();
            let own = op
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (p, format!("{at}/parameters/{i}")));
            let shared = item
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (p, format!("{item_at}/parameters/{i}")));
            for (p, p_at) in own.chain(shared) {
                if let Some(param) = ctx.parameter(p, &p_at) {
                    if !parameters
                        .iter()
                        .any(|q| q.name == param.name && q.location == param.location)
                    {
                        parameters.push(param);
                    }
                }
            }
            let request_body = op
                .request_body
                .as_ref()
                .and_then(|b| ctx.request_body(b, &format!("{at}/requestBody")));
            let mut responses = Vec::new();
            for (status, r) in &op.responses.responses {
                if let Some(r) =
                    ctx.response(&status.to_string(), r, &format!("{at}/responses/{status}"))
                {
                    responses.push(r);
                }
            }
            if let Some(r) = &op.responses.default {
                if let Some(r) = ctx.response("default", r, &format!("{at}/responses/default")) {
                    responses.push(r);
                }
            }
            let requirements: Vec<Vec<(String, Vec<String>)>> = op
                .security
                .as_ref()
                .or(doc.security.as_ref())
                .map(|reqs| {
                    reqs.iter()
                        .map(|req| req.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .collect()
                })
                .unwrap_or_default();
            let security = requirements.iter().flatten().cloned().collect();
            let base = op
                .operation_id
                .as_deref()
                .map(anchor_of)
                .unwrap_or_else(|| {
                    format!(
                        "{method}-{}",
                        crate::slug::slugify(&path.replace(['/', '{', '}'], " "))
                    )
                });
            let mut anchor = base.clone();
            let mut n = 1;
            while anchors.contains(&anchor) {
                anchor = format!("{base}-{n}");
                n += 1;
            }
            anchors.push(anchor.clone());
            // The operation's own servers, else its path item's, else the document's.
            let own_servers = [&op.servers, &item.servers]
                .into_iter()
                .find(|s| !s.is_empty())
                .map(|s| {
                    server_urls(s)
                        .into_iter()
                        .map(|u| against_origin(&u, servers.first()))
                        .collect::<Vec<_>>()
                });
            let server = own_servers
                .as_ref()
                .unwrap_or(&servers)
                .first()
                .map_or("", |s| s.trim_end_matches('/'));
            let full_path = format!("{}{}", url_path(server).trim_end_matches('/'), path);
            operations.push(Operation {
                anchor,
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                gateway: GatewayPath::Direct(format!("{server}{path}")),
                full_path,
                summary: op.summary.clone().unwrap_or_default(),
                description: op.description.clone().unwrap_or_default(),
                deprecated: op.deprecated,
                tags: op.tags.clone(),
                parameters,
                request_body,
                responses,
                security,
                requirements,
                span: (ctx.locate)(&at),
            });
        }
    }
    let mut schemas = BTreeMap::new();
    let mut schema_spans = BTreeMap::new();
    let mut security_schemes = BTreeMap::new();
    if let Some(components) = doc.components.as_ref() {
        for (name, schema) in &components.schemas {
            let at = child("/components/schemas", name);
            let converted = ctx.schema(schema, &at);
            schemas.insert(name.clone(), converted);
            schema_spans.insert(name.clone(), (ctx.locate)(&at));
        }
        for (name, scheme) in &components.security_schemes {
            if let ReferenceOr::Item(scheme) = scheme {
                security_schemes.insert(name.clone(), security_scheme(scheme));
            }
        }
    }
    let spec = Spec {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone().unwrap_or_default(),
        format,
        servers,
        operations,
        schemas,
        schema_spans,
        security_schemes,
        webhooks,
        converted: None,
    };
    (spec, ctx.problems)
}

/// A relative server URL (`/v2`) on the origin of the document's first server, when that one is
/// absolute; an absolute URL as it is.
fn against_origin(url: &str, document: Option<&String>) -> String {
    match document.and_then(|d| url::Url::parse(d).ok()) {
        Some(base) if url.starts_with('/') => base
            .join(url)
            .map_or_else(|_| url.to_string(), String::from),
        _ => url.to_string(),
    }
}

/// Server URLs with each variable filled by its default.
fn server_urls(servers: &[openapiv3::Server]) -> Vec<String> {
    servers
        .iter()
        .map(|s| {
            let mut url = s.url.clone();
            for (name, var) in s.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &var.default);
            }
            url
        })
        .collect()
}

/// An anchor from an operationId: kept as written when it is URL-safe, else slugified.
fn anchor_of(id: &str) -> String {
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        id.to_string()
    } else {
        crate::slug::slugify(id)
    }
}

/// The path part of a URL (`https://h/a/b` → `/a/b`; a relative URL is its own path).
pub fn url_path(url: &str) -> String {
    let rest = url
        .split_once("://")
        .map_or(url, |(_, r)| r.split_once('/').map_or("", |(_, p)| p));
    let rest = if url.contains("://") {
        format!("/{rest}")
    } else {
        rest.to_string()
    };
    rest.split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

fn security_scheme(scheme: &openapiv3::SecurityScheme) -> SecurityScheme {
    match scheme {
        openapiv3::SecurityScheme::APIKey { location, name, .. } => SecurityScheme::ApiKey {
            name: name.clone(),
            location: match location {
                openapiv3::APIKeyLocation::Query => "query",
                openapiv3::APIKeyLocation::Header => "header",
                openapiv3::APIKeyLocation::Cookie => "cookie",
            }
            .into(),
        },
        openapiv3::SecurityScheme::HTTP { scheme, .. } => SecurityScheme::Http {
            scheme: scheme.clone(),
        },
        openapiv3::SecurityScheme::OAuth2 { flows, .. } => {
            let mut scopes = BTreeMap::new();
            let all = [
                flows.implicit.as_ref().map(|f| &f.scopes),
                flows.password.as_ref().map(|f| &f.scopes),
                flows.client_credentials.as_ref().map(|f| &f.scopes),
                flows.authorization_code.as_ref().map(|f| &f.scopes),
            ];
            for map in all.into_iter().flatten() {
                scopes.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            SecurityScheme::OAuth2 { scopes }
        }
        openapiv3::SecurityScheme::OpenIDConnect {
            open_id_connect_url,
            ..
        } => SecurityScheme::OpenIdConnect {
            url: open_id_connect_url.clone(),
        },
    }
}

impl Ctx<'_> {
    /// Follow a chain of `$ref`s to a component of one kind: the item and the pointer where it is
    /// written. A reference that points at nothing, or a chain that comes back to itself, is a
    /// problem at `at` that names the chain.
    fn resolve<'r, T>(
        &mut self,
        item: &'r ReferenceOr<T>,
        prefix: &str,
        pick: impl Fn(&'r Components, &str) -> Option<&'r ReferenceOr<T>>,
        at: &str,
    ) -> Option<(&'r T, String)>
    where
        Self: 'r,
    {
        let mut current = item;
        let mut pointer = at.to_string();
        let mut chain: Vec<&str> = Vec::new();
        loop {
            match current {
                ReferenceOr::Item(t) => return Some((t, pointer)),
                ReferenceOr::Reference { reference } => {
                    if chain.contains(&reference.as_str()) {
                        chain.push(reference);
                        self.problems.push((
                            at.to_string(),
                            format!(
                                "`$ref` cycle: {} (a reference must end at a definition)",
                                chain.join(" → ")
                            ),
                        ));
                        return None;
                    }
                    chain.push(reference);
                    let next = reference
                        .strip_prefix(prefix)
                        .and_then(|name| self.components.and_then(|c| pick(c, name)));
                    match next {
                        Some(next) => {
                            pointer = reference.trim_start_matches('#').to_string();
                            current = next;
                        }
                        None => {
                            self.problems
                                .push((at.to_string(), reference_problem(reference)));
                            return None;
                        }
                    }
                }
            }
        }
    }

    fn parameter(&mut self, p: &ReferenceOr<openapiv3::Parameter>, at: &str) -> Option<Parameter> {
        let (p, _) = self.resolve(
            p,
            "#/components/parameters/",
            |c, n| c.parameters.get(n),
            at,
        )?;
        let (data, location, style) = match p {
            openapiv3::Parameter::Query {
                parameter_data,
                style,
                ..
            } => (
                parameter_data,
                ParamIn::Query,
                match style {
                    openapiv3::QueryStyle::Form => ParamStyle::Form,
                    openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                },
            ),
            openapiv3::Parameter::Header { parameter_data, .. } => {
                (parameter_data, ParamIn::Header, ParamStyle::Simple)
            }
            openapiv3::Parameter::Path {
                parameter_data,
                style,
                ..
            } => (
                parameter_data,
                ParamIn::Path,
                match style {
                    openapiv3::PathStyle::Simple => ParamStyle::Simple,
                    openapiv3::PathStyle::Label => ParamStyle::Label,
                    openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
                },
            ),
            openapiv3::Parameter::Cookie { parameter_data, .. } => {
                (parameter_data, ParamIn::Cookie, ParamStyle::Form)
            }
        };
        let schema = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(s) => {
                self.schema(s, &format!("{at}/schema"))
            }
            openapiv3::ParameterSchemaOrContent::Content(content) => content
                .iter()
                .next()
                .and_then(|(media, m)| m.schema.as_ref().map(|s| (media, s)))
                .map(|(media, s)| {
                    self.schema(
                        s,
                        &format!("{}/schema", child(&format!("{at}/content"), media)),
                    )
                })
                .unwrap_or_default(),
        };
        let example = data
            .example
            .clone()
            .or_else(|| {
                data.examples
                    .values()
                    .find_map(|e| e.as_item().and_then(|e| e.value.clone()))
            })
            .or_else(|| schema.example.clone());
        Some(Parameter {
            name: data.name.clone(),
            location,
            required: data.required || location == ParamIn::Path,
            description: data.description.clone().unwrap_or_default(),
            schema,
            example,
            deprecated: data.deprecated.unwrap_or(false),
            style,
            // OpenAPI's default: exploded for `form`, not for the other styles.
            explode: data.explode.unwrap_or(style == ParamStyle::Form),
            span: (self.locate)(at),
        })
    }

    fn media_types(&mut self, content: &openapiv3::Content, at: &str) -> Vec<MediaType> {
        content
            .iter()
            .map(|(media_type, m)| {
                let m_at = child(&format!("{at}/content"), media_type);
                let schema = m
                    .schema
                    .as_ref()
                    .map(|s| self.schema(s, &format!("{m_at}/schema")));
                let mut examples = Vec::new();
                if let Some(e) = &m.example {
                    examples.push(Example {
                        name: "default".to_string(),
                        value: e.clone(),
                        span: (self.locate)(&format!("{m_at}/example")),
                    });
                }
                for (name, e) in &m.examples {
                    let e_at = child(&format!("{m_at}/examples"), name);
                    let resolved =
                        self.resolve(e, "#/components/examples/", |c, n| c.examples.get(n), &e_at);
                    if let Some((example, pointer)) = resolved {
                        if let Some(value) = example.value.clone() {
                            examples.push(Example {
                                name: name.clone(),
                                value,
                                span: (self.locate)(&format!("{pointer}/value")),
                            });
                        }
                    }
                }
                if examples.is_empty() {
                    if let Some(e) = schema.as_ref().and_then(|s| s.example.clone()) {
                        examples.push(Example {
                            name: "default".to_string(),
                            value: e,
                            span: (self.locate)(&format!("{m_at}/schema/example")),
                        });
                    }
                }
                MediaType {
                    media_type: media_type.clone(),
                    schema,
                    examples,
                    span: (self.locate)(&m_at),
                }
            })
            .collect()
    }

    fn request_body(
        &mut self,
        b: &ReferenceOr<openapiv3::RequestBody>,
        at: &str,
    ) -> Option<RequestBody> {
        let (body, pointer) = self.resolve(
            b,
            "#/components/requestBodies/",
            |c, n| c.request_bodies.get(n),
            at,
        )?;
        let body = body.clone();
        Some(RequestBody {
            required: body.required,
            description: body.description.clone().unwrap_or_default(),
            content: self.media_types(&body.content, &pointer),
        })
    }

    fn response(
        &mut self,
        status: &str,
        r: &ReferenceOr<openapiv3::Response>,
        at: &str,
    ) -> Option<Response> {
        let (r, pointer) =
            self.resolve(r, "#/components/responses/", |c, n| c.responses.get(n), at)?;
        let r = r.clone();
        Some(Response {
            status: status.to_string(),
            description: r.description.clone(),
            content: self.media_types(&r.content, &pointer),
            bodiless_media_types: r
                .extensions
                .get(super::upgrade::PRODUCES_EXTENSION)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        })
    }

    fn schema<T: serde::Serialize>(&mut self, s: &ReferenceOr<T>, at: &str) -> Schema {
        match s {
            ReferenceOr::Reference { reference } => self.reference(reference, at),
            ReferenceOr::Item(item) => {
                let value = serde_json::to_value(item).unwrap_or(Value::Null);
                self.schema_value(&value, at)
            }
        }
    }

    fn reference(&mut self, reference: &str, at: &str) -> Schema {
        match reference.strip_prefix(SCHEMA_PREFIX) {
            Some(name)
                if self
                    .components
                    .is_some_and(|c| c.schemas.contains_key(name)) =>
            {
                Schema::of(SchemaKind::Ref(name.to_string()))
            }
            _ => {
                self.problems
                    .push((at.to_string(), reference_problem(reference)));
                Schema::default()
            }
        }
    }

    fn schema_value(&mut self, v: &Value, at: &str) -> Schema {
        if let Some(reference) = v["$ref"].as_str() {
            return self.reference(reference, at);
        }
        let list = |ctx: &mut Self, key: &str| -> Vec<Schema> {
            v[key]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, s)| ctx.schema_value(s, &format!("{at}/{key}/{i}")))
                .collect()
        };
        // `properties` (or `type`, `required`) beside a combinator constrain the same value: the
        // schema is both (`allOf` of the rest and the combinator), as JSON Schema reads it.
        let combinator = ["oneOf", "anyOf", "allOf"]
            .into_iter()
            .find(|k| v.get(*k).is_some());
        if let Some(key) = combinator {
            let siblings = ["properties", "type", "required", "additionalProperties"];
            if let (Some(object), true) =
                (v.as_object(), siblings.iter().any(|k| v.get(*k).is_some()))
            {
                let mut rest = object.clone();
                rest.remove(key);
                let mut only = serde_json::Map::new();
                only.insert(key.to_string(), v[key].clone());
                let base = self.schema_value(&Value::Object(rest), at);
                let part = self.schema_value(&Value::Object(only), at);
                // `additionalProperties: false` closes the object part, where the properties are.
                return Schema {
                    kind: SchemaKind::AllOf(vec![
                        Schema {
                            kind: base.kind.clone(),
                            closed: base.closed,
                            ..Schema::default()
                        },
                        part,
                    ]),
                    closed: false,
                    ..base
                };
            }
        }
        let kind = if v.get("oneOf").is_some() {
            SchemaKind::OneOf(list(self, "oneOf"))
        } else if v.get("anyOf").is_some() {
            SchemaKind::AnyOf(list(self, "anyOf"))
        } else if v.get("allOf").is_some() {
            SchemaKind::AllOf(list(self, "allOf"))
        } else {
            match v["type"].as_str() {
                Some("string") => SchemaKind::String,
                Some("integer") => SchemaKind::Integer,
                Some("number") => SchemaKind::Number,
                Some("boolean") => SchemaKind::Boolean,
                Some("array") => SchemaKind::Array(Box::new(match v.get("items") {
                    Some(items) => self.schema_value(items, &format!("{at}/items")),
                    None => Schema::default(),
                })),
                Some("object") | None
                    if v.get("properties").is_some()
                        || v.get("required").is_some()
                        || v["type"] == "object" =>
                {
                    let required: Vec<&str> = v["required"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    // A required name without a schema of its own (an option of a `oneOf` that
                    // says which of the parent's properties it needs) must still be present.
                    let unlisted: Vec<(String, Schema, bool)> = required
                        .iter()
                        .filter(|n| v["properties"].get(**n).is_none())
                        .map(|n| (n.to_string(), Schema::default(), true))
                        .collect();
                    let properties = v["properties"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(name, s)| {
                            (
                                name.clone(),
                                self.schema_value(s, &child(&format!("{at}/properties"), name)),
                                required.contains(&name.as_str()),
                            )
                        })
                        .chain(unlisted)
                        .collect();
                    let additional =
                        v.get("additionalProperties")
                            .filter(|a| a.is_object())
                            .map(|a| {
                                Box::new(
                                    self.schema_value(a, &format!("{at}/additionalProperties")),
                                )
                            });
                    SchemaKind::Object {
                        properties,
                        additional,
                    }
                }
                _ => SchemaKind::Any,
            }
        };
        let number = |keys: &[&str]| keys.iter().find_map(|k| v[*k].as_f64());
        // Each bound applies to its own kind only (`maximum` on a string constrains nothing).
        let (min_key, max_key) = match kind {
            SchemaKind::String => ("minLength", "maxLength"),
            SchemaKind::Integer | SchemaKind::Number => ("minimum", "maximum"),
            SchemaKind::Array(_) => ("minItems", "maxItems"),
            _ => ("", ""),
        };
        Schema {
            kind,
            title: v["title"].as_str().map(str::to_string),
            description: v["description"].as_str().unwrap_or_default().to_string(),
            format: v["format"].as_str().map(str::to_string),
            nullable: v["nullable"].as_bool().unwrap_or(false),
            enumeration: v["enum"].as_array().cloned().unwrap_or_default(),
            default: v.get("default").cloned(),
            example: v.get("example").cloned(),
            read_only: v["readOnly"].as_bool().unwrap_or(false),
            write_only: v["writeOnly"].as_bool().unwrap_or(false),
            deprecated: v["deprecated"].as_bool().unwrap_or(false),
            minimum: number(&[min_key]),
            maximum: number(&[max_key]),
            pattern: v["pattern"].as_str().map(str::to_string),
            example_span: v
                .get("example")
                .map(|_| (self.locate)(&format!("{at}/example"))),
            unique_items: v["uniqueItems"].as_bool().unwrap_or(false),
            closed: v["additionalProperties"] == Value::Bool(false),
            not: v
                .get("not")
                .filter(|n| n.is_object())
                .map(|n| Box::new(self.schema_value(n, &format!("{at}/not")))),
        }
    }
}

fn reference_problem(reference: &str) -> String {
    if reference.starts_with('#') {
        format!("`$ref: {reference}` points at nothing in this document")
    } else {
        format!("`$ref: {reference}` is remote; bundle the spec into one file (remote references are not fetched)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths() {
        assert_eq!(
            url_path("https://gw-uio.intark.uh-it.no/test/lonn/v1"),
            "/test/lonn/v1"
        );
        assert_eq!(url_path("http://oidc-ver2.difi.no"), "/");
        assert_eq!(url_path("/v1"), "/v1");
    }
}
