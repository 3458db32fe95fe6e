//! Build-time syntax highlighting of code blocks with syntect, as CSS classes (so light and dark
//! colour schemes share one HTML). Readers need no JavaScript to read highlighted code.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// A line parsed from a state: (state before, syntect's operations, state after).
type Parsed = (ParseState, Vec<(usize, ScopeStackOp)>, ParseState);

/// Distinct lines each thread remembers before it starts over, the longest line remembered, and
/// the states remembered per line: bounds the memory of a long `serve`.
const MEMO_LINES: usize = 8192;
const MEMO_LINE_BYTES: usize = 240;
const MEMO_STATES: usize = 4;

thread_local! {
    /// Each thread's lines parsed before (see [`Highlighter::parse_line`]).
    static LINES: RefCell<FxHashMap<Box<str>, Vec<Parsed>>> = RefCell::new(FxHashMap::default());
}

/// Holds the loaded grammars; share it between threads.
#[derive(Debug)]
pub struct Highlighter {
    syntaxes: &'static SyntaxSet,
}

impl Default for Highlighter {
    /// The grammars of `two-face` (bat's set: syntect's defaults and more, PowerShell among them),
    /// loaded once per process: loading them costs more than highlighting a small site.
    fn default() -> Self {
        static SYNTAXES: std::sync::OnceLock<SyntaxSet> = std::sync::OnceLock::new();
        Highlighter {
            syntaxes: SYNTAXES.get_or_init(two_face::syntax::extra_newlines),
        }
    }
}

impl Highlighter {
    /// The code as HTML text with highlighting spans when the language is known, else escaped;
    /// the block around it is the theme's (`markdown/code.html`).
    pub fn highlight(&self, lang: &str, code: &str) -> String {
        let token = match lang.to_ascii_lowercase().as_str() {
            "sh" | "shell" | "console" | "zsh" | "curl" => "bash".to_string(),
            "yml" => "yaml".to_string(),
            "jsonc" | "json5" => "json".to_string(),
            "ts" | "typescript" => "js".to_string(),
            "pwsh" | "ps1" | "ps" | "posh" => "powershell".to_string(),
            other => other.to_string(),
        };
        // syntect's regular expressions cost more than linear time on a long line (fuzzing found a
        // 6 KB page taking seconds): such blocks are shown without colours.
        let long_line = code
            .lines()
            .any(|l| l.len() > crate::limits::HIGHLIGHT_LINE_BYTES);
        let syntax = (!token.is_empty() && !long_line)
            .then(|| self.syntax(&token))
            .flatten();
        syntax
            .and_then(|syntax| self.classed(syntax, code))
            .unwrap_or_else(|| escape(code))
    }

