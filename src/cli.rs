//! The command line: argument parsing, printing, and exit codes. A thin layer over the library; all
//! work happens in `pipeline`, and errors are rendered here, in one place.

use crate::check::{Baseline, Policy};
use crate::config::{Config, Overrides};
use crate::diag::Severity;
use crate::error::{Error, ExitCode};
use crate::examples::RunnerKind;
use crate::pipeline::{self, Options};
use crate::report::{self, Counts, Format};
use crate::secret::Secret;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// intark-docs: the IntArk developer guide's site generator, with live validation.
#[derive(Debug, Parser)]
#[command(name = "intark-docs", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site from `content/`, `static/` and the theme into the output folder.
    ///
    /// Runs the checks first and writes nothing when a finding is at error level; the previous output
    /// stays as it was. Prints one summary line: pages, files, time.
    Build(BuildArgs),
    /// Validate the site (TODO markers, links, anchors, assets, front matter) without writing it.
    ///
    /// Exits 0 when clean, 1 with findings at error level, 2 on a usage or configuration error.
    Check(CheckArgs),
    /// Serve the site with live reload and live validation.
    ///
    /// Builds the site in memory, serves it on 127.0.0.1, and rebuilds what a change touches: pages
    /// reload themselves, and the findings for the page in view show in a panel on it.
    Serve(ServeArgs),
    /// Run a local gateway that answers like the IntArk gateway for every API in the catalog.
    ///
    /// Routes by context path and path template, requires the API key (header `X-Gravitee-Api-Key` or
    /// query `api-key`), validates requests against the spec and answers with its examples.
    Sandbox(SandboxArgs),
    /// Run every curl and PowerShell example (generated and hand-written) against a gateway.
    ///
    /// Examples are parsed into requests without a shell and checked against the spec. Without
    /// `--gateway` they run against the sandbox, started in this process.
    Examples(ExamplesArgs),
    /// Create a small working site in a new folder.
    Init {
        /// The folder to create (must be new or empty).
        dir: PathBuf,
        /// Copy the built-in theme (templates, static files, UI strings) into DIR instead, to edit;
        /// point `theme_dir` in `intark.toml` at it.
        #[arg(long)]
        theme: bool,
    },
}

/// Where the site is; the same flags on every subcommand. Paths are relative to the site root.
#[derive(Debug, Args, Clone, Default)]
struct SiteArgs {
    /// The site root, holding `intark.toml` (default: the current folder).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// The Markdown pages (default: `content`; a relative path is taken from `--root`, as Hugo takes
    /// `--destination` from `--source`).
    #[arg(long, value_name = "DIR")]
    content: Option<PathBuf>,
    /// Files copied as they are (default: `static`; relative to `--root`).
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// Where the site is written (default: `public`; relative to `--root`, not to the current folder).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// OpenAPI specs and Gravitee exports (default: `openapi`; relative to `--root`).
    #[arg(long, value_name = "DIR")]
    openapi: Option<PathBuf>,
    /// The URL path pages live under (default: `/docs`).
    #[arg(long, value_name = "PATH")]
    route_base: Option<String>,
}

#[derive(Debug, Args, Clone)]
struct ReportArgs {
    /// How findings are printed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colours in human output (`auto` respects `NO_COLOR` and whether output is a terminal).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    report: ReportArgs,
    /// Skip the checks (front matter and other loading errors still fail the build).
    #[arg(long)]
    no_check: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Leave out the search index (`[search] enabled = false` does it for every build).
    #[arg(long)]
    no_search: bool,
    /// Replace an output folder that intark-docs did not write, deleting its contents (never the
    /// site root or its content, static, OpenAPI or theme folder).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct SandboxArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Port to listen on (default from `[sandbox] port`, 8089; 0 picks a free one).
    #[arg(long)]
    port: Option<u16>,
    /// Interface to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
}

