//! Orchestration: load → assemble the [`Site`] → check → render → write. Holds no state between runs;
//! each function takes the resolved [`Config`] and options and returns plain values.

use crate::apidocs;
use crate::apigen::snippet::Gateway;
use crate::catalog::Catalog;
use crate::check::{self, Policy};
use crate::config::Config;
use crate::diag::{self, Diagnostic, LineIndex, Severity};
use crate::error::{Error, Result};
use crate::load::{self, Source};
use crate::markdown::{self, Highlighter};
use crate::model::{FrontMatter, Page, PageKind, Site};
use crate::nav::Nav;
use crate::openapi;
use crate::output::Staging;
use crate::render::Renderer;
use crate::routes::{self, Resolver};
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a run includes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Include pages with `draft: true` (the dev server does).
    pub drafts: bool,
    /// Skip the checks (`build --no-check`); loading errors still fail the build.
    pub no_check: bool,
    /// Only what the checks need: no HTML, no highlighting (`check`).
    pub check_only: bool,
    /// Leave out the search index (`build --no-search`).
    pub no_search: bool,
}

/// What a build did.
#[derive(Debug)]
pub struct Summary {
    /// Pages written (generated section pages included).
    pub pages: usize,
    /// Files copied.
    pub assets: usize,
    /// Redirect pages written.
    pub redirects: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// All findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the output folder was replaced.
    pub written: bool,
    /// The site's flavour, by name.
    pub flavour: &'static str,
}

/// Load and assemble the site: pages with rendered Markdown, assets, redirects, loading findings.
pub fn load_site(config: &Config, options: &Options, highlighter: &Highlighter) -> Result<Site> {
    let words = &todo_words(config);
    let loaded = load::load(config, words)?;
    let mut diagnostics = loaded.diagnostics;
    let mut sources: Vec<Source> = loaded
        .sources
        .into_iter()
        .filter(|s| options.drafts || !s.front.draft)
        .collect();

    // Two files claiming one URL: keep the first, report both.
    let mut claimed: HashMap<String, usize> = HashMap::new();
    let mut keep = vec![true; sources.len()];
    for (i, source) in sources.iter().enumerate() {
        if let Some(&first) = claimed.get(&source.route) {
            keep[i] = false;
            let other = &sources[first];
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-route",
                    source.lines.span(&source.file, &source.text, 0),
                    format!(
                        "`{}` and `{}` both have the URL `{}`",
                        other.file.display(),
                        source.file.display(),
                        source.route
                    ),
                )
                .with_hint("give one of them another `slug` or file name"),
            );
        } else {
            claimed.insert(source.route.clone(), i);
        }
    }
    let mut keep_iter = keep.into_iter();
    sources.retain(|_| keep_iter.next().unwrap_or(true));

    let mut sections = section_pages(config, &sources, &loaded.categories, &claimed);
    let (catalog, catalog_findings) = openapi::load(&openapi::Source {
        dir: &config.openapi_dir,
        root: &config.root,
        gateway_host_suffix: &config.file.gateway.host_suffix,
    });
    diagnostics.extend(catalog_findings);
    sections.extend(catalog_pages(
        config,
        &catalog,
        highlighter,
        &claimed,
        &mut diagnostics,
    ));
    let mut resolver = resolver_over(
        config,
        sources
            .iter()
            .map(|s| (s.rel_path.as_str(), s.route.as_str()))
            .chain(
                sections
                    .iter()
                    .map(|p| (p.rel_path.as_str(), p.route.as_str())),
            ),
        &loaded.assets,
    );
    let mut redirects = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        for from in &source.front.redirect_from {
            let folder = source
                .route
                .trim_end_matches('/')
                .rsplit_once('/')
                .map_or("", |(f, _)| f);
            let route = if from.starts_with('/') {
                routes::join_route("", from)
            } else {
                routes::join_route(folder, from)
            };
            if resolver.page_at(&route).is_some() {
                diagnostics.push(
                    Diagnostic::error(
                        crate::frontmatter::RULE,
                        source.lines.span(&source.file, &source.text, 0),
                        format!("redirect `{from}` points from a URL that a page already has"),
                    )
                    .with_hint("remove the redirect or move the other page"),
                );
                continue;
            }
            resolver.add_route(route.clone(), i);
            redirects.push((route, i));
        }
    }

    let git_dates = load::git_dates(&config.content_dir);
    let children = children_by_folder(sources.iter().map(|s| {
        (
            s.rel_path.as_str(),
            s.front.title.as_deref(),
            s.route.as_str(),
            s.is_index,
        )
    }));
    let shortcodes = Theme::load(&config.theme_dir)?.shortcode_templates()?;
    let shared = PassShared {
        resolver: &resolver,
        highlighter,
        words,
        html: !options.check_only,
        site_url: &config.base_url,
        base_path: &config.route_base,
        children: &children,
        shortcodes: shortcodes.as_ref(),
    };
    let mut pages: Vec<Page> = sources
        .into_par_iter()
        .map(|source| {
            let git_date = git_dates.get(&source.rel_path).cloned();
            page_from_source(source, &shared, git_date)
        })
        .collect();
    pages.extend(sections);
    let flavour = flavour(config, &pages);
    diag::sort(&mut diagnostics);
    Ok(Site {
        pages,
        assets: loaded.assets,
        categories: loaded.categories,
        flavour: Some(flavour),
        redirects,
        diagnostics,
        catalog,
    })
}

