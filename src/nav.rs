//! The sidebar tree, reading order (previous/next) and breadcrumbs, built once per site.
//!
//! Size stays bounded per page: a page's sidebar shows the top level, and the children of each folder
//! on the way to the page (collapsible); other folders are one link each. So no page's HTML grows
//! with the number of pages in the site, only with the fan-out along its own path.

use crate::config::Flavour;
use crate::model::{Category, Page, PageKind, Site};
use crate::routes::strip_number_prefix;
use std::cmp::Ordering;
use std::collections::HashMap;

mod explicit;
pub use explicit::{doc_id_of, missing_docs, MissingDoc};

#[derive(Debug, Clone)]
struct Node {
    label: String,
    url: Option<String>,
    page: Option<usize>,
    parent: Option<usize>,
    children: Vec<usize>,
    position: Option<f64>,
    /// The file or folder name (`b.md`, `02-guide`): Docusaurus's tie-break after the position.
    source: String,
    folder: bool,
    draft: bool,
    /// Shown with its children on every page (a sidebar category with `collapsed: false`).
    expanded: bool,
}

/// A link for breadcrumbs and previous/next.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NavLink {
    /// Shown text.
    pub label: String,
    /// URL path.
    pub url: String,
}

/// One entry of a section page's list (see [`Nav::children`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Card {
    /// Shown text.
    pub label: String,
    /// URL path.
    pub url: String,
    /// The page's `description`.
    pub description: Option<String>,
    /// For a folder: how many entries it lists.
    pub items: Option<usize>,
}

/// One entry of a page's sidebar (see [`Nav::sidebar`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SidebarItem {
    /// Shown text.
    pub label: String,
    /// URL path (`None`: a folder without its own page).
    pub url: Option<String>,
    /// The page being rendered.
    pub current: bool,
    /// A draft (shown only by `serve`).
    pub draft: bool,
    /// A folder (its children are listed when `open`).
    pub folder: bool,
    /// A folder on the way to the current page, shown with its children.
    pub open: bool,
    /// A stable id within the site, for the script that folds folders.
    pub id: usize,
    /// The children of an open folder.
    pub children: Vec<SidebarItem>,
}

/// The navigation of a site.
#[derive(Debug, Clone)]
pub struct Nav {
    nodes: Vec<Node>,
    page_node: Vec<Option<usize>>,
    reading_order: Vec<usize>,
    /// The sidebar root each entry of `reading_order` was found under.
    order_root: Vec<usize>,
    order_index: Vec<Option<usize>>,
    /// Explicit sidebars: a page in none shows no sidebar.
    explicit: bool,
}

const ROOT: usize = 0;

impl Node {
    /// The entry of page `index` (`label`, else the page's own navigation label) under `parent`.
    fn page(page: &Page, index: usize, label: Option<&str>, parent: usize) -> Node {
        Node {
            label: label.unwrap_or(page.nav_label()).to_string(),
            url: Some(page.route.clone()),
            page: Some(index),
            parent: Some(parent),
            children: Vec::new(),
            position: page.position,
            source: page
                .rel_path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
            folder: false,
            draft: page.front.draft,
            expanded: false,
        }
    }

    /// A folder with no page of its own: the root, a sidebar, a category without a link.
    fn folder(label: String, parent: Option<usize>) -> Node {
        Node {
            label,
            url: None,
            page: None,
            parent,
            children: Vec::new(),
            position: None,
            source: String::new(),
            folder: true,
            draft: false,
            expanded: false,
        }
    }
}

