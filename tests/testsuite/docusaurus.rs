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
        vec![
            "Linux",
            "macOS",
            "GNU/Linux",
            "Mac",
            "Linux",
            "windows",
            "pip (Python)",
            "npm"
        ],
        "`label`, else the `value`; a `<Tabs values>` label over the item's own"
    );
    // `groupId` and `value` for keeping in step, `default` for the first choice
    // (theme-common `tabsUtils.tsx`); a set without a group stands alone.
    assert_eq!(
        attrs(&tabs, "[data-tabs-group]", "data-tabs-group"),
        vec!["os", "os", "pakke"]
    );
    // An opening tag over several lines; `queryString` names the URL parameter.
    assert_eq!(
        attrs(&tabs, "[data-tabs-query]", "data-tabs-query"),
        vec!["pakke"]
    );
    assert_eq!(attrs(&tabs, "[data-tabs-independent]", "class").len(), 1);
    assert_eq!(
        attrs(&tabs, "[data-tabs] .tab-panel", "data-tab-value"),
        vec!["linux", "mac", "linux", "mac", "linux", "windows", "pip", "npm"]
    );
    assert_eq!(
        attrs(&tabs, ".tab-panel[data-tab-default]", "data-tab-label"),
        vec!["macOS", "pip (Python)"],
        "`defaultValue` over an item's `default`"
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
    let broken: Vec<_> = run.findings_where(|rule| rule.starts_with("broken"));
    assert!(broken.is_empty(), "{broken:?}\n{}", run.stderr());
}

