//! Content written for Hugo or Jekyll: shortcodes, Liquid, kramdown, unfenced front matter, and whole
//! site roots with their own configuration. No foreign syntax may leak into a page.

use crate::harness::{attrs, select, shared, shared_or_skip, text_of, SiteTest};

const LEAKS: [&str; 6] = ["{{<", "{{%", "{:toc}", "{%", "{{ site.", "{{site."];

/// Every text node of every built page, checked for foreign syntax.
fn assert_no_leaks(out: &std::path::Path) {
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let body: String = select(&html, "body")
            .iter()
            .flat_map(|b| b.text())
            .collect();
        let visible: String = select(&html, "body :not(code):not(pre)")
            .iter()
            .flat_map(|e| e.text())
            .collect();
        for leak in LEAKS {
            assert!(
                !visible.contains(leak)
                    || body.matches(leak).count()
                        == select(&html, "code")
                            .iter()
                            .map(|c| c.text().collect::<String>().matches(leak).count())
                            .sum::<usize>(),
                "{leak} leaked into {}",
                entry.path().display()
            );
        }
    }
    assert!(pages > 0);
}

#[test]
fn the_hugo_and_jekyll_seed_pages_render_without_leaked_syntax() {
    if shared_or_skip("the_hugo_and_jekyll_seed_pages_render_without_leaked_syntax").is_none() {
        return;
    }
    let site = SiteTest::new();
    for seed in [
        "002_933af8fa978e8d1c.txt",
        "003_8edc8fb6386298c7.txt",
        "004_bca34304a49a1d83.txt",
    ] {
        site.file(
            &format!("content/{}.md", &seed[..3]),
            std::fs::read(shared().join("seeds").join(seed)).unwrap(),
        );
    }
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_no_leaks(&site.root().join("public"));
    let hugo = site.html("/docs/003/");
    assert_eq!(
        text_of(&hugo, "title").split(" | ").next(),
        Some("Integrasjoner og API-er")
    );
    assert!(
        text_of(&hugo, ".admonition-warning").contains("Forretningsførerer"),
        "the notice shortcode is a warning box"
    );
    assert_eq!(
        text_of(&hugo, "#sidebar a[aria-current=page]"),
        "Integrasjoner",
        "linktitle is the sidebar label"
    );
    let jekyll = site.html("/docs/004/");
    assert_eq!(
        text_of(&jekyll, "h1"),
        "Selvbetjening for API-tilbydere via Samarbeidsportalen",
        "unfenced front matter is read"
    );
    assert_eq!(
        select(&jekyll, "nav.inline-toc").len(),
        1,
        "{{:toc}} becomes a table of contents"
    );
    assert!(
        site.out("selvbetjening_web_api-konsument/index.html")
            .exists(),
        "redirect_from"
    );
    let check = site.run(&["check", "--format", "json"]);
    let unfenced: Vec<(String, String, u64)> = check
        .findings()
        .into_iter()
        .filter(|f| f.0 == "front-matter-unfenced")
        .collect();
    assert_eq!(
        unfenced,
        [(
            "front-matter-unfenced".to_string(),
            "content/004.md".to_string(),
            2
        )]
    );
}

const HUGO_PAGE: &str = "---\ntitle: Side A\nweight: 2\nlinktitle: A\naliases: [/gammel-a/]\ntoc: false\n---\n\n## Første\n\n- Punkt med {{< notice tip >}}Et tips i en liste{{< /notice >}}\n- {{< expand \"Mer\" >}}Skjult tekst{{< /expand >}}\n\n| Kolonne | Lenke |\n|---|---|\n| celle | [B]({{< ref \"b.md\" >}}) |\n\n{{% notice warning %}}\nYtre boks {{< youtube abc123 >}} med video.\n{{% /notice %}}\n\n{{< highlight bash >}}\ncurl https://gw-uio.intark.uh-it.no/lonn/v1/ansatte\n{{< /highlight >}}\n\n{{< figure src=\"/img/logo.svg\" caption=\"Logoen\" >}}\n\n## Andre\n";

