//! The catalog's pages as HTML fragments: the catalog overview and a page per API (split into a page
//! per tag for large APIs, so that no page is huge). Each page lists its headings, so the sidebar, the
//! table of contents and the anchor checks treat catalog pages like any other page. Third-party text
//! from specs is rendered as Markdown and then sanitized with ammonia.

mod operation;
mod schema_view;

use crate::apigen::snippet::Gateway;
use crate::catalog::{Api, Catalog, Operation, Spec};
use crate::markdown::Highlighter;
use crate::model::Heading;
use crate::routes::join_route;
use operation::operations;
use std::fmt::Write;

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
    /// Highlights the examples.
    pub highlighter: &'a Highlighter,
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
}

pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// Values as escaped `<code>` elements separated by commas (`<code>a</code>, <code>b</code>`).
pub(crate) fn code_list<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str("<code>");
        out.push_str(&esc(&item.to_string()));
        out.push_str("</code>");
    }
    out
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

/// All catalog pages; empty when the catalog is.
pub fn pages(catalog: &Catalog, opts: &Options<'_>) -> Vec<GeneratedPage> {
    if catalog.apis.is_empty() {
        return Vec::new();
    }
    let catalog_route = join_route(opts.route_base, opts.folder);
    let mut out = vec![overview(catalog, opts, &catalog_route)];
    for api in &catalog.apis {
        out.extend(api_pages(api, opts, &catalog_route));
    }
    out
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

fn overview(catalog: &Catalog, opts: &Options<'_>, route: &str) -> GeneratedPage {
    let mut html = String::new();
    let _ = write!(
        html,
        "<p>Katalogen viser API-ene som tilbys gjennom IntArk, med operasjoner, parametere, skjemaer og eksempler med curl og PowerShell.</p>\
         <div class=\"api-filter\"><label for=\"api-filter\">Filtrer API-er</label> <input id=\"api-filter\" type=\"search\" data-filter=\"#api-list > li\" autocomplete=\"off\" aria-describedby=\"api-filter-status\"> <span id=\"api-filter-status\" class=\"filter-status\" aria-live=\"polite\"></span></div>\
         <ul id=\"api-list\" class=\"api-list\">"
    );
    let mut headings = Vec::new();
    for api in &catalog.apis {
        let ops = api.operations().count();
        let tags = api.tags();
        let summary = plain_text(&first_paragraph(&api.description));
        let search = format!(
            "{} {} {} {} {}",
            api.title,
            api.version,
            api.provider.clone().unwrap_or_default(),
            tags.join(" "),
            summary
        )
        .to_lowercase();
        let id = format!("api-{}", api.id);
        let _ = write!(
            html,
            "<li data-search=\"{}\"><h2 id=\"{}\"><a href=\"{}\">{}</a></h2><p class=\"api-meta\">",
            esc(&search),
            esc(&id),
            esc(&join_route(route, &api.id)),
            esc(&api.title)
        );
        let mut meta = Vec::new();
        if !api.version.is_empty() {
            meta.push(format!("Versjon {}", esc(&api.version)));
        }
        if let Some(p) = &api.provider {
            meta.push(format!("Tilbyder: {}", esc(p)));
        }
        if let Some(c) = &api.context_path {
            meta.push(format!("Kontekststi <code>{}</code>", esc(c)));
        }
        meta.push(format!(
            "{ops} {}",
            if ops == 1 { "operasjon" } else { "operasjoner" }
        ));
        html.push_str(&meta.join(" · "));
        html.push_str("</p>");
        if !summary.is_empty() {
            let _ = write!(html, "<p>{}</p>", esc(&summary));
        }
        if !tags.is_empty() {
            html.push_str("<p class=\"tags\"><span class=\"tags-label\">Emner:</span> ");
            for tag in &tags {
                let _ = write!(html, "<span class=\"tag\">{}</span> ", esc(tag));
            }
            html.push_str("</p>");
        }
        html.push_str("</li>");
        headings.push(Heading {
            level: 2,
            text: api.title.clone(),
            id,
            offset: 0,
        });
    }
    html.push_str("</ul>");
    GeneratedPage {
        rel_path: format!("{}/index.md", opts.folder),
        route: route.to_string(),
        title: opts.title.to_string(),
        description: format!(
            "{} API-er med operasjoner og eksempler.",
            catalog.apis.len()
        ),
        html,
        headings,
        position: Some(opts.position),
        is_index: true,
    }
}

/// The operations of an API grouped by their first tag, in first-seen order.
fn by_tag(api: &Api) -> Vec<(String, Vec<(&Spec, &Operation)>)> {
    let mut groups: Vec<(String, Vec<(&Spec, &Operation)>)> = Vec::new();
    for spec in &api.specs {
        for op in &spec.operations {
            let tag = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "Andre operasjoner".to_string());
            match groups.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, ops)) => ops.push((spec, op)),
                None => groups.push((tag, vec![(spec, op)])),
            }
        }
    }
    groups
}

