//! Which snippets there are: the generated curl and PowerShell example of every catalog operation, and
//! every hand-written code block that calls an API (fenced `bash`, `sh`, `shell`, `console`,
//! `powershell`, `ps1`, `pwsh`, or untagged), with the writer's `expect=NNN` and `skip` attributes.

use super::{Origin, Snippet};
use crate::apigen::snippet::{self, Gateway};
use crate::model::{PageKind, Site};
use crate::snippets::Language;

const SHELL: [&str; 5] = ["bash", "sh", "shell", "console", "zsh"];
const POWERSHELL: [&str; 3] = ["powershell", "ps1", "pwsh"];

/// The language of a fenced block that calls an API, if it does.
pub fn language_of(lang: &str, code: &str) -> Option<Language> {
    let lang = lang.to_ascii_lowercase();
    let calls_curl = code.lines().any(|l| {
        let l = l.trim_start().trim_start_matches("$ ");
        l.starts_with("curl ") || l == "curl"
    });
    let calls_ps = ["invoke-webrequest", "invoke-restmethod", "iwr ", "irm "]
        .iter()
        .any(|c| code.to_ascii_lowercase().contains(c));
    if SHELL.contains(&lang.as_str()) {
        calls_curl.then_some(Language::Curl)
    } else if POWERSHELL.contains(&lang.as_str()) {
        calls_ps.then_some(Language::PowerShell)
    } else if lang.is_empty() {
        if calls_curl {
            Some(Language::Curl)
        } else {
            calls_ps.then_some(Language::PowerShell)
        }
    } else {
        None
    }
}

/// Read `expect=401` and `skip` / `skip="reason"` / `skip=reason` from a fence's attributes.
pub fn attributes(attrs: &str) -> (Option<u16>, Option<String>) {
    let quoted = attrs
        .split("skip=\"")
        .nth(1)
        .map(|r| r.split('"').next().unwrap_or_default().to_string());
    let mut expect = None;
    let mut skip = quoted;
    for part in attrs
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(str::trim)
    {
        if let Some(v) = part.strip_prefix("expect=") {
            expect = v.trim_matches('"').parse().ok();
        } else if skip.is_none() && part == "skip" {
            skip = Some("marked `skip`".to_string());
        } else if skip.is_none() {
            skip = part.strip_prefix("skip=").map(str::to_string);
        }
    }
    (expect, skip)
}

/// Every snippet of the site.
pub fn collect(site: &Site, gateway: &Gateway) -> Vec<Snippet> {
    let mut out = Vec::new();
    for api in &site.catalog.apis {
        for spec in &api.specs {
            for op in &spec.operations {
                let request = snippet::request(api, spec, op, gateway);
                for (language, text) in [
                    (Language::Curl, snippet::curl(&request)),
                    (Language::PowerShell, snippet::powershell(&request)),
                ] {
                    out.push(Snippet {
                        file: api.file.clone(),
                        line: op.span.line,
                        language,
                        origin: Origin::Generated,
                        text,
                        expect: None,
                        skip: None,
                        label: format!("{} {}", api.id, op.anchor),
                        todo: false,
                    });
                }
            }
        }
    }
    for page in site.pages.iter().filter(|p| p.kind == PageKind::Markdown) {
        for block in &page.code_blocks {
            let Some(language) = language_of(&block.lang, &block.code) else {
                continue;
            };
            let (expect, skip) = attributes(&block.attrs);
            let end = block.offset + block.code.len();
            let todo = page
                .todos
                .iter()
                .any(|t| t.offset >= block.offset && t.offset < end);
            out.push(Snippet {
                file: page.file.clone(),
                line: page.span(block.offset).line,
                language,
                origin: Origin::Handwritten,
                text: block.code.clone(),
                expect,
                skip,
                label: page.route.clone(),
                todo,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_attributes() {
        assert_eq!(language_of("bash", "curl https://x"), Some(Language::Curl));
        assert_eq!(
            language_of("console", "$ curl https://x"),
            Some(Language::Curl)
        );
        assert_eq!(
            language_of("", "Invoke-RestMethod -Uri x"),
            Some(Language::PowerShell)
        );
        assert_eq!(language_of("bash", "cargo build"), None);
        assert_eq!(language_of("json", "curl"), None);
        assert_eq!(attributes("expect=401"), (Some(401), None));
        assert_eq!(
            attributes("skip=\"needs a real key\""),
            (None, Some("needs a real key".into()))
        );
        assert_eq!(attributes("skip").1.as_deref(), Some("marked `skip`"));
    }
}
