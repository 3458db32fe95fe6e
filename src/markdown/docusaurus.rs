//! Docusaurus markup: admonitions (`:::note Tittel` … `:::`) become our admonition boxes and MDX
//! comments (`{/* … */}`) become HTML comments, through the shared [`Builder`].

use super::components;
use super::rewrite::Builder;
use super::text;

/// Admonitions and MDX comments still open.
#[derive(Debug, Default)]
pub(super) struct State {
    open: usize,
    in_comment: bool,
}

impl State {
    /// Inside an MDX comment: lines come here until it closes.
    pub(super) fn in_comment(&self) -> bool {
        self.in_comment
    }

    /// Close admonitions left open at the end of the page.
    pub(super) fn finish(&mut self, b: &mut Builder, end: usize) {
        for _ in 0..std::mem::take(&mut self.open) {
            b.replace(end, 0, "\n\n</div>\n");
        }
    }
}

/// Whether a line holds an MDX comment delimiter (or one is open).
pub(super) fn comment_line(line: &str, state: &State) -> bool {
    state.in_comment || line.contains("{/*")
}

/// Turn the MDX comment delimiters of one line into HTML comment delimiters, keeping the comment's
/// text verbatim.
pub(super) fn comments(b: &mut Builder, offset: usize, line: &str, state: &mut State) {
    let mut pos = 0;
    loop {
        let (needle, replacement) = if state.in_comment {
            ("*/}", "-->")
        } else {
            ("{/*", "<!--")
        };
        match text::find_from(line, pos, needle) {
            Some(at) => {
                b.verbatim(offset + pos, text::between(line, pos, at));
                b.replace(offset + at, needle.len(), replacement);
                pos = at + needle.len();
                state.in_comment = !state.in_comment;
            }
            None => {
                b.verbatim(offset + pos, text::from(line, pos));
                return;
            }
        }
    }
}

/// A `:::` line: an admonition opens or closes. Returns false (nothing written) for other lines.
pub(super) fn admonition(
    b: &mut Builder,
    offset: usize,
    line: &str,
    state: &mut State,
    ui: crate::i18n::Ui<'_>,
) -> bool {
    let trimmed = line.trim_start();
    let indent = text::between(line, 0, line.len() - trimmed.len());
    let Some(rest) = trimmed.trim_end().strip_prefix(":::") else {
        return false;
    };
    let replacement = if rest.trim().is_empty() && state.open > 0 {
        state.open -= 1;
        format!("{indent}\n{indent}</div>\n\n")
    } else if let Some((kind, title)) = opening(rest, ui) {
        state.open += 1;
        format!("{indent}{}", components::admonition_open(kind, &title))
    } else {
        return false;
    };
    b.replace(offset, line.len(), &replacement);
    true
}

/// `note Tittel`, `tip[Tittel]`, `warning` → (kind, title).
fn opening(rest: &str, ui: crate::i18n::Ui<'_>) -> Option<(&'static str, String)> {
    let name_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    let name = text::between(rest, 0, name_len);
    let kind = components::KINDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))?;
    let after = text::from(rest, name_len).trim();
    let title = after
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(after)
        .trim();
    let title = if title.is_empty() {
        components::default_title(kind, ui)
    } else {
        title
    };
    Some((kind, title.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_titles_are_norwegian_and_bracket_titles_work() {
        let ui = crate::i18n::Ui::default();
        assert_eq!(opening("tip", ui).unwrap().1, "Tips");
        assert_eq!(opening("note[Om nøkler]", ui).unwrap().1, "Om nøkler");
        assert!(opening("unknownkind", ui).is_none());
        let en = crate::i18n::Ui { lang: "en", ..ui };
        assert_eq!(opening("warning", en).unwrap().1, "Warning");
    }
}
