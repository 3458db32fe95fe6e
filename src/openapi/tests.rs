//! Loading specs from files: findings at their own line and column, `$ref` cycles, schemas that
//! cannot be compiled, examples that break their schema.

use super::*;
use crate::diag::Diagnostic;

/// Load the given files as an `openapi/` folder; findings other than the warning that a context
/// path was assumed from the file name (tested on its own in the testsuite).
pub(crate) fn load_files(files: &[(&str, &str)]) -> (Catalog, Vec<Diagnostic>) {
    let (catalog, findings) = load_all(files);
    let findings = findings
        .into_iter()
        .filter(|f| f.rule != CONTEXT_PATH_ASSUMED)
        .collect();
    (catalog, findings)
}

fn load_all(files: &[(&str, &str)]) -> (Catalog, Vec<Diagnostic>) {
    let dir = tempfile::tempdir().unwrap();
    let openapi = dir.path().join("openapi");
    std::fs::create_dir_all(&openapi).unwrap();
    for (name, text) in files {
        let path = openapi.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    load(&Source {
        dir: &openapi,
        root: dir.path(),
        gateway_host_suffix: ".intark.uh-it.no",
        apis: &[],
    })
}

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

const CYCLE: &str = "openapi: 3.0.0
info: {title: Syklus, version: '1'}
x-intark-context-path: /syklus
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/A'
components:
  schemas:
    A:
      type: object
      required: [b]
      properties:
        b: {$ref: '#/components/schemas/B'}
    B:
      type: object
      required: [c]
      properties:
        c: {$ref: '#/components/schemas/C'}
    C:
      type: object
      required: [a]
      properties:
        a: {$ref: '#/components/schemas/A'}
";

#[test]
fn a_schema_cycle_with_no_way_out_is_a_spec_finding_at_the_schema() {
    let (catalog, findings) = load_files(&[("syklus.yaml", CYCLE)]);
    assert_eq!(catalog.apis.len(), 1);
    let cycles: Vec<&Diagnostic> = findings.iter().filter(|f| f.rule == "spec").collect();
    assert_eq!(cycles.len(), 1, "one finding per cycle: {findings:#?}");
    let f = cycles[0];
    assert!(f.message.contains("A → B → C → A"), "{}", f.message);
    assert_eq!(f.span.file, Path::new("openapi/syklus.yaml"));
    assert_eq!(f.span.line, line_of(CYCLE, "    A:"));
    assert_eq!(f.span.column, 5);
}

#[test]
fn a_parameter_ref_cycle_names_the_cycle() {
    let text = r##"{
  "openapi": "3.0.0",
  "info": {"title": "P", "version": "1"},
  "paths": {"/a": {"get": {
    "parameters": [{"$ref": "#/components/parameters/X"}],
    "responses": {"200": {"description": "ok"}}}}},
  "components": {"parameters": {
    "X": {"$ref": "#/components/parameters/Y"},
    "Y": {"$ref": "#/components/parameters/X"}}}
}"##;
    let (_, findings) = load_files(&[("p.json", text)]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert!(
        f.message.contains("`$ref` cycle: #/components/parameters/X → #/components/parameters/Y → #/components/parameters/X"),
        "{}",
        f.message
    );
    assert!(!f.message.contains("points at nothing"), "{}", f.message);
    assert_eq!((f.span.line, f.span.column), (5, 20), "at the parameter");
}

#[test]
fn findings_point_at_their_line_in_json_and_yaml() {
    let json = r##"{
  "openapi": "3.0.0",
  "info": {"title": "J", "version": "1"},
  "paths": {
    "/a": {
      "get": {
        "responses": {
          "200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Mangler"}}}}}}}}
}"##;
    let yaml = "openapi: 3.0.0\ninfo: {title: Y, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Mangler'\n";
    let (_, findings) = load_files(&[("j.json", json), ("y.yaml", yaml)]);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    for f in &findings {
        assert!(f.message.contains("points at nothing"), "{}", f.message);
        let text = if f.span.file.ends_with("j.json") {
            json
        } else {
            yaml
        };
        let expected = text.lines().position(|l| l.contains("schema")).unwrap() + 1;
        assert_eq!(f.span.line, expected, "{f:?}");
        assert!(f.span.column > 1, "{f:?}");
    }
}

