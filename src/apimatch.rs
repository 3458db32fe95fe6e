//! Finding the catalog operation a request calls: gateway path templates (`/lonn/v1/ansatte/{id}`)
//! compiled once, matched by segments, literal segments preferred over parameters. A segment may hold
//! any number of parameters between literal text (`{id}.{format}`, RFC 6570 level 1). Operations
//! called at their own server also remember its host, so that two APIs with the same paths on
//! different hosts stay apart. Shared by the sandbox gateway and the examples runner.

use crate::catalog::Catalog;

/// The header that tells the sandbox which host a call to an API's own server was written for (the
/// examples runner sends such calls to the sandbox's address).
pub const FORWARDED_HOST: &str = "X-Forwarded-Host";
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    /// One or more `{name}`s, possibly with text around and between them (`{id}.{format}`).
    Params(Vec<Piece>),
    /// `*` at the end: any rest.
    Rest,
}

/// A part of a segment with parameters.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Param(String),
}

#[derive(Debug, Clone)]
struct Route {
    /// The host (`api.example.com`, lower case) of an operation called at its own server.
    host: Option<String>,
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
            } else if let Some(pieces) = pieces(s) {
                Segment::Params(pieces)
            } else {
                Segment::Literal(s.to_string())
            }
        })
        .collect()
}

/// A segment's literal text and `{name}`s, each `{` closed by the first `}` after it; `None` when
/// it has no parameter (`}x{`, `{`, `a}` are literal text).
fn pieces(segment: &str) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut rest = segment;
    while let Some((before, after)) = rest.split_once('{') {
        let Some((name, tail)) = after.split_once('}') else {
            break;
        };
        if !before.is_empty() {
            out.push(Piece::Text(before.to_string()));
        }
        out.push(Piece::Param(name.to_string()));
        rest = tail;
    }
    if !out.iter().any(|p| matches!(p, Piece::Param(_))) {
        return None;
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Some(out)
}

/// Match one path segment against its pieces: each parameter takes the shortest non-empty text up
/// to the next literal piece (the last one takes the rest); values are percent-decoded.
fn match_pieces(pieces: &[Piece], part: &str, params: &mut Vec<(String, String)>) -> Option<()> {
    let mut rest = part;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => rest = rest.strip_prefix(t.as_str())?,
            Piece::Param(name) => {
                let value = match pieces.get(i + 1) {
                    Some(Piece::Text(next)) => {
                        // Skip the first character: a value is never empty.
                        let start = rest.chars().next()?.len_utf8();
                        let at = rest[start..].find(next.as_str())? + start;
                        let (value, tail) = rest.split_at(at);
                        rest = tail;
                        value
                    }
                    // Two parameters side by side: the first takes one character.
                    Some(Piece::Param(_)) => {
                        let first = rest.chars().next()?.len_utf8();
                        let (value, tail) = rest.split_at(first);
                        rest = tail;
                        value
                    }
                    None => std::mem::take(&mut rest),
                };
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
    rest.is_empty().then_some(())
}

/// The host of an absolute URL (`https://API.example.com:8443/x` → `api.example.com:8443`).
pub fn host_of(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

impl Router {
    /// Compile every operation's gateway path (the path part, for operations called directly).
    pub fn new(catalog: &Catalog) -> Router {
        let mut router = Router::default();
        for (a, api) in catalog.apis.iter().enumerate() {
            for (s, spec) in api.specs.iter().enumerate() {
                for (o, op) in spec.operations.iter().enumerate() {
                    let path = op.gateway.path();
                    let host = host_of(path);
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
                        host,
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
        self.find_at(method, None, path)
    }

    /// The operation for a method and a path called at `host` (as sent to the API's own server):
    /// operations of that host first, then the others.
    pub fn find_at(&self, method: &str, host: Option<&str>, path: &str) -> Match {
        let parts = split(path);
        let first = parts.first().copied().unwrap_or_default();
        let all = || {
            self.by_first
                .get(first)
                .into_iter()
                .flatten()
                .chain(self.by_first.get("").into_iter().flatten())
        };
        let host = host.map(str::to_ascii_lowercase);
        let at_host = |r: &&Route| host.is_some() && r.host == host;
        let candidates = all().filter(at_host).chain(all().filter(|r| !at_host(r)));
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
            Segment::Params(pieces) => match_pieces(pieces, parts.get(i)?, &mut params)?,
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
            vec![Segment::Params(vec![
                Piece::Text("ø".into()),
                Piece::Param("å".into()),
                Piece::Text("}".into())
            ])]
        );
    }

    #[test]
    fn two_parameters_in_one_segment() {
        let seg = compile("/intersections/{intersectionID}.{outputFormat}");
        assert_eq!(
            matches(&seg, &split("/intersections/eksempel.json")),
            Some(vec![
                ("intersectionID".into(), "eksempel".into()),
                ("outputFormat".into(), "json".into())
            ])
        );
        assert_eq!(
            matches(&compile("/r/{a}-{b}-{c}"), &split("/r/1-2%2D3-x")),
            Some(vec![
                ("a".into(), "1".into()),
                ("b".into(), "2-3".into()),
                ("c".into(), "x".into())
            ])
        );
        assert_eq!(matches(&seg, &split("/intersections/.json")), None);
        assert_eq!(matches(&seg, &split("/intersections/abc")), None);
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
