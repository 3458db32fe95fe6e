//! Where the Liquid of a page is: the page split into plain text and top-level Liquid constructs (an
//! output `{{ … }}`, a tag `{% … %}`, or a whole block from its opening tag to its `end` tag), and
//! the tags the engine does not know.

use std::ops::Range;

/// Blocks: an opening tag that has a matching `end…` tag.
const BLOCKS: [&str; 11] = [
    "if",
    "unless",
    "case",
    "for",
    "capture",
    "highlight",
    "tablerow",
    "ifchanged",
    "raw",
    "comment",
    "paginate",
];

/// Tags the engine renders (besides the blocks and their `end…` forms).
const TAGS: [&str; 19] = [
    "assign",
    "break",
    "continue",
    "cycle",
    "include",
    "include_cached",
    "include_relative",
    "increment",
    "decrement",
    "render",
    "link",
    "post_url",
    "else",
    "elsif",
    "when",
    "seo",
    "feed_meta",
    "github_edit_link",
    "echo",
];

/// Tags that produce nothing in the page body (plugins whose output belongs in the layout).
pub(super) const SILENT: [&str; 3] = ["seo", "feed_meta", "github_edit_link"];

/// One piece of a page.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Piece {
    /// Its bytes in the page.
    pub range: Range<usize>,
    /// Liquid (rendered by the engine) or plain text (kept as written).
    pub liquid: bool,
}

/// A tag the engine does not know, at its offset.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Unknown {
    /// Offset of its `{%`.
    pub offset: usize,
    /// Its length.
    pub len: usize,
    /// Its name.
    pub name: String,
}

/// The name of a tag from the text between `{%` and `%}`.
pub(super) fn tag_name(inner: &str) -> &str {
    let inner = inner.trim_start_matches('-').trim_start();
    let end = inner
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    &inner[..end]
}

fn known(name: &str) -> bool {
    BLOCKS.contains(&name)
        || TAGS.contains(&name)
        || name
            .strip_prefix("end")
            .is_some_and(|b| BLOCKS.contains(&b))
}

/// The end of a `{% raw %}` or `{% comment %}` body that starts at `from`: the offset just after
/// its `{% endraw %}` (or the end of the text when it is never closed).
fn skip_verbatim(text: &str, from: usize, name: &str) -> usize {
    let end_name = format!("end{name}");
    let mut at = from;
    while let Some(i) = text.get(at..).and_then(|t| t.find("{%")) {
        let open = at + i;
        let Some(close) = text.get(open + 2..).and_then(|t| t.find("%}")) else {
            break;
        };
        let inner = &text[open + 2..open + 2 + close];
        if tag_name(inner) == end_name {
            return open + 2 + close + 2;
        }
        at = open + 2;
    }
    text.len()
}

/// Split `text` into pieces, and list the unknown tags. Every byte belongs to exactly one piece.
pub(super) fn split(text: &str) -> (Vec<Piece>, Vec<Unknown>) {
    let mut pieces = Vec::new();
    let mut unknown = Vec::new();
    let mut text_start = 0;
    let mut block_start = 0;
    let mut depth = 0usize;
    let mut at = 0;
    let bytes = text.as_bytes();
    while at + 1 < bytes.len() {
        if bytes[at] != b'{' || (bytes[at + 1] != b'{' && bytes[at + 1] != b'%') {
            at += 1;
            continue;
        }
        let output = bytes[at + 1] == b'{';
        let close = if output { "}}" } else { "%}" };
        let Some(rel) = text.get(at + 2..).and_then(|t| t.find(close)) else {
            break;
        };
        let inner = &text[at + 2..at + 2 + rel];
        let mut end = at + 2 + rel + 2;
        let start = at;
        let mut closes_block = false;
        if !output {
            let name = tag_name(inner);
            if name == "raw" || name == "comment" {
                end = skip_verbatim(text, end, name);
            } else if BLOCKS.contains(&name) {
                if depth == 0 {
                    block_start = start;
                }
                depth += 1;
                at = end;
                continue;
            } else if name
                .strip_prefix("end")
                .is_some_and(|b| BLOCKS.contains(&b))
            {
                if depth == 0 {
                    // A stray end tag: the engine reports it.
                    block_start = start;
                } else {
                    depth -= 1;
                }
                closes_block = depth == 0;
            } else if !name.is_empty() && !known(name) {
                unknown.push(Unknown {
                    offset: start,
                    len: end - start,
                    name: name.to_string(),
                });
            }
        }
        if depth == 0 {
            let from = if closes_block { block_start } else { start };
            if text_start < from {
                pieces.push(Piece {
                    range: text_start..from,
                    liquid: false,
                });
            }
            pieces.push(Piece {
                range: from..end,
                liquid: true,
            });
            text_start = end;
        }
        at = end;
    }
    if depth > 0 {
        if text_start < block_start {
            pieces.push(Piece {
                range: text_start..block_start,
                liquid: false,
            });
        }
        pieces.push(Piece {
            range: block_start..text.len(),
            liquid: true,
        });
    } else if text_start < text.len() {
        pieces.push(Piece {
            range: text_start..text.len(),
            liquid: false,
        });
    }
    (pieces, unknown)
}

