//! Bringing Swagger 2.0 and OpenAPI 3.1 documents to the shape of OpenAPI 3.0, so that one typed
//! converter (through the `openapiv3` crate) serves every input format. Works on JSON values.

use serde_json::{json, Map, Value};

/// The extension a converted body-less response keeps its Swagger 2.0 `produces` in (OpenAPI 3
/// has no media type without content).
pub(super) const PRODUCES_EXTENSION: &str = "x-intark-produces";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Convert a Swagger 2.0 document to OpenAPI 3.0.
pub(super) fn swagger2(doc: &Value) -> Value {
    let consumes = strings(&doc["consumes"]);
    let produces = strings(&doc["produces"]);
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    out.insert(
        "info".into(),
        doc.get("info")
            .cloned()
            .unwrap_or_else(|| json!({"title": "", "version": ""})),
    );
    let base_path = doc["basePath"].as_str().unwrap_or("").trim_end_matches('/');
    let servers: Vec<Value> = match doc["host"].as_str() {
        Some(host) => {
            let schemes = strings(&doc["schemes"]);
            let schemes = if schemes.is_empty() {
                vec!["https".to_string()]
            } else {
                schemes
            };
            schemes
                .iter()
                .map(|s| json!({"url": format!("{s}://{host}{base_path}")}))
                .collect()
        }
        None if !base_path.is_empty() => vec![json!({"url": base_path})],
        None => Vec::new(),
    };
    if !servers.is_empty() {
        out.insert("servers".into(), Value::Array(servers));
    }
    let mut paths = Map::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let shared: Vec<Value> = item["parameters"].as_array().cloned().unwrap_or_default();
        let mut new_item = Map::new();
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            new_item.insert(
                method.into(),
                operation(doc, op, &shared, &consumes, &produces),
            );
        }
        paths.insert(path.clone(), Value::Object(new_item));
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut components = Map::new();
    if let Some(defs) = doc.get("definitions") {
        components.insert("schemas".into(), defs.clone());
    }
    if let Some(schemes) = doc["securityDefinitions"].as_object() {
        let converted: Map<String, Value> = schemes
            .iter()
            .map(|(k, v)| (k.clone(), security_scheme(v)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(converted));
    }
    out.insert("components".into(), Value::Object(components));
    for key in ["security", "tags", "externalDocs"] {
        if let Some(v) = doc.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let mut out = Value::Object(out);
    rewrite_refs(&mut out);
    out
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn resolve_param<'a>(doc: &'a Value, p: &'a Value) -> &'a Value {
    match p["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/parameters/"))
    {
        Some(name) => doc["parameters"].get(name).unwrap_or(p),
        None => p,
    }
}

fn operation(
    doc: &Value,
    op: &Value,
    shared: &[Value],
    consumes: &[String],
    produces: &[String],
) -> Value {
    let op_consumes = strings(&op["consumes"]);
    let consumes = if op_consumes.is_empty() {
        consumes.to_vec()
    } else {
        op_consumes
    };
    let op_produces = strings(&op["produces"]);
    let produces = if op_produces.is_empty() {
        produces.to_vec()
    } else {
        op_produces
    };
    let produces = if produces.is_empty() {
        vec!["application/json".to_string()]
    } else {
        produces
    };
    let mut out = Map::new();
    for key in [
        "summary",
        "description",
        "operationId",
        "tags",
        "deprecated",
        "security",
        "externalDocs",
    ] {
        if let Some(v) = op.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let mut params = Vec::new();
    let mut form = Map::new();
    let mut form_required = Vec::new();
    let mut has_file = false;
    let own: Vec<&Value> = op["parameters"].as_array().into_iter().flatten().collect();
    let names: Vec<(String, String)> = own
        .iter()
        .map(|p| resolve_param(doc, p))
        .map(|p| {
            (
                p["name"].as_str().unwrap_or("").to_string(),
                p["in"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let inherited = shared.iter().filter(|p| {
        let p = resolve_param(doc, p);
        !names.contains(&(
            p["name"].as_str().unwrap_or("").to_string(),
            p["in"].as_str().unwrap_or("").to_string(),
        ))
    });
    for p in own.into_iter().chain(inherited) {
        let p = resolve_param(doc, p);
        match p["in"].as_str() {
            Some("body") => {
                let schema = p.get("schema").cloned().unwrap_or(json!({}));
                let types = if consumes.is_empty() {
                    vec!["application/json".to_string()]
                } else {
                    consumes.clone()
                };
                let content: Map<String, Value> = types
                    .iter()
                    .map(|t| (t.clone(), json!({"schema": schema})))
                    .collect();
                let mut body = json!({"content": content, "required": p["required"].as_bool().unwrap_or(false)});
                if let Some(d) = p.get("description") {
                    body["description"] = d.clone();
                }
                out.insert("requestBody".into(), body);
            }
            Some("formData") => {
                let name = p["name"].as_str().unwrap_or("").to_string();
                if p["type"] == "file" {
                    has_file = true;
                }
                if p["required"].as_bool().unwrap_or(false) {
                    form_required.push(Value::String(name.clone()));
                }
                form.insert(name, param_schema(p));
            }
            Some(location) => {
                let mut param =
                    json!({"name": p["name"], "in": location, "schema": param_schema(p)});
                for key in ["description", "required", "deprecated"] {
                    if let Some(v) = p.get(key) {
                        param[key] = v.clone();
                    }
                }
                if let Some(v) = p.get("x-example") {
                    param["example"] = v.clone();
                }
                params.push(param);
            }
            None => {}
        }
    }
    if !form.is_empty() {
        let media = if has_file || consumes.iter().any(|c| c == "multipart/form-data") {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut schema = json!({"type": "object", "properties": form});
        if !form_required.is_empty() {
            schema["required"] = Value::Array(form_required);
        }
        out.insert(
            "requestBody".into(),
            json!({"content": {media: {"schema": schema}}}),
        );
    }
    if !params.is_empty() {
        out.insert("parameters".into(), Value::Array(params));
    }
    let mut responses = Map::new();
    for (status, response) in op["responses"].as_object().into_iter().flatten() {
        let response = match response["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/responses/"))
        {
            Some(name) => doc["responses"].get(name).unwrap_or(response),
            None => response,
        };
        let mut new = json!({"description": response["description"].as_str().unwrap_or("")});
        if let Some(schema) = response.get("schema") {
            let content: Map<String, Value> = produces
                .iter()
                .map(|t| {
                    let mut media = json!({"schema": schema});
                    if let Some(example) = response["examples"].get(t) {
                        media["example"] = example.clone();
                    }
                    (t.clone(), media)
                })
                .collect();
            new["content"] = Value::Object(content);
        } else if !produces.is_empty() {
            // `produces` names the Content-Type of every response, with a body or not.
            new[PRODUCES_EXTENSION] = json!(produces);
        }
        if let Some(headers) = response["headers"].as_object() {
            let converted: Map<String, Value> = headers
                .iter()
                .map(|(k, h)| {
                    (
                        k.clone(),
                        json!({"schema": param_schema(h), "description": h["description"]}),
                    )
                })
                .collect();
            new["headers"] = Value::Object(converted);
        }
        responses.insert(status.clone(), new);
    }
    if responses.is_empty() {
        responses.insert("default".into(), json!({"description": ""}));
    }
    out.insert("responses".into(), Value::Object(responses));
    Value::Object(out)
}

/// The schema part of a Swagger 2.0 non-body parameter.
fn param_schema(p: &Value) -> Value {
    let mut schema = Map::new();
    for key in [
        "type",
        "format",
        "items",
        "enum",
        "default",
        "minimum",
        "maximum",
        "pattern",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
    ] {
        if let Some(v) = p.get(key) {
            let v = if key == "items" {
                param_schema(v)
            } else {
                v.clone()
            };
            schema.insert(key.into(), v);
        }
    }
    if schema.get("type").is_some_and(|t| t == "file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
    Value::Object(schema)
}

fn security_scheme(s: &Value) -> Value {
    match s["type"].as_str() {
        Some("basic") => json!({"type": "http", "scheme": "basic"}),
        Some("apiKey") => json!({"type": "apiKey", "name": s["name"], "in": s["in"]}),
        Some("oauth2") => {
            let flow = match s["flow"].as_str() {
                Some("implicit") => "implicit",
                Some("password") => "password",
                Some("application") => "clientCredentials",
                _ => "authorizationCode",
            };
            let mut f = json!({"scopes": s.get("scopes").cloned().unwrap_or(json!({}))});
            if let Some(u) = s.get("authorizationUrl") {
                f["authorizationUrl"] = u.clone();
            }
            if let Some(u) = s.get("tokenUrl") {
                f["tokenUrl"] = u.clone();
            }
            if (flow == "authorizationCode" || flow == "implicit")
                && f.get("authorizationUrl").is_none()
            {
                f["authorizationUrl"] = json!("");
            }
            if flow != "implicit" && f.get("tokenUrl").is_none() {
                f["tokenUrl"] = json!("");
            }
            json!({"type": "oauth2", "flows": {flow: f}})
        }
        _ => s.clone(),
    }
}

fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(name) = r.strip_prefix("#/definitions/") {
                    *r = format!("#/components/schemas/{name}");
                }
            }
            map.values_mut().for_each(rewrite_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

/// A list of types where Swagger 2.0 and OpenAPI 3.0 allow one (`type: [string, 'null']`, common in
/// real specs though not valid there), read as Swagger UI and Redoc read it: the one non-null type,
/// nullable when `null` is listed (no type when several are). Returns the JSON pointer of every
/// such `type`, for warnings. Examples, defaults, enums and extensions are values, not schemas, and
/// are left as they are.
pub(super) fn lenient_type_lists(v: &mut Value, at: &str, found: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get("type").cloned() {
                if types.iter().all(Value::is_string) {
                    found.push(format!("{at}/type"));
                    let non_null: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
                    if non_null.len() < types.len() {
                        map.insert("nullable".into(), json!(true));
                        map.insert("x-nullable".into(), json!(true));
                    }
                    match non_null.as_slice() {
                        [one] => {
                            map.insert("type".into(), (*one).clone());
                        }
                        _ => {
                            map.remove("type");
                        }
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                if matches!(
                    key.as_str(),
                    "example" | "examples" | "default" | "enum" | "x-example"
                ) || key.starts_with("x-")
                {
                    continue;
                }
                let escaped = key.replace('~', "~0").replace('/', "~1");
                lenient_type_lists(child, &format!("{at}/{escaped}"), found);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                lenient_type_lists(item, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// Bring an OpenAPI 3.1 document to 3.0's shape. Returns the names of webhooks, which are listed on the
/// page but not turned into operations.
pub(super) fn openapi31(doc: &mut Value) -> Vec<String> {
    let webhooks = doc.as_object_mut().and_then(|m| m.remove("webhooks"));
    let names = webhooks
        .as_ref()
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if let Some(map) = doc.as_object_mut() {
        map.insert("openapi".into(), json!("3.0.3"));
        map.remove("jsonSchemaDialect");
        map.entry("paths").or_insert_with(|| json!({}));
        if let Some(info) = map.get_mut("info").and_then(Value::as_object_mut) {
            info.remove("summary");
            if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
                license.remove("identifier");
            }
        }
    }
    downgrade_schemas(doc);
    names
}

/// 3.1 schema keywords to 3.0 ones, everywhere in the document.
fn downgrade_schemas(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get("type").cloned() {
                let non_null: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
                if non_null.len() < types.len() {
                    map.insert("nullable".into(), json!(true));
                }
                match non_null.as_slice() {
                    [one] => {
                        map.insert("type".into(), (*one).clone());
                    }
                    _ => {
                        map.remove("type");
                    }
                }
            }
            if map.get("type") == Some(&json!("null")) {
                map.remove("type");
                map.insert("nullable".into(), json!(true));
            }
            if let Some(c) = map.remove("const") {
                map.insert("enum".into(), json!([c]));
            }
            if let Some(Value::Array(examples)) = map.get("examples").cloned() {
                map.remove("examples");
                if let Some(first) = examples.into_iter().next() {
                    map.entry("example").or_insert(first);
                }
            }
            for (key, bound) in [
                ("exclusiveMinimum", "minimum"),
                ("exclusiveMaximum", "maximum"),
            ] {
                if let Some(n) = map.get(key).filter(|v| v.is_number()).cloned() {
                    map.insert(bound.into(), n);
                    map.insert(key.into(), json!(true));
                }
            }
            map.remove("$schema");
            map.values_mut().for_each(downgrade_schemas);
        }
        Value::Array(items) => items.iter_mut().for_each(downgrade_schemas),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swagger_body_form_host_and_definitions_are_translated() {
        let doc = json!({
            "swagger": "2.0", "info": {"title": "T", "version": "1"},
            "host": "api.example.no", "basePath": "/v1", "schemes": ["https"],
            "consumes": ["application/json"], "produces": ["application/json"],
            "securityDefinitions": {"key": {"type": "apiKey", "name": "X-Gravitee-Api-Key", "in": "header"}},
            "definitions": {"Ansatt": {"type": "object", "properties": {"id": {"type": "string"}}}},
            "paths": {"/ansatte/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "put": {"operationId": "oppdater", "parameters": [{"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Ansatt"}}],
                        "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Ansatt"}}}},
                "post": {"consumes": ["multipart/form-data"], "parameters": [{"name": "fil", "in": "formData", "type": "file", "required": true}],
                         "responses": {"201": {"description": "laget"}}}
            }}
        });
        let out = swagger2(&doc);
        assert_eq!(out["servers"][0]["url"], "https://api.example.no/v1");
        let put = &out["paths"]["/ansatte/{id}"]["put"];
        assert_eq!(
            put["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Ansatt"
        );
        assert_eq!(put["parameters"][0]["name"], "id");
        assert_eq!(
            put["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Ansatt"
        );
        let post = &out["paths"]["/ansatte/{id}"]["post"];
        assert_eq!(
            post["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["fil"]
                ["format"],
            "binary"
        );
        assert_eq!(out["components"]["securitySchemes"]["key"]["in"], "header");
        assert!(serde_json::from_value::<openapiv3::OpenAPI>(out).is_ok());
    }

    #[test]
    fn openapi31_type_arrays_const_examples_and_webhooks() {
        let mut doc = json!({
            "openapi": "3.1.0", "info": {"title": "T", "version": "1", "summary": "s"},
            "webhooks": {"nyStudent": {}},
            "components": {"schemas": {"S": {"type": ["string", "null"], "examples": ["a"], "const": "a", "exclusiveMinimum": 1}}}
        });
        let hooks = openapi31(&mut doc);
        assert_eq!(hooks, ["nyStudent"]);
        let s = &doc["components"]["schemas"]["S"];
        assert_eq!(
            (s["type"].as_str(), s["nullable"].as_bool()),
            (Some("string"), Some(true))
        );
        assert_eq!(s["enum"], json!(["a"]));
        assert_eq!(s["example"], "a");
        assert_eq!(
            (s["minimum"].as_i64(), s["exclusiveMinimum"].as_bool()),
            (Some(1), Some(true))
        );
        assert!(serde_json::from_value::<openapiv3::OpenAPI>(doc).is_ok());
    }
}
