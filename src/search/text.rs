//! A page's rendered HTML split into searchable sections: the text before the first heading, then one
//! section per heading with its id. One linear scan over HTML we generated ourselves (no DOM is
//! built); anchors marked `data-pagefind-ignore` and the bodies of `<script>`/`<style>` are skipped,
//! and entities are decoded.

/// One section of a page: a heading (or the page's intro) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    /// The heading's id, empty for the intro.
    pub anchor: String,
    /// The heading's text, empty for the intro.
    pub heading: String,
    /// The text up to the next heading, whitespace collapsed.
    pub text: String,
}

/// Whether an element is inline: its tags do not separate words.
fn inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "code"
            | "del"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "u"
    )
}

/// The marker of elements whose text is not indexed (the heading anchors' `#`).
const IGNORE: &str = "data-pagefind-ignore";

/// Its searcher, made once (a highlighted code block has hundreds of tags to look in).
static IGNORE_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(IGNORE));

/// Sections as they are filled: text is appended with whitespace already collapsed (a run of
/// whitespace becomes one space between words, none at either end), so no second pass copies it.
struct Builder {
    out: Vec<Section>,
    /// A space is owed before the next non-space character of the heading, of the text.
    heading_space: bool,
    text_space: bool,
}

impl Builder {
    /// Append `text` (entities decoded) to the last section's heading or text.
    fn push(&mut self, heading: bool, text: &str) {
        let Some(section) = self.out.last_mut() else {
            return;
        };
        let (target, space) = if heading {
            (&mut section.heading, &mut self.heading_space)
        } else {
            (&mut section.text, &mut self.text_space)
        };
        let mut rest = text;
        while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
            push_collapsed(target, space, &rest[..amp]);
            rest = &rest[amp..];
            match decode_entity(rest) {
                Some((c, len)) => {
                    let mut buf = [0u8; 4];
                    push_collapsed(target, space, c.encode_utf8(&mut buf));
                    rest = &rest[len..];
                }
                None => {
                    push_collapsed(target, space, "&");
                    rest = &rest[1..];
                }
            }
        }
        push_collapsed(target, space, rest);
    }

    /// Whitespace between words (a block tag's boundary).
    fn space(&mut self, heading: bool) {
        if heading {
            self.heading_space = true;
        } else {
            self.text_space = true;
        }
    }
}

/// Bytes that may start whitespace: ASCII whitespace and the lead bytes of Unicode's other spaces
/// (U+0085 and U+00A0: `0xC2`; U+1680: `0xE1`; U+2000 to U+205F: `0xE2`; U+3000: `0xE3`). Any other
/// byte, continuation bytes included, is inside a run of text without whitespace.
const MAY_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut n = 0;
    let starts = [
        b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r', 0xC2, 0xE1, 0xE2, 0xE3,
    ];
    while n < starts.len() {
        table[starts[n] as usize] = true;
        n += 1;
    }
    table
};

/// Append `text` to `out`, whose trailing whitespace is owed as `space`, collapsing whitespace.
fn push_collapsed(out: &mut String, space: &mut bool, text: &str) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut start = 0;
    let mut i = 0;
    loop {
        while i < len && !MAY_SPACE[usize::from(bytes[i])] {
            i += 1;
        }
        if i >= len {
            break;
        }
        let b = bytes[i];
        let n = if b < 0x80 {
            1
        } else {
            // A lead byte (the table holds no continuation byte): decode its character.
            match text[i..].chars().next() {
                Some(c) if c.is_whitespace() => c.len_utf8(),
                Some(c) => {
                    i += c.len_utf8();
                    continue;
                }
                None => break,
            }
        };
        // One space between two words is its own collapse: the run goes on.
        if b == b' '
            && i > start
            && bytes
                .get(i + 1)
                .is_some_and(|&x| !MAY_SPACE[usize::from(x)])
        {
            i += 1;
            continue;
        }
        flush(out, space, &text[start..i]);
        *space = true;
        i += n;
        start = i;
    }
    flush(out, space, &text[start..]);
}

