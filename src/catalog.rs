//! The API catalog as our own plain data: APIs (from Gravitee exports or bare specs), their specs,
//! operations, parameters and schemas. OpenAPI 3.0/3.1, Swagger 2.0 and Gravitee exports are all
//! converted into these types by `openapi`; nothing else sees the input formats.

use crate::diag::Span;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// All APIs of the site.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// APIs sorted by title.
    pub apis: Vec<Api>,
}

/// One API as a consumer sees it in the catalog.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// URL-safe id (the page's last path segment).
    pub id: String,
    /// Name.
    pub title: String,
    /// Version.
    pub version: String,
    /// Description (Markdown, written by third parties).
    pub description: String,
    /// Who offers it (`info.contact.name`, or the Gravitee owner), if known.
    pub provider: Option<String>,
    /// The file it came from, relative to the site root.
    pub file: PathBuf,
    /// The Gravitee context path (`/test/digdir/krr`), if the API is behind the gateway.
    pub context_path: Option<String>,
    /// Gravitee endpoint targets.
    pub targets: Vec<String>,
    /// Plans with their security type.
    pub plans: Vec<Plan>,
    /// Documentation pages embedded in the export (Markdown).
    pub docs: Vec<DocPage>,
    /// The specs (a Gravitee export may embed several).
    pub specs: Vec<Spec>,
}

impl Api {
    /// Every operation of every spec.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.specs.iter().flat_map(|s| s.operations.iter())
    }

    /// Tags in first-seen order.
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for op in self.operations() {
            for tag in &op.tags {
                if !tags.contains(tag) {
                    tags.push(tag.clone());
                }
            }
        }
        tags
    }

    /// Whether it is published through the gateway (an export, or a context path set for it):
    /// then consumers call the gateway URL with the gateway's key, else the spec's own servers
    /// with the spec's own security.
    pub fn behind_gateway(&self) -> bool {
        self.context_path.is_some()
    }

    /// The base URL the API's page shows for an API called at its own server (the first server
    /// of its first spec, variables filled with their defaults); `None` behind the gateway.
    pub fn own_base_url(&self) -> Option<&str> {
        if self.behind_gateway() {
            return None;
        }
        self.specs
            .iter()
            .flat_map(|s| s.servers.iter())
            .map(String::as_str)
            .next()
    }

    /// Whether consumers need an API key (a plan with API_KEY security).
    pub fn needs_api_key(&self) -> bool {
        self.plans
            .iter()
            .any(|p| p.security.eq_ignore_ascii_case("API_KEY"))
    }
}

/// A Gravitee plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Name.
    pub name: String,
    /// `API_KEY`, `KEY_LESS`, `JWT`, `OAUTH2`.
    pub security: String,
    /// `PUBLISHED`, `DEPRECATED`, ...
    pub status: String,
    /// Not in the source: the plan a gateway API without plans is assumed to have (an API key).
    /// Its name is the theme's to show, not data.
    pub assumed: bool,
}

/// A Markdown page embedded in a Gravitee export.
#[derive(Debug, Clone, PartialEq)]
pub struct DocPage {
    /// Name.
    pub name: String,
    /// Markdown text.
    pub markdown: String,
}

/// The input format a spec was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecFormat {
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x.
    OpenApi31,
    /// Swagger 2.0.
    Swagger2,
}

impl SpecFormat {
    /// As shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            SpecFormat::OpenApi30 => "OpenAPI 3.0",
            SpecFormat::OpenApi31 => "OpenAPI 3.1",
            SpecFormat::Swagger2 => "Swagger 2.0",
        }
    }
}

/// One OpenAPI document, converted.
#[derive(Debug, Clone)]
pub struct Spec {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: String,
    /// Input format.
    pub format: SpecFormat,
    /// Server URLs with variables filled by their defaults.
    pub servers: Vec<String>,
    /// Operations in document order.
    pub operations: Vec<Operation>,
    /// Named schemas (`components.schemas` / `definitions`).
    pub schemas: BTreeMap<String, Schema>,
    /// Where each named schema is written.
    pub schema_spans: BTreeMap<String, Span>,
    /// Security schemes by name.
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// Webhooks (3.1) that are listed but not rendered as operations.
    pub webhooks: Vec<String>,
    /// The OpenAPI 3.0 form the catalog was made from, as JSON, when it is not the file as
    /// published: a Swagger 2.0 spec converted, or a spec embedded in a Gravitee export.
    pub converted: Option<String>,
}

