//! The `site` and `page` variables of Jekyll's Liquid, and the include files (`_includes/`, and
//! the page's own folder for `include_relative`).

use super::SiteInput;
use liquid_core::model::Value;
use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// The largest include or data file read (bytes); a larger one is left out.
const MAX_FILE: u64 = 4 * 1024 * 1024;

/// One page or collection document, as Liquid sees it.
#[derive(Debug, Clone, Default)]
pub struct PageInfo {
    /// Source path relative to the site root (`docs/a.md`, `_docs/b.md`).
    pub path: String,
    /// Its URL, without `baseurl` (Jekyll's `page.url`).
    pub url: String,
    /// Its front matter.
    pub front: serde_json::Map<String, serde_json::Value>,
    /// Its collection (`posts`, `docs`), if any.
    pub collection: Option<String>,
}

impl PageInfo {
    /// The `page` variable: front matter, `url`, `path`, `name`, `dir`, `collection`.
    pub fn value(&self) -> Value {
        to_liquid(&serde_json::Value::Object(self.json()))
    }

    fn json(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = self.front.clone();
        let name = self.path.rsplit('/').next().unwrap_or_default().to_string();
        let dir = self
            .url
            .rsplit_once('/')
            .map_or("/".to_string(), |(d, _)| format!("{d}/"));
        for (k, v) in [
            ("url", self.url.clone()),
            ("path", self.path.clone()),
            ("name", name),
            ("dir", dir),
        ] {
            map.insert(k.to_string(), serde_json::Value::String(v));
        }
        if let Some(c) = &self.collection {
            map.insert(
                "collection".to_string(),
                serde_json::Value::String(c.clone()),
            );
        }
        map
    }
}

/// The front matter of a page as JSON (empty when there is none or it cannot be read; the front
/// matter check reports that).
pub fn front_matter(
    text: &str,
    body_offset: usize,
    limits: &crate::limits::Limits,
) -> serde_json::Map<String, serde_json::Value> {
    let head = text.get(..body_offset).unwrap_or("");
    let Some(inner) = head.trim_start().strip_prefix("---") else {
        return serde_json::Map::new();
    };
    let inner = inner.trim_end();
    let inner = inner.strip_suffix("---").unwrap_or(inner);
    match crate::yaml::parse(inner, limits) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

fn to_liquid(json: &serde_json::Value) -> Value {
    liquid::model::to_value(json).unwrap_or(Value::Nil)
}

/// The `site` variable: the config, `pages`, `data`, collections, `github` (as the
/// jekyll-github-metadata plugin gives it from `repository`, without the network).
pub(super) fn site_value(input: &SiteInput<'_>) -> Value {
    let mut site = match &input.config {
        serde_json::Value::Object(map) => map.clone(),
        _ => serde_json::Map::new(),
    };
    let pages: Vec<serde_json::Value> = input
        .pages
        .iter()
        .filter(|p| p.collection.is_none())
        .map(|p| serde_json::Value::Object(p.json()))
        .collect();
    site.insert("pages".into(), serde_json::Value::Array(pages.clone()));
    site.insert("html_pages".into(), serde_json::Value::Array(pages));
    let mut collections = Vec::new();
    let mut names: Vec<String> = input
        .pages
        .iter()
        .filter_map(|p| p.collection.clone())
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        let docs: Vec<serde_json::Value> = input
            .pages
            .iter()
            .filter(|p| p.collection.as_deref() == Some(name.as_str()))
            .map(|p| serde_json::Value::Object(p.json()))
            .collect();
        collections.push(serde_json::json!({"label": name, "docs": docs.clone()}));
        site.insert(name, serde_json::Value::Array(docs));
    }
    site.entry("posts")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    site.insert("collections".into(), serde_json::Value::Array(collections));
    site.insert("data".into(), data(&input.root.join("_data")));
    site.insert("baseurl".into(), input.baseurl.into());
    site.insert("url".into(), input.url.into());
    if let Some(repo) = input.config.get("repository").and_then(|r| r.as_str()) {
        let url = format!("https://github.com/{repo}");
        site.entry("github").or_insert_with(|| {
            serde_json::json!({
                "repository_nwo": repo,
                "repository_url": url,
                "contributors": [],
                "url": input.url,
                "baseurl": input.baseurl,
            })
        });
    }
    to_liquid(&serde_json::Value::Object(site))
}

/// `_data/`: `a.yml` is `site.data.a`, `sub/b.json` is `site.data.sub.b`, CSV files are lists of
/// rows by header. Files that cannot be read are left out (the loader reports them).
fn data(dir: &Path) -> serde_json::Value {
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
            map.insert(name.to_string(), data(&path));
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if std::fs::metadata(&path).map_or(true, |m| m.len() > MAX_FILE) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let value = match ext {
            "yml" | "yaml" | "json" => {
                crate::yaml::parse(&text, &crate::limits::Limits::default()).ok()
            }
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

/// Include files: `_includes/NAME`, or `./PATH` from the site root (for `include_relative`); never
/// outside the site.
#[derive(Debug)]
pub(super) struct Includes {
    root: PathBuf,
}

impl Includes {
    pub(super) fn new(root: &Path) -> Includes {
        Includes {
            root: root.to_path_buf(),
        }
    }

    fn path(&self, name: &str) -> Option<PathBuf> {
        let name = name.trim().trim_matches(['"', '\'']);
        let (base, rel) = match name.strip_prefix("./") {
            Some(rel) => (self.root.clone(), rel),
            None => (self.root.join("_includes"), name),
        };
        let rel = Path::new(rel);
        if rel
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return None;
        }
        Some(base.join(rel))
    }
}

impl liquid::partials::PartialSource for Includes {
    fn contains(&self, name: &str) -> bool {
        self.path(name).is_some_and(|p| p.is_file())
    }

    fn names(&self) -> Vec<&str> {
        Vec::new()
    }

    fn try_get<'a>(&'a self, name: &str) -> Option<Cow<'a, str>> {
        let path = self.path(name)?;
        if std::fs::metadata(&path).ok()?.len() > MAX_FILE {
            return None;
        }
        let text = std::fs::read_to_string(path).ok()?;
        // Tags the engine does not know are left out of includes too (their pages report them).
        let (_, unknown) = super::spans::split(&text);
        let known = super::spans::without(&text, 0, &unknown);
        // `include_relative` in an include reads from the include's own folder.
        let dir = super::folder(name.trim_matches(['"', '\'']).trim_start_matches("./"));
        let dir = if name.contains("./") {
            dir
        } else {
            "_includes"
        };
        Some(Cow::Owned(super::spans::quote_paths(&known, dir)))
    }
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

    #[test]
    fn includes_never_leave_the_site() {
        let inc = Includes::new(Path::new("/site"));
        assert_eq!(
            inc.path("a.html"),
            Some(PathBuf::from("/site/_includes/a.html"))
        );
        assert_eq!(
            inc.path("./docs/b.md"),
            Some(PathBuf::from("/site/docs/b.md"))
        );
        assert_eq!(inc.path("../etc/passwd"), None);
        assert_eq!(inc.path("/etc/passwd"), None);
    }
}
