//! Site configuration: `intark.toml`, command-line overrides, and the resolved settings.
//!
//! Defaults live in one place ([`ConfigFile::default`]); the file may leave out any key but may not
//! contain unknown ones; flags are [`Overrides`] merged field by field; [`Config`] is the validated,
//! resolved result (absolute paths, normalised route base) that the rest of the library uses. This module
//! reads one file and nothing else.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub mod docusaurus;
mod foreign;
mod jekyll;

pub use docusaurus::DocusaurusSite;
pub use foreign::{Flavour, HugoLanguage, HugoSite};
pub use jekyll::{JekyllCollection, JekyllDefault, JekyllSite};

/// The configuration file's name at the site root.
pub const CONFIG_FILE: &str = "intark.toml";

/// `intark.toml` as written. Every key is optional.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigFile {
    /// The site's title, shown in the header and in `<title>`.
    pub title: String,
    /// The site's description, used where a page has none.
    pub description: String,
    /// The public address of the site (`https://example.org`), for canonical URLs and the sitemap.
    pub base_url: String,
    /// The language of the pages (`nb`, `nn`, `en`).
    pub language: String,
    /// The URL path that pages live under.
    pub route_base: String,
    /// Markdown pages, relative to the site root.
    pub content_dir: PathBuf,
    /// Files copied as they are, relative to the site root.
    pub static_dir: PathBuf,
    /// Where the site is written, relative to the site root.
    pub output_dir: PathBuf,
    /// OpenAPI specs and Gravitee exports, relative to the site root.
    pub openapi_dir: PathBuf,
    /// A theme folder whose `templates/` and `static/` override the built-in theme's files.
    pub theme_dir: PathBuf,
    /// A link prefix for "Rediger denne siden"; the page's path in the content folder is appended.
    pub edit_url: Option<String>,
    /// How heading ids are made: `github` (default, as Docusaurus and Hugo), `github-ascii` or
    /// `blackfriday` (Hugo's other styles), so anchors written for a site keep working.
    pub heading_ids: crate::slug::Style,
    /// Settings of `check` (and of the checks `build` runs).
    pub check: CheckConfig,
    /// The API catalog pages.
    pub catalog: CatalogConfig,
    /// How consumers reach the IntArk gateway.
    pub gateway: GatewayConfig,
    /// The local sandbox gateway.
    pub sandbox: SandboxConfig,
    /// Running the curl and PowerShell examples.
    pub examples: ExamplesConfig,
    /// The offline search index.
    pub search: SearchConfig,
    /// Publishing the static folder.
    #[serde(rename = "static")]
    pub static_files: StaticConfig,
    /// The `[server]` table: limits of the HTTP servers (`serve`, `sandbox`).
    pub server: ServerConfig,
    /// Resource limits on input files (see `crate::limits`), for legitimately huge sites.
    pub limits: crate::limits::Limits,
    /// APIs of bare specs (no Gravitee export) and the gateway context path each is published at.
    pub apis: Vec<ApiEntry>,
    /// The site's own look in the header and footer (a foreign site's from its own config).
    pub brand: BrandConfig,
    /// The writer's editor: a URL template with `{path}` (absolute source file) and `{line}`
    /// (`vscode://file/{path}:{line}`), linked from the dev server's findings.
    pub editor: Option<String>,
}

/// The `[brand]` table: what makes the site look like itself. Docusaurus (`themeConfig.navbar`,
/// `footer`, `favicon`), Hugo (`params`, `menus.main`) and Jekyll (`logo`, `aux_links`,
/// `footer_content`) sites fill it from their own config; everything is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BrandConfig {
    /// A line under the title (Docusaurus `tagline`); the description is used where it is empty.
    pub tagline: String,
    /// The header logo: a URL or a path under the site (`/img/logo.svg`).
    pub logo: Option<String>,
    /// The logo's alternative text (default: the title).
    pub logo_alt: Option<String>,
    /// The favicon: a URL or a path under the site (default: the theme's neutral icon).
    pub favicon: Option<String>,
    /// Links in the header, in order.
    pub navbar: Vec<BrandLink>,
    /// The footer.
    pub footer: FooterConfig,
}

