//! Docusaurus markup: admonitions (`:::note Tittel` … `:::`) become our admonition boxes and MDX
//! comments (`{/* … */}`) become HTML comments, through the shared [`Builder`]. A heading that
//! ends in an MDX comment naming an id (`## Tittel {/* #mitt-id */}`, Docusaurus 3.9's
//! `mdx-comment` heading-id syntax, `@docusaurus/utils` `markdownUtils.ts`) gets that id, written
//! as the classic `{#mitt-id}`.

use super::components;
use super::rewrite::{Builder, Found};
use super::text;

/// Block-level tags as MDX reads them (Docusaurus `markdown.format: 'mdx'`, its default in v3, for
/// `.md` files too): a line of tags that starts a block ends that block at its line's end, where
/// CommonMark keeps an HTML block open up to the next blank line. So `</table>` + `<a id="x"></a>`
/// + `#### Tittel` with no blank line between is a heading under MDX; a blank line is put before
///   such a line so that CommonMark reads it the same way. Lines of tags inside a paragraph are
///   text-level (`micromark-extension-mdx-jsx`, flow vs text), so only a run of tag lines that
///   starts a block counts.
#[derive(Debug)]
pub(super) struct Flow {
    previous_blank: bool,
    in_tags: bool,
    after_tags: bool,
}

impl Default for Flow {
    fn default() -> Flow {
        Flow {
            previous_blank: true,
            in_tags: false,
            after_tags: false,
        }
    }
}

impl Flow {
    /// Take the next line outside fenced code; `true` when a blank line must go before it.
    pub(super) fn blank_before(&mut self, line: &str) -> bool {
        let content = line.trim();
        let tag = starts_with_tag(content);
        let blank = !content.is_empty() && !tag && self.after_tags;
        self.in_tags = tag && (self.previous_blank || self.in_tags);
        self.after_tags = self.in_tags && content.ends_with('>');
        self.previous_blank = content.is_empty();
        blank
    }

    /// A line of fenced code: no block of tags goes on across it.
    pub(super) fn code(&mut self) {
        *self = Flow {
            previous_blank: false,
            ..Flow::default()
        };
    }
}

/// `<name …`, `</name>`, `<name/>`: an element, not an autolink (`<https://…>`) or a comment.
fn starts_with_tag(content: &str) -> bool {
    let Some(rest) = content.strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        .unwrap_or(rest.len());
    name > 0
        && rest.starts_with(|c: char| c.is_ascii_alphabetic())
        && text::from(rest, name)
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
}

/// Admonitions and MDX comments still open, and the JSX components met that we cannot render.
#[derive(Debug, Default)]
pub(super) struct State {
    open: usize,
    in_comment: bool,
    /// What the page's `import` lines bring in: (name, module).
    imports: Vec<(String, String)>,
    /// (name, offset of its first use, uses), in order of first use.
    components: Vec<(String, usize, usize)>,
    /// The `<Tabs>` open around the current line, innermost last.
    tabs: Vec<TabsProps>,
}

/// What a `<Tabs>` tells its `<TabItem>`s (theme-common `tabsUtils.tsx`): `values` (each with its
/// label and `default`), which replace the items' own labels, and `defaultValue`, which wins over
/// the items' `default`.
#[derive(Debug, Default)]
struct TabsProps {
    values: Option<Vec<TabValue>>,
    default_value: Option<String>,
}

#[derive(Debug)]
struct TabValue {
    value: String,
    label: Option<String>,
    default: bool,
}

impl State {
    /// Inside an MDX comment: lines come here until it closes.
    pub(super) fn in_comment(&self) -> bool {
        self.in_comment
    }

    /// Close admonitions left open at the end of the page, and report the components that could
    /// not run: one finding per name, with its uses (merged over the site by `check`).
    pub(super) fn finish(&mut self, b: &mut Builder, end: usize, found: &mut Vec<Found>) {
        for _ in 0..std::mem::take(&mut self.open) {
            b.replace(end, 0, components::CLOSE_DIV);
        }
        for (name, offset, uses) in std::mem::take(&mut self.components) {
            let from = self
                .imports
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, module)| format!(" (imported from `{module}`)"))
                .unwrap_or_default();
            found.push(Found {
                offset,
                rule: COMPONENT_RULE,
                message: format!("the MDX component `{name}`{from} is a React component, which intark-docs does not run; what is written inside it is shown as Markdown, and what the component itself would add is left out"),
                tally: Some((name, uses)),
            });
        }
    }
}

