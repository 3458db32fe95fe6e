//! Element ids in raw HTML and JSX: every element id is a link target, as in a browser
//! (<https://html.spec.whatwg.org/multipage/browsing-the-web.html#the-indicated-part-of-the-document>):
//! `id="x"` on any element, `name="x"` on `<a>`, and the JSX forms `id={"x"}`, `id={'x'}` and
//! ``id={`x`}`` (MDX). Heading ids (`{#custom-id}` included) are recorded with the headings.

/// Append the ids that the start tags in `html` give to their elements.
pub(super) fn collect(html: &str, out: &mut Vec<String>) {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at + 1;
        i = start;
        if html[start..].starts_with("!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |n| start + n + 3);
            continue;
        }
        // A start tag: `<` and a letter (not `</`, `<!--`, `<?`).
        if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |n| start + n);
        let is_anchor = html[start..name_end].eq_ignore_ascii_case("a");
        i = attributes(html, name_end, is_anchor, out);
    }
}

/// Read the attributes of one start tag from `pos`; returns where the tag ends.
fn attributes(html: &str, mut pos: usize, is_anchor: bool, out: &mut Vec<String>) -> usize {
    let bytes = html.as_bytes();
    loop {
        while bytes
            .get(pos)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            pos += 1;
        }
        match bytes.get(pos) {
            None => return pos,
            Some(b'>') => return pos + 1,
            Some(b'<') => return pos,
            _ => {}
        }
        let name_start = pos;
        while bytes
            .get(pos)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/' | b'<'))
        {
            pos += 1;
        }
        let name = &html[name_start..pos];
        if pos == name_start {
            // A stray `=`: skip it so the loop moves on.
            pos += 1;
            continue;
        }
        while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        if bytes.get(pos) != Some(&b'=') {
            continue;
        }
        pos += 1;
        while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        let (value, end) = value(html, pos);
        pos = end;
        let wanted =
            name.eq_ignore_ascii_case("id") || (is_anchor && name.eq_ignore_ascii_case("name"));
        if let Some(v) = value.filter(|v| wanted && !v.is_empty()) {
            out.push(v.to_string());
        }
    }
}

/// One attribute value from `pos`: quoted, a JSX string expression, or unquoted. `None` for a
/// JSX expression that is not a plain string (its value is not known before the page runs).
fn value(html: &str, pos: usize) -> (Option<&str>, usize) {
    let bytes = html.as_bytes();
    let quoted = |from: usize, quote: u8| {
        let body = from + 1;
        match html[body..].find(quote as char) {
            Some(n) => (Some(&html[body..body + n]), body + n + 1),
            None => (None, html.len()),
        }
    };
    match bytes.get(pos) {
        Some(q @ (b'"' | b'\'')) => quoted(pos, *q),
        Some(b'{') => {
            let close = html[pos..].find('}').map_or(html.len(), |n| pos + n);
            let inner = html[pos + 1..close].trim();
            let end = (close + 1).min(html.len());
            let plain = inner.len() >= 2
                && matches!(inner.as_bytes()[0], b'"' | b'\'' | b'`')
                && inner.as_bytes()[inner.len() - 1] == inner.as_bytes()[0]
                && !inner[1..inner.len() - 1].contains(['"', '\'', '`', '$']);
            (plain.then(|| &inner[1..inner.len() - 1]), end)
        }
        _ => {
            let end = html[pos..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .map_or(html.len(), |n| pos + n);
            (Some(&html[pos..end]), end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::collect;

    fn ids(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        collect(html, &mut out);
        out
    }

    #[test]
    fn every_element_id_and_anchor_name_is_a_target() {
        assert_eq!(
            ids(r#"<a id="get-users"></a><a name='old-name'></a><div class="x" id=plain>"#),
            ["get-users", "old-name", "plain"]
        );
        assert_eq!(ids(r#"<span data-id="no" name="no" ID="Yes">"#), ["Yes"]);
    }

    #[test]
    fn jsx_string_ids_count_and_expressions_do_not() {
        assert_eq!(
            ids(r#"<Tabs id={"a"} /><div id={'b'}><p id={`c`}><p id={props.id}><p id={`x-${n}`}>"#),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn closing_tags_comments_and_text_give_no_ids() {
        assert!(ids(r#"</a id="x"> <!-- <a id="y"> --> id="z" a < b"#).is_empty());
    }
}
