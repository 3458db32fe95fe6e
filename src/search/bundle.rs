//! The bundle's file formats, read by `themes/default/static/search.js`:
//!
//! - `meta.json`: `{"v":1,"pages":N,"lang":"nb","keys":["ab",…]}`, the dictionary shards that exist.
//! - `d/HEX.json`, HEX the UTF-8 bytes of a two-letter prefix in hex: the terms with that prefix,
//!   sorted, as `[term, pages, pack, offset, length]`.
//! - `x/HEX-PACK.bin`: postings of the prefix's terms, packed to about [`PACK_BYTES`] (a larger term has
//!   a pack of its own). A term's postings, by page ascending, are LEB128 varints: page delta, count
//!   of occurrences, number of sections, then per section `(section delta << 1) | in_heading`.
//! - `p/PAGE.json`: `{"t":title,"u":route,"b":[breadcrumb title,…],"s":[[anchor, heading, text],…]}`.

use super::text::Section;
use super::Posting;

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
    if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
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

/// A page's document, written straight from the borrowed text: the same bytes `serde_json` writes
/// for `{"t":…,"u":…,"b":[…],"s":[[anchor, heading, text],…]}`, with a faster scan of the text for
/// characters to escape (a page's sections are nearly all of the bundle's bytes).
pub(super) fn document(title: &str, route: &str, crumbs: &[&str], sections: &[Section]) -> Vec<u8> {
    let text: usize = sections
        .iter()
        .map(|s| s.anchor.len() + s.heading.len() + s.text.len() + 12)
        .sum();
    let mut out = Vec::with_capacity(32 + title.len() + route.len() + text);
    out.extend_from_slice(b"{\"t\":");
    json_string(&mut out, title);
    out.extend_from_slice(b",\"u\":");
    json_string(&mut out, route);
    out.extend_from_slice(b",\"b\":[");
    for (n, crumb) in crumbs.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        json_string(&mut out, crumb);
    }
    out.extend_from_slice(b"],\"s\":[");
    for (n, section) in sections.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.push(b'[');
        json_string(&mut out, &section.anchor);
        out.push(b',');
        json_string(&mut out, &section.heading);
        out.push(b',');
        json_string(&mut out, &section.text);
        out.push(b']');
    }
    out.extend_from_slice(b"]}");
    out
}

/// Whether any byte of `word` is a control character, `"` or `\\` (one test per 8 bytes).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    // Bytes below 0x20: bytes that lose their high bit when 0x20 is taken away, and were not ≥ 0x80.
    let control = word.wrapping_sub(0x20 * ONES) & !word & HIGH;
    control | zero_in(word ^ (u64::from(b'"') * ONES)) | zero_in(word ^ (u64::from(b'\\') * ONES))
        != 0
}

/// A JSON string as `serde_json` writes it: `"` and `\\` escaped, control characters as `\n`-style
/// escapes where JSON has one and `\u00xx` otherwise, everything else as is.
fn json_string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !needs_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A term's postings, encoded as they are written to a pack, pages ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Postings {
    /// Number of pages.
    pub(super) pages: u32,
    /// The last page appended.
    last: u32,
    pub(super) bytes: Vec<u8>,
}

impl Postings {
    /// Append a page after every page already in the list.
    pub(super) fn push(&mut self, page: u32, count: u32, sections: &[(u32, bool)]) {
        varint(&mut self.bytes, u64::from(page - self.last));
        self.last = page;
        self.pages += 1;
        varint(&mut self.bytes, u64::from(count));
        varint(&mut self.bytes, sections.len() as u64);
        let mut last_section = 0u32;
        for &(section, head) in sections {
            varint(
                &mut self.bytes,
                (u64::from(section - last_section) << 1) | u64::from(head),
            );
            last_section = section;
        }
    }

    /// The postings decoded: (page, posting).
    #[cfg(test)]
    pub(super) fn decode(&self) -> Vec<(u32, Posting)> {
        let mut bytes = self.bytes.iter().copied();
        let mut next = || {
            let (mut n, mut shift) = (0u64, 0u32);
            for b in bytes.by_ref() {
                if shift < 64 {
                    n |= u64::from(b & 0x7f) << shift;
                }
                shift += 7;
                if b < 0x80 {
                    break;
                }
            }
            u32::try_from(n).unwrap_or(u32::MAX)
        };
        let mut out = Vec::with_capacity(self.pages as usize);
        let mut page = 0u32;
        for _ in 0..self.pages {
            page = page.saturating_add(next());
            let count = next();
            let n = next();
            let mut section = 0u32;
            let sections = (0..n)
                .map(|_| {
                    let v = next();
                    section = section.saturating_add(v >> 1);
                    (section, v & 1 == 1)
                })
                .collect();
            out.push((page, Posting { count, sections }));
        }
        out
    }

