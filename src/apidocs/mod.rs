//! The catalog's pages: the catalog overview and a page per API (split into a page per tag for large
//! APIs, so that no page is huge). This module makes the data — typed, serializable views of APIs,
//! operations and schemas — and the theme's `api/*.html` templates make the markup, in the site's
//! language. Each page lists its headings, so the sidebar, the table of contents and the anchor checks
//! treat catalog pages like any other page. Third-party text from specs is rendered as Markdown and
//! sanitized with ammonia. What the build has to say about an API is a finding ([`findings`]), never
//! page text.

mod download;
mod operation;
mod schema_view;

pub use download::assets as download_assets;
pub use operation::OperationView;
pub use schema_view::{Node, TypeView};

use crate::apigen::snippet::Gateway;
use crate::catalog::{Api, Catalog, GatewayPath, Operation, Spec};
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::markdown::Highlighter;
use crate::model::Heading;
use crate::routes::join_route;
use serde::Serialize;

/// What the catalog pages need to know about the site.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The site's route base.
    pub route_base: &'a str,
    /// The catalog's folder under the route base (`api-katalog`).
    pub folder: &'a str,
    /// The catalog page's title.
    pub title: &'a str,
    /// The catalog's place in the sidebar.
    pub position: f64,
    /// APIs with more operations than this get a page per tag.
    pub split_above: usize,
    /// The gateway.
    pub gateway: &'a Gateway,
    /// Institutions for the instance selector.
    pub instances: &'a [String],
    /// The instance examples name before a reader picks one (so a first copy runs when pasted).
    pub default_instance: &'a str,
    /// Highlights the examples.
    pub highlighter: &'a Highlighter,
    /// The theme's templates (the catalog's are `api/*.html`) and UI strings.
    pub templates: &'a crate::theme::Templates,
    /// The language of the pages' UI strings.
    pub lang: &'a str,
}

impl Options<'_> {
    /// The UI string `api.KEY` in the pages' language.
    fn text(&self, key: &str) -> String {
        self.templates.text(self.lang, &format!("api.{key}"))
    }

    fn render(&self, name: &str, view: &impl Serialize) -> Result<String> {
        self.templates.render(name, self.lang, view)
    }
}

/// A generated page.
#[derive(Debug, Clone)]
pub struct GeneratedPage {
    /// Synthetic source path under the content folder (places it in the sidebar).
    pub rel_path: String,
    /// Route.
    pub route: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Content HTML.
    pub html: String,
    /// Headings with ids.
    pub headings: Vec<Heading>,
    /// Sidebar position.
    pub position: Option<f64>,
    /// Stands for its folder.
    pub is_index: bool,
    /// The operations the page shows or leads to, for its entry in the sidebar.
    pub operations: Vec<SidebarOperation>,
}

/// An operation in the sidebar entry of its API's page: the theme's `partials/sidebar-macros.html`
/// shows it under the current page, with its method badge.
#[derive(Debug, Clone, Serialize)]
pub struct SidebarOperation {
    /// Where it is described (`#anchor`, or a topic page's URL with the anchor).
    pub url: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The method in lower case, for the badge's class.
    pub method_class: String,
    /// The operation's path.
    pub path: String,
    /// Its summary (may be empty).
    pub summary: String,
}

fn sidebar_operations(ops: &[(&Spec, &Operation)], page: &str) -> Vec<SidebarOperation> {
    ops.iter()
        .map(|(_, op)| SidebarOperation {
            url: format!("{page}#{}", op.anchor),
            method: op.method.clone(),
            method_class: op.method.to_ascii_lowercase(),
            path: op.path.clone(),
            summary: op.summary.clone(),
        })
        .collect()
}

/// Third-party Markdown as safe HTML: rendered, then sanitized (no scripts, handlers or `javascript:`).
pub(crate) fn markdown_html(text: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::ENABLE_TABLES),
    );
    ammonia::clean(&html)
}

fn first_paragraph(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or("")
        .to_string()
}

fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in pulldown_cmark::Parser::new(markdown) {
        if let pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) = event {
            text.push_str(&t);
            text.push(' ');
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Findings about the catalog that readers must not see: operations whose gateway path could not be
/// derived (one finding per spec, at its first such operation).
pub fn findings(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for spec in catalog.apis.iter().flat_map(|a| a.specs.iter()) {
        let assumed: Vec<(&Operation, &str, &str)> = spec
            .operations
            .iter()
            .filter_map(|op| match &op.gateway {
                GatewayPath::Assumed { path, reason } => Some((op, path.as_str(), reason.as_str())),
                _ => None,
            })
            .collect();
        let Some((first, path, reason)) = assumed.first() else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                crate::openapi::CONTEXT_PATH_ASSUMED,
                first.span.clone(),
                format!(
                    "the gateway path of {} operation(s) cannot be derived: {reason}; the examples call `{path}` and the like",
                    assumed.len()
                ),
            )
            .with_hint("give the spec the gateway's server URL, or add an endpoint target in the Gravitee export that matches the spec's server"),
        );
    }
    out
}

