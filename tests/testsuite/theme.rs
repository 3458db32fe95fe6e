//! The theme belongs to the site: UI strings in the page's language, the site's own look from its
//! config, and every template and string overridable from the site's folders.

use crate::harness::{attrs, select, shared_or_skip, text_of, SiteTest};
use scraper::Html;

fn read(path: &std::path::Path) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

/// Every text node and attribute value of a page, for "no word X anywhere" checks.
fn all_text(html: &Html) -> String {
    let mut out = String::new();
    for node in html.tree.nodes() {
        match node.value() {
            scraper::Node::Text(t) => out.push_str(t),
            scraper::Node::Element(e) => {
                for (_, v) in e.attrs() {
                    out.push_str(v);
                    out.push(' ');
                }
            }
            _ => {}
        }
        out.push(' ');
    }
    out
}

const NORWEGIAN_UI: [&str; 8] = [
    "Hopp til innhold",
    "Hovedmeny",
    "Forrige",
    "Brødsmulesti",
    "Søk i guiden",
    "På denne siden",
    "Lenke til",
    "Sist oppdatert",
];

#[test]
fn a_jekyll_site_without_lang_gets_english_ui_and_its_own_title() {
    let site = SiteTest::new();
    site.file("_config.yml", "title: Handbook\ndescription: How we work\n")
        .file(
            "index.md",
            "---\ntitle: Start\nnav_order: 1\n---\n\n## First\n\ntext\n\n## Second\n",
        )
        .file("b.md", "---\ntitle: Next page\nnav_order: 2\n---\n\ntext\n");
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html = read(&site.root().join("_site/index.html"));
    assert_eq!(attrs(&html, "html", "lang"), ["en"]);
    assert_eq!(text_of(&html, "title"), "Start | Handbook");
    assert_eq!(text_of(&html, ".skip-link"), "Skip to content");
    assert_eq!(text_of(&html, ".site-footer"), "Handbook · How we work");
    assert_eq!(
        attrs(&html, "body", "data-t-copy"),
        ["Copy"],
        "site.js's copy button label"
    );
    let text = all_text(&html);
    for word in NORWEGIAN_UI.iter().chain(&["IntArk"]) {
        assert!(!text.contains(word), "`{word}` in an English site's page");
    }
}

#[test]
fn the_just_the_docs_corpus_builds_in_english_without_intark_text() {
    let Some(shared) =
        shared_or_skip("the_just_the_docs_corpus_builds_in_english_without_intark_text")
    else {
        return;
    };
    let corpus = shared.join("corpora/jekyll-just-the-docs");
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--no-check", "--no-search", "--root"])
        .arg(&corpus)
        .arg("--out")
        .arg(out.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = read(entry.path());
        if select(&html, "html[lang]").is_empty() || select(&html, ".site-header").is_empty() {
            continue; // a redirect stub or a copied static file
        }
        pages += 1;
        let name = entry.path().display();
        assert_eq!(attrs(&html, "html", "lang"), ["en"], "{name}");
        assert!(
            text_of(&html, ".site-title").contains("Just the Docs"),
            "{name}"
        );
        let text = all_text(&html);
        for word in NORWEGIAN_UI.iter().chain(&["IntArk", "UH-sektoren"]) {
            assert!(!text.contains(word), "`{word}` in {name}");
        }
    }
    assert!(pages > 40, "only {pages} pages checked");
}

#[test]
fn a_bilingual_hugo_site_gets_each_pages_ui_in_its_language() {
    let site = SiteTest::new();
    site.file(
        "hugo.toml",
        "title = \"Altinn-ish\"\ndefaultContentLanguage = \"nb\"\n[languages.nb]\nweight = 1\n[languages.en]\nweight = 2\n",
    )
    .file("content/_index.md", "---\ntitle: Forside\n---\nHei.\n")
    .file("content/_index.en.md", "---\ntitle: Home\n---\nHello.\n")
    .file("content/a.md", "---\ntitle: Side\n---\n\n## Én\n\n## To\n")
    .file("content/a.en.md", "---\ntitle: Page\n---\n\n## One\n\n## Two\n");
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let nb = site.html("/a/");
    let en = site.html("/en/a/");
    assert_eq!(attrs(&nb, "html", "lang"), ["nb"]);
    assert_eq!(attrs(&en, "html", "lang"), ["en"]);
    assert_eq!(text_of(&nb, ".skip-link"), "Hopp til innhold");
    assert_eq!(text_of(&en, ".skip-link"), "Skip to content");
    assert_eq!(text_of(&nb, ".toc-title"), "På denne siden");
    assert_eq!(text_of(&en, ".toc-title"), "On this page");
    assert_eq!(
        attrs(&en, "h2 .anchor", "aria-label")
            .first()
            .map(String::as_str),
        Some("Link to “One”")
    );
}

