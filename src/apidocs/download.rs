//! The spec files readers can download beside an API's pages: the file as published, and the
//! OpenAPI 3.0 form the catalog was made from where that is another file (a Swagger 2.0 spec
//! converted, or a spec embedded in a Gravitee export). One list serves both the links on the page
//! and the files the build writes, so a link never points at a file that is not there.

use crate::catalog::Api;
use crate::model::Asset;
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;

/// A download link on an API page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(super) struct DownloadView {
    /// The file as published (else the converted OpenAPI 3.0 form).
    pub original: bool,
    /// Its URL.
    pub url: String,
    /// Its file name.
    pub name: String,
}

/// The links of one API whose page is at `route` (ending in `/`).
pub(super) fn links(api: &Api, route: &str) -> Vec<DownloadView> {
    files(api, route, None)
        .into_iter()
        .map(|(view, _)| view)
        .collect()
}

/// The files of every API of the catalog under `catalog_route`, as assets to write; `root` is the
/// site root the APIs' files are relative to.
pub fn assets(apis: &[Api], catalog_route: &str, root: &Path) -> Vec<Asset> {
    apis.iter()
        .flat_map(|api| {
            let route = crate::routes::join_route(catalog_route, &api.id);
            files(api, &route, Some(root))
        })
        .map(|(_, asset)| asset)
        .collect()
}

/// The download files of one API; with `root` (for writing) the assets carry their paths and the
/// converted specs' bytes, without it (for links) only the views are meant and nothing is copied.
fn files(api: &Api, route: &str, root: Option<&Path>) -> Vec<(DownloadView, Asset)> {
    let stem = api
        .file
        .file_stem()
        .map(|s| crate::slug::slugify(&s.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| api.id.clone());
    let extension = api
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "txt".into());
    let source = root.map(|root| root.join(&api.file)).unwrap_or_default();
    let mut out = Vec::new();
    let name = format!("{stem}.{extension}");
    out.push(file(true, route, name, &source, None));
    let converted: Vec<&String> = api
        .specs
        .iter()
        .filter_map(|s| s.converted.as_ref())
        .collect();
    for (i, json) in converted.iter().enumerate() {
        let name = if i == 0 {
            format!("{stem}.openapi-3.0.json")
        } else {
            format!("{stem}.openapi-3.0-{}.json", i + 1)
        };
        let bytes = root.map(|_| Arc::<[u8]>::from(json.as_bytes()));
        out.push(file(false, route, name, &source, bytes));
    }
    out
}

fn file(
    original: bool,
    route: &str,
    name: String,
    source: &Path,
    made: Option<Arc<[u8]>>,
) -> (DownloadView, Asset) {
    let url = format!("{route}{name}");
    (
        DownloadView {
            original,
            url: url.clone(),
            name,
        },
        Asset {
            source: source.to_path_buf(),
            url,
            made,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Spec, SpecFormat};

    fn spec(converted: Option<&str>) -> Spec {
        Spec {
            title: String::new(),
            version: String::new(),
            description: String::new(),
            format: SpecFormat::Swagger2,
            servers: vec![],
            operations: vec![],
            schemas: Default::default(),
            schema_spans: Default::default(),
            security_schemes: Default::default(),
            webhooks: vec![],
            converted: converted.map(str::to_string),
        }
    }

    #[test]
    fn the_original_is_always_offered_and_each_converted_spec_once() {
        let api = Api {
            id: "rom".into(),
            file: "openapi/Rom Export.JSON".into(),
            specs: vec![spec(Some("{}")), spec(None), spec(Some("[]"))],
            ..Api::default()
        };
        let names: Vec<String> = links(&api, "/docs/api/rom/")
            .into_iter()
            .map(|d| d.url)
            .collect();
        assert_eq!(
            names,
            [
                "/docs/api/rom/rom-export.json",
                "/docs/api/rom/rom-export.openapi-3.0.json",
                "/docs/api/rom/rom-export.openapi-3.0-2.json"
            ]
        );
        let assets = assets(std::slice::from_ref(&api), "/docs/api/", Path::new("/site"));
        assert_eq!(assets[0].source, Path::new("/site/openapi/Rom Export.JSON"));
        assert!(assets[0].made.is_none());
        assert_eq!(assets[2].made.as_deref(), Some(&b"[]"[..]));
    }
}
