//! Reading the API catalog: OpenAPI 3.0 and 3.1, Swagger 2.0 (YAML or JSON) and Gravitee API exports
//! from the `openapi/` folder, converted into [`crate::catalog`] types. This is the only module that
//! knows the input formats. A broken file is a finding naming the file and the path inside the
//! document; every other file still loads.

mod convert;
mod gravitee;
pub mod locate;
mod refs;
mod upgrade;

pub use convert::url_path;

use crate::catalog::{Api, Catalog, GatewayPath, Spec, SpecFormat};
use crate::diag::{Diagnostic, Span};
use crate::limits::{Exceeded, Limits};
use locate::Positions;
use rayon::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The rule name of catalog findings.
pub const RULE: &str = "openapi";

/// Where specs come from and how the gateway is addressed.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// The folder to read (may not exist: an empty catalog).
    pub dir: &'a Path,
    /// The site root, to name files in findings.
    pub root: &'a Path,
    /// Host suffix of the IntArk gateways (`.intark.uh-it.no`), to recognise specs that describe the
    /// gateway itself.
    pub gateway_host_suffix: &'a str,
    /// Context paths set in `intark.toml` for bare specs.
    pub apis: &'a [crate::config::ApiEntry],
}

/// The rule of the warning that a spec breaks its format in a way real tools read leniently (a
/// list of types in Swagger 2.0 or OpenAPI 3.0), and how it was read.
pub const SPEC_LENIENT: &str = "spec-lenient";

/// The rule of the warning that a bare spec's context path was assumed from its file name.
pub const CONTEXT_PATH_ASSUMED: &str = "context-path-assumed";

/// Load every spec and export below the folder, within the default [`Limits`].
pub fn load(source: &Source<'_>) -> (Catalog, Vec<Diagnostic>) {
    load_within(source, &Limits::default())
}

/// Load every spec and export below the folder; a file over one of `limits` is a finding.
pub fn load_within(source: &Source<'_>, limits: &Limits) -> (Catalog, Vec<Diagnostic>) {
    if !source.dir.is_dir() {
        return (Catalog::default(), Vec::new());
    }
    let files: Vec<PathBuf> = walkdir::WalkDir::new(source.dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"))
        })
        .collect();
    let results: Vec<Loaded> = files
        .par_iter()
        .map(|path| load_file(source, path, limits))
        .collect();
    // A file another spec's `$ref` points into is a part of that spec, not a spec of its own.
    let used: std::collections::BTreeSet<PathBuf> = results
        .iter()
        .flat_map(|l| l.used.iter().cloned())
        .collect();
    let mut catalog = Catalog::default();
    let mut diagnostics = Vec::new();
    for (loaded, path) in results.into_iter().zip(&files) {
        let part = loaded.not_a_spec && path.canonicalize().is_ok_and(|p| used.contains(&p));
        if !part {
            diagnostics.extend(loaded.diagnostics);
        }
        catalog.apis.extend(loaded.api);
    }
    catalog.apis.sort_by_key(|a| a.title.to_lowercase());
    let mut seen: Vec<String> = Vec::new();
    for api in &mut catalog.apis {
        let base = api.id.clone();
        let mut n = 2;
        while seen.contains(&api.id) {
            api.id = format!("{base}-{n}");
            n += 1;
        }
        seen.push(api.id.clone());
    }
    (catalog, diagnostics)
}

/// What one file gave.
struct Loaded {
    api: Option<Api>,
    diagnostics: Vec<Diagnostic>,
    /// Files its `$ref`s point into.
    used: std::collections::BTreeSet<PathBuf>,
    /// It is neither a spec nor an export (perhaps a part another spec refers to).
    not_a_spec: bool,
}

fn load_file(source: &Source<'_>, path: &Path, limits: &Limits) -> Loaded {
    let (api, diagnostics, used, not_a_spec) = load_file_parts(source, path, limits);
    Loaded {
        api,
        diagnostics,
        used,
        not_a_spec,
    }
}

type Parts = (
    Option<Api>,
    Vec<Diagnostic>,
    std::collections::BTreeSet<PathBuf>,
    bool,
);

