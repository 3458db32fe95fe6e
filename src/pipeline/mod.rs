//! Orchestration: load → assemble the [`Site`] → check → render → write. Holds no state between runs;
//! each function takes the resolved [`Config`] and options and returns plain values.

use crate::apidocs;
use crate::apigen::snippet::Gateway;
use crate::catalog::Catalog;
use crate::check::{self, Policy};
use crate::config::Config;
use crate::diag::{self, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::load::{self, Source};
use crate::markdown::{self, Highlighter};
use crate::model::{FrontMatter, Page, PageKind, Site};
use crate::nav::Nav;
use crate::openapi;
use crate::output::Staging;
use crate::render::Renderer;
use crate::routes::{self, Resolver};
use crate::theme::{Templates, Theme};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod examples;
mod init;
mod jekyll;
mod other_pages;
mod pages;
mod redirects;
mod sidebars;

pub use examples::{example_key, gateway, run_examples, ExampleTarget};
pub use init::{eject_theme, init};
use pages::{catalog_pages, flavour, section_pages};
pub use pages::{children_by_folder, page_from_source, partial_reader, PassShared};

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
    load_site_with(config, options, highlighter, None)
}

/// [`load_site`] with the site's theme and the templates page bodies render through, when the
/// caller has them already: a build compiles the templates once for the Markdown pass and the
/// renderer (parsing them is a fixed cost of some 30 ms per compile).
fn load_site_with(
    config: &Config,
    options: &Options,
    highlighter: &Highlighter,
    themed: Option<(&Theme, &Templates)>,
) -> Result<Site> {
    let words = &todo_words(config);
    let mut loaded = load::load(config, words)?;
    let mut diagnostics = loaded.diagnostics;
    if let Some(docusaurus) = &config.docusaurus {
        diagnostics.extend(docusaurus.unsupported.iter().map(|name| {
            Diagnostic::warning(
                "unsupported-plugin",
                diag::Span::file_start(&docusaurus.file),
                format!("`{name}` in {} is not run by intark-docs; what it adds to the site is left out", docusaurus.file),
            )
        }));
    }
    if let Some(sidebars) = config
        .docusaurus
        .as_ref()
        .and_then(|d| d.sidebars.as_deref())
    {
        let known: Vec<String> = loaded
            .sources
            .iter()
            .map(|s| crate::nav::doc_id_of(&s.rel_path, &s.front))
            .collect();
        diagnostics.extend(sidebars::findings(config, sidebars, &known));
    }
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
            let other = &sources[first];
            // Hugo accepts two pages with one URL (the later one is written; only
            // `--printPathWarnings` says so): a warning there, keeping the later page.
            let (rule, winner) = if config.hugo.is_some() {
                keep[first] = false;
                ("shared-route", Some(i))
            } else {
                keep[i] = false;
                ("duplicate-route", None)
            };
            diagnostics.push(
                Diagnostic::error(
                    rule,
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
            if let Some(winner) = winner {
                claimed.insert(sources[winner].route.clone(), winner);
            }
        } else {
            claimed.insert(source.route.clone(), i);
        }
    }
    let mut keep_iter = keep.into_iter();
    sources.retain(|_| keep_iter.next().unwrap_or(true));

    let mut sections = section_pages(config, &sources, &loaded.categories, &claimed);
    let openapi_dir = crate::error::processing(config.relative(&config.openapi_dir));
    let (catalog, catalog_findings) = openapi::load_within(
        &openapi::Source {
            dir: &config.openapi_dir,
            root: &config.root,
            gateway_host_suffix: &config.file.gateway.host_suffix,
            apis: &config.file.apis,
        },
        &config.file.limits,
    );
    drop(openapi_dir);
    diagnostics.extend(catalog_findings);
    let loaded_theme;
    let theme = match themed {
        Some((theme, _)) => theme,
        None => {
            loaded_theme = Theme::for_site(config)?;
            &loaded_theme
        }
    };
    sections.extend(catalog_pages(
        config,
        &catalog,
        highlighter,
        theme,
        &claimed,
        &mut diagnostics,
    )?);
    // The specs readers can download from the API pages, beside those pages.
    loaded.assets.extend(apidocs::download_assets(
        &catalog.apis,
        &routes::join_route(&config.route_base, &config.file.catalog.route),
        &config.root,
    ));
    let read_partial = pages::partial_reader(&config.root);
    let other_pages = other_pages::other_pages(config, highlighter, words, &read_partial);
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
    )
    .with_other_pages(other_pages.iter().map(|p| p.route.as_str()));
    let mut redirects = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        for from in &source.front.redirect_from {
            let folder = source
                .route
                .trim_end_matches('/')
                .rsplit_once('/')
                .map_or("", |(f, _)| f);
            let route = if config.jekyll.is_some() && from.ends_with(".html") {
                from.clone()
            } else if from.starts_with('/') {
                routes::join_route("", from)
            } else {
                routes::join_route(folder, from)
            };
            // jekyll-redirect-from: a URL claimed twice is a warning, and the later claim wins.
            if config.jekyll.is_some() {
                if let Some(j) = jekyll::claimed(&resolver, &redirects, &route) {
                    diagnostics.push(jekyll::shared_redirect(source, from, &sources[j.0], j.1));
                    if j.1 {
                        continue;
                    }
                    redirects.retain(|(r, _)| r != &route);
                    resolver.set_route(route.clone(), i);
                    redirects.push((route, i));
                    continue;
                }
            }
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

    let layout_links = layout_links(config, &resolver);
    let git_dates = load::git_dates(&config.content_dir);
    let children = children_by_folder(sources.iter().map(|s| {
        (
            s.rel_path.as_str(),
            s.front.title.as_deref(),
            s.route.as_str(),
            s.is_index,
        )
    }));
    let compiled;
    let shortcodes = theme.shortcode_templates()?;
    let paired = theme.paired_shortcodes();
    let liquid = jekyll::liquid(config, &sources);
    let shared = PassShared {
        liquid: liquid.as_ref().map(|(engine, pages)| (engine, pages)),
        resolver: &resolver,
        highlighter,
        words,
        html: !options.check_only,
        site_url: &config.base_url,
        base_path: &config.route_base,
        children: &children,
        shortcodes: shortcodes.as_ref(),
        shortcodes_paired: &paired,
        heading_ids: config.file.heading_ids,
        docusaurus: config.docusaurus.as_deref(),
        // Docusaurus's imported partials; the spec files of Hugo's `openapi` shortcode.
        partials: (config.docusaurus.is_some() || config.hugo.is_some())
            .then_some(&read_partial as &crate::markdown::rewrite::ReadPartial),
        ui: (&theme.strings, &config.file.language),
        templates: match themed {
            Some((_, templates)) => templates,
            None => {
                compiled = Templates::for_bodies(theme)?;
                &compiled
            }
        },
    };
    let mut pages: Vec<Page> = sources
        .into_par_iter()
        .map(|source| {
            let git_date = git_dates.get(&source.rel_path).cloned();
            page_from_source(source, &shared, git_date)
        })
        .collect();
    pages.extend(sections);
    diagnostics.extend(crate::theme::languages::findings(
        config,
        &theme.strings,
        pages.iter().filter_map(|p| p.front.lang.as_deref()),
    ));
    let flavour = flavour(config, &pages);
    let url_redirects = redirects::client_redirects(config, &pages, &mut diagnostics);
    diag::sort(&mut diagnostics);
    Ok(Site {
        pages,
        assets: loaded.assets,
        categories: loaded.categories,
        flavour: Some(flavour),
        redirects,
        url_redirects,
        other_pages,
        diagnostics,
        catalog,
        sidebars: config.docusaurus.as_ref().and_then(|d| d.sidebars.clone()),
        layout_links,
    })
}

