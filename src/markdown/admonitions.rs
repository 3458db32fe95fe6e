//! Docusaurus admonitions (`:::note Tittel` … `:::`) turned into HTML blocks, and MDX comments
//! (`{/* … */}`) into HTML comments, before parsing.
//!
//! The rewrite keeps a map from offsets in the rewritten text back to the original, so that every
//! finding still points at the writer's own line and column. Fenced code is left alone.

/// The kinds we style, with their default Norwegian titles.
pub(super) const KINDS: [(&str, &str); 7] = [
    ("note", "Merk"),
    ("tip", "Tips"),
    ("info", "Info"),
    ("warning", "Advarsel"),
    ("caution", "Advarsel"),
    ("danger", "Fare"),
    ("important", "Viktig"),
];

/// Text after rewriting, and how to find original offsets from it.
#[derive(Debug)]
pub(super) struct Rewritten {
    /// The Markdown to parse.
    pub(super) text: String,
    /// `(offset in text, offset in original)`: start of each segment, sorted.
    segments: Vec<(usize, usize, bool)>,
}

impl Rewritten {
    /// The original offset of an offset in the rewritten text.
    pub(super) fn original(&self, offset: usize) -> usize {
        let i = self
            .segments
            .partition_point(|&(start, _, _)| start <= offset);
        if i == 0 {
            return offset;
        }
        let (start, original, verbatim) = self.segments[i - 1];
        if verbatim {
            original + (offset - start)
        } else {
            original
        }
    }
}

/// Builds the rewritten text and its offset map.
#[derive(Debug, Default)]
pub(super) struct Builder {
    out: String,
    segments: Vec<(usize, usize, bool)>,
    changed: bool,
}

impl Builder {
    /// The text built so far (for tests).
    #[cfg(test)]
    pub(super) fn into_text(self) -> String {
        self.out
    }

    pub(super) fn verbatim(&mut self, original: usize, text: &str) {
        if self.segments.last().is_none_or(|s| !s.2) {
            self.segments.push((self.out.len(), original, true));
        }
        self.out.push_str(text);
    }

    pub(super) fn replace(&mut self, original: usize, original_len: usize, replacement: &str) {
        self.segments.push((self.out.len(), original, false));
        self.out.push_str(replacement);
        self.segments
            .push((self.out.len(), original + original_len, true));
        self.changed = true;
    }
}

/// Rewrite admonition fences and MDX comments (`{/* … */}` → `<!-- … -->`) in `text`. Without any,
/// the text is returned unchanged with an empty map.
pub(super) fn rewrite(
    text: &str,
    env: &super::foreign::Env<'_>,
    found: &mut Vec<super::foreign::Found>,
) -> Rewritten {
    let mut b = Builder::default();
    let mut foreign = super::foreign::State::default();
    let mut fence: Option<(char, usize)> = None;
    let mut open = 0usize;
    let mut in_mdx_comment = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let content = trimmed.trim_end();
        if let Some((c, n)) = fence {
            let run = content.chars().take_while(|&x| x == c).count();
            if run >= n && content[run..].trim().is_empty() {
                fence = None;
            }
        } else if (super::foreign::candidate(line) || foreign.busy())
            && !line.contains("{/*")
            && !in_mdx_comment
        {
            super::foreign::line(&mut b, offset, line, &mut foreign, env, found);
            offset += line.len();
            continue;
        } else if in_mdx_comment || line.contains("{/*") {
            in_mdx_comment = mdx_comments(&mut b, offset, line, in_mdx_comment);
            offset += line.len();
            continue;
        } else if let Some(c) = content.chars().next().filter(|c| *c == '`' || *c == '~') {
            let run = content.chars().take_while(|&x| x == c).count();
            if run >= 3 {
                fence = Some((c, run));
            }
        } else if let Some(rest) = content.strip_prefix(":::") {
            let replacement = if rest.trim().is_empty() && open > 0 {
                open -= 1;
                Some(format!("{indent}\n{indent}</div>\n\n"))
            } else {
                opening(rest).map(|(kind, title)| {
                    open += 1;
                    format!(
                        "{indent}<div class=\"admonition admonition-{kind}\" role=\"note\"><p class=\"admonition-title\">{}</p>\n\n",
                        escape(&title)
                    )
                })
            };
            if let Some(replacement) = replacement {
                b.replace(offset, line.len(), &replacement);
                offset += line.len();
                continue;
            }
        }
        b.verbatim(offset, line);
        offset += line.len();
    }
    if !b.changed {
        return Rewritten {
            text: text.to_string(),
            segments: Vec::new(),
        };
    }
    for _ in 0..open {
        b.out.push_str("\n\n</div>\n");
    }
    Rewritten {
        text: b.out,
        segments: b.segments,
    }
}

