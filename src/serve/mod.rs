//! The dev server: watch → debounce → classify → incremental rebuild → notify browsers.
//!
//! Pages are served from memory (rendered on request, cached until a change touches them), files
//! from the paths the site already knows (a request path is never joined onto the disk, so nothing
//! outside the site can be served). The live script and the findings panel are added to responses
//! here, never to built files. A broken page or template shows an error page; the server keeps
//! running and recovers on the next good save.

mod http;
mod state;
mod watch;

use crate::config::Config;
use crate::diag::Severity;
use crate::error::{Error, Result};
use state::{Affected, State};
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};
use tiny_http::{Header, Request, Response, StatusCode};

/// How the server listens.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Interface (default `127.0.0.1`).
    pub host: String,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Open a browser.
    pub open: bool,
    /// How long the file system must be quiet before a rebuild starts.
    pub quiet: Duration,
}

const LIVE_JS: &str = include_str!("live.js");

struct Events {
    generation: u64,
    last: String,
}

struct Shared {
    state: RwLock<State>,
    events: Mutex<Events>,
    changed: Condvar,
}

/// Build, serve and watch until the process ends.
pub fn run(config: Config, options: &ServeOptions) -> Result<()> {
    let started = Instant::now();
    let state = State::load(config)?;
    let server = tiny_http::Server::http((options.host.as_str(), options.port)).map_err(|e| {
        let in_use = e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse);
        Error::Setting {
            key: "port",
            message: if in_use {
                format!(
                    "port {} is in use; choose another with --port",
                    options.port
                )
            } else {
                format!("cannot listen on {}:{}: {e}", options.host, options.port)
            },
        }
    })?;
    let addr = server.server_addr().to_ip().ok_or_else(|| Error::Setting {
        key: "host",
        message: "not an IP address".into(),
    })?;
    let url = format!("http://{addr}{}", state.home);
    let errors = state
        .findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    println!(
        "serving {} pages at {url} (built in {:.0?}; {errors} errors)",
        state.site.pages.len(),
        started.elapsed()
    );
    let _ = std::io::stdout().flush();
    let roots = watch::Roots {
        content: state.config.content_dir.clone(),
        static_dir: state.config.static_dir.clone(),
        openapi: state.config.openapi_dir.clone(),
        theme: state.config.theme_dir.clone(),
        config: state.config.root.join(crate::config::CONFIG_FILE),
    };
    let shared = Arc::new(Shared {
        state: RwLock::new(state),
        events: Mutex::new(Events {
            generation: 0,
            last: String::new(),
        }),
        changed: Condvar::new(),
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .map_err(|e| Error::Setting {
        key: "serve",
        message: format!("cannot watch files: {e}"),
    })?;
    use notify::Watcher;
    let mut watched = Vec::new();
    watch_new_folders(&mut watcher, &roots, &mut watched);
    if let Some(root) = roots.config.parent() {
        let _ = watcher.watch(root, notify::RecursiveMode::NonRecursive);
        // Where the theme folder would appear, so that a theme created while serving is seen.
        if let Some(themes) = roots.theme.parent().filter(|t| t.is_dir() && *t != root) {
            let _ = watcher.watch(themes, notify::RecursiveMode::NonRecursive);
        }
    }
    let watch_shared = Arc::clone(&shared);
    let quiet = options.quiet;
    std::thread::spawn(move || {
        let mut watcher = watcher;
        while let Some(paths) = watch::next_batch(&rx, quiet, Duration::from_millis(500)) {
            watch_new_folders(&mut watcher, &roots, &mut watched);
            rebuild(&watch_shared, &roots, &paths);
        }
    });
    if options.open {
        open_browser(&url);
    }
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || handle(&shared, request));
    }
    Ok(())
}

/// Watch the site's folders that exist and are not watched yet (a folder may be created while serving).
fn watch_new_folders(
    watcher: &mut notify::RecommendedWatcher,
    roots: &watch::Roots,
    watched: &mut Vec<std::path::PathBuf>,
) {
    use notify::Watcher;
    for dir in [
        &roots.content,
        &roots.static_dir,
        &roots.openapi,
        &roots.theme,
    ] {
        if dir.is_dir()
            && !watched.contains(dir)
            && watcher.watch(dir, notify::RecursiveMode::Recursive).is_ok()
        {
            watched.push(dir.clone());
        }
    }
}

