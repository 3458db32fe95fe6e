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
            url: s.route.clone(),
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
