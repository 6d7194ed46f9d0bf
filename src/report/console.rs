//! Console output: rustc-style diagnostics with source snippets, then a one-line summary.
//!
//! ```text
//! error[NET001]: NSG allows SSH from the internet: azurerm_network_security_group.nodes
//!    --> main.tf.json:30:13
//!    |
//! 29 |             "destination_port_range": "22",
//!    |             ------------------------------ destination port range includes 22
//! 30 |             "source_address_prefix": "${var.admin_source}",
//!    |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ rule 'ssh-admin' (priority 100) in …
//!    |
//!    --> variables.tf:24:3
//!    |
//! 24 |   default = "Internet"
//!    |   -------------------- default of variable `admin_source`
//!    |
//!    = help: Allow SSH only from known address ranges (a VPN or Bastion range), or deny port 22 …
//!
//! 1 error, 0 warnings, 0 notes in 2 files scanned
//! ```
//!
//! Each finding is headed by its level, rule id, the rule's title and the resource it is about
//! (the finding's subject), within [`HEADLINE`] characters. The location is the 1-based line and
//! UTF-16 column, as in SARIF. The facts of the message label the offending source; each related
//! location is said once: as a secondary label, in a snippet of its own when it is in another
//! file, or as a `note:` when its file is not at hand. What to do about the finding (the
//! message's help) is the closing `help:` line. Problems with the scan itself are shown the same
//! way with the code `parse` (errors) or `semantic` (warnings), their message as the headline.
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

use super::{display_range, file_by_id, plural, Summary};
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

fn finding(report: &Report, f: &Finding) -> Diagnostic<usize> {
    // A message made by the rules' checker reads "title: facts help": the title (and the
    // resource it is about) heads the diagnostic, the facts label the place, the help closes it.
    // A message without a title heads the diagnostic whole.
    let facts = f.message.facts();
    let (head, label) = match f.message.title() {
        Some(title) => {
            // `error[NET001]: `
            let lead = f.level.as_str().len() + f.rule.len() + 4;
            (headline(lead, title, f.subject.as_deref()), facts)
        }
        None => (facts, String::new()),
    };
    let mut d = Diagnostic::new(severity(f.level))
        .with_code(f.rule)
        .with_message(head);
    match indexed(report, f.span.file) {
        Some((i, file)) => {
            d = d.with_label(Label::primary(i, display_range(file, f.span)).with_message(label));
        }
        None if !label.is_empty() => d = d.with_note(format!("note: {label}")),
        None => {}
    }
    // Each related place once: as a label where its file is at hand (codespan shows a place in
    // another file as a snippet of its own), else as a note.
    for r in &f.related {
        match indexed(report, r.span.file) {
            Some((i, file)) => {
                d = d.with_label(
                    Label::secondary(i, display_range(file, r.span))
                        .with_message(r.message.as_str()),
                );
            }
            None => d = d.with_note(format!("note: {}", r.message)),
        }
    }
    if let Some(help) = f.message.help_text() {
        d = d.with_note(format!("help: {help}"));
    }
    d
}

/// The longest headline line, in characters: `level[RULE]: `, the rule's title and the resource
/// the finding is about.
pub const HEADLINE: usize = 120;

