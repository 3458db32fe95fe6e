//! Validation rules over the loaded site: TODO markers, broken links and anchors, missing assets,
//! malformed links, and the findings made while loading (front matter, duplicate routes).
//!
//! Pure: takes the [`Site`] (already parsed — no second Markdown pass, no HTML parsing) and the
//! resolved [`Policy`], returns findings. The dev server calls the same function as `check` and `build`.

mod baseline;
mod policy;

pub use baseline::Baseline;
pub use policy::{Policy, RULES};

use crate::diag::Diagnostic;
use crate::limits::SUGGESTION_CANDIDATES;
use crate::model::{LinkKind, Page, PageKind, Site, Target};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Routes indexed for suggestions: by last segment (a page that moved) and by parent (a typo).
struct Routes<'s> {
    by_last: HashMap<&'s str, Vec<&'s str>>,
    by_parent: HashMap<&'s str, Vec<&'s str>>,
}

impl<'s> Routes<'s> {
    fn new(site: &'s Site) -> Self {
        let mut routes = Routes {
            by_last: HashMap::new(),
            by_parent: HashMap::new(),
        };
        for page in &site.pages {
            let (parent, last) = split_route(&page.route);
            routes.by_last.entry(last).or_default().push(&page.route);
            routes
                .by_parent
                .entry(parent)
                .or_default()
                .push(&page.route);
        }
        routes
    }

    /// The route closest to what the writer wanted, when it is close enough to be a likely typo or move.
    fn suggest(&self, wanted: &str) -> Option<String> {
        let wanted = crate::routes::join_route("", wanted);
        let (parent, last) = split_route(&wanted);
        // Both lists are bounded, so that many broken links into one large folder stay linear.
        let moved = self
            .by_last
            .get(last)
            .into_iter()
            .flatten()
            .take(SUGGESTION_CANDIDATES);
        let typo = self
            .by_parent
            .get(parent)
            .into_iter()
            .flatten()
            .take(SUGGESTION_CANDIDATES)
            .filter(|r| r.len().abs_diff(wanted.len()) <= 3 * 4 && distance(r, &wanted) <= 3);
        moved
            .chain(typo)
            .min_by_key(|r| distance(r, &wanted))
            .map(|r| r.to_string())
    }
}

fn split_route(route: &str) -> (&str, &str) {
    route
        .trim_end_matches('/')
        .rsplit_once('/')
        .unwrap_or(("", route))
}

/// Run every rule over the site; findings are filtered by the policy (severity, globs, ignores) and sorted.
pub fn run(site: &Site, policy: &Policy) -> Vec<Diagnostic> {
    let mut all: Vec<Diagnostic> = site
        .diagnostics
        .iter()
        .filter_map(|d| policy.apply(d.clone(), None))
        .collect();
    let every: Vec<usize> = (0..site.pages.len()).collect();
    all.extend(checked_pages(site, policy, &every, true));
    all.extend(tallied(site, policy));
    all.extend(layout(site, policy));
    crate::diag::sort(&mut all);
    // One file read as several pages (a Hugo language's fallback to another's folder) gives its
    // findings once.
    all.dedup();
    all
}

/// The findings of some pages only (the dev server re-checks what an edit touched); what is
/// counted per site is reported per page here.
pub fn run_pages(site: &Site, policy: &Policy, pages: &[usize]) -> Vec<Diagnostic> {
    checked_pages(site, policy, pages, false)
}

/// The pages the rules look at: Markdown pages the policy includes and does not silence.
fn checked(page: &Page, policy: &Policy) -> bool {
    page.kind == PageKind::Markdown
        && policy.includes(&page.rel_path)
        && !policy.page_ignores_all(page)
}

/// The findings of some pages; `site_wide`: leave out what [`tallied`] reports once per site.
fn checked_pages(
    site: &Site,
    policy: &Policy,
    pages: &[usize],
    site_wide: bool,
) -> Vec<Diagnostic> {
    let routes = Routes::new(site);
    pages
        .par_iter()
        .filter_map(|&i| site.pages.get(i))
        .filter(|p| checked(p, policy))
        .flat_map_iter(|page| {
            let _file = crate::error::processing(&page.file);
            let mut found = Vec::new();
            todos(page, &mut found);
            links(site, &routes, page, policy, &mut found);
            malformed(page, site_wide, &mut found);
            found
                .into_iter()
                .filter_map(|d| policy.apply(d, Some(page)))
        })
        .collect()
}

