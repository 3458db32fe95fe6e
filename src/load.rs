//! Reading the site from disk: Markdown sources with their front matter and routes, files beside the
//! pages, the static folder, `_category_` files, and last-commit dates from git.
//!
//! Everything that touches the file system on the way in lives here; what it returns is plain data.
//! Problems in single files become findings; only a missing content folder stops the load.

use crate::config::Config;
use crate::diag::{Diagnostic, LineIndex, Span};
use crate::error::{Error, Result};
use crate::frontmatter;
use crate::limits::{Exceeded, Limits};
use crate::markdown::todo;
use crate::model::{Asset, Category, FrontMatter, Todo};
use crate::routes::{self, Resolver, MARKDOWN_EXTENSIONS};
use crate::yaml::YamlError;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A Markdown source read from disk, with its front matter parsed and its route known.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the content folder, `/`-separated.
    pub rel_path: String,
    /// Path relative to the site root.
    pub file: PathBuf,
    /// The text.
    pub text: String,
    /// Line starts of `text`.
    pub lines: LineIndex,
    /// Front matter.
    pub front: FrontMatter,
    /// Where the body starts.
    pub body_offset: usize,
    /// The route.
    pub route: String,
    /// Stands for its folder.
    pub is_index: bool,
    /// `sidebar_position`, else the number prefix of the file name.
    pub position: Option<f64>,
    /// TODO markers in the front matter.
    pub front_todos: Vec<Todo>,
    /// Modification time as a date (`YYYY-MM-DD`).
    pub mtime_date: Option<String>,
    /// The Hugo site this page belongs to (params and shortcodes its Markdown may call).
    pub hugo: Option<std::sync::Arc<crate::config::HugoSite>>,
}

/// What was found on disk.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Markdown sources, sorted by path.
    pub sources: Vec<Source>,
    /// Files beside the pages and in the static folder.
    pub assets: Vec<Asset>,
    /// `_category_` settings by folder (relative to the content folder).
    pub categories: HashMap<String, Category>,
    /// Findings made while reading.
    pub diagnostics: Vec<Diagnostic>,
}

/// The rule name of findings in Jekyll's `_data/` files.
pub const DATA_RULE: &str = "data-file";

/// Read the content and static folders.
pub fn load(config: &Config, todo_words: &todo::Words) -> Result<Loaded> {
    if !config.content_dir.is_dir() {
        return Err(Error::MissingContent(config.content_dir.clone()));
    }
    let mut loaded = Loaded::default();
    let mut markdown_paths = Vec::new();
    let mut outside = Vec::new();
    for entry in walk(config, &config.content_dir, &mut outside) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| config.content_dir.clone());
                loaded.diagnostics.push(Diagnostic::error(
                    "io",
                    Span::file_start(config.relative(&path)),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.into_path();
        let rel = rel_slash(&path, &config.content_dir);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.')
            || rel.split('/').any(|s| s.starts_with('.'))
            || path.starts_with(&config.output_dir)
            || !jekyll_publishes(config, &rel)
            || config.hugo.as_ref().is_some_and(|h| !h.is_content(&rel))
            || docusaurus_excluded(config, &rel)
        {
            continue;
        }
        if name.starts_with("_category_.") {
            let folder = rel.rsplit_once('/').map_or("", |(f, _)| f).to_string();
            match read_category(&path, &config.file.limits) {
                Ok(category) => {
                    loaded.categories.insert(folder, category);
                }
                Err(message) => loaded.diagnostics.push(
                    Diagnostic::error(
                        frontmatter::RULE,
                        Span::file_start(config.relative(&path)),
                        message,
                    )
                    .with_hint("`_category_` files hold `label` and `position`"),
                ),
            }
        } else if (is_markdown(&path) && !jekyll_static(config, &path))
            || jekyll_html_page(config, &path)
        {
            markdown_paths.push((path, rel));
        } else {
            loaded.assets.push(Asset {
                url: Resolver::content_asset_url(&config.route_base, &rel),
                source: path,
                made: None,
            });
        }
    }
    hugo_leaf_bundle_files(config, &mut markdown_paths);
    hugo_fallbacks(config, &mut markdown_paths);
    let read: Vec<_> = markdown_paths
        .into_par_iter()
        .map(|(path, rel)| read_source(config, &path, rel, todo_words))
        .collect();
    for result in read {
        match result {
            Ok((source, diagnostics)) => {
                loaded.diagnostics.extend(diagnostics);
                loaded.sources.push(source);
            }
            Err(diagnostic) => loaded.diagnostics.push(diagnostic),
        }
    }
    if config.static_dir.is_dir() {
        for entry in walk(config, &config.static_dir, &mut outside) {
            let Ok(entry) = entry else { continue };
            if entry.file_type().is_file() {
                let path = entry.into_path();
                let rel = rel_slash(&path, &config.static_dir);
                if path.starts_with(&config.output_dir)
                    || !static_publishes(&config.file.static_files.include_hidden, &rel)
                {
                    continue;
                }
                loaded.assets.push(Asset {
                    url: format!("/{rel}"),
                    source: path,
                    made: None,
                });
            }
        }
    }
    let data = check_data_files(config, &mut outside);
    loaded.diagnostics.extend(data);
    loaded.diagnostics.extend(outside);
    hugo_asset_urls(config, &mut loaded);
    hugo_global_resources(config, &mut loaded.assets);
    hugo_taxonomy_pages(config, &mut loaded.sources);
    Ok(loaded)
}

