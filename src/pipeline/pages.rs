//! The pages of a site besides plain Markdown files: the one Markdown pass per source, generated
//! section pages, the catalog's pages, and the site's flavour.

use super::*;

/// The site's flavour: from its configuration, else detected from its files (`_index.md` or Hugo
/// shortcodes suggest Hugo; `{:toc}` or Liquid suggest Jekyll). A site with an `intark.toml` is
/// ours whatever its pages quote: the guide's theme page names `{:toc}` in inline code.
pub(super) fn flavour(config: &Config, pages: &[Page]) -> crate::config::Flavour {
    use crate::config::Flavour;
    if config.flavour != Flavour::Docusaurus
        || config.root.join(crate::config::CONFIG_FILE).is_file()
    {
        return config.flavour;
    }
    // One look at each `{` of each page (in parallel), not four searches through every page.
    let (hugo, jekyll) = pages
        .par_iter()
        .map(|p| {
            let (mut hugo, mut jekyll) = (p.rel_path.ends_with("_index.md"), false);
            for (at, _) in p.source.match_indices('{') {
                let rest = &p.source.as_bytes()[at..];
                hugo |= rest.starts_with(b"{{<") || rest.starts_with(b"{{%");
                // `{% ` inside Hugo's `{{% … %}}` is not Liquid.
                let in_hugo_call = at > 0 && p.source.as_bytes()[at - 1] == b'{';
                jekyll |=
                    rest.starts_with(b"{:toc}") || (rest.starts_with(b"{% ") && !in_hugo_call);
                if hugo && jekyll {
                    break;
                }
            }
            (hugo, jekyll)
        })
        .reduce(|| (false, false), |a, b| (a.0 || b.0, a.1 || b.1));
    let jekyll = jekyll || config.root.join("_config.yml").exists();
    match (hugo, jekyll) {
        (true, false) => Flavour::Hugo,
        (false, true) => Flavour::Jekyll,
        _ => Flavour::Docusaurus,
    }
}

/// What every page's Markdown pass shares.
pub struct PassShared<'a> {
    /// Resolves links.
    pub resolver: &'a Resolver,
    /// Highlights code.
    pub highlighter: &'a Highlighter,
    /// TODO words.
    pub words: &'a crate::markdown::todo::Words,
    /// Produce HTML.
    pub html: bool,
    /// `{{ site.url }}`.
    pub site_url: &'a str,
    /// `{{ site.baseurl }}`.
    pub base_path: &'a str,
    /// Pages by folder (relative to the content folder): (title, route), for the `children` shortcode.
    pub children: &'a HashMap<String, Vec<(String, String)>>,
    /// The site's own shortcodes.
    pub shortcodes: Option<&'a tera::Tera>,
    /// Those of them that take a body.
    pub shortcodes_paired: &'a [String],
    /// How heading ids are made.
    pub heading_ids: crate::slug::Style,
    /// A Docusaurus site's config (for `markdown.format`).
    pub docusaurus: Option<&'a crate::config::DocusaurusSite>,
    /// UI strings (the theme's with the site's) and the site's language, for text in page bodies.
    pub ui: (&'a crate::i18n::Strings, &'a str),
    /// The theme's templates, for the components of page bodies.
    pub templates: &'a crate::theme::Templates,
    /// Docusaurus: reads the Markdown partials pages import ([`partial_reader`]).
    pub partials: Option<&'a crate::markdown::rewrite::ReadPartial>,
    /// Jekyll: the Liquid engine and each source's `page` (by path).
    pub liquid: Option<(
        &'a crate::markdown::liquid::Liquid,
        &'a HashMap<String, crate::markdown::liquid::PageInfo>,
    )>,
}

/// The largest Markdown partial a page may import.
const MAX_PARTIAL: u64 = 4 << 20;

/// A Docusaurus site's reader of the Markdown partials its pages import: a module relative to the
/// importing file, or `@site/…` from the site root (Docusaurus's alias); files under the root only.
pub fn partial_reader(
    root: &std::path::Path,
) -> impl Fn(&str, &str) -> Result<(String, String), String> + Sync {
    let root = root.to_path_buf();
    move |from: &str, module: &str| read_partial(&root, from, module)
}

fn read_partial(
    root: &std::path::Path,
    from: &str,
    module: &str,
) -> Result<(String, String), String> {
    let joined = match module.strip_prefix("@site/") {
        Some(rest) => rest.to_string(),
        None => format!("{}/{module}", from.rsplit_once('/').map_or("", |(d, _)| d)),
    };
    crate::relpath::read_within(root, &joined, MAX_PARTIAL)
}

