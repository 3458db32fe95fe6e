//! Hugo and Jekyll site roots without an `intark.toml`: their own config file names the content
//! folder, route base, title and language, and the [`Flavour`] tells later stages which dialect the
//! pages are written in.

use super::jekyll::JekyllSite;
use super::ConfigFile;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
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

/// One language of a Hugo site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HugoLanguage {
    /// Its code (`en`, `no`).
    pub code: String,
    /// Its content folder relative to the common content folder (`en`), or empty.
    pub dir: String,
    /// The route prefix of its pages (`/no`), empty for the default language at the root.
    pub prefix: String,
    /// Further content folders (relative to the common one) mounted for it after its own: their
    /// files are its pages too where its own folder has no file at the same path (Hugo's later
    /// mounts, shadowed by earlier ones: the `fr` site falling back to `content/en`).
    pub fallback: Vec<String>,
}

/// What a Hugo site's config says about URLs (<https://gohugo.io/content-management/urls/>).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HugoSite {
    /// Languages, the default first.
    pub languages: Vec<HugoLanguage>,
    /// `params`, for the `param` shortcode.
    pub params: serde_json::Value,
    /// `permalinks`: section → pattern (`blog` → `/:section/:year/:month/:day/:slug`).
    pub permalinks: Vec<(String, String)>,
    /// `disablePathToLower`: Hugo lower-cases page paths unless this is set.
    pub keep_case: bool,
    /// Folders of global resources (`assets/`, then each theme's), relative to the site root:
    /// `resources.Get` finds files there, as image and link render hooks use it.
    pub asset_dirs: Vec<String>,
    /// Taxonomies (their plural names, the front matter keys: `tags`, `categories`) with term pages
    /// (`/tags/upgrade/`) and list pages (`/tags/`); empty when `disableKinds` drops them.
    pub taxonomies: Vec<String>,
    /// `uglyURLs`: `("", on)` for the whole site, or `(section, on)` per section.
    pub ugly_urls: Vec<(String, bool)>,
    /// Shortcodes the site or its theme define as Go templates (`layouts/shortcodes/NAME.html`).
    pub go_shortcodes: Vec<String>,
}