#[test]
fn on_broken_anchors_sets_the_severity() {
    let site = fixture("docusaurus-site");
    site.file("docs/brutt.md", "# Brutt\n\n[x](#finnes-ikke)\n");
    let run = site.run(&["check"]);
    assert_ne!(run.code(), 0, "onBrokenAnchors: 'throw' is an error");
    edit_config(
        &site,
        &[("onBrokenAnchors: 'throw'", "onBrokenAnchors: 'warn'")],
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
        [
            "Innledning",
            "Veiledning",
            "Faner",
            "API-er",
            "Fotnoter",
            "ordning"
        ]
    );
    // No page for a folder without an index page; a generated index where `_category_` asks.
    assert!(!site.out("/docs/ordning/index.html").exists());
    // So the category is a label, not a link (Docusaurus's collapsible category without `href`).
    let ordning = crate::harness::select(&html, "#sidebar > ul > li")
        .into_iter()
        .find(|li| li.text().next().unwrap_or_default().trim() == "ordning")
        .unwrap();
    assert_eq!(ordning.value().attr("class"), Some("nav-folder nav-open"));
    let row = ordning
        .select(&scraper::Selector::parse(".nav-row").unwrap())
        .next()
        .unwrap();
    assert_eq!(row.inner_html(), "<span>ordning</span>");
    assert!(site.out("/docs/category/api-er/index.html").is_file());
    assert_eq!(
        attrs(&html, "#sidebar a[href='/docs/category/api-er']", "href").len(),
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
    let broken: Vec<_> = run.findings_where(|rule| rule == "broken-link");
    assert_eq!(
        broken,
        [("broken-link".to_string(), "docs/lenker.md".to_string(), 3)]
    );
}

#[test]
fn plugins_that_are_not_run_are_named_once_each() {
    let site = fixture("docusaurus-site");
    edit_config(
        &site,
        &[(
            "  presets: [",
            "  plugins: [require.resolve('docusaurus-lunr-search'), ['@docusaurus/plugin-ideal-image', {}]],\n  presets: [",
        )],
    );
    let run = site.run(&["check", "--format", "json"]);
    let unsupported: Vec<_> = run
        .findings_where(|rule| rule == "unsupported-plugin")
        .into_iter()
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
        ["/docs/api/01-01-graphql"]
    );
    // A page in no sidebar shows none, and reads on to no page.
    let faner = site.html("/docs/faner/");
    assert!(crate::harness::select(&faner, "#sidebar > ul a").is_empty());
    assert!(crate::harness::select(&faner, "a[rel='next'], a[rel='prev']").is_empty());
    // Reading order stays inside the page's sidebar.
    let intro = site.html("/docs/intro/");
    assert_eq!(attrs(&intro, "a[rel='next']", "href"), ["/docs/ordning/b"]);
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
fn without_trailing_slash_set_permalinks_are_docusaurus_s_and_pages_are_folders() {
    // plugin-content-docs `slug.ts`: a folder's index doc is its folder (`/docs/guide/`), other
    // docs have no slash (`/docs/guide/a`), a `slug` keeps what it writes; with `trailingSlash`
    // unset `applyTrailingSlash` leaves them, and every page is a folder's `index.html`.
    let site = fixture("docusaurus-site");
    site.file(
        "docs/guide/index.md",
        "# Guide\n\n[A](./a.md) [B](./b.md)\n",
    );
    site.file("docs/guide/a.md", "# A\n");
    site.file("docs/guide/b.md", "---\nslug: /egen/\n---\n# B\n");
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    for file in [
        "/docs/guide/index.html",
        "/docs/guide/a/index.html",
        "/docs/egen/index.html",
    ] {
        assert!(site.out(file).is_file(), "{file}");
    }
    assert!(!site.out("/docs/guide/a.html").exists());
    let guide = site.html("/docs/guide/");
    assert_eq!(
        attrs(&guide, "article p a", "href"),
        ["/docs/guide/a", "/docs/egen/"]
    );
    assert!(attrs(&guide, "#sidebar a", "href").contains(&"/docs/guide/".to_string()));
}

#[test]
fn trailing_slash_false_writes_html_files_and_links_without_the_slash() {
    let site = fixture("docusaurus-site");
    edit_config(
        &site,
        &[(
            "  baseUrl: '/',",
            "  baseUrl: '/',\n  trailingSlash: false,",
        )],
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
    edit_config(
        &site,
        &[(
            "  baseUrl: '/',",
            "  baseUrl: '/',\n  markdown: {format: 'md'},",
        )],
    );
    let run = site.run(&["check", "--format", "json"]);
    let broken: Vec<_> = run.findings_where(|rule| rule == "broken-anchor");
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
fn nothing_stands_at_the_root_of_a_docusaurus_site_without_a_root_page() {
    // Docusaurus publishes `/` only for a page there (`src/pages/index`, a doc with `slug: /`):
    // the fixture's `src/pages/index.md` is one (its pages plugin is not built here, but its
    // routes are known), so a link to `/` resolves.
    let site = fixture("docusaurus-site");
    site.file("docs/hjem.md", "# Hjem\n\n[Forsiden](/)\n");
    let run = site.run(&["check", "--format", "json"]);
    let broken: Vec<_> = run.findings_where(|rule| rule.starts_with("broken"));
    assert!(broken.is_empty(), "{broken:?}");
    // Without it no redirect of ours may hide that `/` is broken there: the page's link, and
    // the navbar's title (theme-classic `Logo` links `/` without `logo.href`) once, at the
    // config's `navbar` key.
    std::fs::remove_file(site.root().join("src/pages/index.md")).unwrap();
    let run = site.run(&["check", "--format", "json"]);
    let broken: Vec<_> = run.findings_where(|rule| rule.starts_with("broken"));
    assert_eq!(
        broken,
        [
            ("broken-link".to_string(), "docs/hjem.md".to_string(), 3),
            (
                "broken-link".to_string(),
                "docusaurus.config.js".to_string(),
                27
            ),
        ]
    );
    std::fs::remove_file(site.root().join("docs/hjem.md")).unwrap();
    let run = site.run(&["build", "--no-check", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    assert!(site.out("/docs/intro/index.html").is_file());
    assert!(!site.out("/index.html").exists());
    assert_eq!(
        attrs(&site.html("/docs/intro/"), "a.site-title", "href"),
        ["/"],
        "the title links where Docusaurus's does"
    );
}

#[test]
fn navbar_and_footer_links_are_checked_once_at_the_config_line() {
    // Docusaurus reports a broken layout link on every page (`server/brokenLinks.ts`); here it is
    // one finding where the config writes it, with the number of pages that show it.
    let site = fixture("docusaurus-site");
    edit_config(
        &site,
        &[
            ("items: [{type: 'docSidebar', sidebarId: 'hoved', label: 'Dokumentasjon'}],",
            "items: [\n        {type: 'docSidebar', sidebarId: 'hoved', label: 'Dokumentasjon'},\n        {to: '/docs/borte', label: 'Borte'},\n        {href: 'https://example.org/x', label: 'Ute'},\n      ],"),
            ("links: [{label: 'Kontakt', href: 'https://example.org/kontakt'}],",
            "links: [\n        {label: 'Kontakt', href: 'https://example.org/kontakt'},\n        {label: 'Intro', to: '/docs/intro#finnes-ikke'},\n        {label: 'Veiledning', to: 'docs/veiledning#oppsett'},\n      ],"),
        ],
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1, "onBrokenLinks: 'throw'");
    let broken: Vec<_> = run.findings_where(|rule| rule.starts_with("broken"));
    assert_eq!(
        broken,
        [
            (
                "broken-link".to_string(),
                "docusaurus.config.js".to_string(),
                31
            ),
            (
                "broken-anchor".to_string(),
                "docusaurus.config.js".to_string(),
                38
            ),
        ],
        "external and resolving links are not findings"
    );
    let json = run.json();
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "docusaurus.config.js" && f["rule"] != "unsupported-plugin")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages[0].contains("navbar item `Borte`")
            && messages[0].contains("`/docs/borte`")
            && messages[0].contains("9 pages"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("footer link `Intro`") && messages[1].contains("`finnes-ikke`"),
        "{}",
        messages[1]
    );
    // The severity follows `onBrokenLinks` as for the pages' links.
    edit_config(
        &site,
        &[
            ("onBrokenLinks: 'throw'", "onBrokenLinks: 'warn'"),
            ("onBrokenAnchors: 'throw'", "onBrokenAnchors: 'warn'"),
        ],
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
    let json = run.json();
    let severities: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("broken"))
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["warning", "warning"]);
}

#[test]
fn doc_and_sidebar_navbar_items_link_their_pages() {
    // `docSidebar`: the sidebar's first link (`DocSidebarNavbarItem`, `getFirstLink`): a doc, or
    // a category's generated index; `doc`: the doc's page, labelled with its id without a label.
    let site = fixture("docusaurus-site");
    edit_config(
        &site,
        &[(
            "items: [{type: 'docSidebar', sidebarId: 'hoved', label: 'Dokumentasjon'}],",
            "items: [{type: 'docSidebar', sidebarId: 'hoved', label: 'Dokumentasjon'}, {type: 'docSidebar', sidebarId: 'ekstra'}, {type: 'doc', docId: 'fotnoter'}],",
        )],
    );
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    let page = site.html("/docs/faner/");
    assert_eq!(
        attrs(&page, ".navbar-links a", "href"),
        ["/docs/intro", "/docs/mdx", "/docs/fotnoter"]
    );
    let labels: Vec<String> = crate::harness::select(&page, ".navbar-links a")
        .iter()
        .map(|a| a.text().collect::<String>())
        .collect();
    assert_eq!(labels, ["Dokumentasjon", "MDX", "fotnoter"]);
}

#[test]
fn a_sidebar_naming_a_doc_no_page_has_is_an_error_at_its_line() {
    let site = fixture("docusaurus-site");
    site.file(
        "sidebars.js",
        "module.exports = {\n  hoved: ['intro',\n    'veiledningen'],\n  api: require('./sidebars/api.js'),\n};\n",
    );
    site.file(
        "sidebars/api.js",
        "module.exports = [\n  {type: 'category', label: 'API', link: {type: 'doc', id: 'api/graphql'}, items: ['intro']},\n];\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let sidebar: Vec<_> = run.findings_where(|rule| rule == "sidebar");
    assert_eq!(
        sidebar,
        [
            ("sidebar".to_string(), "sidebars/api.js".to_string(), 2),
            ("sidebar".to_string(), "sidebars.js".to_string(), 3),
        ]
    );
    let json = run.json();
    let hints: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "sidebar")
        .map(|f| f["hint"].as_str().unwrap_or_default())
        .collect();
    assert!(hints[0].contains("front matter `id`"), "{}", hints[0]);
    assert_eq!(hints[1], "did you mean `veiledning`?");
}

#[test]
fn footnotes_have_the_ids_remark_gfm_gives_them_on_docusaurus_sites() {
    let site = fixture("docusaurus-site");
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    let page = site.html("/docs/fotnoter/");
    // As Docusaurus 3.10 builds the fixture: numbered by first reference, a second reference
    // to one note `-2`, notes listed at the end in that order, the unreferenced one left out.
    assert_eq!(
        attrs(&page, "sup > a[data-footnote-ref]", "id"),
        [
            "user-content-fnref-kilde",
            "user-content-fnref-merknad",
            "user-content-fnref-kilde-2"
        ]
    );
    assert_eq!(
        attrs(&page, "sup > a[data-footnote-ref]", "href"),
        [
            "#user-content-fn-kilde",
            "#user-content-fn-merknad",
            "#user-content-fn-kilde"
        ]
    );
    assert_eq!(text_of(&page, "sup > a[data-footnote-ref]"), "1");
    assert_eq!(
        attrs(&page, "section.footnotes > h2", "id"),
        ["footnote-label"]
    );
    assert_eq!(
        attrs(&page, "section.footnotes li", "id"),
        ["user-content-fn-kilde", "user-content-fn-merknad"]
    );
    assert_eq!(
        attrs(
            &page,
            "section.footnotes li p a[data-footnote-backref]",
            "href"
        ),
        [
            "#user-content-fnref-kilde",
            "#user-content-fnref-kilde-2",
            "#user-content-fnref-merknad"
        ],
        "the links back sit in the note's paragraph"
    );
    assert!(!text_of(&page, "article").contains("Ingen henviser hit"));
    // The page's links to the notes resolve (the fixture's check finds no broken anchor), and a
    // link to a note that is not there is broken.
    site.file(
        "docs/brutt.md",
        "# Brutt\n\n[x](./fotnoter.md#user-content-fn-ubrukt)\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    let broken: Vec<_> = run.findings_where(|rule| rule.starts_with("broken"));
    assert_eq!(
        broken,
        [("broken-anchor".to_string(), "docs/brutt.md".to_string(), 3)]
    );
}

#[test]
fn an_mdx_component_we_cannot_run_is_named_once_for_the_site_and_its_content_shown() {
    let site = fixture("docusaurus-site");
    site.file(
        "docs/mer.md",
        "import Boks from '@site/src/components/Boks';\n\n# Mer\n\n<Boks>Igjen</Boks> og `<Boks>` i kode.\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 0, "a warning: {}", run.stdout());
    let json = run.json();
    let found: Vec<(String, u64, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "mdx-component")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1), ("docs/faner.md", 65));
    assert!(
        found[0].2.starts_with("used 2 times on 2 pages, first here: the MDX component `Boks` (imported from `@site/src/components/Boks`)"),
        "{}",
        found[0].2
    );
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(text_of(&site.html("/docs/faner/"), "article")
        .contains("Teksten inni en komponent vi ikke kan kjøre, vises likevel."));
}

#[test]
fn generated_index_pages_show_their_title_description_and_items() {
    let site = fixture("docusaurus-site");
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    // `_category_.json`: title and description from its link; the category keeps its label.
    let api = site.html("/docs/category/api-er/");
    assert_eq!(text_of(&api, "article h1"), "Alle API-ene");
    assert_eq!(
        text_of(&api, "article .section-description"),
        "Grensesnittene siden beskriver."
    );
    assert_eq!(
        attrs(&api, "article .section-list a", "href"),
        ["/docs/api/01-01-graphql"]
    );
    assert_eq!(
        attrs(&api, "#sidebar a[href='/docs/category/api-er']", "href").len(),
        1
    );
    assert_eq!(
        text_of(&api, "#sidebar a[href='/docs/category/api-er']"),
        "API-er"
    );
    // A `sidebars.js` category: the page at its `slug`, listing the category's items; the pages
    // of that sidebar link to it from the category.
    let mdx = site.html("/docs/mdx/");
    assert_eq!(text_of(&mdx, "article h1"), "MDX-eksempler");
    assert_eq!(
        text_of(&mdx, "article .section-description"),
        "Faner, komponenter og fotnoter."
    );
    assert_eq!(
        attrs(&mdx, "article .section-list a", "href"),
        ["/docs/faner", "/docs/fotnoter"]
    );
    // A doc's card shows its description, else its excerpt (createExcerpt), as Docusaurus 3.10's
    // build of the fixture shows them.
    let cards: Vec<String> = crate::harness::select(&mdx, "article .section-item-description")
        .iter()
        .map(|p| p.text().collect())
        .collect();
    assert_eq!(
        cards,
        [
            "Oppsett på Linux",
            "Påstanden har en kilde og en merknad. Kilden igjen."
        ]
    );
    assert_eq!(
        text_of(&api, "article .section-item-description"),
        "Filnavnet begynner som en dato eller versjon, så Docusaurus beholder prefikset."
    );
    assert_eq!(
        attrs(&api, "meta[name=description]", "content"),
        ["Grensesnittene siden beskriver."]
    );
    assert_eq!(
        attrs(
            &site.html("/docs/faner/"),
            "meta[name=description]",
            "content"
        ),
        ["Oppsett på Linux"]
    );
    let faner = site.html("/docs/faner/");
    assert_eq!(
        attrs(&faner, "#sidebar > ul > li > .nav-row > a", "href"),
        ["/docs/mdx"]
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

/// Apply `edits` (each `(from, to)`, `from` written in the config) to the site's
/// `docusaurus.config.js`; an edit whose `from` is not there fails the test.
fn edit_config<'a>(site: &'a SiteTest, edits: &[(&str, &str)]) -> &'a SiteTest {
    let path = site.root().join("docusaurus.config.js");
    let mut config = std::fs::read_to_string(&path).unwrap();
    for (from, to) in edits {
        assert!(
            config.contains(from),
            "`{from}` is not in the fixture's config"
        );
        config = config.replace(from, to);
    }
    site.file("docusaurus.config.js", config)
}

/// The fixture with `@docusaurus/plugin-client-redirects` given `options` (JavaScript).
fn with_client_redirects(options: &str, extra: &str) -> SiteTest {
    let site = fixture("docusaurus-site");
    let with_plugin = format!(
        "  baseUrl: '/',{extra}\n  plugins: [['@docusaurus/plugin-client-redirects', {options}]],"
    );
    edit_config(&site, &[("  baseUrl: '/',", &with_plugin)]);
    site
}

#[test]
fn client_redirects_write_the_plugins_pages_where_it_writes_them() {
    let site = with_client_redirects(
        "{fromExtensions: ['html'],\n\
         redirects: [{from: ['/gammel/intro', '/docs/start'], to: '/docs/intro#kontaktsikt'},\n\
                     {from: '/forum', to: 'https://example.org/forum'}],\n\
         createRedirects(path) {\n\
           if (path.startsWith('/docs/ordning/')) return [path.replace('/docs/ordning/', '/docs/rekkefolge/')];\n\
           return undefined;\n\
         }}",
        "",
    );
    // Docusaurus checks links before the plugin writes its pages: a link to one is broken there.
    site.file("docs/lenke.md", "# Lenke\n\n[Start](/docs/start)\n");
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(
        check.findings_where(|rule| rule == "broken-link"),
        [("broken-link".to_string(), "docs/lenke.md".to_string(), 3)]
    );
    assert!(
        !check.stdout().contains("client-redirects"),
        "the plugin is run now, not named as left out: {}",
        check.stdout()
    );
    site.file("docs/lenke.md", "# Lenke\n\n[Start](/docs/intro)\n");
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    let refresh = |file: &str| {
        let html = scraper::Html::parse_document(&std::fs::read_to_string(site.out(file)).unwrap());
        attrs(&html, "meta[http-equiv='refresh']", "content")
            .first()
            .cloned()
            .unwrap_or_default()
    };
    // `fromExtensions`: `/docs/intro` (trailingSlash unset: no slash) from `/docs/intro.html`,
    // written as a folder so that it never shadows the page's own file.
    assert_eq!(refresh("docs/intro.html/index.html"), "0; url=/docs/intro");
    assert_eq!(
        refresh("docs/category/api-er.html/index.html"),
        "0; url=/docs/category/api-er"
    );
    // `redirects`: a list of `from`s, a fragment kept, an address outside the site.
    assert_eq!(
        refresh("gammel/intro/index.html"),
        "0; url=/docs/intro#kontaktsikt"
    );
    assert_eq!(
        refresh("docs/start/index.html"),
        "0; url=/docs/intro#kontaktsikt"
    );
    assert_eq!(
        refresh("forum/index.html"),
        "0; url=https://example.org/forum"
    );
    let page = scraper::Html::parse_document(
        &std::fs::read_to_string(site.out("docs/start/index.html")).unwrap(),
    );
    assert_eq!(text_of(&page, "main a"), "Innledning", "named by its page");
    // `createRedirects`, called with each route.
    assert_eq!(
        refresh("docs/rekkefolge/b/index.html"),
        "0; url=/docs/ordning/b"
    );
    assert!(!site.out("docs/intro/index.html.html").exists());
}

#[test]
fn client_redirects_without_a_trailing_slash_and_the_ones_docusaurus_refuses() {
    let site = with_client_redirects(
        "{fromExtensions: ['html'], redirects: [{from: '/docs/gammel', to: '/docs/intro/'}]}",
        "\n  trailingSlash: false,",
    );
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    // A `from` ending in `.html` beside the page's own `intro.html`: `intro.html.html`.
    assert!(site.out("docs/intro.html").is_file());
    assert!(site.out("docs/intro.html.html").is_file());
    // `to` gets `trailingSlash: false` applied.
    let html = scraper::Html::parse_document(
        &std::fs::read_to_string(site.out("docs/gammel/index.html")).unwrap(),
    );
    assert_eq!(
        attrs(&html, "meta[http-equiv='refresh']", "content"),
        ["0; url=/docs/intro"]
    );

    // Docusaurus's build stops on these: a `to` in the docs no page has, a `from` that is not a
    // pathname, a function that throws.
    let site = with_client_redirects(
        "{redirects: [{from: '/docs/x', to: '/docs/finnes-ikke'}, {from: 'uten-skrastrek', to: '/docs/intro'}],\n\
         createRedirects() { throw new Error('feil i funksjonen'); }}",
        "",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}\n{}", run.stdout(), run.stderr());
    let found = run.findings_where(|rule| rule == "redirect");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found
        .iter()
        .all(|(_, file, line)| file == "docusaurus.config.js" && *line == 1));
    let messages: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "redirect")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    for expected in [
        "`/docs/finnes-ikke`: no page has that URL",
        "`uten-skrastrek`: not a pathname",
        "feil i funksjonen",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "{expected}: {messages:?}"
        );
    }
}

