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
            let word_start = slice[..i]
                .rfind(|c: char| !c.is_alphanumeric())
                .map_or(0, |w| w + 1);
            out.push(Suspect {
                rule: "malformed-link",
                offset: to_source(start + word_start),
                message: format!(
                    "`{}(http…` looks like a link without brackets; write `[{}](http…)`",
                    &slice[word_start..i],
                    &slice[word_start..i]
                ),
            });
        }
    }
    for (i, _) in slice.match_indices(']') {
        let rest = &slice[i + 1..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let Some(open) = slice[..i].rfind('[') else {
            continue;
        };
        if slice[open + 1..i].contains(']') || i == open + 1 {
            continue;
        }
        if spaces > 0 && rest[spaces..].starts_with('(') && !rest[spaces..].starts_with("()") {
            out.push(Suspect {
                rule: "malformed-link",
                offset: to_source(start + open),
                message: "`[text] (url)` has a space between `]` and `(`, so it is not a link; remove the space".into(),
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
