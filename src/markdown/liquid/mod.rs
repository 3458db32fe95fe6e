//! Jekyll's Liquid, rendered with the `liquid` crate before the Markdown pass, as Jekyll does it:
//! `site` (config, `site.data`, `site.pages`, collections), `page`, includes from `_includes/`
//! (with parameters, `include_relative`), Jekyll's tags ([`tags`]) and filters ([`filters`]).
//!
//! The page is split into plain text and top-level Liquid constructs ([`spans`]); the whole page is
//! rendered once with a marker before every piece, so each construct's output is known and the
//! result maps every offset back to the writer's source. A construct the engine cannot parse or
//! render is rendered alone, reported at its own line, and left out; the rest of the page renders.

mod filters;
mod site;
mod spans;
mod tags;

pub use site::{front_matter, PageInfo, ReadFile};

use super::rewrite::{Builder, Found, Rewritten};
use liquid_core::model::{KStringRef, Value};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The rule of Liquid that Jekyll stops on (bad syntax, a missing include, a link to no page).
pub const RULE: &str = "liquid";
/// The rule of Liquid Jekyll renders as nothing: unknown tags and filters, undefined variables.
pub const RULE_UNKNOWN: &str = "liquid-unknown";

/// Put before every piece of a page so that each piece's output can be found in the result; a page
/// that holds it is rendered piece by piece instead.
const MARK: char = '\u{10FFFD}';

/// The Liquid engine of one Jekyll site, with its `site` variable.
pub struct Liquid {
    parser: liquid::Parser,
    site: Value,
    /// kramdown's `parse_block_html` in `_config.yml`: Markdown inside HTML blocks is parsed.
    parse_block_html: bool,
}

impl std::fmt::Debug for Liquid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Liquid")
    }
}

/// What a Jekyll site gives its Liquid.
pub struct SiteInput<'a> {
    /// Reads a file by its path relative to the site root (includes, `include_relative`).
    pub read: Arc<ReadFile>,
    /// `site.data`: the `_data/` files.
    pub data: serde_json::Value,
    /// `_config.yml` as JSON.
    pub config: serde_json::Value,
    /// `baseurl` (`/docs` or empty).
    pub baseurl: &'a str,
    /// `url`.
    pub url: &'a str,
    /// The site's pages.
    pub pages: Vec<PageInfo>,
}

impl Liquid {
    /// The engine for a site; `None` when the engine cannot be built (it is only a set of tags).
    pub fn new(input: SiteInput<'_>) -> Option<Liquid> {
        // `link` and `post_url` give the URL under `baseurl` (Jekyll 4 applies `relative_url`).
        let base = input.baseurl.trim_end_matches('/');
        let urls = Arc::new(tags::Urls {
            by_path: input
                .pages
                .iter()
                .map(|p| (p.path.clone(), format!("{base}{}", p.url)))
                .collect(),
            posts: input
                .pages
                .iter()
                .filter_map(|p| {
                    let name = p.path.strip_prefix("_posts/")?;
                    let name = name.rsplit_once('.').map_or(name, |(n, _)| n);
                    Some((name.to_string(), format!("{base}{}", p.url)))
                })
                .collect(),
        });
        let filter_site = Arc::new(filters::Site {
            baseurl: input.baseurl.trim_end_matches('/').to_string(),
            url: input.url.to_string(),
        });
        let mut builder = liquid::ParserBuilder::with_stdlib()
            .tag(liquid_lib::jekyll::IncludeTag)
            .tag(tags::IncludeCached)
            .tag(tags::LinkTag {
                name: "link",
                urls: Arc::clone(&urls),
            })
            .tag(tags::LinkTag {
                name: "post_url",
                urls,
            })
            .block(tags::HighlightBlock)
            .filter(liquid_lib::jekyll::Slugify)
            .filter(liquid_lib::jekyll::Sort)
            .filter(liquid_lib::jekyll::Push)
            .filter(liquid_lib::jekyll::Pop)
            .filter(liquid_lib::jekyll::Shift)
            .filter(liquid_lib::jekyll::Unshift)
            .filter(liquid_lib::jekyll::ArrayToSentenceString);
        for name in spans::SILENT {
            builder = builder.tag(tags::SilentTag(name));
        }
        for filter in filters::all(&filter_site) {
            builder = builder.filter(filter);
        }
        let site = site::site_value(&input);
        let parser = builder
            .partials(liquid::partials::OnDemandCompiler::new(
                site::Includes::new(Arc::clone(&input.read)),
            ))
            .build()
            .ok()?;
        let parse_block_html = input
            .config
            .get("kramdown")
            .and_then(|k| k.get("parse_block_html"))
            .and_then(|p| p.as_bool())
            == Some(true);
        Some(Liquid {
            parser,
            site,
            parse_block_html,
        })
    }