/// The `[brand.footer]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FooterConfig {
    /// Plain text (a copyright line); empty: the title and tagline.
    pub text: String,
    /// Links without a column.
    pub links: Vec<BrandLink>,
    /// Titled columns of links (Docusaurus' footer `links`).
    pub columns: Vec<FooterColumn>,
}

/// One `[[brand.footer.columns]]` entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FooterColumn {
    /// The column's title.
    pub title: String,
    /// Its links.
    pub links: Vec<BrandLink>,
}

/// A link in the header or footer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BrandLink {
    /// The visible text.
    pub label: String,
    /// Where it goes: a URL or a path under the site.
    pub url: String,
    /// A Docusaurus navbar item that links a doc: `url` is its page's, set once the pages are
    /// known (`pipeline::brand`).
    #[serde(skip)]
    pub docs: Option<DocsLink>,
}

/// A Docusaurus navbar item whose address comes from the docs (theme-classic `NavbarItem`).
#[derive(Debug, Clone, PartialEq)]
pub enum DocsLink {
    /// `type: 'doc'`: the page with this doc id (`DocNavbarItem`, `useLayoutDoc`).
    Doc(String),
    /// `type: 'docSidebar'`: the first link of this sidebar (`DocSidebarNavbarItem`,
    /// `useLayoutDocsSidebar`: the sidebar's `link`, from `getFirstLink` in
    /// plugin-content-docs `sidebars/utils.ts`).
    Sidebar(String),
}

/// The `[static]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StaticConfig {
    /// Dotfiles and dot-folders of the static folder that are published, as paths relative to it
    /// (`.well-known`, `.htaccess`). Every other path with a part starting with `.` is left out.
    pub include_hidden: Vec<String>,
}

/// The `[server]` table: limits shared by `serve` and `sandbox` (the `server` module applies them).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Connections held open at once (also capped by the open-file limit); when full, idle
    /// connections are closed first.
    pub max_connections: usize,
    /// Threads that run request handlers (0: four per core).
    pub workers: usize,
    /// Largest request line plus headers, in bytes (larger: `431`).
    pub max_header_bytes: usize,
    /// Largest request body, in bytes (larger: `413`).
    pub max_body_bytes: usize,
    /// Seconds a client has to send a request's headers (slower: `408`).
    pub header_timeout_secs: u64,
    /// Seconds a client has to send a request's body (slower: `408`).
    pub body_timeout_secs: u64,
    /// Seconds a kept-alive connection may wait for its next request before it is closed.
    pub idle_timeout_secs: u64,
    /// Seconds a response may wait for the client to read any of it before the connection is closed.
    pub send_timeout_secs: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_connections: 512,
            workers: 0,
            max_header_bytes: 64 * 1024,
            max_body_bytes: 10 * 1024 * 1024,
            header_timeout_secs: 10,
            body_timeout_secs: 30,
            idle_timeout_secs: 60,
            send_timeout_secs: 30,
        }
    }
}

/// One `[[apis]]` table: a spec file and the context path the gateway publishes it at.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiEntry {
    /// The spec file, relative to the site root (or to the OpenAPI folder).
    pub spec: PathBuf,
    /// The context path (`/einnsyn`).
    pub context_path: String,
}

/// The `[search]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Build the search index with the site (and serve it from `serve`).
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// The `[sandbox]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SandboxConfig {
    /// Port of `intark-docs sandbox` (0 picks a free one).
    pub port: u16,
    /// API keys the sandbox accepts.
    pub keys: Vec<SandboxKey>,
}

/// One `[[sandbox.keys]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxKey {
    /// The key.
    pub key: String,
    /// API ids it subscribes to (empty: every API).
    #[serde(default)]
    pub apis: Vec<String>,
    /// Requests per minute (0: no limit).
    #[serde(default)]
    pub rate_limit: u32,
}

/// The key the sandbox accepts when the configuration names none.
pub const DEFAULT_SANDBOX_KEY: &str = "intark-sandbox-key";

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 8089,
            keys: vec![SandboxKey {
                key: DEFAULT_SANDBOX_KEY.into(),
                apis: Vec::new(),
                rate_limit: 0,
            }],
        }
    }
}

