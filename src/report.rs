//! Reporters: the same findings as human-readable text (like a compiler's), JSON, GitHub workflow
//! annotations, JUnit XML and SARIF 2.1.0. Every output format is one function over a sorted slice of
//! findings; nothing here decides exit codes.

use crate::diag::{Diagnostic, Severity};
use crate::model::{Page, Site};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::Path;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// file:line:col, the source line and a caret, a hint.
    Human,
    /// One JSON object: `findings` and `summary` (schema in README.md).
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// JUnit XML.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
}

/// Lines of source files, for showing the line of a finding.
pub trait Sources {
    /// The text of a 1-based line of `file`, if known.
    fn line(&self, file: &Path, line: usize) -> Option<&str>;
}

/// The source lines of a loaded site's pages, found by file through a map made once (a search
/// through the pages for every finding would cost findings × pages).
pub struct SiteLines<'s> {
    pages: HashMap<&'s Path, &'s Page>,
}

impl<'s> SiteLines<'s> {
    /// Index the pages of `site` by file.
    pub fn new(site: &'s Site) -> Self {
        SiteLines {
            pages: site.pages.iter().map(|p| (p.file.as_path(), p)).collect(),
        }
    }
}

impl Sources for SiteLines<'_> {
    fn line(&self, file: &Path, line: usize) -> Option<&str> {
        let page = self.pages.get(file)?;
        Some(page.lines.line_text(&page.source, line))
    }
}

/// No source lines (reports without snippets).
impl Sources for () {
    fn line(&self, _: &Path, _: usize) -> Option<&str> {
        None
    }
}

/// Counts of findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// Findings per rule.
    pub by_rule: BTreeMap<&'static str, usize>,
}

impl Counts {
    /// Count a list of findings.
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut counts = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
            }
            *counts.by_rule.entry(d.rule).or_default() += 1;
        }
        counts
    }

    /// `3 errors, 1 warning (todo: 2, broken-link: 2)`.
    pub fn line(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut line = format!(
            "{}, {}",
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings")
        );
        if !self.by_rule.is_empty() {
            let rules: Vec<String> = self
                .by_rule
                .iter()
                .map(|(r, n)| format!("{r}: {n}"))
                .collect();
            line.push_str(&format!(" ({})", rules.join(", ")));
        }
        line
    }
}

/// Write findings in a format.
pub fn write(
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &dyn Sources,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human(diagnostics, sources, color, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &JsonReport::of(diagnostics))?;
            writeln!(out)
        }
        Format::Github => github(diagnostics, out),
        Format::Junit => junit(diagnostics, out),
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(diagnostics))?;
            writeln!(out)
        }
    }
}