/// Hugo's taxonomy pages, per language: a term page (`/tags/upgrade/`) listing the pages whose
/// front matter names the term, and the taxonomy's page (`/tags/`) listing its terms
/// (<https://gohugo.io/content-management/taxonomies/>). Made as Markdown lists, so they render,
/// get their links checked and find their place like any page; a route the content already has
/// (`content/tags/_index.md`) is left to it.
fn hugo_taxonomy_pages(config: &Config, sources: &mut Vec<Source>) {
    let Some(hugo) = &config.hugo else {
        return;
    };
    let taken: std::collections::HashSet<String> =
        sources.iter().map(|s| s.route.clone()).collect();
    let mut made = Vec::new();
    for language in &hugo.languages {
        let of_language = |s: &&Source| {
            hugo.languages.len() < 2 || s.front.lang.as_deref() == Some(language.code.as_str())
        };
        let base = routes::join_route(&config.route_base, &language.prefix);
        for plural in &hugo.taxonomies {
            // term (as first written) → its pages (title, route)
            let mut terms: std::collections::BTreeMap<String, (String, Vec<(String, String)>)> =
                std::collections::BTreeMap::new();
            for source in sources
                .iter()
                .filter(of_language)
                .filter(|s| !s.front.draft)
            {
                let named: Vec<String> = match source.front.extra.get(plural.as_str()) {
                    _ if plural == "tags" => source.front.tags.clone(),
                    Some(serde_json::Value::Array(list)) => list
                        .iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect(),
                    Some(serde_json::Value::String(one)) => vec![one.clone()],
                    _ => Vec::new(),
                };
                for term in named {
                    // Hugo's term key: urlized, lower-cased unless `disablePathToLower`.
                    let slug = term.trim().replace(' ', "-");
                    let slug = if hugo.keep_case {
                        slug
                    } else {
                        slug.to_lowercase()
                    };
                    if slug.is_empty() {
                        continue;
                    }
                    let title = source
                        .front
                        .title
                        .clone()
                        .unwrap_or_else(|| source.route.clone());
                    terms
                        .entry(slug)
                        .or_insert_with(|| (term.clone(), Vec::new()))
                        .1
                        .push((title, source.route.clone()));
                }
            }
            if terms.is_empty() {
                continue;
            }
            let folder = if language.dir.is_empty() {
                plural.clone()
            } else {
                format!("{}/{plural}", language.dir)
            };
            let list_route = routes::join_route(&base, plural);
            let mut list = Vec::new();
            for (slug, (term, pages)) in &terms {
                let route = routes::join_route(&list_route, slug);
                list.push((term.clone(), route.clone()));
                made.push(generated_source(
                    config,
                    hugo,
                    language,
                    format!("{folder}/{slug}/_index.md"),
                    route,
                    term,
                    pages,
                ));
            }
            made.push(generated_source(
                config,
                hugo,
                language,
                format!("{folder}/_index.md"),
                list_route,
                plural,
                &list,
            ));
        }
    }
    sources.extend(made.into_iter().filter(|s| !taken.contains(&s.route)));
}

/// A page made from a title and a list of links, as if read from `rel_path`.
fn generated_source(
    config: &Config,
    hugo: &std::sync::Arc<crate::config::HugoSite>,
    language: &crate::config::HugoLanguage,
    rel_path: String,
    route: String,
    title: &str,
    links: &[(String, String)],
) -> Source {
    let mut text = String::new();
    for (label, to) in links {
        let label = label
            .replace('\\', "\\\\")
            .replace('[', "\\[")
            .replace(']', "\\]");
        text.push_str(&format!("- [{label}](<{to}>)\n"));
    }
    let mut chars = title.chars();
    let title = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>())
        .unwrap_or_default();
    Source {
        file: config
            .relative(&config.content_dir.join(&rel_path))
            .to_path_buf(),
        rel_path,
        lines: LineIndex::new(&text),
        text,
        front: FrontMatter {
            title: Some(title),
            lang: (hugo.languages.len() > 1).then(|| language.code.clone()),
            ..FrontMatter::default()
        },
        body_offset: 0,
        route,
        is_index: true,
        position: None,
        front_todos: Vec::new(),
        mtime_date: None,
        hugo: Some(hugo.clone()),
    }
}