/// "title: subject" after a lead of `lead` characters (`error[NET001]: `), the subject cut in the
/// middle (`…`) to keep the line within [`HEADLINE`] characters, and left out when too little
/// of it would be left to recognise it.
fn headline(lead: usize, title: &str, subject: Option<&str>) -> String {
    let Some(subject) = subject else {
        return title.to_string();
    };
    let room = HEADLINE.saturating_sub(lead + title.chars().count() + 2);
    let length = subject.chars().count();
    if length <= room {
        return format!("{title}: {subject}");
    }
    if room < 16 {
        return title.to_string();
    }
    let head = (room - 1) / 2;
    let tail = room - 1 - head;
    let cut: String = subject
        .chars()
        .take(head)
        .chain(ELLIPSIS.chars())
        .chain(subject.chars().skip(length - tail))
        .collect();
    format!("{title}: {cut}")
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
        let lines = file.lines().line_count();
        let long = |line: usize| {
            let r = file.lines().line_range(text, line);
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
            let start = file.lines().line_start(line);
            let r = file.lines().line_range(text, line);
            let next = if line < lines {
                file.lines().line_start(line + 1)
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
        let count = file.lines().line_count();
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
        let start = file.lines().line_start(line_index + 1);
        let end = if line_index + 1 < count {
            file.lines().line_start(line_index + 2)
        } else {
            file.text.len()
        };
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Message, Related};
    use crate::ir::Span;
    use crate::report::testutil;

    const MAIN: &str = "resource \"azurerm_network_security_group\" \"nsg\" {\n  security_rule {\n    name                   = \"ssh\"\n    priority               = 100\n    destination_port_range = \"22\"\n    source_address_prefix  = var.admin\n  }\n}\n";
    const VARIABLES: &str = "variable \"admin\" {\n  default = \"Internet\"\n}\n";

    fn at(file: usize, text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap();
        Span::new(file, start, start + needle.len())
    }

    /// A finding as the rules' checker makes it, about `main.tf`'s rule, with a related place
    /// in the same file and one in `variables.tf`.
    fn nsg_finding() -> Finding {
        Finding {
            related: vec![
                Related {
                    span: at(0, MAIN, "destination_port_range = \"22\""),
                    message: "destination port range includes 22".into(),
                },
                Related {
                    span: at(1, VARIABLES, "default = \"Internet\""),
                    message: "default of variable `admin`".into(),
                },
            ],
            subject: Some("azurerm_network_security_group.nsg".into()),
            ..Finding::new(
                "NET001",
                Level::Error,
                at(0, MAIN, "source_address_prefix  = var.admin"),
                Message::titled(
                    "NSG allows SSH from the internet",
                    Message::from(
                        "rule 'ssh' (priority 100) in azurerm_network_security_group.nsg allows \
                         TCP port 22 from `Internet`.",
                    )
                    .help("Allow SSH only from known address ranges."),
                ),
            )
        }
    }

    fn two_files() -> Vec<SourceFile> {
        vec![
            SourceFile::new(0, "main.tf".into(), "main.tf".into(), MAIN),
            SourceFile::new(1, "variables.tf".into(), "variables.tf".into(), VARIABLES),
        ]
    }

    fn render_findings(files: &[SourceFile], findings: &[Finding]) -> String {
        let report = Report {
            files,
            findings,
            notifications: &[],
            root_uri: None,
        };
        render(&report, false)
    }

    /// The headline is the title and the subject; the facts label the place; the help is one
    /// line; each related place is said once, as a label, never again as a note.
    #[test]
    fn a_finding_reads_as_headline_label_related_labels_and_help() {
        let files = two_files();
        let out = render_findings(&files, &[nsg_finding()]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "error[NET001]: NSG allows SSH from the internet: azurerm_network_security_group.nsg",
            "{out}"
        );
        // The facts label the primary place, without the title or the help.
        let primary = lines.iter().find(|l| l.contains("^^^")).unwrap();
        assert!(
            primary.ends_with(
                "^ rule 'ssh' (priority 100) in azurerm_network_security_group.nsg allows TCP port 22 from `Internet`."
            ),
            "{out}"
        );
        // The related place in the same file: a secondary label in the snippet, said once.
        assert_eq!(
            out.matches("destination port range includes 22").count(),
            1,
            "{out}"
        );
        let port = lines.iter().position(|l| l.starts_with("5 |")).unwrap();
        assert!(
            lines[port + 1].ends_with("- destination port range includes 22"),
            "{out}"
        );
        // The one in another file: a snippet of its own, said once.
        assert_eq!(
            out.matches("default of variable `admin`").count(),
            1,
            "{out}"
        );
        assert!(out.contains("--> variables.tf:2:3\n"), "{out}");
        let default = lines.iter().position(|l| l.starts_with("2 |")).unwrap();
        assert!(
            lines[default + 1].ends_with("- default of variable `admin`"),
            "{out}"
        );
        assert!(!out.contains("= note"), "{out}");
        // The help, once, on its own line, after the snippets.
        assert_eq!(out.matches("Allow SSH only").count(), 1, "{out}");
        let help = lines
            .iter()
            .position(|l| l.trim_start().starts_with("= help: "))
            .unwrap();
        assert_eq!(
            lines[help].trim_start(),
            "= help: Allow SSH only from known address ranges."
        );
        assert!(help > default, "{out}");
    }

    /// A related place whose file is not at hand is a note, the one way it is said.
    #[test]
    fn a_related_place_without_its_source_is_a_note() {
        let files = two_files();
        let out = render_findings(&files[..1], &[nsg_finding()]);
        assert!(!out.contains("variables.tf"), "{out}");
        assert_eq!(
            out.matches("default of variable `admin`").count(),
            1,
            "{out}"
        );
        assert!(
            out.contains("= note: default of variable `admin`\n"),
            "{out}"
        );
        assert_eq!(
            out.matches("destination port range includes 22").count(),
            1,
            "{out}"
        );
    }

    /// A long subject is cut in the middle to keep the headline within bounds; one too long to
    /// recognise once cut is left out; a message without a title heads the diagnostic whole.
    #[test]
    fn headlines_are_bounded() {
        let title = "Forced tunnelling without Internet next hop for management traffic";
        let subject = format!(
            "module.network.module.spoke[\"{}\"].azurerm_route_table.rt",
            "x".repeat(80)
        );
        let lead = "warning[ML013]: ".len();
        let h = headline(lead, title, Some(&subject));
        assert_eq!(lead + h.chars().count(), HEADLINE, "{h}");
        assert!(h.starts_with(&format!("{title}: module.")), "{h}");
        assert!(
            h.ends_with("_route_table.rt") && h.contains(ELLIPSIS),
            "{h}"
        );
        assert_eq!(
            headline(lead, title, Some("azurerm_route_table.rt")),
            format!("{title}: azurerm_route_table.rt")
        );
        let long_title = "t".repeat(HEADLINE - lead - 10);
        assert_eq!(headline(lead, &long_title, Some(&subject)), long_title);
        assert_eq!(headline(lead, title, None), title);

        let files = two_files();
        let untitled = Finding::new("X1", Level::Note, at(0, MAIN, "priority"), "Just facts.");
        let out = render_findings(&files, &[untitled]);
        assert!(out.starts_with("note[X1]: Just facts.\n"), "{out}");
        assert_eq!(out.matches("Just facts.").count(), 1, "{out}");
    }

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
        // The short line holds the related label, whole, and the label says it once.
        assert!(out.contains("2 |   \"parameters\": { \"publicNetworkAccess\": { \"defaultValue\": \"Disabled\" } },"), "{out}");
        assert_eq!(
            out.matches("default value of parameter `publicNetworkAccess`")
                .count(),
            1,
            "{out}"
        );
        assert!(!out.contains("= note"), "{out}");
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
