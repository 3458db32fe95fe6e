//! `intark-docs sandbox`: a local gateway that answers like the IntArk Gravitee gateway for every API
//! in the catalog. [`gateway`] is the behaviour (pure, request to response); this module serves it
//! over HTTP on loopback through [`crate::server`] (its limits, time-outs and accept back-off) with
//! one log line per request (keys and query strings are never logged).

mod forms;
pub mod gateway;
mod params;

use crate::error::Result;
use crate::server::{self, Limits};
use gateway::Gateway;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A sandbox listening in the background; it stops when dropped.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    server: server::Running,
}

impl Running {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serve until the process is stopped; returns only on a fatal listener error.
    pub fn wait(self) -> Result<()> {
        self.server.wait()
    }
}

/// Where log lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Log {
    /// One line per request on stderr.
    Stderr,
    /// Nothing (the examples runner reports instead).
    Quiet,
}

/// Start serving `gateway` on `host:port` within `limits`.
pub fn start(
    gateway: Arc<Gateway>,
    host: &str,
    port: u16,
    limits: &Limits,
    log: Log,
) -> Result<Running> {
    let bound = server::bind(host, port, limits, "sandbox.port")?;
    let addr = bound.addr();
    let log = (log == Log::Stderr).then(LogWriter::start);
    let handler = move |request: server::Request| serve_one(&gateway, request, log.as_ref());
    Ok(Running {
        addr,
        // The gateway is pure and quick: run it inline, without a hand-off per request.
        server: bound.inline().spawn(Arc::new(handler)),
    })
}

/// Log lines go to a thread of their own through a bounded queue, so a stderr nobody reads (a
/// full pipe, a terminal paused with Ctrl-S) blocks that thread and never the server's. Lines that
/// do not fit are counted, and the count is logged once stderr moves again.
struct LogWriter {
    queue: std::sync::mpsc::SyncSender<String>,
    dropped: Arc<AtomicU64>,
}

impl LogWriter {
    const QUEUED: usize = 1024;

    fn start() -> LogWriter {
        let (queue, lines) = std::sync::mpsc::sync_channel::<String>(Self::QUEUED);
        let dropped = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&dropped);
        // Without the thread the receiver is gone and lines are dropped: serving matters more.
        let _ = std::thread::Builder::new()
            .name("intark-sandbox-log".into())
            .spawn(move || {
                for line in lines {
                    let mut stderr = std::io::stderr().lock();
                    let lost = counted.swap(0, Ordering::Relaxed);
                    if lost > 0 {
                        let _ = writeln!(
                            stderr,
                            "({lost} log lines dropped: stderr was not being read)"
                        );
                    }
                    let _ = stderr.write_all(line.as_bytes());
                }
            });
        LogWriter { queue, dropped }
    }

    fn write(&self, line: String) {
        if self.queue.try_send(line).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn serve_one(
    gateway: &Gateway,
    request: server::Request,
    log: Option<&LogWriter>,
) -> server::Response {
    let started = std::time::Instant::now();
    let response = gateway.handle(&gateway::Request {
        method: &request.method,
        url: &request.target,
        headers: &request.headers,
        body: &request.body,
    });
    if let Some(log) = log {
        let path = request.target.split('?').next().unwrap_or("");
        let line = format!(
            "{} {path} -> {} [{}] {:.2} ms\n",
            request.method,
            response.status,
            response.label,
            started.elapsed().as_secs_f64() * 1000.0
        );
        log.write(line);
    }
    server::Response {
        status: response.status,
        headers: response.headers,
        body: server::Body::Full(response.body),
    }
}