/// The images among a Hugo site's global resources (`assets/`, then each theme's): published at
/// their path under the base URL's path, as `resources.Get(…).RelPermalink` publishes them when the
/// image and link render hooks of Hugo and the common themes find them (the site's own file
/// shadows a theme's). Other files there (styles, scripts) are inputs of Hugo Pipes, not pages'
/// files.
fn hugo_global_resources(config: &Config, assets: &mut Vec<Asset>) {
    let Some(hugo) = &config.hugo else {
        return;
    };
    let mut taken: std::collections::HashSet<String> =
        assets.iter().map(|a| a.url.clone()).collect();
    for dir in &hugo.asset_dirs {
        let dir = config.root.join(dir);
        if !dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
            let path = entry.path();
            let image = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            if !entry.file_type().is_file() || !image {
                continue;
            }
            let rel = rel_slash(path, &dir);
            let url = format!("{}/{rel}", config.route_base.trim_end_matches('/'));
            if taken.insert(url.clone()) {
                assets.push(Asset {
                    url,
                    source: path.to_path_buf(),
                    made: None,
                });
            }
        }
    }
}

/// Extensions of the global resources [`hugo_global_resources`] publishes.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico"];

/// In Hugo, every file below a leaf bundle (a folder with `index.md`) is a resource of that page,
/// Markdown files too: they are no pages (a shortcode such as `readfile` may read them).
/// (<https://gohugo.io/content-management/page-bundles/#leaf-bundles>)
fn hugo_leaf_bundle_files(config: &Config, markdown_paths: &mut Vec<(PathBuf, String)>) {
    let Some(hugo) = &config.hugo else {
        return;
    };
    // An `index.md` at the root of the content (or of a language's folder) is the home page.
    let roots: Vec<&str> = hugo.languages.iter().map(|l| l.dir.as_str()).collect();
    let is_leaf_index = |rel: &str| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        name.starts_with("index.")
    };
    let leaves: std::collections::HashSet<&str> = markdown_paths
        .iter()
        .filter(|(_, rel)| is_leaf_index(rel))
        .map(|(_, rel)| rel.rsplit_once('/').map_or("", |(folder, _)| folder))
        .filter(|folder| !folder.is_empty() && !roots.contains(folder))
        .collect();
    let below_leaf = |rel: &str| {
        if is_leaf_index(rel) {
            // The bundle's own page; a leaf bundle inside another is a resource too.
            let folder = rel.rsplit_once('/').map_or("", |(f, _)| f);
            return ancestors(folder).skip(1).any(|f| leaves.contains(f));
        }
        ancestors(rel).skip(1).any(|f| leaves.contains(f))
    };
    let kept: Vec<_> = markdown_paths
        .iter()
        .filter(|(_, rel)| !below_leaf(rel))
        .cloned()
        .collect();
    *markdown_paths = kept;
}

/// `a/b/c` → `a/b/c`, `a/b`, `a`, `` (the path itself, then each folder above it).
fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(rel), |r| {
        (!r.is_empty()).then(|| r.rsplit_once('/').map_or("", |(f, _)| f))
    })
}