/// The site's flavour: from its configuration, else detected from its files (`_index.md` or Hugo
/// shortcodes suggest Hugo; `{:toc}` or Liquid suggest Jekyll).
fn flavour(config: &Config, pages: &[Page]) -> crate::config::Flavour {
    use crate::config::Flavour;
    if config.flavour != Flavour::Docusaurus {
        return config.flavour;
    }
    let hugo = pages.iter().any(|p| {
        p.rel_path.ends_with("_index.md") || p.source.contains("{{<") || p.source.contains("{{%")
    });
    let jekyll = config.root.join("_config.yml").exists()
        || pages
            .iter()
            .any(|p| p.source.contains("{:toc}") || p.source.contains("{% "));
    match (hugo, jekyll) {
        (true, false) => Flavour::Hugo,
        (false, true) => Flavour::Jekyll,
        _ => Flavour::Docusaurus,
    }
}

/// What every page's Markdown pass shares.
pub struct PassShared<'a> {
    /// Resolves links.
    pub resolver: &'a Resolver,
    /// Highlights code.
    pub highlighter: &'a Highlighter,
    /// TODO words.
    pub words: &'a crate::markdown::todo::Words,
    /// Produce HTML.
    pub html: bool,
    /// `{{ site.url }}`.
    pub site_url: &'a str,
    /// `{{ site.baseurl }}`.
    pub base_path: &'a str,
    /// Pages by folder (relative to the content folder): (title, route), for the `children` shortcode.
    pub children: &'a HashMap<String, Vec<(String, String)>>,
    /// The site's own shortcodes.
    pub shortcodes: Option<&'a tera::Tera>,
}

/// Pages by folder, for the `children` shortcode: (title from front matter or file name, route).
pub fn children_by_folder<'s>(
    sources: impl Iterator<Item = (&'s str, Option<&'s str>, &'s str, bool)>,
) -> HashMap<String, Vec<(String, String)>> {
    let mut map: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (rel_path, title, route, is_index) in sources {
        let folder = rel_path.rsplit_once('/').map_or("", |(f, _)| f);
        // An index page is a child of its parent folder.
        let folder = if is_index {
            folder.rsplit_once('/').map_or("", |(f, _)| f)
        } else {
            folder
        };
        let title = title
            .map(str::to_string)
            .unwrap_or_else(|| title_from_path(rel_path));
        map.entry(folder.to_string())
            .or_default()
            .push((title, route.to_string()));
    }
    map
}

/// Render one loaded Markdown source into a page (the one Markdown pass).
pub fn page_from_source(source: Source, shared: &PassShared<'_>, git_date: Option<String>) -> Page {
    let folder = source.rel_path.rsplit_once('/').map_or("", |(f, _)| f);
    let children = if source.is_index {
        shared
            .children
            .get(folder)
            .map(Vec::as_slice)
            .unwrap_or_default()
    } else {
        &[]
    };
    let ctx = markdown::Context {
        resolver: shared.resolver,
        highlighter: shared.highlighter,
        todo_words: shared.words,
        rel_path: &source.rel_path,
        route: &source.route,
        html: shared.html,
        foreign: markdown::foreign::Env {
            route: &source.route,
            site_url: shared.site_url,
            base_path: shared.base_path,
            children,
            custom: shared.shortcodes,
        },
    };
    let rendered = markdown::render(&source.text, source.body_offset, &ctx);
    let title = source
        .front
        .title
        .clone()
        .or_else(|| rendered.h1.clone())
        .unwrap_or_else(|| title_from_path(&source.rel_path));
    let mut todos = source.front_todos;
    todos.extend(rendered.todos);
    let last_updated = source
        .front
        .last_update
        .clone()
        .or(git_date)
        .or(source.mtime_date);
    Page {
        kind: PageKind::Markdown,
        rel_path: source.rel_path,
        file: source.file,
        lines: source.lines,
        body_offset: source.body_offset,
        front: source.front,
        route: source.route,
        is_index: source.is_index,
        has_h1: rendered.h1.is_some(),
        title,
        position: source.position,
        html: rendered.html,
        headings: rendered.headings,
        links: rendered.links,
        todos,
        code_blocks: rendered.code_blocks,
        suspects: rendered.suspects,
        last_updated,
        source: source.text,
    }
}

