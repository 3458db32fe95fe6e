//! APIs that are not behind the gateway (issue 23): each at its own server, with its own security
//! and its own body encodings, examples generated, run against the embedded sandbox and checked.

use crate::harness::{select, SiteTest};
use serde_json::Value;

fn site_with(specs: &[(&str, &str)]) -> SiteTest {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n");
    for (name, text) in specs {
        site.file(&format!("openapi/{name}"), text);
    }
    site
}

fn snippets(run: &crate::harness::Run) -> Vec<Value> {
    run.json()["snippets"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Every generated example passed; their number.
fn all_pass(site: &SiteTest) -> usize {
    let run = site.run(&["examples", "--format", "json"]);
    let all = snippets(&run);
    assert!(!all.is_empty(), "{}", run.stdout());
    for s in &all {
        assert_eq!(s["outcome"], "passed", "{s}\n{}", run.stdout());
    }
    assert_eq!(run.code(), 0, "{}", run.stdout());
    all.len()
}

/// The text of every code block on a built page.
fn code_blocks(site: &SiteTest, route: &str) -> Vec<String> {
    let html = site.html(route);
    // The generated curl and PowerShell examples (not the response examples beside them).
    select(&html, ".api-example .tab-panel pre code")
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect()
}

const SECURITY: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Sikret", "version": "1"},
  "servers": [{"url": "https://api.example.org/v1"}],
  "components": {"securitySchemes": {
    "basicAuth": {"type": "http", "scheme": "basic"},
    "bearerAuth": {"type": "http", "scheme": "bearer"},
    "headerKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "queryKey": {"type": "apiKey", "in": "query", "name": "access_token"},
    "cookieKey": {"type": "apiKey", "in": "cookie", "name": "session"},
    "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://auth.example.org/token", "scopes": {"les": "lese"}}}},
    "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://auth.example.org/.well-known/openid-configuration"}
  },
  "schemas": {"Feil": {"type": "object", "required": ["feilkode"], "properties": {"feilkode": {"type": "string", "example": "NEKTET"}}}}},
  "security": [{"bearerAuth": []}],
  "paths": {
    "/basic": {"get": {"operationId": "basic", "security": [{"basicAuth": []}], "responses": {"200": {"description": "ok"}, "401": {"description": "nei", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Feil"}}}}}}},
    "/bearer": {"get": {"operationId": "bearer", "responses": {"200": {"description": "ok"}}}},
    "/header": {"get": {"operationId": "header", "security": [{"headerKey": []}], "responses": {"200": {"description": "ok"}}}},
    "/query": {"get": {"operationId": "query", "security": [{"queryKey": []}], "responses": {"200": {"description": "ok"}}}},
    "/cookie": {"get": {"operationId": "cookie", "security": [{"cookieKey": []}], "responses": {"200": {"description": "ok"}}}},
    "/oauth": {"get": {"operationId": "oauth", "security": [{"oauth": ["les"]}], "responses": {"200": {"description": "ok"}}}},
    "/oidc": {"get": {"operationId": "oidc", "security": [{"oidc": []}], "responses": {"200": {"description": "ok"}}}},
    "/digest-or-key": {"get": {"operationId": "digestOrKey", "security": [{"digest": []}, {"headerKey": []}], "responses": {"200": {"description": "ok"}}}},
    "/open": {"get": {"operationId": "open", "security": [], "responses": {"200": {"description": "ok"}}}}
  }
}"##;

#[test]
fn a_spec_per_security_scheme_kind_carries_and_checks_its_credential() {
    let site = site_with(&[("sikret.json", SECURITY)]);
    assert_eq!(all_pass(&site), 18, "9 operations × curl and PowerShell");
    let built = site.build();
    assert_eq!(built.code(), 0, "{}", built.stdout());
    let code = code_blocks(&site, "/docs/api-katalog/sikret/");
    let with = |needle: &str| code.iter().filter(|c| c.contains(needle)).count();
    assert_eq!(with("--user \"$BASIC_AUTH_USER:$BASIC_AUTH_PASSWORD\""), 1);
    assert_eq!(with("-Authentication Basic -Credential $credential"), 1);
    assert_eq!(with("Authorization: Bearer $BEARER_AUTH_TOKEN"), 1);
    assert_eq!(with("\"Bearer $env:BEARER_AUTH_TOKEN\""), 1);
    assert_eq!(
        with("X-API-Key: $HEADER_KEY"),
        2,
        "header, and the key alternative of digest"
    );
    assert_eq!(with("access_token=${QUERY_KEY}"), 1);
    assert_eq!(with("access_token=$env:QUERY_KEY"), 1);
    assert_eq!(with("Cookie: session=$COOKIE_KEY"), 1);
    assert_eq!(with("Authorization: Bearer $OAUTH_TOKEN"), 1);
    assert_eq!(with("Authorization: Bearer $OIDC_TOKEN"), 1);
    // Every call is at the spec's own server; none carries the gateway's key.
    assert!(code
        .iter()
        .all(|c| c.contains("https://api.example.org/v1/")));
    assert!(code.iter().all(|c| !c.contains("X-Gravitee-Api-Key")));
    let open: Vec<&String> = code.iter().filter(|c| c.contains("/v1/open")).collect();
    assert_eq!(open.len(), 2);
    assert!(
        open.iter()
            .all(|c| !c.contains("Authorization") && !c.contains("$env:") && !c.contains("KEY")),
        "{open:?}"
    );
}

const FORMS: &str = r##"
swagger: "2.0"
info: {title: Skjema, version: "1"}
host: forms.example.org
basePath: /api
schemes: [https]
paths:
  /personer:
    post:
      operationId: lagPerson
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: navn, in: formData, type: string, required: true, default: "Ola Nordmann & co"}
        - {name: alder, in: formData, type: integer, minimum: 0, required: true}
        - {name: merker, in: formData, type: array, items: {type: string}, collectionFormat: multi, required: true}
      responses:
        "201": {description: laget}
  /vedlegg:
    post:
      operationId: lastOpp
      consumes: [multipart/form-data]
      parameters:
        - {name: fil, in: formData, type: file, required: true}
        - {name: beskrivelse, in: formData, type: string, required: true}
      responses:
        "200": {description: ok}
"##;

#[test]
fn form_and_multipart_bodies_are_sent_in_their_encoding_and_checked() {
    let site = site_with(&[("skjema.yaml", FORMS)]);
    assert_eq!(all_pass(&site), 4);
    site.build();
    let code = code_blocks(&site, "/docs/api-katalog/skjema/");
    let curl: Vec<&String> = code.iter().filter(|c| c.starts_with("curl")).collect();
    let ps: Vec<&String> = code.iter().filter(|c| c.starts_with("$headers")).collect();
    let form = curl.iter().find(|c| c.contains("/personer")).unwrap();
    assert!(
        form.contains("--data-urlencode 'navn=Ola Nordmann & co'"),
        "{form}"
    );
    assert!(form.contains("--data-urlencode merker="), "{form}");
    assert!(
        !form.contains("--data-raw") && !form.contains("application/json"),
        "{form}"
    );
    let upload = curl.iter().find(|c| c.contains("/vedlegg")).unwrap();
    assert!(upload.contains("--form fil=@eksempel.bin"), "{upload}");
    assert!(upload.contains("--form-string beskrivelse="), "{upload}");
    assert!(
        !upload.contains("Content-Type"),
        "curl writes the boundary: {upload}"
    );
    let ps_form = ps.iter().find(|c| c.contains("/personer")).unwrap();
    assert!(
        ps_form.contains("-Body $form -ContentType 'application/x-www-form-urlencoded'"),
        "{ps_form}"
    );
    let ps_upload = ps.iter().find(|c| c.contains("/vedlegg")).unwrap();
    assert!(
        ps_upload.contains("(Get-Item -Path 'eksempel.bin')"),
        "{ps_upload}"
    );
    assert!(ps_upload.contains("-Form $form"), "{ps_upload}");
}

#[test]
fn a_json_body_under_a_form_content_type_fails_the_example() {
    let site = site_with(&[("skjema.yaml", FORMS)]);
    site.file(
        "content/feil.md",
        "---\ntitle: Feil\n---\n```bash\ncurl -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data-raw '{\"navn\": \"x\", \"alder\": 1, \"merker\": [\"a\"]}' https://forms.example.org/api/personer\n```\n\n```bash\ncurl -X POST -H 'Content-Type: multipart/form-data' --data-raw 'beskrivelse=x' https://forms.example.org/api/vedlegg\n```\n",
    );
    let run = site.run(&["examples", "--format", "json"]);
    let handwritten: Vec<Value> = snippets(&run)
        .into_iter()
        .filter(|s| s["origin"] == "handwritten")
        .collect();
    assert_eq!(handwritten.len(), 2);
    for s in &handwritten {
        assert_eq!(s["outcome"], "failed", "{s}");
        assert!(s["reason"].as_str().unwrap().contains("400"), "{s}");
    }
}

const PATHS_AND_SERVERS: &str = r##"
openapi: 3.0.3
info: {title: Kryss, version: "1"}
servers:
  - url: "https://{region}.trafikk.example.org/{versjon}"
    variables:
      region: {default: nord, enum: [nord, sor]}
      versjon: {default: v2}
paths:
  /intersections/{intersectionID}.{outputFormat}:
    get:
      operationId: hentKryss
      parameters:
        - {name: intersectionID, in: path, required: true, schema: {type: string, example: "E6/E18 øst"}}
        - {name: outputFormat, in: path, required: true, schema: {type: string, enum: [json, xml]}}
      responses:
        "200": {description: ok}
"##;

#[test]
fn two_parameters_in_one_segment_and_server_variables() {
    let site = site_with(&[("kryss.yaml", PATHS_AND_SERVERS)]);
    assert_eq!(all_pass(&site), 2);
    site.build();
    let code = code_blocks(&site, "/docs/api-katalog/kryss/");
    let curl = code.iter().find(|c| c.starts_with("curl")).unwrap();
    assert!(
        curl.contains("https://nord.trafikk.example.org/v2/intersections/E6%2FE18%20%C3%B8st.json"),
        "{curl}"
    );
}

const SWAGGER_TYPE_LISTS: &str = r##"{
  "swagger": "2.0",
  "info": {"title": "Typelister", "version": "1"},
  "host": "typer.example.org",
  "paths": {"/ting": {"get": {"operationId": "hentTing", "produces": ["application/json"],
    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Ting"}}}}}},
  "definitions": {"Ting": {"type": "object", "required": ["navn", "kallenavn"], "properties": {
    "navn": {"type": "string"},
    "kallenavn": {"type": ["string", "null"]}
  }}}
}"##;

#[test]
fn swagger2_type_lists_are_read_as_nullable_with_a_spec_warning_at_their_line() {
    let site = site_with(&[("typer.json", SWAGGER_TYPE_LISTS)]);
    let run = site.run(&["check", "--format", "json"]);
    let findings = run.findings();
    let spec: Vec<&(String, String, u64)> =
        findings.iter().filter(|f| f.0 == "spec-lenient").collect();
    assert_eq!(spec.len(), 1, "{findings:?}");
    assert_eq!(spec[0].1, "openapi/typer.json");
    assert_eq!(spec[0].2, 9, "the line of `type`");
    assert!(findings.iter().all(|f| f.0 != "openapi"), "{findings:?}");
    assert_eq!(all_pass(&site), 2);
}

#[test]
fn two_apis_with_the_same_paths_on_different_hosts_stay_apart() {
    let spec = |title: &str, host: &str, prop: &str| {
        format!(
            r##"{{"openapi": "3.0.3", "info": {{"title": "{title}", "version": "1"}}, "servers": [{{"url": "https://{host}/v1"}}],
  "paths": {{"/ting": {{"post": {{"operationId": "lag",
    "requestBody": {{"required": true, "content": {{"application/json": {{"schema": {{"type": "object", "required": ["{prop}"], "additionalProperties": false, "properties": {{"{prop}": {{"type": "string"}}}}}}}}}}}},
    "responses": {{"200": {{"description": "ok"}}}}}}}}}}}}"##
        )
    };
    let site = site_with(&[
        ("a.json", &spec("A", "a.example.org", "alfa")),
        ("b.json", &spec("B", "b.example.org", "beta")),
    ]);
    assert_eq!(all_pass(&site), 4);
}

const SERVER_LEVELS: &str = r##"
openapi: 3.0.3
info: {title: Nivaer, version: "1"}
servers:
  - url: "https://dokument.example.org/v1"
paths:
  /felles:
    get:
      operationId: felles
      responses: {"200": {description: ok}}
  /sti:
    servers:
      - url: "https://sti.example.org/{versjon}"
        variables: {versjon: {default: v2}}
    get:
      operationId: sti
      responses: {"200": {description: ok}}
    post:
      operationId: operasjon
      servers:
        - url: "https://operasjon.example.org/v3"
      responses: {"200": {description: ok}}
  /relativ:
    get:
      operationId: relativ
      servers:
        - url: "/v4"
      responses: {"200": {description: ok}}
"##;

#[test]
fn operation_and_path_level_servers_come_before_the_documents() {
    let site = site_with(&[("nivaer.yaml", SERVER_LEVELS)]);
    assert_eq!(all_pass(&site), 8);
    site.build();
    let code = code_blocks(&site, "/docs/api-katalog/nivaer/");
    let curl: Vec<&String> = code.iter().filter(|c| c.starts_with("curl")).collect();
    assert_eq!(curl.len(), 4, "{code:?}");
    let has = |url: &str| curl.iter().any(|c| c.contains(url));
    assert!(has("https://dokument.example.org/v1/felles"), "{curl:?}");
    assert!(has("https://sti.example.org/v2/sti"), "{curl:?}");
    assert!(has("https://operasjon.example.org/v3/sti"), "{curl:?}");
    assert!(!has("https://dokument.example.org/v1/sti"), "{curl:?}");
    // A relative server is on the document server's origin.
    assert!(has("https://dokument.example.org/v4/relativ"), "{curl:?}");
}

const OTHER_MEDIA: &str = r##"
openapi: 3.0.3
info: {title: Medier, version: "1"}
servers:
  - url: "https://medier.example.org"
paths:
  /xml:
    post:
      operationId: sendXml
      requestBody:
        required: true
        content:
          application/xml:
            schema: {type: object}
            example: "<melding><tekst>Hei</tekst></melding>"
      responses: {"200": {description: ok}}
  /tekst:
    put:
      operationId: sendTekst
      requestBody:
        required: true
        content:
          text/plain:
            schema: {type: string}
            example: "Hei på deg"
      responses: {"200": {description: ok}}
  /fil:
    put:
      operationId: lastOpp
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses: {"200": {description: ok}}
"##;

#[test]
fn xml_text_and_binary_bodies_are_sent_as_their_media_type() {
    let site = site_with(&[("medier.yaml", OTHER_MEDIA)]);
    assert_eq!(all_pass(&site), 6);
    site.build();
    let code = code_blocks(&site, "/docs/api-katalog/medier/");
    let find = |start: &str, part: &str| {
        code.iter()
            .find(|c| c.starts_with(start) && c.contains(part))
            .unwrap_or_else(|| panic!("no {start} example with {part}: {code:?}"))
            .clone()
    };
    let xml = find("curl", "example.org/xml");
    assert!(xml.contains("Content-Type: application/xml"), "{xml}");
    assert!(
        xml.contains("<melding><tekst>Hei</tekst></melding>"),
        "{xml}"
    );
    let text = find("curl", "example.org/tekst");
    assert!(text.contains("Content-Type: text/plain"), "{text}");
    assert!(text.contains("--data-raw 'Hei på deg'"), "{text}");
    let file = find("curl", "example.org/fil");
    assert!(file.contains("--data-binary @eksempel.bin"), "{file}");
    assert!(
        file.contains("Content-Type: application/octet-stream"),
        "{file}"
    );
    let ps = find("$headers", "example.org/fil");
    assert!(ps.contains("-InFile 'eksempel.bin'"), "{ps}");
    assert!(
        ps.contains("-ContentType 'application/octet-stream'"),
        "{ps}"
    );
}

const ONLY_OPERATION_SERVERS: &str = r##"
openapi: 3.0.3
info: {title: Bare operasjoner, version: "1"}
paths:
  /ting:
    get:
      operationId: ting
      servers:
        - url: "https://ting.example.org/api"
      responses: {"200": {description: ok}}
"##;

#[test]
fn a_spec_with_servers_only_on_operations_is_called_at_them_not_at_the_gateway() {
    let site = site_with(&[("bare.yaml", ONLY_OPERATION_SERVERS)]);
    assert_eq!(all_pass(&site), 2);
    site.build();
    let code = code_blocks(&site, "/docs/api-katalog/bare-operasjoner/");
    let curl = code.iter().find(|c| c.starts_with("curl")).unwrap();
    assert!(curl.contains("https://ting.example.org/api/ting"), "{curl}");
    assert!(!curl.contains("Gravitee"), "{curl}");
}
