//! The dev server: watch → debounce → classify → incremental rebuild → notify browsers.
//!
//! Pages are served from memory (rendered on request, cached until a change touches them), files
//! from the paths the site already knows (a request path is never joined onto the disk, so nothing
//! outside the site can be served). The live script and the findings panel are added to responses
//! here, never to built files. A broken page or template shows an error page (HTTP 500); the server
//! keeps running and recovers on the next good save. A rebuild that panics is caught: the error is
//! shown, and the next save rebuilds everything. HTTP (limits, time-outs, accept back-off, a
//! panicking request answering 500) is [`crate::server`]'s; requests whose `Host` is not a name
//! the server is bound to are refused (DNS rebinding), and no response carries wildcard CORS.

mod http;
mod sandbox;
mod state;
mod watch;

use crate::config::{Config, Overrides};
use crate::diag::Severity;
use crate::error::{Error, Result};
use crate::server::{self, Body, Limits, Request, Response};
use state::{Affected, State};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How the server listens.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The command line's overrides, applied again when `intark.toml` is reloaded.
    pub overrides: Overrides,
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

#[derive(Debug, Clone, Default)]
struct Events {
    generation: u64,
    last: String,
}

struct Shared {
    state: RwLock<State>,
    events: tokio::sync::watch::Sender<Events>,
    /// Why the last rebuild panicked, shown instead of pages until a rebuild succeeds.
    broken: Mutex<Option<String>>,
    /// After a panicked rebuild the site in memory may be half updated: rebuild all of it.
    needs_full: AtomicBool,
    hosts: http::Hosts,
}

/// Build, serve and watch until the process ends; returns only on an error.
pub fn run(config: Config, options: &ServeOptions) -> Result<()> {
    let started = Instant::now();
    let limits = Limits::from_config(&config.file.server);
    let state = State::load(config, options.overrides.clone())?;
    let bound = server::bind(&options.host, options.port, &limits, "port")?;
    let addr = bound.addr();
    let url = format!("http://{addr}{}", http::location(&state.home));
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
        i18n: state.config.root.join(crate::theme::I18N_DIR),
    };
    let shared = Arc::new(Shared {
        state: RwLock::new(state),
        events: tokio::sync::watch::Sender::new(Events::default()),
        broken: Mutex::new(None),
        needs_full: AtomicBool::new(false),
        hosts: http::Hosts::new(&options.host, addr),
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
    std::thread::Builder::new()
        .name("intark-watch".into())
        .spawn(move || {
            let mut watcher = watcher;
            while let Some(paths) = watch::next_batch(&rx, quiet, Duration::from_millis(500)) {
                watch_new_folders(&mut watcher, &roots, &mut watched);
                guarded_rebuild(&watch_shared, &roots, &paths);
            }
        })
        .map_err(|e| Error::Setting {
            key: "serve",
            message: format!("cannot start the watcher: {e}"),
        })?;
    if options.open {
        open_browser(&url);
    }
    let handler_shared = Arc::clone(&shared);
    bound.run(Arc::new(move |request: Request| {
        handle(&handler_shared, &request)
    }))
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
        &roots.i18n,
    ] {
        if dir.is_dir()
            && !watched.contains(dir)
            && watcher.watch(dir, notify::RecursiveMode::Recursive).is_ok()
        {
            watched.push(dir.clone());
        }
    }
}

