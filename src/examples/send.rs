//! Sending one parsed request: with the built-in client (reqwest), or with the real `curl` binary.
//!
//! curl gets its request through a config on stdin (`--config -`), never in argv, so the key in a
//! header or the URL is not in the process's command line (`ps`, `/proc/PID/cmdline`). It always runs
//! with `-q` (no `~/.curlrc`), `--globoff` (`[1-1000]` in a URL is not a range of 1,000 requests),
//! one URL, no redirects followed, and http(s) only. Errors say why without the URL, so that alike
//! failures (an unreachable gateway) read alike and can be counted as one cause.

use crate::snippets::ParsedRequest;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// What the gateway answered.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) content_type: String,
    pub(super) body: Vec<u8>,
}

/// Why a request got no answer, without the URL (the caller names the gateway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SendError(pub(super) String);

/// Send with the built-in client.
pub(super) fn builtin(
    client: Result<&reqwest::blocking::Client, &str>,
    request: &ParsedRequest,
) -> Result<Answer, SendError> {
    let client = client.map_err(|why| SendError(format!("no HTTP client: {why}")))?;
    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|e| SendError(format!("the method `{}` is not valid: {e}", request.method)))?;
    let mut builder = client.request(method, &request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let response = builder.send().map_err(|e| SendError(cause(e)))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = response.bytes().map_err(|e| SendError(cause(e)))?.to_vec();
    Ok(Answer {
        status,
        content_type,
        body,
    })
}

/// Why reqwest got no answer, in words alike for alike failures: "could not connect: Connection
/// refused (os error 111)", "timed out", else the error's chain (without the URL).
fn cause(error: reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".into();
    }
    let error = error.without_url();
    if error.is_connect() {
        let mut root: &dyn std::error::Error = &error;
        while let Some(source) = root.source() {
            root = source;
        }
        return format!("could not connect: {root}");
    }
    crate::error::chain(&error, ": ")
}

/// The arguments curl always gets; the request itself comes on stdin. `-q` must be first.
pub(super) fn curl_args(timeout: Duration) -> Vec<String> {
    [
        "-q",
        "--silent",
        "--show-error",
        "--include",
        "--globoff",
        "--max-redirs",
        "0",
        "--proto",
        "=http,https",
        "--max-time",
        &timeout.as_secs().max(1).to_string(),
        "--config",
        "-",
    ]
    .map(str::to_string)
    .to_vec()
}