/// `text` with the unknown tags left out (for the engine).
pub(super) fn without(text: &str, base: usize, unknown: &[Unknown]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for u in unknown {
        let Some(start) = u.offset.checked_sub(base) else {
            continue;
        };
        if start < pos || start + u.len > text.len() {
            continue;
        }
        out.push_str(&text[pos..start]);
        pos = start + u.len;
    }
    out.push_str(&text[pos..]);
    out
}

/// Tags whose first argument is a file path, which the engine's tag syntax cannot take unquoted.
const PATH_TAGS: [&str; 5] = [
    "include",
    "include_cached",
    "include_relative",
    "link",
    "post_url",
];

/// `text` with the unquoted path argument of `include`, `link` and the like put in quotes
/// (`{% link docs/a.md %}` → `{% link "docs/a.md" %}`), as Jekyll reads it, and
/// `{% include_relative x %}` as an include of `./DIR/x` (read from the page's folder `dir`). The
/// bodies of `raw` and `comment` are left as they are.
pub(super) fn quote_paths(text: &str, dir: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut pos = 0;
    while let Some(i) = text.get(pos..).and_then(|t| t.find("{%")) {
        let open = pos + i;
        let Some(close) = text.get(open + 2..).and_then(|t| t.find("%}")) else {
            break;
        };
        let inner_start = open + 2;
        let inner = &text[inner_start..inner_start + close];
        let name = tag_name(inner);
        if name == "raw" || name == "comment" {
            let end = skip_verbatim(text, inner_start + close + 2, name);
            out.push_str(&text[pos..end]);
            pos = end;
            continue;
        }
        let name_at = inner.find(name).unwrap_or(0);
        let after = &inner[name_at + name.len()..];
        let arg_at = after.len() - after.trim_start().len();
        let arg = after.trim_start();
        let arg_len = arg.find(char::is_whitespace).unwrap_or(arg.len());
        let path = arg[..arg_len].trim_end_matches('-');
        if PATH_TAGS.contains(&name)
            && !name.is_empty()
            && !path.is_empty()
            && !path.starts_with(['"', '\'', '{'])
            && !path.contains('=')
        {
            let name_start = inner_start + name_at;
            let path_start = name_start + name.len() + arg_at;
            out.push_str(&text[pos..name_start]);
            if name == "include_relative" {
                let dir = if dir.is_empty() {
                    String::new()
                } else {
                    format!("{dir}/")
                };
                out.push_str(&format!("include \"./{dir}{path}\""));
            } else {
                out.push_str(&format!("{name} \"{path}\""));
            }
            pos = path_start + path.len();
        } else {
            out.push_str(&text[pos..inner_start]);
            pos = inner_start;
        }
    }
    out.push_str(&text[pos..]);
    out
}

