//! Writing the built site safely: everything goes to a staging folder beside the target, which takes
//! the target's place in one atomic step only when the whole build succeeded. A failed or killed build
//! leaves the previous output untouched; files of older builds that no longer exist are gone after a
//! successful one.
//!
//! A build replaces only a folder that it wrote itself (it carries [`MARKER`]), an empty one, or one
//! the user gave up with `--force`; never the site's sources ([`guard`]). The swap is an exchange of
//! the two folders ([`swap`]); staging folders are removed on SIGINT/SIGTERM and by the next build
//! after a `kill -9` ([`leftovers`]).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

mod guard;
mod leftovers;
mod swap;

pub use guard::check as guard;

/// The file in every folder a build writes; only folders that carry it are replaced without `--force`.
pub const MARKER: &str = ".intark-docs-output";

const MARKER_TEXT: &str =
    "This folder was written by `intark-docs build`, which replaces all of it \
on every build.\nDo not keep your own files here.\n";

/// A staging folder that becomes the output folder on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    force: bool,
    committed: bool,
    /// The lock that tells other builds this staging folder is in use ([`leftovers::hold`]).
    _held: Option<std::fs::File>,
}

impl Staging {
    /// Clean up after killed builds, check that `target` may be replaced (see [`guard`]; `force`
    /// allows a folder without the marker), and create an empty staging folder beside it.
    pub fn new(target: &Path, force: bool) -> Result<Staging> {
        let parent = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        leftovers::sweep(target)?;
        guard::replaceable(target, target, force)?;
        let dir = leftovers::path(target, leftovers::Kind::Staging);
        leftovers::remove_on_signal(&dir);
        let mut staging = Staging {
            target: target.to_path_buf(),
            dir,
            force,
            committed: false,
            _held: None,
        };
        std::fs::create_dir(&staging.dir)
            .map_err(|e| Error::io("cannot create", &staging.dir, e))?;
        staging._held = Some(leftovers::hold(&staging.dir)?);
        let marker = staging.dir.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io("cannot write", &marker, e))?;
        Ok(staging)
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that a URL path is written to (`/docs/a/` → `docs/a/index.html`). `None` for a path that
    /// would leave the output folder.
    pub fn file_for_url(&self, url: &str) -> Option<PathBuf> {
        let mut path = self.dir.clone();
        for segment in url.split('/') {
            match segment {
                "" | "." => {}
                ".." => return None,
                s if s.contains('\\') || s.contains('\0') => return None,
                s => path.push(s),
            }
        }
        if url.ends_with('/') || url.is_empty() {
            path.push("index.html");
        }
        Some(path)
    }

    /// Write bytes at a URL path.
    pub fn write(&self, url: &str, bytes: &[u8]) -> Result<()> {
        let path = self.file_for_url(url).ok_or_else(|| Error::Setting {
            key: "route",
            message: format!("`{url}` leaves the output folder"),
        })?;
        leftovers::unless_stopping(&path, || {
            create_parent(&path)?;
            std::fs::write(&path, bytes).map_err(|e| Error::io("cannot write", &path, e))
        })
    }

    /// Copy a file to a URL path.
    pub fn copy(&self, source: &Path, url: &str) -> Result<()> {
        let path = self.file_for_url(url).ok_or_else(|| Error::Setting {
            key: "route",
            message: format!("`{url}` leaves the output folder"),
        })?;
        leftovers::unless_stopping(&path, || {
            create_parent(&path)?;
            std::fs::copy(source, &path)
                .map(drop)
                .map_err(|e| Error::io("cannot copy", source, e))
        })
    }

    /// Put the staged folder in the target's place (atomically where the file system can exchange
    /// two folders) and remove the previous output.
    pub fn commit(mut self) -> Result<()> {
        let old = leftovers::path(&self.target, leftovers::Kind::Old);
        // The previous output is ours to remove from here on; no sweep of another build takes it.
        let _previous_held = leftovers::hold(&self.target).ok();
        let swapped = {
            // A signal arriving now waits until the folders have traded places.
            let _active = leftovers::active();
            // The target may have changed while we built: check it again.
            guard::replaceable(&self.target, &self.target, self.force)?;
            swap::swap(&self.dir, &self.target, &old)
                .map_err(|e| Error::io("cannot move into place", &self.target, e))?
        };
        self.committed = true;
        let previous = match swapped {
            swap::Swapped::Moved => None,
            swap::Swapped::Exchanged => Some(&self.dir),
            swap::Swapped::TwoRenames => Some(&old),
        };
        if let Some(previous) = previous {
            leftovers::remove_on_signal(previous);
            let removed = leftovers::remove_in_parallel(previous);
            leftovers::forget(previous);
            removed.map_err(|e| Error::io("cannot remove", previous, e))?;
        }
        leftovers::forget(&self.dir);
        Ok(())
    }
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(parent) => {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))
        }
        None => Ok(()),
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = leftovers::remove(&self.dir);
            leftovers::forget(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_the_target_and_drop_keeps_it() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("stale.html"), "old").unwrap();
        std::fs::write(target.join(MARKER), "").unwrap();

        let failed = Staging::new(&target, false).unwrap();
        failed.write("/docs/a/", b"new").unwrap();
        drop(failed);
        assert!(
            target.join("stale.html").exists(),
            "a dropped staging leaves the old output"
        );

        let staging = Staging::new(&target, false).unwrap();
        staging.write("/docs/a/", b"new").unwrap();
        staging.commit().unwrap();
        assert!(!target.join("stale.html").exists());
        assert_eq!(
            std::fs::read_to_string(target.join("docs/a/index.html")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn urls_cannot_leave_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::new(&tmp.path().join("out"), false).unwrap();
        assert!(staging.file_for_url("/../etc/passwd").is_none());
        assert!(staging.write("/a/../../x", b"x").is_err());
    }
}
