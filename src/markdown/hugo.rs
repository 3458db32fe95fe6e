//! Hugo shortcodes, called as Hugo calls them: `{{< name args >}}` and `{{% name args %}}` (Markdown
//! inner), closing `{{< /name >}}`, self-closing `{{< name />}}`, calls spread over several lines
//! (`prepass` joins them), named and positional parameters with `"…"` and `` `raw` `` strings, and
//! `{{</* … */>}}` escapes that print the call as text.
//!
//! Lookup order as in Hugo (<https://gohugo.io/templates/shortcode/>): the site's own shortcodes
//! win — here Tera templates `shortcodes/NAME.html` in our theme folder — then the common shortcode
//! families of the Hugo ecosystem, mapped by name onto our components (notice/alert/callout/… →
//! admonition, expand/details/collapse → `<details>`, tabs/tabpane/tab → tabs, figure/img, highlight/
//! code, ref/relref, param, children, Docsy's `blocks/*` and `pageinfo`). Go templates cannot run here:
//! any other shortcode renders its inner Markdown and gets one `shortcode` warning per name for the
//! whole site, with the number of uses (`Found::tally`, merged by `check`). No `{{<` or `{{%` of a call ever reaches the page.

use super::components::{self, CLOSE_DETAILS, CLOSE_DIV, TABS_OPEN};

/// Closes a box opened with markup of this module's own (`components` markers close with
/// [`CLOSE_DIV`]); the Hugo work moves that markup into templates.
const RAW_CLOSE: &str = "\n\n</div>\n\n";
use super::rewrite::{Brace, Builder, Env, Found};
use super::text;
use std::collections::BTreeMap;
use std::fmt::Write;

/// At most this many lines are joined into one shortcode call.
pub(super) const MAX_CALL_LINES: usize = 64;

/// State that spans lines: open containers, code bodies, gathered bodies, unknown names.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Open containers: (name, what closes them).
    open: Vec<(String, &'static str)>,
    /// Inside `highlight`/`code`: lines are code until the closing tag (its name).
    code: Option<String>,
    /// Inside a site shortcode with a body: its text is gathered until the closing tag.
    capture: Option<Capture>,
    /// Shortcodes that cannot run: name → (first offset, uses).
    unknown: BTreeMap<String, (usize, usize)>,
    /// Open Docsy `tabpane`s: whether their tabs are text (`text=true`) and their `lang`.
    panes: Vec<(bool, String)>,
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
    /// Whether lines must come here even without a call (a body is being gathered, or code).
    pub(super) fn busy(&self) -> bool {
        self.capture.is_some() || self.code.is_some()
    }

    /// Close what is still open at the end of the page, and report the shortcodes that could not
    /// run: one finding per name, with the number of uses.
    pub(super) fn finish(
        &mut self,
        b: &mut Builder,
        end: usize,
        env: &Env<'_>,
        found: &mut Vec<Found>,
    ) {
        if self.code.take().is_some() {
            b.replace(end, 0, "\n```\n");
        }
        while let Some((_, close)) = self.open.pop() {
            b.replace(end, 0, close);
        }
        for (name, (offset, uses)) in std::mem::take(&mut self.unknown) {
            let source = if env.go_shortcodes.contains(&name) {
                "is a Go template of the site or its theme and"
            } else {
                "is not in the site's `layouts/shortcodes/` nor its theme folder (a theme loaded as a Hugo module is not read here) and"
            };
            found.push(Found {
                offset,
                rule: "shortcode",
                message: format!("the Hugo shortcode `{name}` {source} cannot run here; its inner text is shown as Markdown (to render it, add `shortcodes/{name}.html` to the theme folder)"),
                tally: Some((name, uses)),
            });
        }
    }
}

/// Whether a line may hold a shortcode call or a block attribute line (`{.class}`).
pub(super) fn candidate(line: &str) -> bool {
    line.contains("{{<") || line.contains("{{%") || block_attributes(line)
}

/// A line that is only a Goldmark block attribute list (`{.display-6}`, `{#id .x}`): Hugo applies it
/// to the block before; it never shows as text.
fn block_attributes(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with("{.") || t.starts_with("{#")) && t.ends_with('}') && !t.contains("{{")
}

