//! The API catalog: real Gravitee exports and the project's own specs rendered into pages, examples
//! that parse back into the same request, sanitized third-party text, findings for bad specs.

use crate::harness::{attrs, select, shared, shared_or_skip, text_of, SiteTest};
use intark_docs::snippets::{self, Language};
use serde_json::Value;
use std::path::Path;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn corpus_api_dir() -> std::path::PathBuf {
    shared().join("corpora/sikt-datadeling/docs/datadeling/teknisk-plattform/api")
}

fn site_with_specs<N: AsRef<str>>(files: &[(N, String)]) -> SiteTest {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n");
    for (name, text) in files {
        let name = name.as_ref();
        site.file(&format!("openapi/{name}"), text);
    }
    site
}

fn count_operations(spec: &Value) -> usize {
    spec["paths"].as_object().map_or(0, |paths| {
        paths
            .values()
            .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
            .sum()
    })
}

fn parse_any(text: &str) -> Value {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).unwrap()
    } else {
        intark_docs::yaml::parse(text, &intark_docs::limits::Limits::default()).unwrap()
    }
}

/// All HTML files under a folder of the output.
fn pages_under(dir: &Path) -> Vec<scraper::Html> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| scraper::Html::parse_document(&std::fs::read_to_string(e.path()).unwrap()))
        .collect()
}

fn api_dir(site: &SiteTest, title: &str) -> std::path::PathBuf {
    let catalog = site.html("/docs/api-katalog/");
    let link = select(&catalog, "#api-list h2 a")
        .into_iter()
        .find(|a| a.text().collect::<String>() == title)
        .unwrap_or_else(|| panic!("{title} not in the catalog"));
    site.out(link.value().attr("href").unwrap())
}