/// A Hugo language with fallback folders (a later content mount, such as `content/en` for the `fr`
/// site) gets a page for every Markdown file there that its own folder lacks: the same file, read
/// as if it were at the same path in its own folder (so its language, route and relative links are
/// the language's). Files beside them stay where they are; links reach them through the
/// resolver's fallback folders.
fn hugo_fallbacks(config: &Config, markdown_paths: &mut Vec<(PathBuf, String)>) {
    let Some(hugo) = &config.hugo else {
        return;
    };
    let mut taken: std::collections::HashSet<String> =
        markdown_paths.iter().map(|(_, rel)| rel.clone()).collect();
    let mut pages = Vec::new();
    for language in hugo.languages.iter().filter(|l| !l.dir.is_empty()) {
        for fallback in &language.fallback {
            for (path, rel) in markdown_paths.iter() {
                let Some(rest) = rel
                    .strip_prefix(fallback.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                else {
                    continue;
                };
                let moved = format!("{}/{rest}", language.dir);
                if taken.insert(moved.clone()) {
                    pages.push((path.clone(), moved));
                }
            }
        }
    }
    markdown_paths.extend(pages);
}

/// Read one Markdown file of the content folder.
pub fn read_source(
    config: &Config,
    path: &Path,
    rel_path: String,
    todo_words: &todo::Words,
) -> Result<(Source, Vec<Diagnostic>), Diagnostic> {
    let file = config.relative(path).to_path_buf();
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if let Some(message) = crate::limits::check_file_size(&config.file.limits, size) {
        return Err(Diagnostic::error("io", Span::file_start(&file), message)
            .with_hint(Exceeded::FileBytes.hint()));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error("io", Span::file_start(&file), format!("cannot read: {e}"))
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            let span = LineIndex::new(&prefix).span(&file, &prefix, valid);
            return Err(
                Diagnostic::error("encoding", span, "the file is not valid UTF-8").with_hint(
                    "save the file as UTF-8 (most editors offer this under «Save with encoding»)",
                ),
            );
        }
    };
    let lines = LineIndex::new(&text);
    let (mut front, body_offset, diagnostics) =
        frontmatter::parse(&file, &text, &lines, &config.file.limits);
    let (route, is_index) = match (&config.hugo, &config.jekyll) {
        (Some(hugo), _) => hugo_route(config, hugo, &rel_path, &mut front),
        (None, Some(jekyll)) => {
            let readme = jekyll_readme_index(config, jekyll, &rel_path, text.starts_with("---"));
            match readme {
                Some(route) => (route, true),
                None => jekyll_route(config, jekyll, &rel_path, &mut front),
            }
        }
        (None, None) => {
            // Docusaurus: front matter `id` names the URL's last segment where no `slug` does
            // (plugin-content-docs `docs.ts`: `baseID = frontMatter.id ?? fileName`; `slug.ts`:
            // the slug is `baseID` under the folder), except on a folder's index page.
            let id = config
                .docusaurus
                .as_ref()
                .and_then(|_| front.extra.get("id")?.as_str())
                .filter(|_| !docusaurus_category_index(&rel_path));
            // A doc named as its folder (`guide/guide.md`) stands for the folder there too.
            let path = match rel_path.rsplit_once('/') {
                Some((folder, _))
                    if config.docusaurus.is_some() && docusaurus_category_index(&rel_path) =>
                {
                    format!("{folder}/index.md")
                }
                _ => route_path(config, &rel_path).into_owned(),
            };
            routes::page_route(&config.route_base, &path, front.slug.as_deref().or(id))
        }
    };
    let route = match &config.docusaurus {
        Some(docusaurus) => {
            let slash_slug = front
                .slug
                .as_deref()
                .is_some_and(|s| s.trim().ends_with('/'));
            docusaurus.route(route, is_index || slash_slug)
        }
        None => route,
    };
    let stem = rel_path.rsplit('/').next().unwrap_or_default();
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let position = front
        .sidebar_position
        .or_else(|| routes::strip_number_prefix(stem).1);
    let front_todos = todo_words
        .find(&text[..body_offset])
        .into_iter()
        .map(|f| Todo {
            word: f.word.to_string(),
            text: f.text,
            offset: f.offset,
            hidden: false,
        })
        .collect();
    let mtime_date = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(date_of);
    Ok((
        Source {
            rel_path,
            file,
            text,
            lines,
            front,
            body_offset,
            route,
            is_index,
            position,
            front_todos,
            mtime_date,
            hugo: config.hugo.clone(),
        },
        diagnostics,
    ))
}

/// jekyll-readme-index: a `README.md` (without front matter, unless `with_frontmatter`) is the
/// index of a folder that has none; its route is the folder's.
fn jekyll_readme_index(
    config: &Config,
    site: &crate::config::JekyllSite,
    rel_path: &str,
    has_front: bool,
) -> Option<String> {
    let (dir, name) = rel_path.rsplit_once('/').unwrap_or(("", rel_path));
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let with_front = site
        .config
        .get("readme_index")
        .and_then(|o| o.get("with_frontmatter"))
        .and_then(|w| w.as_bool())
        == Some(true);
    if !site.readme_index
        || !stem.eq_ignore_ascii_case("readme")
        || (has_front && !with_front)
        || dir.starts_with('_')
        || jekyll_folder_has_index(&config.content_dir.join(dir))
    {
        return None;
    }
    let url = if dir.is_empty() {
        "/".to_string()
    } else {
        format!("/{dir}/")
    };
    Some(crate::permalink::route(&config.route_base, &url))
}

/// Whether a folder has an index page of its own (`index.md`, `index.html`, …).
fn jekyll_folder_has_index(dir: &Path) -> bool {
    ["md", "markdown", "html", "htm", "xhtml", "xml"]
        .iter()
        .any(|ext| dir.join(format!("index.{ext}")).is_file())
}

