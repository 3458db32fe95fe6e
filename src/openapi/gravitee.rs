//! Gravitee API definition exports: name, version, context path, endpoint targets, plans, and the
//! embedded pages (SWAGGER specs, MARKDOWN documentation); and the gateway path of each operation.

use super::locate::Positions;
use crate::catalog::{Api, DocPage, GatewayPath, Plan};
use crate::diag::{Diagnostic, Span};
use serde_json::Value;
use std::path::Path;

/// An export's file, its text and where its members are written.
pub(super) struct Located<'a> {
    /// The file, relative to the site root.
    pub file: &'a Path,
    /// Its text (without a byte order mark).
    pub text: &'a str,
    /// Where a JSON pointer of the export is written.
    pub locate: &'a dyn Fn(&str) -> Span,
    /// Bounds on the specs embedded in it.
    pub limits: &'a crate::limits::Limits,
}

/// Whether a JSON value looks like a Gravitee API export.
pub(super) fn is_export(value: &Value) -> bool {
    value.get("proxy").is_some_and(Value::is_object)
        && (value.get("plans").is_some()
            || value.get("pages").is_some()
            || value.get("gravitee").is_some())
}

/// Page types that structure the portal and hold no content for us.
const STRUCTURAL: [&str; 4] = ["SYSTEM_FOLDER", "FOLDER", "ROOT", "TRANSLATION"];

