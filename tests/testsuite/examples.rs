//! The examples runner and the sandbox gateway, end to end through the binary.

use crate::harness::{address_in, shared, shared_or_skip, SiteTest};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

fn snippets(run: &crate::harness::Run) -> Vec<Value> {
    run.json()["snippets"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn own_specs(site: &SiteTest) {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi")).unwrap() {
        let path = entry.unwrap().path();
        site.file(
            &format!("openapi/{}", path.file_name().unwrap().to_string_lossy()),
            std::fs::read(&path).unwrap(),
        );
    }
}

#[test]
fn generated_examples_of_every_own_operation_pass_in_both_forms() {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n");
    own_specs(&site);
    let run = site.run(&["examples", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
    let all = snippets(&run);
    assert_eq!(all.len(), 24, "12 operations × curl and PowerShell");
    for s in &all {
        assert_eq!(s["outcome"], "passed", "{s}");
        assert_eq!(s["origin"], "generated");
        assert!(s["operation"].is_string());
    }
    let languages: Vec<&str> = all
        .iter()
        .map(|s| s["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages.iter().filter(|l| **l == "powershell").count(), 12);
}

const HANDWRITTEN: &str = r#"---
title: Eksempler
---

1. Hent ansatte:

   ```bash
   curl -H "X-Gravitee-Api-Key: **API-nøkkel**" \
     https://gw-**INSTANS**.intark.uh-it.no/lonn/v1/ansatte
   ```

2. Uten nøkkel svarer gatewayen 401:

   ```bash expect=401
   curl https://gw-uio.intark.uh-it.no/lonn/v1/ansatte
   ```

```console
$ curl -s "https://gw-uio.intark.uh-it.no/lonn/v1/ansatte/1004521?api-key=$API_NOKKEL"
```

```powershell
$headers = @{ "X-Gravitee-Api-Key" = $env:API_NOKKEL }
$body = @'
{"studentnummer": "1", "emnekode": "IN1000", "semester": "2025H", "karakter": "A"}
'@
Invoke-RestMethod -Method Post -Uri "https://gw-uio.intark.uh-it.no/studier/v1/vurderinger" `
  -Headers $headers -ContentType "application/json" -Body $body
```

```bash skip="trenger en ekte nøkkel"
curl https://gw-uio.intark.uh-it.no/lonn/v1/ansatte
```

```bash
curl https://example.org/noe
```

```bash
curl -H "X-Gravitee-Api-Key: $API_NOKKEL" https://gw-uio.intark.uh-it.no/lonn/v2/borte
```

```bash
curl --frobnicate https://gw-uio.intark.uh-it.no/lonn/v1/ansatte
```

```bash
curl -H "SOAPAction: **TODO**" https://gw-uio.intark.uh-it.no/lonn/v1/ansatte
```

```bash
cargo build --release
```
"#;

#[test]
fn handwritten_snippets_get_an_outcome_and_a_precise_reason_each() {
    let site = SiteTest::new();
    site.file("content/eksempler.md", HANDWRITTEN);
    own_specs(&site);
    let run = site.run(&["examples", "--format", "json"]);
    let hand: Vec<(u64, String, String, String)> = snippets(&run)
        .into_iter()
        .filter(|s| s["origin"] == "handwritten")
        .map(|s| {
            (
                s["line"].as_u64().unwrap(),
                s["language"].as_str().unwrap().into(),
                s["outcome"].as_str().unwrap().into(),
                s["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    let outcomes: Vec<(u64, &str, &str)> = hand
        .iter()
        .map(|(l, lang, o, _)| (*l, lang.as_str(), o.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (8, "curl", "passed"),
            (15, "curl", "passed"),
            (19, "curl", "passed"),
            (23, "powershell", "passed"),
            (32, "curl", "skipped"),
            (36, "curl", "not-run"),
            (40, "curl", "failed"),
            (44, "curl", "not-run"),
            (48, "curl", "not-run"),
        ],
        "{hand:#?}"
    );
    assert_eq!(hand[4].3, "trenger en ekte nøkkel");
    assert!(
        hand[5].3.contains("https://example.org") && hand[5].3.contains("not an allowed gateway"),
        "{}",
        hand[5].3
    );
    assert!(
        hand[6].3.contains("unknown operation") && hand[6].3.contains("/lonn/v2/borte"),
        "{}",
        hand[6].3
    );
    assert!(hand[7].3.contains("--frobnicate"), "{}", hand[7].3);
    assert!(hand[8].3.contains("TODO"), "{}", hand[8].3);
    assert_eq!(run.code(), 1);
    let rules: Vec<String> = run
        .findings()
        .into_iter()
        .map(|(r, f, l)| format!("{r} {f}:{l}"))
        .collect();
    assert_eq!(
        rules,
        [
            "example content/eksempler.md:36",
            "example content/eksempler.md:40",
            "example content/eksempler.md:44"
        ],
        "the TODO one is the todo rule's"
    );
    let check = site.run(&["check", "--examples", "--format", "json"]);
    let rules: Vec<String> = check
        .findings()
        .into_iter()
        .map(|(r, _, l)| format!("{r}:{l}"))
        .collect();
    assert!(
        rules.contains(&"example:40".to_string()) && rules.contains(&"todo:48".to_string()),
        "{rules:?}"
    );
}

#[test]
fn the_corpus_snippets_are_run_or_reported_with_a_reason() {
    if shared_or_skip("the_corpus_snippets_are_run_or_reported_with_a_reason").is_none() {
        return;
    }
    let corpus = shared().join("corpora/sikt-datadeling");
    let output = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args([
            "examples",
            "--format",
            "json",
            "--content",
            "docs",
            "--static",
            "static",
            "--openapi",
            "docs/datadeling/teknisk-plattform/api",
            "--root",
        ])
        .arg(&corpus)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let hand: Vec<(String, u64, String, String)> = json["snippets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["origin"] == "handwritten")
        .map(|s| {
            (
                s["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                s["line"].as_u64().unwrap(),
                s["outcome"].as_str().unwrap().into(),
                s["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    let find = |file: &str, line: u64| {
        hand.iter()
            .find(|h| h.0 == file && h.1 == line)
            .unwrap_or_else(|| panic!("{file}:{line} not collected: {hand:#?}"))
    };
    assert_eq!(find("integra.md", 47).2, "not-run");
    assert!(find("integra.md", 47).3.contains("TODO"));
    assert_eq!(find("digdir.md", 71).2, "failed");
    assert!(
        find("digdir.md", 71).3.contains("/test/digidir/freg/"),
        "the typo in the context path is caught"
    );
    assert_eq!(find("fs.md", 62).2, "not-run");
    assert!(find("fs.md", 62).3.contains("CONTEXT-PATH"));
    assert_eq!(find("inspera.md", 43).2, "not-run");
    assert!(find("inspera.md", 43).3.contains("no spec"));
    assert_eq!(find("dfo-sap.md", 80).2, "failed");
    assert_eq!(
        hand.len(),
        10,
        "every curl and PowerShell snippet of the corpus is collected"
    );
    assert!(
        hand.iter().all(|h| h.2 == "passed" || !h.3.is_empty()),
        "every outcome but passed has a reason"
    );
}

#[test]
fn the_key_never_appears_in_output() {
    let site = SiteTest::new();
    site.file("content/a.md", "---\ntitle: A\n---\n```bash expect=500\ncurl \"https://gw-uio.intark.uh-it.no/lonn/v1/ansatte/1004521?api-key=$MIN_NOKKEL\"\n```\n");
    site.file("intark.toml", "[sandbox]\nport = 0\n[[sandbox.keys]]\nkey = \"superhemmelig-123\"\n[examples]\nkey_variables = [\"MIN_NOKKEL\"]\n");
    own_specs(&site);
    let mut sandbox = site.start(&["sandbox"]);
    let line = sandbox.line();
    let url = line.split_whitespace().last().unwrap().to_string();
    let run = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args([
            "examples",
            "--format",
            "json",
            "--gateway",
            &url,
            "--api-key-env",
            "SANDBOX_KEY",
            "--root",
        ])
        .arg(site.root())
        .env("SANDBOX_KEY", "superhemmelig-123")
        .output()
        .unwrap();
    let log = sandbox.stop();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        json["snippets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["outcome"] == "passed")
            .count()
            >= 24,
        "ran against the gateway process: {stdout}"
    );
    for text in [
        stdout.as_ref(),
        String::from_utf8_lossy(&run.stderr).as_ref(),
        log.as_str(),
        line.as_str(),
    ] {
        assert!(
            !text.contains("superhemmelig-123"),
            "the key leaked: {text}"
        );
    }
    assert!(
        log.contains("GET /lonn/v1/ansatte/1004521 -> 200"),
        "one log line per request, query left out: {log}"
    );
    let failed: Vec<&Value> = json["snippets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["outcome"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "the expect=500 example fails: {stdout}");
}

#[test]
fn the_sandbox_survives_garbage_on_the_wire() {
    let site = SiteTest::new();
    site.file("content/a.md", "x")
        .file("intark.toml", "[sandbox]\nport = 0\n");
    own_specs(&site);
    let mut sandbox = site.start(&["sandbox"]);
    let addr = address_in(&sandbox.line());
    let key_line = sandbox.line();
    assert!(
        key_line.contains("intark-sandbox-key"),
        "the default key is printed: {key_line}"
    );
    let mut seed = 7u64;
    for i in 0..200 {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        let junk: Vec<u8> = (0..(i * 37) % 3000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 33) as u8
            })
            .collect();
        let _ = stream.write_all(
            if i % 3 == 0 {
                format!(
                    "GET /{} HTTP/1.1\r\nX: {}\r\n\r\n",
                    "a".repeat(i * 50),
                    "h".repeat(i * 100)
                )
                .into_bytes()
            } else {
                junk
            }
            .as_slice(),
        );
    }
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    stream.write_all(b"GET /lonn/v1/ansatte HTTP/1.1\r\nHost: x\r\nX-Gravitee-Api-Key: intark-sandbox-key\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    sandbox.stop();
    assert!(
        reply.starts_with("HTTP/1.1 200"),
        "still answering: {reply}"
    );
}

#[test]
fn the_real_curl_binary_can_send_the_requests() {
    assert!(
        std::path::Path::new("/usr/bin/curl").exists()
            || Command::new("curl").arg("--version").output().is_ok(),
        "this test needs curl on PATH"
    );
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\n```bash expect=401\ncurl https://gw-uio.intark.uh-it.no/lonn/v1/ansatte\n```\n");
    own_specs(&site);
    let run = site.run(&["examples", "--runner", "curl", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
    let all = snippets(&run);
    assert_eq!(all.len(), 25);
    assert!(all.iter().all(|s| s["outcome"] == "passed"), "{all:#?}");
}

const BARE: &str = "openapi: 3.0.0\ninfo: {title: Bar, version: '1'}\npaths:\n  /ting/{id}:\n    get:\n      operationId: hentTing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, required: [id], properties: {id: {type: integer}}}\n";

#[test]
fn a_spec_without_servers_is_an_api_at_a_context_path_from_its_file_name_with_one_warning() {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n");
    // CRLF line endings and a byte order mark, as Windows tools write them.
    site.file(
        "openapi/bar.openapi.yaml",
        format!("\u{feff}{}", BARE.replace('\n', "\r\n")),
    );
    let run = site.run(&["examples", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
    let all = snippets(&run);
    assert_eq!(all.len(), 2, "{all:#?}");
    for s in &all {
        assert_eq!(s["outcome"], "passed", "{s}");
        assert_eq!(s["line"], 5, "the operation's own line");
    }
    let findings = run.json()["findings"].as_array().cloned().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "context-path-assumed");
    assert_eq!(findings[0]["severity"], "warning");
    assert!(findings[0]["message"].as_str().unwrap().contains("`/bar`"));

    // Set in intark.toml: that context path, and no warning.
    site.file(
        "intark.toml",
        "[[apis]]\nspec = \"openapi/bar.openapi.yaml\"\ncontext_path = \"/test/bar/v1\"\n",
    );
    let run = site.run(&["examples", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
    assert_eq!(run.json()["findings"].as_array().unwrap().len(), 0);
    let html_run = site.run(&["build", "--format", "json"]);
    assert_eq!(html_run.code(), 0, "{}", html_run.stdout());
    let page = std::fs::read_to_string(
        site.dir
            .path()
            .join("public/docs/api-katalog/bar/index.html"),
    )
    .unwrap();
    let doc = scraper::Html::parse_document(&page);
    let code = scraper::Selector::parse("pre code").unwrap();
    assert!(
        doc.select(&code)
            .any(|c| c.text().collect::<String>().contains("/test/bar/v1/ting/")),
        "the catalog page shows the configured context path"
    );
}

#[test]
fn examples_fail_when_a_spec_cannot_be_loaded_and_nothing_was_generated() {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n");
    site.file("openapi/brutt.json", "{\"openapi\": \"3.0.0\", \"info\": ");
    let run = site.run(&["examples", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stdout());
    let rules: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(rules.contains(&"openapi".to_string()), "{rules:?}");
    assert!(
        rules.contains(&"example".to_string()),
        "0 examples is reported: {rules:?}"
    );
    let run = site.run(&["check", "--examples", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stdout());
}

#[test]
fn every_generated_example_of_the_shared_real_specs_passes() {
    let specs = shared().join("specs");
    if !specs.is_dir() {
        eprintln!("skipped: {} is not there", specs.display());
        return;
    }
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nHei.\n");
    for name in ["einnsyn.openapi.yml", "dialogporten-serviceowner.json"] {
        site.file(
            &format!("openapi/{name}"),
            std::fs::read(specs.join(name)).unwrap(),
        );
    }
    let run = site.run(&["examples", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let all = snippets(&run);
    assert_eq!(
        all.len(),
        466,
        "einnsyn 205 and dialogporten 28 operations, twice"
    );
    let failed: Vec<&Value> = all.iter().filter(|s| s["outcome"] != "passed").collect();
    assert!(failed.is_empty(), "{failed:#?}");
}
