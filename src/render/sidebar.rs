//! Each page's sidebar, joined from pieces the theme renders once per navigation entry.
//!
//! A page's sidebar lists the top level and the open folders on the way to the page, so pages in
//! one folder differ only in their own entry. Rendering `partials/sidebar.html` whole for each page
//! costs a recursive Tera macro over some 30 entries per page, the largest part of a build. With the
//! built-in sidebar templates, [`Sidebars`] instead renders each entry's pieces once through
//! `partials/sidebar-part.html` (a list's start and end, a closed entry, an open folder's start and
//! end, the same macros `partials/sidebar.html` uses) and joins them in the order of the `list`
//! macro; only the current page's own pieces are made per page. Each kind of piece (per string
//! table, part and flags) is rendered once with markers for an entry's label, URL and id and then
//! filled, as `theme::cut` does for headings and code blocks. A site that replaces any of the
//! three sidebar templates gets its `partials/sidebar.html` rendered whole for every page. All
//! markup stays in the templates; this module only orders and reuses their output.

use crate::error::Result;
use crate::nav::{Nav, SidebarItem};
use crate::theme::cut::{Cut, Slot};
use crate::theme::Templates;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The templates whose pieces are shared; any of them replaced means whole renders.
const SIDEBAR_TEMPLATES: [&str; 3] = [
    "partials/sidebar.html",
    "partials/sidebar-macros.html",
    "partials/sidebar-part.html",
];

/// The sidebars of one navigation tree: shareable pieces rendered on first use, per UI language.
pub struct Sidebars<'a> {
    nav: &'a Nav,
    templates: &'a Templates,
    /// The built-in templates are in use, so pieces can be shared.
    share: bool,
    /// Pieces by string table (see [`Templates::table_of`]).
    pieces: Mutex<HashMap<String, Arc<Pieces>>>,
    /// Cuts of the pieces by kind (see [`Sidebars::cut_piece`]); `None`: the cut did not reproduce
    /// a whole render, so that kind is rendered whole.
    cuts: Mutex<HashMap<CutKey, Option<Arc<Cut>>>>,
}

/// What a piece's markup depends on besides its label, URL and id: a piece is cut once per string
/// table and kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CutKey {
    table: String,
    part: &'static str,
    current: bool,
    draft: bool,
    folder: bool,
    open: bool,
}

/// The pieces of one language that do not depend on the current page.
struct Pieces {
    start: String,
    end: String,
    /// By entry id: the entry of a page or closed folder, not current.
    entry: Vec<OnceLock<String>>,
    /// By entry id: an open folder's start, not current.
    open: Vec<OnceLock<String>>,
    /// By entry id: an open folder's end, not current.
    close: Vec<OnceLock<String>>,
}

/// The context of `partials/sidebar-part.html`.
#[derive(Serialize)]
struct PartContext<'a> {
    part: &'a str,
    item: Option<ItemView<'a>>,
    ops: &'a serde_json::Value,
}

/// A [`SidebarItem`] without its children (no piece shows them).
#[derive(Serialize)]
struct ItemView<'a> {
    label: &'a str,
    url: Option<&'a str>,
    current: bool,
    draft: bool,
    folder: bool,
    open: bool,
    id: ItemId<'a>,
    children: &'a [SidebarItem],
}

/// An entry's id, or the marker that stands in for it while a piece is cut.
#[derive(Serialize)]
#[serde(untagged)]
enum ItemId<'a> {
    Id(usize),
    Marker(&'a str),
}

impl<'a> ItemView<'a> {
    fn of(item: &'a SidebarItem) -> ItemView<'a> {
        ItemView {
            label: &item.label,
            url: item.url.as_deref(),
            current: item.current,
            draft: item.draft,
            folder: item.folder,
            open: item.open,
            id: ItemId::Id(item.id),
            children: &[],
        }
    }
}

/// The context of `partials/sidebar.html`.
#[derive(Serialize)]
struct WholeContext<'a> {
    items: &'a [SidebarItem],
    operations: &'a serde_json::Value,
}

