//! The theme owns the markup: no string literal in `src/` outside tests holds an HTML tag, and none
//! holds a UI string of the theme's tables (those live in `themes/default/i18n/`, read through `t`).
//!
//! Rust files are parsed with `syn` (comments and doc comments are not literals; raw strings and
//! macro arguments are), and `#[cfg(test)]` items and files are left out. What may stay is in
//! [`ALLOWED`], each with its reason; an entry that no longer matches anything fails the test too,
//! so the list stays short and true.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// (file under `src/`, a piece of the allowed literal, why it may stay).
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "markdown/hugo.rs",
        "",
        "Hugo shortcode output: converted by the Hugo work (issue 17), which removes this entry",
    ),
    (
        "render.rs",
        "<urlset",
        "sitemap.xml is an XML format of its own, not markup a theme styles",
    ),
    (
        "render.rs",
        "<url>",
        "sitemap.xml is an XML format of its own, not markup a theme styles",
    ),
    (
        "render.rs",
        "</lastmod>",
        "sitemap.xml is an XML format of its own, not markup a theme styles",
    ),
    (
        "render.rs",
        "<lastmod>",
        "sitemap.xml is an XML format of its own, not markup a theme styles",
    ),
    (
        "render.rs",
        "</url>",
        "sitemap.xml is an XML format of its own, not markup a theme styles",
    ),
    (
        "render.rs",
        "</loc>",
        "sitemap.xml is an XML format of its own, not markup a theme styles",
    ),
    (
        "render.rs",
        "</urlset>",
        "sitemap.xml is an XML format of its own, not markup a theme styles",
    ),
    (
        "report.rs",
        "",
        "the JUnit report is XML read by CI servers, not markup a theme styles",
    ),
    (
        "serve/http.rs",
        "live.js",
        "the dev server's reload script tag, injected into served pages only (never built files)",
    ),
    (
        "serve/http.rs",
        "</body>",
        "where the dev server injects its script: a search for the tag, not markup",
    ),
    (
        "config/mod.rs",
        "<api-key>",
        "a placeholder in the text of a configuration hint, not a tag",
    ),
    (
        "config/mod.rs",
        "API-nøkkel",
        "a key placeholder the examples runner recognises in the writer's snippets (input, not UI)",
    ),
    (
        "markdown/docusaurus.rs",
        "</",
        "the writer's MDX closing tags the Docusaurus pre-pass recognises (input, not output)",
    ),
];

#[test]
fn the_tag_finder_finds_tags_and_leaves_comparisons() {
    assert_eq!(html_tag("x <div class=\"a\">"), Some("<div"));
    assert_eq!(html_tag("</p>"), Some("</p"));
    assert_eq!(html_tag("<!DOCTYPE html>"), Some("<!DOCTYPE"));
    assert_eq!(html_tag("<br/>"), Some("<br"));
    assert_eq!(html_tag("a < b, a <b"), Some("<b"));
    assert_eq!(html_tag("a < b <= c <!-- x -->"), None);
}

