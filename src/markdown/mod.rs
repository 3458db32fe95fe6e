//! One pass over a page's Markdown: render it to HTML and record, with byte offsets in the source,
//! everything later stages need — headings (ids), links (resolved), TODO markers and code blocks.
//!
//! Checking is not done here; the `check` module reads what this pass recorded. This module reads no
//! files and knows no other page than through the [`Resolver`].

mod components;
mod docusaurus;
mod excerpt;
mod footnotes;
pub use excerpt::docusaurus_excerpt;
mod highlight;
mod hugo;
mod ids;
mod jekyll;
pub mod liquid;
mod prepass;
pub mod rewrite;
mod suspects;
mod text;
pub mod todo;

pub use highlight::Highlighter;

use components::{Markup, TOC_MARKER};

use crate::model::{CodeBlock, Heading, Link, LinkKind, Suspect, Todo};
use crate::routes::Resolver;
use crate::slug::Slugger;
use crate::theme::Slot;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// What the pass needs besides the page's text.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Resolves links to pages and assets.
    pub resolver: &'a Resolver,
    /// Highlights code blocks.
    pub highlighter: &'a Highlighter,
    /// The TODO words to look for.
    pub todo_words: &'a todo::Words,
    /// The page's path relative to the content folder.
    pub rel_path: &'a str,
    /// The page's route.
    pub route: &'a str,
    /// Produce HTML; `check` only needs what the pass records, so it skips rendering and highlighting.
    pub html: bool,
    /// What Hugo shortcodes and Liquid variables may refer to.
    pub foreign: rewrite::Env<'a>,
    /// How heading ids are made.
    pub heading_ids: crate::slug::Style,
}

/// The result of the pass.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The page body as HTML.
    pub html: String,
    /// Headings with ids.
    pub headings: Vec<Heading>,
    /// Links and images, resolved.
    pub links: Vec<Link>,
    /// TODO markers in the body.
    pub todos: Vec<Todo>,
    /// Code blocks.
    pub code_blocks: Vec<CodeBlock>,
    /// Text that looks like a link Markdown did not make.
    pub suspects: Vec<Suspect>,
    /// The text of the first `#` heading.
    pub h1: Option<String>,
    /// Ids of elements in raw HTML and JSX (`<a id>`, `<a name>`, any `id=`): link targets too.
    pub element_ids: Vec<String>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Render the body of `source` (from `body_offset`) and record what it contains.
