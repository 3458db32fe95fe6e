//! Browser tests in Debian's headless Chromium (`apt-get install chromium`), driven by the Node scripts
//! in `tests/browser/` with playwright-core (installed from npm on first use; no browser download).

use crate::harness::SiteTest;
use std::path::{Path, PathBuf};
use std::process::Command;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// `npm ci` in `tests/browser/` once: the browser tests run at the same time (and `cargo test` may run
/// in two places at once), so the first one installs under an exclusive file lock and the others
/// wait for it and then find the packages in place. `node_modules/.package-lock.json` is what npm
/// writes last, so a half-done install (a killed run) is installed again.
fn install_packages(dir: &Path) {
    let installed = || dir.join("node_modules/.package-lock.json").is_file();
    if installed() {
        return;
    }
    let lock_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-npm-ci.lock");
    let lock = std::fs::File::create(&lock_path)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));
    if !installed() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .status()
            .expect("browser tests need Node.js and npm");
        assert!(status.success(), "npm ci in tests/browser failed");
    }
    drop(lock);
}

/// Run a browser script; fails with a clear message when Chromium or Node is missing.
pub fn run_script(script: &str, args: &[&Path]) {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "browser tests need Chromium at {chromium}: `apt-get install chromium` (or set CHROMIUM)"
    );
    let dir = browser_dir();
    install_packages(&dir);
    let output = Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .output()
        .expect("browser tests need Node.js");
    assert!(
        output.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn live_reload_and_the_findings_panel_in_chromium() {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nVelkommen.\n");
    run_script(
        "live-reload.mjs",
        &[Path::new(env!("CARGO_BIN_EXE_intark-docs")), site.root()],
    );
}

/// Issue 22: the writer's panel leads to each finding's spot and source line, marks broken links and
/// TODOs in the page, docks at the bottom and starts folded on phones.
#[test]
fn the_writers_panel_leads_to_the_spot_and_the_source_line() {
    let site = SiteTest::new();
    site.file(
        "intark.toml",
        "title = \"T\"\neditor = \"vscode://file/{path}:{line}\"\n",
    );
    let filler: String = (1..=30).map(|i| format!("Avsnitt {i}.\n\n")).collect();
    site.file(
        "content/lang.md",
        format!("---\ntitle: Lang\n---\nTODO: skriv innledningen.\n\n{filler}Se [død lenke](/docs/borte/).\n"),
    );
    run_script(
        "writer-panel.mjs",
        &[Path::new(env!("CARGO_BIN_EXE_intark-docs")), site.root()],
    );
}

/// Issue 13: Docusaurus tabs on the fixture's faner page: the `default` tab first, sets of one
/// `groupId` in step by `value`, a set without a group alone, the group's choice kept.
#[test]
fn docusaurus_tabs_keep_their_group_by_value_in_chromium() {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docusaurus-site");
    let site = SiteTest::new();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&root).unwrap();
            site.file(rel.to_str().unwrap(), std::fs::read(entry.path()).unwrap());
        }
    }
    let status = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--out")
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    run_script("docusaurus-tabs.mjs", &[out.path()]);
}

/// The shipped guide, built into a temporary folder.
fn built_guide() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(env!("CARGO_BIN_EXE_intark-docs"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    out
}

#[test]
fn the_published_guide_passes_axe() {
    let out = built_guide();
    run_script("published.mjs", &[out.path()]);
}

/// Issue 16 and 22: fixed Norwegian queries over the shipped guide find the expected pages first; the
/// panel groups sections under their pages with breadcrumbs, stays inside the viewport at 1280, 1920
/// and 390 px in both schemes, and leads to the full results page.
#[test]
fn the_search_finds_the_expected_pages_and_stays_in_view() {
    let out = built_guide();
    run_script("search-quality.mjs", &[out.path()]);
}

/// Issue 22: examples that run when pasted (the default instance before any choice, the last chosen
/// after), tabs of one kind in step across the page and later pages, headings clear of the sticky
/// header, the phone header at most 64 px, the folded "on this page" menu, copy buttons that never
/// cover code, tables scrolling inside their frame with the first column kept, and the TOC following
/// the scroll; at 1280×900, 1920×1080 and 390×844 in both schemes.
#[test]
fn readers_meet_runnable_examples_tabs_in_step_and_clear_headings() {
    let out = built_guide();
    run_script("reader.mjs", &[out.path()]);
}

/// Issue 22: the header's light/dark/system switch, by keyboard, at 1280×900, 1920×1080 and 390×844
/// with the system light and dark: the page and its code blocks take the chosen scheme, the choice
/// survives a reload and is applied before the body is parsed, and "system" follows the system.
#[test]
fn the_colour_scheme_switch_sets_page_and_code_and_is_remembered() {
    let out = built_guide();
    run_script("scheme.mjs", &[out.path()]);
}

/// Issue 22: the 404 page has a search box and offers the three pages closest to the missing route.
#[test]
fn the_404_page_offers_search_and_the_closest_pages() {
    let out = built_guide();
    run_script("not-found.mjs", &[out.path()]);
}

/// The theme's search client stems queries with its own port of Snowball's Norwegian stemmer; the
/// index is stemmed by `rust-stemmers`. Every word of the shipped guide must get the same stem from
/// both, or an inflected query would miss.
#[test]
fn the_search_client_stems_every_word_of_the_guide_like_the_index() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut words = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            words.extend(intark_docs::search::terms::words(&text));
        }
    }
    assert!(words.len() > 1000, "the guide has {} words", words.len());
    let list = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        list.path(),
        words.iter().cloned().collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    let script = format!(
        "const s = require({:?}); const fs = require('fs'); \
         process.stdout.write(fs.readFileSync({:?}, 'utf8').split('\\n').map(s.stemNorwegian).join('\\n'));",
        root.join("themes/default/static/search.js"),
        list.path()
    );
    let output = Command::new("node")
        .args(["-e", &script])
        .output()
        .expect("this test needs Node.js");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let from_js = String::from_utf8(output.stdout).unwrap();
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Norwegian);
    let differ: Vec<String> = words
        .iter()
        .zip(from_js.split('\n'))
        .filter(|(word, js)| stemmer.stem(word) != *js)
        .map(|(word, js)| format!("{word}: rust {} js {js}", stemmer.stem(word)))
        .collect();
    assert_eq!(from_js.split('\n').count(), words.len());
    assert!(differ.is_empty(), "stems differ: {differ:?}");
}
