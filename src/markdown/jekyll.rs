//! Jekyll markup: Liquid variables (`{{ site.baseurl }}`, `{{ page.url }}`), Liquid tags (`{% raw %}`;
//! others are left out and reported) and kramdown's `{:toc}` and attribute lists, through the shared
//! [`Builder`].

use super::components::TOC_MARKER;
use super::rewrite::{Brace, Builder, Env, Found};
use super::text;

/// Inside `{% raw %}` … `{% endraw %}`.
#[derive(Debug, Default)]
pub(super) struct State {
    raw: bool,
    /// Inside kramdown's `{::comment}` … `{:/comment}`.
    comment: bool,
}

impl State {
    /// Whether the next line belongs to a construct opened before it (a kramdown comment).
    pub(super) fn busy(&self) -> bool {
        self.comment
    }
}

/// Whether a line may hold Liquid or kramdown (cheap test before the real work); on a Jekyll site
/// also an HTML line that kramdown ends a block with ([`html_line`]).
pub(super) fn candidate(line: &str, env: &Env<'_>) -> bool {
    line.contains("{{")
        || line.contains("{%")
        || line.contains("{:")
        || line.trim() == "* TOC"
        || abbreviation(line)
        || (env.liquid.is_some() && html_boundary(line))
}

/// An opening tag with `markdown="1"` (kramdown parses its content as Markdown) or a closing tag
/// alone on its line (kramdown ends the HTML block there).
fn html_boundary(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with('<') && t.ends_with('>') && t.contains("markdown=\"1\""))
        || (t.starts_with("</") && t.ends_with('>') && !t[2..].contains('<'))
}

/// kramdown on a Jekyll site: a blank line after an HTML boundary line, so that CommonMark ends the
/// HTML block there too and parses the Markdown after it (a fence after `</div>`, the content of
/// `<div markdown="1">`).
fn html_line(b: &mut Builder, offset: usize, line: &str) {
    b.verbatim(offset, line);
    let eol = if line.ends_with('\n') { "\n" } else { "\n\n" };
    b.replace(offset + line.len(), 0, eol);
}

/// Tags that start an HTML block in CommonMark which a blank line ends (type 6), and that kramdown
/// keeps whole up to their end tag.
const BLOCK_TAGS: [&str; 22] = [
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "form",
    "header",
    "main",
    "nav",
    "ol",
    "section",
    "table",
    "tbody",
    "thead",
    "tr",
    "ul",
];

