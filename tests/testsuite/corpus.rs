//! The real Docusaurus corpus: it builds as Docusaurus serves it, and the check reports what is
//! really there (and nothing Docusaurus resolves).

use crate::harness::{attrs, select, shared, shared_or_skip, text_of, SiteTest};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    shared().join("corpora/sikt-datadeling")
}

fn corpus_args(out: &std::path::Path) -> Vec<String> {
    [
        "--root",
        corpus().to_str().unwrap(),
        "--content",
        "docs",
        "--static",
        "static",
        "--out",
        out.to_str().unwrap(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn run(args: &[String]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn the_corpus_builds_at_docusaurus_urls_with_every_image() {
    if shared_or_skip("the_corpus_builds_at_docusaurus_urls_with_every_image").is_none() {
        return;
    }
    let site = SiteTest::new();
    let out = site.root().join("public");
    let mut args = vec!["build".to_string(), "--no-check".to_string()];
    args.extend(corpus_args(&out));
    let output = run(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = |route: &str| {
        let path = out.join(route.trim_start_matches('/')).join("index.html");
        scraper::Html::parse_document(
            &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{route}: {e}")),
        )
    };
    // Folder index, slug override, plain file, percent-encoded folder name.
    assert_eq!(
        text_of(&page("/docs/datadeling/om/"), "title")
            .split(" | ")
            .next(),
        Some("Hva er Fellestjenesten for Datadeling (IntArk)?")
    );
    let roles = page("/docs/datadeling/hva-er/roller/");
    assert!(!text_of(&roles, "h1").is_empty());
    let utvikler = page("/docs/datadeling/malgrupper/utvikler/");
    let hrefs = attrs(&utvikler, "article a", "href");
    // Links name their page's permalink: a folder's index doc ends in `/`, other docs do not
    // (Docusaurus with `trailingSlash` unset; its pages are folders either way).
    assert!(
        hrefs.contains(&"/docs/datadeling/veiledere/".to_string()),
        "a folder's index page keeps its slash: {hrefs:?}"
    );
    assert!(hrefs.contains(&"/docs/datadeling/god-praksis/integrasjonsmonster/".to_string()));
    let integra = page("/docs/datadeling/teknisk-plattform/api/integra/");
    let links = attrs(&integra, "article a", "href");
    assert!(
        links.contains(&"/docs/datadeling/veiledere/meldingsk%C3%B8/opprett-tjeneste".to_string()),
        "{links:?}"
    );
    assert!(out
        .join("docs/datadeling/veiledere/meldingskø/opprett-tjeneste/index.html")
        .exists());
    // Files beside pages (Gravitee exports) are copied where the links point.
    let api = page("/docs/datadeling/teknisk-plattform/api/digdir/");
    for href in attrs(&api, "article a[href$='.json']", "href") {
        assert!(out.join(href.trim_start_matches('/')).exists(), "{href}");
    }
    // Every image a page uses is in the output.
    let mut images = 0;
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html =
                scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
            for src in attrs(&html, "article img", "src") {
                if src.starts_with('/') {
                    images += 1;
                    let file = out.join(
                        percent_encoding::percent_decode_str(src.trim_start_matches('/'))
                            .decode_utf8_lossy()
                            .as_ref(),
                    );
                    assert!(
                        file.exists(),
                        "{src} used in {} is missing",
                        entry.path().display()
                    );
                }
            }
        }
    }
    assert!(images > 50, "the corpus uses many images, found {images}");
    assert!(select(&page("/docs/datadeling/"), "#sidebar a").len() > 5);
}

#[test]
fn the_corpus_check_reports_real_problems_only() {
    if shared_or_skip("the_corpus_check_reports_real_problems_only").is_none() {
        return;
    }
    let site = SiteTest::new();
    let mut args = vec![
        "check".to_string(),
        "--format".to_string(),
        "json".to_string(),
    ];
    args.extend(corpus_args(&site.root().join("public")));
    let output = run(&args);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let by_rule: BTreeMap<String, u64> = json["summary"]["by_rule"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    let expected: BTreeMap<String, u64> = [
        ("todo", 9),
        ("todo-hidden", 15),
        ("broken-anchor", 4),
        ("missing-asset", 6),
        ("malformed-link", 2),
        // docusaurus.config.js names `docusaurus-lunr-search`, which is not run here.
        ("unsupported-plugin", 1),
        // The navbar's title links `/` (no `logo.href`), and the corpus keeps no `src/pages`:
        // Docusaurus reports it on each of its 85 pages (83 docs, the 404 page, the empty blog
        // list); here it is one finding at the config's line. Every other link resolves, as there.
        ("broken-link", 1),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), *v))
    .collect();
    assert_eq!(by_rule, expected);
    let findings = json["findings"].as_array().unwrap();
    let layout: Vec<(&str, u64)> = findings
        .iter()
        .filter(|f| f["rule"] == "broken-link")
        .map(|f| (f["file"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        layout,
        [("docusaurus.config.js", 69)],
        "the navbar's `logo:`"
    );
    for f in findings.iter().filter(|f| f["rule"] == "missing-asset") {
        let message = f["message"].as_str().unwrap();
        assert!(
            message.contains("konsument_simpel.py") || message.contains("publisering_simpel.py"),
            "only the files PROVENANCE.md says were left out: {message}"
        );
    }
    let anchors: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "broken-anchor")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        anchors,
        [
            "docs/datadeling/teknisk-plattform/api/maskinporten.md",
            "docs/datadeling/teknisk-plattform/api/maskinporten.md",
            "docs/datadeling/teknisk-plattform/api/maskinporten.md",
            "docs/datadeling/veiledere/api-manager/opprette-plan.md"
        ]
    );
}
