//! Syntax from other documentation ecosystems, rendered without a conversion step: Hugo shortcodes
//! (`{{< name >}}`, `{{% name %}}…{{% /name %}}`), Jekyll's Liquid (`{{ site.baseurl }}`, `{% … %}`)
//! and kramdown's `{:toc}` and attribute lists. Known constructs become Markdown or HTML; unknown ones
//! are removed and reported with their line, so no raw syntax ever reaches the page.

use super::admonitions::{escape, Builder, KINDS};
use super::text;
use std::fmt::Write;

/// What the constructs may refer to.
#[derive(Debug, Clone, Copy, Default)]
pub struct Env<'a> {
    /// The page's route (`{{ page.url }}`).
    pub route: &'a str,
    /// `{{ site.url }}`.
    pub site_url: &'a str,
    /// `{{ site.baseurl }}`: the route base.
    pub base_path: &'a str,
    /// Child pages for `children`: (title, route).
    pub children: &'a [(String, String)],
    /// The site's own shortcodes: Tera templates `shortcodes/NAME.html` in its theme folder.
    pub custom: Option<&'a tera::Tera>,
    /// Those of them that take a body (their template uses `inner`).
    pub custom_paired: &'a [String],
}

/// A construct that is not supported (or used wrongly), at an offset of the original text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Byte offset in the text given to the rewrite.
    pub offset: usize,
    /// `shortcode`, `liquid` or `kramdown`.
    pub rule: &'static str,
    /// What and what to do.
    pub message: String,
}

/// State that spans lines: open shortcodes and Liquid `raw` blocks.
#[derive(Debug, Default)]
pub(super) struct State {
    open: Vec<String>,
    /// Inside `{{< highlight >}}`: lines are code until the closing tag.
    highlight: bool,
    /// Inside `{% raw %}`.
    raw: bool,
    /// A `{:toc}` was seen: the renderer puts a table of contents at the marker.
    pub(super) toc: bool,
    /// Inside a site shortcode with a body: its text is gathered until the closing tag.
    capture: Option<Capture>,
}

#[derive(Debug)]
struct Capture {
    name: String,
    args: Vec<(Option<String>, String)>,
    /// `{{% %}}`: the body is Markdown.
    markdown: bool,
    inner: String,
}

impl State {
    /// Whether lines must come here even without `{{` (a shortcode body is being gathered).
    pub(super) fn busy(&self) -> bool {
        self.capture.is_some()
    }
}

/// Where the closing tag of `name` is in a line: (start, end).
fn closing_tag(line: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(at) = line[from..].find("{{").map(|i| from + i) {
        let rest = &line[at + 2..];
        let (open, close) = if rest.starts_with('<') {
            ('<', ">}}")
        } else if rest.starts_with('%') {
            ('%', "%}}")
        } else {
            (' ', "")
        };
        if open != ' ' {
            if let Some(end) = text::find_from(rest, 1, close) {
                if text::between(rest, 1, end)
                    .trim()
                    .strip_prefix('/')
                    .is_some_and(|n| n.trim() == name)
                {
                    return Some((at, at + 2 + end + 3));
                }
            }
        }
        from = at + 2;
    }
    None
}

/// A site shortcode with its gathered body, through its template.
fn render_custom(
    capture: &Capture,
    offset: usize,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) -> String {
    let inner = if capture.markdown {
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(&capture.inner, pulldown_cmark::Options::ENABLE_TABLES),
        );
        html
    } else {
        capture.inner.trim().to_string()
    };
    custom_template(
        &capture.name,
        &capture.args,
        Some(&inner),
        offset,
        env,
        found,
    )
}

