//! Docusaurus sites as Docusaurus builds them: the site's own `docusaurus.config.js` (evaluated),
//! heading ids (github-slugger, `{/* #id */}`), number prefixes. The fixture
//! `tests/fixtures/docusaurus-site` is also built by Docusaurus itself in
//! `bench/differential/docusaurus.py`; the expectations here are what that build gives.

use crate::harness::{attrs, shared_or_skip, text_of, SiteTest};
use std::path::Path;

/// A copy of a fixture in a fresh site folder (the build writes beside the sources).
fn fixture(name: &str) -> SiteTest {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let site = SiteTest::new();
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&from).unwrap();
            site.file(rel.to_str().unwrap(), std::fs::read(entry.path()).unwrap());
        }
    }
    site
}

#[test]
fn fixture_builds_with_its_own_config_ids_and_routes() {
    let site = fixture("docusaurus-site");
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    let intro = site.html("/docs/intro/");
    assert!(
        text_of(&intro, "title").ends_with("Testsiden"),
        "{}",
        text_of(&intro, "title")
    );
    assert_eq!(attrs(&intro, "html", "lang"), vec!["nb"]);
    assert_eq!(
        attrs(&intro, "a[href^='https://example.org/repo']", "href"),
        vec!["https://example.org/repo/edit/main/docs/intro.md"],
        "editUrl + the docs folder + the file"
    );
    let ids = attrs(&intro, "h2[id], h3[id]", "id");
    assert_eq!(
        ids,
        vec!["kontaktsikt", "ma\u{30a}l", "\u{fe0f}-ferdig"],
        "MDX-comment id; combining ring and variation selector kept"
    );
    // `01-01-graphql` looks like a date or version: Docusaurus keeps the prefix. `02-` goes.
    assert!(site.out("/docs/api/01-01-graphql/index.html").is_file());
    assert!(site.out("/docs/veiledning/index.html").is_file());
    assert_eq!(
        attrs(&site.html("/docs/veiledning/"), "h2", "id"),
        vec!["oppsett"]
    );
    // MDX: imports dropped, <Tabs>/<TabItem> as our tabs, <Admonition> as our box.
    let tabs = site.html("/docs/faner/");
    assert_eq!(
        attrs(&tabs, "[data-tabs] .tab-panel", "data-tab-label"),
        vec!["Linux", "macOS"]
    );
    assert_eq!(
        attrs(&tabs, ".tab-panel h2", "id"),
        vec!["oppsett-på-linux", "oppsett-på-macos"]
    );
    assert_eq!(
        crate::harness::text_of(&tabs, ".admonition-warning .admonition-title"),
        "Pass på"
    );
    assert!(
        !text_of(&tabs, "article").contains("import"),
        "{}",
        text_of(&tabs, "article")
    );
}

#[test]
fn fixture_check_finds_no_broken_link_or_anchor() {
    let site = fixture("docusaurus-site");
    let run = site.run(&["check", "--format", "json"]);
    let broken: Vec<_> = run
        .findings()
        .into_iter()
        .filter(|(rule, _, _)| rule.starts_with("broken"))
        .collect();
    assert!(broken.is_empty(), "{broken:?}\n{}", run.stderr());
}

