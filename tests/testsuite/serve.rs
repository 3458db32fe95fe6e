//! The dev server over real HTTP on loopback: pages from memory with the live script, safe paths,
//! content types, live rebuilds announced over Server-Sent Events, error pages that recover.

use crate::harness::{address_in, http_get, Reply, SiteTest, Started};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

/// The server is declared before the site so that it stops before the site's folder is removed.
struct Served {
    _server: Started,
    addr: String,
    site: SiteTest,
}

impl Served {
    fn start(site: SiteTest) -> Served {
        Served::start_with(site, &["serve", "--port", "0"], &[])
    }

    fn start_with(site: SiteTest, args: &[&str], env: &[(&str, &str)]) -> Served {
        let mut server = site.start_with_env(args, env);
        let addr = address_in(&server.line());
        Served {
            _server: server,
            addr,
            site,
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.get_as(path, "localhost")
    }

    /// A GET with this `Host` header.
    fn get_as(&self, path: &str, host: &str) -> Reply {
        http_get(&self.addr, path, host, Duration::from_secs(10)).unwrap()
    }

    fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET /_intark/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        // Read up to the hello event.
        wait_for(&mut reader, "event: hello");
        reader
    }
}

/// Read lines until one starts with `prefix`; return the data line after it.
fn wait_for(reader: &mut BufReader<TcpStream>, prefix: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if line.starts_with(prefix) {
            let mut data = String::new();
            reader.read_line(&mut data).unwrap();
            return data;
        }
    }
    panic!("no `{prefix}` within 10 s");
}

/// Whether the stream stays silent (no event) for `quiet`.
fn no_event_for(reader: &mut BufReader<TcpStream>, quiet: Duration) -> bool {
    reader.get_ref().set_read_timeout(Some(quiet)).unwrap();
    let mut line = String::new();
    let silent = loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => break false,
            Ok(_) if line.starts_with("event:") => break false,
            Ok(_) => continue,
            Err(_) => break true,
        }
    };
    reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    silent
}

fn guide() -> SiteTest {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nVelkommen.\n")
        .file(
            "content/a.md",
            "---\ntitle: Side A\n---\n## Del\nFørste versjon.\n",
        )
        .file(
            "content/b.md",
            "---\ntitle: Side B\n---\nSe [A](./a.md#del).\n",
        )
        .file(
            "content/utkast.md",
            "---\ntitle: Utkast\ndraft: true\n---\nUferdig.\n",
        )
        .file(
            "static/img/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file("static/data.json", "{}")
        .file("static/bilde.png", [137u8, 80, 78, 71])
        .file("static/bilde.webp", b"RIFF")
        .file("static/font.woff2", b"wOF2");
    site
}

#[test]
fn pages_come_with_the_live_script_and_build_output_never_does() {
    let served = Served::start(guide());
    let page = served.get("/docs/a/");
    assert_eq!(page.status, 200);
    assert!(page.headers.contains("content-type: text/html"));
    let html = scraper::Html::parse_document(&page.body);
    let scripts: Vec<String> = crate::harness::attrs(&html, "script", "src");
    assert!(
        scripts.contains(&"/_intark/live.js".to_string()),
        "{scripts:?}"
    );
    let draft = served.get("/docs/utkast/");
    assert_eq!(draft.status, 200, "drafts are visible in serve");
    assert!(draft.body.contains("draft-note"));
    served.site.build();
    let built = std::fs::read_to_string(served.site.out("docs/a/index.html")).unwrap();
    assert!(
        !built.contains("_intark"),
        "build output carries no dev-only code"
    );
}

#[test]
fn content_types_and_404() {
    let served = Served::start(guide());
    for (path, expected) in [
        ("/_theme/style.css", "text/css"),
        ("/_theme/site.js", "text/javascript"),
        ("/_theme/scheme.js", "text/javascript"),
        ("/_theme/site-pages.json", "application/json"),
        ("/data.json", "application/json"),
        ("/img/logo.svg", "image/svg+xml"),
        ("/bilde.png", "image/png"),
        ("/bilde.webp", "image/webp"),
        ("/font.woff2", "font/woff2"),
    ] {
        let reply = served.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply.headers.contains(&format!("content-type: {expected}")),
            "{path}: {}",
            reply.headers
        );
    }
    let missing = served.get("/docs/finnes-ikke/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Fant ikke siden"));
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = guide();
    let outside = site
        .root()
        .parent()
        .unwrap()
        .join(format!("hemmelig-{}.txt", std::process::id()));
    std::fs::write(&outside, "HEMMELIG").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, site.root().join("static/lenke.txt")).unwrap();
    let served = Served::start(site);
    for path in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/docs/..%2f..%2fetc/passwd",
        "/docs/..\\..\\etc\\passwd",
        "//etc/passwd",
        "/lenke.txt",
    ] {
        let reply = served.get(path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path} answered {}",
            reply.status
        );
        assert!(
            !reply.body.contains("HEMMELIG") && !reply.body.contains("root:"),
            "{path} leaked"
        );
    }
    let _ = std::fs::remove_file(outside);
}