/// Render a site shortcode's template with `args`, `named`, `page` and (for bodies) `inner`.
fn custom_template(
    name: &str,
    args: &[(Option<String>, String)],
    inner: Option<&str>,
    offset: usize,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) -> String {
    let mut context = tera::Context::new();
    context.insert(
        "args",
        &args
            .iter()
            .filter(|(k, _)| k.is_none())
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>(),
    );
    context.insert(
        "named",
        &args
            .iter()
            .filter_map(|(k, v)| k.as_ref().map(|k| (k.as_str(), v.as_str())))
            .collect::<std::collections::BTreeMap<_, _>>(),
    );
    context.insert("page", &serde_json::json!({ "url": env.route }));
    context.insert("inner", &inner.unwrap_or_default());
    match env
        .custom
        .map(|t| t.render(&format!("shortcodes/{name}.html"), &context))
    {
        Some(Ok(out)) => format!("\n\n{}\n\n", out.trim()),
        Some(Err(e)) => {
            found.push(Found {
                offset,
                rule: "shortcode",
                message: format!(
                    "the site shortcode `{name}` failed: {}",
                    crate::error::Error::Template {
                        name: name.to_string(),
                        source: e
                    }
                    .chain()
                ),
            });
            String::new()
        }
        None => String::new(),
    }
}

/// Marker the renderer replaces with the page's table of contents.
pub const TOC_MARKER: &str = "<!--intark-toc-->";

/// Whether a line may hold a construct (cheap test before the real work).
pub(super) fn candidate(line: &str) -> bool {
    line.contains("{{") || line.contains("{%") || line.contains("{:") || line.trim() == "* TOC"
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
    if let Some(capture) = state.capture.as_mut() {
        let Some((start, end)) = closing_tag(line, &capture.name) else {
            capture.inner.push_str(line);
            b.replace(offset, line.len(), "");
            return;
        };
        capture.inner.push_str(&line[..start]);
        if let Some(capture) = state.capture.take() {
            let html = render_custom(&capture, offset, env, found);
            b.replace(offset, end, &html);
        }
        self::line(b, offset + end, &line[end..], state, env, found);
        return;
    }
    let content = line.trim_end_matches(['\n', '\r']);
    let trimmed = content.trim();
    if state.highlight {
        if let Some(end) = trimmed
            .strip_prefix("{{<")
            .or_else(|| trimmed.strip_prefix("{{%"))
        {
            if end.trim_start().starts_with("/highlight") {
                state.highlight = false;
                b.replace(offset, line.len(), "```\n");
                return;
            }
        }
        b.verbatim(offset, line);
        return;
    }
    // kramdown: `* TOC` followed by `{:toc}` is an inline table of contents; a line that is only an
    // attribute list is dropped; `{:#id}` after a heading becomes `{#id}`.
    if trimmed == "* TOC" || trimmed == "- TOC" {
        b.replace(offset, line.len(), "\n");
        return;
    }
    if trimmed == "{:toc}" || trimmed == "{:toc }" {
        state.toc = true;
        b.replace(offset, line.len(), &format!("\n{TOC_MARKER}\n\n"));
        return;
    }
    if trimmed.starts_with("{:") && trimmed.ends_with('}') {
        b.replace(offset, line.len(), "\n");
        return;
    }
    // Blocks opened inside a list item stay in it: their lines get the item's content indentation.
    let indent = item_indent(content);
    let mut pos = 0;
    let bytes = content.as_bytes();
    let mut in_code = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            in_code = !in_code;
            i += 1;
            continue;
        }
        if in_code || bytes[i] != b'{' || i + 1 >= bytes.len() {
            i += 1;
            continue;
        }
        let rest = &content[i..];
        let (consumed, replacement) = if state.raw {
            if rest.starts_with("{% endraw %}") {
                state.raw = false;
                ("{% endraw %}".len(), String::new())
            } else {
                i += 1;
                continue;
            }
        } else if rest.starts_with("{{<") || rest.starts_with("{{%") {
            let close = if rest.starts_with("{{<") {
                ">}}"
            } else {
                "%}}"
            };
            match text::find_from(rest, 3, close) {
                Some(end) => (
                    end + 3,
                    shortcode(
                        text::between(rest, 3, end).trim(),
                        rest.starts_with("{{%"),
                        offset + i,
                        state,
                        env,
                        found,
                    )
                    .replace("\n\n", &format!("\n\n{indent}")),
                ),
                None => {
                    found.push(Found { offset: offset + i, rule: "shortcode", message: "a shortcode is not closed on its line; write it as `{{< name >}}` on one line".into() });
                    (rest.len(), String::new())
                }
            }
        } else if rest.starts_with("{{") {
            let end = text::find_from(rest, 2, "}}");
            let expr = end
                .map(|e| text::between(rest, 2, e).trim())
                .unwrap_or_default();
            if end.is_none() || !(expr.starts_with("site.") || expr.starts_with("page.")) {
                i += 1;
                continue;
            }
            (
                end.unwrap_or(0) + 2,
                liquid_variable(expr, env, offset + i, found),
            )
        } else if rest.starts_with("{%") {
            match text::find_from(rest, 2, "%}") {
                Some(end) => (
                    end + 2,
                    liquid_tag(text::between(rest, 2, end).trim(), state, offset + i, found),
                ),
                None => {
                    i += 1;
                    continue;
                }
            }
        } else if rest.starts_with("{:") {
            // An attribute list at the end of a block (`## Tittel {:#id}` or `tekst {: .klasse}`).
            match text::find_from(rest, 2, "}") {
                Some(end) => {
                    let attrs = text::between(rest, 2, end).trim();
                    let id = attrs
                        .strip_prefix('#')
                        .filter(|id| !id.is_empty() && !id.contains(' '));
                    (
                        end + 1,
                        id.map(|id| format!("{{#{id}}}")).unwrap_or_default(),
                    )
                }
                None => {
                    i += 1;
                    continue;
                }
            }
        } else {
            i += 1;
            continue;
        };
        b.verbatim(offset + pos, &content[pos..i]);
        b.replace(offset + i, consumed, &replacement);
        i += consumed.max(1);
        pos = i.min(content.len());
        if state.capture.is_some() {
            // A site shortcode with a body opened: the rest of the line is its body.
            self::line(b, offset + pos, &line[pos..], state, env, found);
            return;
        }
    }
    b.verbatim(offset + pos, &line[pos..]);
}