/// The TODO words of the configuration.
pub fn todo_words(config: &Config) -> crate::markdown::todo::Words {
    crate::markdown::todo::Words::new(
        &config.file.check.todo_words,
        config.file.check.todo_ignore_case,
    )
}

/// A resolver over pages (`(rel_path, route)` in page order) and assets, under the site's content prefix.
fn resolver_over<'a>(
    config: &Config,
    pages: impl IntoIterator<Item = (&'a str, &'a str)>,
    assets: &[crate::model::Asset],
) -> Resolver {
    let prefix = config
        .relative(&config.content_dir)
        .to_string_lossy()
        .replace('\\', "/");
    Resolver::new(
        &config.route_base,
        pages,
        assets.iter().map(|a| a.url.clone()),
    )
    .with_content_prefix(&prefix)
}

/// A resolver over a loaded site's pages, assets and redirects (the same one `load_site` used).
pub fn resolver_for(config: &Config, site: &Site) -> Resolver {
    let mut resolver = resolver_over(
        config,
        site.pages
            .iter()
            .map(|p| (p.rel_path.as_str(), p.route.as_str())),
        &site.assets,
    );
    for (route, page) in &site.redirects {
        resolver.add_route(route.clone(), *page);
    }
    resolver
}

/// How examples address the gateway, from the configuration.
pub fn gateway(config: &Config) -> Gateway {
    let g = &config.file.gateway;
    Gateway {
        url_pattern: g.url.clone(),
        key_header: g.key_header.clone(),
        key_env: g.key_env.clone(),
    }
}

/// The catalog's pages, as pages of the site.
fn catalog_pages(
    config: &Config,
    catalog: &Catalog,
    highlighter: &Highlighter,
    claimed: &HashMap<String, usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let gateway = gateway(config);
    let c = &config.file.catalog;
    let options = apidocs::Options {
        route_base: &config.route_base,
        folder: &c.route,
        title: &c.title,
        position: c.position,
        split_above: c.split_above,
        gateway: &gateway,
        instances: &config.file.gateway.instances,
        highlighter,
    };
    let file = config.relative(&config.openapi_dir).to_path_buf();
    apidocs::pages(catalog, &options)
        .into_iter()
        .filter_map(|g| {
            if claimed.contains_key(&g.route) {
                diagnostics.push(
                    Diagnostic::error(
                        "duplicate-route",
                        crate::diag::Span::file_start(&file),
                        format!(
                            "the catalog page `{}` has the URL of a Markdown page",
                            g.route
                        ),
                    )
                    .with_hint("move the page, or give the catalog another `[catalog] route`"),
                );
                return None;
            }
            Some(Page {
                kind: PageKind::Catalog,
                rel_path: g.rel_path,
                file: file.clone(),
                source: String::new(),
                lines: LineIndex::new(""),
                body_offset: 0,
                front: FrontMatter {
                    description: Some(g.description).filter(|d| !d.is_empty()),
                    ..FrontMatter::default()
                },
                route: g.route,
                is_index: g.is_index,
                title: g.title,
                has_h1: false,
                position: g.position,
                html: g.html,
                headings: g.headings,
                links: Vec::new(),
                todos: Vec::new(),
                code_blocks: Vec::new(),
                suspects: Vec::new(),
                last_updated: None,
            })
        })
        .collect()
}