/// Whether `chunk` ends inside a shortcode call (an opener without its closer): the call goes on
/// on the next line.
pub(super) fn call_open(chunk: &str) -> bool {
    let mut from = 0;
    while let Some(at) = text::find_from(chunk, from, "{{") {
        let rest = text::from(chunk, at);
        let Some((_, close, _)) = delimiters(rest) else {
            from = at + 2;
            continue;
        };
        match text::find_from(rest, 3, close) {
            Some(end) => from = at + end + close.len(),
            None => return true,
        }
    }
    false
}

/// The delimiters of a call starting at `rest`: (opener length, closer, Markdown), escapes included.
fn delimiters(rest: &str) -> Option<(usize, &'static str, bool)> {
    if rest.starts_with("{{</*") {
        Some((5, "*/>}}", false))
    } else if rest.starts_with("{{%/*") {
        Some((5, "*/%}}", true))
    } else if rest.starts_with("{{<") {
        Some((3, ">}}", false))
    } else if rest.starts_with("{{%") {
        Some((3, "%}}", true))
    } else {
        None
    }
}

/// Whether a line of fenced code holds an escaped call.
pub(super) fn has_escape(line: &str) -> bool {
    line.contains("{{</*") || line.contains("{{%/*")
}

/// In fenced code, `{{</* x */>}}` is printed as `{{< x >}}`.
pub(super) fn unescape(b: &mut Builder, offset: usize, line: &str) {
    let mut pos = 0;
    let mut i = 0;
    while let Some(at) = text::find_from(line, i, "{{") {
        let rest = text::from(line, at);
        match delimiters(rest) {
            Some((5, close, markdown)) => {
                if let Some(end) = text::find_from(rest, 5, close) {
                    let (open, shut) = if markdown {
                        ("{{%", "%}}")
                    } else {
                        ("{{<", ">}}")
                    };
                    let inner = text::between(rest, 5, end);
                    b.verbatim(offset + pos, text::between(line, pos, at));
                    b.replace(
                        offset + at,
                        end + close.len(),
                        &format!("{open}{inner}{shut}"),
                    );
                    pos = at + end + close.len();
                    i = pos;
                    continue;
                }
                i = at + 2;
            }
            _ => i = at + 2,
        }
    }
    b.verbatim(offset + pos, text::from(line, pos));
}

/// Where the closing tag of `name` is in a chunk: (start, end).
fn closing_tag(chunk: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(at) = text::find_from(chunk, from, "{{") {
        let rest = text::from(chunk, at);
        if let Some((3, close, _)) = delimiters(rest) {
            if let Some(end) = text::find_from(rest, 3, close) {
                if text::between(rest, 3, end)
                    .trim()
                    .strip_prefix('/')
                    .is_some_and(|n| n.trim() == name)
                {
                    return Some((at, at + end + close.len()));
                }
            }
        }
        from = at + 2;
    }
    None
}