/// One API on the overview.
#[derive(Serialize)]
struct ApiCard {
    heading_id: String,
    title: String,
    url: String,
    version: String,
    provider: Option<String>,
    context_path: Option<String>,
    operations: usize,
    summary: String,
    tags: Vec<String>,
    search: String,
}

#[derive(Serialize)]
struct OverviewView {
    apis: Vec<ApiCard>,
    tags: Vec<String>,
    providers: Vec<String>,
}

#[derive(Serialize)]
struct SpecLabel {
    format: &'static str,
    title: String,
}

#[derive(Serialize)]
struct PlanView {
    name: String,
    security: String,
    status: String,
    assumed: bool,
}

#[derive(Serialize)]
struct DocView {
    id: String,
    name: String,
    html: String,
}

#[derive(Serialize)]
struct AccessView {
    /// Behind the gateway.
    gateway: bool,
    base: String,
    context_path: Option<String>,
    key_header: String,
    targets: Vec<String>,
    servers: Vec<String>,
}

#[derive(Serialize)]
struct TopicLink {
    title: String,
    url: String,
    operations: usize,
}

#[derive(Serialize)]
struct GroupView {
    id: String,
    title: String,
    operations: Vec<OperationView>,
}

#[derive(Serialize)]
struct SchemaDef {
    id: String,
    name: String,
    root: Node,
}

#[derive(Serialize)]
struct OpLink {
    anchor: String,
    method: String,
    method_class: String,
    path: String,
    summary: String,
}

/// The try-it settings every API page carries.
#[derive(Serialize)]
struct TryItSite {
    /// `https://gw-{instans}.…` (the reader's institution fills it in).
    url_pattern: String,
    key_header: String,
    /// The environment variable the examples read the key from.
    key_env: String,
}

#[derive(Serialize)]
struct ApiPageView {
    title: String,
    version: String,
    provider: Option<String>,
    specs: Vec<SpecLabel>,
    downloads: Vec<download::DownloadView>,
    description: String,
    access: AccessView,
    plans: Vec<PlanView>,
    instances: Vec<String>,
    default_instance: String,
    webhooks: Vec<String>,
    docs: Vec<DocView>,
    topics: Vec<TopicLink>,
    schemas_url: Option<String>,
    operation_list: Vec<OpLink>,
    groups: Vec<GroupView>,
    schemas: Vec<SchemaDef>,
    try_it: TryItSite,
}

#[derive(Serialize)]
struct TagPageView {
    instances: Vec<String>,
    default_instance: String,
    operation_list: Vec<OpLink>,
    operations: Vec<OperationView>,
    try_it: TryItSite,
}

#[derive(Serialize)]
struct SchemasPageView {
    schemas: Vec<SchemaDef>,
}

fn heading(level: u8, text: impl Into<String>, id: impl Into<String>) -> Heading {
    Heading {
        level,
        text: text.into(),
        id: id.into(),
        offset: 0,
    }
}

/// All catalog pages; empty when the catalog is.
pub fn pages(catalog: &Catalog, opts: &Options<'_>) -> Result<Vec<GeneratedPage>> {
    if catalog.apis.is_empty() {
        return Ok(Vec::new());
    }
    let catalog_route = join_route(opts.route_base, opts.folder);
    let mut out = vec![overview(catalog, opts, &catalog_route)?];
    for api in &catalog.apis {
        out.extend(api_pages(api, opts, &catalog_route)?);
    }
    Ok(out)
}

fn overview(catalog: &Catalog, opts: &Options<'_>, route: &str) -> Result<GeneratedPage> {
    let mut tags = Vec::new();
    let mut providers = Vec::new();
    let apis: Vec<ApiCard> = catalog
        .apis
        .iter()
        .map(|api| {
            let api_tags = api.tags();
            let summary = plain_text(&first_paragraph(&api.description));
            for tag in &api_tags {
                if !tags.contains(tag) {
                    tags.push(tag.clone());
                }
            }
            if let Some(p) = &api.provider {
                if !providers.contains(p) {
                    providers.push(p.clone());
                }
            }
            let search = format!(
                "{} {} {} {} {}",
                api.title,
                api.version,
                api.provider.clone().unwrap_or_default(),
                api_tags.join(" "),
                summary
            )
            .to_lowercase();
            ApiCard {
                heading_id: format!("api-{}", api.id),
                title: api.title.clone(),
                url: join_route(route, &api.id),
                version: api.version.clone(),
                provider: api.provider.clone(),
                context_path: api.context_path.clone(),
                operations: api.operations().count(),
                summary,
                tags: api_tags,
                search,
            }
        })
        .collect();
    tags.sort();
    providers.sort();
    let headings = apis
        .iter()
        .map(|a| heading(2, a.title.clone(), a.heading_id.clone()))
        .collect();
    let html = opts.render(
        "api/overview.html",
        &OverviewView {
            apis,
            tags,
            providers,
        },
    )?;
    Ok(GeneratedPage {
        rel_path: format!("{}/index.md", opts.folder),
        route: route.to_string(),
        title: opts.title.to_string(),
        description: opts
            .text("catalog_description")
            .replace("{count}", &catalog.apis.len().to_string()),
        html,
        headings,
        position: Some(opts.position),
        is_index: true,
        operations: Vec::new(),
    })
}