#[test]
fn a_hugo_site_root_builds_with_its_own_config() {
    let site = SiteTest::new();
    site.file("hugo.toml", "baseURL = \"https://docs.example.no/\"\ntitle = \"Eksempeldokumenter\"\nlanguageCode = \"nb-NO\"\ncontentDir = \"innhold\"\n")
        .file("innhold/_index.md", "---\ntitle: Forside\n---\nHei.\n")
        .file("innhold/guide/_index.md", "+++\ntitle = \"Guide\"\nweight = 1\n+++\n{{< children >}}\n")
        .file("innhold/guide/a.md", HUGO_PAGE)
        .file("innhold/guide/b.md", "---\r\ntitle: Side B\r\nweight: 1\r\n---\r\n\r\nCRLF-linjer {{< relref \"a.md\" >}}.\r\n")
        .file("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("innhold/guide/egen.md", "---\ntitle: Egen\n---\nSe {{< merke \"ny\" farge=\"blå\" >}} her.\n")
        .file("themes/default/shortcodes/merke.html", "<span class=\"merke merke-{{ named.farge }}\">{{ args.0 }}</span>");
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains("Hugo site"), "{}", run.stderr());
    assert_no_leaks(&site.root().join("public"));
    let a = site.html("/guide/a/");
    assert_eq!(attrs(&a, "html", "lang"), ["nb"]);
    assert_eq!(text_of(&a, "title"), "Side A | Eksempeldokumenter");
    assert_eq!(
        attrs(&a, "link[rel=canonical]", "href"),
        ["https://docs.example.no/guide/a/"]
    );
    assert!(select(&a, ".toc").is_empty(), "toc: false");
    assert_eq!(
        text_of(&a, "li .admonition-tip p:not(.admonition-title)"),
        "Et tips i en liste",
        "a shortcode inside a list item stays in it"
    );
    assert_eq!(text_of(&a, "details.expand summary"), "Mer");
    assert_eq!(
        attrs(&a, "td a", "href"),
        ["/guide/b/"],
        "ref inside a table cell resolves like a link"
    );
    assert!(text_of(&a, ".admonition-warning").contains("Ytre boks"));
    assert_eq!(
        select(&a, "pre.code code.language-bash").len(),
        1,
        "highlight becomes a code block"
    );
    assert_eq!(attrs(&a, "figure img", "src"), ["/img/logo.svg"]);
    let labels: Vec<String> = select(&a, "#sidebar .nav-open li a")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(
        labels,
        ["Side B", "A", "Egen"],
        "weight orders, linktitle labels"
    );
    let egen = site.html("/guide/egen/");
    assert_eq!(
        text_of(&egen, "span.merke.merke-blå"),
        "ny",
        "a site's own shortcode from its theme folder"
    );
    let guide = site.html("/guide/");
    assert_eq!(
        attrs(&guide, "ul.children a", "href"),
        ["/guide/a/", "/guide/b/", "/guide/egen/"]
    );
    assert!(site.out("gammel-a/index.html").exists(), "aliases");
    let check = site.run(&["check", "--format", "json"]);
    let findings = check.findings();
    assert_eq!(
        findings,
        [(
            "shortcode".to_string(),
            "innhold/guide/a.md".to_string(),
            19
        )],
        "the unknown youtube shortcode, at its line"
    );
}

#[test]
fn a_jekyll_site_root_builds_with_its_own_config() {
    let site = SiteTest::new();
    site.file("_config.yml", "title: Hjelpesider\nbaseurl: /hjelp\nurl: https://example.no\nlang: nb\nexclude:\n  - notater.md\ncollections:\n  docs:\n    output: true\n")
        .file("index.md", "---\ntitle: Hjelp\n---\nSe [oppsett]({{ site.baseurl }}/oppsett/).\n")
        .file("_docs/oppsett.md", "---\ntitle: Oppsett\npermalink: /oppsett.html\nredirect_from: /gammelt-oppsett\nsidebar: hjelp_sidebar\nproduct: Hjelp\n---\n\n* TOC\n{:toc}\n\n## Første steg {:#forst}\n{: .note}\nLes [om]({{site.baseurl}}/om/) og [her]({{ page.url }}#forst).\n\n{% include note.html content=\"x\" %}\n\n```liquid\n{% raw %}{{ page.title }}{% endraw %}\n```\n")
        .file("om.md", "---\ntitle: Om\npermalink: /om/\n---\nOm oss.\n")
        .file("notater.md", "---\ntitle: Notater\n---\nIkke publiser.\n")
        .file("_includes/note.html", "<p>x</p>")
        .file("assets/logo.png", [137u8, 80, 78, 71]);
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains("Jekyll site"), "{}", run.stderr());
    let out = site.root().join("_site");
    assert_no_leaks(&out);
    // Jekyll's URLs: `permalink: /oppsett.html` is that file, `redirect_from: /gammelt-oppsett`
    // the file `gammelt-oppsett.html` under the base (Jekyll 4.3 with jekyll-redirect-from).
    let page = |file: &str| {
        scraper::Html::parse_document(&std::fs::read_to_string(out.join(file)).unwrap())
    };
    let oppsett = page("hjelp/oppsett.html");
    assert_eq!(attrs(&oppsett, "nav.inline-toc a", "href"), ["#forst"]);
    assert_eq!(
        attrs(&oppsett, "article p a", "href"),
        ["/hjelp/om/", "/oppsett.html#forst"],
        "`page.url` is without `baseurl`, as in Jekyll"
    );
    assert!(
        text_of(&oppsett, "pre code").contains("{{ page.title }}"),
        "raw blocks keep Liquid as code"
    );
    assert_eq!(
        attrs(&page("hjelp/index.html"), "article a", "href"),
        ["/hjelp/oppsett/"]
    );
    assert!(
        out.join("hjelp/gammelt-oppsett.html").exists(),
        "redirect_from under the base, a file without a trailing slash"
    );
    assert!(
        out.join("hjelp/assets/logo.png").exists(),
        "other files are copied as they are"
    );
    assert!(!out.join("hjelp/notater/index.html").exists(), "exclude");
    assert!(!out.join("hjelp/_includes").exists());
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(
        check.findings(),
        [
            (
                "broken-link".to_string(),
                "_docs/oppsett.md".to_string(),
                14
            ),
            ("broken-link".to_string(), "index.md".to_string(), 4)
        ],
        "the include renders; the two links are broken in Jekyll's build too"
    );
}

