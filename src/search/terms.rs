//! Words to index terms: split on anything that is not a letter or digit, lower-case, and stem with
//! Snowball (the `rust-stemmers` crate) when the page's language is Norwegian (`nb`, `nn`, `no`). The
//! theme's search client (`themes/default/static/search.js`) does the same to the query; a test keeps
//! the two stemmers equal.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::sync::Arc;

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
    raw_words(text).map(str::to_lowercase)
}

/// The words of a text as written.
pub fn raw_words(text: &str) -> impl Iterator<Item = &str> + '_ {
    Words { text, at: 0 }
}

/// Runs of letters and digits, found byte by byte: ASCII and Latin-1 letters (nearly all of a
/// Norwegian page) without decoding a `char`, other characters by their Unicode class, as
/// `char::is_alphanumeric` says.
struct Words<'a> {
    text: &'a str,
    at: usize,
}

/// ASCII letters and digits.
const ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Whether the character that starts at byte `i` of `text` (not ASCII) is a letter or digit, and its
/// length in bytes.
#[inline(always)]
fn wide(text: &str, i: usize) -> (bool, usize) {
    let bytes = text.as_bytes();
    // U+00C0..=U+00FF (`0xC3` and a continuation byte): all letters but × and ÷.
    if bytes[i] == 0xC3 {
        if let Some(&next) = bytes.get(i + 1) {
            return (next != 0x97 && next != 0xB7, 2);
        }
    }
    match text[i..].chars().next() {
        Some(c) => (c.is_alphanumeric(), c.len_utf8()),
        None => (false, 1),
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.text;
        let bytes = text.as_bytes();
        let len = bytes.len();
        let mut i = self.at;
        loop {
            while i < len && bytes[i] < 0x80 && !ASCII_WORD[usize::from(bytes[i])] {
                i += 1;
            }
            if i >= len {
                self.at = len;
                return None;
            }
            if ASCII_WORD[usize::from(bytes[i])] {
                break;
            }
            let (word, n) = wide(text, i);
            if word {
                break;
            }
            i += n;
        }
        let start = i;
        loop {
            while i < len && ASCII_WORD[usize::from(bytes[i])] {
                i += 1;
            }
            if i >= len || bytes[i] < 0x80 {
                break;
            }
            let (word, n) = wide(text, i);
            if !word {
                break;
            }
            i += n;
        }
        self.at = i;
        Some(&text[start..i])
    }
}

/// Words whose terms an analyzer remembers before it starts over (bounds a long `serve`).
const MAX_CACHED: usize = 200_000;

/// Turns words into terms with small ids of its own, remembering each word's term (pages repeat
/// their words; stemming and allocating once per distinct word keeps indexing cheap).
pub struct Analyzer {
    /// Which analyzer this is, unique in the process: its ids mean something only with it.
    instance: u64,
    stemmer: Option<Stemmer>,
    /// Word as written → term id (`None`: not indexed).
    cache: FxHashMap<Box<str>, Option<u32>>,
    /// Term → id, and back.
    ids: FxHashMap<Arc<str>, u32>,
    terms: Vec<Arc<str>>,
    lower: String,
}

impl Analyzer {
    /// An analyzer for pages in `lang`.
    pub fn new(lang: &str) -> Analyzer {
        static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Analyzer {
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            stemmer: stemmer_for(lang).map(Stemmer::create),
            cache: FxHashMap::default(),
            ids: FxHashMap::default(),
            terms: Vec::new(),
            lower: String::new(),
        }
    }

    /// Forget what was learnt if it grew large; ids given before are invalid afterwards.
    pub fn trim(&mut self) {
        if self.cache.len() >= MAX_CACHED {
            *self = Analyzer {
                stemmer: self.stemmer.take(),
                ..Analyzer::new("")
            };
        }
    }

    /// The term id of a word as written, or `None` for a word too short or too long to index.
    pub fn id(&mut self, word: &str) -> Option<u32> {
        if let Some(&id) = self.cache.get(word) {
            return id;
        }
        self.lower.clear();
        self.lower.extend(word.chars().flat_map(char::to_lowercase));
        let chars = self.lower.chars().count();
        let id = if (2..=MAX_TERM_CHARS).contains(&chars) {
            let term: Arc<str> = match &self.stemmer {
                Some(stemmer) => stemmer.stem(&self.lower).into(),
                None => self.lower.as_str().into(),
            };
            Some(match self.ids.get(&term) {
                Some(&id) => id,
                None => {
                    let id = self.terms.len() as u32;
                    self.terms.push(term.clone());
                    self.ids.insert(term, id);
                    id
                }
            })
        } else {
            None
        };
        self.cache.insert(word.into(), id);
        id
    }

    /// Which analyzer this is (a new one after [`Analyzer::trim`] started over).
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// The term with an id.
    pub fn name(&self, id: u32) -> &Arc<str> {
        &self.terms[id as usize]
    }

    /// The term of a word (for tests and single lookups).
    pub fn term(&mut self, word: &str) -> Option<&str> {
        let id = self.id(word)?;
        Some(self.name(id))
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

    /// The byte scanner splits as `char::is_alphanumeric` does, non-ASCII letters, digits and
    /// spaces included.
    #[test]
    fn words_split_like_char_is_alphanumeric() {
        for text in [
            "",
            " ",
            "a",
            "æøå ÆØÅ-x",
            "Tilgang\u{a0}til\u{2003}API-er: v2½ ٣٤ 漢字 naïve e\u{301}",
            "--ab--",
            "ab\u{1F600}cd",
            "×÷ À×Ö÷ø ÿ\u{bf}\u{c0}",
        ] {
            let expected: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(raw_words(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn short_and_overlong_words_are_not_terms() {
        let mut a = Analyzer::new("en");
        assert_eq!(a.term("a"), None);
        assert_eq!(a.term(&"b".repeat(41)), None);
        assert_eq!(a.term("ok"), Some("ok"));
    }
}