#[test]
fn an_edit_rebuilds_that_page_only_and_announces_it() {
    let served = Served::start(guide());
    let mut events = served.events();
    served.site.file(
        "content/a.md",
        "---\ntitle: Side A\n---\n## Del\nAndre versjon.\n",
    );
    let data = wait_for(&mut events, "event: rebuild");
    let event: serde_json::Value =
        serde_json::from_str(data.trim_start_matches("data:").trim()).unwrap();
    assert_eq!(event["all"], false);
    assert_eq!(
        event["routes"],
        serde_json::json!(["/docs/a/"]),
        "b links to a but shows nothing of it"
    );
    assert!(served.get("/docs/a/").body.contains("Andre versjon."));
    // A broken anchor on b appears when a's heading goes, and goes when it comes back.
    served
        .site
        .file("content/a.md", "---\ntitle: Side A\n---\n## Annen del\n");
    wait_for(&mut events, "event: rebuild");
    let findings: serde_json::Value =
        serde_json::from_str(&served.get("/_intark/findings?route=/docs/b/").body).unwrap();
    assert_eq!(findings["findings"][0]["rule"], "broken-anchor");
    served
        .site
        .file("content/a.md", "---\ntitle: Side A\n---\n## Del\n");
    wait_for(&mut events, "event: rebuild");
    let findings: serde_json::Value =
        serde_json::from_str(&served.get("/_intark/findings?route=/docs/b/").body).unwrap();
    assert_eq!(findings["findings"], serde_json::json!([]));
}

#[test]
fn adding_and_deleting_pages_works_without_a_restart() {
    let served = Served::start(guide());
    let mut events = served.events();
    served
        .site
        .file("content/ny/side.md", "---\ntitle: Ny side\n---\nNy.\n");
    let data = wait_for(&mut events, "event: rebuild");
    assert!(data.contains("\"all\":true"), "{data}");
    assert_eq!(served.get("/docs/ny/side/").status, 200);
    std::fs::remove_file(served.site.root().join("content/ny/side.md")).unwrap();
    wait_for(&mut events, "event: rebuild");
    assert_eq!(served.get("/docs/ny/side/").status, 404);
}

#[test]
fn broken_front_matter_and_templates_show_an_error_page_and_recover() {
    let served = Served::start(guide());
    let mut events = served.events();
    served
        .site
        .file("content/a.md", "---\ntitle: \"Side A\n---\nTekst.\n");
    wait_for(&mut events, "event: rebuild");
    let reply = served.get("/docs/a/");
    assert_eq!(reply.status, 500, "an error page is an error");
    assert!(
        reply.body.contains("kan ikke vises") && reply.body.contains("content/a.md:2"),
        "{}",
        reply.body
    );
    served
        .site
        .file("content/a.md", "---\ntitle: Side A\n---\nFikset.\n");
    wait_for(&mut events, "event: rebuild");
    assert!(served.get("/docs/a/").body.contains("Fikset."));
    served.site.file(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.title }{% endblock main %}",
    );
    wait_for(&mut events, "event: rebuild");
    let broken = served.get("/docs/a/");
    assert_eq!(broken.status, 500);
    assert!(
        broken.body.contains("Malen kan ikke brukes"),
        "{}",
        broken.body
    );
    std::fs::remove_file(
        served
            .site
            .root()
            .join("themes/default/templates/page.html"),
    )
    .unwrap();
    wait_for(&mut events, "event: rebuild");
    assert!(served.get("/docs/a/").body.contains("Fikset."));
}

