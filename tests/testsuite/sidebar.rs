//! The sidebar's shared pieces: a build joins each page's sidebar from pieces the theme renders once
//! per entry (`partials/sidebar-part.html`); a site that replaces a sidebar template gets
//! `partials/sidebar.html` rendered whole per page. Both must give every page the same sidebar.

use crate::harness::{select, shared_or_skip, SiteTest};
use std::collections::BTreeMap;
use std::path::Path;

/// Copy `from` (a folder) into the test site under `to`.
fn copy_into(site: &SiteTest, from: &Path, to: &str) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry.path().strip_prefix(from).unwrap().to_string_lossy();
        let rel = if to.is_empty() {
            rel.to_string()
        } else {
            format!("{to}/{rel}")
        };
        site.file(&rel, std::fs::read(entry.path()).unwrap());
    }
}

/// `#sidebar` of every built page, by file; asserts each page has a sidebar.
fn sidebars(public: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for entry in walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let html = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        if let Some(nav) = select(&html, "#sidebar").first() {
            let rel = entry.path().strip_prefix(public).unwrap();
            let mut text = String::new();
            canonical(*nav, &mut text);
            found.insert(rel.to_string_lossy().to_string(), text);
        }
    }
    found
}

/// An element as text with its attributes sorted (scraper keeps them in no fixed order).
fn canonical(element: scraper::ElementRef<'_>, out: &mut String) {
    let mut attrs: Vec<_> = element.value().attrs().collect();
    attrs.sort();
    let name = element.value().name();
    out.push_str(&format!("<{name} {attrs:?}>"));
    for child in element.children() {
        if let Some(inner) = scraper::ElementRef::wrap(child) {
            canonical(inner, out);
        } else if let Some(text) = child.value().as_text() {
            out.push_str(&format!("{:?}", &**text));
        }
    }
    out.push_str(&format!("</{name}>"));
}

/// Build `site` as it is and again with its sidebar piece replaced (so each page's sidebar is
/// rendered whole); every page's sidebar must be the same in both builds.
fn assert_shared_pieces_equal_whole_renders(site: &SiteTest, theme_dir: &str, args: &[&str]) {
    let shared = site.run(args);
    assert_eq!(shared.code(), 0, "{}", shared.stderr());
    let pieces = sidebars(&site.root().join("public"));
    assert!(
        pieces.len() > 10,
        "only {} pages with a sidebar",
        pieces.len()
    );
    // A replaced piece that would show if the shared pieces were still used, and a footer that
    // shows the theme folder is read.
    site.file(
        &format!("{theme_dir}/templates/partials/sidebar-part.html"),
        "SHARED PIECE",
    )
    .file(
        &format!("{theme_dir}/templates/partials/footer.html"),
        "<footer class=\"own-footer\"></footer>",
    );
    let whole = site.run(args);
    assert_eq!(whole.code(), 0, "{}", whole.stderr());
    let public = site.root().join("public");
    let home = scraper::Html::parse_document(
        &std::fs::read_to_string(public.join(pieces.keys().next().unwrap())).unwrap(),
    );
    assert_eq!(
        select(&home, ".own-footer").len(),
        1,
        "theme folder not read"
    );
    let whole = sidebars(&public);
    assert_eq!(pieces.len(), whole.len());
    for (page, html) in &pieces {
        assert_eq!(Some(html), whole.get(page), "sidebar of {page}");
    }
}

/// The shipped guide: nested folders, section pages and API pages whose entry lists operations.
#[test]
fn shared_sidebar_pieces_equal_whole_renders_on_the_guide() {
    let site = SiteTest::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "openapi", "static"] {
        copy_into(&site, &root.join(dir), dir);
    }
    site.file(
        "intark.toml",
        std::fs::read(root.join("intark.toml")).unwrap(),
    );
    assert_shared_pieces_equal_whole_renders(
        &site,
        "themes/default",
        &["build", "--no-search", "--no-check"],
    );
}

/// The Docsy example: Hugo with pages in English, Norwegian and Persian (a piece per language).
#[test]
fn shared_sidebar_pieces_equal_whole_renders_on_a_multilingual_hugo_site() {
    let Some(shared) =
        shared_or_skip("shared_sidebar_pieces_equal_whole_renders_on_a_multilingual_hugo_site")
    else {
        return;
    };
    let site = SiteTest::new();
    copy_into(&site, &shared.join("corpora/hugo-docsy-example"), "");
    assert_shared_pieces_equal_whole_renders(
        &site,
        "themes/default",
        &["build", "--no-search", "--no-check"],
    );
}