#[test]
fn a_sites_theme_folder_and_i18n_folder_override_templates_and_strings() {
    let site = SiteTest::new();
    site.file("intark.toml", "title = \"Egen\"\nlanguage = \"nb\"\n")
        .file("content/a.md", "---\ntitle: A\n---\n\n## En\n\n## To\n")
        .file("content/b.md", "---\ntitle: B\n---\ntekst\n")
        .file(
            "themes/default/templates/partials/footer.html",
            "<footer class=\"site-footer\"><p class=\"own-footer\">{{ t(key=\"own.greeting\") }} {{ site.title }}</p></footer>",
        )
        .file(
            "themes/default/templates/partials/sidebar.html",
            "<ol class=\"own-nav\">{% for item in items %}<li{% if item.current %} class=\"here\"{% endif %}>{{ item.label }}</li>{% endfor %}</ol>",
        )
        .file("themes/default/i18n/nb.toml", "[own]\ngreeting = \"Hilsen fra temaet\"\n")
        .file("i18n/nb.toml", "[pager]\nnext = \"Videre\"\n");
    site.build();
    let html = site.html("/docs/a/");
    assert_eq!(text_of(&html, ".own-footer"), "Hilsen fra temaet Egen");
    assert_eq!(text_of(&html, ".pager-next .pager-label"), "Videre");
    assert_eq!(text_of(&html, ".skip-link"), "Hopp til innhold");
    assert_eq!(text_of(&html, "#sidebar .own-nav li.here"), "A");
    assert_eq!(select(&html, "#sidebar .own-nav li").len(), 2);
}

#[test]
fn the_sites_brand_fills_header_footer_and_favicon() {
    let site = SiteTest::new();
    site.file(
        "intark.toml",
        "title = \"Merke\"\n[brand]\ntagline = \"Slagord\"\nlogo = \"/img/logo.svg\"\nfavicon = \"/img/ikon.png\"\nnavbar = [{ label = \"Kilde\", url = \"https://example.org/kilde\" }]\n[brand.footer]\ntext = \"© Noen\"\n[[brand.footer.columns]]\ntitle = \"Mer\"\nlinks = [{ label = \"Blogg\", url = \"/blogg/\" }]\n",
    )
    .file("content/a.md", "---\ntitle: A\n---\ntekst\n");
    site.build();
    let html = site.html("/docs/a/");
    assert_eq!(attrs(&html, "link[rel=icon]", "href"), ["/img/ikon.png"]);
    assert_eq!(attrs(&html, ".site-title img", "src"), ["/img/logo.svg"]);
    assert_eq!(
        attrs(&html, ".navbar-links a", "href"),
        ["https://example.org/kilde"]
    );
    assert_eq!(text_of(&html, ".footer-title"), "Mer");
    assert_eq!(text_of(&html, ".site-footer > p"), "© Noen");

    let plain = SiteTest::new();
    plain.file("content/a.md", "---\ntitle: A\n---\ntekst\n");
    plain.build();
    let html = plain.html("/docs/a/");
    assert_eq!(
        attrs(&html, "link[rel=icon]", "href"),
        ["/_theme/favicon.svg"],
        "a neutral default icon"
    );
    assert!(plain.out("_theme/favicon.svg").is_file());
}