fn todos(page: &Page, out: &mut Vec<Diagnostic>) {
    for todo in &page.todos {
        let (rule, what) = if todo.hidden {
            ("todo-hidden", "hidden in a comment")
        } else {
            ("todo", "in the text")
        };
        let message = if todo.text.is_empty() {
            format!("{} marker {what}", todo.word)
        } else {
            format!("{}: {}", todo.word, todo.text)
        };
        out.push(
            Diagnostic::error(rule, page.span(todo.offset), message)
                .with_hint(format!("finish the text and remove `{}`, or silence it with `<!-- intark-ignore: {rule} -->` on the line before", todo.word)),
        );
    }
}

fn links<'p>(
    site: &'p Site,
    routes: &Routes<'_>,
    page: &'p Page,
    policy: &Policy,
    out: &mut Vec<Diagnostic>,
) {
    let mut ids = HashMap::new();
    for link in &page.links {
        if policy.skips_url(&link.dest) {
            continue;
        }
        let span = page.span(link.offset);
        match &link.target {
            Target::Missing { wanted } if wanted.is_empty() => {
                out.push(
                    Diagnostic::error("malformed-link", span, "link has no destination").with_hint(
                        "write the address between the parentheses: `[text](/docs/side/)`",
                    ),
                );
            }
            Target::Missing { wanted } => {
                let is_file = link.kind == LinkKind::Image || looks_like_file(wanted);
                if is_file {
                    out.push(
                        Diagnostic::error("missing-asset", span, format!("no file `{}` in the static folder or beside the page", link.dest))
                            .with_hint("add the file, or correct the path (static files are linked from the site root: `/img/x.png`)"),
                    );
                } else {
                    let mut diagnostic = Diagnostic::error(
                        "broken-link",
                        span,
                        format!("no page has the address `{}`", link.dest),
                    );
                    diagnostic = match routes.suggest(wanted) {
                        Some(route) => diagnostic.with_hint(format!("did you mean `{route}`?")),
                        None => diagnostic.with_hint("correct the link, or add a redirect (`redirect_from`) on the page that moved"),
                    };
                    out.push(diagnostic);
                }
            }
            Target::Page {
                page: target,
                fragment: Some(fragment),
            } => {
                let target = &site.pages[*target];
                if !fragment.is_empty() && !has_anchor(&mut ids, target, fragment) {
                    out.push(anchor_finding(span, fragment, target));
                }
            }
            Target::Other {
                page: target,
                fragment: Some(fragment),
            } => {
                let target = &site.other_pages[*target];
                let known = target.ids.as_ref();
                if !fragment.is_empty() && known.is_some_and(|ids| !ids.contains(fragment)) {
                    out.push(
                        Diagnostic::error(
                            "broken-anchor",
                            span,
                            format!("`{}` has no heading with the id `{fragment}`", target.route),
                        )
                        .with_hint("correct the `#…` part to one of the page's heading ids"),
                    );
                }
            }
            Target::SamePage(fragment)
                if !fragment.is_empty() && !has_anchor(&mut ids, page, fragment) =>
            {
                out.push(anchor_finding(span, fragment, page));
            }
            _ => {}
        }
    }
}

/// The navbar's and footer's links, once each at the line of the config that writes them:
/// Docusaurus reports a broken one on every page (`server/brokenLinks.ts` checks the links each
/// rendered page collected, the layout's too, and suggests the navbar and footer when one link
/// is broken on many pages); one finding with the count says the same once.
fn layout(site: &Site, policy: &Policy) -> Vec<Diagnostic> {
    let routes = Routes::new(site);
    let pages = site.pages.len();
    let every = if pages == 1 {
        "the site's one page shows it".to_string()
    } else {
        format!("each of the site's {pages} pages shows it")
    };
    let mut ids = HashMap::new();
    let mut out = Vec::new();
    for link in &site.layout_links {
        let diagnostic = match &link.target {
            Target::Missing { wanted } => {
                let diagnostic = Diagnostic::error(
                    "broken-link",
                    link.span.clone(),
                    format!(
                        "{}: no page has the address `{}`; {every}",
                        link.what, link.url
                    ),
                );
                match routes.suggest(wanted) {
                    _ if link.logo && wanted == "/" => diagnostic.with_hint("set `themeConfig.navbar.logo.href` to a page the site has, or add a page at `/` (`src/pages/index.md`, or a doc with `slug: /`)"),
                    Some(route) => diagnostic.with_hint(format!("did you mean `{route}`?")),
                    None => diagnostic.with_hint("correct the address in the config, or add the page"),
                }
            }
            Target::Page {
                page: target,
                fragment: Some(fragment),
            } => {
                let target = &site.pages[*target];
                if fragment.is_empty() || has_anchor(&mut ids, target, fragment) {
                    continue;
                }
                let mut diagnostic = anchor_finding(link.span.clone(), fragment, target);
                diagnostic.message = format!("{}: {}; {every}", link.what, diagnostic.message);
                diagnostic
            }
            _ => continue,
        };
        out.extend(policy.apply(diagnostic, None));
    }
    out
}

