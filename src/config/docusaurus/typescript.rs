//! TypeScript config files (`docusaurus.config.ts`, `sidebars.ts` and the `.ts` files they
//! import) made into JavaScript for [`super::js`], as Docusaurus loads them through jiti: the types
//! are removed and nothing else changes. swc's `swc_ts_fast_strip` does it (the stripper behind
//! Node's own `--experimental-strip-types`): in its strip-only mode every type annotation,
//! `satisfies`, `as`, `import type` and interface is replaced by spaces, so lines and columns stay
//! where they were and a JavaScript error names the line in the `.ts` file. A file that uses one
//! of the few TypeScript forms that generate code (`enum`, `namespace`, parameter properties) is
//! transformed instead (lines may then move). Knows no Docusaurus and reads no files.

use std::sync::{Arc, Mutex};
use swc_common::errors::{DiagnosticBuilder, Emitter, Handler};
use swc_common::sync::Lrc;
use swc_common::{FileName, SourceMap, GLOBALS};
use swc_ts_fast_strip::{ErrorCode, Mode, Options};

/// Whether `file` is TypeScript by its name (`.ts`, `.mts`, `.cts`), as jiti decides.
pub fn is_typescript(file: &str) -> bool {
    [".ts", ".mts", ".cts"]
        .iter()
        .any(|ext| file.ends_with(ext))
        && !file.ends_with(".d.ts")
}

/// The JavaScript of TypeScript `source` (named `file` in messages), or a message naming the
/// first syntax error as `file:line:column: what`.
pub fn strip(file: &str, source: &str) -> Result<String, String> {
    match run(file, source, Mode::StripOnly) {
        Err((ErrorCode::UnsupportedSyntax, _)) => run(file, source, Mode::Transform),
        other => other,
    }
    .map_err(|(_, message)| message)
}

/// One pass of swc in `mode`, its panics (if any) turned into an error like its syntax errors.
fn run(file: &str, source: &str, mode: Mode) -> Result<String, (ErrorCode, String)> {
    let messages: Arc<Mutex<Vec<String>>> = Arc::default();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        GLOBALS.set(&Default::default(), || {
            let cm: Lrc<SourceMap> = Lrc::default();
            let handler = Handler::with_emitter(
                false,
                false,
                Box::new(Collect {
                    cm: cm.clone(),
                    file: file.to_string(),
                    messages: messages.clone(),
                }),
            );
            let options = Options {
                filename: Some(file.to_string()),
                mode,
                ..Options::default()
            };
            swc_ts_fast_strip::operate(&cm, &handler, source.to_string(), options)
        })
    }));
    let first = || {
        messages
            .lock()
            .ok()
            .and_then(|m| m.first().cloned())
            .unwrap_or_default()
    };
    match outcome {
        Ok(Ok(output)) => Ok(output.code),
        Ok(Err(e)) => {
            let found = first();
            let message = if found.is_empty() {
                format!("{file}: {}", e.message)
            } else {
                found
            };
            Err((e.code, message))
        }
        Err(_) => Err((
            ErrorCode::Unknown,
            format!("{file}: the TypeScript reader failed on this file"),
        )),
    }
}

/// Keeps swc's diagnostics as `file:line:column: message`.
struct Collect {
    cm: Lrc<SourceMap>,
    file: String,
    messages: Arc<Mutex<Vec<String>>>,
}

impl Emitter for Collect {
    fn emit(&mut self, db: &mut DiagnosticBuilder<'_>) {
        let place = match db.span.primary_span() {
            Some(span) if !span.is_dummy() => {
                let loc = self.cm.lookup_char_pos(span.lo);
                let name = match &*loc.file.name {
                    FileName::Real(path) => path.display().to_string(),
                    _ => self.file.clone(),
                };
                format!("{name}:{}:{}", loc.line, loc.col_display + 1)
            }
            _ => self.file.clone(),
        };
        if let Ok(mut messages) = self.messages.lock() {
            messages.push(format!("{place}: {}", db.message()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_become_spaces_and_lines_stay() {
        let ts = "import type {Config} from '@docusaurus/types';\n\
                  const config: Config = {title: 'T'} satisfies Config;\n\
                  interface X { a: string }\n\
                  export default config as Config;\n";
        let js = strip("docusaurus.config.ts", ts).unwrap();
        assert_eq!(js.lines().count(), ts.lines().count(), "{js}");
        assert!(!js.contains("Config ="), "{js}");
        assert!(
            !js.contains("satisfies") && !js.contains("interface"),
            "{js}"
        );
        assert_eq!(
            js.lines().nth(1).unwrap().find("{title"),
            ts.lines().nth(1).unwrap().find("{title"),
            "columns stay: {js}"
        );
    }

    #[test]
    fn enums_are_transformed() {
        let js = strip(
            "a.ts",
            "enum Side { Left = 1 }\nexport default Side.Left;\n",
        )
        .unwrap();
        assert!(!js.contains("enum "), "{js}");
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let e = strip("sidebars.ts", "const a = 1;\nconst b: = 2;\n").unwrap_err();
        assert!(e.starts_with("sidebars.ts:2:"), "{e}");
    }

    #[test]
    fn only_typescript_names_are_stripped() {
        assert!(is_typescript("docusaurus.config.ts") && is_typescript("x.mts"));
        assert!(!is_typescript("docusaurus.config.js") && !is_typescript("types.d.ts"));
    }
}
