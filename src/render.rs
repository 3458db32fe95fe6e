//! Turning the loaded site into HTML with Tera templates.
//!
//! Templates are compiled once per build; each page gets a dedicated, serialisable view-model, so a
//! template change never forces a change to the domain types. Pure: returns strings, writes nothing.

use crate::config::Config;
use crate::error::Result;
use crate::model::{Page, Site};
use crate::nav::{Nav, NavLink};
use crate::theme::{Templates, Theme};
use serde::Serialize;
use tera::Context;

mod sidebar;

pub use sidebar::Sidebars;

/// Where the theme's files are served.
pub const THEME_URL: &str = "/_theme/";

/// The file beside the theme's (under [`THEME_URL`]) that lists the site's pages for the 404 page's
/// suggestions ([`page_list`]): one file fetched when a reader meets the 404 page, so that page does
/// not grow with the site.
pub const PAGE_LIST: &str = "site-pages.json";

/// The site's pages in reading order (drafts left out) as JSON, `[[url, title], …]`: what the 404
/// page's script picks the pages closest to a missing address from ([`PAGE_LIST`]).
pub fn page_list(site: &Site, nav: &Nav) -> String {
    let pairs: Vec<(String, String)> = nav
        .links(&site.pages)
        .into_iter()
        .map(|link| (link.url, link.label))
        .collect();
    serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".to_string())
}

/// The key of a page's extra data holding the operations its sidebar entry lists (API pages).
pub const SIDEBAR_OPERATIONS: &str = "sidebar_operations";

/// The route of the full search results page: `sok/` under the route base.
fn search_route(config: &Config) -> String {
    format!("{}/sok/", config.route_base)
}

/// Site-wide values every template sees as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Default page language.
    pub language: String,
    /// Where the site title links to.
    pub home_url: String,
    /// Public address, no trailing slash (may be empty).
    pub base_url: String,
    /// Tagline, logo, favicon, navbar and footer links from the site's config.
    pub brand: crate::config::BrandConfig,
    /// The full search results page (`search.html`), when the site has search.
    pub search_url: Option<String>,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    nav_label: &'a str,
    description: Option<&'a str>,
    route: &'a str,
    canonical: Option<String>,
    lang: &'a str,
    content: &'a str,
    has_h1: bool,
    draft: bool,
    tags: &'a [String],
    last_updated: Option<&'a str>,
    edit_url: Option<String>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct TocItem<'a> {
    level: u8,
    id: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct PageContext<'a> {
    site: &'a SiteView,
    page: PageView<'a>,
    nav_html: String,
    toc: Vec<TocItem<'a>>,
    breadcrumbs: Vec<NavLink>,
    prev: Option<NavLink>,
    next: Option<NavLink>,
    children: Vec<crate::nav::Card>,
    theme_url: &'static str,
}

/// Compiled templates and the site-wide view.
#[derive(Debug)]
pub struct Renderer {
    templates: Templates,
    site: SiteView,
    edit_url: Option<String>,
}

impl Renderer {
    /// Compile the theme's templates.
    pub fn new(config: &Config, theme: &Theme, home_url: String) -> Result<Renderer> {
        Ok(Renderer::with_templates(
            config,
            Templates::new(theme)?,
            home_url,
        ))
    }

    /// A renderer with templates compiled already (a build compiles them once for the Markdown
    /// pass and the pages).
    pub fn with_templates(config: &Config, templates: Templates, home_url: String) -> Renderer {
        Renderer {
            templates,
            site: SiteView {
                title: config.file.title.clone(),
                description: config.file.description.clone(),
                language: config.file.language.clone(),
                home_url,
                base_url: config.base_url.clone(),
                brand: config.file.brand.clone(),
                search_url: config.file.search.enabled.then(|| search_route(config)),
            },
            edit_url: config.file.edit_url.clone(),
        }
    }

    /// Use `brand` for the header and footer in place of the config's (`pipeline::brand` gives
    /// navbar items their pages' addresses once the pages are known).
    pub fn set_brand(&mut self, brand: crate::config::BrandConfig) {
        self.site.brand = brand;
    }

    /// The full HTML of one page.
    pub fn page(&self, site: &Site, nav: &Nav, index: usize) -> Result<String> {
        self.page_with(site, &self.sidebars(nav), index)
    }

    /// The sidebars of `nav`, to share between the pages of one build (see [`Sidebars`]).
    pub fn sidebars<'a>(&'a self, nav: &'a Nav) -> Sidebars<'a> {
        Sidebars::new(nav, &self.templates)
    }

