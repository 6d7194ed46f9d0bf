//! Console output: rustc-style diagnostics with source snippets, then a one-line summary.
//!
//! ```text
//! error[NET001]: NSG allows SSH from the internet: rule `allow-ssh` (priority 100) of …
//!    --> infra/main.tf:15:5
//!    |
//! 10 |     access                     = "Allow"
//!    |     ------------------------------------ deciding rule (priority 100)
//!    .
//! 15 |     destination_port_range     = "22"
//!    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//!    |
//!    = note: deciding rule (priority 100) (infra/main.tf:10:5)
//!
//! 1 error, 0 warnings, 0 notes in 12 files scanned
//! ```
//!
//! Each finding shows its rule id, message, location (1-based line, UTF-16 column, as in SARIF), the
//! offending source, a secondary label and a `note:` per related location. Problems with the scan
//! itself are shown the same way with the code `parse` (errors) or `semantic` (warnings).

use std::io::Write;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Buffer, ColorSpec, WriteColor};
use codespan_reporting::term::{self, Chars, Config};

use super::{display_range, file_by_id, region, Summary};
use crate::findings::{Finding, Level, Notification, Report};
use crate::source::SourceFile;

/// The diagnostics of a report and a summary line; with ANSI colours when `color` is true.
pub fn render(report: &Report, color: bool) -> String {
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let files = ScanFiles {
        files: report.files,
    };
    let diagnostics = report
        .findings
        .iter()
        .map(|f| finding(report, f))
        .chain(report.notifications.iter().map(|n| notification(report, n)));
    for diagnostic in diagnostics {
        // Spans are clamped to their files, so rendering cannot fail on them; should it fail
        // anyway, the header alone still tells the user what was found.
        if term::emit_to_write_style(&mut buffer, &config, &files, &diagnostic).is_err() {
            let _ = writeln!(buffer, "{}", header_only(&diagnostic));
        }
    }
    let _ = write_summary(&mut buffer, report, color);
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Note => Severity::Note,
    }
}

fn header_only(d: &Diagnostic<usize>) -> String {
    let level = match d.severity {
        Severity::Error | Severity::Bug => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
        Severity::Help => "help",
    };
    format!(
        "{level}[{}]: {}\n",
        d.code.as_deref().unwrap_or(""),
        d.message
    )
}

/// `path:line:column` of a span, as the `-->` line prints it.
fn place(file: &SourceFile, span: crate::ir::Span) -> String {
    let r = region(file, span);
    format!("{}:{}:{}", file.rel, r.start_line, r.start_column)
}

fn finding(report: &Report, f: &Finding) -> Diagnostic<usize> {
    let mut d = Diagnostic::new(severity(f.level))
        .with_code(f.rule)
        .with_message(f.message.as_str());
    if let Some((i, file)) = indexed(report, f.span.file) {
        d = d.with_label(Label::primary(i, display_range(file, f.span)));
    }
    for r in &f.related {
        if let Some((i, file)) = indexed(report, r.span.file) {
            d = d.with_label(
                Label::secondary(i, display_range(file, r.span)).with_message(r.message.as_str()),
            );
            d = d.with_note(format!("note: {} ({})", r.message, place(file, r.span)));
        } else {
            d = d.with_note(format!("note: {}", r.message));
        }
    }
    d
}

fn notification(report: &Report, n: &Notification) -> Diagnostic<usize> {
    let code = match n.level {
        Level::Error => "parse",
        Level::Warning => "semantic",
        Level::Note => "info",
    };
    let mut d = Diagnostic::new(severity(n.level))
        .with_code(code)
        .with_message(&n.message);
    match (n.span, n.file) {
        (Some(span), _) => {
            if let Some((i, file)) = indexed(report, span.file) {
                d = d.with_label(Label::primary(i, display_range(file, span)));
            }
        }
        (None, Some(id)) => {
            if let Some(file) = file_by_id(report.files, id) {
                d = d.with_note(format!("in {}", file.rel));
            }
        }
        (None, None) => {}
    }
    d
}

