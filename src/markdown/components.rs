//! Our own components that the flavours' markup maps onto: admonitions, `<details>`, tabs, the inline
//! table of contents. One place for their HTML, so a Docusaurus `:::note`, a Hugo `{{% notice %}}`
//! and a Docsy `{{% alert %}}` come out the same.

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

/// The opening of an admonition box; Markdown may follow; closed by [`CLOSE_DIV`].
pub(super) fn admonition_open(kind: &str, title: &str) -> String {
    format!(
        "<div class=\"admonition admonition-{kind}\" role=\"note\"><p class=\"admonition-title\">{}</p>\n\n",
        escape(title)
    )
}

/// Closes an admonition, a block, a tab panel or a tab set.
pub(super) const CLOSE_DIV: &str = "\n\n</div>\n\n";

/// The opening of a `<details>` box; closed by [`CLOSE_DETAILS`].
pub(super) fn details_open(summary: &str) -> String {
    format!(
        "\n\n<details class=\"expand\"><summary>{}</summary>\n\n",
        escape(summary)
    )
}

/// Closes a `<details>` box.
pub(super) const CLOSE_DETAILS: &str = "\n\n</details>\n\n";

/// The opening of a tab set (the theme's `site.js` turns its panels into tabs).
pub(super) const TABS_OPEN: &str = "\n\n<div class=\"tabs\" data-tabs>\n\n";

/// The opening of one tab panel.
pub(super) fn tab_open(label: &str) -> String {
    let label = escape(label);
    format!("\n\n<div class=\"tab-panel\" data-tab-label=\"{label}\"><p class=\"tab-label\">{label}</p>\n\n")
}

/// HTML-escape text for an element or a quoted attribute (the theme's one helper).
pub(super) use crate::theme::escape;