/// A rebuild that cannot end the watcher: a panic in it is shown on every page and in the
/// terminal, and the next save rebuilds the whole site.
fn guarded_rebuild(shared: &Shared, roots: &watch::Roots, paths: &[std::path::PathBuf]) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rebuild(shared, roots, paths)
    }));
    let Err(payload) = outcome else { return };
    let reason = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let message = format!(
        "intark-docs panicked while rebuilding after a change to {}: {reason}",
        files.join(", ")
    );
    // Not `println!`: it panics on a closed stdout, and this is outside the catch.
    let _ = writeln!(
        std::io::stdout(),
        "rebuild failed: {message}; still serving, the next save rebuilds everything"
    );
    let _ = std::io::stdout().flush();
    shared.needs_full.store(true, Ordering::SeqCst);
    *shared.broken.lock().unwrap_or_else(PoisonError::into_inner) = Some(message);
    announce(shared, true, Vec::new());
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
    let plan = if shared.needs_full.load(Ordering::SeqCst) {
        watch::Plan::Full("everything, after a failed rebuild")
    } else {
        plan
    };
    let mut state = shared.state.write().unwrap_or_else(PoisonError::into_inner);
    test_hook::panic_if_marked(paths);
    let outcome = state.rebuild(&plan);
    shared.needs_full.store(false, Ordering::SeqCst);
    *shared.broken.lock().unwrap_or_else(PoisonError::into_inner) = None;
    let elapsed = started.elapsed();
    let (all, routes) = match &outcome {
        Ok(r) => match &r.affected {
            Affected::All => (true, Vec::new()),
            Affected::Routes(routes) => (false, routes.clone()),
        },
        Err(_) => (true, Vec::new()),
    };
    // Written after the lock is released: a stdout nobody reads blocks this thread, not requests.
    let mut report = String::new();
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
            report.push_str(&format!(
                "rebuilt {} ({} re-parsed, {pages}) in {:.1} ms; {errors} errors\n",
                r.what,
                r.reparsed,
                elapsed.as_secs_f64() * 1000.0
            ));
            let touched: Vec<&std::path::Path> =
                paths.iter().map(|p| state.config.relative(p)).collect();
            for d in state
                .findings
                .iter()
                .filter(|d| touched.contains(&d.span.file.as_path()))
            {
                report.push_str(&format!(
                    "  {}[{}] {}: {}\n",
                    d.severity, d.rule, d.span, d.message
                ));
            }
        }
        Err(e) => report.push_str(&format!("rebuild failed: {}\n", e.chain())),
    }
    drop(state);
    // A closed stdout (`serve | head`) is no reason to fail: `print!` would panic on it.
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(report.as_bytes());
    let _ = stdout.flush();
    drop(stdout);
    announce(shared, all, routes);
}

/// Tell the browsers what changed.
fn announce(shared: &Shared, all: bool, routes: Vec<String>) {
    shared.events.send_modify(|events| {
        events.generation += 1;
        events.last =
            serde_json::json!({ "generation": events.generation, "all": all, "routes": routes })
                .to_string();
    });
}

/// A way for the integration tests to make a rebuild panic, in debug builds only: a changed file
/// that contains the text of `INTARK_DOCS_TEST_PANIC_MARKER`.
mod test_hook {
    #[cfg(debug_assertions)]
    pub(super) fn panic_if_marked(paths: &[std::path::PathBuf]) {
        let Ok(marker) = std::env::var("INTARK_DOCS_TEST_PANIC_MARKER") else {
            return;
        };
        if let Some(path) = paths.iter().find(|p| {
            std::fs::read_to_string(p)
                .is_ok_and(|text| !marker.is_empty() && text.contains(&marker))
        }) {
            panic!("test hook: {} holds the panic marker", path.display());
        }
    }

    #[cfg(not(debug_assertions))]
    pub(super) fn panic_if_marked(_: &[std::path::PathBuf]) {}
}

fn respond(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    Response::new(status, content_type, body).with_header("Cache-Control", "no-store")
}

fn html(status: u16, page: &str) -> Response {
    respond(
        status,
        "text/html; charset=utf-8",
        http::inject(page).into_bytes(),
    )
}

