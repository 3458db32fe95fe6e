//! A check that cannot run is a finding that says why, never a pass; alike failures are one
//! finding per cause with the count.

use crate::harness::SiteTest;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

/// A loopback server answering 200 to everything (so a link to it would pass if checked).
fn ok_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 2048];
            let _ = stream.read(&mut buf);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    });
    base
}

#[test]
fn external_links_are_an_error_finding_when_no_http_client_can_be_built() {
    let base = ok_server();
    let site = SiteTest::new();
    site.file(
        "content/a.md",
        format!("---\ntitle: A\n---\nSe [her]({base}/ok) og [der]({base}/ok2).\n"),
    );
    // Without CA certificates (a bare container) reqwest's client cannot be built.
    let output = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["check", "--external", "--format", "json", "--root"])
        .arg(site.root())
        .env("SSL_CERT_FILE", site.root().join("no-such-ca.pem"))
        .env("SSL_CERT_DIR", site.root().join("no-such-ca-dir"))
        .output()
        .unwrap();
    let run = crate::harness::Run { output };
    assert_eq!(run.code(), 1, "{}\n{}", run.stdout(), run.stderr());
    let json = run.json();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "external-link");
    assert_eq!(findings[0]["severity"], "error");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("2 external links were not checked: the HTTP client cannot be built")
            && message.contains("CA certificates"),
        "{message}"
    );
    // With a client, the same links pass: the finding above is about the client, not the links.
    let run = site.run(&["check", "--external", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
}

#[test]
fn an_unreachable_gateway_is_one_finding_per_cause_with_the_count() {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n");
    for entry in
        std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi")).unwrap()
    {
        let path = entry.unwrap().path();
        site.file(
            &format!("openapi/{}", path.file_name().unwrap().to_string_lossy()),
            std::fs::read(&path).unwrap(),
        );
    }
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    for runner in ["builtin", "curl"] {
        let output = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
            .args(["examples", "--format", "json", "--gateway", &closed])
            .args(["--runner", runner, "--api-key-env", "TEST_KEY", "--root"])
            .arg(site.root())
            .env("TEST_KEY", "test-key-4711")
            .output()
            .unwrap();
        let run = crate::harness::Run { output };
        assert_eq!(run.code(), 1, "{}", run.stderr());
        let json = run.json();
        let snippets = json["snippets"].as_array().unwrap();
        let failed = snippets.iter().filter(|s| s["outcome"] == "failed").count();
        assert!(
            failed >= 20,
            "every example tried the gateway: {snippets:#?}"
        );
        let findings = json["findings"].as_array().unwrap();
        assert_eq!(
            findings.len(),
            1,
            "{runner}: one cause, one finding: {findings:#?}"
        );
        let message = findings[0]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!(
                "{failed} examples could not be checked: the request to `{closed}` failed: "
            )),
            "{runner}: {message}"
        );
        assert!(
            snippets.iter().all(|s| s["outcome"] != "failed"
                || s["reason"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("the request to `{closed}` failed: "))),
            "the snippets list still has each one with its reason: {snippets:#?}"
        );
    }
}
