//! The built-in theme, compiled into the binary from `themes/default/`, and a site's own overrides.
//!
//! A site may place files of the same name in its theme folder (`templates/*.html`, `static/*`) to
//! replace any built-in one, and UI strings in `i18n/<lang>.toml` (in the theme folder or the site
//! root) to translate or reword the theme. [`Templates`] compiles the templates with the strings.

use crate::error::{Error, Result};
use crate::i18n::Strings;

pub mod cut;
pub mod languages;
mod templates;

pub use cut::Slot;
use std::collections::BTreeMap;
use std::path::Path;
pub use templates::Templates;

/// Built-in templates: (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "redirect.html",
        include_str!("../../themes/default/templates/redirect.html"),
    ),
    (
        "partials/header-brand.html",
        include_str!("../../themes/default/templates/partials/header-brand.html"),
    ),
    (
        "partials/footer.html",
        include_str!("../../themes/default/templates/partials/footer.html"),
    ),
    (
        "partials/scheme-head.html",
        include_str!("../../themes/default/templates/partials/scheme-head.html"),
    ),
    (
        "partials/scheme-switch.html",
        include_str!("../../themes/default/templates/partials/scheme-switch.html"),
    ),
    (
        "partials/sidebar.html",
        include_str!("../../themes/default/templates/partials/sidebar.html"),
    ),
    (
        "partials/sidebar-macros.html",
        include_str!("../../themes/default/templates/partials/sidebar-macros.html"),
    ),
    (
        "partials/sidebar-part.html",
        include_str!("../../themes/default/templates/partials/sidebar-part.html"),
    ),
    // The API catalog (rendered by `apidocs`).
    (
        "api/macros.html",
        include_str!("../../themes/default/templates/api/macros.html"),
    ),
    (
        "api/overview.html",
        include_str!("../../themes/default/templates/api/overview.html"),
    ),
    (
        "api/api.html",
        include_str!("../../themes/default/templates/api/api.html"),
    ),
    (
        "api/tag.html",
        include_str!("../../themes/default/templates/api/tag.html"),
    ),
    (
        "api/schemas.html",
        include_str!("../../themes/default/templates/api/schemas.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ), // The dev server's error page (never in built sites).
    (
        "dev/error.html",
        include_str!("../../themes/default/templates/dev/error.html"),
    ),
    // The components of page bodies (rendered by `markdown`).
    (
        "markdown/admonition.html",
        include_str!("../../themes/default/templates/markdown/admonition.html"),
    ),
    (
        "markdown/details.html",
        include_str!("../../themes/default/templates/markdown/details.html"),
    ),
    (
        "markdown/tabs.html",
        include_str!("../../themes/default/templates/markdown/tabs.html"),
    ),
    (
        "markdown/tab.html",
        include_str!("../../themes/default/templates/markdown/tab.html"),
    ),
    (
        "markdown/heading.html",
        include_str!("../../themes/default/templates/markdown/heading.html"),
    ),
    (
        "markdown/table.html",
        include_str!("../../themes/default/templates/markdown/table.html"),
    ),
    (
        "markdown/code.html",
        include_str!("../../themes/default/templates/markdown/code.html"),
    ),
    (
        "markdown/toc.html",
        include_str!("../../themes/default/templates/markdown/toc.html"),
    ),
    (
        "markdown/footnote-anchor.html",
        include_str!("../../themes/default/templates/markdown/footnote-anchor.html"),
    ),
    (
        "markdown/footnote-ref.html",
        include_str!("../../themes/default/templates/markdown/footnote-ref.html"),
    ),
    (
        "markdown/footnotes.html",
        include_str!("../../themes/default/templates/markdown/footnotes.html"),
    ),
    (
        "markdown/footnote.html",
        include_str!("../../themes/default/templates/markdown/footnote.html"),
    ),
    (
        "markdown/footnote-backref.html",
        include_str!("../../themes/default/templates/markdown/footnote-backref.html"),
    ),
];

/// Built-in static files of the theme: (name, bytes).
pub const ASSETS: [(&str, &[u8]); 8] = [
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "site.js",
        include_bytes!("../../themes/default/static/site.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "api.css",
        include_bytes!("../../themes/default/static/api.css"),
    ),
    (
        "api.js",
        include_bytes!("../../themes/default/static/api.js"),
    ),
    (
        "scheme.js",
        include_bytes!("../../themes/default/static/scheme.js"),
    ),
    (
        "not-found.js",
        include_bytes!("../../themes/default/static/not-found.js"),
    ),
];

/// The theme's files after applying the site's overrides.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name → source.
    pub templates: BTreeMap<String, String>,
    /// Static file name → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// The site's own Hugo-style shortcodes: name → Tera template source (`shortcodes/NAME.html`).
    pub shortcodes: BTreeMap<String, String>,
    /// UI strings: the built-in tables with the site's `i18n/` folders laid over them.
    pub strings: Strings,
}

