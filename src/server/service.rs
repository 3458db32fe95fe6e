//! One request: its body read within the size and time limits, the handler run on the pool of
//! handler threads with panics caught, and the response turned into hyper's types.

use super::conn::{Phase, Shared};
use super::{Body, Handler, Limits, Request, Response};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// What every request of a server shares.
pub(super) struct Setup {
    pub(super) handler: Arc<dyn Handler>,
    pub(super) limits: Limits,
    /// Run the handler on the runtime's own threads instead of the handler pool.
    pub(super) inline: bool,
}

/// Answer one request on a connection.
pub(super) async fn answer(
    context: Arc<Setup>,
    conn: Arc<Shared>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<OutBody>, Infallible> {
    conn.set(Phase::Handling);
    let response = match read(&context.limits, request).await {
        Ok(request) => run(&context, request).await,
        Err(refusal) => refusal,
    };
    Ok(into_hyper(response, conn))
}

/// The request with its whole body, or the response that refuses it.
async fn read(limits: &Limits, request: hyper::Request<Incoming>) -> Result<Request, Response> {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_body_bytes as u64) {
        return Err(refuse(413, "Payload Too Large"));
    }
    let limited = http_body_util::Limited::new(body, limits.max_body_bytes);
    let body = match tokio::time::timeout(limits.body_timeout, limited.collect()).await {
        Err(_) => return Err(refuse(408, "Request Timeout")),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return Err(refuse(413, "Payload Too Large"))
        }
        Ok(Err(_)) => return Err(refuse(400, "Bad Request")),
        Ok(Ok(collected)) => collected.to_bytes().to_vec(),
    };
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    Ok(Request {
        method: parts.method.as_str().to_string(),
        target: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string()),
        headers,
        body,
    })
}

/// A refusal by the server itself; the connection is closed after it (the rest of the request may
/// still be on the wire).
fn refuse(status: u16, message: &str) -> Response {
    Response::new(
        status,
        "application/json",
        format!("{{\"message\":\"{message}\",\"http_status_code\":{status}}}"),
    )
    .with_header("Connection", "close")
}

/// Run the handler on a handler thread; a panic answers 500.
async fn run(context: &Arc<Setup>, request: Request) -> Response {
    let handler = Arc::clone(&context.handler);
    let what = format!(
        "{} {}",
        request.method,
        request.target.split('?').next().unwrap_or_default()
    );
    let call = move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler.handle(request))).ok()
    };
    let outcome = if context.inline {
        call()
    } else {
        tokio::task::spawn_blocking(call).await.ok().flatten()
    };
    match outcome {
        Some(response) => response,
        None => {
            eprintln!("the handler of `{what}` panicked; answered 500, still serving");
            refuse(500, "Internal Server Error")
        }
    }
}

fn into_hyper(response: Response, conn: Arc<Shared>) -> hyper::Response<OutBody> {
    let streaming = matches!(response.body, Body::Stream(_));
    conn.set(if streaming {
        Phase::Streaming
    } else {
        Phase::Responding
    });
    let body = match response.body {
        Body::Full(bytes) => Out::Full(Some(Bytes::from(bytes))),
        Body::Stream(receiver) => Out::Stream(receiver),
    };
    let mut reply = hyper::Response::new(OutBody { body, conn });
    *reply.status_mut() =
        hyper::StatusCode::from_u16(response.status).unwrap_or(hyper::StatusCode::OK);
    let headers = reply.headers_mut();
    for (name, value) in response.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            if name != CONTENT_LENGTH {
                headers.append(name, value);
            }
        }
    }
    reply
}

enum Out {
    Full(Option<Bytes>),
    Stream(tokio::sync::mpsc::Receiver<Vec<u8>>),
}

/// A response body; when hyper is done with it (all taken, or the client left) the connection is
/// [`Phase::Sent`].
pub(super) struct OutBody {
    body: Out,
    conn: Arc<Shared>,
}

impl Drop for OutBody {
    fn drop(&mut self) {
        if !self.conn.change(Phase::Responding, Phase::Sent) {
            self.conn.change(Phase::Streaming, Phase::Sent);
        }
    }
}

impl hyper::body::Body for OutBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match &mut self.body {
            Out::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Out::Stream(receiver) => receiver
                .poll_recv(cx)
                .map(|chunk| chunk.map(|c| Ok(Frame::data(Bytes::from(c))))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(&self.body, Out::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match &self.body {
            Out::Full(Some(bytes)) => SizeHint::with_exact(bytes.len() as u64),
            Out::Full(None) => SizeHint::with_exact(0),
            Out::Stream(_) => SizeHint::default(),
        }
    }
}