/// Generated index pages for folders that have pages but no `index.md` of their own.
fn section_pages(
    config: &Config,
    sources: &[Source],
    categories: &HashMap<String, crate::model::Category>,
    claimed: &HashMap<String, usize>,
) -> Vec<Page> {
    let listed: Vec<(String, bool)> = sources
        .iter()
        .map(|s| (s.rel_path.clone(), s.is_index))
        .collect();
    Nav::folders_without_index(&listed)
        .into_iter()
        .filter_map(|folder| {
            let (route, _) =
                routes::page_route(&config.route_base, &format!("{folder}/index.md"), None);
            if claimed.contains_key(&route) {
                return None;
            }
            let name = folder.rsplit('/').next().unwrap_or(&folder);
            let (stripped, prefix) = routes::strip_number_prefix(name);
            let category = categories.get(&folder);
            let title = category
                .and_then(|c| c.label.clone())
                .unwrap_or_else(|| stripped.to_string());
            Some(Page {
                kind: PageKind::Section,
                rel_path: format!("{folder}/"),
                file: config
                    .relative(&config.content_dir.join(&folder))
                    .to_path_buf(),
                source: String::new(),
                lines: LineIndex::new(""),
                body_offset: 0,
                front: FrontMatter::default(),
                route,
                is_index: true,
                title,
                has_h1: false,
                position: category.and_then(|c| c.position).or(prefix),
                html: String::new(),
                headings: Vec::new(),
                links: Vec::new(),
                todos: Vec::new(),
                code_blocks: Vec::new(),
                suspects: Vec::new(),
                last_updated: None,
            })
        })
        .collect()
}

