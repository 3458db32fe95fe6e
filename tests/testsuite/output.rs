//! The output folder: what a build may replace, what it publishes from `static/`, and that a build
//! stopped at any moment (SIGTERM, SIGKILL) leaves the old or the new output, whole.

use crate::harness::SiteTest;
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Every file under `dir` (relative path → hash of its bytes).
fn manifest(dir: &Path) -> BTreeMap<String, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let mut hasher = DefaultHasher::new();
            std::fs::read(e.path()).unwrap().hash(&mut hasher);
            let rel = e.path().strip_prefix(dir).unwrap();
            (rel.to_string_lossy().into_owned(), hasher.finish())
        })
        .collect()
}

/// Names beside the output that a build keeps while it runs.
fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".intark-"))
        .collect()
}

fn small_site() -> SiteTest {
    let site = SiteTest::new();
    site.file("content/index.md", "---\ntitle: Hjem\n---\nVelkommen.\n")
        .file("static/img/logo.svg", "<svg/>")
        .file("openapi/README.txt", "specs go here")
        .file("notes/mine.txt", "a writer's notes")
        .file("file.txt", "a file");
    site
}

#[test]
fn build_refuses_the_sources_a_users_folder_and_a_file_and_deletes_nothing() {
    let site = small_site();
    let before = manifest(site.root());
    let root = site.root().to_str().unwrap().to_string();
    for (out, named, flag) in [
        ("content", "content", "--out"),
        (".", ".", "--out"),
        (root.as_str(), root.as_str(), "--out"),
        ("static", "static", "--out"),
        ("openapi", "openapi", "--out"),
        ("..", "", "--out"),
        ("notes", "notes", "--force"),
        ("file.txt", "file.txt", "--out"),
    ] {
        let run = site.run(&["build", "--out", out]);
        let stderr = run.stderr();
        assert_eq!(run.code(), 2, "--out {out}: {stderr}");
        assert!(
            stderr.contains(&format!("`{named}")) && stderr.contains(flag),
            "--out {out} names the folder and {flag}: {stderr}"
        );
        assert_eq!(
            manifest(site.root()),
            before,
            "--out {out} changed the site"
        );
    }
    for out in ["content", ".", "static"] {
        let run = site.run(&["build", "--force", "--out", out]);
        assert_eq!(run.code(), 2, "--force --out {out}: {}", run.stderr());
    }
    assert_eq!(manifest(site.root()), before);
}

