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

/// Inline elements: their tags do not separate words.
const INLINE: [&str; 17] = [
    "a", "abbr", "b", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small", "span",
    "strong", "sub", "sup", "u",
];

/// Split `html` into sections at every `<h2>`…`<h6>` that has an id (an `<h1>` is the page title and
/// starts no section).
pub fn sections(html: &str) -> Vec<Section> {
    let mut out = vec![Section::default()];
    let mut in_heading: Option<String> = None;
    // While set, text is dropped until this closing tag.
    let mut skip_until: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, in_heading.is_some(), skip_until.is_some(), rest);
            break;
        };
        push_text(
            &mut out,
            in_heading.is_some(),
            skip_until.is_some(),
            &rest[..lt],
        );
        rest = &rest[lt..];
        let Some(gt) = tag_end(rest) else {
            // A `<` that opens no tag is text.
            push_text(&mut out, in_heading.is_some(), skip_until.is_some(), "<");
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
            && (name == "script" || name == "style" || tag.contains("data-pagefind-ignore"))
            && !tag.ends_with('/')
        {
            skip_until = Some(name.into_owned());
            continue;
        }
        let level = heading_level(&name);
        if level.is_some() && !closing {
            if let Some(id) = attribute(tag, "id") {
                out.push(Section {
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
        if !INLINE.contains(&&*name) {
            push_text(&mut out, in_heading.is_some(), false, " ");
        }
    }
    for section in &mut out {
        section.text = collapse(&section.text);
        section.heading = collapse(&section.heading);
    }
    out
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
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
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

fn push_text(out: &mut [Section], heading: bool, skipping: bool, text: &str) {
    if skipping || text.is_empty() {
        return;
    }
    let Some(section) = out.last_mut() else {
        return;
    };
    let target = if heading {
        &mut section.heading
    } else {
        &mut section.text
    };
    decode_into(target, text);
}

/// Append `text` with HTML entities decoded (named ones we emit and numeric ones; others kept).
fn decode_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .char_indices()
            .take(10)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i + 1);
        let decoded = end.and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
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

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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
