//! The breadcrumb a search result shows under its title: the titles of the folder pages above a page,
//! found by its route (`/docs/a/b/page/` → the pages at `/docs/a/b/` and `/docs/a/`), the site's top
//! page left out (every page is under it).

use crate::model::Site;
use std::collections::HashMap;

/// Folder pages by route, and the route of the site's top page.
pub(super) struct Crumbs<'a> {
    folders: HashMap<&'a str, &'a str>,
    top: Option<&'a str>,
}

impl<'a> Crumbs<'a> {
    pub(super) fn new(site: &'a Site) -> Crumbs<'a> {
        let folders: HashMap<&str, &str> = site
            .pages
            .iter()
            .filter(|p| p.is_index && !p.front.draft)
            .map(|p| (p.route.as_str(), p.title.as_str()))
            .collect();
        let top = folders
            .keys()
            .copied()
            .min_by_key(|route| (route.matches('/').count(), *route));
        Crumbs { folders, top }
    }

    /// The titles above page `i`, from the top.
    pub(super) fn of(&self, site: &'a Site, i: usize) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut route = site.pages[i].route.as_str();
        while let Some(parent) = parent(route) {
            if Some(parent) == self.top {
                break;
            }
            if let Some(title) = self.folders.get(parent) {
                out.push(*title);
            }
            route = parent;
        }
        out.reverse();
        out
    }
}

/// `/docs/a/b/` → `/docs/a/`; `/docs/a.html` → `/docs/`; `/` → none.
fn parent(route: &str) -> Option<&str> {
    let trimmed = route.strip_suffix('/').unwrap_or(route);
    let slash = trimmed.rfind('/')?;
    Some(&route[..=slash])
}

#[cfg(test)]
mod tests {
    use super::parent;

    #[test]
    fn parents_by_route() {
        assert_eq!(parent("/docs/a/b/"), Some("/docs/a/"));
        assert_eq!(parent("/docs/a.html"), Some("/docs/"));
        assert_eq!(parent("/docs/"), Some("/"));
        assert_eq!(parent("/"), None);
        assert_eq!(parent(""), None);
    }
}
