//! One connection's state and its socket with deadlines.
//!
//! A connection is in one [`Phase`] at a time. The socket wrapper [`TimedIo`] moves it from idle to
//! reading headers on the first byte and enforces the deadline of the idle and header phases (a
//! slow header gets a best-effort `408` before the socket is closed) and the send deadline; the
//! request service moves it through handling and responding, the response body's end to sent, and
//! the socket's next completed flush to idle again. The accept loop closes idle connections first
//! when it needs room.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

/// Where a connection is in its request cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Phase {
    /// No byte of a request yet (new, or kept alive after a response). May be closed for room.
    Idle = 0,
    /// Some bytes of a request's head arrived; the header deadline runs.
    Head = 1,
    /// The head is parsed: the body is read and the handler runs.
    Handling = 2,
    /// The response is being written.
    Responding = 3,
    /// A streamed response (events); never idle.
    Streaming = 4,
    /// The handler's body is all with hyper, which may still be writing it; idle at the next
    /// completed flush (hyper flushes the socket only once its own buffer is written).
    Sent = 5,
    /// Chosen to be closed for room.
    Closing = 6,
}

impl Phase {
    fn from_u8(value: u8) -> Phase {
        match value {
            0 => Phase::Idle,
            1 => Phase::Head,
            2 => Phase::Handling,
            3 => Phase::Responding,
            4 => Phase::Streaming,
            5 => Phase::Sent,
            _ => Phase::Closing,
        }
    }
}

/// What the accept loop, the socket and the request service share about one connection.
#[derive(Debug)]
pub(super) struct Shared {
    phase: AtomicU8,
    /// Told when the accept loop closes this connection for room.
    pub(super) close: tokio::sync::Notify,
}

impl Shared {
    pub(super) fn new() -> Arc<Shared> {
        Arc::new(Shared {
            phase: AtomicU8::new(Phase::Idle as u8),
            close: tokio::sync::Notify::new(),
        })
    }

    pub(super) fn phase(&self) -> Phase {
        Phase::from_u8(self.phase.load(Ordering::Acquire))
    }

    pub(super) fn set(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Release);
    }

    /// Move from `from` to `to` if the connection is still in `from`.
    pub(super) fn change(&self, from: Phase, to: Phase) -> bool {
        self.phase
            .compare_exchange(from as u8, to as u8, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }
}

const REQUEST_TIMEOUT: &[u8] =
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

/// A TCP stream that enforces the idle and header deadlines of its connection, and closes it when a
/// response makes no progress for the send timeout (a client that does not read).
pub(super) struct TimedIo {
    stream: TcpStream,
    shared: Arc<Shared>,
    header_timeout: Duration,
    idle_timeout: Duration,
    send_timeout: Duration,
    /// The phase the running read deadline belongs to.
    timed: Phase,
    sleep: Pin<Box<Sleep>>,
    /// Whether a write is waiting for the client (and `send_sleep` runs).
    send_waiting: bool,
    send_sleep: Pin<Box<Sleep>>,
}

impl TimedIo {
    /// A new connection waits for its first request's head for the header timeout.
    pub(super) fn new(
        stream: TcpStream,
        shared: Arc<Shared>,
        header_timeout: Duration,
        idle_timeout: Duration,
        send_timeout: Duration,
    ) -> TimedIo {
        TimedIo {
            stream,
            shared,
            header_timeout,
            idle_timeout,
            send_timeout,
            timed: Phase::Idle,
            sleep: Box::pin(tokio::time::sleep(header_timeout)),
            send_waiting: false,
            send_sleep: Box::pin(tokio::time::sleep(send_timeout)),
        }
    }

    /// After a write or flush: progress clears the send deadline, waiting starts or checks it.
    fn sent<T>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if result.is_ready() {
            self.send_waiting = false;
            return result;
        }
        if !self.send_waiting {
            self.send_waiting = true;
            self.send_sleep
                .as_mut()
                .reset(Instant::now() + self.send_timeout);
        }
        if self.send_sleep.as_mut().poll(cx).is_ready() {
            self.shared.set(Phase::Closing);
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading the response",
            )));
        }
        Poll::Pending
    }

    fn restart(&mut self, phase: Phase, after: Duration) {
        self.timed = phase;
        self.sleep.as_mut().reset(Instant::now() + after);
    }
}

impl AsyncRead for TimedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        let result = Pin::new(&mut this.stream).poll_read(cx, buf);
        let phase = this.shared.phase();
        match &result {
            Poll::Ready(Ok(())) if buf.filled().len() > before => {
                if this.shared.change(Phase::Idle, Phase::Head) {
                    this.restart(Phase::Head, this.header_timeout);
                }
                return result;
            }
            Poll::Ready(_) => return result,
            Poll::Pending => {}
        }
        match phase {
            Phase::Idle | Phase::Head => {
                if this.timed != phase {
                    // Idle again after a response: the keep-alive deadline starts now.
                    let after = if phase == Phase::Idle {
                        this.idle_timeout
                    } else {
                        this.header_timeout
                    };
                    this.restart(phase, after);
                }
                if this.sleep.as_mut().poll(cx).is_ready() {
                    if phase == Phase::Head {
                        // Best effort: the client may not be reading.
                        let _ = this.stream.try_write(REQUEST_TIMEOUT);
                    }
                    this.shared.set(Phase::Closing);
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "request timed out",
                    )));
                }
            }
            Phase::Closing => {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "closed for room",
                )))
            }
            Phase::Handling | Phase::Responding | Phase::Streaming | Phase::Sent => {
                // Bodies have their own deadline in the service; a response may take its time.
                this.timed = phase;
            }
        }
        Poll::Pending
    }
}

impl AsyncWrite for TimedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let result = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.sent(cx, result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let result = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.sent(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let result = Pin::new(&mut this.stream).poll_flush(cx);
        if matches!(result, Poll::Ready(Ok(()))) {
            this.shared.change(Phase::Sent, Phase::Idle);
        }
        this.sent(cx, result)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
