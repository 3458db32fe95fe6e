//! `serve` and `sandbox` under load they cannot fully hold: started with 256 open files, they get a
//! thousand connections, fifty clients sending headers slowly and fifty sending bodies slowly, and
//! must still answer a normal request within 100 ms, during and after, without exiting.

use crate::harness::{address_in, SiteTest};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const OPEN_FILES: u64 = 256;
const FLOOD: usize = 1000;
const SLOW: usize = 50;
const FAST_ENOUGH: Duration = Duration::from_millis(100);

/// The process under test, with a lowered open-file limit; killed when dropped.
struct Limited {
    child: Child,
    addr: SocketAddr,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Limited {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Limited {
    fn start(site: &SiteTest, args: &[&str], open_files: u64) -> Limited {
        use std::os::unix::process::CommandExt;
        let mut command = Command::new(env!("CARGO_BIN_EXE_intark-docs"));
        command
            .args(args)
            .arg("--root")
            .arg(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // SAFETY: setrlimit is async-signal-safe and touches only the child's own limits.
        unsafe {
            command.pre_exec(move || {
                let limit = libc::rlimit {
                    rlim_cur: open_files as libc::rlim_t,
                    rlim_max: open_files as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = command.spawn().expect("start intark-docs");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        // Keep reading stdout so the process never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = stdout.read_to_end(&mut sink);
        });
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut pipe = BufReader::new(child.stderr.take().unwrap());
        let log = std::sync::Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut line = String::new();
            while pipe.read_line(&mut line).unwrap_or(0) > 0 {
                log.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let addr = address_in(&line).parse().unwrap();
        Limited {
            child,
            addr,
            stderr,
        }
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    fn open_files(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

/// Raise this process's own soft limit so that it can hold the flood.
fn room_for_the_flood() {
    // SAFETY: getrlimit/setrlimit read and write structs we own.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            let wanted = (4096 as libc::rlim_t).min(limit.rlim_max);
            if limit.rlim_cur < wanted {
                limit.rlim_cur = wanted;
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        }
    }
}

/// One normal request on a new connection: its status and how long the answer took.
fn timed(addr: SocketAddr, request: &str) -> (u16, Duration) {
    let started = Instant::now();
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return (0, started.elapsed());
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.write_all(request.as_bytes());
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let status = String::from_utf8_lossy(&reply)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, started.elapsed())
}

struct Figures {
    during: Vec<Duration>,
    after: Vec<Duration>,
    connected: usize,
    most_open_files: usize,
}

/// The flood, the slow clients, and normal requests during and after.
fn siege(server: &mut Limited, normal: &str, slow_body: &str) -> Figures {
    room_for_the_flood();
    let addr = server.addr;
    let mut most_open_files = 0;
    let flood: Vec<TcpStream> = (0..FLOOD)
        .filter_map(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok())
        .collect();
    let connected = flood.len();
    let mut slow: Vec<TcpStream> = Vec::new();
    for i in 0..2 * SLOW {
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
            continue;
        };
        let start = if i < SLOW {
            "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".to_string()
        } else {
            slow_body.to_string()
        };
        let _ = stream.write_all(start.as_bytes());
        slow.push(stream);
    }
    let mut during = Vec::new();
    for _ in 0..10 {
        // One more byte from every slow client between normal requests.
        for stream in &mut slow {
            let _ = stream.write_all(b"a");
        }
        most_open_files = most_open_files.max(server.open_files());
        let (status, took) = timed(addr, normal);
        assert_eq!(status, 200, "a normal request during the siege failed");
        during.push(took);
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(server.running(), "the server exited during the siege");
    drop(flood);
    drop(slow);
    std::thread::sleep(Duration::from_millis(300));
    let mut after = Vec::new();
    for _ in 0..5 {
        let (status, took) = timed(addr, normal);
        assert_eq!(status, 200, "a normal request after the siege failed");
        after.push(took);
    }
    assert!(server.running(), "the server exited after the siege");
    Figures {
        during,
        after,
        connected,
        most_open_files,
    }
}

fn report(name: &str, figures: &Figures) {
    let ms = |d: &[Duration]| {
        d.iter()
            .map(|d| format!("{:.1}", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(" ")
    };
    eprintln!(
        "{name}: {} of {FLOOD} flood connections made, at most {} open files; normal request ms during: {}; after: {}",
        figures.connected,
        figures.most_open_files,
        ms(&figures.during),
        ms(&figures.after)
    );
    for took in figures.during.iter().chain(&figures.after) {
        assert!(
            *took < FAST_ENOUGH,
            "{name}: a normal request took {took:?}"
        );
    }
    assert!(figures.most_open_files <= OPEN_FILES as usize);
}

#[test]
fn serve_keeps_answering_with_256_open_files_under_a_flood_and_slow_clients() {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nVelkommen.\n")
        .file("content/a.md", "---\ntitle: Side A\n---\nTekst.\n");
    let mut server = Limited::start(&site, &["serve", "--port", "0"], OPEN_FILES);
    let figures = siege(
        &mut server,
        "GET /docs/a/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET /docs/a/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n",
    );
    report("serve", &figures);
}

fn sandbox_site() -> SiteTest {
    let site = SiteTest::new();
    site.file("content/a.md", "x")
        .file("intark.toml", "[sandbox]\nport = 0\n");
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/lonn-og-hr.yaml");
    site.file("openapi/lonn-og-hr.yaml", std::fs::read(spec).unwrap());
    site
}

const SANDBOX_GET: &str = "GET /lonn/v1/ansatte HTTP/1.1\r\nHost: localhost\r\nX-Gravitee-Api-Key: intark-sandbox-key\r\nConnection: close\r\n\r\n";

/// With 20 open files the connection limit (at least 16) cannot keep the process from running out
/// of descriptors: accept fails with EMFILE, which once ended the server with exit status 0.
#[test]
fn out_of_descriptors_the_sandbox_says_so_backs_off_and_keeps_serving() {
    let site = sandbox_site();
    let mut server = Limited::start(&site, &["sandbox"], 20);
    room_for_the_flood();
    let flood: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect_timeout(&server.addr, Duration::from_secs(1)).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let (status, took) = timed(server.addr, SANDBOX_GET);
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert!(server.running());
    drop(flood);
    std::thread::sleep(Duration::from_millis(200));
    let (status, _) = timed(server.addr, SANDBOX_GET);
    assert_eq!(status, 200);
    assert!(server.running());
    let log = server.stderr.lock().unwrap().clone();
    assert!(
        log.contains("cannot accept a connection") && log.contains("still serving"),
        "{log}"
    );
    assert_eq!(
        log.matches("cannot accept a connection").count(),
        1,
        "logged once per run of errors: {log}"
    );
}

#[test]
fn sandbox_keeps_answering_with_256_open_files_under_a_flood_and_slow_clients() {
    let site = sandbox_site();
    let mut server = Limited::start(&site, &["sandbox"], OPEN_FILES);
    let figures = siege(
        &mut server,
        SANDBOX_GET,
        "POST /lonn/v1/ansatte HTTP/1.1\r\nHost: localhost\r\nX-Gravitee-Api-Key: intark-sandbox-key\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
    );
    report("sandbox", &figures);
}

#[test]
fn the_sandbox_keeps_answering_when_nobody_reads_its_log() {
    // A parent that reads the sandbox's first line and never its stderr (a script, a test, a
    // terminal paused with Ctrl-S): the log lines fill the pipe, and writing them on the server's
    // threads stopped every answer after about 500 requests.
    let site = sandbox_site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["sandbox", "--port", "0", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = address_in(&line).parse().unwrap();
    // Each request logs its path: 2 KiB a line, so the 64 KiB pipe is full after 32.
    let path = format!("/{}", "a".repeat(2048));
    // A stalled server never answers; a loaded machine (CI, parallel tests) may take seconds for
    // one answer, so the wait is long enough to tell the two apart (2 s failed under load 15).
    let wait = Duration::from_secs(15);
    let mut answered = 0;
    for _ in 0..200 {
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, wait) else {
            break;
        };
        let _ = stream.set_read_timeout(Some(wait));
        let _ = write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        );
        let mut head = [0u8; 12];
        if stream.read_exact(&mut head).is_err() {
            break;
        }
        answered += 1;
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(answered, 200, "the sandbox stopped answering");
}
