//! `check --external`: http(s) links requested for real. Bounded in all and per host, with timeouts,
//! retries with back-off, `429` + `Retry-After` honoured, HEAD falling back to GET, redirects followed
//! (permanent ones reported), and results cached on disk for a while so a second run is fast. A
//! machine without network gives one finding, not one per link. A check that cannot run (no HTTP
//! client: no CA certificates, say) is an error finding that says why, never a pass.

use crate::check::Policy;
use crate::config::Config;
use crate::diag::{Diagnostic, Span};
use crate::model::{PageKind, Site, Target};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The rule name.
pub const RULE: &str = "external-link";
/// A link that works through a permanent redirect.
pub const RULE_MOVED: &str = "external-link-moved";
const MAX_REDIRECTS: usize = 5;
const RETRIES: u32 = 2;

/// What a URL answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Outcome {
    /// 2xx (after any temporary redirects).
    Ok,
    /// Reached through a permanent redirect.
    Moved {
        /// Where it lives now.
        to: String,
    },
    /// An error status.
    Status {
        /// The status.
        code: u16,
    },
    /// No answer (timeout, refused, DNS).
    Unreachable {
        /// Why.
        reason: String,
    },
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    entries: BTreeMap<String, (u64, Outcome)>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `host[:port]` of an absolute URL, in lower case (what requests are grouped by); a string that
/// is no URL stands for itself.
fn host_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            (None, _) => String::new(),
        },
        Err(_) => url.to_ascii_lowercase(),
    }
}

/// Check every external link of the site's pages.
pub fn check(site: &Site, config: &Config, policy: &Policy) -> Vec<Diagnostic> {
    let c = &config.file.check;
    let mut uses: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for page in site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Markdown && policy.includes(&p.rel_path))
    {
        for link in page
            .links
            .iter()
            .filter(|l| l.target == Target::External && !policy.skips_url(&l.dest))
        {
            let url = link.dest.split('#').next().unwrap_or_default().to_string();
            let url = if url.starts_with("//") {
                format!("https:{url}")
            } else {
                url
            };
            uses.entry(url).or_default().push(page.span(link.offset));
        }
    }
    let cache_path = config
        .root
        .join(".intark-cache")
        .join("external-links.json");
    let mut cache: Cache = std::fs::read_to_string(&cache_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let ttl = c.external_cache_hours * 3600;
    let fresh = |url: &str, cache: &Cache| {
        cache
            .entries
            .get(url)
            .filter(|(at, _)| now().saturating_sub(*at) < ttl)
            .map(|(_, o)| o.clone())
    };
    let todo: Vec<String> = uses
        .keys()
        .filter(|u| fresh(u, &cache).is_none())
        .cloned()
        .collect();
    let results = match run(
        &todo,
        Duration::from_secs(c.external_timeout_secs.max(1)),
        c.external_concurrency.max(1),
        c.external_per_host.max(1),
    ) {
        Ok(results) => results,
        Err(why) => return cannot_run(config, policy, &why, todo.len()),
    };
    let contacted_hosts: std::collections::BTreeSet<String> =
        todo.iter().map(|u| host_of(u)).collect();
    let all_unreachable = !results.is_empty()
        && results
            .values()
            .all(|o| matches!(o, Outcome::Unreachable { .. }));
    if all_unreachable && contacted_hosts.len() >= 3 {
        return vec![Diagnostic::warning(RULE, Span::file_start(config.relative(&config.content_dir)), format!("none of the {} hosts answered; the network seems unavailable, so external links were not checked", contacted_hosts.len()))
            .with_hint("run `check --external` again on a machine with network access")];
    }
    for (url, outcome) in &results {
        cache.entries.insert(url.clone(), (now(), outcome.clone()));
    }
    if let Some(dir) = cache_path.parent() {
        if std::fs::create_dir_all(dir).is_ok() {
            let _ = std::fs::write(
                &cache_path,
                serde_json::to_string_pretty(&cache).unwrap_or_default(),
            );
        }
    }
    let mut findings = Vec::new();
    for (url, spans) in uses {
        let outcome = results
            .get(&url)
            .cloned()
            .or_else(|| fresh(&url, &cache))
            .unwrap_or(Outcome::Ok);
        for span in spans {
            let finding = match &outcome {
                Outcome::Ok => None,
                Outcome::Moved { to } => Some(Diagnostic::warning(RULE_MOVED, span, format!("`{url}` has moved permanently to `{to}`")).with_hint("link to the new address")),
                Outcome::Status { code } => Some(Diagnostic::error(RULE, span, format!("`{url}` answers {code}")).with_hint("correct or remove the link, or add it to `[check] skip_urls`")),
                Outcome::Unreachable { reason } => Some(Diagnostic::error(RULE, span, format!("`{url}` did not answer: {reason}")).with_hint("check the address; if the site is down for a while, add it to `[check] skip_urls`")),
            };
            findings.extend(finding.and_then(|d| policy.apply(d, None)));
        }
    }
    findings
}

