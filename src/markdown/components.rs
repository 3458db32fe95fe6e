//! Our own components that the flavours' markup maps onto: admonitions, `<details>`, tabs, the inline
//! table of contents, headings, tables and code blocks. A Docusaurus `:::note`, a Hugo
//! `{{% notice %}}` and a Docsy `{{% alert %}}` come out the same, and none of them holds markup:
//! the markup is the theme's, in the templates `markdown/*.html` a site may override.
//!
//! A pre-pass cannot render a template (Markdown follows inside the component), so it writes a
//! *marker*: an HTML comment on a line of its own naming the template and its fields as JSON
//! ([`open`]), and [`CLOSE`] where the component ends. The Markdown pass meets the markers as HTML
//! blocks and renders each template once per component instance ([`Markup::open`]); the template's
//! `{{ body }}` marks where the Markdown inside goes, so one template gives both ends.

use crate::theme::{Slot, Templates};
use serde::Serialize;

/// The admonition kinds we style; each has a default title `admonition.KIND` in the theme's strings.
pub(super) const KINDS: [&str; 7] = [
    "note",
    "tip",
    "info",
    "warning",
    "caution",
    "danger",
    "important",
];

/// Marker the renderer replaces with the page's table of contents.
pub(super) const TOC_MARKER: &str = "<!--intark-toc-->";

/// How a component marker starts; the rest of its line is JSON and `-->`.
const OPEN_PREFIX: &str = "<!--intark:open ";

/// The marker that closes the innermost open component.
pub(super) const CLOSE: &str = "<!--intark:close-->";

/// [`CLOSE`] as a block of its own (closes an admonition, a block, a tab panel or a tab set).
pub(super) const CLOSE_DIV: &str = "\n\n<!--intark:close-->\n\n";

/// Closes a `<details>` box (the same marker: the template of the open box knows its end).
pub(super) const CLOSE_DETAILS: &str = CLOSE_DIV;

/// The opening of a tab set (the theme's `site.js` turns its panels into tabs).
pub(super) const TABS_OPEN: &str =
    "\n\n<!--intark:open {\"template\":\"markdown/tabs.html\"}-->\n\n";

/// Stands for the component's Markdown body while its template renders (Tera's escaping leaves
/// characters of the private use area alone).
const BODY: &str = "\u{e000}intark-body\u{e000}";

/// The admonition kind of a word (a kind, a Bootstrap colour, a Hugo theme's notice style).
pub(super) fn kind_of(word: &str) -> &'static str {
    match word.to_ascii_lowercase().as_str() {
        "warning" | "warn" | "attention" => "warning",
        "caution" => "caution",
        "danger" | "error" | "red" => "danger",
        "tip" | "success" | "hint" | "green" => "tip",
        "info" | "primary" | "blue" => "info",
        "important" => "important",
        _ => "note",
    }
}

/// The default title of a kind, in the page's language.
pub(super) fn default_title<'a>(kind: &str, ui: crate::i18n::Ui<'a>) -> &'a str {
    let key = match kind {
        "tip" => "admonition.tip",
        "info" => "admonition.info",
        "warning" => "admonition.warning",
        "caution" => "admonition.caution",
        "danger" => "admonition.danger",
        "important" => "admonition.important",
        _ => "admonition.note",
    };
    ui.text(key)
}

/// The marker opening the component of template `name` (`markdown/NAME.html`) with `fields` as its
/// context, as a block of its own; closed by [`CLOSE_DIV`].
pub(super) fn open(name: &str, fields: &[(&str, &str)]) -> String {
    let mut map = serde_json::Map::new();
    map.insert("template".into(), format!("markdown/{name}.html").into());
    for (key, value) in fields {
        map.insert((*key).into(), (*value).into());
    }
    // `>` only occurs inside JSON strings, where `\u003e` means the same: the comment cannot end early.
    let json = serde_json::Value::Object(map)
        .to_string()
        .replace('>', "\\u003e");
    format!("\n\n{OPEN_PREFIX}{json}-->\n\n")
}

/// The opening of an admonition box; Markdown may follow; closed by [`CLOSE_DIV`].
pub(super) fn admonition_open(kind: &str, title: &str) -> String {
    open("admonition", &[("kind", kind), ("title", title)])
}

/// The opening of a `<details>` box; closed by [`CLOSE_DETAILS`].
pub(super) fn details_open(summary: &str) -> String {
    open("details", &[("summary", summary)])
}

/// The opening of one tab panel; closed by [`CLOSE_DIV`].
pub(super) fn tab_open(label: &str) -> String {
    open("tab", &[("label", label)])
}

/// How a Docusaurus tab set keeps in step with others (theme-common `tabsUtils.tsx`): with a
/// `groupId`, every set of that group shows the same `value` and the choice is kept for later
/// pages; without one, the set stands alone.
/// `query`: the URL parameter that chooses the tab (`queryString`), read before the stored
/// choice as Docusaurus does.
pub(super) fn docusaurus_tabs_open(group_id: Option<&str>, query: Option<&str>) -> String {
    let mut fields = match group_id {
        Some(group) => vec![("group_id", group)],
        None => vec![("independent", "true")],
    };
    if let Some(query) = query {
        fields.push(("query_key", query));
    }
    open("tabs", &fields)
}

/// A Docusaurus tab panel: its `label` (else its `value`), its `value`, and whether it is the
/// `default` one (shown until a reader chooses).
pub(super) fn docusaurus_tab_open(label: &str, value: &str, default: bool) -> String {
    if default {
        open(
            "tab",
            &[("label", label), ("value", value), ("default", "true")],
        )
    } else {
        open("tab", &[("label", label), ("value", value)])
    }
}

