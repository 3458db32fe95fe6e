//! The HTTP handling of `serve` and `sandbox`: each server is started once on loopback, mutated raw
//! requests (seeded from valid ones: pages, the live-reload stream, sandbox API calls with the key,
//! headers, bodies) are sent over TCP with short time-outs, and after the run the server must still
//! be running and answer a normal request.

use crate::driver::fuzz;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A server process on loopback, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// Inputs the server answered with an HTTP status line.
    answered: AtomicU64,
    _site: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Start `intark-docs ARGS --root SITE` and read its address from the first line it prints.
    fn start(site: tempfile::TempDir, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
            .args(args)
            .arg("--root")
            .arg(site.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start intark-docs");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("the server's first line");
        // Drain both pipes so a chatty server never blocks on a full one.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let mut stderr = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split(['/', ' ', '\n']).next())
            .and_then(|a| a.trim().parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server {
            child,
            addr,
            answered: AtomicU64::new(0),
            _site: site,
        }
    }

    /// Send one raw request, close the writing half, and read the answer's head (or until the
    /// server closes, or a short time-out). Panics when the server cannot be reached at all.
    fn send(&self, request: &[u8]) {
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2))
            .expect("the server accepts connections (did the previous input end it?)");
        let _ = stream.set_read_timeout(Some(Duration::from_millis(300)));
        let _ = stream.set_write_timeout(Some(Duration::from_millis(300)));
        let _ = stream.write_all(request);
        let _ = stream.shutdown(Shutdown::Write);
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while seen.len() < 64 * 1024 && !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
        if seen.starts_with(b"HTTP/1.") {
            self.answered.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The status of a normal request, after the run.
    fn status(&mut self, request: &str) -> u16 {
        assert!(
            matches!(self.child.try_wait(), Ok(None)),
            "the server exited: {:?}",
            self.child.try_wait()
        );
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2))
            .expect("the server accepts connections");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }
}

/// Tokens of HTTP/1.1 that mutations splice in.
const HTTP_TOKENS: &[&str] = &[
    "GET ",
    "POST ",
    "PUT ",
    "DELETE ",
    "HEAD ",
    "OPTIONS ",
    " HTTP/1.1\r\n",
    " HTTP/1.0\r\n",
    " HTTP/2\r\n",
    "\r\n",
    "\r\n\r\n",
    "\n",
    "Host: localhost\r\n",
    "Host: \r\n",
    "Content-Length: 0\r\n",
    "Content-Length: 18446744073709551616\r\n",
    "Content-Length: -1\r\n",
    "Content-Length: 5\r\nContent-Length: 7\r\n",
    "Transfer-Encoding: chunked\r\n",
    "0\r\n\r\n",
    "ffffffffffffffff\r\n",
    "Connection: keep-alive\r\n",
    "Connection: close\r\n",
    "Expect: 100-continue\r\n",
    "X-Gravitee-Api-Key: intark-sandbox-key\r\n",
    "X-Gravitee-Api-Key: \r\n",
    "Content-Type: application/json\r\n",
    "Accept: text/event-stream\r\n",
    "If-None-Match: \"x\"\r\n",
    "Range: bytes=0-\r\n",
    "/../",
    "%2e%2e%2f",
    "%00",
    "%",
    "?",
    "#",
    "//",
    "/_intark/events",
    "/_theme/style.css",
    "/docs/",
    "/lonn/v1/ansatte",
    "{\"fornavn\": \"Kari\"}",
    "[",
    "]",
    "\u{feff}",
    "\u{00e5}",
];

/// A site with two pages and the project's own HR spec (the sandbox serves its API).
fn site(sandbox: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, text: &[u8]| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "content/index.md",
        b"---\ntitle: Hjem\n---\n# Hjem\n\nSe [A](/docs/a/).\n",
    );
    write("content/a.md", b"---\ntitle: A\n---\n# A\n\nTekst.\n");
    if sandbox {
        write("intark.toml", b"[sandbox]\nport = 0\n");
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/lonn-og-hr.yaml");
        write(
            "openapi/lonn-og-hr.yaml",
            &std::fs::read(spec).expect("the HR spec"),
        );
    }
    dir
}

fn requests(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

const SERVE_GET: &str = "GET /docs/a/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

#[test]
fn fuzz_serve_http() {
    let mut server = Server::start(site(false), &["serve", "--port", "0"]);
    let seeds = requests(&[
        SERVE_GET,
        "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET /docs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nIf-None-Match: \"abc\"\r\nConnection: keep-alive\r\n\r\nGET /docs/a/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET /_theme/style.css HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET /_intark/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
        "HEAD /docs/a/ HTTP/1.0\r\n\r\n",
        "GET /docs/finnes-ikke/?q=%C3%A5#x HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "POST /docs/a/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nhello world",
        "GET /../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n",
    ]);
    fuzz("serve_http", seeds, HTTP_TOKENS, &[], |input| {
        server.send(input.as_bytes())
    });
    // Mutated requests get answers (400s and all), not only silence.
    let answered = server.answered.load(Ordering::Relaxed);
    eprintln!("fuzz serve_http: {answered} inputs answered with a status line");
    assert!(answered > 100);
    assert_eq!(server.status(SERVE_GET), 200, "serve answers after the run");
}

const SANDBOX_GET: &str = "GET /lonn/v1/ansatte HTTP/1.1\r\nHost: localhost\r\nX-Gravitee-Api-Key: intark-sandbox-key\r\nConnection: close\r\n\r\n";

#[test]
fn fuzz_sandbox_http() {
    let mut server = Server::start(site(true), &["sandbox"]);
    let seeds = requests(&[
        SANDBOX_GET,
        "GET /lonn/v1/ansatte/1001 HTTP/1.1\r\nHost: localhost\r\nX-Gravitee-Api-Key: intark-sandbox-key\r\nAccept: application/json\r\n\r\n",
        "GET /lonn/v1/organisasjoner?side=2&antall=10 HTTP/1.1\r\nHost: localhost\r\nX-Gravitee-Api-Key: intark-sandbox-key\r\n\r\n",
        "POST /lonn/v1/ansatte HTTP/1.1\r\nHost: localhost\r\nX-Gravitee-Api-Key: intark-sandbox-key\r\nContent-Type: application/json\r\nContent-Length: 36\r\n\r\n{\"fornavn\": \"Kari\", \"etternavn\": \"N\"}",
        "PUT /lonn/v1/ansatte/1001 HTTP/1.1\r\nHost: localhost\r\nX-Gravitee-Api-Key: intark-sandbox-key\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        "DELETE /lonn/v1/ansatte/1001 HTTP/1.1\r\nHost: localhost\r\nX-Gravitee-Api-Key: intark-sandbox-key\r\n\r\n",
        "GET /lonn/v1/ansatte HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "GET /lonn/v1/ansatte HTTP/1.1\r\nHost: localhost\r\nX-Gravitee-Api-Key: feil\r\n\r\n",
        "OPTIONS /lonn/v1/ansatte HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\n\r\n",
    ]);
    fuzz("sandbox_http", seeds, HTTP_TOKENS, &[], |input| {
        server.send(input.as_bytes())
    });
    let answered = server.answered.load(Ordering::Relaxed);
    eprintln!("fuzz sandbox_http: {answered} inputs answered with a status line");
    assert!(answered > 100);
    assert_eq!(
        server.status(SANDBOX_GET),
        200,
        "the sandbox answers after the run"
    );
}
