//! `check --external` against a local test server: ok, slow, 404, 429 with Retry-After, permanent and
//! temporary redirects, HEAD refused; the on-disk cache; one finding when nothing answers.

use crate::harness::SiteTest;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A loopback server with the endpoints the link checker must handle; counts requests.
fn server() -> (String, Arc<AtomicUsize>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    let throttled = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            counted.fetch_add(1, Ordering::SeqCst);
            let throttled = Arc::clone(&throttled);
            std::thread::spawn(move || {
                let path = request.url().to_string();
                let head = *request.method() == tiny_http::Method::Head;
                let response = match path.as_str() {
                    "/ok" => tiny_http::Response::from_string("ok"),
                    "/slow" => {
                        std::thread::sleep(Duration::from_secs(3));
                        tiny_http::Response::from_string("late")
                    }
                    "/borte" => tiny_http::Response::from_string("nei").with_status_code(404),
                    "/travel" if throttled.fetch_add(1, Ordering::SeqCst) == 0 => {
                        tiny_http::Response::from_string("vent")
                            .with_status_code(429)
                            .with_header(tiny_http::Header::from_bytes("Retry-After", "1").unwrap())
                    }
                    "/travel" => tiny_http::Response::from_string("ok"),
                    "/flyttet" => tiny_http::Response::from_string("")
                        .with_status_code(301)
                        .with_header(tiny_http::Header::from_bytes("Location", "/ok").unwrap()),
                    "/midlertidig" => tiny_http::Response::from_string("")
                        .with_status_code(302)
                        .with_header(tiny_http::Header::from_bytes("Location", "/ok").unwrap()),
                    "/bare-get" if head => {
                        tiny_http::Response::from_string("").with_status_code(405)
                    }
                    "/bare-get" => tiny_http::Response::from_string("ok"),
                    _ => tiny_http::Response::from_string("?").with_status_code(404),
                };
                let _ = request.respond(response);
            });
        }
    });
    (base, count)
}

#[test]
fn external_links_are_checked_politely_and_cached() {
    let (base, count) = server();
    let site = SiteTest::new();
    site.file("intark.toml", "[check]\nexternal_timeout_secs = 1\n").file(
        "content/a.md",
        format!(
            "---\ntitle: A\n---\n\n[ok]({base}/ok)\n\n[treg]({base}/slow)\n\n[borte]({base}/borte)\n\n[travel]({base}/travel)\n\n[flyttet]({base}/flyttet)\n\n[midlertidig]({base}/midlertidig)\n\n[get]({base}/bare-get)\n\n[ok igjen]({base}/ok#del)\n"
        ),
    );
    let run = site.run(&["check", "--external", "--format", "json"]);
    let json = run.json();
    let findings: Vec<(String, u64, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().into(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    let lines: Vec<(String, u64)> = findings.iter().map(|f| (f.0.clone(), f.1)).collect();
    assert_eq!(
        lines,
        [
            ("error".to_string(), 7),
            ("error".to_string(), 9),
            ("warning".to_string(), 13)
        ],
        "{findings:#?}"
    );
    assert!(
        findings[0].3.contains("did not answer: timed out"),
        "{}",
        findings[0].3
    );
    assert!(findings[1].3.contains("answers 404"));
    assert!(
        findings[2].3.contains("moved permanently") && findings[2].3.ends_with("/ok`"),
        "{}",
        findings[2].3
    );
    assert_eq!(
        findings.iter().map(|f| f.2.as_str()).collect::<Vec<_>>(),
        ["external-link", "external-link", "external-link-moved"]
    );
    let first_run = count.load(Ordering::SeqCst);
    assert!(
        first_run >= 9,
        "HEAD, GET fallback, retry after 429: {first_run} requests"
    );
    let again = site.run(&["check", "--external", "--format", "json"]);
    assert_eq!(
        again.json()["findings"].as_array().unwrap().len(),
        3,
        "the cache gives the same findings"
    );
    assert_eq!(
        count.load(Ordering::SeqCst),
        first_run,
        "a second run within the cache's time makes no requests"
    );
}

#[test]
fn no_network_is_one_finding_not_a_flood() {
    let site = SiteTest::new();
    let links: String = (1..=6)
        .map(|port| format!("[lenke {port}](http://127.0.0.1:{port}/side)\n\n"))
        .collect();
    site.file("content/a.md", format!("---\ntitle: A\n---\n\n{links}"));
    let run = site.run(&["check", "--external", "--format", "json"]);
    let json = run.json();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(findings[0]["message"]
        .as_str()
        .unwrap()
        .contains("network seems unavailable"));
    assert_eq!(run.code(), 0, "a warning: nothing could be checked");
}
