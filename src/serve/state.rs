//! The dev server's site: loaded once, then rebuilt as cheaply as each change allows. A one-page text
//! edit re-parses that page only, re-checks it and the pages that link to it, and invalidates the
//! rendered HTML of the pages whose navigation shows it. Pages are rendered on request and cached.

use super::watch::Plan;
use crate::check::{self, Policy};
use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::error::Result;
use crate::markdown::Highlighter;
use crate::model::{PageKind, Site};
use crate::nav::Nav;
use crate::pipeline::{self, Options};
use crate::render::Renderer;
use crate::routes::Resolver;
use crate::theme::Theme;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Which pages a rebuild touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Affected {
    /// Every page.
    All,
    /// These routes.
    Routes(Vec<String>),
}

/// The outcome of a rebuild, for the terminal and the browsers.
#[derive(Debug, Clone)]
pub(super) struct Rebuilt {
    /// What was rebuilt ("content/a.md", "theme").
    pub(super) what: String,
    /// Pages whose HTML changed.
    pub(super) affected: Affected,
    /// Number of pages re-parsed.
    pub(super) reparsed: usize,
}

/// Everything the server answers from.
pub(super) struct State {
    pub(super) config: Config,
    /// The command line's overrides, applied again when `intark.toml` is reloaded.
    overrides: crate::config::Overrides,
    policy: Policy,
    pub(super) highlighter: Highlighter,
    pub(super) theme: Theme,
    pub(super) site: Site,
    pub(super) nav: Nav,
    resolver: Resolver,
    /// The renderer, or the template error that keeps it from being built.
    pub(super) renderer: std::result::Result<Renderer, String>,
    pub(super) findings: Vec<Diagnostic>,
    pub(super) home: String,
    pages_by_file: HashMap<std::path::PathBuf, usize>,
    routes: HashMap<String, usize>,
    pub(super) cache: std::sync::Mutex<HashMap<usize, std::sync::Arc<String>>>,
    pub(super) assets: HashMap<String, crate::model::Asset>,
    /// The search index, built on the first search after a full rebuild (`None`: not built yet) and
    /// updated page by page after that.
    pub(super) search: std::sync::Mutex<Option<crate::search::Index>>,
    pub(super) syntax_css: String,
}

const OPTIONS: Options = Options {
    drafts: true,
    no_check: false,
    check_only: false,
    no_search: true,
};

impl State {
    /// Load everything.
    pub(super) fn load(config: Config, overrides: crate::config::Overrides) -> Result<State> {
        let policy = Policy::new(&config.file.check)?;
        let highlighter = Highlighter::default();
        let theme = Theme::for_site(&config)?;
        let site = pipeline::load_site(&config, &OPTIONS, &highlighter)?;
        let mut state = State {
            policy,
            highlighter,
            theme,
            nav: Nav::build(&site),
            resolver: pipeline::resolver_for(&config, &site),
            renderer: Err(String::new()),
            findings: Vec::new(),
            home: String::new(),
            pages_by_file: HashMap::new(),
            routes: HashMap::new(),
            cache: Default::default(),
            assets: HashMap::new(),
            search: Default::default(),
            syntax_css: Highlighter::stylesheet(),
            site,
            config,
            overrides,
        };
        state.index();
        state.findings = check::run(&state.site, &state.policy);
        state.renderer = state.make_renderer();
        Ok(state)
    }

    fn make_renderer(&self) -> std::result::Result<Renderer, String> {
        let mut renderer =
            Renderer::new(&self.config, &self.theme, self.home.clone()).map_err(|e| e.chain())?;
        renderer.set_brand(pipeline::brand(&self.config, &self.site, &self.nav));
        Ok(renderer)
    }

