//! Footnotes as Docusaurus renders them (remark-gfm through `mdast-util-to-hast`'s
//! `footnote-reference.js` and `footer.js`): a reference is `<sup><a id="user-content-fnref-ID">`
//! numbered in order of first reference (a second reference to one note gets `-2`, …), and the
//! notes that are referenced are listed at the end of the page, each as `<li id="user-content-fn-ID">`
//! with links back to its references, under a heading with the id `footnote-label`. `ID` is the
//! label, whitespace collapsed, lower-cased and percent-encoded as micromark's `normalizeUri`
//! does. Notes no reference names are left out. Docusaurus collects all three kinds of id as link
//! targets (the `Heading`, `Li` and `A` components, facebook/docusaurus#9732), so they are
//! recorded as headings of level 0 (no table of contents lists them). The markup is the theme's
//! (`markdown/footnote*.html`).

use super::components::{Failed, Markup};
use crate::model::Heading;
use pulldown_cmark::{Event, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// The prefix remark-rehype gives generated ids (`clobberPrefix`).
const PREFIX: &str = "user-content-";

/// The id of the footnotes' heading (`footer.js`: not prefixed).
pub(super) const LABEL_ID: &str = "footnote-label";

/// The footnotes of one page as the pass meets them.
#[derive(Debug, Default)]
pub(super) struct Footnotes {
    /// Normalised labels in order of first reference.
    order: Vec<String>,
    /// References per normalised label so far.
    counts: HashMap<String, usize>,
    /// Each definition: its normalised label, the range of its events, its source offset.
    definitions: Vec<(String, Range<usize>, usize)>,
    /// The definition being read: label, first event, source offset.
    open: Option<(String, usize, usize)>,
}

/// The context of `markdown/footnote-ref.html`.
#[derive(Debug, serde::Serialize)]
pub(super) struct Reference {
    /// This reference's own id.
    pub(super) id: String,
    /// `#` and the note's id.
    pub(super) href: String,
    /// The note's number.
    pub(super) number: usize,
}

impl Footnotes {
    /// A reference to the note `label`.
    pub(super) fn reference(&mut self, label: &str) -> Reference {
        let key = normalize(label);
        let safe = safe_id(&key);
        let number = match self.order.iter().position(|k| *k == key) {
            Some(i) => i + 1,
            None => {
                self.order.push(key.clone());
                self.order.len()
            }
        };
        let count = self.counts.entry(key).or_default();
        *count += 1;
        Reference {
            id: reference_id(&safe, *count),
            href: format!("#{PREFIX}fn-{safe}"),
            number,
        }
    }

    /// A definition starts; its events start at `at` in the page's event list.
    pub(super) fn start(&mut self, label: &str, at: usize, offset: usize) {
        self.open = Some((normalize(label), at, offset));
    }

    /// The open definition ends before event `at`.
    pub(super) fn end(&mut self, at: usize) {
        if let Some((key, start, offset)) = self.open.take() {
            self.definitions.push((key, start..at, offset));
        }
    }

    /// Take the definitions' events out of `events` and, when any note is referenced, append the
    /// list of notes (with `html`) and record the ids of the notes and of the list's heading.
    pub(super) fn finish<'a>(
        self,
        events: &mut Vec<Event<'a>>,
        html: Option<&Markup<'_>>,
        headings: &mut Vec<Heading>,
    ) -> Result<(), Failed> {
        let mut bodies: HashMap<String, (Vec<Event<'a>>, usize)> = HashMap::new();
        let mut definitions = self.definitions;
        definitions.sort_by_key(|(_, range, _)| std::cmp::Reverse(range.start));
        for (key, range, offset) in definitions {
            let body: Vec<Event<'a>> = events.drain(range).collect();
            // A label defined twice: the first definition counts (drained last, so it wins).
            bodies.insert(key, (body, offset));
        }
        let notes: Vec<(&String, (Vec<Event<'a>>, usize))> = self
            .order
            .iter()
            .filter_map(|key| Some((key, bodies.remove(key)?)))
            .collect();
        let Some(first_offset) = notes.first().map(|(_, (_, offset))| *offset) else {
            return Ok(());
        };
        headings.push(target(LABEL_ID.to_string(), first_offset));
        let mut list = Vec::new();
        for (key, (mut body, offset)) in notes {
            let safe = safe_id(key);
            let id = format!("{PREFIX}fn-{safe}");
            headings.push(target(id.clone(), offset));
            let Some(markup) = html else {
                continue;
            };
            let references = self.counts.get(key).copied().unwrap_or(0);
            let number = self
                .order
                .iter()
                .position(|k| k == key)
                .map_or(0, |i| i + 1);
            let mut back = Vec::new();
            for n in 1..=references {
                let href = format!("#{}", reference_id(&safe, n));
                // Which reference, as `footer.js` names it: the note's number, then `-2`, `-3`, …
                let reference = if n > 1 {
                    format!("{number}-{n}")
                } else {
                    number.to_string()
                };
                back.push(markup.render(
                    "markdown/footnote-backref.html",
                    &serde_json::json!({ "href": href, "n": n, "reference": reference }),
                )?);
            }
            let back = Event::InlineHtml(back.join(" ").into());
            // The links back go inside the last paragraph, as `footer.js` puts them.
            match body
                .iter()
                .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)))
            {
                Some(at) => body.insert(at, back),
                None => body.push(back),
            }
            let (start, end) =
                markup.wrap("markdown/footnote.html", &serde_json::json!({ "id": id }))?;
            list.push(Event::Html(start.into()));
            list.extend(body);
            list.push(Event::Html(end.into()));
        }
        if let Some(markup) = html {
            let (start, end) = markup.wrap("markdown/footnotes.html", &serde_json::json!({}))?;
            events.push(Event::Html(start.into()));
            events.extend(list);
            events.push(Event::Html(end.into()));
        }
        Ok(())
    }
}

