//! URLs: the route of each page, and resolving a link as written to what it points at.
//!
//! Docusaurus rules: routes live under the route base; `index.md`, `README.md` (and Hugo's `_index.md`)
//! stand for their folder; number prefixes (`01-intro.md`) are stripped; `slug` overrides the path. A
//! link may be an absolute route, a relative file link with or without `.md`, percent-encoded, or a
//! file from `static/` or beside a page. Pure: the [`Resolver`] is built from data, not from disk.

use crate::model::Target;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::collections::{HashMap, HashSet};

/// File names that stand for their folder.
const INDEX_NAMES: [&str; 3] = ["index", "readme", "_index"];

/// Markdown file extensions.
pub const MARKDOWN_EXTENSIONS: [&str; 3] = ["md", "mdx", "markdown"];

/// What a route must not hold as it is in a URL: controls, space, quotes, `<>`, `` ` ``, `{}`, `#`,
/// `?` and `%` (a route is text, so a `%` in it is a percent sign). Non-ASCII is always encoded.
const ROUTE_IN_URL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'#')
    .add(b'?')
    .add(b'%');

/// A route as a URL path: percent-encoded UTF-8, plain ASCII, so it is valid in an HTTP header
/// (`Location`) as well as in an `href` (`/docs/økonomi/` → `/docs/%C3%B8konomi/`).
pub fn url_of(route: &str) -> String {
    utf8_percent_encode(route, ROUTE_IN_URL).to_string()
}

/// Split a number prefix (`01-intro` → `("intro", Some(1.0))`), as Docusaurus's
/// `DefaultNumberPrefixParser` (`plugin-content-docs/src/numberPrefix.ts`): ASCII digits, optional
/// spaces, one or more of `-_.`, optional spaces, then a rest that does not start with `-_.` or a
/// space. Names that start like a date or a version (`digits[-_.]digits`: `2021-11-x`, `01-01-x`,
/// `7.0-x`) keep their prefix.
pub fn strip_number_prefix(name: &str) -> (&str, Option<f64>) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return (name, None);
    }
    let rest = &name[digits..];
    let after_sep = rest.trim_start_matches(['-', '_', '.']);
    let version_like =
        after_sep.len() + 1 == rest.len() && after_sep.starts_with(|c: char| c.is_ascii_digit());
    if version_like {
        return (name, None);
    }
    let before = rest.trim_start();
    let seps = before.trim_start_matches(['-', '_', '.']);
    if seps.len() == before.len() {
        return (name, None);
    }
    let suffix = seps.trim_start();
    match suffix.chars().next() {
        Some(c) if !matches!(c, '-' | '_' | '.') && !c.is_whitespace() => {
            (suffix, name[..digits].parse().ok())
        }
        _ => (name, None),
    }
}

/// Whether a file name (without extension) stands for its folder.
pub fn is_index_name(stem: &str) -> bool {
    INDEX_NAMES.iter().any(|n| stem.eq_ignore_ascii_case(n))
}

/// The route of a page at `rel_path` (relative to the content folder, `/`-separated), honouring `slug`.
/// Returns the route (starting and ending with `/`) and whether the page stands for its folder.
pub fn page_route(route_base: &str, rel_path: &str, slug: Option<&str>) -> (String, bool) {
    let mut parts: Vec<&str> = rel_path.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let is_index = is_index_name(stem);
    let folder: Vec<&str> = parts.iter().map(|p| strip_number_prefix(p).0).collect();
    let folder_route = join_route(route_base, &folder.join("/"));
    let route = match slug.map(str::trim) {
        Some(slug) if slug.starts_with('/') => join_route(route_base, slug),
        Some(slug) if !slug.is_empty() => join_route(&folder_route, slug),
        _ if is_index => folder_route,
        _ => join_route(&folder_route, strip_number_prefix(stem).0),
    };
    (route, is_index)
}

/// What Hugo's route of a page depends on (<https://gohugo.io/content-management/urls/>).
#[derive(Debug, Clone, Copy, Default)]
pub struct HugoPage<'a> {
    /// The route base plus the language prefix (`/docs/no`).
    pub base: &'a str,
    /// The route base alone (`/docs`): `url` is taken from here, without the language prefix.
    pub root: &'a str,
    /// The path within the language's content folder (`blog/news/first-post/index.md`).
    pub path: &'a str,
    /// `url` in the front matter: the whole path, from the base URL.
    pub url: Option<&'a str>,
    /// `slug`: replaces the file (or bundle folder) name.
    pub slug: Option<&'a str>,
    /// `title`, for `:title` and `:slug` in permalinks.
    pub title: Option<&'a str>,
    /// `date` (`2026-02-10…`), for `:year`, `:month`, `:day`.
    pub date: Option<&'a str>,
    /// `permalinks` of the config: section → pattern.
    pub permalinks: &'a [(String, String)],
    /// `disablePathToLower`.
    pub keep_case: bool,
    /// `uglyURLs` for the page's section: a regular page is `/x.html`, not `/x/`.
    pub ugly: bool,
}

