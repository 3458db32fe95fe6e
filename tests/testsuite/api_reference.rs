//! The API reference: markup from the theme's `api/*.html` templates (a site can replace them), UI
//! strings in the site's language, the schema explorer's deep links, the try-it form's markup,
//! build diagnostics kept out of the pages, and the browser tests (try it against the sandbox under
//! `serve`, the API key in sessionStorage only, axe-core light and dark at desktop and phone width).

use crate::browser::run_script;
use crate::harness::{attrs, select, shared_or_skip, text_of, SiteTest};
use std::path::Path;

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A site with the project's own Lønn og HR spec.
fn lonn_site() -> SiteTest {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n");
    site.file(
        "openapi/lonn-og-hr.yaml",
        std::fs::read(project().join("openapi/lonn-og-hr.yaml")).unwrap(),
    );
    site
}

/// A site with the corpus's FS Gemini export (50 operations, split into pages per tag).
fn gemini_site(shared: &Path) -> SiteTest {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n");
    site.file(
        "openapi/fs-gemini-prod.json",
        std::fs::read(shared.join(
            "corpora/sikt-datadeling/docs/datadeling/teknisk-plattform/api/fs-gemini-prod.json",
        ))
        .unwrap(),
    );
    site
}

#[test]
fn operations_have_two_panes_examples_per_status_and_a_try_it_form() {
    let site = lonn_site();
    site.build();
    let page = site.html("/docs/api-katalog/lonn-og-hr/");
    let op = "section.operation[aria-labelledby=hentAnsatt]";
    assert_eq!(
        select(&page, &format!("{op} > .op-main > h3#hentAnsatt")).len(),
        1
    );
    // Right pane: curl and PowerShell, then the response example of each status with a body.
    let aside = format!("{op} > .op-aside");
    assert_eq!(
        attrs(&page, &format!("{aside} .tab-panel"), "data-tab-label"),
        ["curl", "PowerShell"]
    );
    let statuses: Vec<String> = select(&page, &format!("{aside} details.example .status-code"))
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(statuses, ["200", "401", "404"]);
    // The spec's own named example is used, and its name shown.
    assert!(text_of(&page, &format!("{aside} details.example")).contains("«fast»"));
    // Try it: the path parameter prefilled from the spec's example, the key field masked and empty.
    let form = format!("{aside} form[data-try]");
    assert_eq!(
        attrs(&page, &form, "data-path"),
        ["/lonn/v1/ansatte/{ansattnummer}"]
    );
    assert_eq!(
        attrs(&page, &format!("{form} input[data-in=path]"), "value"),
        ["1004521"]
    );
    let key = format!("{form} input[data-try-key-input]");
    assert_eq!(attrs(&page, &key, "type"), ["password"]);
    assert!(attrs(&page, &key, "value").is_empty());
    // The catalog's CSS and script are loaded on catalog pages only.
    assert_eq!(attrs(&page, "script[src$='api.js']", "src").len(), 1);
    let home = site.html("/docs/");
    assert!(attrs(&home, "script[src$='api.js']", "src").is_empty());
    assert!(attrs(&home, "link[href$='api.css']", "href").is_empty());
}

#[test]
fn the_schema_explorer_nests_in_details_with_deep_links() {
    let site = lonn_site();
    site.build();
    let page = site.html("/docs/api-katalog/lonn-og-hr/");
    // The list response: `ansatte` is a list of Ansatt, expandable in place, its properties linkable.
    let ansatte = "li[id='listAnsatte-200.ansatte']";
    let summary = text_of(&page, &format!("{ansatte} > details.schema-node > summary"));
    assert!(
        summary.contains("ansatte") && summary.contains("liste av") && summary.contains("Ansatt"),
        "{summary}"
    );
    assert!(summary.contains("påkrevd"), "{summary}");
    // Two named schemas deep (AnsattSide, Ansatt), a third (Stilling) is a link to its section,
    // where its own properties are open, each with an id.
    let stillinger = "li[id='listAnsatte-200.ansatte.stillinger']";
    assert!(select(&page, &format!("{stillinger} details")).is_empty());
    assert_eq!(
        attrs(&page, &format!("{stillinger} a.type"), "href"),
        ["#schema-stilling"]
    );
    let prosent = text_of(&page, "li[id='schema-stilling.prosent']");
    assert!(
        prosent.contains("Minst: 0") && prosent.contains("Høyst: 100"),
        "{prosent}"
    );
    // Every named schema has its section, and references link to it.
    assert_eq!(select(&page, "h3#schema-ansatt").len(), 1);
    assert!(attrs(&page, "a", "href").contains(&"#schema-ansatt".to_string()));
}