/// How often `<tag` opens and `</tag` closes in a lower-cased line.
fn tag_balance(lower: &str, tag: &str) -> i64 {
    let count = |needle: &str| {
        lower
            .match_indices(needle)
            .filter(|(i, m)| {
                lower[i + m.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
            })
            .count() as i64
    };
    count(&format!("<{tag}")) - count(&format!("</{tag}"))
}

/// kramdown keeps an HTML element that starts a line as one block up to its end tag, blank lines
/// and all (unless `parse_block_html` is set); CommonMark ends the HTML block at the first blank
/// line and reads the rest as Markdown, indented lines as code (jekyll/jekyll's filter table lost
/// its `<p id>` targets that way). The length of such an element from the start of `rest`, up to
/// the end of the line that closes it, on a Jekyll site when it holds a blank line; `None` when it
/// is not one, is never closed, or holds `markdown="1"`.
pub(super) fn html_element_len(rest: &str, env: &Env<'_>) -> Option<usize> {
    const MAX: usize = 256 * 1024;
    let (liquid, _) = env.liquid?;
    if liquid.parses_block_html() {
        return None;
    }
    let first = rest.split_inclusive('\n').next()?;
    let t = first.trim_start_matches(' ');
    let name: String = t
        .strip_prefix('<')?
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if first.len() - t.len() > 3 || !BLOCK_TAGS.contains(&name.as_str()) {
        return None;
    }
    let (mut depth, mut len, mut blank) = (0, 0, false);
    for line in rest.split_inclusive('\n') {
        let lower = line.to_ascii_lowercase();
        if lower.contains("markdown=") || len > MAX {
            return None;
        }
        depth += tag_balance(&lower, &name);
        len += line.len();
        if depth <= 0 {
            return blank.then_some(len);
        }
        blank |= line.trim().is_empty();
    }
    None
}

/// Write an element [`html_element_len`] found: a blank line inside it becomes an empty HTML
/// comment, so CommonMark keeps one HTML block as kramdown does; Liquid and kramdown on its lines are
/// rewritten as elsewhere.
pub(super) fn html_element(
    b: &mut Builder,
    offset: usize,
    element: &str,
    state: &mut State,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) {
    let mut at = offset;
    let mut lines = element.split_inclusive('\n').peekable();
    while let Some(l) = lines.next() {
        let last = lines.peek().is_none();
        if l.trim().is_empty() {
            b.replace(at, l.len(), "<!-- -->\n");
        } else if (last && candidate(l, env)) || candidate(l, &Env::default()) {
            line(b, at, l, state, env, found);
        } else {
            b.verbatim(at, l);
        }
        at += l.len();
    }
}

/// kramdown: a block attribute list on the line right after an ATX heading (`## 4.4.1` then
/// `{: #v4-4-1}`) gives the heading its id, as kramdown applies a block IAL to the block before it.
/// The heading is written with CommonMark's heading attribute (`## 4.4.1 {#v4-4-1}`) and the list
/// line is dropped. Returns the length of the list line when it was used (Jekyll sites only).
pub(super) fn heading_attributes(
    b: &mut Builder,
    offset: usize,
    line: &str,
    next: Option<&str>,
    env: &Env<'_>,
) -> Option<usize> {
    env.liquid.as_ref()?;
    let next = next?;
    let heading = line.trim_end_matches(['\n', '\r']);
    let hashes = heading.len() - heading.trim_start_matches('#').len();
    let atx = (1..=6).contains(&hashes) && heading[hashes..].starts_with([' ', '\t']);
    if !atx || heading.contains('{') {
        return None;
    }
    let attrs = next.trim().strip_prefix("{:")?.strip_suffix('}')?;
    let id = attrs
        .split_whitespace()
        .find_map(|a| a.strip_prefix('#'))
        .filter(|id| !id.is_empty() && !id.contains(['{', '}']))?;
    b.verbatim(offset, heading);
    b.replace(offset + heading.len(), 0, &format!(" {{#{id}}}"));
    b.verbatim(offset + heading.len(), &line[heading.len()..]);
    b.replace(offset + line.len(), next.len(), "");
    Some(next.len())
}

/// kramdown's abbreviation definition (`*[HTML]: Hyper Text Markup Language`): not shown.
fn abbreviation(line: &str) -> bool {
    line.strip_prefix("*[")
        .and_then(|rest| rest.split_once("]:"))
        .is_some_and(|(name, _)| !name.is_empty() && !name.contains(']'))
}

/// A line in or opening kramdown's `{::comment}` … `{:/comment}` (or `{:/}`): the comment is not
/// shown; the text before and after it is.
fn comment_line(b: &mut Builder, offset: usize, line: &str, state: &mut State) {
    const OPEN: &str = "{::comment}";
    let mut pos = 0;
    if !state.comment {
        let Some(i) = line.find(OPEN) else {
            b.verbatim(offset, line);
            return;
        };
        b.verbatim(offset, &line[..i]);
        b.replace(offset + i, OPEN.len(), "");
        pos = i + OPEN.len();
        state.comment = true;
    }
    let rest = &line[pos..];
    let close = ["{:/comment}", "{:/}"]
        .iter()
        .filter_map(|c| rest.find(c).map(|i| (i, c.len())))
        .min();
    match close {
        Some((i, len)) => {
            b.replace(offset + pos, i + len, "");
            state.comment = false;
            b.verbatim(offset + pos + i + len, &rest[i + len..]);
        }
        None => {
            let hidden = rest.trim_end_matches(['\n', '\r']);
            b.replace(offset + pos, hidden.len(), "");
            b.verbatim(offset + pos + hidden.len(), &rest[hidden.len()..]);
        }
    }
}

/// Rewrite one line (outside fenced code).
pub(super) fn line(
    b: &mut Builder,
    offset: usize,
    line: &str,
    state: &mut State,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) {
    let content = line.trim_end_matches(['\n', '\r']);
    let trimmed = content.trim();
    if state.comment || line.contains("{::comment}") {
        comment_line(b, offset, line, state);
        return;
    }
    if abbreviation(line) {
        b.replace(offset, line.len(), "\n");
        return;
    }
    if env.liquid.is_some() && html_boundary(line) && !candidate(line, &Env::default()) {
        html_line(b, offset, line);
        return;
    }
    // kramdown: `* TOC` followed by `{:toc}` is an inline table of contents; a line that is only an
    // attribute list is dropped; `{:#id}` after a heading becomes `{#id}`.
    if trimmed == "* TOC" || trimmed == "- TOC" {
        b.replace(offset, line.len(), "\n");
        return;
    }
    if trimmed == "{:toc}" || trimmed == "{:toc }" {
        b.replace(offset, line.len(), &format!("\n{TOC_MARKER}\n\n"));
        return;
    }
    if trimmed.starts_with("{:") && trimmed.ends_with('}') {
        b.replace(offset, line.len(), "\n");
        return;
    }
    let (pos, _) = b.braces(offset, content, |i, rest| {
        let construct = if env.liquid.is_some() && !rest.starts_with("{:") {
            // The Liquid engine has run: what is left is the writer's literal text.
            None
        } else if state.raw {
            rest.starts_with("{% endraw %}").then(|| {
                state.raw = false;
                ("{% endraw %}".len(), String::new())
            })
        } else if rest.starts_with("{{") {
            text::find_from(rest, 2, "}}").and_then(|end| {
                let expr = text::between(rest, 2, end).trim();
                (expr.starts_with("site.") || expr.starts_with("page."))
                    .then(|| (end + 2, variable(expr, env, offset + i, found)))
            })
        } else if rest.starts_with("{%") {
            text::find_from(rest, 2, "%}").map(|end| {
                let tag = text::between(rest, 2, end).trim();
                (end + 2, self::tag(tag, state, offset + i, found))
            })
        } else if rest.starts_with("{:") {
            // An attribute list at the end of a block (`## Tittel {:#id}` or `tekst {: .klasse}`).
            text::find_from(rest, 2, "}").map(|end| {
                let attrs = text::between(rest, 2, end).trim();
                let id = attrs
                    .strip_prefix('#')
                    .filter(|id| !id.is_empty() && !id.contains(' '));
                (
                    end + 1,
                    id.map(|id| format!("{{#{id}}}")).unwrap_or_default(),
                )
            })
        } else {
            None
        };
        construct.map(|(consumed, replacement)| Brace {
            consumed,
            replacement,
            stop: false,
        })
    });
    b.verbatim(offset + pos, text::from(line, pos));
}

fn variable(expr: &str, env: &Env<'_>, offset: usize, found: &mut Vec<Found>) -> String {
    let name = expr.split('|').next().unwrap_or("").trim();
    match name {
        "site.baseurl" => env.base_path.to_string(),
        "site.url" => env.site_url.to_string(),
        "page.url" => env.route.to_string(),
        other => {
            found.push(Found {
                offset,
                rule: "liquid",
                message: format!(
                    "Liquid variable `{{{{ {other} }}}}` is not supported; it is left out"
                ),
                tally: None,
            });
            String::new()
        }
    }
}

fn tag(tag: &str, state: &mut State, offset: usize, found: &mut Vec<Found>) -> String {
    let word = tag.split_whitespace().next().unwrap_or("");
    match word {
        "raw" => state.raw = true,
        "endraw" => {}
        other => found.push(Found {
            offset,
            rule: "liquid",
            message: format!("Liquid tag `{{% {other} %}}` is not supported; it is left out (write the content into the page)"),
            tally: None,
        }),
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str) -> (String, Vec<Found>) {
        let env = Env {
            route: "/docs/a/",
            site_url: "https://x.no",
            base_path: "/docs",
            ..Env::default()
        };
        let mut b = Builder::default();
        let mut state = State::default();
        let mut found = Vec::new();
        let mut offset = 0;
        for l in source.split_inclusive('\n') {
            line(&mut b, offset, l, &mut state, &env, &mut found);
            offset += l.len();
        }
        (b.into_text(), found)
    }

    #[test]
    fn liquid_and_kramdown() {
        let (out, found) = run("![x]({{ site.baseurl }}/img/a.png)\n* TOC\n{:toc}\n## Tittel {:#egen}\n{: .note}\n`{{ site.x }}`\n");
        assert!(found.is_empty(), "{found:?}");
        assert!(out.contains("![x](/docs/img/a.png)"), "{out}");
        assert!(
            out.contains(TOC_MARKER) && !out.contains("{:toc}") && !out.contains("* TOC"),
            "{out}"
        );
        assert!(out.contains("## Tittel {#egen}"), "{out}");
        assert!(
            out.contains("`{{ site.x }}`"),
            "inline code is left alone: {out}"
        );
    }

    #[test]
    fn unknown_liquid_is_reported_and_removed() {
        let (out, found) = run("før {% include note.html %} {{ site.title }}\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].offset, "før ".len());
        assert_eq!(out, "før  \n");
    }

    #[test]
    fn kramdown_comments_options_and_abbreviation_definitions_are_not_shown() {
        let (out, found) = run(
            "a {::comment}skjult{:/comment} b\n{::comment}\nlinje\n{:/comment}\nc\n{::options parse_block_html=\"true\" /}\n*[API]: Application Programming Interface\nd\n",
        );
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(out, "a  b\n\n\n\nc\n\n\nd\n");
    }

    #[test]
    fn overlapping_delimiters_do_not_panic() {
        for source in ["{%}\n", "{{}}\n", "{:}\n", "a {% b\n", "æ{%}ø\n"] {
            let (out, _) = run(source);
            assert!(out.len() <= source.len() + 1, "{source:?} -> {out:?}");
        }
    }
}
