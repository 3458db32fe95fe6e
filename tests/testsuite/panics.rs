//! Inputs that once panicked the binary: each is run through the real binary and must end in a
//! normal outcome (or, for a bug not yet fixed elsewhere, exit code 3 naming the file).

use crate::harness::{address_in, SiteTest};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn assert_no_panic(run: &crate::harness::Run, what: &str) {
    assert!(
        !run.stderr().contains("panicked"),
        "{what} panicked:\n{}",
        run.stderr()
    );
    assert!(
        matches!(run.code(), 0 | 1),
        "{what} exited {}:\n{}\n{}",
        run.code(),
        run.stdout(),
        run.stderr()
    );
}

#[test]
fn a_spec_path_with_braces_the_wrong_way_round_does_not_panic_the_path_matcher() {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n")
        .file(
            "openapi/odd.yaml",
            "openapi: 3.0.3\nx-intark-context-path: /test\ninfo: {title: Odd, version: \"1\"}\npaths:\n  /a/}x{:\n    get:\n      operationId: odd\n      responses:\n        \"200\": {description: ok}\n  /b/{id}:\n    get:\n      operationId: byId\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"200\": {description: ok}\n",
        );
    let run = site.run(&["examples", "--format", "json"]);
    assert_no_panic(&run, "examples");
    let snippets = run.json()["snippets"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        snippets.len(),
        4,
        "both operations, curl and PowerShell: {snippets:#?}"
    );
    assert!(
        snippets
            .iter()
            .filter(|s| s["operation"] == "odd byId")
            .all(|s| s["outcome"] == "passed"),
        "the operation beside the odd path still runs: {snippets:#?}"
    );
}

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let head = text
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head)
}

#[test]
fn a_non_ascii_home_route_is_percent_encoded_in_the_location_header() {
    let site = SiteTest::new();
    site.file("content/økonomi.md", "---\ntitle: Økonomi\n---\nHei.\n");
    let mut server = site.start(&["serve", "--port", "0"]);
    let line = server.line();
    let addr = address_in(&line);
    let (status, head) = get(&addr, "/");
    let location = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(n, _)| n.eq_ignore_ascii_case("location"))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_default();
    assert_eq!(status, 302, "{head}");
    assert_eq!(location, "/docs/%C3%B8konomi/", "{head}");
    let (status, head) = get(&addr, &location);
    assert_eq!(status, 200, "the Location leads to the page: {head}");
    let log = server.stop();
    assert!(!log.contains("panicked"), "{log}");
    site.build();
    let redirect = site.html("/");
    let links = crate::harness::attrs(&redirect, "a", "href");
    assert!(
        links.iter().any(|h| h.contains("konomi")),
        "the built site's `/` sends readers to the home page: {links:?}"
    );
}

#[test]
fn a_panic_that_slips_through_is_exit_code_3_naming_the_page() {
    // `{%}` once panicked the Markdown pass (byte slicing). Whether or not that is fixed, the
    // binary must never end with Rust's exit code 101: a panic is exit 3 naming the page.
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n")
        .file(
            "content/ødelagt.md",
            "---\ntitle: Ødelagt\n---\nA {%} and {{%}} here.\n",
        );
    let run = site.run(&["check"]);
    assert_ne!(run.code(), 101, "{}", run.stderr());
    if run.code() == 3 {
        assert!(
            run.stderr()
                .contains("while processing `content/ødelagt.md`"),
            "{}",
            run.stderr()
        );
    } else {
        assert_no_panic(&run, "check");
    }
}

#[test]
fn a_long_lang_does_not_panic_the_search_indexer() {
    // Pagefind (the index before our own) cut its hashes at the language's length plus 8: a
    // `lang` of 40 or more characters sliced past the end of the hash.
    let long = "x".repeat(60);
    let site = SiteTest::new();
    site.file(
        "content/index.md",
        format!("---\ntitle: Hjem\nlang: {long}\n---\nHei og velkommen.\n"),
    )
    .file("content/b.md", "---\ntitle: B\n---\nEn side til.\n")
    .file("intark.toml", format!("language = \"{long}\"\n"));
    let run = site.build();
    assert_no_panic(&run, "build");
    assert!(
        site.out("intark-search/meta.json").is_file(),
        "the search bundle is written"
    );
}

#[test]
fn a_lang_with_a_path_in_it_stays_inside_the_search_bundle() {
    let site = SiteTest::new();
    site.file(
        "content/index.md",
        "---\ntitle: Hjem\nlang: \"../../../ut\"\n---\nHei og velkommen.\n",
    );
    let run = site.build();
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    assert!(site.out("intark-search/meta.json").is_file());
}
