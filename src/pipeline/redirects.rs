//! The redirect pages of `@docusaurus/plugin-client-redirects` on a Docusaurus site, as the plugin
//! makes them after the build (`packages/docusaurus-plugin-client-redirects/src/`):
//!
//! - `collectRedirects.ts`: every route gets the redirects of `fromExtensions` and `toExtensions`
//!   (`extensionRedirects.ts`: `/x` is reached from `/x.html`, `/x/` from `/x.html/`; the site root
//!   and routes that already end in the extension get none), then the `redirects` list, then what
//!   `createRedirects` gives for each route. Each `to` gets `trailingSlash` applied
//!   (`applyTrailingSlash`); a `from` that is not a pathname, or a `to` path that no route has, fails
//!   Docusaurus's build (here: a `redirect` error for the docs routes we know). The first redirect
//!   from a path wins, and one from an existing route is left out (both only warnings there).
//! - `writeRedirectFiles.ts`: the page for `/x` is the file `x/index.html` — with
//!   `trailingSlash: false` a `from` ending in `.html` is `x.html.html` instead — and the plugin
//!   refuses to overwrite a file (here: a `redirect` error). Its target is the `to` under `baseUrl`.
//!
//! The routes the plugin sees are Docusaurus's route paths relative to `baseUrl`: without a
//! trailing slash for a doc when `trailingSlash` is unset, except for a folder's index doc (and a
//! `slug` ending in `/`). Docusaurus checks links before the plugin runs, so a link to a redirect
//! is a broken link there; the redirects are therefore not link targets here either.

use crate::config::docusaurus::redirects::create_redirects;
use crate::config::docusaurus::DocusaurusSite;
use crate::config::Config;
use crate::diag::{Diagnostic, Span};
use crate::model::{Page, UrlRedirect};
use std::collections::HashSet;

/// The rule of a redirect the plugin would refuse.
const RULE: &str = "redirect";

/// The redirect pages of the site's client redirects plugins (none without one).
pub(super) fn client_redirects(
    config: &Config,
    pages: &[Page],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<UrlRedirect> {
    let Some(site) = config.docusaurus.as_deref() else {
        return Vec::new();
    };
    if site.client_redirects.is_empty() {
        return Vec::new();
    }
    let base = if site.base_url.ends_with('/') {
        site.base_url.clone()
    } else {
        format!("{}/", site.base_url)
    };
    let paths: Vec<String> = pages.iter().map(|p| route_path(site, p, &base)).collect();
    let mut files: HashSet<String> = pages
        .iter()
        .map(|p| file_key(&crate::routes::file_url(&p.route)))
        .collect();
    let span = Span::file_start(&site.file);
    let refuse = |message: String| {
        Diagnostic::error(RULE, span.clone(), message).with_hint(
            "correct the plugin's options in the config, as Docusaurus's build would ask",
        )
    };
    let versioned = config.root.join("versions.json").is_file();
    let mut made = Vec::new();
    for plugin in &site.client_redirects {
        let mut collected: Vec<(String, String)> = Vec::new();
        let from_extensions = extensions(
            &plugin.from_extensions,
            "fromExtensions",
            diagnostics,
            &refuse,
        );
        let to_extensions = extensions(&plugin.to_extensions, "toExtensions", diagnostics, &refuse);
        collected.extend(from_extension_redirects(&paths, &from_extensions));
        collected.extend(to_extension_redirects(&paths, &to_extensions));
        collected.extend(plugin.redirects.iter().cloned());
        if plugin.create_redirects {
            match create_redirects(&config.root, &site.file, plugin.plugin, &paths) {
                Ok(froms) => {
                    for (path, froms) in paths.iter().zip(froms) {
                        collected.extend(froms.into_iter().map(|from| (from, path.clone())));
                    }
                }
                Err(message) => diagnostics.push(refuse(format!(
                    "`createRedirects` of @docusaurus/plugin-client-redirects failed: {message}"
                ))),
            }
        }
        let mut seen = HashSet::new();
        for (from, to) in collected {
            let to = apply_trailing_slash(&to, site.trailing_slash, &base);
            if !is_pathname(&from) {
                diagnostics.push(refuse(format!(
                    "client redirect from `{from}`: not a pathname (it must start with `/` and hold no domain, query or fragment)"
                )));
                continue;
            }
            let page = page_at(pages, &base, &to);
            if page.is_none() && !versioned && in_docs_without_page(config, &base, &to) {
                diagnostics.push(refuse(format!(
                    "client redirect from `{from}` to `{to}`: no page has that URL"
                )));
                continue;
            }
            if !seen.insert(from.clone()) || paths.contains(&from) {
                continue;
            }
            let at = redirect_file(&base, &from, site.trailing_slash);
            if !files.insert(file_key(&at)) {
                diagnostics.push(refuse(format!(
                    "client redirect from `{from}`: its file `{}` is already written by a page or another redirect",
                    file_key(&at).trim_start_matches('/')
                )));
                continue;
            }
            made.push(UrlRedirect {
                at,
                to: to_url(&base, &to),
                page,
            });
        }
    }
    made
}

/// The extensions that are valid (`extensionRedirects.ts` `validateExtension`), each invalid one
/// reported.
fn extensions(
    list: &[String],
    option: &str,
    diagnostics: &mut Vec<Diagnostic>,
    refuse: &dyn Fn(String) -> Diagnostic,
) -> Vec<String> {
    let mut valid = Vec::new();
    for ext in list {
        let bad = ext.is_empty()
            || ext.contains(['.', '/'])
            || !ext
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_!~*'()".contains(c));
        if bad {
            diagnostics.push(refuse(format!(
                "`{option}` holds `{ext}`: an extension without a dot, a slash or characters a URL must encode"
            )));
        } else {
            valid.push(ext.clone());
        }
    }
    valid
}

/// A page's route as Docusaurus names it to its plugins: relative to `baseUrl`, and without the
/// trailing slash where `trailingSlash` is unset and the doc is not a folder's index (`getSlug` in
/// the docs plugin's `slug.ts`).
fn route_path(site: &DocusaurusSite, page: &Page, base: &str) -> String {
    let mut route = page.route.as_str();
    // A folder's index doc keeps it; a category's generated index (`/docs/category/x`) does not.
    let keeps_slash = (page.is_index && page.kind == crate::model::PageKind::Markdown)
        || page.front.slug.as_deref().is_some_and(|s| s.ends_with('/'))
        || route == base;
    if site.trailing_slash.is_none() && !keeps_slash && route != "/" {
        route = route.strip_suffix('/').unwrap_or(route);
    }
    let rel = route
        .strip_prefix(base.trim_end_matches('/'))
        .unwrap_or(route);
    if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("/{rel}")
    }
}

