//! GitHub Actions output (`--format github`): one workflow command per finding, which GitHub shows
//! as an annotation on the file and line in the run's summary and in pull requests.
//!
//! ```text
//! ::error file=infra/main.tf,line=15,col=5,endLine=15,endColumn=38,title=NET001::NSG allows SSH …
//! ::warning file=infra/arm/batch.json,line=6,col=22,endLine=6,endColumn=54,title=BATCH001::Batch …
//! ::error file=infra/arm/broken.json,line=4,col=1,endLine=4,endColumn=1,title=batchguard (parse)::cannot parse …
//! batchguard: 1 error, 1 warning, 0 notes in 3 files scanned
//! ```
//!
//! Levels map to `::error`, `::warning` and `::notice`. Paths are relative to the scan root (run
//! batchguard from the repository root, or pass `--root`, so that they match the repository).
//! Lines are 1-based and columns 1-based UTF-16 code units with an exclusive end, as in SARIF.
//! GitHub accepts columns only for single-line annotations, so `col` and `endColumn` are left out
//! when a location spans several lines. Problems with the scan itself (unparsable files) are
//! annotations too, titled `batchguard (parse)` or `batchguard (semantic)`. Related locations are
//! named at the end of the message, since an annotation has only one location. The last line is a
//! plain summary, which GitHub prints as log text.

use super::{file_by_id, region, Summary};
use crate::findings::{Level, Notification, Report};
use crate::ir::Span;

/// The annotations of a report, one per line, then the summary line.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in report.findings {
        let mut message = f.message.to_string();
        for r in &f.related {
            match location_text(report, r.span) {
                Some(at) => message.push_str(&format!("\nrelated: {} ({at})", r.message)),
                None => message.push_str(&format!("\nrelated: {}", r.message)),
            }
        }
        let props = properties(report, Some(f.span), Some(f.span.file), f.rule);
        push_command(&mut out, f.level, &props, &message);
    }
    for n in report.notifications {
        let title = notification_title(n);
        let props = properties(report, n.span, n.span.map(|s| s.file).or(n.file), title);
        push_command(&mut out, n.level, &props, &n.message);
    }
    let s = Summary::of(report);
    out.push_str(&format!(
        "batchguard: {} error{}, {} warning{}, {} note{} in {} file{} scanned\n",
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.notes,
        plural(s.notes),
        s.files,
        plural(s.files),
    ));
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn notification_title(n: &Notification) -> &'static str {
    match n.level {
        Level::Error => "batchguard (parse)",
        _ => "batchguard (semantic)",
    }
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

/// `file=…,line=…,col=…,endLine=…,endColumn=…,title=…`, with what is known of the location.
fn properties(
    report: &Report,
    span: Option<Span>,
    file: Option<usize>,
    title: &str,
) -> Vec<(&'static str, String)> {
    let mut props = Vec::new();
    if let Some(f) = file.and_then(|id| file_by_id(report.files, id)) {
        props.push(("file", f.rel.clone()));
        if let Some(span) = span {
            let r = region(f, span);
            props.push(("line", r.start_line.to_string()));
            let one_line = r.start_line == r.end_line;
            if one_line {
                props.push(("col", r.start_column.to_string()));
            }
            props.push(("endLine", r.end_line.to_string()));
            if one_line {
                props.push(("endColumn", r.end_column.to_string()));
            }
        }
    }
    props.push(("title", title.to_string()));
    props
}

/// `path:line:column` of a related location.
fn location_text(report: &Report, span: Span) -> Option<String> {
    let f = file_by_id(report.files, span.file)?;
    let r = region(f, span);
    Some(format!("{}:{}:{}", f.rel, r.start_line, r.start_column))
}

fn push_command(out: &mut String, level: Level, props: &[(&str, String)], message: &str) {
    out.push_str("::");
    out.push_str(command(level));
    for (i, (k, v)) in props.iter().enumerate() {
        out.push(if i == 0 { ' ' } else { ',' });
        out.push_str(k);
        out.push('=');
        out.push_str(&escape_property(v));
    }
    out.push_str("::");
    out.push_str(&escape_data(message));
    out.push('\n');
}

/// A message as GitHub's workflow commands read it: `%`, CR and LF percent-encoded.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as a message, and `:` and `,` encoded too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Finding, Notification};
    use crate::report::testutil;
    use crate::source::SourceFile;

    #[test]
    fn snapshot() {
        let files = testutil::files();
        let findings = testutil::findings();
        let notifications = testutil::notifications();
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &notifications,
            root_uri: None,
        };
        insta::assert_snapshot!(render(&report));
    }

    #[test]
    fn escapes_properties_and_messages() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("dir,x/a:b%.tf\n"), "dir%2Cx/a%3Ab%25.tf%0A");
    }

    #[test]
    fn one_line_per_finding_with_levels_and_columns() {
        let text = "a = 1\nb = \"é𝄞\"\nc = [\n  1,\n]\n";
        let files = vec![SourceFile::new(
            0,
            "x,y.tf".into(),
            "dir/x,y.tf".into(),
            text,
        )];
        let b = text.find("\"é").unwrap();
        let c = text.find("c =").unwrap();
        let finding = |rule, level, span, message: &str| Finding {
            rule,
            level,
            message: message.into(),
            span,
            related: vec![],
            discriminator: String::new(),
            security_severity: None,
            suppression: None,
            ..Finding::new("", Level::Note, crate::ir::Span::new(0, 0, 0), "")
        };
        let findings = vec![
            finding(
                "NET001",
                Level::Warning,
                Span::new(0, b, b + "\"é𝄞\"".len()),
                "100% open:\nreally",
            ),
            finding("ML001", Level::Note, Span::new(0, c, text.len()), "m"),
        ];
        let notifications = vec![Notification {
            level: Level::Error,
            message: "cannot read".into(),
            span: None,
            file: None,
        }];
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &notifications,
            root_uri: None,
        };
        let out = render(&report);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::warning file=dir/x%2Cy.tf,line=2,col=5,endLine=2,endColumn=10,title=NET001::100%25 open:%0Areally"
        );
        // Several lines: no columns.
        assert_eq!(
            lines[1],
            "::notice file=dir/x%2Cy.tf,line=3,endLine=5,title=ML001::m"
        );
        assert_eq!(lines[2], "::error title=batchguard (parse)::cannot read");
        assert_eq!(
            lines[3],
            "batchguard: 0 errors, 1 warning, 1 note in 1 file scanned"
        );
        assert_eq!(lines.len(), 4);
    }
}
