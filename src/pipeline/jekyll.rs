//! A Jekyll site's Liquid: the engine with the `site` variable built once from all sources, and each
//! source's `page` variable.

use crate::config::Config;
use crate::load::Source;
use crate::markdown::liquid::{front_matter, Liquid, PageInfo, SiteInput};
use std::collections::HashMap;

/// The engine and the `page` of every source (by path), for a Jekyll site; `None` for other sites.
pub(super) fn liquid(
    config: &Config,
    sources: &[Source],
) -> Option<(Liquid, HashMap<String, PageInfo>)> {
    let site = config.jekyll.as_ref()?;
    let pages: Vec<PageInfo> = sources
        .iter()
        .map(|s| PageInfo {
            path: s.rel_path.clone(),
            // Jekyll's `page.url` is without `baseurl`.
            url: s
                .route
                .strip_prefix(config.route_base.trim_end_matches('/'))
                .filter(|u| u.starts_with('/'))
                .unwrap_or(&s.route)
                .to_string(),
            front: front_matter(&s.text, s.body_offset, &config.file.limits),
            collection: s
                .rel_path
                .strip_prefix('_')
                .and_then(|r| r.split_once('/'))
                .map(|(c, _)| c.to_string()),
        })
        .collect();
    let by_path = pages.iter().map(|p| (p.path.clone(), p.clone())).collect();
    let engine = Liquid::new(SiteInput {
        root: config.content_dir.clone(),
        config: site.config.clone(),
        baseurl: &config.route_base,
        url: &config.base_url,
        pages,
    })?;
    Some((engine, by_path))
}

/// Who already has a redirect's URL: (the source, whether it is a page itself rather than another
/// redirect).
pub(super) fn claimed(
    resolver: &crate::routes::Resolver,
    redirects: &[(String, usize)],
    route: &str,
) -> Option<(usize, bool)> {
    if let Some((_, j)) = redirects.iter().find(|(r, _)| r == route) {
        return Some((*j, false));
    }
    resolver.page_at(route).map(|j| (j, true))
}

/// The warning for a redirect URL that another page or redirect also claims.
pub(super) fn shared_redirect(
    source: &Source,
    from: &str,
    other: &Source,
    is_page: bool,
) -> crate::diag::Diagnostic {
    let (what, outcome) = if is_page {
        (
            "is the address of",
            "the page stays and the redirect is left out",
        )
    } else {
        (
            "is also a redirect of",
            "this later redirect wins, as jekyll-redirect-from does",
        )
    };
    crate::diag::Diagnostic::warning(
        "shared-route",
        source.lines.span(&source.file, &source.text, 0),
        format!(
            "redirect `{from}` {what} `{}`; {outcome}",
            other.file.display()
        ),
    )
    .with_hint("remove one of the two claims")
}