#[test]
fn a_site_replaces_a_catalog_template_and_gets_its_own_language() {
    let site = lonn_site();
    site.file("intark.toml", "language = \"en\"\ntheme_dir = \"theme\"\n");
    site.file(
        "theme/templates/api/overview.html",
        "<p class=\"own-catalog\">{{ apis | length }} {{ t(key=\"api.operation_many\") }}</p>",
    );
    site.build();
    let overview = site.html("/docs/api-katalog/");
    assert_eq!(text_of(&overview, "p.own-catalog"), "1 operations");
    let page = site.html("/docs/api-katalog/lonn-og-hr/");
    let headings: Vec<String> = select(&page, "section.operation h4")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert!(headings.contains(&"Parameters".to_string()), "{headings:?}");
    assert!(headings.contains(&"Responses".to_string()), "{headings:?}");
    assert_eq!(text_of(&page, ".try-it > summary"), "Try it");
}

/// FS Gemini's spec names a server the gateway does not forward to: the gateway path is assumed.
/// That is one finding for the writer, and not a word of it on the pages.
#[test]
fn an_assumed_gateway_path_is_a_finding_never_page_text() {
    let Some(shared) = shared_or_skip("an_assumed_gateway_path_is_a_finding_never_page_text")
    else {
        return;
    };
    let site = gemini_site(&shared);
    let run = site.run(&["check", "--format", "json"]);
    let assumed: Vec<_> = run.findings_where(|rule| rule == "context-path-assumed");
    assert_eq!(assumed.len(), 1, "{}", run.stdout());
    assert_eq!(assumed[0].1, "openapi/fs-gemini-prod.json");
    site.run(&["build", "--no-check"]);
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(site.out("/docs/api-katalog/")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            pages += 1;
            for sentence in ["kunne ikke utledes", "matches neither", "cannot be derived"] {
                assert!(
                    !text.contains(sentence),
                    "{} says {sentence}",
                    entry.path().display()
                );
            }
        }
    }
    assert!(pages >= 5, "{pages} catalog pages");
    let person = site.html("/docs/api-katalog/fs-gemini/person/");
    assert!(!select(&person, "section.operation form[data-try]").is_empty());
}

#[test]
fn try_it_reaches_the_sandbox_under_serve_by_keyboard_in_chromium() {
    let site = lonn_site();
    run_script(
        "api-try-it.mjs",
        &[Path::new(env!("CARGO_BIN_EXE_intark-docs")), site.root()],
    );
}

#[test]
fn published_api_pages_keep_the_key_in_the_session_and_pass_axe_in_chromium() {
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--root"])
        .arg(project())
        .arg("--out")
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    run_script(
        "api-reference.mjs",
        &[
            out.path(),
            Path::new("/docs/api-katalog/lonn-og-hr/"),
            Path::new("-"),
            Path::new("/docs/api-katalog/"),
            Path::new("/docs/api-katalog/lonn-og-hr/"),
            Path::new("/docs/api-katalog/studieregister/"),
        ],
    );
}

#[test]
fn the_fs_gemini_pages_pass_axe_light_and_dark_in_chromium() {
    let Some(shared) = shared_or_skip("the_fs_gemini_pages_pass_axe_light_and_dark_in_chromium")
    else {
        return;
    };
    let site = gemini_site(&shared);
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let built = site.out("/");
    run_script(
        "api-reference.mjs",
        &[
            built.as_path(),
            Path::new("/docs/api-katalog/fs-gemini/person/"),
            Path::new("-"),
            Path::new("/docs/api-katalog/fs-gemini/"),
            Path::new("/docs/api-katalog/fs-gemini/person/"),
            Path::new("/docs/api-katalog/fs-gemini/skjemaer/"),
        ],
    );
}