    /// Whether kramdown parses Markdown inside HTML blocks on this site (`parse_block_html`).
    pub fn parses_block_html(&self) -> bool {
        self.parse_block_html
    }

    fn render_one(&self, template: &str, page: &Value) -> liquid_core::Result<String> {
        let mut globals: HashMap<KStringRef<'static>, &Value> = HashMap::new();
        globals.insert(KStringRef::from_static("site"), &self.site);
        globals.insert(KStringRef::from_static("page"), page);
        self.parser.parse(template)?.render(&globals)
    }

    /// Render the Liquid of a page body (`page` is its `page` variable, `dir` its folder relative to
    /// the site root); unchanged text keeps its offsets, each construct maps to its own start.
    pub(super) fn render(
        &self,
        body: &str,
        page: &Value,
        dir: &str,
        found: &mut Vec<Found>,
    ) -> Rewritten {
        let mut b = Builder::default();
        if !body.contains("{{") && !body.contains("{%") {
            b.verbatim(0, body);
            return b.finish(body);
        }
        let (pieces, unknown) = spans::split(body);
        for u in &unknown {
            found.push(Found {
                offset: u.offset,
                rule: RULE_UNKNOWN,
                message: format!(
                    "unknown Liquid tag `{{% {} %}}` is left out (Jekyll stops the build on it unless a plugin defines it; write its result into the page)",
                    u.name
                ),
                tally: None,
            });
        }
        let prepared: Vec<String> = pieces
            .iter()
            .map(|p| {
                let text = &body[p.range.clone()];
                if p.liquid {
                    let known = spans::without(text, p.range.start, &unknown);
                    spans::one_line_tags(&spans::quote_paths(&known, dir))
                } else {
                    text.to_string()
                }
            })
            .collect();
        let outputs = self
            .render_marked(&prepared, page)
            .unwrap_or_else(|| self.render_pieces(&pieces, &prepared, page, found));
        for (i, (piece, output)) in pieces.iter().zip(&outputs).enumerate() {
            let start = piece.range.start;
            let text = &body[piece.range.clone()];
            if piece.liquid {
                b.replace(start, text.len(), output);
                continue;
            }
            // Whitespace control (`{%-`, `-%}`) trims the text beside a construct.
            let trim_end = pieces
                .get(i + 1)
                .is_some_and(|n| body[n.range.clone()].get(2..3) == Some("-"));
            let trim_start = i > 0 && {
                let prev = &body[pieces[i - 1].range.clone()];
                prev.len() >= 3 && prev.get(prev.len() - 3..prev.len() - 2) == Some("-")
            };
            let kept = if trim_start { text.trim_start() } else { text };
            let kept = if trim_end { kept.trim_end() } else { kept };
            let lead = kept.as_ptr() as usize - text.as_ptr() as usize;
            if lead > 0 {
                b.replace(start, lead, "");
            }
            b.verbatim(start + lead, kept);
            let tail = text.len() - lead - kept.len();
            if tail > 0 {
                b.replace(start + lead + kept.len(), tail, "");
            }
        }
        b.finish(body)
    }

    /// The whole page at once (assignments carry from one construct to the next); `None` when it
    /// fails or the markers cannot be trusted.
    fn render_marked(&self, prepared: &[String], page: &Value) -> Option<Vec<String>> {
        if prepared.iter().any(|p| p.contains(MARK)) {
            return None;
        }
        let mut template = String::new();
        for p in prepared {
            template.push(MARK);
            template.push_str(p);
        }
        let out = self.render_one(&template, page).ok()?;
        let outputs: Vec<String> = out.split(MARK).skip(1).map(str::to_string).collect();
        (outputs.len() == prepared.len()).then_some(outputs)
    }