/// The rule of findings about MDX components that are not rendered.
pub(super) const COMPONENT_RULE: &str = "mdx-component";

/// Count the JSX components a line opens outside inline code, link destinations and backslash
/// escapes (`<Name …`: MDX reads a tag whose name starts with a capital letter, or holds a dot, as
/// a component, `micromark-extension-mdx-jsx` and `@mdx-js/mdx`'s `recma-jsx-rewrite`; lower-case
/// names are HTML elements; `\<X\>` and `](…<X>…)` are text).
pub(super) fn components_of_line(offset: usize, line: &str, state: &mut State) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i..].starts_with(b"](") {
            // A link destination, up to its balanced `)`.
            let mut depth = 0usize;
            let mut j = i + 2;
            while j < bytes.len() {
                match bytes[j] {
                    b'\\' => j += 1,
                    b'(' => depth += 1,
                    b')' if depth == 0 => break,
                    b')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if bytes[i] == b'`' {
            // An inline code span: up to the next run of as many backticks, else the line's end.
            let run = bytes[i..].iter().take_while(|&&c| c == b'`').count();
            let fence = &line[i..i + run];
            i = match line[i + run..].find(fence) {
                Some(end) => i + run + end + run,
                None => bytes.len(),
            };
            continue;
        }
        if bytes[i] == b'<' && bytes.get(i + 1).is_some_and(u8::is_ascii_uppercase) {
            let rest = &line[i + 1..];
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            let after = rest[len..].chars().next();
            if after.is_none_or(|c| c.is_whitespace() || c == '>' || c == '/') {
                let name = &rest[..len];
                match state.components.iter_mut().find(|(n, _, _)| n == name) {
                    Some(entry) => entry.2 += 1,
                    None => state.components.push((name.to_string(), offset + i, 1)),
                }
            }
            i += 1 + len;
            continue;
        }
        i += 1;
    }
}

/// A heading line ending in `{/* #id */}`: the comment becomes `{#id}`. Returns false (nothing
/// written) for other lines. As Docusaurus's pattern `\s*\{/\*\s*#(\S+)\s*\*/\}$`.
pub(super) fn heading_id(b: &mut Builder, offset: usize, line: &str) -> bool {
    let Some(id_at) = heading_comment_id(line) else {
        return false;
    };
    let (at, id) = id_at;
    let body_end = line.trim_end().len();
    b.verbatim(offset, text::between(line, 0, at));
    b.replace(offset + at, body_end - at, &format!("{{#{id}}}"));
    b.verbatim(offset + body_end, text::from(line, body_end));
    true
}

/// Where the closing `{/* #id */}` of an ATX heading line starts, and the id.
fn heading_comment_id(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let hashes = trimmed.bytes().take_while(|&c| c == b'#').count();
    if !(1..=6).contains(&hashes) || !text::from(trimmed, hashes).starts_with([' ', '\t']) {
        return None;
    }
    let body = line.trim_end();
    let inner_end = body.strip_suffix("*/}")?.len();
    let at = body.rfind("{/*")?;
    if at + 3 > inner_end {
        return None;
    }
    let id = text::between(body, at + 3, inner_end)
        .trim()
        .strip_prefix('#')?
        .trim_end();
    (!id.is_empty() && !id.contains(char::is_whitespace)).then_some((at, id))
}

