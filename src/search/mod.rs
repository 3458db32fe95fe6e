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
mod crumbs;
pub mod terms;
pub mod text;

use crate::error::Result;
use crate::model::{PageKind, Site};
use crumbs::Crumbs;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
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
    /// The analyzer that gave its term ids ([`Analyzer::instance`]).
    analyzer: u64,
    terms: PageTerms,
    /// Sections of each term, ascending, with whether the term is in the section's heading.
    sections: Vec<(u32, bool)>,
}

/// A page's terms: (the analyzer's id of the term, term, occurrences, range of the page's sections).
type PageTerms = Vec<(u32, Arc<str>, u32, std::ops::Range<usize>)>;

/// Pages analysed in parallel before their postings are appended; bounds the memory of a build.
const BATCH: usize = 512;

/// The search index of a site, kept in memory by `serve` and updated page by page.
#[derive(Debug, Default)]
pub struct Index {
    language: String,
    /// Per page of the site: its document and term ids (`None`: not indexed).
    pages: Vec<Option<(Vec<u8>, Vec<u32>)>>,
    /// Terms by id, with their encoded postings (a term whose pages all left keeps its id).
    terms: Vec<(Arc<str>, bundle::Postings)>,
    ids: FxHashMap<Arc<str>, u32>,
    /// Per analyzer, its term ids to ours (`u32::MAX`: not seen yet), so a page's terms are found
    /// without hashing their text again.
    local: FxHashMap<u64, Vec<u32>>,
    /// Dictionary shard key → term → id.
    shards: HashMap<String, BTreeMap<String, u32>>,
    /// Encoded shards (dictionary and packs) by key; dropped when a key's terms change.
    encoded: HashMap<String, bundle::Shard>,
}

/// Where a build puts the bundle's files: (URL, bytes), called from several threads.
pub type Sink<'a> = &'a (dyn Fn(&str, &[u8]) -> Result<()> + Sync);

