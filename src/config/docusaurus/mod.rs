//! A Docusaurus site root without an `intark.toml`: its `docusaurus.config.{js,mjs,cjs}` evaluated
//! as Docusaurus loads it ([`js`]), then mapped onto our settings and onto [`DocusaurusSite`], the
//! parts we have no setting for (navbar, footer, docs plugin instances, sidebars file, the
//! plugins and presets we do not run). Option names and defaults follow Docusaurus 3's own
//! validation (`packages/docusaurus/src/server/configValidation.ts`,
//! `packages/docusaurus-plugin-content-docs/src/options.ts`, `packages/docusaurus-preset-classic`).

mod brand;
pub mod js;

use super::{ConfigFile, Level};
use crate::error::{Error, Result};
use serde_json::Value;
use std::path::Path;

/// The config file names Docusaurus looks for, in its order (`server/config.ts`). TypeScript
/// configs are named so that the error can say they are not read.
const CONFIG_FILES: [&str; 4] = [
    "docusaurus.config.js",
    "docusaurus.config.cjs",
    "docusaurus.config.mjs",
    "docusaurus.config.ts",
];

/// What a Docusaurus config says that our settings have no place for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocusaurusSite {
    /// The config file read (`docusaurus.config.js`).
    pub file: String,
    /// `tagline`.
    pub tagline: String,
    /// `favicon`, relative to the static folder.
    pub favicon: Option<String>,
    /// `trailingSlash`: `Some(true)`, `Some(false)` or unset.
    pub trailing_slash: Option<bool>,
    /// `i18n.defaultLocale`.
    pub default_locale: String,
    /// The docs plugin instances, the default (`id: 'default'`) first.
    pub docs: Vec<DocsInstance>,
    /// `themeConfig.navbar`.
    pub navbar: Navbar,
    /// `themeConfig.footer`.
    pub footer: Footer,
    /// Plugins and presets that are not run, each named once (`docusaurus-lunr-search`).
    pub unsupported: Vec<String>,
}

/// One instance of `@docusaurus/plugin-content-docs` (the classic preset's `docs`, or a plugin).
#[derive(Debug, Clone, PartialEq)]
pub struct DocsInstance {
    /// `id` (`default`).
    pub id: String,
    /// `path`, the content folder relative to the site (`docs`).
    pub path: String,
    /// `routeBasePath` (`docs`; `/` or empty for docs at the root).
    pub route_base_path: String,
    /// `sidebarPath`, relative to the site; `None` when `false` (no sidebars) or unset.
    pub sidebar_path: Option<String>,
    /// `editUrl` when it is a string.
    pub edit_url: Option<String>,
    /// `showLastUpdateTime`.
    pub show_last_update_time: bool,
}

/// The navbar: title, logo and items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Navbar {
    /// `title`.
    pub title: Option<String>,
    /// `logo.src`, relative to the static folder.
    pub logo: Option<String>,
    /// `logo.alt`.
    pub logo_alt: Option<String>,
    /// The items, in order.
    pub items: Vec<NavItem>,
}

/// A navbar or dropdown item.
#[derive(Debug, Clone, PartialEq)]
pub struct NavItem {
    /// `label`.
    pub label: String,
    /// `left` or `right`.
    pub position: String,
    /// What it points at.
    pub target: NavTarget,
}

/// What a navbar item points at.
#[derive(Debug, Clone, PartialEq)]
pub enum NavTarget {
    /// `to` or `href`: a route or an address.
    Link(String),
    /// `type: 'docSidebar'`: the first page of a sidebar.
    Sidebar(String),
    /// `type: 'doc'`: a page by its doc id.
    Doc(String),
    /// `type: 'dropdown'`.
    Dropdown(Vec<NavItem>),
    /// Any other type (`search`, `localeDropdown`, `html`): named, not shown.
    Other(String),
}