    fn index(&mut self) {
        self.pages_by_file = self
            .site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PageKind::Markdown)
            .map(|(i, p)| (self.config.root.join(&p.file), i))
            .collect();
        self.routes = self
            .site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.route.clone(), i))
            .collect();
        for (from, page) in &self.site.redirects {
            self.routes.entry(from.clone()).or_insert(*page);
        }
        self.home = pipeline::home_url(&self.config, &self.site, &self.nav);
        self.assets = self
            .site
            .assets
            .iter()
            .map(|a| (a.url.clone(), a.clone()))
            .collect();
        self.cache_mut().clear();
        self.stale_search();
    }

    fn stale_search(&mut self) {
        *self
            .search
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// A file of the search bundle, building the index if none is current.
    pub(super) fn search_file(&self, url: &str) -> Option<Vec<u8>> {
        if !self.config.file.search.enabled {
            return None;
        }
        let mut slot = self
            .search
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.get_or_insert_with(|| {
            crate::search::Index::build(&self.site, &self.config.file.language)
        })
        .file(url)
    }

    fn cache_mut(&mut self) -> &mut HashMap<usize, std::sync::Arc<String>> {
        self.cache
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether a Markdown file is a page of the site.
    pub(super) fn knows(&self, path: &Path) -> bool {
        self.pages_by_file.contains_key(path)
    }

    /// The page index at a route.
    pub(super) fn page_at(&self, route: &str) -> Option<usize> {
        // A page written as `x.html` (Docusaurus `trailingSlash: false`): `/x`, `/x/`, `/x.html`.
        let bare = route.strip_suffix(".html").unwrap_or(route);
        self.routes
            .get(route)
            .or_else(|| self.routes.get(bare.trim_end_matches('/')))
            .copied()
    }

    /// Apply a plan.
    pub(super) fn rebuild(&mut self, plan: &Plan) -> Result<Rebuilt> {
        match plan {
            Plan::Nothing => Ok(Rebuilt {
                what: "nothing".into(),
                affected: Affected::Routes(Vec::new()),
                reparsed: 0,
            }),
            Plan::Full(why) => self.full(why),
            Plan::Pages(paths) => {
                let mut affected = HashSet::new();
                let mut names = Vec::new();
                for path in paths {
                    match self.page(path)? {
                        Some(routes) => affected.extend(routes),
                        None => return self.full("a page's address or place changed"),
                    }
                    names.push(self.config.relative(path).display().to_string());
                }
                let mut routes: Vec<String> = affected.into_iter().collect();
                routes.sort();
                Ok(Rebuilt {
                    what: names.join(", "),
                    affected: Affected::Routes(routes),
                    reparsed: paths.len(),
                })
            }
        }
    }

    fn full(&mut self, why: &str) -> Result<Rebuilt> {
        if why == "configuration" {
            self.config = Config::load(&crate::config::Overrides {
                root: Some(self.config.root.clone()),
                ..self.overrides.clone()
            })
            .map(|fresh| Config {
                output_dir: self.config.output_dir.clone(),
                ..fresh
            })?;
            self.policy = Policy::new(&self.config.file.check)?;
        }
        self.theme = Theme::for_site(&self.config)?;
        self.site = pipeline::load_site(&self.config, &OPTIONS, &self.highlighter)?;
        self.nav = Nav::build(&self.site);
        self.resolver = pipeline::resolver_for(&self.config, &self.site);
        self.index();
        self.findings = check::run(&self.site, &self.policy);
        self.renderer = self.make_renderer();
        Ok(Rebuilt {
            what: why.to_string(),
            affected: Affected::All,
            reparsed: self.site.pages.len(),
        })
    }

    /// Re-parse one page in place. `None` when its route, index role or draft state changed (the
    /// routes of the site change: a full rebuild is the correct answer).
    fn page(&mut self, path: &Path) -> Result<Option<Vec<String>>> {
        let Some(&index) = self.pages_by_file.get(path) else {
            return Ok(None);
        };
        // Jekyll: a page's Liquid sees the whole site (`site.pages`, collections, `link`), and
        // the engine is built from all sources; the full rebuild renders it as `build` does.
        if self.config.jekyll.is_some() {
            return Ok(None);
        }
        let old = &self.site.pages[index];
        let words = pipeline::todo_words(&self.config);
        let (source, loading) =
            match crate::load::read_source(&self.config, path, old.rel_path.clone(), &words) {
                Ok(read) => read,
                Err(finding) => {
                    self.replace_findings(index, vec![finding]);
                    self.cache_mut().remove(&index);
                    return Ok(Some(vec![old_route_of(&self.site, index)]));
                }
            };
        if source.route != old.route
            || source.is_index != old.is_index
            || source.front.redirect_from != old.front.redirect_from
        {
            return Ok(None);
        }
        let shortcodes = self.theme.shortcode_templates()?;
        let paired = self.theme.paired_shortcodes();
        let children = pipeline::children_by_folder(
            self.site
                .pages
                .iter()
                .filter(|p| p.kind == PageKind::Markdown)
                .map(|p| {
                    (
                        p.rel_path.as_str(),
                        p.front.title.as_deref(),
                        p.route.as_str(),
                        p.is_index,
                    )
                }),
        );
        let read_partial = pipeline::partial_reader(&self.config.root);
        let shared = pipeline::PassShared {
            resolver: &self.resolver,
            highlighter: &self.highlighter,
            words: &words,
            html: true,
            site_url: &self.config.base_url,
            base_path: &self.config.route_base,
            children: &children,
            shortcodes: shortcodes.as_ref(),
            shortcodes_paired: &paired,
            heading_ids: self.config.file.heading_ids,
            docusaurus: self.config.docusaurus.as_deref(),
            partials: (self.config.docusaurus.is_some() || self.config.hugo.is_some())
                .then_some(&read_partial as &crate::markdown::rewrite::ReadPartial),
            ui: (&self.theme.strings, &self.config.file.language),
            templates: &crate::theme::Templates::for_bodies(&self.theme)?,
            liquid: None,
        };
        let page = pipeline::page_from_source(source, &shared, old.last_updated.clone());
        let nav_changed = page.nav_label() != old.nav_label()
            || page.position != old.position
            || page.front.draft != old.front.draft
            || page.title != old.title;
        let folder = old
            .rel_path
            .rsplit_once('/')
            .map_or(String::new(), |(f, _)| format!("{f}/"));
        self.site.pages[index] = page;
        // The file's loading findings (front matter) are replaced by the new ones.
        let file = self.site.pages[index].file.clone();
        self.site.diagnostics.retain(|d| d.span.file != file);
        self.site.diagnostics.extend(loading);
        self.replace_findings(index, Vec::new());
        // One page's terms out, its new terms in.
        if let Some(search) = self
            .search
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            search.update(&self.site, index);
        }
        let mut affected = vec![self.site.pages[index].route.clone()];
        self.cache_mut().remove(&index);
        if nav_changed {
            self.nav = Nav::build(&self.site);
            // A sidebar's first page may have moved: its navbar item follows.
            let brand = pipeline::brand(&self.config, &self.site, &self.nav);
            if let Ok(renderer) = &mut self.renderer {
                renderer.set_brand(brand);
            }
            let in_section: Vec<(usize, String)> = self
                .site
                .pages
                .iter()
                .enumerate()
                .filter(|(_, p)| folder.is_empty() || p.rel_path.starts_with(&folder))
                .map(|(i, p)| (i, p.route.clone()))
                .collect();
            for (i, route) in in_section {
                self.cache_mut().remove(&i);
                affected.push(route);
            }
            // Neighbours in reading order show its title in previous/next.
            let (prev, next) = self.nav.prev_next(&self.site.pages, index);
            for link in prev.into_iter().chain(next) {
                if let Some(&i) = self.routes.get(&link.url) {
                    self.cache_mut().remove(&i);
                    affected.push(link.url);
                }
            }
        }
        affected.dedup();
        Ok(Some(affected))
    }

    /// Re-check a page and the pages that link to it (its anchors may have changed); `extra` are
    /// findings to add for it.
    fn replace_findings(&mut self, index: usize, extra: Vec<Diagnostic>) {
        let mut recheck: Vec<usize> = vec![index];
        for (i, p) in self.site.pages.iter().enumerate() {
            if i != index && p.links.iter().any(|l| matches!(l.target, crate::model::Target::Page { page, .. } if page == index)) {
                recheck.push(i);
            }
        }
        let files: HashSet<std::path::PathBuf> = recheck
            .iter()
            .map(|&i| self.site.pages[i].file.clone())
            .collect();
        self.findings.retain(|d| !files.contains(&d.span.file));
        self.findings.extend(
            self.site
                .diagnostics
                .iter()
                .filter(|d| files.contains(&d.span.file))
                .filter_map(|d| self.policy.apply(d.clone(), None)),
        );
        self.findings
            .extend(check::run_pages(&self.site, &self.policy, &recheck));
        self.findings.extend(extra);
        crate::diag::sort(&mut self.findings);
    }

    /// Findings in the file of the page at a route.
    pub(super) fn findings_for(&self, index: usize) -> Vec<&Diagnostic> {
        let file = &self.site.pages[index].file;
        self.findings
            .iter()
            .filter(|d| &d.span.file == file)
            .collect()
    }

    /// Loading errors that make a page's content untrustworthy (broken front matter).
    pub(super) fn page_errors(&self, index: usize) -> Vec<&Diagnostic> {
        self.findings_for(index)
            .into_iter()
            .filter(|d| {
                d.severity == Severity::Error && matches!(d.rule, "front-matter" | "encoding")
            })
            .collect()
    }
}

fn old_route_of(site: &Site, index: usize) -> String {
    site.pages[index].route.clone()
}
