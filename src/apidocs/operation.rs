//! One operation of the catalog: method and path, gateway path, parameters, request body, responses,
//! security, and the curl and PowerShell examples as tabs.

use super::{code_list, esc, markdown_html, schema_view, Options};
use crate::apigen::snippet;
use crate::catalog::{Api, GatewayPath, MediaType, Operation, SecurityScheme, Spec};
use crate::model::Heading;
use std::fmt::Write;

pub(super) fn operations(
    api: &Api,
    ops: &[(&Spec, &Operation)],
    opts: &Options<'_>,
    schema_href: &dyn Fn(&str) -> String,
    level: u8,
    html: &mut String,
    headings: &mut Vec<Heading>,
) {
    for (spec, op) in ops {
        operation(api, spec, op, opts, schema_href, level, html);
        headings.push(Heading {
            level,
            text: format!("{} {}", op.method, op.path),
            id: op.anchor.clone(),
            offset: 0,
        });
    }
}

pub(super) fn operation(
    api: &Api,
    spec: &Spec,
    op: &Operation,
    opts: &Options<'_>,
    schema_href: &dyn Fn(&str) -> String,
    level: u8,
    html: &mut String,
) {
    let sub = level + 1;
    let method = op.method.to_ascii_lowercase();
    let _ = write!(
        html,
        "<section class=\"operation\" aria-labelledby=\"{a}\"><h{level} id=\"{a}\"><span class=\"method method-{method}\">{}</span> <code class=\"op-path\">{}</code><a class=\"anchor\" data-pagefind-ignore href=\"#{a}\" aria-label=\"Lenke til {} {}\">#</a></h{level}>",
        esc(&op.method),
        esc(&op.path),
        esc(&op.method),
        esc(&op.path),
        a = esc(&op.anchor)
    );
    if !op.summary.is_empty() {
        let _ = write!(html, "<p class=\"op-summary\">{}</p>", esc(&op.summary));
    }
    if op.deprecated {
        html.push_str("<p><span class=\"badge-deprecated\">Utgått</span> Denne operasjonen skal ikke brukes i nye integrasjoner.</p>");
    }
    if !op.description.is_empty() {
        let _ = write!(
            html,
            "<div class=\"op-description\">{}</div>",
            markdown_html(&op.description)
        );
    }
    match &op.gateway {
        GatewayPath::Derived(p) => {
            let _ = write!(
                html,
                "<p class=\"op-gateway\">Sti i API manager: <code>{}</code></p>",
                esc(p)
            );
        }
        GatewayPath::Direct(url) => {
            let _ = write!(
                html,
                "<p class=\"op-gateway\">Adresse: <code>{}</code></p>",
                esc(url)
            );
        }
        GatewayPath::Assumed { path, reason } => {
            let _ = write!(html, "<p class=\"op-gateway note\">Sti i API manager kunne ikke utledes ({}); eksemplet bruker <code>{}</code>.</p>", esc(reason), esc(path));
        }
    }
    if !op.parameters.is_empty() {
        let _ = write!(html, "<h{sub}>Parametere</h{sub}><div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th scope=\"col\">Navn</th><th scope=\"col\">I</th><th scope=\"col\">Type</th><th scope=\"col\">Påkrevd</th><th scope=\"col\">Beskrivelse</th></tr></thead><tbody>");
        for p in &op.parameters {
            let mut extra = String::new();
            if !p.schema.enumeration.is_empty() {
                let _ = write!(extra, "<br>Verdier: {}", code_list(&p.schema.enumeration));
            }
            if let Some(d) = &p.schema.default {
                let _ = write!(extra, "<br>Standard: <code>{}</code>", esc(&d.to_string()));
            }
            if let Some(e) = &p.example {
                let _ = write!(extra, "<br>Eksempel: <code>{}</code>", esc(&e.to_string()));
            }
            let _ = write!(
                html,
                "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{extra}</td></tr>",
                esc(&p.name),
                if p.deprecated { " <span class=\"badge-deprecated\">utgått</span>" } else { "" },
                p.location.as_str(),
                schema_view::type_label(&p.schema, schema_href),
                if p.required { "ja" } else { "nei" },
                markdown_html(&p.description)
            );
        }
        html.push_str("</tbody></table></div>");
    }
    if let Some(body) = &op.request_body {
        let _ = write!(
            html,
            "<h{sub}>Forespørsel{}</h{sub}>",
            if body.required { " (påkrevd)" } else { "" }
        );
        if !body.description.is_empty() {
            html.push_str(&markdown_html(&body.description));
        }
        media(&body.content, spec, schema_href, opts, html);
    }
    if !op.responses.is_empty() {
        let _ = write!(html, "<h{sub}>Svar</h{sub}>");
        for r in &op.responses {
            let _ = write!(html, "<div class=\"response\"><p class=\"status\"><span class=\"status-code\">{}</span> {}</p>", esc(&r.status), esc(&r.description));
            media(&r.content, spec, schema_href, opts, html);
            html.push_str("</div>");
        }
    }
    if !op.security.is_empty() {
        let _ = write!(html, "<h{sub}>Sikkerhet</h{sub}><ul>");
        for (name, scopes) in &op.security {
            let what = match spec.security_schemes.get(name) {
                Some(SecurityScheme::ApiKey {
                    name: header,
                    location,
                }) => format!(
                    "API-nøkkel i {} <code>{}</code>",
                    esc(location),
                    esc(header)
                ),
                Some(SecurityScheme::Http { scheme }) => format!("HTTP {}", esc(scheme)),
                Some(SecurityScheme::OAuth2 { .. }) => "OAuth2".to_string(),
                Some(SecurityScheme::OpenIdConnect { url }) => {
                    format!("OpenID Connect (<code>{}</code>)", esc(url))
                }
                None => esc(name),
            };
            let scopes = if scopes.is_empty() {
                String::new()
            } else {
                format!(": scopes {}", code_list(scopes))
            };
            let _ = write!(html, "<li>{what}{scopes}</li>");
        }
        html.push_str("</ul>");
    }
    let request = snippet::request(api, spec, op, opts.gateway);
    let curl = instans_spans(&opts.highlighter.to_html("bash", &snippet::curl(&request)));
    let ps = instans_spans(
        &opts
            .highlighter
            .to_html("powershell", &snippet::powershell(&request)),
    );
    let _ = write!(
        html,
        "<h{sub}>Eksempel</h{sub}><div class=\"api-example tabs\" data-tabs><div class=\"tab-panel\" data-tab-label=\"curl\"><p class=\"tab-label\">curl</p>{curl}</div><div class=\"tab-panel\" data-tab-label=\"PowerShell\"><p class=\"tab-label\">PowerShell</p>{ps}</div></div></section>"
    );
}