#[test]
fn hugo_heading_id_rules_keep_hugo_anchors_working() {
    let site = SiteTest::new();
    site.file(
        "hugo.toml",
        "baseURL = \"/\"\n[markup.goldmark.parser]\nautoHeadingIDType = \"github-ascii\"\n",
    )
    .file(
        "content/a.md",
        "---\ntitle: A\n---\n## Nøkler på plass\n\nSe [over](#nkler-pa-plass).\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.findings(), [], "the anchor written for Hugo resolves");
    site.run(&["build", "--no-check"]);
    assert_eq!(
        attrs(&site.html("/a/"), "article h2", "id"),
        ["nkler-pa-plass"]
    );
    site.file("intark.toml", "heading_ids = \"blackfriday\"\n");
    site.run(&["build", "--no-check"]);
    assert_eq!(
        attrs(&site.html("/docs/a/"), "article h2", "id"),
        ["nøkler-på-plass"]
    );
}

#[test]
fn site_shortcodes_with_a_body_get_it_as_inner() {
    let site = SiteTest::new();
    site.file(
        "content/a.md",
        "---\ntitle: A\n---\nFør.\n\n{{% boks \"Obs\" %}}\nDette er **viktig**.\n\n- punkt\n{{% /boks %}}\n\n{{< rå >}}<b>uendret</b>{{< /rå >}} etter\n\n## Etter\n",
    )
    .file("themes/default/shortcodes/boks.html", "<div class=\"boks\"><p class=\"boks-tittel\">{{ args.0 }}</p>{{ inner | safe }}</div>")
    .file("themes/default/shortcodes/rå.html", "<div class=\"raa\">{{ inner }}</div>");
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 0, "{}{}", run.stdout(), run.stderr());
    let html = site.html("/docs/a/");
    assert_eq!(text_of(&html, ".boks .boks-tittel"), "Obs");
    assert_eq!(
        text_of(&html, ".boks strong"),
        "viktig",
        "a {{% %}} body is Markdown"
    );
    assert_eq!(select(&html, ".boks li").len(), 1);
    assert_eq!(
        text_of(&html, ".raa"),
        "<b>uendret</b>",
        "a {{< >}} body is passed as it is (and escaped by the template)"
    );
    assert_eq!(
        attrs(&html, "article h2", "id"),
        ["etter"],
        "the page goes on after the bodies"
    );
    assert_no_leaks(&site.root().join("public"));
}

