//! The bundle's file formats, read by `themes/default/static/search.js`:
//!
//! - `meta.json`: `{"v":1,"pages":N,"lang":"nb","keys":["ab",…]}`, the dictionary shards that exist.
//! - `d/HEX.json`, HEX the UTF-8 bytes of a two-letter prefix in hex: the terms with that prefix,
//!   sorted, as `[term, pages, pack, offset, length]`.
//! - `x/HEX-PACK.bin`: postings of the prefix's terms, packed to about [`PACK_BYTES`] (a larger term has
//!   a pack of its own). A term's postings, by page ascending, are LEB128 varints: page delta, count
//!   of occurrences, number of sections, then per section `(section delta << 1) | in_heading`.
//! - `p/PAGE.json`: `{"t":title,"u":route,"s":[[anchor, heading, text],…]}`.

use super::text::Section;
use super::Posting;
use std::collections::BTreeMap;

/// Target size of a postings pack.
pub(super) const PACK_BYTES: usize = 16 * 1024;

/// A dictionary shard encoded: its dictionary file and its packs.
#[derive(Debug, Clone)]
pub(super) struct Shard {
    pub(super) dict: Vec<u8>,
    pub(super) packs: Vec<Vec<u8>>,
}

/// Lower-case hex of a key's UTF-8 bytes (file names stay ASCII on every host).
pub(super) fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The key a [`hex`] name stands for.
pub(super) fn unhex(hex: &str) -> Option<String> {
    if hex.len() % 2 != 0 || !hex.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

pub(super) fn meta(pages: usize, lang: &str, keys: &[&String]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"v": 1, "pages": pages, "lang": lang, "keys": keys}))
        .unwrap_or_default()
}

pub(super) fn document(title: &str, route: &str, sections: &[Section]) -> Vec<u8> {
    let sections: Vec<[&str; 3]> = sections
        .iter()
        .map(|s| [s.anchor.as_str(), s.heading.as_str(), s.text.as_str()])
        .collect();
    serde_json::to_vec(&serde_json::json!({"t": title, "u": route, "s": sections}))
        .unwrap_or_default()
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Encode one dictionary shard and its packs.
pub(super) fn encode_shard(terms: &BTreeMap<String, Vec<(u32, Posting)>>) -> Shard {
    let mut packs: Vec<Vec<u8>> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let mut entries: Vec<serde_json::Value> = Vec::with_capacity(terms.len());
    let mut encoded = Vec::new();
    for (term, postings) in terms {
        encoded.clear();
        let mut last_page = 0u32;
        for (page, posting) in postings {
            varint(&mut encoded, u64::from(page - last_page));
            last_page = *page;
            varint(&mut encoded, u64::from(posting.count));
            varint(&mut encoded, posting.sections.len() as u64);
            let mut last_section = 0u32;
            for &(section, head) in &posting.sections {
                varint(
                    &mut encoded,
                    (u64::from(section - last_section) << 1) | u64::from(head),
                );
                last_section = section;
            }
        }
        if !current.is_empty() && current.len() + encoded.len() > PACK_BYTES {
            packs.push(std::mem::take(&mut current));
        }
        entries.push(serde_json::json!([
            term,
            postings.len(),
            packs.len(),
            current.len(),
            encoded.len()
        ]));
        current.extend_from_slice(&encoded);
    }
    if !current.is_empty() {
        packs.push(current);
    }
    Shard {
        dict: serde_json::to_vec(&entries).unwrap_or_default(),
        packs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_names_round_trip() {
        for key in ["ti", "øk", "å", "a1"] {
            assert_eq!(unhex(&hex(key)).as_deref(), Some(key));
        }
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("c3"), None);
        assert_eq!(unhex("abc"), None);
    }

    #[test]
    fn postings_are_delta_varints() {
        let mut terms = BTreeMap::new();
        terms.insert(
            "tilgang".to_string(),
            vec![
                (
                    3,
                    Posting {
                        count: 2,
                        sections: vec![(0, true), (200, false)],
                    },
                ),
                (
                    5,
                    Posting {
                        count: 1,
                        sections: vec![(1, false)],
                    },
                ),
            ],
        );
        let shard = encode_shard(&terms);
        assert_eq!(shard.packs, vec![vec![3, 2, 2, 1, 0x90, 0x03, 2, 1, 1, 2]]);
        let dict: serde_json::Value = serde_json::from_slice(&shard.dict).unwrap();
        assert_eq!(dict, serde_json::json!([["tilgang", 2, 0, 0, 10]]));
    }
}