#[test]
fn on_broken_anchors_sets_the_severity() {
    let site = fixture("docusaurus-site");
    site.file("docs/brutt.md", "# Brutt\n\n[x](#finnes-ikke)\n");
    let run = site.run(&["check"]);
    assert_ne!(run.code(), 0, "onBrokenAnchors: 'throw' is an error");
    let config = std::fs::read_to_string(site.root().join("docusaurus.config.js")).unwrap();
    site.file(
        "docusaurus.config.js",
        config.replace("onBrokenAnchors: 'throw'", "onBrokenAnchors: 'warn'"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code(), 0, "'warn' is a warning:\n{}", run.stderr());
    assert!(run.stderr().contains("broken-anchor"), "{}", run.stderr());
}

#[test]
fn a_config_that_never_ends_is_a_clear_error() {
    let site = SiteTest::new();
    site.file("docusaurus.config.js", "while (true) {}\n");
    site.file("docs/a.md", "# A\n");
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("docusaurus.config.js") && run.stderr().contains("did not finish"),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_corpus_pages_carry_the_sites_own_title_and_edit_links() {
    let Some(shared) = shared_or_skip("the_corpus_pages_carry_the_sites_own_title_and_edit_links")
    else {
        return;
    };
    let root = shared.join("corpora/sikt-datadeling");
    let out = SiteTest::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--no-check", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(out.root().join("public"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = out.html("/docs/datadeling/om/");
    assert!(
        text_of(&page, "title").ends_with("Sikt teknisk dokumentasjon"),
        "{}",
        text_of(&page, "title")
    );
    assert_eq!(
        attrs(&page, "main a[href^='https://github.com/sikt-no']", "href"),
        vec!["https://github.com/sikt-no/docs/tree/master/docs/datadeling/om/index.md"],
        "the edit link"
    );
    // The footer is the site's own (themeConfig.footer), not IntArk's.
    let footer = attrs(&page, "footer.site-footer a", "href");
    assert!(
        footer.contains(&"https://github.com/sikt-no/docs/issues".to_string()),
        "{footer:?}"
    );
    assert!(!text_of(&page, "footer.site-footer").contains("IntArk"));
}

#[test]
fn sidebar_orders_by_position_then_file_name_as_docusaurus() {
    let site = fixture("docusaurus-site");
    let run = site.run(&["build", "--out", "public", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html = site.html("/docs/ordning/b/");
    let top: Vec<String> = crate::harness::select(&html, "#sidebar > ul > li")
        .iter()
        .map(|li| li.text().next().unwrap_or_default().trim().to_string())
        .collect();
    // sidebar_position 1, number prefix 2, then the unpositioned by folder name.
    assert_eq!(
        top,
        ["Innledning", "Veiledning", "Faner", "API-er", "ordning"]
    );
    // No page for a folder without an index page; a generated index where `_category_` asks.
    assert!(!site.out("/docs/ordning/index.html").exists());
    assert!(site.out("/docs/category/api-er/index.html").is_file());
    assert_eq!(
        attrs(&html, "#sidebar a[href='/docs/category/api-er/']", "href").len(),
        1
    );
    let inner: Vec<String> = crate::harness::select(&html, "#sidebar .nav-open li a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        inner,
        ["Zulu", "Alfa"],
        "b.md before c.md, whatever their titles"
    );
}

#[test]
fn a_link_to_a_folder_docusaurus_makes_no_page_for_is_broken() {
    let site = fixture("docusaurus-site");
    site.file("docs/lenker.md", "# Lenker\n\n[Ordning](/docs/ordning/)\n");
    let run = site.run(&["check", "--format", "json"]);
    let broken: Vec<_> = run
        .findings()
        .into_iter()
        .filter(|(rule, _, _)| rule == "broken-link")
        .collect();
    assert_eq!(
        broken,
        [("broken-link".to_string(), "docs/lenker.md".to_string(), 3)]
    );
}

#[test]
fn plugins_that_are_not_run_are_named_once_each() {
    let site = fixture("docusaurus-site");
    let config = std::fs::read_to_string(site.root().join("docusaurus.config.js")).unwrap();
    site.file(
        "docusaurus.config.js",
        config.replace(
            "  presets: [",
            "  plugins: [require.resolve('docusaurus-lunr-search'), ['@docusaurus/plugin-ideal-image', {}]],\n  presets: [",
        ),
    );
    let run = site.run(&["check", "--format", "json"]);
    let unsupported: Vec<_> = run
        .findings()
        .into_iter()
        .filter(|(rule, _, _)| rule == "unsupported-plugin")
        .map(|(_, file, _)| file)
        .collect();
    assert_eq!(
        unsupported,
        ["docusaurus.config.js", "docusaurus.config.js"],
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("docusaurus-lunr-search"));
    assert!(run.stdout().contains("@docusaurus/plugin-ideal-image"));
}

#[test]
fn explicit_sidebars_list_their_items_and_each_page_shows_its_own() {
    let site = fixture("docusaurus-site");
    site.file(
        "sidebars.js",
        "module.exports = {\n  hoved: ['intro', {type: 'autogenerated', dirName: 'ordning'},\n    {type: 'link', label: 'Eksternt', href: 'https://example.org/'}],\n  api: require('./sidebars/api.js'),\n};\n",
    );
    site.file(
        "sidebars/api.js",
        "module.exports = {\n  API: [{type: 'category', label: 'Grensesnitt', collapsed: false,\n    link: {type: 'doc', id: 'api/01-01-graphql'},\n    items: [{type: 'ref', id: 'intro'}, 'veiledning']}],\n};\n",
    );
    let run = site.run(&["build", "--out", "public", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let links = |route: &str| -> Vec<String> {
        crate::harness::select(&site.html(route), "#sidebar > ul a")
            .iter()
            .map(|a| a.text().collect::<String>().trim().to_string())
            .collect()
    };
    // `ordning` autogenerated: its pages by file name, as a slice between the doc and the link.
    assert_eq!(
        links("/docs/ordning/b/"),
        ["Innledning", "Zulu", "Alfa", "Eksternt"]
    );
    // A page listed in two sidebars shows the one that lists it as a doc, not as a `ref`.
    assert_eq!(
        links("/docs/intro/"),
        ["Innledning", "Zulu", "Alfa", "Eksternt"]
    );
    // The category links to its doc and stays open (`collapsed: false`) on every page of it.
    assert_eq!(
        links("/docs/veiledning/"),
        ["Grensesnitt", "Innledning", "Veiledning"]
    );
    let graphql = site.html("/docs/api/01-01-graphql/");
    assert_eq!(
        attrs(&graphql, "#sidebar a[aria-current='page']", "href"),
        ["/docs/api/01-01-graphql/"]
    );
    // A page in no sidebar shows none, and reads on to no page.
    let faner = site.html("/docs/faner/");
    assert!(crate::harness::select(&faner, "#sidebar > ul a").is_empty());
    assert!(crate::harness::select(&faner, "a[rel='next'], a[rel='prev']").is_empty());
    // Reading order stays inside the page's sidebar.
    let intro = site.html("/docs/intro/");
    assert_eq!(attrs(&intro, "a[rel='next']", "href"), ["/docs/ordning/b/"]);
    assert!(crate::harness::select(&intro, "a[rel='prev']").is_empty());
}

#[test]
fn a_sidebar_item_of_an_unknown_type_is_a_config_error() {
    let site = fixture("docusaurus-site");
    site.file(
        "sidebars.js",
        "module.exports = {hoved: [{type: 'dokument', id: 'intro'}]};\n",
    );
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("sidebars.js") && run.stderr().contains("`dokument`"),
        "{}",
        run.stderr()
    );
}

#[test]
fn trailing_slash_false_writes_html_files_and_links_without_the_slash() {
    let site = fixture("docusaurus-site");
    let config = std::fs::read_to_string(site.root().join("docusaurus.config.js")).unwrap();
    site.file(
        "docusaurus.config.js",
        config.replace(
            "  baseUrl: '/',",
            "  baseUrl: '/',\n  trailingSlash: false,",
        ),
    );
    // Links with and without the slash both reach the page, as in Docusaurus's own check.
    site.file(
        "docs/lenker.md",
        "# Lenker\n\n[Med](/docs/veiledning/) [uten](/docs/veiledning#oppsett) [fil](./intro.md)\n",
    );
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    assert!(site.out("/docs/intro.html").is_file());
    assert!(!site.out("/docs/intro/index.html").exists());
    assert!(site.out("/docs/api/01-01-graphql.html").is_file());
    assert!(site.out("/docs/category/api-er.html").is_file());
    let page = site.html("/docs/lenker.html");
    assert_eq!(
        attrs(&page, "article p a", "href"),
        [
            "/docs/veiledning",
            "/docs/veiledning#oppsett",
            "/docs/intro"
        ]
    );
    assert!(attrs(&page, "#sidebar a", "href").contains(&"/docs/intro".to_string()));
}

#[test]
fn markdown_format_mdx_ends_html_blocks_at_their_line_as_docusaurus_3() {
    let site = fixture("docusaurus-site");
    let page = "# Referanse\n\nSe [a](#fn-a), [b](#funksjon-b).\n\n<table>\n<tr><td>x</td></tr>\n</table>\n<a id=\"fn-a\"></a>\n#### Funksjon b\nTekst\n";
    site.file("docs/referanse.md", page);
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    let html = site.html("/docs/referanse/");
    assert_eq!(attrs(&html, "article h4", "id"), ["funksjon-b"]);
    // `markdown.format: 'md'`: CommonMark, one HTML block up to the blank line, no heading, and
    // the link to it is broken (onBrokenAnchors: 'throw').
    let config = std::fs::read_to_string(site.root().join("docusaurus.config.js")).unwrap();
    site.file(
        "docusaurus.config.js",
        config.replace(
            "  baseUrl: '/',",
            "  baseUrl: '/',\n  markdown: {format: 'md'},",
        ),
    );
    let run = site.run(&["check", "--format", "json"]);
    let broken: Vec<_> = run
        .findings()
        .into_iter()
        .filter(|(rule, _, _)| rule == "broken-anchor")
        .collect();
    assert_eq!(
        broken,
        [(
            "broken-anchor".to_string(),
            "docs/referanse.md".to_string(),
            3
        )],
        "`#fn-a` is an element id either way"
    );
}

#[test]
fn a_typescript_config_and_sidebars_are_read_as_docusaurus_reads_them() {
    let site = fixture("docusaurus-site");
    // Docusaurus looks for `docusaurus.config.ts` before `.js` (`findConfig`).
    site.file(
        "docusaurus.config.ts",
        "import type {Config} from '@docusaurus/types';\nimport type * as Preset from '@docusaurus/preset-classic';\nimport {editUrl} from './site-data';\n\nconst config: Config = {\n  title: 'TS-siden',\n  url: 'https://example.org',\n  baseUrl: '/',\n  i18n: {defaultLocale: 'nb', locales: ['nb']},\n  presets: [['classic', {docs: {sidebarPath: './sidebars.ts', editUrl} satisfies Preset.Options['docs'], blog: false}]],\n};\n\nexport default config;\n",
    )
    .file(
        "site-data.ts",
        "export const editUrl: string = 'https://example.org/ts/edit/main/';\n",
    )
    .file(
        "sidebars.ts",
        "import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';\n\nconst sidebars: SidebarsConfig = {\n  hoved: ['veiledning', 'intro'],\n};\n\nexport default sidebars;\n",
    );
    let run = site.run(&["build", "--out", "public", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let intro = site.html("/docs/intro/");
    assert!(text_of(&intro, "title").ends_with("TS-siden"));
    assert_eq!(
        attrs(&intro, "a[href^='https://example.org/ts']", "href"),
        ["https://example.org/ts/edit/main/docs/intro.md"],
        "editUrl from the imported .ts file"
    );
    let links: Vec<String> = crate::harness::select(&intro, "#sidebar > ul a")
        .iter()
        .map(|a| a.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(
        links,
        ["Veiledning", "Innledning"],
        "the order of sidebars.ts"
    );
    // A syntax error names the .ts file, line and column, and stops the build (exit 2).
    site.file(
        "sidebars.ts",
        "const sidebars: = {hoved: ['intro']};\nexport default sidebars;\n",
    );
    let run = site.run(&["build", "--out", "public", "--no-check"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("sidebars.ts:1:"), "{}", run.stderr());
}

#[test]
fn underscore_partials_are_not_pages_as_the_docs_plugin_excludes_them() {
    let site = fixture("docusaurus-site");
    site.file("docs/_del.md", "## Delt\n\nTekst.\n")
        .file("docs/_deler/a.md", "# A\n");
    let run = site.run(&["build", "--out", "public", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    // Docusaurus 3's default `exclude`: `**/_*.{md,mdx,…}` and `**/_*/**` are partials.
    assert!(site.out("/docs/intro/index.html").is_file());
    assert!(!site.out("/docs/_del/index.html").exists());
    assert!(!site.out("/docs/_deler/a/index.html").exists());
}
