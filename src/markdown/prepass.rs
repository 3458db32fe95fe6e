//! The pre-pass before parsing: walks a page's lines, keeps track of fenced code, and hands each
//! line to the flavour whose markup it holds — `hugo` (shortcodes; a call spread over several lines
//! is joined first), `jekyll` (Liquid, kramdown), `docusaurus` (admonitions, MDX comments). All of
//! them write through one [`Builder`], so the result maps every offset back to the writer's source.

use super::rewrite::{Builder, Env, Found, Rewritten};
use super::{docusaurus, hugo, jekyll, text};

/// Rewrite the flavours' markup in `source` into CommonMark + our components. Without any, the text
/// is returned unchanged with an empty map.
pub(super) fn rewrite(source: &str, env: &Env<'_>, found: &mut Vec<Found>) -> Rewritten {
    rewrite_file(source, env, found, env.file, &mut Vec::new())
}

/// Extend the chunk `offset..end` by the following lines until `open` no longer holds for it, at
/// most `max` lines; a chunk still open after them stays as it was, so that no line after an
/// unclosed call or tag is lost.
fn join_open(
    source: &str,
    offset: usize,
    end: &mut usize,
    lines: &mut std::str::SplitInclusive<'_, char>,
    max: usize,
    open: fn(&str) -> bool,
) {
    let mut ahead = lines.clone();
    let mut joined = *end;
    for _ in 0..max {
        match ahead.next() {
            Some(next) => joined += next.len(),
            None => return,
        }
        if !open(text::between(source, offset, joined)) {
            *lines = ahead;
            *end = joined;
            return;
        }
    }
}

/// [`rewrite`] of `source`, the text of `file`, inside the partials `stack` (files being inlined).
fn rewrite_file(
    source: &str,
    env: &Env<'_>,
    found: &mut Vec<Found>,
    file: &str,
    stack: &mut Vec<String>,
) -> Rewritten {
    let partials = match env.partials {
        Some(_) if env.mdx => docusaurus::partial_imports(source),
        _ => Vec::new(),
    };
    let mut b = Builder::default();
    let mut hugo_state = hugo::State::default();
    let mut jekyll_state = jekyll::State::default();
    let mut docusaurus_state = docusaurus::State::default();
    let mut flow = docusaurus::Flow::default();
    let mut fence: Option<(char, usize)> = None;
    let mut offset = 0;
    let mut lines = source.split_inclusive('\n');
    while let Some(first) = lines.next() {
        let mut end = offset + first.len();
        if fence.is_none() && !docusaurus_state.in_comment() {
            // A shortcode call spread over several lines is one chunk, and so is a component's
            // opening tag with its attributes over several lines (`<Tabs\n  values={[…]}>`).
            if hugo::call_open(first) {
                join_open(
                    source,
                    offset,
                    &mut end,
                    &mut lines,
                    hugo::MAX_CALL_LINES,
                    hugo::call_open,
                );
            }
            if docusaurus::jsx_open(first) {
                join_open(
                    source,
                    offset,
                    &mut end,
                    &mut lines,
                    docusaurus::MAX_TAG_LINES,
                    docusaurus::jsx_open,
                );
            }
        }
        let line = text::between(source, offset, end);
        let content = line.trim().trim_end();
        if env.mdx && fence.is_none() && flow.blank_before(line) {
            b.replace(offset, 0, "\n");
        } else if fence.is_some() {
            flow.code();
        }
        if let Some((c, n)) = fence {
            let run = content.chars().take_while(|&x| x == c).count();
            if run >= n && text::from(content, run).trim().is_empty() {
                fence = None;
            }
            if hugo::has_escape(line) {
                hugo::unescape(&mut b, offset, line);
            } else {
                b.verbatim(offset, line);
            }
        } else if !docusaurus_state.in_comment() && docusaurus::heading_id(&mut b, offset, line) {
            // `## Tittel {/* #id */}` was written as `## Tittel {#id}`.
        } else if docusaurus::comment_line(line, &docusaurus_state) {
            docusaurus::comments(&mut b, offset, line, &mut docusaurus_state);
        } else if hugo_state.busy() || hugo::candidate(line) {
            hugo::line(&mut b, offset, line, &mut hugo_state, env, found);
        } else if let Some(import) = docusaurus::partial_use(line, &partials) {
            // An imported Markdown partial: its text in the page, as MDX compiles it in.
            inline_partial(&mut b, offset, line, import, env, found, file, stack);
        } else if docusaurus::jsx_line(&mut b, offset, line, env.ui, &mut docusaurus_state) {
            // An MDX import or a Docusaurus component tag, rendered statically.
        } else if let Some(used) =
            jekyll::heading_attributes(&mut b, offset, line, lines.clone().next(), env)
        {
            // kramdown: `{: #id}` on the line after a heading is the heading's id.
            lines.next();
            end += used;
        } else if let Some(len) = (!jekyll_state.busy())
            .then(|| jekyll::html_element_len(text::from(source, offset), env))
            .flatten()
        {
            // kramdown: an HTML element is one block up to its end tag, blank lines and all.
            let element = text::between(source, offset, offset + len);
            jekyll::html_element(&mut b, offset, element, &mut jekyll_state, env, found);
            while end < offset + len {
                match lines.next() {
                    Some(next) => end += next.len(),
                    None => break,
                }
            }
        } else if jekyll_state.busy() || jekyll::candidate(line, env) {
            jekyll::line(&mut b, offset, line, &mut jekyll_state, env, found);
        } else if let Some(c) = content.chars().next().filter(|c| *c == '`' || *c == '~') {
            let run = content.chars().take_while(|&x| x == c).count();
            if run >= 3 {
                fence = Some((c, run));
            }
            b.verbatim(offset, line);
        } else {
            if env.mdx {
                docusaurus::components_of_line(offset, line, &mut docusaurus_state);
            }
            if !docusaurus::admonition(&mut b, offset, line, &mut docusaurus_state, env.ui) {
                b.verbatim(offset, line);
            }
        }
        offset = end;
    }
    hugo_state.finish(&mut b, source.len(), env, found);
    docusaurus_state.finish(&mut b, source.len(), found);
    b.finish(source)
}