/// The `[examples]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExamplesConfig {
    /// Text writers put where the API key goes; replaced by the key.
    pub key_placeholders: Vec<String>,
    /// Variables examples read the key from (`$API_NOKKEL`, `$env:INTARK_API_KEY`).
    pub key_variables: Vec<String>,
    /// Words writers leave where a path part goes (`CONTEXT-PATH`); such examples are reported, not run.
    pub path_placeholders: Vec<String>,
    /// Requests at once.
    pub concurrency: usize,
    /// Seconds before a request is given up.
    pub timeout_secs: u64,
}

impl Default for ExamplesConfig {
    fn default() -> Self {
        ExamplesConfig {
            key_placeholders: [
                "API-nøkkel",
                "API-NØKKEL",
                "DIN-NØKKEL",
                "DIN-API-NØKKEL",
                "<api-nøkkel>",
                "<API-nøkkel>",
                "<api-key>",
                "API_KEY_HER",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            key_variables: ["INTARK_API_KEY", "API_NOKKEL", "API_KEY", "APIKEY"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            path_placeholders: ["CONTEXT-PATH", "KONTEKSTSTI", "CONTEXT_PATH"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            concurrency: 8,
            timeout_secs: 10,
        }
    }
}

/// The `[catalog]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogConfig {
    /// The catalog's folder under the route base.
    pub route: String,
    /// The catalog page's title.
    pub title: String,
    /// Its place in the sidebar.
    pub position: f64,
    /// APIs with more operations than this get a page per tag.
    pub split_above: usize,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        CatalogConfig {
            route: "api-katalog".into(),
            title: "API-katalog".into(),
            position: 50.0,
            split_above: 40,
        }
    }
}

/// The `[gateway]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GatewayConfig {
    /// Gateway URL with `{instans}`.
    pub url: String,
    /// The API key header.
    pub key_header: String,
    /// The environment variable examples read the key from.
    pub key_env: String,
    /// Institutions offered by the instance selector.
    pub instances: Vec<String>,
    /// Host suffix that marks a spec server as an IntArk gateway.
    pub host_suffix: String,
    /// The instance examples use before a reader picks one (a sandbox or test instance), so a
    /// first copy runs when pasted; empty: the first of `instances`.
    pub default_instance: String,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            url: "https://gw-{instans}.intark.uh-it.no".into(),
            key_header: "X-Gravitee-Api-Key".into(),
            key_env: "INTARK_API_KEY".into(),
            instances: [
                "hiof", "hvl", "inn", "nmbu", "nord", "ntnu", "oslomet", "uia", "uib", "uio",
                "uis", "uit", "usn",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            host_suffix: ".intark.uh-it.no".into(),
            default_instance: String::new(),
        }
    }
}

/// The `[check]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Words that mark unfinished text.
    pub todo_words: Vec<String>,
    /// Match TODO words regardless of case.
    pub todo_ignore_case: bool,
    /// Globs (relative to the content folder) of pages to check; empty means all.
    pub include: Vec<String>,
    /// Globs (relative to the content folder) of pages not to check.
    pub exclude: Vec<String>,
    /// Glob patterns of link destinations that are never reported (`https://example.org/*`).
    pub skip_urls: Vec<String>,
    /// Severity per rule: `error`, `warning` or `off`.
    pub severity: std::collections::BTreeMap<String, Level>,
    /// `--external`: seconds before a request is given up.
    pub external_timeout_secs: u64,
    /// `--external`: requests at once, in all.
    pub external_concurrency: usize,
    /// `--external`: requests at once to one host.
    pub external_per_host: usize,
    /// `--external`: hours a result is reused from the cache (`.intark-cache/`).
    pub external_cache_hours: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            todo_words: vec!["TODO".into(), "FIXME".into(), "TBD".into()],
            todo_ignore_case: false,
            include: Vec::new(),
            exclude: Vec::new(),
            skip_urls: Vec::new(),
            severity: Default::default(),
            external_timeout_secs: 10,
            external_concurrency: 16,
            external_per_host: 2,
            external_cache_hours: 24,
        }
    }
}

/// A configured severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails the check.
    Error,
    /// Shown, does not fail.
    Warning,
    /// Not reported.
    Off,
}

