//! The gateway's behaviour as a pure function from request to response: routing by context path and
//! path template, API keys (header or `api-key` query parameter), subscriptions and rate limits,
//! validation against the spec, and answers from the spec's examples or synthesized from its schemas.

use crate::apigen::json_schema::{self, Direction};
use crate::apigen::synth;
use crate::apimatch::{Match, Router};
use crate::catalog::{Catalog, Credential, MediaType, Operation, ParamIn, Schema, Spec};
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
    validators: RwLock<HashMap<String, Compiled>>,
    bodies: RwLock<HashMap<String, Body>>,
}

type Validator = jsonschema::Validator;
/// A compiled schema, or why it cannot be compiled.
type Compiled = Result<Arc<Validator>, String>;
/// An answer's body, or why there is none.
type Body = Result<Arc<Vec<u8>>, String>;

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
                        format!(
                            "Content-Type, Accept, Prefer, Authorization, {}",
                            self.key_header
                        ),
                    ),
                    ("Access-Control-Max-Age".into(), "600".into()),
                ],
                body: Vec::new(),
                label: "cors".into(),
            };
        }
        let (path, query) = req.url.split_once('?').unwrap_or((req.url, ""));
        let query = super::params::parse_query(query);
        let (api_index, spec_index, op_index, params) = match self.router.find_at(
            req.method,
            req.header(crate::apimatch::FORWARDED_HOST),
            path,
        ) {
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
        // Caches are per API and spec: two APIs may use the same operationId or schema name for
        // different shapes.
        let scope = format!("{}|{spec_index}|{}", api.id, op.anchor);
        // An API called at its own server: the spec's own security, with the sandbox's keys as
        // the documented credentials.
        if !api.behind_gateway() && !self.authenticated(req, spec, op, &query) {
            let mut r = self.unauthorized(spec, op, &scope);
            r.label = label;
            return r;
        }
        let errors = match self.validate(req, spec, op, &scope, &params, &query) {
            Ok(errors) => errors,
            Err(broken) => {
                let mut r = json_response(
                    500,
                    &json!({"message": broken, "http_status_code": 500}),
                    &label,
                );
                r.label = label;
                return r;
            }
        };
        if !errors.is_empty() {
            // A body of a media type the operation does not declare is 415, as servers answer it.
            let unsupported = errors
                .iter()
                .any(|e| e["in"] == "header" && e["name"] == "Content-Type");
            let (status, message) = if unsupported {
                (415, "Unsupported Media Type")
            } else {
                (400, "Bad Request")
            };
            let ours = json!({"message": message, "http_status_code": status, "errors": errors});
            let mut r = self.rejected(spec, op, &scope, status, ours);
            r.label = label;
            return r;
        }
        let mut r = self.respond(req, spec, op, &scope);
        r.label = label;
        r
    }

    fn is_key(&self, value: &str) -> bool {
        self.keys.iter().any(|k| k.key == value)
    }

    /// Whether the request satisfies one of the operation's security requirements (a scheme the
    /// sandbox cannot check, such as HTTP digest, counts as satisfied).
    fn authenticated(
        &self,
        req: &Request<'_>,
        spec: &Spec,
        op: &Operation,
        query: &[(String, String)],
    ) -> bool {
        if op.requirements.is_empty() {
            return true;
        }
        let authorization = |scheme: &str| {
            req.header("authorization").and_then(|a| {
                let (kind, value) = a.trim().split_once(' ')?;
                kind.eq_ignore_ascii_case(scheme)
                    .then(|| value.trim().to_string())
            })
        };
        op.requirements.iter().any(|alternative| {
            alternative.iter().all(|(name, _)| {
                let credential = spec
                    .security_schemes
                    .get(name)
                    .and_then(|s| s.credential(name));
                match credential {
                    None => true,
                    Some(Credential::Basic { .. }) => authorization("basic")
                        .and_then(|b| {
                            use base64::Engine;
                            base64::engine::general_purpose::STANDARD.decode(b).ok()
                        })
                        .and_then(|d| String::from_utf8(d).ok())
                        .is_some_and(|pair| {
                            pair.split_once(':').is_some_and(|(user, password)| {
                                !user.is_empty() && self.is_key(password)
                            })
                        }),
                    Some(Credential::Bearer { .. }) => {
                        authorization("bearer").is_some_and(|t| self.is_key(&t))
                    }
                    Some(Credential::ApiKey { name, location, .. }) => match location {
                        ParamIn::Query => query.iter().any(|(n, v)| *n == name && self.is_key(v)),
                        ParamIn::Cookie => req.header("cookie").is_some_and(|c| {
                            c.split(';').any(|pair| {
                                pair.trim()
                                    .split_once('=')
                                    .is_some_and(|(n, v)| n == name && self.is_key(v))
                            })
                        }),
                        _ => req.header(&name).is_some_and(|v| self.is_key(v)),
                    },
                }
            })
        })
    }

    /// A 400 or 415 for a request that breaks the spec: in the spec's own media type and shape
    /// when the operation documents the status (or `4XX`, or `default`) with a body, with our
    /// details (`ours`) merged in where its schema allows them; else `ours` as JSON.
    fn rejected(
        &self,
        spec: &Spec,
        op: &Operation,
        scope: &str,
        status: u16,
        ours: Value,
    ) -> Response {
        let code = status.to_string();
        let documented = ["4XX", "default"]
            .iter()
            .fold(
                op.responses.iter().find(|r| r.status == code),
                |found, fallback| {
                    found.or_else(|| op.responses.iter().find(|r| r.status == *fallback))
                },
            )
            .filter(|r| !r.content.is_empty());
        let answer = documented.and_then(|r| {
            let media = pick_media(&r.content, Some("application/json"))?;
            let content_type = concrete(&media.media_type);
            if !content_type.contains("json") {
                return None;
            }
            let body = self.answer_body(media, spec, scope, &r.status, None).ok()?;
            let mut value: Value = serde_json::from_slice(&body).ok()?;
            let schema = media.schema.as_ref();
            if let (Value::Object(map), Value::Object(details), Some(schema)) =
                (&value, &ours, schema)
            {
                let mut merged = map.clone();
                for (k, v) in details {
                    merged.entry(k.clone()).or_insert(v.clone());
                }
                let merged = Value::Object(merged);
                let key = format!("{scope}|answer|{}|{}", r.status, media.media_type);
                if self
                    .validator(key, schema, spec, Direction::Response)
                    .is_ok_and(|v| v.is_valid(&merged))
                {
                    value = merged;
                }
            }
            Some((content_type, value))
        });
        match answer {
            Some((content_type, value)) => Response {
                status,
                headers: vec![("Content-Type".into(), content_type)],
                body: serde_json::to_vec_pretty(&value).unwrap_or_default(),
                label: String::new(),
            },
            None => json_response(status, &ours, "-"),
        }
    }

    /// A 401: in the spec's own shape when the operation documents a 401 with a body.
    fn unauthorized(&self, spec: &Spec, op: &Operation, scope: &str) -> Response {
        let documented = op.responses.iter().find(|r| r.status == "401");
        let body = documented.and_then(|r| {
            let media = pick_media(&r.content, None)?;
            let body = self.answer_body(media, spec, scope, "401", None).ok()?;
            Some((concrete(&media.media_type), body))
        });
        let mut r = match body {
            Some((content_type, body)) => Response {
                status: 401,
                headers: vec![("Content-Type".into(), content_type)],
                body: body.to_vec(),
                label: String::new(),
            },
            None => gravitee_error(401, "Unauthorized"),
        };
        let challenge = op
            .requirements
            .first()
            .and_then(|alt| alt.first())
            .and_then(|(name, _)| spec.security_schemes.get(name)?.credential(name));
        match challenge {
            Some(Credential::Basic { .. }) => r
                .headers
                .push(("WWW-Authenticate".into(), "Basic realm=\"sandbox\"".into())),
            Some(Credential::Bearer { .. }) => r
                .headers
                .push(("WWW-Authenticate".into(), "Bearer realm=\"sandbox\"".into())),
            _ => {}
        }
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

    /// The compiled schema, cached under `key` (which names the API, spec and place); the reason
    /// when it cannot be compiled, so that nothing passes unchecked.
    fn validator(
        &self,
        key: String,
        schema: &Schema,
        spec: &Spec,
        direction: Direction,
    ) -> Result<Arc<Validator>, String> {
        if let Some(v) = self
            .validators
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return v.clone();
        }
        let compiled =
            json_schema::validator(&json_schema::document_for(schema, &spec.schemas, direction))
                .map(Arc::new)
                .map_err(|e| format!("the spec's schema cannot be compiled for validation: {e}"));
        self.validators
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, compiled.clone());
        compiled
    }

    /// Problems of the request; `Err` when a schema it must be checked against cannot be compiled.
    fn validate(
        &self,
        req: &Request<'_>,
        spec: &Spec,
        op: &Operation,
        scope: &str,
        params: &[(String, String)],
        query: &[(String, String)],
    ) -> Result<Vec<Value>, String> {
        let mut errors = Vec::new();
        let header = |name: &str| req.header(name).map(str::to_string);
        let others: Vec<&str> = op
            .parameters
            .iter()
            .filter(|p| p.location == ParamIn::Query)
            .map(|p| p.name.as_str())
            .collect();
        let sources = super::params::Sources {
            path: params,
            query,
            header: &header,
            others: &others,
        };
        for p in &op.parameters {
            let Some((value, mut typed)) = super::params::read(p, &spec.schemas, &sources) else {
                if p.required && p.location != ParamIn::Cookie {
                    errors.push(json!({"in": p.location.as_str(), "name": p.name, "message": "required parameter is missing"}));
                }
                continue;
            };
            let key = format!("{scope}|{}|{}", p.location.as_str(), p.name);
            let v = self
                .validator(key, &p.schema, spec, Direction::Request)
                .map_err(|e| format!("parameter `{}`: {e}", p.name))?;
            // A header or query string cannot carry JSON null; clients write a nullable one as `null`.
            if value == "null" && !v.is_valid(&typed) && v.is_valid(&Value::Null) {
                typed = Value::Null;
            }
            for e in v.iter_errors(&typed).take(3) {
                errors.push(
                    json!({"in": p.location.as_str(), "name": p.name, "message": e.to_string()}),
                );
            }
        }
        if let Some(body) = &op.request_body {
            // An empty body is no body, unless it is text the client named: the empty string
            // (`text/plain` with nothing in it) is a value of its own.
            let empty_text = req.header("content-type").is_some_and(|t| {
                body.content.iter().any(|m| {
                    let declared = m.media_type.to_ascii_lowercase();
                    t.split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .eq_ignore_ascii_case(&declared)
                        && !declared.contains("json")
                        && !declared.contains("form")
                })
            });
            if req.body.is_empty() && !empty_text {
                if body.required {
                    errors.push(json!({"in": "body", "message": "the request body is required"}));
                }
                return Ok(errors);
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
                return Ok(errors);
            };
            let media_type = media.media_type.to_ascii_lowercase();
            // The body read as its media type says: form fields as an object of the schema's shape,
            // JSON as it is; other types are accepted by their content type alone.
            let fields = if media_type.starts_with("application/x-www-form-urlencoded") {
                Some(super::forms::urlencoded(req.body))
            } else if media_type.starts_with("multipart/form-data") {
                Some(super::forms::multipart(
                    req.body,
                    req.header("content-type").unwrap_or(""),
                ))
            } else {
                None
            };
            let body: Option<Result<Value, String>> = match fields {
                Some(fields) => Some(fields.map(|fields| match &media.schema {
                    Some(schema) => super::forms::object(fields, schema, spec),
                    None => Value::Null,
                })),
                None if media.media_type.contains("json") => Some(
                    serde_json::from_slice::<Value>(req.body)
                        .map_err(|e| format!("not valid JSON: {e}")),
                ),
                None => None,
            };
            match (body, &media.schema) {
                (Some(Err(e)), _) => errors.push(json!({"in": "body", "message": e})),
                (Some(Ok(value)), Some(schema)) => {
                    self.body_errors(scope, &media.media_type, schema, spec, &value, &mut errors)?
                }
                _ => {}
            }
        }
        Ok(errors)
    }

    /// The request body (JSON, or form fields read as an object) checked against its schema: up to
    /// ten errors, each with its path in the body.
    fn body_errors(
        &self,
        scope: &str,
        media_type: &str,
        schema: &Schema,
        spec: &Spec,
        value: &Value,
        errors: &mut Vec<Value>,
    ) -> Result<(), String> {
        let key = format!("{scope}|body|{media_type}");
        let v = self
            .validator(key, schema, spec, Direction::Request)
            .map_err(|e| format!("request body: {e}"))?;
        for e in v.iter_errors(value).take(10) {
            errors.push(json!({"in": "body", "path": e.instance_path().to_string(), "message": e.to_string()}));
        }
        Ok(())
    }

    fn respond(&self, req: &Request<'_>, spec: &Spec, op: &Operation, scope: &str) -> Response {
        let prefer = req.header("prefer").unwrap_or("");
        let wanted_code = prefer_value(prefer, "code");
        let wanted_example = prefer_value(prefer, "example");
        let response = match &wanted_code {
            Some(code) => op.responses.iter().find(|r| &r.status == code),
            // No success documented: `default` (answered as 200) before the first documented
            // status, so that every answer is one the spec documents.
            None => op
                .success()
                .or_else(|| op.responses.iter().find(|r| r.status == "default"))
                .or(op.responses.first()),
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
        let status = match response.status.parse() {
            Ok(status) => status,
            Err(_) if response.status == "default" && wanted_code.is_none() => 200,
            Err(_) if response.status.starts_with('2') => 200,
            Err(_) => 500,
        };
        // 204, 205 and 304 carry no body (and so no Content-Type), whatever the spec lists.
        let bodiless = matches!(status, 204 | 205 | 304);
        let media = pick_media(&response.content, req.header("accept")).filter(|_| !bodiless);
        let Some(media) = media else {
            // No body; a Swagger 2.0 `produces` still names its Content-Type.
            let named = bodiless_media_type(&response.bodiless_media_types, req.header("accept"));
            return Response {
                status,
                headers: named
                    .map(|t| ("Content-Type".to_string(), concrete(t)))
                    .into_iter()
                    .collect(),
                body: Vec::new(),
                label: String::new(),
            };
        };
        let key = format!(
            "{scope}|{}|{}|{}",
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
                let body = self.answer_body(
                    media,
                    spec,
                    scope,
                    &response.status,
                    wanted_example.as_deref(),
                );
                self.bodies
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key, body.clone());
                body
            }
        };
        match body {
            Ok(body) => Response {
                status,
                headers: vec![("Content-Type".into(), concrete(&media.media_type))],
                body: body.to_vec(),
                label: String::new(),
            },
            Err(reason) => json_response(
                500,
                &json!({"message": reason, "http_status_code": 500}),
                "-",
            ),
        }
    }

    /// The body of an answer: the example asked for, else the first example that keeps the spec's own
    /// schema, else a value made from the schema that the schema accepts. `Err` says why there is
    /// none (a schema that cannot be compiled, or has no value the synthesizer can find).
    fn answer_body(
        &self,
        media: &MediaType,
        spec: &Spec,
        scope: &str,
        status: &str,
        wanted: Option<&str>,
    ) -> Result<Arc<Vec<u8>>, String> {
        let json = concrete(&media.media_type).contains("json");
        let validator = match &media.schema {
            Some(schema) if json => Some(self.validator(
                format!("{scope}|answer|{status}|{}", media.media_type),
                schema,
                spec,
                Direction::Response,
            )?),
            _ => None,
        };
        let keeps_schema = |v: &Value| validator.as_ref().is_none_or(|c| c.is_valid(v));
        let example = match wanted {
            Some(name) => media
                .examples
                .iter()
                .find(|e| e.name == name)
                .map(|e| e.value.clone()),
            None => media
                .examples
                .iter()
                .map(|e| &e.value)
                .find(|v| keeps_schema(v))
                .cloned(),
        };
        let value = match (example, &media.schema) {
            (Some(example), _) => example,
            (None, Some(schema)) => {
                let value = synth::example_for(schema, &spec.schemas, Direction::Response);
                if let Some(c) = &validator {
                    if let Some(e) = c.iter_errors(&value).next() {
                        return Err(format!(
                            "the sandbox found no value that the response schema accepts ({e} at `{}`); the spec's `spec` finding says why",
                            e.instance_path()
                        ));
                    }
                }
                value
            }
            (None, None) => Value::Null,
        };
        Ok(Arc::new(match value {
            Value::String(s) if !json => s.into_bytes(),
            other => serde_json::to_vec_pretty(&other).unwrap_or_default(),
        }))
    }
}

/// A media type a client can parse: a wildcard (`*/*`, `application/*`) is answered as JSON.
fn concrete(media_type: &str) -> String {
    if media_type.contains('*') {
        "application/json".into()
    } else {
        media_type.to_string()
    }
}

/// The media type a body-less answer names: the first the client accepts, else the first listed.
fn bodiless_media_type<'m>(types: &'m [String], accept: Option<&str>) -> Option<&'m str> {
    let accepted = |t: &&String| {
        accept.is_some_and(|a| {
            a.split(',')
                .map(|a| a.split(';').next().unwrap_or("").trim())
                .any(|a| a.eq_ignore_ascii_case(t))
        })
    };
    types
        .iter()
        .find(accepted)
        .or(types.first())
        .map(String::as_str)
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

#[cfg(test)]
mod tests;