/// `createFromExtensionsRedirects`: `/x.ext` → `/x`, `/x.ext/` → `/x/`.
fn from_extension_redirects(paths: &[String], exts: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_empty() || path == "/" || exts.iter().any(|e| path.ends_with(&format!(".{e}"))) {
            continue;
        }
        for ext in exts {
            let from = match path.strip_suffix('/') {
                Some(bare) => format!("{bare}.{ext}/"),
                None => format!("{path}.{ext}"),
            };
            out.push((from, path.clone()));
        }
    }
    out
}

/// `createToExtensionsRedirects`: `/x` → an existing `/x.ext`.
fn to_extension_redirects(paths: &[String], exts: &[String]) -> Vec<(String, String)> {
    paths
        .iter()
        .filter_map(|path| {
            let ext = exts.iter().find(|e| path.ends_with(&format!(".{e}")))?;
            let from = path.strip_suffix(&format!(".{ext}"))?;
            Some((from.to_string(), path.clone()))
        })
        .collect()
}

/// `applyTrailingSlash` (`@docusaurus/utils-common`) on a path with its query and fragment.
fn apply_trailing_slash(path: &str, trailing_slash: Option<bool>, base: &str) -> String {
    let Some(trailing) = trailing_slash else {
        return path.to_string();
    };
    if path.starts_with('#') {
        return path.to_string();
    }
    let end = path.find(['#', '?']).unwrap_or(path.len());
    let (pathname, rest) = path.split_at(end);
    if pathname == "/" || pathname == base {
        return path.to_string();
    }
    let pathname = match (trailing, pathname.ends_with('/')) {
        (true, false) => format!("{pathname}/"),
        (false, true) => pathname[..pathname.len() - 1].to_string(),
        _ => pathname.to_string(),
    };
    format!("{pathname}{rest}")
}

/// Docusaurus's `isValidPathname`, for the paths redirects start from: a leading `/`, and nothing a
/// URL parser would change (a second leading `/`, `.`/`..` segments, a query, a fragment, a
/// backslash, spaces or control characters).
fn is_pathname(from: &str) -> bool {
    from.starts_with('/')
        && !from.starts_with("//")
        && !from.contains(['?', '#', '\\'])
        && !from.chars().any(|c| c.is_whitespace() || c.is_control())
        && !from.split('/').any(|s| s == "." || s == "..")
}

/// The URL path of the redirect's page (`getRedirectFilePath`), under `baseUrl`: `x/` (its
/// `index.html`), or `x.html.html` for a `from` ending in `.html` with `trailingSlash: false`.
fn redirect_file(base: &str, from: &str, trailing_slash: Option<bool>) -> String {
    let segments: Vec<&str> = base
        .split('/')
        .chain(from.split('/'))
        .filter(|s| !s.is_empty())
        .collect();
    let joined = segments.join("/");
    if joined.is_empty() {
        return "/".into();
    }
    if trailing_slash == Some(false) && joined.ends_with(".html") {
        format!("/{joined}.html")
    } else {
        format!("/{joined}/")
    }
}