/// Hugo's route of a page: `_index.md` and a bundle's `index.md` stand for their folder; `url` wins,
/// then the section's `permalinks` pattern (regular pages), then `slug` in place of the file name;
/// paths are lower-cased and spaces become `-` (Hugo's `urlize`) unless `disablePathToLower`; number
/// prefixes are kept. Returns the route and whether the page stands for its folder.
pub fn hugo_page_route(page: &HugoPage<'_>) -> (String, bool) {
    let (route, is_index) = hugo_pretty_route(page);
    let file = page.path.rsplit('/').next().unwrap_or_default();
    let regular = file.rsplit_once('.').map_or(file, |(stem, _)| stem) != "_index";
    let url_given = page.url.is_some_and(|u| !u.trim().is_empty());
    if page.ugly && regular && !url_given && route.len() > 1 {
        return (format!("{}.html", route.trim_end_matches('/')), is_index);
    }
    (route, is_index)
}

/// [`hugo_page_route`] without `uglyURLs`; a `url` whose last segment names a file
/// (`/x/page.html`) is that file.
fn hugo_pretty_route(page: &HugoPage<'_>) -> (String, bool) {
    let urlize = |s: &str| {
        let s = s.trim().replace(' ', "-");
        if page.keep_case {
            s
        } else {
            s.to_lowercase()
        }
    };
    let mut parts: Vec<&str> = page.path.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let is_index = stem == "index" || stem == "_index";
    if let Some(url) = page.url.map(str::trim).filter(|u| !u.is_empty()) {
        let route = join_route(page.root, url);
        let names_file =
            !url.ends_with('/') && url.rsplit('/').next().is_some_and(|l| l.contains('.'));
        if names_file {
            return (route.trim_end_matches('/').to_string(), is_index);
        }
        return (route, is_index);
    }
    let folder: Vec<String> = parts.iter().map(|p| urlize(p)).collect();
    // The content base name: a bundle's folder, else the file's stem.
    let base_name = if stem == "index" {
        parts.last().copied().unwrap_or("")
    } else {
        stem
    };
    if stem != "_index" && !parts.is_empty() {
        if let Some((_, pattern)) = page
            .permalinks
            .iter()
            .find(|(section, _)| section == parts[0])
        {
            let date = page.date.unwrap_or("");
            let piece = |i: std::ops::Range<usize>| date.get(i).unwrap_or("").to_string();
            let slug = page.slug.map(&urlize);
            let route = pattern
                .split('/')
                .map(|segment| match segment {
                    ":year" => piece(0..4),
                    ":month" => piece(5..7),
                    ":day" => piece(8..10),
                    ":section" => folder[0].clone(),
                    ":sections" => folder.join("/"),
                    ":title" => urlize(page.title.unwrap_or(base_name)),
                    ":slug" => slug
                        .clone()
                        .unwrap_or_else(|| urlize(page.title.unwrap_or(base_name))),
                    ":slugorfilename" | ":slugorcontentbasename" => {
                        slug.clone().unwrap_or_else(|| urlize(base_name))
                    }
                    ":filename" | ":contentbasename" => urlize(base_name),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/");
            return (join_route(page.base, &route), is_index);
        }
    }
    let folder_route = join_route(page.base, &folder.join("/"));
    let route = match (page.slug.map(str::trim).filter(|s| !s.is_empty()), is_index) {
        (Some(slug), false) => join_route(&folder_route, &urlize(slug)),
        (Some(slug), true) if stem == "index" => {
            let parent = &folder[..folder.len().saturating_sub(1)];
            join_route(&join_route(page.base, &parent.join("/")), &urlize(slug))
        }
        (_, true) => folder_route,
        (None, false) => join_route(&folder_route, &urlize(stem)),
    };
    (route, is_index)
}

/// The URL path a page's HTML is written at: a route ending in `/` as its `index.html`, a route
/// naming a file as it is, a bare route (`/docs/x`, Docusaurus `trailingSlash: false`) as
/// `/docs/x.html`, as Docusaurus's `pathnameToFilename`.
pub fn file_url(route: &str) -> std::borrow::Cow<'_, str> {
    let last = route.rsplit('/').next().unwrap_or_default();
    if last.is_empty() || last.contains('.') {
        std::borrow::Cow::Borrowed(route)
    } else {
        std::borrow::Cow::Owned(format!("{route}.html"))
    }
}

/// [`file_url`] for a site whose bare routes are folders (Docusaurus with `trailingSlash` unset:
/// `/docs/x` is written as the folder `/docs/x/`, its `index.html`, as `pathnameToFilename`).
pub fn folder_file_url(route: &str) -> std::borrow::Cow<'_, str> {
    let last = route.rsplit('/').next().unwrap_or_default();
    if last.is_empty() || last.contains('.') {
        std::borrow::Cow::Borrowed(route)
    } else {
        std::borrow::Cow::Owned(format!("{route}/"))
    }
}