/// Rewrite one chunk (a line, or the lines of a call spread over several) outside fenced code.
pub(super) fn line(
    b: &mut Builder,
    offset: usize,
    chunk: &str,
    state: &mut State,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) {
    if let Some(capture) = state.capture.as_mut() {
        let Some((start, end)) = closing_tag(chunk, &capture.name) else {
            capture.inner.push_str(chunk);
            b.replace(offset, chunk.len(), "");
            return;
        };
        capture.inner.push_str(text::between(chunk, 0, start));
        if let Some(capture) = state.capture.take() {
            let html = render_custom(&capture, offset, env, found);
            b.replace(offset, end, &html);
        }
        self::line(b, offset + end, text::from(chunk, end), state, env, found);
        return;
    }
    if let Some(name) = state.code.clone() {
        match closing_tag(chunk, &name) {
            Some((start, end)) => {
                b.verbatim(offset, text::between(chunk, 0, start));
                // A container whose body was code (a Docsy tab) closes with it.
                let mut close = String::from("\n```\n");
                if state.open.last().is_some_and(|(n, _)| *n == name) {
                    close.push_str(state.open.pop().map_or("", |(_, c)| c));
                }
                b.replace(offset + start, end - start, &close);
                state.code = None;
                self::line(b, offset + end, text::from(chunk, end), state, env, found);
            }
            None => b.verbatim(offset, chunk),
        }
        return;
    }
    if block_attributes(chunk) {
        b.replace(offset, chunk.len(), "\n");
        return;
    }
    let content = chunk.trim_end_matches(['\n', '\r']);
    // Blocks opened inside a list item stay in it: their lines get the item's content indentation.
    let indent = item_indent(content);
    let (pos, stopped) = b.braces(offset, content, |i, rest| {
        let (open_len, close, markdown) = delimiters(rest)?;
        let (consumed, replacement) = match text::find_from(rest, open_len, close) {
            Some(end) if open_len == 5 => {
                // An escaped call prints as the call.
                let (open, shut) = if markdown {
                    ("{{%", "%}}")
                } else {
                    ("{{<", ">}}")
                };
                let inner = text::between(rest, open_len, end);
                (end + close.len(), format!("{open}{inner}{shut}"))
            }
            Some(end) => (
                end + close.len(),
                shortcode(
                    text::between(rest, open_len, end),
                    markdown,
                    offset + i,
                    state,
                    env,
                    found,
                )
                .replace("\n\n", &format!("\n\n{indent}")),
            ),
            None => {
                found.push(Found {
                    offset: offset + i,
                    rule: "shortcode",
                    message: format!(
                        "a shortcode call is not closed: `{close}` is missing (within {MAX_CALL_LINES} lines)"
                    ),
                    tally: None,
                });
                // Only the opener goes; the text after it stays.
                (open_len, String::new())
            }
        };
        Some(Brace {
            consumed,
            replacement,
            // A body opened: the rest of the chunk belongs to it.
            stop: state.busy(),
        })
    });
    if stopped {
        self::line(b, offset + pos, text::from(chunk, pos), state, env, found);
        return;
    }
    b.verbatim(offset + pos, text::from(chunk, pos));
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
            let after = text::from(trimmed, digits);
            if digits > 0 && (after.starts_with(". ") || after.starts_with(") ")) {
                digits + 2
            } else {
                0
            }
        };
    " ".repeat(lead + marker)
}

