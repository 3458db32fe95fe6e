//! The gateway's behaviour as a pure function from request to response: routing by context path and
//! path template, API keys (header or `api-key` query parameter), subscriptions and rate limits,
//! validation against the spec, and answers from the spec's examples or synthesized from its schemas.

use crate::apigen::{json_schema, synth};
use crate::apimatch::{Match, Router};
use crate::catalog::{Catalog, MediaType, Operation, ParamIn, Schema, SchemaKind, Spec};
use crate::config::SandboxKey;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// A request as the gateway sees it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// Method.
    pub method: &'a str,
    /// Path and query, as sent.
    pub url: &'a str,
    /// Headers.
    pub headers: &'a [(String, String)],
    /// Body.
    pub body: &'a [u8],
}

impl Request<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The gateway's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
    /// What answered, for the log (`lonn-og-hr hentAnsatt`).
    pub label: String,
}

fn json_response(status: u16, body: &Value, label: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.to_string().into_bytes(),
        label: label.to_string(),
    }
}

fn gravitee_error(status: u16, message: &str) -> Response {
    json_response(
        status,
        &json!({"message": message, "http_status_code": status}),
        "-",
    )
}

/// The sandbox gateway over a catalog.
pub struct Gateway {
    catalog: Catalog,
    router: Router,
    keys: Vec<SandboxKey>,
    key_header: String,
    usage: Mutex<HashMap<String, (Instant, u32)>>,
    validators: RwLock<HashMap<String, Arc<Validator>>>,
    bodies: RwLock<HashMap<String, Arc<Vec<u8>>>>,
}

type Validator = jsonschema::Validator;

impl Gateway {
    /// A gateway for every API of the catalog.
    pub fn new(catalog: Catalog, keys: Vec<SandboxKey>, key_header: &str) -> Gateway {
        Gateway {
            router: Router::new(&catalog),
            catalog,
            keys,
            key_header: key_header.to_string(),
            usage: Mutex::new(HashMap::new()),
            validators: RwLock::new(HashMap::new()),
            bodies: RwLock::new(HashMap::new()),
        }
    }

    /// The catalog it serves.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Answer one request. Never panics on any input.
    pub fn handle(&self, req: &Request<'_>) -> Response {
        let mut response = self.answer(req);
        response
            .headers
            .push(("Access-Control-Allow-Origin".into(), "*".into()));
        response.headers.push((
            "Access-Control-Expose-Headers".into(),
            "Retry-After, Content-Type".into(),
        ));
        response
    }

    fn answer(&self, req: &Request<'_>) -> Response {
        if req.method.eq_ignore_ascii_case("OPTIONS") {
            return Response {
                status: 204,
                headers: vec![
                    (
                        "Access-Control-Allow-Methods".into(),
                        "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS".into(),
                    ),
                    (
                        "Access-Control-Allow-Headers".into(),
                        format!("Content-Type, Accept, Prefer, {}", self.key_header),
                    ),
                    ("Access-Control-Max-Age".into(), "600".into()),
                ],
                body: Vec::new(),
                label: "cors".into(),
            };
        }
        let (path, query) = req.url.split_once('?').unwrap_or((req.url, ""));
        let query = parse_query(query);
        let (api_index, spec_index, op_index, params) = match self.router.find(req.method, path) {
            Match::Found {
                api,
                spec,
                op,
                params,
            } => (api, spec, op, params),
            Match::WrongMethod { allow } => {
                let mut r = gravitee_error(405, "Method Not Allowed");
                r.headers.push(("Allow".into(), allow.join(", ")));
                return r;
            }
            Match::NotFound => {
                return gravitee_error(404, "No context-path matches the request URI.")
            }
        };
        let api = &self.catalog.apis[api_index];
        let spec = &api.specs[spec_index];
        let op = &spec.operations[op_index];
        let label = format!("{} {}", api.id, op.anchor);
        if api.needs_api_key() || (api.context_path.is_some() && api.plans.is_empty()) {
            let key = req
                .header(&self.key_header)
                .map(str::to_string)
                .or_else(|| {
                    query
                        .iter()
                        .find(|(k, _)| k == "api-key")
                        .map(|(_, v)| v.clone())
                });
            let Some(entry) = key.and_then(|k| self.keys.iter().find(|e| e.key == k)) else {
                return gravitee_error(401, "Unauthorized");
            };
            if !entry.apis.is_empty() && !entry.apis.iter().any(|a| a == &api.id) {
                return gravitee_error(401, "Unauthorized");
            }
            if let Some(wait) = self.over_limit(entry) {
                let mut r = gravitee_error(
                    429,
                    "Rate limit exceeded ! You reached the limit of requests per minute",
                );
                r.headers
                    .push(("Retry-After".into(), wait.as_secs().max(1).to_string()));
                return r;
            }
        }
        let errors = self.validate(req, spec, op, &params, &query);
        if !errors.is_empty() {
            let mut r = json_response(
                400,
                &json!({"message": "Bad Request", "http_status_code": 400, "errors": errors}),
                &label,
            );
            r.label = label;
            return r;
        }
        let mut r = self.respond(req, spec, op);
        r.label = label;
        r
    }