#[derive(Debug, Args, Clone)]
struct ExampleArgs {
    /// Run against this gateway (`https://gw-uio.intark.uh-it.no`) instead of the sandbox.
    #[arg(long, value_name = "URL")]
    gateway: Option<String>,
    /// The environment variable holding the gateway's API key (default: `[gateway] key_env`).
    #[arg(long, value_name = "VAR")]
    api_key_env: Option<String>,
    /// How requests are sent: the built-in client, or the real `curl` binary (still no shell).
    #[arg(long, value_enum, default_value_t = RunnerKind::Builtin)]
    runner: RunnerKind,
}

#[derive(Debug, Args)]
struct ExamplesArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    report: ReportArgs,
    #[command(flatten)]
    target: ExampleArgs,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Interface to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Open the site in a browser.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    #[command(flatten)]
    report: ReportArgs,
    /// Accept the findings recorded in FILE and fail only on new ones; if FILE does not exist, record
    /// today's findings in it.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// With `--baseline`: record today's findings in FILE even if it exists.
    #[arg(long, requires = "baseline")]
    update_baseline: bool,
    /// Also run every curl and PowerShell example (see `intark-docs help examples`).
    #[arg(long)]
    examples: bool,
    /// Also request every http(s) link (results are cached in `.intark-cache/` for a day).
    #[arg(long)]
    external: bool,
    #[command(flatten)]
    target: ExampleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ExampleArgs {
    fn resolve(&self, progress: bool) -> pipeline::ExampleTarget {
        pipeline::ExampleTarget {
            gateway: self.gateway.clone(),
            api_key_env: self.api_key_env.clone(),
            runner: self.runner,
            progress,
        }
    }
}

impl SiteArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            root: self.root.clone(),
            content_dir: self.content.clone(),
            static_dir: self.static_dir.clone(),
            output_dir: self.out.clone(),
            openapi_dir: self.openapi.clone(),
            route_base: self.route_base.clone(),
        }
    }
}

impl ReportArgs {
    fn color(&self, stream_is_terminal: bool) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Parse the arguments, run, and return the exit code. A panic (a bug) anywhere in the run ends in
/// exit code 3 and a message naming the file being processed (see [`guarded`]).
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    guarded(|| run_unguarded(args))
}

/// The first panics' messages (at most [`PANICS_KEPT`]), recorded by the hook on the panicking
/// thread, which knows its file.
static PANICS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
const PANICS_KEPT: usize = 8;

/// The API key of this run, once known, so that even a panic's message is scrubbed of it.
static RUN_KEY: std::sync::OnceLock<Secret> = std::sync::OnceLock::new();

/// Run `work`; a panic in it (on any thread whose panic reaches this one: rayon and scoped threads
/// pass theirs on) prints one message naming the file being processed (`error::processing`) and
/// gives exit code 3 instead of Rust's 101 and backtrace noise.
fn guarded(work: impl FnOnce() -> i32) -> i32 {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = panic_message(
                crate::error::file_being_processed().as_deref(),
                info.payload(),
                info.location(),
            );
            let message = match RUN_KEY.get() {
                Some(key) => key.scrub(&message),
                None => message,
            };
            eprintln!("error: {message}");
            let backtrace = std::backtrace::Backtrace::capture();
            if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
                eprintln!("{backtrace}");
            }
            let mut panics = PANICS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if panics.len() < PANICS_KEPT {
                panics.push(message);
            }
        }));
    });
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(code) => code,
        Err(_) => {
            eprintln!("error: intark-docs stopped on an internal error (exit code 3); please report it with the file named above");
            ExitCode::Internal as i32
        }
    }
}

/// "internal error while processing `content/a.md`: <message> (at src/x.rs:1:2)".
fn panic_message(
    file: Option<&std::path::Path>,
    payload: &(dyn std::any::Any + Send),
    location: Option<&std::panic::Location<'_>>,
) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    let file = file.map_or_else(String::new, |f| {
        format!(" while processing `{}`", f.display())
    });
    let location = location.map_or_else(String::new, |l| format!(" (at {l})"));
    format!("internal error (a bug in intark-docs){file}: {what}{location}")
}