/// An MDX line that Docusaurus renders through React, rendered statically: `import` lines are
/// dropped (MDX ESM), `<Tabs>`/`<TabItem label=… value=…>` become our tab set and panels,
/// `<Admonition type=… title=…>` our admonition box; each tag alone on its line, as Docusaurus's
/// docs write them. Returns false (nothing written) for other lines.
pub(super) fn jsx_line(
    b: &mut Builder,
    offset: usize,
    line: &str,
    ui: crate::i18n::Ui<'_>,
    state: &mut State,
) -> bool {
    let trimmed = line.trim();
    let replacement = if is_import(trimmed) {
        state.imports.extend(imported(trimmed));
        String::from("\n")
    } else if let Some(attrs) = tag(trimmed, "Tabs") {
        let group = attr(attrs, "groupId");
        state.tabs.push(TabsProps {
            values: js_prop(attrs, "values").map(tab_values),
            default_value: attr(attrs, "defaultValue").map(str::to_string),
        });
        // `queryString`: a string names the URL parameter, `true` (or bare) the group's id.
        let query = attr(attrs, "queryString")
            .or_else(|| flag(attrs, "queryString").then_some(group).flatten());
        components::docusaurus_tabs_open(group, query)
    } else if let Some(attrs) = tag(trimmed, "TabItem") {
        let value = attr(attrs, "value").unwrap_or_default();
        let props = state.tabs.last();
        let listed = props
            .and_then(|p| p.values.as_ref())
            .map(|values| values.iter().find(|v| v.value == value));
        let label = match listed {
            Some(entry) => entry.and_then(|v| v.label.as_deref()).unwrap_or(value),
            None => attr(attrs, "label").unwrap_or(value),
        };
        let default = match (props.and_then(|p| p.default_value.as_deref()), listed) {
            (Some(chosen), _) => chosen == value,
            (None, Some(entry)) => entry.is_some_and(|v| v.default),
            (None, None) => flag(attrs, "default"),
        };
        components::docusaurus_tab_open(label, value, default)
    } else if trimmed == "</Tabs>" {
        state.tabs.pop();
        components::CLOSE_DIV.to_string()
    } else if let Some(attrs) = tag(trimmed, "Admonition") {
        let kind = components::kind_of(attr(attrs, "type").unwrap_or("note"));
        let title = attr(attrs, "title").unwrap_or(components::default_title(kind, ui));
        components::admonition_open(kind, title)
    } else if matches!(trimmed, "</TabItem>" | "</Admonition>") {
        components::CLOSE_DIV.to_string()
    } else {
        return false;
    };
    b.replace(offset, line.len(), &replacement);
    true
}

/// The rule of an MDX import of a Markdown partial that cannot be inlined.
pub(super) const IMPORT_RULE: &str = "mdx-import";

/// How deep partials may import partials.
pub(super) const MAX_PARTIAL_DEPTH: usize = 8;

/// An imported Markdown partial: the name it is bound to, the module (a file of the site: relative,
/// or `@site/…`) and the offset of its `import` line.
#[derive(Debug, Clone)]
pub(super) struct PartialImport {
    pub(super) name: String,
    pub(super) module: String,
    pub(super) offset: usize,
}

/// The Markdown partials `source` imports outside fenced code (`import X from './_x.md'`, `.md` or
/// `.mdx`, the module a JavaScript string, so `'./\_x.md'` is `./_x.md`). MDX imports are ES module
/// imports, in force on the whole page wherever the line is.
pub(super) fn partial_imports(source: &str) -> Vec<PartialImport> {
    let mut found = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |c| trimmed.chars().take_while(|&x| x == c).count());
        match (fence, marker) {
            (Some((c, n)), Some(m))
                if m == c && run >= n && text::from(trimmed, run).trim().is_empty() =>
            {
                fence = None;
            }
            (None, Some(m)) if run >= 3 => fence = Some((m, run)),
            (None, _) if is_import(trimmed) => {
                for (name, module) in imported(trimmed) {
                    let module = js_unescape(&module);
                    let own = module.starts_with("./")
                        || module.starts_with("../")
                        || module.starts_with("@site/");
                    if own && (module.ends_with(".md") || module.ends_with(".mdx")) {
                        found.push(PartialImport {
                            name,
                            module,
                            offset,
                        });
                    }
                }
            }
            _ => {}
        }
        offset += line.len();
    }
    found
}

/// A JavaScript string's escapes: `\x` is `x` (`\_` → `_`, `\\` → `\`), `\n` and `\t` their
/// characters.
fn js_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// The source of a JSX expression attribute, `name={…}`, without its braces (braces and quotes
/// inside are balanced).
fn js_prop<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0 || rest[..at].ends_with(char::is_whitespace);
        let after = rest[at + name.len()..].trim_start();
        if let (true, Some(value)) = (before_ok, after.strip_prefix('=')) {
            let value = value.trim_start().strip_prefix('{')?;
            return balanced(value).map(|end| &value[..end]);
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// The length of `text` up to the `}` that closes an already open `{`, skipping quoted strings.
fn balanced(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '{' | '[' | '(' => depth += 1,
                '}' if depth == 0 => return Some(i),
                '}' | ']' | ')' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    None
}

/// The entries of a `values={[{label: 'A', value: 'a', default: true}, …]}` array, as far as
/// they are written with literal strings.
fn tab_values(source: &str) -> Vec<TabValue> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        let body = &rest[open + 1..];
        let Some(end) = balanced(body) else {
            break;
        };
        let object = &body[..end];
        if let Some(value) = js_string(object, "value") {
            out.push(TabValue {
                value: value.to_string(),
                label: js_string(object, "label").map(str::to_string),
                default: js_key(object, "default")
                    .is_some_and(|v| v.trim_start().starts_with("true")),
            });
        }
        rest = &body[end + 1..];
    }
    out
}