fn api_pages(api: &Api, opts: &Options<'_>, catalog_route: &str) -> Vec<GeneratedPage> {
    let route = join_route(catalog_route, &api.id);
    let split = api.operations().count() > opts.split_above;
    let groups = by_tag(api);
    let schemas_route = join_route(&route, "skjemaer");
    let schema_href = |name: &str| {
        if split {
            format!("{schemas_route}#schema-{}", crate::slug::slugify(name))
        } else {
            format!("#schema-{}", crate::slug::slugify(name))
        }
    };
    let mut html = String::new();
    let mut headings = Vec::new();
    intro(api, opts, &mut html, &mut headings);
    let mut pages = Vec::new();
    if split {
        html.push_str("<h2 id=\"emner\">Emner</h2><ul class=\"section-list\">");
        headings.push(Heading {
            level: 2,
            text: "Emner".into(),
            id: "emner".into(),
            offset: 0,
        });
        for (tag, ops) in &groups {
            let tag_route = join_route(&route, &tag_slug(tag));
            let _ = write!(
                html,
                "<li><a href=\"{}\">{}</a> ({} operasjoner)</li>",
                esc(&tag_route),
                esc(tag),
                ops.len()
            );
            let mut tag_html = String::new();
            let mut tag_headings = Vec::new();
            instance_select(opts, &mut tag_html);
            operations(
                api,
                ops,
                opts,
                &schema_href,
                2,
                &mut tag_html,
                &mut tag_headings,
            );
            pages.push(GeneratedPage {
                rel_path: format!("{}/{}/{}.md", opts.folder, api.id, tag_slug(tag)),
                route: tag_route,
                title: format!("{}: {tag}", api.title),
                description: format!("Operasjonene under «{tag}» i {}.", api.title),
                html: tag_html,
                headings: tag_headings,
                position: None,
                is_index: false,
            });
        }
        let _ = write!(
            html,
            "<li><a href=\"{}\">Skjemaer</a></li></ul>",
            esc(&schemas_route)
        );
        let mut schema_html = String::new();
        let mut schema_headings = Vec::new();
        schemas(api, &schema_href, &mut schema_html, &mut schema_headings);
        pages.push(GeneratedPage {
            rel_path: format!("{}/{}/skjemaer.md", opts.folder, api.id),
            route: schemas_route.clone(),
            title: format!("{}: skjemaer", api.title),
            description: format!("Datatypene i {}.", api.title),
            html: schema_html,
            headings: schema_headings,
            position: Some(1000.0),
            is_index: false,
        });
    } else {
        for (tag, ops) in &groups {
            let id = format!("emne-{}", tag_slug(tag));
            let _ = write!(html, "<h2 id=\"{}\">{}</h2>", esc(&id), esc(tag));
            headings.push(Heading {
                level: 2,
                text: tag.clone(),
                id,
                offset: 0,
            });
            operations(api, ops, opts, &schema_href, 3, &mut html, &mut headings);
        }
        schemas(api, &schema_href, &mut html, &mut headings);
    }
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
    }];
    all.extend(pages);
    all
}

fn tag_slug(tag: &str) -> String {
    let slug = crate::slug::slugify(tag);
    if slug.is_empty() {
        "emne".into()
    } else {
        slug
    }
}

fn instance_select(opts: &Options<'_>, html: &mut String) {
    if opts.instances.is_empty() {
        return;
    }
    html.push_str("<div class=\"instance-select\"><label for=\"instans\">Institusjon i eksemplene</label> <select id=\"instans\" data-instance-select><option value=\"\">{instans}</option>");
    for i in opts.instances {
        let _ = write!(html, "<option value=\"{0}\">{0}</option>", esc(i));
    }
    html.push_str("</select></div>");
}

