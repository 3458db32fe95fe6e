//! Heading ids, with the rules of the GitHub slugger that Docusaurus uses.
//!
//! Lowercase; letters (Norwegian `æøå` included), digits, `-` and `_` kept; spaces become `-`; all
//! other punctuation dropped; repeated ids get `-1`, `-2`, ... Pure functions, no I/O.

use std::collections::HashMap;

/// The slug of one heading text, without de-duplication.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Hands out unique ids for the headings of one page.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// Reserve an id chosen by the writer (`{#id}`), so generated ids avoid it.
    pub fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    /// A unique id for a heading text: `x`, then `x-1`, `x-2`, ...
    pub fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        let mut candidate = base.clone();
        while let Some(count) = self.seen.get_mut(&candidate) {
            *count += 1;
            candidate = format!("{base}-{count}");
            if !self.seen.contains_key(&candidate) {
                break;
            }
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_norwegian_letters_and_drops_punctuation() {
        assert_eq!(
            slugify("Hvordan verifisere at API-et fungerer:"),
            "hvordan-verifisere-at-api-et-fungerer"
        );
        assert_eq!(
            slugify("Meldingskø og Ærlig Åpenhet"),
            "meldingskø-og-ærlig-åpenhet"
        );
        assert_eq!(
            slugify("Hva er `X-Gravitee-Api-Key`?"),
            "hva-er-x-gravitee-api-key"
        );
        assert_eq!(slugify("1. Steg  to"), "1-steg--to");
    }

    #[test]
    fn duplicates_get_numbered_suffixes() {
        let mut slugger = Slugger::default();
        assert_eq!(slugger.slug("Eksempel"), "eksempel");
        assert_eq!(slugger.slug("Eksempel"), "eksempel-1");
        assert_eq!(slugger.slug("Eksempel"), "eksempel-2");
        assert_eq!(slugger.slug("Eksempel 1"), "eksempel-1-1");
    }

    #[test]
    fn reserved_custom_ids_are_not_reused() {
        let mut slugger = Slugger::default();
        slugger.reserve("oppsett");
        assert_eq!(slugger.slug("Oppsett"), "oppsett-1");
    }
}