#[test]
fn init_theme_copies_the_default_theme_out_and_a_site_builds_with_an_edited_copy() {
    let site = SiteTest::new();
    let ejected = site.root().join("mitt-tema");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["init", "--theme"])
        .arg(&ejected)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for rel in [
        "templates/base.html",
        "templates/page.html",
        "templates/partials/footer.html",
        "static/style.css",
        "i18n/en.toml",
    ] {
        assert!(ejected.join(rel).is_file(), "{rel} not copied");
    }
    let page = std::fs::read_to_string(ejected.join("templates/page.html")).unwrap();
    std::fs::write(
        ejected.join("templates/page.html"),
        page.replace(
            "<article class=\"doc\">",
            "<article class=\"doc eget-tema\">",
        ),
    )
    .unwrap();
    site.file("intark.toml", "title = \"T\"\ntheme_dir = \"mitt-tema\"\n")
        .file("content/a.md", "---\ntitle: A\n---\ntekst\n");
    site.build();
    assert_eq!(select(&site.html("/docs/a/"), "article.eget-tema").len(), 1);
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["init", "--theme"])
        .arg(&ejected)
        .output()
        .unwrap();
    assert!(!again.status.success(), "a non-empty folder is refused");
}

/// The guide's theme page (`content/tema.md`) lists every template of the default theme, so a new
/// template cannot ship undocumented.
#[test]
fn the_guides_theme_page_names_every_template() {
    let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--no-search", "--root"])
        .arg(site)
        .arg("--out")
        .arg(out.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = read(&out.path().join("docs/tema/index.html"));
    let names: Vec<String> = select(&html, "table code")
        .iter()
        .map(|c| c.text().collect())
        .collect();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.join("themes/default/templates")) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let name = path
            .strip_prefix(site.join("themes/default/templates"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        assert!(
            names.contains(&name),
            "`{name}` is missing from content/tema.md"
        );
        checked += 1;
    }
    assert!(checked >= 6, "{checked}");
}

#[test]
fn a_sites_component_templates_replace_the_markup_of_admonitions_headings_and_code() {
    let site = SiteTest::new();
    site.file("intark.toml", "title = \"Egen\"\ntheme_dir = \"tema\"\n")
        .file(
            "tema/templates/markdown/admonition.html",
            "<aside class=\"own-box own-{{ kind }}\"><b>{{ title }}</b>{{ body }}</aside>",
        )
        .file(
            "tema/templates/markdown/heading.html",
            "<h{{ level }} id=\"{{ id }}\" class=\"own-heading\">{{ body }}</h{{ level }}>",
        )
        .file(
            "tema/templates/markdown/code.html",
            "<figure class=\"own-code\" data-lang=\"{{ lang }}\"><pre>{{ code | safe }}</pre></figure>",
        )
        .file(
            "content/index.md",
            "---\ntitle: Start\n---\n\n## Om oss\n\n:::tip Husk <dette>\nInnhold **her**\n\n```bash\ncurl -H x https://a\n```\n:::\n\netter\n",
        );
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html = site.html("/docs/");
    assert_eq!(text_of(&html, "aside.own-box.own-tip > b"), "Husk <dette>");
    assert_eq!(text_of(&html, "aside.own-box > p > strong"), "her");
    assert_eq!(
        attrs(&html, "aside.own-box > figure.own-code", "data-lang"),
        ["bash"]
    );
    assert!(!select(&html, "figure.own-code span.hl-variable").is_empty());
    assert_eq!(attrs(&html, "h2.own-heading", "id"), ["om-oss"]);
    assert!(select(&html, ".admonition, h2 .anchor, pre.code").is_empty());
    // The box closes where the writer closed it: the next paragraph is outside.
    assert_eq!(text_of(&html, "aside.own-box + p"), "etter");
}

#[test]
fn powershell_blocks_are_highlighted_in_each_of_their_names() {
    let site = SiteTest::new();
    let mut page = String::from("---\ntitle: Skall\n---\n\n");
    for lang in ["powershell", "ps1", "pwsh"] {
        page.push_str(&format!(
            "```{lang}\n$h = @{{ Authorization = \"Bearer $token\" }}\nInvoke-RestMethod -Uri https://x -Headers $h\n```\n\n"
        ));
    }
    site.file("intark.toml", "title = \"x\"\n")
        .file("content/index.md", page);
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let html = site.html("/docs/");
    let blocks = select(&html, "pre.code > code");
    assert_eq!(blocks.len(), 3);
    for block in blocks {
        let cmdlet = block
            .select(&scraper::Selector::parse("span.hl-support.hl-function.hl-powershell").unwrap())
            .map(|s| s.text().collect::<String>())
            .collect::<Vec<_>>();
        assert_eq!(cmdlet, ["Invoke-RestMethod"], "{}", block.html());
        let variables = block
            .select(&scraper::Selector::parse("span.hl-variable").unwrap())
            .count();
        assert!(variables >= 2, "{}", block.html());
    }
}

#[test]
fn an_unknown_language_gets_english_strings_its_own_lang_and_one_warning() {
    let site = SiteTest::new();
    site.file("intark.toml", "title = \"x\"\nlanguage = \"fr\"\n")
        .file("content/index.md", "---\ntitle: Accueil\n---\n\n## Un\n")
        .file("content/b.md", "---\ntitle: Deux\n---\n\ntexte\n")
        .file("content/c.md", "---\ntitle: Trois\nlang: de\n---\n\ntext\n");
    let run = site.run(&["build", "--format", "json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let unknown: Vec<_> = run.findings_where(|rule| rule == "unknown-language");
    assert_eq!(
        unknown,
        [
            ("unknown-language".to_string(), "intark.toml".to_string(), 1),
            ("unknown-language".to_string(), "intark.toml".to_string(), 1)
        ],
        "one for fr (three pages) and one for de"
    );
    let html = site.html("/docs/b/");
    assert_eq!(attrs(&html, "html", "lang"), ["fr"]);
    assert_eq!(text_of(&html, ".skip-link"), "Skip to content");
}

/// Issue 22: the header's colour scheme switch names the scheme in the page's language (nb, nn, en
/// from the theme's tables), and the reader's stored choice is applied in the head, before the
/// stylesheets, so the first paint is already in that scheme.
#[test]
fn the_colour_scheme_switch_speaks_the_pages_language_and_applies_before_the_styles() {
    let site = SiteTest::new();
    site.file("intark.toml", "title = \"T\"\nlanguage = \"nb\"\n")
        .file("content/index.md", "---\ntitle: Bokmål\n---\nx\n")
        .file("content/nn.md", "---\ntitle: Nynorsk\nlang: nn\n---\nx\n")
        .file("content/en.md", "---\ntitle: English\nlang: en\n---\nx\n");
    let run = site.run(&["build", "--no-check"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    for (route, system, light, dark) in [
        (
            "/docs/",
            "Fargetema: følger systemet",
            "Fargetema: lyst",
            "Fargetema: mørkt",
        ),
        (
            "/docs/nn/",
            "Fargetema: følgjer systemet",
            "Fargetema: lyst",
            "Fargetema: mørkt",
        ),
        (
            "/docs/en/",
            "Colour scheme: as the system",
            "Colour scheme: light",
            "Colour scheme: dark",
        ),
    ] {
        let html = site.html(route);
        let button = "header button[data-scheme-switch][type=button]";
        assert_eq!(attrs(&html, button, "aria-label"), [system], "{route}");
        assert_eq!(attrs(&html, button, "data-t-system"), [system], "{route}");
        assert_eq!(attrs(&html, button, "data-t-light"), [light], "{route}");
        assert_eq!(attrs(&html, button, "data-t-dark"), [dark], "{route}");
        // On phones the menu carries it, its name shown beside the icon.
        let in_menu = "#sidebar button[data-scheme-switch][type=button]";
        assert_eq!(attrs(&html, in_menu, "aria-label"), [system], "{route}");
        assert_eq!(text_of(&html, &format!("{in_menu} .scheme-text")), system);
        // Its icon is decoration; the name carries the state.
        assert_eq!(
            select(&html, &format!("{button} .scheme-icon[aria-hidden=true]")).len(),
            1
        );
        assert_eq!(
            attrs(&html, "script[src$='scheme.js']", "src"),
            ["/_theme/scheme.js"]
        );
        // In the head: the script that applies a stored choice comes before the first stylesheet.
        let head: Vec<String> = select(&html, "head > script, head > link[rel=stylesheet]")
            .iter()
            .map(|e| e.value().name().to_string())
            .collect();
        assert_eq!(head.first().map(String::as_str), Some("script"), "{head:?}");
        let script = text_of(&html, "head > script");
        assert!(
            script.contains("localStorage") && script.contains("data-theme"),
            "{script}"
        );
    }
    assert!(site.out("_theme/scheme.js").is_file());
}