/// How the gateway path of an operation was found.
#[derive(Debug, Clone, PartialEq)]
pub enum GatewayPath {
    /// Derived from the context path and the endpoint target.
    Derived(String),
    /// Not behind the gateway: call the spec's own server.
    Direct(String),
    /// Could not be derived; the reason says why, the path is context path + operation path.
    Assumed {
        /// The path the examples use.
        path: String,
        /// Why it could not be derived.
        reason: String,
    },
}

impl GatewayPath {
    /// The path (or URL for `Direct`) the examples call.
    pub fn path(&self) -> &str {
        match self {
            GatewayPath::Derived(p) | GatewayPath::Direct(p) => p,
            GatewayPath::Assumed { path, .. } => path,
        }
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Stable anchor: `operationId`, else method and path.
    pub anchor: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as written in the spec (`/personer/{id}`).
    pub path: String,
    /// The full path on the backend: server path + spec path.
    pub full_path: String,
    /// Where consumers call it.
    pub gateway: GatewayPath,
    /// Summary.
    pub summary: String,
    /// Description (Markdown).
    pub description: String,
    /// Deprecated.
    pub deprecated: bool,
    /// Tags.
    pub tags: Vec<String>,
    /// Parameters (path-level ones merged in).
    pub parameters: Vec<Parameter>,
    /// Request body.
    pub request_body: Option<RequestBody>,
    /// Responses in document order.
    pub responses: Vec<Response>,
    /// Security requirements: scheme name and scopes (every alternative, flattened).
    pub security: Vec<(String, Vec<String>)>,
    /// Security requirements as the spec has them: alternatives (any one suffices), each a list of
    /// schemes that must all be satisfied; an empty alternative means no credential is needed.
    /// Operation level over the root level.
    pub requirements: Vec<Vec<(String, Vec<String>)>>,
    /// Where it is written (the method's key in the spec).
    pub span: Span,
}

impl Operation {
    /// The documented success status (lowest 2xx), if any.
    pub fn success(&self) -> Option<&Response> {
        self.responses
            .iter()
            .filter(|r| r.status.starts_with('2'))
            .min_by(|a, b| a.status.cmp(&b.status))
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParamIn {
    /// As in the spec.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        }
    }
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Name.
    pub name: String,
    /// Location.
    pub location: ParamIn,
    /// Required.
    pub required: bool,
    /// Description.
    pub description: String,
    /// Schema.
    pub schema: Schema,
    /// Example (parameter's own, else the schema's).
    pub example: Option<Value>,
    /// Deprecated.
    pub deprecated: bool,
    /// How a list or an object is written (OpenAPI `style`).
    pub style: ParamStyle,
    /// `explode`: each item or property as its own pair (`form`) or `name=value` (`simple`).
    pub explode: bool,
    /// Where it is written.
    pub span: Span,
}

/// How a parameter's list or object value is written: OpenAPI's `style` (RFC 6570 for most).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `a,b` (path and header default).
    Simple,
    /// `name=a,b` or `name=a&name=b` (query and cookie default).
    Form,
    /// `name[key]=value` (query objects).
    DeepObject,
    /// `a%20b` (query lists).
    SpaceDelimited,
    /// `a|b` (query lists).
    PipeDelimited,
    /// `.a,b` (path).
    Label,
    /// `;name=a,b` (path).
    Matrix,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Required.
    pub required: bool,
    /// Description.
    pub description: String,
    /// Per media type.
    pub content: Vec<MediaType>,
}

impl RequestBody {
    /// The media type examples send: JSON when the operation takes it, else the first listed (a
    /// form type is sent as a form, see [`MediaType::is_form`]).
    pub fn example_media(&self) -> Option<&MediaType> {
        self.content
            .iter()
            .find(|m| m.media_type.contains("json"))
            .or(self.content.first())
    }
}

impl MediaType {
    /// `application/x-www-form-urlencoded` or `multipart/form-data`: sent as form fields.
    pub fn is_form(&self) -> bool {
        let t = self.media_type.to_ascii_lowercase();
        t.starts_with("application/x-www-form-urlencoded") || t.starts_with("multipart/form-data")
    }
}

/// Content of one media type.
#[derive(Debug, Clone)]
pub struct MediaType {
    /// `application/json`.
    pub media_type: String,
    /// Schema.
    pub schema: Option<Schema>,
    /// Named examples (a single `example` is named `default`).
    pub examples: Vec<Example>,
    /// Where it is written.
    pub span: Span,
}

/// A named example value of a media type.
#[derive(Debug, Clone)]
pub struct Example {
    /// Its name (`default` for a single `example`).
    pub name: String,
    /// The value.
    pub value: Value,
    /// Where it is written.
    pub span: Span,
}

/// A response.
#[derive(Debug, Clone)]
pub struct Response {
    /// `200`, `404`, `default`.
    pub status: String,
    /// Description.
    pub description: String,
    /// Per media type.
    pub content: Vec<MediaType>,
    /// Media types a response without a body still names: Swagger 2.0's `produces` covers every
    /// response of an operation, so clients (Schemathesis) expect one as its `Content-Type`.
    pub bodiless_media_types: Vec<String>,
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq)]
pub enum SecurityScheme {
    /// An API key in a header, query or cookie.
    ApiKey {
        /// Header or parameter name.
        name: String,
        /// `header`, `query`, `cookie`.
        location: String,
    },
    /// HTTP auth (`basic`, `bearer`).
    Http {
        /// Scheme.
        scheme: String,
    },
    /// OAuth2 with its scopes.
    OAuth2 {
        /// Scope → description.
        scopes: BTreeMap<String, String>,
    },
    /// OpenID Connect.
    OpenIdConnect {
        /// Discovery URL.
        url: String,
    },
}