    fn over_limit(&self, entry: &SandboxKey) -> Option<Duration> {
        if entry.rate_limit == 0 {
            return None;
        }
        let mut usage = self.usage.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let window = Duration::from_secs(60);
        let slot = usage.entry(entry.key.clone()).or_insert((now, 0));
        if now.duration_since(slot.0) >= window {
            *slot = (now, 0);
        }
        slot.1 += 1;
        (slot.1 > entry.rate_limit).then(|| window.saturating_sub(now.duration_since(slot.0)))
    }

    fn validator(&self, key: String, schema: &Schema, spec: &Spec) -> Option<Arc<Validator>> {
        if let Some(v) = self
            .validators
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Some(Arc::clone(v));
        }
        let compiled = jsonschema::validator_for(&json_schema::document(schema, &spec.schemas))
            .ok()
            .map(Arc::new)?;
        self.validators
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, Arc::clone(&compiled));
        Some(compiled)
    }

    fn validate(
        &self,
        req: &Request<'_>,
        spec: &Spec,
        op: &Operation,
        params: &[(String, String)],
        query: &[(String, String)],
    ) -> Vec<Value> {
        let mut errors = Vec::new();
        for p in &op.parameters {
            let value = match p.location {
                ParamIn::Path => params
                    .iter()
                    .find(|(n, _)| *n == p.name)
                    .map(|(_, v)| v.clone()),
                ParamIn::Query => query
                    .iter()
                    .find(|(n, _)| *n == p.name)
                    .map(|(_, v)| v.clone()),
                ParamIn::Header => req.header(&p.name).map(str::to_string),
                ParamIn::Cookie => None,
            };
            let Some(value) = value else {
                if p.required && p.location != ParamIn::Cookie {
                    errors.push(json!({"in": p.location.as_str(), "name": p.name, "message": "required parameter is missing"}));
                }
                continue;
            };
            let typed = coerce(&value, &p.schema, &spec.schemas);
            let key = format!("{}|{}|{}", op.anchor, p.location.as_str(), p.name);
            if let Some(v) = self.validator(key, &p.schema, spec) {
                for e in v.iter_errors(&typed).take(3) {
                    errors.push(json!({"in": p.location.as_str(), "name": p.name, "message": e.to_string()}));
                }
            }
        }
        if let Some(body) = &op.request_body {
            if req.body.is_empty() {
                if body.required {
                    errors.push(json!({"in": "body", "message": "the request body is required"}));
                }
                return errors;
            }
            let content_type = req
                .header("content-type")
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let media = body
                .content
                .iter()
                .find(|m| m.media_type.eq_ignore_ascii_case(&content_type))
                .or_else(|| {
                    if content_type.is_empty() {
                        body.content.first()
                    } else {
                        None
                    }
                });
            let Some(media) = media else {
                let allowed: Vec<&str> =
                    body.content.iter().map(|m| m.media_type.as_str()).collect();
                errors.push(json!({"in": "header", "name": "Content-Type", "message": format!("`{content_type}` is not accepted; use {}", allowed.join(" or "))}));
                return errors;
            };
            if media.media_type.contains("json") {
                match serde_json::from_slice::<Value>(req.body) {
                    Err(e) => errors
                        .push(json!({"in": "body", "message": format!("not valid JSON: {e}")})),
                    Ok(value) => {
                        if let Some(schema) = &media.schema {
                            let key = format!("{}|body|{}", op.anchor, media.media_type);
                            if let Some(v) = self.validator(key, schema, spec) {
                                for e in v.iter_errors(&value).take(10) {
                                    errors.push(json!({"in": "body", "path": e.instance_path().to_string(), "message": e.to_string()}));
                                }
                            }
                        }
                    }
                }
            }
        }
        errors
    }

    fn is_valid(&self, value: &Value, schema: &Schema, spec: &Spec) -> bool {
        let key = format!("{:p}", schema as *const Schema);
        self.validator(key, schema, spec)
            .is_none_or(|v| v.is_valid(value))
    }

    fn respond(&self, req: &Request<'_>, spec: &Spec, op: &Operation) -> Response {
        let prefer = req.header("prefer").unwrap_or("");
        let wanted_code = prefer_value(prefer, "code");
        let wanted_example = prefer_value(prefer, "example");
        let response = match &wanted_code {
            Some(code) => op.responses.iter().find(|r| &r.status == code),
            None => op.success().or(op.responses.first()),
        };
        let Some(response) = response else {
            return match wanted_code {
                Some(code) => {
                    gravitee_error(400, &format!("the operation documents no response {code}"))
                }
                None => Response {
                    status: 200,
                    headers: Vec::new(),
                    body: Vec::new(),
                    label: String::new(),
                },
            };
        };
        let status = response
            .status
            .parse()
            .unwrap_or(if response.status.starts_with('2') {
                200
            } else {
                500
            });
        let Some(media) = pick_media(&response.content, req.header("accept")) else {
            return Response {
                status,
                headers: Vec::new(),
                body: Vec::new(),
                label: String::new(),
            };
        };
        let key = format!(
            "{}|{}|{}|{}",
            op.anchor,
            response.status,
            media.media_type,
            wanted_example.as_deref().unwrap_or("")
        );
        let cached = self
            .bodies
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned();
        let body = match cached {
            Some(body) => body,
            None => {
                let example = match &wanted_example {
                    Some(name) => media
                        .examples
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone()),
                    // The first example that keeps the spec's own schema; else one made from the schema.
                    None => media
                        .examples
                        .iter()
                        .map(|(_, v)| v)
                        .find(|v| {
                            media
                                .schema
                                .as_ref()
                                .is_none_or(|s| self.is_valid(v, s, spec))
                        })
                        .cloned(),
                };
                let value = example
                    .or_else(|| {
                        media
                            .schema
                            .as_ref()
                            .map(|s| synth::example(s, &spec.schemas))
                    })
                    .unwrap_or(Value::Null);
                let body = Arc::new(match value {
                    Value::String(s) if !media.media_type.contains("json") => s.into_bytes(),
                    other => serde_json::to_vec_pretty(&other).unwrap_or_default(),
                });
                self.bodies
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key, Arc::clone(&body));
                body
            }
        };
        Response {
            status,
            headers: vec![("Content-Type".into(), media.media_type.clone())],
            body: body.to_vec(),
            label: String::new(),
        }
    }
}