/// Pages by folder, for the `children` shortcode: (title from front matter or file name, route).
pub fn children_by_folder<'s>(
    sources: impl Iterator<Item = (&'s str, Option<&'s str>, &'s str, bool)>,
) -> HashMap<String, Vec<(String, String)>> {
    let mut map: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (rel_path, title, route, is_index) in sources {
        let folder = rel_path.rsplit_once('/').map_or("", |(f, _)| f);
        // An index page is a child of its parent folder.
        let folder = if is_index {
            folder.rsplit_once('/').map_or("", |(f, _)| f)
        } else {
            folder
        };
        let title = title
            .map(str::to_string)
            .unwrap_or_else(|| title_from_path(rel_path));
        map.entry(folder.to_string())
            .or_default()
            .push((title, route.to_string()));
    }
    map
}

/// Render one loaded Markdown source into a page (the one Markdown pass).
pub fn page_from_source(source: Source, shared: &PassShared<'_>, git_date: Option<String>) -> Page {
    let folder = source.rel_path.rsplit_once('/').map_or("", |(f, _)| f);
    let children = if source.is_index {
        shared
            .children
            .get(folder)
            .map(Vec::as_slice)
            .unwrap_or_default()
    } else {
        &[]
    };
    let file = source.file.to_string_lossy().replace('\\', "/");
    let ctx = markdown::Context {
        resolver: shared.resolver,
        highlighter: shared.highlighter,
        todo_words: shared.words,
        rel_path: &source.rel_path,
        route: &source.route,
        html: shared.html,
        heading_ids: shared.heading_ids,
        foreign: markdown::rewrite::Env {
            route: &source.route,
            site_url: shared.site_url,
            base_path: shared.base_path,
            children,
            custom: shared.shortcodes,
            custom_paired: shared.shortcodes_paired,
            site_params: source.hugo.as_deref().map(|h| &h.params),
            page_params: Some(&source.front.extra),
            go_shortcodes: source
                .hugo
                .as_deref()
                .map_or(&[], |h| h.go_shortcodes.as_slice()),
            ui: crate::i18n::Ui {
                strings: Some(shared.ui.0),
                lang: source.front.lang.as_deref().unwrap_or(shared.ui.1),
            },
            templates: Some(shared.templates),
            liquid: shared
                .liquid
                .and_then(|(engine, pages)| pages.get(&source.rel_path).map(|page| (engine, page))),
            mdx: shared
                .docusaurus
                .is_some_and(|d| d.markdown_format.is_mdx(&source.rel_path)),
            file: &file,
            partials: shared.partials.map(markdown::rewrite::Partials),
        },
    };
    let rendered = {
        let _file = crate::error::processing(&source.file);
        markdown::render(&source.text, source.body_offset, &ctx)
    };
    let title = source
        .front
        .title
        .clone()
        .or_else(|| rendered.h1.clone())
        .unwrap_or_else(|| title_from_path(&source.rel_path));
    // Docusaurus: a doc without a `description` is described by its excerpt (`docs.ts`).
    let mut front = source.front;
    if shared.docusaurus.is_some() && front.description.is_none() {
        front.description =
            markdown::docusaurus_excerpt(source.text.get(source.body_offset..).unwrap_or_default());
    }
    let mut todos = source.front_todos;
    todos.extend(rendered.todos);
    let last_updated = front.last_update.clone().or(git_date).or(source.mtime_date);
    Page {
        kind: PageKind::Markdown,
        rel_path: source.rel_path,
        file: source.file,
        lines: source.lines,
        body_offset: source.body_offset,
        front,
        route: source.route,
        is_index: source.is_index,
        has_h1: rendered.h1.is_some(),
        title,
        position: source.position,
        html: rendered.html,
        headings: rendered.headings,
        element_ids: rendered.element_ids,
        links: rendered.links,
        todos,
        code_blocks: rendered.code_blocks,
        suspects: rendered.suspects,
        last_updated,
        source: source.text,
    }
}

/// The instance examples name before a reader picks one: `[gateway] default_instance`, else the
/// first of `instances`, else none (the examples keep `{instans}`).
fn default_instance(gateway: &crate::config::GatewayConfig) -> &str {
    if gateway.default_instance.is_empty() {
        gateway.instances.first().map_or("", String::as_str)
    } else {
        &gateway.default_instance
    }
}