/// How an example sends the credential of one security scheme, and the environment variables it
/// reads (listed on the API's page; the examples runner fills them with the sandbox's key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// HTTP basic: a user and a password.
    Basic {
        /// Variable holding the user name.
        user_env: String,
        /// Variable holding the password.
        password_env: String,
    },
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// Variable holding the token.
        token_env: String,
        /// How to get a token, for OAuth 2 and OpenID Connect (`None` for a plain bearer token).
        how: Option<String>,
    },
    /// An API key under the spec's own name, in a header, the query or a cookie.
    ApiKey {
        /// The header, query parameter or cookie name.
        name: String,
        /// Where it goes.
        location: ParamIn,
        /// Variable holding the key.
        env: String,
    },
}

impl Credential {
    /// The environment variables it reads.
    pub fn env_vars(&self) -> Vec<&str> {
        match self {
            Credential::Basic {
                user_env,
                password_env,
            } => vec![user_env, password_env],
            Credential::Bearer { token_env, .. } => vec![token_env],
            Credential::ApiKey { env, .. } => vec![env],
        }
    }
}

/// An environment variable name from a security scheme's name: upper case, words split at
/// case changes and non-alphanumerics (`petstore_auth` → `PETSTORE_AUTH`, `ApiKeyAuth` →
/// `API_KEY_AUTH`), then `_suffix` unless it already ends so.
pub fn env_name(scheme: &str, suffix: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in scheme.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    let mut out = out.trim_matches('_').to_string();
    if out.is_empty() {
        out.push_str("API");
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "API_");
    }
    if !suffix.is_empty() && !out.ends_with(suffix) {
        out.push('_');
        out.push_str(suffix);
    }
    out
}

impl SecurityScheme {
    /// The credential an example sends for this scheme (named `name` in the spec); `None` for a
    /// scheme no example can satisfy (an HTTP scheme other than basic and bearer).
    pub fn credential(&self, name: &str) -> Option<Credential> {
        match self {
            SecurityScheme::ApiKey {
                name: key,
                location,
            } => Some(Credential::ApiKey {
                name: key.clone(),
                location: match location.as_str() {
                    "query" => ParamIn::Query,
                    "cookie" => ParamIn::Cookie,
                    _ => ParamIn::Header,
                },
                env: env_name(name, "KEY"),
            }),
            SecurityScheme::Http { scheme } if scheme.eq_ignore_ascii_case("basic") => {
                Some(Credential::Basic {
                    user_env: env_name(name, "USER"),
                    password_env: env_name(name, "PASSWORD"),
                })
            }
            SecurityScheme::Http { scheme } if scheme.eq_ignore_ascii_case("bearer") => {
                Some(Credential::Bearer {
                    token_env: env_name(name, "TOKEN"),
                    how: None,
                })
            }
            SecurityScheme::Http { .. } => None,
            SecurityScheme::OAuth2 { .. } => Some(Credential::Bearer {
                token_env: env_name(name, "TOKEN"),
                how: Some("an OAuth 2 access token from the API's authorization server".into()),
            }),
            SecurityScheme::OpenIdConnect { url } => Some(Credential::Bearer {
                token_env: env_name(name, "TOKEN"),
                how: Some(format!("an OpenID Connect access token (provider: {url})")),
            }),
        }
    }
}