fn pick_media<'m>(content: &'m [MediaType], accept: Option<&str>) -> Option<&'m MediaType> {
    if let Some(accept) = accept {
        for wanted in accept
            .split(',')
            .map(|a| a.split(';').next().unwrap_or("").trim())
        {
            if let Some(m) = content
                .iter()
                .find(|m| m.media_type.eq_ignore_ascii_case(wanted))
            {
                return Some(m);
            }
        }
    }
    content
        .iter()
        .find(|m| m.media_type.contains("json"))
        .or(content.first())
}

/// `Prefer: code=404, example=fast` → the value for `name`.
fn prefer_value(prefer: &str, name: &str) -> Option<String> {
    prefer.split([',', ';']).find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().trim_matches('"').to_string())
    })
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// A parameter's text as the JSON value its schema expects, so that `"12"` is an integer.
fn coerce(
    text: &str,
    schema: &Schema,
    schemas: &std::collections::BTreeMap<String, Schema>,
) -> Value {
    let kind = match &schema.kind {
        SchemaKind::Ref(name) => schemas
            .get(name)
            .map(|s| &s.kind)
            .unwrap_or(&SchemaKind::Any),
        other => other,
    };
    match kind {
        SchemaKind::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.into())),
        SchemaKind::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.into())),
        SchemaKind::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.into()),
        },
        SchemaKind::Array(_) => Value::Array(
            text.split(',')
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        _ => Value::String(text.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SandboxKey;

    fn gateway(keys: Vec<SandboxKey>) -> Gateway {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (catalog, findings) = crate::openapi::load(&crate::openapi::Source {
            dir: &root.join("openapi"),
            root,
            gateway_host_suffix: ".intark.uh-it.no",
        });
        assert!(findings.is_empty(), "{findings:?}");
        Gateway::new(catalog, keys, "X-Gravitee-Api-Key")
    }

    fn key(k: &str, apis: &[&str], rate_limit: u32) -> SandboxKey {
        SandboxKey {
            key: k.into(),
            apis: apis.iter().map(|s| s.to_string()).collect(),
            rate_limit,
        }
    }

    fn call(
        g: &Gateway,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Response {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        g.handle(&Request {
            method,
            url,
            headers: &headers,
            body: body.as_bytes(),
        })
    }

    fn json(r: &Response) -> Value {
        serde_json::from_slice(&r.body).unwrap_or(Value::Null)
    }

    const KEY: (&str, &str) = ("X-Gravitee-Api-Key", "k1");

    #[test]
    fn keys_are_required_and_checked_like_gravitee() {
        let g = gateway(vec![
            key("k1", &[], 0),
            key("bare-studier", &["studieregister"], 0),
        ]);
        for headers in [vec![], vec![("X-Gravitee-Api-Key", "ukjent")]] {
            let r = call(&g, "GET", "/lonn/v1/ansatte", &headers, "");
            assert_eq!(r.status, 401);
            assert_eq!(
                String::from_utf8_lossy(&r.body),
                r#"{"message":"Unauthorized","http_status_code":401}"#,
                "Gravitee's body, to the byte"
            );
        }
        assert_eq!(call(&g, "GET", "/lonn/v1/ansatte", &[KEY], "").status, 200);
        assert_eq!(
            call(&g, "GET", "/lonn/v1/ansatte?api-key=k1", &[], "").status,
            200,
            "the api-key query parameter"
        );
        assert_eq!(
            call(
                &g,
                "GET",
                "/lonn/v1/ansatte",
                &[("X-Gravitee-Api-Key", "bare-studier")],
                ""
            )
            .status,
            401,
            "not subscribed"
        );
        assert_eq!(
            call(
                &g,
                "GET",
                "/studier/v1/studenter/512345",
                &[("X-Gravitee-Api-Key", "bare-studier")],
                ""
            )
            .status,
            200
        );
    }

    #[test]
    fn routing_answers_404_and_405_with_allow() {
        let g = gateway(vec![key("k1", &[], 0)]);
        let r = call(&g, "GET", "/finnes/ikke", &[KEY], "");
        assert_eq!(
            (r.status, json(&r)["http_status_code"].as_u64()),
            (404, Some(404))
        );
        let r = call(&g, "DELETE", "/lonn/v1/ansatte", &[KEY], "");
        assert_eq!(r.status, 405);
        assert!(r.headers.iter().any(|(n, v)| n == "Allow" && v == "GET"));
    }

    #[test]
    fn requests_are_validated_against_the_spec() {
        let g = gateway(vec![key("k1", &[], 0)]);
        let r = call(&g, "GET", "/studier/v1/emner", &[KEY], "");
        assert_eq!(r.status, 400);
        assert_eq!(json(&r)["errors"][0]["name"], "semester");
        assert_eq!(
            call(&g, "GET", "/studier/v1/emner?semester=2025X", &[KEY], "").status,
            400,
            "pattern"
        );
        assert_eq!(
            call(&g, "GET", "/studier/v1/emner?semester=2025H", &[KEY], "").status,
            200
        );
        assert_eq!(
            call(&g, "GET", "/stillinger/v1/stillinger/abc", &[KEY], "").status,
            400,
            "integer path parameter"
        );
        let ct = ("Content-Type", "application/json");
        let good = r#"{"studentnummer":"1","emnekode":"IN1000","semester":"2025H","karakter":"B"}"#;
        assert_eq!(
            call(&g, "POST", "/studier/v1/vurderinger", &[KEY, ct], good).status,
            201
        );
        let r = call(
            &g,
            "POST",
            "/studier/v1/vurderinger",
            &[KEY, ct],
            r#"{"studentnummer":"1","emnekode":"IN1000","semester":"2025H","karakter":"Z"}"#,
        );
        assert_eq!(r.status, 400);
        assert_eq!(json(&r)["errors"][0]["path"], "/karakter");
        assert_eq!(
            call(
                &g,
                "POST",
                "/studier/v1/vurderinger",
                &[KEY, ct],
                "{ikke json"
            )
            .status,
            400
        );
        assert_eq!(
            call(&g, "POST", "/studier/v1/vurderinger", &[KEY, ct], "").status,
            400,
            "required body"
        );
        assert_eq!(
            call(
                &g,
                "POST",
                "/studier/v1/vurderinger",
                &[KEY, ("Content-Type", "text/plain")],
                good
            )
            .status,
            400
        );
    }

    #[test]
    fn answers_come_from_examples_or_schemas_and_prefer_chooses() {
        let g = gateway(vec![key("k1", &[], 0)]);
        let r = call(&g, "GET", "/lonn/v1/ansatte/1004521", &[KEY], "");
        assert_eq!(r.status, 200);
        assert!(r
            .headers
            .iter()
            .any(|(n, v)| n == "Content-Type" && v == "application/json"));
        assert_eq!(json(&r)["fornavn"], "Kari", "the spec's example");
        let r = call(
            &g,
            "GET",
            "/lonn/v1/ansatte/1004521",
            &[KEY, ("Prefer", "code=404")],
            "",
        );
        assert_eq!(r.status, 404);
        assert!(json(&r)["melding"].is_string());
        let r = call(
            &g,
            "GET",
            "/lonn/v1/ansatte/1004521",
            &[KEY, ("Prefer", "example=fast")],
            "",
        );
        assert_eq!(json(&r)["stillinger"][0]["tittel"], "Førsteamanuensis");
        let r = call(&g, "GET", "/lonn/v1/organisasjoner", &[KEY], "");
        assert!(
            json(&r)[0]["underenheter"].is_array(),
            "synthesized from the schema, a tree ends: {}",
            String::from_utf8_lossy(&r.body)
        );
    }

    #[test]
    fn rate_limits_answer_429_with_retry_after() {
        let g = gateway(vec![key("k2", &[], 2)]);
        let k = ("X-Gravitee-Api-Key", "k2");
        assert_eq!(call(&g, "GET", "/lonn/v1/ansatte", &[k], "").status, 200);
        assert_eq!(call(&g, "GET", "/lonn/v1/ansatte", &[k], "").status, 200);
        let r = call(&g, "GET", "/lonn/v1/ansatte", &[k], "");
        assert_eq!(r.status, 429);
        let wait: u64 = r
            .headers
            .iter()
            .find(|(n, _)| n == "Retry-After")
            .unwrap()
            .1
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait));
    }

    #[test]
    fn cors_for_pages_on_the_dev_server() {
        let g = gateway(vec![key("k1", &[], 0)]);
        let r = call(&g, "OPTIONS", "/lonn/v1/ansatte", &[], "");
        assert_eq!(r.status, 204);
        assert!(r
            .headers
            .iter()
            .any(|(n, v)| n == "Access-Control-Allow-Headers" && v.contains("X-Gravitee-Api-Key")));
        let r = call(&g, "GET", "/finnes/ikke", &[], "");
        assert!(r
            .headers
            .iter()
            .any(|(n, v)| n == "Access-Control-Allow-Origin" && v == "*"));
    }

    #[test]
    fn random_requests_never_panic() {
        let g = gateway(vec![key("k1", &[], 0)]);
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces = [
            "/",
            "lonn",
            "v1",
            "ansatte",
            "%",
            "%ff",
            "{id}",
            "?",
            "&",
            "=",
            "api-key=k1",
            "..",
            "studier",
            "emner",
            "semester=",
            "\u{0}",
            "æ",
            "//",
            "#",
        ];
        let methods = [
            "GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "", "G\u{0}T",
        ];
        for _ in 0..5000 {
            let url: String = (0..next() % 8)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let body: Vec<u8> = (0..next() % 64).map(|_| (next() % 256) as u8).collect();
            let headers = vec![
                (
                    "Content-Type".to_string(),
                    ["application/json", "text/plain", "", "\u{7f}"][(next() % 4) as usize]
                        .to_string(),
                ),
                ("X-Gravitee-Api-Key".into(), "k1".into()),
                ("Prefer".into(), "code=abc, example=".into()),
            ];
            let method = methods[(next() % methods.len() as u64) as usize];
            let r = g.handle(&Request {
                method,
                url: &url,
                headers: &headers,
                body: &body,
            });
            assert!((100..600).contains(&r.status));
        }
    }
}
