//! The excerpt Docusaurus gives a doc without a front matter `description` (`@docusaurus/utils`
//! `markdownUtils.ts`, `createExcerpt`): the first line of the body that is not blank, an
//! `import`/`export` block, fenced code or an `# h1`, with Markdown and HTML taken out. It is the
//! doc's description: its meta description and the text of its card on a generated index page.
//! Line by line as Docusaurus does it, not through the Markdown parser, so the same line wins.

use super::text;

/// The excerpt of a page body (after its front matter), if any line has text.
pub fn docusaurus_excerpt(body: &str) -> Option<String> {
    let body = body.trim_start();
    // A setext title (`Title` then `===`) is left out.
    let body = match body.split_once('\n') {
        Some((_, rest)) if rest.starts_with('=') => {
            let rest = rest.trim_start_matches('=');
            rest.strip_prefix('\n').unwrap_or(rest)
        }
        _ => body,
    };
    let mut in_import = false;
    let mut fence: Option<usize> = None;
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            in_import = false;
            continue;
        }
        if fence.is_none()
            && (in_import || line.starts_with("import ") || line.starts_with("export "))
        {
            in_import = true;
            continue;
        }
        if trimmed.starts_with("```") {
            let run = trimmed.bytes().take_while(|&b| b == b'`').count();
            fence = match fence {
                None => Some(run),
                Some(open) if run >= open => None,
                open => open,
            };
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let cleaned = clean(line);
        if !cleaned.is_empty() {
            return Some(cleaned);
        }
    }
    None
}

/// One line without its Markdown, in the order of `createExcerpt`'s replacements.
fn clean(line: &str) -> String {
    let line = without_tags(line);
    // `# Title` (an h1, up to a `#`) goes; other headings keep their text.
    let line = match line.strip_prefix('#') {
        Some(rest) if !rest.starts_with('#') && !rest.is_empty() => match rest.find('#') {
            Some(at) => text::from(rest, at + 1).to_string(),
            None => String::new(),
        },
        _ => line,
    };
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let line = if (1..=6).contains(&hashes) {
        text::from(&line, hashes).trim_start().to_string()
    } else {
        line
    };
    let line = without_emphasis(&line);
    let line = without_links(&line);
    let line = line.replace('`', "");
    let line = match line.trim_start().strip_prefix('>') {
        Some(rest) if line.len() - line.trim_start().len() <= 3 => {
            rest.strip_prefix(' ').unwrap_or(rest).to_string()
        }
        _ => line,
    };
    let line = match line.find(":::") {
        Some(at) => text::between(&line, 0, at).to_string(),
        None => line,
    };
    let line = without_colon_names(&line);
    without_heading_id(&line).trim().to_string()
}

/// `<…>` taken out.
fn without_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find('<') {
        out.push_str(text::between(rest, 0, at));
        match text::from(rest, at).find('>') {
            Some(end) => rest = text::from(rest, at + end + 1),
            None => {
                rest = text::from(rest, at);
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `*a*`, `__b__`, `***c***`: the text kept, the markers taken out (the first closing run of the
/// same markers ends it).
fn without_emphasis(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    'outer: while i < line.len() {
        let run = line[i..]
            .bytes()
            .take_while(|&b| b == b'*' || b == b'_')
            .count()
            .min(3);
        for n in (1..=run).rev() {
            let marker = &line[i..i + n];
            if let Some(end) = line[i + n..].find(marker) {
                out.push_str(&line[i + n..i + n + end]);
                i += n + end + n;
                continue 'outer;
            }
        }
        let c = text::from(line, i).chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Images and links keep their text, footnote references go (a footnote definition with the rest
/// of its line).
fn without_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find('[') {
        let before = text::between(rest, 0, at);
        let after = text::from(rest, at + 1);
        let Some(close) = after.find(']') else {
            break;
        };
        let label = text::between(after, 0, close);
        let tail = text::from(after, close + 1);
        if label.starts_with('^') && close > 1 {
            out.push_str(before);
            rest = if tail.starts_with(": ") { "" } else { tail };
            continue;
        }
        let destination = tail
            .strip_prefix('(')
            .and_then(|t| t.find(')').map(|e| text::from(t, e + 1)))
            .or_else(|| {
                tail.strip_prefix('[')
                    .and_then(|t| t.find(']').map(|e| text::from(t, e + 1)))
            });
        match destination {
            Some(next) => {
                out.push_str(before.strip_suffix('!').unwrap_or(before));
                out.push_str(label);
                rest = next;
            }
            None => {
                out.push_str(text::between(rest, 0, at + 1));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `:name:` (an emoji name) with one space before it taken out; as Docusaurus's pattern, any text
/// between two colons on the line goes.
fn without_colon_names(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(':') {
        let after = text::from(rest, at + 1);
        match after.find(':').filter(|&end| end > 0) {
            Some(end) => {
                let before = text::between(rest, 0, at);
                let before = before
                    .strip_suffix(|c: char| c.is_whitespace())
                    .unwrap_or(before);
                out.push_str(before);
                rest = text::from(after, end + 1);
            }
            None => {
                out.push_str(text::between(rest, 0, at + 1));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first `{#id}` taken out.
fn without_heading_id(line: &str) -> String {
    let mut from = 0;
    while let Some(at) = text::from(line, from).find('{') {
        let start = from + at;
        let inner = text::from(line, start + 1);
        let inner_trimmed = inner.trim_start_matches('#');
        let word = inner_trimmed
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(inner_trimmed.len());
        if word > 0 && text::from(inner_trimmed, word).starts_with('}') {
            let end = start + 1 + (inner.len() - inner_trimmed.len()) + word + 1;
            return format!("{}{}", text::between(line, 0, start), text::from(line, end));
        }
        from = start + 1;
    }
    line.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_with_text_without_its_markdown() {
        let e = |s: &str| docusaurus_excerpt(s).unwrap_or_default();
        assert_eq!(
            e("# GraphQL\n\nFilnavnet begynner som en *dato*.\nAndre linje.\n"),
            "Filnavnet begynner som en dato."
        );
        assert_eq!(
            e("import A from 'a';\nimport B from 'b';\n\n# T\n\n```js\nkode\n```\nSe [her](x.md) og ![bilde](b.png) `kode`[^1].\n"),
            "Se her og bilde kode."
        );
        assert_eq!(
            e("# Faner\n\n<Tabs groupId=\"os\">\n<TabItem value=\"l\">\n\n## Oppsett på Linux\n"),
            "Oppsett på Linux"
        );
        assert_eq!(
            e("Tittel\n===\n\n> Sitat med **fet** tekst :tada:\n"),
            "Sitat med fet tekst"
        );
        assert_eq!(e(":::note\nInni boksen\n:::\n"), "Inni boksen");
        assert_eq!(e("## Overskrift {#egen-id}\n"), "Overskrift");
        assert_eq!(docusaurus_excerpt("\n\n```\nbare kode\n```\n"), None);
    }
}
