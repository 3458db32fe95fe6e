//! Running the examples of a loaded site: against a given gateway, or the sandbox started here.

use super::*;

/// How examples address the gateway, from the configuration.
pub fn gateway(config: &Config) -> Gateway {
    let g = &config.file.gateway;
    Gateway {
        url_pattern: g.url.clone(),
        key_header: g.key_header.clone(),
        key_env: g.key_env.clone(),
    }
}

/// Where examples run: the embedded sandbox, or a real gateway with a key from the environment.
#[derive(Debug, Clone)]
pub struct ExampleTarget {
    /// A gateway's base URL; `None` starts the sandbox in this process on a free loopback port.
    pub gateway: Option<String>,
    /// The environment variable that holds the key for `gateway`.
    pub api_key_env: Option<String>,
    /// How requests are sent.
    pub runner: crate::examples::RunnerKind,
    /// Show progress.
    pub progress: bool,
}

/// The key examples run with: from the environment variable for a given gateway, else the sandbox's
/// key from `[sandbox] keys` (the first without API or rate limits). Callers that print what the
/// run produced scrub it with [`Secret::scrub`](crate::secret::Secret::scrub).
pub fn example_key(config: &Config, target: &ExampleTarget) -> Result<crate::secret::Secret> {
    if target.gateway.is_some() {
        let var = target
            .api_key_env
            .as_deref()
            .unwrap_or(&config.file.gateway.key_env);
        let key = std::env::var(var).map_err(|_| Error::Setting {
            key: "api-key-env",
            message: format!(
                "the environment variable `{var}` holding the gateway's API key is not set (or not UTF-8)"
            ),
        })?;
        return Ok(crate::secret::Secret::new(key));
    }
    let keys = &config.file.sandbox.keys;
    Ok(crate::secret::Secret::new(
        keys.iter()
            .find(|k| k.apis.is_empty() && k.rate_limit == 0)
            .or(keys.first())
            .map(|k| k.key.clone())
            .unwrap_or_default(),
    ))
}

/// Run every example of a loaded site; the sandbox lives as long as the run.
pub fn run_examples(
    config: &Config,
    site: &Site,
    target: &ExampleTarget,
) -> Result<(Vec<crate::examples::Report>, Vec<Diagnostic>)> {
    let gateway_config = gateway(config);
    let snippets = crate::examples::collect(site, &gateway_config);
    let key = example_key(config, target)?;
    let (base_url, _sandbox) = match &target.gateway {
        Some(url) => (url.trim_end_matches('/').to_string(), None),
        None => {
            let keys = config.file.sandbox.keys.clone();
            let sandbox = crate::sandbox::gateway::Gateway::new(
                site.catalog.clone(),
                keys,
                &config.file.gateway.key_header,
            );
            let running = crate::sandbox::start(
                std::sync::Arc::new(sandbox),
                "127.0.0.1",
                0,
                &crate::server::Limits::from_config(&config.file.server),
                crate::sandbox::Log::Quiet,
            )?;
            (running.base_url(), Some(running))
        }
    };
    let e = &config.file.examples;
    let runner = crate::examples::Runner {
        base_url,
        key,
        gateway_pattern: config.file.gateway.url.clone(),
        key_placeholders: e.key_placeholders.clone(),
        key_variables: e
            .key_variables
            .iter()
            .cloned()
            .chain(std::iter::once(config.file.gateway.key_env.clone()))
            .collect(),
        path_placeholders: e.path_placeholders.clone(),
        concurrency: e.concurrency,
        timeout: Duration::from_secs(e.timeout_secs.max(1)),
        kind: target.runner,
        progress: target.progress,
        own_servers: target.gateway.is_none(),
    };
    let (reports, mut findings) = crate::examples::run(&runner, &site.catalog, &snippets);
    findings.extend(no_examples_from_specs(config, site, &snippets));
    Ok((reports, findings))
}

/// Spec files exist but not one example came from them: a run that checked nothing is not a pass.
fn no_examples_from_specs(
    config: &Config,
    site: &Site,
    snippets: &[crate::examples::Snippet],
) -> Option<Diagnostic> {
    let generated = snippets
        .iter()
        .any(|s| s.origin == crate::examples::Origin::Generated);
    let specs = walkdir::WalkDir::new(&config.openapi_dir)
        .into_iter()
        .filter_map(std::result::Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| matches!(x, "json" | "yaml" | "yml"))
        })
        .count();
    if generated || specs == 0 {
        return None;
    }
    let dir = config
        .openapi_dir
        .strip_prefix(&config.root)
        .unwrap_or(&config.openapi_dir);
    Some(
        Diagnostic::error(
            "example",
            diag::Span::file_start(dir),
            format!(
                "{specs} spec files but no generated example: {} operations in the catalog",
                site.catalog
                    .apis
                    .iter()
                    .map(|a| a.operations().count())
                    .sum::<usize>()
            ),
        )
        .with_hint("the `openapi` findings say why the specs could not be read"),
    )
}
