//! Checked slicing of a writer's text. Offsets into user text are computed from searches that can
//! overlap (`{%}`: the closing `%}` starts inside the opening `{%`) or land inside a multi-byte
//! character; slicing with `&s[a..b]` would then panic. These helpers give an empty string (or the
//! whole text) instead, so no input can end the Markdown pass.

/// `s[start..end]`, or `""` when the range is reversed, out of bounds or not on character boundaries.
pub(super) fn between(s: &str, start: usize, end: usize) -> &str {
    s.get(start..end).unwrap_or("")
}

/// `s[start..]`, or `""` when `start` is out of bounds or not on a character boundary.
pub(super) fn from(s: &str, start: usize) -> &str {
    s.get(start..).unwrap_or("")
}

/// The byte offset of `needle` in `s` at or after `start` (an absolute offset), if any.
pub(super) fn find_from(s: &str, start: usize, needle: &str) -> Option<usize> {
    from(s, start).find(needle).map(|i| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversed_out_of_bounds_and_mid_character_ranges_are_empty() {
        assert_eq!(between("{%}", 2, 1), "");
        assert_eq!(between("abc", 1, 9), "");
        assert_eq!(between("æøå", 1, 2), "");
        assert_eq!(between("abc", 1, 2), "b");
        assert_eq!(from("abc", 4), "");
        assert_eq!(from("æ", 1), "");
    }

    #[test]
    fn find_from_searches_after_the_start_only() {
        assert_eq!(find_from("{%}", 2, "%}"), None);
        assert_eq!(find_from("{% x %}", 2, "%}"), Some(5));
        assert_eq!(find_from("ab", 7, "b"), None);
    }
}
