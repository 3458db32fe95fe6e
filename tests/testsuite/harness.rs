//! A site in a temporary folder, the real binary run on it, and helpers to read what it wrote.

use scraper::{Html, Selector};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

/// The shared corpus and seeds, beside the project, or where `INTARK_SHARED` says (a git worktree
/// of the project elsewhere runs the same tests).
pub fn shared() -> PathBuf {
    std::env::var_os("INTARK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// The shared corpora and seeds, or `None` when `../shared` is not beside the project (as in a fresh
/// clone): then the test is named as skipped on stderr, written past the test harness's capture so
/// that `cargo test` shows it, and the caller returns without asserting anything.
pub fn shared_or_skip(test: &str) -> Option<PathBuf> {
    let dir = shared();
    if dir.is_dir() {
        return Some(dir);
    }
    let _ = writeln!(std::io::stderr(), "skipped (no ../shared): {test}");
    None
}

pub struct SiteTest {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout()))
    }
    /// (rule, file, line) of every finding, from `--format json` output.
    pub fn findings(&self) -> Vec<(String, String, u64)> {
        self.json()["findings"]
            .as_array()
            .expect("findings array")
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["file"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    /// The findings whose rule `keep` accepts, as [`Run::findings`] gives them.
    pub fn findings_where(&self, keep: impl Fn(&str) -> bool) -> Vec<(String, String, u64)> {
        self.findings()
            .into_iter()
            .filter(|(rule, _, _)| keep(rule))
            .collect()
    }
}

/// A long-running subcommand (`serve`, `sandbox`) on a site; killed when dropped. Its stderr is
/// drained by a thread as it is written, so a chatty process never blocks on a full pipe.
pub struct Started {
    child: Child,
    stdout: BufReader<ChildStdout>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Started {
    /// The next line the process printed on stdout.
    pub fn line(&mut self) -> String {
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("read stdout");
        line
    }

    /// The process id (to read its `/proc/PID/status`).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has not exited yet.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Stop the process and return what it wrote on stderr.
    pub fn stop(&mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `host:port` of the first `http://` URL in a line.
pub fn address_in(line: &str) -> String {
    line.split("http://")
        .nth(1)
        .and_then(|r| r.split(['/', ' ', '\n']).next())
        .map(str::trim)
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string()
}

impl SiteTest {
    pub fn new() -> SiteTest {
        SiteTest {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, rel: &str, text: impl AsRef<[u8]>) -> &SiteTest {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run intark-docs");
        Run { output }
    }

    /// Start a long-running subcommand; its stdout is read line by line with [`Started::line`].
    pub fn start(&self, args: &[&str]) -> Started {
        self.start_with_env(args, &[])
    }

    /// [`SiteTest::start`] with extra environment variables.
    pub fn start_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Started {
        let mut child = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
            .args(args)
            .envs(env.iter().copied())
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start intark-docs");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut stderr = child.stderr.take().expect("piped stderr");
        let stderr = std::thread::spawn(move || {
            let mut log = String::new();
            let _ = stderr.read_to_string(&mut log);
            log
        });
        Started {
            child,
            stdout,
            stderr: Some(stderr),
        }
    }

    pub fn build(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(
            run.code(),
            0,
            "build failed:\n{}\n{}",
            run.stdout(),
            run.stderr()
        );
        run
    }

    pub fn out(&self, rel: &str) -> PathBuf {
        self.root().join("public").join(rel.trim_start_matches('/'))
    }

    /// The built HTML at a route (`/docs/a/` → `public/docs/a/index.html`).
    pub fn html(&self, route: &str) -> Html {
        let mut path = self.out(route);
        if route.ends_with('/') {
            path.push("index.html");
        }
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Html::parse_document(&text)
    }
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

pub fn text_of(html: &Html, css: &str) -> String {
    select(html, css)
        .first()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_default()
        .trim()
        .to_string()
}

pub fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// A finished run with what it cost: CPU time (user + system) and peak resident memory.
pub struct Measured {
    pub run: Run,
    pub cpu: std::time::Duration,
    /// `None` where `/usr/bin/time` is not installed.
    pub max_rss_bytes: Option<u64>,
}

/// GNU time, which reports the peak memory of the one process it starts. (`wait4` from the test
/// itself cannot: Linux carries the test process's own peak into a child it spawns.)
const GNU_TIME: &str = "/usr/bin/time";

impl SiteTest {
    /// Run the binary under GNU time (when installed) and read what it cost.
    pub fn run_measured(&self, args: &[&str]) -> Measured {
        let report = tempfile::NamedTempFile::new().expect("temp file");
        let timed = Path::new(GNU_TIME).exists();
        let mut command = if timed {
            let mut c = Command::new(GNU_TIME);
            c.arg("-o")
                .arg(report.path())
                .args(["-f", "%M %U %S"])
                .arg(env!("CARGO_BIN_EXE_intark-docs"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        };
        let started = std::time::Instant::now();
        let output = command
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run intark-docs");
        let wall = started.elapsed();
        let text = std::fs::read_to_string(report.path()).unwrap_or_default();
        let numbers: Vec<f64> = text
            .lines()
            .last()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        match numbers[..] {
            [kib, user, system] if timed => Measured {
                run: Run { output },
                cpu: std::time::Duration::from_secs_f64(user + system),
                max_rss_bytes: Some(kib as u64 * 1024),
            },
            _ => {
                eprintln!("{GNU_TIME} is not installed: peak memory not measured, wall time used");
                Measured {
                    run: Run { output },
                    cpu: wall,
                    max_rss_bytes: None,
                }
            }
        }
    }
}

/// An HTTP answer read whole: the status, the head (lower-cased) and the body.
pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

/// One `GET` over a fresh connection (`Connection: close`) with this `Host` header and read time-out.
pub fn http_get(
    addr: &str,
    path: &str,
    host: &str,
    timeout: std::time::Duration,
) -> std::io::Result<Reply> {
    let mut stream = std::net::TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(timeout))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(Reply {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    })
}