    /// What syntect's `ClassedHTMLGenerator` makes of `code` (its markup, from its own
    /// `line_tokens_to_classed_spans`), with each line parsed through [`Highlighter::parse_line`];
    /// `None` if the grammar fails on a line.
    fn classed(&self, syntax: &SyntaxReference, code: &str) -> Option<String> {
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut html = String::with_capacity(code.len() * 4);
        let mut open = 0isize;
        for line in LinesWithEndings::from(code) {
            let ops = self.parse_line(&mut state, line)?;
            let (formatted, delta) =
                line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).ok()?;
            open += delta;
            html.push_str(&formatted);
        }
        // The spans still open are closed, as the generator's `finalize` does.
        if let Ok(open @ 1..) = usize::try_from(open) {
            let close = [(0, ScopeStackOp::Pop(open))];
            let (closing, _) =
                line_tokens_to_classed_spans("", &close, CLASS_STYLE, &mut stack).ok()?;
            html.push_str(&closing);
        }
        Some(html)
    }

    /// syntect's parse of one line from `state` (which it advances), remembered per thread: the
    /// operations are a function of the state before the line and the line alone, and code blocks
    /// repeat lines (the same header, the same closing brace) in the same state across pages.
    /// An exact memo: a line is reused only from an equal state, so the output is unchanged.
    fn parse_line(&self, state: &mut ParseState, line: &str) -> Option<Vec<(usize, ScopeStackOp)>> {
        if line.len() > MEMO_LINE_BYTES {
            return state.parse_line(line, self.syntaxes).ok();
        }
        LINES.with(|lines| {
            let mut lines = lines.borrow_mut();
            if let Some((_, ops, after)) = lines
                .get(line)
                .and_then(|seen| seen.iter().find(|(before, _, _)| before == state))
            {
                *state = after.clone();
                return Some(ops.clone());
            }
            let before = state.clone();
            let ops = state.parse_line(line, self.syntaxes).ok()?;
            if lines.len() >= MEMO_LINES {
                lines.clear();
            }
            let seen = lines.entry(line.into()).or_default();
            if seen.len() < MEMO_STATES {
                seen.push((before, ops.clone(), state.clone()));
            }
            Some(ops)
        })
    }

    /// The grammar of a fence's language token, remembered per token: syntect compares the token
    /// with every grammar's name and extensions, and a site has few distinct tokens.
    fn syntax(&self, token: &str) -> Option<&'static syntect::parsing::SyntaxReference> {
        type Known = std::sync::RwLock<std::collections::HashMap<String, Option<usize>>>;
        static KNOWN: std::sync::OnceLock<Known> = std::sync::OnceLock::new();
        let known = KNOWN.get_or_init(Known::default);
        let all = self.syntaxes.syntaxes();
        if let Some(index) = known.read().ok().and_then(|k| k.get(token).copied()) {
            return index.and_then(|i| all.get(i));
        }
        let found = self.syntaxes.find_syntax_by_token(token);
        let index = found.and_then(|s| all.iter().position(|a| std::ptr::eq(a, s)));
        if let Ok(mut known) = known.write() {
            // Tokens are the site's own words: remember a bounded number of them.
            if known.len() < 4096 {
                known.insert(token.to_string(), index);
            }
        }
        found
    }

    /// The stylesheet for highlighted code: a light theme and a dark one, each applying in its
    /// scheme only — the one the reader chose in the header's switch (`data-theme` on the root
    /// element, see `scheme.js`), else the system's (`prefers-color-scheme`).
    pub fn stylesheet() -> String {
        let themes = ThemeSet::load_defaults();
        let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE)
            .unwrap_or_default();
        let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE)
            .unwrap_or_default();
        // The theme's code background is ours (`--ds-surface`); every token colour is made to reach
        // 4.5:1 against it (WCAG 1.4.3), darker on light and lighter on dark.
        let light = readable(&light, LIGHT_CODE_BACKGROUND, false);
        let dark = readable(&dark, DARK_CODE_BACKGROUND, true);
        // Each scheme's rules apply in that scheme only, so a token the dark theme leaves unstyled
        // takes the page's text colour, not the light theme's. The two conditions of a scheme (chosen,
        // or not overruled and the system's) cannot share one rule, so its rules are written twice.
        format!(
            "/* Generated by intark-docs from syntect themes. */\n{}@media not all and (prefers-color-scheme: dark) {{\n{}}}\n{}@media (prefers-color-scheme: dark) {{\n{}}}\n",
            scoped(&light, CHOSEN_LIGHT),
            scoped(&light, SYSTEM_LIGHT),
            scoped(&dark, CHOSEN_DARK),
            scoped(&dark, SYSTEM_DARK),
        )
    }
}

/// Where the reader chose a scheme, and where the system's scheme holds unless the reader chose the
/// other one. In `:where()`, so a rule keeps the specificity syntect gave it and the theme's own
/// overrides in style.css (the shell's commands and flags) still win over it.
const CHOSEN_LIGHT: &str = ":where(:root[data-theme=\"light\"])";
const SYSTEM_LIGHT: &str = ":where(:root:not([data-theme=\"dark\"]))";
const CHOSEN_DARK: &str = ":where(:root[data-theme=\"dark\"])";
const SYSTEM_DARK: &str = ":where(:root:not([data-theme=\"light\"]))";

/// The rules of `css` with every selector placed under `scope`; comments are left out.
fn scoped(css: &str, scope: &str) -> String {
    let mut plain = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        plain.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    plain.push_str(rest);
    let mut out = String::with_capacity(plain.len() * 2);
    let mut rest = plain.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let selectors: Vec<String> = rest[..open]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{scope} {s}"))
            .collect();
        if !selectors.is_empty() {
            out.push_str(&selectors.join(", "));
            out.push_str(" {");
            out.push_str(&rest[open + 1..close]);
            out.push_str("}\n");
        }
        rest = &rest[close + 1..];
    }
    out
}

