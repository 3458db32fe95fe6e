//! Jekyll sites built as Jekyll builds them: Liquid through a real engine, Jekyll's URL model
//! (collections, permalinks, posts, `defaults`, `baseurl`), jekyll-redirect-from, and findings that
//! are exactly the broken links of Jekyll's own build.
//!
//! The expectations for `tests/fixtures/jekyll-collection` are Jekyll 4.3.1's build of it (with
//! jekyll-redirect-from 0.16) and the broken links of that build (lychee's rules: the file exists,
//! `.html` added as GitHub Pages does, the fragment is an id); `bench/differential/jekyll.py`
//! re-checks them against a fresh Jekyll build.

use crate::flavours::copy_fixture;
use crate::harness::*;
use std::collections::BTreeSet;
use std::path::Path;

/// Every file written under `dir`, as URLs relative to it (`/a/` for `a/index.html`).
fn urls(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            let rel = rel.strip_suffix("index.html").unwrap_or(&rel).to_string();
            format!("/{rel}")
        })
        .collect()
}

/// The text of a page's article that is not inside `code` or `pre`.
fn outside_code(html: &scraper::Html) -> String {
    let mut text = String::new();
    for article in select(html, "article") {
        for node in article.descendants() {
            let Some(t) = node.value().as_text() else {
                continue;
            };
            let in_code = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| e.name() == "code" || e.name() == "pre")
            });
            if !in_code {
                text.push_str(t);
            }
        }
    }
    text
}

fn fixture() -> SiteTest {
    let site = SiteTest::new();
    copy_fixture(&site, "jekyll-collection");
    site
}

