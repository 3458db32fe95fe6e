//! The site's own look from `docusaurus.config.js`: tagline, favicon, logo, navbar links and footer,
//! mapped onto the theme's `[brand]` settings (what `themeConfig.navbar`/`footer` give a Docusaurus
//! site's header and footer).

use super::{DocusaurusSite, FooterLink, NavItem, NavTarget};
use crate::config::{BrandConfig, BrandLink, DocsLink, FooterColumn, FooterConfig};

/// `[brand]` from the Docusaurus-only parts. `base` is `baseUrl`, `docs_base` the default docs
/// instance's route (where `doc` and `docSidebar` items point).
pub(super) fn brand(site: &DocusaurusSite, base: &str, docs_base: &str) -> BrandConfig {
    let under_base = |path: &str| -> String {
        if path.contains("://") || path.starts_with("mailto:") || path.starts_with('#') {
            return path.to_string();
        }
        // Docusaurus resolves `to`, `favicon` and `logo.src` against `baseUrl`.
        let base = base.trim_end_matches('/');
        let rel = path.trim_start_matches('/');
        if !base.is_empty() && path.starts_with(&format!("{base}/")) {
            return path.to_string();
        }
        format!("{base}/{rel}")
    };
    let mut navbar = Vec::new();
    for item in &site.navbar.items {
        nav_links(item, &under_base, docs_base, &mut navbar);
    }
    let mut footer = FooterConfig {
        text: site
            .footer
            .copyright
            .as_deref()
            .map(plain_text)
            .unwrap_or_default(),
        ..FooterConfig::default()
    };
    for column in &site.footer.columns {
        let links: Vec<BrandLink> = column
            .items
            .iter()
            .filter_map(|link| match link {
                FooterLink::Link { label, href } if !label.is_empty() && !href.is_empty() => {
                    Some(BrandLink {
                        label: label.clone(),
                        url: under_base(href),
                        docs: None,
                    })
                }
                _ => None,
            })
            .collect();
        match &column.title {
            Some(title) => footer.columns.push(FooterColumn {
                title: title.clone(),
                links,
            }),
            None => footer.links.extend(links),
        }
    }
    BrandConfig {
        tagline: site.tagline.clone(),
        logo: site.navbar.logo.as_deref().map(under_base),
        logo_alt: site.navbar.logo_alt.clone(),
        favicon: site.favicon.as_deref().map(under_base),
        navbar,
        footer,
    }
}

/// A navbar item as header links: links and doc targets as they are, a dropdown's items in its
/// place; search boxes, locale menus and HTML items have no link.
fn nav_links(
    item: &NavItem,
    under_base: &dyn Fn(&str) -> String,
    docs_base: &str,
    out: &mut Vec<BrandLink>,
) {
    // A doc's or sidebar's address is its page's, known once the pages are (`pipeline::brand`);
    // until then the docs' route base stands in.
    let (url, docs) = match &item.target {
        NavTarget::Link(to) if !to.is_empty() => (under_base(to), None),
        NavTarget::Doc(id) => (
            format!("{}/{}/", docs_base.trim_end_matches('/'), id),
            Some(DocsLink::Doc(id.clone())),
        ),
        NavTarget::Sidebar(id) => (
            format!("{}/", docs_base.trim_end_matches('/')),
            Some(DocsLink::Sidebar(id.clone())),
        ),
        NavTarget::Dropdown(items) => {
            for inner in items {
                nav_links(inner, under_base, docs_base, out);
            }
            return;
        }
        NavTarget::Link(_) | NavTarget::Other(_) => return,
    };
    // A doc item without a label shows the doc id, a sidebar item its first link's label.
    if !item.label.is_empty() || docs.is_some() {
        out.push(BrandLink {
            label: item.label.clone(),
            url,
            docs,
        });
    }
}

/// The text of a copyright line that Docusaurus shows as HTML (tags dropped, entities kept as text).
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::docusaurus::{Footer, FooterColumn as DocColumn, Navbar};

    #[test]
    fn navbar_footer_logo_and_favicon_become_the_brand() {
        let site = DocusaurusSite {
            tagline: "Docs".into(),
            favicon: Some("img/favicon.ico".into()),
            navbar: Navbar {
                title: Some("T".into()),
                logo: Some("img/logo.svg".into()),
                logo_alt: Some("Logo".into()),
                logo_href: None,
                items: vec![
                    NavItem {
                        label: "Guide".into(),
                        position: "left".into(),
                        target: NavTarget::Sidebar("s".into()),
                    },
                    NavItem {
                        label: "Mer".into(),
                        position: "left".into(),
                        target: NavTarget::Dropdown(vec![NavItem {
                            label: "GitHub".into(),
                            position: "left".into(),
                            target: NavTarget::Link("https://github.com/x".into()),
                        }]),
                    },
                    NavItem {
                        label: String::new(),
                        position: "right".into(),
                        target: NavTarget::Other("search".into()),
                    },
                ],
            },
            footer: Footer {
                columns: vec![DocColumn {
                    title: Some("Kontakt".into()),
                    items: vec![FooterLink::Link {
                        label: "Blogg".into(),
                        href: "/blog".into(),
                    }],
                }],
                copyright: Some("Copyright © <b>Sikt</b>".into()),
            },
            ..DocusaurusSite::default()
        };
        let brand = brand(&site, "/site/", "/site/docs");
        assert_eq!(brand.favicon.as_deref(), Some("/site/img/favicon.ico"));
        assert_eq!(brand.logo.as_deref(), Some("/site/img/logo.svg"));
        let links: Vec<(&str, &str)> = brand
            .navbar
            .iter()
            .map(|l| (l.label.as_str(), l.url.as_str()))
            .collect();
        assert_eq!(
            links,
            [("Guide", "/site/docs/"), ("GitHub", "https://github.com/x")]
        );
        assert_eq!(
            brand.navbar[0].docs,
            Some(DocsLink::Sidebar("s".into())),
            "the sidebar's first page is known once the pages are"
        );
        assert_eq!(brand.footer.columns[0].links[0].url, "/site/blog");
        assert_eq!(brand.footer.text, "Copyright © Sikt");
    }
}