fn rebuild(shared: &Shared, roots: &watch::Roots, paths: &[std::path::PathBuf]) {
    let started = Instant::now();
    let plan = {
        let state = shared.state.read().unwrap_or_else(PoisonError::into_inner);
        watch::classify(paths, roots, &|p| state.knows(p))
    };
    if plan == watch::Plan::Nothing {
        return;
    }
    let mut state = shared.state.write().unwrap_or_else(PoisonError::into_inner);
    let outcome = state.rebuild(&plan);
    let elapsed = started.elapsed();
    let (all, routes) = match &outcome {
        Ok(r) => match &r.affected {
            Affected::All => (true, Vec::new()),
            Affected::Routes(routes) => (false, routes.clone()),
        },
        Err(_) => (true, Vec::new()),
    };
    match &outcome {
        Ok(r) => {
            let errors = state
                .findings
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let pages = if all {
                "all pages".to_string()
            } else {
                format!("{} page(s) re-rendered", routes.len())
            };
            println!(
                "rebuilt {} ({} re-parsed, {pages}) in {:.1} ms; {errors} errors",
                r.what,
                r.reparsed,
                elapsed.as_secs_f64() * 1000.0
            );
            let touched: Vec<&std::path::Path> =
                paths.iter().map(|p| state.config.relative(p)).collect();
            for d in state
                .findings
                .iter()
                .filter(|d| touched.contains(&d.span.file.as_path()))
            {
                println!("  {}[{}] {}: {}", d.severity, d.rule, d.span, d.message);
            }
        }
        Err(e) => println!("rebuild failed: {}", e.chain()),
    }
    let _ = std::io::stdout().flush();
    drop(state);
    let mut events = shared.events.lock().unwrap_or_else(PoisonError::into_inner);
    events.generation += 1;
    events.last =
        serde_json::json!({ "generation": events.generation, "all": all, "routes": routes })
            .to_string();
    shared.changed.notify_all();
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    let response = Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

fn handle(shared: &Shared, request: Request) {
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        let response = Response::from_string("only GET and HEAD")
            .with_status_code(StatusCode(405))
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(response);
        return;
    }
    let raw = request.url().to_string();
    let path = match http::site_path(&raw) {
        Ok(path) => path,
        Err(_) => {
            return respond(
                request,
                400,
                "text/plain; charset=utf-8",
                b"bad path".to_vec(),
            )
        }
    };
    match path.as_str() {
        "/_intark/events" => return events(shared, request),
        "/_intark/live.js" => {
            return respond(
                request,
                200,
                "text/javascript; charset=utf-8",
                LIVE_JS.as_bytes().to_vec(),
            )
        }
        "/_intark/findings" => return findings(shared, request, &raw),
        _ => {}
    }
    let state = shared.state.read().unwrap_or_else(PoisonError::into_inner);
    let route = path.strip_suffix("index.html").unwrap_or(&path);
    let route = if route.ends_with('/')
        || route
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
    {
        route.to_string()
    } else {
        format!("{route}/")
    };
    if let Some(index) = state.page_at(&route) {
        let html = page_html(&state, index, &route);
        drop(state);
        return respond(
            request,
            200,
            "text/html; charset=utf-8",
            http::inject(&html).into_bytes(),
        );
    }
    if route == "/" {
        let home = state.home.clone();
        drop(state);
        let response = Response::empty(StatusCode(302)).with_header(header("Location", &home));
        let _ = request.respond(response);
        return;
    }
    let file = if path.starts_with(crate::search::BUNDLE_URL) {
        state.search_file(&path)
    } else if let Some(name) = path.strip_prefix(crate::render::THEME_URL) {
        if name == "syntax.css" {
            Some(state.syntax_css.as_bytes().to_vec())
        } else {
            state.theme.assets.get(name).cloned()
        }
    } else {
        state
            .assets
            .get(&path)
            .and_then(|source| std::fs::read(source).ok())
    };
    if let Some(bytes) = file {
        drop(state);
        return respond(request, 200, http::content_type(&path), bytes);
    }
    let not_found = match &state.renderer {
        Ok(renderer) => renderer.not_found(&state.nav).map_err(|e| e.chain()),
        Err(message) => Err(message.clone()),
    };
    drop(state);
    let html = not_found.unwrap_or_else(|message| error_page("Malfeil", &[message]));
    respond(
        request,
        404,
        "text/html; charset=utf-8",
        http::inject(&html).into_bytes(),
    );
}