/// Whether an HTML block of the rewritten text is one of our markers.
pub(super) fn is_marker(html: &str) -> bool {
    let html = html.trim_start();
    html.starts_with(OPEN_PREFIX) || html.starts_with(CLOSE)
}

/// Renders the theme's component templates for one page, and keeps the ends of the components
/// still open.
pub(super) struct Markup<'a> {
    templates: &'a Templates,
    lang: &'a str,
    open: Vec<String>,
}

/// A component template that could not be rendered: the template's name and the error's chain.
#[derive(Debug)]
pub(super) struct Failed(pub(super) String);

impl<'a> Markup<'a> {
    /// The markup of a page in `lang` (the language of its UI strings).
    pub(super) fn new(templates: Option<&'a Templates>, lang: &'a str) -> Markup<'a> {
        Markup {
            templates: templates.unwrap_or_else(|| built_in()),
            lang,
            open: Vec::new(),
        }
    }

    /// The HTML of a marker: the opening part of its template (the end kept for its [`CLOSE`]), or
    /// the end of the innermost open component.
    pub(super) fn marker(&mut self, html: &str) -> Result<String, Failed> {
        let html = html.trim();
        let Some(json) = html
            .strip_prefix(OPEN_PREFIX)
            .and_then(|j| j.strip_suffix("-->"))
        else {
            return Ok(self.open.pop().unwrap_or_default());
        };
        // A marker we wrote ourselves: an unreadable one can only be a writer's own comment.
        let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(json) else {
            return Ok(html.to_string());
        };
        let name = fields
            .get("template")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.open.push(String::new());
        let (start, end) = self.wrap(&name, &fields)?;
        if let Some(last) = self.open.last_mut() {
            *last = end;
        }
        Ok(start)
    }

    /// The ends of components the page left open, innermost first.
    pub(super) fn close_all(&mut self) -> String {
        self.open.drain(..).rev().collect()
    }

    /// Render a template around a body: (the part before the body, the part after it).
    pub(super) fn wrap(
        &self,
        name: &str,
        fields: &impl Serialize,
    ) -> Result<(String, String), Failed> {
        let mut context =
            tera::Context::from_serialize(fields).map_err(|e| Failed(format!("{name}: {e}")))?;
        context.insert("body", BODY);
        let html = self
            .templates
            .render_context(name, self.lang, &context)
            .map_err(|e| Failed(e.chain()))?;
        Ok(match html.split_once(BODY) {
            Some((start, end)) => (start.to_string(), end.to_string()),
            None => (html, String::new()),
        })
    }

    /// [`Markup::wrap`] for the templates rendered per heading or table: `fields` are the few
    /// values that repeat (a heading's level), `slots` the ones that differ per use (its id and
    /// text), so the theme renders the template once and the cut is filled per use.
    pub(super) fn wrap_slots(
        &self,
        name: &str,
        fields: &impl Serialize,
        slots: &[Slot<'_>],
    ) -> Result<(String, String), Failed> {
        let mut all = slots.to_vec();
        all.push(Slot {
            key: "body",
            value: BODY,
            raw: true,
        });
        let html = self
            .templates
            .render_slots(name, self.lang, fields, &all)
            .map_err(|e| Failed(e.chain()))?;
        Ok(match html.split_once(BODY) {
            Some((start, end)) => (start.to_string(), end.to_string()),
            None => (html, String::new()),
        })
    }

    /// [`Markup::render`] with per-use `slots` (see [`Markup::wrap_slots`]).
    pub(super) fn render_slots(
        &self,
        name: &str,
        fields: &impl Serialize,
        slots: &[Slot<'_>],
    ) -> Result<String, Failed> {
        self.templates
            .render_slots(name, self.lang, fields, slots)
            .map_err(|e| Failed(e.chain()))
    }

    /// Render a template without a body.
    pub(super) fn render(&self, name: &str, fields: &impl Serialize) -> Result<String, Failed> {
        self.templates
            .render(name, self.lang, fields)
            .map_err(|e| Failed(e.chain()))
    }
}

/// The built-in theme's templates, for a pass given none (unit tests, tools).
fn built_in() -> &'static Templates {
    static BUILT_IN: std::sync::OnceLock<Templates> = std::sync::OnceLock::new();
    BUILT_IN.get_or_init(|| {
        Templates::new(&crate::theme::Theme::built_in()).expect("the built-in templates compile")
    })
}

/// HTML-escape text for an element or a quoted attribute (the theme's one helper).
pub(super) use crate::theme::escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_renders_its_template_around_the_body_and_closes_it() {
        let mut markup = Markup::new(None, "en");
        let start = markup
            .marker(&admonition_open("warning", "Mind <this> -->"))
            .unwrap();
        let end = markup.marker(CLOSE).unwrap();
        let html = scraper::Html::parse_fragment(&format!("{start}<p>x</p>{end}"));
        let sel = scraper::Selector::parse("div.admonition-warning > p").unwrap();
        let texts: Vec<String> = html.select(&sel).map(|p| p.text().collect()).collect();
        assert_eq!(texts, ["Mind <this> -->", "x"]);
    }

    #[test]
    fn components_left_open_are_closed_innermost_first() {
        let mut markup = Markup::new(None, "nb");
        let mut html = String::new();
        for marker in [
            TABS_OPEN.to_string(),
            tab_open("Linux"),
            details_open("Mer"),
        ] {
            html.push_str(&markup.marker(&marker).unwrap());
        }
        html.push_str(&markup.close_all());
        assert!(markup.open.is_empty());
        let html = scraper::Html::parse_fragment(&html);
        let sel = scraper::Selector::parse("div.tabs > div.tab-panel > details > summary").unwrap();
        let summary: String = html.select(&sel).flat_map(|s| s.text()).collect();
        assert_eq!(summary, "Mer");
    }
}
