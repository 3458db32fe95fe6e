//! Link syntax gone wrong: text that a writer meant as a link but Markdown left as text.
//!
//! `se her(https://…)` (no brackets), `[tekst] (url)` (a space between), `[tekst][ref]` with no
//! definition of `ref`. Runs over the source of contiguous text, so the offsets are exact.

use crate::model::Suspect;

/// Scan `slice` (which starts at `start` in the rewritten text) and record suspects.
pub(super) fn scan(
    slice: &str,
    start: usize,
    to_source: &dyn Fn(usize) -> usize,
    out: &mut Vec<Suspect>,
) {
    let bytes = slice.as_bytes();
    for (i, _) in slice.match_indices("(http") {
        let before = slice[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric()) {
            // After the last character that is not part of the word (it may be several bytes long).
            let word_start = slice[..i]
                .char_indices()
                .rev()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(0, |(w, c)| w + c.len_utf8());
            out.push(Suspect {
                rule: "malformed-link",
                offset: to_source(start + word_start),
                message: format!(
                    "`{}(http…` looks like a link without brackets; write `[{}](http…)`",
                    &slice[word_start..i],
                    &slice[word_start..i]
                ),
                tally: None,
            });
        }
    }
    // The last `[` and `]` seen, kept while scanning (a search back from every `]` would be
    // quadratic on a long line of brackets).
    let mut last_open = None;
    let mut last_close: Option<usize> = None;
    for (i, bracket) in slice.match_indices(['[', ']']) {
        if bracket == "[" {
            last_open = Some(i);
            continue;
        }
        let previous_close = last_close.replace(i);
        let rest = &slice[i + 1..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let Some(open) = last_open else {
            continue;
        };
        if previous_close.is_some_and(|c| c > open) || i == open + 1 {
            continue;
        }
        if spaces > 0 && rest[spaces..].starts_with('(') && !rest[spaces..].starts_with("()") {
            out.push(Suspect {
                rule: "malformed-link",
                offset: to_source(start + open),
                message: "`[text] (url)` has a space between `]` and `(`, so it is not a link; remove the space".into(),
                tally: None,
            });
        } else if spaces == 0 && rest.starts_with('[') && bytes.get(i + 2) != Some(&b']') {
            if let Some(close) = rest.find(']') {
                out.push(Suspect {
                    rule: "malformed-link",
                    offset: to_source(start + open),
                    message: format!(
                        "reference `[{}]` is not defined; add `[{}]: URL` or write an inline link",
                        &rest[1..close],
                        &rest[1..close]
                    ),
                    tally: None,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Suspect> {
        let mut out = Vec::new();
        scan(text, 0, &|o| o, &mut out);
        out
    }

    /// Found by fuzzing: a multi-byte character before the word made the word start fall inside it.
    #[test]
    fn a_word_after_a_multibyte_character_is_cut_at_a_character_boundary() {
        let found = run("TO\u{fffd}å(https://lunrjs.com) x");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].offset, "TO\u{fffd}".len());
        assert!(found[0].message.contains("`å(http"), "{}", found[0].message);
    }

    /// Found by fuzzing: every `]` searched back for its `[`, quadratic on a long line of brackets.
    #[test]
    fn a_long_line_of_brackets_is_scanned_in_linear_time() {
        let line = "x] ".repeat(200_000) + "[a] (https://x.no)";
        let started = std::time::Instant::now();
        let found = run(&line);
        assert_eq!(found.len(), 1);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn link_without_brackets() {
        let found = run("se her(https://x.no) for mer");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].offset, 3);
        assert!(run("Videotutorial: (https://vimeo.com/1)").is_empty());
    }

    #[test]
    fn space_between_brackets_and_parenthesis() {
        let found = run("les [veilederen] (https://x.no)");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].offset, 4);
    }

    #[test]
    fn undefined_reference() {
        let found = run("se [teksten][mangler] her");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("mangler"));
        assert!(run("a [x] b [y] c").is_empty());
    }
}
