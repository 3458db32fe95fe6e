//! Hostile input cannot hurt the machine: the "billion laughs" YAML document as front matter, as an
//! OpenAPI file and as a Jekyll `_data` file is refused at its line, quickly and in little memory,
//! and every other page still builds and is served.

use crate::harness::{address_in, http_get, select, Measured, SiteTest};
use std::time::{Duration, Instant};

/// Nine anchors, each a list of nine references to the one before (435 million nodes expanded).
fn billion_laughs() -> String {
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(", ");
        text.push_str(&format!("{0}: &{0} [{refs}]\n", pair[1]));
    }
    text
}

/// The cost ceilings of the issue: under a second of CPU and under 100 MiB at peak.
fn assert_cheap(measured: &Measured) {
    assert!(
        measured.cpu < Duration::from_secs(1),
        "took {:?} of CPU",
        measured.cpu
    );
    if let Some(peak) = measured.max_rss_bytes {
        assert!(
            peak < 100 * 1024 * 1024,
            "peaked at {} MiB",
            peak / (1024 * 1024)
        );
    }
}

/// The one finding of `rule` in `file`: its line and message.
fn finding_in(measured: &Measured, file: &str) -> (u64, String) {
    let json = measured.run.json();
    let found: Vec<_> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["file"] == file)
        .collect();
    assert_eq!(found.len(), 1, "{json:#}");
    (
        found[0]["line"].as_u64().unwrap(),
        found[0]["message"].as_str().unwrap().to_string(),
    )
}

#[test]
fn billion_laughs_front_matter_is_the_one_finding_at_its_line() {
    let site = SiteTest::new();
    site.file(
        "content/laughs.md",
        format!("---\n{}---\n# Laughs\n", billion_laughs()),
    )
    .file("content/ok.md", "---\ntitle: Ok\n---\n# Ok\n\nText.\n");
    let measured = site.run_measured(&["check", "--format", "json"]);
    assert_eq!(measured.run.code(), 1, "{}", measured.run.stderr());
    let (line, message) = finding_in(&measured, "content/laughs.md");
    // The fence is line 1, `a` line 2; `f` (line 7) is where the copies pass 100,000.
    assert_eq!(line, 7, "{message}");
    assert!(message.contains("billion laughs"), "{message}");
    assert_cheap(&measured);

    // A loading error fails the build (by design); it names the file and line, and it is the only
    // finding: the other page loaded and checked clean.
    let built = site.run_measured(&["build"]);
    assert_eq!(built.run.code(), 1, "{}", built.run.stderr());
    let said = built.run.stdout() + &built.run.stderr();
    assert!(said.contains("content/laughs.md:7:"), "{said}");
    assert!(said.contains("1 error, 0 warnings"), "{said}");
    assert_cheap(&built);
}

#[test]
fn billion_laughs_openapi_file_is_a_finding_at_its_line() {
    let site = SiteTest::new();
    site.file("content/index.md", "# Hjem\n").file(
        "openapi/laughs.yaml",
        format!("openapi: 3.0.0\n{}", billion_laughs()),
    );
    let measured = site.run_measured(&["check", "--format", "json"]);
    assert_eq!(measured.run.code(), 1, "{}", measured.run.stderr());
    let (line, message) = finding_in(&measured, "openapi/laughs.yaml");
    assert_eq!(line, 7, "{message}");
    assert!(message.contains("billion laughs"), "{message}");
    assert_cheap(&measured);
}

#[test]
fn billion_laughs_jekyll_data_file_is_a_finding_at_its_line() {
    let site = SiteTest::new();
    site.file("_config.yml", "title: Hjelp\n")
        .file("index.md", "---\ntitle: Hjelp\n---\nHei.\n")
        .file("_data/laughs.yml", billion_laughs())
        .file("_data/team.yml", "- name: Kari\n- name: Ola\n");
    let measured = site.run_measured(&["check", "--format", "json"]);
    assert_eq!(measured.run.code(), 1, "{}", measured.run.stderr());
    let (line, message) = finding_in(&measured, "_data/laughs.yml");
    assert_eq!(line, 6, "{message}");
    assert!(message.contains("billion laughs"), "{message}");
    assert_cheap(&measured);
}

#[test]
fn a_higher_alias_limit_in_intark_toml_lets_a_legitimate_document_through() {
    let site = SiteTest::new();
    // Six levels copy 672,588 nodes: over the default, fine with a raised limit.
    let seven: String = billion_laughs()
        .lines()
        .take(6)
        .map(|l| format!("{l}\n"))
        .collect();
    site.file(
        "content/big.md",
        format!("---\ntitle: Big\n{seven}---\n# Big\n"),
    );
    let refused = site.run(&["check", "--format", "json"]);
    assert_eq!(refused.code(), 1, "{}", refused.stderr());
    site.file("intark.toml", "[limits]\nyaml_alias_nodes = 1000000\n");
    let accepted = site.run(&["check", "--format", "json"]);
    assert_eq!(accepted.code(), 0, "{}", accepted.stdout());
}

#[test]
fn deeply_nested_json_spec_is_a_finding_not_a_crash() {
    let site = SiteTest::new();
    let deep = format!(
        "{{\"openapi\": \"3.0.0\", \"x\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    site.file("content/index.md", "# Hjem\n")
        .file("openapi/deep.json", deep);
    let measured = site.run_measured(&["check", "--format", "json"]);
    assert_eq!(measured.run.code(), 1, "{}", measured.run.stderr());
    let (line, message) = finding_in(&measured, "openapi/deep.json");
    assert_eq!(line, 1);
    assert!(message.contains("nested"), "{message}");
    assert_cheap(&measured);
}

/// One GET on loopback with a short time-out: the status and the body, or the error that stopped it.
fn get(addr: &str, path: &str) -> std::io::Result<(u16, String)> {
    http_get(addr, path, "localhost", Duration::from_secs(5)).map(|r| (r.status, r.body))
}

/// The peak resident memory of a process, from `/proc/PID/status` (Linux only).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[test]
fn serve_keeps_serving_the_other_pages_next_to_a_billion_laughs_page() {
    let site = SiteTest::new();
    site.file(
        "content/laughs.md",
        format!("---\n{}---\n# Laughs\n", billion_laughs()),
    )
    .file("content/ok.md", "---\ntitle: Ok\n---\n# Ok\n\nText.\n");
    let mut server = site.start(&["serve", "--port", "0"]);
    let addr = address_in(&server.line());

    let started = Instant::now();
    let (status, body) = get(&addr, "/docs/ok/").expect("the good page answers");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the good page took {:?}",
        started.elapsed()
    );
    assert_eq!(status, 200, "{body}");
    let page = scraper::Html::parse_document(&body);
    assert!(
        select(&page, "p")
            .iter()
            .any(|p| p.text().collect::<String>() == "Text."),
        "{body}"
    );

    let (status, body) = get(&addr, "/docs/laughs/").expect("the laughs page answers, not hangs");
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("content/laughs.md:7"), "{body}");

    // Still alive, still serving, and its peak memory stayed small.
    assert_eq!(get(&addr, "/docs/ok/").expect("still serving").0, 200);
    assert!(server.is_running(), "serve exited");
    if cfg!(target_os = "linux") {
        let peak = peak_rss_kib(server.id()).expect("VmHWM in /proc/PID/status");
        assert!(peak < 200 * 1024, "serve peaked at {} MiB", peak / 1024);
    }
}