fn intro(api: &Api, opts: &Options<'_>, html: &mut String, headings: &mut Vec<Heading>) {
    let mut meta = Vec::new();
    if !api.version.is_empty() {
        meta.push(format!("Versjon {}", esc(&api.version)));
    }
    if let Some(p) = &api.provider {
        meta.push(format!("Tilbyder: {}", esc(p)));
    }
    for spec in &api.specs {
        meta.push(format!(
            "{}: {}",
            esc(spec.format.label()),
            esc(&spec.title)
        ));
    }
    let _ = write!(html, "<p class=\"api-meta\">{}</p>", meta.join(" · "));
    if !api.description.is_empty() {
        let _ = write!(
            html,
            "<div class=\"api-description\">{}</div>",
            markdown_html(&api.description)
        );
    }
    html.push_str("<h2 id=\"tilgang\">Tilgang og adresse</h2>");
    headings.push(Heading {
        level: 2,
        text: "Tilgang og adresse".into(),
        id: "tilgang".into(),
        offset: 0,
    });
    match &api.context_path {
        Some(context) => {
            let pattern = opts.gateway.url_pattern.trim_end_matches('/');
            let _ = write!(
                html,
                "<p>API-et kalles gjennom API manager på <code>{}{}</code>, der <code>{{instans}}</code> er institusjonens kortnavn. Send API-nøkkelen i headeren <code>{}</code>.</p>",
                esc(pattern),
                esc(context),
                esc(&opts.gateway.key_header)
            );
            if !api.targets.is_empty() {
                let _ = write!(
                    html,
                    "<p>Gatewayen videresender <code>{}/…</code> til {}.</p>",
                    esc(context),
                    code_list(&api.targets)
                );
            }
        }
        None => {
            let servers = code_list(api.specs.iter().flat_map(|s| s.servers.iter()));
            let _ = write!(
                html,
                "<p>API-et ligger ikke bak API manager. Server: {}.</p>",
                if servers.is_empty() {
                    "ikke oppgitt"
                } else {
                    &servers
                }
            );
        }
    }
    if !api.plans.is_empty() {
        html.push_str("<div class=\"table-wrap\" tabindex=\"0\"><table><caption>Planer</caption><thead><tr><th scope=\"col\">Plan</th><th scope=\"col\">Sikkerhet</th><th scope=\"col\">Status</th></tr></thead><tbody>");
        for plan in &api.plans {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&plan.name),
                esc(&plan.security),
                esc(&plan.status)
            );
        }
        html.push_str("</tbody></table></div>");
    }
    instance_select(opts, html);
    for spec in &api.specs {
        if !spec.webhooks.is_empty() {
            let _ = write!(html, "<p class=\"note\">Spesifikasjonen beskriver også webhooks ({}); de vises ikke som operasjoner her.</p>", code_list(&spec.webhooks));
        }
    }
    for doc in &api.docs {
        let id = format!("dok-{}", crate::slug::slugify(&doc.name));
        let _ = write!(
            html,
            "<h2 id=\"{}\">{}</h2><div class=\"api-doc\">{}</div>",
            esc(&id),
            esc(&doc.name),
            markdown_html(&doc.markdown)
        );
        headings.push(Heading {
            level: 2,
            text: doc.name.clone(),
            id,
            offset: 0,
        });
    }
}

fn schemas(
    api: &Api,
    schema_href: &dyn Fn(&str) -> String,
    html: &mut String,
    headings: &mut Vec<Heading>,
) {
    let named: Vec<(&Spec, &String, &crate::catalog::Schema)> = api
        .specs
        .iter()
        .flat_map(|s| s.schemas.iter().map(move |(n, sc)| (s, n, sc)))
        .collect();
    if named.is_empty() {
        return;
    }
    html.push_str("<h2 id=\"skjemaer\">Skjemaer</h2>");
    headings.push(Heading {
        level: 2,
        text: "Skjemaer".into(),
        id: "skjemaer".into(),
        offset: 0,
    });
    let mut seen = Vec::new();
    for (spec, name, schema) in named {
        let id = format!("schema-{}", crate::slug::slugify(name));
        if seen.contains(&id) {
            continue;
        }
        seen.push(id.clone());
        let _ = write!(
            html,
            "<section class=\"schema-def\"><h3 id=\"{}\">{}</h3>",
            esc(&id),
            esc(name)
        );
        if !schema.description.is_empty() {
            html.push_str(&markdown_html(&schema.description));
        }
        html.push_str(&schema_view::view(schema, &spec.schemas, schema_href));
        html.push_str("</section>");
        headings.push(Heading {
            level: 3,
            text: name.clone(),
            id,
            offset: 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lists_escape_each_value() {
        assert_eq!(
            code_list(["a<b", "c"]),
            "<code>a&lt;b</code>, <code>c</code>"
        );
        assert_eq!(code_list(Vec::<String>::new()), "");
    }

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
