//! The offline full-text search index, built from the pages already in memory (their rendered HTML is
//! split into sections by a linear scan; no HTML is read back from disk) into a static bundle under
//! [`BUNDLE_URL`] that the theme's search client (`themes/default/static/search.js`) reads from any
//! static host.
//!
//! Terms are Snowball-stemmed for Norwegian pages (`terms`). Postings say, per page, which sections
//! (the intro, then one per heading) hold a term and whether in the heading or title, so results point
//! at a heading's anchor and title/heading matches rank first. The bundle is sharded so a query fetches
//! only what it needs: a term dictionary per two-letter prefix (`d/`), postings packed per prefix
//! (`x/`), and one small document per page with its sections' text for excerpts (`p/`). In `serve`,
//! [`Index::update`] takes one page's terms out and puts the new ones in; only the shards of changed
//! prefixes are encoded again.

mod bundle;
pub mod terms;
pub mod text;

use crate::error::Result;
use crate::model::{PageKind, Site};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use terms::Analyzer;

/// Where the bundle is served.
pub const BUNDLE_URL: &str = "/intark-search/";

/// One page's occurrences of one term.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Posting {
    /// Occurrences in the page (title and headings included).
    count: u32,
    /// Sections that hold the term, ascending, each with whether the term is in the section's heading
    /// (for section 0, the page title).
    sections: Vec<(u32, bool)>,
}

/// A page as the index sees it.
#[derive(Debug)]
struct Analysed {
    /// The page's document (`p/N.json`): title, route, sections.
    doc: Vec<u8>,
    /// Its terms, sorted.
    terms: Vec<(String, Posting)>,
}

/// The search index of a site, kept in memory by `serve` and updated page by page.
#[derive(Debug, Default)]
pub struct Index {
    language: String,
    /// Per page of the site: its document and terms (`None`: not indexed).
    pages: Vec<Option<(Vec<u8>, Vec<String>)>>,
    /// Dictionary shard key → term → postings by page, ascending.
    shards: HashMap<String, BTreeMap<String, Vec<(u32, Posting)>>>,
    /// Encoded shards (dictionary and packs) by key; dropped when a key's terms change.
    encoded: HashMap<String, bundle::Shard>,
}

/// The search bundle's files: (URL, bytes).
pub fn index(site: &Site, language: &str) -> Result<Vec<(String, Vec<u8>)>> {
    Ok(Index::build(site, language).into_files())
}

fn indexed(site: &Site, i: usize) -> bool {
    let page = &site.pages[i];
    !page.front.draft && page.kind != PageKind::Section
}

/// The dictionary shard of a term: its first two characters.
fn shard_key(term: &str) -> &str {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    &term[..end]
}

impl Index {
    /// Index every page of a site (in parallel), pages in `language` unless they say otherwise.
    pub fn build(site: &Site, language: &str) -> Index {
        let analysed: Vec<Option<Analysed>> = (0..site.pages.len())
            .into_par_iter()
            .map_init(HashMap::new, |analyzers, i| {
                indexed(site, i).then(|| analyse(site, i, language, analyzers))
            })
            .collect();
        let mut merged: HashMap<String, Vec<(u32, Posting)>> = HashMap::new();
        let mut pages = Vec::with_capacity(analysed.len());
        for (i, entry) in analysed.into_iter().enumerate() {
            let Some(Analysed { doc, terms }) = entry else {
                pages.push(None);
                continue;
            };
            let mut names = Vec::with_capacity(terms.len());
            for (term, posting) in terms {
                names.push(term.clone());
                merged.entry(term).or_default().push((i as u32, posting));
            }
            pages.push(Some((doc, names)));
        }
        let mut shards: HashMap<String, BTreeMap<String, Vec<(u32, Posting)>>> = HashMap::new();
        for (term, postings) in merged {
            shards
                .entry(shard_key(&term).to_string())
                .or_default()
                .insert(term, postings);
        }
        Index {
            language: language.to_string(),
            pages,
            shards,
            encoded: HashMap::new(),
        }
    }

    /// Take page `i`'s old terms out and its current ones in (after `serve` re-parsed it). Pages that
    /// are new to the index (the site grew) are added.
    pub fn update(&mut self, site: &Site, i: usize) {
        if self.pages.len() < site.pages.len() {
            self.pages.resize_with(site.pages.len(), || None);
        }
        let mut dirty = HashSet::new();
        if let Some((_, old_terms)) = self.pages[i].take() {
            for term in old_terms {
                let key = shard_key(&term).to_string();
                if let Some(shard) = self.shards.get_mut(&key) {
                    if let Some(list) = shard.get_mut(&term) {
                        if let Ok(at) = list.binary_search_by_key(&(i as u32), |(p, _)| *p) {
                            list.remove(at);
                        }
                        if list.is_empty() {
                            shard.remove(&term);
                        }
                    }
                }
                dirty.insert(key);
            }
        }
        if indexed(site, i) {
            let Analysed { doc, terms } = analyse(site, i, &self.language, &mut HashMap::new());
            let mut names = Vec::with_capacity(terms.len());
            for (term, posting) in terms {
                let key = shard_key(&term).to_string();
                names.push(term.clone());
                let list = self
                    .shards
                    .entry(key.clone())
                    .or_default()
                    .entry(term)
                    .or_default();
                match list.binary_search_by_key(&(i as u32), |(p, _)| *p) {
                    Ok(at) => list[at].1 = posting,
                    Err(at) => list.insert(at, (i as u32, posting)),
                }
                dirty.insert(key);
            }
            self.pages[i] = Some((doc, names));
        }
        self.shards.retain(|_, shard| !shard.is_empty());
        for key in dirty {
            self.encoded.remove(&key);
        }
    }