#[test]
fn real_gravitee_exports_render_every_operation() {
    if shared_or_skip("real_gravitee_exports_render_every_operation").is_none() {
        return;
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(corpus_api_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    assert_eq!(files.len(), 7);
    let site = site_with_specs(&files);
    let run = site.run(&["build", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    for (_, text) in &files {
        let export: Value = serde_json::from_str(text).unwrap();
        let expected: usize = export["pages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["type"] == "SWAGGER")
            .map(|p| count_operations(&parse_any(p["content"].as_str().unwrap())))
            .sum();
        let title = export["name"].as_str().unwrap();
        let rendered: usize = pages_under(&api_dir(&site, title))
            .iter()
            .map(|h| select(h, "section.operation").len())
            .sum();
        assert_eq!(rendered, expected, "{title}");
    }
    // The 318 KB spec is split into a page per tag, and no page is huge (its largest page has 33
    // operations, each with a highlighted curl and PowerShell example: 0.66 MB since PowerShell
    // is highlighted too).
    let gemini = api_dir(&site, "FS Gemini");
    let biggest = walkdir::WalkDir::new(&gemini)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .max()
        .unwrap();
    assert!(
        biggest < 700_000,
        "largest FS Gemini page is {biggest} bytes"
    );
}

#[test]
fn krr_operation_shows_gateway_path_parameters_and_schema() {
    if shared_or_skip("krr_operation_shows_gateway_path_parameters_and_schema").is_none() {
        return;
    }
    let text =
        std::fs::read_to_string(corpus_api_dir().join("digdir-krr-api-template.json")).unwrap();
    let site = site_with_specs(&[("krr.json", text)]);
    site.build();
    let page = scraper::Html::parse_document(
        &std::fs::read_to_string(api_dir(&site, "Digdir KRR API Test").join("index.html")).unwrap(),
    );
    let op = select(&page, "section.operation")
        .into_iter()
        .find(|s| {
            s.text().collect::<String>().contains("/rest/v2/postkasse")
                && s.select(&scraper::Selector::parse(".method-post").unwrap())
                    .next()
                    .is_some()
        })
        .expect("POST /rest/v2/postkasse");
    let html = scraper::Html::parse_fragment(&op.html());
    assert_eq!(
        text_of(&html, ".op-gateway code"),
        "/test/digdir/krr/v2/postkasse"
    );
    assert_eq!(text_of(&html, ".schema-ref a"), "CreatePostboxRequest");
    let required: Vec<String> = select(&html, "ul.schema > li")
        .iter()
        .filter(|li| li.text().collect::<String>().contains("påkrevd"))
        .map(|li| {
            li.select(&scraper::Selector::parse("code.prop").unwrap())
                .next()
                .unwrap()
                .text()
                .collect()
        })
        .collect();
    assert_eq!(required, ["personidentifikator", "postkasseadresse"]);
    assert!(
        !select(&page, "#schema-createpostboxrequest").is_empty(),
        "the schema has its own section"
    );
}

fn env(name: &str) -> Option<String> {
    (name == "INTARK_API_KEY").then(|| "nøkkel".to_string())
}

#[test]
fn every_generated_example_parses_back_into_the_same_request() {
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi");
    let mut files = Vec::new();
    let corpus = shared_or_skip(
        "every_generated_example_parses_back_into_the_same_request (the corpus specs; the \
         project's own were checked)",
    )
    .map(|_| corpus_api_dir());
    let with_corpus = corpus.is_some();
    for dir in std::iter::once(own).chain(corpus) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
                files.push((
                    path.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    let site = site_with_specs(&files);
    site.build();
    let mut checked = 0;
    for page in pages_under(&site.out("docs/api-katalog")) {
        for op in select(&page, "section.operation") {
            let fragment = scraper::Html::parse_fragment(&op.html());
            let method = text_of(&fragment, ".method");
            let code = |label: &str| {
                select(
                    &fragment,
                    &format!(".tab-panel[data-tab-label='{label}'] pre code"),
                )
                .first()
                .map(|c| c.text().collect::<String>())
                .unwrap()
            };
            let curl = snippets::parse(Language::Curl, &code("curl"), &env)
                .unwrap_or_else(|e| panic!("{e}\n{}", code("curl")));
            let ps = snippets::parse(Language::PowerShell, &code("PowerShell"), &env)
                .unwrap_or_else(|e| panic!("{e}\n{}", code("PowerShell")));
            assert_eq!(curl.len(), 1);
            let (mut c, mut p) = (curl[0].clone(), ps[0].clone());
            c.headers.sort();
            p.headers.sort();
            assert_eq!(c, p, "curl and PowerShell disagree");
            assert_eq!(c.method, method);
            if let Some(path) = select(&fragment, ".op-gateway code").first() {
                let path: String = path.text().collect();
                if path.starts_with('/') {
                    // Before a reader picks one, examples name the default instance (here the
                    // first of the default `instances`), so a first copy runs when pasted.
                    assert!(
                        c.url.starts_with("https://gw-hiof.intark.uh-it.no/"),
                        "{}",
                        c.url
                    );
                    assert_eq!(c.header("X-Gravitee-Api-Key"), Some("nøkkel"));
                }
            }
            checked += 1;
        }
    }
    // The corpus exports hold well over a hundred operations; the project's own specs twelve.
    let minimum = if with_corpus { 100 } else { 10 };
    assert!(checked > minimum, "only {checked} operations checked");
}

#[test]
fn the_projects_own_specs_cover_every_format() {
    let site = SiteTest::new();
    std::fs::create_dir_all(site.root().join("content")).unwrap();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nSe [ansatt](/docs/api-katalog/lonn-og-hr/#hentAnsatt) og [feil](/docs/api-katalog/lonn-og-hr/#finnesIkke).\n");
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi")).unwrap() {
        let path = entry.unwrap().path();
        site.file(
            &format!("openapi/{}", path.file_name().unwrap().to_string_lossy()),
            std::fs::read(&path).unwrap(),
        );
    }
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        [(
            "broken-anchor".to_string(),
            "content/index.md".to_string(),
            4
        )],
        "operation anchors are checked"
    );
    site.run(&["build", "--no-check"]);
    let catalog = site.html("/docs/api-katalog/");
    assert_eq!(select(&catalog, "#api-list > li").len(), 4);
    assert_eq!(
        select(&catalog, "#api-filter[data-api-filter-text]").len(),
        1
    );
    let formats: Vec<String> = [
        "lonn-og-hr",
        "studieregister",
        "stillingsregister",
        "romreservasjon",
    ]
    .iter()
    .map(|id| text_of(&site.html(&format!("/docs/api-katalog/{id}/")), ".api-meta"))
    .collect();
    assert!(
        formats[0].contains("OpenAPI 3.0")
            && formats[1].contains("OpenAPI 3.1")
            && formats[2].contains("Swagger 2.0")
            && formats[3].contains("OpenAPI 3.0"),
        "{formats:?}"
    );
    let studier = site.html("/docs/api-katalog/studieregister/");
    assert!(
        text_of(&studier, ".note").contains("nyVurdering"),
        "webhooks are said, not dropped silently"
    );
    assert!(
        select(&studier, "[data-instans]").len() >= 6,
        "examples mark the instance"
    );
    assert!(attrs(&studier, "#instans option", "value").contains(&"uio".to_string()));
    // A spec with a context path but no plans is assumed to have one API-key plan: the theme names
    // it in the site's language; a plan from the source keeps its own name.
    let plan_names = |html: &scraper::Html| -> Vec<String> {
        select(html, "table tbody tr td:first-child")
            .into_iter()
            .map(|td| td.text().collect::<String>())
            .filter(|name| !name.is_empty())
            .collect()
    };
    let studier_plans = plan_names(&studier);
    assert!(
        studier_plans.contains(&"Standard (API-nøkkel)".to_string()),
        "{studier_plans:?}"
    );
    let lonn_plans = plan_names(&site.html("/docs/api-katalog/lonn-og-hr/"));
    assert!(
        lonn_plans.contains(&"Lesetilgang ansatte og organisasjon".to_string())
            && !lonn_plans.contains(&"Standard (API-nøkkel)".to_string()),
        "{lonn_plans:?}"
    );
    let rom = site.html("/docs/api-katalog/romreservasjon/");
    assert_eq!(attrs(&rom, "table caption", "class").len(), 0);
    assert!(text_of(&rom, "#dok-om-romreservasjon").contains("Om romreservasjon"));
}

#[test]
fn hostile_spec_text_is_sanitized() {
    let spec = r#"{"openapi": "3.0.0", "info": {"title": "Fiendtlig", "version": "1", "description": "Hei <script>alert(1)</script><img src=x onerror=alert(1)> [klikk](javascript:alert(1))"},
      "paths": {"/x": {"get": {"summary": "<b onmouseover=alert(1)>s</b>", "description": "<iframe src=https://evil.example></iframe><a href=\"javascript:alert(2)\">a</a>", "responses": {"200": {"description": "ok"}}}}}}"#;
    let site = site_with_specs(&[("fiendtlig.json", spec.to_string())]);
    site.build();
    let html = site.html("/docs/api-katalog/fiendtlig/");
    assert!(select(&html, "article script, article iframe").is_empty());
    for element in select(&html, "article *") {
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name} survived");
            assert!(
                !value.trim_start().to_lowercase().starts_with("javascript:"),
                "{name}={value} survived"
            );
        }
    }
}

#[test]
fn bad_specs_are_findings_with_their_document_path_and_the_rest_renders() {
    let broken_yaml = "openapi: 3.0.0\ninfo: [title\n".to_string();
    let dangling = r##"{"openapi": "3.0.0", "info": {"title": "Dinglende", "version": "1"}, "paths": {"/ansatte/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Mangler"}}}}}}}}}"##.to_string();
    let remote = r#"{"openapi": "3.0.0", "info": {"title": "Fjern", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "https://example.org/s.json#/X"}}}}}}}}}"#.to_string();
    let export = r#"{"name": "Ukjent side", "version": "1", "proxy": {"virtual_hosts": [{"path": "/u"}], "groups": []}, "plans": [], "pages": [{"name": "Rar", "type": "ASYNCAPI", "content": "x"}]}"#.to_string();
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/lonn-og-hr.yaml"),
    )
    .unwrap();
    let site = site_with_specs(&[
        ("a-brutt.yaml", broken_yaml),
        ("b-dinglende.json", dangling),
        ("c-fjern.json", remote),
        ("d-ukjent.json", export),
        ("lonn.yaml", good),
    ]);
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1);
    let json = run.json();
    let findings: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["file"].as_str().unwrap().into(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    // Bare specs without a server also get a `context-path-assumed` warning (tested in examples.rs).
    let findings: Vec<(String, String, String)> = findings
        .into_iter()
        .filter(|f| f.0 != "context-path-assumed")
        .collect();
    assert_eq!(findings.len(), 4, "{findings:#?}");
    assert!(findings.iter().all(|f| f.0 == "openapi"));
    assert_eq!(findings[0].1, "openapi/a-brutt.yaml");
    assert!(findings[0].2.contains("invalid YAML"));
    assert_eq!(json["findings"][0]["line"], 3, "the YAML error's own line");
    assert!(
        findings[1]
            .2
            .starts_with("paths./ansatte/{id}.get.responses.200.content.application/json.schema: "),
        "{}",
        findings[1].2
    );
    assert!(findings[2].2.contains("remote"), "{}", findings[2].2);
    assert!(findings[3].2.contains("ASYNCAPI"), "{}", findings[3].2);
    site.run(&["build", "--no-check"]);
    assert!(
        site.out("docs/api-katalog/lonn-og-hr/index.html").exists(),
        "the good spec still renders"
    );
}

/// Every operation of the specs in `files` (bare specs, and each SWAGGER page of a Gravitee export).
fn operations_in(files: &[(String, String)]) -> usize {
    files
        .iter()
        .map(|(_, text)| {
            let value = parse_any(text.trim_start_matches('\u{feff}'));
            match value["pages"].as_array() {
                Some(pages) if value.get("proxy").is_some() => pages
                    .iter()
                    .filter(|p| p["type"] == "SWAGGER")
                    .map(|p| count_operations(&parse_any(p["content"].as_str().unwrap())))
                    .sum(),
                _ => count_operations(&value),
            }
        })
        .sum()
}

/// The spec files of a folder (JSON and YAML).
fn spec_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn each_spec_of_issue_12_renders_every_operation_and_no_finding_text() {
    // The real specs nobody here wrote (eInnsyn: OpenAPI 3.0 without servers; Dialogporten: .NET's,
    // with a byte order mark), the corpus's Gravitee exports and our own: each built alone, every
    // operation on its API's pages, and what the build reports about a spec stays in the report.
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi");
    let mut sets: Vec<(String, Vec<(String, String)>)> =
        vec![("openapi/".into(), spec_files(&own))];
    if shared_or_skip("each_spec_of_issue_12_renders_every_operation_and_no_finding_text (shared)")
        .is_some()
    {
        for name in ["einnsyn.openapi.yml", "dialogporten-serviceowner.json"] {
            let text = std::fs::read_to_string(shared().join("specs").join(name)).unwrap();
            sets.push((name.into(), vec![(name.to_string(), text)]));
        }
        sets.push(("the corpus".into(), spec_files(&corpus_api_dir())));
    }
    for (label, files) in &sets {
        let site = site_with_specs(files);
        let run = site.run(&["build", "--format", "json"]);
        assert_eq!(run.code(), 0, "{label}: {}\n{}", run.stdout(), run.stderr());
        let findings: Vec<(String, String)> = run.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let catalog = site.html("/docs/api-katalog/");
        let apis = attrs(&catalog, "#api-list h2 a", "href");
        assert!(!apis.is_empty(), "{label}: no API in the catalog");
        let mut rendered = 0;
        for href in &apis {
            for page in pages_under(&site.out(href)) {
                rendered += select(&page, "section.operation").len();
                let text = select(&page, "main")
                    .iter()
                    .map(|m| m.text().collect::<String>())
                    .collect::<String>();
                for (rule, message) in &findings {
                    assert!(
                        !text.contains(message.as_str()),
                        "{label}: the finding `{rule}` is page text under {href}: {message}"
                    );
                }
            }
        }
        assert_eq!(
            rendered,
            operations_in(files),
            "{label}: operations on the pages"
        );
    }
}
