//! Small templates rendered once and reused: a *cut* is the output of a template rendered with a
//! marker in place of each per-use value (a *slot*), split at the markers.
//!
//! Page bodies render a template per heading, code block and table (tens of thousands per build).
//! Most of what those renders compute is the same every time; only a heading's id and text or a
//! block's code differ. [`Templates::render_slots`](super::Templates::render_slots) renders a
//! default-theme template once per template, language and fixed fields, then fills the slots of
//! the cut in Rust, escaping each value with the escape function Tera would have used. A site's own
//! template is rendered whole every time: it may do anything with its values.

use std::sync::Arc;

/// The marker for slot `i`: private-use characters that HTML escaping leaves as they are.
fn marker(i: usize) -> String {
    format!("\u{e000}intark-slot-{i}\u{e001}")
}

/// One slot of a template: the context key, the value, and whether the template writes the value
/// unescaped (`{{ code | safe }}`) rather than escaped (`{{ id }}`).
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    /// The context key the template reads (`id`).
    pub key: &'a str,
    /// This use's value.
    pub value: &'a str,
    /// The template writes the value unescaped (`| safe`).
    pub raw: bool,
}

#[derive(Debug)]
enum Piece {
    Text(String),
    Slot(usize),
}

/// A template's output cut at its slots' markers.
#[derive(Debug)]
pub struct Cut(Vec<Piece>);

impl Cut {
    /// The context values that stand in for the slots while the cut is rendered.
    pub fn markers(slots: &[Slot<'_>]) -> Vec<(String, String)> {
        slots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.to_string(), marker(i)))
            .collect()
    }

    /// Cut `rendered` (the template's output with [`Cut::markers`] as values) at the markers.
    pub fn new(rendered: &str, slots: usize) -> Arc<Cut> {
        let mut pieces = vec![Piece::Text(rendered.to_string())];
        for i in 0..slots {
            let marker = marker(i);
            pieces = pieces
                .into_iter()
                .flat_map(|piece| match piece {
                    Piece::Text(text) if text.contains(&marker) => {
                        let mut out = Vec::new();
                        for (n, part) in text.split(&marker).enumerate() {
                            if n > 0 {
                                out.push(Piece::Slot(i));
                            }
                            out.push(Piece::Text(part.to_string()));
                        }
                        out
                    }
                    other => vec![other],
                })
                .collect();
        }
        Arc::new(Cut(pieces))
    }

    /// The output for these slot values, each escaped with `escape` unless it is raw.
    pub fn fill(&self, slots: &[Slot<'_>], escape: fn(&str) -> String) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Slot(i) => match slots.get(*i) {
                    Some(slot) if slot.raw => out.push_str(slot.value),
                    Some(slot) => out.push_str(&escape(slot.value)),
                    None => {}
                },
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_fills_every_occurrence_of_each_slot() {
        let slots = [
            Slot {
                key: "id",
                value: "a&b",
                raw: false,
            },
            Slot {
                key: "body",
                value: "<b>x</b>",
                raw: true,
            },
        ];
        let m = Cut::markers(&slots);
        let rendered = format!(
            "<h2 id=\"{0}\">{1}<a href=\"#{0}\">#</a></h2>",
            m[0].1, m[1].1
        );
        let cut = Cut::new(&rendered, slots.len());
        assert_eq!(
            cut.fill(&slots, crate::theme::escape),
            "<h2 id=\"a&amp;b\"><b>x</b><a href=\"#a&amp;b\">#</a></h2>"
        );
    }
}
