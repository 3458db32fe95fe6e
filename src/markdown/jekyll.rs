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
}

/// Whether a line may hold Liquid or kramdown (cheap test before the real work); on a Jekyll site
/// also an HTML line that kramdown ends a block with ([`html_line`]).
pub(super) fn candidate(line: &str, env: &Env<'_>) -> bool {
    line.contains("{{")
        || line.contains("{%")
        || line.contains("{:")
        || line.trim() == "* TOC"
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
    fn overlapping_delimiters_do_not_panic() {
        for source in ["{%}\n", "{{}}\n", "{:}\n", "a {% b\n", "æ{%}ø\n"] {
            let (out, _) = run(source);
            assert!(out.len() <= source.len() + 1, "{source:?} -> {out:?}");
        }
    }
}