fn run_unguarded(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::Usage as i32
            } else {
                ExitCode::Ok as i32
            };
        }
    };
    match execute(cli) {
        Ok(code) => code as i32,
        Err(error) => {
            print_error(&error);
            error.exit_code() as i32
        }
    }
}

fn execute(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Build(args) => {
            let config = Config::load(&args.site.overrides())?;
            let options = Options {
                drafts: args.drafts,
                no_check: args.no_check,
                check_only: false,
                no_search: args.no_search,
            };
            let summary = pipeline::build_forcing(&config, &options, args.force)?;
            let site_lines = SourceFiles::read(&config.root, &summary.diagnostics);
            print_findings(
                &args.report,
                &summary.diagnostics,
                &site_lines,
                &Secret::default(),
            )?;
            let counts = Counts::of(&summary.diagnostics);
            if summary.written {
                eprintln!(
                    "built {} pages ({} site), {} files, {} redirects into {} in {:.2?}{}",
                    summary.pages,
                    summary.flavour,
                    summary.assets,
                    summary.redirects,
                    config.relative(&config.output_dir).display(),
                    summary.elapsed,
                    if counts.warnings > 0 {
                        format!(" ({})", counts.line())
                    } else {
                        String::new()
                    }
                );
                Ok(ExitCode::Ok)
            } else {
                eprintln!("build failed: {}; nothing was written", counts.line());
                Ok(ExitCode::Findings)
            }
        }
        Command::Check(args) => {
            let (config, policy, site) = load_for_checks(&args.site)?;
            let mut diagnostics = pipeline::findings(
                &site,
                &policy,
                &Options {
                    check_only: true,
                    ..Options::default()
                },
            );
            if args.external {
                diagnostics.extend(crate::external::check(&site, &config, &policy));
                crate::diag::sort(&mut diagnostics);
            }
            let mut key = Secret::default();
            if args.examples {
                let target = args.target.resolve(false);
                key = pipeline::example_key(&config, &target)?;
                let _ = RUN_KEY.set(key.clone());
                let (_, found) = pipeline::run_examples(&config, &site, &target)?;
                diagnostics.extend(found.into_iter().filter_map(|d| policy.apply(d, None)));
                crate::diag::sort(&mut diagnostics);
            }
            if let Some(path) = &args.baseline {
                let path = config.root.join(path);
                if args.update_baseline || !path.exists() {
                    Baseline::of(&diagnostics).write(&path)?;
                    eprintln!(
                        "recorded {} findings in {}; later runs report only new ones",
                        diagnostics.len(),
                        path.display()
                    );
                    return Ok(ExitCode::Ok);
                }
                diagnostics = Baseline::read(&path)?.filter(diagnostics);
            }
            print_findings(
                &args.report,
                &diagnostics,
                &report::SiteLines::new(&site),
                &key,
            )?;
            let counts = Counts::of(&diagnostics);
            if args.report.format == Format::Human {
                eprintln!("checked {} pages: {}", site.pages.len(), counts.line());
            }
            Ok(
                if diagnostics.iter().any(|d| d.severity == Severity::Error) {
                    ExitCode::Findings
                } else {
                    ExitCode::Ok
                },
            )
        }
        Command::Serve(args) => {
            let overrides = args.site.overrides();
            let config = Config::load(&overrides)?;
            let options = crate::serve::ServeOptions {
                overrides,
                host: args.host,
                port: args.port,
                open: args.open,
                quiet: std::time::Duration::from_millis(15),
            };
            crate::serve::run(config, &options)?;
            Ok(ExitCode::Ok)
        }
        Command::Sandbox(args) => {
            let config = Config::load(&args.site.overrides())?;
            let (catalog, findings) = crate::openapi::load_within(
                &crate::openapi::Source {
                    dir: &config.openapi_dir,
                    root: &config.root,
                    gateway_host_suffix: &config.file.gateway.host_suffix,
                    apis: &config.file.apis,
                },
                &config.file.limits,
            );
            let stderr = std::io::stderr();
            let color = stderr.is_terminal();
            report::write(Format::Human, &findings, &(), color, &mut stderr.lock())
                .map_err(|e| Error::io("cannot write", "stderr", e))?;
            let keys = config.file.sandbox.keys.clone();
            let apis = catalog.apis.len();
            let operations: usize = catalog.apis.iter().map(|a| a.operations().count()).sum();
            let gateway = crate::sandbox::gateway::Gateway::new(
                catalog,
                keys.clone(),
                &config.file.gateway.key_header,
            );
            let running = crate::sandbox::start(
                std::sync::Arc::new(gateway),
                &args.host,
                args.port.unwrap_or(config.file.sandbox.port),
                &crate::server::Limits::from_config(&config.file.server),
                crate::sandbox::Log::Stderr,
            )?;
            println!(
                "sandbox gateway for {apis} APIs ({operations} operations) at {}",
                running.base_url()
            );
            match keys
                .iter()
                .find(|k| k.key == crate::config::DEFAULT_SANDBOX_KEY)
            {
                Some(k) => println!(
                    "API key: {} (header {}, or query parameter api-key)",
                    k.key, config.file.gateway.key_header
                ),
                None => println!(
                    "API keys: {} from intark.toml (header {})",
                    keys.len(),
                    config.file.gateway.key_header
                ),
            }
            let _ = std::io::stdout().flush();
            running.wait()?;
            Ok(ExitCode::Ok)
        }
        Command::Examples(args) => {
            let (config, policy, site) = load_for_checks(&args.site)?;
            let progress = args.report.format == Format::Human && std::io::stderr().is_terminal();
            let target = args.target.resolve(progress);
            let key = pipeline::example_key(&config, &target)?;
            let _ = RUN_KEY.set(key.clone());
            let (reports, findings) = pipeline::run_examples(&config, &site, &target)?;
            // A spec that fails to load, or whose schemas or examples are broken, fails the run too.
            let spec_rules = [
                crate::openapi::RULE,
                crate::openapi::CONTEXT_PATH_ASSUMED,
                "spec",
                "spec-example",
            ];
            let catalog_findings = site
                .diagnostics
                .iter()
                .filter(|d| spec_rules.contains(&d.rule))
                .cloned();
            let mut findings: Vec<_> = catalog_findings
                .chain(findings)
                .filter_map(|d| policy.apply(d, None))
                .collect();
            crate::diag::sort(&mut findings);
            let count =
                |o: crate::examples::Outcome| reports.iter().filter(|r| r.outcome == o).count();
            use crate::examples::Outcome;
            let summary = format!(
                "{} examples: {} passed, {} failed, {} not run, {} skipped (PowerShell by the built-in interpreter of the subset; pwsh is not used)",
                reports.len(),
                count(Outcome::Passed),
                count(Outcome::Failed),
                count(Outcome::NotRun),
                count(Outcome::Skipped)
            );
            if args.report.format == Format::Json {
                let mut value = report::json_report(&findings);
                value["snippets"] = serde_json::to_value(&reports).unwrap_or_default();
                value["examples_summary"] = serde_json::Value::String(summary.clone());
                println!(
                    "{}",
                    key.scrub(&serde_json::to_string_pretty(&value).unwrap_or_default())
                );
            } else {
                print_findings(
                    &args.report,
                    &findings,
                    &report::SiteLines::new(&site),
                    &key,
                )?;
                eprintln!("{summary}");
            }
            Ok(if findings.iter().any(|d| d.severity == Severity::Error) {
                ExitCode::Findings
            } else {
                ExitCode::Ok
            })
        }
        Command::Init { dir, theme: true } => {
            pipeline::eject_theme(&dir)?;
            eprintln!(
                "copied the default theme to {}; set `theme_dir = \"{}\"` in intark.toml and edit",
                dir.display(),
                dir.display()
            );
            Ok(ExitCode::Ok)
        }
        Command::Init { dir, theme: false } => {
            pipeline::init(&dir)?;
            eprintln!(
                "created a site in {}; run `intark-docs build --root {}`",
                dir.display(),
                dir.display()
            );
            Ok(ExitCode::Ok)
        }
    }
}

