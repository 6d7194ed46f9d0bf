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
//!
//! A source line too long to read (compiled Bicep writes whole objects on one line of thousands of
//! columns) is shown cut to a window around its labels, with `…` where text is left out; the
//! location line still gives the column in the whole line.

use std::collections::HashMap;
use std::io::Write;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Ansi, Buffer, ColorSpec, NoColor, WriteColor};
use codespan_reporting::term::{self, Chars, Config};

use super::{display_range, file_by_id, plural, region, Summary};
use crate::findings::{Finding, Level, Notification, Report};
use crate::source::SourceFile;

/// The diagnostics of a report and a summary line; with ANSI colours when `color` is true.
pub fn render(report: &Report, color: bool) -> String {
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let _ = write_colored(&mut buffer, report, color, true);
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// [`render`] written to `w` diagnostic by diagnostic, never whole in memory.
pub fn write(w: &mut dyn Write, report: &Report, color: bool) -> std::io::Result<()> {
    write_with(w, report, color, true)
}

/// [`write`], with the summary line or without it (`--quiet`).
pub fn write_with(
    w: &mut dyn Write,
    report: &Report,
    color: bool,
    summary: bool,
) -> std::io::Result<()> {
    if color {
        write_colored(&mut Ansi::new(w), report, color, summary)
    } else {
        write_colored(&mut NoColor::new(w), report, color, summary)
    }
}

fn write_colored(
    buffer: &mut (impl WriteColor + ?Sized),
    report: &Report,
    color: bool,
    summary: bool,
) -> std::io::Result<()> {
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let diagnostics = report
        .findings
        .iter()
        .map(|f| finding(report, f))
        .chain(report.notifications.iter().map(|n| notification(report, n)));
    for mut diagnostic in diagnostics {
        let files = ScanFiles::cut(report.files, &mut diagnostic.labels);
        // Spans are clamped to their files, so rendering cannot fail on them; should it fail
        // anyway, the header alone still tells the user what was found.
        if let Err(e) = term::emit_to_write_style(buffer, &config, &files, &diagnostic) {
            if let FilesError::Io(e) = e {
                return Err(e);
            }
            writeln!(buffer, "{}", header_only(&diagnostic))?;
        }
    }
    if summary {
        write_summary(buffer, report, color)?;
    }
    Ok(())
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

fn write_summary(
    out: &mut (impl WriteColor + ?Sized),
    report: &Report,
    color: bool,
) -> std::io::Result<()> {
    let s = Summary::of(report);
    let scanned = format!("in {} scanned", plural(s.files, "file"));
    let unread = report
        .notifications
        .iter()
        .any(|n| n.level == crate::findings::Level::Error);
    let mut line = if s.files == 0 && !unread {
        // Nothing was read: not the same as nothing found.
        "nothing to scan: no Terraform, Bicep or ARM template files were found (.tf, .tfvars, \
         .bicep, .bicepparam, ARM .json)"
            .to_string()
    } else if s.errors + s.warnings + s.notes == 0 {
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

/// Lines longer than this (in characters) are shown cut around their labels: two screens' worth,
/// so that only lines no one reads whole are cut (compiled Bicep writes thousands of columns).
const LONG_LINE: usize = 240;
/// How many characters of a long line are shown.
const WINDOW: usize = 120;
/// Characters shown before a label that does not fit the window whole.
const BEFORE: usize = 10;
/// What stands for the text left out of a long line.
const ELLIPSIS: &str = "…";

/// The scanned files as codespan sees them: ids are positions in `report.files`, columns are
/// UTF-16 code units like everywhere else in batchguard's output. A file with a long line under
/// a label is shown cut ([`Cut`]).
struct ScanFiles<'a> {
    files: &'a [SourceFile],
    cut: HashMap<usize, Cut>,
}

/// A file as shown: its long lines cut to a window around their labels. `pieces` map the text to
/// what is shown, in order: text kept, and text left out (shown as `…` at `shown`).
struct Cut {
    text: String,
    /// The first line held (1-based): lines before it and after the last are not shown.
    first: usize,
    /// Where each line held starts in `text`.
    starts: Vec<usize>,
    pieces: Vec<Piece>,
    /// Where the labels start in the file, by where they start in `text`: the location line
    /// gives the real column even when a label starts in text left out.
    label_starts: HashMap<usize, usize>,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    real: (usize, usize),
    shown: usize,
    kept: bool,
}

impl Cut {
    /// `file` with its long lines cut around `labels` (byte ranges of the file; the primary
    /// one is kept in view first); `None` when no labelled line is long. Only the lines from
    /// the first labelled one to the last are held (`first` is the first), and a long line is
    /// looked at only around its labels, so that the cost does not grow with the file: a
    /// minified template is one line of megabytes with thousands of findings.
    fn of(file: &SourceFile, labels: &[(std::ops::Range<usize>, bool)]) -> Option<Cut> {
        let text = &file.text;
        let lines = file.lines.line_count();
        let long = |line: usize| {
            let r = file.lines.line_range(text, line);
            // A char is at most 4 bytes: only a line of at most 4 × LONG_LINE bytes is counted.
            r.len() > 4 * LONG_LINE || (r.len() > LONG_LINE && text[r].chars().count() > LONG_LINE)
        };
        let spans: Vec<(usize, usize)> = labels
            .iter()
            .map(|(r, _)| (file.position(r.start).line, file.position(r.end).line))
            .collect();
        if !spans.iter().any(|&(a, b)| (a..=b).any(long)) {
            return None;
        }
        let first = spans.iter().map(|s| s.0).min().unwrap_or(1);
        let last = spans.iter().map(|s| s.1).max().unwrap_or(lines).min(lines);
        let mut cut = Cut {
            text: String::new(),
            first,
            starts: Vec::with_capacity(last + 1 - first),
            pieces: Vec::new(),
            label_starts: HashMap::new(),
        };
        for line in first..=last {
            let start = file.lines.line_start(line);
            let r = file.lines.line_range(text, line);
            let next = if line < lines {
                file.lines.line_start(line + 1)
            } else {
                text.len()
            };
            cut.starts.push(cut.text.len());
            if long(line) {
                let on_line: Vec<(usize, usize, bool)> = labels
                    .iter()
                    .filter(|(l, _)| l.start <= r.end && l.end >= r.start)
                    .map(|(l, p)| (l.start.max(r.start), l.end.min(r.end), *p))
                    .collect();
                // `window` looks only near the labels, however long the line.
                let (ws, we) = window(&text[r.start..r.end], r.start, &on_line);
                if ws > r.start {
                    cut.text.push_str(ELLIPSIS);
                    cut.keep(r.start, ws, false);
                }
                cut.keep(ws, we, true);
                cut.text.push_str(&text[ws..we]);
                if we < r.end {
                    cut.keep(we, r.end, false);
                    cut.text.push_str(ELLIPSIS);
                }
                cut.keep(r.end, next, true);
                cut.text.push_str(&text[r.end..next]);
            } else {
                cut.keep(start, next, true);
                cut.text.push_str(&text[start..next]);
            }
        }
        Some(cut)
    }

    /// Adds a piece of the file, kept (shown from here) or left out (shown as `…` just before
    /// here, or at the end of the kept text before it).
    fn keep(&mut self, from: usize, to: usize, kept: bool) {
        if from < to {
            self.pieces.push(Piece {
                real: (from, to),
                shown: self.text.len(),
                kept,
            });
        }
    }

    /// Where a byte of the file is shown: text left out is shown at its `…`, next to the kept text.
    fn shown(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.real.0 <= at);
        let Some(p) = i.checked_sub(1).map(|i| self.pieces[i]) else {
            return 0;
        };
        if p.kept {
            p.shown + (at - p.real.0).min(p.real.1 - p.real.0)
        } else {
            p.shown
        }
    }

    /// The byte of the file a shown byte stands for.
    fn real(&self, at: usize) -> usize {
        if let Some(r) = self.label_starts.get(&at) {
            return *r;
        }
        let kept = self.pieces.iter().filter(|p| p.kept);
        let mut last = 0;
        for p in kept {
            if at < p.shown {
                return p.real.0;
            }
            if at <= p.shown + (p.real.1 - p.real.0) {
                return p.real.0 + (at - p.shown);
            }
            last = p.real.1;
        }
        last
    }
}

/// The byte range of a long line (`line`, starting at byte `base` of the file) to show: around
/// the labels on it (`(start, end, primary)`, bytes of the file), `WINDOW` characters wide, on
/// character boundaries. Only the part of the line near the labels is looked at: a minified
/// template's one line may be megabytes long and carry thousands of diagnostics.
fn window(line: &str, base: usize, labels: &[(usize, usize, bool)]) -> (usize, usize) {
    // `WINDOW` characters are at most this many bytes.
    let reach = 4 * WINDOW;
    let focus = labels.iter().find(|l| l.2).or(labels.first()).copied();
    let lo = labels.iter().map(|l| l.0).min();
    let hi = labels.iter().map(|l| l.1).max();
    let (Some(focus), Some(lo), Some(hi)) = (focus, lo, hi) else {
        return window_chars(&line[..boundary(line, reach)], base, labels);
    };
    // Labels further apart than `reach` bytes are more than `WINDOW` characters apart: the
    // window is then around the focus alone, and only its start matters when it is long.
    let (labels, lo, hi) = if hi - lo <= reach {
        (labels.to_vec(), lo, hi)
    } else {
        (vec![focus], focus.0, focus.1.min(focus.0 + reach))
    };
    let from = boundary(line, lo.saturating_sub(base).saturating_sub(2 * reach));
    let to = boundary(line, hi.saturating_sub(base).saturating_add(2 * reach));
    window_chars(&line[from..to], base + from, &labels)
}

/// The last character boundary of `line` at or before byte `at` (the end when `at` is past it).
fn boundary(line: &str, at: usize) -> usize {
    line.floor_char_boundary(at)
}

/// [`window`] on the part of the line it looks at, counting its characters.
fn window_chars(line: &str, base: usize, labels: &[(usize, usize, bool)]) -> (usize, usize) {
    // Character positions of the line's bytes.
    let chars: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
    let n = chars.len();
    let char_at = |byte: usize| chars.partition_point(|&b| b + base < byte);
    let byte_at = |c: usize| base + chars.get(c).copied().unwrap_or(line.len());
    let focus = labels
        .iter()
        .find(|l| l.2)
        .or(labels.first())
        .map(|l| (char_at(l.0), char_at(l.1)));
    let (a, b) = match focus {
        None => (0, 0),
        Some(f) => {
            let all = (
                labels.iter().map(|l| char_at(l.0)).min().unwrap_or(f.0),
                labels.iter().map(|l| char_at(l.1)).max().unwrap_or(f.1),
            );
            if all.1 - all.0 <= WINDOW {
                all
            } else {
                f
            }
        }
    };
    let start = if b - a >= WINDOW.saturating_sub(BEFORE) {
        a.saturating_sub(BEFORE)
    } else {
        // Centre what is labelled.
        (a + b).saturating_sub(WINDOW) / 2
    };
    let start = start.min(n.saturating_sub(WINDOW));
    let end = (start + WINDOW).min(n);
    (byte_at(start), byte_at(end))
}

impl<'a> ScanFiles<'a> {
    /// The files for one diagnostic: a file whose long lines its labels touch is cut around them,
    /// and the labels are moved onto what is shown.
    fn cut(files: &'a [SourceFile], labels: &mut [Label<usize>]) -> ScanFiles<'a> {
        let mut by_file: HashMap<usize, Vec<(std::ops::Range<usize>, bool)>> = HashMap::new();
        for l in labels.iter() {
            let primary = l.style == codespan_reporting::diagnostic::LabelStyle::Primary;
            by_file
                .entry(l.file_id)
                .or_default()
                .push((l.range.clone(), primary));
        }
        let mut cut = HashMap::new();
        for (id, ranges) in by_file {
            if let Some(c) = files.get(id).and_then(|f| Cut::of(f, &ranges)) {
                cut.insert(id, c);
            }
        }
        // Secondary labels first: where labels start at the same shown place, the primary
        // label's real start is the one the location line gives.
        labels.sort_by_key(|l| l.style == codespan_reporting::diagnostic::LabelStyle::Primary);
        for l in labels.iter_mut() {
            if let Some(c) = cut.get_mut(&l.file_id) {
                let (start, end) = (c.shown(l.range.start), c.shown(l.range.end));
                c.label_starts.insert(start, l.range.start);
                l.range = start..end.max(start);
            }
        }
        labels.sort_by_key(|l| l.style != codespan_reporting::diagnostic::LabelStyle::Primary);
        ScanFiles { files, cut }
    }

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
        match self.cut.get(&id) {
            Some(c) => Ok(&c.text),
            None => Ok(&self.get(id)?.text),
        }
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        match self.cut.get(&id) {
            Some(c) => Ok(c.first - 1 + c.starts.partition_point(|&s| s <= byte_index).max(1) - 1),
            None => Ok(self.get(id)?.position(byte_index).line - 1),
        }
    }

    fn column_number(
        &'a self,
        id: usize,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let real = self.cut.get(&id).map_or(byte_index, |c| c.real(byte_index));
        Ok(self.get(id)?.position(real).col_utf16)
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
        if let Some(c) = self.cut.get(&id) {
            // A line that is not held is shown empty.
            let Some(i) = (line_index + 1)
                .checked_sub(c.first)
                .filter(|&i| i < c.starts.len())
            else {
                return Ok(c.text.len()..c.text.len());
            };
            let start = c.starts[i];
            let end = c.starts.get(i + 1).copied().unwrap_or(c.text.len());
            return Ok(start..end);
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

    /// A line of thousands of columns (compiled Bicep) is shown as a window around its label,
    /// with `…` where text is left out; the location keeps the real UTF-16 column, the carets
    /// stay under the labelled text, and a short line is shown whole.
    #[test]
    fn long_lines_are_cut_around_their_labels() {
        let target = "'publicNetworkAccess', parameters('publicNetworkAccess')";
        let mut line = String::from("  \"properties\": \"[union(createObject(");
        for i in 0..100 {
            line.push_str(&format!("'tag{i}', 'é𝄞 value {i}', "));
        }
        line.push_str(target);
        for i in 0..40 {
            line.push_str(&format!(", 'more{i}', 'x'"));
        }
        line.push_str("))]\"");
        let text = format!(
            "{{\n  \"parameters\": {{ \"publicNetworkAccess\": {{ \"defaultValue\": \"Disabled\" }} }},\n{line}\n}}\n"
        );
        let files = vec![SourceFile::new(
            0,
            "main.json".into(),
            "main.json".into(),
            &text,
        )];
        let start = text.find(target).unwrap();
        let default = text.find("\"defaultValue\"").unwrap();
        let findings = vec![Finding {
            related: vec![crate::findings::Related {
                span: Span::new(0, default, default + 26),
                message: "default value of parameter `publicNetworkAccess`".into(),
            }],
            ..Finding::new(
                "ML002",
                Level::Warning,
                Span::new(0, start, start + target.len()),
                "Title: facts",
            )
        }];
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &[],
            root_uri: None,
        };
        let out = render(&report, false);
        let column = files[0].position(start).col_utf16;
        assert!(line.chars().count() > 3000);
        assert!(
            out.contains(&format!("--> main.json:3:{column}\n")),
            "{out}"
        );
        let lines: Vec<&str> = out.lines().collect();
        let at = lines.iter().position(|l| l.starts_with("3 | ")).unwrap();
        let (shown, carets) = (&lines[at][4..], &lines[at + 1][4..]);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= WINDOW + 2, "{shown}");
        let from = shown.find(target).map(|b| shown[..b].chars().count());
        assert_eq!(from, Some(carets.find('^').unwrap()), "{out}");
        assert_eq!(carets.trim().len(), target.len());
        // The short line holds the related label, whole.
        assert!(out.contains("2 |   \"parameters\": { \"publicNetworkAccess\": { \"defaultValue\": \"Disabled\" } },"), "{out}");
        assert!(
            out.contains(
                "= note: default value of parameter `publicNetworkAccess` (main.json:2:44)"
            ),
            "{out}"
        );
        // With colours, the same window.
        let coloured = render(&report, true);
        assert!(coloured.contains('…') && coloured.contains("\x1b["));
        // A label longer than the window shows its start.
        let findings = vec![Finding::new(
            "ML002",
            Level::Warning,
            Span::new(0, start - 2000, start),
            "Title: facts",
        )];
        let report = Report {
            files: &files,
            findings: &findings,
            notifications: &[],
            root_uri: None,
        };
        let out = render(&report, false);
        let column = files[0].position(start - 2000).col_utf16;
        assert!(
            out.contains(&format!("--> main.json:3:{column}\n")),
            "{out}"
        );
        let shown = out.lines().find(|l| l.starts_with("3 | ")).unwrap();
        assert!(shown.chars().count() <= WINDOW + 6, "{shown}");
    }
}
