//! Words to index terms: split on anything that is not a letter or digit, lower-case, and stem with
//! Snowball (the `rust-stemmers` crate) when the page's language is Norwegian (`nb`, `nn`, `no`). The
//! theme's search client (`themes/default/static/search.js`) does the same to the query; a test keeps
//! the two stemmers equal.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;

/// Longest term kept, in characters (longer runs are ids, hashes or base64, not words).
pub const MAX_TERM_CHARS: usize = 40;

/// The stemmer for a language tag, if we stem it. Any tag is accepted: only its first subtag counts.
pub fn stemmer_for(lang: &str) -> Option<Algorithm> {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    if ["nb", "nn", "no"]
        .iter()
        .any(|l| primary.eq_ignore_ascii_case(l))
    {
        Some(Algorithm::Norwegian)
    } else {
        None
    }
}

/// The words of a text, in order: runs of letters and digits, lower-cased.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Turns lower-cased words into terms, remembering each word's stem (a page repeats its words).
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    cache: HashMap<String, Option<String>>,
}

impl Analyzer {
    /// An analyzer for pages in `lang`.
    pub fn new(lang: &str) -> Analyzer {
        Analyzer {
            stemmer: stemmer_for(lang).map(Stemmer::create),
            cache: HashMap::new(),
        }
    }

    /// The term of a lower-cased word, or `None` for a word too short or too long to index.
    pub fn term(&mut self, word: &str) -> Option<&str> {
        if !self.cache.contains_key(word) {
            let chars = word.chars().count();
            let term = (2..=MAX_TERM_CHARS)
                .contains(&chars)
                .then(|| match &self.stemmer {
                    Some(stemmer) => stemmer.stem(word).into_owned(),
                    None => word.to_string(),
                });
            self.cache.insert(word.to_string(), term);
        }
        self.cache.get(word).and_then(|t| t.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_inflections_share_a_stem() {
        let mut a = Analyzer::new("nb");
        let tilgang = a.term("tilgang").map(str::to_string);
        assert_eq!(a.term("tilganger").map(str::to_string), tilgang);
        assert_eq!(a.term("tilgangen").map(str::to_string), tilgang);
        let notifikasjon = a.term("notifikasjon").map(str::to_string);
        assert_eq!(a.term("notifikasjonene").map(str::to_string), notifikasjon);
        assert_eq!(a.term("notifikasjoner").map(str::to_string), notifikasjon);
    }

    #[test]
    fn languages_by_primary_subtag_any_length() {
        assert_eq!(stemmer_for("nn-NO"), Some(Algorithm::Norwegian));
        assert_eq!(stemmer_for("NB"), Some(Algorithm::Norwegian));
        assert_eq!(stemmer_for("en"), None);
        assert_eq!(stemmer_for(&"x".repeat(400)), None);
        assert_eq!(stemmer_for(""), None);
    }

    #[test]
    fn words_split_on_punctuation_and_lower_case() {
        let w: Vec<String> = words("X-Gravitee-Api-Key: ØKONOMI, v1/ansatte").collect();
        assert_eq!(
            w,
            ["x", "gravitee", "api", "key", "økonomi", "v1", "ansatte"]
        );
    }

    #[test]
    fn short_and_overlong_words_are_not_terms() {
        let mut a = Analyzer::new("en");
        assert_eq!(a.term("a"), None);
        assert_eq!(a.term(&"b".repeat(41)), None);
        assert_eq!(a.term("ok"), Some("ok"));
    }
}