/// Append a run without whitespace, after the space owed if there is text before it.
fn flush(out: &mut String, space: &mut bool, run: &str) {
    if run.is_empty() {
        return;
    }
    if *space && !out.is_empty() {
        out.push(' ');
    }
    *space = false;
    out.push_str(run);
}

/// Split `html` into sections at every `<h2>`…`<h6>` that has an id (an `<h1>` is the page title and
/// starts no section).
pub fn sections(html: &str) -> Vec<Section> {
    let mut out = Builder {
        out: vec![Section::default()],
        heading_space: false,
        text_space: false,
    };
    let mut in_heading: Option<String> = None;
    // While set, text is dropped until this closing tag.
    let mut skip_until: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) else {
            if skip_until.is_none() {
                out.push(in_heading.is_some(), rest);
            }
            break;
        };
        if skip_until.is_none() {
            out.push(in_heading.is_some(), &rest[..lt]);
        }
        rest = &rest[lt..];
        let Some(gt) = tag_end(rest) else {
            // A `<` that opens no tag is text.
            if skip_until.is_none() {
                out.push(in_heading.is_some(), "<");
            }
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let closing = tag.starts_with('/');
        // The tag's name, lower-cased; borrowed when it is already (as in all HTML we generate),
        // since a highlighted code block alone has thousands of tags.
        let body = tag.trim_start_matches('/');
        let name = &body[..body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len())];
        let name: std::borrow::Cow<str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            name.to_ascii_lowercase().into()
        } else {
            name.into()
        };
        if let Some(until) = &skip_until {
            if closing && name == until.as_str() {
                skip_until = None;
            }
            continue;
        }
        if !closing
            && (name == "script"
                || name == "style"
                || (tag.len() >= IGNORE.len() && IGNORE_FINDER.find(tag.as_bytes()).is_some()))
            && !tag.ends_with('/')
        {
            skip_until = Some(name.into_owned());
            continue;
        }
        let level = heading_level(&name);
        if level.is_some() && !closing {
            if let Some(id) = attribute(tag, "id") {
                out.out.push(Section {
                    anchor: id,
                    ..Section::default()
                });
                in_heading = Some(name.into_owned());
                continue;
            }
        }
        if closing && in_heading.as_deref() == Some(&*name) {
            in_heading = None;
            continue;
        }
        if !inline(&name) {
            out.space(in_heading.is_some());
        }
    }
    out.out
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// The index of the `>` that ends the tag at the start of `s`, if `s` starts a tag.
fn tag_end(s: &str) -> Option<usize> {
    let second = s[1..].chars().next()?;
    if !(second.is_ascii_alphabetic() || matches!(second, '/' | '!' | '?')) {
        return None;
    }
    let bytes = s.as_bytes();
    let mut at = 1;
    loop {
        at += memchr::memchr3(b'>', b'"', b'\'', &bytes[at..])?;
        let b = bytes[at];
        if b == b'>' {
            return Some(at);
        }
        // A quoted value: its `>` do not end the tag.
        at += 1;
        at += memchr::memchr(b, &bytes[at..])? + 1;
    }
}

/// The value of attribute `name` in a tag's text, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut search = tag;
    while let Some(at) = search.find(name) {
        let before_ok = search[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let after = &search[at + name.len()..];
        if before_ok {
            if let Some(value) = after.trim_start().strip_prefix('=') {
                let value = value.trim_start();
                let (quote, body) = match value.chars().next() {
                    Some(q @ ('"' | '\'')) => (Some(q), &value[1..]),
                    _ => (None, value),
                };
                let end = match quote {
                    Some(q) => body.find(q).unwrap_or(body.len()),
                    None => body
                        .find(|c: char| c.is_whitespace() || c == '/')
                        .unwrap_or(body.len()),
                };
                let mut out = String::new();
                decode_into(&mut out, &body[..end]);
                return Some(out);
            }
        }
        search = after;
    }
    None
}

