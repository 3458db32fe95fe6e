//! Which folders a build may replace. Only a folder that carries our [`MARKER`](super::MARKER), an
//! empty folder, or a path that does not exist yet; with `--force`, also a folder of someone else's.
//! Never (not even with `--force`) the site root, its content, static, OpenAPI or theme folder, or an
//! ancestor of any of them; never a file or a symbolic link.

use super::MARKER;
use crate::config::Config;
use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// Refuse an output folder that a build must not replace. Run before any work is done, so that a
/// mistaken `--out` costs nothing.
pub fn check(config: &Config, force: bool) -> Result<()> {
    let shown = shown(config, &config.output_dir);
    let out = resolve(&config.output_dir);
    let protected = [
        ("the site root", &config.root),
        ("the content folder", &config.content_dir),
        ("the static folder", &config.static_dir),
        ("the OpenAPI folder", &config.openapi_dir),
        ("the theme folder", &config.theme_dir),
    ];
    for (what, path) in protected {
        let real = resolve(path);
        if real.starts_with(&out) {
            let relation = if real == out {
                format!("it is {what}")
            } else {
                format!(
                    "it holds {what} (`{}`)",
                    self::shown(config, path).display()
                )
            };
            return Err(Error::OutputRefused {
                path: shown,
                reason: format!(
                    "{relation}, and a build replaces the whole output folder; choose another folder \
                     with --out (--force does not override this)"
                ),
            });
        }
    }
    replaceable(&config.output_dir, &shown, force)
}

/// Whether the folder at `target` may be replaced now: absent, empty, ours, or `force`. `shown` is
/// the path named in the message.
pub(super) fn replaceable(target: &Path, shown: &Path, force: bool) -> Result<()> {
    let refuse = |reason: String| {
        Err(Error::OutputRefused {
            path: shown.to_path_buf(),
            reason,
        })
    };
    let meta = match std::fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("cannot read", target, e)),
    };
    if meta.file_type().is_symlink() {
        return refuse(
            "it is a symbolic link; give --out the folder it points to, or another folder \
             (--force does not override this)"
                .into(),
        );
    }
    if !meta.is_dir() {
        return refuse(
            "it is a file, not a folder; choose another folder with --out, or move the file \
             (--force does not override this)"
                .into(),
        );
    }
    if carries_marker(target) || is_empty(target)? || force {
        return Ok(());
    }
    refuse(format!(
        "it holds files that intark-docs did not write (there is no `{MARKER}` in it), and a build \
         replaces the whole folder; choose another folder with --out, or pass --force to delete \
         its contents and write the site there"
    ))
}

/// Whether a folder carries the marker of a folder that intark-docs wrote.
pub(super) fn carries_marker(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Whether a folder has no entries.
pub(super) fn is_empty(dir: &Path) -> Result<bool> {
    let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io("cannot read", dir, e))?;
    Ok(entries.next().is_none())
}

/// A path as the user wrote it: relative to the site root when inside it (`.` for the root itself).
fn shown(config: &Config, path: &Path) -> PathBuf {
    let lexical = normalise(path);
    match lexical.strip_prefix(&config.root) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => lexical,
    }
}

/// `.` and `..` taken out without touching the disk.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The real path: normalised, with symbolic links of its existing part resolved, so that a link to
/// the content folder counts as the content folder.
fn resolve(path: &Path) -> PathBuf {
    let lexical = normalise(path);
    let mut existing = lexical.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(mut real) = std::fs::canonicalize(existing) {
            real.extend(missing.iter().rev());
            return real;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigFile, Overrides};

    fn config(root: &Path, out: &str) -> Config {
        let mut config = Config::resolve(
            root.to_path_buf(),
            ConfigFile::default(),
            &Overrides::default(),
        )
        .unwrap();
        config.output_dir = root.join(out);
        config
    }

    fn refused(root: &Path, out: &str, force: bool) -> String {
        match check(&config(root, out), force) {
            Err(e @ Error::OutputRefused { .. }) => e.to_string(),
            other => panic!("`{out}` was not refused: {other:?}"),
        }
    }

    #[test]
    fn sources_and_their_ancestors_are_refused_even_with_force() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        for out in [
            ".",
            "..",
            "content",
            "content/..",
            "static",
            "openapi",
            "themes",
            "themes/default",
        ] {
            let message = refused(&root, out, true);
            assert!(message.contains("--out"), "{message}");
            assert!(message.contains("does not override"), "{message}");
        }
        assert!(refused(&root, "content", false).contains("`content`: it is the content folder"));
    }

    #[test]
    fn a_link_to_the_content_folder_is_the_content_folder() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("content"), tmp.path().join("link")).unwrap();
        assert!(refused(tmp.path(), "link", true).contains("content folder"));
    }

    #[test]
    fn a_folder_of_the_users_needs_force_and_a_file_is_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("notes")).unwrap();
        std::fs::write(tmp.path().join("notes/todo.txt"), "mine").unwrap();
        std::fs::write(tmp.path().join("file"), "mine").unwrap();
        let message = refused(tmp.path(), "notes", false);
        assert!(
            message.contains("`notes`") && message.contains("--force"),
            "{message}"
        );
        assert!(check(&config(tmp.path(), "notes"), true).is_ok());
        assert!(refused(tmp.path(), "file", true).contains("is a file"));
    }

    #[test]
    fn absent_empty_and_marked_folders_are_replaceable() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(check(&config(tmp.path(), "public"), false).is_ok());
        std::fs::create_dir(tmp.path().join("public")).unwrap();
        assert!(check(&config(tmp.path(), "public"), false).is_ok());
        std::fs::write(tmp.path().join("public/index.html"), "old").unwrap();
        assert!(check(&config(tmp.path(), "public"), false).is_err());
        std::fs::write(tmp.path().join("public").join(MARKER), "").unwrap();
        assert!(check(&config(tmp.path(), "public"), false).is_ok());
    }
}