#[test]
fn no_html_tag_or_ui_string_in_rust_string_literals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let ui = ui_strings(&root.join("themes/default/i18n"));
    let mut test_files = BTreeSet::new();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let parsed: Vec<(&PathBuf, syn::File)> = files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let file = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{}: cannot parse: {e}", path.display()));
            (path, file)
        })
        .collect();
    // `#[cfg(test)] mod x;` names a file of tests.
    for (path, file) in &parsed {
        for item in &file.items {
            if let syn::Item::Mod(m) = item {
                if m.content.is_none() && is_test(&m.attrs) {
                    test_files.extend(module_files(path, &m.ident.to_string()));
                }
            }
        }
    }
    let mut found = Vec::new();
    let mut used = vec![false; ALLOWED.len()];
    for (path, file) in &parsed {
        if test_files.contains(*path) {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut visitor = Literals::default();
        visitor.visit_file(file);
        for (line, value) in visitor.found {
            let problem = if let Some(tag) = html_tag(&value) {
                format!("HTML tag `{tag}`")
            } else if let Some(word) = ui
                .iter()
                .find(|w| value.trim() == w.as_str() && looks_like_text(w))
            {
                format!("UI string `{word}` (use its i18n key)")
            } else {
                continue;
            };
            let allowed = ALLOWED
                .iter()
                .position(|(f, piece, _)| *f == rel && value.contains(piece));
            match allowed {
                Some(i) => used[i] = true,
                None => found.push(format!("src/{rel}:{line}: {problem} in {value:?}")),
            }
        }
    }
    let stale: Vec<_> = ALLOWED
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|((f, piece, _), _)| format!("{f}: {piece:?}"))
        .collect();
    assert!(
        found.is_empty(),
        "markup or UI text in Rust (move it to a template under themes/default/templates/ or a key \
         in themes/default/i18n/):\n{}",
        found.join("\n")
    );
    assert!(
        stale.is_empty(),
        "allow-list entries that match nothing any more (remove them):\n{}",
        stale.join("\n")
    );
}

/// The tag a literal holds, if any: `<name` or `</name` followed by a space, `>`, `/` or the end.
fn html_tag(value: &str) -> Option<&str> {
    let bytes = value.as_bytes();
    for (i, _) in value.match_indices('<') {
        let mut start = i + 1;
        if bytes.get(start) == Some(&b'/') || bytes.get(start) == Some(&b'!') {
            start += 1;
        }
        if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let end = value[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(value.len(), |n| start + n);
        if end == value.len() || matches!(bytes[end], b' ' | b'\n' | b'\t' | b'>' | b'/') {
            return Some(&value[i..end]);
        }
    }
    None
}

/// The text values of the theme's string tables (those of four letters or more: shorter ones such
/// as "Info" or "Ja" are too common in other roles to tell apart).
fn ui_strings(dir: &Path) -> BTreeSet<String> {
    fn walk(value: &toml::Value, out: &mut BTreeSet<String>) {
        match value {
            toml::Value::String(s) if s.chars().filter(|c| c.is_alphabetic()).count() >= 4 => {
                out.insert(s.clone());
            }
            toml::Value::Table(t) => t.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        walk(&toml::from_str::<toml::Value>(&text).unwrap(), &mut out);
    }
    assert!(out.contains("Forrige") && out.contains("Previous"));
    out
}

/// Whether a UI string could only be text: it has a capital, a space or a letter outside ASCII.
/// A lowercase ASCII word ("required", "draft") is also a key, a field name or a slug in Rust.
fn looks_like_text(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_uppercase() || c.is_whitespace() || (c.is_alphabetic() && !c.is_ascii()))
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let tokens = a.meta.require_list().map(|l| l.tokens.to_string());
            tokens.is_ok_and(|t| {
                t.split(|c: char| !c.is_alphanumeric()).any(|w| w == "test") && !t.contains("not")
            })
        }
    })
}

/// The files a `mod name;` in `path` may be in.
fn module_files(path: &Path, name: &str) -> [PathBuf; 2] {
    let stem = path.file_stem().unwrap().to_string_lossy();
    let dir = if matches!(stem.as_ref(), "mod" | "lib" | "main") {
        path.parent().unwrap().to_path_buf()
    } else {
        path.with_extension("")
    };
    [
        dir.join(format!("{name}.rs")),
        dir.join(name).join("mod.rs"),
    ]
}

/// String literals outside test items, with their lines.
#[derive(Default)]
struct Literals {
    found: Vec<(usize, String)>,
}

impl Literals {
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                proc_macro2::TokenTree::Literal(l) => {
                    if let Ok(s) = syn::parse_str::<syn::LitStr>(&l.to_string()) {
                        self.found.push((l.span().start().line, s.value()));
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for Literals {
    // Doc comments are attributes: text about the code, not output.
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_lit_str(&mut self, lit: &'ast syn::LitStr) {
        self.found.push((lit.span().start().line, lit.value()));
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
    }
}