pub fn render(source: &str, body_offset: usize, ctx: &Context<'_>) -> Rendered {
    let body = text::from(source, body_offset);
    let mut found = Vec::new();
    // Jekyll: Liquid first (as Jekyll does), then the flavour pre-pass on its output.
    let liquid = ctx.foreign.liquid.map(|(engine, page)| {
        engine.render(body, &page.value(), liquid::folder(&page.path), &mut found)
    });
    let before = |offset: usize| liquid.as_ref().map_or(offset, |l| l.original(offset));
    let mut prepass_found = Vec::new();
    let stage = liquid.as_ref().map_or(body, |l| l.text.as_str());
    let rewritten = prepass::rewrite(stage, &ctx.foreign, &mut prepass_found);
    found.extend(prepass_found.into_iter().map(|mut f| {
        f.offset = before(f.offset);
        f
    }));
    let text = rewritten.text.as_str();
    let to_source = |offset: usize| body_offset + before(rewritten.original(offset));

    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut slugger = Slugger::with_style(ctx.heading_ids);
    let mut heading: Option<(HeadingLevel, Option<CowStr<'_>>, usize, Vec<Event<'_>>)> = None;
    let mut code: Option<(String, usize, String)> = None;
    let mut in_comment = false;
    let mut table_ends: Vec<String> = Vec::new();
    let mut text_run: Option<Range<usize>> = None;
    let mut markup = Markup::new(ctx.foreign.templates, ctx.foreign.ui.table_lang());
    // Docusaurus sites: footnotes with remark-gfm's ids, listed at the end of the page.
    let mut footnotes =
        (ctx.heading_ids == crate::slug::Style::Docusaurus).then(footnotes::Footnotes::default);

    // kramdown's definition lists (`term`, then `: definition`) on Jekyll sites.
    let options = match ctx.foreign.liquid {
        Some(_) => options() | Options::ENABLE_DEFINITION_LIST,
        None => options(),
    };
    // A Jekyll page in anything but Markdown (`.html`, a `.liquid` file whose permalink is
    // `x.html`): after its Liquid, the text is the page (Jekyll's Identity converter).
    let html_page = ctx.foreign.liquid.is_some() && !crate::permalink::is_markdown(ctx.rel_path);
    let parsed: Box<dyn Iterator<Item = (Event<'_>, Range<usize>)>> = if html_page {
        Box::new(std::iter::once((
            Event::Html(CowStr::Borrowed(text)),
            0..text.len(),
        )))
    } else {
        Box::new(Parser::new_ext(text, options).into_offset_iter())
    };
    for (event, range) in parsed {
        if matches!(event, Event::Text(_)) && code.is_none() {
            text_run = match text_run.take() {
                Some(run) if run.end == range.start => Some(run.start..range.end),
                Some(run) => {
                    suspects::scan(&text[run.clone()], run.start, &to_source, &mut out.suspects);
                    Some(range.clone())
                }
                None => Some(range.clone()),
            };
        } else if let Some(run) = text_run.take() {
            suspects::scan(&text[run.clone()], run.start, &to_source, &mut out.suspects);
        }
        match &event {
            Event::Text(_) | Event::Code(_) if code.is_none() => {
                scan_todos(text, range.clone(), false, &to_source, ctx, &mut out.todos);
            }
            Event::Html(html) if components::is_marker(html) => {
                // A component's fields (a title) are the writer's visible text.
                scan_todos(text, range.clone(), false, &to_source, ctx, &mut out.todos);
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                in_comment = scan_html(
                    html,
                    text,
                    range.clone(),
                    in_comment,
                    &to_source,
                    ctx,
                    &mut out,
                );
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) if ctx.foreign.liquid.is_some() => {
                // kramdown gives a footnote the id `fn:LABEL`; Jekyll sites link to it. It is a
                // link target (a heading of level 0, which no table of contents lists).
                let id = format!("fn:{label}");
                out.headings.push(Heading {
                    level: 0,
                    text: String::new(),
                    id: id.clone(),
                    offset: to_source(range.start),
                });
                events.push(Event::Start(Tag::FootnoteDefinition(label)));
                if ctx.html {
                    match markup.render("markdown/footnote-anchor.html", &Anchor { id: &id }) {
                        Ok(html) => events.push(Event::Html(html.into())),
                        Err(e) => theme_failure(&mut out, to_source(range.start), e),
                    }
                }
            }
            Event::FootnoteReference(label) if footnotes.is_some() => {
                if let Some(notes) = footnotes.as_mut() {
                    let reference = notes.reference(&label);
                    out.headings.push(Heading {
                        level: 0,
                        text: String::new(),
                        id: reference.id.clone(),
                        offset: to_source(range.start),
                    });
                    if ctx.html {
                        match markup.render("markdown/footnote-ref.html", &reference) {
                            Ok(html) => {
                                push(&mut heading, &mut events, Event::InlineHtml(html.into()))
                            }
                            Err(e) => theme_failure(&mut out, to_source(range.start), e),
                        }
                    }
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) if footnotes.is_some() => {
                if let Some(notes) = footnotes.as_mut() {
                    notes.start(&label, events.len(), to_source(range.start));
                }
            }
            Event::End(TagEnd::FootnoteDefinition) if footnotes.is_some() => {
                if let Some(notes) = footnotes.as_mut() {
                    notes.end(events.len());
                }
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id, to_source(range.start), Vec::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, offset, inner)) = heading.take() {
                    let done = push_heading(
                        ctx.html.then_some(&markup),
                        level,
                        id,
                        offset,
                        inner,
                        &mut slugger,
                        &mut out,
                        &mut events,
                    );
                    if let Err(e) = done {
                        theme_failure(&mut out, offset, e);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let first_line = text[range.clone()]
                    .find('\n')
                    .map_or(range.end, |i| range.start + i + 1);
                let start = if info.is_empty()
                    && !text[range.clone()].trim_start().starts_with(['`', '~'])
                {
                    range.start
                } else {
                    first_line
                };
                code = Some((info, to_source(start), String::new()));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, _, body)) = code.as_mut() {
                    body.push_str(&t);
                }
                scan_todos(text, range, false, &to_source, ctx, &mut out.todos);
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, offset, body)) = code.take() {
                    let (lang, attrs) = split_info(&info);
                    let html = if ctx.html {
                        let code = ctx.highlighter.highlight(lang, &body);
                        let slot = Slot {
                            key: "code",
                            value: &code,
                            raw: true,
                        };
                        markup
                            .render_slots("markdown/code.html", &Code { lang }, &[slot])
                            .unwrap_or_else(|e| {
                                theme_failure(&mut out, offset, e);
                                String::new()
                            })
                    } else {
                        String::new()
                    };
                    out.code_blocks.push(CodeBlock {
                        lang: lang.to_string(),
                        attrs: attrs.to_string(),
                        code: body,
                        offset,
                    });
                    push(&mut heading, &mut events, Event::Html(html.into()));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = record_link(
                    &dest_url,
                    LinkKind::Link,
                    to_source(range.start),
                    ctx,
                    &mut out,
                );
                push(
                    &mut heading,
                    &mut events,
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest.into(),
                        title,
                        id,
                    }),
                );
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = record_link(
                    &dest_url,
                    LinkKind::Image,
                    to_source(range.start),
                    ctx,
                    &mut out,
                );
                push(
                    &mut heading,
                    &mut events,
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: dest.into(),
                        title,
                        id,
                    }),
                );
            }
            Event::Html(html) if components::is_marker(&html) => {
                if ctx.html {
                    match markup.marker(&html) {
                        Ok(html) => push(&mut heading, &mut events, Event::Html(html.into())),
                        Err(e) => theme_failure(&mut out, to_source(range.start), e),
                    }
                }
            }
            Event::Html(html) => {
                let html = rewrite_html_links(&html, ctx);
                push(&mut heading, &mut events, Event::Html(html.into()));
            }
            Event::InlineHtml(html) => {
                let html = rewrite_html_links(&html, ctx);
                push(&mut heading, &mut events, Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::Table(alignments)) => {
                if ctx.html {
                    match markup.wrap_slots("markdown/table.html", &serde_json::json!({}), &[]) {
                        Ok((start, end)) => {
                            events.push(Event::Html(start.into()));
                            table_ends.push(end);
                        }
                        Err(e) => {
                            theme_failure(&mut out, to_source(range.start), e);
                            table_ends.push(String::new());
                        }
                    }
                }
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                if let Some(end) = table_ends.pop() {
                    events.push(Event::Html(end.into()));
                }
            }
            other => {
                if code.is_none() {
                    push(&mut heading, &mut events, other);
                }
            }
        }
    }
    if let Some(run) = text_run.take() {
        suspects::scan(&text[run.clone()], run.start, &to_source, &mut out.suspects);
    }
    // Constructs of other ecosystems that were not supported, at the writer's own line.
    for f in found {
        out.suspects.push(Suspect {
            offset: body_offset + f.offset,
            message: f.message,
            rule: f.rule,
            tally: f.tally,
        });
    }
    // Sorting then removing repeats keeps the first of each offset in linear-logarithmic time (a
    // search of the list for each marker was quadratic in the TODOs of a page).
    out.todos.sort_by_key(|t| t.offset);
    out.todos.dedup_by_key(|t| t.offset);
    if let Some(notes) = footnotes {
        if let Err(e) = notes.finish(&mut events, ctx.html.then_some(&markup), &mut out.headings) {
            theme_failure(&mut out, body_offset, e);
        }
    }
    out.html.reserve(text.len() * 3 / 2);
    if ctx.html {
        events.push(Event::Html(markup.close_all().into()));
        pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
        if out.html.contains(TOC_MARKER) {
            let headings: Vec<HeadingView<'_>> = out
                .headings
                .iter()
                .filter(|h| h.level == 2 || h.level == 3)
                .map(|h| HeadingView {
                    level: h.level,
                    id: &h.id,
                    text: &h.text,
                })
                .collect();
            match markup.render(
                "markdown/toc.html",
                &serde_json::json!({ "headings": headings }),
            ) {
                Ok(toc) => out.html = out.html.replace(TOC_MARKER, &toc),
                Err(e) => theme_failure(&mut out, body_offset, e),
            }
        }
    }
    out
}