impl Default for ConfigFile {
    fn default() -> Self {
        ConfigFile {
            // No site's name or words here: a site says its own (this repository's in its intark.toml).
            title: String::new(),
            description: String::new(),
            base_url: String::new(),
            language: "nb".into(),
            route_base: "/docs".into(),
            content_dir: "content".into(),
            static_dir: "static".into(),
            output_dir: "public".into(),
            openapi_dir: "openapi".into(),
            theme_dir: "themes/default".into(),
            edit_url: None,
            heading_ids: crate::slug::Style::Github,
            check: CheckConfig::default(),
            catalog: CatalogConfig::default(),
            gateway: GatewayConfig::default(),
            sandbox: SandboxConfig::default(),
            examples: ExamplesConfig::default(),
            search: SearchConfig::default(),
            static_files: StaticConfig::default(),
            server: ServerConfig::default(),
            limits: crate::limits::Limits::default(),
            apis: Vec::new(),
            brand: BrandConfig::default(),
            editor: None,
        }
    }
}

/// Values from the command line, which win over the file for one run.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The site root (default: the current folder).
    pub root: Option<PathBuf>,
    /// `--content DIR`.
    pub content_dir: Option<PathBuf>,
    /// `--static DIR`.
    pub static_dir: Option<PathBuf>,
    /// `--out DIR`.
    pub output_dir: Option<PathBuf>,
    /// `--openapi DIR`.
    pub openapi_dir: Option<PathBuf>,
    /// `--route-base PATH`.
    pub route_base: Option<String>,
}

/// The resolved configuration of one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root, absolute.
    pub root: PathBuf,
    /// The settings from the file (or defaults), with overrides applied.
    pub file: ConfigFile,
    /// The route base, normalised: starts with `/`, no trailing slash (empty for the site root).
    pub route_base: String,
    /// Absolute content folder.
    pub content_dir: PathBuf,
    /// Absolute static folder (may not exist).
    pub static_dir: PathBuf,
    /// Absolute output folder.
    pub output_dir: PathBuf,
    /// Absolute OpenAPI folder (may not exist).
    pub openapi_dir: PathBuf,
    /// Absolute theme folder (may not exist: the built-in theme is used).
    pub theme_dir: PathBuf,
    /// The base URL without a trailing slash.
    pub base_url: String,
    /// The kind of site this is (named in the build summary).
    pub flavour: Flavour,
    /// Jekyll's layout rules, when the root is a Jekyll site without an `intark.toml`.
    pub jekyll: Option<JekyllSite>,
    /// Hugo's URL model, when the root is a Hugo site without an `intark.toml`.
    pub hugo: Option<std::sync::Arc<HugoSite>>,
    /// What `docusaurus.config.js` says beyond our settings, when the root is a Docusaurus site
    /// without an `intark.toml`.
    pub docusaurus: Option<std::sync::Arc<DocusaurusSite>>,
}

impl Config {
    /// Read `intark.toml` at the root (if any), apply the overrides, and resolve.
    pub fn load(overrides: &Overrides) -> Result<Config> {
        let root = overrides.root.clone().unwrap_or_else(|| PathBuf::from("."));
        let root = std::path::absolute(&root).map_err(|e| Error::io("cannot resolve", &root, e))?;
        if !root.is_dir() {
            return Err(Error::Setting {
                key: "root",
                message: format!("`{}` is not a folder", root.display()),
            });
        }
        let path = root.join(CONFIG_FILE);
        let mut flavour = None;
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => parse(&path, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => match foreign::site(&root)? {
                Some(site) => {
                    flavour = Some((site.flavour, site.jekyll, site.hugo, site.docusaurus));
                    site.file
                }
                None => ConfigFile::default(),
            },
            Err(e) => {
                return Err(Error::Config {
                    path,
                    message: format!("cannot read it: {e}"),
                })
            }
        };
        let mut config = Config::resolve(root, file, overrides)?;
        if let Some((kind, jekyll, hugo, docusaurus)) = flavour {
            config.flavour = kind;
            config.jekyll = jekyll;
            config.hugo = hugo.map(std::sync::Arc::new);
            config.docusaurus = docusaurus.map(std::sync::Arc::new);
        }
        Ok(config)
    }