fn handle(shared: &Shared, request: &Request) -> Response {
    if let Err(refused) = shared.hosts.check(request.header("host")) {
        return respond(
            refused.status(),
            "text/plain; charset=utf-8",
            refused.message().as_bytes().to_vec(),
        );
    }
    // Try-it requests go to the embedded sandbox with any method.
    if let Some(target) = sandbox::gateway_target(&request.target) {
        let state = shared.state.read().unwrap_or_else(PoisonError::into_inner);
        return sandbox::answer(&state, request, target);
    }
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return respond(
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD".to_vec(),
        )
        .with_header("Allow", "GET, HEAD");
    }
    let raw = request.target.as_str();
    let Ok(path) = http::site_path(raw) else {
        return respond(400, "text/plain; charset=utf-8", b"bad path".to_vec());
    };
    match path.as_str() {
        "/_intark/events" => return events(shared),
        "/_intark/live.js" => {
            return respond(
                200,
                "text/javascript; charset=utf-8",
                LIVE_JS.as_bytes().to_vec(),
            )
        }
        "/_intark/findings" => return findings(shared, raw),
        _ => {}
    }
    let broken = shared
        .broken
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
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
    if route.ends_with('/') {
        if let Some(message) = broken {
            let page = error_page(&state, ErrorKind::BuildFailed, &[message]);
            drop(state);
            return html(500, &page);
        }
    }
    if let Some(index) = state.page_at(&route) {
        let page = page_html(&state, index, &route);
        drop(state);
        return match page {
            Ok(page) => html(200, &page),
            Err(error) => html(500, &error),
        };
    }
    if route == "/" {
        let home = http::location(&state.home);
        drop(state);
        return respond(302, "text/plain; charset=utf-8", Vec::new()).with_header("Location", home);
    }
    let file = if path.starts_with(crate::search::BUNDLE_URL) {
        state.search_file(&path)
    } else if let Some(name) = path.strip_prefix(crate::render::THEME_URL) {
        if name == "syntax.css" {
            Some(state.syntax_css.as_bytes().to_vec())
        } else if name == crate::render::PAGE_LIST {
            Some(crate::render::page_list(&state.site, &state.nav).into_bytes())
        } else {
            state.theme.assets.get(name).cloned()
        }
    } else {
        state.assets.get(&path).and_then(|asset| match &asset.made {
            Some(bytes) => Some(bytes.to_vec()),
            None => std::fs::read(&asset.source).ok(),
        })
    };
    if let Some(bytes) = file {
        drop(state);
        return respond(200, http::content_type(&path), bytes);
    }
    // A redirect page of `@docusaurus/plugin-client-redirects`, where the build writes it.
    let client_redirect = state
        .site
        .url_redirects
        .iter()
        .find(|r| r.at == route || r.at.trim_end_matches('/') == route.trim_end_matches('/'));
    if let (Some(redirect), Ok(renderer)) = (client_redirect, &state.renderer) {
        let page = redirect.page.and_then(|i| state.site.pages.get(i));
        let made = renderer
            .redirect_to(&redirect.to, page)
            .map_err(|e| error_page(&state, ErrorKind::Template, &[e.chain()]));
        drop(state);
        return match made {
            Ok(page) => html(200, &page),
            Err(page) => html(500, &page),
        };
    }
    let not_found = match &state.renderer {
        Ok(renderer) if renderer.search_url() == Some(route.as_str()) => {
            let page = renderer
                .search_page(&state.nav)
                .map_err(|e| error_page(&state, ErrorKind::Template, &[e.chain()]));
            drop(state);
            return match page {
                Ok(page) => html(200, &page),
                Err(page) => html(500, &page),
            };
        }
        Ok(renderer) => renderer.not_found(&state.nav).map_err(|e| e.chain()),
        Err(message) => Err(message.clone()),
    }
    .map_err(|message| error_page(&state, ErrorKind::Template, &[message]));
    drop(state);
    match not_found {
        Ok(page) => html(404, &page),
        Err(page) => html(500, &page),
    }
}

/// A page's HTML from the cache, rendered if needed; `Err` holds an error page when its source or
/// the templates are broken.
fn page_html(state: &State, index: usize, route: &str) -> std::result::Result<String, String> {
    let Some(page) = state.site.pages.get(index) else {
        return Err(error_page(
            state,
            ErrorKind::Template,
            &[format!("no page {index}")],
        ));
    };
    let renderer = match &state.renderer {
        Ok(renderer) => renderer,
        Err(message) => {
            return Err(error_page(
                state,
                ErrorKind::TemplateUnusable,
                std::slice::from_ref(message),
            ))
        }
    };
    if page.route != route {
        return renderer
            .redirect(page)
            .map_err(|e| error_page(state, ErrorKind::Template, &[e.chain()]));
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
        return Err(error_page(
            state,
            ErrorKind::Page(&page.file.display().to_string()),
            &lines,
        ));
    }
    let mut cache = state.cache.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(html) = cache.get(&index) {
        return Ok(html.to_string());
    }
    match renderer.page(&state.site, &state.nav, index) {
        Ok(html) => {
            let html = Arc::new(html);
            cache.insert(index, Arc::clone(&html));
            Ok(html.to_string())
        }
        Err(e) => Err(error_page(state, ErrorKind::Template, &[e.chain()])),
    }
}

/// What the dev server's error page is about (its title, `dev.error.KIND` in the theme's strings).
enum ErrorKind<'a> {
    /// A change could not be built.
    BuildFailed,
    /// The theme's templates do not compile.
    TemplateUnusable,
    /// A template failed while rendering.
    Template,
    /// A page (this file) has errors that keep it from being shown.
    Page(&'a str),
}

