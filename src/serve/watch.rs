//! Watching the site's folders: notify events, debounced (block on the first event, then drain until
//! the file system has been quiet for a moment, so an editor's save-rename-chmod burst is one change),
//! and a pure [`classify`] that decides the cheapest correct rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// What a batch of changed paths asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Plan {
    /// Nothing the site uses changed.
    Nothing,
    /// These Markdown files changed in place: re-parse and re-render only what depends on them.
    Pages(Vec<PathBuf>),
    /// Pages were added or removed, or the config, theme, static files or specs changed.
    Full(&'static str),
}

/// The folders and files that matter, absolute.
#[derive(Debug, Clone)]
pub(super) struct Roots {
    /// `content/`.
    pub(super) content: PathBuf,
    /// `static/`.
    pub(super) static_dir: PathBuf,
    /// `openapi/`.
    pub(super) openapi: PathBuf,
    /// The theme folder.
    pub(super) theme: PathBuf,
    /// `intark.toml`.
    pub(super) config: PathBuf,
    /// The site root's `i18n/` (UI strings laid over the theme's).
    pub(super) i18n: PathBuf,
}

/// Decide what to rebuild. `known` says whether a Markdown file is a page of the current site.
pub(super) fn classify(paths: &[PathBuf], roots: &Roots, known: &dyn Fn(&Path) -> bool) -> Plan {
    let mut pages = Vec::new();
    for path in paths {
        if path == &roots.config {
            return Plan::Full("configuration");
        }
        if path.starts_with(&roots.theme) {
            return Plan::Full("theme");
        }
        if path.starts_with(&roots.i18n) {
            return Plan::Full("UI strings");
        }
        if path.starts_with(&roots.openapi) {
            return Plan::Full("API specs");
        }
        if path.starts_with(&roots.static_dir) {
            return Plan::Full("static files");
        }
        if [
            &roots.content,
            &roots.static_dir,
            &roots.openapi,
            &roots.theme,
        ]
        .iter()
        .any(|r| r.starts_with(path) && r.as_path() != path.as_path())
        {
            return Plan::Full("site folders");
        }
        if !path.starts_with(&roots.content) {
            continue;
        }
        let hidden = path
            .strip_prefix(&roots.content)
            .map(|r| {
                r.components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
            .unwrap_or(false);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if hidden
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913"
        {
            continue;
        }
        let markdown = crate::load::is_markdown(path);
        let exists = path.exists();
        if markdown && exists && known(path) {
            if !pages.contains(path) {
                pages.push(path.clone());
            }
        } else if markdown || path.is_dir() || !exists || name.starts_with("_category_") {
            // A page or folder appeared or went away (or was renamed): the routes change.
            return Plan::Full("pages added, removed or renamed");
        } else {
            return Plan::Full("files beside the pages");
        }
    }
    if pages.is_empty() {
        Plan::Nothing
    } else {
        Plan::Pages(pages)
    }
}

/// Wait for the next batch of changed paths: block for the first event, then collect until `quiet`
/// passes with no event (at most `limit` in all). `None` when the watcher is gone.
pub(super) fn next_batch(
    events: &Receiver<notify::Result<notify::Event>>,
    quiet: Duration,
    limit: Duration,
) -> Option<Vec<PathBuf>> {
    let mut paths = Vec::new();
    let first = events.recv().ok()?;
    add(&mut paths, first);
    let started = Instant::now();
    loop {
        let left = limit.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        match events.recv_timeout(quiet.min(left)) {
            Ok(event) => add(&mut paths, event),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    Some(paths)
}

fn add(paths: &mut Vec<PathBuf>, event: notify::Result<notify::Event>) {
    let Ok(event) = event else { return };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return;
    }
    for path in event.paths {
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(dir: &Path) -> Roots {
        Roots {
            content: dir.join("content"),
            static_dir: dir.join("static"),
            openapi: dir.join("openapi"),
            theme: dir.join("themes/default"),
            config: dir.join("intark.toml"),
            i18n: dir.join("i18n"),
        }
    }

    #[test]
    fn the_sites_ui_strings_rebuild_everything() {
        let tmp = tempfile::tempdir().unwrap();
        let r = roots(tmp.path());
        let known = |_: &Path| true;
        for path in [r.i18n.join("nb.toml"), r.i18n.clone()] {
            assert_eq!(classify(&[path], &r, &known), Plan::Full("UI strings"));
        }
    }

    #[test]
    fn edits_of_known_pages_are_incremental_and_the_rest_is_full() {
        let tmp = tempfile::tempdir().unwrap();
        let r = roots(tmp.path());
        std::fs::create_dir_all(&r.content).unwrap();
        let page = r.content.join("a.md");
        std::fs::write(&page, "x").unwrap();
        let new = r.content.join("ny.md");
        std::fs::write(&new, "x").unwrap();
        let known = |p: &Path| p.ends_with("a.md");
        assert_eq!(
            classify(&[page.clone(), page.clone()], &r, &known),
            Plan::Pages(vec![page.clone()])
        );
        assert!(
            matches!(classify(&[new], &r, &known), Plan::Full(_)),
            "a new page changes routes"
        );
        assert!(
            matches!(
                classify(&[r.content.join("borte.md")], &r, &known),
                Plan::Full(_)
            ),
            "a removed page"
        );
        assert!(matches!(
            classify(std::slice::from_ref(&r.config), &r, &known),
            Plan::Full("configuration")
        ));
        assert!(matches!(
            classify(&[r.theme.join("templates/page.html")], &r, &known),
            Plan::Full("theme")
        ));
        assert!(matches!(
            classify(&[r.static_dir.join("img/a.png")], &r, &known),
            Plan::Full(_)
        ));
        assert_eq!(
            classify(
                &[r.content.join(".a.md.swp"), tmp.path().join("target/x")],
                &r,
                &known
            ),
            Plan::Nothing
        );
        assert!(
            matches!(
                classify(&[tmp.path().join("themes")], &r, &known),
                Plan::Full(_)
            ),
            "a theme folder appears"
        );
    }
}
