//! The catalog's Tera templates (`themes/default/templates/api/*.html`, each replaceable by a file of
//! the same name in the site's theme folder) and its UI strings (the `[api]` table of
//! `themes/default/i18n/LANG.toml`), compiled once per build.

use crate::error::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// Built-in catalog templates: (name, source).
pub const TEMPLATES: [(&str, &str); 5] = [
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
];

/// Built-in translation tables: (language, TOML source).
const STRINGS: [(&str, &str); 3] = [
    ("nb", include_str!("../../themes/default/i18n/nb.toml")),
    ("nn", include_str!("../../themes/default/i18n/nn.toml")),
    ("en", include_str!("../../themes/default/i18n/en.toml")),
];

/// The compiled catalog templates with the strings of one language.
#[derive(Debug)]
pub struct Templates {
    tera: tera::Tera,
    strings: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct WithStrings<'a, T: Serialize> {
    t: &'a BTreeMap<String, String>,
    #[serde(flatten)]
    view: &'a T,
}

impl Templates {
    /// The built-in templates with the site's own (`overrides`: name → source; only `api/…` names
    /// are used), and the strings for `language` (English for a language without a table).
    pub fn new(overrides: &BTreeMap<String, String>, language: &str) -> Result<Templates> {
        let mut sources: BTreeMap<&str, &str> = TEMPLATES.iter().copied().collect();
        for (name, source) in overrides.iter().filter(|(n, _)| n.starts_with("api/")) {
            sources.insert(name, source);
        }
        let mut tera = tera::Tera::default();
        // One escaping function for all markup (Tera's own also escapes `/`, which only adds bytes).
        tera.set_escape_fn(escape);
        tera.add_raw_templates(sources)
            .map_err(|source| Error::Template {
                name: "api/".into(),
                source,
            })?;
        Ok(Templates {
            tera,
            strings: strings(language),
        })
    }

    /// Render template `name` with `view` and the strings as `t`.
    pub fn render(&self, name: &str, view: &impl Serialize) -> Result<String> {
        let context = tera::Context::from_serialize(WithStrings {
            t: &self.strings,
            view,
        })
        .map_err(|source| Error::Template {
            name: name.into(),
            source,
        })?;
        self.tera
            .render(name, &context)
            .map_err(|source| Error::Template {
                name: name.into(),
                source,
            })
    }

    /// One UI string (the key itself when missing, so a gap shows instead of vanishing).
    pub fn string(&self, key: &str) -> String {
        self.strings
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The `[api]` strings of `language` laid over the English ones.
fn strings(language: &str) -> BTreeMap<String, String> {
    let table = |lang: &str| -> BTreeMap<String, String> {
        let Some((_, source)) = STRINGS.iter().find(|(l, _)| *l == lang) else {
            return BTreeMap::new();
        };
        let parsed: toml::Table = source.parse().unwrap_or_default();
        match parsed.get("api") {
            Some(toml::Value::Table(api)) => api
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect(),
            _ => BTreeMap::new(),
        }
    };
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    let mut out = table("en");
    out.extend(table(primary));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_english_key() {
        let en = strings("en");
        assert!(en.len() > 20, "{en:?}");
        for (lang, source) in STRINGS {
            let parsed: toml::Table = source.parse().expect(lang);
            let api = parsed["api"].as_table().expect(lang);
            for key in en.keys() {
                assert!(api.contains_key(key), "{lang} lacks api.{key}");
            }
        }
    }

    #[test]
    fn unknown_language_falls_back_to_english_and_nb_is_norwegian() {
        assert_eq!(strings("xx")["parameters"], "Parameters");
        assert_eq!(strings("nb-NO")["parameters"], "Parametere");
    }

    #[test]
    fn a_site_template_replaces_the_built_in_one() {
        let mut overrides = BTreeMap::new();
        overrides.insert(
            "api/tag.html".to_string(),
            "EGEN {{ t.parameters }}".to_string(),
        );
        overrides.insert("page.html".to_string(), "ignored".to_string());
        let templates = Templates::new(&overrides, "nb").unwrap();
        let html = templates
            .render("api/tag.html", &serde_json::json!({}))
            .unwrap();
        assert_eq!(html, "EGEN Parametere");
    }
}
