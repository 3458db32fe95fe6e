//! `intark-docs sandbox`: a local gateway that answers like the IntArk Gravitee gateway for every API
//! in the catalog. [`gateway`] is the behaviour (pure, request to response); this module serves it
//! over HTTP on loopback through [`crate::server`] (its limits, time-outs and accept back-off) with
//! one log line per request (keys and query strings are never logged).

pub mod gateway;

use crate::error::Result;
use crate::server::{self, Limits};
use gateway::Gateway;
use std::io::Write;
use std::net::SocketAddr;
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
    let handler = move |request: server::Request| serve_one(&gateway, request, log);
    Ok(Running {
        addr,
        // The gateway is pure and quick: run it inline, without a hand-off per request.
        server: bound.inline().spawn(Arc::new(handler)),
    })
}

fn serve_one(gateway: &Gateway, request: server::Request, log: Log) -> server::Response {
    let started = std::time::Instant::now();
    let response = gateway.handle(&gateway::Request {
        method: &request.method,
        url: &request.target,
        headers: &request.headers,
        body: &request.body,
    });
    if log == Log::Stderr {
        let path = request.target.split('?').next().unwrap_or("");
        // One write per line, so lines from handler threads never interleave.
        let line = format!(
            "{} {path} -> {} [{}] {:.2} ms\n",
            request.method,
            response.status,
            response.label,
            started.elapsed().as_secs_f64() * 1000.0
        );
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
    server::Response {
        status: response.status,
        headers: response.headers,
        body: server::Body::Full(response.body),
    }
}
