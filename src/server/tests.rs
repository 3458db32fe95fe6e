//! The serving layer against real sockets on loopback: each limit answers with its status, a
//! panicking handler answers 500, idle connections make room, kept-alive clients are served.

use super::accept::Backoff;
use super::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Instant;

fn limits() -> Limits {
    Limits {
        max_connections: 64,
        workers: 4,
        max_header_bytes: 8 * 1024,
        max_body_bytes: 1024,
        header_timeout: Duration::from_millis(600),
        body_timeout: Duration::from_millis(600),
        idle_timeout: Duration::from_millis(600),
        send_timeout: Duration::from_millis(600),
    }
}

fn echo(request: Request) -> Response {
    if request.target == "/panic" {
        panic!("a handler bug");
    }
    if request.target == "/big" {
        return Response::new(200, "text/plain", vec![b'x'; 32 * 1024 * 1024]);
    }
    Response::new(
        200,
        "text/plain",
        format!(
            "{} {} {}",
            request.method,
            request.target,
            request.body.len()
        ),
    )
}

fn start(limits: &Limits) -> Running {
    bind("127.0.0.1", 0, limits, "port")
        .unwrap()
        .spawn(Arc::new(echo))
}

fn connect(server: &Running) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
}

/// Send raw bytes, read until the server closes; the status and the whole answer.
fn exchange(server: &Running, raw: &[u8]) -> (u16, String) {
    let mut stream = connect(server);
    let _ = stream.write_all(raw);
    read_reply(&mut stream)
}

fn read_reply(stream: &mut TcpStream) -> (u16, String) {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn get(server: &Running, path: &str) -> (u16, String) {
    exchange(
        server,
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

#[test]
fn backoff_doubles_from_5_ms_to_1_s_and_resets() {
    let mut backoff = Backoff::default();
    let delays: Vec<u128> = (0..10).map(|_| backoff.next_delay().as_millis()).collect();
    assert_eq!(delays, [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
    backoff.reset();
    assert_eq!(backoff.next_delay(), Duration::from_millis(5));
}

#[test]
fn a_panicking_handler_answers_500_and_the_server_goes_on() {
    let pooled = start(&limits());
    let inline = bind("127.0.0.1", 0, &limits(), "port")
        .unwrap()
        .inline()
        .spawn(Arc::new(echo));
    for server in [pooled, inline] {
        let (status, _) = get(&server, "/panic");
        assert_eq!(status, 500);
        let (status, body) = get(&server, "/after");
        assert_eq!(status, 200);
        assert!(body.ends_with("GET /after 0"), "{body}");
    }
}

#[test]
fn headers_over_the_limit_get_431() {
    let server = start(&limits());
    let big = "x".repeat(16 * 1024);
    let (status, _) = exchange(
        &server,
        format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {big}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 431);
}

#[test]
fn bodies_over_the_limit_get_413_declared_or_chunked() {
    let server = start(&limits());
    let (status, _) = exchange(
        &server,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\nabc",
    );
    assert_eq!(status, 413);
    let chunk = "y".repeat(600);
    let (status, _) = exchange(
        &server,
        format!(
            "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n{chunk}\r\n258\r\n{chunk}\r\n0\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(status, 413);
    let (status, body) = exchange(
        &server,
        b"POST /ok HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
    );
    assert_eq!(status, 200);
    assert!(body.ends_with("POST /ok 3"), "{body}");
}

#[test]
fn slow_headers_and_slow_bodies_get_408() {
    let server = start(&limits());
    let started = Instant::now();
    let (status, _) = exchange(&server, b"GET / HTTP/1.1\r\nHost: loc");
    assert_eq!(status, 408, "slow head");
    assert!(started.elapsed() < Duration::from_secs(3));
    let (status, _) = exchange(
        &server,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc",
    );
    assert_eq!(status, 408, "slow body");
}

#[test]
fn a_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let server = start(&limits());
    let mut stream = connect(&server);
    stream
        .write_all(b"GET /one HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut first = [0u8; 512];
    let n = stream.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    let waited = Instant::now();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "closed without a second answer");
    let idle = waited.elapsed();
    assert!(
        idle >= Duration::from_millis(500) && idle < Duration::from_secs(3),
        "{idle:?}"
    );
}

#[test]
fn when_full_idle_connections_make_room_and_busy_ones_are_kept() {
    let server = start(&Limits {
        max_connections: 4,
        header_timeout: Duration::from_secs(10),
        ..limits()
    });
    // A slow header holds one slot; it is busy, so it is never closed for room.
    let mut busy = connect(&server);
    busy.write_all(b"GET /busy HTTP/1.1\r\nHost: local")
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let idle: Vec<TcpStream> = (0..10).map(|_| connect(&server)).collect();
    let started = Instant::now();
    let (status, _) = get(&server, "/normal");
    assert_eq!(status, 200);
    assert!(started.elapsed() < Duration::from_secs(1));
    busy.write_all(b"host\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (status, body) = read_reply(&mut busy);
    assert_eq!(status, 200, "the busy connection was kept: {body}");
    drop(idle);
}

#[test]
fn pooled_keep_alive_clients_are_served() {
    let server = start(&Limits {
        idle_timeout: Duration::from_secs(10),
        ..limits()
    });
    let url = format!("http://{}/pooled", server.addr());
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..100 {
                    let reply = client.get(&url).send().unwrap();
                    assert_eq!(reply.status(), 200);
                    assert_eq!(reply.text().unwrap(), "GET /pooled 0");
                }
            });
        }
    });
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_client_that_stops_reading_is_dropped_after_the_send_timeout() {
    let server = start(&Limits {
        max_connections: 1,
        ..limits()
    });
    // Asks for 32 MiB and reads none of it: the only slot is busy until the send timeout.
    let mut stalled = connect(&server);
    stalled
        .write_all(b"GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let (status, text) = get(&server, "/after");
    assert_eq!(status, 200, "{text} after {:?}", started.elapsed());
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(3),
        "it waited for the send timeout, not less (the stalled one is busy, not idle): {waited:?}"
    );
    drop(stalled);
}

#[test]
fn the_connection_limit_fits_under_the_open_file_limit() {
    let limits = Limits {
        max_connections: 512,
        ..limits()
    };
    assert_eq!(limits.connections_within(None), 512);
    assert_eq!(limits.connections_within(Some(1024)), 512);
    assert_eq!(
        limits.connections_within(Some(256)),
        192,
        "64 kept for files"
    );
    assert_eq!(limits.connections_within(Some(20)), 16, "never below 16");
}

#[test]
fn the_largest_time_outs_a_config_can_hold_still_serve() {
    // TOML integers go up to i64::MAX; a deadline that far ahead overflowed `Instant` and
    // panicked every connection's task on its first byte.
    let huge = i64::MAX as u64;
    let config = ServerConfig {
        header_timeout_secs: huge,
        body_timeout_secs: huge,
        idle_timeout_secs: huge,
        send_timeout_secs: huge,
        ..ServerConfig::default()
    };
    let server = start(&Limits::from_config(&config));
    let (status, text) = get(&server, "/ok");
    assert_eq!(status, 200, "{text}");
    assert!(text.ends_with("GET /ok 0"), "{text}");
}
