//! The gateway's behaviour, request by request, on the project's own specs.
use super::*;
use crate::catalog::SchemaKind;
use crate::config::SandboxKey;

fn gateway(keys: Vec<SandboxKey>) -> Gateway {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (catalog, findings) = crate::openapi::load(&crate::openapi::Source {
        dir: &root.join("openapi"),
        root,
        gateway_host_suffix: ".intark.uh-it.no",
        apis: &[],
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

fn call(g: &Gateway, method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> Response {
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
        415,
        "a media type the operation does not declare"
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
                ["application/json", "text/plain", "", "\u{7f}"][(next() % 4) as usize].to_string(),
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

/// A gateway over the given spec files, with key `k1` for every API.
fn gateway_over(files: &[(&str, &str)]) -> Gateway {
    let (catalog, _) = crate::openapi::tests::load_files(files);
    Gateway::new(catalog, vec![key("k1", &[], 0)], "X-Gravitee-Api-Key")
}

/// A spec behind the gateway at `context` whose `POST /ting` (operationId `lagTing`) takes and
/// answers the schema `Ting` given as JSON.
fn ting_spec(title: &str, context: &str, ting: &str) -> String {
    format!(
        r##"{{"openapi": "3.0.0", "info": {{"title": "{title}", "version": "1"}}, "x-intark-context-path": "{context}",
  "paths": {{"/ting": {{"post": {{"operationId": "lagTing",
    "requestBody": {{"required": true, "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Ting"}}}}}}}},
    "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Ting"}}}}}}}}}}}}}}}},
  "components": {{"schemas": {{"Ting": {ting}}}}}}}"##
    )
}

