//! The accept loop: bounded connections, idle ones closed first when room is needed, and accept
//! errors met with back-off instead of an exit (Go's `net/http` `Server.Serve` is the model: 5 ms
//! doubling to 1 s).

use super::conn::{Phase, Shared, TimedIo};
use super::service::{answer, Setup};
use super::{Handler, Limits};
use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore};

/// Accept and serve until `stop` is notified (`Ok`) or the listener fails for good (`Err`).
pub(super) async fn serve(
    listener: TcpListener,
    limits: Limits,
    handler: Arc<dyn Handler>,
    inline: bool,
    stop: Arc<Notify>,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let open = Arc::new(Open::default());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.max_buf_size(limits.max_header_bytes)
        .header_read_timeout(None)
        .keep_alive(true);
    let setup = Arc::new(Setup {
        handler,
        limits,
        inline,
    });
    let mut backoff = Backoff::default();
    let mut errors = ErrorLog::default();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = stop.notified() => return Ok(()),
        };
        match accepted {
            Ok((stream, _)) => {
                backoff.reset();
                // Room for it: a free slot, or the oldest idle connection closed for it (only now
                // that someone is waiting, so a full server with nobody knocking closes nothing).
                let permit = match Arc::clone(&permits).try_acquire_owned() {
                    Ok(permit) => permit,
                    Err(_) => {
                        open.close_oldest_idle();
                        tokio::select! {
                            permit = Arc::clone(&permits).acquire_owned() => match permit {
                                Ok(permit) => permit,
                                Err(_) => return Ok(()),
                            },
                            () = stop.notified() => return Ok(()),
                        }
                    }
                };
                let _ = stream.set_nodelay(true);
                let conn = Shared::new();
                let id = open.insert(Arc::clone(&conn));
                let io = hyper_util::rt::TokioIo::new(TimedIo::new(
                    stream,
                    Arc::clone(&conn),
                    setup.limits.header_timeout,
                    setup.limits.idle_timeout,
                    setup.limits.send_timeout,
                ));
                let service = {
                    let setup = Arc::clone(&setup);
                    let conn = Arc::clone(&conn);
                    hyper::service::service_fn(move |request| {
                        answer(Arc::clone(&setup), Arc::clone(&conn), request)
                    })
                };
                let connection = http.serve_connection(io, service);
                let open = Arc::clone(&open);
                tokio::spawn(async move {
                    tokio::select! {
                        _ = connection => {}
                        () = conn.close.notified() => {}
                    }
                    open.remove(id);
                    drop(permit);
                });
            }
            Err(e) if is_fatal(&e) => return Err(e),
            Err(e) => {
                errors.record(&e);
                if is_out_of_descriptors(&e) {
                    open.close_oldest_idle();
                }
                tokio::select! {
                    () = tokio::time::sleep(backoff.next_delay()) => {}
                    () = stop.notified() => return Ok(()),
                }
            }
        }
    }
}

/// Accept errors, logged once and then at most once per [`ErrorLog::EVERY`] with a count, so a
/// flood that keeps the process at its descriptor limit does not flood the terminal too.
#[derive(Debug, Default)]
struct ErrorLog {
    logged: Option<Instant>,
    unlogged: u64,
}

impl ErrorLog {
    const EVERY: Duration = Duration::from_secs(10);

    fn record(&mut self, e: &io::Error) {
        if self.logged.is_some_and(|at| at.elapsed() < Self::EVERY) {
            self.unlogged += 1;
            return;
        }
        let since = if self.unlogged > 0 {
            format!(" ({} more since the last message)", self.unlogged)
        } else {
            String::new()
        };
        eprintln!(
            "cannot accept a connection ({e}){since}; still serving: closing idle connections and retrying with back-off (5 ms to 1 s)"
        );
        self.logged = Some(Instant::now());
        self.unlogged = 0;
    }
}

/// The open connections, oldest first.
#[derive(Default)]
struct Open {
    connections: Mutex<(u64, BTreeMap<u64, Arc<Shared>>)>,
}

impl Open {
    fn insert(&self, conn: Arc<Shared>) -> u64 {
        let mut guard = self
            .connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (next, map) = &mut *guard;
        *next += 1;
        map.insert(*next, conn);
        *next
    }

    fn remove(&self, id: u64) {
        self.connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .1
            .remove(&id);
    }

    /// Close the oldest connections that have no request in progress: an eighth of them, at least
    /// one and at most 32 (nginx's `ngx_drain_connections`), so that a backlog of new connections
    /// does not wait for one close per accept. The number closed.
    fn close_oldest_idle(&self) -> usize {
        let guard = self
            .connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let idle: Vec<&Arc<Shared>> = guard
            .1
            .values()
            .filter(|c| c.phase() == Phase::Idle)
            .collect();
        let wanted = (idle.len() / 8).clamp(1, 32);
        let mut closed = 0;
        for conn in idle {
            if closed == wanted {
                break;
            }
            if conn.change(Phase::Idle, Phase::Closing) {
                conn.close.notify_one();
                closed += 1;
            }
        }
        closed
    }
}

/// Errors after which the listener cannot work again.
fn is_fatal(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EBADF | libc::ENOTSOCK | libc::EINVAL | libc::EOPNOTSUPP)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// The process or the system is out of descriptors or buffers.
fn is_out_of_descriptors(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Accept back-off: 5 ms, doubling, at most 1 s; reset by a successful accept.
#[derive(Debug, Default)]
pub(super) struct Backoff {
    current: Option<Duration>,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(5);
    const MAX: Duration = Duration::from_secs(1);

    pub(super) fn next_delay(&mut self) -> Duration {
        let delay = self.current.map_or(Self::FIRST, |d| (d * 2).min(Self::MAX));
        self.current = Some(delay);
        delay
    }

    pub(super) fn reset(&mut self) {
        self.current = None;
    }
}