fn human(
    diagnostics: &[Diagnostic],
    sources: &dyn Sources,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    // Findings come sorted by file, line and column: the walk to a column resumes where the previous
    // finding on the same line left off, so many findings along one long line cost linear time.
    let mut cursor: Option<(&Path, usize, Position)> = None;
    for d in diagnostics {
        let (label, code) = match d.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        writeln!(
            out,
            "{}{} {}",
            paint(code, &format!("{label}[{}]", d.rule)),
            paint("1", ":"),
            paint("1", &d.message)
        )?;
        writeln!(out, "  {} {}", paint("1;34", "-->"), d.span)?;
        if let Some(text) = sources.line(&d.span.file, d.span.line) {
            let number = d.span.line.to_string();
            let pad = " ".repeat(number.len());
            let from = match cursor {
                Some((file, line, at)) if file == d.span.file && line == d.span.line => at,
                _ => Position::default(),
            };
            let (shown, caret_pad, at) = echo(text, d.span.column, from);
            cursor = Some((&d.span.file, d.span.line, at));
            let text = shown;
            writeln!(out, "  {pad} {}", paint("1;34", "|"))?;
            writeln!(
                out,
                "  {} {} {text}",
                paint("1;34", &number),
                paint("1;34", "|")
            )?;
            writeln!(
                out,
                "  {pad} {} {caret_pad}{}",
                paint("1;34", "|"),
                paint(code, "^")
            )?;
        }
        if let Some(hint) = &d.hint {
            writeln!(out, "  = {} {hint}", paint("1", "hint:"))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Characters of a source line shown around the column of a finding; longer lines are cut with `…`
/// so that a minified or generated line of megabytes is not echoed whole.
pub const ECHO_CHARS: usize = 120;

/// A character position in a line: the 1-based column and its byte offset.
#[derive(Debug, Clone, Copy)]
struct Position {
    column: usize,
    byte: usize,
}

impl Default for Position {
    fn default() -> Self {
        Position { column: 1, byte: 0 }
    }
}

/// The part of `text` to show for a finding at `column` (the whole line when it is short), the
/// padding that puts a caret under the column, and the column's position (to resume from). The walk
/// starts at `from` when that is not past the column.
fn echo(text: &str, column: usize, from: Position) -> (String, String, Position) {
    let column = column.max(1);
    let from = if from.column <= column && from.byte <= text.len() {
        from
    } else {
        Position::default()
    };
    let at = text[from.byte..]
        .char_indices()
        .map(|(i, _)| from.byte + i)
        .chain(std::iter::once(text.len()))
        .nth(column - from.column)
        .unwrap_or(text.len());
    let position = Position { column, byte: at };
    let pad = |part: &str| -> String {
        part.chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect()
    };
    // A short line is shown whole (a line of at most ECHO_CHARS bytes has at most that many chars).
    if text.len() <= ECHO_CHARS || text.chars().take(ECHO_CHARS + 1).count() <= ECHO_CHARS {
        return (text.to_string(), pad(&text[..at]), position);
    }
    let start = text[..at]
        .char_indices()
        .rev()
        .take(ECHO_CHARS / 2)
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[start..]
        .char_indices()
        .nth(ECHO_CHARS)
        .map_or(text.len(), |(i, _)| start + i);
    let (before, after) = (start > 0, end < text.len());
    let shown = format!(
        "{}{}{}",
        if before { "…" } else { "" },
        &text[start..end],
        if after { "…" } else { "" }
    );
    let caret = format!("{}{}", if before { " " } else { "" }, pad(&text[start..at]));
    (shown, caret, position)
}

fn file_string(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// One finding of the JSON report, borrowed from the finding (fields in the schema's order).
#[derive(serde::Serialize)]
struct JsonFinding<'d> {
    rule: &'d str,
    severity: Severity,
    file: String,
    line: usize,
    column: usize,
    message: &'d str,
    hint: &'d Option<String>,
}

/// The JSON report, serialized straight to the output: a `serde_json::Value` of every finding first
/// would hold several times the findings' size in memory.
#[derive(serde::Serialize)]
struct JsonReport<'d> {
    version: u32,
    findings: Vec<JsonFinding<'d>>,
    summary: Counts,
}

impl<'d> JsonReport<'d> {
    fn of(diagnostics: &'d [Diagnostic]) -> Self {
        JsonReport {
            version: 1,
            findings: diagnostics
                .iter()
                .map(|d| JsonFinding {
                    rule: d.rule,
                    severity: d.severity,
                    file: file_string(&d.span.file),
                    line: d.span.line,
                    column: d.span.column,
                    message: &d.message,
                    hint: &d.hint,
                })
                .collect(),
            summary: Counts::of(diagnostics),
        }
    }
}

/// The JSON report as a value (stable schema, version 1).
pub fn json_report(diagnostics: &[Diagnostic]) -> serde_json::Value {
    let findings: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            json!({
                "rule": d.rule,
                "severity": d.severity,
                "file": file_string(&d.span.file),
                "line": d.span.line,
                "column": d.span.column,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    json!({ "version": 1, "findings": findings, "summary": Counts::of(diagnostics) })
}

fn github(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str(&format!(" ({hint})"));
        }
        writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            property(&file_string(&d.span.file)),
            d.span.line,
            d.span.column,
            property(d.rule),
            data(&message)
        )?;
    }
    Ok(())
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn junit(diagnostics: &[Diagnostic], out: &mut dyn Write) -> io::Result<()> {
    let counts = Counts::of(diagnostics);
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"intark-docs check\" tests=\"{}\" failures=\"{}\">",
        diagnostics.len().max(1),
        counts.errors
    )?;
    writeln!(out, "  <testsuite name=\"intark-docs check\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">", diagnostics.len().max(1), counts.errors)?;
    if diagnostics.is_empty() {
        writeln!(
            out,
            "    <testcase classname=\"intark-docs\" name=\"no findings\"/>"
        )?;
    }
    for d in diagnostics {
        let name = format!("{} {}:{}", d.rule, d.span.line, d.span.column);
        let text = format!(
            "{}: {}{}",
            d.span,
            d.message,
            d.hint
                .as_ref()
                .map(|h| format!("\nhint: {h}"))
                .unwrap_or_default()
        );
        write!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">",
            xml(&file_string(&d.span.file)),
            xml(&name),
            xml(&file_string(&d.span.file)),
            d.span.line
        )?;
        match d.severity {
            Severity::Error => write!(
                out,
                "<failure type=\"{}\" message=\"{}\">{}</failure>",
                xml(d.rule),
                xml(&d.message),
                xml(&text)
            )?,
            Severity::Warning => write!(out, "<system-out>warning: {}</system-out>", xml(&text))?,
        }
        writeln!(out, "</testcase>")?;
    }
    writeln!(out, "  </testsuite>\n</testsuites>")
}

/// The SARIF 2.1.0 log as a value.
pub fn sarif(diagnostics: &[Diagnostic]) -> serde_json::Value {
    let rules: std::collections::BTreeSet<&str> = diagnostics.iter().map(|d| d.rule).collect();
    let results: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(hint) = &d.hint {
                text.push_str(&format!(" Hint: {hint}"));
            }
            json!({
                "ruleId": d.rule,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": file_string(&d.span.file) },
                        "region": { "startLine": d.span.line, "startColumn": d.span.column }
                    }
                }]
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "intark-docs",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({ "id": r, "shortDescription": { "text": r } })).collect::<Vec<_>>()
            }},
            "results": results
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    /// One source file held in memory.
    struct OneFile(String, crate::diag::LineIndex);

    impl Sources for OneFile {
        fn line(&self, _: &Path, line: usize) -> Option<&str> {
            Some(self.1.line_text(&self.0, line))
        }
    }

    fn human_text(source: &str, columns: &[usize]) -> String {
        let findings: Vec<Diagnostic> = columns
            .iter()
            .map(|&column| {
                Diagnostic::error(
                    "todo",
                    Span {
                        file: "p.md".into(),
                        line: 1,
                        column,
                    },
                    "TODO",
                )
            })
            .collect();
        let mut out = Vec::new();
        let file = OneFile(source.to_string(), crate::diag::LineIndex::new(source));
        human(&findings, &file, false, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The echoed line and the caret line of each finding.
    fn echoed(report: &str) -> Vec<(String, String)> {
        let lines: Vec<&str> = report.lines().collect();
        lines
            .windows(2)
            .filter(|w| w[0].starts_with("  1 | "))
            .map(|w| {
                (
                    w[0]["  1 | ".len()..].to_string(),
                    w[1]["    | ".len()..].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn the_streamed_json_report_equals_the_value() {
        let findings = vec![
            Diagnostic::error("todo", crate::diag::Span::file_start("a.md"), "TODO: x")
                .with_hint("finish"),
            Diagnostic::warning("malformed-link", crate::diag::Span::file_start("b.md"), "m"),
        ];
        let mut out = Vec::new();
        write(Format::Json, &findings, &(), false, &mut out).unwrap();
        let streamed = String::from_utf8(out).unwrap();
        let value = serde_json::to_string_pretty(&json_report(&findings)).unwrap() + "\n";
        assert_eq!(streamed, value);
    }

    #[test]
    fn a_short_line_is_echoed_whole_with_the_caret_under_the_column() {
        let report = human_text("Se\tTODO her", &[4]);
        assert_eq!(
            echoed(&report),
            [("Se\tTODO her".to_string(), "  \t^".to_string())]
        );
    }

    #[test]
    fn a_huge_line_is_cut_around_the_column_and_the_caret_still_points_at_it() {
        let line = format!("{}TODO{}", "å".repeat(100_000), "ø".repeat(100_000));
        let report = human_text(&line, &[100_001, 100_001, 200_004]);
        assert!(report.len() < 3 * 4 * ECHO_CHARS, "{} bytes", report.len());
        let shown = echoed(&report);
        assert_eq!(shown.len(), 3);
        for (text, caret) in &shown[..2] {
            assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
            assert_eq!(text.chars().count(), ECHO_CHARS + 2);
            let under: String = text
                .chars()
                .skip(caret.chars().count() - 1)
                .take(4)
                .collect();
            assert_eq!(under, "TODO", "{text}\n{caret}");
        }
        // The last character of the line: cut before it only.
        let (text, caret) = &shown[2];
        assert!(text.starts_with('…') && !text.ends_with('…'), "{text}");
        assert_eq!(caret.chars().count() - 1, text.chars().count() - 1);
    }

    #[test]
    fn many_findings_along_one_long_line_are_reported_in_linear_time() {
        let line = "TODO ".repeat(50_000);
        let columns: Vec<usize> = (0..50_000).map(|i| i * 5 + 1).collect();
        let started = std::time::Instant::now();
        let report = human_text(&line, &columns);
        assert_eq!(echoed(&report).len(), 50_000);
        // Walking from the line start for each finding would take minutes.
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }
}