impl Spec {
    /// The credentials an example of `op` sends: those of the first security requirement whose
    /// every scheme has one (none for an operation without requirements, or whose first
    /// satisfiable alternative is the empty one).
    pub fn credentials(&self, op: &Operation) -> Vec<(String, Credential)> {
        for requirement in &op.requirements {
            let credentials: Option<Vec<(String, Credential)>> = requirement
                .iter()
                .map(|(name, _)| {
                    self.security_schemes
                        .get(name)
                        .and_then(|s| s.credential(name))
                        .map(|c| (name.clone(), c))
                })
                .collect();
            if let Some(credentials) = credentials {
                return credentials;
            }
        }
        Vec::new()
    }

    /// Every credential the spec's examples may send, by scheme name (for the API's page).
    pub fn all_credentials(&self) -> Vec<(String, Credential)> {
        self.security_schemes
            .iter()
            .filter_map(|(name, s)| s.credential(name).map(|c| (name.clone(), c)))
            .collect()
    }
}

/// A schema, with references kept by name (resolve through [`Spec::schemas`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    /// Shape.
    pub kind: SchemaKind,
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: String,
    /// `format`.
    pub format: Option<String>,
    /// Accepts `null`.
    pub nullable: bool,
    /// Allowed values.
    pub enumeration: Vec<Value>,
    /// Default.
    pub default: Option<Value>,
    /// Example.
    pub example: Option<Value>,
    /// Read only.
    pub read_only: bool,
    /// Write only.
    pub write_only: bool,
    /// Deprecated.
    pub deprecated: bool,
    /// Lower bound (numbers), minimum length (strings) or items (arrays).
    pub minimum: Option<f64>,
    /// Upper bound.
    pub maximum: Option<f64>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// Where `example` is written, when it is.
    pub example_span: Option<Span>,
    /// `uniqueItems: true` (arrays).
    pub unique_items: bool,
    /// `additionalProperties: false` (objects): no property beyond those listed.
    pub closed: bool,
    /// `not`: a value must not match this schema.
    pub not: Option<Box<Schema>>,
}

impl Schema {
    /// A schema of this kind with nothing else said.
    pub fn of(kind: SchemaKind) -> Schema {
        Schema {
            kind,
            ..Schema::default()
        }
    }
}

/// The shape of a schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum SchemaKind {
    /// No constraint.
    #[default]
    Any,
    /// A reference to a named schema.
    Ref(String),
    /// Text.
    String,
    /// Whole number.
    Integer,
    /// Number.
    Number,
    /// `true`/`false`.
    Boolean,
    /// A list.
    Array(Box<Schema>),
    /// An object.
    Object {
        /// Properties in order: name, schema, required.
        properties: Vec<(String, Schema, bool)>,
        /// `additionalProperties` schema, if any.
        additional: Option<Box<Schema>>,
    },
    /// Exactly one of.
    OneOf(Vec<Schema>),
    /// Any of.
    AnyOf(Vec<Schema>),
    /// All of.
    AllOf(Vec<Schema>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_variable_names_from_scheme_names() {
        assert_eq!(env_name("petstore_auth", "TOKEN"), "PETSTORE_AUTH_TOKEN");
        assert_eq!(env_name("ApiKeyAuth", "KEY"), "API_KEY_AUTH_KEY");
        assert_eq!(env_name("api_key", "KEY"), "API_KEY");
        assert_eq!(env_name("bearerToken", "TOKEN"), "BEARER_TOKEN");
        assert_eq!(env_name("2fa", "TOKEN"), "API_2FA_TOKEN");
        assert_eq!(env_name("ø", "KEY"), "API_KEY");
    }
}
