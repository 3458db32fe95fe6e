//! Failed requests counted per cause: an unreachable gateway makes every example fail alike, and
//! that is one finding (at the first example, with the count and the next few places), not one per
//! example. The runner's JSON `snippets` list still has each snippet with its reason.

use super::Report;
use crate::diag::Diagnostic;

/// How many further places a finding names before "and N more".
const SHOWN: usize = 3;

/// One finding per distinct reason among `failed` (each a report and the finding it would give);
/// a reason met once keeps its own finding.
pub(super) fn per_cause(failed: Vec<(Report, Diagnostic)>) -> Vec<Diagnostic> {
    let mut by_cause: Vec<(String, Vec<(Report, Diagnostic)>)> = Vec::new();
    for (report, finding) in failed {
        match by_cause
            .iter_mut()
            .find(|(cause, _)| *cause == report.reason)
        {
            Some((_, alike)) => alike.push((report, finding)),
            None => by_cause.push((report.reason.clone(), vec![(report, finding)])),
        }
    }
    by_cause
        .into_iter()
        .map(|(cause, mut alike)| {
            if alike.len() == 1 {
                return alike.remove(0).1;
            }
            let count = alike.len();
            let (_, first) = alike.remove(0);
            let mut places: Vec<String> = alike
                .iter()
                .take(SHOWN)
                .map(|(r, _)| match &r.operation {
                    Some(op) => format!("{}:{} ({} {op})", r.file, r.line, r.language),
                    None => format!("{}:{}", r.file, r.line),
                })
                .collect();
            if count - 1 > SHOWN {
                places.push(format!("and {} more", count - 1 - SHOWN));
            }
            Diagnostic::error(
                "example",
                first.span,
                format!("{count} examples could not be checked: {cause}"),
            )
            .with_hint(format!(
                "this one and {}; check that the gateway runs and answers, then run the examples again",
                places.join(", ")
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use crate::examples::{Origin, Outcome};

    #[test]
    fn alike_request_failures_are_one_finding_with_the_count() {
        let failed: Vec<(Report, Diagnostic)> = (1..=31)
            .map(|line| {
                let report = Report {
                    file: "content/a.md".into(),
                    line,
                    language: "curl",
                    origin: Origin::Handwritten,
                    operation: None,
                    outcome: Outcome::Failed,
                    reason: "the request to `http://127.0.0.1:1` failed: connection refused".into(),
                };
                let span = Span {
                    file: "content/a.md".into(),
                    line,
                    column: 1,
                };
                (report, Diagnostic::error("example", span, "x"))
            })
            .chain(std::iter::once((
                Report {
                    file: "content/b.md".into(),
                    line: 9,
                    language: "curl",
                    origin: Origin::Handwritten,
                    operation: None,
                    outcome: Outcome::Failed,
                    reason: "the request to `http://127.0.0.1:1` failed: timed out".into(),
                },
                Diagnostic::error("example", Span::file_start("content/b.md"), "only one"),
            )))
            .collect();
        let findings = per_cause(failed);
        assert_eq!(findings.len(), 2, "{findings:#?}");
        assert_eq!(
            findings[0].message,
            "31 examples could not be checked: the request to `http://127.0.0.1:1` failed: connection refused"
        );
        assert_eq!(findings[0].span.line, 1);
        assert!(
            findings[0]
                .hint
                .as_deref()
                .unwrap_or_default()
                .contains("content/a.md:2, content/a.md:3, content/a.md:4, and 27 more"),
            "{:?}",
            findings[0].hint
        );
        assert_eq!(findings[1].message, "only one");
    }
}