/// `--ds-surface` in the light and dark schemes (style.css).
const LIGHT_CODE_BACKGROUND: [u8; 3] = [0xf4, 0xf6, 0xf8];
const DARK_CODE_BACKGROUND: [u8; 3] = [0x1a, 0x23, 0x30];
const MIN_CONTRAST: f64 = 4.6;

fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

/// WCAG contrast ratio of two colours.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The theme's CSS without its backgrounds, with every `color` moved towards black (or white) until
/// it reaches the minimum contrast against `background`.
fn readable(css: &str, background: [u8; 3], dark: bool) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("background-color:") {
            continue;
        }
        let Some(hex) = trimmed
            .strip_prefix("color: #")
            .map(|h| h.trim_end_matches(';'))
            .filter(|h| h.len() == 6)
        else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let parse = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        let mut rgb = [parse(0), parse(2), parse(4)];
        let target = if dark { 255.0 } else { 0.0 };
        let mut steps = 0;
        while contrast(rgb, background) < MIN_CONTRAST && steps < 40 {
            for c in &mut rgb {
                *c = (f64::from(*c) + (target - f64::from(*c)) * 0.1).round() as u8;
            }
            steps += 1;
        }
        out.push_str(&format!(
            " color: #{:02x}{:02x}{:02x};\n",
            rgb[0], rgb[1], rgb[2]
        ));
    }
    out
}