/// A line that is only the use of an imported partial, `<Name />` (with props or not): the import.
pub(super) fn partial_use<'a>(
    line: &str,
    imports: &'a [PartialImport],
) -> Option<&'a PartialImport> {
    let inner = line.trim().strip_prefix('<')?.strip_suffix("/>")?;
    let name = inner.split(|c: char| c.is_whitespace()).next()?;
    imports.iter().find(|i| i.name == name)
}

/// A partial's Markdown file links (`](./a.md)`, `](../b/c.mdx#x)`) as Docusaurus resolves them: from
/// the partial's own folder (`dir`, relative to the site root), which MDX compiles as a file of its
/// own; written from the site root (`/docs/delt/a.md`) so that they resolve the same from the page
/// that imports it. Fenced code is left alone.
pub(super) fn rebase_links(text: &str, dir: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<(char, usize)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |c| trimmed.chars().take_while(|&x| x == c).count());
        match (fence, marker) {
            (Some((c, n)), Some(m)) if m == c && run >= n => {
                fence = None;
                out.push_str(line);
                continue;
            }
            (Some(_), _) => {
                out.push_str(line);
                continue;
            }
            (None, Some(m)) if run >= 3 => {
                fence = Some((m, run));
                out.push_str(line);
                continue;
            }
            _ => {}
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            let end = rest.find([')', ' ', '\t', '\n']).unwrap_or(rest.len());
            let dest = &rest[..end];
            let path = dest.split(['#', '?']).next().unwrap_or(dest);
            let relative =
                !dest.starts_with('/') && !dest.starts_with('#') && !dest.contains("://");
            let markdown = path.ends_with(".md") || path.ends_with(".mdx");
            match (relative && markdown)
                .then(|| crate::relpath::normalise(&format!("{dir}/{dest}")))
                .flatten()
            {
                Some(rebased) => out.push_str(&format!("/{rebased}")),
                None => out.push_str(dest),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
    }
    out
}

/// A partial's text without its front matter (Docusaurus reads it as the partial's, not shown).
pub(super) fn partial_body(text: &str) -> &str {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        at += line.len();
        if line.trim_end() == "---" {
            return &rest[at..];
        }
    }
    text
}

/// What follows `key:` in an object literal's source (the key bare or quoted).
fn js_key<'a>(object: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = object;
    while let Some(at) = rest.find(key) {
        let before = rest[..at].trim_end_matches(['\'', '"']);
        let after = rest[at + key.len()..]
            .trim_start_matches(['\'', '"'])
            .trim_start();
        let starts_key = before.is_empty() || before.ends_with([',', '{', ' ', '\n', '\t']);
        if let (true, Some(value)) = (starts_key, after.strip_prefix(':')) {
            return Some(value);
        }
        rest = &rest[at + key.len()..];
    }
    None
}

/// A property's value when it is a string literal (`'a'`, `"a"`, `` `a` `` without `${`).
fn js_string<'a>(object: &'a str, key: &str) -> Option<&'a str> {
    let value = js_key(object, key)?.trim_start();
    let quote = value
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let body = &value[1..];
    let text = &body[..body.find(quote)?];
    (!text.contains("${")).then_some(text)
}

/// How many lines one component's opening tag may span.
pub(super) const MAX_TAG_LINES: usize = 64;

/// Whether `text` starts a Docusaurus component's opening tag (`<Tabs`, `<TabItem`,
/// `<Admonition`) that its line does not close: its attributes go on over the next lines.
pub(super) fn jsx_open(text: &str) -> bool {
    let Some(tag) = text.trim_start().strip_prefix('<') else {
        return false;
    };
    let Some(rest) = ["Tabs", "TabItem", "Admonition"]
        .iter()
        .find_map(|name| tag.strip_prefix(name))
    else {
        return false;
    };
    rest.starts_with(char::is_whitespace) && !jsx_closed(rest)
}

