//! A request for an operation, and that request written as a curl command (bash quoting) and as
//! PowerShell (`Invoke-RestMethod` with a `$headers` hashtable). Quoting is right for any value:
//! single quotes, `$`, spaces, newlines and non-ASCII.

use crate::catalog::{Api, Credential, Operation, ParamIn, Spec};
use percent_encoding::{utf8_percent_encode, AsciiSet};
use serde_json::Value;

/// How consumers reach the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gateway {
    /// URL pattern with `{instans}` (`https://gw-{instans}.intark.uh-it.no`).
    pub url_pattern: String,
    /// The API key header.
    pub key_header: String,
    /// The environment variable readers keep their key in.
    pub key_env: String,
}

/// An HTTP request as data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// Method, upper case.
    pub method: String,
    /// Full URL (may contain `{instans}`).
    pub url: String,
    /// Headers in order. A value of `None` is the API key, taken from the environment.
    pub headers: Vec<(String, HeaderValue)>,
    /// Body text.
    pub body: Option<String>,
    /// Query parameters whose value is an environment variable (an API key in the query).
    pub query_env: Vec<(String, String)>,
    /// HTTP basic credentials: the variables holding the user and the password.
    pub basic: Option<(String, String)>,
    /// A form body (`application/x-www-form-urlencoded` or `multipart/form-data`), sent in that
    /// encoding; `body` is then `None`.
    pub form: Option<Form>,
    /// A binary body: the placeholder file the reader replaces (`--data-binary @eksempel.bin`);
    /// `body` is then `None`.
    pub binary: Option<String>,
}

/// The placeholder file of a binary request body.
pub const BINARY_PLACEHOLDER: &str = "eksempel.bin";

/// Whether a request body of this media type (and schema) is binary rather than text.
fn is_binary(media: &crate::catalog::MediaType) -> bool {
    let t = media.media_type.to_ascii_lowercase();
    let text = t.starts_with("text/")
        || t.contains("json")
        || t.contains("xml")
        || t.contains("yaml")
        || t.contains("csv")
        || media.is_form();
    !text
        && (t == "application/octet-stream"
            || ["image/", "audio/", "video/", "font/"]
                .iter()
                .any(|p| t.starts_with(p))
            || matches!(
                t.as_str(),
                "application/pdf" | "application/zip" | "application/gzip"
            )
            || media
                .schema
                .as_ref()
                .is_some_and(|s| s.format.as_deref() == Some("binary")))
}

/// A form body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// `multipart/form-data` (else `application/x-www-form-urlencoded`).
    pub multipart: bool,
    /// Fields in order; a name may repeat (a list).
    pub fields: Vec<(String, FormValue)>,
}

/// A form field's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormValue {
    /// Text.
    Text(String),
    /// A file to upload (a placeholder path the reader replaces).
    File(String),
}

/// A header value: literal, or a reference to an environment variable (a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// As written.
    Literal(String),
    /// `$NAME` in bash, `$env:NAME` in PowerShell.
    Env(String),
    /// Literal text followed by an environment variable (`Bearer $TOKEN`).
    Prefixed {
        /// The text before it.
        prefix: String,
        /// The variable.
        var: String,
    },
}

/// The placeholder path of a file to upload in generated examples.
pub const FILE_PLACEHOLDER: &str = "eksempel.bin";