#[test]
fn generated_operations_carry_their_line() {
    let (catalog, _) = load_files(&[("syklus.yaml", CYCLE)]);
    let op = &catalog.apis[0].specs[0].operations[0];
    assert_eq!(op.span.line, line_of(CYCLE, "    get:"));
}

#[test]
fn a_schema_that_cannot_be_compiled_is_a_finding_not_a_pass() {
    let text = r##"{
  "openapi": "3.0.0",
  "info": {"title": "R", "version": "1"},
  "x-intark-context-path": "/r",
  "paths": {"/a": {"get": {
    "responses": {"200": {"description": "ok", "content": {"application/json": {
      "schema": {"type": "string", "pattern": "[uavsluttet"}}}}}}}}
}"##;
    let (_, findings) = load_files(&[("r.json", text)]);
    let f = findings
        .iter()
        .find(|f| f.rule == "spec")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert!(f.message.contains("cannot be compiled"), "{}", f.message);
    assert!(f.message.contains("response 200"), "{}", f.message);
    assert_eq!(f.span.line, 6);
}

#[test]
fn an_example_that_breaks_its_schema_is_a_spec_example_finding_at_the_example() {
    let text = "openapi: 3.0.0
info: {title: E, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [navn]
                properties:
                  navn: {type: string}
              example:
                alder: 3
";
    let (_, findings) = load_files(&[("e.yaml", text)]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.rule, "spec-example");
    assert!(f.message.contains("navn"), "{}", f.message);
    assert_eq!(f.span.line, line_of(text, "example:"));
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_document() {
    let text = "\u{feff}{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"Bom\", \"version\": \"1\"}, \"paths\": {}}";
    let (catalog, findings) = load_files(&[("bom.json", text)]);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(catalog.apis[0].title, "Bom");
}

#[test]
fn refs_to_other_local_files_are_read_and_the_parts_are_not_specs() {
    let main = "openapi: 3.0.0
info: {title: Deler, version: '1'}
x-intark-context-path: /deler
paths:
  /personer/{id}:
    parameters:
      - $ref: 'felles/parametre.yaml#/Id'
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: './felles/skjema.json#/Person'
";
    let parameters = "Id: {name: id, in: path, required: true, schema: {type: integer}}\n";
    let schemas = r##"{"Person": {"type": "object", "required": ["navn", "adresse"], "properties": {
        "navn": {"type": "string"}, "adresse": {"$ref": "#/Adresse"}}},
      "Adresse": {"type": "object", "required": ["by"], "properties": {"by": {"type": "string"}}}}"##;
    let (catalog, findings) = load_files(&[
        ("deler.yaml", main),
        ("felles/parametre.yaml", parameters),
        ("felles/skjema.json", schemas),
    ]);
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(catalog.apis.len(), 1);
    let spec = &catalog.apis[0].specs[0];
    let op = &spec.operations[0];
    assert_eq!(op.parameters[0].name, "id");
    let schema = op.responses[0].content[0].schema.as_ref().unwrap();
    let value = crate::apigen::synth::example(schema, &spec.schemas);
    assert!(value["adresse"]["by"].is_string(), "{value}");
    assert!(crate::apigen::json_schema::is_valid(
        &value,
        schema,
        &spec.schemas
    ));
}