#[test]
fn two_apis_with_the_same_names_keep_their_own_schemas() {
    let a = ting_spec(
        "A",
        "/a",
        r#"{"type": "object", "required": ["navn"], "properties": {"navn": {"type": "string"}}}"#,
    );
    let b = ting_spec(
        "B",
        "/b",
        r#"{"type": "object", "required": ["antall"], "properties": {"antall": {"type": "integer"}}}"#,
    );
    let g = gateway_over(&[("a.json", &a), ("b.json", &b)]);
    let ct = ("Content-Type", "application/json");
    // Each API is asked first with the other's shape, so a shared cache would carry it over.
    assert_eq!(
        call(&g, "POST", "/a/ting", &[KEY, ct], r#"{"navn": "x"}"#).status,
        200
    );
    assert_eq!(
        call(&g, "POST", "/b/ting", &[KEY, ct], r#"{"navn": "x"}"#).status,
        400
    );
    assert_eq!(
        call(&g, "POST", "/b/ting", &[KEY, ct], r#"{"antall": 2}"#).status,
        200
    );
    assert_eq!(
        call(&g, "POST", "/a/ting", &[KEY, ct], r#"{"antall": 2}"#).status,
        400
    );
    // And each answers in its own shape.
    let answer_a = json(&call(&g, "POST", "/a/ting", &[KEY, ct], r#"{"navn": "x"}"#));
    let answer_b = json(&call(&g, "POST", "/b/ting", &[KEY, ct], r#"{"antall": 2}"#));
    assert!(answer_a["navn"].is_string(), "{answer_a}");
    assert!(answer_b["antall"].is_i64(), "{answer_b}");
}

#[test]
fn a_schema_that_cannot_be_compiled_is_a_500_that_says_why() {
    let spec = ting_spec("R", "/r", r#"{"type": "string", "pattern": "[uavsluttet"}"#);
    let g = gateway_over(&[("r.json", &spec)]);
    let r = call(
        &g,
        "POST",
        "/r/ting",
        &[KEY, ("Content-Type", "application/json")],
        r#""x""#,
    );
    assert_eq!(r.status, 500);
    let message = json(&r)["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("cannot be compiled"), "{message}");
}

#[test]
fn a_schema_with_no_finite_value_is_answered_with_why_not_null() {
    let spec = r##"{"openapi": "3.0.0", "info": {"title": "S", "version": "1"}, "x-intark-context-path": "/s",
  "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
  "components": {"schemas": {
    "A": {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/components/schemas/B"}}},
    "B": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/components/schemas/A"}}}}}}"##;
    let g = gateway_over(&[("s.json", spec)]);
    let r = call(&g, "GET", "/s/a", &[KEY], "");
    assert_eq!(r.status, 500, "{}", String::from_utf8_lossy(&r.body));
    assert_ne!(json(&r), Value::Null);
    assert!(json(&r)["message"]
        .as_str()
        .is_some_and(|m| m.contains("no value that the response schema accepts")));
}

#[test]
fn integers_beyond_i64_are_integers() {
    let schema = Schema::of(SchemaKind::Integer);
    let big = super::super::params::coerce("5018404830082146238464", &schema, &Default::default());
    assert!(big.is_number(), "{big}");
    assert!(json_schema::is_valid(&big, &schema, &Default::default()));
    assert!(super::super::params::coerce("12x", &schema, &Default::default()).is_string());
}

#[test]
fn wildcards_are_answered_as_json_204_has_no_body_and_formats_are_kept() {
    let spec = r##"{"openapi": "3.0.0", "info": {"title": "W", "version": "1"}, "x-intark-context-path": "/w",
  "paths": {
    "/tekst": {"get": {"responses": {"200": {"description": "ok", "content": {"*/*": {"schema": {"type": "string"}}}}}}},
    "/tom": {"patch": {"responses": {"204": {"description": "ok", "content": {"*/*": {"schema": {"type": "object"}}}}}}},
    "/dato": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
      "schema": {"type": "object", "required": ["d"], "properties": {"d": {"type": "string", "format": "date"}}},
      "example": {"d": "2021-12-31T00:00:00.000+0000"}}}}}}}}}"##;
    let g = gateway_over(&[("w.json", spec)]);
    let r = call(&g, "GET", "/w/tekst", &[KEY], "");
    assert_eq!(r.status, 200);
    assert!(r
        .headers
        .iter()
        .any(|(n, v)| n == "Content-Type" && v == "application/json"));
    assert!(json(&r).is_string(), "{}", String::from_utf8_lossy(&r.body));
    let r = call(&g, "PATCH", "/w/tom", &[KEY], "");
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    assert!(!r.headers.iter().any(|(n, _)| n == "Content-Type"));
    // The spec's example breaks `format: date`; the answer is made from the schema instead.
    let d = json(&call(&g, "GET", "/w/dato", &[KEY], ""))["d"].clone();
    assert_eq!(d, "2024-08-15");
}

const OWN: &str = r##"{"openapi": "3.0.3", "info": {"title": "Egen", "version": "1"},
  "servers": [{"url": "https://api.example.org/v1"}],
  "components": {"securitySchemes": {
      "basic": {"type": "http", "scheme": "basic"},
      "q": {"type": "apiKey", "in": "query", "name": "access_token"}},
    "schemas": {"Feil": {"type": "object", "required": ["kode"], "properties": {"kode": {"type": "string", "example": "NEI"}}}}},
  "paths": {
    "/a": {"get": {"operationId": "a", "security": [{"basic": []}, {"q": []}],
      "responses": {"200": {"description": "ok"}, "401": {"description": "nei", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Feil"}}}}}}},
    "/skjema": {"post": {"operationId": "skjema", "requestBody": {"required": true, "content": {
      "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}}}},
      "responses": {"200": {"description": "ok"}}}}}}"##;

#[test]
fn own_security_is_enforced_with_the_sandbox_keys_as_credentials() {
    let g = gateway_over(&[("egen.json", OWN)]);
    let r = call(&g, "GET", "/v1/a", &[], "");
    assert_eq!(r.status, 401);
    assert_eq!(
        json(&r),
        json!({"kode": "NEI"}),
        "the spec's own error shape"
    );
    assert!(r
        .headers
        .iter()
        .any(|(n, v)| n == "WWW-Authenticate" && v.starts_with("Basic")));
    // base64("ola:k1") and base64("ola:feil")
    let ok = call(
        &g,
        "GET",
        "/v1/a",
        &[("Authorization", "Basic b2xhOmsx")],
        "",
    );
    assert_eq!(ok.status, 200);
    let wrong = call(
        &g,
        "GET",
        "/v1/a",
        &[("Authorization", "Basic b2xhOmZlaWw=")],
        "",
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(
        call(&g, "GET", "/v1/a?access_token=k1", &[], "").status,
        200
    );
    assert_eq!(call(&g, "GET", "/v1/a?access_token=x", &[], "").status, 401);
    // The gateway's key is not a credential of an API that is not behind the gateway.
    assert_eq!(call(&g, "GET", "/v1/a", &[KEY], "").status, 401);
}

#[test]
fn form_bodies_are_parsed_by_their_content_type_and_json_is_refused() {
    let g = gateway_over(&[("egen.json", OWN)]);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    assert_eq!(call(&g, "POST", "/v1/skjema", &form, "n=12").status, 200);
    let r = call(&g, "POST", "/v1/skjema", &form, "n=tolv");
    assert_eq!(r.status, 400, "{}", json(&r));
    let r = call(&g, "POST", "/v1/skjema", &form, "{\"n\": 12}");
    assert_eq!(r.status, 400);
    assert!(json(&r).to_string().contains("is JSON"), "{}", json(&r));
    let r = call(
        &g,
        "POST",
        "/v1/skjema",
        &[("Content-Type", "application/json")],
        "{\"n\": 12}",
    );
    assert_eq!(r.status, 415, "not an accepted content type");
}

#[test]
fn the_forwarded_host_picks_the_api_among_same_paths() {
    let spec = |title: &str, host: &str, status: &str| {
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "{title}", "version": "1"}}, "servers": [{{"url": "https://{host}"}}],
            "paths": {{"/x": {{"get": {{"operationId": "x", "responses": {{"{status}": {{"description": "ok"}}}}}}}}}}}}"#
        )
    };
    let g = gateway_over(&[
        ("a.json", &spec("A", "a.example.org", "200")),
        ("b.json", &spec("B", "b.example.org", "202")),
    ]);
    let at = |host: &str| call(&g, "GET", "/x", &[("X-Forwarded-Host", host)], "").status;
    assert_eq!(at("a.example.org"), 200);
    assert_eq!(at("B.example.org"), 202);
}

#[test]
fn a_body_is_accepted_by_its_declared_media_type_and_others_are_415() {
    let spec = r##"{"openapi": "3.0.3", "info": {"title": "Fil", "version": "1"},
  "servers": [{"url": "https://fil.example.org"}],
  "paths": {"/fil": {"put": {"operationId": "lastOpp", "requestBody": {"required": true, "content": {
      "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
      "application/xml": {"schema": {"type": "object"}}}},
    "responses": {"200": {"description": "ok"}}}}}}"##;
    let g = gateway_over(&[("fil.json", spec)]);
    let put = |ct: &str, body: &str| call(&g, "PUT", "/fil", &[("Content-Type", ct)], body);
    assert_eq!(
        put("application/octet-stream", "(contents of eksempel.bin)").status,
        200
    );
    assert_eq!(put("application/xml", "<a/>").status, 200);
    let r = put("application/json", "{}");
    assert_eq!(r.status, 415, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(json(&r)["http_status_code"], 415);
    assert_eq!(
        call(&g, "PUT", "/fil", &[], "").status,
        400,
        "a required body"
    );
}

#[test]
fn object_parameters_are_read_in_the_style_the_spec_gives_them() {
    // Found by Schemathesis: an object in a header (`simple`: `a,x`) was checked as the text
    // `"a,x"` and answered 400, which the operation does not document.
    let spec = r##"{"openapi": "3.0.0", "info": {"title": "O", "version": "1"}, "x-intark-context-path": "/o",
  "components": {"schemas": {"Filter": {"type": "object", "required": ["a"], "additionalProperties": false,
    "properties": {"a": {"type": "string", "enum": ["x"]}, "n": {"type": "integer"}}}}},
  "paths": {
    "/header": {"get": {"parameters": [{"name": "X-Filter", "in": "header", "required": true, "schema": {"$ref": "#/components/schemas/Filter"}}],
      "responses": {"200": {"description": "ok"}}}},
    "/exploded-header": {"get": {"parameters": [{"name": "X-Filter", "in": "header", "required": true, "explode": true, "schema": {"$ref": "#/components/schemas/Filter"}}],
      "responses": {"200": {"description": "ok"}}}},
    "/form": {"get": {"parameters": [{"name": "filter", "in": "query", "required": true, "schema": {"$ref": "#/components/schemas/Filter"}},
        {"name": "side", "in": "query", "schema": {"type": "integer"}}],
      "responses": {"200": {"description": "ok"}}}},
    "/form-plain": {"get": {"parameters": [{"name": "filter", "in": "query", "required": true, "explode": false, "schema": {"$ref": "#/components/schemas/Filter"}}],
      "responses": {"200": {"description": "ok"}}}},
    "/deep": {"get": {"parameters": [{"name": "filter", "in": "query", "required": true, "style": "deepObject", "schema": {"$ref": "#/components/schemas/Filter"}}],
      "responses": {"200": {"description": "ok"}}}},
    "/pipes": {"get": {"parameters": [{"name": "ids", "in": "query", "required": true, "style": "pipeDelimited", "explode": false,
      "schema": {"type": "array", "items": {"type": "integer"}}}],
      "responses": {"200": {"description": "ok"}}}}}}"##;
    let g = gateway_over(&[("o.json", spec)]);
    let status = |url: &str, headers: &[(&str, &str)]| {
        let mut all = vec![KEY];
        all.extend_from_slice(headers);
        let r = call(&g, "GET", url, &all, "");
        (r.status, String::from_utf8_lossy(&r.body).into_owned())
    };
    let ok = [
        ("/o/header", vec![("X-Filter", "a,x")]),
        ("/o/header", vec![("X-Filter", "a,x,n,3")]),
        ("/o/exploded-header", vec![("X-Filter", "a=x,n=3")]),
        ("/o/form?a=x&n=3&side=1", vec![]),
        ("/o/form-plain?filter=a,x,n,3", vec![]),
        ("/o/deep?filter[a]=x&filter[n]=3", vec![]),
        ("/o/pipes?ids=1|2|3", vec![]),
    ];
    for (url, headers) in ok {
        assert_eq!(status(url, &headers).0, 200, "{url} {headers:?}");
    }
    // And what breaks the schema is still a 400, naming the parameter.
    let bad = [
        ("/o/header", vec![("X-Filter", "a,y")]),
        ("/o/header", vec![("X-Filter", "{'a': 'x'}")]),
        ("/o/exploded-header", vec![("X-Filter", "a=x,n=tre")]),
        ("/o/form?n=3", vec![]),
        ("/o/deep?filter[a]=x&filter[b]=1", vec![]),
        ("/o/pipes?ids=1|to", vec![]),
    ];
    for (url, headers) in bad {
        let (code, body) = status(url, &headers);
        assert_eq!(code, 400, "{url} {headers:?}: {body}");
    }
    let (_, body) = status("/o/form?side=1", &[]);
    assert!(body.contains("\"filter\""), "{body}");
}

#[test]
fn an_empty_list_and_an_empty_text_body_are_values() {
    // Found by Schemathesis on eInnsyn: `entity=` (an empty list, `explode: false`) was read as
    // the list `[""]`, and a `text/plain` body that is the empty string as no body at all.
    let spec = r##"{"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "x-intark-context-path": "/t",
  "paths": {
    "/search": {"get": {"parameters": [{"name": "entity", "in": "query", "explode": false,
        "schema": {"type": "array", "items": {"type": "string", "enum": ["Journalpost", "Saksmappe"]}}}],
      "responses": {"200": {"description": "ok"}}}},
    "/id": {"post": {"requestBody": {"required": true, "content": {
        "text/plain": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object"}}}},
      "responses": {"201": {"description": "ok"}}}}}}"##;
    let g = gateway_over(&[("t.json", spec)]);
    let status = |method: &str, url: &str, headers: &[(&str, &str)]| {
        let mut all = vec![KEY];
        all.extend_from_slice(headers);
        call(&g, method, url, &all, "").status
    };
    assert_eq!(status("GET", "/t/search?entity=", &[]), 200);
    assert_eq!(
        status("GET", "/t/search?entity=Saksmappe,Journalpost", &[]),
        200
    );
    assert_eq!(status("GET", "/t/search?entity=Sak", &[]), 400);
    let text = ("Content-Type", "text/plain");
    assert_eq!(status("POST", "/t/id", &[text]), 201, "the empty string");
    assert_eq!(status("POST", "/t/id", &[]), 400, "no body at all");
    let json = ("Content-Type", "application/json");
    assert_eq!(status("POST", "/t/id", &[json]), 400, "empty is not JSON");
}
