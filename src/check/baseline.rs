//! A baseline of accepted findings, so that a legacy site can adopt the check and fail only on new
//! ones. Findings are matched by rule, file and message (not line), so editing above a finding does
//! not bring it back; each recorded finding absorbs one current finding.

use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    /// Rule name.
    pub rule: String,
    /// File relative to the site root.
    pub file: String,
    /// The finding's message.
    pub message: String,
}

/// The baseline file's content.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    /// Accepted findings.
    pub findings: Vec<Entry>,
}

fn entry(d: &Diagnostic) -> Entry {
    Entry {
        rule: d.rule.to_string(),
        file: d.span.file.to_string_lossy().replace('\\', "/"),
        message: d.message.clone(),
    }
}

impl Baseline {
    /// A baseline accepting these findings.
    pub fn of(diagnostics: &[Diagnostic]) -> Baseline {
        Baseline {
            findings: diagnostics.iter().map(entry).collect(),
        }
    }

    /// Read a baseline file.
    pub fn read(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("cannot read", path, e))?;
        serde_json::from_str(&text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: format!("not a baseline file: {e}"),
        })
    }

    /// Write it as JSON.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        std::fs::write(path, text + "\n").map_err(|e| Error::io("cannot write", path, e))
    }

    /// The findings not accepted by the baseline.
    pub fn filter(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut budget: HashMap<&Entry, usize> = HashMap::new();
        for e in &self.findings {
            *budget.entry(e).or_default() += 1;
        }
        diagnostics
            .into_iter()
            .filter(|d| {
                let key = entry(d);
                match budget.get_mut(&key) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    #[test]
    fn accepted_findings_are_removed_once_each_and_lines_do_not_matter() {
        let at = |line| Span {
            file: "a.md".into(),
            line,
            column: 1,
        };
        let old = vec![Diagnostic::error("todo", at(3), "TODO: x")];
        let baseline = Baseline::of(&old);
        let now = vec![
            Diagnostic::error("todo", at(5), "TODO: x"),
            Diagnostic::error("todo", at(9), "TODO: x"),
            Diagnostic::error("todo", at(9), "TODO: y"),
        ];
        let left = baseline.filter(now);
        assert_eq!(left.len(), 2);
        assert_eq!(left[1].message, "TODO: y");
    }
}