/// The configuration, policy and site for `check` and `examples` (no HTML rendered).
fn load_for_checks(site_args: &SiteArgs) -> Result<(Config, Policy, crate::model::Site), Error> {
    let config = Config::load(&site_args.overrides())?;
    let policy = Policy::new(&config.file.check)?;
    let highlighter = crate::markdown::Highlighter::default();
    let site = pipeline::load_site(
        &config,
        &Options {
            check_only: true,
            ..Options::default()
        },
        &highlighter,
    )?;
    Ok((config, policy, site))
}

/// Reads source lines from disk, for findings of a build (whose site value is gone by then); each
/// file's lines are indexed once.
struct SourceFiles {
    files: std::collections::HashMap<PathBuf, (String, crate::diag::LineIndex)>,
}

impl SourceFiles {
    /// Read the files that findings point at (relative to the site root).
    fn read(root: &std::path::Path, diagnostics: &[crate::diag::Diagnostic]) -> SourceFiles {
        let mut files = std::collections::HashMap::new();
        for d in diagnostics {
            if !files.contains_key(&d.span.file) {
                if let Ok(text) = std::fs::read_to_string(root.join(&d.span.file)) {
                    let lines = crate::diag::LineIndex::new(&text);
                    files.insert(d.span.file.clone(), (text, lines));
                }
            }
        }
        SourceFiles { files }
    }
}

