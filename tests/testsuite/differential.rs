//! Rules found by putting our output beside the original tool's (bench/differential): element ids
//! as link targets, and Hugo sites laid out as real ones are (config directories, language folders
//! beside each other, content mounts).

use crate::harness::{attrs, text_of, SiteTest};

#[test]
fn every_element_id_is_a_link_target() {
    let site = SiteTest::new();
    site.file(
        "content/a.md",
        "---\ntitle: A\n---\nSe [b](./b.md#get-users), [navn](./b.md#gammel), [div](./b.md#boks) og \
         [mangler](./b.md#mangler).\n",
    )
    .file(
        "content/b.md",
        "---\ntitle: B\n---\n| a |\n|---|\n| b |\n\n<a id=\"get-users\"></a>\n\n#### GET /users\n\n\
         Tekst <a name=\"gammel\"></a> her.\n\n<div id='boks'>x</div>\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(
        run.findings(),
        [("broken-anchor".to_string(), "content/a.md".to_string(), 4)],
        "only the id no element has is broken:\n{}",
        run.stdout()
    );
}

#[test]
fn a_hugo_config_directory_with_language_folders_beside_each_other_builds_at_hugos_urls() {
    let site = SiteTest::new();
    site.file(
        "config/_default/hugo.yaml",
        "baseURL: https://example.org/\ndefaultContentLanguage: en\nparams:\n  farge: blå\n",
    )
    .file(
        "config/_default/languages.yaml",
        "en:\n  contentDir: content.en\n  weight: 1\nnb:\n  contentDir: content.nb\n  weight: 2\n",
    )
    .file("config/_default/params.yaml", "produkt: Intark\n")
    .file(
        "content.en/_index.md",
        "---\ntitle: Home\n---\nSee [guide](/docs/guide/).\n",
    )
    .file(
        "content.en/docs/guide.md",
        "---\ntitle: Guide\n---\n{{< param produkt >}} {{< param farge >}}\n",
    )
    .file(
        "content.nb/_index.md",
        "---\ntitle: Hjem\n---\nSe [veiledning](/docs/veiledning/).\n",
    )
    .file(
        "content.nb/docs/veiledning.md",
        "---\ntitle: Veiledning\n---\nTekst.\n",
    )
    .file(
        "themes/bok/README.md",
        "# Not content\n\nSee [x](/nowhere/).\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.findings(), [], "{}", run.stdout());
    site.run(&["build", "--no-check"]);
    assert!(site.out("docs/guide/index.html").is_file());
    assert!(site.out("nb/docs/veiledning/index.html").is_file());
    assert!(
        !site.out("themes").exists(),
        "a theme beside the language folders is not content"
    );
    let guide = std::fs::read_to_string(site.out("docs/guide/index.html")).unwrap();
    assert!(
        guide.contains("Intark blå"),
        "params from both files: {guide}"
    );
}

#[test]
fn hugo_content_mounts_give_each_language_its_folder() {
    let site = SiteTest::new();
    site.file(
        "hugo.yaml",
        "baseURL: https://example.org/\nlanguages:\n  en: {weight: 1}\n  fr: {weight: 2}\n\
         module:\n  mounts:\n    - {source: content/fr, target: content, lang: fr}\n\
         \x20   - {source: content/en, target: content, lang: en}\n",
    )
    .file(
        "content/en/docs/a.md",
        "---\ntitle: A\n---\nSee [b](/docs/b/).\n",
    )
    .file("content/en/docs/b.md", "---\ntitle: B\n---\nB.\n")
    .file(
        "content/fr/docs/a.md",
        "---\ntitle: A\n---\nVoir [a](/docs/a/).\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    // The theme has no French UI strings: that one warning is right, and not about mounts.
    let findings: Vec<_> = run.findings_where(|rule| rule != "unknown-language");
    assert_eq!(findings, [], "{}", run.stdout());
    site.run(&["build", "--no-check"]);
    assert!(site.out("docs/b/index.html").is_file());
    assert!(site.out("fr/docs/a/index.html").is_file());
    assert!(!site.out("en/docs/a/index.html").exists());
}

#[test]
fn a_hugo_language_falls_back_to_a_later_mount_and_links_resolve_as_hugo_resolves_them() {
    // As docsy.dev mounts it: `fr` has its own folder first, then the English one as fallback.
    let site = SiteTest::new();
    site.file(
        "hugo.yaml",
        "baseURL: https://example.org/\nlanguages:\n  en: {weight: 1}\n  fr: {weight: 2}\n\
         module:\n  mounts:\n\
         \x20   - {source: content/fr, target: content, sites: {matrix: {languages: [fr]}}}\n\
         \x20   - {source: content/en, target: content, sites: {matrix: {languages: [en, fr]}}}\n",
    )
    .file("content/en/_index.md", "---\ntitle: Home\n---\nHome.\n")
    .file(
        "content/fr/_index.md",
        "---\ntitle: Accueil\n---\nVoir [le guide](docs/guide/).\n",
    )
    .file(
        "content/en/docs/guide/index.md",
        "---\ntitle: Guide\n---\n![shot](shot.png) and the [landing](content#landing) and \
         [logo](logo.png).\n\n{{% readfile \"parts/step.md\" %}}\n",
    )
    .file("content/en/docs/guide/shot.png", "png")
    .file("content/en/docs/guide/parts/step.md", "## Step\n")
    .file(
        "content/en/docs/content/_index.md",
        "---\ntitle: Content\n---\n## Landing\n",
    )
    .file("assets/logo.png", "png");
    let run = site.run(&["check", "--format", "json"]);
    let errors: Vec<_> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    site.run(&["build", "--no-check"]);
    // The fr site has the English page it lacks, at its own URL; the leaf bundle's Markdown file
    // is a resource, not a page.
    let fr = site.html("/fr/docs/guide/");
    assert_eq!(text_of(&fr, "article h1, h1"), "Guide");
    assert!(!site.out("docs/guide/parts/step/index.html").exists());
    // The fr page's image is the English bundle's file; `content` finds the section by its name;
    // the global resource is published under the site.
    let srcs = attrs(&fr, "article img", "src");
    assert_eq!(srcs, ["/docs/guide/shot.png"]);
    let hrefs = attrs(&fr, "article a", "href");
    assert!(
        hrefs.iter().any(|h| h == "/fr/docs/content/#landing"),
        "{hrefs:?}"
    );
    assert!(hrefs.iter().any(|h| h == "/logo.png"), "{hrefs:?}");
    assert!(site.out("logo.png").is_file());
}

#[test]
fn hugo_ugly_urls_write_regular_pages_as_html_files() {
    let site = SiteTest::new();
    site.file(
        "hugo.toml",
        "baseURL = 'https://example.org/'\nuglyURLs = true\n",
    )
    .file(
        "content/docs/_index.md",
        "---\ntitle: Docs\n---\nSee [a](a.md).\n",
    )
    .file("content/docs/a.md", "---\ntitle: A\n---\n![x](b/x.png)\n")
    .file(
        "content/docs/b/index.md",
        "---\ntitle: B\n---\n![x](x.png)\n",
    )
    .file("content/docs/b/x.png", "png");
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.findings(), [], "{}", run.stdout());
    site.run(&["build", "--no-check"]);
    assert!(site.out("docs/a.html").is_file());
    assert!(
        site.out("docs/b.html").is_file(),
        "a leaf bundle is a regular page"
    );
    assert!(
        site.out("docs/b/x.png").is_file(),
        "its resources keep their folder"
    );
    assert!(
        site.out("docs/index.html").is_file(),
        "a section stays a folder"
    );
    let docs = site.html("/docs/");
    assert!(attrs(&docs, "article a", "href").contains(&"/docs/a.html".to_string()));
}

#[test]
fn hugo_term_pages_list_the_pages_of_each_tag() {
    // docsy.dev links `/tags/upgrade/`, a page Hugo makes from the posts' `tags`.
    let site = SiteTest::new();
    site.file("hugo.toml", "baseURL = 'https://example.org/'\n")
        .file(
            "content/blog/a.md",
            "---\ntitle: Post A\ntags: [Upgrade, news]\n---\nA.\n",
        )
        .file("content/blog/b.md", "---\ntitle: Post B\ntags: [upgrade]\n---\nB.\n")
        .file(
            "content/docs/update.md",
            "---\ntitle: Update\n---\nSee the [upgrade posts](/tags/upgrade/) and [all tags](/tags/).\n",
        );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.findings(), [], "{}", run.stdout());
    site.run(&["build", "--no-check"]);
    let term = site.html("/tags/upgrade/");
    assert_eq!(
        attrs(&term, "article li a", "href"),
        ["/blog/a/", "/blog/b/"],
        "both posts, whatever the case of the tag"
    );
    let list = site.html("/tags/");
    assert_eq!(
        attrs(&list, "article li a", "href"),
        ["/tags/news/", "/tags/upgrade/"]
    );
    assert!(
        !site.out("categories/index.html").exists(),
        "no terms, no page"
    );
}
