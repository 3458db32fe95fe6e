//! Writing the built site atomically: everything goes to a staging folder beside the target, which
//! replaces the target only when the whole build succeeded. A failed build leaves the previous output
//! untouched; files of older builds that no longer exist are gone after a successful one.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A staging folder that becomes the output folder on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Create an empty staging folder beside `target`.
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        let name = target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io("cannot remove", &dir, e))?;
        }
        std::fs::create_dir(&dir).map_err(|e| Error::io("cannot create", &dir, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
        })
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
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io("cannot write", &path, e))
    }

    /// Copy a file to a URL path.
    pub fn copy(&self, source: &Path, url: &str) -> Result<()> {
        let path = self.file_for_url(url).ok_or_else(|| Error::Setting {
            key: "route",
            message: format!("`{url}` leaves the output folder"),
        })?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        }
        std::fs::copy(source, &path)
            .map(drop)
            .map_err(|e| Error::io("cannot copy", source, e))
    }

    /// Replace the target folder with the staged one.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .map_or("public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)
                .map_err(|e| Error::io("cannot move aside", &self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io("cannot move into place", &self.target, e));
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io("cannot remove", &old, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
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

        let failed = Staging::new(&target).unwrap();
        failed.write("/docs/a/", b"new").unwrap();
        drop(failed);
        assert!(
            target.join("stale.html").exists(),
            "a dropped staging leaves the old output"
        );

        let staging = Staging::new(&target).unwrap();
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
        let staging = Staging::new(&tmp.path().join("out")).unwrap();
        assert!(staging.file_for_url("/../etc/passwd").is_none());
        assert!(staging.write("/a/../../x", b"x").is_err());
    }
}
