//! The module layering of ARCHITECTURE.md, checked against the `use crate::…` edges in `src/`.

/// Layers, lowest first: a module may use modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    &["diag", "slug", "secret", "limits", "relpath"],
    &["error", "yaml", "sidebars"],
    &["config"],
    &["catalog", "server", "i18n"],
    &["model"],
    &["routes", "permalink", "frontmatter", "theme", "apigen"],
    &["markdown", "openapi"],
    &["apimatch"],
    &["load", "nav", "apidocs", "snippets"],
    &["sandbox", "examples"],
    &["render", "check"],
    &["external"],
    &["report", "output", "search"],
    &["pipeline"],
    &["serve"],
    &["cli"],
];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` is not in LAYERS (and ARCHITECTURE.md)"))
}

#[test]
fn modules_use_only_lower_layers() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" || module == "init" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for (i, _) in text.match_indices("crate::") {
            let used: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if used.is_empty() || used == module || used.chars().next().unwrap().is_uppercase() {
                continue;
            }
            if layer_of(&used) >= layer_of(&module) {
                violations.push(format!("{} uses {used}", rel.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layering violations:\n{}",
        violations.join("\n")
    );
}