/// Whether `fragment` is a heading id or an element id of `target`. Large pages get a set of their ids, made once per
/// checked page in `ids`: a search of the headings for each link would cost links x headings.
fn has_anchor<'p>(
    ids: &mut HashMap<&'p str, HashSet<&'p str>>,
    target: &'p Page,
    fragment: &str,
) -> bool {
    if target.headings.len() + target.element_ids.len() <= 32 {
        return target.has_anchor(fragment);
    }
    ids.entry(target.route.as_str())
        .or_insert_with(|| {
            let headings = target.headings.iter().map(|h| h.id.as_str());
            headings
                .chain(target.element_ids.iter().map(String::as_str))
                .collect()
        })
        .contains(fragment)
}

fn anchor_finding(span: crate::diag::Span, fragment: &str, target: &Page) -> Diagnostic {
    let near = target
        .headings
        .iter()
        .take(SUGGESTION_CANDIDATES)
        .map(|h| h.id.as_str())
        .min_by_key(|id| distance(id, fragment))
        .filter(|id| distance(id, fragment) <= fragment.chars().count() / 3 + 1);
    let diagnostic = Diagnostic::error(
        "broken-anchor",
        span,
        format!("`{}` has no heading with the id `{fragment}`", target.route),
    );
    match near {
        Some(id) => diagnostic.with_hint(format!("did you mean `#{id}`?")),
        None => diagnostic
            .with_hint("link to a heading that exists, or give the heading an id with `{#id}`"),
    }
}

fn malformed(page: &Page, site_wide: bool, out: &mut Vec<Diagnostic>) {
    for suspect in &page.suspects {
        let message = match &suspect.tally {
            Some(_) if site_wide => continue,
            Some((_, uses)) => format!("{} on this page: {}", times(*uses), suspect.message),
            None => suspect.message.clone(),
        };
        out.push(Diagnostic::error(
            suspect.rule,
            page.span(suspect.offset),
            message,
        ));
    }
}

/// What is reported once per site (a shortcode that cannot run): one finding per rule and name,
/// at its first use in page order, with the uses and pages counted.
fn tallied(site: &Site, policy: &Policy) -> Vec<Diagnostic> {
    // (rule, name) → (page, suspect, uses, pages), in order of first use.
    type Tally<'s> = (&'s Page, &'s crate::model::Suspect, usize, usize);
    let mut seen: Vec<((&str, &str), Tally<'_>)> = Vec::new();
    for page in site.pages.iter().filter(|p| checked(p, policy)) {
        for suspect in &page.suspects {
            let Some((name, uses)) = &suspect.tally else {
                continue;
            };
            let key = (suspect.rule, name.as_str());
            match seen.iter_mut().find(|(k, _)| *k == key) {
                Some((_, entry)) => {
                    entry.2 += uses;
                    entry.3 += 1;
                }
                None => seen.push((key, (page, suspect, *uses, 1))),
            }
        }
    }
    seen.into_iter()
        .filter_map(|(_, (page, suspect, uses, pages))| {
            let on = if pages == 1 {
                "on 1 page".to_string()
            } else {
                format!("on {pages} pages, first here")
            };
            let message = format!("{} {on}: {}", times(uses), suspect.message);
            let diagnostic = Diagnostic::error(suspect.rule, page.span(suspect.offset), message);
            policy.apply(diagnostic, Some(page))
        })
        .collect()
}

/// `used once`, `used 3 times`.
fn times(uses: usize) -> String {
    if uses == 1 {
        "used once".into()
    } else {
        format!("used {uses} times")
    }
}

fn looks_like_file(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    match last.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && !ext.is_empty()
                && ext.len() <= 5
                && !matches!(ext, "md" | "mdx" | "html" | "htm")
        }
        None => false,
    }
}

/// Levenshtein distance, over characters (`strsim`).
fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("æøå", "æøa"), 1);
    }

    #[test]
    fn file_like_paths() {
        assert!(looks_like_file("/datadeling/konsument_simpel.py"));
        assert!(looks_like_file("api/x.json"));
        assert!(!looks_like_file("/docs/a/b"));
        assert!(!looks_like_file("/docs/a/b.md"));
        assert!(!looks_like_file("/docs/v1.2/"));
    }
}
