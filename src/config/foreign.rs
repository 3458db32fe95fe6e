//! Hugo and Jekyll site roots without an `intark.toml`: their own config file names the content
//! folder, route base, title and language, and the [`Flavour`] tells later stages which dialect the
//! pages are written in.

use super::ConfigFile;
use crate::error::{Error, Result};
use std::path::Path;

/// The documentation ecosystem a site was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// Docusaurus (and plain Markdown).
    Docusaurus,
    /// Hugo: `hugo.toml`/`config.toml`, `_index.md`, shortcodes.
    Hugo,
    /// Jekyll: `_config.yml`, Liquid, kramdown.
    Jekyll,
}

impl Flavour {
    /// As shown in the build summary.
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Docusaurus => "Docusaurus",
            Flavour::Hugo => "Hugo",
            Flavour::Jekyll => "Jekyll",
        }
    }
}

/// What a Jekyll site's `_config.yml` says about which files are pages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JekyllSite {
    /// Files and folders left out (`exclude`).
    pub exclude: Vec<String>,
    /// Collections (`_docs/` holds the `docs` collection, published at `/docs/…`).
    pub collections: Vec<String>,
}

/// What a foreign site root says: its settings, its flavour and (Jekyll) which files are pages.
pub(super) type ForeignSite = (ConfigFile, Flavour, Option<JekyllSite>);

/// The settings of a Hugo or Jekyll site root that has no `intark.toml`.
pub(super) fn site(root: &Path) -> Result<Option<ForeignSite>> {
    if let Some(found) = hugo(root)? {
        return Ok(Some(found));
    }
    jekyll(root)
}

/// A site's language code as our two-letter UI language (`nb-NO` → `nb`, `no` → `nb`).
fn language(code: &str) -> String {
    let code = code.to_ascii_lowercase();
    if code.starts_with("nn") {
        "nn".to_string()
    } else if code.starts_with("nb") || code.starts_with("no") {
        "nb".to_string()
    } else {
        code.split(['-', '_']).next().unwrap_or("nb").to_string()
    }
}

/// `hugo.toml` or `config.toml`.
fn hugo(root: &Path) -> Result<Option<ForeignSite>> {
    for name in ["hugo.toml", "config.toml"] {
        let path = root.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let value: toml::Value = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let get = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let base_url = get("baseURL")
            .or_else(|| get("baseurl"))
            .unwrap_or_default();
        let path_part = base_url
            .split_once("://")
            .map_or(base_url.as_str(), |(_, r)| {
                r.split_once('/').map_or("", |(_, p)| p)
            });
        let mut file = ConfigFile {
            content_dir: get("contentDir").unwrap_or_else(|| "content".into()).into(),
            static_dir: get("staticDir").unwrap_or_else(|| "static".into()).into(),
            route_base: format!("/{}", path_part.trim_matches('/')),
            base_url: base_url
                .trim_end_matches('/')
                .trim_end_matches(path_part.trim_end_matches('/'))
                .trim_end_matches('/')
                .to_string(),
            ..ConfigFile::default()
        };
        if let Some(title) = get("title") {
            file.title = title;
        }
        let id_type = value
            .get("markup")
            .and_then(|m| m.get("goldmark"))
            .and_then(|g| g.get("parser"))
            .and_then(|p| p.get("autoHeadingIDType"))
            .and_then(|t| t.as_str());
        file.heading_ids = match id_type {
            Some("github-ascii") => crate::slug::Style::GithubAscii,
            Some("blackfriday") => crate::slug::Style::Blackfriday,
            _ => crate::slug::Style::Github,
        };
        if let Some(code) = get("languageCode").or_else(|| get("defaultContentLanguage")) {
            file.language = language(&code);
        }
        return Ok(Some((file, Flavour::Hugo, None)));
    }
    Ok(None)
}

/// `_config.yml`.
fn jekyll(root: &Path) -> Result<Option<ForeignSite>> {
    let path = root.join("_config.yml");
    if let Ok(text) = std::fs::read_to_string(&path) {
        // A site without an `intark.toml` has no `[limits]` table: the defaults apply.
        let value = crate::yaml::parse(&text, &crate::limits::Limits::default()).map_err(|e| {
            let mut message = format!("line {}, column {}: {}", e.line, e.column, e.message);
            if let Some(exceeded) = e.exceeded {
                message = format!("{message} ({})", exceeded.hint());
            }
            Error::Config {
                path: path.clone(),
                message,
            }
        })?;
        let get = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let mut file = ConfigFile {
            content_dir: ".".into(),
            static_dir: "_intark-no-static".into(),
            route_base: get("baseurl").unwrap_or_default(),
            base_url: get("url").unwrap_or_default(),
            output_dir: "_site".into(),
            ..ConfigFile::default()
        };
        if let Some(title) = get("title") {
            file.title = title;
        }
        if let Some(code) = get("lang").or_else(|| get("language")) {
            file.language = language(&code);
        }
        let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
            v.and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let collections = match value.get("collections") {
            Some(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            other => strings(other),
        };
        let site = JekyllSite {
            exclude: strings(value.get("exclude")),
            collections,
        };
        return Ok(Some((file, Flavour::Jekyll, Some(site))));
    }
    Ok(None)
}
