//! What the checks report: severities per rule, include/exclude globs, URL patterns to skip, and
//! silencing in place (`<!-- intark-ignore: RULE -->` on the line before; `intark_ignore` in front matter).

use crate::config::{CheckConfig, Level};
use crate::diag::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::model::Page;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::HashMap;

/// Every rule with its default level.
pub const RULES: [(&str, Level); 31] = [
    ("todo", Level::Error),
    ("todo-hidden", Level::Warning),
    ("broken-link", Level::Error),
    ("broken-anchor", Level::Error),
    ("missing-asset", Level::Error),
    ("malformed-link", Level::Warning),
    ("external-link", Level::Error),
    ("external-link-moved", Level::Warning),
    ("front-matter", Level::Error),
    ("duplicate-route", Level::Error),
    ("shared-route", Level::Warning),
    ("encoding", Level::Error),
    ("io", Level::Error),
    ("openapi", Level::Error),
    ("spec", Level::Error),
    ("spec-example", Level::Warning),
    ("spec-lenient", Level::Warning),
    ("context-path-assumed", Level::Warning),
    ("example", Level::Error),
    ("shortcode", Level::Warning),
    ("liquid", Level::Error),
    ("liquid-unknown", Level::Warning),
    ("front-matter-unfenced", Level::Warning),
    ("data-file", Level::Error),
    ("unsupported-plugin", Level::Warning),
    ("redirect", Level::Error),
    ("sidebar", Level::Error),
    ("mdx-component", Level::Warning),
    ("mdx-import", Level::Error),
    ("theme", Level::Error),
    ("unknown-language", Level::Warning),
];

/// The resolved check settings.
#[derive(Debug, Clone)]
pub struct Policy {
    levels: HashMap<&'static str, Level>,
    include: Option<GlobSet>,
    exclude: GlobSet,
    skip_urls: GlobSet,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::new(&CheckConfig::default()).expect("the defaults are valid")
    }
}

fn globs(key: &'static str, patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| Error::Setting {
            key,
            message: format!("`{pattern}`: {e}"),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| Error::Setting {
        key,
        message: e.to_string(),
    })
}

impl Policy {
    /// Resolve the `[check]` table; unknown rule names are an error that lists the known ones.
    pub fn new(config: &CheckConfig) -> Result<Policy> {
        let mut levels: HashMap<&'static str, Level> = RULES.iter().copied().collect();
        for (rule, level) in &config.severity {
            let Some((name, _)) = RULES.iter().find(|(r, _)| r == rule) else {
                let known: Vec<&str> = RULES.iter().map(|(r, _)| *r).collect();
                return Err(Error::Setting {
                    key: "check.severity",
                    message: format!("unknown rule `{rule}`; the rules are {}", known.join(", ")),
                });
            };
            levels.insert(name, *level);
        }
        Ok(Policy {
            levels,
            include: if config.include.is_empty() {
                None
            } else {
                Some(globs("check.include", &config.include)?)
            },
            exclude: globs("check.exclude", &config.exclude)?,
            skip_urls: globs("check.skip_urls", &config.skip_urls)?,
        })
    }

    /// Whether findings in this page (path relative to the content folder) are reported.
    pub fn includes(&self, rel_path: &str) -> bool {
        self.include
            .as_ref()
            .is_none_or(|set| set.is_match(rel_path))
            && !self.exclude.is_match(rel_path)
    }

    /// Whether a link destination matches a pattern to skip.
    pub fn skips_url(&self, dest: &str) -> bool {
        self.skip_urls.is_match(dest)
    }

    /// Whether the page's front matter silences every rule.
    pub fn page_ignores_all(&self, page: &Page) -> bool {
        page_ignores(page).iter().any(|r| r == "all")
    }

    /// A finding with its configured severity, or `None` if the rule is off or silenced.
    pub fn apply(&self, mut diagnostic: Diagnostic, page: Option<&Page>) -> Option<Diagnostic> {
        diagnostic.severity = match self
            .levels
            .get(diagnostic.rule)
            .copied()
            .unwrap_or(Level::Error)
        {
            Level::Off => return None,
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        };
        if let Some(page) = page {
            if page_ignores(page).iter().any(|r| r == diagnostic.rule)
                || silenced_in_place(page, &diagnostic)
            {
                return None;
            }
        }
        Some(diagnostic)
    }
}

/// Rules listed in front matter under `intark_ignore` (or `intark-ignore`).
fn page_ignores(page: &Page) -> Vec<String> {
    let value = page
        .front
        .extra
        .get("intark_ignore")
        .or_else(|| page.front.extra.get("intark-ignore"));
    match value {
        Some(serde_json::Value::String(s)) => s.split(',').map(|r| r.trim().to_string()).collect(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::Bool(true)) => vec!["all".into()],
        _ => Vec::new(),
    }
}

/// `<!-- intark-ignore: rule, rule -->` (or without rules: all) on the line before the finding.
fn silenced_in_place(page: &Page, diagnostic: &Diagnostic) -> bool {
    if diagnostic.span.line < 2 {
        return false;
    }
    let line = page.lines.line_text(&page.source, diagnostic.span.line - 1);
    let Some(start) = line.find("<!--") else {
        return false;
    };
    let comment = line[start + 4..]
        .split("-->")
        .next()
        .unwrap_or_default()
        .trim();
    let Some(rest) = comment.strip_prefix("intark-ignore") else {
        return false;
    };
    let rules = rest.trim_start_matches(':').trim();
    rules.is_empty() || rules.split(',').any(|r| r.trim() == diagnostic.rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_rule_names_are_rejected() {
        let mut config = CheckConfig::default();
        config.severity.insert("todos".into(), Level::Off);
        let err = Policy::new(&config).unwrap_err();
        assert!(err.to_string().contains("todos"), "{err}");
    }

    #[test]
    fn include_and_exclude_globs() {
        let config = CheckConfig {
            include: vec!["guide/**".into()],
            exclude: vec!["guide/old/**".into()],
            ..CheckConfig::default()
        };
        let policy = Policy::new(&config).unwrap();
        assert!(policy.includes("guide/a.md"));
        assert!(!policy.includes("guide/old/a.md"));
        assert!(!policy.includes("other.md"));
    }
}