#[test]
fn imported_markdown_partials_are_part_of_the_page_as_mdx_compiles_them() {
    let site = fixture("docusaurus-site");
    // The module is a JavaScript string: `\_` is `_` (Prettier escapes it in Markdown).
    site.file(
        "docs/medier.md",
        "# Medier\n\nimport Hode from './\\_hode.md';\nimport Felles from '@site/docs/delt/_felles.mdx';\n\n<Hode />\n\n## Egen\n\n<Felles />\n",
    )
    .file("docs/_hode.md", "---\ntitle: ikke vist\n---\n\n## Fra hodet\n\nTekst.\n")
    .file(
        "docs/delt/_felles.mdx",
        "import Indre from './_indre.md';\n\n## Felles del\n\nSe [naboen](./nabo.md).\n\n<Indre />\n",
    )
    .file("docs/delt/nabo.md", "# Nabo\n")
    .file("docs/delt/_indre.md", ":::note\nInni\n:::\n\n### Innerst\n");
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    let page = site.html("/docs/medier/");
    assert_eq!(
        attrs(&page, "article h2[id], article h3[id]", "id"),
        ["fra-hodet", "egen", "felles-del", "innerst"],
        "the partials' headings, nested ones too, in place"
    );
    assert!(
        !text_of(&page, "article").contains("ikke vist"),
        "front matter is not shown"
    );
    // A file link in a partial starts from the partial's folder, as MDX compiles it (the
    // fixture leaves `trailingSlash` unset: Docusaurus's permalink has no slash).
    let hrefs = attrs(&page, "article a", "href");
    assert!(hrefs.contains(&"/docs/delt/nabo".to_string()), "{hrefs:?}");
    assert!(
        select_count(&page, "article .admonition") == 1,
        "the partial is rewritten as a page is"
    );

    // A partial that is not there stops Docusaurus's build: an error at the import's line.
    site.file(
        "docs/medier.md",
        "# Medier\n\nimport Borte from './_borte.md';\n\n<Borte />\n",
    );
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(
        check.findings_where(|rule| rule == "mdx-import"),
        [("mdx-import".to_string(), "docs/medier.md".to_string(), 3)]
    );
    // One that imports itself is reported, not followed for ever.
    site.file(
        "docs/medier.md",
        "# Medier\n\nimport Selv from './_selv.md';\n\n<Selv />\n",
    )
    .file(
        "docs/_selv.md",
        "import Selv from './_selv.md';\n\n## Igjen\n\n<Selv />\n",
    );
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(
        check.findings_where(|rule| rule == "mdx-import"),
        [("mdx-import".to_string(), "docs/medier.md".to_string(), 5)]
    );
}