/// A page's HTML from the cache, rendered if needed; an error page when its source or the templates
/// are broken.
fn page_html(state: &State, index: usize, route: &str) -> String {
    let page = &state.site.pages[index];
    let renderer = match &state.renderer {
        Ok(renderer) => renderer,
        Err(message) => return error_page("Malen kan ikke brukes", std::slice::from_ref(message)),
    };
    if page.route != route {
        return renderer
            .redirect(page)
            .unwrap_or_else(|e| error_page("Malfeil", &[e.chain()]));
    }
    let errors = state.page_errors(index);
    if !errors.is_empty() {
        let lines: Vec<String> = errors
            .iter()
            .map(|d| {
                let source = page.lines.line_text(&page.source, d.span.line);
                format!(
                    "{}: {}\n  {}\n{}",
                    d.span,
                    d.message,
                    source,
                    d.hint.clone().unwrap_or_default()
                )
            })
            .collect();
        return error_page(
            &format!("Siden {} kan ikke vises", page.file.display()),
            &lines,
        );
    }
    let mut cache = state.cache.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(html) = cache.get(&index) {
        return html.to_string();
    }
    match renderer.page(&state.site, &state.nav, index) {
        Ok(html) => {
            let html = Arc::new(html);
            cache.insert(index, Arc::clone(&html));
            html.to_string()
        }
        Err(e) => error_page("Malfeil", &[e.chain()]),
    }
}

fn error_page(title: &str, messages: &[String]) -> String {
    let esc = |t: &str| crate::apidocs::esc(t);
    let items: String = messages
        .iter()
        .map(|m| format!("<pre>{}</pre>", esc(m)))
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>{t}</title></head><body style=\"font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem\"><main><h1>{t}</h1><p>intark-docs viser denne siden i stedet for innholdet til feilen er rettet. Siden lastes på nytt når du lagrer.</p>{items}</main></body></html>",
        t = esc(title)
    )
}

fn findings(shared: &Shared, request: Request, raw: &str) {
    let route = raw
        .split_once("route=")
        .map(|(_, r)| r.split('&').next().unwrap_or_default())
        .unwrap_or_default();
    let route = percent_encoding::percent_decode_str(route)
        .decode_utf8_lossy()
        .into_owned();
    let state = shared.state.read().unwrap_or_else(PoisonError::into_inner);
    let generation = shared
        .events
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .generation;
    let list: Vec<serde_json::Value> = state
        .page_at(&route)
        .map(|index| {
            let page = &state.site.pages[index];
            state
                .findings_for(index)
                .into_iter()
                .map(|d| {
                    serde_json::json!({
                        "rule": d.rule, "severity": d.severity, "file": d.span.file.to_string_lossy(), "line": d.span.line,
                        "column": d.span.column, "message": d.message, "hint": d.hint,
                        "source": page.lines.line_text(&page.source, d.span.line),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    drop(state);
    let body = serde_json::json!({ "generation": generation, "route": route, "findings": list })
        .to_string();
    respond(request, 200, "application/json", body.into_bytes());
}

/// Server-Sent Events: one `rebuild` event per generation, a comment every 15 s to notice gone clients.
fn events(shared: &Shared, request: Request) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\nAccess-Control-Allow-Origin: *\r\n\r\n";
    let mut seen = shared
        .events
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .generation;
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.write_all(format!("event: hello\ndata: {seen}\n\n").as_bytes()))
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = {
            let events = shared.events.lock().unwrap_or_else(PoisonError::into_inner);
            let (events, _) = shared
                .changed
                .wait_timeout_while(events, Duration::from_secs(15), |e| e.generation == seen)
                .unwrap_or_else(PoisonError::into_inner);
            if events.generation != seen {
                seen = events.generation;
                format!("event: rebuild\ndata: {}\n\n", events.last)
            } else {
                ": ping\n\n".to_string()
            }
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("could not open a browser ({opener}: {e}); open {url} yourself");
    }
}
