//! Finding the catalog operation a request calls: gateway path templates (`/lonn/v1/ansatte/{id}`)
//! compiled once, matched by segments, literal segments preferred over parameters. Shared by the
//! sandbox gateway and the examples runner.

use crate::catalog::Catalog;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    /// `{name}`, possibly with text around it in the same segment (`{id}.json`).
    Param {
        prefix: String,
        name: String,
        suffix: String,
    },
    /// `*` at the end: any rest.
    Rest,
}

#[derive(Debug, Clone)]
struct Route {
    api: usize,
    spec: usize,
    op: usize,
    method: String,
    segments: Vec<Segment>,
    literals: usize,
}

/// Where a request landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// An operation, with the path parameters' values (percent-decoded).
    Found {
        /// Index into `Catalog::apis`.
        api: usize,
        /// Index into `Api::specs`.
        spec: usize,
        /// Index into `Spec::operations`.
        op: usize,
        /// Path parameters.
        params: Vec<(String, String)>,
    },
    /// The path exists, not with this method.
    WrongMethod {
        /// Methods the path has.
        allow: Vec<String>,
    },
    /// No operation has this path.
    NotFound,
}

/// Operations by gateway path.
#[derive(Debug, Clone, Default)]
pub struct Router {
    by_first: HashMap<String, Vec<Route>>,
}

fn split(path: &str) -> Vec<&str> {
    path.trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect()
}

fn compile(path: &str) -> Vec<Segment> {
    split(path)
        .into_iter()
        .map(|s| {
            if s == "*" {
                Segment::Rest
            } else if let Some((prefix, name, suffix)) = param_parts(s) {
                Segment::Param {
                    prefix: prefix.to_string(),
                    name: name.to_string(),
                    suffix: suffix.to_string(),
                }
            } else {
                Segment::Literal(s.to_string())
            }
        })
        .collect()
}

/// A segment's `prefix{name}suffix` parts: the first `{` and the first `}` after it. A segment
/// without that shape (`}x{`, `{`, `a}`) is a literal.
fn param_parts(segment: &str) -> Option<(&str, &str, &str)> {
    let (prefix, rest) = segment.split_once('{')?;
    let (name, suffix) = rest.split_once('}')?;
    Some((prefix, name, suffix))
}

impl Router {
    /// Compile every operation's gateway path (the path part, for operations called directly).
    pub fn new(catalog: &Catalog) -> Router {
        let mut router = Router::default();
        for (a, api) in catalog.apis.iter().enumerate() {
            for (s, spec) in api.specs.iter().enumerate() {
                for (o, op) in spec.operations.iter().enumerate() {
                    let path = op.gateway.path();
                    let path = if path.contains("://") {
                        crate::openapi::url_path(path)
                    } else {
                        path.to_string()
                    };
                    let segments = compile(&path);
                    let first = match segments.first() {
                        Some(Segment::Literal(l)) => l.clone(),
                        _ => String::new(),
                    };
                    let literals = segments
                        .iter()
                        .filter(|s| matches!(s, Segment::Literal(_)))
                        .count();
                    router.by_first.entry(first).or_default().push(Route {
                        api: a,
                        spec: s,
                        op: o,
                        method: op.method.clone(),
                        segments,
                        literals,
                    });
                }
            }
        }
        for routes in router.by_first.values_mut() {
            routes.sort_by_key(|r| std::cmp::Reverse(r.literals));
        }
        router
    }

    /// The operation for a method and a path (without query).
    pub fn find(&self, method: &str, path: &str) -> Match {
        let parts = split(path);
        let first = parts.first().copied().unwrap_or_default();
        let candidates = self
            .by_first
            .get(first)
            .into_iter()
            .flatten()
            .chain(self.by_first.get("").into_iter().flatten());
        let mut allow: Vec<String> = Vec::new();
        for route in candidates {
            let Some(params) = matches(&route.segments, &parts) else {
                continue;
            };
            if route.method.eq_ignore_ascii_case(method) {
                return Match::Found {
                    api: route.api,
                    spec: route.spec,
                    op: route.op,
                    params,
                };
            }
            if !allow.contains(&route.method) {
                allow.push(route.method.clone());
            }
        }
        if allow.is_empty() {
            Match::NotFound
        } else {
            Match::WrongMethod { allow }
        }
    }
}

fn matches(segments: &[Segment], parts: &[&str]) -> Option<Vec<(String, String)>> {
    let mut params = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Rest => return Some(params),
            Segment::Literal(l) => {
                if parts.get(i) != Some(&l.as_str()) {
                    return None;
                }
            }
            Segment::Param {
                prefix,
                name,
                suffix,
            } => {
                let part = parts.get(i)?;
                let value = part
                    .strip_prefix(prefix.as_str())?
                    .strip_suffix(suffix.as_str())?;
                if value.is_empty() {
                    return None;
                }
                params.push((
                    name.clone(),
                    percent_encoding::percent_decode_str(value)
                        .decode_utf8_lossy()
                        .into_owned(),
                ));
            }
        }
    }
    (segments.len() == parts.len()).then_some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_params_and_rest() {
        let seg = compile("/lonn/v1/ansatte/{id}");
        assert_eq!(
            matches(&seg, &split("/lonn/v1/ansatte/12%2034")),
            Some(vec![("id".into(), "12 34".into())])
        );
        assert_eq!(matches(&seg, &split("/lonn/v1/ansatte")), None);
        assert_eq!(
            matches(&compile("/s/v1/*"), &split("/s/v1/a/b")),
            Some(vec![])
        );
        assert_eq!(
            matches(&compile("/f/{id}.json"), &split("/f/7.json")),
            Some(vec![("id".into(), "7".into())])
        );
    }

    #[test]
    fn braces_the_wrong_way_round_are_a_literal_not_a_panic() {
        assert_eq!(
            compile("/a/}x{"),
            vec![Segment::Literal("a".into()), Segment::Literal("}x{".into())]
        );
        assert_eq!(matches(&compile("/a/}x{"), &split("/a/}x{")), Some(vec![]));
        assert_eq!(compile("/{"), vec![Segment::Literal("{".into())]);
        assert_eq!(
            compile("/ø{å}}"),
            vec![Segment::Param {
                prefix: "ø".into(),
                name: "å".into(),
                suffix: "}".into()
            }]
        );
    }

    #[test]
    fn random_templates_and_paths_never_panic() {
        const PIECES: &[&str] = &["/", "{", "}", "a", "ø", "*", "%", "%C3", "{id}", "日", "."];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut template = String::new();
            let mut path = String::new();
            for _ in 0..next() % 12 {
                template.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
                path.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            let _ = matches(&compile(&template), &split(&path));
        }
    }
}