/// Split shortcode arguments: words, `"quoted words"` (with `\"`), `` `raw strings` ``, `key=value`.
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
                while let Some(d) = chars.next() {
                    if d == '\\' && c == '"' {
                        if let Some(e) = chars.next() {
                            word.push(e);
                        }
                        continue;
                    }
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

/// Admonition families: the shortcode names, and whether the kind is the name itself.
const ADMONITIONS: [&str; 12] = [
    "notice",
    "alert",
    "callout",
    "admonition",
    "info",
    "tip",
    "note",
    "warning",
    "hint",
    "danger",
    "caution",
    "important",
];
const DETAILS: [&str; 5] = ["expand", "details", "collapse", "spoiler", "accordion"];

/// The replacement of one call (`inner` is the text between the delimiters).
fn shortcode(
    inner: &str,
    markdown: bool,
    offset: usize,
    state: &mut State,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) -> String {
    let trimmed = inner.trim();
    if let Some(name) = trimmed.strip_prefix('/') {
        let name = name.trim();
        if name == "tabpane" {
            state.panes.pop();
        }
        return match state.open.iter().rposition(|(n, _)| n == name) {
            Some(at) => state
                .open
                .drain(at..)
                .rev()
                .map(|(_, close)| close)
                .collect(),
            None => String::new(),
        };
    }
    let self_closing = trimmed.ends_with('/');
    let all = arguments(trimmed.trim_end_matches('/'));
    let Some((_, name)) = all.first().cloned() else {
        found.push(Found {
            offset,
            rule: "shortcode",
            message: "an empty shortcode call".into(),
            tally: None,
        });
        return String::new();
    };
    let args = &all[1..];
    // The site's own shortcodes win.
    if let Some(html) = site_shortcode(&name, args, markdown, offset, state, env, found) {
        return html;
    }
    let lower = name.to_ascii_lowercase();
    let (html, close) = match lower.as_str() {
        n if ADMONITIONS.contains(&n) => {
            let word = if matches!(n, "notice" | "alert" | "callout" | "admonition") {
                named(args, &["color", "type", "style", "theme", "kind"])
                    .or_else(|| positional(args, 0))
                    .unwrap_or("note")
            } else {
                n
            };
            let kind = components::kind_of(word);
            let title = named(args, &["title", "header"])
                .or_else(|| (n == "notice").then(|| positional(args, 1)).flatten())
                .unwrap_or_else(|| components::default_title(kind, env.ui));
            (
                format!("\n\n{}", components::admonition_open(kind, title)),
                CLOSE_DIV,
            )
        }
        "pageinfo" => (
            "\n\n<div class=\"admonition admonition-info pageinfo\" role=\"note\">\n\n".into(),
            RAW_CLOSE,
        ),
        n if DETAILS.contains(&n) => {
            let title = named(args, &["title", "summary", "header"])
                .or_else(|| positional(args, 0))
                .unwrap_or("Vis mer");
            (components::details_open(title), CLOSE_DETAILS)
        }
        "tabs" => (TABS_OPEN.to_string(), CLOSE_DIV),
        "tabpane" => {
            if !self_closing {
                let text = named(args, &["text"]) == Some("true");
                let lang = named(args, &["lang"]).unwrap_or("").to_string();
                state.panes.push((text, lang));
            }
            (TABS_OPEN.to_string(), CLOSE_DIV)
        }
        "tab" => {
            let label = named(args, &["header", "name", "title"])
                .or_else(|| positional(args, 0))
                .unwrap_or("");
            // In a Docsy `tabpane`, a tab's body is code in the tab's or the pane's `lang` unless
            // `text=true` (theme/layouts/_shortcodes/tabpane.html: `highlight` unless `$text`).
            if let Some((pane_text, pane_lang)) = state.panes.last() {
                let text = named(args, &["text"]).map_or(*pane_text, |t| t == "true");
                if !text && !self_closing {
                    let lang = named(args, &["lang"]).unwrap_or(pane_lang).to_string();
                    state.open.push((name.clone(), CLOSE_DIV));
                    state.code = Some(name);
                    return format!("{}\n```{lang}\n", components::tab_open(label));
                }
            }
            (components::tab_open(label), CLOSE_DIV)
        }
        "panel" => {
            let mut html = String::from("\n\n<div class=\"panel\">");
            if let Some(title) = named(args, &["header", "title"]).or_else(|| positional(args, 0)) {
                let _ = write!(
                    html,
                    "<p class=\"panel-title\">{}</p>",
                    components::escape(title)
                );
            }
            html.push_str("\n\n");
            (html, RAW_CLOSE)
        }
        n if n.starts_with("blocks/") => {
            let block = n.trim_start_matches("blocks/");
            if block == "link-down" {
                // An arrow to the next block: decoration without content.
                return String::new();
            }
            let mut html = format!(
                "\n\n<div class=\"block block-{}\">",
                components::escape(block)
            );
            if let Some(title) = named(args, &["title"]) {
                let _ = write!(
                    html,
                    "<p class=\"block-title\">{}</p>",
                    components::escape(title)
                );
            }
            html.push_str("\n\n");
            (html, RAW_CLOSE)
        }
        "highlight" | "code" => {
            let lang = positional(args, 0)
                .or_else(|| named(args, &["lang", "language", "type"]))
                .unwrap_or("");
            if !self_closing {
                state.code = Some(name.clone());
            }
            return format!("\n```{lang}\n");
        }
        "figure" | "img" | "image" => return figure(args, offset, found),
        // The target as written; the link it stands in is then resolved and checked like any other.
        "ref" | "relref" => {
            return named(args, &["path"])
                .or_else(|| positional(args, 0))
                .unwrap_or("")
                .to_string()
        }
        "param" => return param(args, offset, env, found),
        "openapi" => return openapi(args, offset, env, found),
        "children" => {
            let mut html = String::from("\n\n<ul class=\"children\">");
            for (title, route) in env.children {
                let _ = write!(
                    html,
                    "<li><a href=\"{}\">{}</a></li>",
                    components::escape(route),
                    components::escape(title)
                );
            }
            html.push_str("</ul>\n\n");
            return html;
        }
        _ => {
            // A Go template we cannot run: its inner Markdown shows, the call does not.
            let entry = state.unknown.entry(name).or_insert((offset, 0));
            entry.1 += 1;
            return String::new();
        }
    };
    if self_closing {
        return format!("{html}{close}");
    }
    state.open.push((name, close));
    html
}

/// A site shortcode from the theme folder (Tera), if the site has one of that name.
fn site_shortcode(
    name: &str,
    args: &[(Option<String>, String)],
    markdown: bool,
    offset: usize,
    state: &mut State,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) -> Option<String> {
    if env.custom_paired.iter().any(|p| p == name) {
        state.capture = Some(Capture {
            name: name.to_string(),
            args: args.to_vec(),
            markdown,
            inner: String::new(),
        });
        return Some(String::new());
    }
    let custom = env.custom?;
    let template = format!("shortcodes/{name}.html");
    custom.get_template_names().any(|n| n == template).then(|| {
        custom_template(name, args, None, offset, env, found)
            .trim()
            .to_string()
    })
}

fn figure(args: &[(Option<String>, String)], offset: usize, found: &mut Vec<Found>) -> String {
    let src = named(args, &["src"])
        .or_else(|| positional(args, 0))
        .unwrap_or("");
    let alt = named(args, &["alt"])
        .or_else(|| named(args, &["title", "caption"]))
        .unwrap_or("");
    let mut html = format!(
        "<figure><img src=\"{}\" alt=\"{}\">",
        components::escape(src),
        components::escape(alt)
    );
    if let Some(caption) = named(args, &["caption", "title"]) {
        let _ = write!(
            html,
            "<figcaption>{}</figcaption>",
            components::escape(caption)
        );
    }
    html.push_str("</figure>");
    if src.is_empty() {
        found.push(Found {
            offset,
            rule: "shortcode",
            message: "`figure` has no `src`".into(),
            tally: None,
        });
    }
    html
}

/// Hugo's `param`: the page's parameter (front matter, then its `params`), else the site's
/// (<https://gohugo.io/shortcodes/param/>); a dotted name walks into maps.
fn param(
    args: &[(Option<String>, String)],
    offset: usize,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) -> String {
    let name = positional(args, 0).unwrap_or("");
    let walk = |root: &serde_json::Value| -> Option<String> {
        let mut value = root;
        for key in name.split('.') {
            value = value
                .as_object()?
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))?
                .1;
        }
        match value {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        }
    };
    let page = env.page_params.and_then(|p| {
        let page = serde_json::Value::Object(p.clone());
        walk(&page).or_else(|| page.get("params").and_then(walk))
    });
    match page.or_else(|| env.site_params.and_then(walk)) {
        Some(value) => value,
        None => {
            found.push(Found {
                offset,
                rule: "shortcode",
                message: format!("`param` `{name}` is set neither in the page's front matter nor in the site's `params` (Hugo stops the build here)"),
                tally: None,
            });
            String::new()
        }
    }
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
            .collect::<BTreeMap<_, _>>(),
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
                tally: None,
            });
            String::new()
        }
        None => String::new(),
    }
}

