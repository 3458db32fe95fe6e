//! The `site` and `page` variables of Jekyll's Liquid, and the include files (`_includes/`, and
//! the page's own folder for `include_relative`), read through a function the caller gives.

use super::SiteInput;
use liquid_core::model::Value;
use std::borrow::Cow;
use std::path::{Component, Path};

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
            // A document always has `categories` (`category` too) and `tags`, as in Jekyll.
            let categories = match (map.get("categories"), map.get("category")) {
                (Some(serde_json::Value::Array(list)), _) => list.clone(),
                (Some(serde_json::Value::String(s)), _)
                | (None, Some(serde_json::Value::String(s))) => {
                    s.split_whitespace().map(|c| c.into()).collect()
                }
                _ => Vec::new(),
            };
            map.insert("categories".into(), serde_json::Value::Array(categories));
            map.entry("tags")
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
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
    // `site.categories` and `site.tags`: each name with its posts, as Jekyll gives them.
    for key in ["categories", "tags"] {
        let mut by_name = serde_json::Map::new();
        let posts = input
            .pages
            .iter()
            .filter(|p| p.collection.as_deref() == Some("posts"));
        for post in posts {
            let json = post.json();
            for name in json
                .get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(name) = name.as_str() {
                    let list = by_name
                        .entry(name.to_string())
                        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
                    if let serde_json::Value::Array(list) = list {
                        list.push(serde_json::Value::Object(json.clone()));
                    }
                }
            }
        }
        site.insert(key.into(), serde_json::Value::Object(by_name));
    }
    site.insert("collections".into(), serde_json::Value::Array(collections));
    site.insert("data".into(), input.data.clone());
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

/// Reads an include file by its path relative to the site root (`_includes/a.html`,
/// `docs/b.md`); `None` when there is none. Given by the caller: this module reads no files.
pub type ReadFile = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Include files: `_includes/NAME`, or `./PATH` from the site root (for `include_relative`); never
/// outside the site.
pub(super) struct Includes {
    read: std::sync::Arc<ReadFile>,
}

impl std::fmt::Debug for Includes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Includes")
    }
}

impl Includes {
    pub(super) fn new(read: std::sync::Arc<ReadFile>) -> Includes {
        Includes { read }
    }

    fn path(name: &str) -> Option<String> {
        let name = name.trim().trim_matches(['"', '\'']);
        let (base, rel) = match name.strip_prefix("./") {
            Some(rel) => ("", rel),
            None => ("_includes/", name),
        };
        if Path::new(rel)
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return None;
        }
        Some(format!("{base}{rel}"))
    }
}

impl liquid::partials::PartialSource for Includes {
    fn contains(&self, name: &str) -> bool {
        Includes::path(name).is_some_and(|p| (self.read)(&p).is_some())
    }

    fn names(&self) -> Vec<&str> {
        Vec::new()
    }

    fn try_get<'a>(&'a self, name: &str) -> Option<Cow<'a, str>> {
        let text = (self.read)(&Includes::path(name)?)?;
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
        let quoted = super::spans::quote_paths(&known, dir);
        Some(Cow::Owned(super::spans::one_line_tags(&quoted)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_never_leave_the_site() {
        assert_eq!(
            Includes::path("a.html").as_deref(),
            Some("_includes/a.html")
        );
        assert_eq!(
            Includes::path("\"./docs/b.md\"").as_deref(),
            Some("docs/b.md")
        );
        assert_eq!(Includes::path("../etc/passwd"), None);
        assert_eq!(Includes::path("/etc/passwd"), None);
    }
}