/// `base` + `/` + `rest`, normalised to start and end with `/` with no empty or `.` segments.
pub fn join_route(base: &str, rest: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in base.split('/').chain(rest.split('/')) {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    if segments.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", segments.join("/"))
    }
}

/// Everything a link can point at, to resolve links without touching the disk.
#[derive(Debug, Default)]
pub struct Resolver {
    routes: HashMap<String, usize>,
    files: HashMap<String, usize>,
    assets: HashSet<String>,
    page_routes: Vec<String>,
    route_base: String,
    content_prefix: String,
    /// Files beside pages by path relative to the content folder → their URL, where a flavour
    /// publishes them elsewhere than `route_base/path` (Hugo's page bundles).
    content_assets: HashMap<String, String>,
    /// Hugo's language folders (`en`, `no`): a link to `/docs/x.md` from a page in `no/` means
    /// `no/docs/x.md` first, as Hugo's `ref` resolves within the page's language.
    language_dirs: Vec<String>,
    /// Hugo languages' fallback folders (`fr` → `en`): a file beside a page that a language's
    /// folder lacks is the one at the same path in its fallback folder.
    fallback_dirs: Vec<(String, String)>,
    /// Hugo's reverse lookup of a bare name (`content`): (language folder, base name of a file or
    /// bundle folder) → the page, `None` where the name is ambiguous.
    base_names: Option<HashMap<(String, String), Option<usize>>>,
    /// Hugo's global resources (`assets/`): path within the folder → URL.
    global_resources: HashMap<String, String>,
    /// Docusaurus: the routes (without a trailing slash) of other content plugins' pages → their
    /// index in `Site::other_pages`.
    other_routes: HashMap<String, usize>,
}

