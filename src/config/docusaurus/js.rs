//! Evaluating a Docusaurus site's own config files (`docusaurus.config.{js,mjs,cjs,ts}`,
//! `sidebars.{js,ts}`; TypeScript with its types stripped by [`super::typescript`]) with an
//! embedded QuickJS (rquickjs), as Docusaurus itself loads them, in a
//! sandbox: no file system but the site's own `require`/`import` of files under its root (read by
//! us, never outside it), no network, no environment (`process.env` is empty), a time limit, a
//! memory limit and a stack limit. Packages (`@docusaurus/...`, `prism-react-renderer`, plugins)
//! are not run: any `import`/`require` of a package gives an inert stand-in that can be called,
//! constructed and read from without effect, and `require.resolve(name)` gives the name back, so
//! a config that only names its plugins evaluates. The result is the exported value as JSON
//! (functions dropped).

use rquickjs::loader::{ImportAttributes, Loader, Resolver};
use rquickjs::{CatchResultExt, Context, Ctx, Function, Module, Runtime, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// How long one config file (with everything it requires) may run.
pub const TIME_LIMIT: Duration = Duration::from_secs(2);
/// How much memory the engine may take.
const MEMORY_LIMIT: usize = 64 << 20;
/// How deep JavaScript may recurse.
const STACK_LIMIT: usize = 1 << 20;
/// The largest file the site's config may `require` or `import`.
const MAX_FILE: u64 = 4 << 20;

/// Names each package is imported under, per package (`import {themes} from 'x'` → `x: [themes]`),
/// so its stand-in module can export them.
type Imports = Rc<RefCell<BTreeMap<String, Vec<String>>>>;

/// The prelude: `require`, `module`, `process` and the package stand-in.
const PRELUDE: &str = r#"
(function (host) {
  const stubTarget = function () {};
  let stub;
  stub = new Proxy(stubTarget, {
    get(_t, key) {
      if (key === Symbol.toPrimitive) return () => '';
      if (typeof key === 'symbol' || key === 'toJSON' || key === 'then') return undefined;
      return stub;
    },
    apply() { return stub; },
    construct() { return stub; },
  });
  globalThis.__intarkStub = stub;
  const cache = {};
  function makeRequire(dir) {
    const req = function (spec) {
      spec = String(spec);
      if (!/^\.\.?(\/|$)/.test(spec)) return stub;
      const found = host(dir, spec);
      if (found == null) throw new Error(`cannot require '${spec}': no such file in the site`);
      const [file, source] = found;
      if (cache[file]) return cache[file].exports;
      const module = { exports: {} };
      cache[file] = module;
      if (file.endsWith('.json')) {
        module.exports = JSON.parse(source);
      } else {
        const fileDir = file.slice(0, file.lastIndexOf('/'));
        const body = new Function('module', 'exports', 'require', '__dirname', '__filename', source);
        body(module, module.exports, makeRequire(fileDir), fileDir, file);
      }
      return module.exports;
    };
    req.resolve = (spec) => String(spec);
    return req;
  }
  globalThis.__intarkRequire = makeRequire;
  globalThis.require = makeRequire('.');
  globalThis.module = { exports: {} };
  globalThis.exports = globalThis.module.exports;
  globalThis.process = { env: {}, cwd: () => '.', platform: 'linux', argv: [] };
  globalThis.__dirname = '.';
  globalThis.__filename = './docusaurus.config.js';
})
"#;

/// Evaluate `file` (relative to `root`) as Docusaurus would load it (an ES module, or CommonJS
/// through `module.exports`); a function export is called (awaited if async). Returns its value as
/// JSON, or a message saying why not.
pub fn evaluate(root: &Path, file: &str) -> Result<serde_json::Value, String> {
    evaluate_then(root, file, None)
}

/// [`evaluate`], with the exported value passed through `finish` (the source of a JavaScript
/// function of one argument) before it becomes JSON, in the same engine and within the same time
/// limit: the way to read what JSON cannot carry, such as calling a function the config holds.
pub fn evaluate_then(
    root: &Path,
    file: &str,
    finish: Option<&str>,
) -> Result<serde_json::Value, String> {
    let source = read_module(root, file)?;
    let runtime = Runtime::new().map_err(|e| e.to_string())?;
    runtime.set_memory_limit(MEMORY_LIMIT);
    runtime.set_max_stack_size(STACK_LIMIT);
    let deadline = Instant::now() + TIME_LIMIT;
    runtime.set_interrupt_handler(Some(Box::new(move || Instant::now() > deadline)));
    let imports: Imports = Rc::default();
    record_imports(&source, &imports);
    runtime.set_loader(
        SiteResolver {
            root: root.to_path_buf(),
        },
        SiteLoader {
            root: root.to_path_buf(),
            imports: imports.clone(),
        },
    );
    let context = Context::full(&runtime).map_err(|e| e.to_string())?;
    let result = context.with(|ctx| -> Result<String, String> {
        install_prelude(&ctx, root).map_err(|e| caught(&ctx, e, deadline))?;
        let run = || -> rquickjs::Result<String> {
            let module = Module::declare(ctx.clone(), file, source.as_str())?;
            let (module, promise) = module.eval()?;
            promise.finish::<()>()?;
            let mut value: Value = module.get("default")?;
            if value.is_undefined() {
                value = ctx.eval("module.exports")?;
            }
            if let Some(f) = value.as_function() {
                value = f.call(())?;
            }
            if let Some(p) = value.as_promise() {
                value = p.finish()?;
            }
            if let Some(finish) = finish {
                let finish: Function = ctx.eval(format!("({finish})"))?;
                value = finish.call((value,))?;
            }
            Ok(ctx
                .json_stringify(value)?
                .map(|s| s.to_string())
                .transpose()?
                .unwrap_or_else(|| "null".into()))
        };
        run().map_err(|e| caught(&ctx, e, deadline))
    })?;
    serde_json::from_str(&result).map_err(|e| e.to_string())
}

/// An engine error as a message: the thrown value's message and stack, or the time limit.
fn caught(ctx: &Ctx<'_>, e: rquickjs::Error, deadline: Instant) -> String {
    if Instant::now() > deadline {
        return format!("did not finish within {} s", TIME_LIMIT.as_secs());
    }
    let thrown = Err::<(), _>(e).catch(ctx).err();
    match thrown {
        Some(c) => c.to_string().trim().to_string(),
        None => "the JavaScript engine failed".into(),
    }
}

/// Define `require`, `module`, `process` and the stand-in; `require` reads files through
/// [`read_within`] only.
fn install_prelude(ctx: &Ctx<'_>, root: &Path) -> rquickjs::Result<()> {
    let root = root.to_path_buf();
    let host = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'_>, dir: String, spec: String| -> rquickjs::Result<Option<Vec<String>>> {
            if !is_relative(&spec) {
                return Ok(None);
            }
            match find_module(&root, &dir, &spec) {
                None => Ok(None),
                Some((file, Ok(text))) => Ok(Some(vec![file, text])),
                Some((_, Err(message))) => Err(rquickjs::Exception::throw_message(&ctx, &message)),
            }
        },
    )?;
    let install: Function = ctx.eval(PRELUDE)?;
    install.call::<_, ()>((host,))?;
    Ok(())
}