#[test]
fn a_hundred_event_streams_and_abrupt_disconnects_leave_it_healthy() {
    let served = Served::start(guide());
    let mut streams: Vec<BufReader<TcpStream>> = (0..100).map(|_| served.events()).collect();
    streams.truncate(50);
    served.site.file(
        "content/a.md",
        "---\ntitle: Side A\n---\n## Del\nEtter mange.\n",
    );
    for stream in streams.iter_mut().take(5) {
        wait_for(stream, "event: rebuild");
    }
    drop(streams);
    let reply = served.get("/docs/a/");
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("Etter mange."));
}

#[test]
fn the_search_index_follows_the_pages() {
    let served = Served::start(guide());
    let pages = |s: &Served| -> u64 {
        let reply = s.get("/intark-search/meta.json");
        assert_eq!(reply.status, 200);
        let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        json["pages"].as_u64().unwrap()
    };
    // The terms of a two-letter prefix, from its dictionary shard ("fø" → 66c3b8, "or" → 6f72).
    let terms = |s: &Served, hex: &str| -> Vec<String> {
        let reply = s.get(&format!("/intark-search/d/{hex}.json"));
        if reply.status != 200 {
            return Vec::new();
        }
        let json: Vec<serde_json::Value> = serde_json::from_str(&reply.body).unwrap();
        json.iter()
            .map(|e| e[0].as_str().unwrap().to_string())
            .collect()
    };
    let before = pages(&served);
    assert_eq!(served.get("/_theme/search.js").status, 200);
    assert!(terms(&served, "66c3b8").contains(&"først".to_string()));
    let mut events = served.events();
    // A one-page edit: its old terms leave the index, its new ones come in.
    served.site.file(
        "content/a.md",
        "---\ntitle: Side A\n---\n## Del\nOrdentlige endringer.\n",
    );
    wait_for(&mut events, "event: rebuild");
    assert!(!terms(&served, "66c3b8").contains(&"først".to_string()));
    assert!(terms(&served, "6f72").contains(&"ordent".to_string()));
    assert_eq!(pages(&served), before, "an edit keeps the page count");
    served
        .site
        .file("content/ny.md", "---\ntitle: Ny\n---\nHelt ny side.\n");
    wait_for(&mut events, "event: rebuild");
    assert_eq!(pages(&served), before + 1, "a new page is indexed");
}

#[test]
fn a_port_in_use_is_one_clear_sentence() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let site = guide();
    let out = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("port {port} is in use")),
        "{stderr}"
    );
}

#[test]
fn foreign_host_names_are_refused_and_no_response_allows_every_origin() {
    let served = Served::start(guide());
    let port = served.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(served.get_as("/docs/a/", &host).status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "localhost:1".to_string(),
    ] {
        let reply = served.get_as("/docs/a/", &host);
        assert_eq!(reply.status, 421, "{host}");
        assert!(!reply.body.contains("Side A"), "{host} read the page");
    }
    // The event stream's head: no wildcard CORS (nor any other origin).
    let mut stream = TcpStream::connect(&served.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /_intark/events HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: http://evil.example\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line.to_ascii_lowercase());
    }
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("text/event-stream"), "{head}");
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    let page = served.get("/docs/a/");
    assert!(!page.headers.contains("access-control-allow-origin"));
}

#[test]
fn command_line_folders_survive_a_save_of_intark_toml() {
    let site = SiteTest::new();
    site.file("tekster/a.md", "---\ntitle: Side A\n---\nFra tekster.\n")
        .file("intark.toml", "title = \"Før\"\n");
    let served = Served::start_with(
        site,
        &[
            "serve",
            "--port",
            "0",
            "--content",
            "tekster",
            "--route-base",
            "/guide",
        ],
        &[],
    );
    assert_eq!(served.get("/guide/a/").status, 200);
    let mut events = served.events();
    served.site.file("intark.toml", "title = \"Etter\"\n");
    wait_for(&mut events, "event: rebuild");
    let reply = served.get("/guide/a/");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("Fra tekster."));
    let html = scraper::Html::parse_document(&reply.body);
    assert!(
        crate::harness::text_of(&html, "title").contains("Etter"),
        "the new title is used"
    );
}

