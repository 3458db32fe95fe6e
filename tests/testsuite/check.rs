//! The validation rules, their configuration, silencing, baselines, and the build's use of them.

use crate::harness::{shared, shared_or_skip, SiteTest};

const RULES_PAGE: &str = "---
title: Regler
description: TODO skriv beskrivelse
---

Tekst med TODO: fiks dette.

<!-- FIXME: skjult for leseren -->

Se [død](/docs/finnes-ikke).

Se [anker](./annen.md#mangler) og [finnes](./annen.md#finnes) og [flyttet](/docs/gammel#finnes).

Se [eget](#ingen) og [overskrift](#overskrift).

![bilde](/img/mangler.png) ![finnes](/img/logo.svg)

se her(https://example.org) for mer

[tom]()

<p><a href=\"/docs/borte/\">rå</a> <a href=\"/docs/annen/\">rå ok</a></p>

Instansen heter gw-XXX.intark.uh-it.no og er ingen TODO-markør... men dette er: TBD

<!-- intark-ignore: todo -->
TODO ignorert med vilje

## Overskrift
";

fn rules_site() -> SiteTest {
    let site = SiteTest::new();
    site.file("content/regler.md", RULES_PAGE)
        .file(
            "content/annen.md",
            "---\ntitle: Annen\nredirect_from: [/docs/gammel]\n---\n## Finnes\n",
        )
        .file(
            "static/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    site
}

fn expected(rules: &[(&str, u64)]) -> Vec<(String, String, u64)> {
    rules
        .iter()
        .map(|(r, l)| (r.to_string(), "content/regler.md".to_string(), *l))
        .collect()
}

#[test]
fn every_rule_reports_at_the_markdown_source_line() {
    let site = rules_site();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_eq!(
        run.findings(),
        expected(&[
            ("todo", 3),
            ("todo", 6),
            ("todo-hidden", 8),
            ("broken-link", 10),
            ("broken-anchor", 12),
            ("broken-anchor", 14),
            ("missing-asset", 16),
            ("malformed-link", 18),
            ("malformed-link", 20),
            ("broken-link", 22),
            ("todo", 24),
        ])
    );
    let json = run.json();
    let first = &json["findings"][1];
    assert_eq!(first["column"], 11, "column of the marker itself");
    assert_eq!(first["message"], "TODO: fiks dette.");
    assert_eq!(first["severity"], "error");
    assert_eq!(
        json["findings"][2]["severity"], "warning",
        "todo-hidden is a warning by default"
    );
    assert_eq!(json["summary"]["errors"], 8);
    assert_eq!(json["summary"]["warnings"], 3);
}

#[test]
fn severity_words_and_globs_are_configurable() {
    let site = rules_site();
    site.file(
        "intark.toml",
        "[check]\ntodo_words = [\"FIXME\"]\nskip_urls = [\"/docs/finnes-ikke\"]\n[check.severity]\nbroken-anchor = \"off\"\nmissing-asset = \"warning\"\nbroken-link = \"warning\"\ntodo-hidden = \"error\"\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        expected(&[
            ("todo-hidden", 8),
            ("missing-asset", 16),
            ("malformed-link", 18),
            ("malformed-link", 20),
            ("broken-link", 22)
        ])
    );
    assert_eq!(run.code(), 1, "todo-hidden raised to error");
    site.file("intark.toml", "[check]\nexclude = [\"regler.md\"]\n");
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.findings(), []);
    assert_eq!(run.code(), 0);
}

#[test]
fn todo_words_can_ignore_case() {
    let site = SiteTest::new();
    site.file("intark.toml", "[check]\ntodo_ignore_case = true\n")
        .file(
            "content/a.md",
            "---\ntitle: A\n---\nSkal gjøres: todo senere\n",
        );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        [("todo".to_string(), "content/a.md".to_string(), 4)]
    );
}

