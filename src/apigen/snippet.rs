//! A request for an operation, and that request written as a curl command (bash quoting) and as
//! PowerShell (`Invoke-RestMethod` with a `$headers` hashtable). Quoting is right for any value:
//! single quotes, `$`, spaces, newlines and non-ASCII.

use crate::catalog::{Api, Operation, ParamIn, Spec};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Method, upper case.
    pub method: String,
    /// Full URL (may contain `{instans}`).
    pub url: String,
    /// Headers in order. A value of `None` is the API key, taken from the environment.
    pub headers: Vec<(String, HeaderValue)>,
    /// Body text.
    pub body: Option<String>,
}

/// A header value: literal, or a reference to an environment variable (a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// As written.
    Literal(String),
    /// `$NAME` in bash, `$env:NAME` in PowerShell.
    Env(String),
}

const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%')
    .add(b'\'');
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
    let query: Vec<String> = op
        .parameters
        .iter()
        .filter(|p| p.location == ParamIn::Query && p.required)
        .map(|p| {
            format!(
                "{}={}",
                utf8_percent_encode(&p.name, QUERY),
                utf8_percent_encode(&scalar(&value_of(p)), QUERY)
            )
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
    if api.needs_api_key() || (api.context_path.is_some() && api.plans.is_empty()) {
        headers.push((
            gateway.key_header.clone(),
            HeaderValue::Env(gateway.key_env.clone()),
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
    if let Some(rb) = &op.request_body {
        if let Some(media) = rb
            .content
            .iter()
            .find(|m| m.media_type.contains("json"))
            .or(rb.content.first())
        {
            // The spec's example, unless it breaks the spec's own schema (then one made from the schema).
            let example = media.examples.first().map(|e| e.value.clone()).filter(|v| {
                media
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
            if let Some(value) = value {
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
    }
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

/// The request as a curl command.
pub fn curl(req: &Request) -> String {
    let mut lines = vec![format!("curl --include --request {}", req.method)];
    for (name, value) in &req.headers {
        let header = match value {
            HeaderValue::Literal(v) => bash_quote(&format!("{name}: {v}")),
            HeaderValue::Env(var) => {
                format!("\"{}: ${var}\"", name.replace(['"', '\\', '$', '`'], ""))
            }
        };
        lines.push(format!("--header {header}"));
    }
    if let Some(body) = &req.body {
        lines.push(format!("--data-raw {}", bash_quote(body)));
    }
    lines.push(bash_quote(&req.url));
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
    out.push_str(&format!(
        "Invoke-RestMethod -Method {method} -Uri {} -Headers $headers",
        powershell_quote(&req.url)
    ));
    if let Some(ct) = content_type {
        out.push_str(&format!(" -ContentType {}", powershell_quote(&ct)));
    }
    if let Some(body) = &req.body {
        out.push_str(&format!(" -Body {}", powershell_quote(body)));
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
