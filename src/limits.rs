//! Resource limits for every input the tool parses, in one place.
//!
//! Hostile or broken input must not take the machine down: a YAML document whose aliases expand
//! exponentially (the "billion laughs" document), a spec nested ten thousand levels deep, or a file of
//! several gigabytes would otherwise grow memory or time without bound. Each limit is a documented
//! constant; [`Limits`] is the `[limits]` table of `intark.toml`, so a legitimately huge site can raise
//! them. An input over a limit is a finding (or a configuration error) at the file and line where it
//! crossed it, never a hang.

use serde::Deserialize;

/// Largest input file read as a page, spec, data or configuration file: 64 MiB. The largest real
/// spec we know is a few megabytes; a page of 12 MB builds in well under a second per megabyte.
pub const FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Nodes that YAML aliases (`*name`) may copy in one document, in all: 100,000. Real specs and
/// configuration files use aliases for a handful of shared blocks; the "billion laughs" document
/// (nine anchors, each nine references to the one before) would copy 435 million nodes.
pub const YAML_ALIAS_NODES: usize = 100_000;

/// Deepest nesting of lists and maps in YAML and JSON: 128, the limit `serde_json` itself applies to
/// JSON, so specs in either format are read the same way. Our own walks over parsed values recurse
/// at most this deep.
pub const NESTING_DEPTH: usize = 128;

/// Candidates a "did you mean" search compares a broken link with, at most (routes of one folder,
/// headings of one page): each comparison is an edit distance, and one page can have a hundred
/// thousand findings. Not configurable: a suggestion beyond the first 2,000 candidates is rarely
/// the one meant.
pub const SUGGESTION_CANDIDATES: usize = 2_000;

/// Longest line of a code block that is highlighted, in bytes: syntect's regular expressions cost
/// more than linear time on long lines (a 5 KB line took seconds), so a block with a longer line is
/// shown as plain text. Real code lines are far shorter; minified JSON is better plain anyway.
pub const HIGHLIGHT_LINE_BYTES: usize = 1_000;

/// The `[limits]` table of `intark.toml`. Every key is optional; the defaults are the constants of
/// this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest input file, in bytes ([`FILE_BYTES`]).
    pub file_bytes: u64,
    /// Nodes YAML aliases may copy in one document ([`YAML_ALIAS_NODES`]).
    pub yaml_alias_nodes: usize,
    /// Deepest nesting of YAML lists and maps ([`NESTING_DEPTH`]). JSON is parsed by `serde_json`,
    /// which stops at 128 levels whatever this says; a lower value applies to JSON too.
    pub nesting_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: FILE_BYTES,
            yaml_alias_nodes: YAML_ALIAS_NODES,
            nesting_depth: NESTING_DEPTH,
        }
    }
}

/// Which limit an input crossed, named as its key in the `[limits]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// `file_bytes`.
    FileBytes,
    /// `yaml_alias_nodes`.
    YamlAliasNodes,
    /// `nesting_depth`.
    NestingDepth,
}

impl Exceeded {
    /// The key in the `[limits]` table.
    pub fn key(self) -> &'static str {
        match self {
            Exceeded::FileBytes => "file_bytes",
            Exceeded::YamlAliasNodes => "yaml_alias_nodes",
            Exceeded::NestingDepth => "nesting_depth",
        }
    }

    /// What to tell the writer: fix the file, or raise the limit if the file is meant.
    pub fn hint(self) -> String {
        format!(
            "if the file is meant to be this large, raise `{}` in the `[limits]` table of intark.toml",
            self.key()
        )
    }
}

/// The file is larger than `limits.file_bytes`: the message to report, or `None` when it is not.
pub fn check_file_size(limits: &Limits, len: u64) -> Option<String> {
    (len > limits.file_bytes).then(|| {
        format!(
            "the file is {} bytes, more than the limit of {} bytes; it is not read",
            len, limits.file_bytes
        )
    })
}

/// Byte offset where JSON `text` first nests deeper than `max_depth`, counting `[` and `{` outside
/// strings. One linear pass, so a hostile document is refused before it is parsed.
pub fn json_too_deep(text: &str, max_depth: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_depth_is_counted_outside_strings() {
        assert_eq!(json_too_deep(r#"{"a": [[1]]}"#, 3), None);
        assert_eq!(json_too_deep(r#"{"a": [[1]]}"#, 2), Some(7));
        assert_eq!(json_too_deep(r#"{"a": "[[[[\"[[["}"#, 1), None);
    }

    #[test]
    fn file_size_over_the_limit_is_named() {
        let limits = Limits {
            file_bytes: 10,
            ..Limits::default()
        };
        assert!(check_file_size(&limits, 10).is_none());
        assert!(check_file_size(&limits, 11).unwrap().contains("11 bytes"));
    }
}