#[test]
fn a_broken_catalog_template_fails_the_build_naming_it() {
    let site = lonn_site();
    site.file("intark.toml", "theme_dir = \"theme\"\n");
    site.file("theme/templates/api/api.html", "{{ title }");
    let run = site.run(&["build"]);
    assert_ne!(run.code(), 0);
    assert!(run.stderr().contains("api/api.html"), "{}", run.stderr());
}

/// The download links of the API page at `route`: (link text, file in the output folder).
fn downloads(site: &SiteTest, route: &str) -> Vec<(String, std::path::PathBuf)> {
    let page = site.html(route);
    select(&page, "p.api-downloads a[download]")
        .iter()
        .map(|a| {
            let href = a.value().attr("href").unwrap();
            assert!(href.starts_with(route), "{href} is not beside {route}");
            (a.text().collect::<String>(), site.out(href))
        })
        .collect()
}

fn json_file(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each API page offers its spec as published, and the OpenAPI 3.0 form the catalog works from
/// where that is another document (Swagger 2.0, Gravitee exports). The files are in the output
/// beside the page, and a Markdown page may link to them without `check` calling the link broken.
#[test]
fn api_pages_offer_the_original_spec_and_the_converted_openapi_30_form() {
    let site = lonn_site();
    for name in ["stillinger-swagger.json", "romreservasjon-gravitee.json"] {
        let path = format!("openapi/{name}");
        site.file(&path, std::fs::read(project().join(&path)).unwrap());
    }
    site.file(
        "content/spesifikasjoner.md",
        "# Spesifikasjoner\n\n[Stillinger som OpenAPI 3.0](/docs/api-katalog/stillingsregister/stillinger-swagger.openapi-3.0.json)\n",
    );
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.findings(), vec![], "{}", check.stdout());
    site.build();

    let swagger = downloads(&site, "/docs/api-katalog/stillingsregister/");
    assert_eq!(swagger.len(), 2, "{swagger:?}");
    assert_eq!(swagger[0].0, "last ned originalen");
    assert_eq!(
        std::fs::read(&swagger[0].1).unwrap(),
        std::fs::read(project().join("openapi/stillinger-swagger.json")).unwrap()
    );
    assert_eq!(json_file(&swagger[0].1)["swagger"], "2.0");
    assert_eq!(swagger[1].0, "last ned som OpenAPI 3.0");
    let converted = json_file(&swagger[1].1);
    assert!(converted["openapi"].as_str().unwrap().starts_with("3.0."));
    assert!(converted.get("swagger").is_none());
    assert!(converted["paths"]
        .as_object()
        .is_some_and(|p| !p.is_empty()));

    let gravitee = downloads(&site, "/docs/api-katalog/romreservasjon/");
    assert_eq!(gravitee.len(), 2, "{gravitee:?}");
    let export = json_file(&gravitee[0].1);
    assert!(
        export["pages"].is_array(),
        "the Gravitee export as published"
    );
    let converted = json_file(&gravitee[1].1);
    assert!(converted["openapi"].as_str().unwrap().starts_with("3.0."));
    assert!(converted["paths"]
        .as_object()
        .is_some_and(|p| !p.is_empty()));

    // An OpenAPI 3.0 file is already the form the catalog works from: only the original.
    let yaml = downloads(&site, "/docs/api-katalog/lonn-og-hr/");
    assert_eq!(yaml.len(), 1, "{yaml:?}");
    assert_eq!(
        std::fs::read(&yaml[0].1).unwrap(),
        std::fs::read(project().join("openapi/lonn-og-hr.yaml")).unwrap()
    );
}