/// The methods hugo-book's `openapi` shortcode lists, in its order.
const OPENAPI_METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// hugo-book's `openapi` shortcode (`layouts/_shortcodes/openapi.html`, "experimental"), by meaning:
/// the spec `src` from the site's `assets/` (`resources.Get`), JSON or YAML, as Markdown — the
/// info's description and version, `## Servers`, `## Security`, then per tag (sorted, as Go ranges
/// over a map; untagged operations under `API`) `## Tag` and per operation (paths sorted, methods in
/// the shortcode's order) `### Summary {#op-<operationId>}`, `#### Request (requires …)`, the
/// parameters per location, `#### Request body (required)`, `#### Responses`; then `## Models` with
/// `### Name {#model-<name>}`. The headings (and so the ids and the table of contents) are the
/// shortcode's; the tables are shorter than its own.
fn openapi(
    args: &[(Option<String>, String)],
    offset: usize,
    env: &Env<'_>,
    found: &mut Vec<Found>,
) -> String {
    let src = named(args, &["src"])
        .or_else(|| positional(args, 0))
        .unwrap_or("");
    let mut problem = |message: String| {
        found.push(Found {
            offset,
            rule: "shortcode",
            message: format!("`openapi` of `{src}`: {message}; the spec is left out of the page"),
            tally: None,
        });
        String::new()
    };
    let Some(read) = env.partials else {
        return problem("the site's files cannot be read here".into());
    };
    let text = match (read.0)(
        env.file,
        &format!("@site/assets/{}", src.trim_start_matches('/')),
    ) {
        Ok((_, text)) => text,
        Err(message) => return problem(message),
    };
    let spec = if src.ends_with(".yaml") || src.ends_with(".yml") {
        crate::yaml::parse(&text, &crate::limits::Limits::default())
            .map_err(|e| format!("{}:{}: {}", e.line, e.column, e.message))
    } else {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    };
    let spec = match spec {
        Ok(spec) => spec,
        Err(message) => return problem(message),
    };
    openapi_markdown(&spec)
}

