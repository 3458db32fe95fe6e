//! The links of a Docusaurus site's layout — the navbar's title and logo, navbar items, footer
//! links — with the line of the config that writes each, and the routes of its `src/pages`.
//!
//! Docusaurus checks links per rendered page: `@docusaurus/Link` (core `client/exports/Link.tsx`)
//! collects every internal link a page renders, the layout's too, and `server/brokenLinks.ts`
//! reports a broken one on every page that shows it. Which links are collected follows
//! theme-classic: `Logo` (always rendered by the navbar, to `logo.href`, else `/`, through
//! `useBaseUrl`), `NavbarItem/NavbarNavLink` (`to` with the base URL, `href` as written) and
//! `Footer/LinkItem`, `Footer/Logo` (only with `href`). A link with a scheme or `//`
//! (`isInternalUrl`) or opened in another window (`target` other than `_self`) is a plain anchor
//! and is not collected. Items computed from docs (`doc`, `docSidebar`) link pages that exist
//! (Docusaurus stops the build otherwise) and are not listed here.

use crate::diag::{LineIndex, Span};
use serde_json::Value;
use std::path::Path;

/// Where on the page a layout link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The navbar's title and logo (`themeConfig.navbar.logo.href`, default `/`).
    Logo,
    /// A navbar item (or an item of a dropdown).
    Navbar,
    /// A footer link, or the footer logo's `href`.
    Footer,
}

/// One internal link of the layout.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutLink {
    /// Where on the page it is.
    pub place: Place,
    /// Its label (empty for the logo).
    pub label: String,
    /// The address as the config writes it (`/` for a logo without `href`).
    pub written: String,
    /// The address every page links: the base URL applied as `useBaseUrl` applies it.
    pub url: String,
    /// Where the config writes it: the quoted address, else the key that stands for it.
    pub span: Span,
}

/// The internal links of `theme` (`themeConfig`), in page order: logo, navbar items, footer.
/// `text` is the config file `file` (for the lines), `base` the site's `baseUrl`.
pub(super) fn links(theme: &Value, base: &str, file: &str, text: &str) -> Vec<LayoutLink> {
    let mut found = Vec::new();
    let navbar = theme.get("navbar");
    let logo = navbar.and_then(|n| n.get("logo"));
    if opens_here(logo) {
        let href = logo.and_then(|l| l.get("href")).and_then(Value::as_str);
        found.push(Raw {
            place: Place::Logo,
            label: String::new(),
            written: href.unwrap_or("/").to_string(),
            default: href.is_none(),
        });
    }
    if let Some(items) = navbar.and_then(|n| n.get("items")) {
        navbar_items(items, &mut found);
    }
    if let Some(footer) = theme.get("footer") {
        for link in list(footer.get("links")) {
            match link.get("items") {
                Some(items) => list(Some(items)).for_each(|i| footer_item(i, &mut found)),
                None => footer_item(link, &mut found),
            }
        }
        let logo = footer.get("logo");
        if let Some(href) = logo.and_then(|l| l.get("href")).and_then(Value::as_str) {
            if opens_here(logo) {
                found.push(Raw::new(Place::Footer, "", href));
            }
        }
    }
    let lines = LineIndex::new(text);
    found
        .into_iter()
        .filter(|raw| is_internal(&raw.written))
        .map(|raw| {
            let at = locate(text, &raw).unwrap_or(0);
            LayoutLink {
                place: raw.place,
                label: raw.label,
                url: with_base_url(base, &raw.written),
                span: lines.span(Path::new(file), text, at),
                written: raw.written,
            }
        })
        .collect()
}

/// A link as the config value gives it, before its line is found.
struct Raw {
    place: Place,
    label: String,
    written: String,
    /// The logo's `/` that no `href` writes.
    default: bool,
}

impl Raw {
    fn new(place: Place, label: &str, written: &str) -> Raw {
        Raw {
            place,
            label: label.to_string(),
            written: written.to_string(),
            default: false,
        }
    }
}

fn list(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.and_then(Value::as_array).into_iter().flatten()
}

/// Whether a link opens in the page's own window (`target` unset or `_self`): only those are
/// router links that Docusaurus collects.
fn opens_here(item: Option<&Value>) -> bool {
    matches!(
        item.and_then(|i| i.get("target")).and_then(Value::as_str),
        None | Some("_self")
    )
}

fn navbar_items(items: &Value, out: &mut Vec<Raw>) {
    for item in list(Some(items)) {
        let kind = item
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("default");
        let label = item
            .get("label")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Some(inner) = item.get("items") {
            navbar_items(inner, out);
        } else if matches!(kind, "default" | "dropdown") && opens_here(Some(item)) {
            let to = item.get("to").or_else(|| item.get("href"));
            if let Some(to) = to.and_then(Value::as_str) {
                out.push(Raw::new(Place::Navbar, label, to));
            }
        }
    }
}

fn footer_item(item: &Value, out: &mut Vec<Raw>) {
    if item.get("html").is_some() || !opens_here(Some(item)) {
        return;
    }
    let label = item
        .get("label")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let to = item.get("to").or_else(|| item.get("href"));
    if let Some(to) = to.and_then(Value::as_str) {
        out.push(Raw::new(Place::Footer, label, to));
    }
}

/// `isInternalUrl` (core `client/exports/isInternalUrl.ts`): no scheme, not `//…`; an empty
/// address links nothing.
pub(super) fn is_internal(url: &str) -> bool {
    if url.is_empty() || url.starts_with("//") {
        return false;
    }
    let scheme = url.find(':').map(|i| &url[..i]).filter(|s| !s.is_empty());
    !scheme.is_some_and(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    })
}

