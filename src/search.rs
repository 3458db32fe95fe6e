//! The offline full-text search index, built with Pagefind's Rust API from the pages already in memory
//! (no HTML is read back from disk). Pagefind stems `nb`/`nn` pages as Norwegian, splits results by
//! heading ids, and writes a static bundle (`/pagefind/`) that the theme's search box loads; no server
//! code is needed on any static host.

use crate::error::{Error, Result};
use crate::model::{PageKind, Site};

/// Where the bundle is served.
pub const BUNDLE_URL: &str = "/pagefind/";

/// The search bundle's files: (URL, bytes).
pub fn index(site: &Site, language: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| Error::Search(e.to_string()))?;
    runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder().build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))
            .map_err(|e| Error::Search(e.to_string()))?;
        for page in site
            .pages
            .iter()
            .filter(|p| !p.front.draft && p.kind != PageKind::Section)
        {
            let lang = index_language(page.front.lang.as_deref().unwrap_or(language));
            let mut html = String::with_capacity(page.html.len() + 256);
            html.push_str("<!DOCTYPE html><html lang=\"");
            html.push_str(&escape(lang));
            html.push_str("\"><head><title>");
            html.push_str(&escape(&page.title));
            html.push_str("</title></head><body><main data-pagefind-body><h1>");
            html.push_str(&escape(&page.title));
            html.push_str("</h1>");
            html.push_str(&page.html);
            html.push_str("</main></body></html>");
            index
                .add_html_file(None, Some(page.route.clone()), html)
                .await
                .map_err(|e| Error::Search(format!("{}: {e}", page.route)))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| Error::Search(e.to_string()))?;
        Ok(files
            .into_iter()
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                let name = name
                    .trim_start_matches("pagefind/")
                    .trim_start_matches('/')
                    .to_string();
                (format!("{BUNDLE_URL}{name}"), f.contents)
            })
            .collect())
    })
}

/// The language Pagefind is given: the page's tag when it looks like one (ASCII letters, digits and
/// `-`, at most 16 characters), else `unknown`. Pagefind cuts hashes at the language's length plus
/// 8 (a longer tag panicked it) and puts the language in file names (`../` left the bundle).
fn index_language(lang: &str) -> &str {
    let plausible = !lang.is_empty()
        && lang.len() <= 16
        && lang.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if plausible {
        lang
    } else {
        "unknown"
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}