#[test]
fn a_jekyll_collection_site_gets_exactly_jekylls_urls() {
    let site = fixture();
    let run = site.run(&["build", "--no-check", "--no-search"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    // Jekyll writes the site without its `baseurl` folder; ours is under `hs/`.
    let ours = urls(&site.root().join("_site/hs"));
    let jekyll: BTreeSet<String> = [
        "/",
        "/README.html",
        "/assets/logo.png",
        "/docs/18-11_OIDC/",
        "/docs/sub/2020-01-01-oppsett/",
        "/gammel-innlogging/",
        "/guide/start/",
        "/kopi.md",
        "/nyheter/2024/03/05/ny-versjon.html",
        "/om.html",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    assert_eq!(ours, jekyll);
}

#[test]
fn liquid_renders_data_includes_links_and_highlight_before_markdown() {
    let site = fixture();
    let run = site.run(&["build", "--no-check", "--no-search"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let page = |rel: &str| {
        scraper::Html::parse_document(
            &std::fs::read_to_string(site.root().join("_site/hs").join(rel)).unwrap(),
        )
    };
    let index = page("index.html");
    assert_eq!(
        text_of(&index, "article h1").trim_end_matches('#'),
        "Hjelpesenteret"
    );
    let people: Vec<String> = select(&index, "article li")
        .iter()
        .map(|li| li.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(
        people,
        ["Kari Nordmann (redaktør)", "Ola Hansen (utvikler)"],
        "site.data from _data/team.yml"
    );
    assert!(
        text_of(&index, "article").contains("Språk: Bokmål, Nynorsk."),
        "site.data from a CSV file"
    );
    assert_eq!(
        text_of(&index, "article div.merknad-advarsel strong"),
        "Obs!",
        "an include with parameters"
    );
    assert_eq!(
        attrs(&index, "article p a", "href"),
        [
            "/hs/docs/18-11_OIDC/",
            "/hs/nyheter/2024/03/05/ny-versjon.html",
            "/hs/om.html",
            "/hs/guide/start/"
        ],
        "link, post_url, site.baseurl and relative_url; `/hs/om` is written as the file it names"
    );
    let om = page("om.html");
    assert!(
        text_of(&om, "article").contains("Denne teksten er felles"),
        "an include of a Markdown file"
    );
    let oidc = page("docs/18-11_OIDC/index.html");
    assert!(
        text_of(&oidc, "article pre code").contains("issuer: https://id.example.no"),
        "highlight is a code block"
    );
    assert!(text_of(&oidc, "article").contains("Hei fra Innlogging med OIDC."));
    let oppsett = page("docs/sub/2020-01-01-oppsett/index.html");
    assert_eq!(text_of(&oppsett, "article p code"), "{{ page.title }}");
    assert!(text_of(&oppsett, "article").contains("Samlingen har 2 sider."));
    for file in ["index.html", "om.html", "docs/18-11_OIDC/index.html"] {
        let visible = outside_code(&page(file));
        for leak in ["{%", "{{", "{:"] {
            assert!(!visible.contains(leak), "{file}: `{leak}` in {visible}");
        }
    }
    let redirect =
        std::fs::read_to_string(site.root().join("_site/hs/gammel-innlogging/index.html")).unwrap();
    assert!(
        redirect.contains("2020-01-01-oppsett"),
        "the later redirect_from claim wins: {redirect}"
    );
}

#[test]
fn a_kramdown_attribute_list_under_a_heading_gives_the_heading_its_id() {
    let site = fixture();
    let run = site.run(&["build", "--no-check", "--no-search"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html =
        std::fs::read_to_string(site.root().join("_site/hs/docs/18-11_OIDC/index.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    // Jekyll 4.3.1 (kramdown 2.4) writes `<h2 id="v1-0">` for `## Versjon 1.0` + `{: #v1-0}`.
    assert_eq!(attrs(&page, "article h2", "id"), ["innlogging", "v1-0"]);
    assert!(!outside_code(&page).contains("{:"));
}

#[test]
fn kramdown_definition_lists_comments_and_abbreviations_render_as_jekyll_does() {
    let site = fixture();
    let run = site.run(&["build", "--no-check", "--no-search"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html = std::fs::read_to_string(site.root().join("_site/hs/om.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    // Jekyll 4.3.1: `<dl><dt>Hjelpesenteret</dt><dd>Sidene du leser nå.</dd></dl>`, the comment
    // as an HTML comment, the abbreviation's definition not shown.
    assert_eq!(text_of(&page, "article dl dt"), "Hjelpesenteret");
    assert_eq!(
        text_of(&page, "article dl dd").trim(),
        "Sidene du leser nå."
    );
    let visible = outside_code(&page);
    for hidden in ["Ikke vist", "*[API]", "Application Programming", "{:"] {
        assert!(!visible.contains(hidden), "`{hidden}` shown: {visible}");
    }
    assert!(visible.contains("API-et brukes av alle."), "{visible}");
}

#[test]
fn check_finds_exactly_the_broken_links_of_jekylls_build() {
    let site = fixture();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let mut found = run.findings();
    found.sort();
    let finding = |rule: &str, file: &str, line| (rule.to_string(), file.to_string(), line);
    assert_eq!(
        found,
        [
            // Broken in Jekyll's build too: an anchor no heading has, a page that does not exist.
            finding("broken-anchor", "_docs/18-11_OIDC.md", 14),
            finding("broken-link", "README.md", 6),
            // A warning: both documents claim `/gammel-innlogging/`; the later one wins.
            finding("shared-route", "_docs/sub/2020-01-01-oppsett.md", 1),
        ]
    );
}

#[test]
fn just_the_docs_builds_at_jekylls_urls_without_liquid_or_false_findings() {
    let Some(shared) =
        shared_or_skip("just_the_docs_builds_at_jekylls_urls_without_liquid_or_false_findings")
    else {
        return;
    };
    let root = shared.join("corpora/jekyll-just-the-docs");
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["check", "--format", "json", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // The only findings: two TODO items the theme's test page writes as text, warnings on a site
    // written for Jekyll (which has no such rule), so `check` passes and `build` writes the site.
    assert_eq!(rules, ["todo", "todo"], "{report}");
    for finding in report["findings"].as_array().unwrap() {
        assert_eq!(finding["severity"], "warning", "{finding}");
    }
    assert_eq!(run.status.code(), Some(0), "{report}");
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--no-search", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let pages: BTreeSet<String> = urls(out.path())
        .into_iter()
        .filter(|u| u.ends_with('/') || u.ends_with(".html"))
        .filter(|u| !u.starts_with("/_theme") && u != "/404.html")
        .collect();
    // Jekyll 4.3.1's 46 pages (besides 404.html): `permalink: pretty`, no folder pages.
    assert_eq!(pages.len(), 46, "{pages:?}");
    for url in [
        "/",
        "/CHANGELOG/",
        "/MIGRATION/",
        "/docs/configuration/",
        "/docs/ui-components/code/",
        "/docs/navigation/main/ancestry/",
    ] {
        assert!(pages.contains(url), "{url} in {pages:?}");
    }
    assert!(!pages.contains("/docs/"), "Jekyll makes no folder pages");
    assert!(
        !pages.contains("/PROVENANCE/"),
        "a file without front matter is copied, not rendered"
    );
    for url in &pages {
        let file = out.path().join(url.trim_start_matches('/'));
        let file = if url.ends_with('/') {
            file.join("index.html")
        } else {
            file
        };
        let html = scraper::Html::parse_document(&std::fs::read_to_string(&file).unwrap());
        let visible = outside_code(&html);
        for leak in ["{%", "{{ site.", "{{ page.", "{{site."] {
            assert!(!visible.contains(leak), "{url}: `{leak}` outside code");
        }
    }
}

#[test]
fn a_site_in_docs_builds_from_the_repository_root_as_github_pages_does() {
    let site = SiteTest::new();
    site.file("README.md", "# Prosjektet\n")
        .file("docs/_config.yml", "title: Prosjekt\nbaseurl: /prosjekt\n")
        .file(
            "docs/index.md",
            "---\ntitle: Hjem\n---\n{% include del.md %}\n\n[Side](side)\n",
        )
        .file(
            "docs/side.md",
            "---\ntitle: Side\npermalink: /side\n---\nHei.\n",
        )
        .file("docs/_includes/del.md", "Delt *tekst*.\n");
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.code(), 0, "{}", check.stdout());
    let target = site.root().join("ut");
    let run = site.run(&["build", "--no-search", "--out", target.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let out = target.join("prosjekt");
    assert!(
        out.join("side.html").is_file(),
        "`permalink: /side` is the file side.html"
    );
    let index =
        scraper::Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    assert_eq!(
        text_of(&index, "article p em"),
        "tekst",
        "an include of a .md file"
    );
    assert_eq!(
        attrs(&index, "article p a", "href"),
        ["/prosjekt/side.html"]
    );
}

#[test]
fn serve_renders_liquid_as_build_does_also_after_an_edit() {
    let site = SiteTest::new();
    site.file("_config.yml", "title: Hjelp\n")
        .file("_data/team.yml", "- navn: Kari\n- navn: Ola\n")
        .file(
            "index.md",
            "---\ntitle: Hjem\n---\n{% assign n = site.data.team | size %}Team: {{ n }}. [Side]({% link side.md %})\n",
        )
        .file("side.md", "---\ntitle: Side\n---\nHei fra {{ page.title }}.\n");
    let mut server = site.start_with_env(&["serve", "--port", "0"], &[]);
    let addr = address_in(&server.line());
    let get = |path: &str| {
        let reply = http_get(&addr, path, "localhost", std::time::Duration::from_secs(10)).unwrap();
        scraper::Html::parse_document(&reply.body)
    };
    let home = get("/");
    assert!(
        text_of(&home, "article").contains("Team: 2."),
        "{}",
        home.html()
    );
    assert_eq!(attrs(&home, "article p a", "href"), ["/side.html"]);
    assert_eq!(text_of(&get("/side.html"), "article p"), "Hei fra Side.");
    site.file(
        "side.md",
        "---\ntitle: Ny side\n---\nHei fra {{ page.title }}.\n",
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let text = text_of(&get("/side.html"), "article p");
        if text == "Hei fra Ny side." {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "after the edit: {text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn github_pages_plugins_make_pages_of_markdown_without_front_matter_and_readmes_indexes() {
    let site = SiteTest::new();
    site.file(
        "_config.yml",
        "title: Prosjekt\nplugins:\n  - jekyll-optional-front-matter\n  - jekyll-readme-index\n",
    )
    .file(
        "README.md",
        "# Prosjekt\n\nLes [veiledningen](docs/guide.md).\n",
    )
    .file("docs/guide.md", "# Veiledning\n\nHei.\n")
    .file("docs/README.md", "# Dokumentasjon\n")
    .file("sub/index.md", "---\ntitle: Sub\n---\nSub.\n")
    .file("sub/README.md", "# Om sub\n")
    .file("LICENSE.md", "MIT\n");
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.code(), 0, "{}", check.stdout());
    let run = site.run(&["build", "--no-search"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let pages: BTreeSet<String> = urls(&site.root().join("_site"))
        .into_iter()
        .filter(|u| (u.ends_with('/') || u.ends_with(".html")) && !u.starts_with("/_theme"))
        .filter(|u| u != "/404.html")
        .collect();
    // Jekyll 4.3.1 with both plugins (Debian's ruby-jekyll-optional-front-matter 0.3.2 and
    // ruby-jekyll-readme-index 0.3.0): a README is its folder's index when the folder has none,
    // other Markdown without front matter is a page, LICENSE is not.
    let jekyll: BTreeSet<String> = ["/", "/docs/", "/docs/guide.html", "/sub/"]
        .into_iter()
        .map(str::to_string)
        .collect();
    assert_eq!(pages, jekyll);
    let docs = scraper::Html::parse_document(
        &std::fs::read_to_string(site.root().join("_site/docs/index.html")).unwrap(),
    );
    assert_eq!(
        text_of(&docs, "article h1").trim_end_matches('#'),
        "Dokumentasjon"
    );
}

#[test]
fn an_html_element_with_blank_lines_stays_one_block_as_kramdown_keeps_it() {
    let site = SiteTest::new();
    site.file("_config.yml", "title: T\n")
        .file("_data/filtre.yml", "- navn: Where Expression\n- navn: Find\n")
        .file(
            "index.md",
            "---\ntitle: Hjem\n---\nFiltrene:\n\n<div class=\"tabell\">\n<table>\n  <tbody>\n    {% for f in site.data.filtre %}\n      <tr>\n        <td>\n\n          <p id=\"{{ f.navn | slugify }}\">{{ f.navn }}</p>\n        </td>\n      </tr>\n    {% endfor %}\n  </tbody>\n</table>\n</div>\n\nSe [Where Expression](#where-expression).\n",
        );
    // Jekyll 4.3.1 keeps the table whole (the ids are link targets) and the link a paragraph;
    // CommonMark alone would end the block at the blank line and show the rest as code.
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.code(), 0, "{}", check.stdout());
    let run = site.run(&["build", "--no-search"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html = std::fs::read_to_string(site.root().join("_site/index.html")).unwrap();
    let page = scraper::Html::parse_document(&html);
    assert_eq!(
        attrs(&page, "article div.tabell table td p", "id"),
        ["where-expression", "find"]
    );
    assert!(select(&page, "article pre").is_empty(), "{html}");
    assert_eq!(
        attrs(&page, "article > p a, article p a", "href"),
        ["#where-expression"]
    );
}

#[test]
fn an_html_page_with_front_matter_is_a_page_at_its_permalink_and_not_markdown() {
    let site = SiteTest::new();
    site.file("_config.yml", "title: T\n")
        .file(
            "index.md",
            "---\ntitle: Hjem\n---\nSe [teamet](/om/#team) og [nyheter](/nyheter.html).\n",
        )
        .file(
            "pages/om.html",
            "---\ntitle: Om\npermalink: /om/\n---\n<section class=\"om\">\n  <h2 id=\"team\">{{ page.title }} teamet</h2>\n\n    <p>Innrykket HTML er ikke kode.</p>\n</section>\n",
        )
        .file(
            "pages/nyheter.html",
            "---\npermalink: /nyheter.html\n---\n<p>Nytt.</p>\n",
        );
    // Jekyll 4.3.1 writes index.html, om/index.html and nyheter.html; both links reach them.
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.code(), 0, "{}", check.stdout());
    let run = site.run(&["build", "--no-search"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let out = site.root().join("_site");
    assert!(out.join("nyheter.html").is_file());
    assert!(!out.join("pages").exists(), "the sources are not copied");
    let om =
        scraper::Html::parse_document(&std::fs::read_to_string(out.join("om/index.html")).unwrap());
    assert_eq!(text_of(&om, "article section.om h2#team"), "Om teamet");
    assert_eq!(
        text_of(&om, "article section.om p"),
        "Innrykket HTML er ikke kode."
    );
    assert!(select(&om, "article pre").is_empty());
}

#[test]
fn a_liquid_file_whose_permalink_is_html_is_a_page_and_other_front_matter_files_stay_files() {
    let site = SiteTest::new();
    site.file("_config.yml", "title: T\n")
        .file(
            "index.md",
            "---\ntitle: Hjem\n---\nSe [søk](/search.html#resultater).\n",
        )
        .file(
            "assets/search.liquid",
            "---\nlayout: default\npermalink: /search.html\n---\n{% assign n = 2 %}\n<div class=\"sok\">\n    <h2 id=\"resultater\">Treff: {{ n }}</h2>\n</div>\n",
        )
        .file(
            "assets/robots.liquid",
            "---\npermalink: /robots.txt\n---\nSitemap: {{ site.title }}\n",
        )
        .file("assets/style.scss", "---\n---\nbody { color: red; }\n");
    // Jekyll 4.3 (jekyll-rtd-theme's `assets/search.liquid`): every file with front matter is a
    // page written with its permalink's extension, so search.liquid is /search.html, an HTML page
    // whose text is not Markdown (the indented heading is no code block); robots.txt and the
    // stylesheet are no HTML pages.
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.code(), 0, "{}", check.stdout());
    let run = site.run(&["build", "--no-search"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let out = site.root().join("_site");
    let page =
        scraper::Html::parse_document(&std::fs::read_to_string(out.join("search.html")).unwrap());
    assert_eq!(text_of(&page, "article div.sok h2#resultater"), "Treff: 2");
    assert!(select(&page, "article pre").is_empty());
    let html_pages: Vec<String> = urls(&out)
        .into_iter()
        .filter(|u| u.ends_with('/') || u.ends_with(".html"))
        .filter(|u| !u.starts_with("/_theme") && u != "/404.html")
        .collect();
    assert_eq!(html_pages, ["/", "/search.html"]);
    assert!(!out.join("robots.html").exists() && !out.join("assets/style.html").exists());
}