/// The indentation of a line's content: its leading spaces, plus the marker of a list item.
fn item_indent(line: &str) -> String {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let marker =
        if trimmed.starts_with("- ") || trimmed.starts_with("* ") || trimmed.starts_with("+ ") {
            2
        } else {
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            if digits > 0
                && (trimmed[digits..].starts_with(". ") || trimmed[digits..].starts_with(") "))
            {
                digits + 2
            } else {
                0
            }
        };
    " ".repeat(lead + marker)
}

/// Split shortcode arguments: words, `"quoted words"`, `key="value"`.
fn arguments(inner: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = None;
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '"' || c == '\'' || c == '`' {
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                    word.push(d);
                }
            } else if c == '=' && key.is_none() {
                key = Some(std::mem::take(&mut word));
            } else {
                word.push(c);
            }
        }
        out.push((key, word));
    }
    out
}

fn named<'a>(args: &'a [(Option<String>, String)], names: &[&str]) -> Option<&'a str> {
    args.iter()
        .find(|(k, _)| k.as_deref().is_some_and(|k| names.contains(&k)))
        .map(|(_, v)| v.as_str())
}

fn positional(args: &[(Option<String>, String)], n: usize) -> Option<&str> {
    args.iter()
        .filter(|(k, _)| k.is_none())
        .nth(n)
        .map(|(_, v)| v.as_str())
}

const BODY_SHORTCODES: [&str; 3] = ["notice", "panel", "expand"];

