//! A Jekyll site's Liquid: the engine with the `site` variable built once from all sources, each
//! source's `page` variable, the `_data/` files, and the reader of include files it is given (so
//! that the Markdown pass itself reads no files); jekyll-redirect-from's rule for a URL claimed twice.

use crate::config::Config;
use crate::limits::Limits;
use crate::load::Source;
use crate::markdown::liquid::{front_matter, Liquid, PageInfo, SiteInput};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The engine and the `page` of every source (by path), for a Jekyll site; `None` for other sites.
pub(super) fn liquid(
    config: &Config,
    sources: &[Source],
) -> Option<(Liquid, HashMap<String, PageInfo>)> {
    let site = config.jekyll.as_ref()?;
    let pages: Vec<PageInfo> = sources
        .iter()
        .map(|s| PageInfo {
            path: s.rel_path.clone(),
            // Jekyll's `page.url` is without `baseurl`.
            url: s
                .route
                .strip_prefix(config.route_base.trim_end_matches('/'))
                .filter(|u| u.starts_with('/'))
                .unwrap_or(&s.route)
                .to_string(),
            front: front_matter(&s.text, s.body_offset, &config.file.limits),
            collection: s
                .rel_path
                .strip_prefix('_')
                .and_then(|r| r.split_once('/'))
                .map(|(c, _)| c.to_string()),
        })
        .collect();
    let by_path = pages.iter().map(|p| (p.path.clone(), p.clone())).collect();
    let root = config.content_dir.clone();
    let limits = config.file.limits;
    let data = data(&root.join("_data"), &limits);
    let engine = Liquid::new(SiteInput {
        read: Arc::new(move |rel: &str| read_include(&root, rel, &limits)),
        data,
        config: site.config.clone(),
        baseurl: &config.route_base,
        url: &config.base_url,
        pages,
    })?;
    Some((engine, by_path))
}

/// Who already has a redirect's URL: (the source, whether it is a page itself rather than another
/// redirect).
pub(super) fn claimed(
    resolver: &crate::routes::Resolver,
    redirects: &[(String, usize)],
    route: &str,
) -> Option<(usize, bool)> {
    if let Some((_, j)) = redirects.iter().find(|(r, _)| r == route) {
        return Some((*j, false));
    }
    resolver.page_at(route).map(|j| (j, true))
}

/// The warning for a redirect URL that another page or redirect also claims.
pub(super) fn shared_redirect(
    source: &Source,
    from: &str,
    other: &Source,
    is_page: bool,
) -> crate::diag::Diagnostic {
    let (what, outcome) = if is_page {
        (
            "is the address of",
            "the page stays and the redirect is left out",
        )
    } else {
        (
            "is also a redirect of",
            "this later redirect wins, as jekyll-redirect-from does",
        )
    };
    crate::diag::Diagnostic::warning(
        "shared-route",
        source.lines.span(&source.file, &source.text, 0),
        format!(
            "redirect `{from}` {what} `{}`; {outcome}",
            other.file.display()
        ),
    )
    .with_hint("remove one of the two claims")
}

/// A file of the site by its path relative to the root, within the file size limit; never a path
/// that leaves the root through a link.
fn read_include(root: &Path, rel: &str, limits: &Limits) -> Option<String> {
    let path = root.join(rel);
    let real = std::fs::canonicalize(&path).ok()?;
    if !real.starts_with(std::fs::canonicalize(root).ok()?) {
        return None;
    }
    let size = std::fs::metadata(&real).ok()?.len();
    if crate::limits::check_file_size(limits, size).is_some() {
        return None;
    }
    std::fs::read_to_string(real).ok()
}

/// `_data/`: `a.yml` is `site.data.a`, `sub/b.json` is `site.data.sub.b`, CSV files are lists of
/// rows by header. Files that cannot be read are left out (the loader reports them).
fn data(dir: &Path, limits: &Limits) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return serde_json::Value::Object(map);
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let Some(name) = path.file_stem().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            map.insert(name.to_string(), data(&path, limits));
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if std::fs::metadata(&path).map_or(true, |m| {
            crate::limits::check_file_size(limits, m.len()).is_some()
        }) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let value = match ext {
            "yml" | "yaml" | "json" => crate::yaml::parse(&text, limits).ok(),
            "csv" | "tsv" => Some(csv(&text, if ext == "csv" { ',' } else { '\t' })),
            _ => None,
        };
        if let Some(value) = value {
            map.insert(name.to_string(), value);
        }
    }
    serde_json::Value::Object(map)
}

/// A CSV file as Jekyll reads it: one object per row, keyed by the header (quoted fields allowed).
fn csv(text: &str, sep: char) -> serde_json::Value {
    let mut rows = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| fields(l, sep));
    let Some(header) = rows.next() else {
        return serde_json::Value::Array(Vec::new());
    };
    let list = rows
        .map(|row| {
            let map: serde_json::Map<String, serde_json::Value> = header
                .iter()
                .cloned()
                .zip(row.into_iter().map(serde_json::Value::String))
                .collect();
            serde_json::Value::Object(map)
        })
        .collect();
    serde_json::Value::Array(list)
}

fn fields(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_keyed_by_the_header() {
        let v = csv("name,role\n\"Kari, N.\",dev\nOla,\"sa \"\"y\"\"\"\n", ',');
        assert_eq!(v[0]["name"], "Kari, N.");
        assert_eq!(v[1]["role"], "sa \"y\"");
    }
}
