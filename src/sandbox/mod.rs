//! `intark-docs sandbox`: a local gateway that answers like the IntArk Gravitee gateway for every API
//! in the catalog. [`gateway`] is the behaviour (pure, request to response); this module serves it
//! over HTTP on loopback with a pool of worker threads and one log line per request (keys are never
//! logged).

pub mod gateway;

use crate::error::{Error, Result};
use gateway::Gateway;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;

/// Largest request body read (larger ones are answered 413).
const MAX_BODY: u64 = 10 * 1024 * 1024;

/// A sandbox listening in the background.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    server: Arc<tiny_http::Server>,
}

impl Running {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.server.unblock();
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

/// Start serving `gateway` on `host:port` with `workers` threads.
pub fn start(
    gateway: Arc<Gateway>,
    host: &str,
    port: u16,
    workers: usize,
    log: Log,
) -> Result<Running> {
    let server = tiny_http::Server::http((host, port)).map_err(|e| Error::Setting {
        key: "sandbox.port",
        message: if e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse)
        {
            format!("port {port} is in use; choose another with --port")
        } else {
            format!("cannot listen on {host}:{port}: {e}")
        },
    })?;
    let addr = server.server_addr().to_ip().ok_or_else(|| Error::Setting {
        key: "host",
        message: "not an IP address".into(),
    })?;
    let server = Arc::new(server);
    for _ in 0..workers.max(1) {
        let server = Arc::clone(&server);
        let gateway = Arc::clone(&gateway);
        std::thread::spawn(move || {
            let mut err = std::io::LineWriter::new(std::io::stderr());
            while let Ok(request) = server.recv() {
                serve_one(&gateway, request, log, &mut err);
            }
        });
    }
    Ok(Running { addr, server })
}

fn serve_one(gateway: &Gateway, mut request: tiny_http::Request, log: Log, err: &mut impl Write) {
    let started = std::time::Instant::now();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_string(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let mut body = Vec::new();
    let too_large = request.body_length().is_some_and(|n| n as u64 > MAX_BODY);
    let read = request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body);
    let response = if too_large || body.len() as u64 > MAX_BODY {
        gateway::Response {
            status: 413,
            headers: vec![],
            body: b"{\"message\":\"Payload Too Large\",\"http_status_code\":413}".to_vec(),
            label: "-".into(),
        }
    } else if read.is_err() {
        gateway::Response {
            status: 400,
            headers: vec![],
            body: b"{\"message\":\"Bad Request\",\"http_status_code\":400}".to_vec(),
            label: "-".into(),
        }
    } else {
        gateway.handle(&gateway::Request {
            method: &method,
            url: &url,
            headers: &headers,
            body: &body,
        })
    };
    let status = response.status;
    let label = response.label.clone();
    let mut reply = tiny_http::Response::from_data(response.body)
        .with_status_code(tiny_http::StatusCode(status));
    for (name, value) in response.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            reply.add_header(h);
        }
    }
    let _ = request.respond(reply);
    if log == Log::Stderr {
        let path = url.split('?').next().unwrap_or("");
        let _ = writeln!(
            err,
            "{method} {path} -> {status} [{label}] {:.2} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