/// Jekyll's route of a page: its URL under the route base, `/x` as the file `/x.html`.
fn jekyll_route(
    config: &Config,
    site: &crate::config::JekyllSite,
    rel_path: &str,
    front: &mut FrontMatter,
) -> (String, bool) {
    // jekyll-redirect-from: the old URLs are under `baseurl` too.
    // A URL without a trailing slash names a file (`/old` → `/old.html`), as for pages.
    for from in &mut front.redirect_from {
        if from.starts_with('/') {
            *from = crate::permalink::route(&config.route_base, from);
        }
    }
    let text = |key: &str| front.extra.get(key).and_then(|v| v.as_str());
    let categories: Vec<String> = match front
        .extra
        .get("categories")
        .or_else(|| front.extra.get("category"))
    {
        Some(serde_json::Value::Array(list)) => list
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        _ => Vec::new(),
    };
    let source = crate::permalink::Source {
        path: rel_path,
        permalink: text("permalink"),
        slug: text("slug"),
        date: text("date"),
        categories: &categories,
    };
    let url = crate::permalink::url(site, &source);
    let stem = rel_path.rsplit('/').next().unwrap_or_default();
    let is_index = stem.rsplit_once('.').map_or(stem, |(s, _)| s) == "index";
    (crate::permalink::route(&config.route_base, &url), is_index)
}

/// Hugo's route of a page: its language's prefix, then Hugo's URL rules; the page's language is
/// its language's code unless its front matter says otherwise.
fn hugo_route(
    config: &Config,
    hugo: &crate::config::HugoSite,
    rel_path: &str,
    front: &mut FrontMatter,
) -> (String, bool) {
    let (language, path) = hugo.locate(rel_path);
    let prefix = language.map_or("", |l| l.prefix.as_str());
    if let Some(l) = language.filter(|_| hugo.languages.len() > 1) {
        front.lang.get_or_insert_with(|| l.code.clone());
    }
    let base = routes::join_route(&config.route_base, prefix);
    let text = |key: &str| front.extra.get(key).and_then(|v| v.as_str());
    // A headless bundle, or `build: {render: never}`, has no page of its own.
    let flag = |v: Option<&serde_json::Value>| {
        v.is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"))
    };
    let never = |v: Option<&serde_json::Value>| {
        v.and_then(|b| b.get("render"))
            .is_some_and(|r| r.as_bool() == Some(false) || r.as_str() == Some("never"))
    };
    if flag(front.extra.get("headless"))
        || never(front.extra.get("build"))
        || never(front.extra.get("_build"))
    {
        front.draft = true;
    }
    // The default language's home is also at `/<code>/` when it is not in a subfolder (Hugo
    // writes a redirect there).
    if let Some(l) = language.filter(|l| hugo.languages.len() > 1 && l.prefix.is_empty()) {
        if path == "_index.md" {
            front.redirect_from.push(format!("/{}/", l.code));
        }
    }
    // Aliases are published under the base URL's path and the page's language prefix.
    for alias in &mut front.redirect_from {
        if alias.starts_with('/') {
            *alias = routes::join_route(&base, alias);
        }
    }
    let page = routes::HugoPage {
        base: base.trim_end_matches('/'),
        root: &config.route_base,
        path: &path,
        url: text("url"),
        slug: front.slug.as_deref(),
        title: front.title.as_deref(),
        date: text("date"),
        permalinks: &hugo.permalinks,
        keep_case: hugo.keep_case,
        ugly: hugo.is_ugly(path.split_once('/').map_or("", |(section, _)| section)),
    };
    routes::hugo_page_route(&page)
}

/// The route of the page a folder without an index page gets, as the site's flavour gives it; `None`
/// where the flavour makes no page (Hugo lists only top-level sections without an `_index.md`;
/// Jekyll none).
pub fn folder_route(config: &Config, folder: &str) -> Option<String> {
    // Jekyll makes no page for a folder.
    if config.jekyll.is_some() {
        return None;
    }
    match &config.hugo {
        Some(hugo) => {
            let rel = format!("{folder}/_index.md");
            let (_, path) = hugo.locate(&rel);
            if path.matches('/').count() > 1 {
                return None;
            }
            Some(hugo_route(config, hugo, &rel, &mut FrontMatter::default()).0)
        }
        None => Some(routes::page_route(&config.route_base, &format!("{folder}/index.md"), None).0),
    }
}