/// A component template that failed, reported at the construct (once per template and page).
fn theme_failure(out: &mut Rendered, offset: usize, e: components::Failed) {
    if !out
        .suspects
        .iter()
        .any(|s| s.rule == THEME_RULE && s.message == e.0)
    {
        out.suspects.push(Suspect {
            offset,
            message: e.0,
            rule: THEME_RULE,
            tally: None,
        });
    }
}

/// The rule of findings about the theme's templates met in a page body.
pub const THEME_RULE: &str = "theme";

/// The context of `markdown/code.html` but its `code` (the highlighted HTML, a slot).
#[derive(serde::Serialize)]
struct Code<'a> {
    lang: &'a str,
}

/// The context of `markdown/footnote-anchor.html`.
#[derive(serde::Serialize)]
struct Anchor<'a> {
    id: &'a str,
}

/// A heading of `markdown/toc.html` (`markdown/heading.html` gets the same values: `level` as a
/// field, `id` and `text` as slots, `body` the heading's inline HTML).
#[derive(serde::Serialize)]
struct HeadingView<'a> {
    level: u8,
    id: &'a str,
    text: &'a str,
}

fn push<'a>(
    heading: &mut Option<(HeadingLevel, Option<CowStr<'a>>, usize, Vec<Event<'a>>)>,
    events: &mut Vec<Event<'a>>,
    event: Event<'a>,
) {
    match heading {
        Some((_, _, _, inner)) => inner.push(event),
        None => events.push(event),
    }
}

