//! Turning the loaded site into HTML with Tera templates.
//!
//! Templates are compiled once per build; each page gets a dedicated, serialisable view-model, so a
//! template change never forces a change to the domain types. Pure: returns strings, writes nothing.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Page, Site};
use crate::nav::{Nav, NavLink};
use crate::theme::Theme;
use serde::Serialize;
use tera::{Context, Tera};

/// Where the theme's files are served.
pub const THEME_URL: &str = "/_theme/";

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
    children: Vec<NavLink>,
    theme_url: &'static str,
}

/// Compiled templates and the site-wide view.
#[derive(Debug)]
pub struct Renderer {
    tera: Tera,
    site: SiteView,
    edit_url: Option<String>,
}

impl Renderer {
    /// Compile the theme's templates.
    pub fn new(config: &Config, theme: &Theme, home_url: String) -> Result<Renderer> {
        let mut tera = Tera::default();
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|source| Error::Template {
            name: template_name(&source),
            source,
        })?;
        Ok(Renderer {
            tera,
            site: SiteView {
                title: config.file.title.clone(),
                description: config.file.description.clone(),
                language: config.file.language.clone(),
                home_url,
                base_url: config.base_url.clone(),
                search_url: config.file.search.enabled.then(|| search_route(config)),
            },
            edit_url: config.file.edit_url.clone(),
        })
    }

    /// The full HTML of one page.
    pub fn page(&self, site: &Site, nav: &Nav, index: usize) -> Result<String> {
        let page = &site.pages[index];
        let (prev, next) = nav.prev_next(&site.pages, index);
        let context = PageContext {
            site: &self.site,
            page: self.page_view(page),
            nav_html: nav.sidebar_html(index),
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
                nav.children(index)
            } else {
                Vec::new()
            },
            theme_url: THEME_URL,
        };
        self.render("page.html", &context)
    }

    /// The `404.html` page.
    pub fn not_found(&self, nav: &Nav) -> Result<String> {
        self.standalone("404.html", "Fant ikke siden", nav)
    }

    /// Where the full search results page is, when the site has search.
    pub fn search_url(&self) -> Option<&str> {
        self.site.search_url.as_deref()
    }

    /// The full search results page (`search.html`, at [`Renderer::search_url`]); search.js fills it.
    pub fn search_page(&self, nav: &Nav) -> Result<String> {
        self.standalone("search.html", "Søk", nav)
    }

    /// A page of the theme's own that no source file stands for.
    fn standalone(&self, template: &str, title: &str, nav: &Nav) -> Result<String> {
        let mut context = Context::new();
        context.insert("site", &self.site);
        context.insert(
            "page",
            &serde_json::json!({"title": title, "lang": self.site.language}),
        );
        context.insert("nav_html", &nav.sidebar_html(usize::MAX));
        context.insert("theme_url", THEME_URL);
        self.tera
            .render(template, &context)
            .map_err(|source| Error::Template {
                name: template.into(),
                source,
            })
    }

    /// A redirect page to `target`.
    pub fn redirect(&self, target: &Page) -> Result<String> {
        let mut context = Context::new();
        context.insert("site", &self.site);
        context.insert(
            "target",
            &serde_json::json!({
                "url": target.route,
                "label": target.title,
                "canonical": format!("{}{}", self.site.base_url, target.route),
            }),
        );
        context.insert("theme_url", THEME_URL);
        self.tera
            .render("redirect.html", &context)
            .map_err(|source| Error::Template {
                name: "redirect.html".into(),
                source,
            })
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

    fn render(&self, name: &str, context: &impl Serialize) -> Result<String> {
        let context = Context::from_serialize(context).map_err(|source| Error::Template {
            name: name.into(),
            source,
        })?;
        self.tera
            .render(name, &context)
            .map_err(|source| Error::Template {
                name: name.into(),
                source,
            })
    }
}

fn template_name(error: &tera::Error) -> String {
    match &error.kind {
        tera::ErrorKind::Msg(message) => message.split('\'').nth(1).unwrap_or("theme").to_string(),
        _ => "theme".to_string(),
    }
}