/// The catalog's pages, as pages of the site.
pub(super) fn catalog_pages(
    config: &Config,
    catalog: &Catalog,
    highlighter: &Highlighter,
    theme: &crate::theme::Theme,
    claimed: &HashMap<String, usize>,
    diagnostics: &mut Vec<Diagnostic>,
) -> crate::error::Result<Vec<Page>> {
    let gateway = gateway(config);
    diagnostics.extend(apidocs::findings(catalog));
    if catalog.apis.is_empty() {
        return Ok(Vec::new());
    }
    // A template that does not compile is reported once, by the renderer, which compiles the same
    // templates; until it is fixed the catalog has no pages (and the dev server shows the error).
    let Ok(templates) = crate::theme::Templates::new(theme) else {
        return Ok(Vec::new());
    };
    let c = &config.file.catalog;
    let options = apidocs::Options {
        route_base: &config.route_base,
        folder: &c.route,
        title: &c.title,
        position: c.position,
        split_above: c.split_above,
        gateway: &gateway,
        instances: &config.file.gateway.instances,
        default_instance: default_instance(&config.file.gateway),
        highlighter,
        templates: &templates,
        lang: &config.file.language,
    };
    let file = config.relative(&config.openapi_dir).to_path_buf();
    // `api` in the page's extra data lets the base template load the catalog's CSS and script.
    let mut extra = serde_json::Map::new();
    extra.insert("api".into(), serde_json::Value::Bool(true));
    Ok(apidocs::pages(catalog, &options)?
        .into_iter()
        .filter_map(|g| {
            if claimed.contains_key(&g.route) {
                diagnostics.push(
                    Diagnostic::error(
                        "duplicate-route",
                        crate::diag::Span::file_start(&file),
                        format!(
                            "the catalog page `{}` has the URL of a Markdown page",
                            g.route
                        ),
                    )
                    .with_hint("move the page, or give the catalog another `[catalog] route`"),
                );
                return None;
            }
            let mut extra = extra.clone();
            if !g.operations.is_empty() {
                // The operations the sidebar lists under this page (see `render`).
                extra.insert(
                    crate::render::SIDEBAR_OPERATIONS.into(),
                    serde_json::to_value(&g.operations).unwrap_or_default(),
                );
            }
            Some(Page {
                front: FrontMatter {
                    description: Some(g.description).filter(|d| !d.is_empty()),
                    extra,
                    ..FrontMatter::default()
                },
                is_index: g.is_index,
                title: g.title,
                position: g.position,
                html: g.html,
                headings: g.headings,
                ..Page::generated(PageKind::Catalog, g.rel_path, file.clone(), g.route)
            })
        })
        .collect())
}

/// Generated index pages for folders that have pages but no `index.md` of their own; on a
/// Docusaurus site only for categories whose link is a generated index (a `_category_` file's or a
/// `sidebars.js` category's).
pub(super) fn section_pages(
    config: &Config,
    sources: &[Source],
    categories: &HashMap<String, crate::model::Category>,
    claimed: &HashMap<String, usize>,
) -> Vec<Page> {
    let listed: Vec<(String, bool)> = sources
        .iter()
        .map(|s| (s.rel_path.clone(), s.is_index))
        .collect();
    // One slugger for the labels of all generated indexes without a `slug`, as Docusaurus has one
    // per docs version (`categoryLabelSlugger`, `versions/loadVersion.ts`): a label used twice
    // gives `/category/x` and `/category/x-1`. Docusaurus numbers them in sidebar order, this
    // in file order (`_category_` folders by path, then `sidebars.js`).
    let mut labels = crate::slug::Slugger::default();
    let mut pages: Vec<Page> = Nav::folders_without_index(&listed)
        .into_iter()
        .filter_map(|folder| {
            let name = folder.rsplit('/').next().unwrap_or(&folder);
            let (stripped, prefix) = routes::strip_number_prefix(name);
            let category = categories.get(&folder);
            let label = category
                .and_then(|c| c.label.clone())
                .unwrap_or_else(|| stripped.to_string());
            let file = config
                .relative(&config.content_dir.join(&folder))
                .to_path_buf();
            let page = match &config.docusaurus {
                // Docusaurus makes no page for a folder without an index page, unless its
                // `_category_` asks for a generated index (`sidebars/postProcessor.ts`).
                Some(_) => generated_index(
                    config,
                    category?.generated_index.as_ref()?,
                    &label,
                    format!("{folder}/"),
                    file,
                    &mut labels,
                ),
                None => Page {
                    title: label,
                    ..Page::generated(
                        PageKind::Section,
                        format!("{folder}/"),
                        file,
                        crate::load::folder_route(config, &folder)?,
                    )
                },
            };
            Some(Page {
                is_index: true,
                position: category.and_then(|c| c.position).or(prefix),
                ..page
            })
        })
        .collect();
    if let Some(sidebars) = config
        .docusaurus
        .as_ref()
        .and_then(|d| d.sidebars.as_deref())
    {
        let file = PathBuf::from(&sidebars.file);
        pages.extend(sidebars.generated_indexes().into_iter().enumerate().map(
            |(n, (label, index))| {
                let rel_path = crate::sidebars::Sidebars::index_path(&sidebars.file, n);
                generated_index(config, index, label, rel_path, file.clone(), &mut labels)
            },
        ));
    }
    pages.retain(|p| !claimed.contains_key(&p.route));
    pages
}

