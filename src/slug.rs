//! Heading ids, with the rules of the GitHub slugger that Docusaurus uses.
//!
//! As github-slugger (`script/generate-regex.mjs`, used by Docusaurus's `@docusaurus/utils`
//! `createSlugger`): lowercase, then drop every character of the Unicode categories Other_Number,
//! punctuation (except connector punctuation such as `_` and the plain `-`), symbols, controls,
//! private use, format, unassigned and separators (except the plain space) unless it is
//! Alphabetic; each space becomes `-`. Letters, combining marks (a decomposed `å`, an emoji's
//! variation selector U+FE0F), digits and `_` stay. Repeated ids get `-1`, `-2`, ... Pure
//! functions, no I/O.

use std::collections::HashMap;
use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// The slug of one heading text, without de-duplication.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c == ' ' {
            out.push('-');
        } else if c == '-' || c.is_alphabetic() || !github_drops(c) {
            out.push(c);
        }
    }
    out
}

/// Whether github-slugger's generated expression removes a (non-Alphabetic) character.
fn github_drops(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::OtherNumber
            | Gc::ClosePunctuation
            | Gc::FinalPunctuation
            | Gc::InitialPunctuation
            | Gc::OpenPunctuation
            | Gc::OtherPunctuation
            | Gc::DashPunctuation
            | Gc::MathSymbol
            | Gc::CurrencySymbol
            | Gc::ModifierSymbol
            | Gc::OtherSymbol
            | Gc::Control
            | Gc::PrivateUse
            | Gc::Format
            | Gc::Unassigned
            | Gc::Surrogate
            | Gc::SpaceSeparator
            | Gc::LineSeparator
            | Gc::ParagraphSeparator
    )
}

/// How heading ids are made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// GitHub's slugger, as Docusaurus and Hugo (by default) use it.
    #[default]
    Github,
    /// Hugo's `github-ascii`: as GitHub, with non-ASCII letters folded or dropped.
    GithubAscii,
    /// Hugo's `blackfriday`: runs of anything but letters and digits become one `-`.
    Blackfriday,
    /// Docusaurus 3: as GitHub, on the heading's text as remark sees it, where a text directive
    /// (`:name`, from `remark-directive`, which Docusaurus enables for admonitions) is not text:
    /// `UiO:IntArk - 2010` has the id `uio---2010`; `:name[label]` keeps its label.
    Docusaurus,
}

/// The slug of a heading text in a style.
pub fn slugify_with(style: Style, text: &str) -> String {
    match style {
        Style::Github => slugify(text),
        Style::GithubAscii => slugify(text).chars().filter_map(fold_ascii).collect(),
        Style::Docusaurus => slugify(&without_text_directives(text)),
        Style::Blackfriday => dash_joined(
            text.trim().chars().flat_map(char::to_lowercase),
            char::is_alphanumeric,
        ),
    }
}

/// The runs of characters that `keep` accepts, joined by one `-` (no dash at either end): the slug
/// shape of Hugo's Blackfriday ids and of Jekyll's `slugify`.
pub fn dash_joined(chars: impl Iterator<Item = char>, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in chars {
        if keep(c) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// Heading text without its text directives, as micromark-extension-directive parses them: a `:`
/// not after another `:`, a name (an ASCII letter, then letters, digits, `-`, `_`), an optional
/// `[label]` (kept as text) and an optional `{attributes}` (dropped).
fn without_text_directives(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts = c == ':'
            && (i == 0 || chars[i - 1] != ':')
            && chars.get(i + 1).is_some_and(char::is_ascii_alphabetic);
        if !starts {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        while chars
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        {
            i += 1;
        }
        if chars.get(i) == Some(&'[') {
            if let Some(end) = chars[i..].iter().position(|c| *c == ']') {
                out.extend(&chars[i + 1..i + end]);
                i += end + 1;
            }
        }
        if chars.get(i) == Some(&'{') {
            if let Some(end) = chars[i..].iter().position(|c| *c == '}') {
                i += end + 1;
            }
        }
    }
    out
}

/// Latin letters with diacritics to their base letter; other non-ASCII characters dropped.
fn fold_ascii(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ý' | 'ÿ' => 'y',
        _ => return None,
    };
    Some(base)
}

/// Hands out unique ids for the headings of one page.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
    style: Style,
}

impl Slugger {
    /// Reserve an id chosen by the writer (`{#id}`), so generated ids avoid it.
    pub fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    /// A slugger of a style.
    pub fn with_style(style: Style) -> Slugger {
        Slugger {
            style,
            ..Slugger::default()
        }
    }

    /// A unique id for a heading text: `x`, then `x-1`, `x-2`, ...
    pub fn slug(&mut self, text: &str) -> String {
        let base = slugify_with(self.style, text);
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
    fn hugo_styles() {
        assert_eq!(
            slugify_with(Style::GithubAscii, "Nøkler på Åpen kø"),
            "nkler-pa-apen-k"
        );
        assert_eq!(
            slugify_with(Style::Blackfriday, "Hva er `X-Gravitee-Api-Key`?  Svar!"),
            "hva-er-x-gravitee-api-key-svar"
        );
        assert_eq!(slugify_with(Style::Github, "Om API-et"), "om-api-et");
    }

    #[test]
    fn marks_are_kept_as_github_slugger_keeps_them() {
        // A decomposed `å` (a + U+030A) keeps its ring, as in Docusaurus's build.
        assert_eq!(slugify("Ma\u{30a}l og tiltak"), "ma\u{30a}l-og-tiltak");
        // An emoji is dropped, its variation selector (a mark) stays.
        assert_eq!(slugify("\u{2705}\u{fe0f} Ferdig"), "\u{fe0f}-ferdig");
        // Connector punctuation stays, other numbers and no-break spaces go.
        assert_eq!(slugify("a_b x\u{b2}\u{a0}y"), "a_b-xy");
    }

    #[test]
    fn docusaurus_drops_text_directives_from_ids() {
        // As Docusaurus 3.10 built the real corpus (om/bakgrunn.md).
        assert_eq!(
            slugify_with(Style::Docusaurus, "UiO:IntArk - 2010-2019"),
            "uio---2010-2019"
        );
        assert_eq!(slugify_with(Style::Docusaurus, "Kl. 10:30"), "kl-1030");
        assert_eq!(
            slugify_with(Style::Docusaurus, "Se :abbr[API]{title=x} her"),
            "se-api-her"
        );
        assert_eq!(slugify_with(Style::Docusaurus, "a::b"), "ab");
    }

    #[test]
    fn reserved_custom_ids_are_not_reused() {
        let mut slugger = Slugger::default();
        slugger.reserve("oppsett");
        assert_eq!(slugger.slug("Oppsett"), "oppsett-1");
    }
}