/// Put the partial `import` names in place of its use (`<Name />` at `offset`), rewritten as a
/// page is; what is found in it is reported at the use. A partial that cannot be read, or that
/// imports itself (directly or not) or nests too deep, is an `mdx-import` error at the import line.
#[allow(clippy::too_many_arguments)]
fn inline_partial(
    b: &mut Builder,
    offset: usize,
    line: &str,
    import: &docusaurus::PartialImport,
    env: &Env<'_>,
    found: &mut Vec<Found>,
    file: &str,
    stack: &mut Vec<String>,
) {
    let Some(read) = env.partials else {
        b.verbatim(offset, line);
        return;
    };
    let problem = |message: String| Found {
        offset: import.offset,
        rule: docusaurus::IMPORT_RULE,
        message,
        tally: None,
    };
    match (read.0)(file, &import.module) {
        Err(message) => found.push(problem(format!(
            "`import {} from '{}'`: {message}; Docusaurus's build stops on an import it cannot resolve",
            import.name, import.module
        ))),
        Ok((path, _)) if path == file || stack.contains(&path) => found.push(problem(format!(
            "`{}` imports itself through `{}`",
            path, import.module
        ))),
        Ok(_) if stack.len() >= docusaurus::MAX_PARTIAL_DEPTH => found.push(problem(format!(
            "`{}` nests partials more than {} deep",
            import.module,
            docusaurus::MAX_PARTIAL_DEPTH
        ))),
        Ok((path, text)) => {
            stack.push(path.clone());
            let mut inner_found = Vec::new();
            let inner = rewrite_file(
                docusaurus::partial_body(&text),
                env,
                &mut inner_found,
                &path,
                stack,
            );
            stack.pop();
            found.extend(inner_found.into_iter().map(|mut f| {
                f.offset = offset;
                f
            }));
            let folder = |f: &str| f.rsplit_once('/').map_or(String::new(), |(d, _)| d.to_string());
            let text = if folder(&path) == folder(file) {
                inner.text
            } else {
                docusaurus::rebase_links(&inner.text, &folder(&path))
            };
            b.replace(offset, line.len(), &format!("\n{text}\n"));
            return;
        }
    }
    b.replace(offset, line.len(), "\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::components::TOC_MARKER;

    fn run(source: &str) -> (String, Vec<Found>) {
        let children = vec![("Barn".to_string(), "/docs/a/barn/".to_string())];
        let params = serde_json::json!({"version": "1.2", "links": {"repo": "https://x.no/r"}});
        let env = Env {
            route: "/docs/a/",
            site_url: "https://x.no",
            base_path: "/docs",
            children: &children,
            site_params: Some(&params),
            ..Env::default()
        };
        let mut found = Vec::new();
        let r = rewrite(source, &env, &mut found);
        (html(&r.text), found)
    }

    /// The rewritten text with each component marker replaced by its template's markup.
    fn html(text: &str) -> String {
        let mut markup = crate::markdown::components::Markup::new(None, "nb");
        let mut out: String = text
            .split_inclusive('\n')
            .map(|line| {
                if crate::markdown::components::is_marker(line) {
                    markup.marker(line).unwrap()
                } else {
                    line.to_string()
                }
            })
            .collect();
        out.push_str(&markup.close_all());
        out
    }

    #[test]
    fn admonition_becomes_a_box_and_offsets_map_back() {
        let source = "før\n:::warning Pass på\nInnhold **her**\n:::\netter\n";
        let r = rewrite(source, &Env::default(), &mut Vec::new());
        assert!(html(&r.text).contains("admonition-warning"), "{}", r.text);
        assert!(r.text.contains("Pass på"));
        let here = r.text.find("Innhold").unwrap();
        assert_eq!(r.original(here), source.find("Innhold").unwrap());
        let after = r.text.find("etter").unwrap();
        assert_eq!(r.original(after), source.find("etter").unwrap());
    }

    #[test]
    fn mdx_comments_become_html_comments_with_exact_offsets() {
        let source = "a\n{/* - TODO: skjult */}\nb {/* x\ny */} c\n";
        let r = rewrite(source, &Env::default(), &mut Vec::new());
        assert_eq!(r.text, "a\n<!-- - TODO: skjult -->\nb <!-- x\ny --> c\n");
        let todo = r.text.find("TODO").unwrap();
        assert_eq!(r.original(todo), source.find("TODO").unwrap());
        let c = r.text.rfind('c').unwrap();
        assert_eq!(r.original(c), source.rfind('c').unwrap());
    }

    #[test]
    fn fenced_code_is_left_alone() {
        let source = "```\n:::note\n{{< x >}}\n```\n";
        assert_eq!(run(source).0, source);
    }

    #[test]
    fn unclosed_admonition_is_closed_at_the_end() {
        let (out, _) = run(":::info\ntekst\n");
        assert_eq!(out.matches("<div").count(), out.matches("</div>").count());
    }

    #[test]
    fn hugo_shortcodes_become_html_and_markdown() {
        let (out, found) = run("{{% notice warning %}} Pass på {{% /notice %}}\n{{< expand \"Mer\" >}}\nskjult\n{{< /expand >}}\n[lenke]({{< relref \"b.md\" >}})\n{{< children >}}\n");
        assert!(found.is_empty(), "{found:?}");
        assert!(
            out.contains("admonition-warning") && out.contains("Pass på") && out.contains("</div>"),
            "{out}"
        );
        assert!(
            out.contains("<details class=\"expand\"><summary>Mer</summary>")
                && out.contains("</details>"),
            "{out}"
        );
        assert!(out.contains("[lenke](b.md)"), "{out}");
        assert!(out.contains("href=\"/docs/a/barn/\""), "{out}");
        assert!(!out.contains("{{"), "{out}");
    }

    #[test]
    fn docsy_tabpane_tabs_are_code_unless_text() {
        let (out, found) = run("{{< tabpane lang=\"toml\" >}}\n{{< tab header=\"hugo.toml\" >}}\n# ikke en overskrift\n[params]\n{{< /tab >}}\n{{% tab header=\"Tekst\" text=true %}}\n## Overskrift\n{{% /tab %}}\n{{< /tabpane >}}\n{{< tabs >}}\n{{< tab \"Bok\" >}}\n## Markdown\n{{< /tab >}}\n{{< /tabs >}}\n");
        assert!(found.is_empty(), "{found:?}");
        assert!(
            out.contains("```toml\n") && out.contains("# ikke en overskrift\n[params]\n\n```\n"),
            "{out}"
        );
        assert!(!out.contains("```toml\n## Overskrift"), "{out}");
        assert!(
            !out.contains("```\n## Markdown"),
            "hugo-book's tabs stay Markdown: {out}"
        );
        assert_eq!(
            out.matches("</div>").count(),
            5,
            "every tab and pane closes: {out}"
        );
        assert!(!out.contains("{{"), "{out}");
    }

    #[test]
    fn a_call_spread_over_lines_is_one_call() {
        let source = "{{% blocks/cover\n  title=\"Velkommen\"\n  height=\"full\"\n%}}\nInnhold\n{{% /blocks/cover %}}\netter\n";
        let (out, found) = run(source);
        assert!(found.is_empty(), "{found:?}");
        assert!(
            out.contains("block-cover") && out.contains("Velkommen"),
            "{out}"
        );
        assert!(!out.contains("{{") && !out.contains("%}}"), "{out}");
        let r = rewrite(source, &Env::default(), &mut Vec::new());
        let after = r.text.find("etter").unwrap();
        assert_eq!(r.original(after), source.find("etter").unwrap());
    }

    #[test]
    fn families_map_by_name() {
        let (out, found) = run("{{% alert title=\"Obs\" color=\"warning\" %}}\nA\n{{% /alert %}}\n{{< tabpane >}}\n{{< tab header=\"curl\" >}}\nB\n{{< /tab >}}\n{{< /tabpane >}}\n{{% pageinfo %}}\nC\n{{% /pageinfo %}}\n{{< details \"Mer\" >}}D{{< /details >}}\n");
        assert!(found.is_empty(), "{found:?}");
        assert!(
            out.contains("admonition-warning") && out.contains(">Obs<"),
            "{out}"
        );
        assert!(
            out.contains("class=\"tabs\"") && out.contains("data-tab-label=\"curl\""),
            "{out}"
        );
        assert!(
            out.contains("pageinfo") && out.contains("<summary>Mer</summary>"),
            "{out}"
        );
        assert_eq!(
            out.matches("<div").count(),
            out.matches("</div>").count(),
            "{out}"
        );
    }

    #[test]
    fn unknown_shortcodes_show_their_inner_text_and_one_warning_per_name() {
        let (out, found) = run("{{< imgproc sunset Crop \"500x300\" >}}\nBildetekst\n{{< /imgproc >}}\n{{< youtube a >}} og {{< youtube b >}}\n{{< imgproc x />}}\n");
        assert!(out.contains("Bildetekst"), "{out}");
        assert!(!out.contains("{{"), "{out}");
        let mut names: Vec<_> = found.iter().map(|f| (f.rule, f.message.clone())).collect();
        names.sort();
        assert_eq!(found.len(), 2, "{found:?}");
        let tallies: Vec<_> = found.iter().filter_map(|f| f.tally.clone()).collect();
        assert_eq!(
            tallies,
            [("imgproc".to_string(), 2), ("youtube".to_string(), 2)],
            "named and counted, for one finding per name on the site"
        );
        assert_eq!(found[0].offset, 0, "at the first use");
    }

    #[test]
    fn escaped_calls_print_as_calls() {
        let (out, found) = run("```\n{{</* imgproc x */>}}\n```\nTekst {{%/* param a */%}}\n");
        assert!(found.is_empty(), "{found:?}");
        assert!(out.contains("```\n{{< imgproc x >}}\n```"), "{out}");
        assert!(out.contains("Tekst {{% param a %}}"), "{out}");
    }

    #[test]
    fn param_reads_site_params_and_reports_missing_ones() {
        let (out, found) =
            run("v{{% param version %}} {{< param \"links.repo\" >}} {{% param nope %}}\n");
        assert!(out.starts_with("v1.2 https://x.no/r "), "{out}");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn highlight_body_is_code() {
        let (out, _) = run("{{< highlight bash >}}\ncurl {{< x >}}\n{{< /highlight >}}\n");
        assert_eq!(out, "\n```bash\n\ncurl {{< x >}}\n\n```\n\n");
    }

    #[test]
    fn block_attribute_lines_are_dropped() {
        let (out, _) = run("Ingress\n{.display-6}\n");
        assert_eq!(out, "Ingress\n\n");
    }

    #[test]
    fn an_unclosed_call_loses_no_line_after_it() {
        let (out, found) = run("{{< x
neste linje
\n## Overskrift
");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            out.contains("neste linje") && out.contains("## Overskrift"),
            "{out}"
        );
    }

    #[test]
    fn overlapping_delimiters_do_not_panic() {
        for source in [
            "{%}\n",
            "{{%}}\n",
            "{{<}}\n",
            "{{}}\n",
            "{:}\n",
            "a {% b\n",
            "{{% /x}}\n",
            "{{<>}}{{%%}}\n",
            "æ{%}ø{{%}}å\n",
            "{{</*}}\n",
            "```\n{{</**/>}}\n",
        ] {
            let (out, _) = run(source);
            assert!(!out.contains("{{%}}"), "{source:?} -> {out:?}");
        }
        let (_, found) = run("{{%}}\n");
        assert_eq!(found.len(), 1, "reported as a call that is not closed");
    }

    #[test]
    fn kramdown_toc_still_works_through_the_prepass() {
        let (out, _) = run("* TOC\n{:toc}\n");
        assert!(out.contains(TOC_MARKER), "{out}");
    }
}