    /// [`Renderer::page`] with the sidebars of the build.
    pub fn page_with(&self, site: &Site, sidebars: &Sidebars<'_>, index: usize) -> Result<String> {
        let nav = sidebars.nav();
        let page = &site.pages[index];
        let lang = page.front.lang.as_deref().unwrap_or(&self.site.language);
        let (prev, next) = nav.prev_next(&site.pages, index);
        let context = PageContext {
            site: &self.site,
            page: self.page_view(page),
            nav_html: sidebars.render(index, lang, page.front.extra.get(SIDEBAR_OPERATIONS))?,
            // `toc: false` (Hugo) hides the table of contents.
            toc: page
                .headings
                .iter()
                .filter(|_| page.front.extra.get("toc") != Some(&serde_json::Value::Bool(false)))
                .filter(|h| h.level == 2 || h.level == 3)
                .map(|h| TocItem {
                    level: h.level,
                    id: &h.id,
                    text: &h.text,
                })
                .collect(),
            breadcrumbs: nav.breadcrumbs(index),
            prev,
            next,
            children: if page.kind == crate::model::PageKind::Section {
                nav.children(&site.pages, index)
            } else {
                Vec::new()
            },
            theme_url: THEME_URL,
        };
        self.templates
            .render("page.html", context.page.lang, &context)
    }

    /// The compiled templates (for other named templates rendered through the theme).
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The `404.html` page.
    pub fn not_found(&self, nav: &Nav) -> Result<String> {
        let mut context = self.standalone_context("not_found.title", nav)?;
        // The browser picks the pages closest to the missing address from this file (not-found.js).
        context.insert("pages_url", &format!("{THEME_URL}{PAGE_LIST}"));
        self.templates
            .render_context("404.html", &self.site.language, &context)
    }

    /// Where the full search results page is, when the site has search.
    pub fn search_url(&self) -> Option<&str> {
        self.site.search_url.as_deref()
    }

    /// The full search results page (`search.html`, at [`Renderer::search_url`]); search.js fills it.
    pub fn search_page(&self, nav: &Nav) -> Result<String> {
        self.standalone("search.html", "search.page_title", nav)
    }

    /// A page of the theme's own that no source file stands for.
    fn standalone(&self, template: &str, title_key: &str, nav: &Nav) -> Result<String> {
        let context = self.standalone_context(title_key, nav)?;
        self.templates
            .render_context(template, &self.site.language, &context)
    }

    /// The context of a theme page of its own: the site, its title and language, and the sidebar.
    fn standalone_context(&self, title_key: &str, nav: &Nav) -> Result<Context> {
        let mut context = Context::new();
        context.insert("site", &self.site);
        let lang = &self.site.language;
        context.insert(
            "page",
            &serde_json::json!({
                "title": self.templates.text(lang, title_key),
                "lang": lang,
            }),
        );
        context.insert(
            "nav_html",
            &self.sidebars(nav).render(usize::MAX, lang, None)?,
        );
        context.insert("theme_url", THEME_URL);
        Ok(context)
    }

    /// A redirect page to `target`.
    pub fn redirect(&self, target: &Page) -> Result<String> {
        self.redirect_to(&target.route, Some(target))
    }

    /// A redirect page to the URL `to` (a route of the site, with a fragment perhaps, or an
    /// address), naming `page` where it is one of ours, else the URL itself.
    pub fn redirect_to(&self, to: &str, page: Option<&Page>) -> Result<String> {
        let mut context = Context::new();
        context.insert("site", &self.site);
        let canonical = if to.starts_with('/') {
            format!("{}{to}", self.site.base_url)
        } else {
            to.to_string()
        };
        context.insert(
            "target",
            &serde_json::json!({
                "url": to,
                "label": page.map_or(to, |p| p.title.as_str()),
                "canonical": canonical,
            }),
        );
        context.insert("theme_url", THEME_URL);
        let lang = page
            .and_then(|p| p.front.lang.as_deref())
            .unwrap_or(&self.site.language);
        context.insert("lang", lang);
        self.templates
            .render_context("redirect.html", lang, &context)
    }

    /// `sitemap.xml` for the pages (never drafts).
    pub fn sitemap(&self, site: &Site) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for page in site.pages.iter().filter(|p| !p.front.draft) {
            out.push_str("  <url><loc>");
            let mut url = String::new();
            let _ = pulldown_cmark_escape::escape_html(
                &mut url,
                &format!("{}{}", self.site.base_url, page.route),
            );
            out.push_str(&url);
            out.push_str("</loc>");
            if let Some(date) = &page.last_updated {
                out.push_str("<lastmod>");
                out.push_str(date);
                out.push_str("</lastmod>");
            }
            out.push_str("</url>\n");
        }
        out.push_str("</urlset>\n");
        out
    }

    fn page_view<'a>(&'a self, page: &'a Page) -> PageView<'a> {
        PageView {
            title: &page.title,
            nav_label: page.nav_label(),
            description: page
                .front
                .description
                .as_deref()
                .filter(|d| !d.trim().is_empty()),
            route: &page.route,
            canonical: (!self.site.base_url.is_empty())
                .then(|| format!("{}{}", self.site.base_url, page.route)),
            lang: page.front.lang.as_deref().unwrap_or(&self.site.language),
            content: &page.html,
            has_h1: page.has_h1,
            draft: page.front.draft,
            tags: &page.front.tags,
            last_updated: page.last_updated.as_deref(),
            edit_url: match (&self.edit_url, page.kind) {
                (Some(prefix), crate::model::PageKind::Markdown) => {
                    Some(format!("{}{}", prefix, page.rel_path))
                }
                _ => None,
            },
            extra: &page.front.extra,
        }
    }
}