#[test]
fn overlapping_template_delimiters_are_findings_not_a_panic() {
    let site = SiteTest::new();
    site.file("intark.toml", "").file(
        "content/index.md",
        "# Forside\n\nTom mal {%} og {{%}} og {{<}}.\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}{}", run.stdout(), run.stderr());
    assert_eq!(
        run.findings(),
        vec![("shortcode".to_string(), "content/index.md".to_string(), 3); 2],
        "`{{%}}` and `{{<}}` are calls that are not closed, reported at their line"
    );
}

/// Copy a fixture folder into a test site.
pub(crate) fn copy_fixture(site: &SiteTest, name: &str) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    for entry in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&from).unwrap();
            site.file(&rel.to_string_lossy(), std::fs::read(entry.path()).unwrap());
        }
    }
}

/// The fixture's link findings equal the broken links of Hugo's own build of it
/// (`hugo-broken.json`, written by `bench/differential/hugo.py --write-expected` with Hugo 0.168).
#[test]
fn a_multilingual_hugo_site_with_a_folder_theme_matches_hugos_own_build() {
    let site = SiteTest::new();
    copy_fixture(&site, "hugo-multilingual");
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_no_leaks(&site.root().join("public"));
    // Hugo's URLs: the default language at the root of the base path, the other under `/en/`,
    // permalinks for the blog section, the bundle's image beside its page.
    let oppsett = site.html("/docs/guide/oppsett/");
    assert_eq!(attrs(&oppsett, "html", "lang"), ["nb"]);
    assert_eq!(attrs(&oppsett, "h2", "id"), ["første-steg"]);
    assert_eq!(
        text_of(&oppsett, "article p"),
        "Versjon  av 2.1.",
        "param from the site's params; a Go shortcode without a body shows nothing"
    );
    assert!(
        text_of(&oppsett, "article").contains("Les forsiden først."),
        "the theme's shortcode called over three lines shows its inner Markdown"
    );
    assert_eq!(
        text_of(&oppsett, "pre code"),
        "{{< merknad tittel=\"x\" >}}",
        "an escaped call prints as the call"
    );
    let setup = site.html("/docs/en/guide/setup/");
    assert_eq!(attrs(&setup, "html", "lang"), ["en"]);
    assert!(
        attrs(&setup, "article a", "href").contains(&"/docs/en/guide/".to_string()),
        "`/guide/` is a content path of the page's language, as Hugo's link render hook finds it"
    );
    let post = site.html("/docs/blogg/2026/innlegg/");
    assert_eq!(
        attrs(&post, "main img, article img, img", "src"),
        ["/docs/blogg/2026/innlegg/bilde.png"]
    );
    assert!(site.out("docs/blogg/2026/innlegg/bilde.png").exists());

    let check = site.run(&["check", "--format", "json"]);
    let findings = check.json();
    let ours: Vec<(String, String)> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            ["broken-link", "broken-anchor", "missing-asset"].contains(&f["rule"].as_str().unwrap())
        })
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let hugo: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.root().join("hugo-broken.json")).unwrap())
            .unwrap();
    let mut expected: Vec<(String, String)> = hugo
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let href = b["href"].as_str().unwrap();
            let rule = match b["kind"].as_str().unwrap() {
                "anchor" => "broken-anchor",
                _ if href.ends_with(".png") => "missing-asset",
                _ => "broken-link",
            };
            (b["file"].as_str().unwrap().to_string(), rule.to_string())
        })
        .collect();
    let mut ours = ours;
    ours.sort();
    expected.sort();
    assert_eq!(
        ours, expected,
        "every link finding is broken on Hugo's own build, and no more"
    );
    let shortcodes: Vec<&str> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "shortcode")
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(
        shortcodes,
        ["warning", "warning"],
        "the theme's Go shortcodes (merke, merknad) are one warning per name"
    );
}

