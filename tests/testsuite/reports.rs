//! Output formats of findings: human, json, github, junit, sarif.

use crate::harness::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "content/a.md",
        "---\ntitle: A\n---\n\nLes [dette](/docs/borte) nå.\n\nTODO: mer, og 100% ferdig\n",
    );
    site
}

#[test]
fn human_output_is_like_a_compilers() {
    let run = site().run(&["check"]);
    assert_eq!(run.code(), 1);
    let out = run.stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "error[broken-link]: no page has the address `/docs/borte`"
    );
    assert_eq!(lines[1], "  --> content/a.md:5:5");
    assert_eq!(lines[3], "  5 | Les [dette](/docs/borte) nå.");
    assert_eq!(lines[4], "    |     ^", "caret under the link");
    assert!(lines[5].starts_with("  = hint: "));
    assert!(!out.contains('\x1b'), "NO_COLOR is respected");
    assert!(
        run.stderr()
            .contains("2 errors, 0 warnings (broken-link: 1, todo: 1)"),
        "{}",
        run.stderr()
    );
}

#[test]
fn color_always_paints() {
    let run = site().run(&["check", "--color", "always"]);
    assert!(run.stdout().contains("\x1b[1;31m"));
}

#[test]
fn github_annotations() {
    let run = site().run(&["check", "--format", "github"]);
    let lines: Vec<String> = run.stdout().lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with(
            "::error file=content/a.md,line=5,col=5,title=broken-link::no page has the address"
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("100%25 ferdig"),
        "data is escaped: {}",
        lines[1]
    );
}

#[test]
fn junit_is_well_formed_and_counts_failures() {
    let run = site().run(&["check", "--format", "junit"]);
    let text = run.stdout();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("failures"), Some("2"));
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .map(|n| n.attribute("type").unwrap().to_string())
        .collect();
    assert_eq!(failures, ["broken-link", "todo"]);
}

#[test]
fn sarif_has_the_2_1_0_shape() {
    let run = site().run(&["check", "--format", "sarif"]);
    let log = run.json();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "content/a.md");
    assert_eq!(location["region"]["startLine"], 5);
    assert_eq!(results[0]["level"], "error");
    let rules: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["broken-link", "todo"]);
}

#[test]
fn json_schema_fields_are_present() {
    let run = site().run(&["check", "--format", "json"]);
    let json = run.json();
    assert_eq!(json["version"], 1);
    for finding in json["findings"].as_array().unwrap() {
        for key in ["rule", "severity", "file", "line", "column", "message"] {
            assert!(!finding[key].is_null(), "{key} missing in {finding}");
        }
    }
    assert_eq!(json["summary"]["errors"], 2);
}