fn load_file_parts(source: &Source<'_>, path: &Path, limits: &Limits) -> Parts {
    let none = std::collections::BTreeSet::new;
    let file = path.strip_prefix(source.root).unwrap_or(path).to_path_buf();
    let finding = |span: Span, message: String| Diagnostic::error(RULE, span, message);
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if let Some(message) = crate::limits::check_file_size(limits, size) {
        return (
            None,
            vec![finding(Span::file_start(&file), message).with_hint(Exceeded::FileBytes.hint())],
            none(),
            false,
        );
    }
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            return (
                None,
                vec![finding(
                    Span::file_start(&file),
                    format!("cannot read: {e}"),
                )],
                none(),
                false,
            )
        }
    };
    // .NET and Windows tools start files with a byte order mark; it is not part of the document.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (value, positions) =
        match parse_located(text, path.extension().is_some_and(|e| e == "json"), limits) {
            Ok(parsed) => parsed,
            Err((line, column, message)) => {
                let span = Span {
                    file: file.clone(),
                    line,
                    column,
                };
                return (
                    None,
                    vec![finding(span, message)
                        .with_hint("fix the syntax; every other spec still renders")],
                    none(),
                    false,
                );
            }
        };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let locate = |pointer: &str| {
        let (line, column) = positions.find(pointer);
        Span {
            file: file.clone(),
            line,
            column,
        }
    };
    let mut diagnostics = Vec::new();
    let is_spec = value.get("openapi").is_some() || value.get("swagger").is_some();
    let mut inliner = refs::Inliner::new(source.dir);
    let mut value = value;
    if is_spec {
        inliner.inline(&mut value, path);
        for (at, message) in &inliner.problems {
            diagnostics.push(finding(locate(at), format!("{}: {message}", dotted(at))));
        }
    }
    let mut not_a_spec = false;
    let api = if gravitee::is_export(&value) {
        let mut report = |span: Span, message: String| diagnostics.push(finding(span, message));
        Some(gravitee::api(
            &value,
            &gravitee::Located {
                file: &file,
                text,
                locate: &locate,
                limits,
            },
            source.gateway_host_suffix,
            &mut report,
        ))
    } else if is_spec {
        let (spec, problems) = spec(value.clone(), &locate);
        diagnostics.extend(problems);
        let configured = source
            .apis
            .iter()
            .find(|e| {
                file == e.spec
                    || file.ends_with(&e.spec)
                    || source.dir.join(&e.spec) == path
                    || source.root.join(&e.spec) == path
            })
            .map(|e| format!("/{}", e.context_path.trim_matches('/')));
        spec.map(|spec| {
            let (api, assumed) = standalone(
                spec,
                &value,
                &file,
                &stem,
                configured,
                source.gateway_host_suffix,
            );
            if let Some(context) = assumed {
                diagnostics.push(
                    Diagnostic::warning(
                        CONTEXT_PATH_ASSUMED,
                        locate(""),
                        format!(
                            "the spec names no gateway server and no context path; its examples call the gateway at `{context}` (from the file name)"
                        ),
                    )
                    .with_hint(format!(
                        "set it in intark.toml: [[apis]] spec = \"{}\" context_path = \"/…\" (or `x-intark-context-path` in the spec)",
                        file.display()
                    )),
                );
            }
            api
        })
    } else {
        diagnostics.push(finding(
            locate(""),
            "neither an OpenAPI/Swagger document nor a Gravitee API export".into(),
        ));
        not_a_spec = true;
        None
    };
    if let Some(api) = &api {
        for spec in &api.specs {
            diagnostics.extend(crate::apigen::lint::spec(spec));
            diagnostics.extend(bodies_of_bodiless_statuses(spec));
        }
    }
    (api, diagnostics, inliner.used, not_a_spec)
}

/// `spec-lenient` warnings for a 204, 205 or 304 response that documents a body: HTTP gives those
/// statuses none, so the sandbox answers without one (and clients that read the spec, such as
/// Schemathesis, expect a body that cannot come).
fn bodies_of_bodiless_statuses(spec: &crate::catalog::Spec) -> Vec<Diagnostic> {
    spec.operations
        .iter()
        .flat_map(|op| {
            op.responses
                .iter()
                .filter(|r| matches!(r.status.as_str(), "204" | "205" | "304"))
                .flat_map(move |r| {
                    r.content.iter().map(move |m| {
                        Diagnostic::warning(
                            SPEC_LENIENT,
                            m.span.clone(),
                            format!(
                                "response {} of `{}` documents a body ({}), but a {} carries none; the sandbox answers without it",
                                r.status, op.anchor, m.media_type, r.status
                            ),
                        )
                        .with_hint("remove the `content`, or answer 200 if the operation returns a body")
                    })
                })
        })
        .collect()
}