/// HTML-escape text for an element or a quoted attribute (`&`, `<`, `>`, `"`; `/` stays readable).
/// Tera's autoescape uses it too, so templates and the few strings Rust writes escape alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The folder of UI string tables, in a theme folder and at a site's root.
pub const I18N_DIR: &str = "i18n";

impl Theme {
    /// The theme of a site: [`Theme::load`] of its theme folder, with the strings of the theme
    /// folder's `i18n/` and then the site root's `i18n/` (which wins) laid over the built-in ones.
    pub fn for_site(config: &crate::config::Config) -> Result<Theme> {
        let mut theme = Theme::load(&config.theme_dir)?;
        theme.strings = Strings::load(&[
            &config.theme_dir.join(I18N_DIR),
            &config.root.join(I18N_DIR),
        ])?;
        Ok(theme)
    }

    /// The built-in theme alone, with the built-in strings.
    pub fn built_in() -> Theme {
        Theme {
            templates: TEMPLATES
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
            assets: ASSETS
                .iter()
                .map(|(n, b)| (n.to_string(), b.to_vec()))
                .collect(),
            shortcodes: BTreeMap::new(),
            strings: Strings::built_in(),
        }
    }

    /// The built-in theme with the files of `dir` (if it exists) laid over it.
    pub fn load(dir: &Path) -> Result<Theme> {
        let mut theme = Theme {
            strings: Strings::load(&[&dir.join(I18N_DIR)])?,
            ..Theme::built_in()
        };
        for (sub, kind) in [
            ("templates", Kind::Template),
            ("static", Kind::Asset),
            ("shortcodes", Kind::Shortcode),
        ] {
            let folder = dir.join(sub);
            if !folder.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&folder).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::io("cannot read", &folder, e.into()))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry
                    .path()
                    .strip_prefix(&folder)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(entry.path())
                    .map_err(|e| Error::io("cannot read", entry.path(), e))?;
                if kind == Kind::Asset {
                    theme.assets.insert(name, bytes);
                    continue;
                }
                let text = String::from_utf8(bytes).map_err(|_| Error::Setting {
                    key: "theme_dir",
                    message: format!("template `{}` is not UTF-8", entry.path().display()),
                })?;
                if kind == Kind::Template {
                    theme.templates.insert(name, text);
                } else if let Some(short) = name.strip_suffix(".html") {
                    theme.shortcodes.insert(short.to_string(), text);
                }
            }
        }
        Ok(theme)
    }

    /// The names of the site's shortcodes that take a body (their template uses `inner`).
    pub fn paired_shortcodes(&self) -> Vec<String> {
        self.shortcodes
            .iter()
            .filter(|(_, source)| source.contains("inner"))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// The site's shortcodes compiled (templates named `shortcodes/NAME.html`); `None` without any.
    pub fn shortcode_templates(&self) -> Result<Option<tera::Tera>> {
        if self.shortcodes.is_empty() {
            return Ok(None);
        }
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(
            self.shortcodes
                .iter()
                .map(|(n, s)| (format!("shortcodes/{n}.html"), s.as_str())),
        )
        .map_err(|source| Error::Template {
            name: "shortcodes".into(),
            source,
        })?;
        Ok(Some(tera))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Template,
    Asset,
    Shortcode,
}