/// `addBaseUrl` of `useBaseUrl` (core `client/exports/useBaseUrl.ts`): anchors stay, the base
/// URL itself without its slash gets it back, an address already under the base stays, any other
/// gets the base in front.
pub(super) fn with_base_url(base: &str, url: &str) -> String {
    if url.starts_with('#') {
        return url.to_string();
    }
    if url == base.trim_end_matches('/') {
        return base.to_string();
    }
    if url.starts_with(base) {
        return url.to_string();
    }
    format!("{base}{}", url.trim_start_matches('/'))
}

/// The byte offset where the config writes the link: inside its quoted address, looked for after
/// the navbar's or footer's key first; for the logo's default `/` (no `href`), its `logo` key,
/// else the `navbar` key.
fn locate(text: &str, raw: &Raw) -> Option<usize> {
    let section = match raw.place {
        Place::Logo | Place::Navbar => key(text, "navbar", 0),
        Place::Footer => key(text, "footer", 0),
    };
    let from = section.unwrap_or(0);
    if raw.default {
        return key(text, "logo", from).or(section);
    }
    let quoted = |from: usize| {
        ['\'', '"', '`']
            .iter()
            .filter_map(|q| {
                text[from..]
                    .find(&format!("{q}{}{q}", raw.written))
                    .map(|at| from + at + 1)
            })
            .min()
    };
    quoted(from).or_else(|| quoted(0)).or(section)
}

/// The offset of the first `name:` (or `'name':`, `"name":`) key at or after `from`.
fn key(text: &str, name: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = text.get(at..)?.find(name) {
        let start = at + found;
        let end = start + name.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].trim_start_matches(['\'', '"']).trim_start();
        let word_start = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
        if word_start && after.starts_with(':') {
            let quoted = matches!(before, Some('\'' | '"'));
            return Some(if quoted { start - 1 } else { start });
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn internal_links_of_logo_navbar_and_footer_with_their_lines() {
        let text = "const config = {\n  themeConfig: {\n    navbar: {\n      title: 'T',\n      logo: {src: 'img/l.svg'},\n      items: [\n        {to: '/blogg', label: 'Blogg'},\n        {href: 'https://github.com/x', label: 'GitHub'},\n        {label: 'Mer', items: [{to: 'om', label: 'Om'}, {to: '/ny', label: 'Ny', target: '_blank'}]},\n      ],\n    },\n    footer: {links: [{title: 'K', items: [{label: 'Kontakt', href: '/kontakt#skjema'}, {html: '<p>x</p>'}]}]},\n  },\n};\n";
        let theme = json!({
            "navbar": {"title": "T", "logo": {"src": "img/l.svg"}, "items": [
                {"to": "/blogg", "label": "Blogg"},
                {"href": "https://github.com/x", "label": "GitHub"},
                {"label": "Mer", "items": [{"to": "om", "label": "Om"},
                    {"to": "/ny", "label": "Ny", "target": "_blank"}]}]},
            "footer": {"links": [{"title": "K", "items": [
                {"label": "Kontakt", "href": "/kontakt#skjema"}, {"html": "<p>x</p>"}]}]}
        });
        let found = links(&theme, "/site/", "docusaurus.config.js", text);
        let got: Vec<(Place, &str, &str, usize, usize)> = found
            .iter()
            .map(|l| {
                (
                    l.place,
                    l.label.as_str(),
                    l.url.as_str(),
                    l.span.line,
                    l.span.column,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Place::Logo, "", "/site/", 5, 7),
                (Place::Navbar, "Blogg", "/site/blogg", 7, 15),
                (Place::Navbar, "Om", "/site/om", 9, 38),
                (Place::Footer, "Kontakt", "/site/kontakt#skjema", 12, 69),
            ]
        );
    }

    #[test]
    fn a_logo_href_is_its_link_and_a_logo_in_a_new_window_is_none() {
        let text = "navbar: {logo: {src: 'l.svg', href: '/hjem'}}";
        let theme = json!({"navbar": {"logo": {"src": "l.svg", "href": "/hjem"}}});
        let found = links(&theme, "/", "c.js", text);
        assert_eq!(found[0].url, "/hjem");
        assert_eq!(found[0].span.column, 38);
        let theme = json!({"navbar": {"logo": {"href": "/", "target": "_blank"}}});
        assert!(links(&theme, "/", "c.js", "").is_empty());
        let theme = json!({"navbar": {"logo": {"href": "https://sikt.no"}}});
        assert!(links(&theme, "/", "c.js", "").is_empty());
    }

    #[test]
    fn internal_urls_and_the_base_url_as_docusaurus_applies_them() {
        assert!(is_internal("/docs/x") && is_internal("docs/x") && is_internal("#a"));
        assert!(!is_internal("https://x.no") && !is_internal("//x.no"));
        assert!(!is_internal("mailto:a@b.no") && !is_internal("pathname:///x"));
        assert!(!is_internal(""));
        assert_eq!(with_base_url("/site/", "/x"), "/site/x");
        assert_eq!(with_base_url("/site/", "/site"), "/site/");
        assert_eq!(with_base_url("/site/", "/site/x"), "/site/x");
        assert_eq!(with_base_url("/", "/"), "/");
        assert_eq!(with_base_url("/", "x"), "/x");
    }
}