#[test]
fn a_rebuild_that_panics_is_shown_and_later_saves_still_rebuild() {
    let served = Served::start_with(
        guide(),
        &["serve", "--port", "0"],
        &[("INTARK_DOCS_TEST_PANIC_MARKER", "PANIKK-MERKE")],
    );
    let mut events = served.events();
    served
        .site
        .file("content/a.md", "---\ntitle: Side A\n---\nPANIKK-MERKE\n");
    wait_for(&mut events, "event: rebuild");
    assert!(
        no_event_for(&mut events, Duration::from_millis(800)),
        "one panic, one event: the server does not rebuild in a loop"
    );
    let reply = served.get("/docs/a/");
    assert_eq!(reply.status, 500);
    let html = scraper::Html::parse_document(&reply.body);
    let shown = crate::harness::text_of(&html, "pre");
    assert!(
        shown.contains("panicked") && shown.contains("a.md"),
        "{shown}"
    );
    served
        .site
        .file("content/a.md", "---\ntitle: Side A\n---\nReparert.\n");
    wait_for(&mut events, "event: rebuild");
    let reply = served.get("/docs/a/");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("Reparert."));
}

#[test]
fn a_home_route_with_norwegian_letters_redirects_with_an_encoded_location() {
    let site = SiteTest::new();
    site.file("content/blåbær.md", "---\ntitle: Blåbær\n---\nSyltetøy.\n");
    let served = Served::start(site);
    let reply = served.get("/");
    assert_eq!(reply.status, 302, "{}", reply.headers);
    assert!(
        reply.headers.contains("location: /docs/bl%c3%a5b%c3%a6r/"),
        "{}",
        reply.headers
    );
    assert_eq!(served.get("/docs/bl%C3%A5b%C3%A6r/").status, 200);
}

#[test]
fn a_stdout_nobody_reads_does_not_stop_the_pages() {
    // The rebuild prints the findings of the changed file; it printed them while it held the
    // site's write lock, so with stdout a full pipe (read once, then never) every request waited
    // for that lock and the server answered nothing.
    let served = Served::start(guide());
    let todos: String = (0..10000)
        .map(|i| format!("TODO: skriv avsnitt {i} ferdig.\n\n"))
        .collect();
    served
        .site
        .file("content/a.md", format!("---\ntitle: Side A\n---\n{todos}"));
    std::thread::sleep(Duration::from_secs(5));
    let started = Instant::now();
    let reply = served.get("/docs/b/");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered in {:?}",
        started.elapsed()
    );
}

#[test]
fn a_closed_stdout_does_not_break_the_pages() {
    // `intark-docs serve | head -1`: once `head` has gone, printing a rebuild's summary failed,
    // the print panicked, and every page showed the error page of a panicked rebuild.
    let site = guide();
    let mut child = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = address_in(&line);
    let mut events = TcpStream::connect(&addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        events,
        "GET /_intark/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(events);
    wait_for(&mut events, "event: hello");
    site.file(
        "content/a.md",
        "---\ntitle: Side A\n---\n## Del\nAndre versjon.\n",
    );
    wait_for(&mut events, "event: rebuild");
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /docs/a/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    let _ = child.kill();
    let _ = child.wait();
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(raw.contains("Andre versjon."), "{raw}");
}

#[test]
fn client_redirect_pages_are_served_where_the_build_writes_them() {
    let site = SiteTest::new();
    site.file(
        "docusaurus.config.js",
        "module.exports = {title: 'T', url: 'https://example.org', baseUrl: '/',\n\
         presets: [['classic', {docs: {}, blog: false}]],\n\
         plugins: [['@docusaurus/plugin-client-redirects', {fromExtensions: ['html'],\n\
         redirects: [{from: '/gammel', to: '/docs/intro#del'}]}]]};\n",
    )
    .file("docs/intro.md", "# Intro\n\n## Del\n");
    let served = Served::start(site);
    for (path, target) in [
        ("/docs/intro.html/", "/docs/intro"),
        ("/docs/intro.html", "/docs/intro"),
        ("/gammel/", "/docs/intro#del"),
    ] {
        let reply = served.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert!(
            reply.body.contains(&format!("url={target}\"")),
            "{path}: {}",
            reply.body
        );
    }
    assert_eq!(served.get("/docs/finnes-ikke.html/").status, 404);
}