impl report::Sources for SourceFiles {
    fn line(&self, file: &std::path::Path, line: usize) -> Option<&str> {
        self.files
            .get(file)
            .map(|(text, lines)| lines.line_text(text, line))
    }
}

/// Print the findings in the chosen format, with the API key of the run (if any) scrubbed from
/// every byte, whatever the format escapes it as.
fn print_findings(
    args: &ReportArgs,
    diagnostics: &[crate::diag::Diagnostic],
    sources: &dyn report::Sources,
    key: &Secret,
) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let color = args.color(stdout.is_terminal());
    if args.format == Format::Human && diagnostics.is_empty() {
        return Ok(());
    }
    // The whole report is written to memory first, then scrubbed of the key and written at once
    // (one system call, not one per line).
    let mut buffer = Vec::new();
    report::write(args.format, diagnostics, sources, color, &mut buffer)
        .map_err(|e| Error::io("cannot write", "stdout", e))?;
    let text = key.scrub(&String::from_utf8_lossy(&buffer));
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("cannot write", "stdout", e))
}

/// Print an error and its whole source chain, once (scrubbed of the run's API key).
pub fn print_error(error: &Error) {
    let message = error.chain();
    let message = match RUN_KEY.get() {
        Some(key) => key.scrub(&message),
        None => message,
    };
    eprintln!("error: {message}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_panic_is_exit_code_3_naming_the_file_being_processed() {
        let code = guarded(|| {
            let _file = crate::error::processing(Path::new("content/ødelagt.md"));
            std::thread::scope(|s| {
                s.spawn(|| {
                    let _file = crate::error::processing(Path::new("content/tråd.md"));
                    panic!("boom in a worker")
                });
            });
            0
        });
        assert_eq!(code, 3);
        let panics = PANICS.lock().unwrap().clone();
        assert!(
            panics.iter().any(|p| p
                .contains("while processing `content/tråd.md`: boom in a worker (at src/cli.rs:")),
            "{panics:?}"
        );
        assert_eq!(guarded(|| 1), 1, "no panic, the work's own code");
    }

    #[test]
    fn a_panic_message_without_a_file_still_says_what_and_where() {
        let payload: Box<dyn std::any::Any + Send> = Box::new(String::from("index out of range"));
        assert_eq!(
            panic_message(None, payload.as_ref(), None),
            "internal error (a bug in intark-docs): index out of range"
        );
        assert_eq!(
            panic_message(Some(Path::new("openapi/x.yaml")), &"slice", None),
            "internal error (a bug in intark-docs) while processing `openapi/x.yaml`: slice"
        );
    }
}