/// The entity at the start of `text` (which starts with `&`): its character and length in bytes.
fn decode_entity(text: &str) -> Option<(char, usize)> {
    let end = text[1..]
        .char_indices()
        .take(10)
        .find(|(_, c)| *c == ';')
        .map(|(i, _)| i + 1)?;
    entity(&text[1..end]).map(|c| (c, end + 1))
}

/// Append `text` with HTML entities decoded (named ones we emit and numeric ones; others kept).
fn decode_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match decode_entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_headings_with_ids_and_skips_anchors() {
        let html = "<p>Innledning om <em>tilgang</em>.</p>\n<h2 id=\"nokler\">API-nøkler<a class=\"anchor\" data-pagefind-ignore href=\"#nokler\">#</a></h2>\n<p>Bruk &lt;nøkkel&gt; &amp; token&#39;s.</p><script>var x = 1;</script><h3>Uten id</h3><p>mer</p>";
        let s = sections(html);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].anchor, "");
        assert_eq!(s[0].text, "Innledning om tilgang.");
        assert_eq!(s[1].anchor, "nokler");
        assert_eq!(s[1].heading, "API-nøkler");
        assert_eq!(s[1].text, "Bruk <nøkkel> & token's. Uten id mer");
    }

    #[test]
    fn block_tags_separate_words_and_inline_tags_do_not() {
        let s = sections("<p>en</p><p>to</p><code><span>cu</span>rl</code> a < b");
        assert_eq!(s[0].text, "en to curl a < b");
    }

    /// Issue 22: excerpts glued table cells together ("NavnITypePåkrevd").
    #[test]
    fn table_cells_and_line_breaks_separate_words() {
        let s = sections(
            "<table><tr><th>Navn</th><th>Type</th></tr><tr><td><code>id</code></td><td>streng</td></tr></table><p>a<br>b</p><ul><li>en</li><li>to</li></ul>",
        );
        assert_eq!(s[0].text, "Navn Type id streng a b en to");
    }

    /// Raw HTML in Markdown may write tags in upper case: they count as their lower-case names.
    #[test]
    fn upper_case_tags_count_as_their_lower_case_names() {
        let s = sections("<P>en</P><SCRIPT>x</SCRIPT><H2 id=\"b\">To</H2><EM>t</EM>re");
        assert_eq!(s[0].text, "en");
        assert_eq!(s[1].heading, "To");
        assert_eq!(s[1].text, "tre");
    }

    /// Whitespace is collapsed as `split_whitespace` would: Unicode spaces, vertical tab and
    /// entities included, one space between words, none at either end.
    #[test]
    fn whitespace_collapses_like_split_whitespace() {
        for text in [
            " a  b\u{a0} c\t\nd \u{2003}e\u{b}f ",
            "a b c",
            "æ ø\u{a0}å  Å",
            "x \u{a0}y",
            "  ",
            "",
            "ord\u{3000}ord\u{85}",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(sections(text)[0].text, expected, "{text:?}");
            let wrapped = format!("<p>{text}</p><p>{text}</p>");
            let twice = format!("{expected} {expected}");
            assert_eq!(sections(&wrapped)[0].text, twice.trim(), "{text:?}");
        }
        let s = sections("<p>a&nbsp; &#x2003;b&#32;&#32;c</p>");
        assert_eq!(s[0].text, "a b c");
    }

    #[test]
    fn unterminated_tags_and_entities_do_not_panic() {
        for html in [
            "<h2 id=\"x",
            "<p>&#xFFFFFFFF; &; &#;",
            "<",
            "<<>>",
            "æ<ø",
            "<h2 id=>å</h2>",
        ] {
            let _ = sections(html);
        }
    }
}
