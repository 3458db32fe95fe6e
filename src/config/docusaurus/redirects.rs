//! The options of `@docusaurus/plugin-client-redirects` (`packages/docusaurus-plugin-client-redirects/src/options.ts`):
//! `fromExtensions`, `toExtensions`, `redirects` and `createRedirects`. The last is a JavaScript
//! function of a route; JSON cannot carry it, so the config is evaluated again once the routes are
//! known and the function called there for each ([`create_redirects`]), within the config's time
//! limit. What the plugin makes of the options is `pipeline::redirects`.

use serde_json::Value;
use std::path::Path;

/// One instance of the client redirects plugin.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientRedirects {
    /// Its index in the config's `plugins`, to find `createRedirects` again.
    pub plugin: usize,
    /// `fromExtensions` (`['html']`: `/x.html` redirects to `/x`).
    pub from_extensions: Vec<String>,
    /// `toExtensions` (`['html']`: `/x` redirects to an existing `/x.html`).
    pub to_extensions: Vec<String>,
    /// `redirects`, one `(from, to)` per `from` (a list of `from`s is spread).
    pub redirects: Vec<(String, String)>,
    /// Whether `createRedirects` is a function.
    pub create_redirects: bool,
}

/// A JavaScript function run on the evaluated config before it becomes JSON: a `createRedirects`
/// function of a plugin becomes `true`, so [`options`] knows it is there.
pub(super) const MARK_FUNCTIONS: &str = r#"(config) => {
  const plugins = config && Array.isArray(config.plugins) ? config.plugins : [];
  for (const p of plugins) {
    const options = Array.isArray(p) ? p[1] : undefined;
    if (options && typeof options.createRedirects === 'function') {
      try { options.createRedirects = true; } catch (e) { /* a frozen object keeps its function */ }
    }
  }
  return config;
}"#;

/// Whether a plugin name is the client redirects plugin (by its package or its short name, as
/// Docusaurus resolves plugin names).
pub(super) fn is_client_redirects(name: &str) -> bool {
    name.ends_with("plugin-client-redirects") || name == "client-redirects"
}

/// The plugin's options at `plugin` in `plugins`, with its defaults (all empty).
pub(super) fn options(plugin: usize, options: &Value) -> ClientRedirects {
    let strings = |key: &str| -> Vec<String> {
        options
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let mut redirects = Vec::new();
    for entry in options
        .get("redirects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(to) = entry.get("to").and_then(Value::as_str) else {
            continue;
        };
        match entry.get("from") {
            Some(Value::String(from)) => redirects.push((from.clone(), to.to_string())),
            Some(Value::Array(froms)) => redirects.extend(
                froms
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|from| (from.to_string(), to.to_string())),
            ),
            _ => {}
        }
    }
    ClientRedirects {
        plugin,
        from_extensions: strings("fromExtensions"),
        to_extensions: strings("toExtensions"),
        redirects,
        create_redirects: options.get("createRedirects") == Some(&Value::Bool(true)),
    }
}

/// Call the `createRedirects` function of the plugin at `plugin` in the config `file` (under
/// `root`) with each route, as the plugin does: the paths that redirect to each route, by route
/// (a string result is one path, `undefined` none). Or why the call failed.
pub fn create_redirects(
    root: &Path,
    file: &str,
    plugin: usize,
    routes: &[String],
) -> Result<Vec<Vec<String>>, String> {
    let routes_json = serde_json::to_string(routes).map_err(|e| e.to_string())?;
    let finish = format!(
        "(config) => {{\n  const f = config.plugins[{plugin}][1].createRedirects;\n  \
         return {routes_json}.map((route) => {{ const v = f(route); return v == null ? [] : [].concat(v); }});\n}}"
    );
    let value = super::js::evaluate_then(root, file, Some(&finish))?;
    Ok(value
        .as_array()
        .into_iter()
        .flatten()
        .map(|froms| {
            froms
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_spread_lists_and_know_a_create_function() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("docusaurus.config.js"),
            "module.exports = {plugins: [['@docusaurus/plugin-client-redirects', {\n\
             fromExtensions: ['html'], redirects: [{from: ['/a', '/b'], to: '/docs/x'}, {from: '/c', to: '/d'}],\n\
             createRedirects(path) { if (path.startsWith('/docs/new')) return path.replace('/docs/new', '/docs/old'); }\n\
             }]]};\n",
        )
        .unwrap();
        let value = super::super::js::evaluate_then(
            dir.path(),
            "docusaurus.config.js",
            Some(MARK_FUNCTIONS),
        )
        .unwrap();
        let o = options(0, &value["plugins"][0][1]);
        assert_eq!(o.from_extensions, ["html"]);
        assert_eq!(
            o.redirects,
            [
                ("/a".to_string(), "/docs/x".to_string()),
                ("/b".into(), "/docs/x".into()),
                ("/c".into(), "/d".into())
            ]
        );
        assert!(o.create_redirects);
        let made = create_redirects(
            dir.path(),
            "docusaurus.config.js",
            0,
            &["/docs/new/a".into(), "/docs/b".into()],
        )
        .unwrap();
        assert_eq!(made, vec![vec!["/docs/old/a".to_string()], vec![]]);
    }

    #[test]
    fn an_endless_create_function_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("docusaurus.config.js"),
            "module.exports = {plugins: [['client-redirects', {createRedirects() { for (;;) {} }}]]};\n",
        )
        .unwrap();
        let e = create_redirects(dir.path(), "docusaurus.config.js", 0, &["/docs/a".into()])
            .unwrap_err();
        assert!(e.contains("did not finish"), "{e}");
    }
}
