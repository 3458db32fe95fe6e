//! Finding TODO words in a piece of text: whole words, case-sensitive.

use memchr::memmem::Finder;

/// One marker found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'w> {
    /// Byte offset of the word in the text searched.
    pub offset: usize,
    /// The word.
    pub word: &'w str,
    /// The rest of the line after the word, tidied.
    pub text: String,
}

/// The TODO words to look for, and whether case matters.
#[derive(Debug, Clone)]
pub struct Words {
    list: Vec<String>,
    ignore_case: bool,
    /// A searcher per word of `list`, built once: the pass searches every text of every page.
    finders: Vec<Finder<'static>>,
}

impl PartialEq for Words {
    fn eq(&self, other: &Words) -> bool {
        self.list == other.list && self.ignore_case == other.ignore_case
    }
}

impl Eq for Words {}

impl Words {
    /// Words matched as written, or (with `ignore_case`) in any ASCII case.
    pub fn new(list: &[String], ignore_case: bool) -> Words {
        let list = list
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| {
                if ignore_case {
                    w.to_ascii_lowercase()
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<String>>();
        let finders = list
            .iter()
            .map(|w| Finder::new(w.as_bytes()).into_owned())
            .collect();
        Words {
            list,
            ignore_case,
            finders,
        }
    }

    /// All whole-word occurrences in `text`.
    pub fn find(&self, text: &str) -> Vec<Found<'_>> {
        if self.ignore_case {
            // ASCII lowercasing keeps every byte offset.
            let lower = text.to_ascii_lowercase();
            let mut found = find_with(&lower, &self.list, &self.finders);
            for f in &mut found {
                let end = (f.offset + f.word.len()).min(text.len());
                let line_end = super::text::find_from(text, end, "\n").unwrap_or(text.len());
                f.text = tidy(super::text::between(text, end, line_end));
            }
            return found;
        }
        find_with(text, &self.list, &self.finders)
    }
}

impl Default for Words {
    fn default() -> Self {
        Words::new(&crate::config::CheckConfig::default().todo_words, false)
    }
}

/// All whole-word occurrences of any of `words` in `text`.
pub fn find<'w>(text: &str, words: &'w [String]) -> Vec<Found<'w>> {
    let finders: Vec<_> = words.iter().map(|w| Finder::new(w.as_bytes())).collect();
    find_with(text, words, &finders)
}

