//! Findings about a Docusaurus site's sidebars file: a doc id that no page has stops Docusaurus's
//! build (`sidebars/utils.ts`, `checkSidebarsDocIds`), so it is an error here, at the line that
//! names the id — in the sidebars file or in a file it `require`s or imports.

use crate::config::Config;
use crate::diag::{Diagnostic, LineIndex, Span};
use crate::sidebars::Sidebars;
use std::path::Path;

/// The rule of findings about a sidebars file.
pub(super) const RULE: &str = "sidebar";

/// How many files the search for an id's line follows (`require`s of `require`s).
const MAX_FILES: usize = 64;

/// One error per doc id the sidebars name and no doc has (`known`: the ids of all docs, drafts
/// too), with the closest id a doc has.
pub(super) fn findings(config: &Config, sidebars: &Sidebars, known: &[String]) -> Vec<Diagnostic> {
    let missing = crate::nav::missing_docs(known, sidebars);
    if missing.is_empty() {
        return Vec::new();
    }
    let files = files(&config.root, &sidebars.file);
    missing
        .into_iter()
        .map(|m| {
            let span = locate(&files, &m.id)
                .unwrap_or_else(|| Span::file_start(&sidebars.file));
            let diagnostic = Diagnostic::error(
                RULE,
                span,
                format!(
                    "the sidebar `{}` names the doc id `{}`, which no page has; Docusaurus refuses to build the site",
                    m.sidebar, m.id
                ),
            );
            match m.nearest {
                Some(near) => diagnostic.with_hint(format!("did you mean `{near}`?")),
                None => diagnostic.with_hint(
                    "a doc id is the file's path below the docs folder without its extension and number prefixes, or the folder and the front matter `id`",
                ),
            }
        })
        .collect()
}

/// The sidebars file and the site's files it loads (relative `require`/`import` specifiers,
/// resolved as the config evaluator resolves them, inside the root), with their text. Paths are
/// `/`-separated and relative to the root.
fn files(root: &Path, main: &str) -> Vec<(String, String)> {
    use crate::config::docusaurus::js;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut queue = vec![main.to_string()];
    while let Some(rel) = queue.pop() {
        if out.len() >= MAX_FILES || out.iter().any(|(p, _)| *p == rel) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&rel)) else {
            continue;
        };
        let dir = rel.rsplit_once('/').map_or(".", |(d, _)| d);
        queue.extend(
            specifiers(&text)
                .into_iter()
                .filter_map(|specifier| js::module_file(root, dir, specifier)),
        );
        out.push((rel, text));
    }
    out
}

/// Relative module specifiers in `require('./x')`, `import … from './x'` and `import('./x')`.
fn specifiers(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for opener in ["require(", "import(", " from "] {
        for (at, _) in text.match_indices(opener) {
            let rest = text[at + opener.len()..].trim_start();
            let Some(quote) = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '\'' | '"' | '`'))
            else {
                continue;
            };
            let body = &rest[1..];
            if let Some(end) = body.find(quote) {
                let specifier = &body[..end];
                if crate::config::docusaurus::js::is_relative(specifier) {
                    out.push(specifier);
                }
            }
        }
    }
    out
}

/// Where `id` is first written as a quoted string in `files`.
fn locate(files: &[(String, String)], id: &str) -> Option<Span> {
    files.iter().find_map(|(path, text)| {
        let at = ['\'', '"', '`']
            .iter()
            .filter_map(|q| text.find(&format!("{q}{id}{q}")))
            .min()?;
        Some(LineIndex::new(text).span(Path::new(path), text, at + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifiers_are_the_relative_ones_of_require_and_import() {
        let text = "const a = require('./sidebars/api.js');\nimport b from \"../b\";\nconst c = require('lodash');\nconst d = await import(`./d`);\n";
        let mut found = specifiers(text);
        found.sort_unstable();
        assert_eq!(found, ["../b", "./d", "./sidebars/api.js"]);
    }
}
