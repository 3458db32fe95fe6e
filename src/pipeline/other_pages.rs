//! The pages of the Docusaurus content plugins we do not build — the blog
//! (`@docusaurus/plugin-content-blog`) and `src/pages` (`@docusaurus/plugin-content-pages`) — as
//! link targets, so that a link from the docs into them is checked as Docusaurus checks it: their
//! routes as the plugins make them, and the ids of their Markdown (one Markdown pass each, nothing
//! written).
//!
//! - Blog (`blogUtils.ts`): Markdown files under `path` but the default excludes (`_` files and
//!   folders, tests), drafts left out; a post's route is `baseUrl` + `routeBasePath` + its `slug`,
//!   else the file's: `YYYY-MM-DD-name.md`, `YYYY/MM-DD-name/index.md` and the like give
//!   `/YYYY/MM/DD/name` (`parseBlogFileName`), other files their path without the extension and
//!   `/index`. The list (with its `page/N` pages at `postsPerPage` 10), `archive`, `tags` and
//!   `authors` pages are routes too.
//! - Pages (`content.ts`, `fileToPath`): `.js`, `.jsx`, `.ts`, `.tsx`, `.md`, `.mdx` files under
//!   `path` but the default excludes; `index.*` stands for its folder; a Markdown page may set
//!   `slug`. A React page's ids are not known here, so links to its anchors are not checked.

use crate::config::Config;
use crate::markdown::{self, Highlighter};
use crate::model::OtherPage;
use std::path::Path;

/// The largest file read for its ids.
const MAX_FILE: u64 = 4 << 20;

/// Posts per page of the blog's list (`postsPerPage`, the plugin's default).
const POSTS_PER_PAGE: usize = 10;

/// The pages of the site's blog and pages plugins (none on other sites).
pub(super) fn other_pages(
    config: &Config,
    highlighter: &Highlighter,
    words: &markdown::todo::Words,
    read_partial: &markdown::rewrite::ReadPartial,
) -> Vec<OtherPage> {
    let Some(site) = config.docusaurus.as_deref() else {
        return Vec::new();
    };
    let base = site.base_url.as_str();
    let ids = |rel: &str, text: &str| ids_of(config, highlighter, words, read_partial, rel, text);
    let mut out = Vec::new();
    for blog in &site.blogs {
        let mut posts: usize = 0;
        for (rel, file) in files(&config.root.join(&blog.path), &["md", "mdx"]) {
            let Some(text) = read(&file) else { continue };
            let front = front_matter(config, &file, &text);
            if front.draft {
                continue;
            }
            let slug = front.slug.clone().unwrap_or_else(|| blog_slug(&rel));
            let site_rel = format!("{}/{rel}", blog.path.trim_matches('/'));
            out.push(OtherPage {
                route: join(&[base, &blog.route_base_path, &slug]),
                ids: Some(ids(&site_rel, &text)),
            });
            posts += 1;
        }
        let list = join(&[base, &blog.route_base_path]);
        for part in ["", "archive", "tags", "authors"] {
            out.push(OtherPage {
                route: join(&[&list, part]),
                ids: None,
            });
        }
        for n in 2..=posts.div_ceil(POSTS_PER_PAGE) {
            out.push(OtherPage {
                route: join(&[&list, "page", &n.to_string()]),
                ids: None,
            });
        }
    }
    for pages in &site.pages {
        let exts = ["js", "jsx", "ts", "tsx", "md", "mdx"];
        for (rel, file) in files(&config.root.join(&pages.path), &exts) {
            let markdown = rel.ends_with(".md") || rel.ends_with(".mdx");
            let (slug, ids) = match markdown.then(|| read(&file)).flatten() {
                Some(text) => {
                    let front = front_matter(config, &file, &text);
                    let site_rel = format!("{}/{rel}", pages.path.trim_matches('/'));
                    let ids = ids(&site_rel, &text);
                    (front.slug.unwrap_or_else(|| file_to_path(&rel)), Some(ids))
                }
                None => (file_to_path(&rel), None),
            };
            out.push(OtherPage {
                route: join(&[base, &pages.route_base_path, &slug]),
                ids,
            });
        }
    }
    out
}

/// The files under `dir` with one of `exts`, but the plugins' default excludes (`_` files and
/// folders, `*.test.*`, `__tests__`): (path relative to `dir`, file), in a stable order.
fn files(dir: &Path, exts: &[&str]) -> Vec<(String, std::path::PathBuf)> {
    let mut found: Vec<(String, std::path::PathBuf)> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            let ext = name.rsplit_once('.').map(|(_, x)| x)?;
            let excluded = rel
                .split('/')
                .any(|part| part.starts_with('_') || part == "__tests__")
                || name.contains(".test.");
            (exts.contains(&ext) && !excluded).then(|| (rel, e.path().to_path_buf()))
        })
        .collect();
    found.sort();
    found
}

fn read(file: &Path) -> Option<String> {
    let size = file.metadata().ok()?.len();
    (size <= MAX_FILE)
        .then(|| std::fs::read_to_string(file).ok())
        .flatten()
}