/// The footer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Footer {
    /// Columns of links (or one column without a title, for a flat list).
    pub columns: Vec<FooterColumn>,
    /// `copyright`, HTML as Docusaurus shows it.
    pub copyright: Option<String>,
}

/// A titled column of footer links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FooterColumn {
    /// `title`.
    pub title: Option<String>,
    /// The links.
    pub items: Vec<FooterLink>,
}

/// A footer link, or raw HTML (`html:`).
#[derive(Debug, Clone, PartialEq)]
pub enum FooterLink {
    /// `label` with `to` or `href`.
    Link {
        /// `label`.
        label: String,
        /// `to` or `href`.
        href: String,
    },
    /// `html`.
    Html(String),
}

/// Read a Docusaurus site root: `None` when it has no Docusaurus config.
pub(super) fn read(root: &Path) -> Result<Option<(ConfigFile, DocusaurusSite)>> {
    let Some(name) = CONFIG_FILES.iter().find(|f| root.join(f).is_file()) else {
        return Ok(None);
    };
    let err = |message: String| Error::Config {
        path: root.join(name),
        message,
    };
    if name.ends_with(".ts") {
        return Err(err(
            "TypeScript configs are not read; write it as docusaurus.config.js or add an intark.toml"
                .into(),
        ));
    }
    let value = js::evaluate(root, name).map_err(err)?;
    let site = site(name, &value);
    Ok(Some((config_file(&value, &site), site)))
}

fn string(value: &Value, key: &str) -> Option<String> {
    value.get(key)?.as_str().map(str::to_string)
}

/// Our settings from the config: title, tagline, URL, route base (`baseUrl` + the default docs
/// instance's `routeBasePath`), content folder, edit URL, language and the link-check severities.
fn config_file(value: &Value, site: &DocusaurusSite) -> ConfigFile {
    let mut file = ConfigFile {
        static_dir: "static".into(),
        output_dir: "build".into(),
        heading_ids: crate::slug::Style::Docusaurus,
        ..ConfigFile::default()
    };
    if let Some(title) = string(value, "title") {
        file.title = title;
    }
    if !site.tagline.is_empty() {
        file.description = site.tagline.clone();
    }
    file.base_url = string(value, "url").unwrap_or_default();
    let base = string(value, "baseUrl").unwrap_or_else(|| "/".into());
    if let Some(docs) = site.docs.first() {
        file.route_base = format!(
            "/{}",
            [
                base.trim_matches('/'),
                docs.route_base_path.trim_matches('/')
            ]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/")
        );
        file.content_dir = docs.path.clone().into();
        file.edit_url = docs.edit_url.as_ref().map(|u| {
            format!(
                "{}/{}/",
                u.trim_end_matches('/'),
                docs.path.trim_matches('/')
            )
        });
    }
    let docs_base = if file.route_base.is_empty() {
        base.trim_end_matches('/').to_string()
    } else {
        file.route_base.clone()
    };
    file.brand = brand::brand(site, &base, &docs_base);
    file.language = super::foreign::language(&site.default_locale);
    for (key, rule) in [
        ("onBrokenLinks", "broken-link"),
        ("onBrokenAnchors", "broken-anchor"),
    ] {
        let level = match value.get(key).and_then(Value::as_str) {
            Some("throw") => Level::Error,
            Some("warn" | "log") => Level::Warning,
            Some("ignore") => Level::Off,
            // Docusaurus 3's defaults: broken links throw, broken anchors warn.
            _ if rule == "broken-link" => Level::Error,
            _ => Level::Warning,
        };
        file.check.severity.insert(rule.to_string(), level);
    }
    file
}