/// Whether an opening tag's attributes (`rest`, after the name) reach its `>`, outside braces and
/// quotes.
fn jsx_closed(rest: &str) -> bool {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in rest.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                // Strings: attribute values, and inside braces JavaScript's three kinds.
                '`' if depth > 0 => quote = Some(c),
                '"' | '\'' => quote = Some(c),
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                '>' if depth == 0 => return true,
                _ => {}
            },
        }
    }
    false
}

/// `import X from 'y';`, `import {a, b} from "y"`, `import 'y';` (one line).
fn is_import(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("import ") else {
        return false;
    };
    let rest = rest.trim_end_matches(';').trim_end();
    let quoted = |s: &str| {
        (s.starts_with('\'') && s.ends_with('\'')) || (s.starts_with('"') && s.ends_with('"'))
    };
    quoted(rest)
        || rest
            .rsplit_once(" from ")
            .is_some_and(|(_, source)| quoted(source.trim()))
}

/// The names an `import` line binds, with the module: `import A from 'm'`, `import {B, C as D}
/// from 'm'`, `import A, {B} from 'm'`.
fn imported(line: &str) -> Vec<(String, String)> {
    let Some((names, module)) = line
        .strip_prefix("import ")
        .and_then(|rest| rest.rsplit_once(" from "))
    else {
        return Vec::new();
    };
    let module = module
        .trim()
        .trim_end_matches(';')
        .trim_end()
        .trim_matches(['\'', '"']);
    names
        .split([',', '{', '}'])
        .filter_map(|part| {
            let name = part.split(" as ").last()?.trim();
            (!name.is_empty() && name != "*").then(|| (name.to_string(), module.to_string()))
        })
        .collect()
}

/// The attributes of an opening tag `<Name …>` that is the whole line.
fn tag<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line.strip_prefix('<')?.strip_prefix(name)?;
    if !(rest.starts_with('>') || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    rest.strip_suffix('>')
}

/// A boolean attribute written bare (`default`) or as `default={true}`.
fn flag(attrs: &str, name: &str) -> bool {
    attrs
        .split(|c: char| c.is_whitespace() || c == '/')
        .any(|word| word == name || word == format!("{name}={{true}}"))
}

/// A quoted attribute value (`label="Linux"` or `label='Linux'`).
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0 || rest[..at].ends_with(char::is_whitespace);
        let after = rest[at + name.len()..].trim_start();
        if let (true, Some(value)) = (before_ok, after.strip_prefix('=')) {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let body = &value[1..];
                return body.find(quote).map(|end| &body[..end]);
            }
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// Whether a line holds an MDX comment delimiter (or one is open).
pub(super) fn comment_line(line: &str, state: &State) -> bool {
    state.in_comment || line.contains("{/*")
}

/// Turn the MDX comment delimiters of one line into HTML comment delimiters, keeping the comment's
/// text verbatim.
pub(super) fn comments(b: &mut Builder, offset: usize, line: &str, state: &mut State) {
    let mut pos = 0;
    loop {
        let (needle, replacement) = if state.in_comment {
            ("*/}", "-->")
        } else {
            ("{/*", "<!--")
        };
        match text::find_from(line, pos, needle) {
            Some(at) => {
                b.verbatim(offset + pos, text::between(line, pos, at));
                b.replace(offset + at, needle.len(), replacement);
                pos = at + needle.len();
                state.in_comment = !state.in_comment;
            }
            None => {
                b.verbatim(offset + pos, text::from(line, pos));
                return;
            }
        }
    }
}

/// A `:::` line: an admonition opens or closes. Returns false (nothing written) for other lines.
pub(super) fn admonition(
    b: &mut Builder,
    offset: usize,
    line: &str,
    state: &mut State,
    ui: crate::i18n::Ui<'_>,
) -> bool {
    let trimmed = line.trim_start();
    let indent = text::between(line, 0, line.len() - trimmed.len());
    let Some(rest) = trimmed.trim_end().strip_prefix(":::") else {
        return false;
    };
    let replacement = if rest.trim().is_empty() && state.open > 0 {
        state.open -= 1;
        format!("{indent}\n{indent}{}\n\n", components::CLOSE)
    } else if let Some((kind, title)) = opening(rest, ui) {
        state.open += 1;
        format!("{indent}{}", components::admonition_open(kind, &title))
    } else {
        return false;
    };
    b.replace(offset, line.len(), &replacement);
    true
}