fn title_from_path(rel_path: &str) -> String {
    let name = rel_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(rel_path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let stem = if routes::is_index_name(stem) {
        rel_path
            .trim_end_matches('/')
            .rsplit('/')
            .nth(1)
            .unwrap_or(stem)
    } else {
        stem
    };
    routes::strip_number_prefix(stem).0.replace(['-', '_'], " ")
}

/// All findings of a loaded site: loading findings and (unless skipped) the checks.
pub fn findings(site: &Site, policy: &Policy, options: &Options) -> Vec<Diagnostic> {
    if options.no_check {
        // Without checks, only what keeps pages from being built counts; a bad spec is left out of
        // the catalog and the rest renders.
        let mut all: Vec<Diagnostic> = site
            .diagnostics
            .iter()
            .filter(|d| d.rule != openapi::RULE)
            .filter_map(|d| policy.apply(d.clone(), None))
            .collect();
        diag::sort(&mut all);
        return all;
    }
    check::run(site, policy)
}

/// Build the site into the output folder. Findings at error level leave the output untouched.
pub fn build(config: &Config, options: &Options) -> Result<Summary> {
    let started = Instant::now();
    let highlighter = Highlighter::default();
    let theme = Theme::load(&config.theme_dir)?;
    let policy = Policy::new(&config.file.check)?;
    let site = load_site(config, options, &highlighter)?;
    let diagnostics = findings(&site, &policy, options);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut summary = Summary {
        pages: site.pages.len(),
        assets: site.assets.len(),
        redirects: site.redirects.len(),
        elapsed: Duration::ZERO,
        diagnostics,
        written: false,
        flavour: site
            .flavour
            .map_or("Docusaurus", crate::config::Flavour::name),
    };
    if errors > 0 {
        summary.elapsed = started.elapsed();
        return Ok(summary);
    }
    let nav = Nav::build(&site);
    let home = home_url(config, &site, &nav);
    let renderer = Renderer::new(config, &theme, home.clone())?;
    let staging = Staging::new(&config.output_dir)?;
    let search_language =
        (config.file.search.enabled && !options.no_search).then_some(config.file.language.as_str());
    write_site(
        &site,
        &nav,
        &renderer,
        &theme,
        &staging,
        &home,
        search_language,
    )?;
    staging.commit()?;
    summary.written = true;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Where the site title links: the route base's own page, else the first page.
pub fn home_url(config: &Config, site: &Site, nav: &Nav) -> String {
    let base = format!("{}/", config.route_base);
    if site.pages.iter().any(|p| p.route == base) {
        return base;
    }
    let first = (0..site.pages.len()).find(|&i| nav.prev_next(&site.pages, i).0.is_none());
    first.map_or_else(|| "/".to_string(), |i| site.pages[i].route.clone())
}

fn write_site(
    site: &Site,
    nav: &Nav,
    renderer: &Renderer,
    theme: &Theme,
    staging: &Staging,
    home: &str,
    search_language: Option<&str>,
) -> Result<()> {
    site.pages
        .par_iter()
        .enumerate()
        .try_for_each(|(i, page)| {
            let html = renderer.page(site, nav, i)?;
            staging.write(&page.route, html.as_bytes())
        })?;
    site.assets
        .par_iter()
        .try_for_each(|asset| staging.copy(&asset.source, &asset.url))?;
    for (name, bytes) in &theme.assets {
        staging.write(&format!("{}{name}", crate::render::THEME_URL), bytes)?;
    }
    staging.write(
        &format!("{}syntax.css", crate::render::THEME_URL),
        Highlighter::stylesheet().as_bytes(),
    )?;
    for (from, page) in &site.redirects {
        staging.write(from, renderer.redirect(&site.pages[*page])?.as_bytes())?;
    }
    staging.write("/404.html", renderer.not_found(nav)?.as_bytes())?;
    if let Some(language) = search_language {
        for (url, bytes) in crate::search::index(site, language)? {
            staging.write(&url, &bytes)?;
        }
    }
    staging.write("/sitemap.xml", renderer.sitemap(site).as_bytes())?;
    if !site.pages.iter().any(|p| p.route == "/") && home != "/" {
        if let Some(target) = site.pages.iter().find(|p| p.route == home) {
            staging.write("/", renderer.redirect(target)?.as_bytes())?;
        }
    }
    Ok(())
}

/// Where examples run: the embedded sandbox, or a real gateway with a key from the environment.
#[derive(Debug, Clone)]
pub struct ExampleTarget {
    /// A gateway's base URL; `None` starts the sandbox in this process on a free loopback port.
    pub gateway: Option<String>,
    /// The environment variable that holds the key for `gateway`.
    pub api_key_env: Option<String>,
    /// How requests are sent.
    pub runner: crate::examples::RunnerKind,
    /// Show progress.
    pub progress: bool,
}

/// Run every example of a loaded site; the sandbox lives as long as the run.
pub fn run_examples(
    config: &Config,
    site: &Site,
    target: &ExampleTarget,
) -> Result<(Vec<crate::examples::Report>, Vec<Diagnostic>)> {
    let gateway_config = gateway(config);
    let snippets = crate::examples::collect(site, &gateway_config);
    let (base_url, key, _sandbox) = match &target.gateway {
        Some(url) => {
            let var = target
                .api_key_env
                .as_deref()
                .unwrap_or(&config.file.gateway.key_env);
            let key = std::env::var(var).map_err(|_| Error::Setting {
                key: "api-key-env",
                message: format!(
                    "the environment variable `{var}` holding the gateway's API key is not set"
                ),
            })?;
            (url.trim_end_matches('/').to_string(), key, None)
        }
        None => {
            let keys = config.file.sandbox.keys.clone();
            let key = keys
                .iter()
                .find(|k| k.apis.is_empty() && k.rate_limit == 0)
                .or(keys.first())
                .map(|k| k.key.clone())
                .unwrap_or_default();
            let sandbox = crate::sandbox::gateway::Gateway::new(
                site.catalog.clone(),
                keys,
                &config.file.gateway.key_header,
            );
            let running = crate::sandbox::start(
                std::sync::Arc::new(sandbox),
                "127.0.0.1",
                0,
                8,
                crate::sandbox::Log::Quiet,
            )?;
            (running.base_url(), key, Some(running))
        }
    };
    let e = &config.file.examples;
    let runner = crate::examples::Runner {
        base_url,
        key,
        gateway_pattern: config.file.gateway.url.clone(),
        key_placeholders: e.key_placeholders.clone(),
        key_variables: e
            .key_variables
            .iter()
            .cloned()
            .chain(std::iter::once(config.file.gateway.key_env.clone()))
            .collect(),
        path_placeholders: e.path_placeholders.clone(),
        concurrency: e.concurrency,
        timeout: Duration::from_secs(e.timeout_secs.max(1)),
        kind: target.runner,
        progress: target.progress,
    };
    Ok(crate::examples::run(&runner, &site.catalog, &snippets))
}

/// Create a small working site in `dir`.
pub fn init(dir: &std::path::Path) -> Result<()> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| Error::io("cannot read", dir, e))?
            .next()
            .is_some()
    {
        return Err(Error::NotEmpty(dir.to_path_buf()));
    }
    let files: [(&str, &str); 6] = [
        ("intark.toml", include_str!("init/intark.toml")),
        ("content/index.md", include_str!("init/index.md")),
        ("content/kom-i-gang.md", include_str!("init/kom-i-gang.md")),
        (
            "content/tilgjengelighet.md",
            include_str!("init/tilgjengelighet.md"),
        ),
        ("static/img/.gitkeep", ""),
        (".gitignore", "/public/\n"),
    ];
    for (rel, text) in files {
        let path: PathBuf = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io("cannot write", &path, e))?;
    }
    Ok(())
}