/// The one finding when the check cannot run at all: an error, so that CI does not pass links
/// nobody checked.
fn cannot_run(config: &Config, policy: &Policy, why: &str, links: usize) -> Vec<Diagnostic> {
    let finding = Diagnostic::error(
        RULE,
        Span::file_start(config.relative(&config.content_dir)),
        format!("{links} external links were not checked: {why}"),
    )
    .with_hint("install the system's CA certificates (or set SSL_CERT_FILE), or run `check` without `--external`");
    policy.apply(finding, None).into_iter().collect()
}

struct Hosts {
    busy: Mutex<HashMap<String, usize>>,
    freed: Condvar,
    per_host: usize,
}

impl Hosts {
    fn enter(&self, host: &str) {
        let mut busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
        while busy.get(host).copied().unwrap_or(0) >= self.per_host {
            busy = self
                .freed
                .wait(busy)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *busy.entry(host.to_string()).or_default() += 1;
    }

    fn leave(&self, host: &str) {
        let mut busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = busy.get_mut(host) {
            *n = n.saturating_sub(1);
        }
        self.freed.notify_all();
    }
}

/// Request each URL once (with retries), bounded in all and per host. `Err` says why no request
/// could be made (the HTTP client cannot be built).
pub fn run(
    urls: &[String],
    timeout: Duration,
    concurrency: usize,
    per_host: usize,
) -> Result<BTreeMap<String, Outcome>, String> {
    if urls.is_empty() {
        return Ok(BTreeMap::new());
    }
    let client = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!(
            "intark-docs/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .map_err(|e| {
            format!(
                "the HTTP client cannot be built: {}",
                crate::error::chain(&e, ": ")
            )
        })?;
    let hosts = Hosts {
        busy: Mutex::new(HashMap::new()),
        freed: Condvar::new(),
        per_host,
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..concurrency.min(urls.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(url) = urls.get(i) else { break };
                let outcome = one(&client, &hosts, url);
                results
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(url.clone(), outcome);
            });
        }
    });
    Ok(results.into_inner().unwrap_or_else(PoisonError::into_inner))
}

fn one(client: &reqwest::blocking::Client, hosts: &Hosts, url: &str) -> Outcome {
    let mut current = url.to_string();
    let mut moved: Option<String> = None;
    for _ in 0..=MAX_REDIRECTS {
        let host = host_of(&current);
        hosts.enter(&host);
        let answer = request(client, &current);
        hosts.leave(&host);
        match answer {
            Err(reason) => return Outcome::Unreachable { reason },
            Ok((code, location)) if (300..400).contains(&code) && location.is_some() => {
                let next = absolute(&current, location.as_deref().unwrap_or_default());
                if (code == 301 || code == 308) && moved.is_none() {
                    moved = Some(next.clone());
                }
                current = next;
            }
            Ok((code, _)) if (200..300).contains(&code) => {
                return moved.map_or(Outcome::Ok, |to| Outcome::Moved { to })
            }
            Ok((code, _)) => return Outcome::Status { code },
        }
    }
    Outcome::Status { code: 310 }
}

/// One URL: HEAD, GET when HEAD is refused; retries with back-off on 5xx and timeouts; `429` waits
/// for `Retry-After` (at most 30 s).
fn request(client: &reqwest::blocking::Client, url: &str) -> Result<(u16, Option<String>), String> {
    let mut last = String::new();
    let mut method = reqwest::Method::HEAD;
    let mut attempt = 0;
    while attempt <= RETRIES {
        match client.request(method.clone(), url).send() {
            Ok(response) => {
                let code = response.status().as_u16();
                if method == reqwest::Method::HEAD && matches!(code, 405 | 501 | 403) {
                    method = reqwest::Method::GET;
                    continue;
                }
                if code == 429 && attempt < RETRIES {
                    let wait = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .unwrap_or(1)
                        .min(30);
                    std::thread::sleep(Duration::from_secs(wait));
                    attempt += 1;
                    continue;
                }
                if code >= 500 && attempt < RETRIES {
                    std::thread::sleep(Duration::from_millis(500 << attempt));
                    attempt += 1;
                    continue;
                }
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                return Ok((code, location));
            }
            Err(e) => {
                last = if e.is_timeout() {
                    "timed out".to_string()
                } else if e.is_connect() {
                    "connection refused or no route".to_string()
                } else {
                    e.to_string()
                };
                if e.is_connect() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(500 << attempt));
                attempt += 1;
            }
        }
    }
    Err(last)
}

/// A redirect's `Location` resolved against the URL that sent it (RFC 3986, by `url`).
fn absolute(base: &str, location: &str) -> String {
    url::Url::parse(base)
        .and_then(|base| base.join(location))
        .map_or_else(|_| location.to_string(), String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_locations() {
        assert_eq!(absolute("https://a.no/x/y", "/z"), "https://a.no/z");
        assert_eq!(absolute("https://a.no/x/y", "z"), "https://a.no/x/z");
        assert_eq!(absolute("https://a.no/x", "https://b.no/"), "https://b.no/");
        assert_eq!(
            absolute("https://a.no/x/y", "../z?q#f"),
            "https://a.no/z?q#f"
        );
        assert_eq!(host_of("https://A.no:8080/x?y"), "a.no:8080");
        assert_eq!(host_of("https://user@A.no/x"), "a.no");
    }
}
