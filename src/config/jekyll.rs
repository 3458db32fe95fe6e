//! A Jekyll site's `_config.yml` (<https://jekyllrb.com/docs/configuration/>): the settings the
//! site shares with every flavour (title, `baseurl`, `url`, language) and Jekyll's own model of
//! which files are pages and where they are published (`exclude`, collections, `permalink`,
//! `defaults`). The root is the folder holding `_config.yml`, or its `docs/` folder, as GitHub Pages
//! finds it.

use super::foreign::{language, ForeignSite};
use super::{CheckConfig, ConfigFile, Flavour, Level};
use crate::error::{Error, Result};
use std::path::Path;

/// A collection (`collections:` in `_config.yml`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JekyllCollection {
    /// Its name: files in `_NAME/`.
    pub name: String,
    /// `output: true`: its documents are pages.
    pub output: bool,
    /// Its `permalink` template, if set.
    pub permalink: Option<String>,
}

/// One `defaults:` entry that sets a `permalink`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JekyllDefault {
    /// `scope.path` (empty: all files).
    pub path: String,
    /// `scope.type` (`pages`, `posts`, a collection), if given.
    pub kind: Option<String>,
    /// `values.permalink`.
    pub permalink: String,
}

/// What a Jekyll site's `_config.yml` says about which files are pages and their URLs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JekyllSite {
    /// Files and folders left out (`exclude`).
    pub exclude: Vec<String>,
    /// Files and folders kept although Jekyll's rules leave them out (`include`).
    pub include: Vec<String>,
    /// Collections (`_docs/` holds the `docs` collection, published at `/docs/…`).
    pub collections: Vec<String>,
    /// Their settings (`posts` is always one, with `output: true`).
    pub collection_settings: Vec<JekyllCollection>,
    /// The global `permalink` style or template (`date` unless set).
    pub permalink: String,
    /// `defaults:` that set a permalink.
    pub defaults: Vec<JekyllDefault>,
    /// The whole `_config.yml`, for Liquid's `site` variable.
    pub config: serde_json::Value,
    /// jekyll-optional-front-matter: Markdown without front matter is a page too.
    pub optional_front_matter: bool,
    /// jekyll-readme-index: a `README.md` is its folder's index when the folder has none.
    pub readme_index: bool,
    /// The site's `timezone` as (from this Unix time, UTC offset in seconds), sorted; empty when
    /// it is not set or not known here. A post's date with another offset is shown in it.
    pub utc_offsets: Vec<(i64, i32)>,
}

impl JekyllSite {
    /// The UTC offset of the site's time zone at a Unix time, if the site sets one.
    pub fn utc_offset_at(&self, unix: i64) -> Option<i32> {
        let i = self.utc_offsets.partition_point(|(from, _)| *from <= unix);
        i.checked_sub(1).map(|i| self.utc_offsets[i].1)
    }
}

/// The transitions of a time zone of the system's zone database (`America/Los_Angeles`), as Jekyll
/// sets `TZ` from `timezone`; empty when the name is not a zone name or the file is not there.
fn read_zone(name: &str) -> Vec<(i64, i32)> {
    let valid = !name.is_empty()
        && !name.contains("..")
        && !name.starts_with('/')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
    if !valid {
        return Vec::new();
    }
    std::fs::read(Path::new("/usr/share/zoneinfo").join(name))
        .ok()
        .and_then(|bytes| parse_tzif(&bytes))
        .unwrap_or_default()
}

/// A TZif file (RFC 8536): the 64-bit block of version 2 and later, else the 32-bit one.
fn parse_tzif(b: &[u8]) -> Option<Vec<(i64, i32)>> {
    fn block(b: &[u8], at: usize, wide: bool) -> Option<(Vec<(i64, i32)>, usize)> {
        if b.get(at..at + 4)? != b"TZif" {
            return None;
        }
        let be32 = |i: usize| -> Option<u32> {
            Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
        };
        let counts: Vec<usize> = (0..6)
            .map(|i| be32(at + 20 + 4 * i).map(|c| c as usize))
            .collect::<Option<_>>()?;
        let (isut, isstd, leap, times, types, chars) = (
            counts[0], counts[1], counts[2], counts[3], counts[4], counts[5],
        );
        let size = if wide { 8 } else { 4 };
        let start = at + 44;
        let indices = start + size * times;
        let infos = indices + times;
        let offset = |t: usize| -> Option<i32> {
            Some(i32::from_be_bytes(
                b.get(infos + 6 * t..infos + 6 * t + 4)?.try_into().ok()?,
            ))
        };
        let mut out = vec![(i64::MIN, offset(0)?)];
        for i in 0..times {
            let raw = b.get(start + size * i..start + size * (i + 1))?;
            let from = if wide {
                i64::from_be_bytes(raw.try_into().ok()?)
            } else {
                i64::from(i32::from_be_bytes(raw.try_into().ok()?))
            };
            let kind = *b.get(indices + i)? as usize;
            if kind >= types {
                return None;
            }
            out.push((from, offset(kind)?));
        }
        let end = infos + 6 * types + chars + (size + 4) * leap + isstd + isut;
        Some((out, end))
    }
    let (v1, end) = block(b, 0, false)?;
    if b.get(4).is_some_and(|v| *v >= b'2') {
        if let Some((v2, _)) = block(b, end, true) {
            return Some(v2);
        }
    }
    Some(v1)
}

