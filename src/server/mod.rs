//! The HTTP serving layer that `serve` and `sandbox` share: a long-lived HTTP/1.1 server on hyper
//! and tokio that keeps serving whatever clients do.
//!
//! - Accept errors never end it: the first of a run is logged, it backs off (5 ms doubling to 1 s,
//!   as Go's `net/http` does) and retries; when the process is out of file descriptors it also closes
//!   its oldest idle connection. Only a fatal listener error ends [`Bound::run`], with an error.
//! - Connections are bounded ([`Limits::max_connections`], capped by the open-file limit); when full,
//!   idle connections (no request in progress) are closed first, oldest first, as nginx does.
//! - Headers larger than [`Limits::max_header_bytes`] get `431`, bodies larger than
//!   [`Limits::max_body_bytes`] `413`; headers and bodies that arrive too slowly get `408`; a
//!   kept-alive connection waiting longer than the idle timeout is closed, and so is one whose
//!   client stops reading its response for the send timeout.
//! - Handlers are plain functions run on a bounded pool of threads; a panicking handler answers
//!   `500` and the server goes on.
//!
//! All limits live in [`Limits`], made from the `[server]` table of `intark.toml`. This module knows
//! nothing of pages or APIs.

mod accept;
mod conn;
mod service;

use crate::config::ServerConfig;
use crate::error::{Error, Result};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Every limit of a server, in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Connections held at once.
    pub max_connections: usize,
    /// Handler threads.
    pub workers: usize,
    /// Largest request line plus headers (at least 8 KiB).
    pub max_header_bytes: usize,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Time to send a request's headers, counted from its first byte (or from the connection).
    pub header_timeout: Duration,
    /// Time to send a request's body, counted from the end of its headers.
    pub body_timeout: Duration,
    /// Time a kept-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    /// Time a response may wait for the client to read any of it.
    pub send_timeout: Duration,
}

impl Limits {
    /// The longest time-out: one day.
    pub const MAX_TIMEOUT_SECS: u64 = 24 * 60 * 60;

    /// The limits of a `[server]` table. `workers = 0` means four per core; time-outs are at least
    /// one second (a server without time-outs is what this module exists to avoid) and at most
    /// [`Limits::MAX_TIMEOUT_SECS`] (a deadline further ahead overflows the clock), the header
    /// limit at least 8 KiB (hyper's smallest buffer) and the connection limit at least one.
    pub fn from_config(config: &ServerConfig) -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let secs = |s: u64| Duration::from_secs(s.clamp(1, Self::MAX_TIMEOUT_SECS));
        Limits {
            max_connections: config.max_connections.max(1),
            workers: if config.workers == 0 {
                cores * 4
            } else {
                config.workers
            },
            max_header_bytes: config.max_header_bytes.max(8 * 1024),
            max_body_bytes: config.max_body_bytes,
            header_timeout: secs(config.header_timeout_secs),
            body_timeout: secs(config.body_timeout_secs),
            idle_timeout: secs(config.idle_timeout_secs),
            send_timeout: secs(config.send_timeout_secs),
        }
    }

    /// The connection limit that fits the process's open-file limit, keeping `reserve` descriptors
    /// for files, pipes and the watcher.
    fn connections_within(&self, open_files: Option<u64>) -> usize {
        const RESERVE: u64 = 64;
        match open_files {
            Some(limit) => {
                let room = limit.saturating_sub(RESERVE).max(16);
                self.max_connections
                    .min(usize::try_from(room).unwrap_or(usize::MAX))
            }
            None => self.max_connections,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::from_config(&ServerConfig::default())
    }
}

/// A request as handlers see it: the whole body has been read (within the limits).
#[derive(Debug, Clone)]
pub struct Request {
    /// Method (`GET`).
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header of this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A body to send.
#[derive(Debug)]
pub enum Body {
    /// All of it at once.
    Full(Vec<u8>),
    /// Chunks as they are sent into the channel, until its sender is dropped (Server-Sent Events).
    /// The connection is never counted as idle while it streams.
    Stream(tokio::sync::mpsc::Receiver<Vec<u8>>),
}

/// A response from a handler.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers; invalid names or values are dropped, `Content-Length` is set by the server.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Body,
}