fn front_matter(config: &Config, file: &Path, text: &str) -> crate::model::FrontMatter {
    let lines = crate::diag::LineIndex::new(text);
    crate::frontmatter::parse(config.relative(file), text, &lines, &config.file.limits).0
}

/// The ids of a Markdown file (its headings and elements), from the one Markdown pass.
fn ids_of(
    config: &Config,
    highlighter: &Highlighter,
    words: &markdown::todo::Words,
    read_partial: &markdown::rewrite::ReadPartial,
    site_rel: &str,
    text: &str,
) -> Vec<String> {
    let split = crate::frontmatter::split(text);
    let resolver = crate::routes::Resolver::default();
    let mdx = config
        .docusaurus
        .as_deref()
        .is_some_and(|d| d.markdown_format.is_mdx(site_rel));
    let ctx = markdown::Context {
        resolver: &resolver,
        highlighter,
        todo_words: words,
        rel_path: site_rel,
        route: "/",
        html: false,
        heading_ids: config.file.heading_ids,
        foreign: markdown::rewrite::Env {
            mdx,
            file: site_rel,
            partials: Some(markdown::rewrite::Partials(read_partial)),
            ..markdown::rewrite::Env::default()
        },
    };
    let rendered = markdown::render(text, split.body_offset, &ctx);
    rendered
        .headings
        .into_iter()
        .map(|h| h.id)
        .chain(rendered.element_ids)
        .collect()
}

/// `parseBlogFileName`: a date in the path (`YYYY-MM-DD`, `YYYY/MM/DD`, any mix of `-` and `/`,
/// one or two digits for month and day) gives `/YYYY/MM/DD/` + the folder before it + the text
/// after it; else the path without `/index` and the extension.
fn blog_slug(rel: &str) -> String {
    let stem = rel
        .strip_suffix(".mdx")
        .or_else(|| rel.strip_suffix(".md"))
        .unwrap_or(rel);
    let stem = stem.strip_suffix("/index").unwrap_or(stem);
    let bytes = stem.as_bytes();
    let digits = |at: usize, min: usize, max: usize| -> Option<usize> {
        let n = bytes[at.min(bytes.len())..]
            .iter()
            .take(max)
            .take_while(|b| b.is_ascii_digit())
            .count();
        (n >= min).then_some(at + n)
    };
    let sep = |at: usize| bytes.get(at).is_some_and(|b| *b == b'-' || *b == b'/');
    // The last place a date starts, as the regex's greedy `(?<folder>.*)` finds it.
    for start in (0..bytes.len()).rev() {
        if start > 0 && bytes[start - 1].is_ascii_digit() {
            continue;
        }
        let Some(year_end) = digits(start, 4, 4) else {
            continue;
        };
        if !sep(year_end) {
            continue;
        }
        let Some(month_end) = digits(year_end + 1, 1, 2) else {
            continue;
        };
        if !sep(month_end) {
            continue;
        }
        let Some(day_end) = digits(month_end + 1, 1, 2) else {
            continue;
        };
        let date = stem[start..day_end].replace('-', "/");
        let rest = &stem[day_end..];
        let text = rest.strip_prefix(['-', '/']).unwrap_or(rest);
        let folder = &stem[..start];
        return format!("/{date}/{folder}{text}");
    }
    format!("/{stem}")
}

/// `fileToPath`: `a/index.tsx` → `/a/`, `a/b.md` → `/a/b`.
fn file_to_path(rel: &str) -> String {
    let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    match stem
        .strip_suffix("index")
        .filter(|s| s.is_empty() || s.ends_with('/'))
    {
        Some(folder) => format!("/{folder}"),
        None => format!("/{stem}"),
    }
}

/// `normalizeUrl` of route parts, without a trailing slash (links match either way).
fn join(parts: &[&str]) -> String {
    let joined: Vec<&str> = parts
        .iter()
        .flat_map(|p| p.split('/'))
        .filter(|s| !s.is_empty())
        .collect();
    format!("/{}", joined.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blog_posts_take_their_route_from_a_date_in_the_path() {
        assert_eq!(
            blog_slug("2024/05-11-jellyfin-release-10.9.0/index.mdx"),
            "/2024/05/11/jellyfin-release-10.9.0"
        );
        assert_eq!(blog_slug("2019-12-25-welcome.md"), "/2019/12/25/welcome");
        assert_eq!(
            blog_slug("2021/08/01/mdx-blog-post.mdx"),
            "/2021/08/01/mdx-blog-post"
        );
        assert_eq!(blog_slug("notes/first.md"), "/notes/first");
        assert_eq!(blog_slug("notes/index.md"), "/notes");
    }

    #[test]
    fn pages_take_their_route_from_the_file() {
        assert_eq!(file_to_path("contact.tsx"), "/contact");
        assert_eq!(file_to_path("downloads/index.tsx"), "/downloads/");
        assert_eq!(file_to_path("index.js"), "/");
        assert_eq!(file_to_path("reindex.md"), "/reindex");
        assert_eq!(
            join(&["/", "posts", "/2024/05/11/x"]),
            "/posts/2024/05/11/x"
        );
        assert_eq!(join(&["/", "/", ""]), "/");
    }
}