/// A local `$ref` (`#/components/…`) followed, a few levels at most.
fn deref<'a>(
    spec: &'a serde_json::Value,
    mut value: &'a serde_json::Value,
) -> &'a serde_json::Value {
    for _ in 0..8 {
        let Some(pointer) = value
            .get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        match spec.pointer(pointer) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

fn one_line(text: &str) -> String {
    text.trim_end().replace('\n', " ")
}

fn openapi_markdown(spec: &serde_json::Value) -> String {
    use serde_json::Value;
    let str_of = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let anchor = |text: &str| crate::slug::slugify_with(crate::slug::Style::Github, text);
    let mut md = String::from("\n\n");
    let info = spec.get("info").cloned().unwrap_or(Value::Null);
    if let Some(description) = str_of(&info, "description") {
        let _ = write!(md, "{description}\n\n");
    }
    if let Some(version) = str_of(&info, "version") {
        let _ = write!(md, "`v{version}`\n\n");
    }
    if let Some(servers) = spec
        .get("servers")
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
    {
        md.push_str("## Servers\n\n");
        for server in servers {
            let url = str_of(server, "url").unwrap_or_default();
            let label =
                str_of(server, "description").map_or("Server".to_string(), |d| one_line(&d));
            let _ = write!(md, "{label}: [`{url}`]({url})\n\n");
        }
    }
    let schemes = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .filter(|s| !s.is_empty());
    if let Some(schemes) = schemes {
        md.push_str("## Security\n\n");
        let mut names: Vec<&String> = schemes.keys().collect();
        names.sort();
        for name in names {
            let scheme = deref(spec, &schemes[name]);
            let kind = str_of(scheme, "type").unwrap_or_default();
            let _ = write!(md, "`{name}`: `{kind}`");
            if let Some(description) = str_of(scheme, "description") {
                let _ = write!(md, " — {}", one_line(&description));
            }
            md.push_str("\n\n");
        }
    }
    // Operations under each of their tags, tags sorted.
    let mut by_tag: std::collections::BTreeMap<String, Vec<(&str, &str, &Value, &Value)>> =
        std::collections::BTreeMap::new();
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        let mut sorted: Vec<(&String, &Value)> = paths.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in sorted {
            for method in OPENAPI_METHODS {
                let Some(operation) = item.get(method).filter(|o| o.is_object()) else {
                    continue;
                };
                let tags: Vec<String> = operation
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|t| {
                        t.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .filter(|t: &Vec<String>| !t.is_empty())
                    .unwrap_or_else(|| vec!["API".to_string()]);
                for tag in tags {
                    by_tag
                        .entry(tag)
                        .or_default()
                        .push((path, method, operation, item));
                }
            }
        }
    }
    for (tag, entries) in &by_tag {
        let _ = write!(md, "## {}\n\n", title_case(tag));
        for (path, method, operation, item) in entries {
            openapi_operation(&mut md, spec, path, method, operation, item, &anchor);
        }
    }
    if let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .filter(|s| !s.is_empty())
    {
        md.push_str("## Models\n\n");
        let mut names: Vec<&String> = schemas.keys().collect();
        names.sort();
        for name in names {
            let _ = write!(md, "### {name} {{#model-{}}}\n\n", anchor(name));
            if let Some(description) = str_of(&schemas[name], "description") {
                let _ = write!(md, "{}\n\n", description.trim_end());
            }
        }
    }
    md
}

/// Hugo's `title`: each word's first letter upper-cased.
fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn openapi_operation(
    md: &mut String,
    spec: &serde_json::Value,
    path: &str,
    method: &str,
    operation: &serde_json::Value,
    item: &serde_json::Value,
    anchor: &dyn Fn(&str) -> String,
) {
    use serde_json::Value;
    let upper = method.to_ascii_uppercase();
    let mut title = operation
        .get("summary")
        .and_then(Value::as_str)
        .map_or_else(|| format!("`{upper} {path}`"), str::to_string);
    if operation.get("deprecated") == Some(&Value::Bool(true)) {
        title = format!("~~{title}~~");
    }
    match operation.get("operationId").and_then(Value::as_str) {
        Some(id) => {
            let _ = write!(md, "### {title} {{#op-{}}}\n\n", anchor(id));
        }
        None => {
            let _ = write!(md, "### {title}\n\n");
        }
    }
    if let Some(description) = operation.get("description").and_then(Value::as_str) {
        let _ = write!(md, "{}\n\n", description.trim_end());
    }
    // Each requirement: its schemes (sorted, as Go ranges over a map) joined by "and".
    let security = operation
        .get("security")
        .or_else(|| spec.get("security"))
        .and_then(Value::as_array);
    let requirements: Vec<String> = security
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter_map(|requirement| {
            let mut names: Vec<&String> = requirement.keys().collect();
            names.sort();
            let links: Vec<String> = names.iter().map(|n| format!("[{n}](#security)")).collect();
            (!links.is_empty()).then(|| links.join(" and "))
        })
        .collect();
    if requirements.is_empty() {
        md.push_str("#### Request\n\n");
    } else {
        let _ = write!(
            md,
            "#### Request (requires {})\n\n",
            requirements.join(", ")
        );
    }
    let _ = write!(md, "```tpl\n{upper} {path}\n```\n\n");
    // Path-level parameters unless the operation has one of the same name and place.
    let params_of = |v: &Value| -> Vec<Value> {
        v.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| deref(spec, p).clone())
            .collect()
    };
    let own = params_of(operation);
    let key = |p: &Value| (p.get("in").cloned(), p.get("name").cloned());
    let mut all: Vec<Value> = params_of(item)
        .into_iter()
        .filter(|p| !own.iter().any(|o| key(o) == key(p)))
        .collect();
    all.extend(own);
    for (place, label) in [
        ("path", "Path parameters"),
        ("query", "Query parameters"),
        ("header", "Header parameters"),
        ("cookie", "Cookie parameters"),
    ] {
        let here: Vec<&Value> = all
            .iter()
            .filter(|p| p.get("in").and_then(Value::as_str) == Some(place))
            .collect();
        if here.is_empty() {
            continue;
        }
        let _ = write!(
            md,
            "#### {label}\n\n| Parameter name | Description | Additional |\n|---|---|---|\n"
        );
        for p in here {
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let description = p
                .get("description")
                .and_then(Value::as_str)
                .map(one_line)
                .unwrap_or_default();
            let required = if p.get("required") == Some(&Value::Bool(true)) {
                "Required"
            } else {
                ""
            };
            let _ = writeln!(md, "| `{name}` | {description} | {required} |");
        }
        md.push('\n');
    }
    if let Some(body) = operation.get("requestBody").map(|b| deref(spec, b)) {
        let description = body.get("description").and_then(Value::as_str);
        if description.is_some() || body.get("content").is_some() {
            let required = body.get("required") == Some(&Value::Bool(true));
            let _ = write!(
                md,
                "#### Request body{}\n\n",
                if required { " (required)" } else { "" }
            );
            if let Some(description) = description {
                let _ = write!(md, "{}\n\n", description.trim_end());
            }
        }
    }
    if let Some(responses) = operation
        .get("responses")
        .and_then(Value::as_object)
        .filter(|r| !r.is_empty())
    {
        md.push_str("#### Responses\n\n");
        let mut codes: Vec<&String> = responses.keys().collect();
        codes.sort();
        for code in codes {
            let response = deref(spec, &responses[code]);
            match response.get("description").and_then(Value::as_str) {
                Some(d) => {
                    let _ = write!(md, "`{code}`: {}\n\n", one_line(d));
                }
                None => {
                    let _ = write!(md, "`{code}`\n\n");
                }
            }
        }
    }
}
