//! Rules found by putting our output beside the original tool's (bench/differential): element ids
//! as link targets, and Hugo sites laid out as real ones are (config directories, language folders
//! beside each other, content mounts).

use crate::harness::SiteTest;

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
    let findings: Vec<_> = run
        .findings()
        .into_iter()
        .filter(|(rule, _, _)| rule != "unknown-language")
        .collect();
    assert_eq!(findings, [], "{}", run.stdout());
    site.run(&["build", "--no-check"]);
    assert!(site.out("docs/b/index.html").is_file());
    assert!(site.out("fr/docs/a/index.html").is_file());
    assert!(!site.out("en/docs/a/index.html").exists());
}