#[test]
fn unknown_rule_in_config_is_a_usage_error() {
    let site = rules_site();
    site.file("intark.toml", "[check.severity]\nbroken-links = \"off\"\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("broken-links"), "{}", run.stderr());
}

#[test]
fn a_page_can_silence_rules_in_front_matter() {
    let site = rules_site();
    let page = RULES_PAGE.replacen(
        "title: Regler\n",
        "title: Regler\nintark_ignore: [todo, broken-link, broken-anchor]\n",
        1,
    );
    site.file("content/regler.md", page);
    let run = site.run(&["check", "--format", "json"]);
    let rules: Vec<String> = run.findings().into_iter().map(|f| f.0).collect();
    assert_eq!(
        rules,
        [
            "todo-hidden",
            "missing-asset",
            "malformed-link",
            "malformed-link"
        ]
    );
}

#[test]
fn baseline_records_today_and_fails_only_on_new_findings() {
    let site = rules_site();
    let first = site.run(&["check", "--baseline", "baseline.json"]);
    assert_eq!(first.code(), 0, "{}", first.stderr());
    assert!(site.root().join("baseline.json").exists());
    let again = site.run(&["check", "--baseline", "baseline.json", "--format", "json"]);
    assert_eq!((again.code(), again.findings().len()), (0, 0));
    site.file("content/ny.md", "---\ntitle: Ny\n---\n\nFIXME: ny feil\n");
    let later = site.run(&["check", "--baseline", "baseline.json", "--format", "json"]);
    assert_eq!(later.code(), 1);
    assert_eq!(
        later.findings(),
        [("todo".to_string(), "content/ny.md".to_string(), 5)]
    );
}

#[test]
fn build_runs_the_checks_and_no_check_skips_them() {
    let site = rules_site();
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stdout().contains("10 | Se [død](/docs/finnes-ikke)."),
        "build findings show their source line: {}",
        run.stdout()
    );
    assert!(
        !site.out("docs/regler/index.html").exists(),
        "nothing written"
    );
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(site.out("docs/regler/index.html").exists());
}

#[test]
fn links_in_code_and_todo_like_words_are_not_findings() {
    let site = SiteTest::new();
    site.file(
        "content/a.md",
        "---\ntitle: A\n---\n```bash\ncurl https://gw-XXX.intark.uh-it.no/[x](/docs/nope)\n```\n\nTODOS og todo og METODO er ikke markører.\n`[kode](/docs/nope)`\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.findings(), []);
}

fn seed_site(seed: &str) -> SiteTest {
    let site = SiteTest::new();
    let text = std::fs::read(shared().join("seeds").join(seed)).unwrap();
    site.file("content/seed.md", text);
    site
}

/// Lines of the seed that hold a TODO marker, split by whether the marker is in an HTML comment.
fn todo_lines(seed: &str) -> (Vec<u64>, Vec<u64>) {
    let text = std::fs::read_to_string(shared().join("seeds").join(seed)).unwrap();
    let mut visible = Vec::new();
    let mut hidden = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(at) = line.find("TODO") {
            let in_comment = line[..at].contains("<!--");
            if in_comment {
                &mut hidden
            } else {
                &mut visible
            }
            .push(i as u64 + 1);
        }
    }
    (visible, hidden)
}

#[test]
fn seed_pages_yield_their_todos_visible_and_hidden_at_the_right_lines() {
    if shared_or_skip("seed_pages_yield_their_todos_visible_and_hidden_at_the_right_lines")
        .is_none()
    {
        return;
    }
    for seed in ["000_cab98b1c100457fe.txt", "001_7ad18a277798669d.txt"] {
        let site = seed_site(seed);
        let run = site.run(&["check", "--format", "json"]);
        let findings = run.findings();
        let lines_of = |rule: &str| {
            let mut lines: Vec<u64> = findings
                .iter()
                .filter(|f| f.0 == rule)
                .map(|f| f.2)
                .collect();
            lines.dedup();
            lines
        };
        let (visible, hidden) = todo_lines(seed);
        assert!(!visible.is_empty() || !hidden.is_empty());
        assert_eq!(lines_of("todo"), visible, "{seed}");
        assert_eq!(lines_of("todo-hidden"), hidden, "{seed}");
    }
}