fn shortcode(
    inner: &str,
    markdown: bool,
    offset: usize,
    state: &mut State,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) -> String {
    let inner = inner.trim_end_matches('/').trim();
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim();
        return match state.open.iter().rposition(|n| n == name) {
            Some(at) => {
                state.open.truncate(at);
                match name {
                    "expand" => "\n\n</details>\n\n".into(),
                    _ => "\n\n</div>\n\n".into(),
                }
            }
            None => String::new(),
        };
    }
    let all = arguments(inner);
    let Some((_, name)) = all.first().cloned() else {
        found.push(Found {
            offset,
            rule: "shortcode",
            message: "an empty shortcode".into(),
        });
        return String::new();
    };
    let args = &all[1..];
    let mut html = String::new();
    match name.as_str() {
        "notice" => {
            let kind = positional(args, 0).unwrap_or("note").to_ascii_lowercase();
            let kind = match kind.as_str() {
                "warning" | "danger" | "caution" => kind,
                "tip" => kind,
                "info" => kind,
                _ => "note".into(),
            };
            let title = positional(args, 1).map(str::to_string).unwrap_or_else(|| {
                KINDS
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map_or("Merk", |(_, t)| t)
                    .to_string()
            });
            let _ = write!(html, "\n\n<div class=\"admonition admonition-{kind}\" role=\"note\"><p class=\"admonition-title\">{}</p>\n\n", escape(&title));
            state.open.push(name);
        }
        "panel" => {
            html.push_str("\n\n<div class=\"panel\">");
            if let Some(title) = named(args, &["header", "title"]).or_else(|| positional(args, 0)) {
                let _ = write!(html, "<p class=\"panel-title\">{}</p>", escape(title));
            }
            html.push_str("\n\n");
            state.open.push(name);
        }
        "expand" => {
            let title = positional(args, 0)
                .or_else(|| named(args, &["title"]))
                .unwrap_or("Vis mer");
            let _ = write!(
                html,
                "\n\n<details class=\"expand\"><summary>{}</summary>\n\n",
                escape(title)
            );
            state.open.push(name);
        }
        "highlight" => {
            let lang = positional(args, 0).unwrap_or("");
            state.highlight = true;
            let _ = write!(html, "\n```{lang}\n");
        }
        "figure" => {
            let src = named(args, &["src"]).unwrap_or("");
            let alt = named(args, &["alt"])
                .or_else(|| named(args, &["title", "caption"]))
                .unwrap_or("");
            let _ = write!(
                html,
                "<figure><img src=\"{}\" alt=\"{}\">",
                escape(src),
                escape(alt)
            );
            if let Some(caption) = named(args, &["caption", "title"]) {
                let _ = write!(html, "<figcaption>{}</figcaption>", escape(caption));
            }
            html.push_str("</figure>");
            if src.is_empty() {
                found.push(Found {
                    offset,
                    rule: "shortcode",
                    message: "`figure` has no `src`".into(),
                });
            }
        }
        // The target as written; the link it stands in is then resolved and checked like any other.
        "ref" | "relref" => html.push_str(positional(args, 0).unwrap_or("")),
        "children" => {
            html.push_str("\n\n<ul class=\"children\">");
            for (title, route) in env.children {
                let _ = write!(
                    html,
                    "<li><a href=\"{}\">{}</a></li>",
                    escape(route),
                    escape(title)
                );
            }
            html.push_str("</ul>\n\n");
        }
        other if env.custom_paired.iter().any(|p| p == other) => {
            state.capture = Some(Capture {
                name: other.to_string(),
                args: args.to_vec(),
                markdown,
                inner: String::new(),
            });
        }
        other
            if env.custom.is_some_and(|t| {
                t.get_template_names()
                    .any(|n| n == format!("shortcodes/{other}.html"))
            }) =>
        {
            html.push_str(custom_template(other, args, None, offset, env, found).trim());
        }
        other => {
            found.push(Found {
                offset,
                rule: "shortcode",
                message: format!("`{other}` is an unknown shortcode; it is left out of the page (supported: notice, panel, expand, figure, highlight, ref, relref, children; add your own as `shortcodes/{other}.html` in the theme folder)"),
            });
            if BODY_SHORTCODES.contains(&other) {
                state.open.push(other.to_string());
            }
        }
    }
    html
}

