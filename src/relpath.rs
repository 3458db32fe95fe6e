//! `/`-separated relative paths, the form URLs and site files are compared in, and reading a file
//! by such a path without leaving the site's root.

use std::path::{Component, Path};

/// Resolve `.` and `..` in a `/`-separated path (empty segments dropped); `None` when a `..` would
/// climb above the start. The result has no leading or trailing `/`.
pub fn normalise(path: &str) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    Some(segments.join("/"))
}

/// Read the file at `rel` under `root`: `.` and `..` resolved but never above the root, no
/// absolute path, no symbolic link out of the root, at most `max` bytes. Gives the normalised
/// path and the text, or a message naming the path.
pub fn read_within(root: &Path, rel: &str, max: u64) -> Result<(String, String), String> {
    let rel = normalise(rel).ok_or_else(|| format!("`{rel}` is outside the site"))?;
    if Path::new(&rel)
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(format!("`{rel}` is outside the site"));
    }
    let path = root.join(&rel);
    if !path.is_file() {
        return Err(format!("there is no file `{rel}`"));
    }
    let real = path.canonicalize().map_err(|e| format!("`{rel}`: {e}"))?;
    let real_root = root.canonicalize().map_err(|e| e.to_string())?;
    if !real.starts_with(&real_root) {
        return Err(format!("`{rel}` is outside the site"));
    }
    let size = real.metadata().map_err(|e| e.to_string())?.len();
    if size > max {
        return Err(format!("`{rel}` is larger than {max} bytes"));
    }
    let text = std::fs::read_to_string(&real).map_err(|e| format!("`{rel}`: {e}"))?;
    Ok((rel, text))
}

#[cfg(test)]
mod tests {
    use super::{normalise, read_within};

    #[test]
    fn dots_resolve_and_climbing_out_is_none() {
        assert_eq!(normalise("a/./b/../c/").as_deref(), Some("a/c"));
        assert_eq!(normalise("/a//b").as_deref(), Some("a/b"));
        assert_eq!(normalise("a/../..").as_deref(), None);
        assert_eq!(normalise("").as_deref(), Some(""));
    }

    #[test]
    fn reads_stay_inside_the_root_and_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/a.md"), "hei").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        assert_eq!(
            read_within(&root, "docs/./b/../a.md", 10),
            Ok(("docs/a.md".to_string(), "hei".to_string()))
        );
        assert!(read_within(&root, "../secret.txt", 10)
            .unwrap_err()
            .contains("outside"));
        assert!(read_within(&root, "docs/a.md", 2)
            .unwrap_err()
            .contains("larger"));
        assert!(read_within(&root, "docs/c.md", 10)
            .unwrap_err()
            .contains("no file"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("lenke")).unwrap();
            assert!(read_within(&root, "lenke", 10)
                .unwrap_err()
                .contains("outside"));
        }
    }
}