/// Mark the `{instans}` placeholder so the instance selector can rewrite it.
pub(super) fn instans_spans(html: &str) -> String {
    html.replace("{instans}", "<span data-instans>{instans}</span>")
}

pub(super) fn media(
    content: &[MediaType],
    spec: &Spec,
    schema_href: &dyn Fn(&str) -> String,
    opts: &Options<'_>,
    html: &mut String,
) {
    for m in content {
        let _ = write!(
            html,
            "<p class=\"media-type\"><code>{}</code></p>",
            esc(&m.media_type)
        );
        if let Some(schema) = &m.schema {
            html.push_str(&schema_view::view(schema, &spec.schemas, schema_href));
        }
        if let Some(crate::catalog::Example {
            name,
            value: example,
            ..
        }) = m.examples.first()
        {
            let text = match example {
                serde_json::Value::String(s) if !m.media_type.contains("json") => s.clone(),
                other => serde_json::to_string_pretty(other).unwrap_or_default(),
            };
            let label = if name == "default" {
                "Eksempel".to_string()
            } else {
                format!("Eksempel «{}»", esc(name))
            };
            let _ = write!(
                html,
                "<p class=\"example-label\">{label}</p>{}",
                opts.highlighter.to_html(
                    if m.media_type.contains("json") {
                        "json"
                    } else {
                        ""
                    },
                    &text
                )
            );
        }
    }
}