impl JekyllSite {
    /// The settings of a collection, if the site has it.
    pub fn collection(&self, name: &str) -> Option<&JekyllCollection> {
        self.collection_settings.iter().find(|c| c.name == name)
    }
}

/// `_config.yml`, at the root or (GitHub Pages' "docs folder") in `docs/`.
pub(super) fn site(root: &Path) -> Result<Option<ForeignSite>> {
    let path = root.join("_config.yml");
    let (path, content_dir) = if path.is_file() {
        (path, ".")
    } else if root.join("docs/_config.yml").is_file() {
        (root.join("docs/_config.yml"), "docs")
    } else {
        return Ok(None);
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
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
        content_dir: content_dir.into(),
        static_dir: "_intark-no-static".into(),
        route_base: get("baseurl").unwrap_or_default(),
        base_url: get("url").unwrap_or_default(),
        output_dir: "_site".into(),
        // Jekyll themes (just-the-docs, minima) write `lang="en-US"` when `lang` is not set.
        language: "en".into(),
        description: get("description").unwrap_or_default(),
        ..ConfigFile::default()
    };
    if let Some(title) = get("title") {
        file.title = title;
    }
    if let Some(code) = get("lang").or_else(|| get("language")) {
        file.language = language(&code);
    }
    file.check = check_settings(&value, &path)?;
    let mut jekyll = model(&value);
    // A Gemfile naming `github-pages` builds as GitHub Pages does, with its default plugins.
    let github_pages = path
        .parent()
        .and_then(|dir| std::fs::read_to_string(dir.join("Gemfile")).ok())
        .is_some_and(|g| g.contains("\"github-pages\"") || g.contains("'github-pages'"));
    jekyll.optional_front_matter = plugin_on(
        &value,
        "jekyll-optional-front-matter",
        "optional_front_matter",
        github_pages,
    );
    jekyll.readme_index = plugin_on(&value, "jekyll-readme-index", "readme_index", github_pages);
    Ok(Some(ForeignSite {
        file,
        flavour: Flavour::Jekyll,
        jekyll: Some(jekyll),
        hugo: None,
        docusaurus: None,
    }))
}

/// The `intark.check` table of `_config.yml` (Jekyll ignores keys it does not know), with one
/// default of its own: `todo` is a warning. Jekyll has no such rule, and a real site's text says
/// "TODO" in examples and test pages, so on a site written for Jekyll the word alone must not stop
/// `build`. A site that wants it as an error says `intark: {check: {severity: {todo: error}}}`.
/// IntArk's own guide has an `intark.toml` and keeps `todo` an error.
fn check_settings(value: &serde_json::Value, path: &Path) -> Result<CheckConfig> {
    let mut check = match value.get("intark").and_then(|v| v.get("check")) {
        Some(table) => {
            serde_json::from_value::<CheckConfig>(table.clone()).map_err(|e| Error::Config {
                path: path.to_path_buf(),
                message: format!("`intark.check`: {e}"),
            })?
        }
        None => CheckConfig::default(),
    };
    check
        .severity
        .entry("todo".to_string())
        .or_insert(Level::Warning);
    Ok(check)
}

