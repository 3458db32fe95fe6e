//! The theme's UI strings per language: the built-in tables (`themes/default/i18n/<lang>.toml`) with
//! the site's own `i18n/` folders laid over them, and lookup with fallback to English.
//!
//! A table is a TOML file named after its language (`nb.toml`, `en.toml`). Keys are dotted paths, and
//! TOML tables nest them: `[pager]` + `prev = "Forrige"` is the key `pager.prev`, the same as
//! `"pager.prev" = "Forrige"` at the top. A value may hold `{name}` placeholders, filled from the
//! arguments of the template function `t` (see `theme::Templates`). Hugo's `{ other = "…" }` form
//! is read as the plain string. This module only reads and looks up; it renders nothing.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// The language whose strings fill in for a missing key or an unknown language.
pub const FALLBACK: &str = "en";

/// Built-in tables: (language, TOML source).
pub const BUILT_IN: [(&str, &str); 3] = [
    ("nb", include_str!("../themes/default/i18n/nb.toml")),
    ("nn", include_str!("../themes/default/i18n/nn.toml")),
    ("en", include_str!("../themes/default/i18n/en.toml")),
];

/// UI strings: language → key → text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Strings {
    tables: BTreeMap<String, BTreeMap<String, String>>,
}

impl Strings {
    /// The built-in tables, then the `*.toml` files of each folder in `dirs` that exists (later
    /// folders win key by key).
    pub fn load(dirs: &[&Path]) -> Result<Strings> {
        let mut strings = Strings::built_in();
        for dir in dirs {
            if !dir.is_dir() {
                continue;
            }
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| Error::io("cannot read", dir, e))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
                .collect();
            files.sort();
            for path in files {
                let Some(lang) = path.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Error::io("cannot read", &path, e))?;
                strings
                    .add(&normalise(lang), &text)
                    .map_err(|message| Error::Config {
                        path: path.clone(),
                        message,
                    })?;
            }
        }
        Ok(strings)
    }

    /// Only the built-in tables.
    pub fn built_in() -> Strings {
        let mut strings = Strings::default();
        for (lang, text) in BUILT_IN {
            strings
                .add(lang, text)
                .expect("the built-in translation tables are valid TOML");
        }
        strings
    }

    /// Lay the table `text` (TOML) over the strings of `lang`.
    pub fn add(&mut self, lang: &str, text: &str) -> std::result::Result<(), String> {
        let value: toml::Table =
            toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        let table = self.tables.entry(lang.to_string()).or_default();
        flatten("", &value, table);
        Ok(())
    }

    /// The languages that have a table, sorted.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// The table language used for pages in `lang` (`en-US` → `en`, `no` → `nb`); `None` when no
    /// table fits (the page then gets [`FALLBACK`] strings).
    pub fn resolve(&self, lang: &str) -> Option<&str> {
        let code = normalise(lang);
        let primary = code.split('-').next().unwrap_or_default();
        let alias = if primary == "no" { "nb" } else { primary };
        let found = [code.as_str(), primary, alias]
            .into_iter()
            .find_map(|c| self.tables.get_key_value(c).map(|(k, _)| k.as_str()));
        found
    }

    /// The text of `key` in the table named `table` (a name from [`Strings::languages`]), else the
    /// English one; the fast path for a language resolved once.
    pub fn get_in(&self, table: &str, key: &str) -> Option<&str> {
        self.tables
            .get(table)
            .and_then(|t| t.get(key))
            .or_else(|| self.tables.get(FALLBACK).and_then(|t| t.get(key)))
            .map(String::as_str)
    }

    /// The text of `key` for `lang`, else the English one; `None` when neither has it.
    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.resolve(lang)
            .and_then(|l| self.tables.get(l))
            .and_then(|t| t.get(key))
            .or_else(|| self.tables.get(FALLBACK).and_then(|t| t.get(key)))
            .map(String::as_str)
    }
}

/// The strings of one page's language, for the little text Rust code writes into a page's body
/// (heading anchor labels, default admonition titles). Without a table it reads the built-in ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ui<'a> {
    /// The site's strings (`None`: the built-in tables).
    pub strings: Option<&'a Strings>,
    /// The page's language (empty: bokmål, the default of `intark.toml`).
    pub lang: &'a str,
}