/// Record a heading and, with `markup`, write it through the theme's `markdown/heading.html`.
#[allow(clippy::too_many_arguments)]
fn push_heading<'a>(
    markup: Option<&Markup<'_>>,
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    offset: usize,
    inner: Vec<Event<'a>>,
    slugger: &mut Slugger,
    out: &mut Rendered,
    events: &mut Vec<Event<'a>>,
) -> Result<(), components::Failed> {
    let text: String = inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let id = match id {
        Some(id) => {
            slugger.reserve(&id);
            id.to_string()
        }
        None => slugger.slug(&text),
    };
    let n = level as u8;
    if n == 1 && out.h1.is_none() {
        out.h1 = Some(text.clone());
    }
    let wrapped = markup.map(|m| {
        let slot = |key, value| Slot {
            key,
            value,
            raw: false,
        };
        m.wrap_slots(
            "markdown/heading.html",
            &serde_json::json!({ "level": n }),
            &[slot("id", &id), slot("text", &text)],
        )
    });
    out.headings.push(Heading {
        level: n,
        text,
        id,
        offset,
    });
    match wrapped {
        Some(Ok((start, end))) => {
            events.push(Event::Html(start.into()));
            events.extend(inner);
            events.push(Event::Html(end.into()));
        }
        Some(Err(e)) => {
            events.extend(inner);
            return Err(e);
        }
        None => {}
    }
    Ok(())
}

fn record_link(
    dest: &str,
    kind: LinkKind,
    offset: usize,
    ctx: &Context<'_>,
    out: &mut Rendered,
) -> String {
    let target = ctx.resolver.resolve(dest, ctx.rel_path, ctx.route);
    let href = ctx.resolver.href(&target, dest);
    out.links.push(Link {
        dest: dest.to_string(),
        kind,
        offset,
        target,
    });
    href
}

/// Split a fence info string into the language and the rest (`bash expect=401` → `bash`, `expect=401`).
pub fn split_info(info: &str) -> (&str, &str) {
    let info = info.trim();
    let info = info
        .strip_prefix('{')
        .and_then(|i| i.strip_suffix('}'))
        .unwrap_or(info);
    match info.find(|c: char| c.is_whitespace() || c == ',') {
        Some(i) => (&info[..i], info[i..].trim_start_matches(',').trim()),
        None => (info, ""),
    }
}