impl HugoSite {
    /// Whether a file (path relative to the common content folder) is content: when every language
    /// has its own content folder (`content.en`, `content.zh` beside each other), files outside all
    /// of them (a theme, the config) are not.
    pub fn is_content(&self, rel: &str) -> bool {
        self.languages.iter().any(|l| {
            l.dir.is_empty()
                || rel
                    .strip_prefix(l.dir.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    }

    /// Whether regular pages of a section (its first folder) get ugly URLs (`/docs/a.html`).
    pub fn is_ugly(&self, section: &str) -> bool {
        let setting = |s: &str| {
            self.ugly_urls
                .iter()
                .find(|(k, _)| k == s)
                .map(|(_, on)| *on)
        };
        setting(section).or_else(|| setting("")).unwrap_or(false)
    }

    /// The language of a file (path relative to the content folder) and its path within that
    /// language's folder; a `name.CODE.md` file belongs to language `CODE` (Hugo's translation by
    /// file name).
    pub fn locate<'a>(&'a self, rel: &'a str) -> (Option<&'a HugoLanguage>, String) {
        let by_dir = self
            .languages
            .iter()
            .filter(|l| !l.dir.is_empty())
            .find(|l| {
                rel.strip_prefix(l.dir.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            });
        let (language, path) = match by_dir {
            Some(l) => (Some(l), &rel[l.dir.len() + 1..]),
            None => (self.languages.first(), rel),
        };
        let (folder, file) = path.rsplit_once('/').unwrap_or(("", path));
        let parts: Vec<&str> = file.split('.').collect();
        if parts.len() >= 3 {
            let code = parts[parts.len() - 2];
            if let Some(l) = self.languages.iter().find(|l| l.code == code) {
                let name = format!(
                    "{}.{}",
                    parts[..parts.len() - 2].join("."),
                    parts[parts.len() - 1]
                );
                let path = if folder.is_empty() {
                    name
                } else {
                    format!("{folder}/{name}")
                };
                return (Some(l), path);
            }
        }
        (language, path.to_string())
    }
}

/// What a foreign site root says: its settings, its flavour and its flavour's own model.
#[derive(Debug)]
pub(super) struct ForeignSite {
    pub(super) file: ConfigFile,
    pub(super) flavour: Flavour,
    pub(super) jekyll: Option<JekyllSite>,
    pub(super) hugo: Option<HugoSite>,
    pub(super) docusaurus: Option<super::DocusaurusSite>,
}

/// The settings of a Docusaurus, Hugo or Jekyll site root that has no `intark.toml`.
pub(super) fn site(root: &Path) -> Result<Option<ForeignSite>> {
    if let Some((file, site)) = super::docusaurus::read(root)? {
        return Ok(Some(ForeignSite {
            file,
            flavour: Flavour::Docusaurus,
            jekyll: None,
            hugo: None,
            docusaurus: Some(site),
        }));
    }
    if let Some(found) = hugo(root)? {
        return Ok(Some(found));
    }
    super::jekyll::site(root)
}

/// A site's language code as our two-letter UI language (`nb-NO` → `nb`, `no` → `nb`).
pub(super) fn language(code: &str) -> String {
    let code = code.to_ascii_lowercase();
    if code.starts_with("nn") {
        "nn".to_string()
    } else if code.starts_with("nb") || code.starts_with("no") {
        "nb".to_string()
    } else {
        code.split(['-', '_']).next().unwrap_or("nb").to_string()
    }
}

/// Hugo's config file names, in the order Hugo looks for them.
const HUGO_CONFIGS: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// Read a config file of any of Hugo's formats into JSON.
fn read_value(path: &Path, text: &str) -> Result<serde_json::Value> {
    let err = |message: String| Error::Config {
        path: path.to_path_buf(),
        message,
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => toml::from_str(text).map_err(|e| err(e.to_string())),
        Some("json") => serde_json::from_str(text).map_err(|e| err(e.to_string())),
        _ => crate::yaml::parse(text, &crate::limits::Limits::default())
            .map_err(|e| err(format!("{} at {}:{}", e.message, e.line, e.column))),
    }
}

/// A key of a Hugo config map; Hugo's keys are case-insensitive.
fn key<'v>(value: &'v serde_json::Value, name: &str) -> Option<&'v serde_json::Value> {
    value
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn key_str(value: &serde_json::Value, name: &str) -> Option<String> {
    key(value, name)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The path part of a base URL (`https://x.org/docs/` → `docs`; a relative one is all path).
fn base_path(base_url: &str) -> String {
    match url::Url::parse(base_url) {
        Ok(url) => percent_encoding::percent_decode_str(url.path())
            .decode_utf8_lossy()
            .trim_matches('/')
            .to_string(),
        Err(_) => base_url.trim_matches('/').to_string(),
    }
}

/// The Hugo config of a site root (`hugo.toml|yaml|json`, else `config.*`).
fn hugo(root: &Path) -> Result<Option<ForeignSite>> {
    // A config file at the root, else a config directory's `config/_default/hugo.*`
    // (<https://gohugo.io/configuration/introduction/#configuration-directory>).
    let candidates = HUGO_CONFIGS.iter().map(|name| root.join(name)).chain(
        HUGO_CONFIGS
            .iter()
            .map(|name| root.join("config/_default").join(name)),
    );
    for path in candidates {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut value = read_value(&path, &text)?;
        if path.starts_with(root.join("config")) {
            merge_config_dir(&path, &mut value)?;
        }
        let later_mounts = content_mounts(&mut value);
        let get = |k: &str| key_str(&value, k);
        let base_url = get("baseURL").unwrap_or_default();
        let path_part = base_path(&base_url);
        let content_dir = get("contentDir").unwrap_or_else(|| "content".into());
        let mut file = ConfigFile {
            content_dir: content_dir.clone().into(),
            static_dir: get("staticDir").unwrap_or_else(|| "static".into()).into(),
            route_base: format!("/{path_part}"),
            base_url: base_url
                .trim_end_matches('/')
                .trim_end_matches(path_part.as_str())
                .trim_end_matches('/')
                .to_string(),
            ..ConfigFile::default()
        };
        if let Some(title) = get("title") {
            file.title = title;
        }
        let id_type = key(&value, "markup")
            .and_then(|m| key(m, "goldmark"))
            .and_then(|g| key(g, "parser"))
            .and_then(|p| key(p, "autoHeadingIDType"))
            .and_then(|t| t.as_str());
        file.heading_ids = match id_type {
            Some("github-ascii") => crate::slug::Style::GithubAscii,
            Some("blackfriday") => crate::slug::Style::Blackfriday,
            _ => crate::slug::Style::Github,
        };
        let default_language = get("defaultContentLanguage").unwrap_or_else(|| "en".into());
        if let Some(code) = get("languageCode").or_else(|| Some(default_language.clone())) {
            file.language = language(&code);
        }
        let (common, mut languages) = languages(&value, &content_dir, &default_language);
        add_fallbacks(&mut languages, &common, &later_mounts);
        file.content_dir = common.into();
        let permalinks = key(&value, "permalinks")
            .and_then(|p| p.as_object())
            .map(|p| {
                p.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let theme = match key(&value, "theme") {
            Some(serde_json::Value::String(t)) => vec![t.clone()],
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        let mut go_shortcodes = shortcode_names(&root.join("layouts"));
        for t in &theme {
            go_shortcodes.extend(shortcode_names(
                &root.join("themes").join(t).join("layouts"),
            ));
        }
        let hugo = HugoSite {
            languages,
            params: key(&value, "params").cloned().unwrap_or_default(),
            permalinks,
            keep_case: key(&value, "disablePathToLower").and_then(|v| v.as_bool()) == Some(true),
            ugly_urls: ugly_urls(key(&value, "uglyURLs")),
            taxonomies: taxonomies(&value),
            asset_dirs: std::iter::once(get("assetDir").unwrap_or_else(|| "assets".into()))
                .chain(theme.iter().map(|t| format!("themes/{t}/assets")))
                .collect(),
            go_shortcodes,
        };
        return Ok(Some(ForeignSite {
            file,
            flavour: Flavour::Hugo,
            jekyll: None,
            hugo: Some(hugo),
            docusaurus: None,
        }));
    }
    Ok(None)
}

/// The other files of a config directory are the keys they are named after: `params.yaml` is
/// `params`, `languages.toml` is `languages` (per-environment and per-language files such as
/// `menus.en.yaml` change no URL and are left out).
fn merge_config_dir(main: &Path, value: &mut serde_json::Value) -> Result<()> {
    let Some(dir) = main.parent() else {
        return Ok(());
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for file in files {
        let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some((stem, ext)) = name.split_once('.') else {
            continue;
        };
        if file == main
            || matches!(stem, "hugo" | "config")
            || !matches!(ext, "toml" | "yaml" | "yml" | "json")
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let part = read_value(&file, &text)?;
        if let Some(map) = value.as_object_mut() {
            let slot = map
                .entry(stem.to_string())
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            merge_missing(slot, part);
        }
    }
    Ok(())
}

/// Content mounted into `content` by `module.mounts` is the content folder of the languages the
/// mount names (`lang: en`, or `sites: {matrix: {languages: [en]}}`), or of all of them; the first
/// mount of a language wins, as Hugo's first mount shadows the later ones
/// (<https://gohugo.io/configuration/module/#mounts>). Written into the config as `contentDir`
/// where the config does not set one; returns each language's later mounts (code → folders), in
/// mount order.
fn content_mounts(value: &mut serde_json::Value) -> BTreeMap<String, Vec<String>> {
    let mut later = BTreeMap::new();
    let Some(mounts) = key(value, "module")
        .and_then(|m| key(m, "mounts"))
        .and_then(|m| m.as_array())
    else {
        return later;
    };
    let mut found: Vec<(Option<Vec<String>>, String)> = Vec::new();
    for mount in mounts {
        let (Some(source), Some(target)) = (key_str(mount, "source"), key_str(mount, "target"))
        else {
            continue;
        };
        if target.trim_matches('/') != "content" || source.starts_with("..") {
            continue;
        }
        let languages = key_str(mount, "lang").map(|l| vec![l]).or_else(|| {
            key(mount, "sites")
                .and_then(|s| key(s, "matrix"))
                .and_then(|m| key(m, "languages"))
                .and_then(|l| l.as_array())
                .map(|l| {
                    l.iter()
                        .filter_map(|c| c.as_str().map(str::to_string))
                        .collect()
                })
        });
        found.push((languages, source.trim_matches('/').to_string()));
    }
    let all_for = |code: &str| -> Vec<String> {
        found
            .iter()
            .filter(|(langs, _)| langs.as_ref().is_none_or(|l| l.iter().any(|c| c == code)))
            .map(|(_, source)| source.clone())
            .collect()
    };
    let for_language = |code: &str| all_for(code).into_iter().next();
    let codes: Vec<String> = key(value, "languages")
        .and_then(|l| l.as_object())
        .map(|l| l.keys().cloned().collect())
        .unwrap_or_default();
    if codes.is_empty() {
        let default = key_str(value, "defaultContentLanguage").unwrap_or_else(|| "en".into());
        if let (Some(dir), None) = (for_language(&default), key(value, "contentDir")) {
            if let Some(map) = value.as_object_mut() {
                map.insert("contentDir".into(), dir.into());
            }
        }
        return later;
    }
    let languages = value
        .as_object_mut()
        .and_then(|m| {
            m.iter_mut()
                .find(|(k, _)| k.eq_ignore_ascii_case("languages"))
        })
        .and_then(|(_, l)| l.as_object_mut());
    for (code, settings) in languages.into_iter().flatten() {
        if key(settings, "contentDir").is_some() {
            continue;
        }
        let mut dirs = all_for(code).into_iter();
        if let (Some(dir), Some(map)) = (dirs.next(), settings.as_object_mut()) {
            map.insert("contentDir".into(), dir.into());
            later.insert(code.clone(), dirs.collect());
        }
    }
    later
}

/// The plural names of the site's taxonomies: `taxonomies` (singular → plural), by default `tags`
/// and `categories`; none when `disableKinds` lists `term`
/// (<https://gohugo.io/content-management/taxonomies/#default-taxonomies>).
fn taxonomies(value: &serde_json::Value) -> Vec<String> {
    let disabled = key(value, "disableKinds")
        .and_then(|d| d.as_array())
        .is_some_and(|d| {
            d.iter()
                .any(|k| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case("term")))
        });
    if disabled {
        return Vec::new();
    }
    match key(value, "taxonomies").and_then(|t| t.as_object()) {
        Some(map) => map
            .values()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        None => vec!["tags".into(), "categories".into()],
    }
}

/// `uglyURLs`: a boolean for the site or a map of sections to booleans
/// (<https://gohugo.io/content-management/urls/#appearance>).
fn ugly_urls(value: Option<&serde_json::Value>) -> Vec<(String, bool)> {
    match value {
        Some(serde_json::Value::Bool(on)) => vec![(String::new(), *on)],
        Some(serde_json::Value::Object(map)) => map
            .iter()
            .filter_map(|(k, v)| v.as_bool().map(|on| (k.clone(), on)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Give each language the folders of its later mounts that lie in the common content folder (other
/// than its own) as fallback folders.
fn add_fallbacks(
    languages: &mut [HugoLanguage],
    common: &str,
    later: &BTreeMap<String, Vec<String>>,
) {
    for language in languages.iter_mut() {
        for dir in later.get(&language.code).into_iter().flatten() {
            let dir = dir.trim_matches('/');
            let rel = if common == "." {
                Some(dir)
            } else {
                dir.strip_prefix(common).and_then(|r| r.strip_prefix('/'))
            };
            if let Some(rel) = rel.filter(|r| !r.is_empty() && *r != language.dir) {
                language.fallback.push(rel.to_string());
            }
        }
    }
}

/// Add the keys of `part` that `into` lacks, recursively (the main config file's keys win).
fn merge_missing(into: &mut serde_json::Value, part: serde_json::Value) {
    match (into, part) {
        (serde_json::Value::Object(into), serde_json::Value::Object(part)) => {
            for (k, v) in part {
                match into.get_mut(&k) {
                    Some(existing) => merge_missing(existing, v),
                    None => {
                        into.insert(k, v);
                    }
                }
            }
        }
        (into @ serde_json::Value::Null, part) => *into = part,
        _ => {}
    }
}

/// Shortcode names under a `layouts/` folder (`shortcodes/NAME.html`, `_shortcodes/…`, nested as
/// `blocks/cover`).
fn shortcode_names(layouts: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for dir in ["shortcodes", "_shortcodes"] {
        let base = layouts.join(dir);
        for entry in walkdir::WalkDir::new(&base)
            .max_depth(4)
            .into_iter()
            .flatten()
        {
            let Ok(rel) = entry.path().strip_prefix(&base) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if let Some(name) = rel
                .split('.')
                .next()
                .filter(|_| entry.file_type().is_file())
            {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The common content folder and the languages (default first) with their folders within it and
/// their route prefixes (<https://gohugo.io/content-management/multilingual/>).
fn languages(
    value: &serde_json::Value,
    content_dir: &str,
    default: &str,
) -> (String, Vec<HugoLanguage>) {
    let in_subdir =
        key(value, "defaultContentLanguageInSubdir").and_then(|v| v.as_bool()) == Some(true);
    let mut found: Vec<(String, String, f64)> = Vec::new();
    if let Some(map) = key(value, "languages").and_then(|l| l.as_object()) {
        for (code, settings) in map {
            let dir = key_str(settings, "contentDir").unwrap_or_else(|| content_dir.to_string());
            let weight = key(settings, "weight")
                .and_then(|w| w.as_f64())
                .unwrap_or(0.0);
            found.push((code.clone(), dir, weight));
        }
    }
    if !found.iter().any(|(c, _, _)| c == default) {
        found.push((default.to_string(), content_dir.to_string(), 0.0));
    }
    found.sort_by(|a, b| {
        (a.0 != default)
            .cmp(&(b.0 != default))
            .then(a.2.total_cmp(&b.2))
    });
    let dirs: Vec<String> = found
        .iter()
        .map(|(_, d, _)| d.trim_matches('/').to_string())
        .collect();
    let distinct = dirs.iter().collect::<std::collections::HashSet<_>>().len() == dirs.len();
    let common = if distinct && dirs.len() > 1 {
        common_folder(&dirs.iter().map(String::as_str).collect::<Vec<_>>())
    } else if dirs.iter().all(|d| d == &dirs[0]) {
        // One language (or all in one folder): its `contentDir` is the content folder.
        dirs[0].clone()
    } else {
        content_dir.trim_matches('/').to_string()
    };
    let multilingual = found.len() > 1;
    let languages = found
        .into_iter()
        .map(|(code, dir, _)| {
            let dir = dir.trim_matches('/');
            let dir = if distinct && dirs.len() > 1 {
                dir.strip_prefix(common.as_str())
                    .unwrap_or(dir)
                    .trim_matches('/')
                    .to_string()
            } else {
                String::new()
            };
            let prefix = if multilingual && (code != default || in_subdir) {
                format!("/{}", code.to_ascii_lowercase())
            } else {
                String::new()
            };
            HugoLanguage {
                code,
                dir,
                prefix,
                fallback: Vec::new(),
            }
        })
        .collect();
    (
        if common.is_empty() {
            ".".into()
        } else {
            common
        },
        languages,
    )
}

/// The longest common folder of `/`-separated paths.
fn common_folder(dirs: &[&str]) -> String {
    let mut common: Vec<&str> = dirs[0].split('/').collect();
    for d in &dirs[1..] {
        let parts: Vec<&str> = d.split('/').collect();
        let same = common
            .iter()
            .zip(&parts)
            .take_while(|(a, b)| a == b)
            .count();
        common.truncate(same);
    }
    common.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_with_their_own_content_folders_share_a_common_one() {
        let value = serde_json::json!({
            "defaultContentLanguage": "en",
            "languages": {"en": {}, "no": {"contentDir": "content/no", "weight": 2}}
        });
        let (common, langs) = languages(&value, "content/en", "en");
        assert_eq!(common, "content");
        assert_eq!(
            langs,
            [
                HugoLanguage {
                    code: "en".into(),
                    dir: "en".into(),
                    prefix: String::new(),
                    fallback: Vec::new(),
                },
                HugoLanguage {
                    code: "no".into(),
                    dir: "no".into(),
                    prefix: "/no".into(),
                    fallback: Vec::new(),
                },
            ]
        );
        let site = HugoSite {
            languages: langs,
            ..HugoSite::default()
        };
        assert_eq!(site.locate("no/docs/a.md").0.unwrap().code, "no");
        assert_eq!(site.locate("no/docs/a.md").1, "docs/a.md");
        assert_eq!(
            site.locate("en/x.no.md").0.unwrap().code,
            "no",
            "translation by file name"
        );
        assert_eq!(site.locate("en/x.no.md").1, "x.md");
    }

    #[test]
    fn default_language_in_subdir_gets_a_prefix_too() {
        let value = serde_json::json!({
            "defaultContentLanguageInSubdir": true,
            "languages": {"en": {}, "nb": {}}
        });
        let (common, langs) = languages(&value, "content", "en");
        assert_eq!(common, "content");
        let prefixes: Vec<_> = langs.iter().map(|l| l.prefix.as_str()).collect();
        assert_eq!(prefixes, ["/en", "/nb"]);
    }

    #[test]
    fn config_keys_are_case_insensitive_and_the_base_url_path_is_the_route_base() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("hugo.yaml"),
            "baseurl: https://example.org/docs/
title: T
",
        )
        .unwrap();
        let site = site(dir.path()).unwrap().unwrap();
        assert_eq!(site.file.route_base, "/docs");
        assert_eq!(site.file.base_url, "https://example.org");
    }

    #[test]
    fn a_config_directory_is_read_with_its_sibling_files_as_keys() {
        let dir = tempfile::tempdir().unwrap();
        let defaults = dir.path().join("config/_default");
        std::fs::create_dir_all(&defaults).unwrap();
        std::fs::write(
            defaults.join("hugo.yaml"),
            "baseURL: https://example.org/d/\nparams:\n  a: 1\n",
        )
        .unwrap();
        std::fs::write(defaults.join("params.yaml"), "a: 2\nb: 3\n").unwrap();
        std::fs::write(
            defaults.join("languages.toml"),
            "[en]\ncontentDir = 'content/en'\n[nb]\ncontentDir = 'content/nb'\n",
        )
        .unwrap();
        std::fs::write(defaults.join("menus.en.yaml"), "main: []\n").unwrap();
        let site = site(dir.path()).unwrap().unwrap();
        assert_eq!(site.file.route_base, "/d");
        let hugo = site.hugo.unwrap();
        let codes: Vec<_> = hugo.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "nb"]);
        assert_eq!(hugo.params, serde_json::json!({"a": 1, "b": 3}));
    }

    #[test]
    fn content_mounts_give_languages_their_content_folders() {
        let mut value = serde_json::json!({
            "languages": {"en": {}, "fr": {}},
            "module": {"mounts": [
                {"source": "content/fr", "target": "content", "sites": {"matrix": {"languages": ["fr"]}}},
                {"source": "content/en", "target": "content", "sites": {"matrix": {"languages": ["en", "fr"]}}},
                {"source": "../README.md", "target": "content/repo/README.md"}
            ]}
        });
        let later = content_mounts(&mut value);
        let (common, mut languages) = languages(&value, "content", "en");
        assert_eq!(common, "content");
        let dirs: Vec<_> = languages.iter().map(|l| l.dir.as_str()).collect();
        assert_eq!(dirs, ["en", "fr"]);
        add_fallbacks(&mut languages, &common, &later);
        assert!(languages[0].fallback.is_empty());
        assert_eq!(
            languages[1].fallback,
            ["en"],
            "fr falls back to the English folder"
        );
        let mut old_style = serde_json::json!({
            "module": {"mounts": [{"source": "docs", "target": "content", "lang": "en"}]}
        });
        content_mounts(&mut old_style);
        assert_eq!(old_style["contentDir"], "docs");
    }

    #[test]
    fn the_content_folder_of_a_single_language_is_its_content_dir() {
        let value = serde_json::json!({"languages": {"en": {"contentDir": "content/en"}}});
        let (common, languages) = languages(&value, "content", "en");
        assert_eq!(common, "content/en");
        assert_eq!(languages[0].dir, "");
    }

    #[test]
    fn files_outside_every_language_folder_are_not_content() {
        let value = serde_json::json!({
            "languages": {"en": {"contentDir": "content.en"}, "zh": {"contentDir": "content.zh"}}
        });
        let (common, languages) = languages(&value, "content", "en");
        assert_eq!(common, ".");
        let site = HugoSite {
            languages,
            ..HugoSite::default()
        };
        assert!(site.is_content("content.en/docs/a.md"));
        assert!(site.is_content("content.zh/_index.md"));
        assert!(!site.is_content("themes/book/README.md"));
        assert!(!site.is_content("hugo.toml"));
        // A language at the common folder itself claims everything in it.
        let (_, shared) = languages_of(
            serde_json::json!({"languages": {"en": {}, "nb": {"contentDir": "content/nb"}}}),
        );
        let site = HugoSite {
            languages: shared,
            ..HugoSite::default()
        };
        assert!(site.is_content("docs/a.md"));
    }

    #[test]
    fn ugly_urls_are_read_for_the_site_or_per_section() {
        let site = |v| HugoSite {
            ugly_urls: ugly_urls(Some(&v)),
            ..HugoSite::default()
        };
        assert!(site(serde_json::json!(true)).is_ugly("docs"));
        let per_section = site(serde_json::json!({"books": true, "films": false}));
        assert!(per_section.is_ugly("books"));
        assert!(!per_section.is_ugly("films"));
        assert!(!per_section.is_ugly("docs"));
    }

    #[test]
    fn taxonomies_default_to_tags_and_categories_unless_configured_or_disabled() {
        assert_eq!(taxonomies(&serde_json::json!({})), ["tags", "categories"]);
        assert_eq!(
            taxonomies(&serde_json::json!({"taxonomies": {"series": "series"}})),
            ["series"]
        );
        assert!(taxonomies(&serde_json::json!({"disableKinds": ["term"]})).is_empty());
    }

    fn languages_of(value: serde_json::Value) -> (String, Vec<HugoLanguage>) {
        languages(&value, "content", "en")
    }
}