fn strings(v: Option<&serde_json::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Jekyll's model from the parsed `_config.yml`.
fn model(value: &serde_json::Value) -> JekyllSite {
    let mut settings: Vec<JekyllCollection> = match value.get("collections") {
        Some(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(name, meta)| JekyllCollection {
                name: name.clone(),
                output: meta.get("output").and_then(|o| o.as_bool()) == Some(true),
                permalink: meta
                    .get("permalink")
                    .and_then(|p| p.as_str())
                    .map(str::to_string),
            })
            .collect(),
        other => strings(other)
            .into_iter()
            .map(|name| JekyllCollection {
                name,
                ..JekyllCollection::default()
            })
            .collect(),
    };
    match settings.iter_mut().find(|c| c.name == "posts") {
        Some(posts) => posts.output = true,
        None => settings.push(JekyllCollection {
            name: "posts".into(),
            output: true,
            permalink: None,
        }),
    }
    let defaults = value
        .get("defaults")
        .and_then(|d| d.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|d| {
                    let permalink = d.get("values")?.get("permalink")?.as_str()?.to_string();
                    let scope = d.get("scope");
                    Some(JekyllDefault {
                        path: scope
                            .and_then(|s| s.get("path"))
                            .and_then(|p| p.as_str())
                            .unwrap_or("")
                            .trim_matches('/')
                            .to_string(),
                        kind: scope
                            .and_then(|s| s.get("type"))
                            .and_then(|t| t.as_str())
                            .map(str::to_string),
                        permalink,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    JekyllSite {
        exclude: strings(value.get("exclude")),
        include: strings(value.get("include")),
        collections: settings.iter().map(|c| c.name.clone()).collect(),
        collection_settings: settings,
        permalink: value
            .get("permalink")
            .and_then(|p| p.as_str())
            .unwrap_or("date")
            .to_string(),
        defaults,
        config: value.clone(),
        optional_front_matter: false,
        readme_index: false,
        utc_offsets: value
            .get("timezone")
            .and_then(|t| t.as_str())
            .map(read_zone)
            .unwrap_or_default(),
    }
}

/// Whether a plugin is on: listed in `plugins` (or the older `gems`), or one of the plugins GitHub
/// Pages turns on for a site built with the `github-pages` gem; and not `KEY: {enabled: false}`.
fn plugin_on(value: &serde_json::Value, plugin: &str, key: &str, github_pages: bool) -> bool {
    let listed = strings(value.get("plugins"))
        .iter()
        .chain(&strings(value.get("gems")))
        .any(|p| p == plugin);
    let disabled = value
        .get(key)
        .and_then(|o| o.get("enabled"))
        .and_then(|e| e.as_bool())
        == Some(false);
    (listed || github_pages) && !disabled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collections_permalinks_and_defaults_are_read() {
        let value = serde_json::json!({
            "permalink": "pretty",
            "collections": {"docs": {"output": true, "permalink": "/:collection/:name/"}, "notes": {}},
            "defaults": [{"scope": {"path": "guides", "type": "pages"}, "values": {"permalink": "/g/:basename/"}}]
        });
        let site = model(&value);
        assert_eq!(site.permalink, "pretty");
        let docs = site.collection("docs").unwrap();
        assert!(docs.output);
        assert_eq!(docs.permalink.as_deref(), Some("/:collection/:name/"));
        assert!(!site.collection("notes").unwrap().output);
        assert!(site.collection("posts").unwrap().output);
        assert_eq!(site.defaults[0].path, "guides");
        assert_eq!(site.defaults[0].kind.as_deref(), Some("pages"));
    }

    #[test]
    fn the_docs_folder_is_found_as_github_pages_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/_config.yml"), "title: T\n").unwrap();
        let site = site(dir.path()).unwrap().unwrap();
        assert_eq!(site.file.content_dir, std::path::PathBuf::from("docs"));
        assert_eq!(site.jekyll.unwrap().permalink, "date");
    }

    #[test]
    fn the_timezone_is_read_from_the_zone_database() {
        let site = model(&serde_json::json!({"timezone": "America/Los_Angeles"}));
        if site.utc_offsets.is_empty() {
            eprintln!("skipped: no /usr/share/zoneinfo/America/Los_Angeles here");
            return;
        }
        // 2013-05-06 00:12:52 UTC is summer time (UTC-7); 2018-01-01 00:00 UTC winter (UTC-8).
        assert_eq!(site.utc_offset_at(1_367_799_172), Some(-7 * 3600));
        assert_eq!(site.utc_offset_at(1_514_764_800), Some(-8 * 3600));
        assert!(model(&serde_json::json!({"timezone": "../../etc/passwd"}))
            .utc_offsets
            .is_empty());
        assert_eq!(model(&serde_json::json!({})).utc_offset_at(0), None);
    }

    #[test]
    fn github_pages_plugins_are_on_with_the_github_pages_gem_or_when_listed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("_config.yml"), "title: T\n").unwrap();
        let plain = site(dir.path()).unwrap().unwrap().jekyll.unwrap();
        assert!(!plain.optional_front_matter && !plain.readme_index);
        std::fs::write(
            dir.path().join("Gemfile"),
            "gem \"github-pages\", group: :jekyll_plugins\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("_config.yml"),
            "readme_index:\n  enabled: false\n",
        )
        .unwrap();
        let pages = site(dir.path()).unwrap().unwrap().jekyll.unwrap();
        assert!(pages.optional_front_matter && !pages.readme_index);
        std::fs::remove_file(dir.path().join("Gemfile")).unwrap();
        std::fs::write(
            dir.path().join("_config.yml"),
            "plugins: [jekyll-readme-index]\n",
        )
        .unwrap();
        let listed = site(dir.path()).unwrap().unwrap().jekyll.unwrap();
        assert!(!listed.optional_front_matter && listed.readme_index);
    }

    #[test]
    fn todo_is_a_warning_on_a_jekyll_site_unless_the_config_asks_for_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("_config.yml"), "title: T\n").unwrap();
        let file = site(dir.path()).unwrap().unwrap().file;
        assert_eq!(file.check.severity.get("todo"), Some(&Level::Warning));
        std::fs::write(
            dir.path().join("_config.yml"),
            "title: T\nintark:\n  check:\n    severity: {todo: error, broken-anchor: off}\n",
        )
        .unwrap();
        let file = site(dir.path()).unwrap().unwrap().file;
        assert_eq!(file.check.severity.get("todo"), Some(&Level::Error));
        assert_eq!(file.check.severity.get("broken-anchor"), Some(&Level::Off));
        std::fs::write(
            dir.path().join("_config.yml"),
            "intark:\n  check:\n    severty: {}\n",
        )
        .unwrap();
        let err = site(dir.path()).unwrap_err().to_string();
        assert!(err.contains("severty"), "{err}");
    }
}
