//! The shared rewriter of the flavour pre-passes: the "replace this span with that" primitive
//! ([`Builder`]), the rewritten text with its offset map back to the writer's source ([`Rewritten`]),
//! what the pre-passes may refer to ([`Env`]) and what they report ([`Found`]).
//!
//! Every flavour module (`docusaurus`, `hugo`, `jekyll`) writes through a [`Builder`]; none of them
//! knows another. `prepass` walks the lines and decides which flavour sees each.

/// What the constructs of a page may refer to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Env<'a> {
    /// The page's route (`{{ page.url }}`).
    pub route: &'a str,
    /// `{{ site.url }}`.
    pub site_url: &'a str,
    /// `{{ site.baseurl }}`: the route base.
    pub base_path: &'a str,
    /// Child pages for `children`: (title, route).
    pub children: &'a [(String, String)],
    /// The site's own shortcodes: Tera templates `shortcodes/NAME.html` in its theme folder.
    pub custom: Option<&'a tera::Tera>,
    /// Those of them that take a body (their template uses `inner`).
    pub custom_paired: &'a [String],
    /// Hugo: the site's `params` (for the `param` shortcode), after the page's own.
    pub site_params: Option<&'a serde_json::Value>,
    /// Hugo: the page's front matter (its keys and its `params`).
    pub page_params: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// Hugo: shortcodes the site or its theme defines as Go templates (`layouts/shortcodes/`).
    pub go_shortcodes: &'a [String],
    /// UI strings in the page's language (default admonition titles, heading anchor labels).
    pub ui: crate::i18n::Ui<'a>,
    /// The theme's templates the components of the page render through (`None`: the built-in ones).
    pub templates: Option<&'a crate::theme::Templates>,
    /// Jekyll: the site's Liquid engine and this page; Liquid is rendered before the pre-pass.
    pub liquid: Option<(&'a super::liquid::Liquid, &'a super::liquid::PageInfo)>,
    /// Docusaurus: the page is parsed as MDX (`markdown.format`), whose block-level tags end at
    /// their line.
    pub mdx: bool,
    /// The page's file, relative to the site root (`docs/a.md`): where its imports start from.
    pub file: &'a str,
    /// Docusaurus: reads the Markdown partials a page imports, so the pass itself reads no files.
    pub partials: Option<Partials<'a>>,
}

/// Reads an imported Markdown partial: (the importing file and the module as written, both relative
/// to the site root or to the importing file's folder) → (the partial's file relative to the site
/// root, its text), or why it cannot be read.
pub type ReadPartial = dyn Fn(&str, &str) -> Result<(String, String), String> + Sync;

/// A [`ReadPartial`] that [`Env`] can carry.
#[derive(Clone, Copy)]
pub struct Partials<'a>(pub &'a ReadPartial);

impl std::fmt::Debug for Partials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Partials")
    }
}

/// A construct that is not supported (or used wrongly), at an offset of the original text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Byte offset in the text given to the rewrite.
    pub offset: usize,
    /// `shortcode`, `liquid` or `kramdown`.
    pub rule: &'static str,
    /// What and what to do.
    pub message: String,
    /// A construct used throughout a site that is reported once per site with its number of uses
    /// (a Hugo shortcode that cannot run): its name and its uses here.
    pub tally: Option<(String, usize)>,
}

/// Text after rewriting, and how to find original offsets from it.
#[derive(Debug)]
pub(super) struct Rewritten {
    /// The Markdown to parse.
    pub(super) text: String,
    /// `(offset in text, offset in original, verbatim)`: start of each segment, sorted.
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
/// A construct found at a `{` by [`Builder::braces`].
pub(super) struct Brace {
    /// How many bytes of the source it takes, from the `{`.
    pub consumed: usize,
    /// What replaces them.
    pub replacement: String,
    /// The scan ends after it (the rest of the line belongs to a body it opened).
    pub stop: bool,
}

#[derive(Debug, Default)]
pub(super) struct Builder {
    out: String,
    segments: Vec<(usize, usize, bool)>,
    changed: bool,
}

impl Builder {
    /// Copy `text`, which starts at `original` in the source.
    pub(super) fn verbatim(&mut self, original: usize, text: &str) {
        if self.segments.last().is_none_or(|s| !s.2) {
            self.segments.push((self.out.len(), original, true));
        }
        self.out.push_str(text);
    }

    /// Replace `original_len` bytes of the source at `original` with `replacement`.
    pub(super) fn replace(&mut self, original: usize, original_len: usize, replacement: &str) {
        self.segments.push((self.out.len(), original, false));
        self.out.push_str(replacement);
        self.segments
            .push((self.out.len(), original + original_len, true));
        self.changed = true;
    }

    /// Copy `content` (which starts at `offset` in the source), replacing the braced constructs that
    /// `at` recognises: `at` is asked at every `{` outside inline code spans (`` `…` ``) with the `{`'s
    /// index in `content` and the text from it. Returns how much of `content` was written (the caller
    /// writes the rest) and whether a [`Brace`] asked to stop there.
    pub(super) fn braces(
        &mut self,
        offset: usize,
        content: &str,
        mut at: impl FnMut(usize, &str) -> Option<Brace>,
    ) -> (usize, bool) {
        let bytes = content.as_bytes();
        let mut pos = 0;
        let mut in_code = false;
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'`' {
                in_code = !in_code;
                i += 1;
                continue;
            }
            if in_code || bytes[i] != b'{' {
                i += 1;
                continue;
            }
            let Some(brace) = at(i, super::text::from(content, i)) else {
                i += 1;
                continue;
            };
            self.verbatim(offset + pos, super::text::between(content, pos, i));
            self.replace(offset + i, brace.consumed, &brace.replacement);
            i += brace.consumed.max(1);
            pos = i.min(content.len());
            if brace.stop {
                return (pos, true);
            }
        }
        (pos, false)
    }

    /// The result; `source` itself with an empty map when nothing was replaced.
    pub(super) fn finish(self, source: &str) -> Rewritten {
        if !self.changed {
            return Rewritten {
                text: source.to_string(),
                segments: Vec::new(),
            };
        }
        Rewritten {
            text: self.out,
            segments: self.segments,
        }
    }

    /// The text built so far (for tests).
    #[cfg(test)]
    pub(super) fn into_text(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_through_replacements() {
        let source = "ab{{x}}cd";
        let mut b = Builder::default();
        b.verbatim(0, "ab");
        b.replace(2, 5, "REPLACED");
        b.verbatim(7, "cd");
        let r = b.finish(source);
        assert_eq!(r.text, "abREPLACEDcd");
        assert_eq!(r.original(1), 1);
        assert_eq!(r.original(4), 2, "inside a replacement: its start");
        assert_eq!(r.original(r.text.find("cd").unwrap()), 7);
    }

    #[test]
    fn an_unchanged_text_keeps_an_empty_map() {
        let mut b = Builder::default();
        b.verbatim(0, "abc");
        let r = b.finish("abc");
        assert_eq!((r.text.as_str(), r.original(2)), ("abc", 2));
    }

    #[test]
    fn braces_skip_code_spans_and_stop_when_asked() {
        let content = "a `{x}` {x} {y} {x}";
        let mut b = Builder::default();
        let (pos, stopped) = b.braces(0, content, |_, rest| {
            let close = rest.find('}')?;
            let name = &rest[1..close];
            (name == "x" || name == "y").then(|| Brace {
                consumed: close + 1,
                replacement: name.to_uppercase(),
                stop: name == "y",
            })
        });
        assert!(stopped);
        assert_eq!(pos, 15);
        assert_eq!(b.into_text(), "a `{x}` X Y");
    }
}