/// RFC 6570 level 1: every character but the unreserved ones is percent-encoded.
const PATH_SEGMENT: &AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
const QUERY: &AsciiSet = &PATH_SEGMENT.add(b'&').add(b'=').add(b'+');

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The example request for an operation.
pub fn request(api: &Api, spec: &Spec, op: &Operation, gateway: &Gateway) -> Request {
    let value_of = |p: &crate::catalog::Parameter| {
        p.example
            .clone()
            .unwrap_or_else(|| super::synth::example(&p.schema, &spec.schemas))
    };
    let mut path = op.gateway.path().to_string();
    for p in op.parameters.iter().filter(|p| p.location == ParamIn::Path) {
        let v = scalar(&value_of(p));
        path = path.replace(
            &format!("{{{}}}", p.name),
            &utf8_percent_encode(&v, PATH_SEGMENT).to_string(),
        );
    }
    // Form style, exploded (the default for the query): a list is one pair per item.
    let query: Vec<String> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamIn::Query && p.required)
        .flat_map(|p| {
            let items = match value_of(p) {
                Value::Array(items) => items,
                other => vec![other],
            };
            items
                .iter()
                .map(|v| {
                    format!(
                        "{}={}",
                        utf8_percent_encode(&p.name, QUERY),
                        utf8_percent_encode(&scalar(v), QUERY)
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let base = if api.context_path.is_some() {
        gateway.url_pattern.trim_end_matches('/').to_string()
    } else {
        String::new()
    };
    let mut url = format!("{base}{path}");
    if !query.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&query.join("&"));
    }
    let mut headers = Vec::new();
    let mut query_env = Vec::new();
    let mut basic = None;
    if api.needs_api_key() || (api.context_path.is_some() && api.plans.is_empty()) {
        headers.push((
            gateway.key_header.clone(),
            HeaderValue::Env(gateway.key_env.clone()),
        ));
    }
    // An API called at its own server authenticates as the spec says.
    let credentials = if api.behind_gateway() {
        Vec::new()
    } else {
        spec.credentials(op)
    };
    let mut cookies: Vec<(String, String)> = Vec::new();
    for (_, credential) in &credentials {
        match credential {
            Credential::Basic {
                user_env,
                password_env,
            } => basic = Some((user_env.clone(), password_env.clone())),
            Credential::Bearer { token_env, .. } => headers.push((
                "Authorization".into(),
                HeaderValue::Prefixed {
                    prefix: "Bearer ".into(),
                    var: token_env.clone(),
                },
            )),
            Credential::ApiKey {
                name,
                location: ParamIn::Query,
                env,
            } => query_env.push((name.clone(), env.clone())),
            Credential::ApiKey {
                name,
                location: ParamIn::Cookie,
                env,
            } => cookies.push((name.clone(), env.clone())),
            Credential::ApiKey { name, env, .. } => {
                headers.push((name.clone(), HeaderValue::Env(env.clone())))
            }
        }
    }
    // One cookie a request can carry as a variable; more would need a literal joined header.
    if let Some((name, env)) = cookies.first() {
        headers.push((
            "Cookie".into(),
            HeaderValue::Prefixed {
                prefix: format!("{name}="),
                var: env.clone(),
            },
        ));
    }
    for p in op
        .parameters
        .iter()
        .filter(|p| p.location == ParamIn::Header && p.required)
    {
        if !p.name.eq_ignore_ascii_case(&gateway.key_header) {
            headers.push((p.name.clone(), HeaderValue::Literal(scalar(&value_of(p)))));
        }
    }
    let mut body = None;
    let mut form = None;
    let mut binary = None;
    if let Some(rb) = &op.request_body {
        if let Some(media) = rb.example_media().filter(|m| is_binary(m)) {
            headers.push((
                "Content-Type".into(),
                HeaderValue::Literal(media.media_type.clone()),
            ));
            binary = Some(BINARY_PLACEHOLDER.to_string());
        } else if let Some(media) = rb.example_media() {
            // The spec's example, unless it breaks the spec's own schema (then one made from the schema).
            // An example written as text for a type that is not JSON (XML, plain text) is that
            // body as written, not a JSON value the schema could check.
            let as_text =
                !media.media_type.to_ascii_lowercase().contains("json") && !media.is_form();
            let example = media.examples.first().map(|e| e.value.clone()).filter(|v| {
                (as_text && v.is_string())
                    || media
                        .schema
                        .as_ref()
                        .is_none_or(|s| super::json_schema::is_valid(v, s, &spec.schemas))
            });
            let value = example.or_else(|| {
                media
                    .schema
                    .as_ref()
                    .map(|s| super::synth::example(s, &spec.schemas))
            });
            let media_type = media.media_type.to_ascii_lowercase();
            if let (true, Some(value)) = (media.is_form(), &value) {
                // The content type (with the boundary, for multipart) is the client's to write.
                form = Some(form_of(
                    value,
                    media.schema.as_ref(),
                    spec,
                    media_type.starts_with("multipart/"),
                ));
            } else if let Some(value) = value {
                headers.push((
                    "Content-Type".into(),
                    HeaderValue::Literal(media.media_type.clone()),
                ));
                body = Some(match value {
                    Value::String(s) if !media.media_type.contains("json") => s,
                    other => serde_json::to_string_pretty(&other).unwrap_or_default(),
                });
            }
        }
    }
    if op
        .success()
        .is_some_and(|r| r.content.iter().any(|m| m.media_type.contains("json")))
    {
        headers.push((
            "Accept".into(),
            HeaderValue::Literal("application/json".into()),
        ));
    }
    Request {
        method: op.method.clone(),
        url,
        headers,
        body,
        query_env,
        basic,
        form,
        binary,
    }
}

/// A form body from an example value: one field per property (a list is one field per item, an
/// object its JSON text); in multipart, a property whose schema is binary is a file.
fn form_of(
    value: &Value,
    schema: Option<&crate::catalog::Schema>,
    spec: &Spec,
    multipart: bool,
) -> Form {
    let properties = schema
        .map(|s| object_properties(s, spec))
        .unwrap_or_default();
    let is_file = |name: &str| {
        properties.iter().any(|(n, s)| {
            n == name && {
                let s = resolved(s, spec);
                matches!(s.format.as_deref(), Some("binary" | "byte" | "base64"))
                    || matches!(&s.kind, crate::catalog::SchemaKind::Array(items) if matches!(resolved(items, spec).format.as_deref(), Some("binary")))
            }
        })
    };
    let mut fields = Vec::new();
    if let Value::Object(map) = value {
        for (name, v) in map {
            if multipart && is_file(name) {
                fields.push((name.clone(), FormValue::File(FILE_PLACEHOLDER.into())));
                continue;
            }
            let items = match v {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            for item in items {
                let text = match item {
                    Value::Object(_) | Value::Array(_) => item.to_string(),
                    other => scalar(&other),
                };
                fields.push((name.clone(), FormValue::Text(text)));
            }
        }
    }
    Form { multipart, fields }
}

fn resolved<'s>(schema: &'s crate::catalog::Schema, spec: &'s Spec) -> &'s crate::catalog::Schema {
    let mut s = schema;
    for _ in 0..8 {
        match &s.kind {
            crate::catalog::SchemaKind::Ref(name) => match spec.schemas.get(name) {
                Some(next) => s = next,
                None => break,
            },
            _ => break,
        }
    }
    s
}

/// The properties of an object schema (through references and `allOf`).
pub fn object_properties(
    schema: &crate::catalog::Schema,
    spec: &Spec,
) -> Vec<(String, crate::catalog::Schema)> {
    let mut out = Vec::new();
    let mut todo = vec![(schema, 0)];
    while let Some((s, depth)) = todo.pop() {
        if depth > 8 {
            continue;
        }
        match &resolved(s, spec).kind {
            crate::catalog::SchemaKind::Object { properties, .. } => {
                out.extend(properties.iter().map(|(n, s, _)| (n.clone(), s.clone())))
            }
            crate::catalog::SchemaKind::AllOf(parts) => {
                todo.extend(parts.iter().map(|p| (p, depth + 1)))
            }
            _ => {}
        }
    }
    out
}

/// Quote a word for bash: single quotes, with `'` written as `'\''`.
pub fn bash_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
    {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Quote a string for PowerShell: single quotes, with every kind of single quote doubled (PowerShell
/// also treats ‘ ’ ‚ ‛ as quotes).
pub fn powershell_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Text for inside bash double quotes: `"`, `\\`, `$` and `` ` `` escaped.
fn bash_dquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for inside PowerShell double quotes: `` ` ``, `$` and every double quote escaped.
fn powershell_dquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '`' | '$' | '"' | '\u{201C}' | '\u{201D}' | '\u{201E}') {
            out.push('`');
        }
        out.push(c);
    }
    out
}

/// The query parameters read from variables, joined to the URL in the language's syntax.
fn url_with_env(req: &Request, var: impl Fn(&str) -> String) -> Option<String> {
    if req.query_env.is_empty() {
        return None;
    }
    let mut tail = String::new();
    for (name, env) in &req.query_env {
        tail.push(if tail.is_empty() && !req.url.contains('?') {
            '?'
        } else {
            '&'
        });
        tail.push_str(&utf8_percent_encode(name, QUERY).to_string());
        tail.push('=');
        tail.push_str(&var(env));
    }
    Some(tail)
}

/// The request as a curl command.
pub fn curl(req: &Request) -> String {
    let mut lines = vec![format!("curl --include --request {}", req.method)];
    for (name, value) in &req.headers {
        let name_text = bash_dquoted(name);
        let header = match value {
            HeaderValue::Literal(v) => bash_quote(&format!("{name}: {v}")),
            HeaderValue::Env(var) => format!("\"{name_text}: ${var}\""),
            HeaderValue::Prefixed { prefix, var } => {
                format!("\"{name_text}: {}${var}\"", bash_dquoted(prefix))
            }
        };
        lines.push(format!("--header {header}"));
    }
    if let Some((user, password)) = &req.basic {
        lines.push(format!("--user \"${user}:${password}\""));
    }
    if let Some(body) = &req.body {
        lines.push(format!("--data-raw {}", bash_quote(body)));
    }
    if let Some(file) = &req.binary {
        lines.push(format!("--data-binary {}", bash_quote(&format!("@{file}"))));
    }
    if let Some(form) = &req.form {
        for (name, value) in &form.fields {
            lines.push(match (form.multipart, value) {
                (true, FormValue::File(path)) => {
                    format!("--form {}", bash_quote(&format!("{name}=@{path}")))
                }
                (true, FormValue::Text(text)) => {
                    format!("--form-string {}", bash_quote(&format!("{name}={text}")))
                }
                (false, FormValue::Text(text) | FormValue::File(text)) => {
                    format!("--data-urlencode {}", bash_quote(&format!("{name}={text}")))
                }
            });
        }
    }
    match url_with_env(req, |env| format!("${{{env}}}")) {
        Some(tail) => lines.push(format!("\"{}{tail}\"", bash_dquoted(&req.url))),
        None => lines.push(bash_quote(&req.url)),
    }
    lines.join(" \\\n  ")
}

/// The request as PowerShell.
pub fn powershell(req: &Request) -> String {
    let mut out = String::from("$headers = @{\n");
    let mut content_type = None;
    for (name, value) in &req.headers {
        if name.eq_ignore_ascii_case("content-type") {
            if let HeaderValue::Literal(v) = value {
                content_type = Some(v.clone());
            }
            continue;
        }
        let value = match value {
            HeaderValue::Literal(v) => powershell_quote(v),
            HeaderValue::Env(var) => format!("$env:{var}"),
            HeaderValue::Prefixed { prefix, var } => {
                format!("\"{}$env:{var}\"", powershell_dquoted(prefix))
            }
        };
        out.push_str(&format!("    {} = {}\n", powershell_quote(name), value));
    }
    out.push_str("}\n");
    let method = {
        let m = req.method.to_ascii_lowercase();
        let mut c = m.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    if let Some((user, password)) = &req.basic {
        out.push_str(&format!(
            "$credential = [pscredential]::new($env:{user}, (ConvertTo-SecureString $env:{password} -AsPlainText -Force))\n"
        ));
    }
    if let Some(form) = &req.form {
        out.push_str("$form = @{\n");
        let mut seen: Vec<&str> = Vec::new();
        for (name, _) in &form.fields {
            if seen.contains(&name.as_str()) {
                continue;
            }
            seen.push(name);
            let values: Vec<String> = form
                .fields
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| match v {
                    FormValue::Text(t) => powershell_quote(t),
                    FormValue::File(path) => format!("(Get-Item -Path {})", powershell_quote(path)),
                })
                .collect();
            let value = if values.len() == 1 {
                values[0].clone()
            } else {
                format!("@({})", values.join(", "))
            };
            out.push_str(&format!("    {} = {}\n", powershell_quote(name), value));
        }
        out.push_str("}\n");
    }
    let uri = match url_with_env(req, |env| format!("$env:{env}")) {
        Some(tail) => format!("\"{}{tail}\"", powershell_dquoted(&req.url)),
        None => powershell_quote(&req.url),
    };
    out.push_str(&format!(
        "Invoke-RestMethod -Method {method} -Uri {uri} -Headers $headers"
    ));
    if req.basic.is_some() {
        out.push_str(" -Authentication Basic -Credential $credential");
    }
    match &req.form {
        Some(form) if form.multipart => out.push_str(" -Form $form"),
        Some(_) => out.push_str(" -Body $form -ContentType 'application/x-www-form-urlencoded'"),
        None => {
            if let Some(ct) = content_type {
                out.push_str(&format!(" -ContentType {}", powershell_quote(&ct)));
            }
            if let Some(body) = &req.body {
                out.push_str(&format!(" -Body {}", powershell_quote(body)));
            }
            if let Some(file) = &req.binary {
                out.push_str(&format!(" -InFile {}", powershell_quote(file)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_quoting_survives_any_value() {
        assert_eq!(bash_quote("abc"), "abc");
        assert_eq!(bash_quote("a b"), "'a b'");
        assert_eq!(bash_quote("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(bash_quote(""), "''");
    }

    #[test]
    fn powershell_quoting_doubles_every_single_quote() {
        assert_eq!(powershell_quote("a'b"), "'a''b'");
        assert_eq!(powershell_quote("$x"), "'$x'");
        assert_eq!(powershell_quote("kl\u{2019}s"), "'kl\u{2019}\u{2019}s'");
    }

    #[test]
    fn curl_and_powershell_text() {
        let req = Request {
            method: "POST".into(),
            url: "https://gw-{instans}.intark.uh-it.no/lonn/v1/ansatte".into(),
            headers: vec![
                (
                    "X-Gravitee-Api-Key".into(),
                    HeaderValue::Env("INTARK_API_KEY".into()),
                ),
                (
                    "Content-Type".into(),
                    HeaderValue::Literal("application/json".into()),
                ),
            ],
            body: Some("{\"navn\": \"O'Brien\"}".into()),
            ..Request::default()
        };
        let curl = curl(&req);
        assert!(
            curl.contains("--header \"X-Gravitee-Api-Key: $INTARK_API_KEY\""),
            "{curl}"
        );
        assert!(curl.contains(r"--data-raw '{"), "{curl}");
        assert!(curl.contains(r"O'\''Brien"), "{curl}");
        let ps = powershell(&req);
        assert!(
            ps.contains("'X-Gravitee-Api-Key' = $env:INTARK_API_KEY"),
            "{ps}"
        );
        assert!(ps.contains("-Method Post"), "{ps}");
        assert!(ps.contains("O''Brien"), "{ps}");
        assert!(ps.contains("-ContentType 'application/json'"), "{ps}");
    }
}