/// The position of a file in `report.files` (codespan's file id) and the file.
fn indexed<'a>(report: &Report<'a>, id: usize) -> Option<(usize, &'a SourceFile)> {
    let file = file_by_id(report.files, id)?;
    let i = report.files.iter().position(|f| std::ptr::eq(f, file))?;
    Some((i, file))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn write_summary(out: &mut Buffer, report: &Report, color: bool) -> std::io::Result<()> {
    let s = Summary::of(report);
    let scanned = format!("in {} scanned", plural(s.files, "file"));
    let mut line = if s.errors + s.warnings + s.notes == 0 {
        format!("no findings {scanned}")
    } else {
        format!(
            "{}, {}, {} {scanned}",
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.notes, "note")
        )
    };
    let count = |level| {
        report
            .notifications
            .iter()
            .filter(|n| n.level == level)
            .count()
    };
    let (scan_errors, scan_warnings) = (count(Level::Error), count(Level::Warning));
    if scan_errors + scan_warnings > 0 {
        let mut parts = Vec::new();
        if scan_errors > 0 {
            parts.push(plural(scan_errors, "scan error"));
        }
        if scan_warnings > 0 {
            parts.push(plural(scan_warnings, "scan warning"));
        }
        line = format!("{line} ({})", parts.join(", "));
    }
    if color {
        out.set_color(ColorSpec::new().set_bold(true))?;
    }
    write!(out, "{line}")?;
    if color {
        out.reset()?;
    }
    writeln!(out)
}

/// The scanned files as codespan sees them: ids are positions in `report.files`, columns are
/// UTF-16 code units like everywhere else in batchguard's output.
struct ScanFiles<'a> {
    files: &'a [SourceFile],
}

impl<'a> ScanFiles<'a> {
    fn get(&self, id: usize) -> Result<&'a SourceFile, FilesError> {
        self.files.get(id).ok_or(FilesError::FileMissing)
    }
}

impl<'a> Files<'a> for ScanFiles<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.get(id)?.rel)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.get(id)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.get(id)?.position(byte_index).line - 1)
    }

    fn column_number(
        &'a self,
        id: usize,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        Ok(self.get(id)?.position(byte_index).col_utf16)
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        let file = self.get(id)?;
        let count = file.lines.line_count();
        if line_index >= count {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: count - 1,
            });
        }
        let start = file.lines.line_start(line_index + 1);
        let end = if line_index + 1 < count {
            file.lines.line_start(line_index + 2)
        } else {
            file.text.len()
        };
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Span;
    use crate::report::testutil;

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
        insta::assert_snapshot!(render(&report, false));
    }

    #[test]
    fn colour_only_when_asked() {
        let files = testutil::files();
        let findings = testutil::findings();
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &[],
            root_uri: None,
        };
        assert!(render(&report, true).contains("\x1b["));
        assert!(!render(&report, false).contains('\x1b'));
    }

    #[test]
    fn empty_scan_and_utf16_columns() {
        let files = vec![SourceFile::new(
            0,
            "a.tf".into(),
            "a.tf".into(),
            "x = \"𝄞\" # é\r\ny = 1\r\n",
        )];
        let report = Report {
            files: &files,
            findings: &[],
            notifications: &[],
            root_uri: None,
        };
        assert_eq!(render(&report, false), "no findings in 1 file scanned\n");

        let start = files[0].text.find('#').unwrap();
        let findings = vec![Finding {
            rule: "X1",
            level: Level::Note,
            message: "Title: facts".into(),
            span: Span::new(0, start, start + 5),
            related: vec![],
            discriminator: String::new(),
            security_severity: None,
            suppression: None,
            ..Finding::new("", Level::Note, crate::ir::Span::new(0, 0, 0), "")
        }];
        let warn = vec![Notification {
            level: Level::Warning,
            message: "duplicate resource address".into(),
            span: None,
            file: Some(0),
        }];
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &warn,
            root_uri: None,
        };
        let out = render(&report, false);
        // `x = "𝄞" ` is 9 UTF-16 units, so `#` is at column 10.
        assert!(out.contains("--> a.tf:1:10"), "{out}");
        assert!(out.contains("note[X1]: Title: facts"), "{out}");
        assert!(
            out.contains("warning[semantic]: duplicate resource address"),
            "{out}"
        );
        assert!(out.contains("= in a.tf"), "{out}");
        assert!(!out.contains('\r'), "{out}");
        assert!(out.ends_with("0 errors, 0 warnings, 1 note in 1 file scanned (1 scan warning)\n"));
    }
}