/// The navbar's and footer's links of a Docusaurus site, resolved as the pages' links are.
fn layout_links(config: &Config, resolver: &Resolver) -> Vec<crate::model::LayoutLink> {
    use crate::config::docusaurus::Place;
    let Some(docusaurus) = &config.docusaurus else {
        return Vec::new();
    };
    docusaurus
        .layout_links
        .iter()
        .map(|link| crate::model::LayoutLink {
            what: match (link.place, link.label.as_str()) {
                (Place::Logo, _) => "the navbar's title and logo".to_string(),
                (Place::Navbar, label) => format!("the navbar item `{label}`"),
                (Place::Footer, "") => "the footer logo".to_string(),
                (Place::Footer, label) => format!("the footer link `{label}`"),
            },
            url: link.url.clone(),
            span: link.span.clone(),
            target: resolver.resolve(&link.url, "", "/"),
            logo: link.place == Place::Logo,
        })
        .collect()
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
    // The build writes `/sitemap.xml` beside the pages.
    let mut resolver = Resolver::new(
        &config.route_base,
        pages,
        assets
            .iter()
            .map(|a| a.url.clone())
            .chain(std::iter::once("/sitemap.xml".to_string())),
    )
    .with_content_prefix(&prefix)
    .with_content_assets(assets.iter().filter_map(|a| {
        let rel = a.source.strip_prefix(&config.content_dir).ok()?;
        Some((rel.to_string_lossy().replace('\\', "/"), a.url.clone()))
    }))
    .with_language_dirs(
        config
            .hugo
            .iter()
            .flat_map(|h| h.languages.iter().map(|l| l.dir.clone())),
    )
    .with_fallback_dirs(config.hugo.iter().flat_map(|h| {
        h.languages
            .iter()
            .flat_map(|l| l.fallback.iter().map(|f| (l.dir.clone(), f.clone())))
    }));
    if let Some(hugo) = &config.hugo {
        let dirs: Vec<_> = hugo
            .asset_dirs
            .iter()
            .map(|d| config.root.join(d))
            .collect();
        let global = assets.iter().filter_map(|a| {
            let dir = dirs.iter().find(|d| a.source.starts_with(d))?;
            let rel = a.source.strip_prefix(dir).ok()?;
            Some((rel.to_string_lossy().replace('\\', "/"), a.url.clone()))
        });
        resolver = resolver.with_base_names().with_global_resources(global);
    }
    resolver
}

