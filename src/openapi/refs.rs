//! `$ref`s to other local files (`schemas/person.yaml#/Person`, `./common.json`), as multi-file
//! specs are written: each is replaced by the value it points at, read once per file, relative to the
//! file that holds the reference. References inside the other file (`#/...`) are resolved in that
//! file. Files outside the OpenAPI folder, URLs, a missing file or pointer, and chains deeper than
//! [`MAX_DEPTH`] (a cycle across files) are problems with the reference's pointer, and the reference
//! is left as it is.

use super::locate::child;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// How many files deep references may go.
const MAX_DEPTH: usize = 16;

/// Inlines local-file references of a document.
pub(super) struct Inliner<'a> {
    /// The OpenAPI folder: references may not leave it.
    dir: &'a Path,
    files: HashMap<PathBuf, Option<Value>>,
    /// Every file a reference pointed into.
    pub(super) used: BTreeSet<PathBuf>,
    /// (pointer, message) problems.
    pub(super) problems: Vec<(String, String)>,
}

impl<'a> Inliner<'a> {
    /// An inliner for documents below `dir`.
    pub(super) fn new(dir: &'a Path) -> Self {
        Inliner {
            dir,
            files: HashMap::new(),
            used: BTreeSet::new(),
            problems: Vec::new(),
        }
    }

    /// Replace the local-file references in `value` (the document at `file`).
    pub(super) fn inline(&mut self, value: &mut Value, file: &Path) {
        self.walk(value, file, None, "", 0);
    }

    /// `doc` is the whole document of `file` when `value` came from another file (so that `#/...`
    /// references resolve there); `None` for the main document, whose own references stay.
    fn walk(
        &mut self,
        value: &mut Value,
        file: &Path,
        doc: Option<&Value>,
        at: &str,
        depth: usize,
    ) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str).map(str::to_string)
                {
                    let is_url = reference.contains("://");
                    let local_in_other = reference.starts_with('#') && doc.is_some();
                    if !is_url && (!reference.starts_with('#') || local_in_other) {
                        if let Some(target) = self.resolve(&reference, file, doc, at, depth) {
                            *value = target;
                        }
                        return;
                    }
                }
                for (key, item) in map.iter_mut() {
                    let at = child(at, key);
                    self.walk(item, file, doc, &at, depth);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.walk(item, file, doc, &format!("{at}/{i}"), depth);
                }
            }
            _ => {}
        }
    }

    fn resolve(
        &mut self,
        reference: &str,
        file: &Path,
        doc: Option<&Value>,
        at: &str,
        depth: usize,
    ) -> Option<Value> {
        if depth >= MAX_DEPTH {
            self.problems.push((
                at.to_string(),
                format!("`$ref: {reference}`: references go more than {MAX_DEPTH} deep across files (a cycle?)"),
            ));
            return None;
        }
        let (path_part, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let (target_file, document) = if path_part.is_empty() {
            (file.to_path_buf(), doc?.clone())
        } else {
            let target = file.parent().unwrap_or(Path::new("")).join(path_part);
            let Some(target) = self.within(&target) else {
                self.problems.push((
                    at.to_string(),
                    format!("`$ref: {reference}` points outside the OpenAPI folder or at no file"),
                ));
                return None;
            };
            let Some(document) = self.read(&target) else {
                self.problems.push((
                    at.to_string(),
                    format!("`$ref: {reference}`: the file cannot be read as JSON or YAML"),
                ));
                return None;
            };
            self.used.insert(target.clone());
            (target, document)
        };
        let Some(mut target) = document.pointer(pointer).cloned() else {
            self.problems.push((
                at.to_string(),
                format!("`$ref: {reference}` points at nothing in that file"),
            ));
            return None;
        };
        self.walk(&mut target, &target_file, Some(&document), at, depth + 1);
        Some(target)
    }

    /// The canonical path when it exists inside the folder.
    fn within(&self, path: &Path) -> Option<PathBuf> {
        let canonical = path.canonicalize().ok()?;
        let dir = self.dir.canonicalize().ok()?;
        canonical.starts_with(&dir).then_some(canonical)
    }

    fn read(&mut self, path: &Path) -> Option<Value> {
        self.files
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path).ok()?;
                let json = path.extension().is_some_and(|e| e == "json");
                super::parse_text(&text, json, &crate::limits::Limits::default()).ok()
            })
            .clone()
    }
}