    /// Number of pages indexed.
    pub fn page_count(&self) -> usize {
        self.pages.iter().flatten().count()
    }

    /// One file of the bundle by URL (`/intark-search/…`), encoding its shard if a change dropped it.
    pub fn file(&mut self, url: &str) -> Option<Vec<u8>> {
        let name = url.strip_prefix(BUNDLE_URL)?;
        if name == "meta.json" {
            return Some(self.meta());
        }
        if let Some(page) = name
            .strip_prefix("p/")
            .and_then(|n| n.strip_suffix(".json"))
        {
            let page: usize = page.parse().ok()?;
            return self.pages.get(page)?.as_ref().map(|(doc, _)| doc.clone());
        }
        let (dir, file) = name.split_once('/')?;
        let (stem, ext) = file.rsplit_once('.')?;
        let (hex, pack) = match (dir, ext) {
            ("d", "json") => (stem, None),
            ("x", "bin") => {
                let (hex, n) = stem.rsplit_once('-')?;
                (hex, Some(n.parse::<usize>().ok()?))
            }
            _ => return None,
        };
        let key = bundle::unhex(hex)?;
        if !self.encoded.contains_key(&key) {
            let shard = bundle::encode_shard(self.shards.get(&key)?);
            self.encoded.insert(key.clone(), shard);
        }
        let shard = self.encoded.get(&key)?;
        match pack {
            None => Some(shard.dict.clone()),
            Some(n) => shard.packs.get(n).cloned(),
        }
    }

    fn meta(&self) -> Vec<u8> {
        let mut keys: Vec<&String> = self.shards.keys().collect();
        keys.sort();
        bundle::meta(self.page_count(), &self.language, &keys)
    }

    /// Every file of the bundle: (URL, bytes).
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        let meta = self.meta();
        let mut files: Vec<(String, Vec<u8>)> = self
            .shards
            .par_iter()
            .flat_map_iter(|(key, terms)| {
                let shard = bundle::encode_shard(terms);
                let hex = bundle::hex(key);
                std::iter::once((format!("{BUNDLE_URL}d/{hex}.json"), shard.dict)).chain(
                    shard
                        .packs
                        .into_iter()
                        .enumerate()
                        .map(move |(n, pack)| (format!("{BUNDLE_URL}x/{hex}-{n}.bin"), pack)),
                )
            })
            .collect();
        files.push((format!("{BUNDLE_URL}meta.json"), meta));
        for (i, page) in self.pages.into_iter().enumerate() {
            if let Some((doc, _)) = page {
                files.push((format!("{BUNDLE_URL}p/{i}.json"), doc));
            }
        }
        files
    }
}

/// A page's sections, document and terms.
fn analyse(
    site: &Site,
    i: usize,
    language: &str,
    analyzers: &mut HashMap<String, Analyzer>,
) -> Analysed {
    let page = &site.pages[i];
    let lang = page.front.lang.as_deref().unwrap_or(language);
    let analyzer = analyzers
        .entry(lang.to_string())
        .or_insert_with(|| Analyzer::new(lang));
    let sections = text::sections(&page.html);
    let mut found: HashMap<String, Posting> = HashMap::new();
    let mut add = |analyzer: &mut Analyzer, text: &str, section: u32, head: bool| {
        for word in terms::words(text) {
            let Some(term) = analyzer.term(&word) else {
                continue;
            };
            let posting = match found.get_mut(term) {
                Some(p) => p,
                None => found.entry(term.to_string()).or_default(),
            };
            posting.count += 1;
            match posting.sections.last_mut() {
                Some((s, h)) if *s == section => *h |= head,
                _ => posting.sections.push((section, head)),
            }
        }
    };
    for (n, section) in sections.iter().enumerate() {
        let n = n as u32;
        if n == 0 {
            add(analyzer, &page.title, 0, true);
        } else {
            add(analyzer, &section.heading, n, true);
        }
        add(analyzer, &section.text, n, false);
    }
    let mut terms: Vec<(String, Posting)> = found.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Analysed {
        doc: bundle::document(&page.title, &page.route, &sections),
        terms,
    }
}

#[cfg(test)]
mod tests;