fn scan_todos(
    text: &str,
    range: Range<usize>,
    hidden: bool,
    to_source: &dyn Fn(usize) -> usize,
    ctx: &Context<'_>,
    todos: &mut Vec<Todo>,
) {
    let slice = &text[range.clone()];
    for found in ctx.todo_words.find(slice) {
        let offset = to_source(range.start + found.offset);
        // A marker met twice (the same source seen through two events) is kept once, in `render`.
        todos.push(Todo {
            word: found.word.to_string(),
            text: found.text,
            offset,
            hidden,
        });
    }
}

/// Record links and TODOs of raw HTML; returns whether an HTML comment is still open after it.
fn scan_html(
    html: &str,
    text: &str,
    range: Range<usize>,
    mut in_comment: bool,
    to_source: &dyn Fn(usize) -> usize,
    ctx: &Context<'_>,
    out: &mut Rendered,
) -> bool {
    // The event's text and its source range match byte for byte except for block indentation.
    let source_slice = text::between(text, range.start, range.end);
    let base = range.start + source_slice.find(html.trim_start()).unwrap_or(0);
    let mut pos = 0;
    while pos < html.len() {
        if in_comment {
            let end = html[pos..].find("-->").map_or(html.len(), |i| pos + i + 3);
            scan_todos(
                text,
                (base + pos).min(range.end)..(base + end).min(range.end),
                true,
                to_source,
                ctx,
                &mut out.todos,
            );
            in_comment = end == html.len() && !html[pos..].contains("-->");
            pos = end;
        } else {
            let end = html[pos..].find("<!--").map_or(html.len(), |i| pos + i);
            let visible = &html[pos..end];
            ids::collect(visible, &mut out.element_ids);
            for (at, value) in attribute_urls(visible) {
                let offset = to_source((base + pos + at).min(range.end));
                let target = ctx.resolver.resolve(value, ctx.rel_path, ctx.route);
                out.links.push(Link {
                    dest: value.to_string(),
                    kind: LinkKind::Html,
                    offset,
                    target,
                });
            }
            scan_todos(
                text,
                (base + pos).min(range.end)..(base + end).min(range.end),
                false,
                to_source,
                ctx,
                &mut out.todos,
            );
            if end < html.len() {
                in_comment = true;
                pos = end + 4;
            } else {
                pos = end;
            }
        }
    }
    in_comment
}

