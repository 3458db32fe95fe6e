use super::*;
use crate::model::Page;
use std::path::PathBuf;

fn page(route: &str, title: &str, html: &str, lang: Option<&str>) -> Page {
    let mut p = Page::generated(
        PageKind::Markdown,
        format!("{route}.md"),
        PathBuf::from(route),
        route.to_string(),
    );
    p.title = title.to_string();
    p.html = html.to_string();
    p.front.lang = lang.map(str::to_string);
    p
}

fn site() -> Site {
    Site {
        pages: vec![
            page(
                "/docs/tilgang/",
                "Tilgang til API-er",
                "<p>Slik får du tilganger.</p><h2 id=\"nokkel\">Nøkkel</h2><p>Tilgangen krever en nøkkel.</p>",
                None,
            ),
            page(
                "/docs/varsler/",
                "Varsler",
                "<p>Om notifikasjoner.</p><h2 id=\"ko\">Kø</h2><p>Notifikasjonene kommer på køen.</p>",
                None,
            ),
        ],
        ..Site::default()
    }
}

/// A decoded posting: page, occurrences, (section, in heading).
type Decoded = (u32, u32, Vec<(u32, bool)>);

/// The page numbers and sections of a term, decoded from the bundle the way the client reads it.
fn lookup(index: &mut Index, term: &str) -> Vec<Decoded> {
    let key = shard_key(term);
    let Some(dict) = index.file(&format!("{BUNDLE_URL}d/{}.json", bundle::hex(key))) else {
        return Vec::new();
    };
    let dict: Vec<(String, usize, usize, usize, usize)> = serde_json::from_slice(&dict).unwrap();
    let Some((_, df, pack, offset, len)) = dict.into_iter().find(|e| e.0 == term) else {
        return Vec::new();
    };
    let pack = index
        .file(&format!("{BUNDLE_URL}x/{}-{pack}.bin", bundle::hex(key)))
        .expect("pack");
    let mut bytes = pack[offset..offset + len].iter().copied();
    let mut next = || {
        let (mut n, mut shift) = (0u64, 0);
        for b in bytes.by_ref() {
            n |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b < 0x80 {
                break;
            }
        }
        n as u32
    };
    let mut out = Vec::new();
    let mut page = 0;
    for _ in 0..df {
        page += next();
        let count = next();
        let n = next();
        let mut section = 0;
        let mut sections = Vec::new();
        for _ in 0..n {
            let v = next();
            section += v >> 1;
            sections.push((section, v & 1 == 1));
        }
        out.push((page, count, sections));
    }
    out
}

#[test]
fn stems_norwegian_and_marks_titles_and_headings() {
    let mut index = Index::build(&site(), "nb");
    // "Tilgang" (title), "tilganger", "Tilgangen": one stem, in the title (section 0) and section 1.
    assert_eq!(
        lookup(&mut index, "tilgang"),
        vec![(0, 3, vec![(0, true), (1, false)])]
    );
    assert_eq!(lookup(&mut index, "nøkkel"), vec![(0, 2, vec![(1, true)])]);
    assert_eq!(
        lookup(&mut index, "notifikasjon"),
        vec![(1, 2, vec![(0, false), (1, false)])]
    );
    let meta: serde_json::Value =
        serde_json::from_slice(&index.file(&format!("{BUNDLE_URL}meta.json")).unwrap()).unwrap();
    assert_eq!(meta["pages"], 2);
    assert!(meta["keys"].as_array().unwrap().contains(&"ti".into()));
    let doc: serde_json::Value =
        serde_json::from_slice(&index.file(&format!("{BUNDLE_URL}p/1.json")).unwrap()).unwrap();
    assert_eq!(doc["u"], "/docs/varsler/");
    assert_eq!(
        doc["s"][1],
        serde_json::json!(["ko", "Kø", "Notifikasjonene kommer på køen."])
    );
}