/// The file a URL path is written at, as a key: `x/` is `x/index.html`.
fn file_key(url: &str) -> String {
    if url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// `createToUrl`: a path under `baseUrl` (`normalizeUrl`: no slash before a query or fragment), an
/// address as it is.
fn to_url(base: &str, to: &str) -> String {
    if !to.starts_with('/') {
        return to.to_string();
    }
    let mut url = format!("{}{to}", base.trim_end_matches('/'));
    while url.starts_with("//") {
        url.remove(0);
    }
    for (slashed, bare) in [("/?", "?"), ("/#", "#")] {
        if let Some(at) = url.find(slashed) {
            let next = url[at + 2..].chars().next();
            if !(bare == "#" && matches!(next, Some('!' | '/'))) {
                url.replace_range(at..at + 2, bare);
            }
        }
    }
    url
}

/// The path of a `to` under `baseUrl`, without query and fragment, decoded.
fn to_pathname(base: &str, to: &str) -> Option<String> {
    if !to.starts_with('/') || to.starts_with("//") {
        return None;
    }
    let end = to.find(['#', '?']).unwrap_or(to.len());
    let path = percent_encoding::percent_decode_str(&to[..end])
        .decode_utf8_lossy()
        .into_owned();
    Some(format!("{}{path}", base.trim_end_matches('/')))
}

/// Our page at a `to`, with or without its trailing slash.
fn page_at(pages: &[Page], base: &str, to: &str) -> Option<usize> {
    let path = to_pathname(base, to)?;
    let bare = path.trim_end_matches('/');
    pages
        .iter()
        .position(|p| p.route == path || p.route.trim_end_matches('/') == bare && !bare.is_empty())
}

/// Whether `to` is a path under the docs route base (not its tags) that no page of ours has: the
/// routes there are all ours, so the redirect leads nowhere.
fn in_docs_without_page(config: &Config, base: &str, to: &str) -> bool {
    let Some(path) = to_pathname(base, to) else {
        return false;
    };
    let docs = config.route_base.trim_end_matches('/');
    if docs.is_empty() {
        return false;
    }
    let under = path == docs || path.starts_with(&format!("{docs}/"));
    under && !path.starts_with(&format!("{docs}/tags"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn extension_redirects_follow_the_plugin() {
        let routes = paths(&["/", "/docs/", "/docs/a", "/docs/b.html"]);
        assert_eq!(
            from_extension_redirects(&routes, &["html".into()]),
            [
                ("/docs.html/".to_string(), "/docs/".to_string()),
                ("/docs/a.html".into(), "/docs/a".into())
            ]
        );
        assert_eq!(
            to_extension_redirects(&routes, &["html".into()]),
            [("/docs/b".to_string(), "/docs/b.html".to_string())]
        );
    }

    #[test]
    fn redirect_files_are_folders_but_html_without_trailing_slash() {
        assert_eq!(redirect_file("/", "/docs/a.html", None), "/docs/a.html/");
        assert_eq!(redirect_file("/", "/docs.html/", Some(true)), "/docs.html/");
        assert_eq!(
            redirect_file("/", "/docs/a.html", Some(false)),
            "/docs/a.html.html"
        );
        assert_eq!(redirect_file("/base/", "/old", Some(false)), "/base/old/");
        assert_eq!(redirect_file("/", "/", None), "/");
    }

    #[test]
    fn targets_get_the_trailing_slash_setting_and_the_base_url() {
        assert_eq!(
            apply_trailing_slash("/docs/a#x", Some(true), "/"),
            "/docs/a/#x"
        );
        assert_eq!(
            apply_trailing_slash("/docs/a/?q", Some(false), "/"),
            "/docs/a?q"
        );
        assert_eq!(apply_trailing_slash("/docs/a/", None, "/"), "/docs/a/");
        assert_eq!(apply_trailing_slash("/b/", Some(false), "/b/"), "/b/");
        assert_eq!(to_url("/b/", "/docs/a/#x"), "/b/docs/a#x");
        assert_eq!(
            to_url("/", "https://example.org/x"),
            "https://example.org/x"
        );
    }

    #[test]
    fn only_pathnames_are_redirected_from() {
        assert!(is_pathname("/docs/a.html"));
        assert!(is_pathname("/docs/økonomi"));
        for bad in ["docs/a", "//host/a", "/a?b", "/a#b", "/a b", "/a/../b"] {
            assert!(!is_pathname(bad), "{bad}");
        }
    }
}