/// `href="…"` and `src="…"` values in a piece of HTML, with their byte offsets.
fn attribute_urls(html: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for name in ["href=", "src="] {
        let mut from = 0;
        while let Some(i) = html[from..].find(name) {
            let at = from + i;
            from = at + name.len();
            let before_ok = at == 0 || html.as_bytes()[at - 1].is_ascii_whitespace();
            let rest = &html[from..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(len) = rest[1..].find(quote) else {
                continue;
            };
            if before_ok {
                found.push((at, &rest[1..1 + len]));
            }
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found
}

/// Rewrite resolvable `href`/`src` values in raw HTML to their output URLs.
fn rewrite_html_links(html: &str, ctx: &Context<'_>) -> String {
    if !html.contains("href=") && !html.contains("src=") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for (at, value) in attribute_urls(html) {
        let target = ctx.resolver.resolve(value, ctx.rel_path, ctx.route);
        let href = ctx.resolver.href(&target, value);
        if href != value {
            let value_start = text::find_from(html, at, value).unwrap_or(at);
            out.push_str(text::between(html, last, value_start));
            out.push_str(&href);
            last = value_start + value.len();
        }
    }
    out.push_str(text::from(html, last));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Target;

    fn with_context<T>(f: impl FnOnce(&Context<'_>) -> T) -> T {
        let resolver = Resolver::new(
            "/docs",
            [("a/b.md", "/docs/a/b/"), ("a/c.md", "/docs/a/c/")],
            ["/img/x.png".to_string()],
        );
        let highlighter = Highlighter::default();
        let words = todo::Words::new(&["TODO".to_string(), "FIXME".to_string()], false);
        let ctx = Context {
            resolver: &resolver,
            highlighter: &highlighter,
            todo_words: &words,
            rel_path: "a/b.md",
            route: "/docs/a/b/",
            html: true,
            foreign: rewrite::Env::default(),
            heading_ids: crate::slug::Style::Github,
        };
        f(&ctx)
    }

    #[test]
    fn element_ids_in_html_blocks_and_inline_html_are_recorded() {
        let r = with_context(|c| {
            render(
                "| a |\n|---|\n| b |\n\n<a id=\"get-users\"></a>\n\nTekst <a name=\"gammel\"></a> og <span id='x'>x</span>.\n\n<!-- <a id=\"skjult\"> -->\n",
                0,
                c,
            )
        });
        assert_eq!(r.element_ids, ["get-users", "gammel", "x"]);
    }

    #[test]
    fn headings_get_slugger_ids_and_custom_ids() {
        let r = with_context(|c| {
            render(
                "# Tittel\n\n## Om API-et\n\n## Om API-et\n\n### Egen {#eget-id}\n",
                0,
                c,
            )
        });
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["tittel", "om-api-et", "om-api-et-1", "eget-id"]);
        assert_eq!(r.h1.as_deref(), Some("Tittel"));
        assert!(r.html.contains("id=\"eget-id\""));
    }

    #[test]
    fn links_are_resolved_recorded_and_rewritten() {
        let source = "---\ntitle: x\n---\nSe [c](./c.md#del) og ![bilde](/img/x.png).\n";
        let body = source.find("Se").unwrap();
        let r = with_context(|c| render(source, body, c));
        assert_eq!(r.links.len(), 2);
        assert_eq!(
            r.links[0].target,
            Target::Page {
                page: 1,
                fragment: Some("del".into())
            }
        );
        assert_eq!(r.links[0].offset, source.find("[c]").unwrap());
        assert!(r.html.contains("href=\"/docs/a/c/#del\""), "{}", r.html);
    }

    #[test]
    fn todos_in_text_code_and_comments_are_found_at_their_offsets() {
        let source = "Tekst TODO: skriv mer\n\n```bash\ncurl -H \"SOAPAction: **TODO**\"\n```\n\n<!-- FIXME: skjult -->\n";
        let r = with_context(|c| render(source, 0, c));
        let found: Vec<_> = r.todos.iter().map(|t| (t.offset, t.hidden)).collect();
        assert_eq!(
            found,
            [
                (source.find("TODO: skriv").unwrap(), false),
                (source.find("TODO**").unwrap(), false),
                (source.find("FIXME").unwrap(), true),
            ]
        );
        assert_eq!(r.todos[0].text, "skriv mer");
    }

    #[test]
    fn html_links_are_recorded_outside_comments_only() {
        let source =
            "<p><a href=\"/docs/a/c\">c</a></p>\n\n<!-- <a href=\"/docs/gone\">x</a> -->\n";
        let r = with_context(|c| render(source, 0, c));
        assert_eq!(r.links.len(), 1, "{:?}", r.links);
        assert_eq!(r.links[0].kind, LinkKind::Html);
        assert!(r.html.contains("href=\"/docs/a/c/\""), "{}", r.html);
    }

    #[test]
    fn code_blocks_keep_language_attributes_and_offset() {
        let source = "Tekst\n\n```bash expect=401\ncurl https://x\n```\n";
        let r = with_context(|c| render(source, 0, c));
        assert_eq!(r.code_blocks.len(), 1);
        let block = &r.code_blocks[0];
        assert_eq!(
            (block.lang.as_str(), block.attrs.as_str()),
            ("bash", "expect=401")
        );
        assert_eq!(block.offset, source.find("curl").unwrap());
        assert_eq!(block.code, "curl https://x\n");
    }

    #[test]
    fn admonitions_render_as_boxes_with_markdown_inside() {
        let r = with_context(|c| render(":::warning Obs\nSe **dette**\n:::\n", 0, c));
        assert!(r.html.contains("admonition-warning"), "{}", r.html);
        assert!(r.html.contains("<strong>dette</strong>"), "{}", r.html);
    }
}
