//! `intark-docs examples`: every curl and PowerShell example, generated and hand-written, parsed into a
//! request without a shell, matched to a catalog operation, run against a gateway (the embedded sandbox
//! unless one is given) and checked against the spec: status, content type and body schema.
//!
//! The runner gets a base URL and a key; it does not know whether the gateway is ours. Only allowed
//! hosts are contacted; keys never appear in output.

mod causes;
mod collect;
mod run;
mod send;

pub use collect::{attributes, collect, language_of};
pub use run::{run, Runner, RunnerKind};

use crate::snippets::Language;
use std::path::PathBuf;

/// Where a snippet comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Generated for a catalog operation.
    Generated,
    /// Written in a page.
    Handwritten,
}

/// One example to run.
#[derive(Debug, Clone)]
pub struct Snippet {
    /// The file it is in (a spec for generated ones).
    pub file: PathBuf,
    /// Its first line in the file.
    pub line: usize,
    /// curl or PowerShell.
    pub language: Language,
    /// Generated or hand-written.
    pub origin: Origin,
    /// The code.
    pub text: String,
    /// The status the writer declared (`expect=401`).
    pub expect: Option<u16>,
    /// Why the writer opted out (`skip`).
    pub skip: Option<String>,
    /// The operation or page, for messages.
    pub label: String,
    /// It holds a TODO marker (reported by the TODO rule; not run).
    pub todo: bool,
}

/// What happened to a snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Ran, and the answers were as documented.
    Passed,
    /// Ran, and an answer was not as documented (or it calls no operation of the catalog).
    Failed,
    /// Could not be run (the reason says why).
    NotRun,
    /// The writer opted out.
    Skipped,
}

/// The result for one snippet.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// File, relative to the site root.
    pub file: String,
    /// Line.
    pub line: usize,
    /// `curl` or `powershell`.
    pub language: &'static str,
    /// Generated or hand-written.
    pub origin: Origin,
    /// The operation it calls (`api-id operationId`), if matched.
    pub operation: Option<String>,
    /// Outcome.
    pub outcome: Outcome,
    /// Why (empty when passed).
    pub reason: String,
}

/// Name of a language in reports.
pub fn language_name(language: Language) -> &'static str {
    match language {
        Language::Curl => "curl",
        Language::PowerShell => "powershell",
    }
}