/// Whether a module specifier names a file of the site (`./x`, `../x`) rather than a package.
pub fn is_relative(spec: &str) -> bool {
    spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".."
}

/// `dir/spec` with the extension search of jiti, which Docusaurus loads configs with (Node's `x`,
/// `x.js`, `x.cjs`, `x.mjs`, then TypeScript's `x.ts`, `x.mts`, `x.cts`, then `x.json`,
/// `x/index.js`, `x/index.ts`), normalised and inside the root. Returns the file (`/`-separated,
/// relative to the root, as `./a/b.js`) and its JavaScript, or why it cannot be read.
fn find_module(root: &Path, dir: &str, spec: &str) -> Option<(String, Result<String, String>)> {
    let candidate = module_file(root, dir, spec)?;
    let text = read_module(root, &candidate);
    Some((format!("./{candidate}"), text))
}

/// The file (`/`-separated, relative to the root) that the relative specifier `spec` of a module
/// in `dir` loads, by [`find_module`]'s search; `None` when there is none inside the root.
pub fn module_file(root: &Path, dir: &str, spec: &str) -> Option<String> {
    let joined = crate::relpath::normalise(&format!("{dir}/{spec}"))?;
    std::iter::once(joined.clone())
        .chain(
            ["js", "cjs", "mjs", "ts", "mts", "cts", "json"]
                .iter()
                .map(|ext| format!("{joined}.{ext}")),
        )
        .chain(["index.js", "index.ts"].map(|index| format!("{joined}/{index}")))
        .find(|candidate| root.join(candidate).is_file())
}