impl Nav {
    /// Build the tree from the pages' source paths and the folders' `_category_` settings.
    pub fn build(site: &Site) -> Nav {
        let mut nodes = vec![Node::folder(String::new(), None)];
        let docusaurus = matches!(site.flavour, None | Some(Flavour::Docusaurus));
        let mut prefixes: HashMap<usize, f64> = HashMap::new();
        let mut folders: HashMap<String, usize> = HashMap::from([(String::new(), ROOT)]);
        let mut page_node = vec![None; site.pages.len()];
        for (index, page) in site.pages.iter().enumerate() {
            // The generated index of a `sidebars.js` category belongs to no folder.
            if site
                .sidebars
                .as_ref()
                .is_some_and(|s| s.is_index_path(&page.rel_path))
            {
                continue;
            }
            let folder_path = folder_of(page);
            let folder = folder_node(
                &mut nodes,
                &mut folders,
                &mut prefixes,
                &site.categories,
                folder_path,
            );
            if page.is_index || page.kind == PageKind::Section {
                let node = &mut nodes[folder];
                if node.page.is_none() {
                    node.page = Some(index);
                    node.url = Some(page.route.clone());
                    node.draft = page.front.draft;
                    let has_category_label = site
                        .categories
                        .get(folder_path)
                        .is_some_and(|c| c.label.is_some());
                    if !has_category_label && folder != ROOT {
                        node.label = page.nav_label().to_string();
                    }
                    if node.position.is_none() {
                        node.position = page.position;
                    }
                    page_node[index] = Some(folder);
                    continue;
                }
            }
            let id = nodes.len();
            nodes.push(Node::page(page, index, None, folder));
            nodes[folder].children.push(id);
            page_node[index] = Some(id);
        }
        // A folder's position: its `_category_` position, else its index page's, else its
        // number prefix (Docusaurus `sidebars/generator.ts`, `createCategoryItem`).
        for (id, prefix) in prefixes {
            nodes[id].position = nodes[id].position.or(Some(prefix));
        }
        for id in 0..nodes.len() {
            let mut children = std::mem::take(&mut nodes[id].children);
            children.sort_by(|&a, &b| compare(&nodes[a], &nodes[b], docusaurus));
            nodes[id].children = children;
        }
        let roots = match &site.sidebars {
            Some(sidebars) => explicit::build(site, sidebars, &mut nodes, &folders, &mut page_node),
            None => vec![ROOT],
        };
        let mut reading_order = Vec::new();
        let mut order_root = Vec::new();
        for &root in &roots {
            collect_order(&nodes, root, &mut reading_order);
            order_root.resize(reading_order.len(), root);
        }
        let mut order_index = vec![None; site.pages.len()];
        for (i, &page) in reading_order.iter().enumerate() {
            // A page listed in several sidebars reads on in the one it shows.
            let root = page_node[page].map(|n| root_of(&nodes, n));
            if order_index[page].is_none() && root == Some(order_root[i]) {
                order_index[page] = Some(i);
            }
        }
        Nav {
            nodes,
            page_node,
            reading_order,
            order_root,
            order_index,
            explicit: site.sidebars.is_some(),
        }
    }

    /// Every page of `pages` (the site's, as the tree was built from) that is not a draft, in reading
    /// order (the 404 page offers the closest of them). An entry without a label of its own (the
    /// home page is the tree's unlabelled root) takes its page's.
    pub fn links(&self, pages: &[Page]) -> Vec<NavLink> {
        self.reading_order
            .iter()
            .filter_map(|&page| Some((page, &self.nodes[self.page_node[page]?])))
            .filter(|(_, node)| !node.draft)
            .filter_map(|(page, node)| {
                let label = match node.label.as_str() {
                    "" => pages.get(page)?.nav_label(),
                    own => own,
                };
                Some(NavLink {
                    label: label.to_string(),
                    url: node.url.clone()?,
                })
            })
            .collect()
    }

    /// How many entries the tree has: every [`SidebarItem::id`] is below this.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree is only its root (a site without pages).
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// Folders (relative to the content folder) that hold pages but have no index page of their own.
    pub fn folders_without_index(pages: &[(String, bool)]) -> Vec<String> {
        let mut with_index = std::collections::HashSet::new();
        let mut all = std::collections::BTreeSet::new();
        for (rel_path, is_index) in pages {
            let mut folder = rel_path.rsplit_once('/').map_or("", |(f, _)| f);
            if *is_index {
                with_index.insert(folder.to_string());
            }
            while !folder.is_empty() {
                all.insert(folder.to_string());
                folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
            }
        }
        all.into_iter()
            .filter(|f| !with_index.contains(f))
            .collect()
    }

    /// The sidebar of one page, as data for the theme's `partials/sidebar.html`: the top level,
    /// the folders on the way to the page open (with their children), the page marked current.
    pub fn sidebar(&self, page: usize) -> Vec<SidebarItem> {
        let current = self.page_node.get(page).copied().flatten();
        if self.explicit && current.is_none() {
            return Vec::new();
        }
        let mut on_path = Vec::new();
        let mut node = current;
        while let Some(id) = node {
            on_path.push(id);
            node = self.nodes[id].parent;
        }
        self.items(on_path.last().copied().unwrap_or(ROOT), current, &on_path)
    }

