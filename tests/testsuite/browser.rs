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

#[test]
fn the_published_guide_searches_in_norwegian_and_passes_axe() {
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
    run_script("published.mjs", &[out.path()]);
}