fn select_count(html: &scraper::Html, css: &str) -> usize {
    crate::harness::select(html, css).len()
}

#[test]
fn links_into_the_blog_and_src_pages_are_checked_against_their_routes_and_ids() {
    let site = fixture("docusaurus-site");
    edit_config(
        &site,
        &[("blog: false,", "blog: {routeBasePath: 'innlegg'},")],
    )
    // `parseBlogFileName`: the date in the path makes the route; `slug` wins over it.
    .file(
        "blog/2024/05-11-ny-versjon/index.mdx",
        "---\ntitle: Ny versjon\n---\n\nTekst.\n\n## Viktige endringer/brudd\n",
    )
    .file(
        "blog/2023-01-02-eldre.md",
        "---\nslug: gammel-post\n---\n\n## Om\n",
    )
    .file("blog/_utkast.md", "## Ikke et innlegg\n")
    .file(
        "src/pages/kontakt.tsx",
        "export default function Kontakt() { return null; }\n",
    )
    .file(
        "src/pages/last-ned/index.tsx",
        "export default function X() { return null; }\n",
    )
    .file(
        "docs/lenker.md",
        "# Lenker\n\n\
         [a](/innlegg/2024/05/11/ny-versjon#viktige-endringerbrudd)\n\
         [b](/innlegg/gammel-post/#om)\n\
         [c](/kontakt#hva-som-helst)\n\
         [d](/last-ned)\n\
         [e](/innlegg)\n\
         [f](/innlegg/2024/05/11/ny-versjon#finnes-ikke)\n\
         [g](/innlegg/utkast)\n\
         [h](/innlegg/2023/01/02/eldre)\n",
    );
    let check = site.run(&["check", "--format", "json"]);
    let found: Vec<(String, u64)> = check
        .findings_where(|rule| rule == "broken-link" || rule == "broken-anchor")
        .into_iter()
        .map(|(rule, _, line)| (rule, line))
        .collect();
    assert_eq!(
        found,
        [
            ("broken-anchor".to_string(), 8),
            ("broken-link".to_string(), 9),
            ("broken-link".to_string(), 10)
        ],
        "a post's headings are its anchors; a partial and a route that `slug` replaced are no posts; a React page's anchors are not known"
    );
}