    /// The list with page `page` left out, and then `posting` (if any) in its place. Works on the
    /// bytes: the entries before and after are copied, only the next entry's page delta is written
    /// again (an edit in `serve` costs a scan of each of the page's terms, no decoding).
    pub(super) fn replace(&self, page: u32, posting: Option<&Posting>) -> Postings {
        let bytes = &self.bytes;
        let (mut at, mut previous, mut split, mut had) = (0usize, 0u32, bytes.len(), false);
        // The page of the entry parsed last (deltas are relative to it).
        let mut parsed = 0u32;
        // The first entry after `page`: (its page, where its body starts).
        let mut rest: Option<(u32, usize)> = None;
        for _ in 0..self.pages {
            if at >= bytes.len() {
                break;
            }
            let start = at;
            let entry_page = parsed.saturating_add(read_varint(bytes, &mut at));
            parsed = entry_page;
            let body = at;
            read_varint(bytes, &mut at);
            let sections = read_varint(bytes, &mut at);
            for _ in 0..sections.min(bytes.len() as u32) {
                read_varint(bytes, &mut at);
            }
            if entry_page < page {
                previous = entry_page;
                continue;
            }
            if entry_page == page && !had {
                split = split.min(start);
                had = true;
                continue;
            }
            split = split.min(start);
            rest = Some((entry_page, body));
            break;
        }
        let mut out = Postings {
            pages: self.pages - u32::from(had),
            last: previous,
            bytes: Vec::with_capacity(bytes.len() + 16),
        };
        out.bytes.extend_from_slice(&bytes[..split]);
        if let Some(posting) = posting {
            out.push(page, posting.count, &posting.sections);
        }
        if let Some((rest_page, body)) = rest {
            varint(&mut out.bytes, u64::from(rest_page - out.last));
            out.bytes.extend_from_slice(&bytes[body..]);
            out.last = self.last;
        }
        out
    }
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let (mut n, mut shift) = (0u64, 0u32);
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        if shift < 64 {
            n |= u64::from(b & 0x7f) << shift;
        }
        shift += 7;
        if b < 0x80 {
            break;
        }
    }
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Encode one dictionary shard (its terms, sorted, with their postings) and its packs.
pub(super) fn encode_shard<'a>(terms: impl Iterator<Item = (&'a str, &'a Postings)>) -> Shard {
    let mut packs: Vec<Vec<u8>> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let mut entries: Vec<serde_json::Value> = Vec::new();
    for (term, postings) in terms {
        let encoded = &postings.bytes;
        if !current.is_empty() && current.len() + encoded.len() > PACK_BYTES {
            packs.push(std::mem::take(&mut current));
        }
        entries.push(serde_json::json!([
            term,
            postings.pages,
            packs.len(),
            current.len(),
            encoded.len()
        ]));
        current.extend_from_slice(encoded);
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
        let first = Posting {
            count: 2,
            sections: vec![(0, true), (200, false)],
        };
        let second = Posting {
            count: 1,
            sections: vec![(1, false)],
        };
        let mut postings = Postings::default();
        postings.push(3, first.count, &first.sections);
        postings.push(5, second.count, &second.sections);
        assert_eq!(postings.bytes, vec![3, 2, 2, 1, 0x90, 0x03, 2, 1, 1, 2]);
        assert_eq!(
            postings.decode(),
            vec![(3, first.clone()), (5, second.clone())]
        );
        let shard = encode_shard(std::iter::once(("tilgang", &postings)));
        assert_eq!(shard.packs, vec![postings.bytes.clone()]);
        let dict: serde_json::Value = serde_json::from_slice(&shard.dict).unwrap();
        assert_eq!(dict, serde_json::json!([["tilgang", 2, 0, 0, 10]]));
        // An edit: page 3 out, page 4 in; a page before all, after all, in place.
        let edited = postings.replace(3, None).replace(4, Some(&first));
        assert_eq!(
            edited.decode(),
            vec![(4, first.clone()), (5, second.clone())]
        );
        let edited = edited.replace(0, Some(&second)).replace(9, Some(&second));
        assert_eq!(
            edited.decode(),
            vec![
                (0, second.clone()),
                (4, first.clone()),
                (5, second.clone()),
                (9, second.clone())
            ]
        );
        let edited = edited
            .replace(5, Some(&first))
            .replace(9, None)
            .replace(0, None);
        assert_eq!(
            edited.decode(),
            vec![(4, first.clone()), (5, first.clone())]
        );
        // Appending after an edit continues from the true last page.
        let mut appended = edited.clone();
        appended.push(7, 1, &[(2, false)]);
        assert_eq!(appended.decode().last().map(|e| e.0), Some(7));
        assert_eq!(
            edited.replace(4, None).replace(5, None),
            Postings::default()
        );
    }

    /// The hand-written document is byte for byte what `serde_json` writes, every escape included.
    #[test]
    fn documents_are_what_serde_json_writes() {
        let all: String = (0u8..0x80).map(char::from).collect();
        let texts = [
            String::new(),
            all.clone(),
            format!("{all}{all}æøå\u{2028}\u{7f}"),
            "Tilgang til «API-er» — \"sitat\" og \\sti\\".to_string(),
            "12345678\"".to_string(),
            "1234567\u{1}".to_string(),
            "æøåæøåæ\u{1f}".to_string(),
        ];
        for text in &texts {
            let sections = vec![
                Section::default(),
                Section {
                    anchor: text.clone(),
                    heading: text.clone(),
                    text: text.clone(),
                },
            ];
            let crumbs = [text.as_str(), "Mappe"];
            let expected = serde_json::to_vec(&serde_json::json!({
                "t": text,
                "u": "/docs/a/",
                "b": crumbs,
                "s": sections
                    .iter()
                    .map(|s| [&s.anchor, &s.heading, &s.text])
                    .collect::<Vec<_>>(),
            }))
            .unwrap();
            let written = document(text, "/docs/a/", &crumbs, &sections);
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&expected)
            );
            assert_eq!(
                document(text, "/", &[], &[]),
                serde_json::to_vec(&serde_json::json!({"t": text, "u": "/", "b": [], "s": []}))
                    .unwrap()
            );
        }
    }

    #[test]
    fn garbage_postings_decode_without_panic() {
        let postings = Postings {
            pages: 3,
            last: 0,
            bytes: vec![0xff; 20],
        };
        let _ = postings.decode();
    }
}