/// The Docsy example site (`../shared/corpora/hugo-docsy-example`): both languages at Hugo's URLs
/// (compared with Hugo 0.168's build of its content by `bench/differential/hugo.py`: 104 URLs, 0
/// broken internal links), no leaked shortcode, no finding above a warning.
#[test]
fn the_docsy_example_builds_at_hugos_urls_without_false_findings() {
    let corpus = shared().join("corpora/hugo-docsy-example");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is not there", corpus.display());
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--format", "json", "--root"])
        .arg(&corpus)
        .arg("--out")
        .arg(out.path().join("public"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let public = out.path().join("public");
    assert_no_leaks(&public);
    for route in [
        "docs/getting-started/example-page/index.html",
        "docs/tasks/ponycopters/configuring-ponycopters/index.html",
        "blog/2026/02/10/first-post/index.html",
        "no/docs/cloud-computing/tutorials/index.html",
        "fa/about/index.html",
    ] {
        assert!(public.join(route).is_file(), "{route}");
    }
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // Besides those, one warning for Farsi (`fa`), a language the theme has no UI strings for.
    assert!(
        rules
            .iter()
            .all(|r| *r == "shortcode" || *r == "unknown-language"),
        "only the Docsy module's shortcodes, which cannot run here: {rules:?}"
    );
    let unknown: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unknown-language")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        unknown.len() == 1 && unknown[0].contains("`fa`"),
        "{unknown:?}"
    );
}

/// Hugo's reading of front matter: two pages with one `url` (Hugo writes the later, silently), an
/// empty `weight:`, `draft: "1"`, a headless bundle, and `disablePathToLower`.
#[test]
fn hugo_front_matter_is_read_as_hugo_reads_it() {
    let site = SiteTest::new();
    site.file(
        "hugo.yaml",
        "baseURL: https://example.org/\ndisablePathToLower: true\n",
    )
    .file(
        "content/_index.md",
        "---\ntitle: Hjem\n---\nSe [A](/Guide/A/).\n",
    )
    .file("content/Guide/A.md", "---\ntitle: A\nweight:\n---\nA.\n")
    .file(
        "content/p1.md",
        "---\ntitle: P1\nurl: /samme/\n---\nFørste.\n",
    )
    .file(
        "content/p2.md",
        "---\ntitle: P2\nurl: /samme/\n---\nAndre.\n",
    )
    .file(
        "content/utkast.md",
        "---\ntitle: U\ndraft: \"1\"\n---\nU.\n",
    )
    .file("content/deler/index.md", "---\nheadless: true\n---\nDel.\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(text_of(&site.html("/samme/"), "article p"), "Andre.");
    assert!(site.out("Guide/A/index.html").exists(), "case kept");
    assert!(
        !site.out("utkast/index.html").exists(),
        "draft: \"1\" is a draft"
    );
    assert!(
        !site.out("deler/index.html").exists(),
        "headless has no page"
    );
    let check = site.run(&["check", "--format", "json"]);
    let rules: Vec<String> = check.findings().into_iter().map(|f| f.0).collect();
    assert_eq!(
        rules,
        ["shared-route"],
        "a warning, as Hugo's --printPathWarnings"
    );
    assert_eq!(check.code(), 0);
}

#[test]
fn an_unknown_hugo_shortcode_is_one_warning_for_the_whole_site_with_its_uses() {
    let site = SiteTest::new();
    site.file("hugo.toml", "baseURL = 'https://example.org/'\n")
        .file(
            "content/a.md",
            "---\ntitle: A\n---\n{{< youtube x >}}\n\n{{< youtube y >}}\n",
        )
        .file("content/b.md", "---\ntitle: B\n---\n{{< youtube z >}}\n");
    let run = site.run(&["check", "--format", "json"]);
    let json = run.json();
    let shortcodes: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "shortcode")
        .collect();
    assert_eq!(shortcodes.len(), 1, "{}", run.stdout());
    let finding = shortcodes[0];
    assert_eq!(finding["file"], "content/a.md", "at the first use");
    assert_eq!(finding["line"], 4);
    assert_eq!(finding["severity"], "warning");
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.starts_with("used 3 times on 2 pages, first here: the Hugo shortcode `youtube`"),
        "{message}"
    );
}