#[test]
fn a_front_matter_id_names_the_url_where_no_slug_does() {
    // plugin-content-docs `docs.ts` (`baseID = frontMatter.id ?? fileName`) and `slug.ts`: the id
    // is the URL's last segment, except on a folder's index page (`isCategoryIndex`). Docusaurus
    // 3.10 built this change of the fixture at `/docs/ordning/bee`.
    let site = fixture("docusaurus-site");
    site.file("docs/ordning/b.md", "---\nid: bee\n---\n# Bee\n");
    site.file(
        "docs/ordning/index.md",
        "---\nid: oversikt\n---\n# Ordning\n",
    );
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    assert!(site.out("/docs/ordning/bee/index.html").is_file());
    assert!(!site.out("/docs/ordning/b/index.html").exists());
    assert!(site.out("/docs/ordning/index.html").is_file());
}

#[test]
fn generated_indexes_with_one_label_get_numbered_slugs() {
    // One slugger per docs version for the labels (`categoryLabelSlugger`): `api-er`, `api-er-1`.
    let site = fixture("docusaurus-site");
    site.file(
        "docs/mer/_category_.json",
        r#"{"label": "API-er", "link": {"type": "generated-index"}}"#,
    );
    site.file("docs/mer/side.md", "# Side\n");
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    assert!(site.out("/docs/category/api-er/index.html").is_file());
    assert!(site.out("/docs/category/api-er-1/index.html").is_file());
}

#[test]
fn a_doc_named_as_its_folder_is_the_folders_page() {
    // plugin-content-docs `docs.ts` `isCategoryIndex`: `index`, `README` or the folder's own name
    // (`guide/guide.md`) is the folder's doc, at the folder's URL, and the category's link.
    let site = fixture("docusaurus-site");
    site.file("docs/guide/guide.md", "# Guide\n");
    site.file("docs/guide/steg.md", "# Steg\n");
    let run = site.run(&["build", "--out", "public"]);
    assert_eq!(run.code(), 0, "{}\n{}", run.stdout(), run.stderr());
    assert!(site.out("/docs/guide/index.html").is_file());
    assert!(!site.out("/docs/guide/guide/index.html").exists());
    let steg = site.html("/docs/guide/steg/");
    assert!(attrs(&steg, "#sidebar a", "href").contains(&"/docs/guide/".to_string()));
}