/// The dev server's error page, from the theme's `dev/error.html` in the site's language (the
/// built-in template when the site's own cannot render: its templates may be what is broken).
fn error_page(state: &State, kind: ErrorKind<'_>, messages: &[String]) -> String {
    let (key, file) = match kind {
        ErrorKind::BuildFailed => ("build_failed", ""),
        ErrorKind::TemplateUnusable => ("template_unusable", ""),
        ErrorKind::Template => ("template", ""),
        ErrorKind::Page(file) => ("page", file),
    };
    let context = serde_json::json!({
        "lang": state.config.file.language,
        "kind": key,
        "file": file,
        "messages": messages,
    });
    let lang = &state.config.file.language;
    let render = |theme: &crate::theme::Theme| {
        crate::theme::Templates::new(theme).and_then(|t| t.render("dev/error.html", lang, &context))
    };
    render(&state.theme)
        .or_else(|_| {
            render(&crate::theme::Theme {
                strings: state.theme.strings.clone(),
                ..crate::theme::Theme::built_in()
            })
        })
        // Both fail only if the site's strings lack a key the built-in template needs: the
        // messages as text then.
        .unwrap_or_else(|e| {
            crate::theme::escape(&format!("{}\n{}", e.chain(), messages.join("\n")))
        })
}

/// The keys of `dev.panel` in the theme's strings that live.js shows.
const PANEL_WORDS: [&str; 6] = [
    "label",
    "count",
    "dock_bottom",
    "dock_corner",
    "show",
    "open_editor",
];

fn findings(shared: &Shared, raw: &str) -> Response {
    let route = raw
        .split_once("route=")
        .map(|(_, r)| r.split('&').next().unwrap_or_default())
        .unwrap_or_default();
    let route = percent_encoding::percent_decode_str(route)
        .decode_utf8_lossy()
        .into_owned();
    let state = shared.state.read().unwrap_or_else(PoisonError::into_inner);
    let generation = shared.events.borrow().generation;
    let list: Vec<serde_json::Value> = state
        .page_at(&route)
        .filter(|&index| index < state.site.pages.len())
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
                        "editor": editor_url(&state.config, d),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    // The panel's own words, in the site's language (`dev.panel.*` of the theme's strings).
    let words: serde_json::Map<String, serde_json::Value> = PANEL_WORDS
        .iter()
        .map(|key| {
            let text = state
                .theme
                .strings
                .get(&state.config.file.language, &format!("dev.panel.{key}"))
                .unwrap_or_default();
            (key.to_string(), text.into())
        })
        .collect();
    drop(state);
    let body = serde_json::json!({ "generation": generation, "route": route, "findings": list, "t": words })
        .to_string();
    respond(200, "application/json", body.into_bytes())
}

/// The `editor` URL template of `intark.toml` filled for a finding: `{path}` the absolute source
/// file, `{line}` and `{column}` its position.
fn editor_url(config: &crate::config::Config, d: &crate::diag::Diagnostic) -> Option<String> {
    let template = config.file.editor.as_deref()?;
    let path = config.root.join(&d.span.file);
    Some(
        template
            .replace("{path}", &path.to_string_lossy())
            .replace("{line}", &d.span.line.to_string())
            .replace("{column}", &d.span.column.to_string()),
    )
}

/// Server-Sent Events: one `rebuild` event per generation, a comment every 15 s to notice gone
/// clients. The stream is a task on the server's runtime, not a thread.
fn events(shared: &Shared) -> Response {
    let mut changes = shared.events.subscribe();
    let hello = changes.borrow_and_update().generation;
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    tokio::runtime::Handle::current().spawn(async move {
        let mut message = format!("event: hello\ndata: {hello}\n\n");
        loop {
            if tx.send(message.into_bytes()).await.is_err() {
                return;
            }
            message = tokio::select! {
                changed = changes.changed() => match changed {
                    Ok(()) => format!("event: rebuild\ndata: {}\n\n", changes.borrow_and_update().last),
                    Err(_) => return,
                },
                () = tokio::time::sleep(Duration::from_secs(15)) => ": ping\n\n".to_string(),
                () = tx.closed() => return,
            };
        }
    });
    Response {
        status: 200,
        headers: vec![
            ("Content-Type".into(), "text/event-stream".into()),
            ("Cache-Control".into(), "no-store".into()),
        ],
        body: Body::Stream(rx),
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