/// `note Tittel`, `tip[Tittel]`, `warning` → (kind, title).
fn opening(rest: &str, ui: crate::i18n::Ui<'_>) -> Option<(&'static str, String)> {
    let name_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    let name = text::between(rest, 0, name_len);
    let kind = components::KINDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))?;
    let after = text::from(rest, name_len).trim();
    let title = after
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(after)
        .trim();
    let title = if title.is_empty() {
        components::default_title(kind, ui)
    } else {
        title
    };
    Some((kind, title.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mdx_tabs_admonitions_and_imports() {
        let run = |line: &str| {
            let mut b = Builder::default();
            let done = jsx_line(
                &mut b,
                0,
                line,
                crate::i18n::Ui::default(),
                &mut State::default(),
            );
            (done, b.into_text())
        };
        assert_eq!(
            run("import Tabs from '@theme/Tabs';\n"),
            (true, "\n".into())
        );
        assert!(run("import {a, b} from \"x\"\n").0);
        assert!(!run("import is a word here\n").0);
        assert!(run("<Tabs groupId=\"os\">\n")
            .1
            .contains("markdown/tabs.html"));
        let (_, item) = run("  <TabItem value=\"lin\" label=\"Linux\" default>\n");
        assert!(
            item.contains("\"label\":\"Linux\"")
                && item.contains("\"value\":\"lin\"")
                && item.contains("\"default\":\"true\""),
            "{item}"
        );
        let (_, item) = run("<TabItem value='mac'>\n");
        assert!(
            item.contains("\"label\":\"mac\"") && !item.contains("default"),
            "{item}"
        );
        assert!(run("<Tabs groupId=\"os\">\n")
            .1
            .contains("\"group_id\":\"os\""));
        assert!(run("<Tabs>\n").1.contains("\"independent\":\"true\""));
        let (_, adm) = run("<Admonition type=\"warning\" title=\"Pass på\">\n");
        assert!(
            adm.contains("\"kind\":\"warning\"") && adm.contains("Pass på"),
            "{adm}"
        );
        assert!(run("</TabItem>\n").1.contains(components::CLOSE));
        assert!(!run("<TabItems>\n").0);
    }

    #[test]
    fn tabs_values_default_value_and_query_string_as_tabs_utils_reads_them() {
        let mut state = State::default();
        let mut run = |line: &str| {
            let mut b = Builder::default();
            assert!(jsx_line(
                &mut b,
                0,
                line,
                crate::i18n::Ui::default(),
                &mut state
            ));
            b.into_text()
        };
        let open = run("<Tabs\n  queryString\n  groupId=\"os\"\n  defaultValue=\"b\"\n  values={[\n    {label: 'A (a)', value: 'a'},\n    {'value': \"b\", label: `B`, default: true},\n  ]}>\n");
        assert!(
            open.contains("\"group_id\":\"os\"") && open.contains("\"query_key\":\"os\""),
            "bare `queryString` is the group's id: {open}"
        );
        let a = run("<TabItem value=\"a\" label=\"ignored\" default>\n");
        assert!(
            a.contains("\"label\":\"A (a)\"") && !a.contains("default"),
            "{a}"
        );
        let b = run("<TabItem value=\"b\">\n");
        assert!(
            b.contains("\"label\":\"B\"") && b.contains("\"default\":\"true\""),
            "{b}"
        );
        run("</Tabs>\n");
        let plain = run("<TabItem value=\"c\" default>\n");
        assert!(plain.contains("\"label\":\"c\"") && plain.contains("default"));
        assert!(run("<Tabs queryString=\"pakke\">\n").contains("\"query_key\":\"pakke\""));
    }

    #[test]
    fn an_opening_tag_over_several_lines_is_open_until_its_bracket() {
        assert!(jsx_open("<Tabs\n"));
        assert!(jsx_open("<Tabs\n  values={[{label: 'a>b', value: 'x'}]}\n"));
        assert!(!jsx_open(
            "<Tabs\n  values={[{label: 'a>b', value: 'x'}]}>\n"
        ));
        assert!(!jsx_open("<Tabs groupId=\"x\">\n"));
        assert!(!jsx_open("<Tabsx\n"));
        assert_eq!(
            js_prop(" values={[{a: '}'}]} x", "values"),
            Some("[{a: '}'}]")
        );
    }

    #[test]
    fn components_are_counted_outside_inline_code_with_their_import() {
        let mut state = State::default();
        let mut b = Builder::default();
        let import = "import Boks from '@site/src/components/Boks';\n";
        assert!(jsx_line(
            &mut b,
            0,
            import,
            crate::i18n::Ui::default(),
            &mut state
        ));
        components_of_line(
            10,
            "<Boks farge=\"blå\">Tekst</Boks> og <Boks/>\n",
            &mut state,
        );
        components_of_line(
            50,
            "Skriv `<Boks>` eller ``<Kode>``; <div> og <https://x.no> er HTML\n",
            &mut state,
        );
        components_of_line(90, "<Tabs.Item> <Ukjent\n", &mut state);
        // Escaped, and inside a link's destination: text (the sikt corpus's jwt-mot-backend.md).
        components_of_line(
            200,
            "[a?iss=**\\<ISSUER\\>**](https://x.no/v2?iss=**<ISSUER>**&s=(<SCOPE>)) \\\\\n",
            &mut state,
        );
        assert_eq!(
            state.components,
            [
                ("Boks".to_string(), 10, 2),
                ("Tabs.Item".to_string(), 90, 1),
                ("Ukjent".to_string(), 102, 1)
            ]
        );
        let mut found = Vec::new();
        state.finish(&mut b, 0, &mut found);
        assert_eq!(found.len(), 3);
        assert!(
            found[0].message.contains("`@site/src/components/Boks`"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].tally, Some(("Boks".to_string(), 2)));
        assert!(!found[2].message.contains("imported"));
        assert_eq!(
            imported("import A, {B, C as D} from \"m\";"),
            [
                ("A".into(), "m".into()),
                ("B".into(), "m".into()),
                ("D".into(), "m".into())
            ]
        );
    }

    #[test]
    fn partial_file_links_start_from_the_partials_folder() {
        let text = "Se [a](./a.md#x), [b](../b.mdx) og [c](/docs/c.md), [d](./d), [e](#e).\n```\n[f](./f.md)\n```\n";
        assert_eq!(
            rebase_links(text, "docs/delt"),
            "Se [a](/docs/delt/a.md#x), [b](/docs/b.mdx) og [c](/docs/c.md), [d](./d), [e](#e).\n```\n[f](./f.md)\n```\n"
        );
    }

    #[test]
    fn mdx_ends_a_block_of_tags_at_its_line() {
        let blanks = |source: &str| -> Vec<usize> {
            let mut flow = Flow::default();
            source
                .lines()
                .enumerate()
                .filter(|(_, l)| flow.blank_before(l))
                .map(|(i, _)| i)
                .collect()
        };
        // The generated API reference of issue 24: the heading after the table's tags.
        assert_eq!(
            blanks("<table>\n<tr><td>x</td></tr>\n</table>\n<a id=\"f\"></a>\n#### f\nTekst\n"),
            [4]
        );
        // Tags inside a paragraph stay text; autolinks and comments are not tags.
        assert!(blanks("Tekst og\n<strong>fet</strong>\nmer\n").is_empty());
        assert!(blanks("<https://x.no>\nTekst\n").is_empty());
        assert!(blanks("<!-- c -->\nTekst\n").is_empty());
        // An element spread over lines is one tag.
        assert!(blanks("<img\n  src=\"a.png\"\n/>\n").is_empty());
        assert_eq!(blanks("<div>\nTekst\n</div>\n"), [1]);
    }

    #[test]
    fn mdx_comment_heading_ids() {
        assert_eq!(
            heading_comment_id("### Kontaktpunkter hos Sikt {/* #kontaktsikt */}\n"),
            Some((28, "kontaktsikt"))
        );
        assert_eq!(heading_comment_id("## A {/*#b*/}"), Some((5, "b")));
        assert_eq!(heading_comment_id("## A {/* TODO: b */}"), None);
        assert_eq!(heading_comment_id("## A {/* # */}"), None);
        assert_eq!(heading_comment_id("Tekst {/* #b */}"), None);
        assert_eq!(heading_comment_id("    ## kode {/* #b */}"), None);
    }

    #[test]
    fn default_titles_are_norwegian_and_bracket_titles_work() {
        let ui = crate::i18n::Ui::default();
        assert_eq!(opening("tip", ui).unwrap().1, "Tips");
        assert_eq!(opening("note[Om nøkler]", ui).unwrap().1, "Om nøkler");
        assert!(opening("unknownkind", ui).is_none());
        let en = crate::i18n::Ui { lang: "en", ..ui };
        assert_eq!(opening("warning", en).unwrap().1, "Warning");
    }
}