impl<'a> Sidebars<'a> {
    /// Sidebars of `nav`, rendered with `templates`.
    pub fn new(nav: &'a Nav, templates: &'a Templates) -> Sidebars<'a> {
        Sidebars {
            nav,
            templates,
            share: SIDEBAR_TEMPLATES.iter().all(|t| templates.is_built_in(t)),
            pieces: Mutex::new(HashMap::new()),
            cuts: Mutex::new(HashMap::new()),
        }
    }

    /// The navigation the sidebars show.
    pub fn nav(&self) -> &'a Nav {
        self.nav
    }

    /// The sidebar of page `index` (`usize::MAX`: no page is current) in `lang`; `operations`
    /// (a JSON array) are listed under the current page's entry.
    pub fn render(
        &self,
        index: usize,
        lang: &str,
        operations: Option<&serde_json::Value>,
    ) -> Result<String> {
        let none = serde_json::Value::Array(Vec::new());
        let ops = operations.unwrap_or(&none);
        let items = self.nav.sidebar(index);
        if !self.share {
            let context = WholeContext {
                items: &items,
                operations: ops,
            };
            return self
                .templates
                .render("partials/sidebar.html", lang, &context);
        }
        let pieces = self.pieces(lang)?;
        let mut out = String::with_capacity(8 * 1024);
        self.list(&items, &pieces, lang, ops, &mut out)?;
        Ok(out)
    }

    /// One list, as the `list` macro of `partials/sidebar-macros.html` composes it.
    fn list(
        &self,
        items: &[SidebarItem],
        pieces: &Pieces,
        lang: &str,
        ops: &serde_json::Value,
        out: &mut String,
    ) -> Result<()> {
        out.push_str(&pieces.start);
        for item in items {
            if item.open {
                self.piece(&pieces.open, "open", item, lang, ops, out)?;
                self.list(&item.children, pieces, lang, ops, out)?;
                self.piece(&pieces.close, "close", item, lang, ops, out)?;
            } else {
                self.piece(&pieces.entry, "entry", item, lang, ops, out)?;
            }
        }
        out.push_str(&pieces.end);
        Ok(())
    }

    /// Append the piece `part` of `item`: shared unless it is the current page's.
    fn piece(
        &self,
        shared: &[OnceLock<String>],
        part: &'static str,
        item: &SidebarItem,
        lang: &str,
        ops: &serde_json::Value,
        out: &mut String,
    ) -> Result<()> {
        let cell = shared.get(item.id).filter(|_| !item.current);
        if let Some(text) = cell.and_then(OnceLock::get) {
            out.push_str(text);
            return Ok(());
        }
        // Only the current entry lists operations: other pieces never see them.
        let cut = if item.current && !is_empty(ops) {
            None
        } else {
            self.cut_piece(part, item, lang)?
        };
        let text = match cut {
            Some(text) => text,
            None => self.part(part, Some(ItemView::of(item)), lang, ops)?,
        };
        out.push_str(&text);
        if let Some(cell) = cell {
            // Another thread may have set it meanwhile: the same text.
            let _ = cell.set(text);
        }
        Ok(())
    }

    /// The piece `part` of `item` (without operations) from a cut of that kind of piece: rendered
    /// once per string table and kind with markers for the label, URL and id, checked against a
    /// whole render the first time, then filled (each value escaped as Tera would). Every entry's
    /// shared pieces and every page's own ones (its entry, the folder it is the page of) are made
    /// so, sparing a render of the macros per piece. `None`: render it whole (an empty label or
    /// URL, which the template may test, or a kind whose cut did not reproduce a whole render).
    fn cut_piece(
        &self,
        part: &'static str,
        item: &SidebarItem,
        lang: &str,
    ) -> Result<Option<String>> {
        let url = item.url.as_deref().unwrap_or_default();
        if item.label.is_empty() || url.is_empty() {
            return Ok(None);
        }
        let id = item.id.to_string();
        let slots = [
            Slot {
                key: "label",
                value: &item.label,
                raw: false,
            },
            Slot {
                key: "url",
                value: url,
                raw: false,
            },
            Slot {
                key: "id",
                value: &id,
                raw: false,
            },
        ];
        let key = CutKey {
            table: self.templates.table_of(lang).to_string(),
            part,
            current: item.current,
            draft: item.draft,
            folder: item.folder,
            open: item.open,
        };
        let known = self
            .cuts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        let cut = match known {
            Some(cut) => cut,
            None => {
                let markers = Cut::markers(&slots);
                let marked = ItemView {
                    label: &markers[0].1,
                    url: Some(&markers[1].1),
                    id: ItemId::Marker(&markers[2].1),
                    ..ItemView::of(item)
                };
                let none = serde_json::Value::Array(Vec::new());
                let cut = Cut::new(&self.part(part, Some(marked), lang, &none)?, slots.len());
                // Trust the cut only if it reproduces a whole render of this piece.
                let whole = self.part(part, Some(ItemView::of(item)), lang, &none)?;
                let cut = (cut.fill(&slots, crate::theme::escape) == whole).then_some(cut);
                self.cuts
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key, cut.clone());
                if cut.is_none() {
                    return Ok(Some(whole));
                }
                cut
            }
        };
        Ok(cut.map(|cut| cut.fill(&slots, crate::theme::escape)))
    }

    fn part(
        &self,
        part: &str,
        item: Option<ItemView<'_>>,
        lang: &str,
        ops: &serde_json::Value,
    ) -> Result<String> {
        let none = serde_json::Value::Array(Vec::new());
        // Only the current entry lists operations: shared pieces never see them.
        let ops = if item.as_ref().is_some_and(|i| i.current) {
            ops
        } else {
            &none
        };
        self.templates.render(
            "partials/sidebar-part.html",
            lang,
            &PartContext { part, item, ops },
        )
    }

    fn pieces(&self, lang: &str) -> Result<Arc<Pieces>> {
        let table = self.templates.table_of(lang);
        let mut by_table = self.pieces.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pieces) = by_table.get(table) {
            return Ok(Arc::clone(pieces));
        }
        let none = serde_json::Value::Array(Vec::new());
        let cells = || (0..self.nav.len()).map(|_| OnceLock::new()).collect();
        let pieces = Arc::new(Pieces {
            start: self.part("start", None, lang, &none)?,
            end: self.part("end", None, lang, &none)?,
            entry: cells(),
            open: cells(),
            close: cells(),
        });
        by_table.insert(table.to_string(), Arc::clone(&pieces));
        Ok(pieces)
    }
}

/// Whether `ops` lists no operations.
fn is_empty(ops: &serde_json::Value) -> bool {
    ops.as_array().is_some_and(Vec::is_empty)
}