#[test]
fn an_edit_swaps_one_pages_terms() {
    let mut s = site();
    let mut index = Index::build(&s, "nb");
    s.pages[1].html = "<p>Nå om sertifikater.</p>".into();
    index.update(&s, 1);
    assert_eq!(lookup(&mut index, "notifikasjon"), vec![]);
    assert_eq!(lookup(&mut index, "sertifikat").len(), 1);
    // Unchanged pages keep their postings, and the bundle equals a fresh build's.
    let fresh = Index::build(&s, "nb").into_files();
    let mut fresh: Vec<(String, Vec<u8>)> = fresh;
    fresh.sort();
    for (url, bytes) in &fresh {
        assert_eq!(index.file(url).as_ref(), Some(bytes), "{url}");
    }
}

#[test]
fn drafts_and_sections_are_left_out() {
    let mut s = site();
    s.pages[1].front.draft = true;
    s.pages.push(Page::generated(
        PageKind::Section,
        "x/_index.md".into(),
        PathBuf::from("x"),
        "/docs/x/".into(),
    ));
    let mut index = Index::build(&s, "nb");
    assert_eq!(index.page_count(), 1);
    assert_eq!(lookup(&mut index, "notifikasjon"), vec![]);
}

/// Issue 20: a `lang:` of 40 or more characters panicked Pagefind's indexer.
#[test]
fn any_lang_tag_is_indexed() {
    let mut s = site();
    s.pages[0].front.lang = Some("nb-".repeat(40));
    s.pages[1].front.lang = Some("ø".repeat(300));
    let mut index = Index::build(&s, "nb");
    // The long `nb-…` tag is still Norwegian; the unknown one is indexed without stemming.
    assert_eq!(lookup(&mut index, "tilgang")[0].0, 0);
    assert_eq!(lookup(&mut index, "notifikasjonene").len(), 1);
}

/// Issue 22: each result shows the titles of the folders above its page, the site's top page left out.
#[test]
fn documents_carry_the_breadcrumb_of_folder_titles() {
    let mut s = site();
    let mut folder = |route: &str, title: &str| {
        let mut p = page(route, title, "<p>Oversikt.</p>", None);
        p.is_index = true;
        s.pages.push(p);
    };
    folder("/docs/", "Hjem");
    folder("/docs/veiledere/", "Veiledere");
    folder("/docs/veiledere/api-manager/", "API Manager");
    s.pages.push(page(
        "/docs/veiledere/api-manager/tilgang/",
        "Be om tilgang",
        "<p>Tekst.</p>",
        None,
    ));
    let last = s.pages.len() - 1;
    let mut index = Index::build(&s, "nb");
    let doc = |index: &mut Index, i: usize| -> serde_json::Value {
        serde_json::from_slice(&index.file(&format!("{BUNDLE_URL}p/{i}.json")).unwrap()).unwrap()
    };
    assert_eq!(
        doc(&mut index, last)["b"],
        serde_json::json!(["Veiledere", "API Manager"])
    );
    assert_eq!(doc(&mut index, 0)["b"], serde_json::json!([]));
    assert_eq!(doc(&mut index, 3)["b"], serde_json::json!([]));
    assert_eq!(doc(&mut index, 4)["b"], serde_json::json!(["Veiledere"]));
}

/// The build writes the bundle as it goes (no page text kept); the files are those of the index
/// `serve` keeps, byte for byte.
#[test]
fn the_streamed_bundle_equals_the_kept_index() {
    let s = site();
    let written = std::sync::Mutex::new(Vec::new());
    write(&s, "nb", &|url, bytes| {
        written
            .lock()
            .unwrap()
            .push((url.to_string(), bytes.to_vec()));
        Ok(())
    })
    .unwrap();
    let mut written = written.into_inner().unwrap();
    written.sort();
    let mut kept = Index::build(&s, "nb").into_files();
    kept.sort();
    assert_eq!(written, kept);
    // A failing sink fails the write.
    let failed = write(&s, "nb", &|_, _| {
        Err(crate::error::Error::Setting {
            key: "route",
            message: "full".into(),
        })
    });
    assert!(failed.is_err());
}
