//! Pages in a language the theme has no strings for: they get the English strings with their own
//! `lang` attribute, and the build says so once per language (not once per page).

use crate::config::Config;
use crate::diag::{Diagnostic, Span};
use crate::i18n::Strings;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The rule of the finding.
pub const RULE: &str = "unknown-language";

/// One warning per language of the site (its own, then its pages') that has no string table.
pub fn findings<'a>(
    config: &'a Config,
    strings: &Strings,
    page_languages: impl Iterator<Item = &'a str>,
) -> Vec<Diagnostic> {
    let mut seen = BTreeSet::new();
    std::iter::once(config.file.language.as_str())
        .chain(page_languages)
        .filter(|lang| !lang.trim().is_empty() && strings.resolve(lang).is_none())
        .filter(|lang| seen.insert(lang.to_ascii_lowercase()))
        .map(|lang| {
            let known: Vec<&str> = strings.languages().collect();
            Diagnostic::warning(
                RULE,
                Span::file_start(config_file(config)),
                format!(
                    "the theme has no UI strings for the language `{lang}`: its pages get the English ones (their `lang` stays `{lang}`)"
                ),
            )
            .with_hint(format!(
                "add `i18n/{lang}.toml` at the site's root with the keys of the theme's `en.toml` (the theme has {})",
                known.join(", ")
            ))
        })
        .collect()
}

/// The file that sets the site's language, relative to its root.
fn config_file(config: &Config) -> PathBuf {
    if let Some(docusaurus) = &config.docusaurus {
        return PathBuf::from(&docusaurus.file);
    }
    let candidates: &[&str] = if config.hugo.is_some() {
        &[
            "hugo.toml",
            "hugo.yaml",
            "hugo.json",
            "config.toml",
            "config.yaml",
        ]
    } else if config.jekyll.is_some() {
        &["_config.yml", "_config.yaml"]
    } else {
        &[crate::config::CONFIG_FILE]
    };
    let found = candidates.iter().find(|c| config.root.join(c).is_file());
    PathBuf::from(found.unwrap_or(&candidates[0]))
}
