//! Diagnostics are findings for the writer, never text in built pages (issue 22): the sikt-datadeling
//! corpus, built with its specs as the catalog, carries none of the sentences `check` reports about
//! it.

use crate::harness::{shared_or_skip, SiteTest};
use std::collections::BTreeSet;
use std::process::{Command, Output};

/// Run the binary with `args` as they are (the harness's `run` adds a `--root` of its own).
fn run(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run intark-docs")
}

/// The fixed wording of a message or hint: the parts outside backticks (those quote the page or the
/// spec, which may rightly appear in a page), long enough to be the tool's own sentence.
fn own_wording(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('`')
        .step_by(2)
        .map(|part| {
            part.trim()
                .trim_matches(|c: char| c.is_ascii_punctuation())
                .trim()
        })
        .filter(|part| part.chars().count() >= 16)
        .map(str::to_string)
}

#[test]
fn no_finding_of_the_sikt_corpus_is_printed_into_its_pages() {
    let Some(shared) = shared_or_skip("no_finding_of_the_sikt_corpus_is_printed_into_its_pages")
    else {
        return;
    };
    let corpus = shared.join("corpora/sikt-datadeling");
    let site = SiteTest::new();
    let out = site.root().join("public");
    let args = |command: &str| -> Vec<String> {
        let mut args: Vec<String> = vec![command.into()];
        for a in [
            "--root",
            corpus.to_str().unwrap(),
            "--content",
            "docs",
            "--static",
            "static",
            "--openapi",
            "docs/datadeling/teknisk-plattform/api",
            "--out",
            out.to_str().unwrap(),
        ] {
            args.push(a.into());
        }
        args
    };
    let mut check = args("check");
    check.extend(["--format".into(), "json".into()]);
    let checked = run(&check);
    let json: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&checked.stderr)
        )
    });
    let findings = json["findings"].as_array().expect("findings array");
    assert!(findings.len() > 20, "{json}");
    // A TODO finding's message is the writer's own TODO line, which the page shows as written; its
    // hint is the tool's.
    let quotes_the_page =
        |f: &serde_json::Value| matches!(f["rule"].as_str(), Some("todo" | "todo-hidden"));
    let mut sentences: BTreeSet<String> = findings
        .iter()
        .flat_map(|f| {
            [
                f["message"].as_str().filter(|_| !quotes_the_page(f)),
                f["hint"].as_str(),
            ]
        })
        .flatten()
        .flat_map(|text| own_wording(text).collect::<Vec<_>>())
        .collect();
    // The sentences readers saw before (issue 22), in both of the languages they came in.
    sentences
        .extend(["kunne ikke utledes", "Sti i API manager", "matches neither"].map(String::from));
    assert!(sentences.len() > 10, "{sentences:?}");
    let mut build = args("build");
    build.push("--no-check".into());
    let built = run(&build);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let mut pages = 0;
    let mut printed = Vec::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages += 1;
            let html = std::fs::read_to_string(entry.path()).unwrap();
            for sentence in &sentences {
                if html.contains(sentence.as_str()) {
                    printed.push(format!("{}: {sentence}", entry.path().display()));
                }
            }
        }
    }
    assert!(pages > 100, "{pages} pages built");
    assert!(
        printed.is_empty(),
        "diagnostics in built pages: {printed:#?}"
    );
}
