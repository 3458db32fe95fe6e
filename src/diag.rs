//! Source positions and findings.
//!
//! Owns [`Span`], [`LineIndex`], [`Severity`] and [`Diagnostic`]: the plain data every stage uses to
//! say *where* something is and *what* is wrong with it. It knows nothing about pages, HTML or output
//! formats; reporters live in `report`.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a source file: 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Span {
    /// A span at the start of a file, for findings about the whole file.
    pub fn file_start(file: impl Into<PathBuf>) -> Self {
        Span {
            file: file.into(),
            line: 1,
            column: 1,
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Bytes between the character-count checkpoints of a [`LineIndex`].
const CHECKPOINT_BYTES: usize = 1024;

/// Line starts of one text, to turn byte offsets into line and column by binary search.
///
/// Columns count characters. So that a page that is one long line with many findings stays linear,
/// the index also keeps the number of characters before every [`CHECKPOINT_BYTES`]-th byte: a column
/// costs at most that many bytes of counting, however long the line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters in `text[..i * CHECKPOINT_BYTES]`.
    checkpoints: Vec<usize>,
}

/// Characters in a byte slice of UTF-8 text: the bytes that are not continuation bytes.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_BYTES + 1);
        let mut chars = 0;
        checkpoints.push(0);
        for chunk in text.as_bytes().chunks(CHECKPOINT_BYTES) {
            chars += char_count(chunk);
            checkpoints.push(chars);
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// Characters in `text[..offset]` (`offset` within the indexed text).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let block = offset / CHECKPOINT_BYTES;
        match self.checkpoints.get(block) {
            Some(&before) => {
                before + char_count(&text.as_bytes()[block * CHECKPOINT_BYTES..offset])
            }
            // Not the text this index was made from: count from the start.
            None => char_count(&text.as_bytes()[..offset]),
        }
    }

    /// 1-based (line, column) of a byte offset; the column counts characters of `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line].min(offset);
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let end = end.max(start);
        let column = self.chars_before(text, end) - self.chars_before(text, start) + 1;
        (line + 1, column)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// A [`Span`] for a byte offset of `text`, which is the content of `file`.
    pub fn span(&self, file: &Path, text: &str, offset: usize) -> Span {
        let (line, column) = self.line_col(text, offset);
        Span {
            file: file.to_path_buf(),
            line,
            column,
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Shown, but the build and check still succeed.
    Warning,
    /// Fails `check` and `build`.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding: a rule, where it is, what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule's stable name (`todo`, `broken-link`, `front-matter`, ...).
    pub rule: &'static str,
    /// Error or warning, after configuration.
    pub severity: Severity,
    /// Where the finding is.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error-level finding; configuration may change its severity later.
    pub fn error(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            span,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning-level finding.
    pub fn warning(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, span, message)
        }
    }

    /// The same finding with a hint saying what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Sort findings by file, line, column and rule, so output is deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.span, a.rule, &a.message).cmp(&(&b.span, b.rule, &b.message)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "første\nlinje æøå TODO\n";
        let index = LineIndex::new(text);
        let offset = text.find("TODO").unwrap();
        assert_eq!(index.line_col(text, offset), (2, 11));
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_text(text, 2), "linje æøå TODO");
    }

    #[test]
    fn line_col_is_exact_across_checkpoints_in_one_long_line() {
        let text = "å".repeat(3000) + "x" + &"ø".repeat(5000) + "\n" + &"a".repeat(2000) + "TODO";
        let index = LineIndex::new(&text);
        for (offset, expected) in [
            (0, (1, 1)),
            (6000, (1, 3001)),
            (6001, (1, 3002)),
            (6003, (1, 3003)),
            (6002, (1, 3002)), // inside a character: its start
            (text.find("TODO").unwrap(), (2, 2001)),
        ] {
            assert_eq!(index.line_col(&text, offset), expected, "offset {offset}");
        }
    }

    #[test]
    fn line_col_past_end_is_clamped() {
        let text = "a\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 99), (2, 2));
        assert_eq!(index.line_text(text, 9), "");
    }
}