    fn items(&self, folder: usize, current: Option<usize>, on_path: &[usize]) -> Vec<SidebarItem> {
        self.nodes[folder]
            .children
            .iter()
            .map(|&child| {
                let node = &self.nodes[child];
                let open = node.folder && (node.expanded || on_path.contains(&child));
                SidebarItem {
                    label: node.label.clone(),
                    url: node.url.clone(),
                    current: current == Some(child),
                    draft: node.draft,
                    folder: node.folder,
                    open,
                    id: child,
                    children: if open {
                        self.items(child, current, on_path)
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect()
    }

    /// Folders above the page, from the top (the site root's own page excluded).
    pub fn breadcrumbs(&self, page: usize) -> Vec<NavLink> {
        let mut crumbs = Vec::new();
        let mut node = self
            .page_node
            .get(page)
            .copied()
            .flatten()
            .and_then(|n| self.nodes[n].parent);
        while let Some(id) = node {
            let n = &self.nodes[id];
            if n.parent.is_some() {
                if let Some(url) = &n.url {
                    crumbs.push(NavLink {
                        label: n.label.clone(),
                        url: url.clone(),
                    });
                }
            }
            node = n.parent;
        }
        crumbs.reverse();
        crumbs
    }

    /// The pages before and after this one in reading order.
    pub fn prev_next(&self, pages: &[Page], page: usize) -> (Option<NavLink>, Option<NavLink>) {
        let Some(i) = self.order_index.get(page).copied().flatten() else {
            return (None, None);
        };
        let link = |p: usize| NavLink {
            label: pages[p].nav_label().to_string(),
            url: pages[p].route.clone(),
        };
        let root = self.order_root[i];
        let prev = i
            .checked_sub(1)
            .filter(|&j| self.order_root[j] == root)
            .map(|j| link(self.reading_order[j]));
        let next = Some(i + 1)
            .filter(|&j| self.order_root.get(j) == Some(&root))
            .map(|j| link(self.reading_order[j]));
        (prev, next)
    }

    /// The first page in reading order (of the first sidebar).
    pub fn first_page(&self) -> Option<usize> {
        self.reading_order.first().copied()
    }

    /// The direct children of a page's folder (for section pages), as the cards of Docusaurus's
    /// generated index (`DocCardList`): label, URL, the page's description, a folder's item count.
    pub fn children(&self, pages: &[Page], page: usize) -> Vec<Card> {
        let Some(node) = self.page_node.get(page).copied().flatten() else {
            return Vec::new();
        };
        if !self.nodes[node].folder {
            return Vec::new();
        }
        self.nodes[node]
            .children
            .iter()
            .filter_map(|&c| {
                let n = &self.nodes[c];
                Some(Card {
                    label: n.label.clone(),
                    url: n.url.clone()?,
                    description: n
                        .page
                        .and_then(|p| pages.get(p)?.front.description.clone())
                        .filter(|d| !d.trim().is_empty()),
                    items: n.folder.then_some(n.children.len()),
                })
            })
            .collect()
    }
}

fn folder_of(page: &Page) -> &str {
    let path = page.rel_path.trim_end_matches('/');
    if page.kind == PageKind::Section {
        return path;
    }
    path.rsplit_once('/').map_or("", |(f, _)| f)
}

fn folder_node(
    nodes: &mut Vec<Node>,
    folders: &mut HashMap<String, usize>,
    prefixes: &mut HashMap<usize, f64>,
    categories: &HashMap<String, Category>,
    path: &str,
) -> usize {
    if let Some(&id) = folders.get(path) {
        return id;
    }
    let (parent_path, name) = path.rsplit_once('/').unwrap_or(("", path));
    let parent = folder_node(nodes, folders, prefixes, categories, parent_path);
    let (stripped, prefix) = strip_number_prefix(name);
    let category = categories.get(path);
    let id = nodes.len();
    nodes.push(Node {
        position: category.and_then(|c| c.position),
        source: name.to_string(),
        ..Node::folder(
            category
                .and_then(|c| c.label.clone())
                .unwrap_or_else(|| stripped.to_string()),
            Some(parent),
        )
    });
    if let Some(prefix) = prefix {
        prefixes.insert(id, prefix);
    }
    nodes[parent].children.push(id);
    folders.insert(path.to_string(), id);
    id
}

/// Sidebar order: by position (unpositioned last), then, for Docusaurus, by file or folder name
/// as its `sortItems` does (lodash `sortBy(items, ['position', 'source'])`, UTF-16 order), for
/// the other flavours by label.
fn compare(a: &Node, b: &Node, docusaurus: bool) -> Ordering {
    let position = |n: &Node| n.position.unwrap_or(f64::INFINITY);
    let by_position = position(a)
        .partial_cmp(&position(b))
        .unwrap_or(Ordering::Equal);
    if docusaurus {
        by_position.then_with(|| a.source.encode_utf16().cmp(b.source.encode_utf16()))
    } else {
        by_position.then_with(|| a.label.to_lowercase().cmp(&b.label.to_lowercase()))
    }
}

fn root_of(nodes: &[Node], mut id: usize) -> usize {
    while let Some(parent) = nodes[id].parent {
        id = parent;
    }
    id
}

fn collect_order(nodes: &[Node], id: usize, out: &mut Vec<usize>) {
    if let Some(page) = nodes[id].page {
        out.push(page);
    }
    for &child in &nodes[id].children {
        collect_order(nodes, child, out);
    }
}