/// `text` with the line breaks inside each tag and output turned into spaces: Ruby's Liquid reads a
/// filter chain spread over lines, the engine here only one line. `raw` and `comment` bodies stay.
pub(super) fn one_line_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(i) = text.get(pos..).and_then(|t| t.find('{')) {
        let open = pos + i;
        let close = match text.get(open + 1..open + 2) {
            Some("%") => "%}",
            Some("{") => "}}",
            _ => {
                out.push_str(&text[pos..=open]);
                pos = open + 1;
                continue;
            }
        };
        let Some(len) = text.get(open + 2..).and_then(|t| t.find(close)) else {
            break;
        };
        let end = open + 2 + len + 2;
        out.push_str(&text[pos..open]);
        let inner = &text[open + 2..open + 2 + len];
        let name = tag_name(inner);
        if close == "%}" && (name == "raw" || name == "comment") {
            let end = skip_verbatim(text, end, name);
            out.push_str(&text[open..end]);
            pos = end;
            continue;
        }
        out.push_str(&text[open..end].replace(['\n', '\r'], " "));
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_over_several_lines_become_one_line() {
        assert_eq!(
            super::one_line_tags("{%- assign a = b\n  | sort -%}\nx {{ c\n}}"),
            "{%- assign a = b   | sort -%}\nx {{ c }}"
        );
        assert_eq!(
            super::one_line_tags("{% raw %}{{ a\n}}{% endraw %}{"),
            "{% raw %}{{ a\n}}{% endraw %}{"
        );
    }

    use super::*;

    fn kinds(text: &str) -> Vec<(bool, &str)> {
        split(text)
            .0
            .into_iter()
            .map(|p| (p.liquid, &text[p.range]))
            .collect()
    }

    #[test]
    fn blocks_are_one_piece_and_text_stays_text() {
        let text = "a {{ x }} b {% if y %}c{% for i in z %}{{ i }}{% endfor %}{% endif %} d";
        assert_eq!(
            kinds(text),
            [
                (false, "a "),
                (true, "{{ x }}"),
                (false, " b "),
                (
                    true,
                    "{% if y %}c{% for i in z %}{{ i }}{% endfor %}{% endif %}"
                ),
                (false, " d"),
            ]
        );
    }

    #[test]
    fn raw_bodies_are_not_scanned() {
        let text = "{% raw %}{% if %}{{ x {% endraw %} e";
        assert_eq!(
            kinds(text),
            [(true, "{% raw %}{% if %}{{ x {% endraw %}"), (false, " e")]
        );
    }

    #[test]
    fn unknown_tags_are_listed_and_an_unclosed_block_runs_to_the_end() {
        let text = "{% tabs x %}\n{% if a %}b";
        let (pieces, unknown) = split(text);
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].name, "tabs");
        assert_eq!(without(text, 0, &unknown), "\n{% if a %}b");
        assert!(pieces.last().unwrap().liquid);
        assert_eq!(pieces.last().unwrap().range.end, text.len());
    }

    #[test]
    fn path_arguments_are_quoted() {
        assert_eq!(
            quote_paths(
                "[a]({% link docs/a.md %}) {%- include x/y.html a=1 -%}",
                "d"
            ),
            "[a]({% link \"docs/a.md\" %}) {%- include \"x/y.html\" a=1 -%}"
        );
        assert_eq!(
            quote_paths("{% include 'q.html' %}", ""),
            "{% include 'q.html' %}"
        );
        assert_eq!(quote_paths("{% if a %}{%", ""), "{% if a %}{%");
        assert_eq!(
            quote_paths("{% include_relative b.md %}", "d"),
            "{% include \"./d/b.md\" %}"
        );
        assert_eq!(
            quote_paths("{% raw %}{% link a.md %}{% endraw %}", ""),
            "{% raw %}{% link a.md %}{% endraw %}",
            "raw bodies stay as written"
        );
    }

    #[test]
    fn broken_delimiters_do_not_panic() {
        for text in ["{%}", "{{}", "æ{%ø", "{% raw %}", "{%- -%}", "{{"] {
            let (pieces, _) = split(text);
            let total: usize = pieces.iter().map(|p| p.range.len()).sum();
            assert_eq!(total, text.len(), "{text:?}");
        }
    }
}