impl Response {
    /// A whole response.
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Full(body.into()),
        }
    }

    /// Add a header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Answers requests. Runs on the server's handler threads, so it may block (on a lock, a file).
pub trait Handler: Send + Sync + 'static {
    /// Answer one request.
    fn handle(&self, request: Request) -> Response;
}

impl<F> Handler for F
where
    F: Fn(Request) -> Response + Send + Sync + 'static,
{
    fn handle(&self, request: Request) -> Response {
        self(request)
    }
}

/// A listening socket and its runtime, not yet serving.
pub struct Bound {
    runtime: tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    limits: Limits,
    inline: bool,
}

/// Bind `host:port` (port 0 picks a free one). `setting` names the setting to change in the error
/// when the port is taken (`port`, `sandbox.port`).
pub fn bind(host: &str, port: u16, limits: &Limits, setting: &'static str) -> Result<Bound> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(2))
        .max_blocking_threads(limits.workers.max(1))
        .thread_name("intark-http")
        .enable_all()
        .build()
        .map_err(|e| Error::Server {
            address: format!("{host}:{port}"),
            source: e,
        })?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind((host, port)))
        .map_err(|e| Error::Setting {
            key: setting,
            message: if e.kind() == std::io::ErrorKind::AddrInUse {
                format!("port {port} is in use; choose another with --port")
            } else {
                format!("cannot listen on {host}:{port}: {e}")
            },
        })?;
    let addr = listener.local_addr().map_err(|e| Error::Server {
        address: format!("{host}:{port}"),
        source: e,
    })?;
    let mut limits = limits.clone();
    limits.max_connections = limits.connections_within(open_file_limit());
    Ok(Bound {
        runtime,
        listener,
        addr,
        limits,
        inline: false,
    })
}

impl Bound {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The limits in force (the connection limit fitted to the open-file limit).
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Run the handler on the server's own threads rather than the handler pool: faster (no
    /// hand-off per request), for handlers that never block on a lock or a file, like the
    /// sandbox's pure gateway. Panics are still caught.
    pub fn inline(mut self) -> Bound {
        self.inline = true;
        self
    }

    /// A handle to the server's runtime, for handlers that spawn streaming tasks.
    pub fn runtime(&self) -> tokio::runtime::Handle {
        self.runtime.handle().clone()
    }

    /// Serve on this thread until a fatal listener error (returned).
    pub fn run(self, handler: Arc<dyn Handler>) -> Result<()> {
        self.serve_until(handler, Arc::new(tokio::sync::Notify::new()))
    }

    /// Serve on this thread until `stop` is notified or the listener fails for good.
    fn serve_until(self, handler: Arc<dyn Handler>, stop: Arc<tokio::sync::Notify>) -> Result<()> {
        let Bound {
            runtime,
            listener,
            addr,
            limits,
            inline,
        } = self;
        let outcome = runtime.block_on(accept::serve(listener, limits, handler, inline, stop));
        runtime.shutdown_background();
        outcome.map_err(|source| Error::Server {
            address: addr.to_string(),
            source,
        })
    }

    /// Serve on a background thread until the [`Running`] is dropped.
    pub fn spawn(self, handler: Arc<dyn Handler>) -> Running {
        let addr = self.addr;
        let stop = Arc::new(tokio::sync::Notify::new());
        let signal = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("intark-http-accept".into())
            .spawn(move || self.serve_until(handler, signal));
        Running {
            addr,
            stop,
            thread: thread.ok(),
        }
    }
}

/// A server on a background thread; stopped when dropped.
pub struct Running {
    addr: SocketAddr,
    stop: Arc<tokio::sync::Notify>,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
}

impl Running {
    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Block until the server ends, which only a fatal listener error does (returned).
    pub fn wait(mut self) -> Result<()> {
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(outcome)) => outcome,
            Some(Err(_)) | None => Err(Error::Server {
                address: self.addr.to_string(),
                source: std::io::Error::other("the server thread could not start or panicked"),
            }),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.notify_one();
    }
}

/// The soft limit on open files (`ulimit -n`), where the platform has one.
fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into the struct we own and reads nothing else.
        let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
        // `rlim_t` is `u64` on Linux and macOS; the cast keeps other platforms compiling.
        #[allow(clippy::unnecessary_cast)]
        let current = limit.rlim_cur as u64;
        (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(current)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

#[cfg(test)]
mod tests;