/// Where Hugo publishes files beside pages: under the route of the nearest page bundle above them
/// (a leaf `index.md` or a branch `_index.md`), else under the language's root.
/// (<https://gohugo.io/content-management/page-bundles/>)
pub fn hugo_asset_urls(config: &Config, loaded: &mut Loaded) {
    let Some(hugo) = &config.hugo else {
        return;
    };
    let bundles: HashMap<&str, &str> = loaded
        .sources
        .iter()
        .filter(|s| s.is_index)
        .map(|s| {
            let folder = s.rel_path.rsplit_once('/').map_or("", |(f, _)| f);
            (folder, s.route.as_str())
        })
        .collect();
    for asset in &mut loaded.assets {
        let Ok(rel) = asset.source.strip_prefix(&config.content_dir) else {
            continue;
        };
        let rel = rel_slash(rel, Path::new(""));
        let mut folder = rel.as_str();
        let url = loop {
            folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
            if let Some(route) = bundles.get(folder) {
                let rest = rel[folder.len()..].trim_start_matches('/');
                // An ugly URL's resources are in the folder of its name (`/docs/b.html` → `/docs/b/`).
                let route = route
                    .strip_suffix(".html")
                    .map_or_else(|| route.to_string(), |r| format!("{r}/"));
                break Some(format!("{route}{rest}"));
            }
            if folder.is_empty() {
                break None;
            }
        };
        asset.url = url.unwrap_or_else(|| {
            let (language, path) = hugo.locate(&rel);
            let prefix = language.map_or("", |l| l.prefix.as_str());
            let base = routes::join_route(&config.route_base, prefix);
            format!("{base}{path}")
        });
    }
}

/// Walk a folder in name order, following links but leaving out (and reporting) those that lead
/// outside the site root.
fn walk<'a>(
    config: &'a Config,
    dir: &Path,
    outside: &'a mut Vec<Diagnostic>,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> + 'a {
    WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| match escapes_root(config, e) {
            Some(finding) => {
                outside.push(finding);
                false
            }
            None => true,
        })
}

/// Whether a file of the static folder (path relative to it) is published: dotfiles and dot-folders
/// (`.env`, `.git/`) only when `[static] include_hidden` lists them, each hidden part on its own
/// (`.well-known` publishes `.well-known/security.txt`, not `.well-known/.env`).
fn static_publishes(include_hidden: &[String], rel: &str) -> bool {
    let mut end = 0;
    rel.split('/').all(|part| {
        end += part.len();
        let prefix = rel.get(..end).unwrap_or(rel);
        end += 1;
        !part.starts_with('.')
            || include_hidden
                .iter()
                .any(|listed| listed.trim_matches('/') == prefix)
    })
}

/// Whether a file of a Jekyll site is part of it: not in a `_` folder (except collections), not
/// excluded, not Jekyll's own files. Always true for other sites.
fn jekyll_publishes(config: &Config, rel: &str) -> bool {
    let Some(site) = &config.jekyll else {
        return true;
    };
    let listed = |list: &[String]| {
        list.iter().any(|e| {
            let e = e.trim_matches('/');
            rel == e
                || rel.starts_with(&format!("{e}/"))
                || globset::Glob::new(e).is_ok_and(|g| {
                    let m = g.compile_matcher();
                    m.is_match(rel) || rel.split('/').any(|part| m.is_match(part))
                })
        })
    };
    if listed(&site.include) {
        return true;
    }
    let first = rel.split('/').next().unwrap_or_default();
    // A collection folder holds pages only with `output: true`.
    if let Some(collection) = first.strip_prefix('_') {
        return rel.contains('/')
            && site.collection(collection).is_some_and(|c| c.output)
            && !listed(&site.exclude);
    }
    // Jekyll's own files and default excludes; names starting with `_`, `#` or ending in `~`.
    const JEKYLL_FILES: [&str; 7] = [
        "Gemfile",
        "Gemfile.lock",
        "node_modules",
        "vendor",
        "intark.toml",
        ".sass-cache",
        ".jekyll-cache",
    ];
    !JEKYLL_FILES.contains(&first)
        && !rel
            .split('/')
            .any(|part| part.starts_with(['_', '#']) || part.ends_with('~'))
        && !listed(&site.exclude)
}

/// Whether the Docusaurus docs plugin leaves a Markdown file out: its default `exclude`
/// (`**/_*.{js,jsx,ts,tsx,md,mdx}`, `**/_*/**`, `options.ts` of plugin-content-docs) makes files
/// and folders whose name starts with `_` partials that other pages import, not pages.
fn docusaurus_excluded(config: &Config, rel: &str) -> bool {
    config.docusaurus.is_some()
        && is_markdown(Path::new(rel))
        && rel.split('/').any(|segment| segment.starts_with('_'))
}

/// Whether a file starts with front matter (`---`, after a byte order mark).
fn starts_with_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    head.strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(head)
        .starts_with(b"---")
}