/// Parse JSON or YAML text within `limits` (no positions: `_data` files); errors carry the line,
/// column and the limit crossed.
pub fn parse_text(
    text: &str,
    json: bool,
    limits: &Limits,
) -> Result<Value, crate::yaml::YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !(json || text.trim_start().starts_with('{')) {
        return crate::yaml::parse(text, limits).map_err(|e| crate::yaml::YamlError {
            message: format!("invalid YAML: {}", e.message),
            ..e
        });
    }
    if let Some((line, column, message)) = json_too_deep(text, limits) {
        return Err(crate::yaml::YamlError {
            message,
            line,
            column,
            exceeded: Some(Exceeded::NestingDepth),
        });
    }
    serde_json::from_str(text).map_err(|e| crate::yaml::YamlError {
        message: format!("invalid JSON: {e}"),
        line: e.line().max(1),
        column: e.column().max(1),
        exceeded: None,
    })
}

/// JSON nested deeper than `limits.nesting_depth` (serde_json stops at 128 itself; a lower configured
/// depth is checked first, in one linear pass): its line, column and message.
fn json_too_deep(text: &str, limits: &Limits) -> Option<(usize, usize, String)> {
    let offset = crate::limits::json_too_deep(text, limits.nesting_depth)?;
    let (line, column) = crate::diag::LineIndex::new(text).line_col(text, offset);
    Some((
        line,
        column,
        format!(
            "invalid JSON: lists and objects are nested more than {} levels deep (`nesting_depth` in `[limits]`)",
            limits.nesting_depth
        ),
    ))
}

/// Parse JSON or YAML text (a leading byte order mark is skipped) within `limits`, with the position
/// of every member; errors as (line, column, message).
pub fn parse_located(
    text: &str,
    json: bool,
    limits: &Limits,
) -> Result<(Value, Positions), (usize, usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if json || text.trim_start().starts_with('{') {
        if let Some(too_deep) = json_too_deep(text, limits) {
            return Err(too_deep);
        }
        let value = serde_json::from_str(text).map_err(|e| {
            (
                e.line().max(1),
                e.column().max(1),
                format!("invalid JSON: {e}"),
            )
        })?;
        Ok((value, Positions::json(text)))
    } else {
        let mut positions = Positions::default();
        let value = crate::yaml::parse_recorded(text, limits, &mut |pointer, line, column| {
            positions.insert(pointer.to_string(), line, column)
        })
        .map_err(|e| {
            (
                e.line.max(1),
                e.column.max(1),
                format!("invalid YAML: {}", e.message),
            )
        })?;
        Ok((value, positions))
    }
}