    /// Each construct alone; one that fails is reported at its start and left out. The variables
    /// that earlier constructs set (`assign`, `capture`, `increment`) still hold: those constructs
    /// are rendered again before each later one, their output dropped at a marker.
    fn render_pieces(
        &self,
        pieces: &[spans::Piece],
        prepared: &[String],
        page: &Value,
        found: &mut Vec<Found>,
    ) -> Vec<String> {
        let marks = prepared.iter().any(|p| p.contains(MARK));
        let mut state = String::new();
        pieces
            .iter()
            .zip(prepared)
            .map(|(piece, text)| {
                if !piece.liquid {
                    return text.clone();
                }
                let rendered = if state.is_empty() || marks {
                    self.render_one(text, page)
                } else {
                    self.render_one(&format!("{state}{MARK}{text}"), page)
                        .map(|out| out.split_once(MARK).map_or(out.clone(), |(_, o)| o.to_string()))
                };
                let sets_state = ["assign", "capture", "increment", "decrement"]
                    .iter()
                    .any(|t| text.contains(t));
                if rendered.is_ok() && sets_state {
                    state.push_str(text);
                }
                rendered.unwrap_or_else(|e| {
                    // The construct itself, or an include it renders (quoted in the error).
                    let unknown = self
                        .unknown_filter(text)
                        .or_else(|| self.unknown_filter(&e.to_string()));
                    found.push(match unknown {
                        Some(name) => Found {
                            offset: piece.range.start,
                            rule: RULE_UNKNOWN,
                            message: format!(
                                "Liquid filter `{name}` is not supported here; the construct is left out"
                            ),
                            tally: None,
                        },
                        None => finding(piece.range.start, &e),
                    });
                    String::new()
                })
            })
            .collect()
    }
}

impl Liquid {
    /// The first filter (`| name`) in `text` the engine does not have: it cannot parse a construct
    /// that uses one (Jekyll's `where_exp`, a plugin's filter).
    fn unknown_filter(&self, text: &str) -> Option<String> {
        use liquid::reflection::ParserReflection;
        let known: Vec<&str> = self.parser.filters().map(|f| f.name()).collect();
        let mut inners = Vec::new();
        let mut at = 0;
        while let Some(i) = text.get(at..).and_then(|t| t.find('{')) {
            let open = at + i;
            let close = match text.get(open + 1..open + 2) {
                Some("%") => "%}",
                Some("{") => "}}",
                _ => {
                    at = open + 1;
                    continue;
                }
            };
            let Some(len) = text.get(open + 2..).and_then(|t| t.find(close)) else {
                break;
            };
            inners.push(&text[open + 2..open + 2 + len]);
            at = open + 2 + len + 2;
        }
        inners
            .iter()
            .flat_map(|t| t.split('|').skip(1))
            .find_map(|rest| {
                let name: String = rest
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                (!name.is_empty() && !known.contains(&name.as_str())).then_some(name)
            })
    }
}

/// A finding for an engine error: undefined names are what Jekyll renders as nothing.
fn finding(offset: usize, e: &liquid_core::Error) -> Found {
    let text = e.to_string();
    let message: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "with:" && !l.starts_with("from:"))
        .take(4)
        .collect();
    let message = message.join("; ");
    let message = message.strip_prefix("liquid: ").unwrap_or(&message);
    let unknown = ["Unknown variable", "Unknown index", "Unknown filter"]
        .iter()
        .any(|m| message.contains(m));
    Found {
        offset,
        rule: if unknown { RULE_UNKNOWN } else { RULE },
        message: if unknown {
            format!("Liquid: {message}; it is left out (Jekyll renders it as nothing)")
        } else {
            format!("Liquid: {message}; it is left out")
        },
        tally: None,
    }
}

/// The folder of a path relative to the site root.
pub fn folder(path: &str) -> &str {
    Path::new(path)
        .parent()
        .and_then(|p| p.to_str())
        .unwrap_or("")
}

#[cfg(test)]
mod tests;