/// The Docusaurus-only parts.
fn site(name: &str, value: &Value) -> DocusaurusSite {
    let theme = value.get("themeConfig").cloned().unwrap_or(Value::Null);
    let mut site = DocusaurusSite {
        file: name.to_string(),
        tagline: string(value, "tagline").unwrap_or_default(),
        favicon: string(value, "favicon"),
        trailing_slash: value.get("trailingSlash").and_then(Value::as_bool),
        default_locale: value
            .pointer("/i18n/defaultLocale")
            .and_then(Value::as_str)
            .unwrap_or("en")
            .to_string(),
        navbar: navbar(theme.get("navbar")),
        footer: footer(theme.get("footer")),
        ..DocusaurusSite::default()
    };
    for preset in list(value.get("presets")) {
        let (name, options) = entry(preset);
        if matches!(
            name.as_str(),
            "classic" | "@docusaurus/preset-classic" | "preset-classic"
        ) || name.ends_with("/preset-classic")
        {
            match options.get("docs") {
                Some(Value::Bool(false)) => {}
                docs => site.docs.push(docs_instance(docs.unwrap_or(&Value::Null))),
            }
            for part in ["blog", "pages"] {
                if options.get(part).is_some_and(|v| v != &Value::Bool(false)) {
                    site.unsupported.push(format!("{name} ({part})"));
                }
            }
        } else {
            site.unsupported.push(name);
        }
    }
    for plugin in list(value.get("plugins")) {
        let (name, options) = entry(plugin);
        if name.ends_with("plugin-content-docs") || name == "content-docs" {
            site.docs.push(docs_instance(&options));
        } else if !name.is_empty() {
            site.unsupported.push(name);
        }
    }
    site.docs.sort_by_key(|d| d.id != "default");
    site
}

fn list(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.and_then(Value::as_array).into_iter().flatten()
}

/// A preset or plugin entry: `'name'` or `['name', options]` (a function entry has no name).
fn entry(value: &Value) -> (String, Value) {
    match value {
        Value::String(name) => (name.clone(), Value::Null),
        Value::Array(pair) => (
            pair.first()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            pair.get(1).cloned().unwrap_or(Value::Null),
        ),
        _ => (String::new(), Value::Null),
    }
}