/// A resolver over a loaded site's pages, assets and redirects (the same one `load_site` used).
pub fn resolver_for(config: &Config, site: &Site) -> Resolver {
    let mut resolver = resolver_over(
        config,
        site.pages
            .iter()
            .map(|p| (p.rel_path.as_str(), p.route.as_str())),
        &site.assets,
    )
    .with_other_pages(site.other_pages.iter().map(|p| p.route.as_str()));
    for (route, page) in &site.redirects {
        resolver.add_route(route.clone(), *page);
    }
    resolver
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
    build_forcing(config, options, false)
}

/// [`build`]; with `force` (`build --force`) it also replaces an output folder that intark-docs did
/// not write. The site's own folders are refused either way ([`crate::output::guard`]).
pub fn build_forcing(config: &Config, options: &Options, force: bool) -> Result<Summary> {
    let started = Instant::now();
    crate::output::guard(config, force)?;
    let highlighter = Highlighter::default();
    let theme = Theme::for_site(config)?;
    let policy = Policy::new(&config.file.check)?;
    // Compiled once for the Markdown pass and the renderer. Templates that do not compile are
    // reported by the renderer; until then page bodies render through the built-in ones.
    let compiled = Templates::new(&theme);
    let fallback;
    let bodies = match &compiled {
        Ok(templates) => templates,
        Err(_) => {
            fallback = Templates::for_bodies(&theme)?;
            &fallback
        }
    };
    let site = load_site_with(config, options, &highlighter, Some((&theme, bodies)))?;
    let diagnostics = findings(&site, &policy, options);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut summary = Summary {
        pages: site.pages.len(),
        assets: site.assets.len(),
        redirects: site.redirects.len() + site.url_redirects.len(),
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
    let mut renderer = Renderer::with_templates(config, compiled?, home.clone());
    renderer.set_brand(brand(config, &site, &nav));
    let staging = Staging::new(&config.output_dir, force)?;
    // Docusaurus publishes nothing at `/` unless a page is there (a `src/pages/index` or a doc with
    // `slug: /`): its navbar's link to `/` is then broken on every page, so no redirect of ours
    // may stand in for it. Other sites get one to their first page.
    let root_redirect = config.docusaurus.is_none().then_some(home.as_str());
    let search_language =
        (config.file.search.enabled && !options.no_search).then_some(config.file.language.as_str());
    // Docusaurus without `trailingSlash`: `/docs/x` is `docs/x/index.html`; with `false`, `x.html`.
    let bare_routes_are_folders = config
        .docusaurus
        .as_ref()
        .is_some_and(|d| d.trailing_slash.is_none());
    write_site(
        bare_routes_are_folders,
        &site,
        &nav,
        &renderer,
        &theme,
        &staging,
        root_redirect,
        search_language,
    )?;
    staging.commit()?;
    summary.written = true;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// The config's `[brand]` with the navbar's doc and sidebar items linking their pages: a doc
/// item its doc id's page, labelled with the id when it has no label (`DocNavbarItem`); a sidebar
/// item the sidebar's first page, labelled as there when it has no label
/// (`DocSidebarNavbarItem`). An item whose doc or sidebar is not there keeps the docs' base.
pub fn brand(config: &Config, site: &Site, nav: &Nav) -> crate::config::BrandConfig {
    use crate::config::DocsLink;
    let mut brand = config.file.brand.clone();
    for link in &mut brand.navbar {
        let found = match &link.docs {
            None => continue,
            Some(DocsLink::Doc(id)) => site
                .pages
                .iter()
                .position(|p| {
                    p.kind == PageKind::Markdown
                        && crate::nav::doc_id_of(&p.rel_path, &p.front) == *id
                })
                .map(|page| (page, id.as_str())),
            Some(DocsLink::Sidebar(name)) => nav.first_of_sidebar(name),
        };
        if let Some((page, label)) = found {
            link.url = crate::routes::url_of(&site.pages[page].route);
            if link.label.is_empty() {
                link.label = match label {
                    "" => site.pages[page].nav_label().to_string(),
                    own => own.to_string(),
                };
            }
        }
    }
    brand.navbar.retain(|l| !l.label.is_empty());
    brand
}

/// Where the site title links: on a Docusaurus site the navbar logo's `href`, else `/`, under the
/// base URL (theme-classic `Logo`); elsewhere the route base's own page, else the first page. A
/// URL, percent-encoded (plain ASCII), so it also serves as an HTTP `Location` header for
/// non-ASCII routes.
pub fn home_url(config: &Config, site: &Site, nav: &Nav) -> String {
    if let Some(docusaurus) = &config.docusaurus {
        return crate::routes::url_of(&docusaurus.home());
    }
    let base = format!("{}/", config.route_base);
    if site.pages.iter().any(|p| p.route == base) {
        return crate::routes::url_of(&base);
    }
    nav.first_page().map_or_else(
        || "/".to_string(),
        |i| crate::routes::url_of(&site.pages[i].route),
    )
}

#[allow(clippy::too_many_arguments)]
fn write_site(
    bare_routes_are_folders: bool,
    site: &Site,
    nav: &Nav,
    renderer: &Renderer,
    theme: &Theme,
    staging: &Staging,
    root_redirect: Option<&str>,
    search_language: Option<&str>,
) -> Result<()> {
    let sidebars = renderer.sidebars(nav);
    site.pages
        .par_iter()
        .enumerate()
        .try_for_each(|(i, page)| {
            let _file = crate::error::processing(&page.file);
            let html = renderer.page_with(site, &sidebars, i)?;
            let file = if bare_routes_are_folders {
                crate::routes::folder_file_url(&page.route)
            } else {
                crate::routes::file_url(&page.route)
            };
            staging.write(&file, html.as_bytes())
        })?;
    site.assets
        .par_iter()
        .try_for_each(|asset| match &asset.made {
            Some(bytes) => staging.write(&asset.url, bytes),
            None => staging.copy(&asset.source, &asset.url),
        })?;
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
    for redirect in &site.url_redirects {
        let page = redirect.page.map(|i| &site.pages[i]);
        staging.write(
            &redirect.at,
            renderer.redirect_to(&redirect.to, page)?.as_bytes(),
        )?;
    }
    staging.write("/404.html", renderer.not_found(nav)?.as_bytes())?;
    staging.write(
        &format!("{}{}", crate::render::THEME_URL, crate::render::PAGE_LIST),
        crate::render::page_list(site, nav).as_bytes(),
    )?;
    if let Some(language) = search_language {
        crate::search::write(site, language, &|url, bytes| staging.write(url, bytes))?;
        if let Some(url) = renderer.search_url() {
            if !site.pages.iter().any(|p| p.route == url) {
                staging.write(url, renderer.search_page(nav)?.as_bytes())?;
            }
        }
    }
    staging.write("/sitemap.xml", renderer.sitemap(site).as_bytes())?;
    let root_redirect = root_redirect.filter(|home| *home != "/");
    if let (Some(home), false) = (root_redirect, site.pages.iter().any(|p| p.route == "/")) {
        if let Some(target) = site
            .pages
            .iter()
            .find(|p| crate::routes::url_of(&p.route) == home)
        {
            staging.write("/", renderer.redirect(target)?.as_bytes())?;
        }
    }
    Ok(())
}