pub(super) fn api(
    value: &Value,
    located: &Located<'_>,
    gateway_host_suffix: &str,
    report: &mut dyn FnMut(Span, String),
) -> Api {
    let file = located.file;
    let locate = located.locate;
    let mut findings: Vec<Diagnostic> = Vec::new();
    let title = value["name"].as_str().unwrap_or_default().to_string();
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let proxy = &value["proxy"];
    let context_path = proxy["virtual_hosts"]
        .as_array()
        .and_then(|hosts| hosts.iter().find_map(|h| h["path"].as_str()))
        .or_else(|| proxy["context_path"].as_str())
        .map(|p| format!("/{}", p.trim_matches('/')));
    if context_path.is_none() {
        report(
            locate("/proxy"),
            "proxy: no context path (`proxy.virtual_hosts[].path` or `proxy.context_path`)".into(),
        );
    }
    let targets = proxy["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["endpoints"].as_array().into_iter().flatten())
        .chain(proxy["endpoints"].as_array().into_iter().flatten())
        .filter_map(|e| e["target"].as_str().map(str::to_string))
        .collect();
    let plans = value["plans"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| Plan {
            name: p["name"].as_str().unwrap_or_default().to_string(),
            security: p["security"].as_str().unwrap_or_default().to_string(),
            status: p["status"].as_str().unwrap_or_default().to_string(),
            assumed: false,
        })
        .collect();
    let mut api = Api {
        id: super::api_id(&title, &stem),
        title,
        version: value["version"].as_str().unwrap_or_default().to_string(),
        description: value["description"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        provider: value["primaryOwner"]["displayName"]
            .as_str()
            .map(str::to_string),
        file: file.to_path_buf(),
        context_path,
        targets,
        plans,
        ..Api::default()
    };
    for (i, page) in value["pages"].as_array().into_iter().flatten().enumerate() {
        let name = page["name"].as_str().unwrap_or("uten navn").to_string();
        let content = page["content"].as_str().unwrap_or_default();
        let kind = page["type"].as_str().unwrap_or_default();
        let at = format!("pages.{i} «{name}»");
        match kind {
            "SWAGGER" => match super::parse_located(content, false, located.limits) {
                Ok((spec_value, inner)) => {
                    // Positions inside the embedded spec, as line and column of the export itself.
                    let content_at = format!("/pages/{i}/content");
                    let positions = Positions::json_value_offset(located.text, &content_at)
                        .filter(|&start| located.text.as_bytes().get(start) == Some(&b'"'))
                        .map(|start| Positions::embedded(&inner, content, located.text, start));
                    let nested = |pointer: &str| match &positions {
                        Some(p) => {
                            let (line, column) = p.find(pointer);
                            Span { file: file.to_path_buf(), line, column }
                        }
                        None => locate(&content_at),
                    };
                    let (spec, problems) = super::spec_keeping(spec_value, &nested, true);
                    for mut problem in problems {
                        problem.message = format!("{at}: {}", problem.message);
                        findings.push(problem);
                    }
                    if let Some(spec) = spec {
                        api.specs.push(spec);
                    }
                }
                Err((line, column, message)) => report(locate(&format!("/pages/{i}/content")), format!("{at}: {message} (line {line}, column {column} of the embedded spec)")),
            },
            "MARKDOWN" => api.docs.push(DocPage { name, markdown: content.to_string() }),
            "LINK" => {
                let target = page["configuration"]["resource"].as_str().unwrap_or(content);
                if target.starts_with("http") {
                    api.docs.push(DocPage { name: name.clone(), markdown: format!("[{name}]({target})") });
                }
            }
            k if STRUCTURAL.contains(&k) => {}
            other => report(locate(&format!("/pages/{i}/type")), format!("{at}: page type `{other}` is not supported (SWAGGER, MARKDOWN and LINK are); it is left out")),
        }
    }
    for finding in findings {
        report(finding.span.clone(), finding.message.clone());
    }
    map_gateway_paths(&mut api, gateway_host_suffix);
    api
}

/// Work out where consumers call each operation. Gravitee forwards `{context-path}/{rest}` to
/// `{target}/{rest}`: so a spec path on the backend that starts with the target's path is called at the
/// context path plus the remainder. A spec whose server is an IntArk gateway already uses gateway paths.
pub(super) fn map_gateway_paths(api: &mut Api, gateway_host_suffix: &str) {
    let Some(context) = api.context_path.clone() else {
        return;
    };
    let context = context.trim_end_matches('/').to_string();
    let target_paths: Vec<(String, String)> = api
        .targets
        .iter()
        .map(|t| {
            (
                t.trim_end_matches('/').to_string(),
                super::url_path(t).trim_end_matches('/').to_string(),
            )
        })
        .collect();
    for spec in &mut api.specs {
        let server = spec.servers.first().cloned().unwrap_or_default();
        let server_host = server
            .split_once("://")
            .map(|(_, r)| r.split('/').next().unwrap_or_default())
            .unwrap_or_default()
            .to_string();
        let on_gateway =
            !gateway_host_suffix.is_empty() && server_host.ends_with(gateway_host_suffix);
        let server_trimmed = server.trim_end_matches('/').to_string();
        for op in &mut spec.operations {
            let full = op.full_path.clone();
            op.gateway = if on_gateway
                && (full == context || full.starts_with(&format!("{context}/")))
            {
                GatewayPath::Derived(full)
            } else if let Some(rest) = target_paths.iter().find_map(|(url, path)| {
                if !server_trimmed.is_empty() && server_trimmed == *url {
                    Some(op.path.clone())
                } else if !path.is_empty()
                    && (full == *path || full.starts_with(&format!("{path}/")))
                {
                    Some(full[path.len()..].to_string())
                } else {
                    None
                }
            }) {
                GatewayPath::Derived(format!("{context}{rest}"))
            } else if target_paths.iter().any(|(_, p)| p.is_empty()) && !on_gateway {
                GatewayPath::Derived(format!("{context}{full}"))
            } else {
                GatewayPath::Assumed {
                    path: format!("{context}{}", op.path),
                    reason: format!(
                        "the spec's server `{}` matches neither the context path `{context}` nor an endpoint target ({})",
                        if server.is_empty() { "(none)" } else { &server },
                        if api.targets.is_empty() { "none".to_string() } else { api.targets.join(", ") }
                    ),
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Operation, Spec, SpecFormat};

    fn op(path: &str, server_path: &str) -> Operation {
        Operation {
            anchor: "x".into(),
            method: "GET".into(),
            path: path.into(),
            full_path: format!("{}{path}", server_path.trim_end_matches('/')),
            gateway: GatewayPath::Direct(String::new()),
            summary: String::new(),
            description: String::new(),
            deprecated: false,
            tags: vec![],
            parameters: vec![],
            request_body: None,
            responses: vec![],
            security: vec![],
            requirements: vec![],
            span: crate::diag::Span::file_start("x.json"),
        }
    }

    fn api(context: &str, target: &str, server: &str, path: &str) -> Api {
        let server_path = super::super::url_path(server);
        Api {
            context_path: Some(context.into()),
            targets: vec![target.into()],
            specs: vec![Spec {
                title: String::new(),
                version: String::new(),
                description: String::new(),
                format: SpecFormat::OpenApi30,
                servers: vec![server.into()],
                operations: vec![op(path, &server_path)],
                schemas: Default::default(),
                schema_spans: Default::default(),
                security_schemes: Default::default(),
                webhooks: vec![],
                converted: None,
            }],
            ..Api::default()
        }
    }

    fn gateway(mut a: Api) -> GatewayPath {
        map_gateway_paths(&mut a, ".intark.uh-it.no");
        a.specs[0].operations[0].gateway.clone()
    }

    #[test]
    fn krr_target_path_is_replaced_by_the_context_path() {
        let a = api(
            "/test/digdir/krr",
            "https://test.kontaktregisteret.no/rest/",
            "http://oidc-ver2.difi.no",
            "/rest/v1/personer",
        );
        assert_eq!(
            gateway(a),
            GatewayPath::Derived("/test/digdir/krr/v1/personer".into())
        );
    }

    #[test]
    fn spec_of_the_gateway_itself_keeps_its_paths() {
        let a = api(
            "/test/lonn/v1",
            "https://api-test.dfo.no/",
            "https://gw-uio.intark.uh-it.no/",
            "/test/lonn/v1/ansatte/v1/{id}",
        );
        assert_eq!(
            gateway(a),
            GatewayPath::Derived("/test/lonn/v1/ansatte/v1/{id}".into())
        );
    }

    #[test]
    fn server_equal_to_target() {
        let a = api(
            "/preview/fs/gemini",
            "https://gw-unit.intark.uh-it.no/fsapi-rest-test/api/",
            "https://gw-unit.intark.uh-it.no/fsapi-rest-test/api",
            "/personer",
        );
        assert_eq!(
            gateway(a),
            GatewayPath::Derived("/preview/fs/gemini/personer".into())
        );
    }

    #[test]
    fn unrelated_server_is_said_not_guessed() {
        let a = api(
            "/fs/gemini",
            "https://api.fellesstudentsystem.no/gemini",
            "https://gw-unit.intark.uh-it.no/fsapi-rest-test/api",
            "/personer",
        );
        match gateway(a) {
            GatewayPath::Assumed { path, reason } => {
                assert_eq!(path, "/fs/gemini/personer");
                assert!(reason.contains("fsapi-rest-test"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}