use crate::theme::escape;

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: a block with one line of a few kilobytes took seconds in syntect.
    #[test]
    fn a_block_with_a_very_long_line_is_shown_plain_and_quickly() {
        let h = Highlighter::default();
        let line = "links to your site, shown <i>".repeat(200);
        let started = std::time::Instant::now();
        let html = h.highlight("yaml", &format!("a: 1\n- {line}\n"));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(!html.contains("<span"), "{}", &html[..200]);
        assert!(html.contains("&lt;i&gt;"));
    }

    /// The highlighter's output equals syntect's own generator's, for blocks that end inside open
    /// scopes too, and stays so when the same lines come again from memory in other blocks.
    #[test]
    fn output_equals_syntects_generator_also_for_remembered_lines() {
        use syntect::html::ClassedHTMLGenerator;
        let h = Highlighter::default();
        let blocks = [
            ("bash", "curl -s -X GET \"https://x/v1/a?b=1\" \\\n  -H \"Authorization: Bearer $TOKEN\" \\\n  -H \"Accept: application/json\"\n"),
            ("bash", "curl -s -X GET \"https://x/v1/a?b=2\" \\\n  -H \"Authorization: Bearer $TOKEN\" \\\n  -H \"Accept: application/json\"\n"),
            ("bash", "echo \"unterminated\n  -H \"Accept: application/json\"\n"),
            ("yaml", "a: |\n  -H \"Accept: application/json\"\nb: [1, 2\n"),
            ("json", "{\n  \"a\": [1, {\"b\": \"<c>&'\"}]\n}\n"),
            ("powershell", "$h = @{ A = \"B\" }\nInvoke-RestMethod -Uri https://x -Headers $h\n"),
            ("rust", "fn main() {\n    let s = \"open\n"),
        ];
        for round in 0..2 {
            for (lang, code) in blocks {
                let syntax = h.syntax(lang).unwrap();
                let mut generator =
                    ClassedHTMLGenerator::new_with_class_style(syntax, h.syntaxes, CLASS_STYLE);
                for line in LinesWithEndings::from(code) {
                    generator
                        .parse_html_for_line_which_includes_newline(line)
                        .unwrap();
                }
                assert_eq!(
                    h.highlight(lang, code),
                    generator.finalize(),
                    "round {round}: {lang} {code:?}"
                );
            }
        }
    }

    #[test]
    fn known_language_gets_classes_and_unknown_is_escaped() {
        let h = Highlighter::default();
        let html = h.highlight("bash", "curl -H \"X: 1\" https://x\n");
        assert!(html.contains("hl-"), "{html}");
        let plain = h.highlight("nosuchlang", "<script>\n");
        assert!(plain.contains("&lt;script&gt;"), "{plain}");
        assert!(!plain.contains("hl-"));
    }

    #[test]
    fn powershell_in_each_of_its_names_gets_highlighting_spans() {
        let h = Highlighter::default();
        let code = "$headers = @{ Authorization = \"Bearer $token\" }\nInvoke-RestMethod -Uri https://x -Headers $headers\n";
        for lang in ["powershell", "PowerShell", "ps1", "pwsh"] {
            let html = scraper::Html::parse_fragment(&h.highlight(lang, code));
            let spans = scraper::Selector::parse("span[class^=\"hl-\"]").unwrap();
            let classes: Vec<_> = html
                .select(&spans)
                .filter_map(|s| s.value().attr("class"))
                .collect();
            assert!(
                classes.iter().any(|c| c.contains("powershell")),
                "{lang}: {classes:?}"
            );
            assert!(
                classes.iter().any(|c| c.contains("variable")),
                "{lang}: {classes:?}"
            );
        }
    }

    /// Each scheme's rules: the declarations of every rule under `scope`, by selector.
    fn rules_under(css: &str, scope: &str) -> Vec<(String, String)> {
        let mut rules = Vec::new();
        let mut rest = css;
        while let Some(open) = rest.find('{') {
            let head = rest[..open].rsplit("*/").next().unwrap();
            let head = head.trim_start_matches(|c: char| c == '}' || c.is_whitespace());
            if head.starts_with('@') {
                rest = &rest[open + 1..];
                continue;
            }
            let close = open + rest[open..].find('}').unwrap();
            for selector in head.split(", ") {
                if let Some(bare) = selector.trim().strip_prefix(scope) {
                    rules.push((bare.trim().to_string(), rest[open + 1..close].to_string()));
                }
            }
            rest = &rest[close + 1..];
        }
        rules
    }

    #[test]
    fn stylesheet_has_both_schemes_chosen_and_from_the_system() {
        let css = Highlighter::stylesheet();
        assert!(
            !css.contains("background-color"),
            "the code background is the theme's surface"
        );
        let chosen_light = rules_under(&css, CHOSEN_LIGHT);
        let chosen_dark = rules_under(&css, CHOSEN_DARK);
        assert!(chosen_light.len() > 10, "{css}");
        assert!(chosen_dark.len() > 10, "{css}");
        assert_ne!(chosen_light, chosen_dark);
        // The system's scheme gives the same rules as choosing it.
        assert_eq!(rules_under(&css, SYSTEM_LIGHT), chosen_light);
        assert_eq!(rules_under(&css, SYSTEM_DARK), chosen_dark);
        let (light_part, dark_part) = css.split_once(CHOSEN_DARK).unwrap();
        assert!(light_part.contains("@media not all and (prefers-color-scheme: dark)"));
        assert!(dark_part.contains("@media (prefers-color-scheme: dark)"));
        // No rule escapes its scheme.
        let unscoped: Vec<_> = css
            .lines()
            .filter(|l| l.ends_with('{') && !l.starts_with('@'))
            .flat_map(|l| l.trim_end_matches('{').split(", "))
            .filter(|s| !s.trim_start().starts_with(":where(:root"))
            .collect();
        assert!(unscoped.is_empty(), "{unscoped:?}");
    }

    #[test]
    fn scoping_keeps_every_selector_of_a_list_and_drops_comments() {
        let css = "/* theme */\n.hl-a, .hl-b .hl-c {\n color: #000000;\n}\n.hl-d { font-style: italic; }\n";
        assert_eq!(
            scoped(css, ":where(x)"),
            ":where(x) .hl-a, :where(x) .hl-b .hl-c {\n color: #000000;\n}\n:where(x) .hl-d { font-style: italic; }\n"
        );
    }

    #[test]
    fn every_token_colour_reaches_the_contrast_minimum() {
        let css = Highlighter::stylesheet();
        for (scope, background) in [
            (CHOSEN_LIGHT, LIGHT_CODE_BACKGROUND),
            (SYSTEM_LIGHT, LIGHT_CODE_BACKGROUND),
            (CHOSEN_DARK, DARK_CODE_BACKGROUND),
            (SYSTEM_DARK, DARK_CODE_BACKGROUND),
        ] {
            for (selector, body) in rules_under(&css, scope) {
                for hex in body
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("color: #"))
                {
                    let p = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
                    let ratio = contrast([p(0), p(2), p(4)], background);
                    assert!(ratio >= 4.5, "{scope} {selector}: #{hex} has {ratio:.2}:1");
                }
            }
        }
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 0.01);
    }
}