/// Whether a file of a Jekyll site is a page written in HTML: `.html` with front matter, which
/// Jekyll renders (Liquid, then the layout) and publishes at its permalink; or any other file
/// with front matter but Markdown whose URL is an HTML file (`assets/search.liquid` with
/// `permalink: /search.html`): Jekyll makes every file with front matter a page, written with
/// its permalink's extension when it has one, else its own (`Renderer#output_ext`), so only those
/// are HTML pages; the others (`style.scss`, `feed.xml`) stay files.
fn jekyll_html_page(config: &Config, path: &Path) -> bool {
    let Some(site) = &config.jekyll else {
        return false;
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if is_markdown(path) || !starts_with_front_matter(path) {
        return false;
    }
    if ext == "html" || ext == "htm" {
        return true;
    }
    let rel = rel_slash(path, &config.content_dir);
    if crate::permalink::is_markdown(&rel) {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let (mut front, _, _) = frontmatter::parse(
        config.relative(path),
        &text,
        &LineIndex::new(&text),
        &config.file.limits,
    );
    if front.extra.get("permalink").is_none() {
        return false;
    }
    let (route, _) = jekyll_route(config, site, &rel, &mut front);
    route.ends_with(".html") || route.ends_with(".htm")
}

/// Whether a Markdown file of a Jekyll site is copied as it is: Jekyll renders only files that
/// start with front matter (`---`); others are static files.
fn jekyll_static(config: &Config, path: &Path) -> bool {
    let Some(site) = &config.jekyll else {
        return false;
    };
    if starts_with_front_matter(path) {
        return false;
    }
    // jekyll-optional-front-matter makes the rest pages too, except the files of its list;
    // jekyll-readme-index makes a README its folder's index.
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_ascii_uppercase();
    const NOT_PAGES: [&str; 8] = [
        "README",
        "LICENSE",
        "LICENCE",
        "COPYING",
        "CODE_OF_CONDUCT",
        "CONTRIBUTING",
        "ISSUE_TEMPLATE",
        "PULL_REQUEST_TEMPLATE",
    ];
    let optional = site.optional_front_matter && !NOT_PAGES.contains(&stem.as_str());
    let readme = site.readme_index
        && stem == "README"
        && path
            .parent()
            .is_some_and(|dir| !jekyll_folder_has_index(dir));
    !(optional || readme)
}

/// The path a page's route is made from: a Jekyll collection folder `_docs/` publishes at `docs/`.
/// Docusaurus's `isCategoryIndex` (plugin-content-docs `docs.ts`): `index`, `README` or the
/// folder's own name, in any case.
fn docusaurus_category_index(rel_path: &str) -> bool {
    let (folder, file) = rel_path.rsplit_once('/').unwrap_or(("", rel_path));
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let folder = folder.rsplit('/').next().unwrap_or_default();
    stem.eq_ignore_ascii_case("index")
        || stem.eq_ignore_ascii_case("readme")
        || (!folder.is_empty() && stem.eq_ignore_ascii_case(folder))
}

fn route_path<'r>(config: &Config, rel: &'r str) -> std::borrow::Cow<'r, str> {
    match (&config.jekyll, rel.strip_prefix('_')) {
        (Some(_), Some(rest)) => std::borrow::Cow::Owned(rest.to_string()),
        _ => std::borrow::Cow::Borrowed(rel),
    }
}

/// A finding for a file reached through a symbolic link that leads outside the site root: such files
/// are left out, so neither the build nor the dev server ever publishes them.
fn escapes_root(config: &Config, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
    if !entry.path_is_symlink() {
        return None;
    }
    let root = std::fs::canonicalize(&config.root).ok()?;
    let real = std::fs::canonicalize(entry.path()).ok()?;
    if real.starts_with(&root) {
        return None;
    }
    Some(
        Diagnostic::warning(
            "io",
            Span::file_start(config.relative(entry.path())),
            format!(
                "`{}` is a link to `{}`, outside the site; it is left out",
                config.relative(entry.path()).display(),
                real.display()
            ),
        )
        .with_hint("copy the file into the site instead of linking to it"),
    )
}

/// Whether a path is a Markdown page.
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e))
}