/// Turn the MDX comment delimiters of one line into HTML comment delimiters, keeping the comment's
/// text verbatim. Returns whether a comment is still open at the end of the line.
fn mdx_comments(b: &mut Builder, offset: usize, line: &str, mut inside: bool) -> bool {
    let mut pos = 0;
    loop {
        let (needle, replacement) = if inside {
            ("*/}", "-->")
        } else {
            ("{/*", "<!--")
        };
        match line[pos..].find(needle) {
            Some(i) => {
                b.verbatim(offset + pos, &line[pos..pos + i]);
                b.replace(offset + pos + i, needle.len(), replacement);
                pos += i + needle.len();
                inside = !inside;
            }
            None => {
                b.verbatim(offset + pos, &line[pos..]);
                return inside;
            }
        }
    }
}

/// `note Tittel`, `tip[Tittel]`, `warning` → (kind, title).
fn opening(rest: &str) -> Option<(&'static str, String)> {
    let name_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    let name = &rest[..name_len];
    let (kind, default_title) = KINDS.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?;
    let after = rest[name_len..].trim();
    let title = after
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(after)
        .trim();
    let title = if title.is_empty() {
        default_title
    } else {
        title
    };
    Some((kind, title.to_string()))
}

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(text: &str) -> Rewritten {
        rewrite(
            text,
            &super::super::foreign::Env::default(),
            &mut Vec::new(),
        )
    }

    #[test]
    fn admonition_becomes_a_div_and_offsets_map_back() {
        let text = "før\n:::warning Pass på\nInnhold **her**\n:::\netter\n";
        let r = rw(text);
        assert!(r.text.contains("admonition-warning"), "{}", r.text);
        assert!(r.text.contains("Pass på"));
        let here = r.text.find("Innhold").unwrap();
        assert_eq!(r.original(here), text.find("Innhold").unwrap());
        let after = r.text.find("etter").unwrap();
        assert_eq!(r.original(after), text.find("etter").unwrap());
    }

    #[test]
    fn default_titles_are_norwegian_and_bracket_titles_work() {
        assert_eq!(opening("tip").unwrap().1, "Tips");
        assert_eq!(opening("note[Om nøkler]").unwrap().1, "Om nøkler");
        assert!(opening("unknownkind").is_none());
    }

    #[test]
    fn mdx_comments_become_html_comments_with_exact_offsets() {
        let text = "a\n{/* - TODO: skjult */}\nb {/* x\ny */} c\n";
        let r = rw(text);
        assert_eq!(r.text, "a\n<!-- - TODO: skjult -->\nb <!-- x\ny --> c\n");
        let todo = r.text.find("TODO").unwrap();
        assert_eq!(r.original(todo), text.find("TODO").unwrap());
        let c = r.text.rfind('c').unwrap();
        assert_eq!(r.original(c), text.rfind('c').unwrap());
    }

    #[test]
    fn fenced_code_is_left_alone() {
        let text = "```\n:::note\n```\n";
        assert_eq!(rw(text).text, text);
    }

    #[test]
    fn unclosed_admonition_is_closed_at_the_end() {
        let r = rw(":::info\ntekst\n");
        assert_eq!(
            r.text.matches("<div").count(),
            r.text.matches("</div>").count()
        );
    }
}