impl Resolver {
    /// A resolver over pages (`(rel_path, route)` by page index) and asset URLs.
    pub fn new<'a>(
        route_base: &str,
        pages: impl IntoIterator<Item = (&'a str, &'a str)>,
        assets: impl IntoIterator<Item = String>,
    ) -> Self {
        let mut resolver = Resolver {
            route_base: route_base.to_string(),
            assets: assets.into_iter().collect(),
            ..Resolver::default()
        };
        for (index, (rel_path, route)) in pages.into_iter().enumerate() {
            resolver.routes.entry(route.to_string()).or_insert(index);
            resolver.files.insert(rel_path.to_string(), index);
            resolver.page_routes.push(route.to_string());
        }
        resolver
    }

    /// Where the content folder is, relative to the site root (`docs`), so that absolute file links such
    /// as `/docs/a/b.md` (Docusaurus resolves them from the site root) find their page.
    pub fn with_content_prefix(mut self, prefix: &str) -> Self {
        self.content_prefix = prefix.trim_matches('/').to_string();
        self
    }

    /// The URLs of files beside pages, by path relative to the content folder.
    pub fn with_content_assets(
        mut self,
        assets: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        self.content_assets.extend(assets);
        self
    }

    /// Hugo's language folders within the content folder.
    pub fn with_language_dirs(mut self, dirs: impl IntoIterator<Item = String>) -> Self {
        self.language_dirs = dirs.into_iter().filter(|d| !d.is_empty()).collect();
        self
    }

    /// Hugo's global resources, (path within `assets/`, URL): a relative link that is neither a
    /// page nor a file beside one finds them, as `resources.Get` in Hugo's and the common themes'
    /// render hooks does.
    pub fn with_global_resources(
        mut self,
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        self.global_resources.extend(files);
        self
    }

    /// Hugo languages' fallback folders: (language folder, fallback folder) pairs.
    pub fn with_fallback_dirs(mut self, pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        self.fallback_dirs = pairs.into_iter().collect();
        self
    }

    /// Let a bare name that is no path (`content`) find the one page of the same language whose
    /// file (or bundle folder) has that base name, as Hugo's `GetPage` and `ref` do after the path
    /// lookups fail.
    pub fn with_base_names(mut self) -> Self {
        let mut names: HashMap<(String, String), Option<usize>> = HashMap::new();
        for (rel, &page) in &self.files {
            let (folder, file) = rel.rsplit_once('/').unwrap_or(("", rel));
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            let name = if is_index_name(stem) || stem == "_index" {
                folder.rsplit('/').next().unwrap_or_default()
            } else {
                stem
            };
            if name.is_empty() || rel.ends_with('/') {
                continue;
            }
            let key = (self.language_of(rel).to_string(), name.to_lowercase());
            names
                .entry(key)
                .and_modify(|p| {
                    if *p != Some(page) {
                        *p = None;
                    }
                })
                .or_insert(Some(page));
        }
        self.base_names = Some(names);
        self
    }

    /// The language folder a path of the content folder is in, or "".
    fn language_of(&self, rel: &str) -> &str {
        let first = rel.split('/').next().unwrap_or_default();
        self.language_dirs
            .iter()
            .find(|d| d.as_str() == first)
            .map_or("", String::as_str)
    }

    /// The pages of other Docusaurus content plugins (routes in `Site::other_pages` order): link
    /// targets where no page of ours has the route.
    pub fn with_other_pages<'a>(mut self, routes: impl IntoIterator<Item = &'a str>) -> Self {
        for (i, route) in routes.into_iter().enumerate() {
            let bare = route.trim_end_matches('/');
            self.other_routes
                .entry(if bare.is_empty() { "/" } else { bare }.to_string())
                .or_insert(i);
        }
        self
    }

    /// Add a route that leads to a page (a redirect).
    pub fn add_route(&mut self, route: String, page: usize) {
        self.routes.entry(route).or_insert(page);
    }

    /// Point a route at another page (a later claim that wins).
    pub fn set_route(&mut self, route: String, page: usize) {
        self.routes.insert(route, page);
    }

    /// The page at a route, if any.
    pub fn page_at(&self, route: &str) -> Option<usize> {
        self.routes.get(route).copied()
    }

    /// The route of a page by index.
    pub fn route_of(&self, page: usize) -> &str {
        &self.page_routes[page]
    }

    /// The URL a resolved link is written as in the output: absolute where the target is known,
    /// as written otherwise.
    pub fn href(&self, target: &Target, dest: &str) -> String {
        let fragment = dest.split_once('#').map(|(_, f)| f);
        match target {
            Target::Page { page, .. } => match fragment {
                Some(f) => format!("{}#{f}", self.route_of(*page)),
                None => self.route_of(*page).to_string(),
            },
            Target::Asset(url) => url.clone(),
            _ => dest.to_string(),
        }
    }

    /// The URL of a file beside the pages (`rel_path` relative to the content folder).
    pub fn content_asset_url(route_base: &str, rel_path: &str) -> String {
        format!("{route_base}/{rel_path}")
    }

    /// Resolve a link written on the page at `from_rel_path` (whose route is `from_route`).
    pub fn resolve(&self, dest: &str, from_rel_path: &str, from_route: &str) -> Target {
        let dest = dest.trim();
        if dest.is_empty() {
            return Target::Missing {
                wanted: String::new(),
            };
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            return Target::SamePage(decode(fragment));
        }
        if dest.starts_with("//") {
            return Target::External;
        }
        if let Some(scheme) = scheme_of(dest) {
            return if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                Target::External
            } else {
                Target::OtherScheme
            };
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(decode(f))),
            None => (dest, None),
        };
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let path = decode(path);
        let found = if path.starts_with('/') {
            self.in_language(&path, from_rel_path)
                .or_else(|| self.absolute(&path))
        } else {
            self.relative(&path, from_rel_path, from_route)
                .or_else(|| self.base_name(&path, from_rel_path))
        };
        match found {
            Some(Found::Page(page)) => Target::Page { page, fragment },
            Some(Found::Asset(url)) => Target::Asset(url),
            None => match self.other_page(&path, from_route) {
                Some(page) => Target::Other { page, fragment },
                None => Target::Missing { wanted: path },
            },
        }
    }

    /// The page of another Docusaurus content plugin at a link's path (absolute, or relative to
    /// the page's route), with or without its trailing slash, as Docusaurus's link check matches.
    fn other_page(&self, path: &str, from_route: &str) -> Option<usize> {
        if self.other_routes.is_empty() {
            return None;
        }
        let url = if path.starts_with('/') {
            path.to_string()
        } else {
            join_route(from_route, path)
        };
        let bare = url.trim_end_matches('/');
        self.other_routes
            .get(if bare.is_empty() { "/" } else { bare })
            .copied()
    }

    /// `/docs/x.md` or `/docs/x/` from a page in a language folder: that language's `docs/x.md` (or
    /// `docs/x/_index.md`, `docs/x/index.md`). Hugo's embedded link render hook, on by default in
    /// multilingual sites, looks a link up with `GetPage` in the page's language first
    /// (<https://gohugo.io/render-hooks/links/#default>).
    fn in_language(&self, path: &str, from_rel_path: &str) -> Option<Found> {
        let language = from_rel_path.split('/').next()?;
        if !self.language_dirs.iter().any(|d| d == language) {
            return None;
        }
        let rel = format!("{language}/{}", path.trim_matches('/'));
        let candidates = match strip_markdown_extension(path) {
            Some(_) => vec![rel],
            None => vec![
                format!("{rel}.md"),
                format!("{rel}/_index.md"),
                format!("{rel}/index.md"),
                // A section Hugo makes for a folder without `_index.md`.
                format!("{rel}/"),
            ],
        };
        candidates
            .iter()
            .find_map(|c| self.files.get(c))
            .map(|&p| Found::Page(p))
    }

    /// A bare name (no `/`, no `.`) through [`Resolver::with_base_names`].
    fn base_name(&self, path: &str, from_rel_path: &str) -> Option<Found> {
        let names = self.base_names.as_ref()?;
        if path.is_empty() || path.contains(['/', '.']) {
            return None;
        }
        let key = (
            self.language_of(from_rel_path).to_string(),
            path.to_lowercase(),
        );
        names.get(&key).copied().flatten().map(Found::Page)
    }

    fn absolute(&self, path: &str) -> Option<Found> {
        if self.assets.contains(path) {
            return Some(Found::Asset(path.to_string()));
        }
        // A static file written with the base URL's path (`/docs/img/x.png`).
        if let Some(rest) = path
            .strip_prefix(self.route_base.as_str())
            .filter(|r| r.starts_with('/') && !self.route_base.is_empty())
        {
            if self.assets.contains(rest) {
                return Some(Found::Asset(rest.to_string()));
            }
        }
        if strip_markdown_extension(path).is_some() {
            let rel = path.trim_start_matches('/');
            let in_content = rel
                .strip_prefix(self.content_prefix.as_str())
                .filter(|_| !self.content_prefix.is_empty());
            let rel = in_content.map_or(rel, |r| r.trim_start_matches('/'));
            if let Some(&page) = self.files.get(rel) {
                return Some(Found::Page(page));
            }
        }
        // A route that names its file (Jekyll's `/a.html`), also without `.html` as servers give it.
        if let Some(&p) = self
            .routes
            .get(path)
            .or_else(|| self.routes.get(&format!("{path}.html")))
        {
            return Some(Found::Page(p));
        }
        let trimmed = path
            .strip_suffix("/index.html")
            .or_else(|| path.strip_suffix(".html"))
            .unwrap_or(path);
        let trimmed = strip_markdown_extension(trimmed).unwrap_or(trimmed);
        let route = join_route("", trimmed);
        // A page written as `x.html` (Docusaurus `trailingSlash: false`) is also reached with a
        // slash, as Docusaurus's link checker matches routes (react-router, not strict).
        self.routes
            .get(&route)
            .or_else(|| self.routes.get(route.trim_end_matches('/')))
            .map(|&p| Found::Page(p))
    }

    fn relative(&self, path: &str, from_rel_path: &str, from_route: &str) -> Option<Found> {
        let folder = from_rel_path.rsplit_once('/').map_or("", |(f, _)| f);
        if let Some(found) = self.relative_file(path, folder) {
            return Some(found);
        }
        // Hugo's embedded link render hook (on for multilingual sites) finds the page with
        // `GetPage`, for which a leaf bundle's `index.md` stands where its folder is: relative
        // paths start from the bundle's parent folder.
        if !self.language_dirs.is_empty() && from_rel_path.ends_with("/index.md") {
            let parent = folder.rsplit_once('/').map_or("", |(f, _)| f);
            if let Some(found @ Found::Page(_)) = self.relative_file(path, parent) {
                return Some(found);
            }
        }
        let global = path.strip_prefix("./").unwrap_or(path);
        let global = global.strip_prefix("/assets/").unwrap_or(global);
        if let Some(url) = self.global_resources.get(global) {
            return Some(Found::Asset(url.clone()));
        }
        // A URL relative to the page's own address, as a browser would read it.
        let mut url = join_route(from_route, path);
        if !path.ends_with('/') {
            url.pop();
        }
        self.absolute(&url)
    }

    /// A page or a file beside the pages at `path` relative to `folder` of the content folder.
    fn relative_file(&self, path: &str, folder: &str) -> Option<Found> {
        if let Some(joined) = crate::relpath::normalise(&format!("{folder}/{path}")) {
            let bare = strip_markdown_extension(&joined).is_some();
            let file = joined.trim_start_matches('/');
            if let Some(&page) = self.files.get(file) {
                return Some(Found::Page(page));
            }
            // Written only when the link is not a file's own name (most links are).
            let suffixes = [".md", ".mdx", "/index.md", "/README.md", "/_index.md"];
            for suffix in suffixes.into_iter().skip(if bare { 2 } else { 0 }) {
                if let Some(&page) = self.files.get(&format!("{file}{suffix}")) {
                    return Some(Found::Page(page));
                }
            }
            let joined = joined.trim_start_matches('/');
            let fallbacks = self.fallback_dirs.iter().filter_map(|(dir, fallback)| {
                let rest = joined.strip_prefix(dir.as_str())?.strip_prefix('/')?;
                Some(format!("{fallback}/{rest}"))
            });
            for file in std::iter::once(joined.to_string()).chain(fallbacks) {
                let url = self
                    .content_assets
                    .get(&file)
                    .cloned()
                    .unwrap_or_else(|| Resolver::content_asset_url(&self.route_base, &file));
                if self.assets.contains(&url) {
                    return Some(Found::Asset(url));
                }
            }
        }
        None
    }
}