/// [`find`] with a searcher per word (`finders[i]` finds `words[i]`). A word found in valid UTF-8
/// starts and ends on character boundaries, so byte offsets slice `text` safely.
fn find_with<'w>(text: &str, words: &'w [String], finders: &[Finder<'_>]) -> Vec<Found<'w>> {
    let mut found = Vec::new();
    for (word, finder) in words.iter().zip(finders).filter(|(w, _)| !w.is_empty()) {
        let mut from = 0;
        while let Some(i) = finder.find(&text.as_bytes()[from..]) {
            let at = from + i;
            from = at + word.len();
            let mut back = text[..at].chars().rev();
            let before = back.next();
            // `\nTODO` in a quoted YAML value: the escape ends a word.
            let escaped =
                before.is_some_and(|c| matches!(c, 'n' | 't' | 'r')) && back.next() == Some('\\');
            let mut ahead = text[from..].chars();
            let after = ahead.next();
            // `TODO-markør` is a compound word about markers, not a marker.
            let compound = after == Some('-') && ahead.next().is_some_and(char::is_alphanumeric);
            if (before.is_some_and(is_word_char) && !escaped)
                || after.is_some_and(is_word_char)
                || compound
            {
                continue;
            }
            let line_end = text[from..].find('\n').map_or(text.len(), |n| from + n);
            found.push(Found {
                offset: at,
                word,
                text: tidy(&text[from..line_end]),
            });
        }
    }
    found.sort_by_key(|f| f.offset);
    found
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn tidy(rest: &str) -> String {
    let rest = rest.trim();
    let rest = rest.strip_suffix("-->").unwrap_or(rest).trim();
    rest.trim_start_matches([':', '*', ']', ')', '-', ' ', '\\'])
        .trim_end_matches(['*', '\\', '"'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Vec<String> {
        vec!["TODO".into(), "FIXME".into(), "TBD".into()]
    }

    #[test]
    fn whole_words_only_and_case_sensitive() {
        let w = words();
        let hits: Vec<_> = find("TODOS todo TODO_X xTODO **TODO** TBD.", &w)
            .iter()
            .map(|f| f.word)
            .collect();
        assert_eq!(hits, ["TODO", "TBD"]);
    }

    #[test]
    fn escapes_end_words_and_compounds_are_not_markers() {
        let w = words();
        let hits: Vec<_> = find(r#"description: "API.\n\nTODO: lages""#, &w)
            .iter()
            .map(|f| f.text.clone())
            .collect();
        assert_eq!(hits, ["lages"]);
        assert!(find("en TODO-markør er ingen markør", &w).is_empty());
        assert_eq!(find("TODO - fiks", &w).len(), 1);
    }

    #[test]
    fn instance_placeholder_xxx_is_not_a_todo() {
        assert!(find("https://gw-XXX.intark.uh-it.no/", &words()).is_empty());
    }

    #[test]
    fn ignore_case_keeps_offsets_and_original_text() {
        let words = Words::new(&["TODO".to_string()], true);
        let found = words.find("ærlig todo: Skriv Mer");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].offset, "ærlig ".len());
        assert_eq!(found[0].text, "Skriv Mer");
        assert!(Words::new(&["TODO".to_string()], false)
            .find("todo")
            .is_empty());
    }

    /// The search as it was, one `str::find` per word and occurrence: what the searchers built
    /// once must find exactly.
    fn find_by_str<'w>(text: &str, words: &'w [String]) -> Vec<(usize, &'w str, String)> {
        let mut found = Vec::new();
        for word in words.iter().filter(|w| !w.is_empty()) {
            let mut from = 0;
            while let Some(i) = text[from..].find(word.as_str()) {
                let at = from + i;
                from = at + word.len();
                let mut back = text[..at].chars().rev();
                let before = back.next();
                let escaped = before.is_some_and(|c| matches!(c, 'n' | 't' | 'r'))
                    && back.next() == Some('\\');
                let mut ahead = text[from..].chars();
                let after = ahead.next();
                let compound =
                    after == Some('-') && ahead.next().is_some_and(char::is_alphanumeric);
                if (before.is_some_and(is_word_char) && !escaped)
                    || after.is_some_and(is_word_char)
                    || compound
                {
                    continue;
                }
                let line_end = text[from..].find('\n').map_or(text.len(), |n| from + n);
                found.push((at, word.as_str(), tidy(&text[from..line_end])));
            }
        }
        found.sort_by_key(|f| f.0);
        found
    }

    #[test]
    fn searchers_built_once_find_what_str_find_found() {
        let texts = [
            "",
            "TODO",
            "TODOTODO TODO",
            "TBDTBD TBD TBD",
            "ærø TODO: å fikse\nTBD ø",
            "FIXME\\nTODO: x\nFIXME-y FIXME- z",
            "ТODO (kyrillisk T) TODO\u{301} TODO",
            "todo Todo tOdO TODO todo",
            "<!-- TODO: a --> TBD: b\n**FIXME** c",
        ];
        for ignore_case in [false, true] {
            for list in [words(), vec!["TODO".into(), "TO".into(), "DO".into()]] {
                let w = Words::new(&list, ignore_case);
                for text in texts {
                    let got: Vec<_> = w
                        .find(text)
                        .into_iter()
                        .map(|f| (f.offset, f.word, f.text))
                        .collect();
                    let lower = text.to_ascii_lowercase();
                    let mut expected =
                        find_by_str(if ignore_case { &lower } else { text }, &w.list);
                    if ignore_case {
                        for e in &mut expected {
                            let end = e.0 + e.1.len();
                            let line_end = text[end..].find('\n').map_or(text.len(), |n| end + n);
                            e.2 = tidy(&text[end..line_end]);
                        }
                    }
                    assert_eq!(got, expected, "{text:?} {list:?} {ignore_case}");
                }
            }
        }
    }

    #[test]
    fn message_is_the_rest_of_the_line() {
        let w = words();
        let f = find("<!-- - TODO: lover og reglar -->\nneste", &w);
        assert_eq!(f[0].text, "lover og reglar");
        assert_eq!(f[0].offset, 7);
    }
}