/// The operations of an API grouped by their first tag, in first-seen order.
fn by_tag<'a>(api: &'a Api, untagged: &str) -> Vec<(String, Vec<(&'a Spec, &'a Operation)>)> {
    let mut groups: Vec<(String, Vec<(&Spec, &Operation)>)> = Vec::new();
    for spec in &api.specs {
        for op in &spec.operations {
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| untagged.to_string());
            match groups.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, ops)) => ops.push((spec, op)),
                None => groups.push((tag, vec![(spec, op)])),
            }
        }
    }
    groups
}

fn tag_slug(tag: &str) -> String {
    let slug = crate::slug::slugify(tag);
    if slug.is_empty() {
        "emne".into()
    } else {
        slug
    }
}

fn op_links(ops: &[(&Spec, &Operation)]) -> Vec<OpLink> {
    ops.iter()
        .map(|(_, op)| OpLink {
            anchor: op.anchor.clone(),
            method: op.method.clone(),
            method_class: op.method.to_ascii_lowercase(),
            path: op.path.clone(),
            summary: op.summary.clone(),
        })
        .collect()
}

fn try_it_site(opts: &Options<'_>) -> TryItSite {
    TryItSite {
        url_pattern: opts.gateway.url_pattern.trim_end_matches('/').to_string(),
        key_header: opts.gateway.key_header.clone(),
        key_env: opts.gateway.key_env.clone(),
    }
}