fn liquid_variable(expr: &str, env: &Env<'_>, offset: usize, found: &mut Vec<Found>) -> String {
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
            });
            String::new()
        }
    }
}

fn liquid_tag(tag: &str, state: &mut State, offset: usize, found: &mut Vec<Found>) -> String {
    let word = tag.split_whitespace().next().unwrap_or("");
    match word {
        "raw" => state.raw = true,
        "endraw" => {}
        other => found.push(Found {
            offset,
            rule: "liquid",
            message: format!("Liquid tag `{{% {other} %}}` is not supported; it is left out (write the content into the page)"),
        }),
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, Vec<Found>) {
        let children = vec![("Barn".to_string(), "/docs/a/barn/".to_string())];
        let env = Env {
            route: "/docs/a/",
            site_url: "https://x.no",
            base_path: "/docs",
            children: &children,
            custom: None,
            custom_paired: &[],
        };
        let mut b = Builder::default();
        let mut state = State::default();
        let mut found = Vec::new();
        let mut offset = 0;
        for l in text.split_inclusive('\n') {
            line(&mut b, offset, l, &mut state, &env, &mut found);
            offset += l.len();
        }
        (b.into_text(), found)
    }

    #[test]
    fn hugo_shortcodes_become_html_and_markdown() {
        let (out, found) = run("{{% notice warning %}} Pass på {{% /notice %}}\n{{< expand \"Mer\" >}}\nskjult\n{{< /expand >}}\n[lenke]({{< relref \"b.md\" >}})\n{{< children >}}\n");
        assert!(found.is_empty(), "{found:?}");
        assert!(
            out.contains("admonition-warning") && out.contains("Pass på") && out.contains("</div>"),
            "{out}"
        );
        assert!(
            out.contains("<details class=\"expand\"><summary>Mer</summary>")
                && out.contains("</details>"),
            "{out}"
        );
        assert!(out.contains("[lenke](b.md)"), "{out}");
        assert!(out.contains("href=\"/docs/a/barn/\""), "{out}");
        assert!(!out.contains("{{"), "{out}");
    }

    #[test]
    fn overlapping_delimiters_do_not_panic() {
        for text in [
            "{%}\n",
            "{{%}}\n",
            "{{<}}\n",
            "{{}}\n",
            "{:}\n",
            "a {% b\n",
            "{{% /x}}\n",
            "{{<>}}{{%%}}\n",
            "æ{%}ø{{%}}å\n",
        ] {
            let (out, _) = run(text);
            assert!(!out.contains("{{%}}"), "{text:?} -> {out:?}");
        }
        let (_, found) = run("{{%}}\n");
        assert_eq!(found.len(), 1, "reported as a shortcode that is not closed");
    }

    #[test]
    fn highlight_body_is_code() {
        let (out, _) = run("{{< highlight bash >}}\ncurl {{< x >}}\n{{< /highlight >}}\n");
        assert_eq!(out, "\n```bash\n\ncurl {{< x >}}\n```\n");
    }

    #[test]
    fn unknown_constructs_are_reported_and_removed() {
        let (out, found) =
            run("før {{< youtube abc >}} etter {% include note.html %} {{ site.title }}\n");
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].offset, "før ".len());
        assert_eq!(out, "før  etter  \n");
    }

    #[test]
    fn liquid_and_kramdown() {
        let (out, found) = run("![x]({{ site.baseurl }}/img/a.png)\n* TOC\n{:toc}\n## Tittel {:#egen}\n{: .note}\n`{{< i kode >}}`\n");
        assert!(found.is_empty(), "{found:?}");
        assert!(out.contains("![x](/docs/img/a.png)"), "{out}");
        assert!(
            out.contains(TOC_MARKER) && !out.contains("{:toc}") && !out.contains("* TOC"),
            "{out}"
        );
        assert!(out.contains("## Tittel {#egen}"), "{out}");
        assert!(
            out.contains("`{{< i kode >}}`"),
            "inline code is left alone: {out}"
        );
    }
}