impl<'a> Ui<'a> {
    /// The language to render the page's UI in: its own, else bokmål (the default of `intark.toml`).
    pub fn table_lang(&self) -> &'a str {
        if self.lang.is_empty() {
            "nb"
        } else {
            self.lang
        }
    }

    /// The text of `key` (the key itself when no table has it, which a test rules out for ours).
    pub fn text(&self, key: &'a str) -> &'a str {
        static BUILT_IN: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
        let strings = self
            .strings
            .unwrap_or_else(|| BUILT_IN.get_or_init(Strings::built_in));
        strings.get(self.table_lang(), key).unwrap_or(key)
    }
}

/// Fill `{name}` placeholders of `text` from `args`; unknown placeholders stay as written.
pub fn fill<'a>(text: &str, args: impl Fn(&str) -> Option<std::borrow::Cow<'a, str>>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                match args(&after[..close]) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A language code in lower case with `-` between its parts (`nb_NO` → `nb-no`).
fn normalise(lang: &str) -> String {
    lang.trim().to_ascii_lowercase().replace('_', "-")
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(s) => {
                out.insert(path, s.clone());
            }
            // Hugo's plural form: `[key] other = "…"` is the key's text.
            toml::Value::Table(t) if t.get("other").is_some_and(toml::Value::is_str) => {
                if let Some(s) = t.get("other").and_then(toml::Value::as_str) {
                    out.insert(path, s.to_string());
                }
            }
            toml::Value::Table(t) => flatten(&path, t, out),
            // Numbers, dates and arrays (go-i18n v1 lists) are not UI strings of ours.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_tables_have_the_same_keys() {
        let strings = Strings::built_in();
        let en: Vec<_> = strings.tables["en"].keys().collect();
        for lang in ["nb", "nn"] {
            let keys: Vec<_> = strings.tables[lang].keys().collect();
            assert_eq!(keys, en, "{lang}.toml and en.toml differ in keys");
        }
    }

    #[test]
    fn tables_and_dotted_keys_name_the_same_string() {
        let mut strings = Strings::default();
        strings
            .add(
                "en",
                "[pager]\nprev = \"Previous\"\n\"search.label\" = \"x\"",
            )
            .unwrap();
        strings.add("en", "search.label = \"Search\"").unwrap();
        assert_eq!(strings.get("en", "pager.prev"), Some("Previous"));
        assert_eq!(strings.get("en", "search.label"), Some("Search"));
    }

    #[test]
    fn a_missing_key_or_language_falls_back_to_english() {
        let mut strings = Strings::default();
        strings.add("en", "a = \"A\"\nb = \"B\"").unwrap();
        strings.add("nb", "a = \"Å\"").unwrap();
        assert_eq!(strings.get("nb", "a"), Some("Å"));
        assert_eq!(strings.get("nb-NO", "a"), Some("Å"));
        assert_eq!(strings.get("no", "a"), Some("Å"));
        assert_eq!(strings.get("nb", "b"), Some("B"));
        assert_eq!(strings.get("fr", "a"), Some("A"));
        assert_eq!(strings.resolve("fr"), None);
        assert_eq!(strings.get("nb", "c"), None);
    }

    #[test]
    fn site_folders_override_the_built_in_strings() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("nb.toml"), "[pager]\nnext = \"Videre\"\n").unwrap();
        std::fs::write(dir.path().join("de.toml"), "[pager]\nnext = \"Weiter\"\n").unwrap();
        let strings = Strings::load(&[dir.path()]).unwrap();
        assert_eq!(strings.get("nb", "pager.next"), Some("Videre"));
        assert_eq!(strings.get("nb", "pager.prev"), Some("Forrige"));
        assert_eq!(strings.get("de", "pager.next"), Some("Weiter"));
        assert_eq!(strings.get("de-AT", "pager.prev"), Some("Previous"));
    }

    #[test]
    fn a_broken_table_is_an_error_naming_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("en.toml"), "a = \n").unwrap();
        let err = Strings::load(&[dir.path()]).unwrap_err();
        assert!(err.to_string().contains("en.toml"), "{err}");
    }

    #[test]
    fn hugo_plural_tables_read_as_their_other_form() {
        let mut strings = Strings::default();
        strings
            .add(
                "en",
                "[readMore]\nother = \"Read more\"\n[[old]]\nid = \"x\"",
            )
            .unwrap();
        assert_eq!(strings.get("en", "readMore"), Some("Read more"));
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        let args = |n: &str| (n == "n").then(|| "3".into());
        assert_eq!(fill("{n} hits", args), "3 hits");
        assert_eq!(fill("{x} and {n}", args), "{x} and 3");
        assert_eq!(fill("a { b } {", args), "a { b } {");
    }
}