fn rel_slash(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_category(path: &Path, limits: &Limits) -> std::result::Result<Category, String> {
    let value = read_data(path, limits).map_err(|e| e.message)?;
    Ok(Category {
        label: value
            .get("label")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        position: value.get("position").and_then(serde_json::Value::as_f64),
        collapsed: value.get("collapsed").and_then(serde_json::Value::as_bool),
        generated_index: value
            .get("link")
            .and_then(crate::sidebars::GeneratedIndex::of_link),
    })
}

/// Read a JSON or YAML data file within `limits`; errors carry their line and column.
fn read_data(path: &Path, limits: &Limits) -> std::result::Result<serde_json::Value, YamlError> {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let whole_file = |message: String, exceeded| YamlError {
        message,
        line: 1,
        column: 1,
        exceeded,
    };
    if let Some(message) = crate::limits::check_file_size(limits, size) {
        return Err(whole_file(message, Some(Exceeded::FileBytes)));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| whole_file(format!("cannot read: {e}"), None))?;
    let json = path.extension().is_some_and(|e| e == "json");
    crate::openapi::parse_text(&text, json, limits)
}

/// Jekyll's `_data/` files (`site.data` in Liquid): Jekyll stops the build on one it cannot read, so
/// each such file is an error finding at its line. The files are not published.
fn check_data_files(config: &Config, outside: &mut Vec<Diagnostic>) -> Vec<Diagnostic> {
    let dir = config.content_dir.join("_data");
    if config.jekyll.is_none() || !dir.is_dir() {
        return Vec::new();
    }
    let files: Vec<PathBuf> = walk(config, &dir, outside)
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "yml" | "yaml" | "json"))
        })
        .collect();
    files
        .par_iter()
        .filter_map(|path| {
            let e = read_data(path, &config.file.limits).err()?;
            let span = Span {
                file: config.relative(path).to_path_buf(),
                line: e.line,
                column: e.column,
            };
            let hint = e.exceeded.map_or_else(
                || {
                    "fix the syntax: Jekyll stops the build on a data file it cannot read"
                        .to_string()
                },
                Exceeded::hint,
            );
            Some(Diagnostic::error(DATA_RULE, span, e.message).with_hint(hint))
        })
        .collect()
}

/// Last commit dates of the files under `folder`, from one `git log` run (empty outside a repository).
pub fn git_dates(folder: &Path) -> HashMap<String, String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(folder)
        .args([
            "log",
            "--format=%x00%cs",
            "--name-only",
            "--relative",
            "--no-renames",
            "--",
            ".",
        ])
        .stderr(std::process::Stdio::null())
        .output();
    let mut dates = HashMap::new();
    let Ok(output) = output else { return dates };
    if !output.status.success() {
        return dates;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut current = "";
    for line in text.lines() {
        if let Some(date) = line.strip_prefix('\0') {
            current = date;
        } else if !line.is_empty() && !current.is_empty() {
            dates
                .entry(unquote_git_path(line))
                .or_insert_with(|| current.to_string());
        }
    }
    dates
}

/// Git quotes paths with non-ASCII bytes as `"a\303\270"`; undo that.
fn unquote_git_path(line: &str) -> String {
    let Some(inner) = line.strip_prefix('"').and_then(|l| l.strip_suffix('"')) else {
        return line.to_string();
    };
    let mut bytes = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        let digits: Vec<u8> = std::iter::from_fn(|| chars.next_if(u8::is_ascii_digit))
            .take(3)
            .collect();
        if digits.len() == 3 {
            bytes.push(
                digits
                    .iter()
                    .fold(0u8, |acc, d| acc.wrapping_mul(8).wrapping_add(d - b'0')),
            );
        } else if let Some(escaped) = chars.next() {
            bytes.push(match escaped {
                b'n' => b'\n',
                b't' => b'\t',
                other => other,
            });
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `YYYY-MM-DD` of a time (UTC).
pub fn date_of(time: std::time::SystemTime) -> String {
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (year, month, day) = crate::permalink::civil_from_days((secs / 86_400) as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn hidden_static_files_are_published_only_when_listed() {
        let listed = [".well-known".to_string(), "a/.htaccess/".to_string()];
        for (rel, published) in [
            ("img/logo.png", true),
            (".env", false),
            (".git/config", false),
            ("img/.DS_Store", false),
            (".well-known/security.txt", true),
            (".well-known/.env", false),
            ("a/.htaccess", true),
            ("b/.htaccess", false),
            ("x.well-known/y", true),
        ] {
            assert_eq!(static_publishes(&listed, rel), published, "{rel}");
        }
        assert!(!static_publishes(&[], ".well-known/security.txt"));
    }

    #[test]
    fn dates_from_unix_time() {
        assert_eq!(date_of(UNIX_EPOCH), "1970-01-01");
        assert_eq!(
            date_of(UNIX_EPOCH + Duration::from_secs(1_709_251_200)),
            "2024-03-01"
        );
        assert_eq!(
            date_of(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29"
        );
    }

    #[test]
    fn git_quoted_paths_are_decoded() {
        assert_eq!(
            unquote_git_path("\"meldingsk\\303\\270/a.md\""),
            "meldingskø/a.md"
        );
        assert_eq!(unquote_git_path("plain.md"), "plain.md");
    }
}