#[test]
fn a_cycle_across_files_is_a_finding_not_a_hang() {
    let main = "openapi: 3.0.0\ninfo: {title: S, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'a.yaml#/A'}\n";
    let a = "A: {type: object, required: [b], properties: {b: {$ref: 'b.yaml#/B'}}}\n";
    let b = "B: {type: object, required: [a], properties: {a: {$ref: 'a.yaml#/A'}}}\n";
    let (_, findings) = load_files(&[("s.yaml", main), ("a.yaml", a), ("b.yaml", b)]);
    assert!(
        findings
            .iter()
            .any(|f| f.message.contains("more than 16 deep")),
        "{findings:#?}"
    );
}

#[test]
fn a_path_item_referring_to_another_path_of_the_document_is_followed() {
    let spec = r##"{"openapi": "3.0.3", "info": {"title": "Ref", "version": "1"},
      "servers": [{"url": "https://api.example.org"}],
      "paths": {
        "/source": {"get": {"operationId": "source", "responses": {"200": {"description": "ok"}}}},
        "/copy": {"$ref": "#/paths/~1source"},
        "/elsewhere": {"$ref": "#/paths/~1missing"}
      }}"##;
    let (catalog, findings) = load_files(&[("ref.json", spec)]);
    let ops: Vec<&str> = catalog.apis[0].specs[0]
        .operations
        .iter()
        .map(|o| o.path.as_str())
        .collect();
    assert!(
        ops.contains(&"/source") && ops.contains(&"/copy"),
        "{ops:?}"
    );
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].message.contains("#/paths/~1missing"));
}

const CONTRADICTION: &str = "openapi: 3.0.0
info: {title: Motsigelse, version: '1'}
x-intark-context-path: /motsigelse
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: string
              not: {type: string}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Both'
  /b:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Fine'
components:
  schemas:
    Both:
      allOf:
        - $ref: '#/components/schemas/OnlyA'
        - type: object
          additionalProperties: false
          required: [b]
          properties:
            b: {type: string}
    OnlyA:
      type: object
      additionalProperties: false
      required: [a]
      properties:
        a: {type: string}
    Fine:
      type: object
      additionalProperties: false
      required: [tags, kind]
      properties:
        tags: {type: array, minItems: 2, uniqueItems: true, items: {type: string}}
        kind: {type: string, not: {enum: [eksempel]}}
";

#[test]
fn a_contradictory_schema_is_a_spec_finding_at_its_line_and_others_get_values() {
    let (catalog, findings) = load_files(&[("motsigelse.yaml", CONTRADICTION)]);
    let mut lines: Vec<usize> = findings
        .iter()
        .filter(|f| f.rule == "spec")
        .map(|f| f.span.line)
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            line_of(CONTRADICTION, "          application/json:"),
            line_of(CONTRADICTION, "    Both:"),
        ],
        "the request body (a string that is not a string) and `Both`, not `Fine`: {findings:#?}"
    );
    assert!(
        findings.iter().any(|f| f
            .message
            .contains("schema `Both` has no value that it accepts")),
        "{findings:#?}"
    );
    let spec = &catalog.apis[0].specs[0];
    let fine = &spec.schemas["Fine"];
    assert!(fine.closed);
    let value = crate::apigen::synth::example(fine, &spec.schemas);
    assert!(crate::apigen::json_schema::is_valid(
        &value,
        fine,
        &spec.schemas
    ));
    assert_ne!(value["kind"], "eksempel");
}

#[test]
fn a_body_on_a_204_is_a_lenient_warning_at_its_media_type() {
    let text = "openapi: 3.0.1
info: {title: Tom, version: '1'}
x-intark-context-path: /tom
paths:
  /person:
    patch:
      responses:
        '204':
          description: ok
          content:
            '*/*':
              schema: {type: object}
";
    let (_, findings) = load_files(&[("tom.yaml", text)]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.rule, SPEC_LENIENT);
    assert_eq!(f.severity, crate::diag::Severity::Warning);
    assert_eq!(f.span.line, line_of(text, "'*/*'"));
    assert!(f.message.contains("response 204"), "{}", f.message);
}
