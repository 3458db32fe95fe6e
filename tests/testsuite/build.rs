//! The site build: routes, Markdown, theme, navigation, output, bad input.

use crate::harness::{attrs, select, text_of, SiteTest};

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n\n{body}\n")
}

#[test]
fn init_creates_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ny");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .arg("init")
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("built 3 pages"), "{stderr}");
    assert!(
        dir.join("public/docs/tilgjengelighet/index.html").exists(),
        "the accessibility statement is part of a new site"
    );
    let html = scraper::Html::parse_document(
        &std::fs::read_to_string(dir.join("public/docs/kom-i-gang/index.html")).unwrap(),
    );
    assert_eq!(text_of(&html, "h1"), "Kom i gang");
    assert_eq!(attrs(&html, "html", "lang"), ["nb"]);
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .arg("init")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(2),
        "init refuses a folder that is not empty"
    );
}

#[test]
fn routes_follow_the_docusaurus_page_model() {
    let site = SiteTest::new();
    site.file("content/datadeling/om/index.md", page("Om", "tekst"))
        .file("content/x/y.md", page("Y", "tekst"))
        .file("content/x/README.md", page("X", "tekst"))
        .file("content/01-start/02-intro.md", page("Intro", "tekst"))
        .file(
            "content/a/b.md",
            "---\ntitle: B\nslug: /datadeling/kode\n---\n",
        )
        .file("content/a/c.md", "---\ntitle: C\nslug: annet\n---\n");
    site.build();
    for route in [
        "/docs/datadeling/om/",
        "/docs/x/y/",
        "/docs/x/",
        "/docs/start/intro/",
        "/docs/datadeling/kode/",
        "/docs/a/annet/",
    ] {
        let html = site.html(route);
        assert_eq!(
            attrs(&html, "link[rel=canonical]", "href").len(),
            0,
            "no base_url, no canonical"
        );
        assert!(!text_of(&html, "h1").is_empty(), "{route} has a title");
    }
}

