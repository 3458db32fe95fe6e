//! Plain data for a loaded site: pages, what a page's Markdown contains, and the site as one value.
//!
//! No behaviour beyond small accessors lives here, so every stage can share these types without
//! depending on each other.

use crate::diag::{Diagnostic, LineIndex, Span};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::PathBuf;

/// The known front matter keys of a page; everything else is kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `slug`: absolute (from the route base) or relative to the page's folder.
    pub slug: Option<String>,
    /// `sidebar_position`.
    pub sidebar_position: Option<f64>,
    /// `sidebar_label`.
    pub sidebar_label: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `draft`: left out of `build`.
    pub draft: bool,
    /// `last_update` (a date, or `{date: …}`).
    pub last_update: Option<String>,
    /// `redirect_from` and `aliases`: routes that redirect here.
    pub redirect_from: Vec<String>,
    /// `lang`: the page's language, if not the site's.
    pub lang: Option<String>,
    /// Every other key, as written.
    pub extra: Map<String, Value>,
}

/// A heading and its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's plain text.
    pub text: String,
    /// The id its anchor uses.
    pub id: String,
    /// Byte offset in the page's source.
    pub offset: usize,
}

/// What a link's destination turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A page of the site (route) and perhaps an anchor on it.
    Page {
        /// Index of the page in [`Site::pages`].
        page: usize,
        /// The `#fragment`, decoded, if any.
        fragment: Option<String>,
    },
    /// An anchor on the same page.
    SamePage(String),
    /// A file of the site (static folder or beside a page), by URL.
    Asset(String),
    /// `http(s)://…`.
    External,
    /// `mailto:`, `tel:` and other schemes we do not check.
    OtherScheme,
    /// A page another Docusaurus content plugin publishes (a blog post, a page of `src/pages`):
    /// not built here, known by its route and ids ([`Site::other_pages`]).
    Other {
        /// Index in [`Site::other_pages`].
        page: usize,
        /// The `#fragment`, decoded, if any.
        fragment: Option<String>,
    },
    /// An internal link that matches nothing.
    Missing {
        /// The URL path we looked for.
        wanted: String,
    },
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)` or an autolink.
    Link,
    /// `![alt](src)`.
    Image,
    /// `href` or `src` in raw HTML.
    Html,
}

/// One link of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// How it was written.
    pub kind: LinkKind,
    /// Byte offset in the page's source.
    pub offset: usize,
    /// What it resolved to.
    pub target: Target,
}

/// A TODO marker found in a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Todo {
    /// The marker word (`TODO`, `FIXME`, ...).
    pub word: String,
    /// The text after the marker, on the same line.
    pub text: String,
    /// Byte offset of the marker in the page's source.
    pub offset: usize,
    /// Inside an HTML comment (readers do not see it).
    pub hidden: bool,
}

/// Text that looks like a link the writer meant, but Markdown did not make one.
#[derive(Debug, Clone, PartialEq)]
pub struct Suspect {
    /// The rule it belongs to (`malformed-link`, `shortcode`, `liquid`).
    pub rule: &'static str,
    /// Byte offset in the page's source.
    pub offset: usize,
    /// What is wrong and how to write it.
    pub message: String,
    /// Reported once per site: the construct's name and its uses on this page
    /// (`rewrite::Found::tally`).
    pub tally: Option<(String, usize)>,
}

/// A fenced or indented code block.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    /// The info string's first word (`bash`, `powershell`), empty if none.
    pub lang: String,
    /// The rest of the info string (`expect=401`, `skip`).
    pub attrs: String,
    /// The code.
    pub code: String,
    /// Byte offset of the block's first code line in the page's source.
    pub offset: usize,
}

/// Where a page comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A Markdown file.
    Markdown,
    /// A generated index of a folder that has no `index.md`.
    Section,
    /// A generated page of the API catalog.
    Catalog,
}

/// A page: a Markdown file rendered to an HTML fragment, or a generated section index.
#[derive(Debug, Clone)]
pub struct Page {
    /// Markdown file or generated section.
    pub kind: PageKind,
    /// The source file, relative to the content folder, with `/` separators.
    pub rel_path: String,
    /// The source file relative to the site root (for findings).
    pub file: PathBuf,
    /// The full source text.
    pub source: String,
    /// Line starts of `source`.
    pub lines: LineIndex,
    /// Byte offset where the Markdown body starts (after the front matter).
    pub body_offset: usize,
    /// Front matter.
    pub front: FrontMatter,
    /// The URL path, ending in `/`.
    pub route: String,
    /// `index.md`, `README.md` or `_index.md`: the page stands for its folder.
    pub is_index: bool,
    /// The title (front matter, else first `#` heading, else the file name).
    pub title: String,
    /// Whether the Markdown has its own `#` heading (the theme then adds none).
    pub has_h1: bool,
    /// Order in the sidebar: `sidebar_position`, else the number prefix.
    pub position: Option<f64>,
    /// The page's content as HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Ids of other elements (raw HTML and JSX `id=`, `<a name>`): link targets like heading ids.
    pub element_ids: Vec<String>,
    /// Links and images in order.
    pub links: Vec<Link>,
    /// TODO markers in the source (front matter included).
    pub todos: Vec<Todo>,
    /// Code blocks.
    pub code_blocks: Vec<CodeBlock>,
    /// Text that looks like a broken link syntax.
    pub suspects: Vec<Suspect>,
    /// The date shown as "Sist oppdatert".
    pub last_updated: Option<String>,
}