/// A link target that no table of contents lists.
fn target(id: String, offset: usize) -> Heading {
    Heading {
        level: 0,
        text: String::new(),
        id,
        offset,
    }
}

/// The id of the `n`th reference (from 1) to a note.
fn reference_id(safe: &str, n: usize) -> String {
    if n > 1 {
        format!("{PREFIX}fnref-{safe}-{n}")
    } else {
        format!("{PREFIX}fnref-{safe}")
    }
}

/// A label as micromark's `normalizeIdentifier` gives it (whitespace runs to one space, trimmed,
/// case folded through lower then upper case), the key notes and references are matched by.
fn normalize(label: &str) -> String {
    label
        .split([' ', '\t', '\n', '\r'])
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .to_uppercase()
}

/// The label in an id: lower-cased and encoded as micromark's `normalizeUri` (ASCII letters,
/// digits and `!#$&'()*+,-./:;=?@_~` kept, a `%` that starts an escape kept, anything else
/// percent-encoded as UTF-8).
fn safe_id(key: &str) -> String {
    let lower = key.to_lowercase();
    let bytes = lower.as_bytes();
    let mut out = String::with_capacity(lower.len());
    for (i, c) in lower.char_indices() {
        let escape = c == '%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_alphanumeric);
        if escape || c.is_ascii_alphanumeric() || "!#$&'()*+,-./:;=?@_~".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_labels_as_micromark_normalises_them() {
        assert_eq!(safe_id(&normalize("Merknad")), "merknad");
        assert_eq!(safe_id(&normalize(" to  ord ")), "to%20ord");
        assert_eq!(safe_id(&normalize("Ærlig")), "%C3%A6rlig");
        assert_eq!(safe_id(&normalize("a%20b")), "a%20b");
        assert_eq!(safe_id(&normalize("100%")), "100%25");
        assert_eq!(safe_id(&normalize("x[y]")), "x%5By%5D");
    }

    #[test]
    fn references_are_numbered_by_first_use_and_counted() {
        let mut notes = Footnotes::default();
        let a = notes.reference("b");
        let b = notes.reference("A");
        let again = notes.reference("B");
        assert_eq!((a.number, b.number, again.number), (1, 2, 1));
        assert_eq!(a.id, "user-content-fnref-b");
        assert_eq!(again.id, "user-content-fnref-b-2");
        assert_eq!(b.href, "#user-content-fn-a");
    }
}
