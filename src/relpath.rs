//! `/`-separated relative paths, the form URLs and site files are compared in.

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

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn dots_resolve_and_climbing_out_is_none() {
        assert_eq!(normalise("a/./b/../c/").as_deref(), Some("a/c"));
        assert_eq!(normalise("/a//b").as_deref(), Some("a/b"));
        assert_eq!(normalise("a/../..").as_deref(), None);
        assert_eq!(normalise("").as_deref(), Some(""));
    }
}