impl Page {
    /// A page made by the tool rather than read from Markdown: no source, nothing found in it yet.
    /// Callers fill in what they have (`html`, `headings`, `position`, ...) with `..`.
    pub fn generated(kind: PageKind, rel_path: String, file: PathBuf, route: String) -> Page {
        Page {
            kind,
            rel_path,
            file,
            source: String::new(),
            lines: LineIndex::new(""),
            body_offset: 0,
            front: FrontMatter::default(),
            route,
            is_index: false,
            title: String::new(),
            has_h1: false,
            position: None,
            html: String::new(),
            headings: Vec::new(),
            element_ids: Vec::new(),
            links: Vec::new(),
            todos: Vec::new(),
            code_blocks: Vec::new(),
            suspects: Vec::new(),
            last_updated: None,
        }
    }

    /// A span for a byte offset in this page's source.
    pub fn span(&self, offset: usize) -> Span {
        self.lines.span(&self.file, &self.source, offset)
    }

    /// The label in the sidebar.
    pub fn nav_label(&self) -> &str {
        self.front.sidebar_label.as_deref().unwrap_or(&self.title)
    }

    /// Whether `id` is a heading id (or explicit id) or an element id on this page.
    pub fn has_anchor(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id) || self.element_ids.iter().any(|e| e == id)
    }
}

/// A page of a Docusaurus content plugin we do not build: its route and the ids it has.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherPage {
    /// Its route, without a trailing slash (`/blog/2024/05/11/x`; `/` for the root).
    pub route: String,
    /// Its heading and element ids; `None` for a React page, whose ids are not known here.
    pub ids: Option<Vec<String>>,
}

/// A redirect page at a URL of its own, to any URL (`@docusaurus/plugin-client-redirects`).
#[derive(Debug, Clone, PartialEq)]
pub struct UrlRedirect {
    /// The URL path the page is written at: ending in `/` for its `index.html` (`/docs/x.html/`),
    /// else the file itself (`/docs/x.html.html`).
    pub at: String,
    /// Where it sends readers, as the plugin writes it (`/docs/x`, `/docs/y#z`, an address).
    pub to: String,
    /// The page of ours it leads to, if any (for its title).
    pub page: Option<usize>,
}

/// A file copied into the output as it is, or written from bytes the build made.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// The file on disk (for a made file, the file it was made from).
    pub source: PathBuf,
    /// The URL path it is served at.
    pub url: String,
    /// The bytes to write instead of copying `source` (a spec converted to OpenAPI 3.0).
    pub made: Option<std::sync::Arc<[u8]>>,
}

/// Label and position of a folder, from `_category_.json` / `_category_.yml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Category {
    /// `label`.
    pub label: Option<String>,
    /// `position`.
    pub position: Option<f64>,
    /// `collapsed` (default true except on the current path).
    pub collapsed: Option<bool>,
    /// `link: {type: 'generated-index', …}`: Docusaurus makes a page listing the folder, at its
    /// `slug` or `/category/<label>` under the route base.
    pub generated_index: Option<crate::sidebars::GeneratedIndex>,
}

/// The loaded site: one immutable value handed from stage to stage.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// Pages in a stable order (by source path).
    pub pages: Vec<Page>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// Folder settings, by folder path relative to the content folder (`""` is the root).
    pub categories: HashMap<String, Category>,
    /// Redirects: (from route, to page index).
    pub redirects: Vec<(String, usize)>,
    /// Redirect pages of a Docusaurus site's `@docusaurus/plugin-client-redirects`: at URLs of
    /// their own, to any URL.
    pub url_redirects: Vec<UrlRedirect>,
    /// Pages of the Docusaurus content plugins we do not build (blog, `src/pages`): link targets.
    pub other_pages: Vec<OtherPage>,
    /// Findings made while loading (front matter, duplicate routes, specs, ...).
    pub diagnostics: Vec<Diagnostic>,
    /// The API catalog.
    pub catalog: crate::catalog::Catalog,
    /// The ecosystem the site was written for (from its configuration, else from its files).
    pub flavour: Option<crate::config::Flavour>,
    /// A Docusaurus site's explicit sidebars (`sidebars.js`); `None`: one sidebar of all pages.
    pub sidebars: Option<std::sync::Arc<crate::sidebars::Sidebars>>,
    /// The links every page shows in its navbar and footer, where the site's config writes them
    /// (a Docusaurus site's `themeConfig`), resolved.
    pub layout_links: Vec<LayoutLink>,
}

/// A link of the layout (navbar, footer) every page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutLink {
    /// What shows it, for messages: "the navbar's title and logo", "the footer link `Blogg`".
    pub what: String,
    /// The address the pages link.
    pub url: String,
    /// Where the config writes it.
    pub span: crate::diag::Span,
    /// What it points at.
    pub target: Target,
    /// The navbar's title and logo (Docusaurus links `/` when the config gives no `href`).
    pub logo: bool,
}