/// The page of a Docusaurus category's generated index (`DocCategoryGeneratedIndexPage`): its
/// `title` (else the category's label) and `description`; the theme lists the category's items.
fn generated_index(
    config: &Config,
    index: &crate::sidebars::GeneratedIndex,
    label: &str,
    rel_path: String,
    file: PathBuf,
    labels: &mut crate::slug::Slugger,
) -> Page {
    let route = generated_index_route(config, &index.slug, label, labels);
    Page {
        title: index.title.clone().unwrap_or_else(|| label.to_string()),
        front: FrontMatter {
            description: index.description.clone(),
            // The sidebar keeps the category's label.
            sidebar_label: Some(label.to_string()),
            ..FrontMatter::default()
        },
        ..Page::generated(PageKind::Section, rel_path, file, route)
    }
}

/// The route of a Docusaurus generated index: its `slug`, else `/category/<slug of the label>`,
/// under the route base.
fn generated_index_route(
    config: &Config,
    slug: &Option<String>,
    label: &str,
    labels: &mut crate::slug::Slugger,
) -> String {
    // `normalizeUrl([versionPath, slug])`: a slash only where the slug writes one.
    let keeps_slash = slug.as_deref().is_some_and(|s| s.ends_with('/'));
    let slug = match slug {
        Some(slug) => slug.trim_matches('/').to_string(),
        None => format!("category/{}", labels.slug(label)),
    };
    let route = routes::page_route(&config.route_base, &format!("{slug}/index.md"), None).0;
    match &config.docusaurus {
        Some(docusaurus) => docusaurus.route(route, keeps_slash),
        None => route,
    }
}

fn title_from_path(rel_path: &str) -> String {
    let name = rel_path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(rel_path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let stem = if routes::is_index_name(stem) {
        rel_path
            .trim_end_matches('/')
            .rsplit('/')
            .nth(1)
            .unwrap_or(stem)
    } else {
        stem
    };
    routes::strip_number_prefix(stem).0.replace(['-', '_'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Flavour, Overrides};
    use crate::model::PageKind;

    fn page(rel_path: &str, source: &str) -> Page {
        let mut page = Page::generated(
            PageKind::Markdown,
            rel_path.to_string(),
            rel_path.into(),
            format!("/{rel_path}/"),
        );
        page.source = source.to_string();
        page
    }

    /// A site without a flavour in its configuration is read by what its pages contain: Hugo
    /// shortcodes or `_index.md`, Jekyll's `{:toc}` or Liquid tags, both or neither (Docusaurus).
    #[test]
    fn the_flavour_is_detected_from_the_pages() {
        let root = tempfile::tempdir().unwrap();
        let config = Config::load(&Overrides {
            root: Some(root.path().to_path_buf()),
            ..Overrides::default()
        })
        .unwrap();
        let plain = page("a.md", "# A\n\nText with {braces} and {{ curly }}.\n");
        let detect = |pages: &[Page]| flavour(&config, pages);
        assert_eq!(detect(std::slice::from_ref(&plain)), Flavour::Docusaurus);
        let hugo = page("b.md", "Text {{< note >}}x{{< /note >}}");
        assert_eq!(detect(&[plain.clone(), hugo.clone()]), Flavour::Hugo);
        assert_eq!(detect(&[page("c.md", "{{% x %}}")]), Flavour::Hugo);
        assert_eq!(detect(&[page("s/_index.md", "")]), Flavour::Hugo);
        let jekyll = page("d.md", "* toc\n{:toc}\n");
        assert_eq!(detect(&[plain.clone(), jekyll.clone()]), Flavour::Jekyll);
        assert_eq!(
            detect(&[page("e.md", "{% include x.html %}")]),
            Flavour::Jekyll
        );
        assert_eq!(detect(&[hugo, jekyll.clone()]), Flavour::Docusaurus);
        // With an `intark.toml` the site is ours: quoting Jekyll or Hugo syntax changes nothing.
        std::fs::write(root.path().join(crate::config::CONFIG_FILE), "").unwrap();
        assert_eq!(detect(&[plain, jekyll]), Flavour::Docusaurus);
    }
}