#[test]
fn hugo_book_openapi_shortcode_renders_the_specs_headings() {
    // hugo-book's `openapi` shortcode: the spec from `assets/`, operations under their tags,
    // `op-` and `model-` ids, requirement headings (as hugo-book's own example page gives them).
    let site = SiteTest::new();
    site.file("hugo.toml", "baseURL = \"/\"\n")
        .file(
            "assets/api.yaml",
            "openapi: 3.0.3\ninfo: {title: Lager, version: 1.2.0, description: Varer på lager.}\n\
             paths:\n  /varer/{id}:\n    parameters:\n      - {$ref: '#/components/parameters/id'}\n\
             \x20   get:\n      tags: [varer]\n      operationId: hent-vare\n      summary: Hent en vare\n\
             \x20     security: [{nokkel: []}, {b: [], a: []}]\n      responses: {'200': {description: Varen}, '404': {description: Ingen}}\n\
             \x20 /status:\n    get:\n      summary: Status\n      responses: {'200': {description: OK}}\n\
             components:\n  parameters:\n    id: {name: id, in: path, required: true}\n\
             \x20 securitySchemes:\n    nokkel: {type: apiKey, in: header, name: X-Key}\n\
             \x20 schemas:\n    Vare: {type: object}\n",
        )
        .file(
            "content/api.md",
            "---\ntitle: API\n---\n\nSe [hent](#op-hent-vare) og [Vare](#model-vare).\n\n{{% openapi src=\"api.yaml\" %}}\n",
        );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.findings(), [], "the spec's ids are link targets");
    site.run(&["build", "--no-check"]);
    assert_eq!(
        attrs(
            &site.html("/api/"),
            "article h2, article h3, article h4",
            "id"
        ),
        [
            "security",
            "api",
            "status",
            "request",
            "responses",
            "varer",
            "op-hent-vare",
            "request-requires-nokkel-a-and-b",
            "path-parameters",
            "responses-1",
            "models",
            "model-vare"
        ]
    );
    // A spec that is not there: a warning, the page still builds.
    site.file(
        "content/api.md",
        "---\ntitle: API\n---\n\n{{% openapi src=\"borte.json\" %}}\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        [("shortcode".to_string(), "content/api.md".to_string(), 5)]
    );
}