    /// Merge overrides into a parsed file and validate the result.
    pub fn resolve(root: PathBuf, mut file: ConfigFile, overrides: &Overrides) -> Result<Config> {
        if let Some(v) = &overrides.content_dir {
            file.content_dir = v.clone();
        }
        if let Some(v) = &overrides.static_dir {
            file.static_dir = v.clone();
        }
        if let Some(v) = &overrides.output_dir {
            file.output_dir = v.clone();
        }
        if let Some(v) = &overrides.openapi_dir {
            file.openapi_dir = v.clone();
        }
        if let Some(v) = &overrides.route_base {
            file.route_base = v.clone();
        }
        let route_base = normalise_route_base(&file.route_base)?;
        let base_url = file.base_url.trim_end_matches('/').to_string();
        let output_dir = root.join(&file.output_dir);
        if output_dir == root || root.starts_with(&output_dir) {
            return Err(Error::OutputRefused {
                path: file.output_dir.clone(),
                reason: "it is the site root or holds it, and a build replaces the whole output \
                         folder; choose another folder with --out (--force does not override this)"
                    .into(),
            });
        }
        Ok(Config {
            content_dir: root.join(&file.content_dir),
            static_dir: root.join(&file.static_dir),
            openapi_dir: root.join(&file.openapi_dir),
            theme_dir: root.join(&file.theme_dir),
            output_dir,
            route_base,
            base_url,
            root,
            file,
            flavour: Flavour::Docusaurus,
            jekyll: None,
            hugo: None,
            docusaurus: None,
        })
    }

    /// A path relative to the site root, for messages and reports.
    pub fn relative<'p>(&self, path: &'p Path) -> &'p Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}

/// Parse the text of a configuration file.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile> {
    toml::from_str(text).map_err(|e| Error::Config {
        path: path.to_path_buf(),
        message: e.to_string().trim().to_string(),
    })
}

fn normalise_route_base(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_matches('/');
    if trimmed.contains(['?', '#', ' ', '\\']) || trimmed.split('/').any(|s| s == "..") {
        return Err(Error::Setting {
            key: "route_base",
            message: format!("`{raw}` is not a URL path; use something like `/docs`"),
        });
    }
    Ok(if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_the_documented_defaults() {
        let parsed = parse(Path::new("intark.toml"), "").unwrap();
        assert_eq!(parsed, ConfigFile::default());
        assert_eq!(parsed.route_base, "/docs");
        assert_eq!(parsed.content_dir, PathBuf::from("content"));
        assert_eq!(parsed.output_dir, PathBuf::from("public"));
    }

    #[test]
    fn hidden_static_files_are_listed_in_the_static_table() {
        let parsed = parse(
            Path::new("intark.toml"),
            "[static]\ninclude_hidden = [\".well-known\"]\n",
        )
        .unwrap();
        assert_eq!(parsed.static_files.include_hidden, [".well-known"]);
        assert!(ConfigFile::default().static_files.include_hidden.is_empty());
        let err = parse(Path::new("intark.toml"), "[static]\nhidden = []\n").unwrap_err();
        assert!(err.to_string().contains("hidden"), "{err}");
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_name() {
        let err = parse(Path::new("intark.toml"), "titel = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("titel"), "{err}");
    }

    #[test]
    fn flags_win_over_the_file() {
        let file = parse(
            Path::new("intark.toml"),
            "route_base = \"/a\"\ncontent_dir = \"c\"",
        )
        .unwrap();
        let overrides = Overrides {
            route_base: Some("b/".into()),
            ..Overrides::default()
        };
        let config = Config::resolve(PathBuf::from("/site"), file, &overrides).unwrap();
        assert_eq!(config.route_base, "/b");
        assert_eq!(config.content_dir, PathBuf::from("/site/c"));
    }

    #[test]
    fn route_base_is_normalised_and_validated() {
        assert_eq!(normalise_route_base("/docs/").unwrap(), "/docs");
        assert_eq!(normalise_route_base("/").unwrap(), "");
        assert!(normalise_route_base("/a/../b").is_err());
    }
}