/// Write a site's search bundle through `sink` as it is made: each page's document as soon as the
/// page is analysed, then each prefix's dictionary and packs as they are encoded. Nothing of a page's
/// text is kept (the build's memory stays that of the postings), unlike [`Index::build`] for `serve`.
pub fn write(site: &Site, language: &str, sink: Sink) -> Result<()> {
    let index = Index::analyse_all(site, language, Some(sink))?;
    sink(&format!("{BUNDLE_URL}meta.json"), &index.meta())?;
    index.shards.par_iter().try_for_each(|(key, terms)| {
        let shard = bundle::encode_shard(index.shard_terms(terms));
        if shard.packs.is_empty() {
            return Ok(());
        }
        let hex = bundle::hex(key);
        sink(&format!("{BUNDLE_URL}d/{hex}.json"), &shard.dict)?;
        shard
            .packs
            .iter()
            .enumerate()
            .try_for_each(|(n, pack)| sink(&format!("{BUNDLE_URL}x/{hex}-{n}.bin"), pack))
    })
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
        Index::analyse_all(site, language, None).unwrap_or_default()
    }

    /// Index every page; with a `sink`, each page's document is written to it at once and only the
    /// postings are kept (no document, no term ids: such an index is written, never updated).
    fn analyse_all(site: &Site, language: &str, sink: Option<Sink>) -> Result<Index> {
        let mut index = Index {
            language: language.to_string(),
            ..Index::default()
        };
        let count = site.pages.len();
        let crumbs = Crumbs::new(site);
        let analyse_batch = |start: usize| -> Result<Vec<Option<Analysed>>> {
            (start..count.min(start + BATCH))
                .into_par_iter()
                .map(|i| {
                    if !indexed(site, i) {
                        return Ok(None);
                    }
                    let mut page = analyse(site, &crumbs, i, language);
                    if let Some(sink) = sink {
                        sink(&format!("{BUNDLE_URL}p/{i}.json"), &page.doc)?;
                        page.doc = Vec::new();
                    }
                    Ok(Some(page))
                })
                .collect()
        };
        // Appending a batch's postings is serial (term ids are given in page order); it runs while
        // the next batch is analysed, so no core waits for it. At most two batches are in memory.
        let mut batch = if count > 0 {
            analyse_batch(0)?
        } else {
            Vec::new()
        };
        let mut next_start = BATCH;
        loop {
            let (_, next) = rayon::join(
                || index.append(batch, sink.is_none()),
                || (next_start < count).then(|| analyse_batch(next_start)),
            );
            match next {
                Some(next) => batch = next?,
                None => break,
            }
            next_start += BATCH;
        }
        Ok(index)
    }

    /// Append analysed pages (in page order, after those already in the index) to the postings;
    /// with `keep`, also their documents and term ids (for [`Index::update`]).
    fn append(&mut self, batch: Vec<Option<Analysed>>, keep: bool) {
        for analysed in batch {
            let i = self.pages.len() as u32;
            let entry = analysed.map(|page| {
                let mut local = self.local.remove(&page.analyzer).unwrap_or_default();
                let ids = page
                    .terms
                    .into_iter()
                    .map(|(local_id, term, count, range)| {
                        let id = self.id_of(&mut local, local_id, term);
                        self.terms[id as usize]
                            .1
                            .push(i, count, &page.sections[range]);
                        id
                    })
                    .filter(|_| keep)
                    .collect();
                self.local.insert(page.analyzer, local);
                (page.doc, ids)
            });
            self.pages.push(entry);
        }
    }

    /// The id of a term that an analyzer calls `local_id`, found in its table `local` when the
    /// analyzer gave it before.
    fn id_of(&mut self, local: &mut Vec<u32>, local_id: u32, term: Arc<str>) -> u32 {
        let at = local_id as usize;
        if let Some(&id) = local.get(at) {
            if id != u32::MAX {
                return id;
            }
        }
        let id = self.id(term);
        if at >= local.len() {
            local.resize(at + 1, u32::MAX);
        }
        local[at] = id;
        id
    }

    /// The id of a term, new ones added to their shard.
    fn id(&mut self, term: Arc<str>) -> u32 {
        if let Some(&id) = self.ids.get(&term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.shards
            .entry(shard_key(&term).to_string())
            .or_default()
            .insert(term.to_string(), id);
        self.terms.push((term.clone(), bundle::Postings::default()));
        self.ids.insert(term, id);
        id
    }

    /// Take page `i`'s old terms out and its current ones in (after `serve` re-parsed it). Pages that
    /// are new to the index (the site grew) are added.
    pub fn update(&mut self, site: &Site, i: usize) {
        if self.pages.len() < site.pages.len() {
            self.pages.resize_with(site.pages.len(), || None);
        }
        let page = i as u32;
        let mut dirty = HashSet::new();
        if let Some((_, old)) = self.pages[i].take() {
            for id in old {
                let (term, postings) = &mut self.terms[id as usize];
                *postings = postings.replace(page, None);
                dirty.insert(shard_key(term).to_string());
            }
        }
        if indexed(site, i) {
            let analysed = analyse(site, &Crumbs::new(site), i, &self.language);
            let mut ids = Vec::with_capacity(analysed.terms.len());
            let mut local = self.local.remove(&analysed.analyzer).unwrap_or_default();
            for (local_id, term, count, range) in analysed.terms {
                dirty.insert(shard_key(&term).to_string());
                let id = self.id_of(&mut local, local_id, term);
                let posting = Posting {
                    count,
                    sections: analysed.sections[range].to_vec(),
                };
                let postings = &mut self.terms[id as usize].1;
                *postings = postings.replace(page, Some(&posting));
                ids.push(id);
            }
            self.local.insert(analysed.analyzer, local);
            self.pages[i] = Some((analysed.doc, ids));
        }
        for key in dirty {
            self.encoded.remove(&key);
        }
    }

    /// Number of pages indexed.
    pub fn page_count(&self) -> usize {
        self.pages.iter().flatten().count()
    }

    /// The terms of a shard that are on some page, sorted, with their postings.
    fn shard_terms<'a>(
        &'a self,
        terms: &'a BTreeMap<String, u32>,
    ) -> impl Iterator<Item = (&'a str, &'a bundle::Postings)> + 'a {
        terms
            .iter()
            .map(|(term, &id)| (term.as_str(), &self.terms[id as usize].1))
            .filter(|(_, postings)| postings.pages > 0)
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
            let terms = self.shards.get(&key)?;
            let shard = bundle::encode_shard(self.shard_terms(terms));
            if shard.packs.is_empty() {
                return None;
            }
            self.encoded.insert(key.clone(), shard);
        }
        let shard = self.encoded.get(&key)?;
        match pack {
            None => Some(shard.dict.clone()),
            Some(n) => shard.packs.get(n).cloned(),
        }
    }

    fn meta(&self) -> Vec<u8> {
        let mut keys: Vec<&String> = self
            .shards
            .iter()
            .filter(|(_, terms)| self.shard_terms(terms).next().is_some())
            .map(|(key, _)| key)
            .collect();
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
                let shard = bundle::encode_shard(self.shard_terms(terms));
                let hex = bundle::hex(key);
                let dict = (!shard.packs.is_empty())
                    .then(|| (format!("{BUNDLE_URL}d/{hex}.json"), shard.dict));
                dict.into_iter().chain(
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

thread_local! {
    /// Each thread's analyzers by language, with their word → term caches, and its collector.
    static ANALYZERS: std::cell::RefCell<(HashMap<String, Analyzer>, Collector)> =
        std::cell::RefCell::new((HashMap::new(), Collector::default()));
}

/// A page's sections, document and terms.
fn analyse(site: &Site, crumbs: &Crumbs, i: usize, language: &str) -> Analysed {
    ANALYZERS.with(|cell| {
        let (analyzers, collector) = &mut *cell.borrow_mut();
        let page = &site.pages[i];
        let lang = page.front.lang.as_deref().unwrap_or(language);
        if !analyzers.contains_key(lang) {
            analyzers.insert(lang.to_string(), Analyzer::new(lang));
        }
        let analyzer = analyzers.get_mut(lang).expect("inserted above");
        analyse_with(analyzer, collector, page, &crumbs.of(site, i))
    })
}

fn analyse_with(
    analyzer: &mut Analyzer,
    collector: &mut Collector,
    page: &crate::model::Page,
    crumbs: &[&str],
) -> Analysed {
    analyzer.trim();
    let sections = text::sections(&page.html);
    // A section's heading (for section 0, the page title) is added before its text, so a term's
    // first occurrence in a section says whether the heading holds it.
    let mut add = |analyzer: &mut Analyzer, text: &str, section: u32, head: bool| {
        for word in terms::raw_words(text) {
            if let Some(id) = analyzer.id(word) {
                collector.add(id, section, head);
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
    let (terms, spans) = collector.finish(analyzer);
    Analysed {
        doc: bundle::document(&page.title, &page.route, crumbs, &sections),
        analyzer: analyzer.instance(),
        terms,
        sections: spans,
    }
}

/// A page's term occurrences grouped by term as they come, in sections ascending: per term id
/// (of one analyzer) a slot, reset after each page, so grouping needs no sort of the occurrences.
#[derive(Debug, Default)]
struct Collector {
    slots: Vec<Slot>,
    /// Term ids in the order of their first occurrence on the page.
    touched: Vec<u32>,
    /// (term id, section, in heading): a term's first occurrence in each section.
    firsts: Vec<(u32, u32, bool)>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    /// Occurrences on the page.
    count: u32,
    /// Sections that hold the term.
    sections: u32,
    /// The last section that held it, plus one (0: none yet); in `finish`, where its next section
    /// goes.
    last: u32,
}

impl Collector {
    fn add(&mut self, id: u32, section: u32, head: bool) {
        let i = id as usize;
        if i >= self.slots.len() {
            self.slots
                .resize((i + 1).max(2 * self.slots.len()), Slot::default());
        }
        let slot = &mut self.slots[i];
        if slot.count == 0 {
            self.touched.push(id);
        }
        slot.count += 1;
        let mark = section.saturating_add(1);
        if slot.last != mark {
            slot.last = mark;
            slot.sections += 1;
            self.firsts.push((id, section, head));
        }
    }

    /// The page's terms, each with its occurrences and its range of the sections returned beside
    /// them; the collector is empty again afterwards.
    fn finish(&mut self, analyzer: &Analyzer) -> (PageTerms, Vec<(u32, bool)>) {
        let mut terms = Vec::with_capacity(self.touched.len());
        let mut at = 0usize;
        for &id in &self.touched {
            let slot = &mut self.slots[id as usize];
            let n = slot.sections as usize;
            terms.push((id, analyzer.name(id).clone(), slot.count, at..at + n));
            slot.last = at as u32;
            at += n;
        }
        let mut spans = vec![(0u32, false); at];
        for &(id, section, head) in &self.firsts {
            let slot = &mut self.slots[id as usize];
            spans[slot.last as usize] = (section, head);
            slot.last += 1;
        }
        for &id in &self.touched {
            self.slots[id as usize] = Slot::default();
        }
        self.touched.clear();
        self.firsts.clear();
        (terms, spans)
    }
}

#[cfg(test)]
mod tests;