/// FS Gemini's Gravitee export embeds its spec as a string: the converted form is that spec as a
/// JSON document with all its operations.
#[test]
fn the_fs_gemini_export_offers_its_embedded_spec_as_openapi_30() {
    let Some(shared) =
        shared_or_skip("the_fs_gemini_export_offers_its_embedded_spec_as_openapi_30")
    else {
        return;
    };
    let site = gemini_site(&shared);
    site.run(&["build", "--no-check"]);
    let files = downloads(&site, "/docs/api-katalog/fs-gemini/");
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(json_file(&files[0].1)["pages"].is_array());
    let converted = json_file(&files[1].1);
    assert!(converted["openapi"].as_str().unwrap().starts_with("3.0."));
    let operations: usize = converted["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .count()
        })
        .sum();
    assert_eq!(operations, 50);
}

/// (method badge, link) of each operation the sidebar lists under the current page.
fn sidebar_operations(page: &scraper::Html) -> Vec<(String, String)> {
    let lists = select(page, "#sidebar ul.nav-ops");
    assert!(lists.len() <= 1, "one list of operations at most");
    for list in &lists {
        // The list belongs to the entry of the current page (a page, or a folder's own page).
        let entry = scraper::ElementRef::wrap(list.parent().unwrap()).unwrap();
        let first_link = entry
            .select(&scraper::Selector::parse("a").unwrap())
            .next()
            .unwrap();
        assert_eq!(first_link.value().attr("aria-current"), Some("page"));
    }
    select(page, "#sidebar ul.nav-ops > li > a")
        .iter()
        .map(|a| {
            let badge = a
                .select(&scraper::Selector::parse("span.method").unwrap())
                .next()
                .expect("a method badge");
            (
                badge.text().collect::<String>(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

/// On an API page the sidebar entry of that API lists its operations with method badges, each
/// linking to the operation's anchor; other entries list none.
#[test]
fn the_sidebar_lists_the_operations_of_the_current_api() {
    let site = lonn_site();
    site.file(
        "openapi/stillinger-swagger.json",
        std::fs::read(project().join("openapi/stillinger-swagger.json")).unwrap(),
    );
    site.build();
    let page = site.html("/docs/api-katalog/lonn-og-hr/");
    let listed = sidebar_operations(&page);
    let anchors = attrs(&page, "section.operation", "aria-labelledby");
    assert!(anchors.len() >= 4, "{anchors:?}");
    assert_eq!(
        listed
            .iter()
            .map(|(_, href)| href.clone())
            .collect::<Vec<_>>(),
        anchors.iter().map(|a| format!("#{a}")).collect::<Vec<_>>()
    );
    for (badge, href) in &listed {
        let op = select(
            &page,
            &format!("section.operation[aria-labelledby={}]", &href[1..]),
        );
        let method = op[0]
            .select(&scraper::Selector::parse(".method").unwrap())
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        assert_eq!(badge, &method, "{href}");
    }
    assert_eq!(select(&page, "#sidebar ul.nav-ops").len(), 1);
    // Other pages list no operations.
    let overview = site.html("/docs/api-katalog/");
    assert!(select(&overview, "#sidebar ul.nav-ops").is_empty());
    let home = site.html("/docs/");
    assert!(select(&home, "#sidebar ul.nav-ops").is_empty());
}

/// FS Gemini is split into topic pages: its page's sidebar entry lists all 50 operations, each
/// linking to the anchor on its topic page.
#[test]
fn the_sidebar_of_a_split_api_links_operations_on_their_topic_pages() {
    let Some(shared) =
        shared_or_skip("the_sidebar_of_a_split_api_links_operations_on_their_topic_pages")
    else {
        return;
    };
    let site = gemini_site(&shared);
    site.run(&["build", "--no-check"]);
    let listed = sidebar_operations(&site.html("/docs/api-katalog/fs-gemini/"));
    assert_eq!(listed.len(), 50);
    for (badge, href) in &listed {
        assert!(
            ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&badge.as_str()),
            "{badge}"
        );
        let (route, anchor) = href.split_once('#').unwrap();
        assert!(route.starts_with("/docs/api-katalog/fs-gemini/"), "{href}");
        let topic = site.html(route);
        assert_eq!(
            select(&topic, &format!("[id=\"{anchor}\"]")).len(),
            1,
            "{href}"
        );
    }
}