fn api_pages(api: &Api, opts: &Options<'_>, catalog_route: &str) -> Result<Vec<GeneratedPage>> {
    let t = |key: &str| opts.text(key);
    let route = join_route(catalog_route, &api.id);
    let split = api.operations().count() > opts.split_above;
    let groups = by_tag(api, &t("untagged"));
    let schemas_route = join_route(&route, "skjemaer");
    let schema_href = |name: &str| {
        if split {
            format!("{schemas_route}#schema-{}", crate::slug::slugify(name))
        } else {
            format!("#schema-{}", crate::slug::slugify(name))
        }
    };
    let mut headings = vec![heading(2, t("access"), "tilgang")];
    let docs: Vec<DocView> = api
        .docs
        .iter()
        .map(|doc| DocView {
            id: format!("dok-{}", crate::slug::slugify(&doc.name)),
            name: doc.name.clone(),
            html: markdown_html(&doc.markdown),
        })
        .collect();
    headings.extend(
        docs.iter()
            .map(|d| heading(2, d.name.clone(), d.id.clone())),
    );
    let mut view = ApiPageView {
        title: api.title.clone(),
        version: api.version.clone(),
        provider: api.provider.clone(),
        specs: api
            .specs
            .iter()
            .map(|s| SpecLabel {
                format: s.format.label(),
                title: s.title.clone(),
            })
            .collect(),
        downloads: download::links(api, &route),
        description: if api.description.is_empty() {
            String::new()
        } else {
            markdown_html(&api.description)
        },
        access: AccessView {
            gateway: api.context_path.is_some(),
            base: opts.gateway.url_pattern.trim_end_matches('/').to_string(),
            context_path: api.context_path.clone(),
            key_header: opts.gateway.key_header.clone(),
            targets: api.targets.clone(),
            servers: api.specs.iter().flat_map(|s| s.servers.clone()).collect(),
        },
        plans: api
            .plans
            .iter()
            .map(|p| PlanView {
                name: p.name.clone(),
                security: p.security.clone(),
                status: p.status.clone(),
                assumed: p.assumed,
            })
            .collect(),
        instances: opts.instances.to_vec(),
        default_instance: opts.default_instance.to_string(),
        webhooks: api.specs.iter().flat_map(|s| s.webhooks.clone()).collect(),
        docs,
        topics: Vec::new(),
        schemas_url: None,
        operation_list: Vec::new(),
        groups: Vec::new(),
        schemas: Vec::new(),
        try_it: try_it_site(opts),
    };
    let mut pages = Vec::new();
    let mut api_operations = Vec::new();
    if split {
        headings.push(heading(2, t("topics"), "emner"));
        for (tag, ops) in &groups {
            let tag_route = join_route(&route, &tag_slug(tag));
            view.topics.push(TopicLink {
                title: tag.clone(),
                url: tag_route.clone(),
                operations: ops.len(),
            });
            let operations: Vec<OperationView> = ops
                .iter()
                .map(|(spec, op)| operation::view(api, spec, op, opts, &schema_href, 2))
                .collect();
            let tag_headings = operations
                .iter()
                .map(|o| heading(2, format!("{} {}", o.method, o.path), o.anchor.clone()))
                .collect();
            let html = opts.render(
                "api/tag.html",
                &TagPageView {
                    instances: opts.instances.to_vec(),
                    default_instance: opts.default_instance.to_string(),
                    operation_list: op_links(ops),
                    operations,
                    try_it: try_it_site(opts),
                },
            )?;
            api_operations.extend(sidebar_operations(ops, &tag_route));
            pages.push(GeneratedPage {
                rel_path: format!("{}/{}/{}.md", opts.folder, api.id, tag_slug(tag)),
                route: tag_route,
                title: format!("{}: {tag}", api.title),
                description: t("tag_description")
                    .replace("{tag}", tag)
                    .replace("{api}", &api.title),
                html,
                headings: tag_headings,
                position: None,
                is_index: false,
                operations: sidebar_operations(ops, ""),
            });
        }
        view.schemas_url = Some(schemas_route.clone());
        let schemas = schema_defs(api, &schema_href);
        let schema_headings = schemas
            .iter()
            .map(|s| heading(2, s.name.clone(), s.id.clone()))
            .collect();
        let html = opts.render("api/schemas.html", &SchemasPageView { schemas })?;
        pages.push(GeneratedPage {
            rel_path: format!("{}/{}/skjemaer.md", opts.folder, api.id),
            route: schemas_route.clone(),
            title: format!("{}: {}", api.title, t("schemas_lower")),
            description: t("schemas_description").replace("{api}", &api.title),
            html,
            headings: schema_headings,
            position: Some(1000.0),
            is_index: false,
            operations: Vec::new(),
        });
    } else {
        for (tag, ops) in &groups {
            let id = format!("emne-{}", tag_slug(tag));
            headings.push(heading(2, tag.clone(), id.clone()));
            let operations: Vec<OperationView> = ops
                .iter()
                .map(|(spec, op)| operation::view(api, spec, op, opts, &schema_href, 3))
                .collect();
            headings.extend(
                operations
                    .iter()
                    .map(|o| heading(3, format!("{} {}", o.method, o.path), o.anchor.clone())),
            );
            view.operation_list.extend(op_links(ops));
            api_operations.extend(sidebar_operations(ops, ""));
            view.groups.push(GroupView {
                id,
                title: tag.clone(),
                operations,
            });
        }
        view.schemas = schema_defs(api, &schema_href);
        if !view.schemas.is_empty() {
            headings.push(heading(2, t("schemas"), "skjemaer"));
            headings.extend(
                view.schemas
                    .iter()
                    .map(|s| heading(3, s.name.clone(), s.id.clone())),
            );
        }
    }
    let html = opts.render("api/api.html", &view)?;
    let rel_path = if split {
        format!("{}/{}/index.md", opts.folder, api.id)
    } else {
        format!("{}/{}.md", opts.folder, api.id)
    };
    let mut all = vec![GeneratedPage {
        rel_path,
        route,
        title: api.title.clone(),
        description: plain_text(&first_paragraph(&api.description)),
        html,
        headings,
        position: None,
        is_index: split,
        operations: api_operations,
    }];
    all.extend(pages);
    Ok(all)
}

fn schema_defs(api: &Api, href: &dyn Fn(&str) -> String) -> Vec<SchemaDef> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for spec in &api.specs {
        let explorer = schema_view::Explorer {
            schemas: &spec.schemas,
            href,
            expand_refs: 1,
        };
        for name in spec.schemas.keys() {
            let id = format!("schema-{}", crate::slug::slugify(name));
            if seen.contains(&id) {
                continue;
            }
            seen.push(id.clone());
            // The definition's own tree, looked at through its name, so a self-reference is a cycle.
            let root = explorer.tree(
                &crate::catalog::Schema::of(crate::catalog::SchemaKind::Ref(name.clone())),
                &id,
            );
            out.push(SchemaDef {
                id,
                name: name.clone(),
                root,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_markdown_is_sanitized() {
        let html = markdown_html("Hei <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) <a href=\"https://ok.no\" onclick=\"x()\">ok</a>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("https://ok.no"), "{html}");
    }
}