#[test]
fn force_replaces_a_users_folder_and_the_marker_lets_the_next_build_in() {
    let site = small_site();
    let run = site.run(&["build", "--force", "--out", "notes"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(!site.root().join("notes/mine.txt").exists());
    assert!(site.root().join("notes/docs/index.html").exists());
    assert!(site.root().join("notes/.intark-docs-output").is_file());
    let again = site.run(&["build", "--out", "notes"]);
    assert_eq!(
        again.code(),
        0,
        "our own output is replaced without --force"
    );
    assert!(leftovers(site.root()).is_empty());
}

#[test]
fn the_next_build_removes_what_a_killed_build_left_but_not_a_users_folder() {
    let site = small_site();
    site.build();
    // A staging folder of a build killed with -9 (ours: marker), and a look-alike of the user's.
    site.file(".public.intark-staging-4000000/.intark-docs-output", "")
        .file(".public.intark-staging-4000000/docs/index.html", "half")
        .file(".public.intark-old-4000001/keep.txt", "not ours");
    site.build();
    assert_eq!(leftovers(site.root()), [".public.intark-old-4000001"]);
}

#[test]
fn hidden_static_files_are_published_only_when_listed() {
    let site = small_site();
    site.file("static/.env", "API_KEY=secret")
        .file("static/.git/config", "[core]")
        .file("static/img/.DS_Store", "x")
        .file(
            "static/.well-known/security.txt",
            "Contact: mailto:x@example.org",
        )
        .file("static/.well-known/.env", "secret");
    site.build();
    let published = manifest(&site.out(""));
    let hidden: Vec<_> = published
        .keys()
        .filter(|k| k.split('/').any(|p| p.starts_with('.')) && *k != ".intark-docs-output")
        .collect();
    assert!(hidden.is_empty(), "published: {hidden:?}");
    assert!(published.contains_key("img/logo.svg"));

    site.file(
        "intark.toml",
        "[static]\ninclude_hidden = [\".well-known\"]\n",
    );
    site.build();
    let published = manifest(&site.out(""));
    assert!(published.contains_key(".well-known/security.txt"));
    assert!(!published.contains_key(".well-known/.env"));
    assert!(!published.contains_key(".env"));
}

/// A site of `pages` pages whose every page names `generation`.
fn generated_site(site: &SiteTest, pages: usize, generation: &str) {
    for i in 0..pages {
        let next = (i + 1) % pages;
        site.file(
            &format!("content/del-{}/side-{i}.md", i / 25),
            format!(
                "---\ntitle: Side {i}\n---\n\n## Om {generation}\n\nTekst {generation} {i}. \
                 Se [neste](../del-{}/side-{next}.md#om-{generation}).\n\n```bash\ncurl \
                 https://example.org/{i}\n```\n",
                next / 25
            ),
        );
    }
}

/// A small xorshift generator; the seed is printed so a failure can be replayed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn build_command(site: &SiteTest, out: &str) -> Command {
    // Stdout and stderr are discarded unless the caller asks for them with `output()`.
    let mut command = Command::new(env!("CARGO_BIN_EXE_intark-docs"));
    command
        .args(["build", "--no-search", "--out", out, "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    command
}

#[test]
fn kill_9_at_random_moments_leaves_the_old_or_the_new_output_whole() {
    const PAGES: usize = 300;
    let site = SiteTest::new();
    // The reference builds of both generations, into folders of their own.
    let mut reference = Vec::new();
    let mut longest = Duration::ZERO;
    for generation in ["alfa", "beta"] {
        generated_site(&site, PAGES, generation);
        let started = Instant::now();
        let out = format!("ref-{generation}");
        assert!(build_command(&site, &out).status().unwrap().success());
        longest = longest.max(started.elapsed());
        reference.push(manifest(&site.root().join(out)));
    }
    assert_ne!(reference[0], reference[1]);
    assert!(reference[0].len() > PAGES);
    // Start from a whole "beta" output.
    assert!(build_command(&site, "public").status().unwrap().success());

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}, a whole build takes {longest:?}");
    let mut random = Random(seed);
    let mut current = 1;
    for round in 0..8 {
        let next = 1 - current;
        generated_site(&site, PAGES, ["alfa", "beta"][next]);
        let wait = Duration::from_millis(random.below(longest.as_millis() as u64 * 11 / 10));
        let mut child = build_command(&site, "public").spawn().unwrap();
        eprintln!("round {round}: pid {} killed after {wait:?}", child.id());
        std::thread::sleep(wait);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let found = manifest(&site.out(""));
        let which = reference.iter().position(|r| *r == found);
        assert!(
            which.is_some(),
            "round {round}: killed after {wait:?} (status {status}), the output is neither the old \
             nor the new build ({} files; seed {seed})",
            found.len()
        );
        current = which.unwrap();
    }
    // The next build sweeps what the killed ones left beside the output.
    eprintln!("before the last build: {:?}", leftovers(site.root()));
    let last = build_command(&site, "public").output().unwrap();
    assert!(last.status.success());
    let left = leftovers(site.root());
    let inside: Vec<_> = left
        .iter()
        .map(|l| manifest(&site.root().join(l)).len())
        .collect();
    assert!(left.is_empty(), "{left:?} with {inside:?} files");
}

/// Stop a build of `site` with `signal` once its staging folder exists; true if it was stopped
/// (false if it finished first). A stopped build must leave no staging folder and the old output.
fn stop_a_build(site: &SiteTest, generation: &str, signal: rustix::process::Signal) -> bool {
    let before = manifest(&site.out(""));
    generated_site(site, 300, generation);
    let mut child = build_command(site, "public").spawn().unwrap();
    let started = Instant::now();
    while leftovers(site.root()).is_empty() && child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no staging folder appeared"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    let _ = rustix::process::kill_process(pid, signal);
    if child.wait().unwrap().success() {
        return false;
    }
    let left = leftovers(site.root());
    assert!(left.is_empty(), "{signal:?} left {left:?}");
    assert_eq!(
        manifest(&site.out("")),
        before,
        "{signal:?}: the old output is untouched"
    );
    true
}

#[test]
fn sigterm_and_sigint_remove_the_staging_folder_and_keep_the_output() {
    use rustix::process::Signal;
    let site = SiteTest::new();
    generated_site(&site, 300, "alfa");
    assert!(build_command(&site, "public").status().unwrap().success());
    for signal in [Signal::TERM, Signal::INT] {
        // A build can finish between showing its staging folder and the signal: then try again.
        let stopped = ["beta", "alfa", "beta", "alfa", "beta"]
            .iter()
            .any(|generation| stop_a_build(&site, generation, signal));
        assert!(stopped, "every build finished before {signal:?} reached it");
    }
}