/// A module's JavaScript: the file's text, with its types stripped when it is TypeScript.
fn read_module(root: &Path, rel: &str) -> Result<String, String> {
    let text = read_within(root, rel)?;
    if super::typescript::is_typescript(rel) {
        let name = crate::relpath::normalise(rel).unwrap_or_else(|| rel.to_string());
        return super::typescript::strip(&name, &text);
    }
    Ok(text)
}

/// Read a file under the root ([`crate::relpath::read_within`], at most [`MAX_FILE`] bytes).
fn read_within(root: &Path, rel: &str) -> Result<String, String> {
    crate::relpath::read_within(root, rel, MAX_FILE).map(|(_, text)| text)
}

/// Record the names imported from each package in `source` (`import a, {b as c} from 'p'`).
fn record_imports(source: &str, imports: &Imports) {
    let mut rest = source;
    while let Some(at) = rest.find("import") {
        let after = &rest[at + "import".len()..];
        rest = after;
        let Some(from) = after.find("from") else {
            break;
        };
        let clause = &after[..from];
        if clause.contains(';') || clause.contains('(') {
            continue;
        }
        let spec: String = after[from + 4..]
            .trim_start()
            .chars()
            .skip(1)
            .take_while(|c| *c != '\'' && *c != '"')
            .collect();
        if spec.is_empty() || is_relative(&spec) {
            continue;
        }
        let mut names = Vec::new();
        if let (Some(open), Some(close)) = (clause.find('{'), clause.find('}')) {
            for item in clause[open + 1..close].split(',') {
                let name = item.split_whitespace().next().unwrap_or_default();
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                {
                    names.push(name.to_string());
                }
            }
        }
        imports.borrow_mut().entry(spec).or_default().extend(names);
    }
}

/// Resolves relative imports against the importing file; packages keep their name.
struct SiteResolver {
    root: PathBuf,
}

impl Resolver for SiteResolver {
    fn resolve<'js>(
        &mut self,
        _ctx: &Ctx<'js>,
        base: &str,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<String> {
        if !is_relative(name) {
            return Ok(format!("package:{name}"));
        }
        let dir = base.rsplit_once('/').map_or(".", |(d, _)| d);
        match find_module(&self.root, dir, name) {
            Some((file, _)) => Ok(file),
            None => Err(rquickjs::Error::new_resolving(base, name)),
        }
    }
}

/// Loads the site's own modules from under the root, and a stand-in for each package.
struct SiteLoader {
    root: PathBuf,
    imports: Imports,
}