#[test]
fn route_base_flag_overrides_the_config() {
    let site = SiteTest::new();
    site.file("intark.toml", "route_base = \"/guide\"\n")
        .file("content/a.md", page("A", "x"));
    let run = site.run(&["build", "--route-base", "/handbok"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(site.out("handbok/a/index.html").exists());
    assert!(!site.out("guide/a/index.html").exists());
}

#[test]
fn title_falls_back_to_first_heading_then_file_name() {
    let site = SiteTest::new();
    site.file("content/med-overskrift.md", "# Fra overskriften\n\ntekst\n")
        .file("content/uten-tittel.md", "bare tekst\n");
    site.build();
    let html = site.html("/docs/med-overskrift/");
    assert_eq!(select(&html, "h1").len(), 1, "one h1: the page's own");
    assert_eq!(
        text_of(&html, "title"),
        "Fra overskriften",
        "a site without a title has only the page's in <title>"
    );
    assert_eq!(
        text_of(&site.html("/docs/uten-tittel/"), "h1"),
        "uten tittel"
    );
}

#[test]
fn links_in_every_form_resolve_to_output_urls() {
    let site = SiteTest::new();
    site.file(
        "content/veiledere/start.md",
        page(
            "Start",
            "[abs](/docs/veiledere/meldingskø/opprett) [enc](/docs/veiledere/meldingsk%C3%B8/opprett/) \
             [rel](./meldingskø/opprett.md) [bare](meldingskø/opprett) [up](../om.md#bakgrunn) \
             [img](/img/a.png) [json](api/spec.json)",
        ),
    )
    .file("content/veiledere/meldingskø/opprett.md", page("Opprett", "x"))
    .file("content/om.md", page("Om", "## Bakgrunn\n"))
    .file("content/veiledere/api/spec.json", "{}")
    .file("static/img/a.png", [137u8, 80, 78, 71]);
    site.build();
    let html = site.html("/docs/veiledere/start/");
    let hrefs = attrs(&html, "article a:not(.anchor)", "href");
    assert_eq!(
        hrefs,
        [
            "/docs/veiledere/meldingsk%C3%B8/opprett/",
            "/docs/veiledere/meldingsk%C3%B8/opprett/",
            "/docs/veiledere/meldingsk%C3%B8/opprett/",
            "/docs/veiledere/meldingsk%C3%B8/opprett/",
            "/docs/om/#bakgrunn",
            "/img/a.png",
            "/docs/veiledere/api/spec.json",
        ]
    );
    assert!(site.out("img/a.png").exists());
    assert!(
        site.out("docs/veiledere/api/spec.json").exists(),
        "files beside pages are copied"
    );
}

#[test]
fn headings_get_ids_anchor_links_and_a_toc() {
    let site = SiteTest::new();
    site.file(
        "content/a.md",
        page(
            "A",
            "## Om API-et\n\n## Om API-et\n\n### Nøkler og æøå {#egen}\n\n#### Dypt\n",
        ),
    );
    site.build();
    let html = site.html("/docs/a/");
    assert_eq!(
        attrs(&html, "article h2, article h3, article h4", "id"),
        ["om-api-et", "om-api-et-1", "egen", "dypt"]
    );
    assert_eq!(
        attrs(&html, "article h2 a.anchor", "href"),
        ["#om-api-et", "#om-api-et-1"]
    );
    assert_eq!(
        attrs(&html, ".toc a", "href"),
        ["#om-api-et", "#om-api-et-1", "#egen"],
        "toc holds h2-h3"
    );
}

#[test]
fn markdown_extensions_admonitions_and_highlighting() {
    let site = SiteTest::new();
    site.file(
        "content/a.md",
        page(
            "A",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~borte~~ og fotnote[^1]\n\n- [x] gjort\n\n[^1]: Her.\n\n\
             :::warning Pass på nøkkelen\nIkke del **API-nøkkelen**.\n:::\n\n:::tip\nstandardtittel\n:::\n\n\
             ```bash\ncurl -H \"X-Gravitee-Api-Key: $KEY\" https://gw-uio.intark.uh-it.no/x\n```\n\n<div class=\"egen\">rå html</div>\n",
        ),
    );
    site.build();
    let html = site.html("/docs/a/");
    assert_eq!(select(&html, "article table td").len(), 2);
    assert_eq!(select(&html, "article del").len(), 1);
    assert_eq!(
        select(&html, "article input[type=checkbox][checked]").len(),
        1
    );
    assert_eq!(select(&html, "article .footnote-definition").len(), 1);
    assert_eq!(
        text_of(&html, ".admonition-warning .admonition-title"),
        "Pass på nøkkelen"
    );
    assert_eq!(text_of(&html, ".admonition-warning strong"), "API-nøkkelen");
    assert_eq!(text_of(&html, ".admonition-tip .admonition-title"), "Tips");
    assert!(
        !select(&html, "pre.code code.language-bash span[class^=hl-]").is_empty(),
        "highlighted at build time"
    );
    assert_eq!(text_of(&html, "div.egen"), "rå html");
}

#[test]
fn sidebar_breadcrumbs_and_pager_follow_positions_and_categories() {
    let site = SiteTest::new();
    site.file(
        "content/index.md",
        "---\ntitle: Hjem\nsidebar_position: 1\n---\n",
    )
    .file(
        "content/veiledere/_category_.json",
        r#"{"label": "Veiledere", "position": 2}"#,
    )
    .file(
        "content/veiledere/b.md",
        "---\ntitle: Bbb\nsidebar_position: 2\n---\n",
    )
    .file(
        "content/veiledere/a.md",
        "---\ntitle: Aaa\nsidebar_position: 1\nsidebar_label: Kort A\n---\n",
    )
    .file(
        "content/begreper/_category_.yml",
        "label: Begreper\nposition: 3\n",
    )
    .file("content/begreper/nøkkel.md", page("Nøkkel", "x"));
    site.build();
    let html = site.html("/docs/veiledere/b/");
    let labels: Vec<String> = select(&html, "#sidebar > ul > li")
        .iter()
        .map(|li| li.text().next().unwrap_or_default().trim().to_string())
        .collect();
    assert_eq!(labels, ["Veiledere", "Begreper"]);
    assert_eq!(
        attrs(&html, "#sidebar a[aria-current=page]", "href"),
        ["/docs/veiledere/b/"]
    );
    let inner: Vec<String> = select(&html, "#sidebar .nav-open li a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(inner, ["Kort A", "Bbb"]);
    assert_eq!(
        attrs(&html, ".breadcrumbs a", "href"),
        ["/docs/veiledere/"],
        "generated section page"
    );
    assert_eq!(attrs(&html, ".pager-prev", "href"), ["/docs/veiledere/a/"]);
    assert_eq!(attrs(&html, ".pager-next", "href"), ["/docs/begreper/"]);
    let section = site.html("/docs/veiledere/");
    assert_eq!(
        attrs(&section, ".section-list a", "href"),
        ["/docs/veiledere/a/", "/docs/veiledere/b/"]
    );
}

#[test]
fn drafts_redirects_404_sitemap_and_last_update() {
    let site = SiteTest::new();
    site.file("intark.toml", "base_url = \"https://docs.example.no\"\nedit_url = \"https://git.example.no/edit/main/content/\"\n")
        .file("content/ny.md", "---\ntitle: Ny\nredirect_from:\n  - /docs/gammel\naliases: [/eldre/]\nlast_update:\n  date: 2024-05-01\n---\nx\n")
        .file("content/utkast.md", "---\ntitle: Utkast\ndraft: true\n---\n");
    site.build();
    assert!(
        !site.out("docs/utkast/index.html").exists(),
        "drafts are left out of build"
    );
    let redirect = site.html("/docs/gammel/");
    assert_eq!(
        attrs(&redirect, "meta[http-equiv=refresh]", "content"),
        ["0; url=/docs/ny/"]
    );
    assert_eq!(attrs(&site.html("/eldre/"), "a", "href"), ["/docs/ny/"]);
    let html = site.html("/docs/ny/");
    assert_eq!(
        attrs(&html, "link[rel=canonical]", "href"),
        ["https://docs.example.no/docs/ny/"]
    );
    assert_eq!(attrs(&html, ".page-meta time", "datetime"), ["2024-05-01"]);
    assert_eq!(
        attrs(&html, ".page-meta a", "href"),
        ["https://git.example.no/edit/main/content/ny.md"]
    );
    let not_found = site.html("/404.html");
    assert_eq!(text_of(&not_found, "h1"), "Fant ikke siden");
    let sitemap = std::fs::read_to_string(site.out("sitemap.xml")).unwrap();
    let doc = scraper::Html::parse_document(&sitemap);
    let locs: Vec<String> = select(&doc, "loc")
        .iter()
        .map(|l| l.text().collect())
        .collect();
    assert_eq!(locs, ["https://docs.example.no/docs/ny/"]);
    let with_drafts = site.run(&["build", "--drafts"]);
    assert_eq!(with_drafts.code(), 0);
    assert_eq!(select(&site.html("/docs/utkast/"), ".draft-note").len(), 1);
}

#[test]
fn toml_front_matter_and_unknown_keys_reach_templates() {
    let site = SiteTest::new();
    site.file("content/a.md", "+++\ntitle = \"Fra TOML\"\nmin_nokkel = \"verdi\"\n+++\ntekst\n")
        .file("themes/default/templates/page.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1><p id=\"extra\">{{ page.extra.min_nokkel }}</p>{% endblock main %}");
    site.build();
    let html = site.html("/docs/a/");
    assert_eq!(text_of(&html, "h1"), "Fra TOML");
    assert_eq!(
        text_of(&html, "#extra"),
        "verdi",
        "a site's own template overrides the built-in one"
    );
}

#[test]
fn bad_front_matter_in_several_pages_is_all_reported_and_nothing_is_written() {
    let site = SiteTest::new();
    site.file("content/ok.md", page("Ok", "x"));
    site.build();
    let before = std::fs::read_to_string(site.out("docs/ok/index.html")).unwrap();
    site.file("content/ok.md", page("Endret", "x"))
        .file(
            "content/a.md",
            "---\ntitle: A\ndescription: \"ikke lukket\n---\n",
        )
        .file("content/b.md", "+++\ntitle = = \"B\"\n+++\n");
    let run = site.run(&["build", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let findings = run.findings();
    let files: Vec<&str> = findings.iter().map(|(_, f, _)| f.as_str()).collect();
    assert_eq!(files, ["content/a.md", "content/b.md"]);
    assert!(findings.iter().all(|(rule, _, _)| rule == "front-matter"));
    assert_eq!(findings[1].2, 2, "the TOML error is on line 2 of b.md");
    assert_eq!(
        std::fs::read_to_string(site.out("docs/ok/index.html")).unwrap(),
        before,
        "previous output untouched"
    );
}

#[test]
fn two_pages_with_one_url_is_an_error_naming_both() {
    let site = SiteTest::new();
    site.file("content/a.md", "---\ntitle: A\nslug: /samme\n---\n")
        .file("content/b.md", "---\ntitle: B\nslug: /samme\n---\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 1);
    let out = run.stdout();
    assert!(
        out.contains("content/a.md")
            && out.contains("content/b.md")
            && out.contains("/docs/samme/"),
        "{out}"
    );
}

#[test]
fn missing_content_and_bad_config_exit_2_with_one_sentence() {
    let site = SiteTest::new();
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("no content folder"),
        "{}",
        run.stderr()
    );
    site.file("content/a.md", "x")
        .file("intark.toml", "titel = 1\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("titel"), "{}", run.stderr());
}

#[test]
fn non_utf8_empty_and_huge_nested_files_do_not_crash() {
    let site = SiteTest::new();
    let nested: String = (0..3000)
        .map(|i| format!("{}- punkt {i}\n", "  ".repeat(i % 200)))
        .collect::<String>()
        .repeat(8);
    site.file("content/tom.md", "")
        .file("content/nestet.md", &nested)
        .file("content/latin1.md", b"---\ntitle: x\n---\nbl\xe5b\xe6r\n");
    let run = site.run(&["build", "--format", "json"]);
    assert_eq!(run.code(), 1, "the non-UTF-8 page is an error finding");
    assert_eq!(
        run.findings(),
        [("encoding".to_string(), "content/latin1.md".to_string(), 4)]
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.findings().len(), 1);
    std::fs::remove_file(site.root().join("content/latin1.md")).unwrap();
    site.build();
    assert!(site.out("docs/nestet/index.html").exists());
}

#[test]
fn a_rebuild_removes_files_of_pages_that_are_gone() {
    let site = SiteTest::new();
    site.file("content/a.md", page("A", "x"))
        .file("content/b.md", page("B", "x"));
    site.build();
    std::fs::remove_file(site.root().join("content/b.md")).unwrap();
    site.build();
    assert!(!site.out("docs/b/index.html").exists());
    assert!(site.out("docs/a/index.html").exists());
}

/// The sidebar must not make every page grow with the site (10,000 pages × full tree).
#[test]
fn page_html_size_does_not_grow_with_the_number_of_pages() {
    let size_at = |n: usize| {
        let site = SiteTest::new();
        for i in 0..n {
            // Folders of at most ten entries, as a real guide has: depth grows, fan-out does not.
            let path = format!(
                "content/d{}/d{}/d{}/p{i}.md",
                i / 1000,
                (i / 100) % 10,
                (i / 10) % 10
            );
            site.file(&path, page(&format!("Side {i}"), "tekst"));
        }
        site.build();
        std::fs::metadata(site.out("docs/d0/d0/d0/p0/index.html"))
            .unwrap()
            .len() as f64
    };
    let small = size_at(100);
    let large = size_at(2000);
    assert!(
        large / small < 1.5,
        "page grew from {small} to {large} bytes"
    );
}

#[test]
fn help_explains_every_subcommand() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for sub in ["build", "check", "serve", "sandbox", "examples", "init"] {
        assert!(text.contains(sub), "{sub} missing from --help");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["help", "build"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--root",
        "--content",
        "--static",
        "--out",
        "--route-base",
        "--no-check",
        "--force",
    ] {
        assert!(text.contains(flag), "{flag} missing from help build");
    }
}

/// Issue 20: a `lang:` of 40 or more characters panicked the search indexer (Pagefind). The build
/// now finishes and indexes the page, stemmed as Norwegian when the tag's first subtag says so.
#[test]
fn a_long_lang_tag_builds_and_is_searchable() {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nVelkommen.\n")
        .file(
            "content/lang.md",
            format!(
                "---\ntitle: Tilganger\nlang: nb-{}\n---\nOm notifikasjonene.\n",
                "x".repeat(60)
            ),
        )
        .file(
            "content/ukjent.md",
            format!(
                "---\ntitle: Ukjent\nlang: {}\n---\nSertifikatene.\n",
                "ø".repeat(50)
            ),
        );
    let run = site.build();
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.out("intark-search/meta.json")).unwrap())
            .unwrap();
    assert_eq!(meta["pages"], 3);
    // "notifikasjonene" is indexed under its Norwegian stem; the unknown language is not stemmed.
    let dict = |hex: &str| -> Vec<String> {
        let text = std::fs::read(site.out(&format!("intark-search/d/{hex}.json"))).unwrap();
        let entries: Vec<serde_json::Value> = serde_json::from_slice(&text).unwrap();
        entries
            .iter()
            .map(|e| e[0].as_str().unwrap().to_string())
            .collect()
    };
    assert!(dict("6e6f").contains(&"notifikasjon".to_string()));
    assert!(dict("7365").contains(&"sertifikatene".to_string()));
}

/// Issue 22: the 404 page's suggestions come from one list of the site's pages in a file of its own,
/// so the 404 page stays the same size however many pages the site has (it carried every route:
/// ~800 KB at 10,000 pages).
#[test]
fn the_404_page_does_not_grow_with_the_site_and_its_page_list_is_a_file() {
    let site = SiteTest::new();
    site.file("intark.toml", "title = \"T\"\n")
        .file("content/index.md", "---\ntitle: Hjem\n---\nx\n");
    let page = |i: usize| {
        site.file(
            &format!("content/mange/side-{i}.md"),
            format!("---\ntitle: Side {i}\n---\nx\n"),
        );
    };
    (0..3).for_each(page);
    site.build();
    let small = std::fs::read(site.out("404.html")).unwrap().len();
    (3..300).for_each(page);
    site.build();
    let not_found = std::fs::read_to_string(site.out("404.html")).unwrap();
    assert_eq!(
        not_found.len(),
        small,
        "the 404 page grew with 297 more pages"
    );
    let html = scraper::Html::parse_document(&not_found);
    assert_eq!(
        attrs(&html, "[data-suggestions]", "data-suggestions"),
        ["/_theme/site-pages.json"]
    );
    assert!(!not_found.contains("side-299"));
    let list: Vec<(String, String)> =
        serde_json::from_slice(&std::fs::read(site.out("_theme/site-pages.json")).unwrap())
            .unwrap();
    // The home page, the folder's page and the 300 pages in it.
    assert_eq!(list.len(), 302, "{:?}", &list[..3]);
    assert!(list.contains(&("/docs/mange/side-299/".to_string(), "Side 299".to_string())));
    assert!(list.contains(&("/docs/".to_string(), "Hjem".to_string())));
}

/// Path flags are relative to `--root` (as Hugo takes `--destination` from `--source`), never to the
/// folder the command runs in; `--help` says so. A build run from elsewhere writes nothing there.
#[test]
fn a_relative_out_is_taken_from_the_root_not_the_current_folder() {
    let site = SiteTest::new();
    site.file("content/index.md", page("Hjem", "Hei."));
    let elsewhere = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--no-search", "--out", "ut", "--root"])
        .arg(site.root())
        .current_dir(elsewhere.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(site.root().join("ut/docs/index.html").is_file());
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    let out_flag = help
        .split("--out <DIR>")
        .nth(1)
        .and_then(|rest| rest.split("--openapi").next())
        .unwrap_or_default();
    assert!(out_flag.contains("relative to `--root`"), "{out_flag}");
}