/// A JSON pointer as readers know the place (`paths./a.get.responses.200`).
fn dotted(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

/// Convert one OpenAPI/Swagger document of any supported version: the spec (`None` when the
/// document cannot be read as OpenAPI at all) and findings at the places they are about.
pub fn spec(value: Value, locate: &dyn Fn(&str) -> Span) -> (Option<Spec>, Vec<Diagnostic>) {
    spec_keeping(value, locate, false)
}

/// [`spec`], keeping the OpenAPI 3.0 form as JSON in `Spec::converted` when `keep` is set or the
/// document is Swagger 2.0 (the form readers can download beside the original).
fn spec_keeping(
    mut value: Value,
    locate: &dyn Fn(&str) -> Span,
    keep: bool,
) -> (Option<Spec>, Vec<Diagnostic>) {
    let problem = |pointer: &str, message: &str| {
        let text = if pointer.is_empty() {
            message.to_string()
        } else {
            format!("{}: {message}", dotted(pointer))
        };
        Diagnostic::error(RULE, locate(pointer), text)
    };
    let version = value
        .get("openapi")
        .or_else(|| value.get("swagger"))
        .and_then(|v| {
            v.as_str()
                .map(str::to_string)
                .or_else(|| Some(v.to_string()))
        })
        .unwrap_or_default();
    let mut lenient = Vec::new();
    if !version.starts_with("3.1") {
        upgrade::lenient_type_lists(&mut value, "", &mut lenient);
    }
    let type_lists: Vec<Diagnostic> = lenient
        .iter()
        .map(|at| {
            Diagnostic::warning(
                SPEC_LENIENT,
                locate(at),
                format!(
                    "{}: a list of types is not valid in OpenAPI {version}; read as one type, nullable when `null` is listed (as Swagger UI and Redoc read it)",
                    dotted(at)
                ),
            )
            .with_hint("write `type: string` with `x-nullable: true` (2.0) or `nullable: true` (3.0), or move the spec to OpenAPI 3.1")
        })
        .collect();
    let (format, webhooks) = if version.starts_with("2.") {
        value = upgrade::swagger2(&value);
        (SpecFormat::Swagger2, Vec::new())
    } else if version.starts_with("3.1") {
        let hooks = upgrade::openapi31(&mut value);
        (SpecFormat::OpenApi31, hooks)
    } else if version.starts_with("3.0") {
        (SpecFormat::OpenApi30, Vec::new())
    } else {
        let message =
            format!("version `{version}` is not supported (3.0, 3.1 and Swagger 2.0 are)");
        return (None, vec![problem("/openapi", &message)]);
    };
    let doc: openapiv3::OpenAPI = match serde_path_to_error::deserialize(&value) {
        Ok(doc) => doc,
        Err(e) => {
            let pointer = path_pointer(e.path());
            let mut findings = type_lists;
            findings.push(problem(&pointer, &e.inner().to_string()));
            return (None, findings);
        }
    };
    let (mut spec, problems) = convert::convert(&doc, format, webhooks, locate);
    if keep || format == SpecFormat::Swagger2 {
        spec.converted = serde_json::to_string_pretty(&value).ok();
    }
    let mut findings = type_lists;
    findings.extend(problems.iter().map(|(at, message)| problem(at, message)));
    (Some(spec), findings)
}

/// A serde path (`paths./a.get.responses`) as a JSON pointer.
fn path_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => out = locate::child(&out, key),
            Segment::Seq { index } => out = format!("{out}/{index}"),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// An API from a bare spec. `x-intark-context-path` at the root, or an `[[apis]]` entry of
/// `intark.toml` (`configured`), puts it behind the gateway. A spec with no absolute server is
/// published at a context path from its file name; that path is returned so the caller can warn.
fn standalone(
    spec: Spec,
    value: &Value,
    file: &Path,
    stem: &str,
    configured: Option<String>,
    gateway_host_suffix: &str,
) -> (Api, Option<String>) {
    let own = value
        .get("x-intark-context-path")
        .and_then(Value::as_str)
        .map(|c| format!("/{}", c.trim_matches('/')));
    // Servers may be given only on path items or operations; those count too.
    let no_server = spec.servers.iter().all(|s| !s.contains("://"))
        && spec
            .operations
            .iter()
            .all(|op| !op.gateway.path().contains("://"));
    let from_name = (own.is_none() && configured.is_none() && no_server).then(|| {
        let name = stem.split('.').next().unwrap_or(stem);
        format!("/{}", api_id("", name))
    });
    let context_path = own.clone().or(configured).or(from_name.clone());
    let provider = value["info"]["contact"]["name"]
        .as_str()
        .or_else(|| value["info"]["x-provider"].as_str())
        .map(str::to_string);
    let mut api = Api {
        id: api_id(&spec.title, stem),
        title: spec.title.clone(),
        version: spec.version.clone(),
        description: spec.description.clone(),
        provider,
        file: file.to_path_buf(),
        context_path,
        plans: value["x-intark-plans"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| crate::catalog::Plan {
                name: p["name"].as_str().unwrap_or_default().to_string(),
                security: p["security"].as_str().unwrap_or("API_KEY").to_string(),
                status: "PUBLISHED".to_string(),
                assumed: false,
            })
            .collect(),
        ..Api::default()
    };
    // Behind the gateway, a bare spec's own server is the endpoint the gateway forwards to.
    if api.context_path.is_some() {
        api.targets = value["x-intark-targets"]
            .as_array()
            .map(|t| {
                t.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_else(|| {
                spec.servers
                    .iter()
                    .filter(|s| s.contains("://"))
                    .take(1)
                    .cloned()
                    .collect()
            });
    }
    if api.context_path.is_some() && api.plans.is_empty() {
        api.plans.push(crate::catalog::Plan {
            name: String::new(),
            security: "API_KEY".into(),
            status: "PUBLISHED".into(),
            assumed: true,
        });
    }
    api.specs.push(spec);
    gravitee::map_gateway_paths(&mut api, gateway_host_suffix);
    // Without a target, the gateway forwards the context path plus the spec's own (relative) path.
    if let (Some(context), true) = (
        api.context_path.clone(),
        api.targets.is_empty() && no_server,
    ) {
        for spec in &mut api.specs {
            for op in &mut spec.operations {
                op.gateway = GatewayPath::Derived(format!(
                    "{}{}",
                    context.trim_end_matches('/'),
                    op.full_path
                ));
            }
        }
    }
    (api, from_name)
}

/// A URL-safe id for an API.
pub fn api_id(title: &str, fallback: &str) -> String {
    let id = crate::slug::slugify(title)
        .replace('æ', "ae")
        .replace('ø', "o")
        .replace('å', "a");
    let id: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        crate::slug::slugify(fallback)
    } else {
        id
    }
}

#[cfg(test)]
pub(crate) mod tests;