impl Loader for SiteLoader {
    fn load<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<Module<'js, rquickjs::module::Declared>> {
        if let Some(package) = name.strip_prefix("package:") {
            let names = self
                .imports
                .borrow()
                .get(package)
                .cloned()
                .unwrap_or_default();
            let mut source =
                String::from("const s = globalThis.__intarkStub;\nexport default s;\n");
            for n in names.iter().filter(|n| n.as_str() != "default") {
                source.push_str(&format!("export const {n} = s;\n"));
            }
            return Module::declare(ctx.clone(), name, source);
        }
        let text = read_module(&self.root, name)
            .map_err(|message| rquickjs::Error::new_loading_message(name, message))?;
        record_imports(&text, &self.imports);
        Module::declare(ctx.clone(), name, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn es_module_config_with_packages_and_require() {
        let dir = site(&[
            (
                "docusaurus.config.js",
                "import {themes as t} from 'prism-react-renderer';\n\
                 const c = {title: 'T', year: new Date().getFullYear() > 2000, theme: t.github,\n\
                 plugins: [require.resolve('docusaurus-lunr-search')], env: process.env.HOME ?? null};\n\
                 export default c;\n",
            ),
        ]);
        let v = evaluate(dir.path(), "docusaurus.config.js").unwrap();
        assert_eq!(v["title"], "T");
        assert_eq!(v["year"], true);
        assert_eq!(v["plugins"][0], "docusaurus-lunr-search");
        assert!(
            v.get("theme").is_none(),
            "a package stand-in is dropped: {v}"
        );
        assert_eq!(v["env"], serde_json::Value::Null, "no environment");
    }

    #[test]
    fn commonjs_sidebars_require_their_parts() {
        let dir = site(&[
            (
                "sidebars.js",
                "module.exports = {a: require('./docs/a/sidebars.js'), b: require('./b.json')};",
            ),
            (
                "docs/a/sidebars.js",
                "module.exports = [{type: 'autogenerated', dirName: '.'}];",
            ),
            ("b.json", "[\"x\"]"),
        ]);
        let v = evaluate(dir.path(), "sidebars.js").unwrap();
        assert_eq!(v["a"][0]["type"], "autogenerated");
        assert_eq!(v["b"][0], "x");
    }

    #[test]
    fn typescript_config_imports_typescript_and_names_its_errors() {
        let dir = site(&[
            (
                "docusaurus.config.ts",
                "import type {Config} from '@docusaurus/types';\n\
                 import * as Docs from '@docusaurus/plugin-content-docs';\n\
                 import {redirects} from './redirects';\n\
                 const config: Config = {title: 'T', onBrokenLinks: process.env.CI ? 'throw' : 'warn',\n\
                 plugins: [['@docusaurus/plugin-content-docs', {path: 'docs'} satisfies Docs.Options]],\n\
                 redirects};\n\
                 export default config;\n",
            ),
            (
                "redirects.ts",
                "export const redirects: {from: string}[] = [{from: '/a'}];\n",
            ),
            (
                "sidebars.ts",
                "import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';\n\
                 const sidebars: SidebarsConfig = {docs: [{type: 'autogenerated', dirName: '.'}]};\n\
                 export default sidebars;\n",
            ),
            ("broken.ts", "import {x} from './bad';\nexport default x;\n"),
            ("bad.ts", "export const x = 1;\nexport const y: = 2;\n"),
        ]);
        let v = evaluate(dir.path(), "docusaurus.config.ts").unwrap();
        assert_eq!(v["title"], "T");
        assert_eq!(v["onBrokenLinks"], "warn");
        assert_eq!(v["plugins"][0][1]["path"], "docs");
        assert_eq!(v["redirects"][0]["from"], "/a");
        let sidebars = evaluate(dir.path(), "sidebars.ts").unwrap();
        assert_eq!(sidebars["docs"][0]["type"], "autogenerated");
        let e = evaluate(dir.path(), "broken.ts").unwrap_err();
        assert!(e.contains("bad.ts:2:"), "the imported file's line: {e}");
    }

    #[test]
    fn async_function_configs_are_awaited() {
        let dir = site(&[(
            "docusaurus.config.js",
            "module.exports = async function () { return {title: 'A'}; };",
        )]);
        assert_eq!(
            evaluate(dir.path(), "docusaurus.config.js").unwrap()["title"],
            "A"
        );
    }

    #[test]
    fn sandbox_refuses_files_outside_and_stops_endless_loops() {
        let dir = site(&[
            ("loop.js", "while (true) {}"),
            ("out.js", "module.exports = require('../../etc/passwd');"),
            ("throws.js", "throw new Error('stopp her');"),
        ]);
        let started = Instant::now();
        let e = evaluate(dir.path(), "loop.js").unwrap_err();
        assert!(e.contains("did not finish"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(10));
        let e = evaluate(dir.path(), "out.js").unwrap_err();
        assert!(e.contains("cannot require '../../etc/passwd'"), "{e}");
        let e = evaluate(dir.path(), "throws.js").unwrap_err();
        assert!(e.contains("stopp her"), "{e}");
    }
}