/// A value in a curl config file: double-quoted, with curl's escapes (`\\ \" \t \n \r \v`).
fn quoted(value: &str) -> Result<String, SendError> {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{b}' => out.push_str("\\v"),
            '\0' => {
                return Err(SendError(
                    "the request holds a NUL character, which curl cannot send".into(),
                ))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

/// The request as a curl config: one URL, the method, the headers, the body.
pub(super) fn curl_config(request: &ParsedRequest) -> Result<String, SendError> {
    let mut config = format!("url = {}\n", quoted(&request.url)?);
    if request.method.eq_ignore_ascii_case("HEAD") {
        // `--request HEAD` would wait for a body that never comes.
        config.push_str("head\n");
    } else {
        config.push_str(&format!("request = {}\n", quoted(&request.method)?));
    }
    for (name, value) in &request.headers {
        config.push_str(&format!(
            "header = {}\n",
            quoted(&format!("{name}: {value}"))?
        ));
    }
    if let Some(body) = &request.body {
        config.push_str(&format!("data-raw = {}\n", quoted(body)?));
    }
    Ok(config)
}

/// Run the real curl binary (no shell); the request goes in on stdin.
pub(super) fn curl(request: &ParsedRequest, timeout: Duration) -> Result<Answer, SendError> {
    let config = curl_config(request)?;
    let mut child = Command::new("curl")
        .args(curl_args(timeout))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| SendError(format!("cannot run curl: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        // curl reads the whole config before it sends; a write error shows in its exit status.
        let _ = stdin.write_all(config.as_bytes());
    }
    let output = child
        .wait_with_output()
        .map_err(|e| SendError(format!("cannot run curl: {e}")))?;
    if !output.status.success() {
        return Err(SendError(curl_failure(
            output.status.code(),
            &String::from_utf8_lossy(&output.stderr),
        )));
    }
    parse_curl_output(&output.stdout)
}

/// curl's reason for a failure, without the parts that differ per request (URL, milliseconds).
fn curl_failure(code: Option<i32>, stderr: &str) -> String {
    let known = match code {
        Some(5) => Some("could not resolve the proxy"),
        Some(6) => Some("could not resolve the host"),
        Some(7) => Some("could not connect to the server"),
        Some(28) => Some("timed out"),
        Some(35) => Some("the TLS handshake failed"),
        Some(47) => Some("too many redirects"),
        Some(52) => Some("the server sent nothing"),
        Some(56) => Some("the connection broke while receiving data"),
        _ => None,
    };
    let code = code.map_or_else(|| "a signal".to_string(), |c| c.to_string());
    match known {
        Some(reason) => format!("curl: {reason} (exit code {code})"),
        None => format!(
            "curl exited with {code}: {}",
            stderr.trim().trim_start_matches("curl: ")
        ),
    }
}

fn parse_curl_output(raw: &[u8]) -> Result<Answer, SendError> {
    let mut start = 0;
    loop {
        let head_end = raw
            .get(start..)
            .and_then(|rest| rest.windows(4).position(|w| w == b"\r\n\r\n"))
            .ok_or_else(|| SendError("curl printed no headers".into()))?
            + start;
        let head = String::from_utf8_lossy(&raw[start..head_end]).into_owned();
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| SendError("curl printed no status".into()))?;
        if status == 100 {
            start = head_end + 4;
            continue;
        }
        let content_type = head
            .lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default();
        return Ok(Answer {
            status,
            content_type,
            body: raw[head_end + 4..].to_vec(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> ParsedRequest {
        ParsedRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:9/items/[1-1000]?api-key=hemmelig".into(),
            headers: vec![("X-Gravitee-Api-Key".into(), "hemmelig \"q\"\\".into())],
            body: Some("{\"a\":\n\t1}".into()),
        }
    }

    #[test]
    fn the_key_goes_in_the_config_not_the_arguments() {
        let args = curl_args(Duration::from_secs(5));
        assert_eq!(args[0], "-q", "curl reads ~/.curlrc unless -q comes first");
        assert!(args.contains(&"--globoff".to_string()));
        assert!(args
            .iter()
            .all(|a| !a.contains("hemmelig") && !a.contains("://")));
        assert_eq!(
            curl_config(&request()).unwrap(),
            "url = \"http://127.0.0.1:9/items/[1-1000]?api-key=hemmelig\"\nrequest = \"POST\"\nheader = \"X-Gravitee-Api-Key: hemmelig \\\"q\\\"\\\\\"\ndata-raw = \"{\\\"a\\\":\\n\\t1}\"\n"
        );
        let mut head = request();
        head.method = "HEAD".into();
        head.body = None;
        assert!(curl_config(&head).unwrap().contains("\nhead\n"));
        let mut nul = request();
        nul.body = Some("a\0b".into());
        assert!(curl_config(&nul).is_err());
    }

    #[test]
    fn curl_failures_read_alike_for_alike_causes() {
        assert_eq!(
            curl_failure(Some(7), "curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server"),
            curl_failure(Some(7), "curl: (7) Failed to connect to 127.0.0.1 port 1 after 3 ms: Couldn't connect to server"),
        );
        assert_eq!(
            curl_failure(Some(3), "curl: (3) URL rejected: Bad hostname"),
            "curl exited with 3: (3) URL rejected: Bad hostname"
        );
    }

    #[test]
    fn curl_output_after_100_continue() {
        let answer = parse_curl_output(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Type: application/json\r\n\r\n{}",
        )
        .unwrap();
        assert_eq!(answer.status, 201);
        assert_eq!(answer.content_type, "application/json");
        assert_eq!(answer.body, b"{}");
        assert!(parse_curl_output(b"garbage").is_err());
    }
}