enum Found {
    Page(usize),
    Asset(String),
}

fn strip_markdown_extension(path: &str) -> Option<&str> {
    let (stem, ext) = path.rsplit_once('.')?;
    MARKDOWN_EXTENSIONS.contains(&ext).then_some(stem)
}

fn scheme_of(dest: &str) -> Option<&str> {
    let (scheme, _) = dest.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_become_ascii_urls_that_decode_back() {
        assert_eq!(url_of("/docs/økonomi/"), "/docs/%C3%B8konomi/");
        assert_eq!(url_of("/docs/a b/100%/"), "/docs/a%20b/100%25/");
        assert_eq!(url_of("/docs/x/"), "/docs/x/");
        for route in ["/docs/økonomi/", "/docs/a b/100%/", "/docs/?#{}/", "/日本/"] {
            let url = url_of(route);
            assert!(url.is_ascii(), "{url}");
            assert_eq!(percent_decode_str(&url).decode_utf8().unwrap(), route);
        }
    }

    #[test]
    fn routes_follow_docusaurus_rules() {
        assert_eq!(
            page_route("/docs", "datadeling/om/index.md", None),
            ("/docs/datadeling/om/".into(), true)
        );
        assert_eq!(
            page_route("/docs", "x/y.md", None),
            ("/docs/x/y/".into(), false)
        );
        assert_eq!(page_route("/docs", "x/README.md", None).0, "/docs/x/");
        assert_eq!(
            page_route("/docs", "01-start/02-intro.md", None).0,
            "/docs/start/intro/"
        );
        assert_eq!(
            page_route("/docs", "a/b.md", Some("/datadeling/kode")).0,
            "/docs/datadeling/kode/"
        );
        assert_eq!(
            page_route("/docs", "a/b.md", Some("annet")).0,
            "/docs/a/annet/"
        );
        assert_eq!(page_route("", "index.md", None).0, "/");
    }

    #[test]
    fn hugo_routes_follow_hugo_rules() {
        let page = |path| HugoPage {
            base: "/no",
            path,
            ..HugoPage::default()
        };
        assert_eq!(
            hugo_page_route(&page("docs/_index.md")),
            ("/no/docs/".into(), true)
        );
        assert_eq!(
            hugo_page_route(&page("docs/tasks/Ponycopters/01-a b.md")).0,
            "/no/docs/tasks/ponycopters/01-a-b/",
            "lower-cased, number prefixes kept, spaces urlized"
        );
        assert_eq!(
            hugo_page_route(&page("blog/post/index.md")).0,
            "/no/blog/post/"
        );
        let slugged = HugoPage {
            slug: Some("Annet"),
            ..page("docs/a.md")
        };
        assert_eq!(hugo_page_route(&slugged).0, "/no/docs/annet/");
        let url = HugoPage {
            url: Some("/egen/sti/"),
            ..page("docs/a.md")
        };
        assert_eq!(
            hugo_page_route(&url).0,
            "/egen/sti/",
            "no language prefix (Hugo 0.168)"
        );
        let permalinks = [(
            "blog".to_string(),
            "/:section/:year/:month/:day/:slugorcontentbasename".to_string(),
        )];
        let post = HugoPage {
            date: Some("2026-02-10T10:00:00Z"),
            permalinks: &permalinks,
            ..page("blog/news/first-post/index.md")
        };
        assert_eq!(hugo_page_route(&post).0, "/no/blog/2026/02/10/first-post/");
        let section = HugoPage {
            permalinks: &permalinks,
            ..page("blog/news/_index.md")
        };
        assert_eq!(
            hugo_page_route(&section).0,
            "/no/blog/news/",
            "sections keep their path"
        );
        let kept = HugoPage {
            keep_case: true,
            ..page("docs/Ponycopters/x.md")
        };
        assert_eq!(hugo_page_route(&kept).0, "/no/docs/Ponycopters/x/");
    }

    #[test]
    fn hugo_ugly_urls_make_regular_pages_html_files() {
        // As Hugo 0.168 writes a site with `uglyURLs = true`.
        let page = |path| HugoPage {
            path,
            ugly: true,
            ..HugoPage::default()
        };
        assert_eq!(hugo_page_route(&page("docs/a.md")).0, "/docs/a.html");
        assert_eq!(
            hugo_page_route(&page("docs/bundle/index.md")),
            ("/docs/bundle.html".into(), true),
            "a leaf bundle is a regular page"
        );
        assert_eq!(hugo_page_route(&page("docs/_index.md")).0, "/docs/");
        assert_eq!(hugo_page_route(&page("_index.md")).0, "/");
        let slugged = HugoPage {
            slug: Some("other"),
            ..page("docs/s.md")
        };
        assert_eq!(hugo_page_route(&slugged).0, "/docs/other.html");
        let url = HugoPage {
            url: Some("/custom/path/"),
            ..page("docs/u.md")
        };
        assert_eq!(hugo_page_route(&url).0, "/custom/path/");
        let file = HugoPage {
            url: Some("/custom/path.html"),
            ugly: false,
            ..page("docs/u.md")
        };
        assert_eq!(hugo_page_route(&file).0, "/custom/path.html");
    }

    #[test]
    fn hugo_links_resolve_within_the_language_and_under_the_base_path() {
        let r = Resolver::new(
            "/docs",
            [("en/a.md", "/docs/a/"), ("no/a.md", "/docs/no/a/")],
            ["/img/x.png".to_string(), "/docs/no/b/bilde.png".to_string()],
        )
        .with_language_dirs(["en".to_string(), "no".to_string()])
        .with_content_assets([(
            "no/b/bilde.png".to_string(),
            "/docs/no/b/bilde.png".to_string(),
        )]);
        let page = |p| Target::Page {
            page: p,
            fragment: None,
        };
        assert_eq!(r.resolve("/a.md", "no/x.md", "/docs/no/x/"), page(1));
        assert_eq!(r.resolve("/a.md", "en/x.md", "/docs/x/"), page(0));
        assert_eq!(
            r.resolve("/a/", "no/x.md", "/docs/no/x/"),
            page(1),
            "a content path in the page's language, as Hugo's link render hook finds it"
        );
        assert_eq!(
            r.resolve("/docs/a/", "no/x.md", "/docs/no/x/"),
            page(0),
            "else the URL"
        );
        assert_eq!(
            r.resolve("/docs/img/x.png?width=700#top", "en/a.md", "/docs/a/"),
            Target::Asset("/img/x.png".into())
        );
        assert_eq!(
            r.resolve("b/bilde.png", "no/x.md", "/docs/no/x/"),
            Target::Asset("/docs/no/b/bilde.png".into())
        );
    }

    #[test]
    fn pages_without_a_trailing_slash_are_written_as_html_files() {
        assert_eq!(file_url("/docs/x/"), "/docs/x/");
        assert_eq!(file_url("/docs/x"), "/docs/x.html");
        assert_eq!(file_url("/a.html"), "/a.html");
        assert_eq!(file_url("/"), "/");
    }

    #[test]
    fn hugo_fallback_folders_lend_their_files_and_bare_names_find_unique_pages() {
        let r = Resolver::new(
            "",
            [
                ("en/docs/content/_index.md", "/docs/content/"),
                ("en/docs/setup.md", "/docs/setup/"),
                ("en/blog/setup.md", "/blog/setup/"),
                ("fr/docs/content/_index.md", "/fr/docs/content/"),
            ],
            ["/docs/content/shot.png".to_string()],
        )
        .with_content_assets([(
            "en/docs/content/shot.png".to_string(),
            "/docs/content/shot.png".to_string(),
        )])
        .with_language_dirs(["en".to_string(), "fr".to_string()])
        .with_fallback_dirs([("fr".to_string(), "en".to_string())])
        .with_base_names();
        let page = |p| Target::Page {
            page: p,
            fragment: None,
        };
        assert_eq!(
            r.resolve("shot.png", "fr/docs/content/_index.md", "/fr/docs/content/"),
            Target::Asset("/docs/content/shot.png".into()),
            "a file the fr folder lacks is the en folder's"
        );
        assert_eq!(
            r.resolve("content", "en/blog/setup.md", "/blog/setup/"),
            page(0),
            "a bare name finds the one bundle of that name in the page's language"
        );
        assert_eq!(
            r.resolve("content#x", "fr/blog/x.md", "/fr/blog/x/"),
            Target::Page {
                page: 3,
                fragment: Some("x".into())
            }
        );
        assert!(
            matches!(r.resolve("setup", "en/x.md", "/x/"), Target::Missing { .. }),
            "an ambiguous name finds nothing"
        );
    }

    #[test]
    fn hugo_global_resources_are_found_after_the_page_bundle() {
        let r = Resolver::new(
            "/book",
            [("docs/a.md", "/book/docs/a/")],
            ["/book/placeholder.svg".to_string()],
        )
        .with_global_resources([(
            "placeholder.svg".to_string(),
            "/book/placeholder.svg".to_string(),
        )]);
        assert_eq!(
            r.resolve("placeholder.svg", "docs/a.md", "/book/docs/a/"),
            Target::Asset("/book/placeholder.svg".into())
        );
        assert!(matches!(
            r.resolve("other.svg", "docs/a.md", "/book/docs/a/"),
            Target::Missing { .. }
        ));
    }

    #[test]
    fn number_prefixes() {
        assert_eq!(strip_number_prefix("01-intro"), ("intro", Some(1.0)));
        assert_eq!(strip_number_prefix("2_b"), ("b", Some(2.0)));
        assert_eq!(strip_number_prefix("2023"), ("2023", None));
        assert_eq!(strip_number_prefix("3d-modell"), ("3d-modell", None));
        // Date- and version-like names keep their prefix (Docusaurus issues 4640, 4653).
        assert_eq!(
            strip_number_prefix("01-01-graphql"),
            ("01-01-graphql", None)
        );
        assert_eq!(
            strip_number_prefix("2021-11-notat"),
            ("2021-11-notat", None)
        );
        assert_eq!(
            strip_number_prefix("7.0-oppgradering"),
            ("7.0-oppgradering", None)
        );
        // Spaces around and repeated separators, as `003 - x` and `1--x`.
        assert_eq!(strip_number_prefix("003 - mitt"), ("mitt", Some(3.0)));
        assert_eq!(strip_number_prefix("1--x"), ("x", Some(1.0)));
        assert_eq!(strip_number_prefix("1-_"), ("1-_", None));
    }

    fn resolver() -> Resolver {
        Resolver::new(
            "/docs",
            [
                ("a/index.md", "/docs/a/"),
                ("a/b.md", "/docs/a/b/"),
                ("meldingskø/opprett.md", "/docs/meldingskø/opprett/"),
            ],
            [
                "/img/x.png".to_string(),
                "/docs/a/api/spec.json".to_string(),
            ],
        )
    }

    #[test]
    fn links_in_every_written_form_resolve() {
        let r = resolver();
        let page = |p| Target::Page {
            page: p,
            fragment: None,
        };
        assert_eq!(r.resolve("/docs/a/b", "a/index.md", "/docs/a/"), page(1));
        assert_eq!(r.resolve("/docs/a/b/", "a/index.md", "/docs/a/"), page(1));
        let r = r.with_content_prefix("content");
        assert_eq!(
            r.resolve("/content/a/b.md", "a/index.md", "/docs/a/"),
            page(1)
        );
        assert_eq!(r.resolve("./b.md", "a/index.md", "/docs/a/"), page(1));
        assert_eq!(r.resolve("b", "a/index.md", "/docs/a/"), page(1));
        assert_eq!(r.resolve("../a/b/", "a/index.md", "/docs/a/"), page(1));
        assert_eq!(
            r.resolve("/docs/meldingsk%C3%B8/opprett", "a/b.md", "/docs/a/b/"),
            page(2)
        );
        assert_eq!(
            r.resolve("b.md#oppsett-detaljer", "a/index.md", "/docs/a/"),
            Target::Page {
                page: 1,
                fragment: Some("oppsett-detaljer".into())
            }
        );
        assert_eq!(
            r.resolve("/img/x.png", "a/b.md", "/docs/a/b/"),
            Target::Asset("/img/x.png".into())
        );
        assert_eq!(
            r.resolve("api/spec.json", "a/b.md", "/docs/a/b/"),
            Target::Asset("/docs/a/api/spec.json".into())
        );
        assert_eq!(
            r.resolve("#x", "a/b.md", "/docs/a/b/"),
            Target::SamePage("x".into())
        );
        assert_eq!(
            r.resolve("https://x.no", "a/b.md", "/docs/a/b/"),
            Target::External
        );
        assert_eq!(
            r.resolve("mailto:a@b.no", "a/b.md", "/docs/a/b/"),
            Target::OtherScheme
        );
        assert_eq!(
            r.resolve("/docs/nope", "a/b.md", "/docs/a/b/"),
            Target::Missing {
                wanted: "/docs/nope".into()
            }
        );
    }

    #[test]
    fn hugo_relative_links_from_a_leaf_bundle_start_at_its_parent_folder() {
        let pages = [
            ("en/docs/shortcodes/index.md", "/docs/shortcodes/"),
            ("en/docs/lookandfeel.md", "/docs/lookandfeel/"),
            ("en/language.md", "/language/"),
        ];
        let r = Resolver::new("", pages, Vec::<String>::new())
            .with_language_dirs(["en".to_string(), "fr".to_string()]);
        let at = |dest| r.resolve(dest, "en/docs/shortcodes/index.md", "/docs/shortcodes/");
        assert!(matches!(at("lookandfeel/#x"), Target::Page { page: 1, .. }));
        assert!(matches!(at("../language/"), Target::Page { page: 2, .. }));
        assert!(matches!(at("nowhere/"), Target::Missing { .. }));
        let single = Resolver::new("", pages, Vec::<String>::new());
        assert!(
            matches!(
                single.resolve(
                    "lookandfeel/",
                    "en/docs/shortcodes/index.md",
                    "/docs/shortcodes/"
                ),
                Target::Missing { .. }
            ),
            "without the link render hook (one language) the browser's reading stands"
        );
    }

    #[test]
    fn relative_links_never_climb_above_the_content_folder_as_files() {
        let r = resolver();
        assert!(matches!(
            r.resolve("../../../etc/passwd", "a/b.md", "/docs/a/b/"),
            Target::Missing { .. }
        ));
    }
}