/// A docs plugin's options with Docusaurus's defaults.
fn docs_instance(options: &Value) -> DocsInstance {
    DocsInstance {
        id: string(options, "id").unwrap_or_else(|| "default".into()),
        path: string(options, "path").unwrap_or_else(|| "docs".into()),
        route_base_path: string(options, "routeBasePath").unwrap_or_else(|| "docs".into()),
        sidebar_path: string(options, "sidebarPath")
            .map(|p| p.trim_start_matches("./").to_string()),
        edit_url: string(options, "editUrl"),
        show_last_update_time: options
            .get("showLastUpdateTime")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

fn navbar(value: Option<&Value>) -> Navbar {
    let Some(value) = value else {
        return Navbar::default();
    };
    Navbar {
        title: string(value, "title"),
        logo: value
            .pointer("/logo/src")
            .and_then(Value::as_str)
            .map(str::to_string),
        logo_alt: value
            .pointer("/logo/alt")
            .and_then(Value::as_str)
            .map(str::to_string),
        items: list(value.get("items")).map(nav_item).collect(),
    }
}

fn nav_item(value: &Value) -> NavItem {
    let kind = string(value, "type").unwrap_or_else(|| {
        if value.get("items").is_some() {
            "dropdown".into()
        } else {
            "default".into()
        }
    });
    let target = match kind.as_str() {
        "docSidebar" => NavTarget::Sidebar(string(value, "sidebarId").unwrap_or_default()),
        "doc" => NavTarget::Doc(string(value, "docId").unwrap_or_default()),
        "dropdown" => NavTarget::Dropdown(list(value.get("items")).map(nav_item).collect()),
        "default" => NavTarget::Link(
            string(value, "to")
                .or_else(|| string(value, "href"))
                .unwrap_or_default(),
        ),
        other => NavTarget::Other(other.to_string()),
    };
    NavItem {
        label: string(value, "label").unwrap_or_default(),
        position: string(value, "position").unwrap_or_else(|| "left".into()),
        target,
    }
}

fn footer(value: Option<&Value>) -> Footer {
    let Some(value) = value else {
        return Footer::default();
    };
    let link = |item: &Value| match string(item, "html") {
        Some(html) => FooterLink::Html(html),
        None => FooterLink::Link {
            label: string(item, "label").unwrap_or_default(),
            href: string(item, "to")
                .or_else(|| string(item, "href"))
                .unwrap_or_default(),
        },
    };
    let links: Vec<&Value> = list(value.get("links")).collect();
    // A flat list (items without `items`) is one untitled column, as Docusaurus's "simple" footer.
    let columns = if links.iter().all(|l| l.get("items").is_some()) {
        links
            .iter()
            .map(|c| FooterColumn {
                title: string(c, "title"),
                items: list(c.get("items")).map(link).collect(),
            })
            .collect()
    } else {
        vec![FooterColumn {
            title: None,
            items: links.into_iter().map(link).collect(),
        }]
    };
    Footer {
        columns,
        copyright: string(value, "copyright"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classic_preset_and_plugin_instances_map_with_docusaurus_defaults() {
        let value = json!({
            "title": "Sikt", "tagline": "Om", "url": "https://x.no", "baseUrl": "/site/",
            "onBrokenAnchors": "throw", "trailingSlash": false,
            "i18n": {"defaultLocale": "nb"},
            "presets": [["classic", {"docs": {"sidebarPath": "./sidebars.js",
                "editUrl": "https://g.no/tree/main/"}, "blog": false}]],
            "plugins": ["docusaurus-lunr-search",
                ["@docusaurus/plugin-content-docs", {"id": "api", "path": "api", "routeBasePath": "api"}]],
            "themeConfig": {
                "navbar": {"title": "T", "items": [
                    {"type": "docSidebar", "sidebarId": "s", "label": "Docs"},
                    {"label": "Mer", "items": [{"label": "A", "href": "https://a.no"}]},
                    {"type": "search", "position": "right"}]},
                "footer": {"links": [{"label": "Kontakt", "to": "https://k.no"}],
                    "copyright": "© Sikt"}}
        });
        let site = site("docusaurus.config.js", &value);
        let file = config_file(&value, &site);
        assert_eq!(file.title, "Sikt");
        assert_eq!(file.description, "Om");
        assert_eq!(file.route_base, "/site/docs");
        assert_eq!(file.content_dir, std::path::PathBuf::from("docs"));
        assert_eq!(
            file.edit_url.as_deref(),
            Some("https://g.no/tree/main/docs/")
        );
        assert_eq!(file.language, "nb");
        assert_eq!(file.check.severity["broken-anchor"], Level::Error);
        assert_eq!(file.check.severity["broken-link"], Level::Error);
        assert_eq!(site.trailing_slash, Some(false));
        assert_eq!(site.docs.len(), 2);
        assert_eq!(site.docs[1].route_base_path, "api");
        assert_eq!(site.docs[0].sidebar_path.as_deref(), Some("sidebars.js"));
        assert_eq!(site.unsupported, vec!["docusaurus-lunr-search"]);
        assert_eq!(site.navbar.items[0].target, NavTarget::Sidebar("s".into()));
        assert!(matches!(&site.navbar.items[1].target, NavTarget::Dropdown(d) if d.len() == 1));
        assert_eq!(site.navbar.items[2].position, "right");
        assert_eq!(site.footer.columns.len(), 1);
        assert_eq!(site.footer.copyright.as_deref(), Some("© Sikt"));
    }

    #[test]
    fn root_route_base_and_default_anchor_severity() {
        let value = json!({"presets": [["classic", {"docs": {"routeBasePath": "/"}}]]});
        let site = site("docusaurus.config.js", &value);
        let file = config_file(&value, &site);
        assert_eq!(file.route_base, "/");
        assert_eq!(file.check.severity["broken-anchor"], Level::Warning);
    }
}
